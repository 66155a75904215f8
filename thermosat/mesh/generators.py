"""Structured mesh generators: intervals, rectangles, boxes, shells placed in 3D, polylines.

Everything is vectorised numpy (no Python loop over elements), so refinement is cheap: a
rectangle of 1000 x 1000 quads builds in a fraction of a second. Connectivity is int32 and
follows the VTK/meshio node ordering (vertices first, then edge midpoints for quadratic cells):

* ``line3``: ``[v0, v1, mid]``
* ``tri6``: ``[v0, v1, v2, m01, m12, m20]``
* ``hex8``: bottom face counter-clockwise seen from +z, then the top face

All lengths are in m. 2D meshes are counter-clockwise seen from +z (positive area), 3D meshes
have positive volume, and boundary facets are oriented with their normal pointing out of the
domain (edges run counter-clockwise around a 2D domain).
"""
from __future__ import annotations

import math

import numpy as np

from thermosat.common.errors import MeshError
from thermosat.mesh.core import Boundary, Mesh

__all__ = ["box", "interval", "polyline", "quadratic", "rectangle", "shell"]

_I32 = np.int32


# --------------------------------------------------------------------------- argument checks
def _positive_length(value, what: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise MeshError(f"{what}: expected a length in m, got {value!r}") from None
    if not math.isfinite(x) or x <= 0.0:
        raise MeshError(f"{what}: must be a finite length > 0 m, got {value!r}")
    return x


def _count(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise MeshError(f"{what}: expected an integer number of cells >= 1, got {value!r}")
    if int(value) < 1:
        raise MeshError(f"{what}: must be >= 1 cell, got {value!r}")
    return int(value)


def _vector(value, n: int, what: str) -> np.ndarray:
    try:
        v = np.asarray(value, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise MeshError(f"{what}: expected {n} numbers (m), got {value!r}") from None
    if v.size != n or not np.all(np.isfinite(v)):
        raise MeshError(f"{what}: expected {n} finite numbers (m), got {value!r}")
    return v


def _domain(n_cells: int) -> dict[str, np.ndarray]:
    return {"domain": np.arange(n_cells, dtype=_I32)}


# --------------------------------------------------------------------------- 1D
def interval(length_m: float, n: int, *, start: float = 0.0, order: int = 1) -> Mesh:
    """A bar of ``n`` cells along x from ``start`` to ``start + length_m`` (m).

    ``order=1`` gives ``line2`` cells, ``order=2`` gives ``line3`` cells (``[v0, v1, mid]``).
    Boundaries ``left`` (x = start) and ``right`` (x = start + length) are single vertices;
    region ``domain`` holds every cell.
    """
    length = _positive_length(length_m, "interval length_m")
    n = _count(n, "interval n")
    x0 = _vector([start], 1, "interval start")[0]
    if order not in (1, 2):
        raise MeshError(f"interval order: must be 1 (line2) or 2 (line3), got {order!r}")
    n_pts = order * n + 1
    pts = np.zeros((n_pts, 3))
    pts[:, 0] = x0 + np.linspace(0.0, length, n_pts)
    i = np.arange(n, dtype=_I32) * order
    if order == 1:
        cells, ctype = np.stack([i, i + 1], axis=1), "line2"
    else:
        cells, ctype = np.stack([i, i + 2, i + 1], axis=1), "line3"
    bnd = {"left": Boundary(np.array([[0]]), "vertex"),
           "right": Boundary(np.array([[n_pts - 1]]), "vertex")}
    return Mesh(pts, cells, ctype, _domain(n), bnd)


def polyline(points, n_per_segment) -> Mesh:
    """A ``line2`` mesh along a 3D polyline through ``points`` ((m, 3) or (m, 2), in m).

    ``n_per_segment`` is the number of cells on each segment: one integer for all segments or a
    sequence with one entry per segment. Boundaries ``inlet`` (first point) and ``outlet``
    (last point); region ``domain``.
    """
    try:
        p = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise MeshError("polyline points: expected an (m, 3) array of coordinates (m)") from None
    if p.ndim != 2 or p.shape[0] < 2 or p.shape[1] not in (2, 3):
        raise MeshError(f"polyline points: expected an (m, 3) array with m >= 2, "
                        f"got shape {p.shape}")
    if not np.all(np.isfinite(p)):
        raise MeshError("polyline points: coordinates must be finite numbers (m)")
    if p.shape[1] == 2:
        p = np.hstack([p, np.zeros((p.shape[0], 1))])
    n_seg = p.shape[0] - 1
    if isinstance(n_per_segment, (int, np.integer)) and not isinstance(n_per_segment, bool):
        counts = np.full(n_seg, _count(n_per_segment, "polyline n_per_segment"))
    else:
        seq = list(n_per_segment)
        if len(seq) != n_seg:
            raise MeshError(f"polyline n_per_segment: expected {n_seg} counts (one per segment), "
                            f"got {len(seq)}")
        counts = np.array([_count(c, f"polyline n_per_segment[{k}]") for k, c in enumerate(seq)])
    seg_len = np.linalg.norm(np.diff(p, axis=0), axis=1)
    bad = np.flatnonzero(seg_len <= 1e-12 * max(float(seg_len.max()), 1e-300))
    if bad.size:
        raise MeshError(f"polyline points: segment {bad[0]} (points {bad[0]} -> {bad[0] + 1}) "
                        f"has zero length; consecutive points must differ")
    seg = np.repeat(np.arange(n_seg), counts)               # segment of each new point
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    t = (np.arange(counts.sum()) - first[seg] + 1) / counts[seg]
    new = p[seg] + t[:, None] * (p[seg + 1] - p[seg])
    pts = np.vstack([p[:1], new])
    ne = pts.shape[0] - 1
    i = np.arange(ne, dtype=_I32)
    cells = np.stack([i, i + 1], axis=1)
    bnd = {"inlet": Boundary(np.array([[0]]), "vertex"),
           "outlet": Boundary(np.array([[ne]]), "vertex")}
    return Mesh(pts, cells, "line2", _domain(ne), bnd)


# --------------------------------------------------------------------------- 2D
def _grid_ids(nx: int, ny: int) -> np.ndarray:
    """Node ids of an (nx+1) x (ny+1) grid, indexed ``[j, i]`` (x fastest)."""
    return np.arange((nx + 1) * (ny + 1), dtype=_I32).reshape(ny + 1, nx + 1)


def _edge_sets(g: np.ndarray, step: int) -> dict[str, np.ndarray]:
    """Counter-clockwise boundary edges of a node grid ``g[j, i]``.

    ``step=1``: line2 edges between consecutive grid nodes. ``step=2``: line3 edges
    ``[v0, v1, mid]`` on a grid that includes midpoints.
    """
    def chain(line: np.ndarray) -> np.ndarray:
        if step == 1:
            return np.stack([line[:-1], line[1:]], axis=1)
        return np.stack([line[:-2:2], line[2::2], line[1::2]], axis=1)

    return {
        "bottom": chain(g[0, :]),
        "right": chain(g[:, -1]),
        "top": chain(g[-1, ::-1]),
        "left": chain(g[::-1, 0]),
    }


def _rectangle_topology(nx: int, ny: int, cell: str):
    """Local (unit-spacing) grid coordinates, cells and edge sets of a rectangle."""
    if cell == "tri6":
        g = _grid_ids(2 * nx, 2 * ny)
        gx, gy = 2 * nx, 2 * ny
        a, b = g[0:-2:2, 0:-2:2], g[0:-2:2, 2::2]           # corners (j, i), (j, i+1)
        c, d = g[2::2, 2::2], g[2::2, 0:-2:2]               # (j+1, i+1), (j+1, i)
        mb, mr = g[0:-2:2, 1::2], g[1::2, 2::2]             # bottom, right mid-edges
        mt, ml = g[2::2, 1::2], g[1::2, 0:-2:2]             # top, left mid-edges
        mc = g[1::2, 1::2]                                  # centre = diagonal midpoint
        t1 = np.stack([a, b, c, mb, mr, mc], axis=-1).reshape(-1, 6)
        t2 = np.stack([a, c, d, mc, mt, ml], axis=-1).reshape(-1, 6)
        cells = np.stack([t1, t2], axis=1).reshape(-1, 6)
        edges, ftype, scale = _edge_sets(g, 2), "line3", 0.5
    else:
        g = _grid_ids(nx, ny)
        gx, gy = nx, ny
        a, b, c, d = g[:-1, :-1], g[:-1, 1:], g[1:, 1:], g[1:, :-1]
        if cell == "quad4":
            cells = np.stack([a, b, c, d], axis=-1).reshape(-1, 4)
        else:
            cells = np.stack([a, b, c, a, c, d], axis=-1).reshape(-1, 3)
        edges, ftype, scale = _edge_sets(g, 1), "line2", 1.0
    iy, ix = np.divmod(np.arange((gx + 1) * (gy + 1)), gx + 1)
    return ix * scale, iy * scale, cells, edges, ftype


def _planar_mesh(lx, ly, nx, ny, cell, what) -> tuple:
    lx = _positive_length(lx, f"{what} lx")
    ly = _positive_length(ly, f"{what} ly")
    nx = _count(nx, f"{what} nx")
    ny = _count(ny, f"{what} ny")
    ix, iy, cells, edges, ftype = _rectangle_topology(nx, ny, cell)
    xy = np.stack([ix * (lx / nx), iy * (ly / ny)], axis=1)
    bnd = {k: Boundary(v, ftype) for k, v in edges.items()}
    bnd["all"] = Boundary(np.concatenate([edges[k] for k in ("bottom", "right", "top", "left")]),
                          ftype)
    return xy, cells, bnd


def rectangle(lx: float, ly: float, nx: int, ny: int, *, cell: str = "quad4",
              origin=(0.0, 0.0)) -> Mesh:
    """An ``lx`` x ``ly`` (m) rectangle of ``nx`` x ``ny`` cells in the z = 0 plane.

    ``cell`` is ``quad4``, ``tri3`` (each quad split along its (i, j)-(i+1, j+1) diagonal) or
    ``tri6``. Cells are counter-clockwise seen from +z. Boundaries ``left right bottom top``
    (line2 edges, line3 for tri6, running counter-clockwise) and ``all`` (their union);
    region ``domain``.
    """
    if cell not in ("quad4", "tri3", "tri6"):
        raise MeshError(f"rectangle cell: {cell!r} is not one of 'quad4', 'tri3', 'tri6'")
    o = _vector(origin, 2, "rectangle origin")
    xy, cells, bnd = _planar_mesh(lx, ly, nx, ny, cell, "rectangle")
    pts = np.zeros((xy.shape[0], 3))
    pts[:, :2] = xy + o
    return Mesh(pts, cells, cell, _domain(cells.shape[0]), bnd)


def _plane_axes(normal, u_axis) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = _vector(normal, 3, "shell normal")
    nn = np.linalg.norm(n)
    if nn == 0.0:
        raise MeshError("shell normal: must be a non-zero vector")
    n = n / nn
    if u_axis is None:
        u = np.array([1.0, 0.0, 0.0]) if abs(n[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    else:
        u = _vector(u_axis, 3, "shell u_axis")
    u = u - (u @ n) * n
    nu = np.linalg.norm(u)
    if nu <= 1e-12 * max(np.linalg.norm(u), 1.0):
        raise MeshError("shell u_axis: must not be parallel to the normal")
    u = u / nu
    v = np.cross(n, u)
    return u, v, n


_REVERSED = {"tri3": [0, 2, 1], "quad4": [0, 3, 2, 1], "tri6": [0, 2, 1, 5, 4, 3]}


def shell(lx: float, ly: float, nx: int, ny: int, *, cell: str = "quad4", origin=(0.0, 0.0, 0.0),
          normal=(0.0, 0.0, 1.0), u_axis=None) -> Mesh:
    """A flat ``lx`` x ``ly`` (m) panel of 2D cells placed in 3D.

    The local x axis is ``u_axis`` projected into the plane (default: global x, or global y if
    the normal is close to x), the local y axis is ``normal x u``, so the cells are
    counter-clockwise seen from the tip of ``normal``. ``origin`` (m) is the panel corner.

    Boundaries: edges ``left right bottom top`` (and ``all``) as for :func:`rectangle`;
    ``front`` whose facets are the cells themselves (normal = ``normal``) and ``back`` with
    reversed node order (normal = ``-normal``). Region ``domain``.
    """
    if cell not in ("quad4", "tri3", "tri6"):
        raise MeshError(f"shell cell: {cell!r} is not one of 'quad4', 'tri3', 'tri6'")
    o = _vector(origin, 3, "shell origin")
    u, v, _ = _plane_axes(normal, u_axis)
    xy, cells, bnd = _planar_mesh(lx, ly, nx, ny, cell, "shell")
    pts = o + xy[:, :1] * u + xy[:, 1:2] * v
    bnd["front"] = Boundary(cells, cell)
    bnd["back"] = Boundary(cells[:, _REVERSED[cell]], cell)
    return Mesh(pts, cells, cell, _domain(cells.shape[0]), bnd)


# --------------------------------------------------------------------------- 3D
#: local (i, j, k) offsets of the 8 hex corners in VTK order
_HEX_CORNERS = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0],
                         [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]])


def _kuhn_tets() -> np.ndarray:
    """Six positively oriented tets of the unit cube sharing the (0,0,0)-(1,1,1) diagonal.

    Every tet is a monotone path from corner 0 to corner 6 (Kuhn/Freudenthal split); every
    cube face is cut along the diagonal through its lowest and highest corner, so translated
    cubes conform.
    """
    corner_id = {tuple(c): k for k, c in enumerate(_HEX_CORNERS)}
    tets = []
    for perm in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        p = np.zeros(3, int)
        path = [corner_id[tuple(p)]]
        for ax in perm:
            p[ax] = 1
            path.append(corner_id[tuple(p)])
        x = _HEX_CORNERS[path].astype(float)
        if np.linalg.det(x[1:] - x[0]) < 0:
            path[1], path[2] = path[2], path[1]
        tets.append(path)
    return np.array(tets)


_KUHN = _kuhn_tets()


def _box_faces(g: np.ndarray) -> dict[str, np.ndarray]:
    """Outward quad4 faces of a node grid ``g[k, j, i]``.

    Each quad starts at its lowest corner and has its highest corner third, so splitting it
    along ``q0-q2`` matches the Kuhn tets.
    """
    out = {}
    # (name, axis of the grid array fixed, index, reverse) -- grid axes are (k, j, i) = (z, y, x)
    for name, axis, idx, cyc in (("xmin", 2, 0, ("j", "k")), ("xmax", 2, -1, ("j", "k")),
                                 ("ymin", 1, 0, ("k", "i")), ("ymax", 1, -1, ("k", "i")),
                                 ("zmin", 0, 0, ("i", "j")), ("zmax", 0, -1, ("i", "j"))):
        face = np.take(g, idx, axis=axis)                 # 2D array over the remaining axes
        rem = [a for a in ("k", "j", "i") if a != "kji"[axis]]
        # order the face array as [c, b] so that b varies fastest: b = cyc[0], c = cyc[1]
        if rem.index(cyc[0]) < rem.index(cyc[1]):
            face = face.T
        f00, f10 = face[:-1, :-1], face[:-1, 1:]
        f11, f01 = face[1:, 1:], face[1:, :-1]
        q = np.stack([f00, f10, f11, f01], axis=-1).reshape(-1, 4)  # normal e_b x e_c = +axis
        if idx == 0:
            q = q[:, [0, 3, 2, 1]]
        out[name] = q
    return out


def box(lx: float, ly: float, lz: float, nx: int, ny: int, nz: int, *, cell: str = "hex8",
        origin=(0.0, 0.0, 0.0)) -> Mesh:
    """An ``lx`` x ``ly`` x ``lz`` (m) box of ``nx`` x ``ny`` x ``nz`` hexahedra.

    ``cell="tet4"`` splits every hex into 6 tets around its main diagonal (conforming).
    Positive volumes. Boundaries ``xmin xmax ymin ymax zmin zmax`` (quad4 faces for hex8,
    tri3 for tet4, outward normals) and ``all``; region ``domain``.
    """
    if cell not in ("hex8", "tet4"):
        raise MeshError(f"box cell: {cell!r} is not one of 'hex8', 'tet4'")
    lengths = [_positive_length(v, f"box {w}") for v, w in ((lx, "lx"), (ly, "ly"), (lz, "lz"))]
    counts = [_count(v, f"box {w}") for v, w in ((nx, "nx"), (ny, "ny"), (nz, "nz"))]
    o = _vector(origin, 3, "box origin")
    nx, ny, nz = counts
    g = np.arange((nx + 1) * (ny + 1) * (nz + 1), dtype=_I32).reshape(nz + 1, ny + 1, nx + 1)
    k, j, i = np.meshgrid(np.arange(nz + 1), np.arange(ny + 1), np.arange(nx + 1), indexing="ij")
    pts = np.stack([i.ravel() * (lengths[0] / nx), j.ravel() * (lengths[1] / ny),
                    k.ravel() * (lengths[2] / nz)], axis=1) + o
    corners = [g[dk:nz + dk, dj:ny + dj, di:nx + di] for di, dj, dk in _HEX_CORNERS]
    hexes = np.stack(corners, axis=-1).reshape(-1, 8)
    faces = _box_faces(g)
    if cell == "hex8":
        cells, ftype = hexes, "quad4"
    else:
        cells = hexes[:, _KUHN].reshape(-1, 4)
        faces = {n: q[:, [0, 1, 2, 0, 2, 3]].reshape(-1, 3) for n, q in faces.items()}
        ftype = "tri3"
    bnd = {n: Boundary(f, ftype) for n, f in faces.items()}
    bnd["all"] = Boundary(np.concatenate(list(faces.values())), ftype)
    return Mesh(pts, cells, cell, _domain(cells.shape[0]), bnd)


def grid_shell(xs: np.ndarray, ys: np.ndarray, origin=(0.0, 0.0, 0.0)) -> Mesh:
    """Quad shell on the tensor grid ``xs × ys`` (m) in the plane z = origin[2]."""
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    pts = np.stack([X.ravel(), Y.ravel(), np.zeros(X.size)], axis=1) + np.asarray(origin, float)
    nx, ny = len(xs) - 1, len(ys) - 1
    idx = np.arange(len(xs) * len(ys)).reshape(len(xs), len(ys))
    q = np.stack([idx[:-1, :-1], idx[1:, :-1], idx[1:, 1:], idx[:-1, 1:]], axis=-1)
    return Mesh(pts, q.reshape(-1, 4), "quad4", {"domain": np.arange(nx * ny)})


# --------------------------------------------------------------------------- quadratic cells
_QUADRATIC = {"tri3": "tri6", "quad4": "quad8", "tet4": "tet10", "hex8": "hex20",
              "line2": "line3", "vertex": "vertex"}


def _edge_table(cell_type: str):
    from thermosat.fem.elements import HEX20_EDGES, QUAD8_EDGES, TET10_EDGES

    return {"line2": ((0, 1),), "tri3": ((0, 1), (1, 2), (2, 0)), "quad4": QUAD8_EDGES,
            "tet4": TET10_EDGES, "hex8": HEX20_EDGES, "vertex": ()}[cell_type]


def quadratic(mesh: Mesh, mapping=None) -> Mesh:
    """The quadratic version of a linear mesh: a node added at the middle of every edge.

    tri3 → tri6, quad4 → quad8, tet4 → tet10, hex8 → hex20 (serendipity), with boundaries
    converted alike (line2 → line3, tri3 → tri6, quad4 → quad8) and regions kept.
    ``mapping`` (a function of the ``(n, 3)`` points returning ``(n, 3)`` points, m) is then
    applied to every node, mid-edge nodes included: mapping a box onto a curved body (a
    shell sector, say) gives isoparametric cells whose mid-edge nodes lie on the curved
    walls.
    """
    if mesh.cell_type not in ("tri3", "quad4", "tet4", "hex8"):
        raise MeshError(f"quadratic: cell type {mesh.cell_type!r} is not one of 'tri3', "
                        f"'quad4', 'tet4', 'hex8'")
    n = mesh.n_points
    edges = np.array(_edge_table(mesh.cell_type))
    pairs = np.sort(mesh.cells[:, edges].astype(np.int64), axis=2)    # (ne, nedge, 2)
    keys = pairs[..., 0] * n + pairs[..., 1]
    uniq, inverse = np.unique(keys.ravel(), return_inverse=True)
    a, b = uniq // n, uniq % n
    pts = np.vstack([mesh.points, 0.5 * (mesh.points[a] + mesh.points[b])])
    cells = np.hstack([mesh.cells, n + inverse.reshape(keys.shape)]).astype(_I32)

    def mids(rows: np.ndarray, ftype: str) -> np.ndarray:
        fe = np.array(_edge_table(ftype))
        if fe.size == 0:
            return rows
        fp = np.sort(rows[:, fe].astype(np.int64), axis=2)
        fk = fp[..., 0] * n + fp[..., 1]
        pos = np.searchsorted(uniq, fk)
        if np.any(pos >= uniq.size) or np.any(uniq[np.minimum(pos, uniq.size - 1)] != fk):
            raise MeshError("quadratic: a boundary facet edge is not an edge of any cell")
        return np.hstack([rows, n + pos]).astype(_I32)

    bnd = {name: Boundary(mids(bd.facets, bd.facet_type), _QUADRATIC[bd.facet_type])
           for name, bd in mesh.boundaries.items()}
    if mapping is not None:
        pts = np.asarray(mapping(pts), float)
        if pts.shape != (n + uniq.size, 3):
            raise MeshError(f"quadratic mapping: must return an ({n + uniq.size}, 3) array, got "
                            f"shape {pts.shape}")
    return Mesh(pts, cells, _QUADRATIC[mesh.cell_type], mesh.cell_regions, bnd)
