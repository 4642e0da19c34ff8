"""The timeline explorer of notebook 07, and the year slider both notebook-07 explorers share.

* :func:`timeline_explorer`: the years of :mod:`ipcmodel.history` as four time series with a
  year cursor: IPC in µs and in cycles (did IPC ride the processor curve?), the miss penalty in
  cycles (the memory wall) and the device landscape.
* ``_YearExplorer``: the base class of both notebook-07 explorers (this one and
  :class:`ipcmodel.explorers.history.YearRegimeExplorer`): a year slider, and landmark years
  (:data:`LANDMARKS`) in the preset menu instead of machines.

Notebook 07 imports both explorers from :mod:`ipcmodel.explorers.history`; this module exists so
that neither module passes ~400 lines. Every drawn point carries the id of its data row (or
``"Scott:<function>"`` for a formula value): see ``plotted()["drawn_ids"]``.
"""

from __future__ import annotations

import numpy as np

from ipcmodel import history, plotting
from ipcmodel.explorers.core import Explorer, Preset, SliderSpec
from ipcmodel.explorers.history_years import (
    _DEVICE_COLORS,
    _DEVICE_MARKERS,
    PROCESSOR_CLASSES,
    YEAR_DEVICES,
    _basis_phrase,
    device_note,
    device_text,
    processor_class,
    year_ipc_source,
)
from ipcmodel.history import devices as history_devices
from ipcmodel.history.estimates import MACHINE_QUANTITIES
from ipcmodel.history.fits import evaluate_trend, fit_trend
from ipcmodel.history.rows import _KERNEL_BYPASS_ROWS, THEN_YEAR
from ipcmodel.history.years import year_range
from ipcmodel.plotting import OKABE_ITO, format_us

__all__ = ["LANDMARKS", "TimelineExplorer", "timeline_explorer"]

#: Landmark years for the preset menu: (label, id of the data row that dates it).
LANDMARKS = (
    ("Mach 3.0 on the CVax (§2)", "b92-rpc-cvax-1989"),
    ("the paper: Mach 3.0 on the DECstation 5000/200 (§2)", "b92-rpc-ds5000"),
    ("L3/L4 on the i486 (Liedtke)", "ts-l4-i486-1993"),
    ("L4 on the Pentium; L4Linux (Härtig et al.)", "ts-l4-pentium-1997"),
    ("seL4 on Haswell, Arm", "ts-sel4-haswell-2013"),
    ("Optane and NAND SSDs measured", "anand17-ssd-optane-p4800x"),
    ("eRPC: kernel-bypass RPC (a replication latency)", "erpc19-raft-replication"),
    ("latest data: L4Re (Fiasco) on Arm", "l4re-ipc-inter-rpi5"),
)

_COLORS = {"ipc": OKABE_ITO["blue"], "syscall": OKABE_ITO["orange"], "miss": OKABE_ITO["bluish_green"]}
#: IPC row markers by processor class (:func:`ipcmodel.explorers.history_years.processor_class`).
_CLASS_MARKERS = {"desktop or server": "o", "embedded": "D"}
#: The strip under the IPC panels: where the IPC of each year comes from.
_STRIP = {"desktop or server": {"facecolor": "0.35"},
          "embedded": {"facecolor": OKABE_ITO["yellow"]},
          "mixed": {"facecolor": OKABE_ITO["yellow"], "hatch": "////", "edgecolor": "0.35"},
          "trend": {"facecolor": "white", "edgecolor": "0.55", "hatch": ".."}}
_STRIP_LABELS = {"desktop or server": "year's IPC: desktop/server",
                 "embedded": "year's IPC: embedded",
                 "mixed": "year's IPC: both classes",
                 "trend": "year's IPC: trend"}


def _row(rid: str) -> history.HistoryRow:
    for r in history.history_rows():
        if r.id == rid:
            return r
    raise ValueError(f"no history row {rid!r} in data/history.csv or the referenced facts.csv rows")


def _miss_phrase(e) -> str:
    """Where a year's miss penalty comes from. A cited row is not a timing: the DECstation
    5000/200's 15 cycles are a parameter of Chen & Bershad's memory-system simulation (Table 2-1),
    the DECstation 3100's 5 cycles a figure Bershad, Draves & Forin state (§3.1)."""
    if e.basis != "measured":
        return _basis_phrase(e)
    rows = [r for r in history.history_rows("miss_penalty") if r.id in e.row_ids]
    if any("simulation" in r.locator for r in rows):
        return "a simulation parameter " + "; ".join(f"[{r.source}, {r.locator.split(' (')[0]}]" for r in rows)
    return "cited " + "; ".join(f"[{r.source}, {r.locator}]" for r in rows) if rows else "cited"


