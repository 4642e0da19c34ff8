"""§4 helpers: copy vs shared buffer vs remap, mapped sockets, X11 batching."""

import math

import numpy as np
import pytest
from checks import assert_matches_brute, brute_crossover
from hypothesis import given
from hypothesis import strategies as st

from ipcmodel import transfer


def test_ds5000_copy_estimate():
    # Chen & Bershad Table 2-1: 15 cycles per 16-byte read miss, 1-cycle page-mode writes;
    # 15/16 + (1 + 2)/4 = 1.6875 cycles per byte -> 25 / 1.6875 = 14.81 MB/s
    cpb = transfer.copy_cycles_per_byte(15, 16, 1)
    assert cpb == pytest.approx(1.6875)
    assert transfer.copy_bandwidth_mb_per_s(cpb, 25) == pytest.approx(14.8148, abs=1e-4)


def test_kernel_copy_is_two_copies():
    assert transfer.kernel_copy_us(1000, 10, 50) == pytest.approx(50 + 200)
    assert transfer.shared_buffer_us(1000, 10, 5) == pytest.approx(5 + 100)
    assert transfer.remap_us(4097, 4096, 20, 30) == pytest.approx(30 + 2 * 20)


def test_crossover_hand_value_and_brute_force():
    # copy: 50 µs + 0.2 µs/B; shared: 80 µs + 0.1 µs/B -> crossover at 300 B
    assert transfer.crossover_bytes(50, 0.2, 80, 0.1) == pytest.approx(300)
    n = np.arange(0, 1000)
    a, b = 50 + 0.2 * n, 80 + 0.1 * n
    assert n[np.argmax(b < a)] == 301
    assert transfer.crossover_bytes(50, 0.1, 80, 0.2) == np.inf
    assert transfer.crossover_bytes(80, 0.2, 50, 0.1) == 0


@given(n=st.floats(100, 1e7))
def test_mapped_socket_gain_grows_with_size(n):
    cal = transfer.calibrate_mapped_socket(100, 0.15, 4096)
    assert cal.gain(n) >= 0 and cal.gain(n) < 0.5  # one copy of two: at most half


def test_mapped_socket_implied_fixed_cost_at_ds5000_bandwidth():
    cal = transfer.calibrate_mapped_socket(100, 0.15, 4096)
    bw = transfer.copy_bandwidth_mb_per_s(1.6875, 25)
    assert cal.fixed_us(bw) == pytest.approx(18448 / (25 / 1.6875))  # ~1245 µs


def test_calibration_rejects_inconsistent_inputs():
    with pytest.raises(ValueError, match="gain_at_bytes"):
        transfer.calibrate_mapped_socket(4096, 0.15, 100)
    with pytest.raises(ValueError, match=r"gain_fraction \(fraction\)"):
        transfer.calibrate_mapped_socket(100, 1.5, 4096)


@pytest.mark.parametrize("mean", [1.0, 2.0, 8.0])
def test_x11_counts_per_policy(mean):
    mach = transfer.simulate_x11_flushes("mach-message-per-flush", 2000, mean, seed=3)
    sock = transfer.simulate_x11_flushes("socket-coalescing", 2000, mean, seed=3)
    shm = transfer.simulate_x11_flushes("shared-buffer", 2000, mean, seed=3)
    assert mach.messages_per_flush == 1 and mach.crossings_per_flush == 2
    assert sock.server_wakeups == shm.server_wakeups  # same flush stream, same collections
    assert shm.crossings <= sock.crossings <= mach.crossings
    assert sock.wakeups_per_flush == pytest.approx(1 / mean, rel=0.15)


def test_x11_seed_reproducible_and_bad_input():
    a = transfer.simulate_x11_flushes("shared-buffer", 500, 3, seed=7)
    assert a == transfer.simulate_x11_flushes("shared-buffer", 500, 3, seed=7)
    with pytest.raises(ValueError, match="policy must be one of"):
        transfer.simulate_x11_flushes("carrier-pigeon", 10, 2)
    with pytest.raises(ValueError, match=r"flushes_per_collection \(flushes\) must be in \[1"):
        transfer.simulate_x11_flushes("shared-buffer", 10, 0.5)


