"""Markdown report of a sizing run: tiers, margins, power budget, figures, article claims."""
from __future__ import annotations

import os
from pathlib import Path

from thermosat.common.atomic import atomic_write_text

__all__ = ["tier_table", "terminal_table", "write_report", "shown_mass", "readings_table"]

C0 = 273.15


def _k(v) -> str:
    return "—" if v is None else f"{v:.1f} K ({v - C0:.1f} °C)"


def _n(v, fmt=".1f") -> str:
    return "—" if v is None else format(v, fmt)


def tier_table(rows: list[dict]) -> str:
    """Plain-text table of the tiers for the terminal."""
    head = (f"{'tier':<5} {'alt km':>6} {'compute kW':>10} {'PV kW':>7} {'cells m²':>9} "
            f"{'radiator m²':>11} {'total m²':>9} {'Tj max K':>9} {'cells K':>8} "
            f"{'coolant K':>13} {'chip/rated W':>11} {'W/m²':>6} {'mass kg':>8} {'W/kg':>6}"
            f"  binding")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['tier']:<5} {r['altitude_km']:>6.0f} {r['compute_power_w'] / 1e3:>10.2f} "
            f"{r['pv_power_w'] / 1e3:>7.2f} {r['cell_area_m2']:>9.1f} "
            f"{_n(r['radiator_area_m2']):>11} {_n(r['total_area_m2']):>9} "
            f"{r['max_junction_temp_k']:>9.2f} {r['max_cell_temp_k']:>8.1f} "
            f"{r['coolant_min_temp_k']:>6.1f}–{r['coolant_max_temp_k']:<6.1f} "
            f"{_chip(r):>11} "
            f"{r['radiator_flux_w_m2']:>6.0f} {_n(shown_mass(r)[0], '.0f'):>8} "
            f"{_n(shown_mass(r)[1]):>6}  {r['binding_constraint']}"
            + ("" if r["feasible"] else "  (INFEASIBLE)")
            + (f"  [violated: {', '.join(r['violations'])}]" if r.get("violations") else ""))
    return "\n".join(lines)


def _chip(r: dict) -> str:
    """Per-chip power / rating (W), e.g. ``1399/1400``."""
    p, q = r.get("chip_power_w"), r.get("chip_rated_power_w")
    if p is None:
        return "—"
    return f"{p:.0f}/{q:.0f}" if q is not None and q == q else f"{p:.0f}/—"


def readings_table(plans: dict[str, dict[str, dict]],
                   rows: list[dict] | None = None) -> list[str]:
    """Markdown table of the readings of the article's "30 kW" and "12 to 24 chips" per tier:
    ``plans[tier][reading]`` = :meth:`~thermosat.case.load.Case.compute_plan` dicts.

    ``rows`` (the tier rows, optional): adds what the trade (issue 14 item 2) made of each
    reading's design (its chips and demand) — the best W/kg of its feasible trade rows, "not
    sized" for chips above their rating, "infeasible" — and marks the one each tier's
    answer uses."""
    by_tier = {r["tier"]: r for r in rows or []}
    trade_col = any(r.get("trades") for r in by_tier.values())
    md = ["| tier | reading | chips | W per chip | rating W | compute demand | rating |"
          + (" trade |" if trade_col else ""),
          "|---|---|---|---|---|---|---|" + ("---|" if trade_col else "")]
    for tier, by in plans.items():
        r = by_tier.get(tier, {})
        for reading, p in by.items():
            pc, rated = p["chip_power_w"], p["chip_rated_power_w"]
            ok = "—" if pc is None or rated is None else (
                "met" if pc <= rated * (1 + 1e-12) else f"**exceeded by {pc - rated:.0f} W**")
            demand_kw = None if p["demand_w"] is None else p["demand_w"] / 1e3
            line = (f"| {tier.upper()} | {reading} | {p['n_chips']} | {_n(pc, '.0f')} | "
                    f"{_n(rated, '.0f')} | {_n(demand_kw, '.1f')} kW | {ok} |")
            if trade_col:
                line += f" {_reading_outcome(r, p)} |"
            md.append(line)
    return md


