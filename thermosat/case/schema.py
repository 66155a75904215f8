"""The case-file schema: pydantic v2 models of every section of a thermosat case (TOML).

Every model forbids unknown fields, uses strict types (a string is never coerced to a number,
a boolean is not a number; integers are accepted where a float is expected) and rejects NaN
and infinities. Every field carries a description with its unit and default
(``Field(description=...)``, unit in ``json_schema_extra["unit"]``); ``cases/README.md`` is
generated from these models by ``scripts/case_reference.py``.

Cross-field rules (limits in the right order, a coolant that is liquid at its loop pressure,
a junction limit above the coolant's freezing point plus its margin, sizing bounds in
order, a mesh of sane size ...) are model validators; they raise :class:`FieldError`, a
``ValueError`` that names the offending field and what is allowed, so that
:mod:`thermosat.case.load` can turn any validation failure into one ``CaseError`` line.

Loading, error formatting and the :class:`~thermosat.case.load.Case` API (``to_design``,
``with_values``, ``to_toml``, ``fingerprint``) live in :mod:`thermosat.case.load`.
"""
from __future__ import annotations

import math
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from thermosat.physics.fluids import available_fluids
from thermosat.physics.orbit import TIERS
from thermosat.physics.presets import CELLS, COATINGS, LIFE_VARIANTS, RADIATOR_CONSTRUCTIONS
from thermosat.satellite.placement import BOOM_LENGTH_M, BOOM_MIN_LENGTH_M, PLACEMENTS

__all__ = ["FieldError", "CaseModel", "OrbitSection", "PanelSection", "WingsSection",
           "ComputeSection", "LoopSection", "PowerSection", "LimitsSection", "SizingSection",
           "TransientSection", "MeshSection", "BatterySection", "HeatersSection", "CoatingValues", "LayerSpec", "SECTIONS",
           "UNION_TAGS", "chip_names", "package_for", "compute_plan", "EnvironmentSection", "MAX_UNKNOWNS", "estimate_unknowns",
           "field_unit"]

#: the largest model the case may describe (estimated unknowns); beyond it a steady solve
#: takes hours and the memory runs out
MAX_UNKNOWNS = 2_000_000


class FieldError(ValueError):
    """A cross-field validation failure naming its field (relative to the validated model).

    field : dotted path below the model whose validator raised (e.g. ``"pressure_pa"``)
    message : what is wrong; allowed : what is allowed (with unit)
    """

    def __init__(self, field: str, message: str, allowed: str = ""):
        super().__init__(message)
        self.field = field
        self.message = message
        self.allowed = allowed


_CONFIG = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True,
                     validate_default=False)


def F(default: Any = ..., *, unit: str, doc: str, allowed: str | None = None, **constraints):
    """A documented field: ``doc`` (what it is), ``unit`` ('-' for none), default, range."""
    extra = {"unit": unit}
    if allowed is not None:
        extra["allowed"] = allowed
    if "default_factory" in constraints:
        return Field(description=doc, json_schema_extra=extra, **constraints)
    return Field(default, description=doc, json_schema_extra=extra, **constraints)


def field_unit(info) -> str:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return str(extra.get("unit", ""))


class _Section(BaseModel):
    model_config = _CONFIG


# ----------------------------------------------------------------------------- building blocks
CoatingName = Literal[tuple(sorted(COATINGS))]  # type: ignore[valid-type]


class CoatingValues(_Section):
    """Explicit optical properties of a surface (instead of a preset name)."""

    alpha: float = F(unit="-", doc="solar absorptance α of the surface (required)", ge=0.0,
                     le=1.0)
    epsilon: float = F(unit="-", doc="hemispherical infrared emissivity ε of the surface "
                                     "(required)", ge=0.0, le=1.0)
    name: str = F("custom", unit="-", doc="label of the coating in outputs",
                  min_length=1, max_length=64)


def _coating_tag(v: Any) -> str:
    return "coating_values" if isinstance(v, dict) or isinstance(v, CoatingValues) \
        else "coating_name"


#: a coating: preset name or a table {alpha, epsilon}
Coating = Annotated[Union[Annotated[CoatingName, Tag("coating_name")],
                          Annotated[CoatingValues, Tag("coating_values")]],
                    Discriminator(_coating_tag)]
#: discriminator tags that pydantic puts into error locations (dropped from dotted paths)
UNION_TAGS = ("coating_name", "coating_values")
COATING_ALLOWED = ("a preset name (" + ", ".join(sorted(COATINGS)) + ") or a table "
                   "{alpha, epsilon[, name]} with α, ε in [0, 1]")


