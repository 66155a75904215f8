"""Implicit time stepping: backward Euler, BDF2 and the θ-scheme (Crank–Nicolson), Newton
in every step."""
from __future__ import annotations

import time

import numpy as np

from thermosat.common.errors import InputError
from thermosat.solve.records import energy_balance
from thermosat.solve.newton import newton
from thermosat.solve.steady import condition_flows, fixed_reaction_flows, make_linear_solver

__all__ = ["solve_transient", "SCHEMES"]

SCHEMES = ("backward_euler", "bdf2", "cn", "theta")


def solve_transient(model, t_end_s: float, dt_s: float, T0, *, scheme: str = "bdf2",
                    theta: float | None = None, lumped: bool = False, t_start_s: float = 0.0, save_every: int = 1,
                    rtol: float = 1e-10, max_iter: int = 30, linear="auto", on_step=None,
                    progress: bool = False, solver: str | None = None):
    """Integrate ``C dT/dt + R(T, t) = 0`` from ``t_start_s`` to ``t_end_s`` with step ``dt_s``.

    scheme : ``backward_euler`` (first order) or ``bdf2`` (second order, L-stable; its first
        step is backward Euler), ``cn`` (Crank–Nicolson, the θ-scheme with θ = 1/2, second
        order, A-stable but not L-stable) or ``theta`` with ``theta`` in [1/2, 1]
        (θ = 1 is backward Euler): ``C (Tⁿ⁺¹ − Tⁿ)/Δt + θ R(Tⁿ⁺¹, tⁿ⁺¹) + (1 − θ) R(Tⁿ, tⁿ) = 0``.
        Crank–Nicolson damps stiff modes by a factor → −1 per step: on rough initial data
        (a step between the initial field and a fixed temperature) with Δt ≫ h²ρc/k it
        oscillates in time and overshoots the bounds of the exact solution; use ``bdf2``
        there, or θ > 1/2. Energy balances of θ-steps weight the flows the same way.
    lumped : HRZ-lumped capacitance instead of consistent
    T0 : initial temperature (K), a number or a nodal array
    on_step : optional callback ``(step, t, T)`` after each step
    Time-dependent prescribed temperatures and loads are re-imposed at every step. Returns a
    :class:`TransientResult` with saved frames, per-step energy balances and Newton histories.
    """
    from thermosat.solve.result import TransientResult

    if scheme not in SCHEMES:
        raise InputError(f"scheme: {scheme!r} is not one of {SCHEMES}")
    if scheme == "theta":
        if theta is None or not (0.5 <= float(theta) <= 1.0):
            raise InputError(f"theta: {theta!r} must be a number in [0.5, 1] with "
                             f"scheme='theta'")
        theta = float(theta)
    elif theta is not None:
        raise InputError(f"theta: only used with scheme='theta' (scheme={scheme!r})")
    elif scheme == "cn":
        theta = 0.5
    else:
        theta = 1.0
    if not (dt_s > 0 and t_end_s > t_start_s):
        raise InputError(f"time stepping: need dt_s > 0 and t_end_s > t_start_s, got "
                         f"dt_s={dt_s}, t_start_s={t_start_s}, t_end_s={t_end_s}")
    t_wall = time.perf_counter()
    system = model.build()
    if solver is not None:   # override of the linear solver choice, as in solve_steady
        linear = solver
    solver = make_linear_solver(model, linear) if isinstance(linear, str) else linear
    C = system.capacitance(lumped)
    n_steps = int(round((t_end_s - t_start_s) / dt_s))
    T = np.broadcast_to(np.asarray(T0, float), (system.n,)).copy()
    T_old = None
    times, frames = [t_start_s], [T.copy()]
    balances, histories = [], []
    stored_j = 0.0
    net_in_j = 0.0
    iterator = range(1, n_steps + 1)
    if progress:
        from thermosat.common.progress import bar

        iterator = bar(iterable=iterator, total=n_steps, desc="time steps", unit="step")
    capacity = C if isinstance(C, np.ndarray) else np.asarray(C.sum(axis=0)).ravel()
    E0 = float(capacity @ T)
    explicit_part = theta < 1.0
    if explicit_part:  # R(Tⁿ, tⁿ) of the first step, with the prescribed values of tⁿ
        system.impose(T, t_start_s)
        R_prev, _, _ = system.residual(T, t_start_s, system.load(t_start_s), jacobian=False)
        flows_prev = system.flows(T, t_start_s)
    for k in iterator:
        t = t_start_s + k * dt_s
        if scheme == "bdf2" and T_old is not None:
            a, b = 1.5 / dt_s, (2.0 * T - 0.5 * T_old) / dt_s
        elif explicit_part:  # θ-scheme divided by θ: R(Tⁿ⁺¹) + C(Tⁿ⁺¹ − Tⁿ)/(θΔt) + ... = 0
            a, b = 1.0 / (theta * dt_s), T / (theta * dt_s)
        else:
            a, b = 1.0 / dt_s, T / dt_s
        F_t = system.load(t)
        F = F_t - ((1.0 - theta) / theta) * R_prev if explicit_part else F_t
        guess = T if T_old is None else 2.0 * T - T_old
        guess = np.where(guess > 0, guess, T)
        T_new, hist = newton(system, guess, t, mass=(a, C, b), rtol=rtol, max_iter=max_iter,
                             linear=solver, F=F)
        store = (C * (a * T_new - b)) if isinstance(C, np.ndarray) else C @ (a * T_new - b)
        flows = system.flows(T_new, t)
        R = None
        if explicit_part:
            store = theta * store  # C (Tⁿ⁺¹ − Tⁿ)/Δt
            R_prev, _, _ = system.residual(T_new, t, F_t, jacobian=False)
            flows_new = flows
            flows = {n: theta * flows_new.get(n, 0.0) + (1.0 - theta) * flows_prev.get(n, 0.0)
                     for n in set(flows_new) | set(flows_prev)}
            flows_prev = flows_new
        if system.fixed_nodes.size:  # the residual is only needed for the fixed-node reactions
            R, _, _ = system.residual(T_new, t, F, jacobian=False, mass=(a, C, b))
            flows.update(fixed_reaction_flows(system, theta * R if explicit_part else R))
        stored_w = float(store.sum())
        balances.append(energy_balance(flows, stored_w,
                                       condition_flows(model, system, T_new, t, R)))
        histories.append(hist)
        stored_j += stored_w * dt_s
        net_in_j += sum(flows.values()) * dt_s
        T_old, T = T, T_new
        if k % save_every == 0 or k == n_steps:
            times.append(t)
            frames.append(T.copy())
        if on_step is not None:
            on_step(k, t, T)
    return TransientResult(model=model, times=np.array(times), frames=frames,
                           energy_steps=balances, convergence_steps=histories,
                           stored_energy_change_j=float(capacity @ T) - E0,
                           net_heat_in_j=net_in_j, time_s=time.perf_counter() - t_wall)
