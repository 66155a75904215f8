"""What moved between two result folders: areas, temperatures, margins, power and mass per tier.

A *run* is a folder written by ``thermosat size`` (``results.json`` with one row per tier) or by
``thermosat solve`` (``result.json``, one case), or that file itself. :func:`compare_runs`
pairs the tiers of the two runs and gives, for every quantity of :data:`METRICS`, the value in
each run, the change and the relative change; :func:`format_table` prints it (K with °C, fitted
to the terminal) and :func:`plot_compare` draws it (``compare.png``: one panel per quantity,
run A and run B side by side for each tier). Mass and W/kg of an infeasible tier are not
shown (its design does not work).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from thermosat.common.atomic import atomic_path
from thermosat.common.errors import InputError

__all__ = ["METRICS", "load_run", "compare_runs", "format_table", "plot_compare", "moved"]

C0 = 273.15

#: (key, label, unit) — unit "K" values are shown with °C too
METRICS = (
    ("cell_area_m2", "cell area", "m²"),
    ("radiator_area_m2", "radiator area", "m²"),
    ("total_area_m2", "total area", "m²"),
    ("max_junction_temp_k", "junction max", "K"),
    ("junction_margin_k", "junction margin", "ΔK"),
    ("max_cell_temp_k", "cells max", "K"),
    ("coolant_min_temp_k", "coolant min", "K"),
    ("coolant_max_temp_k", "coolant max", "K"),
    ("coolant_freeze_margin_k", "coolant margin to freezing", "ΔK"),
    ("coolant_boil_margin_k", "coolant margin to boiling", "ΔK"),
    ("compute_power_w", "compute power", "W"),
    ("pv_power_w", "PV power", "W"),
    ("pump_power_w", "pump power", "W"),
    ("radiator_flux_w_m2", "radiator flux", "W/m²"),
    ("mass_kg", "mass", "kg"),
    ("specific_power_w_kg", "specific power", "W/kg"),
)

#: panels of the plot: title -> metric keys
PLOT_GROUPS = (
    ("radiator area (m²)", ("radiator_area_m2",)),
    ("junction max (K)", ("max_junction_temp_k",)),
    ("coolant margins (K)", ("coolant_freeze_margin_k", "coolant_boil_margin_k")),
    ("compute power (kW)", ("compute_power_w",)),
    ("mass (kg)", ("mass_kg",)),
    ("cell area (m²)", ("cell_area_m2",)),
)


def _num(v):
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(
        v) else None


def _flat(row: dict) -> dict:
    """The METRICS of one tier row (size) with the derived margins filled in."""
    out = {k: _num(row.get(k)) for k, _, _ in METRICS}
    if out["junction_margin_k"] is None and _num(row.get("junction_limit_k")) is not None \
            and out["max_junction_temp_k"] is not None:
        out["junction_margin_k"] = row["junction_limit_k"] - out["max_junction_temp_k"]
    if out["coolant_freeze_margin_k"] is None and out["coolant_min_temp_k"] is not None \
            and _num(row.get("coolant_freeze_temp_k")) is not None:
        out["coolant_freeze_margin_k"] = out["coolant_min_temp_k"] - row["coolant_freeze_temp_k"]
    if out["coolant_boil_margin_k"] is None and out["coolant_max_temp_k"] is not None \
            and _num(row.get("coolant_boil_temp_k")) is not None:
        out["coolant_boil_margin_k"] = row["coolant_boil_temp_k"] - out["coolant_max_temp_k"]
    feasible = bool(row.get("feasible", True))
    if not feasible:
        for k in ("mass_kg", "specific_power_w_kg", "radiator_area_m2", "total_area_m2"):
            out[k] = None
    out["feasible"] = feasible
    return out


def _solve_row(rec: dict) -> dict:
    """A ``thermosat solve`` result.json as a tier row (newer files carry the flat keys)."""
    row = dict(rec)
    s, d = rec.get("steady") or {}, rec.get("design") or {}
    t, p, lim = s.get("temperatures_k", {}), s.get("power_w", {}), s.get("limits", {})
    fill = {"max_junction_temp_k": t.get("junction_max_k"), "max_cell_temp_k":
            t.get("cell_max_k"), "coolant_min_temp_k": t.get("coolant_min_k"),
            "coolant_max_temp_k": t.get("coolant_max_k"), "junction_limit_k":
            lim.get("junction_limit_k"), "coolant_freeze_margin_k": lim.get("freeze_margin_k"),
            "coolant_boil_margin_k": lim.get("boil_margin_k"),
            "compute_power_w": p.get("compute_w"), "pv_power_w": p.get("pv_w"),
            "pump_power_w": p.get("pump_w"), "radiator_flux_w_m2": p.get("radiator_flux_w_m2"),
            "cell_area_m2": d.get("cell_area_m2"), "radiator_area_m2":
            d.get("radiator_area_m2")}
    for k, v in fill.items():
        row.setdefault(k, v)
    if row.get("total_area_m2") is None and _num(row.get("cell_area_m2")) is not None \
            and _num(row.get("radiator_area_m2")) is not None:
        row["total_area_m2"] = row["cell_area_m2"] + row["radiator_area_m2"]
    row["feasible"] = bool(rec.get("ok", True))
    return row


def load_run(path) -> dict[str, dict]:
    """``{tier: metrics}`` of a result folder or file; one-line ``InputError`` otherwise."""
    p = Path(path)
    if p.is_dir():
        for name in ("results.json", "result.json"):
            if (p / name).is_file():
                p = p / name
                break
        else:
            raise InputError(f"{path}: no results.json (thermosat size) or result.json "
                             f"(thermosat solve) in this folder")
    elif not p.exists():
        raise InputError(f"{path}: no such result folder or file")
    try:
        data = json.loads(p.read_text())
    except OSError as err:
        raise InputError(f"{p}: cannot read: {err.strerror or err}") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise InputError(f"{p}: not valid JSON ({err})") from None
    if isinstance(data, dict) and isinstance(data.get("tiers"), list):
        rows = data["tiers"]
    elif isinstance(data, dict) and "steady" in data:
        rows = [dict(_solve_row(data), tier=(data.get("design") or {}).get("tier") or "case")]
    elif isinstance(data, dict) and "tier" in data and "max_junction_temp_k" in data:
        rows = [data]  # one tier's result.json
    else:
        raise InputError(f"{p}: not a thermosat result (expected {{\"tiers\": [...]}} from "
                         f"`size` or a `solve` result.json)")
    out = {}
    for i, r in enumerate(rows):
        if not isinstance(r, dict) or "tier" not in r:
            raise InputError(f"{p}: tiers[{i}]: not a tier row (no 'tier')")
        out[str(r["tier"])] = _flat(r)
    if not out:
        raise InputError(f"{p}: holds no tier")
    return out


def moved(a, b, rtol: float = 1e-9) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(b - a) > rtol * max(abs(a), abs(b), 1e-300)


def compare_runs(run_a, run_b) -> dict:
    """``{"tiers": [...], "only_a": [...], "only_b": [...], "rows": [...]}``; each row is
    ``{tier, key, label, unit, a, b, delta, rel, moved}`` (``delta`` = B − A)."""
    a, b = load_run(run_a), load_run(run_b)
    tiers = [t for t in a if t in b]
    if not tiers:
        raise InputError(f"{run_a} and {run_b}: no tier in common (A: {', '.join(a)}; B: "
                         f"{', '.join(b)})")
    rows = []
    for t in tiers:
        for key, label, unit in METRICS:
            va, vb = a[t][key], b[t][key]
            d = vb - va if va is not None and vb is not None else None
            rows.append({"tier": t, "key": key, "label": label, "unit": unit, "a": va, "b": vb,
                         "delta": d, "rel": (d / abs(va) if d is not None and va
                                             and unit != "ΔK" else None),
                         "moved": moved(va, vb)})
        rows.append({"tier": t, "key": "feasible", "label": "feasible", "unit": "", "a":
                     a[t]["feasible"], "b": b[t]["feasible"], "delta": None, "rel": None,
                     "moved": a[t]["feasible"] != b[t]["feasible"]})
    return {"run_a": str(run_a), "run_b": str(run_b), "tiers": tiers,
            "only_a": [t for t in a if t not in b], "only_b": [t for t in b if t not in a],
            "rows": rows}


def _fmt(v, unit) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if unit == "K":
        return f"{v:.2f} ({v - C0:.1f}°C)"
    if unit == "W":
        return f"{v / 1e3:.3f} kW"
    return f"{v:.2f}" if abs(v) < 1e4 else f"{v:.4g}"


def format_table(diff: dict, width: int | None = None, *, show_all: bool = False) -> str:
    """Text table of :func:`compare_runs`: per tier, each quantity in A and B, the change
    (B − A) and the relative change; unchanged rows left out unless ``show_all``."""
    import shutil

    width = width or shutil.get_terminal_size((100, 24)).columns
    lw, vw = 27, 19
    if width < lw + 2 * vw + 22:
        lw, vw = 20, 16
    lines = [f"A = {diff['run_a']}", f"B = {diff['run_b']}"]
    for t in diff["tiers"]:
        rows = [r for r in diff["rows"] if r["tier"] == t and (show_all or r["moved"])]
        lines += ["", f"{t}: " + (f"{len(rows)} quantities moved" if not show_all else ""),
                  f"  {'quantity':<{lw}}{'A':>{vw}}{'B':>{vw}}{'B − A':>12}{'rel':>9}"]
        if not rows:
            lines.append("  (nothing moved)")
        for r in rows:
            u = "" if r["unit"] in ("K", "W", "") else f" {r['unit']}"
            d = r["delta"]
            if d is None:
                ds = ""
            elif r["unit"] == "W":
                ds = f"{d / 1e3:+.3f}"
            else:
                ds = f"{d:+.2f}"
            rel = f"{100 * r['rel']:+.1f}%" if r["rel"] is not None else ""
            label = (r["label"] + u)[:lw - 1]
            lines.append(f"  {label:<{lw}}{_fmt(r['a'], r['unit']):>{vw}}"
                         f"{_fmt(r['b'], r['unit']):>{vw}}{ds:>12}{rel:>9}")
    for side, key in (("A", "only_a"), ("B", "only_b")):
        if diff[key]:
            lines.append(f"\nonly in {side}: {', '.join(diff[key])}")
    return "\n".join(line[:max(width, 40)] for line in lines)


def plot_compare(diff: dict, path, *, title: str = "") -> Path:
    """Grouped bars, run A against run B per tier, one panel per quantity; written atomically
    to ``path`` (PNG). Missing values (an infeasible tier's mass) are drawn as no bar with
    an "n/a" mark."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    tiers = diff["tiers"]
    val = {(r["tier"], r["key"]): (r["a"], r["b"]) for r in diff["rows"]}
    fig = Figure(figsize=(13, 7.5), dpi=100)
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, 3).ravel()
    x = np.arange(len(tiers))
    for ax, (name, keys) in zip(axes, PLOT_GROUPS):
        n = 2 * len(keys)
        w = 0.8 / n
        for j, key in enumerate(keys):
            for s, (side, colour) in enumerate((("A", "#4C72B0"), ("B", "#DD8452"))):
                vals = []
                for t in tiers:
                    v = val[(t, key)][s]
                    if v is not None and key.endswith("_w"):
                        v = v / 1e3
                    vals.append(v)
                off = (2 * j + s - (n - 1) / 2) * w
                heights = [v if v is not None else 0.0 for v in vals]
                label = f"{side}" + (f": {key.split('_')[1]}" if len(keys) > 1 else "")
                bars = ax.bar(x + off, heights, w, color=colour, alpha=1.0 if j == 0 else 0.55,
                              hatch=None if j == 0 else "//", label=label, edgecolor="k",
                              linewidth=0.4)
                for b_, v in zip(bars, vals):
                    if v is None:
                        ax.annotate("n/a", (b_.get_x() + b_.get_width() / 2, 0), ha="center",
                                    va="bottom", fontsize=7, color="0.3")
        if keys == ("max_junction_temp_k",):  # show the differences, not the 0 K baseline
            got = [v for t in tiers for v in val[(t, keys[0])] if v is not None]
            if got:
                span = max(got) - min(got)
                ax.set_ylim(min(got) - max(span, 1.0), max(got) + max(span, 1.0))
        ax.set_xticks(x, [t.upper() for t in tiers])
        ax.set_title(name, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    fig.suptitle(title or f"A = {diff['run_a']}   vs   B = {diff['run_b']}", fontsize=10)
    fig.tight_layout()
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    return path
