"""Deterministic child processes for the ping-pong measurements.

Design (see ``benchmarks/PROBE.md``):

* children are made with a bare ``os.fork``; the child runs a tiny loop of ``os.read`` /
  ``os.write`` / memoryview stores and leaves with ``os._exit`` -- it never returns into the
  caller's stack, never runs ``atexit`` handlers and never flushes the parent's buffers;
* the child ignores SIGINT (a terminal Ctrl-C reaches the whole process group); the parent owns
  its lifetime and always reaps it: on success, on timeout, on error and on KeyboardInterrupt;
* SIGINT is *deferred* (recorded, then re-delivered) around ``fork`` and around clean-up, so an
  interrupt can neither lose a child's pid nor cut the reaping short;
* a per-measurement watchdog thread SIGKILLs the child when the deadline passes, which turns any
  blocking ``read`` in the parent into an end-of-file, so the parent can raise ``TimeoutError``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import warnings

__all__ = [
    "Deadline",
    "Watchdog",
    "deferred_sigint",
    "fork_child",
    "reap",
    "allowed_cpus",
    "HAVE_FORK",
]

HAVE_FORK = hasattr(os, "fork")


class Deadline:
    """A wall-clock budget for one named measurement."""

    def __init__(self, name: str, timeout_s: float):
        self.name = name
        self.timeout_s = float(timeout_s)
        self.t_end = time.monotonic() + self.timeout_s

    def remaining(self) -> float:
        return self.t_end - time.monotonic()

    def expired(self) -> bool:
        return time.monotonic() >= self.t_end

    def error(self) -> TimeoutError:
        return TimeoutError(
            f"measurement {self.name!r} did not finish within its timeout of {self.timeout_s:g} s "
            "(raise timeout_s, or lower repetitions / target_s)"
        )

    def check(self) -> None:
        """Raise :class:`TimeoutError` naming the measurement if the budget is spent."""
        if self.expired():
            raise self.error()


@contextlib.contextmanager
def deferred_sigint():
    """Record SIGINT during the block and re-deliver it (KeyboardInterrupt) when the block ends.

    Python runs signal handlers only in the main thread, so off the main thread there is nothing
    to defer and the block runs unchanged.
    """
    got: list[int] = []
    old = None
    installed = False
    if threading.current_thread() is threading.main_thread():
        try:
            old = signal.signal(signal.SIGINT, lambda signum, frame: got.append(signum))
            installed = True
        except ValueError:  # not the main interpreter
            installed = False
    try:
        yield
    finally:
        if installed:
            signal.signal(signal.SIGINT, old if old is not None else signal.SIG_DFL)
            if got:
                if callable(old):
                    old(signal.SIGINT, None)
                elif old == signal.SIG_DFL:
                    signal.raise_signal(signal.SIGINT)


def fork_child(body, *, close_in_child=(), cpu: int | None = None) -> int:
    """Fork a child that runs ``body()`` then ``os._exit`` (0 on return, 1 on any exception).

    ``close_in_child`` are the parent's descriptors the child must not hold (so that closing them
    in the parent gives the child an end-of-file).  ``cpu`` pins the child to one CPU.
    """
    if not HAVE_FORK:
        raise OSError("os.fork is not available on this platform")
    with deferred_sigint():
        with warnings.catch_warnings():
            # Python >= 3.12 warns when forking a multi-threaded process (e.g. a Jupyter kernel).
            # The child only calls os.read/os.write/os.sched_yield and os._exit, holds no lock
            # of another thread, and never returns into Python code of the parent.
            warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*fork.*")
            pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child; covered by the ping-pong tests
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                for fd in close_in_child:
                    os.close(fd)
                if cpu is not None:
                    with contextlib.suppress(OSError):  # best effort, like the parent's pin
                        os.sched_setaffinity(0, {cpu})
                body()
                code = 0
            except BaseException:  # noqa: B036 - nothing may escape into the parent's stack
                code = 1
            finally:
                os._exit(code)
    return pid


class Watchdog:
    """SIGKILL ``pid`` when ``deadline`` passes; ``fired`` says whether it did."""

    def __init__(self, pid: int, deadline: Deadline):
        self.pid = pid
        self.fired = threading.Event()
        self._timer = threading.Timer(max(deadline.remaining(), 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired.set()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)  # the child is unreaped here, so the pid is ours

    def stop(self) -> None:
        """Disarm; after this returns the watchdog will not signal anything."""
        self._timer.cancel()
        if self._timer is not threading.current_thread():
            self._timer.join()


def reap(pid: int, grace_s: float = 0.5) -> int | None:
    """Wait up to ``grace_s`` for ``pid`` to exit, then SIGKILL it; always reaps it.

    Returns the raw wait status, or ``None`` if the child was already reaped.
    """
    t_end = time.monotonic() + grace_s
    while True:
        try:
            wpid, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if wpid:
            return status
        if time.monotonic() >= t_end:
            break
        time.sleep(0.0005)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def allowed_cpus() -> list[int] | None:
    """CPUs this thread may run on, or ``None`` where affinity is not supported."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None
