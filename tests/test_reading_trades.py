"""Compute readings in the main job's trade (issue 14 item 2): each tier's other readings of
the article's "30 kW" and "12 to 24 chips" are sized on the winning placement, a reading that
runs the chips above their rating is reported without sizing, and the answer is the feasible
row with the highest W/kg over placements × readings, which every later step runs on."""
from __future__ import annotations

import pytest

from thermosat.case.defaults import ARTICLE_COMPUTE_W, default_case
from thermosat.studies import trades
from thermosat.studies.sizing import SizingResult
from thermosat.studies.trades import (ReadingDesigns, choose, choose_row, run_reading_trades,
                                      trade_key, trade_notes)

KEYS = {"placement", "feasible", "radiator_area_m2", "mass_kg", "specific_power_w_kg",
        "binding_constraint", "reading"}


@pytest.fixture(autouse=True)
def _vf_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("THERMOSAT_CACHE_DIR", str(tmp_path / "cache"))


def _reading(case, reading, demand_w=None):
    c = case.with_reading(reading, demand_w)
    return ReadingDesigns(c.to_design(environment="hot"), c.compute_demand_w())


def test_a_reading_above_the_chip_rating_is_reported_infeasible_without_sizing(monkeypatch):
    case = default_case("vleo")                    # 12 chips rated 1.4 kW
    over = _reading(case, "demand_over_chips", ARTICLE_COMPUTE_W)
    under = _reading(case, "demand_at_rating", ARTICLE_COMPUTE_W)
    assert over.over_rating and not under.over_rating
    calls = []

    def fake_size(design, placement, demand_w, **kw):  # records what would be sized
        calls.append((design.n_packages, placement, demand_w, kw))
        return SizingResult(False, trades.placement_design(design, placement), None, None,
                            "junction", {}, [], "stand-in")

    monkeypatch.setattr(trades, "size_placement", fake_size)
    own = case.to_design(environment="hot")
    ref = SizingResult(True, own.with_areas(wing_area_m2=40.0), None, None, "junction", {}, [])
    out = run_reading_trades({"demand_over_chips": over, "demand_at_rating": under},
                             "outboard", area_bounds_m2=(10.0, 3000.0), ref=ref,
                             ref_demand_w=case.compute_demand_w())
    rows = {r["reading"]: r for r in out["rows"]}
    bad = rows["demand_over_chips"]
    assert KEYS <= set(bad)
    assert (bad["feasible"], bad["binding_constraint"]) == (False, "chip_rating")
    assert bad["radiator_area_m2"] is None and bad["mass_kg"] is None
    assert bad["chip_power_w"] == pytest.approx(ARTICLE_COMPUTE_W / over.n_chips)
    assert "above their 1400 W rating" in bad["message"] and "no radiator area" in bad["message"]
    # only the reading within the rating was sized, on the placement given, warm-started
    # from the reference sizing scaled by the demand ratio
    assert len(calls) == 1 and "demand_over_chips" not in out["sizings"]
    n, placement, demand, kw = calls[0]
    scale = ARTICLE_COMPUTE_W / case.compute_demand_w()
    assert (n, placement, demand) == (under.n_chips, "outboard", ARTICLE_COMPUTE_W)
    assert kw["initial_cell_area_m2"] == pytest.approx(own.cell_area_m2 * scale)
    assert kw["initial_area_m2"] == pytest.approx(40.0 * scale)
    notes = trade_notes(out["rows"], None)
    assert notes["outboard/demand_over_chips"].startswith("not sized (chip_rating)")


def _row(p, reading, feasible, area, mass, compute, n, demand=None):
    return {"placement": p, "reading": reading, "feasible": feasible,
            "radiator_area_m2": area if feasible else None,
            "mass_kg": mass if feasible else None,
            "specific_power_w_kg": compute / mass if feasible else None,
            "binding_constraint": "junction" if feasible else "chip_rating",
            "compute_w": compute if feasible else None, "demand_w": demand or compute,
            "n_chips": n, "chip_power_w": (demand or compute) / n, "chip_rated_power_w": 1400.0,
            "radiator_flux_w_m2": 420.0 if feasible else None,
            "exchange_into_radiator_w": None, "boom_kg": 0.0, "hinges_kg": 16.0,
            "message": "not sized: above the rating" if not feasible else "m"}


