"""Self-check exercises for notebook 02 (Bershad 1992, §3), on :mod:`ipcmodel.exercises.core`.

Every variant takes its inputs from ``data/`` (facts and machines) by the seed, computes the
answer with ``ipcmodel`` and writes the worked solution from the same numbers. ``seed=0`` is the
paper's own example. Miss fractions are the what-ifs of :data:`ipcmodel.exercises.core.MISS_FRACTIONS`;
the extra miss penalties (:data:`WHAT_IF_PENALTIES`) stand for §3's "tens, and soon to be
hundreds, of cycles" and are not measurements.

>>> ex = footprint_exercise()
>>> ex.check(f"{ex.answer:.0f} lines").correct
True
"""

from __future__ import annotations

import math

from ipcmodel import caches, paper, service, units
from ipcmodel.data import Fact, fact
from ipcmodel.exercises.core import (
    Constraint,
    Exercise,
    ExerciseSet,
    Feedback,
    Slip,
    Variant,
    clock_slip,
    fmt,
    machines_with,
    nth,
    seed_for,
    syscall_slip,
)
from ipcmodel.machines import machine

__all__ = [
    "WHAT_IF_PENALTIES",
    "MISS_FRACTIONS",
    "footprint_exercise",
    "cold_ipc_exercise",
    "miss_break_even_exercise",
    "dma_exercise",
    "DmaExercise",
    "collision_exercise",
    "SHARE_TARGETS",
    "SERVICE_LINE_FACTORS",
    "penalty_for_share_exercise",
    "dma_elsewhere_exercise",
    "exercise_set",
]

#: Miss penalties to ask about besides the measured ones: §3's "tens" and "hundreds" (what-ifs).
WHAT_IF_PENALTIES = (50.0, 100.0, 200.0)
#: Fractions of the IPC path's lines that miss (what-ifs; 1 = a completely cold path).
MISS_FRACTIONS = (1.0, 0.5, 0.25)


def _path_text() -> str:
    i, d = fact("b92-ipc-path-instructions"), fact("b92-ipc-path-data")
    return (f"§3: the round-trip IPC path needs {i.qualifier} {i.value:g} KB of instructions and "
            f"{d.qualifier} {d.value:g} KB of data {i.cite()} (1 KB = {units.BYTES_PER_KB} bytes)")


def _line_facts() -> list[tuple[Fact, str]]:
    """Cache lines stated in the sources, with whose cache they are."""
    fill = fact("cb93-dcache-fetch-ds5000")
    return [(fact("cb93-icache-line-ds5000"), "the DECstation 5000/200's instruction cache; count "
             f"the data in the {fill.value:g} bytes a data read miss fetches"),
            (fact("b92-cache-line-hp700"), "the HP-700's cache"),
            (fact("cb93-dcache-line-ds5000"), "the DECstation 5000/200's data cache")]


# ---- 1. footprint ------------------------------------------------------------------------------

def _footprint_variant(seed: int) -> Variant:
    (line, whose), = nth(seed, _line_facts())
    p = paper.ipc_path_line_counts(line.value)
    q = (f"{_path_text()}. With {line.value:g}-byte cache lines ({whose} {line.cite()}), "
         "at most how many lines does the path touch, instructions and data together?")
    sol = (f"instructions: {fact('b92-ipc-path-instructions').value:g} x {units.BYTES_PER_KB} / "
           f"{line.value:g} = {fmt(p['instruction_lines'])} lines\n"
           f"data: {fact('b92-ipc-path-data').value:g} x {units.BYTES_PER_KB} / {line.value:g} = "
           f"{fmt(p['data_lines'])} lines\n"
           f"total = {fmt(p['total_lines'])} lines (an upper bound: the paper says 'less than')\n"
           f"(ipcmodel.caches.footprint_lines(4096, 2048, {line.value:g}))")
    return Variant(q, float(p["total_lines"]), sol, inputs={"line": line.id},
                   slips=(Slip(p["instruction_lines"], "those are the instruction lines only: the "
                               "path also touches its data.", "other"),
                          Slip(float(math.ceil(4000 / line.value) + math.ceil(2000 / line.value)),
                               f"a kilobyte here is {units.BYTES_PER_KB} bytes, not 1000.", "other")))


