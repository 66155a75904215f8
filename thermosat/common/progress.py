"""Progress bars with an ETA on stderr, and status lines, silenced by ``--quiet``.

Every long step (orbit transient steps, area–limit curve solves, sizing iterations, sweep
points; later trades and uncertainty samples) reports through :func:`bar`, a `tqdm`_ bar on
stderr (stdout stays clean for ``--json``). The CLI calls :func:`set_quiet` with the
``--quiet`` option every command has; then bars are disabled and :func:`note` prints nothing
(errors are still printed).

.. _tqdm: https://tqdm.github.io
"""
from __future__ import annotations

import sys

__all__ = ["set_quiet", "is_quiet", "bar", "note"]

_STATE = {"quiet": False}


def set_quiet(quiet: bool = True) -> None:
    """Silence (or restore) every progress bar and status line of this process."""
    _STATE["quiet"] = bool(quiet)


def is_quiet() -> bool:
    return _STATE["quiet"]


def bar(total: int | None = None, desc: str = "", unit: str = "step", *, iterable=None,
        leave: bool = False, **kwargs):
    """A tqdm progress bar on stderr with rate and ETA (``with bar(n, "orbit") as b:
    b.update()``); disabled under ``--quiet``. ``total`` may be ``None`` (no ETA: the count
    of an open-ended search such as a sizing's root finding)."""
    from tqdm.auto import tqdm

    return tqdm(iterable=iterable, total=total, desc=desc, unit=unit, file=sys.stderr,
                leave=leave, disable=is_quiet(), dynamic_ncols=True, mininterval=0.5,
                **kwargs)


def note(message: str, prefix: str = "thermosat") -> None:
    """One status line on stderr (``prefix: message``) unless quiet; flushed at once."""
    if not is_quiet():
        print(f"{prefix}: {message}" if prefix else message, file=sys.stderr, flush=True)
