"""Built-in default design per orbital tier (VLEO, LEO, MEO), from the source article.

``cases/vleo.toml``, ``cases/leo.toml`` and ``cases/meo.toml`` are written from this module
(``python -m thermosat.case.defaults cases``) with every assumption as a comment; a test checks
that they still equal :func:`default_case`.

What the article gives (``/work/shared/seed/orbital-compute-article.txt``, docs/references.md)
------------------------------------------------------------------------------------------
* "Starlink V3 platform ... roughly 2 tons each, 30 kW of solar capacity, and around 500 m²
  of panel area per satellite" and "Underneath all three tiers, the platform is the same":
  one platform for all tiers, 30 kW nameplate PV, 500 m² of panel in total.
* "12 to 24 chips per satellite depending on the tier": 12 (VLEO), 18 (LEO), 24 (MEO).
* Tier altitudes 500 / 1,000 / 2,000 km (``Orbit.from_tier``).
* "each satellite is essentially a large flat panel, with its sun-facing side generating
  power and its shaded side radiating waste heat"; "liquid cooling loops". That concept is
  solved as it stands in the report's claims section (``thermosat.studies.claims``): with the
  radiator as a strip of the same sun-pointing panel, VLEO misses the junction limit at any
  strip area (the strip's back faces the Earth at noon and its front the Sun, so it cannot
  get the coolant cold enough). The default design therefore keeps the article's ~500 m²
  but spends the non-cell part on loop-cooled radiator wings held edge-on to the Sun
  (docs/references.md: "radiators held edge-on to the Sun can run much colder"), and sizes them.
* "heterojunction (HJT) silicon cells in the near term": cell technology ``hjt``.

What it does not give, and what is assumed here (each with its reasoning)
-------------------------------------------------------------------------
* **Cell area**: "30 kW of solar capacity" is read as the nameplate (AM0, 28 °C, beginning of
  life) rating: A = 30 kW / (η_ref 0.24 × packing 0.90 × 1361 W/m²) = 102.05 m². The rest of
  the 500 m², 397.95 m², is the starting area of the two edge-on radiator wings. At its operating temperature
  and end of life the array then delivers less than 30 kW — which is the point of modelling
  it. (500 m² of cells would make ~150 kW: docs/references.md notes the article's numbers disagree.)
* **Packing** 0.90 (brief; typical of flat-panel arrays with interconnect gaps).
* **Coatings**: cell α/ε = 0.75/0.82 (Si cells with cover glass, docs/references.md, via the ``hjt``
  preset); Z-93 white (α 0.15, ε 0.92, docs/references.md) on the panel back and on both faces of
  the radiator strip. (OSR, α 0.07 / ε 0.74, is the alternative for the sun-facing face.)
* **Panel shape**: 20 m wide × 25 m long (500 m²); the article gives no shape.
* **End-of-life factor**: 0.95 for VLEO and LEO, 0.85 for MEO — MEO at 2,000 km sits in the
  inner radiation belt (docs/references.md: "faster cell degradation") — an *assumption*, not a
  published degradation figure for HJT in these orbits.
* **Beta angle**: β = 0°, the design β of every tier. The steady solve is the hot case at
  noon (θ = 0: panel back facing the Earth, full Earth IR and albedo on it) and β = 0 gives
  the longest eclipse of the orbit for the transient (coolant freezing risk). Dawn–dusk
  sun-synchronous orbits see high β (≈ 60–90°) most of the year, so β = 0 bounds both.
* **Chip package**: ``gb300`` preset (1.4 kW rated, bare die, 0.03 K/W cold plate), not the
  Dojo D1's 400 W. The article's "Dojo 2" has no published power or package data.
* **Reading of "30 kW" and "12 to 24 chips depending on the tier"** (issue 12): a chip is
  never run above its rating (docs/references.md), so the article's two numbers cannot both hold
  with 1.4 kW parts (30 kW over 12 chips is 2.5 kW per chip). The default reading is
  ``chips_at_rating``: the tier's chip count (12 / 18 / 24) at the chip's rated power, so
  compute follows the chip count — 16.8 / 25.2 / 33.6 kW — and the cells are sized for it.
  That keeps the article's tier-dependent chip count (and its tier-dependent TOPS: more
  chips in the higher tiers) and the rating; it gives up the equal 30 kW on every tier.
  The alternatives are computable from the same file (``compute.reading``) and shown side
  by side in the report: ``demand_at_rating`` (30 kW on ceil(30 / 1.4) = 22 chips in every
  tier) and ``demand_over_chips`` (the literal 30 kW over 12 / 18 / 24 chips: 2.5 / 1.67 /
  1.25 kW per chip — above the rating in VLEO and LEO, so infeasible there).
* **Junction limit**: 363.15 K (90 °C), the middle of the 85–95 °C at which data-centre parts
  throttle (docs/references.md).
* **Bounding environments** (issue 12): ``[environments.hot]`` is the sizing case,
  ``[environments.cold]`` the check case (freezing, cold cells, cold junctions). Hot: β = 0 at
  noon (panel back and wings see the most Earth), perihelion solar constant 1414 W/m²,
  short-period albedo 0.35 and OLR 265 W/m², end-of-life coatings (Z-93 α 0.22 / ε 0.85).
  Cold: β = 75° — the article's dawn–dusk, no-battery premise (continuous sun: eclipse-free
  above β* = asin(R/(R+h)) = 68.0 / 60.0 / 49.6° at 500 / 1000 / 2000 km) — aphelion
  1322 W/m², albedo 0.22, OLR 205 W/m², beginning-of-life coatings (Z-93 α 0.15 / ε 0.92)
  and cells. ``[environments.cold_eclipse]`` is the same cold values at β = 0 (longest
  eclipse), for the orbit/battery/heater check. Solar constant: 1361 W/m² × (1 ± 0.0334),
  the orbital eccentricity of the Earth (Kopp & Lean, GRL 38 (2011) L01706; Gilmore 2002
  Table 2.1: 1322–1414 W/m²). Albedo and OLR: short-period (minutes) hot and cold values
  within the ranges docs/references.md quotes (albedo 0.35–0.40 hot / 0.20–0.25 cold, OLR 255–275
  hot / 190–218 cold), from Anderson & Justus, NASA TM-4527 (1994), reproduced in Gilmore
  2002 Tables 2.4–2.6; the exact table entry for each tier's inclination and time constant
  is not transcribed here — the values sit inside the quoted ranges.
* **Hydraulics**: header and transfer-line bores 36 mm, sized for 1.5 m/s (the middle of
  1–2 m/s) at the whole 1 kg/s of ammonia at 648 kg/m³ (the middle of its liquid range at
  3 MPa): D = √(4ṁ/(πρv)) = 36.2 mm. Parallel channels share the flow by their resistances
  (Z-type manifold); pump efficiency 0.5 (small centrifugal loop pumps 0.3–0.6; Gilmore 2002
  ch. 12 "Pumped fluid loops").
* **Wings**: ``honeycomb_al`` construction (0.5 mm Al face sheets on a 12.7 mm Al honeycomb
  core, 4.3 kg/m² structure, 4.7 kg/m² with tubes and ammonia; published deployable
  radiators 3–7 kg/m²).
* **Coolant**: ammonia (ISS-style loops, docs/references.md; freezes at 195.5 K) at 3.0 MPa, where it
  boils at 338.9 K (``Fluid("ammonia", 3e6).T_boil``) — liquid with margin at the hot end
  (the loop runs ~260–270 K in the hot case). 1.0 kg/s (coolant rise ≈ 6 K at 27 kW with
  c_p ≈ 4.6 kJ/kg/K); 10 mm tubes on a 0.25 m pitch, parallel channels; freeze/boil margin
  10 K. Other loop values are the ``LoopSpec`` defaults.
* **Eclipse power and freeze protection** (issue 12): nothing runs in eclipse without a
  source. Policy: compute off in eclipse (the article's premise of compute in sunlight);
  the pump and the coolant heaters run from a Li-ion battery recharged from the PV in
  sunlight at up to C/2 (that load comes before the chips). Battery: round-trip efficiency
  0.90 (Li-ion 0.90-0.95), depth of discharge 0.30 (LEO cycling, ~5,500 cycles a year:
  20-40 %, Wertz & Larson 1999 §11.4), 150 Wh/kg at pack level (Li-ion packs 100-200 Wh/kg),
  capacity sized from the deepest discharge of the periodic orbit. Heaters: thermostat on the
  radiator return, proportional band 5 K, set point freezing + margin + band + 3 K, power
  cap what both radiator faces emit at the set point. The repeating orbit runs in
  ``[environments.cold_eclipse]`` (``sizing.orbit_case``): the coldest orbit.
* **Distribution losses**: 5 % of the PV power (conversion and harness; ends as heat in the
  coolant).
* **Cell limit**: 393.15 K (the ``hjt`` preset's maximum operating temperature).
* **Mesh**: 0.5 m panel elements and package mesh density 6: ~1.9–2.3e4 unknowns, a steady
  solve (power loop closed) of seconds to tens of seconds.
* **Demand** (for sizing): n_chips × 1.4 kW under the default reading (see above).
* **Sizing**: the edge-on wing area varies, 10–3000 m², to 1 m².
* **Transient**: orbits of 180 steps (31–42 s), BDF2, repeated until the same phase of two
  consecutive orbits agrees to 0.05 K.
* **Radiator placement** (issue 14, ``thermosat.satellite.placement``): the main job sizes
  all four placements per tier (``sizing.trade_placements``) and answers with the feasible
  one of highest W/kg; the default ``wings.placement`` is that winner, ``outboard``: wings
  beyond the panel's long edges, in the panel plane's extension, edge-on to the Sun. Beside
  the panel (the former default) their inner faces see the hot panel back with a view factor
  of ~0.3 and take kilowatts from it; outboard, they see it edge-on (~0.01) and pay only
  the same two hinges (8 kg each, an assumption); a boom radiator also escapes the panel but
  pays 2 kg/m of boom (an assumption); the article's panel-back strip needs 2.8× the
  outboard area at VLEO (125 against 45 m², hot case: its front faces the Sun and its back
  the Earth). The per-tier table is in the report.
"""
from __future__ import annotations

