"""§2 and §2.1: the numbers the paper derives from its RPC and system-call times.

Part of :mod:`ipcmodel.paper` (import from there).
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel import trends, units
from ipcmodel.formatting import format_us
from ipcmodel.machines import machine
from ipcmodel.paper._base import fact
from ipcmodel.paper._base import v as _v
from ipcmodel.paper.transfer import ds5000_copy_us

__all__ = [
    "rpc_speedup_cvax_to_ds5000",
    "cvax_software_speedup",
    "cvax_software_annual_gain",
    "rpc_processor_share",
    "wire_time_512_us",
    "Comparison",
    "section2_comparisons",
    "rpc_syscall_gap_us",
    "rpc_syscall_ratio",
    "rpc_syscall_ratio_change",
    "gap_share_of_wire_512",
    "gap_shrink_cvax_to_ds5000",
]


def rpc_speedup_cvax_to_ds5000() -> float:
    """§2: the same Mach 3.0 RPC, CVax (497 µs) over DECstation 5000/200 (57 µs): about 8.7×.

    :func:`ipcmodel.trends.speedup` of facts b92-rpc-cvax-1992 and b92-rpc-ds5000.
    """
    return float(trends.speedup(_v("b92-rpc-cvax-1992"), _v("b92-rpc-ds5000")))


def cvax_software_speedup() -> float:
    """§2: Mach RPC on the same CVax, 1989 (750 µs) over 1992 (497 µs): software alone, 1.51×."""
    return float(trends.speedup(_v("b92-rpc-cvax-1989"), _v("b92-rpc-cvax-1992")))


def cvax_software_annual_gain() -> float:
    """§2: :func:`cvax_software_speedup` compounded per year, minus 1 (a fraction per year).

    :func:`ipcmodel.trends.annual_rate` over the years of facts b92-rpc-cvax-1989 and -1992.
    """
    old, new = fact("b92-rpc-cvax-1989"), fact("b92-rpc-cvax-1992")
    return float(trends.annual_rate(old.value, new.value, new.year - old.year)) - 1.0


def rpc_processor_share() -> float:
    """§2: the share of the RPC that rode the processor, CVax -> DS5000/200 at its rating (~0.98).

    :func:`ipcmodel.trends.processor_share_from_times` of facts b92-rpc-cvax-1992,
    b92-rpc-ds5000 and b92-rating-ds5000-vs-cvax ("roughly ten times").
    """
    return float(trends.processor_share_from_times(_v("b92-rpc-cvax-1992"), _v("b92-rpc-ds5000"),
                                                   _v("b92-rating-ds5000-vs-cvax")))


def wire_time_512_us() -> float:
    """§2's 512-byte block on the 10 Mb/s Ethernet of Maeda & Bershad (1992): wire time (µs).

    :func:`ipcmodel.trends.ethernet_wire_us` of facts b92-buffer-copy-block and
    mb92-ethernet-rate. The paper gives no packet size; using the block's 512 bytes is our choice.
    """
    return float(trends.ethernet_wire_us(_v("b92-buffer-copy-block"), _v("mb92-ethernet-rate")))


@dataclass(frozen=True)
class Comparison:
    """One row of the §2 comparison: what, on which machine, how long (µs or None), and why."""

    what: str
    machine: str
    time_us: float | None
    source: str

    def __str__(self) -> str:
        t = "no number in any source here" if self.time_us is None else format_us(self.time_us)
        return f"{self.what:<44} {self.machine:<22} {t:>30}   {self.source}"


def section2_comparisons() -> list[Comparison]:
    """§2's comparison ("497 µsecs ... comparable to ... a disk track, ... a 512 byte block, ...
    a packet over an Ethernet"), with what data/ holds for each item."""
    cvax, ds = machine("cvax"), machine("ds5000")
    udp, block, rate = fact("mb92-udp-rtt-mach25"), fact("b92-buffer-copy-block"), fact("mb92-ethernet-rate")
    return [
        Comparison("Mach 3.0 round-trip RPC", cvax.name, cvax.rpc_us, cvax.provenance["rpc_us"].cite()),
        Comparison("Mach 3.0 round-trip RPC", ds.name, ds.rpc_us, ds.provenance["rpc_us"].cite()),
        Comparison("seek one disk track", "any", None, "§2 names it, gives no time"),
        Comparison(f"copy a {block.value:g}-byte block (estimate)", ds.name,
                   float(ds5000_copy_us(block.value)),
                   "computed: paper.ds5000_copy_estimate, [ChenBershad93, Table 2-1]"),
        Comparison(f"copy a {block.value:g}-byte block", cvax.name, None, "§2 names it, gives no time"),
        Comparison(f"{block.value:g} bytes on a {rate.value:g} Mb/s Ethernet wire",
                   "any (wire time only)", wire_time_512_us(), f"computed: 8 x bytes / rate, {rate.cite()}"),
        Comparison("UDP round trip, 1 data byte, Mach 2.5", "DECstation 2100",
                   units.ms_to_us(udp.value), udp.cite()),
    ]


