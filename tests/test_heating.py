"""Orbital heating on the satellite's own geometry (thermosat.satellite.heating).

Design: the default VLEO case on the coarse mesh of tests/test_satellite.py with the wings
hung beside the panel (``placement="beside"``, facing each other across the panel back: the
geometry with the most blockage; the default outboard wings are checked separately). Physics
checked:
faces that nothing blocks and nothing lights (the wings' outer faces) keep the isolated-plate
flux exactly; the panel back, which sees the wings and the bus over part of its hemisphere,
loses Earth IR; the solar band conserves energy (absorbed + escaped = incident); the loads
follow the orbit; the switch removes them.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from thermosat.case.defaults import default_design
from thermosat.physics.facet_environment import facet_fluxes, solar_band_absorbed
from thermosat.satellite import heating
from thermosat.satellite.satellite import Satellite

COARSE = {"element_size_m": 2.5, "package_mesh_density": 2, "placement": "beside",
          "fin_elements_per_pitch": None}  # wings at the panel element size: fast, fin aside


@pytest.fixture(scope="module")
def solved():
    sat = Satellite(default_design("vleo", **COARSE))
    return sat, sat.solve_steady()


def _index(h, needle):
    return [k for k, b in enumerate(h.boundaries) if needle in b]


def test_unblocked_faces_keep_the_isolated_flux(solved):
    """The wings' outer faces look away from every body: ray-traced = isolated to 1e-6."""
    sat, _ = solved
    h = sat.heating
    for theta in (0.0, 1.3, 2.9):
        r = h.at(theta)
        for k in _index(h, "out_back_radiator"):
            assert r["blocked"][k] == pytest.approx(r["isolated"][k], rel=1e-6, abs=1e-9)


def test_panel_back_loses_the_earth_it_cannot_see(solved):
    """The panel back's Earth view is partly the wings and bus: its absorbed Earth IR must
    fall below the isolated plate's ε·OLR·F (noon, the panel back is nadir-facing)."""
    sat, _ = solved
    h = sat.heating
    sun, nadir = h.directions(0.0)
    d = sat.design
    ff = facet_fluxes(h.scene, sun, nadir, H=d.orbit.H, solar_constant=d.solar_constant_w_m2,
                      albedo=d.albedo, earth_ir=d.earth_ir_w_m2, albedo_model=d.albedo_model)
    (k,) = _index(h, "out_back_cells")
    s = slice(h.starts[k], h.starts[k + 1])
    A = h.scene.geometry.areas[s]
    f_vis = ff.view_factor[s] @ A / A.sum()
    f_iso = ff.view_factor_isolated[s] @ A / A.sum()
    assert f_iso == pytest.approx(1.0 / d.orbit.H ** 2, rel=1e-12)      # nadir plate
    assert 0.2 < f_vis < 0.9 * f_iso
    assert h.summary(0.0)["faces"][h.boundaries[k]]["blocked_w"] < \
        h.summary(0.0)["faces"][h.boundaries[k]]["isolated_w"]


def test_solar_band_conserves_energy(solved):
    """Reflection among the exchange patches: Σ absorbed + Σ escaping to space = Σ incident."""
    sat, _ = solved
    h = sat.heating
    term = h.handle.term
    sun, nadir = h.directions(0.4)
    d = sat.design
    ff = facet_fluxes(h.scene, sun, nadir, H=d.orbit.H, solar_constant=d.solar_constant_w_m2,
                      albedo=d.albedo, earth_ir=d.earth_ir_w_m2, albedo_model=d.albedo_model)
    E = ff.solar + ff.albedo
    of, A, Ap = term.of_facet, term.facet_areas, term.patch_areas
    Ep = np.bincount(of, E * A, minlength=term.n_patches) / Ap
    ap = np.bincount(of, h.alpha * A, minlength=term.n_patches) / Ap
    q, J = solar_band_absorbed(Ep, ap, term.vf.F)
    to_space = 1.0 - np.asarray(term.vf.F.sum(axis=1)).ravel()
    assert q @ Ap + (J * to_space) @ Ap == pytest.approx(Ep @ Ap, rel=1e-10)
    # and the per-facet absorbed flux of the module is the same absorbed heat
    assert (h._reflected(E) @ A) == pytest.approx(q @ Ap, rel=1e-10)


def test_result_reports_the_change_and_the_loads_match(solved):
    sat, res = solved
    eff = res.environment_heating
    s = sat.heating.summary()
    assert eff["delta_w"] == pytest.approx(s["delta_w"], rel=1e-9)
    assert eff["isolated_w"] == pytest.approx(s["isolated_w"], rel=1e-9)
    assert eff["blocked_w"] < eff["isolated_w"]          # VLEO noon: net less absorbed
    assert res.energy.imbalance_rel < 1e-8


def test_orbit_loads_interpolate_the_sampled_angles(solved):
    """During the orbit transient the loads follow the orbit time: at a sampled angle the
    load is exactly that angle's correction."""
    sat, _ = solved
    h = sat.heating
    prov = sat.panel_fluxes
    theta0, off0 = prov.theta, prov.t_offset
    try:
        prov.theta, prov.t_offset = None, 0.0
        T = sat.environment.period_s
        j = 5
        th = 2 * np.pi * j / heating.ORBIT_SAMPLES
        r = h.at(th)
        for k in range(len(h.boundaries)):
            assert h.correction(k)(th / (2 * np.pi) * T) == pytest.approx(
                r["blocked"][k] - r["isolated"][k], rel=1e-9, abs=1e-9)
    finally:
        prov.theta, prov.t_offset = theta0, off0


def test_switch_off_adds_no_loads():
    d = replace(default_design("vleo", **COARSE), environment_blockage=False)
    sat = Satellite(d)
    assert sat.heating is None
    assert not any(k.startswith("env:") for k in sat.model.conditions)
