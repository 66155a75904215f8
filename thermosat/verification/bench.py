"""Benchmarks: the same problems solved by thermosat and by scikit-fem + scipy, side by side.

Every row builds one mesh, solves it with thermosat and with a plain scikit-fem + scipy
script (assembly with ``asm``, a hand-written Newton loop with ``scipy.sparse.linalg.spsolve``,
the way a scikit-fem user writes it), checks that the two answers agree (``max_rel_diff``)
and only then reports the times. Problems:

``assembly_tri``
    Linear-triangle conduction matrix ``∫ k t ∇N_a·∇N_b`` (W/K) on a unit square.
``steady_radiation_2d``
    A 1 m × 1 m aluminium plate (tri3, 2 mm, k = 170 W/m/K) with a 600 W source on a
    0.3 m × 0.3 m chip area, radiating from both faces (ε = 0.85) to a 3 K sink: a cell-area
    term ``2 ε σ (T⁴ − T_sink⁴)``. Newton to 1e-10 relative residual from 300 K.
``steady_radiation_3d``
    A 1 m × 1 m × 20 mm hex8 stack (8 layers), the source in the chip area of the bottom
    quarter, radiation from the top and bottom faces.
``transient_2d``
    The plate of ``steady_radiation_2d`` with ρc of aluminium, from 250 K, 100 backward
    Euler steps of 10 s, Newton to 1e-10 in every step.
``ray_cast``
    Ray casting against a satellite-sized facet mesh (:func:`ray_cast_row`): a 40 m × 10 m
    two-sided panel with two 40 m × 5 m two-sided wings along its long edges (at right
    angles, toward −z), 0.2 m quads, 40 k facets; the BVH build, the sunlit fraction (one ray
    per Gauss point) and the blocked Earth view (4 × 16 strata per Gauss point, 2 × 2 points
    per facet) of every facet, timed in this process after a warm-up; reported as rays per
    second (no baseline: Embree is not a dependency).
``linear_solver_choice``
    Linear conduction (k = 100 W/m/K, source, one fixed face) on a quasi-2D 3D plate
    (120 × 60 × 1 hex8, 14.8 k nodes) and on a cube (30³ hex8, 29.8 k nodes), solved with
    ``solver="auto"`` and with the method auto did not choose (baseline column): auto must
    factorise the plate and use AMG on the cube, each in one Newton step
    (:func:`solver_choice_rows`, in this process, after a warm-up).

Each side of a row runs in a fresh Python process (``python -m thermosat.verification.bench``): it warms
up on a tiny mesh first (Numba compile or cache load, timed as ``compile_s``), resets the
kernel's resident-set high-water mark (``/proc/self/clear_refs``), runs the timed problem (the
minimum of several repeats for small sizes) and reports the peak resident set (``VmHWM``)
of that phase. Example::

    from thermosat.verification.bench import run
    rows = run(quick=True)
"""
from __future__ import annotations

import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from thermosat.verification.optional import missing, skip_note

__all__ = ["PROBLEMS", "FULL_SIZES", "QUICK_SIZES", "BASELINE", "BASELINE_MAX", "Row", "run",
           "run_row", "run_side", "panel_mesh", "stack_mesh", "machine_info", "PANEL", "STACK",
           "table_markdown", "plot_time_per_unknown", "write_results", "viewfactor_available",
           "ray_cast_row"]

PROBLEMS = ("assembly_tri", "steady_radiation_2d", "steady_radiation_3d", "transient_2d")
#: problems with a scikit-fem baseline (needs the test extra)
BASELINE_PROBLEMS = PROBLEMS
#: rows comparing the automatic linear-solver choice with the forced alternative
SOLVER_CHOICE = "linear_solver_choice"
#: the ray-casting row (rays per second on a satellite-sized mesh)
RAY_CAST = "ray_cast"

#: target numbers of unknowns per problem (full run)
FULL_SIZES = {
    "assembly_tri": (10_000, 100_000, 1_000_000),
    "steady_radiation_2d": (10_000, 100_000, 300_000, 1_000_000),
    "steady_radiation_3d": (10_000, 100_000, 300_000),
    "transient_2d": (10_000, 100_000, 1_000_000),
}
#: small sizes for ``--quick`` (a minute or two in all)
QUICK_SIZES = {
    "assembly_tri": (10_000,),
    "steady_radiation_2d": (10_000,),
    "steady_radiation_3d": (10_000,),
    "transient_2d": (2_500,),
}
#: largest size (unknowns) at which the scikit-fem + spsolve baseline is run, and why not above
BASELINE_MAX = {
    "assembly_tri": (10**9, ""),
    "steady_radiation_2d": (300_000, ("skipped above 3e5 unknowns: SuperLU fill-in grows like "
                                      "N^1.5 (minutes per Newton step at 1e6)")),
    "steady_radiation_3d": (100_000, ("skipped above 1e5 unknowns: SuperLU fill-in in 3D grows "
                                      "like N^2 (1-4 min at 1e5 in our runs, far longer at 3e5)")),
    "transient_2d": (10_000, ("skipped above 1e4 unknowns: 220 Newton steps x spsolve (14-41 s "
                              "at 1e4 in our runs) grow faster than N^1.5 (about 5 min projected "
                              "at 1e5)")),
}
BASELINE = "scikit-fem + scipy spsolve"


