"""Data integrity: every number has an address (citation key that resolves, and a locator)."""

import csv
import re

import pytest

from ipcmodel import data

CSV_FILES = sorted(p.name for p in data.data_dir().glob("*.csv") if p.name != "machines.csv")


def test_data_is_found_from_the_package_not_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert (data.data_dir() / "facts.csv").is_file()


@pytest.mark.parametrize("name", CSV_FILES)
def test_every_row_cites_a_resolving_key_and_a_locator(name):
    refs = data.load_bibliography()
    facts = data.load_facts(name)
    assert facts, f"{name} is empty"
    for f in facts.values():
        assert f.source in refs, f"{name}:{f.line}: {f.source!r} is not in data/*.bib"
        assert f.locator.strip()
        assert 0 < len(f.quote.split()) <= 25


def test_ids_are_unique_across_all_files():
    seen = {}
    for name in CSV_FILES:
        with open(data.data_dir() / name, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                assert row["id"] not in seen, f"{row['id']} in {name} and {seen.get(row['id'])}"
                seen[row["id"]] = name


def test_bibliography_entries_are_complete():
    for key, ref in data.load_bibliography().items():
        assert "title" in ref.fields, key
        assert "year" in ref.fields, key
        assert "author" in ref.fields or ref.entry_type == "misc", key


def test_machines_cite_their_source():
    refs = data.load_bibliography()
    with open(data.data_dir() / "machines.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert row["source"] in refs and row["locator"]


def test_only_reported_numbers_in_data():
    for name in CSV_FILES:
        assert all(f.kind == "reported" for f in data.load_facts(name).values())


def test_fact_prints_its_citation():
    f = data.fact("b92-rpc-ds5000")
    assert str(f) == "rpc_round_trip = 57 us [Bershad92, §2, p. 3]"
    assert f.cite() == "[Bershad92, §2, p. 3]"
    assert data.fact("b92-dma-coherency-page-hp700").value_text() == "128–896 cycles"


def test_a_fact_cannot_exist_without_a_reference():
    with pytest.raises(data.DataFileError, match="no source"):
        data.Fact(id="x", quantity="q", value=1.0, unit="us", source="", locator="§1", quote="q")
    with pytest.raises(data.DataFileError, match="no locator"):
        data.Fact(id="x", quantity="q", value=1.0, unit="us", source="Bershad92", locator=" ", quote="q")
    with pytest.raises(data.DataFileError, match="derived numbers are computed"):
        data.Fact(id="x", quantity="q", value=1.0, unit="us", source="Bershad92", locator="§2",
                  quote="q", kind="derived")


HEADER = "id,quantity,value,value_high,unit,qualifier,machine,year,kind,trip,cache,source,locator,quote\n"


@pytest.mark.parametrize("row, message", [
    ("a,q,abc,,us,,,1992,reported,na,na,Bershad92,§2,q\n", r"bad\.csv:3: value 'abc' is not a number"),
    ("a,q,1,,us,,,1992,reported,na,na,,§2,q\n", r"bad\.csv:3: fact 'a' has no source"),
    ("a,q,1,,us,,,1992,reported,na,na,Bershad92,,q\n", r"bad\.csv:3: fact 'a' has no locator"),
    ("b,q,1,,us,,,1992,reported,na,na,Bershad92,§2,q\n", r"bad\.csv:3: duplicate id 'b'"),
    ("c,q,1,,us,,,1992,reported,na,na,Bershad92,§2\n", r"bad\.csv:3: wrong number of fields"),
    ("d,q,nan,,us,,,1992,reported,na,na,Bershad92,§2,q\n", r"bad\.csv:3: fact 'd' has a non-finite value"),
    ("e,q,1,,us,,,1992,reported,na,na,Bershad92,§2," + "w " * 30 + "\n", r"bad\.csv:3: quote .* longer than 25"),
])
def test_malformed_file_error_names_file_and_line(tmp_path, row, message):
    good = "b,q,1,,us,,,1992,reported,na,na,Bershad92,§2,q\n"
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + good + row, encoding="utf-8")
    with pytest.raises(data.DataFileError, match=message):
        data._read_facts(path)


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,quantity,value,unit,source,locator\n", encoding="utf-8")
    with pytest.raises(data.DataFileError, match=r"bad\.csv:1: missing column\(s\) quote"):
        data._read_facts(path)


def test_every_paper_number_is_in_the_data():
    """Each number the paper states (§2-§5) appears in facts.csv with a Bershad92 citation."""
    paper = {f.value for f in data.facts_where(source="Bershad92")}
    paper |= {f.value_high for f in data.facts_where(source="Bershad92") if f.value_high}
    # the paper's numbers, read off its text (§2: 750, 497, 57, 25 MHz, ten, nine; §2.1: 60, 8, 50;
    # §3: 4 KB, 2 KB, 20 ns, 1-14, 32 B, 128-896, 16, 2048, 70, 3600; §4: 100 B, 4 KB, 15 %; §5: 2 of 3)
    for v in (750, 497, 57, 25, 10, 9, 60, 8, 50, 4, 2, 20, 1, 14, 32, 128, 896, 16, 2048, 70,
              3600, 100, 15, 3):
        assert v in paper, v


def test_quotes_are_short_and_not_paragraphs():
    for name in CSV_FILES:
        for f in data.load_facts(name).values():
            assert not re.search(r"\n", f.quote)
