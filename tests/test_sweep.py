"""Sweep files, sampling, the resumable store and the Dask driver (in-process, threads).

The sweep machinery is tested with the ``selftest`` mode, an analytic two-face radiator
balance T = ((Q/A + q_abs)/(2εσ) + T_sink⁴)^(1/4), so nothing here depends on the FE model;
``tests/test_sweep_resume.py`` interrupts real ``thermosat sweep`` processes.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thermosat.common.errors import CaseError
from thermosat.studies.sweep import (Parameter, grid_points, load_sweep, parse_sweep, prepare,
                             random_points, run_sweep)
from thermosat.studies.sweep.evaluate import SIGMA, CaseRef, Mode, evaluate, evaluate_point, register_mode
from thermosat.studies.sweep.store import SweepStore, canonical_values, point_id

SELFTEST = """
base_case = "default"
mode = "selftest"
[sampling]
method = "grid"
[[parameters]]
field = "radiator.area_m2"
values = [1.0, 2.0, 4.0]
[[parameters]]
field = "radiator.emissivity"
values = [0.8, 0.9]
"""


def write(tmp_path: Path, text: str, name: str = "sweep.toml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


# --- the sweep file ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, where", [
    ('base_case = "default"\nmode = "selftest"\ncolour = 1\n[[parameters]]\nfield = "a.b"\n'
     'values = [1]', "colour: unknown field (allowed base_case, mode"),
    ('base_case = "default"\nmode = "nope"\n[[parameters]]\nfield = "a.b"\nvalues = [1]',
     "mode: 'nope' is not a sweep mode (allowed selftest"),
    ('base_case = "default"\nmode = "selftest"\n[sampling]\nmethod = "sobol"\n'
     '[[parameters]]\nfield = "a.b"\nvalues = [1]', "sampling.method: "),
    ('base_case = "default"\nmode = "selftest"\n[sampling]\nmethod = "random"\n'
     '[[parameters]]\nfield = "a.b"\nrange = [0, 1]', "sampling.n: missing"),
    ('base_case = "default"\nmode = "selftest"\n[[parameters]]\nfield = "a.b"\n'
     'range = [2, 1]\nn = 3', "parameters[0].range: [2.0, 1.0] is not an interval"),
    ('base_case = "default"\nmode = "selftest"\n[[parameters]]\nfield = "a.b"\n'
     'range = [0, 1]\nn = 3\nlog = true', "parameters[0].range: log spacing needs min > 0"),
    ('base_case = "default"\nmode = "selftest"\n[[parameters]]\nfield = "a.b"\n'
     'range = [0, 1]', "parameters[0].n: missing"),
    ('base_case = "default"\nmode = "selftest"\n[[parameters]]\nfield = "a.b"\n'
     'range = [0, 1]\nvalues = [1]\nn = 2', "parameters[0]: give exactly one of"),
    ('base_case = "default"\nmode = "selftest"\n[[parameters]]\nfield = "a.b"\nvalues = [1]\n'
     '[[parameters]]\nfield = "a.b"\nvalues = [2]', "parameters[1].field: 'a.b' is varied twice"),
    ('base_case = "default"\nmode = "selftest"\n[[parameters]]\nfield = "a..b"\nvalues = [1]',
     "parameters[0].field: 'a..b' is not a dotted field path"),
    ('base_case = "default"\nmode = "selftest"\n[[parameters]]\nfield = "a.b"\nvalues = [1]\n'
     'wat = 2', "parameters[0].wat: unknown field (allowed field, values, range"),
    ('mode = "selftest"\n[[parameters]]\nfield = "a.b"\nvalues = [1]',
     "base_case: missing (allowed required)"),
])
def test_sweep_file_errors_are_one_line_with_file_and_field(tmp_path, text, where):
    p = write(tmp_path, text)
    with pytest.raises(CaseError) as info:
        load_sweep(p)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(f"{p}: "), msg
    assert where in msg, msg


def test_unknown_case_field_is_rejected_against_the_case_schema(tmp_path):
    p = write(tmp_path, SELFTEST.replace("radiator.emissivity", "radiator.emisivity"))
    with pytest.raises(CaseError, match=r"parameters\[1\] \(radiator.emisivity = 0.8\): "
                                        r"radiator.emisivity: not a field .*allowed .*"
                                        r"radiator.emissivity"):
        prepare(load_sweep(p))
    # a value the case schema refuses (ε > 1) is caught before anything runs
    p = write(tmp_path, SELFTEST.replace("[0.8, 0.9]", "[0.8, 1.5]"))
    with pytest.raises(CaseError, match=r"parameters\[1\] \(radiator.emissivity = 1.5\)"):
        prepare(load_sweep(p))


def test_base_case_is_a_file_relative_to_the_sweep_or_a_tier(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "rad.toml").write_text("[radiator]\nheat_w = 500.0\n")
    p = write(tmp_path, SELFTEST.replace('"default"', '"cases/rad.toml"'))
    sweep = load_sweep(p)
    assert sweep.base.text and "heat_w = 500.0" in sweep.base.text
    plan = prepare(sweep)
    default = prepare(load_sweep(write(tmp_path, SELFTEST, "b.toml")))
    assert plan.fingerprint != default.fingerprint  # the base case is part of each point id
    assert not set(plan.ids) & set(default.ids)
    with pytest.raises(CaseError, match="neither a case file .* nor a built-in tier "
                                        r"\(allowed default or a path\)"):
        load_sweep(write(tmp_path, SELFTEST.replace('"default"', '"missing.toml"')))


# --- sampling ---------------------------------------------------------------------------------
def test_grid_has_one_point_per_combination_last_field_fastest():
    spec = parse_sweep(SELFTEST)
    assert spec.sampling.method == "grid" and [p.field for p in spec.parameters] == [
        "radiator.area_m2", "radiator.emissivity"]
    params = [Parameter(field="a.x", values=[1, 2, 3]),
              Parameter(field="a.y", range=(10.0, 1000.0), n=3, log=True),
              Parameter(field="a.c", values=["z93", "osr"])]
    pts = grid_points(params)
    assert len(pts) == 3 * 3 * 2
    assert pts[0] == {"a.x": 1, "a.y": 10.0, "a.c": "z93"}
    assert pts[1] == {"a.x": 1, "a.y": 10.0, "a.c": "osr"}
    assert [p["a.y"] for p in pts[:6:2]] == pytest.approx([10.0, 100.0, 1000.0])  # log-spaced
    lin = grid_points([Parameter(field="a.x", range=(0.0, 1.0), n=5)])
    assert [p["a.x"] for p in lin] == [0.0, 0.25, 0.5, 0.75, 1.0]
    ints = grid_points([Parameter(field="a.n", range=(1.0, 4.0), n=7, integer=True)])
    assert [p["a.n"] for p in ints] == [1, 2, 3, 4]


def test_random_is_reproducible_with_its_seed_and_prefix_stable():
    params = [Parameter(field="a.x", range=(0.5, 2.0)),
              Parameter(field="a.y", range=(1e-3, 10.0), log=True),
              Parameter(field="a.c", values=["z93", "osr", "s13g"]),
              Parameter(field="a.n", range=(2.0, 6.0), integer=True)]
    a = random_points(params, 50, seed=7)
    assert a == random_points(params, 50, seed=7)
    assert a != random_points(params, 50, seed=8)
    assert random_points(params, 80, seed=7)[:50] == a  # growing n reuses finished points
    assert {p["a.c"] for p in a} == {"z93", "osr", "s13g"}
    assert {p["a.n"] for p in a} <= {2, 3, 4, 5, 6} and all(isinstance(p["a.n"], int) for p in a)
    # log-uniform over four decades: about a quarter of the points per decade
    decades = [math.floor(math.log10(p["a.y"])) for p in random_points(params, 2000, seed=1)]
    for d in (-3, -2, -1, 0):
        assert 0.18 < decades.count(d) / 2000 < 0.32


@settings(max_examples=60, deadline=None)
@given(lo=st.floats(1e-3, 1e3), width=st.floats(1e-6, 1e4), log=st.booleans(),
       n=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_random_points_stay_in_their_ranges(lo, width, log, n, seed):
    hi = lo + width
    pts = random_points([Parameter(field="a.x", range=(lo, hi), log=log)], n, seed)
    assert len(pts) == n
    assert all(lo <= p["a.x"] <= hi for p in pts)


def test_random_sweep_file_and_duplicate_points_merge(tmp_path):
    text = SELFTEST.replace('method = "grid"', 'method = "random"\nn = 40\nseed = 3')
    plan = prepare(load_sweep(write(tmp_path, text)))
    assert plan.duplicates + len(plan.points) == 40  # 3 × 2 distinct points only
    assert len(plan.points) == 6 and len(set(plan.ids)) == 6


# --- the evaluation interface -----------------------------------------------------------------
def test_selftest_mode_is_the_closed_form_radiator_balance():
    # hand calculation: T = (500 W/m² / (2 · 0.9 · σ))^(1/4) = (4.8988e9 K⁴)^(1/4) = 264.558 K
    out = evaluate("[radiator]\nheat_w = 1000.0\narea_m2 = 2.0\nemissivity = 0.9\n"
                   "sink_k = 0.0\n", "selftest")
    assert out["temperature_k"] == pytest.approx(264.558, abs=1e-3)
    # with absorbed flux and a 3 K sink the two faces reject Q + q_abs·A (energy balance)
    out = evaluate("[radiator]\nheat_w = 1000.0\nabsorbed_w_m2 = 150.0\n", "selftest",
                   {"radiator.area_m2": 3.0})
    assert out["rejected_w"] == pytest.approx(1000.0 + 150.0 * 3.0, rel=1e-12)
    T = out["temperature_k"]
    assert 2 * 0.9 * SIGMA * (T**4 - 3.0**4) * 3.0 == pytest.approx(1450.0, rel=1e-12)


def test_failing_design_is_a_failed_point_not_an_exception():
    ref = CaseRef(label="t", text="[radiator]\nmax_temperature_k = 300.0\n")
    r = evaluate_point(ref, {"radiator.area_m2": 1.0}, "selftest")
    assert r["status"] == "failed" and r["error_type"] == "PhysicsLimitError"
    assert "exceeds its limit 300.00 K by" in r["error"] and "\n" not in r["error"]
    ok = evaluate_point(ref, {"radiator.area_m2": 10.0}, "selftest")
    assert ok["status"] == "done" and ok["outputs"]["margin_k"] > 0


# --- the store --------------------------------------------------------------------------------
def test_point_id_is_stable_and_content_addressed():
    v = {"wings.area_m2": 120, "loop.mass_flow_kg_s": 0.5, "wings.coating": "z93"}
    pid = point_id("abc123", v, "solve")
    # pinned: changing the hash would orphan every existing sweep folder
    assert pid == "8cb24d4baefa0d12"
    assert point_id("abc123", dict(reversed(list(v.items()))), "solve") == pid  # key order
    assert point_id("abc123", {**v, "wings.area_m2": 120.0}, "solve") == pid    # 120 ≡ 120.0
    assert point_id("abc124", v, "solve") != pid
    assert point_id("abc123", v, "size") != pid
    assert point_id("abc123", {**v, "wings.area_m2": 120.0000001}, "solve") != pid
    assert canonical_values({"b": True, "a": 2}) == {"a": 2.0, "b": True}


def test_store_writes_atomically_and_cleans_temporaries(tmp_path):
    store = SweepStore(tmp_path / "out")
    rec = {"point_id": "0123456789abcdef", "status": "done", "values": {"a.x": 1.0},
           "outputs": {"t": {"k": 1.5}, "nan": float("nan")}}
    path = store.write_point(rec)
    back = json.loads(path.read_text())  # strict JSON: NaN became null
    assert back["outputs"] == {"t": {"k": 1.5}, "nan": None}
    assert [p.name for p in store.points_dir.iterdir()] == [path.name]
    # a write that fails midway leaves the old file and no temporary
    with pytest.raises(TypeError):
        store.write_point({**rec, "outputs": object()})
    assert json.loads(path.read_text()) == back
    assert [p.name for p in store.points_dir.iterdir()] == [path.name]
    # temporaries of a killed writer (hidden files) are ignored, then removed on reopening
    (store.points_dir / ".0123456789abcdef.x1y2.json").write_text('{"point_id": "01')
    (tmp_path / "out" / ".results.k3j4.csv").write_text("index,")
    assert list(store.finished()) == ["0123456789abcdef"]
    again = SweepStore(tmp_path / "out")
    assert sorted(p.name for p in again.removed_temp) == [".0123456789abcdef.x1y2.json",
                                                          ".results.k3j4.csv"]
    assert not [p for p in (tmp_path / "out").rglob(".*")]
    # an unreadable point file counts as not done (it is recomputed and overwritten)
    (store.points_dir / "fedcba9876543210.json").write_text('{"point_id": "fedc')
    assert list(again.finished()) == ["0123456789abcdef"]
    assert again.corrupt


# --- the driver (in-process LocalCluster of threads) ------------------------------------------
def run_in_process(sweep_path, out, **kw):
    return run_sweep(sweep_path, out, processes=False, workers=2, progress=False, **kw)


def test_sweep_runs_records_failures_and_resumes_without_recomputing(tmp_path):
    text = SELFTEST.replace("[0.8, 0.9]", "[0.8, 0.9]\n[[parameters]]\nfield = "
                            "\"radiator.max_temperature_k\"\nvalues = [300.0]")
    p = write(tmp_path, text)
    out = tmp_path / "out"
    s = run_in_process(p, out)
    # A = 1 m² runs at 324 K (ε 0.8) and 315 K (ε 0.9): over the 300 K limit -> failed points
    assert (s["points"], s["done"], s["failed"], s["skipped"]) == (6, 4, 2, 0)
    assert not s["interrupted"] and s["remaining"] == 0
    assert all("PhysicsLimitError: radiator temperature" in e for e in s["errors"])
    files = sorted((out / "points").glob("*.json"))
    assert len(files) == 6
    recs = {f.stem: json.loads(f.read_text()) for f in files}
    assert {r["run_id"] for r in recs.values()} == {s["run_id"]}
    failed = [r for r in recs.values() if r["status"] == "failed"]
    assert {r["values"]["radiator.area_m2"] for r in failed} == {1.0}
    assert all(r["outputs"] is None and "\n" not in r["error"] for r in failed)

    rows = (out / "results.csv").read_text().splitlines()
    assert len(rows) == 7
    assert rows[0].startswith("index,point_id,status,radiator.area_m2,radiator.emissivity,"
                              "radiator.max_temperature_k,temperature_k")
    assert [r.split(",")[2] for r in rows[1:]] == ["failed", "failed"] + ["done"] * 4
    doc = json.loads((out / "results.json").read_text())
    assert [r["status"] for r in doc["points"]] == ["failed", "failed"] + ["done"] * 4
    assert (out / "summary.png").stat().st_size > 10_000

    before = {f.name: f.read_bytes() for f in files}
    s2 = run_in_process(p, out)
    assert (s2["done"], s2["failed"], s2["skipped"]) == (0, 0, 6)
    assert {f.name: f.read_bytes() for f in (out / "points").glob("*.json")} == before

    # --retry-failed recomputes only the failed points
    s3 = run_in_process(p, out, retry_failed=True)
    assert (s3["done"], s3["failed"], s3["skipped"]) == (0, 2, 4)
    manifest = json.loads((out / "manifest.json").read_text())
    assert [r["run_id"] for r in manifest["runs"]] == [s["run_id"], s2["run_id"], s3["run_id"]]
    assert [pt["point_id"] for pt in manifest["points"]] == [
        r["point_id"] for r in doc["points"]]


def test_a_crashing_evaluator_fails_its_point_only(tmp_path):
    def run(case):
        if case.radiator.area_m2 > 3:
            raise RuntimeError("evaluator bug\nsecond line")
        return {"ok": 1.0}

    from thermosat.studies.sweep.evaluate import MODES

    st_mode = MODES["selftest"]
    register_mode(Mode("crashy", st_mode.load, st_mode.apply, st_mode.fingerprint, run,
                       st_mode.tiers, st_mode.builtin))
    try:
        p = write(tmp_path, SELFTEST.replace('"selftest"', '"crashy"'))
        s = run_in_process(p, tmp_path / "out", plot=False)
    finally:
        MODES.pop("crashy")
    assert (s["done"], s["failed"]) == (4, 2)
    assert s["errors"][0].endswith("RuntimeError: evaluator bug second line")


def test_rebuild_lists_pending_points_and_matches_the_point_files(tmp_path):
    p = write(tmp_path, SELFTEST)
    out = tmp_path / "out"
    run_in_process(p, out, plot=False)
    store = SweepStore(out)
    plan = prepare(load_sweep(p))
    first = (out / "results.csv").read_text()
    (out / "results.csv").unlink()
    store.rebuild(plan.points, plan.sweep.fields)
    assert (out / "results.csv").read_text() == first
    victim = plan.points[2]["point_id"]
    store.point_path(victim).unlink()
    store.rebuild(plan.points, plan.sweep.fields)
    rows = [r.split(",") for r in (out / "results.csv").read_text().splitlines()[1:]]
    assert [r[2] for r in rows] == ["done", "done", "pending", "done", "done", "done"]
    assert rows[2][1] == victim and rows[2][3:5] == ["2.0", "0.8"]


def test_two_sweeps_cannot_write_one_folder_at_once(tmp_path):
    from thermosat.common.errors import InputError
    from thermosat.studies.sweep.run import _out_lock

    with _out_lock(tmp_path / "out"):
        with pytest.raises(InputError, match="another thermosat sweep is writing"):
            run_in_process(write(tmp_path, SELFTEST), tmp_path / "out")


# --- real satellite cases ---------------------------------------------------------------------
SMALL_CASE = """
description = "coarse small satellite for sweep tests"
[orbit]
tier = "vleo"
beta_deg = 70.0
[panel]
cell_area_m2 = 20.0
width_m = 4.0
element_size_m = 1.0
[wings]
area_m2 = 16.0
width_m = 2.0
[compute]
n_chips = 8
[mesh]
package_mesh_density = 2
"""
REAL_SWEEP = """
base_case = "small.toml"
mode = "solve"
[[parameters]]
field = "wings.area_m2"
values = [16.0, 32.0]
[[parameters]]
field = "wings.coating"
values = ["z93"]
"""


def test_sweep_fields_are_checked_against_the_case_schema(tmp_path):
    pytest.importorskip("thermosat.case.load")
    (tmp_path / "small.toml").write_text(SMALL_CASE)
    p = write(tmp_path, REAL_SWEEP.replace("wings.coating", "wings.colour"))
    with pytest.raises(CaseError, match=r"parameters\[1\] \(wings.colour = 'z93'\): .*"
                                        r"wings.colour.*unknown field"):
        prepare(load_sweep(p))
    p = write(tmp_path, REAL_SWEEP.replace('["z93"]', '["z93", "unobtainium"]'))
    with pytest.raises(CaseError, match=r"parameters\[1\] \(wings.coating = 'unobtainium'\)"):
        prepare(load_sweep(p))
    plan = prepare(load_sweep(write(tmp_path, REAL_SWEEP)))
    from thermosat.case.load import parse_case

    assert plan.fingerprint == parse_case(SMALL_CASE).fingerprint()
    # a value valid only in combination (no wings beside a radiator strip) is not an error;
    # the one invalid combination (no radiator at all) becomes a failed point when run
    combo = REAL_SWEEP.replace('"wings.coating"', '"panel.panel_radiator_area_m2"').replace(
        '["z93"]', "[0.0, 10.0]").replace("[16.0, 32.0]", "[0.0, 16.0]")
    assert len(prepare(load_sweep(write(tmp_path, combo))).points) == 4


def test_example_sweep_is_valid():
    pytest.importorskip("thermosat.case.defaults")
    plan = prepare(load_sweep(Path(__file__).resolve().parent.parent / "sweeps" /
                              "example.toml"))
    assert len(plan.points) == 4 * 3 * 3
    assert plan.fixed["panel.panel_radiator_area_m2"] == 0.0


def test_real_solve_point_on_a_coarse_mesh(tmp_path):
    pytest.importorskip("thermosat.case.load")
    (tmp_path / "small.toml").write_text(SMALL_CASE)
    p = write(tmp_path, REAL_SWEEP)
    s = run_in_process(p, tmp_path / "out")
    assert (s["done"], s["failed"]) == (2, 0), s["errors"]
    rows = json.loads((tmp_path / "out" / "results.json").read_text())["points"]
    small, big = (r["outputs"] for r in rows)
    for o in (small, big):
        assert abs(o["energy_imbalance_rel"]) < 1e-6
        assert o["power"]["closure_w"] == pytest.approx(0.0, abs=1e-6 * o["power"]["pv_w"])
    # twice the wing area runs the coolant and the junctions colder
    assert big["temperatures"]["coolant_max_k"] < small["temperatures"]["coolant_max_k"]
    assert big["temperatures"]["junction_max_k"] < small["temperatures"]["junction_max_k"]
    header = (tmp_path / "out" / "results.csv").read_text().splitlines()[0].split(",")
    assert {"temperatures.junction_max_k", "power.pv_w", "margins_k.junction",
            "feasible"} <= set(header)


def test_fixed_fields_apply_to_every_point_and_to_the_base_fingerprint(tmp_path):
    text = SELFTEST.replace("[sampling]", "[fixed]\nradiator.heat_w = 2000.0\n"
                            "\"radiator.sink_k\" = 0.0\n[sampling]")
    plan = prepare(load_sweep(write(tmp_path, text)))
    assert plan.fixed == {"radiator.heat_w": 2000.0, "radiator.sink_k": 0.0}
    assert not set(plan.ids) & set(prepare(load_sweep(write(tmp_path, SELFTEST, "b.toml"))).ids)
    s = run_in_process(write(tmp_path, text), tmp_path / "out", plot=False)
    assert s["done"] == 6
    for r in json.loads((tmp_path / "out" / "results.json").read_text())["points"]:
        v = r["values"]
        assert set(v) == {"radiator.area_m2", "radiator.emissivity"}
        T = (2000.0 / v["radiator.area_m2"] / (2 * v["radiator.emissivity"] * SIGMA)) ** 0.25
        assert r["outputs"]["temperature_k"] == pytest.approx(T, rel=1e-12)
    with pytest.raises(CaseError, match=r"sweep.toml: fixed \(radiator.heat = 2000.0\): "
                                        r"radiator.heat: not a field"):
        prepare(load_sweep(write(tmp_path, text.replace("heat_w", "heat"))))
    with pytest.raises(CaseError, match=r"'radiator.area_m2' is also in \[fixed\]"):
        load_sweep(write(tmp_path, text.replace("heat_w", "area_m2")))


def test_sweep_on_an_existing_scheduler_address(tmp_path):
    # the multi-machine path: a Client on a scheduler address (here a local one)
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=":0") as cluster:
        s = run_sweep(write(tmp_path, SELFTEST), tmp_path / "out", progress=False, plot=False,
                      scheduler=cluster.scheduler_address)
        assert (s["done"], s["failed"]) == (6, 0)
        manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
        assert manifest["runs"][-1]["scheduler"] == cluster.scheduler_address
        assert cluster.scheduler.tasks == {} or all(
            not k.startswith("thermosat-point") for k in cluster.scheduler.tasks)
    from thermosat.common.errors import InputError

    with pytest.raises(InputError, match="--scheduler tcp://127.0.0.1:1: cannot connect"):
        run_sweep(write(tmp_path, SELFTEST), tmp_path / "out2", progress=False,
                  scheduler="tcp://127.0.0.1:1")
