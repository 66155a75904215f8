"""Axisymmetric (r–z) model — long hollow cylinder, inner wall held, outer wall convecting.

Problem
-------
Hollow cylinder r1 = 0.05 m … r2 = 0.15 m, length L = 0.2 m, k = 15 W/m/K; inner wall
held at T1 = 500 K, outer wall convecting to T∞ = 300 K with h = 40 W/m²/K; the end faces
are adiabatic, so the field is purely radial. Modelled as an r–z section
(``Model(mesh, axisymmetric=True)``, r = x, z = y).

Reference
---------
Closed form of steady radial conduction through a cylindrical wall with a convective outer
surface (Incropera & DeWitt, *Fundamentals of Heat and Mass Transfer*, §3.3.1, eqs. 3.27 and
3.32 with the series convection resistance 1/(2π r2 L h)):

    T(r) = T1 + (T∞ − T1) ln(r/r1) / (ln(r2/r1) + k/(h r2))
    Q    = 2π L (T1 − T∞) / (ln(r2/r1)/k + 1/(h r2))          (W, through every radius)

Computed
--------
thermosat on n × n/2 meshes of tri3, quad4 and tri6 cells (n = 4 … 32 radially). The heat
flow is integrated over the outer wall as ∫ h (T − T∞) 2πr dA (the convection the model
applies), the L2 error ‖T_h − T‖ over the body of revolution with a degree-8 rule; the
observed orders are log2 of successive error ratios (theory: 2 for tri3/quad4, 3 for tri6).
The case passes when the finest tri6 heat flow is within 1e-6 of Q; the rows give every
mesh.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat import Model
from thermosat.fem.integration import CellSet
from thermosat.mesh.generators import rectangle
from thermosat.verification.case import CaseResult

NAME = "axisymmetric_cylinder"

R1_M, R2_M, LENGTH_M = 0.05, 0.15, 0.2
K_W_MK, H_W_M2K = 15.0, 40.0
T1_K, TINF_K = 500.0, 300.0
MESHES = (4, 8, 16, 32)
CELLS = ("tri3", "quad4", "tri6")


def exact_k(r):
    """Closed-form temperature (K) at radius ``r`` (m)."""
    return T1_K + (TINF_K - T1_K) * np.log(r / R1_M) / (math.log(R2_M / R1_M)
                                                        + K_W_MK / (H_W_M2K * R2_M))


def exact_heat_flow_w() -> float:
    """Heat flow (W) from the inner to the outer wall."""
    return 2 * math.pi * LENGTH_M * (T1_K - TINF_K) / (math.log(R2_M / R1_M) / K_W_MK
                                                       + 1.0 / (H_W_M2K * R2_M))


def model(n: int, cell: str) -> Model:
    """The r–z model on an ``n`` × ``n/2`` mesh of ``cell``."""
    mesh = rectangle(R2_M - R1_M, LENGTH_M, n, max(1, n // 2), cell=cell, origin=(R1_M, 0.0))
    m = Model(mesh, axisymmetric=True)
    m.material(conductivity=K_W_MK)
    m.fixed_temperature("left", T1_K)
    m.convection("right", H_W_M2K, TINF_K)
    return m


def axisymmetric_l2(m: Model, T: np.ndarray, exact) -> float:
    """‖T_h − exact(r)‖ over the body of revolution (K·m^1.5)."""
    mesh = m.part().mesh
    cs = CellSet(mesh.points, mesh.cells, mesh.cell_type, 8, axisymmetric=True)
    r = np.einsum("qa,ea->eq", cs.N, mesh.points[:, 0][mesh.cells])
    th = np.einsum("qa,ea->eq", cs.N, T[mesh.cells])
    return float(math.sqrt(np.sum(cs.wdet * (th - exact(r)) ** 2)))


def outer_heat_flow_w(m: Model, T: np.ndarray) -> float:
    """∫ h (T − T∞) 2πr dA over the outer wall (W)."""
    cs = m.cells("right", boundary=True, kind="radiation")
    Tq = np.einsum("qa,ea->eq", cs.N, T[cs.conn])
    return float(np.sum(cs.wdet * H_W_M2K * (Tq - TINF_K)))


def run() -> CaseResult:
    q_ref = exact_heat_flow_w()
    rows: list[dict] = []
    for cell in CELLS:
        prev = None
        for n in MESHES:
            m = model(n, cell)
            T = m.solve_steady(rtol=1e-12).T
            q = outer_heat_flow_w(m, T)
            e = axisymmetric_l2(m, T, exact_k)
            row = {"mesh": f"{n}x{max(1, n // 2)} {cell}", "cell": cell, "n": n,
                   "h": (R2_M - R1_M) / n, "computed": q, "rel_error": abs(q - q_ref) / q_ref,
                   "l2_error": e}
            if prev is not None:
                row["order"] = math.log2(prev / e)
            prev = e
            rows.append(row)
    return CaseResult(
        name=NAME, reference=q_ref, computed=rows[-1]["computed"], tolerance=1e-6, unit="W",
        source=("closed form, radial conduction through a cylindrical wall with outer "
                "convection (Incropera & DeWitt, Fundamentals of Heat and Mass Transfer, "
                "§3.3.1, eqs. 3.27, 3.32)"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
