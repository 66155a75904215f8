"""Mesh sanity checks and cell measures (lengths, areas, volumes in m, m², m³).

:func:`check_mesh` raises :class:`~thermosat.common.errors.MeshError` with a single line naming the
source, the offending node / cell / name and what is allowed. All checks are vectorised;
geometric checks run in chunks so that meshes of millions of cells stay within memory.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from thermosat.common.errors import MeshError
from thermosat.fem.elements import HEX20_EDGES, QUAD8_EDGES, TET10_EDGES
from thermosat.mesh.core import CELL_DIM, FACET_TYPE, Boundary, Mesh
from thermosat.mesh.duplicates import check_duplicates, duplicate_rows  # noqa: F401 (re-exported)

__all__ = [
    "cell_faces",
    "cell_measures",
    "check_duplicates",
    "check_mesh",
    "check_names",
    "facet_measures",
    "measures",
]

#: number of corner (vertex) nodes of each cell type
CORNERS = {"vertex": 1, "line2": 2, "line3": 2, "tri3": 3, "tri6": 3, "quad4": 4, "tet4": 4,
           "hex8": 8, "quad8": 4, "tet10": 4, "hex20": 8}
_UNITS = {0: "", 1: "m", 2: "m²", 3: "m³"}
_WHAT = {1: "length", 2: "area", 3: "volume"}
#: a cell whose |measure| is below REL_TOL * (corner bounding-box diagonal)**dim is degenerate
REL_TOL = 1e-10
_CHUNK = 200_000

# local faces (facets) of each cell type, oriented outward (VTK ordering)
_FACES = {
    "line2": [[0], [1]],
    "line3": [[0], [1]],
    "tri3": [[0, 1], [1, 2], [2, 0]],
    "tri6": [[0, 1, 3], [1, 2, 4], [2, 0, 5]],
    "quad4": [[0, 1], [1, 2], [2, 3], [3, 0]],
    "tet4": [[0, 2, 1], [0, 1, 3], [1, 2, 3], [0, 3, 2]],
    "hex8": [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]],
}


def _quadratic_faces(linear: str, edges) -> list[list[int]]:
    """Faces of a quadratic cell: the corner faces of ``linear`` followed by the mid-edge
    nodes of their edges in face order (tri6 / quad8 / line3 ordering)."""
    n0 = CORNERS[linear]
    mid = {frozenset(e): n0 + k for k, e in enumerate(edges)}
    out = []
    for f in _FACES[linear]:
        if len(f) == 2:
            out.append(list(f) + [mid[frozenset(f)]])
        else:
            out.append(list(f) + [mid[frozenset((f[i], f[(i + 1) % len(f)]))]
                                  for i in range(len(f))])
    return out


_FACES["quad8"] = _quadratic_faces("quad4", QUAD8_EDGES)
_FACES["tet10"] = _quadratic_faces("tet4", TET10_EDGES)
_FACES["hex20"] = _quadratic_faces("hex8", HEX20_EDGES)


def cell_faces(cell_type: str) -> list[list[int]]:
    """Local node indices of the outward-oriented facets of ``cell_type``."""
    return _FACES[cell_type]


# --------------------------------------------------------------------------- measures
def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cross product of (..., 3) arrays (explicit components: faster than np.cross)."""
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def _triple(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``a . (b x c)`` for (..., 3) arrays."""
    return (a[..., 0] * (b[..., 1] * c[..., 2] - b[..., 2] * c[..., 1])
            + a[..., 1] * (b[..., 2] * c[..., 0] - b[..., 0] * c[..., 2])
            + a[..., 2] * (b[..., 0] * c[..., 1] - b[..., 1] * c[..., 0]))


def _quad_corner_normals(x: np.ndarray) -> np.ndarray:
    """(ne, 4, 3) normals ``(x[i+1]-x[i]) x (x[i-1]-x[i])`` at the four corners of quads."""
    nxt = x[:, [1, 2, 3, 0]] - x
    prv = x[:, [3, 0, 1, 2]] - x
    return _cross(nxt, prv)


def _hex_edges(x: np.ndarray):
    """Edge vectors of hexes (VTK order) along the local i, j, k directions.

    Returns ``ex[j][k]``, ``ey[i][k]``, ``ez[i][j]`` (each (ne, 3)): e.g. ``ex[j][k]`` is
    ``X(1, j, k) - X(0, j, k)``.
    """
    p = [x[:, n] for n in range(8)]
    ex = [[p[1] - p[0], p[5] - p[4]], [p[2] - p[3], p[6] - p[7]]]
    ey = [[p[3] - p[0], p[7] - p[4]], [p[2] - p[1], p[6] - p[5]]]
    ez = [[p[4] - p[0], p[7] - p[3]], [p[5] - p[1], p[6] - p[2]]]
    return ex, ey, ez


def _hex_corner_jacobians(x: np.ndarray) -> np.ndarray:
    """(ne, 8) determinants of the trilinear map's Jacobian at the hex corners (VTK order)."""
    ex, ey, ez = _hex_edges(x)
    corners = [(0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0), (0, 0, 1), (1, 0, 1), (1, 1, 1),
               (0, 1, 1)]
    return np.stack([_triple(ex[j][k], ey[i][k], ez[i][j]) for i, j, k in corners], axis=1)


def _hex_volumes(x: np.ndarray) -> np.ndarray:
    """Exact volumes of trilinear hexes: 2x2x2 Gauss integrates det J exactly."""
    ex, ey, ez = _hex_edges(x)
    g = 0.5 + np.array([-0.5, 0.5]) / np.sqrt(3.0)

    def blend(e, s, t):
        return ((1 - s) * (1 - t) * e[0][0] + (1 - s) * t * e[0][1]
                + s * (1 - t) * e[1][0] + s * t * e[1][1])

    vol = np.zeros(x.shape[0])
    for a in g:
        for b in g:
            for c in g:
                vol += _triple(blend(ex, b, c), blend(ey, a, c), blend(ez, a, b))
    return vol / 8.0


def _signed_measures(x: np.ndarray, cell_type: str, normal: np.ndarray | None) -> np.ndarray:
    """Measures of cells with corner coordinates ``x`` (ne, nc, 3).

    2D cells are signed by ``normal`` when given (planar meshes), otherwise unsigned.
    """
    dim = CELL_DIM[cell_type]
    if dim == 0:
        return np.ones(x.shape[0])
    if dim == 1:
        return np.linalg.norm(x[:, 1] - x[:, 0], axis=1)
    if cell_type in ("tri3", "tri6"):
        a, b = x[:, 1] - x[:, 0], x[:, 2] - x[:, 0]
    elif cell_type in ("quad4", "quad8"):
        a, b = x[:, 2] - x[:, 0], x[:, 3] - x[:, 1]
    elif cell_type in ("tet4", "tet10"):
        return _triple(x[:, 1] - x[:, 0], x[:, 2] - x[:, 0], x[:, 3] - x[:, 0]) / 6.0
    else:
        return _hex_volumes(x)
    if normal is not None and normal[0] == 0.0 and normal[1] == 0.0:
        return 0.5 * normal[2] * (a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0])
    c = 0.5 * _cross(a, b)
    if normal is None:
        return np.sqrt(np.einsum("ei,ei->e", c, c))
    return c @ normal


