"""The dual-face panel: a layered shell whose front makes power and whose faces radiate.

Each layer of the stack (front → back) is a copy of the panel's 2D mesh with in-plane
conduction k·t; neighbouring layers are linked through the thickness by the conductance
per area of the two half-layers in series, 1/(t₁/2k₁ + t₂/2k₂) (W/m²/K). Front and back
temperatures therefore both exist. The front layer emits and absorbs the front face's
environment, the back layer the back face's; in cell-covered regions the sunlight is absorbed
in the cell layer, where the photovoltaic term takes the electricity out as power.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from thermosat.common.errors import InputError
from thermosat.mesh.core import Boundary, Mesh
from thermosat.physics.presets import (DEFAULT_CELL_STACK, CellTechnology, Coating, Layer,
                                       cell_technology, coating)
from thermosat.physics.pv import Photovoltaic
from thermosat.terms.links import surface_link

__all__ = ["PanelSpec", "Panel", "build_panel", "FluxProvider"]


@dataclass
class PanelSpec:
    """A panel: 2D mesh in 3D space with regions ``cells`` and/or ``radiator``.

    layers : stack from front (sun side) to back
    cell : cell technology (cells region)
    packing : active-cell fraction of the cells region
    front, back : region name → coating; the cells region's front defaults to the cell's α/ε
    cell_layer : layer that absorbs sunlight and converts it in the cells region
    """

    mesh: Mesh
    layers: tuple[Layer, ...] = DEFAULT_CELL_STACK
    cell: CellTechnology = field(default_factory=lambda: cell_technology("hjt"))
    packing: float = 0.90
    front: dict[str, Coating] = field(default_factory=lambda: {"radiator": coating("osr")})
    back: dict[str, Coating] = field(default_factory=lambda: {"cells": coating("z93"),
                                                               "radiator": coating("z93")})
    cell_layer: str = "cells"

    def __post_init__(self):
        if self.mesh.dim != 2:
            raise InputError(f"panel mesh: needs 2D cells (a shell), got {self.mesh.cell_type}")
        if not 0.0 < self.packing <= 1.0:
            raise InputError(f"panel packing: {self.packing} is outside (0, 1]")
        if not self.layers:
            raise InputError("panel layers: at least one layer is needed")
        names = [layer.name for layer in self.layers]
        if len(set(names)) != len(names):
            raise InputError(f"panel layers: names must be distinct, got {names}")
        regions = set(self.mesh.cell_regions) & {"cells", "radiator"}
        if not regions:
            raise InputError("panel mesh: needs a cell region named 'cells' or 'radiator'; has "
                             f"{sorted(self.mesh.cell_regions) or 'none'}")
        if "cells" in regions and self.cell_layer not in names:
            raise InputError(f"panel cell_layer {self.cell_layer!r} is not one of the layers "
                             f"{names}")

    @property
    def regions(self) -> list[str]:
        return [r for r in ("cells", "radiator") if r in self.mesh.cell_regions]

    def front_coating(self, region: str) -> Coating:
        if region == "cells" and region not in self.front:
            return Coating(f"{self.cell.name}_cells", self.cell.alpha, self.cell.epsilon)
        return self.front.get(region) or coating("osr")

    def back_coating(self, region: str) -> Coating:
        return self.back.get(region) or coating("z93")

    def region_area_m2(self, region: str) -> float:
        from thermosat.mesh.checks import cell_measures

        return float(cell_measures(self.mesh)[self.mesh.cell_regions[region]].sum())


class FluxProvider:
    """Environment fluxes (W/m²) on each face as functions of time (s), cached per time.

    ``environment`` is an :class:`~thermosat.physics.environment.OrbitEnvironment`; a fixed
    ``theta_rad`` makes every time see that orbit position (steady design points).
    """

    def __init__(self, environment, attitude: str, theta_rad: float | None = None):
        from thermosat.physics.environment import OrbitEnvironment

        self.env = OrbitEnvironment(environment.orbit, attitude=attitude,
                                    solar_constant=environment.solar_constant,
                                    albedo=environment.albedo, earth_ir=environment.earth_ir,
                                    albedo_model=environment.albedo_model)
        self.theta = theta_rad
        self.t_offset = 0.0  # s added to every time (orbit transients start mid-orbit)
        self._cache: dict[float, dict] = {}

    def faces(self, t: float) -> dict:
        key = float(t) if self.theta is None else -1.0
        if key not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            if self.theta is None:
                self._cache[key] = self.env.fluxes_at_time(np.array([t + self.t_offset]))
            else:
                self._cache[key] = self.env.fluxes(np.array([self.theta]))
        return self._cache[key]

    def sunlight(self, face: str):
        """Solar + albedo irradiance (W/m²) on ``face`` as a callable of time."""
        return lambda t: float(self.faces(t)[face].solar[0] + self.faces(t)[face].albedo[0])

    def absorbed(self, face: str, alpha: float, epsilon: float, sunlight: bool = True):
        """α·(solar + albedo) + ε·Earth IR (W/m²) on ``face`` as a callable of time."""
        def q(t):
            f = self.faces(t)[face]
            sun = alpha * (f.solar[0] + f.albedo[0]) if sunlight else 0.0
            return float(sun + epsilon * f.earth_ir[0])
        return q


@dataclass
class Panel:
    """Handle on a panel built into a model."""

    name: str
    spec: PanelSpec
    layer_parts: list[str]
    pv: Photovoltaic | None = None

    @property
    def front_part(self) -> str:
        return self.layer_parts[0]

    @property
    def back_part(self) -> str:
        return self.layer_parts[-1]

    def layer_part(self, layer: str) -> str:
        names = [layer.name for layer in self.spec.layers]
        return self.layer_parts[names.index(layer)]

    def region_nodes(self, model, region: str, layer: str | None = None) -> np.ndarray:
        """Global node ids of ``region`` on ``layer`` (default: the cell layer or the back)."""
        part = model.parts[self.layer_part(layer) if layer else self.layer_parts[-1]]
        return np.unique(part.mesh.cells[part.mesh.cell_regions[region]]) + part.offset

    def cell_temperatures(self, model, T: np.ndarray) -> np.ndarray:
        if "cells" not in self.spec.regions:
            return np.zeros(0)
        return T[self.region_nodes(model, "cells", self.spec.cell_layer)]


def _face_boundaries(mesh: Mesh, regions: list[str]) -> Mesh:
    bd = {f"face_{r}": Boundary(mesh.cells[mesh.cell_regions[r]], mesh.cell_type)
          for r in regions}
    return mesh.with_regions(boundaries=bd)


def build_panel(model, name: str, spec: PanelSpec, fluxes: FluxProvider) -> Panel:
    """Add panel ``name`` (one part per layer, ``<name>_<layer>``) to ``model``.

    Front-layer radiation and absorption per region, back-layer likewise, sunlight in the cell
    layer of the cells region with the photovoltaic term, and through-thickness links.
    """
    mesh = _face_boundaries(spec.mesh, spec.regions)
    parts = []
    for layer in spec.layers:
        pname = f"{name}_{layer.name}"
        model.add_part(pname, mesh)
        model.material(f"{pname}/domain", conductivity=layer.conductivity_w_mk,
                       density=layer.density_kg_m3, specific_heat=layer.specific_heat_j_kgk,
                       thickness_m=layer.thickness_m)
        parts.append(pname)
    panel = Panel(name, spec, parts)
    front, back = parts[0], parts[-1]
    for region in spec.regions:
        fc, bc = spec.front_coating(region), spec.back_coating(region)
        is_cells = region == "cells"
        model.radiation(f"{front}/face_{region}", fc.epsilon, name=f"{name}:front_{region}",
                        absorbed_flux_w_m2=fluxes.absorbed("front", fc.alpha, fc.epsilon,
                                                           sunlight=not is_cells))
        model.radiation(f"{back}/face_{region}", bc.epsilon, name=f"{name}:back_{region}",
                        absorbed_flux_w_m2=fluxes.absorbed("back", bc.alpha, bc.epsilon))
        if is_cells:
            cell_part = panel.layer_part(spec.cell_layer)
            sun = fluxes.sunlight("front")
            model.heat_flux(f"{cell_part}/face_cells", lambda t, a=fc.alpha: a * sun(t),
                            name=f"{name}:front_cells:absorbed_sunlight")

            def pv_factory(m, points, cell_part=cell_part):
                cs = m.cells(f"{cell_part}/cells", kind="radiation", points=points,
                             per_area=True)
                panel.pv = Photovoltaic(cs, spec.cell, sun, spec.packing, name=f"{name}:pv")
                return panel.pv
            model.add_term_factory(pv_factory)
    for a, b in zip(spec.layers[:-1], spec.layers[1:]):
        g = 1.0 / (a.thickness_m / (2 * a.conductivity_w_mk)
                   + b.thickness_m / (2 * b.conductivity_w_mk))
        pa, pb = f"{name}_{a.name}", f"{name}_{b.name}"

        def link_factory(m, points, pa=pa, pb=pb, g=g):
            ca = m.cells(f"{pa}/domain", kind="mass", points=points, per_area=True)
            conn_b = m.parts[pb].mesh.cells.astype(np.int64) + m.parts[pb].offset
            return surface_link(ca, conn_b, g, name=f"{name}:{pa}|{pb}")
        model.add_term_factory(link_factory)
    return panel
