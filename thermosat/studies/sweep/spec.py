"""The sweep file: its schema (parameters, sampling, plot), checks with one-line errors
naming the file and field, and loading."""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from pydantic import BaseModel, ConfigDict, ValidationError

from thermosat.common.errors import CaseError, InputError
from thermosat.studies.sweep.evaluate import MODES, CaseRef, resolve_base
from thermosat.studies.sweep.sampling import _grid_values, grid_points, random_points


Scalar = float | int | str | bool

#: largest sweep accepted (points)
MAX_POINTS = 1_000_000


_FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


# --- the sweep file ---------------------------------------------------------------------------
class Parameter(BaseModel):
    """One varied field: explicit ``values``, or a ``range = [min, max]``."""

    model_config = ConfigDict(extra="forbid")
    field: str
    values: list[Scalar] | None = None
    range: tuple[float, float] | None = None
    n: int | None = None
    log: bool = False
    integer: bool = False


class Sampling(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["grid", "random"] = "grid"
    n: int | None = None
    seed: int | None = None


class PlotSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outputs: list[str] = []


class SweepSpec(BaseModel):
    """The validated content of a sweep file."""

    model_config = ConfigDict(extra="forbid")
    base_case: str
    mode: str
    title: str = ""
    sampling: Sampling = Sampling()
    fixed: dict[str, Any] = {}
    parameters: list[Parameter]
    plot: PlotSpec = PlotSpec()


_SECTIONS = {None: SweepSpec, "sampling": Sampling, "parameters": Parameter, "plot": PlotSpec}


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _pydantic_error(err: ValidationError, source: str) -> CaseError:
    e = err.errors()[0]
    loc = tuple(e["loc"])
    section = _SECTIONS.get(loc[0] if len(loc) > 1 else None, SweepSpec)
    allowed = ""
    msg = e["msg"].removeprefix("Value error, ")
    if e["type"] == "extra_forbidden":
        msg = "unknown field"
        allowed = ", ".join(section.model_fields)
    elif e["type"] == "missing":
        msg = "missing"
        allowed = "required"
    elif e["type"] == "literal_error":
        allowed = str(e.get("ctx", {}).get("expected", "")).replace("'", "")
    return CaseError(f"{source}: {_loc(loc)}: {msg}" + (f" (allowed {allowed})" if allowed else ""))


def _check_spec(spec: SweepSpec, source: str) -> None:
    """Cross-field rules pydantic's types do not express; raise one-line CaseErrors."""
    def fail(where: str, msg: str, allowed: str = ""):
        raise CaseError(f"{source}: {where}: {msg}" + (f" (allowed {allowed})" if allowed else ""))

    if spec.mode not in MODES:
        fail("mode", f"{spec.mode!r} is not a sweep mode", ", ".join(MODES))
    s = spec.sampling
    random = s.method == "random"
    if random and s.n is None:
        fail("sampling.n", "missing: random sampling needs the number of points",
             f"1 to {MAX_POINTS}")
    if s.n is not None and not random:
        fail("sampling.n", "only for method = \"random\" (a grid has one point per combination)")
    if s.seed is not None and not random:
        fail("sampling.seed", "only for method = \"random\"")
    if s.n is not None and not 1 <= s.n <= MAX_POINTS:
        fail("sampling.n", f"{s.n} is out of range", f"1 to {MAX_POINTS}")
    if not spec.parameters:
        fail("parameters", "empty: give at least one [[parameters]] table")
    fixed = fixed_values(spec)
    for key in fixed:
        if not _FIELD_RE.match(key):
            fail(f"fixed.{key}", "not a dotted field path", "names like \"wings.area_m2\"")
    seen = set(fixed)
    for i, p in enumerate(spec.parameters):
        where = f"parameters[{i}]"
        if not _FIELD_RE.match(p.field):
            fail(f"{where}.field", f"{p.field!r} is not a dotted field path",
                 "names like \"wings.area_m2\"")
        if p.field in seen:
            fail(f"{where}.field", f"{p.field!r} is varied twice" if p.field not in fixed
                 else f"{p.field!r} is also in [fixed]")
        seen.add(p.field)
        if (p.values is None) == (p.range is None):
            fail(where, "give exactly one of `values` and `range`", "values = [...] or "
                 "range = [min, max]")
        if p.values is not None:
            if not p.values:
                fail(f"{where}.values", "empty list")
            for name in ("n", "log", "integer"):
                if getattr(p, name) not in (None, False):
                    fail(f"{where}.{name}", "only with `range`")
            continue
        lo, hi = p.range
        if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
            fail(f"{where}.range", f"[{lo}, {hi}] is not an interval", "[min, max], min < max")
        if p.log and lo <= 0:
            fail(f"{where}.range", f"log spacing needs min > 0, got {lo}", "min > 0 with log")
        if p.integer and math.ceil(lo) > math.floor(hi):
            fail(f"{where}.range", f"[{lo}, {hi}] holds no integer", "an interval with an "
                 "integer in it")
        if random and p.n is not None:
            fail(f"{where}.n", "only for method = \"grid\" (random draws sampling.n points)")
        if not random:
            if p.n is None:
                fail(f"{where}.n", "missing: a grid over a range needs the number of values",
                     "n >= 2, or values = [...]")
            if p.n < 2:
                fail(f"{where}.n", f"{p.n} is too small", "n >= 2")
    _check_plot_outputs(spec, fail)
    if not random:
        size = math.prod(len(_grid_values(p)) for p in spec.parameters)
        if size > MAX_POINTS:
            fail("parameters", f"the grid has {size} points", f"at most {MAX_POINTS}")


def _check_plot_outputs(spec: SweepSpec, fail) -> None:
    """``[plot] outputs`` against the outputs the mode can produce (a typo would silently drop
    a plot row): one line with the closest known name."""
    import difflib

    known = MODES[spec.mode].known_outputs
    if not known:
        return
    exact = [k for k in known if not k.endswith(".")]
    prefixes = [k for k in known if k.endswith(".")]
    for i, name in enumerate(spec.plot.outputs):
        if name in exact or any(name.startswith(p) and len(name) > len(p) for p in prefixes):
            continue
        close = difflib.get_close_matches(name, exact + [p + "…" for p in prefixes], n=1,
                                          cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        fail(f"plot.outputs[{i}]", f"{name!r} is not an output of mode {spec.mode!r}{hint}",
             ", ".join(exact + [p + "<name>" for p in prefixes]))


def fixed_values(spec: SweepSpec) -> dict[str, Any]:
    """``[fixed]`` as dotted paths: nested TOML tables (``panel.element_size_m = 1``) and quoted
    dotted keys (``"panel.element_size_m" = 1``) both work."""
    return flatten_fixed(spec.fixed)


def flatten_fixed(d: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict):
            out.update(flatten_fixed(v, key))
        else:
            out[key] = v
    return out


def parse_sweep(text: str, source: str = "<sweep>") -> SweepSpec:
    """Validate sweep-file TOML text; raises :class:`CaseError` naming ``source`` and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CaseError(f"{source}: not valid TOML: {err}") from None
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as err:
        raise _pydantic_error(err, source) from None
    _check_spec(spec, source)
    return spec


@dataclass
class Sweep:
    """A sweep spec with its base case resolved (``path`` is the sweep file, if any)."""

    spec: SweepSpec
    base: CaseRef
    path: Path | None = None

    @property
    def source(self) -> str:
        return str(self.path) if self.path else "<sweep>"

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.spec.parameters]

    def points(self) -> list[dict[str, Any]]:
        """The point values, in sweep order (grid: last parameter varies fastest)."""
        s = self.spec.sampling
        if s.method == "grid":
            return grid_points(self.spec.parameters)
        return random_points(self.spec.parameters, s.n, s.seed or 0)


def load_sweep(path: str | os.PathLike) -> Sweep:
    """Read and validate a sweep file; the base case is resolved relative to its folder."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise InputError(f"{path}: cannot read the sweep file: {err.strerror or err}") from None
    spec = parse_sweep(text, str(path))
    try:
        base = resolve_base(spec.base_case, path.parent, spec.mode)
    except CaseError as err:
        raise CaseError(f"{path}: {err}") from None
    return Sweep(spec, base, path)
