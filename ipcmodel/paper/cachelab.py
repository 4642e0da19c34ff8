"""The cache lab's paper numbers (notebook 02b): Bershad, Draves & Forin's (1992, §3.1) DECstation
3100 collision, reproduced in the simulator, and §3's remedy with its cost.

Part of :mod:`ipcmodel.paper` (import from there).

What comes from ``data/``: the IPC path's size (§3: under 4 KB of instructions, under 2 KB of
data; b92-ipc-path-instructions, b92-ipc-path-data); the caches' geometry, direct-mapped, 64 KB
each, 16-byte instruction lines and 4-byte data lines, and the 4 KB page (Chen & Bershad 1993,
Table 2-1: cb93-icache-size-ds5000, cb93-icache-line-ds5000, cb93-dcache-size-ds5000,
cb93-dcache-line-ds5000, cb93-page-size-ds5000); the DECstation 3100's clock, miss cost and RPC
times (BDF92 §3.1: bdf92-clock-ds3100, bdf92-miss-penalty-ds3100, bdf92-rpc-ds3100,
bdf92-rpc-collision-ds3100, bdf92-extra-misses-ds3100).

What is ours: no source here gives the DECstation 3100's cache geometry, so the lab runs the
DS3100's timing on the DS5000/200's caches (both MIPS DECstations with direct-mapped caches,
the kind BDF92 §2.1 warns about). The kernel's object files (:func:`kernel_files`), their sizes,
link order, where the path sits in them, the path's split into machine-dependent and
machine-independent halves, and the size change of the unrelated file
(:data:`UNRELATED_GROWTH_BYTES`) are synthetic. We chose them so that the grown file pushes the
machine-independent IPC code onto part of the machine-dependent code, an overlap of the size
BDF92's numbers imply; the simulator then counts the misses, and the times follow from BDF92's
clock and miss cost. What the model shows is the mechanism and its arithmetic, not the 1992
link map.

The paper's arithmetic, checked: (160 − 95) µs × 16.67 MHz ÷ 5 cycles = 216.7 misses, while the
printed cycle counts give (2650 − 1600) ÷ 5 = 210; "about 215" lies between, and 215 misses ×
5 cycles ÷ 16.67 MHz = 64.5 µs, so 95 + 64.5 ≈ 160 µs. The numbers agree to their rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ipcmodel import caches, cachesim, units
from ipcmodel.cachesim import CacheGeometry, ObjectFile, SystemLayout
from ipcmodel.paper._base import v as _v
from ipcmodel.paper.caches import ipc_path_bytes

__all__ = [
    "bdf92_extra_misses_from_cycles",
    "bdf92_extra_time_us",
    "flush_growth_percent",
    "flush_growth_us",
    "UNRELATED_FILE",
    "UNRELATED_GROWTH_BYTES",
    "LINK_ORDERS",
    "SERVICE_WORKING_SET_BYTES",
    "FULL_WORKING_SET_BYTES",
    "lab_caches",
    "lab_page_bytes",
    "kernel_files",
    "lab_layout",
    "null_rpc_misses",
    "reference_misses",
    "lab_rpc_us",
    "Collision",
    "collision",
    "RemedyCost",
    "remedy_cost",
    "remedy_path_misses",
    "worst_path_misses",
    "worst_cost",
    "bdf92_collision_cycles_us",
    "flush_measurement",
]

#: The object file whose size changes (synthetic; BDF92 do not name it).
UNRELATED_FILE = "vm_fault.o"
#: How much it grows in the "after" build (bytes; synthetic, see the module docstring).
UNRELATED_GROWTH_BYTES = 2048
#: The service's working set for the remedy's cost by default (bytes; synthetic: half the data
#: cache, so it fits in the colours the remedy leaves free).
SERVICE_WORKING_SET_BYTES = 32768
#: The worst case for the remedy (bytes; synthetic): a working set exactly as large as the data cache.
FULL_WORKING_SET_BYTES = 65536
#: Where the service's working set starts, as a page colour of the data cache. Colour 0 is the
#: colour of the IPC path's data (synthetic: the layout puts the service there, so without the
#: remedy the two collide; the paper says nothing about where a service's data go).
SERVICE_COLOUR = 0

#: Link orders offered by the lab: label -> file names in order.
LINK_ORDERS = {
    "as built": ("locore.o", "pmap.o", "vm_fault.o", "vm_map.o", "ipc_kmsg.o", "ipc_port.o",
                 "kern_misc.o", "device.o"),
    "vm_fault.o after the IPC code": ("locore.o", "pmap.o", "vm_map.o", "ipc_kmsg.o", "vm_fault.o",
                                      "ipc_port.o", "kern_misc.o", "device.o"),
    "IPC files first": ("locore.o", "ipc_kmsg.o", "ipc_port.o", "pmap.o", "vm_fault.o", "vm_map.o",
                        "kern_misc.o", "device.o"),
}


def lab_caches(cache_bytes=None) -> tuple[CacheGeometry, CacheGeometry]:
    """The split caches of Chen & Bershad's Table 2-1: ``(instruction, data)``, direct-mapped.

    ``cache_bytes`` (bytes) replaces both sizes (a what-if); by default 64 KB each.
    """
    i_size = units.kb_to_bytes(_v("cb93-icache-size-ds5000"))
    d_size = units.kb_to_bytes(_v("cb93-dcache-size-ds5000"))
    if cache_bytes is not None:
        i_size = d_size = units.check("cache_bytes", cache_bytes, "bytes", 1024, 2**20, integer=True,
                                      scalar=True)
    return (CacheGeometry(int(i_size), int(_v("cb93-icache-line-ds5000"))),
            CacheGeometry(int(d_size), int(_v("cb93-dcache-line-ds5000"))))


def lab_page_bytes() -> int:
    """The page, the unit of colouring (bytes): Chen & Bershad's 4 KB."""
    return int(units.kb_to_bytes(_v("cb93-page-size-ds5000")))