def footprint_exercise(seed: int = 0, **kw) -> Exercise:
    """Lines on the IPC path for a line size (lines, ±0.5)."""
    kw.setdefault("step", "look-up")
    return Exercise("footprint", _footprint_variant, "lines", rtol=0.0, atol=0.5, seed=seed,
                    title="The IPC path in cache lines", **kw)


# ---- 2. cold IPC -------------------------------------------------------------------------------

def _cold_ipc_variant(seed: int) -> Variant:
    m = machine("ds5000")
    penalties = (m.miss_penalty_cycles, *WHAT_IF_PENALTIES)
    pen, mf = nth(seed, penalties, MISS_FRACTIONS)
    n = paper.ipc_path_line_counts(m.cache_line_bytes)["total_lines"]
    t = caches.cold_ipc_us(m.rpc_us, n, pen, m.clock_mhz, mf)
    measured = pen == m.miss_penalty_cycles
    pen_text = (f"a miss costs {pen:g} cycles {m.provenance['miss_penalty_cycles'].cite()}" if measured
                else f"suppose a miss costs {pen:g} cycles (a what-if: §3's 'tens, and soon to be hundreds')")
    q = (f"The {m.name} does a warm round-trip RPC in {m.rpc_us:g} µs {m.provenance['rpc_us'].cite()} "
         f"at {m.clock_mhz:g} MHz {m.provenance['clock_mhz'].cite()}. Its IPC path is {n:.0f} lines of "
         f"{m.cache_line_bytes:g} bytes; {pen_text}. If {mf:.0%} of the path's lines miss, "
         "how long does the round trip take (in µs)?")
    sol = (f"misses = {n:.0f} x {mf:g} = {fmt(n * mf)}\n"
           f"extra = {fmt(n * mf)} x {pen:g} cycles / {m.clock_mhz:g} MHz = {fmt(t - m.rpc_us)} µs\n"
           f"cold round trip = {m.rpc_us:g} + {fmt(t - m.rpc_us)} = {fmt(t)} µs\n"
           f"(ipcmodel.caches.cold_ipc_us({m.rpc_us:g}, {n:.0f}, {pen:g}, {m.clock_mhz:g}, {mf:g}))")
    return Variant(q, float(t), sol, inputs={"penalty_cycles": pen, "miss_fraction": mf},
                   clock_mhz=m.clock_mhz,
                   slips=(Slip(m.rpc_us + n * mf * pen, f"did you add the misses in cycles? "
                               f"{fmt(n * mf)} misses x {pen:g} cycles is a number of cycles: divide by "
                               f"the clock ({m.clock_mhz:g} MHz) for µs.", "clock"),
                          Slip(t - m.rpc_us, "that is only the misses' extra time: the cold round "
                                             "trip is the warm one plus the misses.", "other")))


