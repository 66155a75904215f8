"""``thermosat compare RUN_A RUN_B``: what moved between two result folders.

RUN_A and RUN_B are folders written by ``thermosat size`` (``results.json``) or ``thermosat
solve`` (``result.json``), or those files. Prints, per tier in both runs, the areas,
temperatures (K and °C), coolant margins (distance to freezing / boiling), power and mass in
A and in B with the change B − A (only what moved; ``--all`` for every quantity), or with
``--json`` one object; draws ``compare.png`` (``--png``; ``--no-plot`` to skip). Exit status
0 when compared, 2 for a missing or unreadable run (one line).
"""
from __future__ import annotations

import argparse
import json

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_a", metavar="RUN_A", help="first result folder (or results.json)")
    parser.add_argument("run_b", metavar="RUN_B", help="second result folder (or results.json)")
    parser.add_argument("--png", metavar="FILE", default="compare.png",
                        help="plot file (default: compare.png in the current folder)")
    parser.add_argument("--no-plot", action="store_true", help="do not draw the plot")
    parser.add_argument("--all", action="store_true",
                        help="list every quantity, not only those that moved")
    parser.add_argument("--json", action="store_true",
                        help='print one JSON object {"run_a", "run_b", "tiers", "rows", ...}')


def run(args: argparse.Namespace) -> int:
    from thermosat.common.paths import check_output_file
    from thermosat.post.compare import compare_runs, format_table, plot_compare

    if not args.no_plot:
        check_output_file(args.png, "--png", suffixes=(".png",))
    diff = compare_runs(args.run_a, args.run_b)
    if not args.no_plot:
        diff["plot"] = str(plot_compare(diff, args.png))
    if args.json:
        print(json.dumps(diff))
    else:
        print(format_table(diff, show_all=args.all))
        if not args.no_plot:
            print(f"\nwritten: {args.png}")
    return 0
