"""Global assembly: element matrices by hand, scikit-fem cross-checks, CSR pattern and patch tests.

Sources of the reference numbers
--------------------------------
* Element matrices of linear elements (line2, tri3, tet4, rectangular quad4/hex8 as tensor
  products of the 1D matrices): Zienkiewicz, Taylor & Zhu, *The Finite Element Method*, 7th ed.,
  vol. 1, ch. 3–6; Hughes, *The Finite Element Method*, §3.  The 1D building blocks are
  K = [1 −1; −1 1]/L and M = L/6·[2 1; 1 2].
* Quadratic elements: line3 K = 1/(3L)·[7 1 −8; 1 7 −8; −8 −8 16], M = L/30·[4 −1 2; −1 4 2;
  2 2 16]; tri6 consistent mass A/180·[6 −1 −1 0 −4 0; …; 0 0 −4 32 16 16; …] and HRZ lumping
  3/57 (corners), 16/57 (midsides) of the element capacity (Hinton, Rock & Zienkiewicz 1976).
* scikit-fem (``skfem.models.poisson.laplace``/``mass``) on the same mesh.
* Patch test: Irons & Razzaque (1972); a linear field must be reproduced exactly on any
  mesh (including distorted and embedded-in-3D ones); quadratic elements must also reproduce
  quadratic fields.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.spatial import cKDTree

from thermosat import Model
from thermosat.fem.pattern import build_pattern
from thermosat.mesh.core import Boundary, Mesh
from thermosat.mesh.generators import box, interval, polyline, rectangle, shell

K_W_MK = 3.0        # conductivity used throughout (W/m/K)
THICK_M = 2e-3      # plate thickness (m)
AREA_M2 = 1e-4      # bar cross-section (m²)
RHO, CP = 2700.0, 900.0   # aluminium-like density (kg/m³) and specific heat (J/kg/K)


def _rotation(seed=0) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(3, 3)))
    q *= np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


def _element_model(points, cell_type):
    """A model of a single cell with k = K_W_MK and ρc = RHO·CP."""
    mesh = Mesh(np.asarray(points, float), np.arange(len(points))[None, :], cell_type)
    m = Model(mesh)
    kw = {2: {"thickness_m": THICK_M}, 1: {"area_m2": AREA_M2}}.get(mesh.dim, {})
    m.material(conductivity=K_W_MK, density=RHO, specific_heat=CP, **kw)
    s = m.build()
    return s.A.toarray(), s.capacitance().toarray(), s.capacitance(lumped=True)


# ============================================================================ element matrices
def test_line2_element_matrices_in_3d():
    """Bar along an arbitrary 3D direction: K = kA/L [1 −1; −1 1], M = ρcAL/6 [2 1; 1 2]."""
    a, b = np.array([0.1, 0.2, -0.3]), np.array([0.5, -0.4, 0.9])
    L = np.linalg.norm(b - a)
    K, M, ML = _element_model([a, b], "line2")
    np.testing.assert_allclose(K, K_W_MK * AREA_M2 / L * np.array([[1, -1], [-1, 1]]), rtol=1e-13)
    np.testing.assert_allclose(M, RHO * CP * AREA_M2 * L / 6 * np.array([[2, 1], [1, 2]]),
                               rtol=1e-13)
    np.testing.assert_allclose(ML, RHO * CP * AREA_M2 * L / 2 * np.ones(2), rtol=1e-13)


def test_line3_element_matrices():
    """line3 [v0, v1, mid]: K = kA/(3L)[7 1 −8; 1 7 −8; −8 −8 16], M = ρcAL/30[4 −1 2; …],
    HRZ lumping = Simpson weights (1/6, 1/6, 2/3)."""
    a, b = np.array([0.0, 0.0, 0.0]), np.array([0.3, 0.4, 0.0])  # L = 0.5 m
    L = 0.5
    K, M, ML = _element_model([a, b, (a + b) / 2], "line3")
    np.testing.assert_allclose(K, K_W_MK * AREA_M2 / (3 * L) * np.array(
        [[7, 1, -8], [1, 7, -8], [-8, -8, 16]]), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(M, RHO * CP * AREA_M2 * L / 30 * np.array(
        [[4, -1, 2], [-1, 4, 2], [2, 2, 16]]), rtol=1e-12)
    np.testing.assert_allclose(ML, RHO * CP * AREA_M2 * L * np.array([1 / 6, 1 / 6, 2 / 3]),
                               rtol=1e-12)


def test_tri3_element_matrices_on_tilted_plate():
    """Triangle with in-plane coordinates (x_i, y_i), rotated into 3D:
    K = k t/(4A) (b bᵀ + c cᵀ), b_i = y_j − y_k, c_i = x_k − x_j (cyclic);
    M = ρ c t A/12 [2 1 1; 1 2 1; 1 1 2]; lumped ρ c t A/3 per node."""
    xy = np.array([[0.0, 0.0], [0.7, 0.1], [0.2, 0.5]])
    x, y = xy[:, 0], xy[:, 1]
    A = 0.5 * ((x[1] - x[0]) * (y[2] - y[0]) - (x[2] - x[0]) * (y[1] - y[0]))
    bb = np.array([y[1] - y[2], y[2] - y[0], y[0] - y[1]])
    cc = np.array([x[2] - x[1], x[0] - x[2], x[1] - x[0]])
    K_ref = K_W_MK * THICK_M / (4 * A) * (np.outer(bb, bb) + np.outer(cc, cc))
    M_ref = RHO * CP * THICK_M * A / 12 * (np.ones((3, 3)) + np.eye(3))
    pts = np.c_[xy, np.zeros(3)] @ _rotation(1).T + np.array([1.0, 2.0, 3.0])
    K, M, ML = _element_model(pts, "tri3")
    np.testing.assert_allclose(K, K_ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(M, M_ref, rtol=1e-12)
    np.testing.assert_allclose(ML, RHO * CP * THICK_M * A / 3, rtol=1e-12)


def test_tri6_element_matrices():
    """Unit right triangle (A = 1/2): K = k t/6 [6 1 1 −4 0 −4; 1 3 0 −4 0 0; 1 0 3 0 0 −4;
    −4 −4 0 16 −8 0; 0 0 0 −8 16 −8; −4 0 −4 0 −8 16] (hand integration of the P2 basis,
    identical to scikit-fem ElementTriP2); M = ρ c t A/180 [...]; HRZ 3/57 and 16/57."""
    p = np.array([[0, 0], [1, 0], [0, 1], [0.5, 0], [0.5, 0.5], [0, 0.5]], float)
    K, M, ML = _element_model(p, "tri6")
    K_ref = np.array([[6, 1, 1, -4, 0, -4], [1, 3, 0, -4, 0, 0], [1, 0, 3, 0, 0, -4],
                      [-4, -4, 0, 16, -8, 0], [0, 0, 0, -8, 16, -8], [-4, 0, -4, 0, -8, 16]]) / 6
    M_ref = np.array([[6, -1, -1, 0, -4, 0], [-1, 6, -1, 0, 0, -4], [-1, -1, 6, -4, 0, 0],
                      [0, 0, -4, 32, 16, 16], [-4, 0, 0, 16, 32, 16], [0, -4, 0, 16, 16, 32]])
    np.testing.assert_allclose(K, K_W_MK * THICK_M * K_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(M, RHO * CP * THICK_M * 0.5 / 180 * M_ref, rtol=1e-12, atol=1e-9)
    cap = RHO * CP * THICK_M * 0.5
    np.testing.assert_allclose(ML, cap * np.array([3, 3, 3, 16, 16, 16]) / 57, rtol=1e-12)


def _tensor_matrices(sizes, ref_nodes):
    """Rectangle/box element matrices as tensor products of the 1D ones on [0, h]:
    K = Σ_d (Π_{e≠d} h_e)/h_d · k1_d ⊗ Π m1_e with k1 = ±1 (same/other end), m1 = 1/3 or 1/6."""
    s = np.sign(ref_nodes)  # ±1 per direction
    same = s[:, None, :] == s[None, :, :]
    m1 = np.where(same, 1 / 3, 1 / 6)
    k1 = np.where(same, 1.0, -1.0)
    d = len(sizes)
    vol = np.prod(sizes)
    M = vol * np.prod(m1, axis=2)
    K = np.zeros_like(M)
    for i in range(d):
        others = np.prod(np.delete(m1, i, axis=2), axis=2)
        K += vol / sizes[i] ** 2 * k1[:, :, i] * others
    return K, M


def test_quad4_rectangle_element_matrices():
    """a×b rectangle: K = k t [b/a k1⊗m1 + a/b m1⊗k1], M = ρ c t ab/36 [4 2 1 2; …]."""
    a, b = 0.4, 0.25
    ref = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], float)
    pts = np.c_[(ref + 1) / 2 * [a, b], np.zeros(4)] @ _rotation(2).T
    K, M, ML = _element_model(pts, "quad4")
    K_ref, M_ref = _tensor_matrices([a, b], ref)
    np.testing.assert_allclose(K, K_W_MK * THICK_M * K_ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(M, RHO * CP * THICK_M * M_ref, rtol=1e-12)
    np.testing.assert_allclose(M_ref * 36 / (a * b), [[4, 2, 1, 2], [2, 4, 2, 1], [1, 2, 4, 2],
                                                      [2, 1, 2, 4]], rtol=1e-12)
    np.testing.assert_allclose(ML, RHO * CP * THICK_M * a * b / 4, rtol=1e-12)


def test_hex8_box_element_matrices():
    """a×b×c box: tensor products of the 1D matrices; lumped ρ c abc/8 per node."""
    a, b, c = 0.3, 0.2, 0.5
    ref = np.array([[-1, -1, -1], [1, -1, -1], [1, 1, -1], [-1, 1, -1],
                    [-1, -1, 1], [1, -1, 1], [1, 1, 1], [-1, 1, 1]], float)
    K, M, ML = _element_model((ref + 1) / 2 * [a, b, c], "hex8")
    K_ref, M_ref = _tensor_matrices([a, b, c], ref)
    np.testing.assert_allclose(K, K_W_MK * K_ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(M, RHO * CP * M_ref, rtol=1e-12)
    np.testing.assert_allclose(ML, RHO * CP * a * b * c / 8, rtol=1e-12)


def test_tet4_element_matrices():
    """K = k V ∇N ∇Nᵀ with ∇N the rows 2–4 of [1 x y z]⁻¹ transposed; M = ρ c V/20 (1 + δ_ab)."""
    X = np.array([[0.0, 0, 0], [0.6, 0.1, 0.0], [0.1, 0.5, 0.1], [0.2, 0.1, 0.7]])
    C = np.c_[np.ones(4), X]
    V = np.linalg.det(C) / 6
    G = np.linalg.inv(C)[1:].T  # (4, 3) gradients of the barycentric coordinates
    K, M, ML = _element_model(X, "tet4")
    np.testing.assert_allclose(K, K_W_MK * V * G @ G.T, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(M, RHO * CP * V / 20 * (np.ones((4, 4)) + np.eye(4)), rtol=1e-12)
    np.testing.assert_allclose(ML, RHO * CP * V / 4, rtol=1e-12)


# ============================================================================ meshes
def _distort(mesh: Mesh, amount: float, seed: int = 0, fixed: np.ndarray | None = None,
             plane: tuple[np.ndarray, np.ndarray] | None = None) -> Mesh:
    """Move interior vertices randomly by up to ``amount`` (m), keep midside nodes at the middle
    of straight edges. ``plane = (u, v)`` keeps a shell in its plane."""
    rng = np.random.default_rng(seed)
    pts = mesh.points.copy()
    nv = {"line3": 2, "tri6": 3}.get(mesh.cell_type, mesh.cells.shape[1])
    verts = np.unique(mesh.cells[:, :nv])
    if fixed is None:
        fixed = np.unique(np.concatenate([b.facets.ravel() for b in mesh.boundaries.values()
                                          if b.facets.shape[1] < mesh.cells.shape[1]
                                          or b.facet_type == "vertex"]))
    move = np.setdiff1d(verts, fixed)
    if plane is None:
        d = rng.uniform(-amount, amount, (len(move), 3))
        d[:, mesh.dim:] = 0.0 if mesh.dim < 3 else d[:, mesh.dim:]
    else:
        uv = rng.uniform(-amount, amount, (len(move), 2))
        d = uv[:, :1] * plane[0] + uv[:, 1:] * plane[1]
    pts[move] += d
    if mesh.cell_type == "tri6":
        c = mesh.cells
        for k, (i, j) in enumerate(((0, 1), (1, 2), (2, 0))):
            pts[c[:, 3 + k]] = 0.5 * (pts[c[:, i]] + pts[c[:, j]])
    if mesh.cell_type == "line3":
        c = mesh.cells
        pts[c[:, 2]] = 0.5 * (pts[c[:, 0]] + pts[c[:, 1]])
    return Mesh(pts, mesh.cells, mesh.cell_type, mesh.cell_regions, mesh.boundaries)


def _tilted_bar(cell: str, n: int = 7) -> Mesh:
    """A bar of length 1.3 m along a 3D direction with non-uniform spacing."""
    base = interval(1.3, n, order=1 if cell == "line2" else 2)
    x = base.points[:, 0]
    x = 1.3 * (x / 1.3) ** 1.4  # graded nodes (line3 midpoints re-centred below)
    direction = np.array([1.0, 2.0, -0.5]) / np.linalg.norm([1.0, 2.0, -0.5])
    pts = np.array([0.2, -0.1, 0.4]) + x[:, None] * direction
    if cell == "line3":
        c = base.cells
        pts[c[:, 2]] = 0.5 * (pts[c[:, 0]] + pts[c[:, 1]])
    return Mesh(pts, base.cells, base.cell_type, base.cell_regions, base.boundaries)


SHELL_NORMAL = np.array([1.0, 1.0, 1.0]) / np.sqrt(3.0)


def _patch_meshes():
    """(id, mesh, Dirichlet boundaries, material keywords) for every element type."""
    out = []
    for cell in ("line2", "line3"):
        out.append((f"{cell}-tilted-3d", _tilted_bar(cell), ["left", "right"],
                    {"area_m2": AREA_M2}))
    for cell in ("tri3", "quad4", "tri6"):
        out.append((f"{cell}-distorted", _distort(rectangle(1.0, 0.6, 5, 4, cell=cell), 0.05),
                    ["all"], {"thickness_m": THICK_M}))
        sh = shell(1.0, 0.6, 5, 4, cell=cell, normal=SHELL_NORMAL, origin=(0.3, -0.2, 0.1))
        u = sh.points[1] - sh.points[0]
        u /= np.linalg.norm(u)
        v = np.cross(SHELL_NORMAL, u)
        out.append((f"{cell}-shell-tilted", _distort(sh, 0.05, plane=(u, v)), ["all"],
                    {"thickness_m": THICK_M}))
    for cell in ("tet4", "hex8"):
        out.append((f"{cell}-distorted", _distort(box(1.0, 0.7, 0.5, 4, 3, 3, cell=cell), 0.06),
                    ["all"], {}))
    return out


PATCH = _patch_meshes()


def _solve_with_boundary_values(mesh, boundaries, T_exact, mat, source=None):
    m = Model(mesh)
    m.material(conductivity=K_W_MK, **mat)
    for b in boundaries:
        nodes = np.unique(mesh.boundary(b).facets)
        m.fixed_temperature(b, T_exact(mesh.points[nodes]))
    if source is not None:
        m.heat_source(q_w_m3=source)
    return m.solve_steady()


@pytest.mark.parametrize("case", PATCH, ids=[p[0] for p in PATCH])
def test_patch_linear_field_reproduced_exactly(case):
    """T = 300 + g·x prescribed on the boundary is reproduced at every interior node."""
    _, mesh, boundaries, mat = case
    g = np.array([40.0, -25.0, 15.0])  # K/m

    def exact(x):
        return 300.0 + x @ g

    res = _solve_with_boundary_values(mesh, boundaries, exact, mat)
    np.testing.assert_allclose(res.T, exact(mesh.points), rtol=0, atol=1e-9)
    assert res.convergence.converged
    assert res.energy.imbalance_rel < 1e-8


def test_bent_pipe_temperature_linear_in_arc_length():
    """A bar bent along a 3D polyline conducts along its length: with both ends held, T is
    linear in arc length s and the heat flow is k A ΔT / S (S the total length)."""
    corners = np.array([[0, 0, 0], [0.5, 0.1, 0.2], [0.9, 0.6, 0.1], [0.7, 1.0, 0.8]])
    mesh = polyline(corners, [3, 4, 2])
    s = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(mesh.points, axis=0), axis=1))])
    S = s[-1]
    assert S == pytest.approx(np.linalg.norm(np.diff(corners, axis=0), axis=1).sum(), rel=1e-12)
    m = Model(mesh)
    m.material(conductivity=K_W_MK, area_m2=AREA_M2)
    m.fixed_temperature("inlet", 350.0)
    m.fixed_temperature("outlet", 300.0)
    res = m.solve_steady()
    np.testing.assert_allclose(res.T, 350.0 - 50.0 * s / S, rtol=1e-13)
    q = K_W_MK * AREA_M2 * 50.0 / S
    assert res.energy.heat_in["fixed_temperature"] == pytest.approx(q, rel=1e-10)
    assert res.energy.heat_out["fixed_temperature:out"] == pytest.approx(q, rel=1e-10)
    assert res.energy.imbalance_rel < 1e-12


@pytest.mark.parametrize("case", [p for p in PATCH if p[1].cell_type in ("line3", "tri6")],
                         ids=[p[0] for p in PATCH if p[1].cell_type in ("line3", "tri6")])
def test_quadratic_elements_reproduce_quadratic_field(case):
    """−k ∇²T = q with T = 300 + g·x + a(s_1² − s_2²) − q/(2 d k) |s|² (s in-plane/along-bar
    coordinates, d the dimension): quadratic, so line3/tri6 reproduce it exactly."""
    _, mesh, boundaries, mat = case
    q = 600.0  # W/m³ (curvature q/(2dk) ≤ 100 K/m², keeps T > 0 K)
    origin = mesh.points[0]
    if mesh.dim == 1:
        t = mesh.points[-1] - origin
        axes = [t / np.linalg.norm(t)]
    else:
        u = mesh.points[1] - origin
        u /= np.linalg.norm(u)
        nrm = np.cross(u, mesh.points[mesh.cells[0, 2]] - origin)
        v = np.cross(nrm / np.linalg.norm(nrm), u)
        axes = [u, v]
    d = len(axes)

    def exact(x):
        s = [(x - origin) @ ax for ax in axes]
        harmonic = 7.0 * (s[0] ** 2 - s[1] ** 2) + 5.0 * s[0] * s[1] if d == 2 else 0.0
        return (500.0 + 20.0 * s[0] + harmonic
                - q / (2 * d * K_W_MK) * sum(si ** 2 for si in s))

    res = _solve_with_boundary_values(mesh, boundaries, exact, mat, source=q)
    np.testing.assert_allclose(res.T, exact(mesh.points), rtol=0, atol=1e-9)


@pytest.mark.parametrize("cell", ["tri3", "quad4", "tet4", "hex8"])
def test_linear_elements_do_not_reproduce_quadratic_field(cell):
    """Control for the test above: on a distorted mesh a linear element misses a harmonic
    quadratic field, so reproducing it is not trivial. (On uniform grids the nodal values can be
    exact by superconvergence, hence the distortion.)"""
    mesh = {"tri3": rectangle(1.0, 0.6, 5, 4, cell="tri3"),
            "quad4": rectangle(1.0, 0.6, 5, 4, cell="quad4"),
            "tet4": box(1.0, 0.7, 0.5, 3, 3, 3, cell="tet4"),
            "hex8": box(1.0, 0.7, 0.5, 3, 3, 3)}[cell]
    mesh = _distort(mesh, 0.05)
    mat = {2: {"thickness_m": THICK_M}}.get(mesh.dim, {})

    def exact(x):
        return 400.0 + 50.0 * (x[:, 0] ** 2 - x[:, 1] ** 2)

    res = _solve_with_boundary_values(mesh, ["all"], exact, mat)
    assert np.max(np.abs(res.T - exact(mesh.points))) > 1e-4


# ============================================================================ vs scikit-fem
def _skfem_matrices(mesh: Mesh):
    """Laplace and mass matrices from scikit-fem on the same mesh, permuted to our numbering
    by matching degree-of-freedom coordinates."""
    skfem = pytest.importorskip("skfem")
    from skfem.io.meshio import from_meshio
    from skfem.models.poisson import laplace, mass

    from thermosat.mesh.vtk import to_meshio

    if mesh.cell_type == "tri6":
        verts, inv = np.unique(mesh.cells[:, :3], return_inverse=True)
        sm = skfem.MeshTri(mesh.points[verts, :2].T.copy(), inv.reshape(-1, 3).T.copy())
    else:
        sm = from_meshio(to_meshio(mesh, {}, {}))
    el = {"tri3": skfem.ElementTriP1(), "tri6": skfem.ElementTriP2(),
          "quad4": skfem.ElementQuad1(), "tet4": skfem.ElementTetP1(),
          "hex8": skfem.ElementHex1()}[mesh.cell_type]
    # same Gauss rule as thermosat's stiffness (2 points per direction for quad4/hex8), which
    # matters on distorted quads where the integrand is rational
    basis = skfem.Basis(sm, el, intorder=2 if mesh.cell_type in ("quad4", "hex8") else 4)
    locs = np.zeros((basis.N, 3))
    locs[:, : basis.doflocs.shape[0]] = basis.doflocs.T
    dist, perm = cKDTree(locs).query(mesh.points)
    assert dist.max() < 1e-12 and len(np.unique(perm)) == mesh.n_points == basis.N
    K = laplace.assemble(basis)[perm][:, perm]
    M = mass.assemble(basis)[perm][:, perm]
    return K, M


@pytest.mark.parametrize("cell,mesh", [
    ("tri3", _distort(rectangle(1.0, 0.6, 12, 8, cell="tri3"), 0.02)),
    ("tri6", _distort(rectangle(1.0, 0.6, 6, 4, cell="tri6"), 0.03)),
    ("quad4", _distort(rectangle(1.0, 0.6, 12, 8, cell="quad4"), 0.02)),
    ("tet4", _distort(box(1.0, 0.7, 0.5, 4, 3, 3, cell="tet4"), 0.04)),
    ("hex8", _distort(box(1.0, 0.7, 0.5, 4, 3, 3, cell="hex8"), 0.04)),
], ids=["tri3", "tri6", "quad4", "tet4", "hex8"])
def test_assembly_equals_scikit_fem(cell, mesh):
    """Conductance (k = 1, t = 1) and capacitance (ρc = 1) match scikit-fem to round-off."""
    K_ref, M_ref = _skfem_matrices(mesh)
    m = Model(mesh)
    m.material(conductivity=1.0, density=1.0, specific_heat=1.0,
               **({"thickness_m": 1.0} if mesh.dim == 2 else {}))
    s = m.build()
    K, M = s.A, s.capacitance()
    assert abs(K - K_ref).max() <= 1e-12 * abs(K_ref).max()
    assert abs(M - M_ref).max() <= 1e-12 * abs(M_ref).max()


# ============================================================================ global properties
GLOBAL = [("line3", _tilted_bar("line3")), ("tri3", rectangle(1, 0.6, 5, 4, cell="tri3")),
          ("tri6", rectangle(1, 0.6, 3, 2, cell="tri6")),
          ("quad4", _distort(rectangle(1, 0.6, 5, 4), 0.05)),
          ("tet4", box(1, 0.7, 0.5, 3, 2, 2, cell="tet4")),
          ("hex8", _distort(box(1, 0.7, 0.5, 3, 2, 2), 0.05))]


@pytest.mark.parametrize("cell,mesh", GLOBAL, ids=[g[0] for g in GLOBAL])
def test_global_conductance_and_capacitance_properties(cell, mesh):
    """K is symmetric positive semi-definite with K·1 = 0 (a uniform field carries no heat);
    1ᵀ M 1 = Σ lumped = ρ c × volume (× thickness or cross-section)."""
    mat = {1: {"area_m2": AREA_M2}, 2: {"thickness_m": THICK_M}}.get(mesh.dim, {})
    m = Model(mesh)
    m.material(conductivity=K_W_MK, density=RHO, specific_heat=CP, **mat)
    s = m.build()
    K = s.A.toarray()
    np.testing.assert_allclose(K, K.T, atol=1e-14 * abs(K).max())
    np.testing.assert_allclose(K.sum(axis=1), 0.0, atol=1e-12 * abs(K).max())
    assert np.linalg.eigvalsh(K).min() > -1e-12 * abs(K).max()
    cells = s.terms[0].cells
    volume = cells.measure.sum()  # includes thickness / cross-section
    M = s.capacitance()
    assert M.sum() == pytest.approx(RHO * CP * volume, rel=1e-12)
    lumped = s.capacitance(lumped=True)
    assert lumped.sum() == pytest.approx(RHO * CP * volume, rel=1e-12)
    assert np.all(lumped > 0), "HRZ lumping keeps every nodal capacity positive"


# ============================================================================ CSR pattern
def test_pattern_structure_and_slots():
    """Sorted int32 CSR; every slot points at (conn[e, a], conn[e, b]); diagonal slots right;
    nnz equals the number of distinct node pairs sharing a cell."""
    mesh = rectangle(1.0, 0.5, 7, 5, cell="tri6")
    conn = mesh.cells.astype(np.int64)
    pat = build_pattern(mesh.n_points, [conn])
    assert pat.indices.dtype == np.int32 and pat.indptr.dtype == np.int32
    for i in range(pat.n):
        row = pat.indices[pat.indptr[i]:pat.indptr[i + 1]]
        assert np.all(np.diff(row) > 0)
    np.testing.assert_array_equal(pat.indices[pat.diag], np.arange(pat.n))
    slots = pat.slots(conn)
    np.testing.assert_array_equal(pat.rows[slots], np.broadcast_to(conn[:, :, None], slots.shape))
    np.testing.assert_array_equal(pat.indices[slots],
                                  np.broadcast_to(conn[:, None, :], slots.shape))
    pairs = {(a, b) for c in conn for a in c for b in c}
    assert pat.nnz == len(pairs)


def test_pattern_unions_blocks_and_keeps_isolated_diagonal():
    """Blocks of different cell types merge into one pattern; a node no cell touches still gets
    its diagonal entry (so Dirichlet rows can be set)."""
    pat = build_pattern(6, [np.array([[0, 1], [1, 2]]), np.array([[2, 3, 4]])])
    A = pat.matrix(np.ones(pat.nnz)).toarray()
    expected = np.zeros((6, 6))
    for blk in ([0, 1], [1, 2], [2, 3, 4], [5]):
        expected[np.ix_(blk, blk)] = 1.0
    np.testing.assert_array_equal(A, expected)


def test_pattern_matches_scipy_coo_assembly():
    """Filling through the slot map equals scipy's COO→CSR sum of the same element blocks."""
    mesh = _distort(box(1, 1, 1, 3, 3, 2), 0.05)
    m = Model(mesh)
    m.material(conductivity=K_W_MK)
    s = m.build()
    term = s.terms[0]
    conn = term.cells.conn
    rng = np.random.default_rng(7)
    blocks = rng.normal(size=(len(conn), 8, 8))
    data = s.pattern.zeros()
    np.add.at(data, term.cells.slots.ravel(), blocks.ravel())
    rows = np.broadcast_to(conn[:, :, None], blocks.shape).ravel()
    cols = np.broadcast_to(conn[:, None, :], blocks.shape).ravel()
    ref = sp.coo_matrix((blocks.ravel(), (rows, cols)), shape=(s.n, s.n)).tocsr()
    assert abs(s.pattern.matrix(data) - ref).max() < 1e-12


