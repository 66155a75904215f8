"""Reference finite elements: shape functions and their derivatives.

Node orderings follow VTK/meshio (vertices first, then edge midpoints for quadratic cells):
tet10 edges (0,1) (1,2) (2,0) (0,3) (1,3) (2,3); quad8 edges (0,1) (1,2) (2,3) (3,0); hex20
the 4 bottom edges, the 4 top edges, then the 4 vertical edges (0,4) (1,5) (2,6) (3,7).
meshio converts Gmsh's own orderings to these when it reads a ``.msh`` file.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["ReferenceElement", "ELEMENTS", "element"]


@dataclass(frozen=True)
class ReferenceElement:
    """A Lagrange element on a reference cell.

    Attributes
    ----------
    name : cell type (``tri3`` ...)
    shape : reference cell (``line``, ``tri``, ``quad``, ``tet``, ``hex``, ``vertex``)
    dim : reference dimension
    n_nodes : number of nodes
    degree : polynomial degree (1 linear, 2 quadratic)
    """

    name: str
    shape: str
    dim: int
    n_nodes: int
    degree: int
    _N: Callable[[np.ndarray], np.ndarray]
    _dN: Callable[[np.ndarray], np.ndarray]

    def N(self, xi: np.ndarray) -> np.ndarray:
        """Shape function values ``(nq, n_nodes)`` at reference points ``xi (nq, dim)``."""
        return np.ascontiguousarray(self._N(np.atleast_2d(xi)))

    def dN(self, xi: np.ndarray) -> np.ndarray:
        """Reference gradients ``(nq, n_nodes, dim)``."""
        return np.ascontiguousarray(self._dN(np.atleast_2d(xi)))


def _stack(*cols):
    return np.stack(cols, axis=-1)


def _vertex_N(xi):
    return np.ones((xi.shape[0], 1))


def _vertex_dN(xi):
    return np.zeros((xi.shape[0], 1, 0))


def _line2_N(xi):
    x = xi[:, 0]
    return _stack(1 - x, x)


def _line2_dN(xi):
    o = np.ones(xi.shape[0])
    return _stack(-o, o)[:, :, None]


def _line3_N(xi):
    x = xi[:, 0]
    return _stack((1 - x) * (1 - 2 * x), x * (2 * x - 1), 4 * x * (1 - x))


def _line3_dN(xi):
    x = xi[:, 0]
    return _stack(4 * x - 3, 4 * x - 1, 4 - 8 * x)[:, :, None]


def _tri3_N(xi):
    x, y = xi[:, 0], xi[:, 1]
    return _stack(1 - x - y, x, y)


def _tri3_dN(xi):
    g = np.array([[-1.0, -1.0], [1.0, 0.0], [0.0, 1.0]])
    return np.broadcast_to(g, (xi.shape[0], 3, 2)).copy()


def _tri6_N(xi):
    x, y = xi[:, 0], xi[:, 1]
    l0, l1, l2 = 1 - x - y, x, y
    return _stack(l0 * (2 * l0 - 1), l1 * (2 * l1 - 1), l2 * (2 * l2 - 1),
                  4 * l0 * l1, 4 * l1 * l2, 4 * l2 * l0)


def _tri6_dN(xi):
    x, y = xi[:, 0], xi[:, 1]
    l0 = 1 - x - y
    dx = _stack(1 - 4 * l0, 4 * x - 1, 0 * x, 4 * (l0 - x), 4 * y, -4 * y)
    dy = _stack(1 - 4 * l0, 0 * x, 4 * y - 1, -4 * x, 4 * x, 4 * (l0 - y))
    return np.stack([dx, dy], axis=-1)


_Q4 = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], float)
_H8 = np.array([[-1, -1, -1], [1, -1, -1], [1, 1, -1], [-1, 1, -1],
                [-1, -1, 1], [1, -1, 1], [1, 1, 1], [-1, 1, 1]], float)


def _tensor_N(nodes):
    def N(xi):
        return np.prod(0.5 * (1 + xi[:, None, :] * nodes[None, :, :]), axis=2)
    return N


def _tensor_dN(nodes):
    d = nodes.shape[1]

    def dN(xi):
        f = 0.5 * (1 + xi[:, None, :] * nodes[None, :, :])  # (nq, nn, d)
        out = np.empty_like(f)
        for k in range(d):
            others = np.prod(np.delete(f, k, axis=2), axis=2) if d > 1 else 1.0
            out[:, :, k] = 0.5 * nodes[None, :, k] * others
        return out
    return dN


def _tet4_N(xi):
    x, y, z = xi[:, 0], xi[:, 1], xi[:, 2]
    return _stack(1 - x - y - z, x, y, z)


def _tet4_dN(xi):
    g = np.array([[-1.0, -1.0, -1.0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    return np.broadcast_to(g, (xi.shape[0], 4, 3)).copy()


#: edges (vertex pairs) of the quadratic simplices, in the order of their mid-edge nodes
TET10_EDGES = ((0, 1), (1, 2), (2, 0), (0, 3), (1, 3), (2, 3))


def _tet10_N(xi):
    lam = np.stack([1 - xi.sum(axis=1), xi[:, 0], xi[:, 1], xi[:, 2]], axis=1)
    cols = [lam[:, i] * (2 * lam[:, i] - 1) for i in range(4)]
    cols += [4 * lam[:, i] * lam[:, j] for i, j in TET10_EDGES]
    return np.stack(cols, axis=1)


_DLAM = np.array([[-1.0, -1.0, -1.0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])


def _tet10_dN(xi):
    lam = np.stack([1 - xi.sum(axis=1), xi[:, 0], xi[:, 1], xi[:, 2]], axis=1)
    out = np.empty((xi.shape[0], 10, 3))
    for i in range(4):
        out[:, i, :] = (4 * lam[:, i] - 1)[:, None] * _DLAM[i][None, :]
    for k, (i, j) in enumerate(TET10_EDGES):
        out[:, 4 + k, :] = 4 * (lam[:, j, None] * _DLAM[i][None, :]
                                + lam[:, i, None] * _DLAM[j][None, :])
    return out


def _serendipity(corners, mids):
    """Quadratic serendipity element (quad8, hex20) on [-1, 1]^d: corner nodes ``corners``
    and mid-edge nodes ``mids`` (one coordinate 0)."""
    d = corners.shape[1]

    def N(xi):
        c = corners[None, :, :]
        f = 1 + xi[:, None, :] * c                         # (nq, nc, d)
        nc = np.prod(f, axis=2) * ((xi[:, None, :] * c).sum(axis=2) - (d - 1)) / 2**d
        m = mids[None, :, :]
        zero = m == 0
        g = np.where(zero, 1 - xi[:, None, :] ** 2, 1 + xi[:, None, :] * m)
        nm = np.prod(g, axis=2) / 2 ** (d - 1)
        return np.concatenate([nc, nm], axis=1)

    def dN(xi):
        nq = xi.shape[0]
        c = corners[None, :, :]
        f = 1 + xi[:, None, :] * c
        s = (xi[:, None, :] * c).sum(axis=2) - (d - 1)     # (nq, nc)
        dc = np.empty((nq, corners.shape[0], d))
        for k in range(d):
            others = np.prod(np.delete(f, k, axis=2), axis=2)
            dc[:, :, k] = c[:, :, k] * others * (s + f[:, :, k]) / 2**d
        m = mids[None, :, :]
        zero = m == 0
        g = np.where(zero, 1 - xi[:, None, :] ** 2, 1 + xi[:, None, :] * m)
        dg = np.where(zero, -2 * xi[:, None, :], m + 0 * xi[:, None, :])
        dm = np.empty((nq, mids.shape[0], d))
        for k in range(d):
            dm[:, :, k] = dg[:, :, k] * np.prod(np.delete(g, k, axis=2), axis=2) / 2 ** (d - 1)
        return np.concatenate([dc, dm], axis=1)

    return N, dN


#: edges of quad4 / hex8 in the order of the mid-edge nodes of quad8 / hex20 (VTK)
QUAD8_EDGES = ((0, 1), (1, 2), (2, 3), (3, 0))
HEX20_EDGES = ((0, 1), (1, 2), (2, 3), (3, 0), (4, 5), (5, 6), (6, 7), (7, 4),
               (0, 4), (1, 5), (2, 6), (3, 7))
_Q8M = np.array([(_Q4[i] + _Q4[j]) / 2 for i, j in QUAD8_EDGES])
_H20M = np.array([(_H8[i] + _H8[j]) / 2 for i, j in HEX20_EDGES])
_quad8_N, _quad8_dN = _serendipity(_Q4, _Q8M)
_hex20_N, _hex20_dN = _serendipity(_H8, _H20M)

ELEMENTS: dict[str, ReferenceElement] = {
    "vertex": ReferenceElement("vertex", "vertex", 0, 1, 0, _vertex_N, _vertex_dN),
    "line2": ReferenceElement("line2", "line", 1, 2, 1, _line2_N, _line2_dN),
    "line3": ReferenceElement("line3", "line", 1, 3, 2, _line3_N, _line3_dN),
    "tri3": ReferenceElement("tri3", "tri", 2, 3, 1, _tri3_N, _tri3_dN),
    "tri6": ReferenceElement("tri6", "tri", 2, 6, 2, _tri6_N, _tri6_dN),
    "quad4": ReferenceElement("quad4", "quad", 2, 4, 1, _tensor_N(_Q4), _tensor_dN(_Q4)),
    "tet4": ReferenceElement("tet4", "tet", 3, 4, 1, _tet4_N, _tet4_dN),
    "hex8": ReferenceElement("hex8", "hex", 3, 8, 1, _tensor_N(_H8), _tensor_dN(_H8)),
    "quad8": ReferenceElement("quad8", "quad", 2, 8, 2, _quad8_N, _quad8_dN),
    "tet10": ReferenceElement("tet10", "tet", 3, 10, 2, _tet10_N, _tet10_dN),
    "hex20": ReferenceElement("hex20", "hex", 3, 20, 2, _hex20_N, _hex20_dN),
}

#: reference coordinates of the nodes of every element (for tests and mesh builders)
REFERENCE_NODES = {
    "line2": np.array([[0.0], [1.0]]), "line3": np.array([[0.0], [1.0], [0.5]]),
    "tri3": np.array([[0.0, 0], [1, 0], [0, 1]]),
    "tri6": np.array([[0.0, 0], [1, 0], [0, 1], [0.5, 0], [0.5, 0.5], [0, 0.5]]),
    "quad4": _Q4, "quad8": np.vstack([_Q4, _Q8M]),
    "tet4": np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    "hex8": _H8, "hex20": np.vstack([_H8, _H20M]),
}
_T4 = REFERENCE_NODES["tet4"]
REFERENCE_NODES["tet10"] = np.vstack([_T4, [(_T4[i] + _T4[j]) / 2 for i, j in TET10_EDGES]])


def element(cell_type: str) -> ReferenceElement:
    """The reference element of ``cell_type``."""
    try:
        return ELEMENTS[cell_type]
    except KeyError:
        raise ValueError(f"unknown cell type {cell_type!r}; known: {sorted(ELEMENTS)}") from None
