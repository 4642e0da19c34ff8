"""Notebook 01's explorer and helpers (Bershad 1992, §2 and §2.1)."""

import re

import numpy as np
import pytest
from explorer_fixtures import explorer_fixture

from ipcmodel import paper, plotting, trends
from ipcmodel.data import fact
from ipcmodel.explorers import trends as trends_explorers
from ipcmodel.explorers.trends import GENERATION_PRESET, generations_explorer
from ipcmodel.machines import load_machines

RTOL = 1e-12


ex = explorer_fixture(generations_explorer)


# ---- the explorer -----------------------------------------------------------------------------

def _check_against_model(ex):
    v = ex.model_inputs()
    p = ex.plotted()
    x = p["speedup_factor"]
    for key in ("ipc", "syscall", "device"):
        want = trends.scaled_time_us(v[f"{key}_us"], x, v[f"{key}_share"])
        np.testing.assert_allclose(p[f"{key}_us"], want, rtol=RTOL)
        np.testing.assert_allclose(ex.artists[f"{key}_curve"].get_ydata(), want, rtol=RTOL)
        now = trends.scaled_time_us(v[f"{key}_us"], v["speedup_factor"], v[f"{key}_share"])
        np.testing.assert_allclose(ex.artists[f"{key}_point"].get_ydata(), [now], rtol=RTOL)
    ipc = trends.scaled_time_us(v["ipc_us"], x, v["ipc_share"])
    sc = trends.scaled_time_us(v["syscall_us"], x, v["syscall_share"])
    dev = trends.scaled_time_us(v["device_us"], x, v["device_share"])
    np.testing.assert_allclose(p["gap_us"], ipc - sc, rtol=RTOL)
    np.testing.assert_allclose(p["ratio"], ipc / sc, rtol=RTOL)
    np.testing.assert_allclose(ex.artists["ratio_curve"].get_ydata(), ipc / sc, rtol=RTOL)
    np.testing.assert_allclose(p["gap_share_of_device"], (ipc - sc) / dev, rtol=RTOL)
    drawn = ex.artists["gap_curve"].get_ydata()
    pos = (ipc - sc) > 0
    np.testing.assert_allclose(drawn[pos], (ipc - sc)[pos], rtol=RTOL)
    assert np.all(np.isnan(drawn[~pos]))
    assert ex.artists["now_line"].get_xdata()[0] == v["speedup_factor"]


def test_starts_at_the_cvax_with_ipc_on_the_processor_curve(ex):
    v = ex.model_inputs()
    assert v["ipc_us"] == fact("b92-rpc-cvax-1992").value
    assert v["syscall_us"] == fact("b92-syscall-cvax").value
    assert v["device_us"] == pytest.approx(paper.wire_time_512_us(), rel=RTOL)
    assert (v["ipc_share"], v["syscall_share"], v["device_share"]) == (1.0, 1.0, 0.0)
    _check_against_model(ex)


@pytest.mark.slow  # over a second of drawing: in `make test`, not `make test-fast`
def test_plotted_data_equal_the_model(ex):
    # one explorer, several cases in turn (reset between them): as independent as a
    # fresh explorer per case (the contract test checks reset), without the build cost
    for values in [
        {"speedup_factor": 10.0},
        {"speedup_factor": 250.0, "ipc_share": 0.7, "device_share": 0.2},
        {"ipc_us": 57.0, "syscall_us": 8.0, "device_us": 20000.0, "syscall_share": 0.3},
        {"ipc_us": 5.0, "syscall_us": 20.0},   # IPC cheaper than the call: the gap is not drawn
    ]:
        ex.reset()
        ex.set(**values)
        for k, v in values.items():
            assert ex.model_inputs()[k] == pytest.approx(v, rel=1e-9)
        _check_against_model(ex)


def test_a_slider_drag_updates_the_plot(ex):
    before = ex.update_count
    ex.sliders["ipc_share"].value = 0.5
    assert ex.update_count == before + 1
    _check_against_model(ex)


