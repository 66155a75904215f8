"""The source article's figures, checked against physics and arithmetic.

Each claim is a dict: ``claim``, ``article`` (what the article says), ``physics`` (what we
compute), ``verdict`` (``consistent`` / ``inconsistent`` / ``depends``), ``numbers``.
Per-tier numbers come from sizing rows (``thermosat size``); the article-concept check solves
the full coupled satellite with the article's ~500 m² as one sun-pointing panel.
"""
from __future__ import annotations

from dataclasses import replace

from thermosat.common.constants import SIGMA

__all__ = ["arithmetic_claims", "sizing_claims", "panel_concept_claim", "all_claims"]

ARTICLE = {
    "platform_mass_kg": 2000.0, "compute_payload_kg": 850.0, "solar_w": 30e3,
    "panel_area_m2": 500.0, "gb300": 330_000, "gb300_w": 1400.0, "grace": 165_000,
    "grace_w": 500.0, "silicon_mw": 627.0, "facility_mw": 1000.0, "launches_per_100gw": 11_000,
    "sats_per_launch": (50, 75), "starship_payload_t": (100, 150),
}


def arithmetic_claims() -> list[dict]:
    """Claims that are pure arithmetic on the article's own numbers."""
    a = ARTICLE
    silicon = (a["gb300"] * a["gb300_w"] + a["grace"] * a["grace_w"]) / 1e6
    implied_gpu = (a["silicon_mw"] * 1e6 - a["grace"] * a["grace_w"]) / a["gb300"]
    overhead = 1 - a["silicon_mw"] / a["facility_mw"]
    sats = 100e9 / a["solar_w"]
    lo, hi = (sats / n for n in reversed(a["sats_per_launch"]))
    needed_kw = 100e9 / (a["launches_per_100gw"] * sum(a["sats_per_launch"]) / 2) / 1e3
    per_launch = [p / (a["platform_mass_kg"] / 1e3) for p in a["starship_payload_t"]]
    return [
        {"claim": "terrestrial 627 MW of silicon",
         "article": "330,000 GB300 at 1.4 kW + 165,000 Grace at 500 W draw about 627 MW",
         "physics": f"330,000 × 1.4 kW + 165,000 × 0.5 kW = {silicon:.1f} MW; 627 MW needs "
                    f"{implied_gpu:.0f} W per GB300 (or 1.0 kW per Grace)",
         "verdict": "inconsistent",
         "numbers": {"computed_mw": silicon, "article_mw": a["silicon_mw"],
                     "implied_gb300_w": implied_gpu}},
        {"claim": "~40 % terrestrial overhead",
         "article": "the remaining ~373 MW — nearly 40 % of facility power",
         "physics": f"373/1000 = {overhead * 100:.1f} % with the article's 627 MW; with the "
                    f"arithmetic's {silicon:.1f} MW it would be {(1 - silicon / 1000) * 100:.1f} %",
         "verdict": "consistent" if abs(overhead - 0.4) < 0.03 else "inconsistent",
         "numbers": {"overhead_fraction": overhead}},
        {"claim": "satellites per Starship",
         "article": "100–150 t to LEO carries 50–75 satellites of ~2 t",
         "physics": f"{per_launch[0]:.0f}–{per_launch[1]:.0f} satellites of 2 t by mass alone",
         "verdict": "consistent", "numbers": {"sats_per_launch": per_launch}},
        {"claim": "~11,000 Starship launches per 100 GW",
         "article": "100 GW per year requires ~11,000 Starship launches",
         "physics": f"at 30 kW per satellite, 100 GW is {sats / 1e6:.2f} M satellites = "
                    f"{lo:,.0f}–{hi:,.0f} launches at 75–50 per launch; 11,000 launches would "
                    f"need ~{needed_kw:.0f} kW per satellite",
         "verdict": "inconsistent",
         "numbers": {"satellites": sats, "launches_low": lo, "launches_high": hi,
                     "kw_per_satellite_for_11000": needed_kw}},
    ]


