"""The cache and crossing terms every explorer with an overhead fraction shares (§3, §5).

One home for: the two localities (the IPC path's misses, paid by the microkernel on every
crossing; the service's own misses, paid by both structures on every use), the time one miss
takes at the chosen clock (and whether any machine in data/ ever had a miss that long), and the
presets named after the papers' cases (crossings per use; a service cache-resident or not; the
IPC path kept resident by placement or cold). An explorer that shows an overhead fraction adds
:data:`CROSSING_CONTROLS` and :data:`SERVICE_CONTROLS` to its controls, calls
:func:`cache_terms` in ``update`` and :func:`cache_phrase` in ``describe``, and returns
:func:`presets` from ``extra_presets``.
"""

from __future__ import annotations

from ipcmodel import caches, paper, service
from ipcmodel.explorers.controls import Preset
from ipcmodel.plotting import format_percent, format_us

__all__ = [
    "CROSSING_CONTROLS",
    "SERVICE_CONTROLS",
    "service_lines_default",
    "cache_terms",
    "miss_time_phrase",
    "cache_phrase",
    "crossing_presets",
    "locality_presets",
    "presets",
]

#: Names of the shared sliders (in :data:`ipcmodel.explorers.service.SLIDERS`).
CROSSING_CONTROLS = ("crossings_per_use",)
SERVICE_CONTROLS = ("service_lines", "service_miss_fraction")


def service_lines_default(cache_line_bytes: float = 16.0) -> float:
    """Starting size of the service's own working set (lines): as large as the IPC path.

    No source gives a service's working set; starting at the IPC path's own size (§3: < 4 KB of
    instructions + < 2 KB of data, :func:`ipcmodel.paper.ipc_path_lines`) is our assumption, and a
    small one: a real service (a file system, a protocol stack) touches more, which only
    strengthens §3's point.
    """
    return float(paper.ipc_path_lines(cache_line_bytes))


def cache_terms(values: dict) -> dict:
    """The locality terms for the current control values (µs and lines).

    Reads ``cache_line_bytes``, ``miss_fraction`` (IPC path), ``miss_penalty_cycles``,
    ``clock_mhz`` and, when present, ``service_lines`` and ``service_miss_fraction`` (absent: 0,
    as the explorers before had it). Returns ``ipc_path_lines``, ``ipc_path_locality_us`` (per
    crossing), ``service_lines``, ``service_locality_us`` (per use, both structures),
    ``miss_us`` (one miss at the clock), ``hypothetical`` (a miss longer than any in data/) and
    ``longest`` (that longest cited miss, a :class:`ipcmodel.paper.CitedMiss`).
    """
    pen, clk = values["miss_penalty_cycles"], values["clock_mhz"]
    lines = float(paper.ipc_path_lines(values["cache_line_bytes"]))
    ipl = float(service.locality_us(lines, values["miss_fraction"], pen, clk))
    s_lines = float(values.get("service_lines", 0.0))
    loc = float(service.locality_us(s_lines, values.get("service_miss_fraction", 0.0), pen, clk))
    miss = float(caches.miss_time_us(pen, clk))
    longest = paper.longest_cited_miss_us()
    return {"ipc_path_lines": lines, "ipc_path_locality_us": ipl, "service_lines": s_lines,
            "service_locality_us": loc, "miss_us": miss, "hypothetical": miss > longest.miss_us * 1.0001,
            "longest": longest}


def miss_time_phrase(values: dict, terms: dict | None = None) -> str:
    """``"15 cycles at 25 MHz = 0.6 µs per miss"``, plus a warning when no machine had such a miss."""
    t = terms or cache_terms(values)
    text = (f"{values['miss_penalty_cycles']:.4g} cycles at {values['clock_mhz']:.4g} MHz = "
            f"{format_us(t['miss_us'])} per miss")
    if t["hypothetical"]:
        text += (f" (hypothetical: the longest miss in data/ is {format_us(t['longest'].miss_us)}, "
                 f"{t['longest'].label})")
    return text


def cache_phrase(values: dict, terms: dict | None = None) -> str:
    """One sentence on both localities and the crossings, for an explorer's reading."""
    t = terms or cache_terms(values)
    c = values.get("crossings_per_use", 1.0)
    parts = [f"{c:.3g} crossing{'' if c == 1 else 's'} per use" if "crossings_per_use" in values else ""]
    if values["miss_fraction"] == 0:
        parts.append(f"the IPC path's {t['ipc_path_lines']:.0f} lines resident (no misses)")
    else:
        parts.append(f"{format_percent(values['miss_fraction'])} of the IPC path's "
                     f"{t['ipc_path_lines']:.0f} lines missing ({format_us(t['ipc_path_locality_us'])} "
                     "per crossing, microkernel only)")
    if t["service_lines"] and values.get("service_miss_fraction", 0.0):
        parts.append(f"{format_percent(values['service_miss_fraction'])} of the service's "
                     f"{t['service_lines']:.0f} lines missing ({format_us(t['service_locality_us'])} "
                     "per use, paid by both designs)")
    else:
        parts.append("the service cache-resident")
    return "; ".join(p for p in parts if p) + f"; {miss_time_phrase(values, t)}."


def crossing_presets(controls) -> list[Preset]:
    """One preset per :func:`ipcmodel.paper.crossing_cases` case, keeping only the controls the
    explorer has (``controls``: names). The UDP case sets the service time too when it can."""
    out = []
    for case in paper.crossing_cases():
        vals = {"crossings_per_use": case.crossings_per_use, "ipc_us": case.ipc_us,
                "syscall_us": case.syscall_us}
        if case.service_us is not None:
            vals["device_us"] = case.service_us
        vals = {k: v for k, v in vals.items() if k in controls}
        if "crossings_per_use" in vals:
            out.append(Preset(f"Crossings: {case.name}", vals, source=f"{case.how} {case.source}"))
    return out


def locality_presets(controls, cache_line_bytes: float = 16.0) -> list[Preset]:
    """Presets for the two localities: the service cache-resident or not; the IPC path kept
    resident by placement (§3's cache hashing remark) or cold (the worst case)."""
    out = []
    if "service_miss_fraction" in controls:
        lines = service_lines_default(cache_line_bytes)
        out += [Preset("Service cache-resident (its lines all hit)", {"service_miss_fraction": 0.0},
                       source="the service's own misses set to 0 (§3)"),
                Preset("Service not resident (every line misses)",
                       {"service_miss_fraction": 1.0, "service_lines": lines},
                       source=f"the service's {lines:.0f} lines (assumed: as large as the IPC path, "
                              "§3) all miss, in both designs")]
    if "miss_fraction" in controls:
        out += [Preset("IPC path kept resident by placement (§3)", {"miss_fraction": 0.0},
                       source="§3: the IPC path is small and known a priori, so memory can be "
                              "allocated with the cache hashing function in mind"),
                Preset("IPC path cold (worst case)", {"miss_fraction": 1.0},
                       source="every line of the IPC path misses on every crossing: the objection "
                              "§3 answers")]
    return out


def presets(controls, cache_line_bytes: float = 16.0) -> list[Preset]:
    """:func:`crossing_presets` then :func:`locality_presets`."""
    return [*crossing_presets(controls), *locality_presets(controls, cache_line_bytes)]
