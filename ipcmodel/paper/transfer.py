"""§4: the DECstation 5000/200's copy bandwidth (estimated from its memory system), its page and the
mapped-socket observations.

Part of :mod:`ipcmodel.paper` (import from there).
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel import service, transfer, units
from ipcmodel.paper._base import fact
from ipcmodel.paper._base import v as _v

__all__ = [
    "CopyEstimate",
    "ds5000_copy_estimate",
    "ds5000_copy_us",
    "ds5000_read_ipc_share_cap",
    "ds5000_page_bytes",
    "mapped_socket_observations",
    "mapped_socket_calibration",
    "mapped_socket_fixed_us",
    "mb92_remap_anchor_us",
    "remap_fixed_cost_crossover_bytes",
]


_COPY_IDS = ("cb93-dcache-read-miss-ds5000", "cb93-dcache-fetch-ds5000",
             "cb93-write-page-mode-ds5000", "b92-clock-ds5000")


@dataclass(frozen=True)
class CopyEstimate:
    """A copy bandwidth estimated from a memory system (not measured).

    Attributes: ``cycles_per_byte`` (cycles), ``clock_mhz`` (MHz), ``mb_per_s`` (MB/s = bytes
    per µs), ``from_ids`` (the facts it is computed from) and the parts of the sum:
    ``read_miss_cycles`` per ``fetch_bytes`` fetched, ``write_cycles`` per word,
    ``instructions_per_word`` (a load and a store, one cycle each: the model's assumption) and
    ``word_bytes``; ``source_in_cache`` says whether the source lines were taken to be in the
    data cache already (then ``read_miss_cycles`` is 0) or to miss, one read miss per line.
    """

    cycles_per_byte: float
    clock_mhz: float
    mb_per_s: float
    from_ids: tuple[str, ...]
    read_miss_cycles: float = float("nan")
    fetch_bytes: float = float("nan")
    write_cycles: float = float("nan")
    instructions_per_word: float = 2.0
    word_bytes: float = 4.0
    source_in_cache: bool = False

    def breakdown(self) -> str:
        """The sum behind :attr:`cycles_per_byte`, term by term, as text."""
        read = self.read_miss_cycles / self.fetch_bytes
        word = (self.write_cycles + self.instructions_per_word) / self.word_bytes
        return (f"cycles per byte = read miss / bytes fetched + (write + instructions) / bytes per word\n"
                f"                = {self.read_miss_cycles:g}/{self.fetch_bytes:g} + "
                f"({self.write_cycles:g} + {self.instructions_per_word:g})/{self.word_bytes:g}"
                f" = {read:g} + {word:g} = {self.cycles_per_byte:g}\n"
                f"bandwidth       = {self.clock_mhz:g} MHz / {self.cycles_per_byte:g} cycles per byte"
                f" = {self.mb_per_s:.3g} MB/s")

    def __str__(self) -> str:
        cites = ", ".join(dict.fromkeys(fact(i).cite() for i in self.from_ids))
        where = "in the cache" if self.source_in_cache else "not in the cache"
        return (f"copy bandwidth ≈ {self.mb_per_s:.3g} MB/s = {self.clock_mhz:g} MHz / "
                f"{self.cycles_per_byte:g} cycles per byte (an estimate from the memory system, "
                f"not a measurement, with the source {where}; from {cites})")


def ds5000_copy_estimate(source_in_cache: bool = False) -> CopyEstimate:
    """The DECstation 5000/200's copy bandwidth, estimated from its memory system.

    :func:`ipcmodel.transfer.copy_cycles_per_byte` with Chen & Bershad (1993) Table 2-1 (a
    15-cycle read miss fetches 16 bytes; page-mode writes take 1 cycle) and two one-cycle
    instructions (a load and a store) per 4-byte word, then
    :func:`ipcmodel.transfer.copy_bandwidth_mb_per_s` at the 25 MHz clock of Bershad (1992) §2.

    By default the source is **not in the cache**: every 16 source bytes cost a read miss
    (1.6875 cycles per byte, 14.8 MB/s). With ``source_in_cache=True`` the same model drops the
    read misses (0.75 cycles per byte, 33.3 MB/s). Either way it ignores write-buffer stalls and
    loop overhead: an estimate, not a measurement.
    """
    miss, fetch, write, clock = (_v(i) for i in _COPY_IDS)
    if source_in_cache:
        miss = 0.0
    word, ins = 4.0, 2.0
    cpb = transfer.copy_cycles_per_byte(miss, fetch, write, word_bytes=word, instructions_per_word=ins)
    return CopyEstimate(float(cpb), clock, float(transfer.copy_bandwidth_mb_per_s(cpb, clock)),
                        _COPY_IDS, float(miss), float(fetch), float(write), ins, word,
                        bool(source_in_cache))


def ds5000_copy_us(message_bytes, source_in_cache: bool = False):
    """Estimated time (µs) to copy ``message_bytes`` once on a DECstation 5000/200: the copy
    alone (no system call, no lookup).

    :func:`ipcmodel.transfer.copy_us` at the bandwidth of :func:`ds5000_copy_estimate`; the
    source is not in the cache unless ``source_in_cache`` (512 bytes: 34.6 µs, or 15.4 µs).
    """
    return transfer.copy_us(message_bytes, ds5000_copy_estimate(source_in_cache).mb_per_s)


def ds5000_read_ipc_share_cap(source_in_cache: bool = False) -> float:
    """§2: the IPC's share of a 512-byte buffer-cache read on the DS5000/200 if the read were the
    copy alone (dimensionless).

    :func:`ipcmodel.service.ipc_overhead_fraction` with the 57 µs RPC, the 8 µs system call and
    :func:`ds5000_copy_us` of the block as the service: gap / (gap + system call + copy), 49 /
    (49 + 8 + 34.6) = 0.535 with the source not in the cache, 49 / (49 + 8 + 15.4) = 0.677 with
    it in the cache. A real read also looks the block up, which lowers the share: only roughly a
    ceiling (the copy itself is an estimate), and it cannot say the IPC is large next to the read.
    """
    block = _v("b92-buffer-copy-block")
    return float(service.ipc_overhead_fraction(_v("b92-rpc-ds5000"), _v("b92-syscall-ds5000"),
                                               ds5000_copy_us(block, source_in_cache)))


def ds5000_page_bytes() -> float:
    """The DECstation 5000/200's page size in bytes (Chen & Bershad 1993, Table 2-1: 4 KB)."""
    return float(units.kb_to_bytes(_v("cb93-page-size-ds5000")))


def mapped_socket_observations() -> tuple[float, float, float]:
    """§4's two observations: ``(no_gain_below_bytes, gain_fraction, gain_at_bytes)``.

    No gain below about 100 bytes; sends 15% faster at 4 KB (facts
    b92-mapped-socket-no-gain-below, b92-mapped-socket-gain, b92-mapped-socket-packet).
    """
    return (_v("b92-mapped-socket-no-gain-below"), _v("b92-mapped-socket-gain") / 100.0,
            float(units.kb_to_bytes(_v("b92-mapped-socket-packet"))))


def mapped_socket_calibration() -> transfer.MappedSocketCalibration:
    """:func:`ipcmodel.transfer.calibrate_mapped_socket` fed with :func:`mapped_socket_observations`."""
    return transfer.calibrate_mapped_socket(*mapped_socket_observations())


def mapped_socket_fixed_us() -> float:
    """§4: the fixed cost of a regular socket send that the two observations imply in the
    one-copy-saved model, at the bandwidth of :func:`ds5000_copy_estimate` (µs)."""
    return mapped_socket_calibration().fixed_us(ds5000_copy_estimate().mb_per_s)


def mb92_remap_anchor_us(by_clock: bool = False) -> float:
    """Half the UDP round-trip gain of sending outbound packets in-band instead of remapped
    (µs per one-page send), Maeda & Bershad 1992: Table 1's Unix server (IPC, VM) minus Table 2's
    first row (IPC, no VM, an experimental UX29), two sends per round trip, on a 12 MHz
    DECstation 2100. Not a per-page cost of the DECstation 5000/200: an upper-end anchor for a
    whole one-page send (the transfer's fixed VM work plus one page). ``by_clock``: scaled to the
    DECstation 5000/200's clock (12 / 25 MHz: 1248 µs)."""
    gain_ms = fact("mb92-udp-rtt-unix-server").value - fact("mb92-udp-rtt-ipc-novm").value
    anchor_us = float(units.ms_to_us(gain_ms)) / 2
    if by_clock:  # the same cycles at the DS5000/200's clock, as emulation_library_ds5000_us does
        cycles = units.us_to_cycles(anchor_us, _v("mb92-clock-ds2100"))
        anchor_us = float(units.cycles_to_us(cycles, _v("b92-clock-ds5000")))
    return anchor_us


def remap_fixed_cost_crossover_bytes(fixed_us=None):
    """The size (bytes) above which remapping beats the one-copy shared buffer on the DECstation
    5000/200 when remapping costs ``fixed_us`` per transfer and nothing per page, with the same
    call or notification cost on both sides: ``fixed_us`` x the copy bandwidth
    (:func:`ds5000_copy_estimate`, bytes per µs). Default ``fixed_us``: the whole
    :func:`mb92_remap_anchor_us` scaled by clock to the DECstation 5000/200 (1248 µs: about
    18.5 KB), the reading opposite to charging all of it per page."""
    if fixed_us is None:
        fixed_us = mb92_remap_anchor_us(by_clock=True)
    fixed_us = units.check("fixed_us", fixed_us, "µs", 0.0, 1e9)
    # the shared buffer's extra over the common notification is its copy; remapping's, fixed_us
    per_byte_us = transfer.copy_us(1.0, ds5000_copy_estimate().mb_per_s)
    return transfer.crossover_bytes(0.0, per_byte_us, fixed_us, 0.0)
