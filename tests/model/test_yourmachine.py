"""Notebook 06 helpers (ipcmodel.yourmachine) on the saved example result, a fixed ProbeResult.

Expected values are recomputed here by hand from the example's JSON fields and the cited data
(facts.csv, history.csv), not read back from the helpers. No timing is asserted.
"""

import copy
import importlib.util
import json
import math
import os
from pathlib import Path

import pytest

from ipcmodel import history
from ipcmodel import yourmachine as ym
from ipcmodel.data import DataFileError, data_dir, fact
from ipcmodel.machines import machine
from ipcmodel.measure import load_example

ROOT = Path(__file__).resolve().parents[2]

@pytest.fixture(scope="module")
def example():
    return load_example()


@pytest.fixture
def run(example):
    return ym.MachineRun(copy.deepcopy(example), True)


def net(result, name):
    return result.measurements[name].net_us


def hist_us(series, rid):
    row = next(r for r in history.history_rows(series) if r.id == rid)
    return row.value / 1000.0 if row.unit == "ns" else row.value


# ---- the comparison ------------------------------------------------------------------------

def test_comparison_this_machine_row(run):
    r = run.result
    ipc, sc = net(r, "pipe_round_trip"), net(r, "null_syscall")
    me = ym.comparison_rows(run)[0]
    assert me.ipc_us == pytest.approx(ipc, rel=1e-12)
    assert me.syscall_us == pytest.approx(sc, rel=1e-12)
    assert me.gap_us == pytest.approx(ipc - sc, rel=1e-12)
    assert me.ratio == pytest.approx(ipc / sc, rel=1e-12)
    assert me.clock_mhz == r.machine.clock_mhz
    assert me.ipc_cycles == pytest.approx(ipc * r.machine.clock_mhz, rel=1e-12)
    assert me.miss_penalty_cycles == pytest.approx(r.latency.miss_penalty_us * r.machine.clock_mhz, rel=1e-9)
    # the example's numbers, by hand: 5.796 µs pipe, 0.19 µs getppid -> ratio about 30.5
    assert me.ratio == pytest.approx(30.51, rel=1e-3)


def test_comparison_paper_machines_from_the_cited_facts(run):
    rows = {r.name: r for r in ym.comparison_rows(run)[1:]}
    cvax, ds, hp = (rows[machine(i).name] for i in ("cvax", "ds5000", "hp700"))
    rpc_cvax, sc_cvax = fact("b92-rpc-cvax-1992").value, fact("b92-syscall-cvax").value
    assert (cvax.ipc_us, cvax.syscall_us) == (rpc_cvax, sc_cvax)
    assert cvax.gap_us == rpc_cvax - sc_cvax and cvax.clock_mhz is None and cvax.ipc_cycles is None
    rpc, sc, clk = fact("b92-rpc-ds5000").value, fact("b92-syscall-ds5000").value, fact("b92-clock-ds5000").value
    assert ds.ratio == pytest.approx(rpc / sc) and ds.gap_us == rpc - sc
    assert ds.ipc_cycles == pytest.approx(rpc * clk)
    assert ds.miss_penalty_cycles == fact("cb93-miss-penalty-ds5000").value
    assert hp.syscall_us is None and hp.ratio is None and hp.gap_us is None
    assert hp.clock_mhz == pytest.approx(1000 / fact("b92-cycle-time-hp700").value)


def test_comparison_table_marks_unknowns_and_the_bound(run):
    text = ym.format_comparison(ym.comparison_rows(run))
    lines = text.splitlines()
    assert lines[2].startswith("This machine") and "≈ 538.3" in lines[2]
    cvax_line = next(ln for ln in lines if ln.startswith("MicroVAX-III"))
    assert cvax_line.count("—") == 3  # no clock, no cycles, no miss penalty
    assert "[Bershad92, §2, p. 3]" in text
    versus = ym.format_versus(ym.comparison_rows(run))
    assert "faster in µs" in versus and "more cycles" in versus


# ---- does IPC matter? ------------------------------------------------------------------------

