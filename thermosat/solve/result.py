"""Result objects of steady and transient solves."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from thermosat.mesh import vtk
from thermosat.solve.records import ZERO_CELSIUS, Convergence, EnergyBalance

__all__ = ["SteadyResult", "TransientResult"]


def _part_conductivity(model, part, T_part: np.ndarray | None = None) -> np.ndarray:
    """Conductivity per cell (W/m/K) for flux output; tables ``[(T_K, k), ...]`` are evaluated
    at the cell-centre temperature of ``T_part`` (K), as the solver does."""
    from thermosat.fem.elements import element
    from thermosat.terms.conduction import as_table

    k = np.zeros(part.mesh.n_cells)
    for mat in model._materials[part.name]:
        tab_t, tab_k, const = as_table(mat.conductivity, "conductivity")
        if const or T_part is None:
            k[mat.cells] = tab_k[0]
            continue
        ref = element(part.mesh.cell_type)
        n_centre = ref.N(np.array([vtk._CENTER[ref.shape]]))[0]
        t_centre = np.asarray(T_part, float)[part.mesh.cells[mat.cells]] @ n_centre
        k[mat.cells] = np.interp(t_centre, tab_t, tab_k)
    return k


class _Fields:
    model: object

    def part_temperature(self, T: np.ndarray, part: str | None = None) -> np.ndarray:
        p = self.model.part(part)
        return T[p.offset:p.offset + p.mesh.n_points]

    def _write_parts(self, T, out_dir: Path, stem: str) -> list[Path]:
        paths = []
        single = len(self.model.parts) == 1
        for name, part in self.model.parts.items():
            Tp = self.part_temperature(T, name)
            pd, cd = vtk.mesh_fields(part.mesh, Tp, _part_conductivity(self.model, part, Tp))
            fname = f"{stem}.vtu" if single else f"{stem}_{name}.vtu"
            paths.append(vtk.write_vtu(out_dir / fname, part.mesh, pd, cd))
        return paths

    def grid(self, T, part: str | None = None):
        """PyVista grid of one part with its fields."""
        p = self.model.part(part)
        Tp = self.part_temperature(T, p.name)
        pd, cd = vtk.mesh_fields(p.mesh, Tp, _part_conductivity(self.model, p, Tp))
        return vtk.to_pyvista(p.mesh, pd, cd)

    def _probe(self, T, points, part):
        import pyvista as pv

        pts = np.atleast_2d(np.asarray(points, float))
        if pts.shape[1] < 3:
            pts = np.hstack([pts, np.zeros((len(pts), 3 - pts.shape[1]))])
        grid = self.grid(T, part)
        probe = pv.PolyData(pts).sample(grid, tolerance=1e-9)
        ok = np.asarray(probe["vtkValidPointMask"], bool)
        if not ok.all():
            from thermosat.common.errors import InputError

            bad = pts[~ok][0]
            raise InputError(f"temperature_at: point {bad.tolist()} (m) is outside the mesh")
        return np.asarray(probe["temperature_K"])


@dataclass
class SteadyResult(_Fields):
    """Temperatures (K) of a steady solve with its energy balance and convergence history."""

    model: object
    T: np.ndarray
    convergence: Convergence
    energy: EnergyBalance
    time_s: float = 0.0

    @property
    def T_celsius(self) -> np.ndarray:
        return self.T - ZERO_CELSIUS

    def temperature(self, part: str | None = None) -> np.ndarray:
        """Nodal temperatures (K) of one part (default: the first)."""
        return self.part_temperature(self.T, part)

    def temperature_at(self, points, part: str | None = None) -> np.ndarray:
        """Interpolated temperature (K) at points ``(m, 3)`` (m) inside ``part``."""
        return self._probe(self.T, points, part)

    def write_vtk(self, out_dir: str | os.PathLike, stem: str = "result") -> list[Path]:
        """Write one VTU per part into ``out_dir``; returns the paths."""
        return self._write_parts(self.T, Path(out_dir), stem)

    def heat_flow(self, name: str) -> float:
        """Heat flow (W, + into the model) through condition ``name`` (``name:in`` /
        ``name:out``: the parts entering and leaving) or boundary ``name``; reactions of
        fixed temperatures come from the residual of the assembled system."""
        return self.energy.heat_flow(name)

    @property
    def heat_flows(self) -> dict[str, float]:
        """Every condition's and boundary's heat flow (W), see :meth:`heat_flow`."""
        return dict(self.energy.conditions)

    def summary(self) -> str:
        T = self.T
        return (f"T min {T.min():.3f} K ({T.min() - ZERO_CELSIUS:.2f} °C), max {T.max():.3f} K "
                f"({T.max() - ZERO_CELSIUS:.2f} °C); Newton {self.convergence.iterations} its, "
                f"residual {self.convergence.residuals[-1]:.2e}; energy imbalance "
                f"{self.energy.imbalance_rel:.2e}")


@dataclass
class TransientResult(_Fields):
    """Saved frames of a transient with per-step energy balances and Newton histories."""

    model: object
    times: np.ndarray
    frames: list[np.ndarray]
    energy_steps: list[EnergyBalance] = field(default_factory=list)
    convergence_steps: list[Convergence] = field(default_factory=list)
    stored_energy_change_j: float = 0.0
    net_heat_in_j: float = 0.0
    time_s: float = 0.0

    @property
    def T(self) -> np.ndarray:
        """Final temperatures (K)."""
        return self.frames[-1]

    @property
    def max_step_imbalance(self) -> float:
        return max((e.imbalance_rel for e in self.energy_steps), default=0.0)

    def heat_flow(self, name: str, step: int = -1) -> float:
        """Heat flow (W, + into the model) of condition or boundary ``name`` in time step
        ``step`` (default: the last), see :meth:`SteadyResult.heat_flow`."""
        return self.energy_steps[step].heat_flow(name)

    def temperature_at(self, points, part: str | None = None, frame: int = -1) -> np.ndarray:
        return self._probe(self.frames[frame], points, part)

    def history_at(self, points, part: str | None = None) -> np.ndarray:
        """Temperature (K) at points for every saved frame, ``(n_frames, n_points)``."""
        return np.array([self._probe(f, points, part) for f in self.frames])

    def write_vtk(self, out_dir: str | os.PathLike, stem: str = "result") -> Path:
        """Write one VTU per saved frame and part plus a ``.pvd`` series per part."""
        out_dir = Path(out_dir)
        entries: dict[str, list] = {}
        names = list(self.model.parts) if len(self.model.parts) > 1 else [""]
        for i, (t, T) in enumerate(zip(self.times, self.frames)):
            # _write_parts returns one path per part, in model.parts order (the part name is
            # not parsed back from the file name: stems may contain underscores)
            for key, p in zip(names, self._write_parts(T, out_dir / f"{stem}_frames",
                                                       f"{stem}_{i:05d}")):
                entries.setdefault(key, []).append((float(t), f"{stem}_frames/{p.name}"))
        last = None
        for key, ent in entries.items():
            last = vtk.write_pvd(out_dir / (f"{stem}.pvd" if not key else f"{stem}_{key}.pvd"),
                                 ent)
        return last
