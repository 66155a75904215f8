"""Specular (mirror-like) solar-band reflection: a closed form, a partial catch, energy
conservation with beams, and the nearest-hit ray query behind it.

Geometry of the closed form: the Sun along +z; a unit-square mirror tilted 45° (normal
(0, −1, 1)/√2, so cos i = 1/√2) reflects the sunlight along −y onto a black unit square in the
plane y = −2 facing +y. The beam carries ρ_s · S · cos i · A_mirror = 0.9 × 1361 × 0.70711 ×
1 = 866.1 W, all of it onto the receiver; a receiver half as tall (z ≤ 1/(2√2)) catches
exactly half (the beam's cross-section is the mirror's projection, z ∈ [0, 1/√2]).
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from thermosat.common.errors import InputError
from thermosat.physics.facet_environment import facet_fluxes, solar_band_absorbed
from thermosat.physics.presets import COATINGS, Coating
from thermosat.radiation.bvh import STACK_SIZE, first_hit_buf
from thermosat.radiation.raytrace import build_scene, specular_sun

R2 = np.sqrt(0.5)
S = 1361.0
MIRROR = np.array([[0, 0, 0], [1, 0, 0], [1, R2, R2], [0, R2, R2]], float)


def _scene(z_top: float, sample_points: int = 2):
    recv = np.array([[0, -2, 0], [0, -2, z_top], [1, -2, z_top], [1, -2, 0]], float)
    return build_scene(np.vstack([MIRROR, recv]), np.array([[0, 1, 2, 3], [4, 5, 6, 7]]),
                       sample_points=sample_points)


@pytest.mark.parametrize("z_top, share", [(1.0, 1.0), (R2 / 2, 0.5)])
def test_mirror_beam_lands_on_the_receiver(z_top, share):
    sc = _scene(z_top)
    q, to_space = specular_sun(sc, [0, 0, 1], [0.9, 0.0])
    power = q * sc.geometry.areas * S
    assert power[0] == 0.0
    assert power[1] == pytest.approx(0.9 * S * R2 * share, rel=1e-12)
    assert to_space == pytest.approx(1.0 - share, abs=1e-12)


def test_facet_fluxes_carry_the_beam_and_the_mirror_keeps_only_its_absorbed_part():
    sc = _scene(1.0)
    ff = facet_fluxes(sc, [0, 0, 1], [0, 0, -1], H=1e6, solar_constant=S, albedo=0.0,
                      earth_ir=0.0, specular_reflectance=[0.9, 0.0], n_u=2, n_phi=4)
    assert ff.solar[0] == pytest.approx(S * R2, rel=1e-12)
    assert ff.beam[0] == pytest.approx(0.9 * S * R2, rel=1e-12)
    A = sc.geometry.areas
    assert ff.specular[1] * A[1] == pytest.approx(0.9 * S * R2 * A[0], rel=1e-12)
    # no diffuse exchange here (F = 0): the mirror absorbs α·E, the receiver all it gets
    alpha = np.array([0.1, 1.0])
    E = ff.solar + ff.albedo + ff.specular
    q, J = solar_band_absorbed(E, alpha, sp.csr_matrix((2, 2)), ff.beam)
    assert q[0] == pytest.approx(0.1 * S * R2, rel=1e-12)
    assert J[0] == pytest.approx(0.0, abs=1e-9)          # all it reflects left as the beam
    assert q @ A == pytest.approx(S * R2 * A[0], rel=1e-12)   # nothing lost: all absorbed


def test_diffuse_reflectance_is_the_default():
    sc = _scene(1.0)
    ff = facet_fluxes(sc, [0, 0, 1], [0, 0, -1], H=1e6, solar_constant=S, albedo=0.0,
                      earth_ir=0.0, n_u=2, n_phi=4)
    assert not ff.specular.any() and not ff.beam.any()
    with pytest.raises(InputError, match="blockage"):
        facet_fluxes(sc, [0, 0, 1], [0, 0, -1], H=1e6, solar_constant=S, albedo=0.0,
                     earth_ir=0.0, blockage=False, specular_reflectance=[0.9, 0.0])


def test_beams_conserve_energy_with_diffuse_exchange():
    rng = np.random.default_rng(3)
    n = 6
    A = rng.uniform(0.5, 2.0, n)
    G = rng.uniform(0.0, 1.0, (n, n))
    G = G + G.T                                          # A_i F_ij = A_j F_ji (reciprocity)
    np.fill_diagonal(G, 0.0)
    F = G / A[:, None]
    F *= 0.8 / F.sum(axis=1).max()                       # rows ≤ 0.8: the rest to space
    E = rng.uniform(0.0, 1000.0, n)
    alpha = rng.uniform(0.05, 0.9, n)
    beam = 0.5 * (1.0 - alpha) * E * (rng.uniform(size=n) > 0.5)
    q, J = solar_band_absorbed(E, alpha, sp.csr_matrix(F), beam)
    lhs = q @ A + (J * (1.0 - F.sum(axis=1))) @ A + beam @ A
    assert lhs == pytest.approx(E @ A, rel=1e-12)


def test_first_hit_is_the_nearest_facet():
    # three parallel squares at z = 1, 2, 3 (normal +z); a ray up from z = 0 meets z = 1
    # first; skipping that facet, z = 2
    quads = []
    pts = []
    for k, z in enumerate((3.0, 1.0, 2.0)):
        pts += [[0, 0, z], [1, 0, z], [1, 1, z], [0, 1, z]]
        quads.append([4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3])
    sc = build_scene(np.array(pts, float), np.array(quads), sample_points=1)
    stack = np.empty(STACK_SIZE, dtype=np.int64)
    f, t = first_hit_buf(*sc.bvh.arrays(), 0.4, 0.6, 0.0, 0.0, 0.0, 1.0, -1, 10.0, stack)
    assert (f, t) == (1, pytest.approx(1.0))
    f, t = first_hit_buf(*sc.bvh.arrays(), 0.4, 0.6, 0.0, 0.0, 0.0, 1.0, 1, 10.0, stack)
    assert (f, t) == (2, pytest.approx(2.0))
    f, _ = first_hit_buf(*sc.bvh.arrays(), 0.4, 0.6, 0.0, 0.0, 0.0, -1.0, -1, 10.0, stack)
    assert f == -1


def test_mirror_coatings_are_specular_and_the_range_is_checked():
    assert COATINGS["osr"].specular == 1.0 and COATINGS["silver_teflon"].specular == 1.0
    assert COATINGS["z93"].specular == 0.0
    with pytest.raises(InputError, match="specular"):
        Coating("x", 0.1, 0.8, specular=1.5)
