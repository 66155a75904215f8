"""Thermostat-controlled coolant heaters: freeze protection of the loop in eclipse.

A heater on the pump inlet line (heat into the pump's fluid node) is switched by a
thermostat on the coolant returning from the radiators (the fluid node just upstream of the
pump, the coldest mixed stream of the loop). Its power follows a proportional band below the
set point, smoothed so that Newton sees a C¹ law:

    u = (T_set − T_sensor) / band,   P = P_max · s(u),   s(u) = 3u² − 2u³ on [0, 1],
    s = 0 for u ≤ 0 (off above the set point), s = 1 for u ≥ 1 (full power at T_set − band).

The heater is a term of the model (implicit in every Newton step, with its Jacobian on the
sensor node), so it acts within a time step and needs no controller lag. Its electricity
comes from the bus: the PV in sunlight, the battery in eclipse
(:mod:`thermosat.physics.battery`).

Defaults (docs/references.md §9): band 5 K; set point T_freeze + freeze margin + band + 3 K
(full power is reached 3 K above the required margin; the 3 K allow for channel outlets a
little colder than the mixed return); maximum power sized to what both faces of the radiator
emit at the set point, 2·ε·σ·T_set⁴·A, an upper bound of the eclipse heat loss that ignores
the Earth's infrared (the thermostat draws only what the loop needs).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermosat.common.constants import SIGMA
from thermosat.common.errors import InputError
from thermosat.terms.base import Term

__all__ = ["HeaterSpec", "ThermostatHeater", "heater_fraction", "build_heater"]

#: K above freezing + margin + band at which the default set point sits
SET_POINT_GUARD_K = 3.0


@dataclass(frozen=True)
class HeaterSpec:
    """Coolant heater with a thermostat (SI units, K).

    enabled : whether the loop has heaters
    set_point_k : thermostat set point on the radiator return (K); None = T_freeze +
        freeze margin + band + 3 K
    band_k : proportional band (K): off at the set point, full power ``band_k`` below it
    max_power_w : heater power at full on (W); None = sized: 2·ε·σ·T_set⁴ × radiator area
    """

    enabled: bool = True
    set_point_k: float | None = None
    band_k: float = 5.0
    max_power_w: float | None = None

    def __post_init__(self):
        if not isinstance(self.enabled, (bool, np.bool_)):
            raise InputError(f"heaters enabled: {self.enabled!r} must be true or false")
        if self.set_point_k is not None and not self.set_point_k > 0:
            raise InputError(f"heaters set_point_k: {self.set_point_k} must be > 0 K")
        if not 0 < self.band_k <= 100:
            raise InputError(f"heaters band_k: {self.band_k} is outside (0, 100] K")
        if self.max_power_w is not None and not self.max_power_w >= 0:
            raise InputError(f"heaters max_power_w: {self.max_power_w} must be ≥ 0 W")


def heater_fraction(T_sensor, set_point_k: float, band_k: float):
    """(s, ds/dT): fraction of full power at sensor temperature ``T_sensor`` (K) and its
    derivative (1/K)."""
    u = np.clip((set_point_k - np.asarray(T_sensor, float)) / band_k, 0.0, 1.0)
    return 3 * u**2 - 2 * u**3, -(6 * u - 6 * u**2) / band_k


class ThermostatHeater(Term):
    """Heat ``P_max · s((T_set − T[sensor]) / band)`` (W) into node ``heater_node``."""

    nonlinear = True
    symmetric = False

    def __init__(self, heater_node: int, sensor_node: int, set_point_k: float, band_k: float,
                 max_power_w: float, name: str = "heater"):
        self.node = int(heater_node)
        self.sensor = int(sensor_node)
        self.set_point_k = float(set_point_k)
        self.band_k = float(band_k)
        self.max_power_w = float(max_power_w)
        self.name = name
        self._slots = None

    def blocks(self):
        return [np.array([[self.node, self.sensor]], np.int64)]

    def bind(self, pattern):
        self._slots = pattern.slots(np.array([[self.node, self.sensor]], np.int64))[0]

    def power_w(self, T: np.ndarray) -> float:
        """Heater power (W) at nodal temperatures ``T``."""
        s, _ = heater_fraction(T[self.sensor], self.set_point_k, self.band_k)
        return float(self.max_power_w * s)

    def add_nonlinear(self, T, t, R, data):
        s, ds = heater_fraction(T[self.sensor], self.set_point_k, self.band_k)
        R[self.node] -= self.max_power_w * s
        if data.shape[0]:
            data[self._slots[0, 1]] -= self.max_power_w * ds

    def flows(self, T, t):
        return {self.name: self.power_w(T)}


def build_heater(model, spec: HeaterSpec, heater_node: int, sensor_node: int, *,
                 t_freeze_k: float, freeze_margin_k: float, radiator_area_m2: float,
                 epsilon: float, name: str = "heater") -> ThermostatHeater | None:
    """Add the thermostat heater of ``spec`` to ``model`` (global node ids); None when the
    spec is disabled. Set point and power follow the defaults of :class:`HeaterSpec`."""
    if not spec.enabled:
        return None
    t_set = (spec.set_point_k if spec.set_point_k is not None
             else t_freeze_k + freeze_margin_k + spec.band_k + SET_POINT_GUARD_K)
    p_max = (spec.max_power_w if spec.max_power_w is not None
             else 2.0 * epsilon * SIGMA * t_set**4 * radiator_area_m2)
    term = ThermostatHeater(heater_node, sensor_node, t_set, spec.band_k, p_max, name=name)
    model.add_term(term)
    return term
