"""The predictions audit: each prediction of the paper, a rule in code, a computed verdict that
holds under every defensible choice of data.

A verdict changes when the data change: every numeric rule (:mod:`ipcmodel.history.rules`) reads the
history rows (or a changed copy passed as ``rows``). Each rule is run under every data choice of
:mod:`ipcmodel.history.sensitivity` (all admitted rows; one ISA at a time; a cold cache; the fit for
every year; each IPC row left out in turn); the printed verdict is ``held`` or ``did-not-hold`` only
when every choice that can be applied gives it, else ``mixed`` with the choices that differ named in
the ``reasoning``. A choice that changes only data a rule does not read
(:data:`ipcmodel.history.rules.SERIES_READ`) is listed as "does not apply" with the verdict ``n/a``,
never run as if it had tested the rule.

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence

from ipcmodel.data import load_bibliography
from ipcmodel.history.rows import HistoryRow
from ipcmodel.history.rules import CHOICE_DOES_NOT_APPLY, QUALITATIVE, RULES
from ipcmodel.history.sensitivity import (
    DATA_CHOICES,
    MODERN_LINE_BYTES,
    NOT_APPLICABLE,
    VERDICTS,
    Prediction,
    Sensitivity,
    data_choices,
    leave_one_out,
)

__all__ = ["Prediction", "Sensitivity", "VERDICTS", "MODERN_LINE_BYTES", "predictions", "predictions_json",
           "format_sensitivity"]


def _loo_entry(rule, rows, base: Prediction) -> Sensitivity:
    """One entry summarising the rule without each IPC row in turn."""
    runs = [(rid, rule(sub)) for rid, sub in leave_one_out(rows)]
    counted = [(rid, p.verdict) for rid, p in runs if p.verdict != NOT_APPLICABLE]
    verdicts = {v for _, v in counted}
    if not counted:
        return Sensitivity(DATA_CHOICES[6], f"{len(runs)} runs, none applicable", NOT_APPLICABLE)
    if len(verdicts) == 1:
        v = verdicts.pop()
        return Sensitivity(DATA_CHOICES[6], f"{len(runs)} runs, all {v}", v)
    odd = [f"without {rid}: {v}" for rid, v in counted if v != base.verdict]
    return Sensitivity(DATA_CHOICES[6], f"{len(runs)} runs; " + "; ".join(odd[:6])
                       + (f"; … ({len(odd)} differ)" if len(odd) > 6 else ""), "mixed")


def _judge(rule, rows) -> Prediction:
    """The rule on all admitted rows, its sensitivity under every data choice, the printed verdict."""
    choices = data_choices(rows)
    base = rule(choices[0].rows, choices[0].method)
    if rule in QUALITATIVE:
        sens = (Sensitivity("any data choice", "qualitative: reads no IPC or device rows", base.verdict),)
    else:
        entries = [Sensitivity(choices[0].name, base.figure, base.verdict)]
        for c in choices[1:]:
            na = CHOICE_DOES_NOT_APPLY.get((rule, c.name))
            if na:
                entries.append(Sensitivity(c.name, na, NOT_APPLICABLE))
                continue
            p = rule(c.rows, c.method)
            if c.name == DATA_CHOICES[4] and p.verdict not in (base.verdict, NOT_APPLICABLE):
                # the cold cache is a bound of ours, not data (critic C4 H4): it can confirm a verdict,
                # and where it disagrees it settles nothing, so it is shown but not counted
                entries.append(Sensitivity(c.name, f"{p.figure} ({p.verdict} under a bound of ours, not data: "
                                           "shown, not counted)", NOT_APPLICABLE))
                continue
            entries.append(Sensitivity(c.name, p.figure, p.verdict))
        na = CHOICE_DOES_NOT_APPLY.get((rule, DATA_CHOICES[6]))
        entries.append(Sensitivity(DATA_CHOICES[6], na, NOT_APPLICABLE) if na
                       else _loo_entry(rule, choices[0].rows, base))
        sens = tuple(entries)
    counted = [e for e in sens if e.verdict != NOT_APPLICABLE]
    kinds = {e.verdict for e in counted}
    rule_verdict = "mixed" if base.verdict == NOT_APPLICABLE else base.verdict
    verdict = kinds.pop() if len(kinds) == 1 and base.verdict != NOT_APPLICABLE else "mixed"
    reasoning = base.reasoning
    if len({e.verdict for e in counted}) > 1:
        differ = [f"{e.choice} gives {e.verdict}" for e in counted if e.verdict != rule_verdict]
        reasoning += f" Mixed across data choices (all admitted rows: {rule_verdict}): " + "; ".join(differ) + "."
    return dataclasses.replace(base, verdict=verdict, reasoning=reasoning, rule_verdict=rule_verdict,
                               sensitivity=sens)


#: The audit of the shipped data, made on the first call without ``rows`` (the shipped files do
#: not change while a kernel runs; notebook 07 asks for it from several cells).
_SHIPPED: list = []


def predictions(rows: Sequence[HistoryRow] | None = None) -> list[Prediction]:
    """The predictions audit: each prediction with evidence, a computed verdict, reasoning and its
    sensitivity to the choice of data (:mod:`ipcmodel.history.sensitivity`).

    Parameters
    ----------
    rows : sequence of HistoryRow, optional
        Data to judge with; the shipped data when None (computed once per process: the
        predictions are frozen). Passing changed rows changes the verdicts whose rules are numeric.
    """
    if rows is None:
        if not _SHIPPED:
            _SHIPPED.extend(_audit(None))
        return list(_SHIPPED)
    return _audit(rows)


def _audit(rows: Sequence[HistoryRow] | None) -> list[Prediction]:
    out = [_judge(rule, rows) for rule in RULES]
    refs = load_bibliography()
    for p in out:
        missing = [k for k in p.evidence if k not in refs]
        if missing:
            raise ValueError(f"prediction {p.id!r} cites unknown key(s) {missing}")
        if p.verdict not in VERDICTS:
            raise ValueError(f"prediction {p.id!r} has verdict {p.verdict!r}; expected one of {VERDICTS}")
    return out


def predictions_json(rows: Sequence[HistoryRow] | None = None) -> str:
    """The audit as a JSON list of objects with keys id, section, prediction, evidence, verdict,
    reasoning, figure, rule_verdict and sensitivity (each entry: choice, figure, verdict)."""
    return json.dumps([p.to_dict() for p in predictions(rows)], ensure_ascii=False, indent=2)


_SHORT = {"all admitted rows": "all", "x86 rows only": "x86", "Arm rows only": "Arm", "other ISAs only": "other",
          "cold cache (upper bound)": "cold", "log-linear fit for every year": "fit",
          "each IPC row left out in turn": "leave-one-out", "any data choice": "any"}


def format_sensitivity(p: Prediction) -> str:
    """The sensitivity of one prediction on one line, e.g. ``"all held · x86 did-not-hold · ..."``."""
    return " · ".join(f"{_SHORT.get(e.choice, e.choice)} {e.verdict}" for e in p.sensitivity)
