"""Uncertainty of the required radiator area in the main job (issue 14 item 3): every sample
solved in full at the sized design, its area from the sizing's own margin–area slope.

A full re-sizing per sample (:mod:`thermosat.studies.uncertainty`, ~6 coupled solves each)
costs ~6 × 64 solves per tier; the main job cannot afford it. Instead:

1. **Margin of each sample, in full.** The worst margin the sizing drives to zero,
   ``m`` = min(junction, boil) (K), is computed for every sample by a coupled steady solve
   at the sized areas with all of the sample's inputs applied together (no model of the
   margin: interactions and non-smooth responses are in it), under the sized design's power
   management (:func:`sample_margin`: compute capped at the demand, the surplus shunted).
2. **Area from margin** (the only approximation). A radiator's temperature goes as
   (Q/A)^(1/4), so the margin is nearly linear in ``s = A^(−1/4)``:
   ``m(A) ≈ m₀ + k (s − s₀)``, with ``k`` the least-squares slope through the sizing's own
   evaluations within a factor 1.5 of the sized area (the root finding's iterates). The
   required area of a sample is where its margin reaches zero: ``A = (s₀ − m/k)^(−4)``.
3. **Check in the run.** ``n_check`` samples are re-sized in full (warm-started from the
   nominal answer) and their areas compared with the slope's: ``check`` gives the relative
   error of each. ``tests/test_uncertainty_surrogate.py`` compares more samples.

Measured (VLEO, 6 Dec): the one-at-a-time quadratic margin model used before missed full
solves by up to 2.8 K, because the response to β was not quadratic (margin −5.7 K at 45°,
−8.8 K at 60°, −9.2 K at 81°, −7.1 K at 90°): with the cells fixed at their sized area, a
panel that runs cooler at high β made more power and the chips burned all of it, above the
demand they were sized for. Solving every sample, with compute capped at the demand,
removes both errors.

**Engine.** Samples (and the check) run on the Dask engine of the sweeps
(:func:`thermosat.studies.sweep.run._connect`): a ``LocalCluster`` of single-threaded worker
processes by default (both cores of this machine: a 64-sample tier in about half the serial
time), or a running scheduler's address. With ``store_dir`` every finished sample and check
is written at once to ``store_dir/points/<id>.json``
(:class:`thermosat.studies.sweep.store.SweepStore`); the id hashes the sized design, the
demand, the inputs' ranges and the sample's values, so an interrupted study resumes with
only what is missing and a changed design never reuses a stale sample. ``workers=0`` runs in
this process without Dask (same results, one sample after the other).

Samples are a Latin hypercube (:func:`thermosat.studies.uncertainty.sample_inputs`) over
:data:`thermosat.studies.uncertainty.DEFAULT_INPUTS`; a sample whose chips would run above
their rating is infeasible (no area fixes it), so the chip-power factor's upper end is
capped at n_chips × rating / demand (:func:`inputs_for`; 1.0 where the demand already puts
the chips at their rating): a chip draws at most its rating.
"""
from __future__ import annotations

import math
import os
import socket
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from thermosat.common.errors import one_line
from thermosat.satellite.satellite import Satellite
from thermosat.studies.engine import InProcess, run_jobs
from thermosat.studies.uncertainty import (DEFAULT_INPUTS, apply_inputs,
                                           design_fingerprint, empirical_p95, rank_inputs,
                                           sample_inputs)

__all__ = ["inputs_for", "margin_of", "area_slope", "area_from_margin", "sample_margin",
           "margin_task", "check_task", "surrogate_study"]


def inputs_for(design, demand_w: float, inputs=DEFAULT_INPUTS):
    """``inputs`` with the chip-power factor's upper end capped where it would run the chips
    above their rating: a chip draws at most its rating (its power management caps it), so
    the factor spans up to ``n_chips × rating / demand`` (1.0 when the demand already puts
    the chips at their rating; 1.027 for 30 kW on 22 chips of 1.4 kW). Above it every
    sample would be infeasible by construction, which is not an uncertainty of the design."""
    rated = design.package.rated_power_w
    out = []
    for i in inputs:
        if i.name == "chip_power_factor" and rated is not None and demand_w > 0:
            top = design.n_packages * rated / demand_w
            if top < i.high:
                top = 1.0 if top < 1.0 + 2e-3 else top
                i = replace(i, high=max(top, i.low),
                            source=i.source + f"; capped at {top:.3f}: a chip draws at most "
                            "its rating")
        out.append(i)
    return out