def _same_plan(n_chips, demand_w, plan: dict) -> bool:
    """Whether ``n_chips`` chips and ``demand_w`` (W) are ``plan``'s (the same design)."""
    d = plan.get("demand_w")
    return (n_chips == plan["n_chips"] and demand_w is not None and d is not None
            and abs(demand_w - d) <= 1e-9 * d)


def _reading_outcome(r: dict, plan: dict) -> str:
    """What the tier's trade made of the design of ``plan`` (a compute plan: its chips and
    demand, matched on those, since two readings can give the same design): chosen / best
    W/kg / not sized / —."""
    ts = [t for t in r.get("trades") or [] if t.get("reading") is not None
          and _same_plan(t.get("n_chips"), t.get("demand_w"), plan)]
    if not ts:
        return "—"
    ok = [t for t in ts if t["feasible"] and t.get("specific_power_w_kg")]
    if ok:
        best = max(t["specific_power_w_kg"] for t in ok)
        head = ("**chosen**, " if r.get("feasible") and
                _same_plan(r.get("n_chips"), r.get("compute_demand_w"), plan) else "")
        where = (f"best of {len(ts)} placements" if len(ts) > 1 else
                 f"on {ts[0]['placement']}")
        return f"{head}{best:.1f} W/kg ({where})"
    if all(t["binding_constraint"] == "chip_rating" for t in ts):
        return "not sized: chips above their rating"
    return f"infeasible ({ts[0]['binding_constraint']})"


# --- terminal table that fits ---------------------------------------------------------------
def shown_mass(r: dict) -> tuple[float | None, float | None]:
    """(mass kg, W/kg) to show for a tier row: none for an infeasible design (its mass is
    that of a design that does not work)."""
    if not r.get("feasible", True):
        return None, None
    return r.get("mass_kg"), r.get("specific_power_w_kg")


def _tc(v) -> str:
    return "—" if v is None else f"{v:.1f} ({v - C0:.0f}°C)"


#: (header, width, priority (lower = kept longer), cell function)
_TERMINAL_COLUMNS = (
    ("tier", 6, 0, lambda r: r["tier"]),
    ("alt km", 6, 3, lambda r: f"{r['altitude_km']:.0f}"),
    ("compute kW", 10, 1, lambda r: f"{r['compute_power_w'] / 1e3:.2f}"),
    ("PV kW", 6, 5, lambda r: f"{r['pv_power_w'] / 1e3:.2f}"),
    ("cells m²", 8, 2, lambda r: f"{r['cell_area_m2']:.1f}"),
    ("radiator m²", 11, 0, lambda r: _n(r["radiator_area_m2"])),
    ("Tj max K (°C)", 15, 0, lambda r: _tc(r["max_junction_temp_k"])),
    ("cells K (°C)", 14, 4, lambda r: _tc(r["max_cell_temp_k"])),
    ("coolant K", 11, 3, lambda r: f"{r['coolant_min_temp_k']:.0f}–{r['coolant_max_temp_k']:.0f}"),
    ("W/chip", 9, 3, lambda r: _chip(r)),
    ("W/m²", 5, 6, lambda r: f"{r['radiator_flux_w_m2']:.0f}"),
    ("mass kg", 7, 2, lambda r: _n(shown_mass(r)[0], ".0f")),
    ("W/kg", 5, 2, lambda r: _n(shown_mass(r)[1], ".0f")),
)


