"""Where the main job's uncertainty samples run: bad engine options fail at once, in one line,
before any sizing and without writing anything."""
from __future__ import annotations

import subprocess
import sys


def _size(tmp_path, *extra):
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "thermosat.cli", "size", "--tier", "vleo",
                        "--out", str(out), *extra], capture_output=True, text=True,
                       timeout=120)
    return p, out


def test_negative_worker_count_is_refused_before_any_work(tmp_path):
    p, out = _size(tmp_path, "--workers", "-1")
    assert p.returncode != 0
    err = p.stderr.strip().splitlines()
    assert len(err) == 1 and "--workers -1" in err[0] and "0" in err[0]
    assert "Traceback" not in p.stderr
    assert not (out / "results.json").exists() and not (out / "vleo").exists()


def test_unreachable_scheduler_is_refused_before_any_work(tmp_path):
    p, out = _size(tmp_path, "--scheduler", "tcp://127.0.0.1:9")
    assert p.returncode != 0
    err = p.stderr.strip().splitlines()
    assert len(err) == 1 and "--scheduler tcp://127.0.0.1:9" in err[0]
    assert "cannot connect" in err[0] and "Traceback" not in p.stderr
    assert not (out / "vleo").exists()
