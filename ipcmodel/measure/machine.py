"""Describe the machine the probe runs on: CPU, clock rate, caches, kernel, mitigations.

Everything is read from ``platform``, ``/proc`` and ``/sys``; anything unreadable is reported as
``None`` (or left out of a dict) rather than guessed.  The CPU-vulnerability mitigations matter for
the paper's argument: they make every kernel entry (the null system call, a trapping clock read,
each half of a pipe round trip) more expensive than it was on the same hardware before 2018.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
from pathlib import Path

import numpy as np

from ipcmodel.measure.results import MachineInfo

__all__ = ["machine_info", "cpu_mhz", "vulnerabilities", "cpu_caches", "DEFAULT_LINE_BYTES"]

#: Cache-line size assumed when ``/sys`` does not say (bytes).
DEFAULT_LINE_BYTES = 64

_SYS_CPU = Path("/sys/devices/system/cpu")


def _read(path: Path | str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _cpuinfo_field(key: str) -> list[str]:
    text = _read("/proc/cpuinfo") or ""
    pat = re.compile(rf"^{re.escape(key)}\s*:\s*(.*)$", re.MULTILINE)
    return [m.group(1).strip() for m in pat.finditer(text)]


def cpu_mhz() -> tuple[float | None, str]:
    """Processor clock rate (MHz) and where it was read.

    Order: ``/proc/cpuinfo`` "cpu MHz" (mean over CPUs; the current rate on most kernels),
    then cpufreq ``scaling_cur_freq`` and ``cpuinfo_max_freq`` (kHz).  Returns
    ``(None, "unavailable: ...")`` if none is readable; callers then leave cycles as ``None``.
    """
    values = []
    for v in _cpuinfo_field("cpu MHz"):
        try:
            values.append(float(v))
        except ValueError:
            pass
    values = [v for v in values if v > 0]
    if values:
        return sum(values) / len(values), "/proc/cpuinfo cpu MHz (mean over CPUs)"
    for leaf in ("scaling_cur_freq", "cpuinfo_max_freq"):
        raw = _read(_SYS_CPU / "cpu0" / "cpufreq" / leaf)
        if raw and raw.isdigit() and int(raw) > 0:
            return int(raw) / 1000.0, f"/sys/devices/system/cpu/cpu0/cpufreq/{leaf}"
    return None, "unavailable: no 'cpu MHz' in /proc/cpuinfo and no cpufreq in /sys"


def vulnerabilities() -> dict[str, str]:
    """Mitigation status per CPU vulnerability from ``/sys/devices/system/cpu/vulnerabilities``.

    ``meltdown`` and ``spectre_v2`` are always present as keys ("unreadable" if the file is
    missing, e.g. not Linux); every other readable entry is included too.
    """
    out = {"meltdown": "unreadable", "spectre_v2": "unreadable"}
    vdir = _SYS_CPU / "vulnerabilities"
    try:
        names = sorted(p.name for p in vdir.iterdir())
    except OSError:
        names = []
    for name in names:
        text = _read(vdir / name)
        if text is not None:
            out[name] = text
    return out


def _size_bytes(text: str) -> int | None:
    m = re.fullmatch(r"(\d+)\s*([KMG]?)", text.strip())
    if not m:
        return None
    return int(m.group(1)) * {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[m.group(2)]


def cpu_caches() -> tuple[list[dict], int]:
    """CPU 0's caches as ``[{"level", "type", "size_bytes"}]`` and the line size (bytes)."""
    caches, line = [], None
    cdir = _SYS_CPU / "cpu0" / "cache"
    try:
        indices = sorted(cdir.glob("index*"))
    except OSError:
        indices = []
    for idx in indices:
        level, ctype = _read(idx / "level"), _read(idx / "type")
        size = _size_bytes(_read(idx / "size") or "")
        if level and level.isdigit() and ctype and size:
            caches.append({"level": int(level), "type": ctype, "size_bytes": size})
        ls = _read(idx / "coherency_line_size")
        if line is None and ls and ls.isdigit() and int(ls) > 0:
            line = int(ls)
    return caches, line or DEFAULT_LINE_BYTES


def _cpu_model() -> str:
    for key in ("model name", "Processor", "cpu model", "cpu"):
        vals = _cpuinfo_field(key)
        if vals and vals[0]:
            return vals[0]
    return platform.processor() or "unknown"


def _thp() -> str | None:
    text = _read("/sys/kernel/mm/transparent_hugepage/enabled")
    if not text:
        return None
    m = re.search(r"\[(\w+)\]", text)
    return m.group(1) if m else text


def machine_info() -> MachineInfo:
    """Collect the :class:`MachineInfo` stamp (cheap: file reads only)."""
    mhz, source = cpu_mhz()
    caches, line = cpu_caches()
    try:
        allowed = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        allowed = os.cpu_count() or 1
    return MachineInfo(
        node=platform.node(),
        machine=platform.machine(),
        system=platform.system(),
        kernel=platform.release(),
        cpu_model=_cpu_model(),
        cpu_count=os.cpu_count() or 1,
        cpus_allowed=allowed,
        clock_mhz=mhz,
        clock_mhz_source=source,
        clocksource=_read(_SYS_CPU.parent / "clocksource" / "clocksource0" / "current_clocksource"),
        cache_line_bytes=line,
        caches=caches,
        transparent_hugepages=_thp(),
        vulnerabilities=vulnerabilities(),
        python_version=platform.python_version(),
        python_implementation=platform.python_implementation(),
        numpy_version=np.__version__,
        date_iso=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    )
