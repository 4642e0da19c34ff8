"""Notebook 06 helpers: measure this machine (or load the saved example) and put it in the model.

Bershad (1992), §2–§5, replayed on the computer in front of the student:

* :func:`measure_or_load` runs the quick probe of :mod:`ipcmodel.measure`, or loads the saved
  example result when it cannot run (no ``fork``, a timeout, any error, or the environment
  variable ``IPCMODEL_NO_PROBE=1``) and says so; :func:`run_in_notebook` does the same behind an
  ipywidgets progress bar (ipywidgets is imported inside :func:`progress_bar` only).
* :func:`comparison_rows` / :func:`format_comparison`: this machine beside the MicroVAX-III
  (CVax), the DECstation 5000/200 and the HP-700 in the same terms (µs, cycles).
* :func:`service_cases` / :func:`does_ipc_matter` / :func:`format_answers`: the IPC overhead
  fraction (:func:`ipcmodel.service.ipc_overhead_fraction`) for a disk, SSDs, network round trips
  (cited device times) and an in-memory service (the paper's §2 buffer-cache copy at this
  machine's measured copy bandwidth).
* :func:`overhead_rows`, :func:`clock_reading`, :func:`comapping_reading`,
  :func:`miss_penalty_reading`, :func:`c_reference`: the probe's numbers behind §3, §4 and §5.
* :func:`measured_preset` / :func:`machine_explorer`: the master explorer with a preset
  "This machine (measured)"; a value outside a slider's range is reported, never clamped.

Every time is in µs. The measured values are upper bounds of the kernel's cost (the interpreter's
own work is subtracted only as well as the probe can measure it; see ``benchmarks/PROBE.md``).
Nothing happens on import.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ipcmodel import caches, firewall, service, transfer, units
from ipcmodel.data import fact
from ipcmodel.machines import machine
from ipcmodel.measure import ProbeResult, load_example, run_probe, to_model_inputs

__all__ = [
    "NO_PROBE_ENV",
    "PAPER_MACHINE_IDS",
    "MEASURED_LABEL",
    "EXAMPLE_LABEL",
    "IN_MEMORY_FACT",
    "MachineRun",
    "measure_or_load",
    "progress_bar",
    "run_in_notebook",
    "MachineRow",
    "comparison_rows",
    "format_comparison",
    "format_versus",
    "ServiceCase",
    "Answer",
    "service_cases",
    "does_ipc_matter",
    "answers_for",
    "format_answers",
    "overhead_rows",
    "format_overhead",
    "clock_reading",
    "comapping_reading",
    "miss_penalty_reading",
    "format_clock",
    "format_comapping",
    "format_miss_penalty",
    "format_c_reference",
    "LadderPicture",
    "parse_c_reference",
    "c_reference",
    "measured_preset",
    "machine_explorer",
]

#: Set to 1 (or true/yes/on) to skip the probe and use the saved example result.
NO_PROBE_ENV = "IPCMODEL_NO_PROBE"
#: The paper's machines the notebook compares with (ids in data/machines.csv).
PAPER_MACHINE_IDS = ("cvax", "ds5000", "hp700")
#: Preset label for values measured on this machine, and for the saved example.
MEASURED_LABEL = "This machine (measured)"
EXAMPLE_LABEL = "Saved example (NOT this machine)"
#: §2's in-memory service: "copy a 512 byte block from a system buffer cache into a user buffer".
IN_MEMORY_FACT = "b92-buffer-copy-block"
#: Default yardstick for "matters" (a fraction): the explorers' starting threshold.
_DEFAULT_THRESHOLD = 0.05
_PROBE_MD = Path(__file__).resolve().parents[1] / "benchmarks" / "PROBE.md"


def _num(x, digits: int = 4) -> str:
    return "—" if x is None else f"{x:.{digits}g}"


# ---- running the probe -------------------------------------------------------------------------

@dataclass(frozen=True)
class MachineRun:
    """A probe result and whether it was measured here (``measured``) or loaded (``reason`` why)."""

    result: ProbeResult
    measured: bool
    reason: str = ""

    @property
    def inputs(self) -> dict:
        """:func:`ipcmodel.measure.to_model_inputs` of the result (µs, net of the interpreter)."""
        return to_model_inputs(self.result)

    @property
    def label(self) -> str:
        return MEASURED_LABEL if self.measured else EXAMPLE_LABEL

    def status(self) -> str:
        """One line: measured here, or which saved result is shown instead and why."""
        r, mi = self.result, self.result.machine
        if self.measured:
            return (f"Measured this machine: {'quick' if r.quick else 'full'} probe, "
                    f"{r.duration_s:.1f} s, {len(r.measurements)} measurements.")
        return (f"NOT MEASURED HERE ({self.reason}). Showing the saved example result instead, "
                f"measured on {mi.node} ({mi.cpu_model}) on {mi.date_iso}: its numbers are not "
                "this machine's.")

    def describe(self) -> str:
        """The status line plus the stamp of the machine the numbers come from."""
        mi = self.result.machine
        return "\n".join([
            self.status(),
            f"  machine: {mi.node}, {mi.machine}, {mi.cpu_model}, {mi.cpu_count} CPUs, "
            f"{mi.system} {mi.kernel}",
            f"  clock: {_num(mi.clock_mhz, 6)} MHz ({mi.clock_mhz_source}); clocksource "
            f"{mi.clocksource}; cache line {mi.cache_line_bytes} bytes",
            f"  Python {mi.python_version} ({mi.python_implementation}), numpy {mi.numpy_version}; "
            f"probed {mi.date_iso}",
        ])


def _no_probe(environ) -> bool:
    return str(environ.get(NO_PROBE_ENV, "")).strip().lower() in ("1", "true", "yes", "on")


def measure_or_load(quick: bool = True, *, progress=None, timeout_s: float | None = None,
                    environ=None, probe=None) -> MachineRun:
    """Run the probe; on any failure load :func:`ipcmodel.measure.load_example` and say why.

    Parameters
    ----------
    quick : bool
        The quick probe (about 10 s) or the full one (a minute or two).
    progress : callable, optional
        ``progress(done, total, label)``, passed to :func:`ipcmodel.measure.run_probe`.
    timeout_s : float, optional
        Budget of each measurement (s); exceeding it falls back to the example.
    environ : mapping, optional
        Where to read :data:`NO_PROBE_ENV` (default ``os.environ``).
    probe : callable, optional
        Stands in for :func:`ipcmodel.measure.run_probe` (tests simulate failures with it).

    Returns
    -------
    MachineRun
        ``measured`` is False, with the reason, when the example was loaded instead.
    """
    environ = os.environ if environ is None else environ
    probe = run_probe if probe is None else probe
    if _no_probe(environ):
        return MachineRun(load_example(), False, f"{NO_PROBE_ENV} is set")
    if not hasattr(os, "fork"):
        return MachineRun(load_example(), False, "this platform has no os.fork")
    try:
        result = probe(quick=quick, progress=progress, timeout_s=timeout_s)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # any failure: say which, and show the saved example
        return MachineRun(load_example(), False, f"the probe failed: {type(exc).__name__}: {exc}")
    inputs = to_model_inputs(result)
    lacking = [k for k in ("ipc_us", "syscall_us") if inputs[k] is None]
    if lacking:
        why = "; ".join(f"{k}: {v}" for k, v in result.skipped.items()) or "not measured"
        return MachineRun(load_example(), False, f"the probe could not measure {', '.join(lacking)} ({why})")
    return MachineRun(result, True)


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
                else "Probe not run here: using the saved example result (see below).")
        handle.update(_Text(done))
    return run


class _Text:
    """Plain text for a display update (replaces the progress bar in the saved notebook)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


