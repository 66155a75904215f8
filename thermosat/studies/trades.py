"""Placement and reading trades of the main job (issue 14 item 2): size every radiator
placement of a tier on the full coupled model, then the tier's other compute readings (the
fidelity issue's readings of the article's "30 kW" and "12 to 24 chips") on the best
placement, and pick the feasible design with the highest W/kg over all of them.

Each placement (:mod:`thermosat.satellite.placement`) is sized by
:func:`~thermosat.studies.sizing.size_design` with the same demand, limits and search
bracket; ``panel_back`` varies the panel's radiator strip (no wings), the others the wing
area. Cost: the first placement is sized from the lumped seed; the others start from its
converged cell area (the cells hardly depend on where the radiator is), which saves the
cell-area iterations, and stop after ``max_evaluations`` coupled solves. Placements run one
after the other: a sizing is a serial chain of solves, and on a 2-core machine a second
Dask worker would halve the cores of each solve and double the peak memory (~1.3 GB per
VLEO model) for little gain.

Readings (:func:`run_reading_trades`): a reading changes the chip count and the compute
demand (hence the cells, the heat to reject and the packages' mass) while the hinge/boom mass
and the transfer lines stay; each is sized on the winning placement, warm-started from that
placement's sizing scaled by the demand ratio. A reading that puts more than the rated power
on a chip is not sized: no radiator area fixes it (binding ``chip_rating``).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from thermosat.satellite.placement import PLACEMENTS, placement_mass, vary_of
from thermosat.studies.sizing import SizingResult, size_design

if TYPE_CHECKING:
    from thermosat.satellite.design import SatelliteDesign

__all__ = ["ReadingDesigns", "size_placement", "run_trades", "run_reading_trades", "trade_row",
           "rating_row", "trade_key", "choose", "choose_row", "trade_notes"]

#: relative tolerance of "above the rating": a demand of n × rating spread over n chips is at
#: the rating up to rounding, not above it
_RATING_RTOL = 1e-9


@dataclass(frozen=True)
class ReadingDesigns:
    """One compute reading of a tier's case (``compute.reading``, see
    :meth:`thermosat.case.load.Case.with_reading`) as the main job needs it.

    ``design``: the sizing (hot) environment's design (its ``n_packages`` chips and their
    package with ``rated_power_w``, W); ``demand_w``: the compute demand (W) to size for;
    ``cold_design`` / ``orbit_design``: the same reading in the case's check and orbit
    environments (None where the case names none), for the cold check and the repeating
    orbit when this reading wins.
    """

    design: SatelliteDesign
    demand_w: float
    cold_design: SatelliteDesign | None = None
    orbit_design: SatelliteDesign | None = None

    @property
    def n_chips(self) -> int:
        """Number of chips (packages) of this reading."""
        return int(self.design.n_packages)

    @property
    def chip_power_w(self) -> float:
        """Compute power per chip (W): the demand spread over the chips."""
        return self.demand_w / self.n_chips

    @property
    def rated_power_w(self) -> float | None:
        """The chip's rated power (W; None = no rating given)."""
        return self.design.package.rated_power_w

    @property
    def over_rating(self) -> bool:
        """Whether the chips would run above their rating (``demand / n_chips > rating``)."""
        rated = self.rated_power_w
        return rated is not None and self.chip_power_w > rated * (1.0 + _RATING_RTOL)


def placement_design(design, placement: str):
    """``design`` with ``placement`` (``panel_back``: no wings, the strip starts at the
    design's wing area or strip area, whichever is set)."""
    if placement == "panel_back":
        start = design.panel_radiator_area_m2 or design.wing_area_m2
        return replace(design, placement=placement, wing_area_m2=0.0,
                       panel_radiator_area_m2=start)
    start = design.wing_area_m2 or design.panel_radiator_area_m2
    return replace(design, placement=placement, wing_area_m2=start,
                   panel_radiator_area_m2=0.0 if design.wing_area_m2 == 0 else
                   design.panel_radiator_area_m2)


