"""Explorer of notebook 05: the whole program (Amdahl's law for crossings).

:func:`workload_explorer` draws the share of a program's run time that the microkernel structure
adds (:func:`ipcmodel.workload.microkernel_share`) against how many times the program uses a
service, with the per-access overhead fraction (:func:`ipcmodel.service.ipc_overhead_fraction`,
same inputs) as the asymptote the share tends to when the program is nothing but service uses.
Registered in :mod:`ipcmodel.explorers` as ``create("workload")``.
"""

from __future__ import annotations

import numpy as np

from ipcmodel import paper, plotting, service, workload
from ipcmodel.data import fact
from ipcmodel.explorers import locality
from ipcmodel.explorers.core import Explorer, Preset, SliderSpec
from ipcmodel.explorers.service import SLIDERS, _a
from ipcmodel.plotting import OKABE_ITO, format_percent, format_us

__all__ = ["WorkloadExplorer", "workload_explorer"]

_US_PER_S = 1e6
_USES = SliderSpec("uses", "Service uses per run", "uses", 1.0, 1e8, log=True, step=0.05,
                   help="How many times the program uses the service in one run")
_OUTSIDE = SliderSpec("outside_s", "Time outside services", "s", 1e-3, 1e4, log=True, step=0.05,
                      help="The program's own computing, in no service (same in both structures)")
_NAMES = ("uses", "crossings_per_use", "ipc_us", "syscall_us", "device_us", "outside_s",
          "miss_penalty_cycles", "clock_mhz", "cache_line_bytes", "miss_fraction",
          "service_lines", "service_miss_fraction")


def _andrew_preset() -> Preset:
    """Chen & Bershad's Andrew benchmark: Ultrix's user time as the time outside services."""
    run, share = fact("cb93-runtime-ab-ultrix"), fact("cb93-system-share-ab-ultrix")
    rpc, sc = fact("b92-rpc-ds5000"), fact("b92-syscall-ds5000")
    outside = run.value * (1.0 - share.value / 100.0)
    return Preset(
        "Chen & Bershad: Andrew benchmark (ab), DECstation 5000/200",
        {"outside_s": outside, "ipc_us": rpc.value, "syscall_us": sc.value},
        missing=("uses", "crossings_per_use", "device_us"),
        source=(f"time outside services = Ultrix run time {run.value:g} s x (1 - system share "
                f"{share.value:g} %) = {outside:.2f} s [{run.cite()}; {share.cite()}]; IPC and "
                f"system call of the DS5000/200 [{rpc.cite()}; {sc.cite()}]. No source gives the "
                "number of service uses: measured, Mach took "
                f"{fact('cb93-runtime-ab-mach').value:g} s, so try to reach its share with the "
                "uses slider and see how many it takes"))


