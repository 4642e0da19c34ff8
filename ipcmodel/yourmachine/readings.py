"""What the probe's numbers mean: the interpreter's share, §5's mapped clock, §4's co-mapping,
§3's miss penalty, and the Python-vs-C reference measured on the project's machine.

Part of :mod:`ipcmodel.yourmachine` (import from there). Times in µs. Nothing happens on import.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ipcmodel import firewall, paper, units
from ipcmodel.data import DataFileError, data_dir
from ipcmodel.machines import machine
from ipcmodel.measure import ProbeResult
from ipcmodel.measure._levels import data_caches, memory_points
from ipcmodel.yourmachine.run import _num

__all__ = [
    "overhead_rows",
    "format_overhead",
    "clock_reading",
    "comapping_reading",
    "miss_penalty_reading",
    "format_clock",
    "format_comapping",
    "format_miss_penalty",
    "format_levels",
    "C_REFERENCE_FILE",
    "c_reference",
    "format_c_reference",
    "run_to_run_noise",
]

#: The Python-vs-C reference in the data folder (written by ``benchmarks/bench_probe_vs_c.py``).
C_REFERENCE_FILE = "probe_vs_c.json"

# ---- what the numbers mean: interpreter, §5 clock, §4 co-mapping, §3 miss penalty --------------

_SHOWN = ("null_syscall", "clock_monotonic", "clock_thread_cputime", "clock_process_cputime",
          "pipe_round_trip", "pipe_round_trip_cross_cpu", "socket_round_trip", "shm_spin_round_trip",
          "shm_pipe_round_trip")


def overhead_rows(result: ProbeResult) -> list[tuple[str, float, float, float, float]]:
    """``(name, median_us, overhead_us, net_us, overhead share)`` for the kernel measurements."""
    rows = []
    for name in _SHOWN:
        m = result.measurements.get(name)
        if m is not None:
            share = m.overhead_us / m.median_us if m.median_us > 0 else 0.0
            rows.append((name, m.median_us, m.overhead_us, m.net_us, share))
    return rows


def format_overhead(result: ProbeResult) -> str:
    """What the interpreter adds to each measurement, and the interpreter's own loop costs."""
    head = f"{'measurement':<27} {'median µs':>10} {'interpreter µs':>14} {'net µs':>9} {'share':>6}"
    out = [head, "-" * len(head)]
    for name, med, ovh, net, share in overhead_rows(result):
        out.append(f"{name:<27} {med:>10.4g} {ovh:>14.4g} {net:>9.4g} {share:>6.0%}")
    m = result.measurements
    loops = [f"{n} {m[n].median_us:.3g} µs" for n in ("empty_loop", "builtin_call") if n in m]
    if loops:
        out.append("interpreter alone, per iteration: " + ", ".join(loops))
    return "\n".join(out)


def clock_reading(result: ProbeResult) -> dict | None:
    """§5: the mapped (vDSO) and the trapping clock read, net and raw (µs), and their ratio."""
    c = result.clocks
    if c is None or not c.mapped_clock or not c.trap_clock:
        return None
    mp, tr = result.measurements[c.mapped_clock], result.measurements[c.trap_clock]
    sc = result.measurements.get("null_syscall")
    speedup = (float(firewall.mapped_clock_speedup(tr.net_us, mp.net_us))
               if mp.net_us > 0 and tr.net_us > 0 else None)
    return {"mapped_clock": c.mapped_clock, "trap_clock": c.trap_clock,
            "mapped_us": mp.net_us, "trap_us": tr.net_us,
            "mapped_raw_us": mp.median_us, "trap_raw_us": tr.median_us,
            "syscall_us": None if sc is None else sc.net_us,
            "speedup": speedup, "speedup_raw": tr.median_us / mp.median_us,
            "distinguishable": c.distinguishable, "classification": dict(c.classification)}


def comapping_reading(result: ProbeResult) -> dict | None:
    """§4: shared-memory spin round trip vs the kernel's round trips (µs, net) and the ratios."""
    m = result.measurements
    if "shm_spin_round_trip" not in m or "pipe_round_trip" not in m:
        return None
    shm, pipe = m["shm_spin_round_trip"].net_us, m["pipe_round_trip"].net_us
    out = {"shm_spin_us": shm, "pipe_us": pipe,
           "pipe_over_shm": pipe / shm if shm > 0 else None}
    for key, name in (("cross_cpu_pipe_us", "pipe_round_trip_cross_cpu"),
                      ("socket_us", "socket_round_trip"), ("shm_pipe_us", "shm_pipe_round_trip")):
        out[key] = m[name].net_us if name in m else None
    # like for like (critic C2 N9): the spin uses two CPUs, the shared buffer with a wake-up one
    cross, wake = out["cross_cpu_pipe_us"], out["shm_pipe_us"]
    out["cross_cpu_pipe_over_shm"] = cross / shm if cross and shm > 0 else None
    out["pipe_over_shm_pipe"] = pipe / wake if wake and wake > 0 else None
    return out