def terminal_table(rows: list[dict], width: int | None = None) -> str:
    """The tier table for the terminal, fitted to ``width`` columns (default: the terminal's
    width, 100 when unknown): the least important columns are dropped until it fits, and
    the binding constraint / verdict goes on its own line under each tier. Temperatures in K
    with °C; an infeasible tier shows no area, mass or W/kg."""
    import shutil

    width = width or shutil.get_terminal_size((100, 24)).columns
    cols = list(_TERMINAL_COLUMNS)

    def total(cs):
        return sum(c[1] for c in cs) + 2 * (len(cs) - 1)

    while total(cols) > width and len(cols) > 3:
        drop = max((c for c in cols if c[2] > 0), key=lambda c: (c[2], -cols.index(c)),
                   default=None)
        if drop is None:
            break
        cols.remove(drop)
    head = "  ".join(f"{h:<{w}}" if i == 0 else f"{h:>{w}}" for i, (h, w, _, _) in
                     enumerate(cols))
    lines = [head, "-" * min(len(head), width)]
    for r in rows:
        cells = [f(r) for *_, f in cols]
        lines.append("  ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, (_, w, _, _))
                               in enumerate(zip(cells, cols))))
        verdict = (f"binding: {r['binding_constraint']}" if r["feasible"] else
                   f"INFEASIBLE ({r['binding_constraint']})")
        if r.get("violations"):
            verdict += f"; violated: {', '.join(r['violations'])}"
        lines.append(f"{'':6}  {verdict}"[:max(width, 20)])
    return "\n".join(lines)


# --- surface exchange -----------------------------------------------------------------------
_EXCHANGE_ROWS = (("panel_to_wings_w", "panel back → wings (net)"),
                  ("panel_to_bus_w", "panel back → bus (net)"),
                  ("bus_to_wings_w", "bus → wings (net)"),
                  ("wings_to_space_w", "wings → space (net)"),
                  ("panel_back_to_space_w", "panel back → space (net)"),
                  ("bus_to_space_w", "bus → space (net)"))


def _surface_exchange(sx: dict | None) -> list[str]:
    """The wing–panel–bus exchange: what it changes in the sized area, and its energy
    balance (W)."""
    if not sx:
        return []
    md = ["", "**Wing–panel radiative exchange.** "]
    if not sx.get("enabled"):
        md[-1] += f"Not modelled ({sx.get('note', 'off')})."
        return md
    if "message" in sx:
        md[-1] += (sx["message"][0].upper() + sx["message"][1:] + ". The panel's hot back "
                   "face, the wings and the bus see each other (gray diffuse exchange, the "
                   "rest of each view to the 3 K sink); without it every surface would see "
                   "only the sink. Re-sized without the exchange from the sized area in "
                   f"{sx['solves']} coupled solves ({sx.get('status', '')}).")
        md += ["", "| | with exchange | without | change |", "|---|---|---|---|",
               f"| radiator area | {sx['radiator_area_m2']:.1f} m² | "
               f"{sx['radiator_area_without_m2']:.1f} m² | {sx['delta_area_m2']:+.1f} m² "
               f"({100 * sx['delta_area_rel']:+.1f} %) |",
               f"| cell area | {sx['cell_area_m2']:.1f} m² | {sx['cell_area_without_m2']:.1f} "
               f"m² | {sx['cell_area_m2'] - sx['cell_area_without_m2']:+.1f} m² |"]
        if sx.get("margin_without_k") is not None:
            md.append(f"| binding margin left | {sx['margin_k']:.2f} K | "
                      f"{sx['margin_without_k']:.2f} K | |")
    else:
        md[-1] += sx.get("note", "")
    b = sx.get("breakdown_w")
    if b:
        md += ["", "| exchange at the design point | W |", "|---|---|"]
        md += [f"| {label} | {b[k]:.0f} |" for k, label in _EXCHANGE_ROWS if k in b]
        md += [f"| panel back emission (total) | {b['panel_back_emitted_w']:.0f} |"]
    return md


