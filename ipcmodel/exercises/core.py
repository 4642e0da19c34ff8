"""Exercises with a self-check, in the style of the OSTEP homework simulators.

An :class:`Exercise` is a generator of problems: ``answer_fn(seed)`` picks the inputs (a machine,
a device, a threshold) from ``data/`` by the seed, computes the answer with ``ipcmodel`` and
writes the worked solution from the same numbers; nothing is typed in. ``seed=0`` is the paper's
own example; any other seed gives another variant, always the same one for the same seed (like
``-s SEED``). ``check(answer)`` never raises: it returns feedback (correct, how far off, a unit
hint, "not a number"). ``show_solution()`` gives the worked answer (like ``-c``).

Instructors see answers inline with ``show_answers=True`` or the environment variable
``IPCMODEL_SHOW_ANSWERS=1``.

Example
-------
>>> ex = break_even_exercise()
>>> ex.check("900 us").correct
False
>>> ex.check(ex.answer).correct
True

Adding a generator: write ``def _my_variant(seed) -> Variant`` that takes its inputs from
``ipcmodel.machines`` / ``ipcmodel.data`` via :func:`nth` (and :func:`machines_with`), computes
the answer with a model function and builds the question and solution text from those values
(numbers through :func:`fmt`, machine values with :func:`cite`); then
``def my_exercise(seed=0, **kw): return Exercise("my-id", _my_variant, "µs", rtol=..., seed=seed, **kw)``
and add it to the topic module's ``exercise_set(seed=0, show_answers=None)``, the one entry point
per topic (:func:`ipcmodel.exercises.for_notebook` finds it by notebook).
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from ipcmodel.data import Fact
from ipcmodel.machines import Machine, load_machines

__all__ = [
    "SHOW_ANSWERS_ENV",
    "Variant",
    "Feedback",
    "Solution",
    "Exercise",
    "ExerciseSet",
    "show_answers_default",
    "THRESHOLDS",
    "MISS_FRACTIONS",
    "fmt",
    "nth",
    "cite",
    "machines_with",
]

#: Set to 1 (or true/yes/on) to show answers and solutions inline, for instructors.
SHOW_ANSWERS_ENV = "IPCMODEL_SHOW_ANSWERS"

#: Thresholds the generators ask about: yardsticks for discussion, not measurements.
THRESHOLDS = (0.05, 0.01, 0.02, 0.1, 0.2)
#: Fractions of the IPC path's lines that miss, for the cold-cache variants (what-ifs).
MISS_FRACTIONS = (0.1, 0.25, 0.5, 1.0)

_TIME_UNITS = {"µs": 1.0, "μs": 1.0, "us": 1.0, "usec": 1.0, "microseconds": 1.0, "microsecond": 1.0,
               "ms": 1e3, "msec": 1e3, "milliseconds": 1e3, "s": 1e6, "sec": 1e6, "seconds": 1e6,
               "ns": 1e-3, "nanoseconds": 1e-3}
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-zµμ%×]\S*)?\s*$")
_HEDGE = re.compile(r"^(about|approximately|approx\.?|roughly|around|circa|ca\.|~|≈)\s*", re.I)
#: units of answers that are ratios ("8.72x" is accepted) and shares in [0, 1] ("98%" is accepted)
_RATIO_UNITS = ("", "times", "x", "×", "ratio")
_FRACTION_UNITS = ("share", "fraction")
_HINTS = {  # exercise unit -> ((ratio of given to expected, hint), ...)
    "µs": ((1e3, "it is 1000 times too large: did you answer in ns instead of µs?"),
           (1e-3, "it is 1000 times too small: did you answer in ms instead of µs?"),
           (1e-6, "it is a million times too small: did you answer in s instead of µs?")),
    "%": ((1e-2, "it is 100 times too small: did you give a fraction (0.05) instead of a percentage (5)?"),
          (1e2, "it is 100 times too large: give a percentage such as 5 for 5%.")),
}


def show_answers_default() -> bool:
    """True when the environment variable :data:`SHOW_ANSWERS_ENV` is 1/true/yes/on."""
    return os.environ.get(SHOW_ANSWERS_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _unit_suffix(unit: str) -> str:
    """`` µs`` for a unit, ``%`` without a space, nothing for a unitless answer."""
    return "" if not unit else (unit if unit == "%" else f" {unit}")


def fmt(x: float) -> str:
    """``x`` to 4 significant digits, as every question, solution and feedback shows it."""
    return f"{x:.4g}"


def nth(seed: int, *choices) -> tuple:
    """The ``seed``-th combination, cycling every list at once (seed 0 = the first of each).

    Always a tuple, one item per list: ``(m,) = nth(seed, machines)``.
    """
    return tuple(c[seed % len(c)] for c in choices)


def cite(m: Machine, attr: str) -> str:
    """Where machine ``m``'s ``attr`` comes from: the fact's citation (``[Bershad92, §2, p. 3]``),
    or for a value computed from facts ``[computed: how, from fact-id, ...]``."""
    p = m.provenance[attr]
    return p.cite() if isinstance(p, Fact) else f"[computed: {p.how}, from {', '.join(p.from_ids)}]"


def machines_with(*attrs: str, first: tuple[str, ...] = ("ds5000",)) -> list[Machine]:
    """Machines with a cited value for every one of ``attrs`` (e.g. ``"rpc_us"``), in the order
    the seeds cycle through them: the ids in ``first`` in that order (seed 0 = the paper's
    example machine), then the others by id."""
    ms = [m for m in load_machines().values() if all(getattr(m, a) is not None for a in attrs)]
    return sorted(ms, key=lambda m: (*(m.id != f for f in first), m.id))


@dataclass(frozen=True)
class Variant:
    """One problem: its text, the computed answer (in the exercise's unit), the worked solution."""

    question: str
    answer: float
    solution: str


@dataclass(frozen=True, repr=False)
class Feedback:
    """What :meth:`Exercise.check` says. ``kind`` is correct / off / unit / not-a-number / error."""

    correct: bool
    kind: str
    message: str

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:  # what a plain console, a screen reader and GitHub's text view show
        return ("✓ " if self.correct else "✗ ") + self.message

    def __bool__(self) -> bool:
        return self.correct

    def _repr_html_(self) -> str:
        mark, colour = ("✓", "#009E73") if self.correct else ("✗", "#D55E00")
        return (f'<div role="status" style="border-left:4px solid {colour};padding:2px 8px">'
                f"{mark} {html.escape(self.message, quote=False)}</div>")


@dataclass(frozen=True, repr=False)
class Solution:
    """A worked solution; shows as text, Markdown or HTML."""

    title: str
    text: str

    def __str__(self) -> str:
        return f"{self.title}\n{self.text}"

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return f"**{self.title}**\n\n```\n{self.text}\n```"


class Exercise:
    """A seeded problem with a self-check.

    Parameters
    ----------
    id : str
        Short name, e.g. ``"break-even"``.
    answer_fn : callable
        ``answer_fn(seed) -> Variant``; computes the answer from ``ipcmodel`` and ``data/``.
    unit : str
        Unit of the answer (``"µs"``, ``"%"``, ...).
    rtol, atol : float
        An answer counts when ``|given - answer| <= max(atol, rtol * |answer|)``.
    seed : int
        Which variant (0 = the paper's example).
    show_answers : bool, optional
        Show answer and solution inline; default from :data:`SHOW_ANSWERS_ENV`.
    """

    def __init__(self, id: str, answer_fn: Callable[[int], Variant], unit: str, *,
                 rtol: float = 0.02, atol: float = 0.0, seed: int = 0, title: str = "",
                 show_answers: bool | None = None):
        self.id, self.answer_fn, self.unit = id, answer_fn, unit
        self.rtol, self.atol, self.seed, self.title = rtol, atol, int(seed), title or id
        self.show_answers = show_answers
        self.variant = answer_fn(self.seed)

    @property
    def question(self) -> str:
        return self.variant.question

    @property
    def answer(self) -> float:
        return self.variant.answer

    @property
    def tolerance_text(self) -> str:
        parts = [f"within {self.rtol:.0%} of the answer"] if self.rtol else []
        if self.atol:
            unit = "percentage points" if self.unit == "%" else self.unit
            parts.append(f"within {self.atol:g} {unit}")
        return "answers " + " or ".join(parts).replace("of the answer", "of the correct value") \
            + " are accepted"

    def with_seed(self, seed: int) -> Exercise:
        """The same exercise with another variant (deterministic in ``seed``)."""
        return Exercise(self.id, self.answer_fn, self.unit, rtol=self.rtol, atol=self.atol,
                        seed=seed, title=self.title, show_answers=self.show_answers)

    def check(self, answer) -> Feedback:
        """Feedback on ``answer`` (a number, or text such as ``"923 us"``); never raises."""
        try:
            return self._check(answer)
        except Exception as exc:  # feedback, not a traceback, for a student
            return Feedback(False, "error", f"Could not check {answer!r}: {exc}")

    def _check(self, answer) -> Feedback:
        value, kind, problem = self._parse(answer)
        if problem:
            return Feedback(False, kind, problem)
        expected = self.answer
        if abs(value - expected) <= max(self.atol, self.rtol * abs(expected)):
            return Feedback(True, "correct", f"Correct: {fmt(value)}{_unit_suffix(self.unit)} ({self.tolerance_text}).")
        if expected != 0 and value != 0:
            ratio = value / expected
            for factor, hint in _HINTS.get(self.unit, ()):
                if abs(ratio / factor - 1) <= max(self.rtol, 0.02):
                    return Feedback(False, "unit", f"Not yet: {hint}")
            pct = abs(ratio - 1) * 100
            off = f"{pct:.1f}%" if pct < 10 else f"{pct:.0f}%"
            side = "too high" if ratio > 1 else "too low"
            return Feedback(False, "off", f"Not yet: {fmt(value)}{_unit_suffix(self.unit)} is {off} {side} "
                            f"({self.tolerance_text}).")
        return Feedback(False, "off", f"Not yet: {fmt(value)}{_unit_suffix(self.unit)} is off by "
                        f"{fmt(abs(value - expected))} {self.unit} ({self.tolerance_text}).")

    def _parse(self, answer) -> tuple[float, str, str]:
        """``(value in self.unit, kind, problem)``; ``problem`` is "" when the answer is usable."""
        nan = (math.nan, "not-a-number",
               f"That is not a number: got {answer!r}. Type a number, e.g. "
               + ("0.42 or '42%'." if self.unit in _FRACTION_UNITS else f"42 or '42{_unit_suffix(self.unit)}'."))
        if isinstance(answer, bool) or answer is None:
            return nan
        if isinstance(answer, str):
            text = answer.replace("_", "").replace("\u202f", "").replace("\u2009", "").strip()
            text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", _HEDGE.sub("", text))  # "about 215", "~1,245 µs"
            m = _NUMBER.match(text)
            if not m:
                return nan
            value, unit = float(m.group(1)), (m.group(2) or "").strip()
            if unit and unit != self.unit:
                if self.unit in ("µs", "us") and unit.lower() in _TIME_UNITS:
                    value *= _TIME_UNITS[unit.lower()]
                elif unit in ("x", "×", "times") and self.unit in _RATIO_UNITS:
                    pass  # "8.72x" for a ratio
                elif unit == "%" and self.unit in _FRACTION_UNITS:
                    value /= 100.0  # "98%" for a share between 0 and 1
                elif unit.lower() in _TIME_UNITS or unit == "%":
                    return math.nan, "unit", f"Wrong unit: this answer is in {self.unit}, not {unit}."
                else:
                    return math.nan, "unit", f"Unknown unit {unit!r}: give the answer in {self.unit}."
        else:
            try:
                value = float(answer)
            except (TypeError, ValueError):
                return nan
        return (value, "", "") if math.isfinite(value) else nan

    def show_solution(self) -> Solution:
        """The worked solution, computed from the same numbers as the answer."""
        return Solution(f"{self.title} (seed {self.seed}): {fmt(self.answer)} {self.unit}",
                        self.variant.solution)

    def _answers_on(self) -> bool:
        return show_answers_default() if self.show_answers is None else self.show_answers

    def __str__(self) -> str:
        text = f"[{self.id}, seed {self.seed}] {self.question} ({self.tolerance_text}.)"
        if self._answers_on():
            text += f"\nAnswer: {fmt(self.answer)} {self.unit}\n{self.variant.solution}"
        return text

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        text = f"**{html.escape(self.title, quote=False)}** (seed {self.seed}): {html.escape(self.question, quote=False)} " \
               f"*({self.tolerance_text}.)*"
        if self._answers_on():
            text += f"\n\n**Answer: {fmt(self.answer)} {self.unit}**\n\n```\n{self.variant.solution}\n```"
        return text


class ExerciseSet:
    """A notebook's exercises, listed together; index by position or id."""

    def __init__(self, title: str, exercises, show_answers: bool | None = None):
        self.title, self.exercises = title, list(exercises)
        if show_answers is not None:
            for ex in self.exercises:
                ex.show_answers = show_answers

    def __iter__(self):
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def __getitem__(self, key) -> Exercise:
        if isinstance(key, int):
            return self.exercises[key]
        for ex in self.exercises:
            if ex.id == key:
                return ex
        raise KeyError(f"no exercise {key!r}; this set has {self.ids}")

    @property
    def ids(self) -> list[str]:
        return [ex.id for ex in self.exercises]

    def check(self, key, answer) -> Feedback:
        """``check(id, answer)``; an unknown id is feedback too, not an exception."""
        try:
            ex = self[key]
        except (KeyError, IndexError) as exc:
            return Feedback(False, "error", str(exc))
        return ex.check(answer)

    def __str__(self) -> str:
        return "\n\n".join([self.title, *(f"{i}. {ex}" for i, ex in enumerate(self.exercises, 1))])

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return "\n\n".join([f"### {self.title}",
                            *(f"{i}. {ex._repr_markdown_()}" for i, ex in enumerate(self.exercises, 1))])
