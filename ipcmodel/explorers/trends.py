"""Explorer and helpers for notebook 01 (Bershad 1992, §2 and §2.1).

§2: IPC "moved off of the memory curve and onto the processor curve", so it speeds up with the
processor while disks, networks and memory copies do not. §2.1: a system call speeds up too, so
the *ratio* of IPC to system call stays (about) the same while the *absolute* gap shrinks next to
the device it leads to.

* :func:`generations_explorer`: a processor-speedup slider and three processor-share sliders;
  IPC, system call and a device time over processor "generations", and the two ratios of §2.1.

The model is :mod:`ipcmodel.trends` (:func:`~ipcmodel.trends.scaled_time_us`,
:func:`~ipcmodel.trends.processor_share_from_times`); the numbers of §2 (the 512-byte wire time,
the comparison of :func:`~ipcmodel.paper.section2_comparisons`) come from :mod:`ipcmodel.paper`.
"""

from __future__ import annotations

import numpy as np

from ipcmodel import paper, plotting, trends
from ipcmodel.data import fact
from ipcmodel.explorers.core import Explorer, Preset, SliderSpec
from ipcmodel.explorers.service import SLIDERS
from ipcmodel.machines import machine
from ipcmodel.plotting import OKABE_ITO, format_us

__all__ = [
    "GenerationsExplorer",
    "generations_explorer",
    "GENERATION_PRESET",
    "LINE_COLOURS",
    "LINE_STYLES",
]


# ---- the explorer -----------------------------------------------------------------------------

def _share(name, label, help_text):
    return SliderSpec(name, label, "fraction", 0.0, 1.0, step=0.01, fmt=".2f", help=help_text)


_SPEEDUP = SliderSpec("speedup_factor", "Processor speedup", "×", 1.0, 1000.0, log=True,
                      help="How many times faster the new processor is than the old one (§2)")
_IPC_SHARE = _share("ipc_share", "IPC on the processor curve",
                    "Share of the IPC time that scales with the processor (1 = all, §2)")
_SYSCALL_SHARE = _share("syscall_share", "System call on the curve",
                        "Share of the system-call time that scales with the processor")
_DEVICE_SHARE = _share("device_share", "Device on the curve",
                       "Share of the device time that scales with the processor (0 = a wire, a disk)")

#: Label of the preset that starts from the CVax and jumps to the DECstation 5000/200's rating.
GENERATION_PRESET = "CVax → DECstation 5000/200 at its rating"

#: Colour of each line, by its name in :data:`ipcmodel.plotting.OKABE_ITO` (the notebook's text
#: uses these names, with "_" read as a space). No orange next to vermillion: the two look alike.
LINE_COLOURS = {"ipc": "blue", "syscall": "reddish_purple", "device": "bluish_green",
                "gap": "vermillion"}
#: Line style and marker of each line, so that lines of close values stay apart in greyscale too.
LINE_STYLES = {"ipc": ("-", "^"), "syscall": ("-", "v"), "device": ("-.", "D"), "gap": ("--", "X")}
#: Direct labels, written along their lines: (text, preferred side, speedups to try, in order).
#: Each label goes to the first place where it crosses no other line, label or measured point;
#: where there is none, it is left out (the legend still names the line).
_LABELS = {"device": ("device", "above", (400.0, 150.0, 40.0, 15.0, 5.0)),
           "ipc": ("IPC round trip", "above", (120.0, 40.0, 300.0, 15.0, 600.0, 5.0)),
           "gap": ("IPC − system call", "below", (40.0, 120.0, 15.0, 300.0, 600.0, 5.0)),
           "syscall": ("system call", "below", (40.0, 120.0, 15.0, 300.0, 5.0))}
#: Gap between a label and its line (points).
_LABEL_GAP_PT = 8.0
_COLORS = {k: OKABE_ITO[v] for k, v in LINE_COLOURS.items()}


