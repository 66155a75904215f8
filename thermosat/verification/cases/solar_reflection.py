"""Sunlight reflected from one body onto another (docs/references.md §8 case 14).

Problem
-------
Square A (1 × 1 m, z = 0, normal +z) faces the Sun (Sun along +z, S = 1361 W/m²); its
coating absorbs α = 0.15 of the solar band and reflects the rest diffusely. Square B
(1 × 1 m, x = 0, normal +x) is black (α = 1) and shares the edge x = z = 0 with A, at a
right angle: it is edge-on to the Sun and gets no direct sunlight. No Earth (albedo and
Earth IR 0).

Reference
---------
A's radiosity is ``J_A = (1 − α) S`` (uniform; B is black and reflects nothing back), so B
absorbs, per unit of its area, ``J_A A_A F_AB / A_B = 0.85 × 1361 × F_AB`` with F_AB =
0.200043776075403 for perpendicular unit squares with a common edge (Howell, *A Catalog of
Radiation Heat Transfer Configuration Factors*, C-14): 231.42 W/m², mean over B.

Computed
--------
The toolkit's path on the mesh: direct Sun per facet with ray-traced shadowing
(:func:`thermosat.physics.facet_environment.facet_fluxes`), the view factors of the facets
(:func:`thermosat.radiation.view_factors`, obstruction on) and the solar-band radiosity with
all bounces (:func:`thermosat.physics.facet_environment.solar_band_absorbed`); B's absorbed
flux averaged over its facets. Each square n × n quads. The facet view factors are exact
for the polygons (contour integral near the shared edge), so every mesh reproduces the
closed form to rounding; the rows also give the energy balance of the solar band
(absorbed + leaving to space − incident, relative to incident). Tolerance 3e-3 relative.
"""
from __future__ import annotations

import numpy as np

from thermosat.mesh.generators import shell
from thermosat.physics.facet_environment import facet_fluxes, solar_band_absorbed
from thermosat.radiation import stack_facets, view_factors
from thermosat.radiation.raytrace import build_scene
from thermosat.verification.case import CaseResult, refinement_case

NAME = "solar_reflection"

SOLAR_CONSTANT = 1361.0
ALPHA_A = 0.15
F_AB = 0.200043776075403          # Howell C-14, W = H = 1
REFERENCE = (1.0 - ALPHA_A) * SOLAR_CONSTANT * F_AB
MESHES = (1, 2, 4, 8, 16)


def compute(n: int) -> dict:
    """One mesh row: B's mean absorbed flux (W/m²) and the solar-band energy balance."""
    a = shell(1.0, 1.0, n, n, normal=(0.0, 0.0, 1.0))                              # A
    b = shell(1.0, 1.0, n, n, normal=(1.0, 0.0, 0.0), u_axis=(0.0, 1.0, 0.0))      # B
    pts, fac, (ga, gb) = stack_facets((a.points, a.cells), (b.points, b.cells))
    scene = build_scene(pts, fac, sample_points=2)
    ff = facet_fluxes(scene, (0.0, 0.0, 1.0), (0.0, 0.0, -1.0), H=1.1,
                      solar_constant=SOLAR_CONSTANT, albedo=0.0, earth_ir=0.0)
    vf = view_factors(pts, fac, use_cache=False)
    alpha = np.ones(fac.shape[0])
    alpha[ga] = ALPHA_A
    E = ff.solar + ff.albedo
    q, J = solar_band_absorbed(E, alpha, vf.F)
    A = vf.areas
    incident = float(E @ A)
    escaped = float((J * vf.to_space) @ A)
    return {"n": n, "h": 1.0 / n, "facets": int(fac.shape[0]),
            "computed": float(q[gb] @ A[gb] / A[gb].sum()),
            "direct_on_B": float(ff.solar[gb].max()),
            "energy_balance_error": abs(float(q @ A) + escaped - incident) / incident}


def run() -> CaseResult:
    rows = [compute(n) for n in MESHES]
    return refinement_case(NAME, REFERENCE, 3e-3,
                           "Howell, Catalog of Radiation Heat Transfer Configuration Factors, "
                           "C-14 (perpendicular squares, common edge): 0.85 × 1361 × "
                           "0.200043776", rows, "W/m²")


if __name__ == "__main__":
    res = run()
    for row in res.meshes:
        print(row)
    print(res)
