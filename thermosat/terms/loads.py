"""Prescribed heat inputs: surface flux, volumetric source, convection."""
from __future__ import annotations

from typing import Callable

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


class Convection(Term):
    """Convection ``∫ h (T − T_inf) N_a`` (W) with h in W/m²/K and T_inf in K."""

    def __init__(self, cells: CellSet, h: float, t_inf: float, name: str = "convection"):
        self.cells = cells
        self.h = float(h)
        self.t_inf = float(t_inf)
        self.name = name

    def blocks(self):
        return [self.cells.conn]

    def bind(self, pattern):
        self.cells.bind(pattern)

    def add_matrix(self, data):
        c = self.cells
        kernels.assemble_mass(c.conn, c.slots, c.N, c.wdet, np.full(len(c), self.h), data)

    def add_load(self, F, t):
        c = self.cells
        kernels.assemble_load(c.conn, c.N, c.wdet, np.full(len(c), self.h * self.t_inf), F)

    def flows(self, T, t):
        c = self.cells
        Tq = np.einsum("qa,ea->eq", c.N, T[c.conn])
        return {self.name: float(np.sum(c.wdet * self.h * (self.t_inf - Tq)))}


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
