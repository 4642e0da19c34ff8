"""The machine and devices of a year, and plot-ready points that trace to data rows.

:func:`estimate_for_year` / :func:`machine_of_year` give the quantities a regime map needs for
one year (measured rows within ±1 year where they exist, else a fitted trend, else a Scott
formula), each with its basis; :func:`history_points` gives arrays for plots, every point with the
id of its row (or ``"Scott:<function>"`` for formula points).

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ipcmodel import units
from ipcmodel.history.fits import evaluate_trend, fit_trend
from ipcmodel.history.rows import (
    _NOW,
    _THEN,
    HistoryRow,
    _check_year,
    _try,
    history_rows,
    round_trip_cycles,
    round_trip_us,
)
from ipcmodel.history.scott import (
    SCOTT_YEAR_RANGE,
    scott_clock_mhz,
    scott_disk_seek_ns,
    scott_in_range,
    scott_memory_ns,
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
    "device_options",
]

@dataclass(frozen=True)
class HistoryPoints:
    """Plot-ready points; every point traces to a data row (``measured``) or a formula.

    ``value_us`` and ``value_cycles`` are masked arrays: a point is masked where its source
    gives no clock to convert with. Values are normalised (round trips where ``trip`` applies).
    ``ids`` holds the row id, or ``"Scott:<function>"`` for formula points.
    """

    quantity: str
    year: np.ndarray
    value_us: np.ma.MaskedArray
    value_cycles: np.ma.MaskedArray
    ids: np.ndarray
    measured: np.ndarray
    notes: np.ndarray


_FORMULA_US = {
    "disk": ("Scott:getSeek", lambda y: np.asarray(scott_disk_seek_ns(y)) / 1000.0),
    "ssd": ("Scott:getSSDLatency", lambda y: np.asarray(scott_ssd_read_ns(y)) / 1000.0),
    "memory": ("Scott:getMemLatency", lambda y: np.asarray(scott_memory_ns(y)) / 1000.0),
    "miss_penalty": ("Scott:getMemLatency/getCycle", lambda y: np.asarray(scott_memory_ns(y)) / 1000.0),
}


def history_points(quantity: str, *, include_formula: bool = False, years=None,
                   rows: Sequence[HistoryRow] | None = None) -> HistoryPoints:
    """Arrays (year, value_us, value_cycles, ids, measured) for one series.

    Parameters
    ----------
    quantity : str
        A series of :data:`SERIES`. ``"disk"`` has no data rows, only the Scott formula.
    include_formula : bool
        Also return Scott-formula points (``measured`` False) at ``years`` for the series that
        have a formula (disk, ssd, memory, miss_penalty).
    years : array_like, optional
        Years for formula points; default every year of :data:`SCOTT_YEAR_RANGE`.
    """
    data = history_rows(quantity, rows)
    yr, us, cy, ids, meas, notes = [], [], [], [], [], []
    for r in data:
        u, c = _try(round_trip_us, r), _try(round_trip_cycles, r)
        yr.append(r.year)
        us.append(np.nan if u is None else u.value)
        cy.append(np.nan if c is None else c.value)
        ids.append(r.id)
        meas.append(True)
        notes.append(u.note if u is not None else (c.note if c is not None else "not convertible"))
    if include_formula and quantity in _FORMULA_US:
        fy = np.arange(SCOTT_YEAR_RANGE[0], SCOTT_YEAR_RANGE[1] + 1) if years is None else \
            np.ravel(_check_year(years)).astype(int)
        name, fn = _FORMULA_US[quantity]
        fus = np.atleast_1d(fn(fy))
        fcy = fus * np.atleast_1d(scott_clock_mhz(fy))
        for y, u, c in zip(fy, fus, fcy, strict=True):
            yr.append(int(y))
            us.append(float(u))
            cy.append(float(c))
            ids.append(name)
            meas.append(False)
            notes.append("Scott formula; cycles at the Scott clock of the year")
    us_a = np.array(us, dtype=float)
    cy_a = np.array(cy, dtype=float)
    return HistoryPoints(quantity, np.array(yr, dtype=int),
                         np.ma.masked_invalid(us_a), np.ma.masked_invalid(cy_a),
                         np.array(ids, dtype=str), np.array(meas, dtype=bool),
                         np.array(notes, dtype=str))


@dataclass(frozen=True)
class Estimate:
    """A quantity for a given year and how it was obtained.

    ``basis`` is ``"measured"`` (data rows within ±1 year; the median), ``"fitted"`` (trend
    inside its span), ``"extrapolated"`` (trend outside its span) or ``"formula"`` (Scott).
    ``extrapolated`` is True for extrapolated trends and for formulas outside the page's years.
    """

    quantity: str
    year: int
    value: float
    unit: str
    basis: str
    extrapolated: bool
    row_ids: tuple[str, ...]
    note: str


#: The quantities of :func:`machine_of_year`, in order.
MACHINE_QUANTITIES = ("ipc_round_trip_us", "syscall_us", "miss_penalty_cycles",
                       "disk_us", "ssd_us", "network_us")


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


def _from_rows_or_trend(quantity, series, year, rows):
    """Measured (rows within ±1 year), else the µs trend inside its span, else the cycles trend
    inside its span at the Scott clock of the year, else the extrapolated µs trend."""
    vals, ids = _measured(series, "us", year, rows)
    if vals:
        return Estimate(quantity, year, float(np.median(vals)), "us", "measured", False, tuple(ids),
                        f"median of {len(vals)} row(s) within ±1 year")
    fit = fit_trend(series, "us", rows)
    tv = evaluate_trend(fit, year)
    span = f"{fit.first_year}–{fit.last_year}, {fit.n_points} rows"
    if not tv.extrapolated:
        return Estimate(quantity, year, tv.value, "us", "fitted", False, fit.row_ids,
                        f"log-linear µs trend over {span}")
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
                            f"log-linear cycles trend over {fc.first_year}–{fc.last_year} "
                            f"({fc.n_points} rows) ÷ Scott clock {mhz:g} MHz (no µs rows this late)")
    return Estimate(quantity, year, tv.value, "us", "extrapolated", True, fit.row_ids,
                    f"log-linear µs trend over {span}, extrapolated")


def _scott_dc_rtt_row(rows) -> HistoryRow:
    for pool in (history_rows("network", rows), history_rows("network")):
        for r in pool:
            if r.id == "scott-dc-rtt":
                return r
    raise ValueError("the Scott datacenter round-trip row 'scott-dc-rtt' is missing from data/history.csv")


def estimate_for_year(quantity: str, year: int, rows: Sequence[HistoryRow] | None = None) -> Estimate:
    """One quantity of "the machine and devices of ``year``".

    Parameters
    ----------
    quantity : str
        ``"ipc_round_trip_us"``, ``"syscall_us"`` (data rows, else trend),
        ``"miss_penalty_cycles"`` (data rows, else Scott memory ÷ cycle formula),
        ``"disk_us"`` (Scott seek + rotation formula), ``"ssd_us"`` (data rows, else Scott
        formula) or ``"network_us"`` (data rows, else Scott's constant datacenter round trip;
        the network trend mixes kernel and kernel-bypass stacks and is not extrapolated).
        IPC and system-call values come from rows within ±1 year, else the µs trend inside
        its span, else the cycles trend inside its span converted at the Scott clock of the
        year, else the extrapolated µs trend (flagged).
    year : int
        Calendar year in :data:`YEAR_RANGE`.
    """
    y = int(_check_year(year))
    if quantity == "ipc_round_trip_us":
        return _from_rows_or_trend(quantity, "ipc", y, rows)
    if quantity == "syscall_us":
        return _from_rows_or_trend(quantity, "syscall", y, rows)
    outside = not scott_in_range(y)
    if quantity == "network_us":
        vals, ids = _measured("network", "us", y, rows)
        if vals:
            return Estimate(quantity, y, float(np.median(vals)), "us", "measured", False, tuple(ids),
                            f"median of {len(vals)} row(s) within ±1 year")
        dc = _scott_dc_rtt_row(rows)
        return Estimate(quantity, y, round_trip_us(dc).value, "us", "formula", outside, (dc.id,),
                        "Scott's datacenter round trip, constant over the years (getDCRTT)")
    if quantity == "miss_penalty_cycles":
        vals, ids = _measured("miss_penalty", "cycles", y, rows)
        if vals:
            return Estimate(quantity, y, float(np.median(vals)), "cycles", "measured", False,
                            tuple(ids), f"median of {len(vals)} row(s) within ±1 year")
        return Estimate(quantity, y, float(scott_miss_penalty_cycles(y)), "cycles", "formula", outside,
                        ("Scott:getMemLatency", "Scott:getCycle"), "Scott memory reference ÷ cycle time")
    if quantity == "ssd_us":
        vals, ids = _measured("ssd", "us", y, rows)
        if vals:
            return Estimate(quantity, y, float(np.median(vals)), "us", "measured", False, tuple(ids),
                            f"median of {len(vals)} row(s) within ±1 year")
        return Estimate(quantity, y, float(scott_ssd_read_ns(y)) / 1000.0, "us", "formula", outside,
                        ("Scott:getSSDLatency",), "Scott SSD random read (as written)")
    if quantity == "disk_us":
        return Estimate(quantity, y, float(scott_disk_seek_ns(y)) / 1000.0, "us", "formula", outside,
                        ("Scott:getSeek",), "Scott disk seek + rotation")
    raise ValueError(f"quantity must be one of {MACHINE_QUANTITIES}; got {quantity!r}")


def machine_of_year(year: int, rows: Sequence[HistoryRow] | None = None) -> dict[str, Estimate]:
    """All of :func:`estimate_for_year`'s quantities for ``year`` (for a regime map)."""
    return {q: estimate_for_year(q, year, rows) for q in MACHINE_QUANTITIES}


def device_options(rows: Sequence[HistoryRow] | None = None) -> list[tuple[str, float, str]]:
    """Device service times for a dropdown: ``(name, device_us, citation)`` tuples.

    The measured device rows of data/history.csv (SSD reads, network round trips) and the
    Scott disk seek + rotation formula for 1992 and 2024. Used by ``ipcmodel.explore``.
    """
    out = []
    for series in ("ssd", "network"):
        for r in history_rows(series, rows):
            if r.file == "history.csv":
                what = "4 kB random read" if series == "ssd" else "round trip"
                out.append((f"{r.machine}: {what}, {r.year}", round_trip_us(r).value, r.cite()))
    for y in (_THEN, _NOW):
        out.append((f"Disk seek + rotation, {y} (Scott trend formula)",
                    float(scott_disk_seek_ns(y)) / 1000.0, "[Scott, interactive_latency.html, getSeek()]"))
    return out

