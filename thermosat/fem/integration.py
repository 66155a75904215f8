"""A set of cells or facets ready to integrate over: shape values, quadrature, measures, slots."""
from __future__ import annotations

import weakref
from functools import cached_property

import numba as nb
import numpy as np

from thermosat.fem import kernels
from thermosat.fem.elements import element
from thermosat.fem.quadrature import quadrature

__all__ = ["CellSet", "cell_quadrature"]

_S15 = 15.0 ** 0.5
_A1, _A2 = (6.0 - _S15) / 21.0, (6.0 + _S15) / 21.0
_W1, _W2 = (155.0 - _S15) / 2400.0, (155.0 + _S15) / 2400.0
#: symmetric triangle rules with fewer points than the conical products (unit simplex,
#: weights sum to 1/2): degree 2 (3 points, Strang–Fix) and degree 4-5 (7 points, Radon)
_TRI_RULES = {
    2: (np.array([[1 / 6, 1 / 6], [2 / 3, 1 / 6], [1 / 6, 2 / 3]]), np.full(3, 1 / 6)),
    5: (np.array([[1 / 3, 1 / 3],
                  [_A1, _A1], [1 - 2 * _A1, _A1], [_A1, 1 - 2 * _A1],
                  [_A2, _A2], [1 - 2 * _A2, _A2], [_A2, 1 - 2 * _A2]]),
        np.array([9 / 80, _W1, _W1, _W1, _W2, _W2, _W2])),
}


def cell_quadrature(shape: str, degree: int) -> tuple[np.ndarray, np.ndarray]:
    """Points and weights exact to ``degree`` on ``shape``, with the fewest points we know.

    Triangles of degree 2..5 use symmetric rules (3 or 7 points) with positive weights and
    interior points; everything else comes from :func:`thermosat.fem.quadrature.quadrature`.
    """
    if shape == "tri" and 2 <= degree <= 5:
        xi, w = _TRI_RULES[2 if degree == 2 else 5]
        return xi.copy(), w.copy()
    return quadrature(shape, degree)


#: cell sets at least this large share equal integration weights (see :attr:`CellSet.wdet`)
_SHARE_MIN = 10_000
_WDET_SHARED: dict = {}


@nb.njit(cache=True)
def _mix(x):
    z = np.uint64(x) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@nb.njit(cache=True)
def _rowset_checksum(conn):
    """Fingerprint of a connectivity that ignores the node order within each row."""
    h = np.uint64(1469598103934665603)
    for e in range(conn.shape[0]):
        r = np.uint64(0)
        for a in range(conn.shape[1]):
            r += _mix(conn[e, a])
        h = (h ^ r) * np.uint64(1099511628211)
    return h


@nb.njit(cache=True)
def _same_rowsets(a, b):
    """Whether every row of ``a`` holds the same nodes as the same row of ``b``."""
    if a.shape != b.shape:
        return False
    for e in range(a.shape[0]):
        for i in range(a.shape[1]):
            found = False
            for j in range(b.shape[1]):
                if a[e, i] == b[e, j]:
                    found = True
                    break
            if not found:
                return False
    return True


def _float_checksum(x: np.ndarray) -> int:
    return hash((x.shape, float(x.sum()), float(x[:1].sum()), float(x[-1:].sum())))


class CellSet:
    """Cells (or facets) of one type with global node numbers.

    Parameters
    ----------
    points : (n_global, 3) coordinates of all model nodes (m)
    conn : (ne, nn) global node indices
    cell_type : ``vertex line2 line3 tri3 tri6 quad4 tet4 hex8``
    degree : quadrature degree
    scale : per-cell factor applied to measures (thickness m for edges of 2D plates,
        cross-section m² for end points of bars, 1 otherwise)
    axisymmetric : cells and facets lie in the r–z plane (r = x ≥ 0, z = y); every
        integral is weighted by 2πr at its quadrature points (see :attr:`radial_weight`),
        so facets on the axis carry no area
    """

    def __init__(self, points, conn, cell_type: str, degree: int, scale=None, *,
                 axisymmetric: bool = False):
        self.points = points
        self.conn = np.ascontiguousarray(conn, dtype=np.int64)
        self.cell_type = cell_type
        self.element = element(cell_type)
        self.xi, self.w = cell_quadrature(self.element.shape, degree)
        self.N = self.element.N(self.xi)
        self.dN = self.element.dN(self.xi)
        self.scale = (np.ones(len(self.conn)) if scale is None
                      else np.ascontiguousarray(np.broadcast_to(scale, (len(self.conn),)), float))
        self.slots = None
        self.axisymmetric = bool(axisymmetric)

    def __len__(self):
        return self.conn.shape[0]

    @cached_property
    def wdet(self) -> np.ndarray:
        """Quadrature weight × measure × scale, ``(ne, nq)``.

        For linear simplices (whose measure does not depend on node order) an equal array
        already computed for the same cells — the front and back faces of a shell, listed
        with opposite orientation — is shared instead of stored twice (treat as read-only).
        """
        affine = self.conn.shape[1] == self.dN.shape[2] + 1
        key = None
        if self.axisymmetric:
            wd = kernels.measure_weights(self.points, self.conn, self.dN, self.w)
            return wd * self.scale[:, None] * self.radial_weight
        if affine and len(self.conn) >= _SHARE_MIN:
            key = (id(self.points), self.conn.shape, _rowset_checksum(self.conn),
                   self.w.tobytes(), _float_checksum(self.scale))
            hit = _WDET_SHARED.get(key)
            if hit is not None:
                owner = hit()
                if (owner is not None and owner is not self and owner.points is self.points
                        and "wdet" in owner.__dict__ and np.array_equal(owner.scale, self.scale)
                        and _same_rowsets(owner.conn, self.conn)):
                    return owner.__dict__["wdet"]
        wd = kernels.measure_weights(self.points, self.conn, self.dN, self.w)
        wd *= self.scale[:, None]
        if key is not None:
            _WDET_SHARED[key] = weakref.ref(self)
        return wd

    @cached_property
    def radial_weight(self) -> np.ndarray:
        """``2πr`` (m) at every quadrature point, ``(ne, nq)``, r the x coordinate
        (axisymmetric sets only)."""
        if not self.axisymmetric:
            raise ValueError("radial_weight: only axisymmetric cell sets have one")
        r = np.einsum("qa,ea->eq", self.N, self.points[:, 0][self.conn])
        return 2.0 * np.pi * np.maximum(r, 0.0)

    @cached_property
    def measure(self) -> np.ndarray:
        """Measure of each cell times its scale (m, m² or m³)."""
        return self.wdet.sum(axis=1)

    def bind(self, pattern) -> None:
        """Compute the scatter map into ``pattern``."""
        self.slots = pattern.slots(self.conn)
