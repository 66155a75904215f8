"""Case files: defaults, round trip, with_values, fingerprint, field docs, README, solve CLI."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import typing
from pathlib import Path

import numpy as np
import pytest
from pydantic import BaseModel

from thermosat.case.schema import SECTIONS, CaseModel, CoatingValues, LayerSpec, field_unit
from thermosat.case.load import Case, load_case, parse_case, validate_case
from thermosat.case.defaults import (CELL_AREA_M2, TIERS, default_case, default_case_data,
                                default_design, render_default_toml)
from thermosat.common.errors import CaseError
from thermosat.satellite.satellite import SatelliteDesign

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"

MINIMAL = """
[orbit]
tier = "leo"

[panel]
cell_area_m2 = 100.0
panel_radiator_area_m2 = 400.0
width_m = 20.0

[compute]
n_chips = 12
chip = "gb300"
"""


def small_case(**values) -> Case:
    """The VLEO default made cheap: coarse panel, 4 chips, short transient."""
    base = {"panel.element_size_m": 2.5, "compute.n_chips": 4, "transient.steps": 4,
            "transient.n_orbits": 0.05, "mesh.package_mesh_density": 2}
    base.update(values)
    return default_case("vleo").with_values(base)


# ----------------------------------------------------------------------------- defaults
@pytest.mark.parametrize("tier", TIERS)
def test_default_case_files_load_and_match_module(tier):
    case = load_case(CASES / f"{tier}.toml")
    assert case == default_case(tier)
    assert case.fingerprint() == default_case(tier).fingerprint()
    # the file is exactly what thermosat.case.defaults renders (comments included)
    assert (CASES / f"{tier}.toml").read_text(encoding="utf-8") == render_default_toml(tier)


@pytest.mark.parametrize("tier,chips,eol,alt", [("vleo", 12, 0.95, 500e3),
                                                ("leo", 18, 0.95, 1000e3),
                                                ("meo", 24, 0.85, 2000e3)])
def test_default_design_numbers(tier, chips, eol, alt):
    d = default_design(tier)
    assert isinstance(d, SatelliteDesign)
    assert d.n_packages == chips
    assert d.cell.eol_factor == eol and d.cell.name == "hjt"
    assert d.orbit.altitude_m == alt and d.orbit.beta_rad == 0.0
    assert d.cell_area_m2 + d.panel_radiator_area_m2 + d.wing_area_m2 == pytest.approx(500.0)
    # nameplate: 30 kW at AM0, 28 °C, beginning of life
    nameplate = d.cell.eta_ref * d.packing * d.solar_constant_w_m2 * d.cell_area_m2
    assert nameplate == pytest.approx(30e3, rel=1e-3)
    assert d.cell_area_m2 == CELL_AREA_M2
    assert d.package.t_junction_max_k == pytest.approx(363.15)
    assert d.loop.fluid == "ammonia" and d.loop.pressure_pa == 3.0e6
    assert d.distribution_loss_fraction == 0.05
    assert d.panel_back.alpha == 0.15 and d.panel_back.epsilon == 0.92
    assert d.cell.alpha == 0.75 and d.cell.epsilon == 0.82
    # issue 12: the tier's chips at their rated power (reading chips_at_rating)
    from thermosat.physics.package_presets import RATED_POWER_W

    assert default_case(tier).compute.reading == "chips_at_rating"
    assert d.package.rated_power_w == RATED_POWER_W["gb300"]
    assert default_case(tier).compute_demand_w() == pytest.approx(chips * RATED_POWER_W["gb300"])


def test_default_coolant_liquid_at_hot_end():
    from thermosat.physics.fluids import Fluid

    lp = default_case("vleo").loop
    fl = Fluid(lp.fluid, lp.pressure_pa)
    assert fl.T_boil > 330.0 and fl.T_freeze < 200.0


def test_unknown_default_tier():
    from thermosat.common.errors import InputError

    with pytest.raises(InputError, match="geo"):
        default_case("geo")


# ----------------------------------------------------------------------------- round trip
def _rich_case() -> Case:
    text = MINIMAL + """
[[panel.layers]]
name = "glass"
thickness_m = 1e-4
conductivity_w_mk = 1.1
density_kg_m3 = 2500.0
specific_heat_j_kgk = 800.0

[[panel.layers]]
name = "sheet"
thickness_m = 5e-4
conductivity_w_mk = 167
density_kg_m3 = 2700.0
specific_heat_j_kgk = 900.0

