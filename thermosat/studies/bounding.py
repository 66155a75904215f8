"""Bounding environment cases: the sized design checked against the cold case.

The radiator is sized against the hot case (``[sizing] sizing_case``); :func:`cold_check`
puts the sized areas into the cold case's design (``[sizing] check_case``) and solves it
steady with the power loop closed: coolant minimum (freezing), cells and junctions cold.
The chips burn at most their rated total (n × rating): in the cold case the cells make more
electricity, and what the chips cannot take stays in the cells (the power system does not
overdrive a part).

Hook for the orbit part of the cold check (battery, heaters, the coldest orbit): extend
:func:`cold_check` (or call it and add keys); the keys below are what the contract row
carries (``cold_case_coolant_min_k``, ``freeze_margin_k``).
"""
from __future__ import annotations

from dataclasses import replace

from thermosat.satellite.satellite import Satellite, SatelliteDesign

__all__ = ["sized_in_environment", "cold_check", "orbit_satellite"]


def sized_in_environment(sized: SatelliteDesign, env_design: SatelliteDesign
                         ) -> SatelliteDesign:
    """``env_design`` (another environment of the same case) with the sized cell, wing and
    panel-radiator areas of ``sized`` and its radiator placement (the trade's winner)."""
    return replace(env_design, cell_area_m2=sized.cell_area_m2,
                   wing_area_m2=sized.wing_area_m2,
                   panel_radiator_area_m2=sized.panel_radiator_area_m2,
                   placement=sized.placement, panel_back_mli=sized.panel_back_mli,
                   boom_length_m=sized.boom_length_m)


def cold_check(design_cold: SatelliteDesign, *, name: str = "cold") -> dict:
    """Steady cold-case check of a sized design (K, W).

    Returns ``cold_case``, ``cold_case_coolant_min_k``, ``freeze_margin_k`` (coolant minimum
    − freezing point, K), ``required_freeze_margin_k``, ``freeze_ok``, the cold junction,
    cell and coolant temperatures, the compute and shunted power, and the violations of
    the cold-case result.
    """
    sat = Satellite(design_cold)
    rated = design_cold.package.rated_power_w
    if rated is not None:
        sat.rated_compute_w = design_cold.n_packages * rated
    res = sat.solve_steady()
    t, lim = res.temperatures, res.limits
    margin = t["coolant_min_k"] - lim["coolant_freeze_k"]
    need = design_cold.loop.freeze_margin_k
    return {
        "cold_case": name,
        "cold_case_coolant_min_k": t["coolant_min_k"],
        "freeze_margin_k": margin,
        "required_freeze_margin_k": need,
        "freeze_ok": bool(margin >= need),
        "cold_case_junction_max_k": t["junction_max_k"],
        "cold_case_junction_mean_k": t["junction_mean_k"],
        "cold_case_cell_max_k": t["cell_max_k"],
        "cold_case_cell_mean_k": t["cell_mean_k"],
        "cold_case_coolant_max_k": t["coolant_max_k"],
        "cold_case_compute_w": res.power["compute_w"],
        "cold_case_shunt_w": res.power["shunt_w"],
        "cold_case_pv_w": res.power["pv_w"],
        "cold_case_violations": list(lim["violations"]),
        "steady": "sunlit steady point of the cold case; the coldest orbit (eclipse, "
                  "battery, heaters) is not part of this check",
    }


def orbit_satellite(sizing, orbit_design: SatelliteDesign | None):
    """(satellite, steady result) the repeating orbit starts from: the sizing's own when
    ``orbit_design`` is None, else the sized areas in ``orbit_design``'s environment (the
    coldest orbit, ``[sizing] orbit_case``) solved steady with the chips capped at their
    rated total, as :func:`cold_check` does."""
    if orbit_design is None:
        return sizing.satellite, sizing.result
    sat = Satellite(sized_in_environment(sizing.design, orbit_design))
    rated = orbit_design.package.rated_power_w
    if rated is not None:
        sat.rated_compute_w = orbit_design.n_packages * rated
    return sat, sat.solve_steady()
