"""Linear solves chosen by size and symmetry, reusing what can be reused.

Every Newton step and time step of one model solves a matrix with the same sparsity pattern
that differs from the previous one only in its radiation (boundary) part, so the expensive
part of a solve is built once and reused while it keeps working:

- ``auto`` decides on the first matrix it sees, from the matrix itself (:func:`choose_method`):
  the envelope (profile) of its lower triangle after reverse Cuthill–McKee ordering bounds the
  fill of a profile LU factorisation; up to ``ENVELOPE_DIRECT`` entries a factorisation is
  cheaper than multigrid setup plus Krylov iterations (measured: a quasi-2D 3D plate of 15 k
  nodes has an envelope of 2e6 and factorises in 0.05 s; a 25³ cube, 1.6e7, 1.5 s direct vs
  2.5 s AMG; a 41³ cube, 1.9e8, 46 s direct vs 6 s AMG). With ``direct_max`` given, the old
  rule by size alone is used instead.
- factorised systems: a sparse LU factorisation (SuperLU,
  minimum-degree ordering on ``A + Aᵀ`` for symmetric matrices). The first solve is exact;
  later matrices are solved by conjugate gradients (GMRES if non-symmetric) preconditioned
  with that factorisation, typically in 2–4 iterations; it is refactorised when that takes
  more than ``refactor_iters`` iterations.
- large systems: conjugate gradients (GMRES if non-symmetric) preconditioned by one V-cycle
  of algebraic multigrid (pyamg; Ruge–Stüben in 2D, smoothed aggregation in 3D). The AMG
  hierarchy is kept and rebuilt only when the iteration count grows.
- ``direct``: a fresh exact factorisation for every solve.
- ``gmres``: GMRES preconditioned by AMG for every matrix, symmetric or not.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from thermosat.common.errors import SolverError

__all__ = ["LinearSolver"]

METHODS = ("auto", "direct", "amg", "gmres")

#: lower-triangle envelope (entries, after RCM) up to which ``auto`` factorises
ENVELOPE_DIRECT = 2.5e7


def envelope_after_rcm(A: sp.spmatrix) -> float:
    """Entries of the lower envelope ``Σ_i (i − first_col_i)`` of ``A`` after reverse
    Cuthill–McKee ordering: an upper bound of the fill of a profile (skyline) factor."""
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    A = sp.csr_matrix(A)
    n = A.shape[0]
    if n == 0:
        return 0.0
    perm = reverse_cuthill_mckee(A, symmetric_mode=False)
    inv = np.empty(n, np.int64)
    inv[perm] = np.arange(n)
    rows = inv[np.repeat(np.arange(n), np.diff(A.indptr))]
    cols = inv[A.indices]
    first = np.arange(n)
    np.minimum.at(first, rows, cols)
    np.minimum.at(first, cols, rows)   # the pattern of A + Aᵀ (what LU of a non-symmetric fills)
    return float(np.sum(np.arange(n) - first))


def choose_method(A: sp.spmatrix) -> tuple[str, dict]:
    """``("direct" | "amg", facts)`` for ``A`` from its RCM envelope (see the module notes)."""
    env = envelope_after_rcm(A)
    n = A.shape[0]
    facts = {"n": int(n), "nnz": int(A.nnz), "envelope": env,
             "mean_bandwidth": env / max(n, 1)}
    return ("direct" if env <= ENVELOPE_DIRECT else "amg"), facts


_SINGULAR = ("linear solve: the matrix is singular (is every part of the model connected to a "
             "fixed temperature or a radiating surface?)")


class LinearSolver:
    """Solve ``A x = b`` for a sequence of matrices with one sparsity pattern.

    Parameters
    ----------
    method : ``auto`` | ``direct`` | ``amg`` | ``gmres``
    direct_max : if given, ``auto`` factorises up to this many unknowns (size alone) instead
        of deciding from the matrix envelope
    amg : ``rs`` (Ruge–Stüben) or ``sa`` (smoothed aggregation)
    refactor_iters : preconditioned iterations with a stale factorisation beyond which it is
        recomputed
    refresh : when a reused AMG hierarchy converged clearly slower than when it was new,
        recompute its coarse operators for the next matrix from the kept interpolation
        (``R A P``) instead of setting it up again

    Attributes
    ----------
    iterations : Krylov iterations of every solve (1 for an exact direct solve)
    factorizations : number of LU factorisations computed
    amg_setups : number of AMG hierarchies built
    choice : what ``auto`` chose (``direct``/``amg``) and ``facts`` why (n, envelope), set at
        the first solve
    """

    def __init__(self, method: str = "auto", direct_max: int | None = None, amg: str = "rs",
                 refactor_iters: int = 8, refresh: bool = True):
        if method not in METHODS:
            raise SolverError(f"linear solver: method {method!r} is not one of "
                              f"{', '.join(METHODS)}")
        self.choice: str | None = None
        self.facts: dict = {}
        self.method = method
        self.direct_max = direct_max
        self.amg = amg
        self.refactor_iters = refactor_iters
        self.refresh = refresh
        self._ml = None
        self._ml_iters = None
        self._ml_key = None
        self._ml_last = None
        self.amg_refreshes = 0
        self._lu = None
        self._lu_key = None
        self.iterations: list[int] = []
        self.factorizations = 0
        self.amg_setups = 0

    def uses_direct(self, n: int, A: sp.spmatrix | None = None) -> bool:
        if self.method != "auto":
            return self.method == "direct"
        if self.direct_max is not None:
            return n <= self.direct_max
        if self.choice is None or self.facts.get("n") != n:
            if A is None:
                raise SolverError("linear solver: auto needs the matrix to choose")
            self.choice, self.facts = choose_method(A)
        return self.choice == "direct"

    def solve(self, A: sp.csr_matrix, b: np.ndarray, symmetric: bool, rtol: float = 1e-10,
              x0: np.ndarray | None = None) -> np.ndarray:
        """Solve to relative residual ``rtol`` (iterative, reused factorisations) or exactly."""
        n = A.shape[0]
        if self.method == "direct":
            x = spla.spsolve(A.tocsc() if not symmetric else A, b,
                             permc_spec="MMD_AT_PLUS_A" if symmetric else "COLAMD")
            self.iterations.append(1)
            self.factorizations += 1
            if not np.all(np.isfinite(x)):
                raise SolverError(_SINGULAR)
            return x
        if self.method == "gmres":
            return self._solve_amg(A, b, False, rtol, x0)
        if self.uses_direct(n, A):
            return self._solve_lu(A, b, symmetric, rtol)
        return self._solve_amg(A, b, symmetric, rtol, x0)

    # --- reused factorisation ---------------------------------------------------------------
    @staticmethod
    def _key(A, symmetric):
        return (A.shape[0], A.nnz, symmetric)

    def _factor(self, A, symmetric):
        Ac = A.tocsc()
        try:
            if symmetric:
                lu = spla.splu(Ac, permc_spec="MMD_AT_PLUS_A")
            else:
                # minimum degree on A + Aᵀ with threshold pivoting (the diagonal kept unless
                # below 0.1 × its column's largest entry): the non-symmetric systems here are
                # conduction plus upwind advection and a few dense radiation-zone columns,
                # nearly symmetric in structure and diagonally strong. COLAMD filled them
                # 3.6× (16.7k unknowns) to 7.7× (60k: 108 M entries, 1.3 GB) more.
                lu = spla.splu(Ac, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.1)
        except RuntimeError as err:  # "Factor is exactly singular"
            raise SolverError(f"{_SINGULAR} [{err}]") from None
        self._lu = lu
        self._lu_key = self._key(A, symmetric)
        self.factorizations += 1
        return lu

    def _solve_lu(self, A, b, symmetric, rtol):
        bnorm = np.linalg.norm(b)
        if bnorm == 0.0:
            self.iterations.append(0)
            return np.zeros_like(b)
        if self._lu is not None and self._lu_key == self._key(A, symmetric):
            x, its, ok, _ = self._krylov(A, b, symmetric, rtol, None, self._lu.solve,
                                         self.refactor_iters, bnorm)
            if ok:
                self.iterations.append(its)
                return x
        lu = self._factor(A, symmetric)
        x = lu.solve(b)
        if not np.all(np.isfinite(x)):
            self._lu = None
            raise SolverError(_SINGULAR)
        self.iterations.append(1)
        return x

    # --- Krylov ---------------------------------------------------------------------------
    @staticmethod
    def _krylov(A, b, symmetric, rtol, x0, apply_m, maxiter, bnorm):
        """Preconditioned CG (GMRES if non-symmetric); returns (x, iterations, converged)."""
        n = A.shape[0]
        M = spla.LinearOperator((n, n), matvec=apply_m, dtype=float)
        count = [0]

        def cb(_):
            count[0] += 1

        if symmetric:
            x, info = spla.cg(A, b, x0=x0, rtol=rtol, atol=0.0, M=M, maxiter=maxiter,
                              callback=cb)
        else:
            x, info = spla.gmres(A, b, x0=x0, rtol=rtol, atol=0.0, M=M,
                                 restart=min(50, maxiter), maxiter=max(1, maxiter // 50 + 1),
                                 callback=cb, callback_type="pr_norm")
        if not np.all(np.isfinite(x)):
            return x, count[0], False, np.inf
        res = float(np.linalg.norm(b - A @ x) / bnorm)
        return x, count[0], bool(info == 0 or res <= 10 * rtol), res

    # --- algebraic multigrid ----------------------------------------------------------------
    def _hierarchy(self, A, symmetric):
        import pyamg

        self.amg_setups += 1
        if self.amg == "sa" or not symmetric:
            return pyamg.smoothed_aggregation_solver(
                A, symmetry="symmetric" if symmetric else "nonsymmetric", max_coarse=500)
        # one forward Gauss–Seidel sweep before and one backward after: a symmetric V-cycle
        # (valid for CG) at half the smoothing cost of pyamg's default symmetric sweeps
        return pyamg.ruge_stuben_solver(
            A, max_coarse=500, presmoother=("gauss_seidel", {"sweep": "forward"}),
            postsmoother=("gauss_seidel", {"sweep": "backward"}))

    @staticmethod
    def _vcycle(ml, b):
        """One V-cycle from a zero guess (pyamg's ``solve(maxiter=1)`` without its two extra
        residual evaluations)."""
        levels = ml.levels
        last = len(levels) - 1

        def cycle(lvl, rhs):
            if lvl == last:
                return ml.coarse_solver(levels[lvl].A, rhs).reshape(rhs.shape)
            level = levels[lvl]
            A = level.A
            x = np.zeros_like(rhs)
            level.presmoother(A, x, rhs)
            coarse = cycle(lvl + 1, level.R @ (rhs - A @ x))
            x += level.P @ coarse
            level.postsmoother(A, x, rhs)
            return x

        return cycle(0, b)

    @staticmethod
    def _refresh(ml, A):
        """Put ``A`` on the finest level and recompute the Galerkin coarse operators
        ``R A P`` with the kept interpolation (much cheaper than a new setup). The coarse
        levels then see the current radiation term, which alone fixes the near-constant
        mode of a radiating body without fixed temperatures."""
        levels = ml.levels
        levels[0].A = A
        for i in range(len(levels) - 1):
            Ac = (levels[i].R @ levels[i].A @ levels[i].P).tocsr()
            Ac.sort_indices()
            levels[i + 1].A = Ac
        for attr in ("P", "LU", "L"):
            if hasattr(ml.coarse_solver, attr):
                delattr(ml.coarse_solver, attr)

    def _solve_amg(self, A, b, symmetric, rtol, x0):
        bnorm = np.linalg.norm(b)
        if bnorm == 0.0:
            self.iterations.append(0)
            return np.zeros_like(b)
        key = self._key(A, symmetric)
        if self._ml_key != key:
            self._ml = None
        its = 0
        res = np.inf
        for _attempt in range(2):
            if self._ml is None:
                self._ml = self._hierarchy(A, symmetric)
                self._ml_key = key
                self._ml_iters = None
                self._ml_last = None
            ml = self._ml
            if (self.refresh and ml.levels[0].A is not A and self._ml_last is not None
                    and self._ml_last > self._ml_iters ** 0.75):
                # the last solve converged clearly slower than the first: refresh
                self._refresh(ml, A)
                self.amg_refreshes += 1
            x, its, ok, res = self._krylov(A, b, symmetric, rtol, x0,
                                           lambda r, ml=ml: self._vcycle(ml, r), 300, bnorm)
            if ok:
                # residual reduction per iteration; rebuild when it is twice as slow per digit
                rate = min(max(res, 1e-300) ** (1.0 / max(its, 1)), 0.999)
                self._ml_last = rate
                if self._ml_iters is None:
                    self._ml_iters = rate
                elif rate > np.sqrt(self._ml_iters) and its > 3:
                    self._ml = None  # stale hierarchy: rebuild next time
                self.iterations.append(its)
                return x
            self._ml = None  # retry once with a fresh hierarchy
        raise SolverError(f"linear solve: AMG-preconditioned Krylov stalled at relative residual "
                          f"{res:.2e} after {its} iterations")
