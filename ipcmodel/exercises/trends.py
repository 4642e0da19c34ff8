"""Self-check exercises for notebook 01 (Bershad 1992, §2 and §2.1), on :mod:`ipcmodel.exercises.core`.

Every variant takes its inputs from ``data/`` (facts and machines) by the seed, computes the
answer with ``ipcmodel`` and writes the worked solution from the same numbers. ``seed=0`` is the
paper's own example. The processor shares asked about are what-ifs (a yardstick for thinking,
like the thresholds of :mod:`ipcmodel.exercises.core`), not measurements.

>>> ex = speedup_exercise()
>>> ex.check(ex.answer).correct, ex.check("nine-ish").kind
(True, 'not-a-number')
"""

from __future__ import annotations

from ipcmodel import paper, trends, units
from ipcmodel.data import Fact, fact
from ipcmodel.exercises.core import (
    Constraint,
    Exercise,
    ExerciseSet,
    Slip,
    Variant,
    cite,
    fmt,
    machines_with,
    nth,
    round_trip_slip,
    seed_for,
    syscall_slip,
)
from ipcmodel.machines import Machine, load_machines

__all__ = [
    "SHARES",
    "speedup_exercise",
    "scaled_time_exercise",
    "processor_share_exercise",
    "syscall_ratio_exercise",
    "gap_share_exercise",
    "speedup_needed_exercise",
    "gap_service_exercise",
    "WIRE_SHARES",
    "GAP_SHARES",
    "exercise_set",
]

#: What-if shares of a time that scale with the processor (1 = all of it, as §2 says of IPC).
SHARES = (1.0, 0.9, 0.5, 0.75)


def _rpc_fact(m: Machine) -> Fact:
    p = m.provenance["rpc_us"]
    return p if isinstance(p, Fact) else None


#: The machines the variants cycle through start with the CVax (§2 starts there), then the
#: DECstation 5000/200.
_FIRST = ("cvax", "ds5000")


_SHARE_WORDS = {1.0: "all of that time", 0.75: "three quarters of that time", 0.5: "half of that time"}


def _share_text(share: float) -> str:
    """A share in words with its symbol: ``"all of that time (p = 1)"``, ``"90% of that time (p = 0.9)"``."""
    words = _SHARE_WORDS.get(float(share), f"{share:.0%} of that time")
    return f"{words} (p = {share:g})"


def _speedups() -> list[Fact]:
    """Processor speedups stated in §2: the DS5000/200's rating, then the register-add decade."""
    return [fact("b92-rating-ds5000-vs-cvax"), fact("b92-register-add-speedup")]


# ---- 1. speedup --------------------------------------------------------------------------------

def _speedup_pairs() -> list[tuple[Fact, Fact, str]]:
    """Pairs of cited round-trip RPC times (old, new, what changed)."""
    cv89, cv92, ds = fact("b92-rpc-cvax-1989"), fact("b92-rpc-cvax-1992"), fact("b92-rpc-ds5000")
    pairs = [(cv92, ds, "the same Mach 3.0 code, CVax -> DECstation 5000/200 (new hardware)"),
             (cv89, cv92, "the same CVax, 1989 -> 1992 (new software)"),
             (cv89, ds, "1989 on the CVax -> 1992 on the DECstation 5000/200 (both)")]
    ds3100 = load_machines().get("ds3100")
    if ds3100 is not None and isinstance(_rpc_fact(ds3100), Fact):
        pairs.append((_rpc_fact(ds3100), ds, "DECstation 3100 -> DECstation 5000/200 (both 1992)"))
    return pairs


