"""Machine records: cited values only, nothing filled in."""

import pytest

from ipcmodel import machines
from ipcmodel.data import Fact
from ipcmodel.machines import Derived


def test_paper_machines_and_a_modern_one_exist():
    ms = machines.load_machines()
    for mid in ("cvax", "ds5000", "hp700", "ds3100", "ds2100", "sel4-haswell"):
        assert mid in ms


def test_values_match_their_facts():
    ds = machines.machine("ds5000")
    assert (ds.rpc_us, ds.syscall_us, ds.clock_mhz) == (57, 8, 25)
    assert ds.miss_penalty_cycles == 15 and ds.cache_line_bytes == 16
    assert machines.machine("cvax").rpc_us == 497  # the 1992 figure, not 1989's 750


def test_hp700_clock_is_computed_from_its_cycle_time():
    hp = machines.machine("hp700")
    assert hp.clock_mhz == pytest.approx(1000 / 20)
    assert isinstance(hp.provenance["clock_mhz"], Derived)
    assert hp.provenance["clock_mhz"].from_ids == ("b92-cycle-time-hp700",)


def test_sel4_round_trip_is_call_plus_reply():
    m = machines.machine("sel4-haswell")
    # 591 + 599 cycles at 3400 MHz (seL4 benchmarks.json, Haswell)
    assert m.rpc_us == pytest.approx((591 + 599) / 3400, rel=1e-12)


def test_missing_values_stay_missing():
    cvax = machines.machine("cvax")
    assert cvax.clock_mhz is None and "clock_mhz" in cvax.missing()
    assert "no published value" in cvax.describe()


def test_every_known_value_has_provenance():
    for m in machines.load_machines().values():
        for name in m.known():
            assert isinstance(m.provenance[name], (Fact, Derived))


def test_unknown_machine_is_a_clear_error():
    with pytest.raises(ValueError, match="machine_id must be one of"):
        machines.machine("pdp11")
