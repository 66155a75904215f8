"""The interface every physics contribution to the global system implements.

Sign convention: the residual is ``R(T) = A T − F(t) + N(T, t)`` (W per node): heat leaving
minus heat entering. A term adds any of: constant tangent ``A`` (W/K), capacitance (J/K),
heat input ``F`` (W), nonlinear residual ``N`` with its Jacobian, and energy-balance flows.
"""
from __future__ import annotations

import numpy as np

__all__ = ["Term"]


class Term:
    """Base class of model terms; subclasses override what they contribute.

    Attributes
    ----------
    name : label shown in the energy balance
    symmetric : whether the tangent this term adds is symmetric
    nonlinear : whether :meth:`add_nonlinear` does anything
    """

    name: str = "term"
    symmetric: bool = True
    nonlinear: bool = False

    def blocks(self) -> list[np.ndarray]:
        """Connectivity arrays (global node ids) this term couples, for the sparsity pattern."""
        return []

    def bind(self, pattern) -> None:
        """Precompute scatter maps once the pattern is known."""

    def add_matrix(self, data: np.ndarray) -> None:
        """Add the constant linear tangent (W/K) into CSR ``data``."""

    def add_capacitance(self, data: np.ndarray, lumped: np.ndarray | None) -> None:
        """Add heat capacity (J/K): consistent into ``data`` or, if ``lumped`` is given, there."""

    def add_load(self, F: np.ndarray, t: float) -> None:
        """Add heat input (W) at time ``t`` (s) into ``F``."""

    def add_nonlinear(self, T: np.ndarray, t: float, R: np.ndarray, data: np.ndarray) -> None:
        """Add the nonlinear residual (W) and, unless ``data`` is empty, its Jacobian."""

    def flows(self, T: np.ndarray, t: float) -> dict[str, float]:
        """Heat flows of this term (W): positive into the model, negative out of it."""
        return {}
