"""Notebook 02's explorers and helpers (Bershad 1992, §3).

Expected values are computed here with ipcmodel.caches / units and the cited facts, never read
back from the explorer; plotted data must equal them to rtol 1e-12.
"""


import numpy as np
import pytest
from checks import PUBLISHED
from explorer_fixtures import explorer_fixture

from ipcmodel import units
from ipcmodel.data import fact
from ipcmodel.explorers.caches import HP700_FAST, HP700_SLOW, cold_ipc_explorer, dma_explorer
from ipcmodel.machines import load_machines, machine

RTOL = 1e-12
FACTORIES = [cold_ipc_explorer, dma_explorer]


@pytest.fixture(params=FACTORIES, ids=lambda f: f.__name__)
def ex(request):
    e = request.param()
    yield e
    e.close()


cold = explorer_fixture(cold_ipc_explorer)


dma = explorer_fixture(dma_explorer)


def lines_on_path(line_bytes):
    """§3: under 4 KB of instructions + under 2 KB of data, each in whole lines."""
    i = np.ceil(units.kb_to_bytes(fact("b92-ipc-path-instructions").value) / np.asarray(line_bytes))
    d = np.ceil(units.kb_to_bytes(fact("b92-ipc-path-data").value) / np.asarray(line_bytes))
    return i, d


# ---- the cold-path explorer -------------------------------------------------------------------

def _check_cold(ex):
    v = ex.model_inputs()
    p = ex.plotted()
    i, d = lines_on_path(v["cache_line_bytes"])
    n = i + d
    x = p["miss_penalty_cycles"]
    want = v["ipc_us"] + n * v["miss_fraction"] * x / v["clock_mhz"]
    np.testing.assert_allclose(p["cold_ipc_us"], want, rtol=RTOL)
    np.testing.assert_allclose(ex.artists["cold_curve"].get_ydata(), want, rtol=RTOL)
    now = v["ipc_us"] + n * v["miss_fraction"] * v["miss_penalty_cycles"] / v["clock_mhz"]
    np.testing.assert_allclose(ex.artists["cold_point"].get_ydata(), [now], rtol=RTOL)
    assert ex.artists["warm_line"].get_ydata()[0] == v["ipc_us"]
    assert ex.artists["syscall_line"].get_ydata()[0] == v["syscall_us"]
    assert p["path_lines"] == n
    even = p["break_even_miss_penalty_cycles"]
    if v["miss_fraction"] > 0 and v["ipc_us"] > v["syscall_us"]:
        assert even == pytest.approx((v["ipc_us"] - v["syscall_us"]) * v["clock_mhz"]
                                     / (n * v["miss_fraction"]), rel=RTOL)
    bi, bd = lines_on_path(2.0 ** np.arange(2, 9))
    heights_i = [r.get_height() for r in ex.artists["bars_instr"].patches]
    heights_d = [r.get_height() for r in ex.artists["bars_data"].patches]
    np.testing.assert_allclose(heights_i, bi, rtol=RTOL)
    np.testing.assert_allclose(heights_d, bd, rtol=RTOL)
    assert ex.artists["now_text"].get_text() == f"{n:.0f}"


def test_cold_starts_from_the_ds5000(cold):
    ds = machine("ds5000")
    v = cold.model_inputs()
    for name, attr in PUBLISHED.items():
        assert v[name] == getattr(ds, attr)
    assert v["miss_fraction"] == 1.0
    _check_cold(cold)
    # 384 lines x 15 cycles / 25 MHz on top of the warm 57 µs
    assert cold.plotted()["cold_ipc_now_us"] == pytest.approx(57 + 384 * 15 / 25, rel=RTOL)


@pytest.mark.slow  # over a second of drawing: in `make test`, not `make test-fast`
def test_cold_plotted_data_equal_the_model(cold):
    # one explorer, several cases in turn (reset between them): as independent as a
    # fresh explorer per case (the contract test checks reset), without the build cost
    for values in [
        {"miss_penalty_cycles": 100.0},
        {"miss_penalty_cycles": 3.0, "miss_fraction": 0.25, "cache_line_bytes": 64.0},
        {"miss_fraction": 0.0},
        {"cache_line_bytes": 24.0, "clock_mhz": 3400.0, "ipc_us": 0.35, "syscall_us": 0.1},
        {"ipc_us": 5.0, "syscall_us": 20.0},
    ]:
        cold.reset()
        for name, v in values.items():   # one drag at a time
            cold.sliders[name].value = v
        _check_cold(cold)


