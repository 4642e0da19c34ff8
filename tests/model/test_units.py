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
    # 4 KB of instructions in 16-byte lines: 256 lines; 1 byte still takes a whole line
    assert units.bytes_to_lines(4096, 16) == 256
    assert units.bytes_to_lines(1, 32) == 1


def test_count_and_fraction_checks():
    with pytest.raises(ValueError, match=r"flushes \(flushes\) must be a whole number"):
        units.check_count("flushes", 2.5, "flushes")
    with pytest.raises(ValueError, match=r"miss_fraction \(fraction\) must be in \[0, 1\]"):
        units.check_fraction("miss_fraction", 1.5)


# --- units.check: the one validator of the model (issue 9, "Bad input, uniformly") -----------

def test_check_returns_float_for_scalar_and_array_otherwise():
    assert units.check("ipc_us", 57, "µs", 0, 1e9, scalar=True) == 57.0
    assert type(units.check("ipc_us", 57, "µs", 0, 1e9, scalar=True)) is float
    out = units.check("ipc_us", [57, 95], "µs", 0, 1e9)
    assert isinstance(out, np.ndarray) and out.dtype == float and out.tolist() == [57.0, 95.0]


@pytest.mark.parametrize("value, scalar, message", [
    (math.nan, False, r"^ipc_us \(µs\) must be finite in \[0, 1e\+09\] \(no NaN or infinity\); got nan$"),
    ([1.0, math.inf], False, r"^ipc_us \(µs\) must be finite in \[0, 1e\+09\] \(no NaN or infinity\); got inf$"),
    (-3, True, r"^ipc_us \(µs\) must be in \[0, 1e\+09\]; got -3$"),
    ([5, 2e9], False, r"^ipc_us \(µs\) must be in \[0, 1e\+09\]; got 2e\+09$"),
    ("fast", True, r"^ipc_us \(µs\) must be a number in \[0, 1e\+09\]; got 'fast'$"),
    ([57, 95], True, r"^ipc_us \(µs\) must be a single number in \[0, 1e\+09\], not an array; "
               r"got an array of shape \(2,\)$"),
])
def test_check_message_names_parameter_unit_and_range(value, scalar, message):
    with pytest.raises(ValueError, match=message):
        units.check("ipc_us", value, "µs", 0, 1e9, scalar=scalar)


def test_check_open_bounds_and_whole_numbers():
    with pytest.raises(ValueError, match=r"^threshold \(fraction\) must be in \(0, 1\); got 1$"):
        units.check("threshold", 1.0, "fraction", 0, 1, low_inclusive=False, high_inclusive=False)
    with pytest.raises(ValueError, match=r"^flushes \(flushes\) must be a whole number in \[1, 1e\+07\]; got 2\.5$"):
        units.check("flushes", [1, 2.5], "flushes", 1, 1e7, integer=True)
    # range first, then wholeness: -0.5 is out of range, not "not whole"
    with pytest.raises(ValueError, match=r"must be in \[0, inf\]; got -0\.5"):
        units.check_count("crossings", -0.5, "crossings")
    with pytest.raises(ValueError, match=r"^seed \(count\) must be finite in \[0, 10\]"):
        units.check_count("seed", math.nan, high=10)
    assert units.check_count("seed", 3, high=10) == 3


def test_shorthands_are_check():
    # the shorthands differ from check only in the range they pass
    for fn, args, allowed in [(units.check_positive, ("x", -1, "µs"), r"\(0, inf\]"),
                              (units.check_nonnegative, ("x", -1, "µs", 10), r"\[0, 10\]"),
                              (units.check_fraction, ("x", 2), r"\[0, 1\]"),
                              (units.check_in_range, ("x", 5, "ns", 0, 1), r"\[0, 1\]")]:
        with pytest.raises(ValueError, match=r"^x \(\w+\) must be in " + allowed):
            fn(*args)


def test_broadcast_named_names_every_parameter():
    a, b = units.broadcast_named(ipc_us=np.ones(3), syscall_us=8.0)
    assert a.shape == b.shape == (3,)
    with pytest.raises(ValueError, match=r"^arrays do not broadcast together: ipc_us \(2,\), "
                                         r"syscall_us \(\), service_us \(3,\)$"):
        units.broadcast_named(ipc_us=np.ones(2), syscall_us=8.0, service_us=np.ones(3))
