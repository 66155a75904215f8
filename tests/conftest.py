"""Test session setup: pin OpenBLAS to one thread before numpy loads.

Numba's parallel kernels and OpenBLAS threads oversubscribe the cores; measured here on a
loaded machine, an AMG-preconditioned GMRES solve on 10k unknowns took 6.4 s with default BLAS
threads and 0.4 s with one (the cost of oversubscription, benchmarks/RESULTS.md). The CLI sets the same default.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
