"""The self-contained HTML report (issue 16, item 6): figures embedded, model description."""
from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from thermosat.post.html_report import (case_assumptions, markdown_to_html, mesh_summary,
                                        write_html_report)
from thermosat.post.report import write_report

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A result folder: the tier rows of tests/data, a real satellite.vtm and two PNGs."""
    import matplotlib

    matplotlib.use("Agg")
    import pyvista as pv
    from matplotlib.figure import Figure

    out = tmp_path_factory.mktemp("run")
    rows = json.loads((ROOT / "tests" / "data" / "results_a.json").read_text())["tiers"][:1]
    tier = out / "vleo"
    tier.mkdir()
    mb = pv.MultiBlock()
    mb["panel"] = pv.Plane(i_size=2.0, j_size=1.0, i_resolution=4, j_resolution=2).cast_to_unstructured_grid()
    mb["packages"] = pv.ImageData(dimensions=(3, 3, 3), spacing=(0.005,) * 3).cast_to_unstructured_grid()
    mb.save(tier / "satellite.vtm")
    fig = Figure(figsize=(2, 1), dpi=50)
    fig.add_subplot().plot([0, 1], [1, 0], color="red")
    fig.savefig(tier / "orbit.png")
    files = {"vtm": str(tier / "satellite.vtm"), "plot_orbit": str(tier / "orbit.png"),
             "render_radiators": str(tier / "missing.png")}
    rows[0]["files"] = files
    texts = {"vleo": (ROOT / "cases" / "vleo.toml").read_text()}
    md = write_report(out / "report.md", rows, [], texts)
    html = write_html_report(md, rows, texts)
    return out, html, rows


def test_html_sits_beside_report_md_and_embeds_every_figure(run):
    out, html, _ = run
    assert html == out / "report.html"
    text = html.read_text()
    assert "<table>" in text and "<h2" in text
    uris = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(uris) == 1  # orbit.png; the missing figure is said to be missing
    assert "figure not found: vleo/missing.png" in text
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(base64.b64decode(uris[0])), format="png")
    red = (img[..., 0] > 0.9) & (img[..., 1] < 0.2) & (img[..., 2] < 0.2)
    assert red.sum() > 10  # the embedded picture is the one drawn
    assert 'src="vleo/' not in text and "src=\"/" not in text  # no external file needed


def test_model_description_reads_the_meshes_and_the_case(run):
    _, html, _ = run
    text = html.read_text()
    assert "Model description" in text and "Elements and mesh sizes" in text
    assert "quad (8)" in text  # 4 × 2 panel cells
    assert re.search(r"(hexahedron|voxel) \(8\)", text)
    assert "500 mm" in text  # 2 m / 4 cells
    for method in ("Gnielinski", "Earth view factor", "Albedo", "radiosity"):
        assert method in text
    assert "Assumptions and their sources" in text
    assert "panel.element_size_m" in text and "docs/references.md" in text


def test_mesh_summary_sizes(run):
    out, _, _ = run
    blocks = {b["block"]: b for b in mesh_summary(out / "vleo" / "satellite.vtm")}
    assert blocks["panel"]["cells"] == 8
    assert blocks["panel"]["median_cell_size_m"] == pytest.approx(0.5)
    assert blocks["packages"]["median_cell_size_m"] == pytest.approx(0.005)


def test_case_assumptions_keep_the_comment_above_each_value():
    rows = case_assumptions('[orbit]\n# MISSION value\nalbedo = 0.3\nbeta_deg = 0.0\n')
    assert rows == [("orbit.albedo", "0.3", "MISSION value")]


def test_markdown_subset():
    body, missing = markdown_to_html("# T\n\n| a | b |\n|---|---|\n| 1 | **2** |\n\n"
                                     "```toml\nx = 1 < 2\n```\n![c](nope.png)\n", Path("."))
    assert "<h1" in body and "<td><strong>2</strong></td>" in body
    assert "x = 1 &lt; 2" in body and missing == ["nope.png"]
