"""Secondary battery carrying the eclipse loads: capacity, round-trip efficiency, depth of
discharge, recharge from the PV in sunlight, and its mass.

The battery is an energy ledger stepped with the orbit transient (no thermal node of its
own): each step it delivers what the bus lacks (pump, heaters and the eclipse share of the
compute when the PV gives nothing) and, in sunlight, takes a recharge power from the bus
before the chips until it is full again. Round-trip efficiency η_rt is split evenly between
charge and discharge, η_c = η_d = √η_rt, so that one cycle that returns to the same state of
charge turns E_in of bus energy into η_rt·E_in of delivered energy. The losses
(1 − η_c)·P_charge and (1/η_d − 1)·P_delivered are heat in the battery, which sits on the
coolant loop (as the ISS batteries sit on cold plates of the ammonia photovoltaic thermal
control loop, docs/references.md §9): the satellite puts that heat into the coolant.

Defaults (docs/references.md §9): round-trip energy efficiency 0.90 of Li-ion cells at low
rates (0.90–0.95); depth of discharge 0.30 for the ~5,500 cycles per year of a low orbit
(LEO practice 20–40 %, [Wertz1999] §11.4); pack-level specific energy 150 Wh/kg (Li-ion
packs 100–200 Wh/kg, cells 150–250 Wh/kg); recharge at up to 0.5 C.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from thermosat.common.errors import InputError

__all__ = ["BatterySpec", "BatteryLedger"]


@dataclass(frozen=True)
class BatterySpec:
    """Battery design (SI units; energies in Wh as on datasheets).

    capacity_wh : nameplate energy (Wh); None = sized from the orbit: the deepest discharge
        of the periodic orbit divided by ``depth_of_discharge``
    round_trip_efficiency : delivered / charged energy over a cycle (−), in (0, 1]
    depth_of_discharge : largest allowed fraction of the capacity drawn per orbit (−)
    specific_energy_wh_kg : pack-level energy per mass (Wh/kg), for the mass budget
    charge_c_rate_per_h : largest recharge power as a multiple of the capacity (1/h)
    """

    capacity_wh: float | None = None
    round_trip_efficiency: float = 0.90
    depth_of_discharge: float = 0.30
    specific_energy_wh_kg: float = 150.0
    charge_c_rate_per_h: float = 0.5

    def __post_init__(self):
        if self.capacity_wh is not None and not self.capacity_wh > 0:
            raise InputError(f"battery capacity_wh: {self.capacity_wh} must be > 0 Wh (or "
                             "None = sized from the orbit)")
        for name in ("round_trip_efficiency", "depth_of_discharge"):
            v = getattr(self, name)
            if not 0 < v <= 1:
                raise InputError(f"battery {name}: {v} is outside (0, 1]")
        for name in ("specific_energy_wh_kg", "charge_c_rate_per_h"):
            if not getattr(self, name) > 0:
                raise InputError(f"battery {name}: {getattr(self, name)} must be > 0")

    @property
    def eta_charge(self) -> float:
        """Charge efficiency √η_rt (−)."""
        return math.sqrt(self.round_trip_efficiency)

    @property
    def eta_discharge(self) -> float:
        """Discharge efficiency √η_rt (−)."""
        return math.sqrt(self.round_trip_efficiency)

    def sized_capacity_wh(self, depth_wh: float) -> float:
        """Capacity (Wh) for which a discharge of ``depth_wh`` is the allowed depth."""
        return float(self.capacity_wh if self.capacity_wh is not None
                     else depth_wh / self.depth_of_discharge)

    def mass_kg(self, capacity_wh: float) -> float:
        """Pack mass (kg) of ``capacity_wh``."""
        return float(capacity_wh) / self.specific_energy_wh_kg


@dataclass
class BatteryLedger:
    """Energy state of a battery over an orbit, stepped explicitly with the transient.

    ``depth_j`` is the energy below full (J, ≥ 0). :meth:`step` books one time step: the bus
    delivers ``supply_w`` (W, PV after distribution losses) and the loads draw ``load_w``
    (W); a shortfall is discharged, a surplus recharges up to ``charge_limit_w`` and up to
    full. ``capacity_wh`` limits the recharge power (C-rate); with a sized battery (spec
    capacity None) it follows the deepest discharge seen so far.
    """

    spec: BatterySpec
    depth_j: float = 0.0
    max_depth_j: float = 0.0
    #: deepest discharge of earlier orbits (J): sizes a battery without a capacity together
    #: with this orbit's
    sizing_depth_j: float = 0.0
    #: sums over the steps booked so far (J): bus energy into the battery, energy delivered,
    #: heat of the battery (both directions), energy taken by the recharge
    charged_j: float = 0.0
    delivered_j: float = 0.0
    loss_j: float = 0.0
    log: list = field(default_factory=list)

    @property
    def capacity_wh(self) -> float:
        return self.spec.sized_capacity_wh(max(self.max_depth_j, self.sizing_depth_j) / 3600.0)

    def charge_limit_w(self, dt_s: float) -> float:
        """Recharge power (W of bus power) this step may take: the C-rate limit, and no more
        than brings the battery back to full in one step."""
        s = self.spec
        need = self.depth_j / (s.eta_charge * dt_s)
        return max(0.0, min(s.charge_c_rate_per_h * self.capacity_wh, need))

    def step(self, dt_s: float, discharge_w: float, charge_w: float) -> dict:
        """Book ``dt_s`` seconds of delivering ``discharge_w`` (W to the loads) and taking
        ``charge_w`` (W from the bus); returns the step's powers and heat (W)."""
        s = self.spec
        discharge_w, charge_w = max(discharge_w, 0.0), max(charge_w, 0.0)
        drawn = discharge_w / s.eta_discharge           # chemical energy out, W
        stored = s.eta_charge * charge_w                # chemical energy in, W
        heat = drawn - discharge_w + charge_w - stored  # W
        self.depth_j = max(self.depth_j + (drawn - stored) * dt_s, 0.0)
        self.max_depth_j = max(self.max_depth_j, self.depth_j)
        self.charged_j += charge_w * dt_s
        self.delivered_j += discharge_w * dt_s
        self.loss_j += heat * dt_s
        row = {"discharge_w": discharge_w, "charge_w": charge_w, "heat_w": heat,
               "depth_j": self.depth_j}
        self.log.append(row)
        return row
