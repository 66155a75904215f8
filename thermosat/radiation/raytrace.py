"""Ray-traced environment views of mesh facets: sunlit fraction and blocked Earth view.

For every facet, rays leave its Gauss sample points (the far-field rules of
:mod:`.facets`, ``m × m`` points, weights = area) and are tested for any hit on the other
facets of the scene through the Numba BVH of :mod:`.bvh` (``prange`` over facets,
``cache=True``).

* :func:`sun_fraction` — one ray per sample point toward the Sun; the area-weighted share of
  the points whose ray escapes is the facet's sunlit fraction (converges with ``m`` and with
  mesh refinement at shadow edges).
* :func:`earth_blockage` — the part of the facet's view factor to the Earth that the scene
  hides. The Earth, seen from the spacecraft, fills the cone of half-angle ρ about nadir,
  ``sin ρ = R/(R + h)`` (spacecraft small against R). The view factor of a surface element
  to the visible Earth is ``F = (1/π) ∫_cone V cos⁺θ dΩ`` (Siegel & Howell, *Thermal
  Radiation Heat Transfer*, 6th ed., §4.3), V = 1 where the ray reaches the Earth. Written
  as ``F = F_plate − B``, ``B = (1/π) ∫_cone (1 − V) cos⁺θ dΩ``, the exact isolated-plate
  factor ``F_plate`` (:mod:`thermosat.physics.earth_view`) stays exact where nothing blocks
  (B = 0 exactly when no ray is blocked) and only the blocked part is sampled. Directions are
  stratified uniformly in solid angle over the cone (``n_u × n_phi`` strata in ``(cos, φ)``,
  one jittered direction per stratum, Cranley–Patterson rotated per sample point), so the
  estimate is unbiased with a standard error reported per facet (Pharr, Jakob & Humphreys,
  *Physically Based Rendering*, 4th ed., §2.2 & §8.2 stratified sampling; the error estimate
  treats the strata as independent, which bounds the stratified variance from above).

Coordinates in m; directions are unit vectors in the scene's frame.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from thermosat.common.errors import InputError
from thermosat.radiation.bvh import (BVH, STACK_SIZE, build_bvh, first_hit_buf,
                                     segment_blocked_buf, triangulate_facets)
from thermosat.radiation.facets import FacetGeometry, _as_facets, _facet_rules, facet_geometry

__all__ = ["RayScene", "build_scene", "earth_blockage", "specular_sun", "sun_fraction"]


@dataclass(frozen=True)
class RayScene:
    """Facets, their sample points and the BVH of the scene.

    Attributes
    ----------
    geometry : facet areas, normals, centroids
    points : (nf, k, 3) sample points, m; weights : (nf, k), Σ = facet area, m²
    bvh : the BVH of all facets (triangles carry their facet index)
    length : a length longer than any chord of the scene, m (rays to infinity stop there)
    """

    geometry: FacetGeometry
    points: np.ndarray
    weights: np.ndarray
    bvh: BVH
    length: float

    @property
    def n_facets(self) -> int:
        return int(self.weights.shape[0])


def build_scene(points, facets, *, sample_points: int = 2) -> RayScene:
    """Scene of tri3/quad4 facets with ``sample_points × sample_points`` Gauss points per facet
    (1 … 6; 1 is the centroid)."""
    if int(sample_points) != sample_points or not 1 <= sample_points <= 6:
        raise InputError(f"sample_points: must be an integer 1 … 6, got {sample_points}")
    pts, fac, nv = _as_facets(points, facets)
    g = facet_geometry(points, facets)
    qp, qw = _facet_rules(g)
    L = int(sample_points) - 1
    k = (L + 1) ** 2
    tri, owner = triangulate_facets(pts, fac, nv)
    bvh = build_bvh(tri, owner)
    span = float(np.linalg.norm(pts.max(axis=0) - pts.min(axis=0))) if len(pts) else 1.0
    return RayScene(g, np.ascontiguousarray(qp[:, L, :k]), np.ascontiguousarray(qw[:, L, :k]),
                    bvh, 4.0 * span + 1.0)


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64).reshape(3)
    n = float(np.linalg.norm(v))
    if not (n > 0.0 and math.isfinite(n)):
        raise InputError(f"direction must be a finite nonzero vector, got {v}")
    return v / n


# --------------------------------------------------------------------------------------------
# kernels
# --------------------------------------------------------------------------------------------
@njit(parallel=True, cache=True)
def _sun_kernel(sp, sw, normals, sx, sy, sz, length, bmin, bmax, left, right, start, count,
                v0, e1, e2, tri_facet):
    nf = sp.shape[0]
    k = sp.shape[1]
    out = np.zeros(nf)
    for f in prange(nf):
        cn = normals[f, 0] * sx + normals[f, 1] * sy + normals[f, 2] * sz
        if cn <= 0.0:
            continue
        stack = np.empty(STACK_SIZE, dtype=np.int64)
        lit = 0.0
        tot = 0.0
        for a in range(k):
            w = sw[f, a]
            if w <= 0.0:
                continue
            tot += w
            if not segment_blocked_buf(bmin, bmax, left, right, start, count, v0, e1, e2,
                                       tri_facet, sp[f, a, 0], sp[f, a, 1], sp[f, a, 2],
                                       sx * length, sy * length, sz * length, f, f, 1e-12,
                                       1.0, stack):
                lit += w
        out[f] = lit / tot if tot > 0.0 else 0.0
    return out


@njit(parallel=True, cache=True)
def _earth_kernel(sp, sw, normals, nadir, ex, ey, cos_rho, n_u, n_phi, shift, length,
                  bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet):
    """Per facet: blocked Earth view B (area mean over the sample points), its standard
    error, and the number of rays cast."""
    nf = sp.shape[0]
    k = sp.shape[1]
    B = np.zeros(nf)
    err = np.zeros(nf)
    nray = np.zeros(nf, dtype=np.int64)
    omega = 2.0 * math.pi * (1.0 - cos_rho)
    nstr = n_u * n_phi
    for f in prange(nf):
        stack = np.empty(STACK_SIZE, dtype=np.int64)
        # facets entirely facing away from the whole cone see none of the Earth
        cn = normals[f, 0] * nadir[0] + normals[f, 1] * nadir[1] + normals[f, 2] * nadir[2]
        sin_rho = math.sqrt(max(0.0, 1.0 - cos_rho * cos_rho))
        if cn <= -sin_rho + 1e-15:
            continue
        tot = 0.0
        bsum = 0.0
        var = 0.0
        for a in range(k):
            w = sw[f, a]
            if w <= 0.0:
                continue
            tot += w
            s1 = 0.0
            s2 = 0.0
            for iu in range(n_u):
                for ip in range(n_phi):
                    r1 = (iu + shift[f, a, 0] + (ip * 0.6180339887498949) % 1.0) % 1.0
                    u = (iu + r1) / n_u
                    r2 = (ip + shift[f, a, 1] + (iu * 0.7548776662466927) % 1.0) % 1.0
                    phi = 2.0 * math.pi * (ip + r2) / n_phi
                    c = 1.0 - u * (1.0 - cos_rho)          # cosine to nadir, uniform in Ω
                    s = math.sqrt(max(0.0, 1.0 - c * c))
                    cp = math.cos(phi) * s
                    spp = math.sin(phi) * s
                    dx = c * nadir[0] + cp * ex[0] + spp * ey[0]
                    dy = c * nadir[1] + cp * ex[1] + spp * ey[1]
                    dz = c * nadir[2] + cp * ex[2] + spp * ey[2]
                    ct = normals[f, 0] * dx + normals[f, 1] * dy + normals[f, 2] * dz
                    if ct <= 0.0:
                        continue
                    nray[f] += 1
                    if segment_blocked_buf(bmin, bmax, left, right, start, count, v0, e1, e2,
                                           tri_facet, sp[f, a, 0], sp[f, a, 1], sp[f, a, 2],
                                           dx * length, dy * length, dz * length, f, f,
                                           1e-12, 1.0, stack):
                        s1 += ct
                        s2 += ct * ct
            # estimator of (1/π)∫(1−V)cos⁺ dΩ = (Ω/π) × mean over strata
            m = s1 / nstr
            v = max(0.0, s2 / nstr - m * m) / max(nstr - 1, 1)
            bsum += w * (omega / math.pi) * m
            var += w * w * (omega / math.pi) ** 2 * v
        if tot > 0.0:
            B[f] = bsum / tot
            err[f] = math.sqrt(var) / tot
    return B, err, nray


@njit(parallel=True, cache=True)
def _specular_kernel(sp, sw, normals, sx, sy, sz, spec, length, bmin, bmax, left, right,
                     start, count, v0, e1, e2, tri_facet):
    """Per mirror facet and sunlit sample point: the reflected beam's power (W per unit
    solar irradiance) and the facet it lands on first (−1: space)."""
    nf = sp.shape[0]
    k = sp.shape[1]
    power = np.zeros((nf, k))
    target = np.full((nf, k), -1, dtype=np.int64)
    for f in prange(nf):
        if spec[f] <= 0.0:
            continue
        nx = normals[f, 0]
        ny = normals[f, 1]
        nz = normals[f, 2]
        cn = nx * sx + ny * sy + nz * sz
        if cn <= 0.0:
            continue
        rx = sx - 2.0 * cn * nx       # mirror image of the direction toward the Sun: the
        ry = sy - 2.0 * cn * ny       # reflected beam leaves along -(s - 2(s·n)n)
        rz = sz - 2.0 * cn * nz
        stack = np.empty(STACK_SIZE, dtype=np.int64)
        for a in range(k):
            w = sw[f, a]
            if w <= 0.0:
                continue
            px = sp[f, a, 0]
            py = sp[f, a, 1]
            pz = sp[f, a, 2]
            if segment_blocked_buf(bmin, bmax, left, right, start, count, v0, e1, e2,
                                   tri_facet, px, py, pz, sx * length, sy * length,
                                   sz * length, f, f, 1e-12, 1.0, stack):
                continue                                   # this point is in shadow
            g, _ = first_hit_buf(bmin, bmax, left, right, start, count, v0, e1, e2,
                                 tri_facet, px, py, pz, -rx, -ry, -rz, f, length, stack)
            power[f, a] = spec[f] * cn * w
            if g >= 0 and -(normals[g, 0] * rx + normals[g, 1] * ry + normals[g, 2] * rz) < 0.0:
                target[f, a] = g                           # lands on the facet's front
            elif g >= 0:
                target[f, a] = -2                          # lands on a back face: absorbed
    return power, target


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
def sun_fraction(scene: RayScene, sun) -> np.ndarray:
    """Sunlit fraction (area-weighted over the sample points) of every facet facing the Sun
    direction ``sun`` (unit vector toward the Sun); 0 for facets facing away."""
    s = _unit(sun)
    return _sun_kernel(scene.points, scene.weights, scene.geometry.normals, s[0], s[1], s[2],
                       scene.length, *scene.bvh.arrays())


@dataclass(frozen=True)
class EarthBlockage:
    """Blocked part of each facet's view factor to the Earth.

    Attributes
    ----------
    blocked : (nf,) ``B``: the isolated-plate factor minus the visible one, ≥ 0
    stderr : (nf,) standard error of ``B`` (0 where no ray was blocked)
    n_rays : total rays cast; seconds : wall time of the cast
    """

    blocked: np.ndarray
    stderr: np.ndarray
    n_rays: int
    seconds: float

    @property
    def rays_per_second(self) -> float:
        return self.n_rays / self.seconds if self.seconds > 0 else float("inf")


def earth_blockage(scene: RayScene, nadir, sin_rho: float, *, n_u: int = 8, n_phi: int = 32,
                   seed: int = 0) -> EarthBlockage:
    """Blocked Earth view of every facet (see the module docstring).

    Parameters
    ----------
    nadir : unit vector from the spacecraft to the Earth's centre
    sin_rho : ``R/(R + h)``, sine of the Earth's angular radius
    n_u, n_phi : strata in cos(angle to nadir) and azimuth per sample point
    seed : seed of the per-point stratum jitter (results are reproducible)
    """
    if not 0.0 < sin_rho < 1.0:
        raise InputError(f"sin_rho: must be in (0, 1), got {sin_rho}")
    if n_u < 1 or n_phi < 1:
        raise InputError("n_u, n_phi: must be >= 1")
    nd = _unit(nadir)
    a = np.array([1.0, 0.0, 0.0]) if abs(nd[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    ex = np.cross(nd, a)
    ex /= np.linalg.norm(ex)
    ey = np.cross(nd, ex)
    cos_rho = math.sqrt(1.0 - sin_rho * sin_rho)
    shift = np.random.default_rng(seed).random(scene.points.shape[:2] + (2,))
    t = time.perf_counter()
    B, err, nray = _earth_kernel(scene.points, scene.weights, scene.geometry.normals, nd, ex,
                                 ey, cos_rho, int(n_u), int(n_phi), shift, scene.length,
                                 *scene.bvh.arrays())
    return EarthBlockage(B, err, int(nray.sum()), time.perf_counter() - t)


def specular_sun(scene: RayScene, sun, specular_reflectance) -> tuple[np.ndarray, float]:
    """Direct sunlight reflected specularly (one bounce) by mirror facets onto other facets.

    ``specular_reflectance`` (nf,) is the part of each facet's solar-band reflectance that is
    specular (ρ_s = (1 − α)·specularity; 0 for diffuse surfaces). From every sunlit sample
    point of a mirror facet the beam leaves along the mirror image of the Sun direction and
    lands on the first facet it meets (its front side) or leaves to space.

    Returns (incident irradiance (nf,) per unit solar irradiance, i.e. multiply by S (W/m²)
    for W/m² of receiving facet; fraction of the reflected beam power that leaves to space).
    A beam that lands on the back of a facet (the inside of a closed shell) is counted as
    received by nothing and reported in neither.
    """
    s = _unit(sun)
    rs = np.ascontiguousarray(np.broadcast_to(np.asarray(specular_reflectance, float),
                                              (scene.n_facets,)))
    if np.any((rs < 0.0) | (rs > 1.0)):
        raise InputError("specular_reflectance: must be within [0, 1]")
    power, target = _specular_kernel(scene.points, scene.weights, scene.geometry.normals,
                                     s[0], s[1], s[2], rs, scene.length, *scene.bvh.arrays())
    hit = target >= 0
    received = np.bincount(target[hit], weights=power[hit], minlength=scene.n_facets)
    total = float(power.sum())
    to_space = float(power[target == -1].sum()) / total if total > 0.0 else 0.0
    return received / scene.geometry.areas, to_space
