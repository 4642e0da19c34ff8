"""Memory copy bandwidth and a memory-latency ladder (paper §3: caches and copying).

Copy: ``numpy.copyto`` between two preallocated ``uint8`` arrays; per-call time (µs) and
bandwidth (MB/s, 1 MB = 10**6 bytes *copied*, i.e. each byte is read once and written once).
The dry twin is ``copyto`` of empty arrays: numpy's per-call dispatch cost.

Latency: views of the same random cyclic permutation, one pointer per cache line (so every
access touches a new line, as in lmbench's ``lat_mem_rd``):

* **C chase** (``median_us`` when ``chase_method == "c"``): ``i = next[i]`` in C (``chase.c``,
  compiled at run time when a C compiler is present; :mod:`ipcmodel.measure._cchase`), called
  through ctypes on the same array.  Each load's address is the previous load's value, so the
  loads cannot overlap: every step costs the full latency of the level the line lives in.
* **Python chase** (``median_us`` when ``chase_method == "python"``, else ``python_chase_us``):
  a CPython loop ``i = mv[i]`` over a memoryview of the permutation.  Still a dependent chain,
  but every step also does ~tens of ns of interpreter work, which the processor overlaps with
  the outstanding load: a miss shorter than that work is hidden, so the cache levels' excess
  latencies read low (lower bounds, ``levels_lower_bounds``); main memory's does not.
* **gather** (``gather_us``): ``numpy.take`` of the same random positions.  The accesses are
  independent, so the CPU overlaps many misses; per-element time is a *throughput*, far below
  the latency.  It is reported for contrast, not used for the miss penalty.

The in-cache step (``baseline_us``: the lowest median among working sets that fit in the L1 data
cache, or the smallest working set if the cache size is unknown) is subtracted: ``excess_us``
(floored at 0) = extra time per access.  The miss penalty is the chase's excess beyond the
last-level cache (working sets >= 4x the largest cache in ``/sys``, or the largest working set
if none is that big), converted to cycles with the clock rate when known; ``levels`` gives the
latency of each cache level and of memory (:mod:`ipcmodel.measure._levels`).  Working sets
beyond the TLB's reach also pay page-walk time; with transparent huge pages (numpy asks for them
on large arrays) that share is smaller.
"""

from __future__ import annotations

import time

import numpy as np

from ipcmodel.measure._cchase import load_c_chase
from ipcmodel.measure._checks import check_sizes
from ipcmodel.measure._harness import Settings, run_batches
from ipcmodel.measure._levels import ladder_levels, memory_points
from ipcmodel.measure._procs import Deadline
from ipcmodel.measure.results import CopyPoint, LatencyLadder, LatencyPoint
from ipcmodel.measure.stats import median_ci

__all__ = ["COPY_SIZES_BYTES", "WORKING_SETS_BYTES", "CHASE_METHODS", "measure_copy",
           "measure_latency"]

#: 64 B, 256 B, ..., 64 MiB (x4 steps).
COPY_SIZES_BYTES = [64 * 4**k for k in range(11)]
#: 4 KiB, 8 KiB, ..., 256 MiB (x2 steps).
WORKING_SETS_BYTES = [4096 * 2**k for k in range(17)]
#: ``chase`` of :func:`measure_latency`: C when a compiler is present, C (or fail), Python.
CHASE_METHODS = ("auto", "c", "python")
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


def _c_chase_batch(chase, address: int, start: int):
    pc, state = time.perf_counter_ns, [start]

    def batch(n: int) -> float:
        t0 = pc()
        i = chase(address, state[0], n)
        t = pc() - t0
        state[0] = i
        return t * 1e-9

    return batch


def _baseline_us(points: list[LatencyPoint], caches: list[dict], key=lambda p: p.median_us) -> float:
    """Lowest per-access median among working sets that fit in L1d (else the smallest set)."""
    l1 = min((c["size_bytes"] for c in caches
              if c.get("level") == 1 and c.get("type") in ("Data", "Unified")), default=0)
    inside = [key(p) for p in points if p.working_set_bytes <= l1]
    return min(inside) if inside else key(points[0])


def _penalty_points(points: list[LatencyPoint], caches: list[dict]) -> list[LatencyPoint]:
    return memory_points(points, caches)


def _choose_chase(chase: str, environ=None):
    """``(compiled chase or None, note)`` for ``chase`` in ``"auto"``, ``"c"``, ``"python"``."""
    if chase not in CHASE_METHODS:
        raise ValueError(f"chase (method) must be one of {list(CHASE_METHODS)}; got {chase!r}")
    if chase == "python":
        return None, "Python chase requested (chase='python')"
    compiled, note = load_c_chase(environ)
    if compiled is None and chase == "c":
        raise RuntimeError(f"chase='c' but the C chase is unavailable: {note}")
    if compiled is None:
        return None, f"Python chase: {note}"
    return compiled, f"C chase compiled with {note}"


