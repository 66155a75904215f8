"""Compose meshes, materials and conditions into one global thermal system.

Example
-------
>>> from thermosat import Model, mesh
>>> m = Model(mesh.rectangle(1.0, 0.5, 40, 20, cell="tri3"))
>>> m.material(conductivity=170.0, thickness_m=2e-3)
>>> m.heat_source(q_w_m3=1e5)
>>> m.radiation("all", emissivity=0.9, t_sink_k=3.0)
>>> res = m.solve_steady()
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermosat.common.errors import InputError, MeshError
from thermosat.fem.quadrature import quadrature_degree as _degree
from thermosat.fem.kernels import SIGMA
from thermosat.fem.integration import CellSet
from thermosat.mesh.core import CELL_DIM, Mesh
from thermosat.terms.base import Term
from thermosat.terms.conduction import Capacitance, Conduction
from thermosat.terms.loads import Convection, HeatInput
from thermosat.terms.radiation import RadiationToSink

__all__ = ["Model", "Part", "TimeTable"]


@dataclass
class Part:
    """A mesh placed in the model; its nodes are ``offset .. offset + n_points``."""

    name: str
    mesh: Mesh
    offset: int
    conduction: bool = True

    @property
    def nodes(self) -> np.ndarray:
        return np.arange(self.offset, self.offset + self.mesh.n_points)


@dataclass
class _Material:
    cells: np.ndarray
    conductivity: object
    rho_c: float | None
    scale: float


def _region_cells(mesh: Mesh, region: str | None) -> np.ndarray:
    """Cell indices of ``region``; ``None`` or ``domain`` mean every cell unless the mesh
    defines a region of that name."""
    if region in (None, "domain") and "domain" not in mesh.cell_regions:
        return np.arange(mesh.n_cells)
    return mesh.region(region or "domain")


def _check_value(name: str, value, lo: float | None = None, hi: float | None = None,
                 unit: str = "") -> None:
    if callable(value):
        return
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name}: must be finite, got {value!r}")
    if lo is not None and np.any(arr < lo) or hi is not None and np.any(arr > hi):
        rng = f"[{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
        raise InputError(f"{name}: {value!r} {unit} is outside the allowed range {rng}")


class TimeTable:
    """A piecewise-linear function of time from ``[(t_s, value), ...]`` (constant beyond the
    ends), as accepted by every condition that may vary in time."""

    def __init__(self, t_s: np.ndarray, values: np.ndarray):
        self.t_s = np.ascontiguousarray(t_s, float)
        self.values = np.ascontiguousarray(values, float)

    def __call__(self, t: float) -> float:
        return float(np.interp(t, self.t_s, self.values))

    def __repr__(self) -> str:
        return f"TimeTable({len(self.t_s)} points, t {self.t_s[0]:g}..{self.t_s[-1]:g} s)"


def _pair_table(name: str, value, what: str) -> tuple[np.ndarray, np.ndarray]:
    """``[(x, v), ...]`` → sorted (x, v) arrays with distinct finite x; one-line InputError."""
    try:
        tab = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        tab = None
    if tab is None or tab.ndim != 2 or tab.shape[1] != 2 or tab.shape[0] < 1:
        raise InputError(f"{name}: expected a table [({what}, value), ...], got {value!r}")
    if not np.all(np.isfinite(tab)):
        raise InputError(f"{name}: table entries must be finite, got {value!r}")
    tab = tab[np.argsort(tab[:, 0], kind="stable")]
    if np.any(np.diff(tab[:, 0]) <= 0):
        raise InputError(f"{name}: table {what} values must be distinct")
    return tab[:, 0].copy(), tab[:, 1].copy()


def _condition_value(name: str, value, lo: float | None = None, hi: float | None = None,
                     unit: str = "", per_facet: bool = False):
    """A condition value as a number, a per-facet array (``per_facet``) or a function of time.

    Accepted: a number; a table ``[(t_s, value), ...]`` (→ :class:`TimeTable`); a callable of
    time (s), checked here by calling it at t = 0. Anything else is refused with a one-line
    :class:`InputError` naming ``name`` and what is allowed.
    """
    allowed = ("a number, " + ("a per-facet (per-node, per-cell) array, " if per_facet else "")
               + "a table [(t_s, value), ...] or a callable of time t (s)")
    if isinstance(value, TimeTable):
        _check_value(name, value.values, lo, hi, unit)
        return value
    if callable(value):
        try:
            v0 = np.asarray(value(0.0), dtype=float)
        except Exception as err:  # noqa: BLE001 - any failure of the user's function
            raise InputError(f"{name}: the callable failed at t = 0 s ({type(err).__name__}: "
                             f"{err}); expected {allowed}") from None
        if v0.ndim > (1 if per_facet else 0):
            raise InputError(f"{name}: the callable returned shape {v0.shape} at t = 0 s; "
                             f"expected {allowed}")
        _check_value(name, v0, lo, hi, unit)
        return value
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise InputError(f"{name}: {value!r} is not {allowed}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {value!r} is not {allowed}") from None
    if arr.ndim == 0:
        _check_value(name, float(arr), lo, hi, unit)
        return float(arr)
    if arr.ndim == 1 and per_facet:
        _check_value(name, arr, lo, hi, unit)
        return arr
    if arr.ndim == 2 and arr.shape[1] == 2:
        ts, vs = _pair_table(name, value, "t_s")
        _check_value(name, vs, lo, hi, unit)
        return TimeTable(ts, vs)
    raise InputError(f"{name}: an array of shape {arr.shape} is not {allowed}")


_KINDS_WITH_BOUNDARY = ("fixed_temperature", "heat_flux", "convection", "radiation",
                        "surface_radiation")
_AXI_CELLS = ("tri3", "tri6", "quad4")


def _check_axisymmetric(name: str, mesh: Mesh) -> None:
    """An axisymmetric part must be an r–z mesh: 2D cells in z = 0 with r = x ≥ 0."""
    if mesh.cell_type not in _AXI_CELLS:
        raise InputError(f"part {name!r}: axisymmetric models take cells {_AXI_CELLS}, "
                         f"got {mesh.cell_type!r}")
    size = float(np.ptp(mesh.points[:, :2], axis=0).max()) or 1.0
    if np.abs(mesh.points[:, 2]).max() > 1e-9 * size:
        raise InputError(f"part {name!r}: an axisymmetric mesh lies in the z = 0 plane "
                         f"(x = r, y = z); it has points with z != 0")
    if mesh.points[:, 0].min() < -1e-9 * size:
        raise InputError(f"part {name!r}: an axisymmetric mesh needs r = x >= 0; min x = "
                         f"{mesh.points[:, 0].min():.6g} m")


class Model:
    """A thermal model over one or more meshes (parts) with one global temperature vector (K).

    Names of regions and boundaries are ``"part/name"``, or just ``"name"`` when there is one
    part (or for the first part added).

    ``axisymmetric=True`` makes an r–z model: 2D meshes (tri3, tri6, quad4) in the z = 0
    plane with r = x ≥ 0 (the axis is x = 0) and z = y; conduction, capacitance, sources,
    heat flux, convection and radiation are integrated over the body of revolution (every
    integral weighted by 2πr, so facets on the axis carry no area), heat flows are those of
    the full 360°, and materials take no thickness.
    """

    def __init__(self, mesh: Mesh | None = None, *, name: str = "main",
                 axisymmetric: bool = False):
        if not isinstance(axisymmetric, bool):
            raise InputError(f"axisymmetric: {axisymmetric!r} is not one of True, False")
        self.axisymmetric = axisymmetric
        self.parts: dict[str, Part] = {}
        self._materials: dict[str, list[_Material]] = {}
        self._bcs: list[tuple] = []
        self._fixed: list[tuple[np.ndarray, object]] = []
        self._fixed_names: list[str] = []
        #: condition name -> (kind, boundary or region)
        self.conditions: dict[str, tuple[str, str | None]] = {}
        self._condition_terms: dict[str, list[Term]] = {}
        self._surface_radiation: dict = {}
        self._splits: dict = {}
        self._extra_terms: list[Term] = []
        self._term_factories: list = []
        self._system = None
        if mesh is not None:
            self.add_part(name, mesh)

    # --- parts ----------------------------------------------------------------------------
    def add_part(self, name: str, mesh: Mesh, *, conduction: bool = True) -> Part:
        """Add ``mesh`` as part ``name``; returns the part (with its node offset).

        ``conduction=False`` makes a part whose nodes only carry terms added with
        :meth:`add_term` (coolant nodes, for example); it needs no material.
        """
        if name in self.parts:
            raise InputError(f"part {name!r} already exists")
        if self.axisymmetric and conduction:
            _check_axisymmetric(name, mesh)
        part = Part(name, mesh, self.n_nodes, conduction)
        self.parts[name] = part
        self._materials[name] = []
        self._system = None
        return part

    @property
    def n_nodes(self) -> int:
        return sum(p.mesh.n_points for p in self.parts.values())

    @property
    def points(self) -> np.ndarray:
        """All node coordinates (m), parts concatenated."""
        if not self.parts:
            return np.zeros((0, 3))
        return np.concatenate([p.mesh.points for p in self.parts.values()])

    def part(self, name: str | None = None) -> Part:
        """Part ``name`` (default: the first part added)."""
        if name is None:
            return self._part(None)[0]
        if name not in self.parts:
            raise InputError(f"part {name!r} does not exist; parts: {sorted(self.parts)}")
        return self.parts[name]

    def _part(self, name: str | None) -> tuple[Part, str | None]:
        if not self.parts:
            raise InputError("model has no mesh; add one with Model(mesh) or add_part()")
        if name is not None and "/" in name:
            pname, local = name.split("/", 1)
            if pname not in self.parts:
                raise InputError(f"part {pname!r} does not exist; parts: {sorted(self.parts)}")
            return self.parts[pname], local
        return next(iter(self.parts.values())), name

    def _facets(self, boundary: str):
        part, local = self._part(boundary)
        b = part.mesh.boundary(local)
        return part, b.facets.astype(np.int64) + part.offset, b.facet_type

    # --- materials and conditions ---------------------------------------------------------
    def material(self, region: str | None = None, *, conductivity, density: float | None = None,
                 specific_heat: float | None = None, thickness_m: float | None = None,
                 area_m2: float | None = None) -> None:
        """Give cells of ``region`` (default: every cell of the part) a material.

        conductivity : W/m/K, or a table ``[(T_K, k), ...]`` (then the solve is nonlinear)
        density : kg/m³; specific_heat : J/kg/K (both needed for transients)
        thickness_m : plate thickness for 2D cells (in-plane conduction k·t)
        area_m2 : cross-section for 1D cells
        """
        part, local = self._part(region)
        cells = _region_cells(part.mesh, local)
        dim = part.mesh.dim
        if self.axisymmetric:
            if thickness_m is not None or area_m2 is not None:
                raise InputError(f"material {region!r}: an axisymmetric model takes no "
                                 f"thickness_m or area_m2 (the body of revolution is 3D)")
            scale = 1.0
        elif dim == 2:
            if thickness_m is None:
                raise InputError(f"material {region!r}: 2D cells need thickness_m (m)")
            scale = thickness_m
            _check_value("thickness_m", thickness_m, 1e-300, None, "m")
        elif dim == 1:
            if area_m2 is None:
                raise InputError(f"material {region!r}: 1D cells need area_m2 (m²)")
            scale = area_m2
            _check_value("area_m2", area_m2, 1e-300, None, "m²")
        else:
            scale = 1.0
        if np.isscalar(conductivity):
            _check_value("conductivity", conductivity, 1e-300, None, "W/m/K")
        rho_c = None
        if density is not None or specific_heat is not None:
            if density is None or specific_heat is None:
                raise InputError(f"material {region!r}: give both density and specific_heat")
            _check_value("density", density, 1e-300, None, "kg/m³")
            _check_value("specific_heat", specific_heat, 1e-300, None, "J/kg/K")
            rho_c = float(density) * float(specific_heat)
        self._materials[part.name].append(_Material(np.asarray(cells), conductivity, rho_c,
                                                    float(scale)))
        self._system = None

    def _register(self, kind: str, where: str | None, name: str | None) -> str:
        """Check and record the name of a condition (default ``kind[where]``)."""
        if name is None:
            base = f"{kind}[{where if where is not None else 'domain'}]"
            name, k = base, 1
            while name in self.conditions:   # the same kind twice on one boundary
                k += 1
                name = f"{base}#{k}"
        if not isinstance(name, str) or not name:
            raise InputError(f"{kind} name: {name!r} must be a non-empty string")
        if name in self.conditions:
            raise InputError(f"{kind} name: {name!r} is already used by a "
                             f"{self.conditions[name][0]} condition; pass another name=")
        self.conditions[name] = (kind, where)
        self._system = None
        return name

    def fixed_temperature(self, boundary: str, value_k, *, name: str | None = None) -> None:
        """Hold the nodes of ``boundary`` at ``value_k`` (K: a number, a table
        ``[(t_s, T_K), ...]`` or a callable of time in s).

        The heat needed to hold them (the reaction, W, from the residual of the assembled
        system at these nodes) is reported as ``result.heat_flow(name)``; default name
        ``fixed_temperature[<boundary>]``. A node in two fixed boundaries belongs to the
        last one declared (its value is the one imposed).
        """
        value_k = _condition_value(f"fixed_temperature {boundary!r} value_k", value_k, 0.0,
                                   None, "K", per_facet=True)
        _, facets, _ = self._facets(boundary)
        name = self._register("fixed_temperature", boundary, name)
        self._fixed.append((np.unique(facets), value_k))
        self._fixed_names.append(name)

    def heat_flux(self, boundary: str, q_w_m2, *, name: str | None = None) -> None:
        """Heat flux into the body through ``boundary`` (W/m²: a number, a per-facet array,
        a table ``[(t_s, q), ...]`` or a callable of time in s); default name
        ``heat_flux[<boundary>]``."""
        q_w_m2 = _condition_value(f"heat_flux {boundary!r} q_w_m2", q_w_m2, per_facet=True,
                                  unit="W/m²")
        self._facets(boundary)
        label = name
        name = self._register("heat_flux", boundary, name)
        self._bcs.append(("flux", boundary, q_w_m2, name, label or "heat_flux"))

    def convection(self, boundary: str, h_w_m2k, t_inf_k, *, h_of: str = "time",
                   name: str | None = None) -> None:
        """Convection to a fluid at ``t_inf_k`` with film coefficient ``h_w_m2k``.

        t_inf_k : K, a number, a table ``[(t_s, T_K), ...]`` or a callable of time (s)
        h_w_m2k : W/m²/K, a number, or with ``h_of="time"`` a table ``[(t_s, h), ...]`` or a
            callable of time, or with ``h_of="temperature"`` a table ``[(T_K, h), ...]`` of the
            surface temperature (piecewise linear, constant beyond its ends; nonlinear solve)
        name : default ``convection[<boundary>]``; its heat entering and leaving the model are
            reported separately (``heat_flow(name + ":in")``, ``":out"``)
        """
        if h_of not in ("time", "temperature"):
            raise InputError(f"convection h_of: {h_of!r} is not one of 'time', 'temperature'")
        if h_of == "temperature":
            if callable(h_w_m2k) or np.ndim(h_w_m2k) != 2:
                raise InputError("convection h_w_m2k: with h_of='temperature' give a table "
                                 f"[(T_K, h), ...], got {h_w_m2k!r}")
            tab_t, tab_h = _pair_table("convection h_w_m2k", h_w_m2k, "T_K")
            _check_value("convection h_w_m2k", tab_h, 0.0, None, "W/m²/K")
            _check_value("convection h_w_m2k table T_K", tab_t, 0.0, None, "K")
            h = ("temperature", tab_t, tab_h)
        else:
            h = _condition_value("convection h_w_m2k", h_w_m2k, 0.0, None, "W/m²/K")
        t_inf_k = _condition_value("convection t_inf_k", t_inf_k, 0.0, None, "K")
        self._facets(boundary)
        name = self._register("convection", boundary, name)
        self._bcs.append(("convection", boundary, (h, t_inf_k), name, "convection"))

    def radiation(self, boundary: str, emissivity, *, t_sink_k=3.0,
                  absorbed_flux_w_m2=0.0, name: str | None = None,
                  sigma: float = SIGMA) -> None:
        """Radiation from ``boundary`` to a sink at ``t_sink_k`` (K, default 3 K).

        emissivity : in [0, 1], or a table ``[(T_K, ε), ...]``
        t_sink_k : K, a number, a table ``[(t_s, T_K), ...]`` or a callable of time (s)
        absorbed_flux_w_m2 : external flux absorbed by the surface (W/m²: α·solar + ε·Earth IR
            ...), a number, per-facet array, table ``[(t_s, q), ...]`` or callable of time (s)
        sigma : Stefan–Boltzmann constant (W/m²/K⁴), CODATA by default; benchmarks that
            publish their own value (NAFEMS: 5.67e-8) pass it here
        name : default ``radiation[<boundary>]``
        """
        if np.isscalar(emissivity):
            _check_value("emissivity", emissivity, 0.0, 1.0)
        else:
            tab_t, tab_e = _pair_table("emissivity", emissivity, "T_K")
            _check_value("emissivity", tab_e, 0.0, 1.0)
        t_sink_k = _condition_value("radiation t_sink_k", t_sink_k, 0.0, None, "K")
        absorbed_flux_w_m2 = _condition_value("radiation absorbed_flux_w_m2",
                                              absorbed_flux_w_m2, per_facet=True, unit="W/m²")
        self._facets(boundary)
        for cname, (kind, where) in self.conditions.items():
            if kind == "surface_radiation" and boundary in where:
                raise InputError(f"radiation: boundary {boundary!r} already radiates "
                                 f"(surface_radiation condition {cname!r})")
        name = self._register("radiation", boundary, name)
        self._bcs.append(("radiation", boundary, (emissivity, t_sink_k, absorbed_flux_w_m2,
                                                  sigma), name, name))

    def add_surface_radiation(self, boundaries, emissivity, *, enclosure: bool = False,
                              t_sink_k: float = 3.0, symmetry_planes=None,
                              name: str | None = None, obstruction: bool = True,
                              sigma: float = SIGMA, use_cache: bool = True) -> str:
        """Gray diffuse surface-to-surface radiation among named ``boundaries``.

        boundaries : list of boundary names (``"part/name"``): line2 facets of a 2D planar
            model (view factors by Hottel's crossed strings, per unit depth times the plate
            thickness, i.e. a slice of a body infinitely long in z) or flat tri3/quad4 facets
            in 3D. Facets of the boundary of a 2D/3D body radiate away from it; shell facets
            (boundary = cells) to the side of their right-hand normal.
        emissivity : one value for all, or ``{boundary: ε}`` for each, in (0, 1]
        enclosure : ``True`` if the boundaries close a cavity (every row of view factors is
            scaled to sum to one); else the rest ``1 − Σ_j F_ij`` of each facet's view goes to
            a black sink at ``t_sink_k`` (K, a number ≥ 0)
        symmetry_planes : ``[(point, normal), ...]`` (m): mirror planes of the geometry; each
            facet also sees the mirror images of the facets (a half or sector model then
            radiates as the whole body; two planes at 180°/k make a sector)
        obstruction : facets shadow each other (ray tests); ``False`` only for convex views
        sigma : Stefan–Boltzmann constant (W/m²/K⁴)
        name : default ``surface_radiation[<b1>,<b2>...]``; ``result.heat_flow(name)`` is the
            net heat the exchange brings into the model (minus what leaves to the sink; 0 for
            an enclosure), ``name:<boundary>`` and ``boundary:<boundary>`` that through each
            boundary; the energy table lists ``name:<a>→<b>`` transfers and ``→space`` losses.

        The exchange is one :class:`~thermosat.terms.surface_exchange.SurfaceExchange` term
        (the satellite's); its zone-coupled Newton tangent adds a part ``<name>_zones``
        without conduction (a few auxiliary unknowns, no physics). Gray (ε constant) and
        constant ``t_sink_k`` only. Returns the condition name. Not for axisymmetric models.
        """
        from thermosat.model.surface_radiation import SurfaceRadiation

        if self.axisymmetric:
            raise InputError("add_surface_radiation: axisymmetric models are not supported "
                             "(view factors of bodies of revolution are not implemented); "
                             "use radiation(...) to a sink")
        if isinstance(boundaries, str):
            boundaries = [boundaries]
        try:
            boundaries = list(boundaries)
        except TypeError:
            raise InputError(f"add_surface_radiation boundaries: {boundaries!r} is not a list "
                             "of boundary names") from None
        if not boundaries or not all(isinstance(b, str) for b in boundaries):
            raise InputError(f"add_surface_radiation boundaries: {boundaries!r} is not a "
                             "non-empty list of boundary names")
        if len(set(boundaries)) != len(boundaries):
            raise InputError(f"add_surface_radiation boundaries: {boundaries!r} lists a "
                             "boundary twice")
        for b in boundaries:
            part, local = self._part(b)
            if local not in part.mesh.boundaries:
                raise InputError(f"add_surface_radiation boundaries: {b!r} does not exist; "
                                 f"known boundaries of part {part.name!r}: "
                                 f"{sorted(part.mesh.boundaries) or 'none'}")
            for cname, (kind, where) in self.conditions.items():
                if kind in ("radiation", "surface_radiation") and (
                        where == b or isinstance(where, (list, tuple)) and b in where):
                    raise InputError(f"add_surface_radiation: boundary {b!r} already radiates "
                                     f"({kind} condition {cname!r}); one radiation condition "
                                     "per boundary")
        if isinstance(emissivity, dict):
            unknown = sorted(set(emissivity) - set(boundaries))
            missing = [b for b in boundaries if b not in emissivity]
            if unknown or missing:
                raise InputError(f"add_surface_radiation emissivity: give one value per "
                                 f"boundary {boundaries}; unknown {unknown}, missing {missing}")
            eps = dict(emissivity)
        else:
            eps = {b: emissivity for b in boundaries}
        for b, e in eps.items():
            if isinstance(e, bool) or not isinstance(e, (int, float, np.floating, np.integer)) \
                    or not (0.0 < float(e) <= 1.0):
                raise InputError(f"add_surface_radiation emissivity[{b!r}]: {e!r} is outside "
                                 "the allowed range (0, 1] (a constant: gray surfaces)")
            eps[b] = float(e)
        if not isinstance(enclosure, bool):
            raise InputError(f"add_surface_radiation enclosure: {enclosure!r} is not one of "
                             "True, False")
        if isinstance(t_sink_k, bool) or not isinstance(t_sink_k, (int, float, np.floating,
                                                                   np.integer)) \
                or not (np.isfinite(t_sink_k) and t_sink_k >= 0):
            raise InputError(f"add_surface_radiation t_sink_k: {t_sink_k!r} is not a "
                             "temperature >= 0 K (a constant)")
        _check_value("add_surface_radiation sigma", sigma, 1e-300, None, "W/m²/K⁴")
        from thermosat.radiation.mirror import check_planes

        check_planes(symmetry_planes)
        if name is None:
            name = f"surface_radiation[{','.join(boundaries)}]"
        name = self._register("surface_radiation", list(boundaries), name)
        try:
            cond = SurfaceRadiation(self, boundaries, eps, enclosure, float(t_sink_k),
                                    symmetry_planes, name, sigma=float(sigma),
                                    obstruction=bool(obstruction), use_cache=use_cache)
        except InputError:
            del self.conditions[name]
            raise
        self._surface_radiation[name] = cond
        self._bcs.append(("surface_radiation", boundaries, cond, name, name))
        return name

    def heat_source(self, region: str | None = None, *, q_w_m3=None, power_w=None,
                    name: str | None = None) -> None:
        """Volumetric heat source in ``region``: ``q_w_m3`` (W/m³) or total ``power_w`` (W),
        each a number, a table ``[(t_s, value), ...]`` or a callable of time (s); default
        name ``source[<region>]``."""
        if (q_w_m3 is None) == (power_w is None):
            raise InputError("heat_source: give exactly one of q_w_m3 (W/m³) or power_w (W)")
        if q_w_m3 is not None:
            q_w_m3 = _condition_value("heat_source q_w_m3", q_w_m3, per_facet=True,
                                      unit="W/m³")
        else:
            power_w = _condition_value("heat_source power_w", power_w, unit="W")
        part, local = self._part(region)
        _region_cells(part.mesh, local)
        name = self._register("source", region, name)
        self._bcs.append(("source", region, (q_w_m3, power_w), name, "source"))

    def add_term(self, term: Term) -> None:
        """Add a physics term built elsewhere (loops, packages, surface exchange...)."""
        self._extra_terms.append(term)
        self._system = None

    def add_term_factory(self, factory) -> None:
        """Add ``factory(model, points) -> Term | list[Term]``, called when the system is built.

        Use it for terms that need the global node coordinates (all parts placed), e.g.
        links between parts or cell sets of other components.
        """
        self._term_factories.append(factory)
        self._system = None

    def cells(self, name: str | None, *, boundary: bool = False, kind: str = "load",
              points: np.ndarray | None = None, per_area: bool = False) -> CellSet:
        """A :class:`CellSet` over region or boundary ``name`` ("part/name"), global numbering.

        ``kind`` picks the quadrature (``stiffness``, ``mass``, ``load``, ``radiation``); facets
        of 2D plates carry the plate thickness as scale, like every boundary condition; so do
        cells of 2D plates (volumetric terms) unless ``per_area`` (terms given per m² of plate).
        """
        points = self.points if points is None else points
        if boundary:
            scales = {p.name: self._node_scale(p) for p in self.parts.values()}
            return self._facet_set(name, points, scales, kind)
        part, local = self._part(name)
        mesh = part.mesh
        cells = _region_cells(mesh, local)
        conn = mesh.cells[cells].astype(np.int64) + part.offset
        scale = None if per_area else self._cell_scale(part)[cells]
        return CellSet(points, conn, mesh.cell_type, self._qdeg(mesh.cell_type, kind), scale,
                       axisymmetric=self.axisymmetric)

    def _cell_scale(self, part: Part) -> np.ndarray:
        """Thickness (m, 2D) or cross-section (m², 1D) of every cell of ``part``; 1 in 3D."""
        cs = np.ones(part.mesh.n_cells)
        for mat in self._materials[part.name]:
            cs[mat.cells] = mat.scale
        return cs

    def _node_scale(self, part: Part) -> np.ndarray:
        """Per node, the largest scale of the cells around it (what facets inherit)."""
        mesh = part.mesh
        if not part.conduction or not self._materials[part.name]:
            return np.ones(mesh.n_points)
        ns = np.zeros(mesh.n_points)
        per_node = np.repeat(self._cell_scale(part), mesh.cells.shape[1])
        np.maximum.at(ns, mesh.cells.ravel(), per_node)
        return ns

    # --- building -------------------------------------------------------------------------
    def _cell_terms(self, part: Part, points: np.ndarray) -> list[Term]:
        mesh = part.mesh
        mats = self._materials[part.name]
        if not part.conduction:
            return []
        if not mats:
            raise InputError(f"part {part.name!r} has no material; call material(...)")
        covered = np.zeros(mesh.n_cells, bool)
        terms: list[Term] = []
        for i, mat in enumerate(mats):
            conn = mesh.cells[mat.cells].astype(np.int64) + part.offset
            covered[mat.cells] = True
            scale = np.full(len(conn), mat.scale)
            terms.append(Conduction(CellSet(points, conn, mesh.cell_type,
                                            self._qdeg(mesh.cell_type, "stiffness"), scale,
                                            axisymmetric=self.axisymmetric),
                                    mat.conductivity, name=f"conduction[{part.name}:{i}]"))
            if mat.rho_c is not None:
                terms.append(Capacitance(CellSet(points, conn, mesh.cell_type,
                                                 self._qdeg(mesh.cell_type, "mass"), scale,
                                                 axisymmetric=self.axisymmetric),
                                         mat.rho_c))
        if not covered.all():
            first = int(np.flatnonzero(~covered)[0])
            raise MeshError(f"part {part.name!r}: {int((~covered).sum())} cells have no "
                            f"material (first: cell {first})")
        return terms

    def _facet_set(self, boundary, points, node_scales, degree_kind):
        part, facets, ftype = self._facets(boundary)
        if CELL_DIM[ftype] < part.mesh.dim:
            scale = node_scales[part.name][facets - part.offset].mean(axis=1)
        else:
            scale = np.ones(len(facets))
        return CellSet(points, facets, ftype, self._qdeg(ftype, degree_kind), scale,
                       axisymmetric=self.axisymmetric)

    def _qdeg(self, cell_type: str, kind: str) -> int:
        """Quadrature degree for ``kind`` on ``cell_type``; the 2πr weight of axisymmetric
        models adds one."""
        return _degree(cell_type, kind) + (1 if self.axisymmetric else 0)

    def build(self):
        """Assemble the global system (done once; cached until the model changes)."""
        from thermosat.solve.system import System

        if self._system is not None:
            return self._system
        points = self.points
        terms: list[Term] = []
        for part in self.parts.values():
            terms += self._cell_terms(part, points)
        node_scales = {p.name: self._node_scale(p) for p in self.parts.values()}
        self._condition_terms = {}
        self._splits = {}
        for kind, where, value, name, label in self._bcs:
            made: list[Term] = []
            if kind == "flux":
                made.append(HeatInput(self._facet_set(where, points, node_scales, "load"),
                                      value, label))
            elif kind == "convection":
                h, tinf = value
                cells = self._facet_set(where, points, node_scales, "mass")
                if isinstance(h, tuple):
                    # h(T): the integrand h(T)(T − T_inf) N_a is of higher degree
                    cells = self._facet_set(where, points, node_scales, "radiation")
                    made.append(Convection(cells, 0.0, tinf, label, h_of_temperature=h[1:]))
                else:
                    made.append(Convection(cells, h, tinf, label))
            elif kind == "radiation":
                eps, tsink, absorbed, sigma = value
                cells = self._facet_set(where, points, node_scales, "radiation")
                made.append(RadiationToSink(cells, eps, tsink, name=name, sigma=sigma))
                if callable(absorbed) or np.any(np.asarray(absorbed) != 0):
                    made.append(HeatInput(cells, absorbed, f"{name}:absorbed"))
            elif kind == "source":
                made.append(self._source_term(where, value, points))
            elif kind == "surface_radiation":
                made += value.build(self, points, node_scales)
            self._condition_terms[name] = made
            terms += made
        terms += self._extra_terms
        for factory in self._term_factories:
            made = factory(self, points)
            terms += made if isinstance(made, list) else [made]
        self._system = System(len(points), terms, self._fixed)
        return self._system

    def _source_term(self, region, value, points) -> Term:
        cs = self.cells(region, kind="load", points=points)
        q_w_m3, power_w = value
        if power_w is not None:
            volume = float(cs.measure.sum())
            if callable(power_w):
                q_w_m3 = (lambda t, p=power_w, v=volume: float(p(t)) / v)
            else:
                q_w_m3 = float(power_w) / volume
        return HeatInput(cs, q_w_m3, "source")

    # --- heat flows per condition and boundary -------------------------------------------
    def heat_flows(self, system, T: np.ndarray, t: float, R: np.ndarray | None) -> dict:
        """Heat flow (W, + into the model) of every named condition and of every boundary
        that carries one, from the assembled system at temperatures ``T`` (K), time ``t``.

        Each condition's flow is the sum over nodes of its own part of the residual
        (``F − A T − N`` of its terms), so the flows add up to the discrete balance exactly;
        fixed-temperature conditions get the reaction ``R`` (residual of the whole assembled
        system, mass term included) at their nodes. ``name:in`` / ``name:out`` (≥ 0) are the
        heat the condition brings in and takes out, summed over the facets of its boundary
        where the facet's heat is positive / negative (the boundary flux recovered from the
        nodal heats with the boundary mass matrix, :mod:`thermosat.model.heat_split`, so
        that the consistent loads of quadratic facets, negative at the corners of a uniform
        inflow, do not show as heat leaving); sources split by node.
        Boundary entries are ``boundary:<name>`` (sum of the conditions on it).
        """
        out: dict[str, float] = {}
        per_node: dict[str, np.ndarray] = {}
        for name, terms in self._condition_terms.items():
            q = np.zeros(system.n)
            for term in terms:
                q += system.term_heat(term, T, t)
            per_node[name] = q
        if self._fixed and R is not None:
            owner = np.full(system.n, -1, np.int64)
            for k, (nodes, _) in enumerate(self._fixed):
                owner[np.asarray(nodes, np.int64)] = k
            fixed = system.fixed_nodes
            for k, name in enumerate(self._fixed_names):
                q = np.zeros(system.n)
                sel = fixed[owner[fixed] == k]
                q[sel] = R[sel]
                per_node[name] = q
        for name in self.conditions:
            q = per_node.get(name)
            if q is None:
                continue
            out[name] = float(q.sum())
            out[f"{name}:in"], out[f"{name}:out"] = self._split_in_out(name, q, T)
        boundaries: dict[str, float] = {}
        for name, (kind, where) in self.conditions.items():
            if kind in _KINDS_WITH_BOUNDARY and name in out:
                if kind == "surface_radiation":
                    # split by facet: each boundary gets what its own facets carry
                    per_b = self._surface_radiation[name].boundary_heat(T)
                    for b, v in per_b.items():
                        out[f"{name}:{b}"] = v
                        out[f"{name}:{b}:in"] = max(v, 0.0)
                        out[f"{name}:{b}:out"] = max(-v, 0.0)
                        boundaries[f"boundary:{b}"] = boundaries.get(f"boundary:{b}", 0.0) + v
                    continue
                for b in (where if isinstance(where, (list, tuple)) else [where]):
                    key = f"boundary:{b}"
                    boundaries[key] = boundaries.get(key, 0.0) + out[name]
        out.update(boundaries)
        return out

    def _split_in_out(self, name: str, q: np.ndarray, T: np.ndarray) -> tuple[float, float]:
        """(in, out) ≥ 0 (W) of condition ``name`` with nodal heats ``q``: by facet for
        boundary conditions (flux recovered with the boundary mass matrix,
        :mod:`thermosat.model.heat_split`; by node where that does not apply), by node for
        sources."""
        kind, where = self.conditions[name]
        if kind == "surface_radiation":
            h = -self._surface_radiation[name].term.patch_heat(T)   # per facet, exact
            return float(h[h > 0].sum()), float(-h[h < 0].sum())
        if kind in ("fixed_temperature", "heat_flux", "convection", "radiation"):
            from thermosat.model.heat_split import BoundarySplit

            split = self._splits.get(name)
            if split is None:
                scales = {p.name: self._node_scale(p) for p in self.parts.values()}
                try:
                    split = BoundarySplit(self._facet_set(where, self.points, scales, "mass"))
                except (InputError, ValueError, KeyError):
                    split = False
                self._splits[name] = split
            res = split.split(q) if split else None
            if res is not None:
                return res
        return float(q[q > 0].sum()), float(-q[q < 0].sum())

    # --- solving --------------------------------------------------------------------------
    def solve_steady(self, T0=None, **kw):
        """Steady nonlinear solve; see :func:`thermosat.solve.steady.solve_steady`
        (``solver="auto"|"direct"|"amg"|"gmres"`` picks the linear solver)."""
        from thermosat.solve.steady import solve_steady

        return solve_steady(self, T0, **kw)

    def solve_transient(self, t_end_s: float, dt_s: float, T0, **kw):
        """Implicit transient; see :func:`thermosat.solve.transient.solve_transient`."""
        from thermosat.solve.transient import solve_transient

        return solve_transient(self, t_end_s, dt_s, T0, **kw)
