"""The contract every explorer keeps, checked for all of them in one place.

The explorers come from the registry (:data:`ipcmodel.explorers.EXPLORERS`), so a registered
explorer cannot go untested, and an Explorer subclass that no registered factory makes fails
:func:`test_every_explorer_class_is_reachable_through_the_registry`.

* it renders three ways: widget view + PNG + a text reading, with units on every slider;
* reset (and the Reset button) restores the starting values;
* a browser snapping a cited value to the slider's grid keeps the cited value;
* a failing model call is shown in the explorer's output area and never raised;
* for screen readers (issue 13): every slider goes to the accessibility bridge with its name and
  unit, the figure's alt text carries the reading, and at the start and after every preset each
  slider's readout (the browser's value on the slider's grid, formatted) shows the value the
  model uses;
* a blitted redraw equals a full draw;
* (``make test`` only) a stress run of slider/preset/reset changes, both ends of every slider
  first: no exception, no error shown, the same Figure, no new pyplot figures.
"""

import base64
import importlib
import inspect
import io
import os
import pkgutil
import random
import subprocess
import sys
import typing

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from ipcmodel import explorers, plotting
from ipcmodel.explorers.core import Explorer

NAMES = explorers.names()


def _made_by(name):
    """The class the factory registered as ``name`` says it returns (its return annotation)."""
    return typing.get_type_hints(explorers.get(name))["return"]


def test_the_registry_lists_the_eleven_explorers_of_the_notebooks():
    # notebooks 00/05 (2), 01 (1), 02 (2), 03 (2), 04 (2), 07 (2)
    assert {"master", "regime_map", "generations", "cold_ipc", "dma", "marshalling", "x11",
            "emulation", "protocol", "year_regime", "timeline"} <= set(NAMES)
    assert len(set(explorers.EXPLORERS.values())) == len(NAMES)  # no factory under two names
    with pytest.raises(ValueError, match="no explorer named 'warp'"):
        explorers.get("warp")


