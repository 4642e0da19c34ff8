"""The exercise framework (ipcmodel.exercises.core) and the contract every topic's exercises keep.

Framework: answers are parsed in any time unit, feedback never raises, hints name the unit
mistake, the show-answers switch works, a custom exercise follows the pattern. The concrete
exercise used is notebook 00's break-even (Bershad 1992 §2: 57 µs RPC, 8 µs system call on the
DECstation 5000/200, so 923 µs at 5%).

Contract: every generator a topic module exports (``*_exercise``) and every notebook's
``exercise_set`` (through ``for_notebook``) accepts its own answer, flags wrong ones, survives
junk and reproduces its seeds; a new generator is tested here without being listed. The
exercises need neither matplotlib nor ipywidgets (checked in a subprocess that blocks both).
"""

import importlib
import math
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcmodel import exercises as exercises_pkg
from ipcmodel import service
from ipcmodel.exercises import core as ex_core
from ipcmodel.exercises import for_notebook
from ipcmodel.exercises.core import Exercise, ExerciseSet, Variant, machines_with, nth
from ipcmodel.exercises.service import break_even_exercise, overhead_exercise
from ipcmodel.machines import machine
from ipcmodel.measure import load_example

#: Topic modules whose generators take only a seed (yourmachine's take the probe run first and
#: are tested in test_yourmachine.py).
SEEDED_TOPICS = ("service", "trends", "caches", "transfer", "firewall", "history")
TOPIC_MODULES = sorted(set(exercises_pkg.TOPICS.values()))


def _generators():
    out = []
    for topic in SEEDED_TOPICS:
        module = importlib.import_module(f"ipcmodel.exercises.{topic}")
        out += [getattr(module, n) for n in module.__all__ if n.endswith("_exercise")]
    return out


GENERATORS = _generators()
SEEDS = range(12)


def gen_id(make):
    return f"{make.__module__.rsplit('.', 1)[-1]}.{make.__name__}"


# ---- framework ---------------------------------------------------------------------------------

def paper_break_even():
    ds = machine("ds5000")  # 57 µs RPC, 8 µs system call
    return service.break_even_service_us(ds.rpc_us, ds.syscall_us, 0.05)


@pytest.mark.parametrize("answer", [923, 923.0, "923", " 923 µs ", "923us", "0.923 ms", "9.3e2",
                                    "9.4e2", 935, "923000 ns", "0.000923 s"])
def test_right_answers_in_any_time_unit(answer):
    fb = break_even_exercise().check(answer)
    assert fb.correct and fb.kind == "correct" and fb.message.startswith("Correct")
    assert bool(fb) is True and "✓" in fb._repr_html_()


def test_tolerance_is_the_stated_one():
    ex = break_even_exercise()
    a = ex.answer
    assert "2%" in ex.tolerance_text
    assert ex.check(a * 1.0199).correct and ex.check(a * 1.0001).correct
    # 2% below is within the tolerance but breaks the question's "at most 5%": not accepted
    assert ex.check(a * 0.9801).kind == "constraint"
    assert not ex.check(a * 1.021).correct and not ex.check(a * 0.979).correct


@pytest.mark.parametrize("factor, words", [(1.5, "50% too high"), (0.75, "25% too low"),
                                           (1.05, "5.0% too high")])
def test_wrong_answers_say_how_far_off(factor, words):
    ex = break_even_exercise()
    fb = ex.check(ex.answer * factor)
    assert not fb.correct and fb.kind == "off" and words in fb.message
    assert f"{ex.answer:.4g}" not in fb.message  # the answer is not given away
    assert "✗" in fb._repr_html_()


def test_unit_hints():
    ex = break_even_exercise()
    assert "ns" in ex.check(ex.answer * 1000).message
    assert "ms" in ex.check(ex.answer / 1000).message
    assert ex.check(ex.answer / 1e6).kind == "unit"
    assert ex.check("923 %").kind == "unit"
    assert ex.check("923 furlongs").kind == "unit"
    pct = overhead_exercise()
    fb = pct.check(pct.answer / 100)  # a fraction where a percentage is asked
    assert fb.kind == "unit" and "fraction" in fb.message
    assert pct.check(f"{pct.answer:.3f}%").correct
    assert pct.check("5 ms").kind == "unit"


class Unfloatable:
    def __float__(self):
        raise RuntimeError("no float for you")


@pytest.mark.parametrize("answer", ["abc", "twelve", True, [923], {"a": 1}, math.nan,
                                    math.inf, "nan", "1..2", object(), Unfloatable()])