class LayerSpec(_Section):
    """One layer of a panel or wing stack, listed from the sun-facing front to the back."""

    name: str = F(unit="-", doc="layer name (required; unique within the stack)",
                  min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    thickness_m: float = F(unit="m", doc="layer thickness (required)", gt=0.0, le=1.0)
    conductivity_w_mk: float = F(unit="W/m/K", doc="in-plane and through-thickness thermal "
                                                   "conductivity (required)", gt=0.0, le=5000.0)
    density_kg_m3: float = F(unit="kg/m³", doc="density (required)", gt=0.0, le=30000.0)
    specific_heat_j_kgk: float = F(unit="J/kg/K", doc="specific heat capacity (required)",
                                   gt=0.0, le=1.0e5)


def _unique_layer_names(layers) -> None:
    if layers is None:
        return
    seen = set()
    for i, lay in enumerate(layers):
        if lay.name in seen:
            raise FieldError(f"layers[{i}].name", f"duplicate layer name {lay.name!r}",
                             "names unique within the stack")
        seen.add(lay.name)


# ----------------------------------------------------------------------------- sections
class OrbitSection(_Section):
    """Circular orbit and environment. Give exactly one of ``tier`` and ``altitude_km``."""

    tier: Optional[Literal[tuple(TIERS)]] = F(  # type: ignore[valid-type]
        None, unit="-", doc="orbital tier of the source article: vleo = 500 km, leo = 1000 km, "
                            "meo = 2000 km (exactly one of tier / altitude_km)")
    altitude_km: Optional[float] = F(None, unit="km", doc="circular-orbit altitude (exactly "
                                                          "one of tier / altitude_km)",
                                     ge=100.0, le=100000.0)
    beta_deg: float = F(0.0, unit="deg", doc="beta angle between the Sun vector and the orbit "
                                             "plane; 0 = longest eclipse", ge=-90.0, le=90.0)
    steady_theta_deg: float = F(0.0, unit="deg",
                                doc="orbit angle from noon of the steady design point "
                                    "(0 = noon, the hot case)", ge=0.0, lt=360.0)
    solar_constant_w_m2: float = F(1361.0, unit="W/m²", doc="solar irradiance at 1 AU",
                                   gt=0.0, le=2000.0)
    albedo: float = F(0.30, unit="-", doc="Earth's mean Bond albedo", ge=0.0, le=1.0)
    earth_ir_w_m2: float = F(237.0, unit="W/m²", doc="Earth's outgoing long-wave radiation "
                                                      "at the top of the atmosphere",
                             ge=0.0, le=500.0)

    @model_validator(mode="after")
    def _one_altitude(self):
        if (self.tier is None) == (self.altitude_km is None):
            given = "both are given" if self.tier is not None else "neither is given"
            raise FieldError("tier", f"give exactly one of tier and altitude_km ({given})",
                             f"tier one of {', '.join(TIERS)}, or altitude_km in "
                             f"[100, 100000] km")
        return self

    @property
    def altitude_m(self) -> float:
        return TIERS[self.tier] if self.tier is not None else self.altitude_km * 1e3


CellName = Literal[tuple(CELLS)]  # type: ignore[valid-type]


class PanelSection(_Section):
    """The dual-face sun-pointing panel: a cell strip then a loop-cooled radiator strip."""

    cell_area_m2: float = F(unit="m²", doc="panel area covered by solar cells (required)",
                            gt=0.0, le=1.0e5)
    panel_radiator_area_m2: float = F(0.0, unit="m²", doc="area of the panel's radiator-only "
                                                          "strip, bonded to the coolant loop",
                                      ge=0.0, le=1.0e5)
    width_m: float = F(10.0, unit="m", doc="panel width (across the strips)", gt=0.0, le=1000.0)
    element_size_m: float = F(0.5, unit="m", doc="target shell-element edge length of panel "
                                                 "and wings", gt=0.0, le=100.0)
    cell: CellName = F("hjt", unit="-", doc="solar-cell technology preset (efficiency, "
                                            "temperature coefficient, cell α/ε, t_max)")
    packing: float = F(0.90, unit="-", doc="fraction of the cell strip covered by active "
                                           "cell area", gt=0.0, le=1.0)
    eol_factor: float = F(1.0, unit="-", doc="end-of-life efficiency factor (radiation "
                                             "degradation), 1 = beginning of life",
                          gt=0.0, le=1.0)
    back: Coating = F("z93", unit="-", doc="coating of the panel's back (anti-sun) face, "
                                           "both strips", allowed=COATING_ALLOWED)
    radiator_front: Coating = F("osr", unit="-", doc="coating of the radiator strip's "
                                                     "sun-facing front",
                                allowed=COATING_ALLOWED)
    back_mli: bool = F(False, unit="-", doc="cover the back of the cell strip with MLI (one "
                                            "low-ε face, ε* 0.03, VDA outer layer α 0.10; "
                                            "thermosat.satellite.placement.MLI_BACK) instead "
                                            "of panel.back", allowed="true or false")
    layers: Optional[list[LayerSpec]] = F(
        None, unit="-", doc="panel stack front to back (default: cover glass 100 µm, cells "
                            "150 µm, substrate 1 mm, Al face sheet 0.5 mm); the coolant "
                            "tubes bond to the last layer", min_length=1, max_length=20,
        allowed="array of 1–20 [[panel.layers]] tables")

    @model_validator(mode="after")
    def _check(self):
        _unique_layer_names(self.layers)
        return self


class WingsSection(_Section):
    """Two edge-on radiator wings beside the panel, bonded to the coolant loop."""

    area_m2: float = F(0.0, unit="m²", doc="total planform area of both wings (each radiates "
                                           "from both faces)", ge=0.0, le=1.0e5)
    width_m: float = F(5.0, unit="m", doc="width of each wing", gt=0.0, le=1000.0)
    coating: Coating = F("z93", unit="-", doc="coating of both wing faces",
                         allowed=COATING_ALLOWED)
    layers: Optional[list[LayerSpec]] = F(
        None, unit="-", doc="wing stack (default: Al honeycomb, 0.5 mm face sheets on a 12 mm "
                            "core); the tubes bond to the first layer", min_length=1,
        max_length=20, allowed="array of 1–20 [[wings.layers]] tables")
    construction: Optional[Literal[tuple(RADIATOR_CONSTRUCTIONS)]] = F(  # type: ignore
        None, unit="-", doc="deployable-radiator construction preset (face sheets, core, "
                            "tube pitch, bond, areal mass; see thermosat.physics.presets."
                            "RADIATOR_CONSTRUCTIONS); sets the wing layers, "
                            "loop.bond_conductance_w_mk and loop.pipe_pitch_m are checked "
                            "against it, and the mass budget uses its areal mass (none = "
                            "layers / default stack)")
    placement: Literal[PLACEMENTS] = F(  # type: ignore[valid-type]
        "beside", unit="-", doc="where the radiator sits (thermosat.satellite.placement): "
                                "beside (wings on the panel's long edges, facing each other "
                                "across its back), outboard (beyond the edges, in the panel "
                                "plane's extension), boom (a radiator boom_length_m behind the "
                                "panel), panel_back (a strip of the panel itself; no wings)")
    boom_length_m: float = F(BOOM_LENGTH_M, unit="m", doc="boom length from the panel back to "
                                                          "the boom radiator's top edge "
                                                          "(placement boom)",
                             ge=BOOM_MIN_LENGTH_M, le=1000.0)
    # surface exchange (thermosat.satellite.geometry)
    surface_exchange: bool = F(
        True, unit="-", doc="infrared exchange between the wings, the panel's back and a bus "
                            "box (gray, diffuse; the rest of each view goes to the sink); "
                            "false: every surface sees only the sink. Needs wings",
        allowed="true or false")

    @model_validator(mode="after")
    def _check(self):
        _unique_layer_names(self.layers)
        if self.construction is not None and self.layers is not None:
            raise FieldError("layers", "give wings.layers or wings.construction, not both",
                             "one of the two")
        return self


# --- chip packages --------------------------------------------------------------------------
def _presets_module():
    from thermosat.physics import package_presets

    return package_presets


def chip_names() -> list[str]:
    """Chip-package preset names accepted in ``compute.chip``."""
    mod = _presets_module()
    names = set(getattr(mod, "PRESETS", {}))
    for extra in ("ALIASES", "PACKAGE_ALIASES"):
        names |= set(getattr(mod, extra, {}) or {})
    return sorted(names)


def _lookup(name: str, **changes):
    mod = _presets_module()
    fn = getattr(mod, "package_preset", None) or getattr(mod, "preset")
    return fn(name, **changes) if changes else fn(name)


class ComputeSection(_Section):
    """The compute payload: chip packages (power follows the panel's electricity)."""

    n_chips: Optional[int] = F(None, unit="-", doc="number of chip packages on the loop "
                                                   "(required, except with reading = "
                                                   "demand_at_rating where it follows)",
                               ge=1, le=512)
    reading: Literal["chips_at_rating", "demand_at_rating", "demand_over_chips"] = F(
        "demand_over_chips", unit="-",
        doc="how chip count, chip power and compute demand relate: chips_at_rating = n_chips "
            "chips at chip_power_w each (default: their rated power), demand = n × P_chip; "
            "demand_at_rating = demand_w over ceil(demand_w / P_chip) chips at ≤ P_chip; "
            "demand_over_chips = demand_w over n_chips (P_chip = demand / n; a chip above its "
            "rating makes the sizing infeasible)")
    chip_power_w: Optional[float] = F(None, unit="W", doc="design power per chip for the "
                                                          "readings chips_at_rating and "
                                                          "demand_at_rating (none = the "
                                                          "chip's rated power); ≤ the rating",
                                      gt=0.0, le=1.0e5)
    rated_power_w: Optional[float] = F(None, unit="W", doc="override: the chip's rated power "
                                                           "(none = preset: gb300 1400, b200 "
                                                           "1000, dojo_d1 400)",
                                       gt=0.0, le=1.0e5)
    chip: str = F("dojo_d1", unit="-", doc="chip-package preset (die, TIMs, lid, cold plate "
                                           "and its fluid-side coefficient, junction limit)",
                  min_length=1, max_length=64, allowed="a package preset name (see "
                                                        "thermosat.physics.package_presets)")
    demand_w: Optional[float] = F(None, unit="W", doc="compute power the design should "
                                                      "deliver, for sizing; not used by a "
                                                      "solve, where compute power follows the "
                                                      "panel's electricity (none = no target)",
                                  gt=0.0, le=1.0e8)
    h_w_m2k: Optional[float] = F(None, unit="W/m²/K", doc="override: cold-plate fluid-side "
                                                          "heat-transfer coefficient on the "
                                                          "wetted area (none = preset)",
                                 gt=0.0, le=1.0e7)
    cold_plate_resistance_k_w: Optional[float] = F(
        None, unit="K/W", doc="override: cold-plate resistance, contact face to fluid; sets "
                              "h_w_m2k to match (none = preset; not with h_w_m2k)",
        gt=0.0, le=10.0)
    area_factor: Optional[float] = F(None, unit="-", doc="override: (fin efficiency × wetted "
                                                         "area) / cold-plate footprint "
                                                         "(none = preset)", gt=0.0, le=1000.0)
    tim1_thickness_m: Optional[float] = F(None, unit="m", doc="override: die-side thermal "
                                                              "interface bond-line thickness "
                                                              "(none = preset)",
                                          gt=0.0, le=1.0e-3)
    tim1_conductivity_w_mk: Optional[float] = F(None, unit="W/m/K", doc="override: die-side "
                                                                        "thermal interface "
                                                                        "conductivity (none = "
                                                                        "preset)",
                                                gt=0.0, le=5000.0)

    @model_validator(mode="before")
    @classmethod
    def _no_power(cls, data):
        if isinstance(data, dict) and any(k in data for k in ("power_w", "power_per_chip_w")):
            key = next(k for k in ("power_w", "power_per_chip_w") if k in data)
            raise FieldError(key, "chip power is not set in the case: the chips burn the "
                                  "electricity the panel makes (less losses and pump power)",
                             "use demand_w for a sizing target, or chip_power_w with reading "
                             "chips_at_rating / demand_at_rating")
        return data

    @model_validator(mode="after")
    def _check(self):
        if self.h_w_m2k is not None and self.cold_plate_resistance_k_w is not None:
            raise FieldError("cold_plate_resistance_k_w", "give h_w_m2k or "
                             "cold_plate_resistance_k_w, not both", "one of the two")
        names = chip_names()
        if self.chip not in names:
            try:  # a preset module may accept aliases it does not list
                _lookup(self.chip)
            except Exception:
                raise FieldError("chip", f"{self.chip!r} is not a chip-package preset",
                                 ", ".join(names)) from None
        _check_reading(self)
        try:
            package_for(self)
        except FieldError:
            raise
        except Exception as err:  # the package stack rejects the overrides
            raise FieldError(_override_field(self, str(err)), f"chip package: {err}",
                             "overrides that keep the package stack valid") from None
        return self


def _check_reading(c: ComputeSection) -> None:
    """The fields each ``compute.reading`` needs and forbids (one-line FieldErrors)."""
    r = c.reading
    if r == "demand_at_rating":
        if c.n_chips is not None:
            raise FieldError("n_chips", "follows from demand_w / chip power under reading "
                             "demand_at_rating; leave it out", "absent with this reading")
        if c.demand_w is None:
            raise FieldError("demand_w", "required with reading demand_at_rating",
                             "(0, 1e8] W")
    else:
        if c.n_chips is None:
            raise FieldError("n_chips", "required field is missing", "integer [1, 512]")
    if r == "chips_at_rating" and c.demand_w is not None:
        raise FieldError("demand_w", "follows from n_chips × chip_power_w under reading "
                         "chips_at_rating; leave it out", "absent with this reading")
    if r == "demand_over_chips" and c.chip_power_w is not None:
        raise FieldError("chip_power_w", "the chip power is demand_w / n_chips under reading "
                         "demand_over_chips; leave it out", "absent with this reading, or "
                         "reading chips_at_rating / demand_at_rating")
    if c.chip_power_w is not None:
        rated = c.rated_power_w if c.rated_power_w is not None else \
            _lookup(c.chip).rated_power_w
        if rated is not None and c.chip_power_w > rated:
            raise FieldError("chip_power_w", f"{c.chip_power_w:g} W is above the chip's "
                             f"rating {rated:g} W", f"(0, {rated:g}] W")


def compute_plan(c: ComputeSection) -> dict:
    """Chip count, per-chip design power (W) and compute demand (W) of a compute section
    under its ``reading`` (``chip_power_w`` / ``demand_w`` None when not defined)."""
    rated = c.rated_power_w if c.rated_power_w is not None else _lookup(c.chip).rated_power_w
    p_chip = c.chip_power_w if c.chip_power_w is not None else rated
    if c.reading == "chips_at_rating":
        n = c.n_chips
        demand = None if p_chip is None else n * p_chip
    elif c.reading == "demand_at_rating":
        if p_chip is None:
            raise FieldError("chip", f"{c.chip!r} has no rated power: give chip_power_w or "
                             f"rated_power_w for reading demand_at_rating", "a rated chip")
        n = max(1, math.ceil(c.demand_w / p_chip * (1.0 - 1e-12)))
        demand = c.demand_w
        p_chip = demand / n  # at or below the design chip power
    else:
        n, demand = c.n_chips, c.demand_w
        p_chip = None if demand is None else demand / n
    return {"reading": c.reading, "n_chips": int(n), "chip_power_w": p_chip,
            "chip_rated_power_w": rated, "demand_w": demand}


def _override_field(c: ComputeSection, msg: str) -> str:
    for key, name in (("tim1", "tim1_thickness_m" if c.tim1_thickness_m is not None
                       else "tim1_conductivity_w_mk"), ("h_w_m2k", "h_w_m2k"),
                      ("area_factor", "area_factor")):
        if key in msg and getattr(c, name) is not None:
            return name
    return "chip"


def package_for(c: ComputeSection, junction_max_k: float | None = None):
    """The :class:`PackageSpec` of a compute section (preset + overrides, power 0 W)."""
    from thermosat.physics.package import h_for_cold_plate_resistance

    spec = _lookup(c.chip)
    changes: dict[str, Any] = {}
    if c.h_w_m2k is not None:
        changes["h_w_m2k"] = c.h_w_m2k
    if c.area_factor is not None:
        changes["area_factor"] = c.area_factor
    if c.tim1_thickness_m is not None or c.tim1_conductivity_w_mk is not None:
        from dataclasses import replace

        tim = spec.tim1
        changes["tim1"] = replace(
            tim, thickness_m=c.tim1_thickness_m if c.tim1_thickness_m is not None
            else tim.thickness_m, conductivity_w_mk=c.tim1_conductivity_w_mk
            if c.tim1_conductivity_w_mk is not None else tim.conductivity_w_mk)
    if junction_max_k is not None:
        changes["t_junction_max_k"] = junction_max_k
    if c.rated_power_w is not None:
        changes["rated_power_w"] = c.rated_power_w
    if changes:
        spec = spec.replace(**changes)
    if c.cold_plate_resistance_k_w is not None:
        spec = spec.replace(h_w_m2k=h_for_cold_plate_resistance(spec,
                                                                c.cold_plate_resistance_k_w))
    return spec


FluidName = Literal[tuple(available_fluids())]  # type: ignore[valid-type]


class LoopSection(_Section):
    """Pumped single-phase coolant loop: pump → cold plates in parallel → radiators."""

    fluid: FluidName = F("ammonia", unit="-", doc="coolant preset (CoolProp properties)")
    pressure_pa: Optional[float] = F(None, unit="Pa", doc="loop pressure; sets the boiling "
                                                          "point (none = the fluid preset's: "
                                                          "ammonia 2 MPa, others 0.2 MPa)",
                                     gt=0.0, le=5.0e7)
    mass_flow_kg_s: float = F(1.0, unit="kg/s", doc="total mass flow through the pump",
                              gt=0.0, le=1000.0)
    pipe_inner_diameter_m: float = F(0.010, unit="m", doc="inner diameter of the radiator "
                                                          "tubes (channels)",
                                     gt=0.0, le=0.5)
    pipe_roughness_m: float = F(1.5e-6, unit="m", doc="absolute wall roughness of the tubes",
                                ge=0.0, le=1.0e-3)
    header_inner_diameter_m: Optional[float] = F(
        None, unit="m", doc="inner diameter of the radiator headers (none = sized for "
                            "design_velocity_m_s at the section's whole flow)", gt=0.0, le=0.5)
    transfer_line_inner_diameter_m: Optional[float] = F(
        None, unit="m", doc="inner diameter of the transfer lines pump → cold plates → "
                            "radiators → pump (none = sized for design_velocity_m_s at the "
                            "total flow)", gt=0.0, le=0.5)
    design_velocity_m_s: float = F(1.5, unit="m/s", doc="mean velocity the default header "
                                                        "and transfer-line bores are sized "
                                                        "for (rule: 1–2 m/s)",
                                   gt=0.0, le=10.0)
    bond_conductance_w_mk: float = F(50.0, unit="W/m/K", doc="tube-to-face-sheet conductance "
                                                             "per tube length (saddle + "
                                                             "adhesive)", gt=0.0, le=1.0e6)
    layout: Literal["serpentine", "parallel"] = F(
        "parallel", unit="-", doc="radiator tubing: one serpentine or parallel channels "
                                  "between headers")
    pipe_pitch_m: float = F(0.25, unit="m", doc="spacing of tube passes across a radiator",
                            gt=0.0, le=100.0)
    coldplate_pressure_drop_pa: float = F(20e3, unit="Pa", doc="pressure drop of each cold "
                                                               "plate at its share of the flow",
                                          ge=0.0, le=1.0e7)
    pump_efficiency: float = F(0.5, unit="-", doc="hydraulic power / pump electric power",
                               gt=0.0, le=1.0)
    freeze_margin_k: float = F(10.0, unit="K", doc="required distance of every coolant "
                                                   "temperature from freezing and from "
                                                   "boiling", ge=0.0, le=200.0)

    @model_validator(mode="after")
    def _check(self):
        fl = self.fluid_object()
        if fl.T_boil - fl.T_freeze <= 2.0 * self.freeze_margin_k:
            raise FieldError("freeze_margin_k", f"{self.freeze_margin_k:g} K leaves no liquid "
                             f"range: {fl.name} freezes at {fl.T_freeze:.2f} K and boils at "
                             f"{fl.T_boil:.2f} K at {fl.pressure:.4g} Pa",
                             f"[0, {0.5 * (fl.T_boil - fl.T_freeze):.3g}) K")
        return self

    def fluid_object(self):
        """The :class:`~thermosat.physics.fluids.Fluid` at the loop pressure."""
        from thermosat.physics.fluids import Fluid

        try:
            return Fluid(self.fluid, self.pressure_pa)
        except Exception as err:
            raise FieldError("pressure_pa", str(err), "a pressure at which the coolant is "
                                                      "liquid (pure fluids: between triple-"
                                                      "point and critical pressure) Pa") \
                from None


class PowerSection(_Section):
    """Electrical power chain."""

    distribution_loss_fraction: float = F(0.05, unit="-", doc="fraction of the PV power lost "
                                                              "in conversion and distribution "
                                                              "(ends as heat in the coolant)",
                                          ge=0.0, lt=1.0)
    eclipse_compute_fraction: float = F(0.0, unit="-", doc="eclipse policy: fraction of the "
                                                           "sunlit compute the chips run in "
                                                           "eclipse, from the battery (0 = "
                                                           "compute off in eclipse)",
                                        ge=0.0, le=1.0)


class BatterySection(_Section):
    """Battery carrying the eclipse loads (pump, heaters, eclipse compute); recharged from the
    PV in sunlight (docs/references.md §9)."""

    capacity_wh: Optional[float] = F(None, unit="Wh", doc="nameplate energy (none = sized "
                                                          "from the periodic orbit: deepest "
                                                          "discharge / depth_of_discharge)",
                                     gt=0.0, le=1.0e7)
    round_trip_efficiency: float = F(0.90, unit="-", doc="delivered / charged energy over a "
                                                         "cycle (Li-ion 0.90-0.95)",
                                     gt=0.0, le=1.0)
    depth_of_discharge: float = F(0.30, unit="-", doc="largest fraction of the capacity drawn "
                                                      "per orbit (LEO practice 0.2-0.4)",
                                  gt=0.0, le=1.0)
    specific_energy_wh_kg: float = F(150.0, unit="Wh/kg", doc="pack-level specific energy "
                                                              "(Li-ion packs 100-200)",
                                     gt=0.0, le=1000.0)
    charge_c_rate_per_h: float = F(0.5, unit="1/h", doc="largest recharge power / capacity",
                                   gt=0.0, le=10.0)


class HeatersSection(_Section):
    """Thermostat heaters on the coolant return (freeze protection in eclipse)."""

    enabled: bool = F(True, unit="-", doc="whether the loop has heaters")
    set_point_k: Optional[float] = F(None, unit="K", doc="thermostat set point on the "
                                                         "radiator return (none = freezing + "
                                                         "loop.freeze_margin_k + band_k + 3 K)",
                                     gt=0.0, le=1000.0)
    band_k: float = F(5.0, unit="K", doc="proportional band: off at the set point, full power "
                                         "band_k below it", gt=0.0, le=100.0)
    max_power_w: Optional[float] = F(None, unit="W", doc="heater power at full on (none = "
                                                         "2·ε·σ·T_set⁴ × radiator area, what "
                                                         "both radiator faces emit at the set "
                                                         "point)", ge=0.0, le=1.0e7)


class LimitsSection(_Section):
    """Temperature limits the design is checked against."""

    cell_max_k: Optional[float] = F(None, unit="K", doc="maximum solar-cell temperature "
                                                        "(none = the cell preset's, 393.15 K)",
                                    gt=0.0, le=1000.0)
    junction_max_k: Optional[float] = F(None, unit="K", doc="maximum chip junction temperature"
                                                            " (none = the chip preset's)",
                                        ge=250.0, le=600.0)


class SizingSection(_Section):
    """What a sizing run varies to meet the limits and the demand."""

    vary: Literal["wings", "panel_radiator"] = F(
        "panel_radiator", unit="-", doc="the area sizing varies: wings.area_m2 or "
                                        "panel.panel_radiator_area_m2")
    min_area_m2: float = F(1.0, unit="m²", doc="lower bound of the varied area", ge=0.0,
                           le=1.0e5)
    max_area_m2: float = F(5000.0, unit="m²", doc="upper bound of the varied area", gt=0.0,
                           le=1.0e5)
    tolerance_m2: float = F(1.0, unit="m²", doc="area tolerance of the sizing search", gt=0.0,
                            le=1.0e4)
    sizing_case: Optional[str] = F(None, unit="-", doc="name of the [environments.<name>] "
                                                       "case the radiator is sized against "
                                                       "(none = the [orbit] values)",
                                   min_length=1, max_length=64)
    check_case: Optional[str] = F(None, unit="-", doc="name of the [environments.<name>] case "
                                                      "the sized design is checked against "
                                                      "for freezing, cold cells and cold "
                                                      "junctions (none = no cold check)",
                                  min_length=1, max_length=64)
    orbit_case: Optional[str] = F(None, unit="-", doc="name of the [environments.<name>] case "
                                                      "the sized design's repeating orbit "
                                                      "(battery, heaters, freezing) is run in "
                                                      "(none = the sizing case)",
                                  min_length=1, max_length=64)
    uncertainty_samples: int = F(0, unit="-", doc="samples of the main job's uncertainty "
                                                  "study of the answer (Latin hypercube, "
                                                  "surrogate checked against full solves; "
                                                  "0 = none)", ge=0, le=100000)
    trade_placements: list[Literal[PLACEMENTS]] = F(  # type: ignore[valid-type]
        default_factory=list, unit="-", doc="placements the main job sizes and trades (the "
                                            "feasible one with the highest W/kg is the "
                                            "answer); empty = size wings.placement only",
        max_length=len(PLACEMENTS), allowed=f"a list of distinct names from {list(PLACEMENTS)}")

    @model_validator(mode="after")
    def _check(self):
        if len(set(self.trade_placements)) != len(self.trade_placements):
            raise FieldError("trade_placements", f"{self.trade_placements} repeats a placement",
                             "distinct placement names")
        if not self.max_area_m2 > self.min_area_m2:
            raise FieldError("max_area_m2", f"{self.max_area_m2:g} m² is not above "
                             f"min_area_m2 = {self.min_area_m2:g} m²",
                             f"> {self.min_area_m2:g} m²")
        if not self.tolerance_m2 < self.max_area_m2 - self.min_area_m2:
            raise FieldError("tolerance_m2", f"{self.tolerance_m2:g} m² is not smaller than "
                             f"the bracket max_area_m2 − min_area_m2 = "
                             f"{self.max_area_m2 - self.min_area_m2:g} m²",
                             f"< {self.max_area_m2 - self.min_area_m2:g} m²")
        return self


class TransientSection(_Section):
    """Orbit transient started from the steady hot case."""

    n_orbits: float = F(1.0, unit="orbits", doc="length of the transient", gt=0.0, le=100.0)
    steps: int = F(180, unit="-", doc="number of time steps over the whole transient", ge=4,
                   le=100000)
    scheme: Literal["bdf2", "backward_euler"] = F("bdf2", unit="-", doc="time integrator")


class EnvironmentSection(_Section):
    """A named bounding environment (``[environments.<name>]``): the orbit's environment
    values and coating/cell life replaced for a hot (sizing) or cold (check) case."""

    source: str = F("", unit="-", doc="where the values come from (free text)",
                    max_length=2000)
    beta_deg: float = F(0.0, unit="deg", doc="beta angle of this case", ge=-90.0, le=90.0)
    steady_theta_deg: float = F(0.0, unit="deg", doc="orbit angle from noon of the steady "
                                                     "point of this case", ge=0.0, lt=360.0)
    solar_constant_w_m2: float = F(1361.0, unit="W/m²", doc="solar irradiance (1322 at "
                                                            "aphelion – 1414 at perihelion)",
                                   gt=0.0, le=2000.0)
    albedo: float = F(0.30, unit="-", doc="short-period Earth albedo of this case", ge=0.0,
                      le=1.0)
    earth_ir_w_m2: float = F(237.0, unit="W/m²", doc="short-period Earth OLR of this case",
                             ge=0.0, le=500.0)
    life: Literal["as_given", "bol", "eol"] = F(
        "as_given", unit="-", doc="coating and cell life: bol = beginning-of-life coatings "
                                  "and cells (eol_factor 1), eol = end-of-life coatings "
                                  "(white paint darkened) and the panel's eol_factor, "
                                  "as_given = the coatings and eol_factor as the case gives "
                                  "them; explicit {alpha, epsilon} coatings are used as "
                                  "given in every environment")


class MeshSection(_Section):
    """Mesh resolution of the chip packages (the panel's is panel.element_size_m)."""

    package_mesh_density: int = F(6, unit="-", doc="cells across the die's shorter edge of "
                                                   "each package mesh", ge=2, le=64)


SECTIONS: dict[str, type[_Section]] = {
    "orbit": OrbitSection, "panel": PanelSection, "wings": WingsSection,
    "compute": ComputeSection, "loop": LoopSection, "power": PowerSection,
    "limits": LimitsSection, "sizing": SizingSection, "transient": TransientSection,
    "battery": BatterySection, "heaters": HeatersSection,
    "mesh": MeshSection, "environments": EnvironmentSection,
}


def _grid_nodes(length: float, width: float, h: float) -> int:
    return (max(2, math.ceil(length / h) + 1)) * (max(2, math.ceil(width / h) + 1))


def estimate_unknowns(case: "CaseModel") -> int:
    """Rough number of unknowns of the satellite model (panel and wing layers, packages,
    coolant nodes)."""
    p, w, h = case.panel, case.wings, case.panel.element_size_m
    n_layers = len(p.layers) if p.layers else 4
    length = (p.cell_area_m2 + p.panel_radiator_area_m2) / p.width_m
    n = n_layers * _grid_nodes(length, p.width_m, h)
    if w.area_m2 > 0:
        n_wl = len(w.layers) if w.layers else 3
        n += 2 * n_wl * _grid_nodes(w.area_m2 / 2 / w.width_m, w.width_m, h)
    d = case.mesh.package_mesh_density
    n += compute_plan(case.compute)["n_chips"] * 30 * d * d
    return int(n)


class CaseModel(_Section):
    """A thermosat case: one satellite design and how to analyse it."""

    description: str = F("", unit="-", doc="free text describing the case (not part of the "
                                           "fingerprint)", max_length=10000)
    orbit: OrbitSection = F(unit="-", doc="orbit and environment (required section)",
                            allowed="a table [orbit]")
    panel: PanelSection = F(unit="-", doc="dual-face panel (required section)",
                            allowed="a table [panel]")
    wings: WingsSection = F(default_factory=WingsSection, unit="-",
                            doc="edge-on radiator wings", allowed="a table [wings]")
    compute: ComputeSection = F(unit="-", doc="chip packages (required section)",
                                allowed="a table [compute]")
    loop: LoopSection = F(default_factory=LoopSection, unit="-", doc="coolant loop",
                          allowed="a table [loop]")
    power: PowerSection = F(default_factory=PowerSection, unit="-", doc="power chain",
                            allowed="a table [power]")
    limits: LimitsSection = F(default_factory=LimitsSection, unit="-",
                              doc="temperature limits", allowed="a table [limits]")
    battery: BatterySection = F(default_factory=BatterySection, unit="-",
                                doc="battery for the eclipse loads", allowed="a table [battery]")
    heaters: HeatersSection = F(default_factory=HeatersSection, unit="-",
                                doc="coolant heaters", allowed="a table [heaters]")
    sizing: SizingSection = F(default_factory=SizingSection, unit="-", doc="radiator sizing",
                              allowed="a table [sizing]")
    transient: TransientSection = F(default_factory=TransientSection, unit="-",
                                    doc="orbit transient", allowed="a table [transient]")
    mesh: MeshSection = F(default_factory=MeshSection, unit="-", doc="package mesh",
                          allowed="a table [mesh]")
    environments: dict[str, EnvironmentSection] = F(
        default_factory=dict, unit="-", doc="named bounding environments (e.g. hot, cold); "
                                            "sizing.sizing_case / check_case pick them",
        allowed="tables [environments.<name>]")

    @model_validator(mode="after")
    def _cross(self):
        p, w, lp = self.panel, self.wings, self.loop
        # radiator area for the loop
        if p.panel_radiator_area_m2 == 0 and w.area_m2 == 0:
            raise FieldError("panel.panel_radiator_area_m2", "no radiator: "
                             "panel.panel_radiator_area_m2 and wings.area_m2 are both 0",
                             "> 0 m² for at least one of the two")
        # tubes must fit on every radiator section
        sections = []
        if p.panel_radiator_area_m2 > 0:
            sections.append(("the panel radiator strip", p.panel_radiator_area_m2 / p.width_m,
                             p.width_m))
        if w.area_m2 > 0:
            sections.append(("each wing", w.area_m2 / 2 / w.width_m, w.width_m))
        for what, a, b in sections:
            if lp.pipe_pitch_m > min(a, b):
                raise FieldError("loop.pipe_pitch_m", f"{lp.pipe_pitch_m:g} m is wider than "
                                 f"{what} ({a:.3g} m × {b:.3g} m): no room for one tube pass",
                                 f"≤ {min(a, b):.3g} m")
        # bounding environments
        names = sorted(self.environments)
        for key in ("sizing_case", "check_case", "orbit_case"):
            v = getattr(self.sizing, key)
            if v is not None and v not in self.environments:
                raise FieldError(f"sizing.{key}", f"{v!r} is not an [environments.<name>] "
                                 f"case", ", ".join(names) or "define [environments.<name>]")
        if self.sizing.sizing_case is not None and \
                self.sizing.sizing_case == self.sizing.check_case:
            raise FieldError("sizing.check_case", "the check case is the sizing case",
                             "a different environment than sizing.sizing_case")
        for name, env in self.environments.items():
            if env.life == "as_given":
                continue
            for where, c in (("panel.back", p.back), ("panel.radiator_front", p.radiator_front),
                             ("wings.coating", w.coating)):
                if isinstance(c, str) and c not in LIFE_VARIANTS:
                    raise FieldError(f"environments.{name}.life", f"no {env.life} data for "
                                     f"{where} = {c!r}", "life = 'as_given', explicit "
                                     "{alpha, epsilon} (used as given), or coatings with "
                                     f"life data: {', '.join(sorted(LIFE_VARIANTS))}")
        # limits in the right order
        fl = lp.fluid_object()
        t_lo = fl.T_freeze + lp.freeze_margin_k
        jmax = self.limits.junction_max_k
        if jmax is None:
            jmax = package_for(self.compute).t_junction_max_k
            where = "compute.chip"
        else:
            where = "limits.junction_max_k"
        if not jmax > t_lo:
            raise FieldError(where, f"junction limit {jmax:g} K is not above the coolant's "
                             f"freezing point {fl.T_freeze:.2f} K + freeze margin "
                             f"{lp.freeze_margin_k:g} K", f"> {t_lo:.2f} K")
        cmax = self.limits.cell_max_k
        if cmax is not None and not cmax > t_lo:
            raise FieldError("limits.cell_max_k", f"cell limit {cmax:g} K is not above the "
                             f"coolant's freezing point {fl.T_freeze:.2f} K + freeze margin "
                             f"{lp.freeze_margin_k:g} K", f"> {t_lo:.2f} K")
        # model size
        n = estimate_unknowns(self)
        if n > MAX_UNKNOWNS:
            d = self.mesh.package_mesh_density
            pk = compute_plan(self.compute)["n_chips"] * 30 * d * d
            fld = "mesh.package_mesh_density" if pk > n / 2 else "panel.element_size_m"
            raise FieldError(fld, f"the model would have ~{n:.3g} unknowns",
                             f"≤ {MAX_UNKNOWNS:.0e} unknowns: coarser panel.element_size_m or "
                             f"mesh.package_mesh_density")
        return self
