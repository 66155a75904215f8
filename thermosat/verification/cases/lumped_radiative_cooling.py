"""Validation case 5 — lumped radiative cooling of a thin plate.

Problem
-------
A body with V/A = 0.001 m (volume over radiating area), ρ = 2700 kg/m³, c = 900 J/kg/K,
ε = 0.8, no heat input, cools by radiation from T0 = 400 K. Wanted: the time (s) at which it
reaches T = 300 K, with a sink at 0 K (headline) and at 200 K (second row set).

Reference
---------
Lumped-capacitance radiative cooling (Incropera et al., *Fundamentals of Heat and Mass
Transfer*, 6th ed., eq. 5.18; docs/references.md §8 case 5). Sink at 0 K:

    t = ρcV/(3εσA)·(1/T³ − 1/T0³)                      → 382.33 s

Sink at Ts > 0 (Incropera eq. 5.18):

    ln[(Ts+T)(T0−Ts)/((T−Ts)(T0+Ts))] + 2[atan(T/Ts) − atan(T0/Ts)] = 4εσA·Ts³·t/(ρVc)
                                                        → 438.78 s at Ts = 200 K

both evaluated with the CODATA σ = 5.670374419e-8 W/m²/K⁴ that the model uses (with
5.67e-8 the first would be 382.36 s).

Computed
--------
thermosat transient of a 0.1 × 0.1 m shell panel of thickness 2 mm radiating from both
faces (V/A = t/2 = 0.001 m), 2 × 2 quad4 cells (the field stays uniform: only in-plane
conduction exists), BDF2 with Δt = 4 … 0.25 s. The crossing time is read by a cubic fit
t(T) through the four saved steps around 300 K (interpolation error ≪ the BDF2 error). The
error falls as Δt² (rows). Tolerance 1e-5 relative at Δt = 0.25 s.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat import Model
from thermosat.fem.kernels import SIGMA
from thermosat.mesh.generators import shell
from thermosat.verification.case import CaseResult

NAME = "lumped_radiative_cooling"

RHO = 2700.0
CP = 900.0
V_OVER_A_M = 0.001
THICKNESS_M = 2.0 * V_OVER_A_M  # both faces radiate
EMISSIVITY = 0.8
T0_K = 400.0
T_TARGET_K = 300.0
STEPS_S = (4.0, 2.0, 1.0, 0.5, 0.25)


def reference_s(t_sink_k: float = 0.0, sigma: float = SIGMA) -> float:
    """Closed-form lumped cooling time (s) from 400 K to 300 K to a sink at ``t_sink_k``."""
    T, T0, Ts = T_TARGET_K, T0_K, t_sink_k
    if Ts == 0.0:
        return RHO * CP * V_OVER_A_M / (3.0 * EMISSIVITY * sigma) * (1.0 / T**3 - 1.0 / T0**3)
    lhs = (math.log((Ts + T) * (T0 - Ts) / ((T - Ts) * (T0 + Ts)))
           + 2.0 * (math.atan(T / Ts) - math.atan(T0 / Ts)))
    return lhs * RHO * V_OVER_A_M * CP / (4.0 * EMISSIVITY * sigma * Ts**3)


def compute(dt_s: float, t_sink_k: float = 0.0) -> float:
    """Time (s) for the thermosat plate to cool from 400 K to 300 K with step ``dt_s``."""
    m = Model(shell(0.1, 0.1, 2, 2, cell="quad4"))
    m.material(conductivity=200.0, density=RHO, specific_heat=CP, thickness_m=THICKNESS_M)
    m.radiation("front", EMISSIVITY, t_sink_k=t_sink_k)
    m.radiation("back", EMISSIVITY, t_sink_k=t_sink_k)
    t_end = math.ceil(1.05 * reference_s(t_sink_k) / 4.0) * 4.0
    res = m.solve_transient(t_end, dt_s, T0_K, scheme="bdf2")
    T = np.array([f.mean() for f in res.frames])
    t = np.asarray(res.times)
    i = int(np.flatnonzero(T <= T_TARGET_K)[0])
    sl = slice(i - 2, i + 2)
    coef = np.polyfit(T[sl] - T_TARGET_K, t[sl], 3)
    return float(np.polyval(coef, 0.0))


def run() -> CaseResult:
    rows = []
    for ts in (0.0, 200.0):
        ref = reference_s(ts)
        for dt in STEPS_S:
            v = compute(dt, ts)
            rows.append({"series": f"sink {ts:g} K", "t_sink_k": ts, "dt_s": dt,
                         "reference": ref, "computed": v,
                         "rel_error": abs(v - ref) / ref})
    head = rows[len(STEPS_S) - 1]
    return CaseResult(
        name=NAME, reference=head["reference"], computed=head["computed"], tolerance=1e-5,
        unit="s",
        source=("lumped radiative cooling, Incropera eq. 5.18 (docs/references.md §8 case 5): "
                "382.33 s to a 0 K sink, 438.78 s to 200 K; CODATA sigma"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