def cold_ipc_exercise(seed: int = 0, **kw) -> Exercise:
    """A round trip with a cold IPC path on the DECstation 5000/200 (µs, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("cold-ipc", _cold_ipc_variant, "µs", rtol=0.02, seed=seed,
                    title="A cold IPC path", **kw)


# ---- 3. break-even miss penalty ----------------------------------------------------------------

def _miss_break_even_variant(seed: int) -> Variant:
    m = machine("ds5000")
    mf, = nth(seed, MISS_FRACTIONS)
    n = paper.ipc_path_line_counts(m.cache_line_bytes)["total_lines"]
    pen = caches.break_even_miss_penalty_cycles(m.rpc_us, m.syscall_us, n, mf, m.clock_mhz)
    gap = m.rpc_us - m.syscall_us
    q = (f"On the {m.name} a warm round-trip RPC takes {m.rpc_us:g} µs {m.provenance['rpc_us'].cite()} "
         f"and a system call {m.syscall_us:g} µs {m.provenance['syscall_us'].cite()}; the clock is "
         f"{m.clock_mhz:g} MHz {m.provenance['clock_mhz'].cite()}. "
         f"With its {m.cache_line_bytes:g}-byte lines {m.provenance['cache_line_bytes'].cite()} the IPC "
         f"path is {n:.0f} lines. If {mf:.0%} of them "
         "miss, at what miss penalty (in cycles) do the misses cost as much as the whole difference "
         "between the RPC and the system call?")
    sol = (f"gap = {m.rpc_us:g} - {m.syscall_us:g} = {fmt(gap)} µs = {fmt(gap * m.clock_mhz)} cycles\n"
           f"misses = {n:.0f} x {mf:g} = {fmt(n * mf)}\n"
           f"penalty = {fmt(gap * m.clock_mhz)} / {fmt(n * mf)} = {fmt(pen)} cycles per miss\n"
           f"(ipcmodel.caches.break_even_miss_penalty_cycles({m.rpc_us:g}, {m.syscall_us:g}, "
           f"{n:.0f}, {mf:g}, {m.clock_mhz:g}))")
    return Variant(q, float(pen), sol, inputs={"miss_fraction": mf}, clock_mhz=m.clock_mhz,
                   slips=(syscall_slip(m.rpc_us * m.clock_mhz / (n * mf)),))


def miss_break_even_exercise(seed: int = 0, **kw) -> Exercise:
    """Miss penalty at which cold IPC-path misses cost as much as IPC − system call (cycles, ±2%).

    The objection §3 answers (the path can be placed to avoid misses), not §3's point.
    """
    kw.setdefault("step", "look-up")
    return Exercise("miss-break-even", _miss_break_even_variant, "cycles", rtol=0.02, seed=seed,
                    title="When IPC-path misses outweigh the address space", **kw)


def _per_line(cycles: float) -> str:
    return f"{cycles:g} cycle{'' if cycles == 1 else 's'} per line"


# ---- 4. DMA coherency --------------------------------------------------------------------------

def _dma_case(seed: int) -> tuple[float, str]:
    """(purge/flush cycles per line, "write" or "read") of variant ``seed``."""
    purge = fact("b92-purge-flush-per-line-hp700")
    # seed 0: the slowest flush, the number the audit questions (§3 prints a per-page bound for it)
    (case,) = nth(seed, ((purge.value_high, "write"), (purge.value, "write"),
                          (purge.value_high, "read"), (purge.value, "read")))
    return case


def _dma_variant(seed: int) -> Variant:
    purge = fact("b92-purge-flush-per-line-hp700")
    fault = fact("b92-fault-in-per-line-hp700")
    line = fact("b92-cache-line-hp700")
    hp = machine("hp700")
    per_line, op = _dma_case(seed)
    page = paper.hp700_page_bytes()
    lines = units.bytes_to_lines(page, line.value)
    rpc = paper.hp700_rpc_cycles()
    if op == "read":
        total = caches.dma_read_cycles(page, line.value, per_line, fault.value)
        what = (f"a page-sized DMA read, purging the page before the read ({_per_line(per_line)}) "
                f"and faulting the new data into the cache afterwards ({_per_line(fault.value)} "
                f"{fault.cite()})")
        steps = (f"purge = {lines:.0f} x {per_line:g} = {fmt(lines * per_line)} cycles\n"
                 f"fault-in = {lines:.0f} x {fault.value:g} = {fmt(lines * fault.value)} cycles\n"
                 f"total = {fmt(total)} cycles\n"
                 f"(ipcmodel.caches.dma_read_cycles({page:g}, {line.value:g}, {per_line:g}, {fault.value:g}))")
    else:
        total = caches.dma_coherency_cycles(page, line.value, per_line)
        what = f"a page-sized DMA write, flushing the page first ({_per_line(per_line)})"
        steps = (f"flush = {lines:.0f} x {per_line:g} = {fmt(total)} cycles\n"
                 f"(ipcmodel.caches.dma_coherency_cycles({page:g}, {line.value:g}, {per_line:g}))")
    q = (f"On the HP-700, purge and flush take {purge.value:g} to {purge.value_high:g} cycles per "
         f"{line.value:g}-byte line {purge.cite()}, and a page is {page:g} bytes (from §3's "
         f"{fact('b92-fault-in-per-page-hp700').value:g} fault-in cycles per page at {fault.value:g} per "
         f"line). How many cycles of cache work does this need: {what}?")
    sol = (f"lines per page = {page:g} / {line.value:g} = {lines:.0f}\n{steps}\n"
           f"for comparison, one RPC = {hp.rpc_us:g} µs x {hp.clock_mhz:g} MHz = {fmt(rpc)} cycles: "
           f"the cache work is {fmt(total / rpc)} of an RPC")
    slips = []
    if op == "read":
        slips.append(Slip(lines * per_line, "that is the purge alone: a DMA read also faults the new "
                                            "data into the cache afterwards.", "other"))
    return Variant(q, float(total), sol, inputs={"per_line_cycles": per_line, "op": op},
                   slips=tuple(slips))


class DmaExercise(Exercise):
    """The DMA exercise, with one extra hint: an answer equal to a per-page number §3 *prints*
    (fact ``b92-dma-coherency-page-hp700``) but that is not this variant's answer gets told so,
    and how to compute the answer, instead of only "N% too low"."""

    def check(self, answer) -> Feedback:
        fb = super().check(answer)
        if fb.correct or fb.kind not in ("off", "unit", "slip"):
            return fb
        try:
            value, _kind, problem = self._parse(answer)
            hint = "" if problem else _printed_bound_hint(self.seed, value)
        except Exception:  # feedback never raises; the plain feedback is still right
            hint = ""
        return Feedback(False, "slip", hint) if hint else fb


def _printed_bound_hint(seed: int, value: float) -> str:
    """The hint for an answer equal to one of §3's printed per-page numbers ("" otherwise)."""
    stated = fact("b92-dma-coherency-page-hp700")
    printed = [b for b in (stated.value, stated.value_high) if abs(value - b) <= 0.5]
    if not printed:
        return ""
    line, fault = fact("b92-cache-line-hp700"), fact("b92-fault-in-per-line-hp700")
    per_line, op = _dma_case(seed)
    lines = units.bytes_to_lines(paper.hp700_page_bytes(), line.value)
    how = (f"{lines:.0f} lines x {_per_line(per_line)}" if op == "write" else
           f"{lines:.0f} lines x ({per_line:g} to purge + {fault.value:g} to fault in) cycles per line")
    which = ("upper bound, which the claims audit finds does not follow from §3's other numbers"
             if printed[0] == stated.value_high else "lower bound (one flush at the fastest rate)")
    return (f"Not yet: {printed[0]:g} cycles is a number §3 prints {stated.cite()}, its per-page "
            f"{which}; it is not this question's answer. Compute it yourself: lines per page x "
            f"cycles per line, here {how}.")


