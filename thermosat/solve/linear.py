"""Linear solves chosen by size and symmetry, reusing what can be reused.

Small systems: sparse direct (SuperLU). Large symmetric: conjugate gradients preconditioned by
algebraic multigrid (pyamg; Ruge–Stüben in 2D, smoothed aggregation in 3D). Large
non-symmetric: GMRES with the same AMG preconditioner. The AMG hierarchy is kept and reused
while it keeps converging fast, since Newton steps only change the boundary (radiation) part.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from thermosat.errors import SolverError

__all__ = ["LinearSolver"]


class LinearSolver:
    """Solve ``A x = b`` for a sequence of matrices with one sparsity pattern.

    Parameters
    ----------
    method : ``auto`` | ``direct`` | ``amg``
    direct_max : largest system solved directly when ``auto`` (unknowns)
    amg : ``rs`` (Ruge–Stüben) or ``sa`` (smoothed aggregation)
    """

    def __init__(self, method: str = "auto", direct_max: int = 40_000, amg: str = "rs"):
        if method not in ("auto", "direct", "amg"):
            raise SolverError(f"linear solver: method {method!r} is not one of auto, direct, amg")
        self.method = method
        self.direct_max = direct_max
        self.amg = amg
        self._ml = None
        self._ml_iters = None
        self.iterations: list[int] = []

    def uses_direct(self, n: int) -> bool:
        return self.method == "direct" or (self.method == "auto" and n <= self.direct_max)

    def solve(self, A: sp.csr_matrix, b: np.ndarray, symmetric: bool, rtol: float = 1e-10,
              x0: np.ndarray | None = None) -> np.ndarray:
        """Solve to relative residual ``rtol`` (iterative) or exactly (direct)."""
        n = A.shape[0]
        if self.uses_direct(n):
            x = spla.spsolve(A.tocsc() if not symmetric else A, b,
                             permc_spec="MMD_AT_PLUS_A" if symmetric else "COLAMD")
            self.iterations.append(1)
            if not np.all(np.isfinite(x)):
                raise SolverError("linear solve: the matrix is singular (is every part of the "
                                  "model connected to a fixed temperature or a radiating surface?)")
            return x
        return self._solve_amg(A, b, symmetric, rtol, x0)

    def _hierarchy(self, A, symmetric):
        import pyamg

        if self.amg == "sa" or not symmetric:
            return pyamg.smoothed_aggregation_solver(
                A, symmetry="symmetric" if symmetric else "nonsymmetric", max_coarse=500)
        return pyamg.ruge_stuben_solver(A, max_coarse=500)

    def _solve_amg(self, A, b, symmetric, rtol, x0):
        bnorm = np.linalg.norm(b)
        if bnorm == 0.0:
            return np.zeros_like(b)
        for attempt in range(2):
            if self._ml is None:
                self._ml = self._hierarchy(A, symmetric)
                self._ml_iters = None
            M = self._ml.aspreconditioner(cycle="V")
            count = [0]

            def cb(_):
                count[0] += 1

            if symmetric:
                x, info = spla.cg(A, b, x0=x0, rtol=rtol, atol=0.0, M=M, maxiter=300,
                                  callback=cb)
            else:
                x, info = spla.gmres(A, b, x0=x0, rtol=rtol, atol=0.0, M=M, restart=50,
                                     maxiter=20, callback=cb, callback_type="pr_norm")
            its = count[0]
            res = np.linalg.norm(b - A @ x) / bnorm
            if info == 0 or res <= 10 * rtol:
                if self._ml_iters is None:
                    self._ml_iters = its
                elif its > 2 * self._ml_iters + 5:
                    self._ml = None  # stale hierarchy: rebuild next time
                self.iterations.append(its)
                return x
            self._ml = None  # retry once with a fresh hierarchy
        raise SolverError(f"linear solve: AMG-preconditioned Krylov stalled at relative residual "
                          f"{res:.2e} after {its} iterations")