# ---- this machine beside the paper's -----------------------------------------------------------

@dataclass(frozen=True)
class MachineRow:
    """One machine in the model's terms; ``None`` where unknown. Times in µs."""

    name: str
    ipc_us: float | None
    syscall_us: float | None
    clock_mhz: float | None
    miss_penalty_cycles: float | None
    source: str
    measured: bool = False

    @property
    def ratio(self) -> float | None:
        """IPC ÷ system call (times)."""
        ok = self.ipc_us is not None and self.syscall_us
        return self.ipc_us / self.syscall_us if ok else None

    @property
    def gap_us(self) -> float | None:
        """IPC − system call (µs): what a microkernel adds per service use (§2.1)."""
        ok = self.ipc_us is not None and self.syscall_us is not None
        return self.ipc_us - self.syscall_us if ok else None

    @property
    def ipc_cycles(self) -> float | None:
        """The IPC round trip in processor cycles (µs × MHz)."""
        ok = self.ipc_us is not None and self.clock_mhz is not None
        return float(units.us_to_cycles(self.ipc_us, self.clock_mhz)) if ok else None


def _this_row(run: MachineRun) -> MachineRow:
    v = run.inputs
    name = "This machine" if run.measured else "Saved example"
    return MachineRow(name, v["ipc_us"], v["syscall_us"], v["clock_mhz"], v["miss_penalty_cycles"],
                      "measured now (pipe round trip, getppid, latency ladder)" if run.measured
                      else "saved example result, NOT this machine", measured=True)


