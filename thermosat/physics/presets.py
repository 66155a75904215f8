"""Optical coatings, solar-cell technologies and panel layers, with their sources.

Coating α/ε: docs/references.md reference values (Gilmore, *Spacecraft Thermal Control Handbook*,
2002, App. A). Beginning- and end-of-life variants (``LIFE_VARIANTS``): white paints darken
in orbit — Z-93-class α ~0.14 → ~0.22 and ε ~0.90 → ~0.85 over years; OSR α ~0.04 → ~0.07
(docs/references.md; Gilmore 2002 ch. 5 "Thermal surface finishes", degradation data from the LDEF
and ISS exposure experiments). The ``z93`` preset (α 0.15 / ε 0.92) is the beginning of life,
``z93_eol`` (0.22 / 0.85) the end of life; ``osr`` (α 0.07) is the end-of-life OSR,
``osr_bol`` (α 0.04) its beginning of life.

Cell temperature coefficients: docs/references.md (HJT −0.24 %/K, TOPCon −0.3 %/K, triple-junction
GaAs −0.23 %/K); efficiencies are stated per preset with the spectrum they are quoted at
(AM0 = 1361 W/m² extraterrestrial spectrum, 28 °C, beginning of life; see
``docs/references.md``).

Deployable-radiator constructions (:data:`RADIATOR_CONSTRUCTIONS`): aluminium honeycomb panels
with embedded tubes, areal mass in the published 3–7 kg/m² range of deployable radiators
(docs/references.md), against ~14 kg/m² of the ISS HRS panels including structure (docs/references.md).
"""
from __future__ import annotations

from dataclasses import dataclass

from thermosat.common.errors import InputError

__all__ = ["Coating", "CellTechnology", "Layer", "COATINGS", "CELLS", "coating", "cell_technology",
           "DEFAULT_CELL_STACK", "DEFAULT_RADIATOR_STACK", "LIFE_VARIANTS", "life_coating",
           "RadiatorConstruction", "RADIATOR_CONSTRUCTIONS", "radiator_construction"]


@dataclass(frozen=True)
class Coating:
    """Surface optical properties: solar absorptance α and IR emissivity ε (both in [0, 1]);
    ``specular`` is the part (0 … 1) of the solar-band reflectance 1 − α that is specular
    (mirror-like: OSR, silver Teflon); the rest reflects diffusely."""

    name: str
    alpha: float
    epsilon: float
    source: str = ""
    specular: float = 0.0

    def __post_init__(self):
        for field, v in (("alpha", self.alpha), ("epsilon", self.epsilon),
                         ("specular", self.specular)):
            if not 0.0 <= v <= 1.0:
                raise InputError(f"coating {self.name!r}: {field} = {v} is outside [0, 1]")


@dataclass(frozen=True)
class CellTechnology:
    """Photovoltaic cell: η = η_ref·(1 + γ·(T − T_ref)), clipped at 0.

    eta_ref : efficiency at ``t_ref_k`` under AM0 (dimensionless)
    gamma_per_k : relative temperature coefficient (1/K, negative)
    alpha, epsilon : front-surface absorptance and emissivity of the covered cell
    t_max_k : maximum operating temperature (K)
    eol_factor : end-of-life efficiency factor (radiation degradation), 1 = beginning of life
    """

    name: str
    eta_ref: float
    gamma_per_k: float
    t_ref_k: float = 301.15
    alpha: float = 0.75
    epsilon: float = 0.82
    t_max_k: float = 393.15
    eol_factor: float = 1.0
    source: str = ""

    def efficiency(self, T_k):
        """Conversion efficiency at cell temperature ``T_k`` (K)."""
        import numpy as np

        eta = self.eta_ref * self.eol_factor * (1.0 + self.gamma_per_k * (np.asarray(T_k) - self.t_ref_k))
        return np.maximum(eta, 0.0)


