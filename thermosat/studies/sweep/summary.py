"""What a sweep shows: the summary figure, the terminal summary and the dry-run listing."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any
import numpy as np

from thermosat.studies.sweep.evaluate import get_mode
from thermosat.studies.sweep.store import flatten
from thermosat.studies.sweep.spec import Sweep
from thermosat.studies.sweep.plan import Plan, prepare


# --- summary plot -----------------------------------------------------------------------------
def _title(plan: Plan) -> str:
    s = plan.sweep.spec
    return s.title or f"{s.mode} sweep of {plan.sweep.base.label}"


def _numeric(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _varies(vals: list) -> bool:
    """More than one distinct value (numbers: beyond round-off)."""
    nums = [v for v in vals if _numeric(v)]
    if len(nums) == len(vals) and nums:
        lo, hi = min(nums), max(nums)
        return hi - lo > 1e-9 * max(abs(lo), abs(hi), 1e-300)
    return len({json.dumps(v, sort_keys=True) for v in vals}) > 1


def _plot_outputs(plan: Plan, records: list[dict], limit: int = 4) -> list[str]:
    """Outputs for the summary plot: ``[plot] outputs``, else the mode's preferred outputs,
    then other numeric outputs that vary, at most ``limit``."""
    rows = [flatten(r.get("outputs") or {}) for r in records if r.get("status") == "done"]
    if not rows:
        return []
    numeric: dict[str, list] = {}
    for r in rows:
        for k, v in r.items():
            if _numeric(v):
                numeric.setdefault(k, []).append(v)
    if plan.sweep.spec.plot.outputs:
        missing = [o for o in plan.sweep.spec.plot.outputs if o not in numeric]
        if missing:  # the outputs of a mode are not all known in advance: say so, never drop
            import difflib
            import sys

            for o in missing:
                close = difflib.get_close_matches(o, list(numeric), n=1, cutoff=0.5)
                print(f"thermosat sweep: warning: [plot] outputs {o!r} is not a numeric "
                      f"output of the finished points" + (f" (did you mean {close[0]!r}?)"
                                                          if close else "")
                      + "; its plot row is left out", file=sys.stderr)
        return [o for o in plan.sweep.spec.plot.outputs if o in numeric]
    chosen = [o for o in get_mode(plan.sweep.spec.mode).plot_outputs if o in numeric]
    chosen += [k for k, vs in numeric.items() if k not in chosen and _varies(vs)]
    return chosen[:limit]


def summary_figure(rows: list[dict], fields: list[str], outputs: list[str], *,
                   title: str = "", max_fields: int = 4):
    """A grid of scatter plots: each output (row) against each varied field (column), coloured
    by another varied field (colour bar per column); failed and pending points are counted in
    the title. Returns a matplotlib Figure (Agg canvas, no pyplot state), or None if there is
    nothing to plot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    done = [r for r in rows if r.get("status") == "done"]
    fields = [f for f in fields if _varies([r["values"].get(f) for r in done])][:max_fields]
    if not outputs or not fields or not done:
        return None
    n_failed = sum(1 for r in rows if r.get("status") == "failed")
    n_pending = sum(1 for r in rows if r.get("status") == "pending")
    flat = [flatten(r.get("outputs") or {}) for r in done]
    nr, nc = len(outputs), len(fields)
    fig = Figure(figsize=(3.6 * nc + 0.8, 2.5 * nr + 0.8), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nr, nc, squeeze=False)

    def axis_values(name):
        vals = [r["values"].get(name) for r in done]
        if all(_numeric(v) for v in vals):
            return np.asarray(vals, float), None
        cats = list(dict.fromkeys(str(v) for v in vals))
        return np.asarray([cats.index(str(v)) for v in vals], float), cats

    for j, f in enumerate(fields):
        x, cats = axis_values(f)
        other = fields[(j + 1) % nc] if nc > 1 else None
        c, ccats = axis_values(other) if other else (None, None)
        sc = None
        for i, o in enumerate(outputs):
            ax = axes[i, j]
            y = np.asarray([r.get(o) if _numeric(r.get(o)) else np.nan for r in flat], float)
            sc = ax.scatter(x, y, c=c, s=16, cmap="viridis" if c is not None else None,
                            alpha=0.85, edgecolors="none")
            if "margin" in o:  # margins: positive = the limit is met
                ax.axhline(0.0, color="firebrick", lw=0.8, ls="--")
            if cats:
                ax.set_xticks(range(len(cats)), cats, rotation=30, ha="right", fontsize=8)
            if i == nr - 1:
                ax.set_xlabel(f, fontsize=9)
            if j == 0:
                ax.set_ylabel(o, fontsize=8)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
        if c is not None and sc is not None:
            cb = fig.colorbar(sc, ax=list(axes[:, j]), location="top", shrink=0.8, aspect=30)
            cb.set_label(other, fontsize=8)
            cb.ax.tick_params(labelsize=7)
            if ccats:
                cb.set_ticks(range(len(ccats)), labels=ccats)
    tail = f"{len(done)} done" + (f", {n_failed} failed" if n_failed else "") + \
        (f", {n_pending} pending" if n_pending else "")
    fig.suptitle(f"{title} ({tail})" if title else tail, fontsize=10)
    return fig


def format_summary(summary: dict) -> str:
    """Short human-readable summary of :func:`run_sweep`'s result."""
    s = summary
    lines = [f"sweep: {s['points']} points: {s['done']} done, {s['skipped']} skipped (already "
             f"on disk), {s['failed']} failed" + (f", {s['remaining']} remaining"
                                                  if s["remaining"] else "")]
    if s.get("failed_total", 0) > s["failed"]:
        lines.append(f"  {s['failed_total']} points are recorded as failed in all "
                     f"(rerun with --retry-failed to recompute them)")
    for e in s.get("errors", [])[:3]:
        lines.append(f"  failed: {e}")
    lines.append(f"  points:  {Path(s['out']) / 'points'}/")
    lines.append(f"  table:   {s['results']}")
    if s.get("plot"):
        lines.append(f"  plot:    {s['plot']}")
    return "\n".join(lines)


def dry_run(sweep: Sweep, limit: int = 10) -> str:
    """The points a sweep would evaluate (first ``limit``), as text."""
    plan = prepare(sweep)
    lines = [f"{len(plan.points)} points ({plan.duplicates} duplicates merged), mode "
             f"{sweep.spec.mode}, base case {sweep.base.label} (fingerprint {plan.fingerprint})"]
    for p in plan.points[:limit]:
        lines.append(f"  {p['point_id']}  {json.dumps(p['values'])}")
    if len(plan.points) > limit:
        lines.append(f"  ... {len(plan.points) - limit} more")
    return "\n".join(lines)
