"""The claims audit: JSON shape, coverage, honest verdict rules, and the CLI."""

import json
import subprocess
import sys

import pytest

from ipcmodel import claims

KEYS = {"id", "section", "quote", "paper_value", "derived_value", "unit", "verdict", "tolerance"}


@pytest.fixture(scope="module")
def cli_json():
    out = subprocess.run([sys.executable, "-m", "ipcmodel", "claims", "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_cli_json_shape(cli_json):
    assert len(cli_json) >= 20
    for c in cli_json:
        assert KEYS <= set(c)
        assert c["verdict"] in ("consistent", "approximate", "inconsistent")
        assert isinstance(c["derived_value"], float | int)
        assert isinstance(c["tolerance"], float | int)
        pv = c["paper_value"]
        assert isinstance(pv, float | int) or (isinstance(pv, list) and len(pv) == 2)
        assert 0 < len(c["quote"].split()) <= 25
    assert len({c["id"] for c in cli_json}) == len(cli_json)


def test_every_section_with_a_number_is_covered(cli_json):
    assert {"1", "2", "2.1", "3", "4", "5", "6"} <= {c["section"] for c in cli_json}


def test_cli_table_and_exit_status():
    out = subprocess.run([sys.executable, "-m", "ipcmodel", "claims"], capture_output=True, text=True)
    assert out.returncode == 0  # whatever the verdicts
    assert "inconsistent" in out.stdout and "hp700-coherency-high" in out.stdout


def test_inputs_resolve_to_facts():
    from ipcmodel.data import load_facts

    facts = load_facts()
    for c in claims.audit():
        for fid in c.inputs:
            assert fid in facts, (c.id, fid)


@pytest.mark.parametrize("paper, derived, tol, kind, verdict", [
    (100, 104, 0.05, "value", "consistent"),
    (100, 110, 0.05, "value", "approximate"),
    (100, 121, 0.05, "value", "inconsistent"),
    ([128, 896], 500, 0.01, "range", "consistent"),
    ([128, 896], 1792, 0.01, "range", "inconsistent"),
    (2.0, 1.72, 0.05, "upper-bound", "consistent"),
    (2.0, 2.3, 0.05, "upper-bound", "approximate"),
])
def test_verdict_rules(paper, derived, tol, kind, verdict):
    assert claims.verdict_for(paper, derived, tol, kind) == verdict


def test_verdicts_follow_the_data(monkeypatch):
    """Change an input fact and the verdict changes: nothing is hard-wired."""
    from ipcmodel import data

    real = data.fact

    def fake(fid, name="facts.csv"):
        f = real(fid, name)
        if fid == "b92-purge-flush-per-line-hp700":
            import dataclasses
            return dataclasses.replace(f, value_high=7.0)  # what 896 cycles would need
        return f

    monkeypatch.setattr(claims, "fact", fake)
    monkeypatch.setattr(data, "fact", fake)  # the derived numbers of ipcmodel.paper follow it
    audit = {c.id: c for c in claims.audit()}
    assert audit["hp700-coherency-high"].verdict == "consistent"
