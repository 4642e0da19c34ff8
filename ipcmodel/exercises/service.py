"""Exercises of notebooks 00 and 05 (topic ``service``): the cost of using a service.

``exercise_set(seed=0, notebook="00")`` gives notebook 00's set; ``notebook="05"`` notebook 05's.
``seed`` may be a student identifier (a str; see :func:`ipcmodel.exercises.core.seed_for`).
"""

from __future__ import annotations

from ipcmodel import paper, service, workload
from ipcmodel.data import fact
from ipcmodel.exercises.core import (
    MISS_FRACTIONS,
    THRESHOLDS,
    Constraint,
    Exercise,
    ExerciseSet,
    Slip,
    Variant,
    cite,
    crossings_slip,
    fmt,
    machines_with,
    nth,
    round_trip_slip,
    seed_for,
    syscall_slip,
)
from ipcmodel.machines import Machine

__all__ = [
    "ERA_YEARS",
    "OUTSIDE_US",
    "USES_PER_RUN",
    "break_even_exercise",
    "overhead_exercise",
    "max_ipc_exercise",
    "cold_break_even_exercise",
    "crossings_overhead_exercise",
    "faster_processor_exercise",
    "program_share_exercise",
    "exercise_set",
]

#: What-if time a program computes on its own per run (µs): a yardstick, not a measurement.
OUTSIDE_US = (1e6, 1e5, 1e7)
#: What-if service uses per run.
USES_PER_RUN = (1000.0, 100.0, 10000.0, 300.0)


def _rpc_syscall_text(m: Machine) -> str:
    return (f"The {m.name} does a round-trip RPC in {m.rpc_us:g} µs {cite(m, 'rpc_us')} and a "
            f"system call in {m.syscall_us:g} µs {cite(m, 'syscall_us')}.")


def _pct(x) -> float:
    return float(100 * x)


def _min_constraint(low: float, what: str, th: float) -> Constraint:
    return Constraint(low=float(low), why=f"the question asks for the shortest {what} that keeps "
                      f"the overhead at most {th:.0%}; anything shorter gives more than {th:.0%}, "
                      "so round up, not down.")


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
    slips = [syscall_slip(m.rpc_us / th - m.rpc_us),
             round_trip_slip(service.break_even_service_us(m.rpc_us / 2, m.syscall_us, th))]
    return Variant(q, float(s), sol, inputs={"machine": m.id, "threshold": th},
                   slips=tuple(x for x in slips if x.value > 0),
                   constraint=_min_constraint(s, "service time", th))


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


def _overhead_slips(m: Machine, s: float, crossings: float = 1.0) -> list[Slip]:
    c = crossings
    rel_mono = (c * (m.rpc_us - m.syscall_us)) / (c * m.syscall_us + s)
    return [syscall_slip(_pct(c * m.rpc_us / (c * m.rpc_us + s))),
            round_trip_slip(_pct(service.ipc_overhead_fraction(m.rpc_us / 2, m.syscall_us, s,
                                                               crossings_per_use=c))),
            Slip(_pct(rel_mono), "the overhead is a share of the microkernel's time t_micro, "
                                 "not of the monolithic kernel's t_mono: divide by t_micro.")]


