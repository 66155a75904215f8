"""VTK output of results: fields, units, vectors, series files, multi-part models, probes.

Reference values: for T = T0 + g·x the gradient is g everywhere and the heat flux −k g
(Fourier's law); °C = K − 273.15 (ITS-90 definition).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import meshio
import numpy as np
import pytest

from thermosat import Model
from thermosat.common.errors import InputError
from thermosat.mesh.core import Mesh
from thermosat.mesh.generators import box, interval, rectangle, shell

K_W_MK = 20.0


def _linear_solution(mesh, kw, lo="left", hi="right"):
    """Ends held at 300 K and 500 K: T linear in x with gradient 200/L_x."""
    m = Model(mesh)
    m.material(conductivity=K_W_MK, **kw)
    m.fixed_temperature(lo, 300.0)
    m.fixed_temperature(hi, 500.0)
    return m, m.solve_steady()


CASES = {
    "line2": (lambda: interval(2.0, 8), {"area_m2": 1e-4}, "left", "right", "line"),
    "line3": (lambda: interval(2.0, 4, order=2), {"area_m2": 1e-4}, "left", "right", "line3"),
    "tri3": (lambda: rectangle(2.0, 1.0, 6, 3, cell="tri3"), {"thickness_m": 1e-3},
             "left", "right", "triangle"),
    "tri6": (lambda: rectangle(2.0, 1.0, 3, 2, cell="tri6"), {"thickness_m": 1e-3},
             "left", "right", "triangle6"),
    "quad4": (lambda: rectangle(2.0, 1.0, 6, 3), {"thickness_m": 1e-3}, "left", "right", "quad"),
    "tet4": (lambda: box(2.0, 1.0, 0.5, 4, 2, 1, cell="tet4"), {}, "xmin", "xmax", "tetra"),
    "hex8": (lambda: box(2.0, 1.0, 0.5, 4, 2, 1), {}, "xmin", "xmax", "hexahedron"),
}


@pytest.mark.parametrize("cell", list(CASES))
def test_vtu_fields_for_every_cell_type(cell, tmp_path):
    """The VTU carries the mesh and temperature in K and °C at points; gradient (K/m), heat
    flux −k∇T (W/m², 3 components) and region ids per cell."""
    make, kw, lo, hi, meshio_type = CASES[cell]
    mesh = make()
    _, res = _linear_solution(mesh, kw, lo, hi)
    (path,) = res.write_vtk(tmp_path, "out")
    assert path == tmp_path / "out.vtu" and path.is_file()
    back = meshio.read(path)
    assert back.cells[0].type == meshio_type
    np.testing.assert_array_equal(back.cells[0].data, mesh.cells)
    np.testing.assert_allclose(back.points, mesh.points)
    T = back.point_data["temperature_K"]
    np.testing.assert_allclose(T, 300.0 + 100.0 * mesh.points[:, 0], rtol=1e-12)
    np.testing.assert_allclose(back.point_data["temperature_C"], T - 273.15, rtol=1e-14)
    grad = back.cell_data["temperature_gradient_K_m"][0]
    flux = back.cell_data["heat_flux_W_m2"][0]
    assert grad.shape == flux.shape == (mesh.n_cells, 3)
    np.testing.assert_allclose(grad, np.tile([100.0, 0.0, 0.0], (mesh.n_cells, 1)), atol=1e-9)
    np.testing.assert_allclose(flux, -K_W_MK * grad, rtol=1e-14)
    np.testing.assert_array_equal(back.cell_data["region_id"][0], 0)
    assert [p.name for p in tmp_path.iterdir()] == ["out.vtu"], "no temporary files left"


def test_heat_flux_output_uses_k_of_t():
    """With k(T) = k0(1 + βT) from a table the heat flux written is k(T_cell)·|∇T|, which for a
    bar between held ends is the uniform Kirchhoff flux (U(T_b) − U(T_a))/L everywhere."""
    k0, beta, L = 10.0, 2e-3, 0.5
    table = [(100.0, k0 * (1 + beta * 100.0)), (1000.0, k0 * (1 + beta * 1000.0))]
    m = Model(interval(L, 10))
    m.material(conductivity=table, area_m2=1e-4)
    m.fixed_temperature("left", 300.0)
    m.fixed_temperature("right", 900.0)
    res = m.solve_steady()
    q = (k0 * (900.0 + beta * 900.0 ** 2 / 2) - k0 * (300.0 + beta * 300.0 ** 2 / 2)) / L
    flux = res.grid(res.T).cell_data["heat_flux_W_m2"]
    np.testing.assert_allclose(flux[:, 0], -q, rtol=1e-9)


def test_region_ids_follow_sorted_region_names():
    """region_id is the index of the cell's region among the sorted region names."""
    base = rectangle(1.0, 1.0, 2, 1)
    mesh = Mesh(base.points, base.cells, "quad4", {"b_alu": [0], "a_copper": [1]},
                base.boundaries)
    m = Model(mesh)
    m.material("a_copper", conductivity=400.0, thickness_m=1e-3)
    m.material("b_alu", conductivity=170.0, thickness_m=1e-3)
    m.fixed_temperature("left", 300.0)
    m.fixed_temperature("right", 310.0)
    res = m.solve_steady()
    grid = res.grid(res.T)
    np.testing.assert_array_equal(grid.cell_data["region_id"], [1, 0])
    # series conduction: the same heat flux through both halves, each with its own k
    flux = np.asarray(grid.cell_data["heat_flux_W_m2"])[:, 0]
    assert flux[0] == pytest.approx(flux[1], rel=1e-10)
    q = -10.0 / (0.5 / 170.0 + 0.5 / 400.0)  # W/m², resistances in series, towards −x
    assert flux[0] == pytest.approx(q, rel=1e-10)


