"""Matplotlib figures of a sizing: area against junction limit, temperatures along the loop,
and the orbit transient. All written atomically as PNG (Agg backend)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from thermosat.common.atomic import atomic_path

__all__ = ["plot_area_vs_junction", "plot_loop_temperatures", "plot_orbit", "loop_distance",
           "loop_figure", "loop_segments", "orbit_figure", "section_label"]

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


#: colours of the loop's segments: radiator sections cycle through these
_SECTION_COLOURS = ("C0", "C2", "C4", "C9", "C8", "C6")
_KIND_NAMES = {0: "header", 1: "channels", 2: "cold plates", 3: "transfer line"}


def section_label(wall_part: str) -> str:
    """Readable name of a radiator section from its wall part: ``wing1_front_sheet`` →
    ``wing 1``, ``panel_face_sheet`` → ``panel radiator``."""
    import re

    base = wall_part.split("_")[0]
    if base == "panel":
        return "panel radiator"
    m = re.fullmatch(r"([A-Za-z]+)(\d+)", base)
    return f"{m.group(1)} {int(m.group(2))}" if m else base


def loop_segments(loop) -> tuple[list[str], np.ndarray]:
    """Segment of every edge of ``loop``: ``(labels, edge_segment)``.

    Labels: the radiator sections by name (:func:`section_label`; their channels and
    headers), ``cold plates`` (package supply and cold-plate edges) and ``transfer lines``
    (pump to packages, between sections and back to the pump). ``edge_segment`` indexes
    ``labels`` per edge. From :attr:`Loop.edge_section` and :attr:`Loop.edge_kind`; a loop
    without ``edge_section`` (not made by :func:`~thermosat.physics.loop.build_loop`) gets one
    section ``radiators`` of all its tube and header edges.
    """
    kind = np.asarray(loop.edge_kind)
    if getattr(loop, "edge_section", None) is not None:
        sec = np.asarray(loop.edge_section)
        names = [section_label(c["section"]) for c in loop.channel_split]
    else:
        sec = np.where((kind == 0) | (kind == 1), 0, -1)
        names = ["radiators"]
    labels = names + ["cold plates", "transfer lines"]
    seg = np.where(sec >= 0, sec, np.where(kind == 3, len(names) + 1, len(names)))
    return labels, seg


def _margin_lines(fl, Tf: np.ndarray, required_k: float) -> tuple[str, str, bool, bool]:
    """Text of the freezing and boiling margins of coolant temperatures ``Tf`` (K)."""
    lo, hi = float(Tf.min()), float(Tf.max())
    below = lo - fl.T_freeze
    above = fl.T_boil - hi
    freeze = (f"freezing {fl.T_freeze:.1f} K ({fl.T_freeze - C0:.1f} °C):\n"
              f"{below:.1f} K below the coldest coolant")
    boil = (f"boiling {fl.T_boil:.1f} K ({fl.T_boil - C0:.1f} °C) at {fl.pressure / 1e6:.3g} MPa:"
            f"\n{above:.1f} K above the hottest coolant")
    return freeze, boil, below >= required_k, above >= required_k


def plot_loop_temperatures(loop, model, T, path, title: str = "") -> Path:
    """:func:`loop_figure` written to the PNG ``path``."""
    return _save(loop_figure(loop, model, T, title), path)


def loop_figure(loop, model, T, title: str = ""):
    """Coolant temperature (K, °C on the right axis) along the loop, from the pump, by segment.

    Every fluid edge is drawn from its upstream to its downstream node at their flow
    distances (:func:`loop_distance`), coloured by segment (:func:`loop_segments`); each
    radiator section and the cold plates are shaded and labelled. The temperature axis spans
    the data (with 8 % padding); the freezing and boiling points are stated as margins in
    the corners (red when closer than the loop's required ``freeze_margin_k``) instead of
    being drawn, so that they do not squash the data into a thin line.
    """
    plt = _fig()
    from matplotlib.collections import LineCollection

    Tf = np.asarray(loop.fluid_temperatures(model, T), float)
    x = loop_distance(loop)
    E = np.asarray(loop.edges)
    src = int(loop.nodes["pump"][0])
    # edge ends (distance, temperature); the edges back into the pump end past the last
    # node instead of jumping back to 0 (the loop is cut at the pump)
    x0e, x1e = x[E[:, 0]], x[E[:, 1]].copy()
    back = E[:, 1] == src
    x1e[back] = x0e[back] + np.asarray(loop.edge_length)[back]
    ok = np.isfinite(x0e) & np.isfinite(x1e)
    labels, seg = loop_segments(loop)
    n_sec = len(labels) - 2
    colours = [_SECTION_COLOURS[k % len(_SECTION_COLOURS)] for k in range(n_sec)]
    colours += ["C3", "0.45"]
    fig, ax = plt.subplots(figsize=(8.4, 4.4))
    handles, bands = [], []
    for k, (lab, col) in enumerate(zip(labels, colours)):
        sel = ok & (seg == k)
        if not sel.any():
            continue
        xy = np.stack([np.stack([x0e[sel], Tf[E[sel, 0]]], axis=-1),
                       np.stack([x1e[sel], Tf[E[sel, 1]]], axis=-1)], axis=1)
        lc = LineCollection(xy, colors=col, linewidths=1.4 if k < n_sec else 1.0,
                            label=lab)
        ax.add_collection(lc)
        handles.append(lc)
        if k <= n_sec:  # shade the radiator sections and the cold plates
            bands.append((float(min(x0e[sel].min(), x1e[sel].min())),
                          float(max(x0e[sel].max(), x1e[sel].max())), lab, col))
    pk = loop.nodes["packages"]
    if len(pk):
        h = ax.plot(x[pk], Tf[pk], "s", color="C3", ms=4, label="cold-plate outlets")[0]
        handles.append(h)
    xs = np.concatenate([x0e[ok], x1e[ok]])
    x_lo, x_hi = float(xs.min()), float(xs.max())
    x_hi = x_hi if x_hi > x_lo else x_lo + 1.0
    ax.set_xlim(x_lo, x_hi)
    last_end, row = -np.inf, 0
    for b0, b1, lab, col in sorted(bands):
        ax.axvspan(b0, b1, color=col, alpha=0.10, lw=0)
        narrow = b1 - b0 < 0.12 * (x_hi - x_lo)  # label a narrow band from its left edge
        x_text = b0 if narrow else 0.5 * (b0 + b1)
        start = x_text if narrow else x_text - 0.06 * (x_hi - x_lo)
        row = row + 1 if start < last_end else 0  # a label that would overlap goes lower
        last_end = (x_text if narrow else 0.5 * (b0 + b1)) + 0.12 * (x_hi - x_lo)
        ax.text(x_text, 0.985 - 0.05 * row, lab, transform=ax.get_xaxis_transform(),
                ha="left" if narrow else "center", va="top", fontsize=8, color=col)
    lo, hi = float(Tf.min()), float(Tf.max())
    pad = 0.08 * (hi - lo) if hi > lo else max(0.5, 1e-3 * abs(hi))
    ax.set_ylim(lo - pad, hi + 2.2 * pad)  # a little extra on top for the segment labels
    ax.set_xlabel("distance along the flow from the pump [m]")
    ax.set_ylabel("coolant temperature [K]")
    sec_ax = ax.secondary_yaxis("right", functions=(lambda k: k - C0, lambda c: c + C0))
    sec_ax.set_ylabel("[°C]")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fl = loop.fluid
    req = float(loop.spec.freeze_margin_k)
    freeze, boil, f_ok, b_ok = _margin_lines(fl, Tf, req)
    ax.legend(handles=handles, fontsize=8, loc="center left", bbox_to_anchor=(1.12, 0.5),
              title="segment", title_fontsize=8)
    note = f"\n(required ≥ {req:g} K)"
    ax.text(1.12, 1.0, "▲ " + boil + (note if not b_ok else ""), transform=ax.transAxes,
            ha="left", va="top", fontsize=8, color="0.15" if b_ok else "C3")
    ax.text(1.12, 0.0, "▼ " + freeze + (note if not f_ok else ""), transform=ax.transAxes,
            ha="left", va="bottom", fontsize=8, color="0.15" if f_ok else "C3")
    return fig


def plot_orbit(orbit_result, limits: dict, path, title: str = "") -> Path:
    """:func:`orbit_figure` written to the PNG ``path``."""
    return _save(orbit_figure(orbit_result, limits, title), path)


def orbit_figure(orbit_result, limits: dict, title: str = ""):
    """Key temperatures and powers over the orbit transient, eclipse shaded.

    The junction limit and the coolant's freezing point (and the freezing point plus the
    required margin, when ``limits`` has ``required_coolant_margin_k``) are drawn as dashed
    lines named in the legend; both legends sit outside the data, right of the axes.
    """
    plt = _fig()
    s = orbit_result.series
    t = s["t_s"] / 60.0
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(8.6, 6.0), sharex=True)
    for key, lab, c in (("junction_max_k", "junction max", "C3"), ("cell_max_k", "cells max", "C1"),
                        ("coolant_max_k", "coolant max", "C0"),
                        ("coolant_min_k", "coolant min", "C9")):
        ax.plot(t, s[key] - C0, color=c, label=lab)
    jl = limits["junction_limit_k"]
    ax.axhline(jl - C0, color="C3", ls="--", lw=0.9,
               label=f"junction limit {jl:.5g} K ({jl - C0:.4g} °C)")
    fz = limits["coolant_freeze_k"]
    ax.axhline(fz - C0, color="C9", ls="--", lw=0.9,
               label=f"coolant freezing {fz:.5g} K ({fz - C0:.4g} °C)")
    req = limits.get("required_coolant_margin_k")
    if req:
        ax.axhline(fz + req - C0, color="C9", ls=":", lw=0.9,
                   label=f"freezing + required margin {req:g} K")
    dark = s["pv_w"] <= 1e-6
    for a in (ax, ax2):
        a.fill_between(t, 0, 1, where=dark, transform=a.get_xaxis_transform(), color="0.85",
                       label="eclipse" if a is ax else None)
        a.grid(alpha=0.3)
    ax.set_ylabel("temperature [°C]")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    ax.set_title(title)
    ax2.plot(t, s["pv_w"] / 1e3, color="C2", label="PV electric")
    ax2.plot(t, s["compute_w"] / 1e3, color="C4", label="compute (throttled)")
    ax2.set_xlabel("time from the hot case [min]")
    ax2.set_ylabel("power [kW]")
    ax2.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    return fig
