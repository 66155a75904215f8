"""After ``pip install .`` (no test extra): validate and bench skip what needs a test-only
package, say how to install it, and exit 0 when the rest pass (issue 11, item 8).

The missing packages are simulated by putting ``None`` in ``sys.modules`` (which makes their
import raise ``ImportError``, as when they are not installed)."""
import io
import json
import os
import sys
import types

import pytest

from thermosat.verification import bench, runner
from thermosat.verification.optional import INSTALL_HINT, missing


@pytest.fixture
def no_test_extra(monkeypatch):
    for name in list(sys.modules):
        if name.split(".")[0] in ("skfem", "pyviewfactor"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "skfem", None)
    monkeypatch.setitem(sys.modules, "pyviewfactor", None)
    assert missing("skfem") and missing("pyviewfactor")


def _fake_cases(monkeypatch, bodies: dict):
    """A validation package whose case modules run ``bodies[name]``."""
    from thermosat.verification.case import CaseResult

    mods = []
    for name, body in bodies.items():
        mod = types.ModuleType(f"fake_cases.{name}")
        mod.NAME = name
        mod.__doc__ = f"{name}: a case"

        def run(body=body, name=name):
            body()
            return CaseResult(name, 1.0, 1.0, 1e-12, "identity")

        mod.run = run
        mods.append(runner.Case(name, mod))
    monkeypatch.setattr(runner, "discover", lambda only=None: mods)


def test_validate_skips_cases_needing_test_packages(no_test_extra, tmp_path, monkeypatch):
    def needs_skfem():
        import skfem  # noqa: F401

    def plain():
        pass

    _fake_cases(monkeypatch, {"crosscheck": needs_skfem, "closed_form": plain})
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert runner.main(out=out, err=err) == 0
    text = out.getvalue()
    assert "SKIP" in text and INSTALL_HINT in text and "scikit-fem" in text
    assert "1/2 cases passed" in text and "1 skipped" in text
    # the report goes to the current directory (not the package)
    assert (tmp_path / runner.REPORT_NAME).exists()
    assert INSTALL_HINT in (tmp_path / runner.REPORT_NAME).read_text()
    out = io.StringIO()
    assert runner.main(as_json=True, out=out, err=io.StringIO(), write=False) == 0
    doc = json.loads(out.getvalue())
    assert doc["passed"] and doc["skipped"] == ["crosscheck"]


def test_validate_still_fails_on_real_errors(no_test_extra, monkeypatch, tmp_path):
    def broken():
        import thermosat_no_such_module  # noqa: F401  (not a test-only package: an error)

    _fake_cases(monkeypatch, {"broken": broken})
    assert runner.main(report_dir=tmp_path, out=io.StringIO(), err=io.StringIO()) == 1


def test_real_skfem_case_is_skipped(no_test_extra, tmp_path):
    out = io.StringIO()
    code = runner.main(["skfem_crosscheck"], report_dir=tmp_path, out=out, err=io.StringIO())
    assert code == 0 and "SKIP" in out.getvalue()
    assert not any(p.name == runner.REPORT_NAME
                   for p in os.scandir(os.path.dirname(runner.__file__)))


def test_validate_report_defaults_to_cwd(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert runner.default_report_dir() == tmp_path


def test_bench_row_runs_without_scikit_fem(no_test_extra):
    row = bench.run_row("assembly_tri", 400)
    assert row["thermosat_s"] > 0 and row["baseline_s"] is None
    assert INSTALL_HINT in row["baseline_note"]