def size_placement(design, placement: str, demand_w: float, *, area_bounds_m2,
                   initial_cell_area_m2=None, initial_area_m2=None, max_evaluations: int = 14,
                   progress=None) -> SizingResult:
    """Size ``design`` with its radiator at ``placement`` for ``demand_w`` (W) of compute (see
    the module docstring); ``initial_cell_area_m2`` / ``initial_area_m2`` (m², the cells and
    the area the placement varies) warm-start the search, None = the sizing's own seeds."""
    d = placement_design(design, placement)
    return size_design(d, demand_w, vary=vary_of(placement), area_bounds_m2=area_bounds_m2,
                       initial_cell_area_m2=initial_cell_area_m2,
                       initial_area_m2=initial_area_m2,
                       max_evaluations=max_evaluations, progress=progress)


def _exchange_to_radiator_w(sizing: SizingResult) -> float | None:
    """Net infrared (W) from the panel back and the bus into the wings at the sized point."""
    r = sizing.result
    if r is None or r.exchange is None:
        return None
    b = r.exchange["between"]
    wings = [g for g in r.exchange["groups"] if g.startswith("wing")]
    net = 0.0
    for w in wings:
        for src in ("panel", "bus"):
            net += b.get(f"{src}→{w}", 0.0) - b.get(f"{w}→{src}", 0.0)
    return net


def trade_row(placement: str, sizing: SizingResult, reading: str | None = None,
              demand_w: float | None = None) -> dict:
    """The contract's trade entry ``{placement, feasible, radiator_area_m2, mass_kg,
    specific_power_w_kg, binding_constraint}`` plus what explains it (W, kg, m²): ``reading``
    (the compute reading sized, None = not stated), ``demand_w`` (W, the demand sized for),
    ``n_chips``, ``chip_power_w`` and ``chip_rated_power_w`` (W per chip)."""
    r = sizing.result
    mass = sizing.mass.get("total_kg") if sizing.feasible else None
    compute = r.power["compute_w"] if r is not None else None
    pm = placement_mass(sizing.design)
    n = sizing.design.n_packages
    rated = sizing.design.package.rated_power_w if sizing.design.package is not None else None
    return {
        "placement": placement,
        "reading": reading,
        "feasible": bool(sizing.feasible),
        "radiator_area_m2": sizing.design.radiator_area_m2 if sizing.feasible else None,
        "mass_kg": mass,
        "specific_power_w_kg": compute / mass if mass else None,
        "binding_constraint": sizing.binding_constraint,
        "cell_area_m2": sizing.design.cell_area_m2,
        "compute_w": compute,
        "demand_w": demand_w,
        "n_chips": n,
        "chip_power_w": (r.limits["chip_power_w"] if r is not None else
                         demand_w / n if demand_w is not None else None),
        "chip_rated_power_w": rated,
        "radiator_flux_w_m2": r.power["radiator_flux_w_m2"] if r is not None else None,
        "exchange_into_radiator_w": _exchange_to_radiator_w(sizing),
        "hinges_kg": pm["hinges_kg"], "boom_kg": pm["boom_kg"],
        "radiator_kg": (sizing.mass.get("wings_kg", 0.0) if placement != "panel_back" else
                        None) if sizing.feasible else None,
        "panel_back_mli": bool(sizing.design.panel_back_mli),
        "margins_k": dict(sizing.margins),
        "evaluations": len(sizing.evaluations),
        "time_s": sizing.time_s,
        "message": sizing.message,
    }


def rating_row(placement: str, reading: str, rd: ReadingDesigns) -> dict:
    """The trade entry of a reading whose chips would run above their rating
    (``rd.over_rating``): not sized — no radiator area lowers the power a chip is asked to
    carry — so infeasible with binding constraint ``chip_rating`` and no area or mass; the
    same keys as :func:`trade_row` (W, W per chip)."""
    d = placement_design(rd.design, placement)
    pm = placement_mass(d)
    p, rated, n = rd.chip_power_w, rd.rated_power_w, rd.n_chips
    return {
        "placement": placement, "reading": reading, "feasible": False,
        "radiator_area_m2": None, "mass_kg": None, "specific_power_w_kg": None,
        "binding_constraint": "chip_rating",
        "cell_area_m2": None, "compute_w": None, "demand_w": rd.demand_w,
        "n_chips": n, "chip_power_w": p, "chip_rated_power_w": rated,
        "radiator_flux_w_m2": None, "exchange_into_radiator_w": None,
        "hinges_kg": pm["hinges_kg"], "boom_kg": pm["boom_kg"], "radiator_kg": None,
        "panel_back_mli": bool(d.panel_back_mli), "margins_k": {}, "evaluations": 0,
        "time_s": 0.0,
        "message": (f"not sized: {rd.demand_w / 1e3:.1f} kW over {n} chips is {p:.0f} W per "
                    f"chip, {p - rated:.0f} W above their {rated:.0f} W rating; no radiator "
                    f"area fixes it (≥ {math.ceil(rd.demand_w / rated - 1e-9)} chips or "
                    f"≤ {n * rated / 1e3:.1f} kW of compute would)"),
    }


