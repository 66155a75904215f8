"""Every top-level Python block of README.md runs as written (in a scratch directory); the
indented viewer snippet that opens a finished run interactively is not one of them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(), flags=re.S | re.M)


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_python_block_runs(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"README.md block", "exec"), {"__name__": "__readme__"})


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 2
