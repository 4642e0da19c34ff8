"""The explorers: one module per topic, on one framework (:mod:`ipcmodel.explorers.core`).

:data:`EXPLORERS` registers every explorer by a short name; :func:`create` makes one::

    from ipcmodel import explorers
    ex = explorers.create("master")      # the same as ipcmodel.explorers.service.master_explorer()

Importing this package imports neither matplotlib nor ipywidgets nor any topic module: a factory's
module is imported when :func:`get` or :func:`create` first asks for it. The contract tests
(``tests/explorers/test_contract.py``) and the benchmarks (``benchmarks/bench_explorers.py``,
``benchmarks/bench_browser_latency.py``) walk this registry, so a registered explorer cannot go
untested and an unregistered one fails a test.

Every explorer exposes ``sliders``, ``choices``, ``figure``, ``artists``, ``model_inputs()``,
``plotted()``, ``reading()``, ``apply_preset(label)``, ``reset()``, ``set(**values)``, ``widget``
and ``update_count``; displaying it shows the widget in Jupyter and Voilà, a PNG on GitHub and
nbviewer, and a sentence in plain text (see :mod:`ipcmodel.explorers.core`).

Adding an explorer (about 60 lines)
-----------------------------------
1. In the module of its topic (``explorers/<topic>.py``; a second module
   ``explorers/<topic>_<what>.py`` when that one would pass ~400 lines), subclass
   :class:`~ipcmodel.explorers.core.Explorer` and set ``controls`` to specs, reusing
   :data:`ipcmodel.explorers.service.SLIDERS` where the quantity is the same
   (``SLIDERS["ipc_us"]``) and adding :class:`~ipcmodel.explorers.core.SliderSpec` s (or
   ``CountSpec``, ``ChoiceSpec``) with a unit in every label. Controls named in
   :data:`~ipcmodel.explorers.core.MACHINE_PARAMS` get machine presets automatically; give the
   other starting values in ``fixed_defaults`` (a property when they come from data).
2. Declare, do not write into the object after ``super().__init__()``: ``reading_notes()``
   returns the lines shown under the reading (sources, assumptions); ``extra_presets()`` returns
   :class:`~ipcmodel.explorers.core.Preset` s (label, values from data/, the sliders it leaves
   unchanged, its source; ``first=True`` puts one on top of the menu); ``preset_title`` names
   the menu. The base class consumes them when the explorer is made.
3. ``build(self, fig)``: create the axes and every artist once (plot dummy data); return them
   in a dict. Use :mod:`ipcmodel.plotting` helpers for the µs axes, the threshold line and
   stable axis limits (``nice_ceiling``, ``decade_limits``).
4. ``update(self, values)``: call ``ipcmodel`` model functions with ``values`` (the
   ``model_inputs()`` dict), push the results into the artists with ``set_data`` /
   ``set_ydata`` / ``set_text`` / ``set_array``, and return ``{name: array}`` of what is drawn.
   Change only the artists returned by ``build`` and axis limits (redraws are blitted, see
   :mod:`ipcmodel.explorers.core`); keep legends out of the data area.
5. ``describe(self, values, plotted)``: one sentence, numbers via ``plotting.format_us`` /
   ``format_percent``.
6. A factory ``def my_explorer(**kw) -> MyExplorer: return MyExplorer(**kw)`` in the module's
   ``__all__``, and one line in :data:`EXPLORERS` below. ``tests/explorers/test_contract.py``
   then runs the generic preset / reset / error / 500-change tests on it; add a test in
   ``tests/explorers/test_<topic>.py`` comparing ``plotted()`` with the model.

Example::

    class CopyExplorer(Explorer):
        controls = (SliderSpec("copy_mb_per_s", "Copy bandwidth", "MB/s", 1.0, 1e4, log=True),)
        default_machine = None                  # no machine parameters here: no machine presets

        @property
        def fixed_defaults(self):               # starting values come from data too
            return {"copy_mb_per_s": cited_copy_bandwidth()}

        def reading_notes(self):
            return [f"Copy bandwidth to start with: {cited_copy_bandwidth():.3g} MB/s [source]."]

        def build(self, fig):
            ax = fig.subplots()
            line, = ax.plot([1, 2], [1, 2])
            ax.set(xscale="log", yscale="log", xlim=(1, 1e5))
            ax.yaxis.set_major_formatter(plotting.us_formatter())
            return {"ax": ax, "line": line}

        def update(self, values):
            x = np.logspace(0, 5, 200)                                  # message bytes
            y = transfer.copy_us(x, values["copy_mb_per_s"])            # the model call
            self.artists["line"].set_data(x, y)
            self.artists["ax"].set_ylim(*plotting.decade_limits(y[0], y[-1]))  # detected: full redraw
            return {"message_bytes": x, "copy_us": y}

        def describe(self, values, plotted):
            return f"At {values['copy_mb_per_s']:g} MB/s a 4 KB copy takes {format_us(...)}."
"""

from __future__ import annotations

__all__ = ["EXPLORERS", "names", "get", "create"]

#: Every explorer of the notebooks: name -> ``"module:factory"`` (imported on first use).
EXPLORERS = {
    "master": "ipcmodel.explorers.service:master_explorer",                # notebook 00
    "regime_map": "ipcmodel.explorers.service:regime_map_explorer",        # notebook 05
    "generations": "ipcmodel.explorers.trends:generations_explorer",       # notebook 01
    "cold_ipc": "ipcmodel.explorers.caches:cold_ipc_explorer",             # notebook 02
    "dma": "ipcmodel.explorers.caches:dma_explorer",                       # notebook 02
    "cachelab": "ipcmodel.explorers.cachelab:cachelab_explorer",           # notebook 02b
    "marshalling": "ipcmodel.explorers.transfer:marshalling_explorer",     # notebook 03
    "x11": "ipcmodel.explorers.transfer:x11_explorer",                     # notebook 03
    "emulation": "ipcmodel.explorers.firewall:emulation_explorer",         # notebook 04
    "protocol": "ipcmodel.explorers.firewall:protocol_explorer",           # notebook 04
    "year_regime": "ipcmodel.explorers.history:year_regime_explorer",      # notebook 07
    "timeline": "ipcmodel.explorers.history_timeline:timeline_explorer",   # notebook 07
    "workload": "ipcmodel.explorers.workload:workload_explorer",           # notebook 05
}


def names() -> list[str]:
    """The registered names, in the order of :data:`EXPLORERS` (roughly the notebooks')."""
    return list(EXPLORERS)


def get(name: str):
    """The factory registered as ``name`` (its module is imported now, not before)."""
    import importlib

    if name not in EXPLORERS:
        raise ValueError(f"no explorer named {name!r}; the registered ones are {names()}")
    module, factory = EXPLORERS[name].split(":")
    return getattr(importlib.import_module(module), factory)


def create(name: str, **kw):
    """A new explorer: ``get(name)(**kw)`` (keyword arguments go to the Explorer base class)."""
    return get(name)(**kw)
