"""Pumped single-phase coolant loops: fluid nodes along pipes, upwind advection, bonding to
radiator surfaces, cold plates, pressure drop and pump power, freeze and boil checks.

The loop is a directed graph of fluid nodes (a line mesh, so it can be written to VTK):
pump → cold plates in parallel → radiator sections in series (each a serpentine or a set of
parallel channels bonded to a surface) → back to the pump. Mass is conserved at every node,
so advection conserves energy exactly and the loop closes on itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from thermosat.common.errors import InputError
from thermosat.fem.quadrature import gauss_legendre_01
from thermosat.mesh.core import Boundary, Mesh
from thermosat.mesh.locate import locate_points
from thermosat.physics.correlations import pipe_flow
from thermosat.physics.fluids import get_fluid
from thermosat.physics.loop_limits import check_loop_temperatures
from thermosat.terms.advection import Advection
from thermosat.terms.links import LinkTerm, edge_to_points_link, facet_to_node_link
from thermosat.terms.loads import NodalCapacity, NodalHeat

__all__ = ["LoopSpec", "Loop", "RadiatorSection", "build_loop", "plane_axes", "path_points",
           "loop_bores"]

LAYOUTS = ("serpentine", "parallel")


@dataclass(frozen=True)
class LoopSpec:
    """Coolant loop design (SI units).

    fluid : coolant preset (``ammonia``, ``water``, ``pg50``, ``eg50``, ``hfe7100``)
    pressure_pa : loop pressure (default: the fluid preset's)
    mass_flow_kg_s : total mass flow through the pump
    pipe_inner_diameter_m, pipe_roughness_m : radiator tubing
    bond_conductance_w_mk : tube-to-face-sheet conductance per length (saddle + adhesive)
    layout : ``serpentine`` (one tube back and forth) or ``parallel`` (channels between headers)
    pipe_pitch_m : spacing of passes or channels across the radiator
    coldplate_pressure_drop_pa : pressure drop of each cold plate at its share of the flow
    pump_efficiency : hydraulic power / electric power
    freeze_margin_k : required distance from freezing (and from boiling)
    header_inner_diameter_m : bore of the supply/return headers of parallel channels and of
        the cold-plate manifolds (None = sized for ``design_velocity_m_s`` at the whole flow)
    transfer_line_inner_diameter_m : bore of the lines pump → cold plates → radiator
        sections → pump (None = sized for ``design_velocity_m_s`` at the whole flow)
    design_velocity_m_s : velocity the default bores are sized for: D = √(4ṁ/(πρv)), ρ at
        the middle of the coolant's liquid range at the loop pressure. 1.5 m/s, the middle of
        the 1–2 m/s of pumped liquid loops (erosion and noise above ~3 m/s, pumping power
        growing as v³; ASHRAE Handbook — Fundamentals, ch. 22 "Pipe sizing")
    """

    fluid: str = "ammonia"
    pressure_pa: float | None = None
    mass_flow_kg_s: float = 1.0
    pipe_inner_diameter_m: float = 0.010
    pipe_roughness_m: float = 1.5e-6
    bond_conductance_w_mk: float = 50.0
    layout: str = "parallel"
    pipe_pitch_m: float = 0.25
    coldplate_pressure_drop_pa: float = 20e3
    pump_efficiency: float = 0.5
    freeze_margin_k: float = 10.0
    header_inner_diameter_m: float | None = None
    transfer_line_inner_diameter_m: float | None = None
    design_velocity_m_s: float = 1.5

    def __post_init__(self):
        for name in ("header_inner_diameter_m", "transfer_line_inner_diameter_m"):
            v = getattr(self, name)
            if v is not None and not v > 0:
                raise InputError(f"loop {name}: {v} must be > 0 m (or None = sized for "
                                 f"design_velocity_m_s)")
        if not self.design_velocity_m_s > 0:
            raise InputError(f"loop design_velocity_m_s: {self.design_velocity_m_s} must be "
                             "> 0 m/s")
        for name in ("mass_flow_kg_s", "pipe_inner_diameter_m", "bond_conductance_w_mk",
                     "pipe_pitch_m"):
            if not getattr(self, name) > 0:
                raise InputError(f"loop {name}: {getattr(self, name)} must be > 0")
        if self.layout not in LAYOUTS:
            raise InputError(f"loop layout: {self.layout!r} is not one of {LAYOUTS}")
        if not 0 < self.pump_efficiency <= 1:
            raise InputError(f"loop pump_efficiency: {self.pump_efficiency} is outside (0, 1]")
        if self.pipe_roughness_m < 0 or self.coldplate_pressure_drop_pa < 0:
            raise InputError("loop pipe_roughness_m and coldplate_pressure_drop_pa must be ≥ 0")


def loop_bores(spec: LoopSpec) -> dict[str, float]:
    """Header and transfer-line bores (m): the spec's, or sized for its design velocity at
    the whole flow with ρ at the middle of the liquid range (see :class:`LoopSpec`)."""
    from thermosat.physics.hydraulics import bore_for_velocity

    fl = get_fluid(spec.fluid, spec.pressure_pa)
    rho = float(fl.density(0.5 * (fl.T_freeze + fl.T_boil)))
    auto = bore_for_velocity(spec.mass_flow_kg_s, rho, spec.design_velocity_m_s)
    return {"header_m": spec.header_inner_diameter_m or auto,
            "transfer_m": spec.transfer_line_inner_diameter_m or auto,
            "sized_for_velocity_m": auto}


@dataclass
class RadiatorSection:
    """A surface the loop is bonded to: ``wall_part`` (the layer the tubes touch) and region."""

    wall_part: str
    region: str = "radiator"


def plane_axes(points: np.ndarray, edge: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Centroid and orthonormal in-plane axes (longest first) and normal of a flat point set.

    When no in-plane axis is longer (a square panel: the SVD's axes are then arbitrary, e.g.
    diagonal), the first axis follows ``edge`` (a mesh edge vector) if given.
    """
    c = points.mean(axis=0)
    _, sv, vt = np.linalg.svd(points - c, full_matrices=False)
    e1, e2, n = vt[0], vt[1], vt[2]
    if edge is not None and sv[0] - sv[1] <= 1e-6 * sv[0]:
        e1 = np.asarray(edge, float) - (np.asarray(edge, float) @ n) * n
        e1 = e1 / np.linalg.norm(e1)
        e2 = np.cross(n, e1)
    # the SVD's signs are arbitrary: fix them (largest component positive, right-handed) so a
    # small change of the geometry cannot flip where the tubes start
    e1 = e1 * np.sign(e1[np.argmax(np.abs(e1))])
    e2 = e2 * np.sign(e2[np.argmax(np.abs(e2))])
    n = np.cross(e1, e2)
    return c, e1, e2, n


def path_points(mesh: Mesh, region: str, layout: str, pitch: float, ds: float):
    """Tube centre lines over ``region`` of a flat mesh: a list of (k, 3) polylines (m).

    Passes run along the region's longer in-plane axis, ``pitch`` apart, inset half a pitch
    from the edges (one pass along the middle of a region narrower than ``pitch``);
    ``serpentine`` joins them end to end into one polyline.
    """
    cells = mesh.region(region)
    pts = mesh.points[np.unique(mesh.cells[cells])]
    first = mesh.cells[0]
    c, e1, e2, _ = plane_axes(mesh.points, mesh.points[first[1]] - mesh.points[first[0]])
    uv = np.stack([(pts - c) @ e1, (pts - c) @ e2], axis=1)
    (u0, v0), (u1, v1) = uv.min(axis=0), uv.max(axis=0)
    # a strip exactly k pitches wide holds k passes (the ratio can fall a hair short of k in
    # floating point); a strip narrower than one pitch holds one tube along its middle
    # (sizing searches try small radiator areas)
    n_pass = max(1, int(np.floor((v1 - v0) / pitch * (1.0 + 1e-9))))
    inset = 0.5 * ((v1 - v0) - (n_pass - 1) * pitch)
    vs = v0 + inset + pitch * np.arange(n_pass)
    margin = min(0.5 * pitch, 0.25 * (u1 - u0))
    n_u = max(2, int(np.ceil((u1 - u0 - 2 * margin) / ds)) + 1)
    us = np.linspace(u0 + margin, u1 - margin, n_u)
    lines = []
    for k, v in enumerate(vs):
        u = us if (layout == "parallel" or k % 2 == 0) else us[::-1]
        lines.append(c + np.outer(u, e1) + np.outer(np.full_like(u, v), e2))
    if layout == "serpentine":
        return [np.concatenate(lines)]
    return lines


@dataclass
class Loop:
    """Handle on a loop built into a model: node ids, edges and the physics on them."""

    name: str
    spec: LoopSpec
    part: str
    nodes: dict[str, np.ndarray] = field(default_factory=dict)
    edges: np.ndarray | None = None
    edge_mdot: np.ndarray | None = None
    edge_length: np.ndarray | None = None
    edge_kind: np.ndarray | None = None  # 0 header, 1 bonded tube, 2 cold plate, 3 transfer
    #: radiator section of each edge (index into ``channel_split``; −1 outside the sections:
    #: transfer lines, package supply and cold plates), for plots of the loop by segment
    edge_section: np.ndarray | None = None
    #: per radiator section: channel flows (kg/s) from the split and the max/min ratio
    channel_split: list = field(default_factory=list)
    bonded: list = field(default_factory=list)
    wall_links: list[LinkTerm] = field(default_factory=list)
    plate_links: dict[int, LinkTerm] = field(default_factory=dict)
    pump_heat: NodalHeat | None = None
    h_w_m2k: float = 0.0

    @property
    def fluid(self):
        return get_fluid(self.spec.fluid, self.spec.pressure_pa)

    def fluid_temperatures(self, model, T: np.ndarray) -> np.ndarray:
        """Temperatures (K) of every fluid node."""
        p = model.parts[self.part]
        return T[p.offset:p.offset + p.mesh.n_points]

    def hydraulics(self, T_mean_k: float) -> dict:
        """Pressure drop (Pa), volume flow (m³/s) and pump power (W) at a mean temperature.

        The pump must overcome the worst path through the loop graph (longest path of edge
        pressure drops: tubes by Darcy–Weisbach with Churchill friction, cold plates by their
        stated drop).
        """
        s, fl = self.spec, self.fluid
        T = float(np.clip(T_mean_k, fl.T_min, fl.T_max))
        tube = self.edge_kind == 1
        dp = np.zeros(len(self.edges))
        if tube.any():
            pf = pipe_flow(fl, T, self.edge_mdot[tube], s.pipe_inner_diameter_m,
                           self.edge_length[tube], s.pipe_roughness_m, 0.0, s.pump_efficiency)
            dp[tube] = pf.pressure_drop
        bores = loop_bores(s)
        for kind, bore in ((0, bores["header_m"]), (3, bores["transfer_m"])):
            sel = self.edge_kind == kind
            if sel.any():
                pf = pipe_flow(fl, T, self.edge_mdot[sel], bore, self.edge_length[sel],
                               s.pipe_roughness_m, 0.0, s.pump_efficiency)
                dp[sel] = pf.pressure_drop
        # the plate's stated drop shared by the edges of its channel chain
        n_plate = max(len(self.nodes.get("packages", ())), 1)
        dp[self.edge_kind == 2] = s.coldplate_pressure_drop_pa * n_plate / max(
            int(np.sum(self.edge_kind == 2)), 1)
        total = _longest_path(self.edges, dp, self.nodes["pump"][0])
        q = s.mass_flow_kg_s / float(fl.density(T))
        by_kind = {name: float(_longest_path(self.edges, np.where(self.edge_kind == k, dp, 0.0),
                                             self.nodes["pump"][0]))
                   for k, name in ((0, "headers_pa"), (1, "channels_pa"), (2, "cold_plates_pa"),
                                   (3, "transfer_lines_pa"))}
        mal = max((c["maldistribution"] for c in self.channel_split), default=1.0)
        return {"pressure_drop_pa": total, "volume_flow_m3_s": q,
                "pump_power_w": total * q / s.pump_efficiency, "mean_temperature_k": T,
                "header_bore_m": bores["header_m"], "transfer_line_bore_m": bores["transfer_m"],
                "pressure_drop_by_kind_pa": by_kind, "maldistribution": mal}

    def heat_transfer(self, T_mean_k: float) -> float:
        """Tube heat-transfer coefficient (W/m²/K) of one radiator tube at a mean temperature."""
        s, fl = self.spec, self.fluid
        T = float(np.clip(T_mean_k, fl.T_min, fl.T_max))
        mdot_tube = float(np.median(self.edge_mdot[self.edge_kind == 1])) if np.any(
            self.edge_kind == 1) else s.mass_flow_kg_s
        return float(pipe_flow(fl, T, mdot_tube, s.pipe_inner_diameter_m).h)

    def wall_conductance_w_mk(self, h_w_m2k: float) -> float:
        """Fluid-to-face-sheet conductance per length: film and bond in series (W/m/K)."""
        film = h_w_m2k * np.pi * self.spec.pipe_inner_diameter_m
        return 1.0 / (1.0 / film + 1.0 / self.spec.bond_conductance_w_mk)

    def set_film_coefficient(self, h_w_m2k: float) -> None:
        """Update the tube film coefficient (rebuild the model's system afterwards)."""
        g = self.wall_conductance_w_mk(h_w_m2k)
        for link, g_unit in self.bonded:
            link.g = g_unit * g
        self.h_w_m2k = h_w_m2k

    def limits(self, model, T: np.ndarray):
        """Freeze/boil check of every fluid node (see :func:`check_loop_temperatures`)."""
        fl = self.fluid
        return check_loop_temperatures(fl, self.fluid_temperatures(model, T), fl.pressure,
                                       self.spec.freeze_margin_k)

    def heat_to_radiators_w(self, T: np.ndarray) -> float:
        """Heat (W) the fluid gives to the radiator walls."""
        return float(sum(link.heat_w(T) for link in self.wall_links))


def _longest_path(edges: np.ndarray, weight: np.ndarray, source: int) -> float:
    """Longest weighted path from ``source`` through the loop graph (cut at the source)."""
    n = int(edges.max()) + 1
    out: list[list[int]] = [[] for _ in range(n)]
    indeg = np.zeros(n, int)
    for k, (i, j) in enumerate(edges):
        if j == source:
            continue
        out[i].append(k)
        indeg[j] += 1
    dist = np.full(n, -np.inf)
    dist[source] = 0.0
    order = [source]
    best = 0.0
    while order:
        i = order.pop()
        for k in out[i]:
            j = edges[k, 1]
            dist[j] = max(dist[j], dist[i] + weight[k])
            indeg[j] -= 1
            if indeg[j] == 0:
                order.append(j)
                best = max(best, dist[j])
    return float(best + max((weight[k] for k in range(len(edges)) if edges[k, 1] == source),
                            default=0.0))


def _channel_split(fl, spec: LoopSpec, lines, total: float, d_header: float,
                   t_k: float) -> np.ndarray:
    """Channel flows (kg/s) of parallel channels between a supply and a return header from
    their resistances (:mod:`thermosat.physics.hydraulics`), properties at ``t_k``."""
    from thermosat.physics.hydraulics import manifold_path_dp, parallel_split

    if len(lines) == 1:
        return np.array([total])
    T = float(np.clip(t_k, fl.T_min, fl.T_max))
    rho, mu = float(fl.density(T)), float(fl.viscosity(T))
    ch_len = np.array([np.linalg.norm(np.diff(ln, axis=0), axis=1).sum() for ln in lines])
    starts = np.array([ln[0] for ln in lines])
    ends = np.array([ln[-1] for ln in lines])
    sup = np.linalg.norm(np.diff(starts, axis=0), axis=1)
    ret = np.linalg.norm(np.diff(ends, axis=0), axis=1)

    def path_dp(m):
        return manifold_path_dp(m, ch_len, sup, ret, spec.pipe_inner_diameter_m, d_header,
                                rho, mu, spec.pipe_roughness_m)

    m, _dp = parallel_split(total, path_dp, len(lines))
    return m


def build_loop(model, name: str, spec: LoopSpec, sections: list[RadiatorSection],
               packages: list, *, ds_m: float | None = None, t_guess_k: float = 300.0,
               coldplate_nodes: int = 1) -> Loop:
    """Add coolant loop ``name`` to ``model``: fluid part ``<name>_fluid`` and its terms.

    sections : radiator surfaces in flow order (each bonded over its region)
    packages : chip-package handles (from :func:`thermosat.physics.package.build_package`) in
        parallel; each needs ``wetted_facets`` (global facet connectivity), ``facet_type`` and
        ``wetted_facet_type`` and ``h_eff_w_m2k`` (cold-plate film coefficient, W/m²/K).
    coldplate_nodes : fluid nodes along each cold plate's channel (x axis): the wetted face is
        cut into that many segments along x, each filmed to its own node
        (:mod:`thermosat.physics.coldplate`); the plate's stated pressure drop is shared by
        its edges. ``nodes["packages"]`` are the plate outlets, ``nodes["coldplate_chains"]``
        the chains (inlet → outlet).
    """
    if not sections:
        raise InputError(f"loop {name!r}: needs at least one radiator section")
    fl = get_fluid(spec.fluid, spec.pressure_pa)
    pts: list[np.ndarray] = []
    edges: list[tuple[int, int]] = []
    mdot: list[float] = []
    kind: list[int] = []

    def add_node(p) -> int:
        pts.append(np.asarray(p, float))
        return len(pts) - 1

    def connect(i, j, m, k):
        edges.append((i, j))
        mdot.append(m)
        kind.append(k)

    M = spec.mass_flow_kg_s
    sec_meshes = [model.parts[s.wall_part] for s in sections]
    first_c = plane_axes(sec_meshes[0].mesh.points)[0]
    pump = add_node(first_c)
    split = add_node(first_c)
    connect(pump, split, M, 3)
    merge = add_node(first_c)
    pkg_nodes = []
    chains = []
    n_pkg = max(len(packages), 1)
    n_cp = int(coldplate_nodes)
    if n_cp < 1:
        raise InputError(f"loop {name!r}: coldplate_nodes {coldplate_nodes} must be ≥ 1")
    for pk in packages:
        # a chain of n_cp fluid nodes along each cold plate's channel (its x axis), each
        # the outlet of one segment (physics/coldplate.py); the last is the plate outlet
        c = np.asarray(getattr(pk, "center", first_c), float)
        sx = float(getattr(getattr(getattr(pk, "spec", None), "cold_plate", None),
                           "size_x_m", 0.0) or 0.0)
        chain = [add_node(c + np.array([sx * ((k + 1) / n_cp - 0.5), 0.0, 0.0]))
                 for k in range(n_cp)] if n_cp > 1 else [add_node(c)]
        connect(split, chain[0], M / n_pkg, 0)
        for a, b in zip(chain[:-1], chain[1:]):
            connect(a, b, M / n_pkg, 2)
        connect(chain[-1], merge, M / n_pkg, 2)
        pkg_nodes.append(chain[-1])
        chains.append(chain)
    if not packages:
        connect(split, merge, M, 0)
    prev = merge
    bonded_specs = []  # (section index, edge ids, polyline points per edge)
    bores = loop_bores(spec)
    splits = []
    sec_edges = []  # (first, end) edge index of each section, after its inlet transfer line
    for si, (sec, part) in enumerate(zip(sections, sec_meshes)):
        mesh = part.mesh
        area = float(np.mean(np.linalg.norm(np.ptp(mesh.points, axis=0)))) / np.sqrt(
            max(mesh.n_cells, 1))
        ds = ds_m or max(area, 1e-3)
        lines = path_points(mesh, sec.region, spec.layout, spec.pipe_pitch_m, ds)
        m_ch = _channel_split(fl, spec, lines, M, bores["header_m"], t_guess_k)
        splits.append({"section": sec.wall_part, "channel_mdot_kg_s": m_ch,
                       "maldistribution": float(m_ch.max() / m_ch.min())})
        # Z-type manifold: the supply header links the channel inlets, the return header the
        # outlets; the section leaves after the last channel
        # (unbonded header nodes at each channel's inlet and outlet; a single serpentine
        # channel connects straight to the transfer lines)
        n_ch = len(lines)
        ids_all = [[add_node(p) for p in line] for line in lines]
        sup = [add_node(ln[0]) for ln in lines] if n_ch > 1 else [ids_all[0][0]]
        ret = [add_node(ln[-1]) for ln in lines] if n_ch > 1 else [ids_all[0][-1]]
        connect(prev, sup[0], M, 3)
        e_first = len(edges)
        for j in range(n_ch - 1):
            connect(sup[j], sup[j + 1], float(m_ch[j + 1:].sum()), 0)
        for j, (ids, m_line) in enumerate(zip(ids_all, m_ch)):
            if n_ch > 1:
                connect(sup[j], ids[0], float(m_line), 0)
            e0 = len(edges)
            for a, b in zip(ids[:-1], ids[1:]):
                connect(a, b, float(m_line), 1)
            bonded_specs.append((si, np.arange(e0, len(edges))))
            if n_ch > 1:
                connect(ids[-1], ret[j], float(m_line), 0)
        for j in range(n_ch - 1):
            connect(ret[j], ret[j + 1], float(m_ch[:j + 1].sum()), 0)
        sec_edges.append((e_first, len(edges)))
        prev = ret[-1]
    connect(prev, pump, M, 3)

    P = np.array(pts)
    E = np.array(edges, np.int64)
    lengths = np.linalg.norm(P[E[:, 1]] - P[E[:, 0]], axis=1)
    fmesh = Mesh(P, E, "line2", {"fluid": np.arange(len(E))},
                 {"pump": Boundary(np.array([[pump]]), "vertex")})
    part = model.add_part(f"{name}_fluid", fmesh, conduction=False)
    off = part.offset
    loop = Loop(name, spec, part.name, nodes={"pump": np.array([pump]),
                                              "packages": np.array(pkg_nodes, np.int64),
                                              "coldplate_chains": np.array(chains, np.int64)
                                              .reshape(len(chains), n_cp)},
                edges=E, edge_mdot=np.array(mdot), edge_length=lengths,
                edge_kind=np.array(kind), channel_split=splits)
    loop.edge_section = np.full(len(E), -1, np.int64)
    for si, (a, b) in enumerate(sec_edges):
        loop.edge_section[a:b] = si
    h0 = loop.heat_transfer(t_guess_k)
    loop.h_w_m2k = h0
    g_wall = loop.wall_conductance_w_mk(h0)
    tab_t, _rho, cp, *_ = fl.table()

    # advection, coolant inventory, pump heat
    model.add_term(Advection(E + off, loop.edge_mdot, tab_t, cp, name=f"{name}:advection"))
    area_pipe = np.pi * spec.pipe_inner_diameter_m**2 / 4
    node_len = np.zeros(len(P))
    np.add.at(node_len, E[:, 0], 0.5 * lengths)
    np.add.at(node_len, E[:, 1], 0.5 * lengths)
    rho_cp = float(fl.density(t_guess_k) * fl.cp(t_guess_k))
    model.add_term(NodalCapacity(np.arange(len(P)) + off, rho_cp * area_pipe * node_len,
                                 name=f"{name}:coolant_capacity"))
    loop.pump_heat = NodalHeat(np.array([pump + off]), 0.0, name=f"{name}:pump_heat")
    model.add_term(loop.pump_heat)

    s_q, w_q = gauss_legendre_01(2)
    for si, eids in bonded_specs:
        sec = sections[si]
        wall = model.parts[sec.wall_part]
        e = E[eids]
        qp = (P[e[:, 0]][:, None, :] * (1 - s_q)[None, :, None]
              + P[e[:, 1]][:, None, :] * s_q[None, :, None])
        cid, wts = locate_points(wall.mesh, qp.reshape(-1, 3), what=f"loop {name!r} tube point")
        cell_nodes = (wall.mesh.cells[cid].astype(np.int64) + wall.offset).reshape(
            len(e), len(s_q), -1)
        link = edge_to_points_link(e + off, lengths[eids], cell_nodes,
                                   wts.reshape(len(e), len(s_q), -1), s_q, w_q, g_wall,
                                   name=f"{name}:tube→{sec.wall_part}")
        loop.bonded.append((link, link.g / g_wall))
        loop.wall_links.append(link)
        model.add_term(link)

    for pk, nd, chain in zip(packages, pkg_nodes, chains):
        def plate_factory(m, points, pk=pk, nd=nd, chain=chain):
            from thermosat.fem.integration import CellSet
            from thermosat.fem.quadrature import quadrature_degree as _degree
            from thermosat.physics.coldplate import segment_links

            deg = _degree(pk.wetted_facet_type, "mass")
            if len(chain) == 1:
                cs = CellSet(points, pk.wetted_facets, pk.wetted_facet_type, deg)
                link = facet_to_node_link(cs, nd + off, pk.h_eff_w_m2k,
                                          name=f"{name}:coldplate")
                loop.plate_links[nd] = link
                return link
            xf = points[pk.wetted_facets][..., 0]
            links = segment_links(points, pk.wetted_facets, pk.wetted_facet_type, deg,
                                  xf.mean(axis=1), np.asarray(chain) + off, float(xf.min()),
                                  float(xf.max()), pk.h_eff_w_m2k, f"{name}:coldplate")
            loop.plate_links[nd] = links
            return links
        model.add_term_factory(plate_factory)
    return loop
