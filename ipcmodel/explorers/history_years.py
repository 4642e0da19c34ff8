"""Notebook 07's years story for readers without a kernel, and the processor class of a year.

* :func:`processor_class`: which class of processor an IPC row was measured on ("desktop or
  server" or "embedded"), by a stated rule on the row's machine label (:data:`EMBEDDED_MARKERS`).
  The L4-family table mixes both classes, so a year slider that takes "the IPC of the year"
  jumps between them (2005: Opteron and Itanium; 2007: XScale and StrongARM; 2010: Core i7);
  :func:`year_ipc_source` says which class a year's IPC comes from, and both notebook-07
  explorers show it.
* :func:`years_picture`: the regime map of notebook 05 at a few years side by side (small
  multiples: by default the paper's year, 2005 and the latest data year), a static picture
  with a text reading, so that the saved notebook shows how the map moved, not only 1992.

* :func:`year_devices`: the devices of a year for both explorers and the picture: only measured
  rows (:func:`ipcmodel.history.devices.device_of_year`), never a formula value, with the network
  through the kernel and the kernel-bypass RPC kept apart (eRPC's 5.5 µs is a replication latency,
  an upper bound of one round trip, and has no kernel-path row of its era to be set against).
  :func:`overhead_text` words a device's overhead for the readings: a kernel-bypass access makes
  no system call, so on a map against a system call it gets no overhead figure (the one stated
  comparison is :func:`ipcmodel.history.bypass_share` at the row's own year).

The reading names each device kind left out and why. The model is
:func:`ipcmodel.history.year_state` (IPC, system call) and :mod:`ipcmodel.history.devices`.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.patheffects import withStroke

from ipcmodel import history, plotting, service
from ipcmodel.formatting import format_percent, format_us
from ipcmodel.history import devices as history_devices
from ipcmodel.history.floor import EMBEDDED_MARKERS, PROCESSOR_CLASSES, processor_class
from ipcmodel.history.pairs import machine_label
from ipcmodel.history.rows import THEN_YEAR
from ipcmodel.service import DEFAULT_THRESHOLD

__all__ = [
    "EMBEDDED_MARKERS",
    "PROCESSOR_CLASSES",
    "YearSource",
    "YEAR_DEVICES",
    "processor_class",
    "year_devices",
    "device_text",
    "device_note",
    "overhead_text",
    "BYPASS_LABEL",
    "year_ipc_source",
    "default_picture_years",
    "YearsPicture",
    "years_picture",
]

@dataclass(frozen=True)
class YearSource:
    """Where the IPC of a year comes from.

    ``label`` is one of :data:`PROCESSOR_CLASSES`, ``"mixed"`` (measured rows of both
    classes, the median taken across them) or ``"trend"`` (a fitted trend through every class);
    ``machines`` are the measured rows' machine labels (empty for a trend); ``basis`` is the
    estimate's (:class:`ipcmodel.history.Estimate`).
    """

    year: int
    label: str
    machines: tuple[str, ...]
    basis: str

    def short(self) -> str:
        """The class in a few words, for a caption."""
        if self.label == "trend":
            return "trend, all classes"
        n = len(self.machines)
        rows = f"{n} row{'s' if n != 1 else ''}"
        if self.label == "mixed":
            return f"{rows}, desktop or server and embedded mixed"
        return f"{rows}, {self.label}"

    def phrase(self) -> str:
        """The class in words, for a reading."""
        if self.label == "trend":
            return "a trend through desktop, server and embedded rows alike"
        names = ", ".join(self.machines)
        if self.label == "mixed":
            return f"a median across desktop or server and embedded processors ({names})"
        return f"{self.label} processors ({names})"


def year_ipc_source(year) -> YearSource:
    """The processor class behind ``history.estimate_for_year("ipc_round_trip_us", year)``."""
    e = history.estimate_for_year("ipc_round_trip_us", year)
    if e.basis != "measured":
        return YearSource(e.year, "trend", (), e.basis)
    by_id = {r.id: r for r in history.history_rows("ipc")}
    rows = [by_id[i] for i in e.row_ids if i in by_id]
    classes = {processor_class(r) for r in rows}
    label = classes.pop() if len(classes) == 1 else "mixed"
    return YearSource(e.year, label, tuple(machine_label(r) for r in rows), e.basis)


#: The device kinds of the year maps: :func:`ipcmodel.history.devices.device_of_year` kind -> label.
YEAR_DEVICES = {"disk": "disk", "ssd": "SSD", "network_kernel": "network",
                "network_bypass": "kernel-bypass RPC"}


def year_devices(state) -> tuple[dict, dict]:
    """The measured devices of ``state.year`` and the IPC overhead each sees on that map.

    Parameters
    ----------
    state : ipcmodel.history.YearState
        The map's year, IPC, system call (or 0 against kernel bypass) and cache terms.

    Returns
    -------
    (shown, left_out)
        ``shown``: label -> (device µs, overhead fraction, DeviceOfYear) for each kind with a
        measured row standing for the year; ``left_out``: label -> why a kind has none.
    """
    shown, left = {}, {}
    for kind, label in YEAR_DEVICES.items():
        d = history_devices.device_of_year(kind, state.year)
        if d.value_us is None:
            left[label] = d.note
            continue
        o = service.ipc_overhead_fraction(state.ipc_us, state.syscall_us, d.value_us,
                                          service_locality_us=state.service_locality_us,
                                          ipc_path_locality_us=state.ipc_path_locality_us,
                                          crossings_per_use=state.crossings_per_use)
        shown[label] = (float(d.value_us), float(o), d)
    return shown, left


#: The label of the kernel-bypass device in :data:`YEAR_DEVICES`.
BYPASS_LABEL = YEAR_DEVICES["network_bypass"]


def overhead_text(label: str, overhead, state, suffix: str = "") -> str:
    """A device's IPC overhead as the readings print it.

    A percentage, except for the kernel-bypass RPC on a map against a system call: its path
    makes no system call, so "IPC minus a system call" is no comparison for it (it is drawn, but
    its share is the one against no kernel crossing, :func:`ipcmodel.history.bypass_share`).
    ``suffix`` follows a percentage (e.g. ``" overhead"``).
    """
    if label == BYPASS_LABEL and state.baseline == "syscall":
        return "no system call on its path, so no overhead against one"
    return format_percent(overhead) + suffix


def _basis_phrase(e) -> str:
    if e.basis == "measured":  # cycles without a stated clock are not a measured time (critic C4 H1)
        return "cycles measured, time formula-clocked" if e.formula_clock else "measured"
    return "extrapolated" if e.extrapolated else ("Scott formula" if e.basis == "formula" else "fitted trend")


def device_note(label: str, d) -> str:
    """A device's note for the readings; for the network through a kernel also what the row times
    (1992's 4.8 ms is a whole in-kernel UDP round trip between user processes, not a wire time:
    :func:`ipcmodel.history.devices.device_of_year` says so in its ``label``)."""
    return f"{d.note}; {d.label}" if label == YEAR_DEVICES["network_kernel"] and d.label else d.note


def device_text(label: str, d) -> str:
    """A device's label with its own year when that is not the map's (``"SSD (2017)"``)."""
    return label if d.measured_year == d.year else f"{label} ({d.measured_year})"


def default_picture_years() -> tuple[int, int, int]:
    """The paper's year, 2005 (the year Scott's clock stops climbing) and the latest data year."""
    return (THEN_YEAR, 2005, history.year_range()[1])


_DEVICE_COLORS = {"disk": plotting.OKABE_ITO["vermillion"], "SSD": plotting.OKABE_ITO["reddish_purple"],
                  "network": plotting.OKABE_ITO["sky_blue"], "kernel-bypass RPC": plotting.OKABE_ITO["orange"]}
_DEVICE_MARKERS = {"disk": "o", "SSD": "s", "network": "^", "kernel-bypass RPC": "v"}


class YearsPicture:
    """Small multiples of the year regime map: a static PNG and a text reading (see :func:`years_picture`)."""

    x_us = np.logspace(-2, 3, 101)
    y_us = np.logspace(-1, 6, 71)
    xb_us = np.logspace(-2, 3, 300)

    def __init__(self, years, threshold: float = DEFAULT_THRESHOLD):
        self.years = tuple(int(y) for y in years)
        if not 1 <= len(self.years) <= 4:
            raise ValueError(f"years must hold 1 to 4 calendar years; got {len(self.years)}")
        self.threshold = threshold
        self.states = [history.year_state(y, threshold) for y in self.years]
        self.sources = [year_ipc_source(s.year) for s in self.states]
        self.devices = [year_devices(s) for s in self.states]

    def drawn_devices(self, state) -> dict:
        """label -> (device µs, overhead fraction, DeviceOfYear): the measured devices of ``state``."""
        return self.devices[self.states.index(state)][0]

    def left_out(self, state) -> dict:
        """label -> why a device kind of the year is not drawn."""
        return self.devices[self.states.index(state)][1]

    def panel(self, ax, s, src):
        cmap = matplotlib.colormaps[plotting.SEQUENTIAL_CMAP]
        cmap = cmap.with_extremes(under=cmap(0.0), bad=(0.78, 0.78, 0.78, 1.0))
        z = service.ipc_overhead_fraction(self.x_us[None, :], s.syscall_us, self.y_us[:, None])
        impossible = np.broadcast_to(self.x_us[None, :] < s.syscall_us, z.shape)
        mesh = ax.pcolormesh(self.x_us, self.y_us, np.ma.masked_array(z, mask=impossible),
                             shading="nearest", cmap=cmap, norm=LogNorm(1e-4, 1.0))
        dark = [withStroke(linewidth=4.0, foreground="black")]
        boundary = service.break_even_service_us(self.xb_us, s.syscall_us, self.threshold)
        ax.plot(self.xb_us, boundary, color="white", linewidth=2.0, path_effects=dark)
        e = s.machine["ipc_round_trip_us"]
        ax.axvline(s.ipc_us, color=plotting.OKABE_ITO["bluish_green"], linewidth=2.5,
                   linestyle="-" if e.basis == "measured" else "--",
                   path_effects=[withStroke(linewidth=4.5, foreground="black")])
        for k, (label, (d, o, dev)) in enumerate(self.drawn_devices(s).items()):
            ax.plot([s.ipc_us], [d], _DEVICE_MARKERS[label], color=_DEVICE_COLORS[label], mec="black",
                    mew=1.2, markersize=10, zorder=6)
            right = s.ipc_us < 10.0  # labels go to the side with more room (the x axis is log, 0.01 µs-1 ms)
            short = device_text("bypass RPC" if label == "kernel-bypass RPC" else label, dev)
            share = "" if label == BYPASS_LABEL and s.baseline == "syscall" else f": {format_percent(o)}"
            ax.annotate(f"{short} {format_us(d)}{share}", (s.ipc_us, d),
                        xytext=(10 if right else -10, 10 - 16 * k), textcoords="offset points",
                        ha="left" if right else "right", fontsize=9.5, zorder=7,
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.3", "alpha": 0.9})
        ax.set(xscale="log", yscale="log", xlim=(self.x_us[0], self.x_us[-1]),
               ylim=(self.y_us[0], self.y_us[-1]))
        ax.grid(False)
        ax.xaxis.set_major_formatter(plotting.us_formatter())
        ax.yaxis.set_major_formatter(plotting.us_formatter())
        what = (("formula-clocked" if e.formula_clock else "measured") if e.basis == "measured" else e.basis)
        cls = {"trend": "trend, all classes", "mixed": "desktop/server and embedded"}.get(src.label, src.label)
        ax.set_title(f"{s.year}: IPC {format_us(s.ipc_us)} ({what})\n{cls}", fontsize=12)
        ax.set_xlabel("IPC round trip")
        return mesh

    def png(self) -> bytes:
        n = len(self.years)
        fig, axes = plotting.new_figure((4.6 * n + 1.2, 5.2), 100, 1, n, squeeze=False)
        with plotting.style():
            axes = axes[0]
            mesh = None
            for ax, s, src in zip(axes, self.states, self.sources, strict=True):
                mesh = self.panel(ax, s, src)
            axes[0].set_ylabel("Service / device time")
            fig.subplots_adjust(left=0.07, right=0.9, bottom=0.13, top=0.8, wspace=0.28)
            cax = fig.add_axes((0.92, 0.13, 0.015, 0.67))
            fig.colorbar(mesh, cax=cax, extend="min", format=plotting.percent_formatter(),
                         label="IPC overhead")
            fig.suptitle("The regime map in three years: above the white boundary IPC overhead is "
                         f"below {format_percent(self.threshold)}; green line: the IPC of the year; "
                         "grey: IPC cheaper than a system call (impossible on one machine)",
                         fontsize=11, wrap=True)
            return plotting.figure_png(fig)

    def text(self) -> str:
        parts = []
        for s, src in zip(self.states, self.sources, strict=True):
            e = s.machine["ipc_round_trip_us"]
            drawn = self.drawn_devices(s)
            devs = "; ".join(f"{device_text(label, dev)} {format_us(d)} ({device_note(label, dev)}): "
                             f"{overhead_text(label, o, s, ' overhead')}"
                             for label, (d, o, dev) in drawn.items())
            heading = history_devices.devices_heading(dev for _d, _o, dev in drawn.values())
            out = (f"{s.year}: IPC round trip {format_us(s.ipc_us)} ({_basis_phrase(e)}; from {src.phrase()}) "
                   f"against a system call {'derived from the IPC ÷ system-call ratio' if s.machine['syscall_us'].derived else 'of the same machine'} of {format_us(s.syscall_us)}; "
                   f"threshold boundary at devices of {format_us(s.break_even_us)}; "
                   f"{heading}: {devs or 'none'}")
            left = self.left_out(s)
            if left:
                out += "; not drawn: " + "; ".join(f"{k} ({why})" for k, why in left.items())
            parts.append(out + ".")
        return "\n".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The picture with alt text and its reading as visible text (HTML), the PNG, the text."""
        from ipcmodel.explorers.render import static_bundle

        return static_bundle(self.png(), self.text())

    def __repr__(self) -> str:
        return self.text()


def years_picture(years=None, threshold: float = DEFAULT_THRESHOLD) -> YearsPicture:
    """The regime map at a few years side by side (default :func:`default_picture_years`).

    Parameters
    ----------
    years : sequence of int, optional
        One to four calendar years in :func:`ipcmodel.history.year_range`.
    threshold : float
        Acceptable IPC overhead fraction, in (0, 1), for the white boundary.

    Displayed in a notebook, it shows the PNG; ``repr`` is the text reading (for screen readers).
    """
    return YearsPicture(default_picture_years() if years is None else years, threshold)
