"""Notebook 06's widgets and picture: the probe behind a progress bar, the latency ladder as a
picture, and the master explorer with this machine's preset (:class:`MachineExplorer`: its
crossings-per-use presets change only the crossings, so this machine's own IPC and system call
stay in place).

The numbers and the text they show come from :mod:`ipcmodel.yourmachine` (no matplotlib or
ipywidgets there); this module is the widget and picture layer on top (it imports the explorer
framework). Nothing happens on import.
"""

from __future__ import annotations

from ipcmodel.explorers import locality
from ipcmodel.explorers.service import MasterExplorer
from ipcmodel.measure import ProbeResult
from ipcmodel.yourmachine import (
    SAVED_EXAMPLE_MARKER,
    MachineRun,
    measure_or_load,
    measured_preset,
    miss_penalty_reading,
)
from ipcmodel.yourmachine.readings import _size_text

__all__ = ["progress_bar", "run_in_notebook", "LadderPicture", "MachineExplorer", "machine_explorer",
           "start_device"]


def progress_bar():
    """``(widget, progress)``: an ipywidgets bar and the ``progress(done, total, label)`` driving it."""
    import ipywidgets as widgets

    bar = widgets.IntProgress(value=0, min=0, max=1, description="Probe", bar_style="info")
    text = widgets.Label("starting")
    box = widgets.HBox([bar, text])

    def progress(done: int, total: int, label: str) -> None:
        bar.max = max(int(total), 1)
        bar.value = min(max(int(done), 0), bar.max)
        text.value = f"{done}/{total}: {label}"

    return box, progress


def run_in_notebook(quick: bool = True, **kw) -> MachineRun:
    """:func:`measure_or_load` behind a progress bar, then replaced by one line of text.

    The replacement keeps the saved notebook free of a stale widget (static viewers show the
    line); :meth:`MachineRun.describe` says in full what was measured or loaded.

    Keyword arguments go to :func:`measure_or_load`. Outside IPython it just runs.
    """
    try:
        from IPython.display import display
    except ImportError:  # plain Python: no bar
        return measure_or_load(quick, **kw)
    box, progress = progress_bar()
    handle = display(box, display_id=True)
    try:
        run = measure_or_load(quick, progress=progress, **kw)
    finally:
        box.close()
    if handle is not None:
        done = (f"Probe finished in {run.result.duration_s:.1f} s." if run.measured
                else f"{SAVED_EXAMPLE_MARKER}: the probe did not run here; every number below "
                     "is the saved example's (see below).")
        handle.update(_Text(done))
    return run


