"""Pipe-flow correlations: Nusselt, friction, pressure drop, pump power.

Reference values and their sources are given next to each number.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from thermosat.common.errors import InputError
from thermosat.physics import correlations as C
from thermosat.physics.fluids import Fluid


# ----------------------------------------------------------------------------- Reynolds
def test_reynolds_hand():
    # Re = 4 ṁ/(π D μ): ṁ = 0.1 kg/s, D = 0.01 m, μ = 1e-3 Pa s -> 12732.4
    assert C.reynolds(0.1, 0.01, 1e-3) == pytest.approx(4 * 0.1 / (math.pi * 0.01 * 1e-3))
    assert C.reynolds(0.1, 0.01, 1e-3) == pytest.approx(12732.395, rel=1e-6)


def test_velocity_hand():
    # v = ṁ/(ρ π D²/4) = 1/(1000·π·1e-4) = 3.1831 m/s
    assert C.velocity(1.0, 1000.0, 0.02) == pytest.approx(3.18310, rel=1e-5)


# ----------------------------------------------------------------------------- Nusselt
def test_laminar_nusselt():
    # Incropera & DeWitt 6th ed. eq. 8.53 (uniform q'': 4.36) and 8.55 (uniform T_s: 3.66)
    assert C.nusselt_laminar("flux") == pytest.approx(4.36, abs=0.005)
    assert C.nusselt_laminar("wall_temperature") == pytest.approx(3.66, abs=0.005)
    assert C.nusselt(1000.0, 5.0) == pytest.approx(4.364, abs=1e-3)
    assert C.nusselt(1000.0, 5.0, "wall_temperature") == pytest.approx(3.657)
    with pytest.raises(InputError):
        C.nusselt_laminar("adiabatic")


def test_gnielinski_hand_calculation():
    # Incropera eqs. 8.21/8.62 by hand at Re = 1e4, Pr = 5:
    # f = (0.790 ln 1e4 − 1.64)^−2 = 0.031479; f/8 = 0.0039349;
    # Nu = 0.0039349·9000·5 / (1 + 12.7·0.062729·(5^(2/3) − 1)) = 177.07/2.5328 = 69.91
    assert C.friction_petukhov(1e4) == pytest.approx(0.031479, rel=1e-4)
    assert C.nusselt_gnielinski(1e4, 5.0) == pytest.approx(69.91, rel=1e-3)


@pytest.mark.parametrize("Re", [1e4, 3e4, 1e5])
@pytest.mark.parametrize("Pr", [1.0, 3.0, 5.0, 10.0])
def test_gnielinski_vs_dittus_boelter(Re, Pr):
    # The two correlations agree within 15 % for Re 1e4–1e5 at Pr 1–3 and for Re ≤ 3e4 up to
    # Pr 10. At Re 1e5 and Pr 5–10 Gnielinski is 18–21 % above Dittus–Boelter, which is
    # inside D–B's own stated ±25 % (Incropera 6th ed. §8.5: D–B errors up to 25 %,
    # Gnielinski within ~10 %).
    g = C.nusselt_gnielinski(Re, Pr)
    db = C.nusselt_dittus_boelter(Re, Pr)
    tol = 0.15 if (Pr <= 3.0 or Re <= 3e4) else 0.25
    assert abs(g - db) / db < tol


def test_nusselt_blend_continuous_and_monotone():
    Re = np.linspace(500.0, 2e4, 4001)
    nu = C.nusselt(Re, 5.0)
    assert np.all(np.diff(nu) >= -1e-12)
    assert C.nusselt(2300.0, 5.0) == pytest.approx(C.NU_LAMINAR_FLUX)
    assert C.nusselt(4000.0, 5.0) == pytest.approx(C.nusselt_gnielinski(4000.0, 5.0))
    # continuity at the ends of the transition band
    for r0 in (2300.0, 4000.0):
        assert C.nusselt(r0 * (1 + 1e-9), 5.0) == pytest.approx(C.nusselt(r0 * (1 - 1e-9), 5.0), rel=1e-6)


def test_nusselt_vectorised():
    Re = np.array([[1000.0, 3000.0], [1e4, 1e5]])
    Pr = np.array([5.0, 1.0])
    out = C.nusselt(Re, Pr)
    assert out.shape == (2, 2)


def test_heat_transfer_coefficient_water():
    # Water 300 K, ṁ = 0.05 kg/s, D = 10 mm: Re = 4·0.05/(π·0.01·8.54e-4) ≈ 7456;
    # h = Nu·k/D with Gnielinski — hand chain from the fluid properties.
    w = Fluid("water")
    T = np.array([300.0, 320.0])
    h = C.heat_transfer_coefficient(w, T, 0.05, 0.01)
    Re = 4 * 0.05 / (math.pi * 0.01 * w.viscosity(300.0))
    nu = C.nusselt_gnielinski(Re, w.prandtl(300.0))
    assert h[0] == pytest.approx(nu * w.conductivity(300.0) / 0.01, rel=1e-12)
    assert 3000.0 < h[0] < 4000.0
    assert h[1] > h[0]  # warmer water: lower viscosity, higher h
    # laminar: h = 4.36 k/D
    h_lam = C.heat_transfer_coefficient(w, 300.0, 1e-3, 0.01)
    assert h_lam == pytest.approx(48 / 11 * w.conductivity(300.0) / 0.01)


# ----------------------------------------------------------------------------- friction
@pytest.mark.parametrize("method", ["churchill", "colebrook", "haaland"])
def test_friction_laminar_moody(method):
    # Moody chart laminar line f = 64/Re; at Re = 1000 -> 0.064
    assert C.friction_factor(1000.0, 0.0, method) == pytest.approx(0.064, rel=1e-3)


@pytest.mark.parametrize("method", ["churchill", "colebrook", "haaland"])
@pytest.mark.parametrize("Re", [1e4, 2e4, 5e4, 1e5])
def test_friction_smooth_blasius(method, Re):
    # Blasius smooth pipe f = 0.316 Re^−0.25 (Incropera eq. 8.20a): Colebrook and Churchill
    # within 3 % for Re 1e4–1e5; Haaland (itself ±1.5 % of Colebrook) within 3.5 % (3.1 % at 2e4).
    tol = 0.035 if method == "haaland" else 0.03
    assert C.friction_factor(Re, 0.0, method) == pytest.approx(0.316 * Re ** -0.25, rel=tol)


def test_friction_rough_moody_points():
    # Colebrook at ε/D = 0.001, Re = 1e5 -> 0.0222 (Moody chart / White, Fluid Mechanics);
    # fully rough ε/D = 0.01: von Kármán 1/√f = −2 log10(ε/3.7D) -> f = 0.0379
    assert C.friction_factor(1e5, 1e-3, "colebrook") == pytest.approx(0.0222, rel=5e-3)
    f_vk = (-2 * math.log10(0.01 / 3.7)) ** -2
    assert C.friction_factor(1e8, 0.01, "colebrook") == pytest.approx(f_vk, rel=1e-3)
    assert C.friction_factor(1e5, 1e-3, "churchill") == pytest.approx(0.0222, rel=0.02)
    assert C.friction_factor(1e5, 1e-3, "haaland") == pytest.approx(0.0222, rel=0.02)


def test_colebrook_satisfies_equation():
    Re = np.logspace(3.7, 7, 20)
    eps = 1e-4
    f = C.friction_factor(Re, eps, "colebrook")
    turb = Re >= 4000
    lhs = 1 / np.sqrt(f[turb])
    rhs = -2 * np.log10(eps / 3.7 + 2.51 / (Re[turb] * np.sqrt(f[turb])))
    assert np.allclose(lhs, rhs, rtol=1e-10)


def test_friction_bad_input():
    with pytest.raises(InputError):
        C.friction_factor(0.0)
    with pytest.raises(InputError):
        C.friction_factor(1e4, -1e-3)
    with pytest.raises(InputError):
        C.friction_factor(1e4, 0.0, "moody")


# ----------------------------------------------------------------------------- Δp, pump
def test_pressure_drop_laminar_hagen_poiseuille():
    # ρ = 1000, μ = 1e-3, D = 10 mm, Re = 1000 -> ṁ = Re π D μ/4 = 7.854e-3 kg/s, v = 0.1 m/s.
    # Hagen–Poiseuille over 10 m: Δp = 32 μ L v / D² = 320 Pa; plus ΣK = 2: 2·ρv²/2 = 10 Pa.
    mdot = 1000 * math.pi * 0.01 * 1e-3 / 4
    dp = C.pressure_drop(mdot, 0.01, 10.0, 1000.0, 1e-3, k_minor=2.0, method="colebrook")
    assert dp == pytest.approx(330.0, rel=1e-9)
    assert C.pressure_drop(mdot, 0.01, 10.0, 1000.0, 1e-3, k_minor=2.0) == pytest.approx(330.0, rel=1e-3)


def test_pressure_drop_turbulent_hand():
    # ṁ = 1 kg/s, D = 20 mm, L = 10 m, ρ = 1000, μ = 1e-3: v = 3.1831 m/s, Re = 63662.
    # Blasius f = 0.316·63662^−0.25 = 0.01991; Δp = f (L/D) ρ v²/2 = 0.01991·500·5066 = 50.4 kPa.
    v = 1.0 / (1000 * math.pi * 0.01 ** 2)
    dp_hand = 0.316 * 63662.0 ** -0.25 * (10 / 0.02) * 1000 * v ** 2 / 2
    assert dp_hand == pytest.approx(50.4e3, rel=2e-3)
    dp = C.pressure_drop(1.0, 0.02, 10.0, 1000.0, 1e-3)
    assert dp == pytest.approx(dp_hand, rel=0.03)


def test_pressure_drop_zero_flow_and_vectorised():
    dp = C.pressure_drop(np.array([0.0, 0.01, 0.1]), 0.01, 1.0, 1000.0, 1e-3, roughness=1.5e-6)
    assert dp[0] == 0.0 and np.all(np.diff(dp) > 0)


def test_pump_power():
    # W = Δp V̇/η: 50 kPa × 1 L/s / 0.5 = 100 W
    assert C.pump_power(50e3, 1e-3, 0.5) == pytest.approx(100.0)
    with pytest.raises(InputError):
        C.pump_power(50e3, 1e-3, 1.5)
    with pytest.raises(InputError):
        C.pump_power(50e3, 1e-3, 0.0)


def test_pipe_flow_consistent():
    w = Fluid("water")
    pf = C.pipe_flow(w, np.array([300.0, 320.0]), np.array([0.0, 0.05]), 0.01, length=5.0,
                     roughness=1.5e-6, k_minor=2.0, pump_efficiency=0.4)
    assert pf.pressure_drop[0] == 0.0 and pf.pump_power[0] == 0.0
    rho = w.density(320.0)
    assert pf.volume_flow[1] == pytest.approx(0.05 / rho)
    assert pf.pump_power[1] == pytest.approx(pf.pressure_drop[1] * 0.05 / rho / 0.4)
    assert pf.h[1] == pytest.approx(C.heat_transfer_coefficient(w, 320.0, 0.05, 0.01))
    assert pf.pressure_drop[1] == pytest.approx(
        C.pressure_drop(0.05, 0.01, 5.0, rho, w.viscosity(320.0), 1.5e-6, 2.0))


def test_bad_geometry():
    with pytest.raises(InputError):
        C.reynolds(0.1, 0.0, 1e-3)
    with pytest.raises(InputError):
        C.reynolds(-0.1, 0.01, 1e-3)
    with pytest.raises(InputError):
        C.pressure_drop(0.1, 0.01, -1.0, 1000.0, 1e-3)
