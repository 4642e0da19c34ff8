"""Exercises with a self-check for notebook 07 ("Thirty years later"), built on :mod:`ipcmodel.exercises.core`.

Every variant takes its inputs from the history data (``data/history.csv`` and the facts.csv rows
it references, through :mod:`ipcmodel.history`) by the seed, computes the answer with
``ipcmodel`` and writes the worked solution from the same numbers; nothing is typed in. Seed 0 is
the first example the notebook discusses; other seeds cycle through the data.

* :func:`round_trip_exercise`: a published one-way IPC in cycles, as a round trip in µs.
* :func:`miss_penalty_exercise`: Scott's memory reference ÷ cycle time of a year, in cycles.
* :func:`year_overhead_exercise`: the IPC overhead of a device access with the machine of a year
  (its IPC and the system call of the same machine, or one derived from the IPC/system-call ratio
  of the machines measured in pairs, said so in the question).
* :func:`bypass_share_exercise`: the share of a fast device access an IPC would add when the
  alternative is kernel bypass (no crossing at all).
* :func:`kpti_exercise`: the IPC/system-call ratio once KPTI adds its cost to every kernel entry
  and exit (one for a system call, two for a round-trip IPC; :mod:`ipcmodel.history.security`).
* :func:`trap_floor_exercise`: footnote 1's limit: an IPC round trip ÷ the two system calls it
  needs at least on the same machine (:func:`ipcmodel.history.floor.trap_floor`).
* :func:`cross_core_overhead_exercise`: the IPC overhead of a fast device access when the server
  runs on another core or socket (section 7's transfers in section 5's overhead), with the year's
  x86 IPC rows (the transfers were measured on x86 processors) and no system call in the baseline
  when the device is reached by kernel bypass (§5).
* :func:`year_max_ipc_exercise`: the slowest IPC that keeps a device's overhead within a
  threshold with the system call of a year (the regime map's boundary, inverted).

Steps (:data:`ipcmodel.exercises.core.STEPS`): the first six are printed by the notebook for
seed 0 (``look-up``: they check the reading); the cross-core overhead puts two sections together
(``combine``) and the IPC budget solves the model for the IPC (``invert``). Each variant lists the
slips its question invites (a one-way time for a round trip, cycles for µs, the system call
forgotten or wrongly charged, a crossing counted once, a ratio upside down) with their hints.

>>> ex = round_trip_exercise()
>>> ex.check(ex.answer).correct, ex.check("ten").kind
(True, 'not-a-number')
"""

from __future__ import annotations

from ipcmodel import history, service
from ipcmodel.exercises.core import (
    THRESHOLDS,
    Constraint,
    Exercise,
    ExerciseSet,
    Slip,
    Variant,
    clock_slip,
    fmt,
    nth,
    round_trip_slip,
    seed_for,
    syscall_slip,
)
from ipcmodel.history import multicore, security
from ipcmodel.history.floor import trap_floor
from ipcmodel.history.rows import _KERNEL_BYPASS_ROWS, NOW_YEAR, THEN_YEAR
from ipcmodel.history.sensitivity import isa_rows

__all__ = [
    "round_trip_exercise",
    "miss_penalty_exercise",
    "year_overhead_exercise",
    "bypass_share_exercise",
    "trap_floor_exercise",
    "kpti_exercise",
    "cross_core_overhead_exercise",
    "year_max_ipc_exercise",
    "exercise_set",
]

_DEVICE_SERIES = ("ssd", "network")
#: "Recent" device rows start here (the audit's "now" window in ipcmodel.history.predictions).
RECENT_YEAR = 2015


def _one_way_cycle_rows():
    """Rows given as one-way cycles with the source's clock: the L4-family table, by year."""
    return [r for r in history.history_rows("ipc")
            if r.unit == "cycles" and r.trip == "one-way" and r.clock_mhz is not None]


