"""Chip package stack: 1D exactness, energy balance, hot spots, power scaling, input checks,
spreading against the Fourier-series hand calculation."""
from __future__ import annotations

import numpy as np
import pytest

from thermosat import Model
from thermosat.common.errors import InputError
from thermosat.physics.package import (
    Block,
    Interface,
    PackageSpec,
    build_package,
    hand_resistance,
    junction_to_fluid_resistance,
    package_mesh,
    spreading_resistance_lee,
    spreading_resistance_series,
)
from thermosat.physics.package_presets import PRESETS, gaussian_hotspots, gb300, preset

T_F = 300.0
# silicon ~80 °C and OFHC copper (Incropera 7th ed. Table A.1; package_presets docstring)
SI = {"conductivity_w_mk": 130.0, "density_kg_m3": 2330.0, "specific_heat_j_kgk": 712.0}
CU = {"conductivity_w_mk": 390.0, "density_kg_m3": 8933.0, "specific_heat_j_kgk": 385.0}
D = 25.4e-3   # Dojo-D1-class die edge: 645 mm² (docs/references.md)


def stack(die_m=D, lid_m=45e-3, cp_m=70e-3, **kw) -> PackageSpec:
    args = {"die": Block(die_m, die_m, 0.75e-3, **SI), "tim1": Interface(50e-6, 25.0),
            "lid": Block(lid_m, lid_m, 2.5e-3, **CU), "tim2": Interface(50e-6, 4.0),
            "cold_plate": Block(cp_m, cp_m, 3e-3, **CU), "h_w_m2k": 2000.0,
            "area_factor": 4.0, "power_w": 400.0}
    args.update(kw)
    return PackageSpec(**args)


def solve(spec, md=8, **kw):
    m = Model()
    pk = build_package(m, "chip", spec, mesh_density=md, fluid_temperature_k=T_F, **kw)
    return m, pk, m.solve_steady()


def test_1d_stack_equals_series_resistance_sum():
    spec = stack(lid_m=D, cp_m=D)
    _, pk, res = solve(spec, md=4)
    hr = hand_resistance(spec, t_fluid_k=T_F)
    # series sum by hand: die (t - t_a)/kA + t_a/2kA, TIMs and plates t/kA, 1/(h af A)
    a = D * D
    by_hand = ((0.75e-3 - 10e-6) / (130 * a) + 10e-6 / (2 * 130 * a) + 50e-6 / (25 * a)
               + 2.5e-3 / (390 * a) + 50e-6 / (4 * a) + 3e-3 / (390 * a) + 1 / (2000 * 4 * a))
    assert hr["R_jf"] == pytest.approx(by_hand, rel=1e-14)
    r = junction_to_fluid_resistance(res, pk, T_F)
    assert r.mean_k_w == pytest.approx(by_hand, rel=1e-9)
    assert r.max_k_w == pytest.approx(by_hand, rel=1e-9)        # uniform junction in 1D
    assert pk.mean_junction_temperature(res) == pytest.approx(hr["T_j_mean_k"], rel=1e-11)


def test_energy_balance_die_power_equals_heat_to_fluid():
    _, _, res = solve(stack(), md=8)
    e = res.energy
    assert e.imbalance_rel < 1e-8
    assert e.heat_in["chip:die_power"] == pytest.approx(400.0, rel=1e-12)
    assert e.heat_out["convection"] == pytest.approx(400.0, rel=1e-8)


def test_hotspot_map_raises_max_junction_but_not_the_mean():
    hot = gaussian_hotspots((16, 16), ((0.3, 0.7, 0.08, 6.0),))
    _, pk_u, res_u = solve(stack(), md=8)
    _, pk_h, res_h = solve(stack(power_map=hot), md=8)
    # the map is normalised: the die still dissipates exactly 400 W
    assert res_h.energy.heat_in["chip:die_power"] == pytest.approx(400.0, rel=1e-12)
    u = junction_to_fluid_resistance(res_u, pk_u, T_F)
    h = junction_to_fluid_resistance(res_h, pk_h, T_F)
    assert h.max_k_w > 1.3 * u.max_k_w
    # the hottest junction node sits on the spot: x = (0.3 - 0.5) D, y = (0.7 - 0.5) D
    m_h = pk_h.junction_nodes[np.argmax(res_h.T[pk_h.junction_nodes])]
    xy = res_h.model.points[m_h, :2]
    assert np.allclose(xy, [-0.2 * D, 0.2 * D], atol=D / 8)
    assert h.mean_k_w == pytest.approx(u.mean_k_w, rel=0.03)


