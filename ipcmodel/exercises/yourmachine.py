"""Self-check exercises for notebook 06 ("Is IPC irrelevant on your machine?").

Unlike the other notebooks' exercises, the inputs are *this run's* measurements: every function
takes the :class:`~ipcmodel.yourmachine.MachineRun` (or a :class:`~ipcmodel.measure.ProbeResult`)
the notebook produced. The measured values are rounded to 4 significant digits, stated in the
question, and the answer is computed from exactly those values with ``ipcmodel``, so a student
working from the question gets the checked answer. Seeds cycle through services, thresholds,
transports and miss fractions (:mod:`ipcmodel.exercises.core` conventions: ``check`` never raises).
When this run lacks a measurement an exercise needs, that exercise uses the saved example result
and its question says so.

* :func:`overhead_exercise`: IPC overhead of one service use on this machine (%);
* :func:`break_even_exercise`: slowest service at which IPC overhead still exceeds a threshold (µs);
* :func:`clock_speedup_exercise`: mapped (vDSO) vs trapping clock read (times, §5);
* :func:`comapping_exercise`: a kernel round trip vs the shared-memory spin round trip (times, §4);
* :func:`cold_path_exercise`: what misses on Mach's IPC path would cost at this machine's
  miss penalty (µs, §3);
* :func:`max_ipc_exercise`: the slowest IPC that keeps a service's overhead within a threshold
  on this machine (µs; the model inverted);
* :func:`cold_break_even_exercise`: the break-even service time when part of Mach's IPC path
  misses at this machine's miss penalty (µs; §2.1's overhead with §3's misses);
* :func:`exercise_set`: the notebook's set.

Steps (:data:`ipcmodel.exercises.core.STEPS`): the overhead, the break-even, the clock and the
co-mapping ratios of seed 0 are printed by the notebook's tables (``look-up``); the cold path
scales the printed all-missing cost to a fraction (``apply``); the IPC budget inverts the model
(``invert``) and the cold break-even puts §3's misses into §2.1's overhead (``combine``). Each
variant lists the slips its question invites (forgotten system call, one-way IPC, cycles for µs,
a percentage for a fraction, a ratio upside down) with their hints.
"""

from __future__ import annotations

from ipcmodel import firewall, paper, service
from ipcmodel.data import fact
from ipcmodel.exercises.core import (
    MISS_FRACTIONS,
    THRESHOLDS,
    Constraint,
    Exercise,
    ExerciseSet,
    Slip,
    Variant,
    clock_slip,
    fmt,
    round_trip_slip,
    seed_for,
    syscall_slip,
)
from ipcmodel.measure import ProbeResult, load_example, to_model_inputs
from ipcmodel.yourmachine import MachineRun, service_cases

__all__ = [
    "overhead_exercise",
    "break_even_exercise",
    "clock_speedup_exercise",
    "comapping_exercise",
    "cold_path_exercise",
    "max_ipc_exercise",
    "cold_break_even_exercise",
    "exercise_set",
]

#: Kernel round trips offered as "the IPC" (measurement name -> description), same CPU first.
IPC_TRANSPORTS = {
    "pipe_round_trip": "a pipe round trip on one CPU",
    "socket_round_trip": "a Unix-domain socket round trip on one CPU",
    "pipe_round_trip_cross_cpu": "a pipe round trip between two CPUs",
}
#: Kernel round trips and the shared-memory round trip each is compared with (§4), like for
#: like (critic C2 N9): the spin needs two CPUs, so it is set against the pipe across two CPUs;
#: the shared buffer with a wake-up runs on one CPU, as do the pipe and the socket it is set
#: against. ``(kernel measurement, its description, shared-memory measurement, its description)``.
COMAPPING_PAIRS = (
    ("pipe_round_trip_cross_cpu", "a pipe round trip between two CPUs", "shm_spin_round_trip",
     "a round trip through memory shared by the two processes, on two CPUs with both spinning "
     "(each polls a flag the other writes; no kernel entry, a whole CPU busy on each side)"),
    ("pipe_round_trip", "a pipe round trip on one CPU", "shm_pipe_round_trip",
     "the data through a shared buffer with a pipe byte as the wake-up, on one CPU (§4's shared "
     "buffer with its notification)"),
    ("socket_round_trip", "a Unix-domain socket round trip on one CPU", "shm_pipe_round_trip",
     "the data through a shared buffer with a pipe byte as the wake-up, on one CPU (§4's shared "
     "buffer with its notification)"),
)
#: The kernel round trips of :data:`COMAPPING_PAIRS` (measurement name -> description).
COMAPPING_TRANSPORTS = {k: d for k, d, _, _ in COMAPPING_PAIRS}


