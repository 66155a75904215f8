"""Validation case 4 — isothermal plate, one face in sunlight, both faces radiating.

Problem
-------
A flat 1 × 1 m plate (2 mm aluminium, k = 170 W/m/K; conduction is irrelevant because the
solution is uniform) with its front face normal to the Sun: absorbed flux α·S·cosθ with
α = 1, S = 1361 W/m², θ = 0; both faces radiate with ε = 1 to the engine's default sink
T_sink = 3 K (deep space); no internal power. Wanted: the equilibrium temperature (K).

Reference
---------
Energy balance of an isothermal plate (Gilmore, *Spacecraft Thermal Control Handbook*
vol. 1, 2nd ed., 2002, ch. 2; docs/references.md §8 case 4):

    T = [(α·S·cosθ + q_int)/((ε_front + ε_back)·σ) + T_sink⁴]^(1/4)  → 330.98 K

evaluated here exactly with the CODATA 2018 σ = 5.670374419e-8 W/m²/K⁴ and T_sink = 3 K —
the values the engine uses by default (the T_sink⁴ term changes T by only ~1e-8 K).

Computed
--------
thermosat shell panels (``front`` and ``back`` faces radiating, ``front`` absorbing S) on
quad4, tri3 and tri6 meshes of 1 … 16 cells per side. The solution is uniform, so every
mesh must give the closed form to solver precision. Tolerance 1e-6 relative.
"""
from __future__ import annotations

from thermosat import Model
from thermosat.fem.kernels import SIGMA
from thermosat.mesh.generators import shell
from thermosat.verification.case import CaseResult

NAME = "plate_equilibrium"

SOLAR_W_M2 = 1361.0
ABSORPTIVITY = 1.0
EMISSIVITY = 1.0
T_SINK_K = 3.0


def reference_k(sigma: float = SIGMA) -> float:
    """Closed-form isothermal plate temperature (K)."""
    q = ABSORPTIVITY * SOLAR_W_M2
    return (q / ((EMISSIVITY + EMISSIVITY) * sigma) + T_SINK_K**4) ** 0.25


def compute(n: int, cell: str = "quad4") -> float:
    """Mean plate temperature (K) on an ``n`` × ``n`` shell mesh of ``cell``."""
    m = Model(shell(1.0, 1.0, n, n, cell=cell))
    m.material(conductivity=170.0, thickness_m=2e-3)
    m.radiation("front", EMISSIVITY, t_sink_k=T_SINK_K,
                absorbed_flux_w_m2=ABSORPTIVITY * SOLAR_W_M2)
    m.radiation("back", EMISSIVITY, t_sink_k=T_SINK_K)
    res = m.solve_steady(rtol=1e-12)
    return float(res.T.mean())


def run() -> CaseResult:
    ref = reference_k()
    rows = []
    for cell in ("quad4", "tri3", "tri6"):
        for n in (1, 4, 16):
            v = compute(n, cell)
            rows.append({"mesh": f"{n}x{n} {cell}", "n": n, "h": 1.0 / n, "computed": v,
                         "rel_error": abs(v - ref) / ref})
    return CaseResult(
        name=NAME, reference=ref, computed=rows[2]["computed"], tolerance=1e-6, unit="K",
        source=("isothermal plate balance (Gilmore 2002 ch. 2), 330.98 K (docs/references.md §8 "
                "case 4); CODATA sigma, T_sink = 3 K"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
