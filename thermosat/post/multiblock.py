"""Multi-block VTK output (``.vtm``) of a composed model: one block per part, grouped."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from thermosat.mesh import vtk

__all__ = ["model_multiblock", "write_vtm"]


def model_multiblock(model, T: np.ndarray, groups: dict[str, list[str]] | None = None):
    """A :class:`pyvista.MultiBlock` of every part with its temperature fields (K and °C).

    ``groups`` maps a block name to the part names it holds (default: one block per part).
    """
    import pyvista as pv

    from thermosat.solve.result import _part_conductivity

    groups = groups or {name: [name] for name in model.parts}
    mb = pv.MultiBlock()
    for gname, parts in groups.items():
        sub = pv.MultiBlock()
        for pname in parts:
            part = model.parts[pname]
            Tp = T[part.offset:part.offset + part.mesh.n_points]
            pd, cd = vtk.mesh_fields(part.mesh, Tp, _part_conductivity(model, part))
            sub[pname] = vtk.to_pyvista(part.mesh, pd, cd)
        mb[gname] = sub if len(parts) > 1 else sub[parts[0]]
    return mb


def write_vtm(path: str | os.PathLike, multiblock) -> Path:
    """Write ``multiblock`` to ``path`` (``.vtm`` plus its folder of pieces) atomically.

    Everything is written into a temporary folder beside the target and moved into place at
    the end, so an interrupted write leaves no partial result.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{path.stem}.", dir=path.parent))
    try:
        multiblock.save(str(tmpdir / path.name))
        pieces = tmpdir / path.stem
        if pieces.exists():
            final = path.parent / path.stem
            if final.exists():
                shutil.rmtree(final)
            os.replace(pieces, final)
        os.replace(tmpdir / path.name, path)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return path
