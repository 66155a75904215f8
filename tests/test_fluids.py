"""Coolant properties (CoolProp) and loop freezing/boiling limits.

Reference values and their sources are given next to each number.
"""
from __future__ import annotations

import numpy as np
import pytest

from thermosat.common.errors import InputError, PhysicsLimitError
from thermosat.physics.fluids import FLUID_PRESETS, P_ATM, Fluid, available_fluids, get_fluid
from thermosat.physics.loop_limits import LoopLimits, check_loop_temperatures

ZERO_C = 273.15


# ----------------------------------------------------------------------------- presets
def test_presets_listed_and_constructible():
    assert set(available_fluids()) == {"ammonia", "water", "pg50", "eg50", "hfe7100"}
    for name, preset in FLUID_PRESETS.items():
        f = Fluid(name)
        assert f.pressure == preset.default_pressure
        assert f.T_min >= f.T_freeze
        assert f.T_min < f.T_max < f.T_boil
        assert preset.notes


def test_default_pressures_documented_values():
    assert FLUID_PRESETS["ammonia"].default_pressure == 2.0e6
    assert FLUID_PRESETS["water"].default_pressure == 0.2e6


def test_unknown_fluid_names_allowed_values():
    with pytest.raises(InputError) as exc:
        Fluid("kerosene")
    msg = str(exc.value)
    for name in FLUID_PRESETS:
        assert name in msg


def test_hfe7200_not_available_points_to_hfe7100():
    with pytest.raises(InputError, match="hfe7100"):
        Fluid("HFE-7200")


@pytest.mark.parametrize("p", [0.0, -1.0, float("nan"), "abc"])
def test_bad_pressure(p):
    with pytest.raises(InputError):
        Fluid("water", p)


def test_pure_fluid_pressure_outside_liquid_range():
    with pytest.raises(InputError, match="critical"):
        Fluid("ammonia", 20e6)  # above p_c = 11.33 MPa
    with pytest.raises(InputError, match="triple"):
        Fluid("ammonia", 1000.0)  # below p_triple = 6.06 kPa


def test_aliases_case_insensitive():
    assert Fluid("NH3").name == "ammonia"
    assert Fluid("INCOMP::MPG-50%").name == "pg50"
    assert get_fluid("water") is get_fluid("water")


# ----------------------------------------------------------------------------- ammonia
def test_ammonia_triple_point():
    # NIST Webbook / Gao et al. (2020) EOS: triple point 195.49 K (−77.66 °C); mission: −77.7 °C.
    f = Fluid("ammonia")
    assert f.T_freeze == pytest.approx(195.5, abs=0.05)
    assert f.T_freeze - ZERO_C == pytest.approx(-77.7, abs=0.1)


def test_ammonia_vapour_pressure_300K():
    # NIST Chemistry Webbook, ammonia saturation at 300 K: p = 1.0612 MPa.
    f = Fluid("ammonia")
    assert f.vapour_pressure(300.0) == pytest.approx(1.0612e6, rel=2e-3)


def test_ammonia_saturation_temperatures():
    # NIST Webbook: normal boiling point 239.82 K (−33.3 °C); T_sat(2.0 MPa) = 322.5 K.
    f = Fluid("ammonia")
    assert f.saturation_temperature(P_ATM) == pytest.approx(239.82, abs=0.05)
    assert f.T_boil == pytest.approx(322.5, abs=0.1)


def test_ammonia_liquid_density_300K():
    # NIST Webbook: saturated liquid ammonia at 300 K, ρ = 600.2 kg/m³ (compressed to 2 MPa: +0.15 %).
    f = Fluid("ammonia")
    assert f.density(300.0) == pytest.approx(600.2, rel=3e-3)


