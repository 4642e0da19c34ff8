"""The whole program: what a microkernel structure adds to a program's run time (Amdahl for crossings).

:mod:`ipcmodel.service` prices *one* use of a service. A program spends time outside any service
and uses services many times, and one use is rarely one kernel crossing (Maeda & Bershad 1992
count four socket accesses per UDP round trip). For one kind of service::

    t_mono  = outside + uses × (crossings × syscall             + service + service_locality)
    t_micro = outside + uses × (crossings × (ipc + ipc_path_locality) + service + service_locality)

* ``crossings`` (per use) are paid as system calls by the monolithic structure and as round-trip
  IPCs by the microkernel (the same count on both sides: the structure changes how each crossing
  is made, not how many a service needs);
* the service's own time and its own cache misses (``service_locality_us``) are paid by both;
  only the IPC path's extra misses are the microkernel's alone (§3).

The *microkernel share* of the program is ``(t_micro - t_mono) / t_micro`` (clipped at 0). With
one use, one crossing and nothing outside, it equals
:func:`ipcmodel.service.ipc_overhead_fraction`. Amdahl's law: however large the per-use overhead,
the program loses at most the share of its time spent crossing.

:func:`macrobenchmarks` holds this model against what was measured: Chen & Bershad (1993),
Table 2-2 (run times of thirteen programs under Mach 3.0 and Ultrix on a DECstation 5000/200) and
Figure 3-1 (the share of cycles spent in the system). :func:`on_map` and :func:`map_placements`
place §2's two machines on notebook 05's regime map for the 1992 services, at one crossing per
use and at the crossings Maeda & Bershad count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ipcmodel import paper, service, units
from ipcmodel.data import fact, load_facts

__all__ = [
    "MAP_SIDES",
    "program_times_us",
    "microkernel_share",
    "CHEN_BERSHAD_BENCHMARKS",
    "MacroComparison",
    "macrobenchmarks",
    "format_macrobenchmarks",
    "macrobenchmarks_json",
    "macrobenchmark",
    "verdict_counts",
    "ceiling_totals",
    "HAERTIG97_IDS",
    "haertig97_penalties",
    "haertig97_citation",
    "format_haertig97",
    "MAP_SERVICES",
    "MAP_MACHINES",
    "MapPlacement",
    "udp_crossings",
    "on_map",
    "map_placements",
    "sockets_only_overhead",
    "format_map_placements",
]

#: Where a machine lies on the regime map: above the boundary line (the IPC overhead within the
#: threshold) or below it (the overhead exceeds it). Notebook prose prints these words only as
#: the model computes them (``{{word:...}}`` in tools/notebook_text.py).
MAP_SIDES = ("above the boundary line", "below the boundary line")

_TIME_MAX_US = 1e13  # about four months: a whole program, not one service use
_CROSSINGS_MAX = 1e3

_res = units.scalar_or_array


def program_times_us(outside_us, uses, service_us, syscall_us, ipc_us, crossings_per_use=1.0,
                     service_locality_us=0.0, ipc_path_locality_us=0.0):
    """Run time of a program under the monolithic and the microkernel structure (µs).

    Parameters
    ----------
    outside_us : float or array_like
        Time the program spends outside any service (µs), >= 0.
    uses : float or array_like
        Service uses in the run (count), >= 0 (a rate times a duration is fine: need not be whole).
    service_us : float or array_like
        The service's own time per use, e.g. a device (µs), >= 0.
    syscall_us : float or array_like
        One system call (µs): how the monolithic structure crosses.
    ipc_us : float or array_like
        One round-trip IPC (µs): how the microkernel structure crosses.
    crossings_per_use : float or array_like
        Kernel crossings per service use (count per use), in (0, 1000]; fractional values model a
        share of uses that need no crossing at all (e.g. 1/3 for §5's "two out of three").
    service_locality_us : float or array_like
        The service's own cache misses per use (µs), paid by both structures.
    ipc_path_locality_us : float or array_like
        Misses on the IPC path per crossing (µs), paid by the microkernel only.

    Returns
    -------
    (float or ndarray, float or ndarray)
        ``(t_mono_us, t_micro_us)``.
    """
    out = units.check_nonnegative("outside_us", outside_us, "µs", _TIME_MAX_US)
    n = units.check_nonnegative("uses", uses, "count", 1e12)
    s = units.check_nonnegative("service_us", service_us, "µs", _TIME_MAX_US)
    sc = units.check_nonnegative("syscall_us", syscall_us, "µs", _TIME_MAX_US)
    ipc = units.check_nonnegative("ipc_us", ipc_us, "µs", _TIME_MAX_US)
    c = units.check_in_range("crossings_per_use", crossings_per_use, "crossings per use", 0.0,
                             _CROSSINGS_MAX, low_inclusive=False)
    loc = units.check_nonnegative("service_locality_us", service_locality_us, "µs", _TIME_MAX_US)
    ipl = units.check_nonnegative("ipc_path_locality_us", ipc_path_locality_us, "µs", _TIME_MAX_US)
    out, n, s, sc, ipc, c, loc, ipl = units.broadcast_named(
        outside_us=out, uses=n, service_us=s, syscall_us=sc, ipc_us=ipc, crossings_per_use=c,
        service_locality_us=loc, ipc_path_locality_us=ipl)
    shared = s + loc
    mono = out + n * (c * sc + shared)
    micro = out + n * (c * (ipc + ipl) + shared)
    return _res(mono), _res(micro)


def microkernel_share(outside_us, uses, service_us, syscall_us, ipc_us, crossings_per_use=1.0,
                      service_locality_us=0.0, ipc_path_locality_us=0.0):
    """Share of the microkernel program's run time that the monolithic structure would not spend.

    ``(t_micro - t_mono) / t_micro`` from :func:`program_times_us` (same parameters), clipped at
    0 when IPC is the cheaper route; dimensionless, in [0, 1].
    """
    mono, micro = program_times_us(outside_us, uses, service_us, syscall_us, ipc_us,
                                   crossings_per_use, service_locality_us, ipc_path_locality_us)
    mono, micro = np.asarray(mono, float), np.asarray(micro, float)
    safe = np.where(micro > 0, micro, 1.0)
    return _res(np.clip(np.where(micro > 0, (micro - mono) / safe, 0.0), 0.0, 1.0))


#: The programs of Chen & Bershad (1993), Table 2-2, in the table's order.
CHEN_BERSHAD_BENCHMARKS = ("sed", "egrep", "yacc", "gcc", "compress", "ab", "espresso", "lisp",
                           "eqntott", "fpppp", "doduc", "liv", "tomcatv")

#: Table 2-2 prints run times to the hundredth of a second.
_PRINTED_PRECISION_S = 0.01


@dataclass(frozen=True)
class MacroComparison:
    """One program of Chen & Bershad's Table 2-2 against the IPC-only model (times in s).

    ``model_ipc_s`` is the most IPC's *direct* cost can account for: that cost is system time, so
    it fills at most the growth of the system's time under Mach (Figure 3-1's system share of
    cycles times the run time), and at most the measured difference. IPC's *indirect* cost, user
    misses on lines that system activity evicted (§3, citing Mogul & Borg; Chen & Bershad's
    user/system competition, their §4.3), lands in user time and is not in this ceiling. ``explained_fraction`` is
    ``model_ipc_s / (mach - ultrix)`` (``None`` when Mach was not measurably slower).
    ``rpc_per_s_needed`` is how many extra RPCs per second of Mach run time that ceiling would
    take, at the DECstation 5000/200's RPC-minus-system-call difference (§2.1).
    """

    id: str
    benchmark: str
    measured_mach_s: float
    measured_ultrix_s: float
    system_mach_s: float
    system_ultrix_s: float
    model_ipc_s: float
    explained_fraction: float | None
    rpc_per_s_needed: float
    inputs: tuple
    verdict: str

    @property
    def measured_difference_s(self) -> float:
        return self.measured_mach_s - self.measured_ultrix_s

    @property
    def explained_pct(self) -> float | None:
        """``explained_fraction`` in percent (None when Mach was not measurably slower)."""
        return None if self.explained_fraction is None else 100.0 * self.explained_fraction


def _comparison(bench: str, extra_per_rpc_us: float, rpc_ids: tuple) -> MacroComparison:
    ids = {k: f"cb93-{kind}-{bench}-{os_}" for k, kind, os_ in (
        ("tm", "runtime", "mach"), ("tu", "runtime", "ultrix"),
        ("sm", "system-share", "mach"), ("su", "system-share", "ultrix"))}
    v = {k: fact(i).value for k, i in ids.items()}
    tm, tu = v["tm"], v["tu"]
    sys_m, sys_u = v["sm"] / 100.0 * tm, v["su"] / 100.0 * tu
    diff = tm - tu
    measurable = diff > _PRINTED_PRECISION_S + 1e-9
    ceiling = float(np.clip(sys_m - sys_u, 0.0, diff)) if measurable else 0.0
    rpcs = ceiling * 1e6 / extra_per_rpc_us if extra_per_rpc_us > 0 else 0.0  # s -> µs, / µs per RPC
    rate = rpcs / tm
    if not measurable:
        explained = None
        verdict = ("Mach not slower at the printed precision (0.01 s): an IPC-only model, which "
                   "can only add time, explains nothing here")
    else:
        explained = ceiling / diff
        if explained < 0.5:
            verdict = (f"mostly not IPC: even if all of Mach's extra system time were IPC it "
                       f"would explain at most {explained:.0%}; the rest is user time (which IPC "
                       "reaches only indirectly, by evicting the program's cache lines)")
        else:
            verdict = (f"IPC could explain up to {explained:.0%} only if {ceiling / sys_m:.0%} of "
                       f"Mach's system time were extra RPC cost ({rate:,.0f} extra RPCs per "
                       "second); Chen & Bershad found IPC a small part of system overhead (§3)")
    return MacroComparison(
        id=f"cb93-{bench}", benchmark=bench, measured_mach_s=tm, measured_ultrix_s=tu,
        system_mach_s=sys_m, system_ultrix_s=sys_u, model_ipc_s=ceiling,
        explained_fraction=explained, rpc_per_s_needed=float(rate),
        inputs=tuple(ids.values()) + rpc_ids, verdict=verdict)


def macrobenchmarks() -> list[MacroComparison]:
    """Chen & Bershad's thirteen programs against the IPC-only model, in Table 2-2's order.

    Run times and system shares come from ``data/`` (ChenBershad93 Table 2-2 and Figure 3-1);
    the per-RPC extra cost is the DECstation 5000/200's RPC minus its system call (Bershad92
    §2, §2.1). Note that the system shares were measured on traced runs and the run times on
    untraced ones: combining them is an approximation (Chen & Bershad, §2.1, on distortion).
    """
    rpc, sc = fact("b92-rpc-ds5000"), fact("b92-syscall-ds5000")
    extra = paper.rpc_syscall_gap_us("ds5000")  # 57 - 8 µs
    return [_comparison(b, extra, (rpc.id, sc.id)) for b in CHEN_BERSHAD_BENCHMARKS]


def macrobenchmark(benchmark: str) -> MacroComparison:
    """The :func:`macrobenchmarks` row of one program of Table 2-2 (e.g. ``"ab"``)."""
    if benchmark not in CHEN_BERSHAD_BENCHMARKS:
        raise ValueError(f"benchmark must be one of {CHEN_BERSHAD_BENCHMARKS}; got {benchmark!r}")
    return next(r for r in macrobenchmarks() if r.benchmark == benchmark)


def verdict_counts(rows: list[MacroComparison] | None = None) -> dict[str, int]:
    """How many programs fall in each verdict: ``"not slower"`` (Mach not measurably slower),
    ``"mostly not IPC"`` (at most half of the difference could be IPC) and ``"IPC at most"``
    (the system's growth could cover the difference: an upper bound, not a finding)."""
    rows = macrobenchmarks() if rows is None else rows
    out = {"not slower": 0, "mostly not IPC": 0, "IPC at most": 0}
    for r in rows:
        f = r.explained_fraction
        out["not slower" if f is None else "mostly not IPC" if f < 0.5 else "IPC at most"] += 1
    return out


def ceiling_totals(rows: list[MacroComparison] | None = None) -> tuple[float, float]:
    """``(model_ipc_s, measured_s)`` summed over the programs where Mach was measurably slower:
    the most an IPC-only model can explain, and the seconds by which Mach was slower (s)."""
    rows = macrobenchmarks() if rows is None else rows
    slower = [r for r in rows if r.explained_fraction is not None]
    return (float(sum(r.model_ipc_s for r in slower)),
            float(sum(r.measured_difference_s for r in slower)))


#: Härtig et al. (1997), abstract: L4Linux's AIM throughput penalty against native Linux and the
#: MkLinux penalties as multiples of it (context rows of ``data/history.csv``).
HAERTIG97_IDS = ("haertig97-l4linux-aim-penalty", "haertig97-mklinux-inkernel-ratio",
                 "haertig97-mklinux-user-ratio")


def haertig97_penalties() -> list[tuple[str, float, str]]:
    """AIM throughput penalties against native Linux (Härtig et al. 1997, abstract), in percent.

    Returns ``[(system, penalty_percent, row ids), ...]``: L4Linux's reported penalty (about
    5 %) and the MkLinux versions' penalties, computed as the reported multiples (5× co-located
    in the kernel, 7× at user level) of it. Whole-system measurements: nothing here is an input
    of the IPC-only model, and nothing in the model is tuned to them.
    """
    rows = load_facts("history.csv")
    l4, mk_in, mk_user = (rows[i] for i in HAERTIG97_IDS)
    if l4.unit != "percent":
        raise ValueError(f"{l4.id}: expected a penalty in percent, got unit {l4.unit!r}")
    return [("L4Linux (user-level Linux server on L4)", float(l4.value), l4.id),
            ("MkLinux, co-located in the kernel", float(l4.value * mk_in.value), f"{l4.id}, {mk_in.id}"),
            ("MkLinux, user-level server", float(l4.value * mk_user.value), f"{l4.id}, {mk_user.id}")]


def haertig97_citation() -> str:
    """The short citation of :func:`haertig97_penalties`' rows, ``"[Haertig97, Abstract,
    sentence 4; Abstract, sentence 5]"`` (key and locators read from data/history.csv)."""
    rows = load_facts("history.csv")
    l4, mk_in, mk_user = (rows[i] for i in HAERTIG97_IDS)
    locators = list(dict.fromkeys(r.locator for r in (l4, mk_in, mk_user)))
    return f"[{l4.source}, {'; '.join(locators)}]"


def format_haertig97() -> str:
    """A short plain-text section on :func:`haertig97_penalties` (after the Table 2-2 comparison)."""
    lines = ["", "Haertig et al. (1997), abstract: AIM benchmark maximum throughput against native "
             "Linux (whole-system context, not a model input)"]
    for name, pct, ids in haertig97_penalties():
        lines.append(f"  {name:<40} about {pct:>4.0f}% lower  [{ids}]")
    lines.append("  Whole-system throughput, not a breakdown: the abstract does not say how much of "
                 "each penalty is IPC, so no row of the model is compared with it.")
    return "\n".join(lines)


def format_macrobenchmarks(rows: list[MacroComparison] | None = None) -> str:
    """A plain-text table of :func:`macrobenchmarks` (what ``python -m ipcmodel workload`` prints)."""
    rows = macrobenchmarks() if rows is None else rows
    head = (f"{'program':<9} {'Mach s':>8} {'Ultrix s':>8} {'diff s':>7} {'direct at most':>14} "
            f"{'explained':>9}  verdict")
    lines = ["Chen & Bershad (1993) Table 2-2 and Figure 3-1, DECstation 5000/200, against an "
             "IPC-only model ('direct at most': the growth of system time, s; IPC's indirect cost, "
             "user misses after a crossing, is not in it)", head, "-" * len(head)]
    for r in rows:
        ex = "-" if r.explained_fraction is None else f"{r.explained_fraction:.0%}"
        lines.append(f"{r.benchmark:<9} {r.measured_mach_s:>8.2f} {r.measured_ultrix_s:>8.2f} "
                     f"{r.measured_difference_s:>7.2f} {r.model_ipc_s:>14.2f} {ex:>9}  {r.verdict}")
    return "\n".join(lines)


def macrobenchmarks_json(rows: list[MacroComparison] | None = None) -> list[dict]:
    """:func:`macrobenchmarks` as JSON-ready dicts (keys ``id``, ``benchmark``,
    ``measured_mach_s``, ``measured_ultrix_s``, ``model_ipc_s``, ``explained_fraction``,
    ``inputs``, ``verdict`` and the intermediate values)."""
    rows = macrobenchmarks() if rows is None else rows
    out = []
    for r in rows:
        d = asdict(r)
        d["inputs"] = list(r.inputs)
        d["measured_difference_s"] = r.measured_difference_s
        out.append(d)
    return out


# ---- the paper's machines on the regime map (notebook 05's summary and W1) ---------------------

#: The 1992 services notebook 05 places the paper's machines against, with the crossings per use
#: each is priced at: Maeda & Bershad's Table 1 UDP round trip (DECstation 2100, Mach 2.5: protocol
#: software and wire time, not a device) as one crossing, as their 4 socket accesses, and as all
#: the crossings they count (:func:`ipcmodel.paper.crossing_cases`); §2's "several hundred µs" of
#: network latency at the low and the high end of the span the words allow (one crossing).
MAP_SERVICES = ("udp", "udp-sockets", "udp-counted", "net-low", "net-high")
#: Machines placed by :func:`map_placements`: §2's two (published RPC and system call).
MAP_MACHINES = ("cvax", "ds5000")


@dataclass(frozen=True)
class MapPlacement:
    """One machine at one 1992 service on the regime map (µs; ``overhead`` a fraction).

    ``overhead`` is :func:`ipcmodel.service.ipc_overhead_fraction` with the machine's published
    RPC and system call and ``crossings_per_use`` on both sides (the map's model);
    ``break_even_us`` the service time above which it stays within ``threshold`` at the same
    crossings. ``exceeds`` is True when the overhead is more than the threshold: the machine is
    then *below* the boundary line (IPC matters), else above it.
    """

    machine_id: str
    machine: str
    service: str
    service_label: str
    service_us: float
    crossings_per_use: float
    overhead: float
    threshold: float
    break_even_us: float
    inputs: tuple

    @property
    def pct(self) -> float:
        """The overhead in percent."""
        return 100.0 * self.overhead

    @property
    def break_even_ms(self) -> float:
        return self.break_even_us / 1000.0

    @property
    def exceeds(self) -> bool:
        return self.overhead > self.threshold

    @property
    def side(self) -> str:
        """``"below the boundary line"`` when the overhead exceeds the threshold, else ``"above"``."""
        return MAP_SIDES[1] if self.exceeds else MAP_SIDES[0]


def udp_crossings() -> dict[str, float]:
    """Crossings per UDP round trip: ``{"udp": 1, "udp-sockets": 4, "udp-counted": 8}``.

    1 is how the regime map prices one use; 4 are Maeda & Bershad's socket accesses per round
    trip (mb92-socket-accesses-per-rtt); 8 adds, for each of the 2 packets, a driver write and a
    packet-filter receive (:func:`ipcmodel.paper.crossing_cases`, their §2.2 count).
    """
    return {"udp": 1.0, "udp-sockets": float(fact("mb92-socket-accesses-per-rtt").value),
            "udp-counted": float(paper.crossing_cases()[-1].crossings_per_use)}


def _map_service(service_key: str) -> tuple[str, float, float, tuple]:
    """(label, µs, crossings per use, fact ids) of one of :data:`MAP_SERVICES`."""
    if service_key not in MAP_SERVICES:
        raise ValueError(f"service must be one of {MAP_SERVICES}; got {service_key!r}")
    if service_key.startswith("udp"):
        udp = fact("mb92-udp-rtt-mach25")
        if udp.unit != "ms":
            raise ValueError(f"{udp.id}: expected a time in ms, got unit {udp.unit!r}")
        c = udp_crossings()[service_key]
        what = {"udp": "as the map prices it", "udp-sockets": "socket accesses only",
                "udp-counted": "all crossings counted"}[service_key]
        return (f"UDP round trip, {what}", float(units.ms_to_us(udp.value)), c,
                (udp.id, "mb92-socket-accesses-per-rtt"))
    lat = fact("b92-network-latency")
    if lat.unit != "us" or lat.value_high is None:
        raise ValueError(f"{lat.id}: expected a range in us, got {lat.value!r} {lat.unit!r}")
    low = service_key == "net-low"
    return (f"§2's network latency, {'low' if low else 'high'} end",
            float(lat.value if low else lat.value_high), 1.0, (lat.id,))


def on_map(machine_id: str, service_key: str = "udp") -> MapPlacement:
    """Where a machine with a published RPC and system call sits for one of :data:`MAP_SERVICES`,
    at the explorers' starting threshold (:data:`ipcmodel.service.DEFAULT_THRESHOLD`, five percent:
    a yardstick, the paper names none).

    Raises
    ------
    ValueError
        For an unknown service key, or a machine without a published RPC or system call.
    """
    from ipcmodel.machines import machine  # lazy: machines reads data/ on first use

    m = machine(machine_id)
    if m.rpc_us is None or m.syscall_us is None:
        raise ValueError(f"machine_id must name a machine with a published RPC and system call; "
                         f"{machine_id!r} has rpc_us={m.rpc_us}, syscall_us={m.syscall_us}")
    label, s_us, c, ids = _map_service(service_key)
    th = service.DEFAULT_THRESHOLD
    f = float(service.ipc_overhead_fraction(m.rpc_us, m.syscall_us, s_us, crossings_per_use=c))
    be = float(service.break_even_service_us(m.rpc_us, m.syscall_us, th, crossings_per_use=c))
    return MapPlacement(m.id, m.name, service_key, label, s_us, c, f, th, be, ids)


def map_placements(machines=MAP_MACHINES) -> list[MapPlacement]:
    """:func:`on_map` for every machine id of ``machines`` and every one of :data:`MAP_SERVICES`."""
    return [on_map(mid, s) for mid in machines for s in MAP_SERVICES]


def sockets_only_overhead(machine_id: str) -> float:
    """The UDP round trip's overhead at all 8 counted crossings when the monolithic kernel is charged
    only the 4 socket system calls it makes (its driver and packet filter are in the kernel; the
    map's model charges it 8): ``(8 × RPC − 4 × syscall) / (8 × RPC + service)``, a fraction.
    """
    from ipcmodel.machines import machine

    p, m = on_map(machine_id, "udp-counted"), machine(machine_id)
    micro = p.crossings_per_use * m.rpc_us + p.service_us
    mono = udp_crossings()["udp-sockets"] * m.syscall_us + p.service_us
    return float(max(micro - mono, 0.0) / micro)


def format_map_placements(rows: list[MapPlacement] | None = None) -> str:
    """A plain-text table of :func:`map_placements` (notebook 05 prints it)."""
    rows = map_placements() if rows is None else rows
    if not rows:
        return ""
    lines = ["UDP round trip: Maeda & Bershad's, DECstation 2100, Mach 2.5 (protocol software + wire)",
             f"{'machine':20s} {'service':37s} {'µs':>6s} {'crossings':>9s} {'overhead':>8s} "
             f"{'break-even':>11s}  side (at {100 * rows[0].threshold:g}%)"]
    for r in rows:
        lines.append(f"{r.machine:20s} {r.service_label:37s} {r.service_us:6,.0f} {r.crossings_per_use:9g} "
                     f"{r.pct:7.2f}% {r.break_even_us:8,.0f} µs  {r.side}")
    return "\n".join(lines)
