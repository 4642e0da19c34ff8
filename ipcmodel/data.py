"""Cited data: load the CSVs and the bibliography shipped with the package.

A number never travels without its reference: a :class:`Fact` cannot be built without a
citation key and a locator, and printing one shows where it came from (the way astropy's
constants do). Files are found from the installed package (``ipcmodel/data`` in a wheel, the
repository's ``data/`` folder in an editable install), never from the working directory.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = [
    "DataFileError",
    "Fact",
    "Reference",
    "data_dir",
    "load_facts",
    "load_bibliography",
    "fact",
    "facts_where",
    "cite",
    "REQUIRED_COLUMNS",
]

#: Columns every facts-style CSV must have (more columns are allowed).
REQUIRED_COLUMNS = ("id", "quantity", "value", "unit", "source", "locator", "quote")
_MAX_QUOTE_WORDS = 25


class DataFileError(ValueError):
    """A data file is malformed; the message names the file and the line."""


def data_dir() -> Path:
    """Folder holding the data files of the installed package.

    A wheel carries them as ``ipcmodel/data``; an editable install (or a source checkout on
    ``sys.path``) finds the repository's top-level ``data/`` next to the package.
    """
    packaged = Path(str(resources.files("ipcmodel"))) / "data"
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parent.parent / "data"
    if source.is_dir():
        return source
    raise FileNotFoundError(f"ipcmodel's data folder was not found (looked in {packaged} and {source})")


@dataclass(frozen=True)
class Reference:
    """One bibliography entry (BibTeX)."""

    key: str
    entry_type: str
    fields: dict = field(default_factory=dict, compare=False)

    def short(self) -> str:
        """Author-year label, e.g. ``"Bershad 1992"``."""
        author = self.fields.get("author", self.key).strip()
        for tex, char in (('{\\"a}', "ä"), ('{\\"o}', "ö"), ('{\\"u}', "ü"), ("{\\'e}", "é")):
            author = author.replace(tex, char)
        year = self.fields.get("year", "n.d.")
        if author.startswith("{") and author.endswith("}"):  # an organisation: {{seL4 Foundation}}
            return f"{author.strip('{}')} {year}"
        names = [a.strip().strip("{}") for a in author.split(" and ")]
        first = names[0]
        surname = first.split(",")[0].strip() if "," in first else first.split()[-1]
        if len(names) == 2:
            second = names[1]
            other = second.split(",")[0].strip() if "," in second else second.split()[-1]
            return f"{surname} and {other} {year}"
        return f"{surname}{' et al.' if len(names) > 2 else ''} {year}"

    def __str__(self) -> str:
        title = self.fields.get("title", "").replace("{", "").replace("}", "")
        return f"{self.short()}: {title}"


@dataclass(frozen=True)
class Fact:
    """A reported number with its provenance.

    Attributes
    ----------
    id : str
        Unique id (e.g. ``"b92-rpc-ds5000"``).
    quantity : str
        Controlled name of what was measured (e.g. ``"rpc_round_trip"``).
    value : float
        The reported value (the low end when a range is reported).
    value_high : float or None
        The high end of a reported range, else None.
    unit : str
        Unit as reported (``us``, ``ms``, ``ns``, ``cycles``, ``MHz``, ``bytes``, ``KB``, ...).
    source : str
        Citation key; resolves in ``data/*.bib``.
    locator : str
        Section, table or page in the source.
    quote : str
        At most 25 words from the source that state the number.
    """

    id: str
    quantity: str
    value: float
    unit: str
    source: str
    locator: str
    quote: str
    value_high: float | None = None
    qualifier: str = ""
    machine: str = ""
    year: int | None = None
    kind: str = "reported"
    trip: str = "na"
    cache: str = "na"
    extra: dict = field(default_factory=dict, compare=False)
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def __post_init__(self):
        where = f"{self.file}:{self.line}" if self.file else self.id
        if not self.source.strip():
            raise DataFileError(f"{where}: fact {self.id!r} has no source (citation key)")
        if not self.locator.strip():
            raise DataFileError(f"{where}: fact {self.id!r} has no locator (section, table or page)")
        if not math.isfinite(self.value):
            raise DataFileError(f"{where}: fact {self.id!r} has a non-finite value")
        if self.kind != "reported":
            raise DataFileError(
                f"{where}: fact {self.id!r} has kind {self.kind!r}; data/ holds only reported "
                "numbers (derived numbers are computed by ipcmodel)"
            )

    @property
    def is_range(self) -> bool:
        """True when the source reports a range (``value`` .. ``value_high``)."""
        return self.value_high is not None

    def cite(self) -> str:
        """Short citation: ``"[Bershad92, §2, p. 3]"``."""
        return f"[{self.source}, {self.locator}]"

    def value_text(self) -> str:
        """The value as reported, e.g. ``"about 57 us"`` or ``"128–896 cycles"``."""
        v = f"{self.value:g}" + (f"–{self.value_high:g}" if self.is_range else "")
        q = "" if self.qualifier in ("", "exact", "mean", "between") else self.qualifier + " "
        return f"{q}{v} {self.unit}"

    def __str__(self) -> str:
        return f"{self.quantity} = {self.value_text()} {self.cite()}"


def _parse_float(text: str, what: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise DataFileError(f"{where}: {what} {text!r} is not a number") from None


@functools.cache
def load_facts(name: str = "facts.csv") -> dict[str, Fact]:
    """Load a facts-style CSV from the data folder; returns ``{id: Fact}``.

    Raises
    ------
    DataFileError
        Naming the file and line of a missing column, an empty citation or locator, a
        non-numeric value, a duplicate id, or a quote of more than 25 words.
    """
    path = data_dir() / name
    return _read_facts(path)


def _read_facts(path: Path) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataFileError(f"{path.name}:1: missing column(s) {', '.join(missing)}")
        known = {"id", "quantity", "value", "value_high", "unit", "qualifier", "machine", "year",
                 "kind", "trip", "cache", "source", "locator", "quote"}
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            if None in row or any(v is None for v in row.values()):
                raise DataFileError(f"{where}: wrong number of fields")
            fid = row["id"].strip()
            if not fid:
                raise DataFileError(f"{where}: empty id")
            if fid in out:
                raise DataFileError(f"{where}: duplicate id {fid!r}")
            if len(row["quote"].split()) > _MAX_QUOTE_WORDS:
                raise DataFileError(f"{where}: quote of {fid!r} is longer than {_MAX_QUOTE_WORDS} words")
            high = row.get("value_high", "").strip()
            year = row.get("year", "").strip()
            out[fid] = Fact(
                id=fid,
                quantity=row["quantity"].strip(),
                value=_parse_float(row["value"].strip(), "value", where),
                value_high=_parse_float(high, "value_high", where) if high else None,
                unit=row["unit"].strip(),
                qualifier=row.get("qualifier", "").strip(),
                machine=row.get("machine", "").strip(),
                year=int(_parse_float(year, "year", where)) if year else None,
                kind=row.get("kind", "reported").strip() or "reported",
                trip=row.get("trip", "na").strip() or "na",
                cache=row.get("cache", "na").strip() or "na",
                source=row["source"].strip(),
                locator=row["locator"].strip(),
                quote=row["quote"].strip(),
                extra={k: v for k, v in row.items() if k not in known},
                file=path.name,
                line=reader.line_num,
            )
    return out


_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
_FIELD = re.compile(r"(\w+)\s*=\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*,?", re.DOTALL)


@functools.cache
def load_bibliography() -> dict[str, Reference]:
    """Parse every ``*.bib`` file in the data folder into ``{key: Reference}``."""
    refs: dict[str, Reference] = {}
    for path in sorted(data_dir().glob("*.bib")):
        text = path.read_text(encoding="utf-8")
        matches = list(_ENTRY.finditer(text))
        for i, m in enumerate(matches):
            body_end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            body = text[m.end():body_end]
            fields = {k.lower(): " ".join(v.split()) for k, v in _FIELD.findall(body)}
            key = m.group(2)
            if key in refs:
                line = text.count("\n", 0, m.start()) + 1
                raise DataFileError(f"{path.name}:{line}: duplicate citation key {key!r}")
            refs[key] = Reference(key=key, entry_type=m.group(1).lower(), fields=fields)
    return refs


def fact(fact_id: str, name: str = "facts.csv") -> Fact:
    """Return one fact by id, or raise KeyError listing close ids."""
    facts = load_facts(name)
    try:
        return facts[fact_id]
    except KeyError:
        close = [k for k in facts if fact_id.split("-")[0] in k][:5]
        raise KeyError(f"no fact {fact_id!r} in {name}; similar: {close}") from None


def facts_where(name: str = "facts.csv", **criteria) -> list[Fact]:
    """All facts whose attributes equal the given values, e.g. ``facts_where(machine="ds5000")``."""
    return [f for f in load_facts(name).values()
            if all(getattr(f, k) == v for k, v in criteria.items())]


def cite(key: str) -> str:
    """Full reference text for a citation key (raises KeyError if it does not resolve)."""
    return str(load_bibliography()[key])
