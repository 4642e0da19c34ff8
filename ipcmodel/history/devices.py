"""Devices of a year: which device classes existed, and every cited device time.

A device class is placed on a map only from the year of its first measured row (network 1992,
SSD 2017), and a formula value only inside the years its source covers (Scott's slider,
1990–2030). Kernel bypass exists from its first row (eRPC, 2019).

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Sequence

from ipcmodel.history.estimates import estimate_for_year
from ipcmodel.history.pairs import machine_label
from ipcmodel.history.rows import (
    _KERNEL_BYPASS_ROWS,
    _NOW,
    _THEN,
    HistoryRow,
    _one_year,
    history_rows,
    round_trip_us,
)
from ipcmodel.history.scott import SCOTT_YEAR_RANGE, scott_disk_seek_ns

__all__ = ["device_first_year", "device_shown", "bypass_first_year", "device_options"]

#: Labels for the facts.csv device rows (their ``machine`` is a machines.csv id).
_FACTS_LABELS = {"mb92-udp-rtt-mach25": "Mach 2.5 in-kernel UDP over Ethernet, DECstation 2100"}

_DEVICE_SERIES = {"disk_us": "disk", "ssd_us": "ssd", "network_us": "network"}
_NAMES = {"disk_us": "disk", "ssd_us": "SSD", "network_us": "network"}


def device_first_year(quantity: str, rows: Sequence[HistoryRow] | None = None) -> int:
    """First year a device class has a measured row (disk: the first year of Scott's slider)."""
    if quantity not in _DEVICE_SERIES:
        raise ValueError(f"quantity must be one of {list(_DEVICE_SERIES)}; got {quantity!r}")
    data = history_rows(_DEVICE_SERIES[quantity], rows)
    return min(r.year for r in data) if data else SCOTT_YEAR_RANGE[0]


def device_shown(quantity: str, year: int, rows: Sequence[HistoryRow] | None = None) -> tuple[bool, str]:
    """Whether a device class can be placed in ``year``, and why not.

    A class is shown from the year of its first measured row (network 1992, SSD 2017), and a
    formula value only inside the years its source covers (Scott's slider, 1990–2030): no SSD
    in 1992, no Scott disk in 1989.
    """
    y = _one_year(year)
    first = device_first_year(quantity, rows)
    name = _NAMES[quantity]
    formula_range = f"Scott's {name} formula covers {SCOTT_YEAR_RANGE[0]}–{SCOTT_YEAR_RANGE[1]} only"
    if y < first:
        has_rows = bool(history_rows(_DEVICE_SERIES[quantity], rows))
        return False, f"no {name} row before {first}" if has_rows else formula_range
    e = estimate_for_year(quantity, y, rows)
    if e.basis == "formula" and e.extrapolated:
        return False, formula_range
    return True, ""


def bypass_first_year(rows: Sequence[HistoryRow] | None = None) -> int | None:
    """Year of the first kernel-bypass (user-level protocol) row; None if there is none."""
    years = [r.year for r in history_rows("network", rows) if r.id in _KERNEL_BYPASS_ROWS]
    return min(years) if years else None


def device_options(rows: Sequence[HistoryRow] | None = None) -> list[tuple[str, float, str, int]]:
    """Every cited device time: ``(name, device_us, citation, year)`` tuples.

    The measured device rows (SSD reads; network round trips, including the paper-era Mach 2.5
    UDP round trip of facts.csv) and the Scott disk seek + rotation formula for 1992 and 2024.
    Used by :func:`ipcmodel.history.years.landscape`.
    """
    out = []
    for series in ("ssd", "network"):
        for r in history_rows(series, rows):
            what = "4 kB random read" if series == "ssd" else "round trip"
            label = _FACTS_LABELS.get(r.id, machine_label(r))
            out.append((f"{label}: {what}, {r.year}", round_trip_us(r).value, r.cite(), r.year))
    for y in (_THEN, _NOW):
        out.append((f"Disk seek + rotation, {y} (Scott trend formula)",
                    float(scott_disk_seek_ns(y)) / 1000.0, "[Scott, interactive_latency.html, getSeek()]", y))
    return out

