"""A small trace-driven cache simulator: direct-mapped and set-associative LRU caches.

Input is a sequence of byte addresses (a numpy array); output is hits and misses, the misses
classified by the standard "3C" method (Hill 1987):

* **cold** (compulsory): the first access to a line anywhere in the stream;
* **capacity**: a miss that a fully-associative LRU cache of the same size would also take;
* **conflict**: a miss that such a fully-associative cache would have hit (the line was
  evicted only because too many lines map to the same set).

The fully-associative LRU cache is simulated alongside as a shadow. Times are in µs at the
public API: :meth:`SimResult.miss_time_us` is misses × penalty ÷ clock.

How it is computed (why numpy and not a library): a direct-mapped cache is vectorised (an access
hits exactly when the previous access to its set was to the same line: one stable sort by set);
an LRU set-associative cache and the fully-associative shadow run one Python loop over the
accesses that remain after collapsing runs of accesses to the same line (such runs are hits in
any cache and do not change LRU order). PyPI's ``pycachesim`` (last release 2022) ships only a
source archive with a C extension, so it needs a compiler on every Python version, and it does
not classify misses; this module needs nothing but numpy.

A split instruction/data system is two :class:`CacheGeometry` s and a flag per access
(:func:`simulate_split`); a unified one is a single geometry.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from ipcmodel import units

__all__ = [
    "CacheGeometry",
    "SimResult",
    "simulate",
    "simulate_split",
    "MAX_CACHE_BYTES",
]

#: Largest cache the simulator accepts (bytes): 1 GiB.
MAX_CACHE_BYTES = 2**30
_MAX_ADDRESS = 2**62


def _whole(name: str, value, unit: str, low: float, high: float) -> int:
    if type(value) is int and low <= value <= high:  # the common case, without numpy's overhead
        return value
    return int(units.check(name, value, unit, low, high, integer=True, scalar=True))


@dataclass(frozen=True)
class CacheGeometry:
    """Size, line and associativity of one cache (LRU replacement).

    Parameters
    ----------
    size_bytes : int
        Capacity (bytes), a whole multiple of ``line_bytes * ways``, in [1, 2**30].
    line_bytes : int
        Line size (bytes), in [1, 4096].
    ways : int
        Lines per set: 1 is direct-mapped, ``size_bytes // line_bytes`` is fully associative.
    """

    size_bytes: int
    line_bytes: int
    ways: int = 1

    def __post_init__(self):
        size = _whole("size_bytes", self.size_bytes, "bytes", 1, MAX_CACHE_BYTES)
        line = _whole("line_bytes", self.line_bytes, "bytes", 1, 4096)
        if size % line:
            raise ValueError(f"size_bytes (bytes) must be a whole multiple of line_bytes = {line}; "
                             f"got {size}")
        ways = _whole("ways", self.ways, "lines per set", 1, size // line)
        if (size // line) % ways:
            raise ValueError(f"ways (lines per set) must divide the cache's {size // line} lines; "
                             f"got {ways}")
        object.__setattr__(self, "size_bytes", size)
        object.__setattr__(self, "line_bytes", line)
        object.__setattr__(self, "ways", ways)

    @property
    def n_lines(self) -> int:
        """Lines in the cache."""
        return self.size_bytes // self.line_bytes

    @property
    def n_sets(self) -> int:
        """Sets in the cache (``n_lines // ways``)."""
        return self.n_lines // self.ways

    def sets_of(self, addresses_bytes) -> np.ndarray:
        """The set index of each byte address (int array)."""
        return (_addresses(addresses_bytes) // self.line_bytes) % self.n_sets


@dataclass(frozen=True)
class SimResult:
    """What one simulation counted (only the accesses from ``count_from`` on).

    Attributes
    ----------
    accesses, hits, misses : int
        Counted accesses, and how many of them hit or missed.
    cold_misses, conflict_misses, capacity_misses : int
        The misses by cause (they add up to ``misses``); -1 each when not classified.
    miss_mask : ndarray of bool
        One entry per access of the whole stream (warm-up included): True where it missed.
    """

    accesses: int
    hits: int
    misses: int
    cold_misses: int
    conflict_misses: int
    capacity_misses: int
    miss_mask: np.ndarray

    def miss_time_us(self, miss_penalty_cycles, clock_mhz) -> float:
        """Time the counted misses cost (µs): ``misses * miss_penalty_cycles / clock_mhz``."""
        pen = units.check("miss_penalty_cycles", miss_penalty_cycles, "cycles", 0, 1e6, scalar=True)
        clk = units.check("clock_mhz", clock_mhz, "MHz", 0, 1e6, low_inclusive=False, scalar=True)
        return self.misses * pen / clk

    def __add__(self, other: SimResult) -> SimResult:
        """Two caches' counts together (e.g. instruction + data); the masks are concatenated."""
        classified = self.cold_misses >= 0 and other.cold_misses >= 0

        def both(a, b):
            return a + b if classified else -1

        return SimResult(self.accesses + other.accesses, self.hits + other.hits,
                         self.misses + other.misses, both(self.cold_misses, other.cold_misses),
                         both(self.conflict_misses, other.conflict_misses),
                         both(self.capacity_misses, other.capacity_misses),
                         np.concatenate([self.miss_mask, other.miss_mask]))


def _addresses(addresses_bytes) -> np.ndarray:
    a = np.asarray(addresses_bytes)
    if a.ndim != 1:
        raise ValueError(f"addresses_bytes (bytes) must be a 1-d array of byte addresses; got shape {a.shape}")
    if a.size == 0:
        return a.astype(np.int64)
    if not np.issubdtype(a.dtype, np.integer):
        if not np.issubdtype(a.dtype, np.floating) or not np.all(np.isfinite(a)) or np.any(a != np.round(a)):
            raise ValueError("addresses_bytes (bytes) must be whole numbers in [0, 2**62)")
    a = a.astype(np.int64)
    lo, hi = int(a.min()), int(a.max())
    if lo < 0 or hi >= _MAX_ADDRESS:
        raise ValueError(f"addresses_bytes (bytes) must be in [0, 2**62); got {lo if lo < 0 else hi}")
    return a


def _direct_mapped_hits(lines: np.ndarray, n_sets: int) -> np.ndarray:
    """Hit flags of a direct-mapped cache: the previous access to the same set had the same line."""
    sets = lines % n_sets
    order = np.argsort(sets, kind="stable")
    s, ln = sets[order], lines[order]
    hit_sorted = np.zeros(lines.size, dtype=bool)
    hit_sorted[1:] = (s[1:] == s[:-1]) & (ln[1:] == ln[:-1])
    hits = np.empty_like(hit_sorted)
    hits[order] = hit_sorted
    return hits


def _run_starts(lines: np.ndarray) -> np.ndarray:
    """True at the first access of each run of accesses to the same line."""
    start = np.ones(lines.size, dtype=bool)
    start[1:] = lines[1:] != lines[:-1]
    return start


def _lru_hits(lines: np.ndarray, n_sets: int, ways: int) -> np.ndarray:
    """Hit flags of an LRU cache with ``n_sets`` sets of ``ways`` lines (one loop over runs)."""
    start = _run_starts(lines)
    idx = np.flatnonzero(start)
    hits = ~start  # repeats within a run always hit
    heads = lines[idx]
    out = np.zeros(idx.size, dtype=bool)
    if n_sets == 1:
        lru: OrderedDict = OrderedDict()
        for k, line in enumerate(heads.tolist()):
            if line in lru:
                lru.move_to_end(line)
                out[k] = True
            else:
                lru[line] = None
                if len(lru) > ways:
                    lru.popitem(last=False)
    else:
        sets = heads % n_sets
        order = np.argsort(sets, kind="stable")
        s_sorted, l_sorted = sets[order].tolist(), heads[order].tolist()
        res = np.zeros(idx.size, dtype=bool)
        current, stack = None, []
        for k, (s, line) in enumerate(zip(s_sorted, l_sorted, strict=True)):
            if s != current:
                current, stack = s, []
            if line in stack:
                stack.remove(line)
                res[k] = True
            elif len(stack) == ways:
                stack.pop(0)
            stack.append(line)
        out[order] = res
    hits[idx] = out
    return hits


def simulate(addresses_bytes, geometry: CacheGeometry, *, count_from: int = 0,
             classify: bool = True) -> SimResult:
    """Run a stream of byte addresses through one cache, empty at the start.

    Parameters
    ----------
    addresses_bytes : array_like of int
        Byte addresses in program order, each in [0, 2**62).
    geometry : CacheGeometry
        The cache.
    count_from : int
        Accesses before this index only warm the cache; they are not counted (default 0).
        Cold misses are first touches in the *whole* stream, so a warmed loop shows none.
    classify : bool
        Classify misses as cold / conflict / capacity (runs a fully-associative LRU shadow;
        about half the time of a set-associative run). False gives -1 for the three counts.

    Returns
    -------
    SimResult
    """
    if not isinstance(geometry, CacheGeometry):
        raise TypeError(f"geometry must be a CacheGeometry; got {type(geometry).__name__}")
    a = _addresses(addresses_bytes)
    start = _whole("count_from", count_from, "accesses", 0, max(a.size, 0))
    lines = a // geometry.line_bytes
    if geometry.ways == 1:
        hits = _direct_mapped_hits(lines, geometry.n_sets)
    else:
        hits = _lru_hits(lines, geometry.n_sets, geometry.ways)
    miss = ~hits
    counted = slice(start, None)
    n, m = a.size - start, int(miss[counted].sum())
    cold = conflict = capacity = -1
    if classify:
        first = np.zeros(a.size, dtype=bool)
        if a.size:
            _, first_idx = np.unique(lines, return_index=True)
            first[first_idx] = True
        if geometry.ways == geometry.n_lines:
            fa_hits = hits
        else:
            fa_hits = _lru_hits(lines, 1, geometry.n_lines)
        cold = int((miss & first)[counted].sum())
        conflict = int((miss & ~first & fa_hits)[counted].sum())
        capacity = m - cold - conflict
    return SimResult(n, n - m, m, cold, conflict, capacity, miss)


def simulate_split(addresses_bytes, is_instruction, icache: CacheGeometry,
                   dcache: CacheGeometry | None = None, *, count_from: int = 0,
                   classify: bool = True) -> tuple[SimResult, SimResult]:
    """Run one stream through split instruction and data caches (or one unified cache).

    Parameters
    ----------
    addresses_bytes : array_like of int
        Byte addresses in program order.
    is_instruction : array_like of bool
        True for an instruction fetch, False for a data access (same length).
    icache : CacheGeometry
        The instruction cache (the only cache when ``dcache`` is None: unified).
    dcache : CacheGeometry, optional
        The data cache.
    count_from, classify
        As in :func:`simulate` (``count_from`` indexes the whole stream).

    Returns
    -------
    (instruction_result, data_result)
        With a unified cache both come from one run, split by kind of access; each result's
        ``miss_mask`` covers its own accesses in program order.
    """
    a = _addresses(addresses_bytes)
    kind = np.asarray(is_instruction, dtype=bool)
    if kind.shape != a.shape:
        raise ValueError(f"is_instruction must have one flag per address: shapes {kind.shape} and {a.shape}")
    start = _whole("count_from", count_from, "accesses", 0, max(a.size, 0))
    counted = np.arange(a.size) >= start
    if dcache is None:
        whole = simulate(a, icache, classify=classify)
        return _part(whole, a, icache, kind, counted, classify), _part(whole, a, icache, ~kind, counted, classify)
    out = []
    for sel, geo in ((kind, icache), (~kind, dcache)):
        sub = a[sel]
        first_counted = int(np.searchsorted(np.flatnonzero(sel), start))
        out.append(simulate(sub, geo, count_from=first_counted, classify=classify))
    return out[0], out[1]


def _part(whole: SimResult, a, geo, sel, counted, classify) -> SimResult:
    """The counts of a unified run restricted to the accesses ``sel``."""
    miss = whole.miss_mask
    use = sel & counted
    n, m = int(use.sum()), int((miss & use).sum())
    cold = conflict = capacity = -1
    if classify:
        lines = a // geo.line_bytes
        first = np.zeros(a.size, dtype=bool)
        if a.size:
            first[np.unique(lines, return_index=True)[1]] = True
        fa = ~simulate(a, CacheGeometry(geo.size_bytes, geo.line_bytes, geo.n_lines),
                       classify=False).miss_mask
        cold = int((miss & first & use).sum())
        conflict = int((miss & ~first & fa & use).sum())
        capacity = m - cold - conflict
    return SimResult(n, n - m, m, cold, conflict, capacity, miss[sel])
