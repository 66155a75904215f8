"""Internal pipe-flow correlations: heat transfer, friction, pressure drop and pump power.

All functions are vectorised over numpy arrays (broadcasting) and use SI units: mass flow
[kg/s], diameter/length/roughness [m], temperature [K], pressure [Pa], power [W].

Regimes (circular pipe, hydraulic diameter ``D``)
-------------------------------------------------
* Laminar, Re ≤ 2300: fully developed Nusselt numbers Nu = 48/11 ≈ 4.36 (uniform wall heat
  flux) or 3.66 (uniform wall temperature) (Incropera & DeWitt, *Fundamentals of Heat and
  Mass Transfer*, 6th ed., eqs. 8.53 and 8.55); entrance-length enhancement is neglected
  (conservative). Darcy friction factor f = 64/Re.
* Turbulent, Re ≥ 4000: Gnielinski (1976), with Petukhov's smooth-pipe friction factor
  f = (0.790 ln Re − 1.64)⁻² (Incropera eqs. 8.21 and 8.62), stated for 3000 ≤ Re ≤ 5·10⁶,
  0.5 ≤ Pr ≤ 2000. Dittus–Boelter Nu = 0.023 Re^0.8 Pr^n (n = 0.4 heating the fluid,
  0.3 cooling; Incropera eq. 8.60) is provided for comparison only.
* Transition, 2300 < Re < 4000: ``Nu = (1 − γ) Nu_lam + γ Nu_Gnielinski(Re)`` with the
  smoothstep weight γ = 3s² − 2s³, s = (Re − 2300)/(4000 − 2300). The blend is continuous with
  continuous slope in γ at both ends; it is an engineering interpolation, not a correlation
  (real transitional flow depends on inlet disturbances — treat results there as ±30 %).
  The same blend is used for friction factors computed with the ``"colebrook"`` and
  ``"haaland"`` methods; ``"churchill"`` (default) covers all regimes by itself
  (Churchill 1977, Chem. Eng. 84(24) 91).

Friction factors are Darcy (Moody) factors: Δp = (f L/D + ΣK) ρ v²/2.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermosat.common.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from thermosat.physics.fluids import Fluid

__all__ = [
    "NU_LAMINAR_FLUX",
    "NU_LAMINAR_WALL_T",
    "RE_LAMINAR",
    "RE_TURBULENT",
    "PipeFlow",
    "flow_area",
    "friction_factor",
    "friction_petukhov",
    "heat_transfer_coefficient",
    "nusselt",
    "nusselt_dittus_boelter",
    "nusselt_gnielinski",
    "nusselt_laminar",
    "pipe_flow",
    "pressure_drop",
    "pump_power",
    "reynolds",
    "velocity",
]

RE_LAMINAR: float = 2300.0
"""Upper Reynolds number of the laminar regime [-]."""
RE_TURBULENT: float = 4000.0
"""Lower Reynolds number of the fully turbulent regime [-]."""
NU_LAMINAR_FLUX: float = 48.0 / 11.0
"""Fully developed laminar Nusselt number, uniform wall heat flux (4.364) [-]."""
NU_LAMINAR_WALL_T: float = 3.657
"""Fully developed laminar Nusselt number, uniform wall temperature [-]."""

Boundary = Literal["flux", "wall_temperature"]
FrictionMethod = Literal["churchill", "colebrook", "haaland"]


# ----------------------------------------------------------------------------- helpers
def _arr(x: ArrayLike, name: str, *, positive: bool = False, nonneg: bool = False) -> NDArray[np.float64]:
    a = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(a)):
        raise InputError(f"{name} must be finite, got {x!r}")
    if positive and np.any(a <= 0.0):
        raise InputError(f"{name} must be > 0, got {x!r}")
    if nonneg and np.any(a < 0.0):
        raise InputError(f"{name} must be >= 0, got {x!r}")
    return a


def _out(a: NDArray[np.float64]) -> NDArray[np.float64] | float:
    return float(a) if np.ndim(a) == 0 else a


def _blend_weight(Re: NDArray[np.float64]) -> NDArray[np.float64]:
    """Smoothstep weight γ ∈ [0, 1] of the turbulent correlation in 2300 ≤ Re ≤ 4000."""
    s = np.clip((Re - RE_LAMINAR) / (RE_TURBULENT - RE_LAMINAR), 0.0, 1.0)
    return s * s * (3.0 - 2.0 * s)


# ----------------------------------------------------------------------------- kinematics
def flow_area(diameter: ArrayLike) -> NDArray[np.float64] | float:
    """Cross-section area π D²/4 [m²] of a circular pipe of inner diameter ``D`` [m]."""
    d = _arr(diameter, "diameter", positive=True)
    return _out(0.25 * np.pi * d * d)


def velocity(mdot: ArrayLike, rho: ArrayLike, diameter: ArrayLike) -> NDArray[np.float64] | float:
    """Mean velocity v = ṁ / (ρ π D²/4) [m/s] from mass flow [kg/s], density [kg/m³], D [m]."""
    m = _arr(mdot, "mdot", nonneg=True)
    r = _arr(rho, "density", positive=True)
    d = _arr(diameter, "diameter", positive=True)
    return _out(m / (r * 0.25 * np.pi * d * d))


def reynolds(mdot: ArrayLike, diameter: ArrayLike, mu: ArrayLike) -> NDArray[np.float64] | float:
    """Reynolds number Re = ρ v D/μ = 4 ṁ / (π D μ) [-].

    Parameters
    ----------
    mdot : mass flow rate [kg/s], ≥ 0
    diameter : inner (hydraulic) diameter [m], > 0
    mu : dynamic viscosity [Pa s], > 0
    """
    m = _arr(mdot, "mdot", nonneg=True)
    d = _arr(diameter, "diameter", positive=True)
    v = _arr(mu, "viscosity", positive=True)
    return _out(4.0 * m / (np.pi * d * v))


# ----------------------------------------------------------------------------- Nusselt
def nusselt_laminar(boundary: Boundary = "flux") -> float:
    """Fully developed laminar Nusselt number [-] in a circular pipe.

    ``"flux"`` (uniform wall heat flux): 48/11 ≈ 4.364; ``"wall_temperature"``: 3.657.
    """
    if boundary == "flux":
        return NU_LAMINAR_FLUX
    if boundary == "wall_temperature":
        return NU_LAMINAR_WALL_T
    raise InputError(f"boundary must be 'flux' or 'wall_temperature', got {boundary!r}")


def friction_petukhov(Re: ArrayLike) -> NDArray[np.float64] | float:
    """Petukhov smooth-pipe Darcy friction factor f = (0.790 ln Re − 1.64)⁻² [-].

    Valid 3000 ≤ Re ≤ 5·10⁶ (Incropera eq. 8.21); used inside Gnielinski.
    """
    r = _arr(Re, "Re", positive=True)
    return _out((0.790 * np.log(r) - 1.64) ** -2)


def nusselt_gnielinski(Re: ArrayLike, Pr: ArrayLike, f: ArrayLike | None = None) -> NDArray[np.float64] | float:
    """Gnielinski turbulent Nusselt number [-].

    Nu = (f/8)(Re − 1000) Pr / (1 + 12.7 (f/8)^½ (Pr^⅔ − 1)), with ``f`` the Darcy friction
    factor (default: Petukhov smooth pipe). Valid 3000 ≤ Re ≤ 5·10⁶, 0.5 ≤ Pr ≤ 2000; it is
    evaluated as written elsewhere (and goes to 0 at Re = 1000 — only use it through
    :func:`nusselt` below Re 4000).
    """
    r = _arr(Re, "Re", positive=True)
    p = _arr(Pr, "Pr", positive=True)
    ff = np.asarray(friction_petukhov(np.maximum(r, 1000.0)) if f is None else _arr(f, "f", positive=True))
    f8 = ff / 8.0
    return _out(f8 * (r - 1000.0) * p / (1.0 + 12.7 * np.sqrt(f8) * (p ** (2.0 / 3.0) - 1.0)))


def nusselt_dittus_boelter(Re: ArrayLike, Pr: ArrayLike, heating: bool = True) -> NDArray[np.float64] | float:
    """Dittus–Boelter Nu = 0.023 Re^0.8 Pr^n [-], n = 0.4 if the fluid is heated, 0.3 if cooled.

    For comparison; stated for Re ≥ 10⁴, 0.6 ≤ Pr ≤ 160, L/D ≥ 10 (±25 %).
    """
    r = _arr(Re, "Re", nonneg=True)
    p = _arr(Pr, "Pr", positive=True)
    n = 0.4 if heating else 0.3
    return _out(0.023 * r ** 0.8 * p ** n)


def nusselt(Re: ArrayLike, Pr: ArrayLike, boundary: Boundary = "flux") -> NDArray[np.float64] | float:
    """Pipe Nusselt number [-] over all regimes.

    Laminar (Re ≤ 2300): :func:`nusselt_laminar`; turbulent (Re ≥ 4000): Gnielinski with
    Petukhov friction; in between the smoothstep blend described in the module docstring.
    ``boundary`` selects the laminar value (``"flux"`` 4.36 or ``"wall_temperature"`` 3.66).
    """
    r = _arr(Re, "Re", nonneg=True)
    p = _arr(Pr, "Pr", positive=True)
    r, p = np.broadcast_arrays(r, p)
    nu_lam = nusselt_laminar(boundary)
    g = _blend_weight(r)
    nu_turb = np.asarray(nusselt_gnielinski(np.maximum(r, RE_LAMINAR), p))
    return _out(np.where(g > 0.0, (1.0 - g) * nu_lam + g * nu_turb, nu_lam))


# ----------------------------------------------------------------------------- friction
def _colebrook(Re: NDArray[np.float64], eps: NDArray[np.float64]) -> NDArray[np.float64]:
    """Colebrook–White 1/√f = −2 log10(ε/3.7 + 2.51/(Re √f)), fixed-point iteration.

    The iteration map has slope ≤ 0.87/x (x = 1/√f ≥ 3 here), so it contracts by ≥ 3×/step;
    iterate to |Δx| < 1e-13.
    """
    a = eps / 3.7
    b = 2.51 / Re
    x = 1.0 / np.sqrt(_haaland(Re, eps))
    for _ in range(60):
        x_new = -2.0 * np.log10(a + b * x)
        if np.max(np.abs(x_new - x), initial=0.0) < 1e-13:
            x = x_new
            break
        x = x_new
    return 1.0 / (x * x)


def _haaland(Re: NDArray[np.float64], eps: NDArray[np.float64]) -> NDArray[np.float64]:
    """Haaland (1983) explicit approximation to Colebrook (±2 %)."""
    return (-1.8 * np.log10((eps / 3.7) ** 1.11 + 6.9 / Re)) ** -2


def _churchill(Re: NDArray[np.float64], eps: NDArray[np.float64]) -> NDArray[np.float64]:
    """Churchill (1977) Darcy friction factor, all regimes."""
    A = (2.457 * np.log(1.0 / ((7.0 / Re) ** 0.9 + 0.27 * eps))) ** 16
    B = (37530.0 / Re) ** 16
    return 8.0 * ((8.0 / Re) ** 12 + (A + B) ** -1.5) ** (1.0 / 12.0)


def friction_factor(
    Re: ArrayLike,
    relative_roughness: ArrayLike = 0.0,
    method: FrictionMethod = "churchill",
) -> NDArray[np.float64] | float:
    """Darcy friction factor f [-] for a circular pipe.

    Parameters
    ----------
    Re : Reynolds number [-], > 0
    relative_roughness : ε/D [-], ≥ 0 (drawn tubing ε ≈ 1.5 µm, commercial steel ≈ 45 µm)
    method : ``"churchill"`` (default; one explicit formula for laminar, transition and
        turbulent flow, 64/Re when laminar), ``"colebrook"`` (Colebrook–White solved
        iteratively) or ``"haaland"`` (explicit, ±2 % of Colebrook). For the last two,
        f = 64/Re for Re ≤ 2300, and the smoothstep blend of 64/Re and the turbulent value
        for 2300 < Re < 4000.
    """
    r = _arr(Re, "Re", positive=True)
    e = _arr(relative_roughness, "relative_roughness", nonneg=True)
    r, e = np.broadcast_arrays(r, e)
    if method == "churchill":
        return _out(_churchill(r, e))
    if method not in ("colebrook", "haaland"):
        raise InputError(f"friction method must be 'churchill', 'colebrook' or 'haaland', got {method!r}")
    f_lam = 64.0 / r
    g = _blend_weight(r)
    rt = np.maximum(r, RE_LAMINAR)  # turbulent formula only evaluated where it is used
    f_turb = _colebrook(rt, e) if method == "colebrook" else _haaland(rt, e)
    return _out(np.where(g > 0.0, (1.0 - g) * f_lam + g * f_turb, f_lam))


def pressure_drop(
    mdot: ArrayLike,
    diameter: ArrayLike,
    length: ArrayLike,
    rho: ArrayLike,
    mu: ArrayLike,
    roughness: ArrayLike = 0.0,
    k_minor: ArrayLike = 0.0,
    method: FrictionMethod = "churchill",
) -> NDArray[np.float64] | float:
    """Darcy–Weisbach pressure drop Δp = (f L/D + ΣK) ρ v²/2 [Pa].

    Parameters
    ----------
    mdot : mass flow [kg/s], ≥ 0 (Δp = 0 at zero flow)
    diameter : inner diameter D [m]
    length : pipe length L [m], ≥ 0
    rho : density [kg/m³]
    mu : dynamic viscosity [Pa s]
    roughness : absolute wall roughness ε [m], ≥ 0
    k_minor : sum of minor-loss coefficients ΣK [-] (bends, tees, fittings), ≥ 0
    method : friction-factor method, see :func:`friction_factor`
    """
    m = _arr(mdot, "mdot", nonneg=True)
    d = _arr(diameter, "diameter", positive=True)
    L = _arr(length, "length", nonneg=True)
    r = _arr(rho, "density", positive=True)
    v_ = _arr(mu, "viscosity", positive=True)
    eps = _arr(roughness, "roughness", nonneg=True)
    K = _arr(k_minor, "k_minor", nonneg=True)
    area = 0.25 * np.pi * d * d
    v = m / (r * area)
    Re = 4.0 * m / (np.pi * d * v_)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        # zero-flow entries give f = inf; they are replaced by Δp = 0 below.
        f = np.asarray(friction_factor(np.maximum(Re, 1e-300), eps / d, method))
        dyn = 0.5 * r * v * v
        dp = np.where(m > 0.0, (f * L / d + K) * dyn, 0.0)
    return _out(dp)


def pump_power(delta_p: ArrayLike, volume_flow: ArrayLike, efficiency: ArrayLike = 0.5) -> NDArray[np.float64] | float:
    """Electrical (shaft) pump power W = Δp · V̇ / η_pump [W].

    Parameters
    ----------
    delta_p : pressure rise the pump must supply [Pa], ≥ 0
    volume_flow : volumetric flow V̇ = ṁ/ρ [m³/s], ≥ 0
    efficiency : overall pump efficiency η in (0, 1] [-]; default 0.5 (small centrifugal or
        gear pumps for spacecraft loops are typically 0.3–0.6)
    """
    dp = _arr(delta_p, "delta_p", nonneg=True)
    q = _arr(volume_flow, "volume_flow", nonneg=True)
    eta = _arr(efficiency, "efficiency", positive=True)
    if np.any(eta > 1.0):
        raise InputError(f"pump efficiency must be in (0, 1], got {efficiency!r}")
    return _out(dp * q / eta)


# ----------------------------------------------------------------------------- fluid-based
def heat_transfer_coefficient(
    fluid: Fluid,
    T: ArrayLike,
    mdot: ArrayLike,
    diameter: ArrayLike,
    boundary: Boundary = "flux",
) -> NDArray[np.float64] | float:
    """Convective heat-transfer coefficient h = Nu k / D [W/(m² K)] in a circular pipe.

    Parameters
    ----------
    fluid : :class:`~thermosat.physics.fluids.Fluid` (properties interpolated at ``T``)
    T : bulk fluid temperature(s) [K] (array; broadcast with ``mdot`` and ``diameter``)
    mdot : mass flow [kg/s], ≥ 0
    diameter : inner diameter [m], > 0
    boundary : laminar thermal boundary condition, ``"flux"`` or ``"wall_temperature"``
    """
    Ta = _arr(T, "T", positive=True)
    mu = np.asarray(fluid.viscosity(Ta))
    k = np.asarray(fluid.conductivity(Ta))
    Pr = np.asarray(fluid.prandtl(Ta))
    d = _arr(diameter, "diameter", positive=True)
    Re = np.asarray(reynolds(mdot, d, mu))
    return _out(np.asarray(nusselt(Re, Pr, boundary)) * k / d)


@dataclass(frozen=True)
class PipeFlow:
    """Hydraulic and thermal state of a pipe (arrays broadcast over the inputs).

    Attributes
    ----------
    velocity : mean velocity [m/s]
    reynolds : Reynolds number [-]
    prandtl : Prandtl number [-]
    nusselt : Nusselt number [-]
    h : heat-transfer coefficient [W/(m² K)]
    friction_factor : Darcy friction factor [-]
    pressure_drop : Darcy–Weisbach Δp including minor losses [Pa]
    volume_flow : V̇ [m³/s]
    pump_power : Δp V̇ / η [W]
    """

    velocity: NDArray[np.float64]
    reynolds: NDArray[np.float64]
    prandtl: NDArray[np.float64]
    nusselt: NDArray[np.float64]
    h: NDArray[np.float64]
    friction_factor: NDArray[np.float64]
    pressure_drop: NDArray[np.float64]
    volume_flow: NDArray[np.float64]
    pump_power: NDArray[np.float64]


def pipe_flow(
    fluid: Fluid,
    T: ArrayLike,
    mdot: ArrayLike,
    diameter: ArrayLike,
    length: ArrayLike = 0.0,
    roughness: ArrayLike = 0.0,
    k_minor: ArrayLike = 0.0,
    pump_efficiency: ArrayLike = 0.5,
    boundary: Boundary = "flux",
    method: FrictionMethod = "churchill",
) -> PipeFlow:
    """Everything about a pipe segment at bulk temperature ``T`` [K] in one call.

    ``mdot`` [kg/s], ``diameter``/``length``/``roughness`` [m], ``k_minor`` [-],
    ``pump_efficiency`` [-]. Properties are taken at ``T``; for a long pipe with a large
    temperature change, split it into segments and sum the pressure drops.
    """
    Ta = _arr(T, "T", positive=True)
    m = _arr(mdot, "mdot", nonneg=True)
    d = _arr(diameter, "diameter", positive=True)
    rho = np.asarray(fluid.density(Ta))
    mu = np.asarray(fluid.viscosity(Ta))
    k = np.asarray(fluid.conductivity(Ta))
    Pr = np.asarray(fluid.prandtl(Ta))
    v = np.asarray(velocity(m, rho, d))
    Re = np.asarray(reynolds(m, d, mu))
    Nu = np.asarray(nusselt(Re, Pr, boundary))
    e = _arr(roughness, "roughness", nonneg=True)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        f = np.asarray(friction_factor(np.maximum(Re, 1e-300), e / d, method))
    dp = np.asarray(pressure_drop(m, d, length, rho, mu, e, k_minor, method))
    q = m / rho
    w = np.asarray(pump_power(dp, q, pump_efficiency))
    return PipeFlow(velocity=v, reynolds=Re, prandtl=Pr, nusselt=Nu, h=Nu * k / d,
                    friction_factor=f, pressure_drop=dp, volume_flow=q, pump_power=w)
