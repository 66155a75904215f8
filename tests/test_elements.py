"""Reference elements and quadrature, one element type at a time.

Every check here is a mathematical identity of Lagrange elements (partition of unity,
Kronecker property, polynomial completeness), a finite-difference derivative, or a closed-form
integral of a monomial over a reference cell (formulas next to each test). Cell measures in
physical space are checked against elementary geometry (cross products, determinants).
"""
from __future__ import annotations

from math import factorial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thermosat.fem import kernels
from thermosat.fem.elements import ELEMENTS, element
from thermosat.fem.quadrature import quadrature

ALL = ["vertex", "line2", "line3", "tri3", "tri6", "quad4", "tet4", "hex8", "quad8", "tet10",
       "hex20"]

# Reference-node coordinates in VTK/meshio order (the docstring of thermosat.fem.elements and
# the VTK cell-type documentation): line [0, 1], tri/tet unit simplex, quad/hex [-1, 1]^d.
_Q4 = [[-1, -1], [1, -1], [1, 1], [-1, 1]]
_H8 = [[-1, -1, -1], [1, -1, -1], [1, 1, -1], [-1, 1, -1],
       [-1, -1, 1], [1, -1, 1], [1, 1, 1], [-1, 1, 1]]
NODES = {
    "vertex": np.zeros((1, 0)),
    "line2": np.array([[0.0], [1.0]]),
    "line3": np.array([[0.0], [1.0], [0.5]]),
    "tri3": np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]),
    "tri6": np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.5, 0.0], [0.5, 0.5], [0.0, 0.5]]),
    "quad4": np.array(_Q4, float),
    "tet4": np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    "hex8": np.array(_H8, float),
    # quadratic cells (VTK_QUADRATIC_QUAD / _TETRA / _HEXAHEDRON): corners, then mid-edges
    "quad8": np.array(_Q4 + [[0, -1], [1, 0], [0, 1], [-1, 0]], float),
    "tet10": np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1],
                       [0.5, 0, 0], [0.5, 0.5, 0], [0, 0.5, 0], [0, 0, 0.5], [0.5, 0, 0.5],
                       [0, 0.5, 0.5]]),
    "hex20": np.array(_H8 + [[0, -1, -1], [1, 0, -1], [0, 1, -1], [-1, 0, -1],
                             [0, -1, 1], [1, 0, 1], [0, 1, 1], [-1, 0, 1],
                             [-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], float),
}


def random_reference_points(shape: str, n: int, rng) -> np.ndarray:
    """``n`` points inside the reference cell of ``shape``."""
    if shape == "vertex":
        return np.zeros((n, 0))
    if shape == "line":
        return rng.uniform(0, 1, (n, 1))
    if shape in ("quad", "hex"):
        return rng.uniform(-1, 1, (n, 2 if shape == "quad" else 3))
    d = 2 if shape == "tri" else 3
    # uniform on the simplex: sorted uniforms -> spacings (Devroye, ch. V.2)
    u = np.sort(rng.uniform(0, 1, (n, d)), axis=1)
    return np.diff(np.concatenate([np.zeros((n, 1)), u], axis=1), axis=1)


# ----------------------------------------------------------------------------- shape functions
@pytest.mark.parametrize("name", ALL)
def test_element_metadata_consistent(name):
    el = element(name)
    assert el.name == name
    assert NODES[name].shape == (el.n_nodes, el.dim)
    xi = random_reference_points(el.shape, 5, np.random.default_rng(0))
    assert el.N(xi).shape == (5, el.n_nodes)
    assert el.dN(xi).shape == (5, el.n_nodes, el.dim)
    assert el.degree == {"vertex": 0, "line3": 2, "tri6": 2, "quad8": 2, "tet10": 2,
                         "hex20": 2}.get(name, 1)


def test_unknown_element_named():
    with pytest.raises(ValueError, match="unknown cell type 'pyramid5'"):
        element("pyramid5")


@pytest.mark.parametrize("name", ALL)
def test_partition_of_unity(name):
    """Σ_a N_a(ξ) = 1 and Σ_a ∇N_a(ξ) = 0 everywhere in the cell (Lagrange elements)."""
    el = element(name)
    xi = random_reference_points(el.shape, 200, np.random.default_rng(1))
    np.testing.assert_allclose(el.N(xi).sum(axis=1), 1.0, atol=1e-14)
    np.testing.assert_allclose(el.dN(xi).sum(axis=1), 0.0, atol=1e-13)


@pytest.mark.parametrize("name", ALL)
def test_kronecker_property_at_nodes(name):
    """N_a(ξ_b) = δ_ab: nodal values are the degrees of freedom."""
    el = element(name)
    np.testing.assert_allclose(el.N(NODES[name]), np.eye(el.n_nodes), atol=1e-14)


