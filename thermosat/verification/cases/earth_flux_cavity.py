"""Earth IR on a disk at the bottom of a cylindrical cavity (docs/references.md §8 case 13).

Problem
-------
A disk of radius 1 m faces nadir at the closed end of a cylindrical cavity of radius 1 m and
depth 1 m (the cavity wall is opaque), at 500 km altitude; Earth IR 237 W/m², ε = 1, no
sunlight (eclipse, no albedo). The disk sees the Earth only through the aperture.

Reference
---------
Seen from any point of the disk, every ray through the aperture makes at most
atan(2) = 63.4° with nadir, and the Earth fills the cone of half-angle
asin(R/(R + h)) = 68.0° about nadir, so every ray through the aperture reaches the Earth
and every other ray hits the wall: the disk's visible-Earth view factor is its view factor
to the aperture, a coaxial disk of radius 1 at distance 1, F = (3 − √5)/2 = 0.381966011
(Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*, C-41). Absorbed flux,
averaged over the disk: 237 × 0.381966011 = 90.526 W/m².

Computed
--------
The toolkit's orbital heating path on the mesh: :func:`thermosat.physics.facet_environment.
facet_fluxes` with ray-traced blockage (:func:`thermosat.radiation.raytrace.earth_blockage`,
the Earth cone sampled in ``N_U × N_PHI`` strata from each of 2 × 2 Gauss points per
facet), absorbed ``ε · earth_ir`` averaged over the disk facets. The disk is a polar mesh of
``n`` sectors (n/8 rings), the wall ``n`` × n/8 quads, both with their boundary nodes on the
equal-area radius ``R_n = √(2π/(n sin(2π/n)))`` so the polygons have the circles' areas
(the geometric error then falls as n⁻⁴, see case 11 ``view_factor_disks``). What remains is
the sampling error of the blocked part; each row gives the estimated standard error of the
disk mean (``stderr_rel``, an upper bound: the strata are treated as independent), the number
of rays and the rays per second. Tolerance 3e-3 relative on the finest mesh.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat.common.constants import EARTH_RADIUS_M
from thermosat.physics.facet_environment import facet_fluxes
from thermosat.radiation import stack_facets
from thermosat.radiation.raytrace import build_scene
from thermosat.radiation.shapes import cylinder_wall, disk
from thermosat.verification.case import CaseResult, refinement_case

NAME = "earth_flux_cavity"

ALTITUDE_M = 500e3
EARTH_IR = 237.0
F_APERTURE = (3.0 - math.sqrt(5.0)) / 2.0          # Howell C-41, r1 = r2 = h = 1
REFERENCE = EARTH_IR * F_APERTURE
SECTORS = (16, 32, 64, 128)
N_U, N_PHI = 16, 64


def equal_area_radius(n: int) -> float:
    """Radius (m) of the regular n-gon whose area is that of the unit circle."""
    return math.sqrt(2.0 * math.pi / (n * math.sin(2.0 * math.pi / n)))


def cavity(n: int):
    """Disk (facing −z, the nadir) at z = 0 and the cavity wall down to z = −1, ``n``
    sectors; returns ``(points, facets, (disk facet indices, wall facet indices))``."""
    r = equal_area_radius(n)
    rings = max(1, n // 8)
    d = disk(r, rings, n, z=0.0, up=False)
    w = cylinder_wall(r, -1.0, 0.0, n, rings, inward=True)
    return stack_facets(d, w)


def compute(n: int, n_u: int = N_U, n_phi: int = N_PHI) -> dict:
    """One mesh row: disk-mean absorbed flux (W/m²), its standard error, rays cast."""
    H = (EARTH_RADIUS_M + ALTITUDE_M) / EARTH_RADIUS_M
    # the closed form's premise: the widest ray through the aperture (polygon corner to the
    # opposite corner) stays inside the Earth's cone
    if not math.asin(1.0 / H) > math.atan(2.0 * equal_area_radius(n)):
        raise RuntimeError("the Earth must fill more than the aperture cone")
    pts, fac, (gd, _gw) = cavity(n)
    scene = build_scene(pts, fac, sample_points=2)
    ff = facet_fluxes(scene, (1.0, 0.0, 0.0), (0.0, 0.0, -1.0), H=H, eclipse=True,
                      solar_constant=1361.0, albedo=0.0, earth_ir=EARTH_IR,
                      n_u=n_u, n_phi=n_phi)
    A = scene.geometry.areas[gd]
    q = float(ff.absorbed(1.0, 1.0)[gd] @ A / A.sum())
    se = EARTH_IR * float(np.sqrt(np.sum((ff.view_factor_stderr[gd] * A) ** 2)) / A.sum())
    return {"n": n, "h": 2.0 * math.pi / n, "facets": int(fac.shape[0]), "computed": q,
            "stderr_rel": se / REFERENCE, "rays": ff.n_rays,
            "rays_per_s": ff.n_rays / ff.seconds if ff.seconds > 0 else float("nan")}


def run() -> CaseResult:
    rows = [compute(n) for n in SECTORS]
    return refinement_case(NAME, REFERENCE, 3e-3,
                           "Howell, Catalog of Radiation Heat Transfer Configuration Factors, "
                           "C-41 (coaxial disks 1 apart, disk to aperture): 237 × (3 − √5)/2",
                           rows, "W/m²")


if __name__ == "__main__":
    res = run()
    for row in res.meshes:
        print(row)
    print(res)
