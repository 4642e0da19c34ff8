"""Explorers and helpers for notebook 02 (Bershad 1992, §3: caches, not address spaces).

* :func:`cold_ipc_explorer`: miss penalty × miss fraction × line size -> the round-trip IPC
  with a cold path, against the warm IPC and a system call; the IPC overhead of one service use
  with and without the service's own misses (paid by both designs, §3); the path's footprint.
* :func:`dma_explorer`: DMA cache coherency on the HP-700: purge/flush cycles per line and the
  fault-in after a DMA read, in cycles per page, against the 3600-cycle RPC.

The numbers they start from are in :mod:`ipcmodel.paper` (the IPC path's lines, the HP-700
page) and the formulas in :mod:`ipcmodel.caches` (e.g.
:func:`~ipcmodel.caches.break_even_miss_penalty_cycles`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.transforms import blended_transform_factory

from ipcmodel import caches, paper, plotting, service, units
from ipcmodel.data import fact
from ipcmodel.explorers import locality
from ipcmodel.explorers.core import Explorer, Preset, SliderSpec
from ipcmodel.explorers.service import SLIDERS
from ipcmodel.machines import machine
from ipcmodel.plotting import OKABE_ITO, format_percent, format_us

__all__ = [
    "ColdIpcExplorer",
    "DmaExplorer",
    "cold_ipc_explorer",
    "dma_explorer",
    "HP700_FAST",
    "HP700_SLOW",
]


# ---- explorer 1: a cold IPC path --------------------------------------------------------------

#: §3's own words for miss penalties: "only a few cycles" on older, slower machines, "tens" in
#: 1992, "soon to be hundreds". The band edges are only where the words are drawn.
_BANDS = (("'a few':\nolder, slower", 1.0, 8.0),
          ("'tens':\n1992", 8.0, 80.0),
          ("'hundreds':\nsoon", 80.0, 500.0))


class ColdIpcExplorer(Explorer):
    """Notebook 02: the round trip with a cold IPC path (§3), and what it means for a service use.

    Controls: ``miss_penalty_cycles``, ``miss_fraction`` (IPC-path lines that miss, per
    crossing), ``crossings_per_use``, ``service_lines`` and ``service_miss_fraction`` (the
    service's own working set, missed in both designs), ``cache_line_bytes``, ``clock_mhz``,
    ``ipc_us`` (warm round trip, µs), ``syscall_us`` (µs). The round trip is
    :func:`ipcmodel.caches.cold_ipc_us` with the path's lines from
    :func:`ipcmodel.paper.ipc_path_line_counts`; the overhead of one service use is
    :func:`ipcmodel.service.ipc_overhead_fraction` with the terms of
    :func:`ipcmodel.explorers.locality.cache_terms` and no service time besides its misses.
    """

    controls = tuple(SLIDERS[n] for n in ("miss_penalty_cycles", "miss_fraction", "crossings_per_use",
                                          "service_lines", "service_miss_fraction", "cache_line_bytes",
                                          "clock_mhz", "ipc_us", "syscall_us"))
    default_machine = "ds5000"
    _pen = SLIDERS["miss_penalty_cycles"]
    x_penalty = np.logspace(np.log10(_pen.low), np.log10(_pen.high), 300)   # the slider's range
    line_sizes = 2.0 ** np.arange(2, 9)   # 4 .. 256 bytes, the slider's range
    figsize = (15.0, 4.6)

    @property
    def fixed_defaults(self):
        line = machine(self.default_machine).cache_line_bytes
        return {"miss_fraction": 1.0, "crossings_per_use": 1.0, "service_miss_fraction": 0.0,
                "service_lines": locality.service_lines_default(line)}

    def extra_presets(self):
        return locality.presets([s.name for s in self.controls],
                                machine(self.default_machine).cache_line_bytes)

    def reading_notes(self):
        return [
            "Path: " + " and ".join(f"{fact(i).qualifier} {fact(i).value:g} {fact(i).unit} {fact(i).cite()}"
                                    for i in ("b92-ipc-path-instructions", "b92-ipc-path-data"))
            + "; every line counted as touched once, so the cold cost is an upper bound.",
            "Starting values: DECstation 5000/200 (IPC, system call, clock [Bershad92]; line and "
            "miss penalty of its instruction cache [ChenBershad93, Table 2-1]).",
            "Overhead panel: one service use = the crossings plus the service's own misses, no other "
            "service time (a service that only touches its working set: the overhead is at its "
            "largest). The service's working set starts as large as the IPC path (our assumption; "
            "no source gives one).",
        ]

    def build(self, fig):
        ax, ox, bx = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.35, 1.1, 1]})
        x = self.x_penalty
        a = {"ax": ax, "ox": ox, "bx": bx}
        ones = np.ones_like(x)
        a["cold_curve"], = ax.plot(x, ones, color=OKABE_ITO["blue"], label="IPC, cold path")
        a["warm_line"] = ax.axhline(1.0, color=OKABE_ITO["blue"], linestyle=":", label="IPC, warm (as measured)")
        a["syscall_line"] = ax.axhline(1.0, color=OKABE_ITO["orange"], label="system call, warm")
        a["cold_point"], = ax.plot([1.0], [1.0], "o", color=OKABE_ITO["blue"], zorder=5)
        a["now_line"] = ax.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        a["even_line"] = ax.axvline(1.0, color=OKABE_ITO["bluish_green"], linestyle="-.", linewidth=1.8,
                                    label="misses cost as much as IPC − system call")
        blend = blended_transform_factory(ax.transData, ax.transAxes)
        for text, lo, hi in _BANDS:
            ax.text(np.sqrt(lo * hi), 0.97, text, ha="center", va="top", fontsize=9, color="0.35",
                    transform=blend)
            ax.axvline(hi, color="0.85", linewidth=0.8, zorder=0)
        ax.set(xscale="log", yscale="log", xlim=(x[0], x[-1]))
        ax.xaxis.set_major_formatter(plotting.number_formatter())
        ax.yaxis.set_major_formatter(plotting.us_formatter())
        plotting.decorate(ax, xlabel="Cache miss penalty (cycles)", ylabel="Time",
                          title="One round trip: warm or cold", legend=False)
        a["legend"] = ax.legend(loc="upper left", fontsize=9.5, bbox_to_anchor=(0.0, 0.86))
        # the overhead of one service use: with the service's own misses (paid by both designs)
        # and without them (the service cache-resident), so the fall with the penalty is visible
        a["overhead_curve"], = ox.plot(x, ones * 0.5, color=OKABE_ITO["vermillion"],
                                       label="with the service's own misses")
        a["resident_curve"], = ox.plot(x, ones * 0.5, color=OKABE_ITO["vermillion"], linestyle="--",
                                       label="service cache-resident")
        a["overhead_point"], = ox.plot([1.0], [0.5], "o", color=OKABE_ITO["vermillion"], zorder=5)
        a["overhead_now_line"] = ox.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        ox.set(xscale="log", xlim=(x[0], x[-1]), ylim=(0.0, 1.05))
        ox.xaxis.set_major_formatter(plotting.number_formatter())
        ox.yaxis.set_major_formatter(plotting.percent_formatter())
        plotting.decorate(ox, xlabel="Cache miss penalty (cycles)", ylabel="IPC overhead of one use",
                          title="What the microkernel adds to a service use", legend=False)
        a["legend_o"] = ox.legend(loc="lower left", fontsize=9.5)
        xs = np.arange(self.line_sizes.size)
        # side by side, not stacked: on a log axis a stacked segment's height does not read as its count
        a["bars_instr"] = bx.bar(xs - 0.2, np.zeros(xs.size), width=0.4, color=OKABE_ITO["sky_blue"],
                                 label="instructions")
        a["bars_data"] = bx.bar(xs + 0.2, np.zeros(xs.size), width=0.4, color=OKABE_ITO["reddish_purple"],
                                label="data", hatch="//", edgecolor="white")
        a["now_marker"], = bx.plot([0.0], [1.0], "v", color=OKABE_ITO["black"], zorder=5,
                                   label="your line size")
        a["now_text"] = bx.text(0.0, 1.0, "", ha="center", va="bottom", fontsize=11)
        bx.set_xticks(xs, [f"{v:g}" for v in self.line_sizes])
        bx.set_yscale("log")
        bx.yaxis.set_major_formatter(plotting.number_formatter())
        plotting.decorate(bx, xlabel="Cache line (bytes)", ylabel="Lines on the IPC path",
                          title="The path's footprint in lines", legend=False)
        a["legend_b"] = bx.legend(loc="upper right", fontsize=10)
        return a

    def _overhead(self, values, pen):
        """IPC overhead fraction of one service use at miss penalty ``pen`` (cycles; array_like),
        with and without the service's own misses."""
        pen = np.asarray(pen, dtype=float)
        t = locality.cache_terms({**values, "miss_penalty_cycles": 1.0})   # per cycle of penalty
        ipl, loc = t["ipc_path_locality_us"] * pen, t["service_locality_us"] * pen
        args = (values["ipc_us"], values["syscall_us"], 0.0)
        c = values["crossings_per_use"]
        with_loc = service.ipc_overhead_fraction(*args, service_locality_us=loc, ipc_path_locality_us=ipl,
                                                 crossings_per_use=c)
        resident = service.ipc_overhead_fraction(*args, service_locality_us=0.0, ipc_path_locality_us=ipl,
                                                 crossings_per_use=c)
        return with_loc, resident

    def update(self, values):
        pen, f, line, clk = (values[k] for k in ("miss_penalty_cycles", "miss_fraction",
                                                 "cache_line_bytes", "clock_mhz"))
        ipc, sc = values["ipc_us"], values["syscall_us"]
        lines = paper.ipc_path_line_counts(line)
        n = lines["total_lines"]
        cold = caches.cold_ipc_us(ipc, n, self.x_penalty, clk, f)
        cold_now = caches.cold_ipc_us(ipc, n, pen, clk, f)
        even = caches.break_even_miss_penalty_cycles(ipc, sc, n, f, clk)
        over, over_res = self._overhead(values, self.x_penalty)
        over_now, over_res_now = (float(v) for v in self._overhead(values, pen))
        bars = paper.ipc_path_line_counts(self.line_sizes)
        a = self.artists
        a["cold_curve"].set_ydata(cold)
        a["warm_line"].set_ydata([ipc, ipc])
        a["syscall_line"].set_ydata([sc, sc])
        a["cold_point"].set_data([pen], [cold_now])
        a["now_line"].set_xdata([pen, pen])
        shown = bool(np.isfinite(even) and self.x_penalty[0] <= even <= self.x_penalty[-1])
        a["even_line"].set_visible(shown)
        a["even_line"].set_xdata([even, even] if np.isfinite(even) else [1.0, 1.0])
        ys = np.concatenate([cold, [ipc, sc]])
        a["ax"].set_ylim(*plotting.decade_limits(ys.min() / 2.0, ys.max() * 10.0))
        a["overhead_curve"].set_ydata(over)
        a["resident_curve"].set_ydata(over_res)
        a["overhead_point"].set_data([pen], [over_now])
        a["overhead_now_line"].set_xdata([pen, pen])
        for rect, h in zip(a["bars_instr"].patches, bars["instruction_lines"], strict=True):
            rect.set_height(h)
        for rect, h in zip(a["bars_data"].patches, bars["data_lines"], strict=True):
            rect.set_height(h)
        xpos = float(np.interp(np.log2(line), np.log2(self.line_sizes), np.arange(self.line_sizes.size)))
        a["now_marker"].set_data([xpos], [n * 1.15])
        a["now_text"].set_position((xpos, n * 1.35))
        a["now_text"].set_text(f"{n:.0f}")
        top = float(np.max(bars["total_lines"]))
        a["bx"].set_ylim(0.5, max(top, n) * 4.0)
        return {"miss_penalty_cycles": self.x_penalty, "cold_ipc_us": cold, "warm_ipc_us": ipc,
                "syscall_us": sc, "path_lines": n, "instruction_lines": lines["instruction_lines"],
                "data_lines": lines["data_lines"], "cold_ipc_now_us": cold_now,
                "break_even_miss_penalty_cycles": even, "bar_line_bytes": self.line_sizes,
                "bar_instruction_lines": bars["instruction_lines"], "bar_data_lines": bars["data_lines"],
                "marker_x": xpos, "overhead_fraction": over, "overhead_resident_fraction": over_res,
                "overhead_now_fraction": over_now, "overhead_resident_now_fraction": over_res_now}

    def describe(self, values, plotted):
        n, cold, ipc, sc = (plotted[k] for k in ("path_lines", "cold_ipc_now_us", "warm_ipc_us", "syscall_us"))
        f, pen = values["miss_fraction"], values["miss_penalty_cycles"]
        even = plotted["break_even_miss_penalty_cycles"]
        head = (f"With {values['cache_line_bytes']:.3g}-byte lines the IPC path is at most {n:.0f} lines; "
                f"with {f:.0%} of them missing at {pen:.4g} cycles each at {values['clock_mhz']:.4g} MHz, "
                f"the round trip takes {format_us(cold)} instead of {format_us(ipc)} warm "
                f"(misses add {format_us(cold - ipc)}; the system call is {format_us(sc)}). ")
        if not np.isfinite(even):
            head += "Nothing on the IPC path misses, so the penalty does not matter to the round trip. "
        elif even == 0:
            head += "IPC is no slower than the system call here. "
        else:
            head += (f"The misses cost more than the whole IPC-over-system-call difference "
                     f"({format_us(ipc - sc)}) above {even:.3g} cycles per miss. ")
        over, res = plotted["overhead_now_fraction"], plotted["overhead_resident_now_fraction"]
        use = (f"Per service use the microkernel adds {format_percent(over)} of its time")
        if values["service_miss_fraction"] > 0 and values["service_lines"] > 0:
            use += (f" ({format_percent(res)} if the service were cache-resident: its own misses, "
                    "paid by both designs, shrink the share as the penalty grows)")
        phrase = locality.cache_phrase(values)
        return head + use + ". " + phrase[:1].upper() + phrase[1:]


# ---- explorer 2: DMA coherency on the HP-700 --------------------------------------------------

#: Preset labels: the HP-700 with §3's fastest and slowest purge/flush per line.
HP700_FAST = "HP-700, §3 fastest purge/flush"
HP700_SLOW = "HP-700, §3 slowest purge/flush"

_PURGE = SliderSpec("purge_cycles_per_line", "Purge / flush", "cycles per line", 1.0, 14.0, step=0.5,
                    fmt=".1f", help="Cycles to purge or flush one cache line; §3: between 1 and 14 on the HP-700")
_FAULT = SliderSpec("fault_in_cycles_per_line", "Fault-in after a read", "cycles per line", 0.0, 64.0,
                    step=1.0, fmt=".0f", help="Cycles to bring one line of new DMA data into the cache (§3: 16)")
_PAGE = SliderSpec("page_bytes", "DMA transfer (a page)", "bytes", 512.0, 65536.0, log=True, base=2,
                   step=1, fmt=".0f", help="Bytes per DMA operation; §3 implies 4 KB pages on the HP-700")


class DmaExplorer(Explorer):
    """Notebook 02: cycles per page to keep the cache coherent with DMA (§3), against one RPC.

    Controls: ``purge_cycles_per_line``, ``fault_in_cycles_per_line`` (cycles per line),
    ``cache_line_bytes``, ``page_bytes`` (bytes), ``ipc_us`` (µs) and ``clock_mhz`` (MHz, to
    put the RPC in cycles). The model is :func:`ipcmodel.caches.dma_coherency_cycles` (flush
    before a DMA write; purge before a DMA read) and :func:`ipcmodel.caches.dma_read_cycles`.
    """

    controls = (_PURGE, _FAULT, SLIDERS["cache_line_bytes"], _PAGE, SLIDERS["ipc_us"], SLIDERS["clock_mhz"])
    default_machine = "hp700"
    x_purge = np.linspace(1.0, 14.0, 131)
    figsize = (11.5, 4.6)

    @property
    def fixed_defaults(self):
        return {"purge_cycles_per_line": fact("b92-purge-flush-per-line-hp700").value,
                "fault_in_cycles_per_line": fact("b92-fault-in-per-line-hp700").value,
                "page_bytes": paper.hp700_page_bytes()}

    def extra_presets(self):
        hp = machine("hp700")
        purge = fact("b92-purge-flush-per-line-hp700")
        base = {"ipc_us": hp.rpc_us, "clock_mhz": hp.clock_mhz, "cache_line_bytes": hp.cache_line_bytes,
                "fault_in_cycles_per_line": fact("b92-fault-in-per-line-hp700").value,
                "page_bytes": paper.hp700_page_bytes()}
        return [Preset(HP700_FAST, {**base, "purge_cycles_per_line": purge.value}, first=True),
                Preset(HP700_SLOW, {**base, "purge_cycles_per_line": purge.value_high}, first=True)]

    def reading_notes(self):
        hp = machine("hp700")
        stated = fact("b92-dma-coherency-page-hp700")
        per_page, per_line = fact("b92-fault-in-per-page-hp700"), fact("b92-fault-in-per-line-hp700")
        return [
            f"Open squares: the per-page range as printed, {stated.value:g}–{stated.value_high:g} "
            f"cycles {stated.cite()}. The page size is not printed; {paper.hp700_page_bytes():g} bytes "
            f"follows from §3's fault-in numbers ({per_page.value:g} cycles per page at "
            f"{per_line.value:g} per line) and {hp.cache_line_bytes:g}-byte lines.",
            f"RPC in cycles: {format_us(hp.rpc_us)} × {hp.clock_mhz:g} MHz "
            f"({fact('b92-cycle-time-hp700').value:g} ns cycle); §3 prints "
            f"about {fact('b92-rpc-cycles-hp700').value:g} cycles.",
        ]

    def build(self, fig):
        ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
        x = self.x_purge
        a = {"ax": ax, "bx": bx}
        ones = np.ones_like(x)
        a["flush_curve"], = ax.plot(x, ones, color=OKABE_ITO["orange"],
                                    label="purge (before a read) or flush (before a write)")
        a["read_curve"], = ax.plot(x, ones, color=OKABE_ITO["blue"], label="DMA read: purge + fault-in")
        # the RPC in reddish purple, not vermillion: vermillion next to orange reads as one colour
        a["rpc_line"] = ax.axhline(1.0, color=OKABE_ITO["reddish_purple"], linestyle="--", label="one Mach RPC")
        # the slider's points above the printed squares (zorder 7 > 6), so neither hides the other
        a["flush_point"], = ax.plot([1.0], [1.0], "o", color=OKABE_ITO["orange"], ms=8,
                                    mec=OKABE_ITO["black"], mew=1.0, zorder=7)
        a["read_point"], = ax.plot([1.0], [1.0], "o", color=OKABE_ITO["blue"], ms=8,
                                   mec=OKABE_ITO["black"], mew=1.0, zorder=7)
        a["now_line"] = ax.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        stated = fact("b92-dma-coherency-page-hp700")
        purge = fact("b92-purge-flush-per-line-hp700")
        a["printed"], = ax.plot([purge.value, purge.value_high], [stated.value, stated.value_high], "s",
                                mfc="none", mec=OKABE_ITO["black"], ms=13, mew=1.5, zorder=6,
                                label="purge/flush per page, as printed in §3")
        a["printed_text"] = ax.annotate(f"§3 prints {stated.value_high:g}", (purge.value_high, stated.value_high),
                                        xytext=(-12, -6), textcoords="offset points", ha="right",
                                        va="top", fontsize=10)
        ax.set(xlim=(0.5, 14.5))
        ax.yaxis.set_major_formatter(plotting.number_formatter(",.0f"))
        plotting.decorate(ax, xlabel="Purge / flush cost (cycles per line)", ylabel="Cycles per page",
                          title="Cache work per DMA page vs one RPC", legend=False)
        a["legend"] = ax.legend(loc="upper left", fontsize=9.5)
        labels = ["DMA write:\nflush", "DMA read:\npurge + fault-in", "Mach RPC\nround trip"]
        ys = np.arange(3)[::-1]
        a["bar_purge"] = bx.barh(ys[:2], np.zeros(2), color=OKABE_ITO["orange"], height=0.6,
                                 label="purge / flush")
        a["bar_fault"] = bx.barh(ys[1:2], np.zeros(1), color=OKABE_ITO["sky_blue"], height=0.6,
                                 label="fault-in")
        a["bar_rpc"] = bx.barh(ys[2:], np.zeros(1), color=OKABE_ITO["reddish_purple"], height=0.6,
                               label="RPC")
        a["bar_text"] = [bx.text(0.0, y, "", va="center", fontsize=11) for y in ys]
        bx.set_yticks(ys, labels)
        bx.set_ylim(-0.7, 2.7)
        bx.xaxis.set_major_formatter(plotting.number_formatter(",.0f"))
        plotting.decorate(bx, xlabel="Cycles", title="At your settings", legend=False)
        a["legend_b"] = bx.legend(loc="upper right", fontsize=10)
        return a

    def update(self, values):
        pc, fc, line, page = (values[k] for k in ("purge_cycles_per_line", "fault_in_cycles_per_line",
                                                  "cache_line_bytes", "page_bytes"))
        x = self.x_purge
        flush = caches.dma_coherency_cycles(page, line, x)
        read = caches.dma_read_cycles(page, line, x, fc)
        flush_now = caches.dma_coherency_cycles(page, line, pc)
        fault_now = caches.dma_fault_in_cycles(page, line, fc)
        read_now = caches.dma_read_cycles(page, line, pc, fc)
        rpc = units.us_to_cycles(values["ipc_us"], values["clock_mhz"])
        lines = units.bytes_to_lines(page, line)
        a = self.artists
        a["flush_curve"].set_ydata(flush)
        a["read_curve"].set_ydata(read)
        a["rpc_line"].set_ydata([rpc, rpc])
        a["flush_point"].set_data([pc], [flush_now])
        a["read_point"].set_data([pc], [read_now])
        a["now_line"].set_xdata([pc, pc])
        printed = a["printed"].get_ydata()
        a["ax"].set_ylim(0.0, plotting.nice_ceiling(1.5 * max(float(np.max(read)), rpc, float(np.max(printed)))))
        first = np.array([flush_now, flush_now, rpc])
        second = np.array([0.0, fault_now, 0.0])
        for rect in a["bar_purge"].patches:
            rect.set_width(flush_now)
        a["bar_fault"].patches[0].set_x(flush_now)
        a["bar_fault"].patches[0].set_width(fault_now)
        a["bar_rpc"].patches[0].set_width(rpc)
        totals = first + second
        top = float(np.max(totals))
        for t, total in zip(a["bar_text"], totals, strict=True):
            t.set_position((total + 0.02 * top, t.get_position()[1]))
            t.set_text(f"{total:,.0f}")
        a["bx"].set_xlim(0.0, plotting.nice_ceiling(1.3 * top) if top > 0 else 1.0)
        return {"purge_cycles_per_line": x, "flush_cycles": flush, "read_cycles": read,
                "rpc_cycles": rpc, "lines_per_page": lines, "flush_now_cycles": flush_now,
                "fault_in_now_cycles": fault_now, "read_now_cycles": read_now,
                "bar_totals_cycles": totals}

    def describe(self, values, plotted):
        n, fl, fa, rd, rpc = (plotted[k] for k in ("lines_per_page", "flush_now_cycles",
                                                   "fault_in_now_cycles", "read_now_cycles", "rpc_cycles"))
        return (f"A {values['page_bytes']:.0f}-byte DMA transfer is {n:.0f} lines of "
                f"{values['cache_line_bytes']:.3g} bytes. At {values['purge_cycles_per_line']:.3g} "
                f"cycle{'' if values['purge_cycles_per_line'] == 1 else 's'} per line, flushing it before a write costs {fl:,.0f} cycles; a read costs {fl:,.0f} to "
                f"purge plus {fa:,.0f} to fault in = {rd:,.0f} cycles, {rd / rpc:.2g}× the "
                f"{rpc:,.0f}-cycle RPC.")


def cold_ipc_explorer(**kw) -> ColdIpcExplorer:
    """The cold-path explorer of notebook 02 (keyword arguments go to the Explorer base class)."""
    return ColdIpcExplorer(**kw)


def dma_explorer(**kw) -> DmaExplorer:
    """The DMA-coherency explorer of notebook 02 (keyword arguments go to the Explorer base class)."""
    return DmaExplorer(**kw)
