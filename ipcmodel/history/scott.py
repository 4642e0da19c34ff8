"""Colin Scott's hardware-by-year formulas (citation key ``Scott``, interactive_latency.html).

Colin Scott's page "Latency Numbers Every Programmer Should Know" models hardware by year with
formulas; each function here encodes one of them (the JavaScript function is named in its
docstring) rather than typing in values.

These are trend formulas, not measurements: they extrapolate (``scott_disk_seek_ns(2024)`` is
below half a turn of any 7200 rpm drive). A device of a year is always a measured row
(:func:`ipcmodel.history.devices.device_of_year`); a formula value is shown only labelled as an
extrapolation (:func:`ipcmodel.history.devices.formula_extrapolations`).

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

import numpy as np

from ipcmodel import units
from ipcmodel.history.rows import _check_year

__all__ = [
    "SCOTT_YEAR_RANGE",
    "scott_in_range",
    "scott_cycle_ns",
    "scott_clock_mhz",
    "scott_memory_ns",
    "scott_miss_penalty_cycles",
    "scott_disk_seek_ns",
    "scott_ssd_read_ns",
]

#: Years the Scott page's slider covers (``Scott``, interactive_latency.html, slider 1990–2030);
#: formula values outside it are flagged as extrapolated.
SCOTT_YEAR_RANGE = (1990, 2030)


def _shift(y):
    # "we index year by (year - 1982)" (Scott, interactive_latency.html, shift())
    return y - 1982.0


_res = units.scalar_or_array  # a float for scalar inputs, the array otherwise


def scott_in_range(year):
    """True where ``year`` is inside the Scott page's slider range :data:`SCOTT_YEAR_RANGE`."""
    y = _check_year(year)
    inside = (y >= SCOTT_YEAR_RANGE[0]) & (y <= SCOTT_YEAR_RANGE[1])
    return bool(inside) if np.ndim(inside) == 0 else inside


def scott_cycle_ns(year):
    """Processor cycle time (ns) in ``year`` [Scott, getCycle()].

    Up to 2005 the clock doubles every 2 years, reaching 3 GHz in 2005; after that it stays
    at 3 GHz: ``hz = 3e9 / 2**(0.5*shift(2005)) * 2**(0.5*shift(year))``.
    """
    y = _check_year(year)
    a = 3e9 / 2.0 ** (_shift(2005.0) * 0.5)
    hz = np.where(y <= 2005, a * (2.0 ** 0.5) ** _shift(y), 3e9)
    return _res(1e9 / hz)


def scott_clock_mhz(year):
    """Processor clock (MHz) in ``year``: ``1000 / scott_cycle_ns(year)`` [Scott, getCycle()]."""
    return units.cycle_time_ns_to_mhz(scott_cycle_ns(year))


def scott_memory_ns(year):
    """Main-memory reference (ns) in ``year`` [Scott, getMemLatency()].

    100 ns in 2000, improving 7% a year before that (``100 * 0.93**(year - 2000)``), flat at
    100 ns after 2000.
    """
    y = _check_year(year)
    a = 100.0 / 0.93 ** _shift(2000.0)
    return _res(np.where(y <= 2000, a * 0.93 ** _shift(y), 100.0))


def scott_miss_penalty_cycles(year):
    """Main-memory reference in processor cycles: ``scott_memory_ns / scott_cycle_ns`` (§3)."""
    return _res(np.asarray(scott_memory_ns(year)) / np.asarray(scott_cycle_ns(year)))


def scott_disk_seek_ns(year):
    """Disk seek + rotation (ns) in ``year`` [Scott, getSeek()]: 10 ms in 2000, halving every 10 years.

    An extrapolation, not a device: for a drive of a year use
    :func:`ipcmodel.history.devices.device_of_year` (datasheet seek + rotation).
    """
    y = _check_year(year)
    a = 1e7 / 0.5 ** (_shift(2000.0) * 0.1)
    return _res(a * (0.5 ** 0.1) ** _shift(y))


def scott_ssd_read_ns(year, *, as_written: bool = True):
    """SSD random read (ns) in ``year`` [Scott, getSSDLatency()].

    The comment intends 20 µs in 2012 with a 20× drop per 4.5 years, flat at 16 µs after
    2014. The code (``as_written=True``, the page's behaviour) uses ``shift(year)`` where
    ``shift(2012)`` was meant, which makes the curve almost flat (about 19 µs in 1990 to
    16.6 µs in 2010). ``as_written=False`` gives the intended curve.
    """
    y = _check_year(year)
    b = (1.0 / 20.0) ** (1.0 / 4.5)
    anchor = _shift(y) if as_written else _shift(2012.0)
    a = 2e4 / (1.0 / 20.0) ** (anchor * 0.22)
    return _res(np.where(y <= 2014, a * b ** _shift(y), 16000.0))
