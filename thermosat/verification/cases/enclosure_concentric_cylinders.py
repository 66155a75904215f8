"""2D-planar enclosure — long concentric cylinders, gray diffuse, walls at fixed temperatures.

Problem
-------
Two long concentric cylinders (a cross-section, a 2D planar model per metre of length): an
inner tube with outer radius r1 = 0.1 m at T1 = 600 K, emissivity ε1 = 0.6, inside an outer
tube with inner radius r2 = 0.25 m at T2 = 300 K, ε2 = 0.4; the annular gap between them is
a closed enclosure (``Model.add_surface_radiation([...], enclosure=True)``, view factors by
Hottel's crossed strings). Each tube wall is a ring of quad4 cells (k = 50 W/m/K); the
radiating walls carry the fixed temperatures, so the heat they exchange is the reaction of
the held walls and the heat flow of the radiation condition.

Reference
---------
Net exchange between long concentric cylinders (two-surface gray diffuse enclosure,
Incropera et al., *Fundamentals of Heat and Mass Transfer*, Table 13.3; docs/references.md
§8 case 16):

    q' = 2π r1 σ (T1⁴ − T2⁴) / (1/ε1 + (r1/r2)(1/ε2 − 1))        (W per metre of length)

Computed
--------
The walls are regular polygons of n = 16 … 256 segments (the same n on both, aligned); the
computed value is the heat leaving the inner wall through the exchange,
``−result.heat_flow("<name>:inner")`` per metre. The polygon's perimeter falls short of the
circle's by π²/(6n²), so the error is second order in 1/n (observed order reported per row);
rows also give the held walls' reactions (equal and opposite to the exchange) and the net
heat to space (0 for an enclosure). Tolerance 1e-4 relative on the finest mesh.

Coupled variant (row fields ``coupled_*``): the radiating walls are free; the inner tube
carries a source of P = 2 kW per metre and the outer tube's outer wall is held at 300 K.
Closed form: the outer tube conducts P, so its inner wall is at
``T2 = 300 + P ln((r2 + w)/r2)/(2πk)`` (Incropera §3.3.1), and the inner wall at
``T1 = (T2⁴ + P (1/ε1 + (r1/r2)(1/ε2 − 1)) / (2π r1 σ))^¼``; the row gives the error of
the mean FE temperature of the inner wall (second order in 1/n) and the Newton iterations
of the coupled, zone-tangent solve.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat import Model
from thermosat.common.constants import SIGMA
from thermosat.mesh.core import Boundary, Mesh
from thermosat.verification.case import refinement_case

NAME = "enclosure_concentric_cylinders"

R1, R2 = 0.1, 0.25            # m: inner tube outer radius, outer tube inner radius
T1, T2 = 600.0, 300.0         # K
EPS1, EPS2 = 0.6, 0.4
WALL = 0.02                   # m: wall thickness of both tubes
MESHES = (16, 32, 64, 128, 256)
P_COUPLED = 2000.0            # W per metre: source of the inner tube (coupled variant)
K_WALL = 50.0                 # W/m/K


def reference() -> float:
    """Closed-form net exchange (W per metre of length)."""
    return (2.0 * math.pi * R1 * SIGMA * (T1**4 - T2**4)
            / (1.0 / EPS1 + (R1 / R2) * (1.0 / EPS2 - 1.0)))


def ring(r_in: float, r_out: float, n: int, nr: int = 2) -> Mesh:
    """An annulus of n × nr quad4 cells (counter-clockwise) with boundaries ``inner`` and
    ``outer`` (line2), vertices on the circles r_in and r_out."""
    th = 2.0 * np.pi * np.arange(n) / n
    r = np.linspace(r_in, r_out, nr + 1)
    pts = np.zeros(((nr + 1) * n, 3))
    pts[:, 0] = (r[:, None] * np.cos(th)[None, :]).ravel()
    pts[:, 1] = (r[:, None] * np.sin(th)[None, :]).ravel()
    ids = np.arange((nr + 1) * n).reshape(nr + 1, n)
    nxt = np.roll(ids, -1, axis=1)
    cells = np.stack([ids[:-1], ids[1:], nxt[1:], nxt[:-1]], axis=-1).reshape(-1, 4)
    edges_in = np.stack([ids[0], nxt[0]], axis=1)
    edges_out = np.stack([ids[-1], nxt[-1]], axis=1)
    return Mesh(pts, cells, "quad4", {"domain": np.arange(len(cells))},
                {"inner": Boundary(edges_in, "line2"), "outer": Boundary(edges_out, "line2")})


def coupled_reference() -> tuple[float, float]:
    """(T1, T2) in K of the coupled variant (closed form)."""
    t2 = T2 + P_COUPLED * math.log((R2 + WALL) / R2) / (2.0 * math.pi * K_WALL)
    t1 = (t2**4 + P_COUPLED * (1.0 / EPS1 + (R1 / R2) * (1.0 / EPS2 - 1.0))
          / (2.0 * math.pi * R1 * SIGMA)) ** 0.25
    return t1, t2


def _model(n: int) -> Model:
    m = Model()
    m.add_part("in", ring(R1 - WALL, R1, n, 4))
    m.add_part("out", ring(R2, R2 + WALL, n, 4))
    for p in ("in", "out"):
        m.material(f"{p}/domain", conductivity=K_WALL, thickness_m=1.0)
    return m


def compute_coupled(n: int) -> dict:
    """The coupled variant with n segments per wall: error of the inner wall's mean T (K)."""
    m = _model(n)
    m.heat_source("in/domain", power_w=P_COUPLED)
    m.fixed_temperature("out/outer", T2)
    m.add_surface_radiation(["in/outer", "out/inner"], {"in/outer": EPS1, "out/inner": EPS2},
                            enclosure=True, name="gap")
    res = m.solve_steady(rtol=1e-12)
    part = m.parts["in"]
    wall = part.offset + np.unique(part.mesh.boundary("outer").facets)
    t1, _ = coupled_reference()
    return {"coupled_T1_k": float(res.T[wall].mean()),
            "coupled_T1_error_k": float(res.T[wall].mean() - t1),
            "coupled_newton_iterations": res.convergence.iterations,
            "coupled_exchange_w": -res.heat_flow("gap:in/outer")}


