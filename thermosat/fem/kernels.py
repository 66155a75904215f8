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
    "measure_weights", "assemble_conductance", "assemble_conductance_weighted", "assemble_mass", "assemble_load",
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


@nb.njit(cache=True)
def measure_weights(points, conn, dN, w):
    """Quadrature weights times measure, ``(ne, nq)`` (m^d)."""
    ne, nn = conn.shape
    nq, _, d = dN.shape
    affine = nn == d + 1
    out = np.empty((ne, nq))
    X = np.empty((nn, 3))
    J = np.empty((3, max(d, 1)))
    G = np.empty((max(d, 1), max(d, 1)))
    Gi = np.empty((max(d, 1), max(d, 1)))
    for e in range(ne):
        _gather(points, conn, e, X)
        if affine:  # linear simplex: constant metric
            det = _metric(X, dN[0], J, G, Gi)
            for q in range(nq):
                out[e, q] = w[q] * det
        else:
            for q in range(nq):
                out[e, q] = w[q] * _metric(X, dN[q], J, G, Gi)
    return out


@nb.njit(cache=True, fastmath=True)
def _conductance_tri3(points, conn, slots, wsum, coef, data):
    """Closed-form linear-triangle conductance (any embedding in 3D).

    With edges ``e_a`` opposite node ``a`` and area ``A``: ``K_ab = coef e_a·e_b / (4 A)``
    (for a rule whose weights sum to the reference area 1/2; ``wsum`` scales otherwise).
    """
    ne = conn.shape[0]
    for e in range(ne):
        i0, i1, i2 = conn[e, 0], conn[e, 1], conn[e, 2]
        ax, ay, az = points[i2, 0] - points[i1, 0], points[i2, 1] - points[i1, 1], \
            points[i2, 2] - points[i1, 2]
        bx, by, bz = points[i0, 0] - points[i2, 0], points[i0, 1] - points[i2, 1], \
            points[i0, 2] - points[i2, 2]
        cx, cy, cz = -ax - bx, -ay - by, -az - bz
        nx = by * cz - bz * cy
        ny = bz * cx - bx * cz
        nz = bx * cy - by * cx
        area2 = np.sqrt(nx * nx + ny * ny + nz * nz)  # twice the area
        f = coef[e] * wsum / area2
        k01 = f * (ax * bx + ay * by + az * bz)
        k02 = f * (ax * cx + ay * cy + az * cz)
        k12 = f * (bx * cx + by * cy + bz * cz)
        data[slots[e, 0, 0]] += -(k01 + k02)
        data[slots[e, 1, 1]] += -(k01 + k12)
        data[slots[e, 2, 2]] += -(k02 + k12)
        data[slots[e, 0, 1]] += k01
        data[slots[e, 1, 0]] += k01
        data[slots[e, 0, 2]] += k02
        data[slots[e, 2, 0]] += k02
        data[slots[e, 1, 2]] += k12
        data[slots[e, 2, 1]] += k12


@nb.njit(cache=True)
def assemble_conductance(points, conn, slots, dN, w, coef, data):
    """Add ``∫ coef ∇N_a·∇N_b`` (W/K) of every cell into CSR ``data``.

    ``coef`` per cell: conductivity times thickness (2D, W/K) or cross-section (1D, W·m/K),
    conductivity (3D, W/m/K).
    """
    ne, nn = conn.shape
    nq, _, d = dN.shape
    if nn == 3 and d == 2:
        _conductance_tri3(points, conn, slots, w.sum(), coef, data)
        return
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
def assemble_conductance_weighted(points, conn, slots, dN, w, pw, coef, data):
    """Add ``∫ coef pw ∇N_a·∇N_b`` with a weight ``pw (ne, nq)`` per quadrature point (the
    ``2πr`` of axisymmetric models) into CSR ``data``."""
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
            f = w[q] * det * coef[e] * pw[e, q]
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
    _conductance_nonlinear(points, conn, slots, N, dN, w, np.zeros((0, 0)), coef, tab_t, tab_k,
                           T, R, data)


@nb.njit(cache=True)
def conductance_nonlinear_weighted(points, conn, slots, N, dN, w, pw, coef, tab_t, tab_k, T, R,
                                   data):
    """:func:`conductance_nonlinear` with a weight ``pw (ne, nq)`` per quadrature point."""
    _conductance_nonlinear(points, conn, slots, N, dN, w, pw, coef, tab_t, tab_k, T, R, data)


