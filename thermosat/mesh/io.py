"""Reading and writing meshes through meshio, keeping named regions and boundaries.

Reading (:func:`read_mesh`)
    Every format meshio knows. The domain is the cell type of highest dimension (or the
    ``cell_type`` asked for); lower-dimensional cells that carry a name become boundaries.
    Names come from Gmsh physical groups (``gmsh:physical`` cell data + ``field_data``), from
    meshio ``cell_sets`` and from the ``region:<name>`` / ``boundary:<name>`` cell data written
    by :func:`write_mesh`. Each name is read from one of these sources only (cell data, then
    cell sets, then physical tags): meshio gives a Gmsh 4.1 physical group both as tags and
    as a cell set, and merging the two listed every facet twice. Nothing is de-duplicated
    silently: a facet (cell) listed twice in one boundary (region) of the file fails the
    mesh check. Only nodes used by domain cells are kept. Every failure (missing,
    empty, truncated or corrupt file, unknown extension, unsupported cell type, several domain
    cell types) is a one-line :class:`~thermosat.common.errors.MeshError` naming the file.

Writing (:func:`write_mesh`)
    ``.msh`` is written as Gmsh 2.2 (ASCII by default) with one physical group per region and
    boundary (cells in several regions are repeated, as Gmsh does; boundaries whose facets are
    cells, e.g. shell ``front`` / ``back``, or whose name is also a region name, are stored as
    physical groups named ``boundary:<name>``). Other formats get cell data:
    ``thermosat:kind`` (0 domain cell, 1 boundary facet), ``region_id`` (1 + index of the
    first region holding the cell, for viewing) and one 0/1 array per region
    (``region:<name>``) and boundary (``boundary:<name>``), names percent-encoded; Abaqus
    ``.inp`` gets element sets instead. Writes are atomic (temporary file + ``os.replace``).
"""
from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from urllib.parse import quote, unquote

import meshio
import numpy as np

from thermosat.common.errors import MeshError, one_line
from thermosat.common.atomic import atomic_path
from thermosat.mesh.checks import check_mesh
from thermosat.mesh.core import CELL_DIM, CELL_NODES, FACET_TYPE, Boundary, Mesh

__all__ = ["CELL_TO_MESHIO", "MESHIO_TO_CELL", "mesh_formats", "read_mesh", "write_mesh"]

#: meshio cell type name -> thermosat cell type
MESHIO_TO_CELL = {"vertex": "vertex", "line": "line2", "line3": "line3", "triangle": "tri3",
                  "triangle6": "tri6", "quad": "quad4", "tetra": "tet4", "hexahedron": "hex8",
                  "quad8": "quad8", "tetra10": "tet10", "hexahedron20": "hex20"}
#: thermosat cell type -> meshio cell type name
CELL_TO_MESHIO = {v: k for k, v in MESHIO_TO_CELL.items()}

# topological dimension of meshio types we do not support (for clear error messages)
_OTHER_DIM = {"line4": 1, "polygon": 2, "triangle7": 2, "triangle10": 2,
              "quad9": 2, "hexahedron24": 3,
              "hexahedron27": 3, "wedge": 3, "wedge12": 3, "wedge15": 3, "pyramid": 3,
              "pyramid13": 3, "pyramid14": 3, "polyhedron": 3}

_KIND = "thermosat:kind"
_REGION_ID = "region_id"
_REG = "region:"
_BND = "boundary:"
_PHYS, _GEOM = "gmsh:physical", "gmsh:geometrical"
_GMSH_WRITERS = ("gmsh22", "gmsh")
_SET_WRITERS = ("abaqus",)  # formats that keep cell sets but no cell data
_BINARY_WRITERS = ("gmsh22", "gmsh", "vtu", "vtk", "vtk42", "vtk51", "ply", "stl", "ansys",
                   "flac3d", "mdpa")


# --------------------------------------------------------------------------- small helpers
def _one_line(exc: BaseException) -> str:
    return one_line(exc, limit=200, empty="no details")