def dma_exercise(seed: int = 0, **kw) -> DmaExercise:
    """Cycles of cache work for a page-sized DMA read or write on the HP-700 (cycles, ±1%).

    Giving the paper's printed per-page figure earns a specific hint (:class:`DmaExercise`).
    """
    kw.setdefault("step", "look-up")
    return DmaExercise("dma", _dma_variant, "cycles", rtol=0.01, seed=seed,
                       title="DMA cache coherency on the HP-700", **kw)


# ---- 5. the cache collision --------------------------------------------------------------------

def _collision_machines():
    """Machines whose (clock, miss penalty) turn the same slowdown into misses: the DS3100 first."""
    return machines_with("clock_mhz", "miss_penalty_cycles", first=("ds3100",))


def _collision_variant(seed: int) -> Variant:
    fast, slow = fact("bdf92-rpc-ds3100"), fact("bdf92-rpc-collision-ds3100")
    m, = nth(seed, _collision_machines())
    n = caches.extra_misses(fast.value, slow.value, m.clock_mhz, m.miss_penalty_cycles)
    lead = (f"On the DECstation 3100 a null RPC took about {fast.value:g} µs {fast.cite()}; after a "
            f"kernel relink that moved code so that it collided in the cache, about {slow.value:g} µs "
            f"{slow.cite()}.")
    if m.id == "ds3100":
        ask = (f" The clock is {m.clock_mhz:g} MHz and a miss costs {m.miss_penalty_cycles:g} cycles "
               f"{m.provenance['miss_penalty_cycles'].cite()}. How many extra cache misses explain the "
               "slowdown?")
    else:
        ask = (f" If the same extra time were lost on the {m.name} ({m.clock_mhz:g} MHz, "
               f"{m.miss_penalty_cycles:g} cycles per miss {m.provenance['miss_penalty_cycles'].cite()}), "
               "how many extra misses would it be?")
    sol = (f"extra time = {slow.value:g} - {fast.value:g} = {fmt(slow.value - fast.value)} µs\n"
           f"= {fmt(slow.value - fast.value)} x {m.clock_mhz:g} MHz = "
           f"{fmt((slow.value - fast.value) * m.clock_mhz)} cycles\n"
           f"misses = {fmt((slow.value - fast.value) * m.clock_mhz)} / {m.miss_penalty_cycles:g} = {fmt(n)}\n"
           f"(ipcmodel.caches.extra_misses({fast.value:g}, {slow.value:g}, {m.clock_mhz:g}, "
           f"{m.miss_penalty_cycles:g}); Bershad, Draves & Forin (1992) say about "
           f"{fact('bdf92-extra-misses-ds3100').value:g} for the DECstation 3100)")
    return Variant(lead + ask, float(n), sol, inputs={"machine": m.id},
                   slips=(clock_slip((slow.value - fast.value) / m.miss_penalty_cycles, m.clock_mhz,
                                     answer_unit="misses"),))


