"""Verification: the validation runner with its cases (one module per case in ``cases/``)
and the benchmarks. Imports anything below it; imported only by commands."""
