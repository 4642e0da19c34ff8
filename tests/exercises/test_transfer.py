"""Self-check exercises of notebook 03 (§4): ipcmodel.exercises.transfer.

Seed 0's answers are recomputed here by hand from the cited facts (Bershad 1992; Chen & Bershad
1993), not read back from the generators. What every exercise must do (accept its answer, flag
wrong ones, survive junk, reproduce seeds) is in test_core.py.
"""

import math

import pytest

from ipcmodel import units
from ipcmodel.data import fact
from ipcmodel.exercises import transfer

MAKERS = [transfer.remap_crossover_exercise, transfer.remap_break_even_exercise,
          transfer.mapped_socket_fixed_exercise, transfer.x11_crossings_exercise]


def v(fid):
    return fact(fid).value


def bw():
    """DECstation 5000/200 copy estimate: 25 MHz / (15/16 + (1 + 2)/4) cycles per byte."""
    return v("b92-clock-ds5000") / (v("cb93-dcache-read-miss-ds5000") / v("cb93-dcache-fetch-ds5000")
                                    + (v("cb93-write-page-mode-ds5000") + 2) / 4)


PAGE = units.kb_to_bytes(v("cb93-page-size-ds5000"))


# ---- seed 0: the paper's numbers, recomputed by hand ------------------------------------------

def test_seed0_remap_crossover():
    r = transfer.REMAP_US_PER_PAGE[0]
    # critic C2 N3: seed 0's what-if lies below the only related measurement (about 2.6 ms per
    # one-page send, MaedaBershad92 Tables 1-2) but keeps remapping for large messages only (§4).
    # On page j remapping costs rpc + j r; the kernel copy rpc + 2n/B passes it at n_j = j r B / 2
    # (the RPC cancels). The first page j whose n_j falls at or before the page's start,
    # n_j <= (j - 1) P (i.e. j >= P / (P - r B / 2)), is won whole; page j - 1 is won above
    # n_(j-1), so remapping is cheaper at every size above n_(j-1) = (j - 1) r B / 2.
    step = r * bw() / 2
    assert step < PAGE
    j = math.ceil(PAGE / (PAGE - step))
    want = (j - 1) * step
    assert want > 4 * PAGE                                        # not a sub-page crossover
    e = transfer.remap_crossover_exercise()
    assert e.answer == pytest.approx(want, rel=1e-12)
    assert "ceil(n/P)" in e.question                              # the formula is the question's
    assert "what-if" in e.question and "DECstation 2100" in e.question
    assert "per call (one null round-trip RPC" in e.question      # critic C2 M1
    assert e.check(math.ceil(want)).correct
    straight_line = r / (2 / bw() - r / PAGE)                     # F + r (n/P + 1): a bound, rejected
    assert not e.check(straight_line).correct


def test_remap_crossover_what_ifs_all_below_the_measurement():
    anchor = (v("mb92-udp-rtt-unix-server") - v("mb92-udp-rtt-ipc-novm")) * 1000 / 2  # µs per send
    assert anchor > 2 * PAGE / bw()   # at the measured cost remapping never beats the kernel copy
    assert all(r < 2 * PAGE / bw() < anchor for r in transfer.REMAP_US_PER_PAGE)


def test_seed0_shared_saving_notifies_with_the_rpc():
    # critic C2 M2: on the uniprocessor DECstation the notification is the RPC (a sleeping server
    # must be switched to): the saving is one copy, 4096 / B; the system call is a labelled what-if
    e = transfer.shared_saving_exercise()
    assert e.answer == pytest.approx(4096 / bw(), rel=1e-12)
    assert "round-trip RPC" in e.question and "per call" in e.question
    sc_seed = next(s for s in range(8) if "system call" in transfer.shared_saving_exercise(s).question)
    q = transfer.shared_saving_exercise(sc_seed).question
    assert "what-if" in q and "another processor" in q and "uniprocessor" in q


def test_remap_crossover_with_a_losing_second_page():
    seed = transfer.REMAP_US_PER_PAGE.index(300.0)
    # r = 300: n_1 = r B / 2 = 2222 on page 1; n_2 = r B = 4444 > 4096 on page 2; n_3 = 6667 < 8192
    e = transfer.remap_crossover_exercise(seed)
    assert e.answer == pytest.approx(300.0 * bw(), rel=1e-12)
    assert "page 2" in e.show_solution().text


def test_seed0_remap_break_even_is_one_page_copy():
    assert transfer.remap_break_even_exercise().answer == pytest.approx(PAGE / bw(), rel=1e-12)


def test_seed0_mapped_socket_fixed_cost():
    n0, g = v("b92-mapped-socket-no-gain-below"), v("b92-mapped-socket-gain") / 100
    fixed_copies = (2 * PAGE * (1 - g) - n0 - PAGE) / g          # 18,448 byte-copies
    answer = transfer.mapped_socket_fixed_exercise().answer
    assert answer == pytest.approx(fixed_copies / bw(), rel=1e-12)
    assert 1000 < answer < 1500                                    # "about 1.2 ms"


def test_seed0_x11_crossings_near_the_expected_value():
    m = transfer.FLUSHES_PER_COLLECTION[0]
    assert transfer.x11_crossings_exercise().answer == pytest.approx(2 / m, rel=0.03)


def test_x11_flush_rate_is_our_choice():
    assert "our choice" in transfer.x11_crossings_exercise().question


# ---- across seeds ------------------------------------------------------------------------------

@pytest.mark.parametrize("make", MAKERS, ids=lambda m: m.__name__)
def test_seeds_give_at_least_three_answers(make):
    assert len({round(make(s).answer, 9) for s in range(8)}) >= 3


def test_time_answers_accept_other_time_units():
    e = transfer.mapped_socket_fixed_exercise()
    assert e.check(f"{e.answer / 1000!r} ms").correct
    assert e.check(e.answer * 1000).kind == "unit"             # answered in ns


def test_what_ifs_are_labelled():
    # variants that do not use a published number say so in the question
    assert "no source gives" in transfer.remap_crossover_exercise(1).question
    assert "what-if" in transfer.mapped_socket_fixed_exercise(1).question


def test_exercise_set():
    s = transfer.exercise_set(seed=2)
    assert s.ids == ["remap-crossover", "remap-break-even", "mapped-socket-fixed", "x11-crossings",
                     "shared-saving", "copy-equals-fixed"]
    assert all(e.seed == 2 for e in s)