def test_set_power_scales_temperature_rise_linearly():
    m, pk, res1 = solve(stack(), md=6)
    system = m.build()
    pk.set_power(m, 1000.0)
    res2 = m.solve_steady()
    assert m.build() is system                                   # no rebuild
    assert res2.energy.heat_in["chip:die_power"] == pytest.approx(1000.0, rel=1e-12)
    np.testing.assert_allclose(res2.T - T_F, 2.5 * (res1.T - T_F), rtol=1e-9, atol=1e-9)
    assert pk.junction_temperature(res2) - T_F == pytest.approx(
        2.5 * (pk.junction_temperature(res1) - T_F), rel=1e-9)
    with pytest.raises(InputError, match="power_w"):
        pk.set_power(m, -1.0)


@pytest.mark.parametrize("change, field, unit", [
    ({"die": Block(D, D, 0.0, **SI)}, "die.thickness_m", "m"),
    ({"tim1": Interface(50e-6, -3.0)}, "tim1.conductivity_w_mk", "W/m/K"),
    ({"tim1": Interface(5e-3, 3.0)}, "tim1.thickness_m", "m"),
    ({"h_w_m2k": float("nan")}, "h_w_m2k", "W/m²/K"),
    ({"power_w": -5.0}, "power_w", "W"),
    ({"t_junction_max_k": 90.0}, "t_junction_max_k", "K"),
    ({"active_thickness_m": 1e-3}, "active_thickness_m", "m"),
    ({"cold_plate": Block(40e-3, 70e-3, 3e-3, **CU)}, "cold_plate.size_x_m", "m"),
    ({"lid": Block(20e-3, 45e-3, 2e-3, **CU)}, "lid.size_x_m", "m"),
    ({"power_map": [[1.0, -1.0]]}, "power_map", "-"),
    ({"tim2": None}, "tim2", ""),
])
def test_bad_spec_values_raise_input_error_naming_the_field(change, field, unit):
    with pytest.raises(InputError) as exc:
        stack(**change)
    msg = str(exc.value)
    assert f"PackageSpec.{field}" in msg
    assert unit in msg


def test_spreading_stack_within_tolerance_of_staged_hand_calc():
    # die 25.4 < lid 45 < cold plate 70 mm; the staged series hand calc is an upper bound
    # (isoflux into the lid, uniform flux lid -> cold plate), FE within 3 % (validation case)
    spec = stack()
    hr = hand_resistance(spec)
    assert hr["R_lid_spreading"] > 0.1 * hr["R_jf"]               # spreading matters here
    _, pk, res = solve(spec, md=12)
    r = junction_to_fluid_resistance(res, pk, T_F)
    err = (r.mean_k_w - hr["R_jf"]) / hr["R_jf"]
    assert -0.03 < err < 0.0
    assert r.max_k_w > r.mean_k_w


def test_series_spreading_limits():
    # source = channel: no spreading; a smaller source spreads more; thick plate with a
    # large Biot number tends to the Lee et al. closed form within its ~10 % accuracy
    assert spreading_resistance_series(0.02, 0.02, 0.02, 0.02, [(2e-3, 390.0)], 1e4) \
        == pytest.approx(0.0, abs=1e-12)
    r1 = spreading_resistance_series(0.01, 0.01, 0.05, 0.05, [(3e-3, 390.0)], 1e4)
    r2 = spreading_resistance_series(0.02, 0.02, 0.05, 0.05, [(3e-3, 390.0)], 1e4)
    assert r1 > r2 > 0
    lee = spreading_resistance_lee(0.01 ** 2, 0.05 ** 2, 3e-3, 390.0, 1e4)
    assert lee == pytest.approx(r1, rel=0.1)
    # a layer split in two identical halves is the same channel (impedance recursion)
    r3 = spreading_resistance_series(0.01, 0.01, 0.05, 0.05, [(1.5e-3, 390.0)] * 2, 1e4)
    assert r3 == pytest.approx(r1, rel=1e-12)


