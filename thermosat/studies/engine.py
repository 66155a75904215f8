"""Independent jobs of a study (sweep points, uncertainty samples and their checks) run on a
Dask client, or one after another in this process.

:func:`run_jobs` is the one loop the studies share: it keeps a bounded number of jobs
submitted (so a long list never floods the scheduler), hands each result to the study as it
finishes — a lost worker becomes a failed result, the study goes on — and submits whatever
that result makes due (an uncertainty check after its sample). :class:`InProcess` stands in
for a client when a study runs without Dask (``--workers 0``).
"""
from __future__ import annotations

import contextlib
import time
from collections import deque
from typing import Any, Callable, Iterable

from thermosat.common.errors import one_line

__all__ = ["InProcess", "run_jobs"]

#: one job: (key, function, arguments); the key names it to the study's ``done``
Job = tuple[str, Callable, tuple]


class InProcess:
    """The client calls a study makes, run at once in this process (no Dask)."""

    def submit(self, fn, *args, **_):
        return fn(*args)


def run_jobs(client, jobs: Iterable[Job], done: Callable[[str, Any], Iterable[Job] | None], *,
             window: int | None = None, pending: dict | None = None) -> None:
    """Run ``jobs`` on ``client``; ``done(key, result)`` as each finishes may return more jobs
    (run before the rest of ``jobs``).

    window : jobs submitted at a time (default: two per worker thread, plus two)
    pending : a dict the caller keeps, filled with ``future key → (future, job key)`` while
        jobs run: after an interrupt the caller can still record the ones that finished and
        cancel the rest. Without it, the jobs still running are cancelled here.

    ``jobs`` is read lazily, one job at each submission. A job whose worker was lost (or that
    raised past its own error handling) gives ``{"status": "failed", "error": one line,
    "error_type": name}``.
    """
    if isinstance(client, InProcess):
        queue = deque(jobs)
        while queue:
            key, fn, args = queue.popleft()
            queue.extendleft(reversed(list(done(key, fn(*args)) or ())))
        return
    from distributed import as_completed

    own = pending is None
    pending = {} if own else pending
    if window is None:
        try:
            window = 2 * max(1, sum(client.nthreads().values())) + 2
        except Exception:  # a client that cannot say: one at a time, plus two
            window = 4
    source, due = iter(jobs), deque()
    finished = as_completed()

    def submit_next() -> bool:
        job = due.popleft() if due else next(source, None)
        if job is None:
            return False
        key, fn, args = job
        fut = client.submit(fn, *args, pure=False, key=f"{key}-{time.time_ns()}")
        pending[fut.key] = (fut, key)
        finished.add(fut)
        return True

    try:
        while len(pending) < window and submit_next():
            pass
        for fut in finished:
            _, key = pending[fut.key]
            try:
                result = fut.result()
            except Exception as err:
                result = {"status": "failed", "error": one_line(err),
                          "error_type": type(err).__name__}
            del pending[fut.key]
            fut.release()
            due.extend(done(key, result) or ())
            while len(pending) < window and submit_next():
                pass
    finally:
        if own and pending:
            with contextlib.suppress(Exception):
                client.cancel([f for f, _ in pending.values()], force=True)
