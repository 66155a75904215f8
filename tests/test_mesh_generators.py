"""Structured generators and layered extrusion: exact lengths / areas / volumes, counts,
orientation (positive cells, outward boundary facets) and conformity."""
from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thermosat.common.errors import MeshError
from thermosat.mesh import (
    Boundary,
    Mesh,
    box,
    cell_measures,
    check_mesh,
    extrude,
    facet_measures,
    interval,
    measures,
    polyline,
    rectangle,
    shell,
)
from thermosat.mesh.checks import cell_faces


# --------------------------------------------------------------------------- helpers
def _facet_normals(mesh: Mesh, name: str) -> np.ndarray:
    """Unnormalised normals of a boundary's facets (edges: in-plane normal t x z)."""
    b = mesh.boundary(name)
    x = mesh.points[b.facets]
    if b.facet_type in ("line2", "line3"):
        t = x[:, 1] - x[:, 0]
        return np.cross(t, [0.0, 0.0, 1.0])
    if b.facet_type == "quad4":
        return np.cross(x[:, 2] - x[:, 0], x[:, 3] - x[:, 1])
    return np.cross(x[:, 1] - x[:, 0], x[:, 2] - x[:, 0])


def _face_counts(mesh: Mesh) -> np.ndarray:
    """How many cells share each distinct facet (1 = boundary, 2 = interior)."""
    local = np.array(cell_faces(mesh.cell_type))
    faces = np.sort(mesh.cells[:, local].reshape(-1, local.shape[1]), axis=1)
    _, counts = np.unique(faces, axis=0, return_counts=True)
    return counts


def _assert_conforming(mesh: Mesh, outer: str) -> None:
    """Each facet is shared by at most two cells; the once-used ones are the outer boundary."""
    counts = _face_counts(mesh)
    assert counts.max() <= 2
    assert (counts == 1).sum() == mesh.boundary(outer).facets.shape[0]


# --------------------------------------------------------------------------- 1D
@pytest.mark.parametrize("order,ctype", [(1, "line2"), (2, "line3")])
def test_interval_bar_length_and_end_points(order, ctype):
    m = interval(0.25, 8, start=-0.05, order=order)
    check_mesh(m, require_dim=1)
    assert m.cell_type == ctype and m.n_cells == 8 and m.n_points == 8 * order + 1
    assert cell_measures(m).sum() == pytest.approx(0.25)
    assert m.points[m.boundary("left").facets[0, 0], 0] == pytest.approx(-0.05)
    assert m.points[m.boundary("right").facets[0, 0], 0] == pytest.approx(0.20)
    assert m.boundary("left").facet_type == "vertex" and m.boundary("left").facets.shape == (1, 1)
    assert m.region("domain").size == 8
    if order == 2:  # line3 midpoints sit half-way between the end nodes
        x = m.points[m.cells, 0]
        np.testing.assert_allclose(x[:, 2], 0.5 * (x[:, 0] + x[:, 1]))


def test_polyline_pipe_length_and_ports():
    pts = [[0, 0, 0], [1.0, 0, 0], [1.0, 2.0, 0], [1.0, 2.0, 3.0]]
    m = polyline(pts, [2, 4, 3])
    check_mesh(m)
    assert m.n_cells == 9 and m.cells.dtype == np.int32
    assert cell_measures(m).sum() == pytest.approx(6.0)
    np.testing.assert_allclose(m.points[m.boundary("inlet").facets[0, 0]], [0, 0, 0])
    np.testing.assert_allclose(m.points[m.boundary("outlet").facets[0, 0]], [1, 2, 3])
    # every cell of a segment has the segment length / count
    np.testing.assert_allclose(cell_measures(m), [0.5] * 2 + [0.5] * 4 + [1.0] * 3)
    assert polyline(pts, 2).n_cells == 6


def test_polyline_rejects_repeated_points():
    with pytest.raises(MeshError, match="segment 1"):
        polyline([[0, 0, 0], [1, 0, 0], [1, 0, 0]], 2)


