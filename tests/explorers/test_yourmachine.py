"""Notebook 06's widgets and picture (ipcmodel.explorers.yourmachine) on the saved example result.

The numbers behind them are tested in tests/model/test_yourmachine.py; here: the progress bar,
the latency-ladder picture and the master explorer with the measured preset.
"""

import copy

import numpy as np
import pytest

from ipcmodel import yourmachine as ym
from ipcmodel.data import fact
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


def _as_c_ladder(result, interpreter_us=0.035):
    """The example's ladder relabelled as a C chase with a Python chase beside it (a fixed input)."""
    lat = result.latency
    for p in lat.points:
        p.python_chase_us = p.median_us + interpreter_us
    lat.chase_method, lat.levels_lower_bounds, lat.chase_note = "c", False, "C chase compiled with cc -O2"
    for lv in lat.levels:
        lv["lower_bound"] = False
    return result


def test_ladder_picture_says_which_chase_it_shows(run):
    assert "Python chase: the cache levels are lower bounds" in repr(ymx.LadderPicture(run.result))
    pic = ymx.LadderPicture(_as_c_ladder(run.result))
    assert "C chase, every level resolved" in repr(pic) and pic.png().startswith(b"\x89PNG")


def test_the_saved_example_is_marked_in_the_notebook_line(capsys):
    run = ymx.run_in_notebook(environ={ym.NO_PROBE_ENV: "1"})
    assert not run.measured and run.status().startswith(ym.SAVED_EXAMPLE_MARKER)


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


# ---- crossings per use and the service's own misses (issue 10) -----------------------------------

def test_machine_explorer_starts_at_one_crossing_with_a_resident_service(run):
    from ipcmodel import service

    ex = ymx.machine_explorer(run)
    try:
        v = ex.model_inputs()
        assert (v["crossings_per_use"], v["service_miss_fraction"]) == (1.0, 0.0)
        # today's values: the overhead with no crossing or service term at all
        p = ex.plotted()
        today = service.ipc_overhead_fraction(v["ipc_us"], v["syscall_us"], ex.x_us)
        np.testing.assert_allclose(p["overhead_fraction"], today, rtol=1e-12)
    finally:
        ex.close()


@pytest.mark.parametrize("c", [1 / 3, 1.0, 6.0])
def test_machine_explorer_overhead_at_crossings_equals_the_service_model(run, c):
    from ipcmodel import service

    ex = ymx.machine_explorer(run)
    try:
        ex.set(crossings_per_use=c, service_miss_fraction=0.5, service_lines=256.0)
        v, p = ex.model_inputs(), ex.plotted()
        ipc, sc = net(run.result, "pipe_round_trip"), net(run.result, "null_syscall")
        miss_us = v["miss_penalty_cycles"] / v["clock_mhz"]   # cycles / MHz = µs per miss
        loc = 0.5 * 256 * miss_us
        assert p["service_locality_us"] == pytest.approx(loc, rel=1e-12)
        direct = service.ipc_overhead_fraction(ipc, sc, ex.x_us, service_locality_us=loc,
                                               crossings_per_use=c)
        np.testing.assert_allclose(p["overhead_fraction"], direct, rtol=1e-12)
        s = ex.x_us  # by hand: c crossings each way, the service's misses in both designs
        want = (c * ipc - c * sc) / (c * ipc + loc + s)
        np.testing.assert_allclose(p["overhead_fraction"], want, rtol=1e-9)
    finally:
        ex.close()


def test_machine_explorer_crossing_presets_keep_this_machines_times(run):
    ex = ymx.machine_explorer(run)
    try:
        before = ex.model_inputs()
        udp = next(k for k in ex.presets if k.startswith("Crossings: UDP"))
        ex.apply_preset(udp)
        v = ex.model_inputs()
        assert v["crossings_per_use"] == 8  # MaedaBershad92: 4 socket accesses + 2 x (write + receive)
        for k in ("ipc_us", "syscall_us", "device_us", "clock_mhz"):
            assert v[k] == before[k], k  # the papers' count, this machine's costs
        ex.apply_preset(next(k for k in ex.presets if "1 call in 3" in k))
        assert ex.model_inputs()["crossings_per_use"] == pytest.approx(1 / 3)  # §5
        ex.apply_preset("Service not resident (every line misses)")
        v = ex.model_inputs()
        line = run.result.machine.cache_line_bytes  # sized like the IPC path at this machine's line
        assert v["service_miss_fraction"] == 1.0
        assert v["service_lines"] == pytest.approx(
            np.ceil(fact("b92-ipc-path-instructions").value * 1024 / line)
            + np.ceil(fact("b92-ipc-path-data").value * 1024 / line))
        cold = ex.plotted()["current"][1]
        ex.apply_preset("Service cache-resident (its lines all hit)")
        assert ex.plotted()["current"][1] > cold  # §3: the service's own misses lower IPC's share
        ex.apply_preset("IPC path cold (worst case)")
        assert ex.model_inputs()["miss_fraction"] == 1.0
    finally:
        ex.close()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_machine_explorer_survives_the_contract_stress(run):
    """The registry's stress sequence (slider ends, every preset, then random moves and resets)
    on notebook 06's explorer, which the registry cannot make (it needs a run): no error shown,
    the same figure throughout."""
    import random

    from test_contract import STRESS_CHANGES, _stress_changes

    ex = ymx.machine_explorer(run)
    figure = ex.figure
    for kind, target, value in _stress_changes(ex, random.Random(1992), STRESS_CHANGES):
        if kind == "preset":
            ex.apply_preset(target)
        elif kind == "reset":
            ex.reset()
        elif kind == "choice":
            ex.choices[target].value = value
        else:
            ex.sliders[target].value = value
        assert ex.last_error is None, (kind, target, value, ex.last_traceback)
    assert ex.output.outputs == () and ex.figure is figure
    ex.close()


def test_machine_explorer_starts_at_todays_datasheet_disk(run):
    # critic C2 M11: not the 1992 DECstation 2100 UDP round trip (4.8 ms, MaedaBershad92), but
    # the newest cited disk: datasheet average seek + average rotational latency
    from ipcmodel.history.devices import device_of_year
    from ipcmodel.history.rows import NOW_YEAR

    disk = device_of_year("disk", NOW_YEAR)
    ex = ymx.machine_explorer(run)
    try:
        assert ymx.start_device().device_us == disk.value_us
        assert ex.model_inputs()["device_us"] == pytest.approx(disk.value_us, rel=1e-12)
        assert ex.model_inputs()["device_us"] != pytest.approx(4800.0)
        ex.reset()
        assert ex.model_inputs()["device_us"] == pytest.approx(disk.value_us, rel=1e-12)
    finally:
        ex.close()
