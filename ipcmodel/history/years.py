"""The machine of a year and the IPC overhead it implies (notebook 07's regime map and tables).

:func:`year_state` is everything the year regime map shows for one year, straight from the
model; :func:`landscape` puts every cited device time next to the IPC of a year, and
:func:`format_landscape` prints those as a table; :func:`bypass_share` is the share of a device
access an IPC round trip would take when the alternative crosses no boundary at all.

An IPC is only ever compared with a system call of the same machine (a round trip enters the
kernel at least twice, so there it costs more than one system call): see
:func:`ipcmodel.history.same_machine_pairs`. A device class counts only from its first data row
(:func:`ipcmodel.history.device_shown`), so the 1992 map has no SSD.

Part of :mod:`ipcmodel.history` (import from there). numpy only; nothing happens on import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ipcmodel import paper, service, units
from ipcmodel.formatting import format_percent, format_us
from ipcmodel.history.device_classes import bypass_first_year, device_options, device_shown
from ipcmodel.history.estimates import clock_for_year, estimate_for_year, machine_of_year
from ipcmodel.history.rows import NOW_YEAR, THEN_YEAR, YEAR_RANGE, _one_year, history_rows
from ipcmodel.machines import machine
from ipcmodel.service import DEFAULT_THRESHOLD

__all__ = [
    "DEVICES",
    "BASELINES",
    "LANDSCAPE_COLUMNS",
    "YearState",
    "year_range",
    "year_state",
    "ipc_ratio",
    "landscape",
    "format_landscape",
    "bypass_share",
]

#: The devices of a year: estimate quantity -> (label, history series with measured rows).
DEVICES = {"disk_us": ("disk", "disk"), "ssd_us": ("SSD", "ssd"), "network_us": ("network", "network")}

#: What the IPC route is compared with (see :func:`year_state`): value -> label.
BASELINES = {"syscall": "a system call of the year (monolithic kernel)",
             "bypass": "no kernel crossing (kernel bypass, §5)"}


def year_range() -> tuple[int, int]:
    """(first, last) calendar year of the history rows: the year slider's range."""
    years = [r.year for r in history_rows()]
    return min(years), max(years)


@dataclass(frozen=True)
class YearState:
    """What the regime map shows for one year, computed from the model only.

    ``machine`` is :func:`ipcmodel.machine_of_year`; the times are in µs; ``clock_mhz``
    is the clock that goes with the year's IPC (:func:`ipcmodel.clock_for_year`: the
    measured machine's own, else Scott's), used to turn the miss penalty into µs;
    ``ipc_path_locality_us`` is the cost of the paper's IPC path missing on one crossing
    (:func:`ipcmodel.service.locality_us`); ``service_lines`` and ``service_locality_us`` are the
    service's own working set and the cost of its misses per use, paid by both structures (§3);
    ``crossings_per_use`` is the kernel crossings one service use needs; ``syscall_us`` is the crossing the IPC is compared
    with: the system call *of the IPC's own machine* where a same-machine pair was measured, else
    one *derived* as the IPC ÷ the same-machine ratio (``machine["syscall_us"].derived``, said so in
    its note), or 0 for the ``"bypass"`` baseline. ``devices`` holds only the device
    classes that existed in ``year``; ``hidden`` gives the reason for each one left out, and
    ``baseline_note`` says why a requested ``"bypass"`` was not applied (before its first row).
    """

    year: int
    machine: dict
    ipc_us: float
    syscall_us: float
    clock_mhz: float
    ipc_path_lines: float
    ipc_path_locality_us: float
    break_even_us: float
    devices: dict  # label -> (device_us, overhead fraction, Estimate)
    baseline: str = "syscall"
    hidden: dict = field(default_factory=dict)  # label -> reason
    baseline_note: str = ""
    crossings_per_use: float = 1.0
    service_lines: float = 0.0
    service_locality_us: float = 0.0

    def measured(self, quantity: str) -> bool:
        return self.machine[quantity].basis == "measured"


def ipc_ratio(year, base_year) -> float:
    """The IPC round trip (µs) of the machine of ``year`` over that of ``base_year`` (×), as
    :func:`year_state` reads them (measured, formula-clocked or trend: see each state's note)."""
    y, b = _one_year(year), _one_year(base_year, "base_year")
    return float(year_state(y).ipc_us / year_state(b).ipc_us)


