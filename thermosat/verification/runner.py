"""The validation runner: discover the cases of :mod:`thermosat.verification.cases`, run them, report.

A case is any module ``thermosat/verification/cases/<module>.py`` that defines ``NAME`` (the contract name) and
``run() -> CaseResult`` (:class:`thermosat.verification.case.CaseResult`). Discovery is
automatic: adding such a file adds a case. The runner prints a table (or one JSON object),
writes ``REPORT.md`` with every case's mesh rows and a convergence plot
``convergence.png``, and reports whether everything passed.

Example
-------
>>> from thermosat.verification import runner as validate
>>> runs = validate.run_cases(validate.discover(only=["nafems_t2"]))
>>> runs[0].passed
True
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import importlib
import json
import math
import os
import pkgutil
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TextIO

from thermosat.common.errors import InputError
from thermosat.common.atomic import atomic_path, atomic_write_text
from thermosat.verification.case import CaseResult
from thermosat.verification.optional import missing_from_error, skip_note

__all__ = [
    "Case",
    "CaseRun",
    "case_names",
    "default_report_dir",
    "discover",
    "format_table",
    "main",
    "plot_convergence",
    "print_case",
    "run_case",
    "run_cases",
    "to_json",
    "validation_package",
    "write_report",
]

REPORT_NAME = "REPORT.md"
PLOT_NAME = "convergence.png"


# --------------------------------------------------------------------------------- discovery
def validation_package() -> ModuleType:
    """The package of case modules, :mod:`thermosat.verification.cases`."""
    from thermosat.verification import cases

    return cases


@dataclass
class Case:
    """A discovered case module (``mod`` is ``None`` when it failed to import)."""

    module: str
    mod: ModuleType | None
    error: str | None = None
    skipped: str | None = None

    @property
    def name(self) -> str:
        return str(getattr(self.mod, "NAME", self.module)) if self.mod else self.module

    @property
    def title(self) -> str:
        doc = (self.mod.__doc__ or "") if self.mod else ""
        return doc.strip().splitlines()[0] if doc.strip() else self.name


def _order_key(case: Case) -> tuple:
    m = re.search(r"case (\d+)", case.title)
    return (int(m.group(1)) if m else 1000, case.name)


def discover(only: Iterable[str] | None = None) -> list[Case]:
    """Import every case module of the validation package (sorted by docs/references.md §8 number).

    ``only`` restricts to cases whose ``NAME`` or module name is listed; an unknown name is an
    :class:`InputError`. A module that fails to import becomes a failing case (with the error)
    rather than stopping the run; modules without ``NAME`` and ``run`` are not cases.
    """
    pkg = validation_package()
    cases: list[Case] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.ispkg:
            continue
        try:
            mod = importlib.import_module(f"{pkg.__name__}.{info.name}")
        except Exception as err:  # noqa: BLE001 -- a broken case must not hide the others
            pkg_missing = missing_from_error(err)
            cases.append(Case(info.name, None, f"import failed: {type(err).__name__}: {err}",
                              skip_note(pkg_missing) if pkg_missing else None))
            continue
        if hasattr(mod, "NAME") and callable(getattr(mod, "run", None)):
            cases.append(Case(info.name, mod))
    if only is not None:
        wanted = [w for item in only for w in str(item).split(",") if w.strip()]
        wanted = [w.strip() for w in wanted]
        known = {c.name for c in cases} | {c.module for c in cases}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise InputError(f"validate --only: unknown case(s) {unknown}; cases: "
                             f"{sorted(c.name for c in cases)}")
        cases = [c for c in cases if c.name in wanted or c.module in wanted]
    return sorted(cases, key=_order_key)


def case_names() -> list[str]:
    """Contract names of every discovered case."""
    return [c.name for c in discover()]


# --------------------------------------------------------------------------------- running
@dataclass
class CaseRun:
    """One executed case: its :class:`CaseResult` (or the error it raised) and wall time (s)."""

    name: str
    module: str
    title: str
    result: CaseResult | None
    time_s: float
    error: str | None = None
    extra: dict = field(default_factory=dict)
    #: why the case did not run (a test-only package is missing), with the install command
    skipped: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and self.result is not None and self.result.passed

    @property
    def ok(self) -> bool:
        """Passed, or skipped because a test-only package is not installed."""
        return self.passed or self.skipped is not None

    @property
    def status(self) -> str:
        if self.skipped:
            return "SKIP"
        return "PASS" if self.passed else ("ERROR" if self.error else "FAIL")

    def to_json(self) -> dict:
        r = self.result
        d = {"name": self.name, "module": self.module, "title": self.title,
             "reference": r.reference if r else None, "computed": r.computed if r else None,
             "rel_error": r.rel_error if r else None, "tolerance": r.tolerance if r else None,
             "absolute": r.absolute if r else None, "unit": r.unit if r else "",
             "passed": self.passed, "source": r.source if r else "",
             "time_s": self.time_s, "error": self.error, "skipped": self.skipped,
             "meshes": r.meshes if r else []}
        return _clean(d)


def _clean(obj):
    """JSON-safe copy: numpy scalars to Python numbers, NaN/inf to None."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if hasattr(obj, "tolist") and getattr(obj, "ndim", 0) > 0:  # numpy arrays
        return _clean(obj.tolist())
    if hasattr(obj, "item") and callable(obj.item) and getattr(obj, "ndim", 1) == 0:
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


