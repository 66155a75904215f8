"""Validation case 10 — eclipse fraction of a circular orbit.

Problem
-------
Circular orbit at h = 500 km, beta angle β = 0, spherical Earth R = 6378.137 km,
cylindrical shadow (no penumbra). Fraction of the orbit spent in shadow.

Reference
---------
docs/references.md §8 case 10 (Gilmore, *Spacecraft Thermal Control Handbook* vol. 1, 2nd ed.,
2002, ch. 2; Wertz & Larson, *SMAD*, 3rd ed., §5.1): β* = asin(R/(R + h)); for |β| < β*

    f = (1/π) acos(√(h² + 2Rh) / ((R + h) cos β))

else 0 — 37.8 % at 500 km, 33.2 % at 1000 km, 27.5 % at 2000 km (β = 0). Evaluated here
directly from the formula.

Computed
--------
Independent numerical shadow test: the orbit is sampled at N = 2,000,000 equally spaced
orbit angles (midpoints), the satellite position and Sun vector are built in the orbit
frame, and ``Orbit.in_eclipse`` (night side and distance to the Earth–Sun line < R) is
counted. The sampling error is at most ~2/N. Tolerance 1e-4 relative. ``meshes`` rows give
the 500 km result against N (convergence) and the 1000/2000 km results.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat.physics.orbit import Orbit
from thermosat.verification.case import CaseResult

NAME = "eclipse_fraction"

R_M = 6378.137e3
N_FINE = 2_000_000


def _closed_form(h_m: float, beta_rad: float = 0.0) -> float:
    if abs(beta_rad) >= math.asin(R_M / (R_M + h_m)):
        return 0.0
    return math.acos(math.sqrt(h_m * h_m + 2.0 * R_M * h_m) / ((R_M + h_m) * math.cos(beta_rad))) / math.pi


def _sampled(h_m: float, n: int, beta_rad: float = 0.0) -> float:
    orbit = Orbit(h_m, beta_rad, radius_m=R_M)
    theta = 2.0 * np.pi * (np.arange(n) + 0.5) / n
    return float(np.count_nonzero(orbit.in_eclipse(theta))) / n


def run() -> CaseResult:
    rows: list[dict] = []
    ref500 = _closed_form(500e3)
    for n in (1_000, 10_000, 100_000, N_FINE):
        comp = _sampled(500e3, n)
        rows.append({"altitude_km": 500.0, "n": n, "reference": ref500, "computed": comp,
                     "rel_error": abs(comp - ref500) / ref500})
    for h_km in (1000.0, 2000.0):
        ref = _closed_form(h_km * 1e3)
        comp = _sampled(h_km * 1e3, N_FINE)
        rows.append({"altitude_km": h_km, "n": N_FINE, "reference": ref, "computed": comp,
                     "rel_error": abs(comp - ref) / ref})
    return CaseResult(
        name=NAME,
        reference=ref500,
        computed=rows[3]["computed"],
        tolerance=1e-4,
        source=("closed-form cylindrical-shadow eclipse fraction, docs/references.md §8 case 10 "
                "(Gilmore 2002 ch. 2); 37.8 % at 500 km, beta = 0"),
        unit="-",
        meshes=rows,
    )


if __name__ == "__main__":
    print(run())