def test_non_numbers_get_feedback_not_exceptions(answer):
    fb = break_even_exercise().check(answer)
    assert not fb.correct and fb.kind in ("not-a-number", "error") and fb.message


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True),
                 st.integers(), st.none(), st.lists(st.integers(), max_size=3)))
def test_check_never_raises(answer):
    fb = overhead_exercise(seed=3).check(answer)
    assert isinstance(fb.correct, bool) and isinstance(fb.message, str)


def test_show_answers_switch(monkeypatch):
    monkeypatch.delenv(ex_core.SHOW_ANSWERS_ENV, raising=False)
    ex = break_even_exercise()
    assert "Answer" not in str(ex) and "Answer" not in ex._repr_markdown_()
    monkeypatch.setenv(ex_core.SHOW_ANSWERS_ENV, "1")
    assert "Answer: 923 µs" in str(ex) and "Answer: 923 µs" in ex._repr_markdown_()
    assert "Answer" not in str(break_even_exercise(show_answers=False))  # the argument wins
    monkeypatch.setenv(ex_core.SHOW_ANSWERS_ENV, "0")
    assert "Answer" in str(break_even_exercise(show_answers=True))


def test_custom_exercise_following_the_pattern():
    def variant(seed):
        ds = machine("ds5000")
        gap = ds.rpc_us - ds.syscall_us  # §2.1: "about 50 µsecs less than a round-trip RPC"
        return Variant(f"RPC minus system call on the {ds.name} (µs)?", gap, f"{ds.rpc_us:g} - {ds.syscall_us:g} = {gap:g}")

    ex = Exercise("gap", variant, "µs", rtol=0.0, atol=0.5)
    assert ex.check(49).correct and ex.check("49.4 us").correct and not ex.check(50).correct
    assert ExerciseSet("mine", [ex]).ids == ["gap"]


@pytest.mark.parametrize("unit, expected, given, ok", [
    ("µs", 923.0, "about 923 µs", True),
    ("µs", 923.0, "~0.923 ms", True),
    ("µs", 1245.0, "1,245 µs", True),
    ("times", 8.72, "8.72x", True),
    ("times", 8.72, "8.7×", True),
    ("share", 0.984, "98.4%", True),
    ("share", 0.984, "98.4", False),   # a share is between 0 and 1: not silently rescaled
    ("µs", 0.5, "0,5", False),         # a decimal comma is not a thousands separator
])
def test_answers_written_the_way_the_notebooks_write_them(unit, expected, given, ok):
    ex = Exercise("x", lambda seed: Variant("q", expected, "s"), unit)
    assert ex.check(given).correct is ok


def test_shared_helpers():
    assert nth(0, "ab", (1, 2, 3)) == ("a", 1) and nth(4, "ab", (1, 2, 3)) == ("a", 2)
    (only,) = nth(5, ["x", "y"])
    assert only == "y"
    ids = [m.id for m in machines_with("rpc_us", "syscall_us")]
    assert ids[0] == "ds5000" and sorted(ids[1:]) == ids[1:]   # the paper's example first
    assert all(machine(i).syscall_us is not None for i in ids)
    assert [m.id for m in machines_with("rpc_us", first=("cvax", "ds5000"))][:2] == ["cvax", "ds5000"]
    assert ex_core.fmt(922.857) == "922.9" and ex_core.cite(machine("ds5000"), "rpc_us").startswith("[")


# ---- for_notebook: the one lookup by notebook ----------------------------------------------------

@pytest.mark.parametrize("key", ["02", 2, "02_caches", "02_caches.ipynb", "notebooks/02_caches.ipynb"])
def test_for_notebook_accepts_numbers_stems_and_paths(key):
    assert for_notebook(key).title.startswith("Notebook 02")


def test_for_notebook_passes_seed_and_options():
    s = for_notebook("05", 2, show_answers=True)
    assert s.title.startswith("Notebook 05") and [e.seed for e in s] == [5, 6, 2, 7, 2]
    assert all(e.show_answers for e in s)
    assert for_notebook("00").ids == ["break-even", "overhead", "max-ipc", "crossings-overhead",
                                      "faster-processor"]
    assert for_notebook(6, run=load_example()).ids[0] == "machine-overhead"


@pytest.mark.parametrize("bad", ["08", 99, "README", "", True])
def test_for_notebook_rejects_a_notebook_without_exercises(bad):
    with pytest.raises(ValueError, match="stem_or_number"):
        for_notebook(bad)


def test_for_notebook_06_needs_the_run():
    with pytest.raises(TypeError, match="run="):
        for_notebook("06")


