"""Bounding environment cases: the sized design checked against the cold case.

The radiator is sized against the hot case (``[sizing] sizing_case``); :func:`cold_check`
puts the sized areas into the cold case's design (``[sizing] check_case``) and solves it
steady with the power loop closed: coolant minimum (freezing), cells and junctions cold.
The chips burn at most the sized demand, and never above their rated total (n × rating): in
the cold case the cells make more electricity, and what the chips are not asked to take goes
to the shunt (the power system neither overdrives a part nor runs the chips harder than the
design was sized for: a cooler panel is not a licence for more compute).

Hook for the orbit part of the cold check (battery, heaters, the coldest orbit): extend
:func:`cold_check` (or call it and add keys); the keys below are what the contract row
carries (``cold_case_coolant_min_k``, ``freeze_margin_k``).
"""
from __future__ import annotations

from dataclasses import replace

from thermosat.satellite.satellite import Satellite, SatelliteDesign

__all__ = ["sized_in_environment", "compute_cap_w", "cold_check", "orbit_satellite"]


def compute_cap_w(design: SatelliteDesign, demand_w: float | None = None) -> float:
    """Most power (W) the chips of ``design`` may burn: min(n × rating, ``demand_w``).

    ``demand_w`` is the compute the radiator was sized for; None: the rated total alone
    (no rating either: unbounded)."""
    rated = design.package.rated_power_w
    cap = float("inf") if rated is None else design.n_packages * rated
    return cap if demand_w is None else min(cap, float(demand_w))


def sized_in_environment(sized: SatelliteDesign, env_design: SatelliteDesign
                         ) -> SatelliteDesign:
    """``env_design`` (another environment of the same case) with the sized cell, wing and
    panel-radiator areas of ``sized`` and its radiator placement (the trade's winner)."""
    return replace(env_design, cell_area_m2=sized.cell_area_m2,
                   wing_area_m2=sized.wing_area_m2,
                   panel_radiator_area_m2=sized.panel_radiator_area_m2,
                   placement=sized.placement, panel_back_mli=sized.panel_back_mli,
                   boom_length_m=sized.boom_length_m)


def cold_check(design_cold: SatelliteDesign, *, name: str = "cold",
               demand_w: float | None = None) -> dict:
    """Steady cold-case check of a sized design (K, W); the chips take at most
    :func:`compute_cap_w` (``demand_w``: the sized compute demand, W).

    Returns ``cold_case``, ``cold_case_coolant_min_k``, ``freeze_margin_k`` (coolant minimum
    − freezing point, K), ``required_freeze_margin_k``, ``freeze_ok``, the cold junction,
    cell and coolant temperatures, the compute and shunted power, and the violations of
    the cold-case result.
    """
    sat = Satellite(design_cold)
    sat.rated_compute_w = compute_cap_w(design_cold, demand_w)
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


def orbit_satellite(sizing, orbit_design: SatelliteDesign | None,
                    demand_w: float | None = None):
    """(satellite, steady result) the repeating orbit starts from: the sizing's own when
    ``orbit_design`` is None, else the sized areas in ``orbit_design``'s environment (the
    coldest orbit, ``[sizing] orbit_case``) solved steady with the chips capped at
    :func:`compute_cap_w` (``demand_w``: the sized demand, W), as :func:`cold_check` does.
    The orbit then holds the chips at that steady point's compute in sunlight."""
    if orbit_design is None:
        return sizing.satellite, sizing.result
    sat = Satellite(sized_in_environment(sizing.design, orbit_design))
    sat.rated_compute_w = compute_cap_w(orbit_design, demand_w)
    return sat, sat.solve_steady()
