"""Answers to the notebooks' "Predict, then move the slider" prompts, revealed after the explorer.

A notebook cell ``reveal("00", "master")`` shows a collapsed block (HTML ``<details>``; in a plain
text view, the text after a heading) with the answers to the prompt before that explorer. Every
number is computed here by ``ipcmodel`` from ``data/`` (:func:`numbers`), none is typed in the
notebook; ``tests/exercises/test_predictions.py`` recomputes them independently.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ipcmodel import caches, firewall, paper, service, trends, units, workload
from ipcmodel.data import fact
from ipcmodel.machines import machine

__all__ = ["Reveal", "reveal", "numbers", "PROMPTS"]


def _udp_us() -> float:
    return float(units.ms_to_us(fact("mb92-udp-rtt-mach25").value))


def _ds_overhead(service_us: float) -> float:
    ds = machine("ds5000")
    return float(service.ipc_overhead_fraction(ds.rpc_us, ds.syscall_us, service_us))


def _udp_case_overhead() -> float:
    c = paper.crossing_cases()[-1]
    return float(service.ipc_overhead_fraction(c.ipc_us, c.syscall_us, c.service_us,
                                               crossings_per_use=c.crossings_per_use))


def _udp_service_misses_pct(factor: float, penalty_cycles: float) -> float:
    """Overhead (%) on the DS5000/200 for the UDP round trip with the service's own lines (as
    many as the IPC path's) all missing, the IPC path warm, one crossing; the microkernel's
    service misses ``factor`` times the monolithic kernel's."""
    ds = machine("ds5000")
    loc = service.locality_us(paper.ipc_path_lines(ds.cache_line_bytes), 1.0, penalty_cycles,
                              ds.clock_mhz)
    return 100 * float(service.ipc_overhead_fraction(ds.rpc_us, ds.syscall_us, _udp_us(), loc,
                                                     micro_service_locality_factor=factor))


def _n00_master() -> dict:
    ds = machine("ds5000")
    lines = paper.ipc_path_lines(ds.cache_line_bytes)
    c = paper.crossing_cases()[-1]
    k = fact("cb93-system-mcpi-ratio-mach-vs-ultrix").value_high
    pen = ds.miss_penalty_cycles
    return {"udp_ms": fact("mb92-udp-rtt-mach25").value, "udp_pct": 100 * _ds_overhead(_udp_us()),
            "fast_pct": 100 * _ds_overhead(_udp_us() / 100),
            "fast_ratio": _ds_overhead(_udp_us() / 100) / _ds_overhead(_udp_us()),
            "lines": lines, "penalty": pen, "rpc": ds.rpc_us,
            "quarter_us": float(service.locality_us(lines, 0.25, pen, ds.clock_mhz)),
            "quarter_100_us": float(service.locality_us(lines, 0.25, 100, ds.clock_mhz)),
            "k": k, "same_lo": _udp_service_misses_pct(1.0, pen),
            "same_100": _udp_service_misses_pct(1.0, 100), "k_lo": _udp_service_misses_pct(k, pen),
            "k_100": _udp_service_misses_pct(k, 100), "k_limit": 100 * (k - 1) / k,
            "crossings": c.crossings_per_use, "added_us": c.ipc_us - c.syscall_us,
            "udp_case_pct": 100 * _udp_case_overhead(),
            "unix_ms": fact("mb92-udp-rtt-unix-server").value,
            "user_ms": fact("mb92-udp-rtt-user-level").value}