class _Text:
    """Plain text for a display update (replaces the progress bar in the saved notebook)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


class LadderPicture:
    """The latency ladder as a picture (PNG) with a one-sentence text reading."""

    def __init__(self, result: ProbeResult):
        if result.latency is None:
            raise ValueError("result has no latency ladder (the probe ran without the 'latency' part)")
        self.result = result

    def text(self) -> str:
        r = miss_penalty_reading(self.result)
        lat = self.result.latency
        how = ("C chase, every level resolved" if lat.chase_method == "c" else
               "Python chase: the cache levels are lower bounds, only memory is a reading")
        return (f"Time per access against working set ({how}): flat near {r['baseline_us']:.3g} µs "
                f"while the set fits in L1, about {r['penalty_us']:.3g} µs more beyond the "
                "last-level cache (the estimated miss penalty).")

    def png(self) -> bytes:
        import numpy as np

        from ipcmodel import plotting

        lat, info = self.result.latency, self.result.machine
        ws = np.array([p.working_set_bytes for p in lat.points], float)
        fig, ax = plotting.new_figure((11.0, 4.2))
        with plotting.style():
            if lat.chase_method == "c":
                ax.plot(ws, [p.median_us for p in lat.points], "o-", label="dependent chase in C (latency)")
                if all(p.python_chase_us is not None for p in lat.points):
                    ax.plot(ws, [p.python_chase_us for p in lat.points], "^:",
                            label="the same chase in Python")
            else:
                ax.plot(ws, [p.median_us for p in lat.points], "o-",
                        label="dependent chase in Python\n(cache levels: lower bounds)")
            ax.plot(ws, [p.gather_us for p in lat.points], "s--", label="independent gather (throughput)")
            ax.axhline(lat.baseline_us, color=plotting.OKABE_ITO["black"], linestyle=":", linewidth=1.2,
                       label="in-cache step" + (" (L1 hit)" if lat.chase_method == "c" else " (interpreter)"))
            ax.axhline(lat.baseline_us + lat.miss_penalty_us, color=plotting.OKABE_ITO["vermillion"],
                       linestyle="-.", linewidth=1.5, label="in-cache step + miss penalty")
            for c in info.caches:
                if c.get("type") in ("Data", "Unified"):
                    ax.axvline(c["size_bytes"], color="grey", linewidth=0.8)
                    ax.annotate(f"L{c['level']}", (c["size_bytes"], 1.0), xycoords=("data", "axes fraction"),
                                xytext=(3, -14), textcoords="offset points", fontsize=10)
            ax.set_xscale("log", base=2)
            ax.set(yscale="log", xlabel="working set", ylabel="time per access",
                   title="Latency ladder of this result")
            ticks = [2.0**k for k in range(10, 31, 2) if ws[0] / 2 <= 2.0**k <= ws[-1] * 2]
            ax.set_xticks(ticks, [_size_text(t) for t in ticks])
            ax.yaxis.set_major_formatter(plotting.us_formatter())
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=10)
            fig.tight_layout()
            return plotting.figure_png(fig)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The picture with alt text and its reading as visible text (HTML), the PNG, the text."""
        from ipcmodel.explorers.render import static_bundle

        return static_bundle(self.png(), self.text())

    def __repr__(self) -> str:
        return self.text()


class MachineExplorer(MasterExplorer):
    """The master explorer (notebook 00) for one machine: the same controls (crossings per use,
    the service's own working set, the IPC path's misses), but the crossing presets set only
    ``crossings_per_use`` (the papers' counts of crossings, applied to this machine's own IPC and
    system call, not to the 1992 machines' times), and the "service not resident" preset sizes
    the service's working set for ``service_line_bytes`` (bytes per cache line, this machine's).
    """

    def __init__(self, service_line_bytes: float = 16.0, **kw):
        self.service_line_bytes = float(service_line_bytes)
        super().__init__(**kw)

    @property
    def fixed_defaults(self):
        """Notebook 00's, but the service starts at today's datasheet disk (seek + rotation,
        :func:`start_device`), not at the 1992 DECstation 2100's UDP round trip: a machine of
        today is judged against a device of today."""
        return {**super().fixed_defaults, "device_us": start_device().device_us}

    def extra_presets(self):
        return [*locality.crossing_presets(locality.CROSSING_CONTROLS),
                *locality.locality_presets(tuple(self._specs), self.service_line_bytes)]


def start_device():
    """The service the explorer starts at: the first of :func:`ipcmodel.yourmachine.service_cases`
    (the newest cited disk's datasheet seek + rotation, µs in ``device_us``)."""
    from ipcmodel.yourmachine import service_cases

    disk = [c for c in service_cases({}) if c.kind == "disk"]
    if not disk:
        raise ValueError("no cited disk in data/history.csv to start the explorer at")
    return disk[0]


def machine_explorer(run: MachineRun, **kw) -> MachineExplorer:
    """:class:`MachineExplorer` with the run's preset added and applied.

    The preset reading lists every measured value outside its slider's range ("Not set: ...").
    It starts at one crossing per use with the service cache-resident (the paper's comparison)
    and the service time at :func:`start_device` (a cited disk of today);
    the crossing and locality presets change those. Keyword arguments go to :class:`Explorer`.
    """
    ex = MachineExplorer(float(run.result.machine.cache_line_bytes), **kw)
    label, values, missing, source = measured_preset(run)
    ex.add_preset(label, values, missing=missing, source=source)
    ex.apply_preset(label)
    return ex
