"""Orbital heating on a facet mesh: direct Sun with self-shadowing, Earth IR and albedo from
the visible part of the Earth, and solar-band reflection between the facets.

Per facet and orbit point the *incident* irradiances [W/m² of facet] are

* ``solar    = S · cos⁺i · L``, L the sunlit fraction of the facet (rays toward the Sun,
  :func:`thermosat.radiation.raytrace.sun_fraction`), 0 in eclipse;
* ``earth_ir = OLR · F_vis``;
* ``albedo   = S · a · F_vis · max(cos θ_ss, 0)``;

with ``F_vis = F_plate(λ) − B`` the view factor to the Earth that nothing of the mesh
hides: ``F_plate`` the exact isolated-plate factor to the sphere
(:func:`thermosat.physics.earth_view.plate_view_factor_H`) and ``B ≥ 0`` the ray-sampled
blocked part (:func:`thermosat.radiation.raytrace.earth_blockage`). Where no ray is blocked
``B = 0`` exactly, so the fast path of :mod:`thermosat.physics.environment` is reproduced
to rounding. Albedo follows the same engineering approximation as that module (irradiance
proportional to the visible-Earth factor times the sub-satellite illumination, Gilmore,
*Spacecraft Thermal Control Handbook* Vol. I, 2nd ed., §2; it is applied to the visible
factor, i.e. the hidden part of the cap is assumed to be as bright as the whole). With
``albedo_model="cap"`` the isolated-plate albedo factor is instead integrated over the sunlit
part of the visible cap (:func:`thermosat.physics.albedo.albedo_factor_cap`) and scaled by
``F_vis/F_plate`` (same assumption for the hidden part).

Solar-band reflection (:func:`solar_band_absorbed`): every facet reflects ``1 − α`` of the
solar-band irradiance diffusely; the radiosity of the solar band solves
``J = ρ (E + F J)`` with the diffuse view factors F (all bounces; Siegel & Howell, *Thermal
Radiation Heat Transfer*, 6th ed., §5.3 net-radiation method for a single band with
external irradiation), and the facet absorbs ``α (E + F J)``.

Specular reflection (mirror-like coatings, ``specular_reflectance`` ρ_s > 0): the direct
sunlight a facet reflects specularly, ``ρ_s · solar``, leaves as a beam along the mirror image
of the Sun direction and lands on the first facet it meets (one bounce,
:func:`thermosat.radiation.raytrace.specular_sun`), which receives it as ``specular``
irradiance; that beam is taken out of the mirror's diffuse radiosity (``beam`` of
:func:`solar_band_absorbed`). Albedo and light reflected onto a mirror are reflected
diffusely (they arrive from many directions; assumption).

All directions are in the mesh's (body) frame.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from thermosat.common.errors import InputError
from thermosat.physics.albedo import albedo_factor_cap, check_albedo_model
from thermosat.physics.earth_view import plate_view_factor_H
from thermosat.radiation.raytrace import RayScene, earth_blockage, specular_sun, sun_fraction

__all__ = ["FacetFluxes", "facet_fluxes", "solar_band_absorbed"]


@dataclass
class FacetFluxes:
    """Incident fluxes on every facet at one orbit point [W/m²], and the views behind them.

    ``view_factor`` is the visible-Earth factor, ``view_factor_isolated`` the isolated-plate
    one, ``view_factor_stderr`` the sampling standard error of ``view_factor``, ``sunlit``
    the sunlit fraction (1 where unshadowed, 0 facing away or in eclipse)."""

    solar: np.ndarray
    albedo: np.ndarray
    earth_ir: np.ndarray
    view_factor: np.ndarray
    view_factor_isolated: np.ndarray
    view_factor_stderr: np.ndarray
    sunlit: np.ndarray
    n_rays: int = 0
    seconds: float = 0.0
    #: direct sunlight received from mirror facets' beams (W/m²) and the beam each mirror
    #: facet sends (W/m² of the mirror); zeros without specular surfaces
    specular: np.ndarray | None = None
    beam: np.ndarray | None = None
    #: fraction of the mirrors' beam power that leaves to space
    beam_to_space: float = 0.0

    def __post_init__(self):
        if self.specular is None:
            self.specular = np.zeros_like(self.solar)
        if self.beam is None:
            self.beam = np.zeros_like(self.solar)

    def absorbed(self, alpha, epsilon) -> np.ndarray:
        """``α (solar + albedo + specular) + ε earth_ir`` per facet (no diffuse reflection
        between facets)."""
        return (np.asarray(alpha) * (self.solar + self.albedo + self.specular)
                + np.asarray(epsilon) * self.earth_ir)


def facet_fluxes(scene: RayScene, sun, nadir, *, H: float, eclipse: bool = False,
                 cos_sun_zenith: float = 1.0, solar_constant: float, albedo: float,
                 earth_ir: float, blockage: bool = True, n_u: int = 8, n_phi: int = 32,
                 seed: int = 0, albedo_model: str = "subsatellite",
                 specular_reflectance=None) -> FacetFluxes:
    """Incident fluxes on the scene's facets at one orbit point.

    Parameters
    ----------
    sun, nadir : unit vectors toward the Sun and toward the Earth's centre (body frame)
    H : ``(R + h)/R``; eclipse : in the Earth's shadow
    cos_sun_zenith : cosine of the Sun zenith angle at the sub-satellite point
    blockage : ray-trace shadows and the hidden Earth (else the isolated-plate fast path)
    n_u, n_phi, seed : Earth-cone strata per sample point and jitter seed
    albedo_model : ``"subsatellite"`` (``F · cos⁺θ_ss``, from ``cos_sun_zenith``) or
        ``"cap"`` (integrated over the visible cap from ``sun`` and ``nadir``)
    specular_reflectance : (nf,) or scalar ρ_s, the specular part of each facet's
        solar-band reflectance (needs ``blockage``; None or 0: all diffuse)
    """
    model = check_albedo_model(albedo_model)
    if not (H > 1.0 and math.isfinite(H)):
        raise InputError(f"H: must be > 1, got {H}")
    g = scene.geometry
    s = np.asarray(sun, float) / np.linalg.norm(sun)
    nd = np.asarray(nadir, float) / np.linalg.norm(nadir)
    cos_i = g.normals @ s
    cos_i = np.where(np.abs(cos_i) < 1e-12, 0.0, cos_i)
    cos_lam = np.clip(g.normals @ nd, -1.0, 1.0)
    F_iso = np.asarray(plate_view_factor_H(np.arccos(cos_lam), H), dtype=float)
    nf = g.areas.shape[0]
    n_rays = 0
    seconds = 0.0
    if blockage:
        lit = sun_fraction(scene, s) if not eclipse else np.zeros(nf)
        eb = earth_blockage(scene, nd, 1.0 / H, n_u=n_u, n_phi=n_phi, seed=seed)
        F = np.clip(F_iso - eb.blocked, 0.0, None)
        err = eb.stderr
        n_rays, seconds = eb.n_rays + nf * scene.points.shape[1], eb.seconds
    else:
        lit = np.full(nf, 0.0 if eclipse else 1.0)
        F = F_iso
        err = np.zeros(nf)
    lit = np.where(cos_i > 0.0, lit, 0.0)
    S = float(solar_constant)
    if model == "cap":
        G = albedo_factor_cap(g.normals, nd, s, H)
        G *= np.divide(F, F_iso, out=np.zeros(nf), where=F_iso > 0.0)
    else:
        G = F * max(float(cos_sun_zenith), 0.0)
    solar = S * np.clip(cos_i, 0.0, None) * lit
    spec = beam = None
    to_space = 0.0
    if specular_reflectance is not None and np.any(np.asarray(specular_reflectance) > 0.0) \
            and not eclipse:
        if not blockage:
            raise InputError("specular_reflectance: needs blockage=True (ray-traced beams)")
        rs = np.broadcast_to(np.asarray(specular_reflectance, float), (nf,))
        spec, to_space = specular_sun(scene, s, rs)
        spec = S * spec
        beam = rs * solar
    return FacetFluxes(solar=solar, albedo=S * float(albedo) * G,
                       earth_ir=float(earth_ir) * F, view_factor=F, view_factor_isolated=F_iso,
                       view_factor_stderr=err, sunlit=lit, n_rays=n_rays, seconds=seconds,
                       specular=spec, beam=beam, beam_to_space=to_space)


def solar_band_absorbed(E, alpha, F: sp.spmatrix, beam=None) -> tuple[np.ndarray, np.ndarray]:
    """Solar-band absorbed flux with diffuse inter-reflection, all bounces.

    Parameters
    ----------
    E : (nf,) incident solar-band irradiance (direct + albedo), W/m²
    alpha : (nf,) solar absorptance; the reflectance is ``1 − α`` (opaque, diffuse)
    F : (nf, nf) diffuse view factors ``F_ij`` of the same facets
    beam : (nf,) W/m² that each facet reflects specularly as a traced beam (taken out of its
        diffuse radiosity; the receivers have it in ``E``); None: all diffuse

    Returns
    -------
    (absorbed (nf,) W/m², radiosity J (nf,) W/m²): ``J = ρ (E + F J)``, absorbed
    ``α (E + F J)``; with ``beam``, ``J = ρ (E + F J) − beam``. The energy balance
    ``Σ A α (E + FJ) + Σ A J (1 − Σ_j F_ij) + Σ A beam = Σ A E`` holds to the solver
    tolerance (what is not absorbed leaves to space or as beams).
    """
    E = np.asarray(E, dtype=float)
    a = np.broadcast_to(np.asarray(alpha, dtype=float), E.shape)
    if np.any((a < 0.0) | (a > 1.0)):
        raise InputError("alpha: solar absorptance must be within [0, 1]")
    rho = 1.0 - a
    Fm = sp.csr_matrix(F)
    M = (sp.identity(E.size, format="csr") - sp.diags(rho) @ Fm).tocsc()
    rhs = rho * E if beam is None else rho * E - np.asarray(beam, dtype=float)
    J = spla.spsolve(M, rhs)
    H = E + Fm @ J
    return a * H, J
