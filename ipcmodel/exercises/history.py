"""Exercises with a self-check for notebook 07 ("Thirty years later"), built on :mod:`ipcmodel.exercises.core`.

Every variant takes its inputs from the history data (``data/history.csv`` and the facts.csv rows
it references, through :mod:`ipcmodel.history`) by the seed, computes the answer with
``ipcmodel`` and writes the worked solution from the same numbers; nothing is typed in. Seed 0 is
the first example the notebook discusses; other seeds cycle through the data.

* :func:`round_trip_exercise`: a published one-way IPC in cycles, as a round trip in µs.
* :func:`miss_penalty_exercise`: Scott's memory reference ÷ cycle time of a year, in cycles.
* :func:`year_overhead_exercise`: the IPC overhead of a device access with the machine of a year
  (its IPC and the system call of the same machine).
* :func:`bypass_share_exercise`: the share of a fast device access an IPC would add when the
  alternative is kernel bypass (no crossing at all).
* :func:`kpti_exercise`: the IPC/system-call ratio once KPTI adds its cost to every kernel entry
  and exit (one for a system call, two for a round-trip IPC; :mod:`ipcmodel.history.security`).
* :func:`trap_floor_exercise`: footnote 1's limit: an IPC round trip ÷ the two system calls it
  needs at least on the same machine (:func:`ipcmodel.history.floor.trap_floor`).

>>> ex = round_trip_exercise()
>>> ex.check(ex.answer).correct, ex.check("ten").kind
(True, 'not-a-number')
"""

from __future__ import annotations

from ipcmodel import history, service
from ipcmodel.exercises.core import Exercise, ExerciseSet, Variant, fmt, nth
from ipcmodel.history import security
from ipcmodel.history.floor import trap_floor
from ipcmodel.history.rows import _KERNEL_BYPASS_ROWS, NOW_YEAR, THEN_YEAR

__all__ = [
    "round_trip_exercise",
    "miss_penalty_exercise",
    "year_overhead_exercise",
    "bypass_share_exercise",
    "trap_floor_exercise",
    "kpti_exercise",
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
    return Variant(q, float(us), sol)


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
    return Variant(q, cycles, sol)


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
         f"a system call on the same machine of {fmt(sc.value)} µs ({sc.note}) and "
         f"{_DEVICE_NAMES[q_name]} of {fmt(dev.value)} µs ({dev.note}). With warm caches, what percentage "
         "of the microkernel's time for one such access is IPC overhead?")
    sol = (f"t_mono = {fmt(sc.value)} + {fmt(dev.value)} = {fmt(mono)} µs\n"
           f"t_micro = {fmt(ipc.value)} + {fmt(dev.value)} = {fmt(micro)} µs\n"
           f"overhead = (t_micro - t_mono) / t_micro = {fmt(micro - mono)} / {fmt(micro)} "
           f"= {fmt(100 * frac)}%\n"
           f"(ipcmodel.service.ipc_overhead_fraction({fmt(ipc.value)}, {fmt(sc.value)}, {fmt(dev.value)}))\n"
           f"rows: IPC {', '.join(ipc.row_ids)}; device {', '.join(dev.row_ids)}")
    return Variant(q, 100 * frac, sol)


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
    return Variant(q, 100 * share, sol)


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
    return Variant(q, float(f.headroom), sol)


def _kpti_cases() -> list[tuple[int, str]]:
    """(year, bound) pairs from the security era on: the model's "now" with the low bound first."""
    first = security.kpti_era_start()
    years = [NOW_YEAR] + [y for y in range(first, history.year_range()[1] + 1) if y != NOW_YEAR]
    return [(y, b) for y in years for b in security.BOUNDS]


def _kpti_variant(seed: int) -> Variant:
    ((y, bound),) = nth(seed, _kpti_cases())
    c = security.crossing_costs(y, bound)
    k = c["kpti_cycles"]
    q = (f"history.machine_of_year({y}) gives an IPC round trip of {fmt(c['ipc_us'])} µs and a system call "
         f"on the same machine of {fmt(c['syscall_us'])} µs, at {fmt(c['clock_mhz'])} MHz. Suppose every "
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
    return Variant(q, float(c["ratio_kpti"]), sol)


def round_trip_exercise(seed: int = 0, **kw) -> Exercise:
    """One-way IPC in cycles at a clock -> round trip in µs (±2%)."""
    return Exercise("round-trip", _round_trip_variant, "µs", rtol=0.02, seed=seed,
                    title="From a benchmark table to a round trip", **kw)


def miss_penalty_exercise(seed: int = 0, **kw) -> Exercise:
    """Miss penalty in cycles from Scott's memory and cycle formulas (±3%)."""
    return Exercise("miss-penalty", _miss_penalty_variant, "cycles", rtol=0.03, seed=seed,
                    title="The memory wall in cycles", **kw)


def year_overhead_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC overhead of one device access with the machine of a year (%, ±5% relative or ±0.01 points)."""
    return Exercise("year-overhead", _year_overhead_variant, "%", rtol=0.05, atol=0.01, seed=seed,
                    title="IPC overhead with the machine of a year", **kw)


def bypass_share_exercise(seed: int = 0, **kw) -> Exercise:
    """Share of a fast device access an added IPC would take, against kernel bypass (%, ±5%)."""
    return Exercise("bypass-share", _bypass_share_variant, "%", rtol=0.05, atol=0.01, seed=seed,
                    title="IPC against kernel bypass", **kw)


def trap_floor_exercise(seed: int = 0, **kw) -> Exercise:
    """Footnote 1: IPC round trip ÷ two system calls of the same machine (×, ±3%)."""
    return Exercise("trap-floor", _trap_floor_variant, "×", rtol=0.03, seed=seed,
                    title="How far above the trap limit?", **kw)


def kpti_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC/system-call ratio with KPTI's cost on every kernel entry and exit (×, ±3%)."""
    return Exercise("kpti", _kpti_variant, "×", rtol=0.03, seed=seed,
                    title="Every crossing gets dearer", **kw)


def exercise_set(seed: int = 0, *, show_answers: bool | None = None) -> ExerciseSet:
    """The exercises of notebook 07, all at variant ``seed`` (0 = the notebook's examples)."""
    makers = (round_trip_exercise, trap_floor_exercise, miss_penalty_exercise, year_overhead_exercise,
              bypass_share_exercise, kpti_exercise)
    return ExerciseSet("Notebook 07: thirty years later", [m(seed) for m in makers],
                       show_answers=show_answers)
