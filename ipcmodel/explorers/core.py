"""The one explorer builder: sliders, machine presets, reset, a figure updated in place.

:class:`Explorer` does everything that is the same in every notebook's explorer; a subclass
declares only its controls (:class:`SliderSpec`, :class:`ChoiceSpec`), how to ``build`` the
figure once and how to ``update`` its artists from model calls, and a one-sentence ``describe``.
How to add one is in :mod:`ipcmodel.explorers.service`'s docstring.

How a change reaches the screen: ``slider.value = v`` (a drag does exactly this) fires the
callback, which calls the subclass's ``update`` (``set_data``, ``set_text``, ``set_array``:
never a new figure), renders the same :class:`~matplotlib.figure.Figure` to PNG at a fixed size
and dpi (no tight bounding box) and puts the bytes into an ``ipywidgets.Image``. The figure is not
known to pyplot, so nothing leaks into another cell.

Rendering blits: axes, ticks, labels, legends and colour bars are drawn once into a saved
background; an update restores it and draws only the artists listed in ``artists`` (most of a
full matplotlib draw is tick and text layout). A change of any axis limits, of the figure size,
or a call to :meth:`Explorer.invalidate` makes the next redraw a full one. So ``update`` may
change the artists it returned from ``build`` and axis limits, nothing else (put a title you
change into ``artists`` too). Redrawn artists lie on top of the background: keep legends out of
the data area (or list them in ``artists``). ``explorer.figure.savefig(...)`` still draws everything. Any exception in the callback is shown in
the explorer's ``output`` area (the full traceback is kept in ``last_traceback``); it never
disappears into the widget machinery.

Sliders use ``continuous_update=True`` by default: ipywidgets' front end keeps at most one update
of a widget in flight and sends only the latest value when the kernel is free again, so a drag
never queues up stale redraws. A redraw costs tens of ms (``benchmarks/README.md``); pass
``continuous_update=False`` to redraw on release only, e.g. on a very slow Binder.
"""

from __future__ import annotations

import base64
import html
import math
import traceback
from contextlib import contextmanager
from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from ipcmodel import plotting
from ipcmodel.machines import PAPER_MACHINES, load_machines, machine

__all__ = ["SliderSpec", "ChoiceSpec", "Explorer", "MACHINE_PARAMS", "machine_presets"]

#: Slider name -> :class:`~ipcmodel.machines.Machine` attribute holding its published value.
MACHINE_PARAMS = {
    "ipc_us": "rpc_us",
    "syscall_us": "syscall_us",
    "clock_mhz": "clock_mhz",
    "cache_line_bytes": "cache_line_bytes",
    "miss_penalty_cycles": "miss_penalty_cycles",
}

_NO_PRESET = ""
_DESCRIPTION_WIDTH = "16em"


@dataclass(frozen=True)
class SliderSpec:
    """One slider: model keyword ``name``, a label and unit shown to students, a range.

    ``log=True`` makes a :class:`ipywidgets.FloatLogSlider` (for quantities spanning decades);
    ``step`` is then a step of the exponent (in powers of ``base``).
    """

    name: str
    label: str
    unit: str
    low: float
    high: float
    log: bool = False
    step: float | None = None
    base: float = 10.0
    fmt: str = ".3g"
    help: str = ""

    @property
    def description(self) -> str:
        """Label with its unit, e.g. ``"IPC round trip (µs)"``."""
        return f"{self.label} ({self.unit})"

    def make(self, value: float, continuous_update: bool = True):
        """The widget, set to ``value``."""
        common = {
            "value": value, "description": self.description, "readout_format": self.fmt,
            "continuous_update": continuous_update, "tooltip": self.help or self.description,
            "style": {"description_width": _DESCRIPTION_WIDTH},
            "layout": widgets.Layout(width="98%"),
        }
        if self.log:
            exp = math.log10 if self.base == 10 else (lambda x: math.log(x, self.base))
            return widgets.FloatLogSlider(min=exp(self.low), max=exp(self.high), base=self.base,
                                          step=self.step or 0.01, **common)
        return widgets.FloatSlider(min=self.low, max=self.high,
                                   step=self.step or (self.high - self.low) / 100, **common)

    def accepts(self, value: float) -> bool:
        """True when ``value`` lies in the slider's range (so the slider keeps it unchanged)."""
        return self.low <= value <= self.high


