"""Finite elements: shape functions, quadrature, the Numba kernels and the CSR pattern.

Imports common and mesh only; everything that assembles a matrix builds on it.
"""
