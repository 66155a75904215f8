"""The on-disk store of a sweep: one JSON file per finished point, resumable, nothing lost.

Layout of ``OUT/``::

    manifest.json          the sweep spec, base case fingerprint, the point list, the runs
    points/<point_id>.json one file per finished point (done or failed), written atomically
    results.csv            one row per point of the sweep, rebuilt from points/ (atomically)
    results.json           the same as JSON records
    summary.png            outputs against the varied fields

``point_id`` hashes (base case fingerprint, mode, point values), so a point is the same point
in every run and in every sweep that shares it: a rerun skips the files already there and
never duplicates a point. Every file is written to a hidden temporary file beside it and
renamed (:func:`thermosat.common.atomic.atomic_path`); a process killed mid-write (SIGKILL) can
leave only such hidden temporaries, which :class:`SweepStore` ignores and removes when it
opens the folder.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

from thermosat.common.errors import InputError
from thermosat.common.atomic import atomic_path, atomic_write_text

__all__ = ["SweepStore", "point_id", "canonical_values", "flatten"]

POINT_FORMAT = "thermosat-sweep-point/1"


def canonical_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values normalised for hashing: numbers as floats (``120`` and ``120.0`` are one point),
    strings and booleans as they are."""
    out = {}
    for k in sorted(values):
        v = values[k]
        if isinstance(v, bool) or isinstance(v, str) or v is None:
            out[k] = v
        elif isinstance(v, (int, float)) or hasattr(v, "__float__"):
            out[k] = float(v)
        else:
            out[k] = str(v)
    return out