def comparison_rows(run: MachineRun) -> list[MachineRow]:
    """This machine (or the example) first, then :data:`PAPER_MACHINE_IDS` from data/machines.csv."""
    rows = [_this_row(run)]
    for mid in PAPER_MACHINE_IDS:
        m = machine(mid)
        rows.append(MachineRow(m.name, m.rpc_us, m.syscall_us, m.clock_mhz, m.miss_penalty_cycles,
                               f"[{m.source}, {m.locator}]"))
    return rows


def format_comparison(rows) -> str:
    """The comparison as a fixed-width table ("—" = no published or measured value)."""
    head = (f"{'machine':<22} {'IPC µs':>8} {'syscall µs':>10} {'ratio':>6} {'gap µs':>8} "
            f"{'clock MHz':>9} {'IPC cycles':>10} {'miss cycles':>11}")
    out = [head, "-" * len(head)]
    for r in rows:
        miss = _num(r.miss_penalty_cycles)
        if r.measured and r.miss_penalty_cycles is not None:  # an upper bound (TLB misses too)
            miss = "≤ " + miss
        out.append(f"{r.name:<22} {_num(r.ipc_us):>8} {_num(r.syscall_us):>10} {_num(r.ratio, 3):>6} "
                   f"{_num(r.gap_us):>8} {_num(r.clock_mhz):>9} {_num(r.ipc_cycles):>10} {miss:>11}")
    out.append("")
    out += [f"{r.name}: {r.source}" for r in rows]
    return "\n".join(out)


def _times(a: float, b: float, faster: str, slower: str) -> str:
    """``"9.8 times faster"`` when a < b (a time), ``"1.5 times slower"`` otherwise."""
    return f"{b / a:.3g} times {faster}" if a <= b else f"{a / b:.3g} times {slower}"


def format_versus(rows, other: str = "DECstation 5000/200") -> str:
    """Sentences comparing the first row (this machine) with the row named ``other``."""
    me, them = rows[0], next(r for r in rows if r.name == other)
    out = [f"{me.name} against the {them.name}:"]
    if me.ipc_us and them.ipc_us:
        out.append(f"  IPC round trip: {_times(me.ipc_us, them.ipc_us, 'faster', 'slower')} in µs"
                   + (f", but {_times(me.ipc_cycles, them.ipc_cycles, 'fewer', 'more')} cycles"
                      if me.ipc_cycles and them.ipc_cycles else "") + ".")
    if me.clock_mhz and them.clock_mhz:
        out.append(f"  clock: {me.clock_mhz / them.clock_mhz:.3g} times the {them.name}'s.")
    if me.syscall_us and them.syscall_us:
        out.append(f"  system call: {_times(me.syscall_us, them.syscall_us, 'faster', 'slower')} in µs.")
    if me.ratio and them.ratio:
        out.append(f"  IPC ÷ system call: {me.ratio:.3g} here, {them.ratio:.3g} there.")
    if me.gap_us is not None and them.gap_us is not None:
        out.append(f"  gap IPC − system call: {me.gap_us:.3g} µs here, {them.gap_us:.3g} µs there.")
    return "\n".join(out)


# ---- does IPC matter here? ---------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceCase:
    """A service to reach: its kind (disk, ssd, network, in-memory), time (µs) and source."""

    kind: str
    name: str
    device_us: float
    cite: str


@dataclass(frozen=True)
class Answer:
    """The IPC overhead fraction for one service with this machine's IPC and system call."""

    case: ServiceCase
    overhead_fraction: float
    threshold: float
    cross_cpu_fraction: float | None = None

    @property
    def matters(self) -> bool:
        return self.overhead_fraction > self.threshold


def _history_row(series: str, row_id: str):
    from ipcmodel import history

    for r in history.history_rows(series):
        if r.id == row_id:
            return r, float(history.round_trip_us(r).value)
    raise ValueError(f"row {row_id!r} of series {series!r} is missing from data/history.csv")


