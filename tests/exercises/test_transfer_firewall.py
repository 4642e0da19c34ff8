"""Self-check exercises of notebooks 03 (§4) and 04 (§5).

Seed 0's answers are recomputed here by hand from the cited facts (Bershad 1992; Maeda &
Bershad 1992; Chen & Bershad 1993), not read back from the generators.
"""

import math

import pytest

from ipcmodel import units
from ipcmodel.data import fact
from ipcmodel.exercises import firewall as exercises_s5
from ipcmodel.exercises import transfer as exercises_s4

MAKERS = [
    exercises_s4.remap_crossover_exercise, exercises_s4.remap_break_even_exercise,
    exercises_s4.mapped_socket_fixed_exercise, exercises_s4.x11_crossings_exercise,
    exercises_s5.effective_cost_exercise, exercises_s5.local_fraction_exercise,
    exercises_s5.clock_speedup_exercise, exercises_s5.udp_share_exercise,
]
SEEDS = range(8)


def v(fid):
    return fact(fid).value


def bw():
    """DECstation 5000/200 copy estimate: 25 MHz / (15/16 + (1 + 2)/4) cycles per byte."""
    return v("b92-clock-ds5000") / (v("cb93-dcache-read-miss-ds5000") / v("cb93-dcache-fetch-ds5000")
                                    + (v("cb93-write-page-mode-ds5000") + 2) / 4)


PAGE = units.kb_to_bytes(v("cb93-page-size-ds5000"))


# ---- seed 0: the paper's numbers, recomputed by hand ------------------------------------------

def test_seed0_remap_crossover():
    r = exercises_s4.REMAP_US_PER_PAGE[0]
    # page 1 costs rpc + r; the kernel copy rpc + 2n/B reaches it at n = r B / 2 (the RPC cancels).
    # Page 2 (rpc + 2r) is reached at n = r B, still on page 1: remapping wins from there on.
    want = r * bw() / 2
    assert r * bw() <= PAGE
    e = exercises_s4.remap_crossover_exercise()
    assert e.answer == pytest.approx(want, rel=1e-12)
    assert "ceil(n/P)" in e.question                              # the formula is the question's
    assert e.check(740).correct and e.check(741).correct          # the staircase, to the byte
    straight_line = r / (2 / bw() - r / PAGE)                     # F + r (n/P + 1): a bound, rejected
    assert not e.check(straight_line).correct


def test_remap_crossover_with_a_losing_second_page():
    seed = exercises_s4.REMAP_US_PER_PAGE.index(300.0)
    # r = 300: n_1 = r B / 2 = 2222 on page 1; n_2 = r B = 4444 > 4096 on page 2; n_3 = 6667 < 8192
    e = exercises_s4.remap_crossover_exercise(seed)
    assert e.answer == pytest.approx(300.0 * bw(), rel=1e-12)
    assert "page 2" in e.show_solution().text


def test_seed0_remap_break_even_is_one_page_copy():
    assert exercises_s4.remap_break_even_exercise().answer == pytest.approx(PAGE / bw(), rel=1e-12)


def test_seed0_mapped_socket_fixed_cost():
    n0, g = v("b92-mapped-socket-no-gain-below"), v("b92-mapped-socket-gain") / 100
    fixed_copies = (2 * PAGE * (1 - g) - n0 - PAGE) / g          # 18,448 byte-copies
    answer = exercises_s4.mapped_socket_fixed_exercise().answer
    assert answer == pytest.approx(fixed_copies / bw(), rel=1e-12)
    assert 1000 < answer < 1500                                    # "about 1.2 ms"


def test_seed0_x11_crossings_near_the_expected_value():
    m = exercises_s4.FLUSHES_PER_COLLECTION[0]
    assert exercises_s4.x11_crossings_exercise().answer == pytest.approx(2 / m, rel=0.03)


def test_seed0_effective_cost():
    f = v("b92-emulation-calls-local") / v("b92-emulation-calls-total")
    sc, rpc = v("b92-syscall-ds5000"), v("b92-rpc-ds5000")
    want = f * sc + (1 - f) * (sc + rpc)
    assert exercises_s5.effective_cost_exercise().answer == pytest.approx(want, rel=1e-12)


def test_seed0_local_fraction():
    budget = exercises_s5.EXTRA_BUDGETS_US[0]
    want = 100 * (1 - budget / v("b92-rpc-ds5000"))
    assert exercises_s5.local_fraction_exercise().answer == pytest.approx(want, rel=1e-12)