class WorkloadExplorer(Explorer):
    """Notebook 05: the microkernel's share of a whole program's time against service uses."""

    controls = tuple(_USES if n == "uses" else _OUTSIDE if n == "outside_s" else SLIDERS[n]
                     for n in _NAMES)
    x_uses = np.logspace(0, 9, 361)  # 1 .. 1e9 uses: covers the slider (1 .. 1e8) and beyond
    preset_title = "Preset"

    @property
    def fixed_defaults(self):
        devices, _ = paper.cited_devices()
        return {"uses": 1000.0, "crossings_per_use": 1.0, "device_us": devices[0].device_us,
                "outside_s": 10.0, "miss_fraction": 0.0, "service_miss_fraction": 0.0,
                "service_lines": locality.service_lines_default()}

    def reading_notes(self):
        devices, notes = paper.cited_devices()
        return [*notes, f"Service time to start with: {devices[0].label} {devices[0].cite}: Maeda & "
                "Bershad's user-to-user round trip on two DECstation 2100s, protocol software plus the "
                "wire, not a device (its software part would run at another speed on another machine).",
                "Time outside services, uses per run and the service's working set are not "
                "from any source: set them for your program."]

    def extra_presets(self):
        return [*locality.presets(_NAMES), _andrew_preset()]

    def build(self, fig):
        ax = fig.subplots()
        x = self.x_uses
        a = {"ax": ax}
        a["curve"], = ax.plot(x, np.full_like(x, 0.01), color=OKABE_ITO["vermillion"],
                              label="microkernel share of the program")
        a["asymptote"] = ax.axhline(0.1, color=OKABE_ITO["bluish_green"], linestyle="--",
                                    linewidth=1.8, label="per-access overhead (all service uses)")
        a["point"], = ax.plot([1.0], [0.01], "o", color=OKABE_ITO["orange"], mec="black", zorder=5,
                              label="your program")
        ax.set(xscale="log", yscale="log", xlim=(x[0], x[-1]), ylim=(1e-7, 1.0))
        ax.yaxis.set_major_formatter(plotting.percent_formatter())
        plotting.decorate(ax, xlabel="Service uses per run", ylabel="Share of the program's time",
                          title="What the microkernel adds to a whole program", legend=False)
        ax.legend(loc="upper center", ncols=3, fontsize=10, bbox_to_anchor=(0.5, -0.16))
        return a

    def update(self, values):
        t = locality.cache_terms(values)
        n, c, ipc, sc, dev = (values[k] for k in ("uses", "crossings_per_use", "ipc_us",
                                                  "syscall_us", "device_us"))
        out = values["outside_s"] * _US_PER_S
        loc, ipl = t["service_locality_us"], t["ipc_path_locality_us"]
        kw = {"crossings_per_use": c, "service_locality_us": loc, "ipc_path_locality_us": ipl}
        y = workload.microkernel_share(out, self.x_uses, dev, sc, ipc, **kw)
        share = float(workload.microkernel_share(out, n, dev, sc, ipc, **kw))
        mono, micro = workload.program_times_us(out, n, dev, sc, ipc, **kw)
        per_access = float(service.ipc_overhead_fraction(ipc, sc, dev, loc, ipl, c))
        a = self.artists
        a["curve"].set_ydata(np.where(y > 0, y, np.nan))  # a zero share is off the log axis
        a["asymptote"].set_ydata([per_access, per_access] if per_access > 0 else [np.nan, np.nan])
        a["point"].set_data([n], [share if share > 0 else np.nan])
        in_uses = (float(micro) - out) / float(micro) if micro > 0 else 0.0
        return {"uses": self.x_uses, "share": y, "current": np.array([n, share]),
                "per_access_fraction": per_access, "monolithic_us": float(mono),
                "microkernel_us": float(micro), "share_of_time_in_uses": in_uses, **t}

    def describe(self, values, plotted):
        n, share = plotted["current"]
        f, in_uses = plotted["per_access_fraction"], plotted["share_of_time_in_uses"]
        head = (f"A program with {n:,.0f} uses of {_a(format_us(values['device_us']))} service and "
                f"{format_us(values['outside_s'] * _US_PER_S)} outside services "
                f"({locality.cache_phrase(values, plotted)[:-1]}). ")
        if f == 0:
            return head + ("The microkernel route is no slower here (IPC plus its misses within "
                           "the system call's cost): it adds nothing to the program.")
        added = plotted["microkernel_us"] - plotted["monolithic_us"]
        return head + (
            f"The microkernel adds {format_us(added)} to a {format_us(plotted['microkernel_us'])} "
            f"run: {format_percent(share)} of the program. Amdahl's point: that is the per-access "
            f"overhead ({format_percent(f)}) times the share of the run spent using the service "
            f"({format_percent(in_uses)}), so however many uses it makes, no program loses more "
            f"than {format_percent(f)} at these settings; more crossings per use raise that "
            "ceiling itself.")


def workload_explorer(**kw) -> WorkloadExplorer:
    """The whole-program explorer of notebook 05 (keyword arguments go to :class:`Explorer`)."""
    return WorkloadExplorer(**kw)