def _speedup_variant(seed: int) -> Variant:
    (old, new, what), = nth(seed, _speedup_pairs())
    sp = trends.speedup(old.value, new.value)
    stated = fact("b92-rpc-speedup-stated")
    rounded = abs(stated.value / sp - 1) <= 0.05  # only where the paper's rounded figure fits
    note = (f"; answers within 5% are accepted, so the paper's rounded \"{stated.qualifier} "
            f"{stated.value:g}\" {stated.cite()} counts" if rounded else "; answers within 5% are accepted")
    q = (f"Mach's round-trip RPC took {old.value:g} µs {old.cite()} and later {new.value:g} µs "
         f"{new.cite()}: {what}. How many times faster did it get? (a plain number, e.g. 2.5{note})")
    sol = (f"speedup = old / new = {old.value:g} / {new.value:g} = {fmt(sp)}x\n"
           f"(ipcmodel.trends.speedup({old.value:g}, {new.value:g}))")
    return Variant(q, float(sp), sol, inputs={"old": old.id, "new": new.id},
                   accepted=(stated.value,) if rounded else (),
                   slips=(Slip(new.value / old.value, "a speedup is old time / new time (a number "
                               "above 1 when it got faster), not new / old.", "other"),))


def speedup_exercise(seed: int = 0, **kw) -> Exercise:
    """How many times faster did Mach's RPC get? (×, ±5%: where it fits, the paper's rounded
    "about nine" counts, and the question says so only there)"""
    kw.setdefault("step", "look-up")
    return Exercise("rpc-speedup", _speedup_variant, "×", rtol=0.05, seed=seed,
                    title="RPC speedup", **kw)


# ---- 2. scaled time ----------------------------------------------------------------------------

def _scaled_time_variant(seed: int) -> Variant:
    m, sp, share = nth(seed, machines_with("rpc_us", first=_FIRST), _speedups(), SHARES)
    t = trends.scaled_time_us(m.rpc_us, sp.value, share)
    rest = "" if share == 1 else " and the rest does not"
    q = (f"The {m.name} does a round-trip RPC in {m.rpc_us:g} µs {cite(m, 'rpc_us')}. Suppose "
         f"{_share_text(share)} scales with the processor{rest}, and the "
         f"processor becomes {sp.value:g} times faster ({sp.quantity.replace('_', ' ')}, "
         f"{sp.qualifier} {sp.value:g} {sp.cite()}). How long does the RPC take then (in µs)?")
    sol = (f"t_new = t_old x (p / speedup + (1 - p)), with p = {share:g}\n"
           f"      = {m.rpc_us:g} x ({share:g} / {sp.value:g} + {fmt(1 - share)}) = {fmt(t)} µs\n"
           f"(ipcmodel.trends.scaled_time_us({m.rpc_us:g}, {sp.value:g}, {share:g}))")
    slips = [Slip(m.rpc_us / sp.value, "only the share p rides the processor: the rest, 1 - p, "
                                        "keeps its old time. t_new = t_old x (p / s + 1 - p).", "other")
             ] if share != 1 else []
    slips.append(Slip(m.rpc_us * sp.value, "a faster processor makes the time shorter: divide by the "
                                            "speedup, do not multiply.", "other"))
    return Variant(q, float(t), sol, inputs={"machine": m.id, "speedup": sp.id, "share": share},
                   slips=tuple(slips))


def scaled_time_exercise(seed: int = 0, **kw) -> Exercise:
    """RPC time on a faster processor when a share of it scales (µs, ±2%)."""
    kw.setdefault("step", "apply")
    return Exercise("scaled-time", _scaled_time_variant, "µs", rtol=0.02, seed=seed,
                    title="On and off the processor curve", **kw)


# ---- 3. processor share ------------------------------------------------------------------------

def _share_cases() -> list[tuple[str, Fact, Fact]]:
    return [("round-trip RPC", fact("b92-rpc-cvax-1992"), fact("b92-rpc-ds5000")),
            ("system call", fact("b92-syscall-cvax"), fact("b92-syscall-ds5000")),
            ("round-trip RPC (1989 CVax software)", fact("b92-rpc-cvax-1989"), fact("b92-rpc-ds5000"))]


