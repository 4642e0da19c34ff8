"""Issue 11 §1: verdicts robust to the choice of rows.

The admission rule and the rows it admits (every new row cited, located, with its trip, counter and
ISA), measured rows before the fit for years that have them, and the sensitivity of every verdict:
computed (perturbed rows change it), each entry the verdict its rule gives under that choice, and no
verdict that changes when one admitted IPC row is added or removed unless it says ``mixed``.
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from ipcmodel import history as h
from ipcmodel.data import load_bibliography, load_facts
from ipcmodel.history.rules import CHOICE_DOES_NOT_APPLY, QUALITATIVE, RULES
from ipcmodel.history.sensitivity import DATA_CHOICES, NOT_APPLICABLE

REL = 1e-9

#: The rows issue 11 added: the L4Re x86 rows (counter 1, clocks unhalted) and the Raspberry Pi 4 EL1
#: row (L4Re, src/performance.rst at 30ed5076), and the seL4 page of 2023-04-24 (seL4perf23).
L4RE_X86 = ("n100", "i9-13900k", "xeon-8352s", "xeon-6248r")
NEW_IDS = ([f"l4re-ipc-inter-{k}" for k in (*L4RE_X86, "rpi4")] + [f"l4re-syscall-{k}" for k in (*L4RE_X86, "rpi4")]
           + [f"sel4perf23-call-{k}" for k in ("sabre-a9", "haswell", "skylake", "tx1-a57", "hifive-u54")])


def rows_by_id():
    return {r.id: r for r in h.history_rows()}


def by_id(preds):
    return {p.id: p for p in preds}


@pytest.fixture(scope="module")
def audit():
    return by_id(h.predictions())


# ------------------------------------------------------------------------------- the rows


def test_every_new_row_is_cited_located_and_labelled():
    rows, refs, facts = rows_by_id(), load_bibliography(), load_facts("history.csv")
    for rid in NEW_IDS:
        r = rows[rid]
        assert r.source in refs and r.locator, rid
        assert facts[rid].quote and len(facts[rid].quote.split()) <= 25, rid
        assert r.trip == ("one-way" if r.series == "ipc" else "na"), rid
        assert r.counter and r.isa and r.year, rid
        assert h.admission_problems(r) == [], rid


def test_every_kernel_crossing_row_meets_the_admission_rule():
    crossing = [r for r in h.history_rows() if r.series in ("ipc", "syscall")]
    assert len(crossing) >= 45
    for r in crossing:
        assert h.admission_problems(r) == [], (r.id, h.admission_problems(r))
    # the rule is checkable: a row without a counter, or a one-way IPC without its trip, is refused
    r = rows_by_id()["l4re-ipc-inter-xeon-6248r"]
    assert "counter not recorded" in h.admission_problems(dataclasses.replace(r, counter=""))
    assert any("trip" in p for p in h.admission_problems(dataclasses.replace(r, trip="na")))
    assert any("TSC" in p for p in h.admission_problems(dataclasses.replace(r, counter="counter 2 (TSC)")))


def test_l4re_x86_rows_take_the_core_clock_counter_from_their_quote():
    # footnote 1 of the L4Re page: counters 2 (TSC without halt) / 1 (clocks unhalted) / 0 (instructions);
    # the row is the middle value of the Inter (IPC) or Syscall cell quoted from the page.
    facts, rows = load_facts("history.csv"), rows_by_id()
    for key in L4RE_X86:
        cells = re.findall(r"(\d+)/(\d+)/(\d+)", facts[f"l4re-ipc-inter-{key}"].quote)
        intra, inter, sysc = cells
        assert rows[f"l4re-ipc-inter-{key}"].value == float(inter[1])
        assert rows[f"l4re-syscall-{key}"].value == float(sysc[1])
        assert "unhalted" in rows[f"l4re-ipc-inter-{key}"].counter
        assert rows[f"l4re-ipc-inter-{key}"].unit == "cycles" and rows[f"l4re-ipc-inter-{key}"].clock_mhz is None
    # the Xeon Gold 6248R: TSC and unhalted clocks agree, 1172 cycles one way
    assert re.search(r"1172/1172/613", facts["l4re-ipc-inter-xeon-6248r"].quote)


def test_sel4_rows_record_compiler_clock_and_date():
    rows = rows_by_id()
    bib = load_bibliography()["seL4perf23"].fields
    assert "2023-04-24" in bib["note"] and "00200a23" in bib["howpublished"]
    # the versions with other numbers are named with their compilers (591/599 and 891/830 for Haswell)
    assert "591/599" in bib["note"] and "gcc GNU 10.2.1" in bib["note"]
    for rid in NEW_IDS:
        if rid.startswith("sel4perf23-"):
            r = rows[rid]
            assert r.year == 2023 and r.clock_mhz and "gcc" in r.compiler, rid
    # seL4perf23, Haswell: IPC call 628 cycles one way at 3.4 GHz, so 2 x 628 / 3400 µs round trip
    assert h.round_trip_us(rows["sel4perf23-call-haswell"]).value == pytest.approx(2 * 628 / 3400, rel=REL)
    assert rows["sel4perf23-call-haswell"].compiler == "gcc GNU 8.4.0"


def test_isa_groups():
    rows = rows_by_id()
    assert h.isa_group(rows["l4re-ipc-inter-n100"]) == "x86"
    assert h.isa_group(rows["l4re-ipc-inter-rpi4"]) == "Arm"
    assert h.isa_group(rows["sel4perf23-call-hifive-u54"]) == "other"  # RISC-V
    assert h.isa_group(rows["b92-rpc-ds5000"]) == "other"  # MIPS (facts.csv)
    x86 = h.isa_rows("x86")
    assert not any(r.series == "ipc" and r.file == "history.csv" and r.isa != "x86" for r in x86)
    assert "b92-rpc-ds5000" in {r.id for r in x86}  # the paper's own rows stay: they are the "then"
    assert {r.id for r in x86 if r.series == "network"} == {r.id for r in h.history_rows("network")}


# ------------------------------------------------------------------------------- measured before fit


def test_a_year_with_rows_is_measured_with_its_spread_and_the_fit_is_flagged():
    e24 = h.estimate_for_year("ipc_round_trip_us", 2024)
    assert e24.basis == "measured" and not e24.fit and e24.low <= e24.value <= e24.high
    c24 = h.ipc_cycles_estimate(2024)
    # within a year of 2024: the five seL4perf23 rows (2023) and the eight L4Re rows (2025), one-way x 2;
    # sorted round trips 634 762 768 798 808 944 1256 1382 1404 2256 2344 2480 2776: median 1256
    assert c24.n_rows == 13 and c24.value == pytest.approx(1256)
    assert (c24.low, c24.high) == (pytest.approx(2 * 317), pytest.approx(2 * 1388))
    # the 2024 fit lies below most of the rows it is fitted to; the model no longer uses it for 2024
    fit24 = h.ipc_cycles_estimate(2024, method="fit")
    assert fit24.fit and fit24.value < c24.value
    # a year without rows within ±1 year uses the fit and says so
    e20 = h.estimate_for_year("ipc_round_trip_us", 2020)
    assert e20.fit and e20.basis in ("fitted", "extrapolated") and e20.low is None and e20.n_rows == 0
    # 1992 stays the paper's DECstation 5000/200 (57 µs), with the spread of the 1991-1993 rows
    e92 = h.estimate_for_year("ipc_round_trip_us", 1992)
    assert e92.value == pytest.approx(57) and e92.low <= 57 <= e92.high and e92.n_rows >= 2
    with pytest.raises(ValueError, match="method"):
        h.estimate_for_year("ipc_round_trip_us", 2024, method="guess")


# ------------------------------------------------------------------------------- the data choices


def test_cold_rows_add_one_miss_per_line_of_the_ipc_path():
    cold = {r.id: r for r in h.cold_rows()}
    # DECstation 5000/200 (1992, round trip, 25 MHz): 6144 / 16 = 384 lines x its 15-cycle penalty
    # = 5760 cycles = 230.4 µs on top of 57 µs (ChenBershad93, Bershad92 §3)
    assert cold["b92-rpc-ds5000"].value == pytest.approx(57 + 384 * 15 / 25, rel=REL)
    assert cold["b92-rpc-ds5000"].cache == "cold"
    # Raspberry Pi 5 (2025, one-way cycles): 6144 / 64 = 96 lines x the 2025 miss penalty, halved
    mp = h.estimate_for_year("miss_penalty_cycles", 2025).value
    assert cold["l4re-ipc-inter-rpi5"].value == pytest.approx(384 + 96 * mp / 2, rel=REL)
    assert cold["l4re-syscall-rpi5"].value == 138  # only IPC rows are made cold
    # each 1992 machine is charged its own cited penalty: the DECstation 3100 (16.67 MHz) its 5
    # cycles (Bershad, Draves & Forin 1992), not the DECstation 5000/200's 15
    assert cold["bdf92-rpc-ds3100"].value == pytest.approx(95 + 384 * 5 / 16.67, rel=REL)
    # a machine of the paper's years without a cited penalty (the DECstation 2100, the MicroVAX-III)
    # is left out of the cold choice, not charged another machine's
    assert "mb92-rpc-part" not in cold and "b92-rpc-cvax-1992" not in cold


def test_every_prediction_has_a_sensitivity_list(audit):
    for p in audit.values():
        assert p.sensitivity, p.id
        assert all(e.verdict in (*h.VERDICTS, NOT_APPLICABLE) for e in p.sensitivity), p.id
    numeric = [p for p in audit.values() if p.sensitivity[0].choice == DATA_CHOICES[0]]
    assert len(numeric) == len(RULES) - len(QUALITATIVE)
    for p in numeric:
        assert [e.choice for e in p.sensitivity] == [c.name for c in h.data_choices()] + [DATA_CHOICES[6]]
    for pid in ("shared-buffers-bypass-kernel", "ipc-becomes-irrelevant"):
        (e,) = audit[pid].sensitivity
        assert e.choice == "any data choice" and "reads no" in e.figure


def test_each_entry_is_the_rules_verdict_under_that_choice(audit):
    rules = {rule(None).id: rule for rule in RULES}
    for p in audit.values():
        if p.sensitivity[0].choice != DATA_CHOICES[0]:
            continue
        rule = rules[p.id]
        for choice, entry in zip(h.data_choices(), p.sensitivity, strict=False):
            assert entry.choice == choice.name
            if (rule, choice.name) in CHOICE_DOES_NOT_APPLY:
                assert entry.verdict == NOT_APPLICABLE
                if entry.figure.startswith("does not apply"):  # it truly cannot change the rule
                    assert rule(choice.rows, choice.method).figure == p.sensitivity[0].figure, (p.id, choice.name)
                continue
            got = rule(choice.rows, choice.method)
            if choice.name == DATA_CHOICES[4] and got.verdict not in (p.rule_verdict, NOT_APPLICABLE):
                # the cold bound disagrees: shown with its verdict, not counted (critic C4 H4)
                assert entry.verdict == NOT_APPLICABLE and entry.figure.startswith(got.figure), p.id
                assert f"({got.verdict} under a bound of ours" in entry.figure, p.id
                continue
            assert (entry.verdict, entry.figure) == (got.verdict, got.figure), (p.id, choice.name)
        loo = p.sensitivity[-1]
        if (rule, DATA_CHOICES[6]) in CHOICE_DOES_NOT_APPLY:  # the rule reads no IPC row
            assert loo.verdict == NOT_APPLICABLE and loo.figure.startswith("does not apply"), p.id
            assert all(rule(sub).figure == p.figure for _, sub in h.leave_one_out()), p.id
            continue
        verdicts = {rule(sub).verdict for _, sub in h.leave_one_out()} - {NOT_APPLICABLE}
        assert loo.verdict == (verdicts.pop() if len(verdicts) == 1 else "mixed"), p.id


def test_printed_verdict_is_held_only_when_every_choice_agrees(audit):
    for p in audit.values():
        counted = {e.verdict for e in p.sensitivity if e.verdict != NOT_APPLICABLE}
        if len(counted) == 1 and p.rule_verdict == next(iter(counted)):
            assert p.verdict == p.rule_verdict, p.id
        else:
            assert p.verdict == "mixed", p.id
        if len(counted) > 1:  # the reason names the choices that differ
            assert "Mixed across data choices" in p.reasoning
            for e in p.sensitivity:
                if e.verdict not in (p.rule_verdict, NOT_APPLICABLE):
                    assert e.choice in p.reasoning, (p.id, e.choice)


def test_syscall_verdict_is_mixed_and_the_families_split_the_ratio(audit):
    p = audit["syscalls-not-the-solution"]
    entries = {e.choice: e for e in p.sensitivity}
    # 1992: median of 497/60, 57/8, 140/30 = 7.1; x86 2025: median of the four L4Re x86 pairs
    # 2 x 1388/188 = 14.8, 2 x 1240/158 = 15.7, 2 x 1128/160 = 14.1, 2 x 1172/146 = 16.1 -> 15.2,
    # more than 2x 1992's ratio; Arm 5.6, within it
    x86_ratio = (2 * 1388 / 188 + 2 * 1240 / 158) / 2
    assert f"→{x86_ratio:.1f}" in entries["x86 rows only"].figure and x86_ratio > 2 * 7.1
    assert "→5.6" in entries["Arm rows only"].figure
    # the gap is set against the fastest device reached through a kernel (critic C4 H5: a kernel-bypass
    # access makes no system call), the Optane SSD's 8.9 µs [AnandOptane17]. The L4Re rows state no
    # clock: at Scott's 3000 MHz ±50% (critic C3 M1) the x86 gap (0.75 µs: 0.5–1.5) lands on both
    # sides of 0.89 µs (mixed), the Arm gap (0.29 µs: 0.19–0.58) below it, and the Arm ratio passes
    # the 2x test: held. The reasoning names the clock the all-machine test would need: the median
    # gap of 1624 cycles under 0.89 µs needs 1624 / 0.89 = 1825 MHz.
    assert entries["x86 rows only"].verdict == "mixed" and entries["Arm rows only"].verdict == "held"
    assert p.verdict == "mixed" and "by ISA x86 15.2; Arm 5.6" in p.reasoning
    assert f"at least {1624 / 0.89:.0f} MHz, which no row states" in p.reasoning and "vs 8.9 µs" in p.reasoning


def test_sensitivity_is_computed_not_typed():
    rows = h.history_rows()
    base = by_id(h.predictions(rows))["syscalls-not-the-solution"]
    # halve every post-paper x86 IPC row: the x86 entry (and only entries reading x86 rows) change
    halved = [dataclasses.replace(r, value=r.value / 2) if r.series == "ipc" and r.isa == "x86"
              and r.file == "history.csv" else r for r in rows]
    new = by_id(h.predictions(halved))["syscalls-not-the-solution"]
    old_e, new_e = ({e.choice: e for e in p.sensitivity} for p in (base, new))
    assert new_e["x86 rows only"].figure != old_e["x86 rows only"].figure
    assert new_e["Arm rows only"] == old_e["Arm rows only"]
    # a perturbation of the Arm rows moves the Arm entry of the IPC-trend rule
    heavy_arm = [dataclasses.replace(r, value=r.value * 40) if r.series == "ipc" and r.isa == "Arm"
                 and r.file == "history.csv" else r for r in rows]
    a = {e.choice: e for e in by_id(h.predictions(rows))["ipc-tracks-processor"].sensitivity}
    b = {e.choice: e for e in by_id(h.predictions(heavy_arm))["ipc-tracks-processor"].sensitivity}
    assert a["Arm rows only"].figure != b["Arm rows only"].figure
    assert b["Arm rows only"].verdict == "did-not-hold"  # 40x the cycles: not tracking the processor


@pytest.mark.slow  # about 10 s: the audit with its sensitivity once per IPC row
def test_no_verdict_flips_when_one_admitted_ipc_row_is_added_or_removed(audit):
    # Removing row r from the shipped rows, or adding it back to the rows without it: either the two
    # verdicts agree, or one of them is "mixed".
    rows = h.history_rows()
    ipc = [r for r in rows if r.series == "ipc"]
    assert len(ipc) >= 30  # 6 Mach rows (facts.csv), 12 TS, 8 L4Re, 5 seL4perf23
    for r in ipc:
        without = by_id(h.predictions([x for x in rows if x is not r]))
        for pid, p in audit.items():
            v0, v1 = p.verdict, without[pid].verdict
            assert v0 == v1 or "mixed" in (v0, v1), (r.id, pid, v0, v1)


def test_json_and_table_carry_the_sensitivity():
    out = json.loads(h.predictions_json())
    assert all(o["sensitivity"] and {"choice", "figure", "verdict"} == set(o["sensitivity"][0]) for o in out)
    from ipcmodel.history.cli import report

    text = report()
    assert text.count("sensitivity: ") == len(out)
    # ipc-tracks-processor: held under every choice but the cold cache (the line of each prediction)
    assert "sensitivity: all held · x86 held · Arm held" in text and "cold mixed" in text