def test_importing_the_registry_imports_no_explorer_module_and_no_matplotlib():
    code = ("import sys, ipcmodel.explorers as e\n"
            "e.names()\n"
            "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'ipywidgets', "
            "'ipcmodel.explorers.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_explorer_class_is_reachable_through_the_registry():
    """Each Explorer subclass defined in ipcmodel.explorers.* is made by a registered factory
    (or is a base class of one that is)."""
    defined = set()
    for info in pkgutil.iter_modules(explorers.__path__):
        module = importlib.import_module(f"ipcmodel.explorers.{info.name}")
        defined |= {c for _n, c in inspect.getmembers(module, inspect.isclass)
                    if issubclass(c, Explorer) and c is not Explorer and c.__module__ == module.__name__}
    assert len(defined) >= len(NAMES)
    reachable = {base for name in NAMES for base in _made_by(name).__mro__}
    # notebook 06's explorer needs a measured run, so machine_explorer(run) makes it outside the
    # registry; tests/explorers/test_yourmachine.py holds it to the same contract
    from ipcmodel.explorers.yourmachine import MachineExplorer

    reachable |= set(MachineExplorer.__mro__)
    assert sorted(c.__qualname__ for c in defined - reachable) == []


def _random_value(w, rng):
    if isinstance(w, widgets.FloatLogSlider):
        return w.base ** rng.uniform(w.min, w.max)
    if isinstance(w, widgets.IntSlider):
        return rng.randint(w.min, w.max)
    return rng.uniform(w.min, w.max)


#: Changes per explorer in the stress test: every slider at both ends of its range, every
#: choice option and every preset first (the states random draws rarely reach), then random
#: moves, presets and resets. The whole suite must stay within 5 minutes on two cores, so
#: ``make test`` makes 20 changes per explorer (the fixed part, every end, choice and preset, is
#: never cut short: an explorer with more controls makes more);
#: ``make test-stress`` makes 500 (IPCMODEL_STRESS_CHANGES=500), the count issue 10 asked for.
STRESS_CHANGES = int(os.environ.get("IPCMODEL_STRESS_CHANGES", "20"))


def _stress_changes(e, rng, n):
    """``n`` changes as (kind, target, value): boundaries, choices and presets, then random."""
    out = []
    for name, w in e.sliders.items():
        lo, hi = (w.base ** w.min, w.base ** w.max) if isinstance(w, widgets.FloatLogSlider) else (w.min, w.max)
        out += [("slider", name, lo), ("slider", name, hi)]
    for name, w in e.choices.items():
        out += [("choice", name, v) for _, v in w.options]
    out += [("preset", label, None) for label in e.presets]
    i = len(out)
    while len(out) < n:
        i += 1
        if e.presets and i % 37 == 0:
            out.append(("preset", rng.choice(list(e.presets)), None))
        elif i % 51 == 0:
            out.append(("reset", None, None))
        elif e.choices and i % 7 == 0:
            name = rng.choice(list(e.choices))
            out.append(("choice", name, rng.choice([v for _, v in e.choices[name].options])))
        else:
            name = rng.choice(list(e.sliders))
            out.append(("slider", name, _random_value(e.sliders[name], rng)))
    return out


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", NAMES)
def test_stress_changes(name):
    """Every change goes through the widget callback as a drag does: no exception, no error
    shown, the same Figure throughout, nothing leaked into pyplot."""
    before = plt.get_fignums()
    e = explorers.create(name)
    figure, count = e.figure, e.update_count
    changes = _stress_changes(e, random.Random(1992), STRESS_CHANGES)
    assert len(changes) >= STRESS_CHANGES
    for kind, target, value in changes:
        if kind == "preset":
            e.apply_preset(target)
        elif kind == "reset":
            e.reset()
        elif kind == "choice":
            e.choices[target].value = value
        else:
            e.sliders[target].value = value
        assert e.last_error is None, (kind, target, value, e.last_traceback)
    assert e.output.outputs == () and e.figure is figure
    assert plt.get_fignums() == before
    assert e.update_count > count + 0.8 * STRESS_CHANGES
    e.close()


def _check_renderings_units_and_classes(e):
    """Widget view + PNG + text reading (the same picture and words the widget shows), at the
    explorer's fixed size; every slider names its unit; the CSS classes the browser tests and
    binder/README.md rely on; and no figure leaks into pyplot (it would reappear in other cells)."""
    bundle = e._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"} <= set(data)
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == e.widget.model_id
    png = base64.b64decode(data["image/png"])
    assert png == e.png() == e.image.value and png[:4] == b"\x89PNG"
    size = Image.open(io.BytesIO(png)).size
    assert size == (round(e.figsize[0] * e.dpi), round(e.figsize[1] * e.dpi))
    assert data["text/plain"] == e.reading() and e.reading().strip().endswith(".")
    for control, w in e.sliders.items():
        assert "(" in w.description and w.description.endswith(")"), control
        spec = e._specs[control]
        if isinstance(w, widgets.FloatSlider) and not isinstance(w, widgets.FloatLogSlider):
            assert spec.low <= 0 or spec.high / spec.low < 100, control  # wide ranges are log sliders
    assert "ipcmodel-explorer" in e.widget._dom_classes
    assert "ipcmodel-reading" in e.readout._dom_classes
    assert "ipcmodel-presets" in e.preset_menu._dom_classes


def _check_blitted_picture_matches_a_full_draw(e):
    """After moves that redraw only the changing artists over the saved background, the picture
    equals a full draw of the same figure (up to anti-aliasing where artists cross ticks)."""
    sliders = list(e.sliders.values())
    rng = random.Random(3)
    for w in sliders[:2]:
        w.value = _random_value(w, rng)
    sliders[-1].value = _random_value(sliders[-1], rng)
    blitted = np.asarray(Image.open(io.BytesIO(e.png())).convert("RGB"), dtype=int)
    full = np.asarray(Image.open(io.BytesIO(plotting.figure_png(e.figure))).convert("RGB"), dtype=int)
    assert np.any(np.abs(blitted - full) > 40, axis=-1).mean() < 0.01


def _check_errors_are_shown_not_raised(e, monkeypatch):
    """A failing model call inside ``update`` is shown in the output area, never raised; the
    picture keeps its last good state; the next good move clears the message and redraws."""
    count, png = e.update_count, e.png()

    def broken_model_call(values):
        raise ValueError("ipc_us (µs) must be in (0, inf); got -1")

    monkeypatch.setattr(e, "update", broken_model_call)
    name, w = next(iter(e.sliders.items()))
    w.value = _random_value(w, random.Random(0))  # fires the callback: must not raise
    text = "".join(o.get("text", "") for o in e.output.outputs)
    assert "ValueError: ipc_us (µs) must be in (0, inf); got -1" in text
    assert isinstance(e.last_error, ValueError) and "broken_model_call" in e.last_traceback
    assert e.update_count == count and e.png() == png
    monkeypatch.undo()
    w.value = _random_value(w, random.Random(1))
    assert e.output.outputs == () and e.update_count == count + 1


def _browser_readout(w, value):
    """What the browser shows for ``value``: noUiSlider moves it to the nearest grid point
    ``min + k * step`` (of the exponent for a log slider), ipywidgets formats it."""
    if isinstance(w, widgets.IntSlider):
        return str(int(round(value)))
    if isinstance(w, widgets.FloatLogSlider):
        x = np.log(value) / np.log(w.base)
        shown = w.base ** (w.min + round((x - w.min) / w.step) * w.step)
    else:
        shown = w.min + round((value - w.min) / w.step) * w.step
    return format(shown, w.readout_format)


def _check_readouts_show_the_model_values(e):
    """At the start and after every preset, each slider's readout in the browser shows the
    value the model uses (issue 13: MicroVAX-III's 497 µs showed as 501 on a log grid)."""
    wrong = []
    with e.hold():  # slider state only: one redraw at the end, not one per preset
        for label in [None, *e.presets]:
            _readouts_after(e, label, wrong)
    e.reset()
    assert wrong == []


def _readouts_after(e, label, wrong):
    """Apply preset ``label`` (``None``: reset) and add to ``wrong`` each slider whose browser
    readout differs from the value the model then uses."""
    if label is None:
        e.reset()
    else:
        e.apply_preset(label)
    for name, w in e.sliders.items():
        used = e.model_inputs()[name]
        fmt = "d" if isinstance(w, widgets.IntSlider) else w.readout_format
        want = str(int(round(used))) if fmt == "d" else format(used, fmt)
        if _browser_readout(w, used) != want:
            wrong.append(f"{label or 'start'}: {name} uses {want}, the slider shows "
                         f"{_browser_readout(w, used)}")


def _check_screen_reader_names_and_alt(e):
    """Every slider reaches the accessibility bridge with its description (label and unit) and
    unit, in slider order; the figure's alt text is the reading; idle controls are named."""
    assert e.a11y is not None, "anywidget is missing: the explorers have no accessible names"
    assert e.a11y in e.widget.children
    got = [(c["label"], c["unit"]) for c in e.a11y.controls]
    assert got == [(e._specs[n].description, e._specs[n].unit) for n in e.sliders]
    assert all(c["unit"] in c["label"] for c in e.a11y.controls)
    assert e.a11y.alt.startswith("Figure: ") and " ".join(e.reading().split()) in e.a11y.alt
    idle = e.idle_controls(e.model_inputs())
    for name, why in idle.items():
        assert e._specs[name].description in e.reading() and why.rstrip(".") in e.reading()


def _check_reset_restores_defaults(e):
    start = e.model_inputs()
    assert start == pytest.approx(e.defaults) if all(
        isinstance(v, float) for v in start.values()) else start == e.defaults
    rng = random.Random(7)
    with e.hold():  # one redraw for all the moves
        if e.presets:
            e.apply_preset(next(iter(e.presets)))
        for w in e.sliders.values():
            w.value = _random_value(w, rng)
    assert e.model_inputs() != start
    e.reset()
    assert e.model_inputs() == pytest.approx(start) if all(
        isinstance(v, float) for v in start.values()) else e.model_inputs() == start
    assert e.preset_menu.value == ""
    next(iter(e.sliders.values())).value = _random_value(next(iter(e.sliders.values())), rng)
    e.reset_button.click()  # the button does the same
    assert e.model_inputs() == pytest.approx(start) if all(
        isinstance(v, float) for v in start.values()) else e.model_inputs() == start


def _from_browser(w, value):
    """Set a widget's value the way a message from the front end does (under the property lock)."""
    with w._lock_property(value=value):
        w.value = value


def _check_a_browser_snapping_a_cited_value_keeps_it(e):
    start, count = e.model_inputs(), e.update_count
    for name, w in e.sliders.items():
        exact = start[name]
        if isinstance(w, widgets.FloatLogSlider):  # a grid from 0, not the slider's: off by < step/2
            snapped = w.base ** (round(np.log(exact) / np.log(w.base) / w.step) * w.step)
        else:
            snapped = w.min + round((exact - w.min) / w.step) * w.step
        _from_browser(w, snapped)
    assert e.model_inputs() == start  # e.g. 57 µs stays 57, not 57.54
    assert e.update_count == count    # and nothing was redrawn for it
    # a real move from the browser (three steps) does change the model input
    name, w = next(iter(e.sliders.items()))
    moved = w.value * w.base ** (3 * w.step) if isinstance(w, widgets.FloatLogSlider) else w.value + 3 * w.step
    if moved <= (w.base ** w.max if isinstance(w, widgets.FloatLogSlider) else w.max):
        _from_browser(w, moved)
        assert e.model_inputs()[name] == pytest.approx(moved)


@pytest.mark.parametrize("name", NAMES)
def test_contract(name, monkeypatch):
    """One new explorer through every check of the contract, in an order where each check starts
    from the state it needs: renderings at the start values; reset (which returns to them); a
    browser snapping the cited start values to the slider grid; errors; then a blitted picture
    against a full draw. (One explorer instead of five: building one is most of a check's cost.)"""
    before = plt.get_fignums()
    e = explorers.create(name)
    try:
        assert plt.get_fignums() == before  # nothing leaks into pyplot
        assert type(e) is _made_by(name)  # the factory's annotation is honest
        _check_renderings_units_and_classes(e)
        _check_screen_reader_names_and_alt(e)
        _check_reset_restores_defaults(e)
        _check_a_browser_snapping_a_cited_value_keeps_it(e)
        _check_errors_are_shown_not_raised(e, monkeypatch)
        _check_blitted_picture_matches_a_full_draw(e)
    finally:
        e.close()


@pytest.mark.slow  # every slider of every explorer to its ends: in `make test`, not `make test-fast`
@pytest.mark.parametrize("name", NAMES)
def test_readouts_show_the_values_the_model_uses(name):
    e = explorers.create(name)
    try:
        _check_readouts_show_the_model_values(e)
    finally:
        e.close()


def test_a_log_slider_grid_passes_through_the_value_the_model_uses():
    """MicroVAX-III's 497 µs (Bershad 1992, §2 table) on the 0.1-1000 µs log slider: the grid
    starts at the stated low end (0.1 µs, reachable) and its step is adjusted so that it passes
    through 497 (the browser shows 497, not the 501 of a grid of 0.01 decades from 0.1 µs);
    more cases in tests/explorers/test_controls.py."""
    from ipcmodel.explorers.controls import SliderSpec, grid_min, grid_step

    spec = SliderSpec("ipc_us", "IPC round trip", "µs", 0.1, 1000.0, log=True)
    assert grid_min(spec) == pytest.approx(-1.0) and grid_min(spec, 497.0) == grid_min(spec)
    step = grid_step(spec, 497.0)
    assert 0.005 <= step <= 0.01
    k = round((np.log10(497.0) + 1.0) / step)
    assert 10 ** (-1.0 + k * step) == pytest.approx(497.0, rel=1e-9)
    assert grid_min(SliderSpec("f", "F", "fraction", 0.0, 1.0), 2 / 3) == 0.0  # linear: low kept
    w = spec.make(497.0)
    assert format(10 ** (w.min + round((np.log10(497.0) - w.min) / w.step) * w.step), ".3g") == "497"


def test_idle_controls_are_named_with_the_reason_in_the_reading_and_for_screen_readers():
    from ipcmodel.explorers.core import Explorer, SliderSpec

    class Toy(Explorer):
        controls = (SliderSpec("ipc_us", "IPC round trip", "µs", 1.0, 100.0, log=True),
                    SliderSpec("clock_mhz", "Clock", "MHz", 1.0, 100.0, log=True),
                    SliderSpec("miss_fraction", "Misses", "fraction", 0.0, 1.0))
        default_machine = None
        fixed_defaults = {"ipc_us": 10.0, "clock_mhz": 25.0, "miss_fraction": 0.0}
        figsize = (2.0, 1.0)

        def build(self, fig):
            ax = fig.subplots()
            return {"line": ax.plot([0, 1], [0, 1])[0]}

        def update(self, values):
            return {}

        def describe(self, values, plotted):
            return f"IPC is {values['ipc_us']:.3g} µs."

        def idle_controls(self, values):
            return {"clock_mhz": "no misses (the cache is warm)."} if values["miss_fraction"] == 0 else {}

    e = Toy()
    assert e.reading() == ("IPC is 10 µs. Clock (MHz) changes nothing now: no misses (the cache "
                           "is warm).")
    assert [c["idle"] for c in e.a11y.controls] == ["", "no misses (the cache is warm).", ""]
    e.set(miss_fraction=0.5)
    assert e.reading() == "IPC is 10 µs." and all(c["idle"] == "" for c in e.a11y.controls)
    e.close()