def _processor_share_variant(seed: int) -> Variant:
    (what, old, new), = nth(seed, _share_cases())
    sp = fact("b92-rating-ds5000-vs-cvax")
    p = trends.processor_share_from_times(old.value, new.value, sp.value)
    q = (f"A {what} took {old.value:g} µs on the CVax {old.cite()} and {new.value:g} µs on the "
         f"DECstation 5000/200 {new.cite()}, which is rated at {sp.qualifier} {sp.value:g} times "
         f"the CVax {sp.cite()}. Which share p of the CVax time must scale with the processor for "
         "t_new = t_old x (p / speedup + 1 - p) to give the measured time? Give p as a fraction "
         "between 0 and 1 (e.g. 0.5), not a percentage; it may come out slightly above 1.")
    note = ("p > 1: it got faster than the processor alone can explain (better software too)."
            if p > 1 else "p < 1: a little of it did not keep up with the processor.")
    sol = (f"{new.value:g} = {old.value:g} x (p / {sp.value:g} + 1 - p)\n"
           f"p = (1 - {new.value:g}/{old.value:g}) / (1 - 1/{sp.value:g}) = {fmt(p)}\n{note}\n"
           f"(ipcmodel.trends.processor_share_from_times({old.value:g}, {new.value:g}, {sp.value:g}))")
    return Variant(q, float(p), sol, inputs={"case": what, "old": old.id, "new": new.id})


def processor_share_exercise(seed: int = 0, **kw) -> Exercise:
    """How much of the time is on the processor curve? (dimensionless, ±1%)"""
    kw.setdefault("step", "look-up")
    return Exercise("processor-share", _processor_share_variant, "share", rtol=0.01, seed=seed,
                    title="How much is on the processor curve?", **kw)


# ---- 4. system call ratio ----------------------------------------------------------------------

def _syscall_ratio_variant(seed: int) -> Variant:
    m, = nth(seed, machines_with("rpc_us", "syscall_us", first=_FIRST))
    r = trends.syscall_vs_ipc(m.rpc_us, m.syscall_us)
    q = (f"The {m.name} does a round-trip RPC in {m.rpc_us:g} µs {cite(m, 'rpc_us')} and a system "
         f"call in {m.syscall_us:g} µs {cite(m, 'syscall_us')}. How many times as long as the "
         "system call does the RPC take? (a plain number)")
    sol = (f"ratio = {m.rpc_us:g} / {m.syscall_us:g} = {fmt(r['ratio'])}x; the gap is "
           f"{m.rpc_us:g} - {m.syscall_us:g} = {fmt(r['gap_us'])} µs\n"
           f"(ipcmodel.trends.syscall_vs_ipc({m.rpc_us:g}, {m.syscall_us:g}))")
    return Variant(q, float(r["ratio"]), sol, inputs={"machine": m.id},
                   slips=(Slip(m.syscall_us / m.rpc_us, "the question asks how many system calls one "
                               "RPC costs: RPC / system call, not the reverse.", "other"),
                          Slip(r["gap_us"], "that is the gap RPC - system call in µs; the question "
                                            "asks for the ratio.", "other")))


