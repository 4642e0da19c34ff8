"""Exercises of notebooks 00 and 05 (topic ``service``): the cost of using a service.

``exercise_set(seed=0, notebook="00")`` gives notebook 00's set; ``notebook="05"`` notebook 05's.
"""

from __future__ import annotations

from ipcmodel import paper, service
from ipcmodel.exercises.core import (
    MISS_FRACTIONS,
    THRESHOLDS,
    Exercise,
    ExerciseSet,
    Variant,
    cite,
    fmt,
    machines_with,
    nth,
)
from ipcmodel.machines import Machine

__all__ = [
    "ERA_YEARS",
    "break_even_exercise",
    "overhead_exercise",
    "max_ipc_exercise",
    "cold_break_even_exercise",
    "exercise_set",
]


def _rpc_syscall_text(m: Machine) -> str:
    return (f"The {m.name} does a round-trip RPC in {m.rpc_us:g} µs {cite(m, 'rpc_us')} and a "
            f"system call in {m.syscall_us:g} µs {cite(m, 'syscall_us')}.")


def _break_even_variant(seed: int) -> Variant:
    m, th = nth(seed, machines_with("rpc_us", "syscall_us"), THRESHOLDS)
    d = m.rpc_us - m.syscall_us
    s = service.break_even_service_us(m.rpc_us, m.syscall_us, th)
    q = (f"{_rpc_syscall_text(m)} With warm caches, how long must a service take (in µs) for the "
         f"IPC overhead (t_micro - t_mono) / t_micro to be at most {th:.0%}?")
    sol = (f"d = RPC - system call = {m.rpc_us:g} - {m.syscall_us:g} = {fmt(d)} µs extra per use\n"
           f"overhead = d / (d + {m.syscall_us:g} + s) <= {th:g}\n"
           f"s >= d / {th:g} - d - {m.syscall_us:g} = {fmt(d / th)} - {fmt(d)} - {m.syscall_us:g} "
           f"= {fmt(s)} µs\n"
           f"(ipcmodel.service.break_even_service_us({m.rpc_us:g}, {m.syscall_us:g}, {th:g}))")
    return Variant(q, float(s), sol)


#: A device is paired with a machine only when it was measured within this many years of it.
ERA_YEARS = 3


def _device_list(m: Machine | None = None):
    """Cited devices; with a machine, only those of its era (no 2017 SSD for a 1992 machine)."""
    # the one list of cited device times, less the copy *estimate* (a cold-source copy without
    # a system call or lookup: not the time of a service use, so not an exercise's service)
    devices = [d for d in paper.cited_devices()[0] if "estimate" not in d.name]
    if m is None or m.year is None:
        return devices
    return [d for d in devices if d.year is None or abs(d.year - m.year) <= ERA_YEARS]


