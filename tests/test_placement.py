"""Radiator placements (issue 14 item 1): geometry of each, the view factors it implies, the
hinge/boom mass and what an MLI-covered panel back changes."""
from __future__ import annotations

import math

import numpy as np
import pytest

from thermosat.common.errors import InputError
from thermosat.mesh.generators import grid_shell
from thermosat.radiation.viewfactors import facet_geometry, view_factors
from thermosat.satellite.geometry import wing_mesh
from thermosat.satellite.placement import (BOOM_LINEAR_MASS_KG_M, HINGE_MASS_KG_PER_WING,
                                           OUTBOARD_ARM_M, placement_mass)


@pytest.fixture(autouse=True)
def _vf_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("THERMOSAT_CACHE_DIR", str(tmp_path / "cache"))


L, W = 4.0, 10.0          # panel: long edges along y (axis 1), at x = 0 and x = L


def _panel_back():
    m = grid_shell(np.linspace(0, L, 5), np.linspace(0, W, 11))
    return m.points, m.cells[:, [0, 3, 2, 1]]                      # normal −z


def _f_wing_to_panel(wing, face: str) -> float:
    pp, pf = _panel_back()
    pts = np.vstack([pp, wing.points])
    wf = wing.boundary(face).facets + len(pp)
    vf = view_factors(pts, np.vstack([pf, wf]), use_cache=False)
    n = len(pf)
    A = vf.areas
    return float((A[n:, None] * vf.F[n:, :n].toarray()).sum() / A[n:].sum())


def howell_perpendicular_common_edge(w: float, h: float, l: float) -> float:
    """F from a plate w × l to a perpendicular plate h × l sharing the edge l (Howell C-14)."""
    W_, H = w / l, h / l
    a = (1 + W_**2) * (1 + H**2) / (1 + W_**2 + H**2)
    b = (W_**2 * (1 + W_**2 + H**2) / ((1 + W_**2) * (W_**2 + H**2))) ** (W_**2)
    c = (H**2 * (1 + H**2 + W_**2) / ((1 + H**2) * (H**2 + W_**2))) ** (H**2)
    r = math.hypot(H, W_)
    return (W_ * math.atan(1 / W_) + H * math.atan(1 / H) - r * math.atan(1 / r)
            + 0.25 * math.log(a * b * c)) / (math.pi * W_)


@pytest.mark.parametrize("placement", ["beside", "outboard", "boom"])
def test_each_placement_has_its_area_and_stands_edge_on_to_the_sun(placement):
    for k in range(2):
        w = wing_mesh(k, L, W, 6.0, 2.0, 0.5, placement=placement, boom_length_m=7.0)
        g = facet_geometry(w.points, w.boundary("out_front_radiator").facets)
        gb = facet_geometry(w.points, w.boundary("out_back_radiator").facets)
        assert g.areas.sum() == pytest.approx(12.0)
        assert np.allclose(g.normals, g.normals[0]) and np.allclose(gb.normals, -g.normals)
        assert np.allclose(g.normals[:, 2], 0.0)                  # Sun line (z) in the plane
        lo, hi = w.points.min(axis=0), w.points.max(axis=0)
        if placement == "beside":      # on the long edge, towards −z, facing inward
            assert lo[0] == hi[0] == pytest.approx(k * L)
            assert (lo[2], hi[2]) == pytest.approx((-2.0, 0.0))
            assert np.allclose(g.normals[:, 0], 1.0 if k == 0 else -1.0)
        elif placement == "outboard":  # beyond the edge, centred on the panel plane
            assert (lo[2], hi[2]) == pytest.approx((-1.0, 1.0))
            if k == 0:
                assert hi[0] == pytest.approx(-OUTBOARD_ARM_M)
                assert lo[0] == pytest.approx(-OUTBOARD_ARM_M - 6.0)
            else:
                assert lo[0] == pytest.approx(L + OUTBOARD_ARM_M)
            assert lo[1] == hi[1] == pytest.approx(0.5 * W)
            assert np.allclose(np.abs(g.normals[:, 1]), 1.0)       # normal along the edge
        else:                          # behind the panel centre, top at the boom's end
            assert (lo[2], hi[2]) == pytest.approx((-9.0, -7.0))
            assert lo[0] == hi[0] == pytest.approx(0.5 * L)
            assert (lo[1], hi[1]) == pytest.approx((5.0 - 6.0, 5.0) if k == 0 else (5.0, 11.0))


