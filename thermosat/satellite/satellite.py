"""One satellite: dual-face panel, edge-on radiator wings, coolant loop and chip packages in
one global system, with the power loop closed and an orbit transient.

Geometry (m): the panel lies in the x–y plane, cells from x = 0, then its radiator-only strip;
two wings of ``wing_area_m2 / 2`` each stand edge-on along its long edges, extending to the
shaded side (−z); a bus box sits behind the panel centre; packages sit in a row behind the
panel (:mod:`thermosat.satellite.geometry`). With ``surface_exchange`` (default, when there are
wings) the panel back, the wings and the bus exchange infrared radiation (gray, diffuse) and
see the 3 K sink through the rest of their view; without it each surface sees only the
environment and the sink, and there is no bus.
"""

from __future__ import annotations

import gc
import math
import time
import numpy as np

from thermosat.common.errors import ConvergenceError, InputError
from thermosat.mesh.generators import grid_shell
from thermosat.model.model import Model
from thermosat.physics.battery import BatteryLedger
from thermosat.physics.environment import OrbitEnvironment
from thermosat.physics.heaters import build_heater
from thermosat.physics.loop import Loop, RadiatorSection, build_loop
from thermosat.physics.package import Package, build_package
from thermosat.physics.panel import FluxProvider, Panel, PanelSpec, build_panel
from thermosat.satellite.design import (ENERGY_TOL_REL, WING_STACK, SatelliteDesign, chip_limits,
                                       limit_violations)
from thermosat.satellite.geometry import (_axis, add_satellite_exchange, wing_mesh,
                                          with_oriented_faces)
from thermosat.satellite.result import OrbitResult, SatelliteResult
from thermosat.solve.linear import LinearSolver
from thermosat.solve.schur import PackageSchurSolver

__all__ = ["SatelliteDesign", "Satellite", "SatelliteResult", "OrbitResult", "WING_STACK",
           "grid_shell", "ENERGY_TOL_REL", "limit_violations"]


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


