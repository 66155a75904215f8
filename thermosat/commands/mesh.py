"""``thermosat mesh``: check a mesh file before using it, or describe it.

``thermosat mesh check FILE [--require-dim N] [--regions a,b] [--boundaries x,y]
[--cell-type T]`` reads the file (any format meshio knows) and runs every check of
:func:`thermosat.mesh.checks.check_mesh` plus, when asked, the dimension and the named regions
and boundaries a model needs. A good mesh prints one summary line and exits 0; a bad one prints
one line on stderr naming the file, the node / cell / name at fault and what is allowed, and
exits 2 (no traceback, nothing written).

``thermosat mesh info FILE [--json]`` prints the cell type, counts, bounding box, total
length / area / volume and every region and boundary with its size (after the same checks).
"""
from __future__ import annotations

import argparse
import json

__all__ = ["add_arguments", "check_file", "mesh_info", "run"]

_WHAT = {1: ("length", "m"), 2: ("area", "m²"), 3: ("volume", "m³")}


def _names(text: str | None) -> list[str]:
    if not text:
        return []
    return [n.strip() for n in text.split(",") if n.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="mesh_command", metavar="{check,info}")
    sub.required = True
    chk = sub.add_parser("check", help="check a mesh file (exit 0 good, 2 bad)",
                         description="Read and check a mesh file: finite coordinates, no "
                                     "inverted or degenerate cells, one domain cell type, "
                                     "valid regions and boundaries.")
    chk.add_argument("file", metavar="FILE", help="mesh file (.msh, .vtu, .vtk, .inp, ...)")
    chk.add_argument("--require-dim", type=int, choices=(1, 2, 3), metavar="N",
                     help="the topological dimension the mesh must have (1, 2 or 3)")
    chk.add_argument("--regions", metavar="A,B", help="comma-separated cell regions that must "
                                                     "exist and hold cells")
    chk.add_argument("--boundaries", metavar="X,Y", help="comma-separated boundaries that "
                                                        "must exist and hold facets")
    chk.add_argument("--cell-type", metavar="T", help="domain cell type to read (tri3, "
                                                     "quad4, tet4, ... or meshio names); "
                                                     "default: the highest dimension")
    inf = sub.add_parser("info", help="describe a mesh file (after checking it)",
                         description="Print cell type, counts, bounding box, measures, "
                                     "regions and boundaries of a mesh file.")
    inf.add_argument("file", metavar="FILE", help="mesh file")
    inf.add_argument("--cell-type", metavar="T", help="domain cell type to read")
    inf.add_argument("--json", action="store_true", help="print one JSON object")


def check_file(path, *, require_dim: int | None = None, regions=(), boundaries=(),
               cell_type: str | None = None):
    """Read ``path`` and run every check; return the :class:`~thermosat.mesh.Mesh`.

    Raises :class:`~thermosat.common.errors.MeshError` (one line naming the file) on any defect.
    """
    from thermosat.mesh.checks import check_mesh, check_names
    from thermosat.mesh.io import read_mesh

    src = str(path)
    mesh = read_mesh(path, cell_type=cell_type, check=False)
    check_mesh(mesh, source=src, require_dim=require_dim)
    check_names(mesh, regions=list(regions), boundaries=list(boundaries), source=src)
    return mesh


def mesh_info(mesh, source: str) -> dict:
    """Plain-data description of ``mesh`` (SI units)."""
    import numpy as np

    from thermosat.mesh.checks import cell_measures, facet_measures

    meas = cell_measures(mesh)
    what, unit = _WHAT[mesh.dim]
    lo, hi = mesh.points.min(axis=0), mesh.points.max(axis=0)
    return {
        "file": source,
        "cell_type": mesh.cell_type,
        "dim": mesh.dim,
        "n_points": int(mesh.n_points),
        "n_cells": int(mesh.n_cells),
        "bbox_min_m": [float(v) for v in lo],
        "bbox_max_m": [float(v) for v in hi],
        "measure": what,
        "unit": unit,
        "total": float(meas.sum()),
        "min_cell": float(meas.min()),
        "max_cell": float(meas.max()),
        "regions": {k: {"cells": int(v.size), "total": float(meas[v].sum()) if v.size else 0.0}
                    for k, v in sorted(mesh.cell_regions.items())},
        "boundaries": {k: {"facet_type": b.facet_type, "facets": int(b.facets.shape[0]),
                           "total": float(np.sum(facet_measures(mesh, k)))}
                       for k, b in sorted(mesh.boundaries.items())},
    }


def _format_info(info: dict) -> str:
    unit = info["unit"]
    bunit = {"length": "", "area": "m", "volume": "m²"}[info["measure"]]
    lines = [f"{info['file']}: {info['cell_type']} mesh ({info['dim']}D), "
             f"{info['n_points']} nodes, {info['n_cells']} cells",
             "  bounding box: (" + ", ".join(f"{v:g}" for v in info["bbox_min_m"]) + ") – ("
             + ", ".join(f"{v:g}" for v in info["bbox_max_m"]) + ") m",
             f"  total {info['measure']}: {info['total']:.6g} {unit} (cells "
             f"{info['min_cell']:.3g} – {info['max_cell']:.3g} {unit})"]
    lines.append("  regions: " + ("none" if not info["regions"] else ""))
    for k, r in info["regions"].items():
        lines.append(f"    {k!r}: {r['cells']} cells, {r['total']:.6g} {unit}")
    lines.append("  boundaries: " + ("none" if not info["boundaries"] else ""))
    for k, b in info["boundaries"].items():
        tot = "" if b["facet_type"] == "vertex" else f", {b['total']:.6g} {bunit}"
        if b["facet_type"] == info["cell_type"]:
            tot = f", {b['total']:.6g} {unit}"
        lines.append(f"    {k!r}: {b['facets']} {b['facet_type']} facets{tot}")
    return "\n".join(line.rstrip() for line in lines)


def run(args: argparse.Namespace) -> int:
    if args.mesh_command == "check":
        mesh = check_file(args.file, require_dim=args.require_dim,
                          regions=_names(args.regions), boundaries=_names(args.boundaries),
                          cell_type=args.cell_type)
        regions = ", ".join(sorted(mesh.cell_regions)) or "none"
        bnds = ", ".join(sorted(mesh.boundaries)) or "none"
        print(f"{args.file}: ok: {mesh.cell_type} mesh ({mesh.dim}D), {mesh.n_points} nodes, "
              f"{mesh.n_cells} cells; regions: {regions}; boundaries: {bnds}")
        return 0
    mesh = check_file(args.file, cell_type=args.cell_type)
    info = mesh_info(mesh, str(args.file))
    if args.json:
        print(json.dumps(info))
    else:
        print(_format_info(info))
    return 0
