"""The cold check and the coldest orbit run the sized design's power management (issue 12
item 5): the chips take the compute the radiator was sized for and never more, even when
the cold case's cooler cells make more electricity; the surplus goes to the shunt."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from thermosat.case.defaults import default_case
from thermosat.studies.bounding import cold_check, compute_cap_w, orbit_satellite


@pytest.fixture(autouse=True)
def _vf_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("THERMOSAT_CACHE_DIR", str(tmp_path / "cache"))


# 6 chips rated 1.4 kW (8.4 kW rated total) on a coarse model; cells that give ~10 kW
CASE = default_case("meo").with_values({
    "panel.element_size_m": 2.5, "mesh.package_mesh_density": 2, "loop.pipe_pitch_m": 1.0,
    "loop.mass_flow_kg_s": 0.25, "compute.n_chips": 6, "wings.surface_exchange": False,
    "compute.demand_w": None, "compute.reading": "chips_at_rating",
    "wings.area_m2": 40.0, "panel.cell_area_m2": 40.0})
DEMAND_W = 5.0e3                                  # below the rated total: what was sized


def test_the_cap_is_the_smaller_of_rating_total_and_demand():
    d = CASE.to_design(environment="cold")
    rated = d.n_packages * d.package.rated_power_w
    assert compute_cap_w(d) == pytest.approx(rated)
    assert compute_cap_w(d, DEMAND_W) == pytest.approx(DEMAND_W)
    assert compute_cap_w(d, 2 * rated) == pytest.approx(rated)


def test_cold_check_runs_the_chips_at_the_sized_demand_and_shunts_the_rest():
    d = CASE.to_design(environment="cold")
    rated = d.n_packages * d.package.rated_power_w
    free = cold_check(d)                         # capped at the rated total only
    assert free["cold_case_compute_w"] > DEMAND_W * 1.05  # the cells could overdrive
    sized = cold_check(d, demand_w=DEMAND_W)
    assert sized["cold_case_compute_w"] == pytest.approx(DEMAND_W, rel=1e-9)
    assert sized["cold_case_compute_w"] <= rated
    # same cells, same bus: what the chips do not take goes to the shunt (the cells' output
    # moves a little with their temperature, so not to the watt)
    taken_back = free["cold_case_compute_w"] - DEMAND_W
    assert sized["cold_case_shunt_w"] - free["cold_case_shunt_w"] > 0.9 * taken_back
    # less heat in the chips: a cooler junction than the overdriven one
    assert sized["cold_case_junction_max_k"] < free["cold_case_junction_max_k"]


def test_the_coldest_orbit_starts_from_the_sized_demand():
    hot = CASE.to_design(environment="hot")
    sat, res = orbit_satellite(SimpleNamespace(design=hot),
                               CASE.to_design(environment="cold_eclipse"), DEMAND_W)
    assert res.power["compute_w"] == pytest.approx(DEMAND_W, rel=1e-9)
    assert abs(res.energy.imbalance_rel) < 1e-6
    assert sat.rated_compute_w == pytest.approx(DEMAND_W)
