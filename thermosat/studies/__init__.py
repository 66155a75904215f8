"""Studies that run the satellite many times: sizing, the per-tier job, claims and sweeps.

Imports case, satellite, physics and post; imported only by commands.
"""