def test_seed0_clock_speedup():
    want = v("b92-syscall-ds5000") / (1 / v("b92-clock-ds5000"))
    assert exercises_s5.clock_speedup_exercise().answer == pytest.approx(want, rel=1e-12)


def test_seed0_udp_share():
    crossings = 4 * (v("mb92-socket-unix-server") - v("mb92-socket-in-kernel")) \
        + 2 * (v("mb92-driver-write") + v("mb92-packet-filter-receive"))
    slowdown = units.ms_to_us(v("mb92-udp-rtt-unix-server") - v("mb92-udp-rtt-mach25"))
    assert exercises_s5.udp_share_exercise().answer == pytest.approx(100 * crossings / slowdown, rel=1e-12)


def test_udp_share_tolerance_is_half_a_point():
    e = exercises_s5.udp_share_exercise()
    assert e.answer == pytest.approx(18.5, abs=0.05)
    assert "0.5 percentage points" in e.tolerance_text
    assert e.check(18.5).correct and e.check(e.answer + 0.45).correct and e.check(e.answer - 0.45).correct
    assert not e.check(e.answer + 0.6).correct and not e.check(e.answer - 0.6).correct


def test_x11_flush_rate_is_our_choice():
    assert "our choice" in exercises_s4.x11_crossings_exercise().question


def test_mapped_driver_variant_counts_no_driver_crossings():
    e = exercises_s5.udp_share_exercise(3)
    assert "mapped driver" in e.question and "no driver crossings" in e.question
    sockets = 4 * (v("mb92-socket-unix-server") - v("mb92-socket-in-kernel"))
    slowdown = units.ms_to_us(v("mb92-udp-rtt-mapped-driver") - v("mb92-udp-rtt-mach25"))
    assert e.answer == pytest.approx(100 * sockets / slowdown, rel=1e-12)


# ---- behaviour of every exercise and seed -----------------------------------------------------

@pytest.mark.parametrize("make", MAKERS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("seed", SEEDS)
def test_right_answer_accepted_wrong_flagged(make, seed):
    e = make(seed)
    assert math.isfinite(e.answer) and e.answer > 0 and e.question
    assert e.check(e.answer).correct
    assert e.check(f"{e.answer!r} {e.unit}").correct            # with its unit, as text
    assert not e.check(e.answer * 1.5).correct
    assert not e.check(e.answer * 0.5).correct
    sol = e.show_solution()
    assert f"{e.answer:.4g}" in str(sol) and str(sol).strip()


@pytest.mark.parametrize("make", MAKERS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("bad", [None, "abc", "", "12 parsecs", [1, 2], {"a": 1}, float("nan"),
                                 math.inf, True, object(), "1e999"])
def test_non_numeric_answers_never_raise(make, bad):
    fb = make().check(bad)
    assert not fb.correct and str(fb)


def test_time_answers_accept_other_time_units():
    e = exercises_s4.mapped_socket_fixed_exercise()
    assert e.check(f"{e.answer / 1000!r} ms").correct
    assert e.check(e.answer * 1000).kind == "unit"             # answered in ns


@pytest.mark.parametrize("make", MAKERS, ids=lambda m: m.__name__)
def test_seeds_are_reproducible_and_vary(make):
    a, b = make(5), make(5)
    assert (a.question, a.answer, a.show_solution().text) == (b.question, b.answer, b.show_solution().text)
    assert make(0).with_seed(5).answer == a.answer
    answers = {round(make(s).answer, 9) for s in SEEDS}
    assert len(answers) >= 3


def test_what_ifs_are_labelled():
    # variants that do not use a published number say so in the question
    assert "no source gives" in exercises_s4.remap_crossover_exercise(1).question
    assert "what-if" in exercises_s4.mapped_socket_fixed_exercise(1).question
    assert "what-if" in exercises_s5.effective_cost_exercise(1).question
    assert "our assumption" in exercises_s5.clock_speedup_exercise(0).question
    assert "yardstick" in exercises_s5.local_fraction_exercise(0).question


@pytest.mark.parametrize("module", [exercises_s4, exercises_s5])
def test_sets(module):
    s = module.exercises(seed=2)
    assert len(s) >= 3 and all(e.seed == 2 for e in s)
    for ex_id in s.ids:
        assert s[ex_id].id == ex_id
    assert not s.check("no-such-exercise", 1).correct
    assert str(s) and s._repr_markdown_()
    shown = module.exercises(show_answers=True)
    assert "Answer:" in str(shown[0])
