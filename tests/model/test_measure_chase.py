"""The latency ladder's chase: C when a compiler is present, Python (levels as lower bounds) when not.

Behaviour, not speed: which method was used and said, the per-level reading computed from the
points by the stated rule, the C chase following the same cycle as the Python one, and the
probe still working with the compiler mocked away. Timings are in benchmarks/PROBE.md.
"""

from __future__ import annotations

import json
import statistics
from importlib import resources

import numpy as np
import pytest

from ipcmodel.measure import ProbeResult, _cchase, load_example, memory, settings
from ipcmodel.measure._levels import ladder_levels
from ipcmodel.measure.results import SCHEMA_VERSION, LatencyPoint

HAVE_CC = _cchase.find_compiler() is not None
needs_cc = pytest.mark.skipif(not HAVE_CC, reason="no C compiler on this machine")
# 4 KiB .. 4 MiB: in L1, in L2 and beyond a (pretended) 1 MiB last-level cache; small and quick
SETS = [4096, 1 << 16, 1 << 22]
CACHES = [{"level": 1, "type": "Data", "size_bytes": 32768},
          {"level": 1, "type": "Instruction", "size_bytes": 32768},
          {"level": 2, "type": "Unified", "size_bytes": 1 << 20}]
CFG = settings(quick=True, repetitions=3, target_s=0.002)


def no_compiler(monkeypatch):
    monkeypatch.setattr(_cchase.shutil, "which", lambda name: None)


# ---- the C source ships with the package, and the chase follows the same cycle ------------------
def test_the_c_source_is_a_package_resource():
    src = resources.files("ipcmodel.measure").joinpath(_cchase.C_SOURCE)
    assert src.is_file() and "ipcmodel_chase" in src.read_text("utf-8")


@needs_cc
def test_the_c_chase_follows_the_python_chase():
    chase, note = _cchase.load_c_chase()
    assert chase is not None and "-O2" in note
    rng = np.random.default_rng(7)
    pos = rng.permutation(1000) * 8
    arena = np.zeros(8000, dtype=np.int64)
    arena[pos] = np.roll(pos, -1)
    for steps in (0, 1, 3, 4, 5, 999, 1000, 2501):  # the unrolled loop and its tail
        i = int(pos[0])
        for _ in range(steps):
            i = int(arena[i])
        assert chase(arena.ctypes.data, int(pos[0]), steps) == i, steps
    assert chase(arena.ctypes.data, int(pos[0]), 1000) == int(pos[0])  # a single cycle


def test_no_compiler_means_no_c_chase(monkeypatch):
    no_compiler(monkeypatch)
    assert _cchase.find_compiler({}) is None
    chase, why = _cchase.load_c_chase({})
    assert chase is None and "no C compiler" in why


@needs_cc
def test_a_failing_compiler_falls_back_with_its_reason(tmp_path):
    bad = tmp_path / "badcc"
    bad.write_text("#!/bin/sh\necho 'badcc: cannot compile' >&2\nexit 1\n")
    bad.chmod(0o755)
    chase, why = _cchase.load_c_chase({"CC": str(bad)})
    assert chase is None and "failed" in why and "cannot compile" in why


# ---- the ladder, both ways ----------------------------------------------------------------------
def test_ladder_without_a_compiler_marks_the_cache_levels_as_lower_bounds(monkeypatch):
    no_compiler(monkeypatch)
    lat = memory.measure_latency(CFG, SETS, line_bytes=64, clock_mhz=2000.0, caches=CACHES)
    assert lat.chase_method == "python" and lat.levels_lower_bounds
    assert "no C compiler" in lat.chase_note and "LOWER BOUND" in lat.method
    assert all(p.python_chase_us is None for p in lat.points)
    assert [lv["name"] for lv in lat.levels] == ["L1d", "L2", "memory"]
    assert [lv["lower_bound"] for lv in lat.levels] == [True, True, False]
    mem = lat.levels[-1]
    assert mem["excess_us"] == pytest.approx(lat.miss_penalty_us)  # the one usable reading
    with pytest.raises(RuntimeError, match="chase='c'.*no C compiler"):
        memory.measure_latency(CFG, SETS, caches=CACHES, chase="c")


@needs_cc
def test_ladder_with_a_compiler_uses_c_and_keeps_python_beside_it():
    lat = memory.measure_latency(CFG, SETS, line_bytes=64, clock_mhz=2000.0, caches=CACHES)
    assert lat.chase_method == "c" and not lat.levels_lower_bounds
    assert "C chase compiled with" in lat.chase_note
    assert all(p.python_chase_us is not None and p.python_chase_us > 0 for p in lat.points)
    assert not any(lv["lower_bound"] for lv in lat.levels)
    for lv in lat.levels:
        assert lv["python_latency_us"] is not None and lv["python_excess_us"] >= 0
        assert lv["excess_cycles"] == pytest.approx(lv["excess_us"] * 2000.0)
    # an L1 hit in C is far below the interpreter's step; no speed is asserted beyond that order
    assert lat.baseline_us < min(p.python_chase_us for p in lat.points)


def test_python_only_ladder_when_asked():
    lat = memory.measure_latency(CFG, SETS[:1], caches=CACHES, chase="python")
    assert lat.chase_method == "python" and lat.levels_lower_bounds and "requested" in lat.chase_note
    with pytest.raises(ValueError, match="chase .method. must be one of"):
        memory.measure_latency(CFG, SETS[:1], chase="fortran")


