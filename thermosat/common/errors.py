"""Exception types raised by thermosat.

Every error that reaches a user derives from :class:`ThermosatError`; the CLI turns it into
one line on stderr and exit status 2. Messages name the file, the field (or element) and
what is allowed.
"""
from __future__ import annotations

__all__ = [
    "ThermosatError",
    "InputError",
    "MeshError",
    "CaseError",
    "SolverError",
    "ConvergenceError",
    "PhysicsLimitError",
    "one_line",
]


class ThermosatError(Exception):
    """Base class of all thermosat errors."""


class InputError(ThermosatError, ValueError):
    """Bad user input (file, field or argument)."""


class MeshError(InputError):
    """A mesh is malformed: NaN coordinates, inverted elements, unknown region names..."""


class CaseError(InputError):
    """A case file is malformed or has a value out of its allowed range."""


class SolverError(ThermosatError, RuntimeError):
    """A solve could not be carried out."""


class ConvergenceError(SolverError):
    """Newton did not converge; carries the residual history.

    Attributes
    ----------
    history : list[float]
        Relative residual norm after each iteration.
    """

    def __init__(self, message: str, history: list[float] | None = None):
        super().__init__(message)
        self.history = list(history or [])


class PhysicsLimitError(ThermosatError):
    """A design cannot meet a physical limit (e.g. no radiator area satisfies the junction limit)."""


def one_line(err: BaseException | str, *, limit: int | None = None, typed: bool = True,
             empty: str = "") -> str:
    """``"Type: message"`` on one line (whitespace of a multi-line message collapsed), as a
    study records a failed point or sample.

    ``limit``: at most this many characters of message (cut with "..."); ``typed=False``:
    the message alone (a string ``err`` is never typed); ``empty``: the text of an empty
    message."""
    text = " ".join(str(err).split()) or empty
    if limit is not None and len(text) > limit:
        text = text[:limit - 3] + "..."
    if not typed or isinstance(err, str):
        return text
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
