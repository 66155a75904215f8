"""``thermosat bench``: the same problems solved by thermosat and by scikit-fem + scipy.

``thermosat bench [--json] [--quick] [--problems P,Q] [--no-baseline] [--out DIR]`` runs every
row in fresh processes, checks that the two codes agree (``max_rel_diff``) and prints a table,
or with ``--json`` one object ``{"rows": [...]}``. ``--out DIR`` also writes
``results.json``, ``time_per_unknown.png`` and the table into ``DIR/RESULTS.md``.
See :mod:`thermosat.verification.bench` for the problems and the method.
"""
from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help='print one JSON object {"rows": [...]} and nothing else')
    parser.add_argument("--quick", action="store_true",
                        help="small sizes only (a minute or two)")
    parser.add_argument("--problems", metavar="P,Q",
                        help="comma-separated subset of: assembly_tri, steady_radiation_2d, "
                             "steady_radiation_3d, transient_2d, view_factors_10k, "
                             "linear_solver_choice, ray_cast")
    parser.add_argument("--sizes", metavar="N,M",
                        help="comma-separated numbers of unknowns, replacing the default sizes")
    parser.add_argument("--no-baseline", action="store_true",
                        help="run thermosat only (no scikit-fem rows)")
    parser.add_argument("--release", action="store_true",
                        help="the real job side by side with the release at commit b00adad: "
                             "satellite_steady, satellite_transient and main_job rows (needs "
                             "the git history: run from a clone, or give --release-repo)")
    parser.add_argument("--release-repo", metavar="DIR", default=".",
                        help="git repository holding the baseline commit (default: .)")
    parser.add_argument("--release-env", metavar="DIR",
                        help="where the baseline is installed (default: a cache folder)")
    parser.add_argument("--no-main-job", action="store_true",
                        help="with --release: skip the main_job row (the longest)")
    parser.add_argument("--out", metavar="DIR",
                        help="also write results.json, time_per_unknown.png and the RESULTS.md "
                             "table into DIR")


def run(args) -> int:
    from thermosat.verification import bench
    from thermosat.common.errors import InputError

    problems = None
    if args.out:
        from thermosat.common.paths import check_output_dir

        check_output_dir(args.out, "--out")  # before any benchmark runs
    if args.problems:
        problems = [p.strip() for p in args.problems.split(",") if p.strip()]
        extra = {"view_factors_10k", bench.SOLVER_CHOICE, bench.RAY_CAST}
        unknown = sorted(set(problems) - set(bench.PROBLEMS) - extra)
        if unknown:
            raise InputError(f"--problems: unknown {unknown}; known: "
                             f"{list(bench.PROBLEMS) + sorted(extra)}")
    sizes = None
    if args.sizes:
        try:
            ns = tuple(int(float(v)) for v in args.sizes.split(",") if v.strip())
        except ValueError:
            raise InputError(f"--sizes: expected numbers like 1e4,1e5, got {args.sizes!r}") \
                from None
        if not ns or min(ns) < 100:
            raise InputError("--sizes: every size must be at least 100 unknowns")
        sizes = {p: ns for p in bench.PROBLEMS}

    def show(row):
        if not args.json:
            print(bench.table_markdown([row]).splitlines()[-1], flush=True)

    if args.release:
        return _run_release(args)
    if not args.json:
        print(bench.table_markdown([]), flush=True)
    rows = bench.run(quick=args.quick, problems=problems, sizes=sizes,
                     baseline=not args.no_baseline, progress=show)
    if args.out:
        bench.write_results(rows, args.out)
    if args.json:
        json.dump({"rows": rows}, sys.stdout, default=float)
        sys.stdout.write("\n")
    return 0


def _run_release(args) -> int:
    import subprocess
    from pathlib import Path

    from thermosat.common.errors import InputError
    from thermosat.verification import release_bench as rb

    repo = Path(args.release_repo)
    ok = subprocess.run(["git", "-C", str(repo), "cat-file", "-e", rb.BASELINE_COMMIT],
                        capture_output=True).returncode == 0
    if not ok:
        raise InputError(f"--release-repo {repo}: no git history holding commit "
                         f"{rb.BASELINE_COMMIT}; run from a clone of the repository")
    env = Path(args.release_env or Path.home() / ".cache" / "thermosat" /
               f"baseline-{rb.BASELINE_COMMIT}")
    say = (lambda m: None) if args.json else (lambda m: print(m, file=sys.stderr, flush=True))
    say(f"installing thermosat {rb.BASELINE_COMMIT} into {env}")
    base = rb.prepare_baseline(repo, env)
    rows = rb.run_release_rows(base, main_job=not args.no_main_job, progress=say)
    if args.out:
        from thermosat.common.atomic import atomic_write_text

        Path(args.out).mkdir(parents=True, exist_ok=True)
        atomic_write_text(Path(args.out) / "release.json",
                          json.dumps({"rows": rows}, indent=1, default=float) + "\n")
    if args.json:
        json.dump({"rows": rows}, sys.stdout, default=float)
        sys.stdout.write("\n")
        return 0
    print(f"{'row':22s} {'unknowns':>9s} {'this s':>9s} {'b00adad s':>10s} {'ratio':>7s} "
          f"{'peak MB':>8s} {'max rel diff':>12s}")
    for r in rows:
        d = r["max_rel_diff"]
        print(f"{r['problem']:22s} {r['unknowns'] or 0:9d} {r['time_s']:9.3f} "
              f"{r['baseline_time_s']:10.3f} {r['ratio']:7.2f} {r['peak_mem_bytes'] / 2**20:8.0f} "
              f"{'-' if d is None else f'{d:.1e}':>12s}")
    return 0
