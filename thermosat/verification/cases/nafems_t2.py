"""Validation case 1 — NAFEMS T2: 1D steady conduction with radiation at one end.

Problem
-------
Bar 0.1 m long, 0.01 × 0.01 m cross-section, k = 55.6 W/m/K (ρ = 7850 kg/m³,
c = 460 J/kg/K are irrelevant in steady state). End A (x = 0) held at 1000 K; end B
(x = 0.1 m) radiates to a 300 K sink with ε = 0.98 and the benchmark's σ = 5.67e-8
W/m²/K⁴; sides adiabatic. Wanted: T_B (K).

Reference
---------
NAFEMS *Standard Benchmark Tests for Thermal Analysis* (NAFEMS, 1986), test T2: target
927 K (docs/references.md §8 case 1). With constant k the profile is linear, so T_B is the root of

    k (T_A − T_B) / L = ε σ (T_B⁴ − T_sink⁴)

which is solved here to round-off with ``scipy.optimize.brentq`` (927.0076 K, "exact 1D
root 927.008 K" in docs/references.md §8).

Computed
--------
thermosat ``Model`` on ``interval`` meshes of line2 (1, 5, 20, 80 cells) and line3 cells,
radiation with ``sigma=5.67e-8``, steady Newton. The linear FE space contains the exact
linear profile, so every mesh reproduces the root to round-off; the rows show it.
Tolerance 1e-6 relative (steady closed form).
"""
from __future__ import annotations

from scipy.optimize import brentq

from thermosat import Model
from thermosat.mesh.generators import interval
from thermosat.verification.case import CaseResult

NAME = "nafems_t2"

LENGTH_M = 0.1
AREA_M2 = 0.01 * 0.01
K_W_MK = 55.6
T_A_K = 1000.0
T_SINK_K = 300.0
EMISSIVITY = 0.98
SIGMA_NAFEMS = 5.67e-8  # W/m²/K⁴, the value the benchmark publishes
PUBLISHED_K = 927.0     # NAFEMS T2 target


def reference_k() -> float:
    """Exact T_B (K) of the 1D problem: root of the conduction = radiation balance."""
    def balance(tb: float) -> float:
        return K_W_MK * (T_A_K - tb) / LENGTH_M - EMISSIVITY * SIGMA_NAFEMS * (tb**4 - T_SINK_K**4)

    return float(brentq(balance, T_SINK_K, T_A_K, xtol=1e-13, rtol=1e-15))


def compute(n_cells: int, order: int = 1) -> float:
    """T at end B (K) from thermosat on ``n_cells`` line2 (``order=1``) or line3 cells."""
    m = Model(interval(LENGTH_M, n_cells, order=order))
    m.material(conductivity=K_W_MK, density=7850.0, specific_heat=460.0, area_m2=AREA_M2)
    m.fixed_temperature("left", T_A_K)
    m.radiation("right", EMISSIVITY, t_sink_k=T_SINK_K, sigma=SIGMA_NAFEMS)
    res = m.solve_steady(rtol=1e-12)
    return float(res.T[-1])


def run() -> CaseResult:
    ref = reference_k()
    rows = []
    for order, cell in ((1, "line2"), (2, "line3")):
        for n in (1, 5, 20, 80):
            tb = compute(n, order)
            rows.append({"mesh": f"{n} {cell}", "n": n, "h": LENGTH_M / n, "computed": tb,
                         "rel_error": abs(tb - ref) / ref})
    computed = rows[3]["computed"]  # 80 line2 cells
    return CaseResult(
        name=NAME, reference=ref, computed=computed, tolerance=1e-6, unit="K",
        source=("NAFEMS Standard Benchmark Tests for Thermal Analysis (1986) T2: 927 K; "
                "reference = exact root of the 1D balance with sigma = 5.67e-8"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
