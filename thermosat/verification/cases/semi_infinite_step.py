"""Validation case 3 — semi-infinite body after a step in surface temperature.

Problem
-------
k = 20 W/m/K, ρ = 8000 kg/m³, c = 500 J/kg/K (α = 5e-6 m²/s), initially Ti = 300 K; at
t = 0 the surface x = 0 is stepped to Ts = 350 K. Wanted: T at x = 0.1 m, t = 10,000 s (K).

Reference
---------
Classical similarity solution (Carslaw & Jaeger, *Conduction of Heat in Solids*, 2nd ed.,
1959, §2.4; Incropera et al., *Fundamentals of Heat and Mass Transfer*, eq. 5.57):

    T = Ts + (Ti − Ts)·erf(x / (2√(αt)))  → 337.5915 K   (docs/references.md §8 case 3)

evaluated with ``scipy.special.erf``.

Computed
--------
A finite bar 2.5 m long stands in for the half-space: erfc(2.5/(2√(αt))) ≈ 1e-15, and the
row ``far_end_rise_k`` checks that its adiabatic far end is still at Ti. The line2 mesh is
graded (uniform pieces on 0–0.2, 0.2–0.5, 0.5–1, 1–2.5 m with 40, 30, 20, 15 cells ×
``refine``); time steps grow from 0.01 s near the step (to resolve the initial
discontinuity) to 20 s, divided by ``refine`` too, BDF2 restarted at each change of step.
Space and time errors both fall as the square of ``refine`` (rows). Tolerance 1e-5
relative on the finest run (refine = 4; its error is ≈ 6e-8).
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import erf

from thermosat import Model
from thermosat.mesh.generators import polyline
from thermosat.verification.case import CaseResult

NAME = "semi_infinite_step"

K_W_MK = 20.0
RHO = 8000.0
CP = 500.0
T_INITIAL_K = 300.0
T_SURFACE_K = 350.0
X_PROBE_M = 0.1
T_END_S = 10_000.0
BAR_M = 2.5
#: graded mesh: segment end points (m) and cells per segment at refine = 1
SEGMENTS_M = (0.0, 0.2, 0.5, 1.0, BAR_M)
CELLS = (40, 30, 20, 15)
#: (end of the stage in s, time step in s at refine = 1)
STAGES = ((1.0, 0.01), (10.0, 0.1), (100.0, 1.0), (1000.0, 5.0), (T_END_S, 20.0))


def reference_k(x: float = X_PROBE_M, t: float = T_END_S) -> float:
    """Closed-form semi-infinite solution T(x, t) (K)."""
    alpha = K_W_MK / (RHO * CP)
    return T_SURFACE_K + (T_INITIAL_K - T_SURFACE_K) * erf(x / (2.0 * math.sqrt(alpha * t)))


def compute(refine: int = 1) -> tuple[float, float, float]:
    """Return (T at x = 0.1 m and t = 10,000 s (K), far-end rise (K), surface cell size (m))."""
    pts = [[x, 0.0, 0.0] for x in SEGMENTS_M]
    mesh = polyline(pts, [c * refine for c in CELLS])
    m = Model(mesh)
    m.material(conductivity=K_W_MK, density=RHO, specific_heat=CP, area_m2=1.0)
    m.fixed_temperature("inlet", T_SURFACE_K)
    T = np.full(m.n_nodes, T_INITIAL_K)
    T[0] = T_SURFACE_K
    t = 0.0
    for t_stage, dt in STAGES:
        res = m.solve_transient(t_stage, dt / refine, T, t_start_s=t, scheme="bdf2",
                                save_every=10**9)
        T, t = res.T, t_stage
    x = m.points[:, 0]
    return (float(np.interp(X_PROBE_M, x, T)), float(T[-1] - T_INITIAL_K),
            (SEGMENTS_M[1] - SEGMENTS_M[0]) / (CELLS[0] * refine))


def run() -> CaseResult:
    ref = reference_k()
    rows = []
    for refine in (1, 2, 4):
        v, rise, h = compute(refine)
        rows.append({"refine": refine, "h": h, "dt_first_s": STAGES[0][1] / refine,
                     "computed": v, "rel_error": abs(v - ref) / ref, "far_end_rise_k": rise})
    return CaseResult(
        name=NAME, reference=ref, computed=rows[-1]["computed"], tolerance=1e-5, unit="K",
        source=("erf similarity solution, Carslaw & Jaeger (1959) §2.4 / Incropera eq. 5.57; "
                "337.5915 K (docs/references.md §8 case 3)"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
