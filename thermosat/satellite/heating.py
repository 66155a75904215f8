"""Orbital heating on the satellite's own geometry: Earth view blocked by the other bodies and
solar-band (albedo) light reflected between them.

Without this module every exchanging face gets the environment flux of an isolated plate in
its attitude (:class:`~thermosat.physics.panel.FluxProvider`: panel back sun-pointing, wing
faces and bus sides edge-on; see :mod:`thermosat.satellite.geometry`). With it, on the faces
of the surface exchange (panel back, both faces of each wing, the bus's outer faces), each
face's absorbed environment flux becomes the ray-traced one
(:func:`thermosat.physics.facet_environment.facet_fluxes`: Sun with self-shadowing, Earth IR
and albedo from the part of the Earth that no body hides) plus the solar-band light that the
other faces reflect onto it (diffuse, all bounces,
:func:`thermosat.physics.facet_environment.solar_band_absorbed`, with the exchange's own
view factors; direct sunlight on mirror-like coatings, ``Coating.specular`` > 0, is
reflected as traced beams instead). It is added as one heat-flux load per face, ``env:<boundary>``, equal to
(ray-traced − isolated-plate) absorbed flux averaged over the face (W/m²), so the isolated
loads stay as they are and the change shows in the energy balance by name. The panel front
(cells) faces the Sun, where nothing is, and keeps its isolated-plate flux (exact there).

Attitude in the body frame of :mod:`thermosat.satellite.geometry`: the Sun along +z; the
wing normals ``±a`` (the across-edge axis) are along ``ŝ × r̂`` (edge-on), so the nadir is
``−sin θ' (a × ẑ) − cos θ' ẑ`` with ``cos θ' = r̂·ŝ`` (θ' the Sun zenith angle at the
sub-satellite point). This keeps the Earth on the same side of the body over the orbit
(assumption: a yaw flip where ŝ ∥ r̂).

The per-face corrections are computed for the steady design angle when first needed, and
for the orbit transient on :data:`ORBIT_SAMPLES` equally spaced orbit angles, linearly
interpolated (periodic); the values depend only on the geometry and attitude, so they are
cached per angle.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat.physics.facet_environment import facet_fluxes, solar_band_absorbed
from thermosat.radiation.raytrace import build_scene

__all__ = ["EnvironmentHeating", "ORBIT_SAMPLES", "add_environment_heating"]

#: orbit angles at which the corrections are computed for the orbit transient
ORBIT_SAMPLES = 36
#: Earth-cone strata per sample point (n_u × n_phi) of the blocked Earth view
EARTH_STRATA = (4, 16)


class EnvironmentHeating:
    """The per-face corrections of one satellite (see the module docstring)."""

    def __init__(self, sat):
        from thermosat.physics.presets import coating
        from thermosat.satellite.geometry import BUS_COATING, BUS_FACES

        d = sat.design
        self.sat = sat
        self.orbit = d.orbit
        self.handle = sat.exchange
        model = sat.model
        bus = coating(BUS_COATING)
        pf, wf = sat.panel_fluxes, sat.wing_fluxes
        # (boundary, α, ε, provider, face) of every exchange surface, in the exchange's order
        spec, mirror = {}, {}   # mirror: specular part of each face's solar reflectance
        for r in sat.panel.spec.regions:
            c = sat.panel.spec.back_coating(r)
            b = f"{sat.panel.back_part}/out_back_{r}"
            spec[b], mirror[b] = (c.alpha, c.epsilon, pf, "back"), c.specular
        for w in sat.wings:
            c = w.spec.front_coating("radiator")
            b = f"{w.front_part}/out_front_radiator"
            spec[b], mirror[b] = (c.alpha, c.epsilon, wf, "front"), c.specular
            c = w.spec.back_coating("radiator")
            b = f"{w.back_part}/out_back_radiator"
            spec[b], mirror[b] = (c.alpha, c.epsilon, wf, "back"), c.specular
        for f in BUS_FACES:
            prov = (pf, "back") if f == "face_bottom" else (None, None) if f == "face_top" \
                else (wf, "front")
            spec[f"bus/{f}"], mirror[f"bus/{f}"] = (bus.alpha, bus.epsilon) + prov, bus.specular
        self.boundaries = [s.boundary for s in self.handle.surfaces]
        if set(self.boundaries) != set(spec):
            raise RuntimeError("environment heating: the exchange surfaces changed "
                               f"({sorted(set(self.boundaries) ^ set(spec))}); update "
                               "thermosat/satellite/heating.py")
        self.spec = [spec[b] for b in self.boundaries]
        pts, fac, counts = [], [], []
        off = 0
        for b in self.boundaries:
            part, local = model._part(b)
            p = part.mesh.points
            f = part.mesh.boundary(local).facets.astype(np.int64)
            pts.append(p)
            fac.append(f + off)
            counts.append(len(f))
            off += len(p)
        self.points = np.concatenate(pts)
        self.facets = np.concatenate(fac)
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.scene = build_scene(self.points, self.facets, sample_points=1)
        nf = len(self.facets)
        self.alpha = np.empty(nf)
        self.epsilon = np.empty(nf)
        self.specular_reflectance = np.empty(nf)
        for k, (a, e, _, _) in enumerate(self.spec):
            self.alpha[self.starts[k]:self.starts[k + 1]] = a
            self.epsilon[self.starts[k]:self.starts[k + 1]] = e
            self.specular_reflectance[self.starts[k]:self.starts[k + 1]] = (
                (1.0 - a) * mirror[self.boundaries[k]])
        axis = _across_axis(sat)
        self._across = np.eye(3)[axis]
        self._cache: dict[float, dict] = {}
        self._probe: dict[float, dict] = {}
        self._grid: np.ndarray | None = None

    # --- geometry of one orbit point ----------------------------------------------------------
    def directions(self, theta: float) -> tuple[np.ndarray, np.ndarray]:
        """Sun and nadir unit vectors in the body frame at orbit angle ``theta`` (rad)."""
        cz = float(np.clip(self.orbit.cos_sun_zenith(np.array([theta]))[0], -1.0, 1.0))
        sz = math.sqrt(max(0.0, 1.0 - cz * cz))
        z = np.array([0.0, 0.0, 1.0])
        return z, -sz * np.cross(self._across, z) - cz * z

    def at(self, theta: float) -> dict:
        """Per exchange surface at orbit angle ``theta``: ray-traced and isolated-plate
        absorbed flux (W/m², face means) and its area (m²)."""
        key = round(float(theta) % (2.0 * math.pi), 12)
        if key in self._cache:
            return self._cache[key]
        if self.handle.term is None and key in self._probe:
            return self._probe[key]
        d = self.sat.design
        sun, nadir = self.directions(key)
        th = np.array([key])
        ecl = bool(self.orbit.in_eclipse(th)[0])
        kw = dict(H=self.orbit.H, eclipse=ecl, cos_sun_zenith=float(
            self.orbit.cos_sun_zenith(th)[0]), solar_constant=d.solar_constant_w_m2,
            albedo=d.albedo, earth_ir=d.earth_ir_w_m2, albedo_model=d.albedo_model)
        ff = facet_fluxes(self.scene, sun, nadir, blockage=True, n_u=EARTH_STRATA[0],
                          n_phi=EARTH_STRATA[1],
                          specular_reflectance=self.specular_reflectance, **kw)
        E = ff.solar + ff.albedo + ff.specular
        q_sun = self._reflected(E, ff.beam)
        q = q_sun + self.epsilon * ff.earth_ir
        A = self.scene.geometry.areas
        out = {"blocked": [], "area": [], "rays": ff.n_rays}
        for k, (a, e, prov, face) in enumerate(self.spec):
            s = slice(self.starts[k], self.starts[k + 1])
            out["blocked"].append(float(q[s] @ A[s] / A[s].sum()))
            out["area"].append(float(A[s].sum()))
        out = {k: np.asarray(v) if k != "rays" else v for k, v in out.items()}
        out["isolated"] = self._isolated_at(key)
        # the model's registration probe comes before the view factors: kept apart
        (self._cache if self.handle.term is not None else self._probe)[key] = out
        return out

    def _reflected(self, E: np.ndarray, beam: np.ndarray | None = None) -> np.ndarray:
        """Absorbed solar-band flux per FE facet with reflection among the exchange patches
        (the exchange term's view factors; irradiance averaged per patch). Before the model
        is built (the load's registration probe) there are no view factors yet: no
        reflection, and the value is not cached. ``beam`` (W/m² per FE facet): what mirror
        facets send as traced beams (already in the receivers' ``E``), taken out of their
        diffuse radiosity."""
        term = self.handle.term
        if term is None:                    # before the model is built: no reflection yet
            return self.alpha * E
        of = term.of_facet
        A = term.facet_areas
        Ap = term.patch_areas
        Ep = np.bincount(of, E * A, minlength=term.n_patches) / Ap
        ap = np.bincount(of, self.alpha * A, minlength=term.n_patches) / Ap
        bp = None if beam is None or not np.any(beam) else (
            np.bincount(of, beam * A, minlength=term.n_patches) / Ap)
        _, J = solar_band_absorbed(Ep, ap, term.vf.F, bp)
        reflected_in = np.asarray(term.vf.F @ J)          # W/m² onto each patch
        return self.alpha * (E + reflected_in[of])

    # --- loads --------------------------------------------------------------------------------
    def correction(self, k: int):
        """Load of exchange surface ``k``: ray-traced − isolated absorbed flux (W/m²) as a
        callable of time, following the flux providers (steady angle or orbit time)."""
        prov = self.sat.panel_fluxes

        def q(t):
            if prov.theta is not None:
                r = self.at(prov.theta)
                return float(r["blocked"][k] - r["isolated"][k])
            theta = float(self.orbit.theta_at(np.array([t + prov.t_offset]))[0])
            return float(self._interpolate(theta, k))
        return q

    def _interpolate(self, theta: float, k: int) -> float:
        n = ORBIT_SAMPLES
        if self._grid is None:
            th = 2.0 * math.pi * np.arange(n) / n
            grid = np.array([self.at(t)["blocked"] - self.at(t)["isolated"] for t in th])
            if self.handle.term is None:
                return float(np.interp(theta % (2.0 * math.pi), np.append(th, 2 * math.pi),
                                       np.append(grid[:, k], grid[0, k])))
            self._grid = grid
        x = (theta % (2.0 * math.pi)) / (2.0 * math.pi) * n
        i = int(math.floor(x)) % n
        w = x - math.floor(x)
        return (1.0 - w) * self._grid[i, k] + w * self._grid[(i + 1) % n, k]

    def _isolated_at(self, theta: float) -> np.ndarray:
        """Isolated-plate absorbed flux per surface at orbit angle ``theta`` (W/m²)."""
        out = []
        for a, e, prov, face in self.spec:
            if prov is None:
                out.append(0.0)
                continue
            f = prov.env.fluxes(np.array([theta]))[face]
            out.append(float(a * (f.solar[0] + f.albedo[0]) + e * f.earth_ir[0]))
        return np.asarray(out)

    def summary(self, theta: float | None = None) -> dict:
        """Absorbed environment heat (W) on the exchange faces at ``theta`` (default: the
        steady design angle), isolated-plate and ray-traced, per face and in total."""
        th = self.sat._theta if theta is None else theta
        r = self.at(th)
        faces = {b: {"isolated_w": float(i * a), "blocked_w": float(q * a)}
                 for b, i, q, a in zip(self.boundaries, r["isolated"], r["blocked"], r["area"])}
        iso = float(r["isolated"] @ r["area"])
        blk = float(r["blocked"] @ r["area"])
        return {"theta_rad": float(th), "isolated_w": iso, "blocked_w": blk,
                "delta_w": blk - iso, "rays": r["rays"], "faces": faces}


def _across_axis(sat) -> int:
    """Axis (0 x, 1 y) of the wing normals (across the panel's long edges)."""
    from thermosat.satellite.geometry import long_edge_axis

    d = sat.design
    length = (d.cell_area_m2 + d.panel_radiator_area_m2) / d.panel_width_m
    return 1 - long_edge_axis(length, d.panel_width_m)


def add_environment_heating(sat) -> EnvironmentHeating | None:
    """Add the per-face corrections to ``sat.model`` (needs the surface exchange: without it
    there are no bodies to block or reflect); returns the handle or None."""
    if sat.exchange is None:
        return None
    h = EnvironmentHeating(sat)
    for k, b in enumerate(h.boundaries):
        sat.model.heat_flux(b, h.correction(k), name=f"env:{b}")
    return h
