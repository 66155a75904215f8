"""Gray-diffuse radiosity exchange: energy conservation, the parallel-plate limit, exact
Jacobians (against finite differences), node mapping and the group breakdown."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from thermosat.common.errors import InputError
from thermosat.mesh.generators import shell
from thermosat.common.constants import SIGMA
from thermosat.radiation import stack_facets, view_factors
from thermosat.radiation.radiosity import RadiosityExchange, facet_node_operator, facet_temperatures


def _panel(lx, ly, n1, n2, origin, normal, u_axis=None):
    m = shell(lx, ly, n1, n2, origin=origin, normal=normal, u_axis=u_axis)
    return m.points, m.cells


def _open_scene():
    """Two opposed plates and a perpendicular one: open, part of each row goes to space."""
    a = _panel(1.0, 1.0, 3, 3, (0, 0, 0), (0, 0, 1))
    b = _panel(1.0, 1.0, 3, 3, (0, 1, 0.7), (0, 0, -1))
    c = _panel(1.0, 0.7, 3, 2, (0, 0, 0), (1, 0, 0), (0, 1, 0))
    pts, fac, groups = stack_facets(a, b, c)
    vf = view_factors(pts, fac, use_cache=False)
    rng = np.random.default_rng(1)
    eps = rng.uniform(0.2, 0.95, fac.shape[0])
    T = rng.uniform(250.0, 400.0, fac.shape[0])
    return pts, fac, groups, vf, eps, T


@pytest.mark.parametrize("dense_limit", [10_000, 0])
def test_energy_conservation_sum_equals_net_to_space(dense_limit):
    _, _, _, vf, eps, T = _open_scene()
    rx = RadiosityExchange(vf, eps, t_sink=3.0, dense_limit=dense_limit)
    q = rx.heat(T)
    to_space = rx.net_to_space(T)
    assert abs(q.sum() - to_space) <= 1e-10 * np.abs(q).sum()
    assert rx.dense == (dense_limit > 0)


@pytest.mark.parametrize("some_black", [False, True])
def test_dense_and_iterative_paths_agree(some_black):
    _, _, _, vf, eps, T = _open_scene()
    if some_black:
        eps[::3] = 1.0
    qd = RadiosityExchange(vf, eps, dense_limit=10_000).heat(T)
    factored = RadiosityExchange(vf, eps, dense_limit=0)               # Cholesky, no K
    cg = RadiosityExchange(vf, eps, dense_limit=0, factor_limit=0)     # CG per solve
    assert factored._chol is not None and factored._K is None and cg._chol is None
    for rx in (factored, cg):
        q = rx.heat(T)
        assert np.allclose(qd, q, rtol=1e-10, atol=1e-10 * np.abs(qd).max())


def test_isothermal_closed_cube_exchanges_nothing():
    parts = []
    for axis in range(3):
        for sgn in (-1.0, 1.0):
            n = np.zeros(3)
            n[axis] = -sgn
            u = np.zeros(3)
            u[(axis + 1) % 3] = 1.0
            v = np.cross(n, u)
            o = np.zeros(3)
            o[axis] = sgn
            parts.append(_panel(2.0, 2.0, 2, 2, o - u - v, n, u))
    pts, fac, _ = stack_facets(*parts)
    vf = view_factors(pts, fac, use_cache=False, enclosure=True)
    rx = RadiosityExchange(vf, np.linspace(0.1, 0.9, fac.shape[0]))
    q = rx.heat(np.full(fac.shape[0], 300.0))
    assert np.abs(q).max() < 1e-9 * SIGMA * 300.0**4 * vf.areas.sum()


def test_single_plate_radiates_to_space():
    pts, fac = _panel(2.0, 1.0, 2, 2, (0, 0, 0), (0, 0, 1))
    vf = view_factors(pts, fac, use_cache=False)
    rx = RadiosityExchange(vf, 0.8, t_sink=4.0)
    q = rx.heat(np.full(4, 350.0))
    assert q.sum() == pytest.approx(2.0 * 0.8 * SIGMA * (350.0**4 - 4.0**4), rel=1e-14)


def test_two_large_close_plates_approach_infinite_plate_formula():
    """q = σ(T1⁴ − T2⁴)/(1/ε1 + 1/ε2 − 1) (Siegel & Howell, infinite parallel plates);
    a 100 × 100 m pair 0.01 m apart sees 99.98 % of each other."""
    L, gap = 100.0, 0.01
    a = _panel(L, L, 4, 4, (0, 0, 0), (0, 0, 1))
    b = _panel(L, L, 4, 4, (0, L, gap), (0, 0, -1))
    pts, fac, (ga, gb) = stack_facets(a, b)
    vf = view_factors(pts, fac, use_cache=False)
    assert vf.group_factor(ga, gb) > 0.9998
    e1, e2, T1, T2 = 0.8, 0.3, 400.0, 300.0
    eps = np.where(np.isin(np.arange(32), ga), e1, e2)
    T = np.where(np.isin(np.arange(32), ga), T1, T2)
    rx = RadiosityExchange(vf, eps, t_sink=0.0)
    q = rx.heat(T)
    ref = SIGMA * (T1**4 - T2**4) / (1 / e1 + 1 / e2 - 1)
    assert q[ga].sum() / L**2 == pytest.approx(ref, rel=2e-3)


@pytest.mark.parametrize("dense_limit,eps", [(10_000, "random"), (0, "random"),
                                             (10_000, "black")])
def test_jacobian_matches_finite_differences(dense_limit, eps):
    _, _, _, vf, e, T = _open_scene()
    if eps == "black":
        e = np.ones_like(e)
    rx = RadiosityExchange(vf, e, dense_limit=dense_limit)
    _, J = rx.heat_and_jacobian(T)
    if eps == "black":
        assert sp.issparse(J)
    rng = np.random.default_rng(5)
    for _ in range(3):
        v = rng.normal(size=T.size)
        h = 1e-3
        fd = (rx.heat(T + h * v) - rx.heat(T - h * v)) / (2 * h)
        Jv = J @ v
        assert np.max(np.abs(Jv - fd)) <= 1e-8 * np.max(np.abs(fd))


def test_node_heat_and_jacobian_chain_rule():
    pts, fac, _, vf, eps, _ = _open_scene()
    rx = RadiosityExchange(vf, eps)
    rng = np.random.default_rng(2)
    Tn = rng.uniform(250.0, 400.0, pts.shape[0])
    Q, J = rx.node_heat_and_jacobian(Tn, fac)
    Tf = facet_temperatures(Tn, fac)
    assert Q.sum() == pytest.approx(rx.heat(Tf).sum(), rel=1e-12)
    P = facet_node_operator(fac, pts.shape[0])
    assert np.allclose(P.sum(axis=0), 1.0)
    v = rng.normal(size=Tn.size)
    h = 1e-3
    fd = (rx.node_heat_and_jacobian(Tn + h * v, fac)[0]
          - rx.node_heat_and_jacobian(Tn - h * v, fac)[0]) / (2 * h)
    assert np.max(np.abs(J @ v - fd)) <= 1e-8 * np.max(np.abs(fd))
    # uniform nodal temperature gives the same facet temperature
    assert np.allclose(facet_temperatures(np.full(pts.shape[0], 321.0), fac), 321.0)


def test_exchange_breakdown_partitions_net_heat():
    _, _, groups, vf, eps, T = _open_scene()
    rx = RadiosityExchange(vf, eps, t_sink=3.0)
    names = {"floor": groups[0], "roof": groups[1]}     # the wall falls into "other"
    bd = rx.exchange_breakdown(T, names)
    assert bd.names == ["floor", "roof", "other"]
    assert np.allclose(bd.net, -bd.net.T)
    assert bd.balance_error() < 1e-12
    q = rx.heat(T)
    assert bd.to_space.sum() == pytest.approx(q.sum(), rel=1e-10)
    assert bd.q_net[0] == pytest.approx(q[groups[0]].sum(), rel=1e-12)
    # hotter-on-average group sends net heat to the colder one when all else is equal
    T2 = np.where(np.isin(np.arange(T.size), groups[0]), 400.0, 300.0)
    bd2 = rx.exchange_breakdown(T2, names)
    assert bd2.net[0, 1] > 0.0 and bd2.as_dict()["floor->roof"] == bd2.net[0, 1]


@pytest.mark.parametrize("path", ["dense", "factored", "cg"])
def test_many_cases_in_one_radiosity_solve_equal_one_by_one(path):
    """k emissive-power cases with their own sink in one solve (the breakdown's batched
    path) give each case's radiosity, on the dense, factored and CG paths, black facets
    included; and the breakdown's group-to-group transfer is the exchange it reports one
    source at a time."""
    _, _, groups, vf, eps, T = _open_scene()
    eps[::4] = 1.0
    kw = {"dense": dict(dense_limit=10_000), "factored": dict(dense_limit=0),
          "cg": dict(dense_limit=0, factor_limit=0)}[path]
    rx = RadiosityExchange(vf, eps, t_sink=3.0, **kw)
    rng = np.random.default_rng(3)
    E = SIGMA * rng.uniform(200.0, 400.0, (T.size, 4)) ** 4
    sinks = np.array([0.0, 10.0, SIGMA * 3.0**4, 400.0])
    J = rx.radiosity(E, sinks)
    for k in range(4):
        Jk = rx.radiosity(E[:, k], sinks[k])
        assert np.allclose(J[:, k], Jk, rtol=1e-9, atol=1e-9 * np.abs(Jk).max())
    bd = rx.exchange_breakdown(T, {"floor": groups[0], "roof": groups[1]})
    only_floor = np.where(np.isin(np.arange(T.size), groups[0]), SIGMA * T**4, 0.0)
    a_roof = (rx.areas * rx.eps * (rx.F @ rx.radiosity(only_floor, 0.0)))[groups[1]].sum()
    only_roof = np.where(np.isin(np.arange(T.size), groups[1]), SIGMA * T**4, 0.0)
    a_floor = (rx.areas * rx.eps * (rx.F @ rx.radiosity(only_roof, 0.0)))[groups[0]].sum()
    assert bd.net[0, 1] == pytest.approx(a_roof - a_floor, rel=1e-9)


def test_gebhart_rows_and_symmetric_exchange_areas():
    _, _, _, vf, eps, _ = _open_scene()
    rx = RadiosityExchange(vf, eps)
    B = rx.gebhart()
    assert np.all(B.sum(axis=1) <= 1.0 + 1e-12) and B.min() >= -1e-14
    SS = (vf.areas * rx.eps)[:, None] * B       # total exchange areas A_i ε_i B_ij
    assert np.allclose(SS, SS.T, rtol=1e-10, atol=1e-14)


def test_bad_inputs_are_rejected():
    _, _, _, vf, _, T = _open_scene()
    with pytest.raises(InputError):
        RadiosityExchange(vf, 1.5)
    rx = RadiosityExchange(vf, 0.5)
    with pytest.raises(InputError):
        rx.heat(T[:-1])
    with pytest.raises(InputError):
        rx.heat(-T)
