"""Benchmark: full view-factor matrix of a ~10,000-facet satellite (bus box, solar wing,
two radiator panels), with obstruction, against pyviewfactor on a subset.

Geometry (m): a 2 × 2 × 2 bus box centred at the origin (outward normals, 20 × 20 quads per
face); a two-sided 8 × 2 solar wing in the z = 0 plane along +y (y from 1 to 9, its root
on the +y bus face, so wing and bus facets touch); two
two-sided radiator panels parallel to the bus side faces at x = ±1.5 (6 × 2 and 5 × 2).
10,000 quad facets in all.

The thermosat time is for the full matrix with BVH obstruction (Numba kernels compiled and
cached beforehand). pyviewfactor's full-matrix pipeline is timed on the same satellite
meshed coarser (1,600 facets) and its 10k time is *estimated* from its time per candidate
pair; both codes' matrices are compared entry by entry on that model.

Run: ``python scripts/bench_viewfactors.py``.
"""
from __future__ import annotations

import resource
import sys
import time

import numpy as np

from thermosat.mesh.generators import shell
from thermosat.radiation.viewfactors import stack_facets, view_factors

__all__ = ["bench_viewfactors_10k", "main", "satellite_facets"]


def _two_sided(lx, ly, nx, ny, origin, normal, u_axis):
    m = shell(lx, ly, nx, ny, origin=origin, normal=normal, u_axis=u_axis)
    front = m.boundary("front").facets
    back = m.boundary("back").facets
    return [(m.points, front), (m.points, back)]