def year_state(year, threshold: float = DEFAULT_THRESHOLD, miss_fraction: float = 0.0,
               cache_line_bytes: float | None = None, baseline: str = "syscall",
               crossings_per_use: float = 1.0, service_lines: float = 0.0,
               service_miss_fraction: float = 0.0) -> YearState:
    """The machine of ``year`` and the IPC overhead it implies for its devices.

    Parameters
    ----------
    year : int
        Calendar year (:data:`ipcmodel.YEAR_RANGE`); rounded to a whole year.
    threshold : float
        Acceptable overhead fraction, in (0, 1), for the break-even device time.
    miss_fraction : float
        Fraction of the paper's IPC-path cache lines (< 4 KB instructions + < 2 KB data, §3)
        that miss on each round trip; 0 = warm cache, as the paper measured.
    cache_line_bytes : float, optional
        Line size for counting those lines; default the DECstation 5000/200's (Chen & Bershad 1993),
        as in notebook 02.
    baseline : {"syscall", "bypass"}
        What the IPC route is compared with: ``"syscall"``, one system call on the same machine
        (a monolithic kernel, the paper's comparison); ``"bypass"``, no kernel crossing at all
        (kernel-bypass I/O, §5), so the overhead is the IPC's share of the whole access. Before
        the first kernel-bypass row (:func:`ipcmodel.bypass_first_year`) the system call
        is used instead, and ``baseline_note`` says so.
    crossings_per_use : float
        Kernel crossings one service use needs (count), in (0, 1000]; 1 = one round trip against
        one system call, as the paper compares (:func:`ipcmodel.paper.crossing_cases`).
    service_lines : float
        Cache lines the service's own code and data touch per use (lines), in [0, 1e9].
    service_miss_fraction : float
        Fraction of those lines that miss per use, in [0, 1]; paid by both structures, at the
        year's miss penalty and clock. 0 (with ``service_lines`` 0) keeps the paper's warm cache.
    """
    y = int(round(units.check("year", year, "calendar year", *YEAR_RANGE, scalar=True)))
    threshold = units.check("threshold", threshold, "fraction", 0.0, 1.0, low_inclusive=False,
                            high_inclusive=False, scalar=True)
    miss_fraction = units.check("miss_fraction", miss_fraction, "fraction", 0.0, 1.0, scalar=True)
    crossings = units.check("crossings_per_use", crossings_per_use, "crossings per use", 0.0, 1000.0,
                            low_inclusive=False, scalar=True)
    s_lines = units.check("service_lines", service_lines, "lines", 0.0, 1e9, scalar=True)
    s_miss = units.check("service_miss_fraction", service_miss_fraction, "fraction", 0.0, 1.0,
                         scalar=True)
    if cache_line_bytes is not None:
        cache_line_bytes = units.check("cache_line_bytes", cache_line_bytes, "bytes", 0.0, 1e6,
                                       low_inclusive=False, scalar=True)
    if baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {list(BASELINES)}; got {baseline!r}")
    m = machine_of_year(y)
    line = machine("ds5000").cache_line_bytes if cache_line_bytes is None else cache_line_bytes
    lines = float(paper.ipc_path_lines(line))
    clock = float(clock_for_year(y))
    ipl = float(service.locality_us(lines, miss_fraction, m["miss_penalty_cycles"].value, clock))
    loc = float(service.locality_us(s_lines, s_miss, m["miss_penalty_cycles"].value, clock))
    terms = {"service_locality_us": loc, "ipc_path_locality_us": ipl, "crossings_per_use": crossings}
    ipc = m["ipc_round_trip_us"].value
    note = ""
    first_bypass = bypass_first_year()
    if baseline == "bypass" and (first_bypass is None or y < first_bypass):
        baseline = "syscall"
        note = (f"kernel bypass has no data row before {first_bypass}, so the map compares with the "
                "system call")
    sc = m["syscall_us"].value if baseline == "syscall" else 0.0
    be = float(service.break_even_service_us(ipc, sc, threshold, **terms))
    devices, hidden = {}, {}
    for q, (label, _series) in DEVICES.items():
        shown, why = device_shown(q, y)
        if not shown:
            hidden[label] = why
            continue
        d = m[q].value
        devices[label] = (d, float(service.ipc_overhead_fraction(ipc, sc, d, **terms)), m[q])
    return YearState(y, m, ipc, sc, clock, lines, ipl, be, devices, baseline, hidden, note,
                     float(crossings), float(s_lines), loc)


