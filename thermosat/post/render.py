"""Off-screen PNG renders of results with PyVista (no display needed: EGL or OSMesa).

Example
-------
>>> from thermosat.post.render import render_file
>>> render_file("out/result.pvd", frame=-1)            # -> out/result.png
>>> render_grid(res.grid(res.T), "plate.png", camera="xy")

Fields are coloured with a bar titled with the unit (°C by default, from ``temperature_C``;
K, W/m², K/m for the other fields thermosat writes) and the scalar range written in the
corner. Line meshes (pipes, bars) are drawn as tubes, shells and volumes as surfaces, with
cell edges shown only for small meshes. PNGs are written atomically.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from thermosat.common.errors import InputError
from thermosat.common.atomic import atomic_path

__all__ = ["CAMERAS", "READABLE", "field_label", "read_frame", "render_blocks", "render_file",
           "render_grid", "render_result"]

#: camera presets: ``iso`` or a viewing plane (``xy`` looks down −z, ``yx`` up +z, ...)
CAMERAS = ("iso", "xy", "yx", "xz", "zx", "yz", "zy")
#: file types :func:`render_file` reads
READABLE = (".vtu", ".vtm", ".pvd", ".vtk", ".vtp")
#: above this many cells, cell edges are not drawn
EDGE_CELL_LIMIT = 2000
_UNITS = {"temperature_C": ("temperature", "°C"), "temperature_K": ("temperature", "K"),
          "heat_flux_W_m2": ("|heat flux|", "W/m²"),
          "temperature_gradient_K_m": ("|temperature gradient|", "K/m"),
          "region_id": ("region", "")}
_LINE_TYPES = {1, 3, 4, 21, 35, 68}  # VTK vertex, line, poly-line, quadratic/cubic/Lagrange edge
_ZERO_C = 273.15


def _pyvista():
    """Import PyVista set up for off-screen rendering with VTK's warnings silenced."""
    import pyvista as pv
    from vtkmodules.vtkCommonCore import vtkObject

    pv.OFF_SCREEN = True
    vtkObject.GlobalWarningDisplayOff()  # no "bad X server connection" noise without a display
    return pv


def field_label(name: str) -> str:
    """Colour-bar title of field ``name``, with its unit: ``temperature (°C)``."""
    what, unit = _UNITS.get(name, (name, ""))
    return f"{what} ({unit})" if unit else what


def _fields(ds) -> list[str]:
    return sorted(set(ds.point_data.keys()) | set(ds.cell_data.keys()))


def _scalar_values(ds, scalars: str, source: str) -> tuple[np.ndarray, str]:
    """Values of ``scalars`` on ``ds`` (magnitude for vectors) and ``point``/``cell``."""
    for where, data in (("point", ds.point_data), ("cell", ds.cell_data)):
        if scalars in data:
            v = np.asarray(data[scalars], float)
            if v.ndim == 2:
                v = np.linalg.norm(v, axis=1)
            return v, where
    if scalars == "temperature_C" and "temperature_K" in ds.point_data:
        return np.asarray(ds.point_data["temperature_K"], float) - _ZERO_C, "point"
    raise InputError(f"{source}: field {scalars!r} does not exist; available fields: "
                     f"{', '.join(_fields(ds)) or 'none'}")


def _is_lines(ds) -> bool:
    """True when every cell of ``ds`` is a vertex or a line (a pipe/bar mesh)."""
    if ds.n_cells == 0:
        return False
    if hasattr(ds, "celltypes"):
        return set(np.unique(ds.celltypes).tolist()) <= _LINE_TYPES
    if hasattr(ds, "n_lines") and hasattr(ds, "n_faces_strict"):
        return ds.n_lines > 0 and ds.n_faces_strict == 0 and ds.n_strips == 0
    return False


def _blocks(data, source: str) -> list[tuple[str, object]]:
    """Non-empty leaf datasets of a dataset or (nested) multi-block, with names."""
    pv = _pyvista()
    out: list[tuple[str, object]] = []

    def walk(obj, name):
        if obj is None:
            return
        if isinstance(obj, pv.MultiBlock):
            for i in range(obj.n_blocks):
                walk(obj[i], obj.get_block_name(i) or f"{name}{i}")
        elif obj.n_points > 0:
            out.append((name, obj))

    walk(data, "")
    if not out:
        raise InputError(f"{source}: contains no mesh (no points) to render")
    return out


def _surface(mesh):
    """Outer geometry as PolyData (lines stay lines), across PyVista versions."""
    try:
        return mesh.extract_surface(algorithm="dataset_surface")
    except TypeError:  # older PyVista without the ``algorithm`` keyword
        return mesh.extract_surface()


