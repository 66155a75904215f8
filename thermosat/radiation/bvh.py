"""Bounding-volume hierarchy over triangles and any-hit segment queries (Numba).

Used for obstruction (shadowing) in view-factor computations: a facet pair is blocked when
the segment between two points on the facets crosses any other triangle of the scene.

The tree is a binary BVH of axis-aligned boxes built top-down by median split along the
longest axis of the triangle-centroid bounds (leaves of at most ``LEAF_SIZE`` triangles).
Construction and traversal are Numba-compiled (``cache=True``); traversal is an explicit-stack
any-hit query that stops at the first hit, so it can run inside a ``prange`` loop.

Coordinates are in m. Triangles carry the index of the facet they come from so that a query
can ignore the two facets whose exchange is being tested.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

__all__ = [
    "BVH",
    "LEAF_SIZE",
    "STACK_SIZE",
    "build_bvh",
    "first_hit_buf",
    "segment_blocked",
    "segment_blocked_buf",
    "segments_blocked",
    "triangulate_facets",
]

#: maximum number of triangles in a leaf
LEAF_SIZE = 4
#: traversal stack length (the median-split tree depth is log2(n_tri / LEAF_SIZE) + 1)
STACK_SIZE = 64


@dataclass(frozen=True)
class BVH:
    """A flattened BVH (all arrays contiguous, indices int64).

    Attributes
    ----------
    bmin, bmax : (n_nodes, 3) node boxes, m
    left, right : (n_nodes,) child node indices (-1 for a leaf)
    start, count : (n_nodes,) range of a leaf in the triangle arrays
    v0, e1, e2 : (n_tri, 3) triangle first vertex and edge vectors, in tree order, m
    tri_facet : (n_tri,) index of the facet each triangle belongs to
    """

    bmin: np.ndarray
    bmax: np.ndarray
    left: np.ndarray
    right: np.ndarray
    start: np.ndarray
    count: np.ndarray
    v0: np.ndarray
    e1: np.ndarray
    e2: np.ndarray
    tri_facet: np.ndarray

    @property
    def n_nodes(self) -> int:
        return int(self.left.shape[0])

    @property
    def n_triangles(self) -> int:
        return int(self.v0.shape[0])

    def arrays(self) -> tuple:
        """The arrays in the order the Numba kernels take them."""
        return (self.bmin, self.bmax, self.left, self.right, self.start, self.count,
                self.v0, self.e1, self.e2, self.tri_facet)


def triangulate_facets(points: np.ndarray, facets: np.ndarray,
                       n_vertices: np.ndarray | None = None):
    """Split tri3/quad4 facets into triangles.

    Parameters
    ----------
    points : (n, 3) coordinates, m
    facets : (nf, 3) or (nf, 4) node indices; in a 4-column array a negative last index marks
        a triangle
    n_vertices : optional (nf,) vertex count of each facet (3 or 4)

    Returns
    -------
    tri : (nt, 3, 3) triangle vertices, m
    tri_facet : (nt,) int64 facet index of each triangle
    """
    pts = np.asarray(points, dtype=np.float64)
    fac = np.asarray(facets, dtype=np.int64)
    if n_vertices is None:
        n_vertices = np.full(fac.shape[0], fac.shape[1], dtype=np.int64)
        if fac.shape[1] == 4:
            n_vertices[fac[:, 3] < 0] = 3
    n_vertices = np.asarray(n_vertices)
    idx_all = np.arange(fac.shape[0])
    tris = [pts[fac[:, [0, 1, 2]]]]
    owners = [idx_all]
    quad = n_vertices == 4
    if np.any(quad):
        tris.append(pts[fac[quad][:, [0, 2, 3]]])
        owners.append(idx_all[quad])
    return np.concatenate(tris, axis=0), np.concatenate(owners).astype(np.int64)


def build_bvh(triangles: np.ndarray, tri_facet: np.ndarray) -> BVH:
    """Build a BVH over triangles.

    Parameters
    ----------
    triangles : (nt, 3, 3) triangle vertices, m
    tri_facet : (nt,) facet index of each triangle

    Returns
    -------
    BVH
    """
    tri = np.ascontiguousarray(triangles, dtype=np.float64)
    owner = np.ascontiguousarray(tri_facet, dtype=np.int64)
    if tri.shape[0] == 0:
        z3 = np.zeros((0, 3))
        zi = np.zeros(0, dtype=np.int64)
        return BVH(z3, z3, zi, zi, zi, zi, z3, z3, z3, zi)
    bmin, bmax, left, right, start, count, order = _build(tri)
    t = tri[order]
    return BVH(bmin, bmax, left, right, start, count,
               np.ascontiguousarray(t[:, 0]), np.ascontiguousarray(t[:, 1] - t[:, 0]),
               np.ascontiguousarray(t[:, 2] - t[:, 0]), np.ascontiguousarray(owner[order]))


@njit(cache=True)
def _build(tri):
    nt = tri.shape[0]
    cen = np.empty((nt, 3))
    lo = np.empty((nt, 3))
    hi = np.empty((nt, 3))
    for k in range(nt):
        for a in range(3):
            x0 = tri[k, 0, a]
            x1 = tri[k, 1, a]
            x2 = tri[k, 2, a]
            cen[k, a] = (x0 + x1 + x2) / 3.0
            lo[k, a] = min(x0, min(x1, x2))
            hi[k, a] = max(x0, max(x1, x2))
    max_nodes = 2 * nt + 1
    bmin = np.empty((max_nodes, 3))
    bmax = np.empty((max_nodes, 3))
    left = -np.ones(max_nodes, dtype=np.int64)
    right = -np.ones(max_nodes, dtype=np.int64)
    start = np.zeros(max_nodes, dtype=np.int64)
    count = np.zeros(max_nodes, dtype=np.int64)
    order = np.arange(nt)
    stack = np.empty(max_nodes, dtype=np.int64)
    n_nodes = 1
    start[0] = 0
    count[0] = nt
    sp = 0
    stack[sp] = 0
    sp += 1
    while sp > 0:
        sp -= 1
        node = stack[sp]
        s = start[node]
        c = count[node]
        cmin = np.full(3, np.inf)
        cmax = np.full(3, -np.inf)
        for a in range(3):
            bmin[node, a] = np.inf
            bmax[node, a] = -np.inf
        for k in range(s, s + c):
            t = order[k]
            for a in range(3):
                bmin[node, a] = min(bmin[node, a], lo[t, a])
                bmax[node, a] = max(bmax[node, a], hi[t, a])
                cmin[a] = min(cmin[a], cen[t, a])
                cmax[a] = max(cmax[a], cen[t, a])
        if c <= LEAF_SIZE:
            continue
        axis = 0
        ext = cmax[0] - cmin[0]
        for a in range(1, 3):
            if cmax[a] - cmin[a] > ext:
                ext = cmax[a] - cmin[a]
                axis = a
        sub = order[s:s + c].copy()
        keys = np.empty(c)
        for k in range(c):
            keys[k] = cen[sub[k], axis]
        perm = np.argsort(keys, kind="mergesort")
        for k in range(c):
            order[s + k] = sub[perm[k]]
        half = c // 2
        lc = n_nodes
        rc = n_nodes + 1
        n_nodes += 2
        start[lc] = s
        count[lc] = half
        start[rc] = s + half
        count[rc] = c - half
        left[node] = lc
        right[node] = rc
        stack[sp] = lc
        sp += 1
        stack[sp] = rc
        sp += 1
    # pad the boxes so that the (edge-inclusive) triangle test, not the box test, decides
    # grazing hits: the result must not depend on the tree layout
    pad = 1e-12 * np.sqrt(np.sum((bmax[0] - bmin[0]) ** 2)) + 1e-300
    for node in range(n_nodes):
        for a in range(3):
            bmin[node, a] -= pad
            bmax[node, a] += pad
    return (bmin[:n_nodes].copy(), bmax[:n_nodes].copy(), left[:n_nodes].copy(),
            right[:n_nodes].copy(), start[:n_nodes].copy(), count[:n_nodes].copy(), order)


@njit(cache=True, inline="always")
def _box_hit(bmin, bmax, node, ox, oy, oz, ix, iy, iz, tmin, tmax):
    t0 = (bmin[node, 0] - ox) * ix
    t1 = (bmax[node, 0] - ox) * ix
    lo = min(t0, t1)
    hi = max(t0, t1)
    t0 = (bmin[node, 1] - oy) * iy
    t1 = (bmax[node, 1] - oy) * iy
    lo = max(lo, min(t0, t1))
    hi = min(hi, max(t0, t1))
    t0 = (bmin[node, 2] - oz) * iz
    t1 = (bmax[node, 2] - oz) * iz
    lo = max(lo, min(t0, t1))
    hi = min(hi, max(t0, t1))
    return hi >= max(lo, tmin) and lo <= tmax


@njit(cache=True, inline="always")
def _safe_inv(d):
    if abs(d) < 1e-300:
        return 1e300 if d >= 0.0 else -1e300
    return 1.0 / d


@njit(cache=True, inline="always")
def _triangle_t(v0, e1, e2, k, ox, oy, oz, dx, dy, dz, dn):
    """Ray parameter ``t`` at which ``o + t d`` meets triangle ``k`` (Möller–Trumbore, edges
    inclusive), or −inf when it misses or runs parallel to it."""
    eps = 1e-10
    ax = e1[k, 0]
    ay = e1[k, 1]
    az = e1[k, 2]
    bx = e2[k, 0]
    by = e2[k, 1]
    bz = e2[k, 2]
    px = dy * bz - dz * by
    py = dz * bx - dx * bz
    pz = dx * by - dy * bx
    det = ax * px + ay * py + az * pz
    scale = dn * np.sqrt(ax * ax + ay * ay + az * az) * np.sqrt(bx * bx + by * by + bz * bz)
    if abs(det) <= 1e-13 * scale:
        return -np.inf
    inv = 1.0 / det
    tx = ox - v0[k, 0]
    ty = oy - v0[k, 1]
    tz = oz - v0[k, 2]
    u = (tx * px + ty * py + tz * pz) * inv
    if u < -eps or u > 1.0 + eps:
        return -np.inf
    qx = ty * az - tz * ay
    qy = tz * ax - tx * az
    qz = tx * ay - ty * ax
    v = (dx * qx + dy * qy + dz * qz) * inv
    if v < -eps or u + v > 1.0 + eps:
        return -np.inf
    return (bx * qx + by * qy + bz * qz) * inv


@njit(cache=True)
def segment_blocked(bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
                    ox, oy, oz, dx, dy, dz, skip_a, skip_b, tmin, tmax):
    """Whether the segment ``o + t d``, ``tmin < t < tmax``, crosses a triangle.

    Triangles of facets ``skip_a`` and ``skip_b`` are ignored. Coordinates in m; ``t`` is the
    fraction of ``d``. Edges count as hits (inclusive barycentric test), so a segment through
    a seam between two triangles is blocked.
    """
    stack = np.empty(STACK_SIZE, dtype=np.int64)
    return segment_blocked_buf(bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
                               ox, oy, oz, dx, dy, dz, skip_a, skip_b, tmin, tmax, stack)


@njit(cache=True)
def _traverse(bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
              ox, oy, oz, dx, dy, dz, skip_a, skip_b, tmin, tmax, stack, any_hit):
    """Triangles met by ``o + t d``, ``tmin < t < tmax``, ignoring facets ``skip_a`` and
    ``skip_b``: with ``any_hit`` the first found (stops there), else the nearest (boxes beyond
    the nearest so far are not visited). Returns (facet, t), or (−1, tmax) if none."""
    best_f = -1
    best_t = tmax
    if left.shape[0] == 0:
        return best_f, best_t
    ix = _safe_inv(dx)
    iy = _safe_inv(dy)
    iz = _safe_inv(dz)
    dn = np.sqrt(dx * dx + dy * dy + dz * dz)
    stack[0] = 0
    sp = 1
    while sp > 0:
        sp -= 1
        node = stack[sp]
        if not _box_hit(bmin, bmax, node, ox, oy, oz, ix, iy, iz, tmin, best_t):
            continue
        if left[node] >= 0:
            stack[sp] = left[node]
            stack[sp + 1] = right[node]
            sp += 2
            continue
        for k in range(start[node], start[node] + count[node]):
            f = tri_facet[k]
            if f == skip_a or f == skip_b:
                continue
            t = _triangle_t(v0, e1, e2, k, ox, oy, oz, dx, dy, dz, dn)
            if t > tmin and t < best_t:
                best_t = t
                best_f = f
                if any_hit:
                    return best_f, best_t
    return best_f, best_t


@njit(cache=True)
def segment_blocked_buf(bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
                        ox, oy, oz, dx, dy, dz, skip_a, skip_b, tmin, tmax, stack):
    """:func:`segment_blocked` with a caller-provided int64 traversal stack (no allocation)."""
    f, _ = _traverse(bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
                     ox, oy, oz, dx, dy, dz, skip_a, skip_b, tmin, tmax, stack, True)
    return f >= 0


@njit(cache=True)
def first_hit_buf(bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
                  ox, oy, oz, dx, dy, dz, skip, tmax, stack):
    """Nearest triangle that the ray ``o + t d`` (``0 < t < tmax``, ``t`` in units of ``d``)
    meets, ignoring facet ``skip``: ``(facet index, t)``, or ``(-1, tmax)`` if none (hits
    closer than 1e-9 m are the ray's own start). Caller-provided int64 stack."""
    dn = np.sqrt(dx * dx + dy * dy + dz * dz)
    return _traverse(bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
                     ox, oy, oz, dx, dy, dz, skip, skip, 1e-9 / max(dn, 1e-300), tmax,
                     stack, False)


@njit(cache=True)
def segments_blocked(bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
                     p, q, skip_a, skip_b, tmin, tmax):
    """Vectorised :func:`segment_blocked` for segments ``p[k] -> q[k]`` (serial; for tests)."""
    n = p.shape[0]
    out = np.zeros(n, dtype=np.bool_)
    for k in range(n):
        out[k] = segment_blocked(bmin, bmax, left, right, start, count, v0, e1, e2, tri_facet,
                                 p[k, 0], p[k, 1], p[k, 2], q[k, 0] - p[k, 0],
                                 q[k, 1] - p[k, 1], q[k, 2] - p[k, 2], skip_a[k], skip_b[k],
                                 tmin, tmax)
    return out
