"""§4: all data does not need to be marshalled through the kernel.

Three ways to move a message of ``message_bytes`` from a client to a server:

* **kernel copy**: the message is copied into the kernel and out again (2 copies) plus a
  fixed cost per message (the crossing);
* **shared buffer** (co-mapped region): the client deposits the data once (1 copy); the
  notification is the fixed cost;
* **remap**: virtual-memory primitives move whole pages (0 copies) at a cost per page plus a
  fixed cost.

Copy and shared-buffer times are linear in the size, so their crossover has a closed form;
remapping is a staircase (a step per page), and :func:`remap_crossover_bytes` finds its
crossover exactly. The module also holds the mapped-socket calibration (§4: no gain below about
100 bytes, 15% faster at 4 KB on a DECstation 5000/200) and its generalisation to more passes
over the data, a copy-bandwidth estimate from a memory system (the DECstation 5000/200's is
:func:`ipcmodel.paper.ds5000_copy_estimate`), and the X11 flush-batching simulation (§4).
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
    "marshalling_times_us",
    "remap_crossover_bytes",
    "marshalling_crossovers",
    "MappedSocketCalibration",
    "calibrate_mapped_socket",
    "implied_fixed_copies",
    "passes_for_fixed",
    "FlushResult",
    "simulate_x11_flushes",
    "x11_counts",
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
    r, fb, w, wb, ins = units.broadcast_named(read_miss_cycles=r, fetch_bytes=fb,
                                              write_cycles_per_word=w, word_bytes=wb,
                                              instructions_per_word=ins)
    return _res(r / fb + (w + ins) / wb)


def copy_bandwidth_mb_per_s(cycles_per_byte, clock_mhz):
    """Copy bandwidth (MB/s, 10**6 bytes per second = bytes per µs) from cycles per byte and clock."""
    cpb = units.check_positive("cycles_per_byte", cycles_per_byte, "cycles/byte")
    clk = units.check_positive("clock_mhz", clock_mhz, "MHz", 1e6)
    cpb, clk = units.broadcast_named(cycles_per_byte=cpb, clock_mhz=clk)
    return _res(clk / cpb)


def copy_us(message_bytes, copy_mb_per_s, copies=1):
    """Time (µs) to copy ``message_bytes`` ``copies`` times at ``copy_mb_per_s`` (bytes per µs)."""
    n, bw, k = _message_and_bandwidth(message_bytes, copy_mb_per_s,
                                      copies=units.check_nonnegative("copies", copies, "copies", 100))
    return _res(k * n / bw)


def _message_and_bandwidth(message_bytes, copy_mb_per_s, **other):
    """Validate ``message_bytes`` and ``copy_mb_per_s`` and broadcast them with the (already
    validated) named ``other`` parameters of the caller."""
    n = units.check_nonnegative("message_bytes", message_bytes, "bytes", 1e12)
    bw = units.check_positive("copy_mb_per_s", copy_mb_per_s, "MB/s", 1e9)
    return units.broadcast_named(message_bytes=n, copy_mb_per_s=bw, **other)


def kernel_copy_us(message_bytes, copy_mb_per_s, fixed_us):
    """Message through the kernel: ``fixed_us`` + two copies (in and out) (µs)."""
    n, bw, f = _message_and_bandwidth(message_bytes, copy_mb_per_s,
                                      fixed_us=units.check_nonnegative("fixed_us", fixed_us, "µs", 1e9))
    return _res(f + 2 * n / bw)


def shared_buffer_us(message_bytes, copy_mb_per_s, notify_us):
    """Co-mapped buffer: one copy into the shared region + a notification ``notify_us`` (µs)."""
    n, bw, f = _message_and_bandwidth(message_bytes, copy_mb_per_s,
                                      notify_us=units.check_nonnegative("notify_us", notify_us, "µs", 1e9))
    return _res(f + n / bw)


def remap_us(message_bytes, page_bytes, remap_us_per_page, fixed_us):
    """Virtual-memory remapping: ``fixed_us`` + whole pages × ``remap_us_per_page`` (µs)."""
    n = units.check_nonnegative("message_bytes", message_bytes, "bytes")
    p = units.check_positive("page_bytes", page_bytes, "bytes")
    r = units.check_nonnegative("remap_us_per_page", remap_us_per_page, "µs/page", 1e9)
    f = units.check_nonnegative("fixed_us", fixed_us, "µs", 1e9)
    n, p, r, f = units.broadcast_named(message_bytes=n, page_bytes=p, remap_us_per_page=r, fixed_us=f)
    return _res(f + np.ceil(n / p) * r)


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


def marshalling_times_us(message_bytes, copy_mb_per_s, kernel_fixed_us, notify_us,
                         remap_us_per_page, page_bytes) -> dict:
    """The three §4 methods' times (µs) for ``message_bytes``, keyed ``kernel_copy_us``,
    ``shared_buffer_us`` and ``remap_us``.

    :func:`kernel_copy_us` (two copies + ``kernel_fixed_us``), :func:`shared_buffer_us` (one
    copy + ``notify_us``) and :func:`remap_us` (whole pages × ``remap_us_per_page`` +
    ``kernel_fixed_us``: the message that carries the pages costs what any message does).
    """
    n, bw, kf, nf, r, p = _message_and_bandwidth(
        message_bytes, copy_mb_per_s,
        kernel_fixed_us=units.check_nonnegative("kernel_fixed_us", kernel_fixed_us, "µs", 1e9),
        notify_us=units.check_nonnegative("notify_us", notify_us, "µs", 1e9),
        remap_us_per_page=units.check_nonnegative("remap_us_per_page", remap_us_per_page, "µs/page", 1e9),
        page_bytes=units.check_positive("page_bytes", page_bytes, "bytes"))
    return {
        "kernel_copy_us": kernel_copy_us(n, bw, kf),
        "shared_buffer_us": shared_buffer_us(n, bw, nf),
        "remap_us": remap_us(n, p, r, kf),
    }


def remap_crossover_bytes(other_fixed_us, other_us_per_byte, remap_fixed_us, remap_us_per_page,
                          page_bytes) -> float:
    """Size (bytes) above which remapping is cheaper than a copying method at *every* larger size.

    Exact for the page staircase, no straight-line bound. The copying method costs
    ``F_o + s n`` (a line); remapping costs ``F_r + ceil(n / P) r`` (a step per page, as
    :func:`remap_us` charges it). On page ``k`` (``(k-1) P < n <= k P``) the
    remap costs ``F_r + k r``, so it loses there for ``n <= n_k = (F_r + k r - F_o) / s``;
    ``n_k - (k-1) P = A - (k-1) D`` with ``A = (F_r - F_o + r) / s`` and ``D = P - r / s``.
    If ``D > 0`` (a remap is cheaper than ``s P``, copying a page by this method) the losing
    pages are ``k = 1 .. K`` with ``K = ceil(A / D)``, and the answer is ``min(K P, n_K)``;
    0 when remapping wins on every page, ``inf`` when it never wins for good (``D <= 0``).
    A tie (equal cost) counts as not cheaper. Scalars only.

    Parameters
    ----------
    other_fixed_us, remap_fixed_us : float
        Fixed costs (µs), >= 0.
    other_us_per_byte : float
        The copying method's cost per byte (µs/byte), >= 0.
    remap_us_per_page : float
        Cost of remapping one page (µs/page), >= 0.
    page_bytes : float
        Page size (bytes), > 0.
    """
    fo = units.check("other_fixed_us", other_fixed_us, "µs", 0.0, 1e12, scalar=True)
    s = units.check("other_us_per_byte", other_us_per_byte, "µs/byte", 0.0, 1e12, scalar=True)
    fr = units.check("remap_fixed_us", remap_fixed_us, "µs", 0.0, 1e12, scalar=True)
    r = units.check("remap_us_per_page", remap_us_per_page, "µs/page", 0.0, 1e12, scalar=True)
    p = units.check("page_bytes", page_bytes, "bytes", 0.0, 1e12, low_inclusive=False, scalar=True)
    if s == 0:  # a copy that costs nothing per byte: remap wins only if cheaper at one page, for ever
        return 0.0 if (r == 0 and fr < fo) else np.inf
    tol = 1e-9 * p  # rounding noise at an exact tie on a page boundary
    a = (fr - fo + r) / s
    d = p - r / s
    if d <= tol:  # a remap costs at least as much per page as copying the page
        return 0.0 if (a <= tol and d >= -tol) else np.inf
    if a <= tol:
        return 0.0
    k = max(1, int(np.ceil((a - tol) / d)))
    n_k = (k - 1) * p + a - (k - 1) * d
    return float(min(k * p, n_k))


def marshalling_crossovers(copy_mb_per_s, kernel_fixed_us, notify_us, remap_us_per_page,
                           page_bytes) -> dict:
    """Sizes (bytes) above which the cheaper-per-byte method wins at every larger size.

    Keys: ``kernel_to_shared`` (the shared buffer beats the kernel copy above it:
    :func:`crossover_bytes`, two straight lines), ``kernel_to_remap`` and ``shared_to_remap``
    (:func:`remap_crossover_bytes`, exact for the remap staircase
    ``kernel_fixed_us + ceil(n / P) remap_us_per_page``). ``0`` means "wins at every size",
    ``inf`` "never wins for good".
    """
    bw = units.check("copy_mb_per_s", copy_mb_per_s, "MB/s", 0.0, 1e9, low_inclusive=False, scalar=True)
    per_copy = 1.0 / bw
    kernel_fixed_us = units.check("kernel_fixed_us", kernel_fixed_us, "µs", 0.0, 1e9, scalar=True)
    notify_us = units.check("notify_us", notify_us, "µs", 0.0, 1e9, scalar=True)
    r = units.check("remap_us_per_page", remap_us_per_page, "µs/page", 0.0, 1e9, scalar=True)
    p = units.check("page_bytes", page_bytes, "bytes", 0.0, 1e12, low_inclusive=False, scalar=True)
    return {
        "kernel_to_shared": crossover_bytes(kernel_fixed_us, 2 * per_copy, notify_us, per_copy),
        "kernel_to_remap": remap_crossover_bytes(kernel_fixed_us, 2 * per_copy, kernel_fixed_us, r, p),
        "shared_to_remap": remap_crossover_bytes(notify_us, per_copy, kernel_fixed_us, r, p),
    }


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
        return self.fixed_copies / units.check("copy_mb_per_s", copy_mb_per_s, "MB/s", 0.0, 1e9,
                                               low_inclusive=False, scalar=True)

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
    n0 = units.check("no_gain_below_bytes", no_gain_below_bytes, "bytes", 0.0, low_inclusive=False,
                     scalar=True)
    g = units.check("gain_fraction", gain_fraction, "fraction", 0.0, 1.0,
                    low_inclusive=False, high_inclusive=False, scalar=True)
    n1 = units.check("gain_at_bytes", gain_at_bytes, "bytes", 0.0, low_inclusive=False, scalar=True)
    if n1 <= n0:
        raise ValueError(f"gain_at_bytes (bytes) must exceed no_gain_below_bytes ({n0:g}); got {n1:g}")
    setup = n0
    # F + setup + n1 = (1 - g) (F + 2 n1)  =>  g F = 2 n1 (1 - g) - setup - n1
    fixed = (2 * n1 * (1 - g) - setup - n1) / g
    if fixed < 0:
        raise ValueError("no positive fixed cost reproduces these observations in the one-copy model")
    return MappedSocketCalibration(n0, g, n1, setup, fixed)


def implied_fixed_copies(no_gain_below_bytes, gain_fraction, gain_at_bytes, passes_regular=2,
                         passes_saved=1):
    """Fixed cost of a regular send (in byte-copies) that reproduces the §4 observations.

    A regular send costs ``F + a n`` and a mapped one ``F + s + (a - k) n`` (in units of the
    time to copy one byte once), where ``a = passes_regular`` is how many times the regular
    path passes over each byte and ``k = passes_saved`` how many of those passes the mapped
    interface avoids. "No gain below ``n0`` bytes" gives ``s = k n0``; "``g`` faster at ``n1``
    bytes" gives ``k (n1 - n0) = g (F + a n1)``, so ``F = k (n1 - n0) / g - a n1``. With
    ``a = 2``, ``k = 1`` this is :func:`calibrate_mapped_socket`'s ``fixed_copies``. A negative
    result means no fixed cost reproduces the observations with that many passes.

    Parameters
    ----------
    no_gain_below_bytes, gain_at_bytes : float
        The two sizes (bytes), ``0 < n0 < n1``.
    gain_fraction : float
        The fractional time saved at ``n1``, in (0, 1).
    passes_regular, passes_saved : float or array_like
        Passes over the data (passes), ``passes_regular >= passes_saved > 0``.
    """
    n0 = units.check_positive("no_gain_below_bytes", no_gain_below_bytes, "bytes")
    g = units.check_in_range("gain_fraction", gain_fraction, "fraction", 0, 1,
                             low_inclusive=False, high_inclusive=False)
    n1 = units.check_positive("gain_at_bytes", gain_at_bytes, "bytes")
    a = units.check_positive("passes_regular", passes_regular, "passes", 1e3)
    k = units.check_positive("passes_saved", passes_saved, "passes", 1e3)
    n0, g, n1, a, k = units.broadcast_named(no_gain_below_bytes=n0, gain_fraction=g, gain_at_bytes=n1,
                                            passes_regular=a, passes_saved=k)
    _check_sizes_in_order(n0, n1)
    if np.any(k > a):
        raise ValueError("passes_saved (passes) must be at most passes_regular")
    return _res(k * (n1 - n0) / g - a * n1)


def _check_sizes_in_order(n0, n1):
    bad = n1 <= n0
    if np.any(bad):
        i = np.argmax(np.ravel(bad))
        raise ValueError(f"gain_at_bytes (bytes) must exceed no_gain_below_bytes "
                         f"({np.ravel(n0)[i]:g}); got {np.ravel(n1)[i]:g}")


def passes_for_fixed(fixed_copies, no_gain_below_bytes, gain_fraction, gain_at_bytes,
                     passes_saved=1):
    """Passes over the data the regular send needs if its fixed cost is ``fixed_copies``.

    The inverse of :func:`implied_fixed_copies` in ``passes_regular``:
    ``a = (k (n1 - n0) / g - F) / n1``. E.g. with the fixed cost set to one round-trip RPC
    (expressed in byte-copies at a copy bandwidth), how many times must a regular 4 KB send
    touch each byte for the mapped send to be only 15% faster?
    """
    f = units.check_nonnegative("fixed_copies", fixed_copies, "byte-copies")
    n0 = units.check_positive("no_gain_below_bytes", no_gain_below_bytes, "bytes")
    g = units.check_in_range("gain_fraction", gain_fraction, "fraction", 0, 1,
                             low_inclusive=False, high_inclusive=False)
    n1 = units.check_positive("gain_at_bytes", gain_at_bytes, "bytes")
    k = units.check_positive("passes_saved", passes_saved, "passes", 1e3)
    f, n0, g, n1, k = units.broadcast_named(fixed_copies=f, no_gain_below_bytes=n0, gain_fraction=g,
                                            gain_at_bytes=n1, passes_saved=k)
    _check_sizes_in_order(n0, n1)
    return _res((k * (n1 - n0) / g - f) / n1)


# ---------------------------------------------------------------------------------------------
# X11 flush batching (§4)

#: The three transports of §4's X11 example.
X11_POLICIES = ("mach-message-per-flush", "socket-coalescing", "shared-buffer")

_MAX_FLUSHES = 10_000_000  # a simulation, not a benchmark: more would only take long


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
        Number of client flushes, in [1, 1e7].
    flushes_per_collection : float
        Mean flushes between two server collections, >= 1 (1 = the server keeps up).
    seed : int
        Random seed, a whole number >= 0 (same seed, same counts).
    """
    n = int(units.check("flushes", flushes, "flushes", 1, _MAX_FLUSHES, integer=True, scalar=True))
    mean = units.check("flushes_per_collection", flushes_per_collection, "flushes", 1.0, 1e6,
                       scalar=True)
    seed = int(units.check("seed", seed, "count", 0, 2**63 - 1, integer=True, scalar=True))
    if policy not in X11_POLICIES:
        raise ValueError(f"policy must be one of {X11_POLICIES}; got {policy!r}")
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


def x11_counts(flushes_per_collection, flushes: int = 1000, seed: int = 1) -> dict:
    """:func:`simulate_x11_flushes` for every policy on the same flush stream.

    Returns ``{policy: FlushResult}`` (same ``seed``, so the same collections for all three).
    """
    return {p: simulate_x11_flushes(p, flushes, flushes_per_collection, seed=seed)
            for p in X11_POLICIES}
