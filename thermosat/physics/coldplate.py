"""Cold-plate channel with several fluid nodes along the flow (issue 12 item 3).

The wetted wall of a cold plate is cut into ``n`` segments along the flow direction; each
segment's facets are linked, with the plate's film coefficient h (W/m²/K), to the fluid node
at that segment's outlet, and the nodes form a chain carried by upwind advection
(:class:`thermosat.terms.advection.Advection`). Each segment therefore sees its own local
fluid temperature instead of the plate outlet's: with uniform wall flux q'' the fluid node
temperatures are the exact T_in + q'·x/(ṁ c_p) at the segment ends (energy is conserved per
segment) and the wall sits q''/h above its segment's node, so the error of the wall
temperature against the closed-form channel T_w(x) = T_in + q'·x/(ṁ c_p) + q''/h is the
rise over one segment at most, q'L/(n ṁ c_p), and its plate mean half that: first order in
1/n (validation case ``cold_plate_channel``).
"""
from __future__ import annotations

import numpy as np

from thermosat.common.errors import InputError
from thermosat.fem.integration import CellSet
from thermosat.terms.links import LinkTerm, facet_to_node_link

__all__ = ["segment_index", "segment_links"]


def segment_index(along_m: np.ndarray, x0_m: float, x1_m: float, n: int) -> np.ndarray:
    """Segment (0 … n−1) of each facet from its centroid coordinate ``along_m`` (m) along the
    flow, the channel running from ``x0_m`` to ``x1_m`` in ``n`` equal segments."""
    if int(n) != n or n < 1:
        raise InputError(f"cold-plate channel: {n} fluid nodes must be an integer ≥ 1")
    if not x1_m > x0_m:
        raise InputError(f"cold-plate channel: end {x1_m} m must be beyond start {x0_m} m")
    s = np.floor((np.asarray(along_m, float) - x0_m) / (x1_m - x0_m) * n).astype(np.int64)
    return np.clip(s, 0, int(n) - 1)


def segment_links(points: np.ndarray, conn: np.ndarray, facet_type: str, degree: int,
                  along_m: np.ndarray, fluid_nodes: np.ndarray, x0_m: float, x1_m: float,
                  h_w_m2k: float, name: str) -> list[LinkTerm]:
    """Film links of the wetted facets ``conn`` (global ids, type ``facet_type``, quadrature
    ``degree``) to the channel's fluid nodes ``fluid_nodes`` (global ids, inlet to outlet,
    one per segment): facet e goes to ``fluid_nodes[segment_index(along_m[e], ...)]``."""
    fluid_nodes = np.asarray(fluid_nodes, np.int64)
    seg = segment_index(along_m, x0_m, x1_m, len(fluid_nodes))
    links = []
    for k, node in enumerate(fluid_nodes):
        sel = np.flatnonzero(seg == k)
        if sel.size == 0:
            continue
        cs = CellSet(points, np.asarray(conn)[sel], facet_type, degree)
        links.append(facet_to_node_link(cs, int(node), h_w_m2k, name=f"{name}#{k}"))
    return links
