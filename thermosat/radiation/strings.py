"""View factors between the line segments of a 2D planar geometry (a cross-section of bodies
infinitely long in z), by Hottel's crossed-string rule, with clipping, obstruction and closure.

Geometry
--------
Segments ``p0 → p1`` in the xy plane (m). A segment radiates to the side of its normal
``n = (t_y, −t_x)`` (``t`` the unit direction): the right-hand normal of the strip the segment
sweeps along +z, so the convention is that of 3D facets; a domain boundary run
counter-clockwise radiates outward.

Exchange lengths
----------------
For two segments each wholly in front of the other and nothing between them, the exchange
length per unit depth is Hottel's crossed-string rule (Hottel & Sarofim 1967; Modest,
*Radiative Heat Transfer*, 3rd ed., §4.7)

    L_i F_ij = ½ [(crossed strings) − (uncrossed strings)]
             = ½ |(|p0_i p0_j| + |p1_i p1_j|) − (|p0_i p1_j| + |p1_i p0_j|)|

which is exact (it is the closed form of ``∫∫ cosθ_i cosθ_j / (2r) ds_i ds_j``), touching
segments included. A segment that straddles the other's line is first clipped to the part in
front of it (exact for the cosine-weighted kernel, which vanishes behind the line); pairs with
no part in front are culled.

Obstruction
-----------
Other segments hide parts of a pair's view. For a point x on segment i the view factor to j is
``½ ∫ cos φ dφ`` over the directions φ (from i's normal) towards j; the directions in which
another segment is nearer than j are found exactly, as angular intervals (each candidate
segment clipped to the front of i, its interval overlapped with j's, the nearer of the two
decided along the middle direction of the overlap; the union of the hidden intervals taken).
The hidden part ``½ Σ (sin φ_hi − sin φ_lo)`` is a continuous, piecewise smooth function of x;
it is integrated over i with ``m`` Gauss points and subtracted from the crossed-string value:

    L_i F_ij = (crossed strings) − L_i Σ_p w_p · hidden(x_p)

so unobstructed pairs stay exact, and a strip half hidden by a plate between two strips is
right to ~1e-11 with m = 4 (tests/test_surface_radiation.py). Only the segments inside the
pair's bounding box are candidates: O(n²·m·k) for k candidates, fine up to a few thousand
segments. Each pair is computed once and used both ways, so reciprocity is exact.

Closure
-------
``enclosure`` rows are scaled to sum to one and rows above one are capped, with the symmetric
Sinkhorn scaling of :func:`~thermosat.radiation.closure.enforce_closure` (keeps reciprocity).

Areas are lengths times the model ``depth`` (m; the plate thickness of the 2D model), so that
``A_i F_ij`` are exchange areas (m²) as for 3D facets.
"""
from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp
from numba import njit

from thermosat.common.errors import InputError, MeshError
from thermosat.radiation.closure import enforce_closure
from thermosat.radiation.facets import _gl01
from thermosat.radiation.vf_matrix import ViewFactors

__all__ = ["crossed_strings", "segment_view_factors"]

#: segments above which the all-pairs computation is refused (memory ~ n² / 2 entries)
MAX_SEGMENTS = 20000


@njit(cache=True)
def _crossed(ax, ay, bx, by, cx, cy, dx, dy):
    """Hottel's crossed strings: exchange length (m) of segments ab and cd facing each other."""
    ac = math.hypot(cx - ax, cy - ay)
    bd = math.hypot(dx - bx, dy - by)
    ad = math.hypot(dx - ax, dy - ay)
    bc = math.hypot(cx - bx, cy - by)
    return 0.5 * abs((ac + bd) - (ad + bc))


@njit(cache=True)
def _clip(ax, ay, bx, by, nx, ny, px, py, tol):
    """Part of segment ab on or in front of the line through p with normal n:
    (kept?, ax, ay, bx, by)."""
    da = nx * (ax - px) + ny * (ay - py)
    db = nx * (bx - px) + ny * (by - py)
    if abs(da) <= tol:
        da = 0.0
    if abs(db) <= tol:
        db = 0.0
    if da <= 0.0 and db <= 0.0:
        return False, ax, ay, bx, by
    if da >= 0.0 and db >= 0.0:
        return True, ax, ay, bx, by
    f = da / (da - db)
    qx = ax + f * (bx - ax)
    qy = ay + f * (by - ay)
    if da > 0.0:
        return True, ax, ay, qx, qy
    return True, qx, qy, bx, by