import sys
from pathlib import Path

from thermosat.common.errors import InputError

__all__ = ["TIERS", "NAMEPLATE_PV_W", "ARTICLE_COMPUTE_W", "TOTAL_PANEL_AREA_M2", "CELL_AREA_M2",
           "default_case_data", "default_case", "default_design", "render_default_toml",
           "write_default_cases"]

TIERS = ("vleo", "leo", "meo")
NAMEPLATE_PV_W = 30e3
#: the article's "30 kW" read as a compute demand (the readings demand_at_rating and
#: demand_over_chips put it on the chips)
ARTICLE_COMPUTE_W = 30e3
TOTAL_PANEL_AREA_M2 = 500.0
ETA_REF_HJT = 0.24
PACKING = 0.90
SOLAR_CONSTANT = 1361.0
#: cell area that rates 30 kW at AM0, 28 °C, beginning of life (m²)
CELL_AREA_M2 = round(NAMEPLATE_PV_W / (ETA_REF_HJT * PACKING * SOLAR_CONSTANT), 2)
PANEL_RADIATOR_AREA_M2 = round(TOTAL_PANEL_AREA_M2 - CELL_AREA_M2, 2)

_N_CHIPS = {"vleo": 12, "leo": 18, "meo": 24}
_EOL = {"vleo": 0.95, "leo": 0.95, "meo": 0.85}
_TIER_NOTE = {
    "vleo": "VLEO: 500 km, 800,000 satellites, ~1,000 TOPS each, inference (article)",
    "leo": "LEO: 1,000 km, 300,000 satellites, ~5,000 TOPS each, training (article)",
    "meo": "MEO: 2,000 km, 118,000 satellites, ~20,000 TOPS each, storage and long jobs "
           "(article)",
}