def measures(points: np.ndarray, conn: np.ndarray, cell_type: str, *,
             signed: bool = False) -> np.ndarray:
    """Length / area / volume (m, m², m³) of each row of ``conn`` of type ``cell_type``.

    Quadratic cells are measured on their corner nodes (straight edges). 2D cells are
    unsigned unless ``signed`` (then the z component of their area vector). Tets and hexes
    are always signed (negative when inverted). Vertices measure 1.
    """
    conn = np.asarray(conn)
    nc = CORNERS[cell_type]
    normal = np.array([0.0, 0.0, 1.0]) if signed else None
    out = np.empty(conn.shape[0])
    for s in range(0, conn.shape[0], _CHUNK):
        x = points[conn[s:s + _CHUNK, :nc]]
        out[s:s + _CHUNK] = _signed_measures(x, cell_type, normal)
    return out


def cell_measures(mesh: Mesh) -> np.ndarray:
    """Length / area / volume (m, m², m³) of every cell of ``mesh`` (unsigned for 2D)."""
    return measures(mesh.points, mesh.cells, mesh.cell_type)


def facet_measures(mesh: Mesh, name: str) -> np.ndarray:
    """Length / area (m, m²) of every facet of boundary ``name`` (1 for vertex facets)."""
    b = mesh.boundary(name)
    return np.abs(measures(mesh.points, b.facets, b.facet_type))