# --------------------------------------------------------------------------- 2D
@pytest.mark.parametrize("cell,per_quad", [("quad4", 1), ("tri3", 2), ("tri6", 2)])
def test_rectangle_area_perimeter_and_counts(cell, per_quad):
    lx, ly, nx, ny = 3.0, 2.0, 6, 5
    m = rectangle(lx, ly, nx, ny, cell=cell, origin=(1.0, -1.0))
    check_mesh(m, require_dim=2)
    assert m.n_cells == per_quad * nx * ny
    k = 2 if cell == "tri6" else 1
    assert m.n_points == (k * nx + 1) * (k * ny + 1)
    assert cell_measures(m).sum() == pytest.approx(lx * ly)
    # positive (counter-clockwise) orientation seen from +z
    assert (measures(m.points, m.cells, cell, signed=True) > 0).all()
    lengths = {name: facet_measures(m, name).sum() for name in m.boundaries}
    assert lengths == pytest.approx({"left": ly, "right": ly, "bottom": lx, "top": lx,
                                     "all": 2 * (lx + ly)})
    # outward edge normals
    for name, outward in (("left", [-1, 0, 0]), ("right", [1, 0, 0]),
                          ("bottom", [0, -1, 0]), ("top", [0, 1, 0])):
        assert (_facet_normals(m, name) @ outward > 0).all(), name
    assert m.points[:, 0].min() == pytest.approx(1.0)
    assert m.points[:, 1].max() == pytest.approx(1.0)
    assert np.all(m.points[:, 2] == 0.0)


def test_rectangle_tri6_midside_nodes_are_edge_midpoints():
    m = rectangle(2.0, 1.0, 3, 2, cell="tri6")
    x = m.points[m.cells]
    for mid, (a, b) in zip((3, 4, 5), ((0, 1), (1, 2), (2, 0))):
        np.testing.assert_allclose(x[:, mid], 0.5 * (x[:, a] + x[:, b]))
    assert m.boundary("all").facet_type == "line3"


def test_rectangle_million_quads_is_cheap():
    t0 = time.perf_counter()
    m = rectangle(10.0, 10.0, 1000, 1000)
    elapsed = time.perf_counter() - t0
    assert m.n_cells == 1_000_000
    assert elapsed < 1.0


@pytest.mark.parametrize("cell", ["quad4", "tri3", "tri6"])
def test_shell_panel_lies_in_its_plane_with_front_back(cell):
    normal = np.array([1.0, 2.0, 2.0]) / 3.0
    m = shell(2.0, 0.5, 4, 2, cell=cell, origin=(1, 1, 1), normal=normal, u_axis=(0, 1, -1))
    check_mesh(m)
    assert cell_measures(m).sum() == pytest.approx(1.0)
    # all nodes on the plane through the origin, cell normals along +normal
    np.testing.assert_allclose((m.points - 1.0) @ normal, 0.0, atol=1e-12)
    front, back = _facet_normals(m, "front"), _facet_normals(m, "back")
    assert (front @ normal > 0).all() and (back @ normal < 0).all()
    assert m.boundary("front").facet_type == cell
    assert facet_measures(m, "front").sum() == pytest.approx(1.0)
    assert facet_measures(m, "left").sum() == pytest.approx(0.5)
    assert facet_measures(m, "bottom").sum() == pytest.approx(2.0)
    # local x axis is u_axis projected into the plane
    u = m.points[m.boundary("bottom").facets[0, 1]] - m.points[m.boundary("bottom").facets[0, 0]]
    uref = np.array([0, 1, -1]) / np.sqrt(2)
    np.testing.assert_allclose(u / np.linalg.norm(u), uref, atol=1e-12)


def test_shell_default_is_rectangle_in_xy_plane():
    m, r = shell(2.0, 1.0, 2, 2), rectangle(2.0, 1.0, 2, 2)
    np.testing.assert_allclose(m.points, r.points)
    np.testing.assert_array_equal(m.cells, r.cells)


def test_shell_rejects_u_axis_along_normal():
    with pytest.raises(MeshError, match="u_axis"):
        shell(1, 1, 1, 1, normal=(0, 0, 1), u_axis=(0, 0, 2))


