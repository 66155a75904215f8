"""Linear solver chosen from the matrix, one step for linear models, user override
(issue 11, item 7)."""
import numpy as np
import pytest

from thermosat import Model, mesh
from thermosat.common.errors import InputError
from thermosat.solve.linear import ENVELOPE_DIRECT, choose_method, envelope_after_rcm
from thermosat.solve.steady import make_linear_solver
import scipy.sparse as sp


def _conduction(m, fixed="xmin"):
    m.material(conductivity=100.0)
    m.fixed_temperature(fixed, 300.0)
    m.heat_source(q_w_m3=1e5)
    return m


def test_envelope_of_a_grid_laplacian_is_its_bandwidth_times_n():
    """RCM on an nx × ny grid (nx ≥ ny) orders by anti-diagonals: the row envelope is about
    ny per row, so the total is ≈ n·ny (within a factor 2), independent of the input order."""
    nx, ny = 60, 12
    lap1 = sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(nx, nx))
    lap2 = sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(ny, ny))
    A = (sp.kron(sp.identity(ny), lap1) + sp.kron(lap2, sp.identity(nx))).tocsr()
    env = envelope_after_rcm(A)
    n = nx * ny
    assert 0.5 * n * ny < env < 2.0 * n * ny
    p = np.random.default_rng(0).permutation(n)
    assert envelope_after_rcm(A[p][:, p]) == pytest.approx(env, rel=0.3)


def test_auto_factorises_quasi_2d_plate_and_uses_amg_on_a_cube():
    plate = _conduction(Model(mesh.box(1.2, 0.6, 0.01, 120, 60, 1)))
    cube = _conduction(Model(mesh.box(1.0, 1.0, 1.0, 30, 30, 30)))
    assert plate.n_nodes > 14_000 and cube.n_nodes > 29_000
    kind, facts = choose_method(plate.build().A)
    assert kind == "direct" and facts["envelope"] < ENVELOPE_DIRECT
    kind, facts = choose_method(cube.build().A)
    assert kind == "amg" and facts["envelope"] > ENVELOPE_DIRECT


@pytest.mark.parametrize("solver", ["auto", "direct", "amg", "gmres"])
def test_linear_model_solves_in_one_step(solver):
    m = _conduction(Model(mesh.box(0.5, 0.3, 0.2, 16, 10, 6)))
    ref = m.solve_steady(solver="direct")
    res = m.solve_steady(solver=solver)
    assert res.convergence.iterations == 1 and res.convergence.converged
    assert np.max(np.abs(res.T - ref.T)) < 1e-9 * ref.T.max()
    # the answer is the linear system's: reaction balances the source
    assert res.heat_flow("fixed_temperature[xmin]") == pytest.approx(-1e5 * 0.5 * 0.3 * 0.2,
                                                                     rel=1e-9)


def test_linear_transient_steps_are_single_newton_iterations():
    m = Model(mesh.rectangle(0.2, 0.1, 20, 10))
    m.material(conductivity=50.0, thickness_m=1e-3, density=2700.0, specific_heat=900.0)
    m.fixed_temperature("left", 350.0)
    m.convection("right", 10.0, 290.0)
    res = m.solve_transient(100.0, 10.0, 300.0, solver="amg")
    assert all(h.iterations == 1 for h in res.convergence_steps)


def test_nonlinear_model_still_iterates():
    m = Model(mesh.rectangle(0.2, 0.1, 10, 5))
    m.material(conductivity=50.0, thickness_m=1e-3)
    m.heat_source(q_w_m3=1e5)
    m.radiation("all", 0.9)
    assert m.solve_steady().convergence.iterations > 2


def test_auto_records_its_choice_and_facts():
    m = _conduction(Model(mesh.box(0.5, 0.3, 0.2, 8, 5, 3)))
    ls = make_linear_solver(m, "auto")
    m.solve_steady(linear=ls)
    assert ls.choice == "direct" and ls.facts["n"] == m.n_nodes and ls.factorizations == 1


def test_bad_solver_is_refused():
    m = _conduction(Model(mesh.box(1, 1, 1, 2, 2, 2)))
    with pytest.raises(InputError, match=r"solver: 'cholesky' is not one of auto, direct, amg, "
                                         r"gmres"):
        m.solve_steady(solver="cholesky")
