"""``thermosat claims``: the source article's figures against physics and arithmetic.

Without ``--results`` it checks the arithmetic claims and solves the article's one-panel
concept (500 m² sun-pointing panel, cells for 30 kW, the rest loop-cooled radiator) on the
full coupled model; with ``--results DIR`` (a ``thermosat size`` output) it adds the claims
that need sized tiers (W/m² of radiator, area for 30 kW, W/kg).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--results", metavar="DIR",
                        help="output folder of `thermosat size` (reads its results.json)")
    parser.add_argument("--tier", default="vleo", choices=("vleo", "leo", "meo"),
                        help="tier of the one-panel concept solve (default: vleo)")
    parser.add_argument("--json", action="store_true", help='print {"claims": [...]}')


def run(args: argparse.Namespace) -> int:
    from thermosat.studies.claims import all_claims
    from thermosat.case.defaults import default_design
    from thermosat.common.errors import InputError

    rows = None
    if args.results:
        path = Path(args.results) / "results.json"
        try:
            rows = json.loads(path.read_text())["tiers"]
        except (OSError, ValueError, KeyError) as err:
            raise InputError(f"{path}: not a readable `thermosat size` results.json "
                             f"({type(err).__name__}); run `thermosat size --out DIR` first")
    claims = all_claims(rows, design=default_design(args.tier))
    if args.json:
        print(json.dumps({"claims": claims}, default=float))
        return 0
    for c in claims:
        print(f"[{c['verdict'].upper():>12}] {c['claim']}")
        print(f"    article: {c['article']}")
        print(f"    physics: {c['physics']}")
    return 0