def _round_trip_variant(seed: int) -> Variant:
    (r,) = nth(seed, _one_way_cycle_rows())
    us = history.round_trip_us(r).value
    q = (f"The table {r.cite()} gives {r.machine} ({r.year}): one IPC between address spaces, "
         f"one way, hot cache, takes {r.value:g} cycles on a {r.clock_mhz:g} MHz processor. "
         "The paper quotes round trips in µs. What is this IPC as a round trip, in µs?")
    sol = (f"round trip = 2 × one way = 2 × {r.value:g} = {2 * r.value:g} cycles\n"
           f"µs = cycles ÷ MHz = {2 * r.value:g} ÷ {r.clock_mhz:g} = {fmt(us)} µs\n"
           f"(ipcmodel.history.round_trip_us(row) says: {history.round_trip_us(r).note})")
    slips = (round_trip_slip(float(r.value / r.clock_mhz)),
             clock_slip(float(2 * r.value), r.clock_mhz))
    return Variant(q, float(us), sol, inputs={"row": r.id}, slips=slips, clock_mhz=r.clock_mhz)


def _scott_years() -> list[int]:
    """The paper's year first, then every fourth year of the Scott page's slider."""
    lo, hi = history.SCOTT_YEAR_RANGE
    return [THEN_YEAR] + [y for y in range(lo, hi + 1, 4) if y != THEN_YEAR]


def _miss_penalty_variant(seed: int) -> Variant:
    (y,) = nth(seed, _scott_years())
    mem, cyc = float(history.scott_memory_ns(y)), float(history.scott_cycle_ns(y))
    cycles = float(history.scott_miss_penalty_cycles(y))
    q = (f"Colin Scott's formulas [Scott, interactive_latency.html, getMemLatency(), getCycle()] give, "
         f"for {y}, a main-memory reference of {fmt(mem)} ns and a processor cycle of {fmt(cyc)} ns. "
         "A cache miss waits for one memory reference. How many cycles is the miss penalty?")
    sol = (f"miss penalty = memory reference ÷ cycle time = {fmt(mem)} ns ÷ {fmt(cyc)} ns "
           f"= {fmt(cycles)} cycles\n"
           f"(ipcmodel.history.scott_miss_penalty_cycles({y}); §3 said 'tens, and soon to be hundreds')")
    slips = (Slip(cyc / mem, "the ratio is upside down: cycles = memory time ÷ cycle time, a number "
                             "well above 1.", "other"),
             Slip(mem, "that is the memory reference in ns: count how many cycles fit in it "
                       "(divide by the cycle time).", "clock"))
    return Variant(q, cycles, sol, inputs={"year": y}, slips=slips)


def _year_device_pairs() -> list[tuple[int, str]]:
    """(year, device quantity) pairs for the year-overhead exercise: every year in which a device
    row was measured, with that measured device (never a formula value: a formula is not a device
    of a year), the device class shown in that year (:func:`ipcmodel.history.device_shown`) and
    IPC and system call neither extrapolated; the paper's year first."""
    years = sorted({r.year for s in _DEVICE_SERIES for r in history.history_rows(s)})
    out = []
    for y in years:
        m = history.machine_of_year(y)
        if m["ipc_round_trip_us"].extrapolated or m["syscall_us"].extrapolated:
            continue
        out.extend((y, q) for q in ("network_us", "ssd_us")
                   if m[q].basis == "measured" and history.device_shown(q, y)[0])
    return sorted(set(out), key=lambda p: (p[0] != THEN_YEAR, p[1] != "network_us", p[0], p[1]))


_DEVICE_NAMES = {"network_us": "a network round trip", "disk_us": "a disk access (seek + rotation)",
                 "ssd_us": "an SSD read"}


