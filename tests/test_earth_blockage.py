"""Ray-traced environment fluxes on facets: the unblocked fast path, Earth seen through a
cavity (Howell C-41 coaxial disks), and sunlight shadowed by another body."""
from __future__ import annotations

import math

import numpy as np
import pytest

from thermosat.common.constants import EARTH_RADIUS_M
from thermosat.mesh.generators import shell
from thermosat.physics.environment import attitude_normals, face_fluxes
from thermosat.physics.facet_environment import facet_fluxes
from thermosat.physics.orbit import Orbit
from thermosat.radiation import stack_facets
from thermosat.radiation.raytrace import build_scene, earth_blockage, sun_fraction
from thermosat.radiation.shapes import cylinder_wall, disk

F_DISKS = (3.0 - math.sqrt(5.0)) / 2.0  # Howell C-41, r1 = r2 = h = 1


def _plate_two_sided():
    m = shell(2.0, 1.0, 4, 2, normal=(0, 0, 1))
    return stack_facets((m.points, m.boundary("front").facets),
                        (m.points, m.boundary("back").facets))


@pytest.mark.parametrize("attitude,beta", [("sun_pointing", 30.0), ("edge_on", 10.0),
                                           ("nadir", 60.0)])
def test_unblocked_plate_matches_isolated_plate_formulas(attitude, beta):
    """A lone two-sided plate blocks nothing: the ray-traced path must equal
    :func:`face_fluxes` (front = +z facets, back = −z facets) to 1e-6 at every orbit point."""
    pts, fac, (gf, gb) = _plate_two_sided()
    scene = build_scene(pts, fac)
    orbit = Orbit.from_tier("vleo", beta_deg=beta)
    theta = np.linspace(0.0, 2 * np.pi, 13)[:-1]
    ref = face_fluxes(orbit, attitude, theta)
    n = attitude_normals(orbit, attitude, theta)
    s_orb = orbit.sun_vector()
    nad = orbit.nadir(theta)
    ecl = orbit.in_eclipse(theta)
    cz = orbit.cos_sun_zenith(theta)
    for k in range(theta.size):
        e3 = n[k]
        a = np.array([1.0, 0, 0]) if abs(e3[0]) < 0.9 else np.array([0, 1.0, 0])
        e1 = np.cross(e3, a)
        e1 /= np.linalg.norm(e1)
        e2 = np.cross(e3, e1)
        R = np.stack([e1, e2, e3])                     # orbit → body
        ff = facet_fluxes(scene, R @ s_orb, R @ nad[k], H=orbit.H, eclipse=bool(ecl[k]),
                          cos_sun_zenith=float(cz[k]), solar_constant=1361.0, albedo=0.3,
                          earth_ir=237.0)
        assert np.all(ff.view_factor_stderr == 0.0)
        r = face_fluxes(orbit, attitude, theta[k:k + 1], solar_constant=1361.0, albedo=0.3,
                        earth_ir=237.0)
        for face, grp in (("front", gf), ("back", gb)):
            for q in ("solar", "albedo", "earth_ir"):
                got = getattr(ff, q)[grp]
                want = float(getattr(r[face], q)[0])
                assert got == pytest.approx(np.full(grp.size, want), rel=1e-6, abs=1e-6), (face, q)
    assert ref["front"].solar.shape == theta.shape


def _cavity(n_theta):
    d = disk(1.0, n_theta // 8, n_theta, z=0.0, up=False)          # faces −z (nadir)
    w = cylinder_wall(1.0, -1.0, 0.0, n_theta, n_theta // 8, inward=True)
    return stack_facets(d, w)


def test_disk_in_cavity_sees_earth_only_through_aperture():
    """Nadir-facing disk at the bottom of a cylindrical cavity (radius = depth = 1) at 500 km:
    every ray through the aperture is within 63.4° of nadir, inside the Earth's 68.0°, so the
    visible Earth factor is the disk-to-aperture factor (Howell C-41). The reported standard
    error must cover the actual error."""
    H = (EARTH_RADIUS_M + 500e3) / EARTH_RADIUS_M
    assert math.degrees(math.asin(1 / H)) > math.degrees(math.atan(2.0))  # 68.0° > 63.4°
    pts, fac, (gd, gw) = _cavity(64)
    scene = build_scene(pts, fac)
    eb = earth_blockage(scene, (0, 0, -1), 1 / H)
    A = scene.geometry.areas[gd]
    F = ((1 / H) ** 2 - eb.blocked[gd]) @ A / A.sum()
    se = math.sqrt(np.sum((eb.stderr[gd] * A) ** 2)) / A.sum()
    assert F == pytest.approx(F_DISKS, rel=2e-3)
    assert 0.0 < se < 2e-3
    # the walls look sideways out of the cavity; the wall facets near the rim see some Earth
    assert np.all(eb.blocked >= 0.0)
    assert eb.rays_per_second > 0


def test_earth_view_error_falls_with_more_rays():
    pts, fac, (gd, gw) = _cavity(32)
    scene = build_scene(pts, fac, sample_points=1)
    H = (EARTH_RADIUS_M + 500e3) / EARTH_RADIUS_M
    se = []
    for n_u, n_phi in ((2, 8), (8, 32)):
        eb = earth_blockage(scene, (0, 0, -1), 1 / H, n_u=n_u, n_phi=n_phi)
        se.append(np.median(eb.stderr[gd]))
    assert se[1] < 0.4 * se[0]          # ~1/sqrt(16) = 0.25 for 16× the rays


def _shadow_scene(x_cover, n=4, sample_points=2):
    """Plate A (1 × 1 at z = 0, facing +z, the Sun) under an opaque sheet at z = 0.5 covering
    x < x_cover of it (both sheet faces, larger than A in y)."""
    a = shell(1.0, 1.0, n, n, origin=(0, 0, 0), normal=(0, 0, 1))
    blk = shell(x_cover + 1.0, 3.0, 2, 2, origin=(-1.0, -1.0, 0.5), normal=(0, 0, 1))
    pts, fac, groups = stack_facets((a.points, a.cells),
                                    (blk.points, blk.boundary("front").facets),
                                    (blk.points, blk.boundary("back").facets))
    return build_scene(pts, fac, sample_points=sample_points), groups[0]


def test_full_and_half_shadow():
    scene, ga = _shadow_scene(1.5)
    assert np.all(sun_fraction(scene, (0, 0, 1))[ga] == 0.0)
    scene, ga = _shadow_scene(0.5)
    lit = sun_fraction(scene, (0, 0, 1))
    A = scene.geometry.areas[ga]
    assert lit[ga] @ A / A.sum() == pytest.approx(0.5, abs=1e-12)
    # oblique Sun (θ from +z toward +x): the shadow edge on A moves to x = 0.5 − 0.5 tan θ
    th = math.atan(0.25)                     # edge at x = 0.375, inside a facet of width 0.25
    ref = 1.0 - 0.375
    err = []
    for m in (1, 2, 4):
        scene, ga = _shadow_scene(0.5, sample_points=m)
        lit = sun_fraction(scene, (math.sin(th), 0, math.cos(th)))
        err.append(abs(lit[ga] @ A / A.sum() - ref))
    assert err[2] < err[0] and err[2] < 0.02
