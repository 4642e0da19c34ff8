"""ipcmodel.units: conversions and the named-error rules."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcmodel import units

finite_pos = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)


def test_cycles_to_us_hand_values():
    # 3600 cycles at 50 MHz (HP-700, §3) is 72 µs
    assert units.cycles_to_us(3600, 50) == pytest.approx(72.0, rel=1e-12)
    assert units.us_to_cycles(95, 16.67) == pytest.approx(1583.65, rel=1e-12)


@given(cycles=finite_pos, clock=st.floats(min_value=0.1, max_value=1e4))
def test_cycles_us_round_trip(cycles, clock):
    assert units.us_to_cycles(units.cycles_to_us(cycles, clock), clock) == pytest.approx(cycles, rel=1e-9)


def test_vectorised_and_broadcast():
    out = units.cycles_to_us(np.array([25.0, 50.0]), np.array([[25.0], [50.0]]))
    assert out.shape == (2, 2)
    assert out[1, 1] == pytest.approx(1.0)


def test_arrays_that_do_not_broadcast_raise_named_error():
    with pytest.raises(ValueError, match=r"cycles \(2,\).*clock_mhz \(3,\)"):
        units.cycles_to_us(np.ones(2), np.ones(3))


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0, 0.0])
def test_clock_must_be_positive_finite(bad):
    with pytest.raises(ValueError, match=r"clock_mhz \(MHz\)"):
        units.cycles_to_us(100, bad)


def test_negative_cycles_message_names_unit_and_range():
    with pytest.raises(ValueError, match=r"cycles \(cycles\) must be in \[0, inf\]; got -5"):
        units.cycles_to_us(-5, 10)


def test_non_numeric_rejected():
    with pytest.raises(ValueError, match="clock_mhz"):
        units.cycles_to_us(1, "fast")


def test_other_conversions():
    assert units.cycle_time_ns_to_mhz(20) == pytest.approx(50.0)
    assert units.kb_to_bytes(4) == 4096
    assert units.ms_to_us(4.8) == pytest.approx(4800.0)
    assert units.us_to_ms(1720) == pytest.approx(1.72)
    assert units.ns_to_us(191) == pytest.approx(0.191)
    assert units.us_to_ns(0.5) == pytest.approx(500.0)
    # 4 KB of instructions in 16-byte lines: 256 lines; 1 byte still takes a whole line
    assert units.bytes_to_lines(4096, 16) == 256
    assert units.bytes_to_lines(1, 32) == 1


def test_count_and_fraction_checks():
    with pytest.raises(ValueError, match=r"flushes \(flushes\) must be a whole number"):
        units.check_count("flushes", 2.5, "flushes")
    with pytest.raises(ValueError, match=r"miss_fraction \(fraction\) must be in \[0, 1\]"):
        units.check_fraction("miss_fraction", 1.5)
