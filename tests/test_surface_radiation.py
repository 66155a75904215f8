"""Model.add_surface_radiation: crossed strings (2D), 3D facets, mirror symmetry planes, heat
flows per boundary, refused input; the two validation cases on coarse meshes."""
from __future__ import annotations

import math

import numpy as np
import pytest

from thermosat import Model, mesh
from thermosat.common.constants import SIGMA
from thermosat.common.errors import InputError
from thermosat.radiation.strings import crossed_strings, segment_view_factors
from thermosat.verification.cases import enclosure_concentric_cylinders as cyl
from thermosat.verification.cases import symmetry_plane_plates as plates


# --- crossed strings --------------------------------------------------------------------------
def test_crossed_strings_closed_forms():
    # parallel strips w wide, h apart: F = sqrt(1 + (h/w)²) − h/w (Incropera Table 13.1)
    for w, h in ((1.0, 1.0), (2.0, 0.5), (0.3, 1.7)):
        g = crossed_strings((w, 0.0), (0.0, 0.0), (0.0, h), (w, h))
        assert g / w == pytest.approx(math.sqrt(1 + (h / w) ** 2) - h / w, rel=1e-13)
    # perpendicular strips sharing an edge, widths w_i, w_j: F_ij = (1 + r − sqrt(1 + r²))/2
    wi, wj = 1.0, 0.4
    g = crossed_strings((wi, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, wj))
    r = wj / wi
    assert g / wi == pytest.approx((1 + r - math.sqrt(1 + r * r)) / 2, rel=1e-13)
    # facing away: nothing; straddling: only the part in front counts
    assert crossed_strings((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)) == 0.0
    full = crossed_strings((1.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 1.0))
    straddle = crossed_strings((1.0, 0.0), (0.0, 0.0), (0.0, -1.0), (0.0, 1.0))
    assert straddle == pytest.approx(full, rel=1e-13)


def _rings(n, r1=1.0, r2=2.0):
    th = 2 * np.pi * np.arange(n) / n
    p1 = np.c_[r1 * np.cos(th), r1 * np.sin(th)]
    p2 = np.c_[r2 * np.cos(th), r2 * np.sin(th)]
    s = np.c_[np.arange(n), (np.arange(n) + 1) % n]
    return np.vstack([p1, p2]), np.vstack([s, s[:, ::-1] + n])


def test_segment_view_factors_reciprocity_and_closure():
    """The inner polygon sees only the outer one (rows sum to 1 to round-off). The outer
    polygon's view of itself is partly hidden by the inner body; with the hidden part
    integrated over each segment every row of the cavity sums to 1 to within the quadrature
    of a kinked function, falling fast with refinement (no closure applied: open geometry)."""
    gaps = []
    for n in (32, 128):
        pts, seg = _rings(n)
        exact = segment_view_factors(pts, seg, depth_m=2.0, obstruction=False)
        assert np.allclose(np.asarray(exact.F.sum(axis=1)).ravel()[:n], 1.0, atol=1e-12)
        vf = segment_view_factors(pts, seg, depth_m=2.0)
        assert vf.reciprocity_error() < 1e-12
        assert np.allclose(vf.areas[:n], 2.0 * 2 * np.sin(np.pi / n))   # length × depth
        gaps.append(vf.closure_error(np.ones(2 * n, bool)))
    assert 0 < gaps[1] < gaps[0] / 8 and gaps[1] < 1e-5
    # obstruction off: the outer rows overcount (they see through the inner body)
    pts, seg = _rings(32)
    raw = segment_view_factors(pts, seg, obstruction=False)
    assert np.asarray(raw.F.sum(axis=1)).ravel()[32:].min() > 1.05


def _hidden_reference(m=400_000):
    """Exchange length (m) of strips A (y = 0) and B (y = 2), x in [−1, 1], facing each
    other, with an opaque plate x in [−¼, ¼] at y = 1: ∫_A ½ Σ (sin φ_b − sin φ_a) dx over the
    visible angular intervals, by the midpoint rule on 400 000 points (independent of the
    code under test)."""
    x = -1 + (np.arange(m) + 0.5) * 2 / m
    b1, b2 = np.arctan2(-1 - x, 2), np.arctan2(1 - x, 2)
    o1, o2 = np.clip(np.arctan2(-0.25 - x, 1), b1, b2), np.clip(np.arctan2(0.25 - x, 1), b1, b2)
    return float((0.5 * ((np.sin(o1) - np.sin(b1)) + (np.sin(b2) - np.sin(o2)))).sum() * 2 / m)