# ---- §2.1: the system call got faster too ------------------------------------------------------

#: Machine id -> (round-trip RPC fact, system-call fact) for the two machines §2.1 compares.
_RPC_SYSCALL = {"cvax": ("b92-rpc-cvax-1992", "b92-syscall-cvax"),
                "ds5000": ("b92-rpc-ds5000", "b92-syscall-ds5000")}


def _rpc_syscall(machine_id: str) -> tuple[float, float]:
    if machine_id not in _RPC_SYSCALL:
        raise ValueError(f"machine_id must be one of {sorted(_RPC_SYSCALL)}; got {machine_id!r}")
    return tuple(_v(i) for i in _RPC_SYSCALL[machine_id])


def rpc_syscall_gap_us(machine_id: str = "ds5000") -> float:
    """§2.1: round-trip RPC minus system call (µs): 57 - 8 = 49 on the DS5000/200, 437 on the CVax.

    ``machine_id`` is ``"ds5000"`` (facts b92-rpc-ds5000, b92-syscall-ds5000) or ``"cvax"``
    (b92-rpc-cvax-1992, b92-syscall-cvax); :func:`ipcmodel.trends.syscall_vs_ipc`'s ``gap_us``.
    """
    return float(trends.syscall_vs_ipc(*_rpc_syscall(machine_id))["gap_us"])


def rpc_syscall_ratio(machine_id: str = "ds5000") -> float:
    """§2.1: round-trip RPC ÷ system call (×): 57 / 8 = 7.1 on the DS5000/200, 497 / 60 = 8.3 on
    the CVax (facts as in :func:`rpc_syscall_gap_us`)."""
    return float(trends.syscall_vs_ipc(*_rpc_syscall(machine_id))["ratio"])


def rpc_syscall_ratio_change() -> float:
    """§2.1: the CVax's RPC ÷ system call over the DS5000/200's, (497/60) / (57/8) ≈ 1.16 (1 = "the same")."""
    return rpc_syscall_ratio("cvax") / rpc_syscall_ratio("ds5000")


def gap_share_of_wire_512(machine_id: str = "ds5000") -> float:
    """§2.1: :func:`rpc_syscall_gap_us` as a fraction of :func:`wire_time_512_us`
    (:func:`ipcmodel.trends.ipc_share_of_access`): 1.07 on the CVax, 0.12 on the DS5000/200."""
    return float(trends.ipc_share_of_access(*_rpc_syscall(machine_id), wire_time_512_us()))


def gap_shrink_cvax_to_ds5000() -> float:
    """§2.1: how many times the RPC-minus-system-call gap shrank, CVax to DS5000/200: 437/49 ≈ 8.9."""
    return rpc_syscall_gap_us("cvax") / rpc_syscall_gap_us("ds5000")
