"""Notebook 07's self-check exercises (ipcmodel.exercises.history).

Expected answers are computed here by hand from the rows and formulas the questions name
(one-way ×2 ÷ clock; Scott's memory and cycle formulas; (IPC − system call) / (IPC + device)),
never read back from the exercise.
"""

import math

import pytest

from ipcmodel import history
from ipcmodel.exercises.history import (
    bypass_share_exercise,
    cross_core_overhead_exercise,
    exercise_set,
    kpti_exercise,
    miss_penalty_exercise,
    round_trip_exercise,
    trap_floor_exercise,
    year_max_ipc_exercise,
    year_overhead_exercise,
)

GENERATORS = [round_trip_exercise, trap_floor_exercise, miss_penalty_exercise, year_overhead_exercise,
              bypass_share_exercise, kpti_exercise, cross_core_overhead_exercise,
              year_max_ipc_exercise]
SEEDS = range(8)
ROW_IDS = {r.id for r in history.history_rows()}


def row(rid):
    (r,) = [r for r in history.history_rows() if r.id == rid]
    return r


def scott_miss_penalty(year):
    """Scott's getMemLatency() ÷ getCycle(), written out (interactive_latency.html)."""
    mem_ns = 100 * 0.93 ** (year - 2000) if year <= 2000 else 100.0
    hz = 3e9 / 2 ** (0.5 * 23) * 2 ** (0.5 * (year - 1982)) if year <= 2005 else 3e9
    return mem_ns / (1e9 / hz)


# ---- seed 0: the examples the notebook discusses ----------------------------------------------------

def test_round_trip_seed_zero_is_liedtkes_i486_kernel():
    ex = round_trip_exercise()
    assert ex.answer == pytest.approx(2 * 250 / 50, rel=1e-12)  # TSperf: 250 cycles one way at 50 MHz
    assert "250 cycles" in ex.question and "50 MHz" in ex.question and "[TSperf" in ex.question


def test_miss_penalty_seed_zero_is_1992():
    ex = miss_penalty_exercise()
    assert "1992" in ex.question
    assert ex.answer == pytest.approx(scott_miss_penalty(1992), rel=1e-9)  # about 6 cycles


def test_year_overhead_seed_zero_is_the_papers_year_and_network():
    ex = year_overhead_exercise()
    m = history.machine_of_year(1992)
    ipc, sc = m["ipc_round_trip_us"].value, m["syscall_us"].value
    net = history.round_trip_us(row("mb92-udp-rtt-mach25")).value  # Maeda & Bershad, Table 1: 4.8 ms
    assert m["network_us"].value == pytest.approx(net)
    assert ex.answer == pytest.approx(100 * (ipc - sc) / (ipc + net), rel=1e-12)
    assert "1992" in ex.question and "mb92-udp-rtt-mach25" in ex.variant.solution


def test_bypass_seed_zero_is_erpc():
    ex = bypass_share_exercise()
    dev = 5.5  # eRPC19 abstract: 5.5 µs
    ipc = history.estimate_for_year("ipc_round_trip_us", 2019).value
    assert ex.answer == pytest.approx(100 * ipc / (ipc + dev), rel=1e-12)
    assert "[eRPC19" in ex.question
    # eRPC's 5.5 µs is a Raft replication latency: an upper bound of a round trip, and said so
    assert "replication latency" in ex.question and "upper bound" in ex.question


def test_trap_floor_seed_zero_is_the_decstation():
    ex = trap_floor_exercise()
    # Bershad92 §2 and §2.1: 57 µs RPC, 8 µs system call at 25 MHz; a round trip traps twice
    assert ex.answer == pytest.approx(57 / (2 * 8), rel=1e-12)
    assert "DECstation 5000/200" in ex.question and "1425 cycles" in ex.question and "200 cycles" in ex.question


@pytest.mark.parametrize("seed", SEEDS)
def test_trap_floor_variants_by_hand(seed):
    ex = trap_floor_exercise(seed)
    (p,) = [p for p in history.same_machine_pairs() if f"[{p.ipc_id}]" in ex.question]
    assert f"[{p.syscall_id}]" in ex.question
    assert ex.answer == pytest.approx(p.ipc / (2 * p.syscall), rel=1e-12)