def _year_overhead_variant(seed: int) -> Variant:
    ((y, q_name),) = nth(seed, _year_device_pairs())
    m = history.machine_of_year(y)
    ipc, sc, dev = (m[k] for k in ("ipc_round_trip_us", "syscall_us", q_name))
    frac = float(service.ipc_overhead_fraction(ipc.value, sc.value, dev.value))
    mono, micro = sc.value + dev.value, ipc.value + dev.value
    q = (f"history.machine_of_year({y}) gives an IPC round trip of {fmt(ipc.value)} µs ({ipc.note}), "
         f"{_syscall_words(sc)} of {fmt(sc.value)} µs ({sc.note}) and "
         f"{_DEVICE_NAMES[q_name]} of {fmt(dev.value)} µs ({dev.note}). With warm caches, what percentage "
         "of the microkernel's time for one such access is IPC overhead?")
    sol = (f"t_mono = {fmt(sc.value)} + {fmt(dev.value)} = {fmt(mono)} µs\n"
           f"t_micro = {fmt(ipc.value)} + {fmt(dev.value)} = {fmt(micro)} µs\n"
           f"overhead = (t_micro - t_mono) / t_micro = {fmt(micro - mono)} / {fmt(micro)} "
           f"= {fmt(100 * frac)}%\n"
           f"(ipcmodel.service.ipc_overhead_fraction({fmt(ipc.value)}, {fmt(sc.value)}, {fmt(dev.value)}))\n"
           f"rows: IPC {', '.join(ipc.row_ids)}; device {', '.join(dev.row_ids)}")
    return Variant(q, 100 * frac, sol, inputs={"year": y, "device": q_name},
                   slips=_overhead_slips(ipc.value, sc.value, dev.value))


def _syscall_words(sc, whose: str = "") -> str:
    """How a question names the year's system call: measured on the IPC's machine, or derived
    (``Estimate.derived``) from the IPC/system-call ratio of the machines measured in pairs."""
    if getattr(sc, "derived", False):
        return (f"a system call derived from the IPC/system-call ratio of the {whose}machines measured "
                "in pairs (not measured on the IPC's machine)")
    return "a system call on the same machine"


def _overhead_slips(ipc: float, sc: float, dev: float) -> tuple:
    """Slips of an overhead in %: the system call forgotten, a one-way IPC, the monolithic time
    as the denominator."""
    slips = [syscall_slip(100 * ipc / (ipc + dev)),
             Slip(100 * (ipc - sc) / (sc + dev), "the overhead is a share of the microkernel's time "
                                                 "t_micro, not of the monolithic kernel's t_mono: "
                                                 "divide by t_micro.")]
    if ipc / 2 > sc:
        slips.append(round_trip_slip(100 * (ipc / 2 - sc) / (ipc / 2 + dev)))
    return tuple(slips)


def _fast_devices():
    """Device rows measured since :data:`RECENT_YEAR` that are faster than the fastest device
    row of the paper's years, fastest first (the microsecond devices)."""
    rows = [r for s in _DEVICE_SERIES for r in history.history_rows(s)]
    then = min(history.round_trip_us(r).value for r in rows if abs(r.year - THEN_YEAR) <= 1)
    fast = [r for r in rows if history.round_trip_us(r).value < then and r.year >= RECENT_YEAR]
    return sorted(fast, key=lambda r: history.round_trip_us(r).value)


def _bypass_share_variant(seed: int) -> Variant:
    (r,) = nth(seed, _fast_devices())
    dev = history.round_trip_us(r).value
    ipc = history.estimate_for_year("ipc_round_trip_us", r.year)
    share = float(service.ipc_overhead_fraction(ipc.value, 0.0, dev))
    what = ("a replication latency, which contains at least one network round trip: an upper bound "
            "of one round trip"
            if r.id in _KERNEL_BYPASS_ROWS else "per access")
    q = (f"{r.machine} {r.cite()}: {fmt(dev)} µs ({what}; {r.year}). Suppose the application "
         "reaches the device with no kernel crossing at all (kernel bypass, as user-level protocols do, "
         "§5). If each access instead went "
         f"through a user-level server, adding one IPC round trip of {fmt(ipc.value)} µs "
         f"(history.estimate_for_year('ipc_round_trip_us', {r.year}): {ipc.note}), what percentage of "
         "the new access time would be IPC?")
    sol = (f"t_bypass = {fmt(dev)} µs; t_ipc = {fmt(ipc.value)} + {fmt(dev)} = {fmt(ipc.value + dev)} µs\n"
           f"share = {fmt(ipc.value)} / {fmt(ipc.value + dev)} = {fmt(100 * share)}%\n"
           f"(ipcmodel.service.ipc_overhead_fraction({fmt(ipc.value)}, 0, {fmt(dev)}): the baseline "
           "crosses nothing, so the system call is 0)")
    sc = history.machine_of_year(r.year)["syscall_us"].value
    slips = [round_trip_slip(100 * (ipc.value / 2) / (ipc.value / 2 + dev)),
             Slip(100 * ipc.value / dev, "that is the IPC as a share of the bypass time: the question "
                                         "asks for its share of the new access time, IPC + device.")]
    if ipc.value > sc:
        slips.append(Slip(100 * (ipc.value - sc) / (ipc.value + dev),
                          "the baseline here is kernel bypass, which makes no system call: subtract "
                          "nothing (the system call is 0).", "syscall"))
    return Variant(q, 100 * share, sol, inputs={"row": r.id}, slips=tuple(slips))


