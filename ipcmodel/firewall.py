"""§5: all services do not need a hardware firewall.

Three ways the paper moves work out of protected domains: a clock mapped into user space,
network protocols run in the application's address space, and a client-side emulation library
that answers some calls itself (Mach's Unix emulation; "two out of three system calls ...
without an RPC" in the multiserver benchmarks).
"""

from __future__ import annotations

import numpy as np

from ipcmodel import units

__all__ = [
    "effective_cost_us",
    "calls_per_rpc",
    "mapped_clock_speedup",
    "protocol_boundary_cost_us",
    "boundary_share",
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
