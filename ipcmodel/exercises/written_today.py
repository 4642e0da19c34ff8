"""Written questions of notebooks 06 and 07 (:mod:`ipcmodel.exercises.written` shows them).

Kept apart because they read more of the package: notebook 06's from the Python-vs-C reference
(``data/probe_vs_c.json``, :func:`ipcmodel.yourmachine.readings.c_reference`) and the cited
core-to-core rows, notebook 07's from :mod:`ipcmodel.history` (the trap floor, KPTI, multicore,
the debate's numbers and the audit's verdicts). As everywhere, every number in a prompt or model
answer is read from ``data/`` or computed by ``ipcmodel`` when the text is built. The model
answers of notebook 06 name no number of the student's own run: each run differs, so they cite
the project's machine (labelled so) and the paper's machines instead.
"""

from __future__ import annotations

from ipcmodel.data import fact
from ipcmodel.exercises.written import WrittenQuestion, _v

__all__ = ["questions_06", "questions_07"]


def questions_06() -> list[WrittenQuestion]:
    """Notebook 06's written questions (objectives 1, 4 and 5)."""
    from ipcmodel.history import multicore
    from ipcmodel.yourmachine.readings import c_reference, run_to_run_noise

    ref = c_reference()["rows"]
    noise = run_to_run_noise()
    c = {k: r["c_median_us"] for k, r in ref.items()}
    ds_pen, ds_clk = fact("cb93-miss-penalty-ds5000"), fact("b92-clock-ds5000")
    c2c = [r for r in multicore.core_to_core_rows() if r.where == "cores"][0]
    return [
        WrittenQuestion(
            "upper-bound", "06", 1,
            "Name the measured number that stands for each quantity of the paper's model on your "
            "machine (IPC round trip, system call, clock rate, miss penalty). Then explain why each "
            "net cost the probe prints is an upper bound of the kernel mechanism's true cost, and "
            "why that holds only up to the noise between runs: what does a row of the Python-vs-C "
            "table with net ÷ C below one tell you?",
            "IPC: a pipe round trip between two processes pinned to one CPU (two messages, two "
            "context switches, no stubs); system call: getppid, which does almost nothing inside "
            "the kernel; clock rate: the processor's, from the machine description; miss penalty: "
            "the latency ladder's extra time per access beyond the last-level cache, in cycles at "
            "that clock. Upper bound, three reasons: the dry twin removes most of the interpreter's "
            "work but not all of it; a round trip across two processors also pays for waking the "
            "other one (the probe pins the IPC to one CPU and shows the cross-CPU pipe apart: in C "
            f"on the project's machine {c['pipe_round_trip']:.3g} µs on one CPU against "
            f"{c['pipe_round_trip_cross_cpu']:.3g} µs across two, data/probe_vs_c.json); virtual "
            "machines and the post-2018 security fixes make a kernel entry dearer than the hardware "
            "needs. But Python doing the same kernel work cannot be faster than C, so a net ÷ C "
            "below one can only be run-to-run noise: on the project's machine rows fell up to "
            f"{100 * noise['max_shortfall']:.0f}% below C. A single run can therefore sit below "
            "the true cost by about that much, and differences smaller than the noise, between two "
            "runs or two machines, mean nothing.",
            ((2, "maps all four quantities to the right measurement"),
             (3, "gives the three reasons (interpreter residue, cross-CPU wake-up/placement, "
                 "virtualisation and security fixes)"),
             (2, "explains net ÷ C < 1 as noise and what it means for comparing runs"))),
        WrittenQuestion(
            "around-the-kernel", "06", 4,
            "Use your run's clock and co-mapping tables. Explain why the mapped (vDSO) clock read "
            "and the shared-memory spin round trip avoid the kernel, and what each still costs. "
            "Why does shared-memory data with a pipe byte as the wake-up cost about what the pipe "
            "costs?",
            "The kernel maps a page of code and data into every process (the vDSO), so "
            "clock_gettime on a mapped clock is a few loads from that page: no trap, as §5 proposed "
            "for a clock that has no secret to protect. It still costs the loads (and, from Python, "
            "the interpreter: in C on the project's machine the mapped read took "
            f"{c['clock_monotonic']:.3g} µs against {c['clock_thread_cputime']:.3g} µs for a clock "
            "that traps, data/probe_vs_c.json); a clock that needs the kernel's own accounting (CPU "
            "time) still traps, and part of its cost is that accounting, not the crossing. The spin "
            "round trip passes a flag through a shared page: no system call and no context switch "
            "(§4's co-mapping). It still costs the cache line moving between the two cores (a cited "
            f"one-way core-to-core transfer is {c2c.one_way_us * 1000:.3g} ns, {c2c.id}), and a "
            "whole processor spent polling, so it needs two CPUs and pays off only for a busy server. "
            "With a pipe byte as the wake-up, the data avoid the kernel but the notification does "
            "not: the sleeping side must be woken through the kernel, a crossing and a context "
            "switch, which is what a pipe round trip costs. §4's X11 buffer makes that notification "
            "rare instead of free.",
            ((2, "vDSO: mapped page, loads, no trap; cost: loads/interpreter; trapping clocks still "
                 "trap (accounting)"),
             (2, "spin: no kernel entry; cost: a processor polling and the cache line's transfer"),
             (2, "wake-up through the kernel is the cost; rare notification (§4) as the remedy"))),
        WrittenQuestion(
            "latency-ladder", "06", 5,
            "Explain what the latency ladder measures and why the miss penalty it gives is an "
            "estimate and not a bound: name one effect that pushes the reading up and one that "
            "pushes it down, and say what the spread of your readings beyond the last-level cache "
            "tells you. Why can a pointer chase in Python not see the L2 and L3 caches? Compare "
            "your penalty with the DECstation 5000/200's in cycles and in µs: in which unit did "
            "§3's 'tens, and soon to be hundreds, of cycles' come true?",
            "It follows a random cycle through one word per cache line, each load's address coming "
            "from the previous load, so nothing overlaps or prefetches and each step costs the "
            "latency of wherever the line lives; the extra time per step beyond the last-level "
            "cache, over the in-cache step, is the miss penalty. Up: beyond the TLB's reach each "
            "step also walks the page tables (in a virtual machine two sets of them), which the "
            "ladder cannot separate from the miss. Down: in Python every step also does tens of "
            "nanoseconds of interpreter work while the load is outstanding, so part of each miss "
            "(up to the in-cache step) is hidden; a miss shorter than that work vanishes, which is "
            "why the L2 and L3 latencies (a few to a few dozen ns) do not show and those levels are "
            "lower bounds. With both biases the memory figure is an estimate, not a bound either "
            "way; the readings at different working sets beyond the last-level cache differ by "
            "far more than the digits suggest (the notebook prints their range), and the figure "
            "is a median of few of them, so quote the range. A chase compiled in C removes the "
            "downward bias and resolves the cache levels. The "
            f"DECstation's figure, {ds_pen.value:g} cycles at {ds_clk.value:g} MHz = "
            f"{ds_pen.value / ds_clk.value:.2g} µs, is a parameter of Chen & Bershad's simulated "
            "memory system (Table 2-1), not a measurement. A modern machine's penalty is hundreds "
            "of cycles at every point of its range: the prediction came true in cycles, while in "
            "µs the penalty changed far less, and may have shrunk.",
            ((2, "dependent random chase: latency per step; extra beyond the last level = penalty"),
             (2, "an estimate: TLB walks push it up, overlapped interpreter work pushes it down; "
                 "quotes the range of the readings"),
             (2, "interpreter work overlaps the load and hides short misses (cache levels are "
                 "lower bounds); C resolves them"),
             (1, "cycles vs µs comparison with the DECstation's simulated penalty"))),
    ]


