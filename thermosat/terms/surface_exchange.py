"""Gray diffuse radiative exchange between surfaces, with space at T_sink, as one Newton term.

Physics (:mod:`thermosat.radiation.radiosity`): exchange facets ``p`` with view factors
``F`` (space: ``f_s = 1 − Σ_j F_pj``), emissivity ``ε_p`` and emissive power ``E_p``; space
is black at ``E_s = σT_sink⁴``. Radiosity ``J = εE + (1 − ε)H``, irradiation
``H = F J + f_s E_s``, net heat leaving ``q_p = A_p ε_p (E_p − H_p)`` (W). Gray, diffuse,
opaque surfaces; ``ε`` is constant (a temperature table is refused).

Discretisation (FE facets ``f`` of linear tri3/quad4 cells, nodes ``a``)
-----------------------------------------------------------------------
* Emission is integrated exactly as :class:`~thermosat.terms.radiation.RadiationToSink`
  does: consistent quadrature of ``ε σ T_h⁴ N_a`` with ``T_h`` the FE interpolant (same
  rule, degree 5p). The exchange-facet emissive power is the area mean of that integral,
  ``E_p = (1/A_p) Σ_{f∈p} ∫_f σ T_h⁴ dA``.
* The irradiation ``H_p`` is uniform over an exchange facet; it is absorbed with the
  consistent load of a uniform flux, ``ε H_p ∫ N_a dA``.

So node ``a`` gets ``R_a = Σ_f ε_f [∫_f σT_h⁴ N_a dA − H_p(f) ∫_f N_a dA]`` and
``Σ_a R_a = Σ_p q_p`` exactly. With no view factors between the surfaces ``H = E_s`` and
the term *is* ``RadiationToSink`` (to round-off, not only to the discretisation error).
(The alternative, facet-mean ``T⁴`` from nodal ``T⁴`` with equal shares ``q_f/n`` per node,
as in :meth:`RadiosityExchange.node_heat_and_jacobian`, is nodal quadrature of the same
integral: it overestimates the emission of a facet with a gradient by O(h²|∇T|²/T²) and
differs from ``RadiationToSink`` by that much; the consistent form avoids the difference.)

Exchange facets may be the FE facets themselves or coarser *patches* (each a planar convex
polygon that is exactly the union of some FE facets, e.g. k × k cells of a grid): the view
factors then cost (n/k²)² pairs instead of n², while the emission stays resolved per FE
facet. Only the irradiation is uniform per patch.

Jacobian (sparse on purpose)
----------------------------
The exact tangent couples every node of every facet that sees another one (dense). This term
adds only the facet-local part: the emission ``∫ 4εσT_h³ N_a N_b`` (as RadiationToSink) and
the self-irradiation through reflections, ``−ε B_pp ∫N_a · ∂E_p/∂T_b`` restricted to the
facet (``B_pp`` the Gebhart self-factor: exact from the exchange matrix when it is dense,
else one-reflection ``ε_p Σ_j F_pj ρ_j F_jp``). The mutual irradiation ``H`` from other
facets is in the residual exactly but not in the tangent (a lagged/explicit part), so Newton
converges linearly, at a rate set by how much of each surface's view is other surfaces.

Optional *zone coupling* (``zones``) restores the large-scale part of the mutual tangent
while keeping the pattern sparse: exchange facets are grouped into a few zones ``z`` (a
surface, or blocks of it), and the mutual tangent is replaced by its zone-lumped rank-nz form
``−U V`` with ``U[a, z] = Σ_p W[a, p] β[p, z]`` (``W[a, p] = ε ∫N_a`` over the facets of ``p``
at node ``a``; ``β[p, z]`` the irradiation of ``p`` per unit emissive power of all of zone
``z``, from nz radiosity solves, constant, less the facet's own share already in the local
part) and ``V[z, b] = (1/A_z) ∫_z 4σT_h³ N_b``. It enters
through one auxiliary unknown ``y_z`` per zone whose residual is identically zero and whose
tangent rows/columns are ``[s U; V, s I]``: eliminating ``y`` gives exactly ``J_local − U V``.
So each zone node couples to the nodes of its zone and the nodes that see it (a star, not a
clique); ``s`` (1e6) keeps the steps of ``y`` negligible (they carry no physics). This is
inexact Newton with a better tangent: the residual is unchanged.
``jacobian="exact"`` adds the dense mutual block instead (small models only; used to measure
what the lagging costs).

Energy balance (:meth:`SurfaceExchange.flows`): per group ``g`` of facets,
``<name>:<g>→space`` (emitted by ``g`` and lost to space, after all reflections; out) and
``<name>:space→<g>`` (sink emission absorbed by ``g``; in), which together are all that
leaves the model; and for each pair of groups the net heat from the warmer to the colder,
listed twice with opposite signs (``<name>:<a>→<b>`` out of ``a``, ``<name>:<a>→<b>:received``
into ``b``) so that the transfer shows in the balance and cancels exactly in its sum.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermosat.common.errors import InputError
from thermosat.fem import kernels
from thermosat.fem.integration import CellSet
from thermosat.terms.base import Term
from thermosat.terms.exchange_kernel import exchange_facets, zone_tangent

__all__ = ["ExchangePatches", "SurfaceExchange"]

_LINEAR = {"tri3": 3, "quad4": 4}
#: facet types accepted with precomputed view factors (``vf``): line2 segments of 2D planar
#: models (crossed strings, :mod:`thermosat.radiation.strings`)
_WITH_VF = {"line2": 2, **_LINEAR}
_NO_SLOTS = np.zeros((0, 0, 0), np.int64)   # residual-only evaluation before binding


@dataclass(frozen=True)
class ExchangePatches:
    """Exchange facets coarser than the FE facets.

    points : (n, 3) patch vertices (m)
    facets : (n_patches, 3|4) patch polygons (planar, convex), right-hand normal on the
        radiating side (the same side as their FE facets); a negative 4th index marks a
        triangle
    of_facet : (n_fe_facets,) patch index of every FE facet (in the term's facet order); the
        FE facets of a patch must tile it exactly (areas are checked)
    """

    points: np.ndarray
    facets: np.ndarray
    of_facet: np.ndarray


def _as_blocks(cells, with_vf: bool = False) -> list[CellSet]:
    blocks = [cells] if isinstance(cells, CellSet) else list(cells)
    if not blocks:
        raise InputError("surface exchange: no facets given")
    for c in blocks:
        if c.cell_type not in (_WITH_VF if with_vf else _LINEAR):
            raise InputError(f"surface exchange: facets must be planar tri3 or quad4 (view "
                             f"factors), or line2 with precomputed view factors (vf), got "
                             f"{c.cell_type}")
    pts = blocks[0].points
    if any(c.points is not pts for c in blocks[1:]):
        raise InputError("surface exchange: all facet sets must share one point array")
    return blocks


def _facet_polygons(blocks: list[CellSet]) -> tuple[np.ndarray, np.ndarray]:
    """Compact points and (nf, 3|4) facets of the FE facets (for the view factors)."""
    width = max(_WITH_VF[c.cell_type] for c in blocks)
    conn = []
    for c in blocks:
        k = c.conn
        if k.shape[1] < width:
            k = np.concatenate([k, np.full((len(k), width - k.shape[1]), -1)], axis=1)
        conn.append(k)
    conn = np.concatenate(conn)
    used = np.unique(conn[conn >= 0])
    remap = np.full(int(used.max()) + 1, -1, np.int64)
    remap[used] = np.arange(len(used))
    fac = np.where(conn >= 0, remap[np.maximum(conn, 0)], -1)
    return np.ascontiguousarray(blocks[0].points[used], float), fac


class SurfaceExchange(Term):
    """Gray diffuse exchange among facets and with space at ``t_sink`` (K); see the module
    docstring for the discretisation, the sparse Jacobian and the energy-balance flows.

    Parameters
    ----------
    cells : CellSet or list of CellSets of tri3/quad4 facets (global node numbers, node order
        right-handed about the side the facet radiates to), or line2 facets of a 2D planar
        model when ``vf`` is given (segment p0 → p1 radiating to ``(t_y, −t_x)``, see
        :mod:`thermosat.radiation.strings`), built with the radiation
        quadrature (``model.cells(..., boundary=True, kind="radiation")``)
    emissivity : number or per-facet array in [0, 1] (facets in the order of ``cells``)
    t_sink : temperature of space (K)
    groups : name → facet indices, for the energy balance (facets in no group: ``other``)
    patches : coarser exchange facets (:class:`ExchangePatches`), default: the FE facets
    vf : precomputed :class:`~thermosat.radiation.viewfactors.ViewFactors` of the exchange
        facets; else computed here (with ``obstruction``, ``enclosure``, disk cache)
    dense_limit : exchange facets up to which the exchange matrix is formed densely (exact
        ``B_pp`` in the Jacobian); above it every evaluation is one CG radiosity solve
    jacobian : ``"local"`` (sparse, default) or ``"exact"`` (dense mutual block; small models)
    zones : optional ``(zone_nodes, zone_of_patch)``: global ids of nz auxiliary unknowns (nodes
        of a part without conduction, carrying no other term) and the zone of every exchange
        facet, for the zone-coupled tangent (``jacobian="local"`` only)
    """

    nonlinear = True

    def __init__(self, cells, emissivity, t_sink: float = 3.0, *, groups: dict | None = None,
                 patches: ExchangePatches | None = None, vf=None, name: str = "exchange",
                 sigma: float = kernels.SIGMA, obstruction: bool = True, enclosure=None,
                 use_cache: bool = True, cache_dir=None, dense_limit: int = 600,
                 jacobian: str = "local", vf_options: dict | None = None, zones=None,
                 zone_scale: float = 1e6):
        from thermosat.radiation.radiosity import RadiosityExchange
        from thermosat.radiation.viewfactors import view_factors

        if jacobian not in ("local", "exact"):
            raise InputError(f"surface exchange jacobian: {jacobian!r} is not 'local' or "
                             "'exact'")
        self.name = name
        self.blocks_ = _as_blocks(cells, with_vf=vf is not None)
        self.sigma = float(sigma)
        self.t_sink = float(t_sink)
        if not (np.isfinite(self.t_sink) and self.t_sink >= 0):
            raise InputError(f"surface exchange t_sink: {t_sink} K must be ≥ 0")
        self.jacobian = jacobian
        sizes = [len(c) for c in self.blocks_]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        nf = int(self.offsets[-1])
        self.n_facets = nf
        if np.ndim(emissivity) == 2:
            raise InputError("surface exchange: emissivity must be constant (gray); a "
                             "temperature table is not supported")
        eps = np.broadcast_to(np.asarray(emissivity, float), (nf,)).copy()
        if not np.all(np.isfinite(eps)) or np.any(eps < 0) or np.any(eps > 1):
            raise InputError("surface exchange emissivity: every value must be in [0, 1]")
        self.eps = eps
        # per FE facet: ∫N_a dA (constant) and areas
        self._wN = [c.wdet @ c.N for c in self.blocks_]
        self.facet_areas = np.concatenate([c.wdet.sum(axis=1) for c in self.blocks_])
        # exchange facets
        if patches is None:
            ppts, pfac = _facet_polygons(self.blocks_)
            of = np.arange(nf, dtype=np.int64)
        else:
            ppts = np.asarray(patches.points, float)
            pfac = np.asarray(patches.facets, np.int64)
            of = np.asarray(patches.of_facet, np.int64)
            if of.shape != (nf,) or of.min(initial=0) < 0 or of.max(initial=0) >= len(pfac):
                raise InputError(f"surface exchange patches: of_facet must give a patch index "
                                 f"in [0, {len(pfac)}) for each of the {nf} facets")
        self.of_facet = of
        npatch = len(pfac)
        self.n_patches = npatch
        area_p = np.bincount(of, self.facet_areas, minlength=npatch)
        eps_p = np.bincount(of, eps * self.facet_areas, minlength=npatch) / np.where(
            area_p > 0, area_p, 1.0)
        if np.any(np.abs(eps - eps_p[of]) > 1e-12):
            raise InputError("surface exchange patches: emissivity must be uniform within "
                             "each patch")
        self.patch_areas = area_p
        # groups
        owner = np.full(nf, -1, np.int64)
        self.group_names: list[str] = []
        for k, (gname, idx) in enumerate((groups or {"surfaces": np.arange(nf)}).items()):
            idx = np.asarray(idx)
            idx = np.flatnonzero(idx) if idx.dtype == bool else idx.astype(np.int64)
            if np.any(owner[idx] >= 0):
                raise InputError(f"surface exchange groups: {gname!r} overlaps another group")
            owner[idx] = k
            self.group_names.append(str(gname))
        if np.any(owner < 0):
            owner[owner < 0] = len(self.group_names)
            self.group_names.append("other")
        patch_owner = np.full(npatch, -1, np.int64)
        patch_owner[of] = owner
        if np.any(patch_owner[of] != owner):
            raise InputError("surface exchange patches: a patch holds facets of two groups")
        self.facet_group = owner
        self.patch_group = patch_owner
        # view factors and the radiosity solver
        if vf is None:
            opts = dict(vf_options or {})
            vf = view_factors(ppts, pfac, obstruction=obstruction, enclosure=enclosure,
                              use_cache=use_cache, cache_dir=cache_dir, **opts)
        if vf.n_facets != npatch:
            raise InputError(f"surface exchange: the view factors have {vf.n_facets} facets, "
                             f"the exchange has {npatch}")
        rel = np.abs(vf.areas - area_p) / np.maximum(area_p, 1e-300)
        if np.any(rel > 1e-9):
            i = int(np.argmax(rel))
            raise InputError(f"surface exchange: exchange facet {i} has area {vf.areas[i]:.6g}"
                             f" m² but its FE facets cover {area_p[i]:.6g} m² (patches must "
                             "tile their facets exactly)")
        self.vf = vf
        self.exchange = RadiosityExchange(vf, eps_p, self.t_sink, sigma=self.sigma,
                                          dense_limit=dense_limit)
        self.eps_p = eps_p
        self.F = self.exchange.F
        self.f_space = self.exchange.f_space
        self.self_gebhart = self._self_gebhart()
        self._exact_slots = None
        self._exact_nodes = None
        self.zone_nodes = None
        if zones is not None:
            if jacobian != "local":
                raise InputError("surface exchange: zones are for jacobian='local'")
            self._setup_zones(np.asarray(zones[0], np.int64), np.asarray(zones[1], np.int64),
                              float(zone_scale))
        self.symmetric = (jacobian == "local" and zones is None
                          and not np.any(self.self_gebhart > 0))

    # --- setup ------------------------------------------------------------------------------
    def _self_gebhart(self) -> np.ndarray:
        """``B_pp``: fraction of a facet's emission that comes back to it and is absorbed."""
        ex = self.exchange
        ae = self.patch_areas * self.eps_p
        if ex._K is not None:
            Kd = np.asarray(ex._K.diagonal()).ravel()
            with np.errstate(divide="ignore", invalid="ignore"):
                b = np.where(ae > 0, 1.0 - Kd / np.where(ae > 0, ae, 1.0), 0.0)
            return np.clip(b, 0.0, 1.0)
        FF = self.F.multiply(self.F.T.tocsr()).tocsr()          # F_pj F_jp
        return np.clip(self.eps_p * (FF @ (1.0 - self.eps_p)), 0.0, 1.0)

    def _setup_zones(self, nodes: np.ndarray, zone_of_patch: np.ndarray, scale: float):
        """Constant parts of the zone-coupled tangent: ``U`` (exchange nodes × zones) and the
        star pattern (zone node, exchange node)."""
        nz = len(nodes)
        if zone_of_patch.shape != (self.n_patches,) or zone_of_patch.min(initial=0) < 0 or \
                zone_of_patch.max(initial=0) >= nz:
            raise InputError(f"surface exchange zones: need a zone in [0, {nz}) for each of "
                             f"the {self.n_patches} exchange facets")
        self.zone_nodes = nodes
        self.zone_of_patch = zone_of_patch
        self.zone_scale = scale
        self.zone_areas = np.bincount(zone_of_patch, self.patch_areas, minlength=nz)
        ex_nodes = np.unique(np.concatenate([c.conn.ravel() for c in self.blocks_]))
        if np.intersect1d(ex_nodes, nodes).size:
            raise InputError("surface exchange zones: zone nodes must not be facet nodes")
        self._ex_nodes = ex_nodes
        self._zone_idx = None            # the tangent's scatter indices, built on first use
        nex = len(ex_nodes)
        # β[p, z]: irradiation of p per unit emissive power of zone z (space black at 0)
        beta = np.empty((self.n_patches, nz))
        for z in range(nz):
            J = self.exchange.radiosity((zone_of_patch == z).astype(float), 0.0)
            beta[:, z] = np.asarray(self.F @ J).ravel()
        # a facet's own reflected emission is in the local tangent (B_pp): not twice
        ip = np.arange(self.n_patches)
        with np.errstate(divide="ignore", invalid="ignore"):
            self_h = np.where(self.eps_p > 0, self.self_gebhart / self.eps_p, 0.0)
        beta[ip, zone_of_patch] = np.maximum(beta[ip, zone_of_patch] - self_h, 0.0)
        U = np.zeros((nex, nz))
        for k, c in enumerate(self.blocks_):
            lo, hi = self.offsets[k], self.offsets[k + 1]
            pos = np.searchsorted(ex_nodes, c.conn)
            wN = self.eps[lo:hi, None] * self._wN[k]                 # (ne, nn)
            bz = beta[self.of_facet[lo:hi]]                           # (ne, nz)
            for z in range(nz):
                U[:, z] += np.bincount(pos.ravel(), (wN * bz[:, z:z + 1]).ravel(),
                                       minlength=nex)
        self._zone_U = U
        # star pattern: zone z with the nodes that see it and the nodes of its facets
        own = np.zeros((nex, nz), bool)
        for k, c in enumerate(self.blocks_):
            lo, hi = self.offsets[k], self.offsets[k + 1]
            pos = np.searchsorted(ex_nodes, c.conn)
            zf = zone_of_patch[self.of_facet[lo:hi]]
            own[pos.ravel(), np.repeat(zf, c.conn.shape[1])] = True
        tiny = 1e-14 * max(float(np.abs(U).max(initial=0.0)), 1e-300)
        pa, pz = np.nonzero(own | (np.abs(U) > tiny))
        self._pair_pos, self._pair_zone = pa, pz
        self._zone_pairs = np.stack([nodes[pz], ex_nodes[pa]], axis=1)
        self._zone_slots = None

    def blocks(self):
        out = [c.conn for c in self.blocks_]
        if self.zone_nodes is not None:
            out.append(self._zone_pairs)
        if self.jacobian == "exact":
            nodes = np.unique(np.concatenate([c.conn.ravel() for c in self.blocks_]))
            if len(nodes) > 5000:
                raise InputError(f"surface exchange jacobian='exact': {len(nodes)} nodes is "
                                 "too many for a dense block (use 'local')")
            self._exact_nodes = nodes
            out.append(nodes[None, :])
        return out

    def bind(self, pattern):
        for c in self.blocks_:
            c.bind(pattern)
        if self.jacobian == "exact":
            self._exact_slots = pattern.slots(self._exact_nodes[None, :])[0]
        if self.zone_nodes is not None:
            sl = pattern.slots(self._zone_pairs)
            self._zone_slots = (sl[:, 0, 1].copy(), sl[:, 1, 0].copy(),
                                pattern.diag[self.zone_nodes].copy())
            self._zone_idx = None        # its per-facet slots follow the new pattern

    # --- evaluation ---------------------------------------------------------------------------
    def _fields(self, T):
        """Per block: T at quadrature points; the patch emissive powers E_p (W/m²)."""
        Tqs, emit = [], []
        for c in self.blocks_:
            Tq = T[c.conn] @ c.N.T                       # (ne, nq)
            Tqs.append(Tq)
            emit.append((c.wdet * Tq**4).sum(axis=1))    # ∫ T_h⁴ dA per facet
        e_f = self.sigma * np.concatenate(emit)
        E = np.bincount(self.of_facet, e_f, minlength=self.n_patches) / self.patch_areas
        return Tqs, E

    def irradiation(self, E: np.ndarray) -> np.ndarray:
        """Irradiation ``H`` (W/m²) of each exchange facet for emissive powers ``E`` (W/m²)."""
        Es = self.sigma * self.t_sink**4
        J = self.exchange.radiosity(E, Es)
        return np.asarray(self.F @ J).ravel() + self.f_space * Es

    def patch_heat(self, T: np.ndarray) -> np.ndarray:
        """Net heat leaving each exchange facet (W), as the residual distributes it."""
        _, E = self._fields(T)
        H = self.irradiation(E)
        return self.patch_areas * self.eps_p * (E - H)

    def add_nonlinear(self, T, t, R, data):
        Tqs, E = self._fields(T)
        H = self.irradiation(E)
        jac = data.shape[0] > 0
        for k, c in enumerate(self.blocks_):
            lo, hi = self.offsets[k], self.offsets[k + 1]
            pid = self.of_facet[lo:hi]
            geb = (self.self_gebhart[pid] if self.jacobian == "local"
                   else np.zeros(hi - lo))
            exchange_facets(c.conn, c.N, c.wdet, Tqs[k], self.eps[lo:hi], H[pid],
                            self._wN[k], geb, 1.0 / self.patch_areas[pid],
                            c.slots if c.slots is not None else _NO_SLOTS, self.sigma, R,
                            data, jac)
        if jac and self.jacobian == "exact":
            data[self._exact_slots.ravel()] += self._mutual_jacobian(T, Tqs).ravel()
        if jac and self.zone_nodes is not None:
            self._add_zone_tangent(Tqs, data)

    def _add_zone_tangent(self, Tqs, data):
        """``[s U; V, s I]`` on the star pattern (see the module docstring)."""
        to_zone, from_zone, diag = self._zone_slots
        if self._zone_idx is None:                        # geometry only: built once
            nz, nex = len(self.zone_nodes), len(self._ex_nodes)
            pair = np.full(nz * nex, -1, np.int64)
            pair[self._pair_zone * nex + self._pair_pos] = np.arange(len(self._pair_pos))
            per_block = []
            for k, c in enumerate(self.blocks_):
                zf = self.zone_of_patch[self.of_facet[self.offsets[k]:self.offsets[k + 1]]]
                p = pair[zf[:, None] * nex + np.searchsorted(self._ex_nodes, c.conn)]
                per_block.append((np.ascontiguousarray(to_zone[p]),
                                  1.0 / self.zone_areas[zf]))
            const = self.zone_scale * self._zone_U[self._pair_pos, self._pair_zone]
            self._zone_idx = (per_block, const)
        per_block, const = self._zone_idx
        for k, c in enumerate(self.blocks_):
            slot_ea, inv_area = per_block[k]
            zone_tangent(c.N, c.wdet, Tqs[k], inv_area, slot_ea, self.sigma, data)
        data[from_zone] += const
        data[diag] += self.zone_scale

    def _mutual_jacobian(self, T, Tqs) -> np.ndarray:
        """Dense ``∂R/∂T`` of the absorbed irradiation on the exchange nodes (W/K)."""
        nodes = self._exact_nodes
        pos = np.full(T.shape[0], -1, np.int64)
        pos[nodes] = np.arange(len(nodes))
        n, npch = len(nodes), self.n_patches
        W = np.zeros((n, npch))
        G = np.zeros((npch, n))
        s4 = 4.0 * self.sigma
        for k, c in enumerate(self.blocks_):
            lo, hi = self.offsets[k], self.offsets[k + 1]
            pid = self.of_facet[lo:hi]
            g = (s4 * c.wdet * Tqs[k]**3) @ c.N / self.patch_areas[pid][:, None]
            wN = self.eps[lo:hi, None] * self._wN[k]
            for a in range(c.conn.shape[1]):
                np.add.at(W, (pos[c.conn[:, a]], pid), wN[:, a])
                np.add.at(G, (pid, pos[c.conn[:, a]]), g[:, a])
        B = self.exchange.gebhart()                                # dH_p/dE_r = B_pr
        return -(W @ (B @ G))

    # --- energy balance -----------------------------------------------------------------------
    def breakdown(self, T: np.ndarray):
        """:class:`~thermosat.radiation.radiosity.ExchangeBreakdown` by group (W) at nodal
        temperatures ``T`` (K), plus ``absorbed_from_space`` per group as an attribute."""
        _, E = self._fields(T)
        Tp = (np.maximum(E, 0.0) / self.sigma) ** 0.25
        groups = {g: self.patch_group == k for k, g in enumerate(self.group_names)}
        br = self.exchange.exchange_breakdown(Tp, {g: m for g, m in groups.items() if m.any()})
        if getattr(self, "_a_space", None) is None:   # constant: geometry and T_sink only
            Es = self.sigma * self.t_sink**4
            J0 = self.exchange.radiosity(np.zeros(self.n_patches), Es)
            self._a_space = self.patch_areas * self.eps_p * (
                np.asarray(self.F @ J0).ravel() + self.f_space * Es)
        a_p = self._a_space
        pg = {g: k for k, g in enumerate(br.names)}
        a_g = np.zeros(len(br.names))
        for k, g in enumerate(self.group_names):
            if g in pg:
                a_g[pg[g]] += a_p[self.patch_group == k].sum()
        br.absorbed_from_space = a_g
        return br

    def flows(self, T, t):
        br = self.breakdown(T)
        out: dict[str, float] = {}
        floor = 1e-12 * float(br.emitted.sum())   # transfers at round-off level are not shown
        for a, ga in enumerate(br.names):
            lost = float(br.to_space[a] + br.absorbed_from_space[a])
            out[f"{self.name}:{ga}→space"] = -lost
            out[f"{self.name}:space→{ga}"] = float(br.absorbed_from_space[a])
            for b in range(a + 1, len(br.names)):
                x = float(br.net[a, b])
                if abs(x) <= floor:
                    continue
                src, dst = (ga, br.names[b]) if x > 0 else (br.names[b], ga)
                out[f"{self.name}:{src}→{dst}"] = -abs(x)
                out[f"{self.name}:{src}→{dst}:received"] = abs(x)
        return out

    def exchange_summary(self, T: np.ndarray) -> dict:
        """Plain-data breakdown (W): per group emitted, to space (net) and net leaving; per
        ordered pair the net heat from the first to the second group (positive entries
        only)."""
        br = self.breakdown(T)
        out = {"groups": {}, "between": {}}
        for a, ga in enumerate(br.names):
            out["groups"][ga] = {"emitted_w": float(br.emitted[a]),
                                 "to_space_w": float(br.to_space[a]),
                                 "net_leaving_w": float(br.q_net[a])}
            for b, gb in enumerate(br.names):
                if a != b and br.net[a, b] > 1e-12 * float(br.emitted.sum()):
                    out["between"][f"{ga}→{gb}"] = float(br.net[a, b])
        out["net_to_space_w"] = float(br.to_space.sum())
        out["n_exchange_facets"] = int(self.n_patches)
        out["n_fe_facets"] = int(self.n_facets)
        return out