def _trap_floor_variant(seed: int) -> Variant:
    rows = sorted(trap_floor(), key=lambda f: (f.ipc_id != "b92-rpc-ds5000", f.year, f.machine))
    (f,) = nth(seed, rows)
    u = "cycles" if f.unit == "cycles" else "µs"
    q = (f"Footnote 1 of the paper says IPC is ultimately limited by trap and context-switch time. "
         f"On the {f.machine} ({f.year}) an IPC round trip takes {f.ipc:g} {u} [{f.ipc_id}] and a "
         f"system call {f.syscall:g} {u} [{f.syscall_id}], both measured on that machine. A round trip "
         "enters and leaves the kernel at least twice (the call and the reply). How many times the "
         "cost of those two traps is the IPC round trip?")
    sol = (f"floor = 2 × system call = 2 × {f.syscall:g} = {fmt(f.floor)} {u}\n"
           f"headroom = IPC ÷ floor = {f.ipc:g} ÷ {fmt(f.floor)} = {fmt(f.headroom)}×\n"
           "(ipcmodel.history.floor.trap_floor(); the floor leaves out the address-space "
           "switch, so the real limit is higher)")
    slips = (Slip(float(f.ipc / f.syscall), "a round trip enters and leaves the kernel at least twice "
                  "(the call and the reply): the floor is two system calls, not one.", "round-trip"),
             Slip(float(1 / f.headroom), "the ratio is upside down: IPC ÷ floor, a number above 1 "
                                         "when the IPC costs more than its traps.", "other"))
    return Variant(q, float(f.headroom), sol, inputs={"machine": f.machine, "ipc_row": f.ipc_id},
                   slips=slips)


def _kpti_cases() -> list[tuple[int, str]]:
    """(year, bound) pairs from the security era on: the model's "now" with the low bound first."""
    first = security.kpti_era_start()
    years = [NOW_YEAR] + [y for y in range(first, history.year_range()[1] + 1) if y != NOW_YEAR]
    return [(y, b) for y in years for b in security.BOUNDS]


