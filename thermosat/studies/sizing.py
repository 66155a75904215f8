"""Radiator sizing on the full coupled satellite model.

For a tier and a compute demand: the cell area that makes the demand at the cells' operating
temperature, then the smallest radiator area for which every constraint holds — junction at
or below its limit, coolant above freezing plus margin and below boiling minus margin, cells
below their maximum. A lumped radiator balance seeds the root finding; every evaluation is a
full coupled steady solve. When no area works, the result says which limit fails and by how
much (it never returns an area that does not work).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np

from thermosat.common.errors import PhysicsLimitError
from thermosat.common.constants import SIGMA
from thermosat.physics.earth_view import edge_on_view_factor
from thermosat.physics.package import hand_resistance
from thermosat.satellite.satellite import Satellite, SatelliteDesign, SatelliteResult

__all__ = ["SizingResult", "size_design", "constraint_margins", "mass_budget",
           "lumped_radiator_area", "junction_floor_k", "size_case"]


def constraint_margins(design: SatelliteDesign, res: SatelliteResult) -> dict[str, float]:
    """Margin of every constraint (K, positive = satisfied)."""
    t, lim = res.temperatures, res.limits
    m = design.loop.freeze_margin_k
    return {
        "junction": lim["junction_limit_k"] - t["junction_max_k"],
        "coolant_freeze": t["coolant_min_k"] - (lim["coolant_freeze_k"] + m),
        "coolant_boil": (lim["coolant_boil_k"] - m) - t["coolant_max_k"],
        "cells": lim["cell_limit_k"] - t["cell_max_k"],
    }


def lumped_radiator_area(design: SatelliteDesign, heat_w: float) -> float:
    """Lumped estimate (m²) of the two-sided edge-on radiator that rejects ``heat_w`` (W).

    Radiator at the junction limit less the package's 1D resistance drop and 10 K of loop
    and fin losses; absorbed Earth IR and albedo on both faces from the edge-on view factor.
    """
    pk = design.package
    per_chip = heat_w / design.n_packages
    r_jf = hand_resistance(pk)["R_jf"]
    t_rad = pk.t_junction_max_k - per_chip * r_jf - 10.0
    eps, alpha = design.wing_coating.epsilon, design.wing_coating.alpha
    f = float(edge_on_view_factor(design.orbit.altitude_m))
    q_abs = 2 * f * (eps * design.earth_ir_w_m2 + alpha * design.albedo
                     * design.solar_constant_w_m2)
    net = 2 * eps * SIGMA * max(t_rad, 150.0) ** 4 - q_abs
    return heat_w / max(net, 1.0)


def junction_floor_k(sat: Satellite, demand_w: float) -> dict[str, float]:
    """Lower bound (K) on the max junction temperature at infinite radiator area.

    An infinitely large radiator tends to the temperature at which it re-emits only what it
    absorbs from the environment (both faces); the coolant cannot get colder than the coldest
    radiator section, and each chip adds at least P·R_jf (1D hand resistance, mean
    junction) above it.
    """
    d = sat.design
    floors = []
    for w in sat.wings:
        c = d.wing_coating
        q = sum(sat.wing_fluxes.absorbed(f, c.alpha, c.epsilon)(0.0) for f in ("front", "back"))
        floors.append((q / (2 * c.epsilon * SIGMA)) ** 0.25)
    if "radiator" in sat.panel.spec.regions:
        fc, bc = sat.panel.spec.front_coating("radiator"), sat.panel.spec.back_coating("radiator")
        q = (sat.panel_fluxes.absorbed("front", fc.alpha, fc.epsilon)(0.0)
             + sat.panel_fluxes.absorbed("back", bc.alpha, bc.epsilon)(0.0))
        floors.append((q / ((fc.epsilon + bc.epsilon) * SIGMA)) ** 0.25)
    t_floor = min(floors)
    p_chip = demand_w / d.n_packages
    r_jf = hand_resistance(d.package)["R_jf"]
    return {"radiator_floor_k": t_floor, "chip_power_w": p_chip, "r_jf_k_w": r_jf,
            "chain_k": p_chip * r_jf, "junction_floor_k": t_floor + p_chip * r_jf}


def mass_budget(design: SatelliteDesign, sat: Satellite) -> dict[str, float]:
    """Thermal/power subsystem mass (kg) from areal densities and the built geometry."""
    panel_area = design.cell_area_m2 + design.panel_radiator_area_m2
    panel = panel_area * sum(layer.areal_mass_kg_m2 for layer in design.layers)
    # the wing construction preset's areal mass (face sheets, core, adhesive, coating,
    # closeouts) when the design has one, else its layers'
    wing_areal = (design.wing_areal_mass_kg_m2 if design.wing_areal_mass_kg_m2 is not None
                  else sum(layer.areal_mass_kg_m2 for layer in design.wing_layers))
    wings = design.wing_area_m2 * wing_areal
    loop = sat.loop
    fl = loop.fluid
    d_in = design.loop.pipe_inner_diameter_m
    length = float(loop.edge_length.sum())
    wall = 0.5e-3  # aluminium tube wall (m), assumption
    tube = length * np.pi * (d_in + wall) * wall * 2700.0
    coolant = length * np.pi * d_in**2 / 4 * float(fl.density(loop.fluid.T_min + 0.5 * (
        fl.T_max - fl.T_min)))
    pk = design.package
    per = sum(b.density_kg_m3 * b.volume_m3 for b in (pk.die, pk.lid, pk.cold_plate)
              if b is not None)
    packages = design.n_packages * per
    # placement (issue 14): hinges of deployed wings, the radiator boom
    from thermosat.satellite.placement import placement_mass

    pm = placement_mass(design)
    total = panel + wings + tube + coolant + packages + pm["hinges_kg"] + pm["boom_kg"]
    return {"panel_kg": panel, "wings_kg": wings, "tubing_kg": tube, "coolant_kg": coolant,
            "packages_kg": packages, **pm, "total_kg": total}


@dataclass
class SizingResult:
    """Outcome of a sizing: the design that meets every limit, or why none does."""

    feasible: bool
    design: SatelliteDesign
    result: SatelliteResult | None
    satellite: Satellite | None
    binding_constraint: str
    margins: dict[str, float]
    evaluations: list[dict] = field(default_factory=list)
    message: str = ""
    time_s: float = 0.0
    mass: dict = field(default_factory=dict)

    def release(self) -> "SizingResult":
        """Drop the solved satellite and its result (model, matrices, factorisations: the
        bulk of a sizing's memory, ~0.5–1 GB on a sized tier); design, margins, evaluations
        and mass stay. For sizings a study has read and will not solve from again."""
        self.satellite = None
        self.result = None
        return self


def _evaluate(design: SatelliteDesign, log: list, progress=None):
    sat = Satellite(design)
    res = sat.solve_steady()
    margins = constraint_margins(design, res)
    row = {"cell_area_m2": design.cell_area_m2, "radiator_area_m2": design.radiator_area_m2,
           "compute_w": res.power["compute_w"], **{f"margin_{k}": v for k, v in margins.items()},
           **res.temperatures}
    log.append(row)
    if progress:
        progress(row)
    return sat, res, margins


def _set_area(design: SatelliteDesign, vary: str, area: float) -> SatelliteDesign:
    key = "wing_area_m2" if vary == "wings" else "panel_radiator_area_m2"
    return replace(design, **{key: area})


def size_design(design: SatelliteDesign, demand_w: float, *, vary: str = "wings",
                area_bounds_m2: tuple[float, float] = (1.0, 5000.0), area_rtol: float = 1e-2,
                margin_tol_k: float = 0.05, max_evaluations: int = 14,
                demand_rtol: float = 2e-3, progress=None,
                initial_area_m2: float | None = None,
                initial_cell_area_m2: float | None = None) -> SizingResult:
    """Size cells and radiator of ``design`` for ``demand_w`` (W) of compute.

    Every evaluation is a full coupled steady solve. The cell area is rescaled after each
    one by demand / delivered compute (the compute depends on the radiator area only through
    the pump and a little lateral conduction, so this converges alongside). The radiator
    area (``vary`` = ``wings`` or ``panel_radiator``) is found by a safeguarded secant, then
    Illinois regula falsi once bracketed, on log(area) for the worst margin of the
    constraints that improve with area (junction, boiling); the constraint that worsens with
    area (freezing) is checked at the result. Stops when the feasible side is within
    ``margin_tol_k`` of its limit or the bracket is narrower than ``area_rtol``. The answer
    delivers the demand to ``demand_rtol`` (relative).

    ``initial_area_m2`` / ``initial_cell_area_m2`` warm-start the search (e.g. from a nominal
    sizing, for an uncertainty study); by default the lumped estimate and the cell area that
    makes the demand at the reference efficiency less 25 K seed it. The stopping criteria
    are the same either way.
    """
    t0 = time.perf_counter()
    log: list[dict] = []
    lo_b, hi_b = area_bounds_m2
    increasing = ("junction", "coolant_boil")   # margins that grow with area
    g = design.solar_constant_w_m2
    eta = float(design.cell.efficiency(design.cell.t_ref_k + 25.0))
    state = {"cells": initial_cell_area_m2 if initial_cell_area_m2 else demand_w / (
        (1 - design.distribution_loss_fraction) * eta * design.packing * g)}
    # (area, margin, satellite, result, margins, design) per solve; the satellite and result
    # of a solve no selection rule below can pick are released (each holds a solved model)
    evals: list[tuple] = []
    meets: list[bool] = []  # per solve: it delivers the demand within the chips' rating

    def release_unpickable() -> None:
        idx = range(len(evals))
        keep = {len(evals) - 1, max(idx, key=lambda i: evals[i][1])}
        for demand_only in (True, False):
            cand = [i for i in idx if evals[i][1] >= 0 and (meets[i] or not demand_only)]
            if cand:
                keep.add(min(cand, key=lambda i: evals[i][0]))
        for i in idx:
            if i not in keep and evals[i][2] is not None:
                a_i, f_i, _s, _r, mm_i, dd_i = evals[i]
                evals[i] = (a_i, f_i, None, None, mm_i, dd_i)
    # a chip is never run above its rating (issue 12): when the demand puts the chips at
    # their rating, the cells aim half the demand tolerance below it so that an answer
    # within the tolerance cannot overdrive them
    n_chips, rated = design.n_packages, design.package.rated_power_w
    target = demand_w
    if rated is not None and demand_w >= n_chips * rated * (1.0 - demand_rtol):
        target = min(demand_w, n_chips * rated) * (1.0 - 0.5 * demand_rtol)

    def at(area: float):
        dd = _set_area(replace(design, cell_area_m2=state["cells"]), vary, area)
        s, r, mm = _evaluate(dd, log, progress)
        if not r.power["compute_w"] > 0:  # rescaling the cells by demand / 0 would explode
            raise PhysicsLimitError(
                f"sizing: the design point delivers no compute power (PV {r.power['pv_w']:.0f} W"
                f" less losses does not cover the pump's {r.power['pump_w']:.0f} W"
                + ("; the steady point is in eclipse" if r.power["pv_w"] <= 0 else "")
                + "): a design point in sunlight with PV above the pump power is required")
        state["cells"] *= target / r.power["compute_w"]
        f = min(mm[k] for k in increasing)
        evals.append((area, f, s, r, mm, dd))
        meets.append(abs(r.power["compute_w"] / demand_w - 1.0) <= demand_rtol
                     and "chip_power" not in r.limits["violations"])
        release_unpickable()
        return f, mm

    a0 = initial_area_m2 if initial_area_m2 else lumped_radiator_area(design, demand_w * 1.05)
    x = math.log(float(np.clip(a0, lo_b, hi_b)))
    f, m = at(math.exp(x))
    if rated is not None and demand_w / n_chips > rated:
        a, _, s_, r_, mm, dd = evals[-1]
        return _infeasible(dd, r_, s_, "chip_power", mm, log, t0,
                           f"chip_power limit: {demand_w:.0f} W over {n_chips} chips is "
                           f"{demand_w / n_chips:.0f} W per chip, above the package's rating "
                           f"{rated:.0f} W (by {demand_w / n_chips - rated:.0f} W): no radiator "
                           f"area fixes it; use ≥ {math.ceil(demand_w / rated - 1e-9)} chips or "
                           f"≤ {n_chips * rated:.0f} W of compute")
    floor = junction_floor_k(evals[-1][2], demand_w)
    if floor["junction_floor_k"] > design.package.t_junction_max_k:
        a, _, s_, r_, mm, dd = evals[-1]
        return _infeasible(dd, r_, s_, "junction", mm, log, t0,
                           f"junction limit {design.package.t_junction_max_k:.1f} K cannot be met "
                           f"at any radiator area: even an infinite radiator stays at "
                           f"{floor['radiator_floor_k']:.1f} K (its absorbed environment flux "
                           f"alone), and {floor['chip_power_w']:.0f} W per chip through "
                           f"{floor['r_jf_k_w']:.4f} K/W adds {floor['chain_k']:.1f} K: junction "
                           f"≥ {floor['junction_floor_k']:.1f} K")
    if m["cells"] < 0:
        a, _, s, r, mm, dd = evals[-1]
        return _infeasible(dd, r, s, "cells", mm, log, t0,
                           f"cells run {-mm['cells']:.1f} K above their limit whatever the "
                           f"radiator area (the panel's own balance sets them)")
    lo = hi = None  # (x, f) with f < 0 / f >= 0
    prev = None
    side = 0
    while len(evals) < max_evaluations:
        if f >= 0:
            hi = (x, f) if hi is None or x < hi[0] else hi
        else:
            lo = (x, f) if lo is None or x > lo[0] else lo
        if hi is not None and (hi[1] <= margin_tol_k or (
                lo is not None and hi[0] - lo[0] <= area_rtol)):
            break
        if hi is None and x >= math.log(hi_b) or lo is None and x <= math.log(lo_b):
            break
        if lo is not None and hi is not None:  # Illinois regula falsi in the bracket
            fl = lo[1] * (0.5 if side == 1 else 1.0)
            fh = hi[1] * (0.5 if side == -1 else 1.0)
            xn = hi[0] - fh * (hi[0] - lo[0]) / (fh - fl)
            xn = min(max(xn, lo[0] + 0.05 * (hi[0] - lo[0])), hi[0] - 0.05 * (hi[0] - lo[0]))
        elif prev is not None and prev[1] != f:  # secant towards the root
            xn = x - f * (x - prev[0]) / (f - prev[1])
            xn = min(max(xn, x - math.log(3.0)), x + math.log(3.0))
        else:
            xn = x + (math.log(1.4) if f < 0 else -math.log(1.4))
        xn = min(max(xn, math.log(lo_b)), math.log(hi_b))
        prev = (x, f)
        fn, m = at(math.exp(xn))
        side = 1 if fn >= 0 else -1
        x, f = xn, fn
    # the answer must deliver the demand: the cell area is updated after every solve, so
    # the smallest feasible area is re-solved with the converged cell area if needed
    if any(e[1] >= 0 for e in evals) and not any(e[1] >= 0 and ok
                                                 for e, ok in zip(evals, meets)):
        a_try = min(e[0] for e in evals if e[1] >= 0)
        for _ in range(4):
            f_try, _m = at(a_try)
            if f_try >= 0 and meets[-1]:
                break
            if f_try < 0:
                a_try *= 1.0 + max(area_rtol, 0.005)
    feasible = [e for e, ok in zip(evals, meets) if e[1] >= 0 and ok] or [
        e for e in evals if e[1] >= 0]
    if not feasible:
        a, fbest, s, r, mm, dd = max(evals, key=lambda e: e[1])
        k = min(increasing, key=lambda c: mm[c])
        return _infeasible(dd, r, s, k, mm, log, t0, _not_met_message(evals, k, mm, a, hi_b))
    a, fbest, s, r, mm, dd = min(feasible, key=lambda e: e[0])
    if "chip_power" in r.limits["violations"]:
        return _infeasible(dd, r, s, "chip_power", mm, log, t0,
                           f"chip_power limit: {r.limits['chip_power_w']:.0f} W per chip is "
                           f"above the rating {r.limits['chip_rated_power_w']:.0f} W")
    if mm["coolant_freeze"] < 0:
        return _infeasible(dd, r, s, "coolant_freeze", mm, log, t0,
                           f"the area the junction needs ({a:.0f} m²) freezes the coolant "
                           f"({-mm['coolant_freeze']:.1f} K below freezing + margin)")
    binding = min(increasing, key=lambda c: mm[c])
    out = SizingResult(True, dd, r, s, binding, mm, log,
                       f"sized: {dd.radiator_area_m2:.1f} m² of radiator, "
                       f"{dd.cell_area_m2:.1f} m² of cells; binding: {binding} "
                       f"(margin {mm[binding]:.3f} K)", time.perf_counter() - t0)
    out.mass = mass_budget(dd, s)
    return out


def _not_met_message(evals: list[tuple], k: str, mm: dict, a: float, hi_b: float) -> str:
    """Why no area met the limit ``k``: the search bound (and the field that raises it), or
    the evaluation budget — with the trend of the margin, never a claim it cannot show."""
    a_max = max(e[0] for e in evals)
    head = f"{k} limit missed by {-mm[k]:.2f} K at {a:.0f} m² of radiator"
    if a_max < hi_b * (1 - 1e-9):
        return (f"{head}: the search stopped after {len(evals)} evaluations (largest area "
                f"tried {a_max:.0f} m², below the search bound {hi_b:.0f} m²) without "
                f"meeting it")
    by_area = sorted(evals, key=lambda e: e[0])
    (a1, f1), (a2, f2) = ((e[0], e[1]) for e in by_area[-2:]) if len(by_area) > 1 else (
        (by_area[-1][0], by_area[-1][1]),) * 2
    msg = (f"{head}, the search bound: the design needs more than {hi_b:.0f} m² of radiator "
           f"(raise sizing.max_area_m2, now {hi_b:g} m²)")
    if a2 > a1 and f2 > f1:
        slope = (f2 - f1) / math.log(a2 / a1)
        need = a2 * math.exp(-f2 / slope) if slope > 0 else float("nan")
        msg += (f"; the margin was still rising ({f1:+.2f} K at {a1:.0f} m² → {f2:+.2f} K at "
                f"{a2:.0f} m²)")
        if math.isfinite(need) and need < 1e3 * hi_b:
            msg += f", extrapolated to reach the limit near {need:.0f} m²"
    elif a2 > a1:
        msg += (f"; the margin stopped improving with area ({f1:+.2f} K at {a1:.0f} m² → "
                f"{f2:+.2f} K at {a2:.0f} m²), so more area may not fix it")
    return msg


def _infeasible(design, res, sat, which, margins, log, t0, msg) -> SizingResult:
    out = SizingResult(False, design, res, sat, which, margins, log, msg,
                       time.perf_counter() - t0)
    out.mass = mass_budget(design, sat)
    return out


def require_feasible(sizing: SizingResult) -> SizingResult:
    """Raise :class:`PhysicsLimitError` with the reason if the sizing found no design."""
    if not sizing.feasible:
        raise PhysicsLimitError(sizing.message)
    return sizing


def size_case(case) -> dict:
    """Size a validated case file (``thermosat.case.load.Case``); returns the per-tier JSON row
    of ``thermosat size`` without files (used by design sweeps)."""
    from thermosat.studies.contract import contract_row

    s = case.sizing
    design = case.to_design(environment=s.sizing_case)
    sizing = size_design(design, case.compute_demand_w(), vary=s.vary,
                         area_bounds_m2=(s.min_area_m2, s.max_area_m2))
    tier = case.orbit.tier or f"{design.orbit.altitude_m / 1e3:.0f} km"
    row = contract_row(tier, design, sizing)
    row["compute_reading"] = case.compute.reading
    from thermosat.studies.vocabulary import shared_keys

    for k, v in shared_keys(sizing.result.temperatures, sizing.result.limits,
                            sizing.result.power).items():
        row.setdefault(k, v)
    row.pop("files", None)
    return row