@dataclass(frozen=True)
class PanelSpec:
    """The radiating plate of the 2D problems (SI units, K)."""

    length_m: float = 1.0
    thickness_m: float = 2e-3
    conductivity: float = 170.0
    density: float = 2700.0
    specific_heat: float = 900.0
    emissivity: float = 0.85
    t_sink_k: float = 3.0
    chip_m: float = 0.3
    power_w: float = 600.0
    t_start_k: float = 300.0
    transient_t0_k: float = 250.0
    dt_s: float = 10.0
    n_steps: int = 100


@dataclass(frozen=True)
class StackSpec:
    """The hex stack of the 3D problem (SI units, K)."""

    length_m: float = 1.0
    height_m: float = 0.02
    layers: int = 8
    conductivity: float = 170.0
    emissivity: float = 0.85
    t_sink_k: float = 3.0
    chip_m: float = 0.3
    power_w: float = 600.0
    t_start_k: float = 300.0


PANEL = PanelSpec()
STACK = StackSpec()
SIGMA = 5.670374419e-8


# --------------------------------------------------------------------------- meshes
def _chip_cells(points: np.ndarray, cells: np.ndarray, centre: float, half: float,
                zmax: float | None = None) -> np.ndarray:
    c = points[cells].mean(axis=1)
    inside = (np.abs(c[:, 0] - centre) < half) & (np.abs(c[:, 1] - centre) < half)
    if zmax is not None:
        inside &= c[:, 2] < zmax
    return np.flatnonzero(inside).astype(np.int32)


def panel_mesh(unknowns: int, spec: PanelSpec = PANEL):
    """Tri3 shell of about ``unknowns`` nodes with region ``chip`` and faces front/back."""
    from thermosat.mesh.generators import shell

    nx = max(2, int(round(np.sqrt(unknowns))) - 1)
    m = shell(spec.length_m, spec.length_m, nx, nx, cell="tri3")
    chip = _chip_cells(m.points, m.cells, spec.length_m / 2, spec.chip_m / 2)
    return m.with_regions({"chip": chip})


def stack_mesh(unknowns: int, spec: StackSpec = STACK):
    """Hex8 box of about ``unknowns`` nodes, ``spec.layers`` layers, region ``chip``."""
    from thermosat.mesh.generators import box

    nx = max(2, int(round(np.sqrt(unknowns / (spec.layers + 1)))) - 1)
    m = box(spec.length_m, spec.length_m, spec.height_m, nx, nx, spec.layers, cell="hex8")
    chip = _chip_cells(m.points, m.cells, spec.length_m / 2, spec.chip_m / 2,
                       zmax=spec.height_m / 4)
    return m.with_regions({"chip": chip})


def _cell_measure(points, cells, kind) -> np.ndarray:
    if kind == "tri":
        a = points[cells[:, 1]] - points[cells[:, 0]]
        b = points[cells[:, 2]] - points[cells[:, 0]]
        return 0.5 * np.linalg.norm(np.cross(a, b), axis=1)
    lo = points[cells].min(axis=1)
    hi = points[cells].max(axis=1)
    return np.prod(hi - lo, axis=1)  # axis-aligned boxes


def _source_w_m3(mesh, power_w: float, scale: float, kind: str) -> float:
    chip = mesh.region("chip")
    return power_w / (scale * float(_cell_measure(mesh.points, mesh.cells[chip], kind).sum()))


# --------------------------------------------------------------------------- thermosat side
def _ts_panel_model(mesh, spec: PanelSpec, transient: bool):
    from thermosat.model.model import Model

    m = Model(mesh)
    kw = {"density": spec.density, "specific_heat": spec.specific_heat} if transient else {}
    m.material(conductivity=spec.conductivity, thickness_m=spec.thickness_m, **kw)
    m.heat_source("chip", q_w_m3=_source_w_m3(mesh, spec.power_w, spec.thickness_m, "tri"))
    m.radiation("front", spec.emissivity, t_sink_k=spec.t_sink_k)
    m.radiation("back", spec.emissivity, t_sink_k=spec.t_sink_k)
    return m


def ts_assembly(mesh, spec: PanelSpec = PANEL):
    """thermosat: conduction matrix of ``mesh``; returns (setup_s, assemble_fn, matrix_fn)."""
    from thermosat.fem.integration import CellSet
    from thermosat.fem.pattern import build_pattern
    from thermosat.terms.conduction import Conduction

    t0 = time.perf_counter()
    conn = mesh.cells.astype(np.int64)
    term = Conduction(CellSet(mesh.points, conn, "tri3", 0,
                              np.full(len(conn), spec.thickness_m)), spec.conductivity)
    pattern = build_pattern(mesh.n_points, term.blocks())
    term.bind(pattern)
    data = pattern.zeros()
    setup = time.perf_counter() - t0

    def assemble():
        data[:] = 0.0
        term.add_matrix(data)
        return pattern.matrix(data)

    return setup, assemble


