"""The one explorer builder: sliders, machine presets, reset, a figure updated in place.

:class:`Explorer` does everything that is the same in every notebook's explorer; a subclass
declares only its controls (:class:`SliderSpec`, :class:`ChoiceSpec`), how to ``build`` the
figure once and how to ``update`` its artists from model calls, and a one-sentence ``describe``;
its notes and extra presets are declarations too (:meth:`Explorer.reading_notes`,
:meth:`Explorer.extra_presets`). How to add one is in :mod:`ipcmodel.explorers`' docstring.

How a change reaches the screen: ``slider.value = v`` (a drag does exactly this) fires the
callback, which calls the subclass's ``update`` (``set_data``, ``set_text``, ``set_array``:
never a new figure), renders the same :class:`~matplotlib.figure.Figure` to PNG at a fixed size
and dpi (no tight bounding box) and puts the bytes into an ``ipywidgets.Image``. The figure is not
known to pyplot, so nothing leaks into another cell.

Rendering blits (:mod:`ipcmodel.explorers.render`): only the artists listed in ``artists`` are
redrawn over a saved background, so ``update`` may change those artists and axis limits, nothing
else (or call :meth:`Explorer.invalidate`). Any exception in the callback is shown in the
explorer's ``output`` area (the full traceback is kept in ``last_traceback``); it never
disappears into the widget machinery.

Screen readers and keyboards (:mod:`~ipcmodel.explorers.a11y`): named sliders read in their unit,
the figure's alt text (:meth:`Explorer.alt_text`), idle controls named with the reason
(:meth:`Explorer.idle_controls`); a log slider's grid is anchored at the value the model uses.

Sliders use ``continuous_update=True`` by default: ipywidgets' front end keeps at most one update
of a widget in flight and sends only the latest value when the kernel is free again, so a drag
never queues up stale redraws. A redraw costs tens of ms (``benchmarks/README.md``); pass
``continuous_update=False`` to redraw on release only, e.g. on a very slow Binder.
"""

from __future__ import annotations

import base64
import html
import traceback
from contextlib import contextmanager

import ipywidgets as widgets

from ipcmodel import plotting
from ipcmodel.explorers import a11y, render
from ipcmodel.explorers.controls import (
    MACHINE_PARAMS,
    ChoiceSpec,
    CountSpec,
    Preset,
    SliderSpec,
    anchor_grid,
    machine_presets,
    snapped,
)
from ipcmodel.explorers.render import BlitRenderer
from ipcmodel.machines import machine

__all__ = ["Explorer", "SliderSpec", "CountSpec", "ChoiceSpec", "Preset", "MACHINE_PARAMS",
           "machine_presets"]

_NO_PRESET = ""