def compute(n: int, coupled: bool = True) -> dict:
    """Solve the enclosure with n segments per wall; one row of results."""
    m = _model(n)
    m.fixed_temperature("in/outer", T1, name="held_inner")
    m.fixed_temperature("out/inner", T2, name="held_outer")
    name = m.add_surface_radiation(["in/outer", "out/inner"],
                                   {"in/outer": EPS1, "out/inner": EPS2}, enclosure=True,
                                   name="gap")
    res = m.solve_steady(rtol=1e-12)
    q = -res.heat_flow(f"{name}:in/outer")
    row = {"n": n, "computed": q,
           "exchange_outer_w": res.heat_flow(f"{name}:out/inner"),
           "reaction_inner_w": res.heat_flow("held_inner"),
           "reaction_outer_w": res.heat_flow("held_outer"),
           "net_to_space_w": -res.heat_flow(name),
           "energy_imbalance": res.energy.imbalance_rel}
    if coupled:
        row.update(compute_coupled(n))
    return row


def run():
    rows = [compute(n) for n in MESHES]
    ref = reference()
    for a, b in zip(rows, rows[1:]):
        ea, eb = abs(a["computed"] - ref), abs(b["computed"] - ref)
        b["observed_order"] = math.log2(ea / eb) if eb > 0 else float("nan")
    return refinement_case(NAME, ref, 1e-4,
                           "Incropera et al., Fundamentals of Heat and Mass Transfer, Table "
                           "13.3 (long concentric cylinders, two-surface gray enclosure)",
                           rows, "W/m")


if __name__ == "__main__":
    res = run()
    for row in res.meshes:
        print(row)
    print(res)