@pytest.mark.parametrize("name", [n for n in ALL if n != "vertex"])
def test_gradient_matches_finite_differences(name):
    """dN/dξ_k equals the central difference (N(ξ + h e_k) − N(ξ − h e_k)) / 2h.

    The shape functions are polynomials of degree ≤ 2 in each variable, so the central
    difference is exact up to round-off (error ~ ε/h).
    """
    el = element(name)
    xi = random_reference_points(el.shape, 50, np.random.default_rng(2))
    h = 1e-6
    dN = el.dN(xi)
    for k in range(el.dim):
        e = np.zeros(el.dim)
        e[k] = h
        fd = (el.N(xi + e) - el.N(xi - e)) / (2 * h)
        np.testing.assert_allclose(dN[:, :, k], fd, atol=1e-8)


@pytest.mark.parametrize("name", [n for n in ALL if n != "vertex"])
def test_polynomial_completeness(name):
    """Interpolation reproduces every polynomial of the element's degree exactly.

    Linear elements: 1, ξ_k; quadratic (line3, tri6): also all products ξ_k ξ_m;
    multilinear (quad4, hex8): also the products of distinct coordinates.
    """
    el = element(name)
    d = el.dim
    monomials = [lambda x: np.ones(len(x))] + [lambda x, k=k: x[:, k] for k in range(d)]
    if el.degree == 2:
        monomials += [lambda x, k=k, m=m: x[:, k] * x[:, m] for k in range(d) for m in range(k, d)]
    if name in ("quad4", "hex8"):
        monomials += [lambda x, k=k, m=m: x[:, k] * x[:, m] for k in range(d)
                      for m in range(k + 1, d)]
    if name == "hex8":
        monomials.append(lambda x: x[:, 0] * x[:, 1] * x[:, 2])
    xi = random_reference_points(el.shape, 100, np.random.default_rng(3))
    for p in monomials:
        np.testing.assert_allclose(el.N(xi) @ p(NODES[name]), p(xi), atol=1e-13)


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(["tri3", "tri6", "tet4"]),
       bary=st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4))
def test_partition_of_unity_anywhere_on_simplex(name, bary):
    """Property: Σ N_a = 1 at any point of the simplex, including its faces and vertices."""
    el = element(name)
    lam = np.asarray(bary[: el.dim + 1]) + 1e-12
    xi = (lam / lam.sum())[1:][None, :]
    assert abs(el.N(xi).sum() - 1.0) < 1e-14


# ----------------------------------------------------------------------------- quadrature
def _exact_monomial_integral(shape: str, a) -> float:
    """∫ ξ^a over the reference cell.

    line [0, 1]: 1/(a+1); quad/hex [-1, 1]^d: Π 2/(a_k+1) for even a_k, else 0;
    tri: a!b!/(a+b+2)!; tet: a!b!c!/(a+b+c+3)!  (Dirichlet integrals on the unit simplex).
    """
    if shape == "line":
        return 1.0 / (a[0] + 1)
    if shape in ("quad", "hex"):
        return float(np.prod([2.0 / (k + 1) if k % 2 == 0 else 0.0 for k in a]))
    num = np.prod([factorial(k) for k in a])
    return num / factorial(sum(a) + len(a))


def _multi_indices(d: int, total: int):
    if d == 0:
        yield ()
        return
    for k in range(total + 1):
        for rest in _multi_indices(d - 1, total - k):
            yield (k,) + rest


@pytest.mark.parametrize("shape,d", [("line", 1), ("tri", 2), ("quad", 2), ("tet", 3),
                                     ("hex", 3)])
@pytest.mark.parametrize("degree", range(11))
def test_quadrature_exact_for_its_degree(shape, d, degree):
    """The rule of a given degree integrates every monomial of total degree ≤ degree exactly."""
    xi, w = quadrature(shape, degree)
    assert xi.shape == (len(w), d)
    assert np.all(w > 0), "positive weights (Gauss–Legendre / Stroud conical products)"
    for total in range(degree + 1):
        for a in _multi_indices(d, total):
            approx = float(np.sum(w * np.prod(xi ** np.asarray(a), axis=1)))
            assert approx == pytest.approx(_exact_monomial_integral(shape, a), abs=1e-14,
                                           rel=1e-13), (a, approx)


def test_quadrature_points_inside_reference_cells():
    for shape, lo, hi in (("line", 0, 1), ("quad", -1, 1), ("hex", -1, 1)):
        xi, _ = quadrature(shape, 9)
        assert np.all((xi > lo) & (xi < hi))
    for shape in ("tri", "tet"):
        xi, _ = quadrature(shape, 9)
        assert np.all(xi > 0) and np.all(xi.sum(axis=1) < 1)


def test_vertex_rule_is_unit_point():
    xi, w = quadrature("vertex", 3)
    assert xi.shape == (1, 0) and w.tolist() == [1.0]


def test_quadrature_returns_copies():
    """Callers may scale weights in place without corrupting the cached rule."""
    _, w = quadrature("tri", 4)
    w *= 0.0
    assert quadrature("tri", 4)[1].sum() == pytest.approx(0.5)


# ----------------------------------------------------------------------------- mapped cells
def _random_rotation(rng) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q *= np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def _measure(points, cell_type, degree=4):
    el = element(cell_type)
    xi, w = quadrature(el.shape, degree)
    conn = np.arange(len(points), dtype=np.int64)[None, :]
    return kernels.measure_weights(np.ascontiguousarray(points, float), conn,
                                   el.dN(xi), w).sum()


