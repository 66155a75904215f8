"""Prescribed heat inputs: surface flux, volumetric source, convection."""
from __future__ import annotations

from typing import Callable

import numba as nb
import numpy as np

from thermosat.fem import kernels
from thermosat.fem.integration import CellSet
from thermosat.terms.base import Term

__all__ = ["HeatInput", "Convection", "NodalHeat", "NodalCapacity"]


def _value_at(value, t: float, n: int) -> np.ndarray:
    v = value(t) if callable(value) else value
    return np.ascontiguousarray(np.broadcast_to(np.asarray(v, float), (n,)))


class HeatInput(Term):
    """Heat entering through ``cells``: ``∫ q N_a`` (W).

    ``q`` is W/m² on facets (absorbed flux, heat flux) or W/m³ in cells (source); a number,
    a per-cell array, or a callable of time (s) returning either.
    """

    def __init__(self, cells: CellSet, q: float | np.ndarray | Callable, name: str):
        self.cells = cells
        self.q = q
        self.name = name

    def add_load(self, F, t):
        c = self.cells
        kernels.assemble_load(c.conn, c.N, c.wdet, _value_at(self.q, t, len(c)), F)

    def flows(self, T, t):
        return {self.name: float(np.dot(self.cells.wdet.sum(axis=1),
                                        _value_at(self.q, t, len(self.cells))))}


@nb.njit(cache=True)
def _convection_of_temperature(conn, slots, N, wdet, tab_t, tab_h, t_inf, T, R, data):
    """Add ``∫ h(T_h) (T_h − T_inf) N_a`` into ``R`` and, unless ``data`` is empty, its
    Jacobian ``∫ (h + h'(T_h) (T_h − T_inf)) N_a N_b`` (h a piecewise-linear table of T)."""
    ne, nn = conn.shape
    nq = N.shape[0]
    jac = data.shape[0] > 0
    nt = tab_t.shape[0]
    for e in range(ne):
        for q in range(nq):
            Tq = 0.0
            for a in range(nn):
                Tq += N[q, a] * T[conn[e, a]]
            if nt == 1 or Tq <= tab_t[0]:
                h, dh = tab_h[0], 0.0
            elif Tq >= tab_t[nt - 1]:
                h, dh = tab_h[nt - 1], 0.0
            else:
                j = np.searchsorted(tab_t, Tq) - 1
                dh = (tab_h[j + 1] - tab_h[j]) / (tab_t[j + 1] - tab_t[j])
                h = tab_h[j] + dh * (Tq - tab_t[j])
            w = wdet[e, q]
            r = w * h * (Tq - t_inf)
            g = w * (h + dh * (Tq - t_inf))
            for a in range(nn):
                R[conn[e, a]] += r * N[q, a]
                if jac:
                    for b in range(nn):
                        data[slots[e, a, b]] += g * N[q, a] * N[q, b]


def _scalar_at(value, t: float) -> float:
    return float(value(t)) if callable(value) else float(value)


class Convection(Term):
    """Convection ``∫ h (T − T_inf) N_a`` (W) with h in W/m²/K and T_inf in K.

    ``t_inf`` is a number or a callable of time (s). ``h`` is a number, a callable of time
    (then the term's tangent changes in time and it is treated as nonlinear: exact Newton,
    one step), or, with ``h_of_temperature``, a table ``(T_K, h)`` (pair of arrays) evaluated at
    the surface temperature at every quadrature point (nonlinear, exact Jacobian).
    """

    def __init__(self, cells: CellSet, h, t_inf, name: str = "convection",
                 h_of_temperature: tuple[np.ndarray, np.ndarray] | None = None):
        self.cells = cells
        self.h_table = None
        if h_of_temperature is not None:
            tab_t, tab_h = h_of_temperature
            self.h_table = (np.ascontiguousarray(tab_t, float), np.ascontiguousarray(tab_h, float))
            self.h = None
        else:
            self.h = h if callable(h) else float(h)
        self.t_inf = t_inf if callable(t_inf) else float(t_inf)
        self.nonlinear = self.h_table is not None or callable(self.h)
        self.name = name
        self._unit = None

    def blocks(self):
        return [self.cells.conn]

    def bind(self, pattern):
        self.cells.bind(pattern)
        if callable(self.h):
            c = self.cells
            data = pattern.zeros()
            kernels.assemble_mass(c.conn, c.slots, c.N, c.wdet, np.ones(len(c)), data)
            self._unit = (data, pattern.matrix(data))
            self._wN = np.zeros(pattern.n)
            kernels.assemble_load(c.conn, c.N, c.wdet, np.ones(len(c)), self._wN)

    def add_matrix(self, data):
        if not self.nonlinear:
            c = self.cells
            kernels.assemble_mass(c.conn, c.slots, c.N, c.wdet, np.full(len(c), self.h), data)

    def add_load(self, F, t):
        if not self.nonlinear:
            c = self.cells
            kernels.assemble_load(c.conn, c.N, c.wdet,
                                  np.full(len(c), self.h * _scalar_at(self.t_inf, t)), F)

    def add_nonlinear(self, T, t, R, data):
        if self.h_table is not None:
            c = self.cells
            _convection_of_temperature(c.conn, c.slots, c.N, c.wdet, self.h_table[0],
                                       self.h_table[1], _scalar_at(self.t_inf, t), T, R, data)
        elif callable(self.h):
            h = _scalar_at(self.h, t)
            unit_data, M = self._unit
            R += h * (M @ T - _scalar_at(self.t_inf, t) * self._wN)
            if data.shape[0]:
                data += h * unit_data

    def h_at(self, T: np.ndarray, t: float) -> np.ndarray:
        """Film coefficient (W/m²/K) at every quadrature point ``(ne, nq)``."""
        c = self.cells
        if self.h_table is not None:
            Tq = np.einsum("qa,ea->eq", c.N, T[c.conn])
            return np.interp(Tq, self.h_table[0], self.h_table[1])
        return np.full(c.wdet.shape, _scalar_at(self.h, t))

    def flows(self, T, t):
        c = self.cells
        Tq = np.einsum("qa,ea->eq", c.N, T[c.conn])
        return {self.name: float(np.sum(c.wdet * self.h_at(T, t)
                                        * (_scalar_at(self.t_inf, t) - Tq)))}


class NodalHeat(Term):
    """Heat (W) injected at given nodes: a number per node or a callable of time (s)."""

    def __init__(self, nodes, watts, name: str):
        self.nodes = np.asarray(nodes, np.int64)
        self.watts = watts
        self.name = name

    def add_load(self, F, t):
        np.add.at(F, self.nodes, _value_at(self.watts, t, len(self.nodes)))

    def flows(self, T, t):
        return {self.name: float(_value_at(self.watts, t, len(self.nodes)).sum())}


class NodalCapacity(Term):
    """Heat capacity (J/K) attached to single nodes, e.g. the coolant inventory per fluid node."""

    def __init__(self, nodes, capacity_j_k, name: str = "nodal_capacity"):
        self.nodes = np.asarray(nodes, np.int64)
        self.capacity = np.broadcast_to(np.asarray(capacity_j_k, float), (len(self.nodes),))
        self.name = name
        self._diag = None

    def bind(self, pattern):
        self._diag = pattern.diag[self.nodes]

    def add_capacitance(self, data, lumped):
        if lumped is not None:
            np.add.at(lumped, self.nodes, self.capacity)
        else:
            np.add.at(data, self._diag, self.capacity)