def _r(x: float) -> float:
    """Round to the 4 significant digits the question shows."""
    return float(f"{x:.4g}")


def _result(run) -> tuple[ProbeResult, str]:
    if isinstance(run, MachineRun):
        return run.result, ("this run" if run.measured else "the saved example result (NOT this machine)")
    if isinstance(run, ProbeResult):
        return run, "this probe result"
    raise ValueError(f"run must be a MachineRun or a ProbeResult; got {type(run).__name__}")


def _net(result: ProbeResult, name: str):
    m = result.measurements.get(name)
    return None if m is None or m.net_us <= 0 else m.net_us


def _pick(run, need):
    """``(result, where)`` from ``run`` if ``need(result)`` holds, else the saved example (said so)."""
    result, where = _result(run)
    if need(result):
        return result, where
    example = load_example()
    if not need(example):
        raise ValueError("neither this run nor the saved example has the measurements this exercise needs")
    return example, "the saved example result (this run did not measure what this exercise needs)"


def _has(*names):
    return lambda r: all(_net(r, n) is not None for n in names)


def _ipc_text(ipc, sc, where):
    return (f"In {where} the probe measured a round trip between two processes (a pipe, one CPU: "
            f"the IPC) of {fmt(ipc)} µs and a null system call of {fmt(sc)} µs, both net of the "
            "interpreter.")


def _overhead_variant(run, seed: int) -> Variant:
    result, where = _pick(run, _has("pipe_round_trip", "null_syscall"))
    cases = service_cases(to_model_inputs(result))
    c = cases[(seed + 1) % len(cases)]  # seed 0: the NAND SSD, near the threshold on most machines
    ipc, sc, s = _r(_net(result, "pipe_round_trip")), _r(_net(result, "null_syscall")), _r(c.device_us)
    frac = float(service.ipc_overhead_fraction(ipc, sc, s))
    q = (f"{_ipc_text(ipc, sc, where)} A program uses a service that takes {fmt(s)} µs ({c.name} "
         f"{c.cite}), through a user-level server (one IPC) instead of an in-kernel one (one "
         "system call). What percentage of the microkernel's time is IPC overhead?")
    sol = (f"t_mono = {fmt(sc)} + {fmt(s)} = {fmt(sc + s)} µs\n"
           f"t_micro = {fmt(ipc)} + {fmt(s)} = {fmt(ipc + s)} µs\n"
           f"overhead = (t_micro - t_mono) / t_micro = {fmt(ipc - sc)} / {fmt(ipc + s)} = {fmt(100 * frac)}%\n"
           f"(ipcmodel.service.ipc_overhead_fraction({fmt(ipc)}, {fmt(sc)}, {fmt(s)}))")
    return Variant(q, 100 * frac, sol, inputs={"service": c.name},
                   slips=_overhead_slips(ipc, sc, s))


def _overhead_slips(ipc: float, sc: float, s: float) -> tuple:
    """The slips of an overhead in % with one crossing: the system call forgotten, a one-way IPC,
    the share of the monolithic time instead of the microkernel's."""
    slips = [syscall_slip(100 * ipc / (ipc + s)),
             Slip(100 * (ipc - sc) / (sc + s), "the overhead is a share of the microkernel's time "
                                               "t_micro, not of the monolithic kernel's t_mono: "
                                               "divide by t_micro.")]
    if ipc / 2 > sc:
        slips.append(round_trip_slip(100 * (ipc / 2 - sc) / (ipc / 2 + s)))
    return tuple(slips)


