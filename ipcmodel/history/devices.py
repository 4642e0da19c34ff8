"""Devices of a year: which device classes existed, and every cited device time.

A device of a year is a *measured* row, never a trend formula (issue 11): Colin Scott's formulas
extrapolate (his 2024 disk, 1.89 ms, is below the average rotational latency of any 7200 rpm
drive), so they are offered only as labelled extrapolations (:func:`formula_extrapolations`).

* Disk: a drive's datasheet seek + average rotational latency (:func:`disk_access`), only for a
  drive with both rows (the WD Ultrastar DC HC310, 2018); a drive with a seek row only (the HGST
  C15K600) gets no access time.
* SSD: the AnandTech 2017 QD1 4 kB random reads.
* Network through the kernel: the newest kernel-path round trip; there is none after 2002
  (Scott's constant is Norvig's 2002 figure), and the literature notes found no readable
  in-datacenter kernel TCP/UDP round trip and no same-testbed kernel vs kernel-bypass pair, so
  for today the model shows none.
* Network by kernel bypass: eRPC's 5.5 µs (2019), a *replication latency*, so an upper bound of
  one round trip (:func:`erpc_label`); it is never set against the 1995 lmbench or the 2002 Scott
  kernel rows as one era (:func:`network_eras`).

A measured row stands for the years up to :data:`DEVICE_WINDOW_YEARS` after it (a stated choice,
not a measurement), labelled with its own year.

Part of :mod:`ipcmodel.history` (import from there, or from this module). numpy only; nothing
happens on import.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ipcmodel import units
from ipcmodel.data import load_facts
from ipcmodel.history.rows import (
    _KERNEL_BYPASS_ROWS,
    NOW_YEAR,
    HistoryRow,
    _one_year,
    history_rows,
    round_trip_us,
)
from ipcmodel.history.scott import SCOTT_YEAR_RANGE, scott_disk_seek_ns, scott_ssd_read_ns

__all__ = [
    "DEVICE_WINDOW_YEARS",
    "DEVICE_KINDS",
    "DiskAccess",
    "DeviceOfYear",
    "devices_heading",
    "disk_access",
    "disks_without_access",
    "device_of_year",
    "today_devices",
    "formula_extrapolations",
    "erpc_label",
    "network_eras",
    "paper_network_latency",
]

#: A measured device row stands for the years up to this many after its own (a stated choice:
#: drives and networks change slowly, but a 1995 or 2002 network is not a 2024 one).
DEVICE_WINDOW_YEARS = 8

#: The device kinds :func:`device_of_year` knows.
DEVICE_KINDS = ("disk", "ssd", "network_kernel", "network_bypass")

#: Labels for the facts.csv device rows (their ``machine`` is a machines.csv id). The 1992 row is a
#: whole UDP round trip between two user processes through Mach 2.5's in-kernel protocol stack on both
#: hosts (Maeda & Bershad 1992, §2 and Table 1), not §2's "core network latency" of Bershad (1992),
#: which :func:`paper_network_latency` gives separately.
_FACTS_LABELS = {"mb92-udp-rtt-mach25": ("whole in-kernel UDP round trip between two user processes "
                                         "(Mach 2.5, 1 data byte, two DECstation 2100s, 10 Mb/s Ethernet)")}

#: Rows that are a rule-of-thumb constant, not a measurement (critic C3 N8): said so wherever they stand
#: for a device of a year.
_CONSTANT_ROWS = {"scott-dc-rtt": ("datacenter round trip, a rule-of-thumb constant (Norvig's 2002 figure "
                                   "on Scott's page), not a measurement")}

#: The facts.csv row of §2's "core network latency remains on the order of several hundred microseconds".
_PAPER_NETWORK_ROW = "b92-network-latency"

_DEVICE_SERIES = {"disk_us": "disk", "ssd_us": "ssd", "network_us": "network"}
_NAMES = {"disk_us": "disk", "ssd_us": "SSD", "network_us": "network"}
_TIME_TO_US = {"us": 1.0, "ns": 1e-3, "ms": 1e3, "s": 1e6}


def _row_us(value: float, unit: str, rid: str) -> float:
    if unit not in _TIME_TO_US:
        raise ValueError(f"row {rid!r}: unit {unit!r} is not a time (expected one of {list(_TIME_TO_US)})")
    return float(value) * _TIME_TO_US[unit]


# --------------------------------------------------------------------------------------------
# Disks: datasheet seek + rotation
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DiskAccess:
    """One drive's average access time from its datasheet: seek + rotational latency.

    ``seek_us`` and ``rotation_us`` are the rows' values in µs, ``access_us`` their sum (transfer
    and command overhead left out, so a lower bound of a read); ``row_ids`` the two rows.
    """

    name: str
    year: int
    seek_us: float
    rotation_us: float
    access_us: float
    row_ids: tuple[str, str]
    cite: str


def _disk_facts():
    facts = load_facts("history.csv").values()
    seeks = [f for f in facts if f.quantity == "disk_seek"]
    rotations = [f for f in facts if f.quantity == "disk_rotation"]
    return seeks, rotations


def disk_access() -> list[DiskAccess]:
    """Every drive with both a datasheet seek row and a rotation row (same ``machine``), oldest first.

    Returns
    -------
    list of DiskAccess
        ``access_us = seek + rotation`` (µs), e.g. the WD Ultrastar DC HC310 (2018).
    """
    seeks, rotations = _disk_facts()
    out = []
    for s in seeks:
        rot = [r for r in rotations if r.machine == s.machine]
        if len(rot) != 1:
            continue
        r = rot[0]
        seek_us, rot_us = _row_us(s.value, s.unit, s.id), _row_us(r.value, r.unit, r.id)
        out.append(DiskAccess(s.machine, int(s.year), seek_us, rot_us, seek_us + rot_us, (s.id, r.id),
                              f"[{s.source}, {s.locator}; {r.locator}]"))
    return sorted(out, key=lambda d: (d.year, d.name))


def disks_without_access() -> list[tuple[str, str]]:
    """``(row id, reason)`` for every seek row with no rotation row (no access time is computed)."""
    seeks, rotations = _disk_facts()
    return [(s.id, f"{s.machine}: the source's rotational-latency figure was not read, so only its "
                   f"seek ({s.value:g} {s.unit}) is known and no access time is given")
            for s in seeks if not any(r.machine == s.machine for r in rotations)]


# --------------------------------------------------------------------------------------------
# The device of a year: measured rows only
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DeviceOfYear:
    """The measured device time that stands for ``year`` (µs), or none, with the reason.

    ``value_us`` is None when no measured row lies within :data:`DEVICE_WINDOW_YEARS` before
    ``year``; ``measured_year`` is the year of the rows used; ``low_us``/``high_us`` the spread
    of those rows (equal to ``value_us`` for one row); ``note`` says what the value is.
    """

    kind: str
    year: int
    value_us: float | None
    measured_year: int | None
    low_us: float | None
    high_us: float | None
    row_ids: tuple[str, ...]
    label: str
    cite: str
    note: str

    @property
    def measured(self) -> bool:
        """False when the value is a rule-of-thumb constant (e.g. Norvig's 2002 round trip), not a measurement."""
        return not (self.row_ids and all(r in _CONSTANT_ROWS for r in self.row_ids))


def devices_heading(devices) -> str:
    """"measured devices", or a heading that says a constant is among ``devices`` (DeviceOfYear objects)."""
    return ("measured devices" if all(d.measured for d in devices)
            else "devices (measured, except the constant labelled as one)")


def erpc_label() -> str:
    """What eRPC's 5.5 µs is, in one sentence (for tables and notebooks)."""
    rows = [r for r in history_rows("network") if r.id in _KERNEL_BYPASS_ROWS]
    if not rows:
        return "no kernel-bypass row in data/"
    r = rows[0]
    return (f"{round_trip_us(r).value:g} µs is a Raft replication latency over kernel-bypass RPC on "
            f"lossy Ethernet ({r.year}, {r.cite()}): it contains at least one network round trip, so "
            "it is an upper bound of a bare kernel-bypass round trip, not a measured round trip; no "
            "kernel-path round trip of the same testbed or era is in data/.")


def _window(rows_years: Sequence[tuple[object, int]], y: int, window: int):
    """Rows measured in (y - window, y]: the newest year's rows only."""
    ok = [(r, yr) for r, yr in rows_years if y - window <= yr <= y]
    if not ok:
        return [], None
    newest = max(yr for _, yr in ok)
    return [r for r, yr in ok if yr == newest], newest


def _from_rows(kind, y, window, rows, what, none_note):
    chosen, year = _window([(r, r.year) for r in rows], y, window)
    if not chosen:
        return DeviceOfYear(kind, y, None, None, None, None, (), what, "", none_note)
    if all(r.id in _FACTS_LABELS for r in chosen):  # say exactly what a paper-era row measures
        what = "; ".join(_FACTS_LABELS[r.id] for r in chosen)
    constant = all(r.id in _CONSTANT_ROWS for r in chosen)
    if constant:
        what = "; ".join(_CONSTANT_ROWS[r.id] for r in chosen)
    vals = np.array([round_trip_us(r).value for r in chosen])
    sources = [chosen[0].cite()[1:-1]] if len(chosen) == 1 else sorted({r.source for r in chosen})
    note = (f"median of {len(chosen)} row(s) measured in {year}" if len(chosen) > 1
            else f"one row, a constant of {year}, not measured" if constant else f"one row, measured in {year}")
    return DeviceOfYear(kind, y, float(np.median(vals)), year, float(vals.min()), float(vals.max()),
                        tuple(r.id for r in chosen), what, "[" + "; ".join(sources) + "]", note)


def device_of_year(kind: str, year, *, window: int = DEVICE_WINDOW_YEARS,
                   rows: Sequence[HistoryRow] | None = None) -> DeviceOfYear:
    """The measured device time that stands for ``year``; never a formula value.

    Parameters
    ----------
    kind : {"disk", "ssd", "network_kernel", "network_bypass"}
        Device kind (:data:`DEVICE_KINDS`).
    year : int
        Calendar year (whole year in ``ipcmodel.history.YEAR_RANGE``).
    window : int
        Years (count, 0–50) a measured row stands for after its own year.
    rows : sequence of HistoryRow, optional
        History rows to use instead of the shipped data (SSD and network kinds).

    Returns
    -------
    DeviceOfYear
        ``value_us`` is None, with the reason in ``note``, when no measured row is in the window.
    """
    if kind not in DEVICE_KINDS:
        raise ValueError(f"kind must be one of {DEVICE_KINDS}; got {kind!r}")
    y = _one_year(year)
    window = int(units.check("window", window, "years", 0, 50, integer=True, scalar=True))
    if kind == "disk":
        disks = [d for d in disk_access() if y - window <= d.year <= y]
        if not disks:
            return DeviceOfYear(kind, y, None, None, None, None, (), "disk seek + rotation", "",
                                f"no drive with a cited seek and rotation measured in {y - window}–{y}")
        d = max(disks, key=lambda d: d.year)
        return DeviceOfYear(kind, y, d.access_us, d.year, d.access_us, d.access_us, d.row_ids,
                            f"{d.name}: datasheet average seek + rotational latency", d.cite,
                            f"datasheet typical seek + average rotation ({d.year}); no transfer or "
                            "command overhead, no operating-system path")
    if kind == "ssd":
        return _from_rows(kind, y, window, history_rows("ssd", rows), "SSD 4 kB random read, queue depth 1",
                          f"no SSD read measured in {y - window}–{y}")
    net = history_rows("network", rows)
    if kind == "network_bypass":
        byp = [r for r in net if r.id in _KERNEL_BYPASS_ROWS]
        d = _from_rows(kind, y, window, byp, "kernel-bypass RPC (replication latency: upper bound of a round trip)",
                       f"no kernel-bypass row measured in {y - window}–{y}")
        if d.value_us is not None:
            d = dataclasses.replace(d, note=d.note + "; an upper bound of one round trip (replication latency)")
        return d
    kern = [r for r in net if r.id not in _KERNEL_BYPASS_ROWS]
    latest = max(kern, key=lambda r: r.year) if kern else None
    why = (f"no kernel-path network round trip measured in {y - window}–{y}"
           + (f" (the newest is {latest.id}, {latest.year})" if latest else "")
           + "; no readable source gives a modern in-datacenter kernel TCP/UDP round trip, nor a "
             "kernel vs kernel-bypass pair on one testbed")
    return _from_rows(kind, y, window, kern, "network round trip through the kernel", why)


def paper_network_latency() -> dict:
    """§2's network figure of Bershad (1992), kept apart from the 1992 network *device*.

    §2 says "core network latency remains on the order of several hundred microseconds": a
    magnitude in words, recorded as the span 200–900 µs (``data/README.md``'s reading of
    "several hundred"), with no machine, network or packet size. The measured 1992 network device
    (:func:`device_of_year` ``("network_kernel", 1992)``, 4.8 ms) is something else: a whole UDP
    round trip through Mach 2.5's in-kernel stack between two DECstation 2100s [MaedaBershad92,
    Table 1]. The two are never merged.

    Returns
    -------
    dict
        ``id`` (the facts.csv row), ``low_us``, ``high_us`` (the span the words allow, µs),
        ``qualifier`` (the paper's words), ``label``, ``cite``.
    """
    facts = load_facts("facts.csv")
    if _PAPER_NETWORK_ROW not in facts:
        raise ValueError(f"data/facts.csv has no row {_PAPER_NETWORK_ROW!r} (§2's network latency)")
    f = facts[_PAPER_NETWORK_ROW]
    low = _row_us(f.value, f.unit, f.id)
    high = _row_us(f.value_high if f.value_high is not None else f.value, f.unit, f.id)
    return {"id": f.id, "low_us": low, "high_us": high, "qualifier": f.qualifier,
            "label": (f"§2's core network latency, '{f.qualifier} microseconds' (read as {low:g}–{high:g} µs; "
                      "no machine, network or packet size named): a statement in words, not a measured "
                      "round trip"),
            "cite": f.cite()}


def today_devices(year=NOW_YEAR, *, window: int = DEVICE_WINDOW_YEARS) -> list[DeviceOfYear]:
    """:func:`device_of_year` for every kind of :data:`DEVICE_KINDS` (default: the model's "now")."""
    return [device_of_year(k, year, window=window) for k in DEVICE_KINDS]


def formula_extrapolations(year) -> list[dict]:
    """Scott's disk and SSD formula values for ``year``, labelled as extrapolations, not devices.

    Each dict: ``name``, ``value_us``, ``function`` (the page's JavaScript function), ``label``
    (always says "extrapolation"), and for the disk ``below_rotation_row``: the id of a cited
    rotation row the formula value lies below (a disk can not be faster than half a turn), or None.
    """
    y = _one_year(year)
    disk_us = float(scott_disk_seek_ns(y)) / 1000.0
    _, rotations = _disk_facts()
    below = [r.id for r in rotations if disk_us < _row_us(r.value, r.unit, r.id)]
    inside = SCOTT_YEAR_RANGE[0] <= y <= SCOTT_YEAR_RANGE[1]
    span = "inside" if inside else "outside"
    return [
        {"name": f"disk seek + rotation, {y} (Scott's getSeek)", "value_us": disk_us, "function": "getSeek",
         "label": f"extrapolation, not a device ({span} the page's slider {SCOTT_YEAR_RANGE[0]}–{SCOTT_YEAR_RANGE[1]})",
         "below_rotation_row": below[0] if below else None},
        {"name": f"SSD random read, {y} (Scott's getSSDLatency)", "value_us": float(scott_ssd_read_ns(y)) / 1000.0,
         "function": "getSSDLatency",
         "label": f"extrapolation, not a device ({span} the page's slider {SCOTT_YEAR_RANGE[0]}–{SCOTT_YEAR_RANGE[1]})",
         "below_rotation_row": None},
    ]


def network_eras(*, window: int = DEVICE_WINDOW_YEARS, rows: Sequence[HistoryRow] | None = None) -> list[dict]:
    """Every network row with its path and the rows of the *other* path it may be compared with.

    A kernel-bypass row and a kernel-path row are comparable only when measured within
    ``window`` years of each other; eRPC (2019) has no kernel-path row of its era, so no
    "bypass beats the kernel" statement can be made from data/ alone.

    Returns
    -------
    list of dict
        ``id``, ``year``, ``value_us`` (round trip, µs), ``path`` (``"kernel"`` / ``"bypass"``),
        ``comparable_with`` (ids of the other path within ``window`` years).
    """
    window = int(units.check("window", window, "years", 0, 50, integer=True, scalar=True))
    net = history_rows("network", rows)
    path = {r.id: "bypass" if r.id in _KERNEL_BYPASS_ROWS else "kernel" for r in net}
    return [{"id": r.id, "year": r.year, "value_us": round_trip_us(r).value, "path": path[r.id],
             "comparable_with": [o.id for o in net if path[o.id] != path[r.id] and abs(o.year - r.year) <= window]}
            for r in net]
