"""Radiating geometry of the satellite: where panel, wings and bus sit, and which of their
faces exchange radiation (facets oriented towards the side they radiate to).

Frame (m): the panel lies in the plane z = 0, its front (cells) facing the Sun along +z; x runs
from 0 to L (cell strip, then radiator strip), y from 0 to W.

* **Wings** held edge-on to the Sun have the Sun direction in their plane: they stand
  perpendicular to the panel, hinged along its two long edges (the edges along x when
  L ≥ W, else along y) and extending from the edge towards −z, the shaded side, each
  centred on its edge. A wing's inner face sees the panel's back face, the bus and the other
  wing; its outer face sees only space. Wing depth (towards −z) is the design's
  ``wing_width_m``, its length along the edge ``wing_area_m2 / 2 / wing_width_m``.
* **Bus**: a closed box of shell facets, :data:`BUS_SIZE_M` (x, y, z), centred under the
  panel centre with its top :data:`BUS_STANDOFF_M` behind the panel (the mount), aluminium
  walls (:data:`BUS_WALL`) coated :data:`BUS_COATING`, outer faces radiating. It carries no
  heat of its own (every watt of electricity is already booked: compute, pump, distribution
  losses into the coolant) — a passive body that blocks part of the panel's and wings' view of
  space and re-radiates what it absorbs. Its environment: its −z face gets the panel back's
  Earth IR and albedo (same normal), its four sides the wings' edge-on fluxes, its +z face
  nothing (it faces the panel).
* Exchanging faces: the panel's back, both faces of each wing, the bus's outer faces. The
  panel front faces +z, where nothing is: it keeps the plain radiation to the sink (exact).

Out of scope: shadowing of sunlight, albedo and Earth IR by the other bodies. Every face keeps
the environment flux of its attitude as if it were alone (panel: sun-pointing; wings and bus
sides: edge-on); only the infrared exchange between the bodies is modelled.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from thermosat.common.errors import InputError, MeshError
from thermosat.mesh.core import Boundary, Mesh
from thermosat.physics.presets import Layer
from thermosat.satellite.placement import placement_frame

__all__ = [
    "BUS_COATING",
    "BUS_FACES",
    "BUS_SIZE_M",
    "BUS_STANDOFF_M",
    "BUS_WALL",
    "MAX_EXCHANGE_FACETS",
    "ExchangeSurface",
    "SurfaceExchangeHandle",
    "add_satellite_exchange",
    "add_surface_exchange",
    "bus_mesh",
    "grid_patches",
    "long_edge_axis",
    "pitch_axis",
    "FIN_ELEMENTS_PER_PITCH",
    "wing_mesh",
    "with_oriented_faces",
]

#: bus box size (m) along x, y, z (assumption: a compact 2 m × 2 m × 1 m avionics bus)
BUS_SIZE_M = (2.0, 2.0, 1.0)
#: distance from the panel back to the bus top (m): the mount (assumption)
BUS_STANDOFF_M = 0.5
#: bus wall: 2 mm aluminium (k 167 W/m/K, ρ 2700 kg/m³, c 900 J/kg/K)
BUS_WALL = Layer("bus_wall", 2e-3, 167.0, 2700.0, 900.0)
#: bus outer coating (preset name): Z-93 white, as the panel back and the wings
BUS_COATING = "z93"
#: exchange facets above which FE facets are merged into rectangular patches (view-factor
#: pairs grow as the square; the irradiation is then uniform per patch, emission stays per
#: FE facet)
MAX_EXCHANGE_FACETS = 2500
#: zones per face edge for the zone-coupled Newton tangent (see
#: :class:`~thermosat.terms.surface_exchange.SurfaceExchange`)
ZONE_GRID = 3

#: names of the bus faces' boundaries (−x, +x, −y, +y, −z, +z)
BUS_FACES = ("face_xlo", "face_xhi", "face_ylo", "face_yhi", "face_bottom", "face_top")

_REV = {"tri3": [0, 2, 1], "quad4": [0, 3, 2, 1]}


def _axis(length: float, h: float) -> np.ndarray:
    return np.linspace(0.0, length, max(2, int(np.ceil(length / h)) + 1))


#: elements across one tube pitch of a wing (fin resolution). Linear quads with a node on
#: every tube and on every mid-line between tubes; the fin efficiency converges as h²
#: (``fin_convergence`` validation case, wing stack at 250 K: error 3.7 % / 0.90 % / 0.22 %
#: at 2 / 4 / 8 per pitch). 8, not 4: at 4 the sized VLEO area still moved +5.6 % at one
#: more refinement (issue 12 bounds it at 3 %); doubling the fin elements was −1.6 K of
#: the 1.9 K margin change and halving the element along the tubes −0.4 K. At 8 the VLEO
#: area moves −0.1 % (measured 6 Dec 2026, 45.0 m²), and the sizing plus its h/2 check cost
#: 68 s against 79 s at 4 (fewer sizing steps near a converged answer)
FIN_ELEMENTS_PER_PITCH = 8


def pitch_axis(length: float, pitch: float, per_pitch: int = FIN_ELEMENTS_PER_PITCH
               ) -> np.ndarray:
    """Node coordinates (m) across the tube passes of a strip ``length`` wide: a node on
    every tube centre line and every mid-line between two tubes (the fin tips), and
    ``per_pitch`` equal elements per pitch between them.

    Tube positions follow :func:`thermosat.physics.loop.path_points` (``n = ⌊length/pitch⌋``
    passes, ``pitch`` apart, centred; one along the middle of a strip narrower than a pitch).
    """
    if per_pitch < 2 or per_pitch % 2:
        raise InputError(f"fin elements per pitch: {per_pitch} must be an even integer ≥ 2")
    n_pass = max(1, int(np.floor(length / pitch * (1.0 + 1e-9))))
    inset = 0.5 * (length - (n_pass - 1) * pitch)
    tubes = inset + pitch * np.arange(n_pass)
    breaks = np.unique(np.concatenate([[0.0, length], tubes, tubes[:-1] + 0.5 * pitch]))
    h = pitch / per_pitch
    pieces = [np.linspace(a, b, max(1, int(np.ceil((b - a) / h * (1 - 1e-9)))) + 1)[:-1]
              for a, b in zip(breaks[:-1], breaks[1:]) if b - a > 1e-12 * length]
    return np.concatenate(pieces + [[length]])


def _grid(origin, e_s, e_d, s, d, normal) -> tuple[np.ndarray, np.ndarray]:
    """Points and quads of the grid ``origin + s e_s + d e_d``, quads right-handed about
    ``normal``."""
    S, D = np.meshgrid(s, d, indexing="ij")
    pts = (np.asarray(origin, float) + S.ravel()[:, None] * np.asarray(e_s, float)
           + D.ravel()[:, None] * np.asarray(e_d, float))
    idx = np.arange(len(s) * len(d)).reshape(len(s), len(d))
    q = np.stack([idx[:-1, :-1], idx[1:, :-1], idx[1:, 1:], idx[:-1, 1:]], axis=-1).reshape(-1, 4)
    if np.dot(np.cross(e_s, e_d), normal) < 0:
        q = q[:, _REV["quad4"]]
    return pts, q


def long_edge_axis(panel_length_m: float, panel_width_m: float) -> int:
    """Axis (0: x, 1: y) along which the panel's long edges run."""
    return 0 if panel_length_m >= panel_width_m else 1