class Explorer:
    """Base class of every explorer: a subclass declares, the base class builds.

    Class attributes
    ----------------
    controls : tuple of SliderSpec / CountSpec / ChoiceSpec (a property when options come from data)
    machine_params : dict, slider name -> Machine attribute, for the machine presets
    default_machine : str, id of the machine whose published values are the starting values
    fixed_defaults : dict, starting values of the controls a machine does not give (or a property)
    preset_title, preset_placeholder : str, the preset menu's label and its empty entry
    figsize, dpi, rc : fixed size of every rendering; matplotlib settings while drawing

    Methods a subclass writes: :meth:`build`, :meth:`update`, :meth:`describe`; and, where it has
    them, the declarations :meth:`reading_notes`, :meth:`extra_presets`,
    :meth:`machine_preset_sources` (and :meth:`preset_values` to replace the machine presets).
    The base class consumes all of them in ``__init__``: a subclass never writes into the object
    after ``super().__init__()``.
    """

    controls: tuple = ()
    machine_params: dict = MACHINE_PARAMS
    default_machine: str | None = "ds5000"
    fixed_defaults: dict = {}
    preset_title: str = "Machine preset"
    preset_placeholder: str = "(choose a machine)"
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

    def idle_controls(self, values: dict) -> dict[str, str]:
        """``{control name: why it changes nothing now}`` for ``values`` (e.g. the clock with a
        warm cache); the reading names them with the reason. Default: none."""
        return {}

    # ---- what a subclass may declare ----------------------------------------------------
    def reading_notes(self) -> list[str]:
        """Lines shown under the reading (sources of the starting values, assumptions); read once
        into :attr:`notes` when the explorer is made."""
        return []

    def extra_presets(self) -> list[Preset]:
        """Presets besides the machine ones (:meth:`preset_values`), in menu order: each one's
        values from data/ or computed from it, with its source; ``first=True`` puts it on top."""
        return []

    def machine_preset_sources(self) -> dict[str, str]:
        """``{label: source}`` for machine presets whose values are not all plain published
        machine values (shown in the reading when the preset is applied)."""
        return {}

    def preset_values(self) -> tuple[dict, dict]:
        """``(presets, missing)``: by default one preset per machine in data/ (see
        :func:`machine_presets`); override to offer presets built from other cited data."""
        params = {k: v for k, v in self.machine_params.items() if k in self._specs}
        return machine_presets(params) if params else ({}, {})

    # ---- machinery ----------------------------------------------------------------------
    def __init__(self, *, continuous_update: bool = True):
        self._specs = {s.name: s for s in self.controls}
        self.presets, self.preset_missing = self.preset_values()
        self.preset_sources: dict[str, str] = dict(self.machine_preset_sources())
        self._first_presets: set[str] = set()
        self.defaults = self.default_values()
        self.sliders, self.choices = {}, {}
        for name, spec in self._specs.items():
            w = spec.make(self.defaults[name], continuous_update)
            (self.choices if isinstance(spec, ChoiceSpec) else self.sliders)[name] = w
            w.observe(self._on_change, names="value")
        self._names = {id(w): n for n, w in {**self.sliders, **self.choices}.items()}
        self._idle: dict[str, str] = {}
        # the values the model uses: a browser moves a value onto the slider's grid when it first
        # shows it (57 µs becomes 57.5 on a log grid); the cited value is kept (see _on_change)
        self._exact = {n: float(w.value) for n, w in self.sliders.items()}
        self.preset_menu = widgets.Dropdown(
            options=[(self.preset_placeholder, _NO_PRESET)] + [(k, k) for k in self.presets],
            value=_NO_PRESET, description=self.preset_title,
            style={"description_width": "initial"})
        self.preset_menu.observe(self._on_preset, names="value")
        self.preset_menu.observe(self._menu_visibility, names="options")
        self._menu_visibility({"new": self.preset_menu.options})
        for p in self.extra_presets():
            self.add_preset(p.label, p.values, missing=p.missing, source=p.source, first=p.first)
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="Back to the starting values")
        self.reset_button.on_click(lambda _b: self._guard(self.reset))
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.readout = widgets.HTML()
        self.output = widgets.Output()
        # names, values in units, the figure's alt text, a focus ring (None without anywidget)
        self.a11y = (a11y.A11yBridge(layout=widgets.Layout(display="none"))
                     if a11y.A11yBridge is not None else None)
        self.notes: list[str] = list(self.reading_notes())
        self.preset_note = ""
        self.update_count = 0
        self.last_error: BaseException | None = None
        self.last_traceback = ""
        self._hold_depth, self._dirty, self._menu_sync = 0, False, False
        self._plotted, self._reading, self._png = {}, "", b""
        with plotting.style(self.rc):
            self.figure = plotting.empty_figure(self.figsize, self.dpi)
            self.artists = self.build(self.figure)
        self._renderer = BlitRenderer(self.figure, f"{type(self).__module__}.{type(self).__qualname__}")
        grid = widgets.GridBox(list(self.sliders.values()) + list(self.choices.values()),
                               layout=widgets.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))"))
        self.widget = widgets.VBox([widgets.HBox([self.preset_menu, self.reset_button]), grid,
                                    self.image, self.readout, self.output]
                                   + ([self.a11y] if self.a11y is not None else []))
        # the contract with the browser tests (binder/README.md, "Contract with explore.py")
        self.widget.add_class("ipcmodel-explorer")
        self.readout.add_class("ipcmodel-reading")
        self.preset_menu.add_class("ipcmodel-presets")
        if self.a11y is not None:
            self.a11y.add_class(a11y.BRIDGE_CLASS)
        self.refresh(layout=True)

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
        """The current state in words (plus what the last preset could not set, and which
        controls change nothing now and why)."""
        return " ".join(t for t in (self._reading, self.idle_note(), self.preset_note) if t)

    def idle_note(self) -> str:
        """One sentence per reason of :meth:`idle_controls` (``""`` when every control acts)."""
        return a11y.idle_sentences({self._specs[n].description: why for n, why in self._idle.items()})

    def alt_text(self) -> str:
        """The figure's alt text: the reading, worded as the static view's (:func:`render.alt_text`)."""
        return render.alt_text(self.reading())

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
                self._put(name, v)
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
                    self._put(name, v)
                else:
                    outside.append(f"{self._specs[name].description} = {v:g} is outside the slider's range")
            self._set_menu(label)
            self.preset_note = self.preset_reading(label, outside)
            self._dirty = True

    def preset_reading(self, label: str, outside: list[str]) -> str:
        """What the reading adds once preset ``label`` is applied: its source, the values it
        left unchanged, and ``outside`` (values the sliders could not take). Override to word
        it differently (e.g. landmark years)."""
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
        return " ".join(parts)

    def reset(self) -> None:
        """Back to the starting values (:attr:`defaults`)."""
        with self.hold():
            for name, v in self.defaults.items():
                self._put(name, v)
            self._forget_preset()
            self._dirty = True

    def refresh(self, layout: bool = False) -> bool:
        """Run the model, update the artists, redraw. Returns False (and shows why) on error."""
        try:
            values = self.model_inputs()
            with plotting.style(self.rc):
                plotted = self.update(values)
                reading = self.describe(values, plotted)
                idle = dict(self.idle_controls(values))
                png = self._renderer.render(self.artists, layout)
            unknown = sorted(set(idle) - set(self._specs))
            if unknown:
                raise ValueError(f"idle_controls names unknown control(s) {unknown}")
        except Exception as exc:  # shown to the student, never lost
            self._report(exc)
            return False
        self._plotted, self._reading, self._png, self._idle = plotted, reading, png, idle
        self.image.value = png
        self._show_reading()
        self._label_for_screen_readers()
        if self.output.outputs:
            self.output.outputs = ()
        self.update_count += 1
        return True

    def invalidate(self) -> None:
        """Force a full redraw next time (call it from ``update`` after changing anything that
        is not in ``artists``, e.g. tick positions; changed axis limits are detected)."""
        self._renderer.invalidate()

    @property
    def full_draws(self) -> int:
        """How many redraws drew everything (the others redrew only ``artists``)."""
        return self._renderer.full_draws

    def close(self) -> None:
        """Close every widget of this explorer (the figure is garbage-collected with it)."""
        for w in [*self.sliders.values(), *self.choices.values(), self.preset_menu,
                  self.reset_button, self.image, self.readout, self.output, self.widget,
                  *([self.a11y] if self.a11y is not None else [])]:
            w.close()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["image/png"] = base64.b64encode(self._png).decode("ascii")
        bundle["text/plain"] = self.reading()
        # where no kernel runs (nbconvert, untrusted, GitHub): the figure with alt text + reading
        bundle["text/html"] = render.static_html(self._png, self.reading(), self.notes)
        return bundle

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.reading()}>"

    # ---- internals ----------------------------------------------------------------------
    def _control(self, name):
        return self.sliders[name] if name in self.sliders else self.choices[name]

    def _put(self, name: str, value) -> None:
        """Set a control from Python, with a log slider's grid anchored at ``value``."""
        w = self._control(name)
        if name in self.sliders:
            anchor_grid(w, self._specs[name], float(value))
        w.value = value
    _snapped = staticmethod(snapped)

    def _on_change(self, change) -> None:
        w = change["owner"]
        name = self._names.get(id(w))
        if name in self.sliders:
            from_browser = "value" in getattr(w, "_property_lock", {})
            exact = self._exact.get(name)
            if from_browser and exact is not None and self._snapped(w, float(change["new"]), exact):
                return  # the front end only put a cited value on its grid: keep the cited value
            self._exact[name] = float(change["new"])
            if not from_browser:  # e.g. ex.sliders[name].value = v in a cell
                anchor_grid(w, self._specs[name], float(change["new"]))
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

    def _label_for_screen_readers(self) -> None:
        if self.a11y is not None:
            a11y.label(self.a11y, [self._specs[n] for n in self.sliders], self._idle, self.alt_text())
