"""The predictions audit as text: what ``python -m ipcmodel history [--json]`` prints.

The command line itself is :mod:`ipcmodel.__main__` (one parser for every subcommand).
Nothing happens on import.
"""

from __future__ import annotations

import textwrap

from ipcmodel.history.predictions import (
    VERDICTS,
    Prediction,
    format_sensitivity,
    predictions,
    predictions_json,
)

__all__ = ["report"]


def _table(preds: list[Prediction], width: int = 100) -> str:
    lines = [f"{'id':<34} {'§':<4} {'verdict':<13} evidence", "-" * width]
    for p in preds:
        lines.append(f"{p.id:<34} {p.section:<4} {p.verdict:<13} {', '.join(p.evidence)}")
        lines.extend(textwrap.wrap(p.prediction, width, initial_indent="    ", subsequent_indent="    "))
        lines.extend(textwrap.wrap(p.reasoning, width, initial_indent="    → ", subsequent_indent="      "))
        lines.extend(textwrap.wrap(format_sensitivity(p), width, initial_indent="    sensitivity: ",
                                   subsequent_indent="      "))
        lines.append("")
    counts = {v: sum(p.verdict == v for p in preds) for v in VERDICTS}
    lines.append(", ".join(f"{n} {v}" for v, n in counts.items()))
    return "\n".join(lines)


def report(as_json: bool = False) -> str:
    """The predictions audit as a table (each prediction with its verdict under every data choice on a
    ``sensitivity:`` line), or as a JSON list (keys id, section, prediction, evidence, verdict,
    reasoning, figure, rule_verdict, sensitivity) when ``as_json``."""
    return predictions_json() if as_json else _table(predictions())
