"""Self-check exercises for notebook 04 (Bershad 1992, §5), built on :mod:`ipcmodel.exercises.core`.

Every answer is computed by ``ipcmodel`` from ``data/``; seed 0 uses the paper's own numbers,
other seeds take other cited machines and measured configurations, or what-if fractions and
budgets (said so in the question).

* :func:`effective_cost_exercise`: average cost of a call with client-side emulation (µs);
* :func:`local_fraction_exercise`: share of calls the library must answer to keep the extra
  cost per call within a budget (%);
* :func:`clock_speedup_exercise`: mapped vs trapping clock read (times);
* :func:`udp_share_exercise`: share of a measured UDP slowdown the boundary crossings explain (%);
* :func:`exercise_set`: the notebook's set.
"""

from __future__ import annotations

from ipcmodel import firewall, paper, units
from ipcmodel.data import fact
from ipcmodel.exercises.core import (
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
    seed_for,
)

__all__ = [
    "WHAT_IF_FRACTIONS",
    "EXTRA_BUDGETS_US",
    "effective_cost_exercise",
    "local_fraction_exercise",
    "clock_speedup_exercise",
    "udp_share_exercise",
    "clock_elsewhere_exercise",
    "socket_needed_exercise",
    "exercise_set",
]

#: Fractions of calls answered locally after the paper's own 2 of 3 (what-ifs).
WHAT_IF_FRACTIONS = (0.5, 0.75, 0.9, 0.25)
#: Extra cost per call over a monolithic system call that the variants allow (µs): yardsticks.
EXTRA_BUDGETS_US = (10.0, 5.0, 20.0, 2.0)


def _fractions():
    return (paper.emulation_local_fraction(), *WHAT_IF_FRACTIONS)


def _fraction_text(f: float) -> str:
    if f == paper.emulation_local_fraction():
        return (f"{fact('b92-emulation-calls-local').value:g} of every "
                f"{fact('b92-emulation-calls-total').value:g} calls, as in §5's benchmarks "
                f"{fact('b92-emulation-calls-local').cite()}")
    return f"{f:.0%} of the calls (a what-if)"


def _effective_cost_variant(seed: int) -> Variant:
    m, f = nth(seed, machines_with("rpc_us", "syscall_us"), _fractions())
    c = firewall.emulation_costs_us(m.rpc_us, m.syscall_us)
    cost = firewall.effective_cost_us(f, c["local_us"], c["remote_us"])
    q = (f"The {m.name} does a round-trip RPC in {m.rpc_us:g} µs {cite(m, 'rpc_us')} and a system "
         f"call in {m.syscall_us:g} µs {cite(m, 'syscall_us')}. Every Unix call traps and is "
         "reflected into the emulation library (count it as one system call); a call the library "
         f"cannot answer adds one RPC. If the library answers {_fraction_text(f)}, what does a call "
         "cost on average, in µs?")
    sol = (f"local call  = {m.syscall_us:g} µs (the reflected trap)\n"
           f"remote call = {m.syscall_us:g} + {m.rpc_us:g} = {fmt(c['remote_us'])} µs\n"
           f"average = {fmt(f)} x {m.syscall_us:g} + {fmt(1 - f)} x {fmt(c['remote_us'])} = {fmt(cost)} µs\n"
           f"(ipcmodel.firewall.effective_cost_us({fmt(f)}, {m.syscall_us:g}, {fmt(c['remote_us'])}))")
    return Variant(q, float(cost), sol, inputs={"machine": m.id, "local_fraction": f},
                   slips=(Slip((1 - f) * c["remote_us"], "every call traps and is reflected into the "
                               "library, also the ones it answers itself: a local call costs one "
                               "system call, not nothing.", "other"),
                          Slip((1 - f) * m.syscall_us + f * c["remote_us"], "the fraction answered "
                               "locally is the cheap part: f x local + (1 - f) x forwarded.",
                               "other")))


