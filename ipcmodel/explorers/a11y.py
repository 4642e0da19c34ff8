"""What a screen reader and a keyboard user get from an explorer (issue 13, "for everyone").

ipywidgets' sliders are noUiSlider handles with no accessible name and, on a log slider, a value
that is the exponent (IPC 57.5 µs is read as "1.76"); its ``Image`` has no ``alt``; Notebook 7
takes the arrow keys away from a focused slider for its own cell navigation; and the handles show
no focus ring. Python cannot reach those attributes, so every explorer carries one hidden
:class:`A11yBridge` (an `anywidget <https://anywidget.dev>`_, ~60 lines of JavaScript shipped in
its state, no build step, works in JupyterLab, Notebook 7 and Voila) that, inside its own
``.ipcmodel-explorer`` box only:

* names every slider handle (``aria-label`` = the slider's description, label and unit), and gives
  it ``aria-valuetext`` = the readout in the unit shown (plus why it changes nothing now, when the
  explorer says so), with ``aria-valuemin/max/now`` in that unit, not the exponent;
* sets the figure's ``alt`` to :meth:`~ipcmodel.explorers.core.Explorer.alt_text` (the reading);
* marks the sliders ``data-lm-suppress-shortcuts`` so that Notebook 7 / JupyterLab keyboard
  shortcuts leave arrow keys, Home/End and PageUp/PageDown to the focused slider;
* draws a visible focus ring on handles, menus and buttons (``:focus-visible``), and underlines
  the links in the page's Markdown (Voila's theme tells them apart by colour alone).

:class:`A11yBridge` is ``None`` when anywidget is not installed: the explorer then works as
before, without those attributes.
"""

from __future__ import annotations

__all__ = ["A11yBridge", "BRIDGE_CLASS", "ESM", "CSS", "slider_info", "idle_sentences", "label"]

BRIDGE_CLASS = "ipcmodel-a11y"

#: The front-end half. ``controls`` is a list, in the order of the explorer's sliders, of
#: ``{label, unit, low, high, idle}``; ``alt`` the figure's alt text.
ESM = r"""
const KEYS = "data-lm-suppress-shortcuts";
const CONTROLS = ".noUi-handle, .widget-readout, select, button, input, textarea";

function valueText(readout, c) {
  const shown = (readout ? readout.textContent : "").trim();
  let text = shown ? `${shown} ${c.unit}` : "";
  if (c.idle) { text += `; changes nothing now: ${c.idle}`; }
  return text;
}

function label(root, model) {
  const controls = model.get("controls") || [];
  const sliders = Array.from(root.querySelectorAll(".widget-slider"))
    .filter((s) => s.closest(".ipcmodel-explorer") === root);
  sliders.forEach((slider, i) => {
    const c = controls[i];
    if (!c) { return; }
    const handle = slider.querySelector(".noUi-handle");
    if (!handle) { return; }
    const readout = slider.querySelector(".widget-readout");
    const want = {
      "aria-label": c.label,
      "aria-valuetext": valueText(readout, c),
      "aria-valuemin": String(c.low),
      "aria-valuemax": String(c.high),
    };
    const now = Number((readout ? readout.textContent : "").trim().replace(/,/g, "") || NaN);
    if (Number.isFinite(now)) { want["aria-valuenow"] = String(now); }
    for (const [k, v] of Object.entries(want)) {
      if (v && handle.getAttribute(k) !== v) { handle.setAttribute(k, v); }
    }
  });
  // Lumino stops looking for a shortcut at an element with this attribute, but only after
  // testing the event's target itself: so it goes on every control (Notebook 7 binds the arrow
  // keys to cell navigation, and Enter to edit mode, in command mode).
  for (const e of root.querySelectorAll(CONTROLS)) {
    if (!e.hasAttribute(KEYS)) { e.setAttribute(KEYS, "true"); }
  }
  const alt = model.get("alt") || "";
  for (const img of root.querySelectorAll("img.widget-image")) {
    if (img.closest(".ipcmodel-explorer") === root && img.getAttribute("alt") !== alt) {
      img.setAttribute("alt", alt);
    }
  }
}

function render({ model, el }) {
  let observer = null, tries = 0, timer = null, queued = false;
  const attach = () => {
    const root = el.closest(".ipcmodel-explorer");
    if (!root) {
      if (tries++ < 600) { timer = setTimeout(attach, 100); }
      return;
    }
    const run = () => { queued = false; label(root, model); };
    const schedule = () => { if (!queued) { queued = true; queueMicrotask(run); } };
    run();
    observer = new MutationObserver(schedule);
    observer.observe(root, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ["aria-valuetext", "aria-valuenow", "src"],
    });
    model.on("change:controls", schedule);
    model.on("change:alt", schedule);
  };
  attach();
  return () => {
    if (timer) { clearTimeout(timer); }
    if (observer) { observer.disconnect(); }
  };
}

export default { render };
"""

#: A focus ring that shows on keyboard focus (the handles have ``outline: none`` otherwise).
CSS = """
.ipcmodel-explorer .noUi-handle:focus-visible,
.ipcmodel-explorer select:focus-visible,
.ipcmodel-explorer button:focus-visible,
.ipcmodel-explorer .widget-readout:focus-visible {
  outline: 3px solid #0b57d0 !important;
  outline-offset: 2px;
  box-shadow: 0 0 0 5px #ffffff;
}
/* Voila's theme shows links in prose by colour alone (axe: link-in-text-block); underline
   them in the notebook's Markdown, as JupyterLab does. */
.jp-RenderedMarkdown a[href]:not(.jp-InternalAnchorLink) {
  text-decoration: underline;
}
"""


def slider_info(spec, idle: str = "") -> dict:
    """The bridge's entry for one slider: its name read aloud, unit, range and idle reason."""
    return {"label": spec.description, "unit": spec.unit, "low": float(spec.low),
            "high": float(spec.high), "idle": idle}


def idle_sentences(idle: dict[str, str]) -> str:
    """``{control description: reason}`` as one sentence per reason, e.g. ``"Clock (MHz) and
    Cache line (bytes) change nothing now: the cache is warm."``; ``""`` for none."""
    by_reason: dict[str, list[str]] = {}
    for label_, why in idle.items():
        by_reason.setdefault(why.strip().rstrip("."), []).append(label_)
    out = []
    for why, labels in by_reason.items():
        names = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        out.append(f"{names} {'changes' if len(labels) == 1 else 'change'} nothing now: {why}.")
    return " ".join(out)


def label(bridge, specs, idle: dict[str, str], alt: str) -> None:
    """Send the bridge the sliders' names, units, ranges and idle reasons (in slider order,
    ``specs``) and the figure's alt text, in one message."""
    controls = [slider_info(s, idle.get(s.name, "")) for s in specs]
    with bridge.hold_sync():
        if bridge.controls != controls:
            bridge.controls = controls
        if bridge.alt != alt:
            bridge.alt = alt


def _make_bridge_class():
    try:
        import anywidget
        import traitlets
    except ImportError:  # the explorers still work, without the accessibility attributes
        return None

    class A11yBridge(anywidget.AnyWidget):
        """Hidden widget that labels its explorer's sliders and figure (see the module docstring)."""

        _esm = ESM
        _css = CSS
        controls = traitlets.List().tag(sync=True)
        alt = traitlets.Unicode("").tag(sync=True)

    return A11yBridge


A11yBridge = _make_bridge_class()
