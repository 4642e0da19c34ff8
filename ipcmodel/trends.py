"""§2 and §2.1: IPC got faster faster than the rest of the operating system.

IPC moved "off of the memory curve and onto the processor curve" (§2): its time scales with
the processor, while disks, networks and memory copies do not. These functions compare two
machines (or two years) and two kinds of cost.
"""

from __future__ import annotations

import numpy as np

from ipcmodel import units

__all__ = [
    "speedup",
    "annual_rate",
    "scaled_time_us",
    "processor_share_from_times",
    "syscall_vs_ipc",
    "SyscallIpcComparison",
    "ipc_share_of_access",
    "ethernet_wire_us",
]


_res = units.scalar_or_array  # a float for scalar inputs, the array otherwise


def speedup(old_us, new_us):
    """How many times faster ``new`` is than ``old``: ``old_us / new_us`` (dimensionless).

    Examples
    --------
    §2: Mach RPC on the CVax, 750 µs (1989) -> 497 µs (1992):

    >>> round(speedup(750, 497), 2)
    1.51
    """
    o = units.check_positive("old_us", old_us, "µs")
    n = units.check_positive("new_us", new_us, "µs")
    o, n = units.broadcast_named(old_us=o, new_us=n)
    return _res(o / n)


def annual_rate(old_value, new_value, years):
    """Compound improvement per year: ``(old/new) ** (1/years)`` (× per year, > 1 = improving)."""
    o = units.check_positive("old_value", old_value, "any unit")
    n = units.check_positive("new_value", new_value, "same unit as old_value")
    y = units.check_positive("years", years, "years", 1000)
    o, n, y = units.broadcast_named(old_value=o, new_value=n, years=y)
    return _res((o / n) ** (1.0 / y))


def scaled_time_us(time_us, speedup_factor, processor_share=1.0):
    """Time after the processor gets ``speedup_factor`` times faster.

    Only the ``processor_share`` of the time scales with the processor; the rest (memory,
    device) stays where it was. ``processor_share = 1`` is IPC "on the processor curve" (§2);
    ``0`` is a disk seek.

    Parameters
    ----------
    time_us : float or array_like
        Time on the old machine (µs), > 0.
    speedup_factor : float or array_like
        Processor speedup (dimensionless), > 0.
    processor_share : float or array_like
        Fraction of ``time_us`` that scales with the processor, in [0, 1].
    """
    t = units.check_positive("time_us", time_us, "µs")
    s = units.check_positive("speedup_factor", speedup_factor, "ratio")
    p = units.check_fraction("processor_share", processor_share)
    t, s, p = units.broadcast_named(time_us=t, speedup_factor=s, processor_share=p)
    return _res(t * (p / s + (1.0 - p)))


class SyscallIpcComparison(dict):
    """ratio (IPC ÷ system call), gap_us (IPC − system call), and the inputs, for one machine."""

    def __repr__(self) -> str:
        return (f"IPC {self['ipc_us']:g} µs vs system call {self['syscall_us']:g} µs: "
                f"ratio {self['ratio']:.2f}×, gap {self['gap_us']:.4g} µs")


def syscall_vs_ipc(ipc_us: float, syscall_us: float) -> SyscallIpcComparison:
    """§2.1: the relative (ratio) and absolute (gap) cost of IPC over a system call.

    Parameters
    ----------
    ipc_us : float
        Round-trip RPC (µs), > 0.
    syscall_us : float
        System call (µs), > 0.
    """
    ipc = units.check("ipc_us", ipc_us, "µs", 0.0, low_inclusive=False, scalar=True)
    sc = units.check("syscall_us", syscall_us, "µs", 0.0, low_inclusive=False, scalar=True)
    return SyscallIpcComparison(ipc_us=ipc, syscall_us=sc, ratio=ipc / sc, gap_us=ipc - sc)


def ipc_share_of_access(ipc_us, syscall_us, service_us):
    """Extra cost of IPC over a system call, as a share of the service access (§2.1).

    ``(ipc_us - syscall_us) / service_us``: the "absolute difference compared to the service
    access cost (disk, buffer, or network)".
    """
    ipc = units.check_positive("ipc_us", ipc_us, "µs")
    sc = units.check_positive("syscall_us", syscall_us, "µs")
    s = units.check_positive("service_us", service_us, "µs")
    ipc, sc, s = units.broadcast_named(ipc_us=ipc, syscall_us=sc, service_us=s)
    return _res((ipc - sc) / s)


def processor_share_from_times(old_us, new_us, speedup_factor):
    """The processor share ``p`` with ``scaled_time_us(old_us, speedup_factor, p) == new_us``.

    Solves ``new = old * (p / s + 1 - p)``: ``p = (1 - new/old) / (1 - 1/s)``. The result is
    not clipped: above 1 the time improved *more* than the processor did (better software, as
    from 1989 to 1992 on the CVax), below 0 it got worse.

    Parameters
    ----------
    old_us, new_us : float or array_like
        Times on the old and the new machine (µs), > 0.
    speedup_factor : float or array_like
        Processor speedup from old to new (dimensionless), > 1.

    Examples
    --------
    §2: 497 µs on the CVax, 57 µs on a DECstation 5000/200 "rated at roughly ten times" the CVax:

    >>> round(processor_share_from_times(497, 57, 10), 3)
    0.984
    """
    o = units.check_positive("old_us", old_us, "µs")
    n = units.check_positive("new_us", new_us, "µs")
    s = units.check_in_range("speedup_factor", speedup_factor, "ratio", 1.0, np.inf,
                             low_inclusive=False)
    o, n, s = units.broadcast_named(old_us=o, new_us=n, speedup_factor=s)
    return _res((1.0 - n / o) / (1.0 - 1.0 / s))


def ethernet_wire_us(message_bytes, rate_mbit_per_s):
    """Time (µs) to transmit ``message_bytes`` at ``rate_mbit_per_s``: ``8 * bytes / rate``.

    One Mb/s is one bit per µs. Only the bits on the wire: no protocol processing, no driver,
    no headers. It depends on the wire, not on the processor (processor share 0).

    Parameters
    ----------
    message_bytes : float or array_like
        Bytes to send (bytes), >= 0.
    rate_mbit_per_s : float or array_like
        Wire rate (Mb/s, 10**6 bits per second), > 0.
    """
    n = units.check_nonnegative("message_bytes", message_bytes, "bytes", 1e12)
    r = units.check_positive("rate_mbit_per_s", rate_mbit_per_s, "Mb/s", 1e9)
    n, r = units.broadcast_named(message_bytes=n, rate_mbit_per_s=r)
    return _res(8.0 * n / r)
