"""The contract every explorer keeps, checked for all of them in one place.

* 500 random slider/preset/reset changes: no exception, no error shown, the same Figure, no new
  pyplot figures (nothing leaks into other cells);
* it renders three ways: widget view + PNG + a text reading;
* a failing model call is shown in the explorer's output area and never raised;
* reset restores the starting values.
"""

import random

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from ipcmodel.explorers.caches import cold_ipc_explorer, dma_explorer
from ipcmodel.explorers.firewall import emulation_explorer, protocol_explorer
from ipcmodel.explorers.history import timeline_explorer, year_regime_explorer
from ipcmodel.explorers.service import master_explorer, regime_map_explorer
from ipcmodel.explorers.transfer import marshalling_explorer, x11_explorer
from ipcmodel.explorers.trends import generations_explorer

ALL_FACTORIES = [master_explorer, regime_map_explorer, generations_explorer, cold_ipc_explorer,
                 dma_explorer, marshalling_explorer, x11_explorer, emulation_explorer,
                 protocol_explorer, year_regime_explorer, timeline_explorer]
ids = [f.__name__ for f in ALL_FACTORIES]


def _random_value(w, rng):
    if isinstance(w, widgets.FloatLogSlider):
        return w.base ** rng.uniform(w.min, w.max)
    if isinstance(w, widgets.IntSlider):
        return rng.randint(w.min, w.max)
    return rng.uniform(w.min, w.max)


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=ids)
def test_500_random_changes(factory):
    before = plt.get_fignums()
    e = factory()
    rng = random.Random(1992)
    figure, count = e.figure, e.update_count
    for i in range(500):
        if e.presets and i % 97 == 0:
            e.apply_preset(rng.choice(list(e.presets)))
        elif i % 101 == 0:
            e.reset()
        elif e.choices and i % 7 == 0:
            w = e.choices[rng.choice(list(e.choices))]
            w.value = rng.choice([v for _, v in w.options])
        else:
            w = e.sliders[rng.choice(list(e.sliders))]
            w.value = _random_value(w, rng)
        assert e.last_error is None, e.last_traceback
    assert e.output.outputs == () and e.figure is figure
    assert plt.get_fignums() == before
    assert e.update_count > count + 400
    e.close()


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=ids)
def test_three_renderings(factory):
    e = factory()
    bundle = e._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"} <= set(data)
    assert data["image/png"] and data["text/plain"].strip() == e.reading()
    e.close()


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=ids)
def test_errors_are_shown_not_raised(factory, monkeypatch):
    """A failing model call inside ``update`` is shown in the output area, never raised; the
    picture keeps its last good state; the next good move clears the message and redraws."""
    e = factory()
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
    e.close()


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=ids)
def test_reset_restores_defaults(factory):
    e = factory()
    start = e.model_inputs()
    rng = random.Random(7)
    for w in e.sliders.values():
        w.value = _random_value(w, rng)
    e.reset()
    assert e.model_inputs() == pytest.approx(start) if all(
        isinstance(v, float) for v in start.values()) else e.model_inputs() == start
    e.close()


def _from_browser(w, value):
    """Set a widget's value the way a message from the front end does (under the property lock)."""
    with w._lock_property(value=value):
        w.value = value


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=ids)
def test_a_browser_snapping_a_cited_value_to_its_grid_keeps_the_cited_value(factory):
    e = factory()
    start, count = e.model_inputs(), e.update_count
    for name, w in e.sliders.items():
        exact = start[name]
        if isinstance(w, widgets.FloatLogSlider):
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
    e.close()


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=ids)
def test_browser_contract_css_classes(factory):
    e = factory()
    assert "ipcmodel-explorer" in e.widget._dom_classes
    assert "ipcmodel-reading" in e.readout._dom_classes
    assert "ipcmodel-presets" in e.preset_menu._dom_classes
    e.close()
