"""Views without a kernel (issue 13): the explorer's static view, ``make html`` and ``make pdf``.

Where no kernel runs, an explorer must still show its figure, with the reading as the image's
alt text and as visible text (README: "a picture and a sentence even without a kernel"):

* in its mimebundle (``text/html`` next to the widget view, :func:`render.static_html`);
* in a plain ``jupyter nbconvert --to html`` of a saved notebook (nbconvert skips a widget view
  whose state is not saved, and then takes ``text/html``);
* in ``make html`` (``tools/export_notebooks.py html``: every notebook; the page loads no script,
  equations are typeset into SVG) and ``make pdf`` (one notebook here, printed by Chromium
  offline).

The expected readings and PNGs are read from the saved notebooks, never typed in here.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ipcmodel.explorers import render

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import export_notebooks  # noqa: E402

#: the saved notebooks to check (another directory, e.g. a trial build: IPCMODEL_EXPORT_NOTEBOOKS)
NB_DIR = Path(os.environ.get("IPCMODEL_EXPORT_NOTEBOOKS", ROOT / "notebooks"))
TOOL = ROOT / "tools" / "export_notebooks.py"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CHROMIUM = Path(os.environ.get("IPCMODEL_CHROMIUM", "/usr/bin/chromium"))
PDF_NOTEBOOK = "00_overview"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def words(text: str) -> str:
    """Whitespace collapsed, for comparing a reading with rendered text."""
    return " ".join(text.split())


def saved_explorers(path: Path) -> list[dict]:
    """``{"reading", "png"}`` of every explorer output saved in notebook ``path``, in order."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [{"reading": words(_text(o["data"]["text/plain"])),
             "png": base64.b64decode(_text(o["data"]["image/png"]))}
            for c in nb["cells"] for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]


def kernel_notes(path: Path) -> list[str]:
    """Per explorer saved in ``path``: the sentence of its saved static view that says a kernel
    is needed, or :data:`render.KERNEL_NOTE` when no static view was saved."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    notes = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if WIDGET_VIEW in data:
                saved = [words(p.get_text()) for p in
                         BeautifulSoup(_text(data.get("text/html")), "html.parser").find_all("p")]
                notes += [n for n in saved if "kernel" in n][-1:] or [render.KERNEL_NOTE]
    return notes


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", png[16:24])


def static_views(page: str) -> list:
    """The explorers' static views in an HTML page (pictures without controls excluded)."""
    return BeautifulSoup(page, "html.parser").select(f"figure.{render.STATIC_EXPLORER_CLASS}")


def check_static_view(figure, expected: dict, where: str) -> None:
    """One static view against the saved explorer output it was made from."""
    img = figure.find("img")
    assert img is not None, f"{where}: no <img> in the static view"
    alt = words(img.get("alt", ""))
    assert alt and expected["reading"] in alt, f"{where}: alt text {alt[:80]!r} lacks the reading"
    src = img.get("src", "")
    assert src.startswith("data:image/png;base64,"), f"{where}: the figure is not embedded"
    assert base64.b64decode(src.split(",", 1)[1]) == expected["png"], f"{where}: not the saved figure"
    caption = figure.find("figcaption")
    assert caption is not None and words(caption.get_text()) == expected["reading"], (
        f"{where}: the reading is not the visible caption")
    assert "kernel" in figure.get_text(), f"{where}: nothing says the sliders need a kernel"


# ---- the static view itself --------------------------------------------------------------

PNG_1x1 = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")


def test_static_view_carries_figure_alt_text_and_reading():
    reading = 'IPC adds 5% at <57 µs> & "warm"\ncaches.'
    frag = render.static_html(PNG_1x1, reading, ["Source: Bershad (1992), §2."])
    (figure,) = static_views(frag)
    check_static_view(figure, {"reading": words(reading), "png": PNG_1x1}, "fragment")
    assert "Source: Bershad (1992), §2." in figure.get_text()
    assert "<57" not in frag.replace("&lt;57", ""), "the reading must be escaped"
    assert not BeautifulSoup(frag, "html.parser").find("script")


def test_static_view_of_a_picture_without_controls_has_no_kernel_note():
    frag = render.static_html(PNG_1x1, "A ladder.", interactive=False)
    soup = BeautifulSoup(frag, "html.parser")
    assert "kernel" not in soup.get_text()
    assert soup.select(f"figure.{render.STATIC_CLASS}") and not static_views(frag)
    assert words(soup.find("img")["alt"]).endswith("A ladder.")


def test_static_view_needs_a_figure():
    with pytest.raises(ValueError, match="png"):
        render.static_html(b"", "reading")