def test_the_generation_preset_reproduces_section_2(ex):
    ex.apply_preset(GENERATION_PRESET)
    n = ex.plotted()["now"]
    assert ex.model_inputs()["speedup_factor"] == fact("b92-rating-ds5000-vs-cvax").value
    # IPC fully on the processor curve: 497 µs / 10 = 49.7 µs, against the measured 57 µs
    assert n["ipc_us"] == pytest.approx(497 / 10, rel=RTOL)
    assert n["device_us"] == pytest.approx(paper.wire_time_512_us(), rel=RTOL)
    assert "device" in ex.reading().lower()


@pytest.mark.slow  # over a second of drawing: in `make test`, not `make test-fast`
def test_each_preset_sets_every_slider_with_a_published_value(ex):
    machines = {m.name: m for m in load_machines().values()}
    assert GENERATION_PRESET in ex.presets
    for label, values in ex.presets.items():
        ex.reset()
        ex.apply_preset(label)
        got = ex.model_inputs()
        for name, v in values.items():
            assert got[name] == pytest.approx(v, rel=1e-9), (label, name)
        if label in machines:
            m = machines[label]
            for name, attr in (("ipc_us", "rpc_us"), ("syscall_us", "syscall_us")):
                published = getattr(m, attr)
                assert (name in values) == (published is not None), (label, name)
                assert (name in ex.preset_missing[label]) == (published is None)
        assert ex.preset_menu.value == label
        assert ex.last_error is None


# ---- telling the lines apart (a reviewer could not: IPC and the gap differ by 12% at 1×) -------

LEFT = ("ipc", "syscall", "device", "gap")


def _text_outline(ex, ann):
    """The screen outline (a closed Path) of an annotation's text, rotation included."""
    from matplotlib.path import Path as MplPath

    renderer = ex.figure.canvas.get_renderer()
    w, h, _d = renderer.get_text_width_height_descent(ann.get_text(), ann.get_fontproperties(), False)
    ax_, ay_ = ex.artists["ax"].transData.transform(ann.xy)
    ox, oy = np.asarray(ann.xyann) * ex.figure.dpi / 72
    x0 = {"center": -w / 2, "left": 0.0, "right": -w}[ann.get_ha()]
    y0 = {"bottom": 0.0, "top": -h, "baseline": 0.0, "center": -h / 2}[ann.get_va()]
    corners = np.array([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h), (x0, y0)])
    t = np.radians(ann.get_rotation())
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return MplPath(corners @ rot.T + (ax_ + ox, ay_ + oy), closed=True)


def test_lines_differ_in_colour_style_and_marker(ex):
    looks = set()
    for key in LEFT:
        line = ex.artists[f"{key}_curve"]
        assert line.get_color() == plotting.OKABE_ITO[trends_explorers.LINE_COLOURS[key]]
        looks.add((line.get_linestyle(), line.get_marker()))
    assert len(looks) == len(LEFT)
    colours = {trends_explorers.LINE_COLOURS[k] for k in LEFT}
    assert len(colours) == len(LEFT)
    assert not {"orange", "vermillion"} <= colours   # they look alike side by side


def test_slider_points_are_drawn_over_the_measured_squares(ex):
    for key in LEFT:
        assert ex.artists[f"{key}_point"].get_zorder() > ex.artists["measured"].get_zorder()
    for key in ("ratio", "share"):
        assert ex.artists[f"{key}_point"].get_zorder() > ex.artists["ratio_measured"].get_zorder()


