"""Traces of a round trip through a :class:`~ipcmodel.cachesim.layout.SystemLayout`, and what
they cost in a pair of split caches.

**Synthetic.** The trace is made from the layout, not measured: one access per 4-byte word of
every region a round trip runs (:data:`WORD_BYTES`), in this order: the client's code and data;
the IPC path for the request (the entry halves of the ``"entry-exit"`` files, the first half of
the path's data, the ``"body"`` blocks, the second half of the data, the exit halves); the
service's code and its working set (read once, in order); the IPC path again for the reply.
That a round trip runs the path twice (request and reply) is our assumption, as is everything
about order; the *amount* of path code and data is the caller's (§3's bounds in
:mod:`ipcmodel.paper.cachelab`).

Times: a layout's round trip is a measured reference time plus its misses beyond the reference
layout's, each at the miss penalty (:func:`rpc_time_us`). :func:`flush_and_subtract` is Bershad,
Draves & Forin's advice for reproducible microbenchmarks (1992, §3.1): flush the cache every
iteration and subtract the flush's own cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ipcmodel import units
from ipcmodel.cachesim.layout import OWNERS, SystemLayout
from ipcmodel.cachesim.sim import CacheGeometry, SimResult, simulate

__all__ = [
    "WORD_BYTES",
    "Trace",
    "Counts",
    "FlushedMeasurement",
    "round_trip_trace",
    "run",
    "rpc_time_us",
    "flush_and_subtract",
    "occupancy",
    "path_conflict_sets",
]

#: One access per this many bytes of a region (bytes): a MIPS instruction or a data word.
WORD_BYTES = 4


@dataclass(frozen=True)
class Trace:
    """Accesses in program order: byte address, instruction or data, owner (index in OWNERS)."""

    addresses_bytes: np.ndarray
    is_instruction: np.ndarray
    owner: np.ndarray

    def __len__(self) -> int:
        return int(self.addresses_bytes.size)

    def repeat(self, times: int) -> Trace:
        """The trace run ``times`` times in a row."""
        n = int(units.check("times", times, "repetitions", 1, 1e4, integer=True, scalar=True))
        return Trace(np.tile(self.addresses_bytes, n), np.tile(self.is_instruction, n),
                     np.tile(self.owner, n))


def _parts(layout: SystemLayout, region, owner: str, stream: str, lo: float = 0.0, hi: float = 1.0):
    """(addresses, flags, owners) of the fraction [lo, hi) of a region's words."""
    a = layout.region_addresses(region, WORD_BYTES)
    a = a[int(round(lo * a.size)):int(round(hi * a.size))]
    return a, np.full(a.size, stream == "i"), np.full(a.size, OWNERS.index(owner), dtype=np.int8)


def _traversal(layout: SystemLayout) -> list:
    by_role = {"entry-exit": [], "body": []}
    for f in sorted((f for f in layout.files if f.path_bytes), key=lambda f: f.name):
        by_role[f.path_role].append(layout.region(f"{f.name} (IPC path)"))
    data = layout.region("IPC path data") if layout.path_data_bytes else None
    out = [_parts(layout, r, "ipc-path", "i", 0.0, 0.5) for r in by_role["entry-exit"]]
    if data:
        out.append(_parts(layout, data, "ipc-path", "d", 0.0, 0.5))
    out += [_parts(layout, r, "ipc-path", "i") for r in by_role["body"]]
    if data:
        out.append(_parts(layout, data, "ipc-path", "d", 0.5, 1.0))
    out += [_parts(layout, r, "ipc-path", "i", 0.5, 1.0) for r in by_role["entry-exit"]]
    return out


def round_trip_trace(layout: SystemLayout, *, traversals: int = 2) -> Trace:
    """One round trip (see the module docstring for the order), ``traversals`` passes of the
    IPC path (2: request and reply; 1: the path once)."""
    if not isinstance(layout, SystemLayout):
        raise TypeError(f"layout must be a SystemLayout; got {type(layout).__name__}")
    t = int(units.check("traversals", traversals, "passes of the IPC path", 1, 2, integer=True, scalar=True))
    names = {r.name: r for r in layout.regions()}
    parts = [_parts(layout, names[n], names[n].owner, names[n].stream)
             for n in ("client text", "client data") if n in names]
    parts += _traversal(layout)
    parts += [_parts(layout, names[n], "service", names[n].stream)
              for n in ("service text", "service data") if n in names]
    if t == 2:
        parts += _traversal(layout)
    a, i, o = (np.concatenate([p[k] for p in parts]) for k in range(3))
    return Trace(a, i, o)


@dataclass(frozen=True)
class Counts:
    """Misses of the counted iteration: per cache, and per owner (``"ipc-path"``, ...)."""

    instruction: SimResult
    data: SimResult
    misses_by_owner: dict

    @property
    def misses(self) -> int:
        """All misses, both caches."""
        return self.instruction.misses + self.data.misses

    @property
    def ipc_path_misses(self) -> int:
        return self.misses_by_owner["ipc-path"]

    @property
    def service_misses(self) -> int:
        return self.misses_by_owner["service"]


