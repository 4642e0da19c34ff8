"""The machine of a year and the IPC overhead it implies (ipcmodel.history.years; notebook 07).

Expected values are worked out here from the data rows (57 µs RPC and 8 µs system call on the
DECstation 5000/200, Bershad 1992 §2 and §2.1; the L4Re same-machine pair of 2025), not read back
from the code under test.
"""

import numpy as np
import pytest

from ipcmodel import history
from ipcmodel.data import fact
from ipcmodel.machines import machine

RTOL = 1e-12


def overhead(ipc, sc, dev, ipl=0.0):
    """(t_micro - t_mono) / t_micro, clipped at 0 (notebook 00's definition)."""
    micro, mono = ipc + ipl + dev, sc + dev
    return np.clip((micro - mono) / micro, 0.0, 1.0)


def path_lines(line_bytes):
    """§3: under 4 KB of instructions + under 2 KB of data, in whole lines."""
    kb = 1024
    return (np.ceil(fact("b92-ipc-path-instructions").value * kb / line_bytes)
            + np.ceil(fact("b92-ipc-path-data").value * kb / line_bytes))


def test_year_range_spans_the_rows():
    years = [r.year for r in history.history_rows()]
    assert history.year_range() == (min(years), max(years)) == (1989, max(years))
    assert max(years) >= 2024


