"""Write the malformed-mesh corpus of ``tests/bad_meshes/`` deterministically.

    python tests/bad_meshes/make_corpus.py            # rewrite the files beside this script
    python tests/bad_meshes/make_corpus.py OUT_DIR    # write them elsewhere

Every file is written by hand-rolled writers (Gmsh 2.2 ASCII and binary, legacy VTK ASCII,
VTU ASCII), not meshio's, so the bytes depend on nothing but this script; the test suite
checks that a rerun reproduces the committed files byte for byte. ``EXPECT.toml`` is written
from the same table: per file, the ``thermosat mesh check`` arguments, the words that name the
node / cell / field at fault (``names``) and the words that say what is allowed
(``allowed``); each must appear in the one-line error.

The defects are those of meshes exported from CAD or edited by hand: NaN / infinite
coordinates, inverted and degenerate cells, a node repeated in a cell, node indices out of
range, missing or empty named regions and boundaries, mixed cell types and dimensions, empty,
truncated and garbage files, a 2D mesh where 3D is needed, unsupported cell types and formats.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------- writers
_GMSH_TYPE = {"line2": 1, "tri3": 2, "quad4": 3, "tet4": 4, "hex8": 5, "wedge": 6,
              "line3": 8, "tri6": 9, "vertex": 15}
_VTK_TYPE = {"vertex": 1, "line2": 3, "tri3": 5, "quad4": 9, "tet4": 10, "hex8": 12,
             "wedge": 13}


def _num(v) -> str:
    """Coordinates as text: shortest round-trip repr; nan / inf spelled as C's printf does."""
    if isinstance(v, str):
        return v
    v = float(v)
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def gmsh22(nodes, elements, names=()) -> str:
    """Gmsh 2.2 ASCII. ``elements``: (type, physical tag, [0-based nodes]); ``names``:
    (dim, tag, name)."""
    out = ["$MeshFormat", "2.2 0 8", "$EndMeshFormat"]
    if names:
        out += ["$PhysicalNames", str(len(names))]
        out += [f'{d} {t} "{n}"' for d, t, n in names]
        out.append("$EndPhysicalNames")
    out += ["$Nodes", str(len(nodes))]
    out += [f"{i + 1} " + " ".join(_num(c) for c in p) for i, p in enumerate(nodes)]
    out += ["$EndNodes", "$Elements", str(len(elements))]
    for k, (ctype, tag, conn) in enumerate(elements):
        out.append(f"{k + 1} {_GMSH_TYPE[ctype]} 2 {tag} {tag} "
                   + " ".join(str(n + 1) for n in conn))
    out.append("$EndElements")
    return "\n".join(out) + "\n"


def gmsh22_binary(nodes, elements) -> bytes:
    """Gmsh 2.2 binary (little endian), no physical names; ``elements`` as in :func:`gmsh22`."""
    b = b"$MeshFormat\n2.2 1 8\n" + struct.pack("<i", 1) + b"\n$EndMeshFormat\n"
    b += b"$Nodes\n" + f"{len(nodes)}\n".encode()
    for i, p in enumerate(nodes):
        b += struct.pack("<i3d", i + 1, *map(float, p))
    b += b"\n$EndNodes\n$Elements\n" + f"{len(elements)}\n".encode()
    for k, (ctype, tag, conn) in enumerate(elements):  # one header per element
        b += struct.pack("<3i", _GMSH_TYPE[ctype], 1, 2)
        b += struct.pack(f"<{3 + len(conn)}i", k + 1, tag, tag, *(n + 1 for n in conn))
    b += b"\n$EndElements\n"
    return b