# ----------------------------------------------------------------------------- water
def test_water_properties_300K():
    # Incropera & DeWitt 6th ed. Table A.6, saturated water at 300 K:
    # c_p 4179 J/kgK, μ 855e-6 Pa s, k 0.613 W/mK, Pr 5.83, ρ = 1/1.003e-3 = 997 kg/m³.
    f = Fluid("water")
    assert f.cp(300.0) == pytest.approx(4180.0, rel=2e-3)
    assert f.viscosity(300.0) == pytest.approx(855e-6, rel=0.01)
    assert f.conductivity(300.0) == pytest.approx(0.613, rel=0.01)
    assert f.prandtl(300.0) == pytest.approx(5.83, rel=0.01)
    assert f.density(300.0) == pytest.approx(997.0, rel=2e-3)


def test_water_freeze_and_boil():
    # Triple point 273.16 K (ITS-90 definition); T_sat(0.2 MPa) = 120.21 °C (IAPWS-IF97 tables).
    f = Fluid("water")
    assert f.T_freeze == pytest.approx(273.15, abs=0.02)
    assert f.T_boil - ZERO_C == pytest.approx(120.21, abs=0.02)


# ----------------------------------------------------------------------------- mixtures
def test_pg50_freezing_point():
    # Mission reference: 50 % propylene glycol freezes at −33 °C (CoolProp SecCool: −32.2 °C).
    f = Fluid("pg50")
    assert f.T_freeze - ZERO_C == pytest.approx(-33.0, abs=1.5)


def test_glycol_boiling_raoult_model():
    # Published 1-atm boiling points of 50 wt % solutions: PG ≈ 106 °C (Dow), EG ≈ 107 °C
    # (MEGlobal); the Raoult model gives 106.0 and 107.3 °C.
    assert Fluid("pg50").saturation_temperature(P_ATM) - ZERO_C == pytest.approx(106.0, abs=1.0)
    assert Fluid("eg50").saturation_temperature(P_ATM) - ZERO_C == pytest.approx(107.0, abs=1.0)
    # boils above water at every pressure, and higher at higher pressure
    pg = Fluid("pg50")
    assert pg.T_boil > Fluid("water").T_boil
    assert pg.saturation_temperature(0.5e6) > pg.T_boil


def test_hfe7100_against_3m_datasheet():
    # 3M Novec 7100 product information (25 °C): ρ 1510 kg/m³, c_p 1183 J/kgK, k 0.069 W/mK,
    # boiling point 61 °C, pour point −135 °C. CoolProp's HFE2 viscosity (0.37 mPa s) is
    # known to be ~36 % below 3M's 0.58 mPa s (CoolProp issue #1492) — not tested here.
    f = Fluid("hfe7100")
    T = 298.15
    assert f.density(T) == pytest.approx(1510.0, rel=0.03)
    assert f.cp(T) == pytest.approx(1183.0, rel=0.02)
    assert f.conductivity(T) == pytest.approx(0.069, rel=0.03)
    assert f.saturation_temperature(P_ATM) - ZERO_C == pytest.approx(61.0, abs=0.01)
    assert f.vapour_pressure(T) == pytest.approx(27e3, rel=1e-6)
    assert f.T_freeze - ZERO_C == pytest.approx(-135.0)


# ----------------------------------------------------------------------------- tables
def test_table_shape_range_cache_and_readonly():
    f = Fluid("ammonia")
    T, rho, cp, mu, k = f.table(200)
    assert T.shape == rho.shape == cp.shape == mu.shape == k.shape == (200,)
    assert T[0] == pytest.approx(f.T_freeze) and T[-1] < f.T_boil
    assert np.all(np.diff(T) > 0)
    assert np.all(np.diff(rho) < 0) and np.all(np.diff(mu) < 0)  # liquid: both fall with T
    assert f.table(200)[1] is rho  # cached
    assert not rho.flags.writeable


def test_interpolation_matches_coolprop():
    for name in ("ammonia", "water", "pg50"):
        f = Fluid(name)
        T = np.linspace(f.T_min + 1.0, f.T_max - 1.0, 7)
        for meth in (f.density, f.cp, f.viscosity, f.conductivity):
            assert np.allclose(meth(T), meth(T, exact=True), rtol=1e-3)


def test_exact_outside_range_raises():
    f = Fluid("water")
    with pytest.raises(InputError):
        f.density(500.0, exact=True)