def _local_fraction_variant(seed: int) -> Variant:
    m, budget = nth(seed, machines_with("rpc_us", "syscall_us"), EXTRA_BUDGETS_US)
    f = 1.0 - budget / m.rpc_us
    check = firewall.effective_cost_us(f, m.syscall_us, m.syscall_us + m.rpc_us) - m.syscall_us
    q = (f"On the {m.name} (round-trip RPC {m.rpc_us:g} µs {cite(m, 'rpc_us')}), with the same model "
         "(every call pays the reflected trap, a forwarded call adds one RPC): what percentage of "
         "calls must the emulation library answer itself so that an average call costs at most "
         f"{budget:g} µs more than a monolithic kernel's system call? ({budget:g} µs is a yardstick, "
         "not a measurement.)")
    sol = (f"extra per call = (1 - f) x RPC = (1 - f) x {m.rpc_us:g} µs <= {budget:g} µs\n"
           f"f >= 1 - {budget:g} / {m.rpc_us:g} = {fmt(f)} = {fmt(100 * f)}%\n"
           f"check: effective_cost_us({fmt(f)}, s, s + {m.rpc_us:g}) - s = {fmt(check)} µs")
    f_wrong = 1.0 - budget / (m.rpc_us - m.syscall_us) if m.rpc_us > m.syscall_us else -1.0
    slips = (Slip(100 * f_wrong, "a forwarded call pays the reflected trap *and* the RPC, and the "
                                 "monolithic kernel pays the trap too: the extra per forwarded call "
                                 "is the whole RPC, not RPC - system call.", "other"),
             Slip(100 * budget / m.rpc_us, "that is the share that may be forwarded, 1 - f; the "
                                           "question asks for the share answered locally, f.",
                  "other"))
    return Variant(q, float(100 * f), sol, inputs={"machine": m.id, "budget_us": budget},
                   slips=tuple(x for x in slips if x.value > 0),
                   constraint=Constraint(low=float(100 * f), why="the question asks for the least "
                                         "share answered locally that keeps within the budget; a "
                                         "smaller share costs more than the budget, so round up."))


def _clock_variant(seed: int) -> Variant:
    (k,) = nth(seed, firewall.MAPPED_CLOCK_CYCLES)
    c = paper.clock_read_comparison(k)
    q = (f"On the DECstation 5000/200, suppose reading the clock through the kernel costs one "
         f"system call ({c.trap_us:g} µs {fact('b92-syscall-ds5000').cite()}), and reading a clock "
         f"mapped into the address space costs {k:g} cycle(s) of loads at {c.clock_mhz:g} MHz "
         f"{fact('b92-clock-ds5000').cite()} (our assumption: no 1992 source gives it). How many "
         "times faster is the mapped read?")
    sol = (f"mapped read = {k:g} cycles / {c.clock_mhz:g} MHz = {fmt(c.mapped_us)} µs\n"
           f"speedup = {c.trap_us:g} / {fmt(c.mapped_us)} = {fmt(c.speedup)} times\n"
           f"(ipcmodel.firewall.mapped_clock_speedup({c.trap_us:g}, {fmt(c.mapped_us)}))")
    return Variant(q, float(c.speedup), sol, inputs={"load_cycles": k},
                   slips=(Slip(c.trap_us / k, f"did you compare µs with cycles? {k:g} cycles at "
                               f"{c.clock_mhz:g} MHz is {k:g} / {c.clock_mhz:g} µs.", "clock"),))


