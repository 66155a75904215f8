"""Gauss quadrature rules on the reference cells.

Reference cells: ``line`` [0, 1]; ``tri`` and ``tet`` the unit simplex; ``quad`` and ``hex``
[-1, 1]^d; ``vertex`` a single point of weight 1. Simplex rules are Stroud conical products
of Gauss–Legendre rules (exact for polynomials of the requested total degree).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["quadrature", "gauss_legendre_01"]


def gauss_legendre_01(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n-point Gauss–Legendre rule on [0, 1] (exact to degree 2n − 1)."""
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (x + 1.0), 0.5 * w


@lru_cache(maxsize=None)
def _rule(shape: str, degree: int) -> tuple[np.ndarray, np.ndarray]:
    n = max(1, (degree + 2) // 2)
    if shape == "vertex":
        return np.zeros((1, 0)), np.ones(1)
    if shape == "line":
        x, w = gauss_legendre_01(max(1, (degree + 1 + 1) // 2))
        return x[:, None], w
    if shape in ("quad", "hex"):
        g, gw = np.polynomial.legendre.leggauss(max(1, (degree + 2) // 2))
        d = 2 if shape == "quad" else 3
        grids = np.meshgrid(*([g] * d), indexing="ij")
        wgrids = np.meshgrid(*([gw] * d), indexing="ij")
        xi = np.stack([a.ravel() for a in grids], axis=1)
        w = np.prod(np.stack([a.ravel() for a in wgrids], axis=1), axis=1)
        return xi, w
    if degree <= 1 and shape in ("tri", "tet"):
        d = 2 if shape == "tri" else 3
        return np.full((1, d), 1.0 / (d + 1)), np.array([0.5 if d == 2 else 1.0 / 6.0])
    # conical product (Duffy collapse) on the simplex; the Jacobian factor raises the degree
    m = n + 1
    u, wu = gauss_legendre_01(m)
    if shape == "tri":
        U, V = np.meshgrid(u, u, indexing="ij")
        WU, WV = np.meshgrid(wu, wu, indexing="ij")
        x = U.ravel()
        y = (V * (1.0 - U)).ravel()
        w = (WU * WV * (1.0 - U)).ravel()
        return np.stack([x, y], axis=1), w
    if shape == "tet":
        U, V, W = np.meshgrid(u, u, u, indexing="ij")
        WU, WV, WW = np.meshgrid(wu, wu, wu, indexing="ij")
        x = U.ravel()
        y = (V * (1.0 - U)).ravel()
        z = (W * (1.0 - U) * (1.0 - V)).ravel()
        w = (WU * WV * WW * (1.0 - U) ** 2 * (1.0 - V)).ravel()
        return np.stack([x, y, z], axis=1), w
    raise ValueError(f"unknown reference shape {shape!r}")


def quadrature(shape: str, degree: int) -> tuple[np.ndarray, np.ndarray]:
    """Points ``(nq, d)`` and weights ``(nq,)`` exact to polynomial ``degree`` on ``shape``."""
    xi, w = _rule(shape, int(degree))
    return xi.copy(), w.copy()


def quadrature_degree(cell_type: str, what: str) -> int:
    """Polynomial degree a quadrature rule must integrate exactly for ``what`` (stiffness,
    mass, load, or radiation) on cells of ``cell_type``."""
    from thermosat.fem.elements import element

    p = element(cell_type).degree
    simplex = cell_type in ("tri3", "tri6", "tet4", "tet10", "line2", "line3")
    if what == "stiffness":
        return 2 * p - 2 if simplex else 2 * p
    if what == "mass":
        return 2 * p
    if what == "load":
        return p + 1
    return 5 * p  # radiation: T^4 N