class GenerationsExplorer(Explorer):
    """Notebook 01: IPC, system call and a device over processor generations (§2, §2.1).

    Controls (model keywords): ``speedup_factor`` (×), ``ipc_us``, ``syscall_us``, ``device_us``
    (µs, on the *old* machine) and ``ipc_share``, ``syscall_share``, ``device_share`` (the
    fraction of each that scales with the processor, see :func:`ipcmodel.trends.scaled_time_us`).
    """

    x_speedup = np.logspace(0, 3, 300)
    xlim = (0.8, 1250.0)
    default_machine = "cvax"
    figsize = (11.5, 4.6)

    controls = (_SPEEDUP, SLIDERS["ipc_us"], SLIDERS["syscall_us"], SLIDERS["device_us"],
                _IPC_SHARE, _SYSCALL_SHARE, _DEVICE_SHARE)

    @property
    def fixed_defaults(self):
        return {"speedup_factor": 1.0, "device_us": paper.wire_time_512_us(),
                "ipc_share": 1.0, "syscall_share": 1.0, "device_share": 0.0}

    def extra_presets(self):
        cvax, rating = machine("cvax"), fact("b92-rating-ds5000-vs-cvax")
        return [Preset(GENERATION_PRESET, {"ipc_us": cvax.rpc_us, "syscall_us": cvax.syscall_us,
                                           "speedup_factor": rating.value},
                       missing=("device_us",), first=True)]

    def reading_notes(self):
        rating = fact("b92-rating-ds5000-vs-cvax")
        return [
            f"Device to start with: {format_us(paper.wire_time_512_us())} = the wire time of §2's "
            f"{fact('b92-buffer-copy-block').value:g}-byte block on a "
            f"{fact('mb92-ethernet-rate').value:g} Mb/s Ethernet {fact('mb92-ethernet-rate').cite()} "
            "(our choice of packet; the paper gives no device times).",
            "Open squares: measured, the CVax at 1× and the DECstation 5000/200 at its rating of "
            f"{rating.qualifier} {rating.value:g}× {rating.cite()}; round-trip RPCs "
            f"{fact('b92-rpc-cvax-1992').cite()} {fact('b92-rpc-ds5000').cite()}, system calls "
            f"{fact('b92-syscall-cvax').cite()}.",
        ]

    def build(self, fig):
        ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
        x = self.x_speedup
        a = {"ax": ax, "bx": bx}
        ones = np.ones_like(x)
        names = {"ipc": "IPC round trip", "syscall": "system call", "device": "device",
                 "gap": "IPC − system call"}
        for i, key in enumerate(("ipc", "syscall", "device", "gap")):
            style, marker = LINE_STYLES[key]
            a[f"{key}_curve"], = ax.plot(x, ones, style, color=_COLORS[key], label=names[key],
                                         marker=marker, markersize=7, markevery=(0.03 * i, 0.12),
                                         markeredgecolor="white", markeredgewidth=0.6)
            a[f"{key}_label"] = ax.annotate(
                _LABELS[key][0], (1.0, 1.0), xytext=(0, 0), textcoords="offset points", ha="center",
                va="bottom", rotation_mode="anchor", fontsize=10.5, color=_COLORS[key],
                fontweight="bold", annotation_clip=True)
        a["now_line"] = ax.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        a["measured"], = ax.plot([1, 1], [1, 1], "s", mfc="none", mec=OKABE_ITO["black"],
                                 ms=13, mew=1.5, zorder=6, label="measured (§2, §2.1)")
        # the slider's points go on top of the measured squares (inside them at 1× and at the rating)
        # (each in its line's marker shape, larger and edged in black: close values stay apart)
        for key in ("ipc", "syscall", "device", "gap"):
            a[f"{key}_point"], = ax.plot([1.0], [1.0], LINE_STYLES[key][1], color=_COLORS[key], ms=11,
                                         mec=OKABE_ITO["black"], mew=1.0, zorder=7)
        a["measured_labels"] = plotting.annotate_points(
            ax, [1.0, 1.0], [1.0, 1.0], ["CVax", "DS5000/200"], offsets=[(12, 10), (24, 24)],
            fontsize=10, va="bottom")
        ax.set(xscale="log", yscale="log", xlim=self.xlim)
        ax.xaxis.set_major_formatter(plotting.number_formatter(suffix="×"))
        ax.yaxis.set_major_formatter(plotting.us_formatter())
        plotting.decorate(ax, xlabel="Processor speedup over the old machine", ylabel="Time",
                          title="What gets faster with the processor", legend=False)
        a["legend"] = ax.legend(loc="lower left", fontsize=9.5)
        a["ratio_curve"], = bx.plot(x, ones, "-", color=_COLORS["syscall"], label="IPC ÷ system call",
                                    marker=LINE_STYLES["syscall"][1], markersize=7, markevery=(0.0, 0.12),
                                    markeredgecolor="white", markeredgewidth=0.6)
        a["share_curve"], = bx.plot(x, ones, "--", color=_COLORS["gap"],
                                    label="(IPC − system call) ÷ device",
                                    marker=LINE_STYLES["gap"][1], markersize=7, markevery=(0.06, 0.12),
                                    markeredgecolor="white", markeredgewidth=0.6)
        a["ratio_measured"], = bx.plot([1, 1], [1, 1], "s", mfc="none", mec=OKABE_ITO["black"],
                                       ms=13, mew=1.5, zorder=6, label="measured ratio (§2.1)")
        a["ratio_point"], = bx.plot([1.0], [1.0], LINE_STYLES["syscall"][1], color=_COLORS["syscall"],
                                    ms=11, mec=OKABE_ITO["black"], mew=1.0, zorder=7)
        a["share_point"], = bx.plot([1.0], [1.0], LINE_STYLES["gap"][1], color=_COLORS["gap"], ms=11,
                                    mec=OKABE_ITO["black"], mew=1.0, zorder=7)
        a["now_line_b"] = bx.axvline(1.0, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2)
        bx.axhline(1.0, color="0.5", linewidth=0.8)
        bx.set(xscale="log", yscale="log", xlim=self.xlim)
        bx.xaxis.set_major_formatter(plotting.number_formatter(suffix="×"))
        bx.yaxis.set_major_formatter(plotting.number_formatter())
        plotting.decorate(bx, xlabel="Processor speedup over the old machine", ylabel="Ratio (no unit)",
                          title="§2.1: relative vs absolute", legend=False)
        # "best": the legend moves out of the way of the lines when a what-if bends them
        a["legend_b"] = bx.legend(loc="best", fontsize=10)
        return a

    def _measured(self):
        cvax, ds = machine("cvax"), machine("ds5000")
        rating = fact("b92-rating-ds5000-vs-cvax").value
        xs = np.array([1.0, 1.0, rating, rating])
        ys = np.array([cvax.rpc_us, cvax.syscall_us, ds.rpc_us, ds.syscall_us])
        ratios = np.array([cvax.rpc_us / cvax.syscall_us, ds.rpc_us / ds.syscall_us])
        return xs, ys, np.array([1.0, rating]), ratios

    def update(self, values):
        s = values["speedup_factor"]
        x = self.x_speedup
        curves, now = {}, {}
        for key in ("ipc", "syscall", "device"):
            t0, share = values[f"{key}_us"], values[f"{key}_share"]
            curves[key] = trends.scaled_time_us(t0, x, share)
            now[key] = trends.scaled_time_us(t0, s, share)
        gap = curves["ipc"] - curves["syscall"]
        gap_now = now["ipc"] - now["syscall"]
        ratio = curves["ipc"] / curves["syscall"]
        ratio_now = now["ipc"] / now["syscall"]
        share = gap / curves["device"]
        share_now = gap_now / now["device"]
        a = self.artists
        for key in ("ipc", "syscall", "device"):
            a[f"{key}_curve"].set_ydata(curves[key])
            a[f"{key}_point"].set_data([s], [now[key]])
        a["gap_curve"].set_ydata(np.where(gap > 0, gap, np.nan))
        # an all-NaN line with markers cannot be drawn (matplotlib's markevery): hide it instead
        a["gap_curve"].set_visible(bool(np.any(gap > 0)))
        a["gap_point"].set_data([s], [gap_now if gap_now > 0 else np.nan])
        a["ratio_curve"].set_ydata(ratio)
        a["ratio_point"].set_data([s], [ratio_now])
        a["share_curve"].set_ydata(np.where(share > 0, share, np.nan))
        a["share_curve"].set_visible(bool(np.any(share > 0)))
        a["share_point"].set_data([s], [share_now if share_now > 0 else np.nan])
        mx, my, rx, ry = self._measured()
        a["measured"].set_data(mx, my)
        for ann, xy in zip(a["measured_labels"], ((mx[0], my[0]), (mx[2], my[2])), strict=True):
            ann.xy = xy
        a["ratio_measured"].set_data(rx, ry)
        for line in (a["now_line"], a["now_line_b"]):
            line.set_xdata([s, s])
        ys = np.concatenate([curves["ipc"], curves["syscall"], curves["device"], my])
        a["ax"].set_ylim(*plotting.decade_limits(ys.min() / 1.5, ys.max() * 1.5))
        rs = np.concatenate([ratio, ry, share[share > 0]])
        a["bx"].set_ylim(*plotting.decade_limits(min(rs.min(), 1.0) / 1.5, max(rs.max(), 1.0) * 1.5))
        self._place_labels({**curves, "gap": np.where(gap > 0, gap, np.nan)})
        return {"speedup_factor": x, "ipc_us": curves["ipc"], "syscall_us": curves["syscall"],
                "device_us": curves["device"], "gap_us": gap, "ratio": ratio,
                "gap_share_of_device": share,
                "now": {"speedup_factor": s, "ipc_us": now["ipc"], "syscall_us": now["syscall"],
                        "device_us": now["device"], "gap_us": gap_now, "ratio": ratio_now,
                        "gap_share_of_device": share_now}}

    def _text_size_px(self, text):
        """(width, height) of an unrotated label in pixels."""
        label = self.artists["ipc_label"]
        renderer = self.figure.canvas.get_renderer()
        w, h, _d = renderer.get_text_width_height_descent(text, label.get_fontproperties(), ismath=False)
        return w, h

    def _place_labels(self, curves):
        """Put each direct label along its line, turned to the line's slope on the screen, at the
        first of its candidate places that is clear of the other lines, labels and measured
        points (after the axis limits are set: positions on the screen depend on them)."""
        a, x = self.artists, self.x_speedup
        ax = a["ax"]
        to_screen = ax.transData.transform
        px_per_pt = self.figure.dpi / 72.0
        box = ax.get_window_extent()
        screen = {}
        for key, ys in curves.items():
            ok = np.isfinite(ys) & (ys > 0)
            screen[key] = to_screen(np.column_stack([x[ok], ys[ok]])) if ok.any() else np.empty((0, 2))
        # obstacles: the measured squares and their labels, as screen boxes (x0, x1, y0, y1)
        obstacles = []
        half = 0.5 * a["measured"].get_markersize() * px_per_pt
        for mx, my in to_screen(np.column_stack(a["measured"].get_data())):
            obstacles.append((mx - half, mx + half, my - half, my + half))
        for key in curves:   # the slider's points
            px, py = (float(v[0]) for v in a[f"{key}_point"].get_data())
            if np.isfinite(py) and py > 0:
                (qx, qy), r = to_screen([(px, py)])[0], 0.5 * a[f"{key}_point"].get_markersize() * px_per_pt
                obstacles.append((qx - r, qx + r, qy - r, qy + r))
        for ann in a["measured_labels"]:
            w, h = self._text_size_px(ann.get_text())
            (ox, oy), (dx, dy) = to_screen([ann.xy])[0], np.asarray(ann.xyann) * px_per_pt
            obstacles.append((ox + dx, ox + dx + w, oy + dy, oy + dy + h))
        placed = []   # (sample xs, band lows, band highs) of the labels placed so far

        def line_y(key, sx):
            pts = screen[key]
            if len(pts) < 2:
                return np.full_like(sx, np.nan)
            inside = (sx >= pts[0, 0]) & (sx <= pts[-1, 0])
            return np.where(inside, np.interp(sx, pts[:, 0], pts[:, 1]), np.nan)

        def band(key, at, side, w, h):
            pts = screen[key]
            if len(pts) < 2:
                return None
            cx = float(to_screen([(at, 1.0)])[0, 0])
            if not pts[0, 0] <= cx <= pts[-1, 0]:
                return None
            slope = float(np.diff(line_y(key, np.array([cx - 5.0, cx + 5.0])))[0] / 10.0)
            angle = np.arctan(slope)
            sx = cx + np.linspace(-w / 2, w / 2, 9) * np.cos(angle)
            ly = line_y(key, sx)
            if not np.all(np.isfinite(ly)):
                return None
            gap, tall = _LABEL_GAP_PT * px_per_pt, h / np.cos(angle)
            lo, hi = (ly + gap, ly + gap + tall) if side == "above" else (ly - gap - tall, ly - gap)
            return cx, float(np.degrees(angle)), sx, lo, hi

        def clear(key, sx, lo, hi):
            if sx[0] < box.x0 or sx[-1] > box.x1 or lo.min() < box.y0 or hi.max() > box.y1:
                return False
            margin = 2.0
            for other in screen:
                if other != key:
                    oy = line_y(other, sx)
                    if np.any((oy >= lo - margin) & (oy <= hi + margin)):
                        return False
            for qx, qlo, qhi in placed:
                ins = (sx >= qx[0]) & (sx <= qx[-1])
                if ins.any():
                    plo, phi = np.interp(sx[ins], qx, qlo), np.interp(sx[ins], qx, qhi)
                    if np.any((lo[ins] <= phi + margin) & (hi[ins] >= plo - margin)):
                        return False
            for x0, x1, y0, y1 in obstacles:
                ins = (sx >= x0) & (sx <= x1)
                if np.any((lo[ins] <= y1) & (hi[ins] >= y0)):
                    return False
            return True

        for key in _LABELS:
            text, side, places = _LABELS[key]
            label = a[f"{key}_label"]
            w, h = self._text_size_px(text)
            other_side = "below" if side == "above" else "above"
            label.set_visible(False)
            for at, sd in [(at, sd) for sd in (side, other_side) for at in places]:
                found = band(key, at, sd, w, h) if key in curves else None
                if found is None or not clear(key, *found[2:]):
                    continue
                cx, angle, sx, lo, hi = found
                cy = float(line_y(key, np.array([cx]))[0])
                label.xy = tuple(ax.transData.inverted().transform((cx, cy)))
                gap = _LABEL_GAP_PT if sd == "above" else -_LABEL_GAP_PT
                label.xyann = (0.0, gap)
                label.set_va("bottom" if sd == "above" else "top")
                label.set_rotation(angle)
                label.set_visible(True)
                placed.append((sx, lo, hi))
                break

    def describe(self, values, plotted):
        n = plotted["now"]
        s = values["speedup_factor"]
        r0 = values["ipc_us"] / values["syscall_us"]
        g0 = (values["ipc_us"] - values["syscall_us"]) / values["device_us"]

        def was(old):
            return "" if s == 1 else f" (was {old})"

        moved = (("On the starting machine (1×): " if s == 1 else f"On a processor {s:.3g}× faster: ")
                 + f"IPC {format_us(n['ipc_us'])}{was(format_us(values['ipc_us']))}, "
                 f"system call {format_us(n['syscall_us'])}{was(format_us(values['syscall_us']))}, "
                 f"device {format_us(n['device_us'])}{was(format_us(values['device_us']))}. ")
        if n["gap_us"] <= 0:
            return moved + "IPC is no slower than the system call here: there is no gap to pay."
        return (moved + f"IPC costs {n['ratio']:.3g}× a system call{was(f'{r0:.3g}×')}; its extra "
                f"{format_us(n['gap_us'])} is {n['gap_share_of_device']:.3g}× the device time"
                f"{was(f'{g0:.3g}×')}.")


def generations_explorer(**kw) -> GenerationsExplorer:
    """The explorer of notebook 01 (keyword arguments go to :class:`~ipcmodel.explorers.core.Explorer`)."""
    return GenerationsExplorer(**kw)