def margin_of(res) -> float:
    """min(junction, boil) margin (K) of a steady result, as the sizing drives it."""
    t, lim = res.temperatures, res.limits
    return min(lim["junction_limit_k"] - t["junction_max_k"],
               lim["coolant_boil_k"] - lim["required_coolant_margin_k"] - t["coolant_max_k"])


def area_slope(sizing) -> float:
    """dm/ds (K per m^(−1/4)), s = A^(−1/4), least squares over the sizing's evaluations within
    a factor 1.5 of the sized area (at least the two nearest)."""
    a0 = sizing.design.radiator_area_m2
    ev = [(r["radiator_area_m2"], min(r["margin_junction"], r["margin_coolant_boil"]))
          for r in sizing.evaluations if r["radiator_area_m2"] > 0]
    near = [e for e in ev if 1 / 1.5 <= e[0] / a0 <= 1.5]
    if len({e[0] for e in near}) < 2:
        near = sorted(ev, key=lambda e: abs(math.log(e[0] / a0)))[:2]
    s = np.array([e[0] ** -0.25 for e in near])
    m = np.array([e[1] for e in near])
    k = float(np.polyfit(s, m, 1)[0])
    if not k < 0:
        raise ValueError(f"sizing evaluations give a non-negative margin slope {k:.3g}: the "
                         "margin must fall as the area falls")
    return k


def area_from_margin(area0_m2: float, margin0_k: float, slope_k: float,
                     margin_k: float) -> float:
    """Required radiator area (m²) of a design whose margin at the sized area ``area0_m2``
    is ``margin_k`` (K), on the line ``m = m₀ + k (A^(−1/4) − A₀^(−1/4))`` through the
    sized point (``margin0_k``); inf when no area reaches a zero margin."""
    s = area0_m2 ** -0.25 - (margin_k - margin0_k) / slope_k
    return s ** -4 if s > 0 else float("inf")


def sample_margin(design, demand_w: float, base_demand_w: float,
                  demand_rtol: float = 2e-3) -> float:
    """Margin (K) of one sample's design at the sized areas (one or two coupled steady solves).

    The sample runs the sized design's power management: the chips take at most the
    sample's demand (a panel that makes more, e.g. cooler at high β, shunts the surplus
    instead of overdriving the chips); the cells start scaled with the demand and, if they
    then deliver less than the demand (by more than ``demand_rtol``), are enlarged by
    demand / delivered once more, as the sizing would.
    """
    def solve(cells_m2: float):
        sat = Satellite(replace(design, cell_area_m2=cells_m2))
        sat.rated_compute_w = demand_w
        return sat.solve_steady()

    cells = design.cell_area_m2 * demand_w / base_demand_w
    res = solve(cells)
    got = res.power["compute_w"]
    if 0.0 < got < demand_w * (1.0 - demand_rtol):
        res = solve(cells * demand_w / got)
    return margin_of(res)


def margin_task(design, demand_w: float, base_demand_w: float, values: dict, inputs) -> dict:
    """One sample (runs on a worker; never raises): ``outputs`` = ``margin_k`` (K, None when
    the sample's chips would run above their rating: infeasible at any area) and the
    sample's demand (W)."""
    t0 = time.perf_counter()
    out: dict = {"worker": f"{socket.gethostname()}:{os.getpid()}"}
    try:
        d, dem = apply_inputs(design, demand_w, values, inputs)
        rated = design.package.rated_power_w
        over = rated is not None and dem / design.n_packages > rated * (1 + 1e-9)
        m = None if over else sample_margin(d, dem, base_demand_w)
        out.update(status="done", outputs={"margin_k": m, "demand_w": float(dem),
                                           "over_rating": bool(over)})
    except Exception as err:  # one failing sample must not stop the study
        out.update(status="failed", error=one_line(err), error_type=type(err).__name__)
    out["wall_s"] = time.perf_counter() - t0
    return out


