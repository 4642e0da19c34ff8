"""Footnote 1's floor: a same-machine IPC round trip against the two system calls it needs at least.

Also the processor classes of the history rows (desktop or server vs embedded), by a stated rule on
the machine label. Pure numbers (numpy only), so :mod:`ipcmodel.exercises` can use them without
matplotlib; the explorers (:mod:`ipcmodel.explorers.history_tables`,
:mod:`ipcmodel.explorers.history_years`) re-export them. Nothing happens on import.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel.history.pairs import machine_label, same_machine_pairs

__all__ = ["EMBEDDED_MARKERS", "PROCESSOR_CLASSES", "FloorRow", "processor_class", "trap_floor"]

#: The two processor classes, in display order.
PROCESSOR_CLASSES = ("desktop or server", "embedded")

#: A row's machine label containing one of these names is an embedded processor (Arm cores for
#: phones, boards and cars, and the StrongARM/XScale before them); every other machine in the data
#: is a workstation, desktop or server processor (VAX, MIPS, PA-RISC, x86, Itanium, Arm Neoverse).
EMBEDDED_MARKERS = ("StrongARM", "XScale", "ARM11", "Cortex-A", "SiFive", "Jetson")


def processor_class(row) -> str:
    """``"embedded"`` or ``"desktop or server"`` for a history row (or a machine label).

    The rule: a label containing one of :data:`EMBEDDED_MARKERS` is embedded; anything else
    (the paper's workstations, x86, Itanium, server Arm such as Neoverse) is desktop or server.
    """
    label = row if isinstance(row, str) else machine_label(row)
    return "embedded" if any(m in label for m in EMBEDDED_MARKERS) else "desktop or server"


@dataclass(frozen=True)
class FloorRow:
    """One same-machine pair against the two-trap floor.

    ``ipc`` and ``syscall`` are in ``unit`` (cycles where both rows convert to cycles, else
    µs); ``floor`` = 2 × ``syscall``; ``headroom`` = ``ipc`` ÷ ``floor`` (dimensionless);
    ``syscall_cycles`` is None when the row has no clock.
    """

    year: int
    machine: str
    processor_class: str
    ipc: float
    syscall: float
    unit: str
    floor: float
    headroom: float
    syscall_cycles: float | None
    ipc_id: str
    syscall_id: str


def trap_floor(rows=None) -> list[FloorRow]:
    """Every same-machine IPC/system-call pair against the two-trap floor, by year.

    Parameters
    ----------
    rows : sequence of HistoryRow, optional
        Data to use instead of the shipped rows (as :func:`ipcmodel.history.same_machine_pairs`).
    """
    out = []
    for p in same_machine_pairs(rows):
        sc_cycles = p.syscall if p.unit == "cycles" else None
        out.append(FloorRow(p.year, p.machine, processor_class(p.machine), p.ipc, p.syscall, p.unit,
                            2.0 * p.syscall, p.ipc / (2.0 * p.syscall), sc_cycles, p.ipc_id, p.syscall_id))
    return out