@dataclass(frozen=True)
class Layer:
    """One layer of a panel stack (SI units)."""

    name: str
    thickness_m: float
    conductivity_w_mk: float
    density_kg_m3: float
    specific_heat_j_kgk: float

    def __post_init__(self):
        for field in ("thickness_m", "conductivity_w_mk", "density_kg_m3", "specific_heat_j_kgk"):
            v = getattr(self, field)
            if not v > 0:
                raise InputError(f"layer {self.name!r}: {field} = {v} must be > 0")

    @property
    def areal_mass_kg_m2(self) -> float:
        return self.thickness_m * self.density_kg_m3


COATINGS: dict[str, Coating] = {c.name: c for c in [
    Coating("z93", 0.15, 0.92, "Z-93 white, beginning of life (docs/references.md)"),
    Coating("z93_eol", 0.22, 0.85, "Z-93-class white, end of life: α 0.14 → ~0.22, "
                                   "ε 0.90 → ~0.85 (docs/references.md; Gilmore 2002 ch. 5)"),
    Coating("osr_bol", 0.04, 0.74, "optical solar reflector, beginning of life α ~0.04 "
                                   "(docs/references.md); a second-surface mirror: specular",
            specular=1.0),
    Coating("az93", 0.15, 0.91, "AZ-93 white (docs/references.md)"),
    Coating("s13g", 0.26, 0.83, "S13G white (docs/references.md)"),
    Coating("silver_teflon", 0.08, 0.78, "silver Teflon (docs/references.md); a second-surface "
                                         "mirror: specular", specular=1.0),
    Coating("osr", 0.07, 0.74, "optical solar reflector, end of life α ~0.07 (docs/references.md); "
                               "a second-surface mirror: specular", specular=1.0),
    Coating("black_paint", 0.95, 0.88, "black paint (docs/references.md)"),
    Coating("si_cells", 0.75, 0.82, "silicon cells with cover glass (docs/references.md)"),
    Coating("gaas_cells", 0.88, 0.80, "GaAs cells (docs/references.md)"),
    Coating("black_body", 1.0, 1.0, "ideal black surface (VALIDATION case 4)"),
]}

CELLS: dict[str, CellTechnology] = {c.name: c for c in [
    CellTechnology("hjt", 0.24, -0.0024, alpha=0.75, epsilon=0.82,
                   source="HJT silicon: γ −0.24 %/K (docs/references.md); η 24 % is the terrestrial "
                          "(AM1.5G, 25 °C) production-cell class — no vendor publishes an AM0 "
                          "rating of HJT cells; used as the AM0 value (an assumption: silicon "
                          "converts AM0 no better than AM1.5G, so this is optimistic)"),
    CellTechnology("topcon", 0.23, -0.0030, alpha=0.75, epsilon=0.82,
                   source="TOPCon silicon: γ −0.30 %/K (docs/references.md); η 23 % terrestrial "
                          "(AM1.5G) production class used as the AM0 value (assumption, "
                          "optimistic as for hjt)"),
    CellTechnology("tandem", 0.30, -0.0020, alpha=0.80, epsilon=0.84,
                   source="perovskite–silicon tandem: a PROJECTION, not a product: η 30 % "
                          "AM0 assumed (lab cells exceed 33 % at AM1.5G, NREL chart; no "
                          "space-qualified tandem exists), γ ≈ −0.20 %/K; not flight-proven"),
    CellTechnology("gaas3j", 0.30, -0.0023, alpha=0.88, epsilon=0.80,
                   source="triple-junction GaInP/GaAs/Ge: η 30 % AM0, 28 °C, BOL "
                          "(Spectrolab XTJ Prime datasheet: 30.7 % average; Azur Space "
                          "3G30C-Advanced datasheet: ~30 %); γ −0.23 %/K (docs/references.md)"),
]}

DEFAULT_CELL_STACK = (
    Layer("cover_glass", 100e-6, 1.1, 2500.0, 800.0),
    Layer("cells", 150e-6, 150.0, 2330.0, 700.0),
    Layer("substrate", 1.0e-3, 5.0, 300.0, 1000.0),  # polyimide/honeycomb composite, effective
    Layer("face_sheet", 0.5e-3, 167.0, 2700.0, 900.0),  # aluminium radiator face sheet
)
DEFAULT_RADIATOR_STACK = DEFAULT_CELL_STACK