def run_case(case: Case) -> CaseRun:
    """Run one discovered case, timing it and capturing any exception as a failure."""
    t0 = time.perf_counter()
    if case.mod is None:
        if case.skipped:
            return CaseRun(case.name, case.module, case.title, None, 0.0, None,
                           skipped=case.skipped)
        return CaseRun(case.name, case.module, case.title, None, 0.0, case.error)
    skipped = None
    try:
        result = case.mod.run()
        if not isinstance(result, CaseResult):
            raise TypeError(f"run() returned {type(result).__name__}, not CaseResult")
        err = None
    except Exception as exc:  # noqa: BLE001 -- report the failure, keep running the suite
        result = None
        pkg = missing_from_error(exc)
        if pkg is not None:
            err, skipped = None, skip_note(pkg)
        else:
            err = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}"
    return CaseRun(case.name, case.module, case.title, result, time.perf_counter() - t0, err,
                   skipped=skipped)


def run_cases(cases: list[Case], progress: TextIO | None = None) -> list[CaseRun]:
    """Run ``cases`` in order; one progress line per case on ``progress`` (e.g. stderr)."""
    runs = []
    for i, case in enumerate(cases, 1):
        if progress is not None:
            print(f"[{i}/{len(cases)}] {case.name} ...", end="", file=progress, flush=True)
        r = run_case(case)
        runs.append(r)
        if progress is not None:
            status = ("ok" if r.passed else r.skipped if r.skipped
                      else ("ERROR" if r.error else "FAILED"))
            print(f" {status} ({r.time_s:.1f} s)", file=progress, flush=True)
            if r.error:
                print(f"    {r.error.splitlines()[0]}", file=progress, flush=True)
    return runs


