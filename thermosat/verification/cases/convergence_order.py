"""Convergence study — observed L2 order of the linear triangle (manufactured solution).

Problem
-------
Unit square (1 × 1 m, 2D, thickness 1 m, k = 10 W/m/K) with the manufactured solution

    T(x, y) = 300 + 50 sin(πx) sin(πy)   (K)

so the matching source is q = 2π²·k·50 sin(πx) sin(πy) (W/m³) and T = 300 K on the whole
boundary (Dirichlet).

Reference
---------
A-priori theory of conforming P1 elements on quasi-uniform meshes (Ciarlet, *The Finite
Element Method for Elliptic Problems*, 1978, Thm 3.2.5 with the Aubin–Nitsche argument;
Brenner & Scott, 3rd ed., §5.4): ‖T − T_h‖_L2 = O(h²), i.e. expected order 2.

Computed
--------
thermosat on 8 × 8 … 128 × 128 squares split into tri3 cells (h = 1/n). The source is
given per cell as its mean (6th-order quadrature), which perturbs the solution only at
O(h²). The L2 error is integrated with a 6th-order triangle rule; the observed order is
log2(e_64 / e_128). Tolerance 0.02 absolute on the order (theory gives 2 + O(h²) once the
mesh resolves the solution): the rows show 1.967 → 1.992 → 1.998 → 1.9995, so the last pair
is well inside it.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat import Model
from thermosat.fem.quadrature import quadrature
from thermosat.mesh.generators import rectangle
from thermosat.verification.case import CaseResult

NAME = "convergence_order"

K_W_MK = 10.0
AMPLITUDE_K = 50.0
MESHES = (8, 16, 32, 64, 128)


def exact_k(x, y):
    """Manufactured temperature (K)."""
    return 300.0 + AMPLITUDE_K * np.sin(np.pi * x) * np.sin(np.pi * y)


def source_w_m3(x, y):
    """Source (W/m³) that makes :func:`exact_k` satisfy −k ΔT = q."""
    return K_W_MK * AMPLITUDE_K * 2.0 * np.pi**2 * np.sin(np.pi * x) * np.sin(np.pi * y)


def l2_error(n: int) -> float:
    """‖T_h − T‖_L2 (K·m) on the ``n`` × ``n`` tri3 mesh."""
    mesh = rectangle(1.0, 1.0, n, n, cell="tri3")
    xi, w = quadrature("tri", 6)
    shape = np.stack([1.0 - xi[:, 0] - xi[:, 1], xi[:, 0], xi[:, 1]], axis=1)  # (nq, 3)
    corners = mesh.points[:, :2][mesh.cells]                                    # (ne, 3, 2)
    xq = np.einsum("qa,ead->eqd", shape, corners)
    d1, d2 = corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]
    jac = np.abs(d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0])                     # 2 × area
    q_cell = (source_w_m3(xq[..., 0], xq[..., 1]) * w).sum(axis=1) / w.sum()
    m = Model(mesh)
    m.material(conductivity=K_W_MK, thickness_m=1.0)
    m.heat_source(q_w_m3=q_cell)
    m.fixed_temperature("all", 300.0)
    T = m.solve_steady().T
    th = np.einsum("qa,ea->eq", shape, T[mesh.cells])
    err2 = ((th - exact_k(xq[..., 0], xq[..., 1])) ** 2 * w * jac[:, None]).sum()
    return math.sqrt(err2)


def run() -> CaseResult:
    # ‖T − 300‖_L2 = 50 · (1/2) on the unit square, for a relative error column
    norm = AMPLITUDE_K * 0.5
    rows: list[dict] = []
    for n in MESHES:
        e = l2_error(n)
        row = {"n": n, "h": 1.0 / n, "l2_error": e, "rel_error": e / norm,
               "series": "L2 error / ‖T − 300‖"}
        if rows:
            row["order"] = math.log(rows[-1]["l2_error"] / e) / math.log(rows[-1]["h"] / row["h"])
        rows.append(row)
    return CaseResult(
        name=NAME, reference=2.0, computed=rows[-1]["order"], tolerance=0.02, absolute=True,
        unit="-",
        source=("a-priori L2 estimate for P1 elements, O(h^2) (Ciarlet 1978; Brenner & "
                "Scott §5.4); manufactured solution 300 + 50 sin(pi x) sin(pi y)"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
