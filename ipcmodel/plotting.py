"""Plot helpers: a colour-blind-safe palette, a projector style, µs axes, small annotations.

Nothing changes on import: no ``plt.style.use``, no ``rcParams`` edits, no pyplot. The style is
a plain dict (:data:`PROJECTOR_RC`) applied only inside :func:`style` (a
``matplotlib.rc_context``), and figures come from :func:`new_figure`, which builds a
:class:`matplotlib.figure.Figure` on an Agg canvas. Such a figure is not registered with pyplot,
so the inline backend never re-emits it into another cell's output.

Students can read any helper here with ``??`` (e.g. ``decorate??``); the notebooks stay short.

Examples
--------
>>> from ipcmodel import plotting
>>> fig, ax = plotting.new_figure()
>>> line, = ax.plot([1, 1e3, 1e6], [0.5, 0.05, 5e-5])
>>> _ = plotting.decorate(ax, xscale="log", xlabel="Service time", title="Overhead")
>>> ax.xaxis.set_major_formatter(plotting.us_formatter())
>>> plotting.format_us(923.4), plotting.format_us(4800), plotting.format_percent(0.0464)
('923 µs', '4.8 ms', '4.6%')
"""

from __future__ import annotations

import io
from contextlib import contextmanager

import matplotlib
import numpy as np
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ipcmodel import units
from ipcmodel.formatting import format_percent, format_us

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "SEQUENTIAL_CMAP",
    "PROJECTOR_RC",
    "style",
    "empty_figure",
    "new_figure",
    "figure_png",
    "decorate",
    "format_us",
    "format_percent",
    "us_formatter",
    "percent_formatter",
    "number_formatter",
    "nice_ceiling",
    "nice_floor",
    "decade_limits",
    "threshold_line",
    "annotate_points",
]

#: Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable with the common
#: colour-vision deficiencies (and in greyscale by lightness for most pairs).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Line colours in the order plots use them (yellow last: it is faint on white).
PALETTE = tuple(OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                       "reddish_purple", "sky_blue", "black", "yellow"))

#: Perceptually uniform and readable with colour-vision deficiencies (Nuñez et al. 2018).
SEQUENTIAL_CMAP = "cividis"

#: Readable from the back of a lecture room: larger type, thicker lines, light grid.
PROJECTOR_RC = {
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.5,
    "lines.markersize": 8,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "image.cmap": SEQUENTIAL_CMAP,
}


@contextmanager
def style(rc: dict | None = None):
    """Apply :data:`PROJECTOR_RC` (updated with ``rc``) inside a ``with`` block only.

    Settings are restored on exit, even after an error; nothing leaks into other cells.
    """
    merged = dict(PROJECTOR_RC)
    merged.update(rc or {})
    with matplotlib.rc_context(merged):
        yield


def empty_figure(figsize=(10.0, 4.0), dpi: int = 100) -> Figure:
    """A :class:`~matplotlib.figure.Figure` on its own Agg canvas, unknown to pyplot.

    Create it inside :func:`style` to give it the projector style.
    """
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def new_figure(figsize=(10.0, 4.0), dpi: int = 100, nrows: int = 1, ncols: int = 1, *,
               rc: dict | None = None, **subplots_kw):
    """A :class:`~matplotlib.figure.Figure` on an Agg canvas, with its axes, in the projector style.

    Parameters
    ----------
    figsize : (float, float)
        Size in inches; at ``dpi`` this fixes the pixel size of every rendering.
    dpi : int
        Dots per inch.
    nrows, ncols, **subplots_kw
        Passed to :meth:`Figure.subplots`.

    Returns
    -------
    (Figure, Axes or array of Axes)
    """
    with style(rc):
        fig = empty_figure(figsize, dpi)
        axes = fig.subplots(nrows, ncols, **subplots_kw)
    return fig, axes


def figure_png(fig: Figure, *, draw: bool = True, compress_level: int = 1) -> bytes:
    """PNG bytes of ``fig`` at its own size and dpi (opaque RGB).

    Parameters
    ----------
    draw : bool
        Draw the whole figure first. ``False`` encodes what the canvas holds now, e.g. after
        redrawing only some artists over a saved background (see :mod:`ipcmodel.explorers.core`).
    compress_level : int
        zlib level 0-9: 1 is about twice as fast as 6 for a few more kB.

    No ``bbox_inches="tight"``: that option lays the figure out twice and changes the pixel
    size from one rendering to the next (see ``benchmarks/README.md``).
    """
    from PIL import Image  # a dependency of matplotlib

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    if draw:
        canvas.draw()
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB").save(
        buf, format="png", compress_level=compress_level)
    return buf.getvalue()


