"""Diffuse view factors between planar mesh facets, with obstruction, reciprocity and closure.

Geometry
--------
Facets are planar triangles (tri3) or convex planar quadrilaterals (quad4) given as node
indices into a point array (m). Each facet radiates from the side its right-hand normal points
to (counter-clockwise node order seen from that side). A two-sided plate is two facets with
opposite node order.

Integration
-----------
For every pair the *exchange area* ``G_ij = A_i F_ij = A_j F_ji`` (m²) is computed once, so
reciprocity holds to rounding by construction.

* Pairs facing away from each other are culled first (every vertex of one facet on or behind
  the plane of the other). Pairs where a facet straddles the other's plane are clipped to the
  half-spaces in front of each other, which is exact for the cosine-weighted kernel.
* Near pairs (centroid distance below ``near_factor`` times the sum of the facet radii) and
  clipped pairs use the contour-integral form (Stokes; Mitalas & Stephenson 1966)

      G_ij = 1/(4π) Σ_edges Σ_edges (u·v) ∫₀¹∫₀¹ ln|a + s u − b − t v|² ds dt

  with the inner integral in closed form, the outer one by Gauss–Legendre panels refined
  adaptively towards the (complex) singular points of the inner integral (edge end points,
  edge crossings), and parallel (in particular shared, collinear) edge pairs in closed form.
  Touching facets (shared edge or vertex) are integrated as accurately as distant ones
  (Howell's catalog values are reproduced to ~1e-13).
* Far pairs use the double-area integral ``∫∫ cosθ_i cosθ_j /(π r²) dA dA`` with a
  tensor Gauss rule on each facet whose order (1 to 6 points per direction) is chosen per
  facet from its radius-to-distance ratio so that the estimated error, relative to
  ``A_i A_j/(π d²)``, is below ``rtol``; where no order suffices the contour form is used.

Obstruction
-----------
A pair is blocked when the segment between the facet centroids (of the clipped polygons for
straddling pairs) crosses any other facet, found with a Numba BVH (:mod:`.bvh`). Blocking is
all-or-nothing per pair, so partial shadows are resolved by refining the mesh.

Post-processing
---------------
Pairs with both ``F_ij`` and ``F_ji`` below ``drop_below`` are dropped (their share goes to
space). For facets declared part of a closed ``enclosure`` the rows are scaled to sum to one
by symmetric diagonal scaling ``G ← S G S`` (a symmetric Sinkhorn iteration; keeps
reciprocity, non-negativity and the sparsity pattern; the correction is proportional to each
factor, as in least-squares view-factor smoothing with weights ∝ G). The rest
``1 − Σ_j F_ij`` is the view factor to space.
"""
from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numba import njit, prange

from thermosat.errors import InputError, MeshError, SolverError
from thermosat.radiation.bvh import STACK_SIZE, build_bvh, segment_blocked_buf, triangulate_facets

__all__ = [
    "FacetGeometry",
    "ViewFactors",
    "enforce_closure",
    "exchange_area",
    "facet_geometry",
    "polygon_exchange_area",
    "stack_facets",
    "view_factors",
]

#: bump when the numerics change, so that cached matrices are recomputed
ALGORITHM_VERSION = "1"

_MAXV = 8            # polygon buffer (a quad clipped by one plane has at most 5 vertices)
_N_LEVELS = 6        # far-field Gauss rules: 1..6 points per direction
_GL_OUTER = 8        # Gauss points per panel of the contour outer integral
_ETA = 1.0           # panel length <= _ETA * distance to the nearest singularity
_H_MIN = 1e-7        # smallest panel (edge parameter units)
_MAX_PANELS = 400
#: far-field error model: |ΔG| / (A_i A_j / (π d²)) ≈ C_L ρ^(2L+2) for the rule with L+1 points
#: per direction on a facet of radius R at centroid distance d from a facet of radius R',
#: ρ = R / (d − R'); C_L bounds the worst of ~2500 random shape/orientation/distance samples
_LEVEL_C = np.array([3.0, 2.0, 0.5, 0.5, 0.5, 0.5])


