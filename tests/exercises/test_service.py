"""Exercises of notebooks 00 and 05 (ipcmodel.exercises.service). Expected answers are computed
here from ipcmodel.service and the cited machine records (Bershad 1992 §2, §2.1; Chen & Bershad
1993 Table 2-1). The framework's own tests are in test_core.py."""

import pytest

from ipcmodel import service
from ipcmodel.exercises import core as ex_core
from ipcmodel.exercises.core import seed_for
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
        th = next(t for t in ex_core.THRESHOLDS if f"at most {t:.0%}?" in ex.question)
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


def test_exercise_sets_for_the_notebooks():
    s = exercise_set()  # notebook 00's, the default
    assert s.ids == exercise_set(notebook="00").ids
    assert s.ids == ["break-even", "overhead", "max-ipc", "crossings-overhead", "faster-processor"]
    assert s["break-even"].answer == pytest.approx(paper_break_even(), rel=1e-12)
    assert s.check("break-even", "923 µs").correct
    assert s.check("no-such-id", 1).kind == "error"  # feedback, not KeyError
    assert "### Notebook 00" in s._repr_markdown_() and s[1].question in str(s)
    s5 = exercise_set(seed=2, notebook="05", show_answers=True)
    assert [e.seed for e in s5] == [5, 6, 2, 7, 2] and all(e.show_answers for e in s5)
    # notebook 05 never repeats a problem of notebook 00
    assert not {e.question for e in s5} & {e.question for e in s}
    with pytest.raises(ValueError, match="notebook"):
        exercise_set(notebook="99")
    # a str is a student identifier now (the old exercise_set("05") call meant a notebook)
    assert [e.seed for e in exercise_set("ada")] == [seed_for("ada")] * 5
