"""Notebook 07's explorers and helpers (ipcmodel.explorers.history), the debate statements
(ipcmodel.history.debate) and the layout of the ipcmodel.history package.

Expected values are computed here from ipcmodel.history's estimates and the overhead formula
(IPC - system call) / (IPC + device), written out, never read back from the explorer.
"""

import base64
import inspect
import io
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from explorer_fixtures import explorer_fixture
from PIL import Image

from ipcmodel import history
from ipcmodel.data import fact, load_bibliography
from ipcmodel.explorers import history as explorers_history
from ipcmodel.explorers.history import (
    LANDMARKS,
    format_landscape,
    landscape,
    timeline_explorer,
    year_range,
    year_regime_explorer,
    year_state,
)
from ipcmodel.history import debate
from ipcmodel.machines import machine

RTOL = 1e-12
FACTORIES = [year_regime_explorer, timeline_explorer]
ROW_IDS = {r.id for r in history.history_rows()}


def overhead(ipc, sc, dev, ipl=0.0):
    """(t_micro - t_mono) / t_micro, clipped at 0 (notebook 00's definition)."""
    micro, mono = ipc + ipl + dev, sc + dev
    return np.clip((micro - mono) / micro, 0.0, 1.0)


def path_lines(line_bytes):
    """§3: under 4 KB of instructions + under 2 KB of data, in whole lines."""
    kb = 1024
    return (np.ceil(fact("b92-ipc-path-instructions").value * kb / line_bytes)
            + np.ceil(fact("b92-ipc-path-data").value * kb / line_bytes))


def known_id(i: str) -> bool:
    """A data row id, or a Scott formula named by a JavaScript function the code cites."""
    if i in ROW_IDS:
        return True
    if i.startswith("Scott:"):
        src = inspect.getsource(history.scott)
        return all(f"{name}()" in src for name in i[len("Scott:"):].split("/"))
    return False


regime = explorer_fixture(year_regime_explorer)


timeline = explorer_fixture(timeline_explorer)


@pytest.fixture(params=FACTORIES, ids=lambda f: f.__name__)
def ex(request):
    e = request.param()
    yield e
    e.close()


# ---- the year-slider regime map ------------------------------------------------------------------

def test_slider_spans_the_data_years(regime):
    s = regime.sliders["year"]
    years = [r.year for r in history.history_rows()]
    assert (s.min, s.max, s.step) == (min(years), max(years), 1.0)
    assert year_range() == (1989, max(years)) and max(years) >= 2024
    assert regime.model_inputs()["year"] == 1992  # starts in the paper's year


@pytest.mark.parametrize("year", [1989, 1992, 1995, 2005, 2013, 2019, 2025])
def test_moving_the_year_plots_the_model_of_that_year(regime, year):
    regime.sliders["year"].value = year
    m = history.machine_of_year(year)
    ipc, sc = m["ipc_round_trip_us"].value, m["syscall_us"].value
    p = regime.plotted()
    x, y = p["ipc_us"], p["device_us"]
    want = overhead(x[None, :], sc, y[:, None])
    np.testing.assert_allclose(p["overhead_map"], want, rtol=RTOL, atol=1e-15)
    drawn = np.asarray(regime.artists["map"].get_array()).reshape(want.shape)
    np.testing.assert_allclose(drawn, want, rtol=RTOL, atol=1e-15)
    # boundary: (ipc - sc) / (ipc - sc + sc + s) = th  <=>  s = d / th - d - sc, at least 0
    d = p["boundary_ipc_us"] - sc
    be = np.where(d <= 0, 0.0, np.maximum(d / 0.05 - d - sc, 0.0))
    np.testing.assert_allclose(regime.artists["boundary"].get_ydata(), be, rtol=1e-9)
    assert regime.artists["ipc_line"].get_xdata()[0] == pytest.approx(ipc, rel=RTOL)
    for label, q in (("disk", "disk_us"), ("SSD", "ssd_us"), ("network", "network_us")):
        xs, ys = regime.artists[f"dev_{label}"].get_data()
        if history.device_shown(q, year)[0]:
            assert (xs[0], ys[0]) == (pytest.approx(ipc, rel=RTOL), pytest.approx(m[q].value, rel=RTOL))
        else:  # a device class is not drawn before its first data row (no SSD in 1992)
            assert np.isnan(ys[0]) and label in p["hidden"] and label not in p["points_labels"]
    assert str(year) in regime.reading() and regime.reading().endswith(".")


