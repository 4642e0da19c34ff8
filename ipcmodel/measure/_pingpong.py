"""The loops of a ping-pong: child echo loops, parent timing batches, and their dry twins.

Kept apart from :mod:`ipcmodel.measure.ipc` (which owns processes and resources) so the hot loops
are easy to read.  Children leave through ``os._exit`` (see :mod:`ipcmodel.measure._procs`).
"""

from __future__ import annotations

import operator
import os
import time

__all__ = ["SPIN_LIMIT", "P2C", "C2P", "STOP", "PeerGone", "echo", "spin_echo",
           "blocking_batch", "spin_batch", "dry_batch", "spin_dry_batch"]

#: Busy-wait iterations (about 1 ms of CPython) before a waiter starts yielding the CPU.
SPIN_LIMIT = 20_000
#: Offsets of the request and reply bytes (one flag per cache line) and the stop value;
#: sequence numbers run 1..254.
P2C, C2P, STOP = 0, 64, 255


class PeerGone(Exception):
    """The other end closed its descriptor or was killed (by the watchdog)."""


# -- child loops (run after fork, leave via os._exit) ----------------------------------------
def echo(r: int, w: int, buf=None) -> None:
    rd, wr = os.read, os.write
    while True:
        b = rd(r, 1)
        if not b:
            return
        if buf is not None:
            buf[C2P] = buf[P2C]
        wr(w, b)


def spin_echo(buf, parent_pid: int) -> None:
    last, k, yld, ppid = 0, 0, os.sched_yield, os.getppid
    while True:
        v = buf[P2C]
        if v == last:
            k += 1
            if k > SPIN_LIMIT:
                yld()
                if k % 1024 == 0 and ppid() != parent_pid:
                    return  # parent died without telling us
            continue
        if v == STOP:
            return
        buf[C2P] = v
        last, k = v, 0


# -- parent batches ----------------------------------------------------------------------------------
def blocking_batch(r: int, w: int, buf=None):
    rd, wr, pc, msg, state = os.read, os.write, time.perf_counter_ns, b"x", [0]

    def batch(n: int) -> float:
        s = state[0]
        t0 = pc()
        for _ in range(n):
            if buf is not None:
                s = s + 1 if s < 254 else 1
                buf[P2C] = s
            wr(w, msg)
            if not rd(r, 1):
                raise PeerGone
        t = pc() - t0
        if buf is not None and buf[C2P] != s:
            raise RuntimeError("shared-memory reply does not match the request")
        state[0] = s
        return t * 1e-9

    return batch


def spin_batch(buf, fired):
    pc, yld, state = time.perf_counter_ns, os.sched_yield, [0]

    def batch(n: int) -> float:
        s = state[0]
        t0 = pc()
        for _ in range(n):
            s = s + 1 if s < 254 else 1
            buf[P2C] = s
            k = 0
            while buf[C2P] != s:
                k += 1
                if k > SPIN_LIMIT:
                    if fired.is_set():
                        raise PeerGone
                    yld()
        state[0] = s
        return (pc() - t0) * 1e-9

    return batch


def dry_batch(n: int) -> float:
    """Both ends' interpreter work of one blocking round trip in one loop, no kernel call."""
    f, w, r, msg, pc = operator.is_not, 5, 6, b"x", time.perf_counter_ns
    t0 = pc()
    for _ in range(n):
        f(w, msg)  # parent write
        b = f(r, 1)  # child read
        if not b:
            return 0.0
        f(w, b)  # child write
        if not f(r, 1):  # parent read
            return 0.0
    return (pc() - t0) * 1e-9


def spin_dry_batch(n: int) -> float:
    """Both ends' loads and stores of one shared-memory round trip, done by one process."""
    buf, pc, s, last = memoryview(bytearray(128)), time.perf_counter_ns, 0, 0
    t0 = pc()
    for _ in range(n):
        s = s + 1 if s < 254 else 1
        buf[P2C] = s  # parent store
        v = buf[P2C]  # child poll
        if v == last or v == STOP:
            return 0.0
        buf[C2P] = v  # child store
        last, k = v, 0
        while buf[C2P] != s:  # parent poll (succeeds at once)
            k += 1
    return (pc() - t0) * 1e-9
