"""Orbital thermal environment: attitudes and the fluxes on each face of a flat panel.

Per face (``"front"``, ``"back"``) and orbit angle θ this module gives the *incident*
irradiances [W/m² of face]:

* ``solar   = S · max(n·ŝ, 0)``, zero in the cylindrical eclipse;
* ``albedo  = S · a · F · max(cos θ_ss, 0)``  (``albedo_model="subsatellite"``, the
  engineering approximation, see :mod:`thermosat.physics.earth_view`), or ``S · a · G``
  with G integrated over the sunlit part of the visible Earth cap
  (``albedo_model="cap"``, :mod:`thermosat.physics.albedo`);
* ``earth_ir = OLR · F``;

with ``F`` the exact view factor of the face to the spherical Earth. A boundary condition
absorbs ``α·(solar + albedo) + ε·earth_ir`` (see :meth:`FaceFluxes.absorbed`).

Orbit geometry (see :mod:`thermosat.physics.orbit`): orbit frame with ``z`` the orbit
normal, ``x`` the noon direction, Sun ``ŝ = (cos β, 0, sin β)``, nadir
``−(cos θ, sin θ, 0)``, θ from noon, ``t = θ/n`` after noon.

Attitudes (the *front* face normal; the back face normal is its opposite):

``"sun_pointing"``
    Front normal = ŝ (cells toward the Sun); the back face looks away from the Sun.
``"edge_on"``
    Radiator wing whose plane contains the Sun line, rotated about it so that the normal is
    also perpendicular to nadir: ``n = (ŝ × r̂)/|ŝ × r̂|``. Both faces then get no direct
    Sun and the smallest Earth view possible for a Sun-parallel plane (λ = 90°, the
    edge-on view factor, on each face). Where ŝ ∥ r̂ (β = 0 at noon/midnight) any
    Sun-parallel normal is perpendicular to nadir; the orbit-normal projection
    ``(−sin β, 0, cos β)`` is used. The normal's sign is arbitrary (both faces are
    equivalent); it follows ``ŝ × r̂`` and may flip there.
``"edge_on_fixed"``
    Inertially fixed wing, plane containing the Sun line, normal along the component of the
    orbit normal perpendicular to ŝ: ``n = (−sin β, 0, cos β)``. No direct Sun; Earth view
    equals the edge-on one only at β = 0 (the usual non-rotating option).
``"nadir"``
    Front normal = nadir (Earth-facing plate), back = zenith. Used in tests.

A callable ``f(sun, nadir, theta) -> normals`` (arrays ``(3,)``, ``(N, 3)``, ``(N,)`` →
``(N, 3)`` unit front normals) is also accepted as an attitude.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thermosat.common.errors import InputError
from thermosat.common.constants import ALBEDO, EARTH_IR, SOLAR_CONSTANT
from thermosat.physics.earth_view import (
    albedo_factor,
    edge_on_view_factor,
    nadir_view_factor,
    plate_earth_view_factor,
    plate_view_factor_H,
)
from thermosat.physics.albedo import albedo_factor_cap, check_albedo_model
from thermosat.physics.orbit import TIERS, Orbit, eclipse_fraction, orbital_period

__all__ = [
    "ATTITUDES",
    "FACES",
    "TIERS",
    "Attitude",
    "FaceFluxes",
    "Orbit",
    "OrbitEnvironment",
    "OrbitTimeSeries",
    "attitude_normals",
    "eclipse_fraction",
    "edge_on_view_factor",
    "face_fluxes",
    "nadir_view_factor",
    "orbital_period",
    "plate_earth_view_factor",
]

ATTITUDES: tuple[str, ...] = ("sun_pointing", "edge_on", "edge_on_fixed", "nadir")
"""Names of the built-in attitudes."""

FACES: tuple[str, str] = ("front", "back")
"""Face labels of a flat panel."""

AttitudeFn = Callable[[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
                      NDArray[np.float64]]
Attitude = str | AttitudeFn


# ---------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------
@dataclass
class FaceFluxes:
    """Incident environmental fluxes on one face [W/m² of face area].

    Arrays over orbit angle (or floats for orbit averages).

    Attributes
    ----------
    solar : direct solar irradiance, ``S·max(cos i, 0)``, 0 in eclipse.
    albedo : Earth-reflected solar irradiance.
    earth_ir : Earth long-wave irradiance.
    view_factor : view factor of the face to the Earth [-].
    cos_incidence : cosine of the Sun incidence angle (unclipped, eclipse ignored) [-].
    """

    solar: NDArray[np.float64] | float
    albedo: NDArray[np.float64] | float
    earth_ir: NDArray[np.float64] | float
    view_factor: NDArray[np.float64] | float
    cos_incidence: NDArray[np.float64] | float

    def absorbed(self, alpha: float, epsilon: float) -> NDArray[np.float64] | float:
        """Absorbed flux ``α·(solar + albedo) + ε·earth_ir`` [W/m²].

        ``alpha`` is the solar absorptance, ``epsilon`` the IR emittance (= IR absorptance,
        grey-body Kirchhoff) of the face coating.
        """
        return alpha * (self.solar + self.albedo) + epsilon * self.earth_ir


@dataclass
class OrbitTimeSeries:
    """Environment sampled over one orbit period.

    Attributes
    ----------
    t : time after noon [s], ``N`` samples in ``[0, T)``.
    theta : orbit angle from noon [rad].
    eclipse : True where the satellite is in the shadow.
    faces : ``{"front": FaceFluxes, "back": FaceFluxes}``.
    period_s : orbit period [s].
    """

    t: NDArray[np.float64]
    theta: NDArray[np.float64]
    eclipse: NDArray[np.bool_]
    faces: dict[str, FaceFluxes]
    period_s: float

    def __getitem__(self, face: str) -> FaceFluxes:
        return self.faces[face]


# ---------------------------------------------------------------------------------------
# Attitudes
# ---------------------------------------------------------------------------------------
def _unit(v: NDArray[np.float64]) -> NDArray[np.float64]:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def attitude_normals(orbit: Orbit, attitude: Attitude, theta: ArrayLike) -> NDArray[np.float64]:
    """Unit *front* face normals in the orbit frame for each θ, shape ``(N, 3)``."""
    th = np.atleast_1d(np.asarray(theta, dtype=float))
    s = orbit.sun_vector()
    nadir = orbit.nadir(th)
    fixed = np.array([-math.sin(orbit.beta_rad), 0.0, math.cos(orbit.beta_rad)])
    if callable(attitude):
        n = np.asarray(attitude(s, nadir, th), dtype=float)
        if n.shape != nadir.shape or not np.all(np.isfinite(n)):
            raise InputError(f"attitude callable must return finite normals of shape {nadir.shape}, "
                             f"got {n.shape}")
        return _unit(n)
    name = _attitude_name(attitude)
    if name == "sun_pointing":
        return np.broadcast_to(s, nadir.shape).copy()
    if name == "nadir":
        return nadir
    if name == "edge_on_fixed":
        return np.broadcast_to(fixed, nadir.shape).copy()
    # edge_on: n ∥ ŝ × r̂ (perpendicular to Sun and nadir)
    c = np.cross(s, -nadir)
    norm = np.linalg.norm(c, axis=-1)
    out = np.broadcast_to(fixed, nadir.shape).copy()
    ok = norm > 1e-12
    out[ok] = c[ok] / norm[ok, None]
    return out


def _attitude_name(attitude: Attitude) -> str:
    key = str(attitude).strip().lower().replace("-", "_")
    if key not in ATTITUDES:
        allowed = ", ".join(repr(a) for a in ATTITUDES)
        raise InputError(f"unknown attitude {attitude!r}; allowed values: {allowed} or a callable")
    return key


# ---------------------------------------------------------------------------------------
# Fluxes
# ---------------------------------------------------------------------------------------
def face_fluxes(orbit: Orbit, attitude: Attitude, theta: ArrayLike, *,
                solar_constant: float = SOLAR_CONSTANT, albedo: float = ALBEDO,
                earth_ir: float = EARTH_IR, albedo_model: str = "subsatellite"
                ) -> dict[str, FaceFluxes]:
    """Incident solar, albedo and Earth-IR fluxes on the front and back faces.

    Parameters
    ----------
    orbit : the circular orbit (altitude, beta).
    attitude : one of :data:`ATTITUDES` or a callable (see the module docstring).
    theta : orbit angles from noon [rad], array-like of shape ``(N,)`` (scalars allowed).
    solar_constant : S [W/m²]; albedo : a [-]; earth_ir : OLR [W/m²].
    albedo_model : ``"subsatellite"`` (``F · cos⁺θ_ss``) or ``"cap"`` (integrated over the
        visible cap, :func:`thermosat.physics.albedo.albedo_factor_cap`).

    Returns
    -------
    ``{"front": FaceFluxes, "back": FaceFluxes}`` with arrays of shape ``(N,)``.
    """
    _check_env(solar_constant, albedo, earth_ir)
    model = check_albedo_model(albedo_model)
    th = np.atleast_1d(np.asarray(theta, dtype=float))
    if th.ndim != 1 or not np.all(np.isfinite(th)):
        raise InputError("theta must be a finite 1-D array of orbit angles [rad]")
    s = orbit.sun_vector()
    nadir = orbit.nadir(th)
    lit = ~orbit.in_eclipse(th)
    alb = albedo_factor(orbit.cos_sun_zenith(th))
    n_front = attitude_normals(orbit, attitude, th)
    out: dict[str, FaceFluxes] = {}
    for face, n in (("front", n_front), ("back", -n_front)):
        cos_i = n @ s
        cos_i = np.where(np.abs(cos_i) < 1e-12, 0.0, cos_i)  # exact zero for Sun-parallel faces
        cos_lam = np.clip(np.einsum("ij,ij->i", n, nadir), -1.0, 1.0)
        F = np.asarray(plate_view_factor_H(np.arccos(cos_lam), orbit.H), dtype=float)
        G = albedo_factor_cap(n, nadir, s, orbit.H) if model == "cap" else F * alb
        out[face] = FaceFluxes(
            solar=solar_constant * np.clip(cos_i, 0.0, None) * lit,
            albedo=solar_constant * albedo * G,
            earth_ir=earth_ir * F,
            view_factor=F,
            cos_incidence=cos_i,
        )
    return out


def _check_env(solar_constant: float, albedo: float, earth_ir: float) -> None:
    if not (math.isfinite(solar_constant) and solar_constant >= 0.0):
        raise InputError(f"solar_constant must be >= 0 W/m^2, got {solar_constant!r}")
    if not (math.isfinite(albedo) and 0.0 <= albedo <= 1.0):
        raise InputError(f"albedo must be within [0, 1], got {albedo!r}")
    if not (math.isfinite(earth_ir) and earth_ir >= 0.0):
        raise InputError(f"earth_ir must be >= 0 W/m^2, got {earth_ir!r}")


# ---------------------------------------------------------------------------------------
# Orbit helper
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrbitEnvironment:
    """An orbit, a panel attitude and the environment constants.

    Example
    -------
    >>> env = OrbitEnvironment(Orbit.from_tier("vleo"), "sun_pointing")
    >>> avg = env.orbit_average()           # {"front": FaceFluxes(floats), "back": ...}
    >>> ts = env.time_series(360)           # t [s], theta [rad], eclipse, faces
    >>> q = ts["front"].absorbed(0.75, 0.82)
    """

    orbit: Orbit
    attitude: Attitude = "sun_pointing"
    solar_constant: float = SOLAR_CONSTANT
    albedo: float = ALBEDO
    earth_ir: float = EARTH_IR
    #: ``"subsatellite"`` or ``"cap"`` (see :func:`face_fluxes`)
    albedo_model: str = "subsatellite"

    def __post_init__(self) -> None:
        if not isinstance(self.orbit, Orbit):
            raise InputError(f"orbit must be an Orbit, got {type(self.orbit).__name__}")
        object.__setattr__(self, "albedo_model", check_albedo_model(self.albedo_model))
        if not callable(self.attitude):
            object.__setattr__(self, "attitude", _attitude_name(self.attitude))
        _check_env(self.solar_constant, self.albedo, self.earth_ir)

    @property
    def period_s(self) -> float:
        """Orbit period [s]."""
        return self.orbit.period_s

    @property
    def eclipse_fraction(self) -> float:
        """Eclipse fraction of the orbit [-]."""
        return self.orbit.eclipse_fraction

    def fluxes(self, theta: ArrayLike) -> dict[str, FaceFluxes]:
        """Face fluxes at orbit angles ``theta`` [rad] (see :func:`face_fluxes`)."""
        return face_fluxes(self.orbit, self.attitude, theta, solar_constant=self.solar_constant,
                           albedo=self.albedo, earth_ir=self.earth_ir,
                           albedo_model=self.albedo_model)

    def fluxes_at_time(self, t_s: ArrayLike) -> dict[str, FaceFluxes]:
        """Face fluxes at times ``t_s`` after noon [s] (periodic)."""
        return self.fluxes(self.orbit.theta_at(t_s))

    def time_series(self, n: int = 360) -> OrbitTimeSeries:
        """Environment at ``n`` equally spaced times over one period, ``t_k = k T / n``."""
        if int(n) != n or n < 2:
            raise InputError(f"number of samples n must be an integer >= 2, got {n!r}")
        n = int(n)
        theta = 2.0 * np.pi * np.arange(n) / n
        T = self.period_s
        return OrbitTimeSeries(t=theta / (2.0 * np.pi) * T, theta=theta,
                               eclipse=self.orbit.in_eclipse(theta),
                               faces=self.fluxes(theta), period_s=T)

    def orbit_average(self, n_per_segment: int = 48) -> dict[str, FaceFluxes]:
        """Orbit-averaged fluxes per face (floats).

        Composite Gauss–Legendre quadrature in θ with segment breaks at eclipse entry/exit
        and at the terminator of the sub-satellite point (θ = ±π/2), where the integrands
        have kinks or jumps; accurate to ~1e-12 relative for the built-in attitudes.
        """
        theta, w = self._quadrature(n_per_segment)
        faces = self.fluxes(theta)
        out: dict[str, FaceFluxes] = {}
        for face, ff in faces.items():
            out[face] = FaceFluxes(
                solar=float(w @ ff.solar), albedo=float(w @ ff.albedo),
                earth_ir=float(w @ ff.earth_ir), view_factor=float(w @ ff.view_factor),
                cos_incidence=float(w @ ff.cos_incidence))
        return out

    def _quadrature(self, n_per_segment: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        if int(n_per_segment) != n_per_segment or n_per_segment < 2:
            raise InputError(f"n_per_segment must be an integer >= 2, got {n_per_segment!r}")
        breaks = [0.0, 0.5 * np.pi, 1.5 * np.pi, 2.0 * np.pi]
        ang = self.orbit.eclipse_angles()
        if ang is not None:
            breaks += list(ang)
        # break points where a face's view factor changes branch (kinks of F in θ)
        breaks += list(self._branch_angles())
        b = np.unique(np.clip(np.asarray(breaks), 0.0, 2.0 * np.pi))
        x, wx = np.polynomial.legendre.leggauss(int(n_per_segment))
        th, w = [], []
        for a, c in itertools.pairwise(b):
            if c - a <= 0.0:
                continue
            th.append(0.5 * (c - a) * x + 0.5 * (c + a))
            w.append(0.5 * (c - a) * wx)
        theta = np.concatenate(th)
        weights = np.concatenate(w) / (2.0 * np.pi)
        return theta, weights

    def _branch_angles(self) -> list[float]:
        """θ where the front or back face crosses a view-factor branch point (fixed attitudes)."""
        if callable(self.attitude) or self.attitude in ("edge_on", "nadir"):
            return []
        lim = math.acos(1.0 / self.orbit.H)
        # cos λ_front = n·nadir = −cos θ · (n·x̂) − sin θ · (n·ŷ) for a fixed n
        n = attitude_normals(self.orbit, self.attitude, [0.0])[0]
        a, b = -n[0], -n[1]
        amp = math.hypot(a, b)
        out: list[float] = []
        if amp < 1e-15:
            return out
        phase = math.atan2(b, a)
        for target in (math.cos(lim), -math.cos(lim)):  # front and back branch points
            if abs(target) <= amp:
                d = math.acos(target / amp)
                for t in (phase + d, phase - d):
                    out.append(t % (2.0 * math.pi))
        return out
