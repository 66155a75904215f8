"""Design sweeps: a sweep file, its points, and their execution on Dask, resumable.

A sweep file (TOML)::

    base_case = "vleo"            # a built-in tier, or a case file relative to this file
    mode = "solve"                # solve | size | selftest (see thermosat.sweep_eval)
    title = "wing area x coolant flow x coating"     # optional

    [fixed]                       # optional: fields set on the base case for every point
    panel.element_size_m = 1.0    # (part of the base case's fingerprint)

    [sampling]
    method = "grid"               # grid: every combination; random: n points
    # n = 200                     # random only
    # seed = 1                    # random only (default 0)

    [[parameters]]
    field = "wings.area_m2"       # a dotted field of the case
    values = [80, 120, 160]       # grid or random (random picks uniformly among them)

    [[parameters]]
    field = "loop.mass_flow_kg_s"
    range = [0.2, 1.0]            # random: uniform in [min, max]; grid: needs n
    n = 3                         # grid only: n values from min to max
    log = true                    # log-spaced (grid) / log-uniform (random); min > 0
    # integer = true              # round to integers

    [plot]                        # optional
    outputs = ["temperatures.junction_max_k"]

:func:`run_sweep` evaluates every point not yet in the output folder on a Dask cluster (a
``LocalCluster`` of single-threaded worker processes, or an existing scheduler), writes each
result to ``OUT/points/<point_id>.json`` as soon as it arrives, and rebuilds ``results.csv``,
``results.json`` and ``summary.png`` at the end (:mod:`thermosat.sweep_store`). Interrupting it
(Ctrl-C, SIGTERM) keeps every finished point; running it again computes only the rest.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import logging
import math
import os
import re
import signal
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import numpy as np

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from pydantic import BaseModel, ConfigDict, ValidationError

from thermosat.errors import CaseError, InputError
from thermosat.sweep_eval import MODES, CaseRef, evaluate_point, get_mode, resolve_base
from thermosat.sweep_store import SweepStore, canonical_values, flatten, point_id

__all__ = ["SweepSpec", "Parameter", "Sampling", "Sweep", "Plan", "load_sweep", "parse_sweep",
           "fixed_values",
           "grid_points", "random_points", "prepare", "run_sweep", "summary_figure",
           "WORKER_ENV", "MAX_POINTS"]

#: environment of local worker processes: one thread each for BLAS and Numba
WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
              "MKL_NUM_THREADS": "1"}
#: largest sweep accepted (points)
MAX_POINTS = 1_000_000
_FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

Scalar = float | int | str | bool


# --- the sweep file ---------------------------------------------------------------------------
class Parameter(BaseModel):
    """One varied field: explicit ``values``, or a ``range = [min, max]``."""

    model_config = ConfigDict(extra="forbid")
    field: str
    values: list[Scalar] | None = None
    range: tuple[float, float] | None = None
    n: int | None = None
    log: bool = False
    integer: bool = False


class Sampling(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["grid", "random"] = "grid"
    n: int | None = None
    seed: int | None = None


class PlotSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outputs: list[str] = []


class SweepSpec(BaseModel):
    """The validated content of a sweep file."""

    model_config = ConfigDict(extra="forbid")
    base_case: str
    mode: str
    title: str = ""
    sampling: Sampling = Sampling()
    fixed: dict[str, Any] = {}
    parameters: list[Parameter]
    plot: PlotSpec = PlotSpec()


_SECTIONS = {None: SweepSpec, "sampling": Sampling, "parameters": Parameter, "plot": PlotSpec}


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _pydantic_error(err: ValidationError, source: str) -> CaseError:
    e = err.errors()[0]
    loc = tuple(e["loc"])
    section = _SECTIONS.get(loc[0] if len(loc) > 1 else None, SweepSpec)
    allowed = ""
    msg = e["msg"].removeprefix("Value error, ")
    if e["type"] == "extra_forbidden":
        msg = "unknown field"
        allowed = ", ".join(section.model_fields)
    elif e["type"] == "missing":
        msg = "missing"
        allowed = "required"
    elif e["type"] == "literal_error":
        allowed = str(e.get("ctx", {}).get("expected", "")).replace("'", "")
    return CaseError(f"{source}: {_loc(loc)}: {msg}" + (f" (allowed {allowed})" if allowed else ""))


def _check_spec(spec: SweepSpec, source: str) -> None:
    """Cross-field rules pydantic's types do not express; raise one-line CaseErrors."""
    def fail(where: str, msg: str, allowed: str = ""):
        raise CaseError(f"{source}: {where}: {msg}" + (f" (allowed {allowed})" if allowed else ""))

    if spec.mode not in MODES:
        fail("mode", f"{spec.mode!r} is not a sweep mode", ", ".join(MODES))
    s = spec.sampling
    random = s.method == "random"
    if random and s.n is None:
        fail("sampling.n", "missing: random sampling needs the number of points",
             f"1 to {MAX_POINTS}")
    if s.n is not None and not random:
        fail("sampling.n", "only for method = \"random\" (a grid has one point per combination)")
    if s.seed is not None and not random:
        fail("sampling.seed", "only for method = \"random\"")
    if s.n is not None and not 1 <= s.n <= MAX_POINTS:
        fail("sampling.n", f"{s.n} is out of range", f"1 to {MAX_POINTS}")
    if not spec.parameters:
        fail("parameters", "empty: give at least one [[parameters]] table")
    fixed = fixed_values(spec)
    for key in fixed:
        if not _FIELD_RE.match(key):
            fail(f"fixed.{key}", "not a dotted field path", "names like \"wings.area_m2\"")
    seen = set(fixed)
    for i, p in enumerate(spec.parameters):
        where = f"parameters[{i}]"
        if not _FIELD_RE.match(p.field):
            fail(f"{where}.field", f"{p.field!r} is not a dotted field path",
                 "names like \"wings.area_m2\"")
        if p.field in seen:
            fail(f"{where}.field", f"{p.field!r} is varied twice" if p.field not in fixed
                 else f"{p.field!r} is also in [fixed]")
        seen.add(p.field)
        if (p.values is None) == (p.range is None):
            fail(where, "give exactly one of `values` and `range`", "values = [...] or "
                 "range = [min, max]")
        if p.values is not None:
            if not p.values:
                fail(f"{where}.values", "empty list")
            for name in ("n", "log", "integer"):
                if getattr(p, name) not in (None, False):
                    fail(f"{where}.{name}", "only with `range`")
            continue
        lo, hi = p.range
        if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
            fail(f"{where}.range", f"[{lo}, {hi}] is not an interval", "[min, max], min < max")
        if p.log and lo <= 0:
            fail(f"{where}.range", f"log spacing needs min > 0, got {lo}", "min > 0 with log")
        if p.integer and math.ceil(lo) > math.floor(hi):
            fail(f"{where}.range", f"[{lo}, {hi}] holds no integer", "an interval with an "
                 "integer in it")
        if random and p.n is not None:
            fail(f"{where}.n", "only for method = \"grid\" (random draws sampling.n points)")
        if not random:
            if p.n is None:
                fail(f"{where}.n", "missing: a grid over a range needs the number of values",
                     "n >= 2, or values = [...]")
            if p.n < 2:
                fail(f"{where}.n", f"{p.n} is too small", "n >= 2")
    if not random:
        size = math.prod(len(_grid_values(p)) for p in spec.parameters)
        if size > MAX_POINTS:
            fail("parameters", f"the grid has {size} points", f"at most {MAX_POINTS}")