def _kpti_variant(seed: int) -> Variant:
    ((y, bound),) = nth(seed, _kpti_cases())
    c = security.crossing_costs(y, bound)
    k = c["kpti_cycles"]
    sc_words = _syscall_words(history.machine_of_year(y)["syscall_us"])
    q = (f"history.machine_of_year({y}) gives an IPC round trip of {fmt(c['ipc_us'])} µs and {sc_words} "
         f"of {fmt(c['syscall_us'])} µs, at {fmt(c['clock_mhz'])} MHz (the year's IPC in cycles ÷ its IPC in µs: an "
         "implied clock, not one machine's). Suppose every "
         f"kernel entry and exit pays KPTI's page-table switches, {k:g} cycles per entry/exit "
         f"({security.kpti_cost(bound).note}). A system call enters and leaves the kernel once, a round-trip "
         "IPC twice. What is the IPC/system-call ratio then?")
    per = k / c["clock_mhz"]
    sol = (f"per entry/exit = {k:g} cycles ÷ {fmt(c['clock_mhz'])} MHz = {fmt(per)} µs\n"
           f"system call = {fmt(c['syscall_us'])} + {fmt(per)} = {fmt(c['syscall_kpti_us'])} µs\n"
           f"IPC = {fmt(c['ipc_us'])} + 2 × {fmt(per)} = {fmt(c['ipc_kpti_us'])} µs\n"
           f"ratio = {fmt(c['ipc_kpti_us'])} ÷ {fmt(c['syscall_kpti_us'])} = {fmt(c['ratio_kpti'])}× "
           f"(without KPTI {fmt(c['ratio'])}×)\n"
           f"(ipcmodel.history.security.crossing_costs({y}, {bound!r}))")
    ipc, sc, mhz = c["ipc_us"], c["syscall_us"], c["clock_mhz"]
    slips = (Slip((ipc + per) / (sc + per), "a round-trip IPC enters and leaves the kernel twice (the "
                  "call and the reply): it pays KPTI's cost twice, the system call once.", "crossings"),
             Slip((ipc + 2 * per) / sc, "the system call pays KPTI too: it enters and leaves the "
                                        "kernel once.", "syscall"),
             Slip((ipc + 2 * k) / (sc + k), f"KPTI's cost is given in cycles: divide by the clock "
                                            f"({fmt(mhz)} MHz) for µs before adding it.", "clock"),
             Slip(float(c["ratio"]), "that is the ratio without KPTI: add its cost to both.", "other"))
    return Variant(q, float(c["ratio_kpti"]), sol, inputs={"year": y, "bound": bound}, slips=slips)


def _upper_bound_note(r) -> str:
    """Said of a kernel-bypass row whose figure is a replication latency (an upper bound)."""
    return ("; a replication latency, an upper bound of one round trip"
            if r.id in _KERNEL_BYPASS_ROWS else "")


def _cross_core_cases() -> list[tuple]:
    """(core-to-core row, fast device row): every cited cross-core or cross-socket transfer with
    every recent fast device, the first CPU's cross-core transfer and the fastest device reached
    through the kernel first (kernel-bypass devices last)."""
    far = [r for r in multicore.core_to_core_rows() if r.where in ("cores", "sockets")]
    far.sort(key=lambda r: (list(multicore.CPUS).index(r.cpu), r.where != "cores"))
    devices = sorted(_fast_devices(), key=lambda d: d.id in _KERNEL_BYPASS_ROWS)  # kernel path first
    return [(c, d) for c in far for d in devices]


