"""Packages that only the test extra installs, and how their absence is reported.

``pip install .`` (the main job) does not install scikit-fem, pyviewfactor or gmsh; the
validation cases and benchmark rows that need one of them are reported as skipped, with the
command that installs it (:data:`INSTALL_HINT`), instead of failing.
"""
from __future__ import annotations

import importlib

__all__ = ["TEST_ONLY", "INSTALL_HINT", "missing", "missing_from_error", "skip_note"]

#: import name -> distribution name of the packages of the ``test`` extra
TEST_ONLY = {"skfem": "scikit-fem", "pyviewfactor": "pyviewfactor", "gmsh": "gmsh",
             "hypothesis": "hypothesis", "pytest": "pytest"}
INSTALL_HINT = 'pip install "thermosat[test]"'


def missing(module: str) -> bool:
    """Whether ``module`` cannot be imported."""
    try:
        importlib.import_module(module)
    except ImportError:
        return True
    return False


def missing_from_error(err: BaseException) -> str | None:
    """The test-only package an ``ImportError`` is about (its import name), else ``None``."""
    if not isinstance(err, ImportError):
        return None
    name = (getattr(err, "name", None) or "").split(".")[0]
    return name if name in TEST_ONLY else None


def skip_note(module: str) -> str:
    """``skipped: <dist> is not installed (pip install "thermosat[test]")``."""
    return f"skipped: {TEST_ONLY.get(module, module)} is not installed ({INSTALL_HINT})"
