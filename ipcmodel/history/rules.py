"""The rules of the predictions audit: one function per prediction of the paper.

Each rule takes ``(rows, method)`` (the rows to judge with and how the IPC of a year is obtained,
``"measured"`` or ``"fit"``) and returns a :class:`~ipcmodel.history.sensitivity.Prediction` with its
verdict on those rows, a ``figure`` and the reasoning; :func:`ipcmodel.history.predictions` runs
every rule under every data choice. A rule that cannot be applied to the rows it is given (too few)
returns the verdict :data:`~ipcmodel.history.sensitivity.NOT_APPLICABLE`.

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

import numpy as np

from ipcmodel import paper
from ipcmodel.data import load_facts
from ipcmodel.history.estimates import estimate_for_year, ipc_cycles_estimate
from ipcmodel.history.fits import TrendFit, evaluate_trend, fit_loglinear, fit_trend
from ipcmodel.history.pairs import machine_label, same_machine_pairs
from ipcmodel.history.rows import (
    _KERNEL_BYPASS_ROWS,
    _NOW,
    _THEN,
    _try,
    history_rows,
    round_trip_cycles,
    round_trip_us,
)
from ipcmodel.history.scott import (
    scott_clock_mhz,
    scott_disk_seek_ns,
    scott_memory_ns,
    scott_miss_penalty_cycles,
)
from ipcmodel.history.sensitivity import (
    DATA_CHOICES,
    MODERN_LINE_BYTES,
    Prediction,
    _keys,
    _na,
    _sources,
)

__all__ = ["RULES", "QUALITATIVE", "CHOICE_DOES_NOT_APPLY"]


def _fit_window(fit: TrendFit) -> tuple[int, int]:
    """(then, now) clipped to the fit's span so the rule never rests on an extrapolation."""
    return max(_THEN, fit.first_year), min(_NOW, fit.last_year)


def _ipc_then_now(rows, method, unit):
    """(then, now) IPC round trip of :data:`THEN_YEAR` and :data:`NOW_YEAR` in ``unit``, and a label."""
    if unit == "cycles":
        a, b = (ipc_cycles_estimate(y, rows, method=method) for y in (_THEN, _NOW))
    else:
        a, b = (estimate_for_year("ipc_round_trip_us", y, rows, method=method) for y in (_THEN, _NOW))
    return a, b


_P_TRACKS = ("ipc-tracks-processor", "2",
             "§2: \"measured IPC performance has, at least to this point, tracked processor performance "
             "reasonably well.\"")


def _p_ipc_tracks_processor(rows, method="measured") -> Prediction:
    pid, sec, text = _P_TRACKS
    try:
        if method == "fit":
            fc, fu = fit_trend("ipc", "cycles", rows), fit_trend("ipc", "us", rows)
            (c0, c1), (u0, u1) = _fit_window(fc), _fit_window(fu)
            cycle_ratio, us_fall = fc(c1).value / fc(c0).value, fu(u0).value / fu(u1).value
            how = (f"fitted trends: cycles over {c0}–{c1} ({fc.n_points} rows), µs over {u0}–{u1} "
                   f"({fu.n_points} rows)")
        else:
            (a, b), (x, z) = _ipc_then_now(rows, method, "cycles"), _ipc_then_now(rows, method, "us")
            c0 = u0 = _THEN
            c1 = u1 = _NOW
            cycle_ratio, us_fall = b.value / a.value, x.value / z.value
            how = (f"{_THEN}: {a.value:.0f} cycles, {x.value:.3g} µs ({a.basis}); {_NOW}: {b.value:.0f} cycles "
                   f"({b.basis}, {b.n_rows} rows, spread {b.low or b.value:.0f}–{b.high or b.value:.0f}), "
                   f"{z.value:.2g} µs ({z.basis})")
    except ValueError as err:
        return _na(pid, sec, text, ("Bershad92",), f"Too few IPC rows to apply the rule: {err}")
    if cycle_ratio <= 3 and us_fall >= 10:
        verdict = "held"
    elif cycle_ratio > 10 or us_fall < 3:
        verdict = "did-not-hold"
    else:
        verdict = "mixed"
    return Prediction(
        pid, sec, text, _keys(*_sources(history_rows("ipc", rows))), verdict,
        f"Rule: held if IPC round-trip cycles change by at most 3× while µs fall at least 10×, did-not-hold "
        f"if cycles grow more than 10× or µs fall less than 3×; {how}: cycles ×{cycle_ratio:.2f} "
        f"({c0}→{c1}), µs fell {us_fall:.0f}× ({u0}→{u1}); the later rows are L4-family kernels, not Mach.",
        f"IPC cycles ×{cycle_ratio:.2f}, µs ÷{us_fall:.0f} ({c0}→{c1})")