def test_refilling_pattern_gives_identical_matrices():
    """The pattern is built once; refilling the data array reproduces the matrix bit for bit,
    and the scipy matrix shares the data array (no copy)."""
    mesh = rectangle(1.0, 0.5, 9, 6, cell="quad4")
    m = Model(mesh)
    m.material(conductivity=K_W_MK, thickness_m=THICK_M, density=RHO, specific_heat=CP)
    m.convection("left", 10.0, 280.0)
    s = m.build()
    first = s.A_data.copy()
    for _ in range(3):
        data = s.pattern.zeros()
        for term in s.terms:
            term.add_matrix(data)
        np.testing.assert_array_equal(data, first)
    A = s.pattern.matrix(first)
    assert np.shares_memory(A.data, first)
    assert A.indices is s.pattern.indices or np.shares_memory(A.indices, s.pattern.indices)
    assert m.build() is s, "the system is cached until the model changes"
    C1, C2 = s.capacitance().toarray(), s.capacitance().toarray()
    np.testing.assert_array_equal(C1, C2)
    m.convection("right", 5.0, 250.0)
    assert m.build() is not s, "changing the model rebuilds the system"


def test_nonlinear_tangent_refill_is_reproducible():
    """Residual and tangent of a nonlinear (k(T), radiation) system are pure functions of T."""
    mesh = rectangle(1.0, 0.5, 6, 4, cell="tri3")
    m = Model(mesh)
    m.material(conductivity=[(200.0, 150.0), (400.0, 100.0)], thickness_m=THICK_M)
    m.radiation("top", 0.8)
    m.heat_flux("bottom", 2000.0)
    s = m.build()
    T = 300.0 + 20.0 * np.random.default_rng(3).random(s.n)
    F = s.load(0.0)
    R1, d1, _ = s.residual(T, 0.0, F)
    R2, d2, _ = s.residual(T, 0.0, F)
    np.testing.assert_array_equal(R1, R2)
    np.testing.assert_array_equal(d1, d2)


