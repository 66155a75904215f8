"""Radiation straight from fluid edges: a bare pipe whose wall is at the fluid temperature."""
from __future__ import annotations

import numba as nb
import numpy as np

from thermosat.fem.kernels import SIGMA
from thermosat.fem.quadrature import gauss_legendre_01
from thermosat.terms.base import Term

__all__ = ["PipeRadiation"]


@nb.njit(cache=True)
def _pipe_rad(edges, lengths, s, w, coef, eps, t_sink, sigma, T, R, data, slots):
    jac = data.shape[0] > 0
    ts4 = t_sink ** 4
    emitted = 0.0
    for e in range(edges.shape[0]):
        i = edges[e, 0]
        j = edges[e, 1]
        for q in range(s.shape[0]):
            ni = 1.0 - s[q]
            nj = s[q]
            Tq = ni * T[i] + nj * T[j]
            f = w[q] * lengths[e] * coef[e] * eps * sigma
            emitted += f * Tq ** 4
            R[j] += f * (Tq ** 4 - ts4)
            if jac:
                d = 4.0 * f * Tq ** 3
                data[slots[e, 1, 0]] += d * ni
                data[slots[e, 1, 1]] += d * nj
    return emitted


class PipeRadiation(Term):
    """``R_j += ∫_edge ε σ P (T(s)⁴ − T_sink⁴) ds`` on the downstream node of each edge (W).

    The perfect-fin limit of a radiating pipe wall (VALIDATION case 6): the wall of perimeter
    ``perimeter_m`` is at the local fluid temperature, linear along the edge.
    """

    nonlinear = True
    symmetric = False

    def __init__(self, edges, lengths_m, perimeter_m, emissivity: float, t_sink_k: float = 3.0,
                 sigma: float = SIGMA, n_gauss: int = 3, name: str = "pipe_radiation"):
        self.edges = np.ascontiguousarray(edges, np.int64)
        self.lengths = np.ascontiguousarray(lengths_m, float)
        self.coef = np.ascontiguousarray(np.broadcast_to(perimeter_m, (len(self.edges),)), float)
        self.eps = float(emissivity)
        self.t_sink = float(t_sink_k)
        self.sigma = float(sigma)
        self.s, self.w = gauss_legendre_01(n_gauss)
        self.name = name
        self.slots = None

    def blocks(self):
        return [self.edges]

    def bind(self, pattern):
        self.slots = pattern.slots(self.edges)

    def _run(self, T, R, data):
        return _pipe_rad(self.edges, self.lengths, self.s, self.w, self.coef, self.eps,
                         self.t_sink, self.sigma, T, R, data, self.slots)

    def add_nonlinear(self, T, t, R, data):
        self._run(T, R, data)

    def flows(self, T, t):
        emitted = self._run(T, np.zeros_like(T), np.zeros(0))
        absorbed = float(np.sum(self.lengths * self.coef) * self.eps * self.sigma * self.t_sink**4)
        return {f"{self.name}:emitted": -emitted, f"{self.name}:sink": absorbed}