def miss_penalty_reading(result: ProbeResult) -> dict | None:
    """§3: the latency ladder's miss penalty (µs, cycles), beside the DECstation 5000/200's.

    The penalty is an *estimate*, not a bound: the median of the readings at working sets of
    at least four times the last-level cache (``penalty_readings_us``, their extremes
    ``penalty_low_us``/``penalty_high_us``; with two readings the median is their mean). TLB
    misses and page walks push it up; with the Python chase the interpreter's work, which
    overlaps the outstanding load, pushes it down by up to ``interpreter_overlap_us`` (the
    in-cache step; 0 for the C chase). ``beyond_low_us``/``beyond_high_us`` is the spread of
    every reading beyond twice the cache below the last level (from ``beyond_from_bytes``).
    """
    lat = result.latency
    if lat is None:
        return None
    llc = max((c["size_bytes"] for c in result.machine.caches), default=None)
    ds = machine("ds5000")
    line = result.machine.cache_line_bytes
    lines = float(paper.ipc_path_lines(line))
    used = memory_points(lat.points, list(result.machine.caches))
    below_llc = sorted(c["size_bytes"] for c in data_caches(result.machine.caches))[-2:-1]
    beyond = [p for p in lat.points if below_llc and p.working_set_bytes > 2 * below_llc[0]] or used
    overlap_us = lat.baseline_us if lat.chase_method == "python" else 0.0
    return {"baseline_us": lat.baseline_us, "penalty_us": lat.miss_penalty_us,
            "penalty_readings_us": [p.excess_us for p in used],
            "penalty_working_sets_bytes": [int(p.working_set_bytes) for p in used],
            "penalty_low_us": min(p.excess_us for p in used),
            "penalty_high_us": max(p.excess_us for p in used),
            "beyond_low_us": min(p.excess_us for p in beyond),
            "beyond_high_us": max(p.excess_us for p in beyond),
            "beyond_from_bytes": int(min(p.working_set_bytes for p in beyond)),
            "interpreter_overlap_us": overlap_us,
            "penalty_cycles": lat.miss_penalty_cycles, "clock_mhz": lat.clock_mhz,
            "chase_method": lat.chase_method, "levels_lower_bounds": lat.levels_lower_bounds,
            "chase_note": lat.chase_note, "levels": [dict(lv) for lv in lat.levels],
            "last_level_cache_bytes": llc, "line_bytes": line, "ipc_path_lines": lines,
            "cold_ipc_path_us": lines * lat.miss_penalty_us,
            "ds5000_penalty_cycles": ds.miss_penalty_cycles,
            "ds5000_penalty_us": float(units.cycles_to_us(ds.miss_penalty_cycles, ds.clock_mhz))}


def format_clock(result: ProbeResult) -> str:
    """§5 in numbers: every clock read measured (µs, net and raw), how the probe classified it,
    and the mapped-vs-trapping ratio when it could tell them apart."""
    clocks = result.clocks
    if clocks is None:
        return "The clock reads were not measured in this result."
    out = []
    for name, kind in clocks.classification.items():
        m = result.measurements[name]
        out.append(f"{name:<22} {kind:<8} {m.net_us:>8.3g} µs net ({m.median_us:.3g} µs with the interpreter)")
    sc = result.measurements.get("null_syscall")
    if sc is not None:
        out.append(f"{'null system call':<22} {'(scale)':<8} {sc.net_us:>8.3g} µs net")
    c = clock_reading(result)
    if c is None:
        out.append("The probe could not classify one clock as mapped and another as trapping here "
                   "(on a busy machine, or one with very cheap system calls, the costs can be too "
                   "close for its rule); the numbers above are still measured.")
        return "\n".join(out)
    x = "—" if c["speedup"] is None else f"{c['speedup']:.3g}"
    out.append(f"the mapped read ({c['mapped_clock']}, vDSO) is {x} times faster than the trapping "
               f"read ({c['trap_clock']}) net of the interpreter, {c['speedup_raw']:.3g} times from "
               "the raw medians; the trapping read also does the kernel's accounting work")
    if c["syscall_us"] and c["mapped_us"] > 0:
        out.append(f"against the null system call (the crossing alone, like for like): "
                   f"{c['syscall_us'] / c['mapped_us']:.3g} times faster")
    out.append(f"the two told apart reliably (confidence intervals apart): "
               f"{'yes' if c['distinguishable'] else 'NO'}")
    return "\n".join(out)


