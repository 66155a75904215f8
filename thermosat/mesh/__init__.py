"""Meshes: the data structure, generators, meshio I/O with named regions, and checks."""
from thermosat.mesh.core import CELL_DIM, CELL_NODES, FACET_TYPE, Boundary, Mesh

__all__ = ["Mesh", "Boundary", "CELL_DIM", "CELL_NODES", "FACET_TYPE"]
