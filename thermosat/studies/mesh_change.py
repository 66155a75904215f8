"""How much the sized radiator area moves at one more mesh refinement (issue 12, item 2).

The sized design is re-meshed at h/2 — twice the elements across each tube pitch of the
wings (:attr:`~thermosat.satellite.design.SatelliteDesign.fin_elements_per_pitch`) and half
the element size along the tubes and on the panel (``element_size_m``) — and the radiator
area is found again on the refined mesh, with the cell area of the coarse answer held. The
root finding is a secant on log(area) for the binding margin (junction or boiling, K),
started from the coarse area and the slope d(margin)/d(log area) that the coarse sizing
measured, stopped at the same margin tolerance as the sizing (0.05 K) or when the next
secant step moves the area by less than 0.5 % (its root is then the answer). The result is the
relative change ``area_mesh_change_rel = (A_{h/2} − A_h) / A_h``: a discretisation error
estimate of the sized area (the issue's bound: |·| ≤ 3 %).
"""
from __future__ import annotations

import math
from dataclasses import replace

from thermosat.satellite.satellite import Satellite
from thermosat.studies.sizing import SizingResult, _set_area, constraint_margins

__all__ = ["refined_design", "area_mesh_change"]

#: constraints whose margin grows with radiator area (as the sizing)
_INCREASING = ("junction", "coolant_boil")


def refined_design(design):
    """``design`` at one more refinement: 2× elements per tube pitch, h/2 elsewhere."""
    fe = design.fin_elements_per_pitch
    return replace(design, element_size_m=0.5 * design.element_size_m,
                   fin_elements_per_pitch=(2 * fe if fe else None))


def _slope(sizing: SizingResult, binding: str) -> float | None:
    """d(margin)/d(log area) (K) from the two coarse evaluations nearest the answer."""
    a0 = sizing.design.radiator_area_m2
    key = f"margin_{binding}"
    pts = sorted(((abs(math.log(e["radiator_area_m2"] / a0)), e["radiator_area_m2"], e[key])
                  for e in sizing.evaluations if key in e and e["radiator_area_m2"] > 0))
    pts = [p for p in pts if p[0] > 1e-9][:1] + [p for p in pts if p[0] <= 1e-9][:1]
    if len(pts) < 2:
        return None
    (_, a1, f1), (_, a2, f2) = pts
    s = (f1 - f2) / math.log(a1 / a2)
    return s if s > 0 else None


def area_mesh_change(sizing: SizingResult, *, vary: str = "wings", margin_tol_k: float = 0.05,
                     area_rtol: float = 5e-3, max_solves: int = 5, progress=None) -> dict:
    """Re-size the radiator of a feasible ``sizing`` on the h/2 mesh.

    Returns ``area_mesh_change_rel`` (–), ``refined_radiator_area_m2``, the refined mesh's
    ``refined_fin_elements_per_pitch`` and ``refined_element_size_m`` (m), the margins at
    the coarse area on both meshes (K) and the refined solves (area m², margin K). None
    values when the sizing is infeasible (there is no area to compare).
    """
    out = {"area_mesh_change_rel": None, "refined_radiator_area_m2": None}
    if not sizing.feasible:
        return out
    binding = sizing.binding_constraint if sizing.binding_constraint in _INCREASING \
        else "junction"
    coarse = sizing.design
    fine = refined_design(coarse)
    a0 = coarse.radiator_area_m2
    say = progress or (lambda msg: None)
    solves = []

    def margin(area: float) -> float:
        d = _set_area(fine, vary, area * (coarse.wing_area_m2 if vary == "wings"
                                         else coarse.panel_radiator_area_m2) / a0)
        res = Satellite(d).solve_steady()
        mm = constraint_margins(d, res)
        f = min(mm[k] for k in _INCREASING)
        solves.append({"radiator_area_m2": d.radiator_area_m2, "margin_k": f})
        say(f"refined mesh: radiator {d.radiator_area_m2:.1f} m² → binding margin {f:+.3f} K")
        return f

    x0, f0 = math.log(a0), margin(a0)
    slope = _slope(sizing, binding) or 5.0  # K per unit log area; only seeds the secant
    x_prev, f_prev = x0, f0
    x = x0 - f0 / slope
    a_fine = a0
    for _ in range(max_solves - 1):
        if abs(f_prev) <= margin_tol_k:
            a_fine = math.exp(x_prev)
            break
        f = margin(math.exp(x))
        if abs(f) <= margin_tol_k or f == f_prev:
            a_fine = math.exp(x)
            break
        x_next = x - f * (x - x_prev) / (f - f_prev)
        a_fine = math.exp(x_next)
        if abs(x_next - x) <= area_rtol:  # the secant root is within area_rtol of this solve
            break
        x, x_prev, f_prev = x_next, x, f
    return {
        "area_mesh_change_rel": (a_fine - a0) / a0,
        "refined_radiator_area_m2": a_fine,
        "refined_fin_elements_per_pitch": fine.fin_elements_per_pitch,
        "refined_element_size_m": fine.element_size_m,
        "coarse_binding_margin_k": sizing.margins[binding],
        "refined_margin_at_coarse_area_k": f0,
        "refined_solves": solves,
    }
