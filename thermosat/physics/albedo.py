"""Albedo irradiance integrated over the sunlit part of the visible Earth cap.

The Earth is a sphere of radius R reflecting sunlight diffusely (Lambert) with Bond albedo
a: a surface element at solar zenith angle ζ has radiance ``L = a S cos⁺ζ / π``. A facet
(unit normal n) at distance ``r = H R`` from the Earth's centre then receives the albedo
irradiance (Siegel & Howell, *Thermal Radiation Heat Transfer*, 6th ed., §4.3: irradiance
from a diffuse source ``∫ L cos θ_f dΩ``, ``dΩ = cos θ_e dA / d²``)

    q_alb = S a ∫_cap cos⁺ζ · cos⁺θ_f · cos θ_e / (π d²) dA  = S a · G

over the cap of the Earth visible from the facet (``x·r̂ ≥ R/r``), with d the distance
from the facet to the surface element, θ_f the angle at the facet between n and the
element, θ_e the angle at the element between its normal and the facet. This is the
albedo integral of the classic plate–sphere analyses (Cunningham, NASA TN D-710, 1961, for
the geometry; Bannister, NASA TN D-2750, 1965) and of the orbital heating of ray-traced
thermal tools. The *albedo factor* ``G`` depends on the facet's tilt and on where the
terminator crosses the cap, so it follows the Sun over the orbit: it is non-zero past the
sub-satellite terminator while a lit crescent is in view, and tilted facets see the lit or
the dark side of the cap.

With ``cos⁺ζ`` replaced by 1 the integral is the facet's view factor to the Earth F, so
``G ≤ F`` and, for a nadir facet at the sub-solar point as ``H → 1``, ``G → F → 1``
(``q → a S``). The common approximation ``G ≈ F · cos⁺θ_ss`` (θ_ss: solar zenith at the
sub-satellite point; :mod:`thermosat.physics.earth_view`) is its limit for a cap small
enough that ζ hardly varies over it.

Quadrature over the directions of the Earth cone seen from the facet, ``G = (1/π) ∫_cone
cos⁺ζ cos⁺θ_f dΩ`` (the same integral: ``dΩ = cos θ_e dA / d²``), in the variable
``v = √(1 − H² sin²η)`` (η the angle of the ray to nadir; v = 0 at the limb, 1 at nadir),
in which the point hit, ``x = p + (H cos η − v) ω``, is smooth up to the limb (in η it has a
square-root singularity there); Gauss–Legendre in v times the periodic midpoint rule in the
azimuth ψ. The integrand has kinks along the terminator and the facet's horizon, where the
error falls algebraically; with the default 64 × 128 points the error is below ~1e-4 of F
(tests/test_albedo.py). Numba kernel, ``prange`` over the facets/orbit points,
``cache=True``.
"""
from __future__ import annotations

import functools
import math

import numpy as np
from numba import njit, prange

from thermosat.common.errors import InputError

__all__ = ["ALBEDO_MODELS", "albedo_factor_cap", "check_albedo_model"]

ALBEDO_MODELS: tuple[str, ...] = ("subsatellite", "cap")
"""``subsatellite``: ``F · cos⁺θ_ss`` (engineering approximation); ``cap``: the integral
over the visible cap (:func:`albedo_factor_cap`)."""


def check_albedo_model(name: str) -> str:
    """The albedo model name, or an InputError naming the allowed values."""
    key = str(name).strip().lower().replace("-", "_")
    if key not in ALBEDO_MODELS:
        raise InputError(f"albedo_model: {name!r} is not one of {', '.join(ALBEDO_MODELS)}")
    return key


