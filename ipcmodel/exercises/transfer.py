"""Self-check exercises for notebook 03 (Bershad 1992, §4), built on :mod:`ipcmodel.exercises.core`.

Every answer is computed by ``ipcmodel`` from ``data/``; seed 0 uses the paper's numbers, other
seeds vary the inputs the sources do not pin down (the remap cost per page, which no source
gives; what-if copy bandwidths and mapped-socket gains; the flush rate) and say so in the
question.

* :func:`remap_crossover_exercise`: size above which remapping (the exact page staircase) always
  beats the kernel copy (bytes);
* :func:`remap_break_even_exercise`: the remap cost per page below which remapping can beat the
  shared buffer (µs);
* :func:`mapped_socket_fixed_exercise`: the fixed cost the mapped-socket observations imply in
  the one-copy-saved model (µs);
* :func:`x11_crossings_exercise`: user-kernel crossings per X11 flush (crossings per flush);
* :func:`exercise_set`: the notebook's set.
"""

from __future__ import annotations

from ipcmodel import paper, transfer
from ipcmodel.data import fact
from ipcmodel.exercises.core import (
    Constraint,
    Exercise,
    ExerciseSet,
    Slip,
    Variant,
    fmt,
    nth,
    seed_for,
    syscall_slip,
)

__all__ = [
    "REMAP_US_PER_PAGE",
    "BANDWIDTH_FACTORS",
    "GAIN_FRACTIONS",
    "FLUSHES_PER_COLLECTION",
    "remap_crossover_exercise",
    "remap_break_even_exercise",
    "mapped_socket_fixed_exercise",
    "x11_crossings_exercise",
    "MESSAGE_BYTES",
    "shared_saving_exercise",
    "copy_equals_fixed_exercise",
    "exercise_set",
]

#: Remap costs per page (µs) the variants ask about: what-ifs, since no source gives the number.
#: All lie below our only related estimate (about 2.6 ms per one-page send on a DECstation
#: 2100, :func:`ipcmodel.paper.mb92_remap_anchor_us`), at which remapping never wins; the first (seed 0) is
#: the closest to it for which remapping still wins, and only for large messages (§4).
REMAP_US_PER_PAGE = (500.0, 400.0, 300.0, 450.0, 200.0, 100.0)
#: What-if copy bandwidths, as multiples of the DECstation 5000/200 estimate (1 = the estimate).
BANDWIDTH_FACTORS = (1.0, 2.0, 0.5, 10.0, 3.0)
#: Mapped-socket gains at 4 KB for the what-if variants (the first is §4's own 15%).
GAIN_FRACTIONS = (None, 0.10, 0.20, 0.25, 0.30)
#: Mean flushes between two collections by the X server, for the X11 variants.
FLUSHES_PER_COLLECTION = (4.0, 2.0, 8.0, 3.0, 16.0)
#: Policies the X11 variants ask about, in turn.
X11_ASKED = ("shared-buffer", "socket-coalescing", "shared-buffer", "socket-coalescing",
             "mach-message-per-flush")
#: Flushes simulated for an X11 answer (large, so the mean is close to its expected value).
X11_FLUSHES = 100_000


def _bw_text(factor: float, bw: float) -> str:
    est = paper.ds5000_copy_estimate()
    base = (f"the DECstation 5000/200's copy bandwidth estimated from its memory system, "
            f"{fmt(est.mb_per_s)} MB/s [ChenBershad93, Table 2-1]")
    return base if factor == 1 else f"a copy bandwidth of {fmt(bw)} MB/s ({factor:g} × {base})"


def _rpc_text(rpc) -> str:
    """"F = 57 µs per call (one null round-trip RPC [..]: ...)" (critic C2 M1)."""
    return (f"F = {rpc.value:g} µs per call (one null round-trip RPC {rpc.cite()}: the request "
            "carries the data, the reply is empty)")


