"""Optical coatings, solar-cell technologies and panel layers, with their sources.

Coating α/ε: docs/references.md reference values (Gilmore, *Spacecraft Thermal Control Handbook*,
2002, App. A). Cell temperature coefficients: docs/references.md (HJT −0.24 %/K, TOPCon −0.3 %/K,
triple-junction GaAs −0.23 %/K); efficiencies at 28 °C AM0 are typical datasheet values
(stated per preset).
"""
from __future__ import annotations

from dataclasses import dataclass

from thermosat.common.errors import InputError

__all__ = ["Coating", "CellTechnology", "Layer", "COATINGS", "CELLS", "coating", "cell_technology",
           "DEFAULT_CELL_STACK", "DEFAULT_RADIATOR_STACK"]


@dataclass(frozen=True)
class Coating:
    """Surface optical properties: solar absorptance α and IR emissivity ε (both in [0, 1])."""

    name: str
    alpha: float
    epsilon: float
    source: str = ""

    def __post_init__(self):
        for field, v in (("alpha", self.alpha), ("epsilon", self.epsilon)):
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
    Coating("z93", 0.15, 0.92, "Z-93 white (docs/references.md)"),
    Coating("az93", 0.15, 0.91, "AZ-93 white (docs/references.md)"),
    Coating("s13g", 0.26, 0.83, "S13G white (docs/references.md)"),
    Coating("silver_teflon", 0.08, 0.78, "silver Teflon (docs/references.md)"),
    Coating("osr", 0.07, 0.74, "optical solar reflector (docs/references.md)"),
    Coating("black_paint", 0.95, 0.88, "black paint (docs/references.md)"),
    Coating("si_cells", 0.75, 0.82, "silicon cells with cover glass (docs/references.md)"),
    Coating("gaas_cells", 0.88, 0.80, "GaAs cells (docs/references.md)"),
    Coating("black_body", 1.0, 1.0, "ideal black surface (VALIDATION case 4)"),
]}

CELLS: dict[str, CellTechnology] = {c.name: c for c in [
    CellTechnology("hjt", 0.24, -0.0024, alpha=0.75, epsilon=0.82,
                   source="HJT silicon: γ −0.24 %/K (docs/references.md); η ≈ 24 % (datasheet class)"),
    CellTechnology("topcon", 0.23, -0.0030, alpha=0.75, epsilon=0.82,
                   source="TOPCon silicon: γ −0.30 %/K (docs/references.md); η ≈ 23 %"),
    CellTechnology("tandem", 0.30, -0.0020, alpha=0.80, epsilon=0.84,
                   source="perovskite–silicon tandem: η ≈ 30 % (lab class), γ ≈ −0.20 %/K "
                          "(published tandem coefficients are lower than silicon's); "
                          "not flight-proven"),
    CellTechnology("gaas3j", 0.30, -0.0023, alpha=0.88, epsilon=0.80,
                   source="triple-junction GaAs: γ −0.23 %/K (docs/references.md); η ≈ 30 % AM0 "
                          "(space datasheet class)"),
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