def _t00_master(n: dict) -> str:
    return (f"(a) Less than a hundred times. On the DECstation 5000/200 the overhead for the "
            f"{n['udp_ms']:g} ms UDP round trip is {n['udp_pct']:.2f}%; for a device a hundred times "
            f"faster it is {n['fast_pct']:.0f}%, only {n['fast_ratio']:.0f} times as much. Once the "
            "service is short, the RPC itself is a large part of the microkernel's time, and a "
            "fraction of it can never pass 1.\n\n"
            f"(b) The misses. With a quarter of the path's {n['lines']:.0f} lines missing at the "
            f"{n['penalty']:g} cycles per miss of Chen & Bershad's simulation of this machine they "
            f"cost {n['quarter_us']:.0f} µs per call, about one RPC; at a hundred cycles per miss "
            f"(§3's \"hundreds\", a what-if) {n['quarter_100_us']:.0f} µs, against the RPC's "
            f"{n['rpc']:g} µs.\n\n"
            f"(c) At a factor of 1 it falls, from {n['same_lo']:.2f}% to {n['same_100']:.2f}%: the "
            "service's own misses are added equally to both designs' times, so the fixed "
            "difference RPC − system call becomes a smaller share (notebook 02). At a factor of "
            f"{n['k']:g} it rises, from {n['k_lo']:.1f}% to {n['k_100']:.1f}%: the microkernel's "
            f"extra service misses grow with the penalty, and the share heads for "
            f"({n['k']:g} − 1) ÷ {n['k']:g} = {n['k_limit']:.0f}%. That the share falls follows "
            "from the equal-misses assumption, which Chen & Bershad's trace-driven simulation of "
            "Mach contradicts; §3 itself says only that whether the service is in the cache matters "
            "most.\n\n"
            f"(d) {n['udp_case_pct']:.0f}%, far above the one-RPC case: {n['crossings']:g} crossings "
            f"per round trip, each adding {n['added_us']:g} µs on average. But that is Maeda & "
            "Bershad's upper-bound estimate on a DECstation 2100, built from the parts of the Unix "
            "server's path (the emulation library, the RPC, driver crossings the in-kernel protocol "
            "never makes), not RPC − system call. They measured "
            f"{n['unix_ms']:g} ms through the Unix server, which the bound does not explain, and "
            f"{n['user_ms']:g} ms through their own user-level UDP server against {n['udp_ms']:g} ms "
            "in the kernel, comparable times within their measurements' variance: the structure of "
            "the protocol code, not its location, set the time.")


def _n01_curve() -> dict:
    cv, k = machine("cvax"), fact("b92-rating-ds5000-vs-cvax").value
    rpc_k = float(trends.scaled_time_us(cv.rpc_us, k))
    return {"rpc": cv.rpc_us, "k": k, "rpc_k": rpc_k, "wire": paper.wire_time_512_us(),
            "wire_over": paper.wire_time_512_us() / rpc_k, "floor": 0.5 * cv.rpc_us,
            "at_1000": float(trends.scaled_time_us(cv.rpc_us, 1000, 0.5))}


def _t01_curve(n: dict) -> str:
    return (f"1. With p = 1 the RPC takes {n['rpc']:g} µs ÷ {n['k']:g} = {n['rpc_k']:.3g} µs; the wire "
            f"still takes {n['wire']:.0f} µs, now {n['wire_over']:.1f} times the RPC: no longer "
            "\"comparable\".\n\n"
            f"2. Half of the RPC never speeds up, so it can never take less than {n['floor']:g} µs; "
            f"at a thousand times faster it takes {n['at_1000']:.4g} µs, already almost on that floor.")


def _n01_traps() -> dict:
    cv, k = machine("cvax"), fact("b92-rating-ds5000-vs-cvax").value
    p_ipc = 1 - cv.syscall_us / cv.rpc_us
    ratio = trends.scaled_time_us(cv.rpc_us, k, p_ipc) / trends.scaled_time_us(cv.syscall_us, k, 0.5)
    return {"k": k, "ratio_k": float(ratio), "ratio_0": cv.rpc_us / cv.syscall_us,
            "gap_floor": 0.5 * cv.syscall_us,
            "gap_floor_pct": 100 * 0.5 * cv.syscall_us / paper.wire_time_512_us()}


def _t01_traps(n: dict) -> str:
    return (f"At the rating ({n['k']:g}×) the ratio is {n['ratio_k']:.2f} (it starts at "
            f"{n['ratio_0']:.2f}) and it keeps falling towards 2 as the speedup grows: both times "
            "shrink towards their fixed parts, and the RPC's is twice the system call's. The dashed "
            f"line does not fall all the way: the gap levels off at {n['gap_floor']:g} µs, which is "
            f"{n['gap_floor_pct']:.1f}% of the wire time, however fast the processor.")


def _n02_cold() -> dict:
    ds = machine("ds5000")
    lines = paper.ipc_path_lines(ds.cache_line_bytes)
    return {"penalty": ds.miss_penalty_cycles, "slowdown": paper.cold_path_slowdown(),
            "slowdown_200": float(caches.cold_ipc_us(ds.rpc_us, lines, 200, ds.clock_mhz, 1.0)) / ds.rpc_us,
            "line": ds.cache_line_bytes, "lines": lines,
            "lines_2x": paper.ipc_path_lines(2 * ds.cache_line_bytes)}