def margin_table(r: dict) -> list[str]:
    """Margins of a tier row: the limit margins, and the coolant margin (distance to freezing
    / boiling) with what is left beyond the required margin, named apart."""
    m = r["margins_k"]
    need = r.get("required_coolant_margin_k")
    md = ["| constraint | margin (K) |", "|---|---|"]
    for k, v in m.items():
        if k in ("coolant_freeze", "coolant_boil") and need is not None:
            dist = r.get(f"{k}_margin_k", v + need)
            what = "freezing" if k == "coolant_freeze" else "boiling"
            md.append(f"| coolant to {what} | {dist:+.2f} (required {need:g}, beyond required "
                      f"{v:+.2f}) |")
        else:
            md.append(f"| {k} | {v:+.2f} |")
    return md


def mass_table(r: dict) -> list[str]:
    """The mass breakdown; an infeasible tier gets a note instead (its design does not work)."""
    if not r.get("feasible", True):
        return ["No mass or W/kg: the design is infeasible."]
    md = ["| mass | kg |", "|---|---|"]
    md += [f"| {k.replace('_kg', '')} | {v:.1f} |" for k, v in r["mass_breakdown_kg"].items()]
    return md


def _rel(path: str, base: Path) -> str:
    return os.path.relpath(path, base)


def write_report(path, rows: list[dict], claims: list[dict], case_texts: dict[str, str],
                 plans: dict[str, dict[str, dict]] | None = None,
                 published: list[dict] | None = None) -> Path:
    """Write the Markdown report to ``path`` atomically (``plans``: the compute readings per
    tier for the side-by-side table, see :func:`readings_table`; ``published``: the
    ``published_designs`` list for the per-tier cards)."""
    from thermosat.post.trade_report import cards_section, trade_section, uncertainty_section

    path = Path(path)
    base = path.parent
    md = ["# thermosat sizing report", "",
          "Radiator and cell area per orbital tier, sized on the full coupled model "
          "(panel layers, radiator wings, coolant loop, chip packages, power loop closed). "
          "Steady design point: the hot case, for every radiator placement traded; the "
          "winner is checked in the cold case and run through its coldest orbit until the "
          "orbit repeats. SI units, K "
          "(°C alongside).", "", "## Summary", "",
          "| tier | altitude | compute | PV | cells | radiator | total | junction max "
          "(limit) | cells max | coolant min–max | radiator flux | mass | W/kg | binding |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    md[-2] = md[-2].replace("| cells max |", "| chip / rated |  cells max |")
    for r in rows:
        md.append(
            f"| {r['tier'].upper()} | {r['altitude_km']:.0f} km | "
            f"{r['compute_power_w'] / 1e3:.2f} kW | {r['pv_power_w'] / 1e3:.2f} kW | "
            f"{r['cell_area_m2']:.1f} m² | {_n(r['radiator_area_m2'])} m² | "
            f"{_n(r['total_area_m2'])} m² | {_k(r['max_junction_temp_k'])} "
            f"({r['junction_limit_k']:.1f} K) | {_chip(r)} W | {_k(r['max_cell_temp_k'])} | "
            f"{r['coolant_min_temp_k']:.1f}–{r['coolant_max_temp_k']:.1f} K "
            f"({r['coolant_min_temp_k'] - C0:.1f}–{r['coolant_max_temp_k'] - C0:.1f} °C) | "
            f"{r['radiator_flux_w_m2']:.0f} W/m² | {_n(shown_mass(r)[0], '.0f')} kg | "
            f"{_n(shown_mass(r)[1])} | {r['binding_constraint']}"
            + ("" if r["feasible"] else " **(infeasible)**") + " |")
    md += tiers_section(rows)
    md += cards_section(rows, published)  # issue 14
    if plans:
        md += ["", "## Chips, rating and the article's \"30 kW\"", "",
               "A chip never runs above its rated power. The article's 30 kW and its 12 to "
               "24 chips per tier cannot both hold with rated parts; the readings side by "
               + ("side. The case's `compute.reading` is sized on every placement, the other "
                  "readings on the best placement (the trade table of each tier); the answer "
                  "is the feasible one with the highest W/kg (`trade` column):"
                  if any(t.get("reading") for r in rows for t in r.get("trades") or []) else
                  "side (the sized one is the case's `compute.reading`):"), ""]
        md += readings_table(plans, rows)
    for r in rows:
        t = r["tier"].upper()
        md += ["", f"## {t} ({r['altitude_km']:.0f} km, β = {r['beta_deg']:.0f}°)", "",
               r["message"], ""]
        if r.get("chip_power_w") is not None:
            md += [f"Chips: {r.get('n_chips', '—')} at {r['chip_power_w']:.0f} W each (rated "
                   f"{_n(r.get('chip_rated_power_w'), '.0f')} W, reading "
                   f"`{r.get('compute_reading', '—')}`). Sized against the "
                   f"`{r.get('hot_case', '—')}` environment.", ""]
        if r.get("cold_case"):
            md += [f"Cold case `{r['cold_case']}` (steady, sized areas): coolant min "
                   f"{_k(r['cold_case_coolant_min_k'])}, {r.get('cold_steady_freeze_margin_k', r['freeze_margin_k']):.1f} K above "
                   f"freezing (required {r.get('required_freeze_margin_k', 0):g} K: "
                   f"{'met' if r.get('freeze_ok') else '**not met**'}); junction max "
                   f"{_k(r.get('cold_case_junction_max_k'))}, cells max "
                   f"{_k(r.get('cold_case_cell_max_k'))}.", ""]
        if r.get("area_mesh_change_rel") is not None:
            md += [f"Mesh convergence: re-sized on the h/2 mesh "
                   f"({r['refined_fin_elements_per_pitch']} elements per tube pitch, "
                   f"{r['refined_element_size_m']:.3g} m elsewhere) the radiator needs "
                   f"{r['refined_radiator_area_m2']:.1f} m², "
                   f"{100 * r['area_mesh_change_rel']:+.2f} % "
                   f"({'within' if abs(r['area_mesh_change_rel']) <= 0.03 else '**outside**'} "
                   f"the ±3 % bound).", ""]
        eh = r.get("environment_heating")
        if eh:
            md += [f"Orbital heating on the geometry (ray-traced: the satellite's own bodies "
                   f"block sunlight and the Earth, white surfaces reflect the solar band onto "
                   f"each other): the exchanging faces absorb {eh['blocked_w'] / 1e3:.2f} kW, "
                   f"against {eh['isolated_w'] / 1e3:.2f} kW counted as isolated plates "
                   f"({eh['delta_w'] / 1e3:+.2f} kW). Its effect on the area is the "
                   f"\"blockage and reflection\" row below.", ""]
        md += attribution_table(r.get("area_attribution"))
        if r.get("header_bore_m") is not None:
            md += [f"Hydraulics: headers {1e3 * r['header_bore_m']:.1f} mm, transfer lines "
                   f"{1e3 * r['transfer_line_bore_m']:.1f} mm, loop Δp "
                   f"{r['loop_pressure_drop_pa'] / 1e3:.1f} kPa, channel flow max/min "
                   f"{r['channel_maldistribution']:.3f}.", ""]
        if r.get("violations"):
            md += [f"**Limits violated at the design point: {', '.join(r['violations'])}**", ""]
        elif "violations" in r:
            md += ["All limits met at the design point.", ""]
        md += margin_table(r)
        o = r.get("orbit", {})
        md += ["", "| power budget | W |", "|---|---|",
               f"| PV electric | {r['pv_power_w']:.1f} |",
               f"| compute (chips) | {r['compute_power_w']:.1f} |",
               f"| pump | {r['pump_power_w']:.1f} |",
               f"| energy balance (relative imbalance) | {r['energy_balance_rel']:.1e} |",
               ""]
        md += mass_table(r)
        md += trade_section(r)  # issue 14: placements traded, uncertainty
        md += uncertainty_section(r)
        md += _surface_exchange(r.get("surface_exchange"))  # surface exchange
        if o:
            md += ["", f"Over one orbit (eclipse {o['eclipse_fraction'] * 100:.1f} %, period "
                       f"{o['period_s'] / 60:.1f} min): junction {o['junction_min_k']:.1f}–"
                       f"{o['junction_max_k']:.1f} K, cells {o['cell_min_k']:.1f}–"
                       f"{o['cell_max_k']:.1f} K, coolant {o['coolant_min_k']:.1f}–"
                       f"{o['coolant_max_k']:.1f} K; freeze flag: "
                       f"{'**YES**' if o['freeze'] else 'no'}; boil flag: "
                       f"{'**YES**' if o['boil'] else 'no'}."]
            md += orbit_junction_note(r, o)
            if r.get("orbit_cyclic_residual_k") is not None:
                md += ["", f"The orbit is the repeating one of the `{r.get('orbit_case')}` "
                           f"environment: orbits iterated until the state at the same phase "
                           f"repeats ({r['orbit_cyclic_residual_k']:.3f} K between the last two; "
                           f"bound 0.05 K). Coolant minimum {_k(r.get('orbit_coolant_min_k'))}"
                           f", {r['freeze_margin_k']:.1f} K above freezing; heaters peak "
                           f"{r['heater_power_w']:.0f} W; battery {r['battery_energy_wh']:.0f} Wh"
                           f" ({r.get('battery_mass_kg', 0):.1f} kg) carries the eclipse loads."]
        f = r["files"]
        md += [""]
        for key, cap in (("render_radiators", "temperature field: panel back, wings, coolant"),
                         ("render_packages", "chip packages"),
                         ("plot_area_vs_junction", "required area against junction limit"),
                         ("plot_loop", "coolant along the loop"),
                         ("plot_orbit", "orbit transient")):
            if key in f:
                md.append(f"![{t}: {cap}]({_rel(f[key], base)})")
        if "vtm" in f:
            md += ["", f"3D fields: `{_rel(f['vtm'], base)}` (open in ParaView or "
                       f"`pyvista.read`)."]
    md += ["", "## The article's claims, checked", "",
           "| claim | article | physics | verdict |", "|---|---|---|---|"]
    for c in claims:
        md.append(f"| {c['claim']} | {c['article']} | {c['physics']} | **{c['verdict']}** |")
    md += ["", "## Cases used", ""]
    for name, text in case_texts.items():
        md += [f"### {name}", "", "```toml", text.rstrip(), "```", ""]
    return atomic_write_text(path, "\n".join(md) + "\n")


def orbit_junction_note(r: dict, o: dict) -> list[str]:
    """A flagged line when the orbit's junction maximum exceeds the limit (K), else nothing.
    The orbit holds the chips at the sized compute in sunlight (at most the rated total), so
    a junction above the limit there means the orbit's transient runs hotter than the steady
    hot case the radiator was sized against."""
    over = o["junction_max_k"] - r["junction_limit_k"]
    if not over > 0:
        return []
    return ["", f"**The junction exceeds its {r['junction_limit_k']:.1f} K limit by {over:.1f} K "
                f"in this orbit**, with the chips at the {r['compute_power_w'] / 1e3:.1f} kW "
                "the radiator was sized for: the orbit's transient runs hotter than the "
                "steady hot case the sizing used."]


def tiers_section(rows: list[dict]) -> list[str]:
    """"Why the tiers differ": per sized tier the compute and its chips, the radiator per kW,
    the wings' edge-on view factor to the Earth at that altitude and the coolant range, with
    the two reasons they move the area (from the numbers of this run)."""
    from thermosat.physics.earth_view import edge_on_view_factor

    ok = [r for r in rows if r.get("feasible") and r.get("radiator_area_m2")]
    if len(ok) < 2:
        return []
    vf = {r["tier"]: float(edge_on_view_factor(r["altitude_km"] * 1e3)) for r in ok}
    md = ["", "## Why the tiers differ", "",
          "| tier | compute | chips × power | radiator | m² per kW | edge-on view factor to "
          "the Earth | coolant | radiator flux | binding |", "|---|---|---|---|---|---|---|---|---|"]
    for r in ok:
        kw = r["compute_power_w"] / 1e3
        md.append(f"| {r['tier'].upper()} | {kw:.1f} kW | {r.get('n_chips', '—')} × "
                  f"{_n(r.get('chip_power_w'), '.0f')} W | {r['radiator_area_m2']:.1f} m² | "
                  f"{r['radiator_area_m2'] / kw:.2f} | "
                  f"{vf[r['tier']]:.3f} | "
                  f"{r['coolant_min_temp_k']:.1f}–{r['coolant_max_temp_k']:.1f} K | "
                  f"{r['radiator_flux_w_m2']:.0f} W/m² | {r['binding_constraint']} |")
    lo, hi = min(ok, key=lambda r: r["altitude_km"]), max(ok, key=lambda r: r["altitude_km"])
    md += ["", "Two things set the radiator per kW of compute. (1) How much of the wings' view "
           "is the Earth: its infrared (and albedo by day) falls on both faces of an edge-on "
           f"wing, and the view factor falls from {vf[lo['tier']]:.3f} at "
           f"{lo['altitude_km']:.0f} km to {vf[hi['tier']]:.3f} at {hi['altitude_km']:.0f} km. (2) How warm the coolant may run: the junction limit "
           "is fixed, so a chip at lower power (a smaller junction-to-coolant rise) lets the "
           "coolant and the radiator run warmer, and a radiator rejects ∝ T⁴ per m². The "
           "compute itself is the tier's reading of the article's \"30 kW\" and \"12 to 24 "
           "chips\" (table below), so the areas differ by compute as well."]
    return md


def attribution_table(att: dict | None) -> list[str]:
    """Markdown: what each change of this round did to the sized area (one at a time)."""
    if not att:
        return []
    md = [f"What moved the area (measured {att.get('date', '?')} at commit "
          f"`{att.get('commit', '?')}` by `scripts/area_attribution.py`: each change undone "
          f"one at a time from the default and the radiator re-sized; one at a time, so the "
          f"effects interact and do not add up exactly):", ""]
    if not att.get("matches_this_run"):
        md += [f"*The model has changed since: that measurement's default sized "
               f"{_n(att.get('radiator_area_m2'))} m², this run's differs by more than 2 %.*",
               ""]
    md += ["| change | before → now | area without it | effect of the change |",
           "|---|---|---|---|"]
    for c in att.get("changes", []):
        if c["area_without_m2"] is None:
            without = f"infeasible ({c['binding_without']})"
            eff = "needed to be feasible"
        else:
            without = f"{c['area_without_m2']:.1f} m²"
            eff = f"{c['effect_m2']:+.1f} m² ({100 * c['effect_rel']:+.0f} %)"
        md.append(f"| {c['change']} | {c['before']} → {c['after']} | {without} | {eff} |")
    rt = att.get("reading_trade")
    if rt:
        md += ["", f"The table is of the case's reading `{rt['from_reading']}` "
               f"({rt['compute_from_w'] / 1e3:.1f} kW on {rt['n_chips_from']} chips: "
               f"{rt['area_from_m2']:.1f} m² in this run); the trade then chose "
               f"`{rt['to_reading']}` ({rt['compute_to_w'] / 1e3:.1f} kW on "
               f"{rt['n_chips_to']} chips) for its higher W/kg: "
               f"{rt['area_to_m2'] - rt['area_from_m2']:+.1f} m² "
               f"({100 * (rt['area_to_m2'] / rt['area_from_m2'] - 1):+.0f} %)."]
    return md + [""]
