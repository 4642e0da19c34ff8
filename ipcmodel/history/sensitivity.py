"""Data choices for the predictions audit: each verdict recomputed on every defensible set of rows.

A verdict that flips when a defensible row is added or removed is not a finding. The audit
(:func:`ipcmodel.history.predictions`) therefore runs every numeric rule under each
:data:`DATA_CHOICES` entry and prints ``held`` / ``did-not-hold`` only when all of them agree:

- ``"all admitted rows"``: every row :data:`ipcmodel.history.rows.ADMISSION_RULE` admits; the IPC of a
  year with rows is measured (median), the fit is used only for years without rows;
- ``"x86 rows only"``, ``"Arm rows only"``, ``"other ISAs only"``: the IPC and system-call rows
  measured after the paper (history.csv) of one ISA group; the paper's own 1989–1992 rows
  (facts.csv) stay in every choice, since they are the "then" every prediction is judged against;
- ``"cold cache (upper bound)"``: every IPC row plus every cache line of the paper's IPC path
  (< 4 KB instructions + < 2 KB data, §3) missing once per round trip at the year's miss penalty;
  no source here measures a cold IPC, so this is the model's bound, not data;
- ``"log-linear fit for every year"``: the IPC of every year read off the trend, even where rows exist;
- ``"each IPC row left out in turn"``: the rule once without each admitted IPC row (one entry that
  summarises the runs).

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from ipcmodel import paper, units
from ipcmodel.history.estimates import estimate_for_year
from ipcmodel.history.rows import _THEN, HistoryRow, history_rows, isa_group
from ipcmodel.history.scott import scott_clock_mhz

__all__ = [
    "Prediction",
    "VERDICTS",
    "Sensitivity",
    "DataChoice",
    "DATA_CHOICES",
    "MODERN_LINE_BYTES",
    "NOT_APPLICABLE",
    "data_choices",
    "cold_rows",
    "isa_rows",
    "leave_one_out",
]

#: Modern L1/L2 lines are 64 bytes; no row of data/ gives a 2024 line size, so this is an assumption
#: (stated in the reasoning where it is used), not a cited value.
MODERN_LINE_BYTES = 64

#: A sensitivity verdict meaning "this choice leaves too few rows to apply the rule"; such entries are
#: listed but do not count towards the printed verdict.
NOT_APPLICABLE = "n/a"

#: The choice names, in the order every sensitivity list uses.
DATA_CHOICES = ("all admitted rows", "x86 rows only", "Arm rows only", "other ISAs only",
                "cold cache (upper bound)", "log-linear fit for every year", "each IPC row left out in turn")


@dataclass(frozen=True)
class Sensitivity:
    """One entry of a prediction's sensitivity list.

    ``choice`` is one of :data:`DATA_CHOICES`; ``figure`` the rule's headline number under it, with
    its unit; ``verdict`` the rule's verdict under it (``"held"``, ``"did-not-hold"``, ``"mixed"``, or
    :data:`NOT_APPLICABLE` when the choice leaves too few rows for the rule).
    """

    choice: str
    figure: str
    verdict: str

    def to_dict(self) -> dict:
        """``{"choice": ..., "figure": ..., "verdict": ...}``."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class DataChoice:
    """One set of rows (and IPC method) a rule is run on: ``rows`` for the rule, ``method`` for
    :func:`ipcmodel.history.estimate_for_year` (``"measured"`` or ``"fit"``)."""

    name: str
    rows: tuple[HistoryRow, ...]
    method: str = "measured"


#: The allowed verdicts.
VERDICTS = ("held", "did-not-hold", "mixed")


@dataclass(frozen=True)
class Prediction:
    """One prediction of the paper and its verdict thirty years on.

    ``evidence`` holds citation keys (all resolve in data/*.bib); ``verdict`` is one of
    :data:`VERDICTS`: the rule's verdict when every data choice of ``sensitivity`` gives it, else
    ``"mixed"``; ``reasoning`` is the rule with the numbers it used (and, when the choices disagree,
    which ones). ``figure`` is the rule's headline number with its unit; ``rule_verdict`` the rule's
    verdict on all admitted rows; ``sensitivity`` one :class:`Sensitivity` per data choice
    (:data:`DATA_CHOICES`).
    """

    id: str
    section: str
    prediction: str
    evidence: tuple[str, ...]
    verdict: str
    reasoning: str
    figure: str = ""
    rule_verdict: str = ""
    sensitivity: tuple[Sensitivity, ...] = ()

    def to_dict(self) -> dict:
        """The JSON object: id, section, prediction, evidence, verdict, reasoning, figure,
        rule_verdict and sensitivity (a list of objects with keys choice, figure, verdict)."""
        d = dataclasses.asdict(self)
        d["evidence"] = list(self.evidence)
        d["sensitivity"] = [e.to_dict() for e in self.sensitivity]
        return d


