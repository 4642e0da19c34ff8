"""Log-linear trends over the history series (least squares in log10 against the year).

Called ``fits`` rather than ``trends`` so that ``ipcmodel.history.fits`` is never confused with
:mod:`ipcmodel.trends` (the §2 / §2.1 model).

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ipcmodel import units
from ipcmodel.history.rows import (
    HistoryRow,
    _check_year,
    _try,
    history_rows,
    round_trip_cycles,
    round_trip_us,
)

__all__ = ["TrendFit", "TrendValue", "fit_loglinear", "fit_trend", "evaluate_trend"]


@dataclass(frozen=True)
class TrendValue:
    """A value read off a fitted trend; ``extrapolated`` is True outside the data's years."""

    value: float | np.ndarray
    extrapolated: bool | np.ndarray
    unit: str


@dataclass(frozen=True)
class TrendFit:
    """A log-linear least-squares fit ``log10(value) = intercept + slope * (year - 2000)``.

    Attributes
    ----------
    series, unit : str
        What was fitted (``unit`` is ``"us"`` or ``"cycles"``).
    slope_log10_per_year : float
        Change of log10(value) per year; ``10**slope`` is the factor per year.
    intercept_log10 : float
        log10(value) in the year 2000 on the fitted line.
    first_year, last_year : int
        Span of the data; values outside it are extrapolations.
    n_points : int
        Number of data points.
    row_ids : tuple of str
        The rows behind the fit.
    """

    series: str
    unit: str
    slope_log10_per_year: float
    intercept_log10: float
    first_year: int
    last_year: int
    n_points: int
    row_ids: tuple[str, ...]

    @property
    def factor_per_year(self) -> float:
        """Multiplicative change per year (< 1 means improving latency)."""
        return 10.0 ** self.slope_log10_per_year

    def __call__(self, year) -> TrendValue:
        return evaluate_trend(self, year)


_REF_YEAR = 2000.0


def fit_loglinear(years, values, *, series: str = "custom", unit: str = "us",
                  row_ids: Sequence[str] = ()) -> TrendFit:
    """Least-squares fit of ``log10(values)`` against year.

    Parameters
    ----------
    years : array_like
        Calendar years, in :data:`YEAR_RANGE`; at least two distinct years.
    values : array_like
        Positive values (any one unit, named by ``unit``).

    Raises
    ------
    ValueError
        On fewer than two distinct years, non-positive values, or years outside the range.
    """
    y = np.ravel(_check_year(years, "years"))
    v = np.ravel(units.check_positive("values", values, unit))
    if y.shape != v.shape:
        raise ValueError(f"years and values must have the same length; got {y.size} and {v.size}")
    if np.unique(y).size < 2:
        raise ValueError(f"years (calendar year) must hold at least two distinct years to fit a "
                         f"trend for {series!r}; got {sorted(set(y.tolist()))}")
    slope, intercept = np.polyfit(y - _REF_YEAR, np.log10(v), 1)
    return TrendFit(series, unit, float(slope), float(intercept), int(y.min()), int(y.max()),
                    int(y.size), tuple(row_ids))


def _series_values(series: str, unit: str, rows=None) -> tuple[list[int], list[float], list[str]]:
    fn = {"us": round_trip_us, "cycles": round_trip_cycles}[unit]
    ys, vs, ids = [], [], []
    for r in history_rows(series, rows):
        nv = _try(fn, r)
        if nv is not None:
            ys.append(r.year)
            vs.append(nv.value)
            ids.append(r.id)
    return ys, vs, ids


def fit_trend(series: str, unit: str = "us", rows: Sequence[HistoryRow] | None = None) -> TrendFit:
    """Log-linear trend of one series, in µs or in cycles, over the rows that can be converted.

    Values are normalised first (:func:`round_trip_us` / :func:`round_trip_cycles`): one-way
    figures doubled, cycles converted with each row's own clock. Rows without a clock drop
    out of the other unit's fit.

    Parameters
    ----------
    series : str
        One of :data:`SERIES`.
    unit : {"us", "cycles"}
    rows : sequence of HistoryRow, optional
        Use these rows instead of the shipped data.
    """
    if unit not in ("us", "cycles"):
        raise ValueError(f"unit must be 'us' or 'cycles'; got {unit!r}")
    ys, vs, ids = _series_values(series, unit, rows)
    if not ys:
        raise ValueError(f"series {series!r} has no rows convertible to {unit}")
    return fit_loglinear(ys, vs, series=series, unit=unit, row_ids=ids)


def evaluate_trend(fit: TrendFit, year) -> TrendValue:
    """The fitted value at ``year`` (scalar or array), flagged where outside the fit's span."""
    y = _check_year(year)
    value = 10.0 ** (fit.intercept_log10 + fit.slope_log10_per_year * (y - _REF_YEAR))
    extra = (y < fit.first_year) | (y > fit.last_year)
    if np.ndim(y) == 0:
        return TrendValue(float(value), bool(extra), fit.unit)
    return TrendValue(value, extra, fit.unit)