def test_explorer_bundle_has_the_static_view_next_to_the_widget():
    """One bundle, one choice per front end: the widget view (kernel), text/html (no kernel,
    untrusted, nbconvert), image/png and text/plain (the rest)."""
    from ipcmodel.explorers.service import master_explorer

    ex = master_explorer()
    try:
        bundle = ex._repr_mimebundle_()
        assert {WIDGET_VIEW, "text/html", "image/png", "text/plain"} <= set(bundle), (
            "Explorer._repr_mimebundle_ must add text/html = render.static_html(...) (issue 13)")
        (figure,) = static_views(bundle["text/html"])
        check_static_view(figure, {"reading": words(bundle["text/plain"]),
                                   "png": base64.b64decode(bundle["image/png"])}, "bundle")
        assert words(ex.reading()) == words(bundle["text/plain"])
    finally:
        ex.close()


def test_equations_are_typeset_into_embedded_svg():
    md, n = export_notebooks.typeset_math(
        "Before\n\n$$t_\\text{new} = \\frac{p}{s} + (1 - p)$$\n\nafter $5 and $6.")
    assert n == 1 and "$$" not in md and "after $5 and $6." in md
    img = BeautifulSoup(md, "html.parser").find("img", class_="ipcmodel-math")
    svg = base64.b64decode(img["src"].removeprefix("data:image/svg+xml;base64,"))
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert "\\frac{p}{s}" in img["alt"]


def test_an_equation_mathtext_cannot_typeset_is_an_error():
    with pytest.raises(ValueError, match=r"\\unknowncommand"):
        export_notebooks.typeset_math("$$x = \\unknowncommand{y}$$")


# ---- the saved notebooks in plain nbconvert ----------------------------------------------

def test_every_notebook_has_explorers_to_check():
    """Otherwise the comparisons below would pass on zero explorers."""
    assert NOTEBOOKS and all(saved_explorers(p) for p in NOTEBOOKS)


@pytest.mark.slow  # every saved notebook through nbconvert: in `make test`, not `make test-fast`
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_plain_nbconvert_shows_figure_and_reading(path):
    """What a student gets from ``jupyter nbconvert --to html``: no empty ``Out[n]:``."""
    from nbconvert import HTMLExporter

    page, _ = HTMLExporter().from_filename(str(path))
    expected = saved_explorers(path)
    figures = static_views(page)
    assert len(figures) == len(expected), (
        f"{path.name}: {len(figures)} static views for {len(expected)} explorers (a saved widget "
        "state makes nbconvert pick the widget view: build with store_widget_state=False)")
    for i, (figure, exp) in enumerate(zip(figures, expected, strict=True)):
        check_static_view(figure, exp, f"{path.name} explorer {i + 1}")


# ---- make html -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def html_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    run = subprocess.run([sys.executable, str(TOOL), "html", "--out", str(out),
                          "--notebooks", str(NB_DIR)],
                         capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    return out


