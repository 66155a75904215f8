"""Planar facets for view factors: geometry (areas, normals, centroids, radii), the
per-facet Gauss rules of the far-field area integral, and stacking facet sets into one."""
from __future__ import annotations

from dataclasses import dataclass
import numpy as np

from thermosat.common.errors import InputError, MeshError


_MAXV = 8            # polygon buffer (a quad clipped by one plane has at most 5 vertices)


_N_LEVELS = 6        # far-field Gauss rules: 1..6 points per direction


#: far-field error model: |ΔG| / (A_i A_j / (π d²)) ≈ C_L ρ^(2L+2) for the rule with L+1 points
#: per direction on a facet of radius R at centroid distance d from a facet of radius R',
#: ρ = R / (d − R'); C_L bounds the worst of ~2500 random shape/orientation/distance samples
_LEVEL_C = np.array([3.0, 2.0, 0.5, 0.5, 0.5, 0.5])


def _gl01(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (x + 1.0), 0.5 * w


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
