"""Explorers and helpers for notebook 04 (Bershad 1992, §5: not every service needs a hardware firewall).

* :func:`emulation_explorer`: client-side emulation. A fraction of the calls is answered inside
  the client's emulation library; the rest need an RPC to the server. Effective cost per call
  (:func:`ipcmodel.firewall.effective_cost_us`) and calls per RPC
  (:func:`ipcmodel.firewall.calls_per_rpc`) against the fraction served locally.
* :func:`protocol_explorer`: Maeda & Bershad's (1992) arithmetic for UDP in Mach 3.0's Unix
  server: socket accesses and driver crossings per round trip, each at its published cost
  (:func:`ipcmodel.firewall.protocol_boundary_cost_us`), stacked on the in-kernel round trip and
  set against the measured round trips (Tables 1-3).

The model is :mod:`ipcmodel.firewall` (:func:`~ipcmodel.firewall.emulation_costs_us`,
:func:`~ipcmodel.firewall.udp_budget`); the published inputs come from :mod:`ipcmodel.paper`
(:func:`~ipcmodel.paper.emulation_local_fraction`, :func:`~ipcmodel.paper.udp_budget`).
"""

from __future__ import annotations

import numpy as np

from ipcmodel import firewall, paper, plotting
from ipcmodel.data import fact
from ipcmodel.explorers.core import (
    Explorer,
    Preset,
    SliderSpec,
    machine_presets,
)

# The protocol explorer lives in its own module; re-exported here for notebook 04's imports.
from ipcmodel.explorers.firewall_protocol import (
    PRESET_MB92,
    PRESET_MB92_PARTS,
    ProtocolExplorer,
    protocol_explorer,
)
from ipcmodel.explorers.service import SLIDERS
from ipcmodel.machines import load_machines
from ipcmodel.plotting import OKABE_ITO, format_percent, format_us

__all__ = [
    "EmulationExplorer",
    "ProtocolExplorer",
    "emulation_explorer",
    "protocol_explorer",
    "PAPER_MACHINES",
    "PRESET_PAPER_FRACTION",
    "PRESET_LIBRARY_DS2100",
    "PRESET_LIBRARY_DS5000",
    "PRESET_NO_LIBRARY",
    "PRESET_MB92",
    "PRESET_MB92_PARTS",
]


# ---- the emulation explorer -------------------------------------------------------------------

#: The machines of Bershad (1992): the only machine presets offered in notebook 04.
PAPER_MACHINES = ("cvax", "ds2100", "ds3100", "ds5000", "hp700")

#: Preset label: the fraction of calls answered locally in §5's benchmarks.
PRESET_PAPER_FRACTION = "Mach multiserver benchmarks (§5): 2 of 3 calls local"
#: Preset label: Maeda & Bershad's DECstation 2100, where the library pass was measured.
PRESET_LIBRARY_DS2100 = "Emulation library as measured: DECstation 2100 (Maeda & Bershad §2.2)"
#: Preset label: the library pass carried to the DECstation 5000/200 by the clock ratio.
PRESET_LIBRARY_DS5000 = "Emulation library scaled by clock to the DECstation 5000/200"
#: Preset label: the library left out, as a count of RPCs alone does.
PRESET_NO_LIBRARY = "No library cost (counting RPCs only)"

_LOCAL = SliderSpec("local_fraction", "Calls answered in the library", "fraction", 0.0, 1.0,
                    step=0.01, fmt=".2f",
                    help="Share of system calls the client-side emulation library answers itself (§5)")
_LIBRARY = SliderSpec("emulation_library_us", "Emulation library pass", "µs", 0.0, 1000.0,
                      step=1.0, fmt=".0f",
                      help="One pass through the emulation library on a forwarded call "
                           "(Maeda & Bershad 1992 §2.2: about 280 µs on a DECstation 2100)")
_LOCAL_CALL = SliderSpec("local_call_us", "Library time on a local call", "µs", 0.0, 1000.0,
                         step=1.0, fmt=".0f",
                         help="What the library spends on a call it answers itself: never measured "
                              "(0 favours emulation; the full forwarding pass likely overstates it)")


