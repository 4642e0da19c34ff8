"""Cross-process round trips: pipe, Unix-domain socket pair, shared memory (paper §4).

Each measurement forks one echo child (see :mod:`ipcmodel.measure._procs`) and times 1-byte
ping-pongs from the parent.  Reported times are *round trips* (request + reply), i.e. two
one-way messages and, for the blocking transports, two context switches.

Placement matters more than anything else on a multi-core machine: a blocking round trip between
two CPUs pays for waking an idle CPU (an inter-processor interrupt; tens of µs in a VM), one on
a single CPU pays for two direct context switches.  The paper's numbers are uniprocessor numbers,
so blocking transports are measured with both processes pinned to one CPU; the cross-CPU pipe is
measured separately.  The shared-memory spin needs two CPUs and is skipped with one; a waiter
that has spun for SPIN_LIMIT polls yields the CPU between polls, so an oversubscribed machine
slows it down instead of stalling it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
from multiprocessing import shared_memory

from ipcmodel.measure._harness import Settings, run_batches, settings
from ipcmodel.measure._pingpong import (
    P2C,
    SPIN_LIMIT,
    STOP,
    PeerGone,
    blocking_batch,
    dry_batch,
    echo,
    spin_batch,
    spin_dry_batch,
    spin_echo,
)
from ipcmodel.measure._procs import (
    HAVE_FORK,
    Deadline,
    Watchdog,
    allowed_cpus,
    deferred_sigint,
    fork_child,
    reap,
)
from ipcmodel.measure.results import Measurement, make_measurement
from ipcmodel.measure.stats import median_ci
from ipcmodel.units import check_nonnegative

__all__ = ["SHM_PREFIX", "SPIN_LIMIT", "Skipped", "measure_round_trip", "measure_dry_round_trips",
           "TRANSPORTS"]

#: Every shared-memory segment the probe creates is /dev/shm/<SHM_PREFIX>...; always unlinked.
SHM_PREFIX = "ipcmodel_probe_"
#: Transport name -> (measurement name, needs two CPUs).
TRANSPORTS = {
    "pipe": ("pipe_round_trip", False),
    "pipe_cross_cpu": ("pipe_round_trip_cross_cpu", True),
    "socket": ("socket_round_trip", False),
    "shm_spin": ("shm_spin_round_trip", True),
    "shm_pipe": ("shm_pipe_round_trip", False),
}


class Skipped(Exception):
    """The measurement cannot run here (reason in the message); not an error."""


class _Session:
    """Owns what one ping-pong creates; leaving the block releases it all, interrupt or not."""

    def __init__(self, deadline: Deadline):
        self.deadline = deadline
        self.fds: list[int] = []
        self.eof_fds: list[int] = []
        self.shm = None
        self.pid = None
        self.watchdog = None
        self._old_affinity = None

    def pipe(self):
        with deferred_sigint():
            r, w = os.pipe()
            self.fds += [r, w]
        return r, w

    def socketpair(self):
        with deferred_sigint():  # AF_UNIX only: the probe never opens a network socket
            a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            fa, fb = a.detach(), b.detach()
            self.fds += [fa, fb]
        return fa, fb

    def shared(self):
        # Registered with multiprocessing's resource tracker (a helper process CPython starts
        # once per interpreter): if this process is SIGKILLed the tracker unlinks the segment.
        name = f"{SHM_PREFIX}{os.getpid()}_{secrets.token_hex(4)}"
        with deferred_sigint():  # never lose the handle of a segment that exists
            self.shm = shared_memory.SharedMemory(name=name, create=True, size=128)
        return self.shm.buf

    def close(self, fd: int) -> None:
        if fd in self.fds:
            self.fds.remove(fd)
            os.close(fd)

    def pin(self, cpu) -> bool:
        """Pin the calling thread to ``cpu`` until the session ends; False if that failed."""
        if cpu is None:
            return False
        try:
            old = os.sched_getaffinity(0)
            os.sched_setaffinity(0, {cpu})
        except OSError:
            return False
        self._old_affinity = old
        return True

    def start(self, body, *, close_in_child, cpu) -> None:
        self.pid = fork_child(body, close_in_child=close_in_child, cpu=cpu)
        self.watchdog = Watchdog(self.pid, self.deadline)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        # Every step runs even if an earlier one fails; reaping is never skipped.
        with deferred_sigint():
            if self.watchdog is not None:
                self.watchdog.stop()
            if self.shm is not None and self.pid is not None:
                with contextlib.suppress(Exception):
                    self.shm.buf[P2C] = STOP  # graceful: the spinning child sees STOP
            for fd in list(self.eof_fds):  # graceful: the echo child reads end-of-file
                with contextlib.suppress(OSError):
                    self.close(fd)
            if self.pid is not None:
                reap(self.pid)
                self.pid = None
            for fd in list(self.fds):
                with contextlib.suppress(OSError):
                    self.close(fd)
            if self.shm is not None:
                with contextlib.suppress(OSError):
                    self.shm.unlink()
                with contextlib.suppress(BufferError, OSError):
                    self.shm.close()
            if self._old_affinity is not None:
                with contextlib.suppress(OSError):
                    os.sched_setaffinity(0, self._old_affinity)
        return False


def _dry(name: str, batch, cfg: Settings, method: str) -> Measurement:
    deadline = Deadline(name, cfg.timeout_s)
    n, samples = run_batches(batch, repetitions=cfg.repetitions, target_s=cfg.target_s,
                             deadline=deadline, start_n=256)
    return make_measurement(name, median_ci(samples), samples, overhead_us=0.0,
                            ops_per_repetition=n, method=method)


def measure_dry_round_trips(cfg: Settings) -> dict[str, Measurement]:
    """Interpreter cost (µs) of one round trip with the kernel and the peer taken out.

    ``ping_pong_dry``: the four I/O calls of a blocking ping-pong; ``shm_spin_dry``: the loads
    and stores of a shared-memory ping-pong.  Both ends are on a round trip's critical path, so
    each dry loop does both ends' work.
    """
    blocking = _dry("ping_pong_dry", dry_batch, cfg,
                    "Dry twin of a blocking ping-pong: the parent's write+read and the child's "
                    "read+write calls in one CPython loop, each replaced by operator.is_not.")
    spin = _dry("shm_spin_dry", spin_dry_batch, cfg,
                "Dry twin of the shared-memory ping-pong: both ends' byte stores and polls on a "
                "private memoryview in one CPython loop (no second process, no cache-line "
                "transfer).")
    return {blocking.name: blocking, spin.name: spin}


def _placement(two_cpus: bool):
    cpus = allowed_cpus()
    if cpus is None:
        return None, None, "unpinned (CPU affinity not supported here)"
    if two_cpus:
        if len(cpus) < 2:
            raise Skipped(f"needs two CPUs; only {len(cpus)} allowed")
        return cpus[0], cpus[1], f"parent on CPU {cpus[0]}, child on CPU {cpus[1]}"
    return cpus[0], None, f"both pinned to CPU {cpus[0]}"  # the child inherits the mask


def measure_round_trip(transport: str, cfg: Settings | None = None,
                       overhead_us: float = 0.0) -> Measurement:
    """Median 1-byte round trip (µs) over ``transport`` (a key of :data:`TRANSPORTS`).

    Parameters
    ----------
    transport : str
        ``"pipe"``, ``"pipe_cross_cpu"``, ``"socket"``, ``"shm_spin"`` or ``"shm_pipe"``.
    cfg : Settings, optional
        Repetitions, batch duration and timeout (see :func:`ipcmodel.measure.settings`);
        default: the full-mode settings.
    overhead_us : float
        Interpreter overhead per round trip (µs, >= 0) to subtract for ``net_us``; ``run_probe``
        passes the matching dry twin from :func:`measure_dry_round_trips`.

    Raises
    ------
    Skipped
        If the platform cannot run it (no ``fork``, or it needs two CPUs and has one).
    TimeoutError
        If it does not finish within ``cfg.timeout_s``; the child is killed and reaped first.
    """
    if transport not in TRANSPORTS:
        raise ValueError(f"transport must be one of {sorted(TRANSPORTS)}; got {transport!r}")
    name, two_cpus = TRANSPORTS[transport]
    cfg = settings() if cfg is None else cfg
    overhead_us = float(check_nonnegative("overhead_us", overhead_us, "µs"))
    if not HAVE_FORK:
        raise Skipped("os.fork is not available on this platform")
    parent_cpu, child_cpu, where = _placement(two_cpus)
    deadline = Deadline(name, cfg.timeout_s)
    with _Session(deadline) as s:
        if parent_cpu is not None and not s.pin(parent_cpu):
            child_cpu, where = None, "unpinned (setting the CPU affinity failed)"
        buf = s.shared() if transport.startswith("shm") else None
        if transport == "shm_spin":
            parent_pid = os.getpid()
            s.start(lambda: spin_echo(buf, parent_pid), close_in_child=(), cpu=child_cpu)
            batch = spin_batch(buf, s.watchdog.fired)
        else:
            if transport == "socket":
                mine, theirs = s.socketpair()
                p2c_r = c2p_w = theirs
                c2p_r = p2c_w = mine
            else:
                p2c_r, p2c_w = s.pipe()
                c2p_r, c2p_w = s.pipe()
            s.start(lambda: echo(p2c_r, c2p_w, buf), close_in_child={p2c_w, c2p_r}, cpu=child_cpu)
            for fd in {p2c_r, c2p_w}:
                s.close(fd)
            s.eof_fds = [p2c_w]
            batch = blocking_batch(c2p_r, p2c_w, buf)
        try:
            n, samples = run_batches(batch, repetitions=cfg.repetitions, target_s=cfg.target_s,
                                     deadline=deadline, start_n=8)
        except (PeerGone, OSError) as exc:
            if s.watchdog.fired.is_set() or deadline.expired():
                raise deadline.error() from None
            raise RuntimeError(f"measurement {name!r}: the echo child exited unexpectedly") from exc
    return make_measurement(name, median_ci(samples), samples, overhead_us=overhead_us,
                            ops_per_repetition=n, method=_METHOD[transport].format(where=where))


_BLOCKING = ("Blocking: each side sleeps in read() until the byte arrives, so one round trip = "
             "2 one-way messages + 2 context switches. Placement: {where}. ")
_OVERHEAD = "overhead_us = ping_pong_dry (both ends' CPython call overhead)."
_METHOD = {
    "pipe": "Round trip of 1 byte over two pipes (os.write/os.read). " + _BLOCKING + _OVERHEAD,
    "pipe_cross_cpu": "Round trip of 1 byte over two pipes, parent and child on different "
                      "CPUs. Blocking: each side sleeps in read(), so every message has to wake "
                      "the other, idle CPU (an inter-processor interrupt plus idle exit). "
                      "Placement: {where}. " + _OVERHEAD,
    "socket": "Round trip of 1 byte over an AF_UNIX SOCK_STREAM socketpair (os.write/os.read on "
              "the descriptors, no Python socket-object overhead). " + _BLOCKING + _OVERHEAD,
    "shm_spin": "Round trip through a multiprocessing.shared_memory segment mapped in both "
                "processes (paper §4 co-mapping): the parent stores a sequence byte, the child "
                "busy-waits on it and stores it back in another cache line. No kernel entry on the "
                "fast path. Bounded busy-wait: after SPIN_LIMIT polls a waiter calls sched_yield "
                "between polls (so on one CPU it still progresses, slowly). Placement: {where}. "
                "overhead_us = shm_spin_dry.",
    "shm_pipe": "Shared-memory data + pipe-byte wake-up: the request/reply live in the shared "
                "segment, the notification is a 1-byte pipe write. Shows that co-mapping removes "
                "the copy but not the kernel's notification. " + _BLOCKING + _OVERHEAD,
}
