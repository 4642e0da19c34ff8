"""Self-check exercises for notebook 02b, the cache lab (§3; Bershad, Draves & Forin 1992, §3.1).

On :mod:`ipcmodel.exercises.core`. Every variant takes its layout from
:mod:`ipcmodel.paper.cachelab` (synthetic object files, cited caches and DS3100 timing) and its
answer from the simulator (:mod:`ipcmodel.cachesim`); ``seed=0`` is the lab's version of BDF92's
collision. :func:`find_collision_exercise` is checked by the simulator itself: any size in the
first colliding alignment step counts.

Steps (:data:`ipcmodel.exercises.core.STEPS`): the overlap in misses, the collided RPC and the
reserved share are printed in the lab for seed 0 (``look-up``); finding a colliding size solves
the layout for an input (``invert``); what the remedy costs in µs puts the remedy's misses
(§4 of the lab) together with the DECstation 3100's timing (``combine``). The slips the lab is
about get their hints: one pass instead of a round trip's two, misses left in cycles, the
instruction and data caches reserved together, the growth given instead of the size.

>>> ex = overlap_misses_exercise()
>>> ex.check(ex.answer).correct
True
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ipcmodel import paper, units
from ipcmodel.data import fact
from ipcmodel.exercises.core import (
    Exercise,
    ExerciseSet,
    Feedback,
    Slip,
    Variant,
    clock_slip,
    fmt,
    nth,
    round_trip_slip,
    seed_for,
)
from ipcmodel.paper import cachelab as _lab

__all__ = [
    "GROWTHS_BYTES",
    "CACHE_KB",
    "WORKING_SETS_KB",
    "overlap_misses_exercise",
    "collision_rpc_exercise",
    "find_collision_exercise",
    "FindCollisionExercise",
    "reserved_share_exercise",
    "remedy_cost_exercise",
    "exercise_set",
]

#: How much ``vm_fault.o`` grows in the variants (bytes; what-ifs, seed 0 = the lab's BDF92 case).
GROWTHS_BYTES = (paper.UNRELATED_GROWTH_BYTES, 1600, 2400, 3200, 4000)
#: Cache sizes of the variants (KB; what-ifs, seed 0 = Chen & Bershad's 64 KB).
CACHE_KB = (64, 32, 16, 128, 8)


def _built() -> int:
    return paper.kernel_files()[2].size_bytes


@functools.lru_cache(maxsize=4096)
def _misses(size: int, cache_kb: int = 64, order: str = "as built") -> int:
    """Misses of a warm null RPC in the lab (memoised: the layouts are fixed, the checks repeat)."""
    return paper.null_rpc_misses(paper.lab_layout(size, order, False, cache_kb * 1024), cache_kb * 1024).misses


def _block(layout, name: str, cache_bytes: int) -> tuple[int, int]:
    r = layout.region(f"{name} (IPC path)")
    return r.start_bytes % cache_bytes, r.end_bytes % cache_bytes or cache_bytes


def _shared_lines(a: tuple[int, int], b: tuple[int, int], cache_bytes: int, line: int) -> int:
    """Cache sets that two blocks of bytes (positions mod the cache) both occupy."""
    def sets(block):
        lo, hi = block
        return set((np.arange(lo, hi if hi > lo else hi + cache_bytes, line) % cache_bytes // line).tolist())

    return len(sets(a) & sets(b))


def _timing() -> str:
    pen, clk, rpc = (fact(i) for i in ("bdf92-miss-penalty-ds3100", "bdf92-clock-ds3100", "bdf92-rpc-ds3100"))
    return (f"a miss costs {pen.value:g} cycles {pen.cite()} at {clk.value:g} MHz {clk.cite()}, and the "
            f"as-built link takes {rpc.value:g} µs {rpc.cite()}")


# ---- 1. the overlap in misses ------------------------------------------------------------------

def _overlap_variant(seed: int) -> Variant:
    (growth,) = nth(seed, GROWTHS_BYTES)
    ic, _dc = paper.lab_caches()
    cache = ic.size_bytes
    lay = paper.lab_layout()
    md, mi = _block(lay, "locore.o", cache), _block(lay, "ipc_kmsg.o", cache)
    extra = _misses(_built() + growth) - _misses(_built())
    moved = ((mi[0] + growth) % cache, (mi[1] + growth) % cache or cache)
    shared = _shared_lines(md, moved, cache, ic.line_bytes)
    q = (f"In the lab's kernel (synthetic), the IPC path's machine-dependent code in locore.o sits at "
         f"bytes {md[0]}–{md[1]} of the {cache // 1024} KB direct-mapped instruction cache (16-byte lines "
         f"{fact('cb93-icache-line-ds5000').cite()}), and its machine-independent code in ipc_kmsg.o "
         f"at bytes {mi[0]}–{mi[1]}. vm_fault.o, linked between them, grows by {growth} bytes, which "
         "moves ipc_kmsg.o up by as much. A round trip runs the path twice (request and reply), and "
         "each pass evicts every line the two blocks share twice. How many extra misses does a warm "
         "round trip take? (Check with the explorer, or with ipcmodel.paper.null_rpc_misses.)")
    sol = (f"after the change ipc_kmsg.o's path code sits at bytes {moved[0]}–{moved[1]} (mod {cache})\n"
           f"it shares {shared} lines of {ic.line_bytes} bytes with locore.o's ({md[0]}–{md[1]})\n"
           f"misses = 2 passes x 2 evictions x {shared} lines = {fmt(4 * shared)}; the simulator "
           f"counts {fmt(extra)}\n"
           f"(ipcmodel.paper.null_rpc_misses(ipcmodel.paper.lab_layout({_built() + growth})).misses "
           f"- the same at {_built()})")
    slips = (round_trip_slip(extra / 2),
             Slip(float(shared), "that is the number of shared lines: each is evicted twice per "
                                 "pass (once by each block), and a round trip makes two passes.",
                  "other"))
    return Variant(q, float(extra), sol, inputs={"growth_bytes": growth}, slips=slips)


def overlap_misses_exercise(seed: int = 0, **kw) -> Exercise:
    """Extra misses per round trip when ``vm_fault.o`` grows (misses, ±2)."""
    kw.setdefault("step", "look-up")
    return Exercise("overlap-misses", _overlap_variant, "misses", rtol=0.0, atol=2.0, seed=seed,
                    title="A grown file, in misses", **kw)


# ---- 2. the misses in µs -----------------------------------------------------------------------

def _rpc_variant(seed: int) -> Variant:
    (growth,) = nth(seed, GROWTHS_BYTES)
    extra = _misses(_built() + growth) - _misses(_built())
    t = paper.lab_rpc_us(extra + paper.reference_misses())
    pen, clk = fact("bdf92-miss-penalty-ds3100").value, fact("bdf92-clock-ds3100").value
    rpc = fact("bdf92-rpc-ds3100").value
    q = (f"In the lab, vm_fault.o grows by {growth} bytes and the simulator counts {extra} extra "
         f"misses per warm null RPC. On the DECstation 3100 {_timing()}. How long does the null RPC "
         "take now (in µs)?")
    sol = (f"extra time = {extra} x {pen:g} cycles / {clk:g} MHz = {fmt(extra * pen / clk)} µs\n"
           f"RPC = {rpc:g} + {fmt(extra * pen / clk)} = {fmt(t)} µs"
           f"{' (BDF92 measured about ' + format(fact('bdf92-rpc-collision-ds3100').value, 'g') + ' µs)' if growth == paper.UNRELATED_GROWTH_BYTES else ''}\n"
           f"(ipcmodel.paper.lab_rpc_us({extra}))")
    slips = (Slip(rpc + extra * pen, f"did you add the misses in cycles? {extra} x {pen:g} is a "
                                     f"number of cycles; divide by the clock ({clk:g} MHz) for µs.",
                  "clock"),
             Slip(extra * pen / clk, f"that is only the misses' extra time: the null RPC still "
                                     f"takes its {rpc:g} µs as built on top of it.", "other"),
             Slip(rpc + extra / clk, f"each miss costs {pen:g} cycles, not one: multiply by the "
                                     "miss penalty before dividing by the clock.", "other"))
    return Variant(q, float(t), sol, inputs={"growth_bytes": growth}, slips=slips, clock_mhz=clk)


def collision_rpc_exercise(seed: int = 0, **kw) -> Exercise:
    """The null RPC after the growth, at the DECstation 3100's numbers (µs, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("collision-rpc", _rpc_variant, "µs", rtol=0.02, seed=seed,
                    title="The misses in microseconds", **kw)