def _break_even_variant(run, seed: int) -> Variant:
    result, where = _result(run)
    have = [n for n in IPC_TRANSPORTS if _net(result, n) is not None]
    if _net(result, "null_syscall") is None or not have:
        result, where = _pick(run, _has("pipe_round_trip", "null_syscall"))
        have = [n for n in IPC_TRANSPORTS if _net(result, n) is not None]
    name, th = have[seed % len(have)], THRESHOLDS[seed % len(THRESHOLDS)]
    ipc, sc = _r(_net(result, name)), _r(_net(result, "null_syscall"))
    s = float(service.break_even_service_us(ipc, sc, th))
    d = ipc - sc
    q = (f"In {where} the probe measured {IPC_TRANSPORTS[name]} of {fmt(ipc)} µs and a null system "
         f"call of {fmt(sc)} µs (net of the interpreter). Take that round trip as the IPC. How long "
         f"must a service take (in µs) for the IPC overhead to be at most {th:.0%}?")
    sol = (f"d = IPC - system call = {fmt(ipc)} - {fmt(sc)} = {fmt(d)} µs\n"
           f"overhead = d / (d + {fmt(sc)} + s) <= {th:g}\n"
           f"s >= d / {th:g} - d - {fmt(sc)} = {fmt(d / th)} - {fmt(d)} - {fmt(sc)} = {fmt(s)} µs\n"
           f"(ipcmodel.service.break_even_service_us({fmt(ipc)}, {fmt(sc)}, {th:g}))")
    slips = [syscall_slip(ipc / th - ipc)]
    if ipc / 2 > sc:
        slips.append(round_trip_slip(float(service.break_even_service_us(ipc / 2, sc, th))))
    return Variant(q, s, sol, inputs={"transport": name, "threshold": th}, slips=tuple(slips),
                   constraint=_at_least(s, th))


def _at_least(s: float, th: float) -> Constraint:
    return Constraint(low=float(s), why=f"the question asks for the shortest service time that keeps "
                      f"the overhead at most {th:.0%}; anything shorter gives more than {th:.0%}, so "
                      "round up, not down.")


def _upside_down(x: float, what: str) -> Slip:
    return Slip(1 / x, f"the ratio is upside down: how many times faster = the slower time ÷ the "
                       f"faster time ({what}), a number above 1.", "other")


def _trap_refs(result: ProbeResult) -> list[tuple[str, str]]:
    c = result.clocks
    traps = sorted((n for n, k in c.classification.items() if k == "trap"),
                   key=lambda n: (n != c.trap_clock, n))  # the probe's choice first
    refs = [(n, f"a clock read that traps ({n}: the crossing plus the kernel's accounting work)")
            for n in traps if _net(result, n) is not None]
    if _net(result, "null_syscall") is not None:  # the crossing alone first (critic C2 N7)
        refs.insert(0, ("null_syscall", "a null system call (getppid: the kernel crossing alone, "
                                        "the firewall §5 avoids)"))
    return refs


def _clock_ok(result: ProbeResult) -> bool:
    c = result.clocks
    return bool(c is not None and c.mapped_clock and _net(result, c.mapped_clock) is not None
                and _trap_refs(result))


def _clock_variant(run, seed: int) -> Variant:
    result, where = _pick(run, _clock_ok)
    mapped_name = result.clocks.mapped_clock
    ref, text = _trap_refs(result)[seed % len(_trap_refs(result))]
    mapped, trap = _r(_net(result, mapped_name)), _r(_net(result, ref))
    x = float(firewall.mapped_clock_speedup(trap, mapped))
    q = (f"In {where} a clock read through the page the kernel maps into every process (the vDSO, "
         f"{mapped_name}) took {fmt(mapped)} µs and {text} took {fmt(trap)} µs, both net of the "
         "interpreter (§5's mapped clock). How many times faster is the mapped read?")
    sol = (f"speedup = {fmt(trap)} / {fmt(mapped)} = {fmt(x)} times\n"
           f"(ipcmodel.firewall.mapped_clock_speedup({fmt(trap)}, {fmt(mapped)}))")
    return Variant(q, x, sol, inputs={"trap_reference": ref},
                   slips=(_upside_down(x, "the trapping read ÷ the mapped read"),))


def _comapping_pairs(result: ProbeResult) -> list[tuple[str, str, str, str]]:
    return [p for p in COMAPPING_PAIRS if _net(result, p[0]) is not None and _net(result, p[2]) is not None]


