"""§5: client-side emulation, the mapped clock and the UDP budget of Maeda & Bershad (1992), from
the published numbers.

Part of :mod:`ipcmodel.paper` (import from there).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ipcmodel import firewall, units
from ipcmodel.formatting import format_us
from ipcmodel.paper._base import fact
from ipcmodel.paper._base import v as _v

__all__ = [
    "emulation_local_fraction",
    "emulation_library_ds5000_us",
    "emulation_costs_ds5000_us",
    "emulation_call_ds5000_us",
    "emulation_call_ds5000_range_us",
    "spl_per_round_trip_us",
    "ClockComparison",
    "clock_read_comparison",
    "clock_read_on_a_miss",
    "socket_access_from_parts_us",
    "socket_access_unexplained_us",
    "ipc_round_trip_from_parts_us",
    "udp_budget_inputs",
    "udp_budget",
    "MeasuredUdpRow",
    "measured_unix_server_rows",
    "measured_unix_server_options",
    "udp_rtt_vs_kernel",
    "udp_share_explained",
    "table1_boundaries_share",
    "user_level_udp_rpc_ms",
    "user_level_udp_rpc_share",
    "user_level_udp_spread_ms",
    "client_rpcs_predicted_ms",
]


def emulation_local_fraction() -> float:
    """§5: "two out of three system calls ... without an RPC", as a fraction (facts
    b92-emulation-calls-local, b92-emulation-calls-total)."""
    return _v("b92-emulation-calls-local") / _v("b92-emulation-calls-total")


#: The rules :func:`emulation_library_ds5000_us` can scale the DS2100's library pass by.
_LIBRARY_RULES = ("clock", "rpc")


def emulation_library_ds5000_us(rule: str = "clock") -> float:
    """Maeda & Bershad's pass through the emulation library (280 µs on the DECstation 2100,
    fact mb92-emulation-library) carried to the DECstation 5000/200 (µs).

    ``rule="clock"`` (the one we use): the same cycles at the faster clock, 280 µs × 12 MHz =
    3360 cycles, at 25 MHz = 134.4 µs (facts mb92-clock-ds2100, b92-clock-ds5000). The library
    is user-level code on the processor, so the clock is the machine-level ratio that applies to
    it; if part of the pass waits on memory, which did not speed up with the clock, the real
    pass is longer and this value low. ``rule="rpc"``: by the ratio of the two machines' RPCs
    (140 µs, mb92-rpc-part; 57 µs, b92-rpc-ds5000): 114 µs. That ratio also carries the kernel
    IPC tuning between the two Mach kernels, which the library did not get; shown for
    comparison only.
    """
    lib = _v("mb92-emulation-library")
    if rule == "clock":
        cycles = units.us_to_cycles(lib, _v("mb92-clock-ds2100"))
        return float(units.cycles_to_us(cycles, _v("b92-clock-ds5000")))
    if rule == "rpc":
        return lib * _v("b92-rpc-ds5000") / _v("mb92-rpc-part")
    raise ValueError(f"rule must be one of {_LIBRARY_RULES}; got {rule!r}")


def emulation_costs_ds5000_us(library: bool = False) -> dict:
    """§5 on the DS5000/200: :func:`ipcmodel.firewall.emulation_costs_us` with its 57 µs RPC and
    8 µs system call: ``{"local_us": 8, "remote_us": 65}`` (µs). With ``library=True``, a
    forwarded call also pays :func:`emulation_library_ds5000_us` (134.4 µs, clock rule); a local
    call is charged nothing for the library (its cost is unmeasured; see
    :func:`emulation_call_ds5000_range_us`)."""
    lib = emulation_library_ds5000_us() if library else 0.0
    return firewall.emulation_costs_us(_v("b92-rpc-ds5000"), _v("b92-syscall-ds5000"), lib)


def emulation_call_ds5000_us(library: bool = False) -> float:
    """§5 on the DS5000/200: the average call with :func:`emulation_local_fraction` answered in the
    library (µs): :func:`ipcmodel.firewall.effective_cost_us` of :func:`emulation_costs_ds5000_us`:
    8 + 57 / 3 = 27, or 8 + (134.4 + 57) / 3 = 71.8 with ``library=True``."""
    c = emulation_costs_ds5000_us(library)
    return float(firewall.effective_cost_us(emulation_local_fraction(), c["local_us"], c["remote_us"]))


def emulation_call_ds5000_range_us() -> tuple:
    """§5 on the DS5000/200 with the library's forwarding pass (µs), from a locally answered call
    that costs the library nothing to one charged the whole scaled pass: ``(71.8, 161.4)``. What
    the library spends on a call it answers itself was never measured."""
    lib = emulation_library_ds5000_us()
    hi = firewall.emulation_costs_us(_v("b92-rpc-ds5000"), _v("b92-syscall-ds5000"), lib, lib)
    high = firewall.effective_cost_us(emulation_local_fraction(), hi["local_us"], hi["remote_us"])
    return (emulation_call_ds5000_us(True), float(high))


def spl_per_round_trip_us() -> float:
    """Maeda & Bershad (1992) §2.3: about 50 emulated ``spl`` calls per UDP round trip at about
    12 µs each (facts mb92-spl-per-rtt, mb92-spl-cost), in µs."""
    return _v("mb92-spl-per-rtt") * _v("mb92-spl-cost")


@dataclass(frozen=True)
class ClockComparison:
    """A trapping and a mapped clock read on one machine, in our model (µs)."""

    machine: str
    trap_us: float
    mapped_us: float
    load_cycles: float
    clock_mhz: float
    load_basis: str = "our assumption"  #: where the mapped read's cycles come from

    @property
    def speedup(self) -> float:
        """:func:`ipcmodel.firewall.mapped_clock_speedup` (×)."""
        return float(firewall.mapped_clock_speedup(self.trap_us, self.mapped_us))

    def __str__(self) -> str:
        return (f"{self.machine}: trapping read ≈ one system call = {format_us(self.trap_us)} "
                f"{fact('b92-syscall-ds5000').cite()}; mapped read ≈ {self.load_cycles:g} cycle(s) "
                f"at {self.clock_mhz:g} MHz = {format_us(self.mapped_us)} ({self.load_basis}); "
                f"the mapped read is {self.speedup:.3g}× faster")


def clock_read_comparison(load_cycles: float = 1.0) -> ClockComparison:
    """§5's mapped clock on the DECstation 5000/200, in our model.

    Trap: the system call of §2.1 (b92-syscall-ds5000). Mapped:
    :func:`ipcmodel.firewall.mapped_clock_us` of ``load_cycles`` cycles at the 25 MHz clock
    (b92-clock-ds5000). No 1992 source gives either clock-read time; the model's assumption is
    stated with every result.
    """
    sc, clk = _v("b92-syscall-ds5000"), _v("b92-clock-ds5000")
    load_cycles = units.check("load_cycles", load_cycles, "cycles", 0.0, 1e6, low_inclusive=False,
                              scalar=True)
    return ClockComparison("DECstation 5000/200", sc, float(firewall.mapped_clock_us(load_cycles, clk)),
                           load_cycles, clk)


def clock_read_on_a_miss() -> ClockComparison:
    """The mapped clock read of :func:`clock_read_comparison` when the clock's line is not in the
    cache: one cycle for the load plus the DECstation 5000/200's miss penalty (15 cycles,
    cb93-miss-penalty-ds5000: Chen & Bershad 1993, Table 2-1). The trap stays §2.1's warm system
    call, so a cold trap would only widen the gap."""
    miss = fact("cb93-miss-penalty-ds5000")
    c = clock_read_comparison(1.0 + miss.value)
    return replace(c, load_basis=f"one cycle + a {miss.value:g}-cycle miss {miss.cite()}")


#: udp_budget's parameters and the Maeda & Bershad (1992) facts that give their published values.
_MB92 = {"socket_accesses": "mb92-socket-accesses-per-rtt", "server_socket_us": "mb92-socket-unix-server",
         "kernel_socket_us": "mb92-socket-in-kernel", "driver_crossings": "mb92-driver-crossings-per-rtt",
         "driver_write_us": "mb92-driver-write", "packet_filter_us": "mb92-packet-filter-receive"}


def socket_access_from_parts_us() -> float:
    """Maeda & Bershad (1992) §2.2: a socket access through the Unix server as the sum of its
    printed parts, 280 µs of emulation library + 180 µs of IPC round trip = 460 µs (µs; the
    paper prints 490). Facts mb92-emulation-library, mb92-ipc-round-trip."""
    return _v("mb92-emulation-library") + _v("mb92-ipc-round-trip")


def socket_access_unexplained_us() -> float:
    """Maeda & Bershad (1992) §2.2: the printed socket access (about 490 µs) minus the sum of its
    listed parts (:func:`socket_access_from_parts_us`, 460 µs): 30 µs the paper does not explain (µs).
    Fact mb92-socket-unix-server."""
    return _v("mb92-socket-unix-server") - socket_access_from_parts_us()


def ipc_round_trip_from_parts_us() -> float:
    """Maeda & Bershad (1992) §2.2: the IPC round trip as 140 µs of RPC + 40 µs of stub code
    = 180 µs (µs). Facts mb92-rpc-part, mb92-stub-part."""
    return _v("mb92-rpc-part") + _v("mb92-stub-part")


def udp_budget_inputs() -> dict:
    """The six published inputs of :func:`udp_budget`, by parameter name (Maeda & Bershad 1992,
    §2.2): counts, and per-crossing times in µs."""
    return {k: _v(fid) for k, fid in _MB92.items()}


def udp_budget(socket_accesses=None, server_socket_us=None, kernel_socket_us=None,
               driver_crossings=None, driver_write_us=None, packet_filter_us=None,
               measured_us=None) -> firewall.UdpBudget:
    """Maeda & Bershad (1992) §2.2: :func:`ipcmodel.firewall.udp_budget`, any input left out (None)
    taking its published value.

    Counts and per-crossing times default to §2.2 (4 socket accesses at 490 µs via the Unix
    server against 60 µs in a kernel; per packet (2 a round trip) a driver write of 200 µs and a packet-filter receive of 300 µs); ``measured_us`` to
    Table 1's Unix server (19.5 ms); the in-kernel (4.8 ms, Table 1) and user-level (4.2 ms,
    Table 3) round trips always come from ``data/``. ``udp_budget()`` is the published budget.
    """
    given = {"socket_accesses": socket_accesses, "server_socket_us": server_socket_us,
             "kernel_socket_us": kernel_socket_us, "driver_crossings": driver_crossings,
             "driver_write_us": driver_write_us, "packet_filter_us": packet_filter_us}
    published = udp_budget_inputs()
    args = {k: (published[k] if val is None else val) for k, val in given.items()}
    if measured_us is None:
        measured_us = units.ms_to_us(_v("mb92-udp-rtt-unix-server"))
    return firewall.udp_budget(**args, measured_us=measured_us,
                               in_kernel_us=units.ms_to_us(_v("mb92-udp-rtt-mach25")),
                               user_level_us=units.ms_to_us(_v("mb92-udp-rtt-user-level")))


_MEASURED_IDS = ("mb92-udp-rtt-unix-server", "mb92-udp-rtt-ipc-novm", "mb92-udp-rtt-syscall",
                 "mb92-udp-rtt-mapped-driver")


#: How each measured configuration reaches the Ethernet driver (the row names of Maeda & Bershad
#: 1992, Tables 1-2): by IPC to the in-kernel driver, by the system call the published budget
#: prices, or not at all (the protocol server drives the device itself: a mapped driver).
_DRIVER_PATH = {"mb92-udp-rtt-unix-server": "ipc", "mb92-udp-rtt-ipc-novm": "ipc",
                "mb92-udp-rtt-syscall": "syscall", "mb92-udp-rtt-mapped-driver": "mapped"}


@dataclass(frozen=True)
class MeasuredUdpRow:
    """One measured Mach 3.0 Unix-server UDP round trip (Maeda & Bershad 1992, Tables 1-2).

    Attributes
    ----------
    fact_id : str
        The row in ``data/facts.csv``.
    label : str
        The row's name, value (ms) and table, as shown in a menu.
    round_trip_us : float
        The measured round trip (µs).
    driver_path : str
        ``"ipc"``, ``"syscall"`` (the path the published crossing budget prices) or ``"mapped"``
        (no driver crossing).
    """

    fact_id: str
    label: str
    round_trip_us: float
    driver_path: str


def measured_unix_server_rows() -> tuple[MeasuredUdpRow, ...]:
    """The measured Mach 3.0 Unix-server rows (Tables 1, 2), each with its fact id and the way
    it reaches the driver (:class:`MeasuredUdpRow`)."""
    out = []
    for fid in _MEASURED_IDS:
        f = fact(fid)
        name = f.quote.rsplit(" ", 1)[0]
        out.append(MeasuredUdpRow(fid, f"{name}: {f.value:g} ms [{f.locator.split(',')[0]}]",
                                  float(units.ms_to_us(f.value)), _DRIVER_PATH[fid]))
    return tuple(out)


def measured_unix_server_options() -> tuple:
    """``((label, round trip µs), ...)`` for the measured Mach 3.0 Unix-server rows (Tables 1, 2):
    :func:`measured_unix_server_rows` as a menu's choices."""
    return tuple((r.label, r.round_trip_us) for r in measured_unix_server_rows())


