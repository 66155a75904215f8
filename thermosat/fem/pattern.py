"""CSR sparsity pattern built once per model, and element-to-slot scatter maps.

Assembly never goes through COO: every element block gets a map ``slots[e, a, b]`` into the
``data`` array of one shared CSR pattern, so refilling a matrix is a single Numba loop.
"""
from __future__ import annotations

import numba as nb
import numpy as np
import scipy.sparse as sp

__all__ = ["Pattern", "build_pattern"]


@nb.njit(cache=True)
def _row_neighbours(i, cnt, inc, eptr, enodes, buf):
    """Sorted unique nodes sharing an element with node ``i`` (and ``i`` itself) in ``buf``;
    returns their number."""
    m = 1
    buf[0] = i
    for q in range(cnt[i], cnt[i + 1]):
        e = inc[q]
        for p in range(eptr[e], eptr[e + 1]):
            j = enodes[p]
            # insertion into the sorted prefix, skipping duplicates
            k = m - 1
            while k >= 0 and buf[k] > j:
                k -= 1
            if k >= 0 and buf[k] == j:
                continue
            for s in range(m, k + 1, -1):
                buf[s] = buf[s - 1]
            buf[k + 1] = j
            m += 1
    return m


@nb.njit(cache=True)
def _pattern_rows(n, eptr, enodes):
    """Rows of the symmetric node-adjacency pattern of a ragged element list.

    Serial on purpose: on a shared 2-core machine a threaded version ran 3x slower than this
    one whenever other processes kept the cores busy (and at best 1.7x faster when idle).
    """
    ne = eptr.shape[0] - 1
    # node -> element incidence
    cnt = np.zeros(n + 1, np.int64)
    for e in range(ne):
        for p in range(eptr[e], eptr[e + 1]):
            cnt[enodes[p] + 1] += 1
    for i in range(n):
        cnt[i + 1] += cnt[i]
    inc = np.empty(cnt[n], np.int64)
    fill = cnt[:-1].copy()
    for e in range(ne):
        for p in range(eptr[e], eptr[e + 1]):
            v = enodes[p]
            inc[fill[v]] = e
            fill[v] += 1
    # widest candidate list of any row
    width = 1
    for i in range(n):
        w = 1
        for q in range(cnt[i], cnt[i + 1]):
            e = inc[q]
            w += eptr[e + 1] - eptr[e]
        width = max(width, w)
    nchunk = 1
    rowlen = np.zeros(n + 1, np.int64)
    for c in range(nchunk):
        buf = np.empty(width, np.int64)
        for i in range(c * n // nchunk, (c + 1) * n // nchunk):
            rowlen[i + 1] = _row_neighbours(i, cnt, inc, eptr, enodes, buf)
    indptr = np.zeros(n + 1, np.int64)
    for i in range(n):
        indptr[i + 1] = indptr[i] + rowlen[i + 1]
    indices = np.empty(indptr[n], np.int32)
    for c in range(nchunk):
        buf = np.empty(width, np.int64)
        for i in range(c * n // nchunk, (c + 1) * n // nchunk):
            m = _row_neighbours(i, cnt, inc, eptr, enodes, buf)
            start = indptr[i]
            for k in range(m):
                indices[start + k] = buf[k]
    return indptr, indices


@nb.njit(cache=True, parallel=True)
def _slots(indptr, indices, conn, out):
    ne, nn = conn.shape
    for e in nb.prange(ne):
        for a in range(nn):
            r = conn[e, a]
            lo0 = indptr[r]
            hi0 = indptr[r + 1]
            for b in range(nn):
                c = conn[e, b]
                lo, hi = lo0, hi0
                while lo < hi:
                    mid = (lo + hi) // 2
                    if indices[mid] < c:
                        lo = mid + 1
                    else:
                        hi = mid
                out[e, a, b] = lo


@nb.njit(cache=True)
def _checksum(a):
    """A cheap order-dependent fingerprint of an integer array (for the slot-map cache)."""
    h = np.uint64(1469598103934665603)
    for i in range(a.shape[0]):
        h = (h ^ np.uint64(a[i] & 0xFFFFFFFF)) * np.uint64(1099511628211)
    return h


@nb.njit(cache=True)
def _diag_slots(indptr, indices):
    n = indptr.shape[0] - 1
    out = np.empty(n, np.int64)
    for i in range(n):
        lo, hi = indptr[i], indptr[i + 1]
        while lo < hi:
            mid = (lo + hi) // 2
            if indices[mid] < i:
                lo = mid + 1
            else:
                hi = mid
        out[i] = lo
    return out


class Pattern:
    """A CSR sparsity pattern over ``n`` unknowns.

    Parameters
    ----------
    n : number of unknowns
    indptr, indices : CSR structure (sorted column indices per row)
    """

    def __init__(self, n: int, indptr: np.ndarray, indices: np.ndarray):
        self.n = int(n)
        self.nnz = int(indices.shape[0])
        self.index_dtype = np.int32 if self.nnz < 2**31 - 1 else np.int64
        self.indptr = indptr.astype(self.index_dtype)
        self.indices = indices.astype(self.index_dtype)
        self.diag = _diag_slots(indptr, indices)
        self._rows = None
        self._slot_cache: dict = {}

    def slots(self, conn: np.ndarray) -> np.ndarray:
        """Scatter map ``(ne, nn, nn)`` of CSR data positions for element connectivity ``conn``.

        Maps are cached: a connectivity equal to one seen before (conduction and radiation
        over the same shell cells, capacitance...) gets the same (shared, not to be modified)
        array, so it is stored once.
        """
        conn = np.ascontiguousarray(conn, dtype=np.int64)
        key = (conn.shape, _checksum(conn.reshape(-1)))
        hit = self._slot_cache.get(key)
        if hit is not None and np.array_equal(hit[0], conn):
            return hit[1]
        out = np.empty((conn.shape[0], conn.shape[1], conn.shape[1]), self.index_dtype)
        _slots(self.indptr, self.indices, conn, out)
        self._slot_cache[key] = (conn, out)
        return out

    def zeros(self) -> np.ndarray:
        """A fresh data array for this pattern."""
        return np.zeros(self.nnz)

    def matrix(self, data: np.ndarray) -> sp.csr_matrix:
        """A scipy CSR matrix sharing this pattern's structure and ``data`` (no copy)."""
        A = sp.csr_matrix((data, self.indices, self.indptr), shape=(self.n, self.n), copy=False)
        A.has_sorted_indices = True
        return A

    @property
    def rows(self) -> np.ndarray:
        """Row index of every stored entry (computed once)."""
        if self._rows is None:
            self._rows = np.repeat(np.arange(self.n, dtype=np.int32), np.diff(self.indptr))
        return self._rows


def build_pattern(n: int, blocks: list[np.ndarray]) -> Pattern:
    """Pattern of all node pairs that share an element in any of ``blocks``.

    Every node gets a diagonal entry, even if no element touches it.
    """
    eptr_parts, node_parts, offset = [], [], 0
    for conn in blocks:
        conn = np.asarray(conn, dtype=np.int64)
        if conn.size == 0:
            continue
        ne, nn = conn.shape
        eptr_parts.append(offset + nn * np.arange(ne, dtype=np.int64))
        node_parts.append(conn.ravel())
        offset += ne * nn
    if node_parts:
        eptr = np.concatenate(eptr_parts + [np.array([offset], np.int64)])
        enodes = np.concatenate(node_parts)
    else:
        eptr = np.zeros(1, np.int64)
        enodes = np.zeros(0, np.int64)
    indptr, indices = _pattern_rows(int(n), eptr, enodes)
    return Pattern(n, indptr, indices)
