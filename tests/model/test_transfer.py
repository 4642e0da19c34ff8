"""§4 helpers: copy vs shared buffer vs remap, mapped sockets, X11 batching."""

import numpy as np
import pytest
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
