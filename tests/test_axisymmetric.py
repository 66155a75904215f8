"""Axisymmetric (r–z) models against closed forms: radial conduction, sources, heat flux,
convection and radiation to a sink, nonlinear k(T), transient (short-cylinder series)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import j0, j1

from thermosat import Model
from thermosat.common.errors import InputError
from thermosat.fem.kernels import SIGMA
from thermosat.mesh.generators import box, rectangle
from thermosat.verification.cases import axisymmetric_cylinder as cyl
from thermosat.verification.cases import axisymmetric_finite_cylinder as fin

R1, R2, L, K = 0.02, 0.1, 0.04, 20.0


def _hollow(cell, n=8):
    mesh = rectangle(R2 - R1, L, n, max(1, n // 2), cell=cell, origin=(R1, 0.0))
    m = Model(mesh, axisymmetric=True)
    m.material(conductivity=K)
    return m, mesh


@pytest.mark.parametrize("cell,order", [("tri3", 2.0), ("quad4", 2.0), ("tri6", 3.0)])
def test_hollow_cylinder_two_temperatures_l2_order(cell, order):
    t1, t2 = 400.0, 300.0

    def exact(r):
        return t1 + (t2 - t1) * np.log(r / R1) / math.log(R2 / R1)

    errs = []
    for n in (8, 16, 32):
        m, _ = _hollow(cell, n)
        m.fixed_temperature("left", t1)
        m.fixed_temperature("right", t2)
        errs.append(cyl.axisymmetric_l2(m, m.solve_steady(rtol=1e-12).T, exact))
    rate = math.log2(errs[-2] / errs[-1])
    assert abs(rate - order) < 0.1, (errs, rate)


def test_hollow_cylinder_heat_flow_in_the_energy_balance():
    t1, t2 = 400.0, 300.0
    m, _ = _hollow("tri6", 32)
    m.fixed_temperature("left", t1)
    m.fixed_temperature("right", t2)
    res = m.solve_steady(rtol=1e-12)
    q = 2 * math.pi * K * L * (t1 - t2) / math.log(R2 / R1)
    assert res.energy.total_in_w == pytest.approx(q, rel=1e-5)


def test_inner_heat_flux_outer_fixed():
    qf, t2 = 5e4, 300.0
    m, mesh = _hollow("tri6", 32)
    m.heat_flux("left", qf)
    m.fixed_temperature("right", t2)
    T = m.solve_steady(rtol=1e-12).T
    r = mesh.points[:, 0]
    exact = t2 + qf * R1 / K * np.log(R2 / r)
    assert np.max(np.abs(T - exact)) < 5e-5 * (exact.max() - t2)
    # the flux enters through 2π r1 L of wall
    assert m.build().flows(T, 0.0)["heat_flux"] == pytest.approx(qf * 2 * math.pi * R1 * L,
                                                                 rel=1e-12)


@pytest.mark.parametrize("cell", ["tri6", "quad4", "tri3"])
def test_solid_cylinder_source_radiating_to_sink(cell):
    """Uniform source in a solid rod radiating from its lateral surface: the surface
    temperature balances the power, the profile is T_s + q (R² − r²)/(4k). The axis is a
    boundary of the r–z mesh; a heat flux put on it must change nothing (no area)."""
    R, q, eps, tsink = 0.05, 2e6, 0.8, 250.0
    ts = (q * R / (2 * eps * SIGMA) + tsink**4) ** 0.25
    errs = []
    for n in (12, 24):
        mesh = rectangle(R, 0.1, n, n // 2, cell=cell)
        m = Model(mesh, axisymmetric=True)
        m.material(conductivity=K)
        m.heat_source(q_w_m3=q)
        m.radiation("right", eps, t_sink_k=tsink)
        m.heat_flux("left", 1e9)  # on the axis r = 0
        T = m.solve_steady(rtol=1e-13).T
        r = mesh.points[:, 0]
        exact = ts + q * (R**2 - r**2) / (4 * K)
        errs.append(np.max(np.abs(T - exact)) / (exact.max() - ts))
    if cell == "tri6":  # holds the quadratic profile exactly
        assert errs[-1] < 1e-9
    else:  # nodal errors of linear cells fall at ≈ O(h^1.8) (largest on the axis)
        assert errs[-1] < 0.01 and errs[1] / errs[0] < 0.32, errs
    flows = m.build().flows(T, 0.0)
    assert flows["heat_flux"] == 0.0
    assert flows["source"] == pytest.approx(q * math.pi * R**2 * 0.1, rel=1e-12)


def _skfem_axisymmetric(mesh, q, t_out):
    """The same r–z Galerkin problem assembled by scikit-fem with the 2πr weight in the forms."""
    from skfem import Basis, BilinearForm, ElementTriP1, LinearForm, MeshTri, asm, condense, solve
    from skfem.helpers import dot, grad

    sk = MeshTri(mesh.points[:, :2].T.copy(), mesh.cells.T.copy())
    basis = Basis(sk, ElementTriP1(), intorder=4)

    @BilinearForm
    def a(u, v, w):
        return K * dot(grad(u), grad(v)) * 2 * np.pi * w.x[0]

    @LinearForm
    def f(v, w):
        return q * v * 2 * np.pi * w.x[0]

    A, b = asm(a, basis), asm(f, basis)
    x = np.zeros(basis.N)
    outer = np.flatnonzero(np.isclose(mesh.points[:, 0], mesh.points[:, 0].max()))
    x[outer] = t_out
    return solve(*condense(A, b, x=x, D=outer))


def test_tri3_matches_scikit_fem_axisymmetric_forms():
    pytest.importorskip("skfem")
    q, t_out = 1e6, 350.0
    mesh = rectangle(0.05, 0.08, 10, 7, cell="tri3")
    m = Model(mesh, axisymmetric=True)
    m.material(conductivity=K)
    m.heat_source(q_w_m3=q)
    m.fixed_temperature("right", t_out)
    T = m.solve_steady(rtol=1e-13).T
    ref = _skfem_axisymmetric(mesh, q, t_out)
    assert np.max(np.abs(T - ref)) < 1e-9 * (ref.max() - t_out)


def test_power_source_and_convection_balance():
    R, p, h, tinf = 0.03, 150.0, 25.0, 290.0
    mesh = rectangle(R, 0.2, 8, 8, cell="quad4")
    m = Model(mesh, axisymmetric=True)
    m.material(conductivity=K)
    m.heat_source(power_w=p)
    m.convection("right", h, tinf)
    m.convection("top", h, tinf)
    m.convection("bottom", h, tinf)
    res = m.solve_steady(rtol=1e-12)
    assert res.energy.total_in_w == pytest.approx(p, rel=1e-12)
    assert res.energy.total_out_w == pytest.approx(p, rel=1e-9)


def test_nonlinear_conductivity_kirchhoff():
    """k(T) linear from 10 to 30 W/m/K on [300, 500] K: the Kirchhoff potential
    U = ∫k dT is linear in ln r, which fixes the heat flow exactly."""
    t1, t2 = 500.0, 300.0
    table = [(300.0, 10.0), (500.0, 30.0)]

    def U(t):
        return 10.0 * (t - 300.0) + 0.05 * (t - 300.0) ** 2

    mesh = rectangle(R2 - R1, L, 32, 4, cell="tri6", origin=(R1, 0.0))
    m = Model(mesh, axisymmetric=True)
    m.material(conductivity=table)
    m.fixed_temperature("left", t1)
    m.fixed_temperature("right", t2)
    res = m.solve_steady(rtol=1e-12)
    q = 2 * math.pi * L * (U(t1) - U(t2)) / math.log(R2 / R1)
    assert res.energy.total_in_w == pytest.approx(q, rel=1e-4)
    r = mesh.points[:, 0]
    u = U(t1) + (U(t2) - U(t1)) * np.log(r / R1) / math.log(R2 / R1)
    t_exact = 300.0 + (-10.0 + np.sqrt(100.0 + 0.2 * u)) / 0.1
    assert np.max(np.abs(res.T - t_exact)) < 1e-4 * (t1 - t2)


def test_series_roots_match_incropera_table_5_1():
    """Bi = 0.5: plane wall ζ1 = 0.6533, C1 = 1.0701; cylinder ζ1 = 0.9408, C1 = 1.1143
    (Incropera et al., Table 5.1)."""
    z = fin._roots(lambda s: s * np.sin(s) - 0.5 * np.cos(s), 3, math.pi)[0]
    assert z == pytest.approx(0.6533, abs=1e-4)
    assert 4 * math.sin(z) / (2 * z + math.sin(2 * z)) == pytest.approx(1.0701, abs=1e-4)
    z = fin._roots(lambda x: x * j1(x) - 0.5 * j0(x), 3, math.pi)[0]
    assert z == pytest.approx(0.9408, abs=1e-4)
    assert 2 / z * j1(z) / (j0(z) ** 2 + j1(z) ** 2) == pytest.approx(1.1143, abs=1e-4)
    # at t = 0 the series reproduce the uniform initial state
    assert fin.cylinder_factor(0.3 * fin.RO_M, 0.0, 0.5) == pytest.approx(1.0, abs=2e-3)


def test_short_cylinder_transient_centre():
    ref = fin.reference_k()
    t = fin.compute(8, "tri6")
    assert abs(t - ref) < 1e-4 * (ref - fin.TINF_K)
    assert abs(t - ref) < abs(fin.compute(4, "tri6") - ref) / 8


def test_planar_and_axisymmetric_differ_only_by_the_weight():
    """A thin ring far from the axis is nearly a slab: Q_axi → 2π r̄ × Q_planar per metre."""
    r0, w = 10.0, 0.01
    mesh = rectangle(w, 0.05, 8, 2, cell="quad4", origin=(r0, 0.0))
    qs = []
    for axi in (True, False):
        m = Model(mesh, axisymmetric=axi)
        m.material(conductivity=K) if axi else m.material(conductivity=K, thickness_m=1.0)
        m.fixed_temperature("left", 400.0)
        m.fixed_temperature("right", 300.0)
        qs.append(m.solve_steady().energy.total_in_w)
    assert qs[0] / qs[1] == pytest.approx(2 * math.pi * (r0 + w / 2), rel=1e-5)


def test_bad_axisymmetric_input_is_refused():
    with pytest.raises(InputError, match="axisymmetric"):
        Model(rectangle(1, 1, 2, 2), axisymmetric="yes")
    with pytest.raises(InputError, match="r = x >= 0"):
        Model(rectangle(1, 1, 2, 2, origin=(-0.5, 0.0)), axisymmetric=True)
    with pytest.raises(InputError, match="axisymmetric models take cells"):
        Model(box(1, 1, 1, 1, 1, 1), axisymmetric=True)
    m = Model(rectangle(1, 1, 2, 2), axisymmetric=True)
    with pytest.raises(InputError, match="thickness_m"):
        m.material(conductivity=1.0, thickness_m=0.01)


def test_cylinder_case_rows_show_the_element_orders():
    res = cyl.run()
    assert res.passed
    for cell, order in (("tri3", 2.0), ("quad4", 2.0), ("tri6", 3.0)):
        rows = [r for r in res.meshes if r["cell"] == cell]
        assert len(rows) >= 3 and abs(rows[-1]["order"] - order) < 0.05, rows
