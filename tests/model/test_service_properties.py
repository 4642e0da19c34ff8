"""Properties of the per-access model with crossings per use and both localities (issue 10).

§3's point: the service's own misses are paid by both designs, so when they grow with the miss
penalty the share IPC adds *falls*; the IPC path's misses (per crossing, the microkernel's alone)
are the objection §3 answers, and they make it rise. One use is rarely one crossing: the added
time is linear in the crossings. Tolerances: 1e-12 relative for identities, strict inequalities
for monotonicity (each step of the penalty is at least 1 cycle, so the change is far above
rounding).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcmodel import service, workload

_us = st.floats(0.1, 1e5)
_cross = st.floats(0.25, 16.0)
_lines = st.floats(1.0, 4096.0)
_clock = st.floats(1.0, 5000.0)


@settings(max_examples=150, deadline=None)
@given(ipc=_us, sc=_us, dev=_us, lines=_lines, clock=_clock, c=_cross,
       p=st.floats(1.0, 1000.0), dp=st.floats(1.0, 1000.0))
def test_service_misses_lower_the_overhead_as_the_penalty_grows(ipc, sc, dev, lines, clock, c, p, dp):
    """§3: with only the service's own misses on (both designs pay them), a larger penalty
    lowers the overhead fraction (or leaves it at 0 when IPC is no slower)."""
    def frac(pen):
        loc = service.locality_us(lines, 1.0, pen, clock)
        return service.ipc_overhead_fraction(ipc, sc, dev, loc, 0.0, c)
    lo, hi = frac(p), frac(p + dp)
    if ipc > sc * (1 + 1e-9):   # a gap below float rounding (e.g. 0.1 + 2e-17 vs 0.1) reads as none
        assert hi < lo
    elif ipc <= sc:
        assert lo == hi == 0.0
    else:
        assert hi <= lo < 1e-8


@settings(max_examples=150, deadline=None)
@given(ipc=_us, sc=_us, dev=_us, lines=_lines, clock=_clock, c=_cross,
       p=st.floats(1.0, 1000.0), dp=st.floats(1.0, 1000.0))
def test_ipc_path_misses_raise_it(ipc, sc, dev, lines, clock, c, p, dp):
    """The objection §3 answers: misses on the IPC path alone make the overhead grow."""
    def frac(pen):
        ipl = service.locality_us(lines, 1.0, pen, clock)
        return service.ipc_overhead_fraction(ipc, sc, dev, 0.0, ipl, c)
    assert frac(p + dp) >= frac(p)
    if ipc + service.locality_us(lines, 1.0, p, clock) > sc:
        assert frac(p + dp) > frac(p)


@settings(max_examples=150, deadline=None)
@given(ipc=_us, sc=_us, dev=_us, loc=_us, ipl=_us, c=_cross, k=st.floats(1.5, 8.0))
def test_added_time_is_linear_in_crossings(ipc, sc, dev, loc, ipl, c, k):
    """t_micro - t_mono = c (ipc + ipl - sc): recovered from the overhead fraction."""
    def added(cc):
        f = service.ipc_overhead_fraction(ipc, sc, dev, loc, ipl, cc)
        micro = cc * (ipc + ipl) + loc + dev   # the docstring's sum, written out here
        return f * micro
    if ipc + ipl > sc:
        assert added(k * c) == pytest.approx(k * added(c), rel=1e-9)
        assert added(c) == pytest.approx(c * (ipc + ipl - sc), rel=1e-9)


@settings(max_examples=150, deadline=None)
@given(ipc=_us, sc=_us, dev=_us, loc=_us, ipl=_us, c=_cross, uses=st.floats(0.0, 1e6),
       out=st.floats(0.0, 1e9))
def test_workload_share_in_unit_interval_and_one_use_is_one_access(ipc, sc, dev, loc, ipl, c, uses, out):
    share = workload.microkernel_share(out, uses, dev, sc, ipc, c, loc, ipl)
    assert 0.0 <= share <= 1.0
    one = workload.microkernel_share(0.0, 1.0, dev, sc, ipc, c, loc, ipl)
    assert one == pytest.approx(service.ipc_overhead_fraction(ipc, sc, dev, loc, ipl, c), rel=1e-12, abs=1e-15)


def test_break_even_and_max_ipc_invert_the_fraction_with_crossings():
    """The closed forms agree with the fraction they invert at c = 1/3, 1 and 6 (relative 1e-9)."""
    for c in (1 / 3, 1.0, 6.0):
        s = service.break_even_service_us(57, 8, 0.05, 30.0, 20.0, c)
        assert service.ipc_overhead_fraction(57, 8, s, 30.0, 20.0, c) == pytest.approx(0.05, rel=1e-9)
        ipc = service.max_ipc_us(8, 10_000, 0.05, 30.0, 20.0, c)
        assert service.ipc_overhead_fraction(ipc, 8, 10_000, 30.0, 20.0, c) == pytest.approx(0.05, rel=1e-9)


def test_udp_round_trip_reproduces_maeda_bershad():
    """Maeda & Bershad 1992 §2.2: 4 × (490 - 60) + 2 × (200 + 300) µs added per UDP round trip,
    the numbers as printed there; the model's eight crossings (4 sockets, and a driver write and a receive per packet) at
    the case's mean costs add the same."""
    from ipcmodel import paper

    (udp,) = [c for c in paper.crossing_cases() if "UDP" in c.name]
    expected = 4 * (490 - 60) + 2 * (200 + 300)
    f = service.ipc_overhead_fraction(udp.ipc_us, udp.syscall_us, udp.service_us, 0.0, 0.0,
                                      udp.crossings_per_use)
    micro = udp.crossings_per_use * udp.ipc_us + udp.service_us
    assert f * micro == pytest.approx(expected, rel=1e-12)
    assert udp.crossings_per_use == 4 + 2 * 2
    # the monolithic time is the in-kernel round trip, 4.8 ms (Table 1)
    assert udp.crossings_per_use * udp.syscall_us + udp.service_us == pytest.approx(4800, rel=1e-12)