def fixed_values(spec: SweepSpec) -> dict[str, Any]:
    """``[fixed]`` as dotted paths: nested TOML tables (``panel.element_size_m = 1``) and quoted
    dotted keys (``"panel.element_size_m" = 1``) both work."""
    return flatten_fixed(spec.fixed)


def flatten_fixed(d: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict):
            out.update(flatten_fixed(v, key))
        else:
            out[key] = v
    return out


def parse_sweep(text: str, source: str = "<sweep>") -> SweepSpec:
    """Validate sweep-file TOML text; raises :class:`CaseError` naming ``source`` and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CaseError(f"{source}: not valid TOML: {err}") from None
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as err:
        raise _pydantic_error(err, source) from None
    _check_spec(spec, source)
    return spec


@dataclass
class Sweep:
    """A sweep spec with its base case resolved (``path`` is the sweep file, if any)."""

    spec: SweepSpec
    base: CaseRef
    path: Path | None = None

    @property
    def source(self) -> str:
        return str(self.path) if self.path else "<sweep>"

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.spec.parameters]

    def points(self) -> list[dict[str, Any]]:
        """The point values, in sweep order (grid: last parameter varies fastest)."""
        s = self.spec.sampling
        if s.method == "grid":
            return grid_points(self.spec.parameters)
        return random_points(self.spec.parameters, s.n, s.seed or 0)


def load_sweep(path: str | os.PathLike) -> Sweep:
    """Read and validate a sweep file; the base case is resolved relative to its folder."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise InputError(f"{path}: cannot read the sweep file: {err.strerror or err}") from None
    spec = parse_sweep(text, str(path))
    try:
        base = resolve_base(spec.base_case, path.parent, spec.mode)
    except CaseError as err:
        raise CaseError(f"{path}: {err}") from None
    return Sweep(spec, base, path)