def _cross_core_variant(seed: int) -> Variant:
    ((lat, r),) = nth(seed, _cross_core_cases())
    # The transfers were measured on x86 processors, so the IPC is the year's x86 rows only (critic C3 N4).
    m = history.machine_of_year(NOW_YEAR, isa_rows("x86"))
    ipc_e, sc_e = m["ipc_round_trip_us"], m["syscall_us"]
    ipc, dev, t = ipc_e.value, history.round_trip_us(r).value, lat.one_way_us
    bypass = r.id in _KERNEL_BYPASS_ROWS   # §5: a kernel-bypass access makes no system call
    sc = 0.0 if bypass else sc_e.value
    cross = ipc + 2 * t
    frac = float(service.ipc_overhead_fraction(cross, sc, dev))
    where = "another core of the same processor" if lat.where == "cores" else "another socket"
    base = ("The device is reached by kernel bypass, so the design without the server makes no system "
            "call at all (§5)" if bypass else
            f"The design without the server makes {_syscall_words(sc_e, 'x86 ')} of {fmt(sc)} µs")
    q = (f"history.machine_of_year({NOW_YEAR}, history.isa_rows('x86')) gives a same-core IPC round trip of "
         f"{fmt(ipc)} µs, the median of the year's x86 rows ({', '.join(ipc_e.row_ids)}). Now the server runs "
         f"on {where}: each message (the request, then the reply) crosses the cache-coherence fabric one way "
         f"in {fmt(t)} µs ({lat.machine} {lat.cite}, another x86 machine than the IPC's: the two are put "
         f"together as a what-if). {base}. A device access "
         f"takes {fmt(dev)} µs ({r.machine} {r.cite()}, {r.year}{_upper_bound_note(r)}). With warm caches, what "
         "percentage of the server design's time for one access is IPC overhead, that is, the time it "
         "spends beyond the design without the server? Take the cross-core round trip as the same-core "
         "one plus the two transfers and nothing else (no wake-up of a sleeping server), so the answer "
         "is a floor.")
    sol = (f"cross-core IPC = {fmt(ipc)} + 2 × {fmt(t)} = {fmt(cross)} µs "
           f"(ipcmodel.history.multicore.cross_core_added_us)\n"
           f"t_without = {fmt(sc)} + {fmt(dev)} = {fmt(sc + dev)} µs"
           f"{' (kernel bypass: no system call)' if bypass else ''}\n"
           f"t_server = {fmt(cross)} + {fmt(dev)} = {fmt(cross + dev)} µs\n"
           f"overhead = (t_server - t_without) / t_server = {fmt(cross - sc)} / {fmt(cross + dev)} "
           f"= {fmt(100 * frac)}%\n"
           f"(ipcmodel.service.ipc_overhead_fraction({fmt(cross)}, {fmt(sc)}, {fmt(dev)}))")
    once = ipc + t
    slips = [round_trip_slip(100 * (once - sc) / (once + dev)),
             Slip(100 * (ipc - sc) / (ipc + dev), "that is the same-core overhead: the two transfers "
                                                  "add to the IPC when the server runs elsewhere.",
                  "other")]
    if bypass:
        slips.append(Slip(100 * (cross - sc_e.value) / (cross + dev), "the baseline here is kernel bypass, "
                          "which makes no system call: subtract nothing (the system call is 0).", "syscall"))
    else:
        slips += [syscall_slip(100 * cross / (cross + dev)),
                  Slip(100 * (ipc - sc) / (cross + dev), "the system call stays on its core: only the IPC "
                                                         "pays the transfers, so do not add them to both.",
                       "other")]
    return Variant(q, 100 * frac, sol, inputs={"transfer_row": lat.id, "device_row": r.id},
                   slips=tuple(slips))


def _year_max_ipc_cases() -> list[tuple]:
    return [(p, th) for p in _year_device_pairs() for th in THRESHOLDS]


def _year_max_ipc_variant(seed: int) -> Variant:
    (((y, q_name), th),) = nth(seed, _year_max_ipc_cases())
    m = history.machine_of_year(y)
    sc, dev, ipc_now = m["syscall_us"], m[q_name], m["ipc_round_trip_us"]
    ipc = float(service.max_ipc_us(sc.value, dev.value, th))
    d = ipc - sc.value
    q = (f"history.machine_of_year({y}) gives a system call of {fmt(sc.value)} µs ({sc.note}) and "
         f"{_DEVICE_NAMES[q_name]} of {fmt(dev.value)} µs ({dev.note}). What is the slowest IPC "
         f"round trip (in µs) that keeps the IPC overhead of one such access at most {th:.0%}, with "
         "warm caches? (This is where the regime map's threshold boundary crosses the device's "
         "height.)")
    sol = (f"overhead = d / (d + {fmt(sc.value)} + {fmt(dev.value)}) <= {th:g}, d = IPC - system call\n"
           f"d <= {th:g} × ({fmt(sc.value)} + {fmt(dev.value)}) / (1 - {th:g}) = {fmt(d)} µs\n"
           f"IPC <= {fmt(sc.value)} + {fmt(d)} = {fmt(ipc)} µs "
           f"(the year's IPC: {fmt(ipc_now.value)} µs)\n"
           f"(ipcmodel.service.max_ipc_us({fmt(sc.value)}, {fmt(dev.value)}, {th:g}))")
    why = (f"the question asks for the slowest IPC that keeps the overhead at most {th:.0%}; "
           f"anything slower gives more than {th:.0%}, so round down, not up.")
    slips = (syscall_slip(d),
             Slip(sc.value + th * (sc.value + dev.value), "the overhead is a share of the "
                  "microkernel's time, d / (d + system call + device), not of the monolithic time: "
                  "solve d / (d + t_mono) <= threshold for d."))
    return Variant(q, ipc, sol, inputs={"year": y, "device": q_name, "threshold": th}, slips=slips,
                   constraint=Constraint(high=ipc, why=why))


