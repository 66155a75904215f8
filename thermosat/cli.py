"""The ``thermosat`` command: thin argument parsing over the library.

Each subcommand lives in ``thermosat/commands/<name>.py`` with ``add_arguments(parser)`` and
``run(args) -> int``. Errors of the toolkit (and unusable files: ``OSError``) become one line
on stderr and exit status 2; any other exception is one line naming it, exit status 1, and
``--debug`` shows its traceback. Every command takes ``--quiet`` (no progress) and ``--debug``.
Exit codes: docs/errors.md.
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
    "compare": "what moved between two result folders (areas, temperatures, margins, power, "
               "mass)",
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


def _add_common(p: argparse.ArgumentParser) -> None:
    """``--quiet`` and ``--debug`` on every subcommand (kept when a command defines its own)."""
    if "--quiet" not in p._option_string_actions:
        p.add_argument("--quiet", action="store_true",
                       help="no progress bars or status lines on stderr (errors still shown)")
    if "--debug" not in p._option_string_actions:
        p.add_argument("--debug", action="store_true",
                       help="show the full traceback of an unexpected error")


def _one_line(err: BaseException) -> str:
    from thermosat.common.errors import one_line

    return one_line(err, limit=400, typed=False)


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


#: Python code of these packages runs inside C callbacks (llvmlite's object cache, called by
#: LLVM through ctypes while Numba loads or compiles a kernel): a KeyboardInterrupt raised
#: there is swallowed by ctypes and LLVM goes on with half-set state — a SIGSEGV
_NO_INTERRUPT_IN = ("llvmlite", "numba")


def _on_sigint(signum, frame) -> None:
    """SIGINT → KeyboardInterrupt, except while Numba/llvmlite code is on the stack: then the
    signal is sent again 50 ms later, until it lands outside (compiles and cache loads last
    seconds at most)."""
    f = frame
    while f is not None:
        if str(f.f_globals.get("__name__", "")).startswith(_NO_INTERRUPT_IN):
            import threading

            threading.Timer(0.05, os.kill, (os.getpid(), signum)).start()
            return
        f = f.f_back
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    old = signal.signal(signal.SIGINT, _on_sigint)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGINT, old)


def _main(argv: list[str] | None) -> int:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from thermosat.common.errors import ThermosatError

    parser = argparse.ArgumentParser(prog="thermosat", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")
    mods = _available()
    for name, mod in mods.items():
        p = sub.add_parser(name, help=COMMANDS[name], description=COMMANDS[name])
        mod.add_arguments(p)
        _add_common(p)
    args = parser.parse_args(argv)
    if args.version:
        from thermosat import __version__

        print(__version__)
        return 0
    if not args.command:
        parser.print_help()
        return 2
    from thermosat.common.progress import set_quiet

    set_quiet(getattr(args, "quiet", False))
    debug = getattr(args, "debug", False)
    try:
        if args.command in _VTK_COMMANDS:
            _preimport_vtk()
        return int(mods[args.command].run(args) or 0)
    except ThermosatError as err:
        print(f"thermosat {args.command}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a file or folder the system refused (full disk, permissions ...)
        if debug:
            raise
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        print(f"thermosat {args.command}: error: {where}{err.strerror or _one_line(err)}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"thermosat {args.command}: interrupted; finished results are kept", file=sys.stderr)
        return 130
    except SystemError as err:  # Ctrl-C inside a Numba-compiled call arrives wrapped
        if not isinstance(err.__cause__ or err.__context__, KeyboardInterrupt):
            return _internal(args.command, err, debug)
        print(f"thermosat {args.command}: interrupted; finished results are kept", file=sys.stderr)
        return 130
    except Exception as err:  # a bug: one line, the traceback only with --debug
        return _internal(args.command, err, debug)


def _internal(command: str, err: BaseException, debug: bool) -> int:
    if debug:
        raise err
    print(f"thermosat {command}: internal error: {type(err).__name__}: {_one_line(err)} "
          f"(run again with --debug for the traceback, and report it)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
