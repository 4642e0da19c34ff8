"""The debate around the paper, each position in its authors' own words (one sentence at most).

A statement is a quote with its citation key (resolving in ``data/*.bib``) and locator, the
way ``data/facts.csv`` carries a quote for each number. Only statements read in the source
itself are here (the bib ``note`` of each key says which copy was read; for Liedtke 1993,
Liedtke et al. 1997 and Härtig et al. 1997 that is the abstract). The numbers inside the quotes
are the authors'; the notebook's own verdict comes from :func:`ipcmodel.history.predictions`.

Part of :mod:`ipcmodel.history` (import it as ``from ipcmodel.history import debate``).
Nothing happens on import.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ipcmodel import units
from ipcmodel.data import load_bibliography

__all__ = ["Statement", "POSITIONS", "STATEMENTS", "statements", "format_statements"]

#: The sides, in the order the notebook shows them.
POSITIONS = {
    "paper": "the paper (1992)",
    "companion": "its companion evidence",
    "counter": "the counter-position",
}


@dataclass(frozen=True)
class Statement:
    """One sentence (or part of one) from a source, with where it stands in the debate."""

    key: str
    locator: str
    quote: str
    position: str
    about: str

    def cite(self) -> str:
        return f"[{self.key}, {self.locator}]"

    def __str__(self) -> str:
        return f"“{self.quote}” {self.cite()}"


STATEMENTS = (
    Statement("Bershad92", "§6, pp. 5–6",
              "the raw performance of IPC facilities is largely becoming an irrelevant metric by "
              "which to judge microkernel-based operating systems.",
              "paper", "the thesis"),
    Statement("ChenBershad93", "§3, p. 6",
              "Figure 3-1 shows that the overhead of Mach's IPC, in terms of instructions executed, "
              "is responsible for a small portion of overall system overhead.",
              "companion", "where Mach's time went (Ultrix vs Mach 3.0 on a DECstation 5000/200)"),
    Statement("ChenBershad93", "§3, p. 6",
              "microkernel optimizations focusing exclusively on IPC [...], without considering "
              "other sources of system overhead such as MCPI, will have a limited impact on overall "
              "system performance",
              "companion", "what to optimise (MCPI: memory cycles per instruction)"),
    Statement("Liedtke93", "Abstract",
              "a twentyfold improvement",
              "counter", "L3's short-message IPC against a typical µ-kernel's on the same processor"),
    Statement("Liedtke97", "Abstract",
              "Since only 2.3% of the L1 cache are required (Pentium), the average indirect costs "
              "are not to be expected much higher.",
              "counter", "the cache cost of IPC (the answer to §3)"),
    Statement("Haertig97", "Abstract",
              "For L4Linux, the AIM benchmarks report a maximum throughput which is only 5% lower "
              "than that of native Linux.",
              "counter", "a whole system on a fast µ-kernel"),
    Statement("Haertig97", "Abstract",
              "These numbers demonstrate both that it is possible to implement a high-performance "
              "conventional operating system personality above a µ-kernel, and that the performance "
              "of the µ-kernel is crucial to achieve this.",
              "counter", "what the L4Linux numbers mean"),
)


def statements(position: str | None = None) -> list[Statement]:
    """The statements, optionally of one position (a key of :data:`POSITIONS`).

    Raises
    ------
    ValueError
        For an unknown position, or a statement whose citation key is not in ``data/*.bib``.
    """
    if position is not None and position not in POSITIONS:
        raise ValueError(f"position must be one of {list(POSITIONS)}; got {position!r}")
    refs = load_bibliography()
    missing = sorted({s.key for s in STATEMENTS} - set(refs))
    if missing:
        raise ValueError(f"debate statements cite key(s) missing from data/*.bib: {missing}")
    return [s for s in STATEMENTS if position is None or s.position == position]


def format_statements(width: int = 100) -> str:
    """All statements as text, grouped by position, each with its citation.

    Parameters
    ----------
    width : int
        Line width (characters), a whole number in [20, 1000].
    """
    width = int(units.check("width", width, "characters", 20, 1000, integer=True, scalar=True))
    refs = load_bibliography()
    lines = []
    for pos, title in POSITIONS.items():
        lines.append(title.upper())
        for s in statements(pos):
            who = refs[s.key].short()
            lines.extend(textwrap.wrap(f"{who}, on {s.about}: {s}", width, initial_indent="  - ",
                                       subsequent_indent="    "))
        lines.append("")
    return "\n".join(lines).rstrip()
