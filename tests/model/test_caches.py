"""§3 helpers: footprint, cold IPC, DMA coherency, collisions."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcmodel import caches


def test_footprint_rounds_up_each_part():
    assert caches.footprint_lines(4000, 2000, 32) == 125 + 63


@given(pen1=st.floats(0, 500), pen2=st.floats(0, 500))
def test_cold_ipc_grows_with_miss_penalty(pen1, pen2):
    lo, hi = sorted((pen1, pen2))
    assert caches.cold_ipc_us(57, 384, lo, 25) <= caches.cold_ipc_us(57, 384, hi, 25)


def test_cold_ipc_hot_when_nothing_misses():
    assert caches.cold_ipc_us(57, 384, 500, 25, miss_fraction=0) == 57


def test_hundreds_of_cycles_dwarf_the_warm_ipc():
    # §3: at 100 cycles per miss, a cold 384-line path costs 1536 µs at 25 MHz: 27x the 57 µs IPC
    assert caches.cold_ipc_us(57, 384, 100, 25) - 57 == pytest.approx(1536)


def test_vectorised_over_penalties():
    out = caches.cold_ipc_us(57, 384, np.array([1, 10, 100]), 25)
    assert out.shape == (3,) and np.all(np.diff(out) > 0)


def test_bad_input():
    with pytest.raises(ValueError, match=r"slow_us \(µs\) must be >= fast_us"):
        caches.extra_misses(160, 95, 16.67, 5)
    with pytest.raises(ValueError, match=r"line_bytes \(bytes\) must be in \(0"):
        caches.dma_coherency_cycles(4096, 0, 1)
    with pytest.raises(ValueError, match=r"miss_penalty_cycles \(cycles\) must be in \[0, 1e\+06\]"):
        caches.cold_ipc_us(57, 384, -1, 25)


# §3 — the miss penalty at which a cold path's misses cost the whole RPC-over-system-call gap
def test_break_even_miss_penalty():
    # DS5000/200: (57 - 8) µs x 25 MHz = 1225 cycles over 384 misses
    assert caches.break_even_miss_penalty_cycles(57, 8, 384, 1.0, 25) == pytest.approx(1225 / 384, rel=1e-12)
    # half the lines missing: twice the penalty
    assert caches.break_even_miss_penalty_cycles(57, 8, 384, 0.5, 25) == pytest.approx(2450 / 384, rel=1e-12)
    assert caches.break_even_miss_penalty_cycles(57, 8, 384, 0.0, 25) == np.inf  # nothing misses
    assert caches.break_even_miss_penalty_cycles(5, 8, 384, 1.0, 25) == 0.0  # IPC no slower
    out = caches.break_even_miss_penalty_cycles(57, 8, np.array([192, 384]), 1.0, 25)
    np.testing.assert_allclose(out, [1225 / 192, 1225 / 384], rtol=1e-12)
    with pytest.raises(ValueError, match="miss_fraction"):
        caches.break_even_miss_penalty_cycles(57, 8, 384, 1.5, 25)
