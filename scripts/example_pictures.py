"""Solve one satellite and draw its pictures, to look at them: the radiators and packages
renders, the coolant along the loop and (with ``--orbit``) the orbit transient, plus the
``satellite.vtm`` that ``thermosat render`` redraws.

    python scripts/example_pictures.py --out /tmp/pics              # coarse VLEO, ~15 s
    python scripts/example_pictures.py --tier leo --fine --orbit --out /tmp/pics
    python scripts/example_pictures.py --docs                        # docs/img examples

``--docs`` writes ``docs/img/render_example.png`` and ``docs/img/loop_example.png`` from the
default VLEO case at its own mesh size.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from thermosat.case.defaults import default_design  # noqa: E402
from thermosat.post import plots  # noqa: E402
from thermosat.post.multiblock import write_vtm  # noqa: E402
from thermosat.post.satellite_view import render_satellite, satellite_multiblock  # noqa: E402
from thermosat.satellite.satellite import Satellite  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tier", default="vleo", choices=("vleo", "leo", "meo"))
    ap.add_argument("--fine", action="store_true",
                    help="the case's own mesh (default: 2.5 m elements, package density 2)")
    ap.add_argument("--orbit", action="store_true", help="also the orbit transient (slower)")
    ap.add_argument("--out", default="example_pictures", help="output folder")
    ap.add_argument("--docs", action="store_true",
                    help="write docs/img/render_example.png and docs/img/loop_example.png")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    coarse = {} if args.fine or args.docs else {"element_size_m": 2.5,
                                                 "package_mesh_density": 2}
    sat = Satellite(default_design(args.tier, **coarse))
    res = sat.solve_steady()
    print(f"{args.tier}: {sat.model.n_nodes} unknowns solved in {time.perf_counter() - t0:.1f} s;"
          f" {res.summary()}")
    out = Path(args.out)
    tier = args.tier.upper()
    files = render_satellite(sat, res, out, title=tier)
    files["loop"] = str(plots.plot_loop_temperatures(
        sat.loop, sat.model, res.T, out / "loop_temperatures.png",
        title=f"{tier}: coolant along the loop (hot case)"))
    files["vtm"] = str(write_vtm(out / "satellite.vtm", satellite_multiblock(sat, res.T)))
    if args.orbit:
        orbit = sat.solve_orbit(res, steps=72)
        files["orbit"] = str(plots.plot_orbit(orbit, res.limits, out / "orbit.png",
                                              title=f"{tier}: one orbit"))
    if args.docs:
        import shutil

        img = ROOT / "docs" / "img"
        img.mkdir(parents=True, exist_ok=True)
        render_satellite(sat, res, out / "docs", title=tier, window_size=(1100, 720))
        shutil.copyfile(out / "docs" / "radiators.png", img / "render_example.png")
        shutil.copyfile(files["loop"], img / "loop_example.png")
        files["docs"] = str(img)
    for key, path in files.items():
        print(f"{key}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
