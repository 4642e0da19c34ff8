"""Rendering an explorer's figure to PNG by blitting: only the changing artists are redrawn.

Axes, ticks, labels, legends and colour bars are drawn once into a saved background; a render
restores it and draws only the artists an explorer lists in its ``artists`` dict (most of a full
matplotlib draw is tick and text layout). A change of any axis limits or of the figure size, a
``layout`` render, or :meth:`BlitRenderer.invalidate` makes the next render a full one. So an
explorer's ``update`` may change the artists it returned from ``build`` and axis limits, nothing
else (a title it changes goes into ``artists`` too). Redrawn artists lie on top of the
background: legends stay out of the data area (or go into ``artists``).
``figure.savefig(...)`` still draws everything.

The static view: :func:`static_html` is what an explorer shows where no kernel runs (an
nbconvert HTML or PDF export, a notebook opened untrusted, GitHub): the last PNG as an ``<img>``
whose alt text carries the reading, the reading as visible text, the notes, and a line saying the
sliders need a running kernel. It goes into the explorer's mimebundle as ``text/html`` next to
the widget view; a front end shows one type per output, so never both (see
``tools/export_notebooks.py``).
"""

from __future__ import annotations

import base64
import html
import re

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ipcmodel import plotting

__all__ = ["BlitRenderer", "dynamic_artists", "layout_fingerprint", "alt_text", "static_html",
           "static_bundle",
           "STATIC_CLASS", "STATIC_EXPLORER_CLASS", "STATIC_READING_CLASS", "KERNEL_NOTE"]

#: CSS classes of the static view. Not the live explorer's ``ipcmodel-explorer`` /
#: ``ipcmodel-reading``: those are the browser tests' contract and stay unique to the widget.
STATIC_CLASS = "ipcmodel-static"
STATIC_EXPLORER_CLASS = "ipcmodel-static-explorer"  # also on the view, when it is an explorer's
STATIC_READING_CLASS = "ipcmodel-static-reading"
#: Said under every static view: why nothing moves.
KERNEL_NOTE = ("A still picture: moving the sliders needs a running Python kernel (open the "
               "notebook in JupyterLab, on Binder or in Voilà and run it).")

#: Subplot parameters ``tight_layout`` found, by :func:`layout_fingerprint`: the same figure in
#: the same state always gets the same layout, so it is computed once per process (it is about
#: half the cost of building an explorer).
_LAYOUTS: dict = {}
_SUBPLOTPARS = ("left", "right", "bottom", "top", "wspace", "hspace")


def _layout_texts(figure: Figure):
    """``(string, size, visible)`` of every text ``tight_layout`` can see besides tick labels: the
    figure's, and each axes' three titles, axis labels, texts and annotations, and legend texts
    (a walk of ``figure.findobj(Text)`` would make every tick, about half the cost of a render)."""
    legends = list(figure.legends)
    texts = list(figure.texts)
    for ax in figure.axes:
        texts += [ax.xaxis.label, ax.yaxis.label, *ax.texts]
        size = ax.title.get_fontsize()
        yield from ((ax.get_title(loc), size, ax.title.get_visible()) for loc in ("center", "left", "right"))
        if ax.get_legend() is not None:
            legends.append(ax.get_legend())
    for leg in legends:
        texts += [leg.get_title(), *leg.get_texts()]
    yield from ((t.get_text(), t.get_fontsize(), t.get_visible()) for t in texts)


def layout_fingerprint(owner: str, figure: Figure) -> tuple:
    """What ``tight_layout``'s result depends on: the figure's size and dpi, every axes' limits,
    scales and position, every title, label, text and legend text's string, size and visibility
    (tick labels follow from the limits and the owner's formatters), and ``owner`` (the explorer
    class, which fixes the formatters)."""
    axes = tuple((tuple(ax.get_xlim()), tuple(ax.get_ylim()), ax.get_xscale(), ax.get_yscale(),
                  tuple(ax.get_position().bounds), ax.get_visible()) for ax in figure.axes)
    texts = tuple(_layout_texts(figure))
    return (owner, tuple(figure.get_size_inches()), figure.dpi, axes, texts)


def dynamic_artists(artists: dict) -> list:
    """Every artist in ``artists`` (values, lists and containers of them; axes excluded), in
    drawing order (by zorder)."""
    found = []

    def walk(v):
        if isinstance(v, (list, tuple)):  # includes BarContainer
            for x in v:
                walk(x)
        elif isinstance(v, Artist) and not isinstance(v, Axes):
            found.append(v)

    for v in artists.values():
        walk(v)
    return sorted(found, key=lambda a: a.get_zorder())