def test_service_cases_are_the_cited_devices(run):
    cases = ym.service_cases(run.inputs)
    assert [c.kind for c in cases] == ["disk", "ssd", "ssd", "network", "network", "in-memory"]
    # the WD Ultrastar DC HC310 datasheet: 7.4 ms read seek + 4.16 ms average rotation (2018), never
    # Scott's formula (issue 11)
    assert cases[0].device_us == pytest.approx(7400 + 4160, rel=1e-12) and cases[0].year == 2018
    assert "datasheet" in cases[0].name and "WDHC310spec18" in cases[0].cite
    assert cases[1].device_us == hist_us("ssd", "anand17-ssd-nand-p3700") == 77.9
    assert cases[2].device_us == hist_us("ssd", "anand17-ssd-optane-p4800x") == 8.9
    assert cases[3].device_us == pytest.approx(500.0)   # Scott's 500,000 ns datacenter round trip
    assert cases[4].device_us == 5.5  # eRPC: a replication latency, an upper bound of a round trip
    assert "replication latency" in cases[4].name
    bw = max(run.result.copy, key=lambda p: p.size_bytes).bandwidth_mb_per_s
    assert cases[5].device_us == pytest.approx(fact("b92-buffer-copy-block").value / bw, rel=1e-12)
    assert all(c.cite.startswith("[") for c in cases)


def test_overhead_answers_by_hand(run):
    ipc, sc = net(run.result, "pipe_round_trip"), net(run.result, "null_syscall")
    answers = ym.does_ipc_matter(run.inputs)
    for a in answers:
        s = a.case.device_us
        want = ((ipc + s) - (sc + s)) / (ipc + s)
        assert a.overhead_fraction == pytest.approx(want, rel=1e-12), a.case.name
        assert a.matters == (want > 0.05)
    nand = answers[1]
    assert nand.overhead_fraction == pytest.approx(0.06698, rel=1e-3)  # 5.606 / 83.70
    assert [a.matters for a in answers] == [False, True, True, False, True, True]


def test_answers_for_adds_the_cross_cpu_pipe(run):
    x = net(run.result, "pipe_round_trip_cross_cpu")
    sc = net(run.result, "null_syscall")
    for a in ym.answers_for(run):
        s = a.case.device_us
        assert a.cross_cpu_fraction == pytest.approx((x - sc) / (x + s), rel=1e-12)


def test_answer_table_states_break_even_and_sources(run):
    ipc, sc = net(run.result, "pipe_round_trip"), net(run.result, "null_syscall")
    d = ipc - sc
    be = d / 0.05 - d - sc
    text = ym.format_answers(ym.answers_for(run), run.inputs)
    assert f"{be:.4g} µs or slower" in text
    assert "IPC matters (overhead above 5%) for: NAND SSD 4 kB read" in text
    assert "negligible (within 5%) for: disk seek + rotation; datacenter network round trip" in text
    assert "[eRPC19, Abstract]" in text and "across CPUs" in text


def test_threshold_and_missing_inputs_are_clear_errors(run):
    with pytest.raises(ValueError, match="threshold"):
        ym.does_ipc_matter(run.inputs, threshold=5)
    with pytest.raises(ValueError, match="ipc_us"):
        ym.does_ipc_matter({**run.inputs, "ipc_us": None})


def test_no_in_memory_case_without_a_copy_measurement(run):
    assert [c.kind for c in ym.service_cases({**run.inputs, "copy_mb_per_s": None})][-1] == "network"


# ---- §5, §4, §3 readings ----------------------------------------------------------------------

def test_clock_reading(run):
    r = run.result
    c = ym.clock_reading(r)
    mapped, trap = net(r, "clock_monotonic"), net(r, "clock_thread_cputime")
    assert (c["mapped_clock"], c["trap_clock"]) == ("clock_monotonic", "clock_thread_cputime")
    assert c["speedup"] == pytest.approx(trap / mapped, rel=1e-12)
    assert c["speedup_raw"] == pytest.approx(r.measurements["clock_thread_cputime"].median_us
                                             / r.measurements["clock_monotonic"].median_us)
    text = ym.format_clock(r)
    assert "the mapped read (clock_monotonic, vDSO) is 15.1 times faster" in text  # 0.5887 / 0.03891
    assert "clock_process_cputime  trap" in text
    r.clocks.classification["clock_monotonic"] = "unclear"
    r.clocks.mapped_clock = None
    assert ym.clock_reading(r) is None
    text = ym.format_clock(r)
    assert "could not classify" in text and "clock_monotonic        unclear" in text
    r.clocks = None
    assert "not measured" in ym.format_clock(r)


def test_comapping_reading(run):
    r = run.result
    c = ym.comapping_reading(r)
    assert c["pipe_over_shm"] == pytest.approx(net(r, "pipe_round_trip") / net(r, "shm_spin_round_trip"))
    assert c["shm_pipe_us"] == net(r, "shm_pipe_round_trip")
    del r.measurements["shm_spin_round_trip"]
    r.skipped["shm_spin_round_trip"] = "needs two CPUs"
    assert ym.comapping_reading(r) is None and "needs two CPUs" in ym.format_comapping(r)


