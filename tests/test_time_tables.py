"""Conditions as tables of time (and h of temperature), refused at the call when unsupported
(issue 11, item 4)."""
import numpy as np
import pytest

from thermosat import Model, mesh
from thermosat.common.errors import InputError
from thermosat.fem.kernels import SIGMA

RHO, CP, THICK, H = 2700.0, 900.0, 2e-3, 25.0


def _plate(**material):
    """A shell whose face carries the conditions: with uniform conditions its temperature is
    uniform, so the FE answer is the lumped body's exactly (no spatial error)."""
    m = Model(mesh.shell(0.2, 0.1, 4, 2, cell="quad4"))
    m.material(conductivity=200.0, thickness_m=THICK, **material)
    return m


def _ramp_error(dt):
    r, t0, t_end = 0.1, 300.0, 600.0
    m = _plate(density=RHO, specific_heat=CP)
    m.convection("front", H, [(0.0, t0), (1000.0, t0 + 1000.0 * r)])
    res = m.solve_transient(t_end, dt, t0)
    tau = RHO * CP * THICK / H
    exact = t0 + r * t_end - r * tau * (1.0 - np.exp(-t_end / tau))
    assert np.ptp(res.T) < 1e-9
    return abs(res.T.mean() - exact), r * tau


def test_lumped_body_with_ramped_ambient_converges_to_closed_form():
    e1, lag = _ramp_error(4.0)
    e2, _ = _ramp_error(2.0)
    assert e2 < 1e-3 * lag          # BDF2, dt = τ/97
    assert 3.5 < e1 / e2 < 4.5      # second order in time


def test_h_table_of_temperature_steady_closed_form():
    q, t_inf, a, b = 1e6, 300.0, 10.0, 0.2       # W/m³, K, W/m²/K, W/m²/K²
    m = _plate()
    m.heat_source(q_w_m3=q)
    m.convection("front", [(250.0, a - 50 * b), (900.0, a + 600 * b)], t_inf, h_of="temperature")
    res = m.solve_steady()
    # q t = (a + b (T − 300)) (T − 300)  →  θ = (−a + √(a² + 4 b q t)) / 2b
    theta = (-a + np.sqrt(a * a + 4 * b * q * THICK)) / (2 * b)
    assert res.T.mean() == pytest.approx(t_inf + theta, rel=1e-12)
    assert res.convergence.iterations > 1          # nonlinear, solved by Newton
    assert res.heat_flow("convection[front]") == pytest.approx(-q * THICK * 0.02, rel=1e-10)


def test_h_time_table_and_callable_ambient():
    q = 5e5
    m = _plate()
    m.heat_source(q_w_m3=q)
    m.convection("front", [(0.0, 10.0), (100.0, 30.0)], lambda t: 280.0 + 0.5 * t)
    for t in (0.0, 40.0, 250.0):
        h = np.interp(t, [0.0, 100.0], [10.0, 30.0])
        res = m.solve_steady(t=t)
        assert res.T.mean() == pytest.approx(280.0 + 0.5 * t + q * THICK / h, rel=1e-12)


def test_heat_flux_table_of_time_slab():
    L, k = 0.5, 40.0
    m = Model(mesh.rectangle(L, 0.1, 10, 2))
    m.material(conductivity=k, thickness_m=THICK)
    m.fixed_temperature("left", 300.0)
    m.heat_flux("right", [(0.0, 0.0), (10.0, 2000.0), (20.0, 500.0)])
    for t, qq in ((5.0, 1000.0), (15.0, 1250.0), (99.0, 500.0)):
        res = m.solve_steady(t=t)
        assert res.T.max() == pytest.approx(300.0 + qq * L / k, rel=1e-12)


def test_sink_temperature_table_of_time():
    q, eps = 2e5, 0.8
    m = _plate()
    m.heat_source(q_w_m3=q)
    m.radiation("front", eps, t_sink_k=[(0.0, 3.0), (10.0, 250.0)])
    res = m.solve_steady(t=6.0)
    ts = np.interp(6.0, [0.0, 10.0], [3.0, 250.0])
    assert res.T.mean() == pytest.approx((q * THICK / (eps * SIGMA) + ts**4) ** 0.25, rel=1e-10)


def test_fixed_temperature_table_in_transient():
    m = Model(mesh.rectangle(0.1, 0.02, 10, 2))
    m.material(conductivity=100.0, thickness_m=THICK, density=RHO, specific_heat=CP)
    m.fixed_temperature("left", [(0.0, 300.0), (10.0, 350.0)])
    res = m.solve_transient(20.0, 5.0, 300.0)
    left = m.part().mesh.boundary("left").nodes
    assert np.allclose(res.frames[1][left], 325.0) and np.allclose(res.T[left], 350.0)


@pytest.mark.parametrize("call, match", [
    (lambda m: m.convection("top", 5.0, "hot"), "t_inf_k"),
    (lambda m: m.convection("top", 5.0, lambda t: [1.0, 2.0]), "t_inf_k"),
    (lambda m: m.convection("top", 5.0, lambda t: 1 / 0), "failed at t = 0"),
    (lambda m: m.convection("top", 5.0, lambda t, x: 300.0), "t_inf_k"),
    (lambda m: m.convection("top", np.ones(3), 300.0), "h_w_m2k"),
    (lambda m: m.convection("top", -1.0, 300.0), "h_w_m2k"),
    (lambda m: m.convection("top", 5.0, [(0.0, 300.0), (0.0, 310.0)]), "distinct"),
    (lambda m: m.convection("top", 5.0, [(0.0, 300.0, 1.0)]), "t_inf_k"),
    (lambda m: m.convection("top", lambda t: 5.0, 300.0, h_of="temperature"), "h_of"),
    (lambda m: m.convection("top", 5.0, 300.0, h_of="space"), "h_of"),
    (lambda m: m.radiation("top", 0.5, t_sink_k=[(0.0, -3.0), (1.0, 3.0)]), "t_sink_k"),
    (lambda m: m.heat_flux("top", {"q": 1.0}), "q_w_m2"),
    (lambda m: m.fixed_temperature("top", None), "value_k"),
    (lambda m: m.heat_source(power_w="1 W"), "power_w"),
])
def test_unsupported_values_are_refused_at_the_call(call, match):
    m = Model(mesh.rectangle(1.0, 1.0, 2, 2))
    with pytest.raises(InputError, match=match) as err:
        call(m)
    assert "\n" not in str(err.value)
    assert m.conditions == {}