class BlitRenderer:
    """PNG renderings of one :class:`~matplotlib.figure.Figure` at its fixed size and dpi.

    ``full_draws`` counts the renders that drew everything (a new background).
    """

    def __init__(self, figure: Figure, owner: str = ""):
        self.figure, self.owner = figure, owner
        self.full_draws = 0
        self._background, self._key = None, None

    def invalidate(self) -> None:
        """Make the next render a full one."""
        self._background = None

    def render(self, artists: dict, layout: bool = False) -> bytes:
        """Draw ``artists`` over the saved background (a full draw when needed); PNG bytes.

        ``layout=True`` runs ``tight_layout`` first (and so draws everything); a figure in a
        state already laid out in this process gets the same subplot parameters without the work.
        """
        fig, canvas = self.figure, self.figure.canvas
        if layout:
            key = layout_fingerprint(self.owner, fig) if self.owner else None
            if key is not None and key in _LAYOUTS:
                fig.subplots_adjust(**_LAYOUTS[key])
            else:
                fig.tight_layout()
                if key is not None:
                    _LAYOUTS[key] = {k: getattr(fig.subplotpars, k) for k in _SUBPLOTPARS}
        key = (tuple(fig.bbox.bounds),
               tuple((tuple(ax.get_xlim()), tuple(ax.get_ylim())) for ax in fig.axes))
        dynamic = dynamic_artists(artists)
        if layout or self._background is None or key != self._key:
            for a in dynamic:
                a.set_animated(True)
            try:
                canvas.draw()
            finally:
                for a in dynamic:
                    a.set_animated(False)
            self._background, self._key = canvas.copy_from_bbox(fig.bbox), key
            self.full_draws += 1
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for a in dynamic:
            a.draw(renderer)
        return plotting.figure_png(fig, draw=False)


def alt_text(reading: str) -> str:
    """The figure's alt text: ``"Figure: "`` and the reading, on one line."""
    words = re.sub(r"\s+", " ", reading or "").strip()
    return f"Figure: {words}" if words else "Figure of the explorer (no reading available)."


def static_html(png: bytes, reading: str, notes=(), *, interactive: bool = True) -> str:
    """The explorer without a kernel, as one self-contained HTML fragment.

    Parameters
    ----------
    png : bytes
        The figure as last drawn (embedded as a ``data:`` URI: nothing is fetched).
    reading : str
        The current state in words: the image's alt text (:func:`alt_text`) and visible text.
    notes : iterable of str
        Lines shown under the reading (sources of the starting values).
    interactive : bool
        Add :data:`KERNEL_NOTE` (an explorer); ``False`` for a picture that has no controls.

    Returns
    -------
    str
        ``<figure class="ipcmodel-static ipcmodel-static-explorer">`` (the second class only
        when ``interactive``) with the ``<img>``, the reading as its
        ``<figcaption class="ipcmodel-static-reading">``, the notes and :data:`KERNEL_NOTE`.
        Inline styles only (they survive JupyterLab's sanitizer on untrusted output and need
        no stylesheet).
    """
    if not png:
        raise ValueError("png must be the figure's PNG bytes (got an empty value): "
                         "draw the explorer before rendering its static view")
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    text = re.sub(r"\s+", " ", reading or "").strip()
    classes = f"{STATIC_CLASS} {STATIC_EXPLORER_CLASS}" if interactive else STATIC_CLASS
    parts = [f'<figure class="{classes}" style="margin:0">',
             f'<img src="{src}" alt="{html.escape(alt_text(text), quote=True)}" '
             'style="max-width:100%;height:auto">',
             f'<figcaption class="{STATIC_READING_CLASS}" style="font-size:1.1em">'
             f"{html.escape(text)}</figcaption>"]
    parts += [f'<p style="color:#555;font-size:0.9em;margin:0.2em 0">{html.escape(n)}</p>'
              for n in notes]
    if interactive:
        parts.append(f'<p style="color:#555;font-size:0.9em;font-style:italic;margin:0.2em 0">'
                     f"{html.escape(KERNEL_NOTE)}</p>")
    parts.append("</figure>")
    return "\n".join(parts)


def static_bundle(png: bytes, text: str) -> dict:
    """A still picture's display bundle: HTML (the figure with alt text and ``text`` visible, see
    :func:`static_html`), the PNG, and ``text`` as plain text. For pictures without sliders
    (notebook 06's ladder, notebook 07's years); every front end shows one of the three."""
    import base64

    return {"text/html": static_html(png, text, interactive=False),
            "image/png": base64.b64encode(png).decode("ascii"), "text/plain": text}
