"""§4: all data does not need to be marshalled through the kernel.

Three ways to move a message of ``message_bytes`` from a client to a server:

* **kernel copy**: the message is copied into the kernel and out again (2 copies) plus a
  fixed cost per message (the crossing);
* **shared buffer** (co-mapped region): the client deposits the data once (1 copy); the
  notification is the fixed cost;
* **remap**: virtual-memory primitives move whole pages (0 copies) at a cost per page plus a
  fixed cost.

Times are linear in the size, so the crossovers have closed forms. The module also holds the
mapped-socket calibration (§4: no gain below about 100 bytes, 15% faster at 4 KB on a
DECstation 5000/200), a copy-bandwidth estimate from the DECstation 5000/200's memory system
(Chen & Bershad 1993, Table 2-1), and the X11 flush-batching simulation (§4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ipcmodel import units

__all__ = [
    "copy_cycles_per_byte",
    "copy_bandwidth_mb_per_s",
    "copy_us",
    "kernel_copy_us",
    "shared_buffer_us",
    "remap_us",
    "crossover_bytes",
    "MappedSocketCalibration",
    "calibrate_mapped_socket",
    "FlushResult",
    "simulate_x11_flushes",
    "X11_POLICIES",
]


_res = units.scalar_or_array  # a float for scalar inputs, the array otherwise


def copy_cycles_per_byte(read_miss_cycles, fetch_bytes, write_cycles_per_word, word_bytes=4,
                         instructions_per_word=2):
    """Cycles to copy one byte of uncached memory, word by word (a memory-system estimate).

    One read miss per ``fetch_bytes`` fetched, one buffered write per word, and
    ``instructions_per_word`` instructions (a load and a store) at one cycle each::

        read_miss_cycles / fetch_bytes + (write_cycles_per_word + instructions_per_word) / word_bytes

    For the DECstation 5000/200 (Chen & Bershad 1993, Table 2-1: 15-cycle read miss fetching
    16 bytes; page-mode writes in 1 cycle) this gives 1.69 cycles per byte. It is an estimate
    (it ignores write-buffer stalls and loop overhead), not a measurement.
    """
    r = units.check_nonnegative("read_miss_cycles", read_miss_cycles, "cycles", 1e6)
    fb = units.check_positive("fetch_bytes", fetch_bytes, "bytes", 1e6)
    w = units.check_nonnegative("write_cycles_per_word", write_cycles_per_word, "cycles", 1e6)
    wb = units.check_positive("word_bytes", word_bytes, "bytes", 1024)
    ins = units.check_nonnegative("instructions_per_word", instructions_per_word, "instructions", 1e3)
    return _res(r / fb + (w + ins) / wb)


def copy_bandwidth_mb_per_s(cycles_per_byte, clock_mhz):
    """Copy bandwidth (MB/s, 10**6 bytes per second = bytes per µs) from cycles per byte and clock."""
    cpb = units.check_positive("cycles_per_byte", cycles_per_byte, "cycles/byte")
    clk = units.check_positive("clock_mhz", clock_mhz, "MHz", 1e6)
    return _res(clk / cpb)


def copy_us(message_bytes, copy_mb_per_s, copies=1):
    """Time (µs) to copy ``message_bytes`` ``copies`` times at ``copy_mb_per_s`` (bytes per µs)."""
    n = units.check_nonnegative("message_bytes", message_bytes, "bytes", 1e12)
    bw = units.check_positive("copy_mb_per_s", copy_mb_per_s, "MB/s", 1e9)
    k = units.check_nonnegative("copies", copies, "copies", 100)
    n, bw, k = units.broadcast_named(message_bytes=n, copy_mb_per_s=bw, copies=k)
    return _res(k * n / bw)


def kernel_copy_us(message_bytes, copy_mb_per_s, fixed_us):
    """Message through the kernel: ``fixed_us`` + two copies (in and out) (µs)."""
    f = units.check_nonnegative("fixed_us", fixed_us, "µs", 1e9)
    return _res(f + np.asarray(copy_us(message_bytes, copy_mb_per_s, 2)))


def shared_buffer_us(message_bytes, copy_mb_per_s, notify_us):
    """Co-mapped buffer: one copy into the shared region + a notification ``notify_us`` (µs)."""
    f = units.check_nonnegative("notify_us", notify_us, "µs", 1e9)
    return _res(f + np.asarray(copy_us(message_bytes, copy_mb_per_s, 1)))


def remap_us(message_bytes, page_bytes, remap_us_per_page, fixed_us):
    """Virtual-memory remapping: ``fixed_us`` + whole pages × ``remap_us_per_page`` (µs)."""
    pages = units.bytes_to_lines(message_bytes, page_bytes)
    r = units.check_nonnegative("remap_us_per_page", remap_us_per_page, "µs/page", 1e9)
    f = units.check_nonnegative("fixed_us", fixed_us, "µs", 1e9)
    pages, r, f = units.broadcast_named(pages=pages, remap_us_per_page=r, fixed_us=f)
    return _res(f + pages * r)


def crossover_bytes(fixed_a_us, per_byte_a_us, fixed_b_us, per_byte_b_us):
    """Size (bytes) above which method B (lower per-byte cost) beats method A.

    Solves ``fixed_a + per_byte_a * n = fixed_b + per_byte_b * n``. Returns ``inf`` when B never
    wins (its per-byte cost is not lower) and 0 when B always wins.
    """
    fa = units.check_nonnegative("fixed_a_us", fixed_a_us, "µs")
    pa = units.check_nonnegative("per_byte_a_us", per_byte_a_us, "µs/byte")
    fb = units.check_nonnegative("fixed_b_us", fixed_b_us, "µs")
    pb = units.check_nonnegative("per_byte_b_us", per_byte_b_us, "µs/byte")
    fa, pa, fb, pb = units.broadcast_named(fixed_a_us=fa, per_byte_a_us=pa, fixed_b_us=fb,
                                           per_byte_b_us=pb)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = (fb - fa) / (pa - pb)
    out = np.where(pa <= pb, np.inf, np.maximum(n, 0.0))
    return _res(out)


@dataclass(frozen=True)
class MappedSocketCalibration:
    """What the two mapped-socket observations imply in a one-copy-saved model (§4).

    ``regular(n) = fixed + 2n``, ``mapped(n) = fixed + setup + n``, in units of the time to
    copy one byte. ``fixed_copies`` and ``setup_copies`` are in bytes-copied equivalents.
    """

    no_gain_below_bytes: float
    gain_fraction: float
    gain_at_bytes: float
    setup_copies: float
    fixed_copies: float

    def fixed_us(self, copy_mb_per_s: float) -> float:
        """The implied fixed cost of a regular send (µs) at a copy bandwidth (MB/s)."""
        return self.fixed_copies / float(units.check_positive("copy_mb_per_s", copy_mb_per_s, "MB/s"))

    def gain(self, message_bytes):
        """Fractional speedup of the mapped send at ``message_bytes`` (may be negative)."""
        n = units.check_nonnegative("message_bytes", message_bytes, "bytes", 1e12)
        reg = self.fixed_copies + 2 * n
        mapped = self.fixed_copies + self.setup_copies + n
        return _res(1.0 - mapped / reg)


def calibrate_mapped_socket(no_gain_below_bytes, gain_fraction, gain_at_bytes):
    """Solve the one-copy-saved model for the two §4 observations.

    The break-even at ``no_gain_below_bytes`` gives ``setup = no_gain_below_bytes`` byte-copies;
    ``mapped = (1 - gain) * regular`` at ``gain_at_bytes`` then gives the fixed cost.
    """
    n0 = float(units.check_positive("no_gain_below_bytes", no_gain_below_bytes, "bytes"))
    g = float(units.check_in_range("gain_fraction", gain_fraction, "fraction", 0, 1,
                                   low_inclusive=False, high_inclusive=False))
    n1 = float(units.check_positive("gain_at_bytes", gain_at_bytes, "bytes"))
    if n1 <= n0:
        raise ValueError(f"gain_at_bytes (bytes) must exceed no_gain_below_bytes ({n0:g}); got {n1:g}")
    setup = n0
    # F + setup + n1 = (1 - g) (F + 2 n1)  =>  g F = 2 n1 (1 - g) - setup - n1
    fixed = (2 * n1 * (1 - g) - setup - n1) / g
    if fixed < 0:
        raise ValueError("no positive fixed cost reproduces these observations in the one-copy model")
    return MappedSocketCalibration(n0, g, n1, setup, fixed)


# ---------------------------------------------------------------------------------------------
# X11 flush batching (§4)

#: The three transports of §4's X11 example.
X11_POLICIES = ("mach-message-per-flush", "socket-coalescing", "shared-buffer")


@dataclass(frozen=True)
class FlushResult:
    """Counts from :func:`simulate_x11_flushes`, totals and per flush."""

    policy: str
    flushes: int
    messages: int
    crossings: int
    server_wakeups: int

    @property
    def messages_per_flush(self) -> float:
        return self.messages / self.flushes

    @property
    def crossings_per_flush(self) -> float:
        return self.crossings / self.flushes

    @property
    def wakeups_per_flush(self) -> float:
        return self.server_wakeups / self.flushes


def simulate_x11_flushes(policy: str, flushes: int, flushes_per_collection: float,
                         seed: int = 0) -> FlushResult:
    """Count messages, user-kernel crossings and server wake-ups for a stream of X11 flushes.

    The client flushes ``flushes`` times; between two collections by the X server, a random
    number of flushes (Poisson, mean ``flushes_per_collection``) accumulate. Per policy:

    * ``mach-message-per-flush``: every flush is a message (1 send crossing); message
      boundaries are kept, so the server receives each one separately (1 receive crossing
      each) and is switched to once per message ("increasing ... context switches", §4).
    * ``socket-coalescing``: every flush is a socket write (1 crossing); the server collects
      everything pending in one read (1 crossing, 1 wake-up per collection).
    * ``shared-buffer``: a flush writes into a co-mapped buffer (no crossing); it sends a
      wake-up IPC only if no earlier wake-up is still waiting to be collected (1 send +
      1 receive per collection), which is how we read §4's "only cause an IPC message to be sent
      if previous IPC messages have not yet been collected" (read literally, the rule is
      reversed; see the notebook).

    Parameters
    ----------
    policy : str
        One of :data:`X11_POLICIES`.
    flushes : int
        Number of client flushes, >= 1.
    flushes_per_collection : float
        Mean flushes between two server collections, >= 1 (1 = the server keeps up).
    seed : int
        Random seed (same seed, same counts).
    """
    if policy not in X11_POLICIES:
        raise ValueError(f"policy must be one of {X11_POLICIES}; got {policy!r}")
    n = int(units.check_count("flushes", flushes, "flushes", 1))
    mean = float(units.check_in_range("flushes_per_collection", flushes_per_collection, "flushes",
                                      1.0, 1e6))
    rng = np.random.default_rng(seed)
    # batch sizes >= 1 with the requested mean: 1 + Poisson(mean - 1)
    sizes = []
    left = n
    while left > 0:
        k = int(min(left, 1 + rng.poisson(mean - 1.0)))
        sizes.append(k)
        left -= k
    sizes = np.asarray(sizes)
    collections = len(sizes)
    if policy == "mach-message-per-flush":
        messages, crossings, wakeups = n, 2 * n, n
    elif policy == "socket-coalescing":
        messages, crossings, wakeups = n, n + collections, collections
    else:
        messages, crossings, wakeups = collections, 2 * collections, collections
    return FlushResult(policy, n, int(messages), int(crossings), int(wakeups))
