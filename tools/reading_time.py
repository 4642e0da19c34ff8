"""How long a notebook takes: prose at 150 words a minute, plus time for explorers and exercises.

Issue 10 asked for re-measured time estimates: dense technical prose reads at about 150 words a
minute; each explorer needs a few minutes of moving sliders and answering its prompts; each
exercise a few minutes of working. The estimate is rounded up to 5 minutes and written into the
"Learning objectives" line of each source (``--write``); ``tests/notebooks/test_static.py``
checks that every source states the estimate this tool computes.

Usage::

    python tools/reading_time.py            print the estimate per notebook
    python tools/reading_time.py --write    put it into the sources' "(about N minutes)" phrase
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path

SRC_DIR = Path(__file__).resolve().parents[1] / "notebooks" / "src"

WORDS_PER_MINUTE = 150      # dense technical prose (issue 10)
EXPLORER_MINUTES = 4        # move the sliders, answer the "predict" prompts
EXERCISE_MINUTES = 3        # work one exercise
CODE_CELL_MINUTES = 0.5     # read and run any other code cell
ROUND_TO = 5

_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)
_TEMPLATE = re.compile(r"\{\{[^}]*\}\}")
_LINK = re.compile(r"\]\([^)]*\)")
_STATED = re.compile(r"about (\d+) minutes")


def parts(text: str) -> dict:
    """Prose words, explorers, exercises and other code cells of one MyST source."""
    body = text.split("---", 2)[-1] if text.startswith("---") else text
    cells = _CELL.findall(body)
    prose = _LINK.sub("]", _TEMPLATE.sub(" N ", _CELL.sub(" ", body)))
    words = len(re.findall(r"[\w\u00b5][\w'’\-.,/%µ×]*", prose))
    explorers = sum(1 for c in cells if re.search(r"\b\w*explorer\(|create\(", c))
    exercises = sum(c.count(".check(") for c in cells)
    other = len(cells) - explorers - sum(1 for c in cells if ".check(" in c)
    return {"words": words, "explorers": explorers, "exercises": exercises, "other_cells": max(other, 0)}


def estimate_minutes(text: str) -> int:
    """Minutes for one source, rounded up to :data:`ROUND_TO`."""
    p = parts(text)
    m = (p["words"] / WORDS_PER_MINUTE + EXPLORER_MINUTES * p["explorers"]
         + EXERCISE_MINUTES * p["exercises"] + CODE_CELL_MINUTES * p["other_cells"])
    return int(math.ceil(m / ROUND_TO) * ROUND_TO)


def stated_minutes(text: str) -> int | None:
    """The "about N minutes" the source states in its learning objectives (None if absent)."""
    m = _STATED.search(text)
    return int(m.group(1)) if m else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="write the estimates into the sources")
    args = ap.parse_args(argv)
    for path in sorted(SRC_DIR.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        est, stated = estimate_minutes(text), stated_minutes(text)
        print(f"{path.stem:<28} {parts(text)}  estimate {est} min, stated {stated}")
        if args.write and stated is not None and stated != est:
            path.write_text(_STATED.sub(f"about {est} minutes", text, count=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