def ts_steady_2d(mesh, spec: PanelSpec = PANEL):
    m = _ts_panel_model(mesh, spec, False)
    res = m.solve_steady(T0=spec.t_start_k, rtol=1e-10)
    return res.T, {"newton_iterations": res.convergence.iterations,
                   "linear_iterations": int(sum(res.convergence.linear_iterations))}


def ts_steady_3d(mesh, spec: StackSpec = STACK):
    from thermosat.model.model import Model

    m = Model(mesh)
    m.material(conductivity=spec.conductivity)
    m.heat_source("chip", q_w_m3=_source_w_m3(mesh, spec.power_w, 1.0, "hex"))
    m.radiation("zmin", spec.emissivity, t_sink_k=spec.t_sink_k)
    m.radiation("zmax", spec.emissivity, t_sink_k=spec.t_sink_k)
    res = m.solve_steady(T0=spec.t_start_k, rtol=1e-10)
    return res.T, {"newton_iterations": res.convergence.iterations,
                   "linear_iterations": int(sum(res.convergence.linear_iterations))}


def ts_transient_2d(mesh, spec: PanelSpec = PANEL):
    m = _ts_panel_model(mesh, spec, True)
    res = m.solve_transient(spec.n_steps * spec.dt_s, spec.dt_s, spec.transient_t0_k,
                            scheme="backward_euler", rtol=1e-10, save_every=spec.n_steps)
    its = sum(h.iterations for h in res.convergence_steps)
    return res.frames[-1], {"newton_iterations": int(its)}


# --------------------------------------------------------------------------- scikit-fem side
def _sk_tri(mesh):
    from skfem import MeshTri

    return MeshTri(np.ascontiguousarray(mesh.points[:, :2].T),
                   np.ascontiguousarray(mesh.cells.T.astype(np.int64)))


def sk_assembly(mesh, spec: PanelSpec = PANEL):
    """scikit-fem: (setup_s, assemble_fn) for the same conduction matrix."""
    from skfem import Basis, ElementTriP1, asm

    t0 = time.perf_counter()
    basis = Basis(_sk_tri(mesh), ElementTriP1())
    setup = time.perf_counter() - t0
    conduction = _sk_forms(spec.conductivity * spec.thickness_m, 0.0, 0.0, 0.0)[0]
    return setup, lambda: asm(conduction, basis)


def _sk_newton(K, f, assemble_rad, T, rtol=1e-10, max_iter=40, M=None, b=None):
    """A scikit-fem user's Newton loop: residual, Jacobian, spsolve, repeat."""
    from scipy.sparse.linalg import spsolve

    fnorm = np.abs(f).sum() if b is None else np.abs(f).sum() + np.abs(M @ b).sum()
    for it in range(max_iter + 1):
        r_rad, J_rad = assemble_rad(T)
        r = K @ T - f + r_rad
        J = K + J_rad
        if M is not None:
            r += M @ (T - b)
            J = J + M
        if np.abs(r).sum() / fnorm < rtol:
            return T, it
        T = T - spsolve(J, r)
    raise RuntimeError("scikit-fem Newton did not converge")


def _sk_forms(k: float, q: float, es: float, ts4: float):
    """scikit-fem forms of the baseline: conduction k (W/K or W/m/K), source q, radiation
    es·(T⁴ − T_sink⁴) with its Jacobian (es = ε σ, times 2 for both faces of a plate)."""
    from skfem import BilinearForm, LinearForm
    from skfem.helpers import dot, grad

    @BilinearForm
    def conduction(u, v, w):
        return k * dot(grad(u), grad(v))

    @LinearForm
    def source(v, w):
        return q * v

    @LinearForm
    def rad(v, w):
        return es * (w["T"] ** 4 - ts4) * v

    @BilinearForm
    def rad_jac(u, v, w):
        return 4.0 * es * w["T"] ** 3 * u * v

    return conduction, source, rad, rad_jac


def _sk_panel(mesh, spec: PanelSpec):
    from skfem import Basis, ElementTriP1, asm

    m = _sk_tri(mesh)
    e = ElementTriP1()
    basis = Basis(m, e)
    rbasis = Basis(m, e, intorder=5)  # ε σ T⁴ v is degree 5: integrate it exactly
    cbasis = Basis(m, e, elements=mesh.region("chip"))
    kt = spec.conductivity * spec.thickness_m
    qt = _source_w_m3(mesh, spec.power_w, spec.thickness_m, "tri") * spec.thickness_m
    es = 2.0 * spec.emissivity * SIGMA  # both faces
    ts4 = spec.t_sink_k ** 4

    conduction, source, rad, rad_jac = _sk_forms(kt, qt, es, ts4)

    def assemble_rad(T):
        Tq = rbasis.interpolate(T)
        return asm(rad, rbasis, T=Tq), asm(rad_jac, rbasis, T=Tq)

    return basis, asm(conduction, basis), asm(source, cbasis), assemble_rad


