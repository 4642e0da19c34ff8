"""History rows: loading data/history.csv and the referenced facts.csv rows, and normalising them.

The CSVs hold numbers as reported. Normalisation happens here and is visible:
:func:`round_trip_us` doubles a one-way figure and divides cycles by the row's clock, and
says so in its ``note``. Which rows exist and why is told in ``data/HISTORY.md``.

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ipcmodel import units
from ipcmodel.data import Fact, load_facts
from ipcmodel.history._memo import per_row as _per_row

__all__ = [
    "HistoryRow",
    "RoundTrip",
    "ADMISSION_RULE",
    "ISA_GROUPS",
    "admission_problems",
    "isa_group",
    "SERIES",
    "FACTS_REFERENCES",
    "YEAR_RANGE",
    "CONTEXT_QUANTITIES",
    "AUX_QUANTITIES",
    "THEN_YEAR",
    "NOW_YEAR",
    "history_rows",
    "round_trip_us",
    "round_trip_cycles",
]

#: Years accepted by every function that takes a year (inclusive).
YEAR_RANGE = (1960, 2100)

#: The years a "then vs now" comparison uses: the paper's year and the last year considered.
THEN_YEAR, NOW_YEAR = 1992, 2024
_THEN, _NOW = THEN_YEAR, NOW_YEAR

_TRIPS = ("one-way", "round-trip", "na")
_CACHES = ("hot", "warm", "cold", "na")

#: Series name -> the ``quantity`` values of data/history.csv that belong to it.
SERIES = {
    "ipc": ("ipc_cross_as",),
    "syscall": ("syscall",),
    "context_switch": ("context_switch",),
    "pipe": ("pipe_round_trip",),
    "memory": ("memory_latency",),
    "miss_penalty": (),
    "tcp_local": ("tcp_local_round_trip",),
    "network": ("network_round_trip",),
    "ssd": ("ssd_read",),
    "disk": (),
}

#: Quantities of data/history.csv that are not latencies and belong to no series: whole-system
#: results quoted as evidence in the audit's reasoning (e.g. Haertig97's AIM throughput penalty).
#: They are read with ``ipcmodel.data.load_facts("history.csv")``, never plotted or fitted.
CONTEXT_QUANTITIES = ("throughput_penalty", "throughput_penalty_ratio")

#: Quantities read only by ipcmodel.history.devices / security / multicore / debate (issue 11) with
#: ipcmodel.data.load_facts: parts of a device time, per-crossing costs, throughputs, ratios. Not series
#: points: never plotted, fitted or compared by the audit.
AUX_QUANTITIES = ("disk_seek", "disk_rotation", "core_to_core_latency", "kpti_cr3_move",
                  "kpti_syscall_cycles", "throughput_qps", "system_mcpi_ratio")

#: Rows of data/facts.csv used as history points: series -> ((fact id, clock fact id or None), ...).
#: The clock fact is a ``clock_rate`` (MHz) or a ``cycle_time`` (ns) row for the same machine.
#: The seL4 rows of facts.csv (``sel4-call-haswell``, ``sel4-reply-haswell``) carry no year and
#: are therefore not history points (see data/HISTORY.md).
FACTS_REFERENCES = {
    "ipc": (
        ("b92-rpc-cvax-1989", None),
        ("b92-rpc-cvax-1992", None),
        ("b92-rpc-ds5000", "b92-clock-ds5000"),
        ("b92-rpc-hp700", "b92-cycle-time-hp700"),
        ("bdf92-rpc-ds3100", "bdf92-clock-ds3100"),
        ("mb92-rpc-part", "mb92-clock-ds2100"),
    ),
    "syscall": (
        ("b92-syscall-cvax", None),
        ("b92-syscall-ds5000", "b92-clock-ds5000"),
        ("mb92-syscall-ds2100", "mb92-clock-ds2100"),
    ),
    "network": (("mb92-udp-rtt-mach25", None),),
    "miss_penalty": (
        ("bdf92-miss-penalty-ds3100", "bdf92-clock-ds3100"),
        ("cb93-miss-penalty-ds5000", "b92-clock-ds5000"),
    ),
}

#: Network rows that run the protocol in the application, bypassing the kernel (§5).
_KERNEL_BYPASS_ROWS = ("erpc19-raft-replication",)

_TIME_TO_US = {"us": 1.0, "ns": 1e-3, "ms": 1e3, "s": 1e6}

#: Instruction-set family of the machines of the facts.csv rows referenced above (history.csv rows
#: carry their own ``isa`` column): the CVax is a VAX, the DECstations are MIPS, the HP-700 is PA-RISC.
_FACTS_ISA = {"cvax": "VAX", "ds5000": "MIPS", "ds3100": "MIPS", "ds2100": "MIPS", "hp700": "PA-RISC"}

#: The ISA groups of the sensitivity analysis ("one ISA at a time"): x86, Arm, and every other ISA.
ISA_GROUPS = ("x86", "Arm", "other")

#: The admission rule for the kernel-crossing rows (series ``ipc`` and ``syscall``), in words; the
#: checkable parts are :func:`admission_problems`. data/HISTORY.md gives it with its consequences.
ADMISSION_RULE = (
    "A row of the IPC or system-call series is admitted when (1) its number was read in the primary "
    "source, in the one version of that source the bib note names, and is printed there, (2) that "
    "version dates it (measurement, publication, or the page's own generation date; undated versions "
    "are not admitted), (3) it measures an IPC between two address spaces on one core, or a null "
    "system call, in the source's default kernel configuration (L4Re EL1, not EL2; seL4 Default, not "
    "MCS), once per machine, (4) its cycles count core clock cycles: where the source prints several "
    "counters, the core-clock one (L4Re x86: fixed counter 1, clocks unhalted), and the counter is "
    "recorded, (5) its trip (one-way or round-trip) and cache state are recorded, and (6) the source "
    "does not itself disown it (the TS page's note 2 on the incomplete 1997 MIPS and Alpha kernels).")

# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryRow:
    """One dated measurement, from data/history.csv or data/facts.csv.

    Attributes
    ----------
    id : str
        Row id, unique across history.csv and facts.csv.
    series : str
        One of :data:`SERIES` (``"ipc"``, ``"syscall"``, ...).
    value : float
        The value as reported, in ``unit``.
    unit : str
        ``"cycles"``, ``"us"``, ``"ns"`` or ``"ms"``.
    year : int
        Year of the measurement (or of the publication, see data/HISTORY.md).
    trip : str
        ``"one-way"``, ``"round-trip"`` or ``"na"``.
    cache : str
        ``"hot"``, ``"warm"``, ``"cold"`` or ``"na"``.
    clock_mhz : float or None
        Processor clock (MHz) of the measured machine, None when the source gives none.
    clock_source : str
        Where the clock comes from (``"clock_mhz column"`` or a facts.csv id), "" if none.
    source, locator, machine, file : str
        Citation key, place in the source, machine label, and the CSV the row is from.
    isa : str
        Instruction-set family (``"x86"``, ``"Arm"``, ``"MIPS"``, ``"VAX"``, ``"RISC-V"``, ...), "" for
        rows that are not about one processor (devices, networks).
    counter : str
        What counted the number (``"fixed counter 1 (clocks unhalted: core cycles) ..."``, ``"time"``).
    compiler : str
        The compiler the source names for the build, "" when it names none.
    """

    id: str
    series: str
    value: float
    unit: str
    year: int
    trip: str
    cache: str
    clock_mhz: float | None
    clock_source: str
    source: str
    locator: str
    machine: str
    file: str
    isa: str = ""
    counter: str = ""
    compiler: str = ""

    def cite(self) -> str:
        """Short citation, e.g. ``"[TSperf, Data table ..., row ...]"``."""
        return f"[{self.source}, {self.locator}]"


def _clock_from_fact(f: Fact) -> float:
    if f.unit == "MHz":
        return float(f.value)
    if f.unit == "GHz":
        return float(f.value) * 1000.0
    if f.unit == "ns":
        return float(units.cycle_time_ns_to_mhz(f.value))
    raise ValueError(f"clock fact {f.id!r} has unit {f.unit!r}; expected MHz, GHz or ns (cycle time)")


def _series_of_quantity(quantity: str) -> str | None:
    for name, quantities in SERIES.items():
        if quantity in quantities:
            return name
    return None


def _check_row_fields(rid: str, trip: str, cache: str, year) -> None:
    if trip not in _TRIPS:
        raise ValueError(f"row {rid!r}: trip {trip!r} is not one of {_TRIPS}")
    if cache not in _CACHES:
        raise ValueError(f"row {rid!r}: cache {cache!r} is not one of {_CACHES}")
    if year is None:
        raise ValueError(f"row {rid!r}: a history row needs a year")


def _extra(f: Fact, column: str) -> str:
    """An optional column of history.csv ("" when absent or empty)."""
    return (f.extra.get(column) or "").strip()


def isa_group(row: HistoryRow) -> str:
    """``"x86"``, ``"Arm"`` or ``"other"`` (any other ISA) for the sensitivity analysis; "" without an ISA."""
    if not row.isa:
        return ""
    return row.isa if row.isa in ("x86", "Arm") else "other"


def admission_problems(row: HistoryRow) -> list[str]:
    """The checkable parts of :data:`ADMISSION_RULE` that ``row`` fails (empty list: admitted).

    Checks the recorded fields: a year, a citation and locator, the trip (IPC rows: one-way or
    round-trip; system calls: na), the cache state, a recorded counter, an ISA, and for cycles a
    counter that is not the TSC-rate reference counter. Parts (1), (3) and (6) of the rule are
    judged when a row is entered and are documented per source in data/HISTORY.md.
    """
    out = []
    if row.series not in ("ipc", "syscall"):
        return [f"series {row.series!r} is not a kernel-crossing series (the rule covers ipc and syscall)"]
    if not row.source or not row.locator:
        out.append("no citation or locator")
    if row.series == "ipc" and row.trip not in ("one-way", "round-trip"):
        out.append(f"IPC row with trip {row.trip!r}: one-way or round-trip must be recorded")
    if row.series == "syscall" and row.trip != "na":
        out.append(f"system-call row with trip {row.trip!r}: expected na")
    if row.cache not in ("hot", "warm", "cold") and not (row.file == "facts.csv" and row.cache == "na"):
        # the paper's companion rows in facts.csv are taken as those papers give them (baseline)
        out.append(f"cache state {row.cache!r} not recorded")
    if not row.counter:
        out.append("counter not recorded")
    elif row.unit == "cycles" and "TSC" in row.counter and "unhalted" not in row.counter:
        out.append("cycles from a TSC-rate counter, not core clock cycles")
    if not row.isa:
        out.append("ISA not recorded")
    return out


@functools.cache
def _all_rows() -> tuple[HistoryRow, ...]:
    out: list[HistoryRow] = []
    for f in load_facts("history.csv").values():
        if f.quantity in CONTEXT_QUANTITIES or f.quantity in AUX_QUANTITIES:
            continue
        series = _series_of_quantity(f.quantity)
        if series is None:
            raise ValueError(f"history.csv: row {f.id!r} has quantity {f.quantity!r}, which no series uses")
        _check_row_fields(f.id, f.trip, f.cache, f.year)
        clock_text = _extra(f, "clock_mhz")
        clock = float(clock_text) if clock_text else None
        out.append(HistoryRow(f.id, series, f.value, f.unit, int(f.year), f.trip, f.cache, clock,
                              "clock_mhz column" if clock else "", f.source, f.locator, f.machine,
                              "history.csv", _extra(f, "isa"), _extra(f, "counter"), _extra(f, "compiler")))
    facts = load_facts("facts.csv")
    for series, refs in FACTS_REFERENCES.items():
        for fid, clock_id in refs:
            f = facts[fid]
            _check_row_fields(f.id, f.trip, f.cache, f.year)
            clock = _clock_from_fact(facts[clock_id]) if clock_id else None
            counter = "time" if f.unit in _TIME_TO_US else "cycles as published"
            out.append(HistoryRow(f.id, series, f.value, f.unit, int(f.year), f.trip, f.cache, clock,
                                  clock_id or "", f.source, f.locator, f.machine, "facts.csv",
                                  _FACTS_ISA.get(f.machine, ""), counter, ""))
    return tuple(sorted(out, key=lambda r: (r.year, r.series, r.id)))


def history_rows(series: str | None = None, rows: Sequence[HistoryRow] | None = None) -> list[HistoryRow]:
    """The history rows, sorted by year, optionally only one series.

    Parameters
    ----------
    series : str, optional
        One of :data:`SERIES`; all rows when None.
    rows : sequence of HistoryRow, optional
        Rows to filter instead of the shipped data (e.g. a perturbed copy in a test).
    """
    if series is not None and series not in SERIES:
        raise ValueError(f"series must be one of {sorted(SERIES)}; got {series!r}")
    pool = _all_rows() if rows is None else tuple(rows)
    return [r for r in pool if series is None or r.series == series]



# --------------------------------------------------------------------------------------------
# Normalisation (the model normalises, never the CSV)
# --------------------------------------------------------------------------------------------

class RoundTrip(tuple):
    """``(value, note)``: a normalised value and the conversions applied, in words."""

    def __new__(cls, value: float, note: str):
        return super().__new__(cls, (value, note))

    @property
    def value(self) -> float:
        return self[0]

    @property
    def note(self) -> str:
        return self[1]

    def __repr__(self) -> str:
        return f"RoundTrip(value={self[0]:.6g}, note={self[1]!r})"


def _trip_factor(row: HistoryRow) -> tuple[float, str]:
    if row.trip == "one-way":
        return 2.0, "one-way ×2 = round trip"
    if row.trip == "round-trip":
        return 1.0, "already a round trip"
    return 1.0, "not a message exchange (trip na): taken as is"


@_per_row
def round_trip_us(row: HistoryRow) -> RoundTrip:
    """A row's value as a round trip in microseconds, with a note of the conversion.

    One-way figures (the L4 tables: "one way (half of round-trip)") are doubled; cycles are
    divided by the row's clock (cycles / MHz = µs); ns and ms are scaled. Rows with
    ``trip == "na"`` (system calls, device reads) are converted but not doubled.

    Raises
    ------
    ValueError
        If the row is in cycles and its source gives no clock (``clock_mhz`` unknown).
    """
    factor, trip_note = _trip_factor(row)
    if row.unit == "cycles":
        if row.clock_mhz is None:
            raise ValueError(
                f"clock_mhz (MHz) of row {row.id!r} is unknown: its source gives cycles without a "
                "clock rate, so it cannot be converted to µs (use round_trip_cycles)")
        us = units.cycles_to_us(row.value, row.clock_mhz)
        unit_note = f"{row.value:g} cycles ÷ {row.clock_mhz:g} MHz = {us:.6g} µs"
    elif row.unit in _TIME_TO_US:
        us = row.value * _TIME_TO_US[row.unit]
        unit_note = f"{row.value:g} {row.unit} = {us:.6g} µs"
    else:
        raise ValueError(f"row {row.id!r}: unit {row.unit!r} is not a time or cycles")
    return RoundTrip(us * factor, f"{unit_note}; {trip_note}")


@_per_row
def round_trip_cycles(row: HistoryRow) -> RoundTrip:
    """A row's value as a round trip in processor cycles, with a note of the conversion.

    Times are multiplied by the row's clock (µs × MHz = cycles); one-way figures are doubled.

    Raises
    ------
    ValueError
        If the row is a time and its source gives no clock.
    """
    factor, trip_note = _trip_factor(row)
    if row.unit == "cycles":
        cycles = row.value
        unit_note = f"{row.value:g} cycles"
    elif row.unit in _TIME_TO_US:
        if row.clock_mhz is None:
            raise ValueError(
                f"clock_mhz (MHz) of row {row.id!r} is unknown: its source gives a time without a "
                "clock rate, so it cannot be converted to cycles (use round_trip_us)")
        us = row.value * _TIME_TO_US[row.unit]
        cycles = units.us_to_cycles(us, row.clock_mhz)
        unit_note = f"{us:.6g} µs × {row.clock_mhz:g} MHz = {cycles:.6g} cycles"
    else:
        raise ValueError(f"row {row.id!r}: unit {row.unit!r} is not a time or cycles")
    return RoundTrip(cycles * factor, f"{unit_note}; {trip_note}")


def _try(fn, row):
    try:
        return fn(row)
    except ValueError:
        return None


def _check_year(year, name: str = "year", *, integer: bool = False) -> np.ndarray:
    """Calendar year(s) in :data:`YEAR_RANGE` (a float array); ``name`` is the caller's parameter."""
    return units.check(name, year, "calendar year", *YEAR_RANGE, integer=integer)


def _one_year(year, name: str = "year") -> int:
    """One whole calendar year in :data:`YEAR_RANGE`, as an int; ``name`` is the caller's parameter."""
    return int(units.check(name, year, "calendar year", *YEAR_RANGE, integer=True, scalar=True))
