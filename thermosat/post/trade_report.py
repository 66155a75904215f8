"""Report sections of issue 14: the placement and compute-reading trade table per tier, the
per-tier cards against the published designs, and the uncertainty line (Markdown lines; SI
units)."""
from __future__ import annotations

__all__ = ["trade_section", "card_values", "cards_section", "uncertainty_section"]

_WHY = {
    "beside": "wings on the panel's long edges: their inner faces see the hot panel back "
              "(view factor ~0.3) and take its infrared",
    "outboard": "wings beyond the edges in the panel plane's extension: they see the panel "
                "only edge-on (view factor ~0.01), so nearly all their view is cold space",
    "boom": "one radiator on a boom behind the panel: the panel back fills < 1 % of its "
            "view, paid for with boom mass and longer transfer lines",
    "panel_back": "the article's concept: a cell-free strip of the sun-pointing panel; its "
                  "front faces the Sun and its back the Earth at noon",
}


def _n(v, fmt=".1f") -> str:
    return "—" if v is None else format(v, fmt)


def _key(t: dict) -> str:
    """A trade row's key in ``trade_notes``: the rule of
    :func:`thermosat.studies.trades.trade_key` (post/ sits below studies/): the placement,
    with the reading when the row states one."""
    return t["placement"] if t.get("reading") is None else f"{t['placement']}/{t['reading']}"


def _chosen(t: dict, r: dict) -> bool:
    """Whether trade row ``t`` is the tier's answer ``r`` (same placement and, when the row
    states one, the same compute reading)."""
    return t["placement"] == r.get("placement") and (
        t.get("reading") is None or t.get("reading") == r.get("compute_reading"))


def _chips(t: dict) -> str:
    """``n × W`` of a trade row (chips and W per chip), ``—`` when not stated."""
    n, p = t.get("n_chips"), t.get("chip_power_w")
    return "—" if n is None or p is None else f"{n} × {p:.0f}"


def _compute(t: dict) -> str:
    """Compute of a trade row (kW): what the sized design delivers, else the demand."""
    w = t.get("compute_w") if t.get("compute_w") is not None else t.get("demand_w")
    return _n(None if w is None else w / 1e3)


