"""The points of a sweep: grid and random sampling, each point checked as a case before any
work starts (:func:`prepare`)."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from thermosat.common.errors import CaseError
from thermosat.studies.sweep.evaluate import get_mode
from thermosat.studies.sweep.store import canonical_values, point_id
from thermosat.studies.sweep.sampling import _grid_values
from thermosat.studies.sweep.spec import Sweep, fixed_values


# --- planning ---------------------------------------------------------------------------------
@dataclass
class Plan:
    """A sweep ready to run: base case loaded and fingerprinted, points with their ids."""

    sweep: Sweep
    fingerprint: str  # of the base case with [fixed] applied
    points: list[dict[str, Any]]  # {"point_id", "values"}, unique, in sweep order
    duplicates: int = 0
    fixed: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [p["point_id"] for p in self.points]


def prepare(sweep: Sweep) -> Plan:
    """Load the base case, check every varied field (each listed value, or both ends of a range)
    and the ``[fixed]`` fields by applying them to the base case, and give each point its id.

    A value is checked together with ``[fixed]`` and the other fields of a sweep point (the
    first point, then up to four points that have this value), so a value that is only valid in
    combination (a wing area of 0 beside a radiator strip) passes, while an unknown field or an
    out-of-range value is an error before anything runs. Raises :class:`CaseError`.
    """
    mode = get_mode(sweep.spec.mode)
    try:
        mode.require()
    except CaseError as err:
        raise CaseError(f"{sweep.source}: {err}") from None
    try:
        base = mode.load(sweep.base)
    except CaseError as err:
        raise CaseError(f"{sweep.source}: base_case: {err}") from None
    fixed = fixed_values(sweep.spec)
    raw = sweep.points()

    where = {key: "fixed" for key in fixed}
    where.update({p.field: f"parameters[{i}]" for i, p in enumerate(sweep.spec.parameters)})

    def check(field: str, v: Any, contexts: list[dict]) -> None:
        first = None
        for ctx in contexts:
            values = {**fixed, **ctx, field: v}
            try:
                mode.apply(base, values)
                return
            except CaseError as err:
                first = first or (err, values)
        err, values = first
        # blame the field the message names (a bad field in the context, not the one checked)
        named = [f for f in where if re.search(rf"(^|\s){re.escape(f)}:", str(err))]
        f = named[0] if named else field
        raise CaseError(f"{sweep.source}: {where[f]} ({f} = {values[f]!r}): {err}")

    for key, v in fixed.items():
        check(key, v, raw[:1])
    for p in sweep.spec.parameters:
        probe = _grid_values(p) if p.values is not None else list(p.range)
        if p.integer and p.range is not None:
            probe = [math.ceil(p.range[0]), math.floor(p.range[1])]
        for v in dict.fromkeys(probe):
            same = [pt for pt in raw if pt[p.field] == v][:4]
            check(p.field, v, raw[:1] + same)
    fp = mode.fingerprint(base)
    if fixed:  # the base case of every point is the base file with [fixed] applied
        fp = hashlib.sha256(f"{fp}\n{json.dumps(canonical_values(fixed), sort_keys=True)}"
                            .encode()).hexdigest()
    points, seen = [], set()
    for values in raw:
        pid = point_id(fp, values, sweep.spec.mode)
        if pid in seen:
            continue
        seen.add(pid)
        points.append({"point_id": pid, "values": values})
    return Plan(sweep, fp, points, len(raw) - len(points), fixed)
