"""Explorers for notebook 07 ("Thirty years later: was Bershad right?").

* :func:`year_regime_explorer`: the regime map of notebook 05 (IPC overhead over IPC cost ×
  device time, with the threshold boundary) moved through time by a year slider. The machine
  and devices of each year come from :func:`ipcmodel.history.machine_of_year`: measured rows
  where they exist (filled markers, solid IPC line), fitted trends or Colin Scott's formulas
  elsewhere (hollow markers, dashed IPC line; dotted when extrapolated beyond the data).
* :func:`timeline_explorer`: the same years as four time series with a year cursor: IPC in µs
  and in cycles (did IPC ride the processor curve?), the miss penalty in cycles (the memory
  wall) and the device landscape.

Pure helpers (no widgets): :func:`year_state` (everything the map shows for one year, straight
from the model), :func:`landscape` (every cited device at the IPC of a year), :func:`year_range`
and :data:`LANDMARKS`.

Every drawn point carries the id of its data row (or ``"Scott:<function>"`` for a formula
value): see ``plotted()["..._ids"]``. Both explorers subclass
:class:`ipcmodel.explorers_core.Explorer` and follow its pattern: one figure built once, artists
updated in place, errors shown in the output area.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from ipcmodel import history, plotting, service, units
from ipcmodel.explore import DEFAULT_THRESHOLD, SLIDERS, ipc_path_lines
from ipcmodel.explorers_core import ChoiceSpec, Explorer, SliderSpec
from ipcmodel.history.estimates import MACHINE_QUANTITIES
from ipcmodel.history.fits import evaluate_trend, fit_trend
from ipcmodel.history.rows import NOW_YEAR, THEN_YEAR
from ipcmodel.machines import machine
from ipcmodel.plotting import OKABE_ITO, format_percent, format_us

__all__ = [
    "BASELINES",
    "DEVICES",
    "LANDMARKS",
    "YearState",
    "year_range",
    "year_state",
    "landscape",
    "format_landscape",
    "YearRegimeExplorer",
    "TimelineExplorer",
    "year_regime_explorer",
    "timeline_explorer",
]

#: The devices of a year: estimate quantity -> (label, history series with measured rows).
DEVICES = {"disk_us": ("disk", "disk"), "ssd_us": ("SSD", "ssd"), "network_us": ("network", "network")}

#: Landmark years for the preset menu: (label, id of the data row that dates it).
LANDMARKS = (
    ("Mach 3.0 on the CVax (§2)", "b92-rpc-cvax-1989"),
    ("the paper: Mach 3.0 on the DECstations (§2)", "b92-rpc-ds5000"),
    ("L3/L4 on the i486 (Liedtke)", "ts-l4-i486-1993"),
    ("L4 on the Pentium; L4Linux (Härtig et al.)", "ts-l4-pentium-1997"),
    ("seL4 on Haswell, Arm", "ts-sel4-haswell-2013"),
    ("Optane and NAND SSDs measured", "anand17-ssd-optane-p4800x"),
    ("eRPC: kernel-bypass datacenter RPC", "erpc19-raft-replication"),
    ("latest data: L4Re (Fiasco) on Arm", "l4re-ipc-inter-rpi5"),
)

#: What the IPC route is compared with (see :func:`year_state`): value -> label.
BASELINES = {"syscall": "a system call of the year (monolithic kernel)",
             "bypass": "no kernel crossing (kernel bypass, §5)"}

_COLORS = {"disk": OKABE_ITO["vermillion"], "SSD": OKABE_ITO["reddish_purple"],
           "network": OKABE_ITO["sky_blue"], "ipc": OKABE_ITO["blue"], "syscall": OKABE_ITO["orange"],
           "miss": OKABE_ITO["bluish_green"]}
_MARKERS = {"disk": "o", "SSD": "s", "network": "^"}


def _row(rid: str) -> history.HistoryRow:
    for r in history.history_rows():
        if r.id == rid:
            return r
    raise ValueError(f"no history row {rid!r} in data/history.csv or the referenced facts.csv rows")


def year_range() -> tuple[int, int]:
    """(first, last) calendar year of the history rows: the year slider's range."""
    years = [r.year for r in history.history_rows()]
    return min(years), max(years)


