"""The main job for one tier: size, check over an orbit, and write every output.

Outputs in ``out_dir``: ``result.json`` (the contract row plus details), ``satellite.vtm``
(steady temperature fields: panel layers, wings, coolant, packages), PNG renders of the
fields, and plots (required area against junction limit, coolant along the loop, orbit).
"""
from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path


from thermosat.common.atomic import atomic_write_text
from thermosat.satellite.satellite import Satellite, SatelliteDesign
from thermosat.studies.contract import contract_row
from thermosat.studies.sizing import SizingResult, _set_area, size_design

__all__ = ["run_tier", "contract_row", "exchange_effect"]


def _curve_points(sizing: SizingResult, vary: str, factors=(0.75, 1.5, 2.5), progress=None):
    """Extra full-model evaluations around the sized area for the area–limit curve."""
    from thermosat.common.progress import bar

    rows = [dict(r) for r in sizing.evaluations]
    base = sizing.design
    for f in bar(iterable=factors, total=len(factors), desc="area–limit curve", unit="solve"):
        d = _set_area(base, vary, base.radiator_area_m2 * f)
        res = Satellite(d).solve_steady()
        row = {"radiator_area_m2": d.radiator_area_m2, **res.temperatures,
               "compute_w": res.power["compute_w"]}
        rows.append(row)
        if progress:
            progress(row)
    return rows


# --- surface exchange: what the wing–panel–bus exchange changes in the sized area ---------
def _margin(row: dict) -> float:
    """Worst margin (K) of the constraints that improve with area, as the sizing uses."""
    return min(row["margin_junction"], row["margin_coolant_boil"])


def _exchange_breakdown(res) -> dict:
    """The exchange's energy balance at a solved design (W): panel → wings, wings → space..."""
    ex = res.exchange
    if ex is None:
        return {}
    g, b = ex["groups"], ex["between"]
    wings = [k for k in g if k.startswith("wing")]

    def net(a, c):
        return b.get(f"{a}→{c}", 0.0) - b.get(f"{c}→{a}", 0.0)

    return {"panel_to_wings_w": sum(net("panel", w) for w in wings),
            "panel_to_bus_w": net("panel", "bus") if "bus" in g else 0.0,
            "bus_to_wings_w": sum(net("bus", w) for w in wings) if "bus" in g else 0.0,
            "wings_to_space_w": sum(g[w]["to_space_w"] for w in wings),
            "panel_back_to_space_w": g["panel"]["to_space_w"] if "panel" in g else 0.0,
            "bus_to_space_w": g["bus"]["to_space_w"] if "bus" in g else 0.0,
            "panel_back_emitted_w": g["panel"]["emitted_w"] if "panel" in g else 0.0,
            "between_w": dict(b), "exchange_facets": ex["n_exchange_facets"]}


