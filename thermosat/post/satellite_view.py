"""Pictures of a solved satellite: the radiating bodies (panel back, wings, coolant, bus) and
the chip packages, each body on its own colour range, with the Sun and nadir directions.

Frame (m, :mod:`thermosat.satellite.geometry`): the panel lies in z = 0 with its cells facing
the Sun along +z; the wings stand edge-on along its long edges towards −z. Both wings are in
view from the ``wings`` camera (from below the panel, off one end and one side).

Example
-------
>>> from thermosat.post.satellite_view import render_satellite
>>> render_satellite(sat, res, "out/vleo", title="VLEO")   # radiators.png, packages.png
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

__all__ = ["MAX_PACKAGES_SHOWN", "satellite_directions", "satellite_multiblock",
           "radiator_multiblock", "packages_note", "render_satellite"]

#: at most this many chip packages are drawn in the packages picture (close enough to read
#: each one's hot spot); a note names them and gives the spread of all packages' maxima
MAX_PACKAGES_SHOWN = 4
ZERO_C = 273.15


def _unit(v) -> np.ndarray:
    v = np.asarray(v, float)
    return v / np.linalg.norm(v)


def satellite_directions(sat) -> dict[str, np.ndarray]:
    """Unit vectors to the Sun and to nadir in the satellite's frame at its steady orbit angle.

    The Sun is along +z (the panel points its cells at it). The wings are held edge-on: the
    Sun line and nadir both lie in their plane (:mod:`thermosat.physics.environment`), so
    nadir is ``cos γ ẑ + sin γ û`` with γ the angle between nadir and the Sun at the orbit
    angle ``steady_theta_deg`` (cos γ = n̂·ŝ; −1 at noon with β = 0: nadir along −z) and û the
    wings' in-plane axis perpendicular to z. The model does not fix the sign of û (no flux
    depends on it): it is taken towards +x or +y. Without wings û is +x.
    """
    orbit = sat.environment.orbit
    sun_o = orbit.sun_vector() if callable(orbit.sun_vector) else orbit.sun_vector
    theta = np.radians(float(sat.design.steady_theta_deg))
    nadir_o = np.asarray(orbit.nadir(np.array([theta])), float).reshape(-1, 3)[0]
    cos_g = float(np.clip(nadir_o @ np.asarray(sun_o, float), -1.0, 1.0))
    z = np.array([0.0, 0.0, 1.0])
    u = np.array([1.0, 0.0, 0.0])
    if sat.wings:
        pts = sat.model.parts[sat.wings[0].layer_parts[0]].mesh.points
        n = np.linalg.svd(pts - pts.mean(axis=0), full_matrices=False)[2][2]
        in_plane = np.cross(n, z)
        if np.linalg.norm(in_plane) > 1e-9:
            u = _unit(in_plane)
            u = u * np.sign(u[np.argmax(np.abs(u))])
    return {"Sun": z, "nadir": _unit(cos_g * z + np.sqrt(max(1.0 - cos_g**2, 0.0)) * u)}


def _with_directions(mb, sat):
    from thermosat.post.render import DIRECTION_FIELDS

    dirs = satellite_directions(sat)
    for key, label in DIRECTION_FIELDS.items():
        mb.field_data[key] = dirs[label]
    return mb


def satellite_multiblock(sat, T: np.ndarray):
    """Every part of ``sat`` at temperatures ``T`` (K) grouped by body (panel, wings,
    coolant, packages, bus), with the Sun and nadir directions in its field data (so that
    ``thermosat render`` draws them)."""
    from thermosat.post.multiblock import model_multiblock

    groups = {"panel": sat.panel.layer_parts, "coolant": [sat.loop.part],
              "packages": [pk.part for pk in sat.packages]}
    for w in sat.wings:
        groups[w.name] = w.layer_parts
    if "bus" in sat.model.parts:  # surface exchange
        groups["bus"] = ["bus"]
    return _with_directions(model_multiblock(sat.model, T, groups), sat)


def radiator_multiblock(sat, T: np.ndarray, *, channels: bool = False):
    """The surfaces that radiate the heat: the panel's back sheet, each wing's layer that
    carries the tubes, the coolant and the bus; with the Sun and nadir directions.

    ``channels=False`` leaves out the coolant's channels bonded to the radiators (their
    temperatures are in the loop plot): lying in the radiator surfaces, at the radiators'
    tube pitch, they would stripe over the surfaces' own colours. The headers, transfer lines
    and cold-plate lines stay.
    """
    from thermosat.post.multiblock import model_multiblock

    groups = {"panel_back": [sat.panel.back_part],
              **{w.name: [w.layer_parts[0]] for w in sat.wings}, "coolant": [sat.loop.part]}
    if "bus" in sat.model.parts:  # surface exchange
        groups["bus"] = ["bus"]
    mb = model_multiblock(sat.model, T, groups)
    kind = np.asarray(sat.loop.edge_kind)
    if not channels and np.any(kind != 1):  # fluid cells are the loop's edges, in order
        mb["coolant"] = mb["coolant"].extract_cells(np.flatnonzero(kind != 1))
    return _with_directions(mb, sat)


def packages_note(names: list[str], shown: int, t_max_k=None) -> str:
    """Which packages a picture shows (``all 3 chip packages shown`` or ``chip packages
    pkg01–pkg04 shown of 12``), and, given every package's maximum temperature ``t_max_k``
    (K), their spread, so the reader knows what the hidden ones look like."""
    if shown >= len(names):
        text = f"all {len(names)} chip packages shown"
    else:
        text = f"chip packages {names[0]}–{names[shown - 1]} shown of {len(names)}"
    if t_max_k is not None and len(names) > 1:
        t = np.asarray(t_max_k, float)
        text += (f"; hottest point of each of the {len(names)}: {t.min() - ZERO_C:.2f} to "
                 f"{t.max() - ZERO_C:.2f} °C (hottest {names[int(np.argmax(t))]})")
    return text


def render_satellite(sat, res, out_dir: str | os.PathLike, *, title: str = "",
                     ranges: str = "body", window_size=(1400, 900)) -> dict[str, str]:
    """``radiators.png`` (panel back, wings, coolant, bus; camera ``wings``; Sun and nadir
    arrows; a scale bar) and ``packages.png`` (up to :data:`MAX_PACKAGES_SHOWN` packages, a
    note saying which) in ``out_dir``; temperatures in °C. ``ranges="body"``: each body on
    its own colour range. Returns ``{"render_radiators": path, "render_packages": path}``.
    """
    from thermosat.post.multiblock import model_multiblock
    from thermosat.post.render import render_grid

    out_dir = Path(out_dir)
    head = f"{title}: " if title else ""
    files = {}
    files["render_radiators"] = str(render_grid(
        radiator_multiblock(sat, res.T), out_dir / "radiators.png",
        title=f"{head}panel back, {'wings, ' if sat.wings else ''}coolant (°C)",
        camera="wings" if sat.wings else "iso",
        ranges=ranges, window_size=window_size,
        note="coolant: headers and transfer lines (the channels on the radiators: loop plot)"))
    names = [pk.part for pk in sat.packages]
    shown = min(len(names), MAX_PACKAGES_SHOWN)
    t_max = [float(res.T[sat.model.parts[n].offset:sat.model.parts[n].offset
                         + sat.model.parts[n].mesh.n_points].max()) for n in names]
    files["render_packages"] = str(render_grid(
        model_multiblock(sat.model, res.T, {n: [n] for n in names[:shown]}),
        out_dir / "packages.png", title=f"{head}chip packages (°C)",
        note=packages_note(names, shown, t_max), window_size=window_size))
    return files