def udp_rtt_vs_kernel(fact_id: str) -> float:
    """A measured UDP round trip (fact ``fact_id``, e.g. mb92-udp-rtt-mapped-driver) over the
    in-kernel one (mb92-udp-rtt-mach25, 4.8 ms): how many times slower (×)."""
    return _v(fact_id) / _v("mb92-udp-rtt-mach25")


def udp_share_explained(fact_id: str = "mb92-udp-rtt-unix-server") -> float:
    """The share (fraction) of a measured Unix-server UDP round trip's slowdown over the in-kernel one
    that the published crossing budget explains (:func:`udp_budget`, measured = fact ``fact_id``):
    Table 1's server 2.72 / 14.7 ≈ 0.185; Table 2's "syscall" row, whose driver path the budget
    prices, 2.72 / 8.8 ≈ 0.309."""
    return udp_budget(measured_us=units.ms_to_us(_v(fact_id))).share_explained


def table1_boundaries_share() -> float:
    """What share (fraction) of Table 1's slowdown the Unix server's boundaries could cost once its
    remapped IPC driver path is counted: the budget's crossings (:func:`udp_budget`, 2.72 ms) plus
    the whole step from Table 1 to Table 2's "syscall" row (19.5 - 13.6 = 5.9 ms), over Table 1's
    slowdown (14.7 ms): about 0.59. An upper estimate: the rows also differ in the server version
    (UX29), and the budget's driver term is itself an upper bound."""
    b = udp_budget()
    step_us = units.ms_to_us(_v("mb92-udp-rtt-unix-server") - _v("mb92-udp-rtt-syscall"))
    return (b.crossings_us + step_us) / b.slowdown_us


