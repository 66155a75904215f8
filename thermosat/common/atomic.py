"""Atomic file writing: write to a temporary file beside the target, then rename."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_text"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


def _set_mode(tmp: str, path: Path) -> None:
    """Give the temporary file the mode a plain ``open(path, "w")`` would have.

    ``mkstemp`` creates files readable by the owner only; keep the mode of an existing target,
    otherwise use 0o666 minus the process umask.
    """
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_UMASK
        os.chmod(tmp, mode)
    except OSError:
        pass


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path with the same suffix as ``path``; rename onto ``path`` on success.

    On any exception the temporary file is removed and ``path`` is left untouched. The
    temporary file lives in the target's directory (created if missing), so the final
    ``os.replace`` is atomic; the result gets the usual permissions (umask), not mkstemp's 0600.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield tmp
        _set_mode(tmp, path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text)
    return Path(path)
