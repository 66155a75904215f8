"""Measure what moved each tier's sized radiator area (thermosat.studies.attribution).

    python scripts/area_attribution.py [--tier vleo|leo|meo|all] [--jobs 2] [--force]

Sizes each tier's default and the default with each change of this round undone, one at a
time; writes thermosat/studies/area_attribution.json atomically after every tier (a rerun
skips tiers already measured on the same commit unless --force), which the sizing report
reads. Takes ~10-30 min on 2 cores.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from thermosat.common.atomic import atomic_write_text  # noqa: E402
from thermosat.studies.attribution import attribute_tier  # noqa: E402

OUT = ROOT / "thermosat" / "studies" / "area_attribution.json"


def _one(tier: str) -> dict:
    return attribute_tier(tier, progress=lambda m: print(m, file=sys.stderr, flush=True))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tier", default="all", choices=("vleo", "leo", "meo", "all"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    data = json.loads(OUT.read_text()) if OUT.exists() else {"tiers": {}}
    tiers = ("vleo", "leo", "meo") if a.tier == "all" else (a.tier,)
    todo = [t for t in tiers if a.force or data["tiers"].get(t, {}).get("commit") != commit]
    with ProcessPoolExecutor(max_workers=max(1, min(a.jobs, len(todo) or 1))) as pool:
        for tier, row in zip(todo, pool.map(_one, todo)):
            row["commit"], row["date"] = commit, date.today().isoformat()
            data["tiers"][tier] = row
            atomic_write_text(OUT, json.dumps(data, indent=2, default=float))
            print(f"{tier}: written to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
