"""Output paths checked before any work: one line naming the option, the path and the reason.

Every command that writes (``solve``, ``size``, ``sweep``, ``validate``, ``render``, ``bench``)
calls :func:`check_output_dir` or :func:`check_output_file` on its ``--out`` / ``--png`` /
``--report`` before loading meshes or solving, so an unusable path is refused within seconds
with :class:`~thermosat.common.errors.InputError` (exit status 2) instead of a traceback after
minutes of work. Nothing is created by the check.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from thermosat.common.errors import InputError

__all__ = ["check_output_dir", "check_output_file", "FORBIDDEN_ROOTS"]

#: virtual file systems no result may be written into
FORBIDDEN_ROOTS = ("/proc", "/sys", "/dev")


def _fail(flag: str, path, why: str):
    raise InputError(f"{flag} {path}: {why}")


def _under(p: Path, root: str) -> bool:
    return p == Path(root) or Path(root) in p.parents


def _writable(folder: Path) -> bool:
    """True if a file can be created in ``folder`` (permissions, read-only mounts; also for
    root, which ``os.access`` does not restrict): a nameless temporary file, removed at once."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return False
    return True


def _check_common(path, flag: str) -> tuple[Path, Path]:
    """Checks shared by folders and files; returns (absolute path, first existing ancestor)."""
    if path is None or str(path).strip() == "":
        _fail(flag, repr(str(path or "")), "empty path (give a folder or file name)")
    if "\0" in str(path):
        _fail(flag, repr(str(path)), "the path contains a NUL character")
    p = Path(os.path.abspath(os.path.expanduser(str(path))))
    try:
        real = Path(os.path.realpath(p))
    except (OSError, ValueError):
        real = p
    for root in FORBIDDEN_ROOTS:
        if _under(p, root) or _under(real, root):
            _fail(flag, path, f"is inside {root}, a virtual file system; choose a folder on disk")
    anc = p.parent if p != p.parent else p
    while not anc.exists():
        if anc.is_symlink():
            _fail(flag, path, f"{anc} is a broken symbolic link")
        anc = anc.parent
    if not anc.is_dir():
        _fail(flag, path, f"{anc} is an existing file, not a folder, so nothing can be "
                          f"written under it")
    if not _writable(anc):
        _fail(flag, path, f"folder {anc} is not writable")
    if len(p.name.encode()) > 240:
        _fail(flag, path, "the name is longer than 240 bytes")
    return p, anc


def check_output_dir(path, flag: str = "--out") -> Path:
    """Refuse an output folder that cannot be created or written (raises ``InputError``).

    Refused: under an existing file, in /proc, /sys or /dev, an existing non-folder, an
    existing folder or nearest existing parent that is not writable. Returns ``Path(path)``.
    """
    p, _ = _check_common(path, flag)
    if p.exists() or p.is_symlink():
        if not p.is_dir():
            _fail(flag, path, "is an existing file, not a folder")
        if not _writable(p):
            _fail(flag, path, "folder is not writable")
    return Path(path)


def check_output_file(path, flag: str = "--out", *, suffixes: tuple[str, ...] = ()) -> Path:
    """Refuse an output file that cannot be written (raises ``InputError``).

    Refused: an existing folder, a path under an existing file, in /proc, /sys or /dev, a
    read-only existing file or folder, a suffix not in ``suffixes`` (when given). Returns
    ``Path(path)``.
    """
    p, _ = _check_common(path, flag)
    if p.is_dir():
        _fail(flag, path, "is an existing folder, not a file")
    if suffixes and p.suffix.lower() not in suffixes:
        _fail(flag, path, f"the file name must end in {' or '.join(suffixes)}")
    if p.exists() and not os.access(p, os.W_OK):
        _fail(flag, path, "is not writable")
    return Path(path)
