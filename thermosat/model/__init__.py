"""The FE problem API: a :class:`Model` is a mesh plus named terms, solved steady or in time.

Imports mesh, fem, terms and solve; never physics, satellite, case or studies.
"""
from thermosat.model.model import Model

__all__ = ["Model"]
