"""Generate the example meshes in ``meshes/``.

Run from anywhere::

    python scripts/make_meshes.py            # writes into <repo>/meshes
    python scripts/make_meshes.py OUT_DIR    # writes into OUT_DIR

Files (all small; Gmsh files are ASCII, the VTU file is compressed binary):

* ``panel_quad.msh`` -- Gmsh 2.2, a 10 m x 5 m panel of 20 x 10 quad4 cells in the z = 0
  plane; physical groups: cell regions ``cells`` (the left 60 %, x < 6 m) and ``radiator``
  (the rest), boundaries ``left`` (x = 0), ``right`` (x = 10 m), ``bottom`` (y = 0), ``top``
  (y = 5 m).
* ``bar.msh`` -- Gmsh 2.2, a 0.1 m bar of 10 line2 cells along x; region ``bar``, end
  boundaries ``A`` (x = 0) and ``B`` (x = 0.1 m).
* ``chip_stack.vtu`` -- a 20 mm x 20 mm stack of hex8 cells: ``board`` (1.6 mm, 2 cells),
  ``chip`` (0.5 mm, 1 cell), ``lid`` (1.0 mm, 1 cell); boundaries ``bottom``, ``top``,
  ``side``, the extruded edges ``xmin xmax ymin ymax`` and interfaces ``board|chip``,
  ``chip|lid``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from thermosat.mesh import check_mesh, extrude, interval, read_mesh, rectangle, write_mesh
from thermosat.mesh.core import Mesh

__all__ = ["bar", "chip_stack", "main", "panel_quad"]


def panel_quad() -> Mesh:
    """10 m x 5 m quad panel: regions ``cells`` (x < 6 m) and ``radiator``; four edges."""
    m = rectangle(10.0, 5.0, 20, 10, cell="quad4")
    xc = m.points[m.cells, 0].mean(axis=1)
    regions = {"cells": np.flatnonzero(xc < 6.0), "radiator": np.flatnonzero(xc >= 6.0)}
    bnd = {k: m.boundaries[k] for k in ("left", "right", "bottom", "top")}
    return Mesh(m.points, m.cells, m.cell_type, regions, bnd)


def bar() -> Mesh:
    """0.1 m line2 bar of 10 cells: region ``bar``, end points ``A`` (x = 0) and ``B``."""
    m = interval(0.1, 10)
    return Mesh(m.points, m.cells, m.cell_type, {"bar": np.arange(m.n_cells)},
                {"A": m.boundaries["left"], "B": m.boundaries["right"]})


def chip_stack() -> Mesh:
    """20 mm square board / chip / lid stack of hex8 cells with layer regions."""
    base = rectangle(0.02, 0.02, 4, 4, cell="quad4")
    base = Mesh(base.points, base.cells, base.cell_type, {},
                {"xmin": base.boundaries["left"], "xmax": base.boundaries["right"],
                 "ymin": base.boundaries["bottom"], "ymax": base.boundaries["top"]})
    return extrude(base, [("board", 1.6e-3, 2), ("chip", 0.5e-3, 1), ("lid", 1.0e-3, 1)])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else ROOT / "meshes"
    out.mkdir(parents=True, exist_ok=True)
    for name, mesh in (("panel_quad.msh", panel_quad()), ("bar.msh", bar()),
                       ("chip_stack.vtu", chip_stack())):
        check_mesh(mesh, source=name)
        path = write_mesh(mesh, out / name)
        back = read_mesh(path)
        assert set(back.cell_regions) == set(mesh.cell_regions), name
        assert set(back.boundaries) == set(mesh.boundaries), name
        print(f"{path}: {mesh.n_cells} {mesh.cell_type} cells, {mesh.n_points} nodes, "
              f"regions {sorted(mesh.cell_regions)}, boundaries {sorted(mesh.boundaries)}, "
              f"{path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

