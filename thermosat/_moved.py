"""Old import paths of modules that moved in the 0.2 layout, kept working.

``import thermosat.sizing`` (0.1) gives :mod:`thermosat.studies.sizing` with a
``DeprecationWarning``; the module object is the same, so state is shared. New code imports
the new paths (``docs/architecture.md``).
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

#: 0.1 module path -> 0.2 module path
MOVED = {
    "thermosat.errors": "thermosat.common.errors",
    "thermosat.physics.constants": "thermosat.common.constants",
    "thermosat.io_atomic": "thermosat.common.atomic",
    "thermosat.results": "thermosat.solve.records",
    "thermosat.system": "thermosat.solve.system",
    "thermosat.cases": "thermosat.case.load",
    "thermosat.case_schema": "thermosat.case.schema",
    "thermosat.defaults": "thermosat.case.defaults",
    "thermosat.physics.satellite": "thermosat.satellite.satellite",
    "thermosat.physics.geometry": "thermosat.satellite.geometry",
    "thermosat.post.result": "thermosat.solve.result",
    "thermosat.post.vtk": "thermosat.mesh.vtk",
    "thermosat.sizing": "thermosat.studies.sizing",
    "thermosat.tier_job": "thermosat.studies.tier_job",
    "thermosat.claims": "thermosat.studies.claims",
    "thermosat.sweep": "thermosat.studies.sweep",
    "thermosat.sweep_eval": "thermosat.studies.sweep.evaluate",
    "thermosat.sweep_store": "thermosat.studies.sweep.store",
    "thermosat.bench": "thermosat.verification.bench",
    "thermosat.validate": "thermosat.verification.runner",
    "thermosat.validation_case": "thermosat.verification.case",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old path and loads it as the module at its new path."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        new = MOVED[spec.name]
        warnings.warn(f"{spec.name} moved to {new}", DeprecationWarning, stacklevel=3)
        return importlib.import_module(new)

    def exec_module(self, module):
        """Nothing to run: the module at the new path is already imported (the import
        machinery keeps its ``__name__`` and ``__spec__`` and registers it under the old
        name too)."""


def install() -> None:
    """Put the alias finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())