def _remap_crossover_variant(seed: int) -> Variant:
    (r,) = nth(seed, REMAP_US_PER_PAGE)
    factor = 1.0  # the answer depends on r x bandwidth only: vary one of them
    bw = paper.ds5000_copy_estimate().mb_per_s
    page = paper.ds5000_page_bytes()
    rpc = fact("b92-rpc-ds5000")
    xo = transfer.marshalling_crossovers(bw, rpc.value, rpc.value, r, page)["kernel_to_remap"]
    anchor = paper.mb92_remap_anchor_us()
    q = (f"Take B = {_bw_text(factor, bw)} (bytes per µs), a fixed cost {_rpc_text(rpc)} and "
         f"P = {page:g}-byte pages "
         f"{fact('cb93-page-size-ds5000').cite()}. The kernel copy costs F + 2n/B µs. Remapping costs "
         f"F + ceil(n/P) x r µs (whole pages: the staircase of the table in section 1), with r = {r:g} "
         "µs per page (a what-if: no source gives this number. §4's remark that remapping wins for "
         "extremely large packets sets it against the mapped interface's one copy and needs, in "
         f"this model and at this B, r below one page copy, {fmt(page / bw)} µs; our only related "
         f"estimate, about {fmt(anchor)} µs per one-page send on the slower DECstation 2100, half "
         "the difference of two measured round trips "
         f"{fact('mb92-udp-rtt-unix-server').cite()} {fact('mb92-udp-rtt-ipc-novm').cite()}, is the "
         "extra VM cost of a one-page send, fixed work plus one page (section 2 gives its "
         "caveats); charged per "
         "page, remapping would never win). Above what message size n (in bytes) "
         "is remapping cheaper than the kernel copy at every larger size?")
    step = r * bw / 2  # n_j - n_(j-1): the kernel copy's extra bytes that pay for one more page
    if step >= page:  # remapping would never win for good: not a variant this exercise asks
        raise ValueError(f"remap_us_per_page (µs/page) must be below {fmt(2 * page / bw)} here; got {r:g}")
    lines, j = [], 1
    while True:
        start, n_j = (j - 1) * page, j * step
        if n_j <= start:
            lines.append(f"page {j}: n_{j} = {fmt(n_j)} <= {start:g}, the page's start: remapping wins on "
                         "the whole page, and on every later one (each page moves n_j on by "
                         f"{fmt(step)} bytes, less than a page)")
            break
        where = "the whole page" if n_j >= j * page else f"{start:g} < n <= {fmt(n_j)}"
        lines.append(f"page {j}: n_{j} = {j} x {fmt(step)} = {fmt(n_j)}: remapping loses for {where}")
        j += 1
    sol = (f"On page j ((j-1) x {page:g} < n <= j x {page:g}) remapping costs F + j x {r:g} µs; the kernel "
           f"copy costs more once 2n/B > j x {r:g}, i.e. n > n_j = j x {r:g} x {fmt(bw)} / 2 = j x {fmt(step)}.\n"
           + "\n".join(lines) + "\n"
           f"Remapping is cheaper at every size above {fmt(xo)} bytes.\n"
           f"(ipcmodel.transfer.remap_crossover_bytes({rpc.value:g}, 2/{fmt(bw)}, {rpc.value:g}, "
           f"{r:g}, {page:g}). The straight line F + r (n/P + 1) lies above the staircase and would give "
           f"{fmt(transfer.crossover_bytes(rpc.value, 2 / bw, rpc.value + r, r / page))} bytes: a bound, "
           "not the answer.)")
    bound = transfer.crossover_bytes(rpc.value, 2 / bw, rpc.value + r, r / page)
    return Variant(q, float(xo), sol, inputs={"remap_us_per_page": r},
                   slips=(Slip(bound, "that is where the straight line F + r (n/P + 1) crosses the "
                                      "kernel copy, a bound; remapping pays for whole pages, so "
                                      "follow the staircase page by page.", "other"),),
                   constraint=Constraint(low=float(xo), why="the question asks for the size above "
                                         "which remapping wins at every larger size; just below "
                                         "it, remapping still loses on part of the page, so do "
                                         "not round down.", slack_abs=1.0))


