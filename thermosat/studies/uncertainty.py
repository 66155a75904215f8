"""Uncertainty of the required radiator area: a seeded Latin-hypercube study over the inputs
that matter, each sample a full sizing on the coupled model, run on the Dask engine of the
sweeps and resumable like them.

Every sample is a :func:`thermosat.studies.sizing.size_design` on the full coupled satellite
model, warm-started from the nominal sizing (its radiator and cell areas seed the search; the
stopping criteria are the sizing's own, so a warm-started sample is a full sizing, not a
surrogate — ``tests/test_uncertainty.py`` checks it against a cold-started one). Samples run
on a Dask ``LocalCluster`` by default or on a scheduler address
(:func:`thermosat.studies.sweep.run._connect`); each finished sample is written at once to
``out_dir/uncertainty/<tier>/points/<id>.json`` (:class:`thermosat.studies.sweep.store.SweepStore`),
so an interrupted study keeps what is done and a rerun computes only the rest. The sample id
hashes the nominal design, the demand and the sample's input values.

Per tier the study reports the nominal area, the empirical P95 of the required area (linear
interpolation between order statistics, ``numpy.quantile``'s default; undefined — ``None`` —
when the 95th percentile falls among samples that no area makes feasible), and which inputs
move it most: Spearman rank correlation of each input with the area, and, when there are more
samples than inputs + 1, a linear fit of the area on the inputs whose coefficient × range is
the tornado bar (``tornado.png``). Sobol indices would need a Saltelli design of N·(2d + 2)
sizings; with full sizings at seconds each that is left to cluster runs (see the report).

The inputs (:data:`DEFAULT_INPUTS`), their ranges and sources:

==========================  ======================  =====================================
input                       range                   source / mapping onto SatelliteDesign
==========================  ======================  =====================================
coating_alpha_life          0 (BOL) – 1 (EOL)       Z-93-class white α 0.15 → 0.22 (docs/references.md);
                                                    applied to ``wing_coating``, ``panel_back``,
                                                    ``panel_radiator_front`` where the coating
                                                    has EOL data (:data:`EOL_COATINGS`)
coating_epsilon_life        0 (BOL) – 1 (EOL)       Z-93-class ε 0.92 → 0.85 (docs/references.md; the
                                                    preset's 0.92 is BOL); same fields
earth_ir_w_m2               220 – 275 W/m²          docs/references.md: mean 237, short-period hot up
                                                    to ~255–275; 220 low end: assumption
albedo                      0.25 – 0.40             docs/references.md: hot short-period 0.35–0.40;
                                                    0.25 low end: assumption
solar_constant_w_m2         1322 – 1414 W/m²        docs/references.md / Gilmore: over the year
beta_deg                    0 – 90°                 β a year sweeps for a sun-synchronous
                                                    orbit; ``orbit.beta_rad``
chip_power_factor           0.9 – 1.1               public chip-power spread (B200 1.0–1.2 kW,
                                                    docs/references.md) at a fixed chip count. No
                                                    design field: chips burn the panel's
                                                    electricity; applied to the sizing
                                                    demand (W)
cold_plate_resistance_k_w   0.02 – 0.04 K/W         docs/references.md: 0.01–0.03 (1–2 kW chips) and
                                                    ~0.03–0.04 K/W; ``package.h_w_m2k`` solved
                                                    to match (``h_for_cold_plate_resistance``)
bond_conductance_w_mk       25 – 100 W/m/K          assumption: a factor 2 about the LoopSpec
                                                    default 50 (no published value at hand);
                                                    ``loop.bond_conductance_w_mk``
==========================  ======================  =====================================

An input whose design field does not exist (a future design representation) is skipped
with a note in the result (``skipped_inputs``), never guessed.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import socket
import sys
import time
from dataclasses import dataclass, fields as dc_fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

from thermosat.common.errors import InputError, ThermosatError, one_line
from thermosat.physics.package import h_for_cold_plate_resistance
from thermosat.physics.presets import Coating
from thermosat.satellite.design import SatelliteDesign

__all__ = ["UncertainInput", "DEFAULT_INPUTS", "EOL_COATINGS", "sample_inputs",
           "apply_inputs", "evaluate_sample", "empirical_p95", "rank_inputs",
           "run_uncertainty", "design_fingerprint"]

#: end-of-life (α, ε) of coatings with published degradation (docs/references.md); others unchanged
EOL_COATINGS = {"z93": (0.22, 0.85), "az93": (0.22, 0.85)}
#: design fields carrying radiating coatings that age
_COATING_FIELDS = ("wing_coating", "panel_back", "panel_radiator_front")


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input: range, unit, source, and how it maps onto a design.

    ``apply(design, demand_w, value) -> (design, demand_w)``; ``field`` is the design field it
    needs (checked before sampling: a missing field skips the input with a note).
    """

    name: str
    low: float
    high: float
    unit: str
    source: str
    field: str | None
    apply: Callable[[SatelliteDesign, float, float], tuple[SatelliteDesign, float]]
    nominal: Callable[[SatelliteDesign], float] | None = None