def sk_steady_2d(mesh, spec: PanelSpec = PANEL):
    _, K, f, assemble_rad = _sk_panel(mesh, spec)
    T, its = _sk_newton(K, f, assemble_rad, np.full(mesh.n_points, spec.t_start_k))
    return T, {"newton_iterations": its}


def sk_steady_3d(mesh, spec: StackSpec = STACK):
    from skfem import Basis, ElementHex1, FacetBasis, MeshHex, asm
    from skfem.io.meshio import INV_HEX_MAPPING

    m = MeshHex(np.ascontiguousarray(mesh.points.T),
                np.ascontiguousarray(mesh.cells.T[INV_HEX_MAPPING[:8]].astype(np.int64)))
    e = ElementHex1()
    basis = Basis(m, e, intorder=2)  # exact for the stiffness of these affine hexes
    cbasis = Basis(m, e, elements=mesh.region("chip"), intorder=2)
    h = spec.height_m
    faces = m.facets_satisfying(lambda x: np.isclose(x[2], 0.0) | np.isclose(x[2], h))
    fbasis = FacetBasis(m, e, facets=faces, intorder=5)
    k = spec.conductivity
    q = _source_w_m3(mesh, spec.power_w, 1.0, "hex")
    es = spec.emissivity * SIGMA
    ts4 = spec.t_sink_k ** 4

    conduction, source, rad, rad_jac = _sk_forms(k, q, es, ts4)

    def assemble_rad(T):
        Tq = fbasis.interpolate(T)
        return asm(rad, fbasis, T=Tq), asm(rad_jac, fbasis, T=Tq)

    K = asm(conduction, basis)
    f = asm(source, cbasis)
    T, its = _sk_newton(K, f, assemble_rad, np.full(mesh.n_points, spec.t_start_k))
    return T, {"newton_iterations": its}


def sk_transient_2d(mesh, spec: PanelSpec = PANEL):
    from skfem import BilinearForm, asm

    basis, K, f, assemble_rad = _sk_panel(mesh, spec)
    rc = spec.density * spec.specific_heat * spec.thickness_m / spec.dt_s

    @BilinearForm
    def mass(u, v, w):
        return rc * u * v

    M = asm(mass, basis)
    T = np.full(mesh.n_points, spec.transient_t0_k)
    total = 0
    for _ in range(spec.n_steps):
        T, its = _sk_newton(K, f, assemble_rad, T.copy(), M=M, b=T)
        total += its
    return T, {"newton_iterations": total}


# --------------------------------------------------------------------------- one side of a row
_SOLVERS = {
    ("steady_radiation_2d", "thermosat"): (ts_steady_2d, panel_mesh),
    ("steady_radiation_2d", "skfem"): (sk_steady_2d, panel_mesh),
    ("steady_radiation_3d", "thermosat"): (ts_steady_3d, stack_mesh),
    ("steady_radiation_3d", "skfem"): (sk_steady_3d, stack_mesh),
    ("transient_2d", "thermosat"): (ts_transient_2d, panel_mesh),
    ("transient_2d", "skfem"): (sk_transient_2d, panel_mesh),
}
_WARMUP_UNKNOWNS = {"assembly_tri": 400, "steady_radiation_2d": 400, "steady_radiation_3d": 600,
                    "transient_2d": 100}


def _rss() -> tuple[int, int]:
    """(current, peak) resident set of this process (bytes) from /proc, or ru_maxrss."""
    cur = peak = 0
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    cur = int(line.split()[1]) * 1024
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) * 1024
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return cur, peak


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _repeats(problem: str, first_s: float | None = None) -> int:
    """Most timed runs of one row (short runs get more: a busy machine hits them hardest);
    repeats stop once a run takes over ``REPEAT_BELOW_S``."""
    if problem == "assembly_tri" or (first_s is not None and first_s < 1.0):
        return 7
    return 3


#: a timed run shorter than this (s) is repeated (up to :func:`_repeats` runs, minimum kept)
REPEAT_BELOW_S = 8.0


def _run_assembly(mesh, side: str, repeats: int):
    setup_s, assemble = (ts_assembly if side == "thermosat" else sk_assembly)(mesh)
    t0 = time.perf_counter()
    A = assemble()
    first = time.perf_counter() - t0
    best = first
    for _ in range(repeats - 1):
        t0 = time.perf_counter()
        A = assemble()
        best = min(best, time.perf_counter() - t0)
    A = A.tocsr()
    A.sort_indices()
    return best, {"setup_s": setup_s, "first_with_setup_s": setup_s + first}, A


