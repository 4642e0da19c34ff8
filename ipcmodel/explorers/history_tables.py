"""Text tables of notebook 07 computed from :mod:`ipcmodel.history`: footnote 1's limit, and the
sensitivity of each verdict.

* :func:`trap_floor` / :func:`format_trap_floor`: the test of the paper's footnote 1. §2 says IPC
  has tracked the processor "at least to this point"; footnote 1 adds that IPC is "ultimately
  limited by architectural features such as trap and context switch time", which were not
  improving as fast as the processor, and that practical IPC "has not yet reached this limit".
  The part of that limit the data can show is the trap: an IPC round trip enters and leaves the
  kernel twice (the call and the reply), so on one machine it costs at least two system calls.
  For every machine with both rows (:func:`ipcmodel.history.same_machine_pairs`) the table gives
  the IPC round trip ÷ that two-trap floor (the *headroom*) and the system call in cycles.
* :func:`format_sensitivity_table`: each prediction's verdict next to its verdict under every data
  choice (:attr:`ipcmodel.history.Prediction.sensitivity`, when the model provides it).
* :func:`then_and_now` / :func:`format_then_and_now`: the measured devices that stand for the
  paper's year and for today (:func:`ipcmodel.explorers.history_years.year_devices`: never a
  formula value, never a device of another era), with the IPC overhead each sees with the machine
  of that year, against a same-machine system call and against kernel bypass.

Formatting only: the numbers come from :mod:`ipcmodel.history`; nothing happens on import.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from ipcmodel import history, service
from ipcmodel.explorers.history_years import BYPASS_LABEL, YEAR_DEVICES, device_text, year_devices
from ipcmodel.formatting import format_percent, format_us
from ipcmodel.history.floor import FloorRow, trap_floor
from ipcmodel.history.rows import NOW_YEAR, THEN_YEAR, isa_group
from ipcmodel.service import DEFAULT_THRESHOLD

__all__ = [
    "REACHED_HEADROOM",
    "FloorRow",
    "FootnoteTest",
    "trap_floor",
    "footnote_test",
    "format_trap_floor",
    "sensitivity_rows",
    "format_sensitivity_table",
    "then_and_now",
    "format_then_and_now",
]

#: Our rule, not the paper's: IPC has "reached the limit" of footnote 1 when its round trip is
#: within this factor of the two-trap floor (two system calls of the same machine).
REACHED_HEADROOM = 1.5


@dataclass(frozen=True)
class FootnoteTest:
    """Footnote 1 tested: the headroom in the paper's year and in the latest year with pairs.

    ``verdict`` is ``"reached"`` when the latest median headroom is within :data:`REACHED_HEADROOM`,
    else ``"not shown (traps-only floor: headroom lo–hi×)"``: the floor leaves out the address-space
    switch, so a headroom above it cannot show the limit is not reached; ``reasoning`` states the
    rule, the numbers and the median headroom by ISA group.
    """

    rows: tuple[FloorRow, ...]
    then_year: int
    now_year: int
    headroom_then: float
    headroom_now: float
    syscall_cycles_then: float
    syscall_cycles_now: float
    verdict: str
    reasoning: str


def footnote_test(rows=None) -> FootnoteTest:
    """Footnote 1's limit, tested on the same-machine pairs (see the module docstring)."""
    fr = trap_floor(rows)
    then = [r for r in fr if abs(r.year - THEN_YEAR) <= 1]
    now_year = max(r.year for r in fr)
    now = [r for r in fr if r.year == now_year]
    if not then or now_year <= THEN_YEAR + 1:
        raise ValueError("footnote 1 needs same-machine IPC/system-call pairs from the paper's years "
                         "and from a later year")
    h0, h1 = (float(np.median([r.headroom for r in g])) for g in (then, now))
    c0, c1 = (float(np.median([r.syscall_cycles for r in g if r.syscall_cycles is not None] or [np.nan]))
              for g in (then, now))
    # The floor is a lower bound of the limit: a headroom near it shows the limit reached, a headroom
    # above it shows nothing (the address-space switch may fill it), critic C3 N5.
    lo, hi = min(r.headroom for r in now), max(r.headroom for r in now)
    verdict = (f"not shown (traps-only floor: headroom {lo:.1f}–{hi:.1f}×)" if h1 > REACHED_HEADROOM
               else "reached")
    isa = {r.id: isa_group(r) for r in history.history_rows("ipc", rows)}
    groups = {g: float(np.median([r.headroom for r in now if isa.get(r.ipc_id) == g]))
              for g in ("x86", "Arm", "other") if any(isa.get(r.ipc_id) == g for r in now)}
    split = "; ".join(f"{g} {v:.1f}×" for g, v in groups.items())
    reasoning = (
        f"Rule (ours): reached if the IPC round trip is within {REACHED_HEADROOM:g}× the two system calls "
        f"it needs at least on the same machine; median IPC ÷ (2 × system call) {h0:.2g} in {THEN_YEAR} "
        f"({len(then)} machines) and {h1:.2g} in {now_year} ({len(now)} machines; by ISA: {split}); a system "
        f"call took {c0:.0f} cycles (median) in {THEN_YEAR} and {c1:.0f} in {now_year}. The floor counts the "
        "traps only, not the address-space switch, so the true limit is higher and IPC is nearer to it than "
        "the headroom says: a headroom above the floor cannot show that the limit is not reached. Where "
        "the headroom differs by ISA, the difference may be the switch itself, part of the limit.")
    return FootnoteTest(tuple(fr), THEN_YEAR, now_year, h0, h1, c0, c1, verdict, reasoning)