def _t02_cold(n: dict) -> str:
    return (f"1. At the {n['penalty']:g} cycles per miss of Chen & Bershad's simulation the completely cold round trip is "
            f"{n['slowdown']:.1f}× the warm one; at two hundred cycles per miss (in §3's "
            f"\"hundreds\") it is {n['slowdown_200']:.0f}×: the misses grow in proportion to the "
            "penalty, the warm part does not.\n\n"
            f"2. Both. Doubling the line from {n['line']:g} bytes halves the path's lines "
            f"({n['lines']:.0f} to {n['lines_2x']:.0f}), and so the misses, at the same penalty per "
            "miss; halving the miss fraction does the same.\n\n"
            "3. With the IPC path resident and the service cold, the share falls towards zero as "
            "the penalty grows: the service's misses are in both designs' times (the same misses: "
            "the model's assumption, m = 1) and swamp the fixed difference RPC − system call. Were "
            "the microkernel's service misses m > 1 times the monolithic kernel's (Chen & "
            "Bershad's finding for Mach), the share would head for (m − 1) ÷ m instead. With the IPC path cold as well, the share levels off at "
            "one half: the microkernel pays two working sets of the same size, the monolithic "
            "kernel one, so (t_micro − t_mono) ÷ t_micro tends to 1 ÷ 2.")


def _n02_dma() -> dict:
    fault, purge = fact("b92-fault-in-per-line-hp700"), fact("b92-purge-flush-per-line-hp700")
    small = fact("cb93-icache-line-ds5000").value
    return {"rpc_cycles": paper.hp700_rpc_cycles(), "lines": paper.hp700_lines_per_page(),
            "fault": fault.value, "purge_star": paper.hp700_rpc_cycles() / paper.hp700_lines_per_page()
            - fault.value, "low": purge.value, "high": purge.value_high,
            "page": paper.hp700_page_bytes(), "small": small,
            "small_lines": paper.hp700_page_bytes() / small,
            "printed_per_line": paper.hp700_printed_high_per_line(),
            "printed_read_rpcs": paper.hp700_rpcs(paper.hp700_dma_read_cycles("printed-high"))}


def _t02_dma(n: dict) -> str:
    return (f"1. One RPC is {n['rpc_cycles']:.0f} cycles and a page is {n['lines']:.0f} lines, each "
            f"costing the purge plus {n['fault']:g} cycles of fault-in: the read costs one RPC at a "
            f"purge of {n['purge_star']:.1f} cycles per line, inside §3's range of {n['low']:g} to "
            f"{n['high']:g} as printed, but outside it if the slowest rate is {n['printed_per_line']:g} "
            "(the other reading of §3's inconsistent upper bound, section 4): then even the slowest "
            f"read costs {n['printed_read_rpcs']:.2f} of an RPC and never reaches one.\n\n"
            f"2. Up, twice as much: a {n['page']:.0f}-byte page has {n['small_lines']:.0f} lines of "
            f"{n['small']:g} bytes instead of {n['lines']:.0f}, and the cost is per line.")


def _span(lo: int, hi: int) -> str:
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def _n02b_lab() -> dict:
    import numpy as np

    from ipcmodel.paper import cachelab as lab

    ref = paper.reference_misses()
    sizes = np.arange(0, lab.lab_caches()[0].size_bytes + 1, 256)      # the explorer's curve
    curve = np.array([paper.null_rpc_misses(paper.lab_layout(int(x))).misses for x in sizes])
    hit = curve > ref
    ranges = int(hit[0]) + int(np.sum(hit[1:] & ~hit[:-1]))
    _, worst, at = lab.worst_path_misses("as built")
    ic = lab.lab_caches()[0]
    block = paper.kernel_files()[0].path_bytes
    after = lab.remedy_path_misses(sizes[::8], "vm_fault.o after the IPC code", reserve=False)
    small = 8 * 1024            # the smallest cache of the explorer's menu (ipcmodel.explorers.cachelab)
    coarse = int(lab.remedy_path_misses(np.arange(0, ic.size_bytes + 1, 1024), reserve=False).max())
    first = [paper.null_rpc_misses(paper.lab_layout(int(x), "IPC files first", cache_bytes=small),
                                   small).ipc_path_misses for x in sizes[::16]]
    return {"ranges": ranges, "worst": worst, "worst_at": at, "block": block, "line": ic.line_bytes,
            "block_lines": block // ic.line_bytes, "cache_kb": ic.size_bytes // 1024,
            "after_max": int(after.max()), "small_kb": small // 1024,
            "first_min": int(min(first)), "first_max": int(max(first)), "coarse": coarse}