def service_cases(inputs: dict) -> list[ServiceCase]:
    """Cited device times, and §2's buffer-cache copy at the measured copy bandwidth.

    Disk: Colin Scott's seek + rotation formula for ``NOW_YEAR``; SSD: NAND and Optane 4 kB
    reads (AnandTech 2017); network: a round trip in one datacenter (Scott) and a kernel-bypass
    eRPC round trip (2019); in-memory: copying §2's 512-byte block at ``inputs["copy_mb_per_s"]``
    (left out when the copy was not measured).
    """
    from ipcmodel import history
    from ipcmodel.history.rows import NOW_YEAR

    disk = history.estimate_for_year("disk_us", NOW_YEAR)
    cases = [ServiceCase("disk", f"disk seek + rotation, {NOW_YEAR} (Scott's formula)", disk.value,
                         "[Scott, interactive_latency.html, getSeek()]")]
    for kind, series, rid, what in (
            ("ssd", "ssd", "anand17-ssd-nand-p3700", "NAND SSD 4 kB read"),
            ("ssd", "ssd", "anand17-ssd-optane-p4800x", "Optane SSD 4 kB read"),
            ("network", "network", "scott-dc-rtt", "datacenter network round trip"),
            ("network", "network", "erpc19-raft-replication", "kernel-bypass RPC round trip (eRPC)")):
        row, us = _history_row(series, rid)
        cases.append(ServiceCase(kind, f"{what}, {row.year}", us, row.cite()))
    bw = inputs.get("copy_mb_per_s")
    if bw:
        f = fact(IN_MEMORY_FACT)
        cases.append(ServiceCase("in-memory", f"copy a {f.value:g}-byte buffer-cache block (§2)",
                                 float(transfer.copy_us(f.value, bw)),
                                 f"{f.cite()}, size ÷ this run's streaming copy bandwidth {bw:.4g} MB/s "
                                 "(a rough lower bound of one small copy's time)"))
    return cases


def does_ipc_matter(inputs: dict, threshold: float = _DEFAULT_THRESHOLD, cases=None,
                    cross_cpu_ipc_us: float | None = None) -> list[Answer]:
    """IPC overhead (``service.ipc_overhead_fraction``) of each case with ``inputs``' IPC and system call.

    ``cross_cpu_ipc_us`` (µs), if given, is a second IPC cost (the pipe across two CPUs).
    """
    units.check_in_range("threshold", threshold, "fraction", 0.0, 1.0,
                         low_inclusive=False, high_inclusive=False)
    ipc, sc = inputs["ipc_us"], inputs["syscall_us"]
    if ipc is None or sc is None:
        raise ValueError("inputs need ipc_us and syscall_us (µs); this result lacks one of them")
    cases = service_cases(inputs) if cases is None else cases
    out = []
    for c in cases:
        f = float(service.ipc_overhead_fraction(ipc, sc, c.device_us))
        x = (None if cross_cpu_ipc_us is None
             else float(service.ipc_overhead_fraction(cross_cpu_ipc_us, sc, c.device_us)))
        out.append(Answer(c, f, float(threshold), x))
    return out


def answers_for(run: MachineRun, threshold: float = _DEFAULT_THRESHOLD) -> list[Answer]:
    """:func:`does_ipc_matter` for a run, with the cross-CPU pipe as the second IPC when measured."""
    x = run.result.measurements.get("pipe_round_trip_cross_cpu")
    return does_ipc_matter(run.inputs, threshold, cross_cpu_ipc_us=None if x is None else x.net_us)


def _pct(f: float | None) -> str:
    if f is None:
        return "—"
    return f"{100 * f:.3g}%" if f >= 1e-4 else f"{100 * f:.1e}%"


def format_answers(answers, inputs: dict) -> str:
    """The answers as a table, with the break-even service time at the same threshold."""
    th = answers[0].threshold if answers else _DEFAULT_THRESHOLD
    ipc, sc = inputs["ipc_us"], inputs["syscall_us"]
    be = float(service.break_even_service_us(ipc, sc, th))
    cross = any(a.cross_cpu_fraction is not None for a in answers)
    head = f"{'kind':<10} {'service':<50} {'time µs':>9} {'IPC overhead':>12}"
    head += f" {'across CPUs':>11}" if cross else ""
    out = [f"IPC {ipc:.4g} µs, system call {sc:.4g} µs (measured, net of the interpreter); "
           f"threshold {th:.0%}",
           head, "-" * len(head)]
    for a in answers:
        line = (f"{a.case.kind:<10} {a.case.name[:50]:<50} {a.case.device_us:>9.4g} "
                f"{_pct(a.overhead_fraction):>12}")
        line += f" {_pct(a.cross_cpu_fraction):>11}" if cross else ""
        out.append(line + ("  <- IPC matters" if a.matters else ""))
    out.append(f"IPC overhead is within {th:.0%} for services of {be:.4g} µs or slower "
               "(service.break_even_service_us).")
    out.append(format_matters(answers))
    out += [f"  {a.case.kind}: {a.case.cite}" for a in answers]
    return "\n".join(out)


