"""Running a sweep on Dask (local cluster or a scheduler address), resumable: finished points
are kept in the store, an interrupt keeps what is done, a rerun does the rest."""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from thermosat.common.errors import InputError, one_line
from thermosat.studies.engine import run_jobs
from thermosat.studies.sweep.evaluate import evaluate_point
from thermosat.studies.sweep.store import SweepStore
from thermosat.studies.sweep.spec import Sweep, load_sweep
from thermosat.studies.sweep.plan import Plan, prepare
from thermosat.studies.sweep.summary import _plot_outputs, _title, summary_figure

#: environment of local worker processes: one thread each for BLAS and Numba
WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
              "MKL_NUM_THREADS": "1"}


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
        kw["preload"] = ["thermosat.studies.sweep.evaluate"]  # workers ignore Ctrl-C (dask_setup)
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
    pending: dict[str, tuple[Any, str]] = {}      # future key → (future, job key)
    info: dict[str, tuple[dict, str]] = {}         # job key → (point, submitted)

    def jobs():
        ref, mode = sweep.base, sweep.spec.mode
        for pt in todo:  # taken one at a time, as each is submitted
            key = f"thermosat-point-{pt['point_id']}-{run_id}"
            info[key] = (pt, _now())
            yield key, evaluate_point, (ref, {**plan.fixed, **pt["values"]}, mode)

    def done(key, result):
        pt, submitted = info.pop(key)
        if result.get("status") != "done":
            result.setdefault("expected", False)
        record(pt, result, submitted)

    with _sigterm_as_interrupt():
        try:
            if todo:
                if own_client:
                    client, cluster = _connect(scheduler, workers, processes)
                run_jobs(client, jobs(), done, pending=pending)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            with _signals_deferred():
                # results that arrived while we were interrupted are kept too
                for fut, key in list(pending.values()):
                    if fut.status == "finished":
                        with contextlib.suppress(Exception):
                            pt, submitted = info[key]
                            record(pt, fut.result(timeout=1), submitted)
                if pending and client is not None:
                    with contextlib.suppress(Exception):
                        client.cancel([f for f, _ in pending.values()], force=True)
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
            print(f"thermosat sweep: warning: summary plot not written: {one_line(err)}",
                  file=sys.stderr)
    return {"points": len(plan.points), "done": counts["done"], "failed": counts["failed"],
            "skipped": skipped, "remaining": len(plan.points) - n_disk, "on_disk": n_disk,
            "failed_total": failed_total, "interrupted": interrupted, "out": str(store.root),
            "results": str(csv_path), "results_json": str(json_path), "plot": plot_path,
            "duplicates_merged": plan.duplicates, "errors": errors, "run_id": run_id,
            "removed_temp_files": len(store.removed_temp)}

