"""The assembled global system: pattern, constant tangent, capacitance, loads, Dirichlet data."""
from __future__ import annotations

import numba as nb
import numpy as np

from thermosat.fem.pattern import build_pattern
from thermosat.terms.base import Term

__all__ = ["System"]


@nb.njit(cache=True)
def _apply_dirichlet(indptr, indices, data, fixed_mask, diag_value):
    """Zero rows and columns of fixed unknowns, put ``diag_value`` on their diagonal."""
    n = indptr.shape[0] - 1
    for i in range(n):
        fi = fixed_mask[i]
        for p in range(indptr[i], indptr[i + 1]):
            j = indices[p]
            if fi or fixed_mask[j]:
                data[p] = diag_value if i == j else 0.0


class System:
    """Global residual ``R(T) = A T − F(t) + N(T, t)`` over ``n`` nodal temperatures (K).

    Parameters
    ----------
    n : number of unknowns
    terms : model terms
    fixed : list of ``(node_ids, value)``, value a number (K) or a callable of time (s)
    """

    def __init__(self, n: int, terms: list[Term], fixed: list[tuple[np.ndarray, object]]):
        self.n = n
        self.terms = terms
        blocks = [b for term in terms for b in term.blocks()]
        self.pattern = build_pattern(n, blocks)
        for term in terms:
            term.bind(self.pattern)
        self.A_data = self.pattern.zeros()
        for term in terms:
            term.add_matrix(self.A_data)
        self.A = self.pattern.matrix(self.A_data)
        self.nonlinear_terms = [t for t in terms if t.nonlinear]
        self.symmetric = all(t.symmetric for t in terms)
        self.fixed_nodes = (np.unique(np.concatenate([np.asarray(f[0], np.int64) for f in fixed]))
                            if fixed else np.zeros(0, np.int64))
        self._fixed = fixed
        self.fixed_mask = np.zeros(n, np.bool_)
        self.fixed_mask[self.fixed_nodes] = True
        self.free = ~self.fixed_mask
        self._diag_scale = float(np.mean(np.abs(self.A_data[self.pattern.diag]))) or 1.0
        self._F_cache: tuple[float, np.ndarray] | None = None
        self._time_dependent_load = True

    # --- loads and Dirichlet values -------------------------------------------------------
    def load(self, t: float) -> np.ndarray:
        """Heat input vector F(t) (W)."""
        F = np.zeros(self.n)
        for term in self.terms:
            term.add_load(F, t)
        return F

    def fixed_values(self, t: float) -> np.ndarray:
        """Prescribed temperatures (K) at ``fixed_nodes`` at time ``t`` (s)."""
        vals = np.zeros(self.n)
        for nodes, value in self._fixed:
            v = value(t) if callable(value) else value
            vals[np.asarray(nodes)] = v
        return vals[self.fixed_nodes]

    def impose(self, T: np.ndarray, t: float) -> None:
        """Set the prescribed temperatures in ``T`` in place."""
        if self.fixed_nodes.size:
            T[self.fixed_nodes] = self.fixed_values(t)

    # --- residual and tangent ------------------------------------------------------------------
    def residual(self, T: np.ndarray, t: float, F: np.ndarray, jacobian: bool = True,
                 mass: tuple | None = None):
        """Residual (W) and tangent data; ``mass = (a, C, b)`` adds ``C (a T − b)``.

        Returns ``(R, data, scale)`` where ``scale`` (W) is the size of the heat flows the
        residual is measured against.
        """
        R = self.A @ T
        scale = 0.5 * np.abs(R).sum() + np.abs(F).sum()
        R -= F
        data = self.A_data.copy() if jacobian else np.zeros(0)
        if self.nonlinear_terms:
            N = np.empty(self.n)
            for term in self.nonlinear_terms:
                # each term separately: their sum can cancel (advection against wall heat)
                N.fill(0.0)
                term.add_nonlinear(T, t, N, data)
                scale += np.abs(N).sum()
                R += N
        if mass is not None:
            a, C, b = mass
            store = (C @ (a * T - b)) if not isinstance(C, np.ndarray) else C * (a * T - b)
            scale += np.abs(store).sum()
            R += store
            if jacobian:
                if isinstance(C, np.ndarray):
                    data[self.pattern.diag] += a * C
                else:
                    data += a * C.data
        return R, data, max(scale, 1e-300)

    def constrained(self, data: np.ndarray):
        """Tangent with Dirichlet rows/columns eliminated symmetrically (in place)."""
        if self.fixed_nodes.size:
            _apply_dirichlet(self.pattern.indptr, self.pattern.indices, data, self.fixed_mask,
                             self._diag_scale)
        return self.pattern.matrix(data)

    def capacitance(self, lumped: bool = False):
        """Capacitance (J/K): a CSR matrix on the pattern, or a diagonal vector if ``lumped``."""
        if lumped:
            diag = np.zeros(self.n)
            for term in self.terms:
                term.add_capacitance(self.pattern.zeros(), diag)
            return diag
        data = self.pattern.zeros()
        for term in self.terms:
            term.add_capacitance(data, None)
        return self.pattern.matrix(data)

    def term_heat(self, term: Term, T: np.ndarray, t: float) -> np.ndarray:
        """Heat (W) that ``term`` brings into the model at every node: minus its part of the
        residual, ``F − A T − N`` (its constant tangent assembled once and kept)."""
        cache = self.__dict__.setdefault("_term_A", {})
        A = cache.get(id(term))
        if A is None:
            data = self.pattern.zeros()
            term.add_matrix(data)
            A = self.pattern.matrix(data) if np.any(data) else None
            cache[id(term)] = A if A is not None else False
        q = np.zeros(self.n)
        term.add_load(q, t)
        if A is not None and A is not False:
            q -= A @ T
        if term.nonlinear:
            N = np.zeros(self.n)
            term.add_nonlinear(T, t, N, np.zeros(0))
            q -= N
        return q

    def flows(self, T: np.ndarray, t: float) -> dict[str, float]:
        """Heat flows of every term (W, positive into the model), merged by name."""
        out: dict[str, float] = {}
        for term in self.terms:
            for k, v in term.flows(T, t).items():
                out[k] = out.get(k, 0.0) + v
        return out