def questions_07() -> list[WrittenQuestion]:
    """Notebook 07's written questions (objectives 2 and 5)."""
    from statistics import median

    from ipcmodel import history
    from ipcmodel.history import debate, multicore, security
    from ipcmodel.history.floor import trap_floor
    from ipcmodel.history.rows import NOW_YEAR

    floor = trap_floor()
    ds = [f for f in floor if f.ipc_id == "b92-rpc-ds5000"][0]
    last = max(f.year for f in floor)
    now_head = median(f.headroom for f in floor if f.year == last)
    lo, hi = (security.crossing_costs(NOW_YEAR, b) for b in ("low", "high"))
    cc = multicore.cross_core_effect(NOW_YEAR, "cross-socket")
    mysql = security.mysql_kpti_slowdown()
    erpc = [r for r in history.history_rows("network") if r.id == "erpc19-raft-replication"][0]
    d = debate.structure_not_location()
    h, mb, lk = d["haertig"], d["maeda_bershad"], d["liedtke"]
    pen = h["penalties_percent"]
    l4_name, mk_in_name = list(pen)[:2]
    udp = mb["udp_round_trip_ms"]
    spread = fact("mb92-udp-variance")
    apart = 100 * abs(1 - udp["user_level"] / udp["kernel"])
    liedtke = [st for st in debate.statements("counter") if st.key == "Liedtke93"][0]
    u = ds.unit if ds.unit == "cycles" else "µs"
    preds = history.predictions()
    counts = {v: sum(p.verdict == v for p in preds) for v in history.VERDICTS}
    mixed = [p for p in preds if p.verdict == "mixed"]
    undecided = [p for p in mixed if not any(e.verdict in history.VERDICTS and e.verdict != "mixed"
                                             for e in p.sensitivity)]
    central = [p for p in preds if p.id == "ipc-becomes-irrelevant"]

    def disagreeing(p) -> str:
        others = [s for s in p.sensitivity if s.verdict in history.VERDICTS and s.verdict != p.rule_verdict]
        if not others:
            return "no data choice disagrees"
        s = others[0]
        return f"under the choice '{s.choice}' it is {s.verdict} ({s.figure}), against {p.rule_verdict} on all rows"

    split = [p for p in mixed if p not in undecided]
    example_mixed = (f"for example {split[0].id}: {disagreeing(split[0])}" if split else
                     "(the audit has no verdict the data choices split with these data)")
    example_undecided = (f"for example {undecided[0].id}: mixed under every choice that applies, because "
                         f"its rule cannot decide ({undecided[0].sensitivity[0].figure})" if undecided else
                         "(the audit has no such verdict with these data)")
    central_text = (f"The central claim, ipc-becomes-irrelevant, comes out {central[0].verdict}: "
                    if central else "The central claim: ")
    return [
        WrittenQuestion(
            "same-machine-floor", "07", 2,
            "Why does the notebook set each IPC round trip only against a system call timed on the "
            "same machine? Say how far today's IPC sits above the two traps footnote 1 says it "
            "must make, and what the trap-floor table cannot show about footnote 1's limit.",
            "On one machine an IPC must trap into the kernel for the call and again for the reply, "
            "so it cannot cost less than two system calls; against a system call timed "
            "on another processor or kernel it can look cheaper than one, which says nothing about "
            "IPC. The headroom above the two-trap floor was "
            f"{ds.headroom:.2g}× on the DECstation 5000/200 ({ds.ipc:g} {u} against 2 × {ds.syscall:g} "
            f"{u}, §2 and §2.1) "
            f"and the median of the {last} pairs is {now_head:.2g}×: thirty years of streamlined "
            "kernels brought IPC closer to its traps but not onto them (the notebook's 1.5× line "
            "for 'reached' is a choice). The floor is a lower bound of the limit, which also counts "
            "the context switch, so a headroom above it cannot prove the limit is not reached; and "
            "the table cannot show the footnote's other half, traps improving slower than "
            "processors, because its rows change kernel and processor at once.",
            ((2, "two traps per round trip; a cross-machine system call can make IPC look cheaper "
                 "than possible"),
             (2, "headroom then and now, from the table, with the direction"),
             (2, "the floor is a lower bound (context switch omitted); the trap-speed half is not "
                 "shown"))),
        WrittenQuestion(
            "kpti-multicore", "07", 2,
            "Did Bershad's thesis survive the 2018 security fixes and multicore servers? Using "
            "section 6's KPTI numbers and section 7's cross-core IPC for the latest year, argue "
            "whether the absolute gap that §2.1 relies on grew or shrank, whether the ratio or the "
            "gap is the right yardstick, and for which devices the answer changes.",
            f"KPTI adds {lo['kpti_cycles']:g} to {hi['kpti_cycles']:g} cycles per kernel entry and "
            "exit (a cited range), once to a system call and twice to a round-trip IPC. So the "
            f"ratio falls ({lo['ratio']:.2g} to {lo['ratio_kpti']:.2g} at the low end, "
            f"{hi['ratio_kpti']:.2g} at the high end) while the gap grows by one entry/exit "
            f"({lo['gap_us']:.2g} µs to {lo['gap_kpti_us']:.2g} µs low, {hi['gap_kpti_us']:.2g} µs "
            "high). A server on another socket adds at least two one-way transfers: "
            f"{cc['ipc_same_core_us']:.2g} µs becomes {cc['ipc_cross_core_us']:.2g} µs. The break-even "
            f"device time moves from {lo['break_even_us']:.2g} µs to {lo['break_even_kpti_us']:.2g}–"
            f"{hi['break_even_kpti_us']:.2g} µs with KPTI and to {cc['break_even_cross_us']:.2g} µs "
            "across sockets. §2.1's yardstick is the gap next to the service, not the ratio: the "
            "falling ratio makes IPC look better while every crossing got dearer. For a disk or a "
            "median SSD the gap is still lost in the device time, so the thesis survives; for "
            f"microsecond devices such as kernel-bypass RPC ({erpc.value:g} µs, an upper bound of a "
            "round trip) the overhead rises toward and past the threshold, so there it does not. "
            "Monolithic systems pay too: KPTI cost Gregg's MySQL server "
            f"{100 * mysql['slowdown']:.0f}% of its queries. Limits: KPTI applies only to "
            "Meltdown-affected x86 processors, and the year's IPC may come from Arm boards that "
            "need none; the transfers are a floor (no wake-up).",
            ((2, "KPTI: ratio falls, gap grows (once vs twice), with the numbers"),
             (1, "cross-core adds two transfers; break-even rises"),
             (2, "argues gap-not-ratio as §2.1's yardstick"),
             (2, "device-dependent conclusion: slow devices yes, µs devices/kernel bypass no"),
             (1, "names a limit (x86-only scope, floor without wake-up, what-if machine)"))),
        WrittenQuestion(
            "debate", "07", 5,
            f"Using Härtig et al.'s co-located MkLinux number ({pen[mk_in_name]:.0f}% lower AIM "
            f"throughput than native Linux, against {pen[l4_name]:.0f}% for L4Linux) and Maeda & "
            f"Bershad's {_v('mb92-udp-rtt-user-level')} user-level UDP round trip (against "
            f"{_v('mb92-udp-rtt-mach25')} in the kernel and {_v('mb92-udp-rtt-unix-server')} through "
            "the Unix server), argue for or against 'structure, not location, determines "
            "performance'. Then judge what Liedtke and Härtig object to in the paper's title.",
            "For: co-located MkLinux shares the kernel's address space, so no user/kernel boundary "
            f"separates it from the kernel, yet it lost {h['implementation_factor']:g} times what "
            f"L4Linux, a user-level server, lost; moving MkLinux's server out of the kernel changed "
            f"its penalty only by a factor {h['location_factor']:.2g}. Maeda & Bershad's restructured "
            f"user-level server was {mb['structure_factor']:.2g}× faster than the Unix server, "
            "while moving the protocol out of the kernel changed the round trip by a factor "
            f"{mb['location_factor']:.2g}: both say how the code is built matters more than where "
            "it runs, as Chen & Bershad found in Mach's extra instructions and memory stalls. "
            "Against, or limits: Härtig's comparison changes the microkernel too, so the cost per "
            "crossing (Mach's IPC against L4's, "
            f"{lk['l4_round_trip_cycles']:g} cycles a round trip on a Pentium) is confounded with "
            "the structure; the user-level and in-kernel UDP rows are only "
            f"{apart:.0f}% apart, not far beyond the {spread.value:g}–{spread.value_high:g}% variance "
            "Maeda & Bershad report for all their measurements; and whole-system throughput gives "
            "no breakdown. Liedtke "
            "and Härtig accept 'structure, not location' but reject the title's reading that IPC "
            f"speed no longer matters: a fast IPC (Liedtke's '{liedtke.quote}' {liedtke.cite()}) is what made "
            "the structure affordable; Härtig calls the microkernel's performance 'crucial'. A good "
            "answer takes a side and says what the numbers cannot separate.",
            ((2, "uses both numbers correctly (co-located vs user-level; user-level vs in-kernel "
                 "UDP)"),
             (2, "the inference: location alone does not set the cost"),
             (2, "a limit: per-crossing cost confounded with structure, spread, no breakdown"),
             (2, "Liedtke/Härtig: fast IPC was the precondition; the title, not the lesson, is "
                 "contested"))),
        WrittenQuestion(
            "verdicts", "07", 5,
            "Pick two 'mixed' verdicts of the audit: one that is mixed because defensible choices of "
            "data disagree, and one that is mixed under every choice because its rule cannot decide "
            "(a bound, a formula or a qualitative rule). For each, say what would settle it and "
            "whether the paper's claim behind it survives. Then say why the central claim, that IPC "
            "performance is becoming irrelevant, is a judgement and not a measurement.",
            f"The audit gives {counts['held']} held, {counts['mixed']} mixed and "
            f"{counts['did-not-hold']} did-not-hold verdicts. A mixed verdict is one the data "
            f"choices disagree on: {example_mixed}; the claim survives only under some defensible "
            f"rows, and the answer should say which. A verdict mixed under every choice waits for "
            f"evidence no choice of rows supplies: {example_undecided}; what settles it is a new kind "
            f"of row (a cited measurement), not a different selection. "
            f"{central_text}a metric's relevance depends on a threshold (ours, not the paper's), on "
            "which IPC (best-case L4 or a Linux pipe) and which devices one compares, and on "
            "whether builders could have stopped caring about IPC speed, which no benchmark row "
            "measures; the debate suggests they could not, because fast IPC made the structure "
            "affordable.",
            ((2, "a mixed verdict with the choice that disagrees, read from the sensitivity table"),
             (2, "an undecided verdict, with the evidence that would settle it"),
             (2, "the central claim as a judgement: threshold, which IPC, which devices"))),
    ]
