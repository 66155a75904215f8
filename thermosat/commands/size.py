"""``thermosat size``: the main job — radiator sizing per orbital tier.

Prints a table per tier (or, with ``--json``, one JSON object ``{"tiers": [...]}`` on stdout;
progress goes to stderr), and writes into ``--out``: ``results.json``, ``report.md``, ``report.html`` (self-contained), and one
folder per tier with ``result.json``, ``satellite.vtm``, PNG renders and plots. Each tier's
folder is written under a temporary name and renamed when complete, and a rerun skips tiers
whose finished folder matches the same case (so an interrupted run loses nothing finished);
the uncertainty samples of an unfinished tier are kept in ``--out/.resume`` and read back.
The uncertainty samples run on Dask (``--scheduler``, ``--workers``).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import shutil
from pathlib import Path

__all__ = ["add_arguments", "run", "size_tiers", "reading_cases", "alternative_readings"]

TIERS = ("vleo", "leo", "meo")

#: the readings of the article's "30 kW" and "12 to 24 chips" (the fidelity issue)
READINGS = ("chips_at_rating", "demand_at_rating", "demand_over_chips")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tier", default=None, choices=TIERS + ("all",),
                        help="tier to size (default: all; with --case giving "
                             "orbit.altitude_km: that altitude)")
    parser.add_argument("--case", metavar="FILE",
                        help="case file (TOML) to start from; its orbit tier is replaced by "
                             "each sized tier — a case giving orbit.altitude_km is sized at "
                             "that altitude (not with --tier) (default: the built-in design "
                             "of each tier)")
    parser.add_argument("--out", metavar="DIR", default="results/size",
                        help="output folder (default: results/size)")
    parser.add_argument("--json", action="store_true",
                        help='print one JSON object {"tiers": [...]} on stdout')
    parser.add_argument("--no-curve", action="store_true",
                        help="skip the 3 extra solves of the area–junction-limit curve")
    parser.add_argument("--force", action="store_true",
                        help="recompute tiers even if a finished result for the same case exists")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="Dask scheduler (tcp://host:8786) for the uncertainty samples "
                             "(default: a local cluster on this machine)")
    parser.add_argument("--workers", metavar="N", type=int, default=None,
                        help="local Dask worker processes for the uncertainty samples "
                             "(default: one per core; 0: in this process, no Dask)")


def _cases(tier_arg: str, case_path: str | None):
    from thermosat.case.load import load_case
    from thermosat.case.defaults import default_case

    from thermosat.common.errors import InputError

    tiers = TIERS if tier_arg in (None, "all") else (tier_arg,)
    if case_path is None:
        return [(t, default_case(t)) for t in tiers]
    base = load_case(case_path)
    alt = base.orbit.altitude_km
    if alt is not None:  # keep the case's own altitude; never drop it silently
        if tier_arg is not None:
            raise InputError(f"--tier {tier_arg} with --case {case_path}: the case sets "
                             f"orbit.altitude_km = {alt:g}, which a tier would replace; drop "
                             f"--tier to size the case at {alt:g} km, or set orbit.tier in "
                             f"the case instead")
        return [(f"{alt:g}km", base)]
    return [(t, base.with_values({"orbit.tier": t, "orbit.altitude_km": None})) for t in tiers]


def reading_cases(case, log=None) -> dict:
    """``{reading: Case}``: ``case`` under each of :data:`READINGS` —
    ``chips_at_rating`` with the case's chips, the others with the article's
    :data:`~thermosat.case.defaults.ARTICLE_COMPUTE_W` (W) of compute. A reading the case
    cannot express (e.g. no rated power) is left out, said through ``log``."""
    from thermosat.case.defaults import ARTICLE_COMPUTE_W

    out = {}
    for reading in READINGS:
        try:
            c = case.with_reading(reading, None if reading == "chips_at_rating"
                                  else ARTICLE_COMPUTE_W)
            c.compute_plan()
        except Exception as err:  # a reading the case cannot express (no demand, no rating)
            if log:
                log(f"reading {reading}: {err}")
            continue
        out[reading] = c
    return out


def alternative_readings(case, cases: dict | None = None) -> dict:
    """The tier's readings to trade against the case's own (issue 14 item 2): name →
    :class:`~thermosat.studies.trades.ReadingDesigns` for every reading in ``cases``
    (:func:`reading_cases`, built when None) whose plan differs from the case's in chip
    count or compute demand (W), each with its designs in the case's sizing, check and orbit
    environments and its demand. A reading with the same chips and demand as one already
    listed is the same design and is left out."""
    from thermosat.studies.trades import ReadingDesigns

    cases = reading_cases(case) if cases is None else cases
    own = case.compute_plan()
    hot, cold = case.environment_names()
    orb = case.orbit_environment()
    out = {}
    seen = [own]
    for reading, c in cases.items():
        plan = c.compute_plan()
        if plan["demand_w"] is None:
            continue
        if any(p["n_chips"] == plan["n_chips"] and p["demand_w"] is not None and
               abs(plan["demand_w"] - p["demand_w"]) <= 1e-9 * p["demand_w"] for p in seen):
            continue
        seen.append(plan)
        out[reading] = ReadingDesigns(
            design=c.to_design(environment=hot), demand_w=plan["demand_w"],
            cold_design=c.to_design(environment=cold) if cold else None,
            orbit_design=c.to_design(environment=orb) if orb else None)
    return out


def size_tiers(tier_arg: str | None = None, case_path: str | None = None, out="results/size", *,
               curve: bool = True, force: bool = False, log=None,
               scheduler: str | None = None, workers: int | None = None) -> dict:
    """Size the tiers and write every output; returns ``{"tiers": rows, "claims": [...]}``.

    The uncertainty samples run on a Dask cluster (``scheduler`` address, else a local one of
    ``workers`` processes, None = one per core, 0 = in this process); each finished sample
    is kept in ``out/.resume/<tier>/uncertainty`` until its tier is written, so an
    interrupted run resumes without recomputing them."""
    from thermosat.studies.claims import all_claims
    from thermosat.common.atomic import atomic_write_text
    from thermosat.post.report import write_report
    from thermosat.studies.tier_job import run_tier

    from thermosat.common.progress import note

    log = log or (lambda msg: note(msg, prefix=""))  # silent with --quiet
    out = Path(out)
    cases = _cases(tier_arg, case_path)  # a bad case or combination fails before any file
    out.mkdir(parents=True, exist_ok=True)
    rows, texts = [], {}
    for tier, case in cases:
        final = out / tier
        fp = case.fingerprint()
        done = final / "result.json"
        if done.exists() and not force:
            try:
                row = json.loads(done.read_text())
                if row.get("case_fingerprint") == fp:
                    log(f"{tier}: finished result for this case found in {final}; skipping "
                        f"(--force to recompute)")
                    rows.append(row)
                    texts[tier] = case.to_toml()
                    continue
            except (OSError, ValueError):
                pass
        partial = out / f".{tier}.partial"
        resume = out / ".resume" / tier  # kept across an interrupt (fingerprinted samples)
        shutil.rmtree(partial, ignore_errors=True)
        s = case.sizing
        try:
            hot, cold = case.environment_names()
            by_reading = reading_cases(case, lambda m: log(f"{tier}: {m}"))
            alts = alternative_readings(case, by_reading)
            if alts:
                log(f"{tier}: readings traded against `{case.compute.reading}`: "
                    + ", ".join(f"{k} ({v.demand_w / 1e3:.1f} kW on {v.n_chips} chips)"
                                for k, v in alts.items()))
            row = run_tier(tier, case.to_design(environment=hot), case.compute_demand_w(),
                           partial, vary=s.vary, area_bounds_m2=(s.min_area_m2, s.max_area_m2),
                           n_orbits=case.transient.n_orbits, steps=case.transient.steps,
                           curve=curve, progress=log,
                           cold_design=case.to_design(environment=cold) if cold else None,
                           orbit_design=(case.to_design(environment=case.orbit_environment())
                                         if case.orbit_environment() else None),
                           placements=tuple(s.trade_placements),
                           uncertainty_samples=s.uncertainty_samples,
                           reading=case.compute.reading, readings=alts,
                           uncertainty_engine={"scheduler": scheduler, "workers": workers,
                                               "store_dir": resume / "uncertainty"})
            row["case_fingerprint"] = fp
            if row.get("compute_reading") in by_reading and \
                    row["compute_reading"] != case.compute.reading:
                # the answer is another reading of the case: its case file beside the input
                atomic_write_text(partial / "case_sized.toml",
                                  by_reading[row["compute_reading"]].to_toml())
                row["files"]["case_sized"] = str(partial / "case_sized.toml")
            # paths inside the tier folder, as they will be after the rename
            row["files"] = {k: str(final / Path(v).name) for k, v in row["files"].items()}
            atomic_write_text(partial / "case.toml", case.to_toml())
            atomic_write_text(partial / "result.json", json.dumps(row, indent=2, default=float))
        except BaseException:  # interrupted or failed: leave no half-written tier behind
            shutil.rmtree(partial, ignore_errors=True)
            raise
        shutil.rmtree(final, ignore_errors=True)
        partial.rename(final)
        shutil.rmtree(resume, ignore_errors=True)
        with contextlib.suppress(OSError):
            (out / ".resume").rmdir()
        rows.append(row)
        texts[tier] = case.to_toml()
        st = row.get("stage_time_s") or {}
        log(f"{tier}: done in {row['time_s']:.0f} s → {final}"
            + (" (" + ", ".join(f"{k.replace('_', ' ')} {v:.0f} s" for k, v in st.items())
               + ")" if st else ""))
    log("checking the article's claims (one more coupled solve: the 500 m² one-panel concept)")
    claims = all_claims(rows, design=cases[0][1].to_design())
    from thermosat.studies.published import published_designs

    published = published_designs()  # issue 14: top-level contract list
    result = {"tiers": rows, "claims": claims, "published_designs": published}
    atomic_write_text(out / "results.json", json.dumps(result, indent=2, default=float))
    plans = {}
    for tier, case in cases:  # the readings of "30 kW" and "12 to 24 chips" side by side
        plans[tier] = {k: c.compute_plan() for k, c in
                       reading_cases(case, lambda m, t=tier: log(f"{t}: {m}")).items()}
    write_report(out / "report.md", rows, claims, texts, plans, published)
    from thermosat.post.html_report import write_html_report

    log("writing report.html (figures embedded, model description)")
    write_html_report(out / "report.md", rows, texts)
    for r in rows:
        r["files"]["results_json"] = str(out / "results.json")
        r["files"]["report"] = str(out / "report.md")
        r["files"]["report_html"] = str(out / "report.html")
    return result


def run(args: argparse.Namespace) -> int:
    from thermosat.common.paths import check_output_dir
    from thermosat.post.report import terminal_table

    check_output_dir(args.out, "--out")  # before any solving
    if args.workers is not None and args.workers < 0:
        from thermosat.common.errors import InputError
        raise InputError(f"--workers {args.workers}: must be 0 (in this process) or more")
    if args.scheduler:  # fail now, not after the sizings that come before the samples
        from thermosat.studies.sweep.run import _probe
        _probe(args.scheduler)
    result = size_tiers(args.tier, args.case, args.out, curve=not args.no_curve,
                        force=args.force, scheduler=args.scheduler, workers=args.workers)
    rows = result["tiers"]
    if args.json:
        print(json.dumps({"tiers": rows}, default=float))
    else:
        print(terminal_table(rows))
        print()
        for r in rows:
            print(f"{r['tier']}: {r['message']}")
        print(f"\nwritten: {args.out}/results.json, {args.out}/report.md, "
              f"{args.out}/report.html, "
              f"{args.out}/<tier>/ (satellite.vtm, *.png)")
    return 0 if all(r["feasible"] for r in rows) else 1