def test_the_choice_is_the_best_w_per_kg_over_placements_and_readings(tmp_path):
    rows = [_row("beside", "chips_at_rating", True, 75.0, 528.0, 16.8e3, 12),
            _row("outboard", "chips_at_rating", True, 42.8, 380.0, 16.8e3, 12),
            _row("outboard", "demand_at_rating", True, 76.0, 640.0, 30e3, 22),
            _row("outboard", "demand_over_chips", False, 0, 0, 0.0, 12, demand=30e3)]
    best = choose_row(rows)
    assert (best["placement"], best["reading"]) == ("outboard", "demand_at_rating")
    assert best["specific_power_w_kg"] == max(r["specific_power_w_kg"] for r in rows
                                              if r["feasible"])
    assert choose(rows) == "outboard"
    # an infeasible reading never wins, whatever its compute
    rows[2]["feasible"], rows[2]["specific_power_w_kg"] = False, None
    assert trade_key(choose_row(rows)) == "outboard/chips_at_rating"
    rows[2]["feasible"], rows[2]["specific_power_w_kg"] = True, 30e3 / 640.0
    notes = trade_notes(rows, trade_key(best))
    assert set(notes) == {trade_key(r) for r in rows}
    assert notes["outboard/demand_at_rating"].startswith("chosen: 46.9 W/kg")
    # the case's reading on the same placement is explained against the chosen reading
    own = notes["outboard/chips_at_rating"]
    assert own.startswith("reading chips_at_rating: 16.8 kW on 12 chips at 1400 W against "
                          "30.0 kW on 22 chips at 1364 W")
    assert "-13.2 kW of compute" in own and "44.2 against 46.9 W/kg" in own
    # another placement of the case's reading: against the best placement of that reading
    assert notes["beside/chips_at_rating"].startswith("+32.2 m² of radiator and +148 kg "
                                                      "against outboard")
    # the report's trade table shows the reading and the chosen row
    from thermosat.post.trade_report import trade_section

    md = "\n".join(trade_section({"placement": "outboard", "compute_reading":
                                  "demand_at_rating", "trades": rows, "trade_notes": notes}))
    assert "| placement | reading | compute kW | chips × W |" in md
    assert "| **outboard** | **demand_at_rating** | 30.0 | 22 × 1364 |" in md
    assert "| outboard | demand_over_chips | 30.0 | 12 × 2500 | no |" in md
    assert "more compute over the same fixed masses" in md


def test_alternative_readings_are_those_whose_plan_differs():
    from thermosat.commands.size import alternative_readings

    vleo = alternative_readings(default_case("vleo"))   # 12 chips at 1.4 kW = 16.8 kW
    assert set(vleo) == {"demand_at_rating", "demand_over_chips"}
    assert (vleo["demand_at_rating"].n_chips, vleo["demand_at_rating"].demand_w) == (
        22, ARTICLE_COMPUTE_W)
    assert vleo["demand_over_chips"].over_rating
    assert vleo["demand_at_rating"].cold_design.environment_name == "cold"
    assert vleo["demand_at_rating"].orbit_design.environment_name == "cold_eclipse"
    meo = alternative_readings(default_case("meo"))     # 24 chips: 30 kW is within rating
    assert not meo["demand_over_chips"].over_rating


def test_run_tier_trades_the_readings_and_runs_on_the_answer(tmp_path, monkeypatch):
    """A coarse 4-chip satellite (885 unknowns; ~15 s): the case's reading (4 chips at their
    rating) against 7 kW on 5 chips and 7 kW over the 4 chips (above their rating)."""
    from thermosat.post.report import write_report
    from thermosat.studies import bounding
    from thermosat.studies.tier_job import run_tier

    case = default_case("vleo").with_values({
        "panel.element_size_m": 2.5, "mesh.package_mesh_density": 2,
        "loop.pipe_pitch_m": 1.0, "loop.mass_flow_kg_s": 0.25, "compute.n_chips": 4,
        "wings.surface_exchange": False})
    demand = 7e3

    def designs(c):
        return ReadingDesigns(c.to_design(environment="hot"), c.compute_demand_w(),
                              cold_design=c.to_design(environment="cold"))

    alts = {r: designs(case.with_reading(r, demand))
            for r in ("demand_at_rating", "demand_over_chips")}
    checked = []
    real = bounding.cold_check

    def spy(design_cold, **kw):
        checked.append(design_cold.n_packages)
        return real(design_cold, **kw)

    monkeypatch.setattr(bounding, "cold_check", spy)
    row = run_tier("vleo", case.to_design(environment="hot"), case.compute_demand_w(),
                   tmp_path / "out", area_bounds_m2=(1.0, 3000.0), steps=8, curve=False,
                   renders=False, cold_design=case.to_design(environment="cold"),
                   reading="chips_at_rating", readings=alts)
    rows = row["trades"]
    assert [r["reading"] for r in rows] == ["chips_at_rating", "demand_at_rating",
                                            "demand_over_chips"]
    assert all(KEYS <= set(r) for r in rows)
    assert {r["placement"] for r in rows} == {case.wings.placement}
    over = rows[2]
    assert (over["feasible"], over["binding_constraint"], over["evaluations"]) == (
        False, "chip_rating", 0)
    # the answer is the best feasible row, and the row follows its reading and its design
    best = choose_row(rows)
    assert best is not None and row["compute_reading"] == best["reading"]
    assert row["n_chips"] == best["n_chips"] == checked[0]
    assert row["compute_demand_w"] == pytest.approx(best["demand_w"])
    assert row["compute_power_w"] == pytest.approx(best["compute_w"])
    assert row["radiator_area_m2"] == pytest.approx(best["radiator_area_m2"])
    assert row["trade_notes"][trade_key(best)].startswith("chosen")
    md = write_report(tmp_path / "report.md", [dict(row, files={})], [], {},
                      {"vleo": {"chips_at_rating": case.compute_plan(),
                                **{k: case.with_reading(k, demand).compute_plan()
                                   for k in alts}}}).read_text()
    assert "compute readings traded" in md and "not sized: chips above their rating" in md
    assert f"reading `{best['reading']}`" in md


