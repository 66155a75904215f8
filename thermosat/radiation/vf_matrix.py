"""The view-factor matrix of a facet set: exchange areas (sparse, symmetric), areas, and
its reciprocity, closure and group-to-group factors."""
from __future__ import annotations

from dataclasses import dataclass, field
import numpy as np
import scipy.sparse as sp


#: bump when the numerics change, so that cached matrices are recomputed
ALGORITHM_VERSION = "2"


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
@dataclass
class ViewFactors:
    """View factors of a facet set.

    Attributes
    ----------
    F : (nf, nf) scipy CSR, ``F[i, j]`` = fraction of the radiation leaving facet i that
        reaches facet j directly
    areas : (nf,) facet areas, m²
    normals : (nf, 3) unit normals
    centroids : (nf, 3) facet centroids, m
    to_space : (nf,) ``1 − Σ_j F_ij``, the view factor to space (includes dropped factors)
    enclosure : (nf,) bool, rows whose closure was enforced
    stats : timings (s) and counts of the computation (empty when loaded from cache)
    """

    F: sp.csr_matrix
    areas: np.ndarray
    normals: np.ndarray
    centroids: np.ndarray
    to_space: np.ndarray
    enclosure: np.ndarray
    stats: dict = field(default_factory=dict)

    @property
    def n_facets(self) -> int:
        return int(self.areas.shape[0])

    def exchange_areas(self) -> sp.csr_matrix:
        """``A_i F_ij`` as CSR, m² (symmetric)."""
        return sp.diags(self.areas) @ self.F

    def reciprocity_error(self) -> float:
        """Largest ``|A_i F_ij − A_j F_ji| / (A_i F_ij)`` over nonzero entries."""
        G = self.exchange_areas().tocsr()
        if G.nnz == 0:
            return 0.0
        D = abs(G - G.T).tocsr()
        ref = abs(G).maximum(abs(G.T)).tocsr()
        D = D.multiply(ref.power(-1)) if D.nnz else D
        return float(D.max()) if D.nnz else 0.0

    def closure_error(self, rows: np.ndarray | None = None) -> float:
        """Largest ``|1 − Σ_j F_ij|`` over ``rows`` (default: the enclosure rows, or all)."""
        if rows is None:
            rows = self.enclosure if np.any(self.enclosure) else np.ones(self.n_facets, bool)
        rs = np.asarray(self.F.sum(axis=1)).ravel()
        r = np.asarray(rows)
        return float(np.max(np.abs(1.0 - rs[r]))) if rs[r].size else 0.0

    def group_factor(self, group_a, group_b) -> float:
        """View factor from facet group A to group B, ``Σ A_i F_ij / Σ A_i`` (i∈A, j∈B)."""
        a = np.asarray(group_a)
        b = np.asarray(group_b)
        G = self.exchange_areas().tocsr()
        return float(G[a][:, b].sum() / self.areas[a].sum())