def kernel_files() -> tuple[ObjectFile, ...]:
    """The synthetic kernel, "as built" before the change (sizes in bytes, see the module docstring).

    §3's instruction bound is split in two equal halves: the machine-dependent trap entry and
    context switch in ``locore.o`` (run half on entry, half on exit) and the machine-independent
    message code in ``ipc_kmsg.o``.
    """
    path_i = int(ipc_path_bytes()[0])
    md, mi = path_i // 2, path_i - path_i // 2
    return (ObjectFile("locore.o", 6144, md, 512, "entry-exit"), ObjectFile("pmap.o", 17760),
            ObjectFile("vm_fault.o", 12288), ObjectFile("vm_map.o", 23552),
            ObjectFile("ipc_kmsg.o", 14336, mi, 3072, "body"), ObjectFile("ipc_port.o", 9216),
            ObjectFile("kern_misc.o", 32768), ObjectFile("device.o", 18432))


def lab_layout(unrelated_size_bytes=None, order: str = "as built", reserve: bool = False,
               cache_bytes=None, service_data_bytes=0, service_colour=SERVICE_COLOUR) -> SystemLayout:
    """A layout of the lab: the synthetic kernel with ``vm_fault.o`` at ``unrelated_size_bytes``
    (bytes; default its "as built" size), link ``order`` (a key of :data:`LINK_ORDERS`), the
    remedy on or off, the colours counted for ``cache_bytes`` (default the data's 64 KB), the IPC
    path's data from §3, and a service that touches ``service_data_bytes`` per request, starting
    at page colour ``service_colour`` (0: the IPC path data's colour, :data:`SERVICE_COLOUR`)."""
    if order not in LINK_ORDERS:
        raise ValueError(f"order must be one of {list(LINK_ORDERS)}; got {order!r}")
    size = cache_bytes if cache_bytes is not None else lab_caches()[0].size_bytes
    lay = SystemLayout(kernel_files(), path_data_bytes=int(ipc_path_bytes()[1]), reserve=bool(reserve),
                       cache_bytes=int(units.check("cache_bytes", size, "bytes", 1024, 2**20,
                                                   integer=True, scalar=True)),
                       page_bytes=lab_page_bytes(),
                       service_data_bytes=int(units.check("service_data_bytes", service_data_bytes,
                                                          "bytes", 0, 2**22, integer=True, scalar=True)))
    colour = int(units.check("service_colour", service_colour, "colours", 0, lay.n_colours - 1,
                             integer=True, scalar=True))
    if colour:
        bases = dict(lay.segment_bases)
        bases["service-data"] += colour * lay.page_bytes
        lay = replace(lay, segment_bases=bases)
    if unrelated_size_bytes is not None:
        lay = lay.with_size(UNRELATED_FILE, int(units.check(
            "unrelated_size_bytes", unrelated_size_bytes, "bytes", 0, 2**20, integer=True, scalar=True)))
    return lay.with_order(LINK_ORDERS[order])


