"""Validation case 2 — NAFEMS T3: 1D transient conduction with a sinusoidal end temperature.

Problem
-------
Bar 0.1 m, k = 35 W/m/K, ρ = 7200 kg/m³, c = 440.5 J/kg/K, initially at 0 °C.
T(x = 0) = 0 °C; T(x = 0.1 m, t) = 100·sin(πt/40) °C. Wanted: T at x = 0.08 m, t = 32 s (°C).

Reference
---------
NAFEMS *Standard Benchmark Tests for Thermal Analysis* (NAFEMS, 1986), test T3: 36.60 °C;
docs/references.md §8 case 2 quotes the series solution 36.6031 °C. The series is evaluated here
(:func:`series_celsius`, 20,000 terms, truncation < 1e-9 °C): with u = (x/L)·g(t) + w,
w = Σ b_n(t) sin(nπx/L) and x/L = Σ 2(−1)^(n+1)/(nπ) sin(nπx/L),

    b_n(t) = −c_n ∫₀ᵗ exp(−αλ_n(t − s)) g'(s) ds,   λ_n = (nπ/L)²,

integrated in closed form for g = 100 sin(ωt): 36.603116 °C.

Computed
--------
thermosat on uniform line2 meshes of 5 … 160 cells, BDF2 with Δt = 0.01 s (the time error
is far below the space error), consistent capacitance; the value at x = 0.08 m is read
from the nodal solution (a node on every mesh here). Coarse meshes overshoot (≈ 41 °C with
5 cells, as NAFEMS notes), and the error falls as h² towards the target. Tolerance 1e-3
relative on the finest mesh (160 cells).
"""
from __future__ import annotations

import math

import numpy as np

from thermosat import Model
from thermosat.mesh.generators import interval
from thermosat.common.constants import ZERO_CELSIUS
from thermosat.verification.case import CaseResult

NAME = "nafems_t3"

LENGTH_M = 0.1
K_W_MK = 35.0
RHO = 7200.0
CP = 440.5
X_PROBE_M = 0.08
T_END_S = 32.0
PERIOD_S = 40.0      # g(t) = 100 sin(π t / 40)
AMPLITUDE_C = 100.0
MESHES = (5, 10, 20, 40, 80, 160)


def series_celsius(x: float = X_PROBE_M, t: float = T_END_S, n_terms: int = 20_000) -> float:
    """Series solution T(x, t) (°C) of the T3 problem (see the module docstring)."""
    alpha = K_W_MK / (RHO * CP)
    w = math.pi / PERIOD_S
    total = x / LENGTH_M * AMPLITUDE_C * math.sin(w * t)
    for n in range(1, n_terms + 1):
        lam = alpha * (n * math.pi / LENGTH_M) ** 2
        c_n = 2.0 * (-1) ** (n + 1) / (n * math.pi)
        integral = (lam * math.cos(w * t) + w * math.sin(w * t) - lam * math.exp(-lam * t)) / (
            lam * lam + w * w)
        total -= c_n * AMPLITUDE_C * w * integral * math.sin(n * math.pi * x / LENGTH_M)
    return total


def compute(n_cells: int, dt_s: float = 0.01) -> float:
    """T (°C) at x = 0.08 m, t = 32 s from thermosat with ``n_cells`` line2 cells, BDF2."""
    if round(X_PROBE_M / LENGTH_M * n_cells, 9) % 1:
        raise ValueError(f"{n_cells} cells: x = 0.08 m must be a node")
    m = Model(interval(LENGTH_M, n_cells))
    m.material(conductivity=K_W_MK, density=RHO, specific_heat=CP, area_m2=1e-4)
    m.fixed_temperature("left", ZERO_CELSIUS)
    m.fixed_temperature(
        "right", lambda t: ZERO_CELSIUS + AMPLITUDE_C * math.sin(math.pi * t / PERIOD_S))
    res = m.solve_transient(T_END_S, dt_s, ZERO_CELSIUS, scheme="bdf2", save_every=10**9)
    x = m.points[:, 0]
    return float(np.interp(X_PROBE_M, x, res.T)) - ZERO_CELSIUS


def run() -> CaseResult:
    ref = series_celsius()
    rows = []
    for n in MESHES:
        v = compute(n)
        rows.append({"n": n, "h": LENGTH_M / n, "dt_s": 0.01, "computed": v,
                     "rel_error": abs(v - ref) / abs(ref)})
    return CaseResult(
        name=NAME, reference=ref, computed=rows[-1]["computed"], tolerance=1e-3, unit="°C",
        source=("NAFEMS Standard Benchmark Tests for Thermal Analysis (1986) T3: 36.60 °C; "
                "series solution 36.6031 °C evaluated here"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
