"""Same-machine IPC / system-call pairs: the only honest comparison of the two.

An IPC round trip enters the kernel at least twice (the call and the reply), so on one machine
it cannot be cheaper than one system call. Comparing a hot-cache L4 IPC with a Linux system call
measured on another processor can make it look cheaper; :func:`same_machine_pairs` therefore
collects the machines that have both rows in the same year (the paper's 1992 CVax and
DECstations, the 2025 L4Re Arm and x86 machines), and the rest of :mod:`ipcmodel.history` takes the
system call of a year from them.

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ipcmodel.history.rows import (
    HistoryRow,
    _try,
    history_rows,
    isa_group,
    round_trip_cycles,
    round_trip_us,
)

__all__ = ["Pair", "same_machine_pairs", "machine_label"]


def machine_label(row: HistoryRow) -> str:
    """A readable machine name: facts.csv ids (``ds5000``) become ``DECstation 5000/200``."""
    if row.file != "facts.csv":
        return row.machine
    from ipcmodel.machines import machine

    try:
        return machine(row.machine).name
    except (KeyError, ValueError):
        return row.machine


@dataclass(frozen=True)
class Pair:
    """One machine with both an IPC and a system-call row of the same year.

    ``ratio`` is the IPC round trip ÷ the system call, in cycles when both rows convert to
    cycles, else in µs. ``ipc_us`` / ``syscall_us`` are None when a row has no µs value (cycles
    without a clock, as on the L4Re page).
    """

    year: int
    machine: str
    ipc_id: str
    syscall_id: str
    ipc: float
    syscall: float
    unit: str
    ipc_us: float | None
    syscall_us: float | None

    @property
    def ratio(self) -> float:
        return self.ipc / self.syscall


def same_machine_pairs(rows: Sequence[HistoryRow] | None = None) -> list[Pair]:
    """Machines with an IPC and a system-call row (same machine label, same year), by year.

    The only honest IPC-versus-system-call comparisons in the data: the paper's CVax,
    DECstation 5000/200 and DECstation 2100 (1992) and the L4Re Arm and x86 machines (2025).
    """
    ipc = {(r.machine, r.year): r for r in history_rows("ipc", rows)}
    out = []
    for s in history_rows("syscall", rows):
        r = ipc.get((s.machine, s.year))
        if r is None:
            continue
        a, b, unit = _try(round_trip_cycles, r), _try(round_trip_cycles, s), "cycles"
        if a is None or b is None:
            a, b, unit = _try(round_trip_us, r), _try(round_trip_us, s), "us"
        if a is None or b is None:
            continue
        au, bu = _try(round_trip_us, r), _try(round_trip_us, s)
        out.append(Pair(r.year, machine_label(r), r.id, s.id, a.value, b.value, unit,
                        None if au is None else au.value, None if bu is None else bu.value))
    return sorted(out, key=lambda p: (p.year, p.machine))


def _ratio_by_isa(pairs: Sequence[Pair], rows: Sequence[HistoryRow] | None = None) -> str:
    """The median IPC/system-call ratio of ``pairs`` per ISA group, e.g. ``"x86 15.2; Arm 5.6"``
    (a median over processor families can fall between them, on no machine: critic C3 N6)."""
    isa = {r.id: isa_group(r) for r in history_rows("ipc", rows)}
    groups = {g: [p.ratio for p in pairs if isa.get(p.ipc_id) == g] for g in ("x86", "Arm", "other")}
    return "; ".join(f"{g} {float(np.median(v)):.1f}" for g, v in groups.items() if v)
