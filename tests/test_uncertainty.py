"""Uncertainty study on the coarse case: resumable on the Dask engine, P95 the empirical
quantile of the sized areas, warm-started sizings agree with cold-started ones, inputs map
onto the design."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from tests.coarse_case import coarse_case
from thermosat.studies import uncertainty as unc

#: the coarse case (which misses the junction limit on purpose) made sizeable: 4 chips of
#: ~1.25 kW on edge-on wings, 0.3 kg/s, no surface exchange (a sizing of ~1 s)
SIZEABLE = {"compute.n_chips": 4, "compute.demand_w": 5000.0, "panel.cell_area_m2": 20.0,
            "panel.width_m": 5.0, "panel.panel_radiator_area_m2": 0.0, "wings.area_m2": 30.0,
            "sizing.vary": "wings", "loop.mass_flow_kg_s": 0.3,
            "wings.surface_exchange": False}
BOUNDS = (2.0, 500.0)


@pytest.fixture(scope="module")
def design():
    from thermosat.case.load import parse_case

    return parse_case(coarse_case("uncertainty"), "coarse").with_values(SIZEABLE).to_design()


def _areas_on_disk(root: Path) -> list[float | None]:
    out = []
    for p in sorted((root / "points").glob("*.json")):
        rec = json.loads(p.read_text())
        if rec["role"] == "sample":
            o = rec.get("outputs") or {}
            out.append(o.get("radiator_area_m2") if rec["status"] == "done" else None)
    return out


def test_resume_and_p95(design, tmp_path):
    n, k = 8, 3
    seen = []

    def stop_after_k(rec):
        seen.append(rec["point_id"])
        if len(seen) == k:
            raise KeyboardInterrupt

    kw = dict(out_dir=tmp_path, tier="coarse", processes=False, workers=1, vary="wings",
              area_bounds_m2=BOUNDS, seed=3)
    r1 = unc.run_uncertainty(design, 5000.0, n, progress=stop_after_k, **kw)
    root = tmp_path / "uncertainty" / "coarse"
    on_disk = sorted(p.stem for p in (root / "points").glob("*.json"))
    assert r1["interrupted"] and len(on_disk) == k == r1["computed"]
    assert sorted(seen) == on_disk
    recomputed = []
    r2 = unc.run_uncertainty(design, 5000.0, n, progress=lambda rec: recomputed.append(
        rec["point_id"]), **kw)
    assert not r2["interrupted"]
    assert r2["skipped"] == k and r2["computed"] == n + 1 - k   # nominal + n samples in all
    assert set(recomputed).isdisjoint(on_disk)
    assert len(list((root / "points").glob("*.json"))) == n + 1
    # a third run computes nothing
    r3 = unc.run_uncertainty(design, 5000.0, n, **kw)
    assert r3["computed"] == 0 and r3["skipped"] == n + 1
    # P95: the empirical quantile of the areas stored on disk
    areas = _areas_on_disk(root)
    assert len(areas) == n and all(a is not None for a in areas)
    assert r2["area_p95_m2"] == pytest.approx(float(np.quantile(areas, 0.95)), rel=1e-12)
    assert r3["area_p95_m2"] == r2["area_p95_m2"]
    assert min(areas) <= r2["area_nominal_m2"] * 1.02 and r2["area_p95_m2"] <= max(areas)
    assert r2["uncertainty_samples"] == n and len(r2["ranking"]) == len(r2["inputs"])
    assert Path(r2["files"]["tornado"]).stat().st_size > 1000
    # every stored sample is a sizing that meets the limits
    for p in (root / "points").glob("*.json"):
        rec = json.loads(p.read_text())
        assert rec["status"] == "done" and rec["outputs"]["feasible"]
        assert min(rec["outputs"]["margins_k"][c] for c in ("junction", "coolant_boil")) >= 0


def test_warm_start_agrees_with_cold_sizing(design):
    """A warm-started sample is a full sizing: the same answer as a cold start, to the
    sizing's own tolerance (1 % area bracket or 0.05 K margin)."""
    from thermosat.studies.sizing import size_design

    used, _ = unc._usable(unc.DEFAULT_INPUTS, design)
    nominal = size_design(design, 5000.0, vary="wings", area_bounds_m2=BOUNDS)
    assert nominal.feasible
    warm = {"radiator_area_m2": nominal.design.radiator_area_m2,
            "cell_area_m2": nominal.design.cell_area_m2}
    for values in unc.sample_inputs(used, 4, seed=11)[:2]:
        w = unc.evaluate_sample(design, 5000.0, values, used,
                                {"vary": "wings", "area_bounds_m2": BOUNDS}, warm)
        d, dem = unc.apply_inputs(design, 5000.0, values, used)
        cold = size_design(d, dem, vary="wings", area_bounds_m2=BOUNDS)
        assert w["status"] == "done" and w["outputs"]["feasible"] and cold.feasible
        a_w, a_c = w["outputs"]["radiator_area_m2"], cold.design.radiator_area_m2
        assert abs(a_w / a_c - 1) <= 0.02, (a_w, a_c)


