"""The saved notebooks: generated parts, stored outputs, no typed-in numbers, course structure.

nbval re-runs the notebooks (see the Makefile); these tests read the saved JSON the way
GitHub and nbviewer do.
"""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build_notebooks as bn  # noqa: E402
from notebook_text import render  # noqa: E402

BUILT = [s for s, _, _ in bn.SEQUENCE if (bn.SRC_DIR / f"{s}.md").exists()]
# a number followed by a unit, typed into prose instead of coming from a template
TYPED_NUMBER = re.compile(r"(?<![\w§.{])\d[\d,.]*\s?(µs|usec|µsec|ms|ns|cycles?|MHz|GHz|KB|MB|GB|bytes?|Mb/s|Gb/s|MB/s|GB/s|%)(?!\w)")


def load(stem):
    return json.loads((bn.NB_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"))


def test_the_whole_sequence_is_built():
    assert [s for s, _, _ in bn.SEQUENCE] == BUILT, "every notebook in the sequence has a source"


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
def test_generated_parts_are_current(stem):
    """Header, footer and rendered prose equal what the build script makes now."""
    nb = load(stem)
    index = [s for s, _, _ in bn.SEQUENCE].index(stem)
    assert "".join(nb["cells"][0]["source"]) == bn.header_markdown(index)
    assert "".join(nb["cells"][-1]["source"]) == bn.footer_markdown(index)
    src_cells = bn.parse_source((bn.SRC_DIR / f"{stem}.md").read_text(encoding="utf-8"))
    saved = [c for c in nb["cells"][1:-2]]
    assert len(saved) == len(src_cells)
    for s, c in zip(src_cells, saved, strict=True):
        want = render(s.source) if s.cell_type == "markdown" else s.source
        assert "".join(c["source"]) == want, f"{stem}: rebuild with tools/build_notebooks.py"


@pytest.mark.parametrize("stem", BUILT)
def test_no_typed_in_numbers_in_prose(stem):
    text = (bn.SRC_DIR / f"{stem}.md").read_text(encoding="utf-8")
    text = re.sub(r"```python.*?```", "", text, flags=re.S)   # code cells compute their numbers
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