_P_DISKS = ("disks-stay-slow", "2",
            "§2: \"Disks continue to spin at about the same speed as they always have\"; device latencies "
            "improve far less than IPC.")


def _p_disks_stay_slow(rows, method="measured") -> Prediction:
    pid, sec, text = _P_DISKS
    try:
        if method == "fit":
            fu = fit_trend("ipc", "us", rows)
            y0, y1 = _fit_window(fu)
            ipc_fall = fu(y0).value / fu(y1).value
        else:
            a, b = _ipc_then_now(rows, method, "us")
            y0, y1 = _THEN, _NOW
            ipc_fall = a.value / b.value
    except ValueError as err:
        return _na(pid, sec, text, ("Bershad92", "Scott"), f"Too few IPC rows to apply the rule: {err}")
    disk_fall = float(scott_disk_seek_ns(y0)) / float(scott_disk_seek_ns(y1))
    if ipc_fall >= 10 * disk_fall:
        verdict = "held"
    elif disk_fall >= ipc_fall:
        verdict = "did-not-hold"
    else:
        verdict = "mixed"
    return Prediction(
        pid, sec, text, _keys("Bershad92", "Scott", *_sources(history_rows("ipc", rows))), verdict,
        f"Rule: held if IPC round-trip µs improved at least 10× more than disk seek + rotation over the "
        f"same years; {y0}–{y1} IPC fell {ipc_fall:.0f}× ({'fitted' if method == 'fit' else 'measured'}) "
        f"but the Scott disk formula only {disk_fall:.1f}× ({float(scott_disk_seek_ns(_NOW)) / 1e6:.1f} ms "
        f"in {_NOW}).",
        f"IPC ÷{ipc_fall:.0f} vs disk ÷{disk_fall:.1f} ({y0}→{y1})")


def _p_network_latency(rows, method="measured") -> Prediction:
    recent = [(r, round_trip_us(r).value) for r in history_rows("network", rows) if r.year >= 2000]
    slow = [r.id for r, v in recent if v >= 100]
    fast = [r.id for r, v in recent if v < 100]
    if not recent:
        verdict, why = "mixed", "no network row after 2000, so the evidence is too thin"
    elif not fast:
        verdict, why = "held", f"every post-2000 round trip is ≥ 100 µs ({', '.join(slow)})"
    elif not slow:
        verdict, why = "did-not-hold", f"every post-2000 round trip is < 100 µs ({', '.join(fast)})"
    else:
        verdict = "mixed"
        why = (f"a conventional datacenter round trip is still ≥ 100 µs ({', '.join(slow)}) but "
               f"kernel-bypass RPC reaches {min(v for _, v in recent):.3g} µs ({', '.join(fast)})")
    figure = (f"post-2000 round trips {min(v for _, v in recent):.3g}–{max(v for _, v in recent):.3g} µs"
              if recent else "—")
    return Prediction(
        "network-latency-stays-high", "2",
        "§2: \"core network latency remains on the order of several hundred microseconds\".",
        _keys(*_sources(history_rows("network", rows))), verdict,
        f"Rule: held if all network round trips measured since 2000 are ≥ 100 µs, did-not-hold if all are "
        f"below, else mixed; {why}.", figure)


def _device_rows_us(rows, years):
    return [(r.id, round_trip_us(r).value, r.year) for s in ("network", "ssd")
            for r in history_rows(s, rows) if years[0] <= r.year <= years[1]]


def _share(ipc_us: float, device_us: float) -> float:
    """IPC ÷ (IPC + device): the IPC's share of the whole access when nothing else is crossed."""
    return ipc_us / (ipc_us + device_us)


_P_SHARE = ("ipc-share-of-device-access", "2",
            "§2: \"the additional cost of the IPC required to indirect to these facilities has become less "
            "significant.\"")


