"""The sized area at one more refinement (issue 12, item 2): the secant re-sizing on the h/2
mesh gives the area that a full sizing of the refined design gives, and a fin left
unresolved (two tubes per element) undersizes the radiator."""
from __future__ import annotations

from dataclasses import replace

import pytest

from thermosat.case.defaults import default_design
from thermosat.studies.mesh_change import area_mesh_change, refined_design
from thermosat.studies.sizing import size_design

DEMAND_W = 4000.0


def _design(**kw):
    d = default_design("vleo", element_size_m=1.0, package_mesh_density=2, n_packages=4,
                       panel_width_m=4.0, wing_width_m=2.0, wing_area_m2=20.0, **kw)
    return replace(d, loop=replace(d.loop, mass_flow_kg_s=0.2))


@pytest.fixture(scope="module")
def sized():
    # 4 elements per tube pitch (the default before 6 Dec; the default is now 8): there the
    # h/2 refinement still moves the area by a few per cent, in a known direction, which is
    # what the secant re-sizing is checked against below. At 8 the fin is converged and the
    # ~1 % that remains has no fixed sign (the tube-pass staircase)
    return size_design(_design(fin_elements_per_pitch=4), DEMAND_W, area_bounds_m2=(2.0, 3000.0))


def test_refined_design_halves_the_mesh():
    d = _design()
    f = refined_design(d)
    assert f.element_size_m == pytest.approx(0.5 * d.element_size_m)
    assert f.fin_elements_per_pitch == 2 * d.fin_elements_per_pitch


def test_secant_resizing_matches_a_full_sizing_of_the_refined_design(sized):
    assert sized.feasible
    ch = area_mesh_change(sized)
    full = size_design(refined_design(sized.design), DEMAND_W, area_bounds_m2=(2.0, 3000.0),
                       initial_cell_area_m2=sized.design.cell_area_m2)
    assert full.feasible
    a_full = full.design.radiator_area_m2
    # both stop within 0.05 K of the junction limit; the junction moves ~2-4 K per 10 % of
    # area here, so the two areas agree to well under 1 %
    assert ch["refined_radiator_area_m2"] == pytest.approx(a_full, rel=1e-2)
    rel = ch["area_mesh_change_rel"]
    assert rel == pytest.approx((ch["refined_radiator_area_m2"] - sized.design.radiator_area_m2)
                                / sized.design.radiator_area_m2)
    # a coarser mesh is stiffer (it cannot show all of the temperature drop in the sheet):
    # the refined mesh needs more area, by a few per cent on this 1 m-element test design
    assert 0.0 < rel < 0.06
    assert len(ch["refined_solves"]) <= 5


def test_unresolved_fin_undersizes(sized):
    # elements wider than the tube pitch cannot show the temperature dip between tubes
    # (fin efficiency 1): the sized area comes out smaller — the non-conservative answer the
    # resolved mesh (4 elements per pitch) corrects
    coarse = size_design(_design(fin_elements_per_pitch=None), DEMAND_W,
                         area_bounds_m2=(2.0, 3000.0))
    assert coarse.feasible
    assert coarse.design.radiator_area_m2 < 0.97 * sized.design.radiator_area_m2