def collision_exercise(seed: int = 0, **kw) -> Exercise:
    """Extra cache misses behind the DS3100's RPC slowdown (misses, ±3%)."""
    kw.setdefault("step", "look-up")
    return Exercise("collision", _collision_variant, "misses", rtol=0.03, seed=seed,
                    title="The cache collision", **kw)


# ---- 6. the penalty at which the service's misses hide the address space ------------------------

#: Shares of a service use the microkernel may add (yardsticks, like the thresholds).
SHARE_TARGETS = (0.1, 0.2, 0.05, 0.3)
#: The service's working set as a multiple of the IPC path's lines (what-ifs: no source gives it).
SERVICE_LINE_FACTORS = (1.0, 2.0, 0.5)


def _penalty_share_variant(seed: int) -> Variant:
    m = machine("ds5000")
    x, k = nth(seed, SHARE_TARGETS, SERVICE_LINE_FACTORS)
    n = paper.ipc_path_line_counts(m.cache_line_bytes)["total_lines"]
    ns = k * n
    gap = m.rpc_us - m.syscall_us
    loc = gap / x - m.rpc_us
    pen = loc * m.clock_mhz / ns
    q = (f"On the {m.name} a warm round-trip RPC takes {m.rpc_us:g} µs {m.provenance['rpc_us'].cite()}, "
         f"a system call {m.syscall_us:g} µs {m.provenance['syscall_us'].cite()}, and the clock is "
         f"{m.clock_mhz:g} MHz {m.provenance['clock_mhz'].cite()}. The IPC path is kept resident by "
         f"placement (no misses, §3). The service does no work of its own but touches {ns:.0f} cache "
         f"lines ({k:g} x the IPC path's {n:.0f}; a what-if), all of which miss, in both designs. "
         f"At least what miss penalty (in cycles) brings the share of a use that the microkernel "
         f"adds, (t_micro - t_mono) / t_micro, down to {x:.0%}?")
    sol = (f"t_mono = {m.syscall_us:g} + L, t_micro = {m.rpc_us:g} + L, with L = {ns:.0f} x P / "
           f"{m.clock_mhz:g} µs the service's misses\n"
           f"share = {fmt(gap)} / ({m.rpc_us:g} + L) <= {x:g}  =>  L >= {fmt(gap)} / {x:g} - "
           f"{m.rpc_us:g} = {fmt(loc)} µs\n"
           f"P >= {fmt(loc)} x {m.clock_mhz:g} / {ns:.0f} = {fmt(pen)} cycles\n"
           f"(check: ipcmodel.service.ipc_overhead_fraction({m.rpc_us:g}, {m.syscall_us:g}, 0, "
           f"service_locality_us={fmt(loc)}) = "
           f"{fmt(service.ipc_overhead_fraction(m.rpc_us, m.syscall_us, 0.0, service_locality_us=loc))})")
    return Variant(q, float(pen), sol, inputs={"share": x, "service_lines": ns},
                   clock_mhz=m.clock_mhz,
                   slips=(syscall_slip((m.rpc_us / x - m.rpc_us) * m.clock_mhz / ns),
                          Slip(gap / x * m.clock_mhz / ns, "the service's misses are paid on top of "
                               "the RPC: t_micro = RPC + misses, so subtract the RPC from "
                               "gap / share.", "other")),
                   constraint=Constraint(low=float(pen), why=f"the question asks for the least "
                                         f"penalty that brings the share down to {x:.0%}; a smaller "
                                         "one leaves it above, so round up."))