class Satellite:
    """A satellite built into one :class:`Model` from a :class:`SatelliteDesign`."""

    def __init__(self, design: SatelliteDesign):
        # a built satellite holds reference cycles (loads are closures on it) around its
        # large arrays; studies build hundreds in a row, and Python's cycle collector runs
        # too rarely to see the arrays: collect the dead ones before building another
        # (measured: +30 MB per coarse solve without it, flat with it)
        gc.collect()
        self.design = d = design
        self.model = Model()
        env = OrbitEnvironment(d.orbit, attitude="sun_pointing", solar_constant=d.solar_constant_w_m2,
                               albedo=d.albedo, earth_ir=d.earth_ir_w_m2,
                               albedo_model=d.albedo_model)
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
        # placement (issue 14): an MLI-covered cell region back is one low-ε face
        from thermosat.satellite.placement import MLI_BACK

        pspec = PanelSpec(pmesh, layers=d.layers, cell=d.cell, packing=d.packing,
                          front={"radiator": d.panel_radiator_front},
                          back={"cells": MLI_BACK if d.panel_back_mli else d.panel_back,
                                "radiator": d.panel_back})
        self.panel: Panel = build_panel(self.model, "panel", pspec, self.panel_fluxes)
        sections = []
        if lr > 0:
            sections.append(RadiatorSection(self.panel.back_part, "radiator"))
        # wings: two edge-on radiators where the placement puts them (placement.py)
        self.wings: list[Panel] = []
        if d.wing_area_m2 > 0:
            wl = d.wing_area_m2 / 2 / d.wing_width_m
            for k in range(2):
                wm = wing_mesh(k, xs[-1], d.panel_width_m, wl, d.wing_width_m, h,
                               pitch_m=(d.loop.pipe_pitch_m if d.fin_elements_per_pitch
                                        else None),
                               per_pitch=d.fin_elements_per_pitch or 2,
                               placement=d.placement, boom_length_m=d.boom_length_m)
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
        # orbital heating on the real geometry: blocked Earth view, reflected albedo (issue 13)
        self.heating = None
        if d.environment_blockage and self.exchange is not None:
            from thermosat.satellite.heating import add_environment_heating

            self.heating = add_environment_heating(self)
        # packages in a row behind the panel
        self.packages: list[Package] = []
        pitch = 2.0 * d.package.cold_plate.size_x_m
        for i in range(d.n_packages):
            origin = (i * pitch, 0.5 * d.panel_width_m, -0.5)
            pk = build_package(self.model, f"pkg{i + 1:02d}", d.package,
                               mesh_density=d.package_mesh_density, origin=origin)
            pk.center = np.asarray(origin, float)
            self.packages.append(pk)
        self.loop: Loop = build_loop(self.model, "loop", d.loop, sections, self.packages,
                                     ds_m=h if d.fin_elements_per_pitch else None,
                                     coldplate_nodes=d.coldplate_fluid_nodes)
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
        self.heater, self.battery_heat = self._build_eclipse_power()

    def _build_eclipse_power(self):
        """Thermostat heater on the pump inlet, sensing the radiator return (the node just
        upstream of the pump), and the battery's heat into the coolant at the pump (issue 12
        item 5; :mod:`thermosat.physics.heaters`, :mod:`thermosat.physics.battery`)."""
        from thermosat.terms.loads import NodalHeat

        d, lp = self.design, self.loop
        off = self.model.parts[lp.part].offset
        pump = int(lp.nodes["pump"][0])
        sensor = int(lp.edges[lp.edges[:, 1] == pump][0, 0])
        eps = [d.wing_coating.epsilon] if d.wing_area_m2 > 0 else []
        if "radiator" in self.panel.spec.regions:
            eps.append(self.panel.spec.back_coating("radiator").epsilon)
        heater = build_heater(self.model, d.heaters, pump + off, sensor + off,
                              t_freeze_k=lp.fluid.T_freeze,
                              freeze_margin_k=d.loop.freeze_margin_k,
                              radiator_area_m2=d.radiator_area_m2, epsilon=max(eps),
                              name="power:heater")
        bheat = NodalHeat(np.array([pump + off]), 0.0, "power:battery_losses")
        self.model.add_term(bheat)
        return heater, bheat

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
            self._linear = PackageSchurSolver(blocks, self.model.n_nodes)
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
        p_heat = self.heater.power_w(T) if self.heater is not None else 0.0  # issue 12
        return p_pv, p_pump, p_pv * (1 - d.distribution_loss_fraction) - p_pump - p_heat

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
        # chips burn at most their rated total when a cap is set (rated_compute_w); the rest
        # of the electricity stays in the cells (shunt). The pump and the heaters are fed
        # first: when they alone need more than the bus gives (an oversized radiator below
        # the heater set point) the chips get nothing and the shortfall is a violated limit
        # (power_budget), never a negative compute
        burned = min(max(p_c, 0.0), self.rated_compute_w)
        shunt = max(p_c - burned, 0.0)
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
            "power_shortfall_w": max(-p_c, 0.0),
            **chip_limits(d, burned),  # chip above its rating: a violated limit (issue 12)
        }
        limits["violations"] = limit_violations(limits)
        q_rad = self.loop.heat_to_radiators_w(T)
        p_heat = self.heater.power_w(T) if self.heater is not None else 0.0  # issue 12
        power = {"pv_w": p_pv, "compute_w": burned, "shunt_w": shunt, "pump_w": p_pump,
                 "heater_w": p_heat,
                 "distribution_losses_w": d.distribution_loss_fraction * p_pv,
                 "heat_to_radiators_w": q_rad,
                 "radiator_flux_w_m2": q_rad / d.radiator_area_m2,
                 "closure_w": p_pv - burned - shunt - p_pump - p_heat
                 - d.distribution_loss_fraction * p_pv}
        exchange = (self.exchange.term.exchange_summary(T)  # surface exchange
                     if self.exchange is not None else None)
        return SatelliteResult(d, m, T, res.energy, power, temps, limits, convs, history, wall,
                               steady=res, exchange=exchange)

    # --- orbit transient ------------------------------------------------------------------------
    def solve_orbit(self, steady: SatelliteResult, *, n_orbits: float = 1.0, steps: int = 180,
                    scheme: str = "bdf2", progress: bool = False, periodic: bool | None = None,
                    cyclic_tol_k: float = 0.05, max_orbits: int = 12) -> OrbitResult:
        """Orbit transient from the steady hot case, the power loop following the sun, run
        until the orbit repeats.

        Power policy (issue 12 item 5): nothing runs without a source. Each step the bus
        (PV after distribution losses) feeds the pump, the thermostat heaters
        (:mod:`thermosat.physics.heaters`, implicit in the step) and the battery's recharge
        (up to its C-rate, until full), and the chips burn what is left up to their rating
        (the steady compute power); electricity above the rating stays in the cells as heat
        (shunt). In eclipse (no direct sun on the panel at the next step) the chips run
        ``design.eclipse_compute_fraction`` of their rating and the battery delivers
        pump + heaters + that compute; whenever the bus falls short of the loads booked for
        a step the battery delivers the difference (:mod:`thermosat.physics.battery`). The
        battery's losses heat the coolant. Heat capacities: panel and wing layers, coolant
        inventory, packages.

        Repeating orbit (issue 12 item 7): with ``periodic`` (default: when ``n_orbits`` ≥ 1)
        whole orbits of ``steps`` steps are run, each from the end state of the previous
        one (the battery state carried over), until the largest nodal temperature change
        between the same phase of two consecutive orbits (every saved frame) is at most
        ``cyclic_tol_k`` and at least ``ceil(n_orbits)`` orbits have run, or ``max_orbits``
        orbits; the series and extremes are those of the last orbit and
        ``extremes["orbit_cyclic_residual_k"]`` is that measured change (None after one orbit;
        every orbit's in ``OrbitResult.cyclic_residuals_k``).
        The state decays towards the periodic orbit by a factor ~20 per orbit (default
        VLEO): from the steady noon point 4–5 orbits. (Warm-up orbits at a third of the
        steps were tried and do not pay: their periodic state differs from the full-step one
        by ~10 K at the power switching, so the full-step orbits start no closer.) Without
        ``periodic`` one transient of ``n_orbits`` orbits is run.
        """
        t0 = time.perf_counter()
        d, m = self.design, self.model
        if getattr(steady, "model", None) is not m:  # its film coefficient and power state
            raise InputError("solve_orbit: the steady result was not solved by this Satellite; "
                             "pass this satellite's own solve_steady() result (the coolant "
                             "film coefficient and power state come from it)")
        if not (cyclic_tol_k > 0 and int(max_orbits) >= 1):
            raise InputError(f"solve_orbit: cyclic_tol_k {cyclic_tol_k} must be > 0 K and "
                             f"max_orbits {max_orbits} ≥ 1")
        periodic = n_orbits >= 1 if periodic is None else bool(periodic)
        period = self.environment.period_s
        # time-dependent fluxes: t = 0 at the steady orbit angle
        t_off = self._theta / (2 * np.pi) * period
        for prov in (self.panel_fluxes, self.wing_fluxes):
            prov.theta, prov._cache = None, {}
            prov.t_offset = t_off
        self.rated_compute_w = steady.power["compute_w"]
        length = period if periodic else n_orbits * period
        dt = length / steps
        n_min = max(1, int(math.ceil(n_orbits - 1e-9))) if periodic else 1
        ledger = BatteryLedger(d.battery)
        plan = {"compute_w": steady.power["compute_w"], "pump_w": steady.power["pump_w"],
                "pv_w": steady.power["pv_w"], "shunt_w": steady.power["shunt_w"]}
        T = steady.T
        frames_prev, residuals, orbits = None, [], 0
        try:
            while True:
                series, ledger = self._orbit_leg(T, length, dt, steps, scheme, progress,
                                                 ledger, plan)
                tr = series.pop("_transient")
                orbits += 1
                frames = np.asarray(tr.frames)
                if frames_prev is not None:
                    residuals.append(float(np.abs(frames - frames_prev).max()))
                frames_prev, T = frames, tr.frames[-1]
                if not periodic or orbits >= int(max_orbits) or (
                        orbits >= n_min and residuals and residuals[-1] <= cyclic_tol_k):
                    break
        finally:
            for prov in (self.panel_fluxes, self.wing_fluxes):
                prov.theta, prov._cache = self._theta, {}
                prov.t_offset = 0.0
            self.rated_compute_w = np.inf
            self.battery_heat.watts = 0.0
            self._set_compute_power(steady.power["compute_w"], steady.power["pv_w"],
                                    steady.power["pump_w"])
        arr = {k: np.asarray(v) for k, v in series.items()}
        freeze_k, boil_k = self._fluid_limits
        dark = arr["eclipse"]
        cap = ledger.capacity_wh
        extremes = {"junction_max_k": float(arr["junction_max_k"].max()),
                    "junction_min_k": float(arr["junction_max_k"].min()),
                    "cell_max_k": float(arr["cell_max_k"].max()),
                    "cell_min_k": float(arr["cell_max_k"].min()),
                    "coolant_min_k": float(arr["coolant_min_k"].min()),
                    "coolant_max_k": float(arr["coolant_max_k"].max()),
                    "coolant_min_eclipse_k": (float(arr["coolant_min_k"][dark].min())
                                              if dark.any() else None),
                    "freeze_margin_k": float(arr["coolant_min_k"].min()) - freeze_k,
                    "eclipse_fraction": self.environment.eclipse_fraction,
                    "period_s": period,
                    "max_step_imbalance": tr.max_step_imbalance,
                    "orbits": orbits,
                    "orbit_cyclic_residual_k": residuals[-1] if residuals else None,
                    "heater_power_max_w": float(arr["heater_w"].max()),
                    "heater_power_mean_w": float(arr["heater_w"][1:].mean()),
                    "heater_max_power_w": (self.heater.max_power_w if self.heater is not None
                                           else 0.0),
                    "heater_set_point_k": (self.heater.set_point_k if self.heater is not None
                                           else None),
                    "battery_capacity_wh": cap,
                    "battery_depth_max_wh": ledger.max_depth_j / 3600.0,
                    "battery_depth_of_discharge": (ledger.max_depth_j / 3600.0 / cap
                                                   if cap > 0 else 0.0),
                    "battery_delivered_wh": ledger.delivered_j / 3600.0,
                    "battery_charged_wh": ledger.charged_j / 3600.0,
                    "battery_depth_change_wh": (series["battery_depth_wh"][-1]
                                                - series["battery_depth_wh"][0]),
                    "battery_mass_kg": d.battery.mass_kg(cap),
                    "compute_mean_w": float(arr["compute_w"][1:].mean()),
                    "eclipse_compute_fraction": d.eclipse_compute_fraction}
        freeze = bool(extremes["coolant_min_k"] < freeze_k + d.loop.freeze_margin_k)
        boil = bool(extremes["coolant_max_k"] > boil_k - d.loop.freeze_margin_k)
        return OrbitResult(arr["t_s"], arr, extremes, freeze, boil, tr,
                           time.perf_counter() - t0, cyclic_residuals_k=residuals)

    def _orbit_leg(self, T0, length, dt, steps, scheme, progress, prev: BatteryLedger, plan):
        """One transient of ``length`` s from ``T0`` with the power policy of
        :meth:`solve_orbit`; returns its series (with the transient under ``_transient``)
        and the battery ledger of the leg (starting from ``prev``'s state of charge)."""
        d, m = self.design, self.model
        f_loss = d.distribution_loss_fraction
        rated = self.rated_compute_w
        led = BatteryLedger(d.battery, depth_j=prev.depth_j,
                            sizing_depth_j=max(prev.max_depth_j, prev.sizing_depth_j))
        keys = ("t_s", "junction_max_k", "cell_max_k", "coolant_min_k", "coolant_max_k",
                "pv_w", "compute_w", "pump_w", "heater_w", "battery_discharge_w",
                "battery_charge_w", "battery_heat_w", "battery_depth_wh", "eclipse")
        series = {k: [] for k in keys}

        def dark_at(t):
            return float(self.panel_fluxes.faces(t)["front"].solar[0]) <= 0.0

        def record(t, T, row, p_pv, p_heat, dark):
            temps = self.temperatures(T)
            series["t_s"].append(t)
            for k in ("junction_max_k", "cell_max_k", "coolant_min_k", "coolant_max_k"):
                series[k].append(temps[k])
            series["pv_w"].append(p_pv)
            series["compute_w"].append(plan["compute_w"])
            series["pump_w"].append(plan["pump_w"])
            series["heater_w"].append(p_heat)
            series["battery_discharge_w"].append(row["discharge_w"])
            series["battery_charge_w"].append(row["charge_w"])
            series["battery_heat_w"].append(row["heat_w"])
            series["battery_depth_wh"].append(led.depth_j / 3600.0)
            series["eclipse"].append(dark)

        def on_step(k, t, T):
            # book the step just taken with the loads it ran (compute and pump as set
            # before it, heater at its implicit temperature)
            p_pv, p_pump, _ = self._budget(T, t)
            p_heat = self.heater.power_w(T) if self.heater is not None else 0.0
            # (the shunt is what is left: its heat on the cells is set one step ahead)
            surplus = p_pv * (1 - f_loss) - plan["compute_w"] - plan["pump_w"] - p_heat
            row = led.step(dt, max(-surplus, 0.0), min(max(surplus, 0.0), led.charge_limit_w(dt)))
            record(t, T, row, p_pv, p_heat, dark_at(t))
            # plan the next step
            dark = dark_at(t + dt)
            if dark:  # the stated eclipse policy, from the battery
                p_c = d.eclipse_compute_fraction * rated
            else:     # what the bus leaves after pump, heaters and recharge
                p_c = max(p_pv * (1 - f_loss) - p_pump - p_heat - led.charge_limit_w(dt), 0.0)
            self._set_compute_power(p_c, p_pv, p_pump)
            plan.update(compute_w=min(p_c, rated), pump_w=p_pump, pv_w=p_pv,
                        shunt_w=self._shunt_w)
            self.battery_heat.watts = row["heat_w"]

        zero = {"discharge_w": 0.0, "charge_w": 0.0, "heat_w": 0.0}
        p_heat0 = self.heater.power_w(T0) if self.heater is not None else 0.0
        p_pv0 = self.panel.pv.electric_power_w(T0, 0.0) if self.panel.pv else 0.0
        record(0.0, T0, zero, p_pv0, p_heat0, dark_at(0.0))
        tr = m.solve_transient(length, dt, T0, scheme=scheme, lumped=True,
                               linear=self.linear_solver(), save_every=max(1, steps // 36),
                               on_step=on_step, progress=progress)
        series["_transient"] = tr
        return series, led
