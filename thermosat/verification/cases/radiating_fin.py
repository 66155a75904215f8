"""Validation case 7 — efficiency of a rectangular radiating fin (panel strip).

Problem
-------
A straight fin of length L, thickness t and width w, both faces radiating to a 0 K sink
with emissivity ε, base held at T_b, adiabatic tip, no absorbed flux. With θ = T/T_b and
ξ = x/L the 1D fin equation is

    θ'' = N_c θ⁴,   θ(0) = 1,   θ'(1) = 0,   N_c = 2εσL²T_b³/(k·t)

and the fin efficiency (heat rejected over that of an isothermal fin at T_b) is
η = Q/(2εσ·L·w·T_b⁴) = −θ'(0)/N_c. Wanted: η at N_c = 1 (headline) and across
N_c = 0.01 … 10 (rows).

Reference
---------
High-accuracy solution of the ODE with ``scipy.integrate.solve_bvp`` (tol 1e-10, docs/references.md §8
case 7; the problem is the classical one of Mackay, *Design of Space Powerplants*, 1963, and
Gilmore, *Spacecraft Thermal Control Handbook* vol. 1, ch. 6): η(N_c = 1) = 0.5339892.
:func:`efficiency_quadrature` gives an independent check from the first integral
θ'² = (2N_c/5)(θ⁵ − θ_tip⁵) (tip temperature by root finding, quadrature of dθ/θ'); the two
agree to ~1e-11 over the range.

Computed
--------
thermosat shell strip L = 0.5 m × w = 0.05 m, t = 1 mm, ε = 0.85, T_b = 350 K, with k
chosen to give the wanted N_c; ``front`` and ``back`` radiate to 0 K, edge ``left`` held at
T_b. Q is the reaction heat at the fixed base (``energy.heat_in["fixed_temperature"]``).
One row of cells across the width (the solution does not vary across it). Headline: 100
tri6 cells along L; quad4 rows (25 … 400 cells) show the h² convergence of the reaction
flux. Tolerance 1e-6 relative (steady, high-accuracy reference).
"""
from __future__ import annotations

import math

import numpy as np
from scipy.integrate import quad, solve_bvp
from scipy.optimize import brentq

from thermosat import Model
from thermosat.fem.kernels import SIGMA
from thermosat.mesh.generators import shell
from thermosat.verification.case import CaseResult

NAME = "radiating_fin"

LENGTH_M = 0.5
WIDTH_M = 0.05
THICKNESS_M = 1e-3
EMISSIVITY = 0.85
T_BASE_K = 350.0
N_C = 1.0
N_C_RANGE = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def efficiency_bvp(n_c: float) -> float:
    """η = −θ'(0)/N_c from ``solve_bvp`` of θ'' = N_c θ⁴, θ(0) = 1, θ'(1) = 0."""
    x = np.linspace(0.0, 1.0, 201)
    y = np.vstack([np.ones_like(x), np.zeros_like(x)])
    sol = solve_bvp(lambda _x, y: np.vstack([y[1], n_c * y[0] ** 4]),
                    lambda a, b: np.array([a[0] - 1.0, b[1]]), x, y, tol=1e-10,
                    max_nodes=1_000_000)
    if not sol.success:
        raise RuntimeError(f"solve_bvp failed at N_c = {n_c}: {sol.message}")
    return float(-sol.sol(0.0)[1] / n_c)


def efficiency_quadrature(n_c: float) -> float:
    """η from the first integral of the fin equation (independent check of the BVP)."""
    def length_minus_one(tip: float) -> float:
        # ξ(θ=1) = ∫_tip^1 dθ/√(2N_c/5 (θ⁵ − tip⁵)); θ = tip + (1 − tip) s² removes the
        # inverse-square-root singularity at the tip
        def integrand(s: float) -> float:
            th = tip + (1.0 - tip) * s * s
            poly = sum(th**i * tip ** (4 - i) for i in range(5))
            return 2.0 * math.sqrt(1.0 - tip) / math.sqrt(2.0 * n_c / 5.0 * poly)

        return quad(integrand, 0.0, 1.0, epsabs=1e-14, epsrel=1e-13)[0] - 1.0

    tip = brentq(length_minus_one, 1e-9, 1.0 - 1e-14, xtol=1e-15)
    return math.sqrt(2.0 * n_c / 5.0 * (1.0 - tip**5)) / n_c


def conductivity_for(n_c: float) -> float:
    """k (W/m/K) that gives ``n_c`` for the strip's L, t, ε and T_b."""
    return 2.0 * EMISSIVITY * SIGMA * LENGTH_M**2 * T_BASE_K**3 / (n_c * THICKNESS_M)


def efficiency_fe(n_c: float, n_cells: int = 100, cell: str = "tri6") -> float:
    """Fin efficiency from a thermosat steady solve of the radiating strip."""
    m = Model(shell(LENGTH_M, WIDTH_M, n_cells, 1, cell=cell))
    m.material(conductivity=conductivity_for(n_c), thickness_m=THICKNESS_M)
    m.fixed_temperature("left", T_BASE_K)
    m.radiation("front", EMISSIVITY, t_sink_k=0.0)
    m.radiation("back", EMISSIVITY, t_sink_k=0.0)
    res = m.solve_steady(rtol=1e-12)
    q_base = res.energy.heat_in["fixed_temperature"]
    return q_base / (2.0 * EMISSIVITY * SIGMA * LENGTH_M * WIDTH_M * T_BASE_K**4)


def run() -> CaseResult:
    rows = []
    ref1 = efficiency_bvp(N_C)
    for cell, counts in (("quad4", (25, 50, 100, 200, 400)), ("tri6", (25, 50, 100))):
        for n in counts:
            v = efficiency_fe(N_C, n, cell)
            rows.append({"N_c": N_C, "mesh": f"{n} {cell}", "series": f"{cell}, N_c = 1",
                         "h": LENGTH_M / n,
                         "reference": ref1, "computed": v, "rel_error": abs(v - ref1) / ref1})
    headline = rows[-1]["computed"]
    for n_c in N_C_RANGE:
        ref = efficiency_bvp(n_c)
        v = efficiency_fe(n_c)
        rows.append({"N_c": n_c, "mesh": "100 tri6", "reference": ref, "computed": v,
                     "rel_error": abs(v - ref) / ref})
    return CaseResult(
        name=NAME, reference=ref1, computed=headline, tolerance=1e-6, unit="-",
        source=("fin equation theta'' = N_c theta^4 solved with scipy solve_bvp (tol 1e-10), "
                "docs/references.md §8 case 7; Mackay 1963, Gilmore vol. 1 ch. 6"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
