"""Multicore: cross-core vs same-core IPC as a model input (issue 11, §3).

Expected values come from the core-to-core README's printed medians (one-way, ns), written out
here: Xeon Platinum 8375C 51 (one socket), 108 (two sockets), 8.1 (two hyper-threads of one
core); Core i7-6700K 20 and 6.9.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

from ipcmodel import service
from ipcmodel.data import data_dir, load_bibliography
from ipcmodel.explorers.service import regime_map_explorer
from ipcmodel.history import multicore as mc

C2C = {"c2c22-xeon8375c-cores": 51, "c2c22-xeon8375c-sockets": 108, "c2c22-xeon8375c-smt": 8.1,
       "c2c22-i7-6700k-cores": 20, "c2c22-i7-6700k-smt": 6.9}


def raw_rows():
    with open(data_dir() / "history.csv", encoding="utf-8", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


@pytest.mark.parametrize("rid", C2C)
def test_core_to_core_rows_are_cited_one_way_with_counter(rid):
    r = raw_rows()[rid]
    assert r["source"] in load_bibliography() and "README.md" in r["locator"]
    assert r["trip"] == "one-way" and r["unit"] == "ns" and float(r["value"]) == C2C[rid]
    assert r["counter"].strip() and r["isa"] == "x86"
    assert f"{float(r['clock_mhz']) / 1000:.2f}GHz" in r["quote"]  # the clock the source prints
    assert len(r["quote"].split()) <= 25


def test_cited_ratios_are_several_times():
    got = {(x["cpu"], x["far"]): x["ratio"] for x in mc.core_to_core_ratios()}
    assert got[("xeon8375c", "cores")] == pytest.approx(51 / 8.1, rel=1e-12)
    assert got[("xeon8375c", "sockets")] == pytest.approx(108 / 8.1, rel=1e-12)
    assert got[("i7-6700k", "cores")] == pytest.approx(20 / 6.9, rel=1e-12)
    assert min(got.values()) > 2


def test_added_time_is_two_one_way_transfers():
    assert mc.cross_core_added_us("same-core") == 0.0
    assert mc.cross_core_added_us("cross-core") == pytest.approx(2 * 0.051, rel=1e-12)
    assert mc.cross_core_added_us("cross-socket") == pytest.approx(2 * 0.108, rel=1e-12)
    assert mc.cross_core_added_us("cross-core", "i7-6700k") == pytest.approx(2 * 0.020, rel=1e-12)
    with pytest.raises(ValueError, match="placement"):  # no cross-socket row for the desktop CPU
        mc.cross_core_added_us("cross-socket", "i7-6700k")


def test_effect_is_negligible_in_1992_and_not_today():
    old, new = mc.cross_core_effect(1992), mc.cross_core_effect(2024)
    # 1992: the DECstation 5000/200's 57 µs RPC (§2) + 0.102 µs
    assert old["ipc_same_core_us"] == 57.0
    assert old["ratio"] == pytest.approx((57 + 0.102) / 57, rel=1e-12)
    assert old["ratio"] - 1 < 0.01
    ipc = new["ipc_same_core_us"]
    assert new["ratio"] == pytest.approx((ipc + 0.102) / ipc, rel=1e-12)
    assert new["ratio"] - 1 > 10 * (old["ratio"] - 1)  # a sub-µs IPC feels the fixed cost
    assert new["break_even_cross_us"] == pytest.approx(
        float(service.break_even_service_us(ipc + 0.102, new["syscall_us"], 0.05)), rel=1e-12)
    assert new["break_even_cross_us"] > new["break_even_same_us"]
    assert "c2c22-xeon8375c-cores" in new["row_ids"] and "floor" in new["note"]


def test_regime_map_ipc_placement_choice_and_reading():
    e = regime_map_explorer()
    try:
        menu = e.choices["ipc_placement"]
        assert menu.value == 0.0 and [v for _, v in menu.options] == [v for _, v in mc.placement_options()]
        same = e.reading()
        assert "across cores" not in same
        menu.value = mc.cross_core_added_us("cross-core")
        v, p = e.model_inputs(), e.plotted()
        xg, yg = np.logspace(-1, 3, 81), np.logspace(-1, 6, 71)
        want = service.ipc_overhead_fraction(xg[None, :] + 0.102, v["syscall_us"], yg[:, None])
        np.testing.assert_allclose(p["overhead_map"], want, rtol=1e-12)
        be0 = service.break_even_service_us(v["ipc_us"], v["syscall_us"], v["threshold"])
        be1 = service.break_even_service_us(v["ipc_us"] + 0.102, v["syscall_us"], v["threshold"])
        assert p["break_even_us"] == pytest.approx(be1, rel=1e-12) and be1 > be0
        text = e.reading()
        assert "across cores" in text and "0.102 µs more" in text and "break-even" in text
        e.set(ipc_us=0.4, syscall_us=0.05)
        assert "26% of your 0.4 µs IPC" in e.reading()  # 0.102 / 0.4 = 25.5%
    finally:
        e.close()


def test_probe_ratio_reads_the_net_times():
    from types import SimpleNamespace as M

    run = {"pipe_round_trip": M(net_us=4.0), "pipe_round_trip_cross_cpu": M(net_us=18.0)}
    got = mc.probe_ratio(run)
    assert (got["same_us"], got["cross_us"], got["ratio"]) == (4.0, 18.0, 4.5)
    assert "not a cited row" in got["note"]
    assert mc.probe_ratio({"pipe_round_trip": M(net_us=4.0)}) is None  # one CPU: no cross-CPU run
    assert mc.probe_ratio({"pipe_round_trip": M(net_us=0.0), "pipe_round_trip_cross_cpu": M(net_us=9.0)}) is None


@pytest.mark.parametrize("call, word", [
    (lambda: mc.cross_core_added_us("moon"), "placement"),
    (lambda: mc.cross_core_added_us("same-core", "z80"), "cpu"),
    (lambda: mc.cross_core_effect(1900), "year"),
    (lambda: mc.cross_core_effect(2024, threshold=0), "threshold"),
])
def test_bad_input_names_the_parameter(call, word):
    with pytest.raises(ValueError, match=word):
        call()


def test_a_cross_core_figure_of_another_year_names_the_rows_machine_and_year():
    # C2Clatency22: the Xeon Platinum 8375C rows were measured in 2022; a 2005 figure priced with them
    # is a what-if with a later processor's fabric, and says so.
    old = mc.cross_core_effect(2005)
    assert old["c2c_year"] == 2022 and old["c2c_other_year"] is True
    assert "Xeon Platinum 8375C, measured in 2022" in old["note"] and "not a 2005 processor" in old["note"]
    same = mc.cross_core_effect(2022)
    assert same["c2c_other_year"] is False and "not a 2022 processor" not in same["note"]
    none = mc.cross_core_effect(2005, "same-core")
    assert none["c2c_year"] is None and none["c2c_other_year"] is False
