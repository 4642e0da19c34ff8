"""Explorers for notebook 07 ("Thirty years later: was Bershad right?").

* :func:`year_regime_explorer`: the regime map of notebook 05 (IPC overhead over IPC cost ×
  device time, with the threshold boundary) moved through time by a year slider. The machine
  and devices of each year come from :func:`ipcmodel.history.machine_of_year`: measured rows
  where they exist (filled markers, solid IPC line), fitted trends or Colin Scott's formulas
  elsewhere (hollow markers, dashed IPC line; dotted when extrapolated beyond the data).
* :func:`timeline_explorer`: the same years as four time series with a year cursor: IPC in µs
  and in cycles (did IPC ride the processor curve?), the miss penalty in cycles (the memory
  wall) and the device landscape.

An IPC is only ever compared with a system call of the same machine (a round trip enters the
kernel at least twice, so there it costs more than one system call): see
:func:`ipcmodel.history.same_machine_pairs`. A device class is drawn only from its first data
row (:func:`ipcmodel.history.device_shown`), so the 1992 map has no SSD.

Pure helpers (no widgets): :func:`year_state` (everything the map shows for one year, straight
from the model), :func:`landscape` (every cited device at the IPC of a year), :func:`year_range`
and :data:`LANDMARKS`.

Every drawn point carries the id of its data row (or ``"Scott:<function>"`` for a formula
value): see ``plotted()["..._ids"]``. Both explorers subclass
:class:`ipcmodel.explorers.core.Explorer` and follow its pattern: one figure built once, artists
updated in place, errors shown in the output area.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.patches import Rectangle
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from ipcmodel import history, plotting, service, units
from ipcmodel.explorers.core import ChoiceSpec, Explorer, SliderSpec
from ipcmodel.explorers.service import DEFAULT_THRESHOLD, SLIDERS, ipc_path_lines
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
    "LANDSCAPE_COLUMNS",
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
    ("the paper: Mach 3.0 on the DECstation 5000/200 (§2)", "b92-rpc-ds5000"),
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
_IMPOSSIBLE_GREY = "0.78"
IMPOSSIBLE_LABEL = "IPC cheaper than a system call:\nnot possible on one machine"


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
    is the clock that goes with the year's IPC (:func:`ipcmodel.history.clock_for_year`: the
    measured machine's own, else Scott's), used to turn the miss penalty into µs;
    ``ipc_path_locality_us`` is the cost of the paper's IPC path missing
    (:func:`ipcmodel.service.locality_us`); ``syscall_us`` is the crossing the IPC is compared
    with: the system call *of the IPC's own machine* (a same-machine pair, else the IPC ÷ the
    same-machine ratio), or 0 for the ``"bypass"`` baseline. ``devices`` holds only the device
    classes that existed in ``year``; ``hidden`` gives the reason for each one left out, and
    ``baseline_note`` says why a requested ``"bypass"`` was not applied (before its first row).
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
    hidden: dict = field(default_factory=dict)  # label -> reason
    baseline_note: str = ""

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
        Line size for counting those lines; default the DECstation 5000/200's (Chen & Bershad 1993),
        as in notebook 02.
    baseline : {"syscall", "bypass"}
        What the IPC route is compared with: ``"syscall"``, one system call on the same machine
        (a monolithic kernel, the paper's comparison); ``"bypass"``, no kernel crossing at all
        (kernel-bypass I/O, §5), so the overhead is the IPC's share of the whole access. Before
        the first kernel-bypass row (:func:`ipcmodel.history.bypass_first_year`) the system call
        is used instead, and ``baseline_note`` says so.
    """
    if baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {list(BASELINES)}; got {baseline!r}")
    y = int(round(float(units.check_in_range("year", year, "calendar year", *history.YEAR_RANGE))))
    m = history.machine_of_year(y)
    line = machine("ds5000").cache_line_bytes if cache_line_bytes is None else cache_line_bytes
    lines = float(ipc_path_lines(line))
    clock = float(history.clock_for_year(y))
    ipl = float(service.locality_us(lines, miss_fraction, m["miss_penalty_cycles"].value, clock))
    ipc = m["ipc_round_trip_us"].value
    note = ""
    first_bypass = history.bypass_first_year()
    if baseline == "bypass" and (first_bypass is None or y < first_bypass):
        baseline = "syscall"
        note = (f"kernel bypass has no data row before {first_bypass}, so the map compares with the "
                "system call")
    sc = m["syscall_us"].value if baseline == "syscall" else 0.0
    be = float(service.break_even_service_us(ipc, sc, threshold, 0.0, ipl))
    devices, hidden = {}, {}
    for q, (label, _series) in DEVICES.items():
        shown, why = history.device_shown(q, y)
        if not shown:
            hidden[label] = why
            continue
        d = m[q].value
        devices[label] = (d, float(service.ipc_overhead_fraction(ipc, sc, d, 0.0, ipl)), m[q])
    return YearState(y, m, ipc, sc, clock, lines, ipl, be, devices, baseline, hidden, note)


