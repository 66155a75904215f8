"""One satellite: dual-face panel, edge-on radiator wings, coolant loop and chip packages in
one global system, with the power loop closed and an orbit transient.

Geometry (m): the panel lies in the x–y plane, cells from x = 0, then its radiator-only strip;
two wings of ``wing_area_m2 / 2`` each stand edge-on along its long edges, extending to the
shaded side (−z); a bus box sits behind the panel centre; packages sit in a row behind the
panel (:mod:`thermosat.physics.geometry`). With ``surface_exchange`` (default, when there are
wings) the panel back, the wings and the bus exchange infrared radiation (gray, diffuse) and
see the 3 K sink through the rest of their view; without it each surface sees only the
environment and the sink, and there is no bus.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np

from thermosat.errors import ConvergenceError, InputError
from thermosat.mesh.core import Boundary, Mesh
from thermosat.model import Model
from thermosat.physics.environment import OrbitEnvironment
# surface exchange: satellite geometry (wings, bus) and the exchange term
from thermosat.physics.geometry import add_satellite_exchange, wing_mesh, with_oriented_faces
from thermosat.physics.loop import Loop, LoopSpec, RadiatorSection, build_loop
from thermosat.physics.orbit import Orbit
from thermosat.physics.package import Package, PackageSpec, build_package
from thermosat.physics.panel import FluxProvider, Panel, PanelSpec, build_panel
from thermosat.physics.presets import (DEFAULT_CELL_STACK, CellTechnology, Coating, Layer,
                                       cell_technology, coating)
from thermosat.solve.linear import LinearSolver

__all__ = ["SatelliteDesign", "Satellite", "SatelliteResult", "OrbitResult", "WING_STACK",
           "grid_shell", "ENERGY_TOL_REL", "limit_violations"]

#: relative energy imbalance above which a steady result is flagged (solves reach ~1e-12)
ENERGY_TOL_REL = 1e-6

#: honeycomb radiator wing: two aluminium face sheets on a 12 mm core (effective properties)
WING_STACK = (
    Layer("front_sheet", 0.5e-3, 167.0, 2700.0, 900.0),
    Layer("core", 12e-3, 1.5, 50.0, 900.0),
    Layer("back_sheet", 0.5e-3, 167.0, 2700.0, 900.0),
)


def grid_shell(xs: np.ndarray, ys: np.ndarray, origin=(0.0, 0.0, 0.0)) -> Mesh:
    """Quad shell on the tensor grid ``xs × ys`` (m) in the plane z = origin[2]."""
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    pts = np.stack([X.ravel(), Y.ravel(), np.zeros(X.size)], axis=1) + np.asarray(origin, float)
    nx, ny = len(xs) - 1, len(ys) - 1
    idx = np.arange(len(xs) * len(ys)).reshape(len(xs), len(ys))
    q = np.stack([idx[:-1, :-1], idx[1:, :-1], idx[1:, 1:], idx[:-1, 1:]], axis=-1)
    return Mesh(pts, q.reshape(-1, 4), "quad4", {"domain": np.arange(nx * ny)})


def _axis(length: float, h: float) -> np.ndarray:
    return np.linspace(0.0, length, max(2, int(np.ceil(length / h)) + 1))


class _PackageSchurSolver(LinearSolver):
    """Linear solves of a satellite model with the chip packages eliminated first.

    Each package is a 3D conduction block joined to the rest of the model only through its
    cold-plate link to one coolant node. Its block is linear (constant between Newton steps),
    so it is factorised once — identical copies share one factorisation — and eliminating it
    (Schur complement) changes the rest of the system only on those few coolant nodes. The
    rest (2D panel layers and coolant) goes to :class:`LinearSolver`'s reused-factorisation
    path. Why: at ~1e5 unknowns a whole-system LU fills in the 3D blocks badly (COLAMD:
    75M entries, 22 s) and AMG-preconditioned GMRES stalls at 200–350 iterations on the
    layered panel, whose through-thickness links are ~1e4× stiffer than its in-plane
    conduction (295 s for a steady solve at 72,721 unknowns; this solver: ~15 s at 98,641).
    Each solve is iteratively refined to the requested relative residual.
    """

    def __init__(self, blocks: list[tuple[int, int]], n: int, max_coupled: int = 1000):
        super().__init__("auto", direct_max=10**9)
        self.blocks = [(int(lo), int(hi)) for lo, hi in blocks]
        mask = np.ones(n, bool)
        for lo, hi in self.blocks:
            mask[lo:hi] = False
        self.rest = np.flatnonzero(mask)
        self.pk = np.flatnonzero(~mask)
        self.max_coupled = max_coupled
        self._inner = LinearSolver("auto", direct_max=10**9)
        self._lus: list = []  # per block: (csr block, SuperLU)
        self.block_factorizations = 0

    def _block_lus(self, A):
        import scipy.sparse.linalg as spla

        lus = []
        for i, (lo, hi) in enumerate(self.blocks):
            P = A[lo:hi, lo:hi].tocsr()
            P.sort_indices()
            lu = None
            for Q, f in ([self._lus[i]] if i < len(self._lus) else []) + lus:
                if (Q.shape == P.shape and Q.nnz == P.nnz and np.array_equal(Q.indptr, P.indptr)
                        and np.array_equal(Q.indices, P.indices)
                        and np.max(np.abs(Q.data - P.data), initial=0.0)
                        <= 1e-12 * np.max(np.abs(P.data), initial=0.0)):
                    lu = f
                    break
            if lu is None:  # symmetric positive definite conduction block
                lu = spla.splu(P.tocsc(), permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                               options={"SymmetricMode": True})
                self.block_factorizations += 1
            lus.append((P, lu))
        self._lus = lus
        return [f for _, f in lus]

    def solve(self, A, b, symmetric, rtol=1e-10, x0=None):
        import scipy.sparse as sp

        A = sp.csr_matrix(A)
        rows_pk = A[self.pk]
        C = rows_pk[:, self.rest].tocsc()             # package rows, other columns
        F = np.flatnonzero(np.diff(C.indptr))         # other unknowns the packages touch
        within = sum(int(A.indptr[hi] - A.indptr[lo]) - int(
            np.count_nonzero((A.indices[A.indptr[lo]:A.indptr[hi]] < lo)
                             | (A.indices[A.indptr[lo]:A.indptr[hi]] >= hi)))
            for lo, hi in self.blocks)
        if (not self.blocks or len(F) > self.max_coupled
                or rows_pk.nnz - C.nnz != within):      # blocks coupled to each other
            return super().solve(A, b, symmetric, rtol, x0)
        rows_rest = A[self.rest]
        Q = rows_rest[:, self.rest]
        D = rows_rest[:, self.pk].tocsr()             # other rows, package columns
        lus = self._block_lus(A)
        offs = np.cumsum([0] + [hi - lo for lo, hi in self.blocks])

        def p_solve(rhs):                             # block-diagonal package solve
            out = np.empty_like(rhs)
            for a, z, lu in zip(offs[:-1], offs[1:], lus):
                out[a:z] = lu.solve(np.ascontiguousarray(rhs[a:z]))
            return out

        Cf = C[:, F].tocsr()
        Cf.sort_indices()
        ids = tuple(id(f) for f in lus)
        z = getattr(self, "_z", None)
        if (z is not None and z[0] == ids and z[1].shape == Cf.shape
                and np.array_equal(z[1].indptr, Cf.indptr)
                and np.array_equal(z[1].indices, Cf.indices) and np.array_equal(z[1].data, Cf.data)):
            Z = z[2]                                  # same blocks, same coupling: reuse
        else:                                         # Z = P⁻¹ C_F, block by block, only the
            Z = np.zeros((len(self.pk), len(F)))      # columns each block touches
            for a, e, lu in zip(offs[:-1], offs[1:], lus):
                blk = Cf[a:e]
                cols = np.unique(blk.indices)
                if cols.size:
                    Z[a:e, cols] = lu.solve(np.ascontiguousarray(blk[:, cols].toarray()))
            self._z = (ids, Cf, Z)
        corr = D @ Z                                  # nonzero on the coupled rows only
        G = np.flatnonzero(np.any(corr != 0.0, axis=1))
        S = (Q - sp.csr_matrix((corr[G].ravel(), (np.repeat(G, len(F)), np.tile(F, len(G)))),
                               shape=Q.shape)).tocsr()
        bnorm = float(np.linalg.norm(b))
        x = np.zeros(len(b))
        r = np.array(b, float)
        its = 0
        for _ in range(4):
            y = p_solve(r[self.pk])
            n0 = len(self._inner.iterations)
            xr = self._inner.solve(S, r[self.rest] - D @ y, False, rtol=max(rtol, 1e-14))
            its += sum(self._inner.iterations[n0:])
            x[self.rest] += xr
            x[self.pk] += y - Z @ xr[F]
            r = b - A @ x
            if bnorm == 0.0 or np.linalg.norm(r) <= rtol * bnorm:
                break
        self.iterations.append(its)
        self.factorizations = self._inner.factorizations + self.block_factorizations
        return x


def _reassemble_linear(model: Model) -> None:
    """Re-assemble the built system's constant matrix after linear terms changed in place
    (link conductances): much cheaper than rebuilding the system (pattern and slots)."""
    s = model._system
    if s is None:
        return
    s.A_data = s.pattern.zeros()
    for term in s.terms:
        term.add_matrix(s.A_data)
    s.A = s.pattern.matrix(s.A_data)


@dataclass
class SatelliteDesign:
    """Everything that defines one satellite (SI units, K).

    The steady design point is the hot case at orbit angle ``steady_theta_deg`` from noon.
    Compute power is what the panel's electricity allows: P_compute = P_pv·(1 − losses) −
    P_pump; distribution losses and pump work end as heat in the coolant.
    """

    orbit: Orbit
    cell_area_m2: float
    wing_area_m2: float = 0.0
    panel_radiator_area_m2: float = 0.0
    panel_width_m: float = 10.0
    wing_width_m: float = 5.0
    element_size_m: float = 0.5
    layers: tuple[Layer, ...] = DEFAULT_CELL_STACK
    wing_layers: tuple[Layer, ...] = WING_STACK
    cell: CellTechnology = field(default_factory=lambda: cell_technology("hjt"))
    packing: float = 0.90
    panel_back: Coating = field(default_factory=lambda: coating("z93"))
    panel_radiator_front: Coating = field(default_factory=lambda: coating("osr"))
    wing_coating: Coating = field(default_factory=lambda: coating("z93"))
    n_packages: int = 12
    package: PackageSpec | None = None
    package_mesh_density: int = 6
    loop: LoopSpec = field(default_factory=LoopSpec)
    distribution_loss_fraction: float = 0.05
    solar_constant_w_m2: float = 1361.0
    albedo: float = 0.30
    earth_ir_w_m2: float = 237.0
    steady_theta_deg: float = 0.0
    cell_max_k: float | None = None
    # surface exchange: wing–panel–bus infrared exchange (acts only when there are wings)
    surface_exchange: bool = True

    def __post_init__(self):
        for name in ("cell_area_m2", "panel_width_m", "wing_width_m", "element_size_m"):
            if not getattr(self, name) > 0:
                raise InputError(f"satellite {name}: {getattr(self, name)} must be > 0")
        for name in ("wing_area_m2", "panel_radiator_area_m2"):
            if getattr(self, name) < 0:
                raise InputError(f"satellite {name}: {getattr(self, name)} must be ≥ 0")
        if self.wing_area_m2 == 0 and self.panel_radiator_area_m2 == 0:
            raise InputError("satellite: needs radiator area (wing_area_m2 or "
                             "panel_radiator_area_m2 > 0)")
        if not 0 <= self.distribution_loss_fraction < 1:
            raise InputError(f"satellite distribution_loss_fraction: "
                             f"{self.distribution_loss_fraction} is outside [0, 1)")
        if self.n_packages < 1:
            raise InputError(f"satellite n_packages: {self.n_packages} must be ≥ 1")
        if not isinstance(self.surface_exchange, (bool, np.bool_)):  # surface exchange
            raise InputError(f"satellite surface_exchange: {self.surface_exchange!r} must be "
                             "true or false")
        if self.package is None:
            from thermosat.physics.package_presets import preset

            self.package = preset("gb300")

    @property
    def radiator_area_m2(self) -> float:
        """Loop-cooled radiator area (m²): wings plus the panel's radiator strip (one side)."""
        return self.wing_area_m2 + self.panel_radiator_area_m2

    @property
    def exchange_enabled(self) -> bool:
        """Whether the wing–panel–bus radiative exchange is modelled (needs wings)."""
        return bool(self.surface_exchange) and self.wing_area_m2 > 0

    @property
    def cell_limit_k(self) -> float:
        return self.cell_max_k if self.cell_max_k is not None else self.cell.t_max_k

    def with_areas(self, **areas) -> "SatelliteDesign":
        return replace(self, **areas)