def sizing_claims(rows: list[dict]) -> list[dict]:
    """Claims checked against the per-tier sizing rows of ``thermosat size``."""
    out = []
    feas = [r for r in rows if r.get("feasible")]
    if not rows:
        return out
    flux = {r["tier"]: r["radiator_flux_w_m2"] for r in rows}
    ideal = {r["tier"]: 2 * 0.92 * SIGMA * (0.5 * (r["coolant_min_temp_k"]
                                                   + r["coolant_max_temp_k"])) ** 4
             for r in rows}
    out.append({
        "claim": "radiators shed a few hundred W/m²",
        "article": "a square metre of radiator in orbit can only shed a few hundred watts",
        "physics": "; ".join(f"{t.upper()}: {flux[t]:.0f} W/m² of radiator (net, sized; an ideal "
                             f"two-sided ε 0.92 emitter at the mean coolant temperature: "
                             f"{ideal[t]:.0f} W/m²)" for t in flux),
        "verdict": "consistent" if all(50 <= f <= 1000 for f in flux.values()) else "depends",
        "numbers": {"radiator_flux_w_m2": flux, "ideal_two_sided_w_m2": ideal}})
    out.append({
        "claim": "30 kW on ~500 m² of panel",
        "article": "30 kW of solar capacity and around 500 m² of panel area per satellite",
        "physics": "; ".join(
            f"{r['tier'].upper()}: {r['compute_power_w'] / 1e3:.1f} kW of compute needs "
            f"{r['cell_area_m2']:.0f} m² of cells + "
            + (f"{r['radiator_area_m2']:.0f} m² of radiator = {r['total_area_m2']:.0f} m²"
               if r.get("feasible") else f"no radiator area works ({r['message']})")
            for r in rows),
        "verdict": ("consistent" if feas and all(r["total_area_m2"] <= 1.1 * 500 for r in feas)
                    and len(feas) == len(rows) else "depends"),
        "numbers": {r["tier"]: {"cells_m2": r["cell_area_m2"], "radiator_m2":
                                r["radiator_area_m2"], "total_m2": r["total_area_m2"]}
                    for r in rows}})
    w_kg = {r["tier"]: r["specific_power_w_kg"] for r in rows}
    out.append({
        "claim": "W/kg against the 2 t platform",
        "article": "~2 t per satellite, ~850 kg of it compute payload, 30 kW",
        "physics": f"the article's platform: {ARTICLE['solar_w'] / ARTICLE['platform_mass_kg']:.0f}"
                   " W/kg; sized thermal/power subsystem alone: "
                   + ", ".join(f"{t.upper()} {v:.1f} W/kg ({r['mass_kg']:.0f} kg)"
                               for (t, v), r in zip(w_kg.items(), rows)),
        "verdict": "depends",
        "numbers": {"platform_w_kg": ARTICLE["solar_w"] / ARTICLE["platform_mass_kg"],
                    "subsystem_w_kg": w_kg}})
    return out


def panel_concept_claim(design, demand_w: float = 30e3) -> dict:
    """The article's architecture solved: one 500 m² sun-pointing panel, cells for the demand,
    the rest of the panel as loop-cooled radiator (no wings). Full coupled model."""
    from thermosat.satellite.satellite import Satellite

    g = design.solar_constant_w_m2
    eta = float(design.cell.efficiency(design.cell.t_ref_k + 25.0))
    cells = demand_w / ((1 - design.distribution_loss_fraction) * eta * design.packing * g)
    rad = max(ARTICLE["panel_area_m2"] - cells, 1.0)
    d = replace(design, cell_area_m2=cells, panel_radiator_area_m2=rad, wing_area_m2=0.0)
    res = Satellite(d).solve_steady()
    t = res.temperatures
    ok = res.limits["junction_margin_k"] >= 0
    full = float(design.cell.efficiency(t["cell_mean_k"])) * design.packing * g * 500.0
    return {
        "claim": "one flat panel: sun side makes power, shaded side radiates",
        "article": "each satellite is a large flat panel ... its shaded side radiating waste heat",
        "physics": (f"500 m² sun-pointing panel, {cells:.0f} m² of cells and {rad:.0f} m² of "
                    f"loop-cooled radiator on the same panel: junction {t['junction_max_k']:.1f} K "
                    f"({t['junction_max_k'] - 273.15:.1f} °C, limit "
                    f"{res.limits['junction_limit_k'] - 273.15:.0f} °C), coolant "
                    f"{t['coolant_min_k']:.1f}–{t['coolant_max_k']:.1f} K, cells "
                    f"{t['cell_max_k']:.1f} K; 500 m² all cells would make {full / 1e3:.0f} kW"),
        "verdict": "consistent" if ok else "inconsistent",
        "numbers": {"cells_m2": cells, "panel_radiator_m2": rad, **t,
                    "compute_w": res.power["compute_w"], "all_cells_pv_w": full,
                    "junction_limit_k": res.limits["junction_limit_k"]}}


def all_claims(rows: list[dict] | None = None, design=None) -> list[dict]:
    """Arithmetic claims, sizing claims (if rows) and the panel concept (if a design)."""
    out = arithmetic_claims()
    if rows:
        out += sizing_claims(rows)
    if design is not None:
        out.append(panel_concept_claim(design))
    return out