def format_matters(answers) -> str:
    """Two lines sorting ``answers`` into "IPC matters" and "IPC is negligible" (no hand-made list)."""
    th = answers[0].threshold if answers else _DEFAULT_THRESHOLD
    above = [a.case.name.split(",")[0] for a in answers if a.matters]
    within = [a.case.name.split(",")[0] for a in answers if not a.matters]
    return (f"IPC matters (overhead above {th:.0%}) for: {'; '.join(above) or 'none of them'}.\n"
            f"IPC is negligible (within {th:.0%}) for: {'; '.join(within) or 'none of them'}.")


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
    return out


def miss_penalty_reading(result: ProbeResult) -> dict | None:
    """§3: the latency ladder's miss penalty (µs, cycles), beside the DECstation 5000/200's."""
    lat = result.latency
    if lat is None:
        return None
    llc = max((c["size_bytes"] for c in result.machine.caches), default=None)
    ds = machine("ds5000")
    line = result.machine.cache_line_bytes
    lines = float(caches.footprint_lines(units.kb_to_bytes(fact("b92-ipc-path-instructions").value),
                                         units.kb_to_bytes(fact("b92-ipc-path-data").value), line))
    return {"baseline_us": lat.baseline_us, "penalty_us": lat.miss_penalty_us,
            "penalty_cycles": lat.miss_penalty_cycles, "clock_mhz": lat.clock_mhz,
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
               "the raw medians")
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
    if c["pipe_over_shm"]:
        out.append(f"the shared-memory round trip is {c['pipe_over_shm']:.3g} times faster than the "
                   "pipe on one CPU")
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
    out.append(f"in-cache cost per access (the interpreter's own step): {r['baseline_us']:.3g} µs")
    cyc = (f" = {r['penalty_cycles']:.3g} cycles at {r['clock_mhz']:.4g} MHz"
           if r["penalty_cycles"] is not None else " (no clock rate: no cycles)")
    out.append(f"miss penalty (extra per access beyond the {llc // 2**20 if llc else '?'} MiB last-level "
               f"cache): {r['penalty_us']:.3g} µs{cyc}, an upper bound")
    out.append(f"DECstation 5000/200: {r['ds5000_penalty_cycles']:g} cycles "
               f"{machine('ds5000').provenance['miss_penalty_cycles'].cite()} = "
               f"{r['ds5000_penalty_us']:.3g} µs")
    if r["penalty_cycles"]:
        out.append(f"in cycles this machine's penalty is {r['penalty_cycles'] / r['ds5000_penalty_cycles']:.3g} "
                   f"times the DECstation's; in µs it is {r['ds5000_penalty_us'] / r['penalty_us']:.3g} "
                   "times shorter")
    out.append(f"Mach's IPC path ({r['ipc_path_lines']:.0f} lines of {r['line_bytes']} bytes), all missing: "
               f"{r['cold_ipc_path_us']:.3g} µs per round trip")
    return "\n".join(out)


def format_c_reference(ref: dict | None) -> str:
    """The Python ÷ C ratios of ``benchmarks/PROBE.md`` (measured there, not on this machine)."""
    if ref is None:
        return ("No C reference here (benchmarks/PROBE.md and its Python-vs-C table are not part of "
                "this installation).")
    context = ref["context"].replace("**", "").replace("`", "")
    out = [f"From benchmarks/PROBE.md, measured on the project's machine: {context}",
           f"{'measurement':<30} {'Python µs':>10} {'C µs':>9} {'raw ÷ C':>8} {'net ÷ C':>8}"]
    for row in ref["rows"].values():
        out.append(f"{row['label']:<30} {row['python_us']:>10.4g} {row['c_us']:>9.4g} "
                   f"{row['raw_over_c']:>8.3g} {row['net_over_c']:>8.3g}")
    return "\n".join(out)


def _size_text(nbytes: float) -> str:
    n = int(nbytes)
    return f"{n >> 20} MiB" if n >= 2**20 else f"{n >> 10} KiB"


