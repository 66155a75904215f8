"""``thermosat solve CASE``: steady hot case (power loop closed) and orbit transient of one case.

Prints a summary (temperatures in K and °C, power budget, limits and margins, energy
balance, transient extremes) — or, with ``--json``, exactly one JSON object on stdout — and
writes into ``--out`` (default ``results/<case stem>``):

* ``result.json`` — design, temperatures, power, limits, energy balance, convergence and the
  orbit time series;
* ``case.toml`` — the validated case with defaults filled in (its fingerprint is in the JSON);
* ``steady.vtm`` + ``steady/`` — the temperature field of every part (ParaView; per-part
  ``steady_<part>.vtu`` when the multi-block writer is not available).

Everything is written into a temporary folder beside ``--out`` that is renamed into place at
the end: an interrupted or failed run leaves no half-written output (and an older result in
``--out`` stays until the new one is complete). A bad case file is one line on stderr and
exit status 2, before anything is created. Exit status 0 when solved (limits that fail are
reported, not errors; ``--strict`` makes them exit status 1).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

__all__ = ["add_arguments", "run", "solve_case", "write_outputs"]

ZERO_C = 273.15


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="case file (TOML; see cases/README.md)")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder (default: results/<case stem>)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object on stdout (the content of result.json plus "
                             "'out') instead of the summary")
    parser.add_argument("--no-transient", action="store_true",
                        help="steady hot case only, no orbit transient")
    parser.add_argument("--no-vtk", action="store_true", help="do not write VTK files")
    parser.add_argument("--strict", action="store_true",
                        help="exit status 1 when a temperature limit or coolant margin fails")


def _log(msg: str) -> None:
    from thermosat.common.progress import note

    note(msg, "thermosat solve")  # silent with --quiet


def _jsonable(obj):
    """Plain JSON data: numpy → Python, non-finite floats → None."""
    import numpy as np

    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return _jsonable(obj.item())
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    return obj


def _celsius(d: dict) -> dict:
    """Temperatures of ``d`` (keys ending ``_k``) in °C; differences (margins, residuals)
    and non-numbers are left out."""
    return {k.replace("_k", "_c"): v - ZERO_C for k, v in d.items()
            if k.endswith("_k") and isinstance(v, (int, float))
            and not any(w in k for w in ("margin", "residual", "depth", "change"))}


def solve_case(case, *, transient: bool = True):
    """Build and solve ``case``; returns ``(satellite, steady result, orbit result or None,
    record)`` where ``record`` is the JSON-ready result."""
    from thermosat.common.errors import ConvergenceError
    from thermosat.satellite.satellite import Satellite

    design = case.to_design()
    t0 = time.perf_counter()
    sat = Satellite(design)
    t_build = time.perf_counter() - t0
    _log(f"model built: {sat.n_unknowns} unknowns in {t_build:.1f} s; steady hot case ...")
    res = sat.solve_steady()
    _log(f"steady solved in {res.time_s:.1f} s ({len(res.fixed_point)} power iterations)")
    orbit = None
    orbit_rec = None
    if transient:
        tr = case.transient
        _log(f"orbit transient: {tr.n_orbits:g} orbit(s), {tr.steps} steps ...")
        try:
            from thermosat.common.progress import is_quiet

            orbit = sat.solve_orbit(res, n_orbits=tr.n_orbits, steps=tr.steps,
                                    scheme=tr.scheme, progress=not is_quiet())
            _log(f"transient solved in {orbit.time_s:.1f} s")
            orbit_rec = {"n_orbits": tr.n_orbits, "steps": tr.steps, "scheme": tr.scheme,
                         "extremes": orbit.extremes,
                         "extremes_c": _celsius(orbit.extremes),
                         "coolant_freeze_risk": orbit.freeze, "coolant_boil_risk": orbit.boil,
                         "series": {k: v for k, v in orbit.series.items()},
                         "time_s": orbit.time_s}
        except ConvergenceError as err:  # keep the steady result; report the failure
            _log(f"orbit transient failed: {err}")
            orbit_rec = {"error": str(err), "n_orbits": tr.n_orbits, "steps": tr.steps}
    record = _record(case, sat, res, orbit_rec, t_build)
    return sat, res, orbit, record


def _record(case, sat, res, orbit_rec, t_build) -> dict:
    d = sat.design
    lim = res.limits
    from thermosat.satellite.design import limit_checks

    checks = limit_checks(lim)  # the steady result's own limits, the same test everywhere
    if orbit_rec and "extremes" in orbit_rec:
        checks["orbit_coolant_freeze"] = not orbit_rec["coolant_freeze_risk"]
        checks["orbit_coolant_boil"] = not orbit_rec["coolant_boil_risk"]
        checks["orbit_junction"] = orbit_rec["extremes"]["junction_max_k"] <= lim[
            "junction_limit_k"]
    conv = res.convergence
    from thermosat.studies.vocabulary import shared_keys

    return {
        # the flat keys every tier row of `thermosat size` has too (studies/vocabulary.py)
        **shared_keys(res.temperatures, lim, res.power, cell_area_m2=d.cell_area_m2,
                      radiator_area_m2=d.radiator_area_m2),
        "case": {"source": case.source, "fingerprint": case.fingerprint(),
                 "description": case.description},
        "design": {
            "tier": case.orbit.tier, "altitude_km": d.orbit.altitude_m / 1e3,
            "beta_deg": d.orbit.beta_deg, "eclipse_fraction": d.orbit.eclipse_fraction,
            "period_s": d.orbit.period_s,
            "cell_area_m2": d.cell_area_m2, "panel_radiator_area_m2": d.panel_radiator_area_m2,
            "wing_area_m2": d.wing_area_m2, "radiator_area_m2": d.radiator_area_m2,
            "cell": d.cell.name, "eol_factor": d.cell.eol_factor, "n_chips": d.n_packages,
            "chip": case.compute.chip, "fluid": d.loop.fluid,
            "loop_pressure_pa": sat.loop.fluid.pressure, "unknowns": sat.n_unknowns,
        },
        "ok": all(checks.values()),
        "checks": checks,
        "steady": {
            "temperatures_k": res.temperatures,
            "temperatures_c": _celsius(res.temperatures),
            "power_w": res.power,
            "limits": lim,
            "energy_balance": res.energy.to_json() if hasattr(res.energy, "to_json") else {},
            "convergence": {
                "power_iterations": res.fixed_point,
                "newton_iterations": [c.iterations for c in conv],
                "final_residuals": [c.residuals[-1] if c.residuals else None for c in conv],
                "converged": all(c.converged for c in conv),
            },
            "build_time_s": t_build,
            "time_s": res.time_s,
        },
        "transient": orbit_rec,
    }


def _groups(model) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {"panel": [], "wings": [], "packages": [], "loop": []}
    for name in model.parts:
        if name.startswith("panel"):
            groups["panel"].append(name)
        elif name.startswith("wing"):
            groups["wings"].append(name)
        elif name.startswith("pkg"):
            groups["packages"].append(name)
        elif name.startswith("loop"):
            groups["loop"].append(name)
        else:
            groups.setdefault("other", []).append(name)
    return {k: v for k, v in groups.items() if v}


def write_outputs(out: Path, case, res, record: dict, *, vtk: bool = True) -> dict:
    """Write the result folder ``out`` via a temporary folder renamed into place; returns the
    record as written (with the list of ``files``)."""
    from thermosat.common.atomic import atomic_write_text

    out = Path(out)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    try:
        atomic_write_text(tmp / "case.toml", case.to_toml())
        files = ["result.json", "case.toml"]
        if vtk:
            files += _write_vtk(tmp, res)
        record = dict(record, files=files)
        atomic_write_text(tmp / "result.json",
                          json.dumps(_jsonable(record), indent=2, allow_nan=False) + "\n")
        os.chmod(tmp, 0o777 & ~_umask())
        old = None
        if out.exists() or out.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
            os.replace(out, old / "previous")
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return record


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_vtk(folder: Path, res) -> list[str]:
    model, T = res.model, res.T
    try:
        from thermosat.post.multiblock import model_multiblock, write_vtm
    except ImportError:
        paths = res.steady.write_vtk(folder, "steady")
        return [Path(p).name for p in paths]
    write_vtm(folder / "steady.vtm", model_multiblock(model, T, _groups(model)))
    return ["steady.vtm", "steady/"]


def format_summary(record: dict, out: Path | None) -> str:
    s, d = record["steady"], record["design"]
    t, p, lim = s["temperatures_k"], s["power_w"], s["limits"]
    where = f"{d['tier']} " if d["tier"] else ""
    lines = [f"case {record['case']['source']} (fingerprint {record['case']['fingerprint'][:12]})",
             f"orbit: {where}{d['altitude_km']:.0f} km, beta {d['beta_deg']:g} deg, eclipse "
             f"{100 * d['eclipse_fraction']:.1f} % of {d['period_s'] / 60:.1f} min",
             f"design: cells {d['cell_area_m2']:.2f} m² ({d['cell']}, EOL {d['eol_factor']:g}), "
             f"radiator {d['radiator_area_m2']:.2f} m² (panel strip "
             f"{d['panel_radiator_area_m2']:.2f}, wings {d['wing_area_m2']:.2f}); "
             f"{d['n_chips']} × {d['chip']}; {d['fluid']} at {d['loop_pressure_pa'] / 1e6:.3g} MPa",
             f"model: {d['unknowns']} unknowns; steady solve {s['time_s']:.1f} s",
             "",
             f"{'steady hot case':<22s}{'K':>10s}{'°C':>10s}{'limit K':>10s}{'margin K':>10s}"]

    def row(label, T, limit=None, margin=None, ok=None):
        lim_s = f"{limit:10.2f}" if limit is not None else " " * 10
        mar_s = f"{margin:10.2f}" if margin is not None else " " * 10
        flag = "" if ok is None else ("  ok" if ok else "  FAIL")
        lines.append(f"  {label:<20s}{T:10.2f}{T - ZERO_C:10.2f}{lim_s}{mar_s}{flag}")

    row("junction max", t["junction_max_k"], lim["junction_limit_k"], lim["junction_margin_k"],
        lim["junction_margin_k"] >= 0)
    row("junction mean", t["junction_mean_k"])
    row("cells max", t["cell_max_k"], lim["cell_limit_k"], lim["cell_margin_k"],
        lim["cell_margin_k"] >= 0)
    row("cells mean", t["cell_mean_k"])
    need = lim["required_coolant_margin_k"]
    row("coolant min", t["coolant_min_k"], lim["coolant_freeze_k"], lim["freeze_margin_k"],
        lim["freeze_margin_k"] >= need)
    row("coolant max", t["coolant_max_k"], lim["coolant_boil_k"], lim["boil_margin_k"],
        lim["boil_margin_k"] >= need)
    for k, v in t.items():
        if k.endswith("_mean_k") and k not in ("junction_mean_k", "cell_mean_k",
                                               "coolant_mean_k"):
            row(k[:-7].replace("_", " ") + " mean", v)
    lines += ["  (coolant margin = distance to freezing / boiling; required "
              f"{need:g} K, left beyond it: freezing "
              f"{lim['freeze_margin_k'] - need:+.2f} K, boiling {lim['boil_margin_k'] - need:+.2f} K)",
              "",
              "power budget (W):",
              f"  PV {p['pv_w']:.1f} = compute {p['compute_w']:.1f} + pump {p['pump_w']:.1f} + "
              f"distribution losses {p['distribution_losses_w']:.1f}  (closure "
              f"{p['closure_w']:.2e})",
              f"  heat to radiators {p['heat_to_radiators_w']:.1f} W = "
              f"{p['radiator_flux_w_m2']:.1f} W/m² of radiator; per chip "
              f"{p['compute_w'] / max(d['n_chips'], 1):.1f} W"]
    eb = s.get("energy_balance") or {}
    if eb:
        tin = sum(eb.get("heat_in_w", {}).values())
        tout = sum(eb.get("heat_out_w", {}).values())
        lines.append(f"energy balance: in {tin:.1f} W, out {tout:.1f} W, relative imbalance "
                     f"{eb.get('imbalance_rel', float('nan')):.1e}")
    tr = record.get("transient")
    if tr:
        lines.append("")
        if "error" in tr:
            lines.append(f"orbit transient: FAILED: {tr['error']}")
        else:
            e = tr["extremes"]
            lines += [f"orbit transient ({tr['n_orbits']:g} orbit, {tr['steps']} steps, "
                      f"{tr['time_s']:.1f} s):",
                      f"  junction {e['junction_min_k']:.2f}–{e['junction_max_k']:.2f} K, cells "
                      f"{e['cell_min_k']:.2f}–{e['cell_max_k']:.2f} K, coolant "
                      f"{e['coolant_min_k']:.2f}–{e['coolant_max_k']:.2f} K "
                      f"({e['coolant_min_k'] - ZERO_C:.1f} to {e['coolant_max_k'] - ZERO_C:.1f} °C)",
                      f"  coolant freeze risk: {'YES' if tr['coolant_freeze_risk'] else 'no'}; "
                      f"boil risk: {'YES' if tr['coolant_boil_risk'] else 'no'}; max step "
                      f"energy imbalance {e['max_step_imbalance']:.1e}"]
    failed = [k for k, v in record["checks"].items() if not v]
    lines += ["", "verdict: " + ("all limits met" if not failed
                                  else "FAILS " + ", ".join(failed))]
    if out is not None:
        lines.append(f"written: {out}/")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from thermosat.case.load import load_case
    from thermosat.common.paths import check_output_dir

    out = Path(args.out) if args.out else Path("results") / Path(args.case).stem
    check_output_dir(out, "--out")  # an unusable --out fails here, before any solving
    case = load_case(args.case)  # a bad case fails here, before anything is created
    _, res, _, record = solve_case(case, transient=not args.no_transient)
    record = write_outputs(out, case, res, record, vtk=not args.no_vtk)
    record = dict(record, out=str(out))
    if args.json:
        print(json.dumps(_jsonable(record), allow_nan=False))
    else:
        print(format_summary(record, out))
    return 1 if (args.strict and not record["ok"]) else 0
