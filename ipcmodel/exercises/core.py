"""Exercises with a self-check, in the style of the OSTEP homework simulators.

An :class:`Exercise` is a generator of problems: ``answer_fn(seed)`` picks the inputs (a machine,
a device, a threshold) from ``data/`` by the seed, computes the answer with ``ipcmodel`` and
writes the worked solution from the same numbers; nothing is typed in. ``seed=0`` is the paper's
own example; any other seed gives another variant, always the same one for the same seed (like
``-s SEED``), and a student identifier (a str) gives that student's own variants
(:func:`seed_for`). ``check(answer)`` never raises: it returns :class:`Feedback`:

* ``None`` or an empty string is a neutral "no answer yet" (what the saved notebooks show);
* a unit written with the number is read in that unit ("27 ms", "27000 µs", "50%", "1.5 cycles")
  and converted to the question's unit; a unit that measures something else is named, not
  guessed (:mod:`ipcmodel.exercises.answer_units`);
* an answer within the tolerance but against the question's own condition ("at most 5%") is
  not accepted (:class:`Constraint`);
* the slips the notebooks are about get targeted hints (:class:`Slip`: one-way vs round trip,
  the forgotten system call, crossings per use, cycles vs time, a fraction for a percentage);
* feedback about a percentage speaks in percentage points.

``show_solution()`` gives the worked answer (like ``-c``); ``key()`` the entry of the answer key
(``python -m ipcmodel answers``).

Instructors see answers inline with ``show_answers=True`` or the environment variable
``IPCMODEL_SHOW_ANSWERS=1``.

Example
-------
>>> from ipcmodel.exercises.service import break_even_exercise
>>> ex = break_even_exercise()
>>> ex.check("900 us").correct
False
>>> ex.check(None).kind, ex.check("0.93 ms").correct
('empty', True)
>>> ex.check(ex.answer).correct
True

Adding a generator: write ``def _my_variant(seed) -> Variant`` that takes its inputs from
``ipcmodel.machines`` / ``ipcmodel.data`` via :func:`nth` (and :func:`machines_with`), computes
the answer with a model function and builds the question and solution text from those values
(numbers through :func:`fmt`, machine values with :func:`cite`), names its ``inputs``, and
lists the ``slips`` (answers that typical mistakes give, computed by the same model) and any
``constraint`` its question states; then
``def my_exercise(seed=0, **kw): return Exercise("my-id", _my_variant, "µs", rtol=..., seed=seed, step="apply", **kw)``
and add it to the topic module's ``exercise_set(seed=0, show_answers=None)``, the one entry point
per topic (:func:`ipcmodel.exercises.for_notebook` finds it by notebook).
"""

from __future__ import annotations

import copy
import hashlib
import html
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from ipcmodel.data import Fact
from ipcmodel.exercises.answer_units import dimension_of, parse_answer, to_question_unit
from ipcmodel.exercises.feedback import (
    Constraint,
    Feedback,
    Slip,
    clock_slip,
    crossings_slip,
    round_trip_slip,
    syscall_slip,
)
from ipcmodel.exercises.sets import ExerciseSet, Solution
from ipcmodel.machines import Machine, load_machines

__all__ = [
    "SHOW_ANSWERS_ENV",
    "STEPS",
    "STEP_TEXT",
    "Variant",
    "Feedback",
    "Slip",
    "Constraint",
    "Solution",
    "Exercise",
    "ExerciseSet",
    "show_answers_default",
    "seed_for",
    "THRESHOLDS",
    "MISS_FRACTIONS",
    "fmt",
    "nth",
    "cite",
    "machines_with",
    "round_trip_slip",
    "syscall_slip",
    "crossings_slip",
    "clock_slip",
]

#: Set to 1 (or true/yes/on) to show answers and solutions inline, for instructors.
SHOW_ANSWERS_ENV = "IPCMODEL_SHOW_ANSWERS"

#: What an exercise asks of the student (``Exercise.step``): ``look-up`` = the notebook prints
#: the answer of the default variant above the exercise (it checks reading); ``apply`` = the
#: model on a machine, device or case the notebook does not compute; ``invert`` = solve the
#: model for an input; ``combine`` = put two sections' models together.
STEPS = ("look-up", "apply", "invert", "combine")
#: What the student is told about each step, next to the question (a look-up is honest about
#: being one: its default variant's answer is printed above it).
STEP_TEXT = {"look-up": "reading check: the notebook prints this for the default seed; find it and "
                        "see which inputs it comes from",
             "apply": "apply the model to a case the notebook does not compute",
             "invert": "solve the model for an input",
             "combine": "combine two sections' models"}

