"""Self-check exercises of notebook 01 (§2, §2.1): ipcmodel.exercises.trends.

Expected answers are recomputed here from the cited facts with the model's formulas written out,
never copied from the exercise; the paper's example is seed 0. What every exercise must do
(accept its answer, flag wrong ones, survive junk, reproduce seeds) is in test_core.py.
"""

import pytest

from ipcmodel.data import fact
from ipcmodel.exercises import trends

MAKERS = [trends.speedup_exercise, trends.scaled_time_exercise, trends.processor_share_exercise,
          trends.syscall_ratio_exercise, trends.gap_share_exercise]


def v(fid):
    return fact(fid).value


# ---- seed 0 is the paper's example, computed independently here --------------------------------

def _wire_us():
    return v("b92-buffer-copy-block") * 8 / v("mb92-ethernet-rate")


PAPER = {
    "rpc-speedup": lambda: v("b92-rpc-cvax-1992") / v("b92-rpc-ds5000"),
    "scaled-time": lambda: v("b92-rpc-cvax-1992") / v("b92-rating-ds5000-vs-cvax"),
    "processor-share": lambda: ((1 - v("b92-rpc-ds5000") / v("b92-rpc-cvax-1992"))
                                / (1 - 1 / v("b92-rating-ds5000-vs-cvax"))),
    "syscall-ratio": lambda: v("b92-rpc-cvax-1992") / v("b92-syscall-cvax"),
    "gap-share": lambda: 100 * (v("b92-rpc-cvax-1992") - v("b92-syscall-cvax")) / _wire_us(),
}


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
def test_seed_0_is_the_papers_example(make):
    ex = make()
    assert ex.answer == pytest.approx(PAPER[ex.id](), rel=1e-12)


def test_known_values_of_the_paper():
    assert trends.scaled_time_exercise().answer == pytest.approx(49.7)


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
def test_solutions_name_the_model_call_and_questions_cite(make):
    ex = make(2)
    assert "ipcmodel." in ex.show_solution().text
    assert "[" in ex.question  # every input carries its citation


def test_time_answers_accept_other_units():
    assert trends.scaled_time_exercise().check("49.7 µs").correct


def test_exercise_set():
    s = trends.exercise_set()
    assert len(s) == 7 and s.ids == ["rpc-speedup", "scaled-time", "processor-share",
                                     "syscall-ratio", "gap-share", "speedup-needed", "gap-service"]
    assert s.check("rpc-speedup", s["rpc-speedup"].answer).correct
    assert not s.check("no-such-exercise", 1).correct
    assert "Answer:" in str(trends.exercise_set(show_answers=True))
    assert "Answer:" not in str(trends.exercise_set(show_answers=False))


# ---- wording a student reviewer asked for -------------------------------------------------------

SHARE_WORDS = {1.0: "all of that time", 0.5: "half of that time", 0.75: "three quarters of that time",
               0.9: "90% of that time"}


@pytest.mark.parametrize("seed", range(4))
def test_scaled_time_says_the_share_in_words(seed):
    ex = trends.scaled_time_exercise(seed)
    share = trends.SHARES[seed % len(trends.SHARES)]
    assert f"{SHARE_WORDS[share]} (p = {share:g})" in ex.question
    assert "a share" not in ex.question
    assert ("the rest does not" in ex.question) == (share != 1)