def exchange_effect(sizing: SizingResult, demand_w: float, vary: str, *,
                    area_bounds_m2=(1.0, 5000.0), max_solves: int = 5,
                    margin_tol_k: float = 0.05, area_rtol: float = 5e-3,
                    progress=None) -> dict:
    """Re-size ``sizing``'s design with ``surface_exchange=False`` to show what the exchange
    changes in the sized area.

    Seeded at the sized area: one coupled solve there without the exchange, then steps on
    ``x = A^(−1/4)`` (a radiator's temperature goes as (Q/A)^(1/4), so the margin is nearly
    linear in x) for the worst margin of the constraints that grow with area (the sizing's
    own criterion): the first step with the slope of that margin from the sizing's
    evaluations near the sized area, then secant, then Illinois regula falsi once the root is
    bracketed; area steps at most ×3. At most ``max_solves`` coupled solves; the cell area is
    rescaled by demand / compute after each, as the sizing does. Converged when a solve is
    within ``margin_tol_k`` of the limit on the safe side or the bracket is narrower than
    ``area_rtol``. The area reported without the exchange is, as in the sizing, the smallest
    area tried that meets the limits (``bracket_without_m2``: the largest failing area tried
    below it, and it); only if none met them, a secant estimate (``status``).
    """
    import math

    from thermosat.studies.sizing import _evaluate

    d = sizing.design
    out: dict = {"enabled": bool(d.exchange_enabled)}
    if not d.exchange_enabled:
        out["note"] = ("no wings: nothing to exchange with" if d.wing_area_m2 == 0 else
                       "surface_exchange is off")
        return out
    if sizing.result is not None:
        out["breakdown_w"] = _exchange_breakdown(sizing.result)
    if not sizing.feasible:
        out["note"] = "the sizing with the exchange found no feasible area; no comparison"
        return out
    a_ex = d.radiator_area_m2

    def xa(area):
        return area ** -0.25

    # slope dmargin/dx from the sizing evaluations nearest the sized area
    rows = [r for r in sizing.evaluations if r["radiator_area_m2"] > 0]
    near = sorted(rows, key=lambda r: abs(math.log(r["radiator_area_m2"] / a_ex)))[:3]
    slope = None
    for i, j in ((0, 1), (0, 2), (1, 2)):
        if j < len(near):
            dx = xa(near[j]["radiator_area_m2"]) - xa(near[i]["radiator_area_m2"])
            if abs(dx) > 1e-9 * xa(a_ex):
                slope = (_margin(near[j]) - _margin(near[i])) / dx
                break
    off = replace(d, surface_exchange=False)
    cells = d.cell_area_m2
    x_lo_b, x_hi_b = xa(area_bounds_m2[1]), xa(area_bounds_m2[0])
    log: list[dict] = []
    pts: list[tuple] = []          # (x, margin, cell area)
    lo = hi = None                 # bracket: (x, f) with f < 0 (too small) / f >= 0
    side = 0
    x = xa(a_ex)
    for _ in range(max_solves):
        dd = _set_area(replace(off, cell_area_m2=cells), vary, x ** -4)
        _, r, mm = _evaluate(dd, log, progress)
        f = min(mm["junction"], mm["coolant_boil"])
        pts.append((x, f, dd.cell_area_m2))
        if r.power["compute_w"] > 0:
            cells *= demand_w / r.power["compute_w"]
        if f >= 0:
            hi = (x, f) if hi is None or x > hi[0] else hi
        else:
            lo = (x, f) if lo is None or x < lo[0] else lo
        if 0.0 <= f <= margin_tol_k or (lo is not None and hi is not None
                                         and (hi[0] / lo[0]) ** -4 <= 1 + area_rtol):
            break
        if lo is not None and hi is not None:         # Illinois regula falsi
            fl = lo[1] * (0.5 if side == 1 else 1.0)
            fh = hi[1] * (0.5 if side == -1 else 1.0)
            xn = hi[0] - fh * (hi[0] - lo[0]) / (fh - fl)
        else:
            s_ = ((pts[-1][1] - pts[-2][1]) / (pts[-1][0] - pts[-2][0]) if len(pts) >= 2
                  else slope)
            if s_ is not None and s_ > 0:             # the margin falls as x grows
                s_ = -s_
            xn = x - f / s_ if s_ else x * 1.2 ** (0.25 if f > 0 else -0.25)
            xn = min(max(xn, x * 3 ** -0.25), x * 3 ** 0.25)
        side = 1 if f >= 0 else -1
        x = min(max(xn, x_lo_b), x_hi_b)
    # the answer, as the sizing gives it: the smallest area tried that meets the limits,
    # with the largest one tried below it that does not (the limit lies in between)
    feas = [p for p in pts if p[1] >= 0]
    if feas:
        best = max(feas, key=lambda p: p[0])
        a_off, m_off = best[0] ** -4, best[1]
        below = [p[0] ** -4 for p in pts if p[1] < 0 and p[0] > best[0]]
        bracket = [max(below), a_off] if below else None
        converged = 0.0 <= m_off <= margin_tol_k or bool(
            bracket and bracket[1] <= (1 + area_rtol) * bracket[0])
        status = ("converged" if converged else "bracketed" if bracket else "upper bound")
    else:                              # nothing feasible tried: secant estimate
        (x1, f1, _), (x2, f2, _) = pts[-2:] if len(pts) >= 2 else (pts[0], pts[0])
        s_ = (f2 - f1) / (x2 - x1) if x2 != x1 else slope
        a_off = (x2 - f2 / s_) ** -4 if s_ and s_ < 0 else float("nan")
        m_off, bracket, converged, status = None, None, False, "estimate"
    delta = a_ex - a_off
    m_ex = min(sizing.margins["junction"], sizing.margins["coolant_boil"])
    how = {"converged": "", "upper bound": " (an upper bound: no smaller area was tried)",
           "estimate": " (secant estimate: no area tried met the limits)"}.get(
        status, f" (the limit lies between {bracket[0]:.1f} and {bracket[1]:.1f} m²)"
        if bracket else "")
    out.update({
        "radiator_area_m2": a_ex, "radiator_area_without_m2": a_off,
        "cell_area_m2": d.cell_area_m2,
        "cell_area_without_m2": (best[2] if feas else pts[-1][2]),
        "margin_k": m_ex, "margin_without_k": m_off, "bracket_without_m2": bracket,
        "delta_area_m2": delta, "delta_area_rel": delta / a_off if a_off > 0 else None,
        "converged": converged, "status": status, "solves": len(pts),
        "evaluations": [{"radiator_area_m2": p[0] ** -4, "margin_k": p[1],
                         "cell_area_m2": p[2]} for p in pts],
        "message": (f"the wing–panel exchange changes the sized area by {delta:+.1f} m² "
                    f"({100 * delta / a_off:+.1f} %): {a_ex:.1f} m² with it, {a_off:.1f} m² "
                    f"without{how}"),
    })
    return out


