"""Matplotlib figures of a sizing: area against junction limit, temperatures along the loop,
and the orbit transient. All written atomically as PNG (Agg backend)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from thermosat.common.atomic import atomic_path

__all__ = ["plot_area_vs_junction", "plot_loop_temperatures", "plot_orbit", "loop_distance"]

C0 = 273.15


def _fig():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=120, bbox_inches="tight", format="png")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def plot_area_vs_junction(points: list[dict], limit_k: float, sized_area: float | None,
                          path, title: str = "") -> Path:
    """Required radiator area against junction limit, from full-model evaluations.

    ``points``: rows with ``radiator_area_m2`` and ``junction_max_k`` (every coupled solve
    of the sizing and of the extra curve points). The required area for a limit L is where
    the junction temperature curve crosses L.
    """
    plt = _fig()
    pts = sorted({(p["radiator_area_m2"], p["junction_max_k"]) for p in points})
    a = np.array([p[0] for p in pts])
    tj = np.array([p[1] for p in pts])
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.plot(tj - C0, a, "o-", color="C0", label="full coupled model")
    ax.axvline(limit_k - C0, color="C3", ls="--", label=f"junction limit {limit_k - C0:.0f} °C")
    if sized_area is not None:
        ax.axhline(sized_area, color="C2", ls=":", label=f"sized area {sized_area:.0f} m²")
    ax.set_xlabel("junction limit (max junction temperature) [°C]")
    ax.set_ylabel("required radiator area [m²]")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    return _save(fig, path)


def loop_distance(loop) -> np.ndarray:
    """Flow distance (m) of every fluid node from the pump along the longest path."""
    E, L = loop.edges, loop.edge_length
    n = int(E.max()) + 1
    dist = np.full(n, np.nan)
    src = int(loop.nodes["pump"][0])
    dist[src] = 0.0
    for _ in range(n):  # relaxation over a DAG (cut at the pump); stops when stable
        changed = False
        for (i, j), length in zip(E, L):
            if j == src or np.isnan(dist[i]):
                continue
            d = dist[i] + length
            if np.isnan(dist[j]) or d > dist[j] + 1e-12:
                dist[j] = d
                changed = True
        if not changed:
            break
    return dist


def plot_loop_temperatures(loop, model, T, path, title: str = "") -> Path:
    """Coolant temperature along the loop, from the pump, with freeze/boil limits."""
    plt = _fig()
    Tf = loop.fluid_temperatures(model, T)
    x = loop_distance(loop)
    order = np.argsort(x)
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    ax.plot(x[order], Tf[order] - C0, ".", ms=3, color="C0", label="coolant nodes")
    pk = loop.nodes["packages"]
    if len(pk):
        ax.plot(x[pk], Tf[pk] - C0, "s", color="C3", ms=5, label="cold-plate outlets")
    fl = loop.fluid
    ax.axhline(fl.T_freeze - C0, color="C1", ls="--", label=f"freezing {fl.T_freeze - C0:.1f} °C")
    ax.axhline(fl.T_freeze + loop.spec.freeze_margin_k - C0, color="C1", ls=":",
               label="freezing + margin")
    ax.set_xlabel("distance along the flow from the pump [m]")
    ax.set_ylabel("coolant temperature [°C]")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, path)


def plot_orbit(orbit_result, limits: dict, path, title: str = "") -> Path:
    """Key temperatures and powers over the orbit transient, eclipse shaded."""
    plt = _fig()
    s = orbit_result.series
    t = s["t_s"] / 60.0
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(7.2, 6.0), sharex=True)
    for key, lab, c in (("junction_max_k", "junction max", "C3"), ("cell_max_k", "cells max", "C1"),
                        ("coolant_max_k", "coolant max", "C0"),
                        ("coolant_min_k", "coolant min", "C9")):
        ax.plot(t, s[key] - C0, color=c, label=lab)
    ax.axhline(limits["junction_limit_k"] - C0, color="C3", ls="--", lw=0.8)
    ax.axhline(limits["coolant_freeze_k"] - C0, color="C9", ls="--", lw=0.8,
               label="coolant freezing")
    dark = s["pv_w"] <= 1e-6
    for a in (ax, ax2):
        a.fill_between(t, 0, 1, where=dark, transform=a.get_xaxis_transform(), color="0.85",
                       label="eclipse" if a is ax else None)
        a.grid(alpha=0.3)
    ax.set_ylabel("temperature [°C]")
    ax.legend(fontsize=8, ncol=3)
    ax.set_title(title)
    ax2.plot(t, s["pv_w"] / 1e3, color="C2", label="PV electric")
    ax2.plot(t, s["compute_w"] / 1e3, color="C4", label="compute (throttled)")
    ax2.set_xlabel("time from the hot case [min]")
    ax2.set_ylabel("power [kW]")
    ax2.legend(fontsize=8)
    return _save(fig, path)
