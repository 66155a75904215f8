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
    conditions : heat flow (W, + into the model) of every named condition of a
        :class:`~thermosat.model.Model` (``name``; ``name:in`` and ``name:out`` ≥ 0 the parts
        entering and leaving) and of every boundary carrying conditions (``boundary:<name>``)
    """

    heat_in: dict[str, float]
    heat_out: dict[str, float]
    stored_w: float = 0.0
    imbalance_rel: float = 0.0
    conditions: dict[str, float] = field(default_factory=dict)

    def heat_flow(self, name: str) -> float:
        """Heat flow (W, + into the model) of condition ``name`` (or ``name:in``/``name:out``)
        or, if no condition has that name, of boundary ``name``."""
        from thermosat.common.errors import InputError

        if name in self.conditions:
            return self.conditions[name]
        if f"boundary:{name}" in self.conditions:
            return self.conditions[f"boundary:{name}"]
        known = sorted(k for k in self.conditions if ":" not in k or k.startswith("boundary:"))
        raise InputError(f"heat_flow: {name!r} is not a condition or boundary; known: "
                         f"{', '.join(known) or 'none'}")

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
        conds = [k for k in self.conditions if not k.startswith("boundary:")
                 and not k.endswith((":in", ":out"))]
        if conds:
            lines.append(f"by condition (W, + into the model): {'net':>14s} {'in':>14s} "
                         f"{'out':>14s}")
            for k in conds:
                lines.append(f"  {k:<32s} {self.conditions[k]:14.6g} "
                             f"{self.conditions.get(k + ':in', 0.0):14.6g} "
                             f"{self.conditions.get(k + ':out', 0.0):14.6g}")
            lines.append("by boundary (W, + into the model):")
            lines += [f"  {k[9:]:<32s} {v:14.6g}" for k, v in self.conditions.items()
                      if k.startswith("boundary:")]
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"heat_in_w": self.heat_in, "heat_out_w": self.heat_out,
                "stored_w": self.stored_w, "imbalance_rel": self.imbalance_rel,
                "conditions_w": self.conditions}


def energy_balance(flows: dict[str, float], stored_w: float = 0.0,
                   conditions: dict[str, float] | None = None) -> EnergyBalance:
    """Split signed flows (W, + in) into in/out by kind and compute the relative imbalance."""
    heat_in = {k: v for k, v in flows.items() if v > 0}
    heat_out = {k: -v for k, v in flows.items() if v < 0}
    tin, tout = sum(heat_in.values()), sum(heat_out.values())
    ref = max(tin, tout, abs(stored_w), 1e-300)
    return EnergyBalance(heat_in, heat_out, stored_w, abs(tin - tout - stored_w) / ref,
                         dict(conditions or {}))


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
