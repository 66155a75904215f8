"""``thermosat sweep SWEEP.toml``: run a design sweep on Dask; resumable.

Each finished point is written to ``OUT/points/<point_id>.json`` as soon as it arrives; rerunning
the same command after an interruption computes only the points not yet on disk. At the end
``results.csv``, ``results.json`` and ``summary.png`` are rebuilt from the point files.
Exit status: 0 when every point is on disk (failed designs are recorded, not errors), 130 when
interrupted (Ctrl-C / SIGTERM; finished points are kept), 2 for a bad sweep file or option.
"""
from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sweep", metavar="SWEEP.toml", help="the sweep file (see sweeps/example"
                                                           ".toml)")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder (default: the sweep file's path without .toml)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="address of a running Dask scheduler (tcp://host:8786), e.g. a "
                             "multi-machine cluster whose workers have thermosat installed "
                             "(start them single-threaded: OPENBLAS_NUM_THREADS=1 "
                             "NUMBA_NUM_THREADS=1 dask worker ADDRESS --nthreads 1); default: "
                             "a local cluster of --workers single-threaded processes")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="local worker processes (default: one per core)")
    parser.add_argument("--retry-failed", action="store_true",
                        help="recompute points recorded as failed in an earlier run")
    parser.add_argument("--dry-run", action="store_true",
                        help="validate the sweep and list its points; compute nothing")
    parser.add_argument("--no-plot", action="store_true", help="do not write summary.png")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true",
                        help='print one JSON object {"points", "done", "skipped", "failed", '
                             '"out", ...} on stdout instead of the summary')


def run(args: argparse.Namespace) -> int:
    from thermosat.common.errors import InputError
    from thermosat.studies.sweep import dry_run, format_summary, load_sweep, run_sweep

    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers}: must be ≥ 1")
    if args.workers is not None and args.scheduler:
        raise InputError("--workers: not with --scheduler (the cluster has its own workers)")
    from thermosat.common.paths import check_output_dir

    if args.out is not None and not args.dry_run:
        check_output_dir(args.out, "--out")
    sweep = load_sweep(args.sweep)
    if args.out is None and not args.dry_run and sweep.path is not None:
        check_output_dir(sweep.path.with_suffix(""), "--out (default: the sweep file's path "
                                                      "without .toml)")
    if args.dry_run:
        print(dry_run(sweep))
        return 0
    summary = run_sweep(sweep, args.out, scheduler=args.scheduler, workers=args.workers,
                        progress=not args.quiet, retry_failed=args.retry_failed,
                        plot=not args.no_plot)
    if args.json:
        keys = ("points", "done", "skipped", "failed", "remaining", "failed_total",
                "interrupted", "out", "results", "plot", "run_id")
        print(json.dumps({k: summary[k] for k in keys}))
    else:
        print(format_summary(summary))
    if summary["interrupted"]:
        print(f"thermosat sweep: interrupted; {summary['on_disk']} of {summary['points']} points "
              f"are on disk in {summary['out']} (run the same command again to resume)",
              file=sys.stderr)
        return 130
    return 0
