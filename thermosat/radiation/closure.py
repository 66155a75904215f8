"""Closure of enclosure rows: symmetric diagonal scaling so rows sum to one, keeping
reciprocity, non-negativity and the sparsity pattern."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from thermosat.common.errors import MeshError, SolverError


# --------------------------------------------------------------------------------------------
# closure
# --------------------------------------------------------------------------------------------
def enforce_closure(G: sp.csr_matrix, areas: np.ndarray, rows: np.ndarray,
                    tol: float = 1e-13, max_iter: int = 5000) -> tuple[sp.csr_matrix, int]:
    """Scale the symmetric exchange-area matrix so that rows in ``rows`` sum to their area.

    ``G ← S G S`` with ``S = diag(s)``, ``s_i = 1`` outside ``rows``; iterated as
    ``s_i ← s_i (A_i / Σ_j s_i G_ij s_j)^(1/2)`` (symmetric Sinkhorn–Knopp). Keeps symmetry
    (reciprocity), non-negativity and the sparsity pattern.

    Parameters
    ----------
    G : symmetric exchange areas A_i F_ij, m²
    areas : (nf,) facet areas, m²
    rows : (nf,) bool, facets whose view factors must sum to one
    tol : relative row-sum tolerance

    Raises
    ------
    MeshError
        When a row to close sums to less than 0.5 or more than 1.5 before correction (the
        enclosure is open or inside out), or to zero.

    Returns
    -------
    (G_corrected, iterations)
    """
    rows = np.asarray(rows, dtype=bool)
    s = np.ones(G.shape[0])
    rowsum = np.asarray(G.sum(axis=1)).ravel()
    empty = rows & (rowsum <= 0.0)
    if np.any(empty):
        raise MeshError(f"enclosure: {int(empty.sum())} facet(s) see no other facet (first "
                        f"index {int(np.flatnonzero(empty)[0])}); the enclosure is not closed")
    off = rows & ((rowsum < 0.5 * areas) | (rowsum > 1.5 * areas))
    if np.any(off):
        k = int(np.flatnonzero(off)[0])
        raise MeshError(f"enclosure: {int(off.sum())} facet(s) have view factors summing far "
                        f"from one (facet {k}: {rowsum[k] / areas[k]:.3f}); the enclosure is "
                        "not closed or its normals do not point inwards")
    it = 0
    err = 0.0
    for it in range(1, max_iter + 1):
        rs = s * (G @ s)
        err = np.max(np.abs(rs[rows] / areas[rows] - 1.0)) if np.any(rows) else 0.0
        if err <= tol:
            break
        upd = np.sqrt(areas[rows] / rs[rows])
        s[rows] *= upd
    if err > max(tol, 1e-9):
        raise SolverError(f"enclosure: closure correction did not converge in {max_iter} "
                          f"iterations (row-sum error {err:.2e})")
    S = sp.diags(s)
    Gc = (S @ G @ S).tocsr()
    Gc = ((Gc + Gc.T) * 0.5).tocsr()
    Gc.sort_indices()
    return Gc, it
