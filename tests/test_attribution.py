"""The area attribution undoes each change for real, and the report renders what it stored."""
from __future__ import annotations

import json

import pytest

from thermosat.case.defaults import default_case
from thermosat.post.report import attribution_table
from thermosat.studies import attribution as att


@pytest.fixture(scope="module")
def case_and_design():
    case = default_case("vleo")
    hot, _ = case.environment_names()
    return case, case.to_design(environment=hot)


def test_every_undo_changes_the_design(case_and_design):
    case, d = case_and_design
    for ch in att.CHANGES:
        undone = ch.undo(case, d)
        if undone is None:  # the design does not carry that change (e.g. no placement yet)
            continue
        dd, demand = undone
        assert dd != d or demand != case.compute_demand_w(), ch.name
    fin, _ = att._fin(case, d)
    assert fin.fin_elements_per_pitch is None and d.fin_elements_per_pitch >= 4
    cp, _ = att._coldplate(case, d)
    assert cp.coldplate_fluid_nodes == 1 < d.coldplate_fluid_nodes
    hd, _ = att._headers(case, d)
    assert hd.loop.header_inner_diameter_m == pytest.approx(0.020)
    env, _ = att._environment(case, d)
    assert env.solar_constant_w_m2 == pytest.approx(1361.0) != d.solar_constant_w_m2
    rd, demand = att._reading(case, d)
    # the old reading: 30 kW over the tier's 12 chips, 2.5 kW each, rating not enforced
    assert demand == pytest.approx(30e3) and rd.n_packages == d.n_packages
    assert rd.package.rated_power_w is None


def test_stored_measurement_is_dated_and_checked_against_the_run(tmp_path, monkeypatch):
    store = tmp_path / "a.json"
    store.write_text(json.dumps({"tiers": {"vleo": {
        "radiator_area_m2": 100.0, "commit": "abc1234", "date": "2026-12-02",
        "changes": [{"change": "fin resolved", "before": "b", "after": "a",
                     "area_without_m2": 80.0, "binding_without": "junction",
                     "effect_m2": 20.0, "effect_rel": 0.25},
                    {"change": "chip reading", "before": "b", "after": "a",
                     "area_without_m2": None, "binding_without": "junction",
                     "effect_m2": None, "effect_rel": None}]}}}))
    monkeypatch.setattr(att, "STORE", store)
    assert att.measured_attribution("leo", 100.0) is None
    row = att.measured_attribution("vleo", 101.0)
    assert row["matches_this_run"] is True
    assert att.measured_attribution("vleo", 110.0)["matches_this_run"] is False
    md = "\n".join(attribution_table(row))
    assert "abc1234" in md and "2026-12-02" in md
    assert "+20.0 m² (+25 %)" in md and "80.0 m²" in md
    assert "infeasible (junction)" in md
    assert "has changed since" not in md
    assert "has changed since" in "\n".join(attribution_table(
        att.measured_attribution("vleo", 110.0)))
