"""Reference finite elements: shape functions and their derivatives.

Node orderings follow VTK/meshio (vertices first, then edge midpoints for quadratic cells).
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


ELEMENTS: dict[str, ReferenceElement] = {
    "vertex": ReferenceElement("vertex", "vertex", 0, 1, 0, _vertex_N, _vertex_dN),
    "line2": ReferenceElement("line2", "line", 1, 2, 1, _line2_N, _line2_dN),
    "line3": ReferenceElement("line3", "line", 1, 3, 2, _line3_N, _line3_dN),
    "tri3": ReferenceElement("tri3", "tri", 2, 3, 1, _tri3_N, _tri3_dN),
    "tri6": ReferenceElement("tri6", "tri", 2, 6, 2, _tri6_N, _tri6_dN),
    "quad4": ReferenceElement("quad4", "quad", 2, 4, 1, _tensor_N(_Q4), _tensor_dN(_Q4)),
    "tet4": ReferenceElement("tet4", "tet", 3, 4, 1, _tet4_N, _tet4_dN),
    "hex8": ReferenceElement("hex8", "hex", 3, 8, 1, _tensor_N(_H8), _tensor_dN(_H8)),
}


def element(cell_type: str) -> ReferenceElement:
    """The reference element of ``cell_type``."""
    try:
        return ELEMENTS[cell_type]
    except KeyError:
        raise ValueError(f"unknown cell type {cell_type!r}; known: {sorted(ELEMENTS)}") from None
