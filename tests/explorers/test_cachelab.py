"""Notebook 02b's explorer, the cache lab (§3; Bershad, Draves & Forin 1992, §3.1).

Expected values come from the simulator and the cited facts called here (or worked out by hand
in the comments), never read back from the explorer.
"""


import numpy as np
import pytest
from explorer_fixtures import explorer_fixture

from ipcmodel import cachesim, paper
from ipcmodel.data import fact
from ipcmodel.explorers.cachelab import AFTER_REBUILD, AS_BUILT, cachelab_explorer

lab = explorer_fixture(cachelab_explorer)


def v(fid):
    return fact(fid).value


def rpc_us(misses):
    return v("bdf92-rpc-ds3100") + misses * v("bdf92-miss-penalty-ds3100") / v("bdf92-clock-ds3100")


def test_starts_as_built_at_95_us(lab):
    p = lab.plotted()
    assert lab.model_inputs()["unrelated_size_bytes"] == paper.kernel_files()[2].size_bytes
    assert p["rpc_us"] == v("bdf92-rpc-ds3100") and p["path_conflict_sets"] == 0
    assert "95 µs" in lab.reading() and lab.reading().endswith(".")


def test_after_the_rebuild_the_rpc_is_about_160_us_and_the_reading_says_why(lab):
    lab.apply_preset(AFTER_REBUILD)
    p = lab.plotted()
    # BDF92 §3.1: about 215 extra misses, about 160 µs; the lab's layout gives 54 shared lines x 4
    assert p["null_rpc_misses"] - p["reference_misses"] == 4 * p["path_conflict_sets"] == 216
    assert p["rpc_us"] == pytest.approx(rpc_us(216), rel=1e-12)
    assert abs(p["rpc_us"] - v("bdf92-rpc-collision-ds3100")) <= 5
    assert "+216 misses" in lab.reading() and "54 instruction-cache sets" in lab.reading()
    np.testing.assert_allclose(lab.artists["point"].get_ydata(), [p["rpc_us"]], rtol=1e-12)
    # the collision row of the map is black where the two path blocks share sets
    assert lab.artists["map"].get_array()[0].any()
    lab.apply_preset(AS_BUILT)
    assert lab.plotted()["rpc_us"] == v("bdf92-rpc-ds3100")


def test_the_curve_is_the_simulator_over_every_size(lab):
    p = lab.plotted()
    for k in (0, 40, 55, 56, 100, 256):
        size = int(p["sizes_bytes"][k])
        misses = cachesim.run(cachesim.round_trip_trace(paper.lab_layout(size)), *paper.lab_caches()).misses
        assert p["rpc_curve_us"][k] == pytest.approx(rpc_us(misses), rel=1e-12), size
    np.testing.assert_allclose(lab.artists["curve"].get_ydata(), p["rpc_curve_us"], rtol=1e-12)


@pytest.mark.slow  # over a second of figures or nbgrader runs: `make test`, not `make test-fast`
def test_reordering_and_the_remedy_flatten_the_curve(lab):
    lab.apply_preset(AFTER_REBUILD)
    lab.choices["link_order"].value = "vm_fault.o after the IPC code"
    assert lab.plotted()["rpc_us"] == v("bdf92-rpc-ds3100")
    lab.choices["link_order"].value = "as built"
    lab.choices["remedy"].value = "on"
    p = lab.plotted()
    assert np.all(p["rpc_curve_us"] == v("bdf92-rpc-ds3100"))        # no size collides any more
    assert p["reserved_instruction_bytes"] == p["reserved_data_bytes"] == 4096
    # the reserved band is drawn over the first 4 KB of the cache
    assert lab.artists["reserved"].get_width() == 4


def test_the_default_working_set_fits_beside_the_reserved_colours(lab):
    # the default is half the data cache (32 KB), not the 64 KB worst case for the remedy
    inputs = lab.model_inputs()
    assert inputs["service_working_set_kb"] == 32
    p = lab.plotted()
    cost = paper.remedy_cost(32 * 1024, int(inputs["unrelated_size_bytes"]))
    # 32 KB = 8 pages, which fit on the 15 colours left free: no extra service misses with the remedy
    assert p["misses_remedy_on"]["service"] == cost.service_misses_on == 0


def test_the_remedy_bars_are_the_simulator_with_the_service(lab):
    lab.set(service_working_set_kb=64)
    p = lab.plotted()
    cost = paper.remedy_cost(64 * 1024)
    assert p["misses_remedy_off"]["ipc-path"] == cost.path_misses_off
    assert p["misses_remedy_on"]["service"] == cost.service_misses_on
    heights = [r.get_height() for r in lab.artists["bars_on"].patches]
    assert heights[:2] == [cost.path_misses_on, cost.service_misses_on]
    assert f"{cost.service_extra_misses:+d}" in lab.reading()


@pytest.mark.slow  # over a second of figures or nbgrader runs: `make test`, not `make test-fast`
def test_cache_size_moves_the_map_and_its_axis(lab):
    lab.choices["cache_kb"].value = 16
    assert lab.artists["mx"].get_xlim() == (0, 16)
    assert lab.last_error is None
    # in a 16 KB cache there are 4 colours of 4 KB: the remedy still reserves one of each
    lab.choices["remedy"].value = "on"
    assert lab.plotted()["reserved_instruction_bytes"] == 4096 and lab.last_error is None


@pytest.mark.slow  # over a second of figures or nbgrader runs: `make test`, not `make test-fast`
def test_every_slider_move_redraws_the_figure(lab):
    # a sweep of the size slider (no timing here: benchmarks/bench_cachesim.py times a move); each
    # move gives a new picture and no callback error
    pngs = []
    for s in np.linspace(12288, 16384, 9):
        lab.sliders["unrelated_size_bytes"].value = int(s)
        assert lab.last_error is None
        pngs.append(lab.png())
    assert len(set(pngs)) == len(pngs)
