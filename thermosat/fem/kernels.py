"""Numba element kernels: geometry, conductance, capacitance, loads and radiation.

All kernels work for any Lagrange cell embedded in 3D: a reference dimension ``d`` in
{0, 1, 2, 3} and physical points in R^3. The metric ``G = J^T J`` gives the measure
``sqrt(det G)`` and physical gradients ``J G^-1 dN`` (so shells in 3D and pipes along
polylines need no special code). Matrix entries are scattered straight into CSR ``data``
through precomputed ``slots``; nothing goes through COO.
"""
from __future__ import annotations

import numba as nb
import numpy as np

__all__ = [
    "measure_weights", "assemble_conductance", "assemble_mass", "assemble_load",
    "conductance_nonlinear", "radiation_facets", "cell_gradients", "lumped_hrz",
]

SIGMA = 5.670374419e-8


@nb.njit(cache=True, inline="always")
def _metric(X, dNq, J, G, Gi):
    """Fill J (3, d), G = J^T J, Gi = G^-1 for one quadrature point; return sqrt(det G)."""
    nn, d = dNq.shape
    for i in range(3):
        for k in range(d):
            s = 0.0
            for a in range(nn):
                s += X[a, i] * dNq[a, k]
            J[i, k] = s
    for k in range(d):
        for m in range(d):
            s = 0.0
            for i in range(3):
                s += J[i, k] * J[i, m]
            G[k, m] = s
    if d == 0:
        return 1.0
    if d == 1:
        det = G[0, 0]
        Gi[0, 0] = 1.0 / det
    elif d == 2:
        det = G[0, 0] * G[1, 1] - G[0, 1] * G[1, 0]
        Gi[0, 0] = G[1, 1] / det
        Gi[1, 1] = G[0, 0] / det
        Gi[0, 1] = -G[0, 1] / det
        Gi[1, 0] = -G[1, 0] / det
    else:
        det = (G[0, 0] * (G[1, 1] * G[2, 2] - G[1, 2] * G[2, 1])
               - G[0, 1] * (G[1, 0] * G[2, 2] - G[1, 2] * G[2, 0])
               + G[0, 2] * (G[1, 0] * G[2, 1] - G[1, 1] * G[2, 0]))
        Gi[0, 0] = (G[1, 1] * G[2, 2] - G[1, 2] * G[2, 1]) / det
        Gi[0, 1] = (G[0, 2] * G[2, 1] - G[0, 1] * G[2, 2]) / det
        Gi[0, 2] = (G[0, 1] * G[1, 2] - G[0, 2] * G[1, 1]) / det
        Gi[1, 0] = (G[1, 2] * G[2, 0] - G[1, 0] * G[2, 2]) / det
        Gi[1, 1] = (G[0, 0] * G[2, 2] - G[0, 2] * G[2, 0]) / det
        Gi[1, 2] = (G[0, 2] * G[1, 0] - G[0, 0] * G[1, 2]) / det
        Gi[2, 0] = (G[1, 0] * G[2, 1] - G[1, 1] * G[2, 0]) / det
        Gi[2, 1] = (G[0, 1] * G[2, 0] - G[0, 0] * G[2, 1]) / det
        Gi[2, 2] = (G[0, 0] * G[1, 1] - G[0, 1] * G[1, 0]) / det
    return np.sqrt(abs(det))


@nb.njit(cache=True, inline="always")
def _gradients(J, Gi, dNq, grad):
    """Physical gradients grad (nn, 3) = J Gi dN^T."""
    nn, d = dNq.shape
    for a in range(nn):
        for i in range(3):
            s = 0.0
            for k in range(d):
                t = 0.0
                for m in range(d):
                    t += Gi[k, m] * dNq[a, m]
                s += J[i, k] * t
            grad[a, i] = s


@nb.njit(cache=True, inline="always")
def _gather(points, conn, e, X):
    for a in range(conn.shape[1]):
        p = conn[e, a]
        X[a, 0] = points[p, 0]
        X[a, 1] = points[p, 1]
        X[a, 2] = points[p, 2]


@nb.njit(cache=True, parallel=True)
def measure_weights(points, conn, dN, w):
    """Quadrature weights times measure, ``(ne, nq)`` (m^d)."""
    ne, nn = conn.shape
    nq, _, d = dN.shape
    out = np.empty((ne, nq))
    for e in nb.prange(ne):
        X = np.empty((nn, 3))
        J = np.empty((3, max(d, 1)))
        G = np.empty((max(d, 1), max(d, 1)))
        Gi = np.empty((max(d, 1), max(d, 1)))
        _gather(points, conn, e, X)
        for q in range(nq):
            out[e, q] = w[q] * _metric(X, dN[q], J, G, Gi)
    return out


