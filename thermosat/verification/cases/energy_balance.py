"""Validation case 8 — energy balance of steady and transient radiating solves.

Problem
-------
A 1.0 × 0.5 m aluminium panel (shell, 2 mm, k = 170 W/m/K, ρ = 2700 kg/m³,
c = 900 J/kg/K) in sunlight: the ``front`` face absorbs α·S = 0.3 × 1361 W/m² plus
ε·q_IR = 0.85 × 220 W/m² of Earth IR and radiates with ε = 0.85; the ``back`` face
radiates with ε = 0.9; a 200 W source (region ``electronics``: the cells whose centroid
lies in the 0.2 × 0.2 m corner patch) heats one corner; sink 3 K. The field is
non-uniform and the radiation term strongly nonlinear.

Reference
---------
Conservation of energy: at convergence heat in (absorbed flux, sources, sink irradiation)
equals heat out (radiated), so the relative imbalance |in − out|/max(in, out) reported by
every steady solve must be 0 to Newton tolerance — below 1e-8 absolute (docs/references.md §8 case 8).
Every transient step must likewise balance stored energy rate against net heat flow.

Computed
--------
``SteadyResult.energy.imbalance_rel`` of thermosat steady solves on quad4 and tri3 meshes
(8 × 4 … 32 × 16); headline: the worst of them. Transient rows: 600 s of warm-up from
250 K on the 16 × 8 quad4 mesh (Δt = 10 s), backward Euler and BDF2, giving the largest
per-step imbalance and, for backward Euler (whose steps telescope exactly), the mismatch of
the total stored energy change against the time-integrated net heat flow. Tolerance 1e-8
absolute.
"""
from __future__ import annotations

import numpy as np

from thermosat import Model
from thermosat.mesh.generators import shell
from thermosat.verification.case import CaseResult

NAME = "energy_balance"

LX_M, LY_M = 1.0, 0.5
ABSORBED_FRONT_W_M2 = 0.3 * 1361.0 + 0.85 * 220.0
SOURCE_W = 200.0
PATCH_M = 0.2


def build(nx: int, ny: int, cell: str = "quad4") -> Model:
    """The lit panel with a corner heat source on an ``nx`` × ``ny`` shell mesh."""
    mesh = shell(LX_M, LY_M, nx, ny, cell=cell)
    centroids = mesh.points[mesh.cells].mean(axis=1)
    patch = np.flatnonzero((centroids[:, 0] < PATCH_M) & (centroids[:, 1] < PATCH_M))
    m = Model(mesh.with_regions(cell_regions={"electronics": patch}))
    m.material(conductivity=170.0, density=2700.0, specific_heat=900.0, thickness_m=2e-3)
    m.radiation("front", 0.85, absorbed_flux_w_m2=ABSORBED_FRONT_W_M2)
    m.radiation("back", 0.9)
    m.heat_source("electronics", power_w=SOURCE_W)
    return m


def steady_imbalance(nx: int, ny: int, cell: str = "quad4") -> tuple[float, float, float]:
    """Return (relative imbalance, heat in W, heat out W) of a steady solve."""
    res = build(nx, ny, cell).solve_steady()
    e = res.energy
    return e.imbalance_rel, e.total_in_w, e.total_out_w


def transient_imbalance(scheme: str) -> tuple[float, float]:
    """(max per-step imbalance, |stored − ∫net|/|stored|) of a 600 s warm-up from 250 K."""
    res = build(16, 8).solve_transient(600.0, 10.0, 250.0, scheme=scheme, save_every=10**9)
    stored, net = res.stored_energy_change_j, res.net_heat_in_j
    return res.max_step_imbalance, abs(stored - net) / abs(stored)


def run() -> CaseResult:
    rows = []
    for cell in ("tri3", "quad4"):
        for nx, ny in ((8, 4), (16, 8), (32, 16)):
            imb, qin, qout = steady_imbalance(nx, ny, cell)
            rows.append({"kind": "steady", "mesh": f"{nx}x{ny} {cell}", "h": LX_M / nx,
                         "heat_in_w": qin, "heat_out_w": qout, "computed": imb,
                         "rel_error": imb})
    headline = max(r["computed"] for r in rows)  # worst steady mesh
    for scheme in ("backward_euler", "bdf2"):
        step_imb, total = transient_imbalance(scheme)
        row = {"kind": f"transient {scheme}", "mesh": "16x8 quad4", "computed": step_imb,
               "rel_error": step_imb}
        if scheme == "backward_euler":
            row["stored_vs_net_rel"] = total
        rows.append(row)
    return CaseResult(
        name=NAME, reference=0.0, computed=headline, tolerance=1e-8, absolute=True, unit="-",
        source="conservation of energy: steady imbalance < 1e-8 (docs/references.md §8 case 8)",
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