def test_attribution_table_states_the_reading_trade_step():
    """The stored attribution is of the case's own reading; when the trade picks another
    reading the report says by how much that step moved the area."""
    from thermosat.post.report import attribution_table

    att = {"date": "2026-12-06", "commit": "abc", "radiator_area_m2": 45.0,
           "matches_this_run": True, "changes": [],
           "reading_trade": {"from_reading": "chips_at_rating", "to_reading": "demand_at_rating",
                             "area_from_m2": 45.0, "area_to_m2": 81.0,
                             "compute_from_w": 16800.0, "compute_to_w": 30000.0,
                             "n_chips_from": 12, "n_chips_to": 22}}
    text = "\n".join(attribution_table(att))
    assert "`demand_at_rating` (30.0 kW on 22 chips)" in text
    assert "+36.0 m² (+80 %)" in text and "changed since" not in text


def test_only_the_winning_sizing_keeps_its_solved_model(monkeypatch):
    """Each sizing holds its solved satellite (~0.5–1 GB at a sized tier); after the trade
    only the answer's is kept, the others are released (six held together set the main
    job's peak memory), and the rows keep what the report needs."""
    from thermosat.studies import tier_job

    case = default_case("vleo")
    own = case.to_design(environment="hot")

    def sized(placement, w_kg, area):
        s = SizingResult(True, trades.placement_design(own, placement).with_areas(
            wing_area_m2=area), object(), object(), "junction", {}, [], "sized")
        return s, {"placement": placement, "reading": "chips_at_rating", "feasible": True,
                   "radiator_area_m2": area, "specific_power_w_kg": w_kg,
                   "compute_w": 30e3, "demand_w": 30e3, "mass_kg": 30e3 / w_kg,
                   "n_chips": 22, "chip_power_w": 1364.0, "binding_constraint": "junction"}

    assert own.placement != "boom"
    first, r0 = sized(own.placement, 30.0, 80.0)
    other, r1 = sized("boom", 43.0, 45.0)
    alt, r2 = sized("boom", 44.5, 76.0)
    r2["reading"] = "demand_at_rating"

    monkeypatch.setattr(trades, "run_trades", lambda *a, **k: {
        "rows": [r0, r1], "chosen": "boom", "time_s": 1.0,
        "sizings": {own.placement: first, "boom": other}})
    seen = {}

    def fake_readings(readings, placement, **kw):
        seen["ref"] = kw["ref"]
        seen["released_before"] = first.satellite is None   # a losing placement: freed early
        return {"rows": [r2], "sizings": {"demand_at_rating": alt}, "time_s": 1.0}

    monkeypatch.setattr(trades, "run_reading_trades", fake_readings)
    rd = _reading(case, "demand_at_rating", ARTICLE_COMPUTE_W)
    trade, winner, _vary, name, got = tier_job._trade(
        "vleo", own, case.compute_demand_w(), trades.PLACEMENTS, first, "wings",
        (1.0, 3000.0), lambda m: None, reading="chips_at_rating",
        readings={"demand_at_rating": rd})
    assert seen["ref"] is other and seen["released_before"] is False  # own sizing kept: the
    assert winner is alt and name == "demand_at_rating" and got is rd  # no-winner fallback
    assert winner.satellite is not None and winner.result is not None
    assert all(s.satellite is None and s.result is None for s in (first, other))
    assert "sizings" not in trade and "reading_sizings" not in trade
    assert [r["specific_power_w_kg"] for r in trade["rows"]] == [30.0, 43.0, 44.5]
