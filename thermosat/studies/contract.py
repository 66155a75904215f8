"""The per-tier row of ``thermosat size --json``: the contract other tools read (SI units, K)."""
from __future__ import annotations

import numpy as np

__all__ = ["contract_row", "orbit_keys"]


def contract_row(tier: str, design, sizing) -> dict:
    """The per-tier JSON row of ``thermosat size --json`` (SI units, K) for ``design``
    (:class:`~thermosat.satellite.design.SatelliteDesign`) sized by ``sizing``
    (:class:`~thermosat.studies.sizing.SizingResult`).

    Issue 12 keys: ``chip_power_w``, ``chip_rated_power_w``, ``chip_power_margin_w``,
    ``n_chips``, ``hot_case`` (the environment sized against), ``cold_case``,
    ``cold_case_coolant_min_k`` and ``freeze_margin_k`` (None until the cold check fills
    them, :func:`thermosat.studies.bounding.cold_check`), ``area_mesh_change_rel`` (the
    sized area's relative change at h/2, :mod:`thermosat.studies.mesh_change`), the hydraulics
    (``header_bore_m``, ``transfer_line_bore_m``, ``loop_pressure_drop_pa``,
    ``channel_maldistribution``) and ``wing_areal_mass_kg_m2``; ``heater_power_w``,
    ``battery_energy_wh``, ``orbit_cyclic_residual_k`` and ``freeze_margin_k`` are filled
    from the repeating orbit by :func:`orbit_keys`.
    """
    r = sizing.result
    mass = sizing.mass.get("total_kg", float("nan"))
    ok = sizing.feasible
    sd = sizing.design
    hyd = sizing.satellite.loop.hydraulics(r.temperatures["coolant_mean_k"])
    return {
        **_base(tier, design, sizing, r, mass, ok),
        "chip_power_w": r.limits["chip_power_w"],
        "chip_rated_power_w": r.limits["chip_rated_power_w"],
        "chip_power_margin_w": r.limits["chip_power_margin_w"],
        "n_chips": sd.n_packages,
        "hot_case": sd.environment_name,
        "cold_case": None,
        "cold_case_coolant_min_k": None,
        "freeze_margin_k": None,
        "area_mesh_change_rel": None,
        # filled from the repeating orbit by orbit_keys (issue 12 items 5, 7)
        "heater_power_w": None,
        "battery_energy_wh": None,
        "orbit_cyclic_residual_k": None,
        "header_bore_m": hyd["header_bore_m"],
        "transfer_line_bore_m": hyd["transfer_line_bore_m"],
        "loop_pressure_drop_pa": hyd["pressure_drop_pa"],
        "loop_pressure_drop_by_kind_pa": hyd["pressure_drop_by_kind_pa"],
        "channel_maldistribution": hyd["maldistribution"],
        "wing_areal_mass_kg_m2": (sd.wing_areal_mass_kg_m2 if sd.wing_areal_mass_kg_m2
                                  is not None else sum(lay.areal_mass_kg_m2
                                                       for lay in sd.wing_layers)),
    }


def _base(tier, design, sizing, r, mass, ok) -> dict:
    return {
        "tier": tier,
        "feasible": ok,
        "message": sizing.message,
        "altitude_km": design.orbit.altitude_m / 1e3,
        "beta_deg": float(np.degrees(design.orbit.beta_rad)),
        "compute_power_w": r.power["compute_w"],
        "pv_power_w": r.power["pv_w"],
        "pump_power_w": r.power["pump_w"],
        "cell_area_m2": sizing.design.cell_area_m2,
        "radiator_area_m2": sizing.design.radiator_area_m2 if ok else None,
        "total_area_m2": (sizing.design.cell_area_m2 + sizing.design.radiator_area_m2
                          if ok else None),
        "max_junction_temp_k": r.temperatures["junction_max_k"],
        "junction_limit_k": r.limits["junction_limit_k"],
        "max_cell_temp_k": r.temperatures["cell_max_k"],
        "cell_limit_k": r.limits["cell_limit_k"],
        "coolant_min_temp_k": r.temperatures["coolant_min_k"],
        "coolant_max_temp_k": r.temperatures["coolant_max_k"],
        "coolant_freeze_temp_k": r.limits["coolant_freeze_k"],
        "coolant_boil_temp_k": r.limits["coolant_boil_k"],
        "radiator_flux_w_m2": r.power["radiator_flux_w_m2"],
        "energy_balance_rel": r.energy.imbalance_rel,
        "energy_tolerance_rel": r.limits.get("energy_tolerance_rel"),
        "violations": list(r.limits.get("violations", [])),
        "binding_constraint": sizing.binding_constraint,
        "margins_k": sizing.margins,
        "mass_kg": mass,
        "mass_breakdown_kg": sizing.mass,
        "specific_power_w_kg": r.power["compute_w"] / mass if mass == mass and mass else None,
        "n_unknowns": sizing.satellite.n_unknowns,
        "sizing_evaluations": len(sizing.evaluations),
        "sizing_time_s": sizing.time_s,
        "files": {},
    }


def orbit_keys(row: dict, orbit, orbit_case: str | None = None) -> dict:
    """Fill the repeating-orbit keys of ``row`` from ``orbit``
    (:class:`~thermosat.satellite.result.OrbitResult`) and add the battery to the mass
    (issue 12 items 5, 7); returns ``row``.

    ``heater_power_w`` (largest heater power of the periodic orbit, W), ``battery_energy_wh``
    (battery capacity, Wh), ``orbit_cyclic_residual_k`` (max |ΔT| between the same phase of
    the last two orbits, K), ``freeze_margin_k`` (coolant minimum over the periodic orbit
    minus freezing, K; the steady cold check's value moves to
    ``cold_steady_freeze_margin_k``), ``orbit_case``, ``orbit_coolant_min_k``,
    ``battery_mass_kg``.
    """
    x = orbit.extremes
    if row.get("freeze_margin_k") is not None:
        row["cold_steady_freeze_margin_k"] = row["freeze_margin_k"]
    row.update({"heater_power_w": x["heater_power_max_w"],
                "heater_power_mean_w": x["heater_power_mean_w"],
                "battery_energy_wh": x["battery_capacity_wh"],
                "battery_mass_kg": x["battery_mass_kg"],
                "orbit_cyclic_residual_k": x["orbit_cyclic_residual_k"],
                "freeze_margin_k": x["freeze_margin_k"],
                "orbit_coolant_min_k": x["coolant_min_k"],
                "orbit_case": orbit_case or row.get("hot_case")})
    mb = row.get("mass_breakdown_kg")
    if isinstance(mb, dict) and "battery_kg" not in mb:
        mb["battery_kg"] = x["battery_mass_kg"]
        mb["total_kg"] = mb.get("total_kg", float("nan")) + x["battery_mass_kg"]
        row["mass_kg"] = mb["total_kg"]
        m = row["mass_kg"]
        row["specific_power_w_kg"] = row["compute_power_w"] / m if m == m and m else None
    return row
