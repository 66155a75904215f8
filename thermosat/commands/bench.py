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
                             "steady_radiation_3d, transient_2d, view_factors_10k")
    parser.add_argument("--sizes", metavar="N,M",
                        help="comma-separated numbers of unknowns, replacing the default sizes")
    parser.add_argument("--no-baseline", action="store_true",
                        help="run thermosat only (no scikit-fem rows)")
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
        unknown = sorted(set(problems) - set(bench.PROBLEMS) - {"view_factors_10k"})
        if unknown:
            raise InputError(f"--problems: unknown {unknown}; known: "
                             f"{list(bench.PROBLEMS) + ['view_factors_10k']}")
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
