"""Case files: load and validate a TOML case, turn it into a :class:`SatelliteDesign`.

A case file describes one satellite and how to analyse it (sections ``[orbit]``, ``[panel]``,
``[wings]``, ``[compute]``, ``[loop]``, ``[power]``, ``[limits]``, ``[sizing]``,
``[transient]``, ``[mesh]``; the schema is :mod:`thermosat.case.schema`, every field with its
unit, default and range is listed in ``cases/README.md``). The built-in per-tier cases are
``cases/vleo.toml``, ``cases/leo.toml`` and ``cases/meo.toml`` (from
:mod:`thermosat.case.defaults`).

>>> case = load_case("cases/leo.toml")                         # doctest: +SKIP
>>> design = case.to_design()                                   # doctest: +SKIP
>>> bigger = case.with_values({"wings.area_m2": 120.0})         # doctest: +SKIP

Errors
------
Only :class:`~thermosat.common.errors.CaseError` escapes :func:`load_case`, :func:`parse_case`,
:meth:`Case.with_values` and :meth:`Case.to_design`, always with a one-line message::

    <file>: <dotted.field>: <what is wrong> (allowed: <range> <unit>)

``toml`` stands for the field when the document itself is bad (syntax error with line and
column, not UTF-8), ``file`` when the file cannot be read. When several fields are wrong,
the first is described and the others are listed by path at the end of the line.
"""
from __future__ import annotations

import difflib

import hashlib
import json
import re
import tomllib
import typing
from dataclasses import fields as dc_fields
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, PrivateAttr, ValidationError

from thermosat.case.schema import (UNION_TAGS, CaseModel, FieldError, compute_plan,
                                   field_unit, package_for)
from thermosat.common.errors import CaseError, ThermosatError, one_line

__all__ = ["Case", "load_case", "parse_case", "validate_case", "MAX_CASE_BYTES",
           "FINGERPRINT_VERSION"]

#: case files larger than this are refused (a real case is a few kB)
MAX_CASE_BYTES = 1_000_000
#: part of every fingerprint; bump when the meaning of a field changes
FINGERPRINT_VERSION = "thermosat-case/1"


