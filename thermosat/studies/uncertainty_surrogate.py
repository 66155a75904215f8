"""Uncertainty of the required radiator area in the main job (issue 14 item 3): a surrogate
built from coupled solves at the sized design, checked against full solves in the run.

A full re-sizing per sample (:mod:`thermosat.studies.uncertainty`, ~6 coupled solves each)
costs ~6 × 64 solves per tier; the main job cannot afford it. Instead:

1. **Margin model.** The worst margin the sizing drives to zero, ``m`` = min(junction, boil)
   (K), is modelled at the sized areas as the nominal margin plus one-at-a-time effects,
   ``m(x) = m₀ + Σᵢ gᵢ(xᵢ)``, each ``gᵢ`` the quadratic through the nominal point and two
   coupled solves with input ``i`` moved alone (to both ends of its range, or to the middle
   and the far end when the nominal sits at an end). Interactions between inputs are left out;
   an input that does not change the design (a coating without end-of-life data) costs no
   solve and has ``gᵢ = 0``.
2. **Area from margin.** A radiator's temperature goes as (Q/A)^(1/4), so the margin is
   nearly linear in ``s = A^(−1/4)``: ``m(A) ≈ m₀ + k (s − s₀)``, with ``k`` the
   least-squares slope through the sizing's own evaluations within a factor 1.5 of the sized
   area (the root finding's iterates). The required area of a sample is where its margin
   reaches zero: ``A = (s₀ − m(x)/k)^(−4)``.
3. **Check in the run.** ``n_check`` samples are solved in full (one coupled solve each, all
   inputs applied together, at the sized areas) and their margins compared with the model's:
   ``check`` gives the error of each (K). ``tests/test_uncertainty_surrogate.py`` compares the
   surrogate's area with full re-sizings.

Samples are a Latin hypercube (:func:`thermosat.studies.uncertainty.sample_inputs`) over
:data:`thermosat.studies.uncertainty.DEFAULT_INPUTS`; a sample whose chips would run above
their rating is infeasible (no area fixes it), so where the demand already puts the chips
at their rating the chip-power factor spans 0.9–1.0 (a chip draws at most its rating).
"""
from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np

from thermosat.satellite.satellite import Satellite
from thermosat.studies.uncertainty import (DEFAULT_INPUTS, apply_inputs, design_fingerprint,
                                           empirical_p95, rank_inputs, sample_inputs)

__all__ = ["inputs_for", "margin_of", "area_slope", "build_surrogate", "surrogate_area",
           "surrogate_margin",
           "surrogate_study"]


def inputs_for(design, demand_w: float, inputs=DEFAULT_INPUTS):
    """``inputs`` with the chip-power factor capped at 1 when the demand already runs the
    chips at their rating (above it every sample would be infeasible by construction)."""
    rated = design.package.rated_power_w
    out = []
    for i in inputs:
        if (i.name == "chip_power_factor" and rated is not None
                and demand_w >= design.n_packages * rated * (1 - 2e-3)):
            i = replace(i, high=1.0, source=i.source + "; capped at 1.0: the chips already "
                        "run at their rating")
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


def _solve_margin(design, demand_w, base_demand_w):
    d = replace(design, cell_area_m2=design.cell_area_m2 * demand_w / base_demand_w)
    return margin_of(Satellite(d).solve_steady())


