"""Validation case 8 on the full satellite — energy balance of the coupled steady solve.

Problem
-------
The default VLEO satellite (``thermosat.case.defaults.default_design("vleo")``: 102 m² of HJT
cells on a 20 m wide sun-pointing panel, 398 m² of loop-cooled radiator wings held edge-on
to the Sun, 12 GB300-class chip packages on an ammonia loop, hot case at noon, 500 km,
β = 0 — whatever the defaults module holds when this runs) solved in steady state with the
power loop closed: the chips burn the electricity the panel makes at its temperature, less
5 % distribution losses and the pump power (both of which end as heat in the coolant).
Everything is in one global system: the layered panel and
wings with through-thickness links, per-region coatings and the photovoltaic term, the
coolant graph with upwind advection and tube-to-face-sheet links, the 3D package stacks and
their cold-plate links.

Reference
---------
Conservation of energy (docs/references.md §8 case 8): heat in (absorbed sunlight, albedo and Earth
IR on both faces, chip power, pump work, distribution losses, sink irradiation) equals heat
out (emitted from both faces, plus the electricity the cells deliver, which leaves the
thermal model as power), so the relative imbalance |in − out| / max(in, out) is 0; it must
be below 1e-8 absolute at convergence. The rows also give the power-loop closure
(PV − compute − pump − losses, relative to PV; 0 by construction of the secant loop).

Computed
--------
``Satellite(design).solve_steady()`` on three mesh resolutions of the same design (panel
element size 2.5 / 1.25 / 0.625 m, package mesh density 2 / 3 / 4: 2.3k / 5.8k / 10.5k
unknowns; the wings meshed at the panel element size, ``fin_elements_per_pitch=None``:
conservation does not depend on how finely the fin between the tubes is resolved, which
``fin_convergence`` checks, and the default 8 elements per pitch would make these
18.9k / 37.5k / 71.4k unknowns),
the satellite's default tolerances (Newton 1e-11, power 1e-11). Headline: the worst
imbalance of the three. Tolerance 1e-8 absolute. (``scripts/satellite_scaling.py`` runs the
same solve up to ~1e5 unknowns: imbalance ~3e-12 there, see ``benchmarks/SATELLITE.md``.)
"""
from __future__ import annotations

from thermosat.verification.case import CaseResult

NAME = "satellite_energy_balance"

#: (panel element size m, package mesh density); wings at the panel element size (see above)
MESHES = ((2.5, 2), (1.25, 3), (0.625, 4))


def compute(element_size_m: float, package_mesh_density: int, tier: str = "vleo") -> dict:
    """Steady coupled solve of the default ``tier`` design at one mesh resolution."""
    from thermosat.case.defaults import default_design
    from thermosat.satellite.satellite import Satellite

    design = default_design(tier, element_size_m=element_size_m,
                            package_mesh_density=package_mesh_density,
                            fin_elements_per_pitch=None)
    sat = Satellite(design)
    res = sat.solve_steady()
    p, e = res.power, res.energy
    return {"n_unknowns": sat.n_unknowns, "imbalance_rel": float(e.imbalance_rel),
            "heat_in_w": e.total_in_w, "heat_out_w": e.total_out_w,
            "pv_w": p["pv_w"], "compute_w": p["compute_w"], "pump_w": p["pump_w"],
            "power_closure_rel": abs(p["closure_w"]) / p["pv_w"],
            "junction_max_k": res.temperatures["junction_max_k"],
            "outer_iterations": len(res.fixed_point), "time_s": res.time_s}


def run() -> CaseResult:
    rows = []
    for h, dens in MESHES:
        c = compute(h, dens)
        rows.append({"mesh": f"h {h} m, pkg density {dens}", "h": h, "n": c["n_unknowns"],
                     "computed": c["imbalance_rel"], "rel_error": c["imbalance_rel"],
                     "heat_in_w": c["heat_in_w"], "pv_w": c["pv_w"],
                     "compute_w": c["compute_w"], "power_closure_rel": c["power_closure_rel"],
                     "junction_max_k": c["junction_max_k"],
                     "outer_iterations": c["outer_iterations"]})
    return CaseResult(
        name=NAME, reference=0.0, computed=max(r["computed"] for r in rows), tolerance=1e-8,
        absolute=True, unit="-",
        source=("conservation of energy on the coupled steady satellite (docs/references.md §8 case 8: "
                "imbalance < 1e-8); default VLEO design, power loop closed"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