def test_transient_pvd_series(tmp_path):
    """One VTU per saved frame under <stem>_frames/ and a .pvd listing them with their times
    (s), in order; every listed file exists and holds that frame."""
    m = Model(rectangle(1.0, 0.5, 6, 3, cell="tri3"))
    m.material(conductivity=170.0, thickness_m=2e-3, density=2700.0, specific_heat=900.0)
    m.heat_flux("left", 1e5)
    m.radiation("all", 0.9)
    res = m.solve_transient(300.0, 60.0, 280.0, save_every=2)
    pvd = res.write_vtk(tmp_path, "run")
    assert pvd == tmp_path / "run.pvd"
    root = ET.parse(pvd).getroot()
    assert root.get("type") == "Collection"
    entries = [(float(d.get("timestep")), d.get("file")) for d in root.iter("DataSet")]
    np.testing.assert_allclose([t for t, _ in entries], [0.0, 120.0, 240.0, 300.0])
    for (t, f), frame in zip(entries, res.frames):
        back = meshio.read(tmp_path / f)
        np.testing.assert_allclose(back.point_data["temperature_K"], frame)
    assert sorted(p.name for p in (tmp_path / "run_frames").iterdir()) == [
        f"run_{i:05d}.vtu" for i in range(4)]


def test_multi_part_output_one_file_per_part(tmp_path):
    m = Model()
    m.add_part("bar", interval(1.0, 4))
    m.add_part("panel", shell(0.5, 0.5, 2, 2, origin=(0, 0, 1)))
    m.material("bar/domain", conductivity=10.0, area_m2=1e-4)
    m.material("panel/domain", conductivity=170.0, thickness_m=1e-3)
    m.fixed_temperature("bar/left", 300.0)
    m.fixed_temperature("bar/right", 320.0)
    m.fixed_temperature("panel/left", 350.0)
    res = m.solve_steady()
    paths = res.write_vtk(tmp_path, "sat")
    assert [p.name for p in paths] == ["sat_bar.vtu", "sat_panel.vtu"]
    np.testing.assert_allclose(meshio.read(paths[0]).point_data["temperature_K"],
                               300.0 + 20.0 * np.linspace(0, 1, 5))
    np.testing.assert_allclose(meshio.read(paths[1]).point_data["temperature_K"], 350.0)


def test_multi_part_transient_one_series_per_part(tmp_path):
    """A .pvd per part (``<stem>_<part>.pvd``), also for stems containing underscores."""
    m = Model()
    m.add_part("bar", interval(1.0, 4))
    m.add_part("panel", shell(0.5, 0.5, 2, 2, origin=(0, 0, 1)))
    m.material("bar/domain", conductivity=10.0, area_m2=1e-4, density=1e3, specific_heat=100.0)
    m.material("panel/domain", conductivity=170.0, thickness_m=1e-3, density=1e3,
               specific_heat=100.0)
    m.fixed_temperature("bar/left", 300.0)
    m.fixed_temperature("panel/left", 350.0)
    res = m.solve_transient(2.0, 1.0, 330.0)
    res.write_vtk(tmp_path, "my_run")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_run_bar.pvd", "my_run_frames",
                                                          "my_run_panel.pvd"]
    for part, n_pts in (("bar", 5), ("panel", 9)):
        files = [d.get("file") for d in ET.parse(tmp_path / f"my_run_{part}.pvd").iter("DataSet")]
        assert len(files) == 3
        last = meshio.read(tmp_path / files[-1])
        assert last.points.shape[0] == n_pts
        np.testing.assert_allclose(last.point_data["temperature_K"],
                                   res.part_temperature(res.T, part))


def test_temperature_probes():
    """temperature_at interpolates the FE field at arbitrary points (exact for a linear field)
    and refuses points outside the mesh; history_at gives one row per saved frame."""
    mesh = box(2.0, 1.0, 0.5, 4, 2, 1, cell="tet4")
    _, res = _linear_solution(mesh, {}, "xmin", "xmax")
    pts = np.array([[0.3, 0.2, 0.1], [1.7, 0.9, 0.45]])
    np.testing.assert_allclose(res.temperature_at(pts), 300.0 + 100.0 * pts[:, 0], rtol=1e-9)
    with pytest.raises(InputError, match="outside the mesh"):
        res.temperature_at([[5.0, 0.0, 0.0]])
    m = Model(interval(1.0, 4))
    m.material(conductivity=1.0, area_m2=1e-4, density=1000.0, specific_heat=100.0)
    m.fixed_temperature("left", lambda t: 300.0 + t)
    tr = m.solve_transient(3.0, 1.0, 300.0)
    hist = tr.history_at([[0.0, 0.0, 0.0]])
    np.testing.assert_allclose(hist[:, 0], [300.0, 301.0, 302.0, 303.0], rtol=1e-12)


def test_result_summary_and_json():
    _, res = _linear_solution(interval(2.0, 4), {"area_m2": 1e-4})
    text = res.summary()
    assert "T min 300.000 K" in text and "max 500.000 K" in text and "226.85 °C" in text
    j = res.energy.to_json()
    assert j["heat_in_w"]["fixed_temperature"] == pytest.approx(K_W_MK * 1e-4 * 100.0)
    np.testing.assert_allclose(res.T_celsius, res.T - 273.15)
