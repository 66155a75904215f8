"""The ``thermosat`` command: thin argument parsing over the library.

Each subcommand lives in ``thermosat/commands/<name>.py`` with ``add_arguments(parser)`` and
``run(args) -> int``. Errors of the toolkit become one line on stderr and exit status 2.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

__all__ = ["main", "COMMANDS"]

#: subcommand -> one-line help
COMMANDS = {
    "size": "size the radiator of each orbital tier (the main job)",
    "solve": "solve one case file (steady satellite + orbit transient)",
    "validate": "run the validation suite against published and closed-form references",
    "bench": "benchmarks side by side with scikit-fem",
    "render": "render a result file (VTU/VTM/PVD) to PNG off-screen",
    "claims": "check the source article's claims against physics",
    "sweep": "run a design sweep (Dask), resumable",
    "mesh": "check a mesh file (exit 2 with one line if it is unusable) or describe it",
    "uncertainty": "P95 radiator area of a tier over uncertain inputs (Dask), resumable",
}


def _available() -> dict[str, object]:
    mods = {}
    for name in COMMANDS:
        try:
            mods[name] = importlib.import_module(f"thermosat.commands.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"thermosat.commands.{name}":
                raise
    return mods


#: commands that build models or render, and so import VTK on the way
_VTK_COMMANDS = {"solve", "size", "sweep", "render", "claims", "validate", "bench"}


def _preimport_vtk() -> None:
    """Import VTK and PyVista with SIGINT held back until the import is done.

    VTK's extension modules crash the process (SIGSEGV) when Ctrl-C interrupts their
    initialisation; held back, the interrupt arrives right after as a KeyboardInterrupt.
    """
    import signal
    import threading

    if (not hasattr(signal, "pthread_sigmask")
            or threading.current_thread() is not threading.main_thread()):
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        import pyvista  # noqa: F401
        import vtk  # noqa: F401
    except ImportError:
        pass
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from thermosat.common.errors import ThermosatError

    parser = argparse.ArgumentParser(prog="thermosat", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")
    mods = _available()
    for name, mod in mods.items():
        p = sub.add_parser(name, help=COMMANDS[name], description=COMMANDS[name])
        mod.add_arguments(p)
    args = parser.parse_args(argv)
    if args.version:
        from thermosat import __version__

        print(__version__)
        return 0
    if not args.command:
        parser.print_help()
        return 2
    try:
        if args.command in _VTK_COMMANDS:
            _preimport_vtk()
        return int(mods[args.command].run(args) or 0)
    except ThermosatError as err:
        print(f"thermosat {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"thermosat {args.command}: interrupted; finished results are kept", file=sys.stderr)
        return 130
    except SystemError as err:  # Ctrl-C inside a Numba-compiled call arrives wrapped
        if not isinstance(err.__cause__ or err.__context__, KeyboardInterrupt):
            raise
        print(f"thermosat {args.command}: interrupted; finished results are kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