def test_the_system_call_is_the_ipcs_own_machines(regime):
    for year in (1992, 2013, 2024):
        regime.sliders["year"].value = year
        p = regime.plotted()
        m = history.machine_of_year(year)
        assert p["syscall_us"] == pytest.approx(m["syscall_us"].value, rel=RTOL)
        assert p["syscall_us"] < p["year_ipc_us"]  # two kernel entries cost more than one
    regime.sliders["year"].value = 1992
    assert regime.plotted()["year_syscall_ids"] == ("b92-syscall-ds5000",)  # Bershad92 §2.1: 8 µs


def test_kernel_bypass_is_not_offered_before_its_first_row(regime):
    regime.set(year=2005, baseline="bypass")
    assert regime.plotted()["syscall_us"] > 0 and "no data row before 2019" in regime.reading()
    regime.set(year=2019)
    assert regime.plotted()["syscall_us"] == 0.0


@pytest.mark.parametrize("year", [1992, 1995, 2013, 2019])
def test_device_labels_stay_off_the_boundary_and_each_other(regime, year):
    regime.set(year=year, baseline="syscall" if year < 2019 else "bypass")
    regime.png()
    ax = regime.artists["ax"]
    renderer = regime.figure.canvas.get_renderer()
    p = regime.plotted()
    ok = p["boundary_device_us"] > 0
    curve = ax.transData.transform(np.column_stack([p["boundary_ipc_us"][ok], p["boundary_device_us"][ok]]))
    # densify the curve (its near-vertical part has long segments)
    t = np.linspace(0, 1, 20)[:, None, None]
    dense = (curve[:-1][None] + t * (curve[1:] - curve[:-1])[None]).reshape(-1, 2)
    boxes = [ann.get_bbox_patch().get_window_extent(renderer)  # the white box, not the leader line
             for ann in regime.artists["labels"] if ann.get_text()]
    assert len(boxes) == len(p["points_labels"])
    for b in boxes:
        inside = ((dense[:, 0] > b.x0) & (dense[:, 0] < b.x1) & (dense[:, 1] > b.y0) & (dense[:, 1] < b.y1))
        assert not inside.any(), (year, b)
    for i, b in enumerate(boxes):
        for c in boxes[i + 1:]:
            assert not b.overlaps(c), year


def test_the_map_differs_between_years(regime):
    regime.sliders["year"].value = 1992
    a = regime.plotted()["overhead_map"].copy()
    regime.sliders["year"].value = 1995
    b = regime.plotted()["overhead_map"]
    assert not np.allclose(a, b)
    assert regime.plotted()["syscall_us"] != pytest.approx(30.0)  # lmbench's 1995 system calls


def test_cold_ipc_path_and_kernel_bypass_follow_the_model(regime):
    regime.set(year=2019, miss_fraction=0.25, cache_line_bytes=32, baseline="bypass")
    m = history.machine_of_year(2019)
    # miss penalty (cycles) / Scott clock (MHz) = µs per miss
    ipl = path_lines(32) * 0.25 * m["miss_penalty_cycles"].value / float(history.scott_clock_mhz(2019))
    p = regime.plotted()
    assert p["ipc_path_locality_us"] == pytest.approx(ipl, rel=RTOL)
    assert p["syscall_us"] == 0.0
    want = overhead(p["ipc_us"][None, :], 0.0, p["device_us"][:, None], ipl)
    np.testing.assert_allclose(p["overhead_map"], want, rtol=RTOL, atol=1e-15)
    net = m["network_us"].value  # eRPC, 2019
    i = p["points_labels"].index("network")
    assert p["points_overhead"][i] == pytest.approx(overhead(m["ipc_round_trip_us"].value, 0.0, net, ipl))
    assert "kernel bypass" in regime.reading()