#: Thresholds the generators ask about: yardsticks for discussion, not measurements.
THRESHOLDS = (0.05, 0.01, 0.02, 0.1, 0.2)
#: Fractions of the IPC path's lines that miss, for the cold-cache variants (what-ifs).
MISS_FRACTIONS = (0.1, 0.25, 0.5, 1.0)

#: How close (relative) an answer must be to a slip's or a unit mistake's value for its hint.
_HINT_RTOL = 0.02
_UNIT_FACTORS = {  # exercise unit -> ((ratio of given to expected, hint), ...)
    "µs": ((1e3, "it is 1000 times too large: did you answer in ns instead of µs? (Write the "
                 "unit with the number, e.g. '27 ns', and it is converted.)"),
           (1e-3, "it is 1000 times too small: did you answer in ms instead of µs? (Write the "
                  "unit with the number, e.g. '0.9 ms', and it is converted.)"),
           (1e-6, "it is a million times too small: did you answer in s instead of µs?")),
    "%": ((1e-2, "it is 100 times too small: did you give a fraction (0.05) instead of a "
                 "percentage (5)? Write '5%' or 5."),
          (1e2, "it is 100 times too large: did you multiply a percentage by 100 again? "
                "Give a percentage such as 5 for 5%.")),
    "share": ((1e2, "it is 100 times too large: did you give a percentage (50) instead of a "
                    "fraction (0.5)? Write 0.5 or '50%'."),
              (1e-2, "it is 100 times too small: give the fraction itself (0.5 for a half).")),
}


