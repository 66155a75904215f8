"""Closed-form-friendly test geometries as facet sets: icospheres and cylinders/disks.

Used by the validation cases and tests of the view factors and of the ray-traced
environment fluxes. Coordinates in m; normals follow the right-hand rule of the node order.
"""
from __future__ import annotations

import numpy as np

__all__ = ["icosphere", "disk", "cylinder_wall"]


def icosphere(level: int, radius: float = 1.0, *, inward: bool = False):
    """Triangulated sphere: the icosahedron with each triangle split in 4, ``level`` times,
    vertices projected onto the sphere (20·4^level triangles).

    Returns ``(points (n, 3), facets (nf, 3))``, normals outward (inward if ``inward``).
    Meshes of one level at different radii are exact scalings of each other, so their
    facet-area ratio is exactly the squared radius ratio.
    """
    t = (1.0 + 5.0 ** 0.5) / 2.0
    v = [(-1, t, 0), (1, t, 0), (-1, -t, 0), (1, -t, 0), (0, -1, t), (0, 1, t), (0, -1, -t),
         (0, 1, -t), (t, 0, -1), (t, 0, 1), (-t, 0, -1), (-t, 0, 1)]
    f = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4),
         (11, 10, 2), (10, 7, 6), (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8),
         (3, 8, 9), (4, 9, 5), (2, 4, 11), (6, 2, 10), (8, 6, 7), (9, 8, 1)]
    pts = [np.array(p, float) / np.linalg.norm(p) for p in v]
    fac = np.array(f, dtype=np.int64)
    for _ in range(int(level)):
        cache: dict = {}

        def mid(a, b):
            key = (min(a, b), max(a, b))
            if key not in cache:
                m = pts[a] + pts[b]
                pts.append(m / np.linalg.norm(m))
                cache[key] = len(pts) - 1
            return cache[key]

        new = []
        for a, b, c in fac:
            ab, bc, ca = mid(a, b), mid(b, c), mid(c, a)
            new += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
        fac = np.array(new, dtype=np.int64)
    P = np.array(pts) * float(radius)
    # orient outward
    n = np.cross(P[fac[:, 1]] - P[fac[:, 0]], P[fac[:, 2]] - P[fac[:, 0]])
    flip = np.einsum("ij,ij->i", n, P[fac].mean(axis=1)) < 0.0
    fac[flip] = fac[flip][:, ::-1]
    if inward:
        fac = fac[:, ::-1].copy()
    return P, np.ascontiguousarray(fac)


def disk(radius: float, n_radial: int, n_theta: int, *, z: float = 0.0, up: bool = True):
    """Flat disk of ``radius`` in the plane ``z``, polar quads (triangles at the centre) on
    ``n_radial`` rings × ``n_theta`` sectors; normal +z (``up``) or −z. The boundary is the
    inscribed ``n_theta``-gon. Returns ``(points, facets (nf, 4), -1 marking triangles)``."""
    r = np.linspace(0.0, radius, n_radial + 1)
    th = np.linspace(0.0, 2 * np.pi, n_theta, endpoint=False)
    pts = [np.array([0.0, 0.0, z])]
    for ri in r[1:]:
        pts += [np.array([ri * np.cos(a), ri * np.sin(a), z]) for a in th]
    P = np.array(pts)

    def idx(ring, k):
        return 1 + (ring - 1) * n_theta + (k % n_theta)

    fac = []
    for k in range(n_theta):
        fac.append((0, idx(1, k), idx(1, k + 1), -1))
    for ring in range(1, n_radial):
        for k in range(n_theta):
            fac.append((idx(ring, k), idx(ring + 1, k), idx(ring + 1, k + 1), idx(ring, k + 1)))
    F = np.array(fac, dtype=np.int64)
    if not up:
        tri = F[:, 3] < 0
        F[tri, :3] = F[tri, 2::-1]
        F[~tri] = F[~tri, ::-1]
    return P, F


def cylinder_wall(radius: float, z0: float, z1: float, n_theta: int, n_z: int, *,
                  inward: bool = True):
    """Lateral wall of the cylinder ``r = radius``, ``z0 ≤ z ≤ z1`` (vertices on the inscribed
    ``n_theta``-gon), quads; normals inward (default) or outward."""
    th = np.linspace(0.0, 2 * np.pi, n_theta, endpoint=False)
    zs = np.linspace(z0, z1, n_z + 1)
    P = np.array([[radius * np.cos(a), radius * np.sin(a), zz] for zz in zs for a in th])
    fac = []
    for i in range(n_z):
        for k in range(n_theta):
            a = i * n_theta + k
            b = i * n_theta + (k + 1) % n_theta
            fac.append((a, b, b + n_theta, a + n_theta))    # outward normal
    F = np.array(fac, dtype=np.int64)
    if inward:
        F = F[:, ::-1].copy()
    return P, np.ascontiguousarray(F)