def check_task(design, demand_w: float, values: dict, inputs, area_guess_m2: float) -> dict:
    """Re-size one sample in full (runs on a worker; never raises), warm-started at the area
    the slope gives it: ``outputs`` = ``area_resized_m2`` (None: infeasible) and
    ``resize_solves``."""
    from thermosat.satellite.placement import vary_of
    from thermosat.studies.sizing import size_design

    t0 = time.perf_counter()
    out: dict = {"worker": f"{socket.gethostname()}:{os.getpid()}"}
    try:
        d, dem = apply_inputs(design, demand_w, values, inputs)
        a0 = design.radiator_area_m2
        full = size_design(replace(d, cell_area_m2=d.cell_area_m2 * dem / demand_w), dem,
                           vary=vary_of(design.placement), area_bounds_m2=(0.25 * a0, 4.0 * a0),
                           initial_area_m2=area_guess_m2,
                           initial_cell_area_m2=design.cell_area_m2 * dem / demand_w)
        out.update(status="done", outputs={
            "area_resized_m2": float(full.design.radiator_area_m2) if full.feasible else None,
            "resize_solves": len(full.evaluations)})
    except Exception as err:
        out.update(status="failed", error=one_line(err), error_type=type(err).__name__)
    out["wall_s"] = time.perf_counter() - t0
    return out


