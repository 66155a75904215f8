"""What one sweep point computes: the evaluation modes of ``thermosat sweep``.

A mode turns (base case, point values) into a flat-ish dict of JSON-serialisable outputs:

``solve``
    steady satellite (:class:`thermosat.satellite.satellite.Satellite`): temperatures, power
    budget, limits and the energy imbalance; built from the case by ``thermosat.case.load``.
``size``
    per-tier radiator sizing, ``thermosat.studies.sizing.size_case``.
``selftest``
    the sweep machinery's self-test: an analytic two-face radiator balance, no FE model,
    ``T = ((Q/A + q_abs)/(2·ε·σ) + T_sink⁴)^(1/4)`` (K), with an optional sleep per point and an
    optional temperature limit (a point over it fails with :class:`PhysicsLimitError`). It
    exercises sampling, Dask execution, the store and resume in milliseconds per point.

``thermosat.case.load`` and ``thermosat.studies.sizing`` are imported lazily, so the sweep machinery (and
the self-test) work without them. Everything sent to a worker is plain data
(:class:`CaseRef`, a dict of values, the mode name), so workers on other machines only need
thermosat installed, not the sweep's files.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from thermosat.common.errors import CaseError, ThermosatError, one_line

__all__ = ["CaseRef", "Mode", "MODES", "register_mode", "get_mode", "resolve_base", "evaluate",
           "evaluate_point", "jsonable", "SelftestCase", "SIGMA"]

#: Stefan–Boltzmann constant (W/m²K⁴), CODATA 2018
SIGMA = 5.670374419e-8


@dataclass(frozen=True)
class CaseRef:
    """A base case as plain data, sent to every worker: the TOML ``text`` of the case file (a
    built-in tier's case is rendered to TOML too), so workers on other machines need no files.
    ``path`` (absolute) and ``tier`` are kept for the record; ``text = None`` means the mode's
    built-in default.
    """

    label: str
    text: str | None = None
    tier: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Mode:
    """An evaluation mode.

    load(ref) -> case object; apply(case, values) -> case (raises CaseError on an unknown
    field or bad value); fingerprint(case) -> str; run(case) -> dict of outputs; tiers() ->
    the names accepted as ``base_case`` for a built-in default; builtin(tier) -> its CaseRef
    (as text where possible, so remote workers need no files).
    """

    name: str
    load: Callable[[CaseRef], Any]
    apply: Callable[[Any, Mapping[str, Any]], Any]
    fingerprint: Callable[[Any], str]
    run: Callable[[Any], dict]
    tiers: Callable[[], tuple[str, ...]]
    builtin: Callable[[str], CaseRef]
    description: str = ""
    #: outputs the summary plot shows first (flattened dotted names), if present
    plot_outputs: tuple[str, ...] = ()
    #: raises CaseError when the mode cannot run in this installation
    require: Callable[[], None] = lambda: None
    #: the outputs a point can have (flattened dotted names; a name ending in ``.`` is a
    #: prefix: a table of outputs). Empty: not known in advance, checked after the run.
    known_outputs: tuple[str, ...] = ()


MODES: dict[str, Mode] = {}


def register_mode(mode: Mode) -> Mode:
    """Register (or replace) an evaluation mode by name."""
    MODES[mode.name] = mode
    return mode


def get_mode(name: str) -> Mode:
    try:
        return MODES[name]
    except KeyError:
        raise CaseError(f"mode: {name!r} is not a sweep mode (allowed {', '.join(MODES)})") \
            from None


# --- the self-test mode ----------------------------------------------------------------------
class _Radiator(BaseModel):
    model_config = ConfigDict(extra="forbid")
    heat_w: float = Field(1000.0, ge=0, description="heat to reject (W)")
    area_m2: float = Field(2.0, gt=0, description="plate area, radiating from both faces (m²)")
    absorbed_w_m2: float = Field(0.0, ge=0, description="absorbed environment flux per m² of "
                                                        "plate (W/m²)")
    emissivity: float = Field(0.9, gt=0, le=1)
    sink_k: float = Field(3.0, ge=0, description="radiative sink temperature (K)")
    max_temperature_k: float | None = Field(None, gt=0, description="limit: a hotter point "
                                                                    "fails")


class _Run(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sleep_s: float = Field(0.0, ge=0, le=60, description="wall time each point sleeps (s)")


class SelftestCase(BaseModel):
    """Case schema of the ``selftest`` mode: ``[radiator]`` and ``[run]`` tables."""

    model_config = ConfigDict(extra="forbid")
    radiator: _Radiator = Field(default_factory=_Radiator)
    run: _Run = Field(default_factory=_Run)


def _pydantic_message(err: ValidationError) -> str:
    e = err.errors()[0]
    loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
    msg = e["msg"]
    if e["type"] == "extra_forbidden":
        msg = "unknown field"
    return f"{loc}: {msg}"


def _selftest_load(ref: CaseRef) -> SelftestCase:
    if ref.text is None:
        return SelftestCase()
    try:
        data = tomllib.loads(ref.text)
    except tomllib.TOMLDecodeError as err:
        raise CaseError(f"{ref.label}: not valid TOML: {err}") from None
    try:
        return SelftestCase.model_validate(data)
    except ValidationError as err:
        raise CaseError(f"{ref.label}: {_pydantic_message(err)} (allowed "
                        f"{', '.join(_selftest_fields())})") from None


def _selftest_fields() -> list[str]:
    return [f"{sec}.{name}" for sec, m in (("radiator", _Radiator), ("run", _Run))
            for name in m.model_fields]


def _selftest_apply(case: SelftestCase, values: Mapping[str, Any]) -> SelftestCase:
    data = case.model_dump()
    for key, v in values.items():
        sec, _, name = key.partition(".")
        if sec not in data or name not in data[sec]:
            raise CaseError(f"{key}: not a field of the selftest case (allowed "
                            f"{', '.join(_selftest_fields())})")
        data[sec][name] = v
    try:
        return SelftestCase.model_validate(data)
    except ValidationError as err:
        raise CaseError(_pydantic_message(err)) from None


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


def _selftest_fingerprint(case: SelftestCase) -> str:
    return hashlib.sha256(_canonical(case.model_dump()).encode()).hexdigest()[:16]


def _selftest_run(case: SelftestCase) -> dict:
    from thermosat.common.errors import PhysicsLimitError

    r = case.radiator
    if case.run.sleep_s:
        time.sleep(case.run.sleep_s)
    q = r.heat_w / r.area_m2 + r.absorbed_w_m2  # W/m² of plate to shed from two faces
    T = (q / (2.0 * r.emissivity * SIGMA) + r.sink_k ** 4) ** 0.25
    out = {"temperature_k": T, "temperature_c": T - 273.15, "load_w_m2": q,
           "rejected_w": 2.0 * r.emissivity * SIGMA * (T ** 4 - r.sink_k ** 4) * r.area_m2}
    if r.max_temperature_k is not None:
        margin = r.max_temperature_k - T
        out["margin_k"] = margin
        if margin < 0:
            raise PhysicsLimitError(f"radiator temperature {T:.2f} K exceeds its limit "
                                    f"{r.max_temperature_k:.2f} K by {-margin:.2f} K")
    return out


register_mode(Mode("selftest", _selftest_load, _selftest_apply, _selftest_fingerprint,
                   _selftest_run, lambda: ("default",), lambda t: CaseRef(label=t),
                   "analytic two-face radiator balance (self-test of the sweep machinery)",
                   ("temperature_k", "margin_k", "load_w_m2"),
                   known_outputs=("temperature_k", "temperature_c", "load_w_m2", "rejected_w",
                                  "margin_k")))


# --- the real modes (thermosat.case.load / thermosat.studies.sizing, imported lazily) --------------------
def _cases():
    try:
        import thermosat.case.load as cases
    except ModuleNotFoundError as err:
        if err.name != "thermosat.case.load":
            raise
        raise CaseError("mode: needs thermosat.case.load (case files), which is not available in "
                        "this installation (allowed mode: selftest)") from None
    return cases


def _case_tiers() -> tuple[str, ...]:
    _cases()
    from thermosat.physics.orbit import TIERS

    return tuple(TIERS)


def _builtin_case(tier: str):
    """The built-in default case of ``tier``: :func:`thermosat.case.defaults.default_case` (else the
    repository's ``cases/<tier>.toml``)."""
    cases = _cases()
    try:
        from thermosat.case.defaults import default_case
    except ImportError:
        path = Path(__file__).resolve().parent.parent / "cases" / f"{tier}.toml"
        if path.is_file():
            return cases.load_case(path)
        raise CaseError(f"base_case: no built-in case for tier {tier!r} in this installation "
                        f"(allowed: a case file path)") from None
    return default_case(tier)


def _case_builtin(tier: str) -> CaseRef:
    case = _builtin_case(tier)
    return CaseRef(label=tier, text=case.to_toml(), tier=tier)


def _case_load(ref: CaseRef):
    cases = _cases()
    if ref.text is None:
        return _builtin_case(ref.tier)
    return cases.parse_case(ref.text, ref.label)


def _case_apply(case, values: Mapping[str, Any]):
    return case.with_values(dict(values)) if values else case


def _case_fingerprint(case) -> str:
    return str(case.fingerprint())


def _num(v):
    """JSON-safe scalar: numpy scalars to Python, NaN/inf kept as floats (json writes them)."""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            return v.item()
        except (ValueError, AttributeError):
            pass
    return v


def jsonable(obj: Any) -> Any:
    """Convert nested results (dicts, lists, numpy scalars/arrays, dataclasses) to JSON data."""
    import dataclasses

    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return jsonable({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    if hasattr(obj, "tolist") and not isinstance(obj, (str, bytes)):
        return jsonable(obj.tolist())
    obj = _num(obj)
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    return str(obj)


def _margins(design, res) -> dict:
    """Margin of every constraint (K, positive = met); thermosat.studies.sizing's definition."""
    try:
        from thermosat.studies.sizing import constraint_margins
    except ImportError:
        t, lim = res.temperatures, res.limits
        m = design.loop.freeze_margin_k
        return {"junction": lim["junction_limit_k"] - t["junction_max_k"],
                "coolant_freeze": t["coolant_min_k"] - (lim["coolant_freeze_k"] + m),
                "coolant_boil": (lim["coolant_boil_k"] - m) - t["coolant_max_k"],
                "cells": lim["cell_limit_k"] - t["cell_max_k"]}
    return constraint_margins(design, res)


def _solve_run(case) -> dict:
    from thermosat.satellite.satellite import Satellite

    design = case.to_design()
    res = Satellite(design).solve_steady()
    margins = {k: float(v) for k, v in _margins(design, res).items()}
    failing = sorted(k for k, v in margins.items() if v < 0)
    return jsonable({"feasible": not failing, "failing": ",".join(failing),
                     "temperatures": res.temperatures, "power": res.power,
                     "limits": res.limits, "margins_k": margins,
                     "energy_imbalance_rel": float(res.energy.imbalance_rel),
                     "solve_time_s": res.time_s})


def _size_case():
    _cases()
    try:
        from thermosat.studies.sizing import size_case
    except ImportError:
        raise CaseError("mode: 'size' needs thermosat.studies.sizing.size_case, which is not available "
                        "in this installation (allowed modes: solve, selftest)") from None
    return size_case


def _size_run(case) -> dict:
    return jsonable(_size_case()(case))


register_mode(Mode("solve", _case_load, _case_apply, _case_fingerprint, _solve_run, _case_tiers,
                   _case_builtin, "steady satellite: temperatures, power budget, limits",
                   plot_outputs=("temperatures.junction_max_k", "temperatures.cell_max_k",
                                 "temperatures.coolant_max_k", "power.compute_w"),
                   require=lambda: (_cases(), None)[1],
                   known_outputs=("feasible", "failing", "temperatures.", "power.", "limits.",
                                  "margins_k.", "energy_imbalance_rel", "solve_time_s")))
register_mode(Mode("size", _case_load, _case_apply, _case_fingerprint, _size_run, _case_tiers,
                   _case_builtin, "radiator sizing per tier (thermosat.studies.sizing.size_case)",
                   require=lambda: (_size_case(), None)[1]))


# --- driver-side helpers ---------------------------------------------------------------------
def resolve_base(base_case: str, sweep_dir: str | os.PathLike, mode: str,
                 label: str = "base_case") -> CaseRef:
    """The :class:`CaseRef` for ``base_case``: a tier name, or a case file relative to the
    sweep file's folder."""
    m = get_mode(mode)
    p = Path(base_case)
    if not p.is_absolute():
        p = Path(sweep_dir) / p
    if p.is_file():
        return CaseRef(label=str(base_case), text=p.read_text(), path=str(p.resolve()))
    tiers = m.tiers()
    if base_case.lower() in tiers:
        return m.builtin(base_case.lower())
    raise CaseError(f"{label}: {base_case!r} is neither a case file (looked for {p}) nor a "
                    f"built-in tier (allowed {', '.join(tiers)} or a path)")


# --- worker side -----------------------------------------------------------------------------
def dask_setup(worker=None) -> None:
    """Dask preload hook of local sweep workers (``preload=["thermosat.studies.sweep.evaluate"]``).

    Ctrl-C in a terminal reaches the whole process group; the workers ignore it, so the driver
    alone stops the sweep (cancels, writes what finished, closes the cluster) and the workers
    exit when it closes them (or when it dies: they watch their parent).
    """
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


_CACHE: dict[tuple[str, str], Any] = {}


def evaluate_point(ref: CaseRef, values: Mapping[str, Any], mode: str) -> dict:
    """Evaluate one sweep point (runs on a worker); never raises for a failing design.

    Returns ``{"status": "done", "outputs": {...}}`` or ``{"status": "failed", "error": one
    line, "error_type": name}``, with ``wall_s`` and ``worker`` (host:pid).
    """
    t0 = time.perf_counter()
    out: dict[str, Any] = {"worker": f"{socket.gethostname()}:{os.getpid()}"}
    try:
        m = get_mode(mode)
        key = (mode, _canonical([ref.label, ref.text, ref.tier]))
        base = _CACHE.get(key)
        if base is None:
            base = _CACHE[key] = m.load(ref)
        case = m.apply(base, values)
        out.update(status="done", outputs=jsonable(m.run(case)))
    except Exception as err:  # one failing design (or a bug) must not stop the sweep
        out.update(status="failed", error=one_line(err), error_type=type(err).__name__,
                   expected=isinstance(err, ThermosatError))
    out["wall_s"] = time.perf_counter() - t0
    return out


def evaluate(case_toml_text: str, mode: str, values: Mapping[str, Any] | None = None) -> dict:
    """Evaluate a case given as TOML text in ``mode``; returns the outputs (raises on failure).

    The small interface the sweep is built on: ``evaluate(text, "solve")`` runs the steady
    satellite, ``"size"`` the sizing, ``"selftest"`` the analytic radiator.
    """
    m = get_mode(mode)
    case = m.load(CaseRef(label="<text>", text=case_toml_text))
    if values:
        case = m.apply(case, values)
    return jsonable(m.run(case))
