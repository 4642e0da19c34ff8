"""The saved notebooks: generated parts, stored outputs, no typed-in numbers, course structure.

nbval re-runs the notebooks (see the Makefile); these tests read the saved JSON the way
GitHub and nbviewer do.
"""

import json
import re
import sys
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build_notebooks as bn  # noqa: E402
from notebook_text import make_context, render  # noqa: E402

BUILT = [s for s in bn.STEMS if (bn.SRC_DIR / f"{s}.md").exists()]
# a number followed by a unit, typed into prose instead of coming from a template
TYPED_NUMBER = re.compile(r"(?<![\w§.{])\d[\d,.]*\s?(µs|usec|µsec|ms|ns|cycles?|MHz|GHz|KB|MB|GB|bytes?|Mb/s|Gb/s|MB/s|GB/s|%)(?!\w)")


def load(stem):
    return json.loads((bn.NB_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def context():
    """One rendering context (one claims audit) for every notebook, as in the build."""
    return make_context()


def test_the_whole_sequence_is_built():
    assert bn.STEMS == BUILT, "every notebook in the sequence has a source"


@pytest.mark.parametrize("stem", BUILT)
def test_sources_are_jupytext_myst(stem):
    """A source opens as a notebook in JupyterLab: jupytext MyST front matter, a python3 kernel."""
    nb = jupytext.read(bn.SRC_DIR / f"{stem}.md")
    assert nb.metadata["jupytext"]["text_representation"]["format_name"] == "myst"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    cells = bn.read_source(stem)
    assert {c.cell_type for c in cells} == {"markdown", "code"}
    assert not [c.source for c in cells if c.cell_type == "markdown" and "```{code-cell}" in c.source], \
        "a code cell swallowed into Markdown (an unclosed fence?)"


def test_readme_table_is_current():
    """The README's notebook -> paper section -> topic -> modules table is the one SEQUENCE gives."""
    text = bn.README.read_text(encoding="utf-8")
    assert text == bn.readme_with_table(text), "run: python tools/build_notebooks.py --readme"


@pytest.mark.parametrize("stem, topic", [(s[0], s[3]) for s in bn.SEQUENCE])
def test_topic_names_the_modules(stem, topic):
    """One name per topic: the model module and the exercises module carry the notebook's topic word."""
    modules = bn.topic_modules(topic)
    assert f"ipcmodel.{topic}" in modules, (stem, modules)
    assert f"ipcmodel.exercises.{topic}" in modules, (stem, modules)


@pytest.mark.parametrize("stem", BUILT)
def test_saved_from_one_clean_run(stem):
    nb = load(stem)
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", (stem, c["source"][:80])
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("stem", BUILT)
def test_generated_parts_are_current(stem, context):
    """Header, footer, rendered prose, code and tags equal what the build script makes now."""
    nb = load(stem)
    index = bn.STEMS.index(stem)
    assert "".join(nb["cells"][0]["source"]) == bn.header_markdown(index)
    assert "".join(nb["cells"][-1]["source"]) == bn.footer_markdown(index)
    src_cells = bn.read_source(stem)
    saved = nb["cells"][1:-2]
    assert len(saved) == len(src_cells), f"{stem}: rebuild with tools/build_notebooks.py"
    for s, c in zip(src_cells, saved, strict=True):
        want = render(s.source, context, where=stem).text if s.cell_type == "markdown" else s.source
        assert c["cell_type"] == s.cell_type
        assert "".join(c["source"]) == want, f"{stem}: rebuild with tools/build_notebooks.py"
        assert c["metadata"].get("tags", []) == s.metadata.get("tags", []), stem


@pytest.mark.parametrize("stem", BUILT)
def test_no_typed_in_numbers_in_prose(stem):
    # code cells compute their numbers: only the Markdown cells are prose
    text = "\n".join(c.source for c in bn.read_source(stem) if c.cell_type == "markdown")
    text = re.sub(r"\{\{.*?\}\}", "", text)                    # templates come from data/
    hits = [m.group(0) for m in TYPED_NUMBER.finditer(text)]
    assert not hits, f"{stem}: numbers typed into prose: {hits[:8]}"


@pytest.mark.parametrize("stem", BUILT)
def test_course_structure(stem):
    nb = load(stem)
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert re.search(r"learning objectives", md, re.I)
    assert re.search(r"about \d+ minutes|\d+\s*[–-]\s*\d+ minutes", md, re.I)
    assert re.search(r"predict", md, re.I)
    assert len(re.findall(r"\.check\(", code)) >= 3, "at least three self-check exercises"
    assert re.search(r"^#+\s*summary", md, re.I | re.M)
    assert "## References" in md


@pytest.mark.parametrize("stem", BUILT)
def test_explorers_render_statically(stem):
    """Every displayed explorer stores a PNG and a text reading for GitHub/nbviewer/screen readers."""
    nb = load(stem)
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                assert "image/png" in data, (stem, "".join(c["source"])[:60])
                assert "".join(data.get("text/plain", "")).strip(), (stem, "".join(c["source"])[:60])
                assert "nbval-ignore-output" in c["metadata"].get("tags", [])


@pytest.mark.parametrize("stem", BUILT)
def test_links_point_to_existing_notebooks(stem):
    nb = load(stem)
    for c in nb["cells"]:
        for target in re.findall(r"\]\(([\w]+\.ipynb)\)", "".join(c["source"])):
            assert (bn.NB_DIR / target).exists(), target