def test_every_topic_module_has_one_entry_point():
    for topic in TOPIC_MODULES:
        module = importlib.import_module(f"ipcmodel.exercises.{topic}")
        assert "exercise_set" in module.__all__, topic
        assert not hasattr(module, "exercises"), f"{topic}: the old name is gone"


# ---- the contract of every seeded generator --------------------------------------------------------

@pytest.mark.parametrize("make", GENERATORS, ids=gen_id)
@pytest.mark.parametrize("seed", SEEDS)
def test_right_answer_accepted_wrong_flagged(make, seed):
    ex = make(seed)
    assert math.isfinite(ex.answer) and ex.answer > 0 and ex.question
    assert ex.check(ex.answer).correct
    assert ex.check(f"{ex.answer:.6g}").correct
    assert ex.check(f"{ex.answer!r} {ex.unit}").correct          # with its unit, as text
    fb = ex.check(ex.answer * 1.5)
    assert not fb.correct and fb.kind in ("off", "unit", "slip")
    assert not ex.check(ex.answer * 0.5).correct
    assert not ex.check(-abs(ex.answer) - 1).correct
    sol = ex.show_solution()
    assert f"{ex.answer:.4g}" in str(sol) and sol.text.strip()


@pytest.mark.parametrize("make", GENERATORS, ids=gen_id)
@pytest.mark.parametrize("junk", ["forty", "abc", [1, 2], {"a": 1}, float("nan"),
                                  float("inf"), "12 parsecs", "1e999", True, object()])
def test_non_numeric_answers_never_raise(make, junk):
    fb = make(3).check(junk)
    assert not fb.correct
    assert fb.kind in ("not-a-number", "unit", "error")
    assert str(fb)


@pytest.mark.parametrize("make", GENERATORS, ids=gen_id)
def test_seeds_are_reproducible_and_vary(make):
    a, b = make(5), make(5)
    assert (a.question, a.answer, a.variant.solution) == (b.question, b.answer, b.variant.solution)
    assert make(7).with_seed(5).answer == a.answer
    assert make(0).with_seed(5).show_solution().text == a.show_solution().text
    assert len({make(s).question for s in SEEDS}) >= 2


@pytest.mark.parametrize("number", sorted(exercises_pkg.TOPICS))
def test_every_notebook_set(number):
    kw = {"run": load_example()} if number == "06" else {}
    s = for_notebook(number, 2, **kw)
    assert len(s) >= 3 and s.title.startswith(f"Notebook {number}")
    for ex_id in s.ids:
        assert s[ex_id].id == ex_id and s.check(ex_id, s[ex_id].answer).correct
    assert s.check("no-such-exercise", 1).kind == "error"   # feedback, not KeyError
    assert str(s) and s._repr_markdown_().startswith(f"### {s.title}")
    shown = for_notebook(number, show_answers=True, **kw)
    assert "Answer:" in str(shown[0])
    assert "Answer:" not in str(for_notebook(number, show_answers=False, **kw)[0])


# ---- no plotting stack needed ----------------------------------------------------------------------

_WITHOUT_PLOTTING = textwrap.dedent("""\
    import importlib, importlib.abc, pkgutil, sys

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("matplotlib", "ipywidgets"):
                raise ImportError(f"{name} is blocked: the exercises must not need it")
            return None

    sys.meta_path.insert(0, Block())
    import ipcmodel.exercises as pkg
    from ipcmodel.measure import load_example

    names = [m.name for m in pkgutil.iter_modules(pkg.__path__)]
    for name in names:
        importlib.import_module(f"ipcmodel.exercises.{name}")
    assert set(pkg.TOPICS.values()) <= set(names), names
    run = load_example()
    checked = 0
    for number in sorted(pkg.TOPICS):
        for seed in range(4):
            s = pkg.for_notebook(number, seed, **({"run": run} if number == "06" else {}))
            for ex in s:
                assert ex.check(ex.answer).correct, (number, seed, ex.id)
                assert not ex.check(ex.answer * 1.5).correct, (number, seed, ex.id)
                checked += 1
    blocked = sorted(m for m in sys.modules if m.split(".")[0] in ("matplotlib", "ipywidgets"))
    assert not blocked, blocked
    print(checked)
    """)


def test_exercises_need_neither_matplotlib_nor_ipywidgets():
    proc = subprocess.run([sys.executable, "-c", _WITHOUT_PLOTTING], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # 8 notebooks x 4 seeds, at least three exercises each
    assert int(proc.stdout.split()[-1]) >= 8 * 4 * 3
