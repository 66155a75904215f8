"""Surface-to-surface radiation as a :class:`~thermosat.model.model.Model` condition.

:meth:`Model.add_surface_radiation` declares named boundaries that exchange gray diffuse
radiation with each other (and, unless they form a closed enclosure, with a black sink at
``t_sink_k``). This module turns that declaration into one
:class:`~thermosat.terms.surface_exchange.SurfaceExchange` term — the machinery the satellite
uses — with its view factors:

* line2 facets of a 2D planar model: Hottel's crossed strings
  (:mod:`thermosat.radiation.strings`), per unit depth times the plate thickness;
* tri3 / quad4 facets (3D): :func:`thermosat.radiation.viewfactors.view_factors`;
* with ``symmetry_planes`` the facets also see their mirror images
  (:mod:`thermosat.radiation.mirror`), so a half or sector model radiates as the whole body.

Facets of a boundary of 2D or 3D cells are oriented to radiate away from the cell they bound
(outward of the body, into the cavity); facets of a shell (boundary type = cell type) radiate
to the side of their right-hand normal, as given. The exchange's Newton tangent is zone
coupled (a few zones per boundary, their auxiliary unknowns in a part ``<name>_zones`` without
conduction, the name reduced to letters, digits and ``_.-``), which keeps enclosures
converging in a few steps (measured: 7 … 10 Newton steps for the coupled concentric-cylinder
enclosure of :mod:`thermosat.verification.cases.enclosure_concentric_cylinders`).
"""
from __future__ import annotations

import re

import numpy as np

from thermosat.common.errors import InputError
from thermosat.fem.integration import CellSet
from thermosat.fem.kernels import SIGMA
from thermosat.mesh.core import CELL_DIM, Mesh

__all__ = ["SurfaceRadiation", "outward_facets"]

_TYPES = ("line2", "tri3", "quad4")
_REVERSE = {"line2": [1, 0], "tri3": [0, 2, 1], "quad4": [0, 3, 2, 1]}
#: facets per zone of the zone-coupled tangent (at least), zones per boundary (at most)
_ZONE_FACETS, _ZONES_PER_BOUNDARY = 8, 4


def _facet_normals(points: np.ndarray, facets: np.ndarray, ftype: str) -> np.ndarray:
    """Right-hand normals (not normalised) of line2 (in the xy plane), tri3, quad4 facets."""
    x = points[facets]
    if ftype == "line2":
        t = x[:, 1] - x[:, 0]
        return np.stack([t[:, 1], -t[:, 0], np.zeros(len(t))], axis=1)
    if ftype == "tri3":
        return np.cross(x[:, 1] - x[:, 0], x[:, 2] - x[:, 0])
    return np.cross(x[:, 2] - x[:, 0], x[:, 3] - x[:, 1])


def outward_facets(mesh: Mesh, facets: np.ndarray, ftype: str) -> np.ndarray:
    """``facets`` (local node ids) reordered where needed so that each radiates away from the
    cell it bounds; shell facets (``ftype`` of the cells' dimension) are returned unchanged."""
    facets = np.asarray(facets, np.int64)
    if CELL_DIM[ftype] == mesh.dim:
        return facets.copy()
    from thermosat.mesh.checks import cell_faces

    faces = cell_faces(mesh.cell_type)
    nk = min(3, min(len(f) for f in faces))
    n = np.int64(mesh.n_points)

    def keys(rows: np.ndarray) -> np.ndarray:
        # a facet is named by its nk smallest corner nodes (enough in a conforming mesh)
        s = np.sort(rows, axis=1)[:, :nk]
        k = np.zeros(len(s), np.int64)
        for c in range(nk):
            k = k * n + s[:, c]
        return k

    cells = mesh.cells.astype(np.int64)
    ck = np.concatenate([keys(cells[:, f]) for f in faces])
    owner = np.tile(np.arange(mesh.n_cells), len(faces))
    order = np.argsort(ck, kind="stable")
    fk = keys(facets)
    pos = np.searchsorted(ck[order], fk)
    pos = np.minimum(pos, len(order) - 1)
    found = ck[order][pos] == fk
    if not np.all(found):
        raise InputError(f"surface radiation: {int((~found).sum())} facet(s) are not faces of "
                         "any cell of the mesh")
    cell = owner[order][pos]
    from thermosat.mesh.checks import CORNERS

    cen_cell = mesh.points[cells[cell, :CORNERS[mesh.cell_type]]].mean(axis=1)
    cen_fac = mesh.points[facets].mean(axis=1)
    nrm = _facet_normals(mesh.points, facets, ftype)
    flip = np.einsum("ij,ij->i", nrm, cen_fac - cen_cell) < 0
    out = facets.copy()
    out[flip] = facets[flip][:, _REVERSE[ftype]]
    return out