@njit(cache=True)
def _ray_distance(x, y, ux, uy, ex, ey, fx, fy):
    """Distance along the unit ray (x, y) + s (ux, uy) to the line of segment ef (inf if
    parallel)."""
    sx = fx - ex
    sy = fy - ey
    den = ux * sy - uy * sx
    if den == 0.0:
        return np.inf
    return ((ex - x) * sy - (ey - y) * sx) / den


@njit(cache=True)
def _shadow(x, y, tx, ty, nx, ny, cx, cy, dx, dy, P0, P1, cand, nc, px, py, tol,
            lo_buf, hi_buf):
    """The view factor from the point (x, y) on a segment (tangent t, normal n) to the
    segment cd that other segments hide: ½ ∫ cos φ dφ over the directions towards cd in which
    a candidate segment is nearer (φ from the normal; exact angular intervals)."""
    ac = math.atan2((cx - x) * tx + (cy - y) * ty, max((cx - x) * nx + (cy - y) * ny, 0.0))
    ad = math.atan2((dx - x) * tx + (dy - y) * ty, max((dx - x) * nx + (dy - y) * ny, 0.0))
    jlo = min(ac, ad)
    jhi = max(ac, ad)
    if jhi - jlo <= 1e-14:
        return 0.0
    nb = 0
    for c in range(nc):
        k = cand[c]
        ok, ex, ey, fx, fy = _clip(P0[k, 0], P0[k, 1], P1[k, 0], P1[k, 1], nx, ny, px, py, tol)
        if not ok:
            continue
        ae = math.atan2((ex - x) * tx + (ey - y) * ty, max((ex - x) * nx + (ey - y) * ny, 0.0))
        af = math.atan2((fx - x) * tx + (fy - y) * ty, max((fx - x) * nx + (fy - y) * ny, 0.0))
        lo = max(min(ae, af), jlo)
        hi = min(max(ae, af), jhi)
        if hi - lo <= 1e-14:
            continue
        mid = 0.5 * (lo + hi)
        ux = math.cos(mid) * nx + math.sin(mid) * tx
        uy = math.cos(mid) * ny + math.sin(mid) * ty
        if _ray_distance(x, y, ux, uy, ex, ey, fx, fy) < _ray_distance(x, y, ux, uy,
                                                                       cx, cy, dx, dy):
            lo_buf[nb] = lo
            hi_buf[nb] = hi
            nb += 1
    if nb == 0:
        return 0.0
    # union of the hidden intervals (insertion sort by start; few intervals)
    for a in range(1, nb):
        lo = lo_buf[a]
        hi = hi_buf[a]
        b = a - 1
        while b >= 0 and lo_buf[b] > lo:
            lo_buf[b + 1] = lo_buf[b]
            hi_buf[b + 1] = hi_buf[b]
            b -= 1
        lo_buf[b + 1] = lo
        hi_buf[b + 1] = hi
    covered = 0.0
    cur_lo = lo_buf[0]
    cur_hi = hi_buf[0]
    for a in range(1, nb):
        if lo_buf[a] <= cur_hi:
            cur_hi = max(cur_hi, hi_buf[a])
        else:
            covered += math.sin(cur_hi) - math.sin(cur_lo)
            cur_lo = lo_buf[a]
            cur_hi = hi_buf[a]
    covered += math.sin(cur_hi) - math.sin(cur_lo)
    return 0.5 * covered