def with_oriented_faces(mesh: Mesh, regions) -> Mesh:
    """``mesh`` with boundaries ``out_front_<region>`` (cells as they are: right-hand normal)
    and ``out_back_<region>`` (reversed) for each region: the facets of a shell's two faces
    oriented towards the side each radiates to."""
    bd = {}
    for r in regions:
        c = mesh.cells[mesh.cell_regions[r]]
        bd[f"out_front_{r}"] = Boundary(c, mesh.cell_type)
        bd[f"out_back_{r}"] = Boundary(c[:, _REV[mesh.cell_type]], mesh.cell_type)
    return mesh.with_regions(boundaries=bd)


def wing_mesh(k: int, panel_length_m: float, panel_width_m: float, wing_length_m: float,
              wing_depth_m: float, h: float, pitch_m: float | None = None,
              per_pitch: int = FIN_ELEMENTS_PER_PITCH, placement: str = "beside",
              boom_length_m: float = 10.0) -> Mesh:
    """Wing ``k`` (0: at the low long edge, 1: at the high one) as a quad shell (m).

    Element size ``h`` along the tubes (they run along the wing's longer side, as
    :func:`~thermosat.physics.loop.path_points` lays them); with ``pitch_m`` the shorter side
    (across the tubes) follows :func:`pitch_axis` (``per_pitch`` elements per tube pitch, a
    node on every tube) so the fin's temperature dip between tubes is resolved.

    Where the wing sits follows ``placement``
    (:func:`thermosat.satellite.placement.placement_frame`). ``beside``: cells are
    right-handed about the *inward* normal (towards the other wing): the wing's front layer
    faces the panel's side, its back layer space. Region ``radiator``; boundaries
    ``out_front_radiator`` (front face) and ``out_back_radiator`` (back face).
    """
    origin, e_s, e_d, normal = placement_frame(placement, k, panel_length_m, panel_width_m,
                                               wing_length_m, wing_depth_m, boom_length_m)
    s_ax, d_ax = _axis(wing_length_m, h), _axis(wing_depth_m, h)
    if pitch_m is not None:
        if wing_length_m >= wing_depth_m:
            d_ax = pitch_axis(wing_depth_m, pitch_m, per_pitch)
        else:
            s_ax = pitch_axis(wing_length_m, pitch_m, per_pitch)
    pts, q = _grid(origin, e_s, e_d, s_ax, d_ax, normal)
    m = Mesh(pts, q, "quad4", {"domain": np.arange(len(q)), "radiator": np.arange(len(q))})
    return with_oriented_faces(m, ["radiator"])


