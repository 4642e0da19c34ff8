"""What an explorer declares: its controls (sliders, counts, dropdowns) and its presets.

:class:`SliderSpec`, :class:`CountSpec` and :class:`ChoiceSpec` describe one control each (model
keyword, label, unit, range); :class:`~ipcmodel.explorers.core.Explorer` makes the widgets.
:func:`machine_presets` builds one preset per cited machine; :class:`Preset` is one more preset
an explorer declares in :meth:`~ipcmodel.explorers.core.Explorer.extra_presets`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import ipywidgets as widgets

from ipcmodel.machines import PAPER_MACHINES, load_machines

__all__ = ["SliderSpec", "CountSpec", "ChoiceSpec", "Preset", "MACHINE_PARAMS", "machine_presets",
           "grid_min", "grid_step", "MIN_STEP_FRACTION", "anchor_grid", "snapped"]

#: Slider name -> :class:`~ipcmodel.machines.Machine` attribute holding its published value.
MACHINE_PARAMS = {
    "ipc_us": "rpc_us",
    "syscall_us": "syscall_us",
    "clock_mhz": "clock_mhz",
    "cache_line_bytes": "cache_line_bytes",
    "miss_penalty_cycles": "miss_penalty_cycles",
}

_DESCRIPTION_WIDTH = "16em"


def _style() -> dict:
    return {"style": {"description_width": _DESCRIPTION_WIDTH}, "layout": widgets.Layout(width="98%")}


@dataclass(frozen=True)
class SliderSpec:
    """One slider: model keyword ``name``, a label and unit shown to students, a range.

    ``log=True`` makes a :class:`ipywidgets.FloatLogSlider` (for quantities spanning decades);
    ``step`` is then a step of the exponent (in powers of ``base``). The slider's grid runs from
    its stated low end with a step adjusted so that the value it shows is a grid point
    (:func:`grid_step`): its readout shows the value the model uses (a preset's 497 µs reads
    "497", not the grid's 501), and both ends stay reachable by dragging or typing.
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
            **_style(),
        }
        if self.log:
            return widgets.FloatLogSlider(min=grid_min(self, value), max=self._exp(self.high),
                                          base=self.base, step=grid_step(self, value), **common)
        return widgets.FloatSlider(min=grid_min(self, value), max=self.high, step=self.grid_step,
                                   **common)

    @property
    def grid_step(self) -> float:
        """The slider's nominal step (of the exponent for a log slider); a log slider's actual
        step is this, adjusted to the value it shows (:func:`grid_step`)."""
        return self.step or (0.01 if self.log else (self.high - self.low) / 100)

    def _exp(self, x: float) -> float:
        return math.log10(x) if self.base == 10 else math.log(x, self.base)

    def accepts(self, value: float) -> bool:
        """True when ``value`` lies in the slider's range (so the slider keeps it unchanged)."""
        return self.low <= value <= self.high


class CountSpec(SliderSpec):
    """A slider of whole numbers (an :class:`ipywidgets.IntSlider`), e.g. counts of crossings."""

    def make(self, value: float, continuous_update: bool = True):
        return widgets.IntSlider(
            value=int(round(value)), min=int(self.low), max=int(self.high), step=1,
            description=self.description, continuous_update=continuous_update,
            tooltip=self.help or self.description, **_style())


def grid_min(spec: SliderSpec, value: float | None = None) -> float:
    """The slider's ``min``: its stated low end (an exponent for a log slider), whatever ``value``.

    The low end is never moved: a browser clamps a dragged or typed value to ``min``, so a
    ``min`` above the stated low end would leave the low end unreachable (up to one step of a
    log slider, before issue 13's fix). Values are put on the grid by :func:`grid_step` instead.
    ``value`` is accepted for compatibility and ignored.
    """
    return spec._exp(spec.low) if spec.log else float(spec.low)


#: Below this fraction of the nominal step, a log grid is not refined to pass through a value
#: just above the low end (:func:`grid_step`): the value is then within this fraction of a step
#: of the low end, closer than the readout's digits show.
MIN_STEP_FRACTION = 0.25


def grid_step(spec: SliderSpec, value: float) -> float:
    """The step of slider ``spec``'s grid that puts ``value`` on it (of the exponent for a log
    slider), with the grid starting at the stated low end (:func:`grid_min`).

    A browser moves a slider's value to the nearest point ``min + k * step`` (noUiSlider), so a
    cited 497 µs on a log grid from 0.1 µs in steps of 0.01 decades would show as 501. With
    ``d = exp(value) - exp(low)`` and ``n = ceil(d / step)``, the step ``d / n`` makes ``value``
    the ``n``-th grid point: never coarser than the nominal step, and at least half of it when
    ``d >= step / 2``. The ends stay reachable: ``min`` is the low end, and noUiSlider always
    lets a handle reach ``max`` (the high end) even when it is not a grid point.

    The nominal step is kept for a linear slider (its step is 1% of the range and its readout
    format coarse enough, checked for every preset in ``tests/explorers/test_contract.py``), for
    a value at or outside either end, and for a value within ``MIN_STEP_FRACTION`` of a step
    above the low end (a finer grid would make the arrow keys crawl; the value is then closer
    to the low end than the readout's three digits show).
    """
    step = spec.grid_step
    if not spec.log or not float(value) > 0:
        return step
    x, lo, hi = spec._exp(float(value)), spec._exp(spec.low), spec._exp(spec.high)
    d = x - lo
    if d <= 1e-9 * step or x >= hi or d < MIN_STEP_FRACTION * step:
        return step
    n = max(1, math.ceil(d / step - 1e-9))
    return d / n


def snapped(w, new: float, exact: float) -> bool:
    """True when ``new`` is ``exact`` moved to the nearest point of slider ``w``'s grid."""
    if isinstance(w, widgets.FloatLogSlider):
        if new <= 0 or exact <= 0:
            return False
        return abs(math.log(new / exact, w.base)) <= w.step / 2 + 1e-9
    return abs(new - exact) <= w.step / 2 + 1e-12


def anchor_grid(w, spec: SliderSpec, value: float) -> None:
    """Put ``value`` on log slider ``w``'s grid (:func:`grid_step`, the low end kept as ``min``)
    and send the new ``step`` together with the value in one message: a browser given the value
    first would move it onto the old grid (the readout would show 501 for a cited 497) and send
    that back."""
    if not isinstance(w, widgets.FloatLogSlider):
        return
    lo, step = grid_min(spec), grid_step(spec, value)
    if abs(lo - w.min) <= 1e-12 * max(1.0, abs(lo)) and abs(step - w.step) <= 1e-12 * step:
        return
    with w.hold_sync():
        w.min = lo
        w.step = step
        w.value = value
        w._states_to_send.add("value")  # also when unchanged: the browser had snapped it


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
                                **_style())


@dataclass(frozen=True)
class Preset:
    """One preset an explorer declares (:meth:`~ipcmodel.explorers.core.Explorer.extra_presets`).

    Attributes
    ----------
    label : str
        The menu entry.
    values : dict
        Slider name -> value (in the slider's unit), from data/ or computed from it.
    missing : tuple of str
        Sliders the preset leaves unchanged because no source gives their value.
    source : str
        Where the values come from, shown in the reading when the preset is applied (without
        one, the reading says every value is a published one).
    first : bool
        Put it at the top of the menu (above the machine presets), in declaration order.
    """

    label: str
    values: dict
    missing: tuple = ()
    source: str = ""
    first: bool = field(default=False, kw_only=True)


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
