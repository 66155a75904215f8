"""`thermosat compare RUN_A RUN_B`: what moved between two result folders (issue 16, item 7)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from thermosat import cli
from thermosat.post.compare import compare_runs, format_table, load_run

ROOT = Path(__file__).resolve().parents[1]
A = json.loads((ROOT / "tests" / "data" / "results_a.json").read_text())


@pytest.fixture
def runs(tmp_path):
    a, b = tmp_path / "run_a", tmp_path / "run_b"
    a.mkdir()
    b.mkdir()
    (a / "results.json").write_text(json.dumps(A))
    B = copy.deepcopy(A)
    vleo = B["tiers"][0]
    vleo["radiator_area_m2"] += 40.0
    vleo["total_area_m2"] += 40.0
    vleo["max_junction_temp_k"] -= 2.0
    vleo["mass_kg"] += 100.0
    leo = B["tiers"][1]
    leo["feasible"] = False
    (b / "results.json").write_text(json.dumps(B))
    return a, b


def _row(diff, tier, key):
    return next(r for r in diff["rows"] if r["tier"] == tier and r["key"] == key)


def test_the_changes_are_the_differences(runs):
    diff = compare_runs(*runs)
    assert diff["tiers"] == ["vleo", "leo", "meo"]
    r = _row(diff, "vleo", "radiator_area_m2")
    assert r["delta"] == pytest.approx(40.0) and r["moved"]
    assert r["rel"] == pytest.approx(40.0 / A["tiers"][0]["radiator_area_m2"])
    j = _row(diff, "vleo", "junction_margin_k")
    assert j["delta"] == pytest.approx(2.0)  # 2 K cooler junction = 2 K more margin
    assert not any(r["moved"] for r in diff["rows"] if r["tier"] == "meo")
    # an infeasible tier shows no mass, W/kg or area in B
    assert _row(diff, "leo", "mass_kg")["b"] is None
    assert _row(diff, "leo", "specific_power_w_kg")["b"] is None
    assert _row(diff, "leo", "feasible")["moved"]


def test_table_lists_what_moved_with_celsius(runs):
    text = format_table(compare_runs(*runs), width=100)
    vleo = text.split("vleo:")[1].split("leo:")[0]
    assert "radiator area" in vleo and "+40.00" in vleo
    t = A["tiers"][0]["max_junction_temp_k"]
    assert f"{t:.2f} ({t - 273.15:.1f}°C)" in vleo
    assert "compute power" not in vleo  # unchanged: left out
    assert "(nothing moved)" in text.split("meo:")[1]
    assert max(len(line) for line in text.splitlines()) <= 100


def test_cli_writes_a_real_plot_and_json(runs, tmp_path, capsys):
    png = tmp_path / "cmp.png"
    rc = cli.main(["compare", str(runs[0]), str(runs[1]), "--png", str(png), "--json"])
    out = capsys.readouterr().out
    assert rc == 0
    diff = json.loads(out)
    assert diff["plot"] == str(png)
    import matplotlib.image as mpimg

    img = mpimg.imread(png)
    assert img.shape[0] > 400 and img.shape[1] > 800
    rgb = img[..., :3].reshape(-1, 3)
    # bars of both runs are drawn: the A blue and the B orange are both present
    blue = np.all(np.abs(rgb - np.array([0x4C, 0x72, 0xB0]) / 255) < 0.02, axis=1).sum()
    orange = np.all(np.abs(rgb - np.array([0xDD, 0x84, 0x52]) / 255) < 0.02, axis=1).sum()
    assert blue > 2000 and orange > 2000


def test_solve_result_folder_compares_too(tmp_path):
    rec = {"design": {"tier": "vleo", "cell_area_m2": 100.0, "radiator_area_m2": 50.0},
           "ok": True, "steady": {"temperatures_k": {"junction_max_k": 350.0,
                                                     "cell_max_k": 340.0,
                                                     "coolant_min_k": 250.0,
                                                     "coolant_max_k": 260.0},
                                  "power_w": {"compute_w": 1e4, "pv_w": 1.1e4, "pump_w": 50.0},
                                  "limits": {"junction_limit_k": 363.15,
                                             "freeze_margin_k": 55.0, "boil_margin_k": 60.0}}}
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "result.json").write_text(json.dumps(rec))
    run = load_run(tmp_path / "a")
    assert run["vleo"]["max_junction_temp_k"] == 350.0
    assert run["vleo"]["total_area_m2"] == 150.0
    assert run["vleo"]["coolant_freeze_margin_k"] == 55.0


@pytest.mark.parametrize("make,needle", [
    (lambda d: None, "no results.json"),
    (lambda d: (d / "results.json").write_text("{not json"), "not valid JSON"),
    (lambda d: (d / "results.json").write_text('{"x": 1}'), "not a thermosat result"),
])
def test_bad_runs_are_one_line_exit_2(tmp_path, runs, capsys, make, needle):
    bad = tmp_path / "bad"
    bad.mkdir()
    make(bad)
    png = tmp_path / "never.png"
    rc = cli.main(["compare", str(runs[0]), str(bad), "--png", str(png)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and needle in err
    assert not png.exists()


def test_no_common_tier_is_refused(tmp_path, runs, capsys):
    other = copy.deepcopy(A)
    for r in other["tiers"]:
        r["tier"] = "x" + r["tier"]
    p = tmp_path / "other.json"
    p.write_text(json.dumps(other))
    rc = cli.main(["compare", str(runs[0]), str(p), "--no-plot"])
    assert rc == 2 and "no tier in common" in capsys.readouterr().err
