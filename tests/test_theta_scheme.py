"""θ-scheme (Crank–Nicolson) in the transient solver: order of accuracy against closed forms,
and the temporal oscillation of Crank–Nicolson on stiff initial data."""
from __future__ import annotations

import math

import numpy as np
import pytest

from thermosat import Model
from thermosat.common.errors import InputError
from thermosat.mesh.generators import interval

RHO, CP, K = 2700.0, 900.0, 1.0e4       # very high k: the bar is isothermal (lumped body)
L, AREA, H, T_INF, T0 = 0.1, 1e-4, 50.0, 300.0, 500.0
TAU = RHO * CP * L * AREA / (2 * H * AREA)  # s, both end faces convect


def _lumped_body():
    m = Model(interval(L, 1))
    m.material(conductivity=K, density=RHO, specific_heat=CP, area_m2=AREA)
    m.convection("left", H, T_INF)
    m.convection("right", H, T_INF)
    return m


def _error(scheme, n_steps, **kw):
    t_end = TAU
    res = _lumped_body().solve_transient(t_end, t_end / n_steps, T0, scheme=scheme, lumped=True,
                                         **kw)
    exact = T_INF + (T0 - T_INF) * math.exp(-t_end / TAU)
    return abs(res.frames[-1][0] - exact)


@pytest.mark.parametrize("scheme,kw,order", [("cn", {}, 2.0), ("theta", {"theta": 0.5}, 2.0),
                                             ("theta", {"theta": 0.75}, 1.0),
                                             ("backward_euler", {}, 1.0)])
def test_temporal_order_against_exponential_decay(scheme, kw, order):
    errs = [_error(scheme, n, **kw) for n in (10, 20, 40, 80)]
    rates = [math.log2(a / b) for a, b in zip(errs, errs[1:])]
    assert abs(rates[-1] - order) < 0.05, (errs, rates)


def test_theta_one_is_backward_euler():
    a = _error("theta", 16, theta=1.0)
    b = _error("backward_euler", 16)
    assert a == pytest.approx(b, rel=1e-9)


def test_cn_matches_its_amplification_factor():
    # exact discrete CN recursion for dT/dt = -(T - T_inf)/tau: factor (1 - x/2)/(1 + x/2)
    n = 7
    dt = TAU / n
    x = dt / TAU
    res = _lumped_body().solve_transient(TAU, dt, T0, scheme="cn", lumped=True, rtol=1e-13)
    expect = T_INF + (T0 - T_INF) * ((1 - x / 2) / (1 + x / 2)) ** n
    assert res.frames[-1][0] == pytest.approx(expect, rel=1e-10)


def _bar_quench(scheme, dt):
    """1D bar at 400 K with both ends suddenly held at 300 K: the exact solution stays in
    [300, 400] K and decays monotonically at every point (maximum principle)."""
    m = Model(interval(1.0, 40))
    m.material(conductivity=1.0, density=1.0, specific_heat=1.0, area_m2=1.0)
    m.fixed_temperature("left", 300.0)
    m.fixed_temperature("right", 300.0)
    return m.solve_transient(10 * dt, dt, 400.0, scheme=scheme)


def test_cn_oscillates_on_stiff_initial_data_bdf2_and_be_do_not():
    dt = 0.05  # dt k/(rho c h^2) = 80: the fastest modes are amplified by ≈ −1 per step
    for scheme in ("backward_euler", "bdf2", "cn"):
        frames = np.array(_bar_quench(scheme, dt).frames)
        near_wall = frames[:, 1]          # node next to a fixed end
        steps = np.diff(near_wall)
        if scheme == "cn":
            # not monotone in time and far below the lower bound of the exact solution
            assert np.any(steps > 1.0) and near_wall.min() < 300.0 - 10.0
        else:  # L-stable schemes: monotone decay, no undershoot
            assert np.all(steps <= 1e-9) and frames.min() >= 300.0 - 1e-9


def test_theta_energy_balance_closes():
    res = _lumped_body().solve_transient(TAU, TAU / 10, T0, scheme="cn", lumped=True,
                                         rtol=1e-13)
    assert res.net_heat_in_j == pytest.approx(res.stored_energy_change_j, rel=1e-9)


@pytest.mark.parametrize("kw", [{"scheme": "theta"}, {"scheme": "theta", "theta": 0.3},
                                {"scheme": "cn", "theta": 0.5}, {"scheme": "rk4"}])
def test_bad_theta_arguments_are_refused(kw):
    with pytest.raises(InputError, match="theta|scheme"):
        _lumped_body().solve_transient(1.0, 0.1, T0, **kw)
