"""Case files: the TOML schema, loading and validation, and the per-tier defaults.

Turns a file into a :class:`~thermosat.satellite.design.SatelliteDesign`; imports satellite
and physics, never studies, post or commands.
"""
