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


#: Words the model computes that prose may carry with ``|s`` (a side of the map's boundary line):
#: anything else with ``|s`` is a sentence that belongs in a code cell, not in a template.
WORDS = re.compile(r"^(above|below) the boundary line$")


def test_every_calc_template_evaluates_to_a_finite_number():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from notebook_text import make_context
    finally:
        sys.path.remove(str(ROOT / "tools"))
    ns = make_context().namespace
    for name, expr, fmt in TEMPLATES:
        value = eval(expr, {"__builtins__": {}}, dict(ns))  # noqa: S307
        if fmt == "s":  # computed words, e.g. which side of the boundary line a machine is on
            assert isinstance(value, str) and WORDS.match(value), (name, expr, value)
            continue
        assert float(value) == float(value) and abs(float(value)) != float("inf"), (name, expr)
        format(value, fmt or "g")
