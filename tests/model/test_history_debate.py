"""The debate in full: Chen & Bershad 1993, Härtig et al. 1997, Maeda & Bershad 1992, Liedtke (issue 11, §3).

Expected values are written out from the sources' printed numbers: Chen & Bershad's Figure 3-1
bar labels (system share of cycles, Ultrix / Mach) and §3's "from one to three times"; Härtig et
al.'s abstract (L4Linux 5% below native Linux; MkLinux 5× co-located, 7× user-level); Maeda &
Bershad's Tables 1 and 3 (UDP round trips 4.8, 19.5 and 4.2 ms); the TS table's L4 Pentium row
(121 cycles one way at 166 MHz).
"""

from __future__ import annotations

import csv
import re

import pytest

from ipcmodel import workload
from ipcmodel.data import data_dir, load_bibliography
from ipcmodel.history import debate

# Chen & Bershad (1993), Figure 3-1, p. 7: system cycles as % of total, Ultrix then Mach
FIG_3_1 = {"sed": (39.6, 63.0), "egrep": (6.5, 14.4), "yacc": (7.4, 20.0), "gcc": (30.5, 57.1),
           "compress": (25.9, 43.5), "ab": (41.4, 62.7), "espresso": (3.4, 7.9), "lisp": (3.7, 4.1),
           "eqntott": (1.6, 2.0), "fpppp": (10.9, 9.9), "doduc": (2.2, 4.2), "liv": (6.6, 11.9),
           "tomcatv": (0.9, 1.0)}


def test_mcpi_row_is_cited_with_locator_trip_and_counter():
    with open(data_dir() / "history.csv", encoding="utf-8", newline="") as fh:
        (r,) = [r for r in csv.DictReader(fh) if r["id"] == "cb93-system-mcpi-ratio-mach-ultrix"]
    assert r["source"] == "ChenBershad93" and r["source"] in load_bibliography()
    assert r["locator"] == "§3, p. 6" and r["trip"] == "na" and r["counter"].strip()
    assert (float(r["value"]), float(r["value_high"])) == (1, 3) and "one to three times" in r["quote"]


def test_statements_cover_the_three_positions_and_resolve():
    keys = {s.key for s in debate.statements()}
    assert {"Bershad92", "ChenBershad93", "MaedaBershad92", "Haertig97", "Liedtke97"} <= keys
    assert keys <= set(load_bibliography())
    for s in debate.STATEMENTS:
        # at most one sentence per claim (AUTHORING rule): no sentence end followed by a new sentence
        assert s.locator and s.quote and not re.search(r"[.!?]\s+[A-Z]", s.quote), s
        assert s.position in debate.POSITIONS
    abstract = [s for s in debate.statements("companion") if s.locator.startswith("Abstract")]
    assert abstract and "more non-idle system instructions" in abstract[0].quote
    assert any("co-located" in s.quote for s in debate.statements("counter"))


def test_chen_bershad_structure_costs_not_ipc():
    c = debate.structure_not_location()["chen_bershad"]
    higher = sum(m > u for u, m in FIG_3_1.values())  # every workload but fpppp
    assert (c["workloads"], c["mach_system_share_higher"]) == (13, higher) == (13, 12)
    assert c["system_share_percent"] == FIG_3_1
    assert c["system_mcpi_ratio"] == (1, 3)
    # tied to the workload model: the IPC-only ceiling is ipcmodel.workload's, and below the slowdown
    assert (c["ipc_only_ceiling_s"], c["mach_slower_by_s"]) == workload.ceiling_totals()
    assert 0 < c["ipc_only_ceiling_s"] < c["mach_slower_by_s"]
    assert c["verdict_counts"] == workload.verdict_counts()


def test_haertig_implementation_not_location():
    hh = debate.structure_not_location()["haertig"]
    assert hh["penalties_percent"] == {"L4Linux (user-level Linux server on L4)": 5.0,
                                       "MkLinux, co-located in the kernel": 25.0,
                                       "MkLinux, user-level server": 35.0}  # 5 %, 5 × 5 %, 7 × 5 %
    assert hh["implementation_factor"] == 5
    assert hh["location_factor"] == pytest.approx(7 / 5, rel=1e-12)
    assert hh["implementation_factor"] > hh["location_factor"]


def test_maeda_bershad_structure_not_location():
    m = debate.structure_not_location()["maeda_bershad"]
    assert m["udp_round_trip_ms"] == {"kernel": 4.8, "unix_server": 19.5, "user_level": 4.2}
    assert m["structure_factor"] == pytest.approx(19.5 / 4.2, rel=1e-12)
    assert m["location_factor"] == pytest.approx(4.2 / 4.8, rel=1e-12)
    assert m["structure_factor"] > max(m["location_factor"], 1 / m["location_factor"])


def test_liedtke_l4_round_trip():
    li = debate.structure_not_location()["liedtke"]
    assert li["l4_round_trip_cycles"] == 2 * 121
    assert li["l4_round_trip_us"] == pytest.approx(2 * 121 / 166, rel=1e-12)
    assert li["row_ids"] == ("ts-l4-pentium-1997",)


def test_format_debate_cites_every_side():
    text = debate.format_debate()
    for key in ("Bershad92", "ChenBershad93", "MaedaBershad92", "Haertig97", "Liedtke97"):
        assert key in text
    assert "implementation, not location" in text and "structure, not location" in text
    with pytest.raises(ValueError, match="width"):
        debate.format_debate(width=5)
