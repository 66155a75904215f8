"""Fill-reducing ordering of the satellite's LU, side by side: COLAMD against minimum degree
on A + Aᵀ (what ``thermosat.solve.linear.LinearSolver`` uses for non-symmetric systems).

Builds a sized-size MEO satellite (30 kW on 22 chips, 61.2 m² of outboard wings, 128.7 m² of
cells, the default fin resolution) and, with ``--fine``, the same at one more refinement
(the main job's h/2 mesh check), runs its steady solve up to the first factorisation of the
"rest" system (panel and wing layers and coolant, after the chip packages are eliminated by
``PackageSchurSolver``), and factorises that matrix with each ordering in the same process:
fill (entries of L + U), memory of the factors (12 bytes an entry), factorisation and
back-substitution time, and the residual of one solve. Ratios are COLAMD / minimum degree.

    python scripts/lu_ordering.py            # the sized mesh (~17k unknowns in the rest)
    python scripts/lu_ordering.py --fine     # the h/2 mesh (~60k), minutes with COLAMD
"""
from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

ORDERINGS = {
    "COLAMD (before)": dict(permc_spec="COLAMD"),
    "MMD_AT_PLUS_A, pivot 0.1 (now)": dict(permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.1),
}


class _Captured(Exception):
    pass


def rest_matrix(fine: bool) -> sp.csc_matrix:
    """The first large (> 5,000 unknowns) matrix the satellite's steady solve factorises."""
    from thermosat.case.defaults import default_case
    from thermosat.satellite.satellite import Satellite
    from thermosat.studies.mesh_change import refined_design

    d = default_case("meo").with_reading("demand_at_rating", 30e3).to_design(environment="hot")
    d = replace(d, wing_area_m2=61.2, cell_area_m2=128.7, placement="outboard")
    if fine:
        d = refined_design(d)
    got = {}
    real = spla.splu

    def capture(A, *a, **k):
        if A.shape[0] > 5000:
            got["A"] = sp.csc_matrix(A)
            raise _Captured
        return real(A, *a, **k)

    spla.splu = capture
    try:
        Satellite(d).solve_steady()
    except _Captured:
        pass
    finally:
        spla.splu = real
    if "A" not in got:
        raise SystemExit("lu_ordering: the solve factorised no matrix above 5,000 unknowns")
    return got["A"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fine", action="store_true", help="the h/2 mesh of the mesh check")
    args = ap.parse_args(argv)
    A = rest_matrix(args.fine)
    n = A.shape[0]
    b = np.random.default_rng(0).standard_normal(n)
    print(f"rest system: {n:,d} unknowns, {A.nnz:,d} entries")
    rows = []
    for name, kw in ORDERINGS.items():
        t = time.perf_counter()
        lu = spla.splu(A, **kw)
        t_f = time.perf_counter() - t
        t = time.perf_counter()
        x = lu.solve(b)
        t_s = time.perf_counter() - t
        fill = lu.L.nnz + lu.U.nnz
        res = np.linalg.norm(A @ x - b) / np.linalg.norm(b)
        rows.append((fill, t_f, t_s))
        print(f"{name:32s} fill {fill:>12,d} ({fill * 12 / 1e6:7.0f} MB)  factorise "
              f"{t_f:7.2f} s  solve {t_s * 1e3:6.0f} ms  residual {res:.1e}")
        del lu
    (f0, a0, s0), (f1, a1, s1) = rows
    print(f"ratio before/now: fill {f0 / f1:.1f}×, factorise {a0 / a1:.1f}×, "
          f"solve {s0 / s1:.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
