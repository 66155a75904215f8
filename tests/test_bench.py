"""Benchmark harness: the JSON contract and thermosat/scikit-fem agreement (no timings).

Agreement tolerance 1e-8 relative: both codes integrate every form exactly on the same mesh
(radiation ε σ T⁴ N is degree 5 on linear cells and both use degree-5 rules), so they differ
only by round-off and by where each Newton loop stops (1e-10 relative residual).
"""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

pytest.importorskip("skfem")

from thermosat.verification import bench
from thermosat.cli import main

ROW_KEYS = {"problem", "unknowns", "thermosat_s", "baseline", "baseline_s", "ratio",
            "max_rel_diff", "peak_mem_bytes"}


def test_bench_json_contract_on_a_tiny_size(capsys):
    """``thermosat bench --json`` prints {"rows": [...]} with the contract's keys, and the row
    is only believed because the two codes agree."""
    assert main(["bench", "--json", "--problems", "assembly_tri", "--sizes", "400"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"rows"} and len(out["rows"]) == 1
    row = out["rows"][0]
    assert ROW_KEYS <= set(row)
    assert row["problem"] == "assembly_tri" and row["unknowns"] == 400
    assert row["thermosat_s"] > 0 and row["baseline_s"] > 0 and row["peak_mem_bytes"] > 0
    assert row["ratio"] == pytest.approx(row["baseline_s"] / row["thermosat_s"])
    assert row["max_rel_diff"] < 1e-12
    assert "compile_s" in row


def test_skipped_baseline_is_null_with_a_reason():
    """Above a problem's baseline limit the row keeps thermosat and says why there is none."""
    limit, why = bench.BASELINE_MAX["transient_2d"]
    assert why and limit < max(bench.FULL_SIZES["transient_2d"])


def _agree(ts, sk):
    a, b = np.asarray(ts), np.asarray(sk)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def test_assembly_matches_scikit_fem():
    mesh = bench.panel_mesh(400)
    _, ts = bench.ts_assembly(mesh)
    _, sk = bench.sk_assembly(mesh)
    A, B = ts().toarray(), sk().toarray()
    assert np.abs(A - B).max() / np.abs(B).max() < 1e-12


def test_steady_radiating_plate_matches_scikit_fem():
    mesh = bench.panel_mesh(400)
    T_ts, info = bench.ts_steady_2d(mesh)
    T_sk, _ = bench.sk_steady_2d(mesh)
    assert _agree(T_ts, T_sk) < 1e-8
    assert T_ts.min() > 3.0 and info["newton_iterations"] >= 2


def test_steady_hex_stack_matches_scikit_fem():
    mesh = bench.stack_mesh(600)
    T_ts, _ = bench.ts_steady_3d(mesh)
    T_sk, _ = bench.sk_steady_3d(mesh)
    assert _agree(T_ts, T_sk) < 1e-8


def test_transient_plate_matches_scikit_fem():
    spec = dataclasses.replace(bench.PANEL, n_steps=5)
    mesh = bench.panel_mesh(200)
    T_ts, _ = bench.ts_transient_2d(mesh, spec)
    T_sk, _ = bench.sk_transient_2d(mesh, spec)
    assert _agree(T_ts, T_sk) < 1e-8
    assert T_ts.max() > spec.transient_t0_k  # the chip heats up


def test_ray_cast_row_on_a_coarse_satellite_scene():
    """The ray_cast row counts its rays: the Sun (0.2, 0, 1) lights exactly the panel front
    (a quarter of the facets, nothing above it; the wings are edge-on), one ray per Gauss
    point; the Earth rays are fewer than facets × 4 points × 64 strata (facets facing away
    from the Earth cast none)."""
    row = bench.ray_cast_row(h=2.5)              # 16 × 4 panel quads, 16 × 2 per wing
    assert ROW_KEYS <= set(row)
    nf = row["facets"]
    assert row["problem"] == bench.RAY_CAST and nf == row["unknowns"] == 2 * 64 + 4 * 32
    assert row["sun_rays"] == 64 * 4
    assert row["sunlit_fraction_mean"] == pytest.approx(64 / nf, abs=1e-15)
    assert 0 < row["earth_rays"] < nf * 4 * 64
    assert row["rays_per_s"] > 0 and row["bvh_build_s"] >= 0
