"""Mesh file I/O: round trips keep geometry, regions and boundaries; the example meshes read
with their named groups; every bad file gives a one-line MeshError naming the file."""
from __future__ import annotations

import os
from pathlib import Path

import meshio
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermosat.common.errors import MeshError
from thermosat.common.atomic import atomic_path
from thermosat.mesh import (
    Boundary,
    Mesh,
    box,
    cell_measures,
    extrude,
    facet_measures,
    interval,
    read_mesh,
    rectangle,
    shell,
    write_mesh,
)

ROOT = Path(__file__).resolve().parent.parent
MESHES = ROOT / "meshes"


def _rows(a: np.ndarray) -> list:
    return sorted(map(tuple, np.asarray(a).tolist()))


def assert_same_mesh(a: Mesh, b: Mesh) -> None:
    assert b.cell_type == a.cell_type
    np.testing.assert_allclose(b.points, a.points, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(b.cells, a.cells)
    assert set(b.cell_regions) == set(a.cell_regions)
    for k, idx in a.cell_regions.items():
        np.testing.assert_array_equal(np.sort(b.cell_regions[k]), np.sort(idx), err_msg=k)
    assert set(b.boundaries) == set(a.boundaries)
    for k, bd in a.boundaries.items():
        assert b.boundaries[k].facet_type == bd.facet_type, k
        assert _rows(b.boundaries[k].facets) == _rows(bd.facets), k   # orientation kept


def _panel_with_overlaps() -> Mesh:
    m = rectangle(2.0, 1.0, 4, 2)
    return m.with_regions({"hot": np.array([0, 1, 4]), "left half": np.array([0, 4]),
                           "unused": np.zeros(0, int)})


CASES = {
    "bar_line2": interval(0.1, 5),
    "bar_line3": interval(0.1, 3, order=2),
    "panel_quad_overlapping_regions": _panel_with_overlaps(),
    "plate_tri6": rectangle(1.0, 0.5, 2, 2, cell="tri6"),
    "shell_front_back": shell(1.0, 1.0, 2, 2, cell="tri3", normal=(1, 0, 1)),
    "box_tet4": box(1, 1, 1, 2, 1, 1, cell="tet4"),
    "chip_stack_hex8": extrude(rectangle(0.01, 0.01, 2, 2), [("die", 1e-3, 1), ("lid", 2e-3, 2)]),
}


@pytest.mark.parametrize("ext", ["msh", "vtu", "vtk"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_round_trip_keeps_regions_and_boundaries(tmp_path, name, ext):
    mesh = CASES[name]
    back = read_mesh(write_mesh(mesh, tmp_path / f"{name}.{ext}"))
    assert_same_mesh(mesh, back)


@pytest.mark.parametrize("name", ["plate_tri6", "box_tet4", "chip_stack_hex8"])
def test_abaqus_round_trip_through_cell_sets(tmp_path, name):
    """Abaqus .inp has element sets but no cell data (nor vertex cells or empty sets)."""
    mesh = CASES[name]
    assert_same_mesh(mesh, read_mesh(write_mesh(mesh, tmp_path / f"{name}.inp")))


def test_gmsh_file_is_v22_ascii_with_physical_names(tmp_path):
    path = write_mesh(CASES["panel_quad_overlapping_regions"], tmp_path / "p.msh")
    text = path.read_text()
    assert text.startswith("$MeshFormat\n2.2 0 8")
    assert '"left half"' in text and '"bottom"' in text


def test_binary_gmsh_and_vtu_round_trip(tmp_path):
    mesh = CASES["chip_stack_hex8"]
    for ext in ("msh", "vtu"):
        assert_same_mesh(mesh, read_mesh(write_mesh(mesh, tmp_path / f"b.{ext}", binary=True)))


def test_vtu_has_region_ids_for_viewing(tmp_path):
    path = write_mesh(CASES["chip_stack_hex8"], tmp_path / "s.vtu")
    raw = meshio.read(path)
    ids = raw.cell_data["region_id"][0]
    assert set(np.unique(ids)) == {1, 2}              # die = 1, lid = 2


def test_xdmf_needs_h5py_or_round_trips(tmp_path):
    mesh = CASES["box_tet4"]
    try:
        path = write_mesh(mesh, tmp_path / "b.xdmf")
    except MeshError as exc:                           # meshio's XDMF writer imports h5py
        assert "b.xdmf" in str(exc) and "\n" not in str(exc)
        return
    assert_same_mesh(mesh, read_mesh(path))


# --------------------------------------------------------------------------- example meshes
def test_example_panel_quad_has_cells_and_radiator():
    m = read_mesh(MESHES / "panel_quad.msh")
    assert m.cell_type == "quad4" and m.n_cells == 200
    area = cell_measures(m)
    assert area.sum() == pytest.approx(50.0)                      # 10 m x 5 m
    assert area[m.region("cells")].sum() == pytest.approx(30.0)   # left 60 %
    assert area[m.region("radiator")].sum() == pytest.approx(20.0)
    assert {k: facet_measures(m, k).sum() for k in m.boundaries} == pytest.approx(
        {"left": 5.0, "right": 5.0, "bottom": 10.0, "top": 10.0})
    assert np.allclose(m.points[m.boundary("right").nodes, 0], 10.0)


def test_example_bar_has_ends_a_and_b():
    m = read_mesh(MESHES / "bar.msh", cell_type="line")
    assert m.cell_type == "line2"
    assert cell_measures(m).sum() == pytest.approx(0.1)
    assert m.points[m.boundary("A").facets[0, 0], 0] == pytest.approx(0.0)
    assert m.points[m.boundary("B").facets[0, 0], 0] == pytest.approx(0.1)
    assert m.boundary("A").facet_type == "vertex"


def test_example_chip_stack_layers():
    m = read_mesh(MESHES / "chip_stack.vtu")
    assert m.cell_type == "hex8"
    vol = cell_measures(m)
    area = 0.02 * 0.02
    for layer, t in (("board", 1.6e-3), ("chip", 0.5e-3), ("lid", 1.0e-3)):
        assert vol[m.region(layer)].sum() == pytest.approx(area * t), layer
    assert facet_measures(m, "board|chip").sum() == pytest.approx(area)
    assert all(os.path.getsize(p) < 1_000_000 for p in MESHES.iterdir())


# --------------------------------------------------------------------------- foreign files
GMSH_BY_HAND = """$MeshFormat
2.2 0 8
$EndMeshFormat
$PhysicalNames
3
1 10 "cold wall"
2 20 "plate"
2 21 "insert"
$EndPhysicalNames
$Nodes
7
1 0 0 0
2 1 0 0
3 1 1 0
4 0 1 0
5 2 0 0
6 2 1 0
7 9 9 9
$EndNodes
$Elements
6
1 15 2 0 1 7
2 1 2 10 4 1 4
3 1 2 7 5 5 6
4 3 2 20 1 1 2 3 4
5 3 2 20 1 2 5 6 3
6 3 2 21 1 2 5 6 3
$EndElements
"""


def test_reads_gmsh_groups_unnamed_tags_and_drops_stray_nodes(tmp_path):
    """Physical names -> regions / boundaries, an unnamed tag keeps its number, a repeated
    element (two physical groups) is one cell, a geometry-only node is dropped."""
    path = tmp_path / "hand.msh"
    path.write_text(GMSH_BY_HAND)
    m = read_mesh(path)
    assert m.cell_type == "quad4" and m.n_cells == 2 and m.n_points == 6
    assert m.region("plate").tolist() == [0, 1] and m.region("insert").tolist() == [1]
    assert m.boundary("cold wall").facets.tolist() == [[0, 3]]
    assert m.boundary("7").facets.tolist() == [[4, 5]]


def test_cell_type_picks_surface_of_a_volume_mesh(tmp_path):
    b = box(1, 1, 1, 1, 1, 1, cell="tet4")
    raw = meshio.Mesh(b.points, [("tetra", b.cells), ("triangle", b.boundary("zmax").facets)])
    path = tmp_path / "vol.vtu"
    meshio.write(path, raw)
    assert read_mesh(path).cell_type == "tet4"
    top = read_mesh(path, cell_type="tri3")
    assert top.cell_type == "tri3" and cell_measures(top).sum() == pytest.approx(1.0)


def test_cell_sets_become_regions_and_boundaries(tmp_path):
    r = rectangle(1, 1, 2, 1, cell="tri3")
    raw = meshio.Mesh(r.points, [("triangle", r.cells), ("line", r.boundary("left").facets)],
                      cell_sets={"west": [np.array([], int), np.array([0])],
                                 "core": [np.array([0, 1]), np.array([], int)]})
    path = tmp_path / "sets.inp"
    meshio.write(path, raw)
    m = read_mesh(path)
    assert m.region("core").tolist() == [0, 1]
    assert m.boundary("west").facet_type == "line2"


# --------------------------------------------------------------------------- errors
def _mesh_error(path, **kw) -> str:
    with pytest.raises(MeshError) as info:
        read_mesh(path, **kw)
    msg = str(info.value)
    assert str(path) in msg and "\n" not in msg
    return msg


def test_missing_empty_and_unknown_files(tmp_path):
    assert "no such mesh file" in _mesh_error(tmp_path / "absent.msh")
    (tmp_path / "empty.vtu").write_bytes(b"")
    assert "empty" in _mesh_error(tmp_path / "empty.vtu")
    (tmp_path / "mesh.xyz").write_text("1 2 3")
    assert "unknown mesh file extension '.xyz'" in _mesh_error(tmp_path / "mesh.xyz")
    assert "directory" in _mesh_error(tmp_path)


def test_truncated_gmsh_file(tmp_path):
    text = (MESHES / "panel_quad.msh").read_text()
    path = tmp_path / "cut.msh"
    path.write_text(text[: len(text) // 2])
    _mesh_error(path)


def test_mixed_domain_cell_types_are_rejected(tmp_path):
    pts = [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [2, 0, 0], [2, 1, 0]]
    path = tmp_path / "mixed.msh"
    meshio.write(path, meshio.Mesh(pts, [("triangle", [[0, 1, 2], [0, 2, 3]]),
                                         ("quad", [[1, 4, 5, 2]])]), file_format="gmsh22",
                 binary=False)
    msg = _mesh_error(path)
    assert "several 2D cell types (quad, triangle)" in msg and "one domain cell type" in msg


def test_unsupported_domain_cell_type(tmp_path):
    pts = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 1]], float)
    path = tmp_path / "wedge.vtu"
    meshio.write(path, meshio.Mesh(pts, [("wedge", [[0, 1, 2, 3, 4, 5]])]))
    assert "'wedge' is not supported" in _mesh_error(path)


def test_file_with_bad_geometry_fails_the_check(tmp_path):
    pts = [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]]
    path = tmp_path / "folded.vtu"
    meshio.write(path, meshio.Mesh(pts, [("triangle", [[0, 1, 2], [0, 3, 2], [0, 1, 3]])]))
    assert "inverted" in _mesh_error(path)
    assert read_mesh(path, check=False).n_cells == 3


def test_write_errors_name_the_file(tmp_path):
    m = rectangle(1, 1, 1, 1)
    with pytest.raises(MeshError, match="out.abc"):
        write_mesh(m, tmp_path / "out.abc")
    with pytest.raises(MeshError, match="unknown mesh file_format 'nope'"):
        write_mesh(m, tmp_path / "out.msh", file_format="nope")
    with pytest.raises(MeshError, match="out.obj"):
        write_mesh(m.with_regions(boundaries={}), tmp_path / "out.obj")  # quads + lines
    assert not list(tmp_path.glob(".out*"))           # no temporary files left behind


# --------------------------------------------------------------------------- atomic writes
def test_atomic_path_renames_on_success_and_cleans_up_on_error(tmp_path):
    target = tmp_path / "result.vtu"
    target.write_text("old")
    with atomic_path(target) as tmp:
        assert Path(tmp).suffix == ".vtu" and Path(tmp).parent == tmp_path
        Path(tmp).write_text("new")
        assert target.read_text() == "old"
    assert target.read_text() == "new"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        Path(tmp).write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.vtu"]


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    path = write_mesh(rectangle(1, 1, 1, 1), tmp_path / "keep.msh")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(meshio, "write", broken)
    with pytest.raises(MeshError, match="keep.msh.*disk full"):
        write_mesh(rectangle(2, 2, 3, 3), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.msh"]


# --------------------------------------------------------------------------- fuzzing
@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzz")
    for ext in ("msh", "vtu", "vtk"):
        write_mesh(CASES["panel_quad_overlapping_regions"], d / f"good.{ext}")
        write_mesh(CASES["box_tet4"], d / f"goodb.{ext}", binary=True)
    return d


def _read_or_mesherror(path: Path) -> None:
    try:
        read_mesh(path)
    except MeshError as exc:
        assert "\n" not in str(exc) and path.name in str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ext=st.sampled_from(["msh", "vtu", "vtk"]), data=st.binary(min_size=1, max_size=400))
def test_random_bytes_read_as_mesh_raise_only_mesherror(fuzz_dir, ext, data):
    path = fuzz_dir / f"random.{ext}"
    path.write_bytes(data)
    _read_or_mesherror(path)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ext=st.sampled_from(["msh", "vtu", "vtk"]), binary=st.booleans(),
       mode=st.sampled_from(["truncate", "flip", "insert"]), seed=st.integers(0, 2**32 - 1))
def test_corrupted_mesh_files_raise_only_mesherror(fuzz_dir, ext, binary, mode, seed):
    rng = np.random.default_rng(seed)
    src = bytearray((fuzz_dir / f"{'goodb' if binary else 'good'}.{ext}").read_bytes())
    if mode == "truncate":
        src = src[: rng.integers(1, len(src))]
    elif mode == "flip":
        for _ in range(rng.integers(1, 6)):
            src[rng.integers(len(src))] = rng.integers(256)
    else:
        i = rng.integers(len(src))
        src[i:i] = rng.choice([b"-1", b"nan", b"99999", b"\n", b" 1e308", b"$Nodes\n"])
    path = fuzz_dir / f"corrupt.{ext}"
    path.write_bytes(bytes(src))
    _read_or_mesherror(path)


def test_boundary_type_is_checked_on_write_read(tmp_path):
    """A boundary whose facets are not faces of the mesh is caught when reading back."""
    m = rectangle(1, 1, 2, 2)
    bad = m.with_regions(boundaries={"diag": Boundary(np.array([[0, 4]]), "line2")})
    path = write_mesh(bad, tmp_path / "diag.vtu")
    assert "not a face" in _mesh_error(path)