# ============================================================================ multi-part models
def test_multi_part_model_offsets_names_and_independence():
    """Two parts in one model: node offsets, ``part/boundary`` names, a block-diagonal system,
    and each part's solution equal to the same part solved alone."""
    bar = interval(1.0, 8)
    plate = rectangle(0.5, 0.3, 5, 3, cell="quad4")

    def setup_bar(m, prefix=""):
        m.material(f"{prefix}domain" if prefix else None, conductivity=5.0, area_m2=AREA_M2)
        m.fixed_temperature(f"{prefix}left", 300.0)
        m.heat_flux(f"{prefix}right", 1.0e4)

    def setup_plate(m, prefix=""):
        m.material(f"{prefix}domain" if prefix else None, conductivity=K_W_MK,
                   thickness_m=THICK_M)
        m.fixed_temperature(f"{prefix}left", 350.0)
        m.convection(f"{prefix}right", 25.0, 280.0)

    both = Model()
    p1 = both.add_part("bar", bar)
    p2 = both.add_part("plate", plate)
    assert (p1.offset, p2.offset) == (0, bar.n_points)
    assert both.n_nodes == bar.n_points + plate.n_points
    setup_bar(both, "bar/")
    setup_plate(both, "plate/")
    res = both.solve_steady()

    alone_bar, alone_plate = Model(bar), Model(plate)
    setup_bar(alone_bar)
    setup_plate(alone_plate)
    np.testing.assert_allclose(res.temperature("bar"), alone_bar.solve_steady().T, rtol=1e-12)
    np.testing.assert_allclose(res.temperature("plate"), alone_plate.solve_steady().T,
                               rtol=1e-12)
    A = both.build().A.tocoo()
    assert not np.any((A.row < bar.n_points) != (A.col < bar.n_points)), "no cross-part entries"
    assert res.energy.imbalance_rel < 1e-8
    # default part is the first one added
    np.testing.assert_array_equal(res.temperature(), res.temperature("bar"))


