"""Benchmark thermosat against scikit-fem + scipy on the same meshes (the full run).

Problems, sizes and method: :mod:`thermosat.verification.bench`. Every row checks that the two codes agree
(``max_rel_diff``) before its times are reported. Writes ``benchmarks/results.json``,
``benchmarks/time_per_unknown.png`` and the table in ``benchmarks/RESULTS.md``.

Run: ``python scripts/bench.py [--quick] [--problems P,Q] [--sizes N,M]`` (the full run takes
about half an hour on 2 cores).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from thermosat.cli import main

if __name__ == "__main__":
    out = str(Path(__file__).resolve().parent.parent / "benchmarks")
    sys.exit(main(["bench", "--out", out, *sys.argv[1:]]))
