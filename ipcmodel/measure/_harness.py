"""Calibrate-then-repeat timing harness shared by every measurement.

A *batch* function ``batch(n) -> seconds`` performs ``n`` operations in a tight loop and returns
the elapsed ``time.perf_counter_ns`` time.  The harness

1. warms up and calibrates: runs growing batches until one lasts at least ``target_s``
   (these runs are discarded: they warm caches, branch predictors, the page tables and the peer);
2. runs ``repetitions`` batches of that size and records the per-operation time of each (µs);
3. checks the deadline after every batch (``TimeoutError`` names the measurement).
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel.measure._checks import check_int, check_seconds
from ipcmodel.measure._procs import Deadline

__all__ = ["Settings", "run_batches", "settings", "QUICK", "FULL"]


@dataclass(frozen=True)
class Settings:
    """How hard to measure: repetitions, seconds per repetition, timeout per measurement."""

    repetitions: int
    target_s: float
    timeout_s: float


#: About 10 s for the whole probe on a 2-core machine.
QUICK = Settings(repetitions=7, target_s=0.008, timeout_s=60.0)
#: About a minute or two.
FULL = Settings(repetitions=21, target_s=0.04, timeout_s=300.0)


def settings(quick: bool = False, repetitions=None, target_s=None, timeout_s=None) -> Settings:
    """Defaults for ``quick`` overridden by any explicit, validated value."""
    base = QUICK if quick else FULL
    reps = base.repetitions if repetitions is None else check_int(
        "repetitions", repetitions, "count", 3, 100_000)
    tgt = base.target_s if target_s is None else check_seconds("target_s", target_s, high=60.0)
    tmo = base.timeout_s if timeout_s is None else check_seconds("timeout_s", timeout_s)
    return Settings(repetitions=reps, target_s=tgt, timeout_s=tmo)


def run_batches(batch, *, repetitions: int, target_s: float, deadline: Deadline,
                start_n: int = 16, max_n: int = 10_000_000) -> tuple[int, list[float]]:
    """Calibrate ``n`` so one batch lasts about ``target_s``, then time ``repetitions`` batches.

    Returns ``(n, samples_us)`` where each sample is the mean time per operation (µs) of one
    batch of ``n`` operations.
    """
    n = max(1, start_n)
    while True:
        elapsed = batch(n)
        deadline.check()
        if elapsed >= target_s or n >= max_n:
            break
        grow = target_s / elapsed * 1.1 if elapsed > 0 else 100.0
        n = min(max_n, max(n + 1, int(n * min(grow, 100.0))))
    samples = []
    for _ in range(repetitions):
        elapsed = batch(n)
        samples.append(elapsed / n * 1e6)
        deadline.check()
    return n, samples