def _t02b_lab(n: dict) -> str:
    return (f"1. A range, and more than one: over one cache size of growth the explorer's curve has "
            f"{n['ranges']} ranges where the null RPC takes extra misses. Growing the file slides "
            f"ipc_kmsg.o's path code once across all {n['cache_kb']} KB of the cache, so it meets "
            "every other block of code the round trip runs once: the tallest range is locore.o's "
            "path code, the smaller ones the client's and the service's code. Each is a range of "
            "sizes because the blocks overlap partly over many sizes and fully at one.\n\n"
            f"2. {n['worst']} misses. Each block is {n['block']} bytes, {n['block_lines']} lines of "
            f"{n['line']:g} bytes; when the blocks coincide every line is shared, each shared line "
            f"is evicted twice per pass (once by each block) and a round trip makes two passes: "
            f"{n['block_lines']} × 2 × 2 = {n['block_lines'] * 4}. The simulator reaches "
            f"{n['worst']} at a vm_fault.o of {n['worst_at']} bytes (ipcmodel.paper.cachelab."
            f"worst_path_misses); sizes a kilobyte apart alone reach only {n['coarse']}, which is why "
            "section 4's table searches the exact alignment in 16-byte steps.\n\n"
            f"3. Flat: with vm_fault.o after the IPC code nothing on the path moves when it grows, and "
            f"the path's misses stay at {n['after_max']} at every size. IPC files first protects "
            f"the path in the lab's {n['cache_kb']} KB cache, but not at {n['small_kb']} KB: there "
            f"the path takes {_span(n['first_min'], n['first_max'])} misses per round trip whatever "
            "vm_fault.o's size, because in so small a cache the two path blocks' own distance, set "
            "by locore.o and ipc_kmsg.o alone, already wraps onto the same sets. A link order "
            "protects a path only for one cache size: §3's remedy is to place the path by the "
            "cache's hashing function, not by luck.")


def _n03_marshal() -> dict:
    est = paper.ds5000_copy_estimate()
    return {"rpc": fact("b92-rpc-ds5000").value, "page_copy": paper.ds5000_page_bytes() / est.mb_per_s,
            "bw": est.mb_per_s}


def _t03_marshal(n: dict) -> str:
    return ("1. The kernel copy and the shared buffer tie at the smallest sizes: both start at the "
            f"fixed cost of one round-trip RPC, {n['rpc']:g} µs, and a few bytes of copying add next "
            "to nothing. Remapping starts one page remap higher: at the starting remap cost, the "
            f"time to copy one page once, that is {n['page_copy']:.0f} µs more.\n\n"
            "2. At every size: with equal fixed costs the crossover B · (N − F) is zero, and the "
            "shared buffer saves one copy, n/B, on every message.\n\n"
            f"3. Below one page copy per page, {n['page_copy']:.0f} µs at the estimated "
            f"{n['bw']:.3g} MB/s: only then is its cost per byte, r/P, below the shared buffer's 1/B.")


def _n03_x11() -> dict:
    m = 4.0
    return {"m": m, "mach": 2.0, "socket": 1 + 1 / m, "shared": 2 / m}


def _t03_x11(n: dict) -> str:
    return (f"With about {n['m']:g} flushes per collection: Mach messages {n['mach']:g} crossings per "
            f"flush, the socket 1 + 1/{n['m']:g} = {n['socket']:g}, the shared buffer 2/{n['m']:g} = "
            f"{n['shared']:g}. When the server falls far behind, the shared buffer's count tends to "
            "zero and the socket's to one (one write per flush), while Mach messages stay at two. "
            "When it keeps up (one flush per collection), all three cost two crossings per flush: "
            "batching needs a backlog.")


