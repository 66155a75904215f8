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
Each pair's unobstructed exchange area is scaled by its *visible fraction*: rays join the
``m × m`` Gauss points on one facet to the ``m × m`` on the other (``m = obstruction_points``,
``m⁴`` rays per pair), each weighted by the kernel ``cosθ_i cosθ_j /(π r²) dA_i dA_j`` it
stands for, and the fraction of the weight whose segment crosses no other facet (Numba BVH,
:mod:`.bvh`) is kept. A partly shadowed pair thus gets a partial exchange area, and the
shadow error falls with refinement instead of switching pairs all-or-nothing (with
``obstruction_points=1`` one centroid ray per pair, the former behaviour). The fraction is
the same from both sides (same rays), so reciprocity stays exact.

Post-processing
---------------
Pairs with both ``F_ij`` and ``F_ji`` below ``drop_below`` are dropped (their share goes to
space). For facets declared part of a closed ``enclosure`` the rows are scaled to sum to one
by symmetric diagonal scaling ``G ← S G S`` (a symmetric Sinkhorn iteration; keeps
reciprocity, non-negativity and the sparsity pattern; the correction is proportional to each
factor, as in least-squares view-factor smoothing with weights ∝ G). Rows outside the
enclosure whose sum comes out above one (quadrature or visible-fraction error; not physical)
are scaled to one in the same iteration (only with ``obstruction``: without it, overlapping
views through bodies legitimately sum above one). The rest ``1 − Σ_j F_ij`` is the view factor to space."""
from __future__ import annotations

import itertools
import time
import numpy as np
import scipy.sparse as sp

from thermosat.common.errors import InputError
from thermosat.radiation.bvh import build_bvh, triangulate_facets
from thermosat.radiation.facets import (_LEVEL_C, _MAXV, FacetGeometry, _as_facets, _facet_rules,
                                        facet_geometry, stack_facets)
from thermosat.radiation.contour import _GLW, _GLX, _clip, polygon_exchange_area
from thermosat.radiation.pairs import _count_candidates, _facing, _fill_candidates, _pair_exchange
from thermosat.radiation.closure import enforce_closure
from thermosat.radiation.vf_matrix import ALGORITHM_VERSION, ViewFactors

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
             near_factor: float, chunk_pairs: int, obstruction_points: int = 2) -> tuple[sp.csr_matrix, FacetGeometry, dict]:
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
    n_partial = 0
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
                                  obstruction, *bvh.arrays(), glx, glw,
                                  int(obstruction_points) - 1)
        n_contour += int(np.count_nonzero(meth == 1))
        n_blocked += int(np.count_nonzero(meth == 2))
        n_partial += int(np.count_nonzero(meth == 3))
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
             "n_blocked_pairs": n_blocked, "n_partly_blocked_pairs": n_partial,
             "obstruction_rays_per_pair": int(obstruction_points) ** 4 if obstruction else 0,
             "n_kept_pairs": int(V.size),
             "setup_s": t1 - t0, "culling_s": t2 - t1, "integration_s": t3 - t2}
    return G, g, stats


def view_factors(points, facets, *, obstruction: bool = True, drop_below: float = 1e-12,
                 cache_dir=None, use_cache: bool = True, enclosure=None, rtol: float = 1e-8,
                 near_factor: float = 1.5, chunk_pairs: int = 2_000_000,
                 obstruction_points: int = 2) -> ViewFactors:
    """View factors between planar facets.

    Parameters
    ----------
    points : (n, 3) node coordinates, m
    facets : (nf, 3) tri3 or (nf, 4) quad4 node indices, right-hand order about the radiating
        side (in a 4-column array a negative 4th index marks a triangle)
    obstruction : scale each pair by its visible fraction (rays through a BVH of all facets)
    obstruction_points : Gauss points per direction on each facet that the obstruction rays
        join (1 … 6; ``obstruction_points⁴`` rays per pair; 1 is one centroid ray)
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
    if int(obstruction_points) != obstruction_points or not 1 <= obstruction_points <= 6:
        raise InputError(f"obstruction_points: must be an integer 1 … 6, got "
                         f"{obstruction_points}")
    from thermosat.radiation import vf_cache

    params = {"obstruction": bool(obstruction), "drop_below": float(drop_below),
              "rtol": float(rtol), "near_factor": float(near_factor),
              "obstruction_points": int(obstruction_points)}
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
                           rtol=rtol, near_factor=near_factor, chunk_pairs=chunk_pairs,
                           obstruction_points=int(obstruction_points))
    raw = np.asarray(G.sum(axis=1)).ravel() / g.areas
    over = (~rows) & (raw > 1.0) if obstruction else np.zeros(nf, dtype=bool)
    if np.any(rows) or np.any(over):
        t = time.perf_counter()
        if np.any(rows):
            stats["closure_error_raw"] = float(np.max(np.abs(1.0 - raw[rows])))
            stats["closure_raw_min"] = float(raw[rows].min())
            stats["closure_raw_max"] = float(raw[rows].max())
        stats["n_rows_capped"] = int(over.sum())
        G, it = enforce_closure(G, g.areas, rows | over)
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
