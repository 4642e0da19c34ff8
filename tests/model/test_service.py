"""The core model: time to use a service, IPC overhead fraction, break-even solvers."""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ipcmodel import service

us = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)
frac = st.floats(min_value=0.001, max_value=0.9)


def test_service_time_is_the_sum_of_its_parts():
    assert service.service_time_us(57, 3, 1000) == pytest.approx(1060.0)


def test_locality_hand_value():
    # 384 lines, all missing, 15 cycles each, at 25 MHz: 384*15/25 = 230.4 µs
    assert service.locality_us(384, 1.0, 15, 25) == pytest.approx(230.4, rel=1e-12)


def test_overhead_hand_value_ds5000_disk():
    # DS5000/200: (57 - 8) / (57 + 10000) for a 10 ms service
    assert service.ipc_overhead_fraction(57, 8, 10_000) == pytest.approx(49 / 10_057, rel=1e-12)


def test_overhead_is_zero_when_ipc_is_not_slower():
    assert service.ipc_overhead_fraction(5, 8, 100) == 0.0


@given(ipc=us, sc=us, s1=us, s2=us)
def test_overhead_falls_as_device_latency_grows(ipc, sc, s1, s2):
    lo, hi = sorted((s1, s2))
    assert service.ipc_overhead_fraction(ipc, sc, hi) <= service.ipc_overhead_fraction(ipc, sc, lo) + 1e-15


@given(ipc=us, sc=us, s=us, loc=st.floats(0, 1e4), ipl=st.floats(0, 1e4))
def test_overhead_is_a_fraction(ipc, sc, s, loc, ipl):
    f = service.ipc_overhead_fraction(ipc, sc, s, loc, ipl)
    assert 0.0 <= f < 1.0


@given(ipc=us, sc=us, th=frac, ipl=st.floats(0, 1e3))
def test_break_even_service_really_gives_the_threshold(ipc, sc, th, ipl):
    s = service.break_even_service_us(ipc, sc, th, ipc_path_locality_us=ipl)
    f = service.ipc_overhead_fraction(ipc, sc, s, ipc_path_locality_us=ipl)
    assert f <= th * (1 + 1e-9) + 1e-12
    if s > 0:  # and it is the smallest such time: a little less exceeds the threshold
        assume(s > 1e-3)
        assert service.ipc_overhead_fraction(ipc, sc, s * (1 - 1e-6), ipc_path_locality_us=ipl) > th * (1 - 1e-9)


@given(sc=us, s=us, th=frac)
def test_max_ipc_really_gives_the_threshold(sc, s, th):
    ipc = service.max_ipc_us(sc, s, th)
    assert service.ipc_overhead_fraction(ipc, sc, s) == pytest.approx(th, rel=1e-6)


def test_break_even_matches_brute_force():
    # brute force over a fine log grid of service times, DS5000/200 inputs and a cold IPC path
    ipc, sc, ipl, th = 57.0, 8.0, 230.4, 0.05
    grid = np.logspace(-1, 7, 400_001)
    f = service.ipc_overhead_fraction(ipc, sc, grid, ipc_path_locality_us=ipl)
    brute = grid[np.argmax(f <= th)]
    closed = service.break_even_service_us(ipc, sc, th, ipc_path_locality_us=ipl)
    assert closed == pytest.approx(brute, rel=1e-4)  # grid step is 4.6e-5 relative


def test_max_ipc_matches_brute_force():
    sc, s, th = 8.0, 1000.0, 0.05
    grid = np.linspace(0, 500, 500_001)
    f = service.ipc_overhead_fraction(grid, sc, s)
    brute = grid[f <= th].max()
    assert service.max_ipc_us(sc, s, th) == pytest.approx(brute, abs=1e-3)  # grid step 1e-3 µs


def test_vectorised_over_arrays():
    s = np.array([10.0, 100.0, 1000.0])
    out = service.ipc_overhead_fraction(57, 8, s)
    assert out.shape == (3,) and np.all(np.diff(out) < 0)


@pytest.mark.parametrize("kwargs, message", [
    # the caller's parameter is named, never the internal one (issue 9: was "crossing_us")
    (dict(ipc_us=-1, syscall_us=8, service_us=10), r"ipc_us \(µs\) must be in \[0"),
    (dict(ipc_us=57, syscall_us=math.nan, service_us=10), r"syscall_us \(µs\) must be finite in \[0, 1e\+09\]"),
    (dict(ipc_us=57, syscall_us=8, service_us=math.inf), r"service_us \(µs\) must be finite"),
    (dict(ipc_us=np.ones(2), syscall_us=8, service_us=np.ones(3)), "do not broadcast"),
])
def test_bad_input_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        service.ipc_overhead_fraction(**kwargs)


@pytest.mark.parametrize("th", [0, 1, -0.1, 1.5, math.nan])
def test_threshold_range(th):
    with pytest.raises(ValueError, match=r"threshold \(fraction\) must be (finite )?in \(0, 1\)"):
        service.break_even_service_us(57, 8, th)


def test_locality_rejects_bad_fraction_and_clock():
    with pytest.raises(ValueError, match=r"miss_fraction \(fraction\)"):
        service.locality_us(10, 2, 15, 25)
    with pytest.raises(ValueError, match=r"clock_mhz \(MHz\) must be in \(0"):
        service.locality_us(10, 0.5, 15, 0)


