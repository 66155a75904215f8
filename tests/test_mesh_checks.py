"""check_mesh / check_names: each defect is caught with a one-line message naming the source,
the offending node / cell / name and what is allowed; random corruptions never escape as
anything but MeshError."""
from __future__ import annotations

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
    check_names,
    interval,
    rectangle,
    shell,
)


def _replace(mesh: Mesh, *, points=None, cells=None, regions=None, boundaries=None) -> Mesh:
    return Mesh(mesh.points if points is None else points,
                mesh.cells if cells is None else cells, mesh.cell_type,
                mesh.cell_regions if regions is None else regions,
                mesh.boundaries if boundaries is None else boundaries)


def _raises(mesh: Mesh, *patterns: str, **kw) -> str:
    with pytest.raises(MeshError) as info:
        check_mesh(mesh, source="plate.msh", **kw)
    msg = str(info.value)
    assert msg.startswith("plate.msh: ") and "\n" not in msg
    for p in patterns:
        assert p in msg, (p, msg)
    return msg


GOOD = [interval(1.0, 4), interval(1.0, 4, order=2), rectangle(1, 1, 3, 2),
        rectangle(1, 1, 3, 2, cell="tri3"), rectangle(1, 1, 3, 2, cell="tri6"),
        box(1, 1, 1, 2, 2, 2), box(1, 1, 1, 2, 2, 2, cell="tet4"),
        shell(1, 2, 2, 2, normal=(1, 1, 1)), shell(1, 1, 2, 2, cell="tri3", normal=(0, 0, -1))]


@pytest.mark.parametrize("mesh", GOOD, ids=lambda m: m.cell_type)
def test_generated_meshes_pass(mesh):
    check_mesh(mesh)


def test_nan_coordinate_names_the_node():
    m = rectangle(1, 1, 2, 2)
    p = m.points.copy()
    p[4, 1] = np.nan
    _raises(_replace(m, points=p), "node 4", "non-finite", "finite numbers")
    p[4, 1] = np.inf
    _raises(_replace(m, points=p), "node 4")


def test_node_index_out_of_range():
    m = rectangle(1, 1, 2, 2)
    c = m.cells.copy()
    c[3, 2] = 99
    _raises(_replace(m, cells=c), "cell 3", "node 99", "0..8")
    c[3, 2] = -1
    _raises(_replace(m, cells=c), "cell 3", "node -1")


def test_repeated_node_in_a_cell():
    m = rectangle(1, 1, 2, 2, cell="tri3")
    c = m.cells.copy()
    c[5, 2] = c[5, 0]
    _raises(_replace(m, cells=c), "cell 5", "more than once", "distinct")


def test_unused_nodes_are_counted():
    m = rectangle(1, 1, 2, 2)
    p = np.vstack([m.points, [[5, 5, 0], [6, 6, 0]]])
    _raises(_replace(m, points=p), "2 node(s)", "first: node 9")


def test_zero_length_bar_cell_is_degenerate():
    m = interval(1.0, 3)
    p = m.points.copy()
    p[2] = p[1]
    _raises(_replace(m, points=p), "cell 1", "degenerate", "length 0")


def test_collinear_triangle_is_degenerate():
    pts = [[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0]]
    m = Mesh(pts, [[0, 1, 3], [0, 1, 2]], "tri3")
    _raises(m, "cell 1", "degenerate", "area")


def test_degenerate_is_relative_to_cell_size():
    """A tiny but well-shaped cell (1 µm chip feature) is fine; a sliver is not."""
    tiny = rectangle(1e-6, 1e-6, 2, 2)
    check_mesh(tiny)
    pts = [[0, 0, 0], [1, 0, 0], [0.5, 1e-13, 0]]
    _raises(Mesh(pts, [[0, 1, 2]], "tri3"), "degenerate")


def test_flat_tet_and_collapsed_hex_are_degenerate():
    pts = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]]
    _raises(Mesh(pts, [[0, 1, 2, 3]], "tet4"), "cell 0", "degenerate", "volume")
    m = box(1, 1, 1, 1, 1, 1)
    p = m.points.copy()
    p[4:, 2] = 0.0          # top face squashed onto the bottom
    _raises(_replace(m, points=p), "degenerate")


