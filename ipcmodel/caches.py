"""§3: performance is dominated by caches, not by address spaces.

The IPC path's footprint in cache lines, the cost of running it with a cold cache, DMA cache
coherency on the HP-700, and the cache-collision example of the companion microbenchmark paper.
"""

from __future__ import annotations

import numpy as np

from ipcmodel import units

__all__ = [
    "footprint_lines",
    "cold_ipc_us",
    "dma_coherency_cycles",
    "dma_fault_in_cycles",
    "dma_read_cycles",
    "lines_per_page_from_cost",
    "extra_misses",
    "cycles_at",
]


_res = units.scalar_or_array  # a float for scalar inputs, the array otherwise


def footprint_lines(instruction_bytes, data_bytes, line_bytes):
    """Cache lines the IPC path touches: instructions and data, each rounded up to whole lines.

    §3: the Mach 3.0 round-trip path on the MIPS needs under 4 KB of instructions and under
    2 KB of data; with 16-byte lines that is at most 256 + 128 = 384 lines.

    Parameters
    ----------
    instruction_bytes, data_bytes : float or array_like
        Footprint (bytes), >= 0.
    line_bytes : float or array_like
        Cache line (bytes), > 0.
    """
    return _res(np.asarray(units.bytes_to_lines(instruction_bytes, line_bytes))
                + np.asarray(units.bytes_to_lines(data_bytes, line_bytes)))


def cold_ipc_us(hot_ipc_us, path_lines, miss_penalty_cycles, clock_mhz, miss_fraction=1.0):
    """Round-trip IPC when a fraction of its path's lines miss: hot time + misses × penalty.

    Parameters
    ----------
    hot_ipc_us : float or array_like
        Warm-cache round trip (µs); the paper's times are all warm (§2 footnote 2).
    path_lines : float or array_like
        Lines on the path (lines), see :func:`footprint_lines`.
    miss_penalty_cycles : float or array_like
        Cycles per miss, in [0, 1e6].
    clock_mhz : float or array_like
        Clock (MHz), > 0.
    miss_fraction : float or array_like
        Fraction of the lines that miss (1 = completely cold).
    """
    hot = units.check_nonnegative("hot_ipc_us", hot_ipc_us, "µs")
    lines = units.check_nonnegative("path_lines", path_lines, "lines", 1e9)
    pen = units.check_nonnegative("miss_penalty_cycles", miss_penalty_cycles, "cycles", 1e6)
    clk = units.check_positive("clock_mhz", clock_mhz, "MHz", 1e6)
    f = units.check_fraction("miss_fraction", miss_fraction)
    hot, lines, pen, clk, f = units.broadcast_named(hot_ipc_us=hot, path_lines=lines,
                                                    miss_penalty_cycles=pen, clock_mhz=clk,
                                                    miss_fraction=f)
    return _res(hot + lines * f * pen / clk)


def dma_coherency_cycles(page_bytes, line_bytes, cycles_per_line):
    """Cycles to purge (before a DMA read) or flush (before a DMA write) one page (§3).

    ``(page_bytes / line_bytes) * cycles_per_line``.
    """
    lines = units.bytes_to_lines(page_bytes, line_bytes)
    c = units.check_nonnegative("cycles_per_line", cycles_per_line, "cycles/line", 1e6)
    lines, c = units.broadcast_named(lines=lines, cycles_per_line=c)
    return _res(lines * c)


def dma_fault_in_cycles(page_bytes, line_bytes, fault_in_cycles_per_line):
    """Cycles to fault a page of freshly DMA'd data into the cache (§3): lines × cycles per line."""
    return dma_coherency_cycles(page_bytes, line_bytes, fault_in_cycles_per_line)


def dma_read_cycles(page_bytes, line_bytes, purge_cycles_per_line, fault_in_cycles_per_line):
    """Total cache cost of a page-sized DMA read: purge before, fault-in after (cycles)."""
    return _res(np.asarray(dma_coherency_cycles(page_bytes, line_bytes, purge_cycles_per_line))
                + np.asarray(dma_fault_in_cycles(page_bytes, line_bytes, fault_in_cycles_per_line)))


def lines_per_page_from_cost(cost_per_page_cycles, cost_per_line_cycles):
    """Lines in a page implied by a per-page and a per-line cost (cycles ÷ cycles per line)."""
    page = units.check_positive("cost_per_page_cycles", cost_per_page_cycles, "cycles")
    line = units.check_positive("cost_per_line_cycles", cost_per_line_cycles, "cycles/line")
    return _res(page / line)


def cycles_at(time_us, clock_mhz):
    """Cycles elapsed in ``time_us`` at ``clock_mhz`` (an alias of :func:`ipcmodel.units.us_to_cycles`)."""
    return units.us_to_cycles(time_us, clock_mhz)


def extra_misses(fast_us, slow_us, clock_mhz, miss_penalty_cycles):
    """Cache misses that explain a slowdown: ``(slow_us - fast_us) * clock_mhz / miss_penalty_cycles``.

    The companion microbenchmark paper (Bershad, Draves & Forin 1992, §3.1): a kernel relink
    made the DECstation 3100's null RPC go from about 95 to about 160 µs; at 5 cycles per miss
    that is about 215 extra misses.
    """
    fast = units.check_positive("fast_us", fast_us, "µs")
    slow = units.check_positive("slow_us", slow_us, "µs")
    if np.any(slow < fast):
        raise ValueError("slow_us (µs) must be >= fast_us (µs)")
    clk = units.check_positive("clock_mhz", clock_mhz, "MHz", 1e6)
    pen = units.check_positive("miss_penalty_cycles", miss_penalty_cycles, "cycles", 1e6)
    fast, slow, clk, pen = units.broadcast_named(fast_us=fast, slow_us=slow, clock_mhz=clk,
                                                 miss_penalty_cycles=pen)
    return _res((slow - fast) * clk / pen)