def null_rpc_misses(layout: SystemLayout, cache_bytes=None) -> cachesim.Counts:
    """Steady-state misses of one null RPC round trip through ``layout`` (warm caches)."""
    return cachesim.run(cachesim.round_trip_trace(layout), *lab_caches(cache_bytes))


def reference_misses() -> int:
    """Misses of one warm null RPC in the "as built" layout: the link BDF92 measured at 95 µs."""
    return null_rpc_misses(lab_layout()).misses


def lab_rpc_us(misses, reference_count=None) -> float:
    """A null RPC on the DECstation 3100 with ``misses`` per round trip (µs): BDF92's 95 µs for
    the reference layout's misses, plus 5 cycles at 16.67 MHz for each miss beyond them.

    ``reference_count`` (misses) is :func:`reference_misses` when given (a caller that needs
    many times passes it once instead of simulating the reference layout each time).
    """
    m = units.check("misses", misses, "misses", 0, 1e12, scalar=True)
    ref = reference_misses() if reference_count is None else units.check(
        "reference_count", reference_count, "misses", 0, 1e12, scalar=True)
    return cachesim.rpc_time_us(m, ref, _v("bdf92-rpc-ds3100"),
                                _v("bdf92-miss-penalty-ds3100"), _v("bdf92-clock-ds3100"))


@dataclass(frozen=True)
class Collision:
    """BDF92 §3.1 in the simulator (misses per round trip, times in µs)."""

    before_misses: int
    after_misses: int
    reordered_misses: int
    extra_misses: int
    conflict_sets: int
    before_us: float
    after_us: float
    reordered_us: float
    paper_after_us: float
    paper_extra_misses: float
    misses_from_paper_times: float


def collision() -> Collision:
    """The collision reproduced: ``vm_fault.o`` grows by :data:`UNRELATED_GROWTH_BYTES`, the IPC
    path's two halves meet in the instruction cache, and moving ``vm_fault.o`` after the IPC code
    (:data:`LINK_ORDERS`) undoes it. Times by :func:`lab_rpc_us`; for comparison BDF92's 160 µs,
    their "about 215" misses, and the misses their times imply (:func:`ipcmodel.caches.extra_misses`).
    """
    grown = kernel_files()[2].size_bytes + UNRELATED_GROWTH_BYTES
    before = null_rpc_misses(lab_layout()).misses
    after_layout = lab_layout(grown)
    after = null_rpc_misses(after_layout).misses
    again = null_rpc_misses(lab_layout(grown, "vm_fault.o after the IPC code")).misses
    return Collision(before, after, again, after - before,
                     cachesim.path_conflict_sets(after_layout, lab_caches()[0]),
                     lab_rpc_us(before), lab_rpc_us(after), lab_rpc_us(again),
                     _v("bdf92-rpc-collision-ds3100"), _v("bdf92-extra-misses-ds3100"),
                     float(caches.extra_misses(_v("bdf92-rpc-ds3100"), _v("bdf92-rpc-collision-ds3100"),
                                               _v("bdf92-clock-ds3100"), _v("bdf92-miss-penalty-ds3100"))))