@dataclass(frozen=True)
class YearState:
    """What the regime map shows for one year, computed from the model only.

    ``machine`` is :func:`ipcmodel.history.machine_of_year`; the times are in µs; ``clock_mhz``
    is Scott's clock of the year (used to turn the miss penalty into µs); ``ipc_path_locality_us``
    is the cost of the paper's IPC path missing (:func:`ipcmodel.service.locality_us`);
    ``syscall_us`` is the crossing the IPC is compared with (0 for the ``"bypass"`` baseline).
    """

    year: int
    machine: dict
    ipc_us: float
    syscall_us: float
    clock_mhz: float
    ipc_path_lines: float
    ipc_path_locality_us: float
    break_even_us: float
    devices: dict  # label -> (device_us, overhead fraction, Estimate)
    baseline: str = "syscall"

    def measured(self, quantity: str) -> bool:
        return self.machine[quantity].basis == "measured"


def year_state(year, threshold: float = DEFAULT_THRESHOLD, miss_fraction: float = 0.0,
               cache_line_bytes: float | None = None, baseline: str = "syscall") -> YearState:
    """The machine of ``year`` and the IPC overhead it implies for its devices.

    Parameters
    ----------
    year : int
        Calendar year (:data:`ipcmodel.history.YEAR_RANGE`); rounded to a whole year.
    threshold : float
        Acceptable overhead fraction, in (0, 1), for the break-even device time.
    miss_fraction : float
        Fraction of the paper's IPC-path cache lines (< 4 KB instructions + < 2 KB data, §3)
        that miss on each round trip; 0 = warm cache, as the paper measured.
    cache_line_bytes : float, optional
        Line size for counting those lines; default the DECstation 5000/200's (Chen & Bershad 1993).
    baseline : {"syscall", "bypass"}
        What the IPC route is compared with: ``"syscall"``, one system call of the year (a
        monolithic kernel, the paper's comparison); ``"bypass"``, no kernel crossing at all
        (kernel-bypass I/O, §5), so the overhead is the IPC's share of the whole access.
    """
    if baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {list(BASELINES)}; got {baseline!r}")
    y = int(round(float(units.check_in_range("year", year, "calendar year", *history.YEAR_RANGE))))
    m = history.machine_of_year(y)
    line = machine("ds5000").cache_line_bytes if cache_line_bytes is None else cache_line_bytes
    lines = float(ipc_path_lines(line))
    clock = float(history.scott_clock_mhz(y))
    ipl = float(service.locality_us(lines, miss_fraction, m["miss_penalty_cycles"].value, clock))
    ipc = m["ipc_round_trip_us"].value
    sc = m["syscall_us"].value if baseline == "syscall" else 0.0
    be = float(service.break_even_service_us(ipc, sc, threshold, 0.0, ipl))
    devices = {}
    for q, (label, _series) in DEVICES.items():
        d = m[q].value
        devices[label] = (d, float(service.ipc_overhead_fraction(ipc, sc, d, 0.0, ipl)), m[q])
    return YearState(y, m, ipc, sc, clock, lines, ipl, be, devices, baseline)


def landscape(year, threshold: float = DEFAULT_THRESHOLD, baseline: str = "syscall") -> list[dict]:
    """Every cited device time (:func:`ipcmodel.history.device_options`) at the machine of ``year``.

    Returns one dict per device, fastest first: ``name``, ``device_us``, ``cite``, ``overhead``
    (the IPC overhead fraction with that year's IPC round trip, warm cache, against ``baseline``:
    see :func:`year_state`) and ``matters`` (True when the overhead is above ``threshold``).
    """
    s = year_state(year, threshold, baseline=baseline)
    out = []
    for name, dev, cite in history.device_options():
        o = float(service.ipc_overhead_fraction(s.ipc_us, s.syscall_us, dev))
        out.append({"name": name, "device_us": dev, "cite": cite, "overhead": o, "matters": o > threshold})
    return sorted(out, key=lambda d: d["device_us"])


