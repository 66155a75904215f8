"""Plain-data results: energy balance, convergence history, temperatures."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["EnergyBalance", "Convergence", "energy_balance", "ZERO_CELSIUS"]

from thermosat.common.constants import ZERO_CELSIUS


@dataclass
class EnergyBalance:
    """Heat flows of a solve (W).

    Attributes
    ----------
    heat_in : kind -> W entering the model (absorbed flux, sources, sink irradiation, ...)
    heat_out : kind -> W leaving (radiated, convected, ...)
    stored_w : rate of change of stored energy (W); 0 for steady solves
    imbalance_rel : |in − out − stored| / max(in, out)
    """

    heat_in: dict[str, float]
    heat_out: dict[str, float]
    stored_w: float = 0.0
    imbalance_rel: float = 0.0

    @property
    def total_in_w(self) -> float:
        return float(sum(self.heat_in.values()))

    @property
    def total_out_w(self) -> float:
        return float(sum(self.heat_out.values()))

    def table(self) -> str:
        """A small text table of the balance."""
        lines = ["heat in (W):"]
        lines += [f"  {k:<32s} {v:14.6g}" for k, v in sorted(self.heat_in.items())]
        lines.append("heat out (W):")
        lines += [f"  {k:<32s} {v:14.6g}" for k, v in sorted(self.heat_out.items())]
        lines.append(f"stored (W): {self.stored_w:.6g}   relative imbalance: "
                     f"{self.imbalance_rel:.2e}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"heat_in_w": self.heat_in, "heat_out_w": self.heat_out,
                "stored_w": self.stored_w, "imbalance_rel": self.imbalance_rel}


def energy_balance(flows: dict[str, float], stored_w: float = 0.0) -> EnergyBalance:
    """Split signed flows (W, + in) into in/out by kind and compute the relative imbalance."""
    heat_in = {k: v for k, v in flows.items() if v > 0}
    heat_out = {k: -v for k, v in flows.items() if v < 0}
    tin, tout = sum(heat_in.values()), sum(heat_out.values())
    ref = max(tin, tout, abs(stored_w), 1e-300)
    return EnergyBalance(heat_in, heat_out, stored_w, abs(tin - tout - stored_w) / ref)


@dataclass
class Convergence:
    """Newton history: relative residual (unbalanced heat / heat throughput) per iteration."""

    residuals: list[float] = field(default_factory=list)
    step_sizes: list[float] = field(default_factory=list)
    linear_iterations: list[int] = field(default_factory=list)
    converged: bool = False

    @property
    def iterations(self) -> int:
        return max(len(self.residuals) - 1, 0)

    def to_json(self) -> dict:
        return {"residuals": self.residuals, "step_sizes": self.step_sizes,
                "linear_iterations": self.linear_iterations, "converged": self.converged}


def as_celsius(T_k: np.ndarray) -> np.ndarray:
    """K → °C."""
    return np.asarray(T_k) - ZERO_CELSIUS
