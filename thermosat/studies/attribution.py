"""What moved the sized area: each modelling change of this round undone one at a time.

Starting from a tier's default case (the design the main job sizes), each entry of
:data:`CHANGES` builds the same design with one change reverted to the 25 Nov 2026 release
(commit ``b00adad``) and sizes it again. The effect of a change is the area of the
default minus the area with it undone (m², and % of the reverted area): positive means
the change made the radiator larger. One at a time, so the effects do not add up exactly
(they interact); the report says so.

``python scripts/area_attribution.py`` runs it for every tier and writes
``thermosat/studies/area_attribution.json`` (installed with the package), which the
report reads and dates.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from dataclasses import dataclass, fields, replace
from typing import Callable

from thermosat.satellite.geometry import FIN_ELEMENTS_PER_PITCH
from thermosat.studies.sizing import size_design

__all__ = ["Change", "CHANGES", "attribute_tier", "measured_attribution"]

#: where scripts/area_attribution.py stores its measurement (installed with the package)
STORE = Path(__file__).with_name("area_attribution.json")


@dataclass(frozen=True)
class Change:
    """One modelling change: its name, what it was before and after, and how to undo it
    (``undo(case, design) -> (design, demand_w)``; None when the design does not carry it)."""

    name: str
    before: str
    after: str
    undo: Callable


def _has(design, name: str) -> bool:
    return name in {f.name for f in fields(design)}


def _fin(case, d):
    return replace(d, fin_elements_per_pitch=None), case.compute_demand_w()


def _coldplate(case, d):
    return replace(d, coldplate_fluid_nodes=1), case.compute_demand_w()


def _headers(case, d):
    bore = 2.0 * d.loop.pipe_inner_diameter_m
    return (replace(d, loop=replace(d.loop, header_inner_diameter_m=bore,
                                    transfer_line_inner_diameter_m=bore)),
            case.compute_demand_w())


def _environment(case, d):
    return case.to_design(environment=None), case.compute_demand_w()


def _reading(case, d):
    from thermosat.case.defaults import ARTICLE_COMPUTE_W

    old = case.with_reading("demand_over_chips", ARTICLE_COMPUTE_W)
    hot, _ = old.environment_names()
    dd = old.to_design(environment=hot)
    return replace(dd, package=dd.package.replace(rated_power_w=None)), old.compute_demand_w()


def _blockage(case, d):
    if not _has(d, "environment_blockage"):
        return None
    return replace(d, environment_blockage=False), case.compute_demand_w()


def _placement(case, d):
    if not _has(d, "placement") or d.placement == "beside":
        return None
    return replace(d, placement="beside"), case.compute_demand_w()


CHANGES: tuple[Change, ...] = (
    Change("chip reading", "30 kW over the tier's 12/18/24 chips (up to 2.5 kW per 1.4 kW chip)",
           "chips at their 1.4 kW rating (compute follows chip count)", _reading),
    Change("fin resolved", "isotropic 0.5 m elements (two tubes per element)",
           f"{FIN_ELEMENTS_PER_PITCH} elements per 0.25 m tube pitch", _fin),
    Change("multi-node cold plates", "one fluid node per cold plate",
           "6 fluid nodes along each channel", _coldplate),
    Change("header bores", "headers and transfer lines 2 × tube bore (20 mm)",
           "sized for 1.5 m/s (36 mm at 1 kg/s ammonia)", _headers),
    Change("hot bounding case", "nominal environment (S 1361, albedo 0.30, OLR 237, BOL)",
           "hot case (perihelion S, hot albedo/OLR, EOL coatings)", _environment),
    Change("blockage and reflection", "isolated-plate fluxes, no reflection",
           "ray-traced blockage and solar-band reflection", _blockage),
    Change("placement", "wings beside the panel", "the trade winner", _placement),
)


def _sized_area(design, demand_w, case):
    s = case.sizing
    out = size_design(design, demand_w, vary=s.vary, area_bounds_m2=(s.min_area_m2,
                                                                      s.max_area_m2))
    return out


def attribute_tier(tier: str, *, progress=None) -> dict:
    """Size ``tier``'s default and each :data:`CHANGES` entry undone (m², K, s)."""
    from thermosat.case.defaults import default_case

    say = progress or (lambda msg: None)
    case = default_case(tier)
    hot, _ = case.environment_names()
    base = case.to_design(environment=hot)
    t0 = time.perf_counter()
    ref = _sized_area(base, case.compute_demand_w(), case)
    a_ref = ref.design.radiator_area_m2 if ref.feasible else None
    say(f"{tier}: default {ref.message}")
    rows = []
    for ch in CHANGES:
        undone = ch.undo(case, base)
        if undone is None:
            continue
        d, demand = undone
        out = _sized_area(d, demand, case)
        a = out.design.radiator_area_m2 if out.feasible else None
        eff = (a_ref - a) if (a is not None and a_ref is not None) else None
        rows.append({"change": ch.name, "before": ch.before, "after": ch.after,
                     "area_without_m2": a, "feasible_without": out.feasible,
                     "binding_without": out.binding_constraint,
                     "effect_m2": eff, "effect_rel": (eff / a if eff is not None else None),
                     "message_without": out.message})
        say(f"{tier}: without '{ch.name}': {out.message}")
    return {"tier": tier, "radiator_area_m2": a_ref, "binding_constraint": ref.binding_constraint,
            "changes": rows, "time_s": time.perf_counter() - t0}


def measured_attribution(tier: str, radiator_area_m2: float | None) -> dict | None:
    """The stored measurement for ``tier`` (None if none), with ``matches_this_run``: whether
    its default area is within 2 % of this run's ``radiator_area_m2`` (if not, the model has
    changed since it was measured and the report says so)."""
    try:
        row = json.loads(STORE.read_text())["tiers"][tier]
    except (OSError, ValueError, KeyError):
        return None
    a = row.get("radiator_area_m2")
    row["matches_this_run"] = bool(a and radiator_area_m2
                                   and abs(a / radiator_area_m2 - 1.0) <= 0.02)
    return row
