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


# ---- magnitudes the paper states in words (data/README.md: read as spans) -----------------------

def _claim(cid):
    return next(c for c in claims.audit() if c.id == cid)


def test_section1_improvements_fall_within_the_past_five_years():
    # §1 "the past 5 years": the CVax RPC rows are from 1989 (750 µs) and 1992 (497 µs) (§2)
    c = _claim("ipc-improvements-within-5-years")
    assert (c.section, c.kind, c.paper_value, c.derived_value) == ("1", "upper-bound", 5, 3)
    assert c.verdict == "consistent"


def test_section2_several_hundred_microseconds_is_a_512_byte_packet_on_10_mbit_ethernet():
    # §2 "on the order of several hundred microseconds" (200-900 µs): 512 x 8 bits / 10 Mb/s
    c = _claim("network-latency-several-hundred-us")
    assert c.paper_value == [200, 900] and c.kind == "range"
    assert c.derived_value == pytest.approx(512 * 8 / 10, rel=1e-12)
    assert c.verdict == "consistent" and "our choice" in c.note


def test_section3_tens_of_cycles_and_the_simulated_ds5000_penalty():
    # §3 "tens ... of cycles" (10-90) against Chen & Bershad's 15 cycles (Table 2-1)
    c = _claim("miss-penalty-tens-of-cycles")
    assert c.paper_value == [10, 90] and c.derived_value == 15 and c.verdict == "consistent"
    assert "simulation" in c.note and c.inputs == ("cb93-miss-penalty-ds5000",)


def test_section6_a_few_tens_of_microseconds_slower():
    # §6 "only a few tens of microseconds slower than system calls" (20-90): 57 - 8 = 49 µs (§2.1)
    c = _claim("ipc-few-tens-of-us-slower")
    assert c.derived_value == pytest.approx(57 - 8) and c.paper_value == [20, 90]
    assert c.verdict == "consistent" and "57 µs RPC - 8 µs" in c.how


def test_a_word_span_that_the_data_misses_would_be_reported():
    # the same rule with the CVax's 497 - 60 = 437 µs gap: not "a few tens"
    assert claims.verdict_for([20, 90], 497 - 60, 0.0, "range") == "inconsistent"