[wings]
area_m2 = 60.0
coating = { alpha = 0.2, epsilon = 0.85, name = "white" }

[loop]
fluid = "pg50"
layout = "serpentine"

[limits]
junction_max_k = 358.15
"""
    return parse_case(text, "rich.toml")


@pytest.mark.parametrize("make", [lambda: default_case("vleo"), lambda: default_case("meo"),
                                  _rich_case, lambda: parse_case(MINIMAL)])
def test_round_trip(make):
    case = make()
    again = parse_case(case.to_toml(), "again.toml")
    assert again == case
    assert again.fingerprint() == case.fingerprint()
    assert again.to_toml() == case.to_toml()
    assert again.source == "again.toml"


def test_rich_case_to_design():
    d = _rich_case().to_design()
    assert [lay.name for lay in d.layers] == ["glass", "sheet"]
    assert d.wing_coating.alpha == 0.2 and d.wing_coating.epsilon == 0.85
    assert d.loop.fluid == "pg50" and d.loop.layout == "serpentine"
    assert d.package.t_junction_max_k == 358.15
    assert d.wing_area_m2 == 60.0


def test_altitude_instead_of_tier():
    case = parse_case(MINIMAL.replace('tier = "leo"', "altitude_km = 700\nbeta_deg = 30"))
    d = case.to_design()
    assert d.orbit.altitude_m == 700e3
    assert d.orbit.beta_deg == pytest.approx(30.0)


def test_compute_overrides():
    base = parse_case(MINIMAL)
    r = base.with_values({"compute.cold_plate_resistance_k_w": 0.02})
    assert r.to_design().package.h_w_m2k > base.to_design().package.h_w_m2k
    t = base.with_values({"compute.tim1_conductivity_w_mk": 10.0})
    assert t.to_design().package.tim1.conductivity_w_mk == 10.0


def test_to_design_overrides():
    case = parse_case(MINIMAL)
    d = case.to_design(wing_area_m2=25.0, element_size_m=1.0)
    assert d.wing_area_m2 == 25.0 and d.element_size_m == 1.0
    with pytest.raises(CaseError, match="not_a_field"):
        case.to_design(not_a_field=1)
    with pytest.raises(CaseError, match="cell_area_m2"):
        case.to_design(cell_area_m2=-1.0)


def test_integer_accepted_as_number_but_not_reverse():
    case = parse_case(MINIMAL)
    assert isinstance(case.panel.cell_area_m2, float)
    with pytest.raises(CaseError, match=r"compute\.n_chips: expected an integer"):
        parse_case(MINIMAL.replace("n_chips = 12", "n_chips = 12.0"))


# ----------------------------------------------------------------------------- with_values
def test_with_values():
    base = default_case("leo")
    c = base.with_values({"wings.area_m2": 120, "orbit.beta_deg": np.float64(45.0),
                          "compute.n_chips": np.int64(20)})
    assert c.wings.area_m2 == 120.0 and c.orbit.beta_deg == 45.0 and c.compute.n_chips == 20
    # the original is unchanged
    assert base.wings.area_m2 == default_case("leo").wings.area_m2 != 120.0
    assert c.fingerprint() != base.fingerprint()
    # None removes a field: switch from a tier to an altitude
    a = base.with_values({"orbit.tier": None, "orbit.altitude_km": 1200.0})
    assert a.orbit.tier is None and a.to_design().orbit.altitude_m == 1.2e6
    # list entries by index; creating a section that was defaulted
    r = _rich_case().with_values({"panel.layers.1.thickness_m": 1e-3})
    assert r.panel.layers[1].thickness_m == 1e-3


@pytest.mark.parametrize("values,field", [
    ({"wings.area_m2": -5.0}, "wings.area_m2"),
    ({"wings.colour": "red"}, "wings.colour"),
    ({"loop.fluid": "mercury"}, "loop.fluid"),
    ({"orbit.altitude_km": 700.0}, "orbit.tier"),          # both tier and altitude
    ({"panel.cell_area_m2": "100"}, "panel.cell_area_m2"),
    ({"limits.junction_max_k": 200.0}, "limits.junction_max_k"),
    ({"nosuchsection.x": 1}, "nosuchsection"),
])
def test_with_values_validates_again(values, field):
    with pytest.raises(CaseError) as info:
        default_case("vleo").with_values(values)
    assert f": {field}:" in str(info.value)


@pytest.mark.parametrize("path", ["", "wings.", ".x", "orbit.tier.deeper"])
def test_with_values_bad_path(path):
    with pytest.raises(CaseError):
        default_case("vleo").with_values({path: 1.0})


# ----------------------------------------------------------------------------- fingerprint
def test_fingerprint_same_content_same_hash():
    a = parse_case(MINIMAL)
    reordered = """# a comment
