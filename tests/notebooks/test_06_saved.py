"""The saved notebook 06 shows the marked saved example, never the machine that built it.

The build runs notebook 06 with the probe off (``IPCMODEL_NO_PROBE=1``), so its stored outputs
come from ``ipcmodel/measure/example_result.json``. Checked on the file, without a kernel: the
first output carries the marker, nothing claims to be "this machine (measured)", and the stored
tables are exactly what the helpers print for the shipped example (the same run).
"""

import json
from pathlib import Path

import pytest

from ipcmodel import yourmachine as ym
from ipcmodel.measure import load_example

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks" / "06_your_machine.ipynb"


def _text(output) -> str:
    parts = [output.get("text", "")]
    parts += [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)


@pytest.fixture(scope="module")
def nb():
    return json.loads(NB.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def outputs(nb):
    """Every stored output's text, in order."""
    return [_text(o) for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


@pytest.fixture(scope="module")
def example_run():
    return ym.MachineRun(load_example(), False, "any reason")


def test_the_first_outputs_carry_the_saved_example_marker(outputs):
    assert outputs, "notebook 06 has no stored outputs: build it"
    assert outputs[0].startswith(ym.SAVED_EXAMPLE_MARKER), outputs[0][:120]
    assert outputs[1].startswith(ym.SAVED_EXAMPLE_MARKER), outputs[1][:120]


def test_nothing_claims_to_be_the_build_machine(nb, outputs):
    blob = "\n".join(outputs)
    for claim in ("Measured this machine", ym.MEASURED_LABEL, "Probe finished in",
                  "measured now (pipe round trip"):
        assert claim not in blob, claim
    # the explorer's stored widget state names the example's preset, not "This machine"
    state = json.dumps(nb.get("metadata", {}).get("widgets", {}))
    assert ym.MEASURED_LABEL not in state
    assert ym.EXAMPLE_LABEL in state or ym.EXAMPLE_LABEL in blob


def test_the_stored_outputs_are_the_shipped_example(outputs, example_run):
    ex = example_run.result
    mi = ex.machine
    assert f"on {mi.node} ({mi.cpu_model}) on {mi.date_iso}" in outputs[1]
    # the tables printed from the example by the same helpers appear verbatim
    expected = [ym.format_overhead(ex), ym.format_comparison(ym.comparison_rows(example_run)),
                ym.format_clock(ex), ym.format_comapping(ex), ym.format_levels(ex),
                ym.format_miss_penalty(ex)]
    for text in expected:
        assert any(text in o for o in outputs), text.splitlines()[0]


def test_the_saved_ladder_is_marked_with_its_method(outputs, example_run):
    lat = example_run.result.latency
    blob = "\n".join(outputs)
    if lat.levels_lower_bounds:
        assert "LOWER BOUNDS" in blob and "≥" in blob
    else:
        assert "Every level is resolved" in blob
