"""View factors between mesh facets: catalog values, reciprocity, closure, obstruction,
pyviewfactor cross-check, sparse dropping and the disk cache.

Catalog values (J. R. Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*):
opposed unit squares one apart 0.199824895698387 (C-11); perpendicular unit squares with a
common edge 0.200043776075403 (C-14); coaxial unit disks one apart (3 − √5)/2 (C-41).
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from thermosat.common.errors import InputError, MeshError
from thermosat.mesh.generators import shell
from thermosat.radiation import exchange_area, polygon_exchange_area, stack_facets, view_factors
from thermosat.radiation.bvh import build_bvh, segments_blocked, triangulate_facets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

F_OPPOSED = 0.199824895698387        # Howell C-11, a = b = c = 1
F_PERPENDICULAR = 0.200043776075403  # Howell C-14, W = H = 1
F_DISKS = (3.0 - math.sqrt(5.0)) / 2.0  # Howell C-41, r1 = r2 = h = 1


def _panel(lx, ly, n1, n2, origin, normal, u_axis=None, cell="quad4"):
    m = shell(lx, ly, n1, n2, origin=origin, normal=normal, u_axis=u_axis, cell=cell)
    return m.points, m.cells


def _two_sided(lx, ly, n1, n2, origin, normal, u_axis=None):
    m = shell(lx, ly, n1, n2, origin=origin, normal=normal, u_axis=u_axis)
    return [(m.points, m.boundary("front").facets), (m.points, m.boundary("back").facets)]


def _cube_inward(n, half=1.0, cell="quad4"):
    """Six faces of the cube [-half, half]³, normals inward, n × n cells each."""
    parts = []
    for axis in range(3):
        for sgn in (-1.0, 1.0):
            normal = np.zeros(3)
            normal[axis] = -sgn
            u = np.zeros(3)
            u[(axis + 1) % 3] = 1.0
            v = np.cross(normal, u)
            origin = np.zeros(3)
            origin[axis] = sgn * half
            origin = origin - half * u - half * v
            parts.append(_panel(2 * half, 2 * half, n, n, origin, normal, u, cell))
    return stack_facets(*parts)


def _opposed(n, gap=1.0, cell="quad4"):
    a = _panel(1.0, 1.0, n, n, (0, 0, 0), (0, 0, 1), cell=cell)
    b = _panel(1.0, 1.0, n, n, (0, 1, gap), (0, 0, -1), cell=cell)
    return stack_facets(a, b)


# ------------------------------------------------------------------------------------------
# catalog values
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n,cell", [(1, "quad4"), (3, "quad4"), (2, "tri3")])
def test_opposed_unit_squares_match_howell_c11(n, cell):
    pts, fac, (ga, gb) = _opposed(n, cell=cell)
    vf = view_factors(pts, fac, use_cache=False)
    assert vf.group_factor(ga, gb) == pytest.approx(F_OPPOSED, rel=1e-10)
    assert vf.group_factor(gb, ga) == pytest.approx(F_OPPOSED, rel=1e-10)


@pytest.mark.parametrize("n,cell", [(1, "quad4"), (4, "quad4"), (3, "tri3")])
def test_perpendicular_squares_sharing_edge_match_howell_c14(n, cell):
    a = _panel(1.0, 1.0, n, n, (0, 0, 0), (0, 0, 1), cell=cell)
    b = _panel(1.0, 1.0, n, n, (0, 0, 0), (1, 0, 0), (0, 1, 0), cell=cell)
    pts, fac, (ga, gb) = stack_facets(a, b)
    vf = view_factors(pts, fac, use_cache=False)
    assert vf.group_factor(ga, gb) == pytest.approx(F_PERPENDICULAR, rel=1e-10)


def test_single_pair_kernel_is_exact_and_scale_invariant():
    P = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0.0]])
    Q = np.array([[0, 0, 0], [0, 1, 0], [0, 1, 1], [0, 0, 1.0]])
    assert polygon_exchange_area(P, Q) == pytest.approx(F_PERPENDICULAR, rel=1e-13)
    rot = np.linalg.qr(np.random.default_rng(3).normal(size=(3, 3)))[0]
    s = 1e-3
    assert polygon_exchange_area(s * P @ rot.T + 5, s * Q @ rot.T + 5) == pytest.approx(
        s * s * F_PERPENDICULAR, rel=1e-11)


def test_coaxial_disks_converge_to_howell_c41():
    from thermosat.verification.cases.view_factor_disks import compute

    errs = [abs(compute(n)[0] - F_DISKS) / F_DISKS for n in (16, 32)]
    assert errs[1] < 1e-5                     # 3.9e-6 with the equal-area boundary
    assert errs[0] / errs[1] > 12.0           # ~ N^-4 convergence (16.2 observed)
    ins = [abs(compute(n, equal_area=False)[0] - F_DISKS) for n in (16, 32)]
    assert 3.5 < ins[0] / ins[1] < 4.5        # inscribed polygon: N^-2


# ------------------------------------------------------------------------------------------
# reciprocity, closure
# ------------------------------------------------------------------------------------------
def test_cube_closure_and_reciprocity_without_correction():
    pts, fac, groups = _cube_inward(5)
    vf = view_factors(pts, fac, use_cache=False)
    assert vf.reciprocity_error() < 1e-10
    assert vf.closure_error() < 1e-10         # exact integration closes the cube on its own
    assert vf.group_factor(groups[0], groups[1]) == pytest.approx(F_OPPOSED, rel=1e-10)
    assert vf.group_factor(groups[0], groups[2]) == pytest.approx(F_PERPENDICULAR, rel=1e-10)


def test_closed_box_with_internal_obstruction_closes_after_correction():
    box = _cube_inward(4)
    plate = _two_sided(0.8, 0.8, 2, 2, (-0.4, -0.4, 0.1), (0, 0, 1))
    pts, fac, _ = stack_facets((box[0], box[1]), *plate)
    raw = view_factors(pts, fac, use_cache=False)
    assert raw.stats["n_blocked_pairs"] > 0
    assert raw.closure_error() > 1e-3          # centroid-ray shadows do not close exactly
    vf = view_factors(pts, fac, use_cache=False, enclosure=True)
    assert vf.closure_error() < 1e-6
    assert np.max(np.abs(vf.to_space)) < 1e-6
    assert vf.reciprocity_error() < 1e-10
    assert vf.F.data.min() >= 0.0
    # the correction is small where it should be: far from the plate nothing changed much
    d = abs(vf.F - raw.F)
    assert d.max() < 0.05


def test_enclosure_mask_only_closes_selected_rows():
    box = _cube_inward(3)
    plate = _two_sided(0.8, 0.8, 2, 2, (-0.4, -0.4, 0.1), (0, 0, 1))
    far = _opposed(2)
    far = (far[0] + 10.0, far[1])
    pts, fac, groups = stack_facets((box[0], box[1]), *plate, far)
    inside = np.concatenate(groups[:3])
    vf = view_factors(pts, fac, use_cache=False, enclosure=inside)
    assert vf.closure_error() < 1e-6                      # rows of the enclosure
    assert np.array_equal(np.flatnonzero(vf.enclosure), inside)
    outside = groups[3]
    # the open pair keeps its view to space: per facet rows average to 1 − F_opposed
    assert np.mean(vf.to_space[outside]) == pytest.approx(1 - F_OPPOSED, rel=1e-10)


# ------------------------------------------------------------------------------------------
# obstruction
# ------------------------------------------------------------------------------------------
def test_large_blocker_gives_zero():
    a = _panel(1.0, 1.0, 4, 4, (0, 0, 0), (0, 0, 1))
    b = _panel(1.0, 1.0, 4, 4, (0, 1, 1), (0, 0, -1))
    blk = _two_sided(3.0, 3.0, 3, 3, (-1.0, -1.0, 0.5), (0, 0, 1))
    pts, fac, groups = stack_facets(a, b, *blk)
    vf = view_factors(pts, fac, use_cache=False)
    assert vf.group_factor(groups[0], groups[1]) == 0.0
    free = view_factors(pts, fac, use_cache=False, obstruction=False)
    assert free.group_factor(groups[0], groups[1]) == pytest.approx(F_OPPOSED, rel=1e-10)


def test_half_blocker_blocks_exactly_half():
    """A blocker just above the left half of A hides exactly that half from B: by symmetry
    F(A_left → B) = F(A_right → B) = F_AB, so the obstructed F_AB is F_opposed / 2."""
    a = _panel(1.0, 1.0, 4, 4, (0, 0, 0), (0, 0, 1))
    b = _panel(1.0, 1.0, 4, 4, (0, 1, 1), (0, 0, -1))
    blk = _two_sided(1.5, 3.0, 3, 3, (-1.0, -1.0, 1e-3), (0, 0, 1))   # x in [-1, 0.5]
    pts, fac, groups = stack_facets(a, b, *blk)
    vf = view_factors(pts, fac, use_cache=False)
    assert vf.group_factor(groups[0], groups[1]) == pytest.approx(F_OPPOSED / 2, rel=1e-10)
    assert vf.reciprocity_error() < 1e-10


def test_bvh_segment_queries():
    a = _panel(1.0, 1.0, 2, 2, (0, 0, 0), (0, 0, 1))
    pts, fac, _ = stack_facets(a)
    tri, owner = triangulate_facets(pts, fac)
    bvh = build_bvh(tri, owner)
    p = np.array([[0.3, 0.3, -1.0], [2.0, 2.0, -1.0], [0.3, 0.3, -1.0], [0.3, 0.3, -1.0]])
    q = np.array([[0.3, 0.3, 1.0], [2.0, 2.0, 1.0], [0.3, 0.3, -0.5], [0.3, 0.3, 1.0]])
    skip = np.array([-1, -1, -1, 0])          # facet 0 holds (0.3, 0.3)
    hit = segments_blocked(*bvh.arrays(), p, q, skip, skip, 1e-9, 1 - 1e-9)
    assert hit.tolist() == [True, False, False, False]


# ------------------------------------------------------------------------------------------
# culling, clipping, far field
# ------------------------------------------------------------------------------------------
def test_facing_away_and_coplanar_pairs_are_culled():
    a = _panel(1.0, 1.0, 2, 2, (0, 0, 0), (0, 0, 1))
    b = _panel(1.0, 1.0, 2, 2, (0, 1, 1), (0, 0, 1))      # above A but facing up, away
    c = _panel(1.0, 1.0, 2, 2, (2, 0, 0), (0, 0, 1))      # coplanar with A
    pts, fac, _ = stack_facets(a, b, c)
    vf = view_factors(pts, fac, use_cache=False)
    assert vf.F.nnz == 0
    assert np.all(vf.to_space == 1.0)


def test_straddling_facet_is_clipped_exactly():
    """Square B crosses the plane of A: only its part above A's plane exchanges."""
    A = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0.0]])
    B = np.array([[0, 0, -0.5], [0, 1, -0.5], [0, 1, 1.0], [0, 0, 1.0]])   # x = 0, faces +x
    pts = np.vstack([A, B])
    fac = np.array([[0, 1, 2, 3], [4, 5, 6, 7]])
    g = exchange_area(pts, fac, 0, 1)
    B_vis = np.array([[0, 0, 0], [0, 1, 0], [0, 1, 1.0], [0, 0, 1.0]])
    assert g == pytest.approx(polygon_exchange_area(A, B_vis), rel=1e-12)
    vf = view_factors(pts, fac, use_cache=False)
    assert vf.F[0, 1] == pytest.approx(F_PERPENDICULAR, rel=1e-10)
    assert vf.F[1, 0] * 1.5 == pytest.approx(F_PERPENDICULAR, rel=1e-10)