def format_comapping(result: ProbeResult) -> str:
    """§4 in numbers: the shared-memory spin round trip beside the kernel's round trips (µs)."""
    c = comapping_reading(result)
    if c is None:
        why = "; ".join(f"{k}: {v}" for k, v in result.skipped.items()) or "not measured"
        return f"No shared-memory round trip in this result ({why})."
    rows = (("shared memory, both sides spinning (no kernel entry), two CPUs", c["shm_spin_us"]),
            ("shared-memory data + a pipe byte as wake-up, one CPU", c["shm_pipe_us"]),
            ("pipe, one CPU", c["pipe_us"]), ("Unix-domain socket, one CPU", c["socket_us"]),
            ("pipe, across two CPUs", c["cross_cpu_pipe_us"]))
    out = [f"{what:<64} {us:>8.3g} µs" for what, us in rows if us is not None]
    if c["cross_cpu_pipe_over_shm"]:
        out.append(f"two CPUs each: the spinning round trip is {c['cross_cpu_pipe_over_shm']:.3g} times "
                   "faster than the pipe across two CPUs (it keeps both processors busy)")
    if c["pipe_over_shm_pipe"]:
        out.append(f"one CPU each: the pipe takes {c['pipe_over_shm_pipe']:.3g} times the time of the "
                   "shared buffer with a pipe wake-up (§4's technique): the wake-up is the cost")
    return "\n".join(out)


def format_levels(result: ProbeResult) -> str:
    """The latency of each cache level and of memory (µs, cycles), and which chase measured it."""
    lat = result.latency
    if lat is None:
        return "The latency ladder was not measured in this result."
    if lat.chase_method == "c":
        out = [f"Method: the pointer chase in C ({lat.chase_note}); the Python chase beside it for "
               "comparison. Every level is resolved."]
    else:
        out = [f"Method: the pointer chase in Python ({lat.chase_note}). Each step's interpreter "
               "work overlaps the outstanding load and hides misses shorter than itself, so the cache "
               "levels' extra times are LOWER BOUNDS (marked ≥); only the memory level is a reading."]
    head = f"{'level':<8} {'working sets':>18} {'extra µs':>9} {'extra cycles':>12}"
    if lat.chase_method == "c":
        head += f" {'Python extra µs':>15}"
    out += [head, "-" * len(head)]
    for lv in lat.levels:
        sets = lv["working_sets_bytes"]
        span = _size_text(sets[0]) + ("" if len(sets) == 1 else f"–{_size_text(sets[-1])}")
        ge = "≥" if lv["lower_bound"] else ""
        cyc = "—" if lv["excess_cycles"] is None else f"{ge}{lv['excess_cycles']:.3g}"
        line = f"{lv['name']:<8} {span:>18} {ge + format(lv['excess_us'], '.3g'):>9} {cyc:>12}"
        if lat.chase_method == "c":
            line += f" {_num(lv['python_excess_us'], 3):>15}"
        out.append(line)
    mem = lat.levels[-1] if lat.levels and lat.levels[-1]["name"] == "memory" else None
    like = [lv["name"] for lv in lat.levels[:-1]
            if mem is not None and mem["excess_us"] > 0 and lv["excess_us"] >= 0.5 * mem["excess_us"]]
    out.append("extra = time per access beyond the in-cache (L1) step; a level's working sets are those "
               "between twice the level below and a quarter of its own size")
    if like:
        out.append(f"{', '.join(like)}: memory-like (at least half the memory level's extra time): "
                   "the chase already reaches memory inside this cache's nominal size (a cache "
                   "shared with other cores or virtual machines, or TLB misses), so this row is "
                   "not that cache's latency")
    return "\n".join(out)


