"""``python -m ipcmodel history [--json]``: the predictions audit as a table or as JSON.

Part of :mod:`ipcmodel.history` (import from there). Nothing happens on import.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence

from ipcmodel.history.predictions import VERDICTS, Prediction, predictions, predictions_json

__all__ = ["history_main"]


def _table(preds: list[Prediction], width: int = 100) -> str:
    lines = [f"{'id':<34} {'§':<4} {'verdict':<13} evidence", "-" * width]
    for p in preds:
        lines.append(f"{p.id:<34} {p.section:<4} {p.verdict:<13} {', '.join(p.evidence)}")
        lines.extend(textwrap.wrap(p.prediction, width, initial_indent="    ", subsequent_indent="    "))
        lines.extend(textwrap.wrap(p.reasoning, width, initial_indent="    → ", subsequent_indent="      "))
        lines.append("")
    counts = {v: sum(p.verdict == v for p in preds) for v in VERDICTS}
    lines.append(", ".join(f"{n} {v}" for v, n in counts.items()))
    return "\n".join(lines)


def history_main(argv: Sequence[str] | None = None) -> int:
    """``history [--json]``: print the predictions audit as a table, or as JSON. Returns 0."""
    parser = argparse.ArgumentParser(
        prog="history",
        description="Test Bershad (1992)'s predictions against 1989–2025 data.")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list (keys id, section, prediction, evidence, verdict, reasoning)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.json:
        print(predictions_json())
    else:
        print(_table(predictions()))
    return 0