# --------------------------------------------------------------------------- 3D
@pytest.mark.parametrize("cell,per_hex,ftype", [("hex8", 1, "quad4"), ("tet4", 6, "tri3")])
def test_box_volume_faces_and_orientation(cell, per_hex, ftype):
    lx, ly, lz, n = 1.0, 2.0, 0.5, (3, 4, 2)
    m = box(lx, ly, lz, *n, cell=cell, origin=(0.5, 0, -1))
    check_mesh(m, require_dim=3)
    assert m.n_cells == per_hex * np.prod(n) and m.n_points == np.prod(np.add(n, 1))
    vols = cell_measures(m)
    assert (vols > 0).all()                        # positive (right-handed) volumes
    assert vols.sum() == pytest.approx(lx * ly * lz)
    areas = {k: facet_measures(m, k).sum() for k in m.boundaries}
    assert areas == pytest.approx({"xmin": ly * lz, "xmax": ly * lz, "ymin": lx * lz,
                                   "ymax": lx * lz, "zmin": lx * ly, "zmax": lx * ly,
                                   "all": 2 * (ly * lz + lx * lz + lx * ly)})
    for name, axis, sgn in (("xmin", 0, -1), ("xmax", 0, 1), ("ymin", 1, -1), ("ymax", 1, 1),
                            ("zmin", 2, -1), ("zmax", 2, 1)):
        assert m.boundary(name).facet_type == ftype
        assert (sgn * _facet_normals(m, name)[:, axis] > 0).all(), name
    _assert_conforming(m, "all")


def test_box_tets_conform_across_hexes():
    m = box(1, 1, 1, 3, 3, 3, cell="tet4")
    counts = _face_counts(m)
    # 6 tets per hex: 4 faces each, boundary faces once, interior ones twice
    assert counts.sum() == 4 * m.n_cells
    assert (counts == 1).sum() == 6 * 9 * 2


def test_generators_reject_bad_arguments():
    for call in (lambda: rectangle(0, 1, 1, 1), lambda: rectangle(1, 1, 0, 1),
                 lambda: rectangle(1, 1, 1, 1, cell="hex8"), lambda: box(1, 1, np.nan, 1, 1, 1),
                 lambda: interval(1, 2, order=3), lambda: interval(1, 2.5),
                 lambda: shell(1, 1, 1, 1, normal=(0, 0, 0)), lambda: polyline([[0, 0, 0]], 1)):
        with pytest.raises(MeshError):
            call()


# --------------------------------------------------------------------------- extrusion
LAYERS = [("board", 1.6e-3, 2), ("chip", 0.5e-3, 1), ("lid", 1.0e-3, 3)]
TOTAL = sum(t for _, t, _ in LAYERS)


@pytest.mark.parametrize("cell,out,per_prism", [("quad4", "hex8", 1), ("tri3", "tet4", 3)])
def test_extrude_volume_is_area_times_thickness(cell, out, per_prism):
    base = rectangle(0.02, 0.01, 4, 3, cell=cell)
    m = extrude(base, LAYERS)
    check_mesh(m, require_dim=3)
    assert m.cell_type == out
    assert m.n_cells == per_prism * base.n_cells * 6
    vols = cell_measures(m)
    assert (vols > 0).all()
    assert vols.sum() == pytest.approx(0.02 * 0.01 * TOTAL)
    for name, t, _ in LAYERS:                     # each layer: area x its thickness
        assert vols[m.region(name)].sum() == pytest.approx(0.02 * 0.01 * t), name
    area = 0.02 * 0.01
    for name in ("bottom", "top", "board|chip", "chip|lid"):
        assert facet_measures(m, name).sum() == pytest.approx(area), name
    assert facet_measures(m, "side").sum() == pytest.approx(2 * (0.02 + 0.01) * TOTAL)
    # the input's named edges become lateral sets (bottom/top renamed to side_*)
    assert facet_measures(m, "left").sum() == pytest.approx(0.01 * TOTAL)
    assert facet_measures(m, "side_bottom").sum() == pytest.approx(0.02 * TOTAL)
    # outward normals: bottom -z, top +z, interfaces +z (from lower into upper layer)
    assert (_facet_normals(m, "bottom")[:, 2] < 0).all()
    assert (_facet_normals(m, "top")[:, 2] > 0).all()
    assert (_facet_normals(m, "board|chip")[:, 2] > 0).all()
    assert (_facet_normals(m, "left")[:, 0] < 0).all()
    assert (_facet_normals(m, "side_bottom")[:, 1] < 0).all()
    z = m.points[:, 2]
    assert z.min() == pytest.approx(0.0) and z.max() == pytest.approx(TOTAL)
    # outer surface = bottom + top + side, every inner face shared by two cells
    outer = Boundary(np.concatenate([m.boundary(k).facets for k in ("bottom", "top", "side")]),
                     m.boundary("top").facet_type)
    _assert_conforming(m.with_regions(boundaries={"outer": outer}), "outer")


