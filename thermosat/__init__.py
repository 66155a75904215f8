"""thermosat: thermal/power finite-element toolkit for orbital data-centre satellites.

SI units throughout, temperatures in kelvin (°C shown alongside in outputs).
"""
from __future__ import annotations

from thermosat import mesh
from thermosat.errors import (CaseError, ConvergenceError, InputError, MeshError,
                              PhysicsLimitError, SolverError, ThermosatError)
from thermosat.model import Model

__version__ = "0.1.0"
__all__ = ["Model", "mesh", "ThermosatError", "InputError", "MeshError", "CaseError",
           "SolverError", "ConvergenceError", "PhysicsLimitError", "__version__"]
