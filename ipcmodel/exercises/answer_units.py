"""Reading a student's answer: the number, its unit, and the conversion to the question's unit.

An answer is a number (``923``) or text (``"923 us"``, ``"about 0.92 ms"``, ``"1,245 µs"``,
``"8.7x"``, ``"50%"``). A unit written in the answer is *read in that unit* and converted to the
question's unit when both measure the same thing (a time, a share, a size, a ratio, cycles, a
count); when they do not (``"27 %"`` for a time) :func:`to_question_unit` says so instead of
guessing. A number without a unit is taken to be in the question's unit.

Dimensions and the units each accepts (case-insensitive except ``ms``/``Ms`` style clashes,
which do not arise here):

* time, base µs: ``ns``, ``µs``/``us``/``μs``/``usec``, ``ms``/``msec``, ``s``/``sec``;
* share, base 1: ``%``/``percent`` (0.01), ``share``/``fraction`` (1); a question in ``%`` reads
  ``"0.5 %"`` as 0.5 and ``"0.5"`` as 0.5 (percent), a question in ``share`` reads ``"50%"`` as 0.5;
* size, base bytes: ``bytes``/``byte``/``B``, ``KB``/``KiB`` (:data:`ipcmodel.units.BYTES_PER_KB`);
* ratio, base 1: ``x``, ``×``, ``times``, ``ratio`` (a plain number too);
* cycles: ``cycles``/``cycle``/``cyc``;
* counts: ``lines``, ``misses``, ``crossings``, ``crossings/flush``, ``pages``, ``calls``, each its
  own dimension (an answer in lines for a question in misses is flagged).
"""

from __future__ import annotations

import math
import re

from ipcmodel import units

__all__ = ["UNITS", "parse_answer", "to_question_unit", "dimension_of", "unit_word"]

#: unit spelling (lower case) -> (dimension, factor to the dimension's base)
UNITS: dict[str, tuple[str, float]] = {}


def _add(dim: str, factor: float, *names: str) -> None:
    for n in names:
        UNITS[n.lower()] = (dim, factor)


_add("time", 1e-3, "ns", "nsec", "nanosecond", "nanoseconds")
_add("time", 1.0, "µs", "μs", "us", "usec", "usecs", "microsecond", "microseconds")
_add("time", 1e3, "ms", "msec", "msecs", "millisecond", "milliseconds")
_add("time", 1e6, "s", "sec", "secs", "second", "seconds")
_add("share", 0.01, "%", "percent", "per cent", "pct")
_add("share", 1.0, "share", "fraction")
_add("size", 1.0, "b", "byte", "bytes")
_add("size", float(units.BYTES_PER_KB), "kb", "kib", "kbytes", "kilobytes")
_add("ratio", 1.0, "", "x", "×", "times", "ratio", "fold")
_add("cycles", 1.0, "cycle", "cycles", "cyc", "clock cycles")
for _count in ("lines", "misses", "crossings", "crossings/flush", "pages", "calls", "rpcs"):
    _add(_count, 1.0, _count, _count.rstrip("s") if _count.endswith("s") else _count)
_add("crossings/flush", 1.0, "crossings per flush", "per flush")

_WORDS = {"time": "a time", "share": "a fraction (a share between 0 and 1)", "size": "a size",
          "ratio": "a ratio (a plain number)", "cycles": "a number of clock cycles"}
_EXAMPLES = {"time": "ns, µs (us), ms, s", "share": "% or a fraction", "size": "bytes or KB",
             "ratio": "a plain number or 'x'", "cycles": "cycles"}

_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-zµμ%×/].*?)?\s*$")
_HEDGE = re.compile(r"^(about|approximately|approx\.?|roughly|around|circa|ca\.|~|≈)\s*", re.I)


def dimension_of(unit: str) -> tuple[str, float] | None:
    """``(dimension, factor to its base)`` of a unit spelling, or None if unknown."""
    return UNITS.get(unit.strip().lower())


def unit_word(unit: str) -> str:
    """What a unit measures, in words (``"a time"``), for messages."""
    if unit.strip() == "%":
        return "a percentage"
    d = dimension_of(unit)
    if d is None:
        return f"in {unit}"
    return _WORDS.get(d[0], f"a count of {d[0]}")


def parse_answer(text: str) -> tuple[float, str] | None:
    """``(number, unit as written)`` of a text answer, or None when it is not a number.

    Hedges ("about", "~"), thousands separators ("1,245") and thin spaces are ignored; a
    decimal comma ("0,5") is not a number.
    """
    t = text.replace("_", "").replace("\u202f", "").replace("\u2009", "").strip()
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", _HEDGE.sub("", t))
    m = _NUMBER.match(t)
    if not m:
        return None
    return float(m.group(1)), (m.group(2) or "").strip()


def to_question_unit(value: float, given_unit: str, question_unit: str) -> tuple[float, str]:
    """Convert ``value`` written in ``given_unit`` to ``question_unit``.

    Returns
    -------
    (value, problem)
        ``problem`` is "" when the conversion worked, else a message for the student (an
        unknown unit, or a unit that measures something else than the question asks).
    """
    if not given_unit or given_unit == question_unit:
        return value, ""
    g, q = dimension_of(given_unit), dimension_of(question_unit)
    if g is None:
        want = _EXAMPLES.get(q[0], question_unit) if q else question_unit
        return math.nan, (f"Unknown unit {given_unit!r}: give the answer in {question_unit} "
                          f"({want}).")
    if q is None:  # a question unit this table does not know: only its own spelling is read
        return math.nan, f"Give the answer in {question_unit}, not {given_unit}."
    if g[0] != q[0]:
        hint = ""
        if {g[0], q[0]} == {"time", "cycles"}:
            hint = (" Cycles and time are related by the clock: time (µs) = cycles / clock (MHz), "
                    "cycles = time (µs) × clock (MHz).")
        return math.nan, (f"Wrong kind of unit: this question asks for {unit_word(question_unit)} "
                          f"in {question_unit}, and {given_unit!r} is {unit_word(given_unit)}; "
                          f"they cannot be compared.{hint}")
    return value * g[1] / q[1], ""
