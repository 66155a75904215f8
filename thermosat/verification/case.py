"""The record every validation case returns, and how a table of them is printed.

Each module under ``validation/`` defines ``NAME`` and ``run() -> CaseResult``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["CaseResult", "refinement_case"]


@dataclass
class CaseResult:
    """One validation case: reference against computed.

    Attributes
    ----------
    name : contract name, e.g. ``nafems_t2``
    reference : published or closed-form value (units in ``unit``)
    computed : what thermosat got
    tolerance : allowed relative error (or absolute, when ``absolute`` is set)
    source : where the reference comes from
    unit : unit of reference and computed
    absolute : compare ``|computed - reference| <= tolerance`` instead of relative
    meshes : optional mesh-convergence rows ``{"h" or "n", "computed", "rel_error"}``
    """

    name: str
    reference: float
    computed: float
    tolerance: float
    source: str
    unit: str = ""
    absolute: bool = False
    meshes: list[dict] = field(default_factory=list)

    @property
    def rel_error(self) -> float:
        if self.absolute:
            return abs(self.computed - self.reference)
        scale = abs(self.reference) if self.reference != 0 else 1.0
        return abs(self.computed - self.reference) / scale

    @property
    def passed(self) -> bool:
        return bool(self.rel_error <= self.tolerance)

    def to_json(self) -> dict:
        d = asdict(self)
        d["rel_error"] = self.rel_error
        d["passed"] = self.passed
        return d


def refinement_case(name: str, reference: float, tolerance: float, source: str,
                    rows: list[dict], unit: str = "") -> CaseResult:
    """A case whose computed value is its last (finest) mesh row.

    Each row needs ``computed``; its ``rel_error`` against ``reference`` is added here.
    """
    for row in rows:
        row["rel_error"] = abs(row["computed"] - reference) / abs(reference)
    return CaseResult(name=name, reference=reference, computed=rows[-1]["computed"],
                      tolerance=tolerance, source=source, unit=unit, meshes=rows)
