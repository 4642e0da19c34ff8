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
           "grid_min", "anchor_grid", "snapped"]

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
    ``step`` is then a step of the exponent (in powers of ``base``). The slider's grid is
    anchored at the value it shows (:func:`grid_min`), so its readout shows the value the model
    uses (a preset's 497 µs reads "497", not the grid's 501).
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
                                          base=self.base, step=self.grid_step, **common)
        return widgets.FloatSlider(min=grid_min(self, value), max=self.high, step=self.grid_step,
                                   **common)

    @property
    def grid_step(self) -> float:
        """The slider's step (of the exponent for a log slider)."""
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


def grid_min(spec: SliderSpec, value: float) -> float:
    """The slider's ``min`` that puts ``value`` on its grid: an exponent for a log slider.

    A browser moves a slider's value to the nearest point ``min + k * step`` (noUiSlider), so a
    cited 497 µs on a log grid from 0.1 µs in steps of 0.01 decades would show as 501. Anchoring
    a log slider's grid at the value keeps it: the result lies in ``[low, low + step)`` (as
    exponents: the lowest value moves up by less than one step, never below the spec's ``low``).
    A linear slider keeps ``low`` (its low end, often 0 = "none", must stay reachable; its step
    is 1% of the range and its readout format coarse enough, checked for every preset in
    ``tests/explorers/test_contract.py``). ``value`` below the range gives the plain ``low``.
    """
    if not spec.log:
        return float(spec.low)
    if float(value) <= 0:
        return spec._exp(spec.low)
    x, lo, step = spec._exp(float(value)), spec._exp(spec.low), spec.grid_step
    if x < lo:
        return lo
    k = math.floor((x - lo) / step + 1e-9)
    anchored = x - k * step
    return lo if abs(anchored - lo) <= 1e-9 * step or anchored < lo else anchored


def snapped(w, new: float, exact: float) -> bool:
    """True when ``new`` is ``exact`` moved to the nearest point of slider ``w``'s grid."""
    if isinstance(w, widgets.FloatLogSlider):
        if new <= 0 or exact <= 0:
            return False
        return abs(math.log(new / exact, w.base)) <= w.step / 2 + 1e-9
    return abs(new - exact) <= w.step / 2 + 1e-12


def anchor_grid(w, spec: SliderSpec, value: float) -> None:
    """Anchor log slider ``w``'s grid at ``value`` (:func:`grid_min`) and send the new ``min``
    together with the value in one message: a browser given the value first would move it onto
    the old grid (the readout would show 501 for a cited 497) and send that back."""
    if not isinstance(w, widgets.FloatLogSlider):
        return
    lo = grid_min(spec, value)
    if abs(lo - w.min) <= 1e-12 * max(1.0, abs(lo)):
        return
    with w.hold_sync():
        w.min = lo
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