def test_breakdown_terms_add_up():
    b = service.breakdown(57, 8, 1000, ipc_path_lines=384, miss_fraction=1, miss_penalty_cycles=15,
                          clock_mhz=25)
    assert b["microkernel_us"] == pytest.approx(57 + 230.4 + 1000)
    assert b["monolithic_us"] == pytest.approx(8 + 1000)
    with pytest.raises(ValueError, match="clock_mhz"):
        service.breakdown(57, 8, 1000, ipc_path_lines=10, miss_fraction=1, miss_penalty_cycles=15)


# ---- the microkernel's service misses as a multiple of the monolithic kernel's (critic H2) ------
# Chen & Bershad (1993, §3, p. 6): Mach's memory penalty per system instruction is one to three
# times Ultrix's. k = micro_service_locality_factor; every expected value below is worked by hand.

def test_factor_hand_value_overhead():
    # t_micro = 57 + 2 * 100 + 1000 = 1257, t_mono = 8 + 100 + 1000 = 1108: (1257 - 1108) / 1257
    f = service.ipc_overhead_fraction(57, 8, 1000, 100, micro_service_locality_factor=2)
    assert f == pytest.approx(149 / 1257, rel=1e-12)


def test_factor_one_is_the_papers_model():
    base = service.ipc_overhead_fraction(57, 8, 1000, 100, 20, 4)
    assert service.ipc_overhead_fraction(57, 8, 1000, 100, 20, 4, 1.0) == base
    # (4 * (57 + 20) - 4 * 8) / (4 * 77 + 100 + 1000) = 276 / 1408
    assert base == pytest.approx(276 / 1408, rel=1e-12)


def test_factor_below_one_can_make_the_microkernel_cheaper():
    # k = 0: t_micro = 57 + 1000 = 1057 < t_mono = 1108, so the overhead is clipped at 0
    assert service.ipc_overhead_fraction(57, 8, 1000, 100, micro_service_locality_factor=0) == 0.0


def test_factor_hand_value_microkernel_time():
    assert service.microkernel_time_us(57, 1000, 100, 0, 2) == pytest.approx(1257, rel=1e-12)


def test_factor_hand_value_break_even():
    # d = 49 + (2 - 1) * 100 = 149; s = 149 / 0.05 - 149 - 8 - 100 = 2723 µs
    s = service.break_even_service_us(57, 8, 0.05, 100, micro_service_locality_factor=2)
    assert s == pytest.approx(2723, rel=1e-12)
    # check by hand: (57 + 200 + 2723 - 8 - 100 - 2723) / (57 + 200 + 2723) = 149 / 2980 = 0.05
    assert service.ipc_overhead_fraction(57, 8, s, 100, micro_service_locality_factor=2) == pytest.approx(0.05)


def test_factor_hand_value_max_ipc():
    # D = 0.05 * (8 + 100 + 1000) / 0.95 = 58.3158 µs; ipc = 8 + D - (1.2 - 1) * 100
    want = 8 + 0.05 * 1108 / 0.95 - 20
    assert service.max_ipc_us(8, 1000, 0.05, 100, micro_service_locality_factor=1.2) == pytest.approx(
        want, rel=1e-12)
    # extra service misses larger than the whole budget: no IPC cost is small enough
    assert service.max_ipc_us(8, 1000, 0.05, 100, micro_service_locality_factor=2) == 0.0


def test_factor_in_breakdown():
    # the service's 384 lines all miss at 15 cycles, 25 MHz: 230.4 µs in the monolithic kernel,
    # 3 × 230.4 = 691.2 µs in the microkernel; the IPC path warm
    b = service.breakdown(57, 8, 1000, service_lines=384, service_miss_fraction=1.0,
                          miss_penalty_cycles=15, clock_mhz=25, micro_service_locality_factor=3)
    assert b["service_locality_us"] == pytest.approx(230.4, rel=1e-12)
    assert b["micro_service_locality_us"] == pytest.approx(691.2, rel=1e-12)
    assert b["monolithic_us"] == pytest.approx(8 + 230.4 + 1000, rel=1e-12)
    assert b["microkernel_us"] == pytest.approx(57 + 691.2 + 1000, rel=1e-12)
    assert b["overhead_fraction"] == pytest.approx((49 + 460.8) / 1748.2, rel=1e-12)
    assert "micro_service_locality_factor" in repr(b)


@pytest.mark.parametrize("bad", [-0.1, 10.5, math.nan, math.inf])
def test_factor_out_of_range_is_named(bad):
    msg = r"micro_service_locality_factor \(×\) must be (finite )?in \[0, 10\]"
    with pytest.raises(ValueError, match=msg):
        service.ipc_overhead_fraction(57, 8, 1000, 100, micro_service_locality_factor=bad)
    with pytest.raises(ValueError, match=msg):
        service.break_even_service_us(57, 8, 0.05, micro_service_locality_factor=bad)
    with pytest.raises(ValueError, match=msg):
        service.max_ipc_us(8, 1000, 0.05, micro_service_locality_factor=bad)
    with pytest.raises(ValueError, match=msg):
        service.breakdown(57, 8, 1000, micro_service_locality_factor=bad)


def test_chen_bershad_range_is_in_the_data():
    """Chen & Bershad (1993) §3, p. 6: "one to three times greater for Mach than for Ultrix"."""
    from ipcmodel.data import fact

    f = fact("cb93-system-mcpi-ratio-mach-vs-ultrix")
    assert (f.value, f.value_high, f.unit, f.source) == (1, 3, "ratio", "ChenBershad93")
    assert f.value_high <= service.MICRO_SERVICE_LOCALITY_FACTOR_MAX
