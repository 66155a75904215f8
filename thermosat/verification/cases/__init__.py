"""Validation cases: one module per case, each with ``NAME`` and ``run() -> CaseResult``.

``thermosat validate`` discovers every module here that defines both (see
:mod:`thermosat.verification.runner`); ``README.md`` lists the cases and how to add one.
"""