@dataclass(frozen=True)
class ChoiceSpec:
    """A dropdown of labelled values, e.g. devices: ``options`` is ``((label, value), ...)``."""

    name: str
    label: str
    unit: str
    options: tuple
    help: str = ""

    @property
    def description(self) -> str:
        return f"{self.label} ({self.unit})"

    def make(self, value, continuous_update: bool = True):
        return widgets.Dropdown(options=list(self.options), value=value,
                                description=self.description, tooltip=self.help or self.description,
                                style={"description_width": _DESCRIPTION_WIDTH},
                                layout=widgets.Layout(width="98%"))


def machine_presets(params: dict, machines=None) -> tuple[dict, dict]:
    """Presets from the cited machine records.

    Parameters
    ----------
    params : dict
        Slider name -> :class:`~ipcmodel.machines.Machine` attribute (see :data:`MACHINE_PARAMS`).
    machines : iterable of Machine, optional
        Defaults to the paper's machines (:data:`~ipcmodel.machines.PAPER_MACHINES`).

    Returns
    -------
    (presets, missing)
        ``presets[label]`` maps slider names to published (or computed-from-published) values;
        ``missing[label]`` lists the slider names with no published value. Nothing is filled in.
    """
    if machines is None:  # the paper's machines; modern ones belong to notebooks 06 and 07
        machines = [m for m in load_machines().values() if m.id in PAPER_MACHINES]
    machines = list(machines)
    presets, missing = {}, {}
    for m in machines:
        presets[m.name] = {s: float(getattr(m, a)) for s, a in params.items()
                           if getattr(m, a) is not None}
        missing[m.name] = [s for s, a in params.items() if getattr(m, a) is None]
    return presets, missing


