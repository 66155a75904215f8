"""Benchmark: full view-factor matrix of a ~10,000-facet satellite (bus box, solar wing,
two radiator panels), with obstruction, against pyviewfactor on a subset.

Geometry (m): a 2 × 2 × 2 bus box centred at the origin (outward normals, 20 × 20 quads per
face); a two-sided 8 × 2 solar wing in the z = 0 plane along +y (y from 1.2 to 9.2); two
two-sided radiator panels parallel to the bus side faces at x = ±1.5 (6 × 2 and 5 × 2).
10,000 quad facets in all.

The thermosat time is for the full matrix with BVH obstruction (Numba kernels compiled and
cached beforehand). pyviewfactor is timed on a random subset of facet pairs (its SA-30 kernel
per pair, no obstruction) and its full-matrix time is *estimated* as time per pair × the
number of pairs thermosat integrated; both codes' factors are compared on that subset.

Run: ``python scripts/bench_viewfactors.py``.
"""
from __future__ import annotations

import resource
import sys
import time

import numpy as np

from thermosat.mesh.generators import shell
from thermosat.radiation.viewfactors import (exchange_area, facet_geometry, stack_facets,
                                             view_factors)

__all__ = ["satellite_facets", "bench_viewfactors_10k", "main"]


def _two_sided(lx, ly, nx, ny, origin, normal, u_axis):
    m = shell(lx, ly, nx, ny, origin=origin, normal=normal, u_axis=u_axis)
    front = m.boundary("front").facets
    back = m.boundary("back").facets
    return [(m.points, front), (m.points, back)]


def satellite_facets(n_bus: int = 20, scale: int = 1):
    """Points (m), quad facets and named facet groups of the benchmark satellite.

    ``n_bus`` cells per bus-face edge; wing and radiators use the same cell size (0.1 m for the
    default); ``scale`` multiplies the cell counts of the appendages.
    """
    h = 2.0 / n_bus
    parts, names = [], []
    # bus: six faces of the cube [-1, 1]^3, normals outward
    for axis in range(3):
        for sgn in (-1.0, 1.0):
            normal = np.zeros(3)
            normal[axis] = sgn
            u = np.zeros(3)
            u[(axis + 1) % 3] = 1.0
            v = np.cross(normal, u)
            origin = sgn * normal * 1.0 * sgn * sgn - u - v
            origin = normal * 1.0 - u - v
            m = shell(2.0, 2.0, n_bus, n_bus, origin=origin, normal=normal, u_axis=u)
            parts.append((m.points, m.boundary("front").facets))
            names.append(f"bus{'-+'[sgn > 0]}{'xyz'[axis]}")
    nw = int(round(8.0 / h))
    parts += _two_sided(2.0, 8.0, n_bus * scale, nw * scale, (-1.0, 1.2, 0.0), (0, 0, 1), (1, 0, 0))
    names += ["wing_top", "wing_bottom"]
    n6 = int(round(6.0 / h))
    parts += _two_sided(6.0, 2.0, n6 * scale, n_bus * scale, (1.5, -3.0, -1.0), (1, 0, 0),
                        (0, 1, 0))
    names += ["rad1_out", "rad1_in"]
    n5 = int(round(5.0 / h))
    parts += _two_sided(5.0, 2.0, n5 * scale, n_bus * scale, (-1.5, 3.0, -1.0), (-1, 0, 0),
                        (0, -1, 0))
    names += ["rad2_out", "rad2_in"]
    pts, fac, groups = stack_facets(*parts)
    return pts, fac, dict(zip(names, groups))


def _pyviewfactor_subset(points, facets, pairs):
    """pyviewfactor SA-30 factors F(j -> i) for the given pairs and the time per pair (s)."""
    import pyvista as pv
    import pyviewfactor as pvf

    def cell(k):
        return pv.PolyData(points[facets[k]], [4, 0, 1, 2, 3])

    # warm-up (Numba compile)
    pvf.compute_viewfactor(cell(pairs[0][0]), cell(pairs[0][1]))
    cells = {k: cell(k) for k in np.unique(pairs)}
    t = time.perf_counter()
    out = np.array([pvf.compute_viewfactor(cells[i], cells[j]) for i, j in pairs])
    return out, (time.perf_counter() - t) / len(pairs)


