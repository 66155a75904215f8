"""The contour-integral exchange area of two planar polygons (Stokes; Mitalas & Stephenson
1966): inner integral in closed form, outer Gauss-Legendre panels refined towards the
singular points, parallel edge pairs in closed form; polygon clipping to a half-space."""
from __future__ import annotations

import math
import numpy as np
from numba import njit

from thermosat.radiation.facets import _gl01


_GL_OUTER = 8        # Gauss points per panel of the contour outer integral


_ETA = 1.0           # panel length <= _ETA * distance to the nearest singularity


_H_MIN = 1e-7        # smallest panel (edge parameter units)


_MAX_PANELS = 400


_GLX, _GLW = _gl01(_GL_OUTER)


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
