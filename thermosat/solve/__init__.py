"""Solvers: the assembled system, linear solver choice (direct, AMG, GMRES, the package Schur
solver), Newton with line search, steady and implicit time stepping, results and records.
Imports common, mesh, fem and terms."""
