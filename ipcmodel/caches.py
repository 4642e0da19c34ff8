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
    "break_even_miss_penalty_cycles",
    "miss_time_us",
]


_res = units.scalar_or_array  # a float for scalar inputs, the array otherwise


def _bytes(name, value):
    return units.check_nonnegative(name, value, "bytes")


def _line_bytes(name, value):
    return units.check_positive(name, value, "bytes")


def _cycles_per_line(name, value):
    return units.check_nonnegative(name, value, "cycles/line", 1e6)


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
    i, d, b = units.broadcast_named(instruction_bytes=_bytes("instruction_bytes", instruction_bytes),
                                    data_bytes=_bytes("data_bytes", data_bytes),
                                    line_bytes=_line_bytes("line_bytes", line_bytes))
    return _res(np.ceil(i / b) + np.ceil(d / b))


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
    p, b, c = units.broadcast_named(page_bytes=_bytes("page_bytes", page_bytes),
                                    line_bytes=_line_bytes("line_bytes", line_bytes),
                                    cycles_per_line=_cycles_per_line("cycles_per_line", cycles_per_line))
    return _res(np.ceil(p / b) * c)


def dma_fault_in_cycles(page_bytes, line_bytes, fault_in_cycles_per_line):
    """Cycles to fault a page of freshly DMA'd data into the cache (§3): lines × cycles per line."""
    p, b, c = units.broadcast_named(
        page_bytes=_bytes("page_bytes", page_bytes), line_bytes=_line_bytes("line_bytes", line_bytes),
        fault_in_cycles_per_line=_cycles_per_line("fault_in_cycles_per_line", fault_in_cycles_per_line))
    return _res(np.ceil(p / b) * c)


def dma_read_cycles(page_bytes, line_bytes, purge_cycles_per_line, fault_in_cycles_per_line):
    """Total cache cost of a page-sized DMA read: purge before, fault-in after (cycles)."""
    p, b, pc, fc = units.broadcast_named(
        page_bytes=_bytes("page_bytes", page_bytes), line_bytes=_line_bytes("line_bytes", line_bytes),
        purge_cycles_per_line=_cycles_per_line("purge_cycles_per_line", purge_cycles_per_line),
        fault_in_cycles_per_line=_cycles_per_line("fault_in_cycles_per_line", fault_in_cycles_per_line))
    return _res(np.ceil(p / b) * (pc + fc))


def lines_per_page_from_cost(cost_per_page_cycles, cost_per_line_cycles):
    """Lines in a page implied by a per-page and a per-line cost (cycles ÷ cycles per line)."""
    page = units.check_positive("cost_per_page_cycles", cost_per_page_cycles, "cycles")
    line = units.check_positive("cost_per_line_cycles", cost_per_line_cycles, "cycles/line")
    page, line = units.broadcast_named(cost_per_page_cycles=page, cost_per_line_cycles=line)
    return _res(page / line)


def extra_misses(fast_us, slow_us, clock_mhz, miss_penalty_cycles):
    """Cache misses that explain a slowdown: ``(slow_us - fast_us) * clock_mhz / miss_penalty_cycles``.

    The companion microbenchmark paper (Bershad, Draves & Forin 1992, §3.1): a kernel relink
    made the DECstation 3100's null RPC go from about 95 to about 160 µs; at 5 cycles per miss
    that is about 215 extra misses.
    """
    fast = units.check_positive("fast_us", fast_us, "µs")
    slow = units.check_positive("slow_us", slow_us, "µs")
    clk = units.check_positive("clock_mhz", clock_mhz, "MHz", 1e6)
    pen = units.check_positive("miss_penalty_cycles", miss_penalty_cycles, "cycles", 1e6)
    fast, slow, clk, pen = units.broadcast_named(fast_us=fast, slow_us=slow, clock_mhz=clk,
                                                 miss_penalty_cycles=pen)
    if np.any(slow < fast):
        raise ValueError("slow_us (µs) must be >= fast_us (µs)")
    return _res((slow - fast) * clk / pen)


def break_even_miss_penalty_cycles(ipc_us, syscall_us, path_lines_count, miss_fraction, clock_mhz):
    """Miss penalty (cycles) at which the IPC path's misses cost ``ipc_us - syscall_us``.

    ``(ipc_us - syscall_us) * clock_mhz / (path_lines_count * miss_fraction)``: above it, the
    cache misses of one cold round trip cost more than the whole address-space difference the
    paper measured warm (§3). ``inf`` when nothing misses; 0 when IPC is no slower than the call.

    Parameters
    ----------
    ipc_us, syscall_us : float or array_like
        Warm round-trip RPC and system call (µs), > 0.
    path_lines_count : float or array_like
        Lines on the IPC path (lines), >= 0; see :func:`ipcmodel.paper.ipc_path_lines`.
    miss_fraction : float or array_like
        Fraction of those lines that miss, in [0, 1].
    clock_mhz : float or array_like
        Clock (MHz), > 0.
    """
    ipc = units.check_positive("ipc_us", ipc_us, "µs")
    sc = units.check_positive("syscall_us", syscall_us, "µs")
    n = units.check_nonnegative("path_lines_count", path_lines_count, "lines", 1e9)
    f = units.check_fraction("miss_fraction", miss_fraction)
    c = units.check_positive("clock_mhz", clock_mhz, "MHz", 1e6)
    ipc, sc, n, f, c = units.broadcast_named(ipc_us=ipc, syscall_us=sc, path_lines_count=n,
                                             miss_fraction=f, clock_mhz=c)
    gap_cycles = np.maximum(ipc - sc, 0.0) * c
    misses = n * f
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(misses > 0, gap_cycles / np.where(misses > 0, misses, 1.0), np.inf)
    return _res(np.where(gap_cycles == 0, 0.0, out))


def miss_time_us(miss_penalty_cycles, clock_mhz):
    """Time one cache miss takes (µs): ``miss_penalty_cycles / clock_mhz``.

    The explorers show a penalty in cycles *and* as time, so a student sees that 2000 cycles at
    25 MHz would be 80 µs per miss, which no machine ever had
    (:func:`ipcmodel.paper.longest_cited_miss_us` gives the longest miss in data/).

    Parameters
    ----------
    miss_penalty_cycles : float or array_like
        Cycles per miss (cycles), in [0, 1e6].
    clock_mhz : float or array_like
        Processor clock (MHz), in (0, 1e6].
    """
    p = units.check_nonnegative("miss_penalty_cycles", miss_penalty_cycles, "cycles", 1e6)
    c = units.check_positive("clock_mhz", clock_mhz, "MHz", 1e6)
    p, c = units.broadcast_named(miss_penalty_cycles=p, clock_mhz=c)
    return _res(p / c)