@pytest.mark.parametrize("n", [4, 16])
def test_segment_view_factors_with_a_plate_in_between(n):
    ref = _hidden_reference()
    assert ref == pytest.approx(0.5, rel=1e-9)     # a check of the reference itself
    xa = np.linspace(-1, 1, n + 1)
    pts = np.vstack([np.c_[xa, 0 * xa], np.c_[xa, 0 * xa + 2], [[-0.25, 1.0], [0.25, 1.0]]])
    seg = np.vstack([np.c_[np.arange(1, n + 1), np.arange(n)],          # A faces +y
                     np.c_[np.arange(n), np.arange(1, n + 1)] + n + 1,  # B faces −y
                     [[2 * n + 2, 2 * n + 3], [2 * n + 3, 2 * n + 2]]])  # the plate, 2 sides
    vf = segment_view_factors(pts, seg)
    g = vf.group_factor(np.arange(n), np.arange(n, 2 * n)) * 2.0
    assert g == pytest.approx(ref, rel=1e-9)
    unhidden = segment_view_factors(pts, seg, obstruction=False)
    assert unhidden.group_factor(np.arange(n), np.arange(n, 2 * n)) * 2.0 == pytest.approx(
        math.sqrt(8) - 2, rel=1e-12)                                   # crossed strings


# --- validation cases on coarse meshes ---------------------------------------------------------
def test_concentric_cylinders_second_order_and_balanced():
    ref = cyl.reference()
    rows = [cyl.compute(n, coupled=(n == 32)) for n in (16, 32)]
    e = [abs(r["computed"] - ref) / ref for r in rows]
    # polygon perimeter deficit π²/(6n²): the error is that, to a few per cent
    assert e[1] == pytest.approx(np.pi**2 / 6 / 32**2, rel=0.05)
    assert math.log2(e[0] / e[1]) == pytest.approx(2.0, abs=0.05)
    r = rows[1]
    assert r["reaction_inner_w"] == pytest.approx(r["computed"], rel=1e-9)
    assert r["reaction_outer_w"] == pytest.approx(-r["computed"], rel=1e-9)
    assert abs(r["net_to_space_w"]) < 1e-8 * r["computed"]
    # coupled: all the source crosses the gap; the inner wall within 0.3 K of the closed form
    assert r["coupled_exchange_w"] == pytest.approx(cyl.P_COUPLED, rel=1e-9)
    assert abs(r["coupled_T1_error_k"]) < 0.3


def test_symmetry_plane_plates_half_equals_full():
    r = plates.compute(2)
    assert r["computed"] == pytest.approx(plates.reference(), rel=1e-9)
    assert r["full_model_w"] == pytest.approx(plates.reference(), rel=1e-9)
    assert r["coupled_max_dT_k"] < 1e-6
    assert r["coupled_to_sink_half_w"] == pytest.approx(r["coupled_to_sink_full_w"], rel=1e-9)