# ---- mapped sockets with more passes over the data (§4) ----------------------------------------

def test_implied_fixed_copies_generalises_the_calibration():
    n0, g, n1 = 100.0, 0.15, 4096.0
    # one copy saved of two: F + 100 + 4096 = 0.85 (F + 8192)  =>  F = (0.85 x 8192 - 4196) / 0.15
    assert transfer.implied_fixed_copies(n0, g, n1) == pytest.approx((0.85 * 8192 - 4196) / 0.15, rel=1e-12)
    assert transfer.implied_fixed_copies(n0, g, n1) == pytest.approx(
        transfer.calibrate_mapped_socket(n0, g, n1).fixed_copies, rel=1e-12)
    # saving both copies needs an even larger fixed cost: 2 x 3996 / 0.15 - 8192
    assert transfer.implied_fixed_copies(n0, g, n1, 2, 2) == pytest.approx(2 * 3996 / 0.15 - 8192, rel=1e-12)


def test_passes_for_fixed_inverts_implied_fixed():
    n0, g, n1 = 100.0, 0.15, 4096.0
    for a in (2.0, 3.5, 6.0):
        f = transfer.implied_fixed_copies(n0, g, n1, a, 1)
        assert transfer.passes_for_fixed(f, n0, g, n1) == pytest.approx(a, rel=1e-12)
    # a fixed cost of one 57 µs RPC at 25 / 1.6875 MB/s: (3996 / 0.15 - 57 x 14.81) / 4096 ≈ 6.3 passes
    bw = 25 / 1.6875
    assert transfer.passes_for_fixed(57 * bw, n0, g, n1) == pytest.approx((3996 / 0.15 - 57 * bw) / 4096,
                                                                          rel=1e-12)


# ---- the three methods and their crossovers (§4) -----------------------------------------------

PAGE = 4096.0
BW = 25 / 1.6875  # MB/s: the DS5000/200 estimate (Chen & Bershad 1993, Table 2-1), written out


def test_marshalling_times_are_the_three_methods():
    t = transfer.marshalling_times_us(5000.0, 10.0, 57.0, 8.0, 30.0, PAGE)
    assert t["kernel_copy_us"] == pytest.approx(57 + 2 * 500, rel=1e-12)
    assert t["shared_buffer_us"] == pytest.approx(8 + 500, rel=1e-12)
    assert t["remap_us"] == pytest.approx(57 + 2 * 30, rel=1e-12)  # 5000 bytes = 2 pages


@pytest.mark.parametrize("other_fixed, per_byte, remap_fixed, r", [
    (57.0, 2 / BW, 57.0, 100.0),        # exercise 1's seed 0: wins on page 1 already
    (57.0, 2 / BW, 57.0, 300.0),        # loses again at the start of page 2
    (57.0, 2 / BW, 57.0, 500.0),        # several losing pages
    (57.0, 1 / BW, 57.0, 0.5 * PAGE / BW),   # tie exactly at a page boundary
    (57.0, 1 / BW, 57.0, PAGE / BW),         # same cost per page: never for good
    (57.0, 1 / BW, 57.0, 300.0),        # dearer per page: never
    (8.0, 1 / BW, 57.0, 30.0),          # a cheap notification to beat
    (500.0, 2 / 50.0, 60.0, 20.0),      # remap's fixed cost is lower: wins at every size
    (5.0, 2 / 3000.0, 5.0, 1.0),
    (57.0, 2 / BW, 57.0, 0.0),          # free remapping: wins at every size
])
def test_remap_crossover_is_exact_for_the_staircase(other_fixed, per_byte, remap_fixed, r):
    c = transfer.remap_crossover_bytes(other_fixed, per_byte, remap_fixed, r, PAGE)
    assert_matches_brute(c, brute_crossover(other_fixed, per_byte, remap_fixed, r))