def landscape(year, threshold: float = DEFAULT_THRESHOLD, baseline: str = "syscall",
              crossings_per_use: float = 1.0) -> list[dict]:
    """Every cited device time (:func:`ipcmodel.device_options`) at the machine of ``year``.

    Returns one dict per device, fastest first: ``name``, ``device_us``, ``cite``, ``year`` (of
    the device), ``shown`` (False for a device measured after ``year``, or for kernel bypass
    before its first row: nothing is compared across time backwards), ``overhead`` (the IPC
    overhead fraction with that year's IPC round trip, warm cache, against ``baseline``: see
    :func:`year_state`; None when not shown) and ``matters`` (overhead above ``threshold``).
    ``crossings_per_use`` (count) as in :func:`year_state`; 1 = the paper's comparison.
    """
    s = year_state(year, threshold, baseline=baseline, crossings_per_use=crossings_per_use)
    ok_baseline = s.baseline == baseline
    out = []
    for name, dev, cite, dev_year in device_options():
        shown = ok_baseline and dev_year <= s.year
        o = (float(service.ipc_overhead_fraction(s.ipc_us, s.syscall_us, dev,
                                                 crossings_per_use=s.crossings_per_use))
             if shown else None)
        out.append({"name": name, "device_us": dev, "cite": cite, "year": dev_year, "shown": shown,
                    "overhead": o, "matters": shown and o > threshold})
    return sorted(out, key=lambda d: d["device_us"])


#: The columns of :func:`format_landscape`: (year, baseline).
LANDSCAPE_COLUMNS = ((THEN_YEAR, "syscall"), (NOW_YEAR, "syscall"), (NOW_YEAR, "bypass"))


def format_landscape(columns=LANDSCAPE_COLUMNS, threshold: float = DEFAULT_THRESHOLD) -> str:
    """A text table: every cited device, and the IPC overhead on it with the machine of each
    column's year, against a same-machine system call or against kernel bypass; ``*`` marks
    overheads above ``threshold``, ``—`` a device (or kernel bypass) that did not exist yet."""
    tables = {c: landscape(c[0], threshold, c[1]) for c in columns}
    heads = [f"{y} {'vs syscall' if b == 'syscall' else 'vs bypass'}" for y, b in columns]
    lines = [f"{'time':>9}  " + "  ".join(f"{h:>15}" for h in heads) + "  device"]
    for i, d in enumerate(tables[columns[0]]):
        cells = []
        for c in columns:
            e = tables[c][i]
            text = "—" if not e["shown"] else format_percent(e["overhead"]) + ("*" if e["matters"] else " ")
            cells.append(f"{text:>15}")
        lines.append(f"{format_us(d['device_us']):>9}  " + "  ".join(cells) + f"  {d['name']}")
    lines.append(f"(* above the {format_percent(threshold)} threshold; — not yet measured in that year; "
                 "warm caches)")
    for y in dict.fromkeys(y for y, _ in columns):
        s = year_state(y, threshold)
        ipc, sc = s.machine["ipc_round_trip_us"], s.machine["syscall_us"]
        lines.append(f"{y}: IPC {format_us(s.ipc_us)} ({ipc.note}); system call {format_us(s.syscall_us)} "
                     f"({sc.note})")
    lines.append("The system call is the IPC's own machine's where both were measured as a pair; otherwise it "
                 "is derived (the IPC ÷ the IPC/system-call ratio of machines measured in pairs) and its note "
                 "says so. A round trip enters the kernel at least twice, so on one machine it cannot be "
                 "cheaper than one system call.")
    return "\n".join(lines)



def bypass_share(ipc_year, device_quantity: str = "network_us", device_year=None) -> float:
    """Share of one device access an added IPC round trip would take, against kernel bypass.

    ``ipc_overhead_fraction(ipc, 0, device)`` (the baseline crosses nothing, so its system call
    is 0) with the IPC round trip estimated for ``ipc_year`` and the ``device_quantity``
    (``"network_us"``, ``"ssd_us"`` or ``"disk_us"``) estimated for ``device_year`` (default:
    ``ipc_year``), both from :func:`ipcmodel.history.estimate_for_year` (a fraction).
    """
    ipc_year = _one_year(ipc_year, "ipc_year")
    dev_year = ipc_year if device_year is None else _one_year(device_year, "device_year")
    if device_quantity not in DEVICES:
        raise ValueError(f"device_quantity must be one of {list(DEVICES)}; got {device_quantity!r}")
    ipc = estimate_for_year("ipc_round_trip_us", ipc_year).value
    dev = estimate_for_year(device_quantity, dev_year).value
    return float(service.ipc_overhead_fraction(ipc, 0.0, dev))
