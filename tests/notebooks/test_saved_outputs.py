"""What nbval's re-run cannot see in the saved outputs: checked on the files, without a kernel.

``make test`` runs nbval over notebooks/: every notebook is executed once, top to bottom in a
fresh kernel, and each cell's outputs are compared with the saved ones (errors fail). The saved
outputs come from another clean run (tools/build_notebooks.py), so nbval's comparison is the
determinism check too: two clean runs, the build's and nbval's, must agree. The former re-run
test executed every notebook twice more to compare two runs with each other and with the file;
it caught nothing that nbval misses except the three holes below, which need no kernel:

* nbval does not compare cells tagged ``nbval-ignore-output``: outside notebook 06 (whose saved
  outputs are the marked saved example, while a re-run measures the machine it runs on; see
  tests/notebooks/test_06_saved.py) only a cell that displays an explorer may carry the tag, so
  no printed number escapes the comparison;
* nbval's sanitizer (tests/nbval_sanitize.cfg) rewrites memory addresses before comparing, so
  an ``0x7f...`` in an output would pass although it changes on every run: none may be saved;
* nothing is printed to stderr (a warning in an ignored cell would go unnoticed).

"Saved from one clean run" (execution counts 1, 2, 3, ... and no error outputs) is
tests/notebooks/test_static.py::test_saved_from_one_clean_run.
"""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
MEASURED_HERE = {"06_your_machine"}  # a re-run measures its machine; saved: the example (test_06_saved)
WIDGET = "application/vnd.jupyter.widget-view+json"
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def ignored(cell) -> bool:
    return "nbval-ignore-output" in cell["metadata"].get("tags", [])


def texts(output) -> str:
    parts = [output.get("text", "")]
    parts += [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks in {NB_DIR}"
    assert sys.version_info >= (3, 10)


COMPARED = [p for p in NOTEBOOKS if p.stem not in MEASURED_HERE]


def test_only_notebook_06_is_measured_here():
    assert {p.stem for p in NOTEBOOKS} - {p.stem for p in COMPARED} == MEASURED_HERE


@pytest.mark.parametrize("path", COMPARED, ids=[p.stem for p in COMPARED])
def test_only_explorer_cells_escape_nbvals_comparison(path):
    for cell in code_cells(path):
        if ignored(cell):
            shows_widget = any(WIDGET in o.get("data", {}) for o in cell.get("outputs", []))
            assert shows_widget, ("nbval-ignore-output on a cell that shows no explorer: "
                                  + "".join(cell["source"])[:80])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_memory_addresses_and_nothing_on_stderr(path):
    for cell in code_cells(path):
        for o in cell.get("outputs", []):
            where = "".join(cell["source"])[:80]
            assert not (o["output_type"] == "stream" and o.get("name") == "stderr"), (
                f"{path.name}: stderr output in {where!r}: {texts(o)[:200]}")
            assert not ADDRESS.search(texts(o)), f"{path.name}: a memory address in {where!r}"
