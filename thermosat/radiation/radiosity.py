"""Gray-diffuse radiative exchange between facets (radiosity / Gebhart), with space as a sink.

For facets with view factors ``F`` (to space ``f_s = 1 − Σ_j F_ij``), emissivities ``ε`` and
blackbody emissive powers ``E = σT⁴`` (W/m²), with space black at ``E_s = σT_sink⁴``:

    radiosity      J = ε E + (1 − ε) H
    irradiation    H = F J + f_s E_s
    net leaving    q_i = A_i ε_i (E_i − H_i)                         (W, > 0 cools facet i)

so ``(I − diag(1 − ε) F) J = ε E + (1 − ε) f_s E_s``. Multiplying the rows of reflecting
facets by ``A_i/(1 − ε_i)`` gives the symmetric positive-definite system
``(diag(A/ρ) − G) J = ...`` with ``G = A_i F_ij`` (ρ = 1 − ε), solved by Cholesky (dense) or
preconditioned conjugate gradients (sparse); black facets have ``J = E`` directly.

``q`` is linear in ``E − E_s``: ``q = K (E − E_s 1)`` with the symmetric exchange matrix
``K = diag(Aε)(I − B)``, ``B = F (I − diag(1−ε) F)⁻¹ diag(ε)`` the Gebhart factors (``B_ij``:
fraction of the emission of i absorbed by j; ``A_i ε_i B_ij`` are the total exchange areas).
Hence the exact Jacobian ``∂q/∂T = K diag(4σT³)``. ``K`` is precomputed once per geometry
and emissivity when the facet count is at most ``dense_limit``; above it ``q`` costs one
sparse solve and the Jacobian is returned as a ``LinearOperator``. All-black enclosures have
the sparse ``K = diag(A)(I − F)``.

Energy: ``Σ_i q_i`` equals the net heat to space (test: to 1e-10 relative).

Facet and node temperatures
---------------------------
For linear facets the facet emissive power is the mean of the nodal ones,
``T_f⁴ = (1/n) Σ_k T_k⁴`` (``n`` = 3 or 4 nodes), which is what nodal quadrature of σT⁴ over
the facet gives and which keeps ``Σ`` of radiated power exact for uniform temperature. Each
facet's net heat is given to its nodes in equal shares ``q_f / n`` (the consistent load of a
uniform flux on a linear triangle or parallelogram, ``∫ N_k dA = A/n``). With
``P`` (nodes × facets, ``P_kf = 1/n_f``): ``Q = P q(σ Pᵀ T⁴)`` and
``∂Q/∂T = P K Pᵀ diag(4σT³)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from thermosat.common.errors import InputError, SolverError
from thermosat.common.constants import SIGMA, T_SINK_DEFAULT
from thermosat.radiation.viewfactors import ViewFactors

__all__ = [
    "ExchangeBreakdown",
    "RadiosityExchange",
    "facet_node_operator",
    "facet_temperatures",
]


def facet_node_operator(facet_nodes, n_nodes: int | None = None) -> sp.csr_matrix:
    """``P`` (n_nodes × nf) CSR with ``P[k, f] = 1/n_f`` for each node k of facet f.

    ``facet_nodes`` is (nf, 3) or (nf, 4) (a negative 4th index marks a triangle).
    """
    fn = np.asarray(facet_nodes, dtype=np.int64)
    if fn.ndim != 2 or fn.shape[1] not in (3, 4):
        raise InputError(f"facet_nodes: expected (nf, 3) or (nf, 4), got shape {fn.shape}")
    nf = fn.shape[0]
    valid = fn >= 0
    nper = valid.sum(axis=1)
    if n_nodes is None:
        n_nodes = int(fn.max()) + 1 if fn.size else 0
    if fn.size and fn.max() >= n_nodes:
        raise InputError(f"facet_nodes: node index {int(fn.max())} >= n_nodes = {n_nodes}")
    rows = fn[valid]
    cols = np.repeat(np.arange(nf), nper)
    vals = np.repeat(1.0 / nper, nper)
    return sp.csr_matrix((vals, (rows, cols)), shape=(n_nodes, nf))


def facet_temperatures(T_nodes, facet_nodes) -> np.ndarray:
    """Facet temperatures (K) with ``T_f⁴`` = mean of the nodal ``T⁴``."""
    T = np.asarray(T_nodes, dtype=np.float64)
    P = facet_node_operator(facet_nodes, T.shape[0])
    return (P.T @ T**4) ** 0.25


@dataclass
class ExchangeBreakdown:
    """Where the radiation of each facet group goes (W).

    Attributes
    ----------
    names : group names (an ``"other"`` group collects facets in no group)
    net : (ng, ng) ``net[a, b]`` = heat emitted by a and absorbed by b minus the reverse
        (antisymmetric)
    to_space : (ng,) emitted by a and lost to space minus space emission absorbed by a
    q_net : (ng,) net heat leaving each group, ``= Σ_b net[a, b] + to_space[a]``
    emitted : (ng,) total emission ``Σ A ε σT⁴`` of each group
    """

    names: list[str]
    net: np.ndarray
    to_space: np.ndarray
    q_net: np.ndarray
    emitted: np.ndarray

    def as_dict(self) -> dict:
        out = {}
        for a, na in enumerate(self.names):
            out[f"{na}->space"] = float(self.to_space[a])
            for b, nb in enumerate(self.names):
                if a != b:
                    out[f"{na}->{nb}"] = float(self.net[a, b])
        return out

    def balance_error(self) -> float:
        """Largest ``|q_net − Σ_b net − to_space|`` relative to the total emission."""
        res = self.q_net - self.net.sum(axis=1) - self.to_space
        return float(np.max(np.abs(res)) / max(np.sum(self.emitted), 1e-300))


class RadiosityExchange:
    """Gray-diffuse exchange between facets of a :class:`ViewFactors` set and space.

    Parameters
    ----------
    vf : view factors (reciprocal; ``vf.to_space`` is the view to space)
    emissivity : scalar or (nf,) hemispherical emissivity in [0, 1]
    t_sink : temperature of space, K
    sigma : Stefan–Boltzmann constant, W/(m² K⁴)
    dense_limit : precompute the dense exchange matrix ``K`` when nf ≤ this
    factor_limit : above ``dense_limit`` but with at most this many reflecting facets, the
        radiosity system is still Cholesky-factorised once (dense, nR³/3 flops) so that
        every radiosity solve is a back-substitution (2 nR² flops) instead of a CG solve;
        ``K`` is not formed. Above it: Jacobi-preconditioned CG per solve.
    """

    def __init__(self, vf: ViewFactors, emissivity, t_sink: float = T_SINK_DEFAULT, *,
                 sigma: float = SIGMA, dense_limit: int = 3000, cg_rtol: float = 1e-13,
                 factor_limit: int = 6000):
        nf = vf.n_facets
        eps = np.broadcast_to(np.asarray(emissivity, dtype=np.float64), (nf,)).copy()
        if not np.all(np.isfinite(eps)) or np.any(eps < 0.0) or np.any(eps > 1.0):
            raise InputError("emissivity: every value must be in [0, 1]")
        if not (np.isfinite(t_sink) and t_sink >= 0.0):
            raise InputError(f"t_sink: must be a temperature >= 0 K, got {t_sink}")
        self.vf = vf
        self.nf = nf
        self.eps = eps
        self.rho = 1.0 - eps
        self.t_sink = float(t_sink)
        self.sigma = float(sigma)
        self.areas = np.asarray(vf.areas, dtype=np.float64)
        self.F = vf.F.tocsr()
        self.G = (sp.diags(self.areas) @ self.F).tocsr()
        self.G = ((self.G + self.G.T) * 0.5).tocsr()
        self.f_space = np.asarray(vf.to_space, dtype=np.float64)
        self.cg_rtol = float(cg_rtol)
        self._R = np.flatnonzero(self.rho > 0.0)         # reflecting facets
        self._B = np.flatnonzero(self.rho == 0.0)        # black facets
        self.black = self._R.size == 0
        self.dense = (not self.black) and nf <= dense_limit
        self._K = None
        self._chol = None
        if self.black:
            self._K = (sp.diags(self.areas) - self.G).tocsr()
        else:
            R, B = self._R, self._B
            self._S = (sp.diags(self.areas[R] / self.rho[R]) - self.G[R][:, R]).tocsr()
            self._G_RB = self.G[R][:, B].tocsr()
            self._dinv = 1.0 / self._S.diagonal()
            if self.dense:
                try:
                    self._chol = sla.cho_factor(self._S.toarray(), lower=True,
                                                check_finite=False)
                except np.linalg.LinAlgError as exc:
                    raise SolverError("radiosity: the system is singular (a closed enclosure "
                                      "of perfect reflectors, ε = 0?)") from exc
                self._K = self._dense_exchange_matrix()
            elif R.size <= factor_limit:
                try:
                    self._chol = sla.cho_factor(self._S.toarray(), lower=True,
                                                check_finite=False)
                except np.linalg.LinAlgError:
                    self._chol = None   # not positive definite to rounding: CG decides

    # ---------------------------------------------------------------------------------------
    def _solve_R(self, b: np.ndarray) -> np.ndarray:
        if self._chol is not None:
            return sla.cho_solve(self._chol, b, check_finite=False)
        if b.ndim == 2:
            return np.column_stack([self._solve_R(b[:, k]) for k in range(b.shape[1])])
        if not np.any(b):
            return np.zeros_like(b)
        M = spla.LinearOperator(self._S.shape, matvec=lambda x: self._dinv * x)
        x, info = spla.cg(self._S, b, rtol=self.cg_rtol, atol=0.0, M=M,
                          maxiter=10 * self._S.shape[0] + 100)
        if info != 0:
            raise SolverError(f"radiosity: conjugate gradients did not converge (info={info})")
        return x

    def radiosity(self, E: np.ndarray, E_sink) -> np.ndarray:
        """Radiosity J (W/m²) for facet emissive powers ``E`` (W/m²) and space ``E_sink``.

        ``E`` may be (nf, k) with ``E_sink`` (k,): k independent cases, one solve."""
        E = np.asarray(E, dtype=np.float64)
        J = np.empty_like(E)
        R, B = self._R, self._B
        J[B] = E[B]
        if R.size:
            col = (slice(None),) + (None,) * (E.ndim - 1)   # per-facet factors over columns
            rhs_R = (self.eps[R][col] * E[R]
                     + (self.rho[R] * self.f_space[R])[col] * np.asarray(E_sink, float))
            b = (self.areas[R] / self.rho[R])[col] * rhs_R
            if B.size:
                b = b + self._G_RB @ J[B]
            J[R] = self._solve_R(b)
        return J

    def _heat_from_power(self, E: np.ndarray, E_sink: float) -> np.ndarray:
        J = self.radiosity(E, E_sink)
        H = self.F @ J + self.f_space * E_sink
        return self.areas * self.eps * (E - H)

    def _dense_exchange_matrix(self) -> np.ndarray:
        """``K`` from one Cholesky solve. With ``W = diag(Aε/ρ)`` on the reflecting set R and
        ``S = diag(A/ρ)_RR − G_RR``: ``K_RR = W − W S⁻¹ W``, ``K_RB = −W S⁻¹ G_RB``,
        ``K_BB = diag(A_B) − G_BB − G_BR S⁻¹ G_RB`` (B: black facets); symmetric."""
        nf = self.nf
        R, B = self._R, self._B
        w = self.areas[R] * self.eps[R] / self.rho[R]
        rhs = np.zeros((R.size, R.size + B.size))
        rhs[np.arange(R.size), np.arange(R.size)] = w
        if B.size:
            rhs[:, R.size:] = self._G_RB.toarray()
        X = self._solve_R(rhs)
        K = np.zeros((nf, nf))
        K[np.ix_(R, R)] = -w[:, None] * X[:, :R.size]
        K[R, R] += w
        if B.size:
            K[np.ix_(R, B)] = -w[:, None] * X[:, R.size:]
            K[np.ix_(B, R)] = K[np.ix_(R, B)].T
            G_BB = self.G[B][:, B].toarray()
            K[np.ix_(B, B)] = (np.diag(self.areas[B]) - G_BB
                               - self._G_RB.T @ X[:, R.size:])
        return 0.5 * (K + K.T)

    # ---------------------------------------------------------------------------------------
    def _check_T(self, T, n: int, what: str) -> np.ndarray:
        T = np.asarray(T, dtype=np.float64)
        if T.shape != (n,):
            raise InputError(f"{what}: expected shape ({n},), got {T.shape}")
        if not np.all(np.isfinite(T)) or np.any(T < 0.0):
            raise InputError(f"{what}: temperatures must be finite and >= 0 K")
        return T

    def exchange_matrix(self):
        """``K`` (W per W/m²): dense ndarray, sparse CSR (all black) or ``LinearOperator``."""
        if self._K is not None:
            return self._K
        return spla.LinearOperator((self.nf, self.nf), matvec=lambda x: self._heat_from_power(
            np.asarray(x, dtype=np.float64).ravel(), 0.0), dtype=np.float64)

    def gebhart(self) -> np.ndarray:
        """Dense Gebhart factors ``B = I − K/(A ε)`` (nf × nf): ``B_ij`` is the fraction of
        the emission of facet i absorbed by facet j, ``1 − Σ_j B_ij`` the fraction lost to
        space. Raises for facets with ε = 0 or when ``K`` is not dense."""
        if self._K is None:
            raise SolverError("gebhart: only available with a dense exchange matrix "
                              f"(nf = {self.nf} > dense_limit)")
        K = self._K.toarray() if sp.issparse(self._K) else self._K
        ae = self.areas * self.eps
        if np.any(ae <= 0.0):
            raise SolverError("gebhart: undefined for facets with zero emissivity")
        return np.eye(self.nf) - K / ae[:, None]

    def heat(self, T_facets) -> np.ndarray:
        """Net heat leaving each facet (W) at facet temperatures ``T_facets`` (K)."""
        T = self._check_T(T_facets, self.nf, "T_facets")
        E = self.sigma * T**4
        Es = self.sigma * self.t_sink**4
        if self._K is not None:
            return np.asarray(self._K @ (E - Es)).ravel()
        return self._heat_from_power(E, Es)

    def heat_and_jacobian(self, T_facets):
        """``(q, J)``: net heat leaving each facet (W) and ``∂q/∂T`` (W/K).

        ``J`` is a dense ndarray (nf ≤ dense_limit), a CSR matrix (all facets black) or a
        ``scipy.sparse.linalg.LinearOperator`` (large reflecting sets).
        """
        T = self._check_T(T_facets, self.nf, "T_facets")
        q = self.heat(T)
        d = 4.0 * self.sigma * T**3
        if self._K is None:
            J = spla.LinearOperator((self.nf, self.nf), dtype=np.float64,
                                    matvec=lambda v: self._heat_from_power(
                                        d * np.asarray(v, dtype=np.float64).ravel(), 0.0))
        elif sp.issparse(self._K):
            J = (self._K @ sp.diags(d)).tocsr()
        else:
            J = self._K * d[None, :]
        return q, J

    def node_heat_and_jacobian(self, T_nodes, facet_nodes):
        """Net heat leaving each node (W) and its Jacobian (W/K) for linear facets.

        Parameters
        ----------
        T_nodes : (n_nodes,) nodal temperatures, K
        facet_nodes : (nf, 3|4) node indices of the facets, in the order of the view factors

        Returns
        -------
        Q : (n_nodes,) W, zero at nodes on no facet
        J : (n_nodes, n_nodes) CSR (dense K or all-black) or ``LinearOperator``
        """
        T = np.asarray(T_nodes, dtype=np.float64)
        if T.ndim != 1:
            raise InputError(f"T_nodes: expected a 1-D array of K, got shape {T.shape}")
        T = self._check_T(T, T.shape[0], "T_nodes")
        P = facet_node_operator(facet_nodes, T.shape[0])
        if P.shape[1] != self.nf:
            raise InputError(f"facet_nodes: {P.shape[1]} facets, the view factors have "
                             f"{self.nf}")
        T4 = T**4
        E = self.sigma * (P.T @ T4)
        Es = self.sigma * self.t_sink**4
        if self._K is not None:
            q = np.asarray(self._K @ (E - Es)).ravel()
        else:
            q = self._heat_from_power(E, Es)
        Q = P @ q
        d = 4.0 * self.sigma * T**3
        if self._K is None:
            PT = P.T.tocsr()
            J = spla.LinearOperator((T.shape[0],) * 2, dtype=np.float64,
                                    matvec=lambda v: P @ self._heat_from_power(
                                        PT @ (d * np.asarray(v, dtype=np.float64).ravel()),
                                        0.0))
            return Q, J
        used = np.unique(np.asarray(facet_nodes)[np.asarray(facet_nodes) >= 0])
        Pu = P[used]
        if sp.issparse(self._K):
            Ju = (Pu @ self._K @ Pu.T).tocsr() @ sp.diags(d[used])
            Ju = sp.csr_matrix(Ju)
        else:
            Ju = sp.csr_matrix((Pu @ (Pu @ self._K.T).T) * d[used][None, :])
        Ju = Ju.tocoo()
        J = sp.csr_matrix((Ju.data, (used[Ju.row], used[Ju.col])), shape=(T.shape[0],) * 2)
        return Q, J

    # ---------------------------------------------------------------------------------------
    def net_to_space(self, T_facets) -> float:
        """Net heat from all facets to space (W): ``Σ A_i f_s,i (J_i − E_s)``."""
        T = self._check_T(T_facets, self.nf, "T_facets")
        E = self.sigma * T**4
        Es = self.sigma * self.t_sink**4
        J = self.radiosity(E, Es)
        return float(np.sum(self.areas * self.f_space * (J - Es)))

    def exchange_breakdown(self, T_facets, groups: dict) -> ExchangeBreakdown:
        """Heat exchanged between facet groups and with space (W), by emission and absorption.

        Parameters
        ----------
        T_facets : (nf,) K
        groups : name -> facet indices (or boolean mask); facets in no group form ``"other"``.
            Groups must not overlap.
        """
        T = self._check_T(T_facets, self.nf, "T_facets")
        owner = np.full(self.nf, -1, dtype=np.int64)
        names = []
        for k, (name, idx) in enumerate(groups.items()):
            idx = np.asarray(idx)
            idx = np.flatnonzero(idx) if idx.dtype == bool else idx.astype(np.int64)
            if np.any(owner[idx] >= 0):
                raise InputError(f"groups: group {name!r} overlaps another group")
            owner[idx] = k
            names.append(str(name))
        if np.any(owner < 0):
            owner[owner < 0] = len(names)
            names.append("other")
        ng = len(names)
        E = self.sigma * T**4
        Es = self.sigma * self.t_sink**4
        ae = self.areas * self.eps
        emitted_f = ae * E
        absorbed = np.zeros((ng + 1, ng))   # absorbed[source, group]; source ng = space
        lost = np.zeros(ng)
        # one radiosity solve for all sources: column g emits from group g only, the last
        # column is space alone
        E_cols = np.zeros((self.nf, ng + 1))
        E_cols[np.arange(self.nf), owner] = E
        sink = np.zeros(ng + 1)
        sink[ng] = Es
        J = self.radiosity(E_cols, sink)
        a_cols = ae[:, None] * (self.F @ J)
        a_cols[:, ng] += ae * self.f_space * Es
        for g in range(ng + 1):
            absorbed[g] = np.bincount(owner, weights=a_cols[:, g], minlength=ng)
        for g in range(ng):
            lost[g] = emitted_f[owner == g].sum() - a_cols[:, g].sum()
        net = absorbed[:ng] - absorbed[:ng].T
        np.fill_diagonal(net, 0.0)
        to_space = lost - absorbed[ng]
        q = emitted_f - a_cols.sum(axis=1)   # = heat(T): radiosity is linear in E and E_s
        q_net = np.bincount(owner, weights=q, minlength=ng)
        emitted = np.bincount(owner, weights=emitted_f, minlength=ng)
        return ExchangeBreakdown(names, net, to_space, q_net, emitted)
