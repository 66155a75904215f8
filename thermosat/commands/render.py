"""``thermosat render``: draw a result file (.vtu, .vtm, .pvd) to PNG off-screen.

Options choose the field, the camera, shared or per-body colour ranges and a log scale; the
Sun and nadir arrows stored in a satellite's ``.vtm`` and a length scale are drawn unless
turned off.

Prints the path of each PNG written. Missing or unreadable files and unknown fields are
one-line errors (exit status 2).
"""
from __future__ import annotations

import argparse

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from thermosat.post.render import CAMERAS, RANGES

    parser.add_argument("result", metavar="RESULT",
                        help="result file: .vtu, .vtm (multi-block) or .pvd (time series)")
    parser.add_argument("--png", metavar="FILE",
                        help="output PNG (default: RESULT with the suffix .png)")
    parser.add_argument("--scalars", metavar="NAME", default="temperature_C",
                        help="field to colour by (default temperature_C; also temperature_K, "
                             "heat_flux_W_m2, temperature_gradient_K_m, region_id)")
    parser.add_argument("--frame", metavar="N", type=int, default=-1,
                        help="frame of a .pvd series (default -1, the last)")
    parser.add_argument("--block", metavar="NAME|INDEX",
                        help="render only this block of a .vtm file (default: all together)")
    parser.add_argument("--each-block", action="store_true",
                        help="one PNG per block of a .vtm file, beside RESULT or in the folder "
                             "of --png")
    parser.add_argument("--camera", choices=CAMERAS, default="iso",
                        help="view direction (default iso; wings: a satellite from below the "
                             "panel's end, both wings in view)")
    parser.add_argument("--ranges", choices=RANGES, default="shared",
                        help="colour ranges: shared (one bar, default) or body (each body — "
                             "wings, panel, coolant, … — on its own range and bar)")
    parser.add_argument("--log", action="store_true",
                        help="logarithmic colour scale (for heat_flux_W_m2)")
    parser.add_argument("--no-arrows", action="store_true",
                        help="leave out the Sun and nadir arrows stored in a satellite's file")
    parser.add_argument("--no-scale-bar", action="store_true", help="leave out the length scale")
    parser.add_argument("--title", help="title text (default: file name and time)")
    parser.add_argument("--size", metavar="WxH", default="1200x800",
                        help="image size in pixels (default 1200x800)")


def _size(text: str) -> tuple[int, int]:
    from thermosat.common.errors import InputError

    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise InputError(f"--size: expected WxH in pixels such as 1200x800, got {text!r}") \
            from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise InputError(f"--size: {w}x{h} is outside 16..8192 pixels per side")
    return w, h


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from thermosat.post.render import render_blocks, render_file

    from thermosat.common.paths import check_output_dir, check_output_file

    size = _size(args.size)
    if args.each_block:
        check_output_dir(Path(args.png).parent if args.png else Path(args.result).parent,
                         "--png" if args.png else "RESULT's folder")
    else:
        check_output_file(args.png if args.png else Path(args.result).with_suffix(".png"),
                          "--png" if args.png else "--png (default: RESULT with .png)",
                          suffixes=(".png",) if args.png else ())
    common = {"scalars": args.scalars, "frame": args.frame, "camera": args.camera,
              "window_size": size, "ranges": args.ranges, "log": args.log,
              "scale_bar": not args.no_scale_bar}
    if args.no_arrows:
        common["arrows"] = {}
    if args.each_block:
        out_dir = Path(args.png).parent if args.png else None
        for p in render_blocks(args.result, out_dir, **common):
            print(p)
        return 0
    print(render_file(args.result, args.png, block=args.block, title=args.title, **common))
    return 0
