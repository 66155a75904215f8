"""Pictures an engineer reads at a glance (issue 16 item 5), checked on the pixels drawn.

* Loop plot: the coolant temperature by segment (wings, cold plates, transfer lines), the
  y-range from the data, freezing and boiling stated as margins (not drawn as lines).
* Renders: per-body colour ranges, Sun and nadir arrows, a scale bar, a uniform field drawn
  uniform, a log colour scale, both wings in view, no NaN in any VTK array, packages named.
* Orbit plot: the legends outside the data, the limit lines in the legend.

The satellite is the default VLEO case on a coarse mesh (2.5 m elements, package mesh density
2: one steady solve in seconds), as in tests/test_satellite.py. Colour checks compare pixels
with the colour maps (matplotlib's ``inferno``, ``coolwarm``): flat meshes are drawn unlit, so
a pixel's colour is the map's colour at its value; the arrows and the scale bar are drawn unlit
in flat colours that no map used here contains.
"""
from __future__ import annotations

import types

import matplotlib
import matplotlib.colors as mcolors
import matplotlib.image as mpimg
import numpy as np
import pytest

from thermosat.cli import main
from thermosat.common.errors import InputError

pv = pytest.importorskip("pyvista")
render = pytest.importorskip("thermosat.post.render")
from thermosat.post import plots  # noqa: E402
from thermosat.post import satellite_view as sv  # noqa: E402

INFERNO = matplotlib.colormaps["inferno"]
SMALL = (600, 400)
C0 = 273.15


def rgb(png) -> np.ndarray:
    return np.asarray(mpimg.imread(str(png))[..., :3], float)


def n_pixels_of(im: np.ndarray, colour: str, tol: float = 0.02) -> int:
    """Number of pixels within ``tol`` (per channel) of ``colour``."""
    c = np.array(mcolors.to_rgb(colour))
    return int(np.all(np.abs(im - c) <= tol, axis=-1).sum())


def drawn(im: np.ndarray) -> np.ndarray:
    return ~np.all(im > 0.97, axis=-1)


# ----------------------------------------------------------------------------- satellite
@pytest.fixture(scope="module")
def hot_case():
    from thermosat.case.defaults import default_design
    from thermosat.satellite.satellite import Satellite

    sat = Satellite(default_design("vleo", element_size_m=2.5, package_mesh_density=2))
    return sat, sat.solve_steady()


def test_loop_segments_follow_the_loop_graph(hot_case):
    """Every bonded tube edge belongs to the section whose wall it is bonded to (the link
    ``loop:tube→<wall>`` holds its fluid nodes); the cold-plate edges are the packages'."""
    sat, _res = hot_case
    loop = sat.loop
    labels, seg = plots.loop_segments(loop)
    assert labels == ["wing 1", "wing 2", "cold plates", "transfer lines"]
    off = sat.model.parts[loop.part].offset
    for si, split in enumerate(loop.channel_split):
        wall = split["section"]
        fluid_nodes = set()
        for link in loop.wall_links:
            if link.name.endswith(f"→{wall}"):
                fluid_nodes |= set((link.conn[:, :2] - off).ravel().tolist())
        tubes = np.flatnonzero(loop.edge_kind == 1)
        mine = tubes[seg[tubes] == si]
        assert len(mine) > 0
        assert set(loop.edges[mine].ravel().tolist()) <= fluid_nodes
    assert np.all(seg[loop.edge_kind == 2] == labels.index("cold plates"))
    assert np.all(seg[loop.edge_kind == 3] == labels.index("transfer lines"))
    assert plots.section_label("panel_face_sheet") == "panel radiator"
    assert plots.section_label("wing2_front_sheet") == "wing 2"


