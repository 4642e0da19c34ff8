"""Build the notebooks from their sources, generate the repeated parts, execute, save.

Sources live in ``notebooks/src/NN_name.md``: Markdown prose with fenced code cells. The script

1. fills the number templates in the prose from ``data/`` and ``ipcmodel`` (so no number is
   typed into a notebook: see :mod:`notebook_text`),
2. adds the generated header (title bar, Binder/Voilà badges, position in the sequence) and
   footer (previous / next links, licence line),
3. executes the notebook top to bottom in a fresh kernel (nbclient), storing widget state,
4. writes ``notebooks/NN_name.ipynb``.

Source syntax::

    Markdown prose ... {{value:b92-rpc-ds5000}} ...      (see notebook_text.render)
    <!-- cell -->                                        (starts a new Markdown cell)
    ```python tags=nbval-ignore-output,raises-exception
    code
    ```

Usage: ``python tools/build_notebooks.py [--no-execute] [NAME ...]``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_text import USED_KEYS, render  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
SRC_DIR = NB_DIR / "src"

#: The sequence, in order: (file stem, short title, paper sections).
SEQUENCE = [
    ("00_overview", "Overview: when does IPC stop mattering?", "§1, §6"),
    ("01_ipc_vs_the_rest", "IPC got faster faster than the rest of the OS", "§2, §2.1"),
    ("02_caches", "Caches, not address spaces", "§3"),
    ("03_marshalling", "Not all data goes through the kernel", "§4"),
    ("04_firewalls", "Not every service needs a hardware firewall", "§5"),
    ("05_conclusions", "Conclusions: the regime map", "§6"),
    ("06_your_machine", "Is IPC irrelevant on your machine?", "§2–§5 today"),
    ("07_thirty_years_later", "Thirty years later: was Bershad right?", "all"),
]

#: Where the repository lives, for the Binder and Voilà badges.
REPOSITORY = "ipcmodel/ipcmodel"
BINDER = "https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=lab/tree/notebooks/{stem}.ipynb"
VOILA = "https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=voila/render/notebooks/{stem}.ipynb"
NAV_TAG = "ipcmodel-generated-nav"

_FENCE = re.compile(r"^```python(?:[ \t]+tags=([\w,\-]+))?[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def header_markdown(index: int) -> str:
    stem, title, sections = SEQUENCE[index]
    binder = BINDER.format(repo=REPOSITORY, stem=stem)
    voila = VOILA.format(repo=REPOSITORY, stem=stem)
    nav = " · ".join(
        f"**{i:02d}**" if i == index else f"[{i:02d}]({s}.ipynb)" for i, (s, _, _) in enumerate(SEQUENCE)
    )
    return (
        f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder}) "
        f"[![Present with Voilà](https://img.shields.io/badge/present-Voil%C3%A0-orange)]({voila})\n\n"
        f"*ipcmodel · notebook {index:02d} of {len(SEQUENCE) - 1:02d} · Bershad (1992) {sections}* — {nav}\n\n"
        f"# {title}"
    )


def footer_markdown(index: int) -> str:
    parts = []
    if index > 0:
        s, t, _ = SEQUENCE[index - 1]
        parts.append(f"← Previous: [{s[:2]} · {t}]({s}.ipynb)")
    if index < len(SEQUENCE) - 1:
        s, t, _ = SEQUENCE[index + 1]
        parts.append(f"Next: [{s[:2]} · {t}]({s}.ipynb) →")
    return (
        "---\n\n" + " &nbsp;|&nbsp; ".join(parts) + "\n\n"
        "<small>Prose: CC BY 4.0; code: BSD-3-Clause. Cite with the repository's CITATION.cff. "
        "Every number above comes from `data/` (with its citation) or is computed by `ipcmodel`.</small>"
    )


def cited_keys(nb) -> list[str]:
    """Every citation key the notebook shows: in its prose and in its stored outputs.

    A key counts when it appears as ``[KEY,`` / ``[KEY]`` (how facts print their citation) or
    was used by a prose template; the paper itself is always listed.
    """
    from ipcmodel.data import load_bibliography

    keys = set(USED_KEYS) | {"Bershad92"}
    texts = []
    for c in nb.cells:
        if c.get("metadata", {}).get("tags") == [NAV_TAG]:
            continue
        texts.append(c.source)
        for o in c.get("outputs", []):
            texts.append(str(o.get("text", "")))
            for v in o.get("data", {}).values():
                if isinstance(v, str) and not v.startswith("iVBOR"):
                    texts.append(v)
    blob = "\n".join(texts)
    for key in load_bibliography():
        if re.search(r"\[" + re.escape(key) + r"[,\]]", blob):
            keys.add(key)
    return sorted(keys)


def references_markdown(keys: list[str]) -> str:
    """The notebook's reference list, from data/*.bib (keys cited in its prose)."""
    from ipcmodel.data import load_bibliography

    bib = load_bibliography()
    lines = ["## References", ""]
    for k in keys:
        f = bib[k].fields
        title = f.get("title", "").replace("{", "").replace("}", "")
        venue = f.get("booktitle") or f.get("journal") or f.get("institution") or f.get("howpublished", "")
        author = f.get("author", "").replace("{", "").replace("}", "")
        year = f.get("year", "n.d.")
        entry = f"- **[{k}]** {author.rstrip('.')}. *{title}*. {venue + ', ' if venue else ''}{year}"
        entry = entry.rstrip(".") + "."
        lines.append(_detex(entry))
    return "\n".join(lines)


_TEX = (('{\\"a}', "ä"), ('{\\"o}', "ö"), ('{\\"u}', "ü"), ('\\"a', "ä"), ('\\"o', "ö"),
        ('\\"u', "ü"), ("{\\'e}", "é"), ("\\'e", "é"), ("$\\mu$", "µ"), ("\\_", "_"),
        ("\\&", "&"), ("--", "–"))


def _detex(text: str) -> str:
    """Turn the few TeX escapes of our .bib files into plain characters."""
    for tex, char in _TEX:
        text = text.replace(tex, char)
    return text


def parse_source(text: str) -> list:
    """Split a source file into notebook cells (markdown not yet rendered)."""
    cells = []
    pos = 0
    for m in _FENCE.finditer(text):
        _add_markdown(cells, text[pos:m.start()])
        tags = [t for t in (m.group(1) or "").split(",") if t]
        cell = nbformat.v4.new_code_cell(m.group(2).rstrip("\n"))
        if tags:
            cell.metadata["tags"] = tags
        cells.append(cell)
        pos = m.end()
    _add_markdown(cells, text[pos:])
    return cells


def _add_markdown(cells: list, chunk: str) -> None:
    for part in chunk.split("<!-- cell -->"):
        if part.strip():
            cells.append(nbformat.v4.new_markdown_cell(part.strip("\n")))


def build(stem: str, execute: bool = True) -> Path:
    index = [s for s, _, _ in SEQUENCE].index(stem)
    src = SRC_DIR / f"{stem}.md"
    cells = parse_source(src.read_text(encoding="utf-8"))
    USED_KEYS.clear()
    USED_KEYS.add("Bershad92")
    for c in cells:
        if c.cell_type == "markdown":
            c.source = render(c.source, where=f"{src.name}")
    head = nbformat.v4.new_markdown_cell(header_markdown(index))
    refs = nbformat.v4.new_markdown_cell("## References")
    foot = nbformat.v4.new_markdown_cell(footer_markdown(index))
    cells.append(refs)
    for c in (head, refs, foot):
        c.metadata["tags"] = [NAV_TAG]
    nb = nbformat.v4.new_notebook(cells=[head, *cells, foot])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, c in enumerate(nb.cells):
        c.id = f"{stem[:2]}-{i:03d}"
    if execute:
        from nbclient import NotebookClient

        client = NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=True,
                                resources={"metadata": {"path": str(NB_DIR)}})
        client.execute()
    refs.source = references_markdown(cited_keys(nb))
    out = NB_DIR / f"{stem}.ipynb"
    nbformat.write(nb, out)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", help="notebook stems or prefixes (default: all with a source)")
    p.add_argument("--no-execute", action="store_true")
    args = p.parse_args(argv)
    stems = [s for s, _, _ in SEQUENCE if (SRC_DIR / f"{s}.md").exists()]
    if args.names:
        stems = [s for s in stems if any(s.startswith(n) for n in args.names)]
    for stem in stems:
        print(f"building {stem} ...", flush=True)
        build(stem, execute=not args.no_execute)
    return 0


if __name__ == "__main__":
    sys.exit(main())
