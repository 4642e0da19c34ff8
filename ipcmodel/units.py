"""Units and input validation.

The public API speaks microseconds (µs). Every conversion is an explicit call, and every
validator raises a :class:`ValueError` that names the parameter, its unit and the allowed range,
so a slider or a student's typo never turns into a silent NaN.

:func:`check` is the one validator of the model (``check_positive`` & co. are shorthands for
it) and :func:`broadcast_named` the one broadcast check. Each public model function validates
every numeric argument under *its own* parameter name before any branch or forwarding, so an
error always names what the caller typed (tests/model/test_bad_input.py walks them all).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "BYTES_PER_KB",
    "check",
    "check_positive",
    "check_nonnegative",
    "check_fraction",
    "check_count",
    "check_in_range",
    "broadcast_named",
    "cycles_to_us",
    "us_to_cycles",
    "ns_to_us",
    "ms_to_us",
    "us_to_ms",
    "cycle_time_ns_to_mhz",
    "kb_to_bytes",
    "bytes_to_lines",
    "scalar_or_array",
]

#: Bytes in a kilobyte as the 1992 papers use the word ("4KB" is a 4096-byte page).
BYTES_PER_KB = 1024


def _fmt_bound(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:g}"


def _allowed(low: float, high: float, low_inclusive: bool, high_inclusive: bool) -> str:
    left = "[" if low_inclusive else "("
    right = "]" if high_inclusive else ")"
    return f"{left}{_fmt_bound(low)}, {_fmt_bound(high)}{right}"


def check(name: str, value, unit: str, low: float = -math.inf, high: float = math.inf, *,
          low_inclusive: bool = True, high_inclusive: bool = True, integer: bool = False,
          scalar: bool = False):
    """Validate one parameter of a public function: the one validator every model module uses.

    Parameters
    ----------
    name : str
        The *caller's* parameter name, shown in the error (e.g. ``"ipc_us"``). A function that
        forwards a value to another one validates it first, under its own public name.
    value : float or array_like
        The value(s) to check.
    unit : str
        Unit shown in the error (e.g. ``"µs"``, ``"fraction"``, ``"calendar year"``).
    low, high : float
        Allowed range (``math.inf`` for no bound); the bounds are inclusive unless
        ``low_inclusive`` / ``high_inclusive`` is False.
    integer : bool
        Also require whole numbers.
    scalar : bool
        Require a single number (not an array) and return it as a Python float.

    Returns
    -------
    float or ndarray
        A Python float when ``scalar`` is True, else a float array (0-d for a scalar input).

    Raises
    ------
    ValueError
        If a value is not a number, is NaN or infinite, lies outside the range, is not whole
        (``integer``) or is an array (``scalar``). The message names the parameter, its unit
        and the allowed range, e.g. ``"ipc_us (µs) must be finite in [0, 1e+09] (no NaN or
        infinity); got nan"``.
    """
    allowed = _allowed(low, high, low_inclusive, high_inclusive)
    what = "a whole number" if integer else "a number"
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} ({unit}) must be {what} in {allowed}; got {value!r}") from exc
    if scalar and arr.ndim:
        raise ValueError(f"{name} ({unit}) must be a single number in {allowed}, not an array; "
                         f"got an array of shape {arr.shape}")
    finite = np.isfinite(arr)
    if not np.all(finite):
        bad = np.ravel(arr[~finite] if arr.ndim else arr)[0]
        raise ValueError(f"{name} ({unit}) must be finite in {allowed} (no NaN or infinity); "
                         f"got {bad}")
    lo_ok = arr >= low if low_inclusive else arr > low
    hi_ok = arr <= high if high_inclusive else arr < high
    ok = lo_ok & hi_ok
    if not np.all(ok):
        bad = np.ravel(arr[~ok] if arr.ndim else arr)[0]
        raise ValueError(f"{name} ({unit}) must be in {allowed}; got {bad:g}")
    if integer and not np.all(arr == np.round(arr)):
        bad = np.ravel(arr[arr != np.round(arr)] if arr.ndim else arr)[0]
        raise ValueError(f"{name} ({unit}) must be a whole number in {allowed}; got {bad:g}")
    return float(arr) if scalar else arr


def check_in_range(name: str, value, unit: str, low: float, high: float, *,
                   low_inclusive: bool = True, high_inclusive: bool = True) -> np.ndarray:
    """Return ``value`` as a float array after checking ``low <= value <= high``.

    Shorthand for :func:`check` (which see for the messages).

    Parameters
    ----------
    name : str
        Parameter name shown in the error (e.g. ``"ipc_us"``).
    value : float or array_like
        The value(s) to check.
    unit : str
        Unit shown in the error (e.g. ``"µs"``).
    low, high : float
        Allowed range; use ``math.inf`` for no upper bound.

    Raises
    ------
    ValueError
        If a value is NaN, infinite, or outside the range; the message names the parameter,
        its unit and the allowed range.
    """
    return check(name, value, unit, low, high, low_inclusive=low_inclusive,
                 high_inclusive=high_inclusive)


def check_positive(name: str, value, unit: str, high: float = math.inf) -> np.ndarray:
    """Check ``0 < value <= high`` (finite); see :func:`check`."""
    return check(name, value, unit, 0.0, high, low_inclusive=False)


def check_nonnegative(name: str, value, unit: str, high: float = math.inf) -> np.ndarray:
    """Check ``0 <= value <= high`` (finite); see :func:`check`."""
    return check(name, value, unit, 0.0, high)


def check_fraction(name: str, value, *, open_high: bool = False) -> np.ndarray:
    """Check a dimensionless fraction in ``[0, 1]`` (or ``[0, 1)`` with ``open_high``)."""
    return check(name, value, "fraction", 0.0, 1.0, high_inclusive=not open_high)


def check_count(name: str, value, unit: str = "count", low: int = 0,
                high: float = math.inf) -> np.ndarray:
    """Check a whole number in ``[low, high]``; returns a float array."""
    return check(name, value, unit, low, high, integer=True)


def broadcast_named(**arrays) -> tuple[np.ndarray, ...]:
    """Broadcast the named parameters together, or raise a ValueError naming them and their shapes.

    Pass the caller's parameter names as keywords:
    ``broadcast_named(ipc_us=ipc, syscall_us=sc)``.
    """
    try:
        return tuple(np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in arrays.values()]))
    except ValueError as exc:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"arrays do not broadcast together: {shapes}") from exc


def scalar_or_array(x):
    """A Python float for a 0-d result, the array otherwise (what every model function returns)."""
    return float(x) if np.ndim(x) == 0 else x


_result = scalar_or_array


def cycles_to_us(cycles, clock_mhz):
    """Convert processor cycles to microseconds: ``cycles / clock_mhz``.

    Parameters
    ----------
    cycles : float or array_like
        Cycle count (cycles), >= 0.
    clock_mhz : float or array_like
        Clock rate (MHz), > 0. One MHz is one cycle per µs.
    """
    c = check_nonnegative("cycles", cycles, "cycles")
    f = check_positive("clock_mhz", clock_mhz, "MHz")
    c, f = broadcast_named(cycles=c, clock_mhz=f)
    return _result(c / f)


def us_to_cycles(us, clock_mhz):
    """Convert microseconds to processor cycles: ``us * clock_mhz`` (µs × MHz = cycles)."""
    t = check_nonnegative("us", us, "µs")
    f = check_positive("clock_mhz", clock_mhz, "MHz")
    t, f = broadcast_named(us=t, clock_mhz=f)
    return _result(t * f)


def ns_to_us(ns):
    """Nanoseconds to microseconds (÷ 1000)."""
    return _result(check_nonnegative("ns", ns, "ns") / 1000.0)


def ms_to_us(ms):
    """Milliseconds to microseconds (× 1000)."""
    return _result(check_nonnegative("ms", ms, "ms") * 1000.0)


def us_to_ms(us):
    """Microseconds to milliseconds (÷ 1000)."""
    return _result(check_nonnegative("us", us, "µs") / 1000.0)


def cycle_time_ns_to_mhz(cycle_time_ns):
    """Clock rate (MHz) from a cycle time (ns): ``1000 / cycle_time_ns``.

    §3 of the paper gives the HP-700's cycle time as 20 ns, i.e. 50 MHz.
    """
    return _result(1000.0 / check_positive("cycle_time_ns", cycle_time_ns, "ns"))


def kb_to_bytes(kb):
    """Kilobytes (1024 bytes, as the 1992 papers use "KB") to bytes."""
    return _result(check_nonnegative("kb", kb, "KB") * BYTES_PER_KB)


def bytes_to_lines(nbytes, line_bytes):
    """Number of cache lines needed to hold ``nbytes`` (rounded up).

    Parameters
    ----------
    nbytes : float or array_like
        Size (bytes), >= 0.
    line_bytes : float or array_like
        Cache line size (bytes), > 0.
    """
    n = check_nonnegative("nbytes", nbytes, "bytes")
    b = check_positive("line_bytes", line_bytes, "bytes")
    n, b = broadcast_named(nbytes=n, line_bytes=b)
    return _result(np.ceil(n / b))
