"""The device rules of the predictions audit: disks, the IPC's share of a device access, kernel bypass.

Each rule takes ``(rows, method)`` like the rules of :mod:`ipcmodel.history.rules` (which lists them
in :data:`~ipcmodel.history.rules.RULES`). A device here is always a *measured* row
(:func:`ipcmodel.history.devices.device_of_year`: the datasheet disk's seek + rotation, the SSD reads,
the network round trips), never one of Scott's formulas: where a year has no measured device the rule
says so and its verdict is ``mixed`` (untested), not a formula's verdict.

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

from ipcmodel.data import load_facts
from ipcmodel.history.devices import (
    _CONSTANT_ROWS,
    DEVICE_WINDOW_YEARS,
    device_of_year,
    network_eras,
)
from ipcmodel.history.estimates import estimate_for_year
from ipcmodel.history.rows import _KERNEL_BYPASS_ROWS, _NOW, _THEN, history_rows, round_trip_us
from ipcmodel.history.scott import scott_disk_seek_ns
from ipcmodel.history.sensitivity import Prediction, _keys, _na, _sources

__all__: list[str] = []


def _disk_sources(d) -> list[str]:
    facts = load_facts("history.csv")
    return [facts[i].source for i in d.row_ids if i in facts]


def _disk_text(d) -> str:
    return f"{d.label.split(':')[0]}: {d.value_us / 1000:.4g} ms datasheet seek + rotation, {d.measured_year}"


def _ms(us: float) -> str:
    ms = us / 1000
    return f"{ms:.3g} ms" if ms < 1000 else f"{ms:.0f} ms"


def _scott_words(year: int) -> str:
    return (f"Scott's getSeek formula would give {float(scott_disk_seek_ns(year)) / 1e6:.3g} ms for {year}, "
            "an extrapolation, not a device, so it does not decide the rule")


_SEEK_ROW, _CVAX_RPC_ROW = "b92-rpc-comparable-seek", "b92-rpc-cvax-1992"


def _seek_words(year: int) -> str:
    """What §2's disk statement bounds: one track's seek, comparable to the CVax's RPC, so from below only."""
    facts = load_facts("facts.csv")
    ratio, rpc = facts[_SEEK_ROW], facts[_CVAX_RPC_ROW]
    low_us, high_us = rpc.value / ratio.value_high, rpc.value / ratio.value
    return (f"the paper's only disk statement (§2) sets the CVax's {rpc.value:g} µs RPC against seeking one "
            f"track ({_SEEK_ROW}: about {_ms(low_us)}–{_ms(high_us)}); an access adds an average seek and "
            f"half a rotation to that, so it bounds a {year} access from below only, and the rule needs "
            "the upper bound, which no row gives")


_P_DISKS = ("disks-stay-slow", "2",
            "§2: \"Disks continue to spin at about the same speed as they always have\"; device latencies "
            "improve far less than IPC.")


