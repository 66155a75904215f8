"""Continuation when plain Newton fails: ramp emissivity from a tenth to its full value."""
from __future__ import annotations

import numpy as np

from thermosat.common.errors import ConvergenceError
from thermosat.solve.newton import newton
from thermosat.terms.radiation import RadiationToSink

__all__ = ["emissivity_continuation"]


def emissivity_continuation(system, T0, t, F, *, rtol, max_iter, linear,
                            steps=(0.1, 0.25, 0.5, 0.75, 1.0)):
    """Solve with every radiation term's ε scaled by each of ``steps`` in turn.

    Each stage starts from the previous one's solution. Raises :class:`ConvergenceError`
    naming the stage that failed, with the combined residual history.
    """
    rads = [term for term in system.terms if isinstance(term, RadiationToSink)]
    if not rads:
        raise ConvergenceError("Newton failed and the model has no radiation to continue in", [])
    originals = [term.tab_eps.copy() for term in rads]
    history: list[float] = []
    T = np.array(T0, float)
    try:
        for s in steps:
            for term, eps in zip(rads, originals):
                term.tab_eps = eps * s
            try:
                T, hist = newton(system, T, t, rtol=rtol if s == 1.0 else max(rtol, 1e-8),
                                 max_iter=max_iter, linear=linear, F=F)
            except ConvergenceError as err:
                history += err.history
                raise ConvergenceError(
                    f"Newton with emissivity continuation failed at ε scale {s:g}: {err}",
                    history) from None
            history += hist.residuals
    finally:
        for term, eps in zip(rads, originals):
            term.tab_eps = eps
    hist.residuals = history
    return T, hist
