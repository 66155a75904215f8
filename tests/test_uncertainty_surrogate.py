"""The main job's uncertainty surrogate (thermosat.studies.uncertainty_surrogate) against full
solves: its required area agrees with full re-sizings of the same samples, and its margin at
the sized area with full coupled solves."""
from __future__ import annotations

import pytest

from thermosat.satellite.satellite import Satellite
from thermosat.studies.sizing import size_design
from thermosat.studies.uncertainty import DEFAULT_INPUTS, apply_inputs, sample_inputs
from thermosat.studies.uncertainty_surrogate import (build_surrogate, inputs_for, margin_of,
                                                     surrogate_area, surrogate_margin,
                                                     surrogate_study)

#: stated tolerance of the surrogate's margin at the sized area against a full coupled solve
#: of the same sample (K): what the one-at-a-time model leaves out (interactions), ~2.5 % of
#: area through the margin slope
MARGIN_TOL_K = 1.5
#: stated tolerance of the surrogate's area against a full re-sizing (relative). The full
#: sizing is itself only this repeatable: on this model the margin is not smooth in the area
#: (measured: it jumps by up to ~4 K between areas 3 % apart as the whole number of tube
#: channels and the mesh change), so a re-sizing lands anywhere within a few per cent of the
#: smooth answer
AREA_RTOL = 0.08


@pytest.fixture(scope="module")
def sized():
    from thermosat.case.defaults import default_case

    c = default_case("vleo")
    d = c.to_design(environment="hot", element_size_m=1.0, package_mesh_density=2,
                    fin_elements_per_pitch=2, placement="outboard")
    demand = c.compute_demand_w()
    s = size_design(d, demand, area_bounds_m2=(10.0, 3000.0))
    assert s.feasible
    return s, demand


def test_surrogate_area_agrees_with_full_resizings(sized):
    s, demand = sized
    names = ("earth_ir_w_m2", "albedo", "beta_deg", "bond_conductance_w_mk")
    used = [i for i in inputs_for(s.design, demand) if i.name in names]
    model = build_surrogate(s, demand, used)
    # nominal: where the margin slope puts the zero, within the sizing's repeatability
    assert surrogate_area(model, {}) == pytest.approx(s.design.radiator_area_m2, rel=AREA_RTOL)
    for v in sample_inputs(used, 3, seed=7):
        d, dem = apply_inputs(s.design, demand, v, used)
        m_full = margin_of(Satellite(d).solve_steady())       # same areas, all inputs at once
        assert surrogate_margin(model, v) == pytest.approx(m_full, abs=MARGIN_TOL_K)
        full = size_design(d, dem, area_bounds_m2=(10.0, 3000.0),
                           initial_area_m2=s.design.radiator_area_m2,
                           initial_cell_area_m2=s.design.cell_area_m2)
        assert full.feasible
        a_full, a_sur = full.design.radiator_area_m2, surrogate_area(model, v)
        assert a_sur == pytest.approx(a_full, rel=AREA_RTOL), (v, a_sur, a_full)


def test_study_has_its_samples_p95_and_an_in_run_check(sized):
    s, demand = sized
    used = [i for i in DEFAULT_INPUTS if i.name in ("earth_ir_w_m2", "chip_power_factor")]
    out = surrogate_study(s, demand, 64, n_check=2, inputs=used)
    assert out["uncertainty_samples"] == 64 and len(out["samples"]) == 64
    # the chips run at their rating: the chip-power factor is capped at 1
    cp = [i for i in out["inputs"] if i["name"] == "chip_power_factor"][0]
    assert cp["high"] == 1.0
    areas = sorted(x["radiator_area_m2"] for x in out["samples"])
    assert areas[0] <= out["area_p95_m2"] <= areas[-1]
    for c in out["check"]:
        assert abs(c["margin_error_k"]) < MARGIN_TOL_K, c
        assert surrogate_margin(out["model"], c["values"]) == pytest.approx(
            c["margin_surrogate_k"])
