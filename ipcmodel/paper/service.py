"""The cited device times the service explorers and exercises offer (notebooks 00 and 05).

Part of :mod:`ipcmodel.paper` (import from there).
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel import units
from ipcmodel.formatting import format_us
from ipcmodel.paper._base import fact

__all__ = [
    "Device",
    "cited_devices",
    "section2_devices",
    "UNNUMBERED_DEVICES",
    "CrossingCase",
    "crossing_cases",
]


@dataclass(frozen=True)
class Device:
    """A service time (µs) with its source, for device dropdowns."""

    name: str
    device_us: float
    cite: str
    year: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({format_us(self.device_us)})"


_DEVICE_FACTS = {"mb92-udp-rtt-mach25": "Ethernet UDP round trip, Mach 2.5, DECstation 2100 (protocol software + wire, user to user)"}
_SERIES_NAMES = {"network": "Network round trip", "ssd": "SSD read", "disk": "Disk access"}
_TO_US = {"us": float, "µs": float, "ms": units.ms_to_us, "ns": units.ns_to_us,
          "s": lambda v: units.ms_to_us(v * 1000.0)}

#: §2's comparators with no number in any source here (said so in the explorers' notes).
UNNUMBERED_DEVICES = ("a disk track seek (§2 names it; no source here gives a 1992 time, so "
                      "no number is offered)",)


def _fact_us(fid: str) -> tuple[float, float | None]:
    f = fact(fid)
    if f.unit not in _TO_US:
        raise ValueError(f"a device time must be in us, ms, ns or s; got unit {f.unit!r} ({fid})")
    hi = None if f.value_high is None else float(_TO_US[f.unit](f.value_high))
    return float(_TO_US[f.unit](f.value)), hi


def section2_devices() -> list[Device]:
    """§2's comparators that data/ gives a number for, 1992, each with its source.

    * the Ethernet UDP round trip (Maeda & Bershad 1992, Table 1: 4.8 ms);
    * a 512-byte read from the buffer cache on the DS5000/200, estimated by the copy alone with
      the source not in the cache (:func:`ipcmodel.paper.ds5000_copy_us`; the in-cache figure is
      named in its citation). Not a clean bound of the read: it leaves out the system call and
      the lookup (which add) and assumes cold source lines (which may subtract);
    * 512 bytes on the 10 Mb/s Ethernet wire (:func:`ipcmodel.paper.wire_time_512_us`);
    * §2's "several hundred microseconds" of network latency (b92-network-latency): the low
      and the high end of the span the words allow (200 and 900 µs).

    The disk track seek has no number here (:data:`UNNUMBERED_DEVICES`).
    """
    from ipcmodel.paper.transfer import ds5000_copy_estimate, ds5000_copy_us
    from ipcmodel.paper.trends import wire_time_512_us

    devices = [Device(f"{name}, {fact(fid).year}", _fact_us(fid)[0], fact(fid).cite(), fact(fid).year)
               for fid, name in _DEVICE_FACTS.items()]
    block, rate, est = fact("b92-buffer-copy-block"), fact("mb92-ethernet-rate"), ds5000_copy_estimate()
    copy_cites = " ".join(dict.fromkeys([block.cite(), *(fact(i).cite() for i in est.from_ids)]))
    devices.append(Device(
        f"{block.value:g}-byte read from the buffer cache, DS5000/200 (copy estimate, source "
        "not in the cache; no system call, no lookup)",
        float(ds5000_copy_us(block.value)),
        f"[computed: the copy alone at {est.mb_per_s:.3g} MB/s, a read miss every "
        f"{est.fetch_bytes:g} bytes; with the source in the cache the same model gives "
        f"{float(ds5000_copy_us(block.value, source_in_cache=True)):.3g} µs; neither is a bound "
        f"of the read] {copy_cites}",
        block.year))
    devices.append(Device(f"{block.value:g} bytes on the {rate.value:g} Mb/s Ethernet wire",
                          float(wire_time_512_us()),
                          f"[computed: 8 x bytes / rate] {block.cite()} {rate.cite()}", rate.year))
    lat = fact("b92-network-latency")
    lo, hi = _fact_us(lat.id)
    for end, us in (("low", lo), ("high", hi)):
        if us is not None:
            devices.append(Device(f"Network latency, §2's 'several hundred µs' ({end} end, the "
                                  "paper's words)", us, lat.cite(), lat.year))
    return devices


def cited_devices() -> tuple[list[Device], list[str]]:
    """Device times from ``data/facts.csv`` and, when available, ``data/history.csv``.

    §2's comparators first (:func:`section2_devices`, the 1992 Ethernet UDP round trip of
    Maeda & Bershad, Table 1, at the head); then the rows of the ``network``, ``ssd`` and
    ``disk`` series of :func:`ipcmodel.history.history_rows`, as round trips in µs
    (:func:`ipcmodel.history.round_trip_us`).

    Returns
    -------
    (devices, notes)
        ``notes`` is empty, or says why the list holds the facts.csv devices only.
    """
    devices = section2_devices()
    try:
        from ipcmodel import history

        extra = [Device(f"{_SERIES_NAMES[s]}: {r.machine}, {r.year}", float(history.round_trip_us(r).value),
                        r.cite(), r.year)
                 for s in _SERIES_NAMES for r in history.history_rows(s) if r.id not in _DEVICE_FACTS]
    except Exception as exc:  # optional source: fall back to facts.csv, and say so
        return devices, [f"Devices: data/facts.csv only; data/history.csv could not be used ({exc})."]
    return devices + extra, []


# ---- crossings per service use: the paper's cases ----------------------------------------------

@dataclass(frozen=True)
class CrossingCase:
    """A service use as the papers count it: crossings per use and the cost of one crossing.

    ``ipc_us`` and ``syscall_us`` are per crossing (µs); when a case mixes crossings of different
    costs they are the means over its crossings, so ``crossings_per_use × (ipc_us - syscall_us)``
    is the case's own added time. ``service_us`` is None when the case names no service time.
    """

    name: str
    crossings_per_use: float
    ipc_us: float
    syscall_us: float
    machine: str
    source: str
    how: str
    service_us: float | None = None

    @property
    def added_us(self) -> float:
        """What the microkernel adds per use (µs): ``crossings_per_use × (ipc_us - syscall_us)``."""
        return self.crossings_per_use * (self.ipc_us - self.syscall_us)


def crossing_cases() -> list[CrossingCase]:
    """The paper's and its companion's service uses, with their crossings per use.

    * one RPC per use: §2's DS5000/200 (b92-rpc-ds5000, b92-syscall-ds5000);
    * §5's emulation library: 2 calls of 3 answered without an RPC (b92-emulation-calls-local,
      -total), so 1/3 crossing per call, at the DS5000/200's costs;
    * Maeda & Bershad (1992) §2.2's UDP round trip: 4 socket accesses (490 µs through the Unix
      server, 60 µs in a kernel) and, for each of the round trip's 2 packets, a driver write
      (200 µs) and a packet-filter receive (300 µs), none in a kernel: 8 crossings whose mean
      costs reproduce their ``4 × (490 - 60) + 2 × 500`` µs. The service's
      own time is the in-kernel round trip (Table 1, 4.8 ms) less its four socket system calls.
    """
    from ipcmodel.paper.firewall import emulation_local_fraction, udp_budget, udp_budget_inputs

    rpc, sc = fact("b92-rpc-ds5000"), fact("b92-syscall-ds5000")
    local = emulation_local_fraction()
    cases = [
        CrossingCase("one RPC per use (§2, DS5000/200)", 1.0, rpc.value, sc.value, "ds5000",
                     f"{rpc.cite()}; {sc.cite()}", "one round-trip RPC against one system call"),
        CrossingCase("emulation library, 1 call in 3 forwarded (§5)", 1.0 - local, rpc.value, sc.value,
                     "ds5000", f"{fact('b92-emulation-calls-local').cite()}; {rpc.cite()}; {sc.cite()}",
                     f"{fact('b92-emulation-calls-local').value:g} of "
                     f"{fact('b92-emulation-calls-total').value:g} calls need no RPC: "
                     f"{1.0 - local:.3g} crossing per call"),
    ]
    u, b = udp_budget_inputs(), udp_budget()
    n_sock, n_pkt = u["socket_accesses"], u["driver_crossings"]  # "2 * 500": 2 packets, each
    per_driver = u["driver_write_us"] + u["packet_filter_us"]     # one write + one receive
    n_drv = 2 * n_pkt
    n = n_sock + n_drv
    mb_cite = fact("mb92-socket-accesses-per-rtt").cite()
    cases.append(CrossingCase(
        "UDP round trip via the Unix server (Maeda & Bershad §2.2)", n,
        (n_sock * u["server_socket_us"] + n_pkt * per_driver) / n, n_sock * u["kernel_socket_us"] / n,
        "ds2100", f"{mb_cite}; {fact('mb92-udp-rtt-mach25').cite()}",
        f"{n_sock:g} socket accesses ({u['server_socket_us']:g} µs via the Unix server, "
        f"{u['kernel_socket_us']:g} µs in a kernel) + {n_pkt:g} packets × (a driver write, "
        f"{u['driver_write_us']:g} µs, and a packet-filter receive, {u['packet_filter_us']:g} µs; "
        "none in a kernel): "
        f"{b.sockets_us + b.driver_us:g} µs added per round trip",
        service_us=b.in_kernel_us - n_sock * u["kernel_socket_us"]))
    return cases
