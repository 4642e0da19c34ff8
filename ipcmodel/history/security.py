"""The security era: what Meltdown's kernel page-table isolation (KPTI) does to the model.

Since 2018, x86 Linux switches page tables (a CR3 write) at every kernel entry and exit on
Meltdown-affected processors [PTIdoc]. That makes every *kernel crossing* dearer, for a
monolithic kernel too, which the paper's comparison (§2.1: a round-trip IPC against one system
call) never had to price:

* a system call enters and leaves the kernel once: one entry/exit pair;
* a round-trip IPC enters and leaves it twice (call and reply), so it pays the added cost twice
  (:data:`ENTRY_EXITS`; a model assumption, the same one behind "a round trip enters the kernel
  at least twice" in ``data/HISTORY.md``).

The added cost per entry/exit pair comes from rows, never typed in (:func:`kpti_cost`):

* ``"low"``: twice the documentation's CR3 move, "on the order of a hundred cycles" at every entry
  and exit (``ptidoc-cr3-move-cycles``);
* ``"high"``: the top of the KAISER cover letter's "a few hundred cycles" per system call, read as
  200–900 (``kaiser17-syscall-cycles-cover``; the span rule of ``data/README.md``);
* the KAISER co-author's "less than 300 cycles" (``kaiser17-syscall-cycles-gruss``) lies inside.

KPTI is x86 Linux's mitigation; the machine of a year (:func:`ipcmodel.history.machine_of_year`)
may be an Arm board that needs none. Applying it anyway is a labelled what-if: "if every crossing
of this machine paid KPTI's cost". Gregg's MySQL measurement (:func:`mysql_kpti_slowdown`) shows
what it did to a whole monolithic system.

Import by full path: ``from ipcmodel.history import security``. numpy only; nothing happens on
import.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from ipcmodel import service, units
from ipcmodel.data import load_facts
from ipcmodel.history.estimates import clock_for_year, machine_of_year
from ipcmodel.history.rows import NOW_YEAR, HistoryRow, _one_year, history_rows, isa_group
from ipcmodel.service import DEFAULT_THRESHOLD

__all__ = [
    "KPTI_SCOPE",
    "BOUNDS",
    "ENTRY_EXITS",
    "kpti_era_start",
    "KptiCost",
    "kpti_facts",
    "kpti_cost",
    "crossing_costs",
    "kpti_history_rows",
    "kpti_verdicts",
    "mysql_kpti_slowdown",
]

#: Where the cited KPTI costs apply, in words every output that prices KPTI carries: the cost is a
#: CR3 (page-table) switch of x86 Linux, enabled only on x86 processors affected by Meltdown
#: [PTIdoc]; a processor that is not affected (or another ISA, e.g. the Arm boards among the machines
#: of a year) does not pay it. The rows do not say which of their x86 processors are affected, so the
#: audit brackets the effect: nothing added (the rows as published) and the cost added to every x86
#: row (:func:`kpti_verdicts`); a verdict that is the same at both ends does not depend on which
#: processors are affected.
KPTI_SCOPE = ("KPTI's cost applies only to Meltdown-affected x86 processors (x86 Linux switches page tables "
              "there, [PTIdoc]); other ISAs never pay it, and the rows do not record which of their x86 "
              "processors are affected, so the cost added to every x86 row is the upper bound of its effect "
              "(a what-if for any processor that is not affected) and the rows as published the lower bound")

#: The named ends of the cited range of KPTI's added cycles per kernel entry/exit pair.
BOUNDS = ("low", "high")

#: Kernel entry/exit pairs per crossing (model assumption): a system call enters once; a
#: round-trip IPC twice (call, reply); so does each one-way IPC row once.
ENTRY_EXITS = {"syscall": 1, "ipc_round_trip": 2, "ipc_one_way": 1}


_KPTI_QUANTITIES = ("kpti_cr3_move", "kpti_syscall_cycles")
_CR3_ROW = "ptidoc-cr3-move-cycles"
_COVER_ROW = "kaiser17-syscall-cycles-cover"
_GRUSS_ROW = "kaiser17-syscall-cycles-gruss"
_GREGG_ROWS = ("gregg18-mysql-qps-a", "gregg18-mysql-qps-b")


@dataclass(frozen=True)
class KptiCost:
    """KPTI's added cost per kernel entry/exit pair (cycles), with the rows it comes from."""

    bound: str
    cycles_per_entry_exit: float
    row_ids: tuple[str, ...]
    note: str