def test_extrude_tilted_panel_grows_along_its_normal():
    normal = np.array([0.0, 0.6, 0.8])
    base = shell(1.0, 2.0, 2, 3, cell="tri3", normal=normal)
    m = extrude(base, [("skin", 0.01, 2)])
    check_mesh(m)
    assert cell_measures(m).sum() == pytest.approx(2.0 * 0.01)
    off = m.points @ normal
    assert off.min() == pytest.approx(0.0, abs=1e-12) and off.max() == pytest.approx(0.01)
    assert "domain" in m.cell_regions and m.region("domain").size == m.n_cells


def test_extrude_keeps_input_regions_through_the_stack():
    base = rectangle(1.0, 1.0, 2, 2).with_regions({"hot": np.array([0])})
    m = extrude(base, [("a", 0.1, 2), ("b", 0.2, 1)])
    assert cell_measures(m)[m.region("hot")].sum() == pytest.approx(0.25 * 0.3)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), nx=st.integers(1, 4), ny=st.integers(1, 4),
       n1=st.integers(1, 3), n2=st.integers(1, 3))
def test_extrude_tets_conform_for_any_node_numbering(seed, nx, ny, n1, n2):
    """The sorted-vertex-index prism split conforms whatever the node numbering and cell
    orientation (CW cells are flipped)."""
    rng = np.random.default_rng(seed)
    base = rectangle(1.0, 1.0, nx, ny, cell="tri3")
    perm = rng.permutation(base.n_points)
    inv = np.argsort(perm)
    cells = inv[base.cells]
    flip = rng.random(base.n_cells) < 0.5
    cells[flip] = cells[flip][:, [0, 2, 1]]
    with_bnd = {k: Boundary(inv[b.facets], b.facet_type) for k, b in base.boundaries.items()}
    m2 = Mesh(base.points[perm], cells, "tri3", {}, with_bnd)
    m = extrude(m2, [("a", 0.3, n1), ("b", 0.7, n2)])
    check_mesh(m)      # includes: every boundary facet is a face of a tet
    assert cell_measures(m).sum() == pytest.approx(1.0)
    counts = _face_counts(m)
    assert counts.max() == 2
    n_outer = sum(m.boundary(k).facets.shape[0] for k in ("bottom", "top", "side"))
    assert (counts == 1).sum() == n_outer


def test_extrude_rejects_bad_input():
    base = rectangle(1, 1, 1, 1)
    for layers in ([], [("a", 0.0, 1)], [("a", 1.0, 0)], [("a", 1, 1), ("a", 1, 1)],
                   [("a|b", 1, 1)], [("a", 1)]):
        with pytest.raises(MeshError):
            extrude(base, layers)
    with pytest.raises(MeshError, match="tri6"):
        extrude(rectangle(1, 1, 1, 1, cell="tri6"), [("a", 1, 1)])
    warped = Mesh(base.points + np.array([[0, 0, 0], [0, 0, 0.1], [0, 0, 0], [0, 0, 0]]),
                  base.cells, "quad4")
    with pytest.raises(MeshError, match="not planar"):
        extrude(warped, [("a", 1, 1)])