def test_far_field_quadrature_meets_rtol():
    rng = np.random.default_rng(7)
    a = _panel(0.3, 0.2, 1, 1, (0, 0, 0), (0, 0, 1))
    errs = []
    for _ in range(25):
        d = rng.uniform(1.0, 4.0)
        n = rng.normal(size=3)
        n[2] = -abs(n[2]) - 0.2
        n /= np.linalg.norm(n)
        c = np.array([rng.uniform(-1, 1), rng.uniform(-1, 1), d])
        m = shell(0.25, 0.15, 1, 1, origin=c, normal=n)
        pts, fac, _ = stack_facets(a, (m.points, m.cells))
        vf = view_factors(pts, fac, use_cache=False, rtol=1e-9, near_factor=0.0)
        ref = exchange_area(pts, fac, 0, 1)
        if ref > 0:
            scale = vf.areas[0] * vf.areas[1] / (math.pi * np.sum((vf.centroids[1]
                                                                   - vf.centroids[0]) ** 2))
            errs.append(abs(vf.F[0, 1] * vf.areas[0] - ref) / scale)
    assert len(errs) > 10
    assert max(errs) < 1e-8


# ------------------------------------------------------------------------------------------
# against pyviewfactor
# ------------------------------------------------------------------------------------------
def test_matches_pyviewfactor_on_same_mesh():
    pv = pytest.importorskip("pyvista")
    pvf = pytest.importorskip("pyviewfactor")
    # coordinates exact in 8 decimals: pyviewfactor rounds vertices to 1e-8
    a = _panel(1.0, 1.0, 4, 4, (0, 0, 0), (0, 0, 1))
    b = _panel(1.0, 1.0, 4, 4, (0, 1, 1), (0, 0, -1))
    c = _panel(1.0, 1.0, 4, 4, (0, 0, 0), (1, 0, 0), (0, 1, 0))
    d = _panel(0.6, 0.4, 2, 2, (0.2, 2.5, 0.2), (0, -1, 0), (1, 0, 0), cell="tri3")
    pts, f4, _ = stack_facets(a, b, c)
    pd, f3, _ = stack_facets(d)
    P = np.vstack([pts, pd])
    fac = np.vstack([f4, np.c_[f3 + len(pts), -np.ones(len(f3), int)]])
    ours = view_factors(P, fac, use_cache=False, obstruction=False).F.toarray()
    cells = np.concatenate([[int((f >= 0).sum()), *f[f >= 0]] for f in fac])
    theirs = pvf.compute_viewfactor_matrix(pv.PolyData(P, cells)).T   # theirs[i, j] = F(i→j)
    nz = (ours > 0) | (theirs > 0)
    assert np.array_equal(ours > 0, theirs > 0)
    rel = np.abs(ours - theirs)[nz] / np.maximum(ours, theirs)[nz]
    i, j = np.nonzero(nz)
    touching = np.array([np.min(np.linalg.norm(P[fac[p][fac[p] >= 0]][:, None]
                                               - P[fac[q][fac[q] >= 0]][None], axis=2)) < 1e-12
                         for p, q in zip(i, j)])
    assert rel[~touching].max() < 1e-9        # disjoint pairs: both integrate accurately
    assert rel[touching].max() < 1e-5         # pyviewfactor's GL-30 outer rule on log kernels


