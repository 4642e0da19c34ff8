"""The cited device times the service explorers and exercises offer (notebooks 00 and 05).

Part of :mod:`ipcmodel.paper` (import from there).
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel import units
from ipcmodel.formatting import format_us
from ipcmodel.paper._base import fact

__all__ = [
    "Device",
    "cited_devices",
]


@dataclass(frozen=True)
class Device:
    """A service time (µs) with its source, for device dropdowns."""

    name: str
    device_us: float
    cite: str
    year: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({format_us(self.device_us)})"


_DEVICE_FACTS = {"mb92-udp-rtt-mach25": "Ethernet UDP round trip, Mach 2.5, DECstation 2100"}
_SERIES_NAMES = {"network": "Network round trip", "ssd": "SSD read", "disk": "Disk access"}
_TO_US = {"us": float, "µs": float, "ms": units.ms_to_us, "ns": units.ns_to_us,
          "s": lambda v: units.ms_to_us(v * 1000.0)}


def cited_devices() -> tuple[list[Device], list[str]]:
    """Device times from ``data/facts.csv`` and, when available, ``data/history.csv``.

    The 1992 Ethernet UDP round trip (Maeda & Bershad, Table 1) comes first; then the rows of
    the ``network``, ``ssd`` and ``disk`` series of :func:`ipcmodel.history.history_rows`,
    as round trips in µs (:func:`ipcmodel.history.round_trip_us`).

    Returns
    -------
    (devices, notes)
        ``notes`` is empty, or says why the list holds the facts.csv devices only.
    """
    devices = []
    for fid, name in _DEVICE_FACTS.items():
        f = fact(fid)
        if f.unit not in _TO_US:
            raise ValueError(f"a device time must be in us, ms, ns or s; got unit {f.unit!r} ({fid})")
        devices.append(Device(f"{name}, {f.year}", float(_TO_US[f.unit](f.value)), f.cite(), f.year))
    try:
        from ipcmodel import history

        extra = [Device(f"{_SERIES_NAMES[s]}: {r.machine}, {r.year}", float(history.round_trip_us(r).value),
                        r.cite(), r.year)
                 for s in _SERIES_NAMES for r in history.history_rows(s) if r.id not in _DEVICE_FACTS]
    except Exception as exc:  # optional source: fall back to facts.csv, and say so
        return devices, [f"Devices: data/facts.csv only; data/history.csv could not be used ({exc})."]
    return devices + extra, []
