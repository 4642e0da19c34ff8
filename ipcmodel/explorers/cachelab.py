"""The explorer of notebook 02b (the cache lab, §3 and Bershad, Draves & Forin 1992, §3.1).

* :func:`cachelab_explorer`: one object file's size, the link order, §3's remedy (reserved cache
  colours for the IPC path), the cache size and the service's working set -> where the kernel's
  files, the IPC path, the client and the service land in the caches; the null RPC's misses and
  time at the DECstation 3100's numbers over every size of the file; and the misses of a round
  trip that uses the service, with and without the remedy.

The layouts and the paper's numbers are in :mod:`ipcmodel.paper.cachelab`, the simulator in
:mod:`ipcmodel.cachesim`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle
from matplotlib.transforms import blended_transform_factory

from ipcmodel import cachesim, paper, plotting
from ipcmodel.data import fact
from ipcmodel.explorers.core import ChoiceSpec, CountSpec, Explorer, Preset, SliderSpec
from ipcmodel.plotting import OKABE_ITO, format_us

__all__ = ["CacheLabExplorer", "cachelab_explorer", "AS_BUILT", "AFTER_REBUILD"]

#: Preset labels: BDF92 §3.1's two builds in the lab's synthetic kernel.
AS_BUILT = "BDF92 §3.1: as built (about 95 µs)"
AFTER_REBUILD = "BDF92 §3.1: after the rebuild (about 160 µs)"

_BINS = 256
_CURVE_SIZES = np.arange(0, 65536 + 1, 256)
_CACHE_KB = (8, 16, 32, 64, 128)
_KERNEL_ROWS = paper.LINK_ORDERS["as built"]
_ROWS = ("IPC path collisions", *_KERNEL_ROWS, "client text", "service text",
         "IPC path data", "client data", "service data")
_STREAM_OF_ROW = {**dict.fromkeys(("IPC path collisions", *_KERNEL_ROWS, "client text", "service text"), "i"),
                  **dict.fromkeys(("IPC path data", "client data", "service data"), "d")}
# colour codes of the map: 0 empty, 1 other kernel code, 2 IPC path, 3 client, 4 service, 5 collision
_COLOURS = np.array([to_rgba("white"), to_rgba("#B8C4D0"), to_rgba(OKABE_ITO["vermillion"]),
                     to_rgba(OKABE_ITO["sky_blue"]), to_rgba(OKABE_ITO["bluish_green"]),
                     to_rgba(OKABE_ITO["black"])])
_OWNER_CODE = {"kernel": 1, "ipc-path": 2, "client": 3, "service": 4}


def _row_of(region_name: str) -> str:
    return region_name.split(" (")[0] if region_name.endswith(")") else region_name


class CacheLabExplorer(Explorer):
    """Notebook 02b: move one object file, watch the IPC path collide; switch §3's remedy on.

    Controls: ``unrelated_size_bytes`` (the size of ``vm_fault.o``), ``service_working_set_kb``,
    ``link_order``, ``remedy`` (``"off"``/``"on"``), ``cache_kb`` (each of the two caches). The
    model calls are :func:`ipcmodel.paper.lab_layout`, :func:`ipcmodel.paper.null_rpc_misses`,
    :func:`ipcmodel.paper.lab_rpc_us` and :func:`ipcmodel.cachesim.occupancy`.
    """

    controls = (
        CountSpec("unrelated_size_bytes", f"Size of {paper.UNRELATED_FILE}", "bytes", 0, 65536,
                  help="An object file not on the IPC path; BDF92 §3.1's collision came from such a change"),
        SliderSpec("service_working_set_kb", "Service working set", "KB", 0.0, 128.0, step=4.0, fmt=".0f",
                   help="Data the service reads per request (synthetic): the remedy's cost falls on it"),
        ChoiceSpec("link_order", "Link order", "object files", tuple((k, k) for k in paper.LINK_ORDERS)),
        ChoiceSpec("remedy", "§3 remedy: reserve colours for the IPC path", "on/off",
                   (("off", "off"), ("on", "on"))),
        ChoiceSpec("cache_kb", "Each cache (instruction, data)", "KB", tuple((f"{k}", k) for k in _CACHE_KB)),
    )
    default_machine = None
    figsize = (16.0, 5.6)

    def __init__(self, **kw):
        self._curves: dict = {}
        self._reference = paper.reference_misses()
        super().__init__(**kw)

    @property
    def fixed_defaults(self):
        return {"unrelated_size_bytes": float(paper.kernel_files()[2].size_bytes),
                "service_working_set_kb": paper.SERVICE_WORKING_SET_BYTES / 1024,
                "cache_kb": paper.lab_caches()[0].size_bytes // 1024}

    def extra_presets(self):
        built = paper.kernel_files()[2].size_bytes
        src = ("synthetic kernel (ipcmodel.paper.kernel_files); the growth is ours, chosen to "
               "give the overlap BDF92 §3.1's numbers imply.")
        return [Preset(AS_BUILT, {"unrelated_size_bytes": built}, source=src, first=True),
                Preset(AFTER_REBUILD, {"unrelated_size_bytes": built + paper.UNRELATED_GROWTH_BYTES},
                       source=src, first=True)]

    def reading_notes(self):
        ic, dc = paper.lab_caches()
        return [
            f"Caches: {ic.size_bytes // 1024} KB each, direct-mapped, {ic.line_bytes}-byte instruction "
            f"and {dc.line_bytes}-byte data lines, {paper.lab_page_bytes()}-byte pages "
            f"{fact('cb93-icache-size-ds5000').cite()}; timing of the DECstation 3100: "
            f"{fact('bdf92-miss-penalty-ds3100').value:g} cycles per miss at "
            f"{fact('bdf92-clock-ds3100').value:g} MHz, {format_us(fact('bdf92-rpc-ds3100').value)} "
            f"for the as-built link {fact('bdf92-rpc-ds3100').cite()}.",
            "Synthetic: the kernel's object files, their sizes and order, where the IPC path sits in "
            "them, the client and the service. The IPC path's size is §3's bound "
            f"{fact('b92-ipc-path-instructions').cite()}; a round trip runs it twice (request, reply).",
        ]

    # ---- the figure ----------------------------------------------------------------------------
    def build(self, fig):
        mx, cx, bx = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.6, 1.1, 0.8]})
        a = {"mx": mx, "cx": cx, "bx": bx}
        n = len(_ROWS)
        a["map"] = mx.imshow(np.ones((n, _BINS, 4)), aspect="auto", interpolation="nearest",
                             extent=(0, 64, n - 0.5, -0.5))
        blend = blended_transform_factory(mx.transData, mx.transAxes)
        a["reserved"] = Rectangle((0, 0), 0, 1, transform=blend, facecolor=OKABE_ITO["yellow"], alpha=0.35,
                                  edgecolor="none", zorder=3)
        mx.add_patch(a["reserved"])
        labels = [f"{r} ({_STREAM_OF_ROW[r].upper()})" if r != "IPC path collisions" else "IPC path collisions (I)"
                  for r in _ROWS]
        mx.set_yticks(range(n), labels, fontsize=10)
        mx.axhline(len(_ROWS) - 3.5, color="0.3", linewidth=1.0)
        mx.grid(False)
        plotting.decorate(mx, xlabel="Position in the cache (KB from set 0)",
                          title="Where everything lands (I: instruction cache, D: data cache)", legend=False)
        # the curve of the null RPC over every size of the file
        a["curve"], = cx.plot(_CURVE_SIZES, np.full(_CURVE_SIZES.size, 95.0), color=OKABE_ITO["blue"],
                              label="null RPC in the lab")
        a["point"], = cx.plot([0.0], [95.0], "o", color=OKABE_ITO["vermillion"], ms=9, zorder=5)
        a["now_line"] = cx.axvline(0.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        # the point's values as text: a one-byte move shows in the picture, not only in the reading
        a["now_text"] = cx.annotate("", xy=(0.0, 0.0), xytext=(8, 8), textcoords="offset points",
                                    fontsize=10, color=OKABE_ITO["black"])
        for fid, style in (("bdf92-rpc-ds3100", "--"), ("bdf92-rpc-collision-ds3100", "-.")):
            f = fact(fid)
            cx.axhline(f.value, color=OKABE_ITO["reddish_purple"], linestyle=style, linewidth=1.5,
                       label=f"BDF92: about {f.value:g} µs")
        cx.set(xlim=(0, 65536))
        cx.xaxis.set_major_formatter(plotting.number_formatter(",.0f"))
        cx.set_xticks(np.arange(0, 65537, 16384))
        cx.yaxis.set_major_formatter(plotting.us_formatter())
        plotting.decorate(cx, xlabel=f"Size of {paper.UNRELATED_FILE} (bytes)", ylabel="Null RPC (DECstation 3100)",
                          title="The RPC against one file's size", legend=False)
        cx.legend(loc="lower right", fontsize=9.5)  # below the curves (>= the as-built time): static
        xs = np.arange(3)
        a["bars_off"] = bx.bar(xs - 0.2, np.zeros(3), width=0.4, color="white", edgecolor=OKABE_ITO["black"],
                               hatch="//", label="remedy off")
        a["bars_on"] = bx.bar(xs + 0.2, np.zeros(3), width=0.4, color=OKABE_ITO["bluish_green"], label="remedy on")
        a["bar_text"] = [bx.text(x, 0.0, "", ha="center", va="bottom", fontsize=9) for x in np.r_[xs - 0.2, xs + 0.2]]
        bx.set_xticks(xs, ["IPC path", "service", "client"])
        plotting.decorate(bx, ylabel="Misses per round trip", title="A round trip using the service",
                          legend=False)
        bx.legend(loc="upper right", fontsize=9.5)  # above the bars (see the y limit in update): static
        return a

    # ---- the model -----------------------------------------------------------------------------
    def _curve(self, order: str, remedy: str, cache_kb: int) -> np.ndarray:
        key = (order, remedy, cache_kb)
        if key not in self._curves:
            misses = [paper.null_rpc_misses(paper.lab_layout(int(s), order, remedy == "on", cache_kb * 1024),
                                            cache_kb * 1024).misses for s in _CURVE_SIZES]
            self._curves[key] = np.array([paper.lab_rpc_us(m, self._reference) for m in misses])
        return self._curves[key]

    def _map(self, layout, ic, dc) -> np.ndarray:
        codes = np.zeros((len(_ROWS), _BINS), dtype=int)
        row_index = {r: k for k, r in enumerate(_ROWS)}
        path_i = np.zeros(_BINS, dtype=int)
        for name, hit in cachesim.occupancy(layout, ic, _BINS).items():
            r = layout.region(name)
            if r.stream != "i":
                continue
            k = row_index[_row_of(name)]
            code = _OWNER_CODE[r.owner]
            codes[k] = np.where(hit, np.maximum(codes[k], code), codes[k])
            path_i += hit & (r.owner == "ipc-path")
        for name, hit in cachesim.occupancy(layout, dc, _BINS).items():
            r = layout.region(name)
            if r.stream == "d":
                codes[row_index[name]] = np.where(hit, _OWNER_CODE[r.owner], 0)
        codes[0] = np.where(path_i >= 2, 5, 0)
        return _COLOURS[codes]

    def update(self, values):
        size, order, remedy = int(values["unrelated_size_bytes"]), values["link_order"], values["remedy"]
        cache_kb = int(values["cache_kb"])
        cache_bytes = cache_kb * 1024
        service_bytes = int(round(values["service_working_set_kb"] * 1024))
        layout = paper.lab_layout(size, order, remedy == "on", cache_bytes)
        ic, dc = paper.lab_caches(cache_bytes)
        null = paper.null_rpc_misses(layout, cache_bytes)
        rpc_us = paper.lab_rpc_us(null.misses, self._reference)
        conflict_sets = cachesim.path_conflict_sets(layout, ic)
        with_service, shown = {}, layout
        for state in ("off", "on"):
            lay = paper.lab_layout(size, order, state == "on", cache_bytes, service_bytes)
            with_service[state] = paper.null_rpc_misses(lay, cache_bytes).misses_by_owner
            if state == remedy:
                shown = lay  # the map shows the service's working set too
        curve = self._curve(order, remedy, cache_kb)
        a = self.artists
        rows = len(_ROWS)
        a["map"].set_data(self._map(shown, ic, dc))
        a["map"].set_extent((0, cache_kb, rows - 0.5, -0.5))
        a["mx"].set_xlim(0, cache_kb)
        a["reserved"].set_width(layout.reserved_bytes("i") / 1024)
        a["curve"].set_ydata(curve)
        a["point"].set_data([size], [rpc_us])
        a["now_line"].set_xdata([size, size])
        a["now_text"].xy = (size, rpc_us)
        a["now_text"].set_text(f"{size:,} bytes: {format_us(rpc_us)}")
        a["now_text"].set_horizontalalignment("right" if size > 0.6 * _CURVE_SIZES[-1] else "left")
        a["now_text"].set_position((-8 if size > 0.6 * _CURVE_SIZES[-1] else 8, 8))
        top = max(float(curve.max()), rpc_us, fact("bdf92-rpc-collision-ds3100").value)
        a["cx"].set_ylim(0.0, plotting.nice_ceiling(1.15 * top))
        owners = ("ipc-path", "service", "client")
        off = np.array([with_service["off"][o] for o in owners], dtype=float)
        on = np.array([with_service["on"][o] for o in owners], dtype=float)
        for rect, h in zip(a["bars_off"].patches, off, strict=True):
            rect.set_height(h)
        for rect, h in zip(a["bars_on"].patches, on, strict=True):
            rect.set_height(h)
        for t, h, x in zip(a["bar_text"], np.r_[off, on], np.r_[np.arange(3) - 0.2, np.arange(3) + 0.2], strict=True):
            t.set_position((x, h))
            t.set_text(f"{h:.0f}")
        a["bx"].set_ylim(0.0, plotting.nice_ceiling(1.7 * max(float(np.max(np.r_[off, on])), 10.0)))
        reserving = paper.lab_layout(size, order, True, cache_bytes)
        return {"reserved_instruction_kb": reserving.reserved_bytes("i") / 1024,
                "reserved_data_kb": reserving.reserved_bytes("d") / 1024, "sizes_bytes": _CURVE_SIZES, "rpc_curve_us": curve, "rpc_us": rpc_us,
                "null_rpc_misses": null.misses, "reference_misses": self._reference,
                "path_conflict_sets": conflict_sets, "reserved_instruction_bytes": layout.reserved_bytes("i"),
                "reserved_data_bytes": layout.reserved_bytes("d"), "service_bytes": service_bytes,
                "misses_remedy_off": dict(zip(owners, off, strict=True)),
                "misses_remedy_on": dict(zip(owners, on, strict=True)), "cache_map": a["map"].get_array()}

    def describe(self, values, plotted):
        pen, clk = fact("bdf92-miss-penalty-ds3100").value, fact("bdf92-clock-ds3100").value
        extra = plotted["null_rpc_misses"] - plotted["reference_misses"]
        size = int(values["unrelated_size_bytes"])
        head = (f"{paper.UNRELATED_FILE} is {size:,} bytes, link order '{values['link_order']}', "
                f"{values['cache_kb']} KB caches, remedy {values['remedy']}: ")
        if plotted["path_conflict_sets"]:
            head += (f"the IPC path's code collides with itself in {plotted['path_conflict_sets']} "
                     "instruction-cache sets, so ")
        else:
            head += "no two pieces of the IPC path share a cache set, so "
        head += (f"a warm null RPC takes {extra:+d} misses per round trip against the as-built link "
                 f"({extra:+d} × {pen:g} cycles at {clk:g} MHz = {format_us(extra * pen / clk)}): "
                 f"{format_us(plotted['rpc_us'])} (BDF92 measured about "
                 f"{fact('bdf92-rpc-ds3100').value:g} µs before and about "
                 f"{fact('bdf92-rpc-collision-ds3100').value:g} µs after their collision). ")
        off, on = plotted["misses_remedy_off"], plotted["misses_remedy_on"]
        kb = plotted["service_bytes"] / 1024
        tail = (f"A call that also has the service read a {kb:g} KB working set between request and "
                f"reply (the service's data start on the IPC path data's colour, a synthetic "
                f"placement) is another matter: there the IPC path takes {off['ipc-path']:.0f} misses "
                f"and the service {off['service']:.0f} per round trip without the remedy; reserving "
                f"{plotted['reserved_instruction_kb']:g} KB of the instruction cache and "
                f"{plotted['reserved_data_kb']:g} KB of the data cache for the path makes that "
                f"{on['ipc-path']:.0f} and {on['service']:.0f} "
                f"(the service {on['service'] - off['service']:+.0f}).")
        return head + tail


def cachelab_explorer(**kw) -> CacheLabExplorer:
    """The cache-lab explorer of notebook 02b (keyword arguments go to the Explorer base class)."""
    return CacheLabExplorer(**kw)
