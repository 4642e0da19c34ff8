"""Restart and run all, twice: the text outputs are identical (nothing depends on hidden state).

Cells tagged ``nbval-ignore-output`` (widgets, machine-dependent measurements) are compared by
the kind of output only; every other cell must print the same text both times.
"""

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))


def _run(path: Path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NB_DIR)}}).execute()
    return nb


def _texts(nb):
    out = []
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        ignore = "nbval-ignore-output" in c.metadata.get("tags", [])
        for o in c.get("outputs", []):
            if ignore:
                out.append((c.id, o.output_type))
            elif o.output_type == "stream":
                out.append((c.id, o.name, o.text))
            elif "data" in o:
                out.append((c.id, o.output_type, o.data.get("text/plain", "")))
            else:
                out.append((c.id, o.output_type, o.get("ename")))
    return out


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_two_clean_runs_give_identical_text(path):
    first, second = _texts(_run(path)), _texts(_run(path))
    assert first == second
    saved = _texts(nbformat.read(path, as_version=4))
    assert first == saved, f"{path.name}: the saved outputs are stale; run tools/build_notebooks.py"


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks in {NB_DIR}"
    assert sys.version_info >= (3, 10)