def test_miss_penalty_reading(run):
    r = run.result
    m = ym.miss_penalty_reading(r)
    lines = 4096 // 64 + 2048 // 64  # §3: 4 KB instructions + 2 KB data in 64-byte lines = 96
    assert m["ipc_path_lines"] == lines
    assert m["cold_ipc_path_us"] == pytest.approx(lines * r.latency.miss_penalty_us)
    assert m["ds5000_penalty_us"] == pytest.approx(15 / 25)  # 15 cycles at 25 MHz
    text = ym.format_miss_penalty(r)
    assert "an estimate" in text and "256 MiB" in text and "an upper bound" not in text
    r.latency = None
    assert ym.miss_penalty_reading(r) is None


def test_overhead_rows(run):
    rows = {r[0]: r for r in ym.overhead_rows(run.result)}
    m = run.result.measurements["pipe_round_trip"]
    assert rows["pipe_round_trip"][1:] == (m.median_us, m.overhead_us, m.net_us, m.overhead_us / m.median_us)
    assert "empty_loop" in ym.format_overhead(run.result)



# ---- the Python-vs-C reference (data/probe_vs_c.json, shown by benchmarks/PROBE.md) -----------

def _bench():
    """benchmarks/bench_probe_vs_c.py as a module (it generates PROBE.md's table from the data)."""
    spec = importlib.util.spec_from_file_location("bench_probe_vs_c", ROOT / "benchmarks" / "bench_probe_vs_c.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_c_reference_is_shipped_data_and_consistent():
    ref = ym.c_reference()
    assert ym.c_reference(data_dir() / ym.C_REFERENCE_FILE) == ref
    assert list(ref["rows"]) == ["null_syscall", "clock_monotonic", "clock_thread_cputime",
                                 "pipe_round_trip", "pipe_round_trip_cross_cpu", "socket_round_trip"]
    assert ref["rounds"] >= 1 and "node" in ref["context"]
    for name, r in ref["rows"].items():
        # the ratios are stored rounded to 2-3 digits: they agree with the medians within 1 %
        assert r["raw_over_c"] == pytest.approx(r["python_median_us"] / r["c_median_us"], rel=0.01), name
        assert r["net_over_c"] == pytest.approx(r["python_net_us"] / r["c_median_us"], rel=0.01), name
        # net is the median of per-run (raw - overhead), close to median raw - median overhead
        assert r["python_net_us"] == pytest.approx(r["python_median_us"] - r["python_overhead_us"], rel=0.02), name
    assert ref["rows"]["clock_monotonic"]["label"] == "clock_monotonic (vDSO)"
    text = ym.format_c_reference()
    assert text == ym.format_c_reference(ref)
    assert text.startswith("From data/probe_vs_c.json (table in benchmarks/PROBE.md), measured on the project's machine: ")
    assert "**" not in text and "`" not in text
    assert "pipe_round_trip (1 CPU)             6.308     7.118     0.89     0.88" in text


def test_probe_md_table_is_generated_from_the_data_file():
    bench = _bench()
    probe_md = (ROOT / "benchmarks" / "PROBE.md").read_text(encoding="utf-8")
    assert bench.markdown_section(ym.c_reference()) in probe_md, \
        "run: python benchmarks/bench_probe_vs_c.py --from-data --write"
    # the data file is in the form the benchmark writes
    path = data_dir() / ym.C_REFERENCE_FILE
    assert bench.dumps(json.loads(path.read_text(encoding="utf-8"))) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("change, match", [
    (lambda d: d["rows"][0].update(c_median_us=-1.0), r"row 1 \(null_syscall\): c_median_us must be a finite"),
    (lambda d: d["rows"][1].update(raw_over_c=float("nan")), r"row 2 \(clock_monotonic\): raw_over_c"),
    (lambda d: d["rows"][2].update(python_median_us=5.0), r"python_median_us is outside"),
    (lambda d: d["rows"].append(dict(d["rows"][0])), r"row 7: missing or duplicate name 'null_syscall'"),
    (lambda d: d.pop("rows"), "not a Python-vs-C reference"),
    (lambda d: d.update(rounds=0), "rounds must be an int >= 1"),
])
def test_a_malformed_c_reference_names_the_file_and_row(tmp_path, change, match):
    doc = json.loads((data_dir() / ym.C_REFERENCE_FILE).read_text(encoding="utf-8"))
    change(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DataFileError, match=match):
        ym.c_reference(bad)
    with pytest.raises(DataFileError, match="bad.json"):
        ym.c_reference(bad)


# ---- run or load -------------------------------------------------------------------------------

def _ok(example):
    def probe(**kw):
        assert kw["progress"] is None or callable(kw["progress"])
        return copy.deepcopy(example)
    return probe


def test_a_successful_probe_is_used(example):
    run = ym.measure_or_load(probe=_ok(example), environ={})
    assert run.measured and run.reason == "" and run.label == ym.MEASURED_LABEL
    assert run.status().startswith("Measured this machine")


@pytest.mark.parametrize("exc", [TimeoutError("measurement 'pipe_round_trip' timed out"),
                                 OSError("fork failed"), RuntimeError("child exited")])
def test_a_failing_probe_falls_back_and_says_so(exc):
    def probe(**kw):
        raise exc

    run = ym.measure_or_load(probe=probe, environ={})
    assert not run.measured and type(exc).__name__ in run.reason and str(exc) in run.reason
    assert run.label == ym.EXAMPLE_LABEL
    assert "NOT MEASURED HERE" in run.status() and "not this machine" in run.status()
    assert "NOT MEASURED HERE" in run.describe()
    assert run.result == load_example()


def test_the_environment_variable_skips_the_probe():
    def probe(**kw):
        raise AssertionError("the probe must not run")

    run = ym.measure_or_load(probe=probe, environ={ym.NO_PROBE_ENV: "1"})
    assert not run.measured and ym.NO_PROBE_ENV in run.reason
    assert ym.measure_or_load(probe=_ok(load_example()), environ={ym.NO_PROBE_ENV: "0"}).measured


def test_no_fork_falls_back(monkeypatch, example):
    monkeypatch.delattr(os, "fork")
    run = ym.measure_or_load(probe=_ok(example), environ={})
    assert not run.measured and "fork" in run.reason


def test_a_result_without_ipc_falls_back(example):
    broken = copy.deepcopy(example)
    del broken.measurements["pipe_round_trip"]
    broken.skipped["pipe_round_trip"] = "os.fork is not available on this platform"
    run = ym.measure_or_load(probe=lambda **kw: broken, environ={})
    assert not run.measured and "ipc_us" in run.reason and "os.fork" in run.reason


def test_an_interrupt_is_not_swallowed():
    def probe(**kw):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ym.measure_or_load(probe=probe, environ={})


# ---- the measured preset -----------------------------------------------------------------------

def test_the_example_preset_says_it_is_not_this_machine(example):
    run = ym.MachineRun(copy.deepcopy(example), False, "test")
    label, values, missing, source = ym.measured_preset(run)
    assert label == ym.EXAMPLE_LABEL and "NOT this machine" in source and missing == []


def test_unmeasured_values_are_listed_as_missing(run):
    run.result.latency = None
    run.result.machine.clock_mhz = None
    label, values, missing, _ = ym.measured_preset(run)
    assert set(missing) == {"clock_mhz", "miss_penalty_cycles"}
    assert set(values) == {"ipc_us", "syscall_us", "cache_line_bytes"}
    assert all(math.isfinite(x) for x in values.values())


def test_format_matters_is_computed_from_the_answers(run):
    answers = ym.does_ipc_matter(run.inputs)
    text = ym.format_matters(answers)
    above = [a.case.name.split(",")[0] for a in answers if a.matters]
    assert "NAND SSD 4 kB read" in above
    assert text.splitlines()[0] == f"IPC matters (overhead above 5%) for: {'; '.join(above)}."
    assert text in ym.format_answers(answers, run.inputs)
    none = ym.does_ipc_matter(run.inputs, threshold=0.999)
    assert "IPC matters (overhead above 100%) for: none of them." in ym.format_matters(none)


def test_in_memory_copy_is_not_called_a_bound(run):
    case = [c for c in ym.service_cases(run.inputs) if c.kind == "in-memory"][0]
    assert "not a bound" in case.cite and "lower bound" not in case.cite and "slowest" not in case.cite


# ---- crossings per service use (issue 10) ------------------------------------------------------

@pytest.mark.parametrize("c", [1 / 3, 1.0, 6.0])
def test_overheads_at_crossings_equal_the_service_model(run, c):
    from ipcmodel import service

    ipc, sc = net(run.result, "pipe_round_trip"), net(run.result, "null_syscall")
    x = net(run.result, "pipe_round_trip_cross_cpu")
    for a in ym.answers_for(run, crossings_per_use=c):
        s = a.case.device_us
        direct = service.ipc_overhead_fraction(ipc, sc, s, crossings_per_use=c)
        assert a.overhead_fraction == pytest.approx(float(direct), rel=1e-12)
        # by hand: c crossings of (ipc - sc) against c system calls plus the service
        assert a.overhead_fraction == pytest.approx(c * (ipc - sc) / (c * ipc + s), rel=1e-12)
        assert a.cross_cpu_fraction == pytest.approx(c * (x - sc) / (c * x + s), rel=1e-12)
        assert a.crossings_per_use == c


def test_one_crossing_is_todays_answer(run):
    default, one = ym.answers_for(run), ym.answers_for(run, crossings_per_use=1.0)
    assert [a.overhead_fraction for a in one] == [a.overhead_fraction for a in default]
    assert ym.format_answers(one, run.inputs) == ym.format_answers(default, run.inputs)
    assert "crossings per service use" not in ym.format_answers(default, run.inputs)


def test_answer_table_break_even_at_six_crossings(run):
    # Maeda & Bershad's UDP round trip: 6 crossings per use (4 socket accesses + 2 driver crossings)
    ipc, sc = net(run.result, "pipe_round_trip"), net(run.result, "null_syscall")
    c = 6.0
    d = c * (ipc - sc)
    be = d / 0.05 - d - c * sc
    text = ym.format_answers(ym.answers_for(run, crossings_per_use=c), run.inputs)
    assert f"{be:.4g} µs or slower" in text and "6 crossings per service use" in text
    with pytest.raises(ValueError, match="crossings_per_use"):
        ym.does_ipc_matter(run.inputs, crossings_per_use=0.0)


def test_miss_penalty_is_an_estimate_with_its_spread(run):
    # critic C2 N1: the saved run's penalty is the median (= mean) of the two readings at
    # >= 4 x the 32 MiB L3, i.e. 128 and 256 MiB; both biases are named, with directions.
    r = run.result
    pts = {p.working_set_bytes: p.excess_us for p in r.latency.points}
    m = ym.miss_penalty_reading(r)
    assert m["penalty_working_sets_bytes"] == [128 * 2**20, 256 * 2**20]
    lo, hi = sorted((pts[128 * 2**20], pts[256 * 2**20]))
    assert (m["penalty_low_us"], m["penalty_high_us"]) == (lo, hi)
    assert m["penalty_us"] == pytest.approx((lo + hi) / 2, rel=1e-9)
    # every set beyond twice the 1 MiB L2 (4 MiB .. 256 MiB) is memory-like: the spread shown
    beyond = [x for ws, x in pts.items() if ws > 2 * 2**20]
    assert (m["beyond_low_us"], m["beyond_high_us"]) == (min(beyond), max(beyond))
    assert m["beyond_high_us"] / m["beyond_low_us"] > 1.5  # the saved run's spread is wide
    assert m["interpreter_overlap_us"] == r.latency.baseline_us  # Python chase
    text = ym.format_miss_penalty(r, ladder=False)
    assert "the mean of the two readings" in text and "UP" in text and "DOWN" in text
    assert f"{hi * r.latency.clock_mhz:.3g} cycles" in text
    levels = ym.format_levels(r)
    assert "L3: memory-like" in levels


def test_format_matters_gives_the_cross_cpu_verdict(run):
    # critic C2 N6: the saved run's datacenter row (500 µs, Norvig's 2002 figure) is within 5%
    # with the one-CPU pipe but not with the cross-CPU pipe: (x - sc) / (x + 500) by hand
    answers = ym.answers_for(run)
    sc = run.result.measurements["null_syscall"].net_us
    x = run.result.measurements["pipe_round_trip_cross_cpu"].net_us
    dc = [a for a in answers if a.case.device_us == 500.0][0]
    assert (x - sc) / (x + 500.0) > 0.05 and not dc.matters
    assert dc.cross_cpu_fraction == pytest.approx((x - sc) / (x + 500.0), rel=1e-9)
    text = ym.format_matters(answers)
    assert "IPC matters as well for: datacenter network round trip" in text
    assert "negligible on one CPU, matters across CPUs" in text


def test_versus_says_the_cycles_are_the_pipes(run):
    # critic C2 M5: "more cycles" is the Linux pipe's, not IPC's in general
    text = ym.format_versus(ym.comparison_rows(run))
    line = next(ln for ln in text.splitlines() if "IPC round trip" in ln)
    assert "Linux pipe" in line and "not IPC as such" in line
