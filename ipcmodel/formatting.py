"""Numbers as text: a time in the largest fitting unit, a fraction as a percentage.

Pure functions (no matplotlib), so that the model layer (:mod:`ipcmodel.paper`,
:mod:`ipcmodel.history`) and the exercises can format numbers exactly as the figures do;
:mod:`ipcmodel.plotting` re-exports both.

Examples
--------
>>> format_us(923.4), format_us(4800), format_percent(0.0464)
('923 µs', '4.8 ms', '4.6%')
"""

from __future__ import annotations

import math

__all__ = ["format_us", "format_percent"]


def _sig(x: float, digits: int) -> str:
    return f"{x:.{digits}g}"


def format_us(value_us: float, digits: int = 3) -> str:
    """A time in µs as text in the largest fitting unit: ``"0.35 µs"``, ``"923 µs"``, ``"4.8 ms"``, ``"1 s"``."""
    v = float(value_us)
    if not math.isfinite(v):
        return f"{v} µs"
    a = abs(v)
    # round first so that 999.7 µs reads "1 ms", not "1e+03 µs"
    if a and float(_sig(a, digits)) >= 1e6:
        return f"{_sig(v / 1e6, digits)} s"
    if a and float(_sig(a, digits)) >= 1e3:
        return f"{_sig(v / 1e3, digits)} ms"
    return f"{_sig(v, digits)} µs"


def format_percent(fraction: float, digits: int = 2) -> str:
    """A fraction as a percentage with about ``digits`` significant digits: ``0.0464 -> "4.6%"``."""
    p = 100.0 * float(fraction)
    if p == 0:
        return "0%"
    if abs(p) >= 10 ** digits:
        return f"{p:.0f}%"
    return f"{float(_sig(p, digits)):g}%"
