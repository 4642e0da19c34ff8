"""The UDP round-trip explorer of notebook 04 (Bershad 1992 §5; Maeda & Bershad 1992 §2.2).

* :func:`protocol_explorer`: Maeda & Bershad's (1992) arithmetic for UDP in Mach 3.0's Unix
  server: socket accesses and driver crossings per round trip, each at its published cost
  (:func:`ipcmodel.firewall.protocol_boundary_cost_us`), stacked on the in-kernel round trip and
  set against the measured round trips (Tables 1-3).

Split from :mod:`ipcmodel.explorers.firewall` (which re-exports it) to keep modules small.
"""

from __future__ import annotations

import numpy as np

from ipcmodel import paper, plotting
from ipcmodel.data import fact
from ipcmodel.explorers.core import (
    ChoiceSpec,
    CountSpec,
    Explorer,
    Preset,
    SliderSpec,
)
from ipcmodel.plotting import OKABE_ITO, format_percent, format_us

__all__ = ["ProtocolExplorer", "protocol_explorer", "PRESET_MB92", "PRESET_MB92_PARTS"]


# ---- the protocol explorer --------------------------------------------------------------------

PRESET_MB92 = "Maeda & Bershad 1992, DECstation 2100 (§2.2)"
PRESET_MB92_PARTS = "Same, socket access = emulation library + IPC (§2.2's parts)"

_PROTOCOL_CONTROLS = (
    CountSpec("socket_accesses", "Socket accesses per round trip", "count", 0, 8,
               help="A read and a write on each host (Maeda & Bershad §2.2)"),
    SliderSpec("server_socket_us", "Socket access via Unix server", "µs", 0, 1500, step=5, fmt=".0f",
               help="Emulation library + IPC round trip to the Unix server"),
    SliderSpec("kernel_socket_us", "Socket access in a kernel", "µs", 0, 500, step=5, fmt=".0f",
               help="A system call into Mach 2.5's in-kernel socket layer"),
    CountSpec("driver_crossings", "Driver write + receive pairs per round trip", "pairs", 0, 8,
               help="Per round trip each host writes one packet and receives one: 2 x (write + receive)",),
    SliderSpec("driver_write_us", "Write a packet to the driver", "µs", 0, 1000, step=5, fmt=".0f",
               help="A system call into the kernel's Ethernet driver"),
    SliderSpec("packet_filter_us", "Receive from packet filter", "µs", 0, 1000, step=5, fmt=".0f",
               help="A Mach IPC message from the kernel's packet filter"),
)

_SEG = (("in_kernel_us", "UDP in the kernel (Mach 2.5)", OKABE_ITO["sky_blue"], None),
        ("sockets_us", "socket accesses via the server", OKABE_ITO["vermillion"], None),
        ("driver_us", "driver boundary", OKABE_ITO["orange"], None),
        ("unexplained_us", "not explained by crossings", "0.82", "//"))


def _mb92_values() -> dict:
    return paper.udp_budget_inputs()


