"""§5: all services do not need a hardware firewall.

Three ways the paper moves work out of protected domains: a clock mapped into user space,
network protocols run in the application's address space, and a client-side emulation library
that answers some calls itself (Mach's Unix emulation; "two out of three system calls ...
without an RPC" in the multiserver benchmarks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ipcmodel import units

__all__ = [
    "effective_cost_us",
    "calls_per_rpc",
    "mapped_clock_speedup",
    "protocol_boundary_cost_us",
    "boundary_share",
    "emulation_costs_us",
    "MAPPED_CLOCK_CYCLES",
    "mapped_clock_us",
    "UdpBudget",
    "udp_budget",
]


_res = units.scalar_or_array  # a float for scalar inputs, the array otherwise


def effective_cost_us(local_fraction, local_us, remote_us):
    """Average cost per call when a fraction of calls is served locally (µs).

    ``local_fraction * local_us + (1 - local_fraction) * remote_us``.

    Parameters
    ----------
    local_fraction : float or array_like
        Fraction of calls served without leaving the client's address space, in [0, 1].
    local_us : float or array_like
        Cost of a call served locally (µs), >= 0.
    remote_us : float or array_like
        Cost of a call that needs the server (RPC plus the server's work) (µs), >= 0.
    """
    f = units.check_fraction("local_fraction", local_fraction)
    lo = units.check_nonnegative("local_us", local_us, "µs", 1e9)
    re = units.check_nonnegative("remote_us", remote_us, "µs", 1e9)
    f, lo, re = units.broadcast_named(local_fraction=f, local_us=lo, remote_us=re)
    return _res(f * lo + (1.0 - f) * re)


def calls_per_rpc(local_fraction):
    """Calls made per RPC actually sent: ``1 / (1 - local_fraction)`` (inf when all are local)."""
    f = units.check_fraction("local_fraction", local_fraction)
    with np.errstate(divide="ignore"):
        return _res(np.where(f >= 1.0, np.inf, 1.0 / (1.0 - f)))


def mapped_clock_speedup(trap_read_us, mapped_read_us):
    """How many times faster a mapped (user-space) clock read is than a trapping one."""
    t = units.check_positive("trap_read_us", trap_read_us, "µs")
    m = units.check_positive("mapped_read_us", mapped_read_us, "µs")
    t, m = units.broadcast_named(trap_read_us=t, mapped_read_us=m)
    return _res(t / m)


def protocol_boundary_cost_us(crossings, server_path_us, kernel_path_us):
    """Extra time per round trip from putting a protocol behind a boundary (µs).

    ``crossings * (server_path_us - kernel_path_us)``: the worst case with no overlap, as in
    Maeda & Bershad (1992, §2.2): four socket accesses per UDP round trip, each 490 µs through
    the Unix server against 60 µs in the kernel, add at most 4 × 430 µs.
    """
    n = units.check_count("crossings", crossings, "crossings")
    s = units.check_nonnegative("server_path_us", server_path_us, "µs", 1e9)
    k = units.check_nonnegative("kernel_path_us", kernel_path_us, "µs", 1e9)
    n, s, k = units.broadcast_named(crossings=n, server_path_us=s, kernel_path_us=k)
    return _res(n * (s - k))


def boundary_share(boundary_us, observed_slowdown_us):
    """Share of an observed slowdown that boundary crossings can explain (dimensionless)."""
    b = units.check_nonnegative("boundary_us", boundary_us, "µs")
    o = units.check_positive("observed_slowdown_us", observed_slowdown_us, "µs")
    b, o = units.broadcast_named(boundary_us=b, observed_slowdown_us=o)
    return _res(b / o)


def emulation_costs_us(ipc_us, syscall_us, emulation_library_us=0.0, local_call_us=0.0) -> dict:
    """Cost of one call answered locally and of one forwarded to the server (µs), in our model.

    A Unix system call in Mach 3.0 traps and is reflected into the caller's emulation library
    (§5); we assume the trap and reflection cost about one system call (``syscall_us``). A call
    the library forwards makes one pass through the library (``emulation_library_us``) and a
    round-trip RPC (``ipc_us``). The pass is the measured case: Maeda & Bershad (1992, §2.2)
    timed "one pass through the system call emulation library (about 280 µsecs), which
    translates system calls into IPC messages", on the forwarding path, for the single Unix
    server's library on a DECstation 2100. What the library spends on a call it answers
    itself (``local_call_us``) was never measured: 0 (the default) understates local calls and
    favours emulation; the full forwarding pass very likely overstates them (no IPC message is
    built). The service's own work is the same in every structure and is left out.

    Parameters
    ----------
    ipc_us : float or array_like
        Round-trip RPC a forwarded call adds (µs), >= 0.
    syscall_us : float or array_like
        The trap that reflects every call into the library (µs), >= 0.
    emulation_library_us : float or array_like
        One pass through the library on a forwarded call (µs), >= 0; 0 (the default) leaves the
        library out, as a count of RPCs alone does.
    local_call_us : float or array_like
        The library's own time on a call it answers locally (µs), >= 0; unknown, default 0.

    Returns
    -------
    dict
        ``{"local_us": syscall_us + local_call_us,
        "remote_us": syscall_us + emulation_library_us + ipc_us}``.
    """
    ipc = units.check_nonnegative("ipc_us", ipc_us, "µs", 1e9)
    sc = units.check_nonnegative("syscall_us", syscall_us, "µs", 1e9)
    lib = units.check_nonnegative("emulation_library_us", emulation_library_us, "µs", 1e9)
    loc = units.check_nonnegative("local_call_us", local_call_us, "µs", 1e9)
    ipc, sc, lib, loc = units.broadcast_named(ipc_us=ipc, syscall_us=sc, emulation_library_us=lib,
                                              local_call_us=loc)
    return {"local_us": _res(sc + loc), "remote_us": _res(sc + lib + ipc)}


#: Cycles for a mapped clock read in our model: a load or two of a memory-mapped counter.
#: An assumption (no 1992 source gives a clock-read time), varied by the exercise.
MAPPED_CLOCK_CYCLES = (1, 2, 3, 4)


def mapped_clock_us(load_cycles, clock_mhz):
    """A mapped clock read as ``load_cycles`` cycles of memory loads (µs): ``cycles / clock_mhz``."""
    c = units.check_positive("load_cycles", load_cycles, "cycles", 1e6)
    f = units.check_positive("clock_mhz", clock_mhz, "MHz", 1e6)
    c, f = units.broadcast_named(load_cycles=c, clock_mhz=f)
    return _res(c / f)


@dataclass(frozen=True)
class UdpBudget:
    """One UDP round trip in Maeda & Bershad's arithmetic (µs).

    ``in_kernel_us``: the in-kernel round trip (Mach 2.5, Table 1). ``sockets_us``: socket
    accesses × (Unix server - kernel). ``driver_us``: driver crossings × (write + packet-filter
    receive). ``measured_us``: a measured Mach 3.0 Unix-server round trip. ``user_level_us``:
    the new user-level UDP server (Table 3).
    """

    in_kernel_us: float
    sockets_us: float
    driver_us: float
    measured_us: float
    user_level_us: float

    @property
    def predicted_us(self) -> float:
        """The in-kernel round trip plus the crossings: what the arithmetic predicts."""
        return self.in_kernel_us + self.sockets_us + self.driver_us

    @property
    def crossings_us(self) -> float:
        return self.sockets_us + self.driver_us

    @property
    def slowdown_us(self) -> float:
        """Measured Unix server minus in-kernel (µs)."""
        return self.measured_us - self.in_kernel_us

    @property
    def unexplained_us(self) -> float:
        """The part of the slowdown the crossings do not explain (may be negative)."""
        return self.slowdown_us - self.crossings_us

    @property
    def share_explained(self) -> float:
        """:func:`boundary_share` of the crossings in the slowdown (0 when the crossings save
        time rather than cost it)."""
        return float(boundary_share(max(self.crossings_us, 0.0), self.slowdown_us))


def udp_budget(socket_accesses, server_socket_us, kernel_socket_us, driver_crossings,
               driver_write_us, packet_filter_us, *, measured_us, in_kernel_us,
               user_level_us) -> UdpBudget:
    """Maeda & Bershad (1992) §2.2, with any inputs: the crossings' share of a UDP round trip.

    ``sockets = protocol_boundary_cost_us(socket_accesses, server_socket_us, kernel_socket_us)``
    and ``driver = protocol_boundary_cost_us(driver_crossings, driver_write_us +
    packet_filter_us, 0)``. The three round trips (µs) are keyword-only; with the published
    values they are filled in by :func:`ipcmodel.paper.udp_budget`.
    """
    def count(name, value):
        return units.check(name, value, "crossings", 0, 1e6, integer=True, scalar=True)

    def time_us(name, value, low_inclusive=True):
        return units.check(name, value, "µs", 0.0, 1e9, low_inclusive=low_inclusive, scalar=True)

    n_sock, n_drv = count("socket_accesses", socket_accesses), count("driver_crossings", driver_crossings)
    srv, ker = time_us("server_socket_us", server_socket_us), time_us("kernel_socket_us", kernel_socket_us)
    wr, pf = time_us("driver_write_us", driver_write_us), time_us("packet_filter_us", packet_filter_us)
    measured = time_us("measured_us", measured_us, low_inclusive=False)
    kernel = time_us("in_kernel_us", in_kernel_us, low_inclusive=False)
    user = time_us("user_level_us", user_level_us, low_inclusive=False)
    # protocol_boundary_cost_us, on values validated above under this function's names
    sockets = n_sock * (srv - ker)
    driver = n_drv * (wr + pf)
    return UdpBudget(kernel, sockets, driver, measured, user)
