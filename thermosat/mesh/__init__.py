"""Meshes: the data structure, generators, meshio I/O with named regions, checks and VTK
conversion. Imports common and fem only."""
from thermosat.mesh.checks import cell_measures, check_mesh, check_names, facet_measures, measures
from thermosat.mesh.core import CELL_DIM, CELL_NODES, FACET_TYPE, Boundary, Mesh
from thermosat.mesh.extrude import extrude
from thermosat.mesh.generators import box, interval, polyline, quadratic, rectangle, shell
from thermosat.mesh.io import read_mesh, write_mesh

__all__ = [
                                   "CELL_DIM",
                                   "CELL_NODES",
                                   "FACET_TYPE",
                                   "Boundary",
                                   "Mesh",
                                   "box",
                                   "cell_measures",
                                   "check_mesh",
                                   "check_names",
                                   "extrude",
                                   "facet_measures",
                                   "interval",
                                   "measures",
                                   "polyline",
                                   "quadratic",
                                   "read_mesh",
                                   "rectangle",
                                   "shell",
                                   "write_mesh",
]
