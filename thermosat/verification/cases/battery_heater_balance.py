"""Validation case — battery and heater energy balance over one eclipse orbit (issue 12).

Problem
-------
A coarse VLEO satellite (default case, sized-scale wings, 2.5 m elements) in the coldest
orbit (``[environments.cold_eclipse]``: cold environment at β = 0, 35.8 min eclipse) runs
one orbit from its steady noon point. Compute is off in eclipse (the default policy); the
pump and the thermostat heaters on the coolant return run from the battery, which is
recharged from the PV in sunlight (here at up to 2 C so that it is full again before the
orbit ends at noon).

Reference
---------
Conservation, three ledgers that are kept apart in the code and must agree:

1. battery energy delivered in eclipse = pump + heater + die energy the thermal model
   received in the eclipse steps (Σ of the terms' flows × Δt from the transient's per-step
   energy balances, not from the battery ledger);
2. heater energy into the coolant (the thermal model's ``power:heater`` flow × Δt) = heater
   electrical energy booked on the bus;
3. state of charge returns: full at the start and full at the end, and the ledger closes,
   η_c·E_charged − E_delivered/η_d = 0 (η_c = η_d = √η_rt).

Each as a relative difference (reference 0, absolute tolerance 1e-6). The heaters must hold
the coolant at or above freezing + margin through the orbit (a row of the case; the test
asserts it).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from thermosat.physics.battery import BatterySpec
from thermosat.verification.case import CaseResult

NAME = "battery_heater_balance"

COARSE = {"element_size_m": 2.5, "package_mesh_density": 2}
WING_AREA_M2 = 100.0
STEPS = 48


def orbit(steps: int = STEPS):
    """(satellite, steady result, orbit result) of the case."""
    from thermosat.case.defaults import default_case
    from thermosat.satellite.satellite import Satellite

    d = default_case("vleo").to_design(environment="cold_eclipse", wing_area_m2=WING_AREA_M2,
                                       cell_area_m2=70.0, **COARSE)
    d = replace(d, battery=BatterySpec(charge_c_rate_per_h=2.0))
    sat = Satellite(d)
    sat.rated_compute_w = d.n_packages * d.package.rated_power_w
    res = sat.solve_steady()
    return sat, res, sat.solve_orbit(res, steps=steps, periodic=False)


def balances(sat, o) -> dict:
    """The three relative closures (−) and the energies (Wh) they compare."""
    s, tr = o.series, o.transient
    dt = o.extremes["period_s"] / (len(s["t_s"]) - 1)
    dark = np.asarray(s["eclipse"][1:], bool)  # step k ends at s[k + 1]
    flows = [e.heat_in for e in tr.energy_steps]

    def flow(pred):
        return np.array([sum(v for k, v in f.items() if pred(k)) for f in flows])

    heater_th = flow(lambda k: k == "power:heater")
    pump_th = flow(lambda k: k.endswith(":pump_heat"))
    dies_th = flow(lambda k: k.endswith(":die_power"))
    out_ecl = float(np.sum(np.asarray(s["battery_discharge_w"][1:])[dark])) * dt
    loads_ecl = float(np.sum((heater_th + pump_th + dies_th)[dark])) * dt
    heater_el = float(np.sum(s["heater_w"][1:])) * dt
    heater_in = float(np.sum(heater_th)) * dt
    spec = sat.design.battery
    charged = float(np.sum(s["battery_charge_w"][1:])) * dt
    delivered = float(np.sum(s["battery_discharge_w"][1:])) * dt
    closure = spec.eta_charge * charged - delivered / spec.eta_discharge
    depth = np.asarray(s["battery_depth_wh"])
    wh = 1 / 3600.0
    return {
        "battery_out_eclipse_wh": out_ecl * wh, "loads_eclipse_wh": loads_ecl * wh,
        "rel_battery_vs_loads": abs(out_ecl - loads_ecl) / loads_ecl,
        "heater_electric_wh": heater_el * wh, "heater_into_coolant_wh": heater_in * wh,
        "rel_heater": abs(heater_el - heater_in) / max(heater_in, 1e-30),
        "charged_wh": charged * wh, "delivered_wh": delivered * wh,
        "rel_soc": (abs(closure) + abs(depth[-1] - depth[0]) * 3600.0)
        / (spec.eta_charge * charged),
        "depth_start_wh": float(depth[0]), "depth_end_wh": float(depth[-1]),
        "depth_max_wh": float(depth.max()),
    }


def run() -> CaseResult:
    sat, _res, o = orbit()
    b = balances(sat, o)
    fr, _ = sat._fluid_limits
    need = fr + sat.design.loop.freeze_margin_k
    rows = [{"balance": "battery out in eclipse vs pump + heaters + dies (thermal model)",
             "reference": b["loads_eclipse_wh"], "computed": b["battery_out_eclipse_wh"],
             "unit": "Wh", "rel_error": b["rel_battery_vs_loads"]},
            {"balance": "heater heat into the coolant vs heater electricity",
             "reference": b["heater_into_coolant_wh"], "computed": b["heater_electric_wh"],
             "unit": "Wh", "rel_error": b["rel_heater"]},
            {"balance": "state of charge returns: eta_c E_charged - E_delivered / eta_d, "
                        "depth end - start",
             "reference": 0.0, "computed": b["rel_soc"], "unit": "-",
             "rel_error": b["rel_soc"], "charged_wh": b["charged_wh"],
             "delivered_wh": b["delivered_wh"], "depth_max_wh": b["depth_max_wh"]},
            {"balance": "coolant minimum vs freezing + margin (heaters hold it)",
             "reference": need, "computed": o.extremes["coolant_min_k"], "unit": "K",
             "heater_peak_w": o.extremes["heater_power_max_w"]}]
    worst = max(b["rel_battery_vs_loads"], b["rel_heater"], b["rel_soc"])
    return CaseResult(name=NAME, reference=0.0, computed=worst, tolerance=1e-6,
                      absolute=True, unit="-",
                      source="conservation of energy: battery, heater and thermal-model "
                             "ledgers over one cold-eclipse VLEO orbit",
                      meshes=rows)


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