def _emulation_case():
    """§5's case of :func:`ipcmodel.paper.crossing_cases` (1/3 crossing per call)."""
    return next(c for c in paper.crossing_cases() if "emulation" in c.name)


class EmulationExplorer(Explorer):
    """Notebook 04: client-side emulation: effective cost per call and calls per RPC (§5).

    Controls (model keywords): ``local_fraction`` (fraction of calls answered in the library),
    ``ipc_us`` (µs, the round-trip RPC a forwarded call adds), ``syscall_us`` (µs, the trap
    that reflects every call into the library, and a monolithic kernel's system call),
    ``emulation_library_us`` (µs, one pass through the library on a forwarded call, the measured
    case), ``local_call_us`` (µs, the library's time on a call it answers itself; unmeasured).
    Machine presets set ``ipc_us`` and ``syscall_us`` where published; the §5 preset sets
    ``local_fraction`` (1 minus §5's crossings per call); the library presets set the library
    pass with the RPC and system call of the same machine.
    """

    x_fraction = np.linspace(0.0, 1.0, 201)
    figsize = (11.5, 4.4)
    controls = (_LOCAL, SLIDERS["ipc_us"], SLIDERS["syscall_us"], _LIBRARY, _LOCAL_CALL)

    @property
    def fixed_defaults(self):
        return {"local_fraction": 1.0 - _emulation_case().crossings_per_use,
                "emulation_library_us": paper.emulation_library_ds5000_us(), "local_call_us": 0.0}

    def preset_values(self):
        """Machine presets for the paper's machines only (:data:`PAPER_MACHINES`)."""
        params = {k: v for k, v in self.machine_params.items() if k in self._specs}
        known = load_machines()
        return machine_presets(params, [known[i] for i in PAPER_MACHINES if i in known])

    def machine_preset_sources(self):
        kept = ("The emulation-library sliders are left as they are (only the DECstation 2100's "
                "forwarding pass is published).")
        out = {name: kept for name in self.presets}
        ds2100 = load_machines().get("ds2100")
        if ds2100 is not None and ds2100.name in out:
            rpc, stub, sc = fact("mb92-rpc-part"), fact("mb92-stub-part"), fact("mb92-syscall-ds2100")
            out[ds2100.name] = (
                f"round-trip RPC {format_us(rpc.value)} {rpc.cite()}: the bare RPC; with "
                f"{format_us(stub.value)} of stub code {stub.cite()} it makes up the "
                f"{format_us(paper.ipc_round_trip_from_parts_us())} IPC round trip of Maeda & Bershad's "
                f"§2.2; system call {format_us(sc.value)} {sc.cite()}: a bare system call, not the "
                f"in-kernel socket access ({format_us(fact('mb92-socket-in-kernel').value)}). {kept}")
        return out

    def extra_presets(self):
        case = _emulation_case()
        lib, ipc2100, sc2100 = fact("mb92-emulation-library"), fact("mb92-ipc-round-trip"), fact("mb92-syscall-ds2100")
        rpc, sc = fact("b92-rpc-ds5000"), fact("b92-syscall-ds5000")
        forwarded, path = sc2100.value + lib.value + ipc2100.value, fact("mb92-socket-unix-server")
        clk_a, clk_b = fact("mb92-clock-ds2100"), fact("b92-clock-ds5000")
        return [
            Preset(PRESET_PAPER_FRACTION, {"local_fraction": 1.0 - case.crossings_per_use},
                   source=f"2 of 3 calls answered locally {fact('b92-emulation-calls-local').cite()}, "
                          f"{case.crossings_per_use:.3g} RPC per call; RPC, system call and "
                          "library pass left as they are."),
            Preset(PRESET_LIBRARY_DS2100,
                   {"ipc_us": ipc2100.value, "syscall_us": sc2100.value, "emulation_library_us": lib.value},
                   source=f"library pass {format_us(lib.value)} {lib.cite()}; IPC round trip with stubs "
                          f"{format_us(ipc2100.value)} {ipc2100.cite()}; system call "
                          f"{format_us(sc2100.value)} {sc2100.cite()}. A forwarded call then costs "
                          f"{format_us(forwarded)} in the model. Maeda & Bershad give about "
                          f"{format_us(path.value)} for that path, but their listed parts leave "
                          f"{format_us(path.value - lib.value - ipc2100.value)} unexplained, so the match "
                          "is not a check of the model. The local-call slider is left as it is."),
            Preset(PRESET_LIBRARY_DS5000,
                   {"ipc_us": rpc.value, "syscall_us": sc.value,
                    "emulation_library_us": paper.emulation_library_ds5000_us()},
                   source=f"library pass {format_us(lib.value)} at {clk_a.value:g} MHz {clk_a.cite()} "
                          f"scaled to {clk_b.value:g} MHz {clk_b.cite()}: "
                          f"{format_us(paper.emulation_library_ds5000_us())} (our rule: the same cycles; "
                          f"by the RPC ratio it would be {format_us(paper.emulation_library_ds5000_us('rpc'))}); "
                          f"RPC {rpc.cite()}, system call {sc.cite()}."),
            Preset(PRESET_NO_LIBRARY, {"emulation_library_us": 0.0, "local_call_us": 0.0},
                   source="both library sliders set to 0: only the trap and the RPC are counted, as in "
                          "§5's count of calls without an RPC; this understates every call."),
        ]

    def reading_notes(self):
        lib = fact("mb92-emulation-library")
        return [
            f"Fraction to start with: 2 of 3 {fact('b92-emulation-calls-local').cite()} "
            "(\"persuasive but not conclusive\" benchmarks).",
            "Model: every call traps and is reflected into the library (≈ one system call, our "
            "assumption); a forwarded call makes one library pass and one round-trip RPC. The pass "
            f"was measured only on forwarding ({format_us(lib.value)}, single Unix server, DECstation "
            f"2100 {lib.cite()}; the start value is that pass scaled by clock to the DECstation "
            "5000/200), not for §5's multiserver library.",
            "Unknown: what the library spends on a call it answers itself. It starts at 0, which "
            "favours emulation; the full forwarding pass likely overstates it (no IPC message is "
            "built). The reading gives both ends.",
            "Left out: the service's own work (the same in every structure); the server's internal "
            "costs Maeda & Bershad found (spl emulation, extra scheduling) and cache misses, which "
            "would make forwarded calls dearer (the model flatters the microkernel).",
        ]

    def build(self, fig):
        ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
        x = self.x_fraction
        a = {"ax": ax, "bx": bx}
        a["cost"], = ax.plot(x, np.ones_like(x), color=OKABE_ITO["blue"], label="emulation: average call")
        a["nolib"], = ax.plot(x, np.ones_like(x), color=OKABE_ITO["blue"], linestyle=(0, (1, 2)),
                              linewidth=1.4, label="the same, library pass left out")
        a["remote_line"] = ax.axhline(1.0, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1.8,
                                      label="every call to the server")
        a["mono_line"] = ax.axhline(1.0, color=OKABE_ITO["bluish_green"], linestyle="-.", linewidth=1.8,
                                    label="monolithic kernel: one system call")
        a["paper_line"] = ax.axvline(paper.emulation_local_fraction(), color="0.45", linestyle=":", linewidth=1.5,
                                     label="§5: 2 of 3 answered locally")
        a["point"], = ax.plot([0.5], [1.0], "o", color=OKABE_ITO["black"], zorder=6)
        a["point_text"] = ax.annotate("", xy=(0.5, 1.0), xytext=(8, 8), textcoords="offset points",
                                      fontsize=11)
        ax.set(xlim=(0, 1))
        ax.xaxis.set_major_formatter(plotting.percent_formatter())
        ax.yaxis.set_major_formatter(plotting.us_formatter())
        plotting.decorate(ax, xlabel="Calls answered in the client's library", ylabel="Time per call",
                          title="Average cost of a system call", legend=False)
        a["legend"] = ax.legend(loc="upper right", fontsize=10, frameon=True, facecolor="white",
                                edgecolor="none", framealpha=0.9)
        a["per_rpc"], = bx.plot(x[:-1], np.ones(x.size - 1), color=OKABE_ITO["orange"])
        a["per_rpc_point"], = bx.plot([0.5], [2.0], "o", color=OKABE_ITO["black"], zorder=6)
        a["per_rpc_text"] = bx.annotate("", xy=(0.5, 2.0), xytext=(-10, 8), textcoords="offset points",
                                        fontsize=11, ha="right")
        bx.set(xlim=(0, 1), yscale="log", ylim=(0.8, 250))
        bx.xaxis.set_major_formatter(plotting.percent_formatter())
        bx.yaxis.set_major_formatter(plotting.number_formatter())
        plotting.decorate(bx, xlabel="Calls answered in the client's library",
                          ylabel="Calls per RPC sent", title="How many calls share one RPC", legend=False)
        return a

    def update(self, values):
        f, ipc, sc = values["local_fraction"], values["ipc_us"], values["syscall_us"]
        lib, loc = values["emulation_library_us"], values["local_call_us"]
        costs = firewall.emulation_costs_us(ipc, sc, lib, loc)
        bare = firewall.emulation_costs_us(ipc, sc)
        x = self.x_fraction
        y = firewall.effective_cost_us(x, costs["local_us"], costs["remote_us"])
        y_nolib = firewall.effective_cost_us(x, bare["local_us"], bare["remote_us"])
        y0 = firewall.effective_cost_us(f, costs["local_us"], costs["remote_us"])
        per = firewall.calls_per_rpc(x[:-1])
        per0 = firewall.calls_per_rpc(f)
        a = self.artists
        a["cost"].set_ydata(y)
        a["nolib"].set_ydata(y_nolib)
        a["remote_line"].set_ydata([costs["remote_us"]] * 2)
        a["mono_line"].set_ydata([sc] * 2)
        a["point"].set_data([f], [y0])
        a["point_text"].xy = (f, y0)
        a["point_text"].set_text(format_us(y0))
        top = max(costs["remote_us"], sc, 1e-3)
        a["ax"].set_ylim(0, plotting.nice_ceiling(1.45 * top))
        a["per_rpc"].set_ydata(per)
        shown = bool(np.isfinite(per0))
        a["per_rpc_point"].set_data([f], [per0 if shown else np.nan])
        a["per_rpc_text"].xy = (f, per0 if shown else 200.0)
        a["per_rpc_text"].set_text(f"{per0:.3g} calls per RPC" if shown else "no RPC at all")
        return {"local_fraction": x, "effective_cost_us": y, "effective_cost_no_library_us": y_nolib,
                "calls_per_rpc_fraction": x[:-1], "calls_per_rpc": per, **costs,
                "current": {"local_fraction": f, "effective_cost_us": y0, "calls_per_rpc": per0,
                            "crossings_per_call": 1.0 - f}}

    def describe(self, values, plotted):
        c = plotted["current"]
        f = c["local_fraction"]
        per = c["calls_per_rpc"]
        rpcs = "no call needs an RPC" if not np.isfinite(per) else f"one RPC per {per:.3g} calls"
        extra = c["effective_cost_us"] - values["syscall_us"]
        lib, loc = values["emulation_library_us"], values["local_call_us"]
        if lib > 0 or loc > 0:
            ends = [firewall.effective_cost_us(f, values["syscall_us"] + x, plotted["remote_us"])
                    for x in (0.0, lib)]
            lib_text = (f"; a forwarded call pays {format_us(lib)} of library pass, a local call "
                        f"{format_us(loc)} (unmeasured: from 0 to the full pass the average is "
                        f"{format_us(ends[0])} to {format_us(ends[1])})")
        else:
            lib_text = "; the emulation library's own time is set to 0 (left out)"
        return (f"With {format_percent(f)} of calls answered in the library ({1.0 - f:.3g} RPCs "
                f"per call), a call costs {format_us(c['effective_cost_us'])} on average ({rpcs}), against "
                f"{format_us(plotted['remote_us'])} if every call went to the server and "
                f"{format_us(values['syscall_us'])} for a monolithic kernel's system call: "
                f"{format_us(extra)} more than the monolithic kernel per call{lib_text}.")


def emulation_explorer(**kw) -> EmulationExplorer:
    """The client-side emulation explorer of notebook 04 (keyword arguments go to Explorer)."""
    return EmulationExplorer(**kw)
