"""The cache and crossing terms every explorer with an overhead fraction shares (§3, §5).

One home for: the two localities (the IPC path's misses, paid by the microkernel on every
crossing; the service's own misses, paid by both structures on every use, by the microkernel
``micro_service_locality_factor`` times the monolithic kernel's when an explorer offers
:data:`MICRO_SERVICE_CONTROLS`, else once), the time one miss
takes at the chosen clock (and whether any machine in data/ ever had a miss that long), and the
presets named after the papers' cases (crossings per use; a service cache-resident or not; the
IPC path kept resident by placement or cold). An explorer that shows an overhead fraction adds
:data:`CROSSING_CONTROLS` and :data:`SERVICE_CONTROLS` to its controls, calls
:func:`cache_terms` in ``update``, :func:`cache_phrase` in ``describe`` and (the explorers of
notebooks 00 and 05) :func:`idle_cache_controls` in ``idle_controls``, and returns
:func:`presets` from ``extra_presets``.
"""

from __future__ import annotations

from ipcmodel import caches, paper, service, units
from ipcmodel.data import fact
from ipcmodel.explorers.controls import Preset
from ipcmodel.machines import machine
from ipcmodel.plotting import format_percent, format_us

__all__ = [
    "CROSSING_CONTROLS",
    "SERVICE_CONTROLS",
    "MICRO_SERVICE_CONTROLS",
    "CB93_SYSTEM_PENALTY_FACT",
    "service_lines_default",
    "cache_terms",
    "idle_cache_controls",
    "miss_time_phrase",
    "cache_phrase",
    "crossing_presets",
    "locality_presets",
    "micro_service_presets",
    "udp_upper_bound_preset",
    "unpublished_cache_sources",
    "presets",
]

