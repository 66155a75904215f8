"""Validation case — cold-plate channel with uniform wall flux against its closed form.

Problem
-------
A cold-plate wall L = 0.2 m long and W = 0.05 m wide (quad4 shell, 48 cells along the flow,
in-plane conduction negligible: k·t = 1e-9 W/K) takes a uniform flux q'' = 1e5 W/m² on its
top face; its wetted (bottom) face gives the heat, with film coefficient h = 5000 W/m²/K,
to a coolant channel of n fluid nodes (:mod:`thermosat.physics.coldplate`) carried by upwind
advection, ṁ = 0.02 kg/s, c_p = 4180 J/kg/K, inlet held at T_in = 300 K.

Reference
---------
The closed-form channel with uniform wall flux (no axial conduction; Incropera 2007 §8.3.1,
eq. 8.40 and "uniform surface heat flux"): T_f(x) = T_in + q'·x/(ṁ c_p) with q' = q''·W, and
a constant wall-to-fluid difference T_w − T_f = q''/h; so the plate-mean wall temperature is
T_in + ΔT/2 + q''/h with ΔT = q''·W·L/(ṁ c_p) = 11.96 K, q''/h = 20 K.

Computed
--------
For n = 1, 2, 4, 6, 8, 16, 48 fluid nodes: the plate-mean wall temperature (∫T dA / A) and
its error against the closed form; each segment's wall sees its outlet node, so the error is
predicted to be ΔT/(2n) (first order: n = 1 is the old one-node plate, 6 K off here). Also
the outlet temperature (energy balance: exact) and the mean wall-to-fluid difference
against q''/h. Headline: the finest row (n = 48), tolerance 1e-3 relative.
"""
from __future__ import annotations

import numpy as np

from thermosat.mesh.core import Boundary, Mesh
from thermosat.mesh.generators import shell
from thermosat.model.model import Model
from thermosat.physics.coldplate import segment_links
from thermosat.terms.advection import Advection
from thermosat.verification.case import CaseResult, refinement_case

NAME = "cold_plate_channel"

L_M, W_M, NX = 0.2, 0.05, 48
Q_W_M2, H_W_M2K = 1.0e5, 5000.0
MDOT_KG_S, CP_J_KGK, T_IN_K = 0.02, 4180.0, 300.0
NODES = (1, 2, 4, 6, 8, 16, 48)
DT_K = Q_W_M2 * W_M * L_M / (MDOT_KG_S * CP_J_KGK)


def closed_form_mean_wall_k() -> float:
    """Plate-mean wall temperature of the closed-form channel (K)."""
    return T_IN_K + 0.5 * DT_K + Q_W_M2 / H_W_M2K


def solve(n: int) -> dict:
    """The channel with ``n`` fluid nodes: plate-mean wall temperature (K), outlet (K),
    mean wall − mean fluid node (K)."""
    m = Model()
    plate = m.add_part("plate", shell(L_M, W_M, NX, 1, cell="quad4"))
    m.material("plate/domain", conductivity=1e-6, thickness_m=1e-3)
    m.heat_flux("plate/front", Q_W_M2)
    xs = L_M * np.arange(n + 1) / n
    pts = np.stack([xs, np.full(n + 1, 0.5 * W_M), np.full(n + 1, -0.01)], axis=1)
    edges = np.stack([np.arange(n), np.arange(1, n + 1)], axis=1)
    fluid = m.add_part("fluid", Mesh(pts, edges, "line2", {"fluid": np.arange(n)},
                                     {"inlet": Boundary(np.array([[0]]), "vertex")}),
                       conduction=False)
    off = fluid.offset
    m.add_term(Advection(edges + off, MDOT_KG_S, np.array([200.0, 500.0]),
                         np.array([CP_J_KGK, CP_J_KGK]), name="channel:advection"))
    m.fixed_temperature("fluid/inlet", T_IN_K)
    back = plate.mesh.boundary("back")
    conn = back.facets.astype(np.int64) + plate.offset
    along = plate.mesh.points[back.facets].mean(axis=1)[:, 0]

    def factory(model, points):
        return segment_links(points, conn, back.facet_type, 2, along,
                             np.arange(1, n + 1) + off, 0.0, L_M, H_W_M2K, "channel:film")

    m.add_term_factory(factory)
    res = m.solve_steady(rtol=1e-12)
    T = res.T
    cs = m.cells("plate/front", boundary=True, kind="mass")
    tq = np.einsum("qa,ea->eq", cs.N, T[cs.conn])
    mean_wall = float((cs.wdet * tq).sum() / cs.wdet.sum())
    tf = T[off + 1:off + n + 1]
    return {"n": n, "mean_wall_k": mean_wall, "outlet_k": float(tf[-1]),
            "wall_minus_fluid_k": mean_wall - float(tf.mean()),
            "energy_imbalance_rel": float(res.energy.imbalance_rel)}


def run() -> CaseResult:
    ref = closed_form_mean_wall_k()
    rows = []
    for n in NODES:
        r = solve(n)
        err = r["mean_wall_k"] - ref
        rows.append({"n": n, "computed": r["mean_wall_k"], "error_k": err,
                     "predicted_error_k": DT_K / (2 * n),
                     "outlet_k": r["outlet_k"], "outlet_exact_k": T_IN_K + DT_K,
                     "wall_minus_fluid_k": r["wall_minus_fluid_k"],
                     "q_over_h_k": Q_W_M2 / H_W_M2K,
                     "energy_imbalance_rel": r["energy_imbalance_rel"]})
    for a, b in zip(rows, rows[1:]):
        b["order"] = float(np.log(a["error_k"] / b["error_k"]) / np.log(b["n"] / a["n"]))
    res: CaseResult = refinement_case(
        NAME, ref, 1e-3,
        "closed-form channel with uniform wall flux: T_f = T_in + q'x/(m_dot c_p), "
        "T_w - T_f = q''/h (Incropera 2007 §8.3)", rows, unit="K")
    return res


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