@nb.njit(cache=True)
def assemble_conductance(points, conn, slots, dN, w, coef, data):
    """Add ``∫ coef ∇N_a·∇N_b`` (W/K) of every cell into CSR ``data``.

    ``coef`` per cell: conductivity times thickness (2D, W/K) or cross-section (1D, W·m/K),
    conductivity (3D, W/m/K).
    """
    ne, nn = conn.shape
    nq, _, d = dN.shape
    X = np.empty((nn, 3))
    J = np.empty((3, d))
    G = np.empty((d, d))
    Gi = np.empty((d, d))
    grad = np.empty((nn, 3))
    for e in range(ne):
        _gather(points, conn, e, X)
        for q in range(nq):
            det = _metric(X, dN[q], J, G, Gi)
            _gradients(J, Gi, dN[q], grad)
            f = w[q] * det * coef[e]
            for a in range(nn):
                for b in range(nn):
                    data[slots[e, a, b]] += f * (grad[a, 0] * grad[b, 0] + grad[a, 1] * grad[b, 1]
                                                 + grad[a, 2] * grad[b, 2])


@nb.njit(cache=True)
def conductance_nonlinear(points, conn, slots, N, dN, w, coef, tab_t, tab_k, T, R, data):
    """Conduction with k(T) from a table: residual ``∫ k ∇N_a·∇T`` and exact Jacobian.

    ``coef`` per cell is the thickness/cross-section factor (1 in 3D); ``tab_t`` (K) and
    ``tab_k`` (W/m/K) define k by linear interpolation, constant beyond the ends.
    ``data`` may be empty (residual only).
    """
    ne, nn = conn.shape
    nq, _, d = dN.shape
    X = np.empty((nn, 3))
    J = np.empty((3, d))
    G = np.empty((d, d))
    Gi = np.empty((d, d))
    grad = np.empty((nn, 3))
    gT = np.empty(3)
    jac = data.shape[0] > 0
    nt = tab_t.shape[0]
    for e in range(ne):
        _gather(points, conn, e, X)
        for q in range(nq):
            det = _metric(X, dN[q], J, G, Gi)
            _gradients(J, Gi, dN[q], grad)
            Tq = 0.0
            for a in range(nn):
                Tq += N[q, a] * T[conn[e, a]]
            for i in range(3):
                s = 0.0
                for a in range(nn):
                    s += grad[a, i] * T[conn[e, a]]
                gT[i] = s
            k = np.interp(Tq, tab_t, tab_k)
            dk = 0.0
            if nt > 1 and tab_t[0] < Tq < tab_t[nt - 1]:
                j = np.searchsorted(tab_t, Tq) - 1
                dk = (tab_k[j + 1] - tab_k[j]) / (tab_t[j + 1] - tab_t[j])
            f = w[q] * det * coef[e]
            for a in range(nn):
                ga = grad[a, 0] * gT[0] + grad[a, 1] * gT[1] + grad[a, 2] * gT[2]
                R[conn[e, a]] += f * k * ga
                if jac:
                    for b in range(nn):
                        gg = grad[a, 0] * grad[b, 0] + grad[a, 1] * grad[b, 1] + grad[a, 2] * grad[b, 2]
                        data[slots[e, a, b]] += f * (k * gg + dk * N[q, b] * ga)


@nb.njit(cache=True)
def assemble_mass(conn, slots, N, wdet, coef, data):
    """Add ``∫ coef N_a N_b`` of every cell into CSR ``data`` (capacitance, Robin terms)."""
    ne, nn = conn.shape
    nq = N.shape[0]
    for e in range(ne):
        for q in range(nq):
            f = wdet[e, q] * coef[e]
            for a in range(nn):
                fa = f * N[q, a]
                for b in range(nn):
                    data[slots[e, a, b]] += fa * N[q, b]


@nb.njit(cache=True)
def assemble_load(conn, N, wdet, coef, out):
    """Add ``∫ coef N_a`` of every cell into the nodal vector ``out`` (W); return ``∫ coef``."""
    ne, nn = conn.shape
    nq = N.shape[0]
    total = 0.0
    for e in range(ne):
        for q in range(nq):
            f = wdet[e, q] * coef[e]
            total += f
            for a in range(nn):
                out[conn[e, a]] += f * N[q, a]
    return total


