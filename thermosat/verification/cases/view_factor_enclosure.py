"""Closure of a closed enclosure inside the coupled solve (docs/references.md §8 case 11: "closure of
an enclosure to 1 must hold").

Problem
-------
A closed 2 m × 2 m × 1 m box of 1 mm aluminium shell (k = 167 W/m/K), its inner faces
radiating to each other (gray, ε = 0.3 … 0.95 varying facet by facet), 100 W/m² put into the
top face, the bottom face held at 300 K. Steady conduction + surface-to-surface radiation
(:class:`thermosat.terms.surface_exchange.SurfaceExchange`, view factors with
``enclosure=True``, zone-coupled tangent with one zone per face) in one Newton solve.
Meshes: 2, 4, 8 quad cells per metre.

Reference
---------
A closed enclosure sees nothing else: every row of view factors sums to one and no radiation
reaches space, so the net heat to space is 0 and all 400 W reach the held face (by radiation
and conduction). Reported: |net radiative heat to space| / total emission, reference 0,
tolerance 1e-6 absolute; rows also give the largest closure error |1 − Σ_j F_ij| and the
energy imbalance.
"""
from __future__ import annotations

import numpy as np

from thermosat import Model
from thermosat.mesh.core import Boundary, Mesh
from thermosat.satellite.geometry import BUS_FACES, bus_mesh
from thermosat.terms.surface_exchange import SurfaceExchange
from thermosat.verification.case import CaseResult

NAME = "view_factor_enclosure"

MESHES = (2, 4, 8)


def compute(n: int) -> dict:
    """Solve the heated box meshed with ``n`` cells per metre; one row of results."""
    box = bus_mesh(2.0, 2.0, 1.0 / n, standoff_m=0.0)
    inner = box.boundary("outer").facets[:, [0, 3, 2, 1]]        # facing into the box
    # zone of each facet: its face (the outer boundary lists the faces in BUS_FACES order)
    face = np.repeat(np.arange(6), [len(box.boundary(f).facets) for f in BUS_FACES])
    m = Model()
    m.add_part("box", box.with_regions(boundaries={"inner": Boundary(inner, "quad4")}))
    # one auxiliary unknown per face for the zone-coupled Newton tangent: in an enclosure
    # every facet's whole view is other facets, and the lagged mutual irradiation alone
    # converges too slowly (measured: not in 40 steps)
    m.add_part("zones", Mesh(np.zeros((6, 3)), np.stack([np.arange(5), np.arange(1, 6)], 1),
                             "line2", {"domain": np.arange(5)}), conduction=False)
    m.material("box/domain", conductivity=167.0, thickness_m=1e-3)
    m.heat_flux("box/face_top", 100.0)
    m.fixed_temperature("box/face_bottom", 300.0)
    held = {}

    def factory(model, points):
        cells = model.cells("box/inner", boundary=True, kind="radiation", points=points)
        eps = np.random.default_rng(11).uniform(0.3, 0.95, len(cells))
        held["term"] = SurfaceExchange(cells, eps, 3.0, enclosure=True, use_cache=False,
                                       zones=(model.parts["zones"].nodes, face))
        return held["term"]

    m.add_term_factory(factory)
    res = m.solve_steady(rtol=1e-12)
    term = held["term"]
    summary = term.exchange_summary(res.T)
    emitted = sum(g["emitted_w"] for g in summary["groups"].values())
    return {"n": n, "facets": term.n_facets, "computed": abs(summary["net_to_space_w"]) / emitted,
            "closure_error": term.vf.closure_error(), "emitted_w": emitted,
            "energy_imbalance": res.energy.imbalance_rel,
            "newton_iterations": res.convergence.iterations}


def run() -> CaseResult:
    rows = [compute(n) for n in MESHES]
    for r in rows:
        r["rel_error"] = r["computed"]
    worst = max(max(r["computed"], r["closure_error"]) for r in rows)
    return CaseResult(
        name=NAME,
        reference=0.0,
        computed=worst,
        tolerance=1e-6,
        absolute=True,
        source=("closed enclosure: Σ_j F_ij = 1 for every facet, nothing reaches space "
                "(Siegel & Howell, Thermal Radiation Heat Transfer, enclosure theory)"),
        unit="-",
        meshes=rows,
    )


if __name__ == "__main__":
    res = run()
    for row in res.meshes:
        print(row)
    print(res)
