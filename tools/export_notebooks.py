"""Export the saved notebooks as static HTML (works offline) and as a PDF handout.

``make html`` writes ``build/html/NN_name.html`` for every notebook, ``make pdf``
``build/pdf/NN_name.pdf``. Nothing is executed: the export reads the outputs saved by
``tools/build_notebooks.py``. Each explorer becomes its static view
(:func:`ipcmodel.explorers.render.static_html`): the saved figure as an ``<img>`` whose alt
text carries the reading, the reading as visible text, and a line saying the sliders need a
kernel. The live widget view and the notebook's widget state are dropped, and so are the
scripts nbconvert loads from a CDN (require.js, the widget manager, mermaid, MathJax): a slider
that moves without a kernel behind it only misleads. The few displayed equations (``$$...$$``)
are typeset here by matplotlib's mathtext into embedded SVG images (alt text: the TeX source),
so the page loads no script at all and looks the same offline.

The PDF is the same HTML printed by Chromium (nbconvert's ``webpdf`` exporter, pointed at
Debian's ``/usr/bin/chromium`` or ``$IPCMODEL_CHROMIUM``; no ``playwright install``). Chromium
gets no network: every request that is not a local file is refused, so the export is the same
on- and offline.

Usage::

    python tools/export_notebooks.py html [NAME ...] [--out DIR]   default DIR build/html
    python tools/export_notebooks.py pdf  [NAME ...] [--out DIR]   default DIR build/pdf

NAME is a notebook stem or prefix (``00``, ``02_caches``); default all of ``notebooks/``
(``--notebooks DIR`` exports saved notebooks from elsewhere).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import concurrent.futures
import copy
import io
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CHROMIUM = Path(os.environ.get("IPCMODEL_CHROMIUM", "/usr/bin/chromium"))

__all__ = ["static_notebook", "typeset_math", "export_html", "export_pdf", "notebooks", "main"]

# nbconvert's lab template without the scripts a static page does not need: require.js (only
# for JavaScript outputs), the widget manager from unpkg, mermaid (no diagrams here), MathJax
# (the equations are typeset at export); figures are kept whole on a printed page.
_TEMPLATE_NAME = "ipcmodel_static.html.j2"
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block extra_css -%}
<style type="text/css">
@media print { figure.ipcmodel-static, .ipcmodel-math { break-inside: avoid; } }
.ipcmodel-math { display: block; margin: 0.6em auto; max-width: 100%; }
</style>
{%- endblock extra_css -%}
"""
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)


def notebooks(names=(), nb_dir: Path = NB_DIR) -> list[Path]:
    """The saved notebooks in ``nb_dir`` whose stem starts with one of ``names`` (all when empty)."""
    paths = sorted(Path(nb_dir).glob("[0-9][0-9]_*.ipynb"))
    if names:
        paths = [p for p in paths if any(p.stem.startswith(n) for n in names)]
    if not paths:
        raise SystemExit(f"no notebook in {nb_dir} matches {list(names)}")
    return paths


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def static_notebook(nb):
    """A copy of ``nb`` with every widget view replaced by its static view; and their count.

    Displayed equations in Markdown cells are typeset (:func:`typeset_math`).

    An output with a widget view keeps its saved ``text/html`` (the explorer's static view, see
    :meth:`ipcmodel.explorers.core.Explorer._repr_mimebundle_`); a notebook saved before the
    explorers had one gets it built here from the saved ``image/png`` and ``text/plain``
    reading. The widget view and the notebook's widget state are removed. A picture without
    controls (``image/png`` and a ``text/plain`` description, no HTML) gets the same view
    without the kernel note, so its description becomes its alt text and visible caption.
    """
    from ipcmodel.explorers.render import static_html

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source, _ = typeset_math(cell.source)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            explorer = data.pop(WIDGET_VIEW, None) is not None
            count += explorer
            text = _text(data.get("text/plain")).strip()
            if text.startswith("<Figure size"):  # matplotlib's repr says nothing about the picture
                text = ""
            if "text/html" not in data and "image/png" in data and (explorer or text):
                png = base64.b64decode(_text(data["image/png"]))
                data["text/html"] = static_html(png, text, interactive=explorer)
    return nb, count


def _mathtext(tex: str) -> str:
    """TeX as matplotlib's mathtext reads it: ``\\text`` as upright words, display fractions."""
    def upright(m):
        return r"\mathrm{" + m.group(1).replace("-", "\u2010").replace(" ", r"\ ") + "}"

    return re.sub(r"\\text\{([^{}]*)\}", upright, tex).replace(r"\frac", r"\dfrac")


