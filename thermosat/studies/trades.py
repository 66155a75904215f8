"""Placement trades of the main job (issue 14 item 2): size every radiator placement of a
tier on the full coupled model and pick the feasible design with the highest W/kg.

Each placement (:mod:`thermosat.satellite.placement`) is sized by
:func:`~thermosat.studies.sizing.size_design` with the same demand, limits and search
bracket; ``panel_back`` varies the panel's radiator strip (no wings), the others the wing
area. Cost: the first placement is sized from the lumped seed; the others start from its
converged cell area (the cells hardly depend on where the radiator is), which saves the
cell-area iterations, and stop after ``max_evaluations`` coupled solves. Placements run one
after the other: a sizing is a serial chain of solves, and on a 2-core machine a second
Dask worker would halve the cores of each solve and double the peak memory (~1.3 GB per
VLEO model) for little gain.
"""
from __future__ import annotations

import time
from dataclasses import replace

from thermosat.satellite.placement import PLACEMENTS, placement_mass, vary_of
from thermosat.studies.sizing import SizingResult, size_design

__all__ = ["size_placement", "run_trades", "trade_row", "choose", "trade_notes"]


def placement_design(design, placement: str):
    """``design`` with ``placement`` (``panel_back``: no wings, the strip starts at the
    design's wing area or strip area, whichever is set)."""
    if placement == "panel_back":
        start = design.panel_radiator_area_m2 or design.wing_area_m2
        return replace(design, placement=placement, wing_area_m2=0.0,
                       panel_radiator_area_m2=start)
    start = design.wing_area_m2 or design.panel_radiator_area_m2
    return replace(design, placement=placement, wing_area_m2=start,
                   panel_radiator_area_m2=0.0 if design.wing_area_m2 == 0 else
                   design.panel_radiator_area_m2)


def size_placement(design, placement: str, demand_w: float, *, area_bounds_m2,
                   initial_cell_area_m2=None, max_evaluations: int = 14,
                   progress=None) -> SizingResult:
    """Size ``design`` with its radiator at ``placement`` (see the module docstring)."""
    d = placement_design(design, placement)
    return size_design(d, demand_w, vary=vary_of(placement), area_bounds_m2=area_bounds_m2,
                       initial_cell_area_m2=initial_cell_area_m2,
                       max_evaluations=max_evaluations, progress=progress)


def _exchange_to_radiator_w(sizing: SizingResult) -> float | None:
    """Net infrared (W) from the panel back and the bus into the wings at the sized point."""
    r = sizing.result
    if r is None or r.exchange is None:
        return None
    b = r.exchange["between"]
    wings = [g for g in r.exchange["groups"] if g.startswith("wing")]
    net = 0.0
    for w in wings:
        for src in ("panel", "bus"):
            net += b.get(f"{src}→{w}", 0.0) - b.get(f"{w}→{src}", 0.0)
    return net


def trade_row(placement: str, sizing: SizingResult) -> dict:
    """The contract's trade entry ``{placement, feasible, radiator_area_m2, mass_kg,
    specific_power_w_kg, binding_constraint}`` plus what explains it (W, kg, m²)."""
    r = sizing.result
    mass = sizing.mass.get("total_kg") if sizing.feasible else None
    compute = r.power["compute_w"] if r is not None else None
    pm = placement_mass(sizing.design)
    return {
        "placement": placement,
        "feasible": bool(sizing.feasible),
        "radiator_area_m2": sizing.design.radiator_area_m2 if sizing.feasible else None,
        "mass_kg": mass,
        "specific_power_w_kg": compute / mass if mass else None,
        "binding_constraint": sizing.binding_constraint,
        "cell_area_m2": sizing.design.cell_area_m2,
        "compute_w": compute,
        "radiator_flux_w_m2": r.power["radiator_flux_w_m2"] if r is not None else None,
        "exchange_into_radiator_w": _exchange_to_radiator_w(sizing),
        "hinges_kg": pm["hinges_kg"], "boom_kg": pm["boom_kg"],
        "radiator_kg": (sizing.mass.get("wings_kg", 0.0) if placement != "panel_back" else
                        None) if sizing.feasible else None,
        "panel_back_mli": bool(sizing.design.panel_back_mli),
        "margins_k": dict(sizing.margins),
        "evaluations": len(sizing.evaluations),
        "time_s": sizing.time_s,
        "message": sizing.message,
    }


def choose(rows: list[dict]) -> str | None:
    """The feasible placement with the highest W/kg (None when none is feasible)."""
    ok = [r for r in rows if r["feasible"] and r["specific_power_w_kg"]]
    return max(ok, key=lambda r: r["specific_power_w_kg"])["placement"] if ok else None


def trade_notes(rows: list[dict], chosen: str | None) -> dict[str, str]:
    """One line per placement: what it gains or loses against the chosen one, and why."""
    by = {r["placement"]: r for r in rows}
    ref = by.get(chosen)
    out = {}
    for r in rows:
        p = r["placement"]
        ex = r["exchange_into_radiator_w"]
        why = []
        if ex is not None:
            why.append(f"panel back and bus send {ex / 1e3:+.1f} kW (net IR) into the radiator")
        if r["boom_kg"]:
            why.append(f"boom {r['boom_kg']:.0f} kg")
        if r["hinges_kg"]:
            why.append(f"hinges {r['hinges_kg']:.0f} kg")
        if not r["feasible"]:
            out[p] = f"infeasible ({r['binding_constraint']}): {r['message']}"
            continue
        if ref is None or p == chosen:
            out[p] = "chosen: highest W/kg among the feasible placements; " + "; ".join(why)
            continue
        da = r["radiator_area_m2"] - ref["radiator_area_m2"]
        dm = r["mass_kg"] - ref["mass_kg"]
        out[p] = (f"{da:+.1f} m² of radiator and {dm:+.0f} kg against {chosen}"
                  + (f" ({'; '.join(why)})" if why else ""))
    return out


def run_trades(design, demand_w: float, placements=PLACEMENTS, *, area_bounds_m2,
               first: SizingResult | None = None, max_evaluations: int = 10,
               say=None, progress_factory=None) -> dict:
    """Size ``design`` at every placement in ``placements``; returns ``{"rows": [...],
    "chosen": name or None, "sizings": {name: SizingResult}, "notes": {...}, "time_s"}``.

    ``first``: an existing sizing of ``design``'s own placement (reused, not re-solved).
    ``say(msg)``: status lines; ``progress_factory(placement)`` → a per-evaluation callback
    (e.g. a progress bar's update) for each placement's sizing.
    """
    t0 = time.perf_counter()
    say = say or (lambda msg: None)
    sizings: dict[str, SizingResult] = {}
    cells = None
    if first is not None:
        sizings[first.design.placement] = first
        cells = first.design.cell_area_m2
    for p in placements:
        if p in sizings:
            continue
        say(f"trade: sizing placement {p}")
        cb = progress_factory(p) if progress_factory else None
        sizings[p] = size_placement(design, p, demand_w, area_bounds_m2=area_bounds_m2,
                                    initial_cell_area_m2=cells,
                                    max_evaluations=max_evaluations, progress=cb)
        if cells is None and sizings[p].feasible:
            cells = sizings[p].design.cell_area_m2
        say(f"trade: {p}: {sizings[p].message}")
    rows = [trade_row(p, sizings[p]) for p in placements if p in sizings]
    chosen = choose(rows)
    return {"rows": rows, "chosen": chosen, "sizings": sizings,
            "notes": trade_notes(rows, chosen), "time_s": time.perf_counter() - t0}