# ---- every variant -------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_round_trip_variants_by_hand(seed):
    ex = round_trip_exercise(seed)
    (r,) = [r for r in history.history_rows("ipc") if r.cite() in ex.question]
    assert r.trip == "one-way" and r.unit == "cycles" and r.clock_mhz
    assert ex.answer == pytest.approx(2 * r.value / r.clock_mhz, rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_miss_penalty_variants_by_hand(seed):
    ex = miss_penalty_exercise(seed)
    year = int(ex.question.split("for ")[1][:4])
    lo, hi = history.SCOTT_YEAR_RANGE
    assert lo <= year <= hi
    assert ex.answer == pytest.approx(scott_miss_penalty(year), rel=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_year_overhead_variants_use_measured_devices(seed):
    ex = year_overhead_exercise(seed)
    year = int(ex.question.split("machine_of_year(")[1][:4])
    m = history.machine_of_year(year)
    ipc, sc = m["ipc_round_trip_us"], m["syscall_us"]
    assert ipc.value > sc.value and not ipc.extrapolated and not sc.extrapolated
    # a derived system call (IPC ÷ the ratio of the pairs) is never called "on the same machine" (C3 N4)
    if sc.derived:
        assert "same machine" not in ex.question
        assert "derived from the IPC/system-call ratio of the machines measured in pairs" in ex.question
    else:
        assert "same machine" in ex.question
    dev = [m[q] for q in ("network_us", "ssd_us", "disk_us") if f"{m[q].value:.4g} µs" in ex.question]
    assert dev
    # a measured device row of that year: a formula value is not a device of a year (issue 11)
    assert dev[0].basis == "measured" and not any(i.startswith("Scott:") for i in dev[0].row_ids)
    assert ex.answer == pytest.approx(100 * (ipc.value - sc.value) / (ipc.value + dev[0].value), rel=1e-12)
    assert all(i in ROW_IDS or i.startswith("Scott:") for i in (*ipc.row_ids, *dev[0].row_ids))


def test_year_overhead_seed_zero_by_hand():
    # Bershad92: 57 µs RPC, 8 µs system call (DS5000/200); MaedaBershad92: 4.8 ms UDP round trip.
    assert year_overhead_exercise().answer == pytest.approx(100 * (57 - 8) / (57 + 4800), rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_bypass_variants_are_recent_fast_devices(seed):
    ex = bypass_share_exercise(seed)
    (r,) = [r for s in ("ssd", "network") for r in history.history_rows(s) if r.cite() in ex.question]
    assert r.year >= 2015
    dev = history.round_trip_us(r).value
    ipc = history.estimate_for_year("ipc_round_trip_us", r.year).value
    assert ex.answer == pytest.approx(100 * ipc / (ipc + dev), rel=1e-12)


# ---- feedback never raises -------------------------------------------------------------------------

@pytest.mark.parametrize("make", GENERATORS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", [0, 1, 5])
def test_right_wrong_and_non_numeric_answers(make, seed):
    ex = make(seed)
    a = ex.answer
    assert math.isfinite(a) and a > 0
    assert ex.check(a).correct and ex.check(str(a)).correct
    assert ex.check(f"{a} {ex.unit}").correct
    wrong = ex.check(a * 1.5)
    assert not wrong.correct and wrong.kind == "off" and "too high" in wrong.message
    for junk in (None, "", "about ten", [1, 2], {"a": 1}, float("nan"), float("inf"), True, object()):
        fb = ex.check(junk)
        assert not fb.correct and fb.message
    sol = str(ex.show_solution())
    assert f"{a:.4g}" in sol


def test_time_answers_accept_other_units():
    ex = round_trip_exercise()  # 10 µs
    assert ex.check("0.01 ms").correct and ex.check("10000 ns").correct
    fb = ex.check("10 ms")  # 1000 times too large: a unit hint, not just "wrong"
    assert not fb.correct and "1000 times" in fb.message


def test_seeds_reproduce_and_differ():
    for make in GENERATORS:
        assert make(3).question == make(3).question
        assert len({make(s).question for s in range(4)}) > 1


def test_the_set_of_notebook_07():
    s = exercise_set(seed=2)
    assert s.ids == ["round-trip", "trap-floor", "miss-penalty", "year-overhead", "bypass-share", "kpti",
                     "cross-core-overhead", "year-max-ipc"]
    assert all(e.seed == 2 for e in s)
    assert s.check("bogus", 1).kind == "error"
    assert s.check("round-trip", s["round-trip"].answer).correct
    assert "Notebook 07" in s._repr_markdown_()
    shown = exercise_set(show_answers=True)
    assert "Answer:" in str(shown[0])


def test_kpti_seed_zero_by_hand():
    from ipcmodel.data import load_facts

    ex = kpti_exercise()
    from ipcmodel.history.rows import NOW_YEAR

    year = NOW_YEAR
    assert f"machine_of_year({year})" in ex.question
    m = history.machine_of_year(year)
    ipc, sc = m["ipc_round_trip_us"].value, m["syscall_us"].value
    mhz = history.clock_for_year(year)
    # PTIdoc: a CR3 move "on the order of" 100 cycles at entry and again at exit
    k_us = 2 * load_facts("history.csv")["ptidoc-cr3-move-cycles"].value / mhz
    # a system call enters and leaves once, a round-trip IPC twice
    assert ex.answer == pytest.approx((ipc + 2 * k_us) / (sc + k_us), rel=1e-12)
    assert ex.answer < ipc / sc  # the cheaper crossing grows relatively more
    # 2024's system call is derived (the IPC ÷ the pairs' ratio), and the question says so (C3 N4)
    assert m["syscall_us"].derived and "same machine" not in ex.question
    assert "derived from the IPC/system-call ratio of the machines measured in pairs" in ex.question
    assert "implied clock" in ex.question


def test_cross_core_seed_zero_by_hand_uses_x86_rows_and_a_kernel_path_device():
    # Section 7 in section 5's overhead (critic C3 N4). The transfers were measured on x86 (Ice Lake
    # Xeon 8375C, two cores: 51 ns one way [C2Clatency22]), so the IPC is 2024's x86 rows only: seL4
    # Haswell 2 x 628 and Skylake 2 x 381 cycles, both at 3400 MHz [seL4perf23], median
    # (628 + 381) / 3400 = 0.2968 µs. The system call is derived from the x86 pairs' ratio (L4Re 2025:
    # median of 2 x 1388/188 and 2 x 1240/158 = 15.23). Seed 0 takes the fastest device reached through
    # the kernel: the Optane P4800X, 8.9 µs [AnandOptane17].
    ex = cross_core_overhead_exercise()
    ipc = (628 + 381) / 3400
    sc = ipc / ((2 * 1388 / 188 + 2 * 1240 / 158) / 2)
    cross = ipc + 2 * 0.051
    assert ex.answer == pytest.approx(100 * (cross - sc) / (cross + 8.9), rel=1e-3)
    assert "x86" in ex.question and "another x86 machine than the IPC's" in ex.question
    assert "same machine" not in ex.question and "derived from the IPC/system-call ratio" in ex.question


@pytest.mark.parametrize("seed", [3, 7])  # 4 fast devices per transfer, kernel bypass (eRPC) last
def test_cross_core_bypass_devices_have_no_system_call(seed):
    # §5: a kernel-bypass access makes no system call, so the overhead is IPC ÷ (IPC + device).
    from ipcmodel.history.rows import _KERNEL_BYPASS_ROWS

    ex = cross_core_overhead_exercise(seed)
    assert ex.variant.inputs["device_row"] in _KERNEL_BYPASS_ROWS
    m = history.machine_of_year(2024, history.isa_rows("x86"))
    ipc, sc = m["ipc_round_trip_us"].value, m["syscall_us"].value
    t = {r.id: r.one_way_us for r in multicore_rows()}[ex.variant.inputs["transfer_row"]]
    cross, dev = ipc + 2 * t, 5.5  # eRPC's 5.5 µs replication latency [eRPC19, Abstract]
    assert ex.answer == pytest.approx(100 * cross / (cross + dev), rel=1e-9)
    assert "no system call" in ex.question
    fb = ex.check(100 * (cross - sc) / (cross + dev))   # subtracted a system call bypass never makes
    assert fb.kind == "slip" and "kernel bypass" in fb.message


def multicore_rows():
    from ipcmodel.history import multicore

    return multicore.core_to_core_rows()


@pytest.mark.parametrize("seed", SEEDS)
def test_kpti_variants_are_security_era_years(seed):
    ex = kpti_exercise(seed)
    from ipcmodel.data import load_facts

    year = int(ex.question.split("machine_of_year(")[1][:4])
    assert year >= load_facts("history.csv")["ptidoc-cr3-move-cycles"].year  # the security era
    m = history.machine_of_year(year)
    cycles = float(ex.question.split("switches, ")[1].split(" cycles")[0])
    k_us = cycles / history.clock_for_year(year)
    ipc, sc = m["ipc_round_trip_us"].value, m["syscall_us"].value
    assert ex.answer == pytest.approx((ipc + 2 * k_us) / (sc + k_us), rel=1e-12)