@pytest.mark.parametrize("call, name", [
    (lambda: history.year_state(1900), "year"),
    (lambda: history.year_state("soon"), "year"),
    (lambda: history.year_state(1992, baseline="ether"), "baseline"),
    (lambda: history.year_state(1992, threshold=0.0), "threshold"),
    (lambda: history.year_state(1992, miss_fraction=2.0), "miss_fraction"),
    (lambda: history.bypass_share(2024, "tape_us"), "device_quantity"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# §2, §3: the 1992 map is the DECstation 5000/200 of notebook 02
def test_year_state_uses_the_ds5000_line_by_default():
    s = history.year_state(1992, miss_fraction=1.0)
    line = machine("ds5000").cache_line_bytes
    assert line == 16 and s.ipc_path_lines == path_lines(line) == 384  # as in notebook 02
    # the DECstation 5000/200: 15-cycle misses (ChenBershad93) at its own 25 MHz (Bershad92)
    assert s.clock_mhz == pytest.approx(25)
    assert s.ipc_path_locality_us == pytest.approx(384 * 15 / 25, rel=RTOL)
    assert (s.ipc_us, s.syscall_us) == (57, 8)
    # break-even at 5% with the cold path: d = 57 + 230.4 - 8; s = d / 0.05 - d - 8
    d = 57 + 384 * 15 / 25 - 8
    assert s.break_even_us == pytest.approx(d / 0.05 - d - 8, rel=1e-9)
    assert "SSD" in s.hidden and "SSD" not in s.devices  # no SSD row before 2017


def test_landscape_is_every_cited_device_at_the_years_ipc():
    rows = history.landscape(1992)
    assert [r["device_us"] for r in rows] == sorted(d[1] for d in history.device_options())
    # 1992: the DECstation 5000/200, 57 µs RPC and 8 µs system call on the same machine (Bershad92)
    shown = [r for r in rows if r["shown"]]
    assert {r["year"] for r in shown} == {1992}  # nothing measured later is compared backwards
    for r in shown:
        assert r["overhead"] == pytest.approx(overhead(57, 8, r["device_us"]), rel=RTOL)
        assert r["matters"] == (r["overhead"] > 0.05)
    (udp,) = [r for r in shown if r["device_us"] == pytest.approx(4800)]  # MaedaBershad92 Table 1
    assert udp["overhead"] == pytest.approx((57 - 8) / (57 + 4800), rel=RTOL)
    assert all(r["overhead"] is None for r in rows if not r["shown"])
    bypass = history.landscape(2024, baseline="bypass")
    ipc24 = history.machine_of_year(2024)["ipc_round_trip_us"].value
    assert bypass[0]["overhead"] == pytest.approx(ipc24 / (ipc24 + bypass[0]["device_us"]), rel=RTOL)
    # against a system call, 2024 uses the IPC ÷ the median of the eight L4Re same-machine ratios
    # (the middle two: 2 x 691 / 230 and 2 x 1128 / 160)
    sc24 = ipc24 / ((2 * 691 / 230 + 2 * 1128 / 160) / 2)
    vs_sc = history.landscape(2024)
    assert vs_sc[0]["overhead"] == pytest.approx(overhead(ipc24, sc24, vs_sc[0]["device_us"]), rel=1e-9)
    assert all(r["overhead"] > 0 for r in vs_sc)  # never "0%": the IPC is never cheaper than the syscall
    assert history.landscape(1992, baseline="bypass")[0]["shown"] is False  # no kernel bypass before 2019
    text = history.format_landscape()
    assert "1992 vs syscall" in text and "2024 vs bypass" in text and "eRPC" in text and "4.8 ms" in text


def test_bypass_share_is_the_ipcs_share_of_the_access():
    for year in (2019, 2024):
        ipc = history.estimate_for_year("ipc_round_trip_us", year).value
        dev = history.estimate_for_year("network_us", 2019).value  # eRPC, measured in 2019
        assert history.bypass_share(year, "network_us", 2019) == pytest.approx(ipc / (ipc + dev), rel=RTOL)
    # the device year defaults to the IPC's year
    assert history.bypass_share(2019) == history.bypass_share(2019, "network_us", 2019)


# ---- crossings per use and the service's own misses (issue 10) ----------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: history.year_state(1992, crossings_per_use=0.0), "crossings_per_use"),
    (lambda: history.year_state(1992, service_lines=-1.0), "service_lines"),
    (lambda: history.year_state(1992, service_miss_fraction=1.5), "service_miss_fraction"),
])
def test_bad_locality_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_one_crossing_and_a_resident_service_are_the_papers_map():
    for year in (1992, 2024):
        old, new = history.year_state(year), history.year_state(year, crossings_per_use=1.0,
                                                                service_lines=384.0)
        assert new.break_even_us == old.break_even_us and new.devices == old.devices
        assert (new.crossings_per_use, new.service_locality_us) == (1.0, 0.0)
    assert history.landscape(1992, crossings_per_use=1.0) == history.landscape(1992)


def test_crossings_and_service_misses_by_hand():
    # 1992: 57 µs RPC and 8 µs system call (Bershad92 §2, §2.1); 15-cycle misses at 25 MHz
    # (ChenBershad93); half of a 384-line service missing, paid by both designs (§3)
    c, loc = 6.0, 0.5 * 384 * 15 / 25
    s = history.year_state(1992, crossings_per_use=c, service_lines=384.0, service_miss_fraction=0.5)
    assert s.service_locality_us == pytest.approx(loc, rel=RTOL)
    for _label, (dev, over, _est) in s.devices.items():
        micro, mono = c * 57 + loc + dev, c * 8 + loc + dev
        assert over == pytest.approx((micro - mono) / micro, rel=1e-9)
    d = c * (57 - 8)
    assert s.break_even_us == pytest.approx(d / 0.05 - d - c * 8 - loc, rel=1e-9)
    # the service's own misses lower the overhead (§3: paid by both); more crossings raise it
    base = history.year_state(1992, crossings_per_use=c)
    assert all(s.devices[k][1] < base.devices[k][1] for k in s.devices)
    one = history.year_state(1992)
    assert all(base.devices[k][1] > one.devices[k][1] for k in one.devices)


def test_landscape_at_crossings_equals_the_service_model():
    from ipcmodel import service

    for c in (1 / 3, 6.0):
        for r in history.landscape(1992, crossings_per_use=c):
            if r["shown"]:
                want = service.ipc_overhead_fraction(57, 8, r["device_us"], crossings_per_use=c)
                assert r["overhead"] == pytest.approx(float(want), rel=RTOL)


def test_ipc_ratio_is_the_ratio_of_the_year_states():
    # 07 §4 (critic C4 H1): the latest year's formula-clocked IPC against 2005's measured one;
    # the ratio is the two year states' IPCs, and it inverts
    latest = history.year_range()[1]
    a, b = history.year_state(latest).ipc_us, history.year_state(2005).ipc_us
    assert history.ipc_ratio(latest, 2005) == pytest.approx(a / b, rel=1e-12)
    assert history.ipc_ratio(latest, 2005) * history.ipc_ratio(2005, latest) == pytest.approx(1.0, rel=1e-12)
    assert history.ipc_ratio(1992, 1992) == 1.0
    # the latest year's IPC is cycles at Scott's formula clock: the year state says so
    assert "formula-clocked" in history.year_state(latest).machine["ipc_round_trip_us"].note
