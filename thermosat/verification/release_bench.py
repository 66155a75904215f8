"""The real job, timed side by side with an earlier release: one coupled steady satellite
solve (``satellite_steady``), one orbit-transient step (``satellite_transient``) and the main
job (``main_job`` = ``thermosat size --tier all`` on the defaults).

Each side runs in its own fresh process; the baseline is a source tree of an earlier commit
(``git archive`` of ``BASELINE_COMMIT`` installed with ``pip install --no-deps --target`` by
:func:`prepare_baseline`), importing this environment's numpy/scipy/numba, so only thermosat's
own code differs. Times are warm (a first call compiles Numba and fills caches, then the
timed call runs); ``first_s`` is the first call. Both sides solve the same tier's default
design, and the row reports the relative difference of their headline results, so a speed-up
is never bought silently with a different answer (the designs differ when the defaults
changed between releases; the row says so).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["BASELINE_COMMIT", "prepare_baseline", "run_release_rows", "CHILD"]

#: the release this round is measured against (issue 15)
BASELINE_COMMIT = "b00adad"

CHILD = r'''
import json, os, resource, sys, time, tempfile, warnings
warnings.simplefilter("ignore", DeprecationWarning)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
what, tier = sys.argv[1], sys.argv[2]
try:
    from thermosat.case.defaults import default_design
    from thermosat.satellite import Satellite
except ImportError:
    from thermosat.defaults import default_design
    from thermosat.physics.satellite import Satellite
import thermosat
out = {"what": what, "tier": tier, "source": os.path.dirname(thermosat.__file__)}
if what == "satellite_steady":
    t = time.perf_counter(); sat = Satellite(default_design(tier)); r = sat.solve_steady()
    out["first_s"] = time.perf_counter() - t
    t = time.perf_counter(); sat = Satellite(default_design(tier)); r = sat.solve_steady()
    out["time_s"] = time.perf_counter() - t
    out["unknowns"] = int(sat.n_unknowns)
    out["result"] = {"junction_max_k": r.temperatures["junction_max_k"],
                     "coolant_min_k": r.temperatures["coolant_min_k"],
                     "compute_w": r.power["compute_w"]}
elif what == "satellite_transient":
    steps = int(sys.argv[3])
    sat = Satellite(default_design(tier)); r = sat.solve_steady()
    t = time.perf_counter(); o = sat.solve_orbit(r, n_orbits=1.0, steps=steps, periodic=False)
    out["time_s"] = time.perf_counter() - t
    out["steps"] = int(len(o.times_s) - 1) if len(o.times_s) > 1 else steps
    out["time_per_step_s"] = out["time_s"] / max(out["steps"], 1)
    out["unknowns"] = int(sat.n_unknowns)
    out["result"] = {k: float(v) for k, v in o.extremes.items()
                     if isinstance(v, (int, float)) and k.endswith("_k")}
elif what == "main_job":
    from thermosat.cli import main
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        rc = main(["size", "--tier", "all", "--out", os.path.join(d, "r"), "--quiet"]
                  if "--quiet" in sys.argv else ["size", "--tier", "all", "--out", os.path.join(d, "r")])
        out["time_s"] = time.perf_counter() - t
        out["rc"] = rc
        rows = json.load(open(os.path.join(d, "r", "results.json")))
        rows = rows.get("tiers", rows) if isinstance(rows, dict) else rows
        out["result"] = {str(r.get("tier")): r.get("radiator_area_m2") for r in rows} if isinstance(rows, list) else {}
out["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print("RESULT " + json.dumps(out))
'''


def prepare_baseline(repo: str | os.PathLike, target: str | os.PathLike,
                     commit: str = BASELINE_COMMIT) -> Path:
    """Install thermosat at ``commit`` of ``repo`` into ``target`` (no dependencies: they
    come from this environment); returns ``target``. Reuses an existing install."""
    target = Path(target)
    stamp = target / ".thermosat-baseline"
    if stamp.is_file() and stamp.read_text().strip() == commit:
        return target
    with tempfile.TemporaryDirectory(prefix="thermosat-baseline-") as src:
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", src], input=archive, check=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        "--target", str(target), src],
                       check=True, capture_output=True)
    stamp.write_text(commit)
    return target


def _side(what: str, tier: str, pythonpath: str | None, extra=(), timeout=3600.0) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    cwd = tempfile.mkdtemp(prefix="thermosat-release-bench-")
    proc = subprocess.run([sys.executable, "-c", CHILD, what, tier, *map(str, extra)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{what} ({pythonpath or 'this thermosat'}) failed: "
                       + (proc.stderr.strip().splitlines() or ["no output"])[-1])


def _rel_diff(a: dict, b: dict) -> float | None:
    keys = [k for k in a if k in b and isinstance(a[k], (int, float)) and isinstance(b[k], (int, float))]
    if not keys:
        return None
    return max(abs(a[k] - b[k]) / max(abs(b[k]), 1e-300) for k in keys)


def run_release_rows(baseline_path: str | os.PathLike, *, tier: str = "meo",
                     transient_steps: int = 60, main_job: bool = True,
                     progress=None) -> list[dict]:
    """The three rows, each this thermosat against the baseline install at ``baseline_path``."""
    say = progress or (lambda msg: None)
    plan = [("satellite_steady", ()), ("satellite_transient", (transient_steps,))]
    if main_job:
        plan.append(("main_job", ()))
    rows = []
    here = str(Path(__file__).resolve().parents[2])
    for what, extra in plan:
        say(f"{what}: this thermosat")
        new = _side(what, tier, here, extra)
        say(f"{what}: baseline {BASELINE_COMMIT}")
        old = _side(what, tier, str(baseline_path), extra)
        key = "time_per_step_s" if what == "satellite_transient" else "time_s"
        rows.append({
            "problem": what, "tier": tier if what != "main_job" else "all",
            "unknowns": new.get("unknowns"), "time_s": new[key],
            "baseline": f"thermosat {BASELINE_COMMIT}", "baseline_time_s": old[key],
            "ratio": old[key] / new[key] if new[key] else None,
            "peak_mem_bytes": new["peak_rss_bytes"],
            "baseline_peak_mem_bytes": old["peak_rss_bytes"],
            "time_per_unknown_us": (1e6 * new[key] / new["unknowns"]) if new.get("unknowns") else None,
            "baseline_time_per_unknown_us": (1e6 * old[key] / old["unknowns"]) if old.get("unknowns") else None,
            "first_s": new.get("first_s"), "baseline_first_s": old.get("first_s"),
            "result": new.get("result"), "baseline_result": old.get("result"),
            "max_rel_diff": _rel_diff(new.get("result") or {}, old.get("result") or {}),
        })
    return rows
