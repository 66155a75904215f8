"""The article's arithmetic claims, checked by hand (numbers from docs/references.md)."""
from __future__ import annotations

import json

import pytest

from thermosat.studies.claims import arithmetic_claims, sizing_claims
from thermosat.cli import main


def _claim(name):
    return next(c for c in arithmetic_claims() if c["claim"] == name)


def test_627_mw_is_544_5_mw():
    # 330,000 × 1.4 kW + 165,000 × 0.5 kW = 462 + 82.5 = 544.5 MW (docs/references.md)
    c = _claim("terrestrial 627 MW of silicon")
    assert c["numbers"]["computed_mw"] == pytest.approx(544.5)
    assert c["verdict"] == "inconsistent"


def test_launch_arithmetic():
    # 100 GW / 30 kW = 3.33 M satellites; / 75 and / 50 per launch = 44,444 and 66,667
    c = _claim("~11,000 Starship launches per 100 GW")
    assert c["numbers"]["satellites"] == pytest.approx(100e9 / 30e3)
    assert c["numbers"]["launches_low"] == pytest.approx(100e9 / 30e3 / 75)
    assert c["numbers"]["launches_high"] == pytest.approx(100e9 / 30e3 / 50)
    # 11,000 launches × 62.5 satellites carry 100 GW only at ~145 kW each
    assert c["numbers"]["kw_per_satellite_for_11000"] == pytest.approx(100e6 / (11000 * 62.5))


def test_sizing_claims_use_the_rows():
    row = {"tier": "vleo", "feasible": True, "radiator_flux_w_m2": 250.0,
           "coolant_min_temp_k": 240.0, "coolant_max_temp_k": 250.0, "compute_power_w": 30e3,
           "cell_area_m2": 120.0, "radiator_area_m2": 300.0, "total_area_m2": 420.0,
           "specific_power_w_kg": 30.0, "mass_kg": 1000.0, "message": ""}
    claims = {c["claim"]: c for c in sizing_claims([row])}
    assert claims["radiators shed a few hundred W/m²"]["verdict"] == "consistent"
    assert claims["30 kW on ~500 m² of panel"]["verdict"] == "consistent"


def test_cli_claims_with_results(tmp_path, capsys, monkeypatch):
    # the one-panel concept solve is exercised by `thermosat size`; here it is stubbed out so
    # the CLI test stays fast, while the arithmetic and sizing claims run for real
    import thermosat.studies.claims as cl

    monkeypatch.setattr(cl, "panel_concept_claim", lambda design: {
        "claim": "one flat panel", "article": "", "physics": "", "verdict": "depends",
        "numbers": {}})
    (tmp_path / "results.json").write_text(json.dumps({"tiers": []}))
    assert main(["claims", "--results", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {c["claim"] for c in out["claims"]} >= {"terrestrial 627 MW of silicon"}


def test_cli_claims_bad_results_folder(tmp_path, capsys):
    assert main(["claims", "--results", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "results.json" in err[0]
