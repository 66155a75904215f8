"""Photovoltaic conversion: η(T) = η_ref·EOL·(1 + γ (T − T_ref)), P = ∫ η(T) p G dA.

Hand values: presets from docs/references.md (HJT γ = −0.24 %/K, TOPCon −0.30 %/K, GaAs 3J −0.23 %/K)
and the datasheet-class η_ref in ``thermosat/physics/presets.py`` (T_ref = 301.15 K = 28 °C).
"""
from __future__ import annotations

import numpy as np
import pytest

from thermosat import Model
from thermosat.physics.presets import CELLS, cell_technology
from thermosat.physics.pv import Photovoltaic
from thermosat.satellite.satellite import grid_shell


def _pv_on_plate(tech, g_w_m2, packing, lx=2.0, ly=1.5, n=(4, 3), cell="quad4"):
    m = Model(grid_shell(np.linspace(0, lx, n[0] + 1), np.linspace(0, ly, n[1] + 1)))
    m.material(conductivity=100.0, thickness_m=1e-3)
    cs = m.cells("domain", kind="radiation", per_area=True)
    pv = Photovoltaic(cs, tech, g_w_m2, packing)
    return m, pv, lx * ly


@pytest.mark.parametrize("name, gamma", [("hjt", -0.0024), ("topcon", -0.0030),
                                         ("gaas3j", -0.0023)])
def test_preset_temperature_coefficients_are_mission_values(name, gamma):
    # docs/references.md: HJT −0.24 %/K, TOPCon −0.3 %/K, triple-junction GaAs −0.23 %/K
    assert CELLS[name].gamma_per_k == pytest.approx(gamma, rel=1e-12)


def test_efficiency_falls_linearly_with_temperature():
    hjt = cell_technology("hjt")
    # η(T_ref) = η_ref = 0.24 (preset); η(T_ref + 50 K) = 0.24·(1 − 0.0024·50) = 0.2112
    assert float(hjt.efficiency(301.15)) == pytest.approx(0.24, rel=1e-14)
    assert float(hjt.efficiency(351.15)) == pytest.approx(0.24 * (1 - 0.12), rel=1e-14)
    # slope dη/dT = η_ref·γ = 0.24 × −0.0024 = −5.76e-4 /K everywhere above the clip
    T = np.array([250.0, 300.0, 350.0, 400.0])
    eta = hjt.efficiency(T)
    assert np.allclose(np.diff(eta) / 50.0, -5.76e-4, rtol=1e-12)
    assert np.all(np.diff(eta) < 0)
    # clipped at zero: η = 0 where 1 + γ (T − T_ref) < 0, i.e. T > 301.15 + 1/0.0024 = 717.8 K
    assert float(hjt.efficiency(800.0)) == 0.0


def test_end_of_life_factor_scales_efficiency():
    from dataclasses import replace

    meo = replace(cell_technology("hjt"), eol_factor=0.85)  # defaults.py MEO assumption
    assert float(meo.efficiency(320.0)) == pytest.approx(
        0.85 * float(cell_technology("hjt").efficiency(320.0)), rel=1e-14)


@pytest.mark.parametrize("T_k", [260.0, 301.15, 340.0])
def test_uniform_plate_power_is_eta_g_p_area(T_k):
    hjt = cell_technology("hjt")
    m, pv, area = _pv_on_plate(hjt, 1361.0, 0.9)
    m.add_term(pv)
    m.build()
    T = np.full(m.n_nodes, T_k)
    # P = η(T)·G·p·A, η from the preset formula, G = 1361 W/m², p = 0.9, A = 2 × 1.5 m²
    expect = float(hjt.efficiency(T_k)) * 1361.0 * 0.9 * area
    assert pv.electric_power_w(T) == pytest.approx(expect, rel=1e-12)
    # the term's flow is the same power, leaving the model
    assert pv.flows(T, 0.0)["pv:electric"] == pytest.approx(-expect, rel=1e-12)


def test_power_with_linear_temperature_field_uses_the_mean():
    # η is linear in T, so for a field linear in x the integral equals η(T_mean)·G·p·A exactly
    # (quadrature integrates the bilinear field exactly)
    hjt = cell_technology("hjt")
    m, pv, area = _pv_on_plate(hjt, 1000.0, 1.0, lx=2.0, ly=1.0, n=(8, 2))
    m.add_term(pv)
    m.build()
    x = m.points[:, 0]
    T = 290.0 + 20.0 * x  # 290 … 330 K, mean 310 K
    assert pv.electric_power_w(T) == pytest.approx(float(hjt.efficiency(310.0)) * 1000.0 * area,
                                                   rel=1e-12)


def test_time_dependent_irradiance_and_eclipse():
    hjt = cell_technology("hjt")
    m, pv, area = _pv_on_plate(hjt, lambda t: 1361.0 if t < 100.0 else 0.0, 0.9)
    m.add_term(pv)
    m.build()
    T = np.full(m.n_nodes, 301.15)
    assert pv.electric_power_w(T, 0.0) == pytest.approx(0.24 * 1361.0 * 0.9 * area, rel=1e-12)
    assert pv.electric_power_w(T, 200.0) == 0.0  # eclipse: no sunlight, no electricity


def test_pv_tangent_matches_finite_difference():
    hjt = cell_technology("hjt")
    m, pv, _ = _pv_on_plate(hjt, 1361.0, 0.9)
    m.add_term(pv)
    sysm = m.build()
    rng = np.random.default_rng(1)
    T = 300.0 + 20.0 * rng.random(m.n_nodes)
    R = np.zeros(m.n_nodes)
    data = sysm.pattern.zeros()
    pv.add_nonlinear(T, 0.0, R, data)
    J = sysm.pattern.matrix(data).toarray()
    dT = rng.standard_normal(m.n_nodes)
    eps = 1e-3
    Rp, Rm = np.zeros_like(R), np.zeros_like(R)
    pv.add_nonlinear(T + eps * dT, 0.0, Rp, np.zeros(0))
    pv.add_nonlinear(T - eps * dT, 0.0, Rm, np.zeros(0))
    # the PV residual is linear in T (η linear), so the central difference is exact
    assert np.allclose((Rp - Rm) / (2 * eps), J @ dT, rtol=1e-9, atol=1e-9)
