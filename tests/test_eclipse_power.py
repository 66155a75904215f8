"""Eclipse power and freeze protection (issue 12 items 5, 7): the thermostat heater law and
its Jacobian, the battery ledger, the battery/heater validation case and the repeating
orbit."""
from __future__ import annotations

import math

import numpy as np
import pytest

from thermosat.common.constants import SIGMA
from thermosat.common.errors import InputError
from thermosat.physics.battery import BatteryLedger, BatterySpec
from thermosat.physics.heaters import HeaterSpec, ThermostatHeater, heater_fraction


# --------------------------------------------------------------------------- heater law
def test_heater_fraction_is_a_c1_proportional_band():
    t_set, band = 213.0, 5.0
    s, ds = heater_fraction([t_set + 1.0, t_set, t_set - band, t_set - band - 1.0], t_set, band)
    assert list(s) == [0.0, 0.0, 1.0, 1.0]          # off above, full below the band
    assert list(ds) == [0.0, 0.0, 0.0, 0.0]         # C¹: no kink at either end
    # half way down the band: half power (3u² − 2u³ at u = 1/2)
    s_mid, _ = heater_fraction(t_set - band / 2, t_set, band)
    assert s_mid == pytest.approx(0.5, rel=1e-15)
    # the derivative is the derivative of s (central difference)
    T = np.linspace(t_set - band + 0.1, t_set - 0.1, 17)
    h = 1e-6
    fd = (heater_fraction(T + h, t_set, band)[0] - heater_fraction(T - h, t_set, band)[0]) / (2 * h)
    np.testing.assert_allclose(heater_fraction(T, t_set, band)[1], fd, rtol=1e-6, atol=1e-9)


def test_thermostat_heater_residual_and_jacobian():
    from thermosat.fem.pattern import build_pattern

    heater = ThermostatHeater(0, 2, 213.0, 5.0, 1000.0)
    pat = build_pattern(3, heater.blocks())
    heater.bind(pat)
    T = np.array([250.0, 240.0, 211.0])
    R, data = np.zeros(3), pat.zeros()
    heater.add_nonlinear(T, 0.0, R, data)
    assert R[0] == pytest.approx(-heater.power_w(T)) and R[1] == R[2] == 0.0
    J = pat.matrix(data).toarray()
    h = 1e-6
    Tp, Tm = T.copy(), T.copy()
    Tp[2] += h
    Tm[2] -= h
    fd = -(heater.power_w(Tp) - heater.power_w(Tm)) / (2 * h)
    assert J[0, 2] == pytest.approx(fd, rel=1e-6)
    assert heater.flows(T, 0.0)["heater"] == pytest.approx(heater.power_w(T))


def test_heater_and_battery_specs_reject_bad_input():
    with pytest.raises(InputError, match="band_k"):
        HeaterSpec(band_k=0.0)
    with pytest.raises(InputError, match="depth_of_discharge"):
        BatterySpec(depth_of_discharge=1.5)
    with pytest.raises(InputError, match="capacity_wh"):
        BatterySpec(capacity_wh=-1.0)


# --------------------------------------------------------------------------- battery ledger
def test_battery_ledger_round_trip_and_sizing():
    spec = BatterySpec(round_trip_efficiency=0.81, depth_of_discharge=0.25)
    led = BatteryLedger(spec)
    dt = 60.0
    for _ in range(30):                      # 30 min delivering 1 kW
        led.step(dt, 1000.0, 0.0)
    delivered = 1000.0 * 30 * dt
    assert led.depth_j == pytest.approx(delivered / 0.9)          # η_d = √0.81
    assert led.capacity_wh == pytest.approx(delivered / 0.9 / 3600 / 0.25)
    while led.depth_j > 0:                   # recharge within the C-rate until full
        led.step(dt, 0.0, min(2000.0, led.charge_limit_w(dt)))
    assert led.depth_j == pytest.approx(0.0, abs=1e-6)
    # a full cycle: E_delivered = η_rt · E_charged; losses are the difference (heat)
    assert led.delivered_j == pytest.approx(0.81 * led.charged_j, rel=1e-12)
    assert led.loss_j == pytest.approx(led.charged_j - led.delivered_j, rel=1e-12)
    assert spec.mass_kg(led.capacity_wh) == pytest.approx(led.capacity_wh / 150.0)