def kpti_facts() -> list:
    """The KPTI rows of ``data/history.csv`` (``ipcmodel.data.Fact``), in file order."""
    return [f for f in load_facts("history.csv").values() if f.quantity in _KPTI_QUANTITIES]


def kpti_cost(bound: str = "low") -> KptiCost:
    """KPTI's added cycles per kernel entry/exit pair, at one end of the cited range.

    Parameters
    ----------
    bound : {"low", "high"}
        ``"low"``: two CR3 moves of "on the order of a hundred cycles" each (PTI documentation);
        ``"high"``: the top of "a few hundred cycles" per system call (KAISER cover letter).

    Raises
    ------
    ValueError
        For another ``bound``, or when the rows are missing or not in cycles.
    """
    if bound not in BOUNDS:
        raise ValueError(f"bound must be one of {BOUNDS}; got {bound!r}")
    facts = {f.id: f for f in kpti_facts()}
    for rid in (_CR3_ROW, _COVER_ROW):
        if rid not in facts:
            raise ValueError(f"data/history.csv has no row {rid!r} (needed for the KPTI cost)")
        if facts[rid].unit != "cycles":
            raise ValueError(f"row {rid!r}: expected cycles, got {facts[rid].unit!r}")
    if bound == "low":
        f = facts[_CR3_ROW]
        return KptiCost(bound, 2.0 * f.value, (f.id,),
                        f"2 × {f.value:g} cycles: one CR3 move at entry and one at exit, "
                        f"'{f.qualifier}' {f.value:g} each {f.cite()}")
    f = facts[_COVER_ROW]
    high = f.value_high if f.value_high is not None else f.value
    g = facts.get(_GRUSS_ROW)
    measured = (f"; the KAISER co-author measured '{g.qualifier}' {g.value:g} cycles per simple system "
                f"call {g.cite()}, so this end is generous" if g is not None else "")
    return KptiCost(bound, float(high), (f.id,),
                    f"{high:g} cycles per system call: the top of '{f.qualifier}' read as "
                    f"{f.value:g}–{high:g} (our reading of the words) {f.cite()}{measured}")


def kpti_era_start() -> int:
    """First year of the security era: the year of the PTI documentation row (``ptidoc-cr3-move-cycles``)."""
    facts = {f.id: f for f in kpti_facts()}
    if _CR3_ROW not in facts or facts[_CR3_ROW].year is None:
        raise ValueError(f"data/history.csv has no dated row {_CR3_ROW!r}")
    return int(facts[_CR3_ROW].year)


def _check_bound_list(bounds) -> tuple[str, ...]:
    bounds = tuple(bounds)
    bad = [b for b in bounds if b not in BOUNDS]
    if not bounds or bad:
        raise ValueError(f"bounds must be a non-empty sequence of {BOUNDS}; got {bounds!r}")
    return bounds


