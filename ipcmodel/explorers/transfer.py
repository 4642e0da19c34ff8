"""Explorers and helpers for notebook 03 (Bershad 1992, §4: not all data goes through the kernel).

* :func:`marshalling_explorer`: a message-size slider; the time to move the message through the
  kernel (two copies + a fixed cost), through a co-mapped buffer (one copy + a notification) and
  by remapping pages (a cost per page + the fixed cost), with the crossovers drawn where
  :func:`ipcmodel.transfer.crossover_bytes` puts them, and the shared buffer's gain over the
  kernel copy next to the two mapped-socket observations of §4.
* :func:`x11_explorer`: X11 flush batching (§4): messages, user-kernel crossings and server
  wake-ups per flush for the three transports, against the flushes that pile up between two
  collections by the server (:func:`ipcmodel.transfer.simulate_x11_flushes`).

The times and crossovers come from :mod:`ipcmodel.transfer`
(:func:`~ipcmodel.transfer.marshalling_times_us`, :func:`~ipcmodel.transfer.marshalling_crossovers`,
:func:`~ipcmodel.transfer.x11_counts`); the starting values from :mod:`ipcmodel.paper` (the
DECstation 5000/200's estimated copy bandwidth and page, the mapped-socket observations).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter

from ipcmodel import paper, plotting, transfer
from ipcmodel.data import fact
from ipcmodel.explorers.core import Explorer, Preset, SliderSpec
from ipcmodel.plotting import OKABE_ITO, format_percent, format_us

__all__ = [
    "format_bytes",
    "MarshallingExplorer",
    "X11Explorer",
    "marshalling_explorer",
    "x11_explorer",
    "PRESET_RPC",
    "PRESET_SYSCALL",
    "PRESET_FITTED",
    "PRESET_MB92_REMAP",
]


# ---- formatting and axis helpers --------------------------------------------------------------

def format_bytes(n: float) -> str:
    """Bytes as text in the largest fitting binary unit: ``"100 bytes"``, ``"4 KB"``, ``"1.5 MB"``."""
    v = float(n)
    if not np.isfinite(v):
        return "never"
    for unit, size in (("GB", 1024.0 ** 3), ("MB", 1024.0 ** 2), ("KB", 1024.0)):
        if v >= size:
            return f"{v / size:.3g} {unit}"
    return f"{v:.3g} byte{'' if v == 1 else 's'}"


def _gain_limits(gain, observed_gain: float) -> tuple[float, float]:
    """Vertical limits of the saving panel: the curve and the observations, in steps of 5 points."""
    lo = max(min(float(np.min(gain)), 0.0), -1.0)
    hi = min(max(float(np.max(gain)), observed_gain), 1.0)
    return float(np.floor(lo * 20 - 1) / 20), float(np.ceil(hi * 20 + 1) / 20)


def _page_grid(page_bytes: float, pages: int = 32) -> np.ndarray:
    """1 byte .. 64 MB on a log grid, plus both sides of the first ``pages`` page boundaries
    (so that the remap staircase is drawn with sharp steps)."""
    edges = page_bytes * np.arange(1, pages + 1)
    return np.unique(np.concatenate([np.logspace(0, np.log10(2.0 ** 26), 600), edges, edges + 1]))


def _bytes_formatter():
    return FuncFormatter(lambda x, _p: format_bytes(x) if x > 0 else "0")


# ---- presets: from data, never typed in -------------------------------------------------------

#: Preset labels of the marshalling explorer.
PRESET_RPC = "DECstation 5000/200: every message an RPC"
PRESET_SYSCALL = "DECstation 5000/200: notify with a system call"
PRESET_FITTED = "Fitted to the mapped-socket observations (§4)"
PRESET_MB92_REMAP = "Remap cost near the only measurement (DECstation 2100)"


# ---- the marshalling explorer -----------------------------------------------------------------

_LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
_LEGEND_BOX = {"frameon": True, "facecolor": "white", "edgecolor": "0.8", "framealpha": 0.85}
_C = {"kernel": OKABE_ITO["vermillion"], "shared": OKABE_ITO["blue"], "remap": OKABE_ITO["bluish_green"],
      "obs": OKABE_ITO["black"]}
_XO_STYLE = {"kernel_to_shared": (_C["shared"], "shared beats kernel copy"),
             "kernel_to_remap": (_C["remap"], "remap beats kernel copy"),
             "shared_to_remap": (OKABE_ITO["reddish_purple"], "remap beats shared buffer")}


class MarshallingExplorer(Explorer):
    """Notebook 03: kernel copy vs shared buffer vs remap over the message size (§4).

    Controls (model keywords): ``message_bytes`` (bytes), ``copy_mb_per_s`` (MB/s),
    ``kernel_fixed_us`` (µs: the fixed cost of a message through the kernel, also paid by the
    message that carries remapped pages), ``notify_us`` (µs: the shared buffer's notification),
    ``remap_us_per_page`` (µs per page; **no published value**).
    """

    x_bytes = _page_grid(paper.ds5000_page_bytes())  # 1 byte .. 64 MB
    default_machine = None
    machine_params: dict = {}
    preset_title = "Preset (from data)"
    figsize = (11.5, 4.8)
    controls = (
        SliderSpec("message_bytes", "Message size", "bytes", 1.0, 2.0 ** 26, log=True, base=2,
                   step=0.25, fmt=",.0f", help="Bytes to move from client to server (1 byte .. 64 MB)"),
        SliderSpec("copy_mb_per_s", "Copy bandwidth", "MB/s", 1.0, 1e5, log=True,
                   help="Bytes copied per µs; starts at the DECstation 5000/200 estimate"),
        SliderSpec("kernel_fixed_us", "Fixed cost per call (one null RPC)", "µs", 0.1, 1e4, log=True,
                   help="Per-call cost of going through the kernel: one null round-trip RPC (§2)"),
        SliderSpec("notify_us", "Shared buffer: notification", "µs", 0.1, 1e4, log=True,
                   help="Telling the server that data is in the shared buffer"),
        SliderSpec("remap_us_per_page", "Remap cost per page (not published)", "µs", 0.1, 1e4,
                   log=True, help="No source gives this number: find where it matters"),
    )

    @property
    def fixed_defaults(self):
        bw = paper.ds5000_copy_estimate().mb_per_s
        page = paper.ds5000_page_bytes()
        rpc = fact("b92-rpc-ds5000").value
        return {"message_bytes": page, "copy_mb_per_s": bw, "kernel_fixed_us": rpc,
                "notify_us": rpc, "remap_us_per_page": page / bw}

    def __init__(self, **kw):
        self.page_bytes = paper.ds5000_page_bytes()
        self.observations = paper.mapped_socket_observations()
        super().__init__(**kw)

    def extra_presets(self):
        """Every value from data/ or computed from it; none gives the remap cost per page."""
        bw = paper.ds5000_copy_estimate().mb_per_s
        rpc, sc = fact("b92-rpc-ds5000"), fact("b92-syscall-ds5000")
        cal = paper.mapped_socket_calibration()
        fixed = paper.mapped_socket_fixed_us()
        copy = "copy bandwidth estimated from the memory system [ChenBershad93, Table 2-1]"
        unset = ("remap_us_per_page",)
        return [
            Preset(PRESET_RPC, {"copy_mb_per_s": bw, "kernel_fixed_us": rpc.value, "notify_us": rpc.value},
                   unset, f"{copy}; fixed cost and notification = the round-trip RPC {rpc.cite()}."),
            Preset(PRESET_SYSCALL, {"copy_mb_per_s": bw, "kernel_fixed_us": rpc.value, "notify_us": sc.value},
                   unset, f"{copy}; fixed cost = the round-trip RPC {rpc.cite()}; notification = a "
                   f"system call {sc.cite()}."),
            Preset(PRESET_FITTED, {"copy_mb_per_s": bw, "kernel_fixed_us": fixed,
                                   "notify_us": fixed + cal.setup_copies / bw},
                   unset, f"{copy}; fixed cost and set-up fitted to the two mapped-socket observations "
                   f"{fact('b92-mapped-socket-gain').cite()} (ipcmodel.transfer.calibrate_mapped_socket)."),
            Preset(PRESET_MB92_REMAP, {"copy_mb_per_s": bw, "kernel_fixed_us": rpc.value,
                                       "notify_us": rpc.value,
                                       "remap_us_per_page": paper.mb92_remap_anchor_us()},
                   (), f"{copy}; fixed cost and notification = the round-trip RPC {rpc.cite()}; remap "
                   "cost = half the UDP round-trip gain of sending in-band instead of remapped, "
                   f"{fact('mb92-udp-rtt-unix-server').cite()} and "
                   f"{fact('mb92-udp-rtt-ipc-novm').cite()}: per one-page send on the slower "
                   "DECstation 2100, VM operations and an experimental server included, an upper-end "
                   "anchor, not a DECstation 5000/200 measurement."),
        ]

    def reading_notes(self):
        est = paper.ds5000_copy_estimate()
        return [
            f"Copy bandwidth to start with: {est.mb_per_s:.3g} MB/s, estimated from the DECstation "
            f"5000/200's memory system [ChenBershad93, Table 2-1] at {est.clock_mhz:g} MHz: "
            "an estimate, not a measurement.",
            f"Fixed cost to start with: the round-trip RPC, {format_us(fact('b92-rpc-ds5000').value)} "
            f"{fact('b92-rpc-ds5000').cite()}. Page: {format_bytes(self.page_bytes)} "
            f"{fact('cb93-page-size-ds5000').cite()}.",
            "Remap cost per page: no source gives it. It starts at the time to copy one page once, "
            "so that remapping only saves the kernel copy's second pass: move it.",
        ]

    def build(self, fig):
        ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
        x = self.x_bytes
        a = {"ax": ax, "bx": bx}
        ones = np.ones_like(x)
        # distinct widths, dashes and markers: at some settings two of the lines coincide
        a["kernel"], = ax.plot(x, ones, color=_C["kernel"], linewidth=2.2, zorder=3,
                               label="through the kernel (2 copies)")
        a["shared"], = ax.plot(x, ones, color=_C["shared"], linewidth=5.0, alpha=0.75, zorder=2,
                               label="shared buffer (1 copy)")
        a["remap"], = ax.plot(x, ones, color=_C["remap"], linewidth=2.0, linestyle=(0, (5, 2.5)),
                              marker="^", markevery=0.08, markersize=6, mfc="white", zorder=4,
                              label="remap pages (staircase)")
        a["now_points"], = ax.plot([1, 1, 1], [1, 1, 1], "o", color=OKABE_ITO["black"], zorder=6,
                                   markersize=6)
        a["now_line"] = ax.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        # crossover labels: stacked under the legend, in the upper left, which the rising
        # curves leave empty; each has the colour of its dashed line
        for key, (color, _label) in _XO_STYLE.items():
            a[f"xo_{key}"] = ax.axvline(1.0, color=color, linestyle="--", linewidth=1.6)
            a[f"xo_{key}_text"] = ax.text(0.02, 0.7, "", ha="left", va="top", fontsize=9.5,
                                          color=color, transform=ax.transAxes, zorder=8,
                                          bbox=_LABEL_BOX)
        ax.set(xscale="log", yscale="log", xlim=(x[0], x[-1]))
        ax.xaxis.set_major_formatter(_bytes_formatter())
        ax.yaxis.set_major_formatter(plotting.us_formatter())
        ax.set_xticks([1, 2 ** 10, 2 ** 20, 2 ** 26])
        plotting.decorate(ax, xlabel="Message size", ylabel="Time to move it",
                          title="Moving a message between address spaces", legend=False)
        a["legend"] = ax.legend(loc="upper left", fontsize=10, **_LEGEND_BOX)
        a["gain"], = bx.plot(x, ones * 0, color=_C["shared"], label="model: shared vs kernel copy")
        n0, g, n1 = self.observations
        a["observed"], = bx.plot([n0, n1], [0.0, g], "s", mfc="white", mec=_C["obs"], mew=2,
                                 zorder=6, label="observed mapped sockets (§4)")
        a["gain_point"], = bx.plot([1.0], [0.0], "o", color=OKABE_ITO["black"], zorder=7, markersize=6)
        a["gain_now_line"] = bx.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        bx.axhline(0.0, color="0.5", linewidth=0.8)
        bx.set(xscale="log", xlim=(x[0], x[-1]), ylim=(-0.05, 0.55))
        bx.xaxis.set_major_formatter(_bytes_formatter())
        bx.set_xticks([1, 2 ** 10, 2 ** 20, 2 ** 26])
        bx.yaxis.set_major_formatter(plotting.percent_formatter())
        plotting.decorate(bx, xlabel="Message size", ylabel="Time saved",
                          title="Shared buffer's saving over the kernel copy", legend=False)
        # below the axes, not inside: a legend's square inside the data area reads as a third point
        a["legend_b"] = bx.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=10,
                                  borderaxespad=0.0, **_LEGEND_BOX)
        return a

    def update(self, values):
        n = values["message_bytes"]
        bw, fk, fn, r = (values[k] for k in ("copy_mb_per_s", "kernel_fixed_us", "notify_us",
                                              "remap_us_per_page"))
        x = self.x_bytes
        t = transfer.marshalling_times_us(x, bw, fk, fn, r, self.page_bytes)
        now = transfer.marshalling_times_us(n, bw, fk, fn, r, self.page_bytes)
        xo = transfer.marshalling_crossovers(bw, fk, fn, r, self.page_bytes)
        gain = 1.0 - t["shared_buffer_us"] / t["kernel_copy_us"]
        gain_now = 1.0 - now["shared_buffer_us"] / now["kernel_copy_us"]
        a = self.artists
        for key, name in (("kernel", "kernel_copy_us"), ("shared", "shared_buffer_us"), ("remap", "remap_us")):
            a[key].set_ydata(t[name])
        a["now_points"].set_data([n, n, n], [now["kernel_copy_us"], now["shared_buffer_us"], now["remap_us"]])
        a["now_line"].set_xdata([n, n])
        row = 0
        for key, (_color, label) in _XO_STYLE.items():
            c = xo[key]
            shown = bool(x[0] < c < x[-1])
            a[f"xo_{key}"].set_visible(shown)
            a[f"xo_{key}_text"].set_visible(shown)
            if shown:
                a[f"xo_{key}"].set_xdata([c, c])
                text = a[f"xo_{key}_text"]
                text.set_y(0.71 - 0.075 * row)
                text.set_text(f"- - {label}: {format_bytes(c)}")
                row += 1
        ys = np.concatenate([t["kernel_copy_us"], t["shared_buffer_us"], t["remap_us"]])
        # round limits just outside the data, so that most slider moves keep them (fast redraw)
        a["ax"].set_ylim(plotting.nice_floor(ys.min() / 1.25), plotting.nice_ceiling(ys.max() * 1.25))
        a["bx"].set_ylim(*_gain_limits(gain, self.observations[1]))
        a["gain"].set_ydata(gain)
        a["gain_point"].set_data([n], [gain_now])
        a["gain_now_line"].set_xdata([n, n])
        return {"message_bytes": x, **t, "gain_shared_vs_kernel": gain, "crossovers_bytes": xo,
                "current": {"message_bytes": n, **now, "gain_shared_vs_kernel": gain_now},
                "observed_bytes": np.array([self.observations[0], self.observations[2]]),
                "observed_gain": np.array([0.0, self.observations[1]])}

    def describe(self, values, plotted):
        now, xo = plotted["current"], plotted["crossovers_bytes"]
        n = values["message_bytes"]
        times = {"the kernel copy": now["kernel_copy_us"], "the shared buffer": now["shared_buffer_us"],
                 "remapping": now["remap_us"]}
        low = min(times.values())
        best = [k for k, t in times.items() if t <= low * (1 + 1e-9)]
        cheapest = f"{best[0]} is cheapest" if len(best) == 1 else f"{' and '.join(best)} tie as cheapest"
        head = (f"A {format_bytes(n)} message takes {format_us(now['kernel_copy_us'])} through the "
                f"kernel, {format_us(now['shared_buffer_us'])} through the shared buffer and "
                f"{format_us(now['remap_us'])} by remapping pages at "
                f"{format_us(values['remap_us_per_page'])} per page (a value no source gives); "
                f"{cheapest}. ")

        def when(c, what, other):
            if c == 0:
                return f"{what} at every size"
            if not np.isfinite(c):
                if np.any(plotted["remap_us"] < plotted[other]):
                    return f"{what} on parts of some pages, but never at every larger size"
                return f"{what} at no size"
            return f"{what} at every size above {format_bytes(c)}"

        return head + (
            when(xo["kernel_to_shared"], "The shared buffer beats the kernel copy", None) + "; "
            + when(xo["kernel_to_remap"], "remapping beats the kernel copy", "kernel_copy_us") + "; "
            + when(xo["shared_to_remap"], "remapping beats the shared buffer", "shared_buffer_us") + ". "
            f"Saving of the shared buffer at this size: {format_percent(now['gain_shared_vs_kernel'])} "
            f"(mapped sockets: none below {format_bytes(self.observations[0])}, "
            f"{format_percent(self.observations[1])} at {format_bytes(self.observations[2])}).")


# ---- the X11 explorer -------------------------------------------------------------------------

_POLICY_LABEL = {"mach-message-per-flush": "Mach message per flush",
                 "socket-coalescing": "Unix socket",
                 "shared-buffer": "shared buffer + wake-up"}
_POLICY_COLOR = {"mach-message-per-flush": OKABE_ITO["vermillion"],
                 "socket-coalescing": OKABE_ITO["orange"],
                 "shared-buffer": OKABE_ITO["blue"]}
_MEASURES = (("messages_per_flush", "messages"), ("crossings_per_flush", "user-kernel\ncrossings"),
             ("wakeups_per_flush", "server\nwake-ups"))


class X11Explorer(Explorer):
    """Notebook 03: X11 flush batching (§4) over the flushes that pile up between collections.

    Control: ``flushes_per_collection`` (flushes, mean, >= 1). The stream has :attr:`flushes`
    flushes and a fixed :attr:`seed`, so the same slider value always shows the same counts.
    """

    flushes = 1000
    seed = 1
    x_grid = np.unique(np.round(np.logspace(0, np.log2(64), 25, base=2), 3))
    default_machine = None
    machine_params: dict = {}  # no machine parameters, no presets: the menu hides itself
    figsize = (11.5, 4.4)
    controls = (SliderSpec("flushes_per_collection", "Flushes between collections", "flushes",
                           1.0, 64.0, log=True, base=2, step=0.125, fmt=".3g",
                           help="Mean number of client flushes before the X server collects "
                                "(1 = the server keeps up)"),)
    fixed_defaults = {"flushes_per_collection": 4.0}
    _curves_cache: dict | None = None

    def reading_notes(self):
        return [f"Each point simulates {self.flushes} flushes with seed {self.seed} "
                "(ipcmodel.transfer.simulate_x11_flushes). No preset: the paper gives no "
                "flush or collection rates."]

    @classmethod
    def curves(cls) -> dict:
        """Crossings per flush over :attr:`x_grid` for each policy (computed once, then cached)."""
        if cls._curves_cache is None:
            out = {p: np.empty(cls.x_grid.size) for p in transfer.X11_POLICIES}
            for i, m in enumerate(cls.x_grid):
                for p, r in transfer.x11_counts(m, cls.flushes, cls.seed).items():
                    out[p][i] = r.crossings_per_flush
            cls._curves_cache = out
        return {p: v.copy() for p, v in cls._curves_cache.items()}

    def build(self, fig):
        ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
        a = {"ax": ax, "bx": bx}
        width = 0.26
        for j, p in enumerate(transfer.X11_POLICIES):
            xs = np.arange(len(_MEASURES)) + (j - 1) * width
            a[f"bars_{p}"] = ax.bar(xs, np.zeros(len(_MEASURES)), width, color=_POLICY_COLOR[p],
                                    label=_POLICY_LABEL[p])
            a[f"labels_{p}"] = [ax.text(x, 0, "", ha="center", va="bottom", fontsize=9) for x in xs]
        ax.set_xticks(np.arange(len(_MEASURES)), [m[1] for m in _MEASURES])
        ax.set_ylim(0, 2.4)
        plotting.decorate(ax, ylabel="Per flush", title="Per client flush", legend=False)
        for p in transfer.X11_POLICIES:
            a[f"curve_{p}"], = bx.plot(self.x_grid, np.ones_like(self.x_grid), color=_POLICY_COLOR[p],
                                       marker=".", label=_POLICY_LABEL[p])
        a["now_line"] = bx.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        a["now_points"], = bx.plot([1, 1, 1], [1, 1, 1], "o", color=OKABE_ITO["black"], zorder=6,
                                   markersize=6)
        bx.set(xscale="log", xlim=(0.9, 70), ylim=(0, 2.2))
        bx.set_xscale("log", base=2)
        bx.xaxis.set_major_formatter(plotting.number_formatter())
        plotting.decorate(bx, xlabel="Flushes between two collections (mean)",
                          ylabel="User-kernel crossings per flush", title="Crossings as the server falls behind",
                          legend=False)
        a["legend"] = bx.legend(loc="upper right", bbox_to_anchor=(1.0, 0.86), fontsize=10,
                                **_LEGEND_BOX)
        return a

    def update(self, values):
        m = values["flushes_per_collection"]
        counts = transfer.x11_counts(m, self.flushes, self.seed)
        curves = self.curves()
        a = self.artists
        per = {}
        for p, r in counts.items():
            per[p] = np.array([getattr(r, key) for key, _ in _MEASURES])
            for rect, lab, v in zip(a[f"bars_{p}"].patches, a[f"labels_{p}"], per[p], strict=True):
                rect.set_height(v)
                lab.set_y(v + 0.03)
                lab.set_text(f"{v:.3g}")
            a[f"curve_{p}"].set_ydata(curves[p])
        a["now_line"].set_xdata([m, m])
        a["now_points"].set_data([m, m, m], [counts[p].crossings_per_flush for p in transfer.X11_POLICIES])
        return {"flushes_per_collection": m, "per_flush": per, "counts": counts,
                "grid_flushes_per_collection": self.x_grid.copy(), "grid_crossings_per_flush": curves}

    def describe(self, values, plotted):
        c = plotted["counts"]
        mach, sock, shm = (c[p] for p in transfer.X11_POLICIES)
        return (f"With about {values['flushes_per_collection']:.3g} flushes between collections "
                f"({mach.flushes} flushes, {sock.server_wakeups} collections): Mach messages cost "
                f"{mach.messages_per_flush:.2f} messages, {mach.crossings_per_flush:.2f} crossings and "
                f"{mach.wakeups_per_flush:.2f} server wake-ups per flush; the socket "
                f"{sock.messages_per_flush:.2f}, {sock.crossings_per_flush:.2f} and "
                f"{sock.wakeups_per_flush:.2f}; the shared buffer {shm.messages_per_flush:.2f}, "
                f"{shm.crossings_per_flush:.2f} and {shm.wakeups_per_flush:.2f}.")


def marshalling_explorer(**kw) -> MarshallingExplorer:
    """The size explorer of notebook 03 (keyword arguments go to the Explorer base class)."""
    return MarshallingExplorer(**kw)


def x11_explorer(**kw) -> X11Explorer:
    """The X11 batching explorer of notebook 03 (keyword arguments go to the Explorer base class)."""
    return X11Explorer(**kw)