def _remap_break_even_variant(seed: int) -> Variant:
    (factor,) = nth(seed, BANDWIDTH_FACTORS)
    bw = paper.ds5000_copy_estimate().mb_per_s * factor
    page = paper.ds5000_page_bytes()
    r = page / bw
    q = (f"With {_bw_text(factor, bw)} and {page:g}-byte pages "
         f"{fact('cb93-page-size-ds5000').cite()}: below what remap cost per page (in µs) can "
         "remapping beat the shared buffer for large enough messages?")
    sol = (f"For large n only the per-byte costs matter: shared buffer 1 / {fmt(bw)} µs per byte,\n"
           f"remap r / {page:g} µs per byte. Remapping wins eventually only if r / {page:g} < 1 / {fmt(bw)},\n"
           f"i.e. r < {page:g} / {fmt(bw)} = {fmt(r)} µs: the time to copy one page once.\n"
           "(crossover_bytes returns inf, 'never', at or above it)")
    return Variant(q, float(r), sol, inputs={"bandwidth_factor": factor},
                   slips=(Slip(2 * r, "that is the bound against the kernel copy (two copies); the "
                                      "shared buffer copies once.", "other"),),
                   constraint=Constraint(high=float(r), why="remapping must cost *less* than this "
                                         "to win; at or above it it never does, so do not round up."))


def _mapped_socket_variant(seed: int) -> Variant:
    (g_what_if,) = nth(seed, GAIN_FRACTIONS)
    n0, g, n1 = paper.mapped_socket_observations()
    if g_what_if is not None:
        g = g_what_if
    est = paper.ds5000_copy_estimate()
    cal = transfer.calibrate_mapped_socket(n0, g, n1)
    fixed_us = cal.fixed_us(est.mb_per_s)
    gain = (f"{g:.0%} faster at {n1:g} bytes {fact('b92-mapped-socket-gain').cite()}" if g_what_if is None
            else f"{g:.0%} faster at {n1:g} bytes (a what-if; §4 reports "
                 f"{fact('b92-mapped-socket-gain').value:g}%)")
    q = (f"Mapped sockets give no gain below {n0:g} bytes {fact('b92-mapped-socket-no-gain-below').cite()} "
         f"and sends are {gain}; read \"{g:.0%} faster\" as: the mapped send takes {g:.0%} less time "
         f"than the regular one. In the one-copy-saved model (regular send = F + 2n byte-copies, "
         f"mapped = F + s + n), what fixed cost F does that imply, in µs, at {fmt(est.mb_per_s)} MB/s "
         "(the DECstation 5000/200 estimate)?")
    sol = (f"break-even at {n0:g} bytes: s = {n0:g} byte-copies\n"
           f"at {n1:g} bytes: F + s + n = (1 - {g:g}) (F + 2n)  =>  F = (2n(1 - g) - s - n) / g\n"
           f"F = (2 x {n1:g} x {1 - g:g} - {n0:g} - {n1:g}) / {g:g} = {fmt(cal.fixed_copies)} byte-copies\n"
           f"at {fmt(est.mb_per_s)} bytes per µs: {fmt(cal.fixed_copies)} / {fmt(est.mb_per_s)} = {fmt(fixed_us)} µs\n"
           f"(ipcmodel.transfer.calibrate_mapped_socket({n0:g}, {g:g}, {n1:g}).fixed_us(...))")
    return Variant(q, float(fixed_us), sol, inputs={"gain": g})


def _x11_variant(seed: int) -> Variant:
    m, policy = nth(seed, FLUSHES_PER_COLLECTION, X11_ASKED)
    r = transfer.simulate_x11_flushes(policy, X11_FLUSHES, m, seed=seed)
    names = {"mach-message-per-flush": "a Mach message per flush",
             "socket-coalescing": "a Unix stream socket",
             "shared-buffer": "the shared buffer that sends a wake-up only when none is pending"}
    rules = {"mach-message-per-flush": "each flush: 1 send; each message received separately: 1 receive",
             "socket-coalescing": "each flush: 1 write; each collection: 1 read",
             "shared-buffer": "flushes: none; each collection: 1 wake-up send + 1 receive"}
    expected = {"mach-message-per-flush": 2.0, "socket-coalescing": 1 + 1 / m, "shared-buffer": 2 / m}
    q = (f"An X client flushes its request buffer; on average {m:g} flushes pile up before the X "
         f"server collects them (our choice: §4 gives no such number). With {names[policy]}, how many user-kernel "
         "crossings are there per flush, on average?")
    sol = (f"{rules[policy]}.\n"
           f"With {m:g} flushes per collection: expected {fmt(expected[policy])} crossings per flush.\n"
           f"Simulated ({X11_FLUSHES} flushes, seed {seed}): {r.crossings} crossings / {r.flushes} "
           f"flushes = {fmt(r.crossings_per_flush)}\n"
           f"(ipcmodel.transfer.simulate_x11_flushes({policy!r}, {X11_FLUSHES}, {m:g}, seed={seed}))")
    return Variant(q, float(r.crossings_per_flush), sol, inputs={"flushes_per_collection": m,
                                                                   "policy": policy},
                   accepted=(expected[policy],))