@nb.njit(cache=True, inline="always")
def _table(Tq, tab_t, tab_v):
    """Value and slope of a piecewise-linear table at ``Tq`` (constant beyond the ends)."""
    nt = tab_t.shape[0]
    if nt == 1:
        return tab_v[0], 0.0
    if Tq <= tab_t[0]:
        return tab_v[0], 0.0
    if Tq >= tab_t[nt - 1]:
        return tab_v[nt - 1], 0.0
    j = np.searchsorted(tab_t, Tq) - 1
    s = (tab_v[j + 1] - tab_v[j]) / (tab_t[j + 1] - tab_t[j])
    return tab_v[j] + s * (Tq - tab_t[j]), s


@nb.njit(cache=True)
def radiation_facets(conn, slots, N, wdet, coef, tab_t, tab_eps, t_sink, sigma, T, R, data):
    """Gray radiation to a sink: ``R_a += ∫ coef ε(T) σ (T^4 − T_sink^4) N_a``.

    ``sigma`` is the Stefan–Boltzmann constant (W/m²/K⁴); benchmarks fix their own value.

    Adds the exact Jacobian (including dε/dT) into ``data`` unless it is empty. Returns
    ``(emitted, absorbed_from_sink)`` in W: ``∫ coef ε σ T^4`` and ``∫ coef ε σ T_sink^4``.
    Element contributions are summed locally and scattered once per element.
    """
    ne, nn = conn.shape
    nq = N.shape[0]
    jac = data.shape[0] > 0
    ts4 = t_sink ** 4
    emitted = 0.0
    absorbed = 0.0
    Te = np.empty(nn)
    re = np.empty(nn)
    je = np.empty((nn, nn))
    for e in range(ne):
        for a in range(nn):
            Te[a] = T[conn[e, a]]
            re[a] = 0.0
            if jac:
                for b in range(nn):
                    je[a, b] = 0.0
        ce = coef[e]
        for q in range(nq):
            Tq = 0.0
            for a in range(nn):
                Tq += N[q, a] * Te[a]
            eps, deps = _table(Tq, tab_t, tab_eps)
            f = wdet[e, q] * ce * sigma
            t3 = Tq * Tq * Tq
            t4 = t3 * Tq
            emitted += f * eps * t4
            absorbed += f * eps * ts4
            r = f * eps * (t4 - ts4)
            for a in range(nn):
                re[a] += r * N[q, a]
            if jac:
                dr = f * (4.0 * eps * t3 + deps * (t4 - ts4))
                for a in range(nn):
                    da = dr * N[q, a]
                    for b in range(nn):
                        je[a, b] += da * N[q, b]
        for a in range(nn):
            R[conn[e, a]] += re[a]
            if jac:
                for b in range(nn):
                    data[slots[e, a, b]] += je[a, b]
    return emitted, absorbed


@nb.njit(cache=True, parallel=True)
def cell_gradients(points, conn, dN_center, T):
    """Temperature gradient (K/m) at the reference centre of every cell, ``(ne, 3)``."""
    ne, nn = conn.shape
    d = dN_center.shape[1]
    out = np.zeros((ne, 3))
    for e in nb.prange(ne):
        X = np.empty((nn, 3))
        J = np.empty((3, max(d, 1)))
        G = np.empty((max(d, 1), max(d, 1)))
        Gi = np.empty((max(d, 1), max(d, 1)))
        grad = np.empty((nn, 3))
        _gather(points, conn, e, X)
        if d == 0:
            continue
        _metric(X, dN_center, J, G, Gi)
        _gradients(J, Gi, dN_center, grad)
        for i in range(3):
            s = 0.0
            for a in range(nn):
                s += grad[a, i] * T[conn[e, a]]
            out[e, i] = s
    return out


@nb.njit(cache=True)
def lumped_hrz(conn, N, wdet, coef, out):
    """Row-lumped capacitance by HRZ diagonal scaling (positive for quadratic cells too)."""
    ne, nn = conn.shape
    nq = N.shape[0]
    diag = np.empty(nn)
    for e in range(ne):
        total = 0.0
        sdiag = 0.0
        for a in range(nn):
            diag[a] = 0.0
        for q in range(nq):
            f = wdet[e, q] * coef[e]
            total += f
            for a in range(nn):
                diag[a] += f * N[q, a] * N[q, a]
        for a in range(nn):
            sdiag += diag[a]
        for a in range(nn):
            out[conn[e, a]] += diag[a] * total / sdiag