def decorate(ax, *, legend: bool | None = None, legend_loc: str = "best", **kw):
    """Set axes properties in one call (Downey's ``decorate``), e.g. title, labels, scales, limits.

    ``legend=None`` adds a legend only when some artist has a label.
    """
    ax.set(**kw)
    handles, _ = ax.get_legend_handles_labels()
    if legend or (legend is None and handles):
        ax.legend(loc=legend_loc)
    return ax


def us_formatter(digits: int = 3) -> FuncFormatter:
    """Tick formatter for an axis in µs: ticks read ``1 µs``, ``10 µs``, ``1 ms``, ``1 s``."""
    return FuncFormatter(lambda x, _pos: format_us(x, digits) if x > 0 else "0")


def percent_formatter() -> FuncFormatter:
    """Tick formatter for an axis holding fractions: ``0.05 -> "5%"``, ``1e-4 -> "0.01%"``."""
    return FuncFormatter(lambda x, _pos: format_percent(x, 3))


def number_formatter(fmt: str = "g", suffix: str = "") -> FuncFormatter:
    """Tick formatter for plain numbers: ``number_formatter()`` reads ``1``, ``10``, ``100``;
    ``number_formatter(",.0f")`` ``3,600`` (cycles); ``number_formatter(suffix="×")`` ``10×``."""
    return FuncFormatter(lambda x, _pos: f"{x:{fmt}}{suffix}")


#: The round numbers of one decade that axis limits snap to (:func:`nice_ceiling`).
NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def _nice_candidates(x) -> tuple[float, list[float]]:
    x = float(units.check_positive("x", x, "the axis unit"))
    p = 10.0 ** np.floor(np.log10(x))
    return x, [m * p for m in NICE_STEPS]


def nice_ceiling(x: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of ten) >= ``x`` > 0.

    An axis limit from it stays put while a slider moves a little, so redraws stay fast (a
    changed limit forces a full redraw, see :mod:`ipcmodel.explorers.core`).
    """
    x, steps = _nice_candidates(x)
    return float(min(v for v in steps if v >= x * (1 - 1e-12)))


def nice_floor(x: float) -> float:
    """The largest round number (as in :func:`nice_ceiling`) <= ``x`` > 0."""
    x, steps = _nice_candidates(x)
    return float(max(v for v in steps if v <= x * (1 + 1e-12)))


def decade_limits(low: float, high: float) -> tuple[float, float]:
    """Log-axis limits snapped outward to whole decades (``low``, ``high`` > 0): most slider moves
    keep them, and with them the saved background, unchanged."""
    return float(10.0 ** np.floor(np.log10(low))), float(10.0 ** np.ceil(np.log10(high)))


def threshold_line(ax, y: float, label: str | None = None, **kw):
    """A dashed horizontal line at ``y`` (e.g. an acceptable overhead); update it with ``set_ydata([y, y])``."""
    opts = {"color": OKABE_ITO["vermillion"], "linestyle": "--", "linewidth": 2.0, "zorder": 3}
    opts.update(kw)
    return ax.axhline(y, label=label, **opts)


def annotate_points(ax, xs, ys, labels, *, offsets=None, **kw):
    """Label points; returns the :class:`~matplotlib.text.Annotation` objects.

    Move one later with ``ann.xy = (x, y)`` and ``ann.set_text(...)``. ``offsets`` is a list
    of ``(dx, dy)`` in points (default: up and to the right of every point).
    """
    offsets = offsets or [(6, 6)] * len(labels)
    opts = {"textcoords": "offset points", "fontsize": 11, "annotation_clip": False,
            # patchA=None: no clipping of the leader line at the text box (slow bezier search)
            "arrowprops": {"arrowstyle": "-", "color": "0.3", "linewidth": 0.8, "patchA": None,
                          "shrinkA": 0, "shrinkB": 0}}
    opts.update(kw)
    return [ax.annotate(text, xy=(x, y), xytext=off, **opts)
            for x, y, text, off in zip(xs, ys, labels, offsets, strict=True)]
