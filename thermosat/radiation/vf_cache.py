"""Disk cache of view-factor matrices, keyed by a hash of the geometry and the parameters.

Files are ``<cache_dir>/vf-<sha256>.npz`` holding only numeric arrays (written with
``np.savez``, read with ``allow_pickle=False``). A file is written to a temporary name in the
same directory and moved into place with ``os.replace``, so readers never see a partial file
and concurrent writers of the same key are harmless.

The default directory is ``$THERMOSAT_CACHE_DIR/viewfactors`` when that variable is set,
otherwise ``~/.cache/thermosat/viewfactors``.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from thermosat.radiation.vf_matrix import ViewFactors

__all__ = ["cache_path", "default_cache_dir", "geometry_key", "load", "save"]

_FORMAT = 1


def default_cache_dir() -> Path:
    """``$THERMOSAT_CACHE_DIR/viewfactors`` or ``~/.cache/thermosat/viewfactors``."""
    root = os.environ.get("THERMOSAT_CACHE_DIR")
    if root:
        return Path(root) / "viewfactors"
    return Path.home() / ".cache" / "thermosat" / "viewfactors"


def geometry_key(points: np.ndarray, facets: np.ndarray, params: dict) -> str:
    """SHA-256 hex digest of points (m, float64), facets (int64) and parameters.

    Array-valued parameters are hashed by dtype, shape and bytes; the rest as sorted JSON.
    """
    h = hashlib.sha256()
    h.update(b"thermosat-viewfactors\0")
    for arr in (np.ascontiguousarray(points, dtype=np.float64),
                np.ascontiguousarray(facets, dtype=np.int64)):
        h.update(str(arr.shape).encode())
        h.update(arr.tobytes())
    plain = {}
    for k in sorted(params):
        v = params[k]
        if isinstance(v, np.ndarray):
            a = np.ascontiguousarray(v)
            h.update(f"{k}:{a.dtype.str}:{a.shape}".encode())
            h.update(a.tobytes())
        else:
            plain[k] = v
    h.update(json.dumps(plain, sort_keys=True, default=str).encode())
    return h.hexdigest()


def cache_path(key: str, cache_dir=None) -> Path:
    """Path of the cache file of ``key``."""
    d = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return d / f"vf-{key}.npz"


def save(key: str, vf: ViewFactors, cache_dir=None) -> Path | None:
    """Write ``vf`` atomically; returns the path, or None if the directory is not writable."""
    path = cache_path(key, cache_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        F = vf.F.tocsr()
        fd, tmp = tempfile.mkstemp(prefix=".vf-", suffix=".npz.tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, format=np.int64(_FORMAT), key=np.str_(key),
                         F_data=F.data, F_indices=F.indices.astype(np.int64),
                         F_indptr=F.indptr.astype(np.int64), shape=np.asarray(F.shape),
                         areas=vf.areas, normals=vf.normals, centroids=vf.centroids,
                         to_space=vf.to_space, enclosure=vf.enclosure.astype(bool))
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError:
        return None
    return path


def load(key: str, cache_dir=None) -> ViewFactors | None:
    """The cached :class:`ViewFactors` of ``key``, or None (missing, unreadable or stale)."""
    from thermosat.radiation.vf_matrix import ViewFactors

    path = cache_path(key, cache_dir)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            if int(z["format"]) != _FORMAT or str(z["key"]) != key:
                return None
            shape = tuple(int(x) for x in z["shape"])
            F = sp.csr_matrix((z["F_data"], z["F_indices"], z["F_indptr"]), shape=shape)
            return ViewFactors(F=F, areas=z["areas"], normals=z["normals"],
                               centroids=z["centroids"], to_space=z["to_space"],
                               enclosure=z["enclosure"].astype(bool),
                               stats={"cache": str(path)})
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