@pytest.mark.slow
def test_make_html_writes_every_notebook(html_export):
    assert sorted(p.stem for p in html_export.glob("*.html")) == [p.stem for p in NOTEBOOKS]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_make_html_page_works_without_scripts(html_export, path):
    page = (html_export / f"{path.stem}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    expected = saved_explorers(path)
    figures = static_views(page)
    assert len(figures) == len(expected), f"{path.name}: {len(figures)} views, {len(expected)} explorers"
    for i, (figure, exp) in enumerate(zip(figures, expected, strict=True)):
        check_static_view(figure, exp, f"{path.name} explorer {i + 1}")
    loaded = [s["src"] for s in soup.find_all("script", src=True)]
    assert not loaded, f"{path.name}: the page loads scripts {loaded}"
    assert "$$" not in soup.get_text(), f"{path.name}: an equation left as TeX source"
    for img in soup.select("img.ipcmodel-math"):
        assert img["src"].startswith("data:image/svg+xml;base64,") and img.get("alt"), path.name
    assert not soup.find("script", type=WIDGET_VIEW), f"{path.name}: a widget view is left"
    assert "widget-state+json" not in page, f"{path.name}: the widget state is left"
    sheets = [link.get("href", "") for link in soup.find_all("link", rel="stylesheet")]
    assert not [h for h in sheets if "//" in h], f"{path.name}: external stylesheets {sheets}"
    for img in soup.select(".jp-OutputArea-output img"):  # every figure, explorer or not
        assert words(img.get("alt", "")), f"{path.name}: an output image without alt text"
        assert img["src"].startswith("data:"), f"{path.name}: an output image is not embedded"


# ---- make pdf ------------------------------------------------------------------------------

def pdf_objects(pdf: bytes) -> dict[int, bytes]:
    heads = list(re.finditer(rb"(?:^|\n)(\d+) 0 obj\n", pdf))
    return {int(m.group(1)): pdf[m.end():heads[i + 1].start() if i + 1 < len(heads) else len(pdf)]
            for i, m in enumerate(heads)}


def _stream(body: bytes) -> bytes:
    m = re.search(rb"/Length (\d+)>>\s*stream\r?\n", body)
    if not m:
        return b""
    data = body[m.end():m.end() + int(m.group(1))]
    return zlib.decompressobj().decompress(data) if b"/FlateDecode" in body[:m.start()] else data


def _to_unicode(cmap: bytes) -> dict[bytes, str]:
    table = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[src.lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[f"{code:0{len(lo)}x}".encode()] = chr(int(dst, 16) + i)
    return table


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a PDF as Chromium (Skia) writes it: hex-string ``Tj``/``TJ`` operators
    over fonts with a ``ToUnicode`` map, in pages and the forms they draw. Enough to find a
    sentence (compare with whitespace removed); not a general PDF reader."""
    objs = pdf_objects(pdf)

    def ref(body: bytes, name: bytes):
        m = re.search(rb"/" + name + rb" (\d+) 0 R", body)
        return int(m.group(1)) if m else None

    def text_of(body: bytes, seen: set) -> str:
        fonts = {}
        block = re.search(rb"/Font <<(.*?)>>", body, re.S)
        for name, num in re.findall(rb"/(\w+) (\d+) 0 R", block.group(1) if block else b""):
            tu = ref(objs[int(num)], b"ToUnicode")
            fonts[name] = _to_unicode(_stream(objs[tu])) if tu else {}
        contents = ref(body, b"Contents")
        data = _stream(objs[contents]) if contents else _stream(body)
        out, table = [], {}
        for tok in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|/(\w+)\s+Do",
                               data, re.S):
            if tok.group(1):
                table = fonts.get(tok.group(1), {})
            elif tok.group(4):
                form = ref(body, tok.group(4))
                if form is not None and form not in seen:
                    seen.add(form)
                    out.append(text_of(objs[form], seen))
            else:
                strings = tok.group(2) if tok.group(2) is not None else b"<" + tok.group(3) + b">"
                width = len(next(iter(table))) if table else 4
                for hexs in re.findall(rb"<([0-9A-Fa-f]*)>", strings):
                    out.append("".join(table.get(hexs[i:i + width].lower(), "\ufffd")
                                       for i in range(0, len(hexs), width)))
        return "".join(out)

    pages = [body for body in objs.values() if re.match(rb"<</Type /Page\b", body)]
    return "".join(text_of(p, set()) for p in pages)


def squeeze(text: str) -> str:
    """NFKC (ligatures, the micro sign) and no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.browser
def test_make_pdf_prints_figures_and_readings(tmp_path):
    """``make pdf`` for one notebook: Chromium prints the static HTML, offline."""
    if not CHROMIUM.exists():
        reason = f"NOT RUN: chromium missing ({CHROMIUM})"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(reason + " -- CI=true, so this is a failure, not a skip")
        pytest.skip(reason)
    run = subprocess.run([sys.executable, str(TOOL), "pdf", PDF_NOTEBOOK, "--out", str(tmp_path),
                          "--notebooks", str(NB_DIR)],
                         capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    pdf = (tmp_path / f"{PDF_NOTEBOOK}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    objs = pdf_objects(pdf)
    pages = [b for b in objs.values() if re.match(rb"<</Type /Page\b", b)]
    counts = [int(n) for b in objs.values() for n in re.findall(rb"<</Type /Pages\b.*?/Count (\d+)", b, re.S)]
    assert len(pages) > 0 and counts and max(counts) == len(pages)
    text = squeeze(pdf_text(pdf))
    expected = saved_explorers(NB_DIR / f"{PDF_NOTEBOOK}.ipynb")
    assert expected
    for i, exp in enumerate(expected):
        assert squeeze(exp["reading"]) in text, f"explorer {i + 1}'s reading is not in the PDF"
        width, height = png_size(exp["png"])
        image = rb"/Subtype /Image\s*/Width %d\s*/Height %d\b" % (width, height)
        assert re.search(image, pdf), f"explorer {i + 1}'s {width}x{height} figure is not in the PDF"
    # the kernel note as saved with the explorer (the export builds it now when none was saved)
    for note in kernel_notes(NB_DIR / f"{PDF_NOTEBOOK}.ipynb"):
        assert squeeze(note) in text, f"the note {note[:40]!r}... is not in the PDF"
