"""View factor between directly opposed unit squares one unit apart (docs/references.md §8 case 11).

Problem
-------
Two parallel 1 × 1 m squares, directly opposed, 1 m apart, facing each other. Each square
is meshed with n × n quad4 facets (n = 1, 2, 4, 8, 16); the square-to-square factor is
``F_12 = Σ_{i∈1, j∈2} A_i F_ij / A_1`` from :func:`thermosat.radiation.view_factors`
(obstruction on, nothing blocks).

Reference
---------
F_12 = 0.199824895698387: closed form for directly opposed rectangles (X = a/c, Y = b/c),
J. R. Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*, config. C-11
(also Siegel & Howell, *Thermal Radiation Heat Transfer*, app. C).

Computed
--------
Facet pairs are integrated with the contour-integral form (near pairs) or adaptive-order
Gauss area rules (far pairs, error target 1e-8 of each pair's scale); there is no
discretisation error for flat polygons, so every row agrees with the reference to 1e-15
(one facet per square) ... 2e-11 (16 × 16). Tolerance 1e-4 relative.
"""
from __future__ import annotations

from thermosat.mesh.generators import shell
from thermosat.radiation import stack_facets, view_factors
from thermosat.verification.case import CaseResult, refinement_case

NAME = "view_factor_parallel"

REFERENCE = 0.199824895698387
MESHES = (1, 2, 4, 8, 16)


def compute(n: int) -> tuple[float, int]:
    """``F_12`` of the two squares meshed n × n, and the facet count."""
    a = shell(1.0, 1.0, n, n, normal=(0.0, 0.0, 1.0))
    b = shell(1.0, 1.0, n, n, normal=(0.0, 0.0, -1.0), origin=(0.0, 1.0, 1.0))
    pts, fac, (ga, gb) = stack_facets((a.points, a.cells), (b.points, b.cells))
    vf = view_factors(pts, fac, use_cache=False)
    return vf.group_factor(ga, gb), fac.shape[0]


def run() -> CaseResult:
    rows = []
    for n in MESHES:
        f, nf = compute(n)
        rows.append({"n": n, "facets": nf, "computed": f})
    return refinement_case(NAME, REFERENCE, 1e-4,
                           "Howell, Catalog of Radiation Heat Transfer Configuration Factors, "
                           "C-11 (directly opposed parallel rectangles), a = b = c = 1",
                           rows, "-")


if __name__ == "__main__":
    print(run())