def _age(c: Coating, which: str, u: float) -> Coating:
    eol = EOL_COATINGS.get(c.name)
    if eol is None:
        return c
    if which == "alpha":
        return replace(c, alpha=c.alpha + u * (eol[0] - c.alpha))
    return replace(c, epsilon=c.epsilon + u * (eol[1] - c.epsilon))


def _apply_alpha(d, demand, u):
    return replace(d, **{f: _age(getattr(d, f), "alpha", u) for f in _COATING_FIELDS
                         if hasattr(d, f)}), demand


def _apply_epsilon(d, demand, u):
    return replace(d, **{f: _age(getattr(d, f), "epsilon", u) for f in _COATING_FIELDS
                         if hasattr(d, f)}), demand


def _apply_field(name):
    def apply(d, demand, v):
        return replace(d, **{name: float(v)}), demand
    apply.__name__ = f"set_{name}"
    return apply


def _set_earth_ir(d, demand, v):
    return replace(d, earth_ir_w_m2=float(v)), demand


def _set_albedo(d, demand, v):
    return replace(d, albedo=float(v)), demand


def _set_solar(d, demand, v):
    return replace(d, solar_constant_w_m2=float(v)), demand


def _set_beta(d, demand, v):
    return replace(d, orbit=replace(d.orbit, beta_rad=math.radians(float(v)))), demand


def _set_chip_power(d, demand, v):
    return d, demand * float(v)


def _set_cold_plate(d, demand, v):
    return replace(d, package=d.package.replace(
        h_w_m2k=h_for_cold_plate_resistance(d.package, float(v)))), demand


def _set_bond(d, demand, v):
    return replace(d, loop=replace(d.loop, bond_conductance_w_mk=float(v))), demand


def _nominal_cold_plate(d):
    from thermosat.physics.package import hand_resistance

    return float(hand_resistance(d.package)["R_cold_plate_total"])