def syscall_ratio_exercise(seed: int = 0, **kw) -> Exercise:
    """IPC ÷ system call on one machine (×, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("syscall-ratio", _syscall_ratio_variant, "×", rtol=0.02, seed=seed,
                    title="IPC against a system call: the ratio", **kw)


# ---- 5. gap against the service ----------------------------------------------------------------

def _services() -> list[tuple[str, float, str]]:
    """Service times the notebook uses: (what, µs, where from)."""
    block, rate, udp = fact("b92-buffer-copy-block"), fact("mb92-ethernet-rate"), fact("mb92-udp-rtt-mach25")
    return [(f"putting a {block.value:g}-byte packet on a {rate.value:g} Mb/s Ethernet wire",
             paper.wire_time_512_us(), f"computed: 8 x {block.value:g} bytes / {rate.value:g} Mb/s {rate.cite()}"),
            ("a UDP round trip on a DECstation 2100 (Mach 2.5)", float(units.ms_to_us(udp.value)), udp.cite()),
            (f"copying a {block.value:g}-byte block on a DECstation 5000/200 (an estimate)",
             float(paper.ds5000_copy_us(block.value)), "computed: ipcmodel.paper.ds5000_copy_us")]


def _gap_share_cases() -> list[tuple[Machine, tuple[str, float, str]]]:
    """(machine, service) pairs: the wire on both §2 machines first, the copy estimate only on the
    machine it was estimated for, the UDP round trip on the machine it was measured on and on both."""
    ms = load_machines()
    wire, udp, copy = _services()
    return [(ms["cvax"], wire), (ms["ds5000"], wire), (ms["ds5000"], copy), (ms["cvax"], udp),
            (ms["ds5000"], udp), (ms["ds2100"], udp)]


def _gap_share_variant(seed: int) -> Variant:
    (m, (what, s, src)), = nth(seed, _gap_share_cases())
    share = trends.ipc_share_of_access(m.rpc_us, m.syscall_us, s)
    q = (f"The {m.name} does a round-trip RPC in {m.rpc_us:g} µs {cite(m, 'rpc_us')} and a system "
         f"call in {m.syscall_us:g} µs {cite(m, 'syscall_us')}. The service is {what}: "
         f"{fmt(s)} µs ({src}). The microkernel's extra cost is RPC minus system call. What is "
         "that extra cost as a percentage of the service time?")
    sol = (f"extra = {m.rpc_us:g} - {m.syscall_us:g} = {fmt(m.rpc_us - m.syscall_us)} µs\n"
           f"extra / service = {fmt(m.rpc_us - m.syscall_us)} / {fmt(s)} = {fmt(100 * share)}%\n"
           f"(ipcmodel.trends.ipc_share_of_access({m.rpc_us:g}, {m.syscall_us:g}, {fmt(s)}))")
    slips = [syscall_slip(100 * m.rpc_us / s)]
    if m.rpc_us / 2 > m.syscall_us:
        slips.append(round_trip_slip(100 * (m.rpc_us / 2 - m.syscall_us) / s))
    return Variant(q, float(100 * share), sol, inputs={"machine": m.id, "service": what},
                   slips=tuple(slips))


def gap_share_exercise(seed: int = 0, **kw) -> Exercise:
    """The IPC-over-system-call gap as a percentage of a service (%, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("gap-share", _gap_share_variant, "%", rtol=0.02, seed=seed,
                    title="The gap against the service", **kw)


# ---- 6. how much faster must the processor get? ----------------------------------------------

#: Targets for the RPC as shares of the 512-byte wire time (what-ifs: "no longer comparable").
WIRE_SHARES = (0.1, 0.2, 0.05)
_NEEDED_SHARES = (1.0, 0.99, 0.95, 0.9)


def _needed_cases() -> list[tuple]:
    """(machine, p, target share) triples for which a finite speedup reaches the target."""
    wire = paper.wire_time_512_us()
    out = []
    for q in WIRE_SHARES:
        for p in _NEEDED_SHARES:
            for m in machines_with("rpc_us", first=_FIRST):
                target = q * wire
                if target < m.rpc_us and target / m.rpc_us > (1 - p) * 1.05:
                    out.append((m, p, q))
    return out


def _speedup_needed_variant(seed: int) -> Variant:
    (m, p, q), = nth(seed, _needed_cases())
    wire = paper.wire_time_512_us()
    target = q * wire
    s = p / (target / m.rpc_us - (1 - p))
    rest = "" if p == 1 else f" and the rest, {fmt(1 - p)}, does not"
    q_text = (f"The {m.name} does a round-trip RPC in {m.rpc_us:g} µs {cite(m, 'rpc_us')}. A "
              f"{fact('b92-buffer-copy-block').value:g}-byte packet takes {fmt(wire)} µs on the "
              f"{fact('mb92-ethernet-rate').value:g} Mb/s Ethernet wire (computed: 8 x bytes / rate "
              f"{fact('mb92-ethernet-rate').cite()}), whatever the processor. Suppose a share p = {p:g} "
              f"of the RPC rides the processor{rest}. At least how many times faster must the "
              f"processor get for the RPC to take no more than {q:.0%} of the wire time?")
    sol = (f"target = {q:g} x {fmt(wire)} = {fmt(target)} µs\n"
           f"{m.rpc_us:g} x ({p:g} / s + {fmt(1 - p)}) <= {fmt(target)}\n"
           f"s >= {p:g} / ({fmt(target)} / {m.rpc_us:g} - {fmt(1 - p)}) = {fmt(s)}\n"
           f"(check: ipcmodel.trends.scaled_time_us({m.rpc_us:g}, {fmt(s)}, {p:g}) = "
           f"{fmt(trends.scaled_time_us(m.rpc_us, s, p))} µs)")
    slips = [] if p == 1 else [Slip(m.rpc_us / target, "that would be right if all of the RPC rode "
                                    "the processor; only p does, and the rest keeps its old time: "
                                    "solve t (p / s + 1 - p) = target for s.", "other")]
    return Variant(q_text, float(s), sol, inputs={"machine": m.id, "share": p, "wire_share": q},
                   slips=tuple(slips),
                   constraint=Constraint(low=float(s), why="the question asks for the least speedup "
                                         "that reaches the target; a smaller one leaves the RPC "
                                         "above it, so round up."))


def speedup_needed_exercise(seed: int = 0, **kw) -> Exercise:
    """Least processor speedup that brings the RPC under a share of the wire time (×, ±2%, at least)."""
    kw.setdefault("step", "invert")
    return Exercise("speedup-needed", _speedup_needed_variant, "×", rtol=0.02, seed=seed,
                    title="How much faster must the processor get?", **kw)


# ---- 7. the service that hides the gap ---------------------------------------------------------

#: Shares of the service time the gap may take (yardsticks, like the thresholds).
GAP_SHARES = (0.1, 0.05, 0.2, 0.01)


def _gap_service_variant(seed: int) -> Variant:
    m, q = nth(seed, machines_with("rpc_us", "syscall_us", first=_FIRST), GAP_SHARES)
    gap = m.rpc_us - m.syscall_us
    s = gap / q
    text = (f"The {m.name} does a round-trip RPC in {m.rpc_us:g} µs {cite(m, 'rpc_us')} and a system "
            f"call in {m.syscall_us:g} µs {cite(m, 'syscall_us')}. How long must a service take (in "
            f"µs) for the microkernel's extra cost per use, RPC minus system call, to be at most "
            f"{q:.0%} of the service time?")
    sol = (f"gap = {m.rpc_us:g} - {m.syscall_us:g} = {fmt(gap)} µs\n"
           f"gap / s <= {q:g}  =>  s >= {fmt(gap)} / {q:g} = {fmt(s)} µs\n"
           f"(check: ipcmodel.trends.ipc_share_of_access({m.rpc_us:g}, {m.syscall_us:g}, {fmt(s)}) = "
           f"{fmt(trends.ipc_share_of_access(m.rpc_us, m.syscall_us, s))})")
    slips = [syscall_slip(m.rpc_us / q),
             Slip(gap / (100 * q), f"did you divide by the percentage ({100 * q:g}) instead of the "
                                   f"fraction ({q:g})?", "percent")]
    if m.rpc_us / 2 > m.syscall_us:
        slips.append(round_trip_slip((m.rpc_us / 2 - m.syscall_us) / q))
    return Variant(text, float(s), sol, inputs={"machine": m.id, "gap_share": q}, slips=tuple(slips),
                   constraint=Constraint(low=float(s), why=f"the question asks for the shortest "
                                         f"service that keeps the gap at most {q:.0%} of it; a "
                                         "shorter one makes the share larger, so round up."))


def gap_service_exercise(seed: int = 0, **kw) -> Exercise:
    """Shortest service for which RPC − system call is at most a share of it (µs, ±2%, at least)."""
    kw.setdefault("step", "invert")
    return Exercise("gap-service", _gap_service_variant, "µs", rtol=0.02, seed=seed,
                    title="A service that hides the gap", **kw)


def exercise_set(seed: int | str = 0, *, show_answers: bool | None = None) -> ExerciseSet:
    """Notebook 01's exercises, all at variant ``seed`` (0 = the paper's examples; a str is a
    student identifier, see :func:`~ipcmodel.exercises.core.seed_for`)."""
    makers = (speedup_exercise, scaled_time_exercise, processor_share_exercise,
              syscall_ratio_exercise, gap_share_exercise, speedup_needed_exercise,
              gap_service_exercise)
    base = seed_for(seed)
    return ExerciseSet("Notebook 01: IPC got faster faster than the rest",
                       [make(base) for make in makers], show_answers=show_answers)
