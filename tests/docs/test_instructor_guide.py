"""The instructor guide (docs/instructor/, issue 13) is generated from the exercise code and the
committed pages are current: `python tools/instructor_guide.py` rewrites them."""

import importlib.util
import re
from pathlib import Path

import pytest

from ipcmodel.exercises import for_notebook

#: the instructor guide is generated course material, not the model: in `make test`, not `make test-fast`
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "instructor"


@pytest.fixture(scope="module")
def pages():
    spec = importlib.util.spec_from_file_location("instructor_guide", ROOT / "tools" / "instructor_guide.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.generate()


def test_committed_pages_are_current(pages):
    stale = [n for n, text in pages.items()
             if not (GUIDE / n).exists() or (GUIDE / n).read_text(encoding="utf-8") != text]
    assert not stale, f"run `python tools/instructor_guide.py`: out of date {stale}"


@pytest.mark.parametrize("number", ["00", "01", "02", "03", "04", "05", "06", "07"])
def test_a_page_per_notebook_with_every_part(pages, number):
    text = pages[f"{number}.md"]
    for heading in ("## Learning objectives", "## Timing", "## Prerequisites", "## Suggested split",
                    "## Answer key", "## Common misconceptions", "## Written questions",
                    "## Discussion questions"):
        assert heading in text, (number, heading)
    assert re.search(r"About \*\*\d+ minutes\*\*", text)


@pytest.mark.parametrize("number", ["00", "01", "02", "03", "04", "05"])
def test_the_key_on_the_page_is_what_check_accepts(pages, number):
    text = pages[f"{number}.md"]
    shown = re.findall(r"\*\*Answer: ([-0-9.e+]+)", text)
    exs = for_notebook(number, 0)
    assert len(shown) == len(exs)
    for value, ex in zip(shown, exs, strict=True):
        assert ex.check(float(value)).correct, (number, ex.id, value)
    assert "### W1" in text and "**Model answer.**" in text and "**Rubric.**" in text


def test_readme_says_how_to_deploy_and_how_to_grade_with_nbgrader(pages):
    text = pages["README.md"]
    for words in ("Binder", "nbgitpuller", "python -m ipcmodel answers", "--student", "nbgrader"):
        assert words in text
    # nbgrader (issue 13): install the extra, generate, release, grade
    for words in ('pip install -e ".[course]"', "python -m ipcmodel.course",
                  "nbgrader generate_assignment", "nbgrader autograde"):
        assert words in text, words
    assert "not part of this version" not in text
