"""One satellite: its design, its geometry, the coupled model built from the physics
components, the steady solve with the power loop closed, the orbit transient and the results.

Imports physics, model, terms, mesh and solve; never case, studies, post or commands.
"""
from thermosat.satellite.design import SatelliteDesign
from thermosat.satellite.result import OrbitResult, SatelliteResult
from thermosat.satellite.satellite import Satellite

__all__ = ["Satellite", "SatelliteDesign", "SatelliteResult", "OrbitResult"]
