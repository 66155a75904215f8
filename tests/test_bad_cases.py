"""The bad-input corpus ``tests/bad_cases/*.toml``: every file fails cleanly.

Each file's first line is ``# expect: <dotted.field or 'toml'>``. For every file:

* CLI: ``thermosat solve FILE`` exits with status 2, prints exactly one line on stderr that
  names the file and the expected field (as ``: <field>:``), no traceback, and creates no
  output (no ``results/`` folder, no temporary folder);
* API: ``load_case`` raises :class:`CaseError` (a :class:`ThermosatError`) with the same line.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from thermosat.case.load import load_case, parse_case
from thermosat.cli import main
from thermosat.common.errors import CaseError, ThermosatError

CORPUS = Path(__file__).parent / "bad_cases"
FILES = sorted(CORPUS.glob("*.toml"))


def expected_field(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    assert first.startswith("# expect:"), f"{path.name}: first line must be '# expect: FIELD'"
    return first.split(":", 1)[1].strip()


def test_corpus_is_large_enough():
    assert len(FILES) >= 30
    kinds = {expected_field(p) for p in FILES}
    assert "toml" in kinds and len(kinds) >= 25


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_cli_rejects_with_one_line(path, tmp_path, monkeypatch, capsys):
    field = expected_field(path)
    monkeypatch.chdir(tmp_path)
    status = main(["solve", str(path)])
    cap = capsys.readouterr()
    assert status == 2
    lines = cap.err.splitlines()
    assert len(lines) == 1, cap.err
    line = lines[0]
    assert "Traceback" not in cap.err
    assert str(path) in line
    assert f": {field}:" in line, line
    assert "(allowed:" in line, line
    assert cap.out == ""
    assert list(tmp_path.iterdir()) == [], "a bad case must not create any output"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_api_raises_case_error(path):
    field = expected_field(path)
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert isinstance(info.value, ThermosatError)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(f"{path}: {field}:"), msg
    # the same text parsed from memory gives the same diagnosis under another label
    with pytest.raises(CaseError) as info2:
        parse_case(path.read_bytes(), "mem.toml")
    assert str(info2.value).startswith(f"mem.toml: {field}:")


def test_cli_explicit_out_not_created(tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["solve", str(CORPUS / "unknown_fluid.toml"), "--out", str(out)])
    assert status == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    assert len(capsys.readouterr().err.splitlines()) == 1