def test_remap_crossover_by_hand():
    # page 1 costs F + r: the kernel copy (F + 2n/B) reaches it at n = r B / 2; page 2 already wins
    assert transfer.remap_crossover_bytes(57, 2 / BW, 57, 100, PAGE) == pytest.approx(100 * BW / 2, rel=1e-12)
    # r = 300: page 2 (F + 2r) is reached at n = 2 r B / 2 = 4444 > 4096, page 3 at 6667 < 8192
    assert transfer.remap_crossover_bytes(57, 2 / BW, 57, 300, PAGE) == pytest.approx(300 * BW, rel=1e-12)
    # the straight line F + r (n/P + 1) is only a bound: it says 904 bytes for r = 100
    line = transfer.crossover_bytes(57, 2 / BW, 57 + 100, 100 / PAGE)
    assert line > transfer.remap_crossover_bytes(57, 2 / BW, 57, 100, PAGE) * 1.2


def test_crossovers_use_the_staircase():
    for fixed, notify, r in ((57.0, 57.0, 100.0), (57.0, 8.0, 30.0), (57.0, 57.0, 0.5 * PAGE / BW)):
        xo = transfer.marshalling_crossovers(BW, fixed, notify, r, PAGE)
        assert_matches_brute(xo["kernel_to_remap"], brute_crossover(fixed, 2 / BW, fixed, r))
        assert_matches_brute(xo["shared_to_remap"], brute_crossover(notify, 1 / BW, fixed, r))
    # remap = half a page copy: wins over the kernel copy above 1 KB (page 1 reached at
    # n = r B / 2 = P / 4) and over the shared buffer above 2 KB (r B = P / 2)
    xo = transfer.marshalling_crossovers(BW, 57, 57, 0.5 * PAGE / BW, PAGE)
    assert xo["kernel_to_remap"] == pytest.approx(PAGE / 4, rel=1e-9)
    assert xo["shared_to_remap"] == pytest.approx(PAGE / 2, rel=1e-9)


def test_crossovers_never_and_always():
    xo = transfer.marshalling_crossovers(BW, 57, 57, PAGE / BW, PAGE)  # remap = one page copy
    assert xo["kernel_to_shared"] == 0.0          # same fixed cost, fewer copies: wins at every size
    assert xo["shared_to_remap"] == math.inf      # same cost per page: never for good (ties at page ends)
    assert xo["kernel_to_remap"] == pytest.approx(PAGE / 2, rel=1e-9)   # r B / 2
    assert xo["kernel_to_shared"] == transfer.crossover_bytes(57, 2 / BW, 57, 1 / BW)


def test_x11_counts_share_one_flush_stream():
    counts = transfer.x11_counts(4.0, flushes=1000, seed=1)
    assert tuple(counts) == transfer.X11_POLICIES
    for p, r in counts.items():
        assert r == transfer.simulate_x11_flushes(p, 1000, 4.0, seed=1)
    assert len({r.server_wakeups for p, r in counts.items() if p != "mach-message-per-flush"}) == 1


@pytest.mark.parametrize("call, name", [
    (lambda: transfer.implied_fixed_copies(100, 1.5, 4096), "gain_fraction"),
    (lambda: transfer.implied_fixed_copies(4096, 0.15, 100), "gain_at_bytes"),
    (lambda: transfer.implied_fixed_copies(100, 0.15, 4096, 1, 2), "passes_saved"),
    (lambda: transfer.passes_for_fixed(-1, 100, 0.15, 4096), "fixed_copies"),
    (lambda: transfer.marshalling_crossovers(0, 57, 57, 10, 4096), "copy_mb_per_s"),
    (lambda: transfer.marshalling_crossovers(10, 57, 57, math.nan, 4096), "remap_us_per_page"),
    (lambda: transfer.remap_crossover_bytes(57, 0.1, 57, 10, 0), "page_bytes"),
    (lambda: transfer.remap_crossover_bytes(-1, 0.1, 57, 10, 4096), "other_fixed_us"),
])
def test_moved_helpers_reject_bad_input_by_name(call, name):
    with pytest.raises(ValueError, match=name):
        call()
