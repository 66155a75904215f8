"""Numba kernel of the surface exchange's residual and local tangent (one pass per facet).

Per facet e with emissivity ε_e, irradiation H_e (W/m²) and the temperatures T_q at its
quadrature points (weights w_eq, shape functions N_qa):

    R_a   += ε_e (Σ_q w_eq σ T_q⁴ N_qa − H_e Σ_q w_eq N_qa)                       (W)
    K_ab  += Σ_q 4σ ε_e w_eq T_q³ N_qa N_qb − ε_e b_e (Σ_q w_eq N_qa) g_b             (W/K)
    g_b    = Σ_q 4σ w_eq T_q³ N_qb / A_e

where b_e is the facet's self-Gebhart factor (the part of its own emission it absorbs back
by reflections, :meth:`SurfaceExchange._self_gebhart`), zero for the ``exact`` tangent.
"""
from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["exchange_facets", "zone_tangent"]


@nb.njit(cache=True)
def exchange_facets(conn, N, wdet, Tq, eps, H_e, wN, geb_e, inv_area_e, slots, sigma,
                    R, data, jac):  # pragma: no cover - compiled
    """Add the exchange residual (W) to ``R`` and, when ``jac``, its local tangent (W/K) to
    the CSR ``data`` through ``slots`` (ne, nn, nn)."""
    ne, nn = conn.shape
    nq = N.shape[0]
    s4 = 4.0 * sigma
    d = np.empty(nq)
    g = np.empty(nn)
    for e in range(ne):
        for a in range(nn):
            em = 0.0
            for q in range(nq):
                t2 = Tq[e, q] * Tq[e, q]
                em += wdet[e, q] * sigma * t2 * t2 * N[q, a]
            R[conn[e, a]] += eps[e] * (em - H_e[e] * wN[e, a])
        if not jac:
            continue
        for q in range(nq):
            d[q] = s4 * wdet[e, q] * Tq[e, q] * Tq[e, q] * Tq[e, q]
        self_b = geb_e[e]
        if self_b > 0.0:
            for b in range(nn):
                s = 0.0
                for q in range(nq):
                    s += d[q] * N[q, b]
                g[b] = s * inv_area_e[e]
        for a in range(nn):
            for b in range(nn):
                m = 0.0
                for q in range(nq):
                    m += d[q] * N[q, a] * N[q, b]
                m *= eps[e]
                if self_b > 0.0:
                    m -= eps[e] * self_b * wN[e, a] * g[b]
                data[slots[e, a, b]] += m


@nb.njit(cache=True)
def zone_tangent(N, wdet, Tq, inv_area_e, slot_ea, sigma, data):  # pragma: no cover
    """Add ∂(zone node row)/∂T_a = Σ_q 4σ w_eq T_q³ N_qa / A_zone of each facet node to the
    CSR ``data`` at ``slot_ea`` (ne, nn): the V part of the zone-coupled tangent."""
    ne, nn = slot_ea.shape
    nq = N.shape[0]
    s4 = 4.0 * sigma
    for e in range(ne):
        for a in range(nn):
            s = 0.0
            for q in range(nq):
                s += wdet[e, q] * Tq[e, q] * Tq[e, q] * Tq[e, q] * N[q, a]
            data[slot_ea[e, a]] += s4 * s * inv_area_e[e]