def typeset_math(markdown: str) -> tuple[str, int]:
    """``markdown`` with each ``$$...$$`` replaced by an embedded SVG of it; and how many.

    Raises ValueError naming the equation when mathtext cannot typeset it (a static page must
    not show TeX source where a formula should be).
    """
    import html

    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import math_to_image

    count = 0

    def svg(m) -> str:
        nonlocal count
        tex = " ".join(m.group(1).split())
        buf = io.BytesIO()
        try:
            math_to_image(f"${_mathtext(tex)}$", buf, prop=FontProperties(size=15), format="svg")
        except ValueError as exc:
            raise ValueError(f"mathtext cannot typeset the equation $${tex}$$: {exc}") from exc
        count += 1
        src = "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
        return (f'\n\n<img class="ipcmodel-math" src="{src}" '
                f'alt="{html.escape("Equation: " + tex, quote=True)}">\n\n')

    return _DISPLAY_MATH.sub(svg, markdown), count


def _configure(exporter):
    from jinja2 import DictLoader

    exporter.extra_loaders = [DictLoader({_TEMPLATE_NAME: _TEMPLATE})]
    exporter.template_file = _TEMPLATE_NAME
    exporter.embed_images = True
    return exporter


def html_exporter():
    """nbconvert's ``lab`` HTML exporter with the static template."""
    from nbconvert import HTMLExporter

    return _configure(HTMLExporter(template_name="lab"))


def pdf_exporter():
    """nbconvert's ``webpdf`` exporter printing with Debian's Chromium, without network."""
    from nbconvert.exporters.webpdf import WebPDFExporter

    class ChromiumPDFExporter(WebPDFExporter):
        def run_playwright(self, html):
            return _print_pdf(html)

    return _configure(ChromiumPDFExporter(template_name="webpdf"))


def _print_pdf(html: str) -> bytes:
    """``html`` printed to PDF (A4, backgrounds) by headless Chromium; only file:// loads.

    Runs Playwright's async API in a thread of its own (as nbconvert does), so it works from a
    process that already has an event loop or a Playwright instance (a kernel, a test worker).
    """
    if not CHROMIUM.exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (set IPCMODEL_CHROMIUM or "
                           "apt-get install chromium); the PDF is printed by Chromium")

    async def print_page(uri: str) -> bytes:
        from playwright.async_api import async_playwright

        async def offline(route):
            if route.request.url.startswith(("file:", "data:")):
                await route.continue_()
            else:
                await route.abort()

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                               args=["--no-sandbox", "--disable-gpu"])
            try:
                page = await browser.new_page()
                await page.route("**/*", offline)
                await page.emulate_media(media="print")
                await page.goto(uri, wait_until="load")
                return await page.pdf(format="A4", print_background=True)
            finally:
                await browser.close()

    with tempfile.TemporaryDirectory(prefix="ipcmodel-pdf-") as tmp:
        page_file = Path(tmp) / "notebook.html"
        page_file.write_text(html, encoding="utf-8")
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, print_page(page_file.as_uri())).result()


def _export(paths, out_dir: Path, exporter, suffix: str, mode: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        start = time.perf_counter()
        nb, count = static_notebook(nbformat.read(path, as_version=4))
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {
            "name": path.stem, "path": str(path.parent)}})
        target = out_dir / f"{path.stem}{suffix}"
        target.write_bytes(body) if isinstance(body, bytes) else target.write_text(body, encoding="utf-8")
        written.append(target)
        print(f"{mode}: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
              f"({count} explorer(s), {time.perf_counter() - start:.1f} s)", flush=True)
    return written


def export_html(paths, out_dir: Path) -> list[Path]:
    """Write ``out_dir/NN_name.html`` for each notebook in ``paths``; the files written."""
    return _export(paths, out_dir, html_exporter(), ".html", "html")


def export_pdf(paths, out_dir: Path) -> list[Path]:
    """Write ``out_dir/NN_name.pdf`` for each notebook in ``paths``; the files written."""
    return _export(paths, out_dir, pdf_exporter(), ".pdf", "pdf")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("format", choices=["html", "pdf"])
    p.add_argument("names", nargs="*", help="notebook stems or prefixes (default: all)")
    p.add_argument("--out", type=Path, help="output directory (default build/html or build/pdf)")
    p.add_argument("--notebooks", type=Path, default=NB_DIR,
                   help="where the saved notebooks are (default notebooks/)")
    args = p.parse_args(argv)
    out = args.out or ROOT / "build" / args.format
    paths = notebooks(args.names, args.notebooks)
    (export_html if args.format == "html" else export_pdf)(paths, out)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
