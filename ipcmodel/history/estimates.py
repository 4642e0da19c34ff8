"""The machine and devices of a year, and plot-ready points that trace to data rows.

:func:`estimate_for_year` / :func:`machine_of_year` give the quantities a regime map needs for
one year (measured rows within ±1 year where they exist, else a fitted trend; a device from the
newest measured row within :data:`~ipcmodel.history.devices.DEVICE_WINDOW_YEARS`, else a Scott formula
flagged ``"formula"``), each with its basis; :func:`history_points` gives arrays for plots, every point with the
id of its row (or ``"Scott:<function>"`` for formula points).

IPC and system call are only ever compared on the same machine: :func:`same_machine_pairs`
finds the machines with both an IPC and a system-call row (the paper's 1992 DECstations and
CVax, the 2025 L4Re Arm and x86 machines). An IPC round trip enters the kernel at least twice (call and
reply), so on one machine it cannot be cheaper than one system call; the system-call rows of
*other* machines (lmbench, Linux ``getpid``) are never used as the baseline of an IPC.
:func:`ipcmodel.history.devices.device_shown` says from which year a device class has data.

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ipcmodel import units
from ipcmodel.history.fits import evaluate_trend, fit_loglinear, fit_trend
from ipcmodel.history.pairs import Pair, machine_label, same_machine_pairs
from ipcmodel.history.points import Estimate, HistoryPoints, history_points
from ipcmodel.history.rows import (
    HistoryRow,
    _one_year,
    _try,
    history_rows,
    round_trip_cycles,
    round_trip_us,
)
from ipcmodel.history.scott import (
    scott_clock_mhz,
    scott_disk_seek_ns,
    scott_in_range,
    scott_miss_penalty_cycles,
    scott_ssd_read_ns,
)

__all__ = [
    "HistoryPoints",
    "Estimate",
    "MACHINE_QUANTITIES",
    "history_points",
    "estimate_for_year",
    "machine_of_year",
    "METHODS",
    "ipc_cycles_estimate",
    "ipc_cycles_for_year",
    "clock_for_year",
]

#: The quantities of :func:`machine_of_year`, in order.
MACHINE_QUANTITIES = ("ipc_round_trip_us", "syscall_us", "ipc_syscall_ratio", "miss_penalty_cycles",
                       "disk_us", "ssd_us", "network_us")


def _pairs_near(year, rows):
    return [p for p in same_machine_pairs(rows) if abs(p.year - year) <= 1]


def _median_pair(pairs: list[Pair]) -> Pair:
    """The pair with the median ratio (the lower middle one for an even count)."""
    return sorted(pairs, key=lambda p: p.ratio)[(len(pairs) - 1) // 2]


def _ratio_estimate(year, rows) -> Estimate:
    near = _pairs_near(year, rows)
    q = "ipc_syscall_ratio"
    if near:
        ids = tuple(i for p in near for i in (p.ipc_id, p.syscall_id))
        r = [p.ratio for p in near]
        return Estimate(q, year, float(np.median(r)), "ratio", "measured", False,
                        ids, f"median of {len(near)} same-machine pair(s) within ±1 year", min(r), max(r), len(r))
    pairs = same_machine_pairs(rows)
    if not pairs:
        raise ValueError("no machine has both an IPC and a system-call row, so no same-machine "
                         "IPC/system-call ratio can be estimated")
    ids = tuple(i for p in pairs for i in (p.ipc_id, p.syscall_id))
    fit = fit_loglinear([p.year for p in pairs], [p.ratio for p in pairs], series="ipc_syscall_ratio",
                        unit="ratio", row_ids=ids)
    tv = evaluate_trend(fit, year)
    basis = "extrapolated" if tv.extrapolated else "fitted"
    return Estimate(q, year, float(tv.value), "ratio", basis, bool(tv.extrapolated), ids,
                    f"assumed: log-linear trend of the {fit.n_points} same-machine pairs {fit.first_year}–"
                    f"{fit.last_year}, none within ±1 year" + (", extrapolated" if tv.extrapolated else ""),
                    fit=True)


#: How the IPC of a year is obtained: ``"measured"`` (rows within ±1 year where there are any, the
#: fit only for years without rows) or ``"fit"`` (the log-linear trend for every year: a sensitivity
#: choice of the audit, never the default).
METHODS = ("measured", "fit")


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    return method


def _ipc_estimate(year, rows, method: str = "measured") -> Estimate:
    """The IPC round trip (µs) of ``year``: measured rows within ±1 year, else a fitted trend.

    Measured: the same-machine pair with the median IPC/system-call ratio when a pair has µs values
    (1991–1993: the paper's DECstation 5000/200), else the median of the IPC rows with a µs value,
    else the median of the rows measured in cycles (no clock in the source) at Scott's clock of the
    year. ``low``/``high`` are the min/max of the rows behind the value (in µs).
    """
    q = "ipc_round_trip_us"
    if _check_method(method) == "measured":
        vals, ids = _measured("ipc", "us", year, rows)
        near = [p for p in _pairs_near(year, rows) if p.ipc_us is not None and p.syscall_us is not None]
        if near:
            p = _median_pair(near)
            return Estimate(q, year, float(p.ipc_us), "us", "measured", False, (p.ipc_id,),
                            f"{p.machine}, {p.year}: of {len(near)} same-machine pair(s) within ±1 year, "
                            f"the one with the median IPC/system-call ratio; spread of the {len(vals)} IPC "
                            "row(s) within ±1 year", min(vals), max(vals), len(vals))
        if vals:
            return Estimate(q, year, float(np.median(vals)), "us", "measured", False, tuple(ids),
                            f"median of {len(vals)} row(s) within ±1 year (min–max their spread)",
                            min(vals), max(vals), len(vals))
        cyc, cids = _measured("ipc", "cycles", year, rows)
        if cyc and scott_in_range(year):
            mhz = float(scott_clock_mhz(year))
            v = [c / mhz for c in cyc]
            return Estimate(q, year, float(np.median(v)), "us", "measured", False, tuple(cids),
                            f"formula-clocked: median of {len(cyc)} row(s) within ±1 year measured in cycles, "
                            f"whose sources give no clock, converted to µs at Scott's formula clock of the "
                            f"year ({mhz:.4g} MHz), not a stated clock", min(v), max(v), len(v),
                            formula_clock=True)
    return _from_trend(q, "ipc", year, rows)


def ipc_cycles_estimate(year: int, rows: Sequence[HistoryRow] | None = None, *,
                        method: str = "measured") -> Estimate:
    """The IPC round trip of ``year`` in cycles, as an :class:`Estimate` (quantity
    ``"ipc_round_trip_cycles"``, unit ``"cycles"``).

    Measured (rows within ±1 year): the paper's machine of 1991–1993 at its own clock (the pair
    :func:`estimate_for_year` uses), else the median of the rows' own cycle counts (one-way figures
    doubled), with their min/max as ``low``/``high``. Otherwise (no rows, or ``method="fit"``) the
    µs estimate at Scott's clock of the year, flagged ``fit``.

    Parameters
    ----------
    year : int
        Calendar year in :data:`YEAR_RANGE`.
    method : {"measured", "fit"}
        ``"fit"`` reads every year off the trend, even where rows exist.
    """
    y = _one_year(year)
    q = "ipc_round_trip_cycles"
    e = _ipc_estimate(y, rows, method)
    if e.basis == "measured":
        cyc, ids = _measured("ipc", "cycles", y, rows)
        by_id = {r.id: r for r in history_rows("ipc", rows)}
        if len(e.row_ids) == 1 and e.row_ids[0] in by_id and _try(round_trip_cycles, by_id[e.row_ids[0]]):
            r = by_id[e.row_ids[0]]
            return Estimate(q, y, float(round_trip_cycles(r).value), "cycles", "measured", False, e.row_ids,
                            f"at the {machine_label(r)}'s own clock ({r.clock_mhz:g} MHz); spread of the "
                            f"{len(cyc)} row(s) within ±1 year", min(cyc), max(cyc), len(cyc))
        if cyc:
            return Estimate(q, y, float(np.median(cyc)), "cycles", "measured", False, tuple(ids),
                            f"median of {len(cyc)} row(s) within ±1 year at their own cycle counts",
                            min(cyc), max(cyc), len(cyc))
    mhz = float(scott_clock_mhz(y))
    return Estimate(q, y, float(units.us_to_cycles(e.value, mhz)), "cycles", e.basis, e.extrapolated,
                    e.row_ids, f"{e.note}; formula-clocked: at Scott's formula clock of the year ({mhz:.4g} MHz)",
                    fit=e.fit, formula_clock=True)


def _syscall_estimate(year, rows, method: str = "measured") -> Estimate:
    """The system call of the IPC's own machine: the pair's row, else IPC ÷ same-machine ratio."""
    ipc = _ipc_estimate(year, rows, method)
    q = "syscall_us"
    for p in _pairs_near(year, rows):
        if p.ipc_id in ipc.row_ids and len(ipc.row_ids) == 1 and p.syscall_us is not None:
            return Estimate(q, year, float(p.syscall_us), "us", "measured", False, (p.syscall_id,),
                            f"{p.machine}, {p.year}: the same machine as the IPC")
    ratio = _ratio_estimate(year, rows)
    basis = ("extrapolated" if ipc.extrapolated or ratio.extrapolated else
             "measured" if ipc.basis == ratio.basis == "measured" else "fitted")
    clocked = "; the IPC is formula-clocked" if ipc.formula_clock else ""
    return Estimate(q, year, ipc.value / ratio.value, "us", basis, basis == "extrapolated",
                    tuple(dict.fromkeys(ratio.row_ids + ipc.row_ids)),
                    f"derived, not measured on the IPC's machine: the IPC of the year ÷ {ratio.value:.2g}, "
                    f"the IPC/system-call ratio of machines measured in pairs ({ratio.note}){clocked}",
                    fit=ipc.fit or ratio.fit, formula_clock=ipc.formula_clock, derived=True)


def ipc_cycles_for_year(year: int, rows: Sequence[HistoryRow] | None = None) -> tuple[float, str]:
    """The IPC round trip of ``year`` in cycles, and how it was obtained (:func:`ipc_cycles_estimate`).

    1992: the DECstation 5000/200's 57 µs × 25 MHz; a year with measured rows: the median of their
    own cycle counts; otherwise the µs estimate at Scott's processor clock of the year.
    """
    e = ipc_cycles_estimate(year, rows)
    return e.value, e.note


def clock_for_year(year: int, rows: Sequence[HistoryRow] | None = None) -> float:
    """The clock (MHz) that goes with the IPC of ``year``: :func:`ipc_cycles_for_year` ÷ the IPC µs.

    The measured machine's own clock where there is one (1992: 25 MHz), else Scott's clock.
    """
    y = _one_year(year)
    return ipc_cycles_estimate(y, rows).value / _ipc_estimate(y, rows).value


def _miss_penalty_estimate(year, rows) -> Estimate:
    """The IPC machine's own miss-penalty row within ±1 year, else the median of the rows, else Scott."""
    q = "miss_penalty_cycles"
    vals, ids = _measured("miss_penalty", "cycles", year, rows)
    if vals:
        ipc = _ipc_estimate(year, rows)
        machines = {r.machine for r in history_rows("ipc", rows) if r.id in ipc.row_ids}
        own = [r for r in history_rows("miss_penalty", rows)
               if r.id in ids and ipc.basis == "measured" and len(ipc.row_ids) == 1 and r.machine in machines]
        if own:
            sim = ("; a parameter of its source's memory-system simulation, not a measurement "
                   f"{own[0].cite()}" if "simulation" in own[0].locator.lower() else "")
            return Estimate(q, year, float(round_trip_cycles(own[0]).value), "cycles", "measured", False,
                            (own[0].id,), f"{machine_label(own[0])}, the same machine as the IPC{sim}")
        return Estimate(q, year, float(np.median(vals)), "cycles", "measured", False,
                        tuple(ids), f"median of {len(vals)} row(s) within ±1 year", min(vals), max(vals), len(vals))
    return Estimate(q, year, float(scott_miss_penalty_cycles(year)), "cycles", "formula",
                    not scott_in_range(year), ("Scott:getMemLatency", "Scott:getCycle"),
                    "Scott memory reference ÷ cycle time")