# --------------------------------------------------------------------------------- output
def _num(v, key: str = "") -> str:
    """A mesh-row cell: errors in 3-digit scientific notation, other numbers with 10 digits."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if hasattr(v, "item") and getattr(v, "ndim", 1) == 0:
        v = v.item()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v == 0.0:
            return "0"
        if "error" in key or "imbalance" in key or "_rel" in key or not 1e-3 <= abs(v) < 1e7:
            return f"{v:.3e}"
        return f"{v:.10g}"
    return str(v)


def _value(v) -> str:
    """A reference/computed value with enough digits to see small errors."""
    if v is None:
        return "—"
    v = float(v)
    return "0" if v == 0.0 else f"{v:.10g}"


def _error_cells(r: CaseRun) -> tuple[str, str]:
    if r.result is None:
        return "—", "—"
    kind = " (abs)" if r.result.absolute else ""
    return f"{r.result.rel_error:.2e}{kind}", f"{r.result.tolerance:.0e}{kind}"


_COLUMNS = ("case", "reference", "computed", "unit", "error", "tolerance", "pass", "time (s)")


def _table_rows(runs: list[CaseRun]) -> list[tuple[str, ...]]:
    rows = []
    for r in runs:
        err, tol = _error_cells(r)
        res = r.result
        rows.append((r.name, _value(res.reference) if res else "—",
                     _value(res.computed) if res else "—", res.unit if res else "",
                     err, tol, r.status,
                     f"{r.time_s:.1f}"))
    return rows


def format_table(runs: list[CaseRun]) -> str:
    """Plain-text table: case, reference, computed, unit, error, tolerance, pass, time."""
    rows = [_COLUMNS] + _table_rows(runs)
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    n_pass = sum(r.passed for r in runs)
    total = sum(r.time_s for r in runs)
    skipped = [r for r in runs if r.skipped]
    lines.append(f"{n_pass}/{len(runs)} cases passed in {total:.1f} s"
                 + (f", {len(skipped)} skipped" if skipped else ""))
    lines += [f"  {r.name}: {r.skipped}" for r in skipped]
    return "\n".join(lines)


def to_json(runs: list[CaseRun]) -> dict:
    """``{"cases": [...], "passed": bool, "total_time_s": float}``."""
    return {"cases": [r.to_json() for r in runs], "passed": all(r.ok for r in runs),
            "skipped": [r.name for r in runs if r.skipped],
            "total_time_s": sum(r.time_s for r in runs)}


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    out = ["| " + " | ".join(esc(h) for h in header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def _mesh_table(rows: list[dict]) -> str:
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    return _md_table(keys, [[_num(row.get(k), k) if k in row else "" for k in keys]
                            for row in rows])


def _series(run: CaseRun) -> list[tuple[str, str, list[float], list[float]]]:
    """Convergence series of a case: (label, x-axis name, x, rel_error) with ≥ 3 points."""
    if run.result is None:
        return []
    groups: dict[str, tuple[str, list[float], list[float]]] = {}
    for row in run.result.meshes:
        xkey = "h" if isinstance(row.get("h"), (int, float)) else (
            "dt_s" if isinstance(row.get("dt_s"), (int, float)) else None)
        err = row.get("rel_error")
        if xkey is None or not isinstance(err, (int, float)) or not err > 0:
            continue
        label = str(row.get("series", run.name))
        g = groups.setdefault(label, (xkey, [], []))
        if g[0] == xkey:
            g[1].append(float(row[xkey]))
            g[2].append(float(err))
    out = []
    for label, (xkey, xs, es) in groups.items():
        # round-off-level series (exact on every mesh) show no convergence: leave them out
        if len(xs) >= 3 and max(es) > 1e-9:
            out.append((label, xkey, xs, es))
    return out


def plot_convergence(runs: list[CaseRun], path: str | os.PathLike) -> Path | None:
    """Log-log error against mesh size (or time step) of every converging case; PNG at ``path``.

    Returns the path, or ``None`` when no case has a convergence series.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullFormatter

    panels = [(r, s) for r in runs if (s := _series(r))]
    if not panels:
        return None
    ncol = min(3, len(panels))
    nrow = math.ceil(len(panels) / ncol)
    fig = Figure(figsize=(4.2 * ncol, 3.4 * nrow), layout="constrained")
    FigureCanvasAgg(fig)
    for k, (run, series) in enumerate(panels):
        ax = fig.add_subplot(nrow, ncol, k + 1)
        xname = "h (m)"
        for label, xkey, xs, es in series:
            ax.loglog(xs, es, "o-", label=label)
            xname = "h (m)" if xkey == "h" else "Δt (s)"
        # slope-2 guide through the finest point of the first series
        _, _, xs, es = series[0]
        i = min(range(len(xs)), key=lambda j: xs[j])
        x0, x1 = min(xs), max(xs)
        ax.loglog([x0, x1], [es[i] * (x0 / xs[i]) ** 2, es[i] * (x1 / xs[i]) ** 2], "k--",
                  lw=0.8, label="slope 2")
        ax.set_title(run.name, fontsize=10)
        ax.set_xlabel(xname)
        ax.set_ylabel("relative error")
        if max(x for *_, xs, _ in series for x in xs) > 10.0 * min(
                x for *_, xs, _ in series for x in xs):
            ax.xaxis.set_minor_formatter(NullFormatter())  # no crowded minor-tick labels
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    return Path(path)


def default_report_dir() -> Path:
    """The current directory: reports never go into the installed package."""
    return Path.cwd()