#: Names of the shared sliders (in :data:`ipcmodel.explorers.service.SLIDERS`).
CROSSING_CONTROLS = ("crossings_per_use",)
SERVICE_CONTROLS = ("service_lines", "service_miss_fraction")
#: The microkernel's service misses as a multiple of the monolithic kernel's (notebook 00's
#: master explorer): 1 = the paper's assumption, above 1 Chen & Bershad's (1993) objection.
MICRO_SERVICE_CONTROLS = ("micro_service_locality_factor",)
#: Chen & Bershad (1993) §3: Mach's memory penalty per system instruction, 1-3× Ultrix's.
CB93_SYSTEM_PENALTY_FACT = "cb93-system-mcpi-ratio-mach-vs-ultrix"


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
    as the explorers before had it) and ``micro_service_locality_factor`` (absent: 1, the same
    misses in both structures). Returns ``ipc_path_lines``, ``ipc_path_locality_us`` (per
    crossing), ``service_lines``, ``service_locality_us`` (per use, the monolithic kernel's),
    ``micro_service_locality_factor`` and ``micro_service_locality_us`` (the microkernel's),
    ``miss_us`` (one miss at the clock), ``hypothetical`` (a miss longer than any in data/) and
    ``longest`` (that longest cited miss, a :class:`ipcmodel.paper.CitedMiss`).
    """
    pen, clk = values["miss_penalty_cycles"], values["clock_mhz"]
    lines = float(paper.ipc_path_lines(values["cache_line_bytes"]))
    ipl = float(service.locality_us(lines, values["miss_fraction"], pen, clk))
    s_lines = float(values.get("service_lines", 0.0))
    loc = float(service.locality_us(s_lines, values.get("service_miss_fraction", 0.0), pen, clk))
    k = units.check("micro_service_locality_factor", values.get("micro_service_locality_factor", 1.0),
                    "×", 0.0, service.MICRO_SERVICE_LOCALITY_FACTOR_MAX, scalar=True)
    miss = float(caches.miss_time_us(pen, clk))
    longest = paper.longest_cited_miss_us()
    return {"ipc_path_lines": lines, "ipc_path_locality_us": ipl, "service_lines": s_lines,
            "service_locality_us": loc, "micro_service_locality_factor": k,
            "micro_service_locality_us": k * loc, "miss_us": miss, "hypothetical": miss > longest.miss_us * 1.0001,
            "longest": longest}


def idle_cache_controls(values: dict) -> dict[str, str]:
    """The cache controls that change nothing in this state, with the reason (issue 13).

    The clock and the miss penalty only price misses; the cache line only counts the IPC path's
    lines; the service's working set and its miss fraction only act together.
    """
    out = {}
    path = values["miss_fraction"] > 0
    s_lines, s_miss = values.get("service_lines", 0.0), values.get("service_miss_fraction", 0.0)
    if not path:
        out["cache_line_bytes"] = "the IPC path's lines all hit (its miss fraction is 0)"
    if not path and not (s_lines > 0 and s_miss > 0):
        why = "no line misses (the IPC path and the service are cache-resident)"
        out.update(cache_line_bytes=why, clock_mhz=why, miss_penalty_cycles=why)
    if "service_lines" in values and s_miss == 0:
        out["service_lines"] = "the service's lines all hit (its miss fraction is 0)"
    if "service_miss_fraction" in values and s_lines == 0:
        out["service_miss_fraction"] = "the service has no lines of its own (working set 0)"
    if "micro_service_locality_factor" in values and not (s_lines > 0 and s_miss > 0):
        out["micro_service_locality_factor"] = "the service's lines do not miss, in either design"
    return out


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
        k = t["micro_service_locality_factor"]
        if "micro_service_locality_factor" not in values:
            who = "paid by both designs"
        elif k == 1:
            who = "paid equally by both designs, the paper's assumption"
        else:
            who = (f"in the monolithic kernel; the microkernel's are {k:.3g}× that, "
                   f"{format_us(t['micro_service_locality_us'])}")
        parts.append(f"{format_percent(values['service_miss_fraction'])} of the service's "
                     f"{t['service_lines']:.0f} lines missing ({format_us(t['service_locality_us'])} "
                     f"per use, {who})")
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


def micro_service_presets(controls, cache_line_bytes: float = 16.0) -> list[Preset]:
    """A preset for the microkernel's service misses (when the explorer has that control):
    Chen & Bershad (1993) §3, Mach's memory penalty per system instruction at the high end of
    "one to three times" Ultrix's, with the service's lines all missing so that it acts."""
    if "micro_service_locality_factor" not in controls:
        return []
    f = fact(CB93_SYSTEM_PENALTY_FACT)
    hi = f.value_high if f.value_high is not None else f.value
    lines = service_lines_default(cache_line_bytes)
    return [Preset(f"Service misses: microkernel {hi:g}× (Chen & Bershad 1993, high end)",
                   {"micro_service_locality_factor": hi, "service_miss_fraction": 1.0,
                    "service_lines": lines},
                   source=f"Chen & Bershad found Mach's memory penalty per system instruction "
                          f"{f.value_text().replace(' ratio', '×')} Ultrix's {f.cite()}; this is the "
                          f"high end, applied to the service's {lines:.0f} lines (assumed: as large as "
                          "the IPC path), all missing. A reading of a per-instruction average, not a "
                          "measurement of one service use; Mach also ran more system instructions.")]


def udp_upper_bound_preset(p: Preset) -> Preset:
    """Notebook 00's UDP preset, said for what it is: Maeda & Bershad's (1992, §2.2) upper-bound
    estimate on a DECstation 2100, built from their parts (not RPC − system call), beside what
    they measured (the Unix server, and their own user-level UDP server matching the kernel)."""
    sock, drv = fact("mb92-unix-server-bound"), fact("mb92-driver-bound")
    unix, kern = fact("mb92-udp-rtt-unix-server"), fact("mb92-udp-rtt-mach25")
    user, var = fact("mb92-udp-rtt-user-level"), fact("mb92-udp-variance")
    source = (f"Maeda & Bershad's upper-bound estimate on a DECstation 2100 ({sock.value_text()} "
              f"for the sockets, {drv.value_text()} for the driver {sock.cite()}), built from the "
              "parts they list, not from RPC − system call: " + p.source + ". What they measured: "
              f"{unix.value_text()} through the Unix server {unix.cite()}, and {user.value_text()} "
              f"for their own user-level UDP server against {kern.value_text()} in the kernel "
              f"{user.cite()}, comparable times (their times varied by {var.value_text()} of the mean "
              f"{var.cite()}): the structure of the protocol code, not where it runs, set the time. "
              "The clock and cache sliders keep their values.")
    return Preset("Crossings: UDP round trip via the Unix server, Maeda & Bershad's upper bound "
                  "(DECstation 2100)", p.values, p.missing, source, first=p.first)


def unpublished_cache_sources() -> dict[str, str]:
    """``{machine name: source}`` for the 1992 machine that has no cache numbers in any source
    here (the MicroVAX-III), for an explorer with clock and cache sliders: its preset keeps
    them where they were, and the reading says so, with the little §3 says about such machines."""
    cv, slow, old = machine("cvax"), fact("b92-slow-architecture-mips"), fact("b92-miss-penalty-old")
    return {cv.name: (
        f"the RPC and the system call are published ({fact('b92-rpc-cvax-1992').cite()}; "
        f"{fact('b92-syscall-cvax').cite()}). The clock, the cache line and the miss penalty "
        "keep the values they had (the DECstation 5000/200's at the start): there is no "
        "published value for the MicroVAX-III's in any source here, and §3 says only that "
        f"machines under {slow.value:g} "
        f"{slow.unit} had misses of \"only a few cycles\" {old.cite()}. They matter only when "
        "lines miss.")}


def presets(controls, cache_line_bytes: float = 16.0) -> list[Preset]:
    """:func:`crossing_presets`, :func:`locality_presets`, then :func:`micro_service_presets`."""
    return [*crossing_presets(controls), *locality_presets(controls, cache_line_bytes),
            *micro_service_presets(controls, cache_line_bytes)]