def satellite_facets(n_bus: int = 20):
    """Points (m), quad facets and named facet groups of the benchmark satellite.

    ``n_bus`` cells per bus-face edge (even); wing and radiators use the same cell size
    (0.1 m for the default, 10,000 facets).
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
            origin = normal - u - v
            m = shell(2.0, 2.0, n_bus, n_bus, origin=origin, normal=normal, u_axis=u)
            parts.append((m.points, m.boundary("front").facets))
            names.append(f"bus{'-+'[sgn > 0]}{'xyz'[axis]}")
    nw = round(8.0 / h)
    # wing root on the +y bus face (shares facet edges with it: touching pairs)
    parts += _two_sided(2.0, 8.0, n_bus, nw, (-1.0, 1.0, 0.0), (0, 0, 1), (1, 0, 0))
    names += ["wing_top", "wing_bottom"]
    n6 = round(6.0 / h)
    parts += _two_sided(6.0, 2.0, n6, n_bus, (1.5, -3.0, -1.0), (1, 0, 0), (0, 1, 0))
    names += ["rad1_out", "rad1_in"]
    n5 = round(5.0 / h)
    parts += _two_sided(5.0, 2.0, n5, n_bus, (-1.5, 3.0, -1.0), (-1, 0, 0), (0, -1, 0))
    names += ["rad2_out", "rad2_in"]
    pts, fac, groups = stack_facets(*parts)
    return pts, fac, dict(zip(names, groups))


def _touching(points, facets, i, j) -> np.ndarray:
    """Whether facets i[k] and j[k] share a vertex (by coordinates)."""
    a = points[facets[i]]
    b = points[facets[j]]
    d = np.linalg.norm(a[:, :, None, :] - b[:, None, :, :], axis=3)
    return d.min(axis=(1, 2)) < 1e-12


def _polydata(points, facets):
    import pyvista as pv

    cells = np.concatenate([np.r_[4, f] for f in facets])
    return pv.PolyData(points, cells)


def _time_pyviewfactor(points, facets) -> tuple[np.ndarray, float]:
    """pyviewfactor full matrix (its own visibility, BVH obstruction by the mesh itself and
    parallel SA-30 integration); returns ``F[i, j] = F(i → j)`` and the wall time (s)."""
    import pyviewfactor as pvf

    p0, f0, _ = satellite_facets(n_bus=2)                 # compile its Numba kernels
    m0 = _polydata(p0, f0)
    pvf.compute_viewfactor_matrix(m0, obstacles=[m0])
    mesh = _polydata(points, facets)
    t = time.perf_counter()
    F = pvf.compute_viewfactor_matrix(mesh, obstacles=[mesh])
    return F.T, time.perf_counter() - t


def bench_viewfactors_10k(subset_n_bus: int = 8) -> dict:
    """Time the 10k-facet view-factor matrix; compare with pyviewfactor on a smaller model.

    thermosat computes the full 10,000-facet matrix with obstruction (Numba kernels compiled
    and cached beforehand, as in any later run). pyviewfactor's full-matrix pipeline
    (``compute_viewfactor_matrix`` with the mesh as its own obstacle) needs dense N × N × 3
    work arrays, so it is timed on the same satellite meshed coarser (``subset_n_bus`` = 8:
    1,600 facets) and its 10k time is *estimated* as its time per candidate pair × the 10k
    candidate-pair count. Both codes run on that 1,600-facet model and their matrices are
    compared entry by entry.

    Returns
    -------
    dict with ``facets`` and ``unknowns`` (both 10,000), ``thermosat_s`` (wall, 10k, with
    obstruction), ``thermosat_cpu_s``, ``baseline`` ("pyviewfactor"), ``baseline_s``
    (estimated, see ``baseline_note``), ``baseline_estimated`` (True), ``ratio``
    (baseline_s / thermosat_s), per-pair times of both on the subset, ``subset_ratio``
    (measured on the subset), ``max_rel_diff`` (largest relative difference of the nonzero
    factors on the subset; also split into ``max_rel_diff_disjoint`` and
    ``max_rel_diff_touching``: pyviewfactor's fixed 30-point outer rule is less accurate for
    facets sharing an edge), ``blocking_mismatch`` (pairs one code blocks and the other does
    not), ``reciprocity_error``, ``max_row_sum_excess`` (largest Σ_j F_ij − 1, clipped at 0),
    ``peak_mem_bytes`` (process peak RSS after the thermosat 10k run) and pair counts.
    """
    pts, fac, _ = satellite_facets()
    nf = fac.shape[0]
    p0, f0, _ = satellite_facets(n_bus=2)
    view_factors(p0, f0, use_cache=False)                  # load/compile the kernels
    t, c = time.perf_counter(), time.process_time()
    vf = view_factors(pts, fac, use_cache=False)
    t_ts, c_ts = time.perf_counter() - t, time.process_time() - c
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    n_pairs = int(vf.stats["n_candidate_pairs"])
    row_sum = np.asarray(vf.F.sum(axis=1)).ravel()
    out = {
        "facets": nf,
        "unknowns": nf,
        "thermosat_s": t_ts,
        "thermosat_cpu_s": c_ts,
        "thermosat_s_per_pair": t_ts / max(n_pairs, 1),
        "candidate_pairs": n_pairs,
        "contour_pairs": int(vf.stats["n_contour_pairs"]),
        "blocked_pairs": int(vf.stats["n_blocked_pairs"]),
        "kept_pairs": int(vf.stats["n_kept_pairs"]),
        "phases_s": {k: v for k, v in vf.stats.items() if k.endswith("_s")},
        "reciprocity_error": vf.reciprocity_error(),
        "max_row_sum_excess": float(max(row_sum.max() - 1.0, 0.0)),
        "peak_mem_bytes": int(peak),
        "baseline": "pyviewfactor",
        "baseline_estimated": True,
    }
    ps, fs, _ = satellite_facets(n_bus=subset_n_bus)
    t = time.perf_counter()
    vs = view_factors(ps, fs, use_cache=False)
    t_sub = time.perf_counter() - t
    n_sub = int(vs.stats["n_candidate_pairs"])
    try:
        Fp, tp_sub = _time_pyviewfactor(ps, fs)
    except ImportError:
        out.update(baseline_s=None, ratio=None, max_rel_diff=None,
                   baseline_note="pyviewfactor not installed")
        return out
    Fo = vs.F.toarray()
    both = (Fo > 0) & (Fp > 0)
    rel = np.abs(Fo - Fp)[both] / Fo[both]
    touch = _touching(ps, fs, *np.nonzero(both))
    per_pair = tp_sub / n_sub
    out.update(
        baseline_s=per_pair * n_pairs,
        baseline_s_per_pair=per_pair,
        thermosat_subset_s_per_pair=t_sub / n_sub,
        subset_facets=int(fs.shape[0]),
        subset_thermosat_s=t_sub,
        subset_baseline_s=tp_sub,
        subset_ratio=tp_sub / t_sub,
        ratio=per_pair * n_pairs / t_ts,
        max_rel_diff=float(rel.max()) if rel.size else 0.0,
        median_rel_diff=float(np.median(rel)) if rel.size else 0.0,
        max_rel_diff_disjoint=float(rel[~touch].max()) if np.any(~touch) else 0.0,
        max_rel_diff_touching=float(rel[touch].max()) if np.any(touch) else 0.0,
        touching_pairs=int(np.count_nonzero(touch)),
        blocking_mismatch=int(np.count_nonzero((Fo > 0) != (Fp > 0))),
        baseline_note=(f"pyviewfactor {pvf_version()} compute_viewfactor_matrix (obstacle = "
                       f"the mesh) timed on the {fs.shape[0]}-facet model ({n_sub} candidate "
                       f"pairs), scaled by time per pair to the {n_pairs} pairs of the 10k "
                       "model: an estimate"),
    )
    return out


def pvf_version() -> str:
    try:
        import pyviewfactor
        return str(pyviewfactor.__version__)
    except ImportError:  # pragma: no cover
        return "missing"


def main(argv=None) -> int:
    r = bench_viewfactors_10k()
    ph = ", ".join(f"{k[:-2]} {v:.2f}" for k, v in r["phases_s"].items())
    print(f"facets                      {r['facets']}")
    print(f"thermosat full matrix       {r['thermosat_s']:.2f} s wall, {r['thermosat_cpu_s']:.2f} s "
          f"CPU ({ph})")
    print(f"  pairs                     {r['candidate_pairs']} candidates, {r['contour_pairs']} "
          f"by contour, {r['blocked_pairs']} blocked, {r['kept_pairs']} kept")
    print(f"reciprocity error           {r['reciprocity_error']:.2e}")
    print(f"max row sum - 1             {r['max_row_sum_excess']:.2e}")
    print(f"peak RSS                    {r['peak_mem_bytes'] / 2**20:.0f} MiB")
    if r.get("baseline_s") is None:
        print(f"baseline                    {r['baseline_note']}")
        return 0
    print(f"subset ({r['subset_facets']} facets)        thermosat {r['subset_thermosat_s']:.2f} s, "
          f"pyviewfactor {r['subset_baseline_s']:.2f} s (x{r['subset_ratio']:.1f})")
    print(f"time per pair               thermosat {r['thermosat_s_per_pair'] * 1e6:.2f} us (10k), "
          f"{r['thermosat_subset_s_per_pair'] * 1e6:.2f} us (subset); pyviewfactor "
          f"{r['baseline_s_per_pair'] * 1e6:.2f} us (subset)")
    print(f"pyviewfactor 10k (estimate) {r['baseline_s']:.0f} s  (x{r['ratio']:.1f})")
    print(f"agreement on subset         max rel diff {r['max_rel_diff']:.2e} (disjoint pairs "
          f"{r['max_rel_diff_disjoint']:.2e}, {r['touching_pairs']} touching pairs "
          f"{r['max_rel_diff_touching']:.2e}), median {r['median_rel_diff']:.2e}, blocking "
          f"mismatches {r['blocking_mismatch']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
