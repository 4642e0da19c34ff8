"""The cache simulator (ipcmodel.cachesim): hand-worked cases, properties that hold by construction
of a cache, an independent reference LRU, layouts and the colouring remedy, and bad input.

Expected counts are worked out by hand in the comments (or by the naive reference simulator
below, written independently of the module), never copied from the simulator's output.
"""

from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcmodel.cachesim import (
    CacheGeometry,
    ObjectFile,
    SystemLayout,
    flush_and_subtract,
    path_conflict_sets,
    round_trip_trace,
    rpc_time_us,
    run,
    simulate,
    simulate_split,
)

# ---- hand-worked cases -------------------------------------------------------------------------


def test_a_stride_of_the_cache_size_thrashes_a_direct_mapped_cache():
    # 1 KB, 16-byte lines: 64 sets. Addresses 0 and 1024 map to set 0 with different tags, so
    # A B A B ... (10 rounds) misses every time: 2 cold, 18 conflict (a fully associative cache of
    # 64 lines would keep both), 0 capacity.
    geo = CacheGeometry(1024, 16)
    r = simulate(np.tile([0, 1024], 10), geo)
    assert (r.accesses, r.hits, r.misses) == (20, 0, 20)
    assert (r.cold_misses, r.conflict_misses, r.capacity_misses) == (2, 18, 0)
    # two ways per set cure it: only the 2 cold misses remain
    two_way = simulate(np.tile([0, 1024], 10), CacheGeometry(1024, 16, 2))
    assert (two_way.misses, two_way.cold_misses) == (2, 2)


def test_a_working_set_that_fits_misses_only_once_per_line():
    # 512 bytes read word by word (4 bytes) three times through a 1 KB direct-mapped cache with
    # 16-byte lines: 128 accesses a sweep, 384 in all; 512 / 16 = 32 lines, each missing once.
    geo = CacheGeometry(1024, 16)
    r = simulate(np.tile(np.arange(0, 512, 4), 3), geo)
    assert (r.accesses, r.misses, r.cold_misses, r.hits) == (384, 32, 32, 352)
    # counted after one warm-up sweep: no misses at all
    warm = simulate(np.tile(np.arange(0, 512, 4), 2), geo, count_from=128)
    assert (warm.accesses, warm.misses) == (128, 0)


def test_lru_evicts_the_least_recently_used_line():
    # one set of two 16-byte lines; lines A=0, B=16, C=32. A B A C B A:
    # A miss, B miss, A hit (LRU order now B, A), C miss evicts B (A, C), B miss evicts A (C, B),
    # A miss evicts C. (FIFO would have evicted A at C and hit on B.)
    geo = CacheGeometry(32, 16, 2)
    r = simulate([0, 16, 0, 32, 16, 0], geo)
    assert list(~r.miss_mask) == [False, False, True, False, False, False]
    # as a fully associative cache, the last three misses are capacity misses, none conflict
    assert (r.cold_misses, r.capacity_misses, r.conflict_misses) == (3, 1 + 1, 0)


def test_cycling_through_one_line_more_than_fits_is_capacity():
    # 3 lines through a fully associative 2-line LRU cache: every access misses; 3 cold, 3 capacity
    r = simulate([0, 16, 32] * 2, CacheGeometry(32, 16, 2))
    assert (r.misses, r.cold_misses, r.capacity_misses, r.conflict_misses) == (6, 3, 3, 0)


def test_time_at_a_clock():
    r = simulate(np.tile([0, 1024], 10), CacheGeometry(1024, 16))
    # 20 misses x 5 cycles / 16.67 MHz
    assert r.miss_time_us(5, 16.67) == pytest.approx(20 * 5 / 16.67)


def test_split_caches_keep_instructions_and_data_apart():
    # the same address as an instruction and as data: in split caches each misses once;
    # in one unified cache the second one hits
    addr = [0, 0, 0, 0]
    kind = [True, False, True, False]
    i, d = simulate_split(addr, kind, CacheGeometry(1024, 16), CacheGeometry(1024, 4))
    assert (i.accesses, i.misses, d.accesses, d.misses) == (2, 1, 2, 1)
    ui, ud = simulate_split(addr, kind, CacheGeometry(1024, 16))
    assert (ui.misses, ud.misses) == (1, 0)
    assert (ui + ud).accesses == 4


# ---- an independent reference: the textbook LRU, one access at a time --------------------------