# ---- 3. find a layout that collides ------------------------------------------------------------

@functools.lru_cache(maxsize=16)
def _first_collision(cache_kb: int) -> int | None:
    """Smallest size of vm_fault.o above its as-built size (bytes) at which the null RPC takes
    more misses than as built, in caches of ``cache_kb``; None if none up to 64 KB."""
    base = _misses(_built(), cache_kb)
    lo = _built()
    for hi in range(_built() + 256, 65536 + 1, 256):
        if _misses(hi, cache_kb) > base:
            while hi - lo > 1:  # the misses change only at 16-byte steps: bisect to the byte
                mid = (lo + hi) // 2
                lo, hi = (lo, mid) if _misses(mid, cache_kb) > base else (mid, hi)
            return hi
        lo = hi
    return None


def _collision_cases() -> list[int]:
    return [k for k in CACHE_KB if _first_collision(k) is not None]


def _find_variant(seed: int) -> Variant:
    (cache_kb,) = nth(seed, _collision_cases())
    first = _first_collision(cache_kb)
    base = _misses(_built(), cache_kb)
    q = (f"Find a layout that collides. In the lab's kernel with {cache_kb} KB caches (the link order "
         f"'as built', no remedy), vm_fault.o is {_built()} bytes and a warm null RPC takes {base} "
         f"misses. What is the smallest size of vm_fault.o, above {_built()} bytes, at which the null "
         "RPC takes more misses? Move the explorer's slider, or call "
         f"ipcmodel.paper.null_rpc_misses(ipcmodel.paper.lab_layout(size, cache_bytes={cache_kb * 1024}), "
         f"{cache_kb * 1024}). (Files start on 16-byte boundaries, so any size in the first colliding "
         "16-byte step counts; the simulator checks your answer.)")
    sol = (f"at {first - 1} bytes: {_misses(first - 1, cache_kb)} misses; at {first} bytes: "
           f"{_misses(first, cache_kb)} misses\n"
           "ipc_kmsg.o's path code has moved onto the first line of another block of the path in "
           "the instruction cache (or of the client's or service's code)")
    return Variant(q, float(first), sol, inputs={"cache_kb": cache_kb})