def landscape(year, threshold: float = DEFAULT_THRESHOLD, baseline: str = "syscall") -> list[dict]:
    """Every cited device time (:func:`ipcmodel.history.device_options`) at the machine of ``year``.

    Returns one dict per device, fastest first: ``name``, ``device_us``, ``cite``, ``year`` (of
    the device), ``shown`` (False for a device measured after ``year``, or for kernel bypass
    before its first row: nothing is compared across time backwards), ``overhead`` (the IPC
    overhead fraction with that year's IPC round trip, warm cache, against ``baseline``: see
    :func:`year_state`; None when not shown) and ``matters`` (overhead above ``threshold``).
    """
    s = year_state(year, threshold, baseline=baseline)
    ok_baseline = s.baseline == baseline
    out = []
    for name, dev, cite, dev_year in history.device_options():
        shown = ok_baseline and dev_year <= s.year
        o = float(service.ipc_overhead_fraction(s.ipc_us, s.syscall_us, dev)) if shown else None
        out.append({"name": name, "device_us": dev, "cite": cite, "year": dev_year, "shown": shown,
                    "overhead": o, "matters": shown and o > threshold})
    return sorted(out, key=lambda d: d["device_us"])


#: The columns of :func:`format_landscape`: (year, baseline).
LANDSCAPE_COLUMNS = ((THEN_YEAR, "syscall"), (NOW_YEAR, "syscall"), (NOW_YEAR, "bypass"))


def format_landscape(columns=LANDSCAPE_COLUMNS, threshold: float = DEFAULT_THRESHOLD) -> str:
    """A text table: every cited device, and the IPC overhead on it with the machine of each
    column's year, against a same-machine system call or against kernel bypass; ``*`` marks
    overheads above ``threshold``, ``—`` a device (or kernel bypass) that did not exist yet."""
    tables = {c: landscape(c[0], threshold, c[1]) for c in columns}
    heads = [f"{y} {'vs syscall' if b == 'syscall' else 'vs bypass'}" for y, b in columns]
    lines = [f"{'time':>9}  " + "  ".join(f"{h:>15}" for h in heads) + "  device"]
    for i, d in enumerate(tables[columns[0]]):
        cells = []
        for c in columns:
            e = tables[c][i]
            text = "—" if not e["shown"] else format_percent(e["overhead"]) + ("*" if e["matters"] else " ")
            cells.append(f"{text:>15}")
        lines.append(f"{format_us(d['device_us']):>9}  " + "  ".join(cells) + f"  {d['name']}")
    lines.append(f"(* above the {format_percent(threshold)} threshold; — not yet measured in that year; "
                 "warm caches)")
    for y in dict.fromkeys(y for y, _ in columns):
        s = year_state(y, threshold)
        ipc, sc = s.machine["ipc_round_trip_us"], s.machine["syscall_us"]
        lines.append(f"{y}: IPC {format_us(s.ipc_us)} ({ipc.note}); system call {format_us(s.syscall_us)} "
                     f"({sc.note})")
    lines.append("IPC and system call always come from the same machine: a round trip enters the kernel at "
                 "least twice, so it cannot be cheaper than one system call there.")
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


def _densify(points: np.ndarray, step_px: float = 3.0) -> np.ndarray:
    """A polyline in display pixels with extra points so that no segment is longer than ``step_px``."""
    pts = points[np.all(np.isfinite(points), axis=1)]
    if len(pts) < 2:
        return pts
    out = [pts[:1]]
    for p, q in zip(pts[:-1], pts[1:], strict=True):
        n = int(min(np.ceil(np.hypot(*(q - p)) / step_px), 2000))
        out.append(p + (q - p) * np.linspace(0, 1, max(n, 1) + 1)[1:, None])
    return np.concatenate(out)


