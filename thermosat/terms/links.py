"""Conductive links between unknowns that do not share an element.

Every link here is a sum of rank-one conductances ``g (cᵀT)`` with ``c`` a vector of signed
interpolation weights: a fluid node against a point of a panel (``c = [1, −N_1 … −N_n]``),
a facet against a fluid node (``c = [N_1 … N_n, −1]`` at each quadrature point), or two
coincident surfaces of a layered plate (``c = [N_a…, −N_b…]``). Heat only moves between the
linked unknowns, so links add nothing to the energy balance; :meth:`LinkTerm.heat_w` reports
how much crosses.
"""
from __future__ import annotations

import numba as nb
import numpy as np

from thermosat.fem.integration import CellSet
from thermosat.terms.base import Term

__all__ = ["LinkTerm", "surface_link", "facet_to_node_link", "point_link", "edge_to_points_link"]


@nb.njit(cache=True)
def _assemble_links(slots, test, coef, g, data):
    m, k = coef.shape
    for e in range(m):
        for a in range(k):
            ga = g[e] * test[e, a]
            if ga != 0.0:
                for b in range(k):
                    data[slots[e, a, b]] += ga * coef[e, b]


class LinkTerm(Term):
    """Rank-one conductances: ``R += Σ_e g_e d_e (c_eᵀ T)`` (W), linear.

    Parameters
    ----------
    conn : (m, k) global node ids per link
    coef : (m, k) signed weights ``c`` giving the temperature difference ``cᵀT`` (K)
    g : (m,) conductance of each link (W/K)
    test : (m, k) weights ``d`` distributing the heat to the nodes; ``None`` means ``d = c``
        (symmetric). Fluid edges put the fluid side of their heat on the downstream node.
    """

    def __init__(self, conn, coef, g, name: str = "link", test=None):
        self.conn = np.ascontiguousarray(conn, dtype=np.int64)
        self.coef = np.ascontiguousarray(coef, dtype=float)
        self.test = self.coef if test is None else np.ascontiguousarray(test, dtype=float)
        self.symmetric = test is None
        self.g = np.ascontiguousarray(np.broadcast_to(g, (len(self.conn),)), dtype=float)
        self.name = name
        self.slots = None

    def blocks(self):
        return [self.conn]

    def bind(self, pattern):
        self.slots = pattern.slots(self.conn)

    def add_matrix(self, data):
        _assemble_links(self.slots, self.test, self.coef, self.g, data)

    def heat_w(self, T: np.ndarray) -> float:
        """Heat (W) crossing the links from the positive-weight side to the negative one."""
        return float(np.sum(self.g * np.einsum("ek,ek->e", self.coef, T[self.conn])))



def surface_link(cells_a: CellSet, conn_b: np.ndarray, g_w_m2k, name: str) -> LinkTerm:
    """Link two coincident surfaces cell by cell with a conductance per area (W/m²/K).

    ``cells_a`` gives the geometry and quadrature; ``conn_b`` the matching nodes of the other
    surface (same node order).
    """
    wdet = cells_a.wdet
    ne, nq = wdet.shape
    nn = cells_a.conn.shape[1]
    conn = np.repeat(np.hstack([cells_a.conn, np.asarray(conn_b, np.int64)]), nq, axis=0)
    N = cells_a.N
    coef = np.tile(np.hstack([N, -N]), (ne, 1))
    g = (wdet * np.broadcast_to(np.asarray(g_w_m2k, float), (ne,))[:, None]).ravel()
    assert conn.shape == (ne * nq, 2 * nn)
    return LinkTerm(conn, coef, g, name)


def facet_to_node_link(facets: CellSet, node: np.ndarray | int, h_w_m2k, name: str) -> LinkTerm:
    """Link every facet to one node (e.g. a fluid node) with ``∫ h (T − T_node) N`` (W).

    ``node`` is a single global node id or one per facet; ``h_w_m2k`` per facet or scalar.
    """
    wdet = facets.wdet
    ne, nq = wdet.shape
    nodes = np.broadcast_to(np.asarray(node, np.int64), (ne,))
    conn = np.repeat(np.hstack([facets.conn, nodes[:, None]]), nq, axis=0)
    coef = np.tile(np.hstack([facets.N, -np.ones((nq, 1))]), (ne, 1))
    g = (wdet * np.broadcast_to(np.asarray(h_w_m2k, float), (ne,))[:, None]).ravel()
    return LinkTerm(conn, coef, g, name)


def point_link(nodes: np.ndarray, cell_nodes: np.ndarray, weights: np.ndarray, g_w_k,
               name: str) -> LinkTerm:
    """Link ``nodes[i]`` to the point with shape weights ``weights[i]`` in cell ``cell_nodes[i]``.

    ``g_w_k`` is the conductance of each link (W/K).
    """
    nodes = np.asarray(nodes, np.int64)[:, None]
    conn = np.hstack([nodes, np.asarray(cell_nodes, np.int64)])
    coef = np.hstack([np.ones((len(nodes), 1)), -np.asarray(weights, float)])
    return LinkTerm(conn, coef, g_w_k, name)


def edge_to_points_link(edges: np.ndarray, lengths: np.ndarray, cell_nodes: np.ndarray,
                        weights: np.ndarray, s: np.ndarray, w: np.ndarray,
                        g_w_mk, name: str) -> LinkTerm:
    """Fluid edges bonded to a wall: ``∫_edge G' (T_fluid(s) − T_wall(s)) ds`` (W).

    edges : (m, 2) fluid node ids (upstream, downstream)
    lengths : (m,) edge lengths (m)
    cell_nodes : (m, nq, nn) wall nodes of the cell containing each quadrature point
    weights : (m, nq, nn) wall shape-function values at each quadrature point
    s, w : quadrature points on [0, 1] and weights (nq,)
    g_w_mk : conductance per length between fluid and wall (W/m/K), scalar or per edge
    The fluid's share of each edge's heat goes to its downstream node (upwind finite volume,
    second order in the edge length); the wall's share to the wall nodes.
    """
    edges = np.asarray(edges, np.int64)
    m, nq, nn = weights.shape
    g_edge = np.broadcast_to(np.asarray(g_w_mk, float), (m,)) * np.asarray(lengths, float)
    conn = np.concatenate([np.repeat(edges[:, None, :], nq, axis=1), cell_nodes], axis=2)
    Nf = np.stack([1.0 - s, s], axis=1)  # (nq, 2)
    coef = np.concatenate([np.broadcast_to(Nf, (m, nq, 2)), -weights], axis=2)
    test = np.concatenate([np.broadcast_to(np.array([0.0, 1.0]), (m, nq, 2)), -weights], axis=2)
    g = (g_edge[:, None] * w[None, :]).ravel()
    k = 2 + nn
    return LinkTerm(conn.reshape(-1, k), coef.reshape(-1, k), g, name, test=test.reshape(-1, k))
