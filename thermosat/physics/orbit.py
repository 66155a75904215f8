"""Circular orbits: tiers, period, beta angle, cylindrical-shadow eclipse.

Geometry and conventions
------------------------
The orbit is circular with radius ``r = R + h`` (spherical Earth, radius
:data:`~thermosat.common.constants.EARTH_RADIUS_M`). Vectors are expressed in the
*orbit frame*, which is held inertial over one revolution (the Sun moves ~1°/day, so it is
neglected within an orbit):

* ``z`` — orbit normal (angular momentum direction);
* ``x`` — projection of the Sun direction onto the orbit plane ("noon" direction);
* ``y = z × x`` — completes the right-handed triad; the satellite moves from +x to +y.

The **beta angle** β is the angle between the Sun vector and the orbit plane, so the unit
Sun vector is ``s = (cos β, 0, sin β)``. The **orbit angle** θ is measured in the orbit
plane from the noon point (θ = 0: satellite closest to the subsolar direction, θ = π:
midnight) in the direction of motion; the satellite position is
``r (cos θ, sin θ, 0)`` and time is ``t = θ / n`` with ``t = 0`` at noon.

The Earth's shadow is a **cylinder** of radius R behind the Earth (no penumbra, no
atmospheric refraction): the satellite is eclipsed when ``r·s < 0`` and the distance from
the position to the Sun line is below R. This gives the closed-form eclipse half-angle
(measured from midnight) ``cos φ = √(h² + 2Rh) / ((R + h) cos β)`` and the eclipse
fraction ``f = φ / π`` for ``|β| < β* = asin(R / (R + h))``, ``f = 0`` otherwise.
References: Gilmore (ed.), *Spacecraft Thermal Control Handbook* vol. 1, 2nd ed. (2002),
ch. 2, eq. for orbit eclipse fraction; Wertz & Larson, *Space Mission Analysis and Design*,
3rd ed. (1999), §5.1.

Angles are radians internally; the convenience constructors take degrees.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermosat.common.errors import InputError
from thermosat.common.constants import EARTH_RADIUS_M, MU_EARTH

__all__ = [
    "TIERS",
    "Orbit",
    "critical_beta",
    "eclipse_fraction",
    "eclipse_half_angle",
    "nadir_vector",
    "orbital_period",
    "position_unit_vector",
    "shadow_test",
    "sun_vector",
]

TIERS: dict[str, float] = {
    "vleo": 500e3,
    "leo": 1000e3,
    "meo": 2000e3,
}
"""Tier presets: name → altitude above the spherical Earth [m] (source article tiers)."""


# ---------------------------------------------------------------------------------------
# Free functions (vectorised over altitude and beta)
# ---------------------------------------------------------------------------------------
def orbital_period(altitude_m: ArrayLike, *, radius_m: float = EARTH_RADIUS_M,
                   mu: float = MU_EARTH) -> NDArray[np.float64] | float:
    """Kepler period of a circular orbit, ``T = 2π √(a³/μ)`` with ``a = R + h`` [s]."""
    a = radius_m + np.asarray(altitude_m, dtype=float)
    out = 2.0 * np.pi * np.sqrt(a**3 / mu)
    return float(out) if out.ndim == 0 else out


def critical_beta(altitude_m: ArrayLike, *, radius_m: float = EARTH_RADIUS_M
                  ) -> NDArray[np.float64] | float:
    """Beta angle above which a circular orbit has no eclipse, ``β* = asin(R/(R+h))`` [rad]."""
    h = np.asarray(altitude_m, dtype=float)
    out = np.arcsin(radius_m / (radius_m + h))
    return float(out) if out.ndim == 0 else out


def eclipse_half_angle(altitude_m: ArrayLike, beta_rad: ArrayLike = 0.0, *,
                       radius_m: float = EARTH_RADIUS_M) -> NDArray[np.float64] | float:
    """Half-width φ of the eclipse arc, centred on midnight (θ = π) [rad].

    ``cos φ = √(h² + 2Rh) / ((R + h) cos β)`` for ``|β| < β*``; 0 when there is no eclipse.
    """
    h = np.asarray(altitude_m, dtype=float)
    b = np.asarray(beta_rad, dtype=float)
    cb = np.cos(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = np.sqrt(h * h + 2.0 * radius_m * h) / ((radius_m + h) * cb)
    out = np.where(arg < 1.0, np.arccos(np.clip(arg, -1.0, 1.0)), 0.0)
    return float(out) if out.ndim == 0 else out


def eclipse_fraction(altitude_m: ArrayLike, beta_rad: ArrayLike = 0.0, *,
                     radius_m: float = EARTH_RADIUS_M) -> NDArray[np.float64] | float:
    """Fraction of a circular orbit spent in the cylindrical Earth shadow [-].

    ``f = (1/π) acos(√(h² + 2Rh) / ((R + h) cos β))`` for ``|β| < β*``, else 0
    (VALIDATION case 10; Gilmore 2002, ch. 2).
    """
    out = np.asarray(eclipse_half_angle(altitude_m, beta_rad, radius_m=radius_m)) / np.pi
    return float(out) if out.ndim == 0 else out


def sun_vector(beta_rad: float) -> NDArray[np.float64]:
    """Unit Sun vector in the orbit frame, ``(cos β, 0, sin β)``."""
    return np.array([math.cos(beta_rad), 0.0, math.sin(beta_rad)])


def position_unit_vector(theta: ArrayLike) -> NDArray[np.float64]:
    """Unit position vectors ``(cos θ, sin θ, 0)``, shape ``(..., 3)``."""
    th = np.asarray(theta, dtype=float)
    return np.stack([np.cos(th), np.sin(th), np.zeros_like(th)], axis=-1)


def nadir_vector(theta: ArrayLike) -> NDArray[np.float64]:
    """Unit nadir vectors (toward the Earth centre), ``-(cos θ, sin θ, 0)``, shape ``(..., 3)``."""
    return -position_unit_vector(theta)


def shadow_test(position_m: ArrayLike, sun_unit: ArrayLike, *,
                radius_m: float = EARTH_RADIUS_M) -> NDArray[np.bool_]:
    """Cylindrical shadow test on position vectors (geometric, no closed form).

    A point at ``p`` (metres, Earth-centred, shape ``(..., 3)``) is in shadow when it is
    on the night side (``p·s < 0``) and its distance to the Earth–Sun line,
    ``|p − (p·s) s|``, is less than R.
    """
    p = np.asarray(position_m, dtype=float)
    s = np.asarray(sun_unit, dtype=float)
    s = s / np.linalg.norm(s)
    along = p @ s
    perp = p - along[..., None] * s
    return (along < 0.0) & (np.einsum("...i,...i->...", perp, perp) < radius_m * radius_m)


# ---------------------------------------------------------------------------------------
# Orbit record
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Orbit:
    """A circular orbit about a spherical Earth.

    Parameters
    ----------
    altitude_m : altitude above the sphere of radius ``radius_m`` [m], > 0.
    beta_rad : beta angle (Sun vector to orbit plane) [rad], ``|β| ≤ π/2``.
    name : optional label (the tier name when built with :meth:`from_tier`).
    radius_m : Earth radius [m].
    mu : gravitational parameter [m³/s²].
    """

    altitude_m: float
    beta_rad: float = 0.0
    name: str = ""
    radius_m: float = EARTH_RADIUS_M
    mu: float = MU_EARTH

    def __post_init__(self) -> None:
        h = _finite(self.altitude_m, "orbit altitude_m")
        if h <= 0.0:
            raise InputError(f"orbit altitude_m must be > 0 m, got {h!r}")
        b = _finite(self.beta_rad, "orbit beta_rad")
        if abs(b) > math.pi / 2 + 1e-12:
            raise InputError(
                f"orbit beta must be within [-90, 90] degrees, got {math.degrees(b):g} deg")
        if _finite(self.radius_m, "orbit radius_m") <= 0.0:
            raise InputError(f"orbit radius_m must be > 0 m, got {self.radius_m!r}")
        if _finite(self.mu, "orbit mu") <= 0.0:
            raise InputError(f"orbit mu must be > 0 m^3/s^2, got {self.mu!r}")
        object.__setattr__(self, "altitude_m", h)
        object.__setattr__(self, "beta_rad", max(-math.pi / 2, min(math.pi / 2, b)))
        object.__setattr__(self, "radius_m", float(self.radius_m))
        object.__setattr__(self, "mu", float(self.mu))

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def from_tier(cls, name: str, beta_deg: float = 0.0) -> Orbit:
        """Orbit of a preset tier (``"vleo"`` 500 km, ``"leo"`` 1000 km, ``"meo"`` 2000 km).

        ``beta_deg`` is the beta angle in degrees. Unknown names raise
        :class:`~thermosat.common.errors.InputError` listing the allowed values.
        """
        key = str(name).strip().lower()
        if key not in TIERS:
            allowed = ", ".join(f"{k!r}" for k in TIERS)
            raise InputError(f"unknown orbit tier {name!r}; allowed values: {allowed}")
        return cls(TIERS[key], math.radians(_finite(beta_deg, "beta_deg")), name=key)

    @classmethod
    def from_km(cls, altitude_km: float, beta_deg: float = 0.0, name: str = "") -> Orbit:
        """Orbit from altitude in km and beta angle in degrees."""
        return cls(_finite(altitude_km, "altitude_km") * 1e3,
                   math.radians(_finite(beta_deg, "beta_deg")), name=name)

    # -- scalar properties --------------------------------------------------------------
    @property
    def beta_deg(self) -> float:
        """Beta angle [deg]."""
        return math.degrees(self.beta_rad)

    @property
    def semi_major_axis_m(self) -> float:
        """Orbit radius ``R + h`` [m]."""
        return self.radius_m + self.altitude_m

    @property
    def H(self) -> float:
        """Dimensionless orbit radius ``(R + h)/R`` [-]."""
        return self.semi_major_axis_m / self.radius_m

    @property
    def period_s(self) -> float:
        """Orbit period [s]."""
        return float(orbital_period(self.altitude_m, radius_m=self.radius_m, mu=self.mu))

    @property
    def mean_motion(self) -> float:
        """Angular rate ``n = 2π/T`` [rad/s]."""
        return 2.0 * math.pi / self.period_s

    @property
    def speed_m_s(self) -> float:
        """Orbital speed ``√(μ/a)`` [m/s]."""
        return math.sqrt(self.mu / self.semi_major_axis_m)

    @property
    def beta_star_rad(self) -> float:
        """Critical beta angle above which there is no eclipse [rad]."""
        return float(critical_beta(self.altitude_m, radius_m=self.radius_m))

    @property
    def eclipse_fraction(self) -> float:
        """Fraction of the orbit in the cylindrical shadow (closed form) [-]."""
        return float(eclipse_fraction(self.altitude_m, self.beta_rad, radius_m=self.radius_m))

    @property
    def eclipse_duration_s(self) -> float:
        """Time in eclipse per orbit [s]."""
        return self.eclipse_fraction * self.period_s

    @property
    def has_eclipse(self) -> bool:
        """True when part of the orbit is in shadow (``|β| < β*``)."""
        return self.eclipse_fraction > 0.0

    def eclipse_angles(self) -> tuple[float, float] | None:
        """Orbit angles (entry, exit) of the eclipse [rad], ``π − φ`` and ``π + φ``; None if none."""
        phi = float(eclipse_half_angle(self.altitude_m, self.beta_rad, radius_m=self.radius_m))
        if phi <= 0.0:
            return None
        return math.pi - phi, math.pi + phi

    def eclipse_times(self) -> tuple[float, float] | None:
        """Times (entry, exit) of the eclipse after noon [s]; None if no eclipse."""
        ang = self.eclipse_angles()
        if ang is None:
            return None
        n = self.mean_motion
        return ang[0] / n, ang[1] / n

    # -- vectorised geometry ------------------------------------------------------------
    def theta_at(self, t_s: ArrayLike) -> NDArray[np.float64]:
        """Orbit angle from noon at time ``t_s`` after noon [rad], wrapped to [0, 2π)."""
        return np.mod(np.asarray(t_s, dtype=float) * self.mean_motion, 2.0 * np.pi)

    def sun_vector(self) -> NDArray[np.float64]:
        """Unit Sun vector in the orbit frame."""
        return sun_vector(self.beta_rad)

    def position(self, theta: ArrayLike) -> NDArray[np.float64]:
        """Satellite position in the orbit frame [m], shape ``(..., 3)``."""
        return self.semi_major_axis_m * position_unit_vector(theta)

    def nadir(self, theta: ArrayLike) -> NDArray[np.float64]:
        """Unit nadir vectors, shape ``(..., 3)``."""
        return nadir_vector(theta)

    def cos_sun_zenith(self, theta: ArrayLike) -> NDArray[np.float64]:
        """Cosine of the Sun angle at the sub-satellite point, ``r̂·s = cos θ cos β``."""
        return np.cos(np.asarray(theta, dtype=float)) * math.cos(self.beta_rad)

    def in_eclipse(self, theta: ArrayLike) -> NDArray[np.bool_]:
        """True where the satellite at orbit angle θ is inside the cylindrical shadow.

        Evaluated geometrically from the position and Sun vectors (:func:`shadow_test`),
        independent of the closed-form eclipse fraction.
        """
        return shadow_test(self.position(theta), self.sun_vector(), radius_m=self.radius_m)

    def __str__(self) -> str:
        label = f"{self.name} " if self.name else ""
        return f"{label}orbit h={self.altitude_m / 1e3:g} km beta={self.beta_deg:g} deg"


def _finite(x: float, what: str) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number, got {x!r}") from None
    if not math.isfinite(v):
        raise InputError(f"{what} must be finite, got {x!r}")
    return v