def test_cold_reading_names_the_break_even(cold):
    assert "cycles per miss" in cold.reading()
    cold.sliders["miss_fraction"].value = 0.0
    assert "does not matter" in cold.reading()


# ---- the DMA explorer -------------------------------------------------------------------------

def _check_dma(ex):
    v = ex.model_inputs()
    p = ex.plotted()
    lines = np.ceil(v["page_bytes"] / v["cache_line_bytes"])
    x = p["purge_cycles_per_line"]
    np.testing.assert_allclose(p["flush_cycles"], lines * x, rtol=RTOL)
    np.testing.assert_allclose(ex.artists["flush_curve"].get_ydata(), lines * x, rtol=RTOL)
    read = lines * x + lines * v["fault_in_cycles_per_line"]
    np.testing.assert_allclose(p["read_cycles"], read, rtol=RTOL)
    np.testing.assert_allclose(ex.artists["read_curve"].get_ydata(), read, rtol=RTOL)
    rpc = v["ipc_us"] * v["clock_mhz"]
    assert p["rpc_cycles"] == pytest.approx(rpc, rel=RTOL)
    assert ex.artists["rpc_line"].get_ydata()[0] == pytest.approx(rpc, rel=RTOL)
    flush_now = lines * v["purge_cycles_per_line"]
    fault_now = lines * v["fault_in_cycles_per_line"]
    np.testing.assert_allclose(ex.artists["flush_point"].get_ydata(), [flush_now], rtol=RTOL)
    np.testing.assert_allclose(ex.artists["read_point"].get_ydata(), [flush_now + fault_now], rtol=RTOL)
    np.testing.assert_allclose(p["bar_totals_cycles"], [flush_now, flush_now + fault_now, rpc], rtol=RTOL)
    assert ex.artists["bar_fault"].patches[0].get_width() == pytest.approx(fault_now, rel=RTOL)
    assert ex.artists["bar_rpc"].patches[0].get_width() == pytest.approx(rpc, rel=RTOL)
    for rect in ex.artists["bar_purge"].patches:
        assert rect.get_width() == pytest.approx(flush_now, rel=RTOL)


def test_dma_starts_from_the_hp700_and_section_3(dma):
    v = dma.model_inputs()
    hp = machine("hp700")
    assert (v["ipc_us"], v["clock_mhz"], v["cache_line_bytes"]) == (hp.rpc_us, hp.clock_mhz, hp.cache_line_bytes)
    assert v["purge_cycles_per_line"] == fact("b92-purge-flush-per-line-hp700").value
    assert v["fault_in_cycles_per_line"] == fact("b92-fault-in-per-line-hp700").value
    assert v["page_bytes"] == 4096
    _check_dma(dma)
    # the printed range is drawn as printed, whatever the model says
    printed = dma.artists["printed"].get_ydata()
    assert list(printed) == [128, 896]


def test_dma_slowest_purge_gives_1792_not_896(dma):
    dma.apply_preset(HP700_SLOW)
    assert dma.plotted()["flush_now_cycles"] == pytest.approx(14 * 128, rel=RTOL)
    assert dma.plotted()["read_now_cycles"] == pytest.approx(14 * 128 + 16 * 128, rel=RTOL)
    dma.apply_preset(HP700_FAST)
    assert dma.plotted()["flush_now_cycles"] == pytest.approx(128, rel=RTOL)


@pytest.mark.slow  # over a second of drawing: in `make test`, not `make test-fast`
def test_dma_plotted_data_equal_the_model(dma):
    # one explorer, several cases in turn (reset between them): as independent as a
    # fresh explorer per case (the contract test checks reset), without the build cost
    for values in [
        {"purge_cycles_per_line": 7.0},
        {"fault_in_cycles_per_line": 0.0},
        {"cache_line_bytes": 16.0, "page_bytes": 8192.0, "purge_cycles_per_line": 3.5},
        {"ipc_us": 57.0, "clock_mhz": 25.0},
    ]:
        dma.reset()
        for name, v in values.items():
            dma.sliders[name].value = v
        _check_dma(dma)