def limit_violations(limits: dict) -> list[str]:
    """Names of the limits a result's ``limits`` dict fails (a NaN margin fails too):
    ``junction``, ``cells``, ``coolant_freeze``, ``coolant_boil`` (closer than the required
    margin) and ``energy_balance`` (relative imbalance above its tolerance)."""
    need = limits["required_coolant_margin_k"]
    ok = {"junction": limits["junction_margin_k"] >= 0.0,
          "cells": limits["cell_margin_k"] >= 0.0,
          "coolant_freeze": limits["freeze_margin_k"] >= need,
          "coolant_boil": limits["boil_margin_k"] >= need,
          "energy_balance": limits.get("energy_imbalance_rel", 0.0)
          <= limits.get("energy_tolerance_rel", ENERGY_TOL_REL)}
    return [k for k, v in ok.items() if not v]


@dataclass
class SatelliteResult:
    """Steady satellite solution: fields, power budget, limits and energy balance."""

    design: SatelliteDesign
    model: Model
    T: np.ndarray
    energy: object
    power: dict
    temperatures: dict
    limits: dict
    convergence: list
    fixed_point: list
    time_s: float
    steady: object = None
    # surface exchange: breakdown of the radiative exchange (W), None without it
    exchange: dict | None = None

    def summary(self) -> str:
        t, p = self.temperatures, self.power
        return (f"junction max {t['junction_max_k']:.2f} K ({t['junction_max_k'] - 273.15:.1f} °C)"
                f", cells max {t['cell_max_k']:.2f} K, coolant {t['coolant_min_k']:.2f}–"
                f"{t['coolant_max_k']:.2f} K; PV {p['pv_w'] / 1e3:.2f} kW, compute "
                f"{p['compute_w'] / 1e3:.2f} kW, pump {p['pump_w']:.1f} W; energy imbalance "
                f"{self.energy.imbalance_rel:.1e}; "
                + ("LIMITS VIOLATED: " + ", ".join(self.limits["violations"])
                   if self.limits.get("violations") else "all limits met"))