def trade_key(row: dict) -> str:
    """A trade row's name in the notes and the report: its placement, with its compute
    reading when the row states one (``outboard/demand_at_rating``)."""
    rd = row.get("reading")
    return row["placement"] if rd is None else f"{row['placement']}/{rd}"


def choose_row(rows: list[dict]) -> dict | None:
    """The feasible row with the highest W/kg over every row given (placements × readings);
    None when none is feasible. Ties go to the earlier row (the placement rows come first)."""
    ok = [r for r in rows if r["feasible"] and r["specific_power_w_kg"]]
    return max(ok, key=lambda r: r["specific_power_w_kg"]) if ok else None


def choose(rows: list[dict]) -> str | None:
    """The placement of the feasible row with the highest W/kg (None when none is
    feasible)."""
    best = choose_row(rows)
    return best["placement"] if best is not None else None


def _why(r: dict, masses: bool = True) -> list[str]:
    """What the placement adds to a row: infrared from the panel and bus (kW), and with
    ``masses`` the boom and hinges (kg)."""
    ex = r.get("exchange_into_radiator_w")
    why = []
    if ex is not None:
        why.append(f"panel back and bus send {ex / 1e3:+.1f} kW (net IR) into the radiator")
    if not masses:
        return why
    if r.get("boom_kg"):
        why.append(f"boom {r['boom_kg']:.0f} kg")
    if r.get("hinges_kg"):
        why.append(f"hinges {r['hinges_kg']:.0f} kg")
    return why


def _compute_kw(r: dict) -> float:
    """Compute of a row (kW): what the sized design delivers, else its demand."""
    return (r.get("compute_w") if r.get("compute_w") is not None else r["demand_w"]) / 1e3


def _design_chip_w(r: dict) -> float:
    """Per-chip power (W) a row is designed for: its demand over its chips (the sized point
    delivers it to the sizing's tolerance), else the chip power it reports."""
    d, n = r.get("demand_w"), r.get("n_chips")
    return d / n if d is not None and n else r["chip_power_w"]


def _reading_note(r: dict, ref: dict) -> str:
    """What ``r``'s compute reading changes against ``ref`` (another reading): compute, chips,
    radiator and mass, per kW of compute, and the W/kg that results."""
    pr, pf = _compute_kw(r), _compute_kw(ref)
    da = r["radiator_area_m2"] - ref["radiator_area_m2"]
    dm = r["mass_kg"] - ref["mass_kg"]
    fixed = (r.get("hinges_kg") or 0.0) + (r.get("boom_kg") or 0.0)
    out = (f"reading {r['reading']}: {pr:.1f} kW on {r['n_chips']} chips at "
           f"{r['chip_power_w']:.0f} W against {pf:.1f} kW on {ref['n_chips']} chips at "
           f"{ref['chip_power_w']:.0f} W ({trade_key(ref)}): {pr - pf:+.1f} kW of compute for "
           f"{da:+.1f} m² of radiator and {dm:+.0f} kg; "
           f"{r['radiator_area_m2'] / pr:.2f} against {ref['radiator_area_m2'] / pf:.2f} m² "
           f"of radiator and {r['mass_kg'] / pr:.1f} against {ref['mass_kg'] / pf:.1f} kg per "
           f"kW of compute")
    if fixed and abs(pr - pf) > 1e-9 * pf:
        out += (f" (the {fixed:.0f} kg of hinges and boom is shared by "
                f"{'more' if pr > pf else 'less'} compute)")
    fr, ff = r.get("radiator_flux_w_m2"), ref.get("radiator_flux_w_m2")
    qr, qf = _design_chip_w(r), _design_chip_w(ref)
    if fr is not None and ff is not None and abs(qr - qf) > 1e-6 * qf:
        out += (f"; {'fewer' if qr < qf else 'more'} W per chip ({qr:.0f} against {qf:.0f} W "
                f"by design) {'lowers' if qr < qf else 'raises'} the junction-to-coolant "
                f"rise: the radiator rejects {fr:.0f} against {ff:.0f} W/m²")
    return out + (f" → {r['specific_power_w_kg']:.1f} against {ref['specific_power_w_kg']:.1f} "
                  f"W/kg")


