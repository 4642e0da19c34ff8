"""The debate around the paper, each position in its authors' own words (one sentence at most).

A statement is a quote with its citation key (resolving in ``data/*.bib``) and locator, the
way ``data/facts.csv`` carries a quote for each number. Only statements read in the source
itself are here (the bib ``note`` of each key says which copy was read; for Liedtke 1993,
Liedtke et al. 1997 and Härtig et al. 1997 that is the abstract). The numbers inside the quotes
are the authors'; the notebook's own verdict comes from :func:`ipcmodel.history.predictions`.

:func:`structure_not_location` sets the debate's *numbers* side by side, all from ``data/``:
Chen & Bershad (1993: Mach ran more system instructions at a higher memory cost per instruction,
and IPC was a small part of it), Härtig et al. (1997: a co-located MkLinux, whose Linux server
shares the kernel's address space, lost 5 times L4Linux's throughput), Maeda & Bershad (1992,
notebook 04: a restructured user-level UDP server matched the in-kernel one) and Liedtke (the L4
IPC of 1997). Each comparison says how much changing *where* the code runs moved the cost, and
how much changing *how it is built* did; the workload model (:mod:`ipcmodel.workload`) says how
much of Mach's slowdown an IPC-only account could explain at most.

Part of :mod:`ipcmodel.history` (import it as ``from ipcmodel.history import debate``).
Nothing happens on import.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ipcmodel import units, workload
from ipcmodel.data import load_bibliography, load_facts
from ipcmodel.formatting import format_percent, format_us

__all__ = ["Statement", "POSITIONS", "STATEMENTS", "statements", "format_statements",
           "structure_not_location", "format_debate"]

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
    Statement("ChenBershad93", "Abstract, p. 1",
              "We show that the microkernel-based system executes substantially more non-idle system "
              "instructions for an equivalent workload than the monolithic system.",
              "companion", "the headline finding (Ultrix vs Mach 3.0, thirteen traced workloads)"),
    Statement("ChenBershad93", "§3, p. 6",
              "memory penalty for system instructions is from one to three times greater for Mach than "
              "for Ultrix.",
              "companion", "the cost of each of those instructions (system MCPI)"),
    Statement("MaedaBershad92", "§1, p. 1",
              "the structure of a protocol implementation and not the location is the primary "
              "determinant of performance.",
              "companion", "UDP in the kernel, in the Unix server and in a new user-level server (notebook 04)"),
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
    Statement("Haertig97", "Abstract, sentence 5",
              "The corresponding penalty is 5 times higher for a co-located in-kernel version of MkLinux, "
              "and 7 times higher for a user-level version of MkLinux.",
              "counter", "the same Linux on Mach, in the kernel's address space and outside it"),
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


# --------------------------------------------------------------------------------------------
# The numbers of the debate: structure (how it is built) against location (where it runs)
# --------------------------------------------------------------------------------------------

_MCPI_ROW = "cb93-system-mcpi-ratio-mach-ultrix"
_UDP_ROWS = {"kernel": "mb92-udp-rtt-mach25", "unix_server": "mb92-udp-rtt-unix-server",
             "user_level": "mb92-udp-rtt-user-level"}
_L4_ROW = "ts-l4-pentium-1997"


def _chen_bershad() -> dict:
    facts, hist = load_facts("facts.csv"), load_facts("history.csv")
    shares, ids = [], []
    for b in workload.CHEN_BERSHAD_BENCHMARKS:
        u, m = facts[f"cb93-system-share-{b}-ultrix"], facts[f"cb93-system-share-{b}-mach"]
        shares.append((b, u.value, m.value))
        ids += [u.id, m.id]
    higher = [b for b, u, m in shares if m > u]
    mcpi = hist[_MCPI_ROW]
    ceiling_s, slower_s = workload.ceiling_totals()
    counts = workload.verdict_counts()
    return {
        "workloads": len(shares),
        "mach_system_share_higher": len(higher),
        "system_share_percent": {b: (u, m) for b, u, m in shares},
        "system_mcpi_ratio": (mcpi.value, mcpi.value_high if mcpi.value_high is not None else mcpi.value),
        "ipc_only_ceiling_s": ceiling_s,
        "mach_slower_by_s": slower_s,
        "ipc_only_share": ceiling_s / slower_s if slower_s > 0 else None,
        "verdict_counts": counts,
        "row_ids": (*ids, mcpi.id),
        "lesson": (f"Mach spent a larger share of its cycles in the system in {len(higher)} of {len(shares)} "
                   f"workloads (Figure 3-1), each system instruction costing {mcpi.value:g}–"
                   f"{mcpi.value_high:g}× Ultrix's in memory stalls (§3); IPC was a small part of the extra "
                   f"instructions. Even charging all of Mach's extra system time to IPC explains at most "
                   f"{ceiling_s:.3g} s of the {slower_s:.3g} s by which Mach was slower "
                   f"(ipcmodel.workload.ceiling_totals): structure costs, not IPC."),
    }


def _haertig() -> dict:
    pens = workload.haertig97_penalties()
    hist = load_facts("history.csv")
    l4, mk_in, mk_user = (hist[i] for i in workload.HAERTIG97_IDS)
    implementation = mk_in.value  # co-located MkLinux vs L4Linux: the same Linux, another µ-kernel design
    location = mk_user.value / mk_in.value  # MkLinux at user level vs co-located: the same code, moved
    return {
        "penalties_percent": {name: pct for name, pct, _ids in pens},
        "implementation_factor": implementation,
        "location_factor": location,
        "row_ids": workload.HAERTIG97_IDS,
        "lesson": (f"Moving MkLinux's Linux server out of the kernel's address space multiplied the AIM "
                   f"penalty by {location:.2g} ({mk_user.value:g}× ÷ {mk_in.value:g}× L4Linux's); building the "
                   f"system on L4 instead of Mach divided it by {implementation:g}, although L4Linux's server "
                   f"is a user-level task and the co-located MkLinux crosses no user address space "
                   f"({l4.value:g}% for L4Linux, {pens[1][1]:g}% co-located, {pens[2][1]:g}% user-level): "
                   "implementation, not location."),
    }


def _maeda_bershad() -> dict:
    facts = load_facts("facts.csv")
    udp = {k: facts[i] for k, i in _UDP_ROWS.items()}
    ms = {k: f.value for k, f in udp.items()}
    if any(f.unit != "ms" for f in udp.values()):
        raise ValueError(f"UDP round-trip rows {list(_UDP_ROWS.values())} must be in ms")
    structure = ms["unix_server"] / ms["user_level"]  # both at user level: built differently
    location = ms["user_level"] / ms["kernel"]  # same protocol work, outside vs inside the kernel
    return {
        "udp_round_trip_ms": ms,
        "structure_factor": structure,
        "location_factor": location,
        "row_ids": tuple(_UDP_ROWS.values()),
        "lesson": (f"Both at user level, the restructured UDP server was {structure:.2g}× faster than the Unix "
                   f"server ({ms['unix_server']:g} → {ms['user_level']:g} ms); moving the protocol out of "
                   f"the kernel changed the round trip by a factor {location:.2g} ({ms['kernel']:g} → "
                   f"{ms['user_level']:g} ms): structure, not location (notebook 04)."),
    }


def _liedtke() -> dict:
    from ipcmodel.history.rows import history_rows, round_trip_cycles, round_trip_us

    (row,) = [r for r in history_rows("ipc") if r.id == _L4_ROW]
    us, cycles = round_trip_us(row), round_trip_cycles(row)
    return {
        "l4_round_trip_us": us.value,
        "l4_round_trip_cycles": cycles.value,
        "row_ids": (row.id,),
        "lesson": (f"L4's IPC on a Pentium ({cycles.value:g} cycles a round trip, {format_us(us.value)}) "
                   "shows what a kernel built for IPC costs; Liedtke et al. argue its cache "
                   "footprint is small too, so IPC stays the foundation: the penalty Bershad saw was Mach's "
                   "implementation, not the microkernel boundary."),
    }


def structure_not_location() -> dict:
    """The debate's numbers side by side, each with the rows they come from.

    Returns
    -------
    dict
        ``"chen_bershad"`` (system shares of Figure 3-1, the system-MCPI ratio, the workload model's
        IPC-only ceiling: :func:`ipcmodel.workload.ceiling_totals`), ``"haertig"`` (AIM penalties;
        ``implementation_factor`` = co-located MkLinux ÷ L4Linux, ``location_factor`` = user-level ÷
        co-located MkLinux), ``"maeda_bershad"`` (UDP round trips; ``structure_factor`` = Unix server
        ÷ new user-level server, ``location_factor`` = user-level ÷ in-kernel), ``"liedtke"`` (the
        1997 L4 Pentium round trip), each with ``row_ids`` and a one-sentence ``lesson``; and
        ``"statements"`` (the quotes of :func:`statements`, by position).

    Raises
    ------
    ValueError
        If a needed row is missing or in an unexpected unit.
    """
    return {"chen_bershad": _chen_bershad(), "haertig": _haertig(), "maeda_bershad": _maeda_bershad(),
            "liedtke": _liedtke(),
            "statements": {pos: statements(pos) for pos in POSITIONS}}


def format_debate(width: int = 100) -> str:
    """:func:`format_statements`, then each comparison's lesson with its rows, as text.

    Parameters
    ----------
    width : int
        Line width (characters), a whole number in [20, 1000].
    """
    width = int(units.check("width", width, "characters", 20, 1000, integer=True, scalar=True))
    d = structure_not_location()
    lines = [format_statements(width), "", "THE NUMBERS (structure against location)"]
    titles = {"chen_bershad": "Chen & Bershad 1993", "haertig": "Härtig et al. 1997",
              "maeda_bershad": "Maeda & Bershad 1992 (notebook 04)", "liedtke": "Liedtke (L4, 1997)"}
    for key, title in titles.items():
        part = d[key]
        ids = part["row_ids"]
        rows = ", ".join(ids) if len(ids) <= 6 else f"{len(ids)} rows, {ids[0]} … {ids[-1]}"
        lines.extend(textwrap.wrap(f"{title}: {part['lesson']} [rows: {rows}]", width,
                                   initial_indent="  - ", subsequent_indent="    "))
    share = d["chen_bershad"]["ipc_only_share"]
    if share is not None:
        lines.append(f"  (IPC-only ceiling: {format_percent(share)} of Mach's measured slowdown)")
    return "\n".join(lines)