def test_crossings_out_of_range_are_named():
    for bad in (0.0, -1.0, 1e4, np.nan):
        with pytest.raises(ValueError, match=r"crossings_per_use \(crossings per use\)"):
            service.ipc_overhead_fraction(57, 8, 100, crossings_per_use=bad)


# ---- the microkernel's service misses, k × the monolithic kernel's (critic H2; Chen & Bershad
# 1993, §3: Mach's memory penalty per system instruction is one to three times Ultrix's) ---------

@settings(max_examples=200, deadline=None)
@given(ipc=_us, sc=_us, dev=_us, lines=_lines, clock=_clock, c=_cross, k=st.floats(1.0, 10.0),
       p=st.floats(1.0, 1000.0), dp=st.floats(1.0, 1000.0))
def test_with_more_microkernel_service_misses_the_share_can_rise(ipc, sc, dev, lines, clock, c, k, p, dp):
    """Only the service's own misses on (IPC path warm): L = lines × P / clock, and
    overhead = (c (ipc - sc) + (k - 1) L) / (c ipc + k L + dev). Its derivative in L has the sign
    of (k - 1)(c ipc + dev) - k c (ipc - sc), whatever L: that sign says whether a longer miss
    penalty raises the share (k > 1 and a slow enough service) or lowers it (k = 1: always)."""
    def frac(pen):
        loc = service.locality_us(lines, 1.0, pen, clock)
        return service.ipc_overhead_fraction(ipc, sc, dev, loc, 0.0, c, k)
    lo, hi = frac(p), frac(p + dp)
    sign = (k - 1) * (c * ipc + dev) - k * c * (ipc - sc)
    scale = k * (c * ipc + dev) + k * c * sc
    if sign > 1e-9 * scale:
        assert hi >= lo
        if lo > 0:
            assert hi > lo
    elif sign < -1e-9 * scale:   # then ipc > sc, and the microkernel is slower for every L
        assert hi < lo


def test_factor_one_falls_and_factor_three_rises_on_the_udp_round_trip():
    """The paper's case against the objection, by hand: DS5000/200 (57 µs RPC, 8 µs system call,
    25 MHz; §2, §2.1), a 4.8 ms service (Maeda & Bershad 1992, Table 1) and a service of 384 lines
    that all miss. k = 1: (57 - 8) / (57 + L + 4800) falls as L grows; k = 3:
    (49 + 2L) / (57 + 3L + 4800) rises (towards 2/3). L = 384 × P / 25 µs."""
    def by_hand(k, pen):
        loc = 384 * pen / 25
        return (49 + (k - 1) * loc) / (57 + k * loc + 4800)
    for k in (1.0, 3.0):
        got = [service.ipc_overhead_fraction(57, 8, 4800, service.locality_us(384, 1.0, pen, 25),
                                             micro_service_locality_factor=k)
               for pen in (15, 100, 1000)]
        assert got == pytest.approx([by_hand(k, pen) for pen in (15, 100, 1000)], rel=1e-12)
        assert (got[0] > got[1] > got[2]) if k == 1 else (got[0] < got[1] < got[2])
    assert by_hand(3, 15) == pytest.approx(509.8 / 5548.2, rel=1e-12)   # 9.19 %


@pytest.mark.parametrize("k", [1.5, 3.0, 10.0])
def test_share_tends_to_k_minus_one_over_k(k):
    """With a huge service miss time the overhead tends to (k - 1) / k, not to 0: at L = 1e8 µs
    it is (49 + (k - 1) L) / (4857 + k L), within 5e-5 of the limit."""
    f = service.ipc_overhead_fraction(57, 8, 4800, 1e8, micro_service_locality_factor=k)
    assert f == pytest.approx((49 + (k - 1) * 1e8) / (4857 + k * 1e8), rel=1e-12)
    assert abs(f - (k - 1) / k) < 5e-5


def test_break_even_and_max_ipc_invert_the_fraction_with_the_factor():
    """The closed forms agree with the fraction they invert (relative 1e-9) at k = 0.5, 1, 3."""
    for k in (0.5, 1.0, 3.0):
        for c in (1 / 3, 1.0, 6.0):
            s = service.break_even_service_us(57, 8, 0.05, 30.0, 20.0, c, k)
            if s > 0:
                assert service.ipc_overhead_fraction(57, 8, s, 30.0, 20.0, c, k) == pytest.approx(0.05, rel=1e-9)
            ipc = service.max_ipc_us(8, 10_000, 0.05, 30.0, 20.0, c, k)
            assert service.ipc_overhead_fraction(ipc, 8, 10_000, 30.0, 20.0, c, k) == pytest.approx(0.05, rel=1e-9)
