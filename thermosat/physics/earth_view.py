"""View factor from a differential flat plate (one face) to the spherical Earth.

Let ``H = (R + h)/R`` and let λ be the angle between the face's outward normal and the
nadir direction (toward the Earth centre). The Earth subtends a cone of half-angle η with
``sin η = 1/H``. The exact diffuse view factor ``F = (1/π) ∫ max(n·d, 0) dΩ`` over the
directions d that hit the Earth is (Howell, *A Catalog of Radiation Heat Transfer
Configuration Factors*, section B, the "differential planar element of arbitrary tilt to a
sphere" configuration, thermalradiation.net; also Gilmore, *Spacecraft Thermal Control Handbook* vol. 1, 2002, ch. 2):

* full view, ``λ ≤ arccos(1/H)`` (the whole Earth disc is in front of the face)::

      F = cos λ / H²

* partial view, ``arccos(1/H) < λ < π − arccos(1/H)``::

      F = 1/2 − (1/π) asin(√(H²−1) / (H sin λ))
          + (1/(π H²)) [cos λ · acos(−√(H²−1) cot λ) − √(H²−1) √(1 − H² cos² λ)]

* no view, ``λ ≥ π − arccos(1/H)``: F = 0.

At λ = π/2 the partial-view formula reduces to the edge-on form
``F = (1/π)[atan(1/√(H²−1)) − √(H²−1)/H²]`` (VALIDATION case 9). The branches join
continuously at both break points.

Albedo
------
The albedo irradiance is taken with the common engineering approximation

    q_alb = S · a · F · max(cos θ_ss, 0)

where F is the (IR) view factor above and θ_ss is the Sun zenith angle at the sub-satellite
point (``cos θ_ss = r̂·ŝ``). It treats the visible Earth as uniformly lit with the sub-satellite
illumination. Source: Gilmore (2002) ch. 2 ("albedo loads ... ≈ S·a·F_albedo·cos θ");
Karam, *Satellite Thermal Control for Systems Engineers* (AIAA, 1998), ch. 3. It is accurate
near the subsolar point and for nadir-looking faces; it under-estimates the albedo seen near
the terminator (it is zero once the sub-satellite point is in night even though a lit crescent
is still visible) and ignores the non-uniform lighting of the disc seen by tilted faces.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermosat.common.errors import InputError
from thermosat.common.constants import EARTH_RADIUS_M

__all__ = [
    "albedo_factor",
    "dimensionless_radius",
    "edge_on_view_factor",
    "full_view_limit",
    "nadir_view_factor",
    "plate_earth_view_factor",
    "plate_view_factor_H",
]


def dimensionless_radius(altitude_m: ArrayLike, radius_m: float = EARTH_RADIUS_M
                         ) -> NDArray[np.float64]:
    """``H = (R + h)/R`` [-]; raises InputError for non-positive altitudes."""
    h = np.asarray(altitude_m, dtype=float)
    if not np.all(np.isfinite(h)) or np.any(h <= 0.0):
        raise InputError(f"altitude_m must be finite and > 0 m, got {altitude_m!r}")
    return (radius_m + h) / radius_m


def full_view_limit(H: ArrayLike) -> NDArray[np.float64] | float:
    """Largest λ for which the face sees the whole Earth disc, ``arccos(1/H)`` [rad]."""
    out = np.arccos(1.0 / np.asarray(H, dtype=float))
    return float(out) if out.ndim == 0 else out


def plate_view_factor_H(lam_rad: ArrayLike, H: ArrayLike) -> NDArray[np.float64] | float:
    """Exact view factor of a differential plate face to a sphere, in terms of H.

    Parameters
    ----------
    lam_rad : angle between the face normal and nadir [rad]; any real value, reduced to
        [0, π] as the angle between two directions (F depends on cos λ only).
    H : ``(R + h)/R`` > 1, broadcast against ``lam_rad``.

    Returns
    -------
    F in [0, 1/H²], same shape as the broadcast inputs (float for scalars).
    """
    lam_in = np.asarray(lam_rad, dtype=float)
    Hh = np.asarray(H, dtype=float)
    if np.any(~(Hh > 1.0)):
        raise InputError(f"H = (R+h)/R must be > 1, got {H!r}")
    lam, Hb = np.broadcast_arrays(np.arccos(np.clip(np.cos(lam_in), -1.0, 1.0)), Hh)
    lam = lam.astype(float)
    Hb = Hb.astype(float)
    cl = np.cos(lam)
    sl = np.sin(lam)
    H2 = Hb * Hb
    root = np.sqrt(H2 - 1.0)
    lim = np.arccos(1.0 / Hb)

    full = lam <= lim
    none = lam >= np.pi - lim
    part = ~(full | none)

    F = np.zeros_like(lam)
    F[full] = cl[full] / H2[full]
    if np.any(part):
        c, s, r, q = cl[part], sl[part], root[part], H2[part]
        a1 = np.arcsin(np.clip(r / (np.sqrt(q) * s), -1.0, 1.0))
        a2 = np.arccos(np.clip(-r * c / s, -1.0, 1.0))
        tail = np.sqrt(np.clip(1.0 - q * c * c, 0.0, None))
        F[part] = 0.5 - a1 / np.pi + (c * a2 - r * tail) / (np.pi * q)
    F = np.clip(F, 0.0, None)
    return float(F) if F.ndim == 0 else F


def plate_earth_view_factor(lam_rad: ArrayLike, altitude_m: ArrayLike, *,
                            radius_m: float = EARTH_RADIUS_M) -> NDArray[np.float64] | float:
    """View factor of one face of a differential flat plate to the Earth.

    ``lam_rad`` is the angle between the face normal and nadir [rad]; ``altitude_m`` [m].
    Vectorised (broadcast) over both. See the module docstring for the formulas.
    """
    return plate_view_factor_H(lam_rad, dimensionless_radius(altitude_m, radius_m))


def nadir_view_factor(altitude_m: ArrayLike, *, radius_m: float = EARTH_RADIUS_M
                      ) -> NDArray[np.float64] | float:
    """View factor of a nadir-facing face, ``1/H²`` [-]."""
    out = 1.0 / dimensionless_radius(altitude_m, radius_m) ** 2
    return float(out) if out.ndim == 0 else out


def edge_on_view_factor(altitude_m: ArrayLike, *, radius_m: float = EARTH_RADIUS_M
                        ) -> NDArray[np.float64] | float:
    """Closed-form edge-on view factor (λ = 90°).

    ``F = (1/π)[atan(1/√(H²−1)) − √(H²−1)/H²]`` (VALIDATION case 9; Gilmore 2002 ch. 2).
    """
    H = dimensionless_radius(altitude_m, radius_m)
    r = np.sqrt(H * H - 1.0)
    out = (np.arctan(1.0 / r) - r / (H * H)) / np.pi
    return float(out) if out.ndim == 0 else out


def albedo_factor(cos_sun_zenith_ss: ArrayLike) -> NDArray[np.float64] | float:
    """Illumination factor of the albedo approximation, ``max(cos θ_ss, 0)`` [-].

    ``θ_ss`` is the Sun zenith angle at the sub-satellite point. Multiply by
    ``S · a · F`` to get the albedo irradiance on a face (see the module docstring).
    """
    out = np.clip(np.asarray(cos_sun_zenith_ss, dtype=float), 0.0, None)
    return float(out) if out.ndim == 0 else out