# ------------------------------------------------------------------------------------------
# sparse representation, cache, input errors
# ------------------------------------------------------------------------------------------
def test_dropped_factors_go_to_space():
    pts, fac, _ = _opposed(6, gap=3.0)
    full = view_factors(pts, fac, use_cache=False, drop_below=0.0)
    cut = np.median(full.F.data)
    sparse = view_factors(pts, fac, use_cache=False, drop_below=cut)
    assert sparse.F.nnz < full.F.nnz
    rows_full = 1.0 - full.to_space
    rows_sparse = 1.0 - sparse.to_space
    dropped = np.asarray((full.F - full.F.multiply(full.F >= cut)).sum(axis=1)).ravel()
    assert np.allclose(rows_full - rows_sparse, dropped, atol=1e-14)
    assert sparse.reciprocity_error() < 1e-10


def test_cache_roundtrip_is_atomic_npz(tmp_path):
    pts, fac, _ = _opposed(3)
    vf = view_factors(pts, fac, cache_dir=tmp_path)
    files = sorted(os.listdir(tmp_path))
    assert len(files) == 1 and files[0].startswith("vf-") and files[0].endswith(".npz")
    with np.load(tmp_path / files[0], allow_pickle=False) as z:
        assert "F_data" in z
    again = view_factors(pts, fac, cache_dir=tmp_path)
    assert again.stats.get("cache", "").endswith(files[0])
    assert (again.F != vf.F).nnz == 0
    assert np.array_equal(again.to_space, vf.to_space)
    moved = view_factors(pts + 1e-9, fac, cache_dir=tmp_path)       # other geometry, new key
    assert "cache" not in moved.stats
    assert len(os.listdir(tmp_path)) == 2
    other = view_factors(pts, fac, cache_dir=tmp_path, obstruction=False)  # other parameters
    assert "cache" not in other.stats
    (tmp_path / files[0]).write_bytes(b"PK\x03\x04 truncated")        # corrupt: recompute
    fresh = view_factors(pts, fac, cache_dir=tmp_path)
    assert "cache" not in fresh.stats and (fresh.F != vf.F).nnz == 0
    assert not [f for f in os.listdir(tmp_path) if not f.endswith(".npz")]   # no temp files


@pytest.mark.parametrize("points,facets,err", [
    (np.array([[0, 0, 0], [1, 0, 0], [0, np.nan, 0]]), np.array([[0, 1, 2]]), MeshError),
    (np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]]), np.array([[0, 1, 3]]), MeshError),
    (np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0]]), np.array([[0, 1, 2]]), MeshError),
    (np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0.3], [0, 1, 0]]), np.array([[0, 1, 2, 3]]),
     MeshError),
    (np.zeros((3, 2)), np.array([[0, 1, 2]]), InputError),
])
def test_bad_geometry_is_rejected(points, facets, err):
    with pytest.raises(err):
        view_factors(points, facets, use_cache=False)