def test_cell_measures_in_3d_match_geometry():
    """Lengths, areas and volumes of cells placed anywhere in 3D by the metric √det(JᵀJ).

    References: |b − a| for a segment; ½|(b−a)×(c−a)| for a triangle; the shoelace area of a
    planar quad; |det| / 6 for a tetrahedron; |det(edges)| for a parallelepiped hex.
    """
    rng = np.random.default_rng(4)
    Q = _random_rotation(rng)
    shift = np.array([3.0, -2.0, 7.0])
    a, b, c, d = rng.normal(size=(4, 3))
    assert _measure(np.array([a, b]), "line2") == pytest.approx(np.linalg.norm(b - a), rel=1e-13)
    assert _measure(np.array([a, b, (a + b) / 2]), "line3") == pytest.approx(
        np.linalg.norm(b - a), rel=1e-13)
    tri = np.array([a, b, c])
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a))
    assert _measure(tri, "tri3") == pytest.approx(area, rel=1e-13)
    mids = np.array([(a + b) / 2, (b + c) / 2, (c + a) / 2])
    assert _measure(np.vstack([tri, mids]), "tri6") == pytest.approx(area, rel=1e-13)
    # a convex, non-parallelogram quad in the plane z = 0, then rotated into 3D
    quad2d = np.array([[0.0, 0.0, 0], [2.0, 0.1, 0], [1.7, 1.3, 0], [0.2, 0.9, 0]])
    x, y = quad2d[:, 0], quad2d[:, 1]
    shoelace = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    assert _measure(quad2d @ Q.T + shift, "quad4") == pytest.approx(shoelace, rel=1e-13)
    tet = np.array([a, b, c, d])
    vol = abs(np.linalg.det(np.array([b - a, c - a, d - a]))) / 6
    assert _measure(tet, "tet4") == pytest.approx(vol, rel=1e-12)
    E = np.array([[1.0, 0.2, 0.1], [0.3, 2.0, 0.0], [0.1, -0.2, 0.7]])  # edge vectors (rows)
    hexp = np.array(_H8, float)
    hexp = a + 0.5 * (hexp + 1) @ E
    assert _measure(hexp, "hex8") == pytest.approx(abs(np.linalg.det(E)), rel=1e-12)


def test_distorted_hex_volume_by_divergence_theorem():
    """A trilinear hex with a warped top face: V = ∫ z dA over the top face (flat bottom at z=0,
    vertical sides) = the bilinear mean of the top heights for a unit-square footprint."""
    heights = np.array([1.0, 1.4, 0.8, 1.1])  # z of the top corners 4..7
    pts = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]] * 2, float)
    pts[4:, 2] = heights
    assert _measure(pts, "hex8") == pytest.approx(heights.mean(), rel=1e-13)


@pytest.mark.parametrize("name", ["line2", "line3", "tri3", "tri6", "quad4", "tet4", "hex8",
                                  "quad8", "tet10", "hex20"])
def test_physical_gradient_of_linear_field_on_distorted_cell(name):
    """∇T of T = c + g·x computed by the isoparametric map J G⁻¹ dN equals g exactly,
    for cells rotated into 3D (surface/line gradients are the tangential part of g)."""
    rng = np.random.default_rng(5)
    el = element(name)
    ref = NODES[name]
    # distort: random affine map plus a perturbation of each vertex (midpoints stay midpoints)
    X = np.zeros((el.n_nodes, 3))
    X[:, : el.dim] = ref
    X = X @ (np.eye(3) + 0.2 * rng.normal(size=(3, 3))).T
    n_vert = {"line3": 2, "tri6": 3}.get(name, el.n_nodes)
    if name not in ("tri3", "tet4", "line2"):
        # isoparametric cells reproduce linear fields for any node positions
        X[:n_vert, : el.dim] += (0.05 if el.degree == 2 else 0.1) * rng.normal(size=(n_vert, el.dim))
    if name == "line3":
        X[2] = 0.5 * (X[0] + X[1])
    if name == "tri6":
        X[3:] = 0.5 * (X[[0, 1, 2]] + X[[1, 2, 0]])
    X = X @ _random_rotation(rng).T
    g = np.array([1.5, -2.0, 0.7])
    T = 300.0 + X @ g
    centre = {"line": [0.5], "tri": [1 / 3, 1 / 3], "quad": [0.0, 0.0],
              "tet": [0.25] * 3, "hex": [0.0] * 3}[el.shape]
    grad = kernels.cell_gradients(X, np.arange(el.n_nodes, dtype=np.int64)[None, :],
                                  el.dN(np.array([centre]))[0], T)[0]
    # tangent space of the cell at the centre: columns of J
    J = X.T @ el.dN(np.array([centre]))[0]
    P = J @ np.linalg.solve(J.T @ J, J.T)  # orthogonal projector onto the tangent space
    np.testing.assert_allclose(grad, P @ g, atol=1e-11)


def test_every_registered_element_is_covered():
    assert set(ELEMENTS) == set(ALL)
