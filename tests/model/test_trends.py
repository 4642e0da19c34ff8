"""§2 / §2.1 helpers."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcmodel import trends


def test_scaled_time_on_and_off_the_processor_curve():
    # IPC fully on the processor curve: 497 µs on a 10x faster processor -> 49.7 µs
    assert trends.scaled_time_us(497, 10, 1.0) == pytest.approx(49.7)
    # a disk seek does not move at all
    assert trends.scaled_time_us(20_000, 10, 0.0) == pytest.approx(20_000)
    # half and half: 100 -> 50 + 5
    assert trends.scaled_time_us(100, 10, 0.5) == pytest.approx(55)


@given(t=st.floats(0.01, 1e6), s=st.floats(1, 1e3), p1=st.floats(0, 1), p2=st.floats(0, 1))
def test_more_processor_share_means_faster(t, s, p1, p2):
    lo, hi = sorted((p1, p2))
    assert trends.scaled_time_us(t, s, hi) <= trends.scaled_time_us(t, s, lo) * (1 + 1e-12)


def test_share_of_access():
    # DS5000/200 extra 49 µs against a 20 ms disk access
    assert trends.ipc_share_of_access(57, 8, 20_000) == pytest.approx(49 / 20_000)


def test_syscall_vs_ipc_repr():
    r = repr(trends.syscall_vs_ipc(57, 8))
    assert "7.12" in r and "49" in r


@pytest.mark.parametrize("call", [
    lambda: trends.speedup(0, 5),
    lambda: trends.speedup(5, math.nan),
    lambda: trends.annual_rate(750, 497, 0),
    lambda: trends.scaled_time_us(10, 2, 1.5),
    lambda: trends.syscall_vs_ipc(-1, 8),
])
def test_bad_input(call):
    with pytest.raises(ValueError, match=r"\((µs|ratio|years|fraction|any unit|same unit as old_value)\)"):
        call()


def test_ethernet_wire_time_is_bits_over_rate():
    # 512 bytes at 10 Mb/s (10 bits per µs): 4096 bits -> 409.6 µs; 1500 B at 100 Mb/s -> 120 µs
    assert trends.ethernet_wire_us(512, 10) == pytest.approx(409.6, rel=1e-12)
    assert trends.ethernet_wire_us(1500, 100) == pytest.approx(120.0, rel=1e-12)


# §2 — 497 µs on the CVax, 57 µs on the DS5000/200 "rated at roughly ten times" the CVax
def test_processor_share_inverts_scaled_time():
    p = trends.processor_share_from_times(497, 57, 10)
    assert p == pytest.approx((1 - 57 / 497) / 0.9, rel=1e-12)  # 0.9837
    assert trends.scaled_time_us(497, 10, p) == pytest.approx(57, rel=1e-12)
    # a time that improved exactly with the processor has share 1; one that did not move, 0
    assert trends.processor_share_from_times(100, 10, 10) == pytest.approx(1.0, rel=1e-12)
    assert trends.processor_share_from_times(100, 100, 10) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("call, name", [
    (lambda: trends.ethernet_wire_us(-1, 10), "message_bytes"),
    (lambda: trends.ethernet_wire_us(10, 0), "rate_mbit_per_s"),
    (lambda: trends.processor_share_from_times(100, 50, 1), "speedup_factor"),
    (lambda: trends.processor_share_from_times(math.nan, 50, 2), "old_us"),
])
def test_moved_helpers_reject_bad_input_by_name(call, name):
    with pytest.raises(ValueError, match=name):
        call()
