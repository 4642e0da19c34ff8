"""The explorers of notebooks 00 and 05, and the shared Explorer machinery (ipcmodel.explorers.service).

Expected values are computed here with ipcmodel.service / units and the cited data, never read
back from the explorer; plotted data must equal them to rtol 1e-12.
"""


import ipywidgets as widgets
import numpy as np
import pytest
from checks import PUBLISHED
from explorer_fixtures import explorer_fixture

from ipcmodel import service, units
from ipcmodel.data import fact
from ipcmodel.explorers import service as explore
from ipcmodel.explorers.service import (
    Explorer,
    SliderSpec,
    _short,
    master_explorer,
    regime_map_explorer,
)
from ipcmodel.machines import PAPER_MACHINES, load_machines, machine
from ipcmodel.paper import cited_devices

RTOL = 1e-12
FACTORIES = [master_explorer, regime_map_explorer]


@pytest.fixture(params=FACTORIES, ids=lambda f: f.__name__)
def ex(request):
    e = request.param()
    yield e
    e.close()


master = explorer_fixture(master_explorer)


regime = explorer_fixture(regime_map_explorer)


def path_lines(line_bytes):
    """§3: under 4 KB of instructions + under 2 KB of data, each in whole lines."""
    instr = units.kb_to_bytes(fact("b92-ipc-path-instructions").value)
    data = units.kb_to_bytes(fact("b92-ipc-path-data").value)
    return units.bytes_to_lines(instr, line_bytes) + units.bytes_to_lines(data, line_bytes)


def path_misses_us(v):
    return service.locality_us(path_lines(v["cache_line_bytes"]), v["miss_fraction"],
                               v["miss_penalty_cycles"], v["clock_mhz"])


def move(e, **values):
    """Set sliders one at a time, as a student's drags do (each assignment fires the callback)."""
    for name, v in values.items():
        e.sliders[name].value = v


# ---- the master explorer (notebook 00) ----------------------------------------------------------

MASTER_CASES = [
    {},
    {"ipc_us": 100.0, "device_us": 10.0},
    {"ipc_us": 497.0, "syscall_us": 60.0, "device_us": 2e4, "threshold": 0.1},
    {"miss_fraction": 0.4, "miss_penalty_cycles": 120.0, "clock_mhz": 40.0, "cache_line_bytes": 64.0},
    {"ipc_us": 2.0, "syscall_us": 5.0},          # IPC cheaper than the system call
    {"ipc_us": 1000.0, "syscall_us": 0.05, "device_us": 1e5, "threshold": 0.01},
]


def test_master_plots_the_model(master):
    # one explorer, several cases in turn (reset between them): as independent as a
    # fresh explorer per case (the contract test checks reset), without the build cost
    for case in MASTER_CASES:
        master.reset()
        move(master, **case)
        v = master.model_inputs()
        assert all(v[k] == case[k] for k in case)
        ipl = path_misses_us(v)
        x = np.logspace(-1, 6, 400)
        y = service.ipc_overhead_fraction(v["ipc_us"], v["syscall_us"], x, 0.0, ipl)
        y0 = service.ipc_overhead_fraction(v["ipc_us"], v["syscall_us"], v["device_us"], 0.0, ipl)
        be = service.break_even_service_us(v["ipc_us"], v["syscall_us"], v["threshold"], 0.0, ipl)
        p, a = master.plotted(), master.artists

        np.testing.assert_allclose(p["device_us"], x, rtol=RTOL)
        np.testing.assert_allclose(p["overhead_fraction"], y, rtol=RTOL)
        np.testing.assert_allclose(a["curve"].get_xdata(), x, rtol=RTOL)
        np.testing.assert_allclose(a["curve"].get_ydata(), y, rtol=RTOL)
        np.testing.assert_allclose(a["device_point"].get_xydata(), [[v["device_us"], y0]], rtol=RTOL)
        assert p["break_even_us"] == pytest.approx(be, rel=RTOL, abs=0)
        assert list(a["threshold_line"].get_ydata()) == [v["threshold"]] * 2
        assert p["ipc_path_locality_us"] == pytest.approx(ipl, rel=RTOL, abs=0)
        if 0 < be <= 1e6:
            assert a["break_even_line"].get_visible()
            assert a["break_even_line"].get_xdata()[0] == pytest.approx(be, rel=RTOL)
        else:
            assert not a["break_even_line"].get_visible()

        # bars: crossing, IPC-path misses, service; as shares of the microkernel's total
        mono = np.array([v["syscall_us"], 0.0, v["device_us"]])
        micro = np.array([v["ipc_us"], ipl, v["device_us"]])
        total = service.microkernel_time_us(v["ipc_us"], v["device_us"], 0.0, ipl)
        for row, parts in ((0, mono), (1, micro)):  # patch 0 = monolithic, 1 = microkernel
            widths = [a[f"bars_{k}"].patches[row].get_width() for k in ("crossing", "ipc_path", "service")]
            np.testing.assert_allclose(widths, parts / total, rtol=RTOL)
            lefts = [a[f"bars_{k}"].patches[row].get_x() for k in ("crossing", "ipc_path", "service")]
            np.testing.assert_allclose(lefts, np.concatenate([[0], np.cumsum(parts)[:-1]]) / total,
                                       rtol=RTOL, atol=1e-15)
        assert a["total_micro"].get_text() == explore.format_us(total)