def bus_mesh(panel_length_m: float, panel_width_m: float, h: float,
             size_m=BUS_SIZE_M, standoff_m: float = BUS_STANDOFF_M) -> Mesh:
    """Closed box shell (quad4, outward normals, nodes shared along its edges) centred under
    the panel centre, top at ``z = −standoff_m``.

    Boundaries: one per face (:data:`BUS_FACES`: ``face_xlo`` ... ``face_top`` (+z),
    ``face_bottom`` (−z)), ``face_sides`` (the four sides) and ``outer`` (all); region
    ``domain``.
    """
    sx, sy, sz = (float(v) for v in size_m)
    lo = np.array([0.5 * panel_length_m - 0.5 * sx, 0.5 * panel_width_m - 0.5 * sy,
                   -standoff_m - sz])
    hi = lo + np.array([sx, sy, sz])
    faces = []
    for ax in range(3):
        a1, a2 = (ax + 1) % 3, (ax + 2) % 3
        for sgn, name in ((-1.0, "lo"), (1.0, "hi")):
            n = np.zeros(3)
            n[ax] = sgn
            e1, e2 = np.eye(3)[a1], np.eye(3)[a2]
            origin = lo.copy()
            if sgn > 0:
                origin[ax] = hi[ax]
            p, q = _grid(origin, e1, e2, _axis(hi[a1] - lo[a1], h), _axis(hi[a2] - lo[a2], h), n)
            faces.append((ax, sgn, p, q))
    # merge coincident nodes along the box edges
    allp = np.concatenate([f[2] for f in faces])
    scale = float(np.max(hi - lo))
    key = np.round(allp / (1e-9 * scale)).astype(np.int64)
    _, first, inv = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inv = inv.ravel()
    pts = allp[first]
    cells, bd, off = [], {}, 0
    for ax, sgn, p, q in faces:
        c = inv[q + off]
        cells.append(c)
        bd[BUS_FACES[2 * ax + (sgn > 0)]] = Boundary(c, "quad4")
        off += len(p)
    cells = np.concatenate(cells)
    bd["outer"] = Boundary(cells, "quad4")
    bd["face_sides"] = Boundary(np.concatenate([bd[f].facets for f in BUS_FACES[:4]]), "quad4")
    return Mesh(pts, cells, "quad4", {"domain": np.arange(len(cells))}, bd)


