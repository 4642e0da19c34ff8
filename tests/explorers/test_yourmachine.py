"""Notebook 06's widgets and picture (ipcmodel.explorers.yourmachine) on the saved example result.

The numbers behind them are tested in tests/model/test_yourmachine.py; here: the progress bar,
the latency-ladder picture and the master explorer with the measured preset.
"""

import copy

import pytest

from ipcmodel import yourmachine as ym
from ipcmodel.explorers import yourmachine as ymx
from ipcmodel.machines import machine
from ipcmodel.measure import load_example


@pytest.fixture(scope="module")
def example():
    return load_example()


@pytest.fixture
def run(example):
    return ym.MachineRun(copy.deepcopy(example), True)


def net(result, name):
    return result.measurements[name].net_us


def test_ladder_picture_is_a_png_with_a_reading(run):
    pic = ymx.LadderPicture(run.result)
    assert pic.png().startswith(b"\x89PNG") and "miss penalty" in repr(pic)
    run.result.latency = None
    with pytest.raises(ValueError, match="latency"):
        ymx.LadderPicture(run.result)


def test_progress_bar_follows_the_probe():
    box, progress = ymx.progress_bar()
    bar, label = box.children
    progress(0, 23, "starting")
    progress(5, 23, "null system call")
    assert (bar.value, bar.max) == (5, 23) and "null system call" in label.value
    box.close()


def test_run_in_notebook_falls_back_without_raising(capsys):
    run = ymx.run_in_notebook(environ={ym.NO_PROBE_ENV: "yes"})
    assert not run.measured


# ---- the measured preset -----------------------------------------------------------------------

def test_measured_preset_sets_the_sliders_to_the_measured_values(run):
    r = run.result
    ex = ymx.machine_explorer(run)
    try:
        v = ex.model_inputs()
        assert ex.preset_menu.value == ym.MEASURED_LABEL
        assert v["ipc_us"] == pytest.approx(net(r, "pipe_round_trip"), rel=1e-12)
        assert v["syscall_us"] == pytest.approx(net(r, "null_syscall"), rel=1e-12)
        assert v["clock_mhz"] == pytest.approx(r.machine.clock_mhz, rel=1e-12)
        assert v["cache_line_bytes"] == r.machine.cache_line_bytes
        # the measured penalty is set when it fits the slider; outside it, reported, never clamped
        measured = r.latency.miss_penalty_cycles
        top = ex.sliders["miss_penalty_cycles"].base ** ex.sliders["miss_penalty_cycles"].max
        if measured <= top:
            assert v["miss_penalty_cycles"] == pytest.approx(measured, rel=1e-12)
            assert "Not set" not in ex.reading()
        else:
            assert v["miss_penalty_cycles"] == machine("ds5000").miss_penalty_cycles
            assert "is outside the slider's range" in ex.reading()
        assert "measured on this machine" in ex.reading()
    finally:
        ex.close()


def test_an_in_range_miss_penalty_is_set(run):
    run.result.latency.miss_penalty_cycles = 200.0
    ex = ymx.machine_explorer(run)
    try:
        assert ex.model_inputs()["miss_penalty_cycles"] == 200.0
        assert "Not set" not in ex.reading()
    finally:
        ex.close()


def test_the_example_preset_in_the_explorer_says_it_is_not_this_machine(example):
    run = ym.MachineRun(copy.deepcopy(example), False, "test")
    ex = ymx.machine_explorer(run)
    try:
        assert ex.preset_menu.value == ym.EXAMPLE_LABEL and "NOT this machine" in ex.reading()
    finally:
        ex.close()
