"""Explorers of notebooks 00 and 05: time to use a service = crossing + locality + service.

* :func:`master_explorer` (notebook 00): time to use a service = crossing + locality + service;
  the IPC overhead against the service's time, and the components as stacked bars. A slider
  sets the microkernel's service misses as a multiple of the monolithic kernel's
  (:func:`ipcmodel.service.ipc_overhead_fraction`'s ``micro_service_locality_factor``): 1 is
  the paper's assumption, above 1 Chen & Bershad's (1993) objection.
* :func:`regime_map_explorer` (notebook 05): the IPC overhead over IPC cost × device time,
  with the threshold boundary and the machines of the paper as labelled points; a dropdown puts
  the server on another core (:mod:`ipcmodel.history.multicore`: each round trip then adds at
  least two cited one-way core-to-core transfers, and the reading states the consequence).

Both are registered in :mod:`ipcmodel.explorers` (``create("master")``,
``create("regime_map")``); how to add an explorer is in that package's docstring. The controls
shared by the explorers (:data:`SLIDERS`) live here; the cited device times and the IPC path's
lines come from :mod:`ipcmodel.paper` (:func:`~ipcmodel.paper.cited_devices`,
:func:`~ipcmodel.paper.ipc_path_lines`).
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.patches import Rectangle
from matplotlib.patheffects import withStroke
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from ipcmodel import paper, plotting, service
from ipcmodel.explorers import locality
from ipcmodel.explorers.core import ChoiceSpec, Explorer, SliderSpec
from ipcmodel.history import multicore
from ipcmodel.machines import PAPER_MACHINES, load_machines
from ipcmodel.plotting import OKABE_ITO, format_percent, format_us
from ipcmodel.service import DEFAULT_THRESHOLD

__all__ = [
    "Explorer",
    "SliderSpec",
    "ChoiceSpec",
    "SLIDERS",
    "MasterExplorer",
    "RegimeMapExplorer",
    "master_explorer",
    "regime_map_explorer",
]

#: Controls shared by the explorers (a quantity has one name, label, unit and range everywhere).
SLIDERS = {s.name: s for s in (
    SliderSpec("ipc_us", "IPC round trip", "µs", 0.1, 1000.0, log=True,
               help="Round-trip cross-address-space RPC, warm cache (Bershad 1992, §2)"),
    SliderSpec("syscall_us", "System call", "µs", 0.05, 100.0, log=True,
               help="One system call into a monolithic kernel (§2.1)"),
    SliderSpec("device_us", "Service / device time", "µs", 0.1, 1e5, log=True,
               help="The service's own time: a disk access, a network round trip, a copy (§2)"),
    SliderSpec("miss_penalty_cycles", "Cache miss penalty", "cycles", 1.0, 2000.0, log=True,
               help="Cycles to service one cache miss (§3); up to 2000 so a measured modern penalty fits (notebook 06)"),
    SliderSpec("clock_mhz", "Clock", "MHz", 1.0, 5000.0, log=True, help="Processor clock"),
    SliderSpec("cache_line_bytes", "Cache line", "bytes", 4.0, 256.0, log=True, base=2, step=1,
               help="Bytes per cache line: sets how many lines the IPC path's 4 KB + 2 KB fill"),
    SliderSpec("miss_fraction", "IPC-path lines that miss", "fraction", 0.0, 1.0, step=0.01,
               fmt=".2f", help="Per crossing. 0 = warm cache, or the path kept resident by placement "
               "(§3); 1 = cold, the worst case (the objection §3 answers)"),
    SliderSpec("service_lines", "Service's own working set", "lines", 0.0, 8192.0, step=16.0,
               fmt=".0f", help="Cache lines the service's own code and data touch per use; its misses "
               "are paid by the monolithic kernel too (§3)"),
    SliderSpec("service_miss_fraction", "Service lines that miss", "fraction", 0.0, 1.0, step=0.01,
               fmt=".2f", help="0 = the service is cache-resident, 1 = every line of it misses (§3: "
               "what dominates the cost of using a service)"),
    SliderSpec("micro_service_locality_factor", "Microkernel's service misses", "× monolithic's",
               0.0, service.MICRO_SERVICE_LOCALITY_FACTOR_MAX, step=0.05, fmt=".2f",
               help="The microkernel's misses on the service's code and data as a multiple of the "
               "monolithic kernel's: 1 = the same (the paper's assumption); Chen & Bershad (1993) "
               "found Mach's memory penalty per system instruction 1-3× Ultrix's"),
    SliderSpec("crossings_per_use", "Crossings per use", "crossings", 0.25, 16.0, log=True, base=2,
               step=0.05, fmt=".3g", help="Kernel crossings one service use needs: 1/3 for §5's "
               "emulation library; a UDP round trip makes 4 socket accesses, 8 crossings with "
               "Maeda & Bershad's driver crossings"),
    SliderSpec("threshold", "Overhead threshold", "fraction", 0.01, 0.5, step=0.01, fmt=".2f",
               help="The share of the time you are willing to lose to IPC: your yardstick"),
)}

_PARTS = ("crossing", "ipc_path", "service_misses", "service")

#: the controls notebooks 00 and 05 add for §3's two localities and the crossings per use
_CACHE_CONTROLS = (*locality.CROSSING_CONTROLS, *locality.SERVICE_CONTROLS)
#: cache line (bytes) the service's starting working set is sized for (the DS5000/200's, §3)
_START_LINE_BYTES = 16.0


def _cache_defaults() -> dict:
    """Starting values of the cache and crossing controls: one crossing, the service resident,
    so the starting outputs are those of the per-access model without them."""
    return {"crossings_per_use": 1.0, "service_miss_fraction": 0.0,
            "service_lines": locality.service_lines_default(_START_LINE_BYTES)}


def _terms(values):
    """(ipc-path lines, IPC-path µs per crossing, service's own µs per use (the monolithic
    kernel's), crossings, all terms)."""
    t = locality.cache_terms(values)
    return (t["ipc_path_lines"], t["ipc_path_locality_us"], t["service_locality_us"],
            values["crossings_per_use"], t)


def _a(text: str) -> str:
    """``"a 57 µs"`` / ``"an 8 µs"``: the article for a number as read aloud."""
    digits = text.split()[0].split(".")[0]
    an = digits.startswith("8") or (digits[:2] in ("11", "18") and len(digits) % 3 == 2)
    return ("an " if an else "a ") + text


def _per_crossing(c: float) -> str:
    """``""`` for one crossing per use, else ``" per crossing, 8 crossings per use"``."""
    return "" if c == 1 else f" per crossing, {c:.3g} crossings per use"


class MasterExplorer(Explorer):
    """Notebook 00: crossing + locality + service time, monolithic vs microkernel."""

    controls = tuple(SLIDERS[n] for n in ("ipc_us", "syscall_us", "device_us", "threshold",
                                          "clock_mhz", "miss_penalty_cycles", "cache_line_bytes",
                                          "miss_fraction", *_CACHE_CONTROLS,
                                          *locality.MICRO_SERVICE_CONTROLS))
    x_us = np.logspace(-1, 6, 400)  # 0.1 µs .. 1 s

    @property
    def fixed_defaults(self):
        devices, _ = paper.cited_devices()
        return {"device_us": devices[0].device_us, "miss_fraction": 0.0,
                "threshold": DEFAULT_THRESHOLD, "micro_service_locality_factor": 1.0,
                **_cache_defaults()}

    def extra_presets(self):
        return [locality.udp_upper_bound_preset(p) if p.label.startswith("Crossings: UDP") else p
                for p in locality.presets(tuple(self._specs), _START_LINE_BYTES)]

    def machine_preset_sources(self):
        return locality.unpublished_cache_sources()

    def idle_controls(self, values):
        return locality.idle_cache_controls(values)

    def build(self, fig):
        ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
        x = self.x_us
        a = {"ax": ax, "bx": bx}
        a["curve"], = ax.plot(x, np.full_like(x, 0.5), label="IPC overhead")
        a["threshold_line"] = plotting.threshold_line(ax, DEFAULT_THRESHOLD, label="threshold")
        a["device_line"] = ax.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        a["device_point"], = ax.plot([1.0], [0.5], "o", color=OKABE_ITO["orange"], zorder=5,
                                     label="your service")
        a["break_even_line"] = ax.axvline(1.0, color=OKABE_ITO["bluish_green"], linestyle="-.",
                                          linewidth=1.8, label="break-even")
        nudge = ScaledTranslation(-4 / 72, 0, fig.dpi_scale_trans)  # 4 points left of the line
        a["break_even_text"] = ax.text(1.0, 0.97, "", rotation=90, ha="right", va="top", fontsize=11,
                                       transform=blended_transform_factory(ax.transData, ax.transAxes)
                                       + nudge)
        ax.set(xscale="log", yscale="log", xlim=(x[0], x[-1]), ylim=(1e-5, 1.0))
        ax.xaxis.set_major_formatter(plotting.us_formatter())
        ax.yaxis.set_major_formatter(plotting.percent_formatter())
        plotting.decorate(ax, xlabel="Service / device time", ylabel="IPC overhead",
                          title="Share of the time IPC adds", legend=False)
        ax.legend(loc="upper center", ncols=2, fontsize=10, bbox_to_anchor=(0.5, -0.2))
        colors = (OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"],
                  OKABE_ITO["sky_blue"])
        names = ("crossings (system calls / IPCs)", "IPC-path cache misses",
                 "the service's own misses (both pay; the microkernel × factor)", "the service itself")
        for key, color, name in zip(_PARTS, colors, names, strict=True):
            a[f"bars_{key}"] = bx.barh([1, 0], [0.0, 0.0], left=[0.0, 0.0], color=color, label=name,
                                       height=0.6)
        a["total_mono"] = bx.text(0, 1, "", va="center", fontsize=11)
        a["total_micro"] = bx.text(0, 0, "", va="center", fontsize=11)
        bx.set_yticks([1, 0], ["monolithic", "microkernel"])
        bx.set(xlim=(0, 1.45), ylim=(-0.6, 1.6))
        bx.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        bx.xaxis.set_major_formatter(plotting.percent_formatter())
        bx.grid(axis="y", visible=False)
        bx.legend(loc="upper center", fontsize=10, bbox_to_anchor=(0.45, -0.3))
        bx.set(title="Where one use's time goes", xlabel="share of the microkernel's time")
        return a

    def update(self, values):
        ipc, sc, dev, th = (values[k] for k in ("ipc_us", "syscall_us", "device_us", "threshold"))
        lines, ipl, loc, c, t = _terms(values)
        k = t["micro_service_locality_factor"]
        y = service.ipc_overhead_fraction(ipc, sc, self.x_us, loc, ipl, c, k)
        y0 = service.ipc_overhead_fraction(ipc, sc, dev, loc, ipl, c, k)
        be = service.break_even_service_us(ipc, sc, th, loc, ipl, c, k)
        # the same overhead with every miss 1% longer: which way a longer penalty moves it
        y_longer = service.ipc_overhead_fraction(ipc, sc, dev, 1.01 * loc, 1.01 * ipl, c, k)
        mono = np.array([c * sc, 0.0, loc, dev])
        micro = np.array([c * ipc, c * ipl, k * loc, dev])
        a = self.artists
        a["curve"].set_ydata(y)
        a["threshold_line"].set_ydata([th, th])
        a["device_line"].set_xdata([dev, dev])
        a["device_point"].set_data([dev], [y0])
        shown = 0 < be <= self.x_us[-1]
        a["break_even_line"].set_visible(shown)
        a["break_even_text"].set_visible(shown)
        a["break_even_line"].set_xdata([be, be])
        a["break_even_text"].set_x(be)
        a["break_even_text"].set_text(f"break-even {format_us(be)}")
        total = micro.sum()
        for row, parts in ((1, mono / total), (0, micro / total)):
            lefts = np.concatenate([[0.0], np.cumsum(parts)[:-1]])
            for i, key in enumerate(_PARTS):
                rect = a[f"bars_{key}"].patches[1 - row]
                rect.set_x(lefts[i])
                rect.set_width(parts[i])
        for key, part, row in (("total_mono", mono, 1), ("total_micro", micro, 0)):
            a[key].set_position((part.sum() / total + 0.02, row))
            a[key].set_text(format_us(part.sum()))
        return {"device_us": self.x_us, "overhead_fraction": y, "current": np.array([dev, y0]),
                "break_even_us": be, "threshold": th, "ipc_path_lines": lines,
                "ipc_path_locality_us": ipl, "service_locality_us": loc, "crossings_per_use": c,
                "micro_service_locality_factor": k, "micro_service_locality_us": k * loc,
                "overhead_with_longer_misses": y_longer,
                "miss_us": t["miss_us"], "hypothetical": t["hypothetical"],
                "monolithic_us": mono, "microkernel_us": micro,
                "monolithic_share": mono / total, "microkernel_share": micro / total}

    def describe(self, values, plotted):
        ipc, sc, dev, th = (values[k] for k in ("ipc_us", "syscall_us", "device_us", "threshold"))
        y0, be, ipl = plotted["current"][1], plotted["break_even_us"], plotted["ipc_path_locality_us"]
        c, k = values["crossings_per_use"], plotted["micro_service_locality_factor"]
        loc = plotted["service_locality_us"]
        extra = f" plus {format_us(ipl)} of IPC-path cache misses" if ipl > 0 else ""
        start = (f"With {_a(format_us(ipc))} IPC{extra} and {_a(format_us(sc))} system call"
                 f"{_per_crossing(c)}, ")
        assumed = f" Assumed: {locality.cache_phrase(values)}"
        uneven = k != 1 and loc > 0  # the microkernel's service misses differ from the monolithic's
        who = "the microkernel (its IPC and its extra service misses)" if uneven else "IPC"
        if c * (ipc + ipl - sc) + (k - 1) * loc <= 0:
            return (start + "the microkernel route is no slower, so IPC adds nothing to "
                    f"{_a(format_us(dev))} service." + assumed)
        side = "within" if y0 <= th else "above"
        text = (start + f"{who} adds {format_percent(y0)} to {_a(format_us(dev))} service: {side} the "
                f"{format_percent(th)} threshold; ")
        if be == 0:
            text += "the overhead is within it for a service of any length."
        else:
            text += (f"the overhead falls to {format_percent(th)} for services of {format_us(be)} "
                     "or slower.")
        if loc > 0 or ipl > 0:
            y1 = plotted["overhead_with_longer_misses"]
            way = ("rise" if y1 > y0 * (1 + 1e-9) else "fall" if y1 < y0 * (1 - 1e-9)
                   else "stay the same")
            text += f" A longer miss penalty would make this share {way}"
            text += (f" (towards {format_percent((k - 1) / k)} = (factor − 1) ÷ factor)."
                     if k > 1 and loc > 0 and way == "rise" else ".")
        return text + assumed


#: colour of the part of the regime map where IPC would be cheaper than a system call
IMPOSSIBLE_GREY = "0.6"

_SHORT_NAMES = {"cvax": "CVax", "ds2100": "DS2100", "ds3100": "DS3100", "ds5000": "DS5000/200",
                "hp700": "HP-700"}


def _short(m) -> str:
    """A label short enough for a crowded map (the machine's id when no short name is known)."""
    return _SHORT_NAMES.get(m.id, m.id)


class RegimeMapExplorer(Explorer):
    """Notebook 05: where IPC cost matters, over IPC cost × device time."""

    x_us = np.logspace(-1, 3, 81)    # IPC cost grid, 0.1 µs .. 1 ms (20 cells a decade)
    y_us = np.logspace(-1, 6, 71)    # device time grid, 0.1 µs .. 1 s (10 cells a decade)
    xb_us = np.logspace(-1, 3, 400)  # finer grid for the threshold boundary
    figsize = (11.0, 5.6)

    def __init__(self, **kw):
        self.placements = multicore.placement_options()  # (label, µs added per round trip)
        self.devices, self._device_notes = paper.cited_devices()
        self.machines = [m for m in load_machines().values() if m.rpc_us is not None
                         and m.id in PAPER_MACHINES]  # 1992-era machines; later ones: notebook 07
        super().__init__(**kw)

    def reading_notes(self):
        notes = [*self._device_notes, *(f"Device time: {d.label} {d.cite}" for d in self.devices),
                 *(f"Not offered: {d}." for d in paper.UNNUMBERED_DEVICES)]
        if any(m.syscall_us is None for m in self.machines):
            notes.append("* no published system-call time for this machine: the slider's value is used.")
        notes.append("IPC placement: across cores, each round trip adds two one-way core-to-core transfers "
                     "(request, reply), from the rows " + ", ".join(r.id for r in multicore.core_to_core_rows())
                     + " [" + ", ".join(sorted({r.cite[1:].split(",")[0] for r in multicore.core_to_core_rows()}))
                     + "]; a floor: a blocking wake-up (inter-processor interrupt) costs more and has no cited "
                     "value here (notebook 06 measures a cross-CPU round trip on your machine).")
        return notes

    @property
    def controls(self):
        return (*(SLIDERS[n] for n in ("ipc_us", "syscall_us", "miss_penalty_cycles", "miss_fraction",
                                       "clock_mhz", "cache_line_bytes", "threshold", *_CACHE_CONTROLS)),
                ChoiceSpec("device_us", "Device for the machines", "µs",
                           tuple((d.label, d.device_us) for d in self.devices),
                           help="Each machine is drawn at this device time"),
                ChoiceSpec("ipc_placement", "IPC placement", "µs added per round trip", self.placements,
                           help="Same core, as the paper measured, or the server on another core: each "
                                "round trip then adds two cited one-way core-to-core transfers (a floor)"))

    @property
    def fixed_defaults(self):
        return {"miss_fraction": 0.0, "threshold": DEFAULT_THRESHOLD, **_cache_defaults()}

    def extra_presets(self):
        sliders = tuple(s.name for s in self.controls if isinstance(s, SliderSpec))
        return locality.presets(sliders, _START_LINE_BYTES)

    def idle_controls(self, values):
        return locality.idle_cache_controls(values)

    def build(self, fig):
        ax = fig.subplots()
        cmap = matplotlib.colormaps[plotting.SEQUENTIAL_CMAP]
        cmap = cmap.with_extremes(under=cmap(0.0), bad=IMPOSSIBLE_GREY)
        z = np.full((self.y_us.size, self.x_us.size), 0.01)
        a = {"ax": ax}
        a["map"] = ax.pcolormesh(self.x_us, self.y_us, z, shading="nearest", cmap=cmap,
                                 norm=LogNorm(1e-4, 1.0))
        a["colorbar"] = fig.colorbar(a["map"], ax=ax, extend="min", format=plotting.percent_formatter(),
                                     label="IPC overhead")
        halo = [withStroke(linewidth=4.5, foreground="black")]
        a["boundary"], = ax.plot(self.xb_us, np.ones_like(self.xb_us), color="white", linewidth=2.5,
                                 path_effects=halo, label="threshold boundary")
        a["ipc_line"] = ax.axvline(1.0, color="white", linestyle=":", linewidth=1.5,
                                   label="your IPC (slider)")
        a["ipc_point"], = ax.plot([1.0], [1.0], "D", color=OKABE_ITO["orange"], mec="black",
                                  zorder=6, label="your IPC at break-even")
        xm = [m.rpc_us for m in self.machines]
        a["machines"], = ax.plot(xm, np.ones(len(xm)), "o", color="white", mec="black", zorder=6,
                                 linestyle="none", label="machines at the chosen device")
        order = np.argsort(np.argsort(xm))
        offsets = [((-60, 40, -10, 45, 10)[i % 5], (42, 30, -46, -30, 62)[i % 5]) for i in order]
        a["labels"] = plotting.annotate_points(ax, xm, np.ones(len(xm)), [_short(m) for m in self.machines],
                                               offsets=offsets, zorder=7,
                                               bbox={"boxstyle": "round,pad=0.15", "fc": "white",
                                                     "ec": "none", "alpha": 0.8})
        ax.set(xscale="log", yscale="log", xlim=(self.x_us[0], self.x_us[-1]),
               ylim=(self.y_us[0], self.y_us[-1]))
        ax.grid(False)
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(plotting.us_formatter())
        plotting.decorate(ax, xlabel="IPC round trip", ylabel="Service / device time", legend=False,
                          title="IPC overhead: above the line it is within the threshold")
        ax.add_patch(Rectangle((0, 0), 0, 0, facecolor=IMPOSSIBLE_GREY, edgecolor="none",
                               label="IPC cheaper than a system call (impossible)"))
        # outside the map: static artists lie under the redrawn ones (see explorers.core)
        ax.legend(loc="upper center", ncols=3, fontsize=10, bbox_to_anchor=(0.5, -0.14), facecolor="0.8")
        return a

    def update(self, values):
        ipc, sc, th, dev = (values[k] for k in ("ipc_us", "syscall_us", "threshold", "device_us"))
        lines, ipl, loc, c, t = _terms(values)
        # the x axis is the IPC measured on one core; across cores every round trip costs more
        added = float(values.get("ipc_placement", 0.0))
        z = service.ipc_overhead_fraction(self.x_us[None, :] + added, sc, self.y_us[:, None], loc, ipl, c)
        boundary = service.break_even_service_us(self.xb_us + added, sc, th, loc, ipl, c)
        be = service.break_even_service_us(ipc + added, sc, th, loc, ipl, c)
        xm = np.array([m.rpc_us for m in self.machines])
        scm = np.array([sc if m.syscall_us is None else m.syscall_us for m in self.machines])
        om = service.ipc_overhead_fraction(xm + added, scm, dev, loc, ipl, c)
        a = self.artists
        # where IPC (+ its misses) would be cheaper than a system call: impossible on one machine,
        # since a round trip enters the kernel at least twice; greyed out, not coloured "negligible"
        impossible = (self.x_us[None, :] + added + ipl < sc) & np.ones_like(z, dtype=bool)
        a["map"].set_array(np.ma.masked_array(z, mask=impossible))
        a["boundary"].set_ydata(boundary)
        a["ipc_line"].set_xdata([ipc, ipc])
        a["ipc_point"].set_data([ipc], [be])
        a["machines"].set_data(xm, np.full(xm.size, dev))
        for ann, m, o in zip(a["labels"], self.machines, om, strict=True):
            ann.xy = (m.rpc_us, dev)
            ann.set_text(f"{_short(m)} {format_percent(o)}{'*' if m.syscall_us is None else ''}")
        return {"ipc_us": self.x_us, "device_us": self.y_us, "overhead_map": z,
                "boundary_ipc_us": self.xb_us, "boundary_device_us": boundary,
                "break_even_us": be, "machines_ipc_us": xm, "machines_syscall_us": scm,
                "machines_overhead": om, "ipc_path_lines": lines, "ipc_path_locality_us": ipl,
                "service_locality_us": loc, "crossings_per_use": c, "miss_us": t["miss_us"],
                "hypothetical": t["hypothetical"], "ipc_placement_us": added,
                "break_even_same_core_us": float(service.break_even_service_us(ipc, sc, th, loc, ipl, c))}

    def _placement_phrase(self, values, plotted) -> str:
        """The consequence of running the server on another core, or "" on the same core."""
        added = plotted["ipc_placement_us"]
        if added <= 0:
            return ""
        ipc = values["ipc_us"]
        label = next((k for k, v in self.placements if v == added), "across cores")
        be0, be1 = plotted["break_even_same_core_us"], plotted["break_even_us"]
        moved = (f"the break-even device time moves from {format_us(be0)} to {format_us(be1)}"
                 if be1 != be0 else "the break-even device time does not move")
        return (f" IPC {label}: each round trip costs at least {format_us(added)} more, "
                f"{format_percent(added / ipc)} of your {format_us(ipc)} IPC; {moved}. A blocking "
                "wake-up across cores costs more (no cited value; notebook 06 measures it).")

    def describe(self, values, plotted):
        ipc, sc, th, dev = (values[k] for k in ("ipc_us", "syscall_us", "threshold", "device_us"))
        ipl, be = plotted["ipc_path_locality_us"], plotted["break_even_us"]
        ipc_eff = ipc + plotted["ipc_placement_us"]
        head = f"With {_a(format_us(sc))} system call{_per_crossing(values['crossings_per_use'])}, "
        if ipc_eff + ipl <= sc:
            head += f"an IPC of {format_us(ipc)} is no slower than the system call: no overhead for any device."
        elif be == 0:
            head += f"IPC overhead stays within {format_percent(th)} for every device at {format_us(ipc)} IPC."
        else:
            head += (f"IPC overhead stays within {format_percent(th)} for devices of {format_us(be)} "
                     f"or slower at {format_us(ipc)} IPC.")
        om = plotted["machines_overhead"]
        lo, hi = int(np.argmin(om)), int(np.argmax(om))
        c = values["crossings_per_use"]
        per_use = "one crossing per use" if c == 1 else f"{c:.3g} crossings per use"
        return (head + f" At {_a(format_us(dev))} device and {per_use} the machines range from "
                f"{format_percent(om[lo])} ({self.machines[lo].name}) to "
                f"{format_percent(om[hi])} ({self.machines[hi].name})."
                + self._placement_phrase(values, plotted)
                + f" Assumed: {locality.cache_phrase(values)}")


def master_explorer(**kw) -> MasterExplorer:
    """The explorer of notebook 00 (keyword arguments go to :class:`Explorer`)."""
    return MasterExplorer(**kw)


def regime_map_explorer(**kw) -> RegimeMapExplorer:
    """The explorer of notebook 05 (keyword arguments go to :class:`Explorer`)."""
    return RegimeMapExplorer(**kw)