def _p_disks_stay_slow(rows, method="measured") -> Prediction:
    """Held if the IPC round trip (µs) fell at least 10× more than a measured disk access over the
    same years; did-not-hold if the disk fell as much as the IPC; untested (``mixed``) without a
    measured disk at both ends."""
    from ipcmodel.history.rules import _fit_window, _ipc_then_now  # rules imports this module

    pid, sec, text = _P_DISKS
    try:
        if method == "fit":
            from ipcmodel.history.fits import fit_trend

            fu = fit_trend("ipc", "us", rows)
            y0, y1 = _fit_window(fu)
            ipc_fall = fu(y0).value / fu(y1).value
        else:
            a, b = _ipc_then_now(rows, method, "us")
            y0, y1 = _THEN, _NOW
            ipc_fall = a.value / b.value
    except ValueError as err:
        return _na(pid, sec, text, ("Bershad92",), f"Too few IPC rows to apply the rule: {err}")
    then, now = device_of_year("disk", y0), device_of_year("disk", y1)
    keys = _keys("Bershad92", *_disk_sources(now), *_sources(history_rows("ipc", rows)))
    how = "fitted" if method == "fit" else "measured"
    if now.value_us is None:
        return _na(pid, sec, text, keys, f"No measured disk access for {y1}: {now.note}.")
    if then.value_us is not None:
        disk_fall = then.value_us / now.value_us
        verdict = ("held" if ipc_fall >= 10 * disk_fall else
                   "did-not-hold" if disk_fall >= ipc_fall else "mixed")
        why = (f"{y0}–{y1} IPC fell {ipc_fall:.0f}× ({how}), the measured disk access {disk_fall:.2g}× "
               f"({_disk_text(then)} → {_disk_text(now)})")
        figure = f"IPC ÷{ipc_fall:.0f} vs disk ÷{disk_fall:.2g} ({y0}→{y1})"
    else:
        held_us, fail_us = now.value_us * ipc_fall / 10, now.value_us * ipc_fall
        verdict = "mixed"
        why = (f"{y0}–{y1} IPC fell {ipc_fall:.0f}× ({how}); the disk of {y1} is measured ({_disk_text(now)}) "
               f"but no disk access of {y0} is in data/, so the rule is untested: it would hold for any "
               f"{y0} disk access up to {_ms(held_us)} and fail only above {_ms(fail_us)}; {_seek_words(y0)}; "
               f"{_scott_words(y0)}")
        figure = f"IPC ÷{ipc_fall:.0f} ({y0}→{y1}); disk {now.value_us / 1000:.4g} ms, no {y0} disk: untested"
    return Prediction(
        pid, sec, text, keys, verdict,
        f"Rule: held if IPC round-trip µs improved at least 10× more than a measured disk access (seek + "
        f"rotation) over the same years, did-not-hold if the disk improved as much, untested (mixed) "
        f"without a measured disk at both ends; {why}.", figure)


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
    """Held if the IPC's share IPC ÷ (IPC + device) shrank for a measured disk access and for the
    fastest measured device; did-not-hold if it shrank for neither; a part without a measured device
    at both ends is untested, and the verdict is then ``held`` never (``mixed`` at best)."""
    pid, sec, text = _P_SHARE
    then_dev = _device_rows_us(rows, (_THEN - 1, _THEN + 1))
    now_dev = _device_rows_us(rows, (2015, _NOW))
    if not then_dev or not now_dev:
        return _na(pid, sec, text, ("Bershad92",),
                   "Too few dated device rows around 1992 or since 2015 to apply the rule.")
    dev0 = min(then_dev, key=lambda t: t[1])
    dev1 = min(now_dev, key=lambda t: t[1])
    now = dev1[2]
    try:
        ipc0 = estimate_for_year("ipc_round_trip_us", _THEN, rows, method=method)
        ipc1 = estimate_for_year("ipc_round_trip_us", now, rows, method=method)
    except ValueError as err:
        return _na(pid, sec, text, ("Bershad92",), f"Too few IPC rows to apply the rule: {err}")
    disk0, disk1 = device_of_year("disk", _THEN), device_of_year("disk", now)
    shares = {"fastest device": (_share(ipc0.value, dev0[1]), _share(ipc1.value, dev1[1]))}
    untested = []
    if disk0.value_us is not None and disk1.value_us is not None:
        shares["disk"] = (_share(ipc0.value, disk0.value_us), _share(ipc1.value, disk1.value_us))
    else:
        missing = _THEN if disk0.value_us is None else now
        words = ""
        if disk0.value_us is None and disk1.value_us is not None:
            s1 = _share(ipc1.value, disk1.value_us)
            words = (f" (in {now} the IPC is {100 * s1:.2g}% of an access to the {_disk_text(disk1)}; the share "
                     f"shrank for any {_THEN} disk access below {_ms(ipc0.value * (1 - s1) / s1)})")
        untested.append(f"disk: untested, no measured disk access of {missing} in data/{words}")
    down = [k for k, (a, b) in shares.items() if b < a]
    if untested:
        verdict = "mixed"
    else:
        verdict = "held" if len(down) == len(shares) else ("did-not-hold" if not down else "mixed")
    bypass = dev1[0] in _KERNEL_BYPASS_ROWS
    txt = "; ".join([f"{k} {100 * a:.2g}% → {100 * b:.2g}%" for k, (a, b) in shares.items()] + untested)
    return Prediction(
        pid, sec, text,
        _keys("Bershad92", *_disk_sources(disk1), *_sources(r for r in history_rows(rows=rows)
                                                            if r.id in (dev0[0], dev1[0])),
              *_sources(history_rows("ipc", rows))), verdict,
        f"Rule: held if a round-trip IPC ({ipc0.value:.3g} µs {ipc0.basis} in {_THEN}, {ipc1.value:.2g} µs "
        f"{ipc1.basis} in {now}, the year of the newest fast device) shrank as a share IPC ÷ (IPC + device) "
        f"of both a measured disk access and the fastest measured device ({dev0[0]}, then {dev1[0]}"
        + (", a replication latency, an upper bound of a round trip, so its share is a lower bound" if bypass else "")
        + f"), untested (mixed) where a device has no measured row at both ends; share of {txt} (the IPC's "
        f"share of the access, not section 5's overhead (IPC − system call) ÷ (IPC + device); "
        + ("the two ends are different kinds of device, an in-kernel UDP round trip then a kernel-bypass "
           "replication latency, so the rise is partly a change of device" if bypass else "the same formula "
           "at both ends") + ").",
        f"share of {txt} ({_THEN}→{now})")


