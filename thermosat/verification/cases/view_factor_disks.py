"""View factor between coaxial parallel disks of radius 1, one apart (docs/references.md §8 case 11).

Problem
-------
Two coaxial disks of radius R = 1 m, 1 m apart, facing each other. Each disk is meshed with
a polar mesh: a fan of N triangles at the centre and rings of N quads (N boundary segments,
N/16 rings, at least 1). ``F_12 = Σ_{i∈1, j∈2} A_i F_ij / A_1`` from
:func:`thermosat.radiation.view_factors`.

Reference
---------
with R_1 = r_1/h, R_2 = r_2/h and X = 1 + (1 + R_2²)/R_1²,
F_12 = [X − √(X² − 4 (R_2/R_1)²)]/2; for r_1 = r_2 = h = 1, X = 3 and F_12 = (3 − √5)/2 =
0.381966011250105; J. R. Howell, *A Catalog of Radiation Heat Transfer Configuration
Factors*, config. C-41 (parallel coaxial disks).

Computed
--------
The facet-pair integration is exact for the polygonal disks, so the error is the geometric
discretisation of the circle. With boundary nodes on the circle (inscribed polygon) it falls
as N⁻² (rows ``inscribed``); placing the boundary nodes at the radius that gives the polygon
the disk's area, R_N = R·√(2π/(N sin(2π/N))), cancels the leading term and the error falls
as N⁻⁴ (rows ``equal-area``, the reported value: N = 128, ~1e-8). Tolerance 1e-4 relative.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat.radiation import stack_facets, view_factors
from thermosat.verification.case import CaseResult, refinement_case

NAME = "view_factor_disks"

REFERENCE = (3.0 - math.sqrt(5.0)) / 2.0
SEGMENTS = (8, 16, 32, 64, 128)


def disk_facets(n_seg: int, n_rings: int, *, radius: float = 1.0, z: float = 0.0,
                facing_up: bool = True, equal_area: bool = True):
    """Polar mesh of a disk: points (m) and facets (a 4-column array, tri rows end with -1).

    ``equal_area`` puts the boundary nodes at the radius that makes the polygon's area πR².
    """
    r_out = radius
    if equal_area:
        r_out = radius * math.sqrt(2.0 * math.pi / (n_seg * math.sin(2.0 * math.pi / n_seg)))
    th = 2.0 * math.pi * np.arange(n_seg) / n_seg
    radii = r_out * np.arange(1, n_rings + 1) / n_rings
    ring_pts = np.concatenate([np.stack([r * np.cos(th), r * np.sin(th), np.full(n_seg, z)], 1)
                               for r in radii])
    pts = np.vstack([[0.0, 0.0, z], ring_pts])
    k = np.arange(n_seg)
    k1 = (k + 1) % n_seg
    fac = [np.stack([np.zeros(n_seg, int), 1 + k, 1 + k1, -np.ones(n_seg, int)], 1)]
    for ring in range(1, n_rings):
        a = 1 + (ring - 1) * n_seg
        b = 1 + ring * n_seg
        fac.append(np.stack([a + k, b + k, b + k1, a + k1], 1))
    fac = np.concatenate(fac)
    if not facing_up:
        fac = np.where(fac[:, 3:4] < 0, fac[:, [0, 2, 1, 3]], fac[:, [0, 3, 2, 1]])
    return pts, fac


def compute(n_seg: int, equal_area: bool = True) -> tuple[float, int]:
    """``F_12`` of the disks with ``n_seg`` boundary segments, and the facet count."""
    rings = max(1, n_seg // 16)
    a = disk_facets(n_seg, rings, equal_area=equal_area)
    b = disk_facets(n_seg, rings, z=1.0, facing_up=False, equal_area=equal_area)
    pts, fac, (ga, gb) = stack_facets(a, b)
    vf = view_factors(pts, fac, use_cache=False)
    return vf.group_factor(ga, gb), fac.shape[0]


def run() -> CaseResult:
    rows = []
    for boundary in ("inscribed", "equal-area"):
        for n in SEGMENTS:
            f, nf = compute(n, equal_area=boundary == "equal-area")
            rows.append({"n": n, "boundary": boundary, "facets": nf, "computed": f})
    return refinement_case(NAME, REFERENCE, 1e-4,
                           "Howell, Catalog of Radiation Heat Transfer Configuration Factors, "
                           "C-41 (coaxial parallel disks), R1 = R2 = H = 1: (3 − √5)/2",
                           rows, "-")


if __name__ == "__main__":
    print(run())