_HOT_SOURCE = ("hot bounding case: perihelion solar constant (Kopp & Lean 2011; Gilmore 2002 "
               "Table 2.1), short-period hot albedo/OLR (Anderson & Justus, NASA TM-4527, "
               "1994; Gilmore 2002 Tables 2.4-2.6), end-of-life coatings (docs/references.md)")
_COLD_SOURCE = ("cold bounding case: aphelion solar constant, short-period cold albedo/OLR "
                "(same sources), beginning-of-life coatings, dawn-dusk beta")
_ECLIPSE_SOURCE = "cold values at beta 0 (longest eclipse) for the orbit transient"

#: (section, key, value or {tier: value}, comment) in file order
_ENTRIES: list[tuple[str, str, object, str]] = [
    ("orbit", "tier", {t: t for t in TIERS}, "tier altitude from the article (Orbit.from_tier)"),
    ("orbit", "beta_deg", 0.0, "design beta: 0 deg = longest eclipse (transient) and, at noon, "
                               "the panel back facing the Earth (hot case); dawn-dusk SSOs "
                               "see 60-90 deg most of the year"),
    ("orbit", "steady_theta_deg", 0.0, "steady design point at noon: the hot case"),
    ("orbit", "solar_constant_w_m2", 1361.0, "docs/references.md reference value (±3.4 % seasonal)"),
    ("orbit", "albedo", 0.30, "docs/references.md reference value"),
    ("orbit", "earth_ir_w_m2", 237.0, "Earth OLR 237-238 W/m² (docs/references.md)"),
    ("panel", "cell_area_m2", CELL_AREA_M2,
     "'30 kW of solar capacity' read as nameplate (AM0, 28 °C, beginning of life): "
     "30 kW / (0.24 × 0.90 × 1361 W/m²)"),
    ("panel", "panel_radiator_area_m2", 0.0,
     "no radiator strip on the sun-pointing panel: that concept misses the VLEO junction "
     "limit at any area (see the report's claims); the radiator is the edge-on wings"),
    ("panel", "width_m", 20.0, "assumption: 20 m × 25 m panel (the article gives no shape)"),
    ("panel", "element_size_m", 0.5, "~2e4 unknowns, steady solve in seconds"),
    ("panel", "cell", "hjt", "'heterojunction (HJT) silicon cells in the near term' (article); "
                             "η 24 %, −0.24 %/K (docs/references.md), α/ε 0.75/0.82"),
    ("panel", "packing", PACKING, "active cell fraction of the cell strip (assumption)"),
    ("panel", "eol_factor", dict(_EOL),
     "assumption: end-of-life efficiency 0.95 in VLEO/LEO, 0.85 in MEO (inner radiation belt "
     "at 2,000 km, docs/references.md: faster degradation)"),
    ("panel", "back", "z93", "Z-93 white α 0.15 / ε 0.92 (docs/references.md) on the shaded side"),
    ("panel", "radiator_front", "z93", "Z-93 white on the radiator strip's sun-facing face too "
                                       "(osr, α 0.07 / ε 0.74, is the alternative)"),
    ("panel", "back_mli", False,
     "bare Z-93 cell back: it is the cells' own radiator; MLI (ε* 0.03) would cut the panel's "
     "IR into beside wings but heat the cells (the trade table shows what it buys)"),
    ("wings", "area_m2", PANEL_RADIATOR_AREA_M2,
     "starting area: the rest of the article's ~500 m² as two edge-on radiator wings "
     "(docs/references.md: edge-on radiators run much colder); the sizing finds the area needed"),
    ("wings", "width_m", 5.0, "assumption: 5 m wide wings"),
    ("wings", "coating", "z93", "Z-93 white on both wing faces (docs/references.md); end of life in "
                                "the hot case"),
    ("wings", "construction", "honeycomb_al",
     "0.5 mm Al face sheets on a 12.7 mm Al honeycomb core: 4.3 kg/m² structure, 4.7 with "
     "tubes and ammonia (deployable radiators 3-7 kg/m², docs/references.md)"),
    ("wings", "placement", "outboard",
     "the trade winner (issue 14): outboard wings in the panel plane's extension see the hot "
     "panel back only edge-on (view factor ~0.01 against ~0.3 beside), so they need the least "
     "area and mass of the feasible placements; the main job re-trades every placement in "
     "sizing.trade_placements per tier"),
    ("wings", "boom_length_m", 10.0,
     "boom placement only: 10 m from the panel back (twice the 5 m panel short side; the "
     "panel back then fills < 1 % of the radiator's view), 2 kg/m boom"),
    ("compute", "n_chips", dict(_N_CHIPS),
     "'12 to 24 chips per satellite depending on the tier' (article): 12 / 18 / 24"),
    ("compute", "chip", "gb300",
     "GB300 class: 1.4 kW rated (NVIDIA GB300 NVL72), bare die, 0.03 K/W cold plate; "
     "'Dojo 2' has no published package data, a Dojo D1 is 400 W"),
    ("compute", "reading", "chips_at_rating",
     "a chip never runs above its rating: the tier's chips at 1.4 kW each, compute = "
     "n × 1.4 kW (16.8 / 25.2 / 33.6 kW); alternatives in the report: demand_at_rating "
     "(30 kW on 22 chips), demand_over_chips (30 kW over n chips: above the rating in "
     "VLEO/LEO)"),
    ("loop", "fluid", "ammonia", "ISS-style ammonia loops (docs/references.md); freezes at 195.5 K"),
    ("loop", "pressure_pa", 3.0e6, "3 MPa: boils at 338.9 K, liquid with margin at the hot end"),
    ("loop", "mass_flow_kg_s", 1.0, "coolant rise ≈ 6 K at 27 kW (c_p ≈ 4.6 kJ/kg/K)"),
    ("loop", "pipe_inner_diameter_m", 0.010, "10 mm radiator tubes (LoopSpec default)"),
    ("loop", "pipe_roughness_m", 1.5e-6, "drawn aluminium tube (LoopSpec default)"),
    ("loop", "header_inner_diameter_m", 0.036,
     "rule: 1.5 m/s (middle of 1-2 m/s) at the whole 1 kg/s, rho 648 kg/m³: "
     "sqrt(4 mdot / (pi rho v)) = 36.2 mm"),
    ("loop", "transfer_line_inner_diameter_m", 0.036, "same rule as the headers"),
    ("loop", "design_velocity_m_s", 1.5, "velocity the bore rule uses (1-2 m/s)"),
    ("loop", "bond_conductance_w_mk", 50.0, "saddle + adhesive bond (LoopSpec default)"),
    ("loop", "layout", "parallel", "parallel channels between headers (LoopSpec default)"),
    ("loop", "pipe_pitch_m", 0.25, "tube spacing across the radiator (LoopSpec default)"),
    ("loop", "coldplate_pressure_drop_pa", 20e3, "per cold plate (LoopSpec default)"),
    ("loop", "pump_efficiency", 0.5, "small centrifugal loop pump, 0.3-0.6 (Gilmore 2002 "
                                     "ch. 12); P_pump = dp V / eta, in the power budget"),
    ("loop", "freeze_margin_k", 10.0, "required distance from freezing and boiling"),
    ("power", "distribution_loss_fraction", 0.05,
     "assumption: 5 % conversion and distribution losses (heat into the coolant)"),
    ("power", "eclipse_compute_fraction", 0.0,
     "eclipse policy: compute off in eclipse (the article's sunlit-only premise); the "
     "battery carries pump and heaters only"),
    ("battery", "round_trip_efficiency", 0.90, "Li-ion at low rates 0.90-0.95 "
                                               "(docs/references.md §9)"),
    ("battery", "depth_of_discharge", 0.30, "~5,500 cycles a year in a low orbit: LEO "
                                            "practice 0.2-0.4 (Wertz & Larson 1999 §11.4)"),
    ("battery", "specific_energy_wh_kg", 150.0, "Li-ion pack level 100-200 Wh/kg, the lower "
                                                "middle (docs/references.md §9)"),
    ("battery", "charge_c_rate_per_h", 0.5, "recharge at up to C/2 (docs/references.md §9)"),
    ("heaters", "enabled", True, "thermostat heaters on the coolant return keep the loop "
                                 "above freezing + margin in eclipse"),
    ("heaters", "band_k", 5.0, "proportional band: smooth for Newton, holds within a few K"),
    ("limits", "cell_max_k", 393.15, "hjt preset maximum operating temperature (120 °C)"),
    ("limits", "junction_max_k", 363.15, "90 °C: data-centre parts throttle at ~85-95 °C "
                                         "(docs/references.md)"),
    ("sizing", "vary", "wings", "size the edge-on radiator wings"),
    ("sizing", "min_area_m2", 10.0, "search bracket"),
    ("sizing", "max_area_m2", 3000.0, "search bracket"),
    ("sizing", "tolerance_m2", 1.0, "area tolerance"),
    ("sizing", "trade_placements", ["beside", "outboard", "boom", "panel_back"],
     "the main job sizes every placement and takes the feasible one with the highest W/kg"),
    ("sizing", "uncertainty_samples", 64,
     "P95 area of the answer over coatings, OLR, albedo, solar constant, beta, chip power, "
     "cold plate, bond (thermosat.studies.uncertainty_surrogate)"),
    ("sizing", "sizing_case", "hot", "size against the hot bounding case"),
    ("sizing", "check_case", "cold", "check freezing, cold cells and cold junctions against "
                                     "the cold case"),
    ("sizing", "orbit_case", "cold_eclipse", "run the repeating orbit (battery, heaters, "
                                             "freezing) in the coldest orbit: cold values "
                                             "at beta 0, the longest eclipse"),
    ("transient", "n_orbits", 1.0, "orbits repeated from the steady point until the same "
                                   "phase repeats to 0.05 K (at least this many)"),
    ("transient", "steps", 180, "31-42 s steps over a 95-127 min period"),
    ("transient", "scheme", "bdf2", "second order, L-stable"),
    ("mesh", "package_mesh_density", 6, "cells across the die's shorter edge"),
    ("environments.hot", "source", _HOT_SOURCE, "what the hot case is and where it comes from"),
    ("environments.hot", "beta_deg", 0.0, "beta 0 at noon: panel back and wings see the most "
                                          "Earth (albedo and IR)"),
    ("environments.hot", "steady_theta_deg", 0.0, "noon"),
    ("environments.hot", "solar_constant_w_m2", 1414.0, "perihelion (1361 × 1.0334)"),
    ("environments.hot", "albedo", 0.35, "short-period hot albedo (0.35-0.40, Gilmore 2002 / "
                                         "NASA TM-4527)"),
    ("environments.hot", "earth_ir_w_m2", 265.0, "short-period hot OLR (255-275 W/m², "
                                                 "Gilmore 2002 / NASA TM-4527)"),
    ("environments.hot", "life", "eol", "end-of-life coatings (Z-93 α 0.22 / ε 0.85) and cells"),
    ("environments.cold", "source", _COLD_SOURCE, "what the cold case is and where it comes "
                                                  "from"),
    ("environments.cold", "beta_deg", 75.0, "dawn-dusk, continuous sun (the article's "
                                            "no-battery premise): eclipse-free at every tier"),
    ("environments.cold", "steady_theta_deg", 0.0, "steady point of the orbit"),
    ("environments.cold", "solar_constant_w_m2", 1322.0, "aphelion (1361 × 0.9666)"),
    ("environments.cold", "albedo", 0.22, "short-period cold albedo (0.20-0.25)"),
    ("environments.cold", "earth_ir_w_m2", 205.0, "short-period cold OLR (190-218 W/m²)"),
    ("environments.cold", "life", "bol", "beginning-of-life coatings (Z-93 α 0.15 / ε 0.92) "
                                         "and cells"),
    ("environments.cold_eclipse", "source", _ECLIPSE_SOURCE, "the worst-eclipse cold case"),
    ("environments.cold_eclipse", "beta_deg", 0.0, "beta 0: the longest eclipse"),
    ("environments.cold_eclipse", "steady_theta_deg", 0.0, "orbit transient starts at noon"),
    ("environments.cold_eclipse", "solar_constant_w_m2", 1322.0, "aphelion"),
    ("environments.cold_eclipse", "albedo", 0.22, "short-period cold albedo"),
    ("environments.cold_eclipse", "earth_ir_w_m2", 205.0, "short-period cold OLR"),
    ("environments.cold_eclipse", "life", "bol", "beginning of life"),
]


