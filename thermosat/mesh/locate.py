"""Locate points in a mesh: containing cell and shape-function weights (VTK cell locator)."""
from __future__ import annotations

import numpy as np

from thermosat.common.errors import MeshError
from thermosat.mesh.core import Mesh

__all__ = ["locate_points"]


def locate_points(mesh: Mesh, points: np.ndarray, *, tol: float | None = None,
                  what: str = "point") -> tuple[np.ndarray, np.ndarray]:
    """Cell index ``(n,)`` and interpolation weights ``(n, nodes_per_cell)`` of each point (m).

    Weights are the cell's shape functions at the point (VTK and thermosat share node
    orderings). Raises :class:`MeshError` naming the first point that lies outside the mesh.
    """
    import vtk

    from thermosat.mesh.vtk import to_pyvista

    pts = np.atleast_2d(np.asarray(points, float))
    grid = to_pyvista(mesh)
    loc = vtk.vtkCellLocator()
    loc.SetDataSet(grid)
    loc.BuildLocator()
    size = float(np.linalg.norm(np.ptp(mesh.points, axis=0))) or 1.0
    tol2 = (tol if tol is not None else 1e-9 * size) ** 2
    nn = mesh.cells.shape[1]
    cell_ids = np.empty(len(pts), np.int64)
    weights = np.empty((len(pts), nn))
    gcell = vtk.vtkGenericCell()
    pcoords = [0.0, 0.0, 0.0]
    w = [0.0] * max(nn, 8)
    for i, p in enumerate(pts):  # setup-time only, once per coupling
        cid = loc.FindCell(p.tolist(), tol2, gcell, pcoords, w)
        if cid < 0:
            raise MeshError(f"{what} {i} at {np.round(p, 6).tolist()} m lies outside the mesh")
        cell_ids[i] = cid
        weights[i] = w[:nn]
    return cell_ids, weights
