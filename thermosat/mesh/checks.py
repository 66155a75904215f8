"""Mesh sanity checks and cell measures (lengths, areas, volumes in m, m², m³).

:func:`check_mesh` raises :class:`~thermosat.errors.MeshError` with a single line naming the
source, the offending node / cell / name and what is allowed. All checks are vectorised;
geometric checks run in chunks so that meshes of millions of cells stay within memory.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from thermosat.errors import MeshError
from thermosat.mesh.core import CELL_DIM, FACET_TYPE, Boundary, Mesh

__all__ = ["check_mesh", "check_names", "cell_measures", "facet_measures", "measures",
           "cell_faces"]

#: number of corner (vertex) nodes of each cell type
CORNERS = {"vertex": 1, "line2": 2, "line3": 2, "tri3": 3, "tri6": 3, "quad4": 4, "tet4": 4,
           "hex8": 8}
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
# hex corner Jacobians: for local corner (i, j, k), columns X(1,j,k)-X(0,j,k), ... (VTK ids)
_HEX_ID = {(0, 0, 0): 0, (1, 0, 0): 1, (1, 1, 0): 2, (0, 1, 0): 3,
           (0, 0, 1): 4, (1, 0, 1): 5, (1, 1, 1): 6, (0, 1, 1): 7}
_HEX_JAC = np.array([[[_HEX_ID[(1, j, k)], _HEX_ID[(0, j, k)]],
                      [_HEX_ID[(i, 1, k)], _HEX_ID[(i, 0, k)]],
                      [_HEX_ID[(i, j, 1)], _HEX_ID[(i, j, 0)]]]
                     for (i, j, k) in _HEX_ID])            # (8 corners, 3 dirs, [plus, minus])


def cell_faces(cell_type: str) -> list[list[int]]:
    """Local node indices of the outward-oriented facets of ``cell_type``."""
    return _FACES[cell_type]


# --------------------------------------------------------------------------- measures
def _quad_corner_normals(x: np.ndarray) -> np.ndarray:
    """(ne, 4, 3) normals ``(x[i+1]-x[i]) x (x[i-1]-x[i])`` at the four corners of quads."""
    nxt = np.roll(x, -1, axis=1) - x
    prv = np.roll(x, 1, axis=1) - x
    return np.cross(nxt, prv)


def _hex_corner_jacobians(x: np.ndarray) -> np.ndarray:
    """(ne, 8) determinants of the trilinear map's one-sided Jacobian at each hex corner."""
    cols = x[:, _HEX_JAC[:, :, 0], :] - x[:, _HEX_JAC[:, :, 1], :]   # (ne, 8, 3 dirs, 3)
    return np.linalg.det(cols.swapaxes(-1, -2))


def _hex_gauss_dn() -> np.ndarray:
    """Trilinear shape-function gradients (8 Gauss points, 8 nodes, 3) on [-1, 1]^3."""
    s = np.array([[-1, -1, -1], [1, -1, -1], [1, 1, -1], [-1, 1, -1],
                  [-1, -1, 1], [1, -1, 1], [1, 1, 1], [-1, 1, 1]], float)
    g = np.array([-1.0, 1.0]) / np.sqrt(3.0)
    out = []
    for q in np.array(np.meshgrid(g, g, g, indexing="ij")).reshape(3, -1).T:
        f = 0.5 * (1 + s * q)                                   # (8, 3)
        dn = np.stack([0.5 * s[:, d] * np.prod(np.delete(f, d, axis=1), axis=1)
                       for d in range(3)], axis=1)
        out.append(dn)
    return np.array(out)


_HEX_DN = _hex_gauss_dn()


