"""Every notebook states the time tools/reading_time.py estimates (issue 10: at about 150 words a
minute for dense prose, plus minutes per explorer and exercise), and the estimator counts what it
says it counts (hand-made sources with known word and cell counts)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import reading_time as rt  # noqa: E402

SOURCES = sorted((ROOT / "notebooks" / "src").glob("*.md"))


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_stated_time_is_the_estimate(path):
    text = path.read_text(encoding="utf-8")
    assert rt.stated_minutes(text) == rt.estimate_minutes(text), (
        f"{path.name}: run `python tools/reading_time.py --write`")


def test_counts_on_a_known_source():
    words = " ".join(["word"] * 300)  # 300 words = 2 minutes at 150 words a minute
    text = ("# Title\n\nLearning objectives (about 5 minutes). " + words + "\n\n"
            "```{code-cell} ipython3\nex = master_explorer()\nex.widget\n```\n\n"
            "```{code-cell} ipython3\ne1.check(answer)\n```\n\n"
            "```{code-cell} ipython3\nprint(1)\n```\n")
    p = rt.parts(text)
    assert p["explorers"] == 1 and p["exercises"] == 1 and p["other_cells"] == 1
    assert 300 <= p["words"] <= 310       # the heading and the objectives line add ~7 words
    # 2.05 + 4 + 3 + 0.5 = 9.55 minutes, rounded up to 10
    assert rt.estimate_minutes(text) == 10
    assert rt.stated_minutes(text) == 5


def test_templates_count_as_one_word():
    a = rt.parts("a b c {{calc:paper.cold_path_us()|.0f}} d")["words"]
    assert a == 5


def test_readme_states_the_range_of_the_estimates():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\((\d+) to (\d+) minutes each", readme)
    assert m, "README.md no longer states the notebooks' range of minutes"
    minutes = [rt.estimate_minutes(p.read_text(encoding="utf-8")) for p in SOURCES]
    assert (int(m.group(1)), int(m.group(2))) == (min(minutes), max(minutes))