def _p_no_hardware_firewall(rows, method="measured") -> Prediction:
    """Held if every kernel-bypass round trip beats the kernel-path round trips *of its era*
    (:func:`ipcmodel.history.devices.network_eras`, within ``DEVICE_WINDOW_YEARS``); did-not-hold
    if none does; ``mixed`` when no bypass row has a kernel-path row of its era (untested)."""
    eras = network_eras(rows=rows)
    by_id = {e["id"]: e for e in eras}
    byp = [e for e in eras if e["path"] == "bypass"]
    pairs = [(b, by_id[o]) for b in byp for o in b["comparable_with"]]
    ids = ", ".join(e["id"] for e in byp)
    if pairs:
        wins = [b["value_us"] < o["value_us"] for b, o in pairs]
        verdict = "held" if all(wins) else ("did-not-hold" if not any(wins) else "mixed")
        why = "; ".join(f"{b['id']} ({b['year']}) {b['value_us']:g} µs vs {o['id']} ({o['year']}) "
                        f"{o['value_us']:g} µs" for b, o in pairs)
        figure = f"{sum(wins)} of {len(pairs)} same-era pairs: bypass faster"
    elif byp:
        kern = sorted(e["year"] for e in eras if e["path"] == "kernel")
        verdict = "mixed"
        why = (f"untested: the kernel-bypass row{'s' if len(byp) != 1 else ''} ({ids}: a replication latency, "
               f"an upper bound of a round trip) ha{'ve' if len(byp) != 1 else 's'} no kernel-path network "
               f"round trip within {DEVICE_WINDOW_YEARS} years in data/ (kernel-path rows: "
               f"{', '.join(str(y) for y in dict.fromkeys(kern)) or 'none'}), and rows of different eras are "
               "not compared")
        figure = f"no same-era kernel-path row for {ids}"
    else:
        verdict, why, figure = "mixed", "untested: no kernel-bypass network row in data/", "—"
    return Prediction(
        "services-leave-hardware-firewall", "5",
        "§5: the clock \"can be mapped directly into user address spaces\"; protocols can run in the "
        "applications' address spaces.",
        ("Bershad92", "vdso7", "eRPC19", "MaedaBershad92"), verdict,
        f"Rule: held if user-level (kernel-bypass) networking beats the kernel path measured in the same "
        f"era (within {DEVICE_WINDOW_YEARS} years); {why}; Linux's vDSO maps the clock into every process, "
        f"as §5 proposed (qualitative, not part of the verdict).", figure)


def _p_network_latency(rows, method="measured") -> Prediction:
    post = [(r, round_trip_us(r).value) for r in history_rows("network", rows) if r.year >= 2000]
    recent = [(r, v) for r, v in post if r.id not in _CONSTANT_ROWS]  # critic C4 H3: measured rows only
    consts = [f"{r.id} {v:.3g} µs" for r, v in post if r.id in _CONSTANT_ROWS]
    slow = [r.id for r, v in recent if v >= 100]
    fast = [r.id for r, v in recent if v < 100]
    if not recent:
        verdict, why = "mixed", "no network round trip measured after 2000, so the evidence is too thin"
    elif not fast:
        verdict, why = "held", f"every measured post-2000 round trip is ≥ 100 µs ({', '.join(slow)})"
    elif not slow:
        kind = (", kernel-bypass RPC, a replication latency and so an upper bound of one round trip"
                if all(i in _KERNEL_BYPASS_ROWS for i in fast) else "")
        verdict, why = "did-not-hold", (f"every measured post-2000 round trip is < 100 µs ({', '.join(fast)}: "
                                        f"{min(v for _, v in recent):.3g} µs{kind})")
    else:
        verdict = "mixed"
        why = f"measured post-2000 round trips on both sides of 100 µs ({', '.join(slow)}; {', '.join(fast)})"
    if consts:
        why += (f"; not counted: {', '.join(consts)}, a rule-of-thumb constant, not a measurement, and no "
                "readable source gives a modern round trip through an ordinary kernel")
    figure = (f"measured post-2000 round trips {min(v for _, v in recent):.3g}–{max(v for _, v in recent):.3g} µs"
              if recent else "—")
    return Prediction(
        "network-latency-stays-high", "2",
        "§2: \"core network latency remains on the order of several hundred microseconds\".",
        _keys(*_sources(history_rows("network", rows))), verdict,
        f"Rule: held if all network round trips measured since 2000 are ≥ 100 µs, did-not-hold if all are "
        f"below, else mixed; {why}.", figure)