def measure_latency(cfg: Settings, working_sets_bytes=None, *, line_bytes: int = 64,
                    clock_mhz: float | None = None, caches=(), tick=_noop,
                    seed: int = 1992, chase: str = "auto", environ=None) -> LatencyLadder:
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
    chase : {"auto", "c", "python"}
        ``"auto"``: the compiled C chase when a C compiler is present (the Python chase is
        measured beside it), else the Python chase alone, whose cache levels are then lower
        bounds. ``"c"`` raises ``RuntimeError`` without a compiler.
    environ : mapping, optional
        Where to read ``CC`` (default ``os.environ``).
    """
    sets = check_sizes("working_sets_bytes",
                       WORKING_SETS_BYTES if working_sets_bytes is None else working_sets_bytes,
                       "bytes", 1024, 2**30)
    compiled, note = _choose_chase(chase, environ)
    deadline = Deadline("memory_latency", cfg.timeout_s)
    stride = max(1, line_bytes // 8)
    arena = np.zeros(max(sets) // 8, dtype=np.int64)
    mv = memoryview(arena)
    rng = np.random.default_rng(seed)
    points = []
    for ws in sets:
        pos = rng.permutation(ws // (stride * 8)) * stride  # one slot per cache line
        arena[pos] = np.roll(pos, -1)  # a single cycle through every line of the working set
        n, chase_us = run_batches(_chase_batch(mv, int(pos[0])), repetitions=cfg.repetitions,
                                  target_s=cfg.target_s, deadline=deadline, start_n=1024)
        python_us = None
        if compiled is not None:
            python_us = median_ci(chase_us).median_us
            n, chase_us = run_batches(_c_chase_batch(compiled, arena.ctypes.data, int(pos[0])),
                                      repetitions=cfg.repetitions, target_s=cfg.target_s,
                                      deadline=deadline, start_n=1 << 16, max_n=1 << 34)
        idx = np.tile(pos, -(-_MIN_GATHER // len(pos)))
        _, gather = run_batches(_gather_batch(arena, idx, np.empty_like(idx)),
                                repetitions=max(3, cfg.repetitions // 2),
                                target_s=cfg.target_s / 2, deadline=deadline, start_n=1)
        sm = median_ci(chase_us)
        points.append(LatencyPoint(
            working_set_bytes=ws, median_us=sm.median_us, ci_low_us=sm.ci_low_us,
            ci_high_us=sm.ci_high_us, ci_level=sm.ci_level, excess_us=0.0, excess_cycles=None,
            gather_us=median_ci(gather).median_us / len(idx), accesses_per_repetition=n,
            repetitions=len(chase_us), python_chase_us=python_us))
        tick(f"latency {ws} B")
    del mv
    baseline = _baseline_us(points, list(caches))
    for p in points:
        p.excess_us = max(p.median_us - baseline, 0.0)
        p.excess_cycles = None if clock_mhz is None else p.excess_us * clock_mhz
    penalty_us = float(np.median([p.excess_us for p in _penalty_points(points, list(caches))]))
    method = "c" if compiled is not None else "python"
    py_base = (_baseline_us(points, list(caches), key=lambda p: p.python_chase_us)
               if compiled is not None else None)
    levels = ladder_levels(points, list(caches), baseline, clock_mhz, lower_bounds=method == "python",
                           python_baseline_us=py_base)
    return LatencyLadder(
        points=points, line_bytes=stride * 8, baseline_us=baseline, miss_penalty_us=penalty_us,
        miss_penalty_cycles=None if clock_mhz is None else penalty_us * clock_mhz,
        clock_mhz=clock_mhz, method=_METHOD[method], chase_method=method,
        levels_lower_bounds=method == "python", chase_note=note, levels=levels)


_COMMON = ("through a random cyclic permutation with one pointer per cache line; median time per "
           "access over repetitions. excess_us = max(median - baseline_us, 0), baseline_us = lowest "
           "median among working sets fitting in L1d. miss_penalty = median excess at working sets "
           ">= 4x the last-level cache (or the largest one). levels: median latency per cache level "
           "(working sets between 2x the level below and a quarter of this level) and memory. gather_us: "
           "independent numpy.take of the same positions (memory-level parallelism), a throughput, "
           "not a latency. Includes TLB misses beyond the TLB's reach.")
_METHOD = {
    "c": ("Dependent pointer chase in C (chase.c, compiled at run time, called through ctypes on "
          "the same array; i = next[i]) " + _COMMON + " python_chase_us: the CPython chase "
          "(i = mv[i]) at the same working set, for comparison."),
    "python": ("Dependent pointer chase in CPython (i = mv[i]) " + _COMMON + " The interpreter's "
               "work per step (baseline_us) overlaps the outstanding load, so cache levels whose "
               "extra latency is shorter than it are hidden: their excess is a LOWER BOUND; only "
               "the memory level (and the miss penalty) is a usable reading."),
}
