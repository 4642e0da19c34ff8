"""Notebook 06's readings added for issue 11: the per-level latencies and which chase gave them,
the run-to-run noise of the Python-vs-C reference, the DECstation's simulated miss penalty, and
the saved-example marker. Expected values are recomputed here from the example's JSON fields and
data files, not copied from the code's output.
"""

import copy

import pytest

from ipcmodel import yourmachine as ym
from ipcmodel.data import fact
from ipcmodel.measure import load_example


@pytest.fixture
def example():
    return copy.deepcopy(load_example())


def test_levels_from_the_python_chase_are_marked_lower_bounds(example):
    text = ym.format_levels(example)
    assert "LOWER BOUNDS" in text and "only the memory level is a reading" in text
    lines = {ln.split()[0]: ln for ln in text.splitlines()[2:] if ln and ln[0] in "Lm"}
    assert lines["L2"].count("≥") == 2 and "≥" not in lines["memory"]
    lat = example.latency
    mem = lat.levels[-1]
    # memory: the median excess at >= 4 x the 32 MiB L3, i.e. the miss penalty, in cycles at the clock
    assert f"{mem['excess_cycles']:.3g}" in lines["memory"]
    assert mem["excess_cycles"] == pytest.approx(lat.miss_penalty_us * example.machine.clock_mhz)


def test_levels_from_the_c_chase_show_the_python_chase_beside_them(example):
    lat = example.latency
    for p in lat.points:
        p.python_chase_us = p.median_us + 0.035
    lat.chase_method, lat.levels_lower_bounds, lat.chase_note = "c", False, "cc -O2"
    for lv in lat.levels:
        lv["lower_bound"], lv["python_excess_us"] = False, lv["excess_us"] / 4
    text = ym.format_levels(example)
    assert "Every level is resolved" in text and "Python extra µs" in text and "≥" not in text
    r = ym.miss_penalty_reading(example)
    assert r["chase_method"] == "c" and not r["levels_lower_bounds"] and len(r["levels"]) == 4
    assert "an L1 hit" in ym.format_miss_penalty(example, ladder=False)


def test_run_to_run_noise_is_read_from_the_reference():
    ref = ym.c_reference()
    noise = ym.run_to_run_noise(ref)
    below = {n: r["net_over_c"] for n, r in ref["rows"].items() if r["python_net_us"] < r["c_median_us"]}
    assert noise["below_one"].keys() == below.keys() and noise["below_one"]  # the file has such rows
    assert noise["max_shortfall"] == pytest.approx(max(1 - x for x in below.values()))
    text = ym.format_c_reference(ref)
    assert "net ÷ C below 1" in text and "run-to-run noise" in text
    assert f"{noise['max_shortfall']:.0%}" in text
    none_below = copy.deepcopy(ref)
    for r in none_below["rows"].values():
        r["net_over_c"] = max(r["net_over_c"], 1.0)
    assert ym.run_to_run_noise(none_below)["max_shortfall"] == 0.0
    assert "below 1" not in ym.format_c_reference(none_below)


def test_the_decstation_penalty_is_called_a_simulation_parameter(example):
    f = fact("cb93-miss-penalty-ds5000")
    assert f.source == "ChenBershad93" and "simulation parameters" in f.locator  # Table 2-1's title
    run = ym.MachineRun(example, False, "test")
    text = ym.format_comparison(ym.comparison_rows(run))
    ds_line = next(ln for ln in text.splitlines() if ln.startswith("DECstation 5000/200 "))
    assert ds_line.endswith(f"sim. {f.value:g}")
    assert "not a measurement" in text
    assert "simulated memory system, not a measurement" in ym.format_miss_penalty(example, ladder=False)


def test_the_saved_example_status_starts_with_the_marker(example):
    run = ym.MachineRun(example, False, f"{ym.NO_PROBE_ENV} is set")
    assert run.status().startswith(ym.SAVED_EXAMPLE_MARKER + f" ({ym.NO_PROBE_ENV} is set)")
    assert run.label == ym.EXAMPLE_LABEL
    assert not ym.MachineRun(example, True).status().startswith(ym.SAVED_EXAMPLE_MARKER)
