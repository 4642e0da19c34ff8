"""Every ``{{calc:...}}`` template in notebooks/src is one short call, and every one evaluates.

A derived number lives in :mod:`ipcmodel.paper` (or a model module), named, documented and tested
there; a template only calls it. A long expression in the prose is a derivation written a second
time, out of reach of the tests: this file fails on it.
"""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "notebooks" / "src").glob("*.md"))
CALC = re.compile(r"\{\{calc:(.*?)\}\}")
#: The longest expression (before ``|format``) a template may hold, in characters.
MAX_EXPR_CHARS = 60


def _templates():
    for path in SOURCES:
        for m in CALC.finditer(path.read_text(encoding="utf-8")):
            expr, _, fmt = m.group(1).partition("|")
            yield path.name, expr.strip(), fmt


TEMPLATES = list(_templates())


def test_there_are_templates():
    assert SOURCES and len(TEMPLATES) > 50


@pytest.mark.parametrize("name, expr, fmt", TEMPLATES, ids=[f"{n}:{e[:40]}" for n, e, _ in TEMPLATES])
def test_calc_templates_are_short(name, expr, fmt):
    assert len(expr) <= MAX_EXPR_CHARS, (
        f"{name}: {{{{calc:{expr}}}}} is {len(expr)} characters (at most {MAX_EXPR_CHARS}); "
        "give the number a named, tested function in ipcmodel.paper and call that")


WORD = re.compile(r"\{\{word:(.*?)\}\}")
WORD_TEMPLATES = [(p.name, m.group(1).strip()) for p in SOURCES
                  for m in WORD.finditer(p.read_text(encoding="utf-8"))]


def _context():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import notebook_text
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return notebook_text


def test_every_calc_template_evaluates_to_a_finite_number():
    ns = _context().make_context().namespace
    for name, expr, fmt in TEMPLATES:
        assert fmt != "s", f"{name}: {{{{calc:{expr}|s}}}}: computed words use {{{{word:...}}}}"
        value = eval(expr, {"__builtins__": {}}, dict(ns))  # noqa: S307
        assert float(value) == float(value) and abs(float(value)) != float("inf"), (name, expr)
        format(value, fmt or "g")


def test_word_templates_are_short_calls_to_the_model_vocabulary():
    # 05 says which side of the regime map's boundary a machine is on: computed, not typed.
    nt = _context()
    ctx = nt.make_context()
    assert WORD_TEMPLATES, "05_conclusions uses {{word:...}} for the map's sides"
    for name, expr in WORD_TEMPLATES:
        assert len(expr) <= MAX_EXPR_CHARS, (name, expr)
        assert nt.render("{{word:" + expr + "}}", ctx).text in nt.WORDS, (name, expr)


def test_the_renderer_refuses_a_sentence_in_a_word_or_calc_template():
    nt = _context()
    ctx = nt.make_context()
    with pytest.raises(ValueError, match="computed words"):
        nt.render('{{word:"it is fine"}}', ctx)
    with pytest.raises(ValueError, match="word"):
        nt.render('{{calc:"it is fine"|s}}', ctx)