@pytest.mark.parametrize("preset", [None, GENERATION_PRESET])
def test_direct_labels_sit_on_their_lines_and_clear_of_each_other(ex, preset):
    if preset:
        ex.apply_preset(preset)
    names = [f"{k}_label" for k in LEFT]
    for name in names:
        assert ex.artists[name].get_visible(), name
    outlines = {n: _text_outline(ex, ex.artists[n]) for n in names}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not outlines[a].intersects_path(outlines[b], filled=True), (a, b)
    # and no other line runs through a label (50 points of each other line across the label)
    x, v = ex.x_speedup, ex.plotted()
    screen = {k: ex.artists["ax"].transData.transform(
        np.column_stack([x, v["gap_us"] if k == "gap" else v[f"{k}_us"]])) for k in LEFT}
    for key in LEFT:
        verts = outlines[f"{key}_label"].vertices[:4]
        for other in LEFT:
            if other == key:
                continue
            sx, sy = screen[other][:, 0], screen[other][:, 1]
            poly = outlines[f"{key}_label"]
            pts = np.column_stack([np.linspace(verts[:, 0].min(), verts[:, 0].max(), 50), np.zeros(50)])
            pts[:, 1] = np.interp(pts[:, 0], sx, sy)
            assert not poly.contains_points(pts).any(), (key, other)
    # each label is near its own line: its anchor lies on the curve
    v = ex.plotted()
    for key in LEFT:
        lx, ly = ex.artists[f"{key}_label"].xy
        curve = v["gap_us"] if key == "gap" else v[f"{key}_us"]
        want = np.exp(np.interp(np.log(lx), np.log(v["speedup_factor"]), np.log(curve)))
        assert ly == pytest.approx(want, rel=0.02), key


def test_measured_labels_do_not_touch_their_squares(ex):
    from matplotlib.text import Text

    ex.figure.canvas.draw()
    renderer = ex.figure.canvas.get_renderer()
    px_per_pt = ex.figure.dpi / 72
    half = 0.5 * ex.artists["measured"].get_markersize() * px_per_pt
    for ann in ex.artists["measured_labels"]:
        text_box = Text.get_window_extent(ann, renderer)   # the words, without the leader line
        sx, sy = ex.artists["ax"].transData.transform(ann.xy)
        assert text_box.x0 > sx + half or text_box.y0 > sy + half, ann.get_text()


def test_the_notebook_names_the_colours_that_are_plotted():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "notebooks/src/01_ipc_vs_the_rest.md").read_text(encoding="utf-8")
    shows = next(p for p in text.split("\n\n") if p.startswith("**What the plot shows.**"))
    for key, name in (("ipc", "RPC"), ("syscall", "system call"), ("device", "device"), ("gap", "gap")):
        colour = trends_explorers.LINE_COLOURS[key].replace("_", " ")
        assert re.search(rf"\b{name}\b[^(]*\({colour}\b", shows), (key, colour)
    for other in set(plotting.OKABE_ITO) - set(trends_explorers.LINE_COLOURS.values()) - {"black"}:
        assert other.replace("_", " ") not in shows, other


# ---- footnote 1 in notebook 01 (issue 10) -----------------------------------------------------

def test_footnote_1_slow_traps_put_a_floor_under_the_gap(ex):
    # §2 footnote 1: traps and context switches lag the processor. An RPC holds at least two traps
    # (and two context switches), a system call one, so the RPC's fixed part is at least twice
    # the system call's: CVax 497 µs RPC, 60 µs system call (Bershad92 §2, §2.1), half of it fixed.
    ex.apply_preset(GENERATION_PRESET)
    rpc, sc = 497.0, 60.0
    ipc_share = 1 - 2 * 0.5 * sc / rpc          # the notebook's 0.88: fixed part 60 µs = 2 × 30 µs
    ex.set(ipc_share=round(ipc_share, 2), syscall_share=0.5)
    p = ex.plotted()
    fixed_ipc = rpc * (1 - round(ipc_share, 2))
    x = p["speedup_factor"]
    # the ratio falls towards 2 (fixed part over fixed part), not because IPC got better ...
    assert p["ratio"][-1] == pytest.approx((rpc * round(ipc_share, 2) / x[-1] + fixed_ipc)
                                           / (sc * 0.5 / x[-1] + sc * 0.5), rel=1e-9)
    assert p["ratio"][0] > p["ratio"][-1] > 1.9
    # ... the gap levels off at one system call's fixed part (30 µs) instead of shrinking away
    assert p["gap_us"][-1] == pytest.approx(fixed_ipc - 30.0, abs=0.7)
    assert p["gap_us"][-1] > 29.0
    # and above 1x it is larger than with every share at 1, where it shrinks as (497 - 60) / x
    all_on_curve = (rpc - sc) / x
    assert np.all(p["gap_us"][x > 1.01] > all_on_curve[x > 1.01])
