"""Tests of the orbital environment: orbits, eclipse, Earth view factors, face fluxes.

Sources of the reference numbers are given next to each assertion. docs/references.md §8 cases 9
and 10 quote: nadir view factor 0.860/0.747/0.580 and edge-on 0.267/0.194/0.118 at
500/1000/2000 km (R = 6378.137 km); eclipse fractions 37.8/33.2/27.5 % at β = 0.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from thermosat.common.errors import InputError
from thermosat.common import constants as C
from thermosat.physics.earth_view import (
    albedo_factor,
    edge_on_view_factor,
    full_view_limit,
    nadir_view_factor,
    plate_earth_view_factor,
    plate_view_factor_H,
)
from thermosat.physics.environment import (
    ATTITUDES,
    OrbitEnvironment,
    attitude_normals,
    face_fluxes,
)
from thermosat.physics.orbit import (
    TIERS,
    Orbit,
    critical_beta,
    eclipse_fraction,
    orbital_period,
)

R = C.EARTH_RADIUS_M
ALTS = (500e3, 1000e3, 2000e3)


# ---------------------------------------------------------------------------------------
# Constants and orbit records
# ---------------------------------------------------------------------------------------
def test_constants():
    assert C.SIGMA == 5.670374419e-8            # CODATA 2018
    assert C.SOLAR_CONSTANT == 1361.0           # Kopp & Lean 2011
    assert C.EARTH_RADIUS_M == 6378.137e3       # WGS-84 equatorial
    assert C.MU_EARTH == 3.986004418e14         # WGS-84
    assert C.ALBEDO == 0.30 and C.EARTH_IR == 237.0
    assert C.T_SINK_DEFAULT == 3.0 and C.T_CMB == 2.7255 and C.ZERO_CELSIUS == 273.15


def test_tiers_and_from_tier():
    assert TIERS == {"vleo": 500e3, "leo": 1000e3, "meo": 2000e3}  # source article tiers
    o = Orbit.from_tier("LEO", beta_deg=30)
    assert o.altitude_m == 1000e3 and o.name == "leo"
    assert o.beta_rad == pytest.approx(math.radians(30))
    assert Orbit.from_km(750, 10).altitude_m == 750e3


def test_orbit_input_errors():
    with pytest.raises(InputError, match="vleo.*leo.*meo"):
        Orbit.from_tier("geo")
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(InputError):
            Orbit(bad)
    with pytest.raises(InputError, match="90"):
        Orbit(500e3, math.radians(91))
    with pytest.raises(InputError):
        Orbit.from_tier("vleo", beta_deg=float("nan"))
    Orbit(500e3, math.pi / 2)  # |β| = 90° is allowed
    with pytest.raises(InputError, match="sun_pointing"):
        OrbitEnvironment(Orbit(500e3), "tumbling")


def test_period_500km():
    # Kepler, T = 2π√(a³/μ): a 500 km circular orbit has T ≈ 94.6 min (SMAD 3rd ed. table).
    T = Orbit.from_tier("vleo").period_s
    assert T / 60 == pytest.approx(94.62, abs=0.01)
    a = R + 500e3
    assert T == pytest.approx(2 * math.pi * math.sqrt(a**3 / C.MU_EARTH), rel=1e-14)
    assert np.allclose(orbital_period(np.array(ALTS)),
                       [Orbit(h).period_s for h in ALTS], rtol=1e-14)


# ---------------------------------------------------------------------------------------
# Eclipse (VALIDATION case 10)
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("h, pct", [(500e3, 37.8), (1000e3, 33.2), (2000e3, 27.5)])
def test_eclipse_fraction_table(h, pct):
    # docs/references.md §8 case 10: 37.8 / 33.2 / 27.5 % at β = 0
    assert round(100 * eclipse_fraction(h, 0.0), 1) == pct
    assert round(100 * Orbit(h).eclipse_fraction, 1) == pct


@pytest.mark.parametrize("h", ALTS)
def test_no_eclipse_above_beta_star(h):
    bstar = critical_beta(h)
    assert bstar == pytest.approx(math.asin(R / (R + h)), rel=1e-15)
    o = Orbit(h, bstar + 1e-6)
    assert o.eclipse_fraction == 0.0 and not o.has_eclipse and o.eclipse_angles() is None
    assert not np.any(o.in_eclipse(np.linspace(0, 2 * np.pi, 10001)))
    assert eclipse_fraction(h, -(bstar + 1e-3)) == 0.0
    # continuous: f → 0 as β → β*
    assert 0.0 < eclipse_fraction(h, bstar - 1e-8) < 1e-3
    # decreasing in |β|
    betas = np.linspace(0, bstar, 50)
    assert np.all(np.diff(eclipse_fraction(h, betas)) <= 0)


@pytest.mark.parametrize("h, beta_deg", [(500e3, 0), (500e3, 45), (1000e3, 20), (2000e3, -40)])
def test_eclipse_shadow_test_matches_closed_form(h, beta_deg):
    o = Orbit(h, math.radians(beta_deg))
    n = 400_000
    theta = 2 * np.pi * (np.arange(n) + 0.5) / n
    f_num = np.count_nonzero(o.in_eclipse(theta)) / n
    assert f_num == pytest.approx(o.eclipse_fraction, abs=3.0 / n)


def test_eclipse_angles_and_times():
    o = Orbit.from_tier("vleo", beta_deg=20)
    a_in, a_out = o.eclipse_angles()
    assert a_in + a_out == pytest.approx(2 * math.pi)          # symmetric about midnight
    assert (a_out - a_in) / (2 * math.pi) == pytest.approx(o.eclipse_fraction, rel=1e-13)
    t_in, t_out = o.eclipse_times()
    assert t_out - t_in == pytest.approx(o.eclipse_duration_s, rel=1e-13)
    eps = 1e-7
    assert not o.in_eclipse(a_in - eps) and o.in_eclipse(a_in + eps)
    assert o.in_eclipse(a_out - eps) and not o.in_eclipse(a_out + eps)
    assert o.theta_at(t_in) == pytest.approx(a_in)
    assert o.in_eclipse(np.zeros((4, 5))).shape == (4, 5)


# ---------------------------------------------------------------------------------------
# View factor to the Earth (VALIDATION case 9)
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("h, nadir, edge", [(500e3, 0.860, 0.267), (1000e3, 0.747, 0.194),
                                            (2000e3, 0.580, 0.118)])
def test_view_factor_reference_table(h, nadir, edge):
    # docs/references.md §8 case 9 table (3 decimals), R = 6378.137 km
    assert round(float(plate_earth_view_factor(0.0, h)), 3) == nadir
    assert round(float(plate_earth_view_factor(math.pi / 2, h)), 3) == edge
    assert round(nadir_view_factor(h), 3) == nadir
    assert round(edge_on_view_factor(h), 3) == edge
    # general function at 90° equals the edge-on closed form
    assert plate_earth_view_factor(math.pi / 2, h) == pytest.approx(edge_on_view_factor(h),
                                                                      rel=1e-13)


def _F_numerical(lam: float, H: float) -> float:
    """Independent integration: F = (1/π) ∫_cap max(n·d, 0) dΩ over the Earth disc.

    Directions d at polar angle ψ ≤ η (sin η = 1/H) from nadir and azimuth φ; the face
    normal is n = (sin λ, 0, cos λ) in that frame, so n·d = sin λ sin ψ cos φ + cos λ cos ψ.
    Both integrals are numerical (scipy quad, the φ integral split where n·d = 0).
    """
    eta = math.asin(1.0 / H)
    sl, cl = math.sin(lam), math.cos(lam)

    def inner(psi: float) -> float:
        a, b = cl * math.cos(psi), sl * math.sin(psi)
        f = lambda phi: max(a + b * math.cos(phi), 0.0)
        if b <= abs(a):
            pts = None
        else:
            pts = [math.acos(-a / b)]
        val, _ = integrate.quad(f, 0.0, math.pi, points=pts, epsabs=1e-14, epsrel=1e-13,
                                limit=200)
        return 2.0 * val * math.sin(psi)

    val, _ = integrate.quad(inner, 0.0, eta, epsabs=1e-13, epsrel=1e-12, limit=200)
    return val / math.pi


@pytest.mark.parametrize("h", ALTS)
def test_view_factor_matches_numerical_integration(h):
    H = (R + h) / R
    lams = np.concatenate([np.linspace(0.0, math.pi, 25),
                           [full_view_limit(H) + 0.01, math.pi - full_view_limit(H) - 0.01]])
    closed = plate_earth_view_factor(lams, h)
    num = np.array([_F_numerical(l, H) for l in lams])
    assert np.max(np.abs(closed - num)) < 1e-9   # target ~1e-6; achieved far below


def test_view_factor_hemisphere_average_identity():
    # Averaged over all normal directions, F = (1/π)·Ω_E·<max(n·d,0)> = Ω_E/(4π)
    # = (1 − cos η)/2 with cos η = √(H²−1)/H. Exercises every branch of the closed form.
    for h in ALTS:
        H = (R + h) / R
        lim = full_view_limit(H)
        pts = [lim, math.pi - lim]
        avg, _ = integrate.quad(lambda l, H=H: 0.5 * plate_view_factor_H(l, H) * math.sin(l),
                                0.0, math.pi, points=pts, epsabs=1e-14, epsrel=1e-13)
        assert avg == pytest.approx(0.5 * (1 - math.sqrt(H * H - 1) / H), rel=1e-10)


@pytest.mark.parametrize("h", ALTS)
def test_view_factor_continuity_and_branches(h):
    H = (R + h) / R
    lim = full_view_limit(H)
    d = 1e-9
    for x in (lim, math.pi - lim):
        lo, hi = plate_view_factor_H(np.array([x - d, x + d]), H)
        assert abs(hi - lo) < 1e-8
    assert plate_view_factor_H(math.pi - lim + 1e-6, H) == 0.0
    assert plate_view_factor_H(math.pi, H) == 0.0
    # full-view branch is cos λ/H²
    assert plate_view_factor_H(0.5 * lim, H) == pytest.approx(math.cos(0.5 * lim) / H**2)
    # monotone decreasing in λ, bounded by 1/H², even in λ
    lam = np.linspace(0, math.pi, 2001)
    F = plate_view_factor_H(lam, H)
    assert np.all(np.diff(F) <= 1e-15) and F.max() <= 1 / H**2 + 1e-15 and F.min() >= 0
    assert np.allclose(plate_view_factor_H(-lam, H), F, atol=1e-15)
    # vectorised over λ and altitude together
    assert plate_earth_view_factor(lam[:, None], np.array(ALTS)[None, :]).shape == (2001, 3)


def test_view_factor_bad_altitude():
    with pytest.raises(InputError):
        plate_earth_view_factor(0.0, -5.0)


def test_albedo_factor():
    assert np.array_equal(albedo_factor([-0.5, 0.0, 0.3]), [0.0, 0.0, 0.3])


# ---------------------------------------------------------------------------------------
# Attitudes and fluxes
# ---------------------------------------------------------------------------------------
THETA = np.linspace(0, 2 * np.pi, 721)


@pytest.mark.parametrize("beta_deg", [0, 25, 60])
def test_sun_pointing_front_gets_full_sun_outside_eclipse(beta_deg):
    o = Orbit.from_tier("vleo", beta_deg)
    ff = face_fluxes(o, "sun_pointing", THETA)
    ecl = o.in_eclipse(THETA)
    assert np.allclose(ff["front"].solar[~ecl], C.SOLAR_CONSTANT, rtol=1e-14)  # normal incidence
    assert np.all(ff["front"].solar[ecl] == 0.0)
    assert np.all(ff["back"].solar == 0.0)
    # front faces the Sun: at noon (β = 0) it looks straight away from the Earth
    if beta_deg == 0:
        assert ff["front"].view_factor[0] == 0.0
        assert ff["back"].view_factor[0] == pytest.approx(1 / o.H**2)
        # back face at noon: albedo = S a / H² (subsolar, nadir-facing)
        assert ff["back"].albedo[0] == pytest.approx(C.SOLAR_CONSTANT * C.ALBEDO / o.H**2)
    # orbit average of front solar = S (1 − f)
    avg = OrbitEnvironment(o, "sun_pointing").orbit_average()
    assert avg["front"].solar == pytest.approx(C.SOLAR_CONSTANT * (1 - o.eclipse_fraction),
                                               rel=1e-12)


@pytest.mark.parametrize("tier", list(TIERS))
@pytest.mark.parametrize("beta_deg", [0, 30, 75, -50])
def test_edge_on_no_direct_sun_and_edge_view(tier, beta_deg):
    o = Orbit.from_tier(tier, beta_deg)
    ff = face_fluxes(o, "edge_on", THETA)
    F_edge = edge_on_view_factor(o.altitude_m)
    for face in ("front", "back"):
        assert np.all(ff[face].solar == 0.0)
        assert np.allclose(ff[face].view_factor, F_edge, rtol=1e-9)
        assert np.allclose(ff[face].earth_ir, C.EARTH_IR * F_edge, rtol=1e-9)
    n = attitude_normals(o, "edge_on", THETA)
    assert np.allclose(n @ o.sun_vector(), 0.0, atol=1e-12)
    assert np.allclose(np.einsum("ij,ij->i", n, o.nadir(THETA)), 0.0, atol=1e-12)
    assert np.allclose(np.linalg.norm(n, axis=1), 1.0)
    # the fixed edge-on wing has no direct Sun either, and equals edge_on at β = 0
    fx = face_fluxes(o, "edge_on_fixed", THETA)
    assert np.all(fx["front"].solar == 0.0) and np.all(fx["back"].solar == 0.0)
    if beta_deg == 0:
        assert np.allclose(fx["front"].view_factor, F_edge, rtol=1e-12)


def test_nadir_plate_fluxes_and_orbit_averages():
    for beta_deg in (0, 40):
        o = Orbit.from_tier("leo", beta_deg)
        env = OrbitEnvironment(o, "nadir")
        ff = env.fluxes(THETA)
        H2 = o.H**2
        assert np.allclose(ff["front"].view_factor, 1 / H2)
        assert np.all(ff["back"].view_factor == 0.0)
        # albedo on a nadir plate: S a F max(cos θ cos β, 0)  (Gilmore 2002 ch. 2)
        expect = C.SOLAR_CONSTANT * C.ALBEDO / H2 * np.clip(np.cos(THETA) * math.cos(o.beta_rad),
                                                            0, None)
        assert np.allclose(ff["front"].albedo, expect, rtol=1e-12, atol=1e-12)
        avg = env.orbit_average()
        # orbit mean of max(cos θ cos β, 0) = cos β / π
        assert avg["front"].albedo == pytest.approx(
            C.SOLAR_CONSTANT * C.ALBEDO / H2 * math.cos(o.beta_rad) / math.pi, rel=1e-12)
        assert avg["front"].earth_ir == pytest.approx(C.EARTH_IR / H2, rel=1e-13)
        assert avg["back"].earth_ir == 0.0


@pytest.mark.parametrize("attitude", ATTITUDES)
def test_orbit_average_matches_dense_sampling(attitude):
    env = OrbitEnvironment(Orbit.from_tier("vleo", 20), attitude)
    avg = env.orbit_average()
    ts = env.time_series(200_000)
    assert ts.t[-1] < env.period_s and ts.t.shape == (200_000,)
    assert np.mean(ts.eclipse) == pytest.approx(env.eclipse_fraction, abs=2e-5)
    for face in ("front", "back"):
        for q in ("solar", "albedo", "earth_ir", "view_factor"):
            a = getattr(avg[face], q)
            b = float(np.mean(getattr(ts[face], q)))
            assert a == pytest.approx(b, rel=1e-4, abs=1e-6), (face, q)


def test_absorbed_and_time_access():
    env = OrbitEnvironment(Orbit.from_tier("meo"), "sun_pointing")
    ff = env.fluxes_at_time([0.0])["front"]
    q = ff.absorbed(0.75, 0.82)
    assert q == pytest.approx(0.75 * (ff.solar + ff.albedo) + 0.82 * ff.earth_ir)
    assert ff.solar[0] == pytest.approx(C.SOLAR_CONSTANT)
    # periodic in time
    a = env.fluxes_at_time([123.0])["back"].albedo
    b = env.fluxes_at_time([123.0 + env.period_s])["back"].albedo
    assert a == pytest.approx(b, rel=1e-9)


def test_custom_attitude_callable():
    o = Orbit.from_tier("vleo")
    ff = face_fluxes(o, lambda s, nadir, th: np.broadcast_to(s, nadir.shape), THETA)
    ref = face_fluxes(o, "sun_pointing", THETA)
    assert np.allclose(ff["front"].solar, ref["front"].solar)
    with pytest.raises(InputError):
        face_fluxes(o, lambda s, nadir, th: np.ones(3), THETA)