# ------------------------------------------------------------------------------ patches
def grid_patches(points: np.ndarray, facets: np.ndarray, k: int | None,
                 zone_grid: int = 1):
    """Merge the quads of one flat tensor-grid surface into rectangles of ``k × k`` cells
    (``k = None``: one rectangle for the whole surface), and group those into about
    ``zone_grid × zone_grid`` zones (blocks of whole patches).

    Returns ``(patch_points (4 n, 3), patch_facets (n, 4), of_facet (m,), zone_of_patch (n,))``;
    each patch is right-handed about the same normal as its facets. Raises
    :class:`MeshError` when the facets are not a flat rectangular grid (a patch would not be
    tiled exactly).
    """
    fac = np.asarray(facets, np.int64)
    P = np.asarray(points, float)[fac]                              # (m, 4, 3)
    n = np.cross(P[0, 1] - P[0, 0], P[0, 2] - P[0, 0])
    n /= np.linalg.norm(n)
    e1 = P[0, 1] - P[0, 0]
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(n, e1)
    c0 = P[0, 0]
    u = (P - c0) @ e1
    v = (P - c0) @ e2
    w = (P - c0) @ n
    size = float(max(np.ptp(u), np.ptp(v), 1e-300))
    if np.max(np.abs(w)) > 1e-9 * size:
        raise MeshError("grid_patches: the surface is not flat")
    tol = 1e-9 * size

    def columns(x):
        cx = x.mean(axis=1)
        order = np.argsort(cx)
        ids = np.zeros(len(cx), np.int64)
        ids[order] = np.concatenate([[0], np.cumsum(np.diff(cx[order]) > tol)])
        return ids

    iu, iv = columns(u), columns(v)
    if k is None:
        gu, gv = np.zeros_like(iu), np.zeros_like(iv)
    else:
        gu, gv = iu // k, iv // k
    nvg = int(gv.max()) + 1
    uniq, of = np.unique(gu * nvg + gv, return_inverse=True)
    of = of.ravel()
    npch = len(uniq)
    pu, pv = uniq // nvg, uniq % nvg
    zu = max(1, math.ceil((int(pu.max()) + 1) / zone_grid))
    zv = max(1, math.ceil((int(pv.max()) + 1) / zone_grid))
    nzv = int(pv.max()) // zv + 1
    _, zone = np.unique((pu // zu) * nzv + pv // zv, return_inverse=True)
    u0 = np.full(npch, np.inf)
    u1 = np.full(npch, -np.inf)
    v0, v1 = u0.copy(), u1.copy()
    np.minimum.at(u0, of, u.min(axis=1))
    np.maximum.at(u1, of, u.max(axis=1))
    np.minimum.at(v0, of, v.min(axis=1))
    np.maximum.at(v1, of, v.max(axis=1))
    area_f = 0.5 * np.linalg.norm(np.cross(P[:, 2] - P[:, 0], P[:, 3] - P[:, 1]), axis=1)
    area_p = np.bincount(of, area_f, minlength=npch)
    if np.any(np.abs(area_p - (u1 - u0) * (v1 - v0)) > 1e-9 * np.maximum(area_p, 1e-300)):
        raise MeshError("grid_patches: the facets are not a rectangular grid (a patch is not "
                        "exactly tiled by its facets)")
    corners = np.stack([np.stack([u0, v0], 1), np.stack([u1, v0], 1),
                        np.stack([u1, v1], 1), np.stack([u0, v1], 1)], axis=1)  # (n, 4, 2)
    pp = c0 + corners[..., :1] * e1 + corners[..., 1:] * e2
    return pp.reshape(-1, 3), np.arange(4 * npch).reshape(npch, 4), of, zone.ravel()


# ------------------------------------------------------------------------------ exchange
@dataclass
class ExchangeSurface:
    """One face taking part in the exchange.

    boundary : model boundary ``"part/name"`` whose facets are oriented towards the side
        the face radiates to
    emissivity : hemispherical IR emissivity (gray)
    group : energy-balance group (``panel``, ``wing1`` ...)
    replaces : name of the ``model.radiation`` condition this face had (removed; its absorbed
        environment flux is kept as a heat input), or None
    single_patch : the whole face is one exchange facet (faces that see only space)
    """

    boundary: str
    emissivity: float
    group: str
    replaces: str | None = None
    single_patch: bool = False


@dataclass
class SurfaceExchangeHandle:
    """What :func:`add_surface_exchange` registered; ``term`` is set when the model builds."""

    surfaces: list[ExchangeSurface]
    t_sink_k: float
    name: str = "exchange"
    max_facets: int = MAX_EXCHANGE_FACETS
    term: object = None
    patch_factor: int | None = None
    stats: dict = field(default_factory=dict)


def _take_radiation(model, name: str):
    """Remove the ``model.radiation`` condition called ``name``; returns its boundary and
    absorbed flux. (Edits the model's condition list: the one place conditions are replaced.)"""
    for i, bc in enumerate(model._bcs):
        if bc[0] == "radiation" and bc[3] == name:
            del model._bcs[i]
            model.conditions.pop(name, None)
            model._system = None
            return bc[1], bc[2][2], bc[2][1]
    raise InputError(f"surface exchange: no radiation condition named {name!r} to replace")


def add_surface_exchange(model, surfaces: list[ExchangeSurface], *, t_sink_k: float | None = None,
                         name: str = "exchange", max_facets: int = MAX_EXCHANGE_FACETS,
                         zone_grid: int | None = ZONE_GRID, use_cache: bool = True,
                         jacobian: str = "local") -> SurfaceExchangeHandle:
    """Replace the listed faces' radiation to the sink by one
    :class:`~thermosat.terms.surface_exchange.SurfaceExchange` term among them all.

    Absorbed environment fluxes of the replaced conditions stay, as heat inputs with the same
    name (``<condition>:absorbed``). Above ``max_facets`` FE facets, the faces' facets are
    merged into k × k rectangles (one k for all faces; ``single_patch`` faces into one).
    Each face is split into about ``zone_grid × zone_grid`` zones (of at least ~16 facets)
    for the zone-coupled tangent (a part ``<name>_zones`` holds their auxiliary unknowns); ``zone_grid=None``
    keeps the purely local tangent. ``t_sink_k`` (K): default that of the replaced conditions
    (all must agree), else 3 K. Every face must be a flat rectangular grid of quads.
    """
    for s in surfaces:
        if s.replaces is not None:
            _, absorbed, tsink = _take_radiation(model, s.replaces)
            if t_sink_k is None:
                t_sink_k = float(tsink)
            if float(tsink) != float(t_sink_k):
                raise InputError(f"surface exchange: {s.replaces!r} radiates to {tsink} K, the "
                                 f"exchange to {t_sink_k} K")
            if callable(absorbed) or np.any(np.asarray(absorbed) != 0):
                model.heat_flux(s.boundary, absorbed, name=f"{s.replaces}:absorbed")
    t_sink_k = 3.0 if t_sink_k is None else float(t_sink_k)
    handle = SurfaceExchangeHandle(list(surfaces), t_sink_k, name, max_facets)
    # patches and zones from the parts' meshes (global node ids = local + part offset)
    conns = []
    for s in surfaces:
        part, local = model._part(s.boundary)
        conns.append((part.mesh.points, part.mesh.boundary(local).facets.astype(np.int64),
                      part.offset))
    counts = [len(c[1]) for c in conns]
    n_single = sum(1 for s in surfaces if s.single_patch)
    n_fine = sum(n for n, s in zip(counts, surfaces) if not s.single_patch)
    k = 1 if n_fine + n_single <= max_facets else math.ceil(
        math.sqrt(n_fine / max(max_facets - n_single, 1)))
    handle.patch_factor = k
    pp, pf, of, zo, off_p, off_f, off_z = [], [], [], [], 0, 0, 0
    zone_xyz = []
    for (pts, fac, _), s in zip(conns, surfaces):
        # zones of at least ~16 facets each: small faces are one zone
        zg = 1 if s.single_patch or zone_grid is None else max(
            1, min(zone_grid, math.isqrt(len(fac) // 16)))
        p, f, o, z = grid_patches(pts, fac, None if s.single_patch else k, zg)
        pp.append(p)
        pf.append(f + off_p)
        of.append(o + off_f)
        zo.append(z + off_z)
        cen = p.reshape(-1, 4, 3).mean(axis=1)
        for zz in range(int(z.max()) + 1):
            zone_xyz.append(cen[z == zz].mean(axis=0))
        off_p += len(p)
        off_f += len(f)
        off_z += int(z.max()) + 1
    from thermosat.terms.surface_exchange import ExchangePatches

    patches = ExchangePatches(np.concatenate(pp), np.concatenate(pf), np.concatenate(of))
    zone_of_patch = np.concatenate(zo)
    nz = int(zone_of_patch.max()) + 1
    zone_part = None
    if zone_grid is not None and nz >= 2:
        zmesh = Mesh(np.array(zone_xyz), np.stack([np.arange(nz - 1), np.arange(1, nz)], 1),
                     "line2", {"domain": np.arange(nz - 1)})
        zone_part = model.add_part(f"{name}_zones", zmesh, conduction=False)
    handle.stats = {"fe_facets": int(sum(counts)), "exchange_facets": off_f,
                    "patch_factor": k, "zones": nz if zone_part is not None else 0}

    def factory(m, points):
        from thermosat.terms.surface_exchange import SurfaceExchange

        cells = [m.cells(s.boundary, boundary=True, kind="radiation", points=points)
                 for s in surfaces]
        for c, (_, fac, off) in zip(cells, conns):
            if not np.array_equal(c.conn, fac + off):
                raise InputError("surface exchange: facet order changed since the exchange "
                                 "was set up")
        eps = np.concatenate([np.full(n, s.emissivity) for n, s in zip(counts, surfaces)])
        starts = np.concatenate([[0], np.cumsum(counts)])
        groups: dict[str, list] = {}
        for i, s in enumerate(surfaces):
            groups.setdefault(s.group, []).append(np.arange(starts[i], starts[i + 1]))
        groups = {g: np.concatenate(v) for g, v in groups.items()}
        zones = ((m.parts[zone_part.name].nodes, zone_of_patch) if zone_part is not None
                 else None)
        term = SurfaceExchange(cells, eps, t_sink_k, groups=groups, patches=patches, name=name,
                               use_cache=use_cache, jacobian=jacobian, zones=zones)
        handle.term = term
        handle.stats.update({f"vf_{a}": b for a, b in term.vf.stats.items()})
        return term

    model.add_term_factory(factory)
    return handle


def add_satellite_exchange(model, design, panel, wings, panel_fluxes, wing_fluxes, h: float,
                           *, use_cache: bool = True) -> SurfaceExchangeHandle:
    """Add the bus (a shell part ``bus``) and one exchange among the panel's back, both faces
    of each wing and the bus's outer faces (see the module docstring for the geometry and the
    assumptions). The wings' and panel back's radiation to the sink is replaced; the panel
    front keeps it."""
    from thermosat.physics.presets import coating

    length = (design.cell_area_m2 + design.panel_radiator_area_m2) / design.panel_width_m
    bus = bus_mesh(length, design.panel_width_m, min(h, 0.5))
    model.add_part("bus", bus)
    model.material("bus/domain", conductivity=BUS_WALL.conductivity_w_mk,
                   density=BUS_WALL.density_kg_m3, specific_heat=BUS_WALL.specific_heat_j_kgk,
                   thickness_m=BUS_WALL.thickness_m)
    bc = coating(BUS_COATING)
    model.heat_flux("bus/face_bottom", panel_fluxes.absorbed("back", bc.alpha, bc.epsilon),
                    name="bus:bottom:absorbed")
    model.heat_flux("bus/face_sides", wing_fluxes.absorbed("front", bc.alpha, bc.epsilon),
                    name="bus:sides:absorbed")
    surfaces = [ExchangeSurface(f"{panel.back_part}/out_back_{r}",
                                panel.spec.back_coating(r).epsilon, "panel",
                                replaces=f"{panel.name}:back_{r}") for r in panel.spec.regions]
    for w in wings:
        eps = w.spec.back_coating("radiator").epsilon
        eps_f = w.spec.front_coating("radiator").epsilon
        surfaces.append(ExchangeSurface(f"{w.front_part}/out_front_radiator", eps_f, w.name,
                                        replaces=f"{w.name}:front_radiator"))
        # beside: the outer face sees only space (one patch); outboard and boom wings see
        # the panel and the bus from both faces
        surfaces.append(ExchangeSurface(f"{w.back_part}/out_back_radiator", eps, w.name,
                                        replaces=f"{w.name}:back_radiator",
                                        single_patch=design.placement == "beside"))
    surfaces += [ExchangeSurface(f"bus/{f}", bc.epsilon, "bus") for f in BUS_FACES]
    return add_surface_exchange(model, surfaces, use_cache=use_cache)
