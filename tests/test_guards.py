"""Physics guards: a design past a limit is flagged, never silently passed; Newton fails loudly.

* Steady results (``SatelliteResult.limits``): junction and cell temperatures past their
  limits, coolant frozen or boiling (closer than the required margin) anywhere in the loop, and
  an energy imbalance above tolerance each appear in ``limits["violations"]`` with a negative
  margin, in ``summary()``, in the sizing (``SizingResult``: infeasible, binding constraint,
  message), in the size report (Markdown and terminal table) and in ``thermosat solve``'s
  output (``checks``, verdict line, ``--strict`` exit status 1).
* Newton: non-convergence raises :class:`ConvergenceError` carrying the residual history;
  the line search damps steps from far-off starts; emissivity continuation rescues a
  radiation problem that plain Newton cannot solve within the iteration budget.

The satellite designs are deliberately coarse (2 m panel elements, two chip packages of mesh
density 2: ~900 unknowns) so that each solve takes seconds.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from thermosat import Model
from thermosat.case.load import parse_case
from thermosat.cli import main
from thermosat.common.errors import ConvergenceError, PhysicsLimitError, ThermosatError
from thermosat.mesh.generators import rectangle
from thermosat.satellite.satellite import ENERGY_TOL_REL, Satellite, limit_violations
from thermosat.post.report import tier_table, write_report
from thermosat.solve.records import EnergyBalance
from thermosat.studies.sizing import size_design
from thermosat.studies.tier_job import contract_row
from coarse_case import coarse_case

#: a coarse VLEO satellite: 2 chips of ~13 kW each, far past the junction limit
COARSE = coarse_case("coarse guard-test satellite")

BASE = parse_case(COARSE, "coarse.toml")
#: variants: each violates the named limit(s)
VARIANTS = {
    "hot": {"limits.cell_max_k": 300.0},                       # junction and cells
    # water at ~270 K, no heaters (they would hold it above freezing + margin)
    "freeze": {"loop.fluid": "water", "loop.pressure_pa": None, "heaters.enabled": False},
    "boil": {"loop.pressure_pa": 5.0e5},                       # ammonia boils at 277 K
}


def _case(name):
    return BASE.with_values(VARIANTS[name], source=f"{name}.toml")


@pytest.fixture(scope="module")
def solved():
    """name -> (design, SatelliteResult) for every variant (one coupled solve each)."""
    out = {}
    for name in VARIANTS:
        design = _case(name).to_design()
        out[name] = (design, Satellite(design).solve_steady())
    return out


# ============================================================================ steady results
@pytest.mark.parametrize("name,violated,margin_key", [
    ("hot", "junction", "junction_margin_k"),
    ("hot", "cells", "cell_margin_k"),
    ("freeze", "coolant_freeze", "freeze_margin_k"),
    ("boil", "coolant_boil", "boil_margin_k"),
])
def test_limit_violations_are_flagged_in_the_result(solved, name, violated, margin_key):
    _, res = solved[name]
    lim = res.limits
    assert violated in lim["violations"]
    need = lim["required_coolant_margin_k"] if margin_key in ("freeze_margin_k",
                                                               "boil_margin_k") else 0.0
    assert lim[margin_key] < need
    assert "LIMITS VIOLATED: " in res.summary() and violated in res.summary()
    if violated.startswith("coolant"):
        word = "freezes" if violated == "coolant_freeze" else "boils"
        assert "FAILS" in lim["coolant_message"] and word in lim["coolant_message"]


def _overrated(res) -> set:
    """{"chip_power"} when the coarse case drives its chips above their rating."""
    return {"chip_power"} if res.limits.get("chip_power_margin_w", 0.0) < 0 else set()


def test_only_the_violated_limits_are_flagged(solved):
    for name, expect in (("hot", {"junction", "cells"}), ("freeze", {"junction", "coolant_freeze"}),
                         ("boil", {"junction", "coolant_boil"})):
        res = solved[name][1]
        assert set(res.limits["violations"]) == expect | _overrated(res)
    for _, res in solved.values():
        assert res.limits["energy_imbalance_rel"] <= ENERGY_TOL_REL
        assert "energy_balance" not in res.limits["violations"]


def test_coolant_is_checked_at_every_loop_node(solved):
    """The freeze / boil margins are those of the coldest / hottest fluid node."""
    for name in ("freeze", "boil"):
        design, res = solved[name]
        # rebuild the same satellite to read the fluid temperatures of the solution
        sat = Satellite(design)
        tf = sat.loop.fluid_temperatures(sat.model, res.T)
        assert tf.size > 10
        lim = res.limits
        assert lim["freeze_margin_k"] == pytest.approx(tf.min() - lim["coolant_freeze_k"])
        assert lim["boil_margin_k"] == pytest.approx(lim["coolant_boil_k"] - tf.max())


def test_nan_margins_count_as_violations():
    lim = {"junction_margin_k": math.nan, "cell_margin_k": 1.0, "freeze_margin_k": 20.0,
           "boil_margin_k": math.nan, "required_coolant_margin_k": 10.0,
           "energy_imbalance_rel": math.nan, "energy_tolerance_rel": 1e-6}
    assert limit_violations(lim) == ["junction", "coolant_boil", "energy_balance"]


def _inflated_energy(monkeypatch, factor_rel=1e-3):
    """Make every steady energy balance report a relative imbalance of ``factor_rel``."""
    from thermosat.solve import steady

    real = steady.energy_balance

    def bad(flows, stored_w=0.0):
        e = real(flows, stored_w)
        return EnergyBalance(e.heat_in, e.heat_out, e.stored_w, factor_rel)

    monkeypatch.setattr(steady, "energy_balance", bad)


def test_energy_imbalance_above_tolerance_is_flagged(monkeypatch):
    _inflated_energy(monkeypatch)
    res = Satellite(_case("hot").to_design()).solve_steady()
    assert "energy_balance" in res.limits["violations"]
    assert res.limits["energy_imbalance_rel"] == pytest.approx(1e-3)
    assert "energy_balance" in res.summary()


# ============================================================================ sizing + report
def test_sizing_junction_infeasible_and_report(tmp_path):
    design = _case("hot").to_design()
    s = size_design(design, 25000.0, vary="panel_radiator", area_bounds_m2=(40.0, 3000.0))
    assert not s.feasible and s.binding_constraint == "junction"
    assert s.margins["junction"] < 0 and "junction" in s.message
    assert {"junction", "cells"} <= set(s.result.limits["violations"])
    row = contract_row("vleo", design, s)
    assert row["feasible"] is False and row["radiator_area_m2"] is None
    assert row["violations"][:2] == ["junction", "cells"]
    _check_report(tmp_path, row, ["junction", "cells"])


def test_sizing_freeze_infeasible_and_report(tmp_path):
    """A water loop on a radiator far larger than the heat needs: the junction is met but the
    coolant freezes, so no area is returned (no heaters: they would hold the coolant and
    take the compute power instead)."""
    design = BASE.with_values({"loop.fluid": "water", "loop.pressure_pa": None,
                               "heaters.enabled": False}).to_design()
    s = size_design(design, 3000.0, vary="panel_radiator", area_bounds_m2=(1500.0, 3000.0))
    assert not s.feasible and s.binding_constraint == "coolant_freeze"
    assert s.margins["coolant_freeze"] < 0 <= s.margins["junction"]
    assert "freezes the coolant" in s.message
    row = contract_row("vleo", design, s)
    assert row["radiator_area_m2"] is None and row["violations"] == ["coolant_freeze"]
    _check_report(tmp_path, row, ["coolant_freeze"])


def test_sizing_of_a_design_point_without_compute_power_is_refused():
    """In eclipse the PV makes nothing: sizing must refuse (the cell rescaling would divide
    by zero compute power and build an astronomically large panel)."""
    design = BASE.with_values({"orbit.steady_theta_deg": 180.0}).to_design()
    with pytest.raises(PhysicsLimitError, match="no compute power.*eclipse"):
        size_design(design, 25000.0, vary="panel_radiator", area_bounds_m2=(40.0, 3000.0))


def _check_report(tmp_path, row, violated):
    row = dict(row, files={})
    text = write_report(tmp_path / "report.md", [row], [], {"vleo": "x = 1"}).read_text()
    assert "**(infeasible)**" in text
    assert "Limits violated at the design point: " + ", ".join(violated) in text
    for k in violated:
        assert f"| {k} | -" in text, k      # its margin row is negative
    table = tier_table([row])
    assert "(INFEASIBLE)" in table and "violated: " + ", ".join(violated) in table


# ============================================================================ thermosat solve
def _solve_cli(tmp_path, name, capsys, *extra):
    path = tmp_path / f"{name}.toml"
    path.write_text(_case(name).to_toml())
    out = tmp_path / f"out_{name}"
    rc = main(["solve", str(path), "--no-transient", "--no-vtk", "--out", str(out), *extra])
    cap = capsys.readouterr()
    return rc, cap, out


@pytest.mark.parametrize("name,failing", [("freeze", "coolant_freeze"),
                                          ("boil", "coolant_boil"), ("hot", "cells")])
def test_solve_output_flags_the_limit(tmp_path, capsys, name, failing):
    rc, cap, out = _solve_cli(tmp_path, name, capsys, "--json")
    assert rc == 0, cap.err
    rec = json.loads(cap.out)
    assert rec["ok"] is False and rec["checks"][failing] is False
    assert failing in rec["steady"]["limits"]["violations"]
    on_disk = json.loads((out / "result.json").read_text())
    assert on_disk["checks"][failing] is False
    rc, cap, _ = _solve_cli(tmp_path, name, capsys, "--strict")
    assert rc == 1
    verdict = cap.out.strip().splitlines()[-2]
    assert verdict.startswith("verdict: FAILS") and failing in verdict
    assert "FAIL" in cap.out


def test_solve_output_flags_energy_imbalance(tmp_path, capsys, monkeypatch):
    _inflated_energy(monkeypatch)
    rc, cap, _ = _solve_cli(tmp_path, "hot", capsys, "--json")
    assert rc == 0, cap.err
    rec = json.loads(cap.out)
    assert rec["checks"]["energy_balance"] is False and rec["ok"] is False


def test_solver_failure_in_solve_is_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch):
    def fail(self, **kw):
        raise ConvergenceError("satellite steady solve (outer iteration 0): Newton did not "
                               "converge: relative residual 1e-3", [1.0, 0.1, 1e-3])

    monkeypatch.setattr(Satellite, "solve_steady", fail)
    rc, cap, out = _solve_cli(tmp_path, "hot", capsys)
    assert rc == 2 and cap.out == ""
    lines = cap.err.strip().splitlines()         # progress lines, then the error
    assert all(line.startswith("thermosat solve: ") for line in lines)
    assert [ln for ln in lines if ": error: " in ln] == [lines[-1]]
    assert "Traceback" not in cap.err and "did not converge" in cap.err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["hot.toml"]


# ============================================================================ Newton
def plate(eps=0.9):
    """Heated plate radiating from every edge and one face (test_solvers.radiating_plate)."""
    m = Model(rectangle(1.0, 0.5, 10, 5, cell="tri3"))
    m.material(conductivity=170.0, thickness_m=2e-3)
    m.heat_source(q_w_m3=1e5)
    m.radiation("all", emissivity=eps)
    m.radiation("right", emissivity=eps, absorbed_flux_w_m2=1000.0)
    return m


def test_newton_failure_raises_with_residual_history():
    with pytest.raises(ConvergenceError) as info:
        plate().solve_steady(max_iter=1, continuation=False)
    err = info.value
    assert isinstance(err, ThermosatError)
    assert len(err.history) == 2 and all(np.isfinite(err.history))
    assert "did not converge" in str(err) and "history" in str(err) and "\n" not in str(err)


def test_newton_damps_steps_from_a_far_start():
    """From 3 K the linearised radiation step overshoots by orders of magnitude: the step is
    cut (step size < 1), every iterate stays positive and the solve converges."""
    res = plate().solve_steady(T0=3.0, continuation=False)
    c = res.convergence
    assert c.converged and min(c.step_sizes) < 0.1
    assert res.T.min() > 3.0


@pytest.mark.parametrize("T0", [3e4, 1e6])
def test_newton_line_search_works_from_far_above(T0):
    """Far above the answer residual and throughput both scale as T⁴; steps must still be
    accepted on the decrease of the unbalanced heat."""
    ref = plate().solve_steady()
    res = plate().solve_steady(T0=T0, continuation=False, max_iter=60)
    np.testing.assert_allclose(res.T, ref.T, rtol=1e-9)


def test_continuation_rescues_a_hard_radiation_problem():
    """Start 10,000 K from a black-body plate whose answer is ~740 K: plain Newton needs more
    than 11 iterations; emissivity continuation (each stage within 11) gets there."""
    ref = plate(1.0).solve_steady()
    with pytest.raises(ConvergenceError) as info:
        plate(1.0).solve_steady(T0=1e4, max_iter=11, continuation=False)
    assert len(info.value.history) == 12
    res = plate(1.0).solve_steady(T0=1e4, max_iter=11)
    assert res.convergence.converged
    assert len(res.convergence.residuals) > 12          # the stages' histories, combined
    np.testing.assert_allclose(res.T, ref.T, rtol=1e-9)


def test_continuation_that_fails_names_its_stage_and_keeps_the_history():
    m = plate(1.0)
    with pytest.raises(ConvergenceError, match=r"continuation failed at ε scale") as info:
        m.solve_steady(T0=1e4, max_iter=3)
    assert len(info.value.history) >= 4
    assert m.solve_steady().convergence.converged       # emissivities restored


# ============================================================================ loop geometry
def test_tubes_follow_the_edges_of_a_square_panel():
    """A square panel has no longest axis: the tubes must still run along its edges (the
    SVD's arbitrary diagonal axes put tube points outside the mesh, or diagonal tubes)."""
    from thermosat.physics.loop import path_points
    from thermosat.satellite.satellite import grid_shell

    xs = np.linspace(0.0, 20.0, 21)
    mesh = grid_shell(xs, xs).with_regions({"radiator": np.arange(400)})
    for pitch in (1.0, 0.5):
        for line in path_points(mesh, "radiator", "parallel", pitch, 1.0):
            assert line[:, 0].min() >= 0.0 and line[:, 0].max() <= 20.0
            assert line[:, 1].min() >= 0.0 and line[:, 1].max() <= 20.0
            d = np.abs(np.diff(line, axis=0))
            assert np.all((d[:, 0] < 1e-9) | (d[:, 1] < 1e-9))   # parallel to x or y