def _prepared(ds, values: np.ndarray, where: str, tube_radius: float | None):
    """A copy of ``ds`` carrying the values to colour (``_render_values``), lines as tubes."""
    mesh = ds.copy(deep=False)
    mesh.clear_data()
    (mesh.point_data if where == "point" else mesh.cell_data)["_render_values"] = values
    if _is_lines(ds):
        if hasattr(mesh, "linear_copy"):
            mesh = mesh.linear_copy()
        surf = mesh if hasattr(mesh, "tube") else _surface(mesh)
        if hasattr(surf, "tube") and getattr(surf, "n_lines", 0) > 0 and tube_radius:
            return surf.tube(radius=tube_radius, n_sides=16), True
        return surf, True
    return mesh, False


def render_grid(grid, png_path: str | os.PathLike, *, scalars: str = "temperature_C",
                title: str | None = None, window_size=(1200, 800), camera: str = "iso",
                cmap: str = "inferno", clim=None, show_edges: bool | None = None,
                source: str | None = None) -> Path:
    """Render ``grid`` (a PyVista dataset or multi-block) coloured by ``scalars`` to a PNG.

    scalars : point or cell field; vectors are shown as their magnitude. ``temperature_C``
        falls back to ``temperature_K`` − 273.15 when only kelvin is stored.
    camera : one of :data:`CAMERAS`
    clim : colour range (field units), default the data range over all blocks
    show_edges : default: only for meshes up to :data:`EDGE_CELL_LIMIT` cells
    Raises :class:`InputError` naming the available fields if ``scalars`` is missing.
    Returns the PNG path.
    """
    pv = _pyvista()
    source = source or "grid"
    if camera not in CAMERAS:
        raise InputError(f"camera: {camera!r} is not one of {', '.join(CAMERAS)}")
    blocks = _blocks(grid, source)
    values = [_scalar_values(ds, scalars, f"{source}{'/' + n if n else ''}")
              for n, ds in blocks]
    finite = np.concatenate([v[np.isfinite(v)] for v, _ in values] or [np.zeros(0)])
    if finite.size == 0:
        raise InputError(f"{source}: field {scalars!r} has no finite values to render")
    data_lo, data_hi = float(finite.min()), float(finite.max())
    lo, hi = (data_lo, data_hi) if clim is None else (float(clim[0]), float(clim[1]))
    if hi <= lo:  # a uniform field: centre it in a 1-unit colour range
        lo, hi = lo - 0.5, hi + 0.5
    bounds = np.array([ds.bounds for _, ds in blocks], float).reshape(len(blocks), 6)
    extent = np.array([bounds[:, 1].max() - bounds[:, 0].min(),
                       bounds[:, 3].max() - bounds[:, 2].min(),
                       bounds[:, 5].max() - bounds[:, 4].min()])
    diag = float(np.linalg.norm(extent)) or 1.0
    flat = extent.min() <= 1e-9 * diag
    n_cells = sum(ds.n_cells for _, ds in blocks)
    edges = n_cells <= EDGE_CELL_LIMIT if show_edges is None else bool(show_edges)
    label = field_label(scalars)
    png_path = Path(png_path)
    font = int(np.clip(window_size[0] // 50, 8, 20))

    plotter = pv.Plotter(off_screen=True, window_size=list(window_size))
    try:
        plotter.set_background("white")
        for i, ((name, ds), (vals, where)) in enumerate(zip(blocks, values)):
            mesh, is_line = _prepared(ds, vals, where, 0.006 * diag)
            plotter.add_mesh(
                mesh, scalars="_render_values", preference=where, cmap=cmap, clim=[lo, hi],
                show_edges=edges and not is_line, edge_color="#505050",
                line_width=4 if is_line else 1, lighting=not (flat or is_line),
                ambient=0.35, diffuse=0.65, nan_color="grey",
                show_scalar_bar=i == 0,
                scalar_bar_args={"title": label, "color": "black", "fmt": "%.4g",
                                 "vertical": True, "position_x": 0.84, "position_y": 0.15,
                                 "height": 0.7, "width": 0.06, "n_labels": 5,
                                 "title_font_size": font + 2, "label_font_size": font})
        unit = _UNITS.get(scalars, ("", ""))[1]
        span = (f"uniform {data_lo:.6g}" if data_hi == data_lo
                else f"min {data_lo:.4g}, max {data_hi:.4g}")
        plotter.add_text(f"{label}: {span} {unit}".rstrip(), position="lower_left",
                         font_size=max(6, font // 2 + 2), color="black")
        if title:
            plotter.add_text(title, position="upper_left", font_size=max(7, font // 2 + 4),
                             color="black")
        if camera == "iso":
            plotter.view_isometric()
        else:
            plotter.camera_position = camera
        plotter.reset_camera()
        # keep the object clear of the colour bar on the right
        plotter.camera.SetWindowCenter(0.12, 0.0)
        plotter.camera.zoom(1.05)
        png_path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(png_path) as tmp:
            plotter.screenshot(tmp)
    finally:
        plotter.close()
    return png_path


# ----------------------------------------------------------------------------- files
def _pvd_entries(path: Path) -> list[tuple[float, Path]]:
    """``(time_s, dataset path)`` of every entry of a ParaView collection file, in order."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as err:
        raise InputError(f"{path}: not a readable .pvd collection ({err})") from None
    entries = []
    for ds in root.iter("DataSet"):
        f = ds.get("file")
        if f is None:
            continue
        try:
            t = float(ds.get("timestep", len(entries)))
        except ValueError:
            t = float(len(entries))
        entries.append((t, path.parent / f))
    if not entries:
        raise InputError(f"{path}: the collection lists no datasets")
    return entries


def _read(path: Path):
    pv = _pyvista()
    if not path.is_file():
        raise InputError(f"{path}: file does not exist")
    try:
        return pv.read(path)
    except Exception as err:  # noqa: BLE001 - VTK/meshio raise many kinds on bad files
        raise InputError(f"{path}: cannot read as {path.suffix or 'VTK'} "
                         f"({type(err).__name__}: {err})") from None


def read_frame(path: str | os.PathLike, frame: int = -1):
    """The dataset of ``path`` (.vtu/.vtm/.vtk/.vtp), or frame ``frame`` of a .pvd series.

    Returns ``(dataset, time_s or None)``. Raises :class:`InputError` for missing or
    unreadable files and frames out of range.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file does not exist")
    if path.suffix.lower() not in READABLE:
        raise InputError(f"{path}: cannot render {path.suffix or 'a file without suffix'}; "
                         f"expected one of {', '.join(READABLE)}")
    if path.suffix.lower() == ".pvd":
        entries = _pvd_entries(path)
        n = len(entries)
        if not -n <= frame < n:
            raise InputError(f"{path}: frame {frame} is out of range; the series has {n} "
                             f"frames (0..{n - 1}, or negative from the end)")
        t, f = entries[frame]
        return _read(f), t
    return _read(path), None


def render_file(path: str | os.PathLike, png: str | os.PathLike | None = None, *,
                scalars: str = "temperature_C", frame: int = -1, block: str | int | None = None,
                title: str | None = None, **kw) -> Path:
    """Render a result file to PNG (default: beside it, same stem, ``.png``).

    ``.pvd`` series: frame ``frame`` (default the last). ``.vtm`` multi-block: all blocks
    together with one colour scale, or only ``block`` (name or index). Other keywords go to
    :func:`render_grid`. Returns the PNG path.
    """
    path = Path(path)
    data, t = read_frame(path, frame)
    if block is not None:
        data = _select_block(data, block, path)
    if title is None:
        title = path.name + (f"  t = {t:.6g} s" if t is not None else "")
        if block is not None:
            title += f"  [{block}]"
    png = Path(png) if png is not None else path.with_suffix(".png")
    return render_grid(data, png, scalars=scalars, title=title, source=str(path), **kw)


def _select_block(data, block, path: Path):
    blocks = _blocks(data, str(path))
    names = [n for n, _ in blocks]
    if isinstance(block, str) and not block.lstrip("-").isdigit():
        if block not in names:
            raise InputError(f"{path}: block {block!r} does not exist; blocks: "
                             f"{', '.join(names)}")
        return blocks[names.index(block)][1]
    i = int(block)
    if not -len(blocks) <= i < len(blocks):
        raise InputError(f"{path}: block {i} is out of range; the file has {len(blocks)} "
                         f"blocks ({', '.join(names)})")
    return blocks[i][1]


def render_blocks(path: str | os.PathLike, out_dir: str | os.PathLike | None = None, *,
                  scalars: str = "temperature_C", frame: int = -1, **kw) -> list[Path]:
    """One PNG per block of a multi-block file (``<stem>_<block>.png``); returns the paths."""
    path = Path(path)
    data, _ = read_frame(path, frame)
    out_dir = Path(out_dir) if out_dir is not None else path.parent
    paths = []
    for i, (name, ds) in enumerate(_blocks(data, str(path))):
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in (name or str(i)))
        paths.append(render_grid(ds, out_dir / f"{path.stem}_{safe}.png", scalars=scalars,
                                 title=f"{path.name} [{name or i}]",
                                 source=f"{path}/{name or i}", **kw))
    return paths


def render_result(result, png: str | os.PathLike, *, scalars: str = "temperature_C",
                  frame: int = -1, part: str | None = None, title: str | None = None,
                  **kw) -> Path:
    """Render a :class:`SteadyResult` or :class:`TransientResult` (frame ``frame``) to PNG.

    All parts are drawn together with one colour scale unless ``part`` names one.
    """
    pv = _pyvista()
    if hasattr(result, "frames"):
        n = len(result.frames)
        if not -n <= frame < n:
            raise InputError(f"render_result: frame {frame} is out of range; the result has "
                             f"{n} saved frames")
        T = result.frames[frame]
        t = float(result.times[frame])
        default_title = f"t = {t:.6g} s"
    else:
        T = result.T
        default_title = "steady state"
    names = [part] if part is not None else list(result.model.parts)
    if len(names) == 1:
        data = result.grid(T, names[0])
    else:
        data = pv.MultiBlock({name: result.grid(T, name) for name in names})
    return render_grid(data, png, scalars=scalars, title=default_title if title is None else title,
                       source="result", **kw)