def user_level_udp_rpc_ms() -> float:
    """Maeda & Bershad (1992) Table 3: what the clients' RPCs add to the user-level UDP round trip
    (ms): user-level (4.2 ms) minus server-to-server (4.0 ms)."""
    return _v("mb92-udp-rtt-user-level") - _v("mb92-udp-rtt-server-to-server")


def user_level_udp_rpc_share() -> float:
    """:func:`user_level_udp_rpc_ms` as a fraction of the user-level round trip: 0.2 / 4.2 ≈ 0.05."""
    return user_level_udp_rpc_ms() / _v("mb92-udp-rtt-user-level")


def user_level_udp_spread_ms() -> tuple:
    """Maeda & Bershad (1992) §2: run-to-run variance of "between 5 and 10 percent of the mean"
    (fact mb92-udp-variance), in ms at the user-level round trip (4.2 ms, Table 3): ``(0.21, 0.42)``.
    A spread between trials, not the uncertainty of the mean."""
    var, rtt = fact("mb92-udp-variance"), _v("mb92-udp-rtt-user-level")
    return (var.value / 100.0 * rtt, var.value_high / 100.0 * rtt)


def client_rpcs_predicted_ms() -> tuple:
    """What Maeda & Bershad's own figures predict the clients' RPCs add to a user-level UDP round
    trip (ms): 4 socket accesses (mb92-socket-accesses-per-rtt), each one client RPC of 140 µs
    (bare, mb92-rpc-part) to 180 µs (with stubs, mb92-ipc-round-trip): ``(0.56, 0.72)``.
    That one socket access is one RPC is our reading of Table 3's setup."""
    n = _v("mb92-socket-accesses-per-rtt")
    return (float(units.us_to_ms(n * _v("mb92-rpc-part"))),
            float(units.us_to_ms(n * _v("mb92-ipc-round-trip"))))
