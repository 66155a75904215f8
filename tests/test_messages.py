"""Messages that are true, and one vocabulary (issue 16, items 2 and 3)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from thermosat import cli
from thermosat.common.errors import CaseError, InputError

ROOT = Path(__file__).resolve().parents[1]


# --- the search bound ----------------------------------------------------------------------
def _evals(points):
    return [(a, f, None, None, {}, None) for a, f in points]


def test_bound_hit_says_it_needs_more_than_the_bound_and_which_field():
    from thermosat.studies.sizing import _not_met_message

    msg = _not_met_message(_evals([(20.0, -30.0), (35.0, -18.0), (50.0, -9.0)]), "junction",
                           {"junction": -9.0}, 50.0, 50.0)
    assert "needs more than 50 m²" in msg and "sizing.max_area_m2" in msg
    assert "cannot fix" not in msg
    assert "still rising" in msg
    # the extrapolation (margin linear in log area) lands beyond the bound
    need = float(msg.split("near ")[1].split(" m²")[0])
    assert 50.0 < need < 200.0


def test_bound_hit_with_a_flat_margin_says_more_area_may_not_help():
    from thermosat.studies.sizing import _not_met_message

    msg = _not_met_message(_evals([(40.0, -5.0), (50.0, -5.5)]), "coolant_boil",
                           {"coolant_boil": -5.5}, 50.0, 50.0)
    assert "needs more than 50 m²" in msg and "stopped improving" in msg


def test_budget_exhausted_below_the_bound_is_not_blamed_on_the_bound():
    from thermosat.studies.sizing import _not_met_message

    msg = _not_met_message(_evals([(10.0, -4.0), (20.0, -2.0)]), "junction",
                           {"junction": -2.0}, 20.0, 5000.0)
    assert "stopped after 2 evaluations" in msg and "needs more than" not in msg


# --- size --case keeps the altitude ----------------------------------------------------------
@pytest.fixture
def altitude_case(tmp_path):
    text = (ROOT / "cases" / "leo.toml").read_text().replace('tier = "leo"',
                                                              "altitude_km = 700.0")
    p = tmp_path / "alt.toml"
    p.write_text(text)
    return p


def test_size_case_keeps_its_altitude(altitude_case):
    from thermosat.commands.size import _cases

    (label, case), = _cases(None, str(altitude_case))
    assert label == "700km"
    assert case.to_design().orbit.altitude_m == pytest.approx(700e3)


def test_size_case_with_altitude_and_tier_is_refused_in_one_line(altitude_case, tmp_path,
                                                                  capsys):
    out = tmp_path / "out"
    rc = cli.main(["size", "--case", str(altitude_case), "--tier", "leo", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1
    assert "orbit.altitude_km = 700" in err and "--tier leo" in err
    assert not out.exists()


# --- infeasible: no mass, no W/kg; the table fits -------------------------------------------
def _rows():
    rows = json.loads((ROOT / "tests" / "data" / "results_a.json").read_text())["tiers"]
    return rows


def test_infeasible_tier_shows_no_mass_or_specific_power(tmp_path):
    from thermosat.post.report import terminal_table, tier_table, write_report

    rows = _rows()
    bad = dict(rows[1], feasible=False, radiator_area_m2=None, total_area_m2=None,
               mass_kg=1234.5, specific_power_w_kg=24.3)
    for text in (terminal_table([bad], 100), tier_table([bad])):
        assert "1234" not in text and "1235" not in text and "24.3" not in text
        assert "INFEASIBLE" in text
    md = write_report(tmp_path / "report.md", [bad], [], {}).read_text()
    assert "1235 kg" not in md and "24.3" not in md
    assert "No mass or W/kg: the design is infeasible." in md


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_terminal_table_fits_the_width(width):
    from thermosat.post.report import terminal_table

    text = terminal_table(_rows(), width)
    assert max(len(line) for line in text.splitlines()) <= max(width, 74)
    assert "radiator m²" in text and "°C" in text
    if width >= 160:
        assert "PV kW" in text and "cells K (°C)" in text


def test_terminal_table_uses_the_terminal_size(monkeypatch):
    import os
    import shutil

    from thermosat.post.report import terminal_table

    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=None: os.terminal_size(
        (90, 30)))
    assert max(len(line) for line in terminal_table(_rows()).splitlines()) <= 90


# --- one vocabulary --------------------------------------------------------------------------
def test_coolant_margin_is_the_distance_and_beyond_required_is_named_apart():
    from thermosat.studies.vocabulary import shared_keys

    t = {"junction_max_k": 360.0, "cell_max_k": 350.0, "coolant_min_k": 230.0,
         "coolant_max_k": 300.0}
    lim = {"junction_limit_k": 363.15, "cell_limit_k": 358.15, "coolant_freeze_k": 195.4,
           "coolant_boil_k": 320.0, "required_coolant_margin_k": 10.0}
    k = shared_keys(t, lim, {"compute_w": 1.0, "pv_w": 2.0, "pump_w": 0.1})
    assert k["coolant_freeze_margin_k"] == pytest.approx(230.0 - 195.4)
    assert k["coolant_boil_margin_k"] == pytest.approx(20.0)
    assert k["coolant_freeze_margin_beyond_required_k"] == pytest.approx(230.0 - 195.4 - 10)
    assert k["coolant_boil_margin_beyond_required_k"] == pytest.approx(10.0)
    assert k["junction_margin_k"] == pytest.approx(3.15)


def test_size_rows_and_solve_records_share_key_names():
    import inspect

    from thermosat.commands import solve
    from thermosat.studies import tier_job
    from thermosat.studies.vocabulary import GLOSSARY

    # both build their flat keys with the same function
    assert "shared_keys(" in inspect.getsource(solve._record)
    assert "shared_keys(" in inspect.getsource(tier_job._add_shared_keys)
    # and the contract's own names are among them
    row = _rows()[0]
    for key in ("max_junction_temp_k", "compute_power_w", "coolant_min_temp_k"):
        assert key in row and key in GLOSSARY


def test_misspelled_case_field_gets_did_you_mean(tmp_path):
    from thermosat.case.load import load_case

    p = tmp_path / "typo.toml"
    p.write_text((ROOT / "cases" / "leo.toml").read_text().replace("\narea_m2 = ",
                                                                   "\nare_m2 = "))
    with pytest.raises(CaseError, match=r"did you mean 'area_m2'\?"):
        load_case(p)


def test_sweep_plot_output_typo_is_refused_with_the_closest_name(tmp_path):
    from thermosat.studies.sweep import load_sweep

    p = tmp_path / "s.toml"
    p.write_text('base_case = "default"\nmode = "selftest"\n[[parameters]]\n'
                 'field = "radiator.area_m2"\nvalues = [1.0, 2.0]\n[plot]\n'
                 'outputs = ["temperature_kk"]\n')
    with pytest.raises(CaseError, match=r"plot.outputs\[0\].*did you mean 'temperature_k'"):
        load_sweep(p)
    p.write_text(p.read_text().replace("temperature_kk", "temperature_k"))
    assert load_sweep(p).spec.plot.outputs == ["temperature_k"]


def test_solve_mode_plot_outputs_are_checked_by_table(tmp_path):
    from thermosat.studies.sweep import load_sweep

    text = (ROOT / "sweeps" / "example.toml").read_text()
    p = tmp_path / "example.toml"
    p.write_text(text.replace('"temperatures.junction_max_k"', '"temperature.junction_max_k"'))
    with pytest.raises(CaseError, match="'temperature.junction_max_k' is not an output"):
        load_sweep(p)
