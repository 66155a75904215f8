"""Radiator sizing on the coupled satellite: the sized area works, a smaller one does not,
and an impossible design is reported as such (never with an area).

Coarse design to keep it fast (~800 unknowns, < 1 s per coupled solve): the default VLEO case
(edge-on radiator wings) with a 4 m wide panel, 2 m wide wings, 1 m elements, 4 GB300-class
packages at mesh density 2, 0.2 kg/s of ammonia, 4 kW of compute demand (1 kW per chip); the
wing area is sized (the default sizing variable).
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from thermosat.case.defaults import default_design
from thermosat.satellite.satellite import Satellite
from thermosat.studies.sizing import constraint_margins, junction_floor_k, size_design

DEMAND_W = 4000.0


def _design(**package_changes):
    # beside-the-panel wings: at this tiny size an outboard wing is square (2 m × 2 m) near
    # the sized area, where the tube layout flips direction and the junction jumps by ~7 K
    d = default_design("vleo", element_size_m=1.0, package_mesh_density=2, n_packages=4,
                       panel_width_m=4.0, wing_width_m=2.0, wing_area_m2=20.0,
                       placement="beside")
    d = replace(d, loop=replace(d.loop, mass_flow_kg_s=0.2))
    if package_changes:
        d = replace(d, package=d.package.replace(**package_changes))
    return d


@pytest.fixture(scope="module")
def sized():
    return size_design(_design(), DEMAND_W, vary="wings", area_bounds_m2=(2.0, 3000.0))


def test_sized_area_meets_the_binding_constraint(sized):
    assert sized.feasible, sized.message
    assert sized.binding_constraint == "junction"
    m = sized.margins
    a = sized.design.wing_area_m2
    assert sized.design.radiator_area_m2 == a  # no panel strip: the wings are the radiator
    # every constraint holds at the sized area ...
    assert all(v >= 0.0 for v in m.values())
    # ... and the junction is at its limit within the sizing tolerance: margin ≤ 0.05 K
    # (margin_tol_k), or the bracket closed to 0.5 % in area (area_rtol: the junction is only
    # piecewise smooth in the area, since the wing mesh changes with it) with the smaller
    # side violating it
    below = [e for e in sized.evaluations
             if a * (1 - 5e-3) <= e["radiator_area_m2"] < a and e["margin_junction"] < 0.0]
    assert m["junction"] <= 0.05 or below
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
    smaller = replace(d, wing_area_m2=0.9 * d.wing_area_m2)
    res = Satellite(smaller).solve_steady()
    assert constraint_margins(smaller, res)["junction"] < 0.0
    assert res.temperatures["junction_max_k"] > 363.15
    assert "junction" in res.limits["violations"]


def test_junction_limit_below_reachable_coolant_is_infeasible():
    # junction limit 250 K (the lowest PackageSpec accepts) at 2 kW per chip: an infinite
    # edge-on Z-93 wing settles near 194.5 K on the albedo and Earth IR it absorbs at 500 km
    # (2 ε σ T⁴ = Σ faces (α·albedo + ε·IR)), and 2 kW through R_jf ≈ 0.037 K/W adds ~75 K:
    # the junction cannot go below ~269 K at any area
    # (the part is left unrated here: 2 kW is above the gb300's 1.4 kW rating, and this test
    # is about the junction floor, not the chip-power limit of test_chip_rating.py)
    # (the search is capped at 200 m²: the lumped estimate for a 250 K junction is ~8,400 m²,
    # and the floor does not depend on the area of the first solve)
    d = _design(t_junction_max_k=250.0, rated_power_w=None)
    out = size_design(d, 2 * DEMAND_W, vary="wings", area_bounds_m2=(2.0, 200.0))
    assert out.feasible is False
    assert out.binding_constraint == "junction"  # the failing constraint is named
    assert "junction" in out.message and "any radiator area" in out.message
    assert "sized" not in out.message  # no area is offered as an answer
    assert out.margins["junction"] < 0.0
    floor = junction_floor_k(out.satellite, 2 * DEMAND_W)
    assert floor["radiator_floor_k"] == pytest.approx(194.5, abs=0.5)
    assert floor["junction_floor_k"] > 250.0
    assert len(out.evaluations) == 1  # recognised from the first solve, no search


def test_search_bound_too_small_is_infeasible_not_an_area():
    # the junction needs ~8 m² of wings here; a search capped at 6 m² must say it failed
    out = size_design(_design(), DEMAND_W, vary="wings", area_bounds_m2=(2.0, 6.0))
    assert out.feasible is False
    assert out.binding_constraint == "junction"
    assert out.margins["junction"] < 0.0
    assert "junction limit missed" in out.message and "sized" not in out.message


def test_a_sizing_keeps_only_the_solved_models_it_can_still_answer_with(monkeypatch):
    """Every coupled solve of the search builds a whole model (~0.5–1 GB at a sized tier);
    the search releases each as soon as no selection rule can pick it (the last solve, the
    best margin, the smallest feasible area with and without the demand met), so at most
    four are alive while it runs, and after it only the answer's."""
    import gc
    import weakref

    from thermosat.studies import sizing as sizing_mod

    made, alive_before = [], []
    real = sizing_mod._evaluate

    def spy(design, log, progress=None):
        gc.collect()
        alive_before.append(sum(w() is not None for w in made))
        sat, res, margins = real(design, log, progress)
        made.append(weakref.ref(sat))
        return sat, res, margins

    monkeypatch.setattr(sizing_mod, "_evaluate", spy)
    out = size_design(_design(), DEMAND_W, vary="wings", area_bounds_m2=(2.0, 3000.0),
                      initial_area_m2=3.0)             # far below the answer: a long search
    gc.collect()
    assert out.feasible and len(made) >= 5, len(made)
    assert max(alive_before) <= 4 and alive_before[-1] < len(made) - 1, alive_before
    assert [w() for w in made if w() is not None] == [out.satellite]
    assert out.result is not None and out.result.model is out.satellite.model