def test_package_handle_global_numbering_and_faces():
    spec = stack()
    m = Model()
    from thermosat.mesh.generators import box

    m.add_part("other", box(0.01, 0.01, 0.01, 2, 2, 2))
    m.material("other/domain", conductivity=10.0)
    pk = build_package(m, "chip", spec, mesh_density=6, origin=(1.0, 0.0, 0.0))
    off = m.parts["chip"].offset
    assert off == 27 and pk.wetted_facets.min() >= off
    pts = m.points
    wet = pts[pk.wetted_facets]
    assert np.allclose(wet[..., 2], 0.0)
    areas = np.abs((wet[:, 2, 0] - wet[:, 0, 0]) * (wet[:, 2, 1] - wet[:, 0, 1]))
    assert areas.sum() == pytest.approx(0.07 ** 2, rel=1e-12)
    assert pk.wetted_facet_type == "quad4" and pk.wetted_area_m2 == pytest.approx(0.07 ** 2)
    top = pts[pk.junction_nodes]
    assert np.allclose(top[:, 2], 3e-3 + 50e-6 + 2.5e-3 + 50e-6 + 0.75e-3)
    assert np.all(np.abs(top[:, 0] - 1.0) <= D / 2 + 1e-12)
    # wetted facets face down (outward normal -z)
    n = np.cross(wet[:, 1] - wet[:, 0], wet[:, 3] - wet[:, 0])
    assert np.all(n[:, 2] < 0)
    assert pk.wetted_boundary == "chip/wetted"


def test_heat_capacity_matches_assembled_capacitance():
    m = Model()
    pk = build_package(m, "chip", stack(), mesh_density=4, fluid_temperature_k=T_F)
    lumped = m.build().capacitance(lumped=True)
    assert lumped.sum() == pytest.approx(pk.heat_capacity_j_k, rel=1e-10)


def test_mesh_keeps_only_solid_cells_with_regions():
    mesh = package_mesh(stack(), 4)
    vol = {}
    for name in ("die", "die_active", "tim1", "lid", "tim2", "cold_plate"):
        x = mesh.points[mesh.cells[mesh.region(name)]]
        ext = x.max(axis=1) - x.min(axis=1)
        vol[name] = float(np.prod(ext, axis=1).sum())
    assert vol["die"] == pytest.approx(D * D * 0.75e-3, rel=1e-12)
    assert vol["die_active"] == pytest.approx(D * D * 10e-6, rel=1e-12)
    assert vol["lid"] == pytest.approx(0.045 ** 2 * 2.5e-3, rel=1e-12)
    assert vol["cold_plate"] == pytest.approx(0.07 ** 2 * 3e-3, rel=1e-12)
    assert sum(len(mesh.region(n)) for n in ("die", "tim1", "lid", "tim2", "cold_plate")) \
        == mesh.n_cells
    assert np.unique(mesh.cells).size == mesh.n_points            # no orphan nodes


def test_bare_die_preset_and_cold_plate_target():
    spec = gb300()
    assert spec.lid is None and spec.power_w == 1400.0
    hr = hand_resistance(spec)
    assert hr["R_cold_plate_total"] == pytest.approx(0.03, rel=1e-6)  # docs/references.md 0.03–0.04
    _, pk, res = solve(spec, md=6)
    assert res.energy.imbalance_rel < 1e-8
    r = junction_to_fluid_resistance(res, pk, T_F)
    assert r.mean_k_w == pytest.approx(hr["R_jf"], rel=0.03)
    assert sorted(PRESETS) == ["b200", "dojo_d1", "gb300"]
    assert preset("dojo_d1").die.area_m2 == pytest.approx(645e-6, rel=1e-3)
    with pytest.raises(InputError, match="preset"):
        preset("h100")


def test_transient_heats_up_towards_steady_state():
    m, pk, steady = solve(stack(), md=4)
    tr = m.solve_transient(2.0, 0.5, T_F, scheme="backward_euler")
    tj = pk.junction_temperature(tr.T)
    assert T_F < tj < pk.junction_temperature(steady)
    # 2 s is short against R_jf·C ≈ 0.09 K/W × 73 J/K ≈ 6 s: most of P·t is still stored;
    # backward Euler balances each step exactly, so Σ net heat · dt = C·ΔT
    assert 0.5 * 400.0 * 2.0 < tr.stored_energy_change_j < 400.0 * 2.0
    assert tr.stored_energy_change_j == pytest.approx(tr.net_heat_in_j, rel=1e-6)
