"""Off-screen PNG renders of results with PyVista (no display needed: EGL or OSMesa).

Example
-------
>>> from thermosat.post.render import render_file
>>> render_file("out/result.pvd", frame=-1)            # -> out/result.png
>>> render_grid(res.grid(res.T), "plate.png", camera="xy")

Fields are coloured with a bar titled with the unit (°C by default, from ``temperature_C``;
K, W/m², K/m for the other fields thermosat writes) and the scalar range written in the
corner: one shared range, or each body on its own (``ranges="body"``), linear or log. A field
uniform to round-off is drawn in one colour. Line meshes (pipes, bars) alone are drawn as
tubes, beside surfaces as thin lines; shells and volumes as surfaces, with cell edges shown
only for small meshes. A scale bar of a round length and the direction arrows stored in the
file (a satellite's Sun and nadir) are drawn beside the object. PNGs are written atomically.
"""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from thermosat.common.errors import InputError
from thermosat.common.atomic import atomic_path

__all__ = ["CAMERAS", "RANGES", "READABLE", "body_of", "colour_range", "field_directions",
           "field_label", "nice_length", "read_frame", "render_blocks", "render_file",
           "render_grid", "render_result"]

#: camera presets: ``iso``, ``wings`` (a satellite from below, off one end and side: both wings in
#: view) or a viewing plane (``xy`` looks down −z, ``yx`` up +z, ...)
CAMERAS = ("iso", "wings", "xy", "yx", "xz", "zx", "yz", "zy")
#: colour-range modes of :func:`render_grid`
RANGES = ("shared", "body")
#: field-data arrays holding direction arrows, and their labels in the picture
DIRECTION_FIELDS = {"sun_direction": "Sun", "nadir_direction": "nadir"}
#: flat colours of the arrows (in the order drawn), of the scale bar and of blocks without the
#: field; none of them is a colour of the inferno map or a grey of the (black) text, so a
#: picture's pixels tell them apart
ARROW_COLOURS = ("#0a84ff", "#1e9e3a", "#8a5ac8")
SCALE_BAR_COLOUR = "#00686a"
MISSING_COLOUR = "#c8c8c8"
#: file types :func:`render_file` reads
READABLE = (".vtu", ".vtm", ".pvd", ".vtk", ".vtp")
#: above this many cells, cell edges are not drawn
EDGE_CELL_LIMIT = 2000
#: radius of the tubes that line meshes (pipes, bars) alone are drawn as, per diagonal length
TUBE_RADIUS = 0.006
# (no "|" in labels: VTK's text renderer takes "|...|" as markup)
_UNITS = {"temperature_C": ("temperature", "°C"), "temperature_K": ("temperature", "K"),
          "heat_flux_W_m2": ("heat flux magnitude", "W/m²"),
          "temperature_gradient_K_m": ("temperature gradient magnitude", "K/m"),
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


def body_of(block_name: str) -> str:
    """Body a block belongs to for per-body colour ranges: the name without its trailing
    number (``wing1``, ``wing2`` → ``wing``; ``pkg07`` → ``pkg``; ``coolant`` → ``coolant``)."""
    return re.sub(r"\d+$", "", block_name).rstrip("_") or block_name


def nice_length(x: float) -> float:
    """The largest 1, 2 or 5 × 10ᵏ not above ``x`` (> 0): the length of a scale bar (m)."""
    if not (x > 0 and np.isfinite(x)):
        raise InputError(f"nice_length: {x!r} is not a positive length")
    k = np.floor(np.log10(x))
    for m in (5.0, 2.0, 1.0):
        if m * 10.0 ** k <= x * (1 + 1e-12):
            return float(m * 10.0 ** k)
    return float(10.0 ** k)


def colour_range(values: np.ndarray, *, offset: float = 0.0, log: bool = False
                 ) -> tuple[float, float, bool]:
    """Colour range ``(lo, hi, uniform)`` of finite ``values``.

    A field uniform to round-off (max − min ≤ 1e-9 · max(|max|, |min|, ``offset``); offset
    273.15 for °C so that values near 0 °C count relative to their kelvin size) gets the fixed
    range value ± 0.5 and ``uniform`` True, so that no noise is spread over the colour bar.
    ``log``: the range is clipped to positive values, at least 1e-6 of the maximum.
    """
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    lo, hi = float(v.min()), float(v.max())
    if log:
        pos = v[v > 0]
        if pos.size == 0:
            raise InputError("log colour scale: the field has no positive values")
        hi = float(pos.max())
        lo = max(float(pos.min()), 1e-6 * hi)
    if hi - lo <= 1e-9 * max(abs(hi), abs(lo), offset):
        mid = 0.5 * (lo + hi)
        if log:
            return mid / 1.5, mid * 1.5, True
        return mid - 0.5, mid + 0.5, True
    return lo, hi, False


def _blocks_with(blocks, scalars: str, source: str):
    """Values per block, and the names of the blocks that lack the field (drawn grey)."""
    values, missing = [], []
    for n, ds in blocks:
        try:
            values.append(_scalar_values(ds, scalars, f"{source}{'/' + n if n else ''}"))
        except InputError:
            if len(blocks) == 1:
                raise
            values.append(None)
            missing.append(n)
    if len(missing) == len(blocks):
        _scalar_values(blocks[0][1], scalars, source)  # raises, naming the fields
    return values, missing


def field_directions(grid) -> dict[str, np.ndarray]:
    """Direction arrows stored in a dataset's field data (``sun_direction``,
    ``nadir_direction``; see :data:`DIRECTION_FIELDS`), as ``{label: unit vector}``."""
    out = {}
    fd = getattr(grid, "field_data", None)
    if fd is None:
        return out
    for key, label in DIRECTION_FIELDS.items():
        if key in fd.keys():
            v = np.asarray(fd[key], float).ravel()[:3]
            if v.size == 3 and np.all(np.isfinite(v)) and np.linalg.norm(v) > 0:
                out[label] = v / np.linalg.norm(v)
    return out


def _camera_direction(camera: str, extent: np.ndarray) -> np.ndarray | None:
    """View direction (from the focal point towards the camera) of the presets that are not
    PyVista's own planes."""
    if camera == "iso":
        return np.array([1.0, 1.0, 1.0])
    if camera == "wings":
        # from below the panel, off one end and to one side: looks up into the space between
        # the wings, so that the panel's back and both wings (one inner, one outer face) show
        e_a, e_n = (np.eye(3)[0], np.eye(3)[1]) if extent[0] >= extent[1] else \
            (np.eye(3)[1], np.eye(3)[0])
        return 0.45 * e_n + 0.35 * e_a - 0.8 * np.eye(3)[2]
    return None


def render_grid(grid, png_path: str | os.PathLike, *, scalars: str = "temperature_C",
                title: str | None = None, window_size=(1200, 800), camera: str = "iso",
                cmap: str = "inferno", clim=None, show_edges: bool | None = None,
                source: str | None = None, ranges: str = "shared", log: bool = False,
                arrows: dict | None = None, scale_bar: bool = True,
                note: str | None = None) -> Path:
    """Render ``grid`` (a PyVista dataset or multi-block) coloured by ``scalars`` to a PNG.

    scalars : point or cell field; vectors are shown as their magnitude. ``temperature_C``
        falls back to ``temperature_K`` − 273.15 when only kelvin is stored. Blocks of a
        multi-block without the field are drawn grey and named in a note.
    camera : one of :data:`CAMERAS`; ``wings`` views a satellite from below the panel's end
        so that both wings show
    clim : colour range (field units) of a shared range; default the data range over all
        blocks (with ``ranges="body"``, each body's data range)
    ranges : ``shared`` (one colour bar) or ``body``: each body (:func:`body_of`: wings,
        panel, coolant, …) on its own colour range with its own bar
    log : logarithmic colour scale (for heat flux); non-positive values are clipped
    arrows : ``{label: direction}`` drawn as arrows beside the object (default: the
        directions stored in the grid's field data, :func:`field_directions`)
    scale_bar : draw a bar of a round length (1, 2 or 5 × 10ᵏ m) along the longest axis,
        below the object on the screen
    note : extra line of text (e.g. which packages are shown)
    show_edges : default: only for meshes up to :data:`EDGE_CELL_LIMIT` cells
    A field uniform to round-off (:func:`colour_range`) is drawn in one colour and reported
    as uniform. Raises :class:`InputError` naming the available fields if ``scalars`` is
    missing everywhere. Returns the PNG path.
    """
    pv = _pyvista()
    source = source or "grid"
    if camera not in CAMERAS:
        raise InputError(f"camera: {camera!r} is not one of {', '.join(CAMERAS)}")
    if ranges not in RANGES:
        raise InputError(f"ranges: {ranges!r} is not one of {', '.join(RANGES)}")
    blocks = _blocks(grid, source)
    values, missing = _blocks_with(blocks, scalars, source)
    offset = _ZERO_C if scalars == "temperature_C" else 0.0
    # colour groups: all blocks together, or one group per body
    keys = [body_of(n or "") if ranges == "body" else "" for n, _ in blocks]
    groups: dict[str, list[int]] = {}
    for i, (k, v) in enumerate(zip(keys, values)):
        if v is not None:
            groups.setdefault(k, []).append(i)
    for k, idx in groups.items():
        if not any(np.isfinite(values[i][0]).any() for i in idx):
            raise InputError(f"{source}: field {scalars!r} has no finite values to render"
                             + (f" on {k}" if k else ""))
    crange = {}
    for k, idx in groups.items():
        lo, hi, uniform = colour_range(np.concatenate([values[i][0] for i in idx]),
                                       offset=offset, log=log)
        if clim is not None and ranges == "shared":
            lo, hi, uniform = float(clim[0]), float(clim[1]), uniform
            if hi <= lo:
                raise InputError(f"clim: {clim!r} is not an increasing range")
        crange[k] = (lo, hi, uniform)
    bounds = np.array([ds.bounds for _, ds in blocks], float).reshape(len(blocks), 6)
    bmin = np.array([bounds[:, 0].min(), bounds[:, 2].min(), bounds[:, 4].min()])
    bmax = np.array([bounds[:, 1].max(), bounds[:, 3].max(), bounds[:, 5].max()])
    extent = bmax - bmin
    diag = float(np.linalg.norm(extent)) or 1.0
    flat = extent.min() <= 1e-9 * diag
    n_cells = sum(ds.n_cells for _, ds in blocks)
    edges = n_cells <= EDGE_CELL_LIMIT if show_edges is None else bool(show_edges)
    label = field_label(scalars) + (", log scale" if log else "")
    unit = _UNITS.get(scalars, ("", ""))[1]
    if arrows is None:
        arrows = field_directions(grid)
    else:
        for k, v in arrows.items():
            v = np.asarray(v, float)
            if v.shape != (3,) or not np.all(np.isfinite(v)) or not np.linalg.norm(v) > 0:
                raise InputError(f"arrows: {k!r} needs a finite non-zero 3-vector, got {v}")
        arrows = {k: np.asarray(v, float) / np.linalg.norm(v) for k, v in arrows.items()}
    png_path = Path(png_path)
    font = int(np.clip(window_size[0] // 50, 8, 20))
    n_bars = len(groups)
    # line meshes (pipes) alone are drawn as tubes; beside surfaces as thin lines, so that
    # tubes bonded to a surface (the coolant channels on a wing) do not cover its colours
    alone = all(_is_lines(ds) for _, ds in blocks)
    tube = TUBE_RADIUS * diag if alone else None
    line_px = 4 if alone else max(1, window_size[0] // 700)
    bar_h = min(0.7, 0.78 / n_bars - 0.06) if n_bars > 1 else 0.7

    plotter = pv.Plotter(off_screen=True, window_size=list(window_size))
    try:
        plotter.set_background("white")
        bar_done = set()
        for i, ((name, ds), val) in enumerate(zip(blocks, values)):
            if val is None:  # block without the field: plain grey
                mesh, is_line = _prepared(ds, np.zeros(ds.n_points), "point", tube)
                plotter.add_mesh(mesh, color=MISSING_COLOUR, lighting=not (flat or is_line),
                                 line_width=line_px if is_line else 1, show_scalar_bar=False)
                continue
            vals, where = val
            k = keys[i]
            lo, hi, _uniform = crange[k]
            if log:
                vals = np.clip(vals, lo, None)
            mesh, is_line = _prepared(ds, vals, where, tube)
            j = list(groups).index(k)
            bar_title = (f"{k} ({unit}{', log' if log else ''})" if unit else k) if k else label
            plotter.add_mesh(
                mesh, scalars="_render_values", preference=where, cmap=cmap, clim=[lo, hi],
                log_scale=log, show_edges=edges and not is_line, edge_color="#505050",
                line_width=line_px if is_line else 1, lighting=not (flat or is_line),
                ambient=0.35, diffuse=0.65, nan_color="grey",
                show_scalar_bar=k not in bar_done,
                scalar_bar_args={
                    "title": bar_title, "color": "black", "fmt": "%.3g" if log else "%.4g",
                    "vertical": True, "position_x": 0.84, "width": 0.06, "height": bar_h,
                    "position_y": 0.15 if n_bars == 1 else 0.9 - (j + 1) * (bar_h + 0.06),
                    "n_labels": 5 if n_bars == 1 else 3,
                    "title_font_size": font + 2 if n_bars == 1 else font,
                    "label_font_size": font if n_bars == 1 else font - 2})
            bar_done.add(k)
        lines = [] if "" in groups else [f"{label}, each body on its own range:"]
        for k, idx in groups.items():
            v = np.concatenate([values[i][0] for i in idx])
            v = v[np.isfinite(v)]
            lo, hi, uniform = crange[k]
            span = (f"uniform {v.mean():.6g}" if uniform
                    else f"min {v.min():.4g}, max {v.max():.4g}")
            lines.append(f"{k}: {span} {unit}".rstrip() if k
                         else f"{label}: {span} {unit}".rstrip())
        if missing:
            lines.append(f"no {scalars} on {', '.join(missing)} (grey)")
        if note:
            lines.append(note)
        plotter.add_text("\n".join(lines), position="lower_left",
                         font_size=max(6, font // 2 + 2), color="black")
        if title:
            plotter.add_text(title, position="upper_left", font_size=max(7, font // 2 + 4),
                             color="black")
        direction = _camera_direction(camera, extent)
        if direction is None:
            plotter.camera_position = camera
        else:
            centre = 0.5 * (bmin + bmax)
            up = (0.0, 0.0, 1.0) if abs(direction[2]) < 0.95 * np.linalg.norm(direction) \
                else (0.0, 1.0, 0.0)
            plotter.camera_position = [tuple(centre + direction), tuple(centre), up]
        cam = plotter.camera  # screen axes in the scene: towards the camera, right, up
        view = np.asarray(cam.position, float) - np.asarray(cam.focal_point, float)
        view /= np.linalg.norm(view)
        right = np.cross(np.asarray(cam.up, float), view)
        right /= np.linalg.norm(right)
        up_s = np.cross(view, right)
        if scale_bar:
            _add_scale_bar(plotter, pv, bmin, bmax, diag, font, up_s)
        if arrows:
            # the arrows start left of the object on the screen (clear of the colour bars on
            # the right), past its bounding box where the frame allows, and a little up
            half_w = 0.5 * float(np.abs(extent) @ np.abs(right))
            left = min(half_w + 0.06 * diag, 0.5 * diag)
            anchor = 0.5 * (bmin + bmax) - left * right + 0.1 * diag * up_s
            for (lab, d), colour in zip(arrows.items(), ARROW_COLOURS):
                _add_arrow(plotter, pv, anchor, diag, d, lab, colour, font)
        # fit the object (its bounding sphere; the arrows and the scale bar lie inside it)
        plotter.reset_camera(bounds=[bmin[0], bmax[0], bmin[1], bmax[1], bmin[2], bmax[2]])
        # keep the object clear of the colour bar on the right
        # (and lift it clear of the text lines at the bottom)
        plotter.camera.SetWindowCenter(0.12, -0.03 * max(len(lines) - 1, 0))
        # the sphere leaves room round a 3D object: it can come a little closer than a flat one
        plotter.camera.zoom(1.05 if flat or direction is None else 1.15)
        png_path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(png_path) as tmp:
            plotter.screenshot(tmp)
    finally:
        plotter.close()
    return png_path


def _add_scale_bar(plotter, pv, bmin, bmax, diag, font, up) -> None:
    """A bar of a round length (:func:`nice_length` of 30 % of the longest side) along the
    object's longest axis, starting just below (on the screen: ``up`` is the screen's up in
    the scene) the object's lowest bounding-box corner, so that it never covers the object;
    labelled with its length."""
    ext = bmax - bmin
    a_ax = int(np.argmax(ext))
    length = nice_length(0.3 * max(ext[a_ax], 1e-12 * diag))
    corners = np.array([[x, y, z] for x in (bmin[0], bmax[0]) for y in (bmin[1], bmax[1])
                        for z in (bmin[2], bmax[2])])
    low = corners[int(np.argmin(corners @ up))]
    e_a = np.eye(3)[a_ax] * (1.0 if low[a_ax] == bmin[a_ax] else -1.0)  # inwards
    # the screen's down, without its component along the bar
    down = -(up - (up @ e_a) * e_a)
    down = down / np.linalg.norm(down) if np.linalg.norm(down) > 1e-9 else -up
    a = low + 0.05 * diag * down
    b = a + length * e_a
    r = 0.005 * diag
    parts = [pv.Line(a, b)] + [pv.Line(p - 2.5 * r * down, p + 2.5 * r * down) for p in (a, b)]
    for m in parts:
        plotter.add_mesh(m.tube(radius=r, n_sides=12), color=SCALE_BAR_COLOUR, lighting=False,
                         show_scalar_bar=False)
    plotter.add_point_labels([0.5 * (a + b) + 0.035 * diag * down], [f"{length:g} m"],
                             font_size=max(8, font), text_color="black", shape=None,
                             show_points=False, always_visible=True, bold=False)


def _add_arrow(plotter, pv, start, diag, direction, label, colour, font) -> None:
    """An arrow along ``direction`` from ``start``, labelled at its tip."""
    length = 0.16 * diag
    arrow = pv.Arrow(start=start, direction=direction, scale=length, tip_length=0.25,
                     tip_radius=0.07, shaft_radius=0.025)
    plotter.add_mesh(arrow, color=colour, lighting=False, show_scalar_bar=False)
    plotter.add_point_labels([start + 1.15 * length * np.asarray(direction)], [label],
                             font_size=max(8, font), text_color=colour, shape=None,
                             show_points=False, always_visible=True)


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
        kw.setdefault("arrows", field_directions(data))  # stored on the whole file
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
    kw.setdefault("arrows", field_directions(data))  # stored on the whole file
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