def test_loop_plot_range_from_data_and_margins_as_text(hot_case, tmp_path):
    """The y-axis spans the coolant's own temperatures (not the freezing point 47 K below);
    the margins written on the plot are the distances of the coldest / hottest coolant node
    from ammonia's freezing point (195.5 K, docs/references.md) and boiling point."""
    sat, res = hot_case
    Tf = sat.loop.fluid_temperatures(sat.model, res.T)
    fig = plots.loop_figure(sat.loop, sat.model, res.T, "VLEO")
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    span = Tf.max() - Tf.min()
    assert Tf.min() - 0.1 * span <= lo < Tf.min() and Tf.max() < hi <= Tf.max() + 0.2 * span
    fl = sat.loop.fluid
    assert fl.T_freeze == pytest.approx(195.495, abs=0.01)
    assert lo > fl.T_freeze + 10.0  # the freezing point is not forced into the axis
    texts = " ".join(t.get_text() for t in ax.texts)
    assert f"{Tf.min() - fl.T_freeze:.1f} K below the coldest coolant" in texts
    assert f"{fl.T_boil - Tf.max():.1f} K above the hottest coolant" in texts
    for lab in ("wing 1", "wing 2", "cold plates"):
        assert lab in texts  # the shaded bands are labelled
    assert {t.get_text() for t in ax.get_legend().get_texts()} >= {
        "wing 1", "wing 2", "cold plates", "transfer lines"}
    import matplotlib.pyplot as plt

    plt.close(fig)
    png = plots.plot_loop_temperatures(sat.loop, sat.model, res.T, tmp_path / "loop.png")
    im = rgb(png)
    # both wings' segments are drawn in their colours (C0, C2)
    assert n_pixels_of(im, "C0", 0.05) > 500 and n_pixels_of(im, "C2", 0.05) > 500


def test_margin_text_turns_red_inside_the_required_margin():
    from thermosat.physics.fluids import get_fluid

    fl = get_fluid("ammonia", 3.0e6)
    freeze, boil, f_ok, b_ok = plots._margin_lines(fl, np.array([fl.T_freeze + 4.0, 250.0]),
                                                   10.0)
    assert "4.0 K below" in freeze and not f_ok and b_ok
    assert f"{fl.T_boil - 250.0:.1f} K above" in boil


def test_no_nan_in_any_vtk_array(hot_case, tmp_path):
    """The coolant has no conduction (heat moves by advection) and zero-length junction
    edges: it gets no flux or gradient array instead of NaN; every written array is finite."""
    sat, res = hot_case
    path = tmp_path / "sat.vtm"
    from thermosat.post.multiblock import write_vtm

    write_vtm(path, sv.satellite_multiblock(sat, res.T))
    data = pv.read(path)
    n_arrays = 0
    for name, ds in render._blocks(data, str(path)):
        for arrays in (ds.point_data, ds.cell_data):
            for key in arrays.keys():
                assert np.all(np.isfinite(np.asarray(arrays[key], float))), (name, key)
                n_arrays += 1
    assert n_arrays > 20
    coolant = data["coolant"]
    assert "heat_flux_W_m2" not in coolant.cell_data.keys()
    assert "temperature_K" in coolant.point_data.keys()
    assert "heat_flux_W_m2" in data["wing1"]["wing1_front_sheet"].cell_data.keys()
    np.testing.assert_allclose(data.field_data["sun_direction"], [0.0, 0.0, 1.0])


def test_directions_at_noon_and_off_noon():
    """Sun along +z; nadir at angle γ from the Sun with cos γ = −cos θ cos β, in the wings'
    plane (perpendicular to their normal): −z at noon, cos γ = −½ at θ = 60°, β = 0."""
    from thermosat.case.defaults import default_design
    from thermosat.satellite.satellite import Satellite

    for theta, cos_g in ((0.0, -1.0), (60.0, -0.5)):
        sat = Satellite(default_design("vleo", element_size_m=5.0, package_mesh_density=2,
                                       steady_theta_deg=theta))
        d = sv.satellite_directions(sat)
        np.testing.assert_allclose(d["Sun"], [0, 0, 1])
        assert d["nadir"] @ d["Sun"] == pytest.approx(cos_g, abs=1e-12)
        pts = sat.model.parts[sat.wings[0].layer_parts[0]].mesh.points
        normal = np.linalg.svd(pts - pts.mean(axis=0))[2][2]
        assert abs(d["nadir"] @ normal) < 1e-9


@pytest.fixture(scope="module")
def beside_case():
    """The wings hung beside the panel, facing each other: the placement in which one wing
    can hide behind the panel or the other wing."""
    from thermosat.case.defaults import default_design
    from thermosat.satellite.satellite import Satellite

    sat = Satellite(default_design("vleo", element_size_m=2.5, package_mesh_density=2,
                                   placement="beside"))
    return sat, sat.solve_steady()


