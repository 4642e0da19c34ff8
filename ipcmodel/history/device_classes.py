"""Which device classes a year's map may show, and every cited device time (no formula value).

Split from :mod:`ipcmodel.history.devices` (the devices of a year), which it builds on: a class is
shown from the year of its first measured row and only where the year's estimate is measured
(issue 11). Used by :mod:`ipcmodel.history.years`.

Part of :mod:`ipcmodel.history` (import from there, or from this module). numpy only; nothing
happens on import.
"""

from __future__ import annotations

from collections.abc import Sequence

from ipcmodel.history.devices import (
    _DEVICE_SERIES,
    _FACTS_LABELS,
    _NAMES,
    device_of_year,
    disk_access,
)
from ipcmodel.history.estimates import estimate_for_year
from ipcmodel.history.pairs import machine_label
from ipcmodel.history.rows import (
    _KERNEL_BYPASS_ROWS,
    HistoryRow,
    _one_year,
    history_rows,
    round_trip_us,
)
from ipcmodel.history.scott import SCOTT_YEAR_RANGE

__all__ = ["device_first_year", "device_shown", "bypass_first_year", "device_options"]

def device_first_year(quantity: str, rows: Sequence[HistoryRow] | None = None) -> int:
    """First year a device class has a measured row (disk: the first drive with a datasheet seek and
    rotation, :func:`disk_access`); the first year of Scott's slider when there is none."""
    if quantity not in _DEVICE_SERIES:
        raise ValueError(f"quantity must be one of {list(_DEVICE_SERIES)}; got {quantity!r}")
    if quantity == "disk_us":
        years = [d.year for d in disk_access()]
    else:
        years = [r.year for r in history_rows(_DEVICE_SERIES[quantity], rows)]
    return min(years) if years else SCOTT_YEAR_RANGE[0]


def device_shown(quantity: str, year: int, rows: Sequence[HistoryRow] | None = None) -> tuple[bool, str]:
    """Whether a device class can be placed in ``year``, and why not.

    A class is shown from the year of its first measured row (network 1992, SSD 2017), and only
    where the year's estimate is measured: a formula value (Scott's disk, his SSD curve, his
    constant datacenter round trip) is an extrapolation, never a device of a year (issue 11).
    :func:`device_of_year` gives the newest measured value instead.
    """
    y = _one_year(year)
    first = device_first_year(quantity, rows)
    name = _NAMES[quantity]
    formula_range = f"Scott's {name} formula covers {SCOTT_YEAR_RANGE[0]}–{SCOTT_YEAR_RANGE[1]} only"
    if y < first:
        if quantity == "disk_us" and disk_access():
            return False, (f"no disk with a cited seek and rotation before {first} ({formula_range}, and it is "
                           "an extrapolation, not a device)")
        has_rows = bool(history_rows(_DEVICE_SERIES[quantity], rows))
        return False, f"no {name} row before {first}" if has_rows else formula_range
    e = estimate_for_year(quantity, y, rows)
    if e.basis == "formula":
        kind = {"disk_us": "disk", "ssd_us": "ssd", "network_us": "network_kernel"}[quantity]
        d = device_of_year(kind, y, rows=rows if kind != "disk" else None)
        measured = (f"; measured: {d.value_us:.4g} µs ({d.measured_year}, {', '.join(d.row_ids)})"
                    if d.value_us is not None else f"; {d.note}")
        extra = f", {formula_range}" if e.extrapolated else ""
        if all(i.startswith("Scott:") for i in e.row_ids):
            what = f"only a trend formula gives a {name} time for {y} ({', '.join(e.row_ids)}: an extrapolation"
        else:  # Scott's constant datacenter round trip, a 2002 figure carried forward by the page
            what = (f"only Scott's constant gives a {name} time for {y} ({', '.join(e.row_ids)}, carried forward "
                    "from an older figure")
        return False, f"{what}, not a device{extra}){measured}"
    return True, ""


def bypass_first_year(rows: Sequence[HistoryRow] | None = None) -> int | None:
    """Year of the first kernel-bypass (user-level protocol) row; None if there is none."""
    years = [r.year for r in history_rows("network", rows) if r.id in _KERNEL_BYPASS_ROWS]
    return min(years) if years else None


def device_options(rows: Sequence[HistoryRow] | None = None) -> list[tuple[str, float, str, int]]:
    """Every cited device time: ``(name, device_us, citation, year)`` tuples; no formula value.

    The measured device rows (SSD reads; network round trips, including the paper-era Mach 2.5
    UDP round trip of facts.csv; eRPC labelled as the replication latency it is) and every drive
    with a datasheet seek and rotation (:func:`disk_access`). Used by
    :func:`ipcmodel.history.years.landscape`.
    """
    out = []
    for series in ("ssd", "network"):
        for r in history_rows(series, rows):
            if r.id in _FACTS_LABELS:  # already says what it measures
                out.append((f"{_FACTS_LABELS[r.id]}, {r.year}", round_trip_us(r).value, r.cite(), r.year))
                continue
            label = machine_label(r)
            if r.id in _KERNEL_BYPASS_ROWS:
                what = "replication latency (upper bound of a kernel-bypass round trip)"
            else:
                what = "4 kB random read" if series == "ssd" else "round trip"
            out.append((f"{label}: {what}, {r.year}", round_trip_us(r).value, r.cite(), r.year))
    for d in disk_access():
        out.append((f"{d.name}: datasheet seek + rotation, {d.year}", d.access_us, d.cite, d.year))
    return out
