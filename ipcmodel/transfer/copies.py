"""§4: copy, shared buffer and remap times, and their crossovers (see :mod:`ipcmodel.transfer`)."""

from __future__ import annotations

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