def _comapping_variant(run, seed: int) -> Variant:
    result, where = _pick(run, lambda r: bool(_comapping_pairs(r)))
    pairs = _comapping_pairs(result)
    name, kdesc, shm_name, sdesc = pairs[seed % len(pairs)]
    shm, other = _r(_net(result, shm_name)), _r(_net(result, name))
    x = other / shm
    q = (f"In {where} {sdesc} took {fmt(shm)} µs, and {kdesc} took {fmt(other)} µs (both net of the "
         "interpreter; §4's co-mapping). How many times faster is the shared-memory round trip "
         "(the kernel round trip's time ÷ the shared-memory one's; below 1 means slower)?")
    sol = (f"ratio = {fmt(other)} / {fmt(shm)} = {fmt(x)} times"
           + ("\nBoth sides use two CPUs: the spin saves the kernel entries and the wake-up, by "
              "keeping both processors busy." if shm_name == "shm_spin_round_trip" else
              "\nThe data avoid the kernel, the wake-up does not: the notification, a crossing and "
              "a context switch, is what the pipe costs too."))
    return Variant(q, x, sol, inputs={"transport": name, "shared": shm_name},
                   slips=(_upside_down(x, "the kernel round trip ÷ the shared-memory one"),))


def _cold_ok(result: ProbeResult) -> bool:
    lat = result.latency
    return bool(lat is not None and lat.miss_penalty_cycles and lat.clock_mhz)


def _cold_variant(run, seed: int) -> Variant:
    result, where = _pick(run, _cold_ok)
    lat, line = result.latency, result.machine.cache_line_bytes
    f = MISS_FRACTIONS[seed % len(MISS_FRACTIONS)]
    instr, data = fact("b92-ipc-path-instructions"), fact("b92-ipc-path-data")
    lines = float(paper.ipc_path_lines(line))
    pen, mhz = _r(lat.miss_penalty_cycles), _r(lat.clock_mhz)
    us = float(service.locality_us(lines, f, pen, mhz))
    q = (f"§3: Mach 3.0's round-trip IPC path (on the MIPS; here a hypothetical footprint for this "
         f"machine's IPC) touches under {instr.value:g} KB of instructions and "
         f"{data.value:g} KB of data {instr.cite()}. In {where} a cache line is {line} bytes, the "
         f"latency ladder gave a miss penalty of {fmt(pen)} cycles and the clock is {fmt(mhz)} MHz. "
         f"If {f:.0%} of the path's lines miss on a call, how many µs do the misses add to one "
         "round trip?")
    sol = (f"lines = {instr.value:g} KB / {line} B + {data.value:g} KB / {line} B = {lines:.0f}\n"
           f"misses = {lines:.0f} x {f:g} x {fmt(pen)} cycles / {fmt(mhz)} MHz = {fmt(us)} µs\n"
           f"(ipcmodel.service.locality_us({lines:.0f}, {f:g}, {fmt(pen)}, {fmt(mhz)}))")
    lines_i = instr.value * 1024 / line
    slips = (clock_slip(us * mhz, mhz),
             Slip(100 * us, f"it is 100 times too large: did you multiply by the percentage "
                            f"({100 * f:g}) instead of the fraction ({f:g})?", "percent"),
             Slip(float(service.locality_us(lines_i, f, pen, mhz)),
                  "those are the instruction lines only: the path also touches data lines.", "other"))
    return Variant(q, us, sol, inputs={"miss_fraction": f}, slips=slips, clock_mhz=mhz)