class FindCollisionExercise(Exercise):
    """Checked by the simulator: correct when the null RPC collides at the given size and does
    not at the size one alignment step (16 bytes) smaller (or at the as-built size)."""

    def _check(self, answer) -> Feedback:
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            return super()._check(answer)  # "no answer yet", as every exercise says it
        value, kind, problem = self._parse(answer)
        if problem:
            return Feedback(False, kind, problem)
        size = math.floor(value)
        if not 0 <= size <= 65536:
            return Feedback(False, "off", f"Not yet: {fmt(value)} bytes is not a size the lab takes "
                                          "(0 to 65536 bytes).")
        (cache_kb,) = nth(self.seed, _collision_cases())
        base, here = _misses(_built(), cache_kb), _misses(size, cache_kb)
        if size <= _built():
            if 0 < size and self._first_step(size + _built(), cache_kb, base):
                return Feedback(False, "slip", f"Not yet: {size} bytes looks like how much "
                                               "vm_fault.o grows; the question asks for its size "
                                               f"(the growth plus the {_built()} bytes as built).")
            return Feedback(False, "off", f"Not yet: the question asks for a size above {_built()} bytes.")
        if here <= base:
            return Feedback(False, "off", f"Not yet: at {size} bytes the null RPC takes {here} misses, "
                                          f"no more than as built ({base}); no collision.")
        if not self._first_step(size, cache_kb, base):
            before = max(size - 16, _built())
            return Feedback(False, "off", f"Not yet: {size} bytes collides ({here} misses), but so does "
                                          f"{before}: look for the smallest size.")
        return Feedback(True, "correct", f"Correct: at {size} bytes the null RPC takes {here} misses "
                                         f"instead of {base} (checked by the simulator).")

    @staticmethod
    def _first_step(size: int, cache_kb: int, base: int) -> bool:
        """The null RPC collides at ``size`` and not one alignment step (16 bytes) below it."""
        if size > 65536 or _misses(size, cache_kb) <= base:
            return False
        return _misses(max(size - 16, _built()), cache_kb) <= base

    def with_seed(self, seed) -> FindCollisionExercise:
        new = super().with_seed(seed)
        new.__class__ = type(self)  # checked by the simulator in every variant
        return new


