"""Interrupt a real ``thermosat sweep`` process (Ctrl-C, SIGTERM, SIGKILL) and resume it.

Each run is ``python -m thermosat.cli sweep`` on a local Dask cluster of two worker processes,
evaluating the ``selftest`` mode (analytic radiator balance) with a short sleep per point so
the signal lands mid-sweep. After the interruption every point file on disk must be complete
JSON and no temporary file may remain; the rerun must finish the sweep with every point on
disk exactly once and must not recompute (or even rewrite) the points finished before.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_POINTS = 30
SWEEP = f"""
base_case = "default"
mode = "selftest"
title = "resume test"
[sampling]
method = "random"
n = {N_POINTS}
seed = 11
[[parameters]]
field = "radiator.area_m2"
range = [0.5, 8.0]
[[parameters]]
field = "radiator.emissivity"
range = [0.7, 0.95]
[[parameters]]
field = "run.sleep_s"
values = [0.1]
"""
ROOT = Path(__file__).resolve().parent.parent


def sweep_cmd(sweep: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "thermosat.cli", "sweep", str(sweep), "--out", str(out),
            "--workers", "2", "--json", "--no-plot"]


def start(sweep: Path, out: Path) -> subprocess.Popen:
    # a session of its own, like a terminal job: Ctrl-C goes to the whole process group
    return subprocess.Popen(sweep_cmd(sweep, out), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def n_points(out: Path) -> int:
    d = out / "points"
    return len([p for p in d.glob("*.json") if not p.name.startswith(".")]) if d.is_dir() else 0


def wait_for_points(proc: subprocess.Popen, out: Path, k: int, timeout: float = 90.0) -> int:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        n = n_points(out)
        if n >= k:
            return n
        if proc.poll() is not None:
            pytest.fail(f"sweep ended before the interruption: {proc.communicate()}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"no {k} points after {timeout} s: {proc.communicate()}")


def check_store(out: Path) -> dict[str, dict]:
    """Every point file is complete JSON for its id; no temporaries anywhere."""
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".")]
    assert not leftovers, leftovers
    recs = {}
    for f in (out / "points").glob("*.json"):
        rec = json.loads(f.read_text())
        assert rec["point_id"] == f.stem and rec["status"] == "done"
        assert rec["outputs"]["temperature_k"] > 0 and rec["run_id"] and rec["finished"]
        recs[f.stem] = rec
    return recs


def live_processes(session: int, wait: float = 5.0) -> list[str]:
    """Processes (not zombies) left in the sweep's session, after up to ``wait`` s."""
    t0 = time.monotonic()
    while True:
        ps = subprocess.run(["ps", "-s", str(session), "-o", "pid=,stat=,args="],
                            capture_output=True, text=True).stdout.splitlines()
        live = [line for line in ps if line.split()[1][0] != "Z"]
        if not live or time.monotonic() - t0 > wait:
            return live
        time.sleep(0.1)


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in (out / "points").glob("*")}


def resume_and_check(sweep: Path, out: Path, before: dict, *, in_process: bool = False) -> None:
    """Rerun the sweep (the CLI, or ``run_sweep`` on threads to save a cluster start-up) and
    check that it completes without redoing or rewriting the points in ``before``."""
    if in_process:
        from thermosat.studies.sweep import run_sweep

        summary = run_sweep(sweep, out, processes=False, workers=2, progress=False,
                            plot=False)
    else:
        done = subprocess.run(sweep_cmd(sweep, out), cwd=ROOT, capture_output=True, text=True,
                              timeout=180)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
    n_before = len(before)
    assert summary["points"] == N_POINTS
    assert summary["skipped"] == n_before                  # finished points were not redone
    assert summary["done"] == N_POINTS - n_before and summary["failed"] == 0
    assert summary["remaining"] == 0 and not summary["interrupted"]
    recs = check_store(out)
    manifest = json.loads((out / "manifest.json").read_text())
    ids = [p["point_id"] for p in manifest["points"]]
    assert sorted(recs) == sorted(ids) and len(set(ids)) == N_POINTS   # each point exactly once
    after = snapshot(out)
    for name, (data, mtime) in before.items():              # untouched: same bytes, same mtime
        assert after[name] == (data, mtime), name
    runs = {r["run_id"] for r in recs.values()}
    assert summary["run_id"] in runs and len(runs) == 2
    rows = (out / "results.csv").read_text().splitlines()[1:]
    assert sorted(r.split(",")[1] for r in rows) == sorted(ids)
    assert all(r.split(",")[2] == "done" for r in rows)


@pytest.fixture
def sweep_file(tmp_path) -> Path:
    p = tmp_path / "resume.toml"
    p.write_text(SWEEP)
    return p


@pytest.mark.parametrize("how", ["ctrl-c", pytest.param("sigterm", marks=pytest.mark.slow)])
def test_interrupted_sweep_keeps_finished_points_and_resumes(sweep_file, tmp_path, how):
    out = tmp_path / "out"
    proc = start(sweep_file, out)
    wait_for_points(proc, out, 4)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)   # what a terminal sends: driver and workers
    else:
        os.kill(proc.pid, signal.SIGTERM)    # a batch system stopping the driver
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    summary = json.loads(stdout)
    assert summary["interrupted"] and 0 < summary["done"] < N_POINTS
    assert summary["remaining"] == N_POINTS - summary["done"]
    assert f"interrupted; {summary['done']} of {N_POINTS} points are on disk" in stderr
    assert "Traceback" not in stderr                        # workers ignore Ctrl-C quietly
    recs = check_store(out)
    assert len(recs) == summary["done"]
    assert live_processes(proc.pid) == []                  # the cluster was closed
    resume_and_check(sweep_file, out, snapshot(out))


def test_sigkilled_sweep_resumes_and_cleans_torn_writes(sweep_file, tmp_path):
    out = tmp_path / "out"
    proc = start(sweep_file, out)
    n = wait_for_points(proc, out, 5)
    os.killpg(proc.pid, signal.SIGKILL)      # the machine dies: driver and workers at once
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # a write torn by SIGKILL leaves a hidden temporary beside its target; make one for sure
    torn = out / "points" / ".0123456789abcdef.k9x2_1.json"
    torn.write_text('{"point_id": "0123456789abcdef", "sta')
    before = {f.stem: json.loads(f.read_text()) for f in (out / "points").glob("[!.]*.json")}
    assert len(before) >= n and all(r["status"] == "done" for r in before.values())
    snap = {k: v for k, v in snapshot(out).items() if not k.startswith(".")}
    resume_and_check(sweep_file, out, snap, in_process=True)
    assert not torn.exists()
    runs = json.loads((out / "manifest.json").read_text())["runs"]
    assert runs[0]["finished"] is None                      # the killed run never finished
    assert runs[-1]["removed_temp_files"] >= 1 and runs[-1]["skipped"] == len(before)


def test_cli_dry_run_and_bad_file(sweep_file, tmp_path):
    from thermosat.cli import main

    assert main(["sweep", str(sweep_file), "--dry-run"]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(SWEEP.replace("range = [0.5, 8.0]", "range = [8.0, 0.5]"))
    assert main(["sweep", str(bad), "--dry-run"]) == 2