def show_answers_default() -> bool:
    """True when the environment variable :data:`SHOW_ANSWERS_ENV` is 1/true/yes/on."""
    return os.environ.get(SHOW_ANSWERS_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def seed_for(seed_or_student) -> int:
    """The variant seed of a seed or a student identifier.

    An ``int`` (>= 0) is the seed itself. A ``str`` is a student identifier (a login, an e-mail,
    a matriculation number): surrounding spaces are dropped and case is ignored, and the text
    is mapped stably (the same on every machine and Python version) to a seed in
    ``[0, 2**31)``: the first four bytes of ``SHA-256("ipcmodel-student:" + id)``, big-endian,
    with the top bit cleared. So ``"ada@uni.example"`` and ``" ADA@uni.example"`` get the same
    exercises, and ``"7"`` is a student named 7, not seed 7.

    Raises
    ------
    TypeError
        For anything else (a bool, a float, None).
    ValueError
        For a negative seed or an empty identifier.
    """
    if isinstance(seed_or_student, bool) or not isinstance(seed_or_student, (int, str)):
        if hasattr(seed_or_student, "__index__") and not isinstance(seed_or_student, bool):
            seed_or_student = int(seed_or_student)  # numpy integers
        else:
            raise TypeError(f"seed must be an integer seed (>= 0) or a student identifier "
                            f"(str); got {seed_or_student!r}")
    if isinstance(seed_or_student, int):
        if seed_or_student < 0:
            raise ValueError(f"seed must be >= 0; got {seed_or_student}")
        return seed_or_student
    key = seed_or_student.strip().casefold()
    if not key:
        raise ValueError("seed: a student identifier must not be empty")
    digest = hashlib.sha256(b"ipcmodel-student:" + key.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


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
    """One problem: its text, the computed answer (in the exercise's unit), the worked solution.

    Optional, for better feedback and for the instructor's key:

    * ``inputs``: the values this variant varies (machine, device, threshold, ...), so two
      variants can be compared by their inputs, not their wording;
    * ``slips``: answers that known slips give (:class:`Slip`), each with its targeted hint;
    * ``constraint``: a condition the question states (:class:`Constraint`);
    * ``accepted``: other values the question's own words promise to accept (e.g. the paper's
      rounded figure); each must pass the check (tested);
    * ``clock_mhz``: the clock of the question, for the cycles-vs-time hint.
    """

    question: str
    answer: float
    solution: str
    inputs: dict = field(default_factory=dict)
    slips: tuple = ()
    constraint: Constraint | None = None
    accepted: tuple = ()
    clock_mhz: float | None = None


_EMPTY = ("No answer yet: write your answer in `answer` (a number, or text with its unit such as "
          "{example!r}) and run the cell again.")


class Exercise:
    """A seeded problem with a self-check.

    Parameters
    ----------
    id : str
        Short name, e.g. ``"break-even"``.
    answer_fn : callable
        ``answer_fn(seed) -> Variant``; computes the answer from ``ipcmodel`` and ``data/``.
    unit : str
        Unit of the answer (``"µs"``, ``"%"``, ``"share"``, ``"cycles"``, ``"bytes"``, ...).
    rtol, atol : float
        An answer counts when ``|given - answer| <= max(atol, rtol * |answer|)`` (``atol`` in
        the unit; percentage points for ``"%"``) and it meets the variant's constraint.
    seed : int or str
        Which variant (0 = the paper's example); a str is a student identifier (:func:`seed_for`).
    step : str
        What the exercise asks for, one of :data:`STEPS` ("" = not classified).
    show_answers : bool, optional
        Show answer and solution inline; default from :data:`SHOW_ANSWERS_ENV`.
    """

    def __init__(self, id: str, answer_fn: Callable[[int], Variant], unit: str, *,
                 rtol: float = 0.02, atol: float = 0.0, seed: int | str = 0, title: str = "",
                 step: str = "", show_answers: bool | None = None):
        if step and step not in STEPS:
            raise ValueError(f"step must be one of {STEPS} or ''; got {step!r}")
        self.id, self.answer_fn, self.unit = id, answer_fn, unit
        self.rtol, self.atol, self.title, self.step = rtol, atol, title or id, step
        self.seed = seed_for(seed)
        self.student = seed if isinstance(seed, str) else None
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
        parts = []
        if self.rtol:
            rel = f"within {self.rtol:.0%} of the correct value"
            parts.append(rel + (" (relative, not percentage points)" if self.unit == "%" else ""))
        if self.atol:
            unit = "percentage points" if self.unit == "%" else self.unit
            parts.append(f"within {self.atol:g} {unit}".rstrip())
        text = "answers " + " or ".join(parts) + " are accepted"
        if self.variant.constraint is not None:
            text += ", on the side the question asks for"
        return text

    def with_seed(self, seed: int | str) -> Exercise:
        """The same exercise with another variant (deterministic in ``seed``, an int or a
        student identifier)."""
        new = copy.copy(self)
        new.seed = seed_for(seed)
        new.student = seed if isinstance(seed, str) else None
        new.variant = new.answer_fn(new.seed)
        return new

    def check(self, answer) -> Feedback:
        """Feedback on ``answer`` (a number, or text such as ``"923 us"``); never raises.

        ``None`` or an empty string is "no answer yet" (neutral). A unit written with the
        number is read in that unit. Within the tolerance but against the question's own
        condition is not accepted; a known slip gets its hint.
        """
        try:
            return self._check(answer)
        except Exception as exc:  # feedback, not a traceback, for a student
            return Feedback(False, "error", f"Could not check {answer!r}: {exc}")

    def _empty(self) -> Feedback:
        example = "42%" if self.unit == "%" else f"42{_unit_suffix(self.unit)}"
        return Feedback(False, "empty", _EMPTY.format(example=example))

    def _within(self, value: float, target: float) -> bool:
        return abs(value - target) <= max(self.atol, self.rtol * abs(target))

    def _check(self, answer) -> Feedback:
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            return self._empty()
        value, kind, problem = self._parse(answer)
        if problem:
            return Feedback(False, kind, problem)
        shown = f"{fmt(value)}{_unit_suffix(self.unit)}"
        written = parse_answer(answer) if isinstance(answer, str) else None
        if written and written[1] and written[1] != self.unit:  # "27 ms": read as written
            shown = f"{answer.strip()} = {shown}"
        v = self.variant
        if self._within(value, self.answer):
            if v.constraint is not None and not v.constraint.holds(value):
                return Feedback(False, "constraint",
                                f"Not yet: {shown} is within the tolerance, but on the wrong side "
                                f"of the question's own condition: {v.constraint.why}")
            return Feedback(True, "correct", f"Correct: {shown} ({self.tolerance_text}).")
        hint = self._slip_hint(value, explicit=bool(written and written[1]))
        if hint is not None:
            return hint
        return self._off(value, shown)

    def _slip_hint(self, value: float, explicit: bool = False) -> Feedback | None:
        """The targeted hint of a recognised slip, or None."""
        v = self.variant
        for slip in v.slips:
            if (math.isfinite(slip.value) and not self._within(slip.value, self.answer)
                    and abs(value - slip.value) <= max(self.atol, _HINT_RTOL * abs(slip.value))):
                return Feedback(False, "slip", f"Not yet: {slip.hint}")
        if self.answer == 0 or value == 0:
            return None
        ratio = value / self.answer
        for factor, hint in _UNIT_FACTORS.get(self.unit, ()):
            if explicit and self.unit == "µs":
                break  # the student wrote a unit: it was read as written, so no "did you use ns?"
            if abs(ratio / factor - 1) <= max(self.rtol, _HINT_RTOL):
                return Feedback(False, "unit", f"Not yet: {hint}")
        if v.clock_mhz and self.unit in ("µs", "cycles"):
            for factor in (v.clock_mhz, 1 / v.clock_mhz):
                if abs(ratio / factor - 1) <= max(self.rtol, _HINT_RTOL):
                    return Feedback(False, "slip", "Not yet: " + clock_slip(value, v.clock_mhz,
                                                                           answer_unit=self.unit).hint)
        return None

    def _off(self, value: float, shown: str) -> Feedback:
        expected = self.answer
        if self.unit == "%":
            pts = abs(value - expected)
            side = "too high" if value > expected else "too low"
            word = "point" if f"{pts:.2g}" == "1" else "points"
            return Feedback(False, "off", f"Not yet: {shown} is {pts:.2g} percentage {word} {side} "
                                          f"({self.tolerance_text}).")
        if expected != 0 and value != 0:
            ratio = value / expected
            for f in (1e3, 1e6, 1e-3, 1e-6):
                if abs(ratio / f - 1) <= max(self.rtol, _HINT_RTOL):
                    how = f"{f:g} times too large" if f > 1 else f"{1 / f:g} times too small"
                    return Feedback(False, "off", f"Not yet: {shown} is {how}: check the size of "
                                                  "the number and the unit you wrote.")
            pct = abs(ratio - 1) * 100
            off = f"{pct:.1f}%" if pct < 10 else f"{pct:.0f}%"
            side = "too high" if ratio > 1 else "too low"
            return Feedback(False, "off", f"Not yet: {shown} is {off} {side} ({self.tolerance_text}).")
        return Feedback(False, "off", f"Not yet: {shown} is off by {fmt(abs(value - expected))}"
                                      f"{_unit_suffix(self.unit)} ({self.tolerance_text}).")

    def _parse(self, answer) -> tuple[float, str, str]:
        """``(value in self.unit, kind, problem)``; ``problem`` is "" when the answer is usable."""
        example = "0.42 or '42%'" if self.unit in ("share", "fraction") else \
            f"42 or '42{_unit_suffix(self.unit)}'"
        nan = (math.nan, "not-a-number",
               f"That is not a number: got {answer!r}. Type a number, e.g. {example}.")
        if isinstance(answer, bool) or answer is None:
            return nan
        if isinstance(answer, str):
            parsed = parse_answer(answer)
            if parsed is None:
                return nan
            value, unit = parsed
            if unit and unit != self.unit and dimension_of(self.unit) is None:
                return math.nan, "unit", f"Give the answer in {self.unit}, not {unit}."
            value, problem = to_question_unit(value, unit, self.unit)
            if problem:
                return math.nan, "unit", problem
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

    def key(self) -> dict:
        """This variant's entry of the answer key: what ``python -m ipcmodel answers`` prints."""
        v = self.variant
        return {"id": self.id, "title": self.title, "seed": self.seed, "step": self.step,
                "question": self.question, "answer": float(self.answer), "unit": self.unit,
                "rtol": self.rtol, "atol": self.atol, "tolerance": self.tolerance_text,
                "solution": v.solution,
                "inputs": {k: (x if isinstance(x, (int, float, str, bool)) or x is None else str(x))
                           for k, x in v.inputs.items()},
                "slips": [{"kind": s.kind, "value": float(s.value), "hint": s.hint} for s in v.slips],
                "constraint": (None if v.constraint is None else
                               {"low": v.constraint.low, "high": v.constraint.high,
                                "why": v.constraint.why})}

    def problems(self) -> list[str]:
        """Why this variant would not be well posed ([] = fine): a non-finite or non-positive
        answer, a promised value (``accepted``) the check rejects, a constraint the answer itself
        breaks. (A slip whose value lies within the tolerance is never hinted: the answer wins.)"""
        out, v = [], self.variant
        if not (math.isfinite(self.answer) and self.answer > 0):
            out.append(f"answer {self.answer!r} is not a positive finite number")
            return out
        if not self.check(self.answer).correct:
            out.append("the exact answer is not accepted")
        if v.constraint is not None and not v.constraint.holds(self.answer):
            out.append("the answer breaks its own constraint")
        for a in v.accepted:
            if not self.check(a).correct:
                out.append(f"the question promises that {a!r} counts, but the check rejects it")
        return out

    def _answers_on(self) -> bool:
        return show_answers_default() if self.show_answers is None else self.show_answers

    def __str__(self) -> str:
        text = f"[{self.id}, seed {self.seed}] {self.question} ({self.tolerance_text}.)"
        if self._answers_on():
            text += f"\nAnswer: {fmt(self.answer)} {self.unit}\n{self.variant.solution}"
        return text

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        step = f"; {STEP_TEXT[self.step]}" if self.step in STEP_TEXT else ""
        text = f"**{html.escape(self.title, quote=False)}** (seed {self.seed}{step}): " \
               f"{html.escape(self.question, quote=False)} *({self.tolerance_text}.)*"
        if self._answers_on():
            text += f"\n\n**Answer: {fmt(self.answer)} {self.unit}**\n\n```\n{self.variant.solution}\n```"
        return text
