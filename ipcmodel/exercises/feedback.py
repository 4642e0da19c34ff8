"""What a check says: :class:`Feedback`, and the slips and conditions a variant can declare.

A variant (:class:`ipcmodel.exercises.core.Variant`) may list the answers that typical slips
produce (:class:`Slip`, computed by the same model with the slipped input, so the hint fires
only for that slip) and a condition its own question states (:class:`Constraint`, e.g. "at
most 5%", so an answer inside the tolerance on the wrong side of the bound is not accepted).
The constructors below word the slips these notebooks are about:

* :func:`round_trip_slip`: one-way vs round trip (a factor of 2);
* :func:`syscall_slip`: forgetting the system call that both designs pay;
* :func:`crossings_slip`: forgetting the crossings per use;
* :func:`clock_slip`: cycles vs time at a clock (a factor of the clock in MHz);
* a percentage given as a fraction or the reverse (a factor of 100) is recognised by
  :class:`~ipcmodel.exercises.core.Exercise` itself for every answer in ``%`` or ``share``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = [
    "Feedback",
    "Slip",
    "Constraint",
    "round_trip_slip",
    "syscall_slip",
    "crossings_slip",
    "clock_slip",
    "SLIP_KINDS",
]

#: The slips the notebooks are about: kind -> what the misconception is (for the instructor guide).
SLIP_KINDS = {
    "round-trip": "one-way vs round trip: an RPC time here is a round trip (request and reply)",
    "syscall": "forgetting the system call both designs pay: the microkernel adds RPC − system "
               "call, not the whole RPC",
    "crossings": "forgetting the crossings per use: a service use may cross the kernel several times",
    "clock": "cycles vs time: time (µs) = cycles / clock (MHz)",
    "percent": "a percentage given as a fraction, or the reverse (a factor of 100)",
    "other": "a slip specific to this exercise",
}


@dataclass(frozen=True, repr=False)
class Feedback:
    """What :meth:`Exercise.check` says.

    ``kind`` is ``correct``, ``empty`` (no answer yet: neutral, neither right nor wrong),
    ``off``, ``unit``, ``slip`` (a recognised slip, with a targeted hint), ``constraint`` (within
    the tolerance but against the question's own condition), ``not-a-number`` or ``error``.
    """

    correct: bool
    kind: str
    message: str

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:  # what a plain console, a screen reader and GitHub's text view show
        return self._mark() + " " + self.message

    def __bool__(self) -> bool:
        return self.correct

    def _mark(self) -> str:
        return "✓" if self.correct else ("…" if self.kind == "empty" else "✗")

    def _repr_html_(self) -> str:
        colour = "#009E73" if self.correct else ("#767676" if self.kind == "empty" else "#D55E00")
        return (f'<div role="status" style="border-left:4px solid {colour};padding:2px 8px">'
                f"{self._mark()} {html.escape(self.message, quote=False)}</div>")


@dataclass(frozen=True)
class Slip:
    """The answer a slip gives (in the exercise's unit) and the hint that names the slip.

    ``kind`` is one of :data:`SLIP_KINDS`. The hint must not give the answer away.
    """

    value: float
    hint: str
    kind: str = "other"


@dataclass(frozen=True)
class Constraint:
    """A condition the question itself states: the answer must lie in ``[low, high]``.

    ``why`` says which condition (without the answer), e.g. "the question asks for the shortest
    service time that keeps the overhead at most 5%: round up, not down". Bounds are widened by
    ``slack`` (relative) so that rounding to the four digits the solutions show is accepted, or
    by ``slack_abs`` (in the answer's unit) where the answer is a whole number (bytes).
    """

    low: float | None = None
    high: float | None = None
    why: str = ""
    slack: float = 5e-4
    slack_abs: float = 0.0

    def holds(self, value: float) -> bool:
        lo = None if self.low is None else self.low - max(self.slack * abs(self.low), self.slack_abs)
        hi = None if self.high is None else self.high + max(self.slack * abs(self.high), self.slack_abs)
        return (lo is None or value >= lo) and (hi is None or value <= hi)


def round_trip_slip(value: float, *, answer_is_round_trip: bool = True) -> Slip:
    """A slip that halves or doubles the answer: one-way vs round trip."""
    what = ("a round-trip RPC is a request *and* a reply, and the times here are round trips: "
            "did you halve it (a one-way time), or count a round trip twice?")
    return Slip(value, f"it is off by a factor of 2: {what}", "round-trip")


def syscall_slip(value: float) -> Slip:
    """A slip that leaves out the system call both designs pay."""
    return Slip(value, "did you forget the system call? Both designs enter the kernel: the "
                       "monolithic kernel pays a system call, so the microkernel's extra cost is "
                       "RPC − system call, and the system call stays in both totals.", "syscall")


def crossings_slip(value: float, crossings: float) -> Slip:
    """A slip that counts one crossing per use instead of ``crossings``."""
    return Slip(value, f"did you count one crossing per use? This use crosses the boundary "
                       f"{crossings:g} times: every per-crossing cost is paid {crossings:g} times.",
                "crossings")


def clock_slip(value: float, clock_mhz: float, *, answer_unit: str = "µs") -> Slip:
    """A slip that mixes cycles and microseconds at ``clock_mhz``."""
    return Slip(value, f"it is off by a factor of {clock_mhz:g}, the clock in MHz: did you mix up "
                       "cycles and microseconds? time (µs) = cycles / clock (MHz); the answer "
                       f"is in {answer_unit}.", "clock")