def test_inverted_triangle_in_a_plane():
    m = rectangle(1, 1, 2, 2, cell="tri3")
    c = m.cells.copy()
    c[3] = c[3, [0, 2, 1]]
    _raises(_replace(m, cells=c), "cell 3", "inverted", "counter-clockwise")


def test_non_convex_quad_is_inverted():
    pts = [[0, 0, 0], [2, 0, 0], [0.5, 0.5, 0], [0, 2, 0]]   # corner 2 pushed inside
    _raises(Mesh(pts, [[0, 1, 2, 3]], "quad4"), "inverted")


def test_consistently_clockwise_plane_mesh_is_accepted():
    """A shell facing -z (all cells clockwise seen from +z) is consistently oriented."""
    m = shell(1, 1, 3, 3, normal=(0, 0, -1))
    check_mesh(m)
    c = m.cells.copy()
    c[0] = c[0, [0, 3, 2, 1]]
    _raises(_replace(m, cells=c), "cell 0", "inverted", "clockwise")


def test_inverted_tet_and_hex():
    m = box(1, 1, 1, 2, 1, 1, cell="tet4")
    c = m.cells.copy()
    c[7] = c[7, [0, 2, 1, 3]]
    _raises(_replace(m, cells=c), "cell 7", "inverted", "positive volume")
    h = box(1, 1, 1, 2, 1, 1)
    c = h.cells.copy()
    c[1] = c[1, [4, 5, 6, 7, 0, 1, 2, 3]]       # top and bottom swapped
    _raises(_replace(h, cells=c), "cell 1", "inverted")


def test_shell_in_3d_has_no_orientation_sign_but_twist_is_caught():
    m = shell(1, 1, 2, 2, normal=(1, 0, 1))
    c = m.cells.copy()
    c[0] = c[0, [0, 3, 2, 1]]                   # reversed: fine for a 3D shell
    check_mesh(_replace(m, cells=c, boundaries={}))
    uv = np.array([[0, 0], [3, 3], [3, 0], [0, 1]], float)   # bow-tie with unequal lobes
    bowtie = Mesh(np.column_stack([uv, uv[:, 0]]), [[0, 1, 2, 3]], "quad4")
    _raises(bowtie, "cell 0", "self-intersecting")


def test_region_and_boundary_indices_out_of_range():
    m = rectangle(1, 1, 2, 2)
    _raises(_replace(m, regions={"cells": np.array([0, 7])}), "region 'cells'", "cell 7",
            "0..3")
    bad = Boundary(np.array([[0, 42]]), "line2")
    _raises(_replace(m, boundaries={"left": bad}), "boundary 'left'", "node 42")


def test_boundary_facets_must_be_faces_of_cells():
    m = rectangle(1, 1, 2, 2)
    diag = Boundary(np.array([[0, 4]]), "line2")      # a diagonal, not an edge
    _raises(_replace(m, boundaries={"cut": diag}), "boundary 'cut'", "not a face")
    wrong = Boundary(np.array([[0, 1, 4]]), "tri3")
    _raises(_replace(m, boundaries={"x": wrong}), "facet type 'tri3'", "allowed: line2, quad4")
    h = box(1, 1, 1, 1, 1, 1)
    _raises(h.with_regions(boundaries={"e": Boundary(np.array([[0, 1]]), "line2")}),
            "not allowed on a hex8 mesh", "allowed: quad4")


def test_require_dim_mismatch():
    msg = _raises(rectangle(1, 1, 1, 1, cell="tri3"), require_dim=3)
    assert "needs a 3D mesh, got tri3 (2D)" in msg
    check_mesh(box(1, 1, 1, 1, 1, 1), require_dim=3)


def test_empty_mesh():
    _raises(Mesh(np.zeros((0, 3)), np.zeros((0, 3), int), "tri3"), "no nodes")


def test_check_names_lists_known_names():
    m = rectangle(1, 1, 2, 2).with_regions({"empty": np.zeros(0, int)})
    check_names(m, regions=["domain"], boundaries=("left", "top"))
    with pytest.raises(MeshError, match=r"case.toml: region 'radiator' does not exist; "
                                        r"known regions: \['domain', 'empty'\]"):
        check_names(m, regions=["radiator"], source="case.toml")
    with pytest.raises(MeshError, match="boundary 'west' does not exist.*'left'"):
        check_names(m, boundaries="west")
    with pytest.raises(MeshError, match="region 'empty' has no cells"):
        check_names(m, regions="empty")