def round_trip_exercise(seed: int = 0, **kw) -> Exercise:
    """One-way IPC in cycles at a clock -> round trip in µs (±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("round-trip", _round_trip_variant, "µs", rtol=0.02, seed=seed,
                    title="From a benchmark table to a round trip", **kw)


def miss_penalty_exercise(seed: int = 0, **kw) -> Exercise:
    """Miss penalty in cycles from Scott's memory and cycle formulas (±3%)."""
    kw.setdefault("step", "look-up")
    return Exercise("miss-penalty", _miss_penalty_variant, "cycles", rtol=0.03, seed=seed,
                    title="The memory wall in cycles", **kw)


def year_overhead_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC overhead of one device access with the machine of a year (%, ±5% relative or ±0.01 points)."""
    kw.setdefault("step", "look-up")
    return Exercise("year-overhead", _year_overhead_variant, "%", rtol=0.05, atol=0.01, seed=seed,
                    title="IPC overhead with the machine of a year", **kw)


def bypass_share_exercise(seed: int = 0, **kw) -> Exercise:
    """Share of a fast device access an added IPC would take, against kernel bypass (%, ±5%)."""
    kw.setdefault("step", "look-up")
    return Exercise("bypass-share", _bypass_share_variant, "%", rtol=0.05, atol=0.01, seed=seed,
                    title="IPC against kernel bypass", **kw)


def trap_floor_exercise(seed: int = 0, **kw) -> Exercise:
    """Footnote 1: IPC round trip ÷ two system calls of the same machine (×, ±3%)."""
    kw.setdefault("step", "look-up")
    return Exercise("trap-floor", _trap_floor_variant, "×", rtol=0.03, seed=seed,
                    title="How far above the trap limit?", **kw)


def kpti_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC/system-call ratio with KPTI's cost on every kernel entry and exit (×, ±3%)."""
    kw.setdefault("step", "look-up")
    return Exercise("kpti", _kpti_variant, "×", rtol=0.03, seed=seed,
                    title="Every crossing gets dearer", **kw)


def cross_core_overhead_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC overhead of a fast device access with the server on another core or socket (%, ±2%
    relative or ±0.01 points)."""
    kw.setdefault("step", "combine")
    return Exercise("cross-core-overhead", _cross_core_variant, "%", rtol=0.02, atol=0.01, seed=seed,
                    title="A server on another core", **kw)


def year_max_ipc_exercise(seed: int = 0, **kw) -> Exercise:
    """Slowest IPC that keeps a device's overhead within a threshold with a year's system call
    (µs, ±2%, at most)."""
    kw.setdefault("step", "invert")
    return Exercise("year-max-ipc", _year_max_ipc_variant, "µs", rtol=0.02, seed=seed,
                    title="An IPC budget for a year's device", **kw)


def exercise_set(seed: int | str = 0, *, show_answers: bool | None = None) -> ExerciseSet:
    """The exercises of notebook 07, all at variant ``seed`` (0 = the notebook's examples; a str
    is a student identifier, :func:`~ipcmodel.exercises.core.seed_for`)."""
    base = seed_for(seed)
    makers = (round_trip_exercise, trap_floor_exercise, miss_penalty_exercise, year_overhead_exercise,
              bypass_share_exercise, kpti_exercise, cross_core_overhead_exercise, year_max_ipc_exercise)
    return ExerciseSet("Notebook 07: thirty years later", [m(base) for m in makers],
                       show_answers=show_answers)