def _trade(tier, design, demand_w, placements, sizing, vary, area_bounds_m2, say, *,
           reading=None, readings=None):
    """Size the other placements (:func:`thermosat.studies.trades.run_trades`), then the
    other compute readings on the winning placement
    (:func:`thermosat.studies.trades.run_reading_trades`), with a progress bar each, and
    choose the feasible row with the highest W/kg over all of them.

    ``placements``: the placements to trade (empty: ``design``'s own only, already sized in
    ``sizing``, and the readings are sized as it was, varying ``vary``); ``reading``: the
    name of ``design``'s reading; ``readings``: name →
    :class:`~thermosat.studies.trades.ReadingDesigns` of the alternatives (or None). With no
    feasible placement the readings are sized on ``design``'s own placement (a reading with
    fewer watts per chip may meet the limits where the case's does not).

    Returns (trade, the chosen sizing, its varied area, the chosen reading's name, its
    :class:`ReadingDesigns` or None when the case's own reading wins).
    """
    from thermosat.common.progress import bar
    from thermosat.satellite.placement import vary_of
    from thermosat.studies.trades import (choose_row, run_reading_trades, run_trades, trade_key,
                                          trade_notes)

    bars = []

    def factory(p):
        b = bar(total=None, desc=f"{tier}: trade {p}", unit="solve")
        bars.append(b)

        def on_eval(r):
            b.update()
            b.set_postfix_str(f"radiator {r['radiator_area_m2']:.1f} m², junction "
                              f"{r['junction_max_k']:.2f} K", refresh=False)
        return on_eval

    try:
        trade = run_trades(design, demand_w, placements or (design.placement,),
                           area_bounds_m2=area_bounds_m2, first=sizing,
                           say=lambda m: say(f"{tier}: {m}"), progress_factory=factory,
                           reading=reading)
        readings = {k: v for k, v in (readings or {}).items() if k != reading}
        # the rows are read; only the chosen placement can still be the answer (memory)
        for p, s in trade["sizings"].items():
            if p != trade["chosen"] and s is not sizing:
                s.release()
        if readings:
            p = trade["chosen"] or design.placement
            alt = run_reading_trades(readings, p, area_bounds_m2=area_bounds_m2,
                                     ref=trade["sizings"][p], ref_demand_w=demand_w,
                                     vary=None if placements else vary,
                                     say=lambda m: say(f"{tier}: {m}"),
                                     progress_factory=factory)
            trade["rows"] = trade["rows"] + alt["rows"]
            trade["reading_sizings"] = alt["sizings"]
            trade["time_s"] += alt["time_s"]
    finally:
        for b in bars:
            b.close()
    best = choose_row(trade["rows"])
    trade["notes"] = trade_notes(trade["rows"], None if best is None else trade_key(best))
    trade["chosen"] = best["placement"] if best is not None else None
    trade["chosen_reading"] = best["reading"] if best is not None else reading
    if best is None:
        say(f"{tier}: trade: no feasible row among {len(trade['rows'])} (placements × "
            f"readings); the case's own placement and reading are reported")
        _release_losers(trade, sizing)
        return trade, sizing, vary, reading, None
    ok = sorted((r for r in trade["rows"] if r["feasible"] and r["specific_power_w_kg"]),
                key=lambda r: -r["specific_power_w_kg"])
    runner = (f"; next {trade_key(ok[1])} at {ok[1]['specific_power_w_kg']:.1f} W/kg"
              if len(ok) > 1 else "")
    say(f"{tier}: trade winner: {trade_key(best)} "
        f"({best['specific_power_w_kg']:.1f} W/kg, the highest among {len(ok)} feasible of "
        f"{len(trade['rows'])} rows{runner})")
    if readings and best["reading"] in readings and best["reading"] != reading:
        out = (trade, trade["reading_sizings"][best["reading"]],
               vary_of(best["placement"]) if placements else vary,
               best["reading"], readings[best["reading"]])
    elif best["placement"] != sizing.design.placement:
        out = (trade, trade["sizings"][best["placement"]], vary_of(best["placement"]),
               reading, None)
    else:
        out = (trade, sizing, vary, reading, None)
    _release_losers(trade, out[1])
    return out