def test_master_reading_of_the_paper_example(master):
    # §2/§2.1: DS5000/200 57 µs RPC, 8 µs system call; a 1 ms service, 5% threshold
    master.set(device_us=1000.0)
    text = master.reading()
    be = service.break_even_service_us(57, 8, 0.05)
    assert "57 µs IPC" in text and "8 µs system call" in text
    assert f"{100 * service.ipc_overhead_fraction(57, 8, 1000):.1f}%" in text  # 4.6%
    assert f"{be:.0f} µs" in text and "within the 5% threshold" in text


def test_master_starts_from_cited_values(master):
    ds = machine("ds5000")
    d = master.model_inputs()
    assert (d["ipc_us"], d["syscall_us"], d["clock_mhz"]) == (ds.rpc_us, ds.syscall_us, ds.clock_mhz)
    assert d["cache_line_bytes"] == ds.cache_line_bytes
    assert d["miss_penalty_cycles"] == ds.miss_penalty_cycles
    udp = fact("mb92-udp-rtt-mach25")
    assert d["device_us"] == units.ms_to_us(udp.value)  # a cited device, in µs


# ---- the regime map (notebook 05) ---------------------------------------------------------------

REGIME_CASES = [
    {},
    {"miss_fraction": 0.5, "miss_penalty_cycles": 100.0},
    {"ipc_us": 300.0, "syscall_us": 2.0, "threshold": 0.2, "clock_mhz": 200.0},
    {"ipc_us": 0.2, "syscall_us": 50.0},
]


def test_regime_map_plots_the_model(regime):
    # one explorer, several cases in turn (reset between them): as independent as a
    # fresh explorer per case (the contract test checks reset), without the build cost
    for case in REGIME_CASES:
        regime.reset()
        move(regime, **case)
        v = regime.model_inputs()
        ipl = path_misses_us(v)
        xg, yg = np.logspace(-1, 3, 81), np.logspace(-1, 6, 71)
        z = service.ipc_overhead_fraction(xg[None, :], v["syscall_us"], yg[:, None], 0.0, ipl)
        p, a = regime.plotted(), regime.artists
        np.testing.assert_allclose(p["overhead_map"], z, rtol=RTOL)
        np.testing.assert_allclose(np.asarray(a["map"].get_array()).reshape(z.shape), z, rtol=RTOL)
        xb = a["boundary"].get_xdata()
        np.testing.assert_allclose(a["boundary"].get_ydata(),
                                   service.break_even_service_us(xb, v["syscall_us"], v["threshold"], 0.0, ipl),
                                   rtol=RTOL)
        be = service.break_even_service_us(v["ipc_us"], v["syscall_us"], v["threshold"], 0.0, ipl)
        np.testing.assert_allclose(a["ipc_point"].get_xydata(), [[v["ipc_us"], be]], rtol=RTOL)


def test_regime_map_machines_use_their_own_system_calls(regime):
    regime.set(syscall_us=3.0, miss_fraction=0.2)
    v = regime.model_inputs()
    ipl = path_misses_us(v)
    ms = [m for m in load_machines().values() if m.rpc_us is not None and m.id in PAPER_MACHINES]
    xm = [m.rpc_us for m in ms]
    scm = [v["syscall_us"] if m.syscall_us is None else m.syscall_us for m in ms]
    want = service.ipc_overhead_fraction(np.array(xm), np.array(scm), v["device_us"], 0.0, ipl)
    np.testing.assert_allclose(regime.plotted()["machines_overhead"], want, rtol=RTOL)
    np.testing.assert_allclose(regime.artists["machines"].get_xydata(),
                               np.column_stack([xm, [v["device_us"]] * len(xm)]), rtol=RTOL)
    for ann, m in zip(regime.artists["labels"], ms, strict=True):
        assert ann.get_text().startswith(_short(m))
        assert ann.get_text().endswith("*") == (m.syscall_us is None)


def test_regime_device_choices_come_from_data(regime):
    menu = regime.choices["device_us"]
    udp = fact("mb92-udp-rtt-mach25")
    assert menu.value == units.ms_to_us(udp.value)
    assert [v for _, v in menu.options] == [d.device_us for d in cited_devices()[0]]
    for d in cited_devices()[0][1:]:  # the rest from data/history.csv; each with a citation
        assert d.cite.startswith("[") and d.device_us > 0
    menu.value = menu.options[-1][1]
    assert np.all(regime.artists["machines"].get_ydata() == menu.options[-1][1])


