"""Plot-ready points of one history series (every point traces to a data row or a formula), and
the :class:`Estimate` record of one quantity of a year (used by :mod:`ipcmodel.history.estimates`).

:func:`history_points` gives arrays for plots, every point with the id of its row (or
``"Scott:<function>"`` for formula points). Re-exported by :mod:`ipcmodel.history.estimates`.

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ipcmodel.history.rows import (
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
    scott_memory_ns,
    scott_ssd_read_ns,
)

__all__ = ["Estimate", "HistoryPoints", "history_points"]


@dataclass(frozen=True)
class Estimate:
    """A quantity for a given year and how it was obtained.

    ``basis`` is ``"measured"`` (data rows within ±1 year; the median), ``"fitted"`` (trend
    inside its span), ``"extrapolated"`` (trend outside its span) or ``"formula"`` (Scott).
    ``extrapolated`` is True for extrapolated trends and for formulas outside the page's years.
    ``low``/``high`` are the min/max of the measured rows behind a ``"measured"`` value (same unit
    as ``value``; None otherwise) and ``n_rows`` their number; ``fit`` is True when the value is read
    off a log-linear trend (``basis`` ``"fitted"`` or ``"extrapolated"``), so a plot can draw it as a fit.
    ``formula_clock`` is True when the value was converted between cycles and µs with Scott's *formula*
    clock of the year because the rows' sources state no clock (e.g. the L4Re rows): the conversion is
    a formula, not a measurement, and the ``note`` says "formula-clocked". ``derived`` is True for a
    system call that was not measured on the IPC's machine but computed as the IPC ÷ the same-machine
    IPC/system-call ratio; its ``note`` says "derived".
    """

    quantity: str
    year: int
    value: float
    unit: str
    basis: str
    extrapolated: bool
    row_ids: tuple[str, ...]
    note: str
    low: float | None = None
    high: float | None = None
    n_rows: int = 0
    fit: bool = False
    formula_clock: bool = False
    derived: bool = False


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
        A series of :data:`SERIES`. ``"disk"`` has no series rows (the datasheet disk is
        :func:`ipcmodel.history.devices.disk_access`), only Scott's formula points, which are
        extrapolations (``measured`` False), never a device of a year.
    include_formula : bool
        Also return Scott-formula points (``measured`` False) at ``years`` for the series that
        have a formula (disk, ssd, memory, miss_penalty).
    years : array_like, optional
        Years for formula points; default every year of :data:`SCOTT_YEAR_RANGE`.
    """
    formula_years = None if years is None else np.ravel(_check_year(years, "years", integer=True)).astype(int)
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
        fy = np.arange(SCOTT_YEAR_RANGE[0], SCOTT_YEAR_RANGE[1] + 1) if years is None else formula_years
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