def _keys(*keys: str) -> tuple[str, ...]:
    """Citation keys in first-seen order, without repeats."""
    return tuple(dict.fromkeys(keys))


def _sources(rows) -> list[str]:
    seen: list[str] = []
    for r in rows:
        if r.source not in seen:
            seen.append(r.source)
    return seen


def _na(pid: str, section: str, prediction: str, evidence, why: str) -> Prediction:
    """A rule that cannot be applied to these rows (too few): verdict :data:`NOT_APPLICABLE`."""
    return Prediction(pid, section, prediction, tuple(evidence), NOT_APPLICABLE, why,
                      "n/a: too few rows under this choice to apply the rule")


def _pool(rows: Sequence[HistoryRow] | None) -> tuple[HistoryRow, ...]:
    return tuple(history_rows(rows=rows))


def isa_rows(group: str, rows: Sequence[HistoryRow] | None = None) -> tuple[HistoryRow, ...]:
    """The rows with the post-paper IPC and system-call rows of other ISA groups removed.

    Parameters
    ----------
    group : {"x86", "Arm", "other"}
        The ISA group kept (:func:`ipcmodel.history.rows.isa_group`).
    """
    if group not in ("x86", "Arm", "other"):
        raise ValueError(f"group must be 'x86', 'Arm' or 'other'; got {group!r}")
    return tuple(r for r in _pool(rows)
                 if r.series not in ("ipc", "syscall") or r.file == "facts.csv" or isa_group(r) == group)


def _line_bytes(year: int) -> float:
    """The line size the cold bound counts in: the DECstation 5000/200's up to 1993, else 64 bytes."""
    from ipcmodel.machines import machine

    return float(machine("ds5000").cache_line_bytes) if year <= _THEN + 1 else float(MODERN_LINE_BYTES)


def cold_rows(rows: Sequence[HistoryRow] | None = None) -> tuple[HistoryRow, ...]:
    """Every IPC row made cold: its round trip plus one miss on every line of the paper's IPC path.

    Per round trip the added cost is ``ipc_path_lines(line) × miss penalty`` cycles, with the
    DECstation 5000/200's 16-byte lines up to 1993 and 64-byte lines after (an assumption). The
    miss penalty is the row's own machine's where a cited row gives one (the DECstation 3100's 5
    cycles, the DECstation 5000/200's 15); an IPC row of the paper's years (to 1993) whose machine
    has none is left out (the cited penalties of those years differ threefold, so none stands in
    for another machine); a later row gets its year's (:func:`ipcmodel.history.estimate_for_year`:
    Scott's formula after 1993). A one-way row gets half (the model doubles it); a row in µs gets
    the cycles at its own clock, or at Scott's clock of the year when its source gives none. The
    rows are marked ``cache="cold"``.
    """
    pool = _pool(rows)
    own = {r.machine: r.value for r in pool if r.series == "miss_penalty" and r.unit == "cycles"}
    out = []
    for r in pool:
        if r.series != "ipc":
            out.append(r)
            continue
        if r.machine in own:
            mp = own[r.machine]
        elif r.year <= _THEN + 1:
            continue
        else:
            mp = estimate_for_year("miss_penalty_cycles", r.year).value
        lines = float(paper.ipc_path_lines(_line_bytes(r.year)))
        extra_cycles = lines * mp / (2.0 if r.trip == "one-way" else 1.0)
        if r.unit == "cycles":
            value = r.value + extra_cycles
        else:
            mhz = r.clock_mhz or float(scott_clock_mhz(r.year))
            per_us = {"us": 1.0, "ns": 1e3, "ms": 1e-3, "s": 1e-6}[r.unit]
            value = r.value + float(units.cycles_to_us(extra_cycles, mhz)) * per_us
        out.append(dataclasses.replace(r, value=value, cache="cold"))
    return tuple(out)


def data_choices(rows: Sequence[HistoryRow] | None = None) -> list[DataChoice]:
    """The data choices of :data:`DATA_CHOICES` except the leave-one-out runs, on ``rows``.

    ISA groups with no post-paper IPC row are left out (only "others present" are listed).
    """
    pool = _pool(rows)
    out = [DataChoice(DATA_CHOICES[0], pool)]
    present = {isa_group(r) for r in pool if r.series == "ipc" and r.file != "facts.csv"}
    for group, name in zip(("x86", "Arm", "other"), DATA_CHOICES[1:4], strict=True):
        if group in present:
            out.append(DataChoice(name, isa_rows(group, pool)))
    out.append(DataChoice(DATA_CHOICES[4], cold_rows(pool)))
    out.append(DataChoice(DATA_CHOICES[5], pool, "fit"))
    return out


def leave_one_out(rows: Sequence[HistoryRow] | None = None) -> list[tuple[str, tuple[HistoryRow, ...]]]:
    """``(row id, rows without it)`` for every IPC row of ``rows``."""
    pool = _pool(rows)
    return [(r.id, tuple(x for x in pool if x is not r)) for r in pool if r.series == "ipc"]
