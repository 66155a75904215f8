"""Cells or facets listed more than once in a region or boundary (they would count twice)."""
from __future__ import annotations

import numpy as np

from thermosat.common.errors import MeshError

__all__ = ["duplicate_rows", "check_duplicates"]


def duplicate_rows(rows: np.ndarray) -> tuple[int, int, int]:
    """Repeated rows of ``rows``, node order within a row ignored.

    Returns ``(extra, first, count)``: how many rows are copies of an earlier one (0 if
    none), the index of the first row that is listed more than once and how many times it
    is listed. Vectorised: ``np.unique`` over the rows with their nodes sorted.
    """
    rows = np.asarray(rows)
    if rows.ndim == 1:
        rows = rows[:, None]
    if rows.shape[0] < 2:
        return 0, -1, 0
    key = np.sort(rows.astype(np.int64, copy=False), axis=1)
    if key.shape[1] == 1 and np.all(key[1:, 0] > key[:-1, 0]):
        return 0, -1, 0  # strictly increasing indices (the usual region): no sort needed
    _, inv, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    extra = rows.shape[0] - counts.size
    if extra == 0:
        return 0, -1, 0
    inv = inv.reshape(-1)
    first = int(np.flatnonzero(counts[inv] > 1)[0])
    return int(extra), first, int(counts[inv[first]])


def check_duplicates(mesh, *, source: str | None = "<mesh>") -> None:
    """Raise :class:`MeshError` if a region lists a cell, or a boundary a facet, twice.

    A repeated facet would count its heat flux, convection, radiation and absorbed flux
    once per copy; a repeated cell its conduction, capacity and sources. Facets are
    compared as node sets (orientation ignored). ``source=None`` leaves the file name out
    (the caller adds it).
    """
    lead = f"{source}: " if source else ""
    for name, idx in mesh.cell_regions.items():
        if not isinstance(idx, np.ndarray) or idx.ndim != 1:
            continue  # reported by check_mesh
        extra, first, count = duplicate_rows(idx)
        if extra:
            raise MeshError(f"{lead}region {name!r} lists {extra} cell(s) more than once "
                            f"({idx.size} listed, {idx.size - extra} distinct; first: cell "
                            f"{int(idx[first])}, {count} times); a cell must appear once per "
                            f"region, or its conduction, capacity and sources count again")
    for name, b in mesh.boundaries.items():
        if not isinstance(getattr(b, "facets", None), np.ndarray):
            continue  # reported by check_mesh
        extra, first, count = duplicate_rows(b.facets)
        if extra:
            n = b.facets.shape[0]
            raise MeshError(f"{lead}boundary {name!r} lists {extra} facet(s) more than once "
                            f"({n} listed, {n - extra} distinct; first: facet {first}, nodes "
                            f"{b.facets[first].tolist()}, {count} times); a facet must appear "
                            f"once per boundary, or its heat flux, convection and radiation "
                            f"count again")