def format_landscape(years=(THEN_YEAR, NOW_YEAR), threshold: float = DEFAULT_THRESHOLD) -> str:
    """A text table: every cited device, and the IPC overhead on it with the machine of each year,
    against a system call and against kernel bypass; ``*`` marks overheads above ``threshold``."""
    cols = [(y, b) for y in years for b in BASELINES]
    tables = {c: landscape(c[0], threshold, c[1]) for c in cols}
    heads = [f"{y} {'vs syscall' if b == 'syscall' else 'vs bypass'}" for y, b in cols]
    lines = [f"{'time':>9}  " + "  ".join(f"{h:>15}" for h in heads) + "  device"]
    for i, d in enumerate(tables[cols[0]]):
        cells = []
        for c in cols:
            e = tables[c][i]
            cells.append(f"{format_percent(e['overhead']) + ('*' if e['matters'] else ' '):>15}")
        lines.append(f"{format_us(d['device_us']):>9}  " + "  ".join(cells) + f"  {d['name']}")
    ipcs = "; ".join(f"{y}: IPC {format_us(year_state(y).ipc_us)}, system call "
                     f"{format_us(year_state(y).syscall_us)}" for y in years)
    lines.append(f"(* above the {format_percent(threshold)} threshold; warm caches; {ipcs})")
    return "\n".join(lines)


def _basis_phrase(e) -> str:
    if e.basis == "measured":
        return "measured"
    return "extrapolated" if e.extrapolated else ("Scott formula" if e.basis == "formula" else "fitted trend")


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

    def __init__(self, **kw):
        super().__init__(**kw)
        self.presets, self.preset_missing = {}, {}
        for label, rid in LANDMARKS:
            y = _row(rid).year
            key = f"{y}: {label}"
            self.presets[key] = {"year": float(y)}
            self.preset_missing[key] = []
        self.preset_menu.options = [("(choose a landmark year)", "")] + [(k, k) for k in self.presets]
        self.preset_menu.description = "Landmark"

    def apply_preset(self, label: str) -> None:
        """Jump to a landmark year (see :data:`LANDMARKS`)."""
        super().apply_preset(label)
        self.preset_note = f"Landmark {label}."
        self._show_reading()


