"""One vocabulary for the results of ``solve``, ``size`` and ``compare``.

**Coolant margin** means one thing everywhere: the distance (K) of the coolant from freezing
(``coolant_freeze_margin_k`` = coldest coolant − freezing point) and from boiling
(``coolant_boil_margin_k`` = boiling point − hottest coolant), at the steady design point.
What is left beyond the *required* margin (``loop.freeze_margin_k`` in the case) is named
separately: ``coolant_freeze_margin_beyond_required_k`` and
``coolant_boil_margin_beyond_required_k`` (negative = the requirement fails). The sizing's
``margins_k`` table (``coolant_freeze`` / ``coolant_boil``) holds the beyond-required values,
as its root finding uses them; those keys are kept for the contract.

:func:`shared_keys` gives the flat keys both commands write — ``solve``'s ``result.json`` and
every tier row of ``size`` — with the contract's names (``max_junction_temp_k``,
``compute_power_w`` ...), so a script reads either file the same way.
"""
from __future__ import annotations

__all__ = ["COOLANT_MARGIN", "BEYOND_REQUIRED", "shared_keys", "GLOSSARY"]

COOLANT_MARGIN = "distance of the coolant from freezing / boiling (K)"
BEYOND_REQUIRED = "coolant margin left beyond the required margin loop.freeze_margin_k (K)"

#: key -> meaning (docs/user-guide.md reproduces this table)
GLOSSARY = {
    "max_junction_temp_k": "hottest chip junction (K)",
    "junction_margin_k": "junction limit − hottest junction (K)",
    "max_cell_temp_k": "hottest solar cell (K)",
    "cell_margin_k": "cell limit − hottest cell (K)",
    "coolant_min_temp_k": "coldest coolant (K)",
    "coolant_max_temp_k": "hottest coolant (K)",
    "coolant_freeze_margin_k": "coolant margin to freezing: coldest coolant − freezing point (K)",
    "coolant_boil_margin_k": "coolant margin to boiling: boiling point − hottest coolant (K)",
    "required_coolant_margin_k": "required coolant margin, loop.freeze_margin_k (K)",
    "coolant_freeze_margin_beyond_required_k": "coolant_freeze_margin_k − required (K)",
    "coolant_boil_margin_beyond_required_k": "coolant_boil_margin_k − required (K)",
    "compute_power_w": "electric power delivered to the chips (W)",
    "pv_power_w": "solar array electric output (W)",
    "pump_power_w": "coolant pump electric power (W)",
    "radiator_flux_w_m2": "heat rejected per m² of radiator (W/m²)",
    "cell_area_m2": "solar cell area (m²)",
    "radiator_area_m2": "radiator area, panel strip + wings (m²)",
}


def shared_keys(temperatures: dict, limits: dict, power: dict, *, cell_area_m2=None,
                radiator_area_m2=None) -> dict:
    """The flat result keys of :data:`GLOSSARY` from a steady result's ``temperatures``,
    ``limits`` and ``power`` dicts (as ``SatelliteResult`` carries them)."""
    t, lim, p = temperatures, limits, power
    need = lim["required_coolant_margin_k"]
    # the loop checks every fluid node (the steady result's own margins); else the extremes
    freeze = lim.get("freeze_margin_k", t["coolant_min_k"] - lim["coolant_freeze_k"])
    boil = lim.get("boil_margin_k", lim["coolant_boil_k"] - t["coolant_max_k"])
    out = {
        "max_junction_temp_k": t["junction_max_k"],
        "junction_limit_k": lim["junction_limit_k"],
        "junction_margin_k": lim["junction_limit_k"] - t["junction_max_k"],
        "max_cell_temp_k": t["cell_max_k"],
        "cell_limit_k": lim["cell_limit_k"],
        "cell_margin_k": lim["cell_limit_k"] - t["cell_max_k"],
        "coolant_min_temp_k": t["coolant_min_k"],
        "coolant_max_temp_k": t["coolant_max_k"],
        "coolant_freeze_temp_k": lim["coolant_freeze_k"],
        "coolant_boil_temp_k": lim["coolant_boil_k"],
        "coolant_freeze_margin_k": freeze,
        "coolant_boil_margin_k": boil,
        "required_coolant_margin_k": need,
        "coolant_freeze_margin_beyond_required_k": freeze - need,
        "coolant_boil_margin_beyond_required_k": boil - need,
        "compute_power_w": p["compute_w"],
        "pv_power_w": p["pv_w"],
        "pump_power_w": p["pump_w"],
        "radiator_flux_w_m2": p.get("radiator_flux_w_m2"),
    }
    if cell_area_m2 is not None:
        out["cell_area_m2"] = cell_area_m2
    if radiator_area_m2 is not None:
        out["radiator_area_m2"] = radiator_area_m2
    return out