def _meshio_dim(mtype: str) -> int:
    if mtype in MESHIO_TO_CELL:
        return CELL_DIM[MESHIO_TO_CELL[mtype]]
    for prefix, d in (("vertex", 0), ("line", 1), ("triangle", 2), ("quad", 2),
                      ("polygon", 2), ("tetra", 3), ("hexahedron", 3), ("wedge", 3),
                      ("pyramid", 3), ("polyhedron", 3)):
        if mtype.startswith(prefix):
            return _OTHER_DIM.get(mtype, d)
    return -1


def _ours(name: str) -> str:
    """Normalise a cell type given in our or meshio's spelling."""
    if name in CELL_NODES and name != "vertex":
        return name
    if name in MESHIO_TO_CELL and name != "vertex":
        return MESHIO_TO_CELL[name]
    raise MeshError(f"cell_type {name!r} is not one of "
                    f"{sorted(k for k in CELL_NODES if k != 'vertex')}")


def mesh_formats() -> dict[str, list[str]]:
    """File extensions meshio knows, mapped to its format names."""
    return {k: list(v) for k, v in meshio.extension_to_filetypes.items()}


def _formats_for(path: Path) -> list[str]:
    suffixes = [s.lower() for s in path.suffixes]
    for i in range(len(suffixes)):
        ext = "".join(suffixes[i:])
        if ext in meshio.extension_to_filetypes:
            fmts = list(meshio.extension_to_filetypes[ext])
            if "gmsh" in fmts:  # try Gmsh before ANSYS for .msh
                fmts.remove("gmsh")
                fmts.insert(0, "gmsh")
            return fmts
    known = ", ".join(sorted(meshio.extension_to_filetypes))
    shown = path.suffix or "(none)"
    raise MeshError(f"{path}: unknown mesh file extension {shown!r}; known: {known}")


def _readers() -> dict:
    from meshio import _helpers  # meshio keeps its reader table private

    return _helpers.reader_map


# --------------------------------------------------------------------------- reading
def _meshio_read(path: Path, formats: list[str]) -> meshio.Mesh:
    readers = _readers()
    first_error = None
    for fmt in formats:
        reader = readers.get(fmt)
        if reader is None:
            continue
        notes = io.StringIO()
        try:
            with contextlib.redirect_stderr(notes):  # meshio prints its warnings on stderr
                m = reader(str(path))
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - any parser failure -> MeshError
            if first_error is None:
                first_error = (fmt, exc)
            continue
        text = " ".join(notes.getvalue().split())
        if "not closed by" in text:  # a block cut short: the file is truncated
            raise MeshError(f"{path}: cannot read as a {fmt} mesh (truncated): meshio: "
                            f"{text[:200]}; expected a complete, valid {fmt} file")
        return m
    if first_error is None:
        raise MeshError(f"{path}: no meshio reader for formats {formats}")
    fmt, exc = first_error
    raise MeshError(f"{path}: cannot read as a {fmt} mesh (corrupt or truncated?): "
                    f"{_one_line(exc)}; expected a complete, valid {fmt} file")