def write_report(runs: list[CaseRun], out_dir: str | os.PathLike) -> Path:
    """Write ``REPORT.md`` (summary table, per-case rows) and ``convergence.png`` to ``out_dir``."""
    from thermosat import __version__

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plot = plot_convergence(runs, out_dir / PLOT_NAME)
    n_pass = sum(r.passed for r in runs)
    total = sum(r.time_s for r in runs)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# thermosat validation report",
        "",
        (f"Generated by `thermosat validate` (thermosat {__version__}) on {stamp}: "
         f"**{n_pass}/{len(runs)} cases passed** in {total:.1f} s. Case definitions, "
         "references and tolerances are in the docstring of each `thermosat/verification/cases/<case>.py` and "
         "in `validation/README.md`; error is relative unless marked (abs)."),
        "",
        _md_table(list(_COLUMNS), [list(r) for r in _table_rows(runs)]),
        "",
    ]
    if plot is not None:
        lines += ["## Convergence", "",
                  ("Relative error against mesh size h (or time step Δt) for the cases whose "
                   "error is above round-off; dashed: slope 2."), "",
                  f"![convergence]({PLOT_NAME})", ""]
    lines += ["## Cases", ""]
    for r in runs:
        lines += [f"### {r.name}", "", f"*{r.title}* (`validation/{r.module}.py`)", ""]
        if r.result is not None:
            res = r.result
            err, tol = _error_cells(r)
            lines += [f"- reference: {_value(res.reference)} {res.unit} — {res.source}",
                      f"- computed: {_value(res.computed)} {res.unit}",
                      (f"- error {err}, tolerance {tol}: "
                       f"**{'PASS' if r.passed else 'FAIL'}** ({r.time_s:.1f} s)"), ""]
            if res.meshes:
                lines += [_mesh_table(res.meshes), ""]
        if r.skipped:
            lines += [f"- **SKIP** — {r.skipped}", ""]
        if r.error:
            lines += ["```", r.error.rstrip(), "```", ""]
    return atomic_write_text(out_dir / REPORT_NAME, "\n".join(lines))


def print_case(result: CaseResult, file: TextIO | None = None) -> None:
    """Print one case and its mesh rows (used by ``python -m validation.<case>``)."""
    file = file or sys.stdout
    kind = "abs" if result.absolute else "rel"
    print(f"{result.name}: reference {_value(result.reference)} {result.unit}, computed "
          f"{_value(result.computed)} {result.unit}, {kind} error {result.rel_error:.3e} "
          f"(tolerance {result.tolerance:.0e}) -> {'PASS' if result.passed else 'FAIL'}",
          file=file)
    print(f"  source: {result.source}", file=file)
    if result.meshes:
        keys: list[str] = []
        for row in result.meshes:
            keys += [k for k in row if k not in keys]
        table = [keys] + [[_num(row.get(k), k) if k in row else "" for k in keys]
                          for row in result.meshes]
        widths = [max(len(r[i]) for r in table) for i in range(len(keys))]
        for row in table:
            print("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip(), file=file)


# --------------------------------------------------------------------------------- entry point
def main(only: list[str] | None = None, *, as_json: bool = False,
         report_dir: str | os.PathLike | None = None, write: bool | None = None,
         out: TextIO | None = None, err: TextIO | None = None,
         on_done: Callable[[list[CaseRun]], None] | None = None) -> int:
    """Discover, run, print and report. Returns 0 when every case passed or was skipped for
    a missing test-only package (reported with the command that installs it), else 1.

    write : write REPORT.md + convergence.png; default: yes for a full run or when
        ``report_dir`` is given, no for an ``only`` subset (so a partial run does not replace
        the full report)
    """
    out = out or sys.stdout
    err = err or sys.stderr
    cases = discover(only)
    t0 = time.perf_counter()
    if as_json:  # keep stdout for the one JSON object, whatever a case prints
        with contextlib.redirect_stdout(err):
            runs = run_cases(cases, progress=err)
    else:
        runs = run_cases(cases, progress=err)
    if write is None:
        write = only is None or report_dir is not None
    if write:
        target = Path(report_dir) if report_dir is not None else default_report_dir()
        path = write_report(runs, target)
        print(f"report: {path}", file=err)
    if as_json:
        doc = to_json(runs)
        doc["wall_time_s"] = time.perf_counter() - t0
        print(json.dumps(doc, indent=None), file=out)
    else:
        print(format_table(runs), file=out)
    if on_done is not None:
        on_done(runs)
    return 0 if all(r.ok for r in runs) else 1