def _check_tier(tier: str) -> str:
    key = str(tier).strip().lower()
    if key not in TIERS:
        raise InputError(f"default case: unknown tier {tier!r} (allowed: {', '.join(TIERS)})")
    return key


def default_case_data(tier: str) -> dict:
    """The default case of ``tier`` as plain data (what ``cases/<tier>.toml`` holds)."""
    tier = _check_tier(tier)
    data: dict = {"description": _description(tier)}
    for section, key, value, _ in _ENTRIES:
        node = data
        for part in section.split("."):
            node = node.setdefault(part, {})
        node[key] = value[tier] if isinstance(value, dict) else value
    return data


def _description(tier: str) -> str:
    return (f"thermosat default {tier.upper()} case: 30 kW-class Starlink-V3-style compute "
            f"satellite, ~500 m² of panel ({_TIER_NOTE[tier]})")


def default_case(tier: str):
    """The validated default :class:`~thermosat.case.load.Case` of ``tier``."""
    from thermosat.case.load import validate_case

    tier = _check_tier(tier)
    return validate_case(default_case_data(tier), f"<default {tier}>")


def default_design(tier: str, **overrides):
    """The default :class:`~thermosat.satellite.satellite.SatelliteDesign` of ``tier``."""
    return default_case(tier).to_design(**overrides)