@njit(parallel=True, cache=True)
def _cap_kernel(normals, nadir, sun, H, lit, gx, gw, n_psi):
    n = normals.shape[0]
    out = np.zeros(n)
    c2 = H * H - 1.0
    dpsi = 2.0 * math.pi / n_psi
    for k in prange(n):
        dnx = nadir[k, 0]
        dny = nadir[k, 1]
        dnz = nadir[k, 2]
        # e1 ⊥ nadir, e2 = nadir × e1
        if abs(dnx) < 0.9:
            ax, ay, az = 1.0, 0.0, 0.0
        else:
            ax, ay, az = 0.0, 1.0, 0.0
        e1x = dny * az - dnz * ay
        e1y = dnz * ax - dnx * az
        e1z = dnx * ay - dny * ax
        nn = math.sqrt(e1x * e1x + e1y * e1y + e1z * e1z)
        e1x /= nn
        e1y /= nn
        e1z /= nn
        e2x = dny * e1z - dnz * e1y
        e2y = dnz * e1x - dnx * e1z
        e2z = dnx * e1y - dny * e1x
        # facet at p = −H·nadir (Earth radius 1, centre at the origin)
        px = -H * dnx
        py = -H * dny
        pz = -H * dnz
        nx = normals[k, 0]
        ny = normals[k, 1]
        nz = normals[k, 2]
        sx = sun[k, 0]
        sy = sun[k, 1]
        sz = sun[k, 2]
        s = 0.0
        for a in range(gx.shape[0]):
            v = 0.5 * (1.0 + gx[a])                  # v in (0, 1): limb 0, nadir 1
            root = math.sqrt(v * v + c2)
            mu = root / H                            # cosine of the ray to nadir
            w_a = 0.5 * gw[a] * v / (H * root)       # dμ = v dv / (H √(v² + H² − 1))
            smu = math.sqrt(max(0.0, 1.0 - mu * mu))
            t = H * mu - v                           # distance to the near intersection
            for b in range(n_psi):
                psi = (b + 0.5) * dpsi
                cps = math.cos(psi) * smu
                sps = math.sin(psi) * smu
                dx = mu * dnx + cps * e1x + sps * e2x
                dy = mu * dny + cps * e1y + sps * e2y
                dz = mu * dnz + cps * e1z + sps * e2z
                cf = nx * dx + ny * dy + nz * dz
                if cf <= 0.0:
                    continue
                cz = 1.0
                if lit:
                    cz = (px + t * dx) * sx + (py + t * dy) * sy + (pz + t * dz) * sz
                    if cz <= 0.0:
                        continue
                s += w_a * cz * cf
        out[k] = s * dpsi / math.pi
    return out


def albedo_factor_cap(normals, nadir, sun, H: float, *, n_v: int = 64, n_psi: int = 128,
                      illuminated: bool = True) -> np.ndarray:
    """Albedo factor ``G`` (see the module docstring): ``q_alb = S · a · G``.

    Parameters
    ----------
    normals : (N, 3) or (3,) unit facet normals
    nadir : (N, 3) or (3,) unit vectors toward the Earth's centre (broadcast with normals)
    sun : (N, 3) or (3,) unit vectors toward the Sun
    H : ``(R + h)/R`` > 1
    n_v, n_psi : quadrature points in v (toward the limb) and in azimuth
    illuminated : weight by ``cos⁺ζ`` (False: uniformly lit Earth, the integral is then the
        view factor to the Earth; used to check the quadrature)

    Returns
    -------
    (N,) G in [0, 1/H²]
    """
    if not (H > 1.0 and math.isfinite(H)):
        raise InputError(f"H: must be > 1, got {H}")
    if int(n_v) != n_v or int(n_psi) != n_psi or n_v < 2 or n_psi < 4:
        raise InputError(f"albedo quadrature: n_v >= 2 and n_psi >= 4 integers, got "
                         f"{n_v}, {n_psi}")
    nrm = np.atleast_2d(np.asarray(normals, dtype=float))
    nad = np.atleast_2d(np.asarray(nadir, dtype=float))
    sn = np.atleast_2d(np.asarray(sun, dtype=float))
    nrm, nad, sn = np.broadcast_arrays(nrm, nad, sn)
    if nrm.shape[-1] != 3:
        raise InputError(f"normals, nadir, sun: vectors of 3 components, got {nrm.shape}")
    rows = np.concatenate([v / np.linalg.norm(v, axis=1, keepdims=True)
                           for v in (nrm, nad, sn)], axis=1)
    # flat faces repeat the same (normal, nadir, sun): integrate each distinct row once
    _, first, inv = np.unique(np.round(rows, 13), axis=0, return_index=True,
                              return_inverse=True)
    u = np.ascontiguousarray(rows[first])
    gx, gw = _gauss(int(n_v))
    G = _cap_kernel(np.ascontiguousarray(u[:, 0:3]), np.ascontiguousarray(u[:, 3:6]),
                    np.ascontiguousarray(u[:, 6:9]), float(H), bool(illuminated), gx, gw,
                    int(n_psi))
    return G[inv.ravel()]


@functools.lru_cache(maxsize=8)
def _gauss(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(n)