def crossing_costs(year=NOW_YEAR, bound: str = "low", threshold: float = DEFAULT_THRESHOLD) -> dict:
    """The machine of ``year``'s system call and round-trip IPC without and with KPTI (µs).

    Parameters
    ----------
    year : int
        Calendar year (whole, in ``ipcmodel.history.YEAR_RANGE``).
    bound : {"low", "high"}
        End of the cited range (:func:`kpti_cost`).
    threshold : float
        Overhead fraction in (0, 1) for the break-even service time.

    Returns
    -------
    dict
        ``year``, ``clock_mhz`` (the IPC's machine's, :func:`ipcmodel.history.clock_for_year`),
        ``kpti_cycles`` (per entry/exit), ``syscall_us``, ``ipc_us`` (round trip), their KPTI
        versions ``syscall_kpti_us`` (+1 entry/exit) and ``ipc_kpti_us`` (+2), ``added_syscall_us``,
        ``added_ipc_us``, ``ratio`` and ``ratio_kpti`` (IPC ÷ system call), ``gap_us`` and
        ``gap_kpti_us`` (IPC − system call), ``break_even_us`` and ``break_even_kpti_us`` (service time
        at which the IPC overhead falls to ``threshold``), ``in_kpti_era`` (False: a what-if before
        KPTI existed), ``devices`` (kind -> (device µs, IPC overhead, IPC overhead with KPTI) for the
        measured devices of the year reached through the kernel, not kernel bypass,
        :func:`ipcmodel.history.devices.today_devices`), ``isas`` (the ISAs of the rows behind the
        year's IPC), ``x86_only`` (True only when all of them are x86), ``scope`` (:data:`KPTI_SCOPE`:
        the cost applies only to Meltdown-affected x86 processors), ``row_ids`` and ``notes``.
    """
    y = _one_year(year)
    th = float(units.check("threshold", threshold, "fraction", 0.0, 1.0, low_inclusive=False,
                           high_inclusive=False, scalar=True))
    cost = kpti_cost(bound)
    m = machine_of_year(y)
    clock = float(clock_for_year(y))
    ipc, sc = m["ipc_round_trip_us"].value, m["syscall_us"].value
    per_us = float(units.cycles_to_us(cost.cycles_per_entry_exit, clock))
    add_sc, add_ipc = ENTRY_EXITS["syscall"] * per_us, ENTRY_EXITS["ipc_round_trip"] * per_us
    sc_k, ipc_k = sc + add_sc, ipc + add_ipc
    from ipcmodel.history.devices import today_devices  # devices imports the estimates too

    ipc_ids = set(m["ipc_round_trip_us"].row_ids)
    isas = tuple(sorted({r.isa or "?" for r in history_rows("ipc") if r.id in ipc_ids}))
    x86_only = bool(isas) and set(isas) == {"x86"}
    devices = {d.kind: (d.value_us, float(service.ipc_overhead_fraction(ipc, sc, d.value_us)),
                        float(service.ipc_overhead_fraction(ipc_k, sc_k, d.value_us)))
               for d in today_devices(y) if d.value_us is not None and d.kind != "network_bypass"}
    return {
        "year": y, "bound": bound, "clock_mhz": clock, "kpti_cycles": cost.cycles_per_entry_exit,
        "syscall_us": sc, "ipc_us": ipc, "syscall_kpti_us": sc_k, "ipc_kpti_us": ipc_k,
        "added_syscall_us": add_sc, "added_ipc_us": add_ipc,
        "ratio": ipc / sc, "ratio_kpti": ipc_k / sc_k, "gap_us": ipc - sc, "gap_kpti_us": ipc_k - sc_k,
        "threshold": th, "in_kpti_era": y >= kpti_era_start(), "devices": devices,
        "isas": isas, "x86_only": x86_only, "scope": KPTI_SCOPE,
        "break_even_us": float(service.break_even_service_us(ipc, sc, th)),
        "break_even_kpti_us": float(service.break_even_service_us(ipc_k, sc_k, th)),
        "row_ids": (*cost.row_ids, *m["ipc_round_trip_us"].row_ids, *m["syscall_us"].row_ids),
        "notes": (f"KPTI: {cost.note}; applied at {clock:.4g} MHz (the IPC's machine's clock) to the machine "
                  f"of {y} (IPC rows of ISA {', '.join(isas) or 'unknown'}) as a what-if: {KPTI_SCOPE}; a "
                  "system call pays one entry/exit pair, a round-trip IPC two; IPC: "
                  f"{m['ipc_round_trip_us'].note}; system call: {m['syscall_us'].note}"),
    }


def _adjusted(row: HistoryRow, cycles: float) -> HistoryRow | None:
    """``row`` with ``cycles`` added per entry/exit pair it makes, or None if it cannot be adjusted."""
    if row.series == "syscall":
        n = ENTRY_EXITS["syscall"]
    elif row.trip == "one-way":
        n = ENTRY_EXITS["ipc_one_way"]
    elif row.trip == "round-trip":
        n = ENTRY_EXITS["ipc_round_trip"]
    else:
        return None
    if row.unit == "cycles":
        return dataclasses.replace(row, value=row.value + n * cycles)
    if row.clock_mhz is None:
        return None  # a time without a clock: the cycles cannot be turned into time
    scale = {"us": 1.0, "ns": 1e-3, "ms": 1e3, "s": 1e6}.get(row.unit)
    if scale is None:
        return None
    return dataclasses.replace(row, value=row.value + n * float(units.cycles_to_us(cycles, row.clock_mhz)) / scale)