def bench_viewfactors_10k(n_subset: int = 300, seed: int = 0, cache_dir=None) -> dict:
    """Time the 10k-facet view-factor matrix and compare with pyviewfactor on a subset.

    Returns
    -------
    dict with ``facets``, ``unknowns`` (= facets), ``thermosat_s`` (full matrix with
    obstruction, compiled kernels), ``baseline`` ("pyviewfactor"), ``baseline_s`` (estimated:
    pyviewfactor time per pair on ``n_subset`` random integrated pairs × the number of pairs
    thermosat integrated), ``baseline_estimated`` (True), ``ratio`` (baseline_s /
    thermosat_s), ``max_rel_diff`` (largest relative difference of F on the unobstructed
    subset), ``reciprocity_error``, ``closure_error`` (largest row sum − 1, i.e. none may
    exceed one), ``peak_mem_bytes`` (process peak RSS), and the pair counts.
    """
    pts, fac, groups = satellite_facets()
    nf = fac.shape[0]
    # compile/warm the kernels on a small case (not timed)
    p0, f0, _ = satellite_facets(n_bus=2)
    view_factors(p0, f0, use_cache=False)
    t = time.perf_counter()
    vf = view_factors(pts, fac, use_cache=False)
    t_ts = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    # subset: random integrated (unblocked, kept) pairs i < j
    G = vf.exchange_areas().tocoo()
    upper = G.row < G.col
    rows, cols = G.row[upper], G.col[upper]
    rng = np.random.default_rng(seed)
    pick = rng.choice(rows.size, size=min(n_subset, rows.size), replace=False)
    pairs = np.stack([rows[pick], cols[pick]], axis=1)
    ours = np.asarray(vf.F[pairs[:, 1], pairs[:, 0]]).ravel()      # F(j -> i)
    theirs, per_pair = _pyviewfactor_subset(pts, fac, pairs)
    rel = np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-300)
    n_int = int(vf.stats["n_candidate_pairs"])
    # thermosat time per pair on the same subset (contour reference path, serial)
    t = time.perf_counter()
    for i, j in pairs[:50]:
        exchange_area(pts, fac, int(i), int(j))
    geo_t = time.perf_counter() - t
    g = facet_geometry(pts, fac)
    del g
    baseline_s = per_pair * n_int
    row_sum = np.asarray(vf.F.sum(axis=1)).ravel()
    return {
        "facets": nf,
        "unknowns": nf,
        "thermosat_s": t_ts,
        "thermosat_s_per_pair": t_ts / max(n_int, 1),
        "baseline": "pyviewfactor",
        "baseline_s": baseline_s,
        "baseline_s_per_pair": per_pair,
        "baseline_estimated": True,
        "baseline_note": (f"pyviewfactor {pvf_version()} compute_viewfactor timed on {len(pairs)} "
                          f"random pairs (no obstruction), × {n_int} candidate pairs"),
        "ratio": baseline_s / t_ts,
        "max_rel_diff": float(rel.max()),
        "median_rel_diff": float(np.median(rel)),
        "reciprocity_error": vf.reciprocity_error(),
        "closure_error": float(max(row_sum.max() - 1.0, 0.0)),
        "candidate_pairs": n_int,
        "contour_pairs": int(vf.stats["n_contour_pairs"]),
        "blocked_pairs": int(vf.stats["n_blocked_pairs"]),
        "kept_pairs": int(vf.stats["n_kept_pairs"]),
        "stats": vf.stats,
        "peak_mem_bytes": int(peak),
        "_exchange_area_check_s": geo_t,
    }


def pvf_version() -> str:
    try:
        import pyviewfactor
        return str(pyviewfactor.__version__)
    except ImportError:  # pragma: no cover
        return "missing"


def main(argv=None) -> int:
    r = bench_viewfactors_10k()
    print(f"facets                  {r['facets']}")
    print(f"thermosat full matrix   {r['thermosat_s']:.2f} s "
          f"({r['candidate_pairs']} candidate pairs, {r['contour_pairs']} by contour, "
          f"{r['blocked_pairs']} blocked, {r['kept_pairs']} kept)")
    print(f"  phases                " + ", ".join(f"{k} {v:.2f}" for k, v in r["stats"].items()
                                                  if k.endswith("_s")))
    print(f"thermosat per pair      {r['thermosat_s_per_pair'] * 1e6:.3f} us (incl. culling "
          "and obstruction)")
    print(f"pyviewfactor per pair   {r['baseline_s_per_pair'] * 1e6:.3f} us (timed subset)")
    print(f"pyviewfactor estimated  {r['baseline_s']:.1f} s  (ratio {r['ratio']:.1f}x)")
    print(f"max rel diff (subset)   {r['max_rel_diff']:.2e} (median {r['median_rel_diff']:.2e})")
    print(f"reciprocity error       {r['reciprocity_error']:.2e}")
    print(f"max row sum - 1         {r['closure_error']:.2e}")
    print(f"peak RSS                {r['peak_mem_bytes'] / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