def remap_crossover_exercise(seed: int = 0, **kw) -> Exercise:
    """Size above which remapping always beats the kernel copy (bytes, ±2%)."""
    kw.setdefault("step", "apply")
    return Exercise("remap-crossover", _remap_crossover_variant, "bytes", rtol=0.02, seed=seed,
                    title="When does remapping pay?", **kw)


def remap_break_even_exercise(seed: int = 0, **kw) -> Exercise:
    """Remap cost per page below which remapping can beat the shared buffer (µs, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("remap-break-even", _remap_break_even_variant, "µs", rtol=0.02, seed=seed,
                    title="How cheap must a page remap be?", **kw)


def mapped_socket_fixed_exercise(seed: int = 0, **kw) -> Exercise:
    """Fixed cost implied by the mapped-socket observations (µs, ±2%)."""
    kw.setdefault("step", "look-up")
    return Exercise("mapped-socket-fixed", _mapped_socket_variant, "µs", rtol=0.02, seed=seed,
                    title="What the mapped-socket numbers imply", **kw)


def x11_crossings_exercise(seed: int = 0, **kw) -> Exercise:
    """User-kernel crossings per X11 flush (±3% of the simulated mean)."""
    kw.setdefault("step", "look-up")
    return Exercise("x11-crossings", _x11_variant, "crossings/flush", rtol=0.03, seed=seed,
                    title="Crossings per X11 flush", **kw)


# ---- 5. what the shared buffer saves ----------------------------------------------------------

#: Message sizes the new variants ask about (bytes): a block, a page, a large transfer.
MESSAGE_BYTES = (4096.0, 512.0, 65536.0, 1024.0)


def _notify_options() -> list[tuple[str, float, str]]:
    """The notification: the RPC on the uniprocessor DECstation (seed 0; a sleeping server must
    be switched to), or a system call, which can only tell a server that is already running on
    another processor and polling (a multiprocessor what-if, critic C2 M2)."""
    rpc, sc = fact("b92-rpc-ds5000"), fact("b92-syscall-ds5000")
    return [("a null round-trip RPC (on the uniprocessor DECstation a sleeping server must be "
             "switched to, which the RPC pays for)", rpc.value, rpc.cite()),
            ("a system call (a what-if: the server is already running on another processor and "
             "polls the shared region, so no context switch is needed; the DECstation 5000/200 is "
             "a uniprocessor)", sc.value, sc.cite())]


def _shared_saving_variant(seed: int) -> Variant:
    (n,) = nth(seed, MESSAGE_BYTES)
    ((what, notify, where),) = nth(seed // 2, _notify_options())
    (factor,) = nth(seed // 4, BANDWIDTH_FACTORS[:3])
    bw = paper.ds5000_copy_estimate().mb_per_s * factor
    rpc = fact("b92-rpc-ds5000")
    t = transfer.marshalling_times_us(n, bw, kernel_fixed_us=rpc.value, notify_us=notify,
                                      remap_us_per_page=1.0, page_bytes=paper.ds5000_page_bytes())
    saving = t["kernel_copy_us"] - t["shared_buffer_us"]
    q = (f"Take B = {_bw_text(factor, bw)} (bytes per µs). A message through the kernel costs "
         f"F + 2n/B µs with {_rpc_text(rpc)}; with a shared "
         f"buffer the client copies the data once into the shared region and notifies the server "
         f"with {what} ({notify:g} µs {where}). How many µs does the shared buffer save on a message of "
         f"{n:g} bytes?")
    sol = (f"kernel copy = {rpc.value:g} + 2 x {n:g} / {fmt(bw)} = {fmt(t['kernel_copy_us'])} µs\n"
           f"shared buffer = {notify:g} + {n:g} / {fmt(bw)} = {fmt(t['shared_buffer_us'])} µs\n"
           f"saving = {fmt(saving)} µs (one copy, {fmt(n / bw)} µs, plus F - notification = "
           f"{fmt(rpc.value - notify)} µs)\n(ipcmodel.transfer.marshalling_times_us)")
    slips = [Slip(n / bw, "that is the copy saved; the two routes also differ in their fixed "
                          "costs (the message against the notification).", "other"),
             Slip(2 * n / bw + rpc.value - notify, "the shared buffer still copies once (into the "
                                                   "shared region): it saves one copy, not two.",
                  "other")]
    if notify != rpc.value:
        slips.append(syscall_slip(rpc.value + n / bw))
    return Variant(q, float(saving), sol, slips=tuple(s for s in slips if s.value > 0),
                   inputs={"message_bytes": n, "notify": what, "bandwidth_factor": factor})


def shared_saving_exercise(seed: int = 0, **kw) -> Exercise:
    """Time the shared buffer saves over the kernel copy for one message (µs, ±2%)."""
    kw.setdefault("step", "combine")
    return Exercise("shared-saving", _shared_saving_variant, "µs", rtol=0.02, seed=seed,
                    title="What the shared buffer saves", **kw)


# ---- 6. when do the copies matter? -----------------------------------------------------------------

def _fixed_costs() -> list[tuple[str, float, str]]:
    rpc, sc, hp = fact("b92-rpc-ds5000"), fact("b92-syscall-ds5000"), fact("b92-rpc-hp700")
    return [("the DECstation 5000/200's null round-trip RPC, one per call", rpc.value, rpc.cite()),
            ("the DECstation 5000/200's system call", sc.value, sc.cite()),
            ("the HP-700's null round-trip RPC, one per call", hp.value, hp.cite())]


def _copy_equals_fixed_variant(seed: int) -> Variant:
    ((what, f_us, where),) = nth(seed, _fixed_costs())
    (factor,) = nth(seed // 3, BANDWIDTH_FACTORS)
    bw = paper.ds5000_copy_estimate().mb_per_s * factor
    n = transfer.crossover_bytes(0.0, 2 / bw, f_us, 0.0)
    q = (f"A message through the kernel costs F + 2n/B µs. Take F = {f_us:g} µs ({what} {where}) "
         f"and B = {_bw_text(factor, bw)} (bytes per µs). At what message size n (in bytes) do the "
         "two copies cost as much as the fixed cost F?")
    sol = (f"2n / B = F  =>  n = F x B / 2 = {f_us:g} x {fmt(bw)} / 2 = {fmt(n)} bytes\n"
           f"Below it the fixed cost dominates and copying hardly matters.\n"
           f"(ipcmodel.transfer.crossover_bytes(0, 2/{fmt(bw)}, {f_us:g}, 0))")
    return Variant(q, float(n), sol, inputs={"fixed": what, "bandwidth_factor": factor},
                   slips=(Slip(f_us * bw, "the kernel route copies every byte twice (into the "
                                          "kernel and out again): 2n / B = F.", "other"),
                          Slip(f_us / bw, "B is in bytes per µs: n = F x B / 2, not F / B.",
                               "other")))


def copy_equals_fixed_exercise(seed: int = 0, **kw) -> Exercise:
    """Message size at which the kernel route's two copies cost as much as its fixed cost (bytes, ±2%)."""
    kw.setdefault("step", "apply")
    return Exercise("copy-equals-fixed", _copy_equals_fixed_variant, "bytes", rtol=0.02, seed=seed,
                    title="When do the copies matter?", **kw)


def exercise_set(seed: int | str = 0, *, show_answers: bool | None = None) -> ExerciseSet:
    """Notebook 03's exercises, all at variant ``seed`` (0 = the paper's numbers; a str is a
    student identifier, see :func:`~ipcmodel.exercises.core.seed_for`)."""
    makers = (remap_crossover_exercise, remap_break_even_exercise, mapped_socket_fixed_exercise,
              x11_crossings_exercise, shared_saving_exercise, copy_equals_fixed_exercise)
    base = seed_for(seed)
    return ExerciseSet("Notebook 03: not all data goes through the kernel",
                       [make(base) for make in makers], show_answers=show_answers)