def coating(name: str) -> Coating:
    """Coating preset by name; :class:`InputError` lists the allowed names."""
    try:
        return COATINGS[name]
    except KeyError:
        raise InputError(f"coating {name!r} is not one of {sorted(COATINGS)}") from None


def cell_technology(name: str) -> CellTechnology:
    """Cell preset by name; :class:`InputError` lists the allowed names."""
    try:
        return CELLS[name]
    except KeyError:
        raise InputError(f"cell technology {name!r} is not one of {sorted(CELLS)}") from None


#: beginning- and end-of-life variant of each coating that has degradation data
LIFE_VARIANTS: dict[str, dict[str, str]] = {
    "z93": {"bol": "z93", "eol": "z93_eol"},
    "az93": {"bol": "az93", "eol": "z93_eol"},
    "z93_eol": {"bol": "z93", "eol": "z93_eol"},
    "osr": {"bol": "osr_bol", "eol": "osr"},
    "osr_bol": {"bol": "osr_bol", "eol": "osr"},
}


def life_coating(name: str, life: str) -> Coating:
    """Coating ``name`` at ``life`` (``bol``/``eol``/``as_given``); InputError if no data."""
    if life == "as_given":
        return coating(name)
    try:
        return coating(LIFE_VARIANTS[name][life])
    except KeyError:
        raise InputError(f"coating {name!r}: no {life!r} data (coatings with life data: "
                         f"{', '.join(sorted(LIFE_VARIANTS))})") from None


@dataclass(frozen=True)
class RadiatorConstruction:
    """A deployable radiator panel: two face sheets on a honeycomb core, tubes bonded to the
    front sheet (SI units).

    face_sheet_m : thickness of each aluminium face sheet (m)
    core_m, core_density_kg_m3, core_k_w_mk : honeycomb core thickness, density and
        effective (through-thickness) conductivity
    adhesive_kg_m2, coating_kg_m2, closeout_kg_m2 : film adhesive (both sheets), paint, and
        edge closeouts / inserts / hinge fittings per m² of planform
    tube_pitch_m, bond_conductance_w_mk : tube spacing and tube-to-sheet bond conductance
    heat_pipe_pitch_m : pitch of embedded heat pipes across the tubes (None = no heat pipes)
    heat_pipe_k_w_mk, heat_pipe_area_m2, heat_pipe_kg_m : effective axial conductivity,
        cross-section and mass per length of one heat pipe
    """

    name: str
    face_sheet_m: float
    core_m: float
    core_density_kg_m3: float
    core_k_w_mk: float
    adhesive_kg_m2: float
    coating_kg_m2: float
    closeout_kg_m2: float
    tube_pitch_m: float
    bond_conductance_w_mk: float
    heat_pipe_pitch_m: float | None = None
    heat_pipe_k_w_mk: float = 2.0e4
    heat_pipe_area_m2: float = 8.0e-5
    heat_pipe_kg_m: float = 0.20
    source: str = ""

    face_k_w_mk = 167.0     # Al 6061-T6 (Incropera, Table A.1)
    face_rho_kg_m3 = 2700.0
    face_c_j_kgk = 896.0

    def layers(self) -> tuple[Layer, ...]:
        """Thermal stack, tube side first: front sheet, [smeared heat pipes], core, back sheet.

        Embedded heat pipes are a layer of thickness A_hp / pitch (their cross-section smeared
        over the pitch) at their effective conductivity: the in-plane conductance per width
        is k_hp·A_hp/pitch (W/K), the number that matters for the fin.
        """
        sheet = dict(conductivity_w_mk=self.face_k_w_mk, density_kg_m3=self.face_rho_kg_m3,
                     specific_heat_j_kgk=self.face_c_j_kgk)
        out = [Layer("front_sheet", self.face_sheet_m, **sheet)]
        if self.heat_pipe_pitch_m is not None:
            t = self.heat_pipe_area_m2 / self.heat_pipe_pitch_m
            out.append(Layer("heat_pipes", t, self.heat_pipe_k_w_mk,
                             self.heat_pipe_kg_m / self.heat_pipe_area_m2, 900.0))
        out.append(Layer("core", self.core_m, self.core_k_w_mk, self.core_density_kg_m3,
                         900.0))
        out.append(Layer("back_sheet", self.face_sheet_m, **sheet))
        return tuple(out)

    @property
    def in_plane_conductance_w_k(self) -> float:
        """Σ k·t over the stack (W/K): the fin's in-plane conductance per unit width."""
        return sum(lay.conductivity_w_mk * lay.thickness_m for lay in self.layers())

    @property
    def areal_mass_kg_m2(self) -> float:
        """Structure areal mass (kg/m² of planform): sheets, core, heat pipes, adhesive,
        coating and closeouts. Tubes and coolant are counted by the loop."""
        return (sum(lay.areal_mass_kg_m2 for lay in self.layers()) + self.adhesive_kg_m2
                + self.coating_kg_m2 + self.closeout_kg_m2)

    def areal_mass_with_tubes_kg_m2(self, tube_id_m: float, wall_m: float,
                                    coolant_rho_kg_m3: float) -> float:
        """Areal mass (kg/m²) with aluminium tubes (wall ``wall_m``) at ``tube_pitch_m`` full
        of coolant — the number to compare with published radiator areal masses."""
        import math

        per_m = (math.pi * (tube_id_m + wall_m) * wall_m * self.face_rho_kg_m3
                 + math.pi * tube_id_m ** 2 / 4 * coolant_rho_kg_m3)
        return self.areal_mass_kg_m2 + per_m / self.tube_pitch_m