def trade_notes(rows: list[dict], chosen: str | None) -> dict[str, str]:
    """One line per trade row (keyed by :func:`trade_key`): what it gains or loses against
    the chosen row (``chosen``: its key), and why.

    A row of the chosen row's reading is compared by radiator area and mass (m², kg: the
    same compute); a row of another reading against the chosen reading on the same placement
    (or, for another placement, against the best row of its own reading) by compute, chips,
    area and mass per kW and W/kg. A reading not sized because it overdrives the chips says
    so (binding ``chip_rating``)."""
    by = {trade_key(r): r for r in rows}
    ref = by.get(chosen)
    readings = {r.get("reading") for r in rows}
    what = ("placements" if len(readings) <= 1 else
            "rows (placements × compute readings)")
    best_of: dict = {}  # reading → the best feasible row of that reading
    for r in rows:
        if r["feasible"] and r["specific_power_w_kg"]:
            b = best_of.get(r.get("reading"))
            if b is None or r["specific_power_w_kg"] > b["specific_power_w_kg"]:
                best_of[r.get("reading")] = r
    out = {}
    for r in rows:
        k = trade_key(r)
        why = _why(r)
        if not r["feasible"]:
            out[k] = (f"not sized (chip_rating): {r['message'].removeprefix('not sized: ')}"
                      if r["binding_constraint"] == "chip_rating" else
                      f"infeasible ({r['binding_constraint']}): {r['message']}")
            continue
        if ref is None:  # feasible, but no W/kg to rank it by (no mass)
            out[k] = "feasible" + ("; " + "; ".join(why) if why else "")
            continue
        if k == chosen:
            wkg = (f"{r['specific_power_w_kg']:.1f} W/kg, " if len(readings) > 1 and
                   r["specific_power_w_kg"] else "")
            out[k] = (f"chosen: {wkg}highest W/kg among the feasible {what}"
                      + ("; " + "; ".join(why) if why else ""))
            continue
        if r.get("reading") == ref.get("reading"):
            against = ref
        else:
            same = by.get(trade_key({"placement": r["placement"], "reading": ref.get("reading")}))
            against = (same if same is not None and same["feasible"] else
                       best_of.get(r.get("reading")) if best_of.get(r.get("reading")) is not r
                       else ref)
        if r.get("reading") != against.get("reading"):
            ir = _why(r, masses=False)  # the note states the hinges and boom already
            out[k] = _reading_note(r, against) + (f" ({'; '.join(ir)})" if ir else "")
            continue
        da = r["radiator_area_m2"] - against["radiator_area_m2"]
        dm = r["mass_kg"] - against["mass_kg"]
        out[k] = (f"{da:+.1f} m² of radiator and {dm:+.0f} kg against {against['placement']}"
                  + (f" ({'; '.join(why)})" if why else ""))
    return out