def _udp_share_variant(seed: int) -> Variant:
    rows = paper.measured_unix_server_rows()
    row = rows[seed % len(rows)]
    label, measured_us = row.label, row.round_trip_us
    u = paper.udp_budget_inputs()  # as published (Maeda & Bershad 1992, §2.2)
    v = {"n_sock": u["socket_accesses"], "server": u["server_socket_us"], "kernel": u["kernel_socket_us"],
         "n_drv": u["driver_crossings"], "write": u["driver_write_us"], "recv": u["packet_filter_us"]}
    mapped = row.driver_path == "mapped"  # the server drives the Ethernet itself
    n_drv = 0.0 if mapped else v["n_drv"]
    b = paper.udp_budget(v["n_sock"], v["server"], v["kernel"], n_drv, v["write"], v["recv"], measured_us)
    driver_text = (" With the mapped driver the protocol server drives the Ethernet itself, so "
                   "count no driver crossings." if mapped else
                   "" if row.driver_path == "syscall" else
                   " (This configuration reached the driver by IPC, not by the system call the budget "
                   "prices, so the answer is what the budget explains, not all its boundaries cost.)")
    q = (f"Maeda & Bershad (1992) count {v['n_sock']:g} socket accesses per UDP round trip at "
         f"{v['server']:g} µs through the Unix server against {v['kernel']:g} µs in the kernel, and "
         f"{v['n_drv']:g} driver crossings at {v['write']:g} µs (write) + {v['recv']:g} µs (receive) "
         f"{fact('mb92-socket-unix-server').cite()}. The in-kernel round trip takes "
         f"{fact('mb92-udp-rtt-mach25').value:g} ms {fact('mb92-udp-rtt-mach25').cite()}; take the "
         f"Mach 3.0 measurement «{label}».{driver_text} What percentage of that configuration's "
         "slowdown over the kernel do the crossings explain?")
    sol = (f"sockets: {v['n_sock']:g} x ({v['server']:g} - {v['kernel']:g}) = {fmt(b.sockets_us)} µs\n"
           f"driver:  {n_drv:g} x ({v['write']:g} + {v['recv']:g}) = {fmt(b.driver_us)} µs\n"
           f"crossings = {fmt(b.crossings_us)} µs\n"
           f"slowdown = {fmt(units.us_to_ms(b.measured_us))} ms - {fmt(units.us_to_ms(b.in_kernel_us))} ms "
           f"= {fmt(units.us_to_ms(b.slowdown_us))} ms\n"
           f"share = {fmt(units.us_to_ms(b.crossings_us))} ms / {fmt(units.us_to_ms(b.slowdown_us))} ms "
           f"= {fmt(100 * b.share_explained)}%\n"
           "(ipcmodel.firewall.protocol_boundary_cost_us and boundary_share)")
    one = paper.udp_budget(1.0, v["server"], v["kernel"], min(n_drv, 1.0), v["write"], v["recv"],
                           measured_us)
    no_drv = paper.udp_budget(v["n_sock"], v["server"], v["kernel"], 0.0, v["write"], v["recv"],
                              measured_us)
    slips = [crossings_slip(100 * one.share_explained, v["n_sock"])]
    if not mapped:
        slips.append(Slip(100 * no_drv.share_explained, "the driver boundary is crossed too: add "
                                                        "the driver writes and receives.", "other"))
    return Variant(q, float(100 * b.share_explained), sol, inputs={"row": label},
                   slips=tuple(slips))


