"""Self-check exercises of notebook 04 (§5): ipcmodel.exercises.firewall.

Seed 0's answers are recomputed here by hand from the cited facts (Bershad 1992; Maeda &
Bershad 1992), not read back from the generators. What every exercise must do (accept its
answer, flag wrong ones, survive junk, reproduce seeds) is in test_core.py.
"""

import pytest

from ipcmodel import units
from ipcmodel.data import fact
from ipcmodel.exercises import firewall

MAKERS = [firewall.effective_cost_exercise, firewall.local_fraction_exercise,
          firewall.clock_speedup_exercise, firewall.udp_share_exercise]


def v(fid):
    return fact(fid).value


# ---- seed 0: the paper's numbers, recomputed by hand ------------------------------------------

def test_seed0_effective_cost():
    f = v("b92-emulation-calls-local") / v("b92-emulation-calls-total")
    sc, rpc = v("b92-syscall-ds5000"), v("b92-rpc-ds5000")
    want = f * sc + (1 - f) * (sc + rpc)
    assert firewall.effective_cost_exercise().answer == pytest.approx(want, rel=1e-12)


def test_seed0_local_fraction():
    budget = firewall.EXTRA_BUDGETS_US[0]
    want = 100 * (1 - budget / v("b92-rpc-ds5000"))
    assert firewall.local_fraction_exercise().answer == pytest.approx(want, rel=1e-12)


def test_seed0_clock_speedup():
    want = v("b92-syscall-ds5000") / (1 / v("b92-clock-ds5000"))
    assert firewall.clock_speedup_exercise().answer == pytest.approx(want, rel=1e-12)


def test_seed0_udp_share():
    crossings = 4 * (v("mb92-socket-unix-server") - v("mb92-socket-in-kernel")) \
        + 2 * (v("mb92-driver-write") + v("mb92-packet-filter-receive"))
    slowdown = units.ms_to_us(v("mb92-udp-rtt-unix-server") - v("mb92-udp-rtt-mach25"))
    assert firewall.udp_share_exercise().answer == pytest.approx(100 * crossings / slowdown, rel=1e-12)


def test_udp_share_tolerance_is_half_a_point():
    e = firewall.udp_share_exercise()
    assert e.answer == pytest.approx(18.5, abs=0.05)
    assert "0.5 percentage points" in e.tolerance_text
    assert e.check(18.5).correct and e.check(e.answer + 0.45).correct and e.check(e.answer - 0.45).correct
    assert not e.check(e.answer + 0.6).correct and not e.check(e.answer - 0.6).correct


def test_mapped_driver_variant_counts_no_driver_crossings():
    e = firewall.udp_share_exercise(3)
    assert "mapped driver" in e.question and "no driver crossings" in e.question
    sockets = 4 * (v("mb92-socket-unix-server") - v("mb92-socket-in-kernel"))
    slowdown = units.ms_to_us(v("mb92-udp-rtt-mapped-driver") - v("mb92-udp-rtt-mach25"))
    assert e.answer == pytest.approx(100 * sockets / slowdown, rel=1e-12)


# ---- across seeds ------------------------------------------------------------------------------

@pytest.mark.parametrize("make", MAKERS, ids=lambda m: m.__name__)
def test_seeds_give_at_least_three_answers(make):
    assert len({round(make(s).answer, 9) for s in range(8)}) >= 3


def test_what_ifs_are_labelled():
    # variants that do not use a published number say so in the question
    assert "what-if" in firewall.effective_cost_exercise(1).question
    assert "our assumption" in firewall.clock_speedup_exercise(0).question
    assert "yardstick" in firewall.local_fraction_exercise(0).question


def test_exercise_set():
    s = firewall.exercise_set(seed=2)
    assert s.ids == ["effective-cost", "local-fraction", "clock-speedup", "udp-share",
                     "clock-elsewhere", "socket-needed"]
    assert all(e.seed == 2 for e in s)