# ---- the per-level rule, by hand ------------------------------------------------------------------
def _pt(ws, us, py=None):
    return LatencyPoint(working_set_bytes=ws, median_us=us, ci_low_us=us, ci_high_us=us, ci_level=0.9,
                        excess_us=0.0, excess_cycles=None, gather_us=0.001, accesses_per_repetition=10,
                        repetitions=3, python_chase_us=py)


def test_levels_follow_the_stated_rule():
    caches = [{"level": 1, "type": "Data", "size_bytes": 32768},
              {"level": 2, "type": "Unified", "size_bytes": 1 << 20},
              {"level": 3, "type": "Unified", "size_bytes": 1 << 25}]
    us = {4096: 0.0014, 8192: 0.0013, 16384: 0.0015, 65536: 0.004, 131072: 0.0042, 262144: 0.0041,
          524288: 0.006, 1 << 21: 0.013, 1 << 22: 0.016, 1 << 23: 0.030, 1 << 24: 0.12,
          1 << 27: 0.15, 1 << 28: 0.16}
    pts = [_pt(ws, u, py=u + 0.035) for ws, u in us.items()]
    lv = {x["name"]: x for x in ladder_levels(pts, caches, 0.0013, 2500.0, lower_bounds=False,
                                               python_baseline_us=0.0365)}
    # L1d: ws <= 32 KiB / 4; L2: 64 KiB .. 256 KiB; L3: 2 MiB .. 8 MiB; memory: >= 4 x 32 MiB
    assert lv["L1d"]["working_sets_bytes"] == [4096, 8192]
    assert lv["L2"]["working_sets_bytes"] == [65536, 131072, 262144]
    assert lv["L3"]["working_sets_bytes"] == [1 << 21, 1 << 22, 1 << 23]
    assert lv["memory"]["working_sets_bytes"] == [1 << 27, 1 << 28]
    assert lv["L2"]["latency_us"] == pytest.approx(0.0041)
    assert lv["L3"]["excess_us"] == pytest.approx(0.016 - 0.0013)
    assert lv["memory"]["excess_us"] == pytest.approx(statistics.median([0.15, 0.16]) - 0.0013)
    assert lv["memory"]["excess_cycles"] == pytest.approx((0.155 - 0.0013) * 2500.0)
    assert lv["L3"]["python_excess_us"] == pytest.approx(0.016 + 0.035 - 0.0365)
    assert lv["L1d"]["level"] == 1 and lv["memory"]["level"] is None and lv["memory"]["size_bytes"] is None
    # no point fits comfortably: fall back to every point inside the level
    only = ladder_levels([_pt(1 << 14, 0.002), _pt(1 << 29, 0.2)], caches[:1], 0.002, None, lower_bounds=True)
    assert [x["working_sets_bytes"] for x in only] == [[1 << 14], [1 << 29]]
    assert only[0]["lower_bound"] and not only[1]["lower_bound"] and only[1]["excess_cycles"] is None


# ---- JSON: the fields, and results saved before them ---------------------------------------------
def test_json_names_the_method_and_the_bounds():
    d = json.loads(load_example().to_json())
    assert d["schema_version"] == SCHEMA_VERSION
    lat = d["latency"]
    assert lat["chase_method"] == "python" and lat["levels_lower_bounds"] is True
    assert [x["name"] for x in lat["levels"]][-1] == "memory"


def test_a_version_1_result_is_upgraded_with_lower_bounds():
    d = load_example().to_dict()
    for k in ("chase_method", "levels_lower_bounds", "chase_note", "levels"):
        d["latency"].pop(k)
    for p in d["latency"]["points"]:
        p.pop("python_chase_us")
    d["schema_version"] = 1
    r = ProbeResult.from_dict(d)
    assert r.schema_version == SCHEMA_VERSION and r.latency.chase_method == "python"
    assert r.latency.levels_lower_bounds and "schema version 1" in r.latency.chase_note
    assert r.latency.levels == load_example().latency.levels  # the shipped example is such a run
    with pytest.raises(ValueError, match="schema_version must be one of"):
        ProbeResult.from_dict({**d, "schema_version": 0})


def test_the_example_is_the_same_run_with_levels_added():
    ex = load_example()
    lat = ex.latency
    assert lat.chase_method == "python" and lat.levels_lower_bounds
    mem = lat.levels[-1]
    assert mem["excess_us"] == pytest.approx(lat.miss_penalty_us, rel=1e-12)
    assert mem["excess_cycles"] == pytest.approx(lat.miss_penalty_cycles, rel=1e-12)


# ---- the whole probe (latency part only) without a compiler: what a wheel user without cc gets ----
def test_probe_json_and_table_without_a_compiler(monkeypatch, tmp_path):
    from ipcmodel.measure import cli, run_probe

    no_compiler(monkeypatch)
    r = run_probe(quick=True, parts=["latency"], working_sets_bytes=SETS, repetitions=3, target_s=0.002)
    path = r.save(tmp_path / "r.json")
    lat = json.loads(path.read_text())["latency"]
    assert lat["chase_method"] == "python" and lat["levels_lower_bounds"] is True
    assert ProbeResult.load(path) == r
    table = cli.format_table(r)
    assert "python chase" in table and "LOWER BOUNDS" in table and "(lower bound)" in table
    with pytest.raises(ValueError, match="chase .method. must be one of"):
        run_probe(quick=True, parts=["latency"], chase="asm")


@needs_cc
def test_probe_table_with_a_compiler_says_resolved():
    from ipcmodel.measure import cli, run_probe

    r = run_probe(quick=True, parts=["latency"], working_sets_bytes=SETS, repetitions=3, target_s=0.002)
    assert r.latency.chase_method == "c"
    table = cli.format_table(r)
    assert "c chase (C chase compiled with" in table and "resolved" in table
    assert "(lower bound)" not in table