def reference_lru(addresses, size, line, ways):
    sets = [OrderedDict() for _ in range(size // line // ways)]
    out = []
    for a in addresses:
        ln = a // line
        s = sets[ln % len(sets)]
        if ln in s:
            s.move_to_end(ln)
            out.append(True)
        else:
            s[ln] = None
            if len(s) > ways:
                s.popitem(last=False)
            out.append(False)
    return np.array(out, dtype=bool)


geometries = st.tuples(st.sampled_from([4, 16, 32]), st.sampled_from([1, 2, 4]),
                       st.sampled_from([4, 8, 16])).map(lambda t: (t[0] * t[1] * t[2], t[0], t[1]))
streams = st.lists(st.integers(0, 4095), min_size=0, max_size=300)


@given(geo=geometries, addrs=streams)
def test_agrees_with_the_reference_lru(geo, addrs):
    size, line, ways = geo
    r = simulate(np.array(addrs, dtype=np.int64), CacheGeometry(size, line, ways))
    assert np.array_equal(~r.miss_mask, reference_lru(addrs, size, line, ways))


# ---- properties that hold by construction of a cache ------------------------------------------

@given(geo=geometries, addrs=streams)
def test_counts_add_up_and_cold_misses_are_the_distinct_lines(geo, addrs):
    size, line, ways = geo
    r = simulate(np.array(addrs, dtype=np.int64), CacheGeometry(size, line, ways))
    assert r.misses <= r.accesses == len(addrs)
    assert r.hits + r.misses == r.accesses
    assert r.cold_misses + r.conflict_misses + r.capacity_misses == r.misses
    assert r.cold_misses == len({a // line for a in addrs})
    assert min(r.cold_misses, r.conflict_misses, r.capacity_misses) >= 0


@given(data=st.data())
def test_lines_in_distinct_sets_of_a_direct_mapped_cache_only_miss_cold(data):
    geo = CacheGeometry(1024, 16)  # 64 sets
    sets = data.draw(st.lists(st.integers(0, 63), min_size=1, max_size=64, unique=True))
    tags = data.draw(st.lists(st.integers(0, 1000), min_size=len(sets), max_size=len(sets)))
    lines = [t * 64 + s for t, s in zip(tags, sets, strict=True)]
    order = data.draw(st.lists(st.sampled_from(lines), min_size=1, max_size=200))
    r = simulate(np.array(order) * 16 + 3, geo)
    assert r.misses == r.cold_misses == len(set(order))
    assert r.conflict_misses == r.capacity_misses == 0


@given(n_lines=st.sampled_from([1, 2, 8, 32]), data=st.data())
def test_a_stream_that_fits_a_fully_associative_lru_cache_only_misses_cold(n_lines, data):
    geo = CacheGeometry(n_lines * 16, 16, n_lines)
    lines = data.draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=n_lines, unique=True))
    order = data.draw(st.lists(st.sampled_from(lines), min_size=1, max_size=200))
    r = simulate(np.array(order) * 16, geo)
    assert r.misses == r.cold_misses == len(set(order))


@given(geo=geometries, addrs=streams, cut=st.integers(0, 300))
def test_warm_up_accesses_are_not_counted(geo, addrs, cut):
    size, line, ways = geo
    cut = min(cut, len(addrs))
    whole = simulate(np.array(addrs, dtype=np.int64), CacheGeometry(size, line, ways))
    part = simulate(np.array(addrs, dtype=np.int64), CacheGeometry(size, line, ways), count_from=cut)
    assert part.accesses == len(addrs) - cut
    assert part.misses == int(whole.miss_mask[cut:].sum())


# ---- layouts and the remedy --------------------------------------------------------------------

def two_file_kernel(gap_bytes):
    """Two path blocks of 1 KB, the second ``gap_bytes`` after a 64 KB period of the first."""
    return (ObjectFile("md.o", 2048, 1024, 0, "entry-exit"), ObjectFile("filler.o", 65536 - 2048 + gap_bytes),
            ObjectFile("mi.o", 2048, 1024, 0, "body"))


def test_two_path_blocks_a_cache_size_apart_collide_line_for_line():
    # md.o's block at 0..1024, mi.o's at 65536 + 0: all 64 lines of 16 bytes share sets. A round
    # trip runs the path twice, and each pass evicts each colliding line twice: 4 x 64 misses.
    ic, dc = CacheGeometry(65536, 16), CacheGeometry(65536, 4)
    lay = SystemLayout(two_file_kernel(0))
    assert path_conflict_sets(lay, ic) == 64
    assert run(round_trip_trace(lay), ic, dc).ipc_path_misses == 4 * 64
    # shifted by 512 bytes: half the lines overlap
    half = SystemLayout(two_file_kernel(512))
    assert run(round_trip_trace(half), ic, dc).ipc_path_misses == 4 * 32
    # one pass per round trip: two misses per colliding line
    assert run(round_trip_trace(lay, traversals=1), ic, dc).ipc_path_misses == 2 * 64


def test_the_remedy_puts_the_path_on_reserved_colours_only():
    ic, dc = CacheGeometry(65536, 16), CacheGeometry(65536, 4)
    lay = SystemLayout(two_file_kernel(0), reserve=True, service_data_bytes=65536)
    assert lay.reserved_colours("i") == 1 and lay.reserved_bytes("d") == 4096
    assert run(round_trip_trace(lay), ic, dc).ipc_path_misses == 0
    for r in lay.regions():
        sets = ic.sets_of(lay.region_addresses(r)) if r.stream == "i" else dc.sets_of(lay.region_addresses(r))
        line = ic.line_bytes if r.stream == "i" else dc.line_bytes
        colour = sets * line // 4096
        if r.owner == "ipc-path":
            assert np.all(colour == 0), r.name
        else:
            assert np.all(colour != 0), r.name


def test_layout_orders_and_sizes():
    lay = SystemLayout(two_file_kernel(0))
    starts = lay.file_starts()
    assert starts == {"md.o": 0, "filler.o": 2048, "mi.o": 65536}
    moved = lay.with_order(["mi.o", "md.o", "filler.o"]).file_starts()
    assert moved == {"mi.o": 0, "md.o": 2048, "filler.o": 4096}
    assert lay.with_size("filler.o", 100).file_starts()["mi.o"] == 2048 + 112  # 16-byte aligned


def test_rpc_time_and_the_flush_advice():
    # 95 µs reference, 216 misses beyond it at 5 cycles, 16.67 MHz
    assert rpc_time_us(216, 0, 95, 5, 16.67) == pytest.approx(95 + 216 * 5 / 16.67)
    ic, dc = CacheGeometry(65536, 16), CacheGeometry(65536, 4)
    tr = round_trip_trace(SystemLayout(two_file_kernel(0)))
    a = flush_and_subtract(tr, ic, dc, reference_us=95, reference_misses=0, miss_penalty_cycles=5,
                           clock_mhz=16.67, flush_cycles_per_line=1)
    b = flush_and_subtract(tr, ic, dc, reference_us=95, reference_misses=0, miss_penalty_cycles=5,
                           clock_mhz=16.67, flush_cycles_per_line=14)
    # the flush is (4096 + 16384 lines) x cycles per line; subtracting it leaves the same worst case
    assert a.flush_us == pytest.approx(20480 / 16.67) and b.flush_us == pytest.approx(14 * 20480 / 16.67)
    assert a.worst_case_us == pytest.approx(b.worst_case_us)
    assert a.measured_us - a.flush_us == pytest.approx(a.worst_case_us)
    assert a.flushed_misses > a.warm_misses


# ---- bad input: the error names the parameter, its unit and the range --------------------------

@pytest.mark.parametrize("kw, words", [
    ({"size_bytes": 0, "line_bytes": 16}, r"size_bytes \(bytes\) must be in \[1, "),
    ({"size_bytes": 1000, "line_bytes": 16}, r"size_bytes \(bytes\) must be a whole multiple of line_bytes"),
    ({"size_bytes": 1024, "line_bytes": 0}, r"line_bytes \(bytes\) must be in \[1, 4096\]"),
    ({"size_bytes": 1024, "line_bytes": 16, "ways": 3}, r"ways \(lines per set\) must divide"),
    ({"size_bytes": 1024, "line_bytes": 16, "ways": 128}, r"ways \(lines per set\) must be in \[1, 64\]"),
    ({"size_bytes": 1024.5, "line_bytes": 16}, r"size_bytes \(bytes\) must be a whole number"),
])
def test_bad_geometry(kw, words):
    with pytest.raises(ValueError, match=words):
        CacheGeometry(**kw)


@pytest.mark.parametrize("addrs, words", [
    ([-4, 0], r"addresses_bytes \(bytes\) must be in \[0, 2\*\*62\)"),
    ([[0, 4]], r"addresses_bytes \(bytes\) must be a 1-d array"),
    ([0.5], r"addresses_bytes \(bytes\) must be whole numbers"),
])
def test_bad_addresses(addrs, words):
    with pytest.raises(ValueError, match=words):
        simulate(addrs, CacheGeometry(1024, 16))


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match=r"count_from \(accesses\) must be in \[0, 2\]"):
        simulate([0, 4], CacheGeometry(1024, 16), count_from=3)
    with pytest.raises(TypeError, match="geometry must be a CacheGeometry"):
        simulate([0], 1024)
    with pytest.raises(ValueError, match=r"is_instruction must have one flag per address"):
        simulate_split([0, 4], [True], CacheGeometry(1024, 16))
    with pytest.raises(ValueError, match=r"size_bytes \(bytes\) must be in \[0, "):
        ObjectFile("x.o", -1)
    with pytest.raises(ValueError, match=r"path_offset_bytes \+ path_bytes \(bytes\) must be <= size_bytes"):
        ObjectFile("x.o", 100, 64, 64)
    with pytest.raises(ValueError, match="names must be a permutation"):
        SystemLayout(two_file_kernel(0)).with_order(["md.o"])
    with pytest.raises(ValueError, match="no object file 'nope.o'"):
        SystemLayout(two_file_kernel(0)).with_size("nope.o", 10)
    with pytest.raises(ValueError, match=r"only 1 colours; use a larger cache_bytes"):
        SystemLayout(two_file_kernel(0), reserve=True, cache_bytes=4096)
    with pytest.raises(ValueError, match=r"miss_penalty_cycles \(cycles\) must be in \[0, 1e\+06\]"):
        rpc_time_us(1, 0, 95, -5, 16.67)
    with pytest.raises(ValueError, match=r"clock_mhz \(MHz\) must be in \(0, 1e\+06\]"):
        rpc_time_us(1, 0, 95, 5, 0)
    with pytest.raises(ValueError, match=r"traversals \(passes of the IPC path\) must be in \[1, 2\]"):
        round_trip_trace(SystemLayout(two_file_kernel(0)), traversals=3)
