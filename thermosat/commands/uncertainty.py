"""``thermosat uncertainty --tier vleo --samples 64``: the P95 required radiator area of a tier.

A seeded Latin-hypercube study over coatings (BOL → EOL), OLR, albedo, solar constant, β,
chip power, cold-plate resistance and tube bond conductance (table and sources in
:mod:`thermosat.studies.uncertainty`); every sample is a full sizing on the coupled model,
run on a Dask local cluster (or ``--scheduler ADDRESS``). Each finished sample is written to
``OUT/uncertainty/<tier>/points/<id>.json``; rerunning the same command after an interruption
computes only the samples not yet on disk. Writes ``results.csv``, ``summary.json`` and
``tornado.png`` there. Exit status 0 when done, 130 when interrupted, 2 for a bad option.
"""
from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_arguments", "run"]

TIERS = ("vleo", "leo", "meo")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tier", default="vleo", choices=TIERS, help="tier (default: vleo)")
    parser.add_argument("--case", metavar="FILE",
                        help="case file to start from (its tier is replaced by --tier); "
                             "default: the built-in design of the tier")
    parser.add_argument("--samples", type=int, default=64, metavar="N",
                        help="Latin-hypercube samples (default 64)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    parser.add_argument("--out", metavar="DIR", default="results/size",
                        help="output folder; the study goes to DIR/uncertainty/<tier> "
                             "(default: results/size, beside the main job)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="address of a running Dask scheduler (tcp://host:8786); "
                             "default: a local cluster of --workers single-threaded processes")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="local worker processes (default: one per core)")
    parser.add_argument("--no-plot", action="store_true", help="do not write tornado.png")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--json", action="store_true",
                        help="print the study's summary as one JSON object on stdout")


def run(args: argparse.Namespace) -> int:
    from thermosat.common.errors import InputError
    from thermosat.studies.sweep.evaluate import jsonable
    from thermosat.studies.uncertainty import run_uncertainty

    if args.samples < 1:
        raise InputError(f"--samples {args.samples}: must be ≥ 1")
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers}: must be ≥ 1")
    if args.workers is not None and args.scheduler:
        raise InputError("--workers: not with --scheduler (the cluster has its own workers)")
    if args.case:
        from thermosat.case.load import load_case

        case = load_case(args.case).with_values({"orbit.tier": args.tier,
                                                 "orbit.altitude_km": None})
    else:
        from thermosat.case.defaults import default_case

        case = default_case(args.tier)
    if case.compute.demand_w is None:
        raise InputError(f"{case.source}: compute.demand_w is needed for a sizing study")
    n_done = [0]

    def say(rec):
        n_done[0] += 1
        if args.quiet:
            return
        o = rec.get("outputs") or {}
        what = (f"{o['radiator_area_m2']:.1f} m²" if o.get("radiator_area_m2") is not None
                else (rec.get("error") or o.get("message") or "infeasible"))
        print(f"uncertainty {args.tier}: {rec['role']} {n_done[0]}: {what} "
              f"({rec.get('wall_s') or 0:.1f} s)", file=sys.stderr, flush=True)

    s = case.sizing
    res = run_uncertainty(case.to_design(), case.compute.demand_w, args.samples,
                          scheduler=args.scheduler, workers=args.workers, out_dir=args.out,
                          tier=args.tier, seed=args.seed, vary=s.vary,
                          area_bounds_m2=(s.min_area_m2, s.max_area_m2),
                          plot=not args.no_plot, progress=say)
    if args.json:
        print(json.dumps(jsonable(res), default=str))
    else:
        nom, p95 = res["area_nominal_m2"], res["area_p95_m2"]
        print(f"{args.tier}: nominal {nom:.1f} m²" if nom is not None else
              f"{args.tier}: nominal design infeasible")
        print(f"  P95 over {res['uncertainty_samples']} samples: "
              + (f"{p95:.1f} m²" if p95 is not None else f"undefined ({res['note']})"))
        for r in res["ranking"][:5]:
            extra = (f", Δarea over range {r['delta_area_m2_over_range']:+.1f} m²"
                     if "delta_area_m2_over_range" in r else "")
            print(f"  {r['input']:28s} Spearman ρ {r['spearman_rho']:+.2f}{extra}")
        for n in res["skipped_inputs"]:
            print(f"  note: {n['input']}: {n['note']}")
        print(f"  files: {res['files'].get('tornado', res['files']['summary_json'])}")
    if res["interrupted"]:
        print(f"thermosat uncertainty: interrupted; rerun the same command to compute the "
              f"rest", file=sys.stderr)
        return 130
    return 0
