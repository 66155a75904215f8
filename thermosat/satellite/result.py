"""Results of a satellite solve: the steady design point and the orbit transient."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from thermosat.model.model import Model
from thermosat.satellite.design import SatelliteDesign

__all__ = ["SatelliteResult", "OrbitResult"]


@dataclass
class SatelliteResult:
    """Steady satellite solution: fields, power budget, limits and energy balance."""

    design: SatelliteDesign
    model: Model
    T: np.ndarray
    energy: object
    power: dict
    temperatures: dict
    limits: dict
    convergence: list
    fixed_point: list
    time_s: float
    steady: object = None
    # surface exchange: breakdown of the radiative exchange (W), None without it
    exchange: dict | None = None

    @property
    def environment_heating(self) -> dict | None:
        """Absorbed environment heat on the exchanging faces (W): ``isolated_w`` (each face an
        isolated plate: the ``*:absorbed`` loads), ``blocked_w`` (ray-traced on the
        satellite's geometry with reflection) and ``delta_w`` (the ``env:*`` loads of
        :mod:`thermosat.satellite.heating`); None when it was off."""
        c = self.energy.conditions
        env = {k[4:]: v for k, v in c.items() if k.startswith("env:")
               and not k.endswith((":in", ":out"))}
        if not env:
            return None
        iso = sum(v for k, v in c.items() if k.endswith(":absorbed"))
        delta = sum(env.values())
        return {"isolated_w": iso, "blocked_w": iso + delta, "delta_w": delta, "faces": env}

    def summary(self) -> str:
        t, p = self.temperatures, self.power
        return (f"junction max {t['junction_max_k']:.2f} K ({t['junction_max_k'] - 273.15:.1f} °C)"
                f", cells max {t['cell_max_k']:.2f} K, coolant {t['coolant_min_k']:.2f}–"
                f"{t['coolant_max_k']:.2f} K; PV {p['pv_w'] / 1e3:.2f} kW, compute "
                f"{p['compute_w'] / 1e3:.2f} kW, pump {p['pump_w']:.1f} W; energy imbalance "
                f"{self.energy.imbalance_rel:.1e}; "
                + (f"pump and heaters need {self.limits['power_shortfall_w'] / 1e3:.2f} kW more "
                   "than the bus gives; " if self.limits.get("power_shortfall_w", 0.0) > 0
                   else "")
                + ("LIMITS VIOLATED: " + ", ".join(self.limits["violations"])
                   if self.limits.get("violations") else "all limits met"))


@dataclass
class OrbitResult:
    """Orbit transient: time series of key temperatures and powers, min/max, freeze flag."""

    times_s: np.ndarray
    series: dict
    extremes: dict
    freeze: bool
    boil: bool
    transient: object
    time_s: float
    #: max |ΔT| (K) between the same phase of each pair of consecutive orbits (issue 12)
    cyclic_residuals_k: list = field(default_factory=list)
