"""View factor between perpendicular unit squares sharing an edge (docs/references.md §8 case 11).

Problem
-------
Two 1 × 1 m squares at a right angle with a common edge (an inside corner), each facing the
other. Each square is meshed with n × n facets (quad4, and tri3 for the finest row); facets
along the common edge touch, so the integration must handle the singular kernel exactly.
``F_12 = Σ_{i∈1, j∈2} A_i F_ij / A_1`` from :func:`thermosat.radiation.view_factors`.

Reference
---------
F_12 = 0.200043776075403: closed form for perpendicular rectangles with a common edge,
J. R. Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*, config. C-14
(also Siegel & Howell, *Thermal Radiation Heat Transfer*, app. C), W = H = 1.

Computed
--------
Touching facets use the contour-integral form with parallel (shared, collinear) edges in
closed form and the outer integral refined towards the edge end points, so every mesh
matches the reference to about 1e-12 or better. Tolerance 1e-4 relative.
"""
from __future__ import annotations

from thermosat.mesh.generators import shell
from thermosat.radiation import stack_facets, view_factors
from thermosat.verification.case import CaseResult, refinement_case

NAME = "view_factor_perpendicular"

REFERENCE = 0.200043776075403
MESHES = ((1, "quad4"), (2, "quad4"), (4, "quad4"), (8, "quad4"), (8, "tri3"))


def compute(n: int, cell: str = "quad4") -> tuple[float, int]:
    """``F_12`` of the two squares meshed n × n, and the facet count."""
    a = shell(1.0, 1.0, n, n, normal=(0.0, 0.0, 1.0), cell=cell)          # z = 0, faces +z
    b = shell(1.0, 1.0, n, n, normal=(1.0, 0.0, 0.0), u_axis=(0.0, 1.0, 0.0),
              cell=cell)                                                 # x = 0, faces +x
    pts, fac, (ga, gb) = stack_facets((a.points, a.cells), (b.points, b.cells))
    vf = view_factors(pts, fac, use_cache=False)
    return vf.group_factor(ga, gb), fac.shape[0]


def run() -> CaseResult:
    rows = []
    for n, cell in MESHES:
        f, nf = compute(n, cell)
        rows.append({"n": n, "cell": cell, "facets": nf, "computed": f})
    return refinement_case(NAME, REFERENCE, 1e-4,
                           "Howell, Catalog of Radiation Heat Transfer Configuration Factors, "
                           "C-14 (perpendicular rectangles with a common edge), W = H = 1",
                           rows, "-")


if __name__ == "__main__":
    print(run())