def _release_losers(trade: dict, winner) -> None:
    """Release every sizing of ``trade`` but ``winner`` and drop them from ``trade`` (its
    rows carry what the report needs): each held its solved model, ~0.5–1 GB at a sized
    tier, and six of them held together set the main job's peak memory."""
    for key in ("sizings", "reading_sizings"):
        for s in trade.pop(key, {}).values():
            if s is not winner:
                s.release()


def _uncertainty(tier, sizing, demand_w, n, say, engine: dict | None = None) -> dict:
    """The uncertainty keys of the row (one finished sample or check per bar step).

    ``engine``: keywords of :func:`~thermosat.studies.uncertainty_surrogate.surrogate_study`
    for where it runs (``scheduler``, ``workers``) and where finished samples are kept for a
    resume (``store_dir``); None = a local Dask cluster, one worker per core, no store."""
    from thermosat.common.progress import bar
    from thermosat.studies.uncertainty_surrogate import surrogate_study

    say(f"{tier}: uncertainty, {n} samples (one coupled solve each at the sized design, "
        "one re-sized in full as a check) on the Dask engine")
    with bar(total=n + 1, desc=f"{tier}: uncertainty", unit="sample") as b:
        u = surrogate_study(sizing, demand_w, n, progress=b.update, **(engine or {}))
    say(f"{tier}: uncertainty ran on {u['engine']} in {u['time_s']:.0f} s"
        + (f" ({u['resumed']} samples read back from {u['store']})" if u["resumed"] else "")
        + (f"; {u['failed']} sample(s) failed: {u['errors'][0]}" if u["failed"] else ""))
    errs = [abs(c["area_error_rel"]) for c in u["check"] if c["area_error_rel"] is not None]
    say(f"{tier}: P95 required area {u['area_p95_m2'] or float('nan'):.1f} m² "
        f"(nominal {u['area_nominal_m2']:.1f} m²); check: area from the margin slope within "
        + (f"{100 * max(errs):.1f} % of {len(errs)} full re-sizing(s)" if errs else
           "— (no feasible sample re-sized)"))
    return {"area_p95_m2": u["area_p95_m2"], "uncertainty_samples": u["uncertainty_samples"],
            "uncertainty": u}