def run_side(problem: str, unknowns: int, side: str, out_path: str | None = None) -> dict:
    """Run one side (``thermosat`` or ``skfem``) of a row in this process; returns its record.

    The solution (temperatures, or the matrix for ``assembly_tri``) is saved to ``out_path``
    (``.npz``) for the comparison.
    """
    if problem == "assembly_tri":
        make_mesh = panel_mesh
    else:
        fn, make_mesh = _SOLVERS[(problem, side)]
    # warm-up on a tiny mesh: JIT compile (or cache load), imports, first-call costs
    small = make_mesh(_WARMUP_UNKNOWNS[problem])
    t0 = time.perf_counter()
    if problem == "assembly_tri":
        _run_assembly(small, side, 1)
    else:
        fn(small)
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    if problem == "assembly_tri":
        _run_assembly(small, side, 1)
    else:
        fn(small)
    t_second = time.perf_counter() - t0
    if side == "thermosat" and problem != "assembly_tri":
        import pyamg  # noqa: F401  (imported lazily by large solves: keep it out of the timing)
    rss0, _ = _rss()  # after imports and warm-up, before the mesh: the mesh counts
    reset = _reset_peak()
    mesh = make_mesh(unknowns)
    repeats = _repeats(problem)
    extra: dict = {}
    if problem == "assembly_tri":
        best, extra, A = _run_assembly(mesh, side, repeats)
        _, peak = _rss()
        payload = {"indptr": A.indptr, "indices": A.indices, "data": A.data}
    else:
        best = np.inf
        done = 0
        while done < repeats:
            t0 = time.perf_counter()
            c0 = time.process_time()
            T, extra = fn(mesh)
            elapsed = time.perf_counter() - t0
            if elapsed < best:
                cpu = time.process_time() - c0
            best = min(best, elapsed)
            done += 1
            if done == 1:
                _, peak = _rss()  # the peak of the first run: later ones only time
                repeats = _repeats(problem, elapsed)
            gc.collect()  # models hold reference cycles: free one before the next
            if elapsed > REPEAT_BELOW_S:
                break
        repeats = done
        payload = {"T": np.asarray(T)}
    if problem == "assembly_tri":
        cpu = None
    if out_path:
        np.savez(out_path, **payload)
    return {"problem": problem, "side": side, "unknowns": int(mesh.n_points), "time_s": best,
            "repeats": repeats, "compile_s": max(t_first - t_second, 0.0),
            "peak_mem_bytes": int(peak), "rss_before_bytes": int(rss0),
            "peak_reset": reset, "cpu_s": cpu, "load_avg": os.getloadavg()[0], **extra}


def _child(problem: str, unknowns: int, side: str, out_path: str, timeout: float) -> dict:
    env = dict(os.environ)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("MKL_NUM_THREADS", "1")
    cmd = [sys.executable, "-m", "thermosat.verification.bench", problem, str(unknowns), side, out_path]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"bench {problem} {unknowns} {side} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _compare(problem: str, a_path: str, b_path: str) -> float:
    a, b = np.load(a_path), np.load(b_path)
    if problem == "assembly_tri":
        import scipy.sparse as sp

        n = len(a["indptr"]) - 1
        A = sp.csr_matrix((a["data"], a["indices"], a["indptr"]), shape=(n, n))
        B = sp.csr_matrix((b["data"], b["indices"], b["indptr"]), shape=(n, n))
        D = (A - B).tocsr()
        return float(np.abs(D.data).max(initial=0.0) / np.abs(B.data).max())
    Ta, Tb = a["T"], b["T"]
    return float(np.max(np.abs(Ta - Tb)) / np.max(np.abs(Tb)))


@dataclass
class Row:
    """One benchmark row (see :func:`run`)."""

    problem: str
    unknowns: int
    thermosat_s: float
    baseline: str
    baseline_s: float | None
    ratio: float | None
    max_rel_diff: float | None
    peak_mem_bytes: int
    extra: dict

    def to_json(self) -> dict:
        d = {k: getattr(self, k) for k in ("problem", "unknowns", "thermosat_s", "baseline",
                                            "baseline_s", "ratio", "max_rel_diff",
                                            "peak_mem_bytes")}
        d.update(self.extra)
        return d