def _n04_emulation() -> dict:
    cv, ds = machine("cvax"), machine("ds5000")
    f = paper.emulation_local_fraction()
    lib = paper.emulation_library_ds5000_us()
    return {"cvax_avg": float(firewall.effective_cost_us(f, cv.syscall_us, cv.syscall_us + cv.rpc_us)),
            "ds_all": ds.syscall_us + ds.rpc_us, "sc": ds.syscall_us,
            "f_rpc": 100 * (1 - ds.syscall_us / ds.rpc_us),
            "f_lib": 100 * (1 - ds.syscall_us / (ds.rpc_us + lib)),
            "calls_per_rpc": float(firewall.calls_per_rpc(f))}


def _t04_emulation(n: dict) -> str:
    return ("1. Counting the RPC alone (no library time), an average call on the MicroVAX-III costs "
            f"{n['cvax_avg']:.0f} µs: more than the DECstation 5000/200 with no emulation at all "
            f"({n['ds_all']:g} µs, every call forwarded). Emulation mattered most on the slow "
            "machine.\n\n"
            "2. The extra cost per call is f · ℓ + (1 − f) · (L + R). With ℓ = 0 it drops below the "
            f"system call ({n['sc']:g} µs) above {n['f_rpc']:.0f}% answered locally counting the RPC "
            f"alone, and above {n['f_lib']:.0f}% with the library's pass scaled by clock. Yes, it "
            "depends on ℓ: if a local call cost the library as much as a system call, no fraction "
            "would do.\n\n"
            "3. Calls per RPC are 1 ÷ (1 − f): they grow without bound as f approaches 1 "
            f"({n['calls_per_rpc']:g} at §5's two in three).")


def _n04_protocol() -> dict:
    b = paper.udp_budget()
    return {"slowdown_ms": units.us_to_ms(b.slowdown_us), "sockets_ms": units.us_to_ms(b.sockets_us),
            "after_sockets_ms": units.us_to_ms(b.slowdown_us - b.sockets_us),
            "unexplained_ms": units.us_to_ms(b.unexplained_us),
            "unexplained_pct": 100 * b.unexplained_us / b.slowdown_us,
            "table1_pct": 100 * paper.table1_boundaries_share(),
            "syscall_pct": 100 * paper.udp_share_explained("mb92-udp-rtt-syscall")}


def _t04_protocol(n: dict) -> str:
    return (f"Against Table 1's Unix server the slowdown is {n['slowdown_ms']:.3g} ms. With the socket "
            f"access as cheap as the kernel's, the socket boundary's {n['sockets_ms']:.3g} ms go and "
            f"{n['after_sockets_ms']:.3g} ms of the gap remain; with the driver crossings free as "
            f"well, {n['unexplained_ms']:.3g} ms remain: the part the crossings cannot explain, "
            f"{n['unexplained_pct']:.0f}% of the slowdown. That is what the budget leaves; it prices "
            "the driver path of Table 2's 'syscall' row, not Table 1's remapped one. Count the whole "
            "step from Table 1 to that row as Table 1's driver path and its boundaries cost up to "
            f"{n['table1_pct']:.0f}% of its slowdown; against the 'syscall' row the crossings explain "
            f"at most {n['syscall_pct']:.0f}%.")


def _n05_map() -> dict:
    from ipcmodel.history.devices import erpc_label  # reads data/history.csv

    ds = machine("ds5000")
    per_cycle = float(service.locality_us(paper.ipc_path_lines(ds.cache_line_bytes), 0.5, 1,
                                          ds.clock_mhz))
    room = float(service.max_ipc_us(ds.syscall_us, _udp_us(), 0.05)) - ds.rpc_us
    erpc = [d for d in paper.cited_devices()[0] if "eRPC" in d.name][0].device_us
    n = workload.udp_crossings()
    return {"udp_ms": fact("mb92-udp-rtt-mach25").value, "udp_pct": workload.on_map("ds5000").pct,
            "sock_n": n["udp-sockets"], "sock_pct": workload.on_map("ds5000", "udp-sockets").pct,
            "all_n": n["udp-counted"], "all_pct": workload.on_map("ds5000", "udp-counted").pct,
            "mono4_pct": 100 * workload.sockets_only_overhead("ds5000"),
            "cvax_pct": workload.on_map("cvax").pct,
            "user_ms": fact("mb92-udp-rtt-user-level").value,
            "break_even": float(service.break_even_service_us(ds.rpc_us, ds.syscall_us, 0.05)),
            "cross_penalty": room / per_cycle, "erpc_us": erpc,
            "erpc_pct": 100 * _ds_overhead(erpc), "erpc_label": erpc_label()}