# --------------------------------------------------------------------------- helpers
def _fail(source: str, msg: str):
    raise MeshError(f"{source}: {msg}")


def _fmt(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:g}" for v in np.asarray(x, float)) + ")"


def _row_keys(rows: np.ndarray, n: int) -> np.ndarray:
    """Comparable 1-D keys of node-index rows, independent of node order within a row.

    Rows are identified by their three smallest node indices (enough to tell apart the faces
    of a conforming mesh).
    """
    r = np.sort(np.asarray(rows, dtype=np.int64), axis=1)[:, :3]
    k = r.shape[1]
    if float(max(n, 1)) ** k < 2.0 ** 62:
        key = np.zeros(r.shape[0], np.int64)
        for c in range(k):
            key = key * max(n, 1) + r[:, c]
        return key
    r = np.ascontiguousarray(r)
    return r.view(np.dtype((np.void, r.dtype.itemsize * k))).ravel()


def _is_planar_z(points: np.ndarray) -> bool:
    if points.shape[0] == 0:
        return True
    ext = np.ptp(points, axis=0)
    return bool(ext[2] <= 1e-12 * max(float(ext.max()), 1e-300))


# --------------------------------------------------------------------------- checks
def _check_dim(mesh: Mesh, source: str, require_dim) -> None:
    if require_dim is None:
        return
    if mesh.dim != int(require_dim):
        _fail(source, f"needs a {int(require_dim)}D mesh, got {mesh.cell_type} ({mesh.dim}D)")


