"""Quadratic 3D cells — radial conduction in a thick-walled tube, curved walls.

Problem
-------
Quarter of a tube r1 = 0.5 m … r2 = 1.0 m, height H = 0.25 m, k = 1 W/m/K; inner wall held
at T1 = 400 K, outer wall at T2 = 300 K; the symmetry planes and the end faces are adiabatic.
The cells are built in the parameter box (s, t, z) ∈ [0, 1]² × [0, H] and mapped by
r = r1 + (r2 − r1) s, φ = t π/2 (:func:`thermosat.mesh.quadratic` with a mapping): the
quadratic cells (hex20, tet10) are isoparametric, their mid-edge nodes lie on the curved
walls; the linear cells (hex8, tet4) see polygonal walls.

Reference
---------
Closed form T(r) = T1 + (T2 − T1) ln(r/r1)/ln(r2/r1), heat flow (quarter)
Q = (π/2) k H (T1 − T2)/ln(r2/r1) (Incropera & DeWitt, *Fundamentals of Heat and Mass
Transfer*, §3.3.1). A-priori theory for isoparametric elements of degree p on curved domains
(Ciarlet & Raviart 1972; Brenner & Scott, 3rd ed., §10.4 and §5.4): ‖T − T_h‖_L2 = O(h^{p+1}),
i.e. order 3 for hex20/tet10 and 2 for hex8/tet4.

Computed
--------
thermosat on n × n × 1 cells (n = 2 … 16; tet meshes split every hex into 6 tets), L2 error
integrated with a degree-6 rule on the isoparametric cells, observed order log2(e_n/e_2n).
The case passes when the hex20 order of the finest pair is within 0.1 of 3; the rows also
show how many nodes the linear cells need for the same error, and the heat flow through the
inner wall (sum of its nodal reactions) against Q.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat import Model
from thermosat.fem.integration import CellSet
from thermosat.mesh.core import Mesh
from thermosat.mesh.generators import box, quadratic
from thermosat.verification.case import CaseResult

NAME = "quadratic_3d_cylinder"

R1_M, R2_M, H_M = 0.5, 1.0, 0.25
K_W_MK, T1_K, T2_K = 1.0, 400.0, 300.0
MESHES = (2, 4, 8, 16)
CELLS = ("hex20", "tet10", "hex8", "tet4")


def exact_k(r):
    return T1_K + (T2_K - T1_K) * np.log(r / R1_M) / math.log(R2_M / R1_M)


def exact_heat_flow_w() -> float:
    return 0.5 * math.pi * K_W_MK * H_M * (T1_K - T2_K) / math.log(R2_M / R1_M)


def to_tube(p: np.ndarray) -> np.ndarray:
    """Map the parameter box (s, t, z) onto the quarter tube (m)."""
    r = R1_M + (R2_M - R1_M) * p[:, 0]
    phi = 0.5 * math.pi * p[:, 1]
    return np.stack([r * np.cos(phi), r * np.sin(phi), p[:, 2]], axis=1)


def tube_mesh(n: int, cell: str) -> Mesh:
    """Quarter-tube mesh of ``cell`` (hex8, tet4, hex20, tet10) with n × n × 1 cells;
    boundaries ``xmin`` (inner wall) and ``xmax`` (outer wall)."""
    linear = {"hex20": "hex8", "tet10": "tet4"}.get(cell, cell)
    lin = box(1.0, 1.0, H_M, n, n, 1, cell=linear)
    if cell == linear:
        return Mesh(to_tube(lin.points), lin.cells, lin.cell_type, lin.cell_regions,
                    lin.boundaries)
    return quadratic(lin, to_tube)


def l2_error(mesh: Mesh, T: np.ndarray) -> float:
    """‖T_h − T‖_L2 over the (isoparametric) cells (K·m^1.5)."""
    cs = CellSet(mesh.points, mesh.cells, mesh.cell_type, 6)
    xq = np.einsum("qa,eai->eqi", cs.N, mesh.points[mesh.cells])
    th = np.einsum("qa,ea->eq", cs.N, T[mesh.cells])
    r = np.hypot(xq[..., 0], xq[..., 1])
    return float(math.sqrt(np.sum(cs.wdet * (th - exact_k(r)) ** 2)))


def wall_heat_flow_w(m: Model, T: np.ndarray, boundary: str) -> float:
    """Heat (W) entering through the fixed-temperature ``boundary``: the sum of the nodal
    reactions of the discrete balance there (the serendipity hex20 has reactions of both
    signs on one wall, so per-node in/out splits do not give it)."""
    system = m.build()
    R, _, _ = system.residual(T, 0.0, system.load(0.0), jacobian=False)
    return float(R[m.part().mesh.boundary(boundary).nodes].sum())


def solve(n: int, cell: str):
    mesh = tube_mesh(n, cell)
    m = Model(mesh)
    m.material(conductivity=K_W_MK)
    m.fixed_temperature("xmin", T1_K)
    m.fixed_temperature("xmax", T2_K)
    res = m.solve_steady(rtol=1e-12)
    return mesh, res, wall_heat_flow_w(m, res.T, "xmin")


def run() -> CaseResult:
    q_ref = exact_heat_flow_w()
    rows: list[dict] = []
    for cell in CELLS:
        prev = None
        for n in MESHES:
            mesh, res, q = solve(n, cell)
            e = l2_error(mesh, res.T)
            row = {"mesh": f"{n}x{n}x1 {cell}", "cell": cell, "n": n, "nodes": mesh.n_points,
                   "l2_error": e, "heat_flow_w": q, "rel_error": abs(q - q_ref) / q_ref}
            if prev is not None:
                row["order"] = math.log2(prev / e)
            prev = e
            rows.append(row)
    hex20 = [r for r in rows if r["cell"] == "hex20"]
    return CaseResult(
        name=NAME, reference=3.0, computed=hex20[-1]["order"], tolerance=0.1, absolute=True,
        unit="-",
        source=("closed-form radial conduction in a tube (Incropera & DeWitt §3.3.1); L2 order "
                "p+1 = 3 of isoparametric quadratic cells (Ciarlet & Raviart 1972; Brenner & "
                "Scott §10.4)"),
        meshes=rows,
    )


if __name__ == "__main__":
    from thermosat.verification.runner import print_case

    print_case(run())
