"""Input validation for the probe: every bad value is a ValueError naming parameter, unit, range.

Numbers go through :func:`ipcmodel.units.check_in_range`; this module adds the "must be a Python
``int``" rule for counts and the checks for lists of sizes.
"""

from __future__ import annotations

import numbers

from ipcmodel.units import check_in_range

__all__ = ["check_int", "check_seconds", "check_sizes"]


def check_int(name: str, value, unit: str, low: int, high: int | None = None) -> int:
    """Return ``value`` as ``int`` after checking it is an integer with ``low <= value <= high``."""
    upper = "" if high is None else f" and <= {high}"
    if (isinstance(value, bool) or not isinstance(value, numbers.Integral)
            or value < low or (high is not None and value > high)):
        raise ValueError(f"{name} ({unit}) must be an int >= {low}{upper}; got {value!r}")
    return int(value)


def check_seconds(name: str, value, high: float = 3600.0) -> float:
    """Return a duration in seconds after checking ``0 < value <= high``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} (s) must be a number in (0, {high:g}]; got {value!r}")
    check_in_range(name, float(value), "s", 0.0, high, low_inclusive=False)
    return float(value)


def check_sizes(name: str, values, unit: str, low: int, high: int) -> list[int]:
    """Return a non-empty, sorted, duplicate-free list of ints, each in ``[low, high]``."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ValueError(f"{name} ({unit}) must be a list of ints in [{low}, {high}]; got {values!r}")
    out = [check_int(name, v, unit, low, high) for v in values]
    if not out:
        raise ValueError(f"{name} ({unit}) must contain at least one size in [{low}, {high}]")
    return sorted(set(out))
