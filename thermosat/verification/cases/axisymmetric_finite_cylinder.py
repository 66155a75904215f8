"""Axisymmetric (r–z) transient — a short cylinder quenched by convection on every face.

Problem
-------
Solid cylinder of radius r_o = 0.05 m and length 2L = 0.1 m, k = 40 W/m/K, ρ = 7800 kg/m³,
c = 500 J/kg/K (α = k/ρc), initially at T_i = 600 K, suddenly exposed on its lateral
surface and both end faces to a fluid at T∞ = 300 K with h = 400 W/m²/K (Bi = h r_o/k =
h L/k = 0.5). Wanted: the temperature at the centre (r = 0, z = 0) at t = 300 s
(Fo = α t / r_o² = 1.23). The model is the r–z half section 0 ≤ z ≤ L (z = 0 is the
mid-plane of symmetry, adiabatic; the axis r = 0 carries no area).

Reference
---------
Product solution of the short cylinder (Incropera, DeWitt, Bergman & Lavine, *Fundamentals
of Heat and Mass Transfer*, 6th ed., §5.8, eq. 5.67; Carslaw & Jaeger, *Conduction of Heat
in Solids*, 2nd ed., 1959): θ/θ_i = C(r, t) · P(z, t) with the exact series of the infinite
cylinder (§5.6.2, eq. 5.49a)

    C = Σ 2/ζ_n · J1(ζ_n)/(J0²(ζ_n) + J1²(ζ_n)) · exp(−ζ_n² Fo_r) J0(ζ_n r/r_o),
        ζ_n J1(ζ_n)/J0(ζ_n) = Bi

and of the plane wall of half-thickness L (§5.5.1, eq. 5.39a)

    P = Σ 4 sin ζ_n/(2ζ_n + sin 2ζ_n) · exp(−ζ_n² Fo_L) cos(ζ_n z/L),  ζ_n tan ζ_n = Bi.

Both series are summed here (40 roots each, bracketed and polished with ``brentq``; the
neglected terms are below 1e-30 at this Fo), which is the reference; the textbook's
one-term approximation is not used.

Computed
--------
thermosat ``Model(..., axisymmetric=True)`` on n × n tri6 and quad4 meshes of the half
section, consistent capacitance, BDF2 with Δt = 1 s and 0.5 s, combined by Richardson
extrapolation in time, (4 T(Δt/2) − T(Δt))/3, which removes BDF2's O(Δt²) error (measured on
the 16 × 16 tri6 mesh: 4.7e-4 K at Δt = 1 s, 1.4e-4 K at 0.5 s, 6.1e-5 K at 0.25 s; the
extrapolations from the two pairs agree to 1e-7 K), so the rows show the spatial error.
Tolerance 1e-4 relative on θ_centre = T − T∞ for the finest tri6 mesh; the rows give the
centre error and its observed order per cell type.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import j0, j1

from thermosat import Model
from thermosat.mesh.generators import rectangle
from thermosat.verification.case import CaseResult

NAME = "axisymmetric_finite_cylinder"

RO_M, HALF_L_M = 0.05, 0.05
K_W_MK, RHO, CP = 40.0, 7800.0, 500.0
H_W_M2K = 400.0
TI_K, TINF_K = 600.0, 300.0
T_END_S = 300.0
N_STEPS = 300
N_TERMS = 40
MESHES = (2, 4, 8, 16)


def _roots(f, n: int, step: float) -> np.ndarray:
    """First ``n`` positive roots of ``f`` found by sign changes on a fine grid."""
    out = []
    x = np.linspace(1e-9, step * (n + 2), 200 * (n + 2))
    fx = f(x)
    for a, b, fa, fb in zip(x[:-1], x[1:], fx[:-1], fx[1:]):
        if np.isfinite(fa) and np.isfinite(fb) and fa * fb < 0 and abs(fa - fb) < 50:
            out.append(brentq(f, a, b, xtol=1e-15))
            if len(out) == n:
                break
    return np.array(out)


def cylinder_factor(r, t, bi: float) -> float:
    """θ/θ_i of the infinite cylinder (exact series)."""
    z = _roots(lambda x: x * j1(x) - bi * j0(x), N_TERMS, math.pi)
    fo = K_W_MK / (RHO * CP) * t / RO_M**2
    c = 2.0 / z * j1(z) / (j0(z) ** 2 + j1(z) ** 2)
    return float(np.sum(c * np.exp(-z**2 * fo) * j0(z * r / RO_M)))


def wall_factor(x, t, bi: float) -> float:
    """θ/θ_i of the plane wall of half-thickness L (exact series)."""
    z = _roots(lambda s: s * np.sin(s) - bi * np.cos(s), N_TERMS, math.pi)
    fo = K_W_MK / (RHO * CP) * t / HALF_L_M**2
    c = 4.0 * np.sin(z) / (2.0 * z + np.sin(2.0 * z))
    return float(np.sum(c * np.exp(-z**2 * fo) * np.cos(z * x / HALF_L_M)))


def reference_k(r: float = 0.0, z: float = 0.0, t: float = T_END_S) -> float:
    """Temperature (K) of the short cylinder at (r, z) and time t, product solution."""
    bi_r, bi_z = H_W_M2K * RO_M / K_W_MK, H_W_M2K * HALF_L_M / K_W_MK
    return TINF_K + (TI_K - TINF_K) * cylinder_factor(r, t, bi_r) * wall_factor(z, t, bi_z)


def compute(n: int, cell: str) -> float:
    """Centre temperature (K) at ``T_END_S`` on an n × n mesh of ``cell``, BDF2 with
    ``N_STEPS`` and ``2 N_STEPS`` steps extrapolated to Δt → 0."""
    coarse = compute_steps(n, cell, N_STEPS)
    fine = compute_steps(n, cell, 2 * N_STEPS)
    return (4.0 * fine - coarse) / 3.0


def compute_steps(n: int, cell: str, n_steps: int, scheme: str = "bdf2") -> float:
    """Centre temperature (K) at ``T_END_S`` on an n × n mesh of ``cell``, ``n_steps`` steps."""
    mesh = rectangle(RO_M, HALF_L_M, n, n, cell=cell)
    m = Model(mesh, axisymmetric=True)
    m.material(conductivity=K_W_MK, density=RHO, specific_heat=CP)
    m.convection("right", H_W_M2K, TINF_K)   # lateral surface r = r_o
    m.convection("top", H_W_M2K, TINF_K)     # end face z = L
    res = m.solve_transient(T_END_S, T_END_S / n_steps, TI_K, scheme=scheme, rtol=1e-12)
    centre = int(np.argmin(np.linalg.norm(mesh.points, axis=1)))
    return float(res.T[centre])


def run() -> CaseResult:
    ref = reference_k()
    rows: list[dict] = []
    for cell in ("quad4", "tri6"):
        prev = None
        for n in MESHES:
            t = compute(n, cell)
            err = abs(t - ref)
            row = {"mesh": f"{n}x{n} {cell}", "cell": cell, "n": n, "h": RO_M / n,
                   "computed": t, "rel_error": err / (ref - TINF_K), "abs_error_k": err}
            if prev is not None and err > 0:
                row["order"] = math.log2(prev / err)
            prev = err
            rows.append(row)
    return CaseResult(
        name=NAME, reference=ref - TINF_K, computed=rows[-1]["computed"] - TINF_K,
        tolerance=1e-4, unit="K (T_centre − T_inf)",
        source=("short-cylinder product solution, exact series of the infinite cylinder and "
                "plane wall (Incropera et al., Fundamentals of Heat and Mass Transfer, 6th "
                "ed., §5.5, §5.6, §5.8; Carslaw & Jaeger 1959); Bi = 0.5, Fo = 1.23"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
