"""VTK output: VTU files with temperature (K and °C), heat flux and region ids; PVD series."""
from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

import meshio
import numpy as np

from thermosat.fem import kernels
from thermosat.fem.elements import element
from thermosat.common.atomic import atomic_path
from thermosat.mesh.core import Mesh
from thermosat.common.constants import ZERO_CELSIUS

__all__ = ["MESHIO_TYPE", "mesh_fields", "to_meshio", "write_vtu", "write_pvd", "to_pyvista"]

MESHIO_TYPE = {"vertex": "vertex", "line2": "line", "line3": "line3", "tri3": "triangle",
               "tri6": "triangle6", "quad4": "quad", "tet4": "tetra", "hex8": "hexahedron",
               "quad8": "quad8", "tet10": "tetra10", "hex20": "hexahedron20"}

_CENTER = {"line": [0.5], "tri": [1 / 3, 1 / 3], "quad": [0.0, 0.0], "tet": [0.25] * 3,
           "hex": [0.0] * 3}


def region_ids(mesh: Mesh) -> np.ndarray:
    """Integer region id per cell (index into sorted region names, −1 for none)."""
    ids = np.full(mesh.n_cells, -1, np.int32)
    names = sorted(mesh.cell_regions)
    for i, name in enumerate(names):
        # the all-cells region of generated meshes must not hide the named sub-regions
        if name == "domain" and len(names) > 1:
            continue
        ids[mesh.cell_regions[name]] = i
    return ids


def mesh_fields(mesh: Mesh, T: np.ndarray, conductivity_per_cell: np.ndarray | None = None):
    """Point and cell fields for ``mesh`` with nodal temperatures ``T`` (K).

    Point data: ``temperature_K``, ``temperature_C``. Cell data: ``temperature_gradient_K_m``
    and, if conductivities (W/m/K) are given, ``heat_flux_W_m2`` = −k ∇T; ``region_id``.

    No array holds NaN: a mesh with a cell of zero size (the coolant loop's zero-length
    junction edges between a header node and a channel's first node, where ∇T is 0/0) gets
    no gradient and no flux array, and a mesh with no conductivity anywhere (a part without
    conduction, such as the coolant, which carries heat by advection) no flux array.
    """
    ref = element(mesh.cell_type)
    dNc = ref.dN(np.array([_CENTER[ref.shape]]))[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        grad = kernels.cell_gradients(mesh.points, mesh.cells.astype(np.int64), dNc,
                                      np.ascontiguousarray(T, float))
    point_data = {"temperature_K": np.asarray(T, float),
                  "temperature_C": np.asarray(T, float) - ZERO_CELSIUS}
    defined = bool(np.isfinite(grad).all())
    cell_data = {"temperature_gradient_K_m": grad} if defined else {}
    cell_data["region_id"] = region_ids(mesh)
    if conductivity_per_cell is not None and defined:
        k = np.asarray(conductivity_per_cell, float)
        if np.any(k != 0.0):
            cell_data["heat_flux_W_m2"] = -grad * k[:, None]
    return point_data, cell_data


def to_meshio(mesh: Mesh, point_data: dict, cell_data: dict) -> meshio.Mesh:
    return meshio.Mesh(mesh.points, [(MESHIO_TYPE[mesh.cell_type], mesh.cells)],
                       point_data=point_data, cell_data={k: [v] for k, v in cell_data.items()})


def write_vtu(path: str | os.PathLike, mesh: Mesh, point_data: dict, cell_data: dict) -> Path:
    """Write one VTU file atomically; returns its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        meshio.write(tmp, to_meshio(mesh, point_data, cell_data), file_format="vtu")
    return path


def write_pvd(path: str | os.PathLike, entries: list[tuple[float, str]]) -> Path:
    """Write a ParaView collection ``.pvd`` listing ``(time_s, relative_vtu_path)``."""
    path = Path(path)
    lines = ['<?xml version="1.0"?>',
             '<VTKFile type="Collection" version="0.1" byte_order="LittleEndian">',
             "  <Collection>"]
    lines += [f'    <DataSet timestep="{t:.9g}" group="" part="0" file={quoteattr(f)}/>'
              for t, f in entries]
    lines += ["  </Collection>", "</VTKFile>", ""]
    with atomic_path(path) as tmp:
        Path(tmp).write_text("\n".join(lines))
    return path


def to_pyvista(mesh: Mesh, point_data: dict | None = None, cell_data: dict | None = None):
    """A :class:`pyvista.UnstructuredGrid` of ``mesh`` with the given fields."""
    import pyvista as pv

    grid = pv.wrap(to_meshio(mesh, point_data or {}, cell_data or {}))
    return grid