def _add_shared_keys(row: dict, sizing: SizingResult) -> None:
    """The keys ``solve`` writes too (studies/vocabulary.py); the contract's keys win."""
    from thermosat.studies.vocabulary import shared_keys

    r = sizing.result
    for k, v in shared_keys(r.temperatures, r.limits, r.power).items():
        row.setdefault(k, v)


def run_tier(tier: str, design: SatelliteDesign, demand_w: float, out_dir, *,
             vary: str = "wings", area_bounds_m2=(1.0, 5000.0), n_orbits: float = 1.0,
             steps: int = 120, curve: bool = True, renders: bool = True,
             progress=None, cold_design: SatelliteDesign | None = None,
             orbit_design: SatelliteDesign | None = None,
             placements=None, uncertainty_samples: int = 0, reading: str | None = None,
             readings: dict | None = None, uncertainty_engine: dict | None = None) -> dict:
    """Size ``design`` for ``demand_w`` and write the tier's outputs into ``out_dir``.

    ``design`` is the sizing (hot) case; ``cold_design`` (the same case in its check
    environment, or None) is checked steady with the sized areas
    (:func:`thermosat.studies.bounding.cold_check`) and fills the row's ``cold_case`` keys;
    ``orbit_design`` (or None = the sizing case) is the environment of the repeating orbit.
    ``placements`` (issue 14): radiator placements to size and trade
    (:mod:`thermosat.studies.trades`); the feasible one with the highest W/kg is the answer
    every later step (cold check, orbit, renders) runs on. None or empty: ``design``'s own.
    ``reading``: the name of the compute reading ``design`` and ``demand_w`` (W) carry (the
    row's ``compute_reading`` and the placement rows' ``reading``); ``readings``: name →
    :class:`~thermosat.studies.trades.ReadingDesigns` of the tier's other readings (hot,
    cold and orbit designs, demand W), each sized on the winning placement (one whose chips
    would run above their rating is a row with binding ``chip_rating``, not sized); the
    feasible row with the highest W/kg over placements × readings is the answer, and when
    it is another reading every later step runs on that reading's sizing, designs and
    demand. None or empty: no reading trade.
    ``uncertainty_samples`` > 0: the uncertainty study of the answer
    (:func:`thermosat.studies.uncertainty_surrogate.surrogate_study`) fills ``area_p95_m2``,
    ``uncertainty_samples`` and ``uncertainty``; ``uncertainty_engine``: where it runs and
    keeps its finished samples (see :func:`_uncertainty`).
    """
    t0 = time.perf_counter()
    stages: dict[str, float] = {}   # wall seconds per stage, in the order they ran
    last = [t0]

    def lap(name: str) -> None:
        now = time.perf_counter()
        stages[name] = stages.get(name, 0.0) + now - last[0]
        last[0] = now

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda msg: None)
    say(f"{tier}: sizing on the full coupled model")
    from thermosat.common.progress import bar, is_quiet

    with bar(total=None, desc=f"{tier}: sizing", unit="solve") as pbar:
        def on_eval(r):
            pbar.update()
            pbar.set_postfix_str(f"radiator {r['radiator_area_m2']:.1f} m², junction "
                                 f"{r['junction_max_k']:.2f} K", refresh=False)
            say(f"{tier}:   radiator {r['radiator_area_m2']:8.1f} m², cells "
                f"{r['cell_area_m2']:7.1f} m² → junction {r['junction_max_k']:.2f} K"
                f", coolant min {r['coolant_min_k']:.2f} K")

        if placements:  # the trade sizes each placement with its own varied area
            from thermosat.satellite.placement import vary_of

            vary = vary_of(design.placement)
        sizing = size_design(design, demand_w, vary=vary, area_bounds_m2=area_bounds_m2,
                             progress=on_eval)
    lap("sizing")
    trade = None
    chosen_reading = reading
    if placements or readings:
        trade, sizing, vary, chosen_reading, rd = _trade(
            tier, design, demand_w, placements, sizing, vary, area_bounds_m2, say,
            reading=reading, readings=readings)
        if rd is not None:  # another reading won: every later step runs on it
            design, demand_w = rd.design, rd.demand_w
            cold_design, orbit_design = rd.cold_design, rd.orbit_design
        lap("trades")
    row = contract_row(tier, design, sizing)
    row["placement"] = sizing.design.placement  # issue 14
    row["compute_reading"] = chosen_reading
    row["compute_demand_w"] = demand_w
    row["panel_back_mli"] = bool(sizing.design.panel_back_mli)
    if trade is not None:
        row["trades"] = trade["rows"]
        row["trade_notes"] = trade["notes"]
        row["trade_time_s"] = trade["time_s"]
    _add_shared_keys(row, sizing)
    if "energy_balance" in row["violations"]:
        row["message"] += (f"; WARNING: energy imbalance {row['energy_balance_rel']:.1e} is above "
                           f"the tolerance {row['energy_tolerance_rel']:.0e}")
    row["area_p95_m2"], row["uncertainty_samples"] = None, 0
    if uncertainty_samples and sizing.feasible:
        row.update(_uncertainty(tier, sizing, demand_w, uncertainty_samples, say,
                                uncertainty_engine))
        lap("uncertainty")
    sat, res = sizing.satellite, sizing.result
    files: dict[str, str] = {}
    say(f"{tier}: {sizing.message}")
    if cold_design is not None:
        from thermosat.studies.bounding import cold_check, sized_in_environment

        say(f"{tier}: cold-case check ({cold_design.environment_name}, one coupled solve)")
        cold = cold_check(sized_in_environment(sizing.design, cold_design),
                          name=cold_design.environment_name, demand_w=demand_w)
        row.update(cold)
        if not cold["freeze_ok"]:
            row["message"] += (f"; WARNING: cold case {cold['cold_case']}: coolant "
                               f"{cold['cold_case_coolant_min_k']:.1f} K, "
                               f"{cold['freeze_margin_k']:.1f} K above freezing (required "
                               f"{cold['required_freeze_margin_k']:g} K)")
        lap("cold_check")
    # discretisation error of the sized area: re-size on the h/2 mesh (issue 12)
    if sizing.feasible:
        from thermosat.studies.mesh_change import area_mesh_change

        say(f"{tier}: re-sizing on the h/2 mesh (mesh-convergence check, ≤ 5 coupled solves)")
        mc = area_mesh_change(sizing, vary=vary, progress=lambda m: say(f"{tier}:   {m}"))
        row.update(mc)
        if abs(mc["area_mesh_change_rel"]) > 0.03:
            row["message"] += (f"; WARNING: the sized area moves "
                               f"{100 * mc['area_mesh_change_rel']:+.1f} % at one more mesh "
                               f"refinement (bound ±3 %)")
        lap("mesh_check")
    # ray-traced heating (issue 13): what blockage and reflection did to the absorbed heat
    eh = sizing.result.environment_heating if sizing.result is not None else None
    row["environment_heating"] = (None if eh is None else
                                  {k: eh[k] for k in ("isolated_w", "blocked_w", "delta_w")})
    from thermosat.studies.attribution import measured_attribution

    # the stored measurement is of the case's own reading: compare it with this run's
    # sizing of that reading at the chosen placement, and state the reading trade's step
    own = [t for t in (trade or {}).get("rows", []) if t.get("reading") == reading
           and t["placement"] == row["placement"] and t["feasible"]]
    anchor = own[0]["radiator_area_m2"] if own else row["radiator_area_m2"]
    row["area_attribution"] = measured_attribution(tier, anchor)
    if row["area_attribution"] is not None and own and chosen_reading != reading:
        row["area_attribution"]["reading_trade"] = {
            "from_reading": reading, "to_reading": chosen_reading,
            "area_from_m2": anchor, "area_to_m2": row["radiator_area_m2"],
            "compute_from_w": own[0]["compute_w"], "compute_to_w": row["compute_power_w"],
            "n_chips_from": own[0]["n_chips"], "n_chips_to": row.get("n_chips")}
    # surface exchange: re-size without it to show what it changes
    if sizing.design.exchange_enabled:
        say(f"{tier}: re-sizing without the wing–panel exchange (≤ 5 coupled solves)")
    row["surface_exchange"] = exchange_effect(sizing, demand_w, vary,
                                              area_bounds_m2=area_bounds_m2)
    if "message" in row["surface_exchange"]:
        say(f"{tier}: {row['surface_exchange']['message']}")
    lap("exchange_effect")
    # orbit transient of the sized (or best) design
    say(f"{tier}: repeating orbit ({steps} steps an orbit, until it repeats to 0.05 K)")
    from thermosat.studies.bounding import orbit_satellite
    from thermosat.studies.contract import orbit_keys

    # the coldest orbit (issue 12), chips at most at the sized demand
    osat, ores = orbit_satellite(sizing, orbit_design, demand_w)
    orbit = osat.solve_orbit(ores, n_orbits=n_orbits, steps=steps, progress=not is_quiet())
    row["orbit"] = {**orbit.extremes, "freeze": orbit.freeze, "boil": orbit.boil}
    orbit_keys(row, orbit, orbit_design.environment_name if orbit_design else None)
    lap("orbit")
    if orbit.freeze:
        row["message"] += (f"; WARNING: coolant reaches {orbit.extremes['coolant_min_k']:.1f} K "
                           f"in eclipse, within {design.loop.freeze_margin_k:g} K of freezing")
    from thermosat.post import plots
    from thermosat.post.multiblock import write_vtm
    from thermosat.post.satellite_view import render_satellite, satellite_multiblock

    files["vtm"] = str(write_vtm(out_dir / "satellite.vtm", satellite_multiblock(sat, res.T)))
    if renders:
        say(f"{tier}: rendering temperature fields")
        files.update(render_satellite(sat, res, out_dir, title=tier.upper()))
    lap("fields_and_renders")
    if curve and sizing.feasible:
        say(f"{tier}: area–junction-limit curve (3 more coupled solves)")
        pts = _curve_points(sizing, vary)
    else:
        pts = sizing.evaluations
    files["plot_area_vs_junction"] = str(plots.plot_area_vs_junction(
        pts, res.limits["junction_limit_k"], row["radiator_area_m2"],
        out_dir / "area_vs_junction_limit.png", title=f"{tier.upper()}"))
    files["plot_loop"] = str(plots.plot_loop_temperatures(
        sat.loop, sat.model, res.T, out_dir / "loop_temperatures.png",
        title=f"{tier.upper()}: coolant along the loop (hot case)"))
    files["plot_orbit"] = str(plots.plot_orbit(orbit, res.limits, out_dir / "orbit.png",
                                               title=f"{tier.upper()}: repeating orbit "
                                               f"({row['orbit_case']})"))
    row["files"] = files
    row["curve"] = [{k: p[k] for k in ("radiator_area_m2", "junction_max_k")} for p in pts]
    lap("curve_and_plots")
    row["time_s"] = time.perf_counter() - t0
    row["stage_time_s"] = stages
    files["result_json"] = str(out_dir / "result.json")
    atomic_write_text(out_dir / "result.json", json.dumps(row, indent=2, default=float))
    return row