def _overhead_variant(seed: int) -> Variant:
    (m,) = nth(seed, machines_with("rpc_us", "syscall_us"))
    (dev,) = nth(seed // 2, _device_list(m))
    s = dev.device_us
    frac = service.ipc_overhead_fraction(m.rpc_us, m.syscall_us, s)
    mono, micro = m.syscall_us + s, m.rpc_us + s
    q = (f"{_rpc_syscall_text(m)} A program uses a service that takes {fmt(s)} µs "
         f"({dev.name} {dev.cite}), through a user-level server (one RPC) instead of an in-kernel "
         "one (one system call): one crossing per use, the paper's simplification. With warm "
         "caches, what percentage of the microkernel's time is IPC overhead?")
    sol = (f"t_mono = {m.syscall_us:g} + {fmt(s)} = {fmt(mono)} µs\n"
           f"t_micro = {m.rpc_us:g} + {fmt(s)} = {fmt(micro)} µs\n"
           f"overhead = (t_micro - t_mono) / t_micro = {fmt(micro - mono)} / {fmt(micro)} "
           f"= {fmt(100 * frac)}%\n"
           f"(ipcmodel.service.ipc_overhead_fraction({m.rpc_us:g}, {m.syscall_us:g}, {fmt(s)}))")
    return Variant(q, _pct(frac), sol, inputs={"machine": m.id, "device": dev.name},
                   slips=tuple(_overhead_slips(m, s)))


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
    why = (f"the question asks for the slowest IPC that keeps the overhead at most {th:.0%}; "
           f"anything slower gives more than {th:.0%}, so round down, not up.")
    return Variant(q, float(ipc), sol, inputs={"machine": m.id, "device": dev.name, "threshold": th},
                   slips=(syscall_slip(d), Slip(th * (m.syscall_us + s), "the overhead is a share "
                          "of the microkernel's time, d / (d + system call + service), not of the "
                          "monolithic time: solve d / (d + t_mono) <= threshold for d.")),
                   constraint=Constraint(high=float(ipc), why=why))


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
    slips = (Slip(service.break_even_service_us(m.rpc_us, m.syscall_us, th, 0.0, ipl * m.clock_mhz),
                  f"did you leave the misses in cycles? {lines:.0f} x {mf:g} x "
                  f"{m.miss_penalty_cycles:g} is a number of cycles; divide by the clock "
                  f"({m.clock_mhz:g} MHz) for µs.", "clock"),
             Slip(service.break_even_service_us(m.rpc_us, m.syscall_us, th),
                  "that is the warm break-even: the misses on the IPC path are paid on every call, "
                  "so add them to the RPC's cost.", "other"),
             syscall_slip(d / th - d))
    return Variant(q, float(s), sol, slips=slips, clock_mhz=m.clock_mhz,
                   inputs={"machine": m.id, "miss_fraction": mf, "threshold": th},
                   constraint=_min_constraint(s, "service time", th))


def _round_trip_wire() -> paper.Device:
    """A round trip on the wire: two 512-byte packets, one each way (a what-if: the packet size is
    our choice, §2's buffer-cache block; the paper gives no packet size)."""
    one = next(d for d in paper.cited_devices()[0] if "Ethernet wire" in d.name)
    return paper.Device(f"two packets, one each way, of {one.name}; the wire alone, so a lower bound "
                        "on the service time and an upper bound on the overhead; the packet size is "
                        "our choice, the paper gives none", 2 * one.device_us, one.cite, one.year)


def _crossing_counts() -> list[tuple[float, str, object]]:
    """(crossings per use, where from, the service it belongs to or None): Maeda & Bershad's
    socket accesses with a round trip's wire time (a round trip's crossings against a round
    trip's device time, critic M6; their driver crossings are left out, since a monolithic
    kernel makes none), then a what-if with any device of the machine's era."""
    socks = fact("mb92-socket-accesses-per-rtt")
    return [(socks.value, f"the socket accesses of one UDP round trip, a read and a write on each "
                          f"host {socks.cite()}", _round_trip_wire()),
            (3.0, "a what-if: a service use that needs three requests", None)]


def _crossings_variant(seed: int) -> Variant:
    (m,) = nth(seed, machines_with("rpc_us", "syscall_us"))
    ((c, where, dev),) = nth(seed // 3, _crossing_counts())
    if dev is None:
        (dev,) = nth(seed // 2 + 1, _device_list(m))
    s = dev.device_us
    frac = service.ipc_overhead_fraction(m.rpc_us, m.syscall_us, s, crossings_per_use=c)
    mono, micro = c * m.syscall_us + s, c * m.rpc_us + s
    q = (f"{_rpc_syscall_text(m)} A service use takes {fmt(s)} µs of device time ({dev.name} "
         f"{dev.cite}) and crosses the kernel {c:g} times ({where}): each crossing is a system "
         "call in the monolithic kernel and a round-trip RPC in the microkernel. With warm caches, "
         "what percentage of the microkernel's time per use is IPC overhead?")
    sol = (f"t_mono = {c:g} x {m.syscall_us:g} + {fmt(s)} = {fmt(mono)} µs\n"
           f"t_micro = {c:g} x {m.rpc_us:g} + {fmt(s)} = {fmt(micro)} µs\n"
           f"overhead = (t_micro - t_mono) / t_micro = {fmt(micro - mono)} / {fmt(micro)} "
           f"= {fmt(100 * frac)}%\n"
           f"(ipcmodel.service.ipc_overhead_fraction({m.rpc_us:g}, {m.syscall_us:g}, {fmt(s)}, "
           f"crossings_per_use={c:g}))")
    one = _pct(service.ipc_overhead_fraction(m.rpc_us, m.syscall_us, s))
    return Variant(q, _pct(frac), sol, inputs={"machine": m.id, "device": dev.name, "crossings": c},
                   slips=(crossings_slip(one, c), *_overhead_slips(m, s, c)))


def _speedups():
    return [fact("b92-rating-ds5000-vs-cvax"), fact("b92-register-add-speedup")]


def _faster_variant(seed: int) -> Variant:
    (m,) = nth(seed, machines_with("rpc_us", "syscall_us"))
    (sp,) = nth(seed // 3, _speedups())
    (dev,) = nth(seed // 2, _device_list(m))
    s, k = dev.device_us, sp.value
    frac = service.ipc_overhead_fraction(m.rpc_us / k, m.syscall_us / k, s)
    q = (f"{_rpc_syscall_text(m)} A service use takes {fmt(s)} µs ({dev.name} {dev.cite}). Now the "
         f"processor becomes {k:g} times faster ({sp.quantity.replace('_', ' ')}, {sp.qualifier} "
         f"{k:g} {sp.cite()}); the RPC and the system call ride the processor fully (p = 1, "
         "notebook 01); hold the service's time fixed, as notebook 00 does (a simplification: a "
         "protocol's round trip is mostly software, which would speed up too). What percentage "
         "of the microkernel's time is IPC overhead then?")
    sol = (f"RPC = {m.rpc_us:g} / {k:g} = {fmt(m.rpc_us / k)} µs, system call = {m.syscall_us:g} / "
           f"{k:g} = {fmt(m.syscall_us / k)} µs, service {fmt(s)} µs (unchanged)\n"
           f"overhead = ({fmt(m.rpc_us / k)} - {fmt(m.syscall_us / k)}) / ({fmt(m.rpc_us / k)} + "
           f"{fmt(s)}) = {fmt(100 * frac)}%\n"
           f"(ipcmodel.service.ipc_overhead_fraction({fmt(m.rpc_us / k)}, {fmt(m.syscall_us / k)}, "
           f"{fmt(s)}); trends.scaled_time_us for the scaling)")
    same = _pct(service.ipc_overhead_fraction(m.rpc_us, m.syscall_us, s))
    return Variant(q, _pct(frac), sol, inputs={"machine": m.id, "speedup": k, "device": dev.name},
                   slips=(Slip(same, "that is the overhead before the speedup (or with the "
                                     "device's time scaled too, which gives the same): only the RPC "
                                     "and the system call get faster here; the question holds the "
                                     "service's time fixed.", "other"),
                          syscall_slip(_pct((m.rpc_us / k) / (m.rpc_us / k + s)))))


def _program_variant(seed: int) -> Variant:
    (m,) = nth(seed, machines_with("rpc_us", "syscall_us"))
    outside, uses = nth(seed, OUTSIDE_US, USES_PER_RUN)
    (dev,) = nth(seed // 2, _device_list(m))
    s = dev.device_us
    share = workload.microkernel_share(outside, uses, s, m.syscall_us, m.rpc_us)
    mono = outside + uses * (m.syscall_us + s)
    micro = outside + uses * (m.rpc_us + s)
    q = (f"{_rpc_syscall_text(m)} A program computes for {fmt(outside)} µs on its own (a what-if) "
         f"and uses a service {uses:g} times per run, each use one crossing and {fmt(s)} µs of "
         f"device time ({dev.name} {dev.cite}). What percentage of the microkernel's run time would "
         "the monolithic kernel not spend?")
    sol = (f"t_mono = {fmt(outside)} + {uses:g} x ({m.syscall_us:g} + {fmt(s)}) = {fmt(mono)} µs\n"
           f"t_micro = {fmt(outside)} + {uses:g} x ({m.rpc_us:g} + {fmt(s)}) = {fmt(micro)} µs\n"
           f"share = (t_micro - t_mono) / t_micro = {fmt(micro - mono)} / {fmt(micro)} = "
           f"{fmt(100 * share)}%\n"
           f"(ipcmodel.workload.microkernel_share({fmt(outside)}, {uses:g}, {fmt(s)}, "
           f"{m.syscall_us:g}, {m.rpc_us:g}))")
    per_access = _pct(service.ipc_overhead_fraction(m.rpc_us, m.syscall_us, s))
    return Variant(q, _pct(share), sol,
                   inputs={"machine": m.id, "outside_us": outside, "uses": uses, "device": dev.name},
                   slips=(Slip(per_access, "that is the overhead of one access (the regime map's "
                                           "colour): the program also computes on its own, which "
                                           "dilutes it (Amdahl's law).", "other"),
                          syscall_slip(_pct(uses * m.rpc_us / micro))))


def break_even_exercise(seed: int = 0, **kw) -> Exercise:
    """How slow must a service be for IPC to cost at most a threshold? (µs, ±2%, at least)"""
    kw.setdefault("step", "look-up")
    return Exercise("break-even", _break_even_variant, "µs", rtol=0.02, seed=seed,
                    title="Break-even service time", **kw)


def overhead_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC overhead of one device use on one machine? (%, ±5% relative or ±0.01 points)"""
    kw.setdefault("step", "look-up")
    return Exercise("overhead", _overhead_variant, "%", rtol=0.05, atol=0.01, seed=seed,
                    title="IPC overhead for a device", **kw)


def max_ipc_exercise(seed: int = 0, **kw) -> Exercise:
    """Slowest IPC that keeps the overhead within a threshold? (µs, ±2%, at most)"""
    kw.setdefault("step", "invert")
    return Exercise("max-ipc", _max_ipc_variant, "µs", rtol=0.02, seed=seed,
                    title="IPC budget for a device", **kw)


def cold_break_even_exercise(seed: int = 0, **kw) -> Exercise:
    """Break-even service time when the IPC path misses in the cache (µs, ±2%, at least)."""
    kw.setdefault("step", "combine")
    return Exercise("cold-break-even", _cold_break_even_variant, "µs", rtol=0.02, seed=seed,
                    title="Break-even with a cold IPC path", **kw)


def crossings_overhead_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC overhead when one use crosses the kernel several times (%, ±2% relative or ±0.01 points)."""
    kw.setdefault("step", "apply")
    return Exercise("crossings-overhead", _crossings_variant, "%", rtol=0.02, atol=0.01, seed=seed,
                    title="Several crossings per use", **kw)


def faster_processor_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC overhead after the processor gets faster and the device does not (%, ±2% or ±0.01 points)."""
    kw.setdefault("step", "combine")
    return Exercise("faster-processor", _faster_variant, "%", rtol=0.02, atol=0.01, seed=seed,
                    title="A faster processor, the same device", **kw)


def program_share_exercise(seed: int = 0, **kw) -> Exercise:
    """The microkernel's share of a whole program's run (%, ±2% relative or ±0.01 points)."""
    kw.setdefault("step", "combine")
    return Exercise("program-share", _program_variant, "%", rtol=0.02, atol=0.01, seed=seed,
                    title="From one access to the whole program", **kw)


#: Each notebook's exercises as (generator, seed offset, step in that notebook): 05 starts
#: where 00 left off, so the two notebooks never pose the same problem.
_SETS = {
    "00": ("Notebook 00: the cost of using a service",
           ((break_even_exercise, 0, "look-up"), (overhead_exercise, 0, "look-up"),
            (max_ipc_exercise, 0, "invert"), (crossings_overhead_exercise, 0, "apply"),
            (faster_processor_exercise, 0, "combine"))),
    "05": ("Notebook 05: where IPC cost matters",
           ((overhead_exercise, 3, "apply"), (max_ipc_exercise, 4, "invert"),
            (cold_break_even_exercise, 0, "combine"), (crossings_overhead_exercise, 5, "apply"),
            (program_share_exercise, 0, "combine"))),
}


def exercise_set(seed: int | str = 0, *, notebook: str = "00",
                 show_answers: bool | None = None) -> ExerciseSet:
    """The exercises of notebook ``"00"`` (the default) or ``"05"``, at variant ``seed``.

    Parameters
    ----------
    seed : int or str
        Which variants (0 = the paper's examples), or a student identifier (a str, mapped
        stably to a seed by :func:`~ipcmodel.exercises.core.seed_for`); each exercise adds its
        offset in ``_SETS``.
    notebook : str
        ``"00"`` or ``"05"``: this topic serves two notebooks.
    show_answers : bool, optional
        Show answers and solutions inline (default: the ``IPCMODEL_SHOW_ANSWERS`` variable).
    """
    if notebook not in _SETS:
        raise ValueError(f"notebook must be one of {sorted(_SETS)}; got {notebook!r}")
    base = seed_for(seed)
    title, makers = _SETS[notebook]
    return ExerciseSet(title, [make(base + offset, step=step) for make, offset, step in makers],
                       show_answers=show_answers)
