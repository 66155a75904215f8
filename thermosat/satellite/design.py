"""What defines one satellite (:class:`SatelliteDesign`) and which limits a result fails."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from thermosat.common.errors import InputError
from thermosat.physics.battery import BatterySpec
from thermosat.physics.heaters import HeaterSpec
from thermosat.physics.loop import LoopSpec
from thermosat.physics.orbit import Orbit
from thermosat.physics.package import PackageSpec
from thermosat.satellite.geometry import FIN_ELEMENTS_PER_PITCH
from thermosat.physics.presets import (DEFAULT_CELL_STACK, CellTechnology, Coating, Layer,
                                       cell_technology, coating)

__all__ = ["SatelliteDesign", "WING_STACK", "ENERGY_TOL_REL", "limit_checks", "limit_violations",
           "chip_limits"]

#: relative energy imbalance above which a steady result is flagged (solves reach ~1e-12)
ENERGY_TOL_REL = 1e-6

#: honeycomb radiator wing: two aluminium face sheets on a 12 mm core (effective properties)
WING_STACK = (
    Layer("front_sheet", 0.5e-3, 167.0, 2700.0, 900.0),
    Layer("core", 12e-3, 1.5, 50.0, 900.0),
    Layer("back_sheet", 0.5e-3, 167.0, 2700.0, 900.0),
)


@dataclass
class SatelliteDesign:
    """Everything that defines one satellite (SI units, K).

    The steady design point is the hot case at orbit angle ``steady_theta_deg`` from noon.
    Compute power is what the panel's electricity allows: P_compute = P_pv·(1 − losses) −
    P_pump; distribution losses and pump work end as heat in the coolant.
    """

    orbit: Orbit
    cell_area_m2: float
    wing_area_m2: float = 0.0
    panel_radiator_area_m2: float = 0.0
    panel_width_m: float = 10.0
    wing_width_m: float = 5.0
    element_size_m: float = 0.5
    layers: tuple[Layer, ...] = DEFAULT_CELL_STACK
    wing_layers: tuple[Layer, ...] = WING_STACK
    cell: CellTechnology = field(default_factory=lambda: cell_technology("hjt"))
    packing: float = 0.90
    panel_back: Coating = field(default_factory=lambda: coating("z93"))
    panel_radiator_front: Coating = field(default_factory=lambda: coating("osr"))
    wing_coating: Coating = field(default_factory=lambda: coating("z93"))
    n_packages: int = 12
    package: PackageSpec | None = None
    package_mesh_density: int = 6
    loop: LoopSpec = field(default_factory=LoopSpec)
    distribution_loss_fraction: float = 0.05
    solar_constant_w_m2: float = 1361.0
    albedo: float = 0.30
    earth_ir_w_m2: float = 237.0
    steady_theta_deg: float = 0.0
    cell_max_k: float | None = None
    # surface exchange: wing–panel–bus infrared exchange (acts only when there are wings)
    surface_exchange: bool = True
    # --- issue 12 part A (kept at the end to ease merging) ---
    #: areal mass of the wing construction (kg/m² of planform: face sheets, core, adhesive,
    #: coating, closeouts; tubes and coolant are counted by the loop); None = the layers'
    wing_areal_mass_kg_m2: float | None = None
    #: name of the environment case this design was built for (``hot``, ``cold``, ...)
    environment_name: str = "nominal"
    # --- fidelity-b: fin resolution, cold-plate channel, eclipse power (issue 12) ------------
    #: elements across one tube pitch of the wings (even, ≥ 2); None: the old isotropic
    #: element size (two tubes per element: the fin's dip is not resolved)
    fin_elements_per_pitch: int | None = FIN_ELEMENTS_PER_PITCH
    #: fluid nodes along each cold-plate channel (the plate-to-fluid film distributed over
    #: them, each segment referenced to its local fluid temperature)
    coldplate_fluid_nodes: int = 6
    # --- env13: orbital heating (issue 13) ---------------------------------------------------
    #: albedo model of the environment fluxes: "cap" integrates the sunlit part of the visible
    #: Earth cap (thermosat.physics.albedo), "subsatellite" is F·cos⁺θ_ss
    albedo_model: str = "cap"
    #: ray-trace the environment on the satellite's own geometry: Earth IR and albedo hidden
    #: by the other bodies, albedo reflected between them (thermosat.satellite.heating)
    environment_blockage: bool = True
    # --- fid12: eclipse power and freeze protection (issue 12 item 5) -----------------------
    #: battery carrying the eclipse loads (physics/battery.py)
    battery: BatterySpec = field(default_factory=BatterySpec)
    #: thermostat heaters on the coolant return (physics/heaters.py)
    heaters: HeaterSpec = field(default_factory=HeaterSpec)
    #: eclipse compute policy: fraction of the steady (rated) compute the chips run in
    #: eclipse from the battery (0 = compute off in eclipse, the article's sunlit-only premise)
    eclipse_compute_fraction: float = 0.0
    # --- issue 14: radiator placement (thermosat.satellite.placement) ------------------------
    #: where the radiator sits: ``beside`` (wings on the long edges, facing each other across
    #: the panel back), ``outboard`` (wings beyond the edges in the panel plane's extension),
    #: ``boom`` (a radiator ``boom_length_m`` behind the panel) or ``panel_back`` (a strip of
    #: the panel itself, the article's concept; no wings)
    placement: str = "beside"
    #: the panel cell region's back covered by MLI (low-ε face, placement.MLI_BACK)
    panel_back_mli: bool = False
    #: boom length (m) from the panel back to the boom radiator's top edge (``boom`` only)
    boom_length_m: float = 10.0

    def __post_init__(self):
        for name in ("cell_area_m2", "panel_width_m", "wing_width_m", "element_size_m"):
            if not getattr(self, name) > 0:
                raise InputError(f"satellite {name}: {getattr(self, name)} must be > 0")
        for name in ("wing_area_m2", "panel_radiator_area_m2"):
            if getattr(self, name) < 0:
                raise InputError(f"satellite {name}: {getattr(self, name)} must be ≥ 0")
        if self.wing_area_m2 == 0 and self.panel_radiator_area_m2 == 0:
            raise InputError("satellite: needs radiator area (wing_area_m2 or "
                             "panel_radiator_area_m2 > 0)")
        if not 0 <= self.distribution_loss_fraction < 1:
            raise InputError(f"satellite distribution_loss_fraction: "
                             f"{self.distribution_loss_fraction} is outside [0, 1)")
        if self.n_packages < 1:
            raise InputError(f"satellite n_packages: {self.n_packages} must be ≥ 1")
        if not isinstance(self.surface_exchange, (bool, np.bool_)):  # surface exchange
            raise InputError(f"satellite surface_exchange: {self.surface_exchange!r} must be "
                             "true or false")
        if self.wing_areal_mass_kg_m2 is not None and not self.wing_areal_mass_kg_m2 > 0:
            raise InputError(f"satellite wing_areal_mass_kg_m2: {self.wing_areal_mass_kg_m2} "
                             "must be > 0 kg/m² (or None)")
        fe = self.fin_elements_per_pitch
        if fe is not None and (int(fe) != fe or fe < 2 or fe % 2):
            raise InputError(f"satellite fin_elements_per_pitch: {fe} must be an even integer "
                             "≥ 2 (or None)")
        if not (int(self.coldplate_fluid_nodes) == self.coldplate_fluid_nodes
                and 1 <= self.coldplate_fluid_nodes <= 50):
            raise InputError(f"satellite coldplate_fluid_nodes: {self.coldplate_fluid_nodes} "
                             "must be an integer in [1, 50]")
        if not isinstance(self.environment_blockage, (bool, np.bool_)):
            raise InputError(f"satellite environment_blockage: {self.environment_blockage!r} "
                             "must be true or false")
        from thermosat.physics.albedo import check_albedo_model

        self.albedo_model = check_albedo_model(self.albedo_model)
        if not 0.0 <= self.eclipse_compute_fraction <= 1.0:
            raise InputError(f"satellite eclipse_compute_fraction: "
                             f"{self.eclipse_compute_fraction} is outside [0, 1]")
        from thermosat.satellite.placement import check_placement

        check_placement(self.placement, self.boom_length_m)
        if not isinstance(self.panel_back_mli, (bool, np.bool_)):
            raise InputError(f"satellite panel_back_mli: {self.panel_back_mli!r} must be true "
                             "or false")
        if self.placement == "panel_back" and self.wing_area_m2 > 0:
            raise InputError("satellite placement 'panel_back': the radiator is the panel "
                             f"strip; wing_area_m2 must be 0 (got {self.wing_area_m2})")
        if self.package is None:
            from thermosat.physics.package_presets import preset

            self.package = preset("gb300")

    @property
    def radiator_area_m2(self) -> float:
        """Loop-cooled radiator area (m²): wings plus the panel's radiator strip (one side)."""
        return self.wing_area_m2 + self.panel_radiator_area_m2

    @property
    def exchange_enabled(self) -> bool:
        """Whether the wing–panel–bus radiative exchange is modelled (needs wings)."""
        return bool(self.surface_exchange) and self.wing_area_m2 > 0

    @property
    def cell_limit_k(self) -> float:
        return self.cell_max_k if self.cell_max_k is not None else self.cell.t_max_k

    def with_areas(self, **areas) -> "SatelliteDesign":
        return replace(self, **areas)


