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
from ipcmodel.exercises.core import Exercise, ExerciseSet, Variant, cite, fmt, machines_with, nth

__all__ = [
    "WHAT_IF_FRACTIONS",
    "EXTRA_BUDGETS_US",
    "effective_cost_exercise",
    "local_fraction_exercise",
    "clock_speedup_exercise",
    "udp_share_exercise",
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
    return Variant(q, float(cost), sol)


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
    return Variant(q, float(100 * f), sol)


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
    return Variant(q, float(c.speedup), sol)


def _udp_share_variant(seed: int) -> Variant:
    options = paper.measured_unix_server_options()
    i = seed % len(options)
    label, measured_us = options[i]
    u = paper.udp_budget_inputs()  # as published (Maeda & Bershad 1992, §2.2)
    v = {"n_sock": u["socket_accesses"], "server": u["server_socket_us"], "kernel": u["kernel_socket_us"],
         "n_drv": u["driver_crossings"], "write": u["driver_write_us"], "recv": u["packet_filter_us"]}
    mapped = i == len(options) - 1  # the mapped driver: the server drives the Ethernet itself
    n_drv = 0.0 if mapped else v["n_drv"]
    b = paper.udp_budget(v["n_sock"], v["server"], v["kernel"], n_drv, v["write"], v["recv"], measured_us)
    driver_text = (" With the mapped driver the protocol server drives the Ethernet itself, so "
                   "count no driver crossings." if mapped else "")
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
    return Variant(q, float(100 * b.share_explained), sol)


def effective_cost_exercise(seed: int = 0, **kw) -> Exercise:
    """Average cost of a call with client-side emulation (µs, ±2%)."""
    return Exercise("effective-cost", _effective_cost_variant, "µs", rtol=0.02, seed=seed,
                    title="Average cost of a call", **kw)


def local_fraction_exercise(seed: int = 0, **kw) -> Exercise:
    """Share of calls the library must answer for a per-call budget (%, ±0.5 points)."""
    return Exercise("local-fraction", _local_fraction_variant, "%", rtol=0.0, atol=0.5, seed=seed,
                    title="How much must the library answer?", **kw)


def clock_speedup_exercise(seed: int = 0, **kw) -> Exercise:
    """Mapped vs trapping clock read (times, ±2%)."""
    return Exercise("clock-speedup", _clock_variant, "times", rtol=0.02, seed=seed,
                    title="A mapped clock", **kw)


def udp_share_exercise(seed: int = 0, **kw) -> Exercise:
    """Share of a measured UDP slowdown that boundary crossings explain (%, ±0.5 percentage points)."""
    return Exercise("udp-share", _udp_share_variant, "%", rtol=0.0, atol=0.5, seed=seed,
                    title="How much do the crossings explain?", **kw)


def exercise_set(seed: int = 0, *, show_answers: bool | None = None) -> ExerciseSet:
    """Notebook 04's exercises, all at variant ``seed`` (0 = the paper's numbers)."""
    makers = (effective_cost_exercise, local_fraction_exercise, clock_speedup_exercise,
              udp_share_exercise)
    return ExerciseSet("Notebook 04: not every service needs a hardware firewall",
                       [make(seed) for make in makers], show_answers=show_answers)
