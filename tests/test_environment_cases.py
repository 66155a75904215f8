"""Fast, coarse versions of the orbital-heating validation cases (docs/references.md §8
cases 13–16); the full cases run in tests/test_validation.py and ``thermosat validate``.

Each test runs the case's own ``compute`` on a coarse mesh, with the looser tolerance
stated in it.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from thermosat.radiation import view_factors
from thermosat.verification import runner as validate
from thermosat.verification.cases import (
    earth_flux_cavity,
    solar_reflection,
    sun_shadowing,
    view_factor_concentric_spheres as spheres,
)

NAMES = ("earth_flux_cavity", "solar_reflection", "view_factor_concentric_spheres",
         "sun_shadowing")


def test_cases_are_registered_under_their_contract_names():
    names = {c.name for c in validate.discover()}
    assert set(NAMES) <= names
    assert [c.name for c in validate.discover(only=["sun_shadowing"])] == ["sun_shadowing"]


def test_references_are_the_closed_forms():
    assert earth_flux_cavity.REFERENCE == pytest.approx(90.526, abs=5e-4)
    assert solar_reflection.REFERENCE == pytest.approx(231.42, abs=5e-3)
    assert spheres.REFERENCE == 0.75
    assert sun_shadowing.REFERENCE == pytest.approx(
        1361.0 * math.cos(math.radians(30)) * (1 - math.pi / 16), rel=1e-15)


def test_earth_flux_cavity_coarse():
    """32 sectors, 16 × 64 strata: the sampling standard error of the disk mean is
    ~1.7e-3 relative (an upper bound); tolerance 3 standard errors."""
    row = earth_flux_cavity.compute(32)
    err = abs(row["computed"] - earth_flux_cavity.REFERENCE) / earth_flux_cavity.REFERENCE
    assert 0.0 < row["stderr_rel"] < 2.5e-3
    assert err < 3.0 * row["stderr_rel"]
    assert row["rays"] > 0 and row["rays_per_s"] > 0


def test_earth_flux_cavity_error_estimate_falls_with_rays():
    lo = earth_flux_cavity.compute(16, n_u=4, n_phi=16)
    hi = earth_flux_cavity.compute(16, n_u=16, n_phi=64)
    assert hi["stderr_rel"] < 0.3 * lo["stderr_rel"]         # 16× the rays: ~1/4


def test_solar_reflection_coarse():
    """2 × 2 mesh: single bounce off a uniform reflector onto a black plate is exact for
    the polygon view factors; tolerance 1e-9 relative."""
    row = solar_reflection.compute(2)
    assert row["computed"] == pytest.approx(solar_reflection.REFERENCE, rel=1e-9)
    assert row["direct_on_B"] == 0.0
    assert row["energy_balance_error"] < 1e-12


def test_concentric_spheres_coarse():
    """Level 1 (160 facets), 16 rays per pair: raw F_oo within 1e-3 of 0.75, better than one
    centroid ray (≈ 5 % off), and the closed matrix reciprocal and closed."""
    many = spheres.compute(1, 2)
    one = spheres.compute(1, 1)
    assert abs(many["computed"] - 0.75) < 1e-3
    assert abs(many["computed"] - 0.75) < 0.1 * abs(one["computed"] - 0.75)
    spheres.check(many)
    assert many["row_sum_max"] <= 1.0 + 1e-12
    assert many["partly_blocked_pairs"] > 0


def test_concentric_spheres_closure_matches_the_front_door():
    """The case rebuilds view_factors(enclosure=True) from its integration and closure steps:
    both must give the same closed matrix."""
    pts, fac, (gi, go) = spheres.spheres(1)
    vf = view_factors(pts, fac, use_cache=False, enclosure=True)
    row = spheres.compute(1, 2)
    assert vf.group_factor(go, go) == pytest.approx(row["closed_F_oo"], abs=1e-12)
    assert vf.stats["closure_raw_min"] == pytest.approx(row["raw_row_sum_min"], abs=1e-12)
    assert vf.stats["closure_raw_max"] == pytest.approx(row["raw_row_sum_max"], abs=1e-12)
    assert vf.closure_error() < 1e-6
    assert np.asarray(vf.F.sum(axis=1)).max() <= 1.0 + 1e-6


def test_concentric_spheres_check_rejects_a_row_sum_above_one():
    row = spheres.compute(0, 2)
    with pytest.raises(RuntimeError):
        spheres.check({**row, "row_sum_max": 1.0 + 1e-5})


def test_sun_shadowing_coarse():
    """16 × 16 plate: the disk's shadow edge cuts facets; tolerance 3e-3 relative. Full and
    half shadows are exact on any mesh."""
    q = sun_shadowing.compute("disk", 16)
    assert q == pytest.approx(sun_shadowing.REFERENCE, rel=3e-3)
    assert sun_shadowing.compute("full", 5) == 0.0
    half = 0.5 * 1361.0 * math.cos(math.radians(30.0))
    assert sun_shadowing.compute("half", 4) == pytest.approx(half, abs=1e-9)
    assert sun_shadowing.compute("half", 5) == pytest.approx(half, abs=1e-9)


def test_validate_case_option_runs_one_case_as_json(capsys, tmp_path):
    """``thermosat validate --case NAME --json``: one case, its mesh rows in the report."""
    import json

    from thermosat import cli

    code = cli.main(["validate", "--json", "--case", "solar_reflection", "--report",
                     str(tmp_path)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    (case,) = doc["cases"]
    assert case["name"] == "solar_reflection" and case["passed"] is True
    assert len(case["meshes"]) >= 3
    report = (tmp_path / "REPORT.md").read_text()
    assert "| solar_reflection |" in report and "energy_balance_error" in report