def find_collision_exercise(seed: int = 0, **kw) -> FindCollisionExercise:
    """The smallest size of ``vm_fault.o`` that makes the IPC path collide (bytes; any size in the
    first colliding 16-byte step, checked by the simulator)."""
    kw.setdefault("step", "invert")
    return FindCollisionExercise("find-collision", _find_variant, "bytes", rtol=0.0, atol=15.0, seed=seed,
                                 title="Find a layout that collides", **kw)


# ---- 4. what the remedy reserves ---------------------------------------------------------------

def _reserved_variant(seed: int) -> Variant:
    (cache_kb,) = nth(seed, CACHE_KB)
    lay = paper.lab_layout(reserve=True, cache_bytes=cache_kb * 1024)
    share = 100.0 * lay.reserved_bytes("i") / lay.cache_bytes
    path_i = fact("b92-ipc-path-instructions")
    page = paper.lab_page_bytes()
    q = (f"§3's remedy gives the IPC path's code ({path_i.qualifier} {path_i.value:g} KB "
         f"{path_i.cite()}) cache colours of its own: whole pages of {page} bytes "
         f"{fact('cb93-page-size-ds5000').cite()}, each page one colour. With a {cache_kb} KB "
         "instruction cache, what percentage of it is reserved for the path?")
    sol = (f"colours = {cache_kb * 1024} / {page} = {lay.n_colours}\n"
           f"reserved = ceil({int(units.kb_to_bytes(path_i.value))} / {page}) = {lay.reserved_colours('i')} "
           f"colour(s) = {lay.reserved_bytes('i')} bytes\n"
           f"share = {lay.reserved_bytes('i')} / {cache_kb * 1024} = {fmt(share)}%\n"
           f"(ipcmodel.paper.lab_layout(reserve=True, cache_bytes={cache_kb * 1024}).reserved_bytes('i'))")
    both = 100.0 * (lay.reserved_bytes("i") + lay.reserved_bytes("d")) / lay.cache_bytes
    slips = (Slip(both, "the caches are split: the instruction cache reserves colours for the "
                        "path's code only (its data get colours of the data cache), so count the "
                        "code's pages alone.", "other"),)
    return Variant(q, share, sol, inputs={"cache_kb": cache_kb}, slips=slips)


def reserved_share_exercise(seed: int = 0, **kw) -> Exercise:
    """Share of the instruction cache the remedy reserves (%, ±0.5 percentage points)."""
    kw.setdefault("step", "look-up")
    return Exercise("reserved-share", _reserved_variant, "%", rtol=0.0, atol=0.5, seed=seed,
                    title="What the remedy reserves", **kw)


# ---- 5. what the remedy costs, in µs -------------------------------------------------------------