def _check_gmsh2_ascii(path: Path) -> None:
    """Check the length of every element line of a Gmsh 2 ASCII file.

    meshio takes an element's nodes from the end of its line, so a hand-edited line that lost
    a node silently turns a tag into a node (a wrong but plausible mesh); refuse it instead.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(64).split(b"\n")
    except OSError:
        return
    fmt = head[1].split() if len(head) > 1 and head[0].strip() == b"$MeshFormat" else []
    if len(fmt) < 2 or not fmt[0].startswith(b"2") or fmt[1] != b"0":
        return
    try:
        from meshio._common import num_nodes_per_cell
        from meshio.gmsh.common import _gmsh_to_meshio_type
    except ImportError:  # pragma: no cover - meshio internals moved
        return
    in_elements, counted = False, False
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip()
            if line == b"$Elements":
                in_elements, counted = True, False
                continue
            if not in_elements or not line:
                continue
            if line == b"$EndElements":
                in_elements = False
                continue
            if not counted:
                counted = True
                continue
            try:
                vals = [int(t) for t in line.split()]
            except ValueError:
                return  # meshio reports it
            ctype = _gmsh_to_meshio_type.get(vals[1]) if len(vals) > 2 else None
            if ctype is None or ctype not in num_nodes_per_cell:
                return  # meshio reports it
            need = 3 + vals[2] + num_nodes_per_cell[ctype]
            if len(vals) != need and not raw.endswith(b"\n"):
                raise MeshError(f"{path}: the file ends inside element {vals[0]} (line "
                                f"{lineno}): truncated; expected a complete, valid gmsh file")
            if len(vals) != need:
                raise MeshError(f"{path}: element {vals[0]} (line {lineno}) has {len(vals)} "
                                f"numbers; a Gmsh {ctype} element line needs {need} (number, "
                                f"type, tag count, {vals[2]} tag(s), "
                                f"{num_nodes_per_cell[ctype]} nodes)")


class _Blocks:
    """Flattened view of a meshio mesh's cell blocks with their tags and names."""

    def __init__(self, m: meshio.Mesh, source: str):
        self.source = source
        self.types: list[str] = []
        self.data: list[np.ndarray] = []
        for blk in m.cells:
            data = np.asarray(blk.data)
            if data.ndim == 1 and data.size == 0:
                data = data.reshape(0, CELL_NODES.get(MESHIO_TO_CELL.get(blk.type, ""), 1))
            if data.ndim != 2:
                raise MeshError(f"{source}: {blk.type} cells have shape {data.shape}; "
                                f"expected (n, nodes per cell)")
            if data.size and not np.issubdtype(data.dtype, np.integer):
                raise MeshError(f"{source}: {blk.type} cell connectivity is not integer "
                                f"({data.dtype})")
            mt = MESHIO_TO_CELL.get(blk.type)
            if mt is not None and data.shape[1] != CELL_NODES[mt]:
                raise MeshError(f"{source}: {blk.type} cells have {data.shape[1]} nodes; "
                                f"expected {CELL_NODES[mt]}")
            self.types.append(blk.type)
            self.data.append(data.astype(np.int64, copy=False))
        self.cell_data = {k: [np.asarray(a).reshape(-1) for a in v]
                          for k, v in m.cell_data.items() if len(v) == len(self.data)}
        for k, arrs in self.cell_data.items():
            for a, d in zip(arrs, self.data):
                if a.shape[0] != d.shape[0]:
                    raise MeshError(f"{source}: cell data {k!r} has {a.shape[0]} values for "
                                    f"{d.shape[0]} cells")
        self.field_data = dict(m.field_data or {})
        self.cell_sets = {str(k): v for k, v in (m.cell_sets or {}).items()
                          if not str(k).startswith("gmsh:")}
        self.physical_names = self._physical_names()
        self.covered = self._covered_names()
        self.facet_mask = self._facet_masks()

    def _physical_names(self) -> dict[tuple[int, int], str]:
        names = {}
        if _PHYS not in self.cell_data:
            return names
        for name, val in self.field_data.items():
            arr = np.asarray(val).reshape(-1)
            if arr.size == 2 and np.issubdtype(arr.dtype, np.number):
                names[(int(arr[0]), int(arr[1]))] = str(name)
        return names

    def _covered_names(self) -> dict[str, dict[str, set[str]]]:
        """Per source (``sets``, ``data``) and kind, the names that source provides.

        Each name is taken from one source only, the first of: ``region:`` / ``boundary:``
        cell data, cell sets, ``gmsh:physical`` tags. Gmsh 4.1 files read by meshio describe
        every physical group twice (``gmsh:physical`` tags and ``cell_sets``); merging both
        would list each cell and facet twice. The cell sets are the complete view (the tags
        keep only the first physical group of an entity).
        """
        sets = {"region": set(), "boundary": set()}
        for name in self.cell_sets:
            if name.startswith(_BND):
                sets["boundary"].add(name[len(_BND):])
            else:
                sets["region"].add(name)
                sets["boundary"].add(name)
        data = {"region": set(), "boundary": set()}
        for key in self.cell_data:
            for kind, prefix in (("region", _REG), ("boundary", _BND)):
                if key.startswith(prefix):
                    data[kind].add(unquote(key[len(prefix):]))
        return {"sets": sets, "data": data}

    def _facet_masks(self) -> list[np.ndarray]:
        """Per block, which cells are marked as boundary facets (not domain cells)."""
        masks = [np.zeros(d.shape[0], bool) for d in self.data]
        if _KIND in self.cell_data:
            masks = [a == 1 for a in self.cell_data[_KIND]]
        if _PHYS in self.cell_data:
            for i, tags in enumerate(self.cell_data[_PHYS]):
                dim = _meshio_dim(self.types[i])
                marked = [t for (t, d), n in self.physical_names.items()
                          if d == dim and n.startswith(_BND)]
                if marked:
                    masks[i] = masks[i] | np.isin(tags, marked)
        gmsh_names = {str(k) for k in self.field_data}
        for name, per_block in self.cell_sets.items():  # Gmsh 4.1 "boundary:" groups
            if not (name.startswith(_BND) and name in gmsh_names):
                continue
            for i, idx in enumerate(per_block[:len(masks)]):
                if idx is None:
                    continue
                idx = np.asarray(idx).reshape(-1).astype(np.int64)
                idx = idx[(idx >= 0) & (idx < masks[i].size)]
                masks[i][idx] = True
        return masks

    def domain_type(self, cell_type: str | None) -> str:
        """meshio type of the domain cells."""
        present = {}
        for t, d, fm in zip(self.types, self.data, self.facet_mask):
            if d.shape[0] and not fm.all():
                present.setdefault(t, 0)
                present[t] += int((~fm).sum())
        if cell_type is not None:
            want = CELL_TO_MESHIO[_ours(cell_type)]
            if want not in present:
                raise MeshError(f"{self.source}: no {MESHIO_TO_CELL[want]} ({want}) cells in "
                                f"the file; it holds {sorted(present) or 'no cells'}")
            dim = _meshio_dim(want)
        else:
            dims = {t: _meshio_dim(t) for t in present}
            if not dims or max(dims.values()) < 1:
                raise MeshError(f"{self.source}: the file holds no cells of dimension 1 to 3 "
                                f"(found: {sorted(present) or 'none'}); expected line, "
                                f"triangle, quad, tetra or hexahedron cells")
            dim = max(dims.values())
            want = None
        same = sorted(t for t in present if _meshio_dim(t) == dim)
        if len(same) > 1:
            raise MeshError(f"{self.source}: several {dim}D cell types ({', '.join(same)}); "
                            f"thermosat supports one domain cell type per mesh")
        want = want or same[0]
        if want not in MESHIO_TO_CELL:
            raise MeshError(f"{self.source}: cell type {want!r} is not supported; supported: "
                            f"{', '.join(k for k in MESHIO_TO_CELL if k != 'vertex')}")
        return want

    def names_for(self, i: int, sel: np.ndarray, dim: int, kind: str) -> dict[str, np.ndarray]:
        """Name -> local indices (into the selected cells ``sel`` of block i).

        Each name comes from one source (see :meth:`_covered_names`), so a cell or facet is
        listed once per name however many views of it the file holds.
        """
        out: dict[str, list[np.ndarray]] = {}
        from_sets, from_data = self.covered["sets"][kind], self.covered["data"][kind]
        pos = np.full(self.data[i].shape[0], -1, np.int64)
        pos[sel] = np.arange(sel.size)
        if _PHYS in self.cell_data:
            tags = self.cell_data[_PHYS][i][sel]
            for t in np.unique(tags):
                t = int(t)
                name = self.physical_names.get((t, dim))
                if name is None:
                    if t == 0:
                        continue
                    name = str(t)
                if name.startswith(_BND):
                    if kind != "boundary":
                        continue
                    name = name[len(_BND):]
                if name in from_sets or name in from_data:
                    continue  # the same group, read from its cell set / cell data
                out.setdefault(name, []).append(np.flatnonzero(tags == t))
        for name, per_block in self.cell_sets.items():
            if i >= len(per_block) or per_block[i] is None:
                continue
            idx = np.asarray(per_block[i]).reshape(-1).astype(np.int64)
            if idx.size and (idx.min() < 0 or idx.max() >= pos.size):
                raise MeshError(f"{self.source}: cell set {name!r} references cell "
                                f"{int(idx.max())} of a block of {pos.size} cells")
            local = pos[idx]
            if name.startswith(_BND):
                if kind != "boundary":
                    continue
                name = name[len(_BND):]
            if name in from_data:
                continue
            out.setdefault(name, []).append(local[local >= 0])
        prefix = _REG if kind == "region" else _BND
        for key, arrs in self.cell_data.items():
            if key.startswith(prefix):
                out.setdefault(unquote(key[len(prefix):]), []).append(
                    np.flatnonzero(arrs[i][sel] == 1))
        out = {k: [a for a in v if a.size] for k, v in out.items()}
        return {k: np.concatenate(v) for k, v in out.items() if v}


