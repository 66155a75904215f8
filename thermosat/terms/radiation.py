"""Gray radiation from surfaces to a sink at T_sink (K): the one place this physics lives."""
from __future__ import annotations

import numpy as np

from thermosat.fem import kernels
from thermosat.fem.integration import CellSet
from thermosat.terms.base import Term
from thermosat.terms.conduction import as_table

__all__ = ["RadiationToSink"]

_EMPTY = np.zeros(0)


class RadiationToSink(Term):
    """``∫ ε(T) σ (T⁴ − T_sink⁴) N_a`` over facets (W), Jacobian on boundary nodes only.

    ``emissivity`` is a number in [0, 1] or a table ``[(T_K, ε), ...]``; ``t_sink`` (K) a
    number or a callable of time (s).
    Flows: ``<name>:emitted`` (out) and ``<name>:sink`` (absorbed from the sink, in).
    """

    nonlinear = True

    def __init__(self, cells: CellSet, emissivity, t_sink: float = 3.0, name: str = "radiation",
                 sigma: float = kernels.SIGMA):
        self.cells = cells
        self.tab_t, self.tab_eps, const = as_table(emissivity, "emissivity")
        self.symmetric = const
        self.t_sink = t_sink if callable(t_sink) else float(t_sink)
        self.sigma = float(sigma)
        self.name = name
        self._ones = np.ones(len(cells))

    def blocks(self):
        return [self.cells.conn]

    def bind(self, pattern):
        self.cells.bind(pattern)

    def add_nonlinear(self, T, t, R, data):
        c = self.cells
        kernels.radiation_facets(c.conn, c.slots, c.N, c.wdet, self._ones, self.tab_t,
                                 self.tab_eps, self._t_sink(t), self.sigma, T, R, data)

    def _t_sink(self, t: float) -> float:
        return float(self.t_sink(t)) if callable(self.t_sink) else self.t_sink

    def flows(self, T, t):
        c = self.cells
        emitted, absorbed = kernels.radiation_facets(
            c.conn, c.slots, c.N, c.wdet, self._ones, self.tab_t, self.tab_eps,
            self._t_sink(t), self.sigma, T, np.zeros_like(T), _EMPTY)
        return {f"{self.name}:emitted": -emitted, f"{self.name}:sink": absorbed}
