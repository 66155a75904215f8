"""Validation case 9 — view factor of a flat plate (one face) to the Earth.

Problem
-------
A differential flat plate at altitude h above a spherical Earth (R = 6378.137 km),
H = (R + h)/R. One face, normal at angle λ to nadir. The headline case is the edge-on
plate (λ = 90°) at h = 500 km.

Reference
---------
Closed form for the edge-on plate (docs/references.md §8 case 9; Gilmore, *Spacecraft Thermal
Control Handbook* vol. 1, 2nd ed., 2002, ch. 2; Howell, *A Catalog of Radiation Heat
Transfer Configuration Factors*, section B, plane element tilted to a sphere):

    F = (1/π) [atan(1/√(H² − 1)) − √(H² − 1)/H²]      → 0.267 at 500 km

evaluated here directly with the exact numbers. The nadir-facing plate has F = 1/H²
(0.860/0.747/0.580 at 500/1000/2000 km); the table of docs/references.md §8 gives the edge-on values
0.267/0.194/0.118.

Computed
--------
``thermosat.physics.earth_view.plate_earth_view_factor`` — the general tilted-plate function
(partial-view branch at λ = 90°, full-view branch at λ = 0) that the attitude code uses.
Tolerance 1e-6 relative. The ``meshes`` rows tabulate every altitude and orientation
(``rel_error`` against the closed form; ``table_value`` is the 3-decimal published value).
"""
from __future__ import annotations

import math

from thermosat.physics.earth_view import plate_earth_view_factor
from thermosat.verification.case import CaseResult

NAME = "earth_view_factor"

R_KM = 6378.137
TABLE = {  # altitude km: (nadir, edge-on), docs/references.md §8 case 9 (3 decimals)
    500.0: (0.860, 0.267),
    1000.0: (0.747, 0.194),
    2000.0: (0.580, 0.118),
}


def _edge_on_closed_form(h_km: float) -> float:
    H = (R_KM + h_km) / R_KM
    r = math.sqrt(H * H - 1.0)
    return (math.atan(1.0 / r) - r / (H * H)) / math.pi


def _nadir_closed_form(h_km: float) -> float:
    H = (R_KM + h_km) / R_KM
    return 1.0 / (H * H)


def run() -> CaseResult:
    rows: list[dict] = []
    for h_km, (t_nadir, t_edge) in TABLE.items():
        for orient, lam, ref, table in (
            ("nadir", 0.0, _nadir_closed_form(h_km), t_nadir),
            ("edge-on", math.pi / 2, _edge_on_closed_form(h_km), t_edge),
        ):
            comp = float(plate_earth_view_factor(lam, h_km * 1e3, radius_m=R_KM * 1e3))
            rows.append({
                "altitude_km": h_km,
                "orientation": orient,
                "reference": ref,
                "table_value": table,
                "computed": comp,
                "rel_error": abs(comp - ref) / ref,
            })
    reference = _edge_on_closed_form(500.0)
    computed = float(plate_earth_view_factor(math.pi / 2, 500e3, radius_m=R_KM * 1e3))
    return CaseResult(
        name=NAME,
        reference=reference,
        computed=computed,
        tolerance=1e-6,
        source=("closed-form edge-on plate-to-sphere view factor, docs/references.md §8 case 9 "
                "(Gilmore 2002 ch. 2; Howell catalog section B); 0.267 at 500 km"),
        unit="-",
        meshes=rows,
    )


if __name__ == "__main__":
    print(run())
