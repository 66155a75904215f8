"""A self-contained HTML report beside ``report.md``: the same content, the figures embedded
as base64 PNG, and a model-description section.

:func:`write_html_report` converts the Markdown report (the subset thermosat writes:
headings, pipe tables, paragraphs, images, fenced code, ``**bold**`` and ```code```), replaces
each image link by a ``data:image/png;base64`` URI (so the file can be mailed or archived
alone) and appends :func:`model_description`: element types and mesh sizes read from each
tier's ``satellite.vtm``, the mesh settings of the case, the correlations, view-factor,
environment and albedo methods, and every assumption of the case file with its stated
source (the comments ``thermosat.case.defaults`` writes above each value).
"""
from __future__ import annotations

import base64
import html
import re
import tomllib
from pathlib import Path

from thermosat.common.atomic import atomic_write_text

__all__ = ["write_html_report", "markdown_to_html", "model_description", "case_assumptions",
           "mesh_summary", "METHODS"]

#: the numerical methods, each with its source (docs/references.md lists the sources)
METHODS = (
    ("Panel", "layered shell: each layer a copy of the 2D panel mesh (quad4/tri3 shell "
     "elements) with in-plane conduction k·t, layers linked through the thickness by the "
     "series conductance 1/(t₁/2k₁ + t₂/2k₂); photovoltaic power taken out in the cell "
     "layer, efficiency falling linearly with cell temperature", "thermosat/physics/panel.py"),
    ("Radiator wings", "quad4 shell elements, conduction in the plane, both faces radiating; "
     "placed beside the panel, outboard in its plane's extension or on a boom behind it "
     "(the placement trade), each with its own view factors",
     "thermosat/satellite/geometry.py, thermosat/satellite/placement.py"),
    ("Chip packages", "3D hexahedral stack die / TIM1 / lid / TIM2 / cold plate, power as a "
     "volumetric source in the die's active layer; junction = the die's top face",
     "thermosat/physics/package.py"),
    ("Coolant loop", "1D fluid nodes along the pipes, upwind advection (energy conserved "
     "exactly), wall bonding to the surfaces, cold plates in parallel, radiator sections "
     "in series", "thermosat/physics/loop.py"),
    ("Convection correlations", "laminar Re ≤ 2300: Nu = 4.36 (uniform flux) / 3.66 "
     "(uniform wall temperature), f = 64/Re; turbulent Re ≥ 4000: Gnielinski with "
     "Petukhov's friction factor; 2300–4000 an engineering blend (±30 %); Darcy friction "
     "factor (Churchill 1977 by default), Δp = (f L/D + ΣK) ρv²/2, pump power from Δp and "
     "the volume flow", "Incropera & DeWitt eqs. 8.21, 8.53, 8.55, 8.62 "
     "(thermosat/physics/correlations.py)"),
    ("Fluid properties", "real-fluid property tables of the coolant at the loop pressure "
     "(freezing and boiling points checked at every fluid node)",
     "NIST Chemistry WebBook (thermosat/physics/fluids.py)"),
    ("Radiation to space", "every exposed face radiates to a 3 K sink (configurable), "
     "nonlinear in T⁴, Newton–Raphson", "σ from CODATA 2018"),
    ("View factors between bodies", "diffuse facet-to-facet exchange areas G_ij = A_i F_ij "
     "(reciprocity by construction): contour integral (Mitalas & Stephenson 1966) for near "
     "pairs, adaptive Gauss double-area integral for far ones; obstruction all-or-nothing "
     "per pair along the centroid segment (Numba BVH); gray-diffuse radiosity (Gebhart) "
     "with space as the sink",
     "Howell's catalog; thermosat/radiation/viewfactors.py, radiosity.py"),
    ("Earth view factor", "exact view factor of a flat plate of any tilt to the spherical "
     "Earth (full and partial view)", "Howell's catalog, Gilmore 2002 ch. 2 "
     "(thermosat/physics/earth_view.py)"),
    ("Environment", "solar S·max(n·ŝ, 0), zero in the cylindrical eclipse; Earth IR "
     "OLR·F; orbit angle θ from noon, Sun at beta angle β",
     "Gilmore 2002 ch. 2; Wertz & Larson 1999 (thermosat/physics/environment.py)"),
    ("Albedo", "engineering approximation S·a·F·max(cos θ_ss, 0): the Earth view factor "
     "times the cosine of the sub-solar angle, a diffuse Earth of uniform Bond albedo a",
     "Gilmore 2002 ch. 2 (thermosat/physics/earth_view.py)"),
    ("Orbit transient", "BDF2 time stepping with lumped capacitance, Newton per step, "
     "compute throttled to the PV power available", "thermosat/solve/transient.py"),
)


