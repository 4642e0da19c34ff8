"""This machine beside the paper's, and does IPC matter here (Bershad 1992, §2 and §2.1).

Part of :mod:`ipcmodel.yourmachine` (import from there). Times in µs. Nothing happens on import.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel import service, transfer, units
from ipcmodel.data import fact
from ipcmodel.machines import machine
from ipcmodel.paper import Device
from ipcmodel.yourmachine.run import MachineRun, _num

__all__ = [
    "PAPER_MACHINE_IDS",
    "IN_MEMORY_FACT",
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
    "format_matters",
]

#: The paper's machines the notebook compares with (ids in data/machines.csv).
PAPER_MACHINE_IDS = ("cvax", "ds5000", "hp700")
#: §2's in-memory service: "copy a 512 byte block from a system buffer cache into a user buffer".
IN_MEMORY_FACT = "b92-buffer-copy-block"
#: Default yardstick for "matters" (a fraction): the explorers' starting threshold.
_DEFAULT_THRESHOLD = service.DEFAULT_THRESHOLD


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
    #: Set when the row's miss penalty is not a measurement (e.g. a simulator's parameter).
    miss_penalty_note: str = ""

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
        prov = m.provenance.get("miss_penalty_cycles")
        note = ("a parameter of a simulated memory system, not a measurement " + prov.cite()
                if prov is not None and "simulation" in prov.locator.lower() else "")
        rows.append(MachineRow(m.name, m.rpc_us, m.syscall_us, m.clock_mhz, m.miss_penalty_cycles,
                               f"[{m.source}, {m.locator}]", miss_penalty_note=note))
    return rows


def format_comparison(rows) -> str:
    """The comparison as a fixed-width table ("—" = no published or measured value)."""
    head = (f"{'machine':<22} {'IPC µs':>8} {'syscall µs':>10} {'ratio':>6} {'gap µs':>8} "
            f"{'clock MHz':>9} {'IPC cycles':>10} {'miss cycles':>11}")
    out = [head, "-" * len(head)]
    for r in rows:
        miss = _num(r.miss_penalty_cycles)
        if r.measured and r.miss_penalty_cycles is not None:  # an estimate (TLB up, interpreter down)
            miss = "≈ " + miss
        elif r.miss_penalty_note and r.miss_penalty_cycles is not None:
            miss = "sim. " + miss
        out.append(f"{r.name:<22} {_num(r.ipc_us):>8} {_num(r.syscall_us):>10} {_num(r.ratio, 3):>6} "
                   f"{_num(r.gap_us):>8} {_num(r.clock_mhz):>9} {_num(r.ipc_cycles):>10} {miss:>11}")
    out.append("")
    out += [f"{r.name}: {r.source}" for r in rows]
    out += [f"{r.name}, miss cycles (sim.): {r.miss_penalty_note}" for r in rows if r.miss_penalty_note]
    return "\n".join(out)


def _times(a: float, b: float, faster: str, slower: str) -> str:
    """``"9.8 times faster"`` when a < b (a time), ``"1.5 times slower"`` otherwise."""
    return f"{b / a:.3g} times {faster}" if a <= b else f"{a / b:.3g} times {slower}"


def format_versus(rows, other: str = "DECstation 5000/200") -> str:
    """Sentences comparing the first row (this machine) with the row named ``other``."""
    me, them = rows[0], next(r for r in rows if r.name == other)
    out = [f"{me.name} against the {them.name}:"]
    if me.ipc_us and them.ipc_us:
        what = (" (here a Linux pipe driven from Python, there Mach 3.0's RPC: the cycles compare "
                "this pipe, not IPC as such)" if me.measured else "")
        out.append(f"  IPC round trip{what}: {_times(me.ipc_us, them.ipc_us, 'faster', 'slower')} in µs"
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
class ServiceCase(Device):
    """A cited device (:class:`ipcmodel.paper.Device`: name, time in µs, source) with its kind:
    disk, ssd, network or in-memory."""

    kind: str = "service"


@dataclass(frozen=True)
class Answer:
    """The IPC overhead fraction for one service with this machine's IPC and system call."""

    case: ServiceCase
    overhead_fraction: float
    threshold: float
    cross_cpu_fraction: float | None = None
    crossings_per_use: float = 1.0  # kernel crossings per service use (count)

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

    Disk: a drive's datasheet seek + average rotational latency (the newest drive with both rows,
    :func:`ipcmodel.history.devices.device_of_year`; never Scott's formula, which extrapolates); SSD:
    NAND and Optane 4 kB reads (AnandTech 2017); network: a round trip in one datacenter (Norvig's 2002
    figure, from Scott's page) and eRPC's kernel-bypass replication latency (2019, an upper bound of a
    round trip); in-memory: copying §2's 512-byte block at ``inputs["copy_mb_per_s"]`` (left out when
    the copy was not measured).
    """
    from ipcmodel.history.devices import device_of_year
    from ipcmodel.history.rows import NOW_YEAR

    disk = device_of_year("disk", NOW_YEAR)
    cases = []
    if disk.value_us is not None:
        cases.append(ServiceCase(f"disk seek + rotation, datasheet ({disk.label.split(',')[0]}), "
                                 f"{disk.measured_year}", disk.value_us, disk.cite, disk.measured_year,
                                 kind="disk"))
    for kind, series, rid, what in (
            ("ssd", "ssd", "anand17-ssd-nand-p3700", "NAND SSD 4 kB read"),
            ("ssd", "ssd", "anand17-ssd-optane-p4800x", "Optane SSD 4 kB read"),
            ("network", "network", "scott-dc-rtt", "datacenter network round trip (Norvig's 2002 figure)"),
            ("network", "network", "erpc19-raft-replication",
             "kernel-bypass RPC round trip ≤ eRPC's replication latency")):
        row, us = _history_row(series, rid)
        cases.append(ServiceCase(f"{what}, {row.year}", us, row.cite(), row.year, kind=kind))
    bw = inputs.get("copy_mb_per_s")
    if bw:
        f = fact(IN_MEMORY_FACT)
        cases.append(ServiceCase(f"copy a {f.value:g}-byte buffer-cache block (§2)",
                                 float(transfer.copy_us(f.value, bw)),
                                 f"{f.cite()}, size ÷ this run's streaming copy bandwidth {bw:.4g} MB/s "
                                 "(the copy alone, no system call, no lookup, at a large "
                                 "copy's rate: not a bound of a small cached read)", kind="in-memory"))
    return cases


def does_ipc_matter(inputs: dict, threshold: float = _DEFAULT_THRESHOLD, cases=None,
                    cross_cpu_ipc_us: float | None = None,
                    crossings_per_use: float = 1.0) -> list[Answer]:
    """IPC overhead (``service.ipc_overhead_fraction``) of each case with ``inputs``' IPC and system call.

    ``cross_cpu_ipc_us`` (µs), if given, is a second IPC cost (the pipe across two CPUs).
    ``crossings_per_use`` (count, in (0, 1000]) is the number of kernel crossings one use of the
    service needs (1 = one RPC against one system call; 6 for Maeda & Bershad's UDP round trip,
    :func:`ipcmodel.paper.crossing_cases`).
    """
    units.check_in_range("threshold", threshold, "fraction", 0.0, 1.0,
                         low_inclusive=False, high_inclusive=False)
    ipc, sc = inputs["ipc_us"], inputs["syscall_us"]
    if ipc is None or sc is None:
        raise ValueError("inputs need ipc_us and syscall_us (µs); this result lacks one of them")
    cases = service_cases(inputs) if cases is None else cases
    out = []
    for c in cases:
        f = float(service.ipc_overhead_fraction(ipc, sc, c.device_us,
                                                crossings_per_use=crossings_per_use))
        x = (None if cross_cpu_ipc_us is None
             else float(service.ipc_overhead_fraction(cross_cpu_ipc_us, sc, c.device_us,
                                                      crossings_per_use=crossings_per_use)))
        out.append(Answer(c, f, float(threshold), x, float(crossings_per_use)))
    return out


def answers_for(run: MachineRun, threshold: float = _DEFAULT_THRESHOLD,
                crossings_per_use: float = 1.0) -> list[Answer]:
    """:func:`does_ipc_matter` for a run, with the cross-CPU pipe as the second IPC when measured."""
    x = run.result.measurements.get("pipe_round_trip_cross_cpu")
    return does_ipc_matter(run.inputs, threshold, cross_cpu_ipc_us=None if x is None else x.net_us,
                           crossings_per_use=crossings_per_use)


def _pct(f: float | None) -> str:
    if f is None:
        return "—"
    return f"{100 * f:.3g}%" if f >= 1e-4 else f"{100 * f:.1e}%"


def format_answers(answers, inputs: dict) -> str:
    """The answers as a table, with the break-even service time at the same threshold and the
    same crossings per use (both read from the answers; at 1 crossing the table reads as before)."""
    th = answers[0].threshold if answers else _DEFAULT_THRESHOLD
    crossings_per_use = answers[0].crossings_per_use if answers else 1.0
    ipc, sc = inputs["ipc_us"], inputs["syscall_us"]
    be = float(service.break_even_service_us(ipc, sc, th, crossings_per_use=crossings_per_use))
    per_use = "" if crossings_per_use == 1 else f"; {crossings_per_use:.3g} crossings per service use"
    cross = any(a.cross_cpu_fraction is not None for a in answers)
    head = f"{'kind':<10} {'service':<70} {'time µs':>9} {'IPC overhead':>12}"
    head += f" {'across CPUs':>11}" if cross else ""
    out = [f"IPC {ipc:.4g} µs, system call {sc:.4g} µs (measured, net of the interpreter); "
           f"threshold {th:.0%}{per_use}",
           head, "-" * len(head)]
    for a in answers:
        line = (f"{a.case.kind:<10} {a.case.name[:70]:<70} {a.case.device_us:>9.4g} "
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
    out = (f"IPC matters (overhead above {th:.0%}) for: {'; '.join(above) or 'none of them'}.\n"
           f"IPC is negligible (within {th:.0%}) for: {'; '.join(within) or 'none of them'}.")
    cross = [a for a in answers if a.cross_cpu_fraction is not None]
    if cross:  # critic C2 N6: the verdict per column, not only for the IPC on one CPU
        flips = [a.case.name.split(",")[0] for a in cross
                 if (a.cross_cpu_fraction > a.threshold) != a.matters]
        out += ("\nThose verdicts are for the IPC on one CPU. With the pipe across two CPUs as the "
                "IPC (a server on another processor), " +
                (f"IPC matters as well for: {'; '.join(flips)}: negligible on one CPU, matters "
                 "across CPUs." if flips else "every verdict is the same.") +
                " The cross-CPU pipe also varies most between runs (notebook text).")
    return out
