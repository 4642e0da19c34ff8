"""Plot helpers (ipcmodel.plotting): no global side effects, readable µs and % text, fixed-size PNGs."""

import io
import math
import os
import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from ipcmodel import plotting
from ipcmodel.plotting import format_percent, format_us


def test_import_changes_no_matplotlib_setting():
    code = ("import matplotlib, json\n"
            "before = {k: repr(v) for k, v in matplotlib.rcParams.items()}\n"
            "import ipcmodel.plotting, ipcmodel.explorers.service, ipcmodel.exercises.core\n"
            "after = {k: repr(v) for k, v in matplotlib.rcParams.items()}\n"
            "print(json.dumps(sorted(k for k in before if before[k] != after[k])))\n"
            "import sys; print('matplotlib.pyplot' in sys.modules)")
    # a set backend: reading rcParams["backend"] while it is "auto" would itself import pyplot
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    changed, pyplot_loaded = out.stdout.split("\n")[:2]
    assert changed == "[]"
    assert pyplot_loaded == "False"


def test_style_applies_inside_the_block_only():
    before = dict(matplotlib.rcParams)
    with plotting.style({"lines.linewidth": 7.0}):
        assert matplotlib.rcParams["font.size"] == plotting.PROJECTOR_RC["font.size"]
        assert matplotlib.rcParams["lines.linewidth"] == 7.0
    assert dict(matplotlib.rcParams) == before
    with pytest.raises(RuntimeError), plotting.style():
        raise RuntimeError("restored even after an error")
    assert dict(matplotlib.rcParams) == before


def test_new_figure_is_not_known_to_pyplot():
    before = plt.get_fignums()
    fig, (a, b) = plotting.new_figure(figsize=(6, 3), dpi=80, ncols=2)
    assert isinstance(fig, Figure) and plt.get_fignums() == before
    assert a.xaxis.label.get_fontsize() == plotting.PROJECTOR_RC["axes.labelsize"]


def test_okabe_ito_palette():
    # Okabe & Ito (2008), "Color Universal Design", the eight colours as published
    assert plotting.OKABE_ITO == {
        "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
        "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7"}
    assert sorted(plotting.PALETTE) == sorted(plotting.OKABE_ITO.values())
    with plotting.style():
        cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert cycle == list(plotting.PALETTE)


@pytest.mark.parametrize("us, text", [
    (0.35, "0.35 µs"), (0.05, "0.05 µs"), (1, "1 µs"), (57, "57 µs"), (923.4, "923 µs"),
    (999.7, "1 ms"), (1000, "1 ms"), (4800, "4.8 ms"), (1e5, "100 ms"), (1e6, "1 s"), (2.5e7, "25 s"),
])
def test_format_us(us, text):
    assert format_us(us) == text


@pytest.mark.parametrize("fraction, text", [
    (0.0464, "4.6%"), (0.05, "5%"), (0.0049, "0.49%"), (0, "0%"), (1, "100%"), (0.996, "100%"),
    (1e-4, "0.01%"), (0.25, "25%"),
])
def test_format_percent(fraction, text):
    assert format_percent(fraction) == text


def test_log_axis_ticks_read_in_time_units():
    fig, ax = plotting.new_figure()
    ax.set(xscale="log", xlim=(0.1, 1e6))
    ax.xaxis.set_major_formatter(plotting.us_formatter())
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if 0.1 <= t.get_position()[0] <= 1e6]
    assert labels == ["0.1 µs", "1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s"]
    assert plotting.percent_formatter()(0.05, 0) == "5%"


def test_figure_png_has_a_fixed_size_whatever_is_drawn():
    fig, ax = plotting.new_figure(figsize=(5, 2.5), dpi=100)
    ax.plot([1, 2], [3, 4])
    small = plotting.figure_png(fig)
    ax.set_title("a much longer title " * 6)  # would change the size with bbox_inches="tight"
    ax.plot(np.arange(500), np.sin(np.arange(500)))
    large = plotting.figure_png(fig)
    for png in (small, large):
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert Image.open(io.BytesIO(png)).size == (500, 250)
    assert small != large


def test_decorate_threshold_and_annotations():
    fig, ax = plotting.new_figure()
    assert plotting.decorate(ax, title="T", xlabel="x (µs)", xscale="log") is ax
    assert (ax.get_title(), ax.get_xlabel(), ax.get_xscale()) == ("T", "x (µs)", "log")
    assert ax.get_legend() is None  # nothing labelled yet
    line = plotting.threshold_line(ax, 0.05, label="threshold")
    assert list(line.get_ydata()) == [0.05, 0.05]
    plotting.decorate(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["threshold"]
    anns = plotting.annotate_points(ax, [1, 10], [2, 20], ["a", "b"])
    assert [(a.get_text(), a.xy) for a in anns] == [("a", (1, 2)), ("b", (10, 20))]
    with pytest.raises(ValueError):
        plotting.annotate_points(ax, [1, 2], [1], ["a", "b"])


def test_nice_axis_limits():
    # round numbers 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10**k: the next one up or down
    assert [plotting.nice_ceiling(x) for x in (0.7, 1.0, 1.2, 3.0, 7.0, 11.0, 94.25, 3601.0)] == \
        pytest.approx([0.8, 1.0, 1.2, 3.0, 8.0, 12.0, 100.0, 4000.0], rel=1e-12)
    assert [plotting.nice_floor(x) for x in (0.7, 1.0, 1.19, 3.0, 7.9, 11.0, 94.25, 0.0031)] == \
        pytest.approx([0.6, 1.0, 1.0, 3.0, 6.0, 10.0, 80.0, 0.003], rel=1e-12)
    for bad in (0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="x"):
            plotting.nice_ceiling(bad)
        with pytest.raises(ValueError, match="x"):
            plotting.nice_floor(bad)
    assert plotting.decade_limits(0.031, 420.0) == pytest.approx((0.01, 1000.0), rel=1e-12)
    assert plotting.decade_limits(1.0, 10.0) == pytest.approx((1.0, 10.0), rel=1e-12)


def test_number_formatter():
    assert plotting.number_formatter()(1e3, 0) == "1000"
    assert plotting.number_formatter(",.0f")(3600.4, 0) == "3,600"
    assert plotting.number_formatter(suffix="×")(10.0, 0) == "10×"