def run_row(problem: str, unknowns: int, *, baseline: bool = True,
            timeout: float = 3600.0) -> dict:
    """One row: thermosat and (unless skipped) scikit-fem in fresh processes, compared."""
    with tempfile.TemporaryDirectory(prefix="thermosat-bench-") as tmp:
        a_path = os.path.join(tmp, "thermosat.npz")
        b_path = os.path.join(tmp, "skfem.npz")
        ts = _child(problem, unknowns, "thermosat", a_path, timeout)
        limit, why = BASELINE_MAX[problem]
        sk = None
        note = ""
        if not baseline:
            note = "baseline not requested"
        elif problem in BASELINE_PROBLEMS and missing("skfem"):
            note = "baseline " + skip_note("skfem")
        elif unknowns > limit:
            note = why
        else:
            sk = _child(problem, unknowns, "skfem", b_path, timeout)
        diff = _compare(problem, a_path, b_path) if sk else None
    mem = ts["peak_mem_bytes"]
    extra = {
        "compile_s": ts["compile_s"],
        "time_per_unknown_us": 1e6 * ts["time_s"] / ts["unknowns"],
        "mem_per_unknown_bytes": (mem - ts["rss_before_bytes"]) / ts["unknowns"],
        "repeats": ts["repeats"],
        "thermosat_cpu_s": ts.get("cpu_s"),
        "load_avg_1min": ts.get("load_avg"),
    }
    for key in ("setup_s", "first_with_setup_s", "newton_iterations", "linear_iterations"):
        if key in ts:
            extra[key] = ts[key]
    if sk:
        extra["baseline_peak_mem_bytes"] = sk["peak_mem_bytes"]
        extra["baseline_mem_per_unknown_bytes"] = ((sk["peak_mem_bytes"] - sk["rss_before_bytes"])
                                                   / sk["unknowns"])
        for key in ("setup_s", "first_with_setup_s", "newton_iterations"):
            if key in sk:
                extra[f"baseline_{key}"] = sk[key]
        if "first_with_setup_s" in sk:
            extra["ratio_with_setup"] = sk["first_with_setup_s"] / ts["first_with_setup_s"]
    if note:
        extra["baseline_note"] = note
    return Row(problem, ts["unknowns"], ts["time_s"], BASELINE, sk["time_s"] if sk else None,
               sk["time_s"] / ts["time_s"] if sk else None, diff, mem, extra).to_json()


_VF_CHILD = """
import json, sys
sys.path.insert(0, {scripts!r})
try:
    from thermosat.radiation.viewfactors import bench_viewfactors_10k as fn
except ImportError:
    from bench_viewfactors import bench_viewfactors_10k as fn
print(json.dumps(fn(), default=float))
"""


def viewfactor_available() -> bool:
    """Whether a ``bench_viewfactors_10k`` function can be imported (library or scripts/)."""
    import importlib.util

    try:
        from thermosat.radiation import viewfactors

        if hasattr(viewfactors, "bench_viewfactors_10k"):
            return True
    except Exception:  # noqa: BLE001, S110 - a broken module means the row is skipped
        pass
    script = Path(__file__).resolve().parent.parent / "scripts" / "bench_viewfactors.py"
    if not script.exists():
        return False
    spec = importlib.util.spec_from_file_location("_bench_vf_probe", script)
    try:
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - not importable: skip the row silently
        return False
    return hasattr(mod, "bench_viewfactors_10k")


