"""A log slider's grid (issue 13): the value the model uses is a grid point, and both ends of the
stated range stay reachable by dragging, typing or setting ``slider.value``.

The browser is modelled as it behaves: noUiSlider offers the grid points ``min + k * step`` (of
the exponent) and always its ``max`` (a handle dragged to the end), and the ipywidgets readout
clamps a typed value to ``[base**min, base**max]``. Before the fix the grid was anchored by
moving ``min`` up to one step above the stated low end, which left the low end unreachable
(e.g. 0.1 µs on the 0.1-1000 µs IPC slider with MicroVAX-III's 497 µs, Bershad 1992 §2, on it).
"""

import math

import ipywidgets as widgets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcmodel.explorers.controls import (
    MIN_STEP_FRACTION,
    SliderSpec,
    anchor_grid,
    grid_min,
    grid_step,
    snapped,
)

IPC = SliderSpec("ipc_us", "IPC round trip", "µs", 0.1, 1000.0, log=True)


def exp(w, x):
    return math.log(x, w.base)


def browser_drag(w, position):
    """The value a drag to exponent ``position`` sends: the nearest grid point, or an end."""
    if position >= w.max:
        return w.base ** w.max
    k = max(0, round((position - w.min) / w.step))
    return w.base ** min(w.min + k * w.step, w.max)


def browser_type(w, value):
    """The value typing ``value`` into the readout sends (clamped to the slider's range)."""
    return min(max(value, w.base ** w.min), w.base ** w.max)


def on_grid(w, value, tol=1e-6):
    k = (exp(w, value) - w.min) / w.step
    return abs(k - round(k)) <= tol


def test_the_ipc_slider_with_microvax_iiis_497_reaches_its_low_end():
    w = IPC.make(497.0)
    assert w.min == pytest.approx(-1.0, abs=1e-12) and w.max == pytest.approx(3.0, abs=1e-12)
    assert on_grid(w, 497.0) and format(browser_drag(w, exp(w, 497.0)), ".3g") == "497"
    assert browser_drag(w, -5.0) == pytest.approx(0.1, rel=1e-12)      # dragged to the left end
    assert browser_type(w, 0.1) == pytest.approx(0.1, rel=1e-12)        # typed
    assert browser_drag(w, 9.0) == pytest.approx(1000.0, rel=1e-12)     # the right end
    w.value = 0.1                                                       # set as a user would
    assert w.value == pytest.approx(0.1, rel=1e-12)
    # the grid is 0.01 decades as stated, adjusted by less than one part in 300
    assert 0.01 * (1 - 1 / 300) <= w.step <= 0.01


@settings(max_examples=200, deadline=None)
@given(low_exp=st.floats(-3, 3), decades=st.floats(0.5, 6), step=st.sampled_from([0.005, 0.01, 0.02, 0.05]),
       where=st.floats(0, 1), base=st.sampled_from([10.0, 2.0]))
def test_any_value_is_a_grid_point_and_both_ends_are_reachable(low_exp, decades, step, where, base):
    low, high = base ** low_exp, base ** (low_exp + decades)
    spec = SliderSpec("x", "X", "µs", low, high, log=True, step=step, base=base)
    value = base ** (low_exp + where * decades)
    w = spec.make(value)
    assert base ** w.min == pytest.approx(low, rel=1e-9) and base ** w.max == pytest.approx(high, rel=1e-9)
    assert w.value == pytest.approx(value, rel=1e-9)
    d = exp(w, value) - w.min
    assert MIN_STEP_FRACTION * step * (1 - 1e-9) <= w.step <= step * (1 + 1e-9)  # never coarser
    if d >= step / 2:
        assert w.step >= step / 2 * (1 - 1e-9)                   # nor much finer than stated
    # the readout shows the value, unless it is within MIN_STEP_FRACTION of a step above the
    # low end (closer than three digits show) or at the high end (always reachable)
    assert on_grid(w, value) or d < MIN_STEP_FRACTION * step or exp(w, value) >= w.max - 1e-12
    assert browser_drag(w, w.min - 1) == pytest.approx(low, rel=1e-9)
    assert browser_drag(w, w.max + 1) == pytest.approx(high, rel=1e-9)
    assert browser_type(w, low) == pytest.approx(low, rel=1e-9)
    assert browser_type(w, high) == pytest.approx(high, rel=1e-9)


def test_a_value_just_above_the_low_end_keeps_the_stated_step():
    value = 0.1 * 10 ** (0.1 * 0.01)              # a tenth of a step above 0.1 µs
    assert grid_step(IPC, value) == 0.01
    assert format(value, ".3g") == format(0.1, ".3g")   # the readout could not show the difference
    assert grid_step(IPC, 0.1) == 0.01 and grid_step(IPC, 1000.0) == 0.01
    assert grid_step(IPC, 5000.0) == 0.01 and grid_step(IPC, 0.0) == 0.01 and grid_step(IPC, -1.0) == 0.01


def test_linear_sliders_keep_their_grid():
    spec = SliderSpec("f", "F", "fraction", 0.0, 1.0)
    assert grid_min(spec, 2 / 3) == 0.0 and grid_step(spec, 2 / 3) == pytest.approx(0.01)
    w = spec.make(2 / 3)
    assert isinstance(w, widgets.FloatSlider) and (w.min, w.step) == (0.0, pytest.approx(0.01))


def test_anchoring_moves_the_step_not_the_low_end():
    w = IPC.make(57.0)                            # DECstation 5000/200 (§2)
    anchor_grid(w, IPC, 497.0)
    w.value = 497.0
    assert w.min == pytest.approx(-1.0, abs=1e-12) and on_grid(w, 497.0) and w.value == 497.0
    before = w.step
    anchor_grid(w, IPC, 497.0)                    # already on the grid: nothing to send
    assert w.step == before
    # the browser echoing 497 on its grid is recognised as the cited value
    assert snapped(w, browser_drag(w, exp(w, 497.0)), 497.0)
    anchor_grid(widgets.FloatSlider(), IPC, 497.0)  # a linear widget: left alone, no error


def test_a_user_reaches_both_ends_of_an_explorers_log_slider_after_a_preset():
    from ipcmodel.explorers.service import master_explorer
    from ipcmodel.machines import machine

    ex = master_explorer()
    try:
        ex.apply_preset(machine("cvax").name)     # 497 µs [Bershad92, §2]
        w, spec = ex.sliders["ipc_us"], ex._specs["ipc_us"]
        assert ex.model_inputs()["ipc_us"] == machine("cvax").rpc_us and on_grid(w, machine("cvax").rpc_us)
        w.value = spec.low                        # as a user would, no ex.set
        assert ex.model_inputs()["ipc_us"] == pytest.approx(spec.low, rel=1e-12)
        w.value = spec.high
        assert ex.model_inputs()["ipc_us"] == pytest.approx(spec.high, rel=1e-12)
        assert w.base ** w.min == pytest.approx(spec.low, rel=1e-12)
    finally:
        ex.close()
