"""Notebook 06 exercises on the saved example result (a fixed ProbeResult).

Seed 0's answers are recomputed here by hand from the example's JSON fields (rounded to the
4 significant digits the questions show) and the cited facts, not read back from the generators.
"""

import copy
import math

import pytest

from ipcmodel.exercises import yourmachine as em
from ipcmodel.measure import load_example
from ipcmodel.yourmachine import MachineRun

MAKERS = [em.overhead_exercise, em.break_even_exercise, em.clock_speedup_exercise,
          em.comapping_exercise, em.cold_path_exercise]
SEEDS = range(6)


def r4(x):
    return float(f"{x:.4g}")


@pytest.fixture(scope="module")
def example():
    return load_example()


@pytest.fixture
def run(example):
    return MachineRun(copy.deepcopy(example), True)


def net(result, name):
    return r4(result.measurements[name].net_us)


# ---- seed 0, by hand ---------------------------------------------------------------------------

def test_seed0_overhead_is_the_nand_ssd(run):
    ipc, sc = net(run.result, "pipe_round_trip"), net(run.result, "null_syscall")
    e = em.overhead_exercise(run)
    assert "NAND SSD" in e.question and f"{ipc:g} µs" in e.question
    s = 77.9  # the Intel P3700's mean 4 kB read [AnandOptane17]
    assert e.answer == pytest.approx(100 * (ipc - sc) / (ipc + s), rel=1e-12)
    assert e.answer == pytest.approx(6.698, rel=1e-3)


def test_seed0_break_even(run):
    ipc, sc = net(run.result, "pipe_round_trip"), net(run.result, "null_syscall")
    d = ipc - sc
    assert em.break_even_exercise(run).answer == pytest.approx(d / 0.05 - d - sc, rel=1e-12)


def test_seed0_clock_against_the_null_system_call(run):
    # critic C2 N7: §5's firewall is the crossing; the trapping clock adds accounting work, so
    # seed 0 compares the mapped read with the null system call measured in the same run
    e = em.clock_speedup_exercise(run)
    assert "getppid" in e.question and "crossing alone" in e.question
    want = net(run.result, "null_syscall") / net(run.result, "clock_monotonic")
    assert e.answer == pytest.approx(want, rel=1e-3)  # inputs rounded to 4 digits
    e1 = em.clock_speedup_exercise(run, seed=1)
    assert "clock_thread_cputime" in e1.question and "accounting" in e1.question
    want1 = net(run.result, "clock_thread_cputime") / net(run.result, "clock_monotonic")
    assert e1.answer == pytest.approx(want1, rel=1e-3)


def test_seed0_comapping(run):
    # critic C2 N9: like for like, two CPUs on both sides (the spin needs two)
    e = em.comapping_exercise(run)
    want = net(run.result, "pipe_round_trip_cross_cpu") / net(run.result, "shm_spin_round_trip")
    assert e.answer == pytest.approx(want, rel=1e-3)
    assert "two CPUs with both spinning" in e.question and "between two CPUs" in e.question
    # seed 1: §4's shared buffer with its wake-up against the pipe, both on one CPU (about 1)
    e1 = em.comapping_exercise(run, seed=1)
    want1 = net(run.result, "pipe_round_trip") / net(run.result, "shm_pipe_round_trip")
    assert e1.answer == pytest.approx(want1, rel=1e-3) and 0.5 < e1.answer < 2
    assert "one CPU" in e1.question and "wake-up" in e1.question


def test_seed0_cold_path(run):
    lat = run.result.latency
    lines = 4096 / 64 + 2048 / 64          # §3: 4 KB + 2 KB in 64-byte lines
    want = lines * 0.1 * r4(lat.miss_penalty_cycles) / r4(lat.clock_mhz)
    assert em.cold_path_exercise(run).answer == pytest.approx(want, rel=1e-12)