class Case(CaseModel):
    """A validated case (immutable). See the module docstring and ``cases/README.md``."""

    _source: str = PrivateAttr(default="<case>")

    # --- identity ---------------------------------------------------------------------------
    @property
    def source(self) -> str:
        """Where the case came from (file path or a label)."""
        return self._source

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CaseModel) and self.model_dump() == other.model_dump()

    def __hash__(self) -> int:
        return hash(self.fingerprint())

    def to_dict(self) -> dict:
        """The validated content as plain TOML-able data (``None`` fields left out)."""
        return self.model_dump(mode="python", exclude_none=True)

    def fingerprint(self) -> str:
        """SHA-256 (hex) of the validated content, defaults filled in.

        Stable across runs, machines and key order in the file; equal for two files that
        differ only in formatting, comments, defaults written out or not, ``1`` vs ``1.0``,
        or ``description``. Any change of a value changes it.
        """
        data = self.model_dump(mode="json", exclude={"description"})
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                          allow_nan=False)
        return hashlib.sha256(f"{FINGERPRINT_VERSION}\n{text}".encode()).hexdigest()

    # --- serialisation ------------------------------------------------------------------------
    def to_toml(self) -> str:
        """TOML text of the validated content (``parse_case(c.to_toml()) == c``)."""
        import tomli_w

        return tomli_w.dumps(self.to_dict())

    # --- sweeps -------------------------------------------------------------------------------
    def with_values(self, values: Mapping[str, Any], *, source: str | None = None) -> "Case":
        """A copy with fields changed by dotted path, validated again.

        ``values`` maps paths such as ``"wings.area_m2"``, ``"orbit.beta_deg"`` or
        ``"panel.layers.0.thickness_m"`` to new values; ``None`` removes the field (back to
        its default), e.g. ``{"orbit.tier": None, "orbit.altitude_km": 700.0}``. NumPy
        scalars are accepted. Raises :class:`CaseError` naming the path on any bad value.
        """
        label = source or f"{self.source} (with_values)"
        if not isinstance(values, Mapping):
            raise CaseError(f"{label}: with_values: expected a mapping of dotted paths to "
                            f"values, got {type(values).__name__}")
        data = self.model_dump(mode="python", exclude_none=True)
        for path, value in values.items():
            _set_path(data, path, _plain(value), label)
        return validate_case(data, label)

    # --- runtime design -----------------------------------------------------------------------
    def compute_plan(self) -> dict:
        """Chip count, per-chip power, rating and compute demand under ``compute.reading``
        (see :func:`thermosat.case.schema.compute_plan`)."""
        return compute_plan(self.compute)

    def compute_demand_w(self) -> float | None:
        """The compute demand (W) the sizing targets under ``compute.reading``."""
        return self.compute_plan()["demand_w"]

    def with_reading(self, reading: str, demand_w: float | None = None) -> "Case":
        """This case under another ``compute.reading`` with the same chips:
        ``chips_at_rating`` keeps n_chips (demand = n × rating), ``demand_at_rating`` puts
        ``demand_w`` on n = ceil(demand / rating) chips, ``demand_over_chips`` puts
        ``demand_w`` over n_chips (``demand_w`` None = the current plan's demand)."""
        plan = self.compute_plan()
        demand = demand_w if demand_w is not None else plan["demand_w"]
        vals: dict[str, Any] = {"compute.reading": reading, "compute.chip_power_w": None}
        if reading == "chips_at_rating":
            vals.update({"compute.n_chips": plan["n_chips"], "compute.demand_w": None})
        elif reading == "demand_at_rating":
            vals.update({"compute.n_chips": None, "compute.demand_w": demand})
        else:
            vals.update({"compute.n_chips": plan["n_chips"], "compute.demand_w": demand})
        return self.with_values(vals, source=f"{self.source} (reading {reading})")

    def environment_names(self) -> tuple[str | None, str | None]:
        """(sizing case, check case) names from ``[sizing]`` (None = not given)."""
        return self.sizing.sizing_case, self.sizing.check_case

    def orbit_environment(self) -> str | None:
        """Name of the environment the repeating orbit runs in (``[sizing] orbit_case``; None
        = the sizing case)."""
        return self.sizing.orbit_case

    def to_design(self, environment: str | None = None, **overrides):
        """The :class:`~thermosat.satellite.satellite.SatelliteDesign` of this case.

        environment : name of an ``[environments.<name>]`` case (e.g. ``"hot"``) whose β,
            steady orbit angle, solar constant, albedo, OLR and coating/cell life replace the
            ``[orbit]`` values and the coatings; None = the case as given.
        ``overrides`` replace design fields (``wing_area_m2=...``, ``element_size_m=...``);
        an unknown name or bad value raises :class:`CaseError`.
        """
        from thermosat.physics.battery import BatterySpec
        from thermosat.physics.heaters import HeaterSpec
        from thermosat.physics.loop import LoopSpec
        from thermosat.physics.orbit import Orbit
        from thermosat.physics.presets import (DEFAULT_CELL_STACK, Layer, cell_technology,
                                               life_coating, radiator_construction)
        from thermosat.satellite.satellite import WING_STACK, SatelliteDesign

        o, p, w, c, lp = self.orbit, self.panel, self.wings, self.compute, self.loop
        env = None
        if environment is not None:
            if environment not in self.environments:
                raise CaseError(f"{self.source}: to_design: environment {environment!r} is "
                                f"not defined (allowed: "
                                f"{', '.join(sorted(self.environments)) or 'none defined'})")
            env = self.environments[environment]
        beta = env.beta_deg if env is not None else o.beta_deg
        if o.tier is not None:
            orbit = Orbit.from_tier(o.tier, beta)
        else:
            orbit = Orbit.from_km(o.altitude_km, beta)
        life = env.life if env is not None else "as_given"

        def coat(x):
            if life != "as_given" and isinstance(x, str):
                return life_coating(x, life)
            return _coating(x)

        eol_factor = 1.0 if life == "bol" else p.eol_factor
        wing_layers = None
        areal = None
        if w.construction is not None:
            rc = radiator_construction(w.construction)
            wing_layers, areal = rc.layers(), rc.areal_mass_kg_m2

        def layers(specs, default):
            if specs is None:
                return default
            return tuple(Layer(s.name, s.thickness_m, s.conductivity_w_mk, s.density_kg_m3,
                               s.specific_heat_j_kgk) for s in specs)

        kw = dict(
            orbit=orbit,
            cell_area_m2=p.cell_area_m2,
            wing_area_m2=w.area_m2,
            panel_radiator_area_m2=p.panel_radiator_area_m2,
            panel_width_m=p.width_m,
            wing_width_m=w.width_m,
            element_size_m=p.element_size_m,
            layers=layers(p.layers, DEFAULT_CELL_STACK),
            wing_layers=wing_layers or layers(w.layers, WING_STACK),
            cell=replace(cell_technology(p.cell), eol_factor=eol_factor),
            packing=p.packing,
            panel_back=coat(p.back),
            panel_radiator_front=coat(p.radiator_front),
            wing_coating=coat(w.coating),
            n_packages=compute_plan(c)["n_chips"],
            package=package_for(c, self.limits.junction_max_k),
            package_mesh_density=self.mesh.package_mesh_density,
            loop=LoopSpec(fluid=lp.fluid, pressure_pa=lp.pressure_pa,
                          mass_flow_kg_s=lp.mass_flow_kg_s,
                          pipe_inner_diameter_m=lp.pipe_inner_diameter_m,
                          pipe_roughness_m=lp.pipe_roughness_m,
                          bond_conductance_w_mk=lp.bond_conductance_w_mk, layout=lp.layout,
                          pipe_pitch_m=lp.pipe_pitch_m,
                          coldplate_pressure_drop_pa=lp.coldplate_pressure_drop_pa,
                          pump_efficiency=lp.pump_efficiency,
                          freeze_margin_k=lp.freeze_margin_k,
                          header_inner_diameter_m=lp.header_inner_diameter_m,
                          transfer_line_inner_diameter_m=lp.transfer_line_inner_diameter_m,
                          design_velocity_m_s=lp.design_velocity_m_s),
            distribution_loss_fraction=self.power.distribution_loss_fraction,
            solar_constant_w_m2=(env or o).solar_constant_w_m2,
            albedo=(env or o).albedo,
            earth_ir_w_m2=(env or o).earth_ir_w_m2,
            steady_theta_deg=(env or o).steady_theta_deg,
            cell_max_k=self.limits.cell_max_k,
            surface_exchange=w.surface_exchange,  # surface exchange
            wing_areal_mass_kg_m2=areal,
            environment_name=environment or "nominal",
            battery=BatterySpec(**self.battery.model_dump()),
            heaters=HeaterSpec(**self.heaters.model_dump()),
            eclipse_compute_fraction=self.power.eclipse_compute_fraction,
            placement=w.placement,  # issue 14
            panel_back_mli=p.back_mli,
            boom_length_m=w.boom_length_m,
        )
        allowed = {f.name for f in dc_fields(SatelliteDesign)}
        unknown = sorted(set(overrides) - allowed)
        if unknown:
            raise CaseError(f"{self.source}: to_design: unknown design field(s) "
                            f"{', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
        kw.update(overrides)
        try:
            return SatelliteDesign(**kw)
        except ThermosatError as err:
            raise CaseError(f"{self.source}: design: {err}") from None


def _coating(c):
    from thermosat.physics.presets import Coating, coating

    if isinstance(c, str):
        return coating(c)
    return Coating(c.name, c.alpha, c.epsilon, "case file")


# ----------------------------------------------------------------------------- loading
def load_case(path) -> Case:
    """Read, parse and validate the case file ``path`` (raises only :class:`CaseError`)."""
    try:
        p = Path(path)
        label = str(p)
    except TypeError:
        raise CaseError(f"{path!r}: file: expected a path (allowed: a TOML case file)") from None
    try:
        if not p.exists():
            raise CaseError(f"{label}: file: not found (allowed: an existing TOML case file)")
        if not p.is_file():
            raise CaseError(f"{label}: file: not a regular file (allowed: a TOML case file)")
        size = p.stat().st_size
        if size > MAX_CASE_BYTES:
            raise CaseError(f"{label}: file: {size} bytes is too large for a case file "
                            f"(allowed: ≤ {MAX_CASE_BYTES} bytes)")
        raw = p.read_bytes()
    except CaseError:
        raise
    except (OSError, ValueError) as err:
        raise CaseError(f"{label}: file: cannot read: {one_line(str(err))} (allowed: a "
                        f"readable TOML case file)") from None
    return parse_case(raw, label)


def parse_case(text: str | bytes, source: str = "<string>") -> Case:
    """Parse and validate case text (``str`` or UTF-8 ``bytes``); ``source`` labels errors."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as err:
            raise CaseError(f"{source}: toml: not UTF-8 text (invalid byte "
                            f"0x{err.object[err.start]:02x} at offset {err.start}) (allowed: "
                            f"a UTF-8 TOML document)") from None
    if not isinstance(text, str):
        raise CaseError(f"{source}: toml: expected text, got {type(text).__name__} (allowed: "
                        f"a UTF-8 TOML document)")
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CaseError(f"{source}: toml: syntax error: {one_line(str(err))} (allowed: "
                        f"TOML 1.0 syntax)") from None
    except (RecursionError, ValueError, OverflowError, MemoryError) as err:
        raise CaseError(f"{source}: toml: cannot parse: {type(err).__name__}: "
                        f"{one_line(str(err))[:200]} (allowed: TOML 1.0 syntax)") from None
    return validate_case(data, source)


def validate_case(data: Mapping[str, Any], source: str = "<dict>") -> Case:
    """Validate already parsed case data (a dict as TOML would give)."""
    try:
        case = Case.model_validate(data)
    except ValidationError as err:
        raise CaseError(format_validation_error(err, source)) from None
    except CaseError:
        raise
    except Exception as err:  # a validator crashed: still one line, but say so
        raise CaseError(f"{source}: case: validation failed unexpectedly: "
                        f"{type(err).__name__}: {one_line(str(err))[:300]}") from None
    case._source = source
    return case


# ----------------------------------------------------------------------------- helpers
def _plain(value):
    """NumPy scalars → Python scalars (strict validation refuses numpy types)."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def _set_path(data: dict, path: str, value, label: str) -> None:
    if not isinstance(path, str) or not path or any(not part for part in path.split(".")):
        raise CaseError(f"{label}: {path!r}: not a dotted field path (allowed: e.g. "
                        f"'wings.area_m2')")
    parts = path.split(".")
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        key: Any = int(part) if isinstance(node, list) and part.isdigit() else part
        if isinstance(node, dict):
            if key not in node or node[key] is None:
                node[key] = {}
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            raise CaseError(f"{label}: {'.'.join(parts[:i + 1])}: cannot set {path!r} here "
                            f"(allowed: a path through tables or existing array entries)")
    last = parts[-1]
    if isinstance(node, list):
        if not (last.isdigit() and int(last) < len(node)) or value is None:
            raise CaseError(f"{label}: {path}: not an existing array entry (allowed: index "
                            f"< {len(node)})")
        node[int(last)] = value
    elif isinstance(node, dict):
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    else:
        raise CaseError(f"{label}: {path}: {'.'.join(parts[:-1])} is not a table (allowed: "
                        f"a path through tables)")


def _toml_type(v) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "table"
    if isinstance(v, (list, tuple)):
        return "array"
    import datetime

    if isinstance(v, (datetime.date, datetime.time, datetime.datetime)):
        return "date-time"
    return type(v).__name__


def _short(v) -> str:
    import datetime

    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{...}"
    if isinstance(v, (list, tuple)):
        return "[...]"
    r = repr(v)
    return r if len(r) <= 40 else r[:37] + "..."


def _fmt_num(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _split(path: str) -> list:
    out = []
    for idx, name in _PART.findall(path):
        out.append(int(idx) if idx else name)
    return out


def _dotted(loc) -> str:
    s = ""
    for part in loc:
        if isinstance(part, int):
            s += f"[{part}]"
        else:
            s += ("." if s else "") + str(part)
    return s or "case"


def _unwrap(ann):
    """Strip Optional / Annotated; prefer the model in a union; keep list[...] as is."""
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            ann = typing.get_args(ann)[0]
            continue
        if origin is typing.Union or (origin is not None and str(origin) == "types.UnionType"):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            inner = [_unwrap(a) for a in args]
            models = [a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)]
            lists = [a for a in inner if typing.get_origin(a) is list]
            ann = models[0] if models else (lists[0] if lists else inner[0])
            return ann
        return ann


def _resolve(loc) -> tuple[Any, Any]:
    """(FieldInfo of the last named field or None, type reached) along ``loc`` from Case."""
    cls: Any = Case
    info = None
    for part in loc:
        if isinstance(part, int):
            if typing.get_origin(cls) is list:
                cls = _unwrap(typing.get_args(cls)[0])
                info = None
                continue
            return None, None
        if isinstance(cls, type) and issubclass(cls, BaseModel) and part in cls.model_fields:
            info = cls.model_fields[part]
            cls = _unwrap(info.annotation)
        else:
            return None, None
    return info, cls


def _allowed(info) -> str:
    """Allowed values of a field, with its unit."""
    if info is None:
        return ""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if "allowed" in extra:
        return str(extra["allowed"])
    unit = field_unit(info)
    ann = _unwrap(info.annotation)
    if typing.get_origin(ann) is typing.Literal:
        return ", ".join(str(a) for a in typing.get_args(ann))
    lo = hi = None
    lo_open = hi_open = False
    for m in info.metadata:
        for attr, is_lo, is_open in (("gt", True, True), ("ge", True, False),
                                     ("lt", False, True), ("le", False, False)):
            v = getattr(m, attr, None)
            if v is not None:
                if is_lo:
                    lo, lo_open = v, is_open
                else:
                    hi, hi_open = v, is_open
    kind = {int: "integer", float: "number", str: "string", bool: "boolean"}.get(ann, "")
    if lo is not None and hi is not None:
        rng = f"{'(' if lo_open else '['}{_fmt_num(lo)}, {_fmt_num(hi)}{')' if hi_open else ']'}"
    elif lo is not None:
        rng = f"{'>' if lo_open else '≥'} {_fmt_num(lo)}"
    elif hi is not None:
        rng = f"{'<' if hi_open else '≤'} {_fmt_num(hi)}"
    else:
        rng = ""
    if kind == "string":
        mx = next((getattr(m, "max_length", None) for m in info.metadata
                   if getattr(m, "max_length", None) is not None), None)
        return f"a string{f' of at most {mx} characters' if mx else ''}"
    text = " ".join(t for t in (kind, rng) if t)
    if unit and unit != "-" and text:
        text += f" {unit}"
    return text


def describe_error(e: dict) -> tuple[str, str, str]:
    """(dotted path, what is wrong, allowed) of one pydantic error dict."""
    loc = [p for p in e.get("loc", ()) if p not in UNION_TAGS]
    typ = e.get("type", "")
    inp = e.get("input")
    ctx = e.get("ctx") or {}
    err = ctx.get("error")
    if isinstance(err, FieldError):
        loc = loc + _split(err.field)
        return _dotted(loc), err.message, err.allowed
    info, cls = _resolve(loc)
    allowed = _allowed(info)
    if typ == "missing":
        is_section = isinstance(cls, type) and issubclass(cls, BaseModel) and len(loc) == 1
        what = "required section is missing" if is_section else "required field is missing"
    elif typ == "extra_forbidden":
        _, parent = _resolve(loc[:-1])
        names = list(parent.model_fields) if isinstance(parent, type) and issubclass(
            parent, BaseModel) else []
        if loc[:-1]:
            what = f"unknown field {str(loc[-1])!r} in [{_dotted(loc[:-1])}]"
        else:
            what = f"unknown section or key {str(loc[-1])!r} at the top level"
        close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        if close:
            what += f" (did you mean {close[0]!r}?)"
        allowed = ", ".join(names)
    elif typ in ("float_type", "int_type", "string_type", "bool_type", "int_from_float"):
        want = {"float_type": "a number", "int_type": "an integer", "int_from_float":
                "an integer", "string_type": "a string", "bool_type": "a boolean"}[typ]
        what = f"expected {want}, got {_toml_type(inp)} {_short(inp)}"
    elif typ in ("model_type", "dict_type", "model_attributes_type"):
        what = f"expected a table, got {_toml_type(inp)} {_short(inp)}"
    elif typ == "list_type":
        what = f"expected an array, got {_toml_type(inp)} {_short(inp)}"
    elif typ == "literal_error":
        what = (f"{_short(inp)} is not allowed" if isinstance(inp, str)
                else f"expected a string, got {_toml_type(inp)} {_short(inp)}")
    elif typ in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        what = f"{_short(inp)} is out of range"
    elif typ == "finite_number":
        what = f"{_short(inp)} is not a finite number"
    elif typ in ("too_short", "too_long", "string_too_short", "string_too_long"):
        what = f"{_toml_type(inp)} {_short(inp)} has the wrong length"
    elif typ == "string_pattern_mismatch":
        what = f"{_short(inp)} has characters that are not allowed"
        allowed = "letters, digits, '_' and '-'"
    elif typ == "union_tag_invalid":
        what = f"{_short(inp)} is not allowed"
    else:
        msg = str(e.get("msg", typ))
        what = one_line(msg.removeprefix("Value error, "))
    return _dotted(loc), what, allowed


def format_validation_error(err: ValidationError, source: str) -> str:
    """One line: ``<source>: <path>: <what> (allowed: <range> <unit>) [+N more: ...]``."""
    errors = err.errors(include_url=False)
    if not errors:  # pragma: no cover - pydantic always reports at least one
        return f"{source}: case: invalid"
    path, what, allowed = describe_error(errors[0])
    line = f"{source}: {path}: {what}"
    if allowed:
        line += f" (allowed: {allowed})"
    if len(errors) > 1:
        others = []
        for e in errors[1:]:
            p = describe_error(e)[0]
            if p not in others and p != path:
                others.append(p)
        if others:
            shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
            line += f" [+{len(errors) - 1} more: {shown}]"
    return one_line(line)