class SurfaceRadiation:
    """A declared surface-to-surface radiation condition (see :meth:`Model.add_surface_radiation`).

    ``build(model, points, node_scales)`` makes its one
    :class:`~thermosat.terms.surface_exchange.SurfaceExchange` term; ``boundary_heat(T)``
    gives the heat (W, + into the model) through each of its boundaries.
    """

    def __init__(self, model, boundaries: list[str], emissivity: dict[str, float],
                 enclosure: bool, t_sink_k: float, planes, name: str, *, sigma: float = SIGMA,
                 obstruction: bool = True, use_cache: bool = True):
        self.boundaries = list(boundaries)
        self.emissivity = dict(emissivity)
        self.enclosure = bool(enclosure)
        self.t_sink_k = float(t_sink_k)
        self.planes = planes
        self.name = name
        self.sigma = float(sigma)
        self.obstruction = bool(obstruction)
        self.use_cache = bool(use_cache)
        self.term = None
        # oriented facets (global ids), type and part of every boundary
        self._facets = []
        types = set()
        for b in self.boundaries:
            part, local = model._part(b)
            bd = part.mesh.boundary(local)
            if bd.facet_type not in _TYPES:
                raise InputError(f"surface radiation boundary {b!r}: facets {bd.facet_type!r} "
                                 f"are not one of {_TYPES} (straight line facets of 2D planar "
                                 "models, flat tri3/quad4 facets in 3D)")
            fac = outward_facets(part.mesh, bd.facets, bd.facet_type) + part.offset
            self._facets.append((part, fac, bd.facet_type))
            types.add("line2" if bd.facet_type == "line2" else "3d")
        if len(types) > 1:
            raise InputError("surface radiation: boundaries mix line facets (2D) with "
                             "tri3/quad4 facets (3D)")
        self.planar_2d = types == {"line2"}
        if self.planar_2d:
            z = model.points[np.concatenate([f.ravel() for _, f, _ in self._facets]), 2]
            size = float(np.ptp(model.points, axis=0).max()) or 1.0
            if np.ptp(z) > 1e-9 * size:
                raise InputError("surface radiation: line facets are the cross-section of a 2D "
                                 "planar model and must lie in one plane z = const (xy); "
                                 f"these span z = {z.min():.6g} … {z.max():.6g} m")
        from thermosat.radiation import mirror

        planes = mirror.check_planes(planes, planar_2d=self.planar_2d)
        if planes:
            pts = model.points
            mirror.check_sides(pts, np.concatenate([
                np.pad(f, ((0, 0), (0, 4 - f.shape[1])), constant_values=-1)
                for _, f, _ in self._facets]), planes)
            mirror.mirror_group(planes, float(np.ptp(pts, axis=0).max()))
        self.counts = [len(f) for _, f, _ in self._facets]
        self.zone_nodes = None
        self.zone_of_facet = None
        self._add_zones(model)

    # --- zones of the Newton tangent ------------------------------------------------------
    def _add_zones(self, model) -> None:
        pts = model.points
        zone_of, centres, nz = [], [], 0
        for (_, fac, _), nf in zip(self._facets, self.counts):
            k = max(1, min(_ZONES_PER_BOUNDARY, nf // _ZONE_FACETS))
            cen = pts[fac].mean(axis=1)
            axis = int(np.argmax(np.ptp(cen, axis=0)))
            rank = np.empty(nf, np.int64)
            rank[np.argsort(cen[:, axis], kind="stable")] = np.arange(nf)
            z = rank * k // nf
            zone_of.append(z + nz)
            centres += [cen[z == i].mean(axis=0) for i in range(k)]
            nz += k
        if nz < 2:
            return
        zmesh = Mesh(np.array(centres), np.stack([np.arange(nz - 1), np.arange(1, nz)], 1),
                     "line2", {"domain": np.arange(nz - 1)})
        base = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.name).strip("_") + "_zones"
        pname, k = base, 1
        while pname in model.parts:
            k += 1
            pname = f"{base}{k}"
        part = model.add_part(pname, zmesh, conduction=False)
        self.zone_part = part.name
        self.zone_of_facet = np.concatenate(zone_of)

    # --- building -------------------------------------------------------------------------
    def _cells(self, model, points, node_scales) -> list[CellSet]:
        out = []
        for (part, fac, ftype) in self._facets:
            if CELL_DIM[ftype] < part.mesh.dim:
                scale = node_scales[part.name][fac - part.offset].mean(axis=1)
            else:
                scale = np.ones(len(fac))
            out.append(CellSet(points, fac, ftype, model._qdeg(ftype, "radiation"), scale))
        return out

    def _view_factors(self, cells: list[CellSet]):
        from thermosat.radiation import mirror

        planes = mirror.check_planes(self.planes, planar_2d=self.planar_2d)
        if self.planar_2d:
            depth = np.concatenate([c.scale for c in cells])
            if np.ptp(depth) > 1e-12 * depth.max():
                raise InputError(f"surface radiation {self.name!r}: the radiating boundaries of "
                                 "a 2D planar model need one thickness_m (the depth of the "
                                 f"slice), got {depth.min():.6g} … {depth.max():.6g} m")
            fac = np.concatenate([c.conn for c in cells])
        else:
            width = max(c.conn.shape[1] for c in cells)
            fac = np.concatenate([np.pad(c.conn, ((0, 0), (0, width - c.conn.shape[1])),
                                         constant_values=-1) for c in cells])
        pts_all = cells[0].points
        used = np.unique(fac[fac >= 0])
        remap = np.full(int(used.max()) + 1, -1, np.int64)
        remap[used] = np.arange(len(used))
        fac = np.where(fac >= 0, remap[np.maximum(fac, 0)], -1)
        pts = np.ascontiguousarray(pts_all[used], float)
        nf = len(fac)
        size = float(np.ptp(pts, axis=0).max())
        group = mirror.mirror_group(planes, size) if planes else [(np.eye(3), np.zeros(3))]
        if len(group) > 1:
            pts, fac = mirror.with_images(pts, fac, planes, group)
        if self.planar_2d:
            from thermosat.radiation.strings import segment_view_factors

            vf = segment_view_factors(pts, fac, depth_m=float(depth[0]),
                                      obstruction=self.obstruction,
                                      enclosure=self.enclosure or None)
        else:
            from thermosat.radiation.viewfactors import view_factors

            vf = view_factors(pts, fac, obstruction=self.obstruction,
                              enclosure=self.enclosure or None, use_cache=self.use_cache)
        if len(group) > 1:
            vf = mirror.fold_images(vf, nf, len(group))
        return vf

    def build(self, model, points, node_scales) -> list:
        from thermosat.terms.surface_exchange import SurfaceExchange

        cells = self._cells(model, points, node_scales)
        vf = self._view_factors(cells)
        eps = np.concatenate([np.full(n, self.emissivity[b])
                              for b, n in zip(self.boundaries, self.counts)])
        starts = np.concatenate([[0], np.cumsum(self.counts)])
        groups = {b: np.arange(starts[k], starts[k + 1]) for k, b in enumerate(self.boundaries)}
        zones = None
        if self.zone_of_facet is not None:
            zones = (model.parts[self.zone_part].nodes, self.zone_of_facet)
        self.term = SurfaceExchange(cells, eps, self.t_sink_k, groups=groups, vf=vf,
                                    name=self.name, sigma=self.sigma, zones=zones)
        self._starts = starts
        return [self.term]

    def boundary_heat(self, T: np.ndarray) -> dict[str, float]:
        """Heat (W, + into the model) the exchange brings through each boundary at ``T`` (K):
        minus the net radiation leaving its facets (all that their residual rows carry)."""
        q = self.term.patch_heat(T)
        s = self._starts
        return {b: -float(q[s[k]:s[k + 1]].sum()) for k, b in enumerate(self.boundaries)}