def _gl01(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (x + 1.0), 0.5 * w


_GLX, _GLW = _gl01(_GL_OUTER)


# --------------------------------------------------------------------------------------------
# geometry
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FacetGeometry:
    """Per-facet geometry derived from points and facets.

    Attributes
    ----------
    poly : (nf, 4, 3) vertices, m (for a triangle the 4th row repeats the first)
    nv : (nf,) 3 or 4
    normals : (nf, 3) unit normals (right-hand rule)
    centroids : (nf, 3) area centroids, m
    areas : (nf,) m²
    radius : (nf,) largest centroid-to-vertex distance, m
    """

    poly: np.ndarray
    nv: np.ndarray
    normals: np.ndarray
    centroids: np.ndarray
    areas: np.ndarray
    radius: np.ndarray


def _as_facets(points, facets) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 3:
        raise InputError(f"points: expected an (n, 3) array in m, got shape {pts.shape}")
    if not np.all(np.isfinite(pts)):
        raise MeshError("points: contain NaN or infinite coordinates")
    fac = np.asarray(facets)
    if fac.ndim != 2 or fac.shape[1] not in (3, 4):
        raise InputError(f"facets: expected an (nf, 3) or (nf, 4) index array, got {fac.shape}")
    if fac.size and not np.issubdtype(fac.dtype, np.integer):
        raise InputError("facets: node indices must be integers")
    fac = fac.astype(np.int64)
    nv = np.full(fac.shape[0], fac.shape[1], dtype=np.int64)
    if fac.shape[1] == 4:
        nv[fac[:, 3] < 0] = 3
    used = fac[:, :3] if fac.shape[1] == 3 else np.where(fac < 0, 0, fac)
    if fac.size and (used.min() < 0 or used.max() >= pts.shape[0]):
        raise MeshError(f"facets: node index out of range [0, {pts.shape[0]})")
    return pts, fac, nv


def facet_geometry(points, facets) -> FacetGeometry:
    """Areas, normals, centroids and radii of tri3/quad4 facets.

    Parameters
    ----------
    points : (n, 3) coordinates, m
    facets : (nf, 3) or (nf, 4) node indices (a negative 4th index marks a triangle)

    Raises
    ------
    MeshError
        For zero-area, non-planar or non-convex facets.
    """
    pts, fac, nv = _as_facets(points, facets)
    nf = fac.shape[0]
    poly = np.zeros((nf, 4, 3))
    poly[:, :3] = pts[fac[:, :3]]
    quad = nv == 4
    if np.any(quad):
        poly[quad, 3] = pts[fac[quad, 3]]
    poly[~quad, 3] = poly[~quad, 0]
    # Newell normal: 0.5 Σ x_k × x_{k+1} over the closed polygon (triangle: 4th = 1st)
    nxt = np.roll(poly, -1, axis=1)
    nvec = 0.5 * np.cross(poly, nxt).sum(axis=1)
    areas = np.linalg.norm(nvec, axis=1)
    scale = np.linalg.norm(poly.max(axis=1) - poly.min(axis=1), axis=1)
    bad = areas <= 1e-14 * np.maximum(scale, 1e-300) ** 2
    if np.any(bad):
        raise MeshError(f"facets: {int(bad.sum())} facet(s) of zero area, first index "
                        f"{int(np.flatnonzero(bad)[0])}")
    normals = nvec / areas[:, None]
    # area centroid by fan triangles from vertex 0
    cen = np.zeros((nf, 3))
    for a, b in ((1, 2), (2, 3)):
        ta = 0.5 * np.einsum("ij,ij->i", np.cross(poly[:, a] - poly[:, 0],
                                                  poly[:, b] - poly[:, 0]), normals)
        if b == 3:
            ta = np.where(quad, ta, 0.0)
        cen += ta[:, None] * (poly[:, 0] + poly[:, a] + poly[:, b]) / 3.0
    cen /= areas[:, None]
    if np.any(quad):
        q = np.flatnonzero(quad)
        off = np.abs(np.einsum("ikj,ij->ik", poly[q] - cen[q, None, :], normals[q]))
        nonplanar = off.max(axis=1) > 1e-6 * scale[q]
        if np.any(nonplanar):
            raise MeshError(f"facets: {int(nonplanar.sum())} quad facet(s) not planar (first "
                            f"index {int(q[np.flatnonzero(nonplanar)[0]])}); split them into "
                            "triangles")
        e = np.roll(poly[q], -1, axis=1) - poly[q]
        turn = np.einsum("ikj,ij->ik", np.cross(e, np.roll(e, -1, axis=1)), normals[q])
        concave = turn.min(axis=1) < -1e-12 * scale[q] ** 2    # collapsed corners are fine
        if np.any(concave):
            raise MeshError(f"facets: {int(concave.sum())} quad facet(s) not convex (first "
                            f"index {int(q[np.flatnonzero(concave)[0]])})")
    radius = np.linalg.norm(poly - cen[:, None, :], axis=2).max(axis=1)
    return FacetGeometry(poly, nv, normals, cen, areas, radius)


def _facet_rules(g: FacetGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Gauss points (nf, L, K, 3) and weights (nf, L, K) of every facet (Σ weights = area, m²).

    Level ``L`` has ``(L+1)²`` points: tensor Gauss–Legendre on the bilinear map of a quad,
    the collapsed (Duffy) tensor rule on a triangle (its centroid for L = 0).
    """
    nf = g.nv.shape[0]
    kmax = _N_LEVELS * _N_LEVELS
    qp = np.zeros((nf, _N_LEVELS, kmax, 3))
    qw = np.zeros((nf, _N_LEVELS, kmax))
    quad = g.nv == 4
    tri = ~quad
    P = g.poly
    for L in range(_N_LEVELS):
        n = L + 1
        x, w = _gl01(n)
        xi, eta = np.meshgrid(x, x, indexing="ij")
        wij = np.outer(w, w).ravel()
        xi = xi.ravel()
        eta = eta.ravel()
        k = n * n
        if np.any(quad):
            Q = P[quad]
            N = np.stack([(1 - xi) * (1 - eta), xi * (1 - eta), xi * eta, (1 - xi) * eta], 1)
            dxi = np.stack([-(1 - eta), (1 - eta), eta, -eta], 1)
            deta = np.stack([-(1 - xi), -xi, xi, (1 - xi)], 1)
            pts = np.einsum("qa,fad->fqd", N, Q)
            jx = np.einsum("qa,fad->fqd", dxi, Q)
            je = np.einsum("qa,fad->fqd", deta, Q)
            jac = np.linalg.norm(np.cross(jx, je), axis=2)
            qp[quad, L, :k] = pts
            qw[quad, L, :k] = jac * wij[None, :]
        if np.any(tri):
            T = P[tri]
            if n == 1:
                qp[tri, L, 0] = g.centroids[tri]
                qw[tri, L, 0] = g.areas[tri]
            else:
                u = xi * (1 - eta)
                v = xi * eta
                pts = (T[:, None, 0] + u[None, :, None] * (T[:, None, 1] - T[:, None, 0])
                       + v[None, :, None] * (T[:, None, 2] - T[:, None, 0]))
                qp[tri, L, :k] = pts
                qw[tri, L, :k] = (2.0 * g.areas[tri])[:, None] * (wij * xi)[None, :]
    return qp, qw


# --------------------------------------------------------------------------------------------
# contour-integral kernels
# --------------------------------------------------------------------------------------------
@njit(cache=True)
def _antideriv_log(z, r):
    """H(z) with H'(z) = ln(z² + r²)."""
    if r > 0.0:
        return z * math.log(z * z + r * r) - 2.0 * z + 2.0 * r * math.atan(z / r)
    if z == 0.0:
        return 0.0
    return z * math.log(z * z) - 2.0 * z


@njit(cache=True)
def _antideriv2_log(z, h):
    """G(z) with G''(z) = ln(z² + h²)."""
    z2 = z * z
    if h > 0.0:
        return (0.5 * (z2 - h * h) * math.log(z2 + h * h) - 1.5 * z2
                + 2.0 * h * z * math.atan(z / h))
    if z == 0.0:
        return 0.0
    return 0.5 * z2 * math.log(z2) - 1.5 * z2


@njit(cache=True)
def _inner(px, py, pz, bx, by, bz, vx, vy, vz, vv):
    """∫₀¹ ln|p − (b + t v)|² dt, closed form."""
    wx = px - bx
    wy = py - by
    wz = pz - bz
    t0 = (wx * vx + wy * vy + wz * vz) / vv
    ex = wx - t0 * vx
    ey = wy - t0 * vy
    ez = wz - t0 * vz
    r = math.sqrt((ex * ex + ey * ey + ez * ez) / vv)
    return math.log(vv) + _antideriv_log(1.0 - t0, r) - _antideriv_log(-t0, r)


@njit(cache=True)
def _parallel_pair(ax, ay, az, ux, uy, uz, bx, by, bz, vx, vy, vz):
    """∫₀¹∫₀¹ ln|a + s u − b − t v|² ds dt for parallel (or collinear) u and v, closed form."""
    lu = math.sqrt(ux * ux + uy * uy + uz * uz)
    ex = ux / lu
    ey = uy / lu
    ez = uz / lu
    wx = bx - ax
    wy = by - ay
    wz = bz - az
    yb = wx * ex + wy * ey + wz * ez
    ye = yb + (vx * ex + vy * ey + vz * ez)
    y0 = min(yb, ye)
    y1 = max(yb, ye)
    ly = y1 - y0
    mx = wx + 0.5 * vx
    my = wy + 0.5 * vy
    mz = wz + 0.5 * vz
    mp = mx * ex + my * ey + mz * ez
    hx = mx - mp * ex
    hy = my - mp * ey
    hz = mz - mp * ez
    h = math.sqrt(hx * hx + hy * hy + hz * hz)
    val = (_antideriv2_log(lu - y0, h) - _antideriv2_log(-y0, h)
           - _antideriv2_log(lu - y1, h) + _antideriv2_log(-y1, h))
    return val / (lu * ly)


@njit(cache=True)
def _edge_pair(ax, ay, az, ux, uy, uz, bx, by, bz, vx, vy, vz, glx, glw):
    """∫₀¹∫₀¹ ln|a + s u − b − t v|² ds dt for two straight edges (m-based logarithm)."""
    uu = ux * ux + uy * uy + uz * uz
    vv = vx * vx + vy * vy + vz * vz
    if uu > vv:  # the integral is symmetric: integrate the shorter edge numerically
        ax, ay, az, bx, by, bz = bx, by, bz, ax, ay, az
        ux, uy, uz, vx, vy, vz = vx, vy, vz, ux, uy, uz
        uu, vv = vv, uu
    cx = uy * vz - uz * vy
    cy = uz * vx - ux * vz
    cz = ux * vy - uy * vx
    cross2 = cx * cx + cy * cy + cz * cz
    if cross2 <= 1e-18 * uu * vv:
        return _parallel_pair(ax, ay, az, ux, uy, uz, bx, by, bz, vx, vy, vz)
    uv = ux * vx + uy * vy + uz * vz
    # singular points (s, imaginary distance) of the inner integral as a function of s
    ss = np.empty(3)
    sg = np.empty(3)
    ns = 0
    for e in range(2):
        qx = bx + e * vx - ax
        qy = by + e * vy - ay
        qz = bz + e * vz - az
        s = (qx * ux + qy * uy + qz * uz) / uu
        dx = qx - s * ux
        dy = qy - s * uy
        dz = qz - s * uz
        ss[ns] = s
        sg[ns] = math.sqrt((dx * dx + dy * dy + dz * dz) / uu)
        ns += 1
    w0x = ax - bx
    w0y = ay - by
    w0z = az - bz
    d_ = ux * w0x + uy * w0y + uz * w0z
    e_ = vx * w0x + vy * w0y + vz * w0z
    den = uu * vv - uv * uv
    sc = (uv * e_ - vv * d_) / den
    tc = (uu * e_ - uv * d_) / den
    if tc >= 0.0 and tc <= 1.0:
        dx = w0x + sc * ux - tc * vx
        dy = w0y + sc * uy - tc * vy
        dz = w0z + sc * uz - tc * vz
        ss[ns] = sc
        sg[ns] = math.sqrt((dx * dx + dy * dy + dz * dz) * vv / cross2)
        ns += 1
    # adaptive panels on [0, 1]
    st_lo = np.empty(96)
    st_hi = np.empty(96)
    st_lo[0] = 0.0
    st_hi[0] = 1.0
    sp_ = 1
    total = 0.0
    panels = 0
    ng = glx.shape[0]
    while sp_ > 0:
        sp_ -= 1
        lo = st_lo[sp_]
        hi = st_hi[sp_]
        h = hi - lo
        dmin = np.inf
        split = -1.0
        for k in range(ns):
            s = ss[k]
            if s < lo:
                dx = lo - s
            elif s > hi:
                dx = s - hi
            else:
                dx = 0.0
                if s > lo + 1e-3 * h and s < hi - 1e-3 * h and sg[k] < 0.25 * h:
                    split = s
            dk = math.sqrt(dx * dx + sg[k] * sg[k])
            dmin = min(dmin, dk)
        if h <= _ETA * dmin or h < _H_MIN or sp_ >= 94 or panels >= _MAX_PANELS:
            acc = 0.0
            for q in range(ng):
                s = lo + h * glx[q]
                acc += glw[q] * _inner(ax + s * ux, ay + s * uy, az + s * uz,
                                       bx, by, bz, vx, vy, vz, vv)
            total += h * acc
            panels += 1
        else:
            if split < 0.0:
                split = 0.5 * (lo + hi)
            st_lo[sp_] = lo
            st_hi[sp_] = split
            st_lo[sp_ + 1] = split
            st_hi[sp_ + 1] = hi
            sp_ += 2
    return total


@njit(cache=True)
def _contour(P, nP, Q, nQ, glx, glw):
    """Exchange area (m²) between planar polygons P and Q facing each other (contour form)."""
    total = 0.0
    for a in range(nP):
        a2 = a + 1 if a + 1 < nP else 0
        ux = P[a2, 0] - P[a, 0]
        uy = P[a2, 1] - P[a, 1]
        uz = P[a2, 2] - P[a, 2]
        uu = ux * ux + uy * uy + uz * uz
        if uu == 0.0:
            continue
        for b in range(nQ):
            b2 = b + 1 if b + 1 < nQ else 0
            vx = Q[b2, 0] - Q[b, 0]
            vy = Q[b2, 1] - Q[b, 1]
            vz = Q[b2, 2] - Q[b, 2]
            vv = vx * vx + vy * vy + vz * vz
            if vv == 0.0:
                continue
            uv = ux * vx + uy * vy + uz * vz
            if abs(uv) <= 1e-14 * math.sqrt(uu * vv):
                continue
            total += uv * _edge_pair(P[a, 0], P[a, 1], P[a, 2], ux, uy, uz,
                                     Q[b, 0], Q[b, 1], Q[b, 2], vx, vy, vz, glx, glw)
    g = total / (4.0 * math.pi)
    return max(0.0, g)


@njit(cache=True)
def _clip(src, n, nx, ny, nz, cx, cy, cz, tol, dst):
    """Part of polygon ``src`` on or in front of the plane (n, c); returns the vertex count."""
    m = 0
    for k in range(n):
        k2 = k + 1 if k + 1 < n else 0
        d0 = nx * (src[k, 0] - cx) + ny * (src[k, 1] - cy) + nz * (src[k, 2] - cz)
        d1 = nx * (src[k2, 0] - cx) + ny * (src[k2, 1] - cy) + nz * (src[k2, 2] - cz)
        if abs(d0) <= tol:
            d0 = 0.0
        if abs(d1) <= tol:
            d1 = 0.0
        if d0 >= 0.0:
            dst[m, 0] = src[k, 0]
            dst[m, 1] = src[k, 1]
            dst[m, 2] = src[k, 2]
            m += 1
        if (d0 > 0.0 and d1 < 0.0) or (d0 < 0.0 and d1 > 0.0):
            f = d0 / (d0 - d1)
            dst[m, 0] = src[k, 0] + f * (src[k2, 0] - src[k, 0])
            dst[m, 1] = src[k, 1] + f * (src[k2, 1] - src[k, 1])
            dst[m, 2] = src[k, 2] + f * (src[k2, 2] - src[k, 2])
            m += 1
    return m


@njit(cache=True)
def _poly_centroid(P, n, out):
    """Area centroid of a planar polygon (fan from vertex 0); returns the area (m²)."""
    sx = 0.0
    sy = 0.0
    sz = 0.0
    atot = 0.0
    for k in range(1, n - 1):
        ax = P[k, 0] - P[0, 0]
        ay = P[k, 1] - P[0, 1]
        az = P[k, 2] - P[0, 2]
        bx = P[k + 1, 0] - P[0, 0]
        by = P[k + 1, 1] - P[0, 1]
        bz = P[k + 1, 2] - P[0, 2]
        cx = ay * bz - az * by
        cy = az * bx - ax * bz
        cz = ax * by - ay * bx
        a = 0.5 * math.sqrt(cx * cx + cy * cy + cz * cz)
        atot += a
        sx += a * (P[0, 0] + P[k, 0] + P[k + 1, 0]) / 3.0
        sy += a * (P[0, 1] + P[k, 1] + P[k + 1, 1]) / 3.0
        sz += a * (P[0, 2] + P[k, 2] + P[k + 1, 2]) / 3.0
    if atot > 0.0:
        out[0] = sx / atot
        out[1] = sy / atot
        out[2] = sz / atot
    return atot


# --------------------------------------------------------------------------------------------
# far-field quadrature
# --------------------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _area_pair(xi, wi, ni, n1, xj, wj, nj, n2):
    """Exchange area (m²) by the double-area integral with the given point sets."""
    s = 0.0
    for a in range(ni):
        for b in range(nj):
            rx = xj[b, 0] - xi[a, 0]
            ry = xj[b, 1] - xi[a, 1]
            rz = xj[b, 2] - xi[a, 2]
            r2 = rx * rx + ry * ry + rz * rz
            ci = n1[0] * rx + n1[1] * ry + n1[2] * rz
            cj = -(n2[0] * rx + n2[1] * ry + n2[2] * rz)
            if ci > 0.0 and cj > 0.0:
                s += wi[a] * wj[b] * ci * cj / (r2 * r2)
    return s / math.pi


@njit(cache=True, inline="always")
def _choose_level(ratio, rtol, level_c):
    """Smallest rule level L with C_L ratio^(2L+2) <= rtol, or -1."""
    q = ratio * ratio
    p = q
    for L in range(level_c.shape[0]):
        if level_c[L] * p <= rtol:
            return L
        p *= q
    return -1


# --------------------------------------------------------------------------------------------
# pair candidates and the pair loop
# --------------------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _facing(i, j, poly, nv, normals, cent, radius):
    """0: culled (facing away), 1: both fully in front of each other, 2: needs clipping."""
    tol = 1e-10 * (radius[i] + radius[j])
    status = 1
    for side in range(2):
        a = i if side == 0 else j
        b = j if side == 0 else i
        s = (normals[a, 0] * (cent[b, 0] - cent[a, 0]) + normals[a, 1] * (cent[b, 1] - cent[a, 1])
             + normals[a, 2] * (cent[b, 2] - cent[a, 2]))
        if s + radius[b] <= tol:
            return 0
        if s - radius[b] >= -tol:
            continue
        dmax = -np.inf
        dmin = np.inf
        for k in range(nv[b]):
            d = (normals[a, 0] * (poly[b, k, 0] - cent[a, 0])
                 + normals[a, 1] * (poly[b, k, 1] - cent[a, 1])
                 + normals[a, 2] * (poly[b, k, 2] - cent[a, 2]))
            dmax = max(dmax, d)
            dmin = min(dmin, d)
        if dmax <= tol:
            return 0
        if dmin < -tol:
            status = 2
    return status


@njit(parallel=True, cache=True)
def _count_candidates(poly, nv, normals, cent, radius, rows):
    nf = poly.shape[0]
    counts = np.zeros(nf, dtype=np.int64)
    nr = rows.shape[0]
    half = (nr + 1) // 2
    for kk in prange(half):
        k = np.int64(kk)
        for side in range(2):
            r = k
            if side == 1:
                r = nr - 1 - k
                if r == k:
                    break
            i = rows[r]
            c = 0
            for j in range(i + 1, nf):
                if _facing(i, j, poly, nv, normals, cent, radius) > 0:
                    c += 1
            counts[i] = c
    return counts


@njit(parallel=True, cache=True)
def _fill_candidates(poly, nv, normals, cent, radius, rows, offsets, pi, pj, pst):
    nf = poly.shape[0]
    nr = rows.shape[0]
    half = (nr + 1) // 2
    for kk in prange(half):
        k = np.int64(kk)
        for side in range(2):
            r = k
            if side == 1:
                r = nr - 1 - k
                if r == k:
                    break
            i = rows[r]
            c = offsets[r]
            for j in range(i + 1, nf):
                st = _facing(i, j, poly, nv, normals, cent, radius)
                if st > 0:
                    pi[c] = i
                    pj[c] = j
                    pst[c] = st
                    c += 1


@njit(parallel=True, cache=True)
def _pair_exchange(pi, pj, pst, poly, nv, normals, cent, radius, areas, qp, qw,
                   rtol, near_factor, level_c, drop_below, obstruct,
                   bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
                   glx, glw):
    """Exchange area G (m²) of every candidate pair and the method used (0 area rule,
    1 contour, 2 blocked). Blocks of consecutive pairs are dealt to the tasks round-robin
    (balances the costly near pairs, which cluster, and keeps memory access local); each
    task has its own work buffers."""
    npair = pi.shape[0]
    out = np.zeros(npair)
    method = np.zeros(npair, dtype=np.int8)
    block = 256
    nblock = (npair + block - 1) // block
    ntask = min(nblock, 64)
    for task in prange(ntask):
        Pi = np.empty((_MAXV, 3))
        Pj = np.empty((_MAXV, 3))
        ci = np.empty(3)
        cj = np.empty(3)
        stack = np.empty(STACK_SIZE, dtype=np.int64)
        for b in range(task, nblock, ntask):
            for k in range(b * block, min(npair, (b + 1) * block)):
                i = pi[k]
                j = pj[k]
                for a in range(3):
                    ci[a] = cent[i, a]
                    cj[a] = cent[j, a]
                g = 0.0
                if pst[k] == 2:
                    # straddling pair: clip each to the half-space in front of the other
                    tol = 1e-10 * (radius[i] + radius[j])
                    mi = _clip(poly[i], nv[i], normals[j, 0], normals[j, 1], normals[j, 2],
                               cent[j, 0], cent[j, 1], cent[j, 2], tol, Pi)
                    mj = _clip(poly[j], nv[j], normals[i, 0], normals[i, 1], normals[i, 2],
                               cent[i, 0], cent[i, 1], cent[i, 2], tol, Pj)
                    if mi >= 3 and mj >= 3:
                        ai = _poly_centroid(Pi, mi, ci)
                        aj = _poly_centroid(Pj, mj, cj)
                        if ai > 1e-14 * areas[i] and aj > 1e-14 * areas[j]:
                            g = _contour(Pi, mi, Pj, mj, glx, glw)
                            method[k] = 1
                else:
                    dx = cent[j, 0] - cent[i, 0]
                    dy = cent[j, 1] - cent[i, 1]
                    dz = cent[j, 2] - cent[i, 2]
                    d = math.sqrt(dx * dx + dy * dy + dz * dz)
                    Li = -1
                    Lj = -1
                    if d > near_factor * (radius[i] + radius[j]) and d > radius[i] + radius[j]:
                        Li = _choose_level(radius[i] / (d - radius[j]), rtol, level_c)
                        Lj = _choose_level(radius[j] / (d - radius[i]), rtol, level_c)
                    if Li >= 0 and Lj >= 0:
                        g = _area_pair(qp[i, Li], qw[i, Li], (Li + 1) * (Li + 1), normals[i],
                                       qp[j, Lj], qw[j, Lj], (Lj + 1) * (Lj + 1), normals[j])
                    else:
                        g = _contour(poly[i], nv[i], poly[j], nv[j], glx, glw)
                        method[k] = 1
                if g <= 0.0:
                    continue
                if (obstruct and g >= drop_below * min(areas[i], areas[j])
                        and segment_blocked_buf(bmin, bmax, left, right, start, count, v0, e1,
                                                e2, tri_facet, ci[0], ci[1], ci[2],
                                                cj[0] - ci[0], cj[1] - ci[1], cj[2] - ci[2],
                                                i, j, 1e-9, 1.0 - 1e-9, stack)):
                    method[k] = 2
                    continue
                out[k] = g
    return out, method


@njit(cache=True)
def _contour_py(P, Q, glx, glw):
    return _contour(P, P.shape[0], Q, Q.shape[0], glx, glw)


def polygon_exchange_area(poly_i, poly_j) -> float:
    """Exchange area ``A_i F_ij`` (m²) between two planar polygons, by the contour integral.

    Both polygons must be planar, simple, ordered right-handed about the normal of the side
    they radiate from, and each entirely on or in front of the other's plane (no culling or
    clipping is done here). Any number of vertices.
    """
    P = np.ascontiguousarray(poly_i, dtype=np.float64)
    Q = np.ascontiguousarray(poly_j, dtype=np.float64)
    return float(_contour_py(P, Q, _GLX, _GLW))


def exchange_area(points, facets, i: int, j: int) -> float:
    """Exchange area ``A_i F_ij`` (m²) of two facets, unobstructed, culled and clipped, by the
    contour integral (the accurate reference path of :func:`view_factors`)."""
    g = facet_geometry(points, facets)
    st = _facing(i, j, g.poly, g.nv, g.normals, g.centroids, g.radius)
    if st == 0:
        return 0.0
    P = g.poly[i, :g.nv[i]]
    Q = g.poly[j, :g.nv[j]]
    if st == 2:
        tol = 1e-10 * (g.radius[i] + g.radius[j])
        Pi = np.empty((_MAXV, 3))
        Pj = np.empty((_MAXV, 3))
        mi = _clip(g.poly[i], g.nv[i], *g.normals[j], *g.centroids[j], tol, Pi)
        mj = _clip(g.poly[j], g.nv[j], *g.normals[i], *g.centroids[i], tol, Pj)
        if mi < 3 or mj < 3:
            return 0.0
        P, Q = Pi[:mi], Pj[:mj]
    return polygon_exchange_area(P, Q)


# --------------------------------------------------------------------------------------------
# closure
# --------------------------------------------------------------------------------------------
def enforce_closure(G: sp.csr_matrix, areas: np.ndarray, rows: np.ndarray,
                    tol: float = 1e-13, max_iter: int = 5000) -> tuple[sp.csr_matrix, int]:
    """Scale the symmetric exchange-area matrix so that rows in ``rows`` sum to their area.

    ``G ← S G S`` with ``S = diag(s)``, ``s_i = 1`` outside ``rows``; iterated as
    ``s_i ← s_i (A_i / Σ_j s_i G_ij s_j)^(1/2)`` (symmetric Sinkhorn–Knopp). Keeps symmetry
    (reciprocity), non-negativity and the sparsity pattern.

    Parameters
    ----------
    G : symmetric exchange areas A_i F_ij, m²
    areas : (nf,) facet areas, m²
    rows : (nf,) bool, facets whose view factors must sum to one
    tol : relative row-sum tolerance

    Raises
    ------
    MeshError
        When a row to close sums to less than 0.5 or more than 1.5 before correction (the
        enclosure is open or inside out), or to zero.

    Returns
    -------
    (G_corrected, iterations)
    """
    rows = np.asarray(rows, dtype=bool)
    s = np.ones(G.shape[0])
    rowsum = np.asarray(G.sum(axis=1)).ravel()
    empty = rows & (rowsum <= 0.0)
    if np.any(empty):
        raise MeshError(f"enclosure: {int(empty.sum())} facet(s) see no other facet (first "
                        f"index {int(np.flatnonzero(empty)[0])}); the enclosure is not closed")
    off = rows & ((rowsum < 0.5 * areas) | (rowsum > 1.5 * areas))
    if np.any(off):
        k = int(np.flatnonzero(off)[0])
        raise MeshError(f"enclosure: {int(off.sum())} facet(s) have view factors summing far "
                        f"from one (facet {k}: {rowsum[k] / areas[k]:.3f}); the enclosure is "
                        "not closed or its normals do not point inwards")
    it = 0
    err = 0.0
    for it in range(1, max_iter + 1):
        rs = s * (G @ s)
        err = np.max(np.abs(rs[rows] / areas[rows] - 1.0)) if np.any(rows) else 0.0
        if err <= tol:
            break
        upd = np.sqrt(areas[rows] / rs[rows])
        s[rows] *= upd
    if err > max(tol, 1e-9):
        raise SolverError(f"enclosure: closure correction did not converge in {max_iter} "
                          f"iterations (row-sum error {err:.2e})")
    S = sp.diags(s)
    Gc = (S @ G @ S).tocsr()
    Gc = ((Gc + Gc.T) * 0.5).tocsr()
    Gc.sort_indices()
    return Gc, it


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
@dataclass
class ViewFactors:
    """View factors of a facet set.

    Attributes
    ----------
    F : (nf, nf) scipy CSR, ``F[i, j]`` = fraction of the radiation leaving facet i that
        reaches facet j directly
    areas : (nf,) facet areas, m²
    normals : (nf, 3) unit normals
    centroids : (nf, 3) facet centroids, m
    to_space : (nf,) ``1 − Σ_j F_ij``, the view factor to space (includes dropped factors)
    enclosure : (nf,) bool, rows whose closure was enforced
    stats : timings (s) and counts of the computation (empty when loaded from cache)
    """

    F: sp.csr_matrix
    areas: np.ndarray
    normals: np.ndarray
    centroids: np.ndarray
    to_space: np.ndarray
    enclosure: np.ndarray
    stats: dict = field(default_factory=dict)

    @property
    def n_facets(self) -> int:
        return int(self.areas.shape[0])

    def exchange_areas(self) -> sp.csr_matrix:
        """``A_i F_ij`` as CSR, m² (symmetric)."""
        return sp.diags(self.areas) @ self.F

    def reciprocity_error(self) -> float:
        """Largest ``|A_i F_ij − A_j F_ji| / (A_i F_ij)`` over nonzero entries."""
        G = self.exchange_areas().tocsr()
        if G.nnz == 0:
            return 0.0
        D = abs(G - G.T).tocsr()
        ref = abs(G).maximum(abs(G.T)).tocsr()
        D = D.multiply(ref.power(-1)) if D.nnz else D
        return float(D.max()) if D.nnz else 0.0

    def closure_error(self, rows: np.ndarray | None = None) -> float:
        """Largest ``|1 − Σ_j F_ij|`` over ``rows`` (default: the enclosure rows, or all)."""
        if rows is None:
            rows = self.enclosure if np.any(self.enclosure) else np.ones(self.n_facets, bool)
        rs = np.asarray(self.F.sum(axis=1)).ravel()
        r = np.asarray(rows)
        return float(np.max(np.abs(1.0 - rs[r]))) if rs[r].size else 0.0

    def group_factor(self, group_a, group_b) -> float:
        """View factor from facet group A to group B, ``Σ A_i F_ij / Σ A_i`` (i∈A, j∈B)."""
        a = np.asarray(group_a)
        b = np.asarray(group_b)
        G = self.exchange_areas().tocsr()
        return float(G[a][:, b].sum() / self.areas[a].sum())


def _as_rows(enclosure, nf: int) -> np.ndarray:
    if enclosure is None or enclosure is False:
        return np.zeros(nf, dtype=bool)
    if enclosure is True:
        return np.ones(nf, dtype=bool)
    e = np.asarray(enclosure)
    if e.dtype == bool:
        if e.shape != (nf,):
            raise InputError(f"enclosure: boolean mask of shape {e.shape}, expected ({nf},)")
        return e.copy()
    rows = np.zeros(nf, dtype=bool)
    idx = e.astype(np.int64).ravel()
    if idx.size and (idx.min() < 0 or idx.max() >= nf):
        raise InputError(f"enclosure: facet index out of range [0, {nf})")
    rows[idx] = True
    return rows


def _compute(points, facets, *, obstruction: bool, drop_below: float, rtol: float,
             near_factor: float, chunk_pairs: int) -> tuple[sp.csr_matrix, FacetGeometry, dict]:
    t0 = time.perf_counter()
    g = facet_geometry(points, facets)
    nf = g.areas.shape[0]
    qp, qw = _facet_rules(g)
    if obstruction:
        _, fac, nv = _as_facets(points, facets)
        tri, owner = triangulate_facets(points, fac, nv)
        bvh = build_bvh(tri, owner)
    else:
        bvh = build_bvh(np.zeros((0, 3, 3)), np.zeros(0, dtype=np.int64))
    t1 = time.perf_counter()
    rows = np.arange(nf, dtype=np.int64)
    counts = _count_candidates(g.poly, g.nv, g.normals, g.centroids, g.radius, rows)
    t2 = time.perf_counter()
    keep_i, keep_j, keep_g = [], [], []
    n_cand = int(counts.sum())
    n_contour = 0
    n_blocked = 0
    # chunks of rows with at most ~chunk_pairs candidate pairs each
    cum = np.cumsum(counts)
    bounds = [0]
    while bounds[-1] < nf:
        base = cum[bounds[-1] - 1] if bounds[-1] > 0 else 0
        nxt = int(np.searchsorted(cum, base + chunk_pairs, side="right"))
        bounds.append(max(nxt, bounds[-1] + 1) if nxt < nf else nf)
    glx, glw = _GLX, _GLW
    for r0, r1 in itertools.pairwise(bounds):
        rws = rows[r0:r1]
        c = counts[r0:r1]
        offs = np.concatenate([[0], np.cumsum(c)[:-1]]).astype(np.int64)
        m = int(c.sum())
        if m == 0:
            continue
        pi = np.empty(m, dtype=np.int32)
        pj = np.empty(m, dtype=np.int32)
        pst = np.empty(m, dtype=np.int8)
        _fill_candidates(g.poly, g.nv, g.normals, g.centroids, g.radius, rws, offs, pi, pj, pst)
        gv, meth = _pair_exchange(pi, pj, pst, g.poly, g.nv, g.normals, g.centroids, g.radius,
                                  g.areas, qp, qw, rtol, near_factor, _LEVEL_C, drop_below,
                                  obstruction, *bvh.arrays(), glx, glw)
        n_contour += int(np.count_nonzero(meth == 1))
        n_blocked += int(np.count_nonzero(meth == 2))
        keep = gv >= drop_below * np.minimum(g.areas[pi], g.areas[pj])
        keep &= gv > 0.0
        keep_i.append(pi[keep])
        keep_j.append(pj[keep])
        keep_g.append(gv[keep])
    t3 = time.perf_counter()
    I = np.concatenate(keep_i) if keep_i else np.zeros(0, np.int32)
    J = np.concatenate(keep_j) if keep_j else np.zeros(0, np.int32)
    V = np.concatenate(keep_g) if keep_g else np.zeros(0)
    # pairs come ordered by row i, then j > i: the upper triangle is CSR as it stands
    indptr = np.zeros(nf + 1, dtype=np.int64)
    np.cumsum(np.bincount(I, minlength=nf), out=indptr[1:])
    U = sp.csr_matrix((V, J.astype(np.int32), indptr), shape=(nf, nf))
    G = (U + U.T.tocsr()).tocsr()
    G.sort_indices()
    stats = {"n_facets": nf, "n_candidate_pairs": n_cand, "n_contour_pairs": n_contour,
             "n_blocked_pairs": n_blocked, "n_kept_pairs": int(V.size),
             "setup_s": t1 - t0, "culling_s": t2 - t1, "integration_s": t3 - t2}
    return G, g, stats


def view_factors(points, facets, *, obstruction: bool = True, drop_below: float = 1e-12,
                 cache_dir=None, use_cache: bool = True, enclosure=None, rtol: float = 1e-8,
                 near_factor: float = 1.5, chunk_pairs: int = 2_000_000) -> ViewFactors:
    """View factors between planar facets.

    Parameters
    ----------
    points : (n, 3) node coordinates, m
    facets : (nf, 3) tri3 or (nf, 4) quad4 node indices, right-hand order about the radiating
        side (in a 4-column array a negative 4th index marks a triangle)
    obstruction : cast a centroid-to-centroid ray per pair through a BVH of all facets
    drop_below : drop pairs whose ``F_ij`` and ``F_ji`` are both below this; the dropped part
        goes to space
    cache_dir : directory of the ``.npz`` cache (default ``~/.cache/thermosat/viewfactors`` or
        ``$THERMOSAT_CACHE_DIR/viewfactors``); ``use_cache=False`` bypasses it
    enclosure : ``True`` (all facets form a closed enclosure), a boolean mask or an index array
        of facets whose rows must sum to one; ``None``/``False`` for an open geometry
    rtol : target error of the far-field quadrature per pair, relative to the pair's scale
        ``A_i A_j / (π d²)`` (d: centroid distance); pairs where no Gauss rule up to 6 × 6
        meets it use the contour integral (accurate to ~1e-12 for near pairs)
    near_factor : pairs with centroid distance below ``near_factor·(R_i + R_j)`` (R: facet
        radius) use the contour integral
    chunk_pairs : candidate pairs processed per batch (bounds the memory)

    Returns
    -------
    ViewFactors
    """
    if not (drop_below >= 0.0):
        raise InputError(f"drop_below: must be >= 0, got {drop_below}")
    if not (rtol > 0.0):
        raise InputError(f"rtol: must be > 0, got {rtol}")
    from thermosat.radiation import vf_cache

    params = {"obstruction": bool(obstruction), "drop_below": float(drop_below),
              "rtol": float(rtol), "near_factor": float(near_factor)}
    pts_arr = np.ascontiguousarray(points, dtype=np.float64)
    fac_arr = np.ascontiguousarray(facets)
    nf = fac_arr.shape[0] if fac_arr.ndim == 2 else 0
    rows = _as_rows(enclosure, nf)
    key = None
    if use_cache:
        key = vf_cache.geometry_key(pts_arr, fac_arr, {**params, "enclosure": rows,
                                                       "version": ALGORITHM_VERSION})
        hit = vf_cache.load(key, cache_dir)
        if hit is not None:
            return hit
    G, g, stats = _compute(pts_arr, fac_arr, obstruction=obstruction, drop_below=drop_below,
                           rtol=rtol, near_factor=near_factor, chunk_pairs=chunk_pairs)
    if np.any(rows):
        t = time.perf_counter()
        raw = np.asarray(G.sum(axis=1)).ravel() / g.areas
        stats["closure_error_raw"] = float(np.max(np.abs(1.0 - raw[rows])))
        G, it = enforce_closure(G, g.areas, rows)
        stats["closure_iterations"] = it
        stats["closure_s"] = time.perf_counter() - t
    F = (sp.diags(1.0 / g.areas) @ G).tocsr()
    F.sort_indices()
    to_space = 1.0 - np.asarray(F.sum(axis=1)).ravel()
    vf = ViewFactors(F=F, areas=g.areas, normals=g.normals, centroids=g.centroids,
                     to_space=to_space, enclosure=rows, stats=stats)
    if use_cache and key is not None:
        vf_cache.save(key, vf, cache_dir)
    return vf


def stack_facets(*parts) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Concatenate facet sets ``(points, facets)`` into one.

    Facets must all have the same number of columns (3 or 4). Returns ``(points, facets,
    groups)`` where ``groups[k]`` are the facet indices of part ``k``.
    """
    pts, facs, groups = [], [], []
    n_p = 0
    n_f = 0
    for p, f in parts:
        p = np.asarray(p, dtype=np.float64)
        f = np.asarray(f, dtype=np.int64)
        pts.append(p)
        facs.append(np.where(f >= 0, f + n_p, f))
        groups.append(np.arange(n_f, n_f + f.shape[0]))
        n_p += p.shape[0]
        n_f += f.shape[0]
    return np.concatenate(pts), np.concatenate(facs), groups
