"""The coupled satellite: power loop, energy balance, junction temperatures, area trend,
orbit transient.

Design: the default VLEO case (``thermosat.case.defaults``) on a coarse mesh (2.5 m panel
elements, package mesh density 2–3: ~2–4k unknowns) so that each steady solve takes seconds.
Hand references: the power bookkeeping P_pv = P_compute + P_pump + 5 % losses
(``SatelliteDesign`` docstring), the package's 1D resistance network
(``thermosat.physics.package.hand_resistance``: T_j,mean = T_fluid + P·R_jf), the eclipse
fraction of a 500 km, β = 0 orbit (docs/references.md §8 case 10: 37.8 %), ammonia's freezing point
195.5 K (docs/references.md: −77.7 °C).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from thermosat.case.defaults import default_design
from thermosat.physics.package import hand_resistance
from thermosat.satellite.satellite import Satellite

#: beside-the-panel wings (the former default): at the case's 398 m² starting area the panel's
#: infrared keeps this orbit's coolant liquid, which the freeze-flag test needs (outboard wings
#: of that size, away from the panel, freeze in the eclipse: physics, not a flag error)
#: the wings at the panel element size (the unresolved fin, ~2.3k unknowns instead of 18.9k
#: at 8 elements per tube pitch): nothing here depends on the fin resolution
COARSE = {"element_size_m": 2.5, "package_mesh_density": 2, "placement": "beside",
          "fin_elements_per_pitch": None}


@pytest.fixture(scope="module")
def hot_case():
    sat = Satellite(default_design("vleo", **COARSE))
    return sat, sat.solve_steady()


# --------------------------------------------------------------------------- steady
def test_power_loop_closes(hot_case):
    sat, res = hot_case
    p = res.power
    losses = 0.05 * p["pv_w"]  # distribution_loss_fraction of the default case
    assert p["distribution_losses_w"] == pytest.approx(losses, rel=1e-14)
    # compute + pump + losses = PV (the secant loop closes it to power_tol 1e-11)
    assert abs(p["compute_w"] + p["pump_w"] + losses - p["pv_w"]) <= 1e-9 * p["pv_w"]
    assert abs(p["closure_w"]) <= 1e-9 * p["pv_w"]
    # what the chips burn is what the model's packages carry
    per_chip = sum(pk.power_w for pk in sat.packages)
    assert per_chip == pytest.approx(p["compute_w"], rel=1e-12)
    # PV = ∫ η(T) G p dA over the cells; η is linear in T, so it is η(T̄) G p A with T̄ the
    # area mean of the cell layer over the cells region (for the bilinear field on the
    # rectangles, a cell's mean is the mean of its 4 nodes): A = 102.05 m², p = 0.9,
    # G = 1361 W/m², η = 0.24·0.95·(1 − 0.0024·(T − 301.15)) (hjt preset, VLEO EOL 0.95)
    part = sat.model.parts[sat.panel.layer_part("cells")]
    mesh = part.mesh
    cells = mesh.cell_regions["cells"]
    xy = mesh.points[mesh.cells[cells]][:, :, :2]
    area = np.ptp(xy[:, :, 0], axis=1) * np.ptp(xy[:, :, 1], axis=1)
    assert area.sum() == pytest.approx(102.05, rel=1e-12)
    t_bar = float(np.sum(area * res.T[mesh.cells[cells] + part.offset].mean(axis=1)) / area.sum())
    eta = 0.24 * 0.95 * (1 - 0.0024 * (t_bar - 301.15))
    assert p["pv_w"] == pytest.approx(eta * 1361.0 * 0.9 * 102.05, rel=1e-10)


def test_energy_balance_closes(hot_case):
    _sat, res = hot_case
    eb = res.energy
    assert eb.imbalance_rel < 1e-8  # docs/references.md §8 case 8
    # electricity leaves the thermal model as power, chip heat comes back as die power
    assert eb.heat_out["panel:pv:electric"] == pytest.approx(res.power["pv_w"], rel=1e-10)
    die = sum(v for k, v in eb.heat_in.items() if k.endswith("die_power"))
    assert die == pytest.approx(res.power["compute_w"], rel=1e-10)
    # the coolant delivers to the radiator what the chips, pump and losses put in it
    assert res.power["heat_to_radiators_w"] == pytest.approx(res.power["pv_w"], rel=1e-6)


def test_junction_matches_coolant_plus_hand_resistance():
    # package mesh density 3 (FE vs 1D + spreading network: a few %)
    sat = Satellite(default_design("vleo", element_size_m=2.5, package_mesh_density=3,
                                   fin_elements_per_pitch=None))
    res = sat.solve_steady()
    T = res.T
    r_jf = hand_resistance(sat.design.package)["R_jf"]
    off = sat.model.parts[sat.loop.part].offset
    lp = sat.loop
    for pk, chain in zip(sat.packages, lp.nodes["coldplate_chains"]):
        # the hand resistance is referenced to a uniform coolant: the plate's bulk mean,
        # (inlet + outlet) / 2, with several fluid nodes along the channel (issue 12)
        inlet = lp.edges[lp.edges[:, 1] == chain[0]][0, 0]
        t_fluid = 0.5 * float(T[off + inlet] + T[off + chain[-1]])
        rise_fe = pk.mean_junction_temperature(T) - t_fluid
        rise_hand = pk.power_w * r_jf
        assert rise_fe == pytest.approx(rise_hand, rel=0.05)
    # hottest junction sits above the mean (die hot spot), and both above the coolant
    assert res.temperatures["junction_max_k"] > res.temperatures["junction_mean_k"] \
        > res.temperatures["coolant_max_k"]


def test_more_radiator_area_lowers_the_junction():
    # the default radiator is the pair of edge-on wings (398 m² to start)
    tj, tc = [], []
    for area in (200.0, 400.0, 800.0):
        res = Satellite(default_design("vleo", wing_area_m2=area, **COARSE)).solve_steady()
        tj.append(res.temperatures["junction_max_k"])
        tc.append(res.temperatures["coolant_mean_k"])
    assert tj[0] > tj[1] > tj[2]  # monotone
    assert tc[0] > tc[1] > tc[2]


# --------------------------------------------------------------------------- orbit
@pytest.fixture(scope="module")
def orbit(hot_case):
    sat, res = hot_case
    return sat, res, sat.solve_orbit(res, steps=72, periodic=False)  # one orbit


def test_orbit_no_power_in_eclipse(orbit):
    _sat, res, o = orbit
    s = o.series
    dark = s["pv_w"] == 0.0
    assert dark.any() and not dark.all()
    assert np.all(s["compute_w"][dark] == 0.0)  # default policy: compute off in eclipse
    # in sunlight the chips never burn more than their steady rating
    assert np.all(s["compute_w"] <= res.power["compute_w"] * (1 + 1e-12))
    # the dark fraction of the recorded steps is the eclipse fraction, 37.8 % at 500 km, β = 0
    # (docs/references.md §8 case 10), to the step resolution (1/72)
    assert o.extremes["eclipse_fraction"] == pytest.approx(0.378, abs=1e-3)
    assert dark.mean() == pytest.approx(0.378, abs=2.5 / len(dark))


def test_orbit_energy_stored_against_net_heat(orbit):
    _sat, _res, o = orbit
    assert o.extremes["max_step_imbalance"] < 1e-8  # every BDF2 step balances
    assert len(o.transient.energy_steps) == 72


def test_orbit_backward_euler_stored_energy_telescopes(hot_case):
    # backward Euler steps telescope: C·(T_end − T_0) = Σ net heat·Δt exactly
    sat, res = hot_case
    o = sat.solve_orbit(res, steps=24, scheme="backward_euler", periodic=False)
    tr = o.transient
    gross = sum(e.total_in_w for e in tr.energy_steps) * (o.extremes["period_s"] / 24)
    assert abs(tr.stored_energy_change_j - tr.net_heat_in_j) < 1e-8 * gross
    assert tr.stored_energy_change_j != 0.0


def test_freeze_flag_follows_the_coolant_minimum(hot_case):
    """The flag trips when the coldest coolant of the orbit is closer to freezing than the
    required margin (LoopSpec.freeze_margin_k): checked with margins 1 K either side of the
    distance this orbit actually reaches (the margin changes the flag, not the physics).
    Without heaters: their default set point follows the margin (physics/heaters.py)."""
    from thermosat.physics.heaters import HeaterSpec

    s0 = Satellite(replace(hot_case[0].design, heaters=HeaterSpec(enabled=False)))
    sat, res = s0, s0.solve_steady()
    o = sat.solve_orbit(res, steps=72, periodic=False)
    fl = sat.loop.fluid
    assert fl.T_freeze == pytest.approx(195.45, abs=0.1)  # ammonia, docs/references.md
    cmin = o.extremes["coolant_min_k"]
    assert cmin == pytest.approx(float(np.min(o.series["coolant_min_k"])), rel=1e-14)
    # the β = 0 eclipse (35 min at 500 km) cools the loop well below its hot-case range
    assert cmin < res.temperatures["coolant_min_k"] - 20.0
    assert o.freeze is (cmin < fl.T_freeze + sat.design.loop.freeze_margin_k)
    assert o.boil is False
    reach = cmin - fl.T_freeze  # how close to freezing the orbit gets (K)
    assert reach > 0.0  # still liquid
    for margin, flag in ((reach + 1.0, True), (max(reach - 1.0, 0.0), False)):
        d = replace(sat.design, loop=replace(sat.design.loop, freeze_margin_k=margin))
        s2 = Satellite(d)
        o2 = s2.solve_orbit(s2.solve_steady(), steps=72, periodic=False)
        assert o2.extremes["coolant_min_k"] == pytest.approx(cmin, abs=1e-6)
        assert o2.freeze is flag


# --------------------------------------------------------------------------- linear solver
def test_package_schur_solver_matches_a_direct_solve(hot_case):
    # the satellite's solver eliminates the (identical, linear) package blocks first; on the
    # tangent at the solution it must agree with SuperLU on the whole matrix
    import scipy.sparse.linalg as spla

    sat, res = hot_case
    sysm = sat.model.build()
    _, data, _ = sysm.residual(res.T, 0.0, sysm.load(0.0), True)
    A = sysm.constrained(data)
    b = np.random.default_rng(7).standard_normal(sysm.n)
    solver = sat.linear_solver()
    x = solver.solve(A, b, sysm.symmetric, rtol=1e-12)
    assert solver.block_factorizations >= 1  # the Schur path ran (no fallback)
    assert np.linalg.norm(A @ x - b) <= 1e-12 * np.linalg.norm(b)
    x_ref = spla.spsolve(A.tocsc(), b)
    assert np.allclose(x, x_ref, rtol=1e-8, atol=1e-10 * np.abs(x_ref).max())


def test_heaters_beyond_the_bus_are_a_violated_limit_not_a_negative_compute():
    """The MEO default at its 398 m² starting radiator, hot case: the coolant sits below the
    heater set point, and the thermostat heaters ask for more than the cells make. The pump
    and heaters are fed first, the chips get nothing (never a negative compute), and the
    shortfall — heaters + pump − (PV less distribution losses) — is the violated limit
    ``power_budget``."""
    sat = Satellite(default_design("meo", element_size_m=2.5, package_mesh_density=2,
                                   fin_elements_per_pitch=None))
    res = sat.solve_steady()
    p, lim = res.power, res.limits
    assert p["compute_w"] == 0.0 and p["shunt_w"] == 0.0
    bus = p["pv_w"] - p["distribution_losses_w"]
    assert p["heater_w"] + p["pump_w"] > bus  # the regime this test is about
    assert lim["power_shortfall_w"] == pytest.approx(p["heater_w"] + p["pump_w"] - bus,
                                                     rel=1e-6)
    assert "power_budget" in lim["violations"]
    assert "more than the bus gives" in res.summary()
    # the closure says the same: what is booked exceeds what is made by the shortfall
    assert p["closure_w"] == pytest.approx(-lim["power_shortfall_w"], rel=1e-6)