def remedy_path_misses(sizes_bytes, order: str = "as built", reserve: bool = True) -> np.ndarray:
    """IPC-path misses of a warm null RPC for each size of ``vm_fault.o`` (bytes)."""
    sizes = units.check("sizes_bytes", sizes_bytes, "bytes", 0, 2**20, integer=True)
    return np.array([null_rpc_misses(lab_layout(int(s), order, reserve)).ipc_path_misses
                     for s in np.ravel(sizes)])


def worst_path_misses(order: str = "as built", reserve: bool = False,
                      coarse_step_bytes: int = 1024) -> tuple[int, int, int]:
    """The fewest and the most IPC-path misses of a warm null RPC over every size of
    ``vm_fault.o`` from 0 to one cache size, and a size that gives the most:
    ``(min misses, max misses, size in bytes)``.

    Sizes step by ``coarse_step_bytes`` (bytes) first, then by the link's alignment (16 bytes)
    within one coarse step either side of the coarse maximum, where the exact overlap lies (a
    coarse grid alone can miss it: with 1 KB steps the as-built order's worst is 472, not 512).
    """
    step = int(units.check("coarse_step_bytes", coarse_step_bytes, "bytes", 16, 65536, integer=True,
                           scalar=True))
    top = lab_caches()[0].size_bytes
    coarse = np.arange(0, top + 1, step)
    m = remedy_path_misses(coarse, order, reserve)
    centre = int(coarse[int(np.argmax(m))])
    align = lab_layout().align_bytes
    fine = np.arange(max(0, centre - step), min(top, centre + step) + 1, align)
    f = remedy_path_misses(fine, order, reserve)
    if f.max() > m.max():
        return int(min(m.min(), f.min())), int(f.max()), int(fine[int(np.argmax(f))])
    return int(min(m.min(), f.min())), int(m.max()), centre


@dataclass(frozen=True)
class RemedyCost:
    """§3's remedy for one round trip that uses a service's working set (misses per round trip)."""

    reserved_instruction_bytes: int
    reserved_data_bytes: int
    service_data_bytes: int
    path_misses_off: int
    path_misses_on: int
    service_misses_off: int
    service_misses_on: int

    @property
    def service_extra_misses(self) -> int:
        """What the reservation costs the service: its misses with the remedy minus without."""
        return self.service_misses_on - self.service_misses_off

    @property
    def misses_off(self) -> int:
        """The IPC path's and the service's misses together, remedy off."""
        return self.path_misses_off + self.service_misses_off

    @property
    def misses_on(self) -> int:
        """The IPC path's and the service's misses together, remedy on."""
        return self.path_misses_on + self.service_misses_on

    @property
    def net_extra_misses(self) -> int:
        """What the remedy changes in all (path + service): negative when it pays, positive when
        the service loses more than the path gains."""
        return self.misses_on - self.misses_off


def remedy_cost(service_data_bytes=SERVICE_WORKING_SET_BYTES, unrelated_size_bytes=None,
                order: str = "as built", service_colour=SERVICE_COLOUR) -> RemedyCost:
    """Misses of a round trip whose service reads ``service_data_bytes`` (bytes), with the
    remedy off and on: the path's misses fall, the service's rise once its working set needs
    the reserved colours. ``service_colour`` is the page colour where the service's working set
    starts without the remedy (0: on the IPC path's data, the lab's synthetic placement; 1: just
    after it, so a working set up to the cache size minus a page misses the path's colour)."""
    off = lab_layout(unrelated_size_bytes, order, False, service_data_bytes=service_data_bytes,
                     service_colour=service_colour)
    on = replace(off, reserve=True)
    a, b = null_rpc_misses(off), null_rpc_misses(on)
    return RemedyCost(on.reserved_bytes("i"), on.reserved_bytes("d"), on.service_data_bytes,
                      a.ipc_path_misses, b.ipc_path_misses, a.service_misses, b.service_misses)