def abaqus(nodes, cells, elset="block") -> str:
    """Abaqus .inp with one element set. ``cells``: (type, [0-based nodes])."""
    etype = {"tet4": "C3D4", "hex8": "C3D8", "tri3": "S3", "quad4": "S4"}
    out = ["*HEADING", "thermosat bad-mesh corpus", "*NODE"]
    out += [f"{i + 1}, " + ", ".join(_num(c) for c in p) for i, p in enumerate(nodes)]
    out.append(f"*ELEMENT, TYPE={etype[cells[0][0]]}, ELSET={elset}")
    out += [f"{k + 1}, " + ", ".join(str(n + 1) for n in c) for k, (_, c) in enumerate(cells)]
    return "\n".join(out) + "\n"


def vtk_legacy(nodes, cells) -> str:
    """Legacy VTK ASCII unstructured grid. ``cells``: (type, [0-based nodes])."""
    out = ["# vtk DataFile Version 4.2", "thermosat bad-mesh corpus", "ASCII",
           "DATASET UNSTRUCTURED_GRID", f"POINTS {len(nodes)} double"]
    out += [" ".join(_num(c) for c in p) for p in nodes]
    size = sum(len(c) + 1 for _, c in cells)
    out.append(f"CELLS {len(cells)} {size}")
    out += [f"{len(c)} " + " ".join(str(n) for n in c) for _, c in cells]
    out.append(f"CELL_TYPES {len(cells)}")
    out += [str(_VTK_TYPE[t]) for t, _ in cells]
    return "\n".join(out) + "\n"


def vtu(nodes, cells, cell_data=None) -> str:
    """VTU (XML) ASCII. ``cells``: (type, [0-based nodes]); ``cell_data``: name -> ints."""
    pts = " ".join(_num(c) for p in nodes for c in p)
    conn = " ".join(str(n) for _, c in cells for n in c)
    offs, o = [], 0
    for _, c in cells:
        o += len(c)
        offs.append(str(o))
    types = " ".join(str(_VTK_TYPE[t]) for t, _ in cells)
    out = ['<?xml version="1.0"?>',
           '<VTKFile type="UnstructuredGrid" version="0.1" byte_order="LittleEndian">',
           "<UnstructuredGrid>",
           f'<Piece NumberOfPoints="{len(nodes)}" NumberOfCells="{len(cells)}">',
           "<Points>",
           f'<DataArray type="Float64" NumberOfComponents="3" format="ascii">{pts}</DataArray>',
           "</Points>", "<Cells>",
           f'<DataArray type="Int64" Name="connectivity" format="ascii">{conn}</DataArray>',
           f'<DataArray type="Int64" Name="offsets" format="ascii">{" ".join(offs)}'
           f"</DataArray>",
           f'<DataArray type="UInt8" Name="types" format="ascii">{types}</DataArray>',
           "</Cells>"]
    if cell_data:
        out.append("<CellData>")
        for name, vals in cell_data.items():
            out.append(f'<DataArray type="Int32" Name="{name}" format="ascii">'
                       + " ".join(str(v) for v in vals) + "</DataArray>")
        out.append("</CellData>")
    out += ["</Piece>", "</UnstructuredGrid>", "</VTKFile>"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- base geometry
def grid_points(nx: int, ny: int, lx: float = 1.0, ly: float = 1.0):
    return [[lx * i / nx, ly * j / ny, 0.0] for j in range(ny + 1) for i in range(nx + 1)]


def grid_quads(nx: int, ny: int):
    n = lambda i, j: j * (nx + 1) + i  # noqa: E731
    return [[n(i, j), n(i + 1, j), n(i + 1, j + 1), n(i, j + 1)]
            for j in range(ny) for i in range(nx)]


def grid_tris(nx: int, ny: int):
    out = []
    for a, b, c, d in grid_quads(nx, ny):
        out += [[a, b, c], [a, c, d]]
    return out


def grid_edges(nx: int, ny: int, side: str):
    n = lambda i, j: j * (nx + 1) + i  # noqa: E731
    if side == "left":
        return [[n(0, j + 1), n(0, j)] for j in range(ny)]
    if side == "right":
        return [[n(nx, j), n(nx, j + 1)] for j in range(ny)]
    if side == "bottom":
        return [[n(i, 0), n(i + 1, 0)] for i in range(nx)]
    return [[n(i + 1, ny), n(i, ny)] for i in range(nx)]


def cube_points():
    return [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1],
            [0, 1, 1]]


