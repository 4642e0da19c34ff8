"""§5 helpers: client-side emulation, mapped clock, user-level protocols."""

import math

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