def _hex_volumes(x: np.ndarray) -> np.ndarray:
    """Exact volumes of trilinear hexes: 2x2x2 Gauss (unit weights) integrates det J exactly."""
    jac = np.einsum("eni,qnd->eqid", x, _HEX_DN)                # (ne, 8, 3 xyz, 3 ref)
    return np.linalg.det(jac).sum(axis=1)


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
        c = 0.5 * np.cross(x[:, 1] - x[:, 0], x[:, 2] - x[:, 0])
    elif cell_type == "quad4":
        c = 0.5 * np.cross(x[:, 2] - x[:, 0], x[:, 3] - x[:, 1])
    elif cell_type == "tet4":
        d = x[:, 1:] - x[:, :1]
        return np.einsum("ei,ei->e", d[:, 0], np.cross(d[:, 1], d[:, 2])) / 6.0
    else:
        return _hex_volumes(x)
    if normal is None:
        return np.linalg.norm(c, axis=1)
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
    """Comparable 1-D keys of node-index rows, independent of node order within a row."""
    r = np.sort(np.asarray(rows, dtype=np.int64), axis=1)
    k = r.shape[1]
    if k == 0:
        return np.zeros(r.shape[0], np.int64)
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
    has_corner = ct in ("quad4", "hex8")
    cmin = np.empty(ne) if has_corner else None
    cmax = np.empty(ne) if has_corner else None
    cabs = np.empty(ne) if has_corner else None
    normal = np.array([0.0, 0.0, 1.0]) if planar else None
    for s in range(0, ne, _CHUNK):
        x = mesh.points[mesh.cells[s:s + _CHUNK, :nc]]
        sl = slice(s, s + x.shape[0])
        h[sl] = np.linalg.norm(np.ptp(x, axis=1), axis=1)
        m[sl] = _signed_measures(x, ct, normal)
        if ct == "quad4":
            cn = _quad_corner_normals(x)
            if planar:
                corner = cn[:, :, 2]
            else:  # shell quad: project corner normals on the mean normal (twist test)
                ref = cn.sum(axis=1)
                ref_n = np.linalg.norm(ref, axis=1)
                corner = np.einsum("eci,ei->ec", cn, ref) / np.where(ref_n > 0, ref_n, 1.0)[:, None]
        elif ct == "hex8":
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


def _check_boundaries(mesh: Mesh, source: str) -> None:
    allowed = _allowed_facets(mesh.cell_type)
    face_keys: dict[str, np.ndarray] = {}
    for name, b in mesh.boundaries.items():
        if not isinstance(b, Boundary):
            _fail(source, f"boundary {name!r}: expected a Boundary, got {type(b).__name__}")
        if b.facet_type not in allowed:
            _fail(source, f"boundary {name!r}: facet type {b.facet_type!r} is not allowed on a "
                          f"{mesh.cell_type} mesh; allowed: {', '.join(allowed)}")
        _check_indices(b.facets, mesh.n_points, source, f"boundary {name!r} facet")
        _check_distinct(b.facets, source, f"boundary {name!r} facet")
        if b.facet_type == "vertex" or b.facets.shape[0] == 0:
            continue  # vertices: membership follows from the unused-node check
        if b.facet_type not in face_keys:
            if b.facet_type == mesh.cell_type:
                rows = mesh.cells
            else:
                local = np.array(_FACES[mesh.cell_type])
                rows = mesh.cells[:, local].reshape(-1, local.shape[1])
            face_keys[b.facet_type] = np.unique(_row_keys(rows, mesh.n_points))
        keys = _row_keys(b.facets, mesh.n_points)
        known = face_keys[b.facet_type]
        pos = np.clip(np.searchsorted(known, keys), 0, known.size - 1)
        missing = known[pos] != keys
        if missing.any():
            f = int(np.flatnonzero(missing)[0])
            what = "cell" if b.facet_type == mesh.cell_type else "face of any cell"
            _fail(source, f"boundary {name!r} facet {f} (nodes {b.facets[f].tolist()}) is not "
                          f"a {what}; boundary facets must be {b.facet_type} faces of the mesh")


def check_mesh(mesh: Mesh, *, source: str = "<mesh>", require_dim: int | None = None) -> None:
    """Raise :class:`MeshError` (one line, naming ``source``) if ``mesh`` is unusable.

    Checks, in order: the topological dimension (``require_dim``), empty meshes, non-finite
    coordinates, node indices out of range, a node repeated within a cell, unused nodes,
    inverted cells (negative Jacobian for 2D cells in a z = constant plane and for tets and
    hexes; 2D shells in 3D have no orientation sign), degenerate cells (zero length / area /
    volume relative to the cell size), region cell indices out of range, and boundaries
    (allowed facet type, node indices, facets being faces of cells).
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