@nb.njit(cache=True)
def _conductance_nonlinear(points, conn, slots, N, dN, w, pw, coef, tab_t, tab_k, T, R, data):
    ne, nn = conn.shape
    nq, _, d = dN.shape
    X = np.empty((nn, 3))
    J = np.empty((3, d))
    G = np.empty((d, d))
    Gi = np.empty((d, d))
    grad = np.empty((nn, 3))
    gT = np.empty(3)
    jac = data.shape[0] > 0
    weighted = pw.shape[0] > 0
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
            if weighted:
                f *= pw[e, q]
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


@nb.njit(cache=True, fastmath=True)
def _radiation_tri3(conn, slots, N, wdet, coef, tab_t, tab_eps, ts4, sigma, T, R, data):
    """:func:`radiation_facets` for 3-node facets, unrolled (scalars stay in registers)."""
    ne = conn.shape[0]
    nq = N.shape[0]
    jac = data.shape[0] > 0
    const = tab_t.shape[0] == 1
    eps0 = tab_eps[0]
    emitted = 0.0
    absorbed = 0.0
    for e in range(ne):
        i0, i1, i2 = conn[e, 0], conn[e, 1], conn[e, 2]
        t0, t1, t2 = T[i0], T[i1], T[i2]
        r0 = r1 = r2 = 0.0
        j00 = j01 = j02 = j11 = j12 = j22 = 0.0
        ce = coef[e] * sigma
        for q in range(nq):
            n0, n1, n2 = N[q, 0], N[q, 1], N[q, 2]
            Tq = n0 * t0 + n1 * t1 + n2 * t2
            if const:
                eps, deps = eps0, 0.0
            else:
                eps, deps = _table(Tq, tab_t, tab_eps)
            f = wdet[e, q] * ce
            t3 = Tq * Tq * Tq
            t4 = t3 * Tq
            fe = f * eps
            et = fe * t4
            emitted += et
            absorbed += fe
            r = et - fe * ts4
            r0 += r * n0
            r1 += r * n1
            r2 += r * n2
            if jac:
                dr = f * (4.0 * eps * t3 + deps * (t4 - ts4))
                d0, d1, d2 = dr * n0, dr * n1, dr * n2
                j00 += d0 * n0
                j01 += d0 * n1
                j02 += d0 * n2
                j11 += d1 * n1
                j12 += d1 * n2
                j22 += d2 * n2
        R[i0] += r0
        R[i1] += r1
        R[i2] += r2
        if jac:
            data[slots[e, 0, 0]] += j00
            data[slots[e, 0, 1]] += j01
            data[slots[e, 0, 2]] += j02
            data[slots[e, 1, 0]] += j01
            data[slots[e, 1, 1]] += j11
            data[slots[e, 1, 2]] += j12
            data[slots[e, 2, 0]] += j02
            data[slots[e, 2, 1]] += j12
            data[slots[e, 2, 2]] += j22
    return emitted, absorbed * ts4