def _overhead_variant(seed: int) -> Variant:
    (m,) = nth(seed, machines_with("rpc_us", "syscall_us"))
    (dev,) = nth(seed // 2, _device_list(m))
    s = dev.device_us
    frac = service.ipc_overhead_fraction(m.rpc_us, m.syscall_us, s)
    mono, micro = m.syscall_us + s, m.rpc_us + s
    q = (f"{_rpc_syscall_text(m)} A program uses a service that takes {fmt(s)} µs "
         f"({dev.name} {dev.cite}), through a user-level server (one RPC) instead of an in-kernel "
         "one (one system call). With warm caches, what percentage of the microkernel's time is "
         "IPC overhead?")
    sol = (f"t_mono = {m.syscall_us:g} + {fmt(s)} = {fmt(mono)} µs\n"
           f"t_micro = {m.rpc_us:g} + {fmt(s)} = {fmt(micro)} µs\n"
           f"overhead = (t_micro - t_mono) / t_micro = {fmt(micro - mono)} / {fmt(micro)} "
           f"= {fmt(100 * frac)}%\n"
           f"(ipcmodel.service.ipc_overhead_fraction({m.rpc_us:g}, {m.syscall_us:g}, {fmt(s)}))")
    return Variant(q, float(100 * frac), sol)


def _max_ipc_variant(seed: int) -> Variant:
    m, th = nth(seed, machines_with("syscall_us"), THRESHOLDS)
    (dev,) = nth(seed // 2, _device_list(m))
    s = dev.device_us
    ipc = service.max_ipc_us(m.syscall_us, s, th)
    d = ipc - m.syscall_us
    q = (f"The {m.name} does a system call in {m.syscall_us:g} µs {cite(m, 'syscall_us')}. For a "
         f"service that takes {fmt(s)} µs ({dev.name} {dev.cite}), what is the slowest round-trip "
         f"IPC (in µs) that keeps the IPC overhead at most {th:.0%}, with warm caches?")
    sol = (f"overhead = d / (d + {m.syscall_us:g} + {fmt(s)}) <= {th:g}, d = IPC - system call\n"
           f"d <= {th:g} x ({m.syscall_us:g} + {fmt(s)}) / (1 - {th:g}) = {fmt(d)} µs\n"
           f"IPC <= {m.syscall_us:g} + {fmt(d)} = {fmt(ipc)} µs\n"
           f"(ipcmodel.service.max_ipc_us({m.syscall_us:g}, {fmt(s)}, {th:g}))")
    return Variant(q, float(ipc), sol)


def _cold_break_even_variant(seed: int) -> Variant:
    m, mf, th = nth(seed, machines_with("rpc_us", "syscall_us", "clock_mhz", "cache_line_bytes",
                                     "miss_penalty_cycles"), MISS_FRACTIONS, THRESHOLDS)
    lines = paper.ipc_path_lines(m.cache_line_bytes)
    ipl = service.locality_us(lines, mf, m.miss_penalty_cycles, m.clock_mhz)
    s = service.break_even_service_us(m.rpc_us, m.syscall_us, th, 0.0, ipl)
    d = m.rpc_us + ipl - m.syscall_us
    q = (f"{_rpc_syscall_text(m)} Its IPC path touches {lines:.0f} cache lines of "
         f"{m.cache_line_bytes:g} bytes {cite(m, 'cache_line_bytes')} (§3: under 4 KB of "
         f"instructions and 2 KB of data); a miss costs {m.miss_penalty_cycles:g} cycles "
         f"{cite(m, 'miss_penalty_cycles')} at {m.clock_mhz:g} MHz {cite(m, 'clock_mhz')}. If "
         f"{mf:.0%} of those lines miss on every call, how long must a service take (in µs) for the "
         f"IPC overhead to be at most {th:.0%}?")
    sol = (f"misses = {lines:.0f} x {mf:g} x {m.miss_penalty_cycles:g} cycles / {m.clock_mhz:g} MHz "
           f"= {fmt(ipl)} µs\n"
           f"d = {m.rpc_us:g} + {fmt(ipl)} - {m.syscall_us:g} = {fmt(d)} µs\n"
           f"s >= d / {th:g} - d - {m.syscall_us:g} = {fmt(s)} µs\n"
           f"(ipcmodel.service.break_even_service_us(..., ipc_path_locality_us={fmt(ipl)}))")
    return Variant(q, float(s), sol)


def break_even_exercise(seed: int = 0, **kw) -> Exercise:
    """How slow must a service be for IPC to cost at most a threshold? (µs, ±2%)"""
    return Exercise("break-even", _break_even_variant, "µs", rtol=0.02, seed=seed,
                    title="Break-even service time", **kw)


def overhead_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC overhead of one device use on one machine? (%, ±5% relative or ±0.01 points)"""
    return Exercise("overhead", _overhead_variant, "%", rtol=0.05, atol=0.01, seed=seed,
                    title="IPC overhead for a device", **kw)


def max_ipc_exercise(seed: int = 0, **kw) -> Exercise:
    """Slowest IPC that keeps the overhead within a threshold? (µs, ±2%)"""
    return Exercise("max-ipc", _max_ipc_variant, "µs", rtol=0.02, seed=seed,
                    title="IPC budget for a device", **kw)


def cold_break_even_exercise(seed: int = 0, **kw) -> Exercise:
    """Break-even service time when the IPC path misses in the cache (µs, ±2%)."""
    return Exercise("cold-break-even", _cold_break_even_variant, "µs", rtol=0.02, seed=seed,
                    title="Break-even with a cold IPC path", **kw)


#: Each notebook's exercises as (generator, seed offset): 05 starts where 00 left off, so the
#: two notebooks never pose the same problem.
_SETS = {
    "00": ("Notebook 00: the cost of using a service",
           ((break_even_exercise, 0), (overhead_exercise, 0), (max_ipc_exercise, 0))),
    "05": ("Notebook 05: where IPC cost matters",
           ((overhead_exercise, 3), (max_ipc_exercise, 4), (cold_break_even_exercise, 0))),
}


def exercise_set(seed: int = 0, *, notebook: str = "00",
                 show_answers: bool | None = None) -> ExerciseSet:
    """The exercises of notebook ``"00"`` (the default) or ``"05"``, at variant ``seed``.

    Parameters
    ----------
    seed : int
        Which variants (0 = the paper's examples); each exercise adds its offset in ``_SETS``.
    notebook : str
        ``"00"`` or ``"05"``: this topic serves two notebooks.
    show_answers : bool, optional
        Show answers and solutions inline (default: the ``IPCMODEL_SHOW_ANSWERS`` variable).
    """
    if isinstance(seed, str):  # exercise_set("05") was this function's old call
        raise TypeError(f"seed must be an integer; got {seed!r} (for a notebook's set write "
                        f"exercise_set(notebook={seed!r}))")
    if notebook not in _SETS:
        raise ValueError(f"notebook must be one of {sorted(_SETS)}; got {notebook!r}")
    title, makers = _SETS[notebook]
    return ExerciseSet(title, [make(seed + offset) for make, offset in makers],
                       show_answers=show_answers)