def _first_occurrence_unique(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique rows in order of first appearance, and the map row -> unique index."""
    if rows.shape[0] == 0:
        return rows, np.zeros(0, np.int64)
    _, first, inv = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    inv = inv.reshape(-1)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rows[first[order]], rank[inv]


def _from_meshio(m: meshio.Mesh, source: str, cell_type: str | None) -> Mesh:
    pts = np.asarray(m.points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] not in (1, 2, 3) or pts.shape[0] == 0:
        raise MeshError(f"{source}: points have shape {pts.shape}; expected (n >= 1, 3)")
    bl = _Blocks(m, source)
    dom_mtype = bl.domain_type(cell_type)
    ctype = MESHIO_TO_CELL[dom_mtype]
    dim = CELL_DIM[ctype]
    facet_types = {FACET_TYPE[ctype]} | ({ctype} if dim == 2 else set())
    n_pts = pts.shape[0]

    dom_rows, regions_raw, offset = [], {}, 0
    bnd_rows: dict[str, list[tuple[str, np.ndarray]]] = {}
    for i, (mt, data) in enumerate(zip(bl.types, bl.data)):
        if data.shape[0] == 0:
            continue
        fm = bl.facet_mask[i]
        if data.size and (data.min() < 0 or data.max() >= n_pts):
            bad = int(data.max()) if data.max() >= n_pts else int(data.min())
            raise MeshError(f"{source}: a {mt} cell references node {bad}, but the file has "
                            f"{n_pts} nodes; node indices must be in 0..{n_pts - 1}")
        if mt == dom_mtype and not fm.all():
            sel = np.flatnonzero(~fm)
            for name, idx in bl.names_for(i, sel, dim, "region").items():
                regions_raw.setdefault(name, []).append(idx + offset)
            dom_rows.append(data[sel])
            offset += sel.size
        ours = MESHIO_TO_CELL.get(mt)
        if ours is None:
            continue
        if mt == dom_mtype:
            sel, fdim = np.flatnonzero(fm), dim
        elif CELL_DIM[ours] < dim:
            sel, fdim = np.arange(data.shape[0]), CELL_DIM[ours]
        else:
            continue
        if sel.size == 0 or ours not in facet_types:
            continue  # e.g. named curves inside a 3D mesh: not a boundary of our kind
        for name, idx in bl.names_for(i, sel, fdim, "boundary").items():
            bnd_rows.setdefault(name, []).append((ours, data[sel][idx]))

    raw = np.concatenate(dom_rows)
    if _PHYS in bl.cell_data:  # Gmsh repeats cells that belong to several physical groups
        cells, new_index = _first_occurrence_unique(raw)
    else:
        cells, new_index = raw, None
    regions = {}
    for name, parts in regions_raw.items():
        idx = np.concatenate(parts)
        if new_index is not None:
            idx = new_index[idx]
        regions[name] = np.sort(idx)  # a cell listed twice stays twice: check_mesh flags it
    _add_empty_names(bl, regions, bnd_rows, dim, ctype)

    boundaries = {}
    for name, parts in bnd_rows.items():
        types = sorted({t for t, _ in parts})
        if len(types) > 1:
            raise MeshError(f"{source}: boundary {name!r} mixes facet types {types}; a boundary "
                            f"must have one facet type")
        # no silent de-duplication: a facet listed twice in the file stays twice and
        # check_mesh rejects it (each name has one source, so the reader adds no copies)
        rows = np.concatenate([r for _, r in parts]) if parts else np.zeros((0, 1), np.int64)
        boundaries[name] = (types[0], rows)

    used = np.unique(cells)
    lookup = np.full(n_pts, -1, np.int64)
    lookup[used] = np.arange(used.size)
    final_bnd = {}
    for name, (ftype, rows) in boundaries.items():
        mapped = lookup[rows]
        if (mapped < 0).any():
            node = int(rows[mapped < 0][0])
            raise MeshError(f"{source}: boundary {name!r} uses node {node}, which belongs to no "
                            f"{ctype} cell; boundary nodes must be nodes of the domain")
        final_bnd[name] = Boundary(mapped, ftype)
    return Mesh(pts[used], lookup[cells], ctype, regions, final_bnd)


def _add_empty_names(bl: _Blocks, regions: dict, bnd_rows: dict, dim: int, ctype: str) -> None:
    """Keep named-but-empty regions / boundaries (Gmsh names, region: / boundary: arrays)."""
    for (_, d), name in bl.physical_names.items():
        if name.startswith(_BND):
            bnd_rows.setdefault(name[len(_BND):], [])
        elif d == dim:
            regions.setdefault(name, np.zeros(0, np.int64))
        elif d == CELL_DIM[FACET_TYPE[ctype]]:
            bnd_rows.setdefault(name, [])
    for key in bl.cell_data:
        if key.startswith(_REG):
            regions.setdefault(unquote(key[len(_REG):]), np.zeros(0, np.int64))
        elif key.startswith(_BND):
            bnd_rows.setdefault(unquote(key[len(_BND):]), [])
    for name, rows in list(bnd_rows.items()):
        if not rows:
            nodes = CELL_NODES[FACET_TYPE[ctype]]
            bnd_rows[name] = [(FACET_TYPE[ctype], np.zeros((0, nodes), np.int64))]


def read_mesh(path: str | os.PathLike, *, cell_type: str | None = None,
              check: bool = True) -> Mesh:
    """Read a mesh file (any format meshio knows) into a :class:`Mesh`.

    Parameters
    ----------
    path : the mesh file (coordinates in m).
    cell_type : domain cell type to read (``tri3`` or meshio's ``triangle`` ...); default the
        cell type of highest dimension in the file. Cells of higher dimension are ignored;
        another cell type of the same dimension is an error.
    check : run :func:`~thermosat.mesh.checks.check_mesh` on the result (default).

    Raises
    ------
    MeshError
        One line naming the file: missing, empty, unknown extension, unreadable / corrupt,
        unsupported or mixed domain cell types, or a failed mesh check.
    """
    p = Path(path)
    src = str(path)
    if not p.exists():
        raise MeshError(f"{src}: no such mesh file")
    if p.is_dir():
        raise MeshError(f"{src}: is a directory, expected a mesh file")
    formats = _formats_for(p)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise MeshError(f"{src}: cannot access the mesh file ({_one_line(exc)})") from None
    if size == 0:
        raise MeshError(f"{src}: the mesh file is empty (0 bytes); expected a mesh file with "
                        f"nodes and cells")
    if "gmsh" in formats:
        _check_gmsh2_ascii(p)
    m = _meshio_read(p, formats)
    try:
        mesh = _from_meshio(m, src, cell_type)
    except MeshError as exc:
        msg = str(exc)
        raise MeshError(msg if msg.startswith(src) else f"{src}: {msg}") from None
    except Exception as exc:  # noqa: BLE001 - malformed data that meshio accepted
        raise MeshError(f"{src}: cannot interpret the mesh data ({_one_line(exc)})") from None
    if check:
        check_mesh(mesh, source=src)
    return mesh


# --------------------------------------------------------------------------- writing
def _first_region_ids(mesh: Mesh) -> np.ndarray:
    """1 + index of the first region (dict order) holding each cell; 0 if none."""
    ids = np.zeros(mesh.n_cells, np.int32)
    for k, idx in reversed(list(enumerate(mesh.cell_regions.values()))):
        ids[idx] = k + 1
    return ids


def _check_gmsh_name(name: str, path) -> None:
    if '"' in name or "\n" in name or "\r" in name:
        raise MeshError(f"{path}: name {name!r} cannot be stored in a Gmsh file (no quotes or "
                        f"line breaks allowed)")


def _to_gmsh(mesh: Mesh, path) -> meshio.Mesh:
    dim = mesh.dim
    mtype = CELL_TO_MESHIO[mesh.cell_type]
    field_data, tag = {}, 0
    region_tags = []
    for name in mesh.cell_regions:
        _check_gmsh_name(name, path)
        tag += 1
        field_data[name] = np.array([tag, dim])
        region_tags.append(tag)
    first = _first_region_ids(mesh)                  # index into region_tags (1-based)
    rtags = np.array([0] + region_tags, np.int32)
    blocks = [(mtype, mesh.cells)]
    phys = [rtags[first]]
    for k, (name, idx) in enumerate(mesh.cell_regions.items()):
        extra = idx[first[idx] != k + 1]             # cells whose first region is another one
        if extra.size:
            blocks.append((mtype, mesh.cells[extra]))
            phys.append(np.full(extra.size, region_tags[k], np.int32))
    for name, b in mesh.boundaries.items():
        _check_gmsh_name(name, path)
        tag += 1
        # same-dimension facets (shell front/back) and names clashing with a region carry
        # the "boundary:" prefix so that reading tells them apart
        key = _BND + name if (b.facet_type == mesh.cell_type or name in field_data) else name
        field_data[key] = np.array([tag, CELL_DIM[b.facet_type]])
        if b.facets.shape[0]:
            blocks.append((CELL_TO_MESHIO[b.facet_type], b.facets))
            phys.append(np.full(b.facets.shape[0], tag, np.int32))
    geom = [np.where(p == 0, tag + 1, p).astype(np.int32) for p in phys]
    return meshio.Mesh(mesh.points, blocks, cell_data={_PHYS: phys, _GEOM: geom},
                       field_data=field_data)


def _to_data(mesh: Mesh, with_sets: bool) -> meshio.Mesh:
    """Domain block + one block per facet type, with 0/1 membership arrays per name.

    ``with_sets`` also stores the names as meshio ``cell_sets`` (one set per name and block;
    a boundary named like a region becomes ``boundary:<name>``).
    """
    blocks = [(CELL_TO_MESHIO[mesh.cell_type], mesh.cells)]
    kind = [np.zeros(mesh.n_cells, np.int32)]
    rid = [_first_region_ids(mesh)]
    facet_index: dict[str, np.ndarray] = {}          # boundary name -> row in its block
    block_of: dict[str, int] = {}
    by_type: dict[str, list[str]] = {}
    for name, b in mesh.boundaries.items():
        by_type.setdefault(b.facet_type, []).append(name)
    for ftype, names in by_type.items():
        rows = np.concatenate([mesh.boundaries[n].facets for n in names])
        uniq, inv = _first_occurrence_unique(rows)
        start = 0
        for n in names:
            cnt = mesh.boundaries[n].facets.shape[0]
            facet_index[n] = inv[start:start + cnt]
            block_of[n] = len(blocks)
            start += cnt
        blocks.append((CELL_TO_MESHIO[ftype], uniq))
        kind.append(np.ones(uniq.shape[0], np.int32))
        rid.append(np.zeros(uniq.shape[0], np.int32))
    sizes = [b[1].shape[0] for b in blocks]
    cell_data = {_KIND: kind, _REGION_ID: rid}
    for name, idx in mesh.cell_regions.items():
        arrs = [np.zeros(s, np.int32) for s in sizes]
        arrs[0][idx] = 1
        cell_data[_REG + quote(name, safe="")] = arrs
    for name in mesh.boundaries:
        arrs = [np.zeros(s, np.int32) for s in sizes]
        arrs[block_of[name]][facet_index[name]] = 1
        cell_data[_BND + quote(name, safe="")] = arrs
    if not with_sets:
        return meshio.Mesh(mesh.points, blocks, cell_data=cell_data)
    empty = [np.zeros(0, np.int64) for _ in sizes]
    sets = {}
    for name, idx in mesh.cell_regions.items():
        sets[name] = [np.asarray(idx, np.int64)] + empty[1:]
    for name in mesh.boundaries:
        per_block = list(empty)
        per_block[block_of[name]] = np.unique(facet_index[name])
        sets[_BND + name if name in sets else name] = per_block
    return meshio.Mesh(mesh.points, blocks, cell_sets=sets)


def _write_format(path: Path, file_format: str | None) -> str:
    from meshio import _helpers

    writers = _helpers._writer_map
    if file_format is not None:
        if file_format not in writers:
            raise MeshError(f"{path}: unknown mesh file_format {file_format!r}; known: "
                            f"{', '.join(sorted(writers))}")
        return file_format
    fmts = _formats_for(path)
    if "gmsh" in fmts:
        return "gmsh22"
    for fmt in fmts:
        if fmt in writers:
            return fmt
    raise MeshError(f"{path}: meshio cannot write {path.suffix!r} files")


def write_mesh(mesh: Mesh, path: str | os.PathLike, *, file_format: str | None = None,
               binary: bool | None = None) -> Path:
    """Write ``mesh`` (coordinates in m) with its regions and boundaries; return the path.

    ``file_format`` is a meshio format name (default from the extension; ``.msh`` is written
    as ``gmsh22``, also when ``"gmsh"`` is asked for). Formats without cell data keep names
    only if they have cell sets (Abaqus ``.inp``); others (STL, OBJ...) lose them.
    ``binary``: ``None`` means ASCII for Gmsh files and meshio's default otherwise. The file
    is replaced atomically; on error it is left untouched and a :class:`MeshError` naming the
    file is raised.
    """
    if not isinstance(mesh, Mesh):
        raise MeshError(f"{path}: expected a thermosat Mesh to write, got {type(mesh).__name__}")
    p = Path(path)
    fmt = _write_format(p, file_format)
    if fmt == "gmsh":  # meshio's Gmsh 4.1 writer needs entity tags we do not have
        fmt = "gmsh22"
    m = _to_gmsh(mesh, p) if fmt in _GMSH_WRITERS else _to_data(mesh, fmt in _SET_WRITERS)
    kwargs: dict = {}
    if fmt in _GMSH_WRITERS or (binary is not None and fmt in _BINARY_WRITERS):
        kwargs["binary"] = bool(binary)
    if fmt == "xdmf":
        kwargs["data_format"] = "XML"
    try:
        with atomic_path(p) as tmp:
            meshio.write(tmp, m, file_format=fmt, **kwargs)
    except MeshError:
        raise
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - writer failures -> MeshError
        raise MeshError(f"{p}: cannot write the mesh as {fmt} ({_one_line(exc)})") from None
    return p