def worst_cost() -> RemedyCost:
    """:func:`remedy_cost` for the remedy's worst case: a working set as large as the data cache
    (:data:`FULL_WORKING_SET_BYTES`), which needs every colour."""
    return remedy_cost(FULL_WORKING_SET_BYTES)


def bdf92_collision_cycles_us() -> float:
    """BDF92 §3.1's printed cycle count after the collision, in µs at the DS3100's clock
    (2650 cycles ÷ 16.67 MHz = 159 µs, their "about 160")."""
    return float(units.cycles_to_us(_v("bdf92-rpc-collision-cycles-ds3100"), _v("bdf92-clock-ds3100")))


def flush_measurement(layout: SystemLayout | None = None, flush_cycles_per_line=None):
    """BDF92 §3.1's advice on the DS3100's numbers: flush both caches every iteration, subtract
    the flush (:func:`ipcmodel.cachesim.flush_and_subtract`).

    No source gives the DS3100's cost to flush a line; by default we borrow §3's lowest
    purge/flush cost of the HP-700 (b92-purge-flush-per-line-hp700), a what-if. Its value does
    not change the worst-case time: subtracting is the point.
    """
    lay = lab_layout() if layout is None else layout
    per_line = _v("b92-purge-flush-per-line-hp700") if flush_cycles_per_line is None else flush_cycles_per_line
    ic, dc = lab_caches(lay.cache_bytes)
    return cachesim.flush_and_subtract(
        cachesim.round_trip_trace(lay), ic, dc, reference_us=_v("bdf92-rpc-ds3100"),
        reference_misses=reference_misses(), miss_penalty_cycles=_v("bdf92-miss-penalty-ds3100"),
        clock_mhz=_v("bdf92-clock-ds3100"), flush_cycles_per_line=per_line)


def bdf92_extra_misses_from_cycles() -> float:
    """BDF92 §3.1's extra misses from its printed cycle counts: (collided − normal) ÷ miss cost.

    Counts, dimensionless; a cross-check of its "about 215" (see :func:`collision`).
    """
    return ((_v("bdf92-rpc-collision-cycles-ds3100") - _v("bdf92-rpc-cycles-ds3100"))
            / _v("bdf92-miss-penalty-ds3100"))


def bdf92_extra_time_us() -> float:
    """BDF92 §3.1's "about 215" extra misses at its miss cost and the DS3100's clock, in µs."""
    return (_v("bdf92-extra-misses-ds3100") * _v("bdf92-miss-penalty-ds3100")
            / _v("bdf92-clock-ds3100"))


def _grown_and_built(kind: str) -> tuple[float, float]:
    """The grown link's and the built link's ``kind`` time (µs), for the two functions below."""
    if kind not in ("warm", "worst_case"):
        raise ValueError(f"kind must be 'warm' or 'worst_case'; got {kind!r}")
    grown = lab_layout(kernel_files()[2].size_bytes + UNRELATED_GROWTH_BYTES)
    attr = "warm_us" if kind == "warm" else "worst_case_us"
    return getattr(flush_measurement(grown), attr), getattr(flush_measurement(), attr)


def flush_growth_percent(kind: str = "warm") -> float:
    """How much slower the grown link is than the link as built, in percent.

    Parameters
    ----------
    kind : {"warm", "worst_case"}
        ``"warm"``: the warm round trips (the collision shows); ``"worst_case"``: the flushed
        iterations with the flush subtracted (:func:`flush_measurement`).
    """
    grown_us, built_us = _grown_and_built(kind)
    return 100.0 * (grown_us / built_us - 1.0)


def flush_growth_us(kind: str = "warm") -> float:
    """How much slower the grown link is than the link as built, in µs (``kind`` as in
    :func:`flush_growth_percent`): the absolute cost of the collision, warm or flushed."""
    grown_us, built_us = _grown_and_built(kind)
    return grown_us - built_us