@njit(cache=True)
def _all_pairs(P0, P1, N, L, obstruct, glx, glw, I, J, G):
    """Exchange lengths (m) of every facing pair i < j into (I, J, G); returns the count and the
    number of pairs that had candidate blockers."""
    n = P0.shape[0]
    m = glx.shape[0]
    cand = np.empty(n, np.int64)
    lo_buf = np.empty(n)
    hi_buf = np.empty(n)
    cnt = 0
    tested = 0
    for i in range(n):
        for j in range(i + 1, n):
            tol = 1e-10 * (L[i] + L[j])
            ok, cx, cy, dx, dy = _clip(P0[j, 0], P0[j, 1], P1[j, 0], P1[j, 1],
                                       N[i, 0], N[i, 1], P0[i, 0], P0[i, 1], tol)
            if not ok:
                continue
            ok, ax, ay, bx, by = _clip(P0[i, 0], P0[i, 1], P1[i, 0], P1[i, 1],
                                       N[j, 0], N[j, 1], P0[j, 0], P0[j, 1], tol)
            if not ok:
                continue
            g = _crossed(ax, ay, bx, by, cx, cy, dx, dy)
            if g <= 0.0:
                continue
            if obstruct:
                # candidate blockers: segments whose box meets the pair's box
                xlo = min(min(ax, bx), min(cx, dx))
                xhi = max(max(ax, bx), max(cx, dx))
                ylo = min(min(ay, by), min(cy, dy))
                yhi = max(max(ay, by), max(cy, dy))
                nc = 0
                for k in range(n):
                    if k == i or k == j:
                        continue
                    if (max(P0[k, 0], P1[k, 0]) < xlo or min(P0[k, 0], P1[k, 0]) > xhi or
                            max(P0[k, 1], P1[k, 1]) < ylo or min(P0[k, 1], P1[k, 1]) > yhi):
                        continue
                    cand[nc] = k
                    nc += 1
                if nc > 0:
                    tested += 1
                    li = math.hypot(bx - ax, by - ay)
                    tx = (bx - ax) / li
                    ty = (by - ay) / li
                    blocked = 0.0
                    for p in range(m):
                        xp = ax + glx[p] * (bx - ax)
                        yp = ay + glx[p] * (by - ay)
                        blocked += glw[p] * _shadow(xp, yp, tx, ty, N[i, 0], N[i, 1],
                                                    cx, cy, dx, dy, P0, P1, cand, nc,
                                                    P0[i, 0], P0[i, 1], tol, lo_buf, hi_buf)
                    g -= li * blocked
                    if g <= 1e-15 * L[i]:
                        continue
            I[cnt] = i
            J[cnt] = j
            G[cnt] = g
            cnt += 1
    return cnt, tested


def _segments(points, segments) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    pts = np.asarray(points, dtype=np.float64)
    seg = np.asarray(segments)
    if pts.ndim != 2 or pts.shape[1] not in (2, 3):
        raise InputError(f"points: expected an (n, 2) or (n, 3) array in m, got {pts.shape}")
    if seg.ndim != 2 or seg.shape[1] != 2 or (seg.size and not np.issubdtype(seg.dtype,
                                                                            np.integer)):
        raise InputError(f"segments: expected an (nf, 2) integer array, got {seg.shape}")
    if seg.size and (seg.min() < 0 or seg.max() >= len(pts)):
        raise MeshError(f"segments: node index out of range [0, {len(pts)})")
    if pts.shape[1] == 3:
        scale = float(np.ptp(pts[:, :2], axis=0).max()) if len(pts) else 1.0
        if len(pts) and np.ptp(pts[:, 2]) > 1e-9 * max(scale, 1e-300):
            raise InputError("segments: a 2D planar geometry lies in one plane z = const")
    P0 = np.ascontiguousarray(pts[seg[:, 0], :2])
    P1 = np.ascontiguousarray(pts[seg[:, 1], :2])
    d = P1 - P0
    L = np.hypot(d[:, 0], d[:, 1])
    size = float(np.ptp(np.vstack([P0, P1]), axis=0).max()) if len(seg) else 1.0
    if np.any(L <= 1e-12 * max(size, 1e-300)):
        raise MeshError(f"segments: {int((L <= 1e-12 * size).sum())} segment(s) of zero length")
    N = np.ascontiguousarray(np.stack([d[:, 1], -d[:, 0]], axis=1) / L[:, None])
    return P0, P1, N, L