# ---- shared behaviour -------------------------------------------------------------------------

@pytest.mark.slow  # over a second of drawing: in `make test`, not `make test-fast`
def test_each_preset_sets_every_slider_with_a_published_value(ex):
    machines = {m.name: m for m in load_machines().values()}
    for label, values in ex.presets.items():
        ex.reset()
        ex.apply_preset(label)
        got = ex.model_inputs()
        for name, v in values.items():
            if ex._specs[name].accepts(v):
                assert got[name] == pytest.approx(v, rel=1e-9), (label, name)
        if label in machines:
            m = machines[label]
            for name in ex.sliders:
                if name in PUBLISHED:
                    published = getattr(m, PUBLISHED[name])
                    assert (name in values) == (published is not None), (label, name)
                    assert (name in ex.preset_missing[label]) == (published is None), (label, name)
        assert ex.last_error is None, ex.last_traceback


def test_dma_section_3_presets_set_every_section_3_value(dma):
    purge = fact("b92-purge-flush-per-line-hp700")
    for label, per_line in ((HP700_FAST, purge.value), (HP700_SLOW, purge.value_high)):
        dma.apply_preset(label)
        v = dma.model_inputs()
        assert v["purge_cycles_per_line"] == per_line
        assert v["fault_in_cycles_per_line"] == fact("b92-fault-in-per-line-hp700").value
        assert v["cache_line_bytes"] == fact("b92-cache-line-hp700").value
        assert v["ipc_us"] == fact("b92-rpc-hp700").value
        assert dma.preset_missing[label] == []


def test_dma_points_are_drawn_over_the_printed_squares_and_colours_differ(dma):
    from ipcmodel.plotting import OKABE_ITO

    for name in ("flush_point", "read_point"):
        assert dma.artists[name].get_zorder() > dma.artists["printed"].get_zorder()
    # the slider's flush point at §3's fastest purge sits inside the printed low-end square
    assert dma.artists["flush_point"].get_ydata()[0] == dma.artists["printed"].get_ydata()[0]
    colours = {dma.artists["flush_curve"].get_color(), dma.artists["rpc_line"].get_color()}
    assert colours != {OKABE_ITO["orange"], OKABE_ITO["vermillion"]}  # they look alike side by side


# ---- the cold-path explorer: the service's own misses (issue 10, §3 the right way round) ------

def _overhead_by_hand(v, penalty):
    """(t_micro - t_mono) / t_micro for one use with no service time besides its misses:
    t_micro = c (ipc + N_ipc f P/clk) + N_s f_s P/clk, t_mono = c syscall + N_s f_s P/clk."""
    i, d = lines_on_path(v["cache_line_bytes"])
    ipl = (i + d) * v["miss_fraction"] * penalty / v["clock_mhz"]
    loc = v["service_lines"] * v["service_miss_fraction"] * penalty / v["clock_mhz"]
    c = v["crossings_per_use"]
    micro = c * (v["ipc_us"] + ipl) + loc
    return (micro - (c * v["syscall_us"] + loc)) / micro


PENALTIES = (3.0, 15.0, 60.0, 300.0, 2000.0)


def _overhead_over_penalties(cold, **values):
    cold.reset()
    cold.set(**values)
    out = []
    for pen in PENALTIES:
        cold.sliders["miss_penalty_cycles"].value = pen
        v = cold.model_inputs()
        got = cold.plotted()["overhead_now_fraction"]
        assert got == pytest.approx(_overhead_by_hand(v, pen), rel=1e-9)
        np.testing.assert_allclose(cold.artists["overhead_point"].get_ydata(), [got], rtol=RTOL)
        out.append(got)
    return np.array(out)


def test_cold_starts_with_the_service_resident(cold):
    # today's starting outputs are kept: the service's own misses start at 0
    v = cold.model_inputs()
    assert v["service_miss_fraction"] == 0.0
    assert v["crossings_per_use"] == 1.0
    # 384 lines at 16 bytes, cold IPC path at 15 cycles / 25 MHz: (57 + 230.4 - 8) / (57 + 230.4)
    assert cold.plotted()["overhead_now_fraction"] == pytest.approx((57 + 230.4 - 8) / (57 + 230.4), rel=1e-9)


