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
from thermosat.studies.uncertainty import (DEFAULT_INPUTS, apply_inputs, empirical_p95,
                                           rank_inputs, sample_inputs)

__all__ = ["inputs_for", "margin_of", "area_slope", "area_from_margin", "sample_margin",
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


def surrogate_study(sizing, demand_w: float, n_samples: int = 64, *, seed: int = 0,
                    n_check: int = 1, inputs=DEFAULT_INPUTS, progress=None) -> dict:
    """The main job's uncertainty study of one tier's chosen design (see the module
    docstring): ``area_p95_m2``, ``uncertainty_samples``, the samples, the ranking of the
    inputs, the in-run check and the cost. ``progress()`` after each coupled solve."""
    from thermosat.satellite.placement import vary_of
    from thermosat.studies.sizing import size_design

    t0 = time.perf_counter()
    d0 = sizing.design
    used = inputs_for(d0, demand_w, inputs)
    m0 = margin_of(sizing.result)
    k = area_slope(sizing)
    a0 = d0.radiator_area_m2
    rated = d0.package.rated_power_w
    samples = []
    for v in sample_inputs(used, n_samples, seed):
        d, dem = apply_inputs(d0, demand_w, v, used)
        over = rated is not None and dem / d0.n_packages > rated * (1 + 1e-9)
        m = None if over else sample_margin(d, dem, demand_w)
        a = None if m is None else area_from_margin(a0, m0, k, m)
        a = None if a is not None and not math.isfinite(a) else a
        samples.append({"values": v, "feasible": a is not None, "radiator_area_m2": a,
                        "margin_at_sized_area_k": m})
        if progress:
            progress()
    check = []
    bounds = (0.25 * a0, 4.0 * a0)
    for smp in [s for s in samples if s["feasible"]][:n_check]:
        d, dem = apply_inputs(d0, demand_w, smp["values"], used)
        full = size_design(replace(d, cell_area_m2=d.cell_area_m2 * dem / demand_w), dem,
                           vary=vary_of(d0.placement),
                           area_bounds_m2=bounds, initial_area_m2=smp["radiator_area_m2"],
                           initial_cell_area_m2=d0.cell_area_m2 * dem / demand_w)
        a_full = full.design.radiator_area_m2 if full.feasible else None
        check.append({"values": smp["values"], "area_from_slope_m2": smp["radiator_area_m2"],
                      "area_resized_m2": a_full, "resize_solves": len(full.evaluations),
                      "area_error_rel": (smp["radiator_area_m2"] / a_full - 1.0)
                      if a_full else None})
        if progress:
            progress()
    areas = [s["radiator_area_m2"] for s in samples]
    ranking = rank_inputs([{"values": s["values"], "feasible": s["feasible"],
                            "radiator_area_m2": s["radiator_area_m2"]} for s in samples],
                          used)
    return {"method": "each sample solved in full at the sized design; its area from the "
                      "sizing's margin slope in A^(-1/4) (thermosat.studies."
                      "uncertainty_surrogate)",
            "uncertainty_samples": len(samples), "area_nominal_m2": a0,
            "area_p95_m2": empirical_p95(areas), "samples": samples, "check": check,
            "ranking": ranking, "margin0_k": m0, "slope_k": k,
            "inputs": [{"name": i.name, "low": i.low, "high": i.high, "unit": i.unit,
                        "source": i.source} for i in used],
            "coupled_solves": len(samples) + sum(c["resize_solves"] for c in check),
            "time_s": time.perf_counter() - t0}