def two_hexes():
    """Two unit hexes side by side along x (VTK node order), 12 nodes."""
    pts = [[x, y, z] for z in (0, 1) for y in (0, 1) for x in (0, 1, 2)]
    n = lambda x, y, z: z * 6 + y * 3 + x  # noqa: E731
    hexes = [[n(i, 0, 0), n(i + 1, 0, 0), n(i + 1, 1, 0), n(i, 1, 0),
              n(i, 0, 1), n(i + 1, 0, 1), n(i + 1, 1, 1), n(i, 1, 1)] for i in (0, 1)]
    return [[float(c) for c in p] for p in pts], hexes


#: the unit cube as six positive tets (Kuhn split along the 0-6 diagonal)
CUBE_TETS = [[0, 1, 2, 6], [0, 2, 3, 6], [0, 3, 7, 6], [0, 7, 4, 6], [0, 4, 5, 6],
             [0, 5, 1, 6]]


def _tet_vol(p, t):
    a, b, c, d = (p[i] for i in t)
    u = [b[k] - a[k] for k in range(3)]
    v = [c[k] - a[k] for k in range(3)]
    w = [d[k] - a[k] for k in range(3)]
    return (u[0] * (v[1] * w[2] - v[2] * w[1]) - u[1] * (v[0] * w[2] - v[2] * w[0])
            + u[2] * (v[0] * w[1] - v[1] * w[0])) / 6


def _positive_tets(p):
    return [t if _tet_vol(p, t) > 0 else [t[0], t[2], t[1], t[3]] for t in CUBE_TETS]


