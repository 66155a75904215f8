"""The package layout of docs/architecture.md holds: no import cycles, dependencies one way."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from import_graph import cycles, import_graph  # noqa: E402

LOW = {"common", "mesh", "fem"}
#: package -> the thermosat packages it may import (docs/architecture.md)
ALLOWED = {
    "common": set(),
    "mesh": {"common", "fem"},
    "fem": {"common", "mesh"},
    "radiation": LOW,
    "terms": LOW | {"radiation"},
    "solve": LOW | {"terms"},
    "model": LOW | {"terms", "radiation", "solve"},
    "physics": LOW | {"terms", "radiation", "solve"},
    "satellite": LOW | {"terms", "radiation", "solve", "model", "physics"},
    "case": {"common", "physics", "satellite"},
    "post": LOW | {"solve", "model", "physics", "satellite"},
    "studies": LOW | {"solve", "model", "physics", "satellite", "case", "post", "radiation"},
    "verification": LOW | {"terms", "radiation", "solve", "model", "physics", "satellite",
                           "case", "post", "studies"},
    "commands": LOW | {"solve", "model", "physics", "satellite", "case", "post", "studies",
                       "verification"},
}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "thermosat"


def test_no_import_cycles_anywhere():
    assert cycles(import_graph(ROOT)) == []


def test_dependencies_run_one_way():
    bad = []
    for mod, deps in import_graph(ROOT).items():
        pa = _package(mod)
        if pa not in ALLOWED:
            continue
        for dep in deps:
            pb = _package(dep)
            if pb != pa and pb in ALLOWED and pb not in ALLOWED[pa]:
                bad.append(f"{mod} -> {dep}")
    assert bad == []


def test_only_the_entry_points_sit_in_the_package_root():
    loose = sorted(p.name for p in (ROOT / "thermosat").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "_moved.py", "cli.py"]


def test_no_solver_class_under_physics():
    text = "\n".join(p.read_text() for p in (ROOT / "thermosat" / "physics").glob("*.py"))
    assert "LinearSolver" not in text and "Solver(" not in text


def test_old_import_paths_still_work():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from thermosat.physics.satellite import Satellite as old
        from thermosat.sizing import size_design as old_size
    from thermosat.satellite import Satellite
    from thermosat.studies.sizing import size_design

    assert old is Satellite and old_size is size_design