def build_surrogate(sizing, demand_w: float, inputs, progress=None) -> dict:
    """The one-at-a-time quadratic margin model at ``sizing``'s design (see the module
    docstring); ``progress()`` after each coupled solve."""
    d0 = sizing.design
    m0 = margin_of(sizing.result)
    fp0 = design_fingerprint(d0, demand_w)
    terms = []
    for inp in inputs:
        x0 = float(inp.nominal(d0)) if inp.nominal else 0.5 * (inp.low + inp.high)
        x0 = min(max(x0, inp.low), inp.high)
        span = inp.high - inp.low
        if x0 - inp.low <= 1e-9 * span:
            nodes = (0.5 * (inp.low + inp.high), inp.high)
        elif inp.high - x0 <= 1e-9 * span:
            nodes = (0.5 * (inp.low + inp.high), inp.low)
        else:
            nodes = (inp.low, inp.high)
        vals = []
        for v in nodes:
            d, dem = apply_inputs(d0, demand_w, {inp.name: v}, [inp])
            if design_fingerprint(d, dem) == fp0:
                vals = None
                break
            vals.append(_solve_margin(d, dem, demand_w) - m0)
            if progress:
                progress()
        if vals is None:
            coef = (0.0, 0.0, 0.0)
        else:
            coef = tuple(np.polyfit([x0, *nodes], [0.0, *vals], 2))
        terms.append({"input": inp.name, "nominal": x0, "nodes": list(nodes),
                      "delta_margin_k": vals, "coef": coef})
    return {"m0_k": m0, "slope_k": area_slope(sizing), "area0_m2": d0.radiator_area_m2,
            "terms": terms}


def surrogate_margin(model: dict, values: dict) -> float:
    m = model["m0_k"]
    for t in model["terms"]:
        if t["input"] in values:
            m += float(np.polyval(t["coef"], values[t["input"]]))
    return m


def surrogate_area(model: dict, values: dict) -> float:
    """Required radiator area (m²) of a sample from the margin model."""
    s0 = model["area0_m2"] ** -0.25
    s = s0 - surrogate_margin(model, values) / model["slope_k"]
    return s ** -4 if s > 0 else float("inf")


def surrogate_study(sizing, demand_w: float, n_samples: int = 64, *, seed: int = 0,
                    n_check: int = 2, inputs=DEFAULT_INPUTS, progress=None) -> dict:
    """The main job's uncertainty study of one tier's chosen design (see the module
    docstring): ``area_p95_m2``, ``uncertainty_samples``, the samples, the ranking of the
    inputs, the in-run check and the cost."""
    t0 = time.perf_counter()
    d0 = sizing.design
    used = inputs_for(d0, demand_w, inputs)
    model = build_surrogate(sizing, demand_w, used, progress)
    rated = d0.package.rated_power_w
    samples = []
    for v in sample_inputs(used, n_samples, seed):
        _, dem = apply_inputs(d0, demand_w, v, used)
        over = rated is not None and dem / d0.n_packages > rated * (1 + 1e-9)
        a = None if over else surrogate_area(model, v)
        a = None if a is not None and not math.isfinite(a) else a
        samples.append({"values": v, "feasible": a is not None, "radiator_area_m2": a,
                        "margin_at_sized_area_k": surrogate_margin(model, v)})
    check = []
    for smp in samples[:n_check]:
        d, dem = apply_inputs(d0, demand_w, smp["values"], used)
        full = _solve_margin(d, dem, demand_w)
        check.append({"values": smp["values"], "margin_full_k": full,
                      "margin_surrogate_k": smp["margin_at_sized_area_k"],
                      "margin_error_k": smp["margin_at_sized_area_k"] - full,
                      "area_from_full_margin_m2": (model["area0_m2"] ** -0.25
                                                   - full / model["slope_k"]) ** -4})
        if progress:
            progress()
    areas = [s["radiator_area_m2"] for s in samples]
    ranking = rank_inputs([{"values": s["values"], "feasible": s["feasible"],
                            "radiator_area_m2": s["radiator_area_m2"]} for s in samples],
                          used)
    return {"method": "one-at-a-time quadratic margin surrogate at the sized design, area from "
                      "the sizing's margin slope in A^(-1/4) (thermosat.studies."
                      "uncertainty_surrogate)",
            "uncertainty_samples": len(samples), "area_nominal_m2": d0.radiator_area_m2,
            "area_p95_m2": empirical_p95(areas), "samples": samples, "check": check,
            "ranking": ranking, "model": model,
            "inputs": [{"name": i.name, "low": i.low, "high": i.high, "unit": i.unit,
                        "source": i.source} for i in used],
            "coupled_solves": sum(len(t["delta_margin_k"] or []) for t in model["terms"])
            + len(check), "time_s": time.perf_counter() - t0}