def _p_ipc_share_of_devices(rows, method="measured") -> Prediction:
    pid, sec, text = _P_SHARE
    then_dev = _device_rows_us(rows, (_THEN - 1, _THEN + 1))
    now_dev = _device_rows_us(rows, (2015, _NOW))
    if not then_dev or not now_dev:
        return _na(pid, sec, text, ("Bershad92", "Scott"),
                   "Too few dated device rows around 1992 or since 2015 to apply the rule.")
    dev0 = min(then_dev, key=lambda t: t[1])
    dev1 = min(now_dev, key=lambda t: t[1])
    now = dev1[2]
    try:
        ipc0 = estimate_for_year("ipc_round_trip_us", _THEN, rows, method=method)
        ipc1 = estimate_for_year("ipc_round_trip_us", now, rows, method=method)
    except ValueError as err:
        return _na(pid, sec, text, ("Bershad92", "Scott"), f"Too few IPC rows to apply the rule: {err}")
    disk0, disk1 = (float(scott_disk_seek_ns(y)) / 1000.0 for y in (_THEN, now))
    shares = {"disk": (_share(ipc0.value, disk0), _share(ipc1.value, disk1)),
              "fastest device": (_share(ipc0.value, dev0[1]), _share(ipc1.value, dev1[1]))}
    down = [k for k, (a, b) in shares.items() if b < a]
    verdict = "held" if len(down) == len(shares) else ("did-not-hold" if not down else "mixed")
    txt = "; ".join(f"{k} {100 * a:.2g}% → {100 * b:.2g}%" for k, (a, b) in shares.items())
    return Prediction(
        pid, sec, text,
        _keys("Bershad92", "Scott", *_sources(r for r in history_rows(rows=rows)
                                              if r.id in (dev0[0], dev1[0])),
              *_sources(history_rows("ipc", rows))), verdict,
        f"Rule: held if a round-trip IPC ({ipc0.value:.3g} µs {ipc0.basis} in {_THEN}, {ipc1.value:.2g} µs "
        f"{ipc1.basis} in {now}, the year of the newest fast device) shrank as a share IPC ÷ (IPC + device) "
        f"of both a disk access (Scott) and the fastest measured device ({dev0[0]}, then {dev1[0]}); "
        f"share of {txt}.", f"share of {txt} ({_THEN}→{now})")


_P_SYSCALLS = ("syscalls-not-the-solution", "2.1",
               "§2.1: \"there is diminishing incentive to use system calls, rather than generalized IPC "
               "facilities, to access system services.\"")


def _p_syscalls_not_the_solution(rows, method="measured") -> Prediction:
    pid, sec, text = _P_SYSCALLS
    pairs = same_machine_pairs(rows)
    early = [p for p in pairs if p.year <= _THEN + 1]
    late = [p for p in pairs if p.year >= 2015]
    fast_devices = [round_trip_us(r).value for s in ("network", "ssd")
                    for r in history_rows(s, rows) if r.year >= 2015]
    if not early or not late or not fast_devices:
        return _na(pid, sec, text, ("Bershad92", "L4Re", "OracleSyscall23", "Ren19"),
                   "Too few same-machine IPC/system-call pairs or recent device rows to apply the rule.")
    r_early = float(np.median([p.ratio for p in early]))
    late_year = max(p.year for p in late)
    if method == "fit":
        fit = fit_loglinear([p.year for p in pairs], [p.ratio for p in pairs], series="ipc_syscall_ratio",
                            unit="ratio")
        r_late = float(evaluate_trend(fit, late_year).value)
        ipc = estimate_for_year("ipc_round_trip_us", late_year, rows, method="fit").value
        gap_us = ipc * (1.0 - 1.0 / r_late)
        how = f"fitted ratio trend through {fit.n_points} pairs, fitted IPC {ipc:.2g} µs"
    else:
        r_late = float(np.median([p.ratio for p in late]))
        gaps_us = [(p.ipc - p.syscall) if p.unit == "us" else (p.ipc - p.syscall) / float(scott_clock_mhz(p.year))
                   for p in late]
        gap_us = float(np.median(gaps_us))
        how = f"{len(late)} machines, cycles at Scott's clock (the page gives none)"
    device_us = min(fast_devices)
    relative_same = 0.5 <= r_late / r_early <= 2.0
    gap_small = gap_us < 0.1 * device_us
    verdict = "held" if relative_same and gap_small else ("mixed" if relative_same or gap_small
                                                          else "did-not-hold")
    ids = {i for p in pairs for i in (p.ipc_id, p.syscall_id)}
    return Prediction(
        pid, sec, text,
        _keys(*_sources(r for r in history_rows(rows=rows) if r.id in ids),
              "Scott", *_sources(r for s in ("network", "ssd") for r in history_rows(s, rows)
                                 if r.year >= 2015), "OracleSyscall23", "Ren19"),
        verdict,
        f"Rule: held if the same-machine IPC/syscall ratio stays within 2× of 1992's and the gap is under "
        f"10% of the fastest recent device access, did-not-hold if neither; ratio {r_early:.1f} (1992, "
        f"{len(early)} machines) vs {r_late:.1f} ({late_year}; {how}), gap ≈ {gap_us:.2f} µs vs "
        f"{device_us:g} µs.",
        f"ratio {r_early:.1f}→{r_late:.1f} (×{r_late / r_early:.2f}); gap {gap_us:.2g} µs vs {device_us:g} µs")


