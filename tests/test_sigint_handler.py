"""The CLI's SIGINT handler: a KeyboardInterrupt at once, except inside Numba/llvmlite code
(where ctypes would swallow it and LLVM crash): there the signal is sent again later."""
from __future__ import annotations

import signal
import types

import pytest

from thermosat import cli


def _frame(module_name, back=None):
    return types.SimpleNamespace(f_globals={"__name__": module_name}, f_back=back)


def test_outside_numba_the_interrupt_is_raised():
    with pytest.raises(KeyboardInterrupt):
        cli._on_sigint(signal.SIGINT, _frame("thermosat.solve.newton", _frame("__main__")))


def test_inside_llvmlite_it_is_sent_again_later(monkeypatch):
    sent = []

    class Timer:
        def __init__(self, delay, fn, args):
            self.delay, self.fn, self.args = delay, fn, args

        def start(self):
            sent.append((self.delay, self.fn, self.args))

    import threading

    monkeypatch.setattr(threading, "Timer", Timer)
    inner = _frame("llvmlite.binding.executionengine", _frame("thermosat.model.model"))
    assert cli._on_sigint(signal.SIGINT, inner) is None       # no exception here
    (delay, fn, args), = sent
    assert delay == 0.05 and fn is cli.os.kill and args[1] == signal.SIGINT


def test_main_restores_the_previous_handler():
    before = signal.getsignal(signal.SIGINT)
    assert cli.main(["--version"]) == 0
    assert signal.getsignal(signal.SIGINT) is before