class YearRegimeExplorer(_YearExplorer):
    """Notebook 07: the regime map of notebook 05, moved through 1989–today by a year slider."""

    x_us = np.logspace(-2, 3, 101)    # IPC cost grid, 0.01 µs .. 1 ms (20 cells a decade)
    y_us = np.logspace(-1, 6, 71)     # device time grid, 0.1 µs .. 1 s (10 cells a decade)
    xb_us = np.logspace(-2, 3, 400)   # finer grid for the threshold boundary
    figsize = (11.5, 5.8)
    label_fontsize = 11

    @property
    def controls(self):
        return (_year_spec(), SLIDERS["threshold"], SLIDERS["miss_fraction"], SLIDERS["cache_line_bytes"],
                ChoiceSpec("baseline", "Compare IPC with", "route",
                           tuple((label, key) for key, label in BASELINES.items()),
                           help="The paper compares IPC with a system call on the same machine; "
                                "kernel-bypass I/O crosses nothing"))

    @property
    def fixed_defaults(self):
        return {"year": float(THEN_YEAR), "threshold": DEFAULT_THRESHOLD, "miss_fraction": 0.0,
                "cache_line_bytes": float(machine("ds5000").cache_line_bytes), "baseline": "syscall"}

    def __init__(self, **kw):
        super().__init__(**kw)
        self.notes = [
            "Green vertical line: the IPC round trip of the year (solid: measured within ±1 year; "
            "dashed: a fitted trend; dotted: extrapolated). White curve with a black edge: the "
            "threshold boundary.",
            "The system call is always that of the IPC's own machine: a same-machine pair where one "
            "exists (the paper's DECstation 5000/200 in 1991–1993, L4Re in 2024–2025), otherwise the "
            "IPC ÷ the same-machine ratio of the pairs (an assumption, named in the reading).",
            "Grey hatched cells: the IPC (plus its missed lines) would be cheaper than the system call, "
            "which cannot happen on one machine, so no overhead is shown there (not a 0% overhead).",
            "A device appears only from the first year it has a data row (network 1992, SSD 2017; "
            "Scott's disk formula from 1990); kernel bypass only from its first row (2019).",
        ]
        self._show_reading()

    def build(self, fig):
        ax = fig.subplots()
        cmap = matplotlib.colormaps[plotting.SEQUENTIAL_CMAP]
        cmap = cmap.with_extremes(under=cmap(0.0), bad=(0.0, 0.0, 0.0, 0.0))  # masked: the grey below shows
        z = np.ma.masked_array(np.full((self.y_us.size, self.x_us.size), 0.01))
        a = {"ax": ax}
        a["map"] = ax.pcolormesh(self.x_us, self.y_us, z, shading="nearest", cmap=cmap,
                                 norm=LogNorm(1e-4, 1.0))
        fig.colorbar(a["map"], ax=ax, extend="min", format=plotting.percent_formatter(),
                     label="IPC overhead")
        # behind the map: grey hatch, seen only where the map is masked (IPC cheaper than a system call)
        ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor=_IMPOSSIBLE_GREY,
                               edgecolor="0.45", hatch="//", linewidth=0, zorder=0, label=IMPOSSIBLE_LABEL))
        dark = [withStroke(linewidth=5.0, foreground="black")]
        a["boundary"], = ax.plot(self.xb_us, np.ones_like(self.xb_us), color="white", linewidth=2.5,
                                 path_effects=dark, label="threshold boundary", zorder=4)
        a["ipc_line"] = ax.axvline(1.0, color=_COLORS["miss"], linewidth=3.0, zorder=5,
                                   path_effects=[withStroke(linewidth=5.5, foreground="black")],
                                   label="IPC round trip of the year")
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
            arrowprops={"arrowstyle": "-", "color": "0.15", "linewidth": 1.0, "patchA": None,
                        "shrinkA": 0, "shrinkB": 7},
            fontsize=self.label_fontsize, va="center",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.3", "alpha": 0.92})
        a["year_text"] = ax.text(0.02, 0.04, "", transform=ax.transAxes, fontsize=26, fontweight="bold",
                                 color="white", path_effects=dark, zorder=9)
        a["hidden_text"] = ax.text(1.27, 0.42, "", transform=ax.transAxes, fontsize=11, ha="left",
                                   va="top", color="0.15", zorder=9)
        ax.set(xscale="log", yscale="log", xlim=(self.x_us[0], self.x_us[-1]),
               ylim=(self.y_us[0], self.y_us[-1]))
        ax.grid(False)
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(plotting.us_formatter())
        plotting.decorate(ax, xlabel="IPC round trip", ylabel="Service / device time",
                          title="Where IPC cost matters, year by year (above the boundary it does not)",
                          legend=False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.25, 1.0), fontsize=11, frameon=False)
        return a

    def _place_labels(self, items, boundary):
        """Put each device label beside its marker where it covers neither the threshold boundary,
        the IPC line nor another label (candidate offsets tried in order, in display pixels)."""
        ax = self.artists["ax"]
        px = self.dpi / 72.0
        bx, by = self.xb_us, np.asarray(boundary, float)
        ok = by > 0
        curve = _densify(ax.transData.transform(np.column_stack([bx[ok], by[ok]]))) if ok.sum() > 1 \
            else np.empty((0, 2))
        box_ax = ax.bbox
        taken = []
        candidates = tuple((side * 14, dy, "left" if side > 0 else "right")
                           for dy in (0, 14, -14, 28, -28, 42, -42, 56, -56, 70, -70, 84, -84)
                           for side in (1, -1))
        for ann, (x, y, text) in items:
            w = (0.58 * self.label_fontsize * len(text) + 8) * px
            h = (1.5 * self.label_fontsize) * px
            x0, y0 = ax.transData.transform((x, y))
            chosen = fallback = None
            for dx, dy, ha in candidates:
                left = x0 + dx * px if ha == "left" else x0 + dx * px - w
                box = (left, y0 + dy * px - h / 2, left + w, y0 + dy * px + h / 2)
                inside = (box[0] >= box_ax.x0 and box[2] <= box_ax.x1 and box[1] >= box_ax.y0
                          and box[3] <= box_ax.y1)
                overlap = any(not (box[2] < t[0] or box[0] > t[2] or box[3] < t[1] or box[1] > t[3])
                              for t in taken)
                if not inside or overlap:
                    continue
                fallback = fallback or (dx, dy, ha, box)
                hits = bool(curve.size) and bool(np.any(
                    (curve[:, 0] >= box[0] - 3) & (curve[:, 0] <= box[2] + 3)
                    & (curve[:, 1] >= box[1] - 3) & (curve[:, 1] <= box[3] + 3)))
                if not hits:
                    chosen = (dx, dy, ha, box)
                    break
            dx, dy, ha, box = chosen or fallback or (14, 0, "left", None)
            ann.xyann = (dx, dy)
            ann.set_ha(ha)
            # the leader line leaves the box from its side nearest the marker, not from its centre
            # (matplotlib reads this from arrowprops["relpos"] once, at creation)
            ann._arrow_relpos = (0.0, 0.5) if ha == "left" else (1.0, 0.5)
            if box is not None:
                taken.append(box)

    def update(self, values):
        s = year_state(_int_year(values), values["threshold"], values["miss_fraction"],
                       values["cache_line_bytes"], values["baseline"])
        z = service.ipc_overhead_fraction(self.x_us[None, :], s.syscall_us, self.y_us[:, None], 0.0,
                                          s.ipc_path_locality_us)
        boundary = service.break_even_service_us(self.xb_us, s.syscall_us, values["threshold"], 0.0,
                                                 s.ipc_path_locality_us)
        a = self.artists
        # IPC (+ its missed lines) cheaper than the system call cannot happen on one machine: grey, not "0%"
        impossible = np.broadcast_to(self.x_us[None, :] + s.ipc_path_locality_us < s.syscall_us, z.shape)
        a["map"].set_array(np.ma.masked_array(z, mask=impossible))
        a["boundary"].set_ydata(boundary)
        e_ipc = s.machine["ipc_round_trip_us"]
        a["ipc_line"].set_xdata([s.ipc_us, s.ipc_us])
        a["ipc_line"].set_linestyle("-" if e_ipc.basis == "measured" else (":" if e_ipc.extrapolated else "--"))
        rows = [r for r in history.history_rows("ipc") if abs(r.year - s.year) <= 1]
        conv = [(r.id, history.round_trip_us(r).value) for r in rows
                if r.unit != "cycles" or r.clock_mhz is not None]
        rug_x = np.array([v for _, v in conv]) if conv else np.array([np.nan])
        a["ipc_rows"].set_data(rug_x, np.full(rug_x.size, 0.96))
        dev_x, dev_y, dev_ids, dev_measured, dev_over, items = [], [], [], [], [], []
        for (label, _series), ann in zip(DEVICES.values(), a["labels"], strict=True):
            art = a[f"dev_{label}"]
            if label not in s.devices:
                art.set_data([np.nan], [np.nan])
                ann.set_text("")
                ann.set_visible(False)  # else its leader line would still be drawn
                continue
            ann.set_visible(True)
            d, o, e = s.devices[label]
            measured = e.basis == "measured" and e_ipc.basis == "measured"
            art.set_data([s.ipc_us], [d])
            art.set_markerfacecolor(_COLORS[label] if measured else "white")
            art.set_markeredgecolor("black" if measured else _COLORS[label])
            art.set_linestyle("none")
            ann.xy = (s.ipc_us, d)
            text = f"{label} {format_us(d)}: {format_percent(o)}"
            ann.set_text(text)
            items.append((ann, (s.ipc_us, d, text)))
            dev_x.append(s.ipc_us)
            dev_y.append(d)
            dev_ids.append(e.row_ids)
            dev_measured.append(measured)
            dev_over.append(o)
        self._place_labels(items, boundary)
        shown_series = {series for label, series in DEVICES.values() if label in s.devices}
        rows_dev = [(r.id, history.round_trip_us(r).value) for series in ("ssd", "network")
                    if series in shown_series
                    for r in history.history_rows(series) if abs(r.year - s.year) <= 1]
        rx = np.full(len(rows_dev), s.ipc_us) if rows_dev else np.array([np.nan])
        ry = np.array([v for _, v in rows_dev]) if rows_dev else np.array([np.nan])
        a["dev_rows"].set_data(rx, ry)
        a["year_text"].set_text(f"{s.year}")
        a["hidden_text"].set_text("\n".join(f"No {label} marker:\n  {why}" for label, why in s.hidden.items()))
        return {"year": s.year, "ipc_us": self.x_us, "device_us": self.y_us, "overhead_map": z,
                "syscall_us": s.syscall_us, "ipc_path_locality_us": s.ipc_path_locality_us,
                "boundary_ipc_us": self.xb_us, "boundary_device_us": boundary,
                "break_even_us": s.break_even_us, "year_ipc_us": s.ipc_us,
                "year_ipc_ids": e_ipc.row_ids, "year_ipc_basis": e_ipc.basis,
                "year_syscall_ids": s.machine["syscall_us"].row_ids,
                "points_ipc_us": np.array(dev_x), "points_device_us": np.array(dev_y),
                "points_ids": dev_ids, "points_measured": np.array(dev_measured),
                "points_overhead": np.array(dev_over), "points_labels": list(s.devices),
                "hidden": dict(s.hidden),
                "ipc_rows_us": np.array([v for _, v in conv]), "ipc_rows_ids": [i for i, _ in conv],
                "device_rows_us": np.array([v for _, v in rows_dev]),
                "device_rows_ids": [i for i, _ in rows_dev], "state": s}

    def describe(self, values, plotted):
        s = plotted["state"]
        e = s.machine["ipc_round_trip_us"]
        th = values["threshold"]
        head = f"{s.year}: IPC round trip {format_us(s.ipc_us)} ({_basis_phrase(e)}: {e.note})"
        if s.ipc_path_locality_us > 0:
            head += f" plus {format_us(s.ipc_path_locality_us)} of IPC-path cache misses"
        if s.baseline == "syscall":
            sc = s.machine["syscall_us"]
            head += f", against a system call of {format_us(s.syscall_us)} ({sc.note})"
        else:
            head += ", against no kernel crossing at all (kernel bypass)"
        if s.baseline_note:
            head += f" ({s.baseline_note})"
        if s.ipc_us + s.ipc_path_locality_us <= s.syscall_us:
            head += ". IPC is no slower than the system call this year: no overhead on any device."
        elif s.break_even_us == 0:
            head += f". IPC overhead stays within {format_percent(th)} for every device."
        else:
            head += f". IPC overhead stays within {format_percent(th)} for devices of {format_us(s.break_even_us)} or slower."
        devs = "; ".join(f"{label} {format_us(d)} ({_basis_phrase(est)}): {format_percent(o)}"
                         for label, (d, o, est) in s.devices.items())
        out = f"{head} Overhead on the devices of the year: {devs}." if devs else f"{head} No device data yet."
        if s.hidden:
            out += " Not shown: " + "; ".join(f"{label} ({why})" for label, why in s.hidden.items()) + "."
        return out


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
        super().__init__(**kw)
        self.notes = [
            "Small markers: data rows (one per row). Solid lines: fitted trends inside the years of their "
            "data, dashed outside; thin lines: Scott's formulas, drawn only inside the page's years "
            f"({history.SCOTT_YEAR_RANGE[0]}–{history.SCOTT_YEAR_RANGE[1]}; the SSD formula only from the "
            "first SSD row).",
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
        self._show_reading()

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

    def _legend(self, ax, loc):
        ax.legend(fontsize=self.legend_fontsize, loc=loc, frameon=True, framealpha=0.9, edgecolor="0.8",
                  handlelength=1.6, borderaxespad=0.3)

    def build(self, fig):
        (a1, a2), (a3, a4) = fig.subplots(2, 2)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.06, top=0.86, hspace=0.32, wspace=0.22)
        a = {}
        self.drawn_ids = {}
        year_fmt = FuncFormatter(lambda v, _p: f"{v:.0f}")
        scott_years = np.asarray(history.scott_in_range(self.years))
        # (1) IPC and system call in µs
        self._ipc_us_trend(a1, self.fits[("ipc", "us")], self.fits[("ipc", "cycles")], _COLORS["ipc"])
        c0 = self.paper_cycles[0]
        a1.plot(self.years, np.where(scott_years, c0 / np.asarray(history.scott_clock_mhz(self.years)), np.nan),
                ":", color="0.2", linewidth=2.2, label=f"{THEN_YEAR} IPC cycles ÷ Scott's clock")
        self.drawn_ids["ipc_us"] = self._points(a1, "ipc", "us", _COLORS["ipc"], "o", "IPC rows")
        self.drawn_ids["syscall_us"] = self._points(a1, "syscall", "us", _COLORS["syscall"], "s",
                                                    "system calls (many machines)")
        plotting.decorate(a1, yscale="log", ylabel="Time", title="IPC round trip (µs)", legend=False,
                          ylim=(0.01, 3000))
        a1.yaxis.set_major_formatter(plotting.us_formatter())
        self._legend(a1, "upper right")
        # (2) IPC in cycles
        fc = self.fits[("ipc", "cycles")]
        self._trend(a2, fc, _COLORS["ipc"], "IPC trend (cycles)")
        self.drawn_ids["ipc_cycles"] = self._points(a2, "ipc", "cycles", _COLORS["ipc"], "o", "IPC rows")
        a2.axhline(c0, color="0.2", linestyle=":", linewidth=2.2, label=f"the paper's {c0:.0f} ({THEN_YEAR})")
        plotting.decorate(a2, yscale="log", ylabel="Cycles", title="IPC round trip (processor cycles)",
                          legend=False)
        a2.set_ylim(10, 1e5)
        self._legend(a2, "upper right")
        # (3) the memory wall
        self._scott(a3, history.scott_miss_penalty_cycles, _COLORS["miss"], "memory ÷ cycle (Scott)")
        self.drawn_ids["miss_cycles"] = self._points(a3, "miss_penalty", "cycles", _COLORS["miss"], "D",
                                                     "measured (1992–93)")
        for y, word in ((10.0, "tens (§3)"), (100.0, "hundreds (§3)")):
            a3.axhline(y, color="0.5", linewidth=0.8, linestyle="-.")
            a3.text(self.years[-1] - 0.5, y * 1.12, word, fontsize=11, color="0.25", ha="right", va="bottom")
        plotting.decorate(a3, yscale="log", ylabel="Cycles", title="Cache miss penalty (cycles)", legend=False,
                          ylim=(1, 600))
        self._legend(a3, "lower right")
        # (4) devices vs IPC
        self._scott(a4, lambda y: np.asarray(history.scott_disk_seek_ns(y)) / 1000.0, _COLORS["disk"],
                    "disk (Scott)")
        self._scott(a4, lambda y: np.asarray(history.scott_ssd_read_ns(y)) / 1000.0, _COLORS["SSD"],
                    "SSD (Scott)", first_year=history.device_first_year("ssd_us"))
        self.drawn_ids["ssd_us"] = self._points(a4, "ssd", "us", _COLORS["SSD"], "s", "SSD rows")
        self.drawn_ids["network_us"] = self._points(a4, "network", "us", _COLORS["network"], "^",
                                                    "network rows")
        self._ipc_us_trend(a4, self.fits[("ipc", "us")], self.fits[("ipc", "cycles")], _COLORS["ipc"])
        plotting.decorate(a4, yscale="log", ylabel="Time", title="Devices and IPC (µs)", legend=False,
                          ylim=(0.01, 1e5))
        a4.yaxis.set_major_formatter(plotting.us_formatter())
        self._legend(a4, "lower left")
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
        for q, (label, _series) in DEVICES.items():
            a[f"{q}_now"], = a4.plot([THEN_YEAR], [1.0], _MARKERS[label], markersize=13, mew=2.5,
                                     color=_COLORS[label], zorder=7)
        a["text"] = fig.suptitle("\n", fontsize=12, y=0.985,
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
        shown += [(f"{q}_now", q, None) for q in DEVICES]
        hidden = {q: history.device_shown(q, y)[1] for q in DEVICES if not history.device_shown(q, y)[0]}
        for key, q, value in shown:
            e = m[q]
            invisible = q in hidden or (e.basis == "formula" and e.extrapolated)
            a[key].set_data([y], [np.nan if invisible else (e.value if value is None else value)])
            color = a[key].get_color()
            a[key].set_markerfacecolor(color if e.basis == "measured" else "white")
            a[key].set_markeredgecolor("black" if e.basis == "measured" else color)
        ipc, sc = m["ipc_round_trip_us"], m["syscall_us"]
        devs = [f"{DEVICES[q][0]} {format_us(m[q].value)}" for q in DEVICES if q not in hidden]
        devs += [f"no {DEVICES[q][0]} yet" for q in hidden]
        lines = [f"{y}: IPC {format_us(ipc.value)} ({_basis_phrase(ipc)}) = {ipc_c:.0f} cycles {how}; "
                 f"system call {format_us(sc.value)} (same machine, {_basis_phrase(sc)})",
                 f"miss penalty {m['miss_penalty_cycles'].value:.3g} cycles "
                 f"({_basis_phrase(m['miss_penalty_cycles'])}); " + ", ".join(devs)]
        a["text"].set_text("\n".join(lines))
        return {"year": y, "machine": m, "ipc_cycles": ipc_c, "ipc_cycles_how": how,
                "hidden": hidden,
                "estimate_values": {q: m[q].value for q in MACHINE_QUANTITIES},
                "estimate_ids": {q: m[q].row_ids for q in MACHINE_QUANTITIES},
                "drawn_ids": dict(self.drawn_ids)}

    def describe(self, values, plotted):
        m, y = plotted["machine"], plotted["year"]
        ipc, mp = m["ipc_round_trip_us"], m["miss_penalty_cycles"]
        devs = "; ".join(f"{DEVICES[q][0]} {format_us(m[q].value)}" for q in DEVICES if q not in plotted["hidden"])
        return (f"{y}: IPC round trip {format_us(ipc.value)} ({_basis_phrase(ipc)}), "
                f"{plotted['ipc_cycles']:.0f} cycles {plotted['ipc_cycles_how']}; system call on the same "
                f"machine {format_us(m['syscall_us'].value)}; miss penalty {mp.value:.3g} cycles "
                f"({_basis_phrase(mp)}); devices of the year: {devs or 'none measured yet'}.")


def year_regime_explorer(**kw) -> YearRegimeExplorer:
    """The year-slider regime map of notebook 07 (keyword arguments go to :class:`Explorer`)."""
    return YearRegimeExplorer(**kw)


def timeline_explorer(**kw) -> TimelineExplorer:
    """The timeline of notebook 07: IPC µs and cycles, miss penalty, devices, with a year cursor."""
    return TimelineExplorer(**kw)
