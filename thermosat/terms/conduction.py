"""Conduction and heat capacity of a region of cells."""
from __future__ import annotations

import numpy as np

from thermosat.fem import kernels
from thermosat.fem.integration import CellSet
from thermosat.terms.base import Term

__all__ = ["Conduction", "Capacitance", "as_table"]


def as_table(value, name: str) -> tuple[np.ndarray, np.ndarray, bool]:
    """A property given as a number or as ``[(T_K, value), ...]`` → (T, v, is_constant)."""
    if np.isscalar(value):
        return np.array([0.0]), np.array([float(value)]), True
    tab = np.asarray(value, dtype=float)
    if tab.ndim != 2 or tab.shape[1] != 2 or tab.shape[0] < 1:
        raise ValueError(f"{name}: expected a number or a list of [T_K, value] pairs")
    order = np.argsort(tab[:, 0])
    tab = tab[order]
    if np.any(np.diff(tab[:, 0]) <= 0):
        raise ValueError(f"{name}: table temperatures must be distinct")
    return np.ascontiguousarray(tab[:, 0]), np.ascontiguousarray(tab[:, 1]), tab.shape[0] == 1


class Conduction(Term):
    """``∫ k(T) t ∇N_a·∇T`` over ``cells``; ``cells.scale`` carries thickness (m) or area (m²).

    A constant conductivity (W/m/K) goes into the constant tangent once; a table makes the
    term nonlinear with its exact (non-symmetric) Jacobian.
    """

    def __init__(self, cells: CellSet, conductivity, name: str = "conduction"):
        self.cells = cells
        self.name = name
        self.tab_t, self.tab_k, const = as_table(conductivity, "conductivity")
        self.nonlinear = not const
        self.symmetric = const

    def blocks(self):
        return [self.cells.conn]

    def bind(self, pattern):
        self.cells.bind(pattern)

    def add_matrix(self, data):
        if not self.nonlinear:
            c = self.cells
            if c.axisymmetric:
                kernels.assemble_conductance_weighted(c.points, c.conn, c.slots, c.dN, c.w,
                                                      c.radial_weight, c.scale * self.tab_k[0],
                                                      data)
            else:
                kernels.assemble_conductance(c.points, c.conn, c.slots, c.dN, c.w,
                                             c.scale * self.tab_k[0], data)

    def add_nonlinear(self, T, t, R, data):
        if self.nonlinear:
            c = self.cells
            if c.axisymmetric:
                kernels.conductance_nonlinear_weighted(
                    c.points, c.conn, c.slots, c.N, c.dN, c.w, c.radial_weight, c.scale,
                    self.tab_t, self.tab_k, T, R, data)
                return
            kernels.conductance_nonlinear(c.points, c.conn, c.slots, c.N, c.dN, c.w, c.scale,
                                          self.tab_t, self.tab_k, T, R, data)


class Capacitance(Term):
    """Heat capacity ``∫ ρ c t N_a N_b`` (J/K) of ``cells``; ``rho_c`` in J/m³/K."""

    def __init__(self, cells: CellSet, rho_c: float, name: str = "capacitance"):
        self.cells = cells
        self.rho_c = float(rho_c)
        self.name = name

    def blocks(self):
        return [self.cells.conn]

    def bind(self, pattern):
        self.cells.bind(pattern)

    def add_capacitance(self, data, lumped):
        c = self.cells
        coef = np.full(len(c), self.rho_c)
        if lumped is not None:
            kernels.lumped_hrz(c.conn, c.N, c.wdet, coef, lumped)
        else:
            kernels.assemble_mass(c.conn, c.slots, c.N, c.wdet, coef, data)
