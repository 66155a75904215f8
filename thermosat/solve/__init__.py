"""Solvers: linear solver choice, Newton with line search, implicit time stepping."""
