"""Loop hydraulics: bores sized for a velocity, flow split among parallel channels between a
supply and a return header, and the maldistribution it gives (SI units).

Pressure drops are Darcy–Weisbach with the Churchill (1977) friction factor
(:func:`thermosat.physics.correlations.pressure_drop`), properties at one temperature.

Header model (Z-type manifold): the supply header runs along the channel inlets, its
segment j (between inlets j and j+1) carrying the flow of every channel after j; the
return header runs along the outlets, its segment j carrying the flow of channels 0..j,
and leaves after the last channel. The pressure drop of the path through channel i is
Σ_{j<i} Δp_supply,j + Δp_channel,i + Σ_{j≥i} Δp_return,j; the split is the set of
channel flows (Σ = total) that makes every path's drop equal, as it must be between two
common nodes. Junction (tee) losses and momentum recovery in the headers are not modelled.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat.common.errors import ConvergenceError, InputError
from thermosat.physics.correlations import pressure_drop

__all__ = ["bore_for_velocity", "manifold_path_dp", "parallel_split", "maldistribution"]


def bore_for_velocity(mdot_kg_s: float, rho_kg_m3: float, velocity_m_s: float) -> float:
    """Inner diameter (m) that carries ``mdot`` at mean ``velocity``: D = √(4ṁ/(π ρ v))."""
    if not (mdot_kg_s > 0 and rho_kg_m3 > 0 and velocity_m_s > 0):
        raise InputError(f"bore_for_velocity: mass flow {mdot_kg_s}, density {rho_kg_m3} and "
                         f"velocity {velocity_m_s} must all be > 0")
    return math.sqrt(4.0 * mdot_kg_s / (math.pi * rho_kg_m3 * velocity_m_s))


def manifold_path_dp(m: np.ndarray, channel_len: np.ndarray, supply_len: np.ndarray,
                     return_len: np.ndarray, d_channel: float, d_header: float, rho: float,
                     mu: float, roughness: float) -> np.ndarray:
    """Pressure drop (Pa) of the path through each channel of a Z-type manifold.

    m : channel mass flows (kg/s), shape (N,); channel_len (N,), supply_len and
    return_len (N−1,) header segment lengths (m); bores (m); fluid ρ (kg/m³), μ (Pa·s);
    wall roughness (m).
    """
    m = np.asarray(m, float)
    dp_ch = np.asarray(pressure_drop(m, d_channel, channel_len, rho, mu, roughness), float)
    if len(m) == 1:
        return dp_ch
    flow_sup = np.cumsum(m[::-1])[::-1][1:]      # segment j carries channels j+1..N-1
    flow_ret = np.cumsum(m)[:-1]                 # segment j carries channels 0..j
    dp_sup = np.asarray(pressure_drop(flow_sup, d_header, supply_len, rho, mu, roughness))
    dp_ret = np.asarray(pressure_drop(flow_ret, d_header, return_len, rho, mu, roughness))
    before = np.concatenate([[0.0], np.cumsum(dp_sup)])          # Σ_{j<i} supply
    after = np.concatenate([np.cumsum(dp_ret[::-1])[::-1], [0.0]])  # Σ_{j≥i} return
    return before + dp_ch + after


def parallel_split(total_kg_s: float, path_dp, n_branches: int, *, rtol: float = 1e-10,
                   max_iter: int = 200) -> tuple[np.ndarray, float]:
    """Flows (kg/s) of ``n_branches`` parallel paths whose pressure drops are equal, Σ = total.

    path_dp : callable m → Δp per path (Pa), monotone in each path's own flow (paths may be
        coupled, as through shared headers). Fixed point on the local power law of each path:
        m_i ← m_i·(Δp̄/Δp_i)^(1/n_i), n_i = d ln Δp_i / d ln m (1 laminar, ~1.75–2 turbulent),
        then rescaled to the total. Returns (flows, common Δp).
    """
    if n_branches < 1 or not total_kg_s > 0:
        raise InputError(f"parallel_split: {n_branches} branches with total flow "
                         f"{total_kg_s} kg/s (need ≥ 1 and > 0)")
    m = np.full(n_branches, total_kg_s / n_branches)
    if n_branches == 1:
        return m, float(path_dp(m)[0])
    h = 1e-6
    for _ in range(max_iter):
        dp = np.asarray(path_dp(m), float)
        spread = (dp.max() - dp.min()) / max(dp.mean(), 1e-300)
        if spread <= rtol:
            return m, float(np.average(dp, weights=m))
        n_loc = np.log(np.asarray(path_dp(m * (1 + h)), float) / dp) / math.log1p(h)
        n_loc = np.clip(n_loc, 0.5, 3.0)
        target = np.average(dp, weights=m)
        m = m * (target / dp) ** (1.0 / n_loc)
        m *= total_kg_s / m.sum()
    raise ConvergenceError(f"parallel_split: path pressure drops still differ by "
                           f"{spread:.2e} (relative) after {max_iter} iterations")


def maldistribution(m: np.ndarray) -> float:
    """Max/min channel flow ratio (1 = even)."""
    m = np.asarray(m, float)
    return float(m.max() / m.min())