def _p_miss_penalty(rows, method="measured") -> Prediction:
    now = float(scott_miss_penalty_cycles(_NOW))
    then = float(scott_miss_penalty_cycles(_THEN))
    checks = []
    for r in history_rows("miss_penalty", rows):
        c = _try(round_trip_cycles, r)
        if c is not None:
            checks.append((r.id, c.value / float(scott_miss_penalty_cycles(r.year))))
    for r in history_rows("memory", rows):
        checks.append((r.id, round_trip_us(r).value * 1000.0 / float(scott_memory_ns(r.year))))
    disagree = [rid for rid, ratio in checks if not (1 / 3 <= ratio <= 3)]
    near = [(r, round_trip_cycles(r).value) for r in history_rows("miss_penalty", rows)
            if abs(r.year - _THEN) <= 1 and _try(round_trip_cycles, r) is not None]
    top = max(near, key=lambda t: t[1]) if near else None
    if now < 100:
        verdict = "did-not-hold"
    elif disagree:
        verdict = "mixed"
    else:
        verdict = "held"
    return Prediction(
        "miss-penalty-hundreds", "3",
        "§3: \"cache miss penalties are tens, and soon to be hundreds, of cycles.\"",
        _keys("Bershad92", "Scott", *_sources(history_rows("miss_penalty", rows)),
              *_sources(history_rows("memory", rows))), verdict,
        f"Rule: held if the Scott memory/cycle formulas give ≥ 100 cycles by {_NOW} and every dated "
        f"miss-penalty or memory-latency row lies within 3× of them; {then:.1f} cycles in {_THEN}, "
        f"{now:.0f} in {_NOW}, {len(checks) - len(disagree)} of {len(checks)} rows agree within 3×"
        + (f", yet the formula's {then:.1f} cycles for {_THEN} is {top[1] / then:.1f}× below the "
           f"{top[1]:g} cycles measured on the {machine_label(top[0])} ({top[0].id}) and below §3's own "
           f"'tens', so the tolerance hides a formula that is low for the paper's machines" if top else "")
        + ".", f"{now:.0f} cycles in {_NOW} (Scott); {len(checks) - len(disagree)} of {len(checks)} rows within 3×")


def _p_caches_dominate(rows, method="measured") -> Prediction:
    facts = load_facts("facts.csv")
    footprint = sum(paper.ipc_path_bytes())
    # 1992: the same measured inputs as notebook 02 (DECstation 5000/200): its 16-byte lines, its
    # measured 15-cycle miss penalty and its measured 57 µs RPC at 25 MHz.
    line0 = facts["cb93-icache-line-ds5000"].value
    lines0 = float(paper.ipc_path_lines(line0))
    miss0 = facts["cb93-miss-penalty-ds5000"].value
    rpc0 = paper.ds5000_rpc_cycles()
    try:
        if method == "fit":
            fc = fit_trend("ipc", "cycles", rows)
            y1 = _fit_window(fc)[1]
            ipc1, how = fc(y1).value, "the fitted hot IPC"
        else:
            e = ipc_cycles_estimate(_NOW, rows, method=method)
            y1, ipc1 = _NOW, e.value
            how = f"the {e.basis} IPC ({e.n_rows} rows)" if e.basis == "measured" else f"the {e.basis} IPC"
    except ValueError as err:
        return _na("caches-dominate", "3", "§3", ("Bershad92",), f"Too few IPC rows to apply the rule: {err}")
    lines1 = float(paper.ipc_path_lines(MODERN_LINE_BYTES))
    ratio0 = lines0 * miss0 / rpc0
    ratio1 = lines1 * float(scott_miss_penalty_cycles(y1)) / ipc1
    if ratio1 >= 10:
        verdict = "held"
    elif ratio1 >= 1:
        verdict = "mixed"
    else:
        verdict = "did-not-hold"
    return Prediction(
        "caches-dominate", "3",
        "§3: the cost of a service \"is going to be most influenced by whether or not that service is in "
        "the cache\".",
        ("Bershad92", "ChenBershad93", "Scott", "TSperf", "L4Re", "SoaresStumm10", "Liedtke97"), verdict,
        f"Rule: held if missing once on every line of the paper's IPC path ({footprint:g} bytes) costs "
        f"≥ 10× the IPC round trip, mixed if 1–10×; in {_THEN} (measured, DECstation 5000/200, as in "
        f"notebook 02) {lines0:g} lines of {line0:g} bytes × {miss0:g} cycles = ×{ratio0:.1f} its "
        f"{rpc0:.0f}-cycle RPC; in {y1} {lines1:g} lines of {MODERN_LINE_BYTES} bytes (an assumed modern line "
        f"size, not from a cited row) × Scott's {float(scott_miss_penalty_cycles(y1)):.0f} cycles = "
        f"×{ratio1:.1f} {how} ({ipc1:.0f} cycles), an upper bound since L4 paths are smaller [Liedtke97].",
        f"misses ×{ratio1:.1f} the IPC in {y1} (×{ratio0:.1f} in {_THEN})")