DEFAULT_INPUTS: tuple[UncertainInput, ...] = (
    UncertainInput("coating_alpha_life", 0.0, 1.0, "-",
                   "Z-93-class white α 0.15 (BOL) → 0.22 (EOL), docs/references.md", "wing_coating",
                   _apply_alpha, lambda d: 0.0),
    UncertainInput("coating_epsilon_life", 0.0, 1.0, "-",
                   "Z-93-class white ε 0.92 (BOL) → 0.85 (EOL), docs/references.md", "wing_coating",
                   _apply_epsilon, lambda d: 0.0),
    UncertainInput("earth_ir_w_m2", 220.0, 275.0, "W/m²",
                   "docs/references.md: OLR mean 237, short-period hot up to ~255–275; low end "
                   "assumed", "earth_ir_w_m2", _set_earth_ir, lambda d: d.earth_ir_w_m2),
    UncertainInput("albedo", 0.25, 0.40, "-",
                   "docs/references.md: hot short-period albedo 0.35–0.40; low end assumed",
                   "albedo", _set_albedo, lambda d: d.albedo),
    UncertainInput("solar_constant_w_m2", 1322.0, 1414.0, "W/m²",
                   "docs/references.md / Gilmore: 1322–1414 W/m² over the year",
                   "solar_constant_w_m2", _set_solar, lambda d: d.solar_constant_w_m2),
    UncertainInput("beta_deg", 0.0, 90.0, "deg",
                   "β swept over a year by a sun-synchronous orbit", "orbit", _set_beta,
                   lambda d: math.degrees(d.orbit.beta_rad)),
    UncertainInput("chip_power_factor", 0.9, 1.1, "-",
                   "spread of public chip powers (B200 1.0–1.2 kW, docs/references.md); scales the "
                   "sizing demand (no chip-power design field: chips burn the panel's "
                   "electricity)", None, _set_chip_power, lambda d: 1.0),
    UncertainInput("cold_plate_resistance_k_w", 0.02, 0.04, "K/W",
                   "docs/references.md: 0.01–0.03 K/W (1–2 kW chips), ~0.03–0.04 K/W", "package",
                   _set_cold_plate, _nominal_cold_plate),
    UncertainInput("bond_conductance_w_mk", 25.0, 100.0, "W/m/K",
                   "assumption: factor 2 about the LoopSpec default 50 W/m/K", "loop",
                   _set_bond, lambda d: d.loop.bond_conductance_w_mk),
)


def _usable(inputs, design) -> tuple[list[UncertainInput], list[dict]]:
    names = {f.name for f in dc_fields(design)}
    ok, skipped = [], []
    for inp in inputs:
        if inp.field is not None and inp.field not in names:
            skipped.append({"input": inp.name, "note": f"SatelliteDesign has no field "
                                                       f"{inp.field!r}: skipped"})
        else:
            ok.append(inp)
    # coatings without EOL data do not age: say so
    for f in _COATING_FIELDS:
        c = getattr(design, f, None)
        if c is not None and c.name not in EOL_COATINGS and any(
                i.name.startswith("coating_") for i in ok):
            skipped.append({"input": f"{f} ({c.name})",
                            "note": "no end-of-life α/ε on record for this coating: kept at "
                                    "its preset value"})
    return ok, skipped


def sample_inputs(inputs, n: int, seed: int = 0) -> list[dict[str, float]]:
    """``n`` Latin-hypercube samples (scipy.stats.qmc, seeded) scaled to each input's range."""
    from scipy.stats import qmc

    if n < 1:
        raise InputError(f"uncertainty: samples {n} must be ≥ 1")
    u = qmc.LatinHypercube(d=len(inputs), seed=seed).random(n)
    lo = np.array([i.low for i in inputs])
    hi = np.array([i.high for i in inputs])
    x = qmc.scale(u, lo, hi) if len(inputs) else u
    return [{inp.name: float(row[j]) for j, inp in enumerate(inputs)} for row in x]


def apply_inputs(design, demand_w, values: dict, inputs) -> tuple[SatelliteDesign, float]:
    """The design and demand of one sample."""
    for inp in inputs:
        if inp.name in values:
            design, demand_w = inp.apply(design, demand_w, values[inp.name])
    return design, demand_w


