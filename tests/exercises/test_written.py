"""Written questions (issue 13): every explain/judge/argue objective of notebooks 00-05 has one,
with a model answer and a rubric that the student's notebook does not show."""

import json
import re
from pathlib import Path

import pytest

from ipcmodel.exercises.written import NOTEBOOKS, written_questions

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {p.name.split("_", 1)[0]: p for p in (ROOT / "notebooks" / "src").glob("0[0-5]_*.md")}


def objectives(number):
    text = SOURCES[number].read_text(encoding="utf-8")
    block = text.split("**Learning objectives.**", 1)[-1].split("+++", 1)[0]
    return re.findall(r"^(\d+)\.\s+(.*)$", block, flags=re.M)


@pytest.mark.parametrize("number", ["00", "01", "02", "03", "04", "05"])
def test_every_explain_objective_has_a_written_question(number):
    assert number in NOTEBOOKS
    asked = {q.objective for q in written_questions(number)}
    explain = {int(n) for n, text in objectives(number)
               if re.search(r"(^|\*\*|\band )(explain|judge|argue)\b", text, re.I)}  # the verbs
    assert explain <= asked, (number, explain - asked)
    assert len(asked) >= 2


@pytest.mark.parametrize("number", NOTEBOOKS)
def test_questions_have_model_answers_and_rubrics(number):
    for q in written_questions(number):
        assert len(q.model_answer) > 200 and q.prompt.endswith(("?", "."))
        assert q.rubric and all(p > 0 for p, _ in q.rubric) and q.points == sum(p for p, _ in q.rubric)
        assert "{" not in q.prompt + q.model_answer            # no unrendered template


@pytest.mark.parametrize("number", NOTEBOOKS)
def test_the_notebook_shows_prompts_not_answers(number):
    ws = written_questions(number)
    shown = ws._repr_markdown_() + str(ws)
    for q in ws:
        assert q.prompt in shown and q.model_answer not in shown
        assert all(c not in shown for _, c in q.rubric)
    nb = json.loads(next((ROOT / "notebooks").glob(f"{number}_*.ipynb")).read_text(encoding="utf-8"))
    saved = json.dumps(nb, ensure_ascii=False)
    assert ws.questions[0].prompt.split(".")[0].replace('"', '\\"') in saved  # the prompts are shown
    assert all(q.model_answer[:80].replace('"', '\\"') not in saved for q in ws)


def test_unknown_notebook():
    with pytest.raises(ValueError, match="notebook"):
        written_questions("09")