def limit_checks(limits: dict) -> dict[str, bool]:
    """Each limit of a result's ``limits`` dict → whether it holds (a NaN margin fails):
    ``chip_power`` (a chip above its rated power), ``junction``, ``cells``,
    ``coolant_freeze``, ``coolant_boil`` (closer than the required margin),
    ``energy_balance`` (relative imbalance above its tolerance) and ``power_budget`` (the
    pump and heaters alone need more than the bus gives: ``power_shortfall_w`` > 0)."""
    need = limits["required_coolant_margin_k"]
    ok = {"chip_power": limits.get("chip_power_margin_w", 0.0) >= 0.0,
          "junction": limits["junction_margin_k"] >= 0.0,
          "cells": limits["cell_margin_k"] >= 0.0,
          "coolant_freeze": limits["freeze_margin_k"] >= need,
          "coolant_boil": limits["boil_margin_k"] >= need,
          "energy_balance": limits.get("energy_imbalance_rel", 0.0)
          <= limits.get("energy_tolerance_rel", ENERGY_TOL_REL),
          "power_budget": limits.get("power_shortfall_w", 0.0) <= 0.0}
    return ok


def limit_violations(limits: dict) -> list[str]:
    """Names of the limits that :func:`limit_checks` finds failing."""
    return [k for k, v in limit_checks(limits).items() if not v]


def chip_limits(design: SatelliteDesign, compute_w: float) -> dict:
    """Per-chip power (W) at ``compute_w`` of compute shared by the packages, the package's
    rated power (W, NaN = no rating) and the margin rating − power (W; +inf without a
    rating, so that an unrated part never fails the ``chip_power`` limit)."""
    per = float(compute_w) / design.n_packages
    rated = design.package.rated_power_w
    return {"chip_power_w": per,
            "chip_rated_power_w": float(rated) if rated is not None else float("nan"),
            "chip_power_margin_w": float(rated) - per if rated is not None else float("inf")}
