"""Multicore: an IPC whose server runs on another core, as an input of the model.

The paper's machines had one processor, so its IPC is a *same-core* IPC: the kernel switches from
client to server on one CPU and the message never leaves that CPU's caches. On a multicore
machine the server may run on another core; the request and the reply must then each cross the
cache-coherence fabric. The cited rows (``core_to_core_latency``, [C2Clatency22]) give that
crossing's one-way time between two hyper-threads of one core, two cores of one socket and two
sockets, so :func:`core_to_core_ratios` gives the cited "several times" directly.

The model (:func:`cross_core_added_us`): a cross-core round trip costs the same-core IPC plus
at least **two one-way core-to-core transfers** (request, reply). That is a floor: a receiver that
blocks must also be woken by an inter-processor interrupt, whose cost no cited row gives here
(notebook 06's probe measures a whole cross-CPU pipe round trip on the reader's machine,
:func:`ipcmodel.measure.ipc.measure_round_trip` with ``"pipe_cross_cpu"``; that is the reader's
measurement, not a data row). A monolithic system call stays on its core and pays nothing.

:func:`cross_core_effect` says what it does to the regime map of a year: the IPC grows by a fixed
number of nanoseconds, which is nothing against 1992's 57 µs and a large share of a modern
sub-microsecond IPC, so the break-even device time moves up only for modern machines.

Import by full path: ``from ipcmodel.history import multicore``. numpy only; nothing happens on
import.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipcmodel import service, units
from ipcmodel.data import load_facts
from ipcmodel.history.estimates import machine_of_year
from ipcmodel.history.rows import NOW_YEAR, _one_year
from ipcmodel.service import DEFAULT_THRESHOLD

__all__ = [
    "PLACEMENTS",
    "CPUS",
    "CoreLatency",
    "core_to_core_rows",
    "core_to_core_ratios",
    "cross_core_added_us",
    "placement_options",
    "cross_core_effect",
    "probe_ratio",
]

#: Where the server runs relative to the client -> the row-id suffix of the one-way latency used.
#: "same-core" adds nothing (the paper's uniprocessor case).
PLACEMENTS = {"same-core": None, "cross-core": "cores", "cross-socket": "sockets"}

#: CPUs with core-to-core rows: key -> row-id prefix.
CPUS = {"xeon8375c": "c2c22-xeon8375c", "i7-6700k": "c2c22-i7-6700k"}

_SMT = "smt"  # two hyper-threads of one core: the cited "same core"


@dataclass(frozen=True)
class CoreLatency:
    """One cited one-way core-to-core latency (µs), with its row."""

    id: str
    cpu: str
    where: str  # "smt", "cores" or "sockets"
    one_way_us: float
    machine: str
    cite: str
    year: int | None = None  # year of the measurement (the row's ``year``)


def core_to_core_rows() -> list[CoreLatency]:
    """Every ``core_to_core_latency`` row of ``data/history.csv`` (one-way, µs).

    Raises
    ------
    ValueError
        For a row that is not one-way or not a time, or whose id names no known CPU.
    """
    scale = {"ns": 1e-3, "us": 1.0}
    out = []
    for f in load_facts("history.csv").values():
        if f.quantity != "core_to_core_latency":
            continue
        if f.trip != "one-way" or f.unit not in scale:
            raise ValueError(f"row {f.id!r}: expected a one-way time in ns or us; got {f.trip!r}, {f.unit!r}")
        cpu = next((k for k, p in CPUS.items() if f.id.startswith(p + "-")), None)
        if cpu is None:
            raise ValueError(f"row {f.id!r}: no CPU of {list(CPUS)} matches its id")
        out.append(CoreLatency(f.id, cpu, f.id.rsplit("-", 1)[1], f.value * scale[f.unit], f.machine, f.cite(),
                               None if f.year is None else int(f.year)))
    return out


def _latency(cpu: str, where: str) -> CoreLatency:
    if cpu not in CPUS:
        raise ValueError(f"cpu must be one of {list(CPUS)}; got {cpu!r}")
    found = [r for r in core_to_core_rows() if r.cpu == cpu and r.where == where]
    if not found:
        raise ValueError(f"no core-to-core row for cpu {cpu!r} and placement {where!r} in data/history.csv")
    return found[0]


def core_to_core_ratios() -> list[dict]:
    """Cited ratios: each cross-core (and cross-socket) latency ÷ the same-core (two hyper-threads) one.

    Returns
    -------
    list of dict
        ``cpu``, ``near`` / ``far`` (``"smt"``, ``"cores"``, ``"sockets"``), ``near_us``, ``far_us``
        (one-way, µs), ``ratio`` (far ÷ near), ``row_ids``.
    """
    rows = core_to_core_rows()
    out = []
    for cpu in CPUS:
        near = [r for r in rows if r.cpu == cpu and r.where == _SMT]
        if not near:
            continue
        for far in (r for r in rows if r.cpu == cpu and r.where != _SMT):
            out.append({"cpu": cpu, "near": _SMT, "far": far.where, "near_us": near[0].one_way_us,
                        "far_us": far.one_way_us, "ratio": far.one_way_us / near[0].one_way_us,
                        "row_ids": (near[0].id, far.id)})
    return out


def cross_core_added_us(placement: str = "cross-core", cpu: str = "xeon8375c") -> float:
    """Least time (µs) a round-trip IPC adds when client and server run on different cores.

    Two one-way core-to-core transfers (request and reply) of the cited CPU; 0 for
    ``"same-core"``. A floor: a blocking wake-up (inter-processor interrupt) is extra.

    Parameters
    ----------
    placement : {"same-core", "cross-core", "cross-socket"}
        Where the server runs (:data:`PLACEMENTS`).
    cpu : str
        A key of :data:`CPUS` whose rows to use.
    """
    if placement not in PLACEMENTS:
        raise ValueError(f"placement must be one of {list(PLACEMENTS)}; got {placement!r}")
    where = PLACEMENTS[placement]
    if where is None:
        if cpu not in CPUS:
            raise ValueError(f"cpu must be one of {list(CPUS)}; got {cpu!r}")
        return 0.0
    return 2.0 * _latency(cpu, where).one_way_us


def placement_options() -> tuple[tuple[str, float], ...]:
    """``((label, added µs), ...)`` for a dropdown: same core first, then every cited CPU and placement."""
    opts = [("same core (the paper's uniprocessor case)", 0.0)]
    for r in core_to_core_rows():
        if r.where == _SMT:
            continue
        what = "across cores" if r.where == "cores" else "across sockets"
        added = cross_core_added_us("cross-core" if r.where == "cores" else "cross-socket", r.cpu)
        opts.append((f"{what}, {r.machine.split(' (')[0]}: + 2 × {r.one_way_us * 1000:.3g} ns", added))
    return tuple(opts)


def cross_core_effect(year=NOW_YEAR, placement: str = "cross-core", cpu: str = "xeon8375c",
                      threshold: float = DEFAULT_THRESHOLD) -> dict:
    """The IPC of ``year`` on one core and across cores, and what that does to the regime map.

    Parameters
    ----------
    year : int
        Calendar year (the machine of :func:`ipcmodel.history.machine_of_year`).
    placement, cpu : str
        As in :func:`cross_core_added_us`.
    threshold : float
        Overhead fraction in (0, 1) for the break-even device time.

    Returns
    -------
    dict
        ``year``, ``placement``, ``cpu``, ``ipc_same_core_us``, ``added_us``, ``ipc_cross_core_us``,
        ``ratio`` (cross ÷ same), ``syscall_us``, ``break_even_same_us``, ``break_even_cross_us``
        (device time at which the IPC overhead falls to ``threshold``), ``c2c_machine`` and
        ``c2c_year`` (the processor and year of the core-to-core row used; None for same-core),
        ``c2c_other_year`` (True when that row is not of ``year``: e.g. a 2005 figure priced with a
        2022 measurement of a 2021 Xeon, said so in ``note``), ``row_ids``, ``note``.
    """
    y = _one_year(year)
    th = float(units.check("threshold", threshold, "fraction", 0.0, 1.0, low_inclusive=False,
                           high_inclusive=False, scalar=True))
    added = cross_core_added_us(placement, cpu)
    m = machine_of_year(y)
    ipc, sc = m["ipc_round_trip_us"].value, m["syscall_us"].value
    lat = None if PLACEMENTS[placement] is None else _latency(cpu, PLACEMENTS[placement])
    ids = () if lat is None else (lat.id,)
    other = lat is not None and lat.year != y
    when = ("" if lat is None else
            f"; the transfers are those of an {lat.machine.split(' (')[0]}, measured in {lat.year} "
            f"{lat.cite.split(',')[0]}]"
            + (f", not a {y} processor: for {y} this is a what-if with a later machine's fabric" if other else ""))
    return {"year": y, "placement": placement, "cpu": cpu, "ipc_same_core_us": ipc, "added_us": added,
            "ipc_cross_core_us": ipc + added, "ratio": (ipc + added) / ipc, "syscall_us": sc,
            "break_even_same_us": float(service.break_even_service_us(ipc, sc, th)),
            "break_even_cross_us": float(service.break_even_service_us(ipc + added, sc, th)),
            "threshold": th, "row_ids": ids + m["ipc_round_trip_us"].row_ids,
            "c2c_machine": None if lat is None else lat.machine, "c2c_year": None if lat is None else lat.year,
            "c2c_other_year": other,
            "note": ("a floor: two one-way core-to-core transfers (request, reply) of another machine's "
                     "cache-coherence fabric added to the year's same-core IPC; a blocking wake-up "
                     "(inter-processor interrupt) is extra and not cited" + when)}


#: The notebook 06 probe's measurement names (:data:`ipcmodel.measure.ipc.TRANSPORTS`).
_PROBE_SAME, _PROBE_CROSS = "pipe_round_trip", "pipe_round_trip_cross_cpu"


def probe_ratio(measurements) -> dict | None:
    """This machine's cross-CPU ÷ same-CPU pipe round trip, from a notebook 06 probe run.

    ``measurements`` is the probe's ``{name: Measurement}`` mapping (``run.result.measurements``);
    the net times (interpreter overhead removed) are used. The reader's own measurement, never a
    data row: a blocking pipe round trip includes the wake-up the cited core-to-core rows leave out.

    Returns
    -------
    dict or None
        ``same_us``, ``cross_us`` (µs), ``ratio`` (cross ÷ same) and ``note``; None when either
        measurement is missing or the same-CPU net time is 0 (floored).
    """
    same, cross = measurements.get(_PROBE_SAME), measurements.get(_PROBE_CROSS)
    if same is None or cross is None or not same.net_us > 0:
        return None
    return {"same_us": float(same.net_us), "cross_us": float(cross.net_us),
            "ratio": float(cross.net_us) / float(same.net_us),
            "note": ("this machine's probe (a blocking pipe round trip, net of the interpreter), not a "
                     "cited row: it includes the cross-CPU wake-up that the core-to-core rows leave out")}