def test_vectorised_shapes():
    f = Fluid("water")
    T = np.full((3, 4), 300.0)
    assert f.density(T).shape == (3, 4)
    assert isinstance(f.density(300.0), float)


def test_table_usable_in_numba():
    numba = pytest.importorskip("numba")

    @numba.njit(cache=False)
    def interp_sum(Tq, T, rho):
        s = 0.0
        for t in Tq:
            s += np.interp(t, T, rho)
        return s

    f = Fluid("water")
    T, rho, *_ = f.table(50)
    Tq = np.array([300.0, 320.0])
    assert interp_sum(Tq, T, rho) == pytest.approx(float(np.sum(np.interp(Tq, T, rho))))


# ----------------------------------------------------------------------------- loop limits
def test_loop_ok():
    res = check_loop_temperatures("ammonia", np.linspace(250.0, 300.0, 11), margin_k=5.0)
    assert isinstance(res, LoopLimits)
    assert res.ok and not res.freezes and not res.boils
    assert res.freeze_margin == pytest.approx(250.0 - 195.495, abs=1e-3)
    assert res.boil_margin == pytest.approx(Fluid("ammonia").T_boil - 300.0)
    assert res.i_coldest == 0 and res.i_hottest == 10
    assert res.worst_limit == "boiling" and res.worst_index == 10
    assert "OK" in res.message and "°C" in res.message
    res.raise_if_violated()  # no error


def test_loop_boils_and_required_pressure():
    # Ammonia at 2.0 MPa boils at 322.5 K; a 330 K hot spot boils. The pressure needed is the
    # vapour pressure at 335 K (330 K + 5 K margin, 61.85 °C): CoolProp 2.734 MPa; ASHRAE R-717
    # saturation tables give 2.614 MPa at 60 °C, so a little above that.
    T = np.array([[280.0, 290.0], [330.0, 300.0]])
    res = check_loop_temperatures("ammonia", T, pressure=2.0e6, margin_k=5.0)
    assert res.boils and not res.freezes and not res.ok
    assert res.i_hottest == 2 and res.worst_index == 2 and res.worst_limit == "boiling"
    assert res.boil_margin < 0
    assert res.required_pressure == pytest.approx(Fluid("ammonia").vapour_pressure(335.0), rel=1e-9)
    assert 2.65e6 < res.required_pressure < 2.8e6
    assert "boils" in res.message and "56.85 °C" in res.message
    with pytest.raises(PhysicsLimitError):
        res.raise_if_violated()
    # at the required pressure it passes
    assert check_loop_temperatures("ammonia", T, pressure=res.required_pressure * 1.001,
                                   margin_k=5.0).ok


def test_loop_freezes_water_and_margin():
    res = check_loop_temperatures("water", [270.0, 300.0, 310.0])
    assert res.freezes and res.freeze_margin < 0 and res.worst_limit == "freezing"
    assert res.i_coldest == 0
    assert "freezes" in res.message and "-3.15 °C" in res.message
    # 278 K is above freezing but within a 10 K margin -> flagged
    res2 = check_loop_temperatures("water", [278.0, 300.0], margin_k=10.0)
    assert res2.freezes and res2.freeze_margin > 0
    assert check_loop_temperatures("water", [278.0, 300.0], margin_k=0.0).ok


def test_loop_limits_accepts_fluid_and_pressure_override():
    f = Fluid("ammonia")
    res = check_loop_temperatures(f, [300.0], pressure=1.0e6)  # below p_v(300 K) = 1.06 MPa
    assert res.boils and res.pressure == 1.0e6


def test_loop_outside_property_range_flag():
    res = check_loop_temperatures("pg50", [300.0, 380.0])  # CoolProp MPG data end at 373.15 K
    assert not res.boils and res.outside_property_range
    assert "outside the property range" in res.message


@pytest.mark.parametrize("T", [[], [np.nan, 300.0], [-5.0]])
def test_loop_bad_temperatures(T):
    with pytest.raises(InputError):
        check_loop_temperatures("water", T)


def test_loop_bad_margin():
    with pytest.raises(InputError):
        check_loop_temperatures("water", [300.0], margin_k=-1.0)
