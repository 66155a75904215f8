"""Placement trades (thermosat.studies.trades): the answer is the feasible placement with the
highest W/kg, each trade row carries the contract keys, and a placement's design is set up
with the area it varies."""
from __future__ import annotations

import pytest

from thermosat.studies.trades import choose, placement_design, trade_notes

KEYS = {"placement", "feasible", "radiator_area_m2", "mass_kg", "specific_power_w_kg",
        "binding_constraint"}


def _row(p, feasible, area, mass, compute=16.8e3, ex=None, boom=0.0, hinges=16.0):
    return {"placement": p, "feasible": feasible, "radiator_area_m2": area if feasible else None,
            "mass_kg": mass if feasible else None,
            "specific_power_w_kg": compute / mass if feasible else None,
            "binding_constraint": "junction", "exchange_into_radiator_w": ex,
            "boom_kg": boom, "hinges_kg": hinges, "message": "m"}


def test_choose_takes_the_highest_w_per_kg_among_feasible_only():
    rows = [_row("beside", True, 81.8, 562.0, ex=5.5e3), _row("outboard", True, 45.3, 392.0),
            _row("boom", True, 43.2, 411.0, boom=20.0), _row("panel_back", False, 0, 0)]
    assert choose(rows) == "outboard"              # boom has less area but more mass
    rows[1]["feasible"] = False
    rows[1]["specific_power_w_kg"] = None
    assert choose(rows) == "boom"
    assert choose([_row("beside", False, 0, 0)]) is None
    notes = trade_notes([_row("beside", True, 81.8, 562.0, ex=5.5e3),
                         _row("outboard", True, 45.3, 392.0)], "outboard")
    assert notes["beside"].startswith("+36.5 m² of radiator and +170 kg against outboard")
    assert "5.5 kW" in notes["beside"] and notes["outboard"].startswith("chosen")
    assert KEYS <= set(_row("boom", True, 1.0, 1.0))


def test_placement_design_moves_the_radiator_area_where_the_placement_varies_it():
    from thermosat.case.defaults import default_design

    d = default_design("vleo", wing_area_m2=80.0)
    pb = placement_design(d, "panel_back")
    assert (pb.placement, pb.wing_area_m2, pb.panel_radiator_area_m2) == ("panel_back", 0.0,
                                                                          80.0)
    back = placement_design(pb, "boom")
    assert (back.placement, back.wing_area_m2, back.panel_radiator_area_m2) == ("boom", 80.0,
                                                                                0.0)
    assert placement_design(d, "beside").radiator_area_m2 == pytest.approx(80.0)
