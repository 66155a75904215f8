"""View factors under partial obstruction: several kernel-weighted rays per pair.

Concentric spheres (Siegel & Howell, *Thermal Radiation Heat Transfer*, 6th ed., enclosure
algebra): a convex inner body sees only the outer one (F_io = 1), so by reciprocity
F_oi = A_i/A_o and F_oo = 1 − A_i/A_o. Two icospheres of the same level scaled by 1 and 2
are exact scalings, so the facet-area ratio is exactly 1/4 and F_oo = 0.75 holds for the
polyhedra themselves. A plate half covered by a blocker just above it: by symmetry exactly
half of the opposed-squares factor (Howell C-11) passes.
"""
from __future__ import annotations

import numpy as np
import pytest

from thermosat.mesh.generators import shell
from thermosat.radiation import stack_facets, view_factors
from thermosat.radiation.shapes import icosphere

F_OPPOSED = 0.199824895698387        # Howell C-11, a = b = c = 1


def _spheres(level, points):
    a = icosphere(level, 1.0)
    b = icosphere(level, 2.0, inward=True)
    pts, fac, (gi, go) = stack_facets(a, b)
    return view_factors(pts, fac, use_cache=False, enclosure=True, obstruction_points=points), gi, go


def test_icosphere_scalings_have_exact_area_ratio():
    from thermosat.radiation.facets import facet_geometry
    a = facet_geometry(*icosphere(2, 1.0)).areas.sum()
    b = facet_geometry(*icosphere(2, 2.0)).areas.sum()
    assert b / a == pytest.approx(4.0, rel=1e-13)
    assert a < 4 * np.pi            # inscribed polyhedron


def test_raw_closure_improves_with_several_rays_per_pair():
    """Level-2 spheres: the raw (uncorrected) outer row sums straddle 1 by ~1.4 % with one
    centroid ray per pair; with 4 × 4 rays they are within 0.2 %, and the corrected rows sum
    to 1 and never above."""
    one, _, go = _spheres(2, 1)
    many, _, _ = _spheres(2, 2)
    err_one = max(1 - one.stats["closure_raw_min"], one.stats["closure_raw_max"] - 1)
    err_many = max(1 - many.stats["closure_raw_min"], many.stats["closure_raw_max"] - 1)
    assert err_many < 0.2 * err_one
    assert err_many < 2e-3
    rs = np.asarray(many.F.sum(axis=1)).ravel()
    assert np.all(rs <= 1.0 + 1e-12)
    assert many.closure_error() < 1e-9
    assert many.reciprocity_error() < 1e-12
    assert many.stats["n_partly_blocked_pairs"] > 0


@pytest.mark.parametrize("level", [1, 2])
def test_concentric_spheres_outer_self_view_factor(level):
    vf, gi, go = _spheres(level, 2)
    assert vf.group_factor(go, go) == pytest.approx(0.75, abs=1e-3)
    assert vf.group_factor(gi, go) == pytest.approx(1.0, abs=1e-9)   # inner sees only outer
    assert vf.group_factor(gi, gi) == 0.0


def _plate_pair_with_blocker(n, x_cover):
    m = shell(1.0, 1.0, n, n, origin=(0, 0, 0), normal=(0, 0, 1))
    a = (m.points, m.cells)
    m = shell(1.0, 1.0, n, n, origin=(0, 1, 1), normal=(0, 0, -1))
    b = (m.points, m.cells)
    blk = shell(x_cover + 1.0, 3.0, 1, 1, origin=(-1.0, -1.0, 1e-3), normal=(0, 0, 1))
    return stack_facets(a, b, (blk.points, blk.boundary("front").facets),
                        (blk.points, blk.boundary("back").facets))


def test_partial_shadow_converges_when_the_edge_cuts_facets():
    """A blocker edge at x = 0.3 (not on a mesh line of the 2 × 2 plate mesh): with one ray
    per pair the covered share is all-or-nothing per facet; with several rays it approaches
    the refined answer (x_cover = 0.3: F_AB of the uncovered strip 0.3 < x < 1, which
    is the factor of the 0.7-wide strip to B, computed unobstructed on its own mesh)."""
    pts, fac, (ga, gb, *_) = _plate_pair_with_blocker(2, 0.3)
    strip = shell(0.7, 1.0, 7, 10, origin=(0.3, 0, 0), normal=(0, 0, 1))
    mb = shell(1.0, 1.0, 2, 2, origin=(0, 1, 1), normal=(0, 0, -1))
    sp, sf, (gs, gbb) = stack_facets((strip.points, strip.cells), (mb.points, mb.cells))
    ref_vf = view_factors(sp, sf, use_cache=False, obstruction=False)
    ref = ref_vf.group_factor(gs, gbb) * 0.7          # per unit area of the whole plate A
    e = {}
    for m in (1, 2, 4):
        vf = view_factors(pts, fac, use_cache=False, obstruction_points=m)
        e[m] = abs(vf.group_factor(ga, gb) - ref)
    assert e[2] < 0.5 * e[1]
    assert e[4] < e[2]