def _max_ipc_variant(run, seed: int) -> Variant:
    result, where = _pick(run, _has("null_syscall"))
    cases = service_cases(to_model_inputs(result))
    c, th = cases[(seed + 1) % len(cases)], THRESHOLDS[seed % len(THRESHOLDS)]
    sc, s = _r(_net(result, "null_syscall")), _r(c.device_us)
    ipc = float(service.max_ipc_us(sc, s, th))
    d = ipc - sc
    q = (f"In {where} the probe measured a null system call of {fmt(sc)} µs (net of the "
         f"interpreter). A service takes {fmt(s)} µs ({c.name} {c.cite}). What is the slowest IPC "
         f"round trip (in µs) that keeps the IPC overhead of one use at most {th:.0%}, if the "
         "service moves from the kernel (one system call) to a user-level server (one IPC)?")
    sol = (f"overhead = d / (d + {fmt(sc)} + {fmt(s)}) <= {th:g}, d = IPC - system call\n"
           f"d <= {th:g} x ({fmt(sc)} + {fmt(s)}) / (1 - {th:g}) = {fmt(d)} µs\n"
           f"IPC <= {fmt(sc)} + {fmt(d)} = {fmt(ipc)} µs\n"
           f"(ipcmodel.service.max_ipc_us({fmt(sc)}, {fmt(s)}, {th:g}))")
    why = (f"the question asks for the slowest IPC that keeps the overhead at most {th:.0%}; "
           f"anything slower gives more than {th:.0%}, so round down, not up.")
    slips = (syscall_slip(d),
             Slip(sc + th * (sc + s), "the overhead is a share of the microkernel's time, d / (d + "
                                 "system call + service), not of the monolithic time: solve "
                                 "d / (d + t_mono) <= threshold for d."))
    return Variant(q, ipc, sol, inputs={"service": c.name, "threshold": th}, slips=slips,
                   constraint=Constraint(high=ipc, why=why))