def _toml_value(v) -> str:
    import tomli_w

    return tomli_w.dumps({"x": v}).split("=", 1)[1].strip()


def render_default_toml(tier: str) -> str:
    """TOML text of the default case of ``tier`` with every assumption as a comment."""
    tier = _check_tier(tier)
    lines = [f"# thermosat case: default {tier.upper()} design ({_TIER_NOTE[tier]}).",
             "# Written by `python -m thermosat.case.defaults cases` from thermosat/defaults.py — edit",
             "# that module (its docstring has the reasoning) and regenerate; the test suite",
             "# checks this file against it. Field reference: cases/README.md.",
             "# Source article: Starlink-V3-class platform, ~2 t, '30 kW of solar capacity, and",
             "# around 500 m² of panel area per satellite'; 'the platform is the same' in every",
             "# tier; '12 to 24 chips per satellite depending on the tier'.",
             "",
             f"description = {_toml_value(_description(tier))}"]
    current = None
    for section, key, value, comment in _ENTRIES:
        if section != current:
            lines += ["", f"[{section}]"]
            current = section
        v = value[tier] if isinstance(value, dict) else value
        lines.append(f"# {comment}")
        lines.append(f"{key} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"


def write_default_cases(directory="cases") -> list[Path]:
    """Write ``<directory>/<tier>.toml`` for every tier (atomically); returns the paths."""
    from thermosat.common.atomic import atomic_write_text

    out = []
    for tier in TIERS:
        out.append(atomic_write_text(Path(directory) / f"{tier}.toml", render_default_toml(tier)))
    return out


if __name__ == "__main__":  # pragma: no cover - used to regenerate cases/*.toml
    for p in write_default_cases(sys.argv[1] if len(sys.argv) > 1 else "cases"):
        print(p)
