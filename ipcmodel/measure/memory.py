"""Memory copy bandwidth and a memory-latency ladder (paper §3: caches and copying).

Copy: ``numpy.copyto`` between two preallocated ``uint8`` arrays; per-call time (µs) and
bandwidth (MB/s, 1 MB = 10**6 bytes *copied*, i.e. each byte is read once and written once).
The dry twin is ``copyto`` of empty arrays: numpy's per-call dispatch cost.

Latency: two views of the same random cyclic permutation, one pointer per cache line (so every
access touches a new line, as in lmbench's ``lat_mem_rd``):

* **chase** (``median_us``): a CPython loop ``i = mv[i]`` over a memoryview of the permutation.
  Each load's address is the previous load's value, so the loads cannot overlap: this is a true
  dependent chain.  The interpreter adds a constant ~tens of ns per step, measured in cache
  (``baseline_us``: the lowest median among working sets that fit in the L1 data cache, or the
  smallest working set if the cache size is unknown) and subtracted: ``excess_us`` (floored
  at 0) = extra time per access.
* **gather** (``gather_us``): ``numpy.take`` of the same random positions.  The accesses are
  independent, so the CPU overlaps many misses; per-element time is a *throughput*, far below
  the latency.  It is reported for contrast, not used for the miss penalty.

The miss penalty is the chase's excess beyond the last-level cache (working sets >= 4x the largest
cache in ``/sys``, or the largest working set if none is that big), converted to cycles with the
clock rate when known.  Working sets beyond the TLB's reach also pay page-walk time; with
transparent huge pages (numpy asks for them on large arrays) that share is smaller.
"""

from __future__ import annotations

import time

import numpy as np

from ipcmodel.measure._checks import check_sizes
from ipcmodel.measure._harness import Settings, run_batches
from ipcmodel.measure._procs import Deadline
from ipcmodel.measure.results import CopyPoint, LatencyLadder, LatencyPoint
from ipcmodel.measure.stats import median_ci

__all__ = ["COPY_SIZES_BYTES", "WORKING_SETS_BYTES", "measure_copy", "measure_latency"]

#: 64 B, 256 B, ..., 64 MiB (x4 steps).
COPY_SIZES_BYTES = [64 * 4**k for k in range(11)]
#: 4 KiB, 8 KiB, ..., 256 MiB (x2 steps).
WORKING_SETS_BYTES = [4096 * 2**k for k in range(17)]
_MIN_GATHER = 1 << 16  # elements per numpy.take call, so numpy's per-call cost is amortised


def _noop(label: str) -> None:
    pass


def measure_copy(cfg: Settings, sizes_bytes=None, tick=_noop) -> list[CopyPoint]:
    """Copy bandwidth at each size (bytes, 64 B .. 1 GiB); ``tick(label)`` after each size."""
    sizes = check_sizes("sizes_bytes", COPY_SIZES_BYTES if sizes_bytes is None else sizes_bytes,
                        "bytes", 1, 2**30)
    deadline = Deadline("copy_bandwidth", cfg.timeout_s)
    src = np.full(max(sizes), 0x5A, dtype=np.uint8)  # touch every page before timing
    dst = np.zeros_like(src)
    pc, copyto = time.perf_counter_ns, np.copyto

    def batch_for(d, s):
        def batch(n: int) -> float:
            t0 = pc()
            for _ in range(n):
                copyto(d, s)
            return (pc() - t0) * 1e-9
        return batch

    _, dry = run_batches(batch_for(dst[:0], src[:0]), repetitions=cfg.repetitions,
                         target_s=cfg.target_s, deadline=deadline, start_n=256)
    overhead = median_ci(dry).median_us
    points = []
    for size in sizes:
        n, samples = run_batches(batch_for(dst[:size], src[:size]), repetitions=cfg.repetitions,
                                 target_s=cfg.target_s, deadline=deadline, start_n=1)
        sm = median_ci(samples)
        net = sm.median_us - overhead
        points.append(CopyPoint(
            size_bytes=size, median_us=sm.median_us, ci_low_us=sm.ci_low_us,
            ci_high_us=sm.ci_high_us, ci_level=sm.ci_level, overhead_us=overhead,
            net_us=max(net, 0.0), net_floored=net < 0.0,
            bandwidth_mb_per_s=size / sm.median_us,  # bytes/µs == MB/s
            net_bandwidth_mb_per_s=size / net if net > 0 else None,
            calls_per_repetition=n, repetitions=len(samples)))
        tick(f"copy {size} B")
    return points


def _chase_batch(mv, start: int):
    pc, state = time.perf_counter_ns, [start]

    def batch(n: int) -> float:
        i = state[0]
        t0 = pc()
        for _ in range(n):
            i = mv[i]
        t = pc() - t0
        state[0] = i
        return t * 1e-9

    return batch