def _year_spec() -> SliderSpec:
    lo, hi = year_range()
    return SliderSpec("year", "Year", "calendar year", float(lo), float(hi), step=1.0, fmt=".0f",
                      help="Move through time: the machine and devices of that year (data/history.csv)")


def _int_year(values) -> int:
    return int(round(values["year"]))


class _YearExplorer(Explorer):
    """Shared by both explorers: a year slider, landmark-year presets instead of machine presets."""

    machine_params: dict = {}
    default_machine = None
    preset_title = "Landmark"
    preset_placeholder = "(choose a landmark year)"

    def extra_presets(self):
        """One preset per landmark year (see :data:`LANDMARKS`), dated by its data row."""
        return [Preset(f"{_row(rid).year}: {label}", {"year": float(_row(rid).year)})
                for label, rid in LANDMARKS]

    def preset_reading(self, label, outside):
        return f"Landmark {label}."


class TimelineExplorer(_YearExplorer):
    """Notebook 07: IPC in µs and cycles, the miss penalty and the devices over time, with a year cursor."""

    years = np.arange(1987, 2028)
    figsize = (13.0, 10.0)
    legend_fontsize = 11

    @property
    def controls(self):
        return (_year_spec(),)

    @property
    def fixed_defaults(self):
        return {"year": float(THEN_YEAR)}

    def __init__(self, **kw):
        self.fits = {("ipc", "us"): fit_trend("ipc", "us"), ("ipc", "cycles"): fit_trend("ipc", "cycles")}
        self.points = {s: history.history_points(s) for s in ("ipc", "syscall", "network", "ssd")}
        self.points["miss_penalty"] = history.history_points("miss_penalty")
        self.paper_cycles = history.ipc_cycles_for_year(THEN_YEAR)
        self.sources = {int(y): year_ipc_source(int(y)) for y in self.years}
        super().__init__(**kw)

    def reading_notes(self):
        return [
            "Small markers: data rows (one per row); in the IPC panels circles are desktop or server "
            "processors, diamonds embedded ones, and the strip along the bottom says which class the IPC of "
            "each year comes from. Solid lines: fitted trends inside the years of their data, dashed outside; "
            "the miss-penalty line is Scott's memory ÷ cycle formula, drawn only inside the page's years "
            f"({history.SCOTT_YEAR_RANGE[0]}–{history.SCOTT_YEAR_RANGE[1]}).",
            "Devices panel: measured rows only (a formula value is not a device of a year): the datasheet "
            "disk, the SSD reads, network round trips through a kernel, and kernel-bypass RPC apart (eRPC's "
            "figure is a replication latency, an upper bound of one round trip). Big device markers: the "
            "measured row standing for the year (history.devices.device_of_year), hollow when measured in "
            "an earlier year.",
            f"Dotted line: the paper's own IPC of {THEN_YEAR} in cycles ({self.paper_cycles[0]:.0f}, "
            f"{self.paper_cycles[1]}) divided by Scott's clock of each year: where Mach's IPC would be "
            "if it had ridden the processor curve exactly.",
            "Big markers: the machine of the year (history.machine_of_year): filled when measured within "
            "a year, hollow when from a trend or a formula. Its system call is that of the IPC's own "
            "machine; the small squares are system calls measured on many machines.",
            "The IPC rows are Mach until 1992 and L4-family kernels after (hot cache): better kernels "
            "and faster processors are mixed in one series.",
            f"IPC in µs after {self.fits[('ipc', 'us')].last_year} (the last µs row): the cycles trend ÷ "
            "Scott's clock, dashed, the same conversion the text and the exercises use, not the µs "
            "trend extended.",
        ]

    def _trend(self, ax, fit, color, label):
        tv = evaluate_trend(fit, self.years)
        inside = ~np.asarray(tv.extrapolated)
        solid = np.where(inside, tv.value, np.nan)
        ax.plot(self.years, solid, "-", color=color, linewidth=2, alpha=0.8, label=label)
        ax.plot(self.years, tv.value, "--", color=color, linewidth=1.2, alpha=0.6)

    def _ipc_us_trend(self, ax, fu, fc, color):
        """The µs trend inside its span; after it, the cycles trend ÷ Scott's clock (what the text uses)."""
        tv = evaluate_trend(fu, self.years)
        inside = ~np.asarray(tv.extrapolated)
        ax.plot(self.years, np.where(inside, tv.value, np.nan), "-", color=color, linewidth=2, alpha=0.8,
                label=f"IPC trend (µs, {fu.first_year}–{fu.last_year})")
        before = self.years <= fu.first_year
        ax.plot(self.years, np.where(before, tv.value, np.nan), "--", color=color, linewidth=1.2, alpha=0.6)
        after = self.years >= fu.last_year
        conv = np.asarray(evaluate_trend(fc, self.years).value, float) / np.asarray(
            history.scott_clock_mhz(self.years), float)
        ax.plot(self.years, np.where(after, conv, np.nan), "--", color=color, linewidth=1.6, alpha=0.8,
                label=f"after {fu.last_year}: cycles trend ÷ Scott's clock")

    def _scott(self, ax, fn, color, label, first_year=None, **kw):
        """A Scott formula, only inside the page's years (and from ``first_year`` on)."""
        v = np.asarray(fn(self.years), float)
        inside = np.asarray(history.scott_in_range(self.years))
        if first_year is not None:
            inside = inside & (self.years >= first_year)
        ax.plot(self.years, np.where(inside, v, np.nan), "-", color=color, linewidth=1.8, label=label, **kw)

    def _points(self, ax, series, unit, color, marker, label):
        p = self.points[series]
        v = p.value_us if unit == "us" else p.value_cycles
        ok = ~np.ma.getmaskarray(v)
        ax.plot(p.year[ok], np.asarray(v)[ok], marker, color=color, mec="black", mew=0.8,
                linestyle="none", label=label, zorder=5, markersize=7)
        return list(p.ids[ok])

    def _ipc_points(self, ax, unit, color):
        """The IPC rows, one marker per processor class (circles: desktop or server; diamonds:
        embedded), so that a jump between classes is visible."""
        p = self.points["ipc"]
        v = np.ma.filled(p.value_us if unit == "us" else p.value_cycles, np.nan)
        by_id = {r.id: r for r in history.history_rows("ipc")}
        cls = np.array([processor_class(by_id[i]) for i in p.ids])
        ids = []
        for c in PROCESSOR_CLASSES:
            ok = (cls == c) & np.isfinite(v)
            ax.plot(p.year[ok], v[ok], _CLASS_MARKERS[c], color=color, mec="black", mew=0.8,
                    linestyle="none", label=f"IPC rows, {c}", zorder=5, markersize=7)
            ids.extend(p.ids[ok])
        return ids

    def _class_strip(self, ax, legend: bool):
        """A strip along the bottom of ``ax``: the processor class the IPC of each year comes from
        (in the legend when ``legend``)."""
        seen = set() if legend else set(_STRIP)
        for y in self.years:
            label = self.sources[int(y)].label
            kw = dict(_STRIP[label])
            ax.axvspan(y - 0.5, y + 0.5, ymin=0.0, ymax=0.045, linewidth=0.4, zorder=6,
                       label=None if label in seen else _STRIP_LABELS[label], **kw)
            seen.add(label)

    def _network_points(self, ax):
        """Network rows through the kernel (triangles) and by kernel bypass (eRPC, an upper bound of
        one round trip), kept apart: they were never measured in one era or on one testbed."""
        p = self.points["network"]
        v = np.ma.filled(p.value_us, np.nan)
        bypass = np.isin(p.ids, _KERNEL_BYPASS_ROWS)
        ids = []
        for sel, label in ((~bypass, "network"), (bypass, "kernel-bypass RPC")):
            ok = sel & np.isfinite(v)
            what = "network (kernel path)" if label == "network" else "kernel bypass (upper bound)"
            ax.plot(p.year[ok], v[ok], _DEVICE_MARKERS[label], color=_DEVICE_COLORS[label], mec="black",
                    mew=0.8, linestyle="none", zorder=5, markersize=7, label=what)
            ids.extend(p.ids[ok])
        return ids

    def _legend(self, ax, loc, ncol=1):
        ax.legend(fontsize=self.legend_fontsize - (ncol > 1), loc=loc, frameon=True, framealpha=0.9,
                  edgecolor="0.8", handlelength=1.6, borderaxespad=0.3, ncol=ncol, columnspacing=0.8)

    def build(self, fig):
        (a1, a2), (a3, a4) = fig.subplots(2, 2)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.06, top=0.84, hspace=0.32, wspace=0.22)
        a = {}
        self.drawn_ids = {}
        year_fmt = plotting.number_formatter(".0f")
        scott_years = np.asarray(history.scott_in_range(self.years))
        # (1) IPC and system call in µs
        self._ipc_us_trend(a1, self.fits[("ipc", "us")], self.fits[("ipc", "cycles")], _COLORS["ipc"])
        c0 = self.paper_cycles[0]
        a1.plot(self.years, np.where(scott_years, c0 / np.asarray(history.scott_clock_mhz(self.years)), np.nan),
                ":", color="0.2", linewidth=2.2, label=f"{THEN_YEAR} IPC cycles ÷ Scott's clock")
        self.drawn_ids["ipc_us"] = self._ipc_points(a1, "us", _COLORS["ipc"])
        self._class_strip(a1, legend=False)
        self.drawn_ids["syscall_us"] = self._points(a1, "syscall", "us", _COLORS["syscall"], "s",
                                                    "system calls (many machines)")
        plotting.decorate(a1, yscale="log", ylabel="Time", title="IPC round trip (µs)", legend=False,
                          ylim=(0.01, 3000))
        a1.yaxis.set_major_formatter(plotting.us_formatter())
        self._legend(a1, "upper right")
        # (2) IPC in cycles
        fc = self.fits[("ipc", "cycles")]
        self._trend(a2, fc, _COLORS["ipc"], "IPC trend (cycles)")
        self.drawn_ids["ipc_cycles"] = self._ipc_points(a2, "cycles", _COLORS["ipc"])
        self._class_strip(a2, legend=True)
        a2.axhline(c0, color="0.2", linestyle=":", linewidth=2.2, label=f"the paper's {c0:.0f} ({THEN_YEAR})")
        plotting.decorate(a2, yscale="log", ylabel="Cycles", title="IPC round trip (processor cycles)",
                          legend=False)
        a2.set_ylim(10, 1e5)
        self._legend(a2, "upper right", ncol=2)
        # (3) the memory wall
        self._scott(a3, history.scott_miss_penalty_cycles, _COLORS["miss"], "memory ÷ cycle (Scott)")
        self.drawn_ids["miss_cycles"] = self._points(a3, "miss_penalty", "cycles", _COLORS["miss"], "D",
                                                     "cited (1992–93; DS5000/200: simulation)")
        for y, word in ((10.0, "tens (§3)"), (100.0, "hundreds (§3)")):
            a3.axhline(y, color="0.5", linewidth=0.8, linestyle="-.")
            a3.text(self.years[-1] - 0.5, y * 1.12, word, fontsize=11, color="0.25", ha="right", va="bottom")
        plotting.decorate(a3, yscale="log", ylabel="Cycles", title="Cache miss penalty (cycles)", legend=False,
                          ylim=(1, 600))
        self._legend(a3, "lower right")
        # (4) devices vs IPC: measured rows only (a formula value is not a device of a year)
        disks = history_devices.disk_access()
        a4.plot([d.year for d in disks], [d.access_us for d in disks], _DEVICE_MARKERS["disk"],
                color=_DEVICE_COLORS["disk"], mec="black", mew=0.8, linestyle="none", zorder=5, markersize=7,
                label="disk (datasheet)")
        self.drawn_ids["disk_us"] = [i for d in disks for i in d.row_ids]
        self.drawn_ids["ssd_us"] = self._points(a4, "ssd", "us", _DEVICE_COLORS["SSD"], "s", "SSD rows")
        self.drawn_ids["network_us"] = self._network_points(a4)
        self._ipc_us_trend(a4, self.fits[("ipc", "us")], self.fits[("ipc", "cycles")], _COLORS["ipc"])
        plotting.decorate(a4, yscale="log", ylabel="Time", title="Devices and IPC (µs)", legend=False,
                          ylim=(0.01, 1e8))
        a4.yaxis.set_major_formatter(plotting.us_formatter())
        self._legend(a4, "upper center", ncol=2)
        for i, ax in enumerate((a1, a2, a3, a4)):
            ax.set_xlim(self.years[0], self.years[-1])
            ax.xaxis.set_major_formatter(year_fmt)
            a[f"cursor_{i}"] = ax.axvline(THEN_YEAR, color="black", linewidth=1.5)
        a["ipc_now"], = a1.plot([THEN_YEAR], [1.0], "o", markersize=14, mew=2.5, color=_COLORS["ipc"],
                                zorder=7)
        a["sc_now"], = a1.plot([THEN_YEAR], [1.0], "s", markersize=12, mew=2.5, color=_COLORS["syscall"],
                               zorder=7)
        a["miss_now"], = a3.plot([THEN_YEAR], [1.0], "D", markersize=12, mew=2.5, color=_COLORS["miss"],
                                 zorder=7)
        a["ipc_cycles_now"], = a2.plot([THEN_YEAR], [1.0], "o", markersize=14, mew=2.5,
                                       color=_COLORS["ipc"], zorder=7)
        a["ipc_dev_now"], = a4.plot([THEN_YEAR], [1.0], "o", markersize=12, mew=2.5,
                                    color=_COLORS["ipc"], zorder=7)
        for kind, label in YEAR_DEVICES.items():
            a[f"{kind}_now"], = a4.plot([THEN_YEAR], [1.0], _DEVICE_MARKERS[label], markersize=13, mew=2.5,
                                        color=_DEVICE_COLORS[label], zorder=7)
        a["text"] = fig.suptitle("\n\n", fontsize=12, y=0.99,
                                 bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "0.7"})
        return a

    def update(self, values):
        y = _int_year(values)
        m = history.machine_of_year(y)
        a = self.artists
        for k in [k for k in a if k.startswith("cursor_")]:
            a[k].set_xdata([y, y])
        ipc_c, how = history.ipc_cycles_for_year(y)
        shown = [("ipc_now", "ipc_round_trip_us", None), ("sc_now", "syscall_us", None),
                 ("miss_now", "miss_penalty_cycles", None), ("ipc_cycles_now", "ipc_round_trip_us", ipc_c),
                 ("ipc_dev_now", "ipc_round_trip_us", None)]
        for key, q, value in shown:
            e = m[q]
            invisible = e.basis == "formula" and e.extrapolated
            a[key].set_data([y], [np.nan if invisible else (e.value if value is None else value)])
            color = a[key].get_color()
            a[key].set_markerfacecolor(color if e.basis == "measured" else "white")
            a[key].set_markeredgecolor("black" if e.basis == "measured" else color)
        devices = {kind: history_devices.device_of_year(kind, y) for kind in YEAR_DEVICES}
        hidden = {YEAR_DEVICES[k]: d.note for k, d in devices.items() if d.value_us is None}
        for kind, d in devices.items():
            a[f"{kind}_now"].set_data([y], [np.nan if d.value_us is None else d.value_us])
            color = a[f"{kind}_now"].get_color()
            own = d.measured_year == y  # filled: measured this year; hollow: a row of an earlier year stands in
            a[f"{kind}_now"].set_markerfacecolor(color if own else "white")
            a[f"{kind}_now"].set_markeredgecolor("black" if own else color)
        ipc, sc = m["ipc_round_trip_us"], m["syscall_us"]
        src = year_ipc_source(y)
        devs = [f"{device_text(YEAR_DEVICES[k], d)} {format_us(d.value_us)}" for k, d in devices.items()
                if d.value_us is not None]
        devs += [f"no measured {label}" for label in hidden]
        short_how = "at Scott's clock" if "Scott" in how else "at the machines' own clocks"
        lines = [f"{y}: IPC {format_us(ipc.value)} ({_basis_phrase(ipc)}) = {ipc_c:.0f} cycles {short_how}; "
                 f"system call {format_us(sc.value)} "
                 f"({'derived from a ratio' if sc.derived else 'same machine'}, {_basis_phrase(sc)})",
                 f"miss penalty {m['miss_penalty_cycles'].value:.3g} cycles "
                 f"({_miss_phrase(m['miss_penalty_cycles'])}); " + ", ".join(devs),
                 f"IPC of {y}: {src.short()}"]
        a["text"].set_text("\n".join(lines))
        return {"year": y, "machine": m, "ipc_cycles": ipc_c, "ipc_cycles_how": how,
                "hidden": hidden, "source": src, "devices": devices,
                "estimate_values": {q: m[q].value for q in MACHINE_QUANTITIES},
                "estimate_ids": {q: m[q].row_ids for q in MACHINE_QUANTITIES},
                "drawn_ids": dict(self.drawn_ids)}

    def describe(self, values, plotted):
        m, y = plotted["machine"], plotted["year"]
        ipc, mp = m["ipc_round_trip_us"], m["miss_penalty_cycles"]
        devs = "; ".join(f"{device_text(YEAR_DEVICES[k], d)} {format_us(d.value_us)} "
                         f"({device_note(YEAR_DEVICES[k], d)})"
                         for k, d in plotted["devices"].items() if d.value_us is not None)
        return (f"{y}: IPC round trip {format_us(ipc.value)} ({_basis_phrase(ipc)}), "
                f"{plotted['ipc_cycles']:.0f} cycles {plotted['ipc_cycles_how']}; system call on the same "
                f"machine {format_us(m['syscall_us'].value)}; miss penalty {mp.value:.3g} cycles "
                f"({_miss_phrase(mp)}); devices of the year: {devs or 'none measured yet'}. "
                f"The IPC of {y} comes from {plotted['source'].phrase()}.")


def timeline_explorer(**kw) -> TimelineExplorer:
    """The timeline of notebook 07: IPC µs and cycles, miss penalty, devices, with a year cursor."""
    return TimelineExplorer(**kw)