def panel_gmsh(nx=4, ny=2, *, tweak=None, extra=(), names_extra=()):
    """A 2 m × 1 m quad panel with regions 'cells' (left half), 'radiator' (right half) and
    boundaries 'left', 'right'; ``tweak(points, quads)`` edits it in place."""
    pts = grid_points(nx, ny, 2.0, 1.0)
    quads = grid_quads(nx, ny)
    if tweak:
        tweak(pts, quads)
    els = [("quad4", 1 if (k % nx) < nx // 2 else 2, q) for k, q in enumerate(quads)]
    els += [("line2", 3, e) for e in grid_edges(nx, ny, "left")]
    els += [("line2", 4, e) for e in grid_edges(nx, ny, "right")]
    els += list(extra)
    names = [(2, 1, "cells"), (2, 2, "radiator"), (1, 3, "left"), (1, 4, "right")]
    return gmsh22(pts, els, names + list(names_extra))


# --------------------------------------------------------------------------- the corpus
def _nan_node(pts, quads):
    pts[6][1] = float("nan")


def _inf_node(pts, quads):
    pts[3][0] = float("inf")


def _overflow_node(pts, quads):
    pts[7][2] = "1e999"  # overflows a double: inf when read


def _flip_quad(pts, quads):
    quads[5] = quads[5][::-1]


def _bowtie(pts, quads):
    q = quads[2]
    quads[2] = [q[0], q[2], q[1], q[3]]


def _nonconvex(pts, quads):
    # push the shared corner of cells 0, 1, 4, 5 far past the diagonal of cell 0
    pts[6] = [0.05, 0.05, 0.0]


def _repeat_node(pts, quads):
    quads[3][2] = quads[3][0]


def _collapse(pts, quads):
    # nodes 1 and 6 onto node 0: cell 0 collapses to a sliver of zero area
    pts[1] = list(pts[0])
    pts[6] = list(pts[5])


def _tri_panel(mutate=None, *, region_names=True):
    pts = grid_points(3, 2, 3.0, 2.0)
    tris = grid_tris(3, 2)
    if mutate:
        mutate(pts, tris)
    els = [("tri3", 1, t) for t in tris] + [("line2", 2, e) for e in grid_edges(3, 2, "left")]
    names = [(2, 1, "plate"), (1, 2, "left")] if region_names else []
    return gmsh22(pts, els, names)


def _flip_tri(pts, tris):
    a, b, c = tris[4]
    tris[4] = [a, c, b]


def _collinear_tri(pts, tris):
    pts.append([0.5, 0.0, 0.0])     # midpoint of the bottom edge 0-1: no new area
    tris.append([0, 12, 1])


def _bar(mutate=None):
    pts = [[0.01 * i, 0.0, 0.0] for i in range(6)]
    lines = [[i, i + 1] for i in range(5)]
    if mutate:
        mutate(pts, lines)
    els = [("line2", 1, ln) for ln in lines] + [("vertex", 2, [0]), ("vertex", 3, [5])]
    return gmsh22(pts, els, [(1, 1, "bar"), (0, 2, "A"), (0, 3, "B")])


def _zero_length(pts, lines):
    pts[3] = list(pts[2])


def _tet_box(mutate=None):
    p = [list(map(float, q)) for q in cube_points()]
    tets = _positive_tets(p)
    if mutate:
        mutate(p, tets)
    return p, tets


def _inverted_tet(p, tets):
    t = tets[2]
    tets[2] = [t[0], t[2], t[1], t[3]]


def _flat_tet(p, tets):
    p.append([0.5, 0.5, 0.0])                   # in the plane of nodes 0, 1, 2
    tets.append([0, 1, 2, 8])


def _hex_pair(mutate=None):
    p, h = two_hexes()
    if mutate:
        mutate(p, h)
    return p, h


def _inverted_hex(p, h):
    h[1] = h[1][4:] + h[1][:4]                   # top and bottom faces swapped


def _stacked_hexes():
    """Two unit hexes stacked along z; the upper one squashed to zero height."""
    pts = [[float(x), float(y), float(min(z, 1))] for z in (0, 1, 2) for y in (0, 1)
           for x in (0, 1)]
    n = lambda x, y, z: z * 4 + y * 2 + x  # noqa: E731
    hexes = [[n(0, 0, k), n(1, 0, k), n(1, 1, k), n(0, 1, k),
              n(0, 0, k + 1), n(1, 0, k + 1), n(1, 1, k + 1), n(0, 1, k + 1)] for k in (0, 1)]
    return pts, hexes


def _truncate(text: str, frac: float, after: str = "") -> str:
    """``text`` cut at ``frac`` of the way from ``after`` (or the start) to the end."""
    start = text.index(after) if after else 0
    return text[: start + int((len(text) - start) * frac)]


def corpus() -> list[dict]:
    """The corpus table: name, bytes, CLI args, expected words."""
    good_panel = panel_gmsh()
    tet_p, tet_c = _tet_box()
    hex_p, hex_c = _hex_pair()
    items = [
        # ---- coordinates
        dict(name="nan_coordinate.msh", data=panel_gmsh(tweak=_nan_node),
             names=["node 6", "non-finite"], allowed=["must be finite numbers"],
             what="NaN coordinate in a Gmsh file"),
        dict(name="inf_coordinate.vtk", data=vtk_legacy(
            [[0, 0, 0], [1, 0, 0], [1, 1, 0], ["inf", 1, 0]], [("quad4", [0, 1, 2, 3])]),
             names=["node 3", "inf"], allowed=["must be finite numbers"],
             what="infinite coordinate in a legacy VTK file"),
        dict(name="nan_coordinate_binary.msh", data=gmsh22_binary(
            [p if i != 4 else [float("nan"), 0.0, 1.0] for i, p in enumerate(hex_p)],
            [("hex8", 1, h) for h in hex_c]),
             names=["node 4", "nan"], allowed=["must be finite numbers"],
             what="NaN coordinate in a binary Gmsh hex mesh"),
        dict(name="overflow_coordinate.msh", data=panel_gmsh(tweak=_overflow_node),
             names=["node 7", "non-finite"], allowed=["must be finite numbers"],
             what="coordinate 1e999 (overflows to inf)"),
        dict(name="nan_coordinate_tet.vtu", data=vtu(
            [p if i != 5 else [1.0, "NaN", 1.0] for i, p in enumerate(tet_p)],
            [("tet4", t) for t in tet_c]),
             names=["node 5", "nan"], allowed=["must be finite numbers"],
             what="NaN coordinate in a VTU tet mesh"),
        # ---- inverted cells
        dict(name="inverted_quad.msh", data=panel_gmsh(tweak=_flip_quad),
             names=["cell 5", "quad4", "inverted"], allowed=["counter-clockwise"],
             what="one quad with reversed node order in a planar mesh"),
        dict(name="inverted_triangle.msh", data=_tri_panel(_flip_tri),
             names=["cell 4", "tri3", "inverted"], allowed=["counter-clockwise"],
             what="one triangle with reversed node order"),
        dict(name="inverted_tet.vtu", data=vtu(*_tet_box(_inverted_tet)[:1],
                                               [("tet4", t) for t in _tet_box(_inverted_tet)[1]]),
             names=["cell 2", "tet4", "inverted"], allowed=["positive volume"],
             what="tet with negative volume"),
        dict(name="inverted_tet.inp", data=abaqus(
            _tet_box(_inverted_tet)[0], [("tet4", t) for t in _tet_box(_inverted_tet)[1]]),
             names=["cell 2", "tet4", "inverted"], allowed=["positive volume"],
             what="Abaqus export with a tet of negative volume"),
        dict(name="inverted_hex.vtk", data=vtk_legacy(
            _hex_pair(_inverted_hex)[0], [("hex8", h) for h in _hex_pair(_inverted_hex)[1]]),
             names=["cell 1", "hex8", "inverted"], allowed=["positive volume"],
             what="hex with top and bottom faces swapped"),
        dict(name="nonconvex_quad.msh", data=panel_gmsh(tweak=_nonconvex),
             names=["cell 0", "quad4", "inverted"], allowed=["counter-clockwise"],
             what="a node dragged across a quad's diagonal (folded cell)"),
        dict(name="twisted_quad_shell.vtu", data=vtu(
            [[0, 0, 0], [3, 3, 3], [3, 0, 3], [0, 1, 0]], [("quad4", [0, 1, 2, 3])]),
             names=["cell 0", "self-intersecting"], allowed=["boundary order"],
             what="bow-tie quad in a 3D shell"),
        dict(name="bowtie_quad.msh", data=panel_gmsh(tweak=_bowtie),
             names=["cell 2", "quad4", "degenerate"], allowed=["non-zero area"],
             what="bow-tie quad (corners out of boundary order) in a planar mesh"),
        # ---- degenerate cells
        dict(name="collinear_triangle.msh", data=_tri_panel(_collinear_tri),
             names=["cell 12", "degenerate", "area 0"], allowed=["non-zero area"],
             what="sliver triangle with three collinear nodes"),
        dict(name="collapsed_quad.msh", data=panel_gmsh(tweak=_collapse),
             names=["cell 0", "degenerate"], allowed=["non-zero area"],
             what="quad with two edges collapsed to a line"),
        dict(name="zero_length_bar.msh", data=_bar(_zero_length),
             names=["cell 2", "line2", "degenerate", "length 0"], allowed=["non-zero length"],
             what="bar element with coincident end nodes"),
        dict(name="flat_tet.vtk", data=vtk_legacy(
            _tet_box(_flat_tet)[0], [("tet4", t) for t in _tet_box(_flat_tet)[1]]),
             names=["cell 6", "tet4", "degenerate", "volume"], allowed=["non-zero volume"],
             what="tet with four coplanar nodes"),
        dict(name="squashed_hex.msh", data=gmsh22(
            _stacked_hexes()[0], [("hex8", 1, h) for h in _stacked_hexes()[1]],
            [(3, 1, "block")]),
             names=["cell 1", "hex8", "degenerate"], allowed=["non-zero volume"],
             what="hex squashed to zero height"),
        dict(name="repeated_node.msh", data=panel_gmsh(tweak=_repeat_node),
             names=["cell 3", "more than once"], allowed=["must be distinct"],
             what="quad using one node twice (collapsed in CAD)"),
        # ---- topology / indices
        dict(name="node_index_out_of_range.vtk", data=vtk_legacy(
            [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], [("tri3", [0, 1, 2]),
                                                           ("tri3", [0, 2, 9])]),
             names=["node 9", "4 nodes"], allowed=["must be in 0..3"],
             what="cell referencing a node that does not exist"),
        dict(name="negative_node_index.vtk", data=vtk_legacy(
            [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], [("tri3", [0, 1, 2]),
                                                           ("tri3", [0, 2, -1])]),
             names=["node -1"], allowed=["must be in 0..3"],
             what="cell with a negative node index"),
        dict(name="short_element.msh", data=panel_gmsh().replace(
            "\n2 3 2 1 1 2 3 8 7\n", "\n2 3 2 1 1 2 3 8\n"),
             names=["element 2", "line 32", "quad"], allowed=["needs 9"],
             what="hand-edited Gmsh element line with a node missing"),
        dict(name="boundary_not_a_face.msh", data=panel_gmsh(
            extra=[("line2", 5, [0, 6])], names_extra=[(1, 5, "cut")]),
             names=["boundary 'cut'", "facet 0"], allowed=["faces of the mesh"],
             what="named line that runs across a cell (a diagonal), not along its edges"),
        # ---- names
        dict(name="missing_region.msh", data=good_panel, args=["--regions", "cells,pv"],
             names=["region 'pv'", "does not exist"], allowed=["known regions", "'cells'",
                                                               "'radiator'"],
             what="a model needs region 'pv'; the file has 'cells' and 'radiator'"),
        dict(name="missing_boundary.msh", data=good_panel, args=["--boundaries", "inlet"],
             names=["boundary 'inlet'", "does not exist"],
             allowed=["known boundaries", "'left'"],
             what="a model needs boundary 'inlet'"),
        dict(name="empty_region.msh", data=panel_gmsh(names_extra=[(2, 9, "spare")]),
             args=["--regions", "spare"], names=["region 'spare'", "no cells"],
             allowed=["must contain cells"],
             what="a physical group named in the file with no cells"),
        dict(name="unnamed_groups.vtu", data=vtu(
            grid_points(2, 1), [("quad4", q) for q in grid_quads(2, 1)]),
             args=["--regions", "radiator"], names=["region 'radiator'", "does not exist"],
             allowed=["known regions", "none"],
             what="CAD export that lost every name"),
        # ---- cell types and dimensions
        dict(name="mixed_tri_quad.msh", data=gmsh22(
            [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [2, 0, 0], [2, 1, 0]],
            [("tri3", 1, [0, 1, 2]), ("tri3", 1, [0, 2, 3]), ("quad4", 1, [1, 4, 5, 2])],
            [(2, 1, "plate")]),
             names=["several 2D cell types", "quad", "triangle"],
             allowed=["one domain cell type"], what="triangles and quads in one surface"),
        dict(name="mixed_tet_hex.vtu", data=vtu(
            hex_p + [[3.0, 0.0, 0.0]], [("hex8", hex_c[0]), ("hex8", hex_c[1]),
                                        ("tet4", [2, 12, 5, 8])]),
             names=["several 3D cell types", "hexahedron", "tetra"],
             allowed=["one domain cell type"], what="hexes and a tet in one volume"),
        dict(name="mixed_dims_stray_surface.msh", data=gmsh22(
            tet_p + [[3.0, 0.0, 0.0]],
            [("tet4", 1, t) for t in tet_c] + [("tri3", 2, [1, 8, 2])],
            [(3, 1, "block"), (2, 2, "fin")]),
             names=["boundary 'fin'", "node 8"], allowed=["must be nodes of the domain"],
             what="volume mesh with a named surface sheet sticking out of it"),
        dict(name="surface_where_volume_needed.msh", data=_tri_panel(),
             args=["--require-dim", "3"], names=["tri3", "2D"], allowed=["needs a 3D mesh"],
             what="a 2D panel mesh given where a 3D package mesh is needed"),
        dict(name="bar_where_surface_needed.msh", data=_bar(), args=["--require-dim", "2"],
             names=["line2", "1D"], allowed=["needs a 2D mesh"],
             what="a 1D mesh given where a shell is needed"),
        dict(name="points_only.vtk", data=vtk_legacy(
            [[0, 0, 0], [1, 0, 0], [1, 1, 0]], [("vertex", [0]), ("vertex", [1]),
                                                ("vertex", [2])]),
             names=["no cells of dimension 1 to 3", "vertex"], allowed=["expected line"],
             what="a point cloud, no cells"),
        dict(name="wedge_cells.vtu", data=vtu(
            [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 1]],
            [("wedge", [0, 1, 2, 3, 4, 5])]),
             names=["'wedge'", "not supported"], allowed=["supported:", "tetra", "hexahedron"],
             what="prism cells from a boundary-layer mesher"),
        # ---- files
        dict(name="empty.msh", data="", names=["empty"], allowed=["nodes and cells"],
             what="zero-byte file"),
        dict(name="empty.vtu", data="", names=["empty"], allowed=["nodes and cells"],
             what="zero-byte VTU"),
        dict(name="truncated.msh", data=_truncate(good_panel, 0.5, "$Elements"),
             names=["element 6", "truncated"], allowed=["complete"],
             what="Gmsh file cut in the middle of the element list"),
        dict(name="truncated_nodes.msh", data=_truncate(good_panel, 0.5, "$Nodes\n"),
             names=["cannot read"], allowed=["complete"],
             what="Gmsh file cut inside the node list"),
        dict(name="truncated.vtu", data=_truncate(vtu(tet_p, [("tet4", t) for t in tet_c]),
                                                   0.6),
             names=["cannot read"], allowed=["complete"], what="VTU cut mid-file"),
        dict(name="truncated_binary.msh", data=gmsh22_binary(
            hex_p, [("hex8", 1, h) for h in hex_c])[:-60],
             names=["cannot read"], allowed=["complete"],
             what="binary Gmsh file cut before the end of its elements"),
        dict(name="garbage.msh", data="solid part\n  facet normal 0 0 1\nendsolid\n",
             names=["cannot read"], allowed=["complete"],
             what="an STL saved with a .msh extension"),
        dict(name="cad_export.step", data="ISO-10303-21;\nHEADER;\nENDSEC;\nEND-ISO-10303-21;\n",
             names=["unknown mesh file extension", "'.step'"], allowed=["known:", ".msh"],
             what="CAD geometry (STEP) instead of a mesh"),
    ]
    for it in items:
        it.setdefault("args", [])
    return items


def write(out_dir: Path = HERE) -> list[Path]:
    import tomli_w

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    expect = {}
    for it in corpus():
        p = out_dir / it["name"]
        data = it["data"]
        p.write_bytes(data if isinstance(data, bytes) else data.encode())
        written.append(p)
        expect[it["name"]] = {"what": it["what"], "args": it["args"], "names": it["names"],
                              "allowed": it["allowed"]}
    header = ("# Expected refusal of each file of tests/bad_meshes/ (written by make_corpus.py;"
              " do not edit).\n# `thermosat mesh check FILE *args` exits 2 with one line on "
              "stderr holding every word\n# of `names` (the node / cell / field at fault) and "
              "of `allowed` (what is allowed).\n\n")
    (out_dir / "EXPECT.toml").write_text(header + tomli_w.dumps(expect))
    written.append(out_dir / "EXPECT.toml")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in write(target):
        print(path)