@nb.njit(cache=True, fastmath=True)
def _radiation_quad4(conn, slots, N, wdet, coef, tab_t, tab_eps, ts4, sigma, T, R, data):
    """:func:`radiation_facets` for 4-node facets, unrolled (scalars stay in registers)."""
    ne = conn.shape[0]
    nq = N.shape[0]
    jac = data.shape[0] > 0
    const = tab_t.shape[0] == 1
    eps0 = tab_eps[0]
    emitted = 0.0
    absorbed = 0.0
    for e in range(ne):
        i0, i1, i2, i3 = conn[e, 0], conn[e, 1], conn[e, 2], conn[e, 3]
        t0, t1, t2, t3 = T[i0], T[i1], T[i2], T[i3]
        r0 = r1 = r2 = r3 = 0.0
        j00 = j01 = j02 = j03 = j11 = j12 = j13 = j22 = j23 = j33 = 0.0
        ce = coef[e] * sigma
        for q in range(nq):
            n0, n1, n2, n3 = N[q, 0], N[q, 1], N[q, 2], N[q, 3]
            Tq = n0 * t0 + n1 * t1 + n2 * t2 + n3 * t3
            if const:
                eps, deps = eps0, 0.0
            else:
                eps, deps = _table(Tq, tab_t, tab_eps)
            f = wdet[e, q] * ce
            c3 = Tq * Tq * Tq
            c4 = c3 * Tq
            emitted += f * eps * c4
            absorbed += f * eps * ts4
            r = f * eps * (c4 - ts4)
            r0 += r * n0
            r1 += r * n1
            r2 += r * n2
            r3 += r * n3
            if jac:
                dr = f * (4.0 * eps * c3 + deps * (c4 - ts4))
                d0, d1, d2, d3 = dr * n0, dr * n1, dr * n2, dr * n3
                j00 += d0 * n0
                j01 += d0 * n1
                j02 += d0 * n2
                j03 += d0 * n3
                j11 += d1 * n1
                j12 += d1 * n2
                j13 += d1 * n3
                j22 += d2 * n2
                j23 += d2 * n3
                j33 += d3 * n3
        R[i0] += r0
        R[i1] += r1
        R[i2] += r2
        R[i3] += r3
        if jac:
            data[slots[e, 0, 0]] += j00
            data[slots[e, 0, 1]] += j01
            data[slots[e, 0, 2]] += j02
            data[slots[e, 0, 3]] += j03
            data[slots[e, 1, 0]] += j01
            data[slots[e, 1, 1]] += j11
            data[slots[e, 1, 2]] += j12
            data[slots[e, 1, 3]] += j13
            data[slots[e, 2, 0]] += j02
            data[slots[e, 2, 1]] += j12
            data[slots[e, 2, 2]] += j22
            data[slots[e, 2, 3]] += j23
            data[slots[e, 3, 0]] += j03
            data[slots[e, 3, 1]] += j13
            data[slots[e, 3, 2]] += j23
            data[slots[e, 3, 3]] += j33
    return emitted, absorbed


@nb.njit(cache=True)
def _is_linear_triangle(N, wdet):
    """Whether ``N`` are linear-triangle shape values under a rule exact to degree 2 (its
    first and second moments are those of the barycentric coordinates)."""
    if N.shape[1] != 3 or wdet.shape[0] == 0:
        return False
    tot = 0.0
    for q in range(N.shape[0]):
        tot += wdet[0, q]
    if not tot > 0.0:
        return False
    for a in range(3):
        m1 = 0.0
        for q in range(N.shape[0]):
            m1 += wdet[0, q] * N[q, a]
        if abs(m1 / tot - 1.0 / 3.0) > 1e-12:
            return False
        for b in range(3):
            m2 = 0.0
            for q in range(N.shape[0]):
                m2 += wdet[0, q] * N[q, a] * N[q, b]
            if abs(m2 / tot - (1.0 / 6.0 if a == b else 1.0 / 12.0)) > 1e-12:
                return False
    return True


