"""The whole-program explorer of notebook 05 (ipcmodel.explorers.workload).

Expected values are computed here from the model functions and the cited rows (the localities by
hand: lines x fraction missing x cycles / MHz), never read back from the explorer.
"""

import numpy as np
import pytest
from explorer_fixtures import explorer_fixture

from ipcmodel import service, workload
from ipcmodel.data import fact
from ipcmodel.explorers.workload import workload_explorer

RTOL = 1e-12
ex = explorer_fixture(workload_explorer)

# §3: the IPC path is < 4 KB of instructions + < 2 KB of data; 16-byte lines on the DS5000/200
IPC_PATH_LINES_16B = (4096 + 2048) / 16


def _inputs(values):
    ipl = IPC_PATH_LINES_16B * values["miss_fraction"] * values["miss_penalty_cycles"] / values["clock_mhz"]
    loc = (values["service_lines"] * values["service_miss_fraction"] * values["miss_penalty_cycles"]
           / values["clock_mhz"])
    return ipl, loc


def test_curve_point_and_asymptote_follow_the_model(ex):
    ex.set(uses=2000.0, crossings_per_use=4.0, ipc_us=57.0, syscall_us=8.0, device_us=500.0,
           outside_s=3.0, cache_line_bytes=16.0, miss_penalty_cycles=15.0, clock_mhz=25.0,
           miss_fraction=0.5, service_lines=512.0, service_miss_fraction=0.25)
    v, p = ex.model_inputs(), ex.plotted()
    ipl, loc = _inputs(v)
    assert p["ipc_path_locality_us"] == pytest.approx(ipl, rel=RTOL)
    assert p["service_locality_us"] == pytest.approx(loc, rel=RTOL)
    want = workload.microkernel_share(3e6, p["uses"], 500.0, 8.0, 57.0, 4.0, loc, ipl)
    np.testing.assert_allclose(p["share"], want, rtol=RTOL)
    n, share = p["current"]
    assert n == pytest.approx(2000.0, rel=1e-9)   # the log slider's grid keeps it (10^3.3)
    assert share == pytest.approx(workload.microkernel_share(3e6, n, 500.0, 8.0, 57.0, 4.0, loc, ipl),
                                  rel=RTOL)
    # the asymptote is the per-access fraction with the same inputs (the 05 regime map's value)
    f = service.ipc_overhead_fraction(57.0, 8.0, 500.0, loc, ipl, 4.0)
    assert p["per_access_fraction"] == pytest.approx(f, rel=RTOL)
    assert ex.artists["asymptote"].get_ydata()[0] == pytest.approx(f, rel=RTOL)
    # Amdahl: the program's share = per-access fraction x share of the run spent in service uses
    per_use = 4.0 * (57.0 + ipl) + 500.0 + loc
    assert p["share_of_time_in_uses"] == pytest.approx(n * per_use / (3e6 + n * per_use), rel=1e-9)
    assert share == pytest.approx(f * p["share_of_time_in_uses"], rel=1e-9)
    assert np.all(p["share"] <= f * (1 + 1e-12)) and p["share"][-1] == pytest.approx(f, rel=1e-3)


def test_reading_states_amdahls_point(ex):
    text = ex.reading()
    assert "Amdahl" in text and "per-access overhead" in text and "no program loses more than" in text


def test_no_overhead_when_ipc_is_no_dearer_than_a_system_call(ex):
    ex.set(ipc_us=5.0, syscall_us=8.0, miss_fraction=0.0)
    p = ex.plotted()
    assert p["per_access_fraction"] == 0.0 and np.all(p["share"] == 0.0)
    assert "adds nothing" in ex.reading()


@pytest.mark.slow  # over a second of drawing: in `make test`, not `make test-fast`
def test_service_misses_lower_the_share(ex):
    # §3: the service's own misses are paid by both structures, so they dilute the overhead
    ex.set(service_miss_fraction=0.0)
    before = ex.plotted()["current"][1]
    ex.set(service_miss_fraction=1.0, service_lines=4096.0, miss_penalty_cycles=100.0)
    assert ex.plotted()["current"][1] < before


def test_andrew_preset_uses_ultrix_user_time():
    e = workload_explorer()
    try:
        e.apply_preset("Chen & Bershad: Andrew benchmark (ab), DECstation 5000/200")
        v = e.model_inputs()
        # Chen & Bershad (1993) Table 2-2: 98.96 s under Ultrix; Figure 3-1: 41.4 % system
        assert v["outside_s"] == pytest.approx(98.96 * (1 - 0.414), rel=1e-9)
        assert v["ipc_us"] == fact("b92-rpc-ds5000").value and v["syscall_us"] == 8.0  # §2, §2.1
        assert "No source gives the number of service uses" in e.reading()
    finally:
        e.close()


def test_udp_preset_reproduces_the_companion_papers_added_time(ex):
    # Maeda & Bershad (1992) §2.2: 4 x (490 - 60) + 2 x 500 = 2720 µs added per round trip
    ex.apply_preset("Crossings: UDP round trip via the Unix server (Maeda & Bershad §2.2)")
    ex.set(uses=1.0, miss_fraction=0.0)
    p = ex.plotted()
    assert p["microkernel_us"] - p["monolithic_us"] == pytest.approx(2720.0, rel=1e-9)


def test_notes_say_the_starting_service_is_a_ds2100_round_trip_not_a_device(ex):
    # Maeda & Bershad (1992), Table 1: two DECstation 2100s, protocol software + wire (critic M11)
    notes = " ".join(ex.reading_notes())
    assert "DECstation 2100" in notes and "protocol software plus the wire, not a device" in notes
