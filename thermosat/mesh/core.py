"""The :class:`Mesh` data structure: points, one block of cells, named regions and boundaries.

A mesh carries exactly one cell type for its domain (``line2``, ``line3``, ``tri3``, ``tri6``,
``quad4``, ``quad8``, ``tet4``, ``tet10``, ``hex8``, ``hex20``). Points are always stored in 3D (m), so 1D and 2D meshes can be
placed anywhere in space (shells, pipes). Named cell regions select subsets of cells (materials);
named boundaries are facet sets (for conditions). A boundary's facets may be lower-dimensional
(edges of a tri mesh, faces of a hex mesh, end points of a bar) or, for shells, the cells
themselves (type equal to the domain type).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from thermosat.common.errors import MeshError
from thermosat.mesh.duplicates import check_duplicates

__all__ = ["Mesh", "Boundary", "CELL_DIM", "CELL_NODES", "FACET_TYPE"]

#: topological dimension of each cell type
CELL_DIM = {"vertex": 0, "line2": 1, "line3": 1, "tri3": 2, "tri6": 2, "quad4": 2, "tet4": 3,
            "hex8": 3, "quad8": 2, "tet10": 3, "hex20": 3}
#: number of nodes of each cell type
CELL_NODES = {"vertex": 1, "line2": 2, "line3": 3, "tri3": 3, "tri6": 6, "quad4": 4, "tet4": 4,
              "hex8": 8, "quad8": 8, "tet10": 10, "hex20": 20}
#: facet type of each cell type
FACET_TYPE = {"line2": "vertex", "line3": "vertex", "tri3": "line2", "tri6": "line3",
              "quad4": "line2", "tet4": "tri3", "hex8": "quad4", "quad8": "line3",
              "tet10": "tri6", "hex20": "quad8"}


@dataclass(frozen=True)
class Boundary:
    """A named set of facets.

    Attributes
    ----------
    facets : (nf, nfn) int32 array of node indices
    facet_type : one of the keys of :data:`CELL_NODES`
    """

    facets: np.ndarray
    facet_type: str

    def __post_init__(self):
        object.__setattr__(self, "facets", np.ascontiguousarray(self.facets, dtype=np.int32))
        if self.facets.ndim != 2 or self.facets.shape[1] != CELL_NODES[self.facet_type]:
            raise MeshError(
                f"boundary facets: shape {self.facets.shape} does not match type "
                f"{self.facet_type!r} ({CELL_NODES[self.facet_type]} nodes per facet)")

    @property
    def nodes(self) -> np.ndarray:
        """Sorted unique node indices of the boundary."""
        return np.unique(self.facets)


@dataclass(frozen=True)
class Mesh:
    """An immutable finite-element mesh.

    Attributes
    ----------
    points : (n, 3) float64, coordinates in m
    cells : (ne, nen) int32, node indices of each cell
    cell_type : str, one of ``line2 line3 tri3 tri6 quad4 tet4 hex8``
    cell_regions : name -> int32 array of cell indices (materials, cell sets, physical groups)
    boundaries : name -> :class:`Boundary`

    A region may not list a cell twice, nor a boundary a facet twice (:class:`MeshError`).
    """

    points: np.ndarray
    cells: np.ndarray
    cell_type: str
    cell_regions: dict[str, np.ndarray] = field(default_factory=dict)
    boundaries: dict[str, Boundary] = field(default_factory=dict)

    def __post_init__(self):
        pts = np.asarray(self.points, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] not in (1, 2, 3):
            raise MeshError(f"points: expected an (n, 3) array, got shape {pts.shape}")
        if pts.shape[1] < 3:
            pts = np.hstack([pts, np.zeros((pts.shape[0], 3 - pts.shape[1]))])
        object.__setattr__(self, "points", np.ascontiguousarray(pts))
        if self.cell_type not in CELL_NODES or self.cell_type == "vertex":
            raise MeshError(f"cell_type: {self.cell_type!r} is not one of "
                            f"{sorted(k for k in CELL_NODES if k != 'vertex')}")
        cells = np.ascontiguousarray(self.cells, dtype=np.int32)
        if cells.ndim != 2 or cells.shape[1] != CELL_NODES[self.cell_type]:
            raise MeshError(f"cells: shape {cells.shape} does not match {self.cell_type!r}")
        object.__setattr__(self, "cells", cells)
        regions = {str(k): np.ascontiguousarray(v, dtype=np.int32)
                   for k, v in dict(self.cell_regions).items()}
        object.__setattr__(self, "cell_regions", regions)
        object.__setattr__(self, "boundaries", dict(self.boundaries))
        # a cell listed twice in a region, or a facet twice in a boundary, would be counted
        # twice by every model term: refuse it here so no Model can see such a mesh
        check_duplicates(self, source=None)

    @property
    def dim(self) -> int:
        """Topological dimension of the cells (1, 2 or 3)."""
        return CELL_DIM[self.cell_type]

    @property
    def n_points(self) -> int:
        return self.points.shape[0]

    @property
    def n_cells(self) -> int:
        return self.cells.shape[0]

    def region(self, name: str) -> np.ndarray:
        """Cell indices of region ``name``; raises :class:`MeshError` naming the known regions."""
        if name not in self.cell_regions:
            raise MeshError(f"region {name!r} does not exist; known regions: "
                            f"{sorted(self.cell_regions) or 'none'}")
        return self.cell_regions[name]

    def boundary(self, name: str) -> Boundary:
        """Boundary ``name``; raises :class:`MeshError` naming the known boundaries."""
        if name not in self.boundaries:
            raise MeshError(f"boundary {name!r} does not exist; known boundaries: "
                            f"{sorted(self.boundaries) or 'none'}")
        return self.boundaries[name]

    def with_regions(self, cell_regions=None, boundaries=None) -> "Mesh":
        """A copy with regions and/or boundaries added (existing names are replaced)."""
        cr = dict(self.cell_regions)
        cr.update(cell_regions or {})
        bd = dict(self.boundaries)
        bd.update(boundaries or {})
        return Mesh(self.points, self.cells, self.cell_type, cr, bd)

    def translated(self, offset) -> "Mesh":
        """A copy moved by ``offset`` (m)."""
        return Mesh(self.points + np.asarray(offset, float), self.cells, self.cell_type,
                    self.cell_regions, self.boundaries)