def _p_shared_buffers(rows, method="measured") -> Prediction:
    return Prediction(
        "shared-buffers-bypass-kernel", "4",
        "§4: \"All data does not need to be marshalled through the kernel\"; shared regions carry data "
        "between address spaces.",
        ("Bershad92", "io_uring-commit"), "held",
        "Qualitative: Linux's io_uring (2019) moves I/O requests and completions through rings shared by "
        "application and kernel without copying, the §4 technique adopted by a monolithic kernel; no "
        "latency number is tested.", "—")


def _p_no_hardware_firewall(rows, method="measured") -> Prediction:
    net = [(r.id, round_trip_us(r).value) for r in history_rows("network", rows)]
    bypass = [v for rid, v in net if rid in _KERNEL_BYPASS_ROWS]
    kernel = [v for rid, v in net if rid not in _KERNEL_BYPASS_ROWS]
    if bypass and kernel and min(bypass) < min(kernel):
        verdict = "held"
        why = (f"the kernel-bypass round trip ({min(bypass):g} µs) beats every kernel-path network row "
               f"(fastest {min(kernel):g} µs)")
    else:
        verdict = "mixed"
        why = "no kernel-bypass network row is faster than the kernel-path rows"
    return Prediction(
        "services-leave-hardware-firewall", "5",
        "§5: the clock \"can be mapped directly into user address spaces\"; protocols can run in the "
        "applications' address spaces.",
        ("Bershad92", "vdso7", "eRPC19", "MaedaBershad92"), verdict,
        f"Rule: held if user-level (kernel-bypass) networking beats the kernel path; {why}, and Linux's "
        f"vDSO maps the clock into every process, as §5 proposed (qualitative).",
        (f"bypass {min(bypass):g} µs vs kernel path {min(kernel):g} µs" if bypass and kernel else "—"))


def _p_ipc_irrelevant(rows, method="measured") -> Prediction:
    ctx = load_facts("history.csv")
    l4, mk_in, mk_user = (ctx[i] for i in ("haertig97-l4linux-aim-penalty", "haertig97-mklinux-inkernel-ratio",
                                            "haertig97-mklinux-user-ratio"))
    return Prediction(
        "ipc-becomes-irrelevant", "6",
        "§6: \"the raw performance of IPC facilities is largely becoming an irrelevant metric by which "
        "to judge microkernel-based operating systems.\"",
        ("Bershad92", "Liedtke97", "Haertig97", "TSperf"), "mixed",
        f"Qualitative and contested: the L4 line kept IPC speed as its key metric [Liedtke97] [TSperf], "
        f"and fast IPC let L4Linux lose only {l4.value:g}% of native Linux's AIM throughput where MkLinux "
        f"lost {mk_in.value:g}–{mk_user.value:g}× as much [{l4.source}, Abstract], so IPC speed still mattered to the "
        f"builders.", "—")


#: The rules, in the order of the audit.
RULES = (_p_ipc_tracks_processor, _p_disks_stay_slow, _p_network_latency, _p_ipc_share_of_devices,
          _p_syscalls_not_the_solution, _p_miss_penalty, _p_caches_dominate, _p_shared_buffers,
          _p_no_hardware_firewall, _p_ipc_irrelevant)

#: Rules that read no rows at all: their sensitivity list has one entry saying so.
QUALITATIVE = (_p_shared_buffers, _p_ipc_irrelevant)

#: (rule, choice) pairs where a choice does not apply, with the reason (the entry keeps the rule's
#: all-rows verdict and says why).
CHOICE_DOES_NOT_APPLY = {
    (_p_caches_dominate, DATA_CHOICES[4]): "n/a: the rule itself sets cold misses against the hot IPC",
    (_p_syscalls_not_the_solution, DATA_CHOICES[4]): (
        "n/a: no source gives the system-call path's footprint, so a cold system call cannot be bounded "
        "like the cold IPC, and a cold IPC against a hot system call is no same-machine comparison"),
}