def test_hex_volume_exact_for_trilinear_cell():
    """Trilinear hex volume (2x2x2 Gauss is exact) against the divergence theorem
    V = 1/3 ∮ x·n dA evaluated with a fine quadrature on the bilinear faces."""
    rng = np.random.default_rng(3)
    h = box(1, 1, 1, 1, 1, 1)
    p = h.points + 0.15 * rng.standard_normal(h.points.shape)
    m = _replace(h, points=p)
    g, w = np.polynomial.legendre.leggauss(6)
    total = 0.0
    for face in ([0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6],
                 [3, 0, 4, 7]):
        x = p[h.cells[0]][face]
        for a, wa in zip(g, w):
            for b, wb in zip(g, w):
                s, t = (a + 1) / 2, (b + 1) / 2
                pos = (1 - s) * (1 - t) * x[0] + s * (1 - t) * x[1] + s * t * x[2] \
                    + (1 - s) * t * x[3]
                ds = (1 - t) * (x[1] - x[0]) + t * (x[2] - x[3])
                dt = (1 - s) * (x[3] - x[0]) + s * (x[2] - x[1])
                total += wa * wb / 4 * pos @ np.cross(ds, dt) / 3
    assert cell_measures(m)[0] == pytest.approx(total, rel=1e-12)


# --------------------------------------------------------------------------- properties
_BASES = [rectangle(1, 1, 3, 2, cell="tri3"), rectangle(1, 1, 2, 2), box(1, 1, 1, 2, 1, 1),
          box(1, 1, 1, 1, 1, 2, cell="tet4"), interval(1, 3), shell(1, 1, 2, 1, normal=(0, 1, 1))]


def _check_or_mesherror(build):
    try:
        mesh = build()
        check_mesh(mesh, source="fuzz")
    except MeshError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=80, deadline=None)
@given(k=st.integers(0, len(_BASES) - 1), data=st.data())
def test_random_corruptions_raise_only_mesherror(k, data):
    base = _BASES[k]
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    kind = data.draw(st.sampled_from(["nan", "swap", "index", "move", "regions", "facets"]))
    pts, cells = base.points.copy(), base.cells.copy()
    regions, bnd = dict(base.cell_regions), dict(base.boundaries)
    if kind == "nan":
        pts[rng.integers(pts.shape[0]), rng.integers(3)] = rng.choice([np.nan, np.inf, -np.inf])
    elif kind == "swap":
        e = rng.integers(cells.shape[0])
        cells[e] = cells[e, rng.permutation(cells.shape[1])]
    elif kind == "index":
        cells.flat[rng.integers(cells.size)] = rng.integers(-5, pts.shape[0] + 5)
    elif kind == "move":
        pts[rng.integers(pts.shape[0])] += rng.normal(scale=rng.choice([1e-14, 0.3, 3.0]),
                                                      size=3)
    elif kind == "regions":
        regions["r"] = rng.integers(-3, cells.shape[0] + 3, size=rng.integers(0, 5))
    else:
        name = rng.choice(sorted(bnd))
        b = bnd[name]
        bnd[name] = Boundary(rng.integers(-2, pts.shape[0] + 2, size=b.facets.shape),
                             b.facet_type)
    _check_or_mesherror(lambda: Mesh(pts, cells, base.cell_type, regions, bnd))


@settings(max_examples=60, deadline=None)
@given(ctype=st.sampled_from(["line2", "tri3", "quad4", "tet4", "hex8", "tri6"]),
       n_pts=st.integers(0, 12), n_cells=st.integers(0, 6), seed=st.integers(0, 2**32 - 1))
def test_random_index_arrays_raise_only_mesherror(ctype, n_pts, n_cells, seed):
    rng = np.random.default_rng(seed)
    nodes = {"line2": 2, "tri3": 3, "quad4": 4, "tet4": 4, "hex8": 8, "tri6": 6}[ctype]
    pts = rng.normal(size=(n_pts, 3))
    cells = rng.integers(-1, n_pts + 1, size=(n_cells, nodes))
    _check_or_mesherror(lambda: Mesh(pts, cells, ctype))
