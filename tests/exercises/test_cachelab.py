"""Self-check exercises of notebook 02b, the cache lab: ipcmodel.exercises.cachelab.

Seed 0's answers are recomputed here by hand from the lab's synthetic kernel (its file sizes) and
the cited facts (BDF92 §3.1's timing, Chen & Bershad's Table 2-1), never copied from the
exercises. The contract every notebook's set keeps is in test_core.py; it is repeated here for
every seed, since the generators here are not in its list of seeded topics.
"""

import pytest

from ipcmodel import paper
from ipcmodel.data import fact
from ipcmodel.exercises import cachelab, for_notebook

MAKERS = [cachelab.overlap_misses_exercise, cachelab.collision_rpc_exercise,
          cachelab.find_collision_exercise, cachelab.reserved_share_exercise,
          cachelab.remedy_cost_exercise]


def v(fid):
    return fact(fid).value


def by_hand():
    """The as-built kernel by hand: ipc_kmsg.o starts after locore, pmap, vm_fault and vm_map
    (all sizes multiples of 16, so no padding); its path block ends offset + 2048 bytes later."""
    f = {x.name: x for x in paper.kernel_files()}
    mi_end = sum(f[n].size_bytes for n in ("locore.o", "pmap.o", "vm_fault.o", "vm_map.o")) \
        + f["ipc_kmsg.o"].path_offset_bytes + f["ipc_kmsg.o"].path_bytes
    md_start = f["locore.o"].path_offset_bytes
    gap = (md_start - mi_end) % (64 * 1024)          # bytes until ipc_kmsg's block reaches locore's
    return gap, f["vm_fault.o"].size_bytes


def test_seed_0_is_the_labs_bdf92_case():
    gap, built = by_hand()
    lines = (paper.UNRELATED_GROWTH_BYTES - gap) // 16
    assert cachelab.overlap_misses_exercise().answer == 4 * lines          # 2 passes x 2 evictions
    rpc = v("bdf92-rpc-ds3100") + 4 * lines * v("bdf92-miss-penalty-ds3100") / v("bdf92-clock-ds3100")
    assert cachelab.collision_rpc_exercise().answer == pytest.approx(rpc, rel=1e-9)
    # the first size whose 16-byte-aligned end pushes ipc_kmsg's block one byte past the gap
    assert cachelab.find_collision_exercise().answer == built + gap + 1
    assert cachelab.reserved_share_exercise().answer == pytest.approx(100 * 4096 / 65536)


def test_remedy_cost_seed_0_by_hand():
    """Seed 0 is the grown link with the lab's 64 KB working set. That working set fills the data
    cache, so without the remedy it evicts every data line of the IPC path (§3: 2 KB of data, in
    Chen & Bershad's 4-byte data lines, Table 2-1), and the grown link adds the collision's
    4 x shared lines (as in test_seed_0_is_the_labs_bdf92_case); with the remedy the path never
    misses. The net change in misses, at BDF92 §3.1's 5 cycles per miss and 16.67 MHz, is the
    answer."""
    gap, built = by_hand()
    lines = (paper.UNRELATED_GROWTH_BYTES - gap) // 16
    grown = built + paper.UNRELATED_GROWTH_BYTES
    c = paper.remedy_cost(64 * 1024, grown)
    assert (c.path_misses_off, c.path_misses_on) == (2048 // 4 + 4 * lines, 0)
    net = (c.path_misses_on + c.service_misses_on) - (c.path_misses_off + c.service_misses_off)
    assert net > 0   # with a working set that fills the cache, the remedy costs more than it saves
    ex = cachelab.remedy_cost_exercise()
    assert ex.answer == pytest.approx(net * 5 / 16.67, rel=1e-9)
    assert ex.step == "combine" and f"remedy_cost(65536, {grown})" in ex.question


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", range(8))
def test_right_answer_accepted_wrong_flagged(make, seed):
    ex = make(seed)
    assert ex.answer > 0 and ex.question
    assert ex.check(ex.answer).correct and ex.check(f"{ex.answer!r} {ex.unit}").correct
    for wrong in (ex.answer * 1.5, ex.answer * 0.5, -abs(ex.answer) - 1):
        fb = ex.check(wrong)
        assert not fb.correct and fb.message
    assert f"{ex.answer:.4g}" in str(ex.show_solution())
    assert "ipcmodel." in ex.question + ex.show_solution().text
    assert make(seed).question == ex.question and make(0).with_seed(seed).answer == ex.answer


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("junk", ["", "abc", None, [1, 2], float("nan"), "12 parsecs", True, object()])
def test_junk_never_raises(make, junk):
    fb = make(1).check(junk)
    assert not fb.correct and str(fb)


def test_find_collision_is_checked_by_the_simulator():
    ex = cachelab.find_collision_exercise()
    first = int(ex.answer)
    # any size in the same 16-byte alignment step gives the same layout: all count
    aligned_end = -(-first // 16) * 16
    assert ex.check(aligned_end).correct and ex.check(f"{aligned_end} bytes").correct
    assert not ex.check(first - 1).correct              # one byte less: no collision
    fb = ex.check(first + 40)                           # collides, but is not the smallest
    assert not fb.correct and "smallest" in fb.message
    fb = ex.check(20000)                                # well past the window: no collision
    assert not fb.correct and "no collision" in fb.message
    fb = ex.check(100)
    assert not fb.correct and "above" in fb.message
    # the answer really collides: more misses than as built, in the simulator
    assert paper.null_rpc_misses(paper.lab_layout(first)).misses > paper.null_rpc_misses(paper.lab_layout()).misses


def test_the_notebook_set():
    s = for_notebook("02b")
    assert s.title.startswith("Notebook 02b")
    assert s.ids == ["overlap-misses", "collision-rpc", "find-collision", "reserved-share",
                     "remedy-cost"]
    assert all(s.check(i, s[i].answer).correct for i in s.ids)