def _satellite_render_checked(sat, res, tmp_path, min_drawn: float) -> dict:
    """Render the satellite; the radiators picture is drawn over ``min_drawn`` of the window,
    in many colours, with both arrows and the scale bar."""
    files = sv.render_satellite(sat, res, tmp_path, title="VLEO", window_size=(900, 600))
    im = rgb(files["render_radiators"])
    assert drawn(im).mean() > min_drawn
    assert len(np.unique((im * 255).astype(np.uint8).reshape(-1, 3), axis=0)) > 500
    assert n_pixels_of(im, render.ARROW_COLOURS[0]) > 200  # Sun
    assert n_pixels_of(im, render.ARROW_COLOURS[1]) > 200  # nadir
    assert n_pixels_of(im, render.SCALE_BAR_COLOUR) > 200
    return files


def test_default_satellite_picture_is_drawn(hot_case, tmp_path):
    """The default (outboard) placement is long and slender: the render fills less of the
    window, but every body and both arrows are drawn."""
    _satellite_render_checked(*hot_case, tmp_path, min_drawn=0.04)


def test_satellite_pictures_have_arrows_scale_bar_and_both_wings(beside_case, tmp_path):
    sat, res = beside_case
    files = _satellite_render_checked(sat, res, tmp_path, min_drawn=0.1)
    pk = rgb(files["render_packages"])
    assert drawn(pk).mean() > 0.05
    # both wings in view from the default camera: colour wing1 0, wing2 1 and the rest ½ on
    # coolwarm (blue / red / grey, hues that survive the lighting) and count both hues
    mb = sv.radiator_multiblock(sat, res.T)
    for name in mb.keys():
        ds = mb[name]
        ds.point_data["temperature_C"] = np.full(ds.n_points, {"wing1": 0.0, "wing2": 1.0}.get(
            name, 0.5))
    def wing_shares(camera):
        png = render.render_grid(mb, tmp_path / f"{camera}.png", camera=camera,
                                 cmap="coolwarm", clim=(0.0, 1.0), window_size=(900, 600),
                                 arrows={}, scale_bar=False)
        im = rgb(png)
        return (im[..., 2] - im[..., 0] > 0.15).mean(), (im[..., 0] - im[..., 2] > 0.15).mean()

    blue, red = wing_shares("wings")
    assert blue > 0.02 and red > 0.02, (blue, red)
    assert min(blue, red) > 0.7 * max(blue, red)  # both wings about equally in view
    # the check can fail: looking along the wings' normal (yz), one wing hides the other
    blue, red = wing_shares("yz")
    assert min(blue, red) < 0.3 * max(blue, red)


def test_packages_note():
    names = [f"pkg{i:02d}" for i in range(1, 13)]
    assert sv.packages_note(names[:3], 3) == "all 3 chip packages shown"
    t = np.full(12, 350.0)
    t[10] = 351.0
    note = sv.packages_note(names, 4, t)
    assert note.startswith("chip packages pkg01–pkg04 shown of 12")
    assert "76.85 to 77.85 °C (hottest pkg11)" in note


# ----------------------------------------------------------------------------- renders
def _plate(values, nx=40, ny=10, where="point", name="temperature_C", origin=(0, 0, 0)):
    grid = pv.ImageData(dimensions=(nx + 1, ny + 1, 1), spacing=(1.0 / nx, 0.3 / ny, 1),
                        origin=origin).cast_to_unstructured_grid()
    x = (grid.points[:, 0] if where == "point" else grid.cell_centers().points[:, 0])
    (grid.point_data if where == "point" else grid.cell_data)[name] = values(x)
    return grid