def format_trap_floor(rows=None) -> str:
    """:func:`footnote_test` as a text table: one line per machine, then the verdict."""
    t = footnote_test(rows)
    lines = [f"{'year':<5} {'IPC round trip':>15} {'system call':>12} {'2 × syscall':>12} {'headroom':>9}"
             "  machine (processor class)"]
    for r in t.rows:
        u = "cyc" if r.unit == "cycles" else "µs"
        lines.append(f"{r.year:<5} {r.ipc:>11.4g} {u:<3} {r.syscall:>8.4g} {u:<3} {r.floor:>8.4g} {u:<3} "
                     f"{r.headroom:>8.2f}×  {r.machine} ({r.processor_class})")
    lines.append(f"footnote 1's limit: {t.verdict}")
    lines.extend(textwrap.wrap(t.reasoning, 100))
    return "\n".join(lines)


def sensitivity_rows(prediction) -> list[dict]:
    """The sensitivity entries of one prediction as dicts with keys ``choice``, ``figure`` and
    ``verdict`` (empty when the model gives none)."""
    out = []
    for e in getattr(prediction, "sensitivity", ()) or ():
        d = e if isinstance(e, dict) else (e.to_dict() if hasattr(e, "to_dict") else vars(e))
        out.append({"choice": str(d.get("choice", "")), "figure": str(d.get("figure", "")),
                    "verdict": str(d.get("verdict", ""))})
    return out


def format_sensitivity_table(ids=None, width: int = 110) -> str:
    """Each prediction's verdict and, beneath it, its verdict under every data choice.

    Parameters
    ----------
    ids : sequence of str, optional
        Prediction ids (:func:`ipcmodel.history.predictions`); all when None.
    width : int
        Line width (characters) for wrapped figures, in [40, 1000].
    """
    width = int(width)
    if not 40 <= width <= 1000:
        raise ValueError(f"width must be in [40, 1000] characters; got {width}")
    preds = history.predictions()
    known = [p.id for p in preds]
    if ids is not None:
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"ids must be prediction ids {known}; got unknown {unknown}")
        preds = [p for p in preds if p.id in ids]
    lines = []
    for p in preds:
        lines.append(f"§{p.section:<4} {p.id:<34} {p.verdict}")
        entries = sensitivity_rows(p)
        if not entries:
            lines.append("      (no data choice changes this rule's inputs)")
        for e in entries:
            head = f"      {e['verdict']:<13} {e['choice']}: "
            lines.extend(textwrap.wrap(e["figure"], width, initial_indent=head,
                                       subsequent_indent=" " * 20))
    return "\n".join(lines)