def test_multi_part_names_errors():
    from thermosat.common.errors import InputError, MeshError

    m = Model()
    m.add_part("a", interval(1.0, 2))
    with pytest.raises(InputError, match="already exists"):
        m.add_part("a", interval(1.0, 2))
    with pytest.raises(InputError, match=r"part 'b' does not exist; parts: \['a'\]"):
        m.fixed_temperature("b/left", 300.0)
    with pytest.raises(MeshError, match="boundary 'middle' does not exist"):
        m.fixed_temperature("a/middle", 300.0)
    with pytest.raises(InputError, match="part 'zz' does not exist"):
        m.part("zz")


def test_uncovered_cells_and_missing_material_rejected():
    from thermosat.common.errors import InputError, MeshError

    mesh = rectangle(1.0, 0.5, 2, 1).with_regions({"half": np.array([0])})
    m = Model(mesh)
    with pytest.raises(InputError, match="has no material"):
        m.build()
    m.material("half", conductivity=1.0, thickness_m=THICK_M)
    with pytest.raises(MeshError, match="1 cells have no material"):
        m.build()


def test_facet_boundary_on_custom_mesh():
    """A hand-made boundary on an edge between two regions with different materials: heat
    flows in series through k1 and k2 (R = L1/(k1 A) + L2/(k2 A))."""
    pts = np.array([[0.0, 0, 0], [0.4, 0, 0], [1.0, 0, 0]])
    mesh = Mesh(pts, np.array([[0, 1], [1, 2]]), "line2", {"a": [0], "b": [1]},
                {"left": Boundary(np.array([[0]]), "vertex"),
                 "right": Boundary(np.array([[2]]), "vertex")})
    m = Model(mesh)
    m.material("a", conductivity=10.0, area_m2=AREA_M2)
    m.material("b", conductivity=2.0, area_m2=AREA_M2)
    m.fixed_temperature("left", 400.0)
    m.fixed_temperature("right", 300.0)
    res = m.solve_steady()
    q = 100.0 / (0.4 / (10.0 * AREA_M2) + 0.6 / (2.0 * AREA_M2))  # W
    assert res.T[1] == pytest.approx(400.0 - q * 0.4 / (10.0 * AREA_M2), rel=1e-12)