def crossed_strings(p0, p1, q0, q1) -> float:
    """Exchange length ``L_i F_ij`` (m, per m of depth) of segments p0→p1 and q0→q1, clipped
    to the parts in front of each other, unobstructed (Hottel's crossed strings)."""
    pts = np.array([p0, p1, q0, q1], float)
    P0, P1, N, L = _segments(pts, np.array([[0, 1], [2, 3]]))
    I = np.zeros(1, np.int64)
    J = np.zeros(1, np.int64)
    G = np.zeros(1)
    glx, glw = _gl01(1)
    cnt, _ = _all_pairs(P0, P1, N, L, False, glx, glw, I, J, G)
    return float(G[0]) if cnt else 0.0


def segment_view_factors(points, segments, *, depth_m: float = 1.0, obstruction: bool = True,
                         obstruction_points: int = 4, enclosure=None,
                         drop_below: float = 1e-12) -> ViewFactors:
    """Diffuse view factors between the segments of a 2D planar geometry.

    Parameters
    ----------
    points : (n, 2) or (n, 3) coordinates, m (3D points must lie in one plane z = const)
    segments : (nf, 2) node indices, ``p0 → p1`` radiating to the side ``(t_y, −t_x)``
    depth_m : depth of the slice (m): facet areas are length × depth
    obstruction : other segments hide parts of each pair's view (exact angular intervals)
    obstruction_points : Gauss points on a segment for the integral of its hidden view (1 … 8)
    enclosure : ``True``, a boolean mask or index array of segments whose rows must sum to
        one; ``None``/``False`` for an open geometry (the rest of each row goes to space)
    drop_below : pairs with both ``F_ij`` and ``F_ji`` below this are dropped (to space)

    Returns
    -------
    ViewFactors (areas m², normals and centroids in 3D with z = 0)
    """
    if not (np.isfinite(depth_m) and depth_m > 0):
        raise InputError(f"depth_m: {depth_m!r} m must be > 0")
    if int(obstruction_points) != obstruction_points or not 1 <= obstruction_points <= 8:
        raise InputError(f"obstruction_points: must be an integer 1 … 8, got "
                         f"{obstruction_points!r}")
    P0, P1, N, L = _segments(points, segments)
    n = len(L)
    if n > MAX_SEGMENTS:
        raise InputError(f"segments: {n} segments exceed the all-pairs limit {MAX_SEGMENTS}")
    from thermosat.radiation.viewfactors import _as_rows

    rows = _as_rows(enclosure, n)
    t0 = time.perf_counter()
    cap = n * (n - 1) // 2
    I = np.empty(cap, np.int64)
    J = np.empty(cap, np.int64)
    G = np.empty(cap)
    glx, glw = _gl01(int(obstruction_points))
    cnt, tested = _all_pairs(P0, P1, N, L, bool(obstruction), glx, glw, I, J, G)
    I, J, G = I[:cnt], J[:cnt], G[:cnt]
    keep = (G / L[I] >= drop_below) | (G / L[J] >= drop_below)
    I, J, G = I[keep], J[keep], G[keep] * depth_m
    areas = L * depth_m
    Gm = sp.coo_matrix((np.concatenate([G, G]), (np.concatenate([I, J]),
                                                 np.concatenate([J, I]))),
                       shape=(n, n)).tocsr()
    stats = {"n_facets": n, "n_pairs": int(len(G)), "n_pairs_with_blockers": int(tested),
             "pairs_s": time.perf_counter() - t0}
    raw = np.asarray(Gm.sum(axis=1)).ravel() / areas
    over = (~rows) & (raw > 1.0) if obstruction else np.zeros(n, dtype=bool)
    if np.any(rows) or np.any(over):
        if np.any(rows):
            stats["closure_error_raw"] = float(np.max(np.abs(1.0 - raw[rows])))
        stats["n_rows_capped"] = int(over.sum())
        Gm, it = enforce_closure(Gm, areas, rows | over)
        stats["closure_iterations"] = it
    F = (sp.diags(1.0 / areas) @ Gm).tocsr()
    F.sort_indices()
    to_space = 1.0 - np.asarray(F.sum(axis=1)).ravel()
    normals = np.zeros((n, 3))
    normals[:, :2] = N
    cen = np.zeros((n, 3))
    cen[:, :2] = 0.5 * (P0 + P1)
    return ViewFactors(F=F, areas=areas, normals=normals, centroids=cen, to_space=to_space,
                       enclosure=rows, stats=stats)
