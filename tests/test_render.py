"""Off-screen PNG renders: the picture is really drawn, with the right colours where hot and
cold are, for line, shell and volume meshes, from files and from result objects; and
``thermosat render`` fails with one line for bad input.

The colour checks compare pixels with matplotlib's ``inferno`` map (the default colour map):
flat meshes are drawn unlit, so a pixel's colour is the map's colour at that temperature.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.image as mpimg
import numpy as np
import pytest

from thermosat import Model
from thermosat.cli import main
from thermosat.common.errors import InputError
from thermosat.mesh.generators import box, interval, polyline, rectangle

pv = pytest.importorskip("pyvista")
render = pytest.importorskip("thermosat.post.render")

SMALL = (480, 320)
INFERNO = matplotlib.colormaps["inferno"]


def load_rgb(png: Path) -> np.ndarray:
    im = mpimg.imread(str(png))
    assert im.ndim == 3 and im.shape[2] in (3, 4)
    return np.asarray(im[..., :3], float)


def distinct_colours(im: np.ndarray) -> int:
    return len(np.unique((im * 255).round().astype(np.uint8).reshape(-1, 3), axis=0))


def drawn_fraction(im: np.ndarray) -> float:
    """Fraction of pixels that are not the white background."""
    return float(np.mean(~np.all(im > 0.97, axis=-1)))


def assert_not_blank(png: Path, min_colours=50, min_fraction=0.05):
    assert png.is_file() and png.stat().st_size > 1000
    im = load_rgb(png)
    assert distinct_colours(im) >= min_colours, distinct_colours(im)
    assert drawn_fraction(im) >= min_fraction, drawn_fraction(im)
    return im


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def gradient_plate():
    """Plate held at 250 K on the left and 450 K on the right: T linear in x."""
    m = Model(rectangle(2.0, 0.6, 40, 12, cell="quad4"))
    m.material(conductivity=100.0, thickness_m=2e-3)
    m.fixed_temperature("left", 250.0)
    m.fixed_temperature("right", 450.0)
    return m.solve_steady()


@pytest.fixture(scope="module")
def transient_plate():
    m = Model(rectangle(1.0, 0.5, 16, 8, cell="tri3"))
    m.material(conductivity=170.0, thickness_m=2e-3, density=2700.0, specific_heat=900.0)
    m.heat_flux("left", 5e5)
    m.radiation("all", 0.85)
    return m.solve_transient(600.0, 60.0, 250.0, scheme="backward_euler")


# ----------------------------------------------------------------------------- pictures
def test_hot_and_cold_regions_render_in_their_colours(gradient_plate, tmp_path):
    """Looking down on the plate (camera xy): the left end is inferno(0) (cold, −23 °C), the
    right end inferno(1) (hot, 177 °C), the middle inferno(½); many colours in between."""
    png = render.render_result(gradient_plate, tmp_path / "plate.png", camera="xy",
                               window_size=(900, 600), show_edges=False, scale_bar=False)
    im = assert_not_blank(png, min_colours=100, min_fraction=0.1)
    h, w, _ = im.shape
    band = im[int(0.3 * h):int(0.7 * h), : int(0.8 * w)]  # left of the colour bar
    drawn = ~np.all(band > 0.97, axis=-1)
    cols = np.flatnonzero(drawn.mean(axis=0) > 0.5)      # columns crossed by the plate
    assert len(cols) > 0.4 * w
    rows = np.flatnonzero(drawn[:, cols[len(cols) // 2]])
    mid_row = band[rows[len(rows) // 2]]
    left = mid_row[cols[:5]].mean(axis=0)
    right = mid_row[cols[-5:]].mean(axis=0)
    centre = mid_row[cols[len(cols) // 2]]
    np.testing.assert_allclose(left, INFERNO(0.0)[:3], atol=0.08)
    np.testing.assert_allclose(right, INFERNO(1.0)[:3], atol=0.08)
    np.testing.assert_allclose(centre, INFERNO(0.5)[:3], atol=0.08)
    assert np.linalg.norm(right - left) > 0.8


@pytest.mark.parametrize("kind", ["pipe", "line3-bar", "tet-box", "hex-box"])
def test_line_and_volume_meshes_render(kind, tmp_path):
    """Pipes/bars are drawn as tubes, volumes as shaded surfaces; none of them blank."""
    if kind == "pipe":
        m = Model(polyline([[0, 0, 0], [1, 0, 0], [1, 1, 0.5]], 20))
        m.material(conductivity=10.0, area_m2=1e-4)
        m.fixed_temperature("inlet", 300.0)
        m.heat_flux("outlet", 1e4)
    elif kind == "line3-bar":
        m = Model(interval(1.0, 10, order=2))
        m.material(conductivity=10.0, area_m2=1e-4)
        m.fixed_temperature("left", 300.0)
        m.heat_flux("right", 1e4)
    else:
        m = Model(box(1.0, 0.5, 0.3, 8, 4, 3, cell="tet4" if kind == "tet-box" else "hex8"))
        m.material(conductivity=10.0)
        m.fixed_temperature("xmin", 300.0)
        m.heat_flux("xmax", 1e3)
    res = m.solve_steady()
    png = render.render_result(res, tmp_path / f"{kind}.png", window_size=SMALL)
    frac = 0.01 if kind in ("pipe", "line3-bar") else 0.1
    assert_not_blank(png, min_colours=50, min_fraction=frac)


def test_vector_cell_field_rendered_as_magnitude(gradient_plate, tmp_path):
    """heat_flux_W_m2 (3-component cell data) is drawn as |q| = k ΔT/L = 10 kW/m²."""
    grid = gradient_plate.grid(gradient_plate.T)
    q = np.linalg.norm(grid.cell_data["heat_flux_W_m2"], axis=1)
    np.testing.assert_allclose(q, 100.0 * 200.0 / 2.0, rtol=1e-9)
    assert render.field_label("heat_flux_W_m2") == "heat flux magnitude (W/m²)"
    png = render.render_grid(grid, tmp_path / "flux.png", scalars="heat_flux_W_m2",
                             window_size=SMALL)
    assert_not_blank(png, min_colours=5)


def test_multi_part_result_drawn_together(tmp_path):
    """Parts of one model (a bar and a panel) share one colour scale in one picture."""
    from thermosat.mesh.generators import shell

    m = Model()
    m.add_part("bar", interval(1.0, 10))
    m.add_part("panel", shell(1.0, 0.5, 10, 5, origin=(0, 0.2, 0.3)))
    m.material("bar/domain", conductivity=10.0, area_m2=1e-4)
    m.material("panel/domain", conductivity=170.0, thickness_m=1e-3)
    m.fixed_temperature("bar/left", 300.0)
    m.fixed_temperature("bar/right", 400.0)
    m.fixed_temperature("panel/left", 250.0)
    m.fixed_temperature("panel/right", 350.0)
    res = m.solve_steady()
    assert_not_blank(render.render_result(res, tmp_path / "both.png", window_size=SMALL))
    assert_not_blank(render.render_result(res, tmp_path / "bar.png", part="bar",
                                          window_size=SMALL), min_fraction=0.01)


def test_field_labels_carry_units():
    assert render.field_label("temperature_C") == "temperature (°C)"
    assert render.field_label("temperature_K") == "temperature (K)"
    assert render.field_label("something_else") == "something_else"


# ----------------------------------------------------------------------------- files
def test_render_vtu_file_default_png_beside_it(gradient_plate, tmp_path):
    (vtu,) = gradient_plate.write_vtk(tmp_path, "steady")
    png = render.render_file(vtu, window_size=SMALL)
    assert png == tmp_path / "steady.png"
    assert_not_blank(png)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == [], "atomic write leaves no temporary files"


def test_render_pvd_frames(transient_plate, tmp_path):
    """Last frame by default; frame 0 is the uniform initial state (one colour); out-of-range
    frames are an InputError naming the frame count."""
    pvd = transient_plate.write_vtk(tmp_path, "tr")
    n = len(transient_plate.frames)
    last = load_rgb(render.render_file(pvd, tmp_path / "last.png", window_size=SMALL))
    first = load_rgb(render.render_file(pvd, tmp_path / "first.png", frame=0,
                                        window_size=SMALL))
    assert distinct_colours(last) > distinct_colours(first)
    assert not np.array_equal(last, first)
    data, t = render.read_frame(pvd, -1)
    assert t == pytest.approx(600.0)
    np.testing.assert_allclose(data.point_data["temperature_K"], transient_plate.T)
    with pytest.raises(InputError, match=f"frame {n} is out of range; the series has {n}"):
        render.render_file(pvd, tmp_path / "x.png", frame=n)
    png = render.render_result(transient_plate, tmp_path / "res0.png", frame=0,
                               window_size=SMALL)
    assert png.is_file()


def test_render_multiblock_together_and_each(gradient_plate, tmp_path):
    """A .vtm with a plate and a pipe: drawn together on one colour scale, block by block, or
    one selected block; an unknown block is named with the available ones."""
    plate = gradient_plate.grid(gradient_plate.T)
    m = Model(polyline([[0, 0, 0.3], [2, 0.6, 0.3]], 10))
    m.material(conductivity=10.0, area_m2=1e-4)
    m.fixed_temperature("inlet", 260.0)
    m.fixed_temperature("outlet", 440.0)
    pipe = m.solve_steady().grid(m.solve_steady().T)
    vtm = tmp_path / "sat.vtm"
    pv.MultiBlock({"panel": plate, "pipe": pipe}).save(vtm)
    both = render.render_file(vtm, window_size=SMALL)
    assert_not_blank(both)
    each = render.render_blocks(vtm, tmp_path / "blocks", window_size=SMALL)
    assert [p.name for p in each] == ["sat_panel.png", "sat_pipe.png"]
    for p in each:
        assert_not_blank(p, min_fraction=0.01)
    one = render.render_file(vtm, tmp_path / "pipe.png", block="pipe", window_size=SMALL)
    assert_not_blank(one, min_fraction=0.01)
    with pytest.raises(InputError, match="block 'wing' does not exist; blocks: panel, pipe"):
        render.render_file(vtm, tmp_path / "x.png", block="wing")


def test_kelvin_only_file_shown_in_celsius(tmp_path):
    """A file with only temperature_K (e.g. written by another tool) renders in °C."""
    grid = pv.ImageData(dimensions=(20, 10, 1)).cast_to_unstructured_grid()
    grid.point_data["temperature_K"] = 273.15 + grid.points[:, 0]
    path = tmp_path / "k.vtu"
    grid.save(path)
    png = render.render_file(path, window_size=SMALL)
    assert_not_blank(png, min_colours=20)


# ----------------------------------------------------------------------------- errors
def test_missing_unreadable_and_unknown_field_errors(gradient_plate, tmp_path):
    with pytest.raises(InputError, match="nothere.vtu: file does not exist"):
        render.render_file(tmp_path / "nothere.vtu")
    bad = tmp_path / "bad.vtu"
    bad.write_text("this is not VTK")
    with pytest.raises(InputError, match="bad.vtu"):
        render.render_file(bad, tmp_path / "bad.png")
    assert not (tmp_path / "bad.png").exists()
    txt = tmp_path / "notes.txt"
    txt.write_text("x")
    with pytest.raises(InputError, match="expected one of .vtu"):
        render.render_file(txt)
    (vtu,) = gradient_plate.write_vtk(tmp_path, "ok")
    with pytest.raises(InputError) as err:
        render.render_file(vtu, tmp_path / "nofield.png", scalars="pressure_Pa")
    msg = str(err.value)
    assert "ok.vtu" in msg and "'pressure_Pa' does not exist" in msg
    assert "temperature_C" in msg and "heat_flux_W_m2" in msg
    assert not (tmp_path / "nofield.png").exists()
    with pytest.raises(InputError, match="camera"):
        render.render_file(vtu, tmp_path / "cam.png", camera="sideways")


# ----------------------------------------------------------------------------- CLI
def test_cli_render_prints_png_path(gradient_plate, tmp_path, capfd):
    """Prints the PNG path and nothing else: no VTK/X-display noise even at the C level."""
    (vtu,) = gradient_plate.write_vtk(tmp_path, "cli")
    out = tmp_path / "pics" / "cli.png"
    code = main(["render", str(vtu), "--png", str(out), "--scalars", "temperature_K",
                 "--camera", "xy", "--size", "400x300"])
    assert code == 0
    captured = capfd.readouterr()
    assert captured.out.strip() == str(out)
    assert captured.err == ""
    im = assert_not_blank(out)
    assert im.shape[:2] == (300, 400)


def test_cli_render_each_block(tmp_path, capsys, gradient_plate):
    vtm = tmp_path / "two.vtm"
    g = gradient_plate.grid(gradient_plate.T)
    pv.MultiBlock({"a": g, "b": g.translate((0, 0, 1.0))}).save(vtm)
    code = main(["render", str(vtm), "--each-block", "--size", "320x240"])
    assert code == 0
    lines = capsys.readouterr().out.split()
    assert [Path(p).name for p in lines] == ["two_a.png", "two_b.png"]


@pytest.mark.parametrize("argv,match", [
    (["render", "/nonexistent/result.vtu"], "result.vtu: file does not exist"),
    (["render", "{vtu}", "--scalars", "nope"], "field 'nope' does not exist"),
    (["render", "{pvd}", "--frame", "99"], "frame 99 is out of range"),
    (["render", "{vtu}", "--size", "big"], "--size"),
])
def test_cli_render_errors_exit_2_with_one_line(argv, match, tmp_path, capsys, gradient_plate,
                                               transient_plate):
    (vtu,) = gradient_plate.write_vtk(tmp_path, "e")
    pvd = transient_plate.write_vtk(tmp_path, "t")
    argv = [a.format(vtu=vtu, pvd=pvd) for a in argv]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("thermosat render: error: ")
    assert match in err