class LadderPicture:
    """The latency ladder as a picture (PNG) with a one-sentence text reading."""

    def __init__(self, result: ProbeResult):
        if result.latency is None:
            raise ValueError("result has no latency ladder (the probe ran without the 'latency' part)")
        self.result = result

    def text(self) -> str:
        r = miss_penalty_reading(self.result)
        return (f"Time per access against working set: flat near {r['baseline_us']:.3g} µs while "
                f"the set fits in the caches, about {r['penalty_us']:.3g} µs more beyond the "
                "last-level cache (the estimated miss penalty).")

    def png(self) -> bytes:
        import numpy as np

        from ipcmodel import plotting

        lat, info = self.result.latency, self.result.machine
        ws = np.array([p.working_set_bytes for p in lat.points], float)
        fig, ax = plotting.new_figure((11.0, 4.2))
        with plotting.style():
            ax.plot(ws, [p.median_us for p in lat.points], "o-", label="dependent chase (latency)")
            ax.plot(ws, [p.gather_us for p in lat.points], "s--", label="independent gather (throughput)")
            ax.axhline(lat.baseline_us, color=plotting.OKABE_ITO["black"], linestyle=":", linewidth=1.2,
                       label="in-cache step (interpreter)")
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

    def _repr_png_(self) -> bytes:
        return self.png()

    def __repr__(self) -> str:
        return self.text()


_C_HEADER = re.compile(r"^\|\s*measurement\s*\|\s*Python median", re.I | re.M)
_FLOAT = re.compile(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?")


def parse_c_reference(text: str) -> dict | None:
    """The Python-vs-C table of ``benchmarks/PROBE.md``: ``{"context": ..., "rows": {name: {...}}}``.

    Each row holds ``python_us``, ``c_us`` (medians, µs), ``raw_over_c`` and ``net_over_c``.
    ``None`` when the table is not there (e.g. an installed package without the benchmarks).
    """
    m = _C_HEADER.search(text)
    if m is None:
        return None
    before = text[:m.start()]
    heading = before.rfind("### ")
    context = ""
    if heading >= 0:
        paras = [p.strip() for p in before[heading:].split("\n\n")[1:] if p.strip()]
        context = " ".join(paras[0].split()) if paras else ""
    rows = {}
    for line in text[m.start():].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        nums = [_FLOAT.search(c) for c in cells[1:]]
        if len(cells) < 7 or not all(nums[i] for i in (0, 3, 4, 5)):
            continue
        rows[cells[0].split()[0]] = {"label": cells[0], "python_us": float(nums[0].group()),
                                     "c_us": float(nums[3].group()),
                                     "raw_over_c": float(nums[4].group()),
                                     "net_over_c": float(nums[5].group())}
    return {"context": context, "rows": rows} if rows else None


def c_reference(path=None) -> dict | None:
    """:func:`parse_c_reference` of ``benchmarks/PROBE.md`` (``None`` if absent or unreadable)."""
    p = _PROBE_MD if path is None else Path(path)
    try:
        return parse_c_reference(p.read_text(encoding="utf-8"))
    except OSError:
        return None


# ---- the master explorer with this machine's preset -------------------------------------------

def measured_preset(run: MachineRun) -> tuple[str, dict, list[str], str]:
    """``(label, values, missing, source)`` for :meth:`Explorer.add_preset`.

    Values are the measured ``ipc_us``, ``syscall_us``, ``clock_mhz``, ``miss_penalty_cycles``
    and the machine's ``cache_line_bytes``; ``missing`` names those the run did not measure.
    """
    v = run.inputs
    cand = {"ipc_us": v["ipc_us"], "syscall_us": v["syscall_us"], "clock_mhz": v["clock_mhz"],
            "cache_line_bytes": float(run.result.machine.cache_line_bytes),
            "miss_penalty_cycles": v["miss_penalty_cycles"]}
    values = {k: float(x) for k, x in cand.items() if x is not None}
    missing = [k for k, x in cand.items() if x is None]
    mi = run.result.machine
    where = "measured on this machine" if run.measured else "the saved example result, NOT this machine"
    source = (f"{where} ({mi.node}, {mi.date_iso}); times net of the interpreter, i.e. upper "
              "bounds; the miss penalty includes TLB misses (an upper bound).")
    return run.label, values, missing, source


def machine_explorer(run: MachineRun, **kw):
    """The master explorer (notebook 00) with the run's preset added and applied.

    The preset reading lists every measured value outside its slider's range ("Not set: ...").
    """
    from ipcmodel.explorers.service import master_explorer

    ex = master_explorer(**kw)
    label, values, missing, source = measured_preset(run)
    ex.add_preset(label, values, missing=missing, source=source)
    ex.apply_preset(label)
    return ex