def kpti_history_rows(bound: str = "low", since_year: int | None = None,
                      rows: Sequence[HistoryRow] | None = None) -> tuple[list[HistoryRow], list[str], list[str]]:
    """A changed copy of the history rows, as if every crossing measured from ``since_year`` paid KPTI.

    Every system-call row gets one entry/exit pair's cost, every one-way IPC row one, every
    round-trip IPC row two; rows in cycles get cycles, rows in time with a clock get the time.
    Only x86 rows are adjusted: KPTI is x86 Linux's fix, and the Arm boards of the rows need none.
    Even for x86 it is a what-if (:data:`KPTI_SCOPE`): the rows are of kernels other than Linux,
    and the rows do not record which x86 processors are Meltdown-affected, so this copy is the
    upper bound of KPTI's effect (every x86 crossing pays it); the shipped rows are the lower.

    Parameters
    ----------
    bound : {"low", "high"}
        End of the cited range (:func:`kpti_cost`).
    since_year : int, optional
        First calendar year adjusted (default :func:`kpti_era_start`).
    rows : sequence of HistoryRow, optional
        Rows to start from (default: the shipped rows).

    Returns
    -------
    (rows, adjusted_ids, skipped_ids)
        The changed copy; the ids changed; the crossing rows of the era left as they are because
        they are not x86 or are a time without a clock (e.g. the 2023 Linux ``getpid``, whose
        source does not say whether it ran with PTI).
    """
    cycles = kpti_cost(bound).cycles_per_entry_exit
    since = kpti_era_start() if since_year is None else _one_year(since_year, "since_year")
    out, adjusted, skipped = [], [], []
    for r in history_rows(rows=rows):
        if r.series in ("syscall", "ipc") and r.year >= since:
            new = _adjusted(r, cycles) if isa_group(r) == "x86" else None
            if new is None:
                skipped.append(r.id)
            else:
                adjusted.append(r.id)
                r = new
        out.append(r)
    return out, adjusted, skipped


def kpti_verdicts(bounds=BOUNDS, since_year: int | None = None) -> list[dict]:
    """Each prediction's verdict without KPTI and with it at each bound.

    Runs :func:`ipcmodel.history.predictions` on the shipped rows and on
    :func:`kpti_history_rows` for each bound, so the rules are exactly the audit's.

    Returns
    -------
    list of dict
        ``id``, ``verdict`` (shipped rows), ``kpti`` (bound -> verdict), ``changed`` (True when any
        bound gives another verdict), ``reasoning_kpti`` (bound -> the rule's sentence),
        ``adjusted`` (bound -> the row ids changed), ``scope`` (:data:`KPTI_SCOPE`: the what-if adds
        the cost to every x86 row, the upper bound, since it applies only to Meltdown-affected
        processors and the rows do not say which those are). A verdict with ``changed`` False is
        the same with no row paying KPTI and with every x86 row paying it, so it holds whichever
        of the processors are affected.
    """
    from ipcmodel.history.predictions import (
        predictions,  # the audit imports this module's neighbours
    )

    bounds = _check_bound_list(bounds)
    since = kpti_era_start() if since_year is None else _one_year(since_year, "since_year")
    base = predictions()
    runs = {}
    for b in bounds:
        rows, adjusted, _skipped = kpti_history_rows(b, since)
        runs[b] = ({p.id: p for p in predictions(rows=rows)}, adjusted)
    out = []
    for p in base:
        kp = {b: runs[b][0][p.id].verdict for b in bounds}
        out.append({"id": p.id, "verdict": p.verdict, "kpti": kp,
                    "changed": any(v != p.verdict for v in kp.values()),
                    "reasoning_kpti": {b: runs[b][0][p.id].reasoning for b in bounds},
                    "adjusted": {b: runs[b][1] for b in bounds}, "scope": KPTI_SCOPE})
    return out


def mysql_kpti_slowdown() -> dict:
    """Gregg's MySQL measurement (2018): two servers, the second with KPTI, and the slowdown.

    Returns
    -------
    dict
        ``without_qps``, ``with_qps`` (queries/s), ``slowdown`` (fraction: 1 − with ÷ without),
        ``row_ids``, ``cite``.
    """
    facts = load_facts("history.csv")
    missing = [i for i in _GREGG_ROWS if i not in facts]
    if missing:
        raise ValueError(f"data/history.csv has no row(s) {missing}")
    a, b = (facts[i] for i in _GREGG_ROWS)
    if a.unit != b.unit:
        raise ValueError(f"{a.id} and {b.id} have different units ({a.unit!r}, {b.unit!r})")
    return {"without_qps": a.value, "with_qps": b.value, "slowdown": 1.0 - b.value / a.value,
            "row_ids": _GREGG_ROWS, "cite": a.cite()}
