"""§5 helpers: client-side emulation, mapped clock, user-level protocols."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcmodel import firewall


@given(f1=st.floats(0, 1), f2=st.floats(0, 1))
def test_more_local_calls_never_cost_more(f1, f2):
    lo, hi = sorted((f1, f2))
    assert firewall.effective_cost_us(hi, 2, 57) <= firewall.effective_cost_us(lo, 2, 57) + 1e-12


def test_calls_per_rpc():
    assert firewall.calls_per_rpc(0) == 1
    assert firewall.calls_per_rpc(1) == math.inf


def test_mapped_clock_speedup():
    assert firewall.mapped_clock_speedup(0.155, 0.0205) == pytest.approx(7.56, abs=0.01)


def test_bad_input():
    with pytest.raises(ValueError, match=r"local_fraction \(fraction\)"):
        firewall.effective_cost_us(1.2, 1, 2)
    with pytest.raises(ValueError, match=r"crossings \(crossings\) must be a whole number"):
        firewall.protocol_boundary_cost_us(2.5, 490, 60)
    with pytest.raises(ValueError, match=r"observed_slowdown_us \(µs\) must be in \(0"):
        firewall.boundary_share(10, 0)


def test_emulation_costs_are_a_trap_and_a_trap_plus_rpc():
    assert firewall.emulation_costs_us(57.0, 8.0) == {"local_us": 8.0, "remote_us": 65.0}
    # §5 on the DS5000/200 with two of three calls local: 8 + 57 / 3 µs on average
    c = firewall.emulation_costs_us(57.0, 8.0)
    assert firewall.effective_cost_us(2 / 3, c["local_us"], c["remote_us"]) == pytest.approx(27.0, rel=1e-12)


# Maeda & Bershad (1992) §2.2: one pass through the emulation library, about 280 µs (DS2100)
def test_library_term_adds_its_cost_to_every_call_that_passes_through_the_library():
    lib_us, ipc_us, sc_us = 280.0, 57.0, 8.0
    calls, local = 3, 2                      # §5: 2 of 3 calls answered without an RPC
    passes = calls                           # every call, local or forwarded, passes the library once
    f = local / calls
    c0 = firewall.emulation_costs_us(ipc_us, sc_us)
    c1 = firewall.emulation_costs_us(ipc_us, sc_us, emulation_library_us=lib_us)
    assert c1 == {"local_us": 8.0 + 280.0, "remote_us": 8.0 + 280.0 + 57.0}
    without = firewall.effective_cost_us(f, c0["local_us"], c0["remote_us"])
    with_lib = firewall.effective_cost_us(f, c1["local_us"], c1["remote_us"])
    assert with_lib - without == pytest.approx(lib_us * passes / calls, rel=1e-12)   # 280 µs per call
    assert with_lib * calls - without * calls == pytest.approx(3 * 280.0, rel=1e-12)
    # DS2100, Maeda & Bershad §2.2: system call 30 + library 280 + IPC round trip 180 = 490 µs,
    # their measured path to the Unix server's socket layer
    assert firewall.emulation_costs_us(180.0, 30.0, 280.0)["remote_us"] == 490.0
    # vectorised over the library pass
    got = firewall.emulation_costs_us(57.0, 8.0, np.array([0.0, 134.4, 280.0]))["local_us"]
    np.testing.assert_allclose(got, [8.0, 142.4, 288.0], rtol=1e-12)
    with pytest.raises(ValueError, match=r"emulation_library_us \(µs\)"):
        firewall.emulation_costs_us(57.0, 8.0, -1.0)


def test_mapped_clock_is_cycles_over_clock():
    assert firewall.mapped_clock_us(1, 25) == pytest.approx(0.04, rel=1e-12)
    assert firewall.mapped_clock_us(4, 25) == pytest.approx(0.16, rel=1e-12)
    assert min(firewall.MAPPED_CLOCK_CYCLES) >= 1


# Maeda & Bershad (1992) §2.2: 4 x (490 - 60) µs of sockets, 2 x (200 + 300) µs of driver
def test_udp_budget_arithmetic():
    b = firewall.udp_budget(4, 490, 60, 2, 200, 300, measured_us=19_500, in_kernel_us=4_800,
                            user_level_us=4_200)
    assert (b.sockets_us, b.driver_us, b.crossings_us) == (1720, 1000, 2720)
    assert b.predicted_us == 4800 + 2720 and b.slowdown_us == 14_700
    assert b.unexplained_us == 14_700 - 2720
    assert b.share_explained == pytest.approx(2720 / 14_700, rel=1e-12)  # "about a fifth"
    cheaper = firewall.udp_budget(4, 50, 60, 0, 0, 0, measured_us=19_500, in_kernel_us=4_800,
                                  user_level_us=4_200)
    assert cheaper.sockets_us == -40 and cheaper.share_explained == 0.0


@pytest.mark.parametrize("call, name", [
    (lambda: firewall.emulation_costs_us(-1, 8), "ipc_us"),
    (lambda: firewall.mapped_clock_us(0, 25), "load_cycles"),
    (lambda: firewall.udp_budget(2.5, 490, 60, 2, 200, 300, measured_us=1, in_kernel_us=1,
                                 user_level_us=1), "crossings"),
    (lambda: firewall.udp_budget(4, 490, 60, 2, -200, 300, measured_us=1, in_kernel_us=1,
                                 user_level_us=1), "driver_write_us"),
    (lambda: firewall.udp_budget(4, 490, 60, 2, 200, 300, measured_us=0, in_kernel_us=1,
                                 user_level_us=1), "measured_us"),
])
def test_moved_helpers_reject_bad_input_by_name(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_library_pass_carried_to_the_ds5000():
    from ipcmodel import paper
    # Maeda & Bershad §2.2: 280 µs at 12 MHz = 3360 cycles; at the DS5000/200's 25 MHz (Bershad §2)
    assert paper.emulation_library_ds5000_us() == pytest.approx(3360 / 25, rel=1e-12)
    # by the RPC ratio instead (140 µs on the DS2100, 57 µs on the DS5000/200)
    assert paper.emulation_library_ds5000_us("rpc") == pytest.approx(280 * 57 / 140, rel=1e-12)
    with pytest.raises(ValueError, match="rule"):
        paper.emulation_library_ds5000_us("mips")
    # §5 on the DS5000/200 with the library: 8 + 134.4 + 57 / 3 µs; without it, 8 + 57 / 3
    assert paper.emulation_call_ds5000_us(library=True) == pytest.approx(8 + 134.4 + 19, rel=1e-12)
    assert paper.emulation_call_ds5000_us() == pytest.approx(27.0, rel=1e-12)


# Maeda & Bershad §2: variance 5-10% of the mean; Table 3: user-level round trip 4.2 ms
def test_user_level_spread():
    from ipcmodel import paper
    lo, hi = paper.user_level_udp_spread_ms()
    assert (lo, hi) == (pytest.approx(0.21, rel=1e-12), pytest.approx(0.42, rel=1e-12))
    # the clients' RPCs (4.2 - 4.0 = 0.2 ms) are below even the low end of that spread
    assert paper.user_level_udp_rpc_ms() < lo