def then_and_now(years=(THEN_YEAR, NOW_YEAR), threshold: float = DEFAULT_THRESHOLD) -> list[dict]:
    """The measured devices standing for each year, and the IPC overhead each sees that year.

    Parameters
    ----------
    years : sequence of int
        Calendar years (default the paper's year and the model's "now").
    threshold : float
        Acceptable overhead fraction in (0, 1) (the ``matters`` flag).

    Returns
    -------
    list of dict
        Per year and device kind: ``year``, ``label``, ``device_us`` (None when no measured row
        stands for the year), ``low_us`` / ``high_us`` (spread of the rows), ``measured_year``,
        ``note``, ``overhead_syscall`` (against the same machine's system call), ``overhead_bypass``
        (against no kernel crossing; None before the first kernel-bypass row), ``overhead_fastest``
        (against the system call, for the fastest row behind a median), ``share_ipc_year`` (the year
        whose IPC the overheads use), ``what`` (for the network through a kernel, what its row times),
        ``matters``. The kernel-bypass RPC makes no system call, so
        its ``overhead_syscall`` is None and its ``overhead_bypass`` uses the IPC of the row's own
        year (:func:`ipcmodel.history.bypass_share`), the one IPC-vs-eRPC comparison of notebook 07.
    """
    out = []
    for y in years:
        s_sys = history.year_state(y, threshold)
        s_byp = history.year_state(y, threshold, baseline="bypass")
        shown, left = year_devices(s_sys)
        shown_b = year_devices(s_byp)[0] if s_byp.baseline == "bypass" else {}
        for label, (d, o, dev) in shown.items():
            fast = None
            if dev.low_us is not None and dev.low_us < d:
                fast = float(service.ipc_overhead_fraction(s_sys.ipc_us, s_sys.syscall_us, dev.low_us))
            ob = shown_b[label][1] if label in shown_b else None
            share_year = s_sys.year
            if label == BYPASS_LABEL:
                # no system call on a kernel-bypass path; its one comparison is the IPC share of an
                # access with the IPC of the row's own year (history.bypass_share), not another era's
                o, fast, share_year = None, None, dev.measured_year
                ipc = history.estimate_for_year("ipc_round_trip_us", share_year).value
                ob = float(service.ipc_overhead_fraction(ipc, 0.0, d))
            out.append({"year": s_sys.year, "label": device_text(label, dev), "device_us": d,
                        "low_us": dev.low_us, "high_us": dev.high_us, "measured_year": dev.measured_year,
                        "note": dev.note, "cite": dev.cite, "row_ids": dev.row_ids, "overhead_syscall": o,
                        "overhead_bypass": ob, "overhead_fastest": fast, "share_ipc_year": share_year,
                        "what": dev.label if label == YEAR_DEVICES["network_kernel"] else "",
                        "matters": o is not None and o > threshold})
        for label, why in left.items():
            out.append({"year": s_sys.year, "label": label, "device_us": None, "low_us": None,
                        "high_us": None, "measured_year": None, "note": why, "cite": "", "row_ids": (),
                        "overhead_syscall": None, "overhead_bypass": None, "overhead_fastest": None,
                        "share_ipc_year": None, "what": "", "matters": False})
    return out


def format_then_and_now(years=(THEN_YEAR, NOW_YEAR), threshold: float = DEFAULT_THRESHOLD) -> str:
    """:func:`then_and_now` as a text table, then the IPC and system call of each year."""
    rows = then_and_now(years, threshold)
    dagger = None
    lines = [f"{'year':<5} {'device (measured in)':<26} {'time':>24} {'vs syscall':>11} {'vs bypass':>10}"]
    for r in rows:
        if r["device_us"] is None:
            lines.extend(textwrap.wrap(f"{r['year']:<5} {r['label']:<26} none: {r['note']}", 110,
                                       subsequent_indent=" " * 33))
            continue
        t = format_us(r["device_us"])
        if r["low_us"] is not None and r["high_us"] is not None and r["low_us"] < r["high_us"]:
            t += f" ({format_us(r['low_us'])}–{format_us(r['high_us'])})"
        osys = ("n/a" if r["overhead_syscall"] is None else format_percent(r["overhead_syscall"])) \
            + ("*" if r["matters"] else " ")
        obyp = "—" if r["overhead_bypass"] is None else format_percent(r["overhead_bypass"])
        if r["share_ipc_year"] != r["year"] and r["overhead_bypass"] is not None:
            obyp += "†"
            dagger = r["share_ipc_year"]
        key = r["cite"].split(",")[0].split(";")[0].strip("[]")  # the citation key(s); the locator is in the row
        line = f"{r['year']:<5} {r['label']:<26} {t:>24} {osys:>11} {obyp:>10}  [{key}]"
        if r["overhead_fastest"] is not None:
            line += f"; fastest row: {format_percent(r['overhead_fastest'])} vs syscall"
        if r["what"]:
            line += f"; {r['what']}"
        lines.extend(textwrap.wrap(line, 110, subsequent_indent=" " * 33, break_on_hyphens=False))
    lines.append(f"(* above the {format_percent(threshold)} threshold; — kernel bypass has no row yet; "
                 "warm caches; a row stands for the years up to history.devices.DEVICE_WINDOW_YEARS after it)")
    if dagger is not None:
        lines.extend(textwrap.wrap(
            f"(n/a: a kernel-bypass access makes no system call; † IPC ÷ (IPC + device) with the IPC of "
            f"{dagger}, the year the row was measured (history.bypass_share), not of the table's year)", 110))
    for y in dict.fromkeys(int(y) for y in years):
        s = history.year_state(y, threshold)
        ipc, sc = s.machine["ipc_round_trip_us"], s.machine["syscall_us"]
        where = "derived from a ratio" if sc.derived else "of the same machine"
        lines.extend(textwrap.wrap(f"{s.year}: IPC {format_us(s.ipc_us)} ({ipc.note}); system call {where} "
                                   f"{format_us(s.syscall_us)} ({sc.note})", 110,
                                   subsequent_indent="      "))
    return "\n".join(lines)