def _viewfactor_row(timeout: float = 3600.0) -> dict | None:
    """The ``view_factors_10k`` row (run in a fresh process) if its benchmark is importable."""
    if not viewfactor_available():
        return None
    if missing("pyviewfactor"):
        return {"problem": "view_factors_10k", "unknowns": None, "thermosat_s": None,
                "baseline": "pyviewfactor", "baseline_s": None, "ratio": None,
                "max_rel_diff": None, "peak_mem_bytes": None,
                "baseline_note": skip_note("pyviewfactor")}
    scripts = str(Path(__file__).resolve().parent.parent / "scripts")
    env = dict(os.environ)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    proc = subprocess.run([sys.executable, "-c", _VF_CHILD.format(scripts=scripts)],
                          capture_output=True, text=True, env=env, timeout=timeout, check=False)
    if proc.returncode != 0:
        return {"problem": "view_factors_10k", "unknowns": None, "thermosat_s": None,
                "baseline": "pyviewfactor", "baseline_s": None, "ratio": None,
                "max_rel_diff": None, "peak_mem_bytes": None,
                "error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["problem"] = "view_factors_10k"
    row.setdefault("unknowns", row.get("facets"))
    for key in ("thermosat_s", "baseline", "baseline_s", "ratio", "max_rel_diff",
                "peak_mem_bytes"):
        row.setdefault(key, None)
    return row


def _linear_model(kind: str):
    from thermosat.mesh.generators import box
    from thermosat.model import Model

    m = Model(box(1.2, 0.6, 0.01, 120, 60, 1) if kind == "plate" else box(1, 1, 1, 30, 30, 30))
    m.material(conductivity=100.0)
    m.fixed_temperature("xmin", 300.0)
    m.heat_source(q_w_m3=1e5)
    return m


def solver_choice_rows(kinds=("plate", "cube")) -> list[dict]:
    """One row per geometry: ``solver="auto"`` (thermosat_s) against the method auto did not
    choose (baseline_s), the same linear problem, in this process after a warm-up."""
    from thermosat.solve.steady import make_linear_solver

    warm = _linear_model("plate")
    warm.solve_steady(solver="direct")
    rows = []
    for kind in kinds:
        m = _linear_model(kind)
        m.build()
        ls = make_linear_solver(m, "auto")
        t0 = time.perf_counter()
        res = m.solve_steady(linear=ls)
        t_auto = time.perf_counter() - t0
        other = "amg" if ls.choice == "direct" else "direct"
        t0 = time.perf_counter()
        res_o = m.solve_steady(solver=other)
        t_other = time.perf_counter() - t0
        diff = float(np.max(np.abs(res.T - res_o.T)) / np.max(np.abs(res_o.T)))
        rows.append({"problem": f"{SOLVER_CHOICE}_{kind}", "unknowns": int(m.n_nodes),
                     "thermosat_s": t_auto, "baseline": f"thermosat solver={other!r}",
                     "baseline_s": t_other, "ratio": t_other / t_auto, "max_rel_diff": diff,
                     "peak_mem_bytes": None, "newton_iterations": res.convergence.iterations,
                     "auto_choice": ls.choice, "envelope": ls.facts["envelope"],
                     "baseline_note": (f"auto chose {ls.choice} (RCM envelope "
                                       f"{ls.facts['envelope']:.2g}); baseline: {other}")})
    return rows


def _satellite_scene_facets(h: float = 0.2):
    """Panel (40 × 10 m, z = 0) and two wings (40 × 5 m, toward −z along y = 0 and y = 10),
    all two-sided, quads of about ``h`` m: ``(points, facets)``."""
    from thermosat.mesh.generators import shell
    from thermosat.radiation import stack_facets

    L, W, D = 40.0, 10.0, 5.0
    nx, ny, nz = round(L / h), round(W / h), round(D / h)
    parts = []
    for m in (shell(L, W, nx, ny, normal=(0.0, 0.0, 1.0)),
              shell(L, D, nx, nz, origin=(0.0, 0.0, -D), normal=(0.0, -1.0, 0.0),
                    u_axis=(1.0, 0.0, 0.0)),
              shell(L, D, nx, nz, origin=(0.0, W, -D), normal=(0.0, 1.0, 0.0),
                    u_axis=(1.0, 0.0, 0.0))):
        parts += [(m.points, m.boundary("front").facets), (m.points, m.boundary("back").facets)]
    pts, fac, _ = stack_facets(*parts)
    return pts, fac


def ray_cast_row(h: float = 0.2) -> dict:
    """The ``ray_cast`` row: BVH build and ray casting on the satellite-sized scene."""
    from thermosat.radiation.raytrace import build_scene, earth_blockage, sun_fraction

    sun = np.array([0.2, 0.0, 1.0])
    nadir = np.array([0.0, 0.3, -1.0])
    sin_rho = 6378.137 / (6378.137 + 500.0)
    warm = build_scene(*_satellite_scene_facets(5.0))          # compile / cache load
    sun_fraction(warm, sun)
    earth_blockage(warm, nadir, sin_rho, n_u=2, n_phi=4)
    pts, fac = _satellite_scene_facets(h)
    t0 = time.perf_counter()
    scene = build_scene(pts, fac, sample_points=2)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    lit = sun_fraction(scene, sun)
    t_sun = time.perf_counter() - t0
    n_sun = int(np.count_nonzero(scene.geometry.normals @ sun > 0.0)) * scene.points.shape[1]
    eb = earth_blockage(scene, nadir, sin_rho, n_u=4, n_phi=16)
    nf = scene.n_facets
    return {"problem": RAY_CAST, "unknowns": nf, "thermosat_s": eb.seconds + t_sun,
            "baseline": "none", "baseline_s": None, "ratio": None, "max_rel_diff": None,
            "peak_mem_bytes": None, "facets": nf, "bvh_build_s": t_build,
            "earth_rays": eb.n_rays, "earth_rays_per_s": eb.rays_per_second,
            "sun_rays": n_sun, "sun_rays_per_s": n_sun / t_sun if t_sun > 0 else None,
            "rays_per_s": (eb.n_rays + n_sun) / (eb.seconds + t_sun),
            "sunlit_fraction_mean": float(lit.mean()),
            "baseline_note": (f"{(eb.n_rays + n_sun) / (eb.seconds + t_sun) / 1e6:.2f} M rays/s "
                              f"on {nf:,} facets (BVH build {t_build:.2f} s); no baseline")}


def run(quick: bool = False, problems=None, sizes: dict | None = None, baseline: bool = True,
        progress=None) -> list[dict]:
    """Run the benchmark rows; ``quick`` uses the small sizes only.

    ``progress`` is called with each finished row (e.g. to print it).
    """
    table = sizes or (QUICK_SIZES if quick else FULL_SIZES)
    rows = []
    for problem in problems or PROBLEMS:
        if problem == SOLVER_CHOICE:
            continue
        for n in table.get(problem, ()):
            row = run_row(problem, n, baseline=baseline)
            rows.append(row)
            if progress:
                progress(row)
    if (problems is None and sizes is None) or (problems and SOLVER_CHOICE in problems):
        for row in solver_choice_rows():
            rows.append(row)
            if progress:
                progress(row)
    if (problems is None and sizes is None) or (problems and RAY_CAST in problems):
        row = ray_cast_row(0.5 if quick else 0.2)
        rows.append(row)
        if progress:
            progress(row)
    if not quick and (problems is None or "view_factors_10k" in problems):
        row = _viewfactor_row()
        if row is not None:
            rows.append(row)
            if progress:
                progress(row)
    return rows


def machine_info() -> dict:
    """CPU, cores, memory, Python and library versions of this machine."""
    import importlib.metadata as md

    info = {"python": platform.python_version(), "platform": platform.platform(),
            "cores": os.cpu_count()}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                info["cpu"] = line.split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as fh:
            info["memory_bytes"] = int(fh.readline().split()[1]) * 1024
    except OSError:
        pass
    for pkg in ("numpy", "scipy", "numba", "pyamg", "scikit-fem"):
        try:
            info[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            info[pkg] = None
    return info


def _fmt(v, spec: str) -> str:
    return "—" if v is None else format(v, spec)


def table_markdown(rows: list[dict]) -> str:
    """The rows as a Markdown table (times in s, memory in MB)."""
    head = ("| problem | unknowns | thermosat s | scikit-fem s | ratio | max rel diff | "
            "peak MB | B/unknown | compile s | Newton its | note |")
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        mem = r.get("peak_mem_bytes")
        note = r.get("baseline_note", "") or r.get("error", "")
        if r.get("problem") == "view_factors_10k" and r.get("baseline_estimated"):
            note = "pyviewfactor time estimated from a subset (see its script)"
        lines.append(
            f"| {r['problem']} | {_fmt(r.get('unknowns'), ',')} | "
            f"{_fmt(r.get('thermosat_s'), '.4g')} | {_fmt(r.get('baseline_s'), '.4g')} | "
            f"{_fmt(r.get('ratio'), '.3g')} | {_fmt(r.get('max_rel_diff'), '.1e')} | "
            f"{_fmt(None if mem is None else mem / 2**20, '.0f')} | "
            f"{_fmt(r.get('mem_per_unknown_bytes'), '.0f')} | {_fmt(r.get('compile_s'), '.2f')} | "
            f"{_fmt(r.get('newton_iterations'), 'd')} | {note} |")
    return "\n".join(lines)


def plot_time_per_unknown(rows: list[dict], path) -> None:
    """Time per unknown (µs) against unknowns for both codes, one colour per problem."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    colours = dict(zip(PROBLEMS, ("tab:blue", "tab:orange", "tab:green", "tab:red")))
    for prob in PROBLEMS:
        pr = [r for r in rows if r["problem"] == prob and r.get("thermosat_s")]
        if not pr:
            continue
        n = np.array([r["unknowns"] for r in pr], float)
        ts = np.array([r["thermosat_s"] for r in pr]) / n * 1e6
        ax.loglog(n, ts, "o-", color=colours[prob], label=f"{prob} thermosat")
        pb = [r for r in pr if r.get("baseline_s")]
        if pb:
            nb_ = np.array([r["unknowns"] for r in pb], float)
            bs = np.array([r["baseline_s"] for r in pb]) / nb_ * 1e6
            ax.loglog(nb_, bs, "s--", color=colours[prob], mfc="none",
                      label=f"{prob} scikit-fem + spsolve")
    ax.set_xlabel("unknowns")
    ax.set_ylabel("wall time per unknown (µs)")
    ax.set_title("thermosat vs scikit-fem + scipy (warm runs, same meshes)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.13))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_results(rows: list[dict], out_dir, info: dict | None = None) -> dict:
    """Write ``results.json``, ``time_per_unknown.png`` and the table into ``RESULTS.md``
    (between ``<!-- table -->`` and ``<!-- /table -->`` if the file has them) in ``out_dir``.
    Returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    info = info or machine_info()
    paths = {"json": out / "results.json", "plot": out / "time_per_unknown.png"}
    paths["json"].write_text(json.dumps({"machine": info, "rows": rows}, indent=1,
                                        default=float) + "\n")
    plot_time_per_unknown(rows, paths["plot"])
    md = out / "RESULTS.md"
    if md.exists():
        text = md.read_text()
        a, b = "<!-- table -->", "<!-- /table -->"
        if a in text and b in text:
            pre, rest = text.split(a, 1)
            _, post = rest.split(b, 1)
            md.write_text(pre + a + "\n" + table_markdown(rows) + "\n" + b + post)
            paths["md"] = md
    return paths


def main(argv: list[str]) -> int:
    """Child entry point: ``python -m thermosat.verification.bench PROBLEM UNKNOWNS SIDE OUT.npz``."""
    problem, unknowns, side, out_path = argv[0], int(argv[1]), argv[2], argv[3]
    rec = run_side(problem, unknowns, side, out_path)
    print(json.dumps(rec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