_HC_SOURCE = ("Al honeycomb sandwich: Al 6061 face sheets; HexWeb 5052 Al core 3.1 lb/ft³ "
              "(49.7 kg/m³, Hexcel HexWeb honeycomb attributes and properties), effective "
              "through-thickness k ≈ 1.5 W/m/K; film adhesive ~0.15 kg/m² per sheet; Z-93 "
              "paint ~0.2 kg/m²; closeouts/inserts/hinges ~0.5 kg/m² (assumption); "
              "total in the 3–7 kg/m² of deployable radiators (docs/references.md; Gilmore 2002 "
              "ch. 6 'Radiators')")

RADIATOR_CONSTRUCTIONS: dict[str, RadiatorConstruction] = {c.name: c for c in [
    RadiatorConstruction("honeycomb_al", 0.5e-3, 12.7e-3, 49.7, 1.5, 0.30, 0.20, 0.50,
                         0.25, 50.0, source=_HC_SOURCE + "; 0.5 mm face sheets"),
    RadiatorConstruction("honeycomb_al_light", 0.25e-3, 12.7e-3, 49.7, 1.5, 0.30, 0.20,
                         0.50, 0.15, 50.0, source=_HC_SOURCE + "; 0.25 mm face sheets, "
                                                               "tubes at 0.15 m"),
    RadiatorConstruction("honeycomb_al_heat_pipes", 0.5e-3, 12.7e-3, 49.7, 1.5, 0.30, 0.20,
                         0.50, 0.25, 50.0, heat_pipe_pitch_m=0.20,
                         source=_HC_SOURCE + "; embedded Al/ammonia axially grooved heat "
                                "pipes across the tubes every 0.20 m: effective k 2e4 W/m/K "
                                "(heat pipes conduct 10–1000× copper, Faghri, Heat Pipe "
                                "Science and Technology, 1995, ch. 1; a conservative value for "
                                "~1 m constant-conductance pipes), 80 mm² cross-section, "
                                "0.20 kg/m (12.7 mm extrusion with ammonia)"),
]}


def radiator_construction(name: str) -> RadiatorConstruction:
    """Radiator construction preset by name; :class:`InputError` lists the allowed names."""
    try:
        return RADIATOR_CONSTRUCTIONS[name]
    except KeyError:
        raise InputError(f"radiator construction {name!r} is not one of "
                         f"{sorted(RADIATOR_CONSTRUCTIONS)}") from None