def format_miss_penalty(result: ProbeResult, ladder: bool = True) -> str:
    """§3 in numbers: the latency ladder and the miss penalty estimated from it."""
    r = miss_penalty_reading(result)
    if r is None:
        return "The latency ladder was not measured in this result."
    out = []
    if ladder:
        out.append(f"{'working set':>12} {'per access µs':>14} {'extra µs':>9} {'extra cycles':>12}")
        for p in result.latency.points:
            ws = p.working_set_bytes
            out.append(f"{_size_text(ws):>12} {p.median_us:>14.3g} {p.excess_us:>9.3g} {_num(p.excess_cycles, 3):>12}")
        out.append("")
    llc = r["last_level_cache_bytes"]
    step = "an L1 hit" if r["chase_method"] == "c" else "the interpreter's own step"
    out.append(f"in-cache cost per access ({step}): {r['baseline_us']:.3g} µs")
    cyc = (f" = {r['penalty_cycles']:.3g} cycles at {r['clock_mhz']:.4g} MHz"
           if r["penalty_cycles"] is not None else " (no clock rate: no cycles)")
    out.append(f"miss penalty (extra per access beyond the {llc // 2**20 if llc else '?'} MiB last-level "
               f"cache, {'C' if r['chase_method'] == 'c' else 'Python'} chase): "
               f"{r['penalty_us']:.3g} µs{cyc}, an estimate")
    out += _penalty_spread(r)
    out.append(f"DECstation 5000/200: {r['ds5000_penalty_cycles']:g} cycles = {r['ds5000_penalty_us']:.3g} µs, "
               "a parameter of Chen & Bershad's simulated memory system, not a measurement "
               f"{machine('ds5000').provenance['miss_penalty_cycles'].cite()}")
    if r["penalty_cycles"]:
        out.append(f"in cycles this machine's penalty is {r['penalty_cycles'] / r['ds5000_penalty_cycles']:.3g} "
                   f"times the DECstation's; in µs it is {r['ds5000_penalty_us'] / r['penalty_us']:.3g} "
                   "times shorter")
    out.append(f"Mach's IPC path ({r['ipc_path_lines']:.0f} lines of {r['line_bytes']} bytes), all missing: "
               f"{r['cold_ipc_path_us']:.3g} µs per round trip")
    return "\n".join(out)


def _us_cycles(us: float, clock_mhz: float | None) -> str:
    return f"{us:.3g} µs" + ("" if clock_mhz is None else f" ({us * clock_mhz:.3g} cycles)")


def _penalty_spread(r: dict) -> list[str]:
    """The spread of the miss-penalty readings and which way each bias pushes the estimate."""
    clk = r["clock_mhz"] if r["penalty_cycles"] is not None else None
    n = len(r["penalty_readings_us"])
    sets = ", ".join(_size_text(b) for b in r["penalty_working_sets_bytes"])
    how = "the one reading" if n == 1 else ("the mean of the two readings" if n == 2 else
                                            f"the median of {n} readings")
    out = [f"  it is {how} at {sets}: {_us_cycles(r['penalty_low_us'], clk)} to "
           f"{_us_cycles(r['penalty_high_us'], clk)}; every working set from "
           f"{_size_text(r['beyond_from_bytes'])} up reads {_us_cycles(r['beyond_low_us'], clk)} to "
           f"{_us_cycles(r['beyond_high_us'], clk)}: that spread, not one digit, is the measurement",
           "  biases: TLB misses and page walks push it UP (it includes translation)"]
    if r["interpreter_overlap_us"] > 0:
        out.append("  and the interpreter's work, done while the load is outstanding, pushes it DOWN by "
                   f"up to {_us_cycles(r['interpreter_overlap_us'], clk)} (Python chase): neither an "
                   "upper nor a lower bound of the memory level")
    else:
        out.append("  (the C chase has no interpreter work to hide part of a miss, so the reading leans "
                   "high: at most the miss plus translation)")
    return out


def _size_text(nbytes: float) -> str:
    n = int(nbytes)
    return f"{n >> 20} MiB" if n >= 2**20 else f"{n >> 10} KiB"



# ---- the Python probe against C, measured on the project's machine ----------------------------

_ROW_US = ("python_median_us", "python_min_us", "python_max_us", "python_overhead_us",
           "python_net_us", "c_median_us", "c_min_us", "c_max_us")
_ROW_RATIOS = ("raw_over_c", "net_over_c")


def _positive(x, what: str, where: str, zero_ok: bool = False) -> float:
    ok = (isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
          and (x >= 0 if zero_ok else x > 0))
    if not ok:
        raise DataFileError(f"{where}: {what} must be a finite number {'>= 0' if zero_ok else '> 0'}, "
                            f"got {x!r}")
    return float(x)