@dataclass
class OrbitResult:
    """Orbit transient: time series of key temperatures and powers, min/max, freeze flag."""

    times_s: np.ndarray
    series: dict
    extremes: dict
    freeze: bool
    boil: bool
    transient: object
    time_s: float


class Satellite:
    """A satellite built into one :class:`Model` from a :class:`SatelliteDesign`."""

    def __init__(self, design: SatelliteDesign):
        self.design = d = design
        self.model = Model()
        env = OrbitEnvironment(d.orbit, attitude="sun_pointing", solar_constant=d.solar_constant_w_m2,
                               albedo=d.albedo, earth_ir=d.earth_ir_w_m2)
        self.environment = env
        self._theta = np.radians(d.steady_theta_deg)
        self.panel_fluxes = FluxProvider(env, "sun_pointing", theta_rad=self._theta)
        self.wing_fluxes = FluxProvider(env, "edge_on", theta_rad=self._theta)
        # element size grows with area beyond ~4000 cells per surface so that large trial
        # areas in a sizing do not blow up the model
        h = max(d.element_size_m, math.sqrt(max(d.cell_area_m2 + d.panel_radiator_area_m2,
                                                d.wing_area_m2 / 2) / 4000.0))
        # panel: cells strip then radiator strip along x
        lc = d.cell_area_m2 / d.panel_width_m
        lr = d.panel_radiator_area_m2 / d.panel_width_m
        xs = _axis(lc, h)
        if lr > 0:
            xs = np.concatenate([xs, lc + _axis(lr, h)[1:]])
        ys = _axis(d.panel_width_m, h)
        pmesh = grid_shell(xs, ys)
        cx = pmesh.points[pmesh.cells].mean(axis=1)[:, 0]
        regions = {"cells": np.flatnonzero(cx < lc)}
        if lr > 0:
            regions["radiator"] = np.flatnonzero(cx >= lc)
        # surface exchange: oriented front/back facets of each region
        pmesh = with_oriented_faces(pmesh.with_regions(cell_regions=regions), regions)
        pspec = PanelSpec(pmesh, layers=d.layers, cell=d.cell, packing=d.packing,
                          front={"radiator": d.panel_radiator_front},
                          back={"cells": d.panel_back, "radiator": d.panel_back})
        self.panel: Panel = build_panel(self.model, "panel", pspec, self.panel_fluxes)
        sections = []
        if lr > 0:
            sections.append(RadiatorSection(self.panel.back_part, "radiator"))
        # wings: two edge-on radiators along the panel's long edges, towards −z (geometry.py)
        self.wings: list[Panel] = []
        if d.wing_area_m2 > 0:
            wl = d.wing_area_m2 / 2 / d.wing_width_m
            for k in range(2):
                wm = wing_mesh(k, xs[-1], d.panel_width_m, wl, d.wing_width_m, h)
                wspec = PanelSpec(wm, layers=d.wing_layers, front={"radiator": d.wing_coating},
                                  back={"radiator": d.wing_coating})
                wing = build_panel(self.model, f"wing{k + 1}", wspec, self.wing_fluxes)
                self.wings.append(wing)
                sections.append(RadiatorSection(wing.layer_parts[0], "radiator"))
        # surface exchange: bus box and one exchange among panel back, wings and bus
        self.exchange = None
        if d.exchange_enabled:
            self.exchange = add_satellite_exchange(self.model, d, self.panel, self.wings,
                                                   self.panel_fluxes, self.wing_fluxes, h)
        # packages in a row behind the panel
        self.packages: list[Package] = []
        pitch = 2.0 * d.package.cold_plate.size_x_m
        for i in range(d.n_packages):
            origin = (i * pitch, 0.5 * d.panel_width_m, -0.5)
            pk = build_package(self.model, f"pkg{i + 1:02d}", d.package,
                               mesh_density=d.package_mesh_density, origin=origin)
            pk.center = np.asarray(origin, float)
            self.packages.append(pk)
        self.loop: Loop = build_loop(self.model, "loop", d.loop, sections, self.packages)
        fl = self.loop.fluid
        from thermosat.terms.loads import NodalHeat

        off = self.model.parts[self.loop.part].offset
        self.loss_heat = NodalHeat(self.loop.nodes["packages"] + off, 0.0, "power:distribution_losses")
        self.model.add_term(self.loss_heat)
        # electricity the chips cannot take (above their rating) is dumped back on the cells
        self._shunt_w = 0.0
        self.rated_compute_w = np.inf
        if "cells" in self.panel.spec.regions:
            cell_part = self.panel.layer_part(self.panel.spec.cell_layer)
            self.model.heat_flux(f"{cell_part}/face_cells",
                                 lambda t: self._shunt_w / d.cell_area_m2, name="power:shunt")
        self._fluid_limits = (fl.T_freeze, fl.T_boil)

    # --- power coupling -----------------------------------------------------------------------
    @property
    def n_unknowns(self) -> int:
        return self.model.n_nodes

    def linear_solver(self) -> LinearSolver:
        """The satellite's linear solver (packages eliminated first), kept between solves so
        that its factorisations are reused."""
        if getattr(self, "_linear", None) is None:
            blocks = []
            for pk in self.packages:
                part = self.model.parts[pk.part]
                blocks.append((part.offset, part.offset + part.mesh.n_points))
            self._linear = _PackageSchurSolver(blocks, self.model.n_nodes)
        return self._linear

    def _set_compute_power(self, p_compute: float, p_pv: float, p_pump: float) -> None:
        """Chips burn ``p_compute`` up to their rating; the rest returns to the cells (W)."""
        d = self.design
        p_compute = max(p_compute, 0.0)
        self._shunt_w = max(p_compute - self.rated_compute_w, 0.0)
        per = min(p_compute, self.rated_compute_w) / d.n_packages
        for pk in self.packages:
            pk.set_power(self.model, per)
        self.loss_heat.watts = d.distribution_loss_fraction * p_pv / d.n_packages
        self.loop.pump_heat.watts = p_pump

    def _budget(self, T: np.ndarray, t: float) -> tuple[float, float, float]:
        """(PV electric W, pump W, compute W available) at temperatures ``T``."""
        d = self.design
        p_pv = self.panel.pv.electric_power_w(T, t) if self.panel.pv else 0.0
        Tf = self.loop.fluid_temperatures(self.model, T)
        p_pump = self.loop.hydraulics(float(Tf.mean()))["pump_power_w"]
        return p_pv, p_pump, p_pv * (1 - d.distribution_loss_fraction) - p_pump

    def solve_steady(self, *, rtol: float = 1e-11, power_tol: float = 1e-11,
                     max_outer: int = 30, progress=None) -> SatelliteResult:
        """Steady hot-case solve with the power loop closed by a secant iteration.

        The chips burn exactly the electricity the panel makes at its temperature (less
        losses and pump power); the tube film coefficient follows the coolant temperature.
        """
        t0 = time.perf_counter()
        d, m = self.design, self.model
        # initial guess: cells at their reference temperature, pump at 1 % of PV
        g = self.panel_fluxes.sunlight("front")(0.0)
        p_pv = d.cell.efficiency(d.cell.t_ref_k) * d.packing * g * d.cell_area_m2
        p_pump = 0.0
        p_c = p_pv * (1 - d.distribution_loss_fraction)
        T = None
        history, convs = [], []
        prev = None
        res = None
        for k in range(max_outer):
            self._set_compute_power(p_c, p_pv, p_pump)
            try:
                res = m.solve_steady(T0=T, rtol=rtol, linear=self.linear_solver())
            except ConvergenceError as err:
                raise ConvergenceError(f"satellite steady solve (outer iteration {k}, compute "
                                       f"{p_c:.1f} W): {err}", err.history) from None
            T = res.T
            convs.append(res.convergence)
            p_pv_new, p_pump_new, p_avail = self._budget(T, 0.0)
            f = p_avail - p_c
            history.append({"compute_w": p_c, "available_w": p_avail, "mismatch_w": f})
            if progress:
                progress(k, f)
            # film coefficient follows the coolant temperature in the first iterations
            if k < 2:
                Tf = self.loop.fluid_temperatures(m, T)
                self.loop.set_film_coefficient(self.loop.heat_transfer(float(Tf.mean())))
                _reassemble_linear(m)
            converged = abs(f) <= power_tol * max(p_pv_new, 1.0) and abs(
                p_pump_new - p_pump) <= power_tol * max(p_pv_new, 1.0) and k >= 2
            if converged:
                p_pv, p_pump = p_pv_new, p_pump_new
                break
            if prev is None or k < 3:
                p_next = p_avail
            else:
                pc0, f0 = prev
                slope = (f - f0) / (p_c - pc0) if p_c != pc0 else -1.0
                p_next = p_c - f / slope if slope != 0 else p_avail
            prev = (p_c, f)
            p_c, p_pv, p_pump = p_next, p_pv_new, p_pump_new
        else:
            raise ConvergenceError(f"satellite power loop did not close in {max_outer} outer "
                                   f"iterations: mismatch {history[-1]['mismatch_w']:.3e} W",
                                   [h["mismatch_w"] for h in history])
        return self._result(res, p_pv, p_pump, p_c, history, convs, time.perf_counter() - t0)

    def temperatures(self, T: np.ndarray) -> dict:
        """Key temperatures (K) of the satellite at nodal temperatures ``T``."""
        m = self.model
        Tf = self.loop.fluid_temperatures(m, T)
        Tc = self.panel.cell_temperatures(m, T)
        out = {"junction_max_k": max(pk.junction_temperature(T) for pk in self.packages),
               "junction_mean_k": float(np.mean([pk.mean_junction_temperature(T)
                                                 for pk in self.packages])),
               "cell_max_k": float(Tc.max()), "cell_mean_k": float(Tc.mean()),
               "coolant_min_k": float(Tf.min()), "coolant_max_k": float(Tf.max()),
               "coolant_mean_k": float(Tf.mean())}
        for w in self.wings:
            p = m.parts[w.layer_parts[0]]
            out[f"{w.name}_mean_k"] = float(T[p.offset:p.offset + p.mesh.n_points].mean())
        if "radiator" in self.panel.spec.regions:
            out["panel_radiator_mean_k"] = float(T[self.panel.region_nodes(m, "radiator")].mean())
        if "bus" in m.parts:  # surface exchange
            out["bus_mean_k"] = float(T[m.parts["bus"].nodes].mean())
        return out

    def _result(self, res, p_pv, p_pump, p_c, history, convs, wall) -> SatelliteResult:
        d, m, T = self.design, self.model, res.T
        temps = self.temperatures(T)
        lim = self.loop.limits(m, T)
        jl = d.package.t_junction_max_k
        limits = {
            "junction_limit_k": jl, "junction_margin_k": jl - temps["junction_max_k"],
            "cell_limit_k": d.cell_limit_k, "cell_margin_k": d.cell_limit_k - temps["cell_max_k"],
            "coolant_freeze_k": lim.T_freeze, "coolant_boil_k": lim.T_boil,
            "freeze_margin_k": lim.freeze_margin, "boil_margin_k": lim.boil_margin,
            "required_coolant_margin_k": d.loop.freeze_margin_k,
            "coolant_message": lim.message,
            "energy_imbalance_rel": float(res.energy.imbalance_rel),
            "energy_tolerance_rel": ENERGY_TOL_REL,
        }
        limits["violations"] = limit_violations(limits)
        q_rad = self.loop.heat_to_radiators_w(T)
        power = {"pv_w": p_pv, "compute_w": p_c, "pump_w": p_pump,
                 "distribution_losses_w": d.distribution_loss_fraction * p_pv,
                 "heat_to_radiators_w": q_rad,
                 "radiator_flux_w_m2": q_rad / d.radiator_area_m2,
                 "closure_w": p_pv - p_c - p_pump - d.distribution_loss_fraction * p_pv}
        exchange = (self.exchange.term.exchange_summary(T)  # surface exchange
                     if self.exchange is not None else None)
        return SatelliteResult(d, m, T, res.energy, power, temps, limits, convs, history, wall,
                               steady=res, exchange=exchange)

    # --- orbit transient ------------------------------------------------------------------------
    def solve_orbit(self, steady: SatelliteResult, *, n_orbits: float = 1.0, steps: int = 180,
                    scheme: str = "bdf2", progress: bool = False) -> OrbitResult:
        """Orbit transient from the steady hot case, the power loop following the sun.

        Throttling policy (no battery, as in the article): each step the chips burn the
        electricity the panel made at the end of the previous step, less losses and pump
        power, up to their rating (the steady compute power); in eclipse that is zero.
        Electricity above the rating is not drawn: it stays in the cells as heat (shunt).
        Heat capacities: panel and wing layers, coolant inventory, packages.
        """
        t0 = time.perf_counter()
        d, m = self.design, self.model
        if getattr(steady, "model", None) is not m:  # its film coefficient and power state
            raise InputError("solve_orbit: the steady result was not solved by this Satellite; "
                             "pass this satellite's own solve_steady() result (the coolant "
                             "film coefficient and power state come from it)")
        period = self.environment.period_s
        # time-dependent fluxes: t = 0 at the steady orbit angle
        t_off = self._theta / (2 * np.pi) * period
        for prov in (self.panel_fluxes, self.wing_fluxes):
            prov.theta, prov._cache = None, {}
            prov.t_offset = t_off
        state = {"p_pv": steady.power["pv_w"], "p_pump": steady.power["pump_w"]}
        self.rated_compute_w = steady.power["compute_w"]
        series = {k: [] for k in ("t_s", "junction_max_k", "cell_max_k", "coolant_min_k",
                                  "coolant_max_k", "pv_w", "compute_w")}

        def record(t, T, p_c):
            temps = self.temperatures(T)
            series["t_s"].append(t)
            for k in ("junction_max_k", "cell_max_k", "coolant_min_k", "coolant_max_k"):
                series[k].append(temps[k])
            series["pv_w"].append(state["p_pv"])
            series["compute_w"].append(p_c)

        def on_step(k, t, T):
            p_pv, p_pump, p_avail = self._budget(T, t)
            state.update(p_pv=p_pv, p_pump=p_pump)
            self._set_compute_power(max(p_avail, 0.0), p_pv, p_pump)
            record(t, T, min(max(p_avail, 0.0), self.rated_compute_w))

        record(0.0, steady.T, steady.power["compute_w"])
        dt = n_orbits * period / steps
        try:
            tr = m.solve_transient(n_orbits * period, dt, steady.T, scheme=scheme, lumped=True,
                                   linear=self.linear_solver(),
                                   save_every=max(1, steps // 36), on_step=on_step,
                                   progress=progress)
        finally:
            for prov in (self.panel_fluxes, self.wing_fluxes):
                prov.theta, prov._cache = self._theta, {}
                prov.t_offset = 0.0
            self.rated_compute_w = np.inf
            self._set_compute_power(steady.power["compute_w"], steady.power["pv_w"],
                                    steady.power["pump_w"])
        arr = {k: np.asarray(v) for k, v in series.items()}
        freeze_k, boil_k = self._fluid_limits
        extremes = {"junction_max_k": float(arr["junction_max_k"].max()),
                    "junction_min_k": float(arr["junction_max_k"].min()),
                    "cell_max_k": float(arr["cell_max_k"].max()),
                    "cell_min_k": float(arr["cell_max_k"].min()),
                    "coolant_min_k": float(arr["coolant_min_k"].min()),
                    "coolant_max_k": float(arr["coolant_max_k"].max()),
                    "eclipse_fraction": self.environment.eclipse_fraction,
                    "period_s": period,
                    "max_step_imbalance": tr.max_step_imbalance}
        freeze = bool(extremes["coolant_min_k"] < freeze_k + d.loop.freeze_margin_k)
        boil = bool(extremes["coolant_max_k"] > boil_k - d.loop.freeze_margin_k)
        return OrbitResult(arr["t_s"], arr, extremes, freeze, boil, tr,
                           time.perf_counter() - t0)
