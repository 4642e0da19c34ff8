"""A small cache simulator and the address layouts of the cache lab (notebook 02b, §3).

* :mod:`ipcmodel.cachesim.sim`: direct-mapped and set-associative LRU caches driven by byte
  addresses; hits, misses classified cold / conflict / capacity; split or unified caches.
* :mod:`ipcmodel.cachesim.layout`: object files in link order, user segments, and the
  page-colouring remedy that reserves part of the cache for the IPC path (synthetic layouts).
* :mod:`ipcmodel.cachesim.lab`: the trace of one round trip through a layout, steady-state
  misses by owner, round-trip times, and the flush-and-subtract measurement.

The paper's numbers enter in :mod:`ipcmodel.paper.cachelab`. Nothing here imports matplotlib.
"""

from __future__ import annotations

from ipcmodel.cachesim.lab import (
    WORD_BYTES,
    Counts,
    FlushedMeasurement,
    Trace,
    flush_and_subtract,
    occupancy,
    path_conflict_sets,
    round_trip_trace,
    rpc_time_us,
    run,
)
from ipcmodel.cachesim.layout import OWNERS, SEGMENT_ALIGN_BYTES, ObjectFile, Region, SystemLayout
from ipcmodel.cachesim.sim import (
    MAX_CACHE_BYTES,
    CacheGeometry,
    SimResult,
    simulate,
    simulate_split,
)

__all__ = [
    "CacheGeometry",
    "SimResult",
    "simulate",
    "simulate_split",
    "MAX_CACHE_BYTES",
    "ObjectFile",
    "Region",
    "SystemLayout",
    "SEGMENT_ALIGN_BYTES",
    "OWNERS",
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