#: Working sets of the service for the remedy-cost variants (KB; what-ifs, seed 0 = the lab's
#: worst case, which fills the data cache).
WORKING_SETS_KB = (_lab.FULL_WORKING_SET_BYTES // 1024, _lab.FULL_WORKING_SET_BYTES // 1024 - 1)
#: A variant is asked only where the remedy costs at least this many misses in all (a clear cost).
_MIN_NET_MISSES = 100


@functools.lru_cache(maxsize=1)
def _remedy_cases() -> tuple[tuple[int, int], ...]:
    """(growth of vm_fault.o in bytes, service working set in KB) where the remedy costs more
    misses than it saves: the lab's BDF92 growth with the lab's working set first, then the
    link as built (whose misses notebook 02b prints), then the other growths."""
    cases = []
    for growth in (GROWTHS_BYTES[0], 0, *GROWTHS_BYTES[1:]):
        for ws in WORKING_SETS_KB:
            if paper.remedy_cost(ws * 1024, _built() + growth).net_extra_misses >= _MIN_NET_MISSES:
                cases.append((growth, ws))
    return tuple(cases)


def _remedy_variant(seed: int) -> Variant:
    ((growth, ws),) = nth(seed, _remedy_cases())
    size = _built() + growth
    c = paper.remedy_cost(ws * 1024, size)
    pen, clk = fact("bdf92-miss-penalty-ds3100").value, fact("bdf92-clock-ds3100").value
    line, fill = fact("cb93-dcache-line-ds5000").value, fact("cb93-dcache-fetch-ds5000").value
    net = c.net_extra_misses
    us = net * pen / clk
    link = "as built" if growth == 0 else f"after vm_fault.o grew by {growth} bytes"
    q = (f"In the lab's kernel ({link}, vm_fault.o {size} bytes), a request makes a null RPC and "
         f"the service reads a working set of {ws} KB, about the whole data cache (the remedy's "
         "worst case; the lab's placement, section 4). Turn §3's remedy on: run "
         f"ipcmodel.paper.remedy_cost({ws * 1024}, {size}) to count the IPC path's and the "
         f"service's misses per round trip with the remedy off and on. On the DECstation 3100 "
         f"a miss costs {pen:g} cycles {fact('bdf92-miss-penalty-ds3100').cite()} at {clk:g} MHz "
         f"{fact('bdf92-clock-ds3100').cite()}. By how many µs does the remedy make one request "
         "slower, the path's and the service's misses together? (An upper bound: the lab charges "
         f"one miss per {line:g}-byte data line, and the real machine's {fill:g}-byte read fill "
         f"{fact('cb93-dcache-fetch-ds5000').cite()} would divide the data misses by up to "
         f"{fill / line:g}.)")
    sol = (f"IPC path: {c.path_misses_off} -> {c.path_misses_on} misses "
           f"({c.path_misses_on - c.path_misses_off:+d})\n"
           f"service: {c.service_misses_off} -> {c.service_misses_on} misses ({c.service_extra_misses:+d})\n"
           f"net = {c.misses_on} - {c.misses_off} = {net:+d} misses per request\n"
           f"time = {net} x {pen:g} cycles / {clk:g} MHz = {fmt(us)} µs slower\n"
           f"(ipcmodel.paper.remedy_cost({ws * 1024}, {size}).net_extra_misses)")
    slips = (clock_slip(float(net * pen), clk),
             Slip(c.service_extra_misses * pen / clk, "that is the service's loss alone: the remedy "
                  "also removes the IPC path's misses, so subtract what the path saves.", "other"),
             Slip(net / clk, f"each miss costs {pen:g} cycles, not one: multiply by the miss penalty "
                             "before dividing by the clock.", "other"))
    return Variant(q, float(us), sol, inputs={"growth_bytes": growth, "working_set_kb": ws},
                   slips=slips, clock_mhz=clk)


def remedy_cost_exercise(seed: int = 0, **kw) -> Exercise:
    """What the remedy costs one request, path and service together, at the DECstation 3100's
    timing (µs, ±2%)."""
    kw.setdefault("step", "combine")
    return Exercise("remedy-cost", _remedy_variant, "µs", rtol=0.02, seed=seed,
                    title="Does the remedy pay?", **kw)


def exercise_set(seed: int | str = 0, *, show_answers: bool | None = None) -> ExerciseSet:
    """Notebook 02b's exercises, all at variant ``seed`` (0 = the lab's BDF92 case; a str is a
    student identifier, :func:`~ipcmodel.exercises.core.seed_for`)."""
    base = seed_for(seed)
    makers = (overlap_misses_exercise, collision_rpc_exercise, find_collision_exercise,
              reserved_share_exercise, remedy_cost_exercise)
    return ExerciseSet("Notebook 02b: the cache lab", [make(base) for make in makers],
                       show_answers=show_answers)
