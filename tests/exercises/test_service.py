"""Exercises with a self-check (ipcmodel.selfcheck): feedback never raises, seeds reproduce,
solutions show the computed value. Expected answers are computed here from ipcmodel.service and
the cited machine records (Bershad 1992 §2, §2.1; Chen & Bershad 1993 Table 2-1)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcmodel import service
from ipcmodel.exercises import core as selfcheck
from ipcmodel.exercises.core import Exercise, ExerciseSet, Variant
from ipcmodel.exercises.service import (
    break_even_exercise,
    cold_break_even_exercise,
    exercise_set,
    max_ipc_exercise,
    overhead_exercise,
)
from ipcmodel.machines import machine

GENERATORS = [break_even_exercise, overhead_exercise, max_ipc_exercise, cold_break_even_exercise]


def paper_break_even():
    ds = machine("ds5000")  # 57 µs RPC, 8 µs system call
    return service.break_even_service_us(ds.rpc_us, ds.syscall_us, 0.05)


def test_seed_zero_is_the_papers_example():
    ex = break_even_exercise()
    assert ex.answer == pytest.approx(paper_break_even(), rel=1e-12)
    assert "DECstation 5000/200" in ex.question and "57 µs" in ex.question and "5%" in ex.question
    assert "[Bershad92, §2, p. 3]" in ex.question  # every input number with its source


@pytest.mark.parametrize("answer", [923, 923.0, "923", " 923 µs ", "923us", "0.923 ms", "9.3e2",
                                    "9.4e2", 910])
def test_right_answers_in_any_time_unit(answer):
    fb = break_even_exercise().check(answer)
    assert fb.correct and fb.kind == "correct" and fb.message.startswith("Correct")
    assert bool(fb) is True and "✓" in fb._repr_html_()


def test_tolerance_is_the_stated_one():
    ex = break_even_exercise()
    a = ex.answer
    assert "2%" in ex.tolerance_text
    assert ex.check(a * 1.0199).correct and ex.check(a * 0.9801).correct
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


@pytest.mark.parametrize("answer", ["abc", "", "twelve", None, True, [923], {"a": 1}, math.nan,
                                    math.inf, "nan", "1..2", object(), Unfloatable()])
def test_non_numbers_get_feedback_not_exceptions(answer):
    fb = break_even_exercise().check(answer)
    assert not fb.correct and fb.kind in ("not-a-number", "error") and fb.message


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True),
                 st.integers(), st.none(), st.lists(st.integers(), max_size=3)))
def test_check_never_raises(answer):
    fb = overhead_exercise(seed=3).check(answer)
    assert isinstance(fb.correct, bool) and isinstance(fb.message, str)


@pytest.mark.parametrize("make", GENERATORS)
def test_seeds_reproduce_and_vary(make):
    first = [make(seed) for seed in range(4)]
    again = [make(seed) for seed in range(4)]
    assert [(e.question, e.answer) for e in first] == [(e.question, e.answer) for e in again]
    assert len({e.question for e in first}) == 4  # four seeds, four different problems
    assert first[0].with_seed(2).question == first[2].question


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("seed", [0, 1, 5])
def test_solution_shows_the_computed_answer(make, seed):
    ex = make(seed)
    sol = ex.show_solution()
    assert f"{ex.answer:.4g}" in sol.text and f"{ex.answer:.4g} {ex.unit}" in sol.title
    assert "ipcmodel.service." in sol.text  # names the model function that computed it
    assert ex.check(ex.answer).correct
    assert str(sol).startswith(sol.title) and sol.text in sol._repr_markdown_()


def test_answers_follow_the_model_for_every_variant():
    for seed in range(8):
        ex = break_even_exercise(seed)
        m = next(m for m in (machine(i) for i in ("cvax", "ds5000", "ds2100")) if m.name in ex.question)
        th = next(t for t in selfcheck.THRESHOLDS if f"at most {t:.0%}?" in ex.question)
        assert ex.answer == pytest.approx(service.break_even_service_us(m.rpc_us, m.syscall_us, th),
                                          rel=1e-12)


def test_cold_variant_uses_the_cited_cache():
    ex = cold_break_even_exercise(seed=3)  # DS5000/200, 100% of the lines miss, 10% threshold
    ds = machine("ds5000")
    lines = (4 * 1024 + 2 * 1024) / ds.cache_line_bytes  # §3: 4 KB + 2 KB, 16-byte lines
    ipl = lines * 1.0 * ds.miss_penalty_cycles / ds.clock_mhz
    want = service.break_even_service_us(ds.rpc_us, ds.syscall_us, 0.1, 0.0, ipl)
    assert "100% of those lines" in ex.question and "at most 10%" in ex.question
    assert ex.answer == pytest.approx(want, rel=1e-12)


def test_show_answers_switch(monkeypatch):
    monkeypatch.delenv(selfcheck.SHOW_ANSWERS_ENV, raising=False)
    ex = break_even_exercise()
    assert "Answer" not in str(ex) and "Answer" not in ex._repr_markdown_()
    monkeypatch.setenv(selfcheck.SHOW_ANSWERS_ENV, "1")
    assert "Answer: 923 µs" in str(ex) and "Answer: 923 µs" in ex._repr_markdown_()
    assert "Answer" not in str(break_even_exercise(show_answers=False))  # the argument wins
    monkeypatch.setenv(selfcheck.SHOW_ANSWERS_ENV, "0")
    assert "Answer" in str(break_even_exercise(show_answers=True))


def test_exercise_sets_for_the_notebooks():
    s = exercise_set("00")
    assert s.ids == ["break-even", "overhead", "max-ipc"] and len(s) == 3
    assert s["break-even"].answer == pytest.approx(paper_break_even(), rel=1e-12)
    assert s.check("break-even", "923 µs").correct
    assert s.check("no-such-id", 1).kind == "error"  # feedback, not KeyError
    assert "### Notebook 00" in s._repr_markdown_() and s[1].question in str(s)
    s5 = exercise_set("05", seed=2, show_answers=True)
    assert [e.seed for e in s5] == [5, 6, 2] and all(e.show_answers for e in s5)
    # notebook 05 never repeats a problem of notebook 00
    assert not {e.question for e in s5} & {e.question for e in s}
    with pytest.raises(ValueError, match="notebook"):
        exercise_set("99")


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
    from ipcmodel.exercises.core import Exercise, Variant

    ex = Exercise("x", lambda seed: Variant("q", expected, "s"), unit)
    assert ex.check(given).correct is ok
