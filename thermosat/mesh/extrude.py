"""Layered extrusion of a planar 2D mesh into a 3D stack (boards, chips, lids, panels).

``quad4`` cells become ``hex8`` stacks; ``tri3`` cells become prisms split into 3 ``tet4``
each (wedges are not in our element set). The prism split uses the sorted-vertex-index rule:
every lateral quad is cut along the diagonal through its lowest global node index, so prisms
sharing a lateral face always agree and the tet mesh is conforming.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from thermosat.common.errors import MeshError
from thermosat.mesh.core import Boundary, Mesh

__all__ = ["extrude"]

_I32 = np.int32
_RESERVED = ("bottom", "top", "side")


def _check_layers(layers) -> list[tuple[str, float, int]]:
    try:
        items = list(layers)
    except TypeError:
        raise MeshError("extrude layers: expected a list of (name, thickness_m, n_cells)") from None
    if not items:
        raise MeshError("extrude layers: at least one (name, thickness_m, n_cells) is required")
    out, seen = [], set()
    for k, item in enumerate(items):
        try:
            name, thickness, n = item
        except (TypeError, ValueError):
            raise MeshError(f"extrude layers[{k}]: expected (name, thickness_m, n_cells), "
                            f"got {item!r}") from None
        if not isinstance(name, str) or not name or "|" in name:
            raise MeshError(f"extrude layers[{k}] name: expected a non-empty string without "
                            f"'|', got {name!r}")
        if name in seen:
            raise MeshError(f"extrude layers[{k}] name: {name!r} is used twice; layer names "
                            f"must be unique")
        seen.add(name)
        try:
            t = float(thickness)
        except (TypeError, ValueError):
            t = math.nan
        if not math.isfinite(t) or t <= 0:
            raise MeshError(f"extrude layer {name!r} thickness_m: must be a finite length > 0 m, "
                            f"got {thickness!r}")
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise MeshError(f"extrude layer {name!r} n_cells: must be an integer >= 1, got {n!r}")
        out.append((name, t, int(n)))
    return out


def _plane_normal(mesh: Mesh) -> tuple[np.ndarray, np.ndarray]:
    """Unit normal of a planar 2D mesh and the per-cell orientation sign (+1 / -1)."""
    x = mesh.points[mesh.cells]
    if mesh.cell_type == "quad4":
        c = np.cross(x[:, 2] - x[:, 0], x[:, 3] - x[:, 1])
    else:
        c = np.cross(x[:, 1] - x[:, 0], x[:, 2] - x[:, 0])
    # align every cell normal with the largest one (tolerates mixed orientation), then
    # follow the orientation of the majority of the area
    ref = c[np.argmax(np.einsum("ei,ei->e", c, c))]
    dots = c @ ref
    s = (np.where(dots >= 0, 1.0, -1.0)[:, None] * c).sum(axis=0)
    if dots.sum() < 0:
        s = -s
    ns = np.linalg.norm(s)
    size = float(np.linalg.norm(np.ptp(mesh.points, axis=0)))
    if not np.isfinite(ns) or ns <= 1e-12 * size ** 2:
        raise MeshError("extrude: the 2D mesh has no well-defined normal (zero total area or "
                        "non-finite coordinates)")
    n = s / ns
    off = (mesh.points - mesh.points[0]) @ n
    if np.max(np.abs(off)) > 1e-9 * max(size, 1e-300):
        raise MeshError(f"extrude: the 2D mesh is not planar (a node lies "
                        f"{np.max(np.abs(off)):.3g} m off its mean plane); extrusion needs a "
                        f"flat mesh")
    return n, np.where(c @ n >= 0, 1, -1)


def _boundary_edges(cells: np.ndarray, n_pts: int) -> tuple[np.ndarray, np.ndarray]:
    """Boundary edges (ordered with the domain on their left) and their unordered keys."""
    edges = np.stack([cells, np.roll(cells, -1, axis=1)], axis=2).reshape(-1, 2).astype(np.int64)
    key = edges.min(axis=1) * n_pts + edges.max(axis=1)
    _, inv, count = np.unique(key, return_inverse=True, return_counts=True)
    on_bnd = count[inv] == 1
    bedges = edges[on_bnd]
    bkey = key[on_bnd]
    order = np.argsort(bkey)
    return bedges[order], bkey[order]


def _side_faces(edges: np.ndarray, n2: int, n_levels: int, tets: bool) -> np.ndarray:
    """Lateral facets of the extruded stack above ``edges`` (p -> q, domain on the left).

    Quads ``[p_l, q_l, q_l+1, p_l+1]`` (outward); for tets, the quad is cut along the diagonal
    through its lowest node index, matching the prism split.
    """
    if edges.shape[0] == 0:
        return np.zeros((0, 3 if tets else 4), _I32)
    lev = np.arange(n_levels - 1, dtype=np.int64)[:, None] * n2
    p = edges[None, :, 0] + lev
    q = edges[None, :, 1] + lev
    quads = np.stack([p, q, q + n2, p + n2], axis=-1).reshape(-1, 4)
    if not tets:
        return quads.astype(_I32)
    p_low = (edges[:, 0] < edges[:, 1])
    p_low = np.broadcast_to(p_low[None, :], p.shape).ravel()
    # p lowest: diagonal p_l - q_u -> [p_l, q_l, q_u], [p_l, q_u, p_u]
    # q lowest: diagonal q_l - p_u -> [p_l, q_l, p_u], [q_l, q_u, p_u]
    a = np.where(p_low[:, None], quads[:, [0, 1, 2]], quads[:, [0, 1, 3]])
    b = np.where(p_low[:, None], quads[:, [0, 2, 3]], quads[:, [1, 2, 3]])
    return np.stack([a, b], axis=1).reshape(-1, 3).astype(_I32)


def _prism_tets(tri: np.ndarray, n2: int, n_levels: int) -> np.ndarray:
    """Split the prisms over counter-clockwise triangles ``tri`` into 3 positive tets each.

    With the triangle's nodes sorted, ``a < b < c``, the tets are ``[a, b, c, c']``,
    ``[a, b, b', c']`` and ``[a, a', b', c']`` (primes: the level above), which cuts every
    lateral quad along the diagonal through its lowest node index. For a right prism the
    signs of these tets are ``s, -s, s`` with ``s = +1`` when the sorted triangle is
    counter-clockwise, so orientation is fixed by swapping two nodes where needed.
    """
    order = np.argsort(tri, axis=1, kind="stable")
    t = np.take_along_axis(tri.astype(np.int64), order, axis=1)        # a < b < c
    even = (order[:, 1] - order[:, 0]) % 3 == 1                        # cyclic shift: CCW kept
    s = np.where(even, 1, -1)
    lev = np.arange(n_levels - 1, dtype=np.int64)[:, None] * n2
    a, b, c = (t[None, :, i] + lev for i in range(3))
    a2, b2, c2 = a + n2, b + n2, c + n2
    tets = np.stack([np.stack([a, b, c, c2], axis=-1),
                     np.stack([a, b, b2, c2], axis=-1),
                     np.stack([a, a2, b2, c2], axis=-1)], axis=2)      # (levels, ne, 3, 4)
    neg = np.stack([s < 0, s > 0, s < 0], axis=1)                      # (ne, 3)
    neg = np.broadcast_to(neg[None], tets.shape[:3])
    fixed = tets.copy()
    fixed[..., 1] = np.where(neg, tets[..., 2], tets[..., 1])
    fixed[..., 2] = np.where(neg, tets[..., 1], tets[..., 2])
    return fixed.reshape(-1, 4)


def extrude(mesh2d: Mesh, layers: Sequence[tuple[str, float, int]]) -> Mesh:
    """Extrude a planar ``quad4`` or ``tri3`` mesh through a stack of layers.

    Parameters
    ----------
    mesh2d : planar 2D mesh; the stack grows along its normal (+z for a counter-clockwise
        mesh in the z = 0 plane; with mixed cell orientations, the orientation covering most
        of the area defines the normal and the other cells are flipped).
    layers : ``[(name, thickness_m, n_cells), ...]`` from the bottom up; thickness in m.

    Returns
    -------
    Mesh of ``hex8`` (from quad4) or ``tet4`` (from tri3, 3 tets per prism), with

    * regions: one per layer (its name), plus every region of ``mesh2d`` extended through all
      layers (skipped when the name clashes with a layer name);
    * boundaries ``bottom`` (first level, outward = -normal), ``top`` (last level),
      ``side`` (all lateral faces), each line2 boundary of ``mesh2d`` extruded into a lateral
      set of the same name (stored as ``side_<name>`` if that name is ``bottom``, ``top``,
      ``side`` or an interface name), and interfaces ``"<lower>|<upper>"`` between
      consecutive layers (normal pointing from the lower into the upper layer).
    """
    if not isinstance(mesh2d, Mesh):
        raise MeshError(f"extrude: expected a thermosat Mesh, got {type(mesh2d).__name__}")
    if mesh2d.cell_type not in ("quad4", "tri3"):
        raise MeshError(f"extrude: cell type {mesh2d.cell_type!r} cannot be extruded; "
                        f"allowed: quad4 (-> hex8), tri3 (-> tet4)")
    spec = _check_layers(layers)
    n, sign = _plane_normal(mesh2d)
    cells2 = mesh2d.cells.copy()
    flip = [0, 3, 2, 1] if mesh2d.cell_type == "quad4" else [0, 2, 1]
    cells2[sign < 0] = cells2[sign < 0][:, flip]
    n2, ne2 = mesh2d.n_points, mesh2d.n_cells
    tets = mesh2d.cell_type == "tri3"

    dz = np.concatenate([np.full(nc, t / nc) for _, t, nc in spec])
    z = np.concatenate([[0.0], np.cumsum(dz)])
    n_levels = z.size
    pts = (mesh2d.points[None, :, :] + z[:, None, None] * n[None, None, :]).reshape(-1, 3)

    lev = np.arange(n_levels - 1, dtype=np.int64)[:, None, None] * n2
    if tets:
        cells = _prism_tets(cells2, n2, n_levels)
        per_slab = 3 * ne2
    else:
        base = cells2[None, :, :].astype(np.int64) + lev
        cells = np.concatenate([base, base + n2], axis=2).reshape(-1, 8)
        per_slab = ne2

    regions: dict[str, np.ndarray] = {}
    start_level = 0
    level_of_layer_top = []
    for name, _, nc in spec:
        regions[name] = np.arange(start_level * per_slab, (start_level + nc) * per_slab,
                                  dtype=np.int64)
        start_level += nc
        level_of_layer_top.append(start_level)
    slab = np.arange(n_levels - 1)
    for rname, idx in mesh2d.cell_regions.items():
        if rname in regions:
            continue
        idx = np.asarray(idx, np.int64)
        if tets:
            idx = (idx[:, None] * 3 + np.arange(3)).ravel()
            stride = 3 * ne2
        else:
            stride = ne2
        regions[rname] = (slab[:, None] * stride + idx[None, :]).ravel()

    bnd: dict[str, Boundary] = {}
    ftype = "tri3" if tets else "quad4"
    bnd["bottom"] = Boundary(cells2[:, flip], ftype)
    bnd["top"] = Boundary(cells2 + (n_levels - 1) * n2, ftype)
    for (a, _, _), (b, _, _), lvl in zip(spec[:-1], spec[1:], level_of_layer_top[:-1]):
        bnd[f"{a}|{b}"] = Boundary(cells2 + lvl * n2, ftype)
    bedges, bkeys = _boundary_edges(cells2, n2)
    bnd["side"] = Boundary(_side_faces(bedges, n2, n_levels, tets), ftype)
    for bname, b in mesh2d.boundaries.items():
        if b.facet_type != "line2":
            continue
        e = b.facets.astype(np.int64)
        if bkeys.size:  # orient like the cells' boundary edges (domain on the left)
            k = e.min(axis=1) * n2 + e.max(axis=1)
            pos = np.clip(np.searchsorted(bkeys, k), 0, bkeys.size - 1)
            found = bkeys[pos] == k
            e = np.where(found[:, None], bedges[pos], e)
        out = bname if bname not in bnd and bname not in _RESERVED else f"side_{bname}"
        bnd[out] = Boundary(_side_faces(e, n2, n_levels, tets), ftype)
    return Mesh(pts, cells, "tet4" if tets else "hex8", regions, bnd)