def _gather_batch(arena, idx, out):
    pc, take = time.perf_counter_ns, np.take

    def batch(n: int) -> float:
        t0 = pc()
        for _ in range(n):
            take(arena, idx, out=out)
        return (pc() - t0) * 1e-9

    return batch


def _baseline_us(points: list[LatencyPoint], caches: list[dict]) -> float:
    """Lowest per-access median among working sets that fit in L1d (else the smallest set)."""
    l1 = min((c["size_bytes"] for c in caches
              if c.get("level") == 1 and c.get("type") in ("Data", "Unified")), default=0)
    inside = [p.median_us for p in points if p.working_set_bytes <= l1]
    return min(inside) if inside else points[0].median_us


def _penalty_points(points: list[LatencyPoint], caches: list[dict]) -> list[LatencyPoint]:
    llc = max((c["size_bytes"] for c in caches), default=0)
    beyond = [p for p in points if llc and p.working_set_bytes >= 4 * llc]
    return beyond or [points[-1]]


def measure_latency(cfg: Settings, working_sets_bytes=None, *, line_bytes: int = 64,
                    clock_mhz: float | None = None, caches=(), tick=_noop,
                    seed: int = 1992) -> LatencyLadder:
    """Per-access time (µs) over working sets (bytes); see the module docstring for the method.

    Parameters
    ----------
    working_sets_bytes : list of int, optional
        Default 4 KiB .. 256 MiB; each in [1024, 1 GiB].  The smallest is the in-cache baseline.
    line_bytes : int
        Cache-line size (bytes): one pointer per line.
    clock_mhz : float or None
        Clock rate (MHz) for the cycle conversion; ``None`` leaves cycles as ``None``.
    caches : list of dict
        ``MachineInfo.caches``; picks which points count as "beyond the last-level cache".
    """
    sets = check_sizes("working_sets_bytes",
                       WORKING_SETS_BYTES if working_sets_bytes is None else working_sets_bytes,
                       "bytes", 1024, 2**30)
    deadline = Deadline("memory_latency", cfg.timeout_s)
    stride = max(1, line_bytes // 8)
    arena = np.zeros(max(sets) // 8, dtype=np.int64)
    mv = memoryview(arena)
    rng = np.random.default_rng(seed)
    points = []
    for ws in sets:
        pos = rng.permutation(ws // (stride * 8)) * stride  # one slot per cache line
        arena[pos] = np.roll(pos, -1)  # a single cycle through every line of the working set
        n, chase = run_batches(_chase_batch(mv, int(pos[0])), repetitions=cfg.repetitions,
                               target_s=cfg.target_s, deadline=deadline, start_n=1024)
        idx = np.tile(pos, -(-_MIN_GATHER // len(pos)))
        _, gather = run_batches(_gather_batch(arena, idx, np.empty_like(idx)),
                                repetitions=max(3, cfg.repetitions // 2),
                                target_s=cfg.target_s / 2, deadline=deadline, start_n=1)
        sm = median_ci(chase)
        points.append(LatencyPoint(
            working_set_bytes=ws, median_us=sm.median_us, ci_low_us=sm.ci_low_us,
            ci_high_us=sm.ci_high_us, ci_level=sm.ci_level, excess_us=0.0, excess_cycles=None,
            gather_us=median_ci(gather).median_us / len(idx), accesses_per_repetition=n,
            repetitions=len(chase)))
        tick(f"latency {ws} B")
    del mv
    baseline = _baseline_us(points, list(caches))
    for p in points:
        p.excess_us = max(p.median_us - baseline, 0.0)
        p.excess_cycles = None if clock_mhz is None else p.excess_us * clock_mhz
    penalty_us = float(np.median([p.excess_us for p in _penalty_points(points, list(caches))]))
    return LatencyLadder(
        points=points, line_bytes=stride * 8, baseline_us=baseline, miss_penalty_us=penalty_us,
        miss_penalty_cycles=None if clock_mhz is None else penalty_us * clock_mhz,
        clock_mhz=clock_mhz,
        method=("Dependent pointer chase in CPython (i = mv[i]) through a random cyclic "
                "permutation with one pointer per cache line; median time per access over "
                "repetitions. excess_us = max(median - baseline_us, 0), baseline_us = lowest "
                "median among working sets fitting in L1d (the interpreter's cost per step). "
                "miss_penalty = median excess at "
                "working sets >= 4x the last-level cache (or the largest one). gather_us: "
                "independent numpy.take of the same positions (memory-level parallelism), "
                "a throughput, not a latency. Includes TLB misses beyond the TLB's reach."))
