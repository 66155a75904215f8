"""Radiator sizing on the coupled satellite: the sized area works, a smaller one does not,
and an impossible design is reported as such (never with an area).

Coarse design to keep it fast (~700 unknowns, ~1 s per coupled solve): the default VLEO case
with a 4 m wide panel, 1 m elements, 4 GB300-class packages at mesh density 2, 0.2 kg/s of
ammonia, 4 kW of compute demand (1 kW per chip), the panel's radiator strip sized.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from thermosat.defaults import default_design
from thermosat.physics.satellite import Satellite
from thermosat.sizing import constraint_margins, junction_floor_k, size_design

DEMAND_W = 4000.0


def _design(**package_changes):
    d = default_design("vleo", element_size_m=1.0, package_mesh_density=2, n_packages=4,
                       panel_width_m=4.0)
    d = replace(d, loop=replace(d.loop, mass_flow_kg_s=0.2))
    if package_changes:
        d = replace(d, package=d.package.replace(**package_changes))
    return d


@pytest.fixture(scope="module")
def sized():
    return size_design(_design(), DEMAND_W, vary="panel_radiator", area_bounds_m2=(2.0, 3000.0))


def test_sized_area_meets_the_binding_constraint(sized):
    assert sized.feasible, sized.message
    assert sized.binding_constraint == "junction"
    m = sized.margins
    # junction at its limit within the sizing tolerance (margin_tol_k = 0.05 K) ...
    assert 0.0 <= m["junction"] <= 0.05
    # ... and every other constraint holds
    assert all(v >= 0.0 for v in m.values())
    # the margins are those of the returned solve: junction limit 363.15 K (defaults.py, 90 °C)
    res = sized.result
    assert res.temperatures["junction_max_k"] == pytest.approx(363.15 - m["junction"], abs=1e-9)
    assert constraint_margins(sized.design, res) == m
    # the cells were rescaled so that the design delivers the demand
    assert res.power["compute_w"] == pytest.approx(DEMAND_W, rel=2e-3)
    assert "sized" in sized.message and "junction" in sized.message
    assert sized.mass["total_kg"] > 0


def test_ten_percent_less_area_violates_it(sized):
    d = sized.design
    smaller = replace(d, panel_radiator_area_m2=0.9 * d.panel_radiator_area_m2)
    res = Satellite(smaller).solve_steady()
    assert constraint_margins(smaller, res)["junction"] < 0.0
    assert res.temperatures["junction_max_k"] > 363.15
    assert "junction" in res.limits["violations"]


def test_junction_limit_below_reachable_coolant_is_infeasible():
    # junction limit 260 K: the radiator strip alone settles near 255 K in this environment
    # (absorbed sunlight on the OSR front, albedo and Earth IR on the Z-93 back), and 1 kW per
    # chip through R_jf ≈ 0.037 K/W adds ~37 K: no area can work
    d = _design(t_junction_max_k=260.0)
    out = size_design(d, DEMAND_W, vary="panel_radiator", area_bounds_m2=(2.0, 3000.0))
    assert out.feasible is False
    assert out.binding_constraint == "junction"  # the failing constraint is named
    assert "junction" in out.message and "any radiator area" in out.message
    assert "sized" not in out.message  # no area is offered as an answer
    assert out.margins["junction"] < 0.0
    floor = junction_floor_k(out.satellite, DEMAND_W)
    assert floor["junction_floor_k"] > 260.0
    assert len(out.evaluations) == 1  # recognised from the first solve, no search


def test_search_bound_too_small_is_infeasible_not_an_area():
    # the junction needs ~8.6 m² here; a search capped at 6 m² must say it failed
    out = size_design(_design(), DEMAND_W, vary="panel_radiator", area_bounds_m2=(2.0, 6.0))
    assert out.feasible is False
    assert out.binding_constraint == "junction"
    assert out.margins["junction"] < 0.0
    assert "junction limit missed" in out.message and "sized" not in out.message
