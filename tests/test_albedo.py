"""Albedo integrated over the sunlit visible Earth cap (thermosat.physics.albedo)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from thermosat.common.constants import EARTH_RADIUS_M
from thermosat.common.errors import InputError
from thermosat.physics.albedo import albedo_factor_cap
from thermosat.physics.earth_view import plate_view_factor_H
from thermosat.physics.environment import OrbitEnvironment, attitude_normals, face_fluxes
from thermosat.physics.orbit import Orbit
from thermosat.physics.panel import FluxProvider

NADIR = np.array([0.0, 0.0, -1.0])


def _H(h_km):
    return (EARTH_RADIUS_M + h_km * 1e3) / EARTH_RADIUS_M


def _subsolar_nadir(H):
    """Closed form of G for a nadir plate with the Sun at the sub-satellite zenith:
    G = 2∫_{1/H}^1 u (Hu − 1)(H − u)/(1 + H² − 2Hu)² du (u = cos of the central angle;
    cos ζ = u, the plate and Earth cosines and the distance of the cap integral), by partial
    fractions: [2(1 + H²)(H + 1) − 2(H² − 1) + (H² − 1)² ln((H − 1)/(H + 1))]/(8H³)."""
    return (2 * (1 + H * H) * (H + 1) - 2 * (H * H - 1)
            + (H * H - 1) ** 2 * math.log((H - 1) / (H + 1))) / (8 * H ** 3)


def _tilted(lam_deg):
    lam = math.radians(lam_deg)
    return np.array([math.sin(lam), 0.0, -math.cos(lam)])


@pytest.mark.parametrize("h_km", [500.0, 2000.0])
@pytest.mark.parametrize("lam_deg", [0, 30, 60, 80, 90, 110, 130, 150])
def test_uniformly_lit_earth_gives_the_view_factor(h_km, lam_deg):
    """cos⁺ζ → 1: the cap integral is the plate-to-sphere view factor (Howell), full,
    partial and no view; the quadrature kinks at the plate's horizon (measured ≤ 1.1e-4
    relative at 64 × 128 points, ≤ 2e-6 absolute where F is small)."""
    H = _H(h_km)
    G = albedo_factor_cap(_tilted(lam_deg), NADIR, (0, 0, 1), H, illuminated=False)[0]
    F = plate_view_factor_H(math.radians(lam_deg), H)
    assert G == pytest.approx(F, rel=3e-4, abs=1e-5)


@pytest.mark.parametrize("h_km", [500.0, 1000.0, 2000.0, 36000.0])
def test_nadir_plate_at_the_subsolar_point_matches_the_closed_form(h_km):
    H = _H(h_km)
    G = albedo_factor_cap(NADIR, NADIR, (0, 0, 1), H)[0]
    assert G == pytest.approx(_subsolar_nadir(H), rel=1e-10)
    assert G < plate_view_factor_H(0.0, H)        # the cap edge is lit obliquely


def test_low_altitude_limit_is_a_times_s():
    """H → 1: the nadir plate at the sub-solar point sees a flat, fully lit Lambert ground,
    q_alb → a·S (G → 1)."""
    for h_m, tol in ((1e3, 1e-3), (10.0, 1e-5)):
        H = (EARTH_RADIUS_M + h_m) / EARTH_RADIUS_M
        assert albedo_factor_cap(NADIR, NADIR, (0, 0, 1), H)[0] == pytest.approx(1.0, abs=tol)


@pytest.mark.parametrize("zenith_deg", [0.0, 40.0, 70.0])
def test_small_cap_agrees_with_the_subsatellite_approximation(zenith_deg):
    """Where ζ hardly varies over the visible cap (20 km: cap radius 4.5°) the integral
    tends to F·cos θ_ss, the engineering approximation."""
    H = _H(20.0)
    z = math.radians(zenith_deg)
    sun = (math.sin(z), 0.0, math.cos(z))                  # zenith is +z
    G = albedo_factor_cap(NADIR, NADIR, sun, H)[0]
    approx = plate_view_factor_H(0.0, H) * math.cos(z)
    assert G == pytest.approx(approx, rel=3e-3)


def test_lit_crescent_past_the_terminator():
    """Sub-satellite point in night (ζ_ss = 100°) at 500 km: the approximation gives 0, the
    cap integral sees the lit crescent; once the whole cap is dark (ζ_ss > 90° + cap radius
    22.0°) both give exactly 0."""
    H = _H(500.0)
    cap = math.degrees(math.acos(1.0 / H))
    for zen, positive in ((100.0, True), (90.0 + cap + 0.5, False), (180.0, False)):
        z = math.radians(zen)
        G = albedo_factor_cap(NADIR, NADIR, (math.sin(z), 0.0, math.cos(z)), H)[0]
        assert (G > 1e-4) if positive else (G == 0.0)


def test_quadrature_converges():
    H = _H(500.0)
    n = _tilted(75.0)
    sun = (math.sin(0.6), 0.0, math.cos(0.6))
    fine = albedo_factor_cap(n, NADIR, sun, H, n_v=256, n_psi=512)[0]
    e = [abs(albedo_factor_cap(n, NADIR, sun, H, n_v=k, n_psi=2 * k)[0] - fine)
         for k in (16, 64)]
    assert e[1] < 0.25 * e[0] and e[1] < 1e-4 * fine


def test_face_fluxes_cap_model_over_the_orbit():
    """The orbit environment with albedo_model='cap': per face and orbit angle the albedo is
    S·a·G of the face normal; G ≤ F; a nadir face at noon (β = 0) is at the sub-solar point."""
    orbit = Orbit.from_tier("vleo", beta_deg=0.0)
    theta = np.linspace(0.0, 2 * np.pi, 25)[:-1]
    cap = face_fluxes(orbit, "nadir", theta, albedo_model="cap")
    old = face_fluxes(orbit, "nadir", theta)
    n = attitude_normals(orbit, "nadir", theta)
    G = albedo_factor_cap(n, orbit.nadir(theta), orbit.sun_vector(), orbit.H)
    assert cap["front"].albedo == pytest.approx(1361.0 * 0.30 * G, rel=1e-12)
    assert cap["front"].albedo[0] == pytest.approx(1361.0 * 0.30 * _subsolar_nadir(orbit.H),
                                                   rel=1e-10)
    assert np.all(cap["front"].albedo <= cap["front"].view_factor * 1361.0 * 0.30 + 1e-9)
    # past the terminator (θ just beyond 90°) only the cap model sees lit ground
    k = int(np.argmin(np.abs(theta - math.radians(105.0))))
    assert old["front"].albedo[k] == 0.0 < cap["front"].albedo[k]
    assert np.array_equal(cap["front"].earth_ir, old["front"].earth_ir)


def test_flux_provider_and_environment_carry_the_model():
    """The orbit transient reads fluxes through FluxProvider step by step: it must use the
    satellite environment's albedo model."""
    env = OrbitEnvironment(Orbit.from_tier("leo"), "sun_pointing", albedo_model="cap")
    prov = FluxProvider(env, "edge_on")
    assert prov.env.albedo_model == "cap"
    t = 0.3 * env.period_s
    f = prov.faces(t)["front"]
    ref = face_fluxes(env.orbit, "edge_on", env.orbit.theta_at(np.array([t])),
                      albedo_model="cap")["front"]
    assert f.albedo[0] == pytest.approx(float(ref.albedo[0]), rel=1e-12)
    with pytest.raises(InputError, match="albedo_model"):
        OrbitEnvironment(Orbit.from_tier("leo"), albedo_model="uniform")


def test_satellite_design_default_and_check():
    from thermosat.satellite.design import SatelliteDesign

    d = SatelliteDesign(Orbit.from_tier("vleo"), cell_area_m2=10.0, wing_area_m2=10.0)
    assert d.albedo_model == "cap"
    with pytest.raises(InputError, match="albedo_model"):
        SatelliteDesign(Orbit.from_tier("vleo"), cell_area_m2=10.0, wing_area_m2=10.0,
                        albedo_model="flat")