def effective_cost_exercise(seed: int = 0, **kw) -> Exercise:
    """Average cost of a call with client-side emulation (µs, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("effective-cost", _effective_cost_variant, "µs", rtol=0.02, seed=seed,
                    title="Average cost of a call", **kw)


def local_fraction_exercise(seed: int = 0, **kw) -> Exercise:
    """Share of calls the library must answer for a per-call budget (%, ±0.5 points)."""
    kw.setdefault("step", "invert")
    return Exercise("local-fraction", _local_fraction_variant, "%", rtol=0.0, atol=0.5, seed=seed,
                    title="How much must the library answer?", **kw)


def clock_speedup_exercise(seed: int = 0, **kw) -> Exercise:
    """Mapped vs trapping clock read (times, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("clock-speedup", _clock_variant, "times", rtol=0.02, seed=seed,
                    title="A mapped clock", **kw)


def udp_share_exercise(seed: int = 0, **kw) -> Exercise:
    """Share of a measured UDP slowdown that boundary crossings explain (%, ±0.5 percentage points)."""
    kw.setdefault("step", "look-up")
    return Exercise("udp-share", _udp_share_variant, "%", rtol=0.0, atol=0.5, seed=seed,
                    title="How much do the crossings explain?", **kw)


def _clock_elsewhere_variant(seed: int) -> Variant:
    (m,) = nth(seed, machines_with("syscall_us", "clock_mhz", first=("ds2100",)))
    (k,) = nth(seed // 2, firewall.MAPPED_CLOCK_CYCLES)
    mapped = firewall.mapped_clock_us(k, m.clock_mhz)
    sp = firewall.mapped_clock_speedup(m.syscall_us, mapped)
    q = (f"On the {m.name}, a system call takes {m.syscall_us:g} µs {cite(m, 'syscall_us')} and the "
         f"clock runs at {m.clock_mhz:g} MHz {cite(m, 'clock_mhz')}. Reading the time through the "
         f"kernel costs one system call; reading a clock mapped into the address space costs {k:g} "
         "cycle(s) of loads (our assumption, as in the notebook). How many times faster is the "
         "mapped read?")
    sol = (f"mapped read = {k:g} / {m.clock_mhz:g} MHz = {fmt(mapped)} µs\n"
           f"speedup = {m.syscall_us:g} / {fmt(mapped)} = {fmt(sp)} times\n"
           f"(ipcmodel.firewall.mapped_clock_speedup({m.syscall_us:g}, "
           f"ipcmodel.firewall.mapped_clock_us({k:g}, {m.clock_mhz:g})))")
    return Variant(q, float(sp), sol, inputs={"machine": m.id, "load_cycles": k},
                   slips=(Slip(m.syscall_us / k, f"did you compare µs with cycles? {k:g} cycles at "
                               f"{m.clock_mhz:g} MHz is {k:g} / {m.clock_mhz:g} µs.", "clock"),))


def clock_elsewhere_exercise(seed: int = 0, **kw) -> Exercise:
    """Mapped vs trapping clock read on another machine (times, ±2%)."""
    kw.setdefault("step", "apply")
    return Exercise("clock-elsewhere", _clock_elsewhere_variant, "times", rtol=0.02, seed=seed,
                    title="A mapped clock on another machine", **kw)


def _socket_needed_variant(seed: int) -> Variant:
    rows = paper.measured_unix_server_rows()
    row = rows[seed % len(rows)]
    label, measured_us = row.label, row.round_trip_us
    u = paper.udp_budget_inputs()
    mapped = row.driver_path == "mapped"
    n_sock, kernel = u["socket_accesses"], u["kernel_socket_us"]
    n_drv = 0.0 if mapped else u["driver_crossings"]
    pair = u["driver_write_us"] + u["packet_filter_us"]
    in_kernel = units.ms_to_us(fact("mb92-udp-rtt-mach25").value)
    slowdown = measured_us - in_kernel
    server = kernel + (slowdown - n_drv * pair) / n_sock
    check = paper.udp_budget(n_sock, server, kernel, n_drv, u["driver_write_us"],
                             u["packet_filter_us"], measured_us).share_explained
    driver_text = (" With the mapped driver there are no driver crossings." if mapped else
                   f" Keep the {n_drv:g} driver crossings at {u['driver_write_us']:g} µs (write) + "
                   f"{u['packet_filter_us']:g} µs (receive) each.")
    q = (f"Maeda & Bershad (1992) count {n_sock:g} socket accesses per UDP round trip, "
         f"{kernel:g} µs each in the kernel {fact('mb92-socket-in-kernel').cite()}; the in-kernel "
         f"round trip takes {fact('mb92-udp-rtt-mach25').value:g} ms "
         f"{fact('mb92-udp-rtt-mach25').cite()}, the Mach 3.0 measurement «{label}» "
         f"{fmt(units.us_to_ms(measured_us))} ms.{driver_text} How long (in µs) would one socket "
         "access through the Unix server have to take for the boundary crossings to explain the "
         "whole slowdown?")
    sol = (f"slowdown = {fmt(measured_us)} - {fmt(in_kernel)} = {fmt(slowdown)} µs\n"
           f"driver = {n_drv:g} x {pair:g} = {fmt(n_drv * pair)} µs\n"
           f"{n_sock:g} x (server - {kernel:g}) = {fmt(slowdown)} - {fmt(n_drv * pair)}  =>  server = "
           f"{kernel:g} + {fmt(slowdown - n_drv * pair)} / {n_sock:g} = {fmt(server)} µs\n"
           f"(check: ipcmodel.paper.udp_budget(...) explains {fmt(100 * check)}%; the measured "
           f"socket access was {fact('mb92-socket-unix-server').value:g} µs)")
    slips = [crossings_slip(kernel + slowdown - n_drv * pair, n_sock)]
    if not mapped:
        slips.append(Slip(kernel + slowdown / n_sock, "the driver crossings explain part of the "
                                                      "slowdown too: subtract them first.", "other"))
    return Variant(q, float(server), sol, inputs={"row": label}, slips=tuple(slips))


def socket_needed_exercise(seed: int = 0, **kw) -> Exercise:
    """Socket-access cost that would make the crossings explain a whole measured slowdown (µs, ±2%)."""
    kw.setdefault("step", "invert")
    return Exercise("socket-needed", _socket_needed_variant, "µs", rtol=0.02, seed=seed,
                    title="What would the crossings have to cost?", **kw)


def exercise_set(seed: int | str = 0, *, show_answers: bool | None = None) -> ExerciseSet:
    """Notebook 04's exercises, all at variant ``seed`` (0 = the paper's numbers; a str is a
    student identifier, see :func:`~ipcmodel.exercises.core.seed_for`)."""
    makers = (effective_cost_exercise, local_fraction_exercise, clock_speedup_exercise,
              udp_share_exercise, clock_elsewhere_exercise, socket_needed_exercise)
    base = seed_for(seed)
    return ExerciseSet("Notebook 04: not every service needs a hardware firewall",
                       [make(base) for make in makers], show_answers=show_answers)
