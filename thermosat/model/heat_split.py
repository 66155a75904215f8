"""Heat entering and leaving through a boundary, facet by facet (not node by node).

The heat a boundary condition brings in is known at the nodes: ``R_a`` (W), its part of the
discrete balance (for a fixed temperature, the reaction). Splitting ``Σ R_a`` into what
enters and what leaves by the sign of ``R_a`` is wrong for quadratic cells: the consistent
nodal loads of a *uniform* inflow are negative at the corners of a quad8 facet (−1/12 of the
facet's heat each) and of mixed sign on tri6 facets, so a boundary where heat only enters
showed heat leaving too.

Here the boundary flux is first recovered from the nodal heats by the consistent boundary
mass matrix ([Gresho1987] in docs/references.md: Gresho, Lee, Sani, Maslanik & Eaton, "The
consistent Galerkin FEM for computing derived boundary quantities in thermal and/or fluids
problems", *Int. J. Numer. Methods Fluids* 7, 371): ``q_h = Σ_b q_b N_b`` with ``Σ_b M_ab q_b = R_a``, ``M_ab = ∫_Γ N_a N_b dA``.
Each facet's heat is then ``∫_f q_h dA = Σ_b q_b ∫_f N_b dA``; what enters is the sum over
the facets with positive heat, what leaves over the others. The facet heats add up to
``Σ_a R_a`` exactly (the shape functions sum to one), a uniform flux gives a uniform ``q_h``
(one sign) on any element order, and for linear facets the split is that of the recovered
flux rather than of the lumped nodes.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from thermosat.fem.integration import CellSet

__all__ = ["BoundarySplit"]


class BoundarySplit:
    """The facet-wise in/out split of nodal heats on one boundary (a :class:`CellSet` of its
    facets, global node ids, built with the mass quadrature so that ``∫N_a N_b`` is exact)."""

    def __init__(self, cells: CellSet):
        conn = cells.conn
        self.nodes, loc = np.unique(conn, return_inverse=True)
        self.loc = loc.reshape(conn.shape)
        nb, nn = len(self.nodes), conn.shape[1]
        Me = np.einsum("eq,qa,qb->eab", cells.wdet, cells.N, cells.N)
        rows = np.repeat(self.loc, nn, axis=1).ravel()
        cols = np.tile(self.loc, (1, nn)).ravel()
        M = sp.coo_matrix((Me.ravel(), (rows, cols)), shape=(nb, nb)).tocsc()
        self.facet_int = cells.wdet @ cells.N                  # ∫_f N_a dA, (ne, nn)
        diag = M.diagonal()
        self._solve = None
        if nb and np.all(diag > 1e-14 * diag.max()):           # no facet without measure
            try:
                self._solve = spla.factorized(M)
            except RuntimeError:                               # singular: keep the nodes
                self._solve = None

    def facet_heat(self, q_node: np.ndarray) -> np.ndarray | None:
        """Heat (W) of every facet for nodal heats ``q_node`` (global vector, W), or ``None``
        where the recovery does not apply (facets without measure, nodal heat off the
        boundary, or a sum that does not match)."""
        if self._solve is None:
            return None
        r = q_node[self.nodes]
        total = float(np.abs(q_node).sum())
        if abs(float(np.abs(r).sum()) - total) > 1e-12 * max(total, 1e-300):
            return None
        q = self._solve(r)
        h = (self.facet_int * q[self.loc]).sum(axis=1)
        if not np.all(np.isfinite(h)) or abs(h.sum() - r.sum()) > 1e-9 * max(total, 1e-300):
            return None
        return h

    def split(self, q_node: np.ndarray) -> tuple[float, float] | None:
        """``(in, out)`` (W, both ≥ 0) summed over the facets, or ``None`` (see
        :meth:`facet_heat`)."""
        h = self.facet_heat(q_node)
        if h is None:
            return None
        return float(h[h > 0].sum()), float(-h[h < 0].sum())