def run(trace: Trace, icache: CacheGeometry, dcache: CacheGeometry, *, warm_iterations: int = 2,
        classify: bool = False) -> Counts:
    """Run ``trace`` ``warm_iterations`` times to warm the caches (both empty at first), then
    once more, counted. ``warm_iterations=0`` counts a run from empty (flushed) caches."""
    w = int(units.check("warm_iterations", warm_iterations, "iterations", 0, 100, integer=True, scalar=True))
    full = trace.repeat(w + 1)
    start = len(trace) * w
    counted = np.arange(len(full)) >= start
    results, by_owner = [], dict.fromkeys(OWNERS, 0)
    for sel, geo in ((full.is_instruction, icache), (~full.is_instruction, dcache)):
        first = int(np.searchsorted(np.flatnonzero(sel), start))
        res = simulate(full.addresses_bytes[sel], geo, count_from=first, classify=classify)
        results.append(res)
        miss_owner = full.owner[sel][res.miss_mask & counted[sel]]
        for k, name in enumerate(OWNERS):
            by_owner[name] += int(np.count_nonzero(miss_owner == k))
    return Counts(results[0], results[1], by_owner)


def rpc_time_us(misses, reference_misses, reference_us, miss_penalty_cycles, clock_mhz) -> float:
    """A round trip's time (µs): the reference layout's measured time plus the misses it takes
    beyond the reference layout's, at ``miss_penalty_cycles`` each and ``clock_mhz``.

    ``reference_us + (misses - reference_misses) * miss_penalty_cycles / clock_mhz``
    """
    m = units.check("misses", misses, "misses", 0, 1e12, scalar=True)
    r = units.check("reference_misses", reference_misses, "misses", 0, 1e12, scalar=True)
    t = units.check("reference_us", reference_us, "µs", 0, 1e9, low_inclusive=False, scalar=True)
    pen = units.check("miss_penalty_cycles", miss_penalty_cycles, "cycles", 0, 1e6, scalar=True)
    clk = units.check("clock_mhz", clock_mhz, "MHz", 0, 1e6, low_inclusive=False, scalar=True)
    out = t + (m - r) * pen / clk
    if out <= 0:
        raise ValueError(f"reference_misses ({r:g}) exceed misses ({m:g}) by more than reference_us "
                         f"({t:g} µs) can pay for: the reference layout must have the fewest misses")
    return out


@dataclass(frozen=True)
class FlushedMeasurement:
    """One iteration of a microbenchmark that flushes the caches first (µs, misses)."""

    flushed_misses: int
    warm_misses: int
    flush_us: float
    measured_us: float
    worst_case_us: float
    warm_us: float


def flush_and_subtract(trace: Trace, icache: CacheGeometry, dcache: CacheGeometry, *,
                       reference_us: float, reference_misses: int, miss_penalty_cycles: float,
                       clock_mhz: float, flush_cycles_per_line: float) -> FlushedMeasurement:
    """Bershad, Draves & Forin's measurement advice (1992, §3.1), simulated.

    Each iteration first flushes both caches (every line, ``flush_cycles_per_line`` cycles each:
    the *flush cost*), then runs ``trace`` from empty caches. The loop measures flush + trace;
    subtracting the flush cost leaves the worst-case (cold) time of the trace, which is the same
    in every run because every iteration starts from the same (empty) cache.

    Returns
    -------
    FlushedMeasurement
        ``measured_us`` (per iteration, flush included), ``flush_us``, ``worst_case_us`` =
        measured − flush, and for comparison ``warm_us``, the time without flushing (warm caches).
    """
    pen = units.check("miss_penalty_cycles", miss_penalty_cycles, "cycles", 0, 1e6, scalar=True)
    clk = units.check("clock_mhz", clock_mhz, "MHz", 0, 1e6, low_inclusive=False, scalar=True)
    per_line = units.check("flush_cycles_per_line", flush_cycles_per_line, "cycles per line", 0, 1e4,
                           scalar=True)
    cold = run(trace, icache, dcache, warm_iterations=0).misses
    warm = run(trace, icache, dcache).misses
    flush_us = (icache.n_lines + dcache.n_lines) * per_line / clk
    worst = rpc_time_us(cold, reference_misses, reference_us, pen, clk)
    return FlushedMeasurement(cold, warm, flush_us, worst + flush_us, worst,
                              rpc_time_us(warm, reference_misses, reference_us, pen, clk))


def occupancy(layout: SystemLayout, geometry: CacheGeometry, bins: int = 256) -> dict:
    """Where each region lands in the cache of its stream: ``{region name: bool array}`` over
    ``bins`` equal slices of the cache's sets (True where any of its lines maps)."""
    b = int(units.check("bins", bins, "bins", 1, geometry.n_sets, integer=True, scalar=True))
    out = {}
    for r in layout.regions():
        sets = geometry.sets_of(layout.region_addresses(r, min(geometry.line_bytes, WORD_BYTES)))
        hit = np.zeros(b, dtype=bool)
        hit[(sets * b) // geometry.n_sets] = True
        out[r.name] = hit
    return out


def path_conflict_sets(layout: SystemLayout, geometry: CacheGeometry) -> int:
    """Instruction-cache sets that hold lines of two or more different IPC-path code blocks
    (in a direct-mapped cache these lines evict each other on every pass of the path)."""
    seen = np.zeros(geometry.n_sets, dtype=np.int16)
    for r in layout.regions():
        if r.owner == "ipc-path" and r.stream == "i":
            lines = np.unique(layout.region_addresses(r, min(geometry.line_bytes, WORD_BYTES)) // geometry.line_bytes)
            np.add.at(seen, np.unique(lines % geometry.n_sets), 1)
    return int(np.count_nonzero(seen >= 2))