def surrogate_study(sizing, demand_w: float, n_samples: int = 64, *, seed: int = 0,
                    n_check: int = 1, inputs=DEFAULT_INPUTS, progress=None,
                    store_dir=None, client=None, scheduler: str | None = None,
                    workers: int | None = None) -> dict:
    """The main job's uncertainty study of one tier's chosen design (see the module
    docstring): ``area_p95_m2``, ``uncertainty_samples``, the samples, the ranking of the
    inputs, the in-run check, the engine and the cost. ``progress()`` after each finished
    sample or check (also those read back from ``store_dir``).

    client / scheduler / workers : an existing ``distributed.Client``; else a scheduler
        address; else a ``LocalCluster`` of ``workers`` processes (None: one per core);
        ``workers=0``: in this process, no Dask.
    store_dir : folder of the finished samples (resume); None: kept in memory only.
    """
    from thermosat.studies.sweep.run import _close, _connect
    from thermosat.studies.sweep.store import SweepStore, point_id

    t0 = time.perf_counter()
    d0 = sizing.design
    used = inputs_for(d0, demand_w, inputs)
    m0 = margin_of(sizing.result)
    k = area_slope(sizing)
    a0 = d0.radiator_area_m2
    fp = design_fingerprint(d0, demand_w, {"study": "uncertainty_surrogate/1",
                                           "inputs": [(i.name, i.low, i.high) for i in used]})
    plan = [{"point_id": point_id(fp, v, "surrogate"), "values": v}
            for v in sample_inputs(used, n_samples, seed)]
    store = SweepStore(Path(store_dir)) if store_dir is not None else None
    # a failed sample is not a result (a lost worker, a broken install): computed again
    records = ({pid: r for pid, r in store.finished().items() if r.get("status") == "done"}
               if store is not None else {})
    n_stored = sum(1 for p in plan if p["point_id"] in records)

    def area_of(rec):
        m = (rec.get("outputs") or {}).get("margin_k") if rec.get("status") == "done" else None
        a = None if m is None else area_from_margin(a0, m0, k, m)
        return a if a is not None and math.isfinite(a) else None

    def check_id(pid):
        return point_id(fp, {"check_of": pid}, "surrogate-check")

    def keep(pid, role, values, res):
        rec = {"point_id": pid, "mode": "uncertainty_surrogate", "role": role,
               "base_fingerprint": fp, "values": values, **res}
        records[pid] = rec
        if store is not None:
            store.write_point(rec)
        if progress:
            progress()

    def checks_due():
        """Checks of the first ``n_check`` feasible samples in plan order, as soon as every
        sample before them has finished (deterministic whatever order samples end in)."""
        due, found = [], 0
        for p in plan:
            rec = records.get(p["point_id"])
            if rec is None or found >= n_check:
                break
            a = area_of(rec)
            if a is None:
                continue
            found += 1
            cid = check_id(p["point_id"])
            if cid not in records and cid not in submitted:
                submitted.add(cid)
                due.append((cid, check_task, (d0, demand_w, p["values"], used, a)))
        return due

    submitted: set[str] = set()
    by_key = {p["point_id"]: p for p in plan}
    check_of = {check_id(p["point_id"]): p["values"] for p in plan}

    def done(key, res):
        if key in by_key:
            keep(key, "sample", by_key[key]["values"], res)
        else:
            keep(key, "check", check_of[key], res)
        return checks_due()

    n_checks_stored = sum(1 for cid in check_of if cid in records)
    for _ in range(n_stored + n_checks_stored):
        if progress:
            progress()
    jobs = [(p["point_id"], margin_task, (d0, demand_w, demand_w, p["values"], used))
            for p in plan if p["point_id"] not in records]
    jobs += checks_due()
    engine = "this process (no Dask)"
    own, cluster = client is None, None
    if jobs:
        try:
            if workers == 0 and scheduler is None and client is None:
                client = InProcess()
            elif own:
                client, cluster = _connect(scheduler, workers, True)
            if not isinstance(client, InProcess):
                engine = (f"dask: {len(client.nthreads())} worker(s) at "
                          f"{client.scheduler.address}")
                if len(jobs) > 1:  # the design once to every worker, not once per sample
                    d_fut = client.scatter(d0, broadcast=True)
                    jobs = [(key, fn, (d_fut,) + args[1:]) for key, fn, args in jobs]
            run_jobs(client, jobs, done)
        finally:
            if own and not isinstance(client, InProcess):
                _close(client, cluster)
    samples, solves = [], 0
    for p in plan:
        rec = records[p["point_id"]]
        out = rec.get("outputs") or {}
        a = area_of(rec)
        samples.append({"values": p["values"], "feasible": a is not None,
                        "radiator_area_m2": a, "margin_at_sized_area_k": out.get("margin_k"),
                        "status": rec.get("status"), "error": rec.get("error"),
                        "wall_s": rec.get("wall_s"), "worker": rec.get("worker")})
        solves += rec.get("status") == "done" and not out.get("over_rating")
    check = []
    for p, smp in zip(plan, samples):
        rec = records.get(check_id(p["point_id"]))
        if rec is None:
            continue
        out = rec.get("outputs") or {}
        a_full = out.get("area_resized_m2")
        check.append({"values": p["values"], "area_from_slope_m2": smp["radiator_area_m2"],
                      "area_resized_m2": a_full, "resize_solves": out.get("resize_solves", 0),
                      "error": rec.get("error"),
                      "area_error_rel": (smp["radiator_area_m2"] / a_full - 1.0)
                      if a_full else None})
        solves += out.get("resize_solves", 0)
    failed = [s for s in samples if s["status"] != "done"]
    areas = [s["radiator_area_m2"] for s in samples]
    ranking = rank_inputs([{"values": s["values"], "feasible": s["feasible"],
                            "radiator_area_m2": s["radiator_area_m2"]}
                           for s in samples if s["status"] == "done"], used)
    return {"method": "each sample solved in full at the sized design; its area from the "
                      "sizing's margin slope in A^(-1/4) (thermosat.studies."
                      "uncertainty_surrogate)",
            "engine": engine, "uncertainty_samples": len(samples), "area_nominal_m2": a0,
            "area_p95_m2": empirical_p95(areas), "samples": samples, "check": check,
            "ranking": ranking, "margin0_k": m0, "slope_k": k,
            "inputs": [{"name": i.name, "low": i.low, "high": i.high, "unit": i.unit,
                        "source": i.source} for i in used],
            "failed": len(failed), "errors": [s["error"] for s in failed][:3],
            "resumed": n_stored,
            "store": str(store.root) if store is not None else None,
            "coupled_solves": solves, "time_s": time.perf_counter() - t0}
