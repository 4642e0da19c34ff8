"""Latency per cache level, read off a latency ladder (no measuring here; no dependencies).

A level's working sets are those that overflow the level below and fit this one comfortably:
``2 * size(level - 1) <= ws <= size(level) / 4`` (for L1: ``ws <= size / 4``); if none does,
every ``size(level - 1) < ws <= size(level)``. A quarter, not a half: a shared last-level cache
(other cores, other virtual machines) gives one program less than its nominal size, and on the
project's virtual machine the chase reaches memory latency at half the 32 MiB L3 reported. Main memory's are those of the miss
penalty (``ws >= 4 x`` the last-level cache, else the largest working set). The level's latency
is the median of those points' medians (µs); its excess is that minus the in-cache baseline.
"""

from __future__ import annotations

import statistics

__all__ = ["data_caches", "memory_points", "ladder_levels"]


def data_caches(caches) -> list[dict]:
    """The data or unified caches, one per level, smallest level first."""
    by_level: dict[int, dict] = {}
    for c in caches:
        if c.get("type") in ("Data", "Unified") and c.get("size_bytes") and c.get("level"):
            by_level.setdefault(int(c["level"]), c)
    return [by_level[k] for k in sorted(by_level)]


def memory_points(points, caches) -> list:
    """The points beyond the last-level cache (>= 4x its size), or the largest one."""
    llc = max((c["size_bytes"] for c in caches if c.get("size_bytes")), default=0)
    beyond = [p for p in points if llc and p.working_set_bytes >= 4 * llc]
    return beyond or [points[-1]]


def _level(name, level, size, chosen, baseline_us, clock_mhz, python_baseline_us, lower_bound):
    lat = statistics.median(p.median_us for p in chosen)
    py = [p.python_chase_us for p in chosen if getattr(p, "python_chase_us", None) is not None]
    py_lat = statistics.median(py) if len(py) == len(chosen) and python_baseline_us is not None else None
    excess = max(lat - baseline_us, 0.0)
    return {"name": name, "level": level, "size_bytes": size,
            "working_sets_bytes": [int(p.working_set_bytes) for p in chosen],
            "latency_us": float(lat), "excess_us": float(excess),
            "excess_cycles": None if clock_mhz is None else float(excess * clock_mhz),
            "python_latency_us": None if py_lat is None else float(py_lat),
            "python_excess_us": None if py_lat is None else float(max(py_lat - python_baseline_us, 0.0)),
            "lower_bound": bool(lower_bound)}


def ladder_levels(points, caches, baseline_us: float, clock_mhz: float | None, *,
                  lower_bounds: bool, python_baseline_us: float | None = None) -> list[dict]:
    """One dict per cache level (``L1d``, ``L2``, ...) and one for ``memory``.

    Keys: ``name``, ``level`` (``None`` for memory), ``size_bytes`` (``None`` for memory),
    ``working_sets_bytes`` (the points used), ``latency_us`` and ``excess_us`` (over
    ``baseline_us``), ``excess_cycles`` (``None`` without a clock rate), ``python_latency_us``
    and ``python_excess_us`` (the Python chase at the same points when it was measured beside
    the C chase, else ``None``) and ``lower_bound``: True for a cache level read by the Python
    chase (``lower_bounds``), whose interpreter work hides part of a short latency.
    """
    if not points:
        return []
    out, below = [], 0
    for c in data_caches(caches):
        size = int(c["size_bytes"])
        chosen = [p for p in points if 2 * below <= p.working_set_bytes <= size // 4]
        if not chosen:
            chosen = [p for p in points if below < p.working_set_bytes <= size]
        if chosen:
            name = f"L{c['level']}{'d' if c['type'] == 'Data' else ''}"
            out.append(_level(name, int(c["level"]), size, chosen, baseline_us, clock_mhz,
                              python_baseline_us, lower_bounds))
        below = size
    out.append(_level("memory", None, None, memory_points(points, caches), baseline_us, clock_mhz,
                      python_baseline_us, False))
    return out