def _measured(series, unit, year, rows):
    fn = {"us": round_trip_us, "cycles": round_trip_cycles}[unit]
    vals, ids = [], []
    for r in history_rows(series, rows):
        if abs(r.year - year) <= 1:
            nv = _try(fn, r)
            if nv is not None:
                vals.append(nv.value)
                ids.append(r.id)
    return vals, ids


def _from_trend(quantity, series, year, rows):
    """The µs trend inside its span, else the cycles trend inside its span at the Scott clock of the
    year, else the extrapolated µs trend; always flagged ``fit``."""
    fit = fit_trend(series, "us", rows)
    tv = evaluate_trend(fit, year)
    span = f"{fit.first_year}–{fit.last_year}, {fit.n_points} rows"
    if not tv.extrapolated:
        return Estimate(quantity, year, tv.value, "us", "fitted", False, fit.row_ids,
                        f"log-linear µs trend over {span}", fit=True)
    try:
        fc = fit_trend(series, "cycles", rows)
    except ValueError:
        fc = None
    if fc is not None:
        tc = evaluate_trend(fc, year)
        if not tc.extrapolated and scott_in_range(year):
            mhz = float(scott_clock_mhz(year))
            return Estimate(quantity, year, float(units.cycles_to_us(tc.value, mhz)), "us", "fitted",
                            False, fc.row_ids,
                            f"formula-clocked: log-linear cycles trend over {fc.first_year}–{fc.last_year} "
                            f"({fc.n_points} rows) ÷ Scott's formula clock {mhz:g} MHz (no µs rows this late)",
                            fit=True, formula_clock=True)
    return Estimate(quantity, year, tv.value, "us", "extrapolated", True, fit.row_ids,
                    f"log-linear µs trend over {span}, extrapolated", fit=True)


