"""``thermosat validate``: run the validation suite against published and closed-form references.

Prints a table (or, with ``--json``, exactly one JSON object on stdout), progress per case on
stderr, and writes ``REPORT.md`` + ``convergence.png``. Exit status 0 when every case passes,
1 otherwise (2 for usage errors such as an unknown ``--only`` name).
"""
from __future__ import annotations

import argparse

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help='print one JSON object {"cases": [...]} on stdout, not the table')
    parser.add_argument("--only", "--case", action="append", metavar="NAME", dest="only",
                        help="run only these cases (repeat or comma-separate; see --list); "
                             "--case is the same option")
    parser.add_argument("--report", metavar="DIR",
                        help="folder for REPORT.md and convergence.png (default: the current "
                             "directory; the repository keeps its copy in validation/; with --only the report is written only when --report is given)")
    parser.add_argument("--no-report", action="store_true", help="do not write the report")
    parser.add_argument("--list", action="store_true", help="list the case names and exit")


def run(args: argparse.Namespace) -> int:
    from thermosat.verification import runner as validate

    if args.list:
        for case in validate.discover():
            print(f"{case.name:28s} {case.title}")
        return 0
    write = False if args.no_report else None
    if args.report is not None and not args.no_report:
        from thermosat.common.paths import check_output_dir

        check_output_dir(args.report, "--report")  # before any case runs
    elif write is None and not args.only:
        from thermosat.common.paths import check_output_dir

        check_output_dir(validate.default_report_dir(), "report folder (default; --report "
                                                         "to choose another)")
    return validate.main(args.only, as_json=args.json, report_dir=args.report, write=write)
