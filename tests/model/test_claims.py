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
    # §4's two mapped-socket observations calibrate the model exactly and its X11 statements hold
    # in the simulation by construction: nothing there can fail, so §4 has no audited claim
    assert {"1", "2", "2.1", "3", "5", "6"} == {c["section"] for c in cli_json}


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
    (2.0, 4.04, 0.0, "lower-bound", "consistent"),
    (2.0, 1.9, 0.0, "lower-bound", "inconsistent"),
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


@pytest.mark.parametrize("fid, tol", [
    ("b92-rpc-cycles-hp700", 50 / 3600),        # "3600": to the hundred
    ("b92-gap-ds5000", 5 / 50),                 # "50": to the ten
    ("mb92-predicted-slowdown", 0.5 / 3),       # "3 ms": to the millisecond
    ("mb92-udp-rtt-server-to-server", 0.05 / 4.0),  # "4.0 ms": to the tenth
    ("bdf92-clock-ds3100", 0.005 / 16.67),      # "16.67 MHz"
    ("bdf92-extra-misses-ds3100", 0.5 / 215),
])
def test_tolerance_is_the_printed_precision(fid, tol):
    assert claims.printed_tolerance(fid) == pytest.approx(tol, rel=1e-12)


def test_tolerances_follow_the_stated_number():
    # a single stated number is compared to its last printed digit; a span or bound in words to the span
    from ipcmodel.data import fact

    for c in claims.audit():
        if c.id == "ipc-syscall-ratio-unchanged":  # no number printed: the inputs' precision
            continue
        pv = c.paper_value if isinstance(c.paper_value, list) else [c.paper_value]
        f = next(fact(i) for i in claims._printed_values()
                 if fact(i).quote == c.quote and {fact(i).value, fact(i).value_high} & set(pv))
        if c.kind == "value":
            end = "value" if c.paper_value == f.value else "value_high"
            assert c.tolerance == pytest.approx(claims.printed_tolerance(f.id, end)), c.id
        elif c.kind in ("range", "lower-bound") or f.qualifier not in ("past", "no more than"):
            assert c.tolerance == 0.0, c.id


def _perturbed(real, target):
    import dataclasses

    def fake(fid, name="facts.csv"):
        f = real(fid, name)
        if fid != target:
            return f
        move = (lambda x: x + 1) if f.unit == "count" else (lambda x: x * 1.37)  # counts stay whole
        return dataclasses.replace(
            f, value=move(f.value), value_high=None if f.value_high is None else move(f.value_high),
            year=None if f.year is None else f.year - 1)
    return fake


def test_no_claim_is_independent_of_its_data(monkeypatch):
    """Issue 10 §6: a check whose derived value no data row can move is not a verdict. Perturb each
    row a claim names in its inputs (value, range and year): its derived value and its ``how``
    string (formatted from the rows, not typed) must both change."""
    from ipcmodel import data

    base = {c.id: c for c in claims.audit()}
    real = data.fact
    for c in base.values():
        assert c.inputs, f"{c.id} names no data row"
    for fid in sorted({i for c in base.values() for i in c.inputs}):
        fake = _perturbed(real, fid)
        monkeypatch.setattr(data, "fact", fake)
        monkeypatch.setattr(claims, "fact", fake)
        moved = {c.id: c for c in claims.audit()}
        for c in base.values():
            if fid in c.inputs:
                assert moved[c.id].derived_value != pytest.approx(c.derived_value, rel=1e-9), (c.id, fid)
                assert moved[c.id].how != c.how, (c.id, fid)
    monkeypatch.setattr(data, "fact", real)