def test_inputs_map_onto_the_design(design):
    from thermosat.physics.package import hand_resistance

    used, skipped = unc._usable(unc.DEFAULT_INPUTS, design)
    assert [i.name for i in used] == [i.name for i in unc.DEFAULT_INPUTS] and skipped == []
    values = {"coating_alpha_life": 1.0, "coating_epsilon_life": 0.5, "earth_ir_w_m2": 260.0,
              "albedo": 0.37, "solar_constant_w_m2": 1400.0, "beta_deg": 40.0,
              "chip_power_factor": 1.1, "cold_plate_resistance_k_w": 0.025,
              "bond_conductance_w_mk": 80.0}
    d, dem = unc.apply_inputs(design, 5000.0, values, used)
    assert d.wing_coating.alpha == pytest.approx(0.22)             # Z-93 at EOL
    assert d.wing_coating.epsilon == pytest.approx(0.5 * (0.92 + 0.85))
    assert d.panel_back.alpha == pytest.approx(0.22)
    assert (d.earth_ir_w_m2, d.albedo, d.solar_constant_w_m2) == (260.0, 0.37, 1400.0)
    assert math.degrees(d.orbit.beta_rad) == pytest.approx(40.0)
    assert dem == pytest.approx(5500.0)
    assert hand_resistance(d.package)["R_cold_plate_total"] == pytest.approx(0.025, rel=1e-6)
    assert d.loop.bond_conductance_w_mk == 80.0
    assert design.wing_coating.alpha == 0.15  # the nominal design is untouched
    # an input whose design field does not exist is skipped with a note
    ghost = unc.UncertainInput("ghost", 0.0, 1.0, "-", "test", "no_such_field",
                               lambda d, q, v: (d, q))
    ok, notes = unc._usable((ghost,) + unc.DEFAULT_INPUTS[:1], design)
    assert [i.name for i in ok] == ["coating_alpha_life"]
    assert notes[0]["input"] == "ghost" and "no field" in notes[0]["note"]


def test_latin_hypercube_is_stratified_and_seeded():
    used = unc.DEFAULT_INPUTS
    s = unc.sample_inputs(used, 16, seed=5)
    assert s == unc.sample_inputs(used, 16, seed=5) != unc.sample_inputs(used, 16, seed=6)
    for inp in used:
        u = (np.array([v[inp.name] for v in s]) - inp.low) / (inp.high - inp.low)
        assert sorted(np.floor(u * 16).astype(int)) == list(range(16))


def test_empirical_p95_with_infeasible_tail():
    a = [float(x) for x in range(1, 21)]
    assert unc.empirical_p95(a) == pytest.approx(np.quantile(a, 0.95))
    # 20 samples, the last infeasible: position 0.95·19 = 18.05 interpolates order
    # statistics 18 and 19 (0-based), and 19 is the infeasible one: undefined
    assert unc.empirical_p95(a[:19] + [None]) is None
    # 21 samples, one infeasible: position 0.95·20 = 19 is the largest feasible area
    assert unc.empirical_p95(a + [None]) == 20.0


def test_command_line(tmp_path, capsys):
    """``thermosat uncertainty`` on a local cluster; the rerun computes nothing."""
    from thermosat.case.load import parse_case
    from thermosat.cli import main

    case = parse_case(coarse_case("cli"), "coarse").with_values(
        {**SIZEABLE, "sizing.min_area_m2": BOUNDS[0], "sizing.max_area_m2": BOUNDS[1]})
    path = tmp_path / "coarse.toml"
    path.write_text(case.to_toml())
    argv = ["uncertainty", "--case", str(path), "--tier", "vleo", "--samples", "2",
            "--workers", "1", "--out", str(tmp_path / "out"), "--json", "--quiet"]
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["computed"] == 3 and first["uncertainty_samples"] == 2
    assert main(argv) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["computed"] == 0 and again["area_p95_m2"] == first["area_p95_m2"]
    assert (tmp_path / "out" / "uncertainty" / "vleo" / "summary.json").is_file()
    assert main(["uncertainty", "--samples", "0"]) == 2