def _middle_row_colours(im):
    """Colours along the middle row of the object, left of the colour bar, and the row."""
    h, w, _ = im.shape
    region = im[:, : int(0.8 * w)]
    d = drawn(region)
    rows = np.flatnonzero(d.mean(axis=1) > 0.3)
    row = region[rows[len(rows) // 2]]
    cols = np.flatnonzero(drawn(row[None])[0])
    return row, cols


def test_uniform_to_round_off_renders_uniform(tmp_path):
    """26.85 °C ± 1e-12 K of noise: one colour (the middle of the map), reported uniform;
    spreading the noise over the whole map would give dozens of colours."""
    rng = np.random.default_rng(1)
    g = _plate(lambda x: 26.85 + 1e-12 * rng.standard_normal(x.size))
    lo, hi, uniform = render.colour_range(g.point_data["temperature_C"], offset=C0)
    assert uniform and hi - lo == pytest.approx(1.0)
    png = render.render_grid(g, tmp_path / "u.png", camera="xy", window_size=SMALL,
                             show_edges=False, scale_bar=False)
    row, cols = _middle_row_colours(rgb(png))
    inner = row[cols[3:-3]]
    np.testing.assert_allclose(inner, np.broadcast_to(INFERNO(0.5)[:3], inner.shape), atol=0.02)
    # a real 1 mK difference is not uniform
    assert not render.colour_range(np.array([300.0, 300.001]))[2]


def test_log_scale_puts_the_geometric_mean_mid_map(tmp_path):
    """q = 10^(4x) W/m² over x ∈ [0, 1] (1 to 10⁴): on a log scale the middle (100 W/m²) is
    the middle of the map; on the linear scale it is within 1 % of the bottom."""
    g = _plate(lambda x: 10.0 ** (4 * x), where="cell", name="heat_flux_W_m2")
    lin = rgb(render.render_grid(g, tmp_path / "lin.png", scalars="heat_flux_W_m2",
                                 camera="xy", window_size=SMALL, show_edges=False,
                                 scale_bar=False))
    log = rgb(render.render_grid(g, tmp_path / "log.png", scalars="heat_flux_W_m2", log=True,
                                 camera="xy", window_size=SMALL, show_edges=False,
                                 scale_bar=False))
    for im, expect in ((log, INFERNO(0.5)[:3]), (lin, INFERNO(0.01)[:3])):
        row, cols = _middle_row_colours(im)
        np.testing.assert_allclose(row[cols[len(cols) // 2]], expect, atol=0.08)
    with pytest.raises(InputError, match="no positive values"):
        render.colour_range(np.zeros(4), log=True)


def test_each_body_on_its_own_colour_range(tmp_path):
    """A wing at 250–260 K and a panel at 400–500 K side by side: with one shared range the
    wing is all at the dark end; with ``ranges='body'`` both span the whole map (two bars)."""
    wing = _plate(lambda x: 250.0 + 10.0 * x - C0)
    panel = _plate(lambda x: 400.0 + 100.0 * x - C0, origin=(0, 0.5, 0))
    mb = pv.MultiBlock({"wing1": wing, "panel": panel})
    kw = {"camera": "xy", "window_size": (800, 600), "show_edges": False, "scale_bar": False}
    shared = rgb(render.render_grid(mb, tmp_path / "shared.png", **kw))
    body = rgb(render.render_grid(mb, tmp_path / "body.png", ranges="body", **kw))
    hot = INFERNO(0.98)[:3]

    def near(im, c, region):
        return np.all(np.abs(im[region] - np.asarray(c)) < 0.06, axis=-1).sum()

    h, w, _ = body.shape
    # the wing is at y ∈ [0, 0.3] (lower half of the picture), the panel above it
    lower = (slice(h // 2, h), slice(0, int(0.75 * w)))
    upper = (slice(0, h // 2), slice(0, int(0.75 * w)))
    assert near(shared, hot, lower) == 0 and near(shared, hot, upper) > 50
    assert near(body, hot, lower) > 50 and near(body, hot, upper) > 50
    assert render.body_of("wing2") == "wing" and render.body_of("pkg07") == "pkg"
    with pytest.raises(InputError, match="ranges"):
        render.render_grid(mb, tmp_path / "x.png", ranges="each")


def test_arrows_and_scale_bar_drawn_only_when_asked(tmp_path):
    g = _plate(lambda x: x)
    kw = {"camera": "iso", "window_size": SMALL, "show_edges": False}
    with_all = rgb(render.render_grid(g, tmp_path / "a.png",
                                      arrows={"Sun": (0, 0, 1), "nadir": (1, 0, -1)}, **kw))
    bare = rgb(render.render_grid(g, tmp_path / "b.png", scale_bar=False, **kw))
    for colour in (render.ARROW_COLOURS[0], render.ARROW_COLOURS[1], render.SCALE_BAR_COLOUR):
        assert n_pixels_of(with_all, colour) > 60, colour
        assert n_pixels_of(bare, colour) == 0, colour
    assert [render.nice_length(v) for v in (11.1, 7.9, 2.0, 0.031, 1.0)] == \
        [10.0, 5.0, 2.0, 0.02, 1.0]


def test_block_without_the_field_is_grey_and_named(tmp_path):
    """Heat flux on a satellite-like file: the coolant block has none; it is drawn grey."""
    plate = _plate(lambda x: 1e3 * (1 + x), where="cell", name="heat_flux_W_m2")
    pipe = pv.Line((0, 0.5, 0), (1, 0.5, 0), resolution=10).cast_to_unstructured_grid()
    pipe.point_data["temperature_C"] = np.zeros(pipe.n_points)
    mb = pv.MultiBlock({"panel": plate, "coolant": pipe})
    im = rgb(render.render_grid(mb, tmp_path / "q.png", scalars="heat_flux_W_m2", camera="xy",
                                window_size=SMALL, scale_bar=False))
    assert n_pixels_of(im, render.MISSING_COLOUR) > 50
    with pytest.raises(InputError, match="'nope' does not exist"):
        render.render_grid(mb, tmp_path / "n.png", scalars="nope")


def test_cli_render_satellite_file(hot_case, tmp_path, capsys):
    """``thermosat render`` of a satellite .vtm: arrows from the file, per-body ranges, log
    heat flux; ``--no-arrows`` leaves them out."""
    sat, res = hot_case
    from thermosat.post.multiblock import write_vtm

    vtm = write_vtm(tmp_path / "rad.vtm", sv.radiator_multiblock(sat, res.T))
    out = tmp_path / "q.png"
    code = main(["render", str(vtm), "--png", str(out), "--scalars", "heat_flux_W_m2", "--log",
                 "--ranges", "body", "--camera", "wings", "--size", "800x500"])
    assert code == 0 and capsys.readouterr().out.strip() == str(out)
    im = rgb(out)
    assert n_pixels_of(im, render.ARROW_COLOURS[0]) > 100
    assert n_pixels_of(im, render.MISSING_COLOUR) > 20  # the coolant: no heat flux
    code = main(["render", str(vtm), "--png", str(tmp_path / "n.png"), "--no-arrows",
                 "--no-scale-bar", "--size", "800x500"])
    assert code == 0
    im = rgb(tmp_path / "n.png")
    assert n_pixels_of(im, render.ARROW_COLOURS[0]) == 0
    assert n_pixels_of(im, render.SCALE_BAR_COLOUR) == 0
    # one block of the file keeps the file's arrows
    code = main(["render", str(vtm), "--png", str(tmp_path / "w.png"), "--block", "wing1",
                 "--size", "800x500"])
    assert code == 0 and n_pixels_of(rgb(tmp_path / "w.png"), render.ARROW_COLOURS[1]) > 50


# ----------------------------------------------------------------------------- orbit plot
def test_orbit_legend_outside_the_data_with_the_limits():
    t = np.linspace(0.0, 5700.0, 48)
    dark = (t > 1900) & (t < 3800)
    s = {"t_s": t, "junction_max_k": 340 - 60.0 * dark, "cell_max_k": 330 - 80.0 * dark,
         "coolant_max_k": 250 - 40.0 * dark, "coolant_min_k": 243 - 40.0 * dark,
         "pv_w": 27e3 * ~dark, "compute_w": 25e3 * ~dark}
    fig = plots.orbit_figure(types.SimpleNamespace(series=s),
                             {"junction_limit_k": 363.15, "coolant_freeze_k": 195.495,
                              "required_coolant_margin_k": 10.0})
    fig.canvas.draw()
    for ax in fig.axes:
        leg = ax.get_legend()
        assert leg.get_window_extent().x0 >= ax.get_window_extent().x1  # right of the data
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "junction limit 363.15 K (90 °C)" in labels
    assert "coolant freezing 195.5 K (-77.65 °C)" in labels
    assert "freezing + required margin 10 K" in labels
    import matplotlib.pyplot as plt

    plt.close(fig)
