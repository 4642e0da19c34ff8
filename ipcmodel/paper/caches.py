"""§3: the IPC path in cache lines, the cold path on the DECstation 5000/200, DMA coherency on the
HP-700 and the DECstation 3100's cache collision, from the paper's numbers.

Part of :mod:`ipcmodel.paper` (import from there).
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel import caches, units
from ipcmodel.paper._base import fact
from ipcmodel.paper._base import v as _v

__all__ = [
    "ipc_path_bytes",
    "ipc_path_lines",
    "ipc_path_line_counts",
    "DS5000_DATA_MISS_RULES",
    "ds5000_ipc_path_misses",
    "ds5000_rpc_cycles",
    "cold_path_us",
    "cold_path_extra_us",
    "cold_path_slowdown",
    "ds3100_collision_slowdown",
    "ds3100_misses_on_ds5000_us",
    "hp700_clock_mhz",
    "hp700_rpc_cycles",
    "hp700_lines_per_page",
    "hp700_page_bytes",
    "hp700_coherency_cycles",
    "hp700_dma_read_cycles",
    "hp700_rpcs",
    "hp700_printed_high_per_line",
    "hp700_read_rpcs",
    "CitedMiss",
    "cited_miss_times",
    "longest_cited_miss_us",
]


def ipc_path_bytes() -> tuple[float, float]:
    """§3: Mach 3.0's round-trip IPC path, ``(instruction_bytes, data_bytes)``: < 4 KB and < 2 KB.

    Facts b92-ipc-path-instructions and b92-ipc-path-data, in bytes (1 KB = 1024 bytes).
    """
    return (float(units.kb_to_bytes(_v("b92-ipc-path-instructions"))),
            float(units.kb_to_bytes(_v("b92-ipc-path-data"))))


def ipc_path_lines(cache_line_bytes):
    """§3: cache lines of the round-trip IPC path at ``cache_line_bytes`` (an upper bound).

    :func:`ipcmodel.caches.footprint_lines` of :func:`ipc_path_bytes`, with the same line for the
    instructions and the data: 384 lines of 16 bytes. The DECstation 5000/200's two caches differ
    (its data cache has 4-byte lines); its cold path is counted by :func:`ds5000_ipc_path_misses`.
    """
    line = units.check_positive("cache_line_bytes", cache_line_bytes, "bytes")
    return caches.footprint_lines(*ipc_path_bytes(), line)


def ipc_path_line_counts(cache_line_bytes) -> dict:
    """:func:`ipc_path_lines` split: ``{"instruction_lines", "data_lines", "total_lines"}``."""
    ib, db = ipc_path_bytes()
    line = units.check_positive("cache_line_bytes", cache_line_bytes, "bytes")
    return {"instruction_lines": units.bytes_to_lines(ib, line),
            "data_lines": units.bytes_to_lines(db, line),
            "total_lines": ipc_path_lines(line)}


#: How :func:`ds5000_ipc_path_misses` counts the data misses: one per 16-byte block a read miss
#: fetches (the estimate), or one per 4-byte data-cache line (a bound for scattered data).
DS5000_DATA_MISS_RULES = ("read-fetch", "every-line")


def ds5000_ipc_path_misses(data: str = "read-fetch") -> dict:
    """§3 on the DECstation 5000/200: the misses of a completely cold round-trip IPC path.

    The machine's two caches differ (Chen & Bershad 1993, Table 2-1, the parameters of their
    memory-system simulation), so the two parts of §3's path are counted apart:

    * instructions: < 4 KB (b92-ipc-path-instructions) in 16-byte instruction-cache lines
      (cb93-icache-line-ds5000): 4096 / 16 = 256 misses of 15 cycles (cb93-miss-penalty-ds5000);
    * data, ``data="read-fetch"`` (the estimate): < 2 KB (b92-ipc-path-data) at the 16 aligned
      bytes one data read miss fetches (cb93-dcache-fetch-ds5000), which fill four of the data
      cache's 4-byte lines (cb93-dcache-line-ds5000): 2048 / 16 = 128 misses of 15 cycles
      (cb93-dcache-read-miss-ds5000). Assumed: the data lie packed in aligned 16-byte blocks (§3:
      "most of which is on the kernel stack") and each block is read once while cold; a write of
      a whole word allocates its 4-byte line without fetching anything ("write allocate"), so
      writes add no miss (the write buffer's cycles are not counted). 256 + 128 = 384 misses;
    * data, ``data="every-line"`` (a bound): every 4-byte data line misses on its own, as when
      each word read lies in a different 16-byte block: 2048 / 4 = 512, so 256 + 512 = 768 misses.

    Parameters
    ----------
    data : {"read-fetch", "every-line"}
        How the data misses are counted (:data:`DS5000_DATA_MISS_RULES`).

    Returns
    -------
    dict
        ``instruction_misses``, ``data_misses``, ``total_misses`` (misses);
        ``instruction_bytes_per_miss``, ``data_bytes_per_miss`` (bytes);
        ``instruction_penalty_cycles``, ``data_penalty_cycles`` (cycles per miss) and
        ``miss_cycles`` (cycles, all the misses together).
    """
    if data not in DS5000_DATA_MISS_RULES:
        raise ValueError(f"data must be one of {list(DS5000_DATA_MISS_RULES)}; got {data!r}")
    ib, db = ipc_path_bytes()
    i_line = _v("cb93-icache-line-ds5000")
    d_unit = _v("cb93-dcache-fetch-ds5000") if data == "read-fetch" else _v("cb93-dcache-line-ds5000")
    n_i = float(units.bytes_to_lines(ib, i_line))
    n_d = float(units.bytes_to_lines(db, d_unit))
    p_i, p_d = _v("cb93-miss-penalty-ds5000"), _v("cb93-dcache-read-miss-ds5000")
    return {"instruction_misses": n_i, "data_misses": n_d, "total_misses": n_i + n_d,
            "instruction_bytes_per_miss": float(i_line), "data_bytes_per_miss": float(d_unit),
            "instruction_penalty_cycles": float(p_i), "data_penalty_cycles": float(p_d),
            "miss_cycles": n_i * p_i + n_d * p_d}


def ds5000_rpc_cycles() -> float:
    """§2: the DS5000/200's 57 µs round trip in cycles at its 25 MHz clock: 1425."""
    return float(units.us_to_cycles(_v("b92-rpc-ds5000"), _v("b92-clock-ds5000")))


def cold_path_us(data: str = "read-fetch") -> float:
    """§3 on the DS5000/200: the round trip when its whole IPC path misses (µs).

    The 57 µs warm RPC plus :func:`ds5000_ipc_path_misses` (``data`` says how the data misses are
    counted) at the 25 MHz clock: 57 + (256 + 128) × 15 / 25 = 287.4 µs; with ``"every-line"``,
    the bound, 57 + (256 + 512) × 15 / 25 = 517.8 µs.
    """
    miss = ds5000_ipc_path_misses(data)
    return _v("b92-rpc-ds5000") + float(units.cycles_to_us(miss["miss_cycles"], _v("b92-clock-ds5000")))


def cold_path_extra_us(data: str = "read-fetch") -> float:
    """§3 on the DS5000/200: what the misses of a completely cold IPC path add (µs): 230.4
    (460.8 with ``data="every-line"``)."""
    return cold_path_us(data) - _v("b92-rpc-ds5000")


def cold_path_slowdown(data: str = "read-fetch") -> float:
    """§3 on the DS5000/200: the cold round trip over the warm one (×): 287.4 / 57 ≈ 5.0
    (517.8 / 57 ≈ 9.1 with ``data="every-line"``)."""
    return cold_path_us(data) / _v("b92-rpc-ds5000")


def ds3100_collision_slowdown() -> float:
    """§3 (Bershad, Draves & Forin 1992): the cache-collision RPC (160 µs) over the normal one
    (95 µs) on the DECstation 3100, minus 1 (a fraction): 0.68."""
    return _v("bdf92-rpc-collision-ds3100") / _v("bdf92-rpc-ds3100") - 1.0


def ds3100_misses_on_ds5000_us() -> float:
    """§3: the DECstation 3100's ~215 extra misses at the DS5000/200's 15-cycle penalty and
    25 MHz clock (µs): 215 × 15 / 25 = 129."""
    return float(units.cycles_to_us(_v("bdf92-extra-misses-ds3100") * _v("cb93-miss-penalty-ds5000"),
                                    _v("b92-clock-ds5000")))


def hp700_clock_mhz() -> float:
    """§3: the HP-700's clock from its 20 ns cycle (fact b92-cycle-time-hp700): 1000 / 20 = 50 MHz."""
    return float(units.cycle_time_ns_to_mhz(_v("b92-cycle-time-hp700")))


def hp700_rpc_cycles() -> float:
    """§3: the HP-700's 70 µs RPC in cycles at :func:`hp700_clock_mhz`: 3500 (printed "3600")."""
    return float(units.us_to_cycles(_v("b92-rpc-hp700"), hp700_clock_mhz()))


def hp700_lines_per_page(route: str = "fault-in") -> float:
    """§3: lines in an HP-700 page, which the paper never prints: 128 by either route.

    ``route="fault-in"``: 2048 cycles per page ÷ 16 per line (b92-fault-in-per-page-hp700,
    b92-fault-in-per-line-hp700); ``"coherency"``: the low end of the per-page range, 128 cycles,
    ÷ 1 cycle per line (b92-dma-coherency-page-hp700, b92-purge-flush-per-line-hp700).
    """
    ids = {"fault-in": ("b92-fault-in-per-page-hp700", "b92-fault-in-per-line-hp700"),
           "coherency": ("b92-dma-coherency-page-hp700", "b92-purge-flush-per-line-hp700")}
    if route not in ids:
        raise ValueError(f"route must be one of {sorted(ids)}; got {route!r}")
    return float(caches.lines_per_page_from_cost(*(_v(i) for i in ids[route])))


def hp700_page_bytes() -> float:
    """§3: the HP-700 page (bytes): :func:`hp700_lines_per_page` × 32-byte lines = 4096."""
    return hp700_lines_per_page() * _v("b92-cache-line-hp700")


def _purge_per_line(end: str) -> float:
    f = fact("b92-purge-flush-per-line-hp700")
    if end not in ("low", "high", "printed-high"):
        raise ValueError(f"end must be 'low', 'high' or 'printed-high'; got {end!r}")
    if end == "printed-high":   # the other reading of §3's slip: 896 per page is right, 14 is not
        return hp700_printed_high_per_line()
    return f.value if end == "low" else f.value_high


def hp700_coherency_cycles(end: str = "low") -> float:
    """§3: cycles to purge or flush one HP-700 page at the ``"low"`` (1) or ``"high"`` (14) end of
    "between 1 and 14 cycles per line": 128 or 1792 (the paper prints 128 and 896)."""
    line = _v("b92-cache-line-hp700")
    return float(caches.dma_coherency_cycles(hp700_page_bytes(), line, _purge_per_line(end)))


def hp700_dma_read_cycles(end: str = "low") -> float:
    """§3: a page-sized DMA read on the HP-700: purge (at ``end``) + fault-in at 16 cycles per
    line (cycles): 2176 or 3840. ``end="printed-high"`` purges at the 7 cycles per line that the
    printed 896 cycles per page implies (:func:`hp700_printed_high_per_line`), the other reading
    of §3's inconsistent upper bound: 2944."""
    return float(caches.dma_read_cycles(hp700_page_bytes(), _v("b92-cache-line-hp700"),
                                        _purge_per_line(end), _v("b92-fault-in-per-line-hp700")))


def hp700_rpcs(cycles) -> float:
    """``cycles`` on the HP-700 as a multiple of one RPC (:func:`hp700_rpc_cycles`)."""
    c = units.check_nonnegative("cycles", cycles, "cycles")
    return units.scalar_or_array(c / hp700_rpc_cycles())


def hp700_read_rpcs(end: str = "high") -> float:
    """A page-sized DMA read on the HP-700 (:func:`hp700_dma_read_cycles` at ``end``) as a
    multiple of one RPC: about 1.1 at 14 cycles per line, 0.84 at the 7 the printed 896 implies."""
    return float(hp700_rpcs(hp700_dma_read_cycles(end)))


def hp700_printed_high_per_line() -> float:
    """§3: the cycles per line that the printed 896 cycles per page implies: 896 / 128 = 7."""
    return fact("b92-dma-coherency-page-hp700").value_high / hp700_lines_per_page()


@dataclass(frozen=True)
class CitedMiss:
    """One cited time per cache miss (µs): a machine's penalty at its clock, or a memory latency."""

    label: str
    miss_us: float
    cite: str


def cited_miss_times() -> list[CitedMiss]:
    """Every time per miss data/ gives, shortest first.

    The 1992 machines with a miss penalty and a clock (:func:`ipcmodel.machines.load_machines`;
    :func:`ipcmodel.caches.miss_time_us`), and the ``memory`` series of data/history.csv (lmbench
    main-memory latencies and later), when that file can be read.
    """
    from ipcmodel.machines import load_machines

    out = []
    for m in load_machines().values():
        pen = getattr(m, "miss_penalty_cycles", None)
        if pen is not None and m.clock_mhz is not None:
            cite = m.provenance["miss_penalty_cycles"].cite() if "miss_penalty_cycles" in m.provenance else ""
            out.append(CitedMiss(f"{m.name}: {pen:g} cycles at {m.clock_mhz:g} MHz",
                                 float(caches.miss_time_us(pen, m.clock_mhz)), cite))
    try:
        from ipcmodel import history

        for r in history.history_rows("memory"):
            out.append(CitedMiss(f"{r.machine}, {r.year}: main-memory latency",
                                 float(units.ns_to_us(r.value) if r.unit == "ns" else r.value), r.cite()))
    except Exception:  # data/history.csv is optional here; the machines alone still bound it
        pass
    return sorted(out, key=lambda c: c.miss_us)


def longest_cited_miss_us() -> CitedMiss:
    """The longest time per miss in data/ (:func:`cited_miss_times`): a penalty that makes a miss
    take longer than this at the chosen clock is one no machine here ever had (hypothetical)."""
    return cited_miss_times()[-1]