@pytest.mark.slow  # over a second of figures or nbgrader runs: `make test`, not `make test-fast`
@pytest.mark.parametrize("ipc_path_misses", [1.0, 0.0])
def test_cold_service_misses_make_the_overhead_fall(cold, ipc_path_misses):
    # §3: "the cost of accessing an operating system service is going to be most influenced by
    # whether or not that service is in the cache": its misses are paid by both designs
    over = _overhead_over_penalties(cold, service_miss_fraction=1.0, miss_fraction=ipc_path_misses)
    assert np.all(np.diff(over) < 0), over


def test_cold_ipc_path_misses_alone_make_the_overhead_rise(cold):
    # the objection §3 answers: only the IPC path misses, only the microkernel pays
    over = _overhead_over_penalties(cold, service_miss_fraction=0.0, miss_fraction=1.0)
    assert np.all(np.diff(over) > 0), over


def test_cold_crossings_scale_the_ipc_terms(cold):
    over = _overhead_over_penalties(cold, service_miss_fraction=1.0, crossings_per_use=6.0)
    assert np.all(np.diff(over) < 0)


@pytest.mark.slow  # over a second of drawing: in `make test`, not `make test-fast`
def test_cold_locality_presets_apply(cold):
    cold.apply_preset("IPC path kept resident by placement (§3)")
    assert cold.model_inputs()["miss_fraction"] == 0.0
    cold.apply_preset("Service not resident (every line misses)")
    v = cold.model_inputs()
    assert v["service_miss_fraction"] == 1.0 and v["miss_fraction"] == 0.0
    assert v["service_lines"] == pytest.approx(sum(lines_on_path(16.0)), rel=RTOL)
    # path placed, service cold: at 2000 cycles the 49 µs crossing difference is
    # 49 / (57 + 384 x 2000 / 25) of the use, a fraction of a percent
    cold.sliders["miss_penalty_cycles"].value = 2000.0
    assert cold.plotted()["overhead_now_fraction"] == pytest.approx(49 / (57 + 384 * 2000 / 25), rel=1e-9)
    cold.apply_preset("IPC path cold (worst case)")
    assert cold.model_inputs()["miss_fraction"] == 1.0
    cold.apply_preset("Service cache-resident (its lines all hit)")
    assert cold.model_inputs()["service_miss_fraction"] == 0.0
    udp = [k for k in cold.presets if k.startswith("Crossings: UDP")]
    assert len(udp) == 1
    cold.apply_preset(udp[0])
    assert cold.model_inputs()["crossings_per_use"] == pytest.approx(4 + 2 * 2)  # MaedaBershad92 §2.2


@pytest.mark.slow  # over a second of figures or nbgrader runs: `make test`, not `make test-fast`
@pytest.mark.parametrize("end", ["low", "high"])
def test_cold_markers_stay_inside_the_axes(cold, end):
    spec = cold._specs["miss_penalty_cycles"]
    pen = getattr(spec, end)
    for extra in ({}, {"service_miss_fraction": 1.0}, {"miss_fraction": 0.0}):
        cold.reset()
        cold.set(miss_penalty_cycles=pen, **extra)
        for axis, point in (("ax", "cold_point"), ("ox", "overhead_point")):
            ax = cold.artists[axis]
            (x,), (y,) = cold.artists[point].get_data()
            lo, hi = ax.get_xlim()
            assert lo <= x <= hi, (point, x, lo, hi)
            lo, hi = ax.get_ylim()
            assert lo <= y <= hi, (point, y, lo, hi)


def test_cold_reading_gives_the_time_per_miss(cold):
    # 15 cycles at 25 MHz = 0.6 µs, the DECstation 5000/200's own miss: not hypothetical
    assert "0.6 µs per miss" in cold.reading()
    assert "hypothetical" not in cold.reading()
    # 2000 cycles at 25 MHz = 80 µs per miss: no machine in data/ had it
    cold.sliders["miss_penalty_cycles"].value = 2000.0
    assert "80 µs per miss" in cold.reading()
    assert "hypothetical" in cold.reading()