[compute]
chip = "gb300"
n_chips = 12

[panel]
width_m = 20
panel_radiator_area_m2 = 400
cell_area_m2 = 100

[orbit]
tier = "leo"
beta_deg = 0.0   # a default written out

[loop]
fluid = "ammonia"
"""
    b = parse_case(reordered)
    assert a.fingerprint() == b.fingerprint()
    assert len(a.fingerprint()) == 64
    c = parse_case('description = "another text"\n' + MINIMAL)
    assert c.fingerprint() == a.fingerprint()


def test_fingerprint_stable_across_processes():
    code = ("from thermosat.case.defaults import default_case; "
            "print(default_case('meo').fingerprint())")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True).stdout.strip()
    assert out == default_case("meo").fingerprint()


def _leaves(data, prefix=""):
    for k, v in data.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict):
            yield from _leaves(v, path + ".")
        else:
            yield path, v


def _changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value * 0.97 if value != 0 else 0.5
    return None


def test_fingerprint_any_change_differs():
    base = default_case("leo")
    seen = {base.fingerprint()}
    n = 0
    for path, value in _leaves(default_case_data("leo")):
        new = _changed(value)
        if new is None or path == "description":
            continue
        try:
            case = base.with_values({path: new})
        except CaseError:
            continue
        fp = case.fingerprint()
        assert fp not in seen, path
        seen.add(fp)
        n += 1
    for path, new in [("panel.cell", "topcon"), ("loop.fluid", "water"),
                      ("loop.layout", "serpentine"), ("orbit.tier", "meo"),
                      ("panel.back", "osr"), ("compute.chip", "b200"),
                      ("sizing.vary", "panel_radiator"), ("transient.scheme", "backward_euler"),
                      ("panel.back", {"alpha": 0.15, "epsilon": 0.92})]:
        fp = base.with_values({path: new}).fingerprint()
        assert fp not in seen, path
        seen.add(fp)
        n += 1
    assert n >= 35


# ----------------------------------------------------------------------------- schema docs
def _models():
    todo, seen = [CaseModel, CoatingValues, LayerSpec, *SECTIONS.values()], []
    for m in todo:
        if m not in seen:
            seen.append(m)
    return seen


def test_every_field_documented_with_unit():
    n = 0
    for model in _models():
        assert model.__doc__ and model.__doc__.strip(), model
        assert model.model_config.get("extra") == "forbid", model
        assert model.model_config.get("strict") is True, model
        for name, info in model.model_fields.items():
            assert info.description and len(info.description) > 10, f"{model.__name__}.{name}"
            assert field_unit(info), f"{model.__name__}.{name} has no unit"
            n += 1
    assert n >= 60


def test_every_section_is_a_model():
    for name, info in CaseModel.model_fields.items():
        if name == "description":
            continue
        ann = info.annotation
        if typing.get_origin(ann) is dict:  # named tables: [environments.<name>]
            ann = typing.get_args(ann)[1]
        assert isinstance(ann, type) and issubclass(ann, BaseModel), name
        assert SECTIONS[name] is ann
    assert typing.get_args(SECTIONS["loop"].model_fields["layout"].annotation) == (
        "serpentine", "parallel")


def test_readme_is_up_to_date():
    spec = importlib.util.spec_from_file_location("case_reference",
                                                  ROOT / "scripts" / "case_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = mod.render_reference()
    assert (CASES / "README.md").read_text(encoding="utf-8") == text, \
        "cases/README.md is stale: run python scripts/case_reference.py"
    for model in _models():
        for name in model.model_fields:
            if model is CaseModel and name != "description":
                assert f"`[{name}]`" in text, name
            else:
                assert f"`{name}`" in text, name


# ----------------------------------------------------------------------------- file errors
def test_file_errors(tmp_path):
    with pytest.raises(CaseError, match=r"missing\.toml: file: not found"):
        load_case(tmp_path / "missing.toml")
    with pytest.raises(CaseError, match="file: not a regular file"):
        load_case(tmp_path)
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 1_100_000)
    with pytest.raises(CaseError, match="too large"):
        load_case(big)
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xc3\x28 = 1")
    with pytest.raises(CaseError, match=r"bad\.toml: toml: not UTF-8"):
        load_case(bad)
    with pytest.raises(CaseError, match=r"x\.toml: toml: syntax error: .*line 2, column"):
        parse_case("[orbit]\ntier = \n", "x.toml")
    with pytest.raises(CaseError, match="toml: expected text"):
        parse_case(12345, "n.toml")
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_case(bom) == parse_case(MINIMAL)


def test_several_errors_summarised_on_one_line():
    with pytest.raises(CaseError) as info:
        parse_case("[orbit]\ntier='x'\n[panel]\ncell_area_m2=-1\n[compute]\nn_chips=0\n", "m.toml")
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith("m.toml: orbit.tier:")
    assert "+2 more: panel.cell_area_m2, compute.n_chips" in msg


def test_validate_case_from_dict():
    case = validate_case(default_case_data("meo"), "dict")
    assert case.source == "dict" and case == default_case("meo")


# ----------------------------------------------------------------------------- solving
def test_small_default_design_solves():
    from thermosat.satellite.satellite import Satellite

    sat = Satellite(small_case().to_design())
    res = sat.solve_steady()
    assert res.energy.imbalance_rel < 1e-8
    assert abs(res.power["closure_w"]) < 1e-3
    assert 20e3 < res.power["pv_w"] < 32e3


@pytest.mark.slow
@pytest.mark.parametrize("tier", TIERS)
def test_default_design_steady(tier):
    from thermosat.satellite.satellite import Satellite

    sat = Satellite(default_design(tier))
    assert 1e4 <= sat.n_unknowns <= 1e5
    res = sat.solve_steady()
    assert res.energy.imbalance_rel < 1e-8
    assert 20e3 < res.power["pv_w"] < 30e3


def _run_cli(args, capsys):
    from thermosat.cli import main

    status = main(args)
    return status, capsys.readouterr()


def test_cli_solve_writes_results(tmp_path, capsys):
    case_file = tmp_path / "small.toml"
    case_file.write_text(small_case().to_toml())
    out = tmp_path / "res"
    status, cap = _run_cli(["solve", str(case_file), "--out", str(out), "--json"], capsys)
    assert status == 0, cap.err
    record = json.loads(cap.out)  # exactly one JSON object on stdout
    assert record["out"] == str(out)
    on_disk = json.loads((out / "result.json").read_text())
    assert on_disk["case"]["fingerprint"] == small_case().fingerprint()
    for key in ("temperatures_k", "temperatures_c", "power_w", "limits", "energy_balance",
                "convergence"):
        assert key in on_disk["steady"]
    assert on_disk["steady"]["temperatures_c"]["junction_max_c"] == pytest.approx(
        on_disk["steady"]["temperatures_k"]["junction_max_k"] - 273.15)
    assert on_disk["transient"]["extremes"]["coolant_min_k"] > 0
    assert len(on_disk["transient"]["series"]["t_s"]) == 5
    assert load_case(out / "case.toml") == small_case()
    assert (out / "steady.vtm").exists() or list(out.glob("steady*.vtu"))
    # nothing left behind but the result folder and the case file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res", "small.toml"]

    # a second run replaces the folder atomically; the summary names K and °C
    status, cap = _run_cli(["solve", str(case_file), "--out", str(out), "--no-transient"],
                           capsys)
    assert status == 0
    assert "junction max" in cap.out and "°C" in cap.out and "power budget" in cap.out
    assert json.loads((out / "result.json").read_text())["transient"] is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res", "small.toml"]


def test_cli_default_out_and_interrupted_write(tmp_path, capsys, monkeypatch):
    import thermosat.commands.solve as solve_cmd

    case_file = tmp_path / "tiny.toml"
    case_file.write_text(small_case().to_toml())
    monkeypatch.chdir(tmp_path)

    def boom(folder, res):
        (folder / "partial.vtu").write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(solve_cmd, "_write_vtk", boom)
    status, cap = _run_cli(["solve", str(case_file), "--no-transient"], capsys)
    assert status == 130
    results = tmp_path / "results"
    # the interrupted run left no result folder and no temporary folder
    assert not (results / "tiny").exists()
    assert not results.exists() or list(results.iterdir()) == []

    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    status, cap = _run_cli(["solve", str(case_file), "--no-transient", "--no-vtk"], capsys)
    assert status == 0
    assert sorted(p.name for p in (results / "tiny").iterdir()) == ["case.toml", "result.json"]
    assert [p.name for p in results.iterdir()] == ["tiny"]
