"""Heat flow per condition and per boundary, from the discrete balance (issue 11, item 2)."""
import numpy as np
import pytest
from scipy.optimize import brentq

from thermosat import Model, mesh
from thermosat.common.errors import InputError

K = 15.0
THICK = 2e-3


def test_slab_reaction_is_k_a_dt_over_l_exactly():
    lx, ly = 0.3, 0.1
    m = Model(mesh.rectangle(lx, ly, 12, 5, cell="quad4"))
    m.material(conductivity=K, thickness_m=THICK)
    m.fixed_temperature("left", 400.0)
    m.fixed_temperature("right", 300.0, name="cold wall")
    res = m.solve_steady()
    q = K * ly * THICK * 100.0 / lx
    assert res.heat_flow("fixed_temperature[left]") == pytest.approx(q, rel=1e-12)
    assert res.heat_flow("cold wall") == pytest.approx(-q, rel=1e-12)
    assert res.heat_flow("left") == pytest.approx(q, rel=1e-12)        # by boundary
    assert res.heat_flow("cold wall:out") == pytest.approx(q, rel=1e-12)
    assert res.heat_flow("cold wall:in") == 0.0
    assert "cold wall" in res.energy.table() and "by boundary" in res.energy.table()


def test_slab_reaction_3d_hex():
    m = Model(mesh.box(0.2, 0.05, 0.04, 8, 3, 2))
    m.material(conductivity=K)
    m.fixed_temperature("xmin", 350.0)
    m.fixed_temperature("xmax", 250.0)
    res = m.solve_steady()
    q = K * 0.05 * 0.04 * 100.0 / 0.2
    assert res.heat_flow("xmin") == pytest.approx(q, rel=1e-11)
    assert res.heat_flow("xmax") == pytest.approx(-q, rel=1e-11)


def _mixed_model():
    m = Model(mesh.rectangle(0.4, 0.2, 20, 10, cell="tri3"))
    m.material(conductivity=K, thickness_m=THICK)
    m.fixed_temperature("left", 320.0)
    m.heat_flux("bottom", 800.0)
    m.convection("top", 12.0, 290.0)
    m.radiation("right", 0.8, t_sink_k=100.0)
    m.heat_source(q_w_m3=2e5, name="electronics")
    return m


def test_sum_of_heat_flows_is_zero_steady():
    res = _mixed_model().solve_steady(rtol=1e-12)
    names = list(res.model.conditions)
    assert set(names) == {"fixed_temperature[left]", "heat_flux[bottom]", "convection[top]",
                          "radiation[right]", "electronics"}
    flows = np.array([res.heat_flow(n) for n in names])
    throughput = np.abs(flows).sum()
    assert abs(flows.sum()) < 1e-10 * throughput
    # boundaries and conditions agree; prescribed inputs are their integrals
    assert res.heat_flow("bottom") == pytest.approx(800.0 * 0.4 * THICK, rel=1e-13)
    assert res.heat_flow("electronics") == pytest.approx(2e5 * 0.4 * 0.2 * THICK, rel=1e-13)
    for n in names:
        assert res.heat_flow(n) == pytest.approx(res.heat_flow(n + ":in")
                                                 - res.heat_flow(n + ":out"), abs=1e-14)


def test_sum_of_heat_flows_transient_equals_stored():
    m = _mixed_model()
    m.material(conductivity=K, thickness_m=THICK, density=2700.0, specific_heat=900.0)
    res = m.solve_transient(200.0, 20.0, 300.0, rtol=1e-12)
    e = res.energy_steps[-1]
    total = sum(res.heat_flow(n) for n in m.conditions)
    # the fixed-node reaction includes the heat stored at those nodes, so the conditions
    # add up to the stored power of the whole model
    assert total == pytest.approx(e.stored_w, rel=1e-8, abs=1e-10)


def test_convection_in_and_out_split_matches_fin_closed_form():
    """A strip (fin) between a hot and a cold wall in a fluid at T_inf: heat leaves to the
    fluid near the hot end and enters from it near the cold end."""
    L, W, h, t_inf, th_l, th_r = 0.5, 0.02, 25.0, 300.0, 60.0, -40.0
    m = Model(mesh.shell(L, W, 400, 2, cell="quad4"))
    m.material(conductivity=K, thickness_m=THICK)
    m.fixed_temperature("left", t_inf + th_l)
    m.fixed_temperature("right", t_inf + th_r)
    m.convection("front", h, t_inf, name="air")
    res = m.solve_steady()
    mm = np.sqrt(h / (K * THICK))

    def theta(x):
        return (th_l * np.sinh(mm * (L - x)) + th_r * np.sinh(mm * x)) / np.sinh(mm * L)

    def integral(x):  # ∫ θ dx
        return (-th_l * np.cosh(mm * (L - x)) + th_r * np.cosh(mm * x)) / (mm * np.sinh(mm * L))

    x0 = brentq(theta, 0.0, L)
    out = h * W * (integral(x0) - integral(0.0))
    inn = -h * W * (integral(L) - integral(x0))
    assert out > 0 and inn > 0
    assert res.heat_flow("air:out") == pytest.approx(out, rel=2e-4)
    assert res.heat_flow("air:in") == pytest.approx(inn, rel=2e-4)
    assert res.heat_flow("air") == pytest.approx(inn - out, rel=1e-4)
    # the walls carry the rest: hot wall in, cold wall out, all adding to zero
    total = res.heat_flow("air") + res.heat_flow("left") + res.heat_flow("right")
    assert abs(total) < 1e-10 * (inn + out)


def test_names_are_checked():
    m = Model(mesh.rectangle(1.0, 1.0, 2, 2))
    m.convection("top", 5.0, 300.0, name="c")
    with pytest.raises(InputError, match="already used"):
        m.heat_flux("left", 1.0, name="c")
    m.convection("top", 5.0, 290.0)
    m.convection("top", 5.0, 280.0)
    assert "convection[top]" in m.conditions and "convection[top]#2" in m.conditions
    with pytest.raises(InputError, match="not a condition or boundary"):
        m.material(conductivity=1.0, thickness_m=1.0)
        m.fixed_temperature("left", 300.0)
        m.solve_steady().heat_flow("nope")