def test_measured_and_estimated_points_look_different(regime):
    regime.sliders["year"].value = 1992
    net, disk = regime.artists["dev_network"], regime.artists["dev_disk"]
    assert regime.plotted()["points_labels"] == ["disk", "network"]  # no SSD before 2017
    assert regime.plotted()["points_measured"].tolist() == [False, True]  # disk formula, network row
    assert net.get_markerfacecolor() != "white" and disk.get_markerfacecolor() == "white"
    assert regime.artists["ipc_line"].get_linestyle() == "-"  # 1992: measured IPC rows
    regime.sliders["year"].value = 2019
    assert regime.artists["ipc_line"].get_linestyle() == "--"  # 2019: from the fitted trend
    assert history.machine_of_year(2019)["ipc_round_trip_us"].basis == "fitted"


def test_every_plotted_point_traces_to_a_data_row(regime):
    first, last = year_range()
    for year in range(first, last + 1):
        regime.sliders["year"].value = year
        p = regime.plotted()
        ids = [*p["year_ipc_ids"], *p["year_syscall_ids"], *p["ipc_rows_ids"], *p["device_rows_ids"]]
        ids += [i for group in p["points_ids"] for i in group]
        assert ids and all(known_id(i) for i in ids), (year, [i for i in ids if not known_id(i)])
        # the measured rows drawn along the top are exactly the IPC rows within a year, in µs
        want = {r.id: history.round_trip_us(r).value for r in history.history_rows("ipc")
                if abs(r.year - year) <= 1 and not (r.unit == "cycles" and r.clock_mhz is None)}
        assert dict(zip(p["ipc_rows_ids"], p["ipc_rows_us"].tolist(), strict=True)) == pytest.approx(want)
    assert not known_id("made-up-row") and not known_id("Scott:getNothing")


def test_the_1992_ipc_comes_from_the_papers_rows(regime):
    regime.sliders["year"].value = 1992
    p = regime.plotted()
    assert p["year_ipc_ids"] == ("b92-rpc-ds5000",)  # Bershad92 §2: the DECstation 5000/200's 57 µs
    assert p["year_ipc_us"] == pytest.approx(57)
    i = p["points_labels"].index("network")
    assert p["points_ids"][i] == ("mb92-udp-rtt-mach25",)  # Maeda & Bershad, Table 1


# ---- the timeline ---------------------------------------------------------------------------------

def test_timeline_cursor_and_markers_follow_the_year(timeline):
    for year in (1992, 2005, 2025):
        timeline.sliders["year"].value = year
        m = history.machine_of_year(year)
        for i in range(4):
            assert timeline.artists[f"cursor_{i}"].get_xdata()[0] == year
        for key, q in (("ipc_now", "ipc_round_trip_us"), ("sc_now", "syscall_us"),
                       ("miss_now", "miss_penalty_cycles")):
            xs, ys = timeline.artists[key].get_data()
            assert xs[0] == year and ys[0] == pytest.approx(m[q].value, rel=RTOL)
        if year == 1992:  # the DECstation 5000/200 at its own 25 MHz (Bershad92 §2)
            ipc_c = 57 * 25
        elif year == 2005:  # two TSperf rows within a year, each at its own clock: median(460, 72) cycles
            ipc_c = (2 * 230 + 2 * 36) / 2
        else:  # 2025: no µs row, the cycles trend at Scott's clock: µs × 1000 / ns per cycle
            ipc_c = m["ipc_round_trip_us"].value * 1e3 / float(history.scott_cycle_ns(year))
        assert timeline.plotted()["ipc_cycles"] == pytest.approx(ipc_c, rel=1e-9)
        xs, ys = timeline.artists["ipc_cycles_now"].get_data()
        assert ys[0] == pytest.approx(ipc_c, rel=1e-9)
    timeline.sliders["year"].value = 1992
    xs, ys = timeline.artists["ssd_us_now"].get_data()
    assert np.isnan(ys[0]) and "SSD" not in timeline.reading()  # no SSD in 1992


def test_timeline_points_are_data_rows(timeline):
    drawn = timeline.plotted()["drawn_ids"]
    assert set(drawn) == {"ipc_us", "syscall_us", "ipc_cycles", "miss_cycles", "ssd_us", "network_us"}
    for ids in drawn.values():
        assert ids and all(i in ROW_IDS for i in ids)
    # rows without a clock are left out of the unit they cannot be converted to, never guessed
    assert "l4re-ipc-inter-rpi5" in drawn["ipc_cycles"] and "l4re-ipc-inter-rpi5" not in drawn["ipc_us"]
    assert "b92-rpc-cvax-1989" in drawn["ipc_us"] and "b92-rpc-cvax-1989" not in drawn["ipc_cycles"]
    for ids in timeline.plotted()["estimate_ids"].values():
        assert all(known_id(i) for i in ids)