def _cold_break_even_variant(run, seed: int) -> Variant:
    need = _has("pipe_round_trip", "null_syscall")
    result, where = _pick(run, lambda r: need(r) and _cold_ok(r))
    lat, line = result.latency, result.machine.cache_line_bytes
    f, th = MISS_FRACTIONS[seed % len(MISS_FRACTIONS)], THRESHOLDS[(seed // 2) % len(THRESHOLDS)]
    ipc, sc = _r(_net(result, "pipe_round_trip")), _r(_net(result, "null_syscall"))
    pen, mhz = _r(lat.miss_penalty_cycles), _r(lat.clock_mhz)
    lines = float(paper.ipc_path_lines(line))
    ipl = float(service.locality_us(lines, f, pen, mhz))
    s = float(service.break_even_service_us(ipc, sc, th, 0.0, ipl))
    d = ipc + ipl - sc
    instr, data = fact("b92-ipc-path-instructions"), fact("b92-ipc-path-data")
    q = (f"In {where} the probe measured a pipe round trip on one CPU (the IPC) of {fmt(ipc)} µs, "
         f"a null system call of {fmt(sc)} µs, a miss penalty of {fmt(pen)} cycles (the latency "
         f"ladder) at {fmt(mhz)} MHz, and a cache line is {line} bytes. A hypothetical: give the "
         f"pipe's warm time the footprint of Mach 3.0's IPC path on the MIPS, under "
         f"{instr.value:g} KB of instructions and {data.value:g} KB of data {instr.cite()} (a "
         "Linux pipe's real path is larger, so this understates a cold pipe), and let "
         f"{f:.0%} of those lines miss on every call. How long must "
         f"a service take (in µs) for the IPC overhead to be at most {th:.0%}?")
    sol = (f"lines = {instr.value:g} KB / {line} B + {data.value:g} KB / {line} B = {lines:.0f}\n"
           f"misses = {lines:.0f} x {f:g} x {fmt(pen)} cycles / {fmt(mhz)} MHz = {fmt(ipl)} µs\n"
           f"d = {fmt(ipc)} + {fmt(ipl)} - {fmt(sc)} = {fmt(d)} µs\n"
           f"s >= d / {th:g} - d - {fmt(sc)} = {fmt(s)} µs\n"
           f"(ipcmodel.service.break_even_service_us({fmt(ipc)}, {fmt(sc)}, {th:g}, "
           f"ipc_path_locality_us={fmt(ipl)}))")
    slips = (Slip(float(service.break_even_service_us(ipc, sc, th, 0.0, ipl * mhz)),
                  f"did you leave the misses in cycles? {lines:.0f} x {f:g} x {fmt(pen)} is a "
                  f"number of cycles; divide by the clock ({fmt(mhz)} MHz) for µs.", "clock"),
             Slip(float(service.break_even_service_us(ipc, sc, th)),
                  "that is the warm break-even: the misses on the IPC path are paid on every call, "
                  "so add them to the IPC's cost.", "other"),
             syscall_slip(d / th - d))
    return Variant(q, s, sol, inputs={"miss_fraction": f, "threshold": th}, slips=slips,
                   clock_mhz=mhz, constraint=_at_least(s, th))


def _title(run, what: str) -> str:
    """``what`` + "on this machine", or "in the saved example" when the probe did not run here."""
    if isinstance(run, MachineRun) and not run.measured:
        return f"{what} in the saved example"
    return f"{what} on this machine"


def _bind(variant, run):
    _result(run)  # a clear error now, not inside the first check

    def answer_fn(seed: int) -> Variant:
        return variant(run, seed)

    return answer_fn


def overhead_exercise(run, seed: int = 0, **kw) -> Exercise:
    """IPC overhead of one service use with this run's IPC and system call (%, ±2% relative)."""
    kw.setdefault("step", "look-up")
    return Exercise("machine-overhead", _bind(_overhead_variant, run), "%", rtol=0.02, seed=seed,
                    title=_title(run, "IPC overhead"), **kw)


def break_even_exercise(run, seed: int = 0, **kw) -> Exercise:
    """Break-even service time on this machine (µs, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("machine-break-even", _bind(_break_even_variant, run), "µs", rtol=0.02,
                    seed=seed, title=_title(run, "Break-even service time"), **kw)


def clock_speedup_exercise(run, seed: int = 0, **kw) -> Exercise:
    """Mapped vs trapping clock read, measured (times, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("machine-clock", _bind(_clock_variant, run), "times", rtol=0.02, seed=seed,
                    title=_title(run, "The mapped clock"), **kw)


def comapping_exercise(run, seed: int = 0, **kw) -> Exercise:
    """A kernel round trip vs the shared-memory spin round trip (times, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("machine-comapping", _bind(_comapping_variant, run), "times", rtol=0.02,
                    seed=seed, title=_title(run, "Co-mapping"), **kw)


def cold_path_exercise(run, seed: int = 0, **kw) -> Exercise:
    """Misses on Mach's IPC path at this machine's miss penalty (µs, ±2%)."""
    kw.setdefault("step", "apply")
    return Exercise("machine-cold-path", _bind(_cold_variant, run), "µs", rtol=0.02, seed=seed,
                    title=_title(run, "A cold IPC path"), **kw)


def max_ipc_exercise(run, seed: int = 0, **kw) -> Exercise:
    """Slowest IPC that keeps a service's overhead within a threshold on this machine (µs, ±2%,
    at most)."""
    kw.setdefault("step", "invert")
    return Exercise("machine-max-ipc", _bind(_max_ipc_variant, run), "µs", rtol=0.02, seed=seed,
                    title=_title(run, "An IPC budget"), **kw)


def cold_break_even_exercise(run, seed: int = 0, **kw) -> Exercise:
    """Break-even service time with part of Mach's IPC path missing at this machine's miss
    penalty (µs, ±2%, at least)."""
    kw.setdefault("step", "combine")
    return Exercise("machine-cold-break-even", _bind(_cold_break_even_variant, run), "µs",
                    rtol=0.02, seed=seed, title=_title(run, "Break-even with a cold IPC path"), **kw)


def exercise_set(run, seed: int | str = 0, *, show_answers: bool | None = None) -> ExerciseSet:
    """Notebook 06's exercises for ``run``, all at variant ``seed``.

    Unlike the other topics' ``exercise_set(seed=0)``, this one takes ``run`` first: the
    questions are built from a probe result (this machine's measurements).

    Parameters
    ----------
    run : MachineRun or ProbeResult
        The notebook's run (``ipcmodel.yourmachine``) or a probe result (``ipcmodel.measure``).
    seed : int or str
        Which variants (services, thresholds, transports, miss fractions), or a student
        identifier (:func:`~ipcmodel.exercises.core.seed_for`).
    show_answers : bool, optional
        Show answers and solutions inline (default: the ``IPCMODEL_SHOW_ANSWERS`` variable).
    """
    base = seed_for(seed)
    makers = (overhead_exercise, break_even_exercise, clock_speedup_exercise, comapping_exercise,
              cold_path_exercise, max_ipc_exercise, cold_break_even_exercise)
    return ExerciseSet("Notebook 06: is IPC irrelevant on your machine?",
                       [make(run, base) for make in makers], show_answers=show_answers)