# --- Markdown → HTML (the subset the report uses) ------------------------------------------
def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return text


def _embed(src: str, base: Path) -> str | None:
    p = Path(src)
    p = p if p.is_absolute() else base / p
    try:
        data = p.read_bytes()
    except OSError:
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def markdown_to_html(md: str, base: Path) -> tuple[str, list[str]]:
    """HTML body of the Markdown ``md`` (images resolved against ``base`` and embedded);
    returns ``(html, missing image paths)``."""
    out: list[str] = []
    missing: list[str] = []
    lines = md.splitlines()
    i = 0
    para: list[str] = []

    def flush():
        if para:
            out.append("<p>" + _inline(" ".join(para)) + "</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if s.startswith("```"):
            flush()
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            out.append("<pre><code>" + html.escape("\n".join(lines[i + 1:j])) + "</code></pre>")
            i = j + 1
            continue
        m = re.match(r"^(#{1,4}) (.*)$", s)
        if m:
            flush()
            n = len(m.group(1))
            anchor = re.sub(r"[^a-z0-9]+", "-", m.group(2).lower()).strip("-")
            out.append(f'<h{n} id="{anchor}">{_inline(m.group(2))}</h{n}>')
            i += 1
            continue
        m = re.match(r"^!\[([^\]]*)\]\(([^)]+)\)$", s)
        if m:
            flush()
            uri = _embed(m.group(2), base)
            if uri is None:
                missing.append(m.group(2))
                out.append(f'<p class="missing">figure not found: {html.escape(m.group(2))}'
                           "</p>")
            else:
                cap = html.escape(m.group(1))
                out.append(f'<figure><img alt="{cap}" src="{uri}"><figcaption>{cap}'
                           "</figcaption></figure>")
            i += 1
            continue
        if s.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows]
            head, body = cells[0], [c for c in cells[1:] if not all(
                re.fullmatch(r":?-+:?", x) for x in c)]
            t = ["<table>", "<thead><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in head)
                 + "</tr></thead>", "<tbody>"]
            t += ["<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>" for r in body]
            out.append("\n".join(t + ["</tbody></table>"]))
            continue
        if not s:
            flush()
        elif s.startswith(("* ", "- ")):
            flush()
            items = []
            while i < len(lines) and lines[i].strip().startswith(("* ", "- ")):
                items.append(f"<li>{_inline(lines[i].strip()[2:])}</li>")
                i += 1
            out.append("<ul>" + "".join(items) + "</ul>")
            continue
        else:
            para.append(s)
        i += 1
    flush()
    return "\n".join(out), missing


# --- model description ---------------------------------------------------------------------
def mesh_summary(vtm_path) -> list[dict]:
    """Per block of a ``satellite.vtm``: cell types, cells, points and the median cell size
    (m: length of line cells, √area of surface cells, ∛volume of solid cells)."""
    import numpy as np
    import pyvista as pv

    mb = pv.read(str(vtm_path))
    out = []
    for name in mb.keys():
        blk = mb[name]
        if blk is None:
            continue
        grids = [blk[k] for k in blk.keys()] if isinstance(blk, pv.MultiBlock) else [blk]
        types: dict[str, int] = {}
        sizes = []
        n_pts = 0
        for g in grids:
            if g is None or g.n_cells == 0:
                continue
            n_pts += g.n_points
            for ct in np.unique(g.celltypes):
                label = pv.CellType(int(ct)).name.lower()
                types[label] = types.get(label, 0) + int((g.celltypes == ct).sum())
            cs = g.compute_cell_sizes(length=True, area=True, volume=True)
            L, A, V = (np.abs(cs.cell_data[k]) for k in ("Length", "Area", "Volume"))
            sizes.append(np.where(V > 0, np.cbrt(V), np.where(A > 0, np.sqrt(A), L)))
        if not types:
            continue
        size = float(np.median(np.concatenate(sizes)))
        out.append({"block": name, "cell_types": types, "cells": sum(types.values()),
                    "points": n_pts, "median_cell_size_m": size})
    return out


def case_assumptions(toml_text: str) -> list[tuple[str, str, str]]:
    """``(dotted field, value, stated reason / source)`` for every value of a case file
    that has a comment above it (as ``thermosat.case.defaults`` writes them)."""
    out = []
    section = ""
    comment: list[str] = []
    for line in toml_text.splitlines():
        s = line.strip()
        if s.startswith("#"):
            comment.append(s.lstrip("#").strip())
            continue
        m = re.match(r"^\[+([^\]]+)\]+$", s)
        if m:
            section, comment = m.group(1).strip(), []
            continue
        m = re.match(r"^([A-Za-z0-9_\"\.]+)\s*=\s*(.+)$", s)
        if m and comment and section:
            out.append((f"{section}.{m.group(1)}", m.group(2), " ".join(comment)))
        comment = [] if s else comment
    return out


def _mesh_settings(toml_text: str) -> list[tuple[str, object]]:
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError:
        return []
    out = []
    for sec, table in data.items():
        if not isinstance(table, dict):
            continue
        for k, v in table.items():
            if sec == "mesh" or "element_size" in k or "mesh" in k:
                out.append((f"{sec}.{k}", v))
    return out


def model_description(rows: list[dict], case_texts: dict[str, str], base: Path) -> str:
    """Markdown of the model-description section."""
    md = ["## Model description", "",
          "What was solved, and how: every number below is read from this run's files "
          "(meshes from `satellite.vtm`, settings and assumptions from the case files); "
          "reference values and their published sources are in `docs/references.md` of "
          "thermosat.", "", "### Elements and mesh sizes", ""]
    for r in rows:
        vtm = (r.get("files") or {}).get("vtm")
        if not vtm:
            continue
        p = Path(vtm)
        p = p if p.is_absolute() or p.exists() else base / p
        try:
            blocks = mesh_summary(p)
        except Exception as err:  # a missing or unreadable VTM: say so, keep the report
            md += [f"{r['tier'].upper()}: mesh not read ({type(err).__name__}: {err}).", ""]
            continue
        md += [f"**{r['tier'].upper()}** ({r.get('n_unknowns', '?')} unknowns)", "",
               "| block | element types (count) | points | median cell size |",
               "|---|---|---|---|"]
        for b in blocks:
            types = ", ".join(f"{t} ({n})" for t, n in b["cell_types"].items())
            md.append(f"| {b['block']} | {types} | {b['points']} | "
                      f"{b['median_cell_size_m'] * 1e3:.3g} mm |")
        md.append("")
    for name, text in case_texts.items():
        s = _mesh_settings(text)
        if s:
            md += [f"Mesh settings of the {name} case: "
                   + "; ".join(f"`{k}` = {v}" for k, v in s) + ".", ""]
    md += ["### Methods", "", "| part | method | source |", "|---|---|---|"]
    md += [f"| {a} | {b} | {c} |" for a, b, c in METHODS]
    md += ["", "### Assumptions and their sources", "",
           "Each value of the case file with the reason or source stated beside it "
           "(`docs/references.md` gives the published source of every reference value).", ""]
    for name, text in case_texts.items():
        rows_ = case_assumptions(text)
        if not rows_:
            continue
        md += [f"**{name}**", "", "| field | value | reason / source |", "|---|---|---|"]
        md += [f"| `{f}` | {v.replace('|', '/')} | {c.replace('|', '/')} |" for f, v, c in rows_]
        md.append("")
    return "\n".join(md)


_CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}table{border-collapse:collapse;margin:1em 0;font-size:0.9em}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f0f0f0}
img{max-width:100%;border:1px solid #ddd}figure{margin:1em 0}figcaption{font-size:0.85em;
color:#555}code{background:#f4f4f4;padding:0 3px}pre{background:#f4f4f4;padding:8px;
overflow-x:auto;font-size:0.85em}.missing{color:#a00}"""


def write_html_report(md_path, rows: list[dict], case_texts: dict[str, str],
                      html_path=None) -> Path:
    """Write ``report.html`` (default: beside ``md_path``) atomically: the Markdown report's
    content with every figure embedded, plus the model description. Returns its path."""
    md_path = Path(md_path)
    html_path = Path(html_path) if html_path else md_path.with_suffix(".html")
    md = md_path.read_text()
    head, sep, tail = md.partition("\n## The article's claims")
    md = head + "\n\n" + model_description(rows, case_texts, md_path.parent) + (
        "\n" + sep + tail if sep else "")
    body, _missing = markdown_to_html(md, md_path.parent)
    doc = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<title>thermosat sizing report</title><style>" + _CSS + "</style></head><body>\n"
           + body + "\n</body></html>\n")
    return atomic_write_text(html_path, doc)
