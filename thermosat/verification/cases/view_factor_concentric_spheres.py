"""Self view factor of the outer of two concentric spheres, with obstruction (docs/references.md §8 case 15).

Problem
-------
Spheres of radius 1 m and 2 m, the inner one convex and opaque, the outer one seen from
inside. Every outer facet sees the rest of the outer sphere partly hidden by the inner one:
partial obstruction is the rule, not the exception, so this is the convergence test of
the multi-ray visible fraction of :func:`thermosat.radiation.view_factors`.

Reference
---------
The inner sphere sees only the outer one (F_io = 1), so by reciprocity
F_oi = A_i/A_o = (1/2)² and, by closure, F_oo = 1 − (1/2)² = 0.75 (Siegel & Howell,
*Thermal Radiation Heat Transfer*, 6th ed., enclosure algebra; Howell's catalog). The meshes
are icospheres of the same level scaled by 1 and 2 (:func:`thermosat.radiation.shapes.
icosphere`), exact scalings of each other, so A_i/A_o = 1/4 holds for the polyhedra too and
0.75 is exact for every mesh.

Computed
--------
``F_oo`` from the view-factor integration with obstruction by the inner sphere (kernel-
weighted visible fraction of ``m⁴`` rays per pair, ``m = obstruction_points``), *before*
the closure step: after closure F_oo is 0.75 by algebra (the inner rows close to one, the
inner sphere does not see itself), so only the raw value measures the integration. The
rows give it for one centroid ray per pair (m = 1, the former all-or-nothing shadowing: the
error changes sign under refinement) and for 2 × 2 Gauss points per facet (m = 2, 16 rays
per pair, the default; the reported value is its finest mesh). On every row the closure
step of the front door (:func:`thermosat.radiation.closure.enforce_closure` on the
enclosure rows, as :func:`thermosat.radiation.view_factors` with ``enclosure=True`` does) is
then applied and checked: reciprocity exact (``A_i F_ij = A_j F_ji`` to rounding), every row
sum within 1e-6 of one and none above 1 + 1e-6; a row that fails these checks makes the case
fail. Tolerance 3e-3 relative.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from thermosat.radiation import stack_facets
from thermosat.radiation.closure import enforce_closure
from thermosat.radiation.shapes import icosphere
from thermosat.radiation.viewfactors import _compute
from thermosat.verification.case import CaseResult

NAME = "view_factor_concentric_spheres"

REFERENCE = 1.0 - 0.5 ** 2
LEVELS = (0, 1, 2)
RAYS = (1, 2)            # obstruction_points; the last one is the reported series


def spheres(level: int):
    """Inner sphere (normals out) and outer sphere (normals in) of icosphere ``level``."""
    return stack_facets(icosphere(level, 1.0), icosphere(level, 2.0, inward=True))


def compute(level: int, points: int) -> dict:
    """One row: raw and closed F_oo, closure and reciprocity of the closed matrix."""
    pts, fac, (gi, go) = spheres(level)
    # the front door's integration step (view_factors → _compute), then its closure step
    G, g, stats = _compute(pts, fac, obstruction=True, drop_below=1e-12, rtol=1e-8,
                           near_factor=1.5, chunk_pairs=2_000_000, obstruction_points=points)
    A = g.areas
    raw_rows = np.asarray(G.sum(axis=1)).ravel() / A
    f_raw = float(G[go][:, go].sum() / A[go].sum())
    Gc, _ = enforce_closure(G, A, np.ones(A.size, dtype=bool))
    F = sp.diags(1.0 / A) @ Gc
    rows = np.asarray(F.sum(axis=1)).ravel()
    asym = abs(Gc - Gc.T).max()
    return {"series": f"{points ** 4} ray{'s' if points > 1 else ''} per pair", "level": level, "h": float(
        np.sqrt(A[go].mean())), "facets": int(A.size), "rays_per_pair": points ** 4,
        "computed": f_raw, "rel_error": abs(f_raw - REFERENCE) / REFERENCE,
        "raw_row_sum_min": float(raw_rows.min()), "raw_row_sum_max": float(raw_rows.max()),
        "partly_blocked_pairs": stats["n_partly_blocked_pairs"],
        "closed_F_oo": float(Gc[go][:, go].sum() / A[go].sum()),
        "closure_error": float(np.max(np.abs(rows - 1.0))),
        "row_sum_max": float(rows.max()),
        "reciprocity_error": float(asym / max(Gc.max(), 1e-300))}


def check(row: dict) -> None:
    """The closed enclosure must be reciprocal, and its rows sum to one, never above."""
    if not (row["reciprocity_error"] <= 1e-12 and row["closure_error"] <= 1e-6
            and row["row_sum_max"] <= 1.0 + 1e-6):
        raise RuntimeError(f"closed view factors fail reciprocity/closure on level "
                           f"{row['level']}: {row}")


def run() -> CaseResult:
    rows = []
    for m in RAYS:
        for level in LEVELS:
            row = compute(level, m)
            check(row)
            rows.append(row)
    return CaseResult(
        name=NAME, reference=REFERENCE, computed=rows[-1]["computed"], tolerance=3e-3,
        source=("concentric spheres r = 1, 2: F_oo = 1 − (r_i/r_o)² (Siegel & Howell, Thermal "
                "Radiation Heat Transfer, reciprocity and closure; Howell's catalog)"),
        unit="-", meshes=rows)


if __name__ == "__main__":
    res = run()
    for row in res.meshes:
        print(row)
    print(res)
