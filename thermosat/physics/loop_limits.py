"""Freezing and boiling limits of a single-phase coolant loop.

:func:`check_loop_temperatures` takes every coolant temperature of a solution (nodes along
the pipes, over an orbit — any array shape) and reports how far the coldest point is above
the freezing point and the hottest point below the boiling (saturation) temperature at the
loop pressure, against a required margin. The boiling and freezing models per fluid are those
of :mod:`thermosat.physics.fluids`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from thermosat.common.errors import InputError, PhysicsLimitError
from thermosat.physics.fluids import Fluid, get_fluid

__all__ = ["LoopLimits", "check_loop_temperatures"]

_ZERO_C = 273.15


def _kc(T: float) -> str:
    """'300.00 K (26.85 °C)'."""
    return f"{T:.2f} K ({T - _ZERO_C:.2f} °C)"


@dataclass(frozen=True)
class LoopLimits:
    """Result of :func:`check_loop_temperatures`.

    Attributes
    ----------
    fluid : str
        Fluid preset name.
    pressure : float
        Loop pressure [Pa].
    margin_k : float
        Required margin [K] from both freezing and boiling.
    T_freeze, T_boil : float
        Freezing point and boiling temperature at ``pressure`` [K].
    T_coldest, T_hottest : float
        Minimum and maximum of the checked temperatures [K].
    i_coldest, i_hottest : int
        Flat (C-order) indices of those points in the input array.
    freeze_margin : float
        ``T_coldest − T_freeze`` [K] (negative: part of the loop is frozen).
    boil_margin : float
        ``T_boil − T_hottest`` [K] (negative: part of the loop boils).
    freezes : bool
        ``freeze_margin < margin_k`` — the coldest point is frozen or closer to freezing than
        the required margin.
    boils : bool
        ``boil_margin < margin_k`` — likewise for boiling.
    worst_index : int
        Flat index of the point with the smaller of the two margins.
    worst_limit : str
        ``"freezing"`` or ``"boiling"``: which limit ``worst_index`` refers to.
    outside_property_range : bool
        Some temperatures lie outside the fluid's property table (``Fluid.T_min`` …
        ``Fluid.T_max``), where properties were clamped — results there are extrapolated.
    required_pressure : float
        Loop pressure [Pa] that would give ``T_boil = T_hottest + margin_k`` (vapour pressure
        at that temperature); ``nan`` if it is above the critical point.
    message : str
        Human-readable summary, temperatures in K and °C.
    """

    fluid: str
    pressure: float
    margin_k: float
    T_freeze: float
    T_boil: float
    T_coldest: float
    T_hottest: float
    i_coldest: int
    i_hottest: int
    freeze_margin: float
    boil_margin: float
    freezes: bool
    boils: bool
    worst_index: int
    worst_limit: str
    outside_property_range: bool
    required_pressure: float
    message: str

    @property
    def ok(self) -> bool:
        """True when neither limit is violated (with the margin)."""
        return not (self.freezes or self.boils)

    def raise_if_violated(self) -> None:
        """Raise :class:`~thermosat.common.errors.PhysicsLimitError` with :attr:`message` if not ok."""
        if not self.ok:
            raise PhysicsLimitError(self.message)


def check_loop_temperatures(
    fluid: Fluid | str,
    T_array: ArrayLike,
    pressure: float | None = None,
    margin_k: float = 0.0,
) -> LoopLimits:
    """Check coolant temperatures against freezing and boiling.

    Parameters
    ----------
    fluid : Fluid or preset name
    T_array : coolant temperatures [K], any shape, finite, > 0
    pressure : loop pressure [Pa]; default: the Fluid's pressure (or the preset default)
    margin_k : required distance [K] from both the freezing point and the boiling point, ≥ 0

    Returns
    -------
    LoopLimits

    Raises
    ------
    InputError
        Empty or non-finite temperatures, negative margin, unknown fluid or bad pressure.
    """
    fl = get_fluid(fluid, pressure)
    T = np.asarray(T_array, dtype=float).ravel()
    if T.size == 0:
        raise InputError("check_loop_temperatures: T_array is empty")
    if np.any(~np.isfinite(T)) or np.any(T <= 0.0):
        raise InputError("check_loop_temperatures: temperatures must be finite and > 0 K")
    margin = float(margin_k)
    if not math.isfinite(margin) or margin < 0.0:
        raise InputError(f"check_loop_temperatures: margin_k must be finite and >= 0 K, got {margin_k!r}")

    i_cold = int(np.argmin(T))
    i_hot = int(np.argmax(T))
    t_cold, t_hot = float(T[i_cold]), float(T[i_hot])
    fm = t_cold - fl.T_freeze
    bm = fl.T_boil - t_hot
    freezes = fm < margin
    boils = bm < margin
    worst_limit = "freezing" if fm <= bm else "boiling"
    worst_index = i_cold if worst_limit == "freezing" else i_hot
    outside = bool(np.any(~fl.in_range(T)))
    try:
        p_req = fl.required_pressure(t_hot, margin)
    except InputError:
        p_req = math.nan

    head = f"{fl.name} at {fl.pressure / 1e6:.3f} MPa"
    freeze_txt = (f"coldest {_kc(t_cold)} at index {i_cold} is {abs(fm):.2f} K "
                  f"{'above' if fm >= 0 else 'BELOW'} freezing {_kc(fl.T_freeze)}")
    boil_txt = (f"hottest {_kc(t_hot)} at index {i_hot} is {abs(bm):.2f} K "
                f"{'below' if bm >= 0 else 'ABOVE'} boiling {_kc(fl.T_boil)}")
    problems = []
    if freezes:
        problems.append(f"freezes (short of the {margin:.2f} K margin by {margin - fm:.2f} K)")
    if boils:
        fix = (f"; raise the loop pressure to >= {p_req / 1e6:.3f} MPa or run cooler"
               if math.isfinite(p_req) else "; no liquid loop pressure can hold it (above critical)")
        problems.append(f"boils (short of the {margin:.2f} K margin by {margin - bm:.2f} K{fix})")
    status = "OK" if not problems else "FAILS: " + " and ".join(problems)
    msg = f"{head}: {status}. {freeze_txt}; {boil_txt}; required margin {margin:.2f} K."
    if outside:
        msg += (f" Note: some temperatures lie outside the property range "
                f"{fl.T_min:.2f}-{fl.T_max:.2f} K; properties there are clamped.")
    return LoopLimits(
        fluid=fl.name, pressure=fl.pressure, margin_k=margin,
        T_freeze=fl.T_freeze, T_boil=fl.T_boil,
        T_coldest=t_cold, T_hottest=t_hot, i_coldest=i_cold, i_hottest=i_hot,
        freeze_margin=fm, boil_margin=bm, freezes=bool(freezes), boils=bool(boils),
        worst_index=worst_index, worst_limit=worst_limit,
        outside_property_range=outside, required_pressure=p_req, message=msg,
    )