def c_reference(path=None) -> dict:
    """The Python-vs-C reference of ``data/probe_vs_c.json``, checked.

    Measured on the project's machine by ``benchmarks/bench_probe_vs_c.py`` (not on this one);
    ``benchmarks/PROBE.md`` shows it as a table generated from the same file.

    Parameters
    ----------
    path : str or Path, optional
        Another file of the same form (default: the one shipped in the package's data folder).

    Returns
    -------
    dict
        ``rounds``, ``context`` (one Markdown sentence: machine, date, load), ``interpreter_us``
        (the interpreter's own costs, µs) and ``rows``: ``{name: row}`` in the file's order, each
        row with ``label`` (the name and its note), the medians and per-run extremes in µs
        (``python_median_us``, ``python_min_us``, ``python_max_us``, ``python_overhead_us``,
        ``python_net_us``, ``c_median_us``, ``c_min_us``, ``c_max_us``) and the ratios
        ``raw_over_c``, ``net_over_c``.

    Raises
    ------
    DataFileError
        A missing key, a duplicate row, a non-positive or non-finite number, or a median
        outside its per-run extremes; the message names the file and the row.
    """
    p = data_dir() / C_REFERENCE_FILE if path is None else Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
        rounds, context, interp, raw_rows = doc["rounds"], doc["context"], doc["interpreter_us"], doc["rows"]
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise DataFileError(f"{p}: not a Python-vs-C reference ({type(exc).__name__}: {exc})") from exc
    if (not isinstance(rounds, int) or rounds < 1 or not isinstance(context, str)
            or not isinstance(interp, dict) or not isinstance(raw_rows, list) or not raw_rows
            or not all(isinstance(r, dict) for r in raw_rows)):
        raise DataFileError(f"{p}: rounds must be an int >= 1, context a string, interpreter_us an "
                            "object and rows a non-empty list of objects")
    out = {**doc, "interpreter_us": {k: _positive(v, k, str(p)) for k, v in interp.items()}, "rows": {}}
    for i, r in enumerate(raw_rows, 1):
        where = f"{p}, row {i}"
        name = r.get("name")
        if not isinstance(name, str) or not name or name in out["rows"]:
            raise DataFileError(f"{where}: missing or duplicate name {name!r}")
        row = {"name": name, "note": str(r.get("note", ""))}
        for k in _ROW_US + _ROW_RATIOS:
            row[k] = _positive(r.get(k), k, f"{where} ({name})", zero_ok=k in ("python_overhead_us", "python_net_us"))
        for side in ("python", "c"):
            if not row[f"{side}_min_us"] <= row[f"{side}_median_us"] <= row[f"{side}_max_us"]:
                raise DataFileError(f"{where} ({name}): {side}_median_us is outside [{side}_min_us, {side}_max_us]")
        row["label"] = f"{name} ({row['note']})" if row["note"] else name
        out["rows"][name] = row
    return out


def format_c_reference(ref: dict | None = None) -> str:
    """The Python ÷ C ratios of :func:`c_reference` (measured on the project's machine, not this one)."""
    ref = c_reference() if ref is None else ref
    context = ref["context"].replace("**", "").replace("`", "")
    out = [f"From data/probe_vs_c.json (table in benchmarks/PROBE.md), measured on the project's machine: {context}",
           f"{'measurement':<30} {'Python µs':>10} {'C µs':>9} {'raw ÷ C':>8} {'net ÷ C':>8}"]
    for row in ref["rows"].values():
        out.append(f"{row['label']:<30} {row['python_median_us']:>10.4g} {row['c_median_us']:>9.4g} "
                   f"{row['raw_over_c']:>8.3g} {row['net_over_c']:>8.3g}")
    noise = run_to_run_noise(ref)
    if noise["below_one"]:
        names = ", ".join(f"{n} {x:.3g}" for n, x in noise["below_one"].items())
        out.append(f"net ÷ C below 1: {names}. Python cannot do the kernel's work faster than C, so "
                   f"this is run-to-run noise, up to {noise['max_shortfall']:.0%} here: a measured "
                   "cost is an upper bound of the mechanism's only within that noise.")
    return "\n".join(out)


def run_to_run_noise(ref: dict | None = None) -> dict:
    """What the Python-vs-C reference says about run-to-run noise.

    Returns
    -------
    dict
        ``below_one``: ``{name: net_over_c}`` for the rows where Python's net time is below C's
        (impossible for the same kernel work, so noise); ``max_shortfall``: the largest
        ``1 - net_over_c`` among them (0 when none); ``max_spread``: the largest per-run
        spread of the C medians, ``c_max_us / c_min_us - 1``.
    """
    ref = c_reference() if ref is None else ref
    below = {n: r["net_over_c"] for n, r in ref["rows"].items() if r["net_over_c"] < 1.0}
    return {"below_one": below,
            "max_shortfall": max((1.0 - x for x in below.values()), default=0.0),
            "max_spread": max(r["c_max_us"] / r["c_min_us"] - 1.0 for r in ref["rows"].values())}
