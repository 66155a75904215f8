"""Photovoltaic conversion as a heat sink in the cell layer: electricity leaves as power."""
from __future__ import annotations

import numba as nb
import numpy as np

from thermosat.fem.integration import CellSet
from thermosat.physics.presets import CellTechnology
from thermosat.terms.base import Term

__all__ = ["Photovoltaic"]


@nb.njit(cache=True)
def _pv(conn, slots, N, wdet, g_inc, eta0, gamma, t_ref, T, R, data):
    """R_a += ∫ N_a η(T) G (W); returns the electrical power ∫ η G (W)."""
    ne, nn = conn.shape
    nq = N.shape[0]
    jac = data.shape[0] > 0
    power = 0.0
    for e in range(ne):
        for q in range(nq):
            Tq = 0.0
            for a in range(nn):
                Tq += N[q, a] * T[conn[e, a]]
            eta = eta0 * (1.0 + gamma * (Tq - t_ref))
            deta = eta0 * gamma
            if eta < 0.0:
                eta = 0.0
                deta = 0.0
            f = wdet[e, q] * g_inc[e]
            power += f * eta
            for a in range(nn):
                R[conn[e, a]] += f * eta * N[q, a]
                if jac:
                    for b in range(nn):
                        data[slots[e, a, b]] += f * deta * N[q, a] * N[q, b]
    return power


class Photovoltaic(Term):
    """Electric power drawn from the cell layer: ``∫ η(T) · p · G_inc`` (W).

    ``g_inc_w_m2`` is the solar irradiance on the cells (W/m², number, per-cell array or
    callable of time); ``packing`` the fraction of area covered by active cells. The absorbed
    solar heat is added elsewhere (α·G); this term removes the part converted to electricity.
    """

    nonlinear = True

    def __init__(self, cells: CellSet, tech: CellTechnology, g_inc_w_m2, packing: float,
                 name: str = "pv"):
        self.cells = cells
        self.tech = tech
        self.g_inc = g_inc_w_m2
        self.packing = float(packing)
        self.name = name

    def blocks(self):
        return [self.cells.conn]

    def bind(self, pattern):
        self.cells.bind(pattern)

    def _g(self, t):
        g = self.g_inc(t) if callable(self.g_inc) else self.g_inc
        return np.ascontiguousarray(np.broadcast_to(np.asarray(g, float) * self.packing,
                                                    (len(self.cells),)))

    def _run(self, T, t, R, data):
        c, tech = self.cells, self.tech
        return _pv(c.conn, c.slots, c.N, c.wdet, self._g(t), tech.eta_ref * tech.eol_factor,
                   tech.gamma_per_k, tech.t_ref_k, T, R, data)

    def add_nonlinear(self, T, t, R, data):
        self._run(T, t, R, data)

    def electric_power_w(self, T: np.ndarray, t: float = 0.0) -> float:
        """Electrical output (W) at nodal temperatures ``T`` (K)."""
        return self._run(T, t, np.zeros_like(T), np.zeros(0))

    def flows(self, T, t):
        return {f"{self.name}:electric": -self.electric_power_w(T, t)}