def design_fingerprint(design: SatelliteDesign, demand_w: float, extra: Any = None) -> str:
    from thermosat.studies.sweep.evaluate import jsonable

    text = json.dumps([jsonable(design), float(demand_w), jsonable(extra)], sort_keys=True,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def evaluate_sample(design: SatelliteDesign, demand_w: float, values: dict, inputs,
                    sizing_kw: dict, warm: dict | None = None) -> dict:
    """Size one sample (runs on a worker); never raises for a failing design."""
    from thermosat.studies.sizing import size_design

    t0 = time.perf_counter()
    out: dict[str, Any] = {"worker": f"{socket.gethostname()}:{os.getpid()}"}
    try:
        d, dem = apply_inputs(design, demand_w, values, inputs)
        kw = dict(sizing_kw)
        if warm:
            kw.update(initial_area_m2=warm.get("radiator_area_m2"),
                      initial_cell_area_m2=warm.get("cell_area_m2"))
        s = size_design(d, dem, **kw)
        out.update(status="done", outputs={
            "feasible": bool(s.feasible),
            "radiator_area_m2": float(s.design.radiator_area_m2) if s.feasible else None,
            "cell_area_m2": float(s.design.cell_area_m2), "demand_w": float(dem),
            "binding_constraint": s.binding_constraint, "message": s.message,
            "mass_kg": float(s.mass.get("total_kg", float("nan"))),
            "compute_w": float(s.result.power["compute_w"]) if s.result else None,
            "sizing_evaluations": len(s.evaluations), "sizing_time_s": s.time_s,
            "margins_k": {k: float(v) for k, v in s.margins.items()}})
    except Exception as err:  # one failing sample must not stop the study
        out.update(status="failed", error=one_line(err), error_type=type(err).__name__,
                   expected=isinstance(err, ThermosatError))
    out["wall_s"] = time.perf_counter() - t0
    return out


def empirical_p95(areas: list[float | None], q: float = 0.95) -> float | None:
    """Empirical q-quantile of the required areas (``numpy.quantile``, linear), where an
    infeasible sample (None) needs more area than any: None if the quantile reaches them."""
    a = np.sort(np.array([np.inf if v is None else float(v) for v in areas]))
    if a.size == 0:
        return None
    pos = q * (a.size - 1)
    lo, hi = int(math.floor(pos)), int(math.ceil(pos))
    if not np.isfinite(a[hi]):
        return None
    return float(a[lo] + (pos - lo) * (a[hi] - a[lo]))


def rank_inputs(samples: list[dict], inputs) -> list[dict]:
    """Which inputs move the area most: Spearman ρ of each input with the area (feasible
    samples) and, with more samples than inputs + 1, the linear-fit Δarea over its range."""
    from scipy.stats import spearmanr

    rows = [s for s in samples if s.get("radiator_area_m2") is not None]
    out = []
    if len(rows) < 3:
        return out
    y = np.array([r["radiator_area_m2"] for r in rows])
    X = np.array([[r["values"][i.name] for i in inputs] for r in rows])
    coef = None
    if len(rows) > len(inputs) + 1:
        A = np.column_stack([np.ones(len(rows)), X])
        coef = np.linalg.lstsq(A, y, rcond=None)[0][1:]
    for j, inp in enumerate(inputs):
        rho = float(spearmanr(X[:, j], y).statistic) if np.ptp(X[:, j]) > 0 else 0.0
        row = {"input": inp.name, "spearman_rho": rho if math.isfinite(rho) else 0.0,
               "range": [inp.low, inp.high], "unit": inp.unit}
        if coef is not None:
            row["delta_area_m2_over_range"] = float(coef[j] * (inp.high - inp.low))
        out.append(row)
    key = ("delta_area_m2_over_range" if coef is not None else "spearman_rho")
    out.sort(key=lambda r: -abs(r[key]))
    return out


def _tornado(ranking, nominal, p95, path: Path, title: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from thermosat.common.atomic import atomic_path

    key = ("delta_area_m2_over_range" if ranking and "delta_area_m2_over_range" in ranking[0]
           else "spearman_rho")
    names = [r["input"] for r in ranking][::-1]
    vals = [r[key] for r in ranking][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(names) + 1.6))
    ax.barh(names, vals, color=["tab:red" if v > 0 else "tab:blue" for v in vals])
    ax.axvline(0, color="k", lw=0.8)
    ax.set_xlabel("Δ required area over the input's range (m², linear fit)"
                  if key != "spearman_rho" else "Spearman rank correlation with required area")
    extra = f", P95 {p95:.1f} m²" if p95 is not None else ", P95 undefined (infeasible tail)"
    ax.set_title(f"{title}: nominal {nominal:.1f} m²{extra}" if nominal else title,
                 fontsize=10)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
    return path


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def run_uncertainty(design: SatelliteDesign, demand_w: float, n_samples: int = 64, *,
                    inputs=DEFAULT_INPUTS, scheduler: str | None = None,
                    out_dir="results/size", tier: str | None = None, seed: int = 0,
                    workers: int | None = None, processes: bool = True, client=None,
                    vary: str = "wings", area_bounds_m2=(1.0, 5000.0), warm_start: bool = True,
                    plot: bool = True, progress=None) -> dict:
    """Run (or resume) the uncertainty study of ``design`` sized for ``demand_w``.

    Returns a dict with ``tier``, ``area_nominal_m2``, ``area_p95_m2``,
    ``uncertainty_samples`` (the number of samples), ``samples`` (per sample: id, values,
    feasible, radiator_area_m2, binding constraint, wall_s), ``ranking`` (inputs by how much
    they move the area), ``inputs`` (the table), ``skipped_inputs``, ``computed`` /
    ``skipped`` (this run / already on disk), ``interrupted``, ``time_per_sample_s``,
    ``files``. ``progress(record)`` is called after each stored sample (an exception it
    raises — e.g. KeyboardInterrupt — stops the study cleanly, what is done stays on disk).
    """
    from thermosat.studies.sweep.run import _close, _connect, _out_lock
    from thermosat.studies.sweep.store import SweepStore, point_id

    tier = tier or design.orbit.name or f"{design.orbit.altitude_m / 1e3:.0f}km"
    root = Path(out_dir) / "uncertainty" / tier
    used, skipped_inputs = _usable(inputs, design)
    sizing_kw = {"vary": vary, "area_bounds_m2": tuple(area_bounds_m2)}
    fp = design_fingerprint(design, demand_w, {"sizing": sizing_kw, "warm": warm_start,
                                               "inputs": [(i.name, i.low, i.high)
                                                          for i in used]})
    nominal_values = {i.name: float(i.nominal(design)) if i.nominal else None for i in used}
    plan = [{"point_id": point_id(fp, {"nominal": True}, "uncertainty"), "values": {},
             "role": "nominal"}]
    for v in sample_inputs(used, n_samples, seed):
        plan.append({"point_id": point_id(fp, v, "uncertainty"), "values": v,
                     "role": "sample"})
    t_start = time.perf_counter()
    with _out_lock(root):
        store = SweepStore(root)
        on_disk = store.finished()
        todo = [p for p in plan if p["point_id"] not in on_disk]
        skipped = len(plan) - len(todo)
        counts = {"done": 0, "failed": 0}
        interrupted = False

        def record(pt, result):
            rec = {"point_id": pt["point_id"], "mode": "uncertainty", "role": pt["role"],
                   "base_fingerprint": fp, "values": pt["values"],
                   "status": result.get("status", "failed"), "outputs": result.get("outputs"),
                   "error": result.get("error"), "wall_s": result.get("wall_s"),
                   "worker": result.get("worker"), "finished": _now()}
            store.write_point(rec)
            on_disk[pt["point_id"]] = rec
            counts["done" if rec["status"] == "done" else "failed"] += 1
            if progress:
                progress(rec)

        own = client is None
        cluster = None
        try:
            if todo:
                if own:
                    client, cluster = _connect(scheduler, workers, processes)
                nom = plan[0]
                if nom in todo:  # the nominal sizing first: it warm-starts the samples
                    fut = client.submit(evaluate_sample, design, demand_w, {}, used, sizing_kw,
                                        None, pure=False, key=f"unc-{nom['point_id']}")
                    record(nom, fut.result())
                warm = None
                rn = on_disk[nom["point_id"]]
                if warm_start and rn["status"] == "done" and rn["outputs"]["feasible"]:
                    warm = {k: rn["outputs"][k] for k in ("radiator_area_m2", "cell_area_m2")}
                _execute(client, [p for p in todo if p["role"] == "sample"], design,
                         demand_w, used, sizing_kw, warm, record)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if own:
                _close(client, cluster)
        rows = [{**(on_disk.get(p["point_id"]) or {"point_id": p["point_id"],
                                                   "status": "pending",
                                                   "values": p["values"]}), "role": p["role"]}
                for p in plan]
        store.rebuild([{"point_id": p["point_id"], "values": p["values"]} for p in plan[1:]],
                      [i.name for i in used], {"tier": tier, "base_fingerprint": fp},
                      rows=[{**r, "index": k} for k, r in enumerate(rows[1:])])
        result = _summarise(tier, plan, rows, used, skipped_inputs, root, plot,
                            interrupted, counts, skipped, nominal_values, seed)
        result["wall_s"] = time.perf_counter() - t_start
        from thermosat.common.atomic import atomic_write_text
        from thermosat.studies.sweep.evaluate import jsonable

        atomic_write_text(root / "summary.json", json.dumps(jsonable(result), indent=1,
                                                            default=str) + "\n")
    return result


def _execute(client, todo, design, demand_w, used, sizing_kw, warm, record):
    """The samples ``todo`` on ``client`` (the design sent once to every worker)."""
    from thermosat.studies.engine import run_jobs

    d = client.scatter(design, broadcast=True) if len(todo) > 1 else design
    by_key = {f"unc-{pt['point_id']}": pt for pt in todo}
    run_jobs(client, ((k, evaluate_sample, (d, demand_w, pt["values"], used, sizing_kw, warm))
                      for k, pt in by_key.items()),
             lambda key, res: record(by_key[key], res))


def _summarise(tier, plan, rows, used, skipped_inputs, root, plot, interrupted, counts,
               skipped, nominal_values, seed) -> dict:
    nom = rows[0]
    nominal_area = (nom["outputs"]["radiator_area_m2"]
                    if nom.get("status") == "done" and nom.get("outputs") else None)
    samples = []
    for r in rows[1:]:
        o = r.get("outputs") or {}
        samples.append({"point_id": r["point_id"], "status": r["status"],
                        "values": r["values"], "feasible": o.get("feasible"),
                        "radiator_area_m2": o.get("radiator_area_m2"),
                        "binding_constraint": o.get("binding_constraint"),
                        "sizing_evaluations": o.get("sizing_evaluations"),
                        "wall_s": r.get("wall_s"), "error": r.get("error")})
    finished = [s for s in samples if s["status"] in ("done", "failed")]
    areas = [s["radiator_area_m2"] if s["status"] == "done" else None for s in finished]
    p95 = empirical_p95(areas) if finished else None
    ranking = rank_inputs([s for s in finished if s["status"] == "done"], used)
    walls = [s["wall_s"] for s in finished if s["wall_s"] is not None]
    files = {"points": str(root / "points"), "results_csv": str(root / "results.csv"),
             "summary_json": str(root / "summary.json")}
    if plot and ranking and not interrupted:
        try:
            files["tornado"] = str(_tornado(ranking, nominal_area, p95, root / "tornado.png",
                                            f"{tier.upper()}: {len(finished)} samples"))
        except Exception as err:  # the data is on disk; a plot problem is only a warning
            print(f"thermosat uncertainty: warning: tornado plot not written: "
                  f"{one_line(err)}", file=sys.stderr)
    n_inf = sum(1 for a in areas if a is None)
    return {"tier": tier, "area_nominal_m2": nominal_area, "area_p95_m2": p95,
            "uncertainty_samples": len(finished), "samples_planned": len(plan) - 1,
            "n_infeasible": n_inf, "seed": seed, "samples": samples, "ranking": ranking,
            "inputs": [{"name": i.name, "range": [i.low, i.high], "unit": i.unit,
                        "source": i.source, "nominal": nominal_values.get(i.name)}
                       for i in used],
            "skipped_inputs": skipped_inputs, "computed": counts["done"] + counts["failed"],
            "failed": counts["failed"], "skipped": skipped, "interrupted": interrupted,
            "time_per_sample_s": float(np.mean(walls)) if walls else None,
            "files": files,
            "note": ("P95 is undefined: more than 5 % of the samples cannot be made feasible "
                     "at any area in the search bounds" if p95 is None and finished else "")}