# ---- generic explorer behaviour ---------------------------------------------------------------

def test_landmarks_are_data_years_and_presets(ex):
    years = {label.split(":")[0] for label in ex.presets}
    assert years == {str(r.year) for r in history.history_rows() if r.id in dict((b, a) for a, b in LANDMARKS)}
    label = next(k for k in ex.presets if k.startswith("2019"))
    ex.preset_menu.value = label
    assert ex.model_inputs()["year"] == 2019 and "Landmark" in ex.reading()
    ex.sliders["year"].value = 2000  # a drag forgets the preset
    assert ex.preset_menu.value == "" and "Landmark" not in ex.reading()


def test_reset_returns_to_1992(ex):
    start = ex.model_inputs()
    ex.sliders["year"].value = 2010
    ex.reset()
    assert ex.model_inputs() == start


def test_mimebundle_has_widget_png_and_text(ex):
    bundle = ex._repr_mimebundle_()
    assert set(bundle) >= {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"}
    png = base64.b64decode(bundle["image/png"])
    assert png == ex.png() == ex.image.value
    assert Image.open(io.BytesIO(png)).size == (round(ex.figsize[0] * ex.dpi), round(ex.figsize[1] * ex.dpi))
    assert bundle["text/plain"] == ex.reading() and "1992" in ex.reading()


def test_blitted_picture_matches_a_full_draw(ex):
    from ipcmodel import plotting

    ex.sliders["year"].value = 2013
    ex.sliders["year"].value = 1997  # restores the saved background
    blitted = np.asarray(Image.open(io.BytesIO(ex.png())).convert("RGB"), dtype=int)
    full = np.asarray(Image.open(io.BytesIO(plotting.figure_png(ex.figure))).convert("RGB"), dtype=int)
    assert np.any(np.abs(blitted - full) > 40, axis=-1).mean() < 0.01


def test_explorers_make_no_pyplot_figures():
    before = plt.get_fignums()
    es = [f() for f in FACTORIES]
    assert plt.get_fignums() == before
    for e in es:
        e.close()


# ---- pure helpers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: year_state(1900), "year"),
    (lambda: year_state("soon"), "year"),
    (lambda: year_state(1992, baseline="ether"), "baseline"),
    (lambda: year_state(1992, threshold=0.0), "threshold"),
    (lambda: year_state(1992, miss_fraction=2.0), "miss_fraction"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_year_state_uses_the_ds5000_line_by_default():
    s = year_state(1992, miss_fraction=1.0)
    line = machine("ds5000").cache_line_bytes
    assert line == 16 and s.ipc_path_lines == path_lines(line) == 384  # as in notebook 02
    # the DECstation 5000/200: 15-cycle misses (ChenBershad93) at its own 25 MHz (Bershad92)
    assert s.clock_mhz == pytest.approx(25)
    assert s.ipc_path_locality_us == pytest.approx(384 * 15 / 25, rel=RTOL)


def test_landscape_is_every_cited_device_at_the_years_ipc():
    rows = landscape(1992)
    assert [r["device_us"] for r in rows] == sorted(d[1] for d in history.device_options())
    # 1992: the DECstation 5000/200, 57 µs RPC and 8 µs system call on the same machine (Bershad92)
    shown = [r for r in rows if r["shown"]]
    assert {r["year"] for r in shown} == {1992}  # nothing measured later is compared backwards
    for r in shown:
        assert r["overhead"] == pytest.approx(overhead(57, 8, r["device_us"]), rel=RTOL)
        assert r["matters"] == (r["overhead"] > 0.05)
    (udp,) = [r for r in shown if r["device_us"] == pytest.approx(4800)]  # MaedaBershad92 Table 1
    assert udp["overhead"] == pytest.approx((57 - 8) / (57 + 4800), rel=RTOL)
    assert all(r["overhead"] is None for r in rows if not r["shown"])
    bypass = landscape(2024, baseline="bypass")
    ipc24 = history.machine_of_year(2024)["ipc_round_trip_us"].value
    assert bypass[0]["overhead"] == pytest.approx(ipc24 / (ipc24 + bypass[0]["device_us"]), rel=RTOL)
    # against a system call, 2024 uses the IPC ÷ the L4Re same-machine ratio 2 x 399 / 142
    sc24 = ipc24 / (2 * 399 / 142)
    vs_sc = landscape(2024)
    assert vs_sc[0]["overhead"] == pytest.approx(overhead(ipc24, sc24, vs_sc[0]["device_us"]), rel=1e-9)
    assert all(r["overhead"] > 0 for r in vs_sc)  # never "0%": the IPC is never cheaper than the syscall
    assert landscape(1992, baseline="bypass")[0]["shown"] is False  # no kernel bypass before 2019
    text = format_landscape()
    assert "1992 vs syscall" in text and "2024 vs bypass" in text and "eRPC" in text and "4.8 ms" in text


# ---- the debate -------------------------------------------------------------------------------------

def test_debate_statements_are_cited_short_and_grouped():
    refs = load_bibliography()
    st = debate.statements()
    assert {s.position for s in st} == set(debate.POSITIONS)
    assert {"Bershad92", "ChenBershad93", "Liedtke93", "Liedtke97", "Haertig97"} <= {s.key for s in st}
    for s in st:
        assert s.key in refs and s.locator.strip()
        assert len(s.quote.split()) <= 40, s.quote
        assert len(re.findall(r"[.!?](\s|$)", s.quote.rstrip("."))) == 0, s.quote  # one sentence at most
    text = debate.format_statements()
    assert all(s.cite() in text.replace("\n    ", " ") for s in st)
    with pytest.raises(ValueError, match="position"):
        debate.statements("neutral")


# ---- the package layout -----------------------------------------------------------------------------

def test_history_is_a_package_of_small_numpy_only_modules():
    pkg = Path(history.__file__).parent
    assert pkg.name == "history" and (pkg / "__init__.py").exists()
    assert not (pkg.parent / "history.py").exists()
    for f in pkg.glob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 400, f.name
        assert not re.search(r"^\s*(import|from)\s+(matplotlib|ipywidgets)", text, re.M), f.name
        assert "/shared" not in text and "open(" not in text, f.name
    for name in history.__all__:
        assert hasattr(history, name), name


def test_importing_history_reads_nothing_and_loads_no_plotting():
    code = ("import sys, ipcmodel.history as h; from ipcmodel.history import rows;"
            "assert rows._all_rows.cache_info().currsize == 0;"
            "assert not [m for m in sys.modules if m.startswith(('matplotlib', 'ipywidgets'))];"
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_explorers_module_is_importable_without_side_effects():
    assert explorers_history.__all__ and all(hasattr(explorers_history, n) for n in explorers_history.__all__)


def test_regime_map_greys_out_ipc_cheaper_than_a_syscall():
    from ipcmodel.explorers.history import IMPOSSIBLE_LABEL, year_regime_explorer

    ex = year_regime_explorer()
    ex.set(year=2024)
    z = ex.artists["map"].get_array()
    mask = np.ma.getmaskarray(z).reshape(ex.y_us.size, ex.x_us.size)
    syscall = history.estimate_for_year("syscall_us", 2024).value
    assert mask[:, ex.x_us < syscall].all() and not mask[:, ex.x_us > syscall].any()
    labels = [h.get_label() for h in ex.artists["ax"].get_legend().legend_handles]
    assert IMPOSSIBLE_LABEL in labels
    ex.set(year=2024, baseline="bypass")
    assert not np.ma.getmaskarray(ex.artists["map"].get_array()).any()
    ex.close()


def test_timeline_ipc_us_after_the_us_span_follows_the_cycles_trend():
    from ipcmodel.explorers.history import timeline_explorer

    tl = timeline_explorer()
    fu = history.fit_trend("ipc", "us")
    line = [ln for ln in tl.figure.axes[0].lines if ln.get_label().startswith(f"after {fu.last_year}")][0]
    years, vals = np.asarray(line.get_xdata()), np.asarray(line.get_ydata(), float)
    i = int(np.argmin(abs(years - 2019)))
    assert vals[i] == pytest.approx(history.estimate_for_year("ipc_round_trip_us", 2019).value, rel=0.02)
    tl.close()