def penalty_for_share_exercise(seed: int = 0, **kw) -> Exercise:
    """Miss penalty at which the service's own misses bring the microkernel's share down to a
    target (cycles, ±2%, at least): §3's point, inverted."""
    kw.setdefault("step", "invert")
    return Exercise("penalty-for-share", _penalty_share_variant, "cycles", rtol=0.02, seed=seed,
                    title="When the service's misses hide the address space", **kw)


# ---- 7. the HP-700's coherency cost on another machine --------------------------------------------

def _dma_elsewhere_variant(seed: int) -> Variant:
    m = machine("ds5000")
    purge, fault = fact("b92-purge-flush-per-line-hp700"), fact("b92-fault-in-per-line-hp700")
    page_fact, line = fact("cb93-page-size-ds5000"), fact("cb93-dcache-line-ds5000")
    page = paper.ds5000_page_bytes()
    (per_line,) = nth(seed, (purge.value_high, purge.value))
    (op,) = nth(seed // 2, ("write", "read"))
    lines = units.bytes_to_lines(page, line.value)
    if op == "write":
        cycles = caches.dma_coherency_cycles(page, line.value, per_line)
        what = "flush its data cache by hand before a page-sized DMA write"
        steps = f"cycles = {lines:.0f} x {per_line:g} = {fmt(cycles)}"
        call = f"dma_coherency_cycles({page:g}, {line.value:g}, {per_line:g})"
    else:
        cycles = caches.dma_read_cycles(page, line.value, per_line, fault.value)
        what = (f"purge its data cache before a page-sized DMA read and fault the new data in "
                f"afterwards ({fault.value:g} cycles per line {fault.cite()})")
        steps = f"cycles = {lines:.0f} x ({per_line:g} + {fault.value:g}) = {fmt(cycles)}"
        call = f"dma_read_cycles({page:g}, {line.value:g}, {per_line:g}, {fault.value:g})"
    us = cycles / m.clock_mhz
    q = (f"Suppose the {m.name} had to {what}, at the HP-700's purge/flush cost of {per_line:g} "
         f"cycle(s) per line ({purge.value:g} to {purge.value_high:g} cycles {purge.cite()}; a "
         f"what-if for this machine). Its pages are {page:g} bytes ({page_fact.value:g} KB "
         f"{page_fact.cite()}), its data-cache lines {line.value:g} bytes {line.cite()}, its clock "
         f"{m.clock_mhz:g} MHz {m.provenance['clock_mhz'].cite()}. How many µs of cache work is that "
         "per page?")
    sol = (f"lines per page = {page:g} / {line.value:g} = {lines:.0f}\n{steps}\n"
           f"time = {fmt(cycles)} cycles / {m.clock_mhz:g} MHz = {fmt(us)} µs "
           f"(= {fmt(us / m.rpc_us)} of its {m.rpc_us:g} µs RPC)\n"
           f"(ipcmodel.caches.{call} / {m.clock_mhz:g})")
    hp_line = fact("b92-cache-line-hp700").value
    return Variant(q, float(us), sol, inputs={"per_line_cycles": per_line, "op": op},
                   clock_mhz=m.clock_mhz,
                   slips=(Slip(us * line.value / hp_line,
                               f"those are the HP-700's {hp_line:g}-byte lines: this machine's "
                               f"lines are {line.value:g} bytes, so a page has more of them.",
                               "other"),))


def dma_elsewhere_exercise(seed: int = 0, **kw) -> Exercise:
    """Flushing one page on the DECstation 5000/200 at the HP-700's cost per line (µs, ±2%)."""
    kw.setdefault("step", "apply")
    return Exercise("dma-elsewhere", _dma_elsewhere_variant, "µs", rtol=0.02, seed=seed,
                    title="The HP-700's flush on another machine", **kw)


def exercise_set(seed: int | str = 0, *, show_answers: bool | None = None) -> ExerciseSet:
    """Notebook 02's exercises, all at variant ``seed`` (0 = the paper's examples; a str is a
    student identifier, see :func:`~ipcmodel.exercises.core.seed_for`)."""
    makers = (footprint_exercise, cold_ipc_exercise, miss_break_even_exercise, dma_exercise,
              collision_exercise, penalty_for_share_exercise, dma_elsewhere_exercise)
    base = seed_for(seed)
    return ExerciseSet("Notebook 02: caches, not address spaces", [make(base) for make in makers],
                       show_answers=show_answers)
