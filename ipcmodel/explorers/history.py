"""Explorers for notebook 07 ("Thirty years later: was Bershad right?").

* :func:`year_regime_explorer`: the regime map of notebook 05 (IPC overhead over IPC cost ×
  device time, with the threshold boundary) moved through time by a year slider. The IPC and
  system call of each year come from :func:`ipcmodel.history.machine_of_year` (measured rows
  where they exist: solid IPC line; a fitted trend elsewhere: dashed, dotted when extrapolated),
  the devices from :func:`ipcmodel.explorers.history_years.year_devices`: measured rows only,
  never a formula value, the kernel network and the kernel-bypass RPC kept apart. A "Server
  runs" menu puts the server on another core or socket (:mod:`ipcmodel.history.multicore`), and
  the processor class the year's IPC comes from is named beside the legend and in the reading.
* :func:`timeline_explorer`: the same years as four time series with a year cursor: IPC in µs
  and in cycles (did IPC ride the processor curve?), the miss penalty in cycles (the memory
  wall) and the measured devices. It lives in :mod:`ipcmodel.explorers.history_timeline` (with
  the year slider both share) and is imported here, so notebook 07 imports both from this module.

An IPC is only ever compared with a system call of the same machine (a round trip enters the
kernel at least twice, so there it costs more than one system call): see
:func:`ipcmodel.history.same_machine_pairs`. A device kind is drawn only where a measured row
stands for the year (:func:`ipcmodel.history.devices.device_of_year`), so the 1992 map has
only the network.

The model behind both is in :mod:`ipcmodel.history` (:func:`~ipcmodel.history.year_state`:
the IPC, system call and cache terms of one year; :func:`~ipcmodel.history.year_range`); the
landmark years of the preset menu are :data:`LANDMARKS`.

Every drawn point carries the id of its data row (or ``"Scott:<function>"`` for a formula
value, the miss penalty only): see ``plotted()["..._ids"]``. Both explorers subclass
:class:`ipcmodel.explorers.core.Explorer` and follow its pattern: one figure built once, artists
updated in place, errors shown in the output area.
"""

from __future__ import annotations

import dataclasses

import matplotlib
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.patches import Rectangle
from matplotlib.patheffects import withStroke
from matplotlib.transforms import blended_transform_factory

from ipcmodel import history, plotting, service
from ipcmodel.explorers import locality
from ipcmodel.explorers.core import ChoiceSpec, Explorer
from ipcmodel.explorers.history_timeline import (
    _COLORS,
    LANDMARKS,
    TimelineExplorer,
    _basis_phrase,
    _int_year,
    _year_spec,
    _YearExplorer,
    timeline_explorer,
)
from ipcmodel.explorers.history_years import (
    _DEVICE_COLORS,
    _DEVICE_MARKERS,
    BYPASS_LABEL,
    YEAR_DEVICES,
    device_note,
    device_text,
    overhead_text,
    year_devices,
    year_ipc_source,
)
from ipcmodel.explorers.service import SLIDERS
from ipcmodel.history import multicore
from ipcmodel.history.devices import devices_heading
from ipcmodel.history.rows import THEN_YEAR
from ipcmodel.history.years import BASELINES, year_state
from ipcmodel.machines import machine
from ipcmodel.plotting import format_percent, format_us
from ipcmodel.service import DEFAULT_THRESHOLD

__all__ = [
    "LANDMARKS",
    "YearRegimeExplorer",
    "TimelineExplorer",
    "year_regime_explorer",
    "timeline_explorer",
]

_IMPOSSIBLE_GREY = "0.78"
IMPOSSIBLE_LABEL = "IPC cheaper than a system call:\nnot possible on one machine"


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


