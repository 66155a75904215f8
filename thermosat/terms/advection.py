"""Upwind advection of enthalpy along fluid edges (pumped single-phase coolant)."""
from __future__ import annotations

import numba as nb
import numpy as np

from thermosat.terms.base import Term

__all__ = ["Advection", "enthalpy_table"]


def enthalpy_table(T: np.ndarray, cp: np.ndarray) -> np.ndarray:
    """Specific enthalpy h(T) (J/kg, zero at ``T[0]``) by trapezoidal integration of cp (J/kg/K)."""
    T = np.asarray(T, float)
    cp = np.asarray(cp, float)
    return np.concatenate([[0.0], np.cumsum(0.5 * (cp[1:] + cp[:-1]) * np.diff(T))])


@nb.njit(cache=True)
def _enthalpy(T, tab_t, tab_h):
    """Piecewise-linear h(T), extended linearly beyond the table (J/kg) and its slope."""
    n = tab_t.shape[0]
    if T <= tab_t[0]:
        s = (tab_h[1] - tab_h[0]) / (tab_t[1] - tab_t[0])
        return tab_h[0] + s * (T - tab_t[0]), s
    if T >= tab_t[n - 1]:
        s = (tab_h[n - 1] - tab_h[n - 2]) / (tab_t[n - 1] - tab_t[n - 2])
        return tab_h[n - 1] + s * (T - tab_t[n - 1]), s
    j = np.searchsorted(tab_t, T) - 1
    s = (tab_h[j + 1] - tab_h[j]) / (tab_t[j + 1] - tab_t[j])
    return tab_h[j] + s * (T - tab_t[j]), s


@nb.njit(cache=True)
def _advect(edges, mdot, tab_t, tab_h, T, R, data, slots):
    jac = data.shape[0] > 0
    net = 0.0
    for e in range(edges.shape[0]):
        i = edges[e, 0]
        j = edges[e, 1]
        hi, si = _enthalpy(T[i], tab_t, tab_h)
        hj, sj = _enthalpy(T[j], tab_t, tab_h)
        q = mdot[e] * (hj - hi)
        R[j] += q
        net += q
        if jac:
            # slots[e, 1, 1] is (j, j); slots[e, 1, 0] is (j, i)
            data[slots[e, 1, 1]] += mdot[e] * sj
            data[slots[e, 1, 0]] -= mdot[e] * si
    return net


class Advection(Term):
    """``R_j += ṁ (h(T_j) − h(T_i))`` for each edge i → j (W), full upwind.

    Energy is conserved exactly: in a closed loop the contributions telescope to zero; for an
    open pipe the net enthalpy carried in is reported as a flow. Stable for any step size.

    Parameters
    ----------
    edges : (m, 2) global node ids (upstream, downstream)
    mdot_kg_s : mass flow of each edge (kg/s), ≥ 0
    tab_t, tab_cp : the coolant's cp table (K, J/kg/K)
    """

    nonlinear = True
    symmetric = False

    def __init__(self, edges, mdot_kg_s, tab_t, tab_cp, name: str = "advection"):
        self.edges = np.ascontiguousarray(edges, dtype=np.int64)
        self.mdot = np.ascontiguousarray(np.broadcast_to(mdot_kg_s, (len(self.edges),)), float)
        self.tab_t = np.ascontiguousarray(tab_t, float)
        self.tab_h = enthalpy_table(self.tab_t, tab_cp)
        self.name = name
        self.slots = None

    def blocks(self):
        return [self.edges]

    def bind(self, pattern):
        self.slots = pattern.slots(self.edges)

    def add_nonlinear(self, T, t, R, data):
        _advect(self.edges, self.mdot, self.tab_t, self.tab_h, T, R, data, self.slots)

    def flows(self, T, t):
        net = _advect(self.edges, self.mdot, self.tab_t, self.tab_h, T, np.zeros_like(T),
                      np.zeros(0), self.slots)
        return {f"{self.name}:enthalpy_in": -net} if abs(net) > 0 else {}
