"""Coolant properties from CoolProp, tabulated for fast interpolation in solver kernels.

A :class:`Fluid` is a liquid coolant at a fixed loop pressure ``pressure`` [Pa]. Its
properties are functions of temperature only (single-phase liquid):

================  ===========  ==========================================
method            unit         meaning
================  ===========  ==========================================
``density``       kg/m³        mass density ρ
``cp``            J/(kg K)     isobaric specific heat c_p
``viscosity``     Pa s         dynamic viscosity μ
``conductivity``  W/(m K)      thermal conductivity k
``prandtl``       –            Pr = c_p μ / k
================  ===========  ==========================================

They are read once from CoolProp on a temperature grid between the freezing point and just
below the boiling point at the loop pressure (:meth:`Fluid.table`), cached in memory per
(fluid, pressure, n), and then interpolated linearly with ``np.interp`` — the same arrays can
be handed to Numba kernels. Temperatures outside the table are clamped to the end values
(``np.interp`` semantics); use :func:`thermosat.physics.loop_limits.check_loop_temperatures`
to find out whether a temperature field freezes or boils, and ``exact=True`` to call CoolProp
directly (which raises :class:`~thermosat.common.errors.InputError` outside its range).

Presets (:data:`FLUID_PRESETS`)
-------------------------------
``ammonia``  CoolProp ``Ammonia`` (Helmholtz EOS, Gao et al. 2020). Freezing point = triple
             point 195.495 K (−77.65 °C). Default loop pressure 2.0 MPa → T_sat 322.5 K
             (49.4 °C); vapour pressure is 1.061 MPa at 300 K, so loops running hotter need
             more pressure (2.6 MPa → 332.9 K, 3.0 MPa → 338.9 K).
``water``    CoolProp ``Water`` (IAPWS-95). Freezing point = triple point 273.16 K.
             Default 0.2 MPa → T_sat 393.4 K (120.2 °C).
``pg50``     ``INCOMP::MPG-50%`` propylene glycol–water, 50 % by mass (SecCool/Melinder
             data). Freezing point from CoolProp ``T_freeze`` (240.96 K, −32.2 °C).
             Default 0.2 MPa.
``eg50``     ``INCOMP::MEG-50%`` ethylene glycol–water, 50 % by mass. ``T_freeze``
             237.16 K (−36.0 °C). Default 0.2 MPa.
``hfe7100``  ``INCOMP::HFE2`` 3M Novec HFE-7100 (methoxy-nonafluorobutane; CoolProp data
             "3M2007, Skovrup2013"). Default 0.2 MPa. **Known data problem** (CoolProp
             issue #1492, open): at 25 °C HFE2 gives μ = 0.37 mPa s against 3M's 0.58 mPa s
             (−36 %) and ρ = 1482 against 1510 kg/m³ (−2 %); c_p (1183 J/kgK) and k
             (0.069 W/mK) agree with 3M. The viscosity error raises Re by ~1.6× and lowers
             laminar Δp by ~36 % — treat HFE results as indicative.

**HFE-7200 is not available**: CoolProp 8's incompressible library has only HFE-7100
(``HFE`` — older fit, whose conductivity ≈ 0.97 W/mK is an order of magnitude too high — and
``HFE2``). ``hfe7200`` therefore raises :class:`~thermosat.common.errors.InputError` pointing to
``hfe7100``, whose properties are close (3M: ρ 1510 vs 1420 kg/m³, μ 0.58 vs 0.58 mPa s,
c_p 1183 vs 1220 J/kgK at 25 °C; pour point −135 vs −138 °C; boils 61 vs 76 °C at 1 atm).

Boiling and freezing models
---------------------------
* Pure fluids (ammonia, water): saturation temperature at the loop pressure from CoolProp
  (``P``, ``Q=0``); freezing point = triple-point temperature (the melting line moves by
  < 0.1 K over the loop pressures of interest). The loop pressure must lie between the
  triple-point and critical pressures.
* Glycol–water (CoolProp has no saturation data for these): Raoult's law for the water in an
  ideal solution, ``p_v(T) = x_w · p_sat,water(T)`` with the water mole fraction ``x_w`` of
  the 50 wt % mixture (0.809 for PG, 0.775 for EG), so ``T_boil(p) = T_sat,water(p / x_w)``.
  At 101.325 kPa this gives 106.0 °C (PG) and 107.3 °C (EG), matching published boiling
  points of 50 wt % solutions (≈ 106 °C and ≈ 107 °C, Dow / MEGlobal product literature).
  Approximate (ideal solution, glycol vapour neglected): ±2 K.
* HFE-7100: Clausius–Clapeyron through two 3M datasheet points — normal boiling point 61 °C
  (334.15 K) at 101.325 kPa and vapour pressure 27 kPa at 25 °C — i.e.
  ``ln(p/p_atm) = B (1/T_nb − 1/T)`` with B ≈ 3660 K. Freezing: 3M pour point −135 °C
  (138.15 K). CoolProp's fit only covers 192.82–337.42 K, so the property table is limited to
  that range (``T_min``/``T_max``) even though the liquid exists beyond it.

Incompressible (``INCOMP::``) fluids: CoolProp's correlations also have a validity range
``[Tmin, Tmax]``; the table range is the intersection of [freezing point, boiling point at the
loop pressure] with that range, reported as ``Fluid.T_min`` / ``Fluid.T_max``. Their
properties do not depend on pressure.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermosat.common.errors import InputError

try:  # CoolProp is a hard dependency, but fail with a clear message if it is missing
    import CoolProp
    import CoolProp.CoolProp as CP
except ImportError as exc:  # pragma: no cover - environment problem
    raise ImportError("thermosat.physics.fluids needs CoolProp (pip install CoolProp)") from exc

__all__ = [
    "FLUID_PRESETS",
    "P_ATM",
    "Fluid",
    "FluidPreset",
    "available_fluids",
    "get_fluid",
]

P_ATM: float = 101325.0
"""Standard atmosphere [Pa]."""

_TOP_GAP_K = 0.05
"""The table stops this far [K] below the boiling point (CoolProp phase ambiguity at T_sat)."""

_DEFAULT_N = 400
"""Grid size of the table used by the interpolating property methods."""

# Molar masses [kg/mol] for the Raoult boiling model of glycol–water mixtures.
_M_WATER = 18.015e-3
_M_PG = 76.09e-3  # propylene glycol C3H8O2
_M_EG = 62.07e-3  # ethylene glycol C2H6O2


def _water_mole_fraction(glycol_mass_fraction: float, m_glycol: float) -> float:
    """Mole fraction of water [-] in a water–glycol mixture of given glycol mass fraction [-]."""
    n_w = (1.0 - glycol_mass_fraction) / _M_WATER
    n_g = glycol_mass_fraction / m_glycol
    return n_w / (n_w + n_g)


@dataclass(frozen=True)
class FluidPreset:
    """A coolant the toolkit knows.

    Attributes
    ----------
    name : str
        Preset name used in case files (lower case).
    coolprop_id : str
        CoolProp fluid string usable with ``PropsSI`` (e.g. ``"INCOMP::MPG-50%"``).
    default_pressure : float
        Loop pressure [Pa] used when none is given.
    kind : {"pure", "incompressible"}
        ``"pure"``: CoolProp Helmholtz-energy EOS (``HEOS``) with saturation data;
        ``"incompressible"``: CoolProp ``INCOMP`` correlation (no saturation data).
    notes : str
        Provenance and model notes.
    """

    name: str
    coolprop_id: str
    default_pressure: float
    kind: Literal["pure", "incompressible"]
    notes: str
    # internal: backend fluid name and mass fraction for CoolProp.AbstractState
    _backend_fluid: str = ""
    _mass_fraction: float | None = None
    # boiling model for incompressibles: ("raoult", x_water) or ("clausius", T_nb, B)
    _boiling: tuple = ()
    _freeze_override: float | None = None


# Clausius–Clapeyron constant for HFE-7100 from 3M datasheet points (see module docstring).
_HFE7100_TNB = 334.15  # K, normal boiling point 61 °C
_HFE7100_T25, _HFE7100_P25 = 298.15, 27.0e3  # K, Pa
_HFE7100_B = math.log(P_ATM / _HFE7100_P25) / (1.0 / _HFE7100_T25 - 1.0 / _HFE7100_TNB)

_X_W_PG50 = _water_mole_fraction(0.5, _M_PG)
_X_W_EG50 = _water_mole_fraction(0.5, _M_EG)

FLUID_PRESETS: dict[str, FluidPreset] = {
    "ammonia": FluidPreset(
        "ammonia", "Ammonia", 2.0e6, "pure",
        "Anhydrous ammonia (R717), CoolProp HEOS. Freezes at the triple point 195.5 K "
        "(-77.7 C); vapour pressure 1.06 MPa at 300 K. Default 2.0 MPa -> T_sat 322.5 K "
        "(49.4 C); ISS external loops use ammonia.",
        _backend_fluid="Ammonia",
    ),
    "water": FluidPreset(
        "water", "Water", 0.2e6, "pure",
        "Water, CoolProp HEOS (IAPWS-95). Freezes at 273.16 K; default 0.2 MPa -> "
        "T_sat 393.4 K (120.2 C).",
        _backend_fluid="Water",
    ),
    "pg50": FluidPreset(
        "pg50", "INCOMP::MPG-50%", 0.2e6, "incompressible",
        "Propylene glycol-water 50 % by mass, CoolProp INCOMP (SecCool). T_freeze 241.0 K "
        "(-32.2 C) from CoolProp; boiling by Raoult's law on water (about 106 C at 1 atm).",
        _backend_fluid="MPG", _mass_fraction=0.5, _boiling=("raoult", _X_W_PG50),
    ),
    "eg50": FluidPreset(
        "eg50", "INCOMP::MEG-50%", 0.2e6, "incompressible",
        "Ethylene glycol-water 50 % by mass, CoolProp INCOMP (SecCool). T_freeze 237.2 K "
        "(-36.0 C) from CoolProp; boiling by Raoult's law on water (about 107 C at 1 atm).",
        _backend_fluid="MEG", _mass_fraction=0.5, _boiling=("raoult", _X_W_EG50),
    ),
    "hfe7100": FluidPreset(
        "hfe7100", "INCOMP::HFE2", 0.2e6, "incompressible",
        "3M Novec HFE-7100, CoolProp INCOMP::HFE2 (3M 2007, Skovrup 2013), properties valid "
        "192.8-337.4 K. Pour point -135 C (3M). Boiling by Clausius-Clapeyron through 3M "
        "datasheet points (61 C at 1 atm, 27 kPa at 25 C). CoolProp viscosity is ~36 % "
        "below 3M's 0.58 mPa s at 25 C (CoolProp issue #1492). Closest CoolProp fluid to "
        "HFE-7200, which CoolProp does not have.",
        _backend_fluid="HFE2", _boiling=("clausius", _HFE7100_TNB, _HFE7100_B),
        _freeze_override=273.15 - 135.0,
    ),
}

_ALIASES: dict[str, str] = {
    "ammonia": "ammonia", "nh3": "ammonia", "r717": "ammonia",
    "water": "water", "h2o": "water",
    "pg50": "pg50", "mpg-50%": "pg50", "incomp::mpg-50%": "pg50",
    "propylene-glycol-50": "pg50", "propylene_glycol_50": "pg50", "glycol-water": "pg50",
    "eg50": "eg50", "meg-50%": "eg50", "incomp::meg-50%": "eg50",
    "ethylene-glycol-50": "eg50", "ethylene_glycol_50": "eg50",
    "hfe7100": "hfe7100", "hfe-7100": "hfe7100", "novec7100": "hfe7100",
    "incomp::hfe2": "hfe7100",
}

_HFE7200_MSG = ("HFE-7200 is not in CoolProp 8's incompressible library; use 'hfe7100' "
                "(INCOMP::HFE2), the closest available hydrofluoroether")
_NOT_AVAILABLE: dict[str, str] = {k: _HFE7200_MSG for k in ("hfe7200", "hfe-7200", "novec7200")}


def available_fluids() -> list[str]:
    """Names of the coolant presets (keys of :data:`FLUID_PRESETS`)."""
    return list(FLUID_PRESETS)


def _resolve(name: str) -> FluidPreset:
    if not isinstance(name, str):
        raise InputError(f"fluid name must be a string, got {type(name).__name__}; "
                         f"allowed: {', '.join(FLUID_PRESETS)}")
    key = name.strip().lower()
    if key in _NOT_AVAILABLE:
        raise InputError(f"fluid {name!r}: {_NOT_AVAILABLE[key]}; "
                         f"allowed: {', '.join(FLUID_PRESETS)}")
    if key not in _ALIASES:
        raise InputError(f"unknown fluid {name!r}; allowed: {', '.join(FLUID_PRESETS)} "
                         f"(aliases: {', '.join(sorted(k for k in _ALIASES if k not in FLUID_PRESETS))})")
    return FLUID_PRESETS[_ALIASES[key]]


def _new_state(preset: FluidPreset) -> CoolProp.AbstractState:
    if preset.kind == "pure":
        st = CoolProp.AbstractState("HEOS", preset._backend_fluid)
        st.specify_phase(CoolProp.iphase_liquid)
    else:
        st = CoolProp.AbstractState("INCOMP", preset._backend_fluid)
        if preset._mass_fraction is not None:
            st.set_mass_fractions([preset._mass_fraction])
    return st


# ----------------------------------------------------------------------------- caches
_TABLE_CACHE: dict[tuple[str, float, int], tuple[NDArray[np.float64], ...]] = {}


def _readonly(a: NDArray[np.float64]) -> NDArray[np.float64]:
    a = np.ascontiguousarray(a, dtype=np.float64)
    a.setflags(write=False)
    return a


class Fluid:
    """A liquid coolant at a fixed loop pressure.

    Parameters
    ----------
    name : str
        Preset name (see :data:`FLUID_PRESETS`; case-insensitive, a few aliases such as
        ``"NH3"`` or ``"INCOMP::MPG-50%"`` are accepted).
    pressure : float, optional
        Loop pressure [Pa]; defaults to the preset's ``default_pressure``. For pure fluids it
        must lie between the triple-point and critical pressures.

    Attributes
    ----------
    name, coolprop_id, kind, notes : str
    pressure : float
        Loop pressure [Pa].
    T_freeze : float
        Freezing point [K] (triple point for pure fluids, CoolProp ``T_freeze`` for glycols,
        3M pour point for HFE-7100).
    T_boil : float
        Boiling (saturation) temperature at the loop pressure [K] — see module docstring
        for the models used for incompressible mixtures.
    T_min, T_max : float
        Range of the property table [K]: [freezing, boiling − 0.05 K] intersected with
        CoolProp's validity range.

    Raises
    ------
    InputError
        Unknown fluid, non-positive/non-finite pressure, or a pressure outside the liquid
        range of a pure fluid.
    """

    def __init__(self, name: str, pressure: float | None = None) -> None:
        preset = _resolve(name)
        p = preset.default_pressure if pressure is None else pressure
        try:
            p = float(p)
        except (TypeError, ValueError):
            raise InputError(f"fluid {preset.name!r}: pressure must be a number [Pa], got {pressure!r}") from None
        if not math.isfinite(p) or p <= 0.0:
            raise InputError(f"fluid {preset.name!r}: pressure must be finite and > 0 Pa, got {p!r}")
        self._preset = preset
        self.name: str = preset.name
        self.coolprop_id: str = preset.coolprop_id
        self.kind: str = preset.kind
        self.notes: str = preset.notes
        self.pressure: float = p

        if preset.kind == "pure":
            fl = preset._backend_fluid
            p_tr = CP.PropsSI("ptriple", fl)
            p_c = CP.PropsSI("pcrit", fl)
            if not (p_tr < p < p_c):
                raise InputError(
                    f"fluid {preset.name!r}: loop pressure {p:.6g} Pa must lie between the "
                    f"triple-point pressure {p_tr:.6g} Pa and the critical pressure {p_c:.6g} Pa "
                    "for a liquid loop")
            self.T_freeze = float(CP.PropsSI("Ttriple", fl))
            self.T_boil = float(CP.PropsSI("T", "P", p, "Q", 0, fl))
            t_lo_cp, t_hi_cp = self.T_freeze, math.inf
        else:
            st = _new_state(preset)
            t_lo_cp, t_hi_cp = float(st.Tmin()), float(st.Tmax())
            if preset._freeze_override is not None:
                self.T_freeze = float(preset._freeze_override)
            else:
                self.T_freeze = float(CP.PropsSI("T_freeze", preset.coolprop_id))
            self.T_boil = float(self.saturation_temperature(p))
        self.T_min: float = max(self.T_freeze, t_lo_cp)
        self.T_max: float = min(self.T_boil - _TOP_GAP_K, t_hi_cp)
        if self.T_max - self.T_min < 1.0:
            raise InputError(
                f"fluid {preset.name!r} at {p:.6g} Pa has no liquid range: freezing "
                f"{self.T_freeze:.2f} K, boiling {self.T_boil:.2f} K")

    # ------------------------------------------------------------------ dunder
    def __repr__(self) -> str:
        return f"Fluid({self.name!r}, pressure={self.pressure:.6g})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fluid) and (self.name, self.pressure) == (other.name, other.pressure)

    def __hash__(self) -> int:
        return hash((self.name, self.pressure))

    # ------------------------------------------------------------------ saturation
    def vapour_pressure(self, T: ArrayLike) -> NDArray[np.float64]:
        """Vapour (saturation) pressure [Pa] at temperature ``T`` [K].

        Pure fluids: CoolProp (``T``, ``Q=0``), valid from the triple point to the critical
        temperature. Glycol–water: Raoult's law ``x_w · p_sat,water(T)`` (T clamped to water's
        triple-point…critical range). HFE-7100:
        Clausius–Clapeyron fit (module docstring).
        """
        T = np.asarray(T, dtype=float)
        pr = self._preset
        if pr.kind == "pure":
            fl = pr._backend_fluid
            t_tr, t_c = CP.PropsSI("Ttriple", fl), CP.PropsSI("Tcrit", fl)
            if np.any(~np.isfinite(T)) or np.any(T < t_tr) or np.any(T > t_c):
                raise InputError(f"fluid {self.name!r}: vapour pressure needs {t_tr:.3f} K <= T "
                                 f"<= {t_c:.3f} K")
            out = np.array([CP.PropsSI("P", "T", float(t), "Q", 0, fl) for t in T.ravel()])
            return out.reshape(T.shape)
        if pr._boiling[0] == "raoult":
            x_w = pr._boiling[1]
            t_tr, t_c = CP.PropsSI("Ttriple", "Water"), CP.PropsSI("Tcrit", "Water")
            Tc = np.clip(T, t_tr, t_c)
            pw = np.array([CP.PropsSI("P", "T", float(t), "Q", 0, "Water") for t in Tc.ravel()])
            return x_w * pw.reshape(T.shape)
        _, t_nb, b = pr._boiling
        return P_ATM * np.exp(b * (1.0 / t_nb - 1.0 / T))

    def saturation_temperature(self, pressure: float | None = None) -> float:
        """Boiling temperature [K] at ``pressure`` [Pa] (default: the loop pressure)."""
        p = self.pressure if pressure is None else float(pressure)
        pr = self._preset
        if not math.isfinite(p) or p <= 0:
            raise InputError(f"fluid {self.name!r}: pressure must be finite and > 0 Pa, got {p!r}")
        try:
            if pr.kind == "pure":
                return float(CP.PropsSI("T", "P", p, "Q", 0, pr._backend_fluid))
            if pr._boiling[0] == "raoult":
                return float(CP.PropsSI("T", "P", p / pr._boiling[1], "Q", 0, "Water"))
        except ValueError as exc:
            raise InputError(f"fluid {self.name!r}: no saturation temperature at {p:.6g} Pa "
                             f"({exc})") from None
        _, t_nb, b = pr._boiling
        return float(1.0 / (1.0 / t_nb - math.log(p / P_ATM) / b))

    def required_pressure(self, T_hot: float, margin_k: float = 0.0) -> float:
        """Smallest loop pressure [Pa] that keeps the liquid ``margin_k`` [K] below boiling at
        its hottest temperature ``T_hot`` [K], i.e. the vapour pressure at ``T_hot + margin_k``.

        Raises :class:`InputError` if that temperature is above the critical point.
        """
        return float(self.vapour_pressure(float(T_hot) + float(margin_k)))

    # ------------------------------------------------------------------ tables
    def table(self, n: int = 200) -> tuple[NDArray[np.float64], ...]:
        """Property table on ``n`` equally spaced temperatures from ``T_min`` to ``T_max``.

        Returns
        -------
        (T, rho, cp, mu, k) : tuple of read-only float64 arrays, shape (n,)
            T [K], density [kg/m³], specific heat [J/(kg K)], dynamic viscosity [Pa s],
            conductivity [W/(m K)]. Cached per (fluid, pressure, n); interpolate with
            ``np.interp(T_query, T, rho)`` (works inside Numba ``@njit`` code).
        """
        n = int(n)
        if n < 2:
            raise InputError(f"table size n must be >= 2, got {n}")
        key = (self.coolprop_id, self.pressure, n)
        hit = _TABLE_CACHE.get(key)
        if hit is not None:
            return hit
        T = np.linspace(self.T_min, self.T_max, n)
        rho, cp, mu, k = self._coolprop(T)
        out = tuple(_readonly(a) for a in (T, rho, cp, mu, k))
        _TABLE_CACHE[key] = out
        return out

    def _coolprop(self, T: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
        st = _new_state(self._preset)
        flat = np.asarray(T, dtype=float).ravel()
        res = np.empty((4, flat.size))
        for i, t in enumerate(flat):
            try:
                st.update(CoolProp.PT_INPUTS, self.pressure, float(t))
            except ValueError as exc:
                raise InputError(f"fluid {self.name!r}: CoolProp cannot evaluate T = {t:.6g} K "
                                 f"at p = {self.pressure:.6g} Pa ({exc})") from None
            res[0, i] = st.rhomass()
            res[1, i] = st.cpmass()
            res[2, i] = st.viscosity()
            res[3, i] = st.conductivity()
        shape = np.shape(T)
        return tuple(r.reshape(shape) for r in res)

    def _check_exact(self, Ta: NDArray[np.float64]) -> None:
        bad = ~np.isfinite(Ta) | (Ta < self.T_min - 1e-9) | (Ta > self.T_max + 1e-9)
        if np.any(bad):
            raise InputError(f"fluid {self.name!r}: temperature outside the liquid/property "
                             f"range {self.T_min:.3f}-{self.T_max:.3f} K at "
                             f"{self.pressure:.6g} Pa")

    def _prop(self, T: ArrayLike, idx: int, exact: bool) -> NDArray[np.float64] | float:
        Ta = np.asarray(T, dtype=float)
        if exact:
            self._check_exact(Ta)
            out = self._coolprop(Ta)[idx - 1]
        else:
            tab = self.table(_DEFAULT_N)
            out = np.interp(Ta, tab[0], tab[idx])
        return float(out) if np.ndim(out) == 0 else out

    # ------------------------------------------------------------------ properties
    def density(self, T: ArrayLike, *, exact: bool = False) -> NDArray[np.float64] | float:
        """Density ρ [kg/m³] at temperature ``T`` [K] (table interpolation; ``exact`` → CoolProp)."""
        return self._prop(T, 1, exact)

    def cp(self, T: ArrayLike, *, exact: bool = False) -> NDArray[np.float64] | float:
        """Isobaric specific heat c_p [J/(kg K)] at ``T`` [K]."""
        return self._prop(T, 2, exact)

    def viscosity(self, T: ArrayLike, *, exact: bool = False) -> NDArray[np.float64] | float:
        """Dynamic viscosity μ [Pa s] at ``T`` [K]."""
        return self._prop(T, 3, exact)

    def conductivity(self, T: ArrayLike, *, exact: bool = False) -> NDArray[np.float64] | float:
        """Thermal conductivity k [W/(m K)] at ``T`` [K]."""
        return self._prop(T, 4, exact)

    def prandtl(self, T: ArrayLike, *, exact: bool = False) -> NDArray[np.float64] | float:
        """Prandtl number Pr = c_p μ / k [-] at ``T`` [K]."""
        Ta = np.asarray(T, dtype=float)
        if exact:
            self._check_exact(Ta)
            _, cp, mu, k = self._coolprop(Ta)
            out = cp * mu / k
        else:
            tab = self.table(_DEFAULT_N)
            out = (np.interp(Ta, tab[0], tab[2]) * np.interp(Ta, tab[0], tab[3])
                   / np.interp(Ta, tab[0], tab[4]))
        return float(out) if np.ndim(out) == 0 else out

    def in_range(self, T: ArrayLike) -> NDArray[np.bool_]:
        """True where ``T`` [K] lies inside the property table range [T_min, T_max]."""
        Ta = np.asarray(T, dtype=float)
        return (Ta >= self.T_min) & (Ta <= self.T_max)


_FLUID_CACHE: dict[tuple[str, float | None], Fluid] = {}


def get_fluid(name: str | Fluid, pressure: float | None = None) -> Fluid:
    """Return a (cached) :class:`Fluid` for ``name`` at ``pressure`` [Pa].

    A :class:`Fluid` passed in is returned unchanged when ``pressure`` is ``None`` or equal to
    its own, otherwise the same fluid at the new pressure is returned.
    """
    if isinstance(name, Fluid):
        if pressure is None or float(pressure) == name.pressure:
            return name
        name = name.name
    preset = _resolve(name)
    if pressure is not None:
        try:
            pressure = float(pressure)
        except (TypeError, ValueError):
            raise InputError(f"fluid {preset.name!r}: pressure must be a number [Pa], "
                             f"got {pressure!r}") from None
    key = (preset.name, pressure)
    fl = _FLUID_CACHE.get(key)
    if fl is None:
        fl = Fluid(preset.name, pressure)
        _FLUID_CACHE[key] = fl
    return fl