# --- 2D half model of a square cavity ----------------------------------------------------------
def _cavity(half: bool, L=1.0, t=0.05, n=8):
    """A square cavity of four conducting walls (2D planar): bottom heated, top held at
    300 K, the side walls radiate inside and to a 3 K sink outside."""
    w, nx = (L / 2, n // 2) if half else (L, n)
    m = Model()
    m.add_part("bot", mesh.rectangle(w, t, nx, 2).translated((0.0, -t, 0.0)))
    m.add_part("top", mesh.rectangle(w, t, nx, 2).translated((0.0, L, 0.0)))
    m.add_part("left", mesh.rectangle(t, L, 2, n).translated((-t, 0.0, 0.0)))
    walls = ["bot/top", "top/bottom", "left/right"]
    if not half:
        m.add_part("right", mesh.rectangle(t, L, 2, n).translated((L, 0.0, 0.0)))
        walls.append("right/left")
        m.radiation("right/right", 0.9, t_sink_k=3.0)
    m.radiation("left/left", 0.9, t_sink_k=3.0)
    for p in m.parts:
        if not p.endswith("_zones"):
            m.material(f"{p}/domain", conductivity=20.0, thickness_m=1.0)
    m.heat_source("bot/domain", power_w=800.0 * w)
    m.fixed_temperature("top/top", 300.0)
    eps = {"bot/top": 0.9, "top/bottom": 0.5, "left/right": 0.7, "right/left": 0.7}
    planes = [((L / 2, 0.0, 0.0), (-1.0, 0.0, 0.0))] if half else None
    name = m.add_surface_radiation(walls, {b: eps[b] for b in walls}, enclosure=True,
                                   symmetry_planes=planes, name="cavity")
    return m, m.solve_steady(rtol=1e-12), name


def test_half_square_cavity_reproduces_full_model():
    mf, rf, _ = _cavity(False)
    mh, rh, _ = _cavity(True)
    pf, ph = mf.parts["left"], mh.parts["left"]
    assert np.allclose(pf.mesh.points, ph.mesh.points)
    assert np.abs(rf.T[pf.nodes] - rh.T[ph.nodes]).max() < 1e-7
    for b in ("bot/top", "top/bottom"):
        assert 2 * rh.heat_flow(f"cavity:{b}") == pytest.approx(rf.heat_flow(f"cavity:{b}"),
                                                                 rel=1e-8)
    assert rh.heat_flow("cavity:left/right") == pytest.approx(
        rf.heat_flow("cavity:left/right"), rel=1e-8)
    # an enclosure exchanges only inside: the condition's net heat flow is zero
    assert abs(rf.heat_flow("cavity")) < 1e-9 * rf.heat_flow("cavity:top/bottom")
    # per-boundary entries add up to the condition, and sit in the boundary totals
    parts = sum(rf.heat_flow(f"cavity:{b}") for b in ("bot/top", "top/bottom", "left/right",
                                                       "right/left"))
    assert parts == pytest.approx(rf.heat_flow("cavity"), abs=1e-9)
    assert rf.heat_flow("boundary:left/right") == rf.heat_flow("cavity:left/right")
    assert rf.energy.imbalance_rel < 1e-9


def test_facet_orientation_does_not_matter():
    """Boundary facets listed in either node order radiate away from their body."""
    from thermosat.mesh.core import Boundary

    def run(flip):
        ring_in = cyl.ring(0.08, 0.1, 24)
        if flip:
            b = ring_in.boundary("outer")
            ring_in = ring_in.with_regions(boundaries={"outer": Boundary(b.facets[:, ::-1],
                                                                         "line2")})
        m = Model()
        m.add_part("in", ring_in)
        m.add_part("out", cyl.ring(0.25, 0.27, 24))
        for p in ("in", "out"):
            m.material(f"{p}/domain", conductivity=50.0, thickness_m=1.0)
        m.fixed_temperature("in/outer", 600.0)
        m.fixed_temperature("out/inner", 300.0)
        m.add_surface_radiation(["in/outer", "out/inner"], 0.5, enclosure=True, name="g")
        return m.solve_steady().heat_flow("g:in/outer")

    assert run(True) == pytest.approx(run(False), rel=1e-12)
    assert run(False) < 0


def test_tri3_plates_black_closed_form():
    m = Model()
    m.add_part("a", mesh.shell(1.0, 1.0, 3, 3, cell="tri3", normal=(0, 0, -1),
                               origin=(0.0, 1.0, 0.5)))
    m.add_part("b", mesh.shell(1.0, 1.0, 3, 3, cell="tri3"))
    for p in ("a", "b"):
        m.material(f"{p}/domain", conductivity=170.0, thickness_m=2e-3)
    m.fixed_temperature("a/front", 500.0)
    m.fixed_temperature("b/front", 300.0)
    m.add_surface_radiation(["a/front", "b/front"], 1.0, t_sink_k=0.0, name="p",
                            use_cache=False)
    res = m.solve_steady()
    F = plates.view_factor()
    assert -res.heat_flow("p:a/front") == pytest.approx(SIGMA * (500**4 - F * 300**4), rel=1e-7)
    assert -res.heat_flow("p:b/front") == pytest.approx(SIGMA * (300**4 - F * 500**4), rel=1e-7)
    # the energy table: what each plate loses to the sink, and the plate-to-plate transfer
    assert "p:a/front→space" in res.energy.heat_out
    assert res.energy.heat_out["p:a/front→b/front"] == pytest.approx(
        res.energy.heat_in["p:a/front→b/front:received"], rel=1e-12)
    assert "p:a/front" in res.energy.table() and res.energy.imbalance_rel < 1e-9


# --- refused input -----------------------------------------------------------------------------
def _two_plates():
    m = Model()
    m.add_part("a", mesh.rectangle(1.0, 0.1, 4, 1))
    m.add_part("b", mesh.rectangle(1.0, 0.1, 4, 1).translated((0.0, 1.0, 0.0)))
    return m


@pytest.mark.parametrize("kwargs, match", [
    ({"boundaries": ["a/top", "b/nowhere"]}, "does not exist"),
    ({"boundaries": ["a/top", "a/top"]}, "twice"),
    ({"boundaries": []}, "non-empty"),
    ({"emissivity": 0.0}, r"\(0, 1\]"),
    ({"emissivity": 1.2}, r"\(0, 1\]"),
    ({"emissivity": [(300.0, 0.5)]}, r"\(0, 1\]"),
    ({"emissivity": {"a/top": 0.5}}, "missing"),
    ({"emissivity": {"a/top": 0.5, "b/bottom": 0.5, "c": 0.5}}, "unknown"),
    ({"enclosure": "yes"}, "enclosure"),
    ({"t_sink_k": -1.0}, "t_sink_k"),
    ({"t_sink_k": [(0.0, 3.0)]}, "t_sink_k"),
    ({"symmetry_planes": [((0.5, 0.0), (0.0, 0.0))]}, "non-zero"),
    ({"symmetry_planes": [((0.5, 0.0, 0.0), (0.0, 0.0, 1.0))]}, "xy plane"),
    ({"symmetry_planes": [((0.5, 0.0, 0.0), (1.0, 0.0, 0.0))]}, "both sides"),
    ({"symmetry_planes": [((1.0, 0.0), (1.0, 0.0)), ((-1.0, 0.0), (1.0, 0.0))]}, "images"),
    ({"symmetry_planes": "x"}, "symmetry_planes"),
])
def test_bad_input_is_one_line_input_error_at_the_call(kwargs, match):
    m = _two_plates()
    args = {"boundaries": ["a/top", "b/bottom"], "emissivity": 0.5, **kwargs}
    with pytest.raises(InputError, match=match) as err:
        m.add_surface_radiation(**args)
    assert "\n" not in str(err.value)
    assert not any(k == "surface_radiation" for k, _ in m.conditions.values())
    assert set(m.parts) == {"a", "b"}


def test_refused_axisymmetric_and_double_radiation():
    m = Model(mesh.rectangle(1.0, 0.1, 4, 1), axisymmetric=True)
    with pytest.raises(InputError, match="axisymmetric"):
        m.add_surface_radiation(["top"], 0.5)
    m = _two_plates()
    m.radiation("a/top", 0.5)
    with pytest.raises(InputError, match="already radiates"):
        m.add_surface_radiation(["a/top", "b/bottom"], 0.5)
    m = _two_plates()
    m.add_surface_radiation(["a/top", "b/bottom"], 0.5)
    with pytest.raises(InputError, match="already radiates"):
        m.radiation("b/bottom", 0.5)
    m = _two_plates()
    m.add_part("tilted", mesh.rectangle(1.0, 0.1, 4, 1).translated((0.0, 0.0, 0.5)))
    with pytest.raises(InputError, match="z = const"):
        m.add_surface_radiation(["a/top", "tilted/bottom"], 0.5)
    m = _two_plates()
    with pytest.raises(InputError, match="line facets"):
        m.add_surface_radiation(["a/top"], 0.5)  # fine alone ...
        m.add_part("c", mesh.shell(1.0, 1.0, 1, 1))
        m.add_surface_radiation(["a/bottom", "c/front"], 0.5)   # ... but not mixed


@pytest.mark.parametrize("cell", ["hex8", "tet4"])
def test_convex_body_equals_radiation_to_sink(cell):
    """The faces of a convex body see nothing but the sink, whatever the node order of the
    mesh's facets (they are turned to face away from the body): the exchange is then the
    plain radiation to the sink (the same quadrature), in every temperature and heat flow."""
    from thermosat.mesh.core import Boundary

    faces = ["xmin", "xmax", "ymin", "ymax", "zmin", "zmax"]
    box = mesh.box(0.4, 0.3, 0.2, 4, 3, 2, cell=cell)
    inward = box.with_regions(boundaries={
        f: Boundary(box.boundary(f).facets[:, ::-1], box.boundary(f).facet_type) for f in faces})

    def solve(msh, exchange):
        m = Model(msh)
        m.material(conductivity=5.0)
        m.heat_source(power_w=300.0)
        if exchange:
            m.add_surface_radiation(faces, 0.7, t_sink_k=3.0, name="x", use_cache=False)
        else:
            for f in faces:
                m.radiation(f, 0.7, t_sink_k=3.0)
        return m, m.solve_steady(rtol=1e-12)

    m0, r0 = solve(box, False)
    for msh in (box, inward):
        m1, r1 = solve(msh, True)
        n = box.n_points
        assert np.abs(r1.T[:n] - r0.T[:n]).max() < 1e-8
        assert r1.heat_flow("x") == pytest.approx(-300.0, rel=1e-9)
        for f in faces:
            assert r1.heat_flow(f"boundary:{f}") == pytest.approx(
                r0.heat_flow(f"boundary:{f}"), rel=1e-8)


def test_transient_enclosure_conserves_energy():
    """A backward-Euler transient of the coupled cylinder enclosure: stored energy change
    equals the net heat in (the exchange inside an enclosure moves heat, creates none)."""
    m = Model()
    m.add_part("in", cyl.ring(0.08, 0.1, 16))
    m.add_part("out", cyl.ring(0.25, 0.27, 16))
    for p in ("in", "out"):
        m.material(f"{p}/domain", conductivity=50.0, thickness_m=1.0, density=2700.0,
                   specific_heat=900.0)
    m.heat_source("in/domain", power_w=2000.0)
    m.fixed_temperature("out/outer", 300.0)
    m.add_surface_radiation(["in/outer", "out/inner"], 0.5, enclosure=True, name="gap")
    tr = m.solve_transient(t_end_s=200.0, dt_s=20.0, T0=300.0)
    assert tr.max_step_imbalance < 1e-8
    assert tr.T.max() > 300.5


def _sector(r_in, r_out, n, angle, nr=2):
    """Annular sector 0 ≤ θ ≤ angle of n × nr quad4 cells, boundaries inner/outer (line2)."""
    from thermosat.mesh.core import Boundary, Mesh

    th = angle * np.arange(n + 1) / n
    r = np.linspace(r_in, r_out, nr + 1)
    pts = np.zeros(((nr + 1) * (n + 1), 3))
    pts[:, 0] = (r[:, None] * np.cos(th)).ravel()
    pts[:, 1] = (r[:, None] * np.sin(th)).ravel()
    ids = np.arange(len(pts)).reshape(nr + 1, n + 1)
    cells = np.stack([ids[:-1, :-1], ids[1:, :-1], ids[1:, 1:], ids[:-1, 1:]], -1).reshape(-1, 4)
    return Mesh(pts, cells, "quad4", {"domain": np.arange(len(cells))},
                {"inner": Boundary(np.stack([ids[0, :-1], ids[0, 1:]], 1), "line2"),
                 "outer": Boundary(np.stack([ids[-1, :-1], ids[-1, 1:]], 1), "line2")})


@pytest.mark.parametrize("k", [2, 4])
def test_sector_with_two_planes_is_the_whole_enclosure(k):
    """Sector π/k of the coupled concentric-cylinder enclosure with its two mirror planes
    (2k copies): the same wall temperatures and 1/(2k) of the heat of the whole ring."""
    n = 32

    def solve(angle, planes):
        m = Model()
        seg = max(1, round(n * angle / (2 * np.pi)))
        m.add_part("in", _sector(0.08, 0.1, seg, angle) if planes else cyl.ring(0.08, 0.1, n))
        m.add_part("out", _sector(0.25, 0.27, seg, angle) if planes else cyl.ring(0.25, 0.27, n))
        for p in ("in", "out"):
            m.material(f"{p}/domain", conductivity=50.0, thickness_m=1.0)
        m.heat_source("in/domain", power_w=2000.0 * angle / (2 * np.pi))
        m.fixed_temperature("out/outer", 300.0)
        m.add_surface_radiation(["in/outer", "out/inner"], {"in/outer": 0.6, "out/inner": 0.4},
                                enclosure=True, symmetry_planes=planes, name="gap")
        res = m.solve_steady(rtol=1e-12)
        part = m.parts["in"]
        wall = part.offset + np.unique(part.mesh.boundary("outer").facets)
        return res.T[wall], -res.heat_flow("gap:in/outer")

    T_full, q_full = solve(2 * np.pi, None)
    a = np.pi / k
    planes = [((0.0, 0.0), (0.0, 1.0)), ((0.0, 0.0), (-np.sin(a), np.cos(a)))]
    T_sec, q_sec = solve(a, planes)
    assert np.abs(T_sec - T_full.mean()).max() < 1e-7
    assert np.ptp(T_full) < 1e-7
    assert 2 * k * q_sec == pytest.approx(q_full, rel=1e-9)
