"""Interpreter overhead, the null system call and the two kinds of clock read (paper §5).

Every loop here has a *dry twin*: the same ``for`` loop with the measured call replaced by a
builtin of the same shape that does no system work (``gc.isenabled()`` for a zero-argument call,
``float(x)`` for a one-argument call that returns a new float).  The dry twin's median is the
measurement's ``overhead_us``: what CPython adds per operation around the kernel's work.
"""

from __future__ import annotations

import gc
import os
import time

from ipcmodel.measure._harness import Settings, run_batches
from ipcmodel.measure._procs import Deadline
from ipcmodel.measure.results import ClockChoice, Measurement, make_measurement
from ipcmodel.measure.stats import median_ci

__all__ = [
    "measure_interpreter",
    "measure_null_syscall",
    "measure_clocks",
    "classify_clocks",
    "CLOCK_CANDIDATES",
]

#: Measurement name -> (POSIX clock name, expected path).  CLOCK_MONOTONIC is answered in user
#: space by the vDSO when the clocksource allows it (tsc, kvm-clock, arm_arch_timer); the
#: CPU-time clocks need the scheduler's per-task accounting and so enter the kernel.
CLOCK_CANDIDATES = {
    "clock_monotonic": ("CLOCK_MONOTONIC", "vDSO"),
    "clock_thread_cputime": ("CLOCK_THREAD_CPUTIME_ID", "kernel"),
    "clock_process_cputime": ("CLOCK_PROCESS_CPUTIME_ID", "kernel"),
}

_PY = "CPython"


def _batch0(fn):
    pc = time.perf_counter_ns

    def batch(n: int) -> float:
        r = range(n)
        t0 = pc()
        for _ in r:
            fn()
        return (pc() - t0) * 1e-9

    return batch


def _batch1(fn, arg):
    pc = time.perf_counter_ns

    def batch(n: int) -> float:
        r = range(n)
        t0 = pc()
        for _ in r:
            fn(arg)
        return (pc() - t0) * 1e-9

    return batch


def _empty_batch(n: int) -> float:
    r = range(n)
    t0 = time.perf_counter_ns()
    for _ in r:
        pass
    return (time.perf_counter_ns() - t0) * 1e-9


def _timed(name, batch, cfg: Settings, *, overhead_us: float, method: str) -> Measurement:
    deadline = Deadline(name, cfg.timeout_s)
    n, samples = run_batches(batch, repetitions=cfg.repetitions, target_s=cfg.target_s,
                             deadline=deadline, start_n=256)
    return make_measurement(name, median_ci(samples), samples, overhead_us=overhead_us,
                            ops_per_repetition=n, method=method)


def measure_interpreter(cfg: Settings) -> dict[str, Measurement]:
    """The interpreter's own costs per loop iteration (µs): empty loop and a no-op builtin call."""
    empty = _timed("empty_loop", _empty_batch, cfg, overhead_us=0.0,
                   method=f"{_PY} 'for _ in range(n): pass', per iteration.")
    call0 = _timed("builtin_call", _batch0(gc.isenabled), cfg, overhead_us=0.0,
                   method=f"{_PY} loop calling gc.isenabled() (a zero-argument builtin that does "
                          "no system work), per iteration: the dry twin of the null system call.")
    call1 = _timed("builtin_call_1arg", _batch1(float, 1), cfg, overhead_us=0.0,
                   method=f"{_PY} loop calling float(1) (one argument, returns a new float), per "
                          "iteration: the dry twin of a clock read.")
    return {m.name: m for m in (empty, call0, call1)}


def measure_null_syscall(cfg: Settings, overhead_us: float) -> Measurement:
    """Null system call: ``os.getppid()`` in a loop (µs per call, one kernel entry and exit).

    glibc caches neither ``getppid`` nor (since 2.25) ``getpid``; ``getppid`` is used because no
    libc has ever cached it.  ``overhead_us`` is the dry twin's median (``builtin_call``).
    """
    return _timed(
        "null_syscall", _batch0(os.getppid), cfg, overhead_us=overhead_us,
        method="os.getppid() in a CPython loop; one user->kernel->user crossing per call, "
               "including the CPU-vulnerability mitigations on entry/exit. overhead_us = same "
               "loop calling gc.isenabled(); net_us approximates the kernel's share.")


def measure_clocks(cfg: Settings, overhead_us: float) -> dict[str, Measurement]:
    """Time ``time.clock_gettime`` on each available clock of :data:`CLOCK_CANDIDATES` (µs)."""
    out = {}
    for name, (posix, path) in CLOCK_CANDIDATES.items():
        clk = getattr(time, posix, None)
        if clk is None:
            continue
        try:
            time.clock_gettime(clk)
        except OSError:
            continue
        out[name] = _timed(
            name, _batch1(time.clock_gettime, clk), cfg, overhead_us=overhead_us,
            method=f"time.clock_gettime({posix}) in a CPython loop (expected path: {path}; "
                   "verified by comparing with the null system call, see clocks.classification). "
                   "overhead_us = same loop calling float(1).")
    return out


def classify_clocks(clocks: dict[str, Measurement], syscall: Measurement) -> ClockChoice:
    """Decide from measured costs which clock read traps and which is mapped.

    A clock whose net cost is below 35 % of the null system call's cannot be entering the
    kernel ("mapped"); one at or above 60 % is taken to trap ("trap"); in between is "unclear".
    The trapping clock reported is the cheapest trapping one (closest to a bare trap + read).
    The two are *distinguishable* when their confidence intervals do not overlap.
    """
    ref = syscall.net_us
    classification: dict[str, str] = {}
    for name, m in clocks.items():
        if ref <= 0.0:
            classification[name] = "unclear"
        elif m.net_us <= 0.35 * ref:
            classification[name] = "mapped"
        elif m.net_us >= 0.60 * ref:
            classification[name] = "trap"
        else:
            classification[name] = "unclear"
    mapped = [n for n, c in classification.items() if c == "mapped"]
    trapping = [n for n, c in classification.items() if c == "trap"]
    mapped_clock = "clock_monotonic" if "clock_monotonic" in mapped else (mapped[0] if mapped else None)
    trap_clock = min(trapping, key=lambda n: clocks[n].median_us) if trapping else None
    distinguishable = bool(
        mapped_clock and trap_clock
        and clocks[trap_clock].ci_low_us > clocks[mapped_clock].ci_high_us
    )
    note = (
        "Classified by cost relative to the null system call (net <= 35 % -> mapped, >= 60 % -> "
        "trap). CLOCK_MONOTONIC is read through the vDSO (a page the kernel maps into every "
        "process: the paper's 'mapped clock', §5) unless the clocksource forbids it. The CPU-time "
        "clocks enter the kernel and also do scheduler accounting, so clock_trap - null_syscall "
        "is that extra kernel work, not the trap itself."
    )
    if not distinguishable:
        note += " On this machine the two kinds could NOT be told apart reliably."
    return ClockChoice(mapped_clock=mapped_clock, trap_clock=trap_clock,
                       distinguishable=distinguishable, classification=classification, note=note)
