"""Unusable output paths are refused in one line, exit 2, before any work, writing nothing;
no input gives a traceback (docs/errors.md)."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from thermosat import cli
from thermosat.common.errors import InputError
from thermosat.common.paths import check_output_dir, check_output_file

ROOT = Path(__file__).resolve().parents[1]
CASE = str(ROOT / "cases" / "leo.toml")


def _run(argv, capsys):
    t0 = time.perf_counter()
    rc = cli.main(argv)
    out, err = capsys.readouterr()
    return rc, out, err, time.perf_counter() - t0


def _one_line_refusal(rc, err, dt, needle):
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert needle in lines[0]
    assert dt < 30  # refused before any mesh is built or solve run


@pytest.fixture
def a_file(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("not a folder\n")
    return f


def _listing(folder: Path):
    return sorted(p.relative_to(folder) for p in folder.rglob("*"))


@pytest.mark.parametrize("argv", [
    ["solve", CASE, "--out", "{file}/sub"],
    ["size", "--tier", "leo", "--out", "{file}/sub"],
    ["sweep", str(ROOT / "sweeps" / "example.toml"), "--out", "{file}/x"],
    ["validate", "--report", "{file}/r"],
    ["bench", "--quick", "--out", "{file}/b"],
    ["render", str(ROOT / "README.md"), "--png", "{file}/x.png"],
])
def test_under_an_existing_file_is_refused_in_one_line(argv, a_file, capsys):
    before = _listing(a_file.parent)
    argv = [a.replace("{file}", str(a_file)) for a in argv]
    rc, out, err, dt = _run(argv, capsys)
    _one_line_refusal(rc, err, dt, "is an existing file, not a folder")
    assert str(a_file) in err
    assert _listing(a_file.parent) == before  # nothing created
    assert a_file.read_text() == "not a folder\n"


@pytest.mark.parametrize("argv,root", [
    (["solve", CASE, "--out", "/sys/thermosat-x"], "/sys"),
    (["size", "--tier", "leo", "--out", "/sys/x"], "/sys"),
    (["sweep", str(ROOT / "sweeps" / "example.toml"), "--out", "/proc/x"], "/proc"),
    (["validate", "--report", "/proc/self/x"], "/proc"),
    (["render", str(ROOT / "README.md"), "--png", "/proc/x.png"], "/proc"),
    (["bench", "--out", "/sys/b"], "/sys"),
])
def test_virtual_file_systems_are_refused(argv, root, capsys):
    rc, out, err, dt = _run(argv, capsys)
    _one_line_refusal(rc, err, dt, f"inside {root}")


def test_out_that_is_a_file_is_refused(a_file, capsys):
    rc, out, err, dt = _run(["solve", CASE, "--out", str(a_file)], capsys)
    _one_line_refusal(rc, err, dt, "is an existing file, not a folder")


def test_png_that_is_a_folder_or_wrong_suffix(tmp_path, capsys):
    rc, _, err, dt = _run(["render", str(ROOT / "README.md"), "--png", str(tmp_path)], capsys)
    _one_line_refusal(rc, err, dt, "is an existing folder, not a file")
    rc, _, err, dt = _run(["render", str(ROOT / "README.md"), "--png",
                           str(tmp_path / "x.jpg")], capsys)
    _one_line_refusal(rc, err, dt, "must end in .png")


@pytest.mark.skipif(os.geteuid() == 0, reason=(
    "root ignores folder permission bits, so chmod 0o500 cannot make a folder read-only for "
    "it; test_read_only_mount_is_refused_even_for_root checks the refusal for root"))
def test_unwritable_folder_is_refused(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(InputError, match="not writable"):
            check_output_dir(ro / "sub", "--out")
        with pytest.raises(InputError, match="not writable"):
            check_output_file(ro / "x.png", "--png")
    finally:
        ro.chmod(0o700)


def test_read_only_mount_is_refused_even_for_root():
    # /proc/self is a real folder that no file can be created in, for any user
    from thermosat.common import paths

    assert not paths._writable(Path("/proc/self"))
    assert paths._writable(Path("/tmp"))


def test_usable_paths_pass_and_create_nothing(tmp_path):
    target = tmp_path / "a" / "b"
    assert check_output_dir(target) == target
    assert check_output_file(tmp_path / "x.png", suffixes=(".png",)) == tmp_path / "x.png"
    assert list(tmp_path.iterdir()) == []


def test_empty_path_is_refused():
    with pytest.raises(InputError, match="empty path"):
        check_output_dir("", "--out")


def test_unexpected_error_is_one_line_exit_1_and_debug_shows_it(monkeypatch, capsys):
    from thermosat.commands import mesh

    def boom(args):
        raise TypeError("a bug somewhere")

    monkeypatch.setattr(mesh, "run", boom)
    rc, out, err, _ = _run(["mesh", "check", CASE], capsys)
    assert rc == 1
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    assert "internal error: TypeError: a bug somewhere" in err and "--debug" in err
    with pytest.raises(TypeError, match="a bug somewhere"):
        cli.main(["mesh", "--debug", "check", CASE])


def test_os_error_is_one_line_exit_2(monkeypatch, capsys):
    from thermosat.commands import mesh

    def full(args):
        raise OSError(28, "No space left on device", "/tmp/x/result.json")

    monkeypatch.setattr(mesh, "run", full)
    rc, out, err, _ = _run(["mesh", "check", CASE], capsys)
    assert rc == 2
    assert err.strip() == ("thermosat mesh: error: /tmp/x/result.json: No space left on "
                           "device")


def test_every_command_takes_quiet_and_debug():
    import argparse

    for name in cli.COMMANDS:
        mod = __import__(f"thermosat.commands.{name}", fromlist=["add_arguments"])
        p = argparse.ArgumentParser()
        mod.add_arguments(p)
        cli._add_common(p)
        assert "--quiet" in p._option_string_actions and "--debug" in p._option_string_actions


def test_errors_doc_lists_every_exit_code():
    text = (ROOT / "docs" / "errors.md").read_text()
    section = text.split("## Exit status", 1)[1].split("\n## ", 1)[0]
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert code in section
    assert "internal error" in section and "--debug" in section
