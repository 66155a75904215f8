"""Meshes written by Gmsh itself (4.1 ASCII / binary, 2.2 ASCII / binary) read exactly.

Every mesh is generated at test time with the ``gmsh`` Python package. Each physical group
must come back with each facet / cell exactly once (meshio describes a Gmsh 4.1 physical
group twice, as ``gmsh:physical`` tags and as ``cell_sets``; merging both doubled every
boundary flux). The physics checks: a unit square (or cube) held at 300 K on x = 0 with
q = 100 W/m² into x = 1 and k = 1 W/m/K is exactly 300 + 100 x K, so x = 1 reads 400 K.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import meshio
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermosat import Model
from thermosat.commands.mesh import check_file
from thermosat.common.errors import MeshError
from thermosat.mesh import Mesh, cell_measures, check_mesh, facet_measures, read_mesh, rectangle

gmsh = pytest.importorskip("gmsh")

ROOT = Path(__file__).resolve().parent.parent
FORMATS = [(4.1, 0), (4.1, 1), (2.2, 0), (2.2, 1)]
FORMAT_IDS = ["v41-ascii", "v41-binary", "v22-ascii", "v22-binary"]
T_FIX, Q, K = 300.0, 100.0, 1.0          # K, W/m², W/m/K: exact T(x = 1) = 400 K
N = 4                                     # elements per unit length (structured meshes)


# --------------------------------------------------------------------------- generation
def _bbox(dim: int, tag: int) -> np.ndarray:
    return np.array(gmsh.model.getBoundingBox(dim, tag)).reshape(2, 3)


def _group_elements(dim: int, tags: list[int]) -> int:
    """Number of mesh elements of dimension ``dim`` on the entities ``tags``."""
    total = 0
    for t in tags:
        _, elem_tags, _ = gmsh.model.mesh.getElements(dim, t)
        total += sum(len(e) for e in elem_tags)
    return total


def make_mesh(path: Path, cell: str, version: float = 4.1, binary: int = 0) -> dict:
    """Write a Gmsh mesh of the unit square (2D cells) or unit cube (3D cells) to ``path``.

    The domain is two entities (x < 0.5 and x > 0.5, fragmented so the mesh conforms).
    Physical groups (d = domain dimension):

    * ``left`` (x = 0) and ``right`` (x = 1): one entity of dimension d - 1 each;
    * ``east``: the same entity as ``right`` (an entity in two physical groups);
    * ``walls``: every other outer entity of dimension d - 1 (several: 4 curves / 8 faces);
    * ``a``, ``b``: the two halves; ``body``: both (several entities, sharing ``a`` and
      ``b``'s entities).

    ``cell``: ``tri``, ``quad`` (transfinite + recombine), ``tri6``, ``tet``, ``hex``
    (transfinite + recombine + extrude with layers), ``tet10``. Returns the number of Gmsh
    elements in each physical group.
    """
    dim = 3 if cell in ("tet", "hex", "tet10") else 2
    structured = cell in ("quad", "hex")
    gmsh.initialize()
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.add("unit")
        occ = gmsh.model.occ
        r1 = occ.addRectangle(0, 0, 0, 0.5, 1)
        r2 = occ.addRectangle(0.5, 0, 0, 0.5, 1)
        occ.fragment([(2, r1)], [(2, r2)])
        occ.synchronize()
        surfaces = [t for _, t in gmsh.model.getEntities(2)]
        if structured:
            for _, c in gmsh.model.getEntities(1):
                lo, hi = _bbox(1, c)
                length = float(np.max(hi - lo))
                gmsh.model.mesh.setTransfiniteCurve(c, int(round(length * N)) + 1)
            for s in surfaces:
                gmsh.model.mesh.setTransfiniteSurface(s)
                gmsh.model.mesh.setRecombine(2, s)
        if dim == 3:
            kw = {"numElements": [N], "recombine": True} if structured else {}
            occ.extrude([(2, s) for s in surfaces], 0, 0, 1, **kw)
            occ.synchronize()
        top = [t for _, t in gmsh.model.getEntities(dim)]
        halves = sorted(top, key=lambda t: _bbox(dim, t)[0, 0])
        left, right, walls = [], [], []
        for _, t in gmsh.model.getEntities(dim - 1):
            lo, hi = _bbox(dim - 1, t)
            if hi[0] - lo[0] < 1e-5 and abs(lo[0]) < 1e-5:
                left.append(t)
            elif hi[0] - lo[0] < 1e-5 and abs(hi[0] - 1) < 1e-5:
                right.append(t)
            elif hi[0] - lo[0] < 1e-5:
                continue  # the interface x = 0.5 is inside the domain
            else:
                walls.append(t)
        assert len(left) == 1 and len(right) == 1 and len(walls) == 2 * (2 * dim - 2)
        groups = {"left": (dim - 1, left), "right": (dim - 1, right),
                  "east": (dim - 1, right), "walls": (dim - 1, walls),
                  "a": (dim, halves[:1]), "b": (dim, halves[1:]), "body": (dim, halves)}
        for name, (d, tags) in groups.items():
            gmsh.model.addPhysicalGroup(d, tags, name=name)
        if not structured:
            gmsh.option.setNumber("Mesh.MeshSizeMax", 0.3 if dim == 3 else 0.2)
        gmsh.model.mesh.generate(dim)
        if cell in ("tri6", "tet10"):
            gmsh.model.mesh.setOrder(2)
        counts = {name: _group_elements(d, tags) for name, (d, tags) in groups.items()}
        gmsh.option.setNumber("Mesh.MshFileVersion", version)
        gmsh.option.setNumber("Mesh.Binary", binary)
        gmsh.write(str(path))
    finally:
        gmsh.finalize()
    return counts


EXPECTED_TYPE = {"tri": ("tri3", "line2"), "quad": ("quad4", "line2"),
                 "tri6": ("tri6", "line3"), "tet": ("tet4", "tri3"), "hex": ("hex8", "quad4")}


@pytest.fixture(scope="module")
def meshes(tmp_path_factory):
    """(cell, version, binary) -> (path, Gmsh element counts per physical group)."""
    out = {}
    root = tmp_path_factory.mktemp("gmsh")
    for cell in EXPECTED_TYPE:
        for version, binary in FORMATS:
            path = root / f"{cell}_v{version}_{'bin' if binary else 'ascii'}.msh"
            out[cell, version, binary] = (path, make_mesh(path, cell, version, binary))
    return out


def _solve_flux(m: Mesh, dim: int) -> np.ndarray:
    model = Model(m)
    model.material(conductivity=K, thickness_m=1.0 if dim == 2 else None)
    model.fixed_temperature("left", T_FIX)
    model.heat_flux("right", Q)
    return model.solve_steady().T


def _rows(a: np.ndarray) -> set:
    return set(map(tuple, np.sort(np.asarray(a), axis=1).tolist()))


# --------------------------------------------------------------------------- reading
@pytest.mark.parametrize("version,binary", FORMATS, ids=FORMAT_IDS)
@pytest.mark.parametrize("cell", sorted(EXPECTED_TYPE))
def test_each_facet_and_cell_is_read_once(meshes, cell, version, binary):
    path, counts = meshes[cell, version, binary]
    m = read_mesh(path)
    ctype, ftype = EXPECTED_TYPE[cell]
    dim = m.dim
    assert m.cell_type == ctype
    assert m.n_cells == counts["body"]
    assert set(m.boundaries) == {"left", "right", "east", "walls"}
    for name in m.boundaries:
        b = m.boundary(name)
        assert b.facet_type == ftype, name
        assert b.facets.shape[0] == counts[name], name
        assert len(_rows(b.facets)) == b.facets.shape[0], name      # no facet twice
    assert _rows(m.boundary("east").facets) == _rows(m.boundary("right").facets)
    assert set(m.cell_regions) == {"a", "b", "body"}
    for name, idx in m.cell_regions.items():
        assert idx.size == counts[name] and np.unique(idx).size == idx.size, name
    np.testing.assert_array_equal(m.region("body"), np.arange(m.n_cells))
    assert np.intersect1d(m.region("a"), m.region("b")).size == 0
    # measures: what was read is the geometry (lengths in 2D, areas in 3D)
    for name, exact in (("left", 1.0), ("right", 1.0), ("east", 1.0),
                        ("walls", 2.0 * dim - 2.0)):
        assert facet_measures(m, name).sum() == pytest.approx(exact, rel=1e-12), name
    total = sum(facet_measures(m, n).sum() for n in ("left", "right", "walls"))
    assert total == pytest.approx(2.0 * dim, rel=1e-12)               # perimeter / surface
    vol = cell_measures(m)
    assert vol.sum() == pytest.approx(1.0, rel=1e-12)
    assert vol[m.region("a")].sum() == pytest.approx(0.5, rel=1e-12)
    assert vol[m.region("b")].sum() == pytest.approx(0.5, rel=1e-12)
    # the formats agree on the facets (same nodes, same coordinates)
    ref = read_mesh(meshes[cell, 2.2, 0][0])
    for name in m.boundaries:
        assert facet_measures(m, name).sum() == pytest.approx(
            facet_measures(ref, name).sum(), rel=1e-12)


@pytest.mark.parametrize("version,binary", FORMATS, ids=FORMAT_IDS)
@pytest.mark.parametrize("cell", sorted(EXPECTED_TYPE))
def test_flux_problem_is_exact(meshes, cell, version, binary):
    """T = 300 K at x = 0, q = 100 W/m² in at x = 1, k = 1: T = 300 + 100 x, 400 K at x = 1
    (the doubled 4.1 boundaries gave 500 K)."""
    m = read_mesh(meshes[cell, version, binary][0])
    T = _solve_flux(m, m.dim)
    x = m.points[:, 0]
    np.testing.assert_allclose(T, T_FIX + Q * x / K, rtol=0, atol=1e-9)
    on_right = np.unique(m.boundary("right").facets)
    np.testing.assert_allclose(T[on_right], 400.0, rtol=0, atol=1e-9)


@pytest.mark.parametrize("version,binary", FORMATS, ids=FORMAT_IDS)
@pytest.mark.parametrize("cell", ["tri", "quad", "tet", "hex"])
def test_convection_problem_is_exact(meshes, cell, version, binary):
    """Convection h = 1 W/m²/K to 500 K at x = 1: (T_R - 300) k = h (500 - T_R) -> 400 K."""
    m = read_mesh(meshes[cell, version, binary][0])
    model = Model(m)
    model.material(conductivity=K, thickness_m=1.0 if m.dim == 2 else None)
    model.fixed_temperature("left", T_FIX)
    model.convection("east", 1.0, 500.0)
    T = model.solve_steady().T
    np.testing.assert_allclose(T, T_FIX + 100.0 * m.points[:, 0], rtol=0, atol=1e-9)


@pytest.mark.parametrize("version,binary", FORMATS, ids=FORMAT_IDS)
def test_tet10_reads_with_every_facet_once(tmp_path, version, binary):
    path = tmp_path / "tet10.msh"
    make_mesh(path, "tet10", version, binary)
    mesh = read_mesh(path)
    assert mesh.cell_type == "tet10"
    for name, b in mesh.boundaries.items():
        key = np.sort(b.facets, axis=1)
        assert len(np.unique(key, axis=0)) == len(key), name


def test_mesh_check_command_accepts_gmsh_41(meshes):
    path = meshes["tri", 4.1, 1][0]
    out = subprocess.run([sys.executable, "-c", "from thermosat.cli import main; "
                          "raise SystemExit(main())", "mesh", "check", str(path),
                          "--boundaries", "left,right,walls", "--regions", "a,b,body"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "ok: tri3 mesh" in out.stdout


# --------------------------------------------------------------------------- duplicates
def _with_duplicates(r: Mesh, name: str, repeat: np.ndarray) -> meshio.Mesh:
    """The rectangle ``r`` as a meshio mesh whose boundary ``name`` lists facets ``repeat``
    a second time (Gmsh tags, field data names)."""
    f = r.boundary(name).facets
    rows = np.vstack([f, f[repeat]])
    return meshio.Mesh(
        r.points, [("triangle", r.cells), ("line", rows)],
        cell_data={"gmsh:physical": [np.full(r.n_cells, 1), np.full(rows.shape[0], 2)],
                   "gmsh:geometrical": [np.full(r.n_cells, 1), np.full(rows.shape[0], 2)]},
        field_data={"plate": np.array([1, 2]), name: np.array([2, 1])})


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nx=st.integers(1, 6), ny=st.integers(1, 6), side=st.sampled_from(["left", "right",
                                                                          "bottom", "top"]),
       data=st.data(), binary=st.booleans(), reverse=st.booleans())
def test_duplicate_boundary_facets_are_flagged(tmp_path, nx, ny, side, data, binary, reverse):
    r = rectangle(1.0, 1.0, nx, ny, cell="tri3")
    n = r.boundary(side).facets.shape[0]
    repeat = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2 * n)))
    raw = _with_duplicates(r, side, repeat)
    if reverse:  # the copy may list its nodes the other way round: still the same facet
        raw.cells[1].data[n:] = raw.cells[1].data[n:, ::-1]
    path = tmp_path / f"dup_{nx}_{ny}_{side}_{int(binary)}.msh"
    meshio.write(path, raw, file_format="gmsh22", binary=binary)
    for read in (read_mesh, check_file):
        with pytest.raises(MeshError) as info:
            read(path)
        msg = str(info.value)
        assert msg.startswith(f"{path}: boundary {side!r}") and "\n" not in msg, msg
        assert f"lists {repeat.size} facet(s) more than once" in msg, msg


def test_duplicate_region_cells_are_flagged(tmp_path):
    """A 2.2 element listed twice with the same physical tag: the region lists it twice."""
    r = rectangle(1.0, 1.0, 2, 1, cell="tri3")
    cells = np.vstack([r.cells, r.cells[:1]])
    raw = meshio.Mesh(r.points, [("triangle", cells)],
                      cell_data={"gmsh:physical": [np.full(cells.shape[0], 1)],
                                 "gmsh:geometrical": [np.full(cells.shape[0], 1)]},
                      field_data={"plate": np.array([1, 2])})
    path = tmp_path / "dup_cell.msh"
    meshio.write(path, raw, file_format="gmsh22", binary=False)
    with pytest.raises(MeshError) as info:
        read_mesh(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}: region 'plate' lists 1 cell(s) more than once"), msg


def test_mesh_check_command_reports_duplicates(tmp_path):
    r = rectangle(1.0, 1.0, 2, 2, cell="tri3")
    path = tmp_path / "dup.msh"
    meshio.write(path, _with_duplicates(r, "right", np.array([0, 1])), file_format="gmsh22",
                 binary=False)
    out = subprocess.run([sys.executable, "-c", "from thermosat.cli import main; "
                          "raise SystemExit(main())", "mesh", "check", str(path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "'right'" in lines[0]
    assert "lists 2 facet(s) more than once" in lines[0]


def test_model_never_sees_duplicates():
    """A Mesh cannot hold a duplicated facet or cell, and check_mesh catches one added
    afterwards (the boundaries dict is mutable)."""
    r = rectangle(1.0, 1.0, 2, 2, cell="tri3")
    b = r.boundary("right")
    twice = type(b)(np.vstack([b.facets, b.facets[::-1, ::-1]]), b.facet_type)
    with pytest.raises(MeshError, match=r"^boundary 'right' lists 2 facet\(s\) more than once"):
        r.with_regions(boundaries={"right": twice})
    with pytest.raises(MeshError, match=r"^region 'hot' lists 1 cell\(s\) more than once"):
        r.with_regions({"hot": np.array([0, 3, 3])})
    r.boundaries["right"] = twice
    with pytest.raises(MeshError, match=r"^plate\.msh: boundary 'right' lists 2 facet"):
        check_mesh(r, source="plate.msh")