def test_beside_wing_on_the_full_edge_matches_the_perpendicular_plate_closed_form():
    w = wing_mesh(0, L, W, W, 3.0, 0.5)
    f = _f_wing_to_panel(w, "out_front_radiator")
    assert f == pytest.approx(howell_perpendicular_common_edge(3.0, L, W), rel=1e-3)
    assert _f_wing_to_panel(w, "out_back_radiator") == 0.0        # the outer face: space only


def test_outboard_wings_see_the_panel_only_edge_on_and_the_boom_less_with_distance():
    beside = _f_wing_to_panel(wing_mesh(0, L, W, 6.0, 2.0, 0.5), "out_front_radiator")
    out = [_f_wing_to_panel(wing_mesh(0, L, W, 6.0, 2.0, 0.5, placement="outboard"), f)
           for f in ("out_front_radiator", "out_back_radiator")]
    assert beside > 0.2
    assert max(out) < 0.02 and max(out) < 0.05 * beside
    assert out[0] == pytest.approx(out[1], rel=1e-6)              # symmetric about the edge
    boom = [_f_wing_to_panel(wing_mesh(0, L, W, 6.0, 2.0, 0.5, placement="boom",
                                       boom_length_m=b), "out_front_radiator")
            for b in (2.0, 5.0, 10.0)]
    assert boom[0] > boom[1] > boom[2] > 0.0
    assert boom[2] < 0.1 * beside


def test_placement_inputs_and_mass():
    from thermosat.case.defaults import default_design

    d = default_design("vleo")
    with pytest.raises(InputError, match="placement"):
        d.with_areas(placement="sideways")
    with pytest.raises(InputError, match="boom_length_m"):
        d.with_areas(placement="boom", boom_length_m=0.5)
    with pytest.raises(InputError, match="panel_back"):
        d.with_areas(placement="panel_back")                       # wings with panel_back
    assert placement_mass(d.with_areas(placement="beside")) == {
        "hinges_kg": 2 * HINGE_MASS_KG_PER_WING, "boom_kg": 0.0}
    bm = placement_mass(d.with_areas(placement="boom", boom_length_m=12.0))
    assert bm["boom_kg"] == pytest.approx(12.0 * BOOM_LINEAR_MASS_KG_M)
    pb = d.with_areas(placement="panel_back", wing_area_m2=0.0, panel_radiator_area_m2=50.0)
    assert placement_mass(pb) == {"hinges_kg": 0.0, "boom_kg": 0.0}


def test_mli_panel_back_cuts_what_the_panel_sends_to_beside_wings():
    from thermosat.case.defaults import default_design
    from thermosat.satellite.satellite import Satellite

    d = default_design("vleo", panel_radiator_area_m2=0.0, wing_area_m2=60.0,
                       element_size_m=2.0, package_mesh_density=2, fin_elements_per_pitch=None)
    bare = Satellite(d).solve_steady()
    mli = Satellite(d.with_areas(panel_back_mli=True)).solve_steady()
    for r in (bare, mli):
        assert r.energy.imbalance_rel < 1e-8

    def to_wings(r):
        b = r.exchange["between"]
        return sum(b.get(f"panel→wing{i}", 0.0) - b.get(f"wing{i}→panel", 0.0) for i in (1, 2))

    # the panel back radiates ε σ T⁴: ε 0.03 against Z-93's ~0.85 → far less into the wings
    assert to_wings(mli) < 0.1 * to_wings(bare)
    assert mli.temperatures["coolant_max_k"] < bare.temperatures["coolant_max_k"]
    # ... and the cells, without their back-face radiator, run hotter
    assert mli.temperatures["cell_max_k"] > bare.temperatures["cell_max_k"] + 10.0