class YearRegimeExplorer(_YearExplorer):
    """Notebook 07: the regime map of notebook 05, moved through 1989–today by a year slider."""

    x_us = np.logspace(-2, 3, 101)    # IPC cost grid, 0.01 µs .. 1 ms (20 cells a decade)
    y_us = np.logspace(-1, 6, 71)     # device time grid, 0.1 µs .. 1 s (10 cells a decade)
    xb_us = np.logspace(-2, 3, 400)   # finer grid for the threshold boundary
    figsize = (11.0, 5.4)

    @property
    def controls(self):
        return (_year_spec(), SLIDERS["threshold"], SLIDERS["miss_fraction"], SLIDERS["cache_line_bytes"],
                ChoiceSpec("baseline", "Compare IPC with", "route",
                           tuple((label, key) for key, label in BASELINES.items()),
                           help="The paper compares IPC with a system call; kernel-bypass I/O crosses nothing"))

    @property
    def fixed_defaults(self):
        return {"year": float(THEN_YEAR), "threshold": DEFAULT_THRESHOLD, "miss_fraction": 0.0,
                "cache_line_bytes": float(machine("ds5000").cache_line_bytes), "baseline": "syscall"}

    def __init__(self, **kw):
        super().__init__(**kw)
        self.notes = [
            "Filled markers and a solid IPC line: measured rows within ±1 year. Hollow markers and a "
            "dashed line: a fitted trend or a Scott formula; dotted: extrapolated beyond the data.",
            "Triangles along the top: each measured IPC round trip within ±1 year, one per data row "
            "(rows in cycles without a clock cannot be placed in µs).",
            "Scott's SSD formula gives a value for every year, even before SSDs were sold: read early "
            "SSD markers as 'if one had existed' [Scott, interactive_latency.html, getSSDLatency()].",
        ]
        self._show_reading()

    def build(self, fig):
        ax = fig.subplots()
        cmap = matplotlib.colormaps[plotting.SEQUENTIAL_CMAP]
        cmap = cmap.with_extremes(under=cmap(0.0), bad=cmap(0.0))
        z = np.full((self.y_us.size, self.x_us.size), 0.01)
        a = {"ax": ax}
        a["map"] = ax.pcolormesh(self.x_us, self.y_us, z, shading="nearest", cmap=cmap,
                                 norm=LogNorm(1e-4, 1.0))
        fig.colorbar(a["map"], ax=ax, extend="min", format=plotting.percent_formatter(),
                     label="IPC overhead")
        halo = [withStroke(linewidth=4.5, foreground="black")]
        a["boundary"], = ax.plot(self.xb_us, np.ones_like(self.xb_us), color="white", linewidth=2.5,
                                 path_effects=halo, label="threshold boundary")
        a["ipc_line"] = ax.axvline(1.0, color="white", linewidth=2.0, path_effects=halo)
        top = blended_transform_factory(ax.transData, ax.transAxes)
        a["ipc_rows"], = ax.plot([1.0], [0.96], "v", color="white", mec="black", markersize=9,
                                 transform=top, linestyle="none", zorder=7,
                                 label="measured IPC rows (±1 year)")
        for label in DEVICES.values():
            name = label[0]
            a[f"dev_{name}"], = ax.plot([1.0], [1.0], _MARKERS[name], color=_COLORS[name], mec="black",
                                        mew=1.5, markersize=11, zorder=8, linestyle="none",
                                        label=f"{name} of the year")
        a["dev_rows"], = ax.plot([1.0], [1.0], "*", color="white", mec="black", markersize=12,
                                 zorder=7, linestyle="none", label="measured device rows (±1 year)")
        a["labels"] = plotting.annotate_points(
            ax, [1.0] * 3, [1.0] * 3, [""] * 3, offsets=[(12, 6), (12, -4), (12, -14)], zorder=9,
            arrowprops=None, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
        a["year_text"] = ax.text(0.02, 0.04, "", transform=ax.transAxes, fontsize=26, fontweight="bold",
                                 color="white", path_effects=halo, zorder=9)
        ax.set(xscale="log", yscale="log", xlim=(self.x_us[0], self.x_us[-1]),
               ylim=(self.y_us[0], self.y_us[-1]))
        ax.grid(False)
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(plotting.us_formatter())
        plotting.decorate(ax, xlabel="IPC round trip", ylabel="Service / device time",
                          title="Where IPC cost matters, year by year (above the boundary it does not)",
                          legend=False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.22, 1.0), fontsize=10, frameon=False)
        return a

    def update(self, values):
        s = year_state(_int_year(values), values["threshold"], values["miss_fraction"],
                       values["cache_line_bytes"], values["baseline"])
        z = service.ipc_overhead_fraction(self.x_us[None, :], s.syscall_us, self.y_us[:, None], 0.0,
                                          s.ipc_path_locality_us)
        boundary = service.break_even_service_us(self.xb_us, s.syscall_us, values["threshold"], 0.0,
                                                 s.ipc_path_locality_us)
        a = self.artists
        a["map"].set_array(z)
        a["boundary"].set_ydata(boundary)
        e_ipc = s.machine["ipc_round_trip_us"]
        a["ipc_line"].set_xdata([s.ipc_us, s.ipc_us])
        a["ipc_line"].set_linestyle("-" if e_ipc.basis == "measured" else (":" if e_ipc.extrapolated else "--"))
        rows = [r for r in history.history_rows("ipc") if abs(r.year - s.year) <= 1]
        conv = [(r.id, history.round_trip_us(r).value) for r in rows
                if r.unit != "cycles" or r.clock_mhz is not None]
        rug_x = np.array([v for _, v in conv]) if conv else np.array([np.nan])
        a["ipc_rows"].set_data(rug_x, np.full(rug_x.size, 0.96))
        dev_x, dev_y, dev_ids, dev_measured, dev_over = [], [], [], [], []
        for (label, (d, o, e)), ann in zip(s.devices.items(), a["labels"], strict=True):
            measured = e.basis == "measured" and e_ipc.basis == "measured"
            art = a[f"dev_{label}"]
            art.set_data([s.ipc_us], [d])
            art.set_markerfacecolor(_COLORS[label] if measured else "none")
            art.set_markeredgecolor("black" if measured else _COLORS[label])
            art.set_linestyle("none")
            ann.xy = (s.ipc_us, d)
            ann.set_text(f"{label} {format_us(d)}: {format_percent(o)}")
            dev_x.append(s.ipc_us)
            dev_y.append(d)
            dev_ids.append(e.row_ids)
            dev_measured.append(measured)
            dev_over.append(o)
        rows_dev = [(r.id, history.round_trip_us(r).value) for series in ("ssd", "network")
                    for r in history.history_rows(series) if abs(r.year - s.year) <= 1]
        rx = np.full(len(rows_dev), s.ipc_us) if rows_dev else np.array([np.nan])
        ry = np.array([v for _, v in rows_dev]) if rows_dev else np.array([np.nan])
        a["dev_rows"].set_data(rx, ry)
        a["year_text"].set_text(f"{s.year}")
        return {"year": s.year, "ipc_us": self.x_us, "device_us": self.y_us, "overhead_map": z,
                "syscall_us": s.syscall_us, "ipc_path_locality_us": s.ipc_path_locality_us,
                "boundary_ipc_us": self.xb_us, "boundary_device_us": boundary,
                "break_even_us": s.break_even_us, "year_ipc_us": s.ipc_us,
                "year_ipc_ids": e_ipc.row_ids, "year_ipc_basis": e_ipc.basis,
                "year_syscall_ids": s.machine["syscall_us"].row_ids,
                "points_ipc_us": np.array(dev_x), "points_device_us": np.array(dev_y),
                "points_ids": dev_ids, "points_measured": np.array(dev_measured),
                "points_overhead": np.array(dev_over), "points_labels": list(s.devices),
                "ipc_rows_us": np.array([v for _, v in conv]), "ipc_rows_ids": [i for i, _ in conv],
                "device_rows_us": np.array([v for _, v in rows_dev]),
                "device_rows_ids": [i for i, _ in rows_dev], "state": s}

    def describe(self, values, plotted):
        s = plotted["state"]
        e = s.machine["ipc_round_trip_us"]
        th = values["threshold"]
        head = f"{s.year}: IPC round trip {format_us(s.ipc_us)} ({_basis_phrase(e)})"
        if s.ipc_path_locality_us > 0:
            head += f" plus {format_us(s.ipc_path_locality_us)} of IPC-path cache misses"
        if s.baseline == "syscall":
            head += (f", against a system call of {format_us(s.syscall_us)} "
                     f"({_basis_phrase(s.machine['syscall_us'])})")
        else:
            head += ", against no kernel crossing at all (kernel bypass)"
        if s.ipc_us + s.ipc_path_locality_us <= s.syscall_us:
            head += ". IPC is no slower than the system call this year: no overhead on any device."
        elif s.break_even_us == 0:
            head += f". IPC overhead stays within {format_percent(th)} for every device."
        else:
            head += f". IPC overhead stays within {format_percent(th)} for devices of {format_us(s.break_even_us)} or slower."
        devs = "; ".join(f"{label} {format_us(d)} ({_basis_phrase(est)}): {format_percent(o)}"
                         for label, (d, o, est) in s.devices.items())
        return f"{head} Overhead on the devices of the year: {devs}."


