"""§4: the mapped-socket calibration and its generalisation to more passes over the data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ipcmodel import units

__all__ = [
    "MappedSocketCalibration",
    "calibrate_mapped_socket",
    "implied_fixed_copies",
    "passes_for_fixed",
]

_res = units.scalar_or_array  # a float for scalar inputs, the array otherwise


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