class ProtocolExplorer(Explorer):
    """Notebook 04: the UDP round-trip budget of Maeda & Bershad (1992) §2.2.

    Controls (model keywords): ``socket_accesses``, ``driver_crossings`` (counts);
    ``server_socket_us``, ``kernel_socket_us``, ``driver_write_us``, ``packet_filter_us`` (µs);
    ``measured_us`` (a dropdown of the measured Unix-server round trips, µs).
    """

    default_machine = None
    machine_params: dict = {}
    preset_title = "Preset (from data)"
    figsize = (11.5, 4.6)

    @property
    def controls(self):
        return (*_PROTOCOL_CONTROLS,
                ChoiceSpec("measured_us", "Measured Mach 3.0 UDP", "Tables 1-2", paper.measured_unix_server_options(),
                           help="A measured UDP round trip through the Unix server (Tables 1 and 2)"))

    @property
    def fixed_defaults(self):
        return _mb92_values()

    def extra_presets(self):
        base = _mb92_values()
        parts = dict(base, server_socket_us=paper.socket_access_from_parts_us())
        cite = fact("mb92-socket-unix-server").cite()
        rpc, stub = fact("mb92-rpc-part"), fact("mb92-stub-part")
        kern, sc = fact("mb92-socket-in-kernel"), fact("mb92-syscall-ds2100")
        kernel_text = (f"socket access in a kernel {format_us(kern.value)} {kern.cite()}: a system call into "
                       f"Mach 2.5's in-kernel socket layer, not a bare system call ({format_us(sc.value)} "
                       f"{sc.cite()})")
        return [
            Preset(PRESET_MB92, base, source=f"every value as published {cite}; {kernel_text}."),
            Preset(PRESET_MB92_PARTS, parts,
                   source=f"as published {cite}, except the socket access: the emulation library "
                          f"({format_us(fact('mb92-emulation-library').value)}) plus the IPC round "
                          f"trip ({format_us(fact('mb92-ipc-round-trip').value)} = "
                          f"{format_us(rpc.value)} RPC {rpc.cite()} + {format_us(stub.value)} stub "
                          f"code {stub.cite()}); {kernel_text}."),
        ]

    def reading_notes(self):
        return [
            "All times: DECstation 2100 pairs, 10 Mb/s Ethernet, 1-data-byte UDP packets "
            f"{fact('mb92-udp-rtt-mach25').cite()}. In-kernel "
            f"{fact('mb92-udp-rtt-mach25').value:g} ms (Table 1); new user-level UDP server "
            f"{fact('mb92-udp-rtt-user-level').value:g} ms (Table 3).",
        ]

    def build(self, fig):
        ax = fig.subplots()
        a = {"ax": ax}
        rows = 4
        y = np.arange(rows)[::-1].astype(float)
        self._rows_y = y
        for key, label, color, hatch in _SEG:
            a[f"seg_{key}"] = ax.barh(y, np.zeros(rows), left=np.zeros(rows), height=0.6, color=color,
                                      hatch=hatch, edgecolor="white" if hatch is None else "0.45",
                                      label=label)
        a["user_level"] = ax.barh([y[3]], [0.0], height=0.6, color=OKABE_ITO["bluish_green"],
                                  label="new user-level UDP server (Table 3)")
        a["totals"] = [ax.text(0, yy, "", va="center", fontsize=11) for yy in y]
        a["share_text"] = ax.text(0.99, 0.02, "", transform=ax.transAxes, ha="right", va="bottom",
                                  fontsize=11, bbox={"boxstyle": "round,pad=0.3", "fc": "white",
                                                     "ec": "0.7"})
        ax.set_yticks(y, ["in the kernel\n(Mach 2.5, Table 1)", "Unix server,\npredicted (§2.2)",
                          "Unix server,\nmeasured", "user-level UDP\nserver (Table 3)"])
        ax.set_ylim(-0.7, rows - 0.3)
        ax.xaxis.set_major_formatter(plotting.us_formatter())
        ax.grid(axis="y", visible=False)
        plotting.decorate(ax, xlabel="UDP round trip", title="Where a UDP round trip's time goes",
                          legend=False)
        a["legend"] = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=10, ncols=1,
                                borderaxespad=0.0)
        return a

    def update(self, values):
        b = paper.udp_budget(values["socket_accesses"], values["server_socket_us"], values["kernel_socket_us"],
                             values["driver_crossings"], values["driver_write_us"],
                             values["packet_filter_us"], values["measured_us"])
        # drawn widths: a boundary that saves time (server path cheaper than the kernel's) or a
        # slowdown the crossings over-explain is drawn as 0; the reading gives the signed values
        sockets, driver = max(b.sockets_us, 0.0), max(b.driver_us, 0.0)
        unexplained = max(b.measured_us - b.in_kernel_us - sockets - driver, 0.0)
        segs = {  # rows: in-kernel, predicted, measured, user-level
            "in_kernel_us": np.array([b.in_kernel_us, b.in_kernel_us, b.in_kernel_us, 0.0]),
            "sockets_us": np.array([0.0, sockets, sockets, 0.0]),
            "driver_us": np.array([0.0, driver, driver, 0.0]),
            "unexplained_us": np.array([0.0, 0.0, unexplained, 0.0]),
        }
        a = self.artists
        left = np.zeros(4)
        for key, *_ in _SEG:
            for rect, l0, w in zip(a[f"seg_{key}"].patches, left, segs[key], strict=True):
                rect.set_x(l0)
                rect.set_width(w)
            left = left + segs[key]
        a["user_level"].patches[0].set_width(b.user_level_us)
        totals = left.copy()
        totals[3] = b.user_level_us
        shown = np.array([b.in_kernel_us, b.predicted_us, b.measured_us, b.user_level_us])
        top = totals.max()
        for t, x, v in zip(a["totals"], totals, shown, strict=True):
            t.set_x(x + 0.01 * top)
            t.set_text(format_us(v))
        a["ax"].set_xlim(0, plotting.nice_ceiling(1.12 * top))  # room for the total after the longest bar
        if b.unexplained_us >= 0:
            a["share_text"].set_text(f"crossings explain {format_percent(b.share_explained, 3)} of the "
                                     f"{format_us(b.slowdown_us)} slowdown")
        else:
            a["share_text"].set_text(f"crossings ({format_us(b.crossings_us)}) exceed the whole "
                                     f"{format_us(b.slowdown_us)} slowdown")
        return {"segments_us": segs, "totals_us": shown, "budget": b,
                "sockets_us": b.sockets_us, "driver_us": b.driver_us, "predicted_us": b.predicted_us,
                "slowdown_us": b.slowdown_us, "share_explained": b.share_explained}

    def describe(self, values, plotted):
        b = plotted["budget"]
        head = (f"{values['socket_accesses']:.0f} socket accesses × ({format_us(values['server_socket_us'])} − "
                f"{format_us(values['kernel_socket_us'])}) = {format_us(b.sockets_us)} and "
                f"{values['driver_crossings']:.0f} driver crossings × ({format_us(values['driver_write_us'])} + "
                f"{format_us(values['packet_filter_us'])}) = {format_us(b.driver_us)}: the boundaries "
                f"predict {format_us(b.predicted_us)} for a round trip that takes "
                f"{format_us(b.in_kernel_us)} in the kernel. ")
        if b.sockets_us < 0 or b.driver_us < 0:
            head += "(A negative term means that path is faster than the kernel's.) "
        if b.unexplained_us >= 0:
            tail = (f"The measured {format_us(b.measured_us)} is {format_us(b.slowdown_us)} slower than "
                    f"the kernel, so the crossings explain {format_percent(b.share_explained, 3)} of it; "
                    f"{format_us(b.unexplained_us)} comes from elsewhere.")
        else:
            tail = (f"That is more than the measured {format_us(b.measured_us)}: these crossings would "
                    f"explain the whole slowdown and more.")
        return head + tail + f" The user-level UDP server takes {format_us(b.user_level_us)}."


def protocol_explorer(**kw) -> ProtocolExplorer:
    """The UDP round-trip budget explorer of notebook 04 (keyword arguments go to Explorer)."""
    return ProtocolExplorer(**kw)