# --- sampling ---------------------------------------------------------------------------------
def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _grid_values(p: Parameter) -> list:
    if p.values is not None:
        return list(p.values)
    lo, hi = p.range
    xs = np.geomspace(lo, hi, p.n) if p.log else np.linspace(lo, hi, p.n)
    xs[0], xs[-1] = lo, hi
    if p.integer:
        return list(dict.fromkeys(int(round(x)) for x in xs))
    return [float(x) for x in xs]


def grid_points(parameters: list[Parameter]) -> list[dict[str, Any]]:
    """Every combination of the parameters' values (the last parameter varies fastest)."""
    axes = [_grid_values(p) for p in parameters]
    names = [p.field for p in parameters]
    return [dict(zip(names, combo)) for combo in itertools.product(*axes)]


def random_points(parameters: list[Parameter], n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` points drawn with ``numpy.random.default_rng(seed)``: uniform (or log-uniform) in
    each range, uniform among listed values.

    Reproducible, and a prefix-stable sequence: the first ``n`` points of a sweep with more
    points and the same seed are the same points, so growing ``n`` reuses finished points.
    """
    rng = np.random.default_rng(seed)
    u = rng.random((n, len(parameters)))  # row-major fill: rows are prefix-stable in n
    cols = []
    for j, p in enumerate(parameters):
        if p.values is not None:
            k = len(p.values)
            cols.append([p.values[min(int(x * k), k - 1)] for x in u[:, j]])
            continue
        lo, hi = p.range
        if p.integer:
            a, b = math.ceil(lo), math.floor(hi)
            if p.log:  # log-uniform over [a, b + 1), floored: P(k) ∝ log((k + 1)/k)
                x = np.exp(np.log(a) + u[:, j] * (np.log(b + 1) - np.log(a)))
            else:
                x = a + u[:, j] * (b - a + 1)
            col = np.clip(np.floor(x), a, b)
            cols.append([int(c) for c in col])
            continue
        if p.log:
            x = np.exp(np.log(lo) + u[:, j] * (np.log(hi) - np.log(lo)))
        else:
            x = lo + u[:, j] * (hi - lo)
        cols.append([float(c) for c in np.clip(x, lo, hi)])
    names = [p.field for p in parameters]
    return [{name: _py(cols[j][i]) for j, name in enumerate(names)} for i in range(n)]


# --- planning ---------------------------------------------------------------------------------
@dataclass
class Plan:
    """A sweep ready to run: base case loaded and fingerprinted, points with their ids."""

    sweep: Sweep
    fingerprint: str  # of the base case with [fixed] applied
    points: list[dict[str, Any]]  # {"point_id", "values"}, unique, in sweep order
    duplicates: int = 0
    fixed: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [p["point_id"] for p in self.points]


def prepare(sweep: Sweep) -> Plan:
    """Load the base case, check every varied field (each listed value, or both ends of a range)
    and the ``[fixed]`` fields by applying them to the base case, and give each point its id.

    A value is checked together with ``[fixed]`` and the other fields of a sweep point (the
    first point, then up to four points that have this value), so a value that is only valid in
    combination (a wing area of 0 beside a radiator strip) passes, while an unknown field or an
    out-of-range value is an error before anything runs. Raises :class:`CaseError`.
    """
    mode = get_mode(sweep.spec.mode)
    try:
        mode.require()
    except CaseError as err:
        raise CaseError(f"{sweep.source}: {err}") from None
    try:
        base = mode.load(sweep.base)
    except CaseError as err:
        raise CaseError(f"{sweep.source}: base_case: {err}") from None
    fixed = fixed_values(sweep.spec)
    raw = sweep.points()

    where = {key: "fixed" for key in fixed}
    where.update({p.field: f"parameters[{i}]" for i, p in enumerate(sweep.spec.parameters)})

    def check(field: str, v: Any, contexts: list[dict]) -> None:
        first = None
        for ctx in contexts:
            values = {**fixed, **ctx, field: v}
            try:
                mode.apply(base, values)
                return
            except CaseError as err:
                first = first or (err, values)
        err, values = first
        # blame the field the message names (a bad field in the context, not the one checked)
        named = [f for f in where if re.search(rf"(^|\s){re.escape(f)}:", str(err))]
        f = named[0] if named else field
        raise CaseError(f"{sweep.source}: {where[f]} ({f} = {values[f]!r}): {err}")

    for key, v in fixed.items():
        check(key, v, raw[:1])
    for p in sweep.spec.parameters:
        probe = _grid_values(p) if p.values is not None else list(p.range)
        if p.integer and p.range is not None:
            probe = [math.ceil(p.range[0]), math.floor(p.range[1])]
        for v in dict.fromkeys(probe):
            same = [pt for pt in raw if pt[p.field] == v][:4]
            check(p.field, v, raw[:1] + same)
    fp = mode.fingerprint(base)
    if fixed:  # the base case of every point is the base file with [fixed] applied
        fp = hashlib.sha256(f"{fp}\n{json.dumps(canonical_values(fixed), sort_keys=True)}"
                            .encode()).hexdigest()
    points, seen = [], set()
    for values in raw:
        pid = point_id(fp, values, sweep.spec.mode)
        if pid in seen:
            continue
        seen.add(pid)
        points.append({"point_id": pid, "values": values})
    return Plan(sweep, fp, points, len(raw) - len(points), fixed)


# --- execution --------------------------------------------------------------------------------
def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """Inside: SIGTERM raises KeyboardInterrupt like Ctrl-C (main thread only)."""
    def handler(signum, frame):
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextlib.contextmanager
def _signals_deferred():
    """Inside: Ctrl-C / SIGTERM are held back (cleanup must finish); re-raised after."""
    got = []

    def handler(signum, frame):
        got.append(signum)

    try:
        old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:
        yield got
        return
    try:
        yield got
    finally:
        for s, h in old.items():
            signal.signal(s, h)


@contextlib.contextmanager
def _out_lock(root: Path):
    """Hold an exclusive lock on the OUT folder itself (flock on its descriptor; no lock file),
    so two sweeps never compute into one folder at once; released even on SIGKILL."""
    import fcntl

    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise InputError(f"--out {root}: another thermosat sweep is writing to this folder "
                             f"(wait for it, or choose another --out)") from None
        yield
    finally:
        os.close(fd)


def _probe(address: str) -> None:
    """Fail fast (not after Dask's 30 s of retries) when nothing listens at a TCP address."""
    import socket
    from urllib.parse import urlsplit

    u = urlsplit(address if "://" in address else f"tcp://{address}")
    if u.scheme not in ("tcp", "tls") or not u.hostname:
        return
    try:
        with socket.create_connection((u.hostname, u.port or 8786), timeout=10):
            pass
    except OSError as err:
        raise InputError(f"--scheduler {address}: cannot connect: "
                         f"{err.strerror or err}") from None


def _connect(scheduler: str | None, workers: int | None, processes: bool):
    """(client, cluster): a Client on ``scheduler``, or on a new LocalCluster."""
    from distributed import Client, LocalCluster

    if scheduler:
        _probe(scheduler)
        try:
            return Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as err:
            raise InputError(f"--scheduler {scheduler}: cannot connect: {err}") from None
    n = max(1, int(workers or os.cpu_count() or 1))
    kw: dict[str, Any] = {}
    if processes:
        # set in each worker process before it imports anything (numba reads it on import)
        kw["env"] = dict(WORKER_ENV)
        kw["preload"] = ["thermosat.sweep_eval"]  # workers ignore Ctrl-C (dask_setup)
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=processes,
                           dashboard_address=":0", silence_logs=logging.ERROR, **kw)
    return Client(cluster), cluster


def _close(client, cluster) -> None:
    for obj in (client, cluster):
        if obj is None:
            continue
        with contextlib.suppress(Exception):
            obj.close(timeout=15)


def _record(plan: Plan, pt: dict, result: dict, run_id: str, submitted: str) -> dict:
    from thermosat import __version__

    sweep = plan.sweep
    rec = {"point_id": pt["point_id"], "mode": sweep.spec.mode, "base_case": sweep.base.label,
           "base_fingerprint": plan.fingerprint, "values": pt["values"],
           "status": result.get("status", "failed"), "outputs": result.get("outputs"),
           "error": result.get("error"), "error_type": result.get("error_type"),
           "expected_failure": result.get("expected"), "run_id": run_id, "submitted": submitted,
           "finished": _now(), "wall_s": result.get("wall_s"), "worker": result.get("worker"),
           "thermosat_version": __version__}
    return rec


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _manifest(plan: Plan, store: SweepStore, run: dict) -> dict:
    sweep = plan.sweep
    old = store.read_manifest() or {}
    runs = [r for r in old.get("runs", []) if r.get("run_id") != run["run_id"]] + [run]
    return {"format": "thermosat-sweep/1", "sweep_file": str(sweep.path) if sweep.path else None,
            "spec": sweep.spec.model_dump(), "mode": sweep.spec.mode,
            "base_case": {"label": sweep.base.label, "tier": sweep.base.tier,
                          "path": sweep.base.path, "text": sweep.base.text},
            "base_fingerprint": plan.fingerprint, "fixed": plan.fixed, "fields": sweep.fields,
            "n_points": len(plan.points), "duplicates_merged": plan.duplicates,
            "points": plan.points, "runs": runs}


def run_sweep(sweep: Sweep | str | os.PathLike, out: str | os.PathLike | None = None, *,
              scheduler: str | None = None, workers: int | None = None,
              processes: bool = True, progress: bool = True, retry_failed: bool = False,
              plot: bool = True, client=None) -> dict:
    """Run (or resume) a sweep; returns a summary dict.

    Parameters
    ----------
    sweep : a :class:`Sweep` or the path of a sweep file
    out : output folder (default: the sweep file's path without ``.toml``)
    scheduler : address of a running Dask scheduler (``tcp://host:8786``); default a
        ``LocalCluster`` of ``workers`` single-threaded processes (``processes=False``: threads,
        for tests)
    retry_failed : recompute points stored as failed
    client : an existing ``distributed.Client`` to use (not closed here)

    Returns
    -------
    dict with ``points`` (unique points of the sweep), ``done`` / ``failed`` (computed in this
    run), ``skipped`` (already on disk), ``remaining`` (not on disk: interrupted), ``on_disk``,
    ``failed_total``, ``interrupted``, ``out``, ``results``, ``plot``, ``errors`` (first few
    failures), ``run_id``.
    """
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep)
    if out is None:
        if sweep.path is None:
            raise InputError("run_sweep: give `out` for a sweep without a file")
        out = sweep.path.with_suffix("")
    out = Path(out)
    plan = prepare(sweep)
    with _out_lock(out):
        return _run(plan, SweepStore(out), scheduler=scheduler, workers=workers,
                    processes=processes, progress=progress, retry_failed=retry_failed,
                    plot=plot, client=client)


def _run(plan: Plan, store: SweepStore, *, scheduler, workers, processes, progress,
         retry_failed, plot, client) -> dict:
    sweep = plan.sweep
    run_id = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    on_disk = store.finished()
    todo, skipped = [], 0
    for pt in plan.points:
        rec = on_disk.get(pt["point_id"])
        if rec is None or (retry_failed and rec["status"] == "failed"):
            todo.append(pt)
        else:
            skipped += 1
    run = {"run_id": run_id, "started": _now(), "finished": None, "pid": os.getpid(),
           "scheduler": scheduler or ("client" if client is not None else "local"),
           "to_compute": len(todo), "skipped": skipped, "done": 0, "failed": 0,
           "interrupted": False, "removed_temp_files": len(store.removed_temp),
           "corrupt_point_files": sorted(p.name for p in store.corrupt)}
    store.write_manifest(_manifest(plan, store, run))
    counts = {"done": 0, "failed": 0}
    errors: list[str] = []
    interrupted = False

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(plan.points), initial=skipped, desc="sweep", unit="pt",
                   file=sys.stderr, dynamic_ncols=True, mininterval=0.2)
        bar.set_postfix(done=0, failed=0, skipped=skipped)

    def record(pt, result, submitted):
        rec = _record(plan, pt, result, run_id, submitted)
        store.write_point(rec)
        counts[rec["status"] if rec["status"] in counts else "failed"] += 1
        if rec["status"] == "failed" and len(errors) < 5:
            errors.append(f"{pt['values']}: {rec['error']}")
        if bar is not None:
            bar.set_postfix(done=counts["done"], failed=counts["failed"], skipped=skipped,
                            refresh=False)
            bar.update(1)

    own_client = client is None
    cluster = None
    pending: dict[str, tuple[Any, dict, str]] = {}
    with _sigterm_as_interrupt():
        try:
            if todo:
                if own_client:
                    client, cluster = _connect(scheduler, workers, processes)
                _execute(client, plan, todo, run_id, pending, record)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            with _signals_deferred():
                # results that arrived while we were interrupted are kept too
                for key, (fut, pt, submitted) in list(pending.items()):
                    if fut.status == "finished":
                        with contextlib.suppress(Exception):
                            record(pt, fut.result(timeout=1), submitted)
                if pending and client is not None:
                    with contextlib.suppress(Exception):
                        client.cancel([f for f, _, _ in pending.values()], force=True)
                pending.clear()
                if own_client:
                    _close(client, cluster)
                if bar is not None:
                    bar.close()
    with _signals_deferred() as deferred:
        rows = store.records(plan.points)
        n_disk = sum(1 for r in rows if r["status"] != "pending")
        failed_total = sum(1 for r in rows if r["status"] == "failed")
        run.update(finished=_now(), done=counts["done"], failed=counts["failed"],
                   interrupted=interrupted)
        store.write_manifest(_manifest(plan, store, run))
        extra = {"mode": sweep.spec.mode, "base_case": sweep.base.label,
                 "base_fingerprint": plan.fingerprint, "run_id": run_id}
        csv_path, json_path = store.rebuild(plan.points, sweep.fields, extra, rows=rows)
    if deferred:
        interrupted = True
    plot_path = None
    if plot and not interrupted:
        try:
            fig = summary_figure(rows, sweep.fields, _plot_outputs(plan, rows),
                                 title=_title(plan))
            if fig is not None:
                plot_path = str(store.write_plot(fig))
        except KeyboardInterrupt:
            interrupted = True
        except Exception as err:  # the data is safe on disk; a plot problem is only a warning
            print(f"thermosat sweep: warning: summary plot not written: {_one_line(err)}",
                  file=sys.stderr)
    return {"points": len(plan.points), "done": counts["done"], "failed": counts["failed"],
            "skipped": skipped, "remaining": len(plan.points) - n_disk, "on_disk": n_disk,
            "failed_total": failed_total, "interrupted": interrupted, "out": str(store.root),
            "results": str(csv_path), "results_json": str(json_path), "plot": plot_path,
            "duplicates_merged": plan.duplicates, "errors": errors, "run_id": run_id,
            "removed_temp_files": len(store.removed_temp)}


def _execute(client, plan: Plan, todo: list[dict], run_id: str, pending: dict, record) -> None:
    """Submit points in a sliding window, record each result as it completes."""
    from distributed import as_completed

    try:
        nthreads = sum(client.nthreads().values())
    except Exception:
        nthreads = 1
    window = 2 * max(1, nthreads) + 2
    it = iter(todo)
    ref, mode = plan.sweep.base, plan.sweep.spec.mode
    ac = as_completed()

    def submit_next() -> bool:
        pt = next(it, None)
        if pt is None:
            return False
        fut = client.submit(evaluate_point, ref, {**plan.fixed, **pt["values"]}, mode,
                            pure=False,
                            key=f"thermosat-point-{pt['point_id']}-{run_id}")
        pending[fut.key] = (fut, pt, _now())
        ac.add(fut)
        return True

    for _ in range(window):
        if not submit_next():
            break
    for fut in ac:
        _, pt, submitted = pending[fut.key]
        try:
            result = fut.result()
        except Exception as err:  # the worker died, the task was lost...: a failed point
            result = {"status": "failed", "error": _one_line(err),
                      "error_type": type(err).__name__, "expected": False}
        record(pt, result, submitted)
        del pending[fut.key]
        fut.release()
        submit_next()


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