class Explorer:
    """Base class of every explorer; subclasses set the class attributes and three methods.

    Class attributes
    ----------------
    controls : tuple of SliderSpec / ChoiceSpec (may be a property when options come from data)
    machine_params : dict, slider name -> Machine attribute, for the presets
    default_machine : str, id of the machine whose published values are the starting values
    fixed_defaults : dict, starting values of the controls a machine does not give
    figsize, dpi : fixed size of every rendering
    """

    controls: tuple = ()
    machine_params: dict = MACHINE_PARAMS
    default_machine: str | None = "ds5000"
    fixed_defaults: dict = {}
    figsize: tuple = (11.0, 4.4)
    dpi: int = 100
    rc: dict | None = None

    # ---- what a subclass writes ---------------------------------------------------------
    def build(self, fig) -> dict:
        """Create the axes and artists once; return them as ``{name: artist}``."""
        raise NotImplementedError

    def update(self, values: dict) -> dict:
        """Call the model with ``values``, update ``self.artists`` in place, return what is plotted."""
        raise NotImplementedError

    def describe(self, values: dict, plotted: dict) -> str:
        """One sentence reading the current state in words (also the screen-reader text)."""
        raise NotImplementedError

    # ---- machinery ----------------------------------------------------------------------
    def __init__(self, *, continuous_update: bool = True):
        self._specs = {s.name: s for s in self.controls}
        self.presets, self.preset_missing = self.preset_values()
        self.preset_sources: dict[str, str] = {}
        self._first_presets: set[str] = set()
        self.defaults = self.default_values()
        self.sliders, self.choices = {}, {}
        for name, spec in self._specs.items():
            w = spec.make(self.defaults[name], continuous_update)
            (self.choices if isinstance(spec, ChoiceSpec) else self.sliders)[name] = w
            w.observe(self._on_change, names="value")
        self._names = {id(w): n for n, w in {**self.sliders, **self.choices}.items()}
        # the values the model uses: a browser moves a value onto the slider's grid when it first
        # shows it (57 µs becomes 57.5 on a log grid); the cited value is kept (see _on_change)
        self._exact = {n: float(w.value) for n, w in self.sliders.items()}
        self.preset_menu = widgets.Dropdown(
            options=[("(choose a machine)", _NO_PRESET)] + [(k, k) for k in self.presets],
            value=_NO_PRESET, description="Machine preset",
            style={"description_width": "initial"})
        self.preset_menu.observe(self._on_preset, names="value")
        self.preset_menu.observe(self._menu_visibility, names="options")
        self._menu_visibility({"new": self.preset_menu.options})
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="Back to the starting values")
        self.reset_button.on_click(lambda _b: self._guard(self.reset))
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.readout = widgets.HTML()
        self.output = widgets.Output()
        self.notes: list[str] = []
        self.preset_note = ""
        self.update_count = 0
        self.last_error: BaseException | None = None
        self.last_traceback = ""
        self._hold_depth, self._dirty, self._menu_sync = 0, False, False
        self._plotted, self._reading, self._png = {}, "", b""
        self._background, self._background_key, self.full_draws = None, None, 0
        with plotting.style(self.rc):
            self.figure = plotting.empty_figure(self.figsize, self.dpi)
            self.artists = self.build(self.figure)
        grid = widgets.GridBox(list(self.sliders.values()) + list(self.choices.values()),
                               layout=widgets.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))"))
        self.widget = widgets.VBox([widgets.HBox([self.preset_menu, self.reset_button]), grid,
                                    self.image, self.readout, self.output])
        # the contract with the browser tests (binder/README.md, "Contract with explore.py")
        self.widget.add_class("ipcmodel-explorer")
        self.readout.add_class("ipcmodel-reading")
        self.preset_menu.add_class("ipcmodel-presets")
        self.refresh(layout=True)

    def preset_values(self) -> tuple[dict, dict]:
        """``(presets, missing)``: by default one preset per machine in data/ (see
        :func:`machine_presets`); override to offer presets built from other cited data."""
        params = {k: v for k, v in self.machine_params.items() if k in self._specs}
        return machine_presets(params) if params else ({}, {})

    def default_values(self) -> dict:
        """Starting values: the default machine's published values, then ``fixed_defaults``."""
        values = {}
        if self.default_machine is not None:
            m = machine(self.default_machine)
            values.update({s: float(getattr(m, a)) for s, a in self.machine_params.items()
                           if s in self._specs and getattr(m, a) is not None})
        values.update(self.fixed_defaults)
        for name, spec in self._specs.items():
            if name not in values and isinstance(spec, ChoiceSpec):
                values[name] = spec.options[0][1]
        missing = [n for n in self._specs if n not in values]
        if missing:
            raise ValueError(f"{type(self).__name__}: no starting value for {missing}; give it in "
                             "fixed_defaults or use a default_machine that publishes it")
        outside = [f"{n} = {v:g}" for n, v in values.items() if isinstance(self._specs.get(n), SliderSpec)
                   and not self._specs[n].accepts(v)]
        if outside:  # a slider would clamp it silently: a number nobody published
            raise ValueError(f"{type(self).__name__}: starting value(s) outside the slider range: {outside}")
        return values

    def model_inputs(self) -> dict:
        """Current values of every control, keyed by model keyword (units in the names)."""
        out = {name: self._exact.get(name, float(w.value)) for name, w in self.sliders.items()}
        out.update({name: w.value for name, w in self.choices.items()})
        return out

    def plotted(self) -> dict:
        """The arrays currently drawn, as ``update`` handed them to the artists."""
        return dict(self._plotted)

    def reading(self) -> str:
        """The current state in words (plus what the last preset could not set)."""
        return " ".join(t for t in (self._reading, self.preset_note) if t)

    def png(self) -> bytes:
        """PNG bytes of the figure as last drawn."""
        return self._png

    @contextmanager
    def hold(self):
        """Change several controls with one redraw at the end: ``with ex.hold(): ...``."""
        self._hold_depth += 1
        try:
            yield self
        finally:
            self._hold_depth -= 1
            if self._hold_depth == 0 and self._dirty:
                self._dirty = False
                self.refresh()

    def set(self, **values) -> None:
        """Set controls by name (one redraw), e.g. ``ex.set(ipc_us=100, device_us=1e4)``."""
        unknown = sorted(set(values) - set(self._specs))
        if unknown:
            raise ValueError(f"unknown control(s) {unknown}; this explorer has {list(self._specs)}")
        with self.hold():
            for name, v in values.items():
                self._control(name).value = v
            self._forget_preset()
            self._dirty = True

    def add_preset(self, label: str, values: dict, *, missing=(), source: str = "",
                   first: bool = False) -> None:
        """Offer one more preset, e.g. this machine's measured values (notebook 06).

        ``source`` says where the values come from; :meth:`apply_preset` shows it in the reading
        (without one, the reading says every value is a published one). ``first`` puts it at the
        top of the menu, right under the placeholder.
        """
        unknown = sorted(set(values) - set(self.sliders))
        if unknown:
            raise ValueError(f"unknown slider(s) {unknown}; this explorer has {list(self.sliders)}")
        self.presets[label] = {k: float(v) for k, v in values.items()}
        self.preset_missing[label] = [m for m in missing if m in self.sliders]
        if source:
            self.preset_sources[label] = source
        opts = [o for o in self.preset_menu.options if o[1] != label]
        at = 1 + sum(1 for o in opts[1:] if o[1] in self._first_presets) if first else len(opts)
        opts.insert(at, (label, label))
        if first:
            self._first_presets.add(label)
        self.preset_menu.options = opts

    def apply_preset(self, label: str) -> None:
        """Set every control the machine has a published value for; list the ones it has not."""
        if label not in self.presets:
            raise ValueError(f"preset must be one of {list(self.presets)}; got {label!r}")
        outside = []
        with self.hold():
            for name, v in self.presets[label].items():
                if self._specs[name].accepts(v):
                    self.sliders[name].value = v
                else:
                    outside.append(f"{self._specs[name].description} = {v:g} is outside the slider's range")
            self._set_menu(label)
            missing = [self._specs[n].description for n in self.preset_missing[label]]
            parts = [f"Preset {label}:"]
            source = self.preset_sources.get(label)
            if source:
                parts.append(source)
            if missing:
                parts.append(f"{'No' if source else 'no published'} value for {', '.join(missing)}; "
                             "left unchanged.")
            elif not source:
                parts.append("every machine parameter here is a published value.")
            if outside:
                parts.append("Not set: " + "; ".join(outside) + ".")
            self.preset_note = " ".join(parts)
            self._dirty = True

    def reset(self) -> None:
        """Back to the starting values (:attr:`defaults`)."""
        with self.hold():
            for name, v in self.defaults.items():
                self._control(name).value = v
            self._forget_preset()
            self._dirty = True

    def refresh(self, layout: bool = False) -> bool:
        """Run the model, update the artists, redraw. Returns False (and shows why) on error."""
        try:
            values = self.model_inputs()
            with plotting.style(self.rc):
                plotted = self.update(values)
                reading = self.describe(values, plotted)
                png = self._render(layout)
        except Exception as exc:  # shown to the student, never lost
            self._report(exc)
            return False
        self._plotted, self._reading, self._png = plotted, reading, png
        self.image.value = png
        self._show_reading()
        if self.output.outputs:
            self.output.outputs = ()
        self.update_count += 1
        return True

    def invalidate(self) -> None:
        """Force a full redraw next time (call it from ``update`` after changing anything that
        is not in ``artists``, e.g. tick positions; changed axis limits are detected)."""
        self._background = None

    def _render(self, layout: bool) -> bytes:
        # Blitting: axes, ticks, labels and legends are drawn once into a saved background;
        # an update restores it and draws only the artists named in ``self.artists``.
        fig, canvas = self.figure, self.figure.canvas
        if layout:
            fig.tight_layout()
        key = (tuple(fig.bbox.bounds),
               tuple((tuple(ax.get_xlim()), tuple(ax.get_ylim())) for ax in fig.axes))
        dynamic = self._dynamic_artists()
        if layout or self._background is None or key != self._background_key:
            for a in dynamic:
                a.set_animated(True)
            try:
                canvas.draw()
            finally:
                for a in dynamic:
                    a.set_animated(False)
            self._background, self._background_key = canvas.copy_from_bbox(fig.bbox), key
            self.full_draws += 1
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for a in dynamic:
            a.draw(renderer)
        return plotting.figure_png(fig, draw=False)

    def _dynamic_artists(self) -> list:
        found = []

        def walk(v):
            if isinstance(v, (list, tuple)):  # includes BarContainer
                for x in v:
                    walk(x)
            elif isinstance(v, Artist) and not isinstance(v, Axes):
                found.append(v)

        for v in self.artists.values():
            walk(v)
        return sorted(found, key=lambda a: a.get_zorder())

    def close(self) -> None:
        """Close every widget of this explorer (the figure is garbage-collected with it)."""
        for w in [*self.sliders.values(), *self.choices.values(), self.preset_menu,
                  self.reset_button, self.image, self.readout, self.output, self.widget]:
            w.close()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["image/png"] = base64.b64encode(self._png).decode("ascii")
        bundle["text/plain"] = self.reading()
        return bundle

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.reading()}>"

    # ---- internals ----------------------------------------------------------------------
    def _control(self, name):
        return self.sliders[name] if name in self.sliders else self.choices[name]

    @staticmethod
    def _snapped(w, new: float, exact: float) -> bool:
        """True when ``new`` is ``exact`` moved to the nearest point of the slider's grid."""
        if isinstance(w, widgets.FloatLogSlider):
            if new <= 0 or exact <= 0:
                return False
            return abs(math.log(new / exact, w.base)) <= w.step / 2 + 1e-9
        return abs(new - exact) <= w.step / 2 + 1e-12

    def _on_change(self, change) -> None:
        w = change["owner"]
        name = self._names.get(id(w))
        if name in self.sliders:
            from_browser = "value" in getattr(w, "_property_lock", {})
            exact = self._exact.get(name)
            if from_browser and exact is not None and self._snapped(w, float(change["new"]), exact):
                return  # the front end only put a cited value on its grid: keep the cited value
            self._exact[name] = float(change["new"])
        if self._hold_depth:
            self._dirty = True
            return
        self._guard(self._forget_preset)
        self.refresh()

    def _on_preset(self, change) -> None:
        if not self._menu_sync and change["new"] != _NO_PRESET:
            self._guard(self.apply_preset, change["new"])

    def _menu_visibility(self, change) -> None:
        self.preset_menu.layout.display = None if len(change["new"]) > 1 else "none"

    def _set_menu(self, label: str) -> None:
        self._menu_sync = True
        try:
            self.preset_menu.value = label
        finally:
            self._menu_sync = False

    def _forget_preset(self) -> None:
        if self.preset_menu.value != _NO_PRESET:
            self._set_menu(_NO_PRESET)
        self.preset_note = ""

    def _guard(self, fn, *args) -> None:
        try:
            fn(*args)
        except Exception as exc:
            self._report(exc)

    def _report(self, exc: BaseException) -> None:
        self.last_error = exc
        self.last_traceback = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.output.outputs = ()
        self.output.append_stderr(f"{type(exc).__name__}: {exc}\n(The picture still shows the "
                                  "last values that worked; ex.last_traceback has the details.)\n")

    def _show_reading(self) -> None:
        notes = "".join(f'<div style="color:#555;font-size:0.9em">{html.escape(n)}</div>'
                        for n in self.notes)
        self.readout.value = (f'<div role="status" aria-live="polite" style="font-size:1.1em">'
                              f"{html.escape(self.reading())}</div>{notes}")
