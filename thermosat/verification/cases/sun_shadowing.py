"""Direct sunlight on a plate shadowed by another body (docs/references.md §8 case 18).

Problem
-------
Plate P: 2 × 2 m at z = 0 (corner at (−1, −1, 0)), normal +z. Sun in the x–z plane at
incidence i = 30° from the normal, S = 1361 W/m²; no Earth. Three blockers above P, one at
a time (opaque, one facet layer):

* ``disk``: a disk of area π r², r = 0.5 m, at height 0.5 m centred over P's centre — its
  shadow on P is the disk translated by −0.5 tan i in x, wholly inside P, so P's lit
  fraction is ``1 − π r²/4`` and its mean direct irradiance ``S cos i (1 − π r²/4)``
  = 947.23 W/m² (the reported value);
* ``full``: a sheet at 0.5 m larger than P and its shadow — P gets exactly 0;
* ``half``: a sheet at 0.5 m whose edge casts its shadow exactly along x = 0 — P gets
  exactly ``S cos i / 2``.

Reference
---------
Geometric optics of a parallel beam (Siegel & Howell, *Thermal Radiation Heat Transfer*,
6th ed., §4: the direct irradiance of a surface element is ``S cos i`` where the ray toward
the Sun escapes, 0 where it is blocked). The disk is a regular 64-gon with the disk's area
(boundary nodes on the equal-area radius), so ``π r²`` is exact for the polygon.

Computed
--------
:func:`thermosat.physics.facet_environment.facet_fluxes` with ray-traced shadowing
(:func:`thermosat.radiation.raytrace.sun_fraction`: one ray toward the Sun from each of the
``m × m`` Gauss points per facet, m = 4), P's irradiance averaged over its facets; P meshed
n × n quads. The disk's shadow edge cuts P's facets anywhere, so the error comes from the
facets the edge crosses (each lit in steps of its Gauss weights) and falls with n. The
``full`` and ``half`` rows (edges on mesh lines or symmetric within a facet column) must be
exact to rounding on every mesh (absolute error ≤ 1e-9 W/m², else the case fails).
Tolerance 3e-3 relative on the disk's finest mesh.
"""
from __future__ import annotations

import math

from thermosat.mesh.generators import shell
from thermosat.physics.facet_environment import facet_fluxes
from thermosat.radiation import stack_facets
from thermosat.radiation.raytrace import build_scene
from thermosat.radiation.shapes import disk
from thermosat.verification.case import CaseResult

NAME = "sun_shadowing"

SOLAR_CONSTANT = 1361.0
INCIDENCE = math.radians(30.0)
HEIGHT = 0.5                        # blocker height above P, m
RADIUS = 0.5                        # disk radius, m
DISK_SEGMENTS = 64
SAMPLE_POINTS = 4
MESHES = (8, 16, 32, 64, 128)
REFERENCE = SOLAR_CONSTANT * math.cos(INCIDENCE) * (1.0 - math.pi * RADIUS ** 2 / 4.0)


def _sun():
    return (math.sin(INCIDENCE), 0.0, math.cos(INCIDENCE))


def _blocker(kind: str):
    """Facets of the blocker (normal −z, toward P) for ``kind`` in disk, full, half."""
    shift = HEIGHT * math.tan(INCIDENCE)         # the shadow is the blocker moved by −shift in x
    if kind == "disk":
        n = DISK_SEGMENTS
        r = RADIUS * math.sqrt(2.0 * math.pi / (n * math.sin(2.0 * math.pi / n)))
        p, f = disk(r, 4, n, z=HEIGHT, up=False)
        return p, f
    x1 = 2.0 if kind == "full" else shift        # sheet over x < x1, shadow over x < x1 − shift
    m = shell(x1 + 2.0, 4.0, 2, 2, origin=(-2.0, -2.0, HEIGHT), normal=(0.0, 0.0, 1.0))
    return m.points, m.boundary("back").facets


def compute(kind: str, n: int, sample_points: int = SAMPLE_POINTS) -> float:
    """Mean direct irradiance on P (W/m²) with the blocker ``kind``, P meshed n × n."""
    p = shell(2.0, 2.0, n, n, origin=(-1.0, -1.0, 0.0), normal=(0.0, 0.0, 1.0))
    pts, fac, (gp, _gb) = stack_facets((p.points, p.cells), _blocker(kind))
    scene = build_scene(pts, fac, sample_points=sample_points)
    ff = facet_fluxes(scene, _sun(), (0.0, 0.0, -1.0), H=1.1, solar_constant=SOLAR_CONSTANT,
                      albedo=0.0, earth_ir=0.0, n_u=1, n_phi=1)
    A = scene.geometry.areas[gp]
    return float(ff.solar[gp] @ A / A.sum())


def run() -> CaseResult:
    full_sun = SOLAR_CONSTANT * math.cos(INCIDENCE)
    rows = []
    for n in MESHES:
        q = compute("disk", n)
        rows.append({"series": "disk", "n": n, "h": 2.0 / n, "reference": REFERENCE,
                     "computed": q, "rel_error": abs(q - REFERENCE) / REFERENCE})
    for kind, ref in (("full", 0.0), ("half", 0.5 * full_sun)):
        for n in (MESHES[0], MESHES[1] + 1):          # an even and an odd mesh
            q = compute(kind, n)
            err = abs(q - ref)
            rows.append({"series": kind, "n": n, "reference": ref, "computed": q,
                         "abs_error": err})
            if err > 1e-9:
                raise RuntimeError(f"sun_shadowing: {kind} shadow on an {n} × {n} mesh gives "
                                   f"{q!r} W/m², expected {ref!r}")
    return CaseResult(
        name=NAME, reference=REFERENCE, computed=rows[len(MESHES) - 1]["computed"],
        tolerance=3e-3,
        source=("parallel-beam shadow of a disk (area π r²) inside a plate: S cos i "
                "(1 − π r²/A); full shadow 0; half shadow S cos i / 2"),
        unit="W/m²", meshes=rows)


if __name__ == "__main__":
    res = run()
    for row in res.meshes:
        print(row)
    print(res)