def _t05_map(n: dict) -> str:
    return ("(a) At one crossing per use, as the map starts: above the boundary line. The overhead "
            f"for Maeda & Bershad's {n['udp_ms']:g} ms UDP round trip (two DECstation 2100s: "
            f"protocol software and wire, not a device) is {n['udp_pct']:.2f}%, and the warm "
            f"break-even at five percent is {n['break_even']:.0f} µs. But a round trip is not one "
            f"crossing. At its {n['sock_n']:g} socket accesses the overhead is {n['sock_pct']:.2f}%, "
            f"still above; at all {n['all_n']:g} crossings Maeda & Bershad count it is "
            f"{n['all_pct']:.2f}%: the overhead exceeds five percent, and the machine is below the "
            "boundary line for the same service. (That count charges the monolithic kernel a system "
            "call for driver and packet-filter crossings it does not make; charged only its socket "
            f"calls, the overhead is {n['mono4_pct']:.2f}%.) The MicroVAX-III is below the line even "
            f"at one crossing: {n['cvax_pct']:.1f}%. The model holds the service time fixed, "
            "though: Maeda & Bershad's restructured user-level UDP server, which still crosses the "
            f"kernel, measured {n['user_ms']:g} ms against {n['udp_ms']:g} ms in the kernel (their "
            "Table 3): the crossings are a property of the implementation, not of user-level "
            "servers as such.\n\n"
            "(b) Up: the misses on the IPC path add to every RPC, so the break-even service time "
            "grows with the penalty. With half the path missing, the DECstation 5000/200 crosses the "
            f"boundary line for the UDP round trip (one crossing) at about {n['cross_penalty']:.0f} "
            "cycles per miss.\n\n"
            f"(c) None of the 1992 machines. The fastest entry is eRPC's: {n['erpc_label']} Even at "
            f"that upper bound the DECstation 5000/200's overhead is {n['erpc_pct']:.0f}%; a bare "
            "round trip would be shorter and the overhead higher. Only a machine whose IPC costs a "
            "small fraction of a microsecond more than its system call can stay above the line; "
            "seL4 on Haswell is drawn with the map's system-call slider (no published system call), "
            "so where it sits depends on that slider.")


def _n05_program() -> dict:
    ab = workload.macrobenchmark("ab")
    return {"udp_case_pct": 100 * _udp_case_overhead(), "rpc_per_s": ab.rpc_per_s_needed,
            "crossings": workload.udp_crossings()["udp-counted"],
            "ds_pct": workload.on_map("ds5000", "udp-counted").pct,
            "rpcs": ab.rpc_per_s_needed * ab.measured_mach_s}


def _t05_program(n: dict) -> str:
    return ("(a) It levels off at the per-access overhead, the regime map's colour for the same "
            "machine and device: with many uses the program is almost all service use.\n\n"
            "(b) To the overhead of a use with several crossings. The preset is Maeda & Bershad's "
            "budget for the DECstation 2100's Unix server (their §2.2 upper-bound estimate: "
            f"{n['crossings']:g} crossings at that machine's costs, not the DECstation 5000/200's): "
            f"{n['udp_case_pct']:.0f}% per use. With the DECstation 5000/200's own RPC and system "
            f"call and the same {n['crossings']:g} crossings it is {n['ds_pct']:.2f}%.\n\n"
            "(c) Down: both designs pay the service's misses, so they dilute the difference.\n\n"
            f"(d) The whole Andrew-benchmark slowdown would need about {n['rpc_per_s']:,.0f} extra "
            f"RPCs a second, about {n['rpcs']:,.0f} in the run; the reading gives the number of uses "
            "with the preset's values.")


