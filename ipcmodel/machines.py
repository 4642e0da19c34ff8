"""Machine records built from cited data (``data/machines.csv`` + ``data/facts.csv``).

A :class:`Machine` gathers, for one computer, the numbers the model needs: clock rate,
round-trip RPC, system call, cache line and miss penalty. Every field is either a cited
:class:`~ipcmodel.data.Fact`, a value computed from cited facts (with the ids it came from), or
``None`` where no source gives it: a missing number is never filled in.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field

from ipcmodel import units
from ipcmodel.data import DataFileError, Fact, data_dir, load_facts

__all__ = ["Machine", "Derived", "load_machines", "machine", "PAPER_MACHINES"]

#: The machines of the paper and its companion papers, in the order the notebooks show them.
PAPER_MACHINES = ("cvax", "ds2100", "ds3100", "ds5000", "hp700")


@dataclass(frozen=True)
class Derived:
    """A value computed by ipcmodel from cited facts (never typed in)."""

    value: float
    unit: str
    how: str
    from_ids: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit} (computed: {self.how}; from {', '.join(self.from_ids)})"


@dataclass(frozen=True)
class Machine:
    """One machine and its cited parameters.

    Attributes are in the package's units: ``clock_mhz`` (MHz), ``rpc_us`` (µs, round trip),
    ``syscall_us`` (µs), ``cache_line_bytes`` (bytes), ``miss_penalty_cycles`` (cycles). Each is
    None when no source gives it. ``provenance`` maps each attribute to the Fact or Derived
    record it came from.
    """

    id: str
    name: str
    cpu: str
    year: int | None
    source: str
    locator: str
    clock_mhz: float | None = None
    rpc_us: float | None = None
    syscall_us: float | None = None
    cache_line_bytes: float | None = None
    miss_penalty_cycles: float | None = None
    provenance: dict = field(default_factory=dict, compare=False)

    def known(self) -> dict[str, float]:
        """The model parameters this machine has a cited value for."""
        names = ("clock_mhz", "rpc_us", "syscall_us", "cache_line_bytes", "miss_penalty_cycles")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    def missing(self) -> list[str]:
        """Model parameters no source gives for this machine."""
        names = ("clock_mhz", "rpc_us", "syscall_us", "cache_line_bytes", "miss_penalty_cycles")
        return [n for n in names if getattr(self, n) is None]

    def describe(self) -> str:
        """Multi-line text: each parameter with its citation."""
        lines = [f"{self.name} ({self.cpu}) [{self.source}, {self.locator}]"]
        for name, value in self.known().items():
            lines.append(f"  {name} = {value:g}   {_prov_text(self.provenance[name])}")
        for name in self.missing():
            lines.append(f"  {name}: no published value")
        return "\n".join(lines)


def _prov_text(p) -> str:
    return p.cite() if isinstance(p, Fact) else f"computed: {p.how} from {', '.join(p.from_ids)}"


def _pick(facts: list[Fact], quantity: str, machine_id: str, year: int | None = None) -> Fact | None:
    cands = [f for f in facts if f.machine == machine_id and f.quantity == quantity]
    if year is not None:
        cands = [f for f in cands if f.year == year] or cands
    # the latest measurement wins (e.g. the CVax's 1992 RPC, not 1989's)
    cands.sort(key=lambda f: (f.year or 0))
    return cands[-1] if cands else None


def _build(row: dict, facts: list[Fact]) -> Machine:
    mid = row["id"]
    prov: dict = {}
    vals: dict = {}

    clock = _pick(facts, "clock_rate", mid)
    cycle = _pick(facts, "cycle_time", mid)
    if clock is not None:
        vals["clock_mhz"] = clock.value
        prov["clock_mhz"] = clock
    elif cycle is not None:
        vals["clock_mhz"] = units.cycle_time_ns_to_mhz(cycle.value)
        prov["clock_mhz"] = Derived(vals["clock_mhz"], "MHz", "1000 / cycle_time_ns", (cycle.id,))

    rpc = _pick(facts, "rpc_round_trip", mid)
    if rpc is not None:
        vals["rpc_us"] = units.ms_to_us(rpc.value) if rpc.unit == "ms" else rpc.value
        prov["rpc_us"] = rpc
    else:
        call = _pick(facts, "ipc_call_cycles", mid)
        reply = _pick(facts, "ipc_reply_cycles", mid)
        if call is not None and reply is not None and "clock_mhz" in vals:
            vals["rpc_us"] = units.cycles_to_us(call.value + reply.value, vals["clock_mhz"])
            prov["rpc_us"] = Derived(vals["rpc_us"], "µs",
                                     "(call + reply cycles) / clock_mhz", (call.id, reply.id))

    sc = _pick(facts, "syscall", mid)
    if sc is not None:
        vals["syscall_us"] = sc.value
        prov["syscall_us"] = sc
    line = _pick(facts, "cache_line", mid)
    if line is not None:
        vals["cache_line_bytes"] = line.value
        prov["cache_line_bytes"] = line
    mp = _pick(facts, "miss_penalty", mid)
    if mp is not None:
        vals["miss_penalty_cycles"] = mp.value
        prov["miss_penalty_cycles"] = mp

    year = row.get("year", "").strip()
    return Machine(id=mid, name=row["name"], cpu=row["cpu"], year=int(year) if year else None,
                   source=row["source"], locator=row["locator"], provenance=prov, **vals)


@functools.cache
def load_machines() -> dict[str, Machine]:
    """All machines in ``data/machines.csv``, keyed by id, with cited parameters."""
    path = data_dir() / "machines.csv"
    facts = list(load_facts().values())
    out: dict[str, Machine] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            if not row.get("id") or not row.get("source") or not row.get("locator"):
                raise DataFileError(f"{where}: a machine needs an id, a source and a locator")
            if row["id"] in out:
                raise DataFileError(f"{where}: duplicate machine id {row['id']!r}")
            out[row["id"]] = _build(row, facts)
    return out


def machine(machine_id: str) -> Machine:
    """One machine by id (``"cvax"``, ``"ds5000"``, ``"hp700"``, ``"ds3100"``, ``"ds2100"``, ...)."""
    machines = load_machines()
    if machine_id not in machines:
        raise ValueError(f"machine_id must be one of {sorted(machines)}; got {machine_id!r}")
    return machines[machine_id]