@nb.njit(cache=True, fastmath=True)
def _radiation_tri3_exact(conn, slots, wdet, coef, eps, ts4, sigma, T, R, data):
    """Constant-ε radiation on linear triangles integrated in closed form (exact).

    With barycentric monomials ``∫ λ^β dA = 2A β! / (|β| + 2)!`` and the complete
    homogeneous polynomials ``h_k`` of the nodal temperatures ``S = {T0, T1, T2}``:
    ``∫ T⁴ λ_a = A (h4(S) + T_a h3(S ∪ {T_a})) / 105`` and ``∫ T⁴ = A h4(S) / 15``; the
    Jacobian follows from ``∂h_k/∂T_b = h_{k−1}(S ∪ {T_b})``. No quadrature loop.
    """
    ne = conn.shape[0]
    nq = wdet.shape[1]
    jac = data.shape[0] > 0
    es = eps * sigma
    emitted = 0.0
    area_sum = 0.0
    for e in range(ne):
        i0, i1, i2 = conn[e, 0], conn[e, 1], conn[e, 2]
        t0, t1, t2 = T[i0], T[i1], T[i2]
        area = 0.0
        for q in range(nq):
            area += wdet[e, q]
        area *= coef[e]
        area_sum += area
        # h_k of S, adding one variable at a time: h_k(S ∪ {x}) = h_k(S) + x h_{k−1}(S ∪ {x})
        a1 = t0
        a2 = t0 * t0
        a3 = a2 * t0
        a4 = a3 * t0
        b1 = a1 + t1
        b2 = a2 + t1 * b1
        b3 = a3 + t1 * b2
        b4 = a4 + t1 * b3
        h1 = b1 + t2
        h2 = b2 + t2 * h1
        h3 = b3 + t2 * h2
        h4 = b4 + t2 * h3
        f = es * area / 105.0
        emitted += es * area * h4 / 15.0
        # h_k(S ∪ {x}) for x = t0, t1, t2
        p1_0 = h1 + t0
        p2_0 = h2 + t0 * p1_0
        p3_0 = h3 + t0 * p2_0
        p1_1 = h1 + t1
        p2_1 = h2 + t1 * p1_1
        p3_1 = h3 + t1 * p2_1
        p1_2 = h1 + t2
        p2_2 = h2 + t2 * p1_2
        p3_2 = h3 + t2 * p2_2
        c = es * ts4 * area / 3.0
        R[i0] += f * (h4 + t0 * p3_0) - c
        R[i1] += f * (h4 + t1 * p3_1) - c
        R[i2] += f * (h4 + t2 * p3_2) - c
        if jac:
            # h2(S ∪ {a, b}) = h2(S ∪ {a}) + t_b (h1 + t_a + t_b)
            q00 = p2_0 + t0 * (h1 + t0 + t0)
            q11 = p2_1 + t1 * (h1 + t1 + t1)
            q22 = p2_2 + t2 * (h1 + t2 + t2)
            q01 = p2_0 + t1 * (h1 + t0 + t1)
            q02 = p2_0 + t2 * (h1 + t0 + t2)
            q12 = p2_1 + t2 * (h1 + t1 + t2)
            j00 = f * (2.0 * p3_0 + 2.0 * t0 * q00)
            j11 = f * (2.0 * p3_1 + 2.0 * t1 * q11)
            j22 = f * (2.0 * p3_2 + 2.0 * t2 * q22)
            j01 = f * (p3_1 + t0 * q01)
            j02 = f * (p3_2 + t0 * q02)
            j12 = f * (p3_2 + t1 * q12)
            data[slots[e, 0, 0]] += j00
            data[slots[e, 0, 1]] += j01
            data[slots[e, 0, 2]] += j02
            data[slots[e, 1, 0]] += j01
            data[slots[e, 1, 1]] += j11
            data[slots[e, 1, 2]] += j12
            data[slots[e, 2, 0]] += j02
            data[slots[e, 2, 1]] += j12
            data[slots[e, 2, 2]] += j22
    return emitted, es * ts4 * area_sum


@nb.njit(cache=True)
def radiation_facets(conn, slots, N, wdet, coef, tab_t, tab_eps, t_sink, sigma, T, R, data):
    """Gray radiation to a sink: ``R_a += ∫ coef ε(T) σ (T^4 − T_sink^4) N_a``.

    ``sigma`` is the Stefan–Boltzmann constant (W/m²/K⁴); benchmarks fix their own value.

    Adds the exact Jacobian (including dε/dT) into ``data`` unless it is empty. Returns
    ``(emitted, absorbed_from_sink)`` in W: ``∫ coef ε σ T^4`` and ``∫ coef ε σ T_sink^4``.
    Element contributions are summed locally and scattered once per element; 3- and 4-node
    facets (triangles, quads) run unrolled kernels.
    """
    ne, nn = conn.shape
    nq = N.shape[0]
    jac = data.shape[0] > 0
    ts4 = t_sink ** 4
    if nn == 3 and tab_t.shape[0] == 1 and _is_linear_triangle(N, wdet):
        return _radiation_tri3_exact(conn, slots, wdet, coef, tab_eps[0], ts4, sigma, T, R,
                                     data)
    if nn == 3:
        return _radiation_tri3(conn, slots, N, wdet, coef, tab_t, tab_eps, ts4, sigma, T, R,
                               data)
    if nn == 4:
        return _radiation_quad4(conn, slots, N, wdet, coef, tab_t, tab_eps, ts4, sigma, T, R,
                                data)
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
        ce = coef[e] * sigma
        for q in range(nq):
            Tq = 0.0
            for a in range(nn):
                Tq += N[q, a] * Te[a]
            eps, deps = _table(Tq, tab_t, tab_eps)
            f = wdet[e, q] * ce
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
