"""Validation case 12 — cross-check against an independent FE code (scikit-fem).

Problem
-------
A 0.5 × 0.3 m plate (2D, thickness 3 mm, k = 15 W/m/K) with a volumetric source
q = 2 MW/m³ (≈ 90 W) in the cells whose centroid lies in the corner patch x < 0.15 m,
y < 0.1 m, and all four edges (area = length × thickness) radiating with ε = 0.85 to a
200 K sink. No prescribed temperature: the radiation alone fixes the level, so the problem
is fully nonlinear (T ≈ 560 … 1250 K).

Reference
---------
The same Galerkin problem on the same tri3 mesh, assembled with scikit-fem (``skfem``, a
test dependency only; Gustafsson & McBain, JOSS 5 (2020) 2369) and solved by a plain
Newton loop written in this module (:func:`solve_skfem`):

    K T − F + ∫_Γ εσt (T⁴ − Ts⁴) v ds = 0,   J = K + ∫_Γ 4εσt T³ u v ds

with the edge integrals at quadrature order 5 — the order thermosat uses for radiation on
line2 facets (5 × degree), i.e. the same 3-point Gauss rule — so both codes discretise the
identical algebraic problem. Reference value 0: the quantity compared is
max|T_thermosat − T_skfem| / max T_skfem.

Computed
--------
thermosat ``Model`` (its Numba assembly, Newton with line search) on 17 × 10, 33 × 20 and
67 × 40 rectangles of tri3 cells. Tolerance 1e-8 absolute on that relative difference
(docs/references.md §8 case 12); both Newton loops are converged to ~1e-13 so the residual
difference is round-off.
"""
from __future__ import annotations

import numpy as np

from thermosat import Model
from thermosat.fem.kernels import SIGMA
from thermosat.mesh.generators import rectangle
from thermosat.verification.case import CaseResult

NAME = "skfem_crosscheck"

LX_M, LY_M = 0.5, 0.3
THICKNESS_M = 3e-3
K_W_MK = 15.0
Q_W_M3 = 2e6
EMISSIVITY = 0.85
T_SINK_K = 200.0
MESHES = ((17, 10), (33, 20), (67, 40))


def hot_cells(mesh) -> np.ndarray:
    """Mask of the cells that carry the source (centroid in the corner patch)."""
    c = mesh.points[mesh.cells].mean(axis=1)
    return (c[:, 0] < 0.15) & (c[:, 1] < 0.1)


def solve_thermosat(mesh) -> np.ndarray:
    """Nodal temperatures (K) from thermosat."""
    m = Model(mesh)
    m.material(conductivity=K_W_MK, thickness_m=THICKNESS_M)
    m.heat_source(q_w_m3=np.where(hot_cells(mesh), Q_W_M3, 0.0))
    m.radiation("all", EMISSIVITY, t_sink_k=T_SINK_K)
    return m.solve_steady(rtol=1e-13).T


def solve_skfem(mesh, max_iter: int = 60) -> np.ndarray:
    """Nodal temperatures (K) of the same problem assembled and solved with scikit-fem."""
    from skfem import Basis, BilinearForm, ElementTriP1, FacetBasis, LinearForm, MeshTri, asm, solve
    from skfem.helpers import dot, grad

    sm = MeshTri(np.ascontiguousarray(mesh.points[:, :2].T),
                 np.ascontiguousarray(mesh.cells.T.astype(np.int64)))
    e = ElementTriP1()
    cell_basis = Basis(sm, e, intorder=2)
    hot_basis = Basis(sm, e, elements=np.flatnonzero(hot_cells(mesh)), intorder=2)
    edge_basis = FacetBasis(sm, e, facets=sm.boundary_facets(), intorder=5)

    @BilinearForm
    def conduction(u, v, w):
        return K_W_MK * THICKNESS_M * dot(grad(u), grad(v))

    @LinearForm
    def source(v, w):
        return Q_W_M3 * THICKNESS_M * v

    @LinearForm
    def radiation(v, w):
        return EMISSIVITY * SIGMA * THICKNESS_M * (w["T"] ** 4 - T_SINK_K**4) * v

    @BilinearForm
    def radiation_tangent(u, v, w):
        return 4.0 * EMISSIVITY * SIGMA * THICKNESS_M * w["T"] ** 3 * u * v

    K = asm(conduction, cell_basis)
    F = asm(source, hot_basis)
    T = np.full(sm.p.shape[1], 300.0)
    for _ in range(max_iter):
        Tq = edge_basis.interpolate(T)
        R = K @ T - F + asm(radiation, edge_basis, T=Tq)
        J = K + asm(radiation_tangent, edge_basis, T=Tq)
        dT = solve(J, -R)
        step = 1.0
        while np.any(T + step * dT <= 0.0):  # keep temperatures positive
            step *= 0.5
        T = T + step * dT
        if np.max(np.abs(dT)) < 1e-13 * np.max(T):
            return T
    raise RuntimeError("scikit-fem Newton did not converge")


def difference(nx: int, ny: int) -> tuple[float, float, float]:
    """(max|ΔT|/max T, T min K, T max K) on an ``nx`` × ``ny`` tri3 rectangle."""
    mesh = rectangle(LX_M, LY_M, nx, ny, cell="tri3")
    t_ours = solve_thermosat(mesh)
    t_ref = solve_skfem(mesh)
    return float(np.max(np.abs(t_ours - t_ref)) / np.max(t_ref)), float(t_ref.min()), float(
        t_ref.max())


def run() -> CaseResult:
    rows = []
    for nx, ny in MESHES:
        d, tmin, tmax = difference(nx, ny)
        rows.append({"mesh": f"{nx}x{ny} tri3", "n_cells": 2 * nx * ny, "h": LX_M / nx,
                     "t_min_k": tmin, "t_max_k": tmax, "computed": d, "rel_error": d})
    return CaseResult(
        name=NAME, reference=0.0, computed=max(r["computed"] for r in rows), tolerance=1e-8,
        absolute=True, unit="-",
        source=("scikit-fem on the same mesh with a Newton loop written in "
                "validation/skfem_crosscheck.py (docs/references.md §8 case 12)"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
