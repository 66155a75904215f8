"""Design sweeps: the sweep file (:mod:`.spec`), its points (:mod:`.plan`), Dask execution
(:mod:`.run`), the resumable store (:mod:`.store`), one point's evaluation (:mod:`.evaluate`)
and what a sweep shows (:mod:`.summary`).

Imports case, satellite, studies.sizing and post; imported only by commands.
"""

from thermosat.studies.sweep.plan import Plan, prepare
from thermosat.studies.sweep.sampling import grid_points, random_points
from thermosat.studies.sweep.run import WORKER_ENV, run_sweep
from thermosat.studies.sweep.spec import (MAX_POINTS, Parameter, Sampling, Sweep, SweepSpec,
                                          fixed_values, load_sweep, parse_sweep)
from thermosat.studies.sweep.summary import dry_run, format_summary, summary_figure

__all__ = ["SweepSpec", "Parameter", "Sampling", "Sweep", "Plan", "load_sweep", "parse_sweep",
           "fixed_values", "grid_points", "random_points", "prepare", "run_sweep",
           "summary_figure", "format_summary", "dry_run", "WORKER_ENV", "MAX_POINTS"]