def test_regime_reading_moves_with_the_miss_penalty(regime):
    regime.set(miss_fraction=0.25)
    before = regime.reading()
    regime.sliders["miss_penalty_cycles"].value = 200.0
    assert regime.reading() != before and "200 cycles each" in regime.reading()
    v = regime.model_inputs()
    be = service.break_even_service_us(v["ipc_us"], v["syscall_us"], v["threshold"], 0.0,
                                       path_misses_us(v))
    assert explore.format_us(be) in regime.reading()


# ---- shared behaviour, for every explorer ------------------------------------------------------

def test_controls_carry_units_and_log_scales(ex):
    for name, w in [*ex.sliders.items(), *ex.choices.items()]:
        assert w.description.endswith(")") and " (" in w.description, name
        if isinstance(w, widgets.FloatSlider):  # a linear slider must not span decades
            assert w.min == 0 or w.max / w.min < 100, name
    for name in ("ipc_us", "syscall_us", "clock_mhz", "miss_penalty_cycles"):
        assert isinstance(ex.sliders[name], widgets.FloatLogSlider)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_preset_sets_published_values_and_lists_the_rest(factory):
    e = factory()
    for m in (m for m in load_machines().values() if m.id in PAPER_MACHINES):
        # move every machine slider away from any published value first
        e.set(**{n: e.sliders[n].value * 1.5 for n in PUBLISHED if n in e.sliders})
        before = e.model_inputs()
        e.apply_preset(m.name)
        after = e.model_inputs()
        for name, attr in PUBLISHED.items():
            if name not in e.sliders:
                continue
            published = getattr(m, attr)
            if published is None:
                assert after[name] == before[name], (m.id, name)
                assert e.sliders[name].description in e.reading(), (m.id, name)
            else:
                assert after[name] == published, (m.id, name)  # exactly
        assert e.preset_menu.value == m.name
        assert m.name in e.reading()
    e.close()


def test_preset_menu_applies_and_a_drag_forgets_it(ex):
    label = machine("cvax").name
    ex.preset_menu.value = label
    assert ex.model_inputs()["ipc_us"] == machine("cvax").rpc_us
    assert "no published value" in ex.reading()
    ex.sliders["ipc_us"].value = 100.0
    assert ex.preset_menu.value == "" and "no published value" not in ex.reading()


def test_reading_changes_when_a_slider_moves(ex):
    before, count = ex.reading(), ex.update_count
    ex.sliders["ipc_us"].value = 321.0
    assert ex.reading() != before and "321 µs" in ex.reading()
    assert ex.update_count == count + 1


def test_set_and_hold_redraw_once(ex):
    count = ex.update_count
    ex.set(ipc_us=200.0, syscall_us=20.0, threshold=0.2)
    assert ex.update_count == count + 1
    with ex.hold():
        ex.sliders["ipc_us"].value = 300.0
        ex.sliders["syscall_us"].value = 30.0
    assert ex.update_count == count + 2
    with pytest.raises(ValueError, match="unknown control"):
        ex.set(ipc_ms=1)


def test_axis_limit_changes_force_a_full_redraw():
    class Zoom(Explorer):
        controls = (SliderSpec("width", "Width", "µs", 1.0, 100.0),)
        default_machine = None
        fixed_defaults = {"width": 10.0}

        def build(self, fig):
            ax = fig.subplots()
            line, = ax.plot([0, 1], [0, 1])
            return {"ax": ax, "line": line}

        def update(self, values):
            self.artists["line"].set_data([0, values["width"]], [0, 1])
            self.artists["ax"].set_xlim(0, values["width"])
            return {"width": values["width"]}

        def describe(self, values, plotted):
            return f"{values['width']:g} µs wide."

    z = Zoom()
    draws = z.full_draws
    z.sliders["width"].value = 20.0
    assert z.full_draws == draws + 1 and z.reading() == "20 µs wide."
    assert z.presets == {} and z.preset_menu.layout.display == "none"  # no machine parameters
    z.close()


def test_an_out_of_range_preset_value_is_reported_not_clamped():
    e = master_explorer()
    before = e.model_inputs()["miss_penalty_cycles"]
    e.add_preset("far future", {"miss_penalty_cycles": 1e6, "ipc_us": 1.0}, source="A what-if.")
    e.apply_preset("far future")
    assert e.model_inputs()["miss_penalty_cycles"] == before
    assert e.model_inputs()["ipc_us"] == 1.0
    assert "Not set: Cache miss penalty (cycles) = 1e+06 is outside the slider's range" in e.reading()
    assert "A what-if." in e.reading()
    with pytest.raises(ValueError, match="unknown slider"):
        e.add_preset("bad", {"warp_factor": 9})
    e.close()