def _scott_dc_rtt_row(rows) -> HistoryRow:
    for pool in (history_rows("network", rows), history_rows("network")):
        for r in pool:
            if r.id == "scott-dc-rtt":
                return r
    raise ValueError("the Scott datacenter round-trip row 'scott-dc-rtt' is missing from data/history.csv")


def estimate_for_year(quantity: str, year: int, rows: Sequence[HistoryRow] | None = None, *,
                      method: str = "measured") -> Estimate:
    """One quantity of "the machine and devices of ``year``".

    Parameters
    ----------
    quantity : str
        ``"ipc_round_trip_us"``: the IPC of a same-machine pair within ±1 year (the pair with
        the median IPC/system-call ratio; 1991–1993: the paper's DECstation 5000/200), else
        the median of the IPC rows within ±1 year, else the µs trend inside its span, else the
        cycles trend inside its span at the Scott clock of the year, else the extrapolated µs
        trend (flagged).
        ``"syscall_us"``: the system call *of the same machine*: the pair's own row, else the
        IPC ÷ ``"ipc_syscall_ratio"`` (never a system call measured on another machine).
        ``"ipc_syscall_ratio"``: median ratio of the same-machine pairs within ±1 year, else a
        log-linear trend through all pairs (an assumption, said so in the note).
        ``"miss_penalty_cycles"``: the IPC machine's own row within ±1 year (1992: the
        DECstation 5000/200's 15 cycles), else the median of the rows within ±1 year, else Scott's
        memory ÷ cycle formula.
        ``"disk_us"``, ``"ssd_us"``, ``"network_us"``: the device of the year from measured rows:
        rows within ±1 year (SSD, network), else the newest measured row within
        :data:`ipcmodel.history.devices.DEVICE_WINDOW_YEARS` before ``year``
        (:func:`ipcmodel.history.devices.device_of_year`: the datasheet disk's seek + rotation, the
        SSD reads, the kernel-path network round trip), ``basis`` ``"measured"``. Only a year with
        no such row falls back on Scott's formula (disk seek + rotation, SSD read, his constant
        datacenter round trip), ``basis`` ``"formula"``: an extrapolation, never shown as a device
        (:func:`ipcmodel.history.devices.device_shown` hides it and says why).
    year : int
        Calendar year in :data:`YEAR_RANGE`.
    rows : sequence of HistoryRow, optional
        Data to use instead of the shipped rows.
    method : {"measured", "fit"}
        ``"measured"`` (default): rows within ±1 year where a year has them (the median, with
        ``low``/``high`` their spread), a trend only for years without rows; ``"fit"``: the IPC
        (and so the system call) of every year off the log-linear trend, a sensitivity choice.
    """
    y = _one_year(year)
    _check_method(method)
    if quantity == "ipc_round_trip_us":
        return _ipc_estimate(y, rows, method)
    if quantity == "syscall_us":
        return _syscall_estimate(y, rows, method)
    if quantity == "ipc_syscall_ratio":
        return _ratio_estimate(y, rows)
    outside = not scott_in_range(y)
    if quantity == "network_us":
        vals, ids = _measured("network", "us", y, rows)
        if vals:
            from ipcmodel.history.devices import _FACTS_LABELS  # devices imports this module

            what = "; ".join(_FACTS_LABELS[i] for i in ids if i in _FACTS_LABELS)
            return Estimate(quantity, y, float(np.median(vals)), "us", "measured", False, tuple(ids),
                            f"median of {len(vals)} row(s) within ±1 year" + (f": {what}" if what else ""),
                            min(vals), max(vals), len(vals))
        dev = _measured_device("network_kernel", quantity, y, rows)
        if dev is not None:
            return dev
        dc = _scott_dc_rtt_row(rows)
        return Estimate(quantity, y, round_trip_us(dc).value, "us", "formula", outside, (dc.id,),
                        "Scott's datacenter round trip, constant over the years (getDCRTT)")
    if quantity == "miss_penalty_cycles":
        return _miss_penalty_estimate(y, rows)
    if quantity == "ssd_us":
        vals, ids = _measured("ssd", "us", y, rows)
        if vals:
            return Estimate(quantity, y, float(np.median(vals)), "us", "measured", False, tuple(ids),
                            f"median of {len(vals)} row(s) within ±1 year", min(vals), max(vals), len(vals))
        dev = _measured_device("ssd", quantity, y, rows)
        if dev is not None:
            return dev
        return Estimate(quantity, y, float(scott_ssd_read_ns(y)) / 1000.0, "us", "formula", outside,
                        ("Scott:getSSDLatency",), "Scott SSD random read (as written)")
    if quantity == "disk_us":
        dev = _measured_device("disk", quantity, y, rows)
        if dev is not None:
            return dev
        return Estimate(quantity, y, float(scott_disk_seek_ns(y)) / 1000.0, "us", "formula", outside,
                        ("Scott:getSeek",), "Scott disk seek + rotation")
    raise ValueError(f"quantity must be one of {MACHINE_QUANTITIES}; got {quantity!r}")


def _measured_device(kind: str, quantity: str, year: int, rows) -> Estimate | None:
    """The newest measured device row within ``devices.DEVICE_WINDOW_YEARS`` before ``year`` (issue 11:
    never a formula value as a device of a year), or None."""
    from ipcmodel.history.devices import device_of_year  # devices imports this module

    d = device_of_year(kind, year, rows=None if kind == "disk" else rows)
    if d.value_us is None:
        return None
    return Estimate(quantity, year, d.value_us, "us", "measured", False, d.row_ids,
                    f"{d.label}: {d.note}", d.low_us, d.high_us, len(d.row_ids))


def machine_of_year(year: int, rows: Sequence[HistoryRow] | None = None, *,
                    method: str = "measured") -> dict[str, Estimate]:
    """All of :func:`estimate_for_year`'s quantities for ``year`` (for a regime map)."""
    y = _one_year(year)
    return {q: estimate_for_year(q, y, rows, method=method) for q in MACHINE_QUANTITIES}