def _check_points(mesh: Mesh, source: str) -> None:
    if mesh.n_points == 0:
        _fail(source, "mesh has no nodes; at least one cell with its nodes is required")
    if mesh.n_cells == 0:
        _fail(source, f"mesh has no {mesh.cell_type} cells; at least one cell is required")
    bad = ~np.all(np.isfinite(mesh.points), axis=1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        _fail(source, f"node {i} has non-finite coordinates {_fmt(mesh.points[i])}; "
                      f"coordinates must be finite numbers (m) ({int(bad.sum())} bad node(s))")


def _check_indices(conn: np.ndarray, n: int, source: str, what: str) -> None:
    if conn.size == 0:
        return
    bad = (conn < 0) | (conn >= n)
    if bad.any():
        e, c = (int(v[0]) for v in np.nonzero(bad))
        _fail(source, f"{what} {e} references node {int(conn[e, c])}, but node indices must "
                      f"be in 0..{n - 1}")


def _check_distinct(conn: np.ndarray, source: str, what: str) -> None:
    if conn.shape[1] < 2 or conn.shape[0] == 0:
        return
    s = np.sort(conn, axis=1)
    dup = np.any(s[:, 1:] == s[:, :-1], axis=1)
    if dup.any():
        e = int(np.flatnonzero(dup)[0])
        row = s[e]
        node = int(row[1:][row[1:] == row[:-1]][0])
        _fail(source, f"{what} {e} uses node {node} more than once "
                      f"(nodes {conn[e].tolist()}); the nodes of a cell must be distinct")


def _check_unused(mesh: Mesh, source: str) -> None:
    used = np.zeros(mesh.n_points, bool)
    used[mesh.cells.ravel()] = True
    if not used.all():
        unused = np.flatnonzero(~used)
        _fail(source, f"{unused.size} node(s) are not used by any cell (first: node "
                      f"{int(unused[0])}); every node must belong to a cell")


def _geometry_pass(mesh: Mesh, planar: bool):
    """Per-cell measure ``m``, corner-box size ``h`` and min / max / min-abs corner Jacobians."""
    ct, nc = mesh.cell_type, CORNERS[mesh.cell_type]
    ne = mesh.n_cells
    m, h = np.empty(ne), np.empty(ne)
    has_corner = ct in ("quad4", "hex8", "quad8", "hex20")
    cmin = np.empty(ne) if has_corner else None
    cmax = np.empty(ne) if has_corner else None
    cabs = np.empty(ne) if has_corner else None
    normal = np.array([0.0, 0.0, 1.0]) if planar else None
    for s in range(0, ne, _CHUNK):
        x = mesh.points[mesh.cells[s:s + _CHUNK, :nc]]
        sl = slice(s, s + x.shape[0])
        h[sl] = np.linalg.norm(np.ptp(x, axis=1), axis=1)
        m[sl] = _signed_measures(x, ct, normal)
        if ct in ("quad4", "quad8"):
            cn = _quad_corner_normals(x)
            if planar:
                corner = cn[:, :, 2]
            else:  # shell quad: project corner normals on the mean normal (twist test)
                ref = cn.sum(axis=1)
                ref_n = np.linalg.norm(ref, axis=1)
                corner = np.einsum("eci,ei->ec", cn, ref) / np.where(ref_n > 0, ref_n, 1.0)[:, None]
        elif ct in ("hex8", "hex20"):
            corner = _hex_corner_jacobians(x)
        if has_corner:
            cmin[sl], cmax[sl] = corner.min(axis=1), corner.max(axis=1)
            cabs[sl] = np.abs(corner).min(axis=1)
    return m, h, cmin, cmax, cabs


def _check_geometry(mesh: Mesh, source: str) -> None:
    ct, dim = mesh.cell_type, mesh.dim
    planar = dim == 2 and _is_planar_z(mesh.points)
    m, h, cmin, cmax, cabs = _geometry_pass(mesh, planar)
    tol = REL_TOL * h ** dim
    # orientation reference: +1 for 3D; for planar 2D meshes the sign of the total area
    sign = 1.0
    if planar and m.sum() < 0:
        sign = -1.0
        if cmin is not None:
            cmin, cmax = -cmax, -cmin
    ms = m * sign
    degen = np.abs(m) <= tol
    if cmin is not None:
        degen |= cabs <= tol
    oriented = planar or dim == 3
    bad = (ms < -tol) if oriented else np.zeros(m.shape, bool)
    if cmin is not None:
        bad |= cmin < -tol
    bad &= ~(np.abs(m) <= tol)
    unit = _UNITS[dim]
    if bad.any():
        e = int(np.flatnonzero(bad)[0])
        nodes = mesh.cells[e].tolist()
        if not oriented:
            _fail(source, f"cell {e} ({ct}) is self-intersecting (twisted quad, nodes {nodes}); "
                          f"quad corners must be in boundary order")
        if dim == 2:
            rule = ("counter-clockwise seen from +z like the rest of the mesh" if sign > 0
                    else "clockwise seen from +z like the rest of the mesh")
        else:
            rule = "ordered for a positive volume (VTK ordering)"
        _fail(source, f"cell {e} ({ct}) is inverted ({_WHAT[dim]} {m[e]:.3g} {unit}, nodes "
                      f"{nodes}); nodes must be {rule}")
    if degen.any():
        e = int(np.flatnonzero(degen)[0])
        _fail(source, f"cell {e} ({ct}) is degenerate ({_WHAT[dim]} {m[e]:.3g} {unit} for a "
                      f"cell of size {h[e]:.3g} m, nodes {mesh.cells[e].tolist()}); cells must "
                      f"have a non-zero {_WHAT[dim]}")


def _check_regions(mesh: Mesh, source: str) -> None:
    ne = mesh.n_cells
    for name, idx in mesh.cell_regions.items():
        if idx.ndim != 1:
            _fail(source, f"region {name!r}: cell indices must be a 1-D array, "
                          f"got shape {idx.shape}")
        bad = (idx < 0) | (idx >= ne)
        if bad.any():
            _fail(source, f"region {name!r} references cell {int(idx[bad][0])}, but cell "
                          f"indices must be in 0..{ne - 1}")


def _allowed_facets(cell_type: str) -> tuple[str, ...]:
    if CELL_DIM[cell_type] == 3:
        return (FACET_TYPE[cell_type],)
    return (FACET_TYPE[cell_type], cell_type)


def _faces_near(mesh: Mesh, facet_type: str, node_mask: np.ndarray) -> np.ndarray:
    """Facet rows of type ``facet_type`` of the cells that touch a node in ``node_mask``."""
    cells = mesh.cells[node_mask[mesh.cells].any(axis=1)]
    if facet_type == mesh.cell_type:
        return cells
    local = np.array(_FACES[mesh.cell_type])
    return cells[:, local].reshape(-1, local.shape[1])


def _check_boundaries(mesh: Mesh, source: str) -> None:
    allowed = _allowed_facets(mesh.cell_type)
    for name, b in mesh.boundaries.items():
        if not isinstance(b, Boundary):
            _fail(source, f"boundary {name!r}: expected a Boundary, got {type(b).__name__}")
        if b.facet_type not in allowed:
            _fail(source, f"boundary {name!r}: facet type {b.facet_type!r} is not allowed on a "
                          f"{mesh.cell_type} mesh; allowed: {', '.join(allowed)}")
        _check_indices(b.facets, mesh.n_points, source, f"boundary {name!r} facet")
        _check_distinct(b.facets, source, f"boundary {name!r} facet")
    # every facet must be a face of a cell (or a cell, for shell front / back sets)
    by_type: dict[str, list[str]] = {}
    for name, b in mesh.boundaries.items():
        if b.facet_type != "vertex" and b.facets.shape[0]:
            by_type.setdefault(b.facet_type, []).append(name)
    for ftype, names in by_type.items():
        mask = np.zeros(mesh.n_points, bool)
        for name in names:
            mask[mesh.boundaries[name].facets.ravel()] = True
        known = np.sort(_row_keys(_faces_near(mesh, ftype, mask), mesh.n_points))
        for name in names:
            facets = mesh.boundaries[name].facets
            keys = _row_keys(facets, mesh.n_points)
            if known.size == 0:
                missing = np.ones(keys.shape, bool)
            else:
                pos = np.clip(np.searchsorted(known, keys), 0, known.size - 1)
                missing = known[pos] != keys
            if missing.any():
                f = int(np.flatnonzero(missing)[0])
                what = "cell" if ftype == mesh.cell_type else "face of any cell"
                _fail(source, f"boundary {name!r} facet {f} (nodes {facets[f].tolist()}) is "
                              f"not a {what}; boundary facets must be {ftype} faces of the mesh")


def check_mesh(mesh: Mesh, *, source: str = "<mesh>", require_dim: int | None = None) -> None:
    """Raise :class:`MeshError` (one line, naming ``source``) if ``mesh`` is unusable.

    Checks, in order: the topological dimension (``require_dim``), empty meshes, non-finite
    coordinates, node indices out of range, a node repeated within a cell, unused nodes,
    inverted cells (negative Jacobian for 2D cells in a z = constant plane and for tets and
    hexes; 2D shells in 3D have no orientation sign), degenerate cells (zero length / area /
    volume relative to the cell size), region cell indices out of range, and boundaries
    (allowed facet type, node indices, facets being faces of cells, no facet listed twice in
    one boundary) and no cell listed twice in one region (:func:`check_duplicates`).
    """
    if not isinstance(mesh, Mesh):
        raise MeshError(f"{source}: expected a thermosat Mesh, got {type(mesh).__name__}")
    _check_dim(mesh, source, require_dim)
    _check_points(mesh, source)
    _check_indices(mesh.cells, mesh.n_points, source, "cell")
    _check_distinct(mesh.cells, source, "cell")
    _check_unused(mesh, source)
    _check_geometry(mesh, source)
    _check_regions(mesh, source)
    _check_boundaries(mesh, source)
    check_duplicates(mesh, source=source)


def check_names(mesh: Mesh, regions: Iterable[str] = (), boundaries: Iterable[str] = (), *,
                source: str = "<mesh>") -> None:
    """Raise :class:`MeshError` unless every named region and boundary exists and is non-empty.

    The message names ``source``, the missing name and the known names.
    """
    if isinstance(regions, str):
        regions = (regions,)
    if isinstance(boundaries, str):
        boundaries = (boundaries,)
    for name in regions:
        if name not in mesh.cell_regions:
            _fail(source, f"region {name!r} does not exist; known regions: "
                          f"{sorted(mesh.cell_regions) or 'none'}")
        if mesh.cell_regions[name].size == 0:
            _fail(source, f"region {name!r} has no cells; a region must contain cells")
    for name in boundaries:
        if name not in mesh.boundaries:
            _fail(source, f"boundary {name!r} does not exist; known boundaries: "
                          f"{sorted(mesh.boundaries) or 'none'}")
        if mesh.boundaries[name].facets.shape[0] == 0:
            _fail(source, f"boundary {name!r} has no facets; a boundary must contain facets")