def test_variants_cycle_through_inputs(run):
    e = em.break_even_exercise(run)
    assert e.with_seed(1).question != e.question
    assert e.with_seed(1).answer == em.break_even_exercise(run, seed=1).answer  # deterministic
    assert "between two CPUs" in e.with_seed(2).question
    assert "Optane" in em.overhead_exercise(run, seed=1).question


# ---- behaviour of every exercise and seed -----------------------------------------------------

@pytest.mark.parametrize("make", MAKERS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("seed", SEEDS)
def test_right_answer_accepted_wrong_flagged(run, make, seed):
    e = make(run, seed)
    assert math.isfinite(e.answer) and e.answer > 0 and "this run" in e.question
    assert e.check(e.answer).correct
    assert e.check(f"{e.answer!r} {e.unit}").correct
    assert not e.check(e.answer * 1.5).correct
    assert not e.check(e.answer * 0.5).correct
    assert f"{e.answer:.4g}" in str(e.show_solution())


@pytest.mark.parametrize("make", MAKERS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("bad", [None, "abc", "", "12 parsecs", [1, 2], {"a": 1}, float("nan"),
                                 math.inf, True, object(), "1e999"])
def test_non_numeric_answers_never_raise(run, make, bad):
    fb = make(run).check(bad)
    assert not fb.correct and str(fb)


def test_time_answers_accept_other_units(run):
    e = em.break_even_exercise(run)
    assert e.check(f"{e.answer / 1000!r} ms").correct
    assert e.check(f"{e.answer / 1000!r}").kind == "unit"  # 1000 times too small: a hint


def test_the_set_and_a_plain_probe_result(run, example):
    s = em.exercise_set(run)
    assert len(s) == 7 and s.ids[0] == "machine-overhead"
    assert em.overhead_exercise(example).answer == pytest.approx(em.overhead_exercise(run).answer)


def test_an_example_run_says_so(example):
    e = em.overhead_exercise(MachineRun(copy.deepcopy(example), False, "no fork"))
    assert "NOT this machine" in e.question


def test_a_missing_measurement_uses_the_example_and_says_so(run):
    del run.result.measurements["shm_spin_round_trip"]
    del run.result.measurements["shm_pipe_round_trip"]
    e = em.comapping_exercise(run)
    assert "saved example" in e.question
    ex = load_example()
    want = net(ex, "pipe_round_trip_cross_cpu") / net(ex, "shm_spin_round_trip")
    assert e.answer == pytest.approx(want, rel=1e-3)


def test_a_wrong_run_is_a_clear_error():
    with pytest.raises(ValueError, match="MachineRun or a ProbeResult"):
        em.overhead_exercise({"ipc_us": 5})


def test_titles_say_where_the_numbers_come_from(example):
    here = em.exercise_set(MachineRun(copy.deepcopy(example), True))
    saved = em.exercise_set(MachineRun(copy.deepcopy(example), False, "no fork"))
    for e in here.exercises:
        assert e.title.endswith("on this machine"), e.title
    for e in saved.exercises:
        assert e.title.endswith("in the saved example"), e.title
        assert "on this machine" not in e.show_solution().text


def test_the_cases_exercises_draw_from_are_measured_devices():
    # issue 11: the disk is the WD Ultrastar DC HC310 datasheet's 7.4 ms seek + 4.16 ms rotation
    # (2018), never Scott's formula; eRPC's 5.5 µs is labelled as the upper bound it is.
    from ipcmodel.yourmachine import service_cases

    cases = service_cases({})
    disk = [c for c in cases if c.kind == "disk"]
    assert len(disk) == 1 and disk[0].device_us == pytest.approx(7400 + 4160, rel=1e-12)
    assert disk[0].year == 2018 and "datasheet" in disk[0].name and "WDHC310spec18" in disk[0].cite
    assert not any("Scott" in c.name or "formula" in c.name for c in cases)
    (erpc,) = [c for c in cases if "eRPC" in c.name]
    assert erpc.device_us == 5.5 and "replication latency" in erpc.name