def _placement_options() -> tuple:
    """(label, placement) pairs for the "Server runs" menu: same core, then across cores and sockets
    of the cited CPU (:func:`ipcmodel.history.multicore.cross_core_added_us`, its default CPU)."""
    out = [("on the same core (the paper's case)", "same-core")]
    for placement, what in (("cross-core", "on another core"), ("cross-socket", "on another socket")):
        out.append((f"{what}: +{format_us(multicore.cross_core_added_us(placement))} per round trip",
                    placement))
    return tuple(out)


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
                *(SLIDERS[n] for n in (*locality.CROSSING_CONTROLS, *locality.SERVICE_CONTROLS)),
                ChoiceSpec("baseline", "Compare IPC with", "route",
                           tuple((label, key) for key, label in BASELINES.items()),
                           help="The paper compares IPC with a system call on the same machine; "
                                "kernel-bypass I/O crosses nothing"),
                ChoiceSpec("ipc_placement", "Server runs", "placement", _placement_options(),
                           help="Same core (the paper's uniprocessors) or another core/socket: the request "
                                "and reply each cross the cache-coherence fabric (history.multicore)"))

    @property
    def fixed_defaults(self):
        line = float(machine("ds5000").cache_line_bytes)
        return {"year": float(THEN_YEAR), "threshold": DEFAULT_THRESHOLD, "miss_fraction": 0.0,
                "cache_line_bytes": line, "baseline": "syscall", "crossings_per_use": 1.0,
                "service_lines": locality.service_lines_default(line), "service_miss_fraction": 0.0,
                "ipc_placement": "same-core"}

    def extra_presets(self):
        """The landmark years, then the papers' crossing cases and the two localities
        (:func:`ipcmodel.explorers.locality.presets`)."""
        return [*super().extra_presets(),
                *locality.presets(self._specs, float(machine("ds5000").cache_line_bytes))]

    def preset_reading(self, label, outside):
        if label.split(":")[0].isdigit():
            return super().preset_reading(label, outside)
        return Explorer.preset_reading(self, label, outside)

    def _cache_values(self, values, s):
        """``values`` with the year's miss penalty and clock, for :mod:`~ipcmodel.explorers.locality`."""
        return {**values, "miss_penalty_cycles": s.machine["miss_penalty_cycles"].value,
                "clock_mhz": s.clock_mhz}

    def reading_notes(self):
        return [
            "Green vertical line: the IPC round trip of the year (solid: measured within ±1 year; "
            "dashed: a fitted trend; dotted: extrapolated). White curve with a black edge: the "
            "threshold boundary.",
            "The system call is always that of the IPC's own machine: a same-machine pair where one "
            "exists (the paper's DECstation 5000/200 in 1991–1993, L4Re in 2024–2025), otherwise the "
            "IPC ÷ the same-machine ratio of the pairs (an assumption, named in the reading).",
            "Server runs on another core or socket: the IPC line moves right by two one-way core-to-core "
            "transfers of the cited 2021 server processor (history.multicore), applied to any year as a "
            "what-if (the paper's machines had one processor).",
            "Grey hatched cells: the IPC (plus its missed lines) would be cheaper than the system call, "
            "which cannot happen on one machine, so no overhead is shown there (not a 0% overhead).",
            "Devices are measured rows only, never a formula value (history.devices.device_of_year): a row "
            "stands for the years up to history.devices.DEVICE_WINDOW_YEARS after it and is labelled with "
            "its own year; the network through the kernel and the kernel-bypass RPC (eRPC: a replication "
            "latency, an upper bound of one round trip) are separate devices. Kernel bypass as a baseline "
            "only from its first row.",
        ]

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
        for name in YEAR_DEVICES.values():
            a[f"dev_{name}"], = ax.plot([1.0], [1.0], _DEVICE_MARKERS[name], color=_DEVICE_COLORS[name],
                                        mec="black", mew=1.5, markersize=11, zorder=8, linestyle="none",
                                        label=f"{name} of the year (measured)")
        a["dev_rows"], = ax.plot([1.0], [1.0], "*", color="white", mec="black", markersize=12,
                                 zorder=7, linestyle="none", label="device rows behind the markers")
        n = len(YEAR_DEVICES)
        a["labels"] = plotting.annotate_points(
            ax, [1.0] * n, [1.0] * n, [""] * n, offsets=[(12, 6 - 10 * k) for k in range(n)], zorder=9,
            arrowprops={"arrowstyle": "-", "color": "0.15", "linewidth": 1.0, "patchA": None,
                        "shrinkA": 0, "shrinkB": 7},
            fontsize=self.label_fontsize, va="center",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.3", "alpha": 0.92})
        a["year_text"] = ax.text(0.02, 0.04, "", transform=ax.transAxes, fontsize=26, fontweight="bold",
                                 color="white", path_effects=dark, zorder=9)
        a["class_text"] = ax.text(1.29, 0.44, "", transform=ax.transAxes, fontsize=11, ha="left",
                                  va="top", color="0.15", fontweight="bold", zorder=9)
        a["hidden_text"] = ax.text(1.29, 0.3, "", transform=ax.transAxes, fontsize=11, ha="left",
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
                       values["cache_line_bytes"], values["baseline"], values["crossings_per_use"],
                       values["service_lines"], values["service_miss_fraction"])
        terms = {"service_locality_us": s.service_locality_us,
                 "ipc_path_locality_us": s.ipc_path_locality_us, "crossings_per_use": s.crossings_per_use}
        added = multicore.cross_core_added_us(values["ipc_placement"])
        if added:  # the server on another core: two one-way coherence transfers on every round trip
            ipc = s.ipc_us + added
            s = dataclasses.replace(s, ipc_us=ipc, break_even_us=float(service.break_even_service_us(
                ipc, s.syscall_us, values["threshold"], **terms)))
        z = service.ipc_overhead_fraction(self.x_us[None, :], s.syscall_us, self.y_us[:, None], **terms)
        boundary = service.break_even_service_us(self.xb_us, s.syscall_us, values["threshold"], **terms)
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
        shown, left_out = year_devices(s)
        for label, ann in zip(YEAR_DEVICES.values(), a["labels"], strict=True):
            art = a[f"dev_{label}"]
            if label not in shown:
                art.set_data([np.nan], [np.nan])
                ann.set_text("")
                ann.set_visible(False)  # else its leader line would still be drawn
                continue
            ann.set_visible(True)
            d, o, dev = shown[label]
            measured = dev.measured_year == s.year and e_ipc.basis == "measured"
            art.set_data([s.ipc_us], [d])
            # filled: device and IPC both measured in this very year; hollow: either stands in
            art.set_markerfacecolor(_DEVICE_COLORS[label] if measured else "white")
            art.set_markeredgecolor("black" if measured else _DEVICE_COLORS[label])
            art.set_linestyle("none")
            ann.xy = (s.ipc_us, d)
            no_share = label == BYPASS_LABEL and s.baseline == "syscall"  # no system call on its path
            text = f"{device_text(label, dev)} {format_us(d)}" + ("" if no_share else f": {format_percent(o)}")
            ann.set_text(text)
            items.append((ann, (s.ipc_us, d, text)))
            dev_x.append(s.ipc_us)
            dev_y.append(d)
            dev_ids.append(dev.row_ids)
            dev_measured.append(measured)
            dev_over.append(o)
        self._place_labels(items, boundary)
        shown_ids = {i for _d, _o, dev in shown.values() for i in dev.row_ids}
        rows_dev = [(r.id, history.round_trip_us(r).value) for series in ("ssd", "network")
                    for r in history.history_rows(series) if r.id in shown_ids]
        rx = np.full(len(rows_dev), s.ipc_us) if rows_dev else np.array([np.nan])
        ry = np.array([v for _, v in rows_dev]) if rows_dev else np.array([np.nan])
        a["dev_rows"].set_data(rx, ry)
        a["year_text"].set_text(f"{s.year}")
        src = year_ipc_source(s.year)
        a["class_text"].set_text(f"IPC of {s.year}:\n  {src.short()}")
        a["hidden_text"].set_text("\n".join(f"No {label} marker" for label in left_out))
        return {"year": s.year, "ipc_us": self.x_us, "device_us": self.y_us, "overhead_map": z,
                "syscall_us": s.syscall_us, "ipc_path_locality_us": s.ipc_path_locality_us,
                "crossings_per_use": s.crossings_per_use, "service_locality_us": s.service_locality_us,
                "boundary_ipc_us": self.xb_us, "boundary_device_us": boundary,
                "break_even_us": s.break_even_us, "year_ipc_us": s.ipc_us,
                "year_ipc_ids": e_ipc.row_ids, "year_ipc_basis": e_ipc.basis,
                "year_syscall_ids": s.machine["syscall_us"].row_ids,
                "points_ipc_us": np.array(dev_x), "points_device_us": np.array(dev_y),
                "points_ids": dev_ids, "points_measured": np.array(dev_measured),
                "points_overhead": np.array(dev_over), "points_labels": list(shown),
                "hidden": dict(left_out), "devices": shown,
                "ipc_rows_us": np.array([v for _, v in conv]), "ipc_rows_ids": [i for i, _ in conv],
                "device_rows_us": np.array([v for _, v in rows_dev]),
                "device_rows_ids": [i for i, _ in rows_dev], "state": s, "source": src,
                "cross_core_us": added}

    def describe(self, values, plotted):
        s = plotted["state"]
        e = s.machine["ipc_round_trip_us"]
        th = values["threshold"]
        head = (f"{s.year}: IPC round trip {format_us(s.ipc_us)} ({_basis_phrase(e)}: {e.note}; from "
                f"{plotted['source'].phrase()})")
        if plotted["cross_core_us"]:
            head += (f", including {format_us(plotted['cross_core_us'])} for a server "
                     f"{'on another core' if values['ipc_placement'] == 'cross-core' else 'on another socket'}"
                     " (two one-way core-to-core transfers [C2Clatency22]: a floor, the wake-up of a sleeping "
                     "server is extra)")
        if s.ipc_path_locality_us > 0:
            head += f" plus {format_us(s.ipc_path_locality_us)} of IPC-path cache misses"
            head += " per crossing" if s.crossings_per_use != 1 else ""
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
        devs = "; ".join(f"{device_text(label, dev)} {format_us(d)} ({device_note(label, dev)}): "
                         f"{overhead_text(label, o, s)}"
                         for label, (d, o, dev) in plotted["devices"].items())
        heading = devices_heading(dev for _d, _o, dev in plotted["devices"].values())
        out = (f"{head} Overhead on the {heading} of the year: {devs}." if devs
               else f"{head} No measured device stands for this year.")
        if plotted["hidden"]:
            out += " Not shown: " + "; ".join(f"{label} ({why})" for label, why in plotted["hidden"].items()) + "."
        if s.crossings_per_use != 1 or s.service_locality_us > 0:  # the paper's case reads as before
            out += " Per service use: " + locality.cache_phrase(self._cache_values(values, s))
        return out


def year_regime_explorer(**kw) -> YearRegimeExplorer:
    """The year-slider regime map of notebook 07 (keyword arguments go to :class:`Explorer`)."""
    return YearRegimeExplorer(**kw)
