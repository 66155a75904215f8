"""Newton's method with backtracking line search and positivity control."""
from __future__ import annotations

import numpy as np

from thermosat.common.errors import ConvergenceError
from thermosat.solve.records import Convergence
from thermosat.solve.linear import LinearSolver
from thermosat.solve.system import System

__all__ = ["newton"]


def _measure(system: System, R: np.ndarray, scale: float) -> float:
    return float(np.abs(R[system.free]).sum() / scale)


def _forcing(rel: float, rel_prev: float | None, eta_prev: float | None, rtol: float,
             eta_max: float = 1e-2) -> float:
    """Relative tolerance of the next linear solve (Eisenstat–Walker choice 2, safeguarded).

    Loose while Newton is far from the solution, tight only as quadratic convergence sets
    in, and never tighter than needed to reach ``rtol`` in this step.
    """
    if rel_prev is None or rel_prev <= 0.0:
        eta = eta_max
    else:
        eta = 0.9 * (rel / rel_prev) ** 2
        if eta_prev is not None and 0.9 * eta_prev ** 2 > 0.1:
            eta = max(eta, 0.9 * eta_prev ** 2)
    eta = min(eta_max, max(eta, 0.05 * rtol / max(rel, 1e-300)))
    return max(eta, 1e-13)


def newton(system: System, T0: np.ndarray, t: float = 0.0, *, mass=None, rtol: float = 1e-10,
           max_iter: int = 40, linear: LinearSolver | None = None,
           F: np.ndarray | None = None) -> tuple[np.ndarray, Convergence]:
    """Solve ``R(T) = 0`` (with ``mass`` term for implicit steps) from ``T0`` (K).

    Convergence is measured as the unbalanced heat on free nodes over the heat throughput
    (both W, L1): ``Σ|R_free| / scale < rtol``. Raises :class:`ConvergenceError` with the
    residual history if it is not reached in ``max_iter`` iterations; temperatures never go
    non-positive or NaN.

    A model without nonlinear terms is solved in one step (its linear solve to the target).
    Linear solves are otherwise inexact (Eisenstat–Walker forcing, see :func:`_forcing`); the tangent
    is assembled together with the residual at the trial point unless that point is expected
    to be the converged one.
    """
    linear = linear or LinearSolver()
    F = system.load(t) if F is None else F
    T = np.array(T0, dtype=float, copy=True)
    system.impose(T, t)
    hist = Convergence()
    R, data, scale = system.residual(T, t, F, True, mass)
    rel = _measure(system, R, scale)
    hist.residuals.append(rel)
    rel_prev: float | None = None
    eta_prev: float | None = None
    for _ in range(max_iter):
        if rel < rtol:
            hist.converged = True
            return T, hist
        if not np.isfinite(rel):
            break
        if data is None:
            R, data, scale = system.residual(T, t, F, True, mass)
        eta = _forcing(rel, rel_prev, eta_prev, rtol)
        if not system.nonlinear_terms:
            # linear model: the first step is the answer, so solve it to the target at once
            # (one Newton iteration instead of three loose ones)
            eta = max(min(eta, 1e-3 * rtol / max(rel, 1e-300)), 1e-13)
        A = system.constrained(data)
        b = -R
        b[system.fixed_mask] = 0.0
        n_before = len(linear.iterations)
        dT = linear.solve(A, b, system.symmetric, rtol=eta)
        hist.linear_iterations.append(sum(linear.iterations[n_before:]))
        # keep temperatures positive: never let a node lose more than 90 % of its value
        neg = dT < 0
        alpha = 1.0
        if np.any(neg):
            alpha = min(1.0, 0.9 * float(np.min(T[neg] / -dT[neg])))
        # nonlinear models: never more than ten times the hottest temperature in one step (a
        # linearised step from far below the answer, where radiative conductance is tiny,
        # overshoots by orders of magnitude)
        rise = float(np.max(dT))
        if system.nonlinear_terms and rise > 0.0:
            alpha = min(alpha, 9.0 * float(np.max(T)) / rise)
        # expected residual after a full step: linear-solve error plus the quadratic term
        quad = rel * rel / rel_prev ** 2 * rel if rel_prev else rel
        expect_final = max(eta * rel, quad) < 0.1 * rtol
        data_n = None
        for _ls in range(12):
            Tn = T + alpha * dT
            with_jac = _ls == 0 and not expect_final
            Rn, data_n, scale_n = system.residual(Tn, t, F, with_jac, mass)
            rel_n = _measure(system, Rn, scale_n)
            # sufficient decrease of the unbalanced heat itself (W): far from the answer the
            # relative measure barely moves (residual and throughput both scale as T⁴)
            if np.isfinite(rel_n) and (rel_n * scale_n <= (1 - 1e-4 * alpha) * rel * scale
                                       or rel_n < rtol):
                break
            alpha *= 0.5
        else:
            hist.step_sizes.append(alpha)
            # no decrease: accept if we are at the round-off floor, else fail
            if np.max(np.abs(dT)) <= 1e-12 * np.max(np.abs(T)) and rel < 1e3 * rtol:
                hist.converged = True
                return T, hist
            break
        hist.step_sizes.append(alpha)
        T = Tn
        rel_prev, eta_prev = rel, eta
        R, scale, rel = Rn, scale_n, rel_n
        data = data_n if with_jac else None
        hist.residuals.append(rel)
        if rel >= rtol and np.max(np.abs(alpha * dT)) <= 1e-13 * np.max(np.abs(T)):
            hist.converged = rel < 1e3 * rtol  # round-off floor reached
            if hist.converged:
                return T, hist
    if rel < rtol and np.all(np.isfinite(T)):
        hist.converged = True
        return T, hist
    raise ConvergenceError(
        f"Newton did not converge: relative residual {hist.residuals[-1]:.3e} after "
        f"{hist.iterations} iterations (target {rtol:.1e}); history "
        + ", ".join(f"{r:.2e}" for r in hist.residuals[-8:]), hist.residuals)