def point_id(base_fingerprint: str, values: Mapping[str, Any], mode: str) -> str:
    """Stable id of a sweep point: 16 hex digits of sha256(fingerprint, mode, values)."""
    payload = json.dumps([str(base_fingerprint), str(mode), canonical_values(values)],
                         sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts to one level with dotted keys; lists become JSON text."""
    out: dict[str, Any] = {}
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            key = f"{prefix}.{k}" if prefix else str(k)
            if isinstance(v, Mapping):
                out.update(flatten(v, key))
            elif isinstance(v, (list, tuple)):
                out[key] = json.dumps(v)
            else:
                out[key] = v
    elif prefix:
        out[prefix] = obj
    return out


def _strict(obj: Any) -> Any:
    """Non-finite floats become None, so every file is strict JSON."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Mapping):
        return {k: _strict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_strict(v) for v in obj]
    return obj


def _dumps(obj: Any) -> str:
    return json.dumps(_strict(obj), indent=1, allow_nan=False) + "\n"


def _is_temp(name: str) -> bool:
    return name.startswith(".")


class SweepStore:
    """A sweep's output folder. Opening it removes temporaries left by a killed run.

    Attributes
    ----------
    root : Path
    points_dir : Path
    removed_temp : list[Path]  temporaries removed when the store was opened
    """

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"--out {self.root}: exists and is not a folder")
        self.points_dir = self.root / "points"
        self.points_dir.mkdir(parents=True, exist_ok=True)
        self.removed_temp = self.clean_temp()
        self.corrupt: set[Path] = set()

    # --- files ----------------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def csv_path(self) -> Path:
        return self.root / "results.csv"

    @property
    def json_path(self) -> Path:
        return self.root / "results.json"

    @property
    def plot_path(self) -> Path:
        return self.root / "summary.png"

    def point_path(self, pid: str) -> Path:
        return self.points_dir / f"{pid}.json"

    def clean_temp(self) -> list[Path]:
        """Remove hidden temporaries of interrupted atomic writes (``points/.*``, and
        ``.manifest.*``, ``.results.*``, ``.summary.*`` in the root)."""
        removed = []
        candidates = [p for p in self.points_dir.iterdir() if _is_temp(p.name)]
        candidates += [p for stem in ("manifest", "results", "summary")
                       for p in self.root.glob(f".{stem}.*")]
        for p in candidates:
            if p.is_file():
                try:
                    p.unlink()
                    removed.append(p)
                except FileNotFoundError:
                    pass
        return removed

    # --- points ---------------------------------------------------------------------------------
    def read_point(self, pid: str) -> dict | None:
        """The record of point ``pid``, or None if absent or unreadable (then recomputed)."""
        p = self.point_path(pid)
        try:
            rec = json.loads(p.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            self.corrupt.add(p)
            return None
        if not isinstance(rec, dict) or rec.get("point_id") != pid or \
                rec.get("status") not in ("done", "failed"):
            self.corrupt.add(p)
            return None
        return rec

    def finished(self) -> dict[str, dict]:
        """All readable point records in ``points/`` by id."""
        out = {}
        for p in sorted(self.points_dir.glob("*.json")):
            if _is_temp(p.name):
                continue
            rec = self.read_point(p.stem)
            if rec is not None:
                out[p.stem] = rec
        return out

    def write_point(self, record: Mapping[str, Any]) -> Path:
        """Write one point record atomically; returns its path."""
        rec = {"format": POINT_FORMAT, **record}
        return atomic_write_text(self.point_path(rec["point_id"]), _dumps(rec))

    # --- manifest and tables ----------------------------------------------------------------------
    def read_manifest(self) -> dict | None:
        try:
            return json.loads(self.manifest_path.read_text())
        except (FileNotFoundError, ValueError):
            return None

    def write_manifest(self, manifest: Mapping[str, Any]) -> Path:
        return atomic_write_text(self.manifest_path, _dumps(manifest))

    def records(self, points: Iterable[Mapping[str, Any]]) -> list[dict]:
        """One row per sweep point, in sweep order: the stored record, or a ``pending`` stub."""
        rows = []
        for i, pt in enumerate(points):
            rec = self.read_point(pt["point_id"])
            if rec is None:
                rec = {"point_id": pt["point_id"], "status": "pending",
                       "values": dict(pt["values"])}
            rows.append({**rec, "index": i})
        return rows

    def rebuild(self, points: list[Mapping[str, Any]], fields: list[str],
                extra: Mapping[str, Any] | None = None, *,
                rows: list[dict] | None = None) -> tuple[Path, Path]:
        """Rebuild ``results.csv`` and ``results.json`` from the point files (atomically).

        ``points`` is the sweep's point list (``point_id`` and ``values``), ``fields`` the varied
        fields (the first columns after index, id and status); ``rows``: the point records if
        already read (:meth:`records`).
        """
        rows = self.records(points) if rows is None else rows
        flat_rows, out_cols = [], {}
        for r in rows:
            flat = flatten(r.get("outputs") or {})
            for k in flat:
                out_cols.setdefault(k if k not in fields else f"out.{k}", None)
            flat_rows.append({(k if k not in fields else f"out.{k}"): v for k, v in flat.items()})
        header = (["index", "point_id", "status"] + list(fields) + list(out_cols)
                  + ["error", "wall_s", "run_id", "finished"])
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        for r, flat in zip(rows, flat_rows):
            vals = r.get("values", {})
            row = [r["index"], r["point_id"], r["status"]]
            row += [_cell(vals.get(f)) for f in fields]
            row += [_cell(flat.get(c)) for c in out_cols]
            row += [_cell(r.get("error")), _cell(r.get("wall_s")), _cell(r.get("run_id")),
                    _cell(r.get("finished"))]
            w.writerow(row)
        atomic_write_text(self.csv_path, buf.getvalue())
        doc = {**(extra or {}), "fields": list(fields), "points": rows}
        atomic_write_text(self.json_path, _dumps(doc))
        return self.csv_path, self.json_path

    def write_plot(self, fig) -> Path:
        with atomic_path(self.plot_path) as tmp:
            fig.savefig(tmp, dpi=110)
        return self.plot_path


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return v