def trade_section(r: dict) -> list[str]:
    """The trade table of one tier's row (``r["trades"]``): every placement, and the compute
    readings sized on the best placement, with what each gains or loses and why (m², kg,
    kW, W per chip); empty when the tier was not traded."""
    rows = r.get("trades")
    if not rows:
        return []
    notes = r.get("trade_notes", {})
    readings = list(dict.fromkeys(t.get("reading") for t in rows))
    traded = len(readings) > 1
    if traded:
        own = rows[0].get("reading")
        md = ["", f"### Radiator placements and compute readings traded (chosen: "
                  f"`{r.get('placement')}`, reading `{r.get('compute_reading')}`)", "",
              f"Each placement sized on the full coupled model for the case's reading "
              f"(`{own}`) and the same limits; the tier's other readings of the article's "
              f"\"30 kW\" and \"12 to 24 chips\" (the chips table above) sized on the best "
              f"placement. A reading changes the chip count and the compute demand, hence "
              f"the cells, the heat to reject and the packages' mass, while the hinges, the "
              f"boom and the transfer lines stay: more compute over the same fixed masses "
              f"raises W/kg, and fewer watts per chip lower the junction-to-coolant rise, "
              f"so the coolant may run warmer and each m² of radiator rejects more. A reading "
              f"that runs the chips above their rating is not sized (binding `chip_rating`): "
              f"no radiator area fixes it. The answer is the feasible row with the highest "
              f"W/kg over placements × readings; every later step (cold check, mesh check, "
              f"orbit, figures) runs on it.", ""]
    else:
        md = ["", f"### Radiator placements traded (chosen: `{r.get('placement')}`)", "",
              "Each placement sized on the full coupled model for the same demand and limits; "
              "the answer is the feasible one with the highest W/kg.", ""]
    md += ["| placement | reading | compute kW | chips × W | feasible | radiator m² | "
           "cells m² | mass kg | W/kg | radiator W/m² | IR from panel+bus into radiator kW | "
           "hinges + boom kg | binding | gains / loses |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for t in rows:
        ex = t.get("exchange_into_radiator_w")
        b = "**" if _chosen(t, r) else ""
        md.append(
            f"| {b}{t['placement']}{b} | {b}{t.get('reading') or '—'}{b} | {_compute(t)} | "
            f"{_chips(t)} | {'yes' if t['feasible'] else 'no'} | "
            f"{_n(t['radiator_area_m2'])} | "
            f"{_n(t.get('cell_area_m2'))} | {_n(t['mass_kg'], '.0f')} | "
            f"{_n(t['specific_power_w_kg'])} | {_n(t.get('radiator_flux_w_m2'), '.0f')} | "
            f"{_n(None if ex is None else ex / 1e3, '.2f')} | "
            f"{(t.get('hinges_kg') or 0) + (t.get('boom_kg') or 0):.0f} | "
            f"{t['binding_constraint']} | {notes.get(_key(t), '')} |")
    placed = list(dict.fromkeys(t["placement"] for t in rows if t["placement"] in _WHY))
    md += ["", "Why: " + "; ".join(f"**{p}** — {_WHY[p]}" for p in placed) + "."]
    return md


def card_values(r: dict) -> dict | None:
    """Per-tier card (W/m² of radiator, kg/m² of radiator, W/kg of the thermal/power
    subsystem, m² of radiator per MW of compute) of a feasible row, else None."""
    a, m = r.get("radiator_area_m2"), r.get("mass_kg")
    if not r.get("feasible") or not a or not m:
        return None
    heat = r.get("radiator_flux_w_m2")
    rad_kg = sum(v for k, v in r.get("mass_breakdown_kg", {}).items()
                 if k in ("wings_kg", "hinges_kg", "boom_kg"))
    return {"radiator_w_m2": heat, "radiator_kg_m2": rad_kg / a if rad_kg else None,
            "subsystem_w_kg": r["compute_power_w"] / m,
            "radiator_m2_per_mw": a / (r["compute_power_w"] / 1e6)}


def cards_section(rows: list[dict], published: list[dict] | None) -> list[str]:
    """Per-tier cards beside the published designs' W/m² (under their own assumptions and
    self-consistent)."""
    md = ["", "## Per-tier cards against the published designs", "",
          "| design | W/m² of radiator | kg/m² of radiator | W/kg (thermal/power subsystem) "
          "| m² of radiator per MW |", "|---|---|---|---|---|"]
    for r in rows:
        c = card_values(r)
        if c is None:
            md.append(f"| {r['tier'].upper()} (infeasible) | — | — | — | — |")
            continue
        md.append(f"| {r['tier'].upper()} `{r.get('placement', '—')}` | "
                  f"{c['radiator_w_m2']:.0f} | {_n(c['radiator_kg_m2'], '.2f')} | "
                  f"{c['subsystem_w_kg']:.1f} | {c['radiator_m2_per_mw']:.0f} |")
    for p in published or []:
        md.append(f"| {p['name']} (published / own assumptions / self-consistent) | "
                  f"{p['published_w_m2']:.0f} / {p['computed_w_m2']:.0f} / "
                  f"{p['self_consistent_w_m2']:.0f} | — | — | "
                  f"{1e6 / p['published_w_m2']:.0f} (published) |")
    md += ["", "W/m² of radiator: heat the loop delivers to the radiators per m² of radiator "
               "planform (both faces). m² per MW: radiator planform per MW of compute "
               "(published designs: per MW of rejected heat). The published designs' notes "
               "(results.json `published_designs`) explain every difference."]
    return md


def uncertainty_section(r: dict) -> list[str]:
    """The tier's uncertainty line (``r["uncertainty"]``), empty without one."""
    u = r.get("uncertainty")
    if not u:
        return []
    md = ["", f"Uncertainty ({u.get('method', '')}): {r.get('uncertainty_samples', 0)} "
              f"samples, P95 required radiator area {_n(r.get('area_p95_m2'))} m² against "
              f"{_n(u.get('area_nominal_m2'))} m² nominal."]
    errs = [c for c in u.get("check") or [] if c.get("area_error_rel") is not None]
    if errs:
        md.append(f"Check at this run: {len(errs)} sample(s) re-sized in full; the area from "
                  f"the margin slope is within "
                  f"{100 * max(abs(c['area_error_rel']) for c in errs):.1f} % of it.")
    rk = u.get("ranking") or []
    if rk:
        md.append("Inputs that move the area most: " + ", ".join(
            f"{x['input']} ({x['delta_area_m2_over_range']:+.1f} m² over its range)"
            for x in rk[:4] if x.get("delta_area_m2_over_range") is not None) + ".")
    return md
