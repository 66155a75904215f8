"""thermosat: thermal/power finite-element toolkit for orbital data-centre satellites.

SI units throughout, temperatures in kelvin (°C shown alongside in outputs). The layout
(``docs/architecture.md``): :mod:`~thermosat.case` → :mod:`~thermosat.satellite` →
:mod:`~thermosat.physics` / :mod:`~thermosat.terms` / :mod:`~thermosat.radiation` →
:mod:`~thermosat.model` → :mod:`~thermosat.fem` / :mod:`~thermosat.mesh` /
:mod:`~thermosat.solve`, with :mod:`~thermosat.studies`, :mod:`~thermosat.post` and
:mod:`~thermosat.verification` on top and :mod:`~thermosat.commands` thinnest of all.
"""
from __future__ import annotations

from thermosat import _moved, mesh
from thermosat.common.errors import (CaseError, ConvergenceError, InputError, MeshError,
                                     PhysicsLimitError, SolverError, ThermosatError)
from thermosat.model import Model

_moved.install()

__version__ = "0.1.0"
__all__ = ["Model", "mesh", "ThermosatError", "InputError", "MeshError", "CaseError",
           "SolverError", "ConvergenceError", "PhysicsLimitError", "__version__"]
