"""Validation case 6 — radiator pipe in the perfect-fin limit: coolant cooled by radiation.

Problem
-------
Single-phase coolant (ṁ = 0.01 kg/s, c_p = 4180 J/kg/K constant) enters a pipe at
T0 = 330 K and flows x = 10 m along it. The pipe wall (perimeter P = 0.2 m, ε = 0.85) is at
the local fluid temperature (perfect fin: no film, wall or fin resistance) and radiates to a
0 K sink. Wanted: the outlet temperature T(10 m) (K); the rows also give the heat rejected
(W).

Reference
---------
Energy balance of a fluid slice, ṁ c_p dT/dx = −ε σ P T⁴, integrates to (docs/references.md §8
case 6)

    1/T(x)³ = 1/T0³ + 3 ε σ P x / (ṁ c_p)

→ T(10 m) = 306.457 K; heat rejected ṁ c_p (T0 − T(10 m)) = 984.09 W. Both are evaluated
here with the σ the engine uses (CODATA 2018, 5.670374419e-8 W/m²/K⁴): 306.4571476 K and
984.0912 W.

Computed
--------
thermosat ``Model`` with a conduction-free line part of n edges (n = 10 … 3000): the
:class:`~thermosat.terms.advection.Advection` upwind enthalpy term (ṁ h(T) with a linear
enthalpy table from c_p) and :class:`~thermosat.terms.pipe_radiation.PipeRadiation`
(ε σ P ∫ T(s)⁴ ds along each edge, linear T, 3-point Gauss, heat to the downstream node);
inlet held at 330 K, steady Newton to 1e-12. The scheme is second order in the edge length
(rows: error falls 100× per 10× refinement). The heat rejected is the engine's own radiated
flow (energy balance entry ``pipe_radiation:emitted``), checked against ṁ c_p ΔT of the
closed form. Headline: n = 1000; tolerance 1e-6 relative (steady closed form).
"""
from __future__ import annotations

import numpy as np

from thermosat import Model
from thermosat.fem.kernels import SIGMA
from thermosat.mesh.generators import interval
from thermosat.terms.advection import Advection
from thermosat.terms.pipe_radiation import PipeRadiation
from thermosat.verification.case import CaseResult

NAME = "radiator_pipe"

LENGTH_M = 10.0
MDOT_KG_S = 0.01
CP_J_KGK = 4180.0
PERIMETER_M = 0.2
EMISSIVITY = 0.85
T_INLET_K = 330.0
MESHES = (10, 30, 100, 300, 1000, 3000)
HEADLINE_N = 1000


def reference_k(x_m: float = LENGTH_M, sigma: float = SIGMA) -> float:
    """Closed-form fluid temperature (K) at ``x_m``: 1/T³ = 1/T0³ + 3εσPx/(ṁc_p)."""
    inv3 = 1.0 / T_INLET_K**3 + 3.0 * EMISSIVITY * sigma * PERIMETER_M * x_m / (MDOT_KG_S * CP_J_KGK)
    return float(inv3 ** (-1.0 / 3.0))


def reference_heat_w(sigma: float = SIGMA) -> float:
    """Heat rejected over the pipe (W): ṁ c_p (T0 − T(L))."""
    return MDOT_KG_S * CP_J_KGK * (T_INLET_K - reference_k(LENGTH_M, sigma))


def compute(n_edges: int) -> dict:
    """Outlet temperature (K), radiated heat (W) and energy imbalance on ``n_edges`` edges."""
    m = Model()
    m.add_part("pipe", interval(LENGTH_M, n_edges), conduction=False)
    edges = np.stack([np.arange(n_edges), np.arange(1, n_edges + 1)], axis=1)
    m.add_term(Advection(edges, MDOT_KG_S, np.array([0.0, 1000.0]),
                         np.array([CP_J_KGK, CP_J_KGK])))
    m.add_term(PipeRadiation(edges, np.full(n_edges, LENGTH_M / n_edges), PERIMETER_M,
                             EMISSIVITY, t_sink_k=0.0))
    m.fixed_temperature("left", T_INLET_K)
    res = m.solve_steady(rtol=1e-12)
    return {"outlet_k": float(res.T[-1]),
            "heat_rejected_w": float(res.energy.heat_out.get("pipe_radiation:emitted", 0.0)),
            "imbalance_rel": float(res.energy.imbalance_rel)}


def run() -> CaseResult:
    ref = reference_k()
    q_ref = reference_heat_w()
    rows = []
    for n in MESHES:
        c = compute(n)
        rows.append({"mesh": f"{n} edges", "n": n, "h": LENGTH_M / n, "computed": c["outlet_k"],
                     "rel_error": abs(c["outlet_k"] - ref) / ref,
                     "heat_rejected_w": c["heat_rejected_w"], "heat_reference_w": q_ref,
                     "heat_rel_error": abs(c["heat_rejected_w"] - q_ref) / q_ref,
                     "energy_imbalance_rel": c["imbalance_rel"]})
    computed = next(r["computed"] for r in rows if r["n"] == HEADLINE_N)
    return CaseResult(
        name=NAME, reference=ref, computed=computed, tolerance=1e-6, unit="K",
        source=("closed form 1/T^3 = 1/T0^3 + 3 eps sigma P x/(mdot cp) (docs/references.md §8 case 6: "
                "306.457 K, 984.09 W rejected), CODATA sigma, 0 K sink"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