def _n06_machine() -> dict:
    """Notebook 06's predictions with the saved example run (a student's run differs)."""
    import math

    from ipcmodel.measure import load_example, to_model_inputs
    from ipcmodel.yourmachine import does_ipc_matter

    example = load_example()
    inputs = to_model_inputs(example)
    ipc, sc = inputs["ipc_us"], inputs["syscall_us"]
    pen, mhz = inputs["miss_penalty_cycles"], inputs["clock_mhz"]
    be = float(service.break_even_service_us(ipc, sc, 0.05))
    answers = does_ipc_matter(inputs)
    near = min(answers, key=lambda a: abs(math.log(a.case.device_us / be)))
    mem = [a for a in answers if a.case.kind == "in-memory"]
    lines = float(paper.ipc_path_lines(example.machine.cache_line_bytes))
    ipl = float(service.locality_us(lines, 1.0, pen, mhz))
    be_cold = float(service.break_even_service_us(ipc, sc, 0.05, 0.0, ipl))
    return {"be": be, "near": near.case.name.split(",")[0], "near_us": near.case.device_us,
            "near_pct": 100 * near.overhead_fraction, "near_matters": near.matters,
            "mem_pct": 100 * mem[0].overhead_fraction if mem else None,
            "cold_us": ipl, "be_cold": be_cold, "factor": be_cold / be}


def _t06_machine(n: dict) -> str:
    verdict = "exceeds five percent" if n["near_matters"] else "stays within five percent"
    mem = ("" if n["mem_pct"] is None else
           f" In the saved example the in-memory copy's overhead is {n['mem_pct']:.0f}%.")
    return ("These answers use the saved example run (the notebook's stored outputs); with your own "
            "run, read the same quantities from your tables.\n\n"
            f"(a) The break-even is {n['be']:.4g} µs; the closest service is the {n['near']} "
            f"({n['near_us']:.4g} µs), whose overhead, {n['near_pct']:.3g}%, {verdict}. So close to "
            "the break-even, a run-to-run change in the measured IPC can flip the verdict.\n\n"
            "(b) Nearly all of it: a service shorter than the IPC leaves the microkernel's time "
            f"mostly IPC.{mem}\n\n"
            f"(c) More than a factor of two: with every line of the (hypothetical, Mach-sized) path "
            f"missing, the misses add {n['cold_us']:.3g} µs to each round trip and the break-even "
            f"moves from {n['be']:.4g} µs to {n['be_cold']:.4g} µs, {n['factor']:.2g} times.")


#: (notebook, prompt) -> (numbers, text): the prompts with a revealed answer.
PROMPTS = {
    ("00", "master"): (_n00_master, _t00_master),
    ("01", "processor-curve"): (_n01_curve, _t01_curve),
    ("01", "traps"): (_n01_traps, _t01_traps),
    ("02", "cold-path"): (_n02_cold, _t02_cold),
    ("02", "dma"): (_n02_dma, _t02_dma),
    ("02b", "collision"): (_n02b_lab, _t02b_lab),
    ("03", "marshalling"): (_n03_marshal, _t03_marshal),
    ("03", "x11"): (_n03_x11, _t03_x11),
    ("04", "emulation"): (_n04_emulation, _t04_emulation),
    ("04", "protocol"): (_n04_protocol, _t04_protocol),
    ("05", "regime-map"): (_n05_map, _t05_map),
    ("05", "program"): (_n05_program, _t05_program),
    ("06", "machine"): (_n06_machine, _t06_machine),
}


def numbers(notebook: str, prompt: str) -> dict:
    """The numbers of one revealed answer (units in the key names' sense: µs, %, ms, cycles)."""
    try:
        make, _ = PROMPTS[(notebook, prompt)]
    except KeyError:
        raise ValueError(f"(notebook, prompt) must be one of {sorted(PROMPTS)}; "
                         f"got {(notebook, prompt)!r}") from None
    return make()


@dataclass(frozen=True)
class Reveal:
    """A collapsed answer block: HTML ``<details>`` in a notebook, a titled text elsewhere."""

    title: str
    text: str

    def __str__(self) -> str:
        return f"{self.title}\n\n{self.text}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        paras = "".join(f"<p>{_inline(p)}</p>" for p in self.text.split("\n\n"))
        return f"<details><summary>{html.escape(self.title)}</summary>{paras}</details>"


def _inline(text: str) -> str:
    return re.sub(r"\s+", " ", html.escape(text, quote=False))


def reveal(notebook: str, prompt: str) -> Reveal:
    """The answers to a notebook's "Predict, then move the slider" prompt, collapsed."""
    n = numbers(notebook, prompt)
    return Reveal("Answers to the predictions (open after you have tried)", PROMPTS[(notebook, prompt)][1](n))
