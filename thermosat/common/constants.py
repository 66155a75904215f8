"""Physical and environmental constants used across thermosat (SI units).

Sources
-------
SIGMA        CODATA 2018 Stefan–Boltzmann constant (exact since the 2019 SI redefinition).
SOLAR_CONSTANT  Total solar irradiance at 1 AU, 1361 W/m² (Kopp & Lean 2011, GRL 38 L01706);
             varies about ±3.4 % over the year with the Earth–Sun distance.
EARTH_RADIUS_M  WGS-84 equatorial radius, 6378.137 km (used as a spherical Earth).
MU_EARTH     WGS-84 / EGM96 geocentric gravitational constant, 3.986004418e14 m³/s².
ALBEDO       Mean Earth Bond albedo, 0.30 (e.g. Gilmore, *Spacecraft Thermal Control
             Handbook* vol. 1, 2nd ed., 2002, ch. 2).
EARTH_IR     Mean outgoing long-wave radiation, 237 W/m² (same source; 237–238 W/m²).
T_SINK_DEFAULT  Default radiative sink temperature, 3 K (deep space, rounded up from the CMB).
T_CMB        Cosmic microwave background temperature 2.7255 K (Fixsen 2009, ApJ 707, 916).
ZERO_CELSIUS 273.15 K.
"""
from __future__ import annotations

__all__ = [
    "ALBEDO",
    "EARTH_IR",
    "EARTH_RADIUS_M",
    "MU_EARTH",
    "SIGMA",
    "SOLAR_CONSTANT",
    "T_CMB",
    "T_SINK_DEFAULT",
    "ZERO_CELSIUS",
]

SIGMA: float = 5.670374419e-8
"""Stefan–Boltzmann constant [W/(m² K⁴)], CODATA."""

SOLAR_CONSTANT: float = 1361.0
"""Solar irradiance at 1 AU [W/m²]."""

EARTH_RADIUS_M: float = 6378.137e3
"""Earth radius (WGS-84 equatorial, spherical Earth model) [m]."""

MU_EARTH: float = 3.986004418e14
"""Earth gravitational parameter GM [m³/s²]."""

ALBEDO: float = 0.30
"""Mean Earth albedo [-]."""

EARTH_IR: float = 237.0
"""Mean Earth outgoing long-wave (IR) radiation at the top of the atmosphere [W/m²]."""

T_SINK_DEFAULT: float = 3.0
"""Default deep-space sink temperature [K]."""

T_CMB: float = 2.7255
"""Cosmic microwave background temperature [K]."""

ZERO_CELSIUS: float = 273.15
"""0 °C in kelvin [K]."""
