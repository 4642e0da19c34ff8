"""Result objects of the machine probe, and their exact JSON round trip.

Every time is in microseconds (``*_us``), sizes in bytes (``*_bytes``), bandwidth in
``MB/s`` with 1 MB = 10**6 bytes.  ``ProbeResult.from_json(r.to_json()) == r`` holds exactly:
floats are written with ``repr`` precision and NaN/infinity are refused on the way out.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path

from ipcmodel.measure.stats import Summary

__all__ = [
    "SCHEMA_VERSION",
    "READABLE_VERSIONS",
    "MachineInfo",
    "Measurement",
    "ClockChoice",
    "CopyPoint",
    "LatencyPoint",
    "LatencyLadder",
    "ProbeResult",
    "make_measurement",
]

#: Bumped whenever a field is added, removed or renamed (2: the latency ladder's chase method,
#: per-level latencies and the Python chase beside the C one). Version 1 files still load.
SCHEMA_VERSION = 2
#: Older versions :meth:`ProbeResult.from_dict` upgrades on reading.
READABLE_VERSIONS = (1, 2)


@dataclass
class MachineInfo:
    """Where and when the probe ran (the stamp on every result)."""

    node: str
    machine: str
    system: str
    kernel: str
    cpu_model: str
    cpu_count: int
    cpus_allowed: int
    clock_mhz: float | None
    clock_mhz_source: str
    clocksource: str | None
    cache_line_bytes: int
    caches: list[dict]
    transparent_hugepages: str | None
    vulnerabilities: dict[str, str]
    python_version: str
    python_implementation: str
    numpy_version: str
    date_iso: str


@dataclass
class Measurement:
    """One timed operation: median per operation (µs) over repetitions, with its CI.

    ``overhead_us`` is what the interpreter adds per operation (same loop with the kernel call
    replaced by a trivial builtin, measured separately); ``net_us = max(median_us - overhead_us,
    0)`` and ``net_floored`` says whether the floor was hit.
    """

    name: str
    median_us: float
    ci_low_us: float
    ci_high_us: float
    ci_level: float
    overhead_us: float
    net_us: float
    net_floored: bool
    repetitions: int
    ops_per_repetition: int
    samples_us: list[float]
    method: str


@dataclass
class ClockChoice:
    """Which clock reads were classified as mapped (vDSO, no trap) or trapping, and why."""

    mapped_clock: str | None
    trap_clock: str | None
    distinguishable: bool
    classification: dict[str, str]
    note: str


@dataclass
class CopyPoint:
    """``numpy.copyto`` of ``size_bytes`` between preallocated arrays (per call, µs)."""

    size_bytes: int
    median_us: float
    ci_low_us: float
    ci_high_us: float
    ci_level: float
    overhead_us: float
    net_us: float
    net_floored: bool
    bandwidth_mb_per_s: float
    net_bandwidth_mb_per_s: float | None
    calls_per_repetition: int
    repetitions: int


@dataclass
class LatencyPoint:
    """Per-access time (µs) at one working set: dependent chase and independent gather."""

    working_set_bytes: int
    median_us: float
    ci_low_us: float
    ci_high_us: float
    ci_level: float
    excess_us: float
    excess_cycles: float | None
    gather_us: float
    accesses_per_repetition: int
    repetitions: int
    #: The Python chase's median (µs) at this working set when ``median_us`` is the C chase's.
    python_chase_us: float | None = None


@dataclass
class LatencyLadder:
    """Memory-latency ladder and the cache-miss penalty estimated from it.

    ``chase_method`` says which chase ``points[].median_us`` are: ``"c"`` (the compiled chase,
    which resolves every cache level) or ``"python"`` (the interpreter's work per step overlaps
    short misses, so the cache levels' excess latencies are lower bounds:
    ``levels_lower_bounds``; only the memory level is a usable reading). ``chase_note`` names
    the compiler, or why the C chase was not used. ``levels``: one dict per cache level and
    one for memory (see :func:`ipcmodel.measure._levels.ladder_levels`).
    """

    points: list[LatencyPoint]
    line_bytes: int
    baseline_us: float
    miss_penalty_us: float
    miss_penalty_cycles: float | None
    clock_mhz: float | None
    method: str
    chase_method: str = "python"
    levels_lower_bounds: bool = True
    chase_note: str = ""
    levels: list[dict] = field(default_factory=list)


@dataclass
class ProbeResult:
    """Everything one probe run measured, stamped with the machine it ran on."""

    machine: MachineInfo
    quick: bool
    duration_s: float
    measurements: dict[str, Measurement]
    clocks: ClockChoice | None
    copy: list[CopyPoint]
    latency: LatencyLadder | None
    skipped: dict[str, str] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    # -- serialisation -------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Plain nested dict (JSON types only)."""
        return asdict(self)

    def to_json(self, indent: int | None = 1) -> str:
        """JSON text; raises ValueError on NaN/infinity rather than writing invalid JSON."""
        return json.dumps(self.to_dict(), indent=indent, sort_keys=True, allow_nan=False)

    @classmethod
    def from_dict(cls, d: dict) -> ProbeResult:
        """Inverse of :meth:`to_dict`; raises ValueError naming a missing or unknown field."""
        d = dict(d)
        version = d.get("schema_version")
        if version not in READABLE_VERSIONS:
            raise ValueError(f"schema_version must be one of {list(READABLE_VERSIONS)}; got {version!r}")
        d["machine"] = _build(MachineInfo, d.get("machine"))
        d["measurements"] = {
            k: _build(Measurement, v) for k, v in _need(d, "measurements").items()
        }
        d["clocks"] = None if d.get("clocks") is None else _build(ClockChoice, d["clocks"])
        d["copy"] = [_build(CopyPoint, p) for p in _need(d, "copy")]
        if d.get("latency") is not None:
            lat = dict(d["latency"])
            lat["points"] = [_build(LatencyPoint, p) for p in _need(lat, "points")]
            d["latency"] = _build(LatencyLadder, lat)
            if version == 1:  # a Python-only ladder without levels: add them, as lower bounds
                _upgrade_v1_ladder(d["latency"], d["machine"].caches)
        d["schema_version"] = SCHEMA_VERSION
        return _build(cls, d)

    @classmethod
    def from_json(cls, text: str) -> ProbeResult:
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))

    def save(self, path) -> Path:
        """Write :meth:`to_json` to ``path`` (and nowhere else); returns the path."""
        p = Path(path)
        p.write_text(self.to_json() + "\n", encoding="utf-8")
        return p

    @classmethod
    def load(cls, path) -> ProbeResult:
        """Read a result written by :meth:`save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def _upgrade_v1_ladder(lat: LatencyLadder, caches) -> None:
    from ipcmodel.measure._levels import ladder_levels

    lat.chase_method, lat.levels_lower_bounds = "python", True
    lat.chase_note = "saved before the probe had a C chase: schema version 1"
    lat.levels = ladder_levels(lat.points, caches, lat.baseline_us, lat.clock_mhz, lower_bounds=True)


def _need(d: dict, key: str):
    if key not in d:
        raise ValueError(f"probe result JSON is missing field {key!r}")
    return d[key]


def _build(cls, d):
    if not isinstance(d, dict):
        raise ValueError(f"{cls.__name__} must be a JSON object; got {type(d).__name__}")
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(d) - names)
    if unknown:
        raise ValueError(f"unknown field(s) for {cls.__name__}: {unknown}")
    required = {f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
    missing = sorted(required - set(d))
    if missing:
        raise ValueError(f"probe result JSON is missing field(s) of {cls.__name__}: {missing}")
    return cls(**d)


def make_measurement(name: str, summary: Summary, samples_us, *, overhead_us: float,
                     ops_per_repetition: int, method: str) -> Measurement:
    """Build a :class:`Measurement` from a summary, flooring the net value at 0 with a flag."""
    net = summary.median_us - overhead_us
    return Measurement(
        name=name,
        median_us=summary.median_us,
        ci_low_us=summary.ci_low_us,
        ci_high_us=summary.ci_high_us,
        ci_level=summary.ci_level,
        overhead_us=float(overhead_us),
        net_us=max(net, 0.0),
        net_floored=net < 0.0,
        repetitions=len(samples_us),
        ops_per_repetition=int(ops_per_repetition),
        samples_us=[float(x) for x in samples_us],
        method=method,
    )
