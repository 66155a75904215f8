"""Steady nonlinear solve with energy balance and convergence history."""
from __future__ import annotations

import time

import numpy as np

from thermosat.common.errors import ConvergenceError, InputError
from thermosat.solve.records import energy_balance
from thermosat.solve.linear import LinearSolver
from thermosat.solve.newton import newton

__all__ = ["solve_steady", "initial_guess", "make_linear_solver", "fixed_reaction",
           "fixed_reaction_flows", "condition_flows"]


def initial_guess(system, t: float = 0.0, default_k: float = 300.0) -> np.ndarray:
    """Uniform start: the mean prescribed temperature, else ``default_k`` (K).

    Newton's first step from a uniform field is the linearised solve (h_rad = 4εσT³).
    """
    T = np.full(system.n, default_k)
    if system.fixed_nodes.size:
        T[:] = float(np.mean(system.fixed_values(t)))
    return T


def make_linear_solver(model, method: str = "auto") -> LinearSolver:
    """A linear solver for the model: ``auto`` factorises or uses AMG (smoothed aggregation for
    3D meshes, Ruge–Stüben otherwise) as the matrix envelope after RCM says
    (:func:`thermosat.solve.linear.choose_method`); ``direct``, ``amg``, ``gmres`` force."""
    from thermosat.solve.linear import METHODS

    if method not in METHODS:
        raise InputError(f"solver: {method!r} is not one of {', '.join(METHODS)}")
    dims = [p.mesh.dim for p in model.parts.values()]
    return LinearSolver(method, amg="sa" if max(dims) == 3 else "rs")


def fixed_reaction(system, R: np.ndarray) -> float:
    """Heat (W) injected at prescribed-temperature nodes to hold them: ``Σ_D R``."""
    return float(R[system.fixed_nodes].sum()) if system.fixed_nodes.size else 0.0


def fixed_reaction_flows(system, R: np.ndarray) -> dict[str, float]:
    """Heat (W) entering (``fixed_temperature``) and leaving (``fixed_temperature:out``, < 0)
    through prescribed-temperature nodes, summed node by node.

    Kept apart so that heat flowing in at one fixed boundary and out at another shows in the
    energy balance instead of cancelling to round-off (which made the relative imbalance 1).
    """
    if not system.fixed_nodes.size:
        return {}
    r = R[system.fixed_nodes]
    return {"fixed_temperature": float(r[r > 0].sum()),
            "fixed_temperature:out": float(r[r < 0].sum())}


def solve_steady(model, T0=None, *, rtol: float = 1e-10, max_iter: int = 40,
                 linear: str | LinearSolver = "auto", t: float = 0.0,
                 continuation: bool = True, solver: str | None = None):
    """Solve the steady heat balance of ``model``; returns a :class:`SteadyResult`.

    ``solver`` (``auto`` | ``direct`` | ``amg`` | ``gmres``) overrides the linear solver
    choice (same as ``linear``); ``auto`` decides from the matrix, see
    :func:`make_linear_solver`. A model with only linear terms is solved in one Newton step.

    If plain Newton fails, continuation in emissivity (0.1 → 1 of the given values) is tried
    before the :class:`ConvergenceError` (with its residual history) is raised.
    """
    from thermosat.solve.result import SteadyResult
    from thermosat.solve.continuation import emissivity_continuation

    t0 = time.perf_counter()
    system = model.build()
    if solver is not None:
        linear = solver
    solver = linear if isinstance(linear, LinearSolver) else make_linear_solver(model, linear)
    T_start = initial_guess(system, t) if T0 is None else np.broadcast_to(
        np.asarray(T0, float), (system.n,)).copy()
    F = system.load(t)
    try:
        T, hist = newton(system, T_start, t, rtol=rtol, max_iter=max_iter, linear=solver, F=F)
    except ConvergenceError:
        if not continuation:
            raise
        T, hist = emissivity_continuation(system, T_start, t, F, rtol=rtol, max_iter=max_iter,
                                          linear=solver)
    flows = system.flows(T, t)
    R = None
    if system.fixed_nodes.size:  # the residual is only needed for the fixed-node reactions
        R, _, _ = system.residual(T, t, F, jacobian=False)
        flows.update(fixed_reaction_flows(system, R))
    energy = energy_balance(flows)
    energy.conditions = condition_flows(model, system, T, t, R)
    return SteadyResult(model=model, T=T, convergence=hist, energy=energy,
                        time_s=time.perf_counter() - t0)


def condition_flows(model, system, T, t, R) -> dict[str, float]:
    """Per-condition and per-boundary heat flows (W) of a :class:`~thermosat.model.Model`
    (``{}`` for other models)."""
    fn = getattr(model, "heat_flows", None)
    return fn(system, T, t, R) if callable(fn) else {}
