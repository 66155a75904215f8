"""Mirror symmetry plane for radiation — opposed parallel plates, full model against half model.

Problem
-------
Two directly opposed square plates a × a (a = 1 m) a distance c = 0.5 m apart, shells of quad4
cells facing each other (``Model.add_surface_radiation``, open to a black sink at 0 K).

* Black, held: plate A at T1 = 500 K, plate B at T2 = 300 K, ε = 1. The heat plate A loses
  through the exchange is ``a² σ (T1⁴ − F T2⁴)`` with ``F`` the plate-to-plate view factor.
* Gray, coupled: plate A held at 500 K (ε 0.8); plate B a 2 mm aluminium plate
  (k = 170 W/m/K) with ε 0.6 towards A, its back radiating to the sink (ε 0.9), edges
  adiabatic. Its temperature field (hot in the middle, cooler at the edges) is not uniform.

Each is solved as the full model and as the half model x ≤ a/2 with the symmetry plane
(point (a/2, 0, 0), normal +x): there every facet also sees the mirror images of the facets
(:mod:`thermosat.radiation.mirror`), so the half model must reproduce the full one.

Reference
---------
``F`` of directly opposed rectangles, X = Y = a/c = 2 (Howell, *A Catalog of Radiation Heat
Transfer Configuration Factors*, C-11; docs/references.md §8 case 17):
``F = 2/(πXY) {ln[(1+X²)(1+Y²)/(1+X²+Y²)]^½ + X√(1+Y²) atan(X/√(1+Y²))
+ Y√(1+X²) atan(Y/√(1+X²)) − X atan X − Y atan Y}`` = 0.415253....

Computed
--------
The case value is twice the half model's heat flow out of plate A (black, held), against the
closed form (tolerance 1e-6 relative: the facet view factors are integrated to ~1e-8 and a
flat plate has no discretisation error). Rows (n × n facets on the full plates, n = 2, 4, 8)
give the full model's value too, the relative difference of half and full, and for the
coupled gray problem the largest difference of plate B's node temperatures between the half
and the full model (K) and both models' net heat to the sink.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat import Model
from thermosat.common.constants import SIGMA
from thermosat.mesh.generators import shell
from thermosat.verification.case import CaseResult

NAME = "symmetry_plane_plates"

A, C = 1.0, 0.5                 # m: plate side, gap
T1, T2 = 500.0, 300.0           # K
MESHES = (2, 4, 8)
PLANE = ((A / 2, 0.0, 0.0), (1.0, 0.0, 0.0))


def view_factor(a: float = A, b: float = A, c: float = C) -> float:
    """Howell C-11: directly opposed rectangles a × b at distance c."""
    X, Y = a / c, b / c
    return 2.0 / (math.pi * X * Y) * (
        math.log(math.sqrt((1 + X * X) * (1 + Y * Y) / (1 + X * X + Y * Y)))
        + X * math.sqrt(1 + Y * Y) * math.atan(X / math.sqrt(1 + Y * Y))
        + Y * math.sqrt(1 + X * X) * math.atan(Y / math.sqrt(1 + X * X))
        - X * math.atan(X) - Y * math.atan(Y))


def reference() -> float:
    """Heat (W) plate A loses through the exchange, black plates, sink at 0 K."""
    return A * A * SIGMA * (T1**4 - view_factor() * T2**4)


def _plates(n: int, half: bool, coupled: bool):
    lx, nx = (A / 2, n // 2) if half else (A, n)
    a = shell(lx, A, nx, n, normal=(0.0, 0.0, -1.0), origin=(0.0, A, C))   # faces −z
    b = shell(lx, A, nx, n, normal=(0.0, 0.0, 1.0))                        # faces +z
    m = Model()
    m.add_part("a", a)
    m.add_part("b", b)
    for p in ("a", "b"):
        m.material(f"{p}/domain", conductivity=170.0, thickness_m=2e-3)
    m.fixed_temperature("a/front", T1, name="held_a")
    planes = [PLANE] if half else None
    if coupled:
        m.radiation("b/back", 0.9, t_sink_k=0.0, name="b_back")
        eps = {"a/front": 0.8, "b/front": 0.6}
    else:
        m.fixed_temperature("b/front", T2, name="held_b")
        eps = 1.0
    m.add_surface_radiation(["a/front", "b/front"], eps, t_sink_k=0.0, symmetry_planes=planes,
                            name="plates", use_cache=False)
    res = m.solve_steady(rtol=1e-12)
    return m, res


def _plate_b_temperatures(m: Model, res) -> dict:
    part = m.parts["b"]
    xy = np.round(part.mesh.points[:, :2] / A, 9)
    return {tuple(k): float(t) for k, t in zip(xy, res.T[part.nodes])}


def compute(n: int) -> dict:
    """Full and half models with n × n facets per full plate; one row of results."""
    m_f, r_f = _plates(n, False, False)
    m_h, r_h = _plates(n, True, False)
    q_full = -r_f.heat_flow("plates:a/front")
    q_half = -2.0 * r_h.heat_flow("plates:a/front")
    mc_f, rc_f = _plates(n, False, True)
    mc_h, rc_h = _plates(n, True, True)
    tf, th = _plate_b_temperatures(mc_f, rc_f), _plate_b_temperatures(mc_h, rc_h)
    dT = max(abs(tf[k] - th[k]) for k in th)
    return {"n": n, "computed": q_half, "full_model_w": q_full,
            "half_vs_full_rel": abs(q_half - q_full) / abs(q_full),
            "coupled_max_dT_k": dT,
            "coupled_plate_b_max_k": max(tf.values()), "coupled_plate_b_min_k": min(tf.values()),
            "coupled_to_sink_full_w": -rc_f.heat_flow("plates") - rc_f.heat_flow("b_back"),
            "coupled_to_sink_half_w": -2.0 * (rc_h.heat_flow("plates")
                                              + rc_h.heat_flow("b_back")),
            "newton_iterations_half": rc_h.convergence.iterations}


def run() -> CaseResult:
    rows = [compute(n) for n in MESHES]
    ref = reference()
    for r in rows:
        r["rel_error"] = abs(r["computed"] - ref) / ref
    return CaseResult(
        name=NAME, reference=ref, computed=rows[-1]["computed"], tolerance=1e-6,
        source=("Howell, Catalog of Radiation Heat Transfer Configuration Factors, C-11 "
                "(directly opposed rectangles, X = Y = 2); half model with one mirror plane "
                "against the full model"),
        unit="W", meshes=rows)


if __name__ == "__main__":
    res = run()
    for row in res.meshes:
        print(row)
    print(res)