def test_default_heater_power_bounds_the_radiator_emission():
    """The default heater cap is what both radiator faces emit at the set point."""
    from thermosat.case.defaults import default_design
    from thermosat.satellite.satellite import Satellite

    d = default_design("vleo", element_size_m=2.5, package_mesh_density=2, wing_area_m2=60.0)
    sat = Satellite(d)
    h = sat.heater
    t_set = sat.loop.fluid.T_freeze + d.loop.freeze_margin_k + d.heaters.band_k + 3.0
    assert h.set_point_k == pytest.approx(t_set)
    assert h.max_power_w == pytest.approx(2 * d.wing_coating.epsilon * SIGMA * t_set**4 * 60.0)
    # the thermostat senses the radiator return: the node feeding the pump
    lp, off = sat.loop, sat.model.parts[sat.loop.part].offset
    pump = lp.nodes["pump"][0]
    assert h.node == pump + off
    assert [h.sensor - off] == list(lp.edges[lp.edges[:, 1] == pump][:, 0])


# --------------------------------------------------------------------------- validation case
def test_battery_heater_balance_case_passes():
    from thermosat.verification.cases import battery_heater_balance as case

    r = case.run()
    assert r.passed, r.to_json()
    rows = {row["balance"][:12]: row for row in r.meshes}
    freeze = next(row for row in r.meshes if row["balance"].startswith("coolant minimum"))
    assert freeze["computed"] >= freeze["reference"]         # the heaters hold the margin
    assert freeze["heater_peak_w"] > 0.0                      # ... and they had to work
    assert all(row["computed"] > 0 for k, row in rows.items() if k.startswith(("battery", "heater")))


# --------------------------------------------------------------------------- repeating orbit
def test_repeating_orbit_converges_to_the_tolerance():
    from thermosat.case.defaults import default_case
    from thermosat.satellite.satellite import Satellite

    d = default_case("vleo").to_design(environment="cold_eclipse", wing_area_m2=100.0,
                                       cell_area_m2=70.0, element_size_m=2.5,
                                       package_mesh_density=2, fin_elements_per_pitch=None)
    sat = Satellite(d)
    res = sat.solve_steady()
    o = sat.solve_orbit(res, steps=24, cyclic_tol_k=0.05)
    x = o.extremes
    r = o.cyclic_residuals_k
    assert x["orbit_cyclic_residual_k"] == r[-1] <= 0.05
    assert x["orbits"] == len(r) + 1 and x["orbits"] >= 2
    assert all(b < a for a, b in zip(r, r[1:]))   # the slow mode decays orbit by orbit
    # the periodic orbit ends where it started (same phase), to the tolerance
    for k in ("coolant_min_k", "junction_max_k", "cell_max_k"):
        assert abs(o.series[k][-1] - o.series[k][0]) <= 0.05
    # the battery returns to the same state of charge (within the orbit's own change)
    assert abs(x["battery_depth_change_wh"]) <= 1e-3 * max(x["battery_depth_max_wh"], 1.0)
    assert x["freeze_margin_k"] == pytest.approx(x["coolant_min_k"] - sat.loop.fluid.T_freeze)
    assert math.isfinite(x["battery_capacity_wh"]) and x["battery_capacity_wh"] > 0


# --------------------------------------------------------------------------- contract keys
def test_orbit_keys_fill_the_contract_and_add_the_battery_mass():
    from types import SimpleNamespace

    from thermosat.studies.contract import orbit_keys

    x = {"heater_power_max_w": 1200.0, "heater_power_mean_w": 300.0,
         "battery_capacity_wh": 3000.0, "battery_mass_kg": 20.0,
         "orbit_cyclic_residual_k": 0.03, "freeze_margin_k": 17.0, "coolant_min_k": 212.45}
    row = {"freeze_margin_k": 80.0, "compute_power_w": 16800.0, "mass_kg": 500.0,
           "mass_breakdown_kg": {"wings_kg": 480.0, "total_kg": 500.0}, "hot_case": "hot"}
    orbit_keys(row, SimpleNamespace(extremes=x), "cold_eclipse")
    assert row["heater_power_w"] == 1200.0 and row["battery_energy_wh"] == 3000.0
    assert row["orbit_cyclic_residual_k"] == 0.03 and row["orbit_case"] == "cold_eclipse"
    # the periodic orbit's margin replaces the steady cold check's, which is kept aside
    assert row["freeze_margin_k"] == 17.0 and row["cold_steady_freeze_margin_k"] == 80.0
    assert row["mass_breakdown_kg"]["battery_kg"] == 20.0 and row["mass_kg"] == 520.0
    assert row["specific_power_w_kg"] == pytest.approx(16800.0 / 520.0)