def run_trades(design, demand_w: float, placements=PLACEMENTS, *, area_bounds_m2,
               first: SizingResult | None = None, max_evaluations: int = 10,
               say=None, progress_factory=None, reading: str | None = None) -> dict:
    """Size ``design`` for ``demand_w`` (W) at every placement in ``placements``; returns
    ``{"rows": [...], "chosen": name or None, "sizings": {name: SizingResult}, "notes": {...},
    "time_s"}``.

    ``first``: an existing sizing of ``design``'s own placement (reused, not re-solved).
    ``say(msg)``: status lines; ``progress_factory(placement)`` → a per-evaluation callback
    (e.g. a progress bar's update) for each placement's sizing. ``reading``: the compute
    reading ``design`` carries, stated in every row (``reading`` key; None = not stated).
    """
    t0 = time.perf_counter()
    say = say or (lambda msg: None)
    sizings: dict[str, SizingResult] = {}
    cells = None
    if first is not None:
        sizings[first.design.placement] = first
        cells = first.design.cell_area_m2
    for p in placements:
        if p in sizings:
            continue
        say(f"trade: sizing placement {p}")
        cb = progress_factory(p) if progress_factory else None
        sizings[p] = size_placement(design, p, demand_w, area_bounds_m2=area_bounds_m2,
                                    initial_cell_area_m2=cells,
                                    max_evaluations=max_evaluations, progress=cb)
        if cells is None and sizings[p].feasible:
            cells = sizings[p].design.cell_area_m2
        say(f"trade: {p}: {sizings[p].message}")
    rows = [trade_row(p, sizings[p], reading, demand_w) for p in placements if p in sizings]
    best = choose_row(rows)
    chosen = best["placement"] if best is not None else None
    return {"rows": rows, "chosen": chosen, "sizings": sizings,
            "notes": trade_notes(rows, None if best is None else trade_key(best)),
            "time_s": time.perf_counter() - t0}


def run_reading_trades(readings: dict[str, ReadingDesigns], placement: str, *,
                       area_bounds_m2, ref: SizingResult | None = None,
                       ref_demand_w: float | None = None, max_evaluations: int = 10,
                       vary: str | None = None, say=None, progress_factory=None) -> dict:
    """Size each compute reading in ``readings`` (name → :class:`ReadingDesigns`) with its
    radiator at ``placement``; returns ``{"rows": [...], "sizings": {name: SizingResult},
    "time_s"}`` (rows as :func:`trade_row`, each with its ``reading``).

    ``vary`` None: each reading is sized as the placement trade sizes ``placement``
    (:func:`size_placement`: the placement's geometry and varied area). ``vary`` given
    (``wings`` / ``panel_radiator``, when no placement was traded): each reading's design is
    sized as it is, varying that area, as the case's own sizing did (``placement`` is then
    its own placement).

    A reading whose chips would run above their rating is not sized (:func:`rating_row`).
    ``ref``: the sizing at ``placement`` for ``ref_demand_w`` (W) of compute; the others
    start from its cell area and varied radiator area scaled by demand / ``ref_demand_w``
    (both scale nearly with the compute), and stop after ``max_evaluations`` coupled
    solves. ``say`` / ``progress_factory(label)`` as in :func:`run_trades`.
    """
    t0 = time.perf_counter()
    say = say or (lambda msg: None)
    rows, sizings = [], {}
    own_vary = vary
    vary = vary or vary_of(placement)
    for name, rd in readings.items():
        if rd.over_rating:
            row = rating_row(placement, name, rd)
            say(f"trade: reading {name}: {row['message']}")
            rows.append(row)
            continue
        cells = area = None
        if ref is not None and ref_demand_w:
            scale = rd.demand_w / ref_demand_w
            cells = ref.design.cell_area_m2 * scale
            if ref.feasible:
                area = (ref.design.wing_area_m2 if vary == "wings" else
                        ref.design.panel_radiator_area_m2) * scale
        say(f"trade: sizing reading {name} ({rd.demand_w / 1e3:.1f} kW on {rd.n_chips} chips) "
            f"at {placement}")
        cb = progress_factory(f"{placement}/{name}") if progress_factory else None
        if own_vary is None:
            s = size_placement(rd.design, placement, rd.demand_w,
                               area_bounds_m2=area_bounds_m2, initial_cell_area_m2=cells,
                               initial_area_m2=area, max_evaluations=max_evaluations,
                               progress=cb)
        else:
            s = size_design(rd.design, rd.demand_w, vary=vary, area_bounds_m2=area_bounds_m2,
                            initial_cell_area_m2=cells, initial_area_m2=area,
                            max_evaluations=max_evaluations, progress=cb)
        sizings[name] = s
        say(f"trade: reading {name}: {s.message}")
        rows.append(trade_row(placement, s, name, rd.demand_w))
    return {"rows": rows, "sizings": sizings, "time_s": time.perf_counter() - t0}