class TimelineExplorer(_YearExplorer):
    """Notebook 07: IPC in µs and cycles, the miss penalty and the devices over time, with a year cursor."""

    years = np.arange(1987, 2028)
    figsize = (11.5, 8.4)

    @property
    def controls(self):
        return (_year_spec(),)

    @property
    def fixed_defaults(self):
        return {"year": float(THEN_YEAR)}

    def __init__(self, **kw):
        self.fits = {("ipc", "us"): fit_trend("ipc", "us"), ("ipc", "cycles"): fit_trend("ipc", "cycles"),
                     ("syscall", "us"): fit_trend("syscall", "us")}
        self.points = {s: history.history_points(s) for s in ("ipc", "syscall", "network", "ssd")}
        self.points["miss_penalty"] = history.history_points("miss_penalty")
        super().__init__(**kw)
        fc = self.fits[("ipc", "cycles")]
        self.notes = [
            "Filled markers: data rows (one per row). Solid lines: fitted trends inside the years of their "
            "data, dashed outside; thin lines: Scott's formulas (dashed outside the page's 1990–2030).",
            f"'Constant cycles' line: the fitted IPC round trip of {THEN_YEAR} in cycles "
            f"({fc(max(THEN_YEAR, fc.first_year)).value:.0f}, {fc.n_points} rows), divided by Scott's clock "
            "of each year: where IPC would be if it had ridden the processor curve exactly.",
            "Big markers: the machine of the year (history.machine_of_year): filled when measured within "
            "a year, hollow when from a trend or a formula.",
            "The IPC rows are Mach until 1992 and L4-family kernels after (hot cache): better kernels "
            "and faster processors are mixed in one series.",
        ]
        self._show_reading()

    def _trend(self, ax, fit, color, label):
        tv = evaluate_trend(fit, self.years)
        inside = ~np.asarray(tv.extrapolated)
        solid = np.where(inside, tv.value, np.nan)
        ax.plot(self.years, solid, "-", color=color, linewidth=2, alpha=0.8, label=label)
        ax.plot(self.years, tv.value, "--", color=color, linewidth=1.2, alpha=0.6)

    def _scott(self, ax, fn, color, label, **kw):
        v = np.asarray(fn(self.years), float)
        inside = np.asarray(history.scott_in_range(self.years))
        ax.plot(self.years, np.where(inside, v, np.nan), "-", color=color, linewidth=1.5, label=label, **kw)
        ax.plot(self.years, np.where(self.years <= history.SCOTT_YEAR_RANGE[0], v, np.nan), "--",
                color=color, linewidth=1.0, **kw)

    def _points(self, ax, series, unit, color, marker, label):
        p = self.points[series]
        v = p.value_us if unit == "us" else p.value_cycles
        ok = ~np.ma.getmaskarray(v)
        ax.plot(p.year[ok], np.asarray(v)[ok], marker, color=color, mec="black", mew=0.8,
                linestyle="none", label=label, zorder=5)
        return list(p.ids[ok])

    def build(self, fig):
        (a1, a2), (a3, a4) = fig.subplots(2, 2)
        a = {}
        self.drawn_ids = {}
        year_fmt = FuncFormatter(lambda v, _p: f"{v:.0f}")
        # (1) IPC and system call in µs
        self._trend(a1, self.fits[("ipc", "us")], _COLORS["ipc"], "IPC trend")
        self._trend(a1, self.fits[("syscall", "us")], _COLORS["syscall"], "system-call trend")
        fc = self.fits[("ipc", "cycles")]
        c0 = fc(max(THEN_YEAR, fc.first_year)).value
        a1.plot(self.years, c0 / np.asarray(history.scott_clock_mhz(self.years)), ":", color="0.3",
                linewidth=1.8, label="constant cycles at Scott's clock")
        self.drawn_ids["ipc_us"] = self._points(a1, "ipc", "us", _COLORS["ipc"], "o", "IPC round trip")
        self.drawn_ids["syscall_us"] = self._points(a1, "syscall", "us", _COLORS["syscall"], "s", "system call")
        plotting.decorate(a1, yscale="log", ylabel="Time", title="IPC and system call (µs)", legend=False,
                          ylim=(0.01, 3000))
        a1.yaxis.set_major_formatter(plotting.us_formatter())
        a1.legend(fontsize=8, loc="upper right")
        # (2) IPC in cycles
        self._trend(a2, fc, _COLORS["ipc"], "IPC trend (cycles)")
        self.drawn_ids["ipc_cycles"] = self._points(a2, "ipc", "cycles", _COLORS["ipc"], "o",
                                                    "IPC round trip (cycles)")
        plotting.decorate(a2, yscale="log", ylabel="Cycles", title="IPC in processor cycles", legend=False)
        a2.set_ylim(10, 1e5)
        a2.legend(fontsize=8, loc="upper right")
        # (3) the memory wall
        self._scott(a3, history.scott_miss_penalty_cycles, _COLORS["miss"], "memory ÷ cycle (Scott)")
        self.drawn_ids["miss_cycles"] = self._points(a3, "miss_penalty", "cycles", _COLORS["miss"], "D",
                                                     "measured miss penalty")
        for y, word in ((10.0, "tens (§3)"), (100.0, "hundreds (§3)")):
            a3.axhline(y, color="0.5", linewidth=0.8, linestyle="-.")
            a3.text(self.years[-1] - 0.5, y * 0.8, word, fontsize=9, color="0.3", ha="right", va="top")
        plotting.decorate(a3, yscale="log", ylabel="Cycles", title="Cache miss penalty (cycles)", legend=False)
        a3.legend(fontsize=8, loc="lower right")
        # (4) devices vs IPC
        self._scott(a4, lambda y: np.asarray(history.scott_disk_seek_ns(y)) / 1000.0, _COLORS["disk"],
                    "disk seek + rotation (Scott)")
        self._scott(a4, lambda y: np.asarray(history.scott_ssd_read_ns(y)) / 1000.0, _COLORS["SSD"],
                    "SSD read (Scott)")
        self.drawn_ids["ssd_us"] = self._points(a4, "ssd", "us", _COLORS["SSD"], "s", "SSD rows")
        self.drawn_ids["network_us"] = self._points(a4, "network", "us", _COLORS["network"], "^",
                                                    "network rows")
        self._trend(a4, self.fits[("ipc", "us")], _COLORS["ipc"], "IPC trend")
        plotting.decorate(a4, yscale="log", ylabel="Time", title="Devices and IPC (µs)", legend=False,
                          ylim=(0.01, 1e5))
        a4.yaxis.set_major_formatter(plotting.us_formatter())
        a4.legend(fontsize=8, loc="lower left")
        for i, ax in enumerate((a1, a2, a3, a4)):
            ax.set_xlim(self.years[0], self.years[-1])
            ax.xaxis.set_major_formatter(year_fmt)
            a[f"cursor_{i}"] = ax.axvline(THEN_YEAR, color="black", linewidth=1.5)
        a["ipc_now"], = a1.plot([THEN_YEAR], [1.0], "o", markersize=13, mew=2.5, color=_COLORS["ipc"],
                                zorder=7)
        a["sc_now"], = a1.plot([THEN_YEAR], [1.0], "s", markersize=12, mew=2.5, color=_COLORS["syscall"],
                               zorder=7)
        a["miss_now"], = a3.plot([THEN_YEAR], [1.0], "D", markersize=12, mew=2.5, color=_COLORS["miss"],
                                 zorder=7)
        a["ipc_cycles_now"], = a2.plot([THEN_YEAR], [1.0], "o", markersize=13, mew=2.5,
                                       color=_COLORS["ipc"], zorder=7)
        a["ipc_dev_now"], = a4.plot([THEN_YEAR], [1.0], "o", markersize=11, mew=2.5,
                                    color=_COLORS["ipc"], zorder=7)
        for q, (label, _series) in DEVICES.items():
            a[f"{q}_now"], = a4.plot([THEN_YEAR], [1.0], _MARKERS[label], markersize=12, mew=2.5,
                                     color=_COLORS[label], zorder=7)
        a["text"] = fig.suptitle("\n", fontsize=11, bbox={"boxstyle": "round,pad=0.3", "fc": "white",
                                                              "ec": "0.7"})
        return a

    def update(self, values):
        y = _int_year(values)
        m = history.machine_of_year(y)
        a = self.artists
        for k in [k for k in a if k.startswith("cursor_")]:
            a[k].set_xdata([y, y])
        ipc_c = float(m["ipc_round_trip_us"].value * history.scott_clock_mhz(y))
        shown = [("ipc_now", "ipc_round_trip_us", None), ("sc_now", "syscall_us", None),
                 ("miss_now", "miss_penalty_cycles", None), ("ipc_cycles_now", "ipc_round_trip_us", ipc_c),
                 ("ipc_dev_now", "ipc_round_trip_us", None)]
        shown += [(f"{q}_now", q, None) for q in DEVICES]
        for key, q, value in shown:
            e = m[q]
            a[key].set_data([y], [e.value if value is None else value])
            color = a[key].get_color()
            a[key].set_markerfacecolor(color if e.basis == "measured" else "white")
            a[key].set_markeredgecolor("black" if e.basis == "measured" else color)
        lines = [f"{y}: IPC {format_us(m['ipc_round_trip_us'].value)} "
                 f"({_basis_phrase(m['ipc_round_trip_us'])}) ≈ {ipc_c:.0f} cycles at Scott's clock; "
                 f"system call {format_us(m['syscall_us'].value)} ({_basis_phrase(m['syscall_us'])})",
                 f"miss penalty {m['miss_penalty_cycles'].value:.3g} cycles "
                 f"({_basis_phrase(m['miss_penalty_cycles'])}); disk {format_us(m['disk_us'].value)}, "
                 f"SSD {format_us(m['ssd_us'].value)}, network {format_us(m['network_us'].value)}"]
        a["text"].set_text("\n".join(lines))
        return {"year": y, "machine": m, "ipc_cycles_at_scott_clock": ipc_c,
                "estimate_values": {q: m[q].value for q in MACHINE_QUANTITIES},
                "estimate_ids": {q: m[q].row_ids for q in MACHINE_QUANTITIES},
                "drawn_ids": dict(self.drawn_ids)}

    def describe(self, values, plotted):
        m, y = plotted["machine"], plotted["year"]
        ipc, mp = m["ipc_round_trip_us"], m["miss_penalty_cycles"]
        return (f"{y}: IPC round trip {format_us(ipc.value)} ({_basis_phrase(ipc)}), about "
                f"{plotted['ipc_cycles_at_scott_clock']:.0f} cycles at Scott's clock of the year; system "
                f"call {format_us(m['syscall_us'].value)}; miss penalty {mp.value:.3g} cycles "
                f"({_basis_phrase(mp)}); disk {format_us(m['disk_us'].value)}, SSD "
                f"{format_us(m['ssd_us'].value)}, network {format_us(m['network_us'].value)}.")


def year_regime_explorer(**kw) -> YearRegimeExplorer:
    """The year-slider regime map of notebook 07 (keyword arguments go to :class:`Explorer`)."""
    return YearRegimeExplorer(**kw)


def timeline_explorer(**kw) -> TimelineExplorer:
    """The timeline of notebook 07: IPC µs and cycles, miss penalty, devices, with a year cursor."""
    return TimelineExplorer(**kw)
