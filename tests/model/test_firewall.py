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


# Maeda & Bershad (1992) §2.2: one pass through the emulation library, about 280 µs (DS2100),
# measured on the forwarding path ("translates system calls into IPC messages")
def test_library_pass_is_paid_by_forwarded_calls_only():
    lib_us, ipc_us, sc_us = 280.0, 57.0, 8.0
    calls, local = 3, 2                      # §5: 2 of 3 calls answered without an RPC
    forwarded = calls - local                # only these pass through the library's forwarding path
    f = local / calls
    c0 = firewall.emulation_costs_us(ipc_us, sc_us)
    c1 = firewall.emulation_costs_us(ipc_us, sc_us, emulation_library_us=lib_us)
    assert c1 == {"local_us": 8.0, "remote_us": 8.0 + 280.0 + 57.0}
    without = firewall.effective_cost_us(f, c0["local_us"], c0["remote_us"])
    with_lib = firewall.effective_cost_us(f, c1["local_us"], c1["remote_us"])
    assert with_lib - without == pytest.approx(lib_us * forwarded / calls, rel=1e-12)  # 93.3 µs per call
    # §5's claim survives the pass: emulation still beats forwarding every call
    assert with_lib < c1["remote_us"]
    # DS2100, Maeda & Bershad §2.2: 30 + 280 + 180 = 490 µs (the 30 µs trap is our filler for the
    # part their listed pieces leave out)
    assert firewall.emulation_costs_us(180.0, 30.0, 280.0)["remote_us"] == 490.0
    with pytest.raises(ValueError, match=r"emulation_library_us \(µs\)"):
        firewall.emulation_costs_us(57.0, 8.0, -1.0)


def test_local_call_cost_is_a_separate_unmeasured_input():
    lib_us, ipc_us, sc_us, f = 134.4, 57.0, 8.0, 2 / 3
    for loc_us in (0.0, 50.0, lib_us):       # from free to the whole forwarding pass
        c = firewall.emulation_costs_us(ipc_us, sc_us, lib_us, local_call_us=loc_us)
        assert c == {"local_us": pytest.approx(sc_us + loc_us, rel=1e-12),
                     "remote_us": pytest.approx(sc_us + lib_us + ipc_us, rel=1e-12)}
        avg = firewall.effective_cost_us(f, c["local_us"], c["remote_us"])
        assert avg == pytest.approx(sc_us + f * loc_us + (1 - f) * (lib_us + ipc_us), rel=1e-12)
    # vectorised over the local call's cost
    got = firewall.emulation_costs_us(57.0, 8.0, 134.4, np.array([0.0, 10.0, 134.4]))["local_us"]
    np.testing.assert_allclose(got, [8.0, 18.0, 142.4], rtol=1e-12)
    with pytest.raises(ValueError, match=r"local_call_us \(µs\)"):
        firewall.emulation_costs_us(57.0, 8.0, 0.0, -1.0)


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
    # §5 on the DS5000/200, forwarded calls paying the pass: 8 + (134.4 + 57) / 3 µs; without it, 8 + 57 / 3
    assert paper.emulation_call_ds5000_us(library=True) == pytest.approx(8 + (134.4 + 57) / 3, rel=1e-12)
    assert paper.emulation_call_ds5000_us() == pytest.approx(27.0, rel=1e-12)
    # the local call's library time is unmeasured: from 0 to the whole scaled pass
    lo, hi = paper.emulation_call_ds5000_range_us()
    assert lo == pytest.approx(8 + (134.4 + 57) / 3, rel=1e-12)
    assert hi == pytest.approx(8 + 134.4 * 2 / 3 + (134.4 + 57) / 3, rel=1e-12)
    assert hi < 8 + 134.4 + 57   # even at the top, below forwarding every call (§5)


# Maeda & Bershad §2: variance 5-10% of the mean; Table 3: user-level round trip 4.2 ms
def test_user_level_spread():
    from ipcmodel import paper
    lo, hi = paper.user_level_udp_spread_ms()
    assert (lo, hi) == (pytest.approx(0.21, rel=1e-12), pytest.approx(0.42, rel=1e-12))
    # Table 3: the clients' RPCs, 4.2 - 4.0 = 0.2 ms, are 5% of the 4.0 ms server-to-server row
    assert paper.user_level_udp_rpc_ms() == pytest.approx(0.05 * 4.0, rel=1e-9)


# Maeda & Bershad §2.2: 4 socket accesses per round trip; an RPC of 140 µs bare, 180 µs with stubs
def test_client_rpcs_predicted_exceed_the_observed_gap():
    from ipcmodel import paper
    lo, hi = paper.client_rpcs_predicted_ms()
    assert (lo, hi) == (pytest.approx(4 * 140 / 1000, rel=1e-12), pytest.approx(4 * 180 / 1000, rel=1e-12))
    assert paper.user_level_udp_rpc_ms() < lo    # Table 3's 0.2 ms gap is smaller than predicted


# Maeda & Bershad §2.2: "about 490 µsecs" to the socket layer; listed parts 280 + 180 µs
def test_socket_access_parts_leave_thirty_us_unexplained():
    from ipcmodel import paper
    assert paper.socket_access_unexplained_us() == pytest.approx(490 - (280 + 180), abs=1e-9)
