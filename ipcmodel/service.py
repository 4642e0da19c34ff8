"""The core model: what it costs to use an operating-system service.

For one use of a service (one request and its reply)::

    time = crossing + locality + service's own time

* **crossing** (µs): one system call into a monolithic kernel, or one round-trip
  cross-address-space IPC (RPC) to a user-level server (Bershad 1992, §2.1);
* **locality** (µs): ``lines_touched × miss_fraction × miss_penalty_cycles / clock_mhz``:
  the change of locality that comes with any service invocation (§3);
* **service** (µs): the device or work itself: a disk seek, a network round trip, a copy (§2).

A microkernel adds one more change of locality than a monolithic kernel: the IPC path through
the microkernel (§3 says under 4 KB of instructions and 2 KB of data on Mach 3.0/MIPS). The
IPC path's misses (``ipc_path_locality_us``) are the microkernel's alone, once per crossing.
The service's own misses (``service_locality_us``, L, the monolithic kernel's) are paid by both
structures; the microkernel pays ``k × L``, with ``k = micro_service_locality_factor``
(dimensionless, in [0, 10]). ``k = 1`` (the default) is the paper's assumption: the same
service code, the same misses. Chen & Bershad (1993) found the opposite for Mach 3.0 against
Ultrix: more system instructions and a memory penalty per system instruction one to three times
Ultrix's, so ``k > 1`` is the objection to that assumption.

One use of a service is rarely one crossing: ``crossings_per_use`` (c) counts the kernel
crossings a use needs (Maeda & Bershad 1992 count four socket accesses per UDP round trip; §5's
emulation library answers two calls of three without one, c = 1/3). The monolithic structure
makes each crossing as a system call, the microkernel as a round-trip IPC::

    t_mono  = c × syscall                  +     L + service
    t_micro = c × (ipc + ipc_path_locality) + k × L + service

The *IPC overhead fraction* is the share of the microkernel's total time that the monolithic path
would not spend::

    overhead = (t_micro - t_mono) / t_micro,   clipped at 0 when IPC is the cheaper route.

It falls toward 0 as the service's own time grows: the paper's thesis in one line. With
``k = 1`` it also falls as the service's own misses grow (they sit in both times); with
``k > 1`` the microkernel's extra ``(k - 1) × L`` grows with the miss penalty, and the overhead
tends to ``(k - 1) / k`` instead: it rises with the penalty whenever
``(k - 1) × (c × (ipc + ipc_path_locality) + service) > k × c × (ipc + ipc_path_locality - syscall)``.
With ``c = 1`` and ``k = 1`` this is the per-access model of the notebooks' first explorers;
:func:`ipcmodel.workload.microkernel_share` is the same sum over a whole program (``k = 1``).
"""

from __future__ import annotations

import numpy as np

from ipcmodel import units

__all__ = [
    "locality_us",
    "service_time_us",
    "monolithic_time_us",
    "microkernel_time_us",
    "ipc_overhead_fraction",
    "break_even_service_us",
    "max_ipc_us",
    "ServiceBreakdown",
    "breakdown",
    "DEFAULT_THRESHOLD",
    "MICRO_SERVICE_LOCALITY_FACTOR_MAX",
]

_TIME_MAX_US = 1e9  # a thousand seconds: anything larger is a typo, not an OS service
_CROSSINGS_MAX = 1e3  # crossings per use; the workload model uses the same bound
#: Upper end of ``micro_service_locality_factor`` (×): ten times the monolithic kernel's misses
#: is well past the one to three times Chen & Bershad (1993, §3) report per system instruction.
MICRO_SERVICE_LOCALITY_FACTOR_MAX = 10.0

#: Starting overhead threshold of the explorers and the history tables: a yardstick for
#: discussion (5%), not a measured number.
DEFAULT_THRESHOLD = 0.05


_res = units.scalar_or_array  # a float for scalar inputs, the array otherwise


def _crossings(crossings_per_use):
    """Validate crossings per use (count per use, in (0, 1000])."""
    return units.check("crossings_per_use", crossings_per_use, "crossings per use", 0.0,
                       _CROSSINGS_MAX, low_inclusive=False)


def _factor(micro_service_locality_factor):
    """Validate the microkernel's service misses as a multiple of the monolithic's (×, [0, 10])."""
    return units.check("micro_service_locality_factor", micro_service_locality_factor, "×", 0.0,
                       MICRO_SERVICE_LOCALITY_FACTOR_MAX)


def _times_us(**named):
    """Validate named times (µs, in [0, 1e9]) under the caller's names and broadcast them."""
    return units.broadcast_named(**{k: units.check_nonnegative(k, v, "µs", _TIME_MAX_US)
                                    for k, v in named.items()})


def locality_us(lines_touched, miss_fraction, miss_penalty_cycles, clock_mhz):
    """Time lost to cache misses on a change of locality (§3).

    Parameters
    ----------
    lines_touched : float or array_like
        Cache lines the code path touches (lines), >= 0.
    miss_fraction : float or array_like
        Fraction of those lines that miss (0 = hot cache, 1 = cold cache).
    miss_penalty_cycles : float or array_like
        Cycles to service one miss (cycles), in [0, 1e6].
    clock_mhz : float or array_like
        Processor clock (MHz), > 0.

    Returns
    -------
    float or ndarray
        Microseconds: ``lines_touched * miss_fraction * miss_penalty_cycles / clock_mhz``.
    """
    n = units.check_nonnegative("lines_touched", lines_touched, "lines", 1e9)
    f = units.check_fraction("miss_fraction", miss_fraction)
    p = units.check_nonnegative("miss_penalty_cycles", miss_penalty_cycles, "cycles", 1e6)
    c = units.check_positive("clock_mhz", clock_mhz, "MHz", 1e6)
    n, f, p, c = units.broadcast_named(lines_touched=n, miss_fraction=f,
                                       miss_penalty_cycles=p, clock_mhz=c)
    return _res(n * f * p / c)


def service_time_us(crossing_us, locality_cost_us, service_us):
    """Total time to use a service: ``crossing_us + locality_cost_us + service_us`` (µs)."""
    a, b, s = _times_us(crossing_us=crossing_us, locality_cost_us=locality_cost_us,
                        service_us=service_us)
    return _res(a + b + s)


def monolithic_time_us(syscall_us, service_us, service_locality_us=0.0):
    """Monolithic kernel: one system call + the service's locality + its own time (µs)."""
    sc, s, loc = _times_us(syscall_us=syscall_us, service_us=service_us,
                           service_locality_us=service_locality_us)
    return _res(sc + loc + s)


def microkernel_time_us(ipc_us, service_us, service_locality_us=0.0, ipc_path_locality_us=0.0,
                        micro_service_locality_factor=1.0):
    """Microkernel: one round-trip IPC + the service's locality (× k) + the IPC path's + its own time.

    Parameters
    ----------
    ipc_us : float or array_like
        Round-trip cross-address-space RPC, warm cache (µs).
    service_us : float or array_like
        The service's own time, e.g. device latency (µs).
    service_locality_us : float or array_like
        Misses on the service's code and data in the *monolithic* kernel (µs).
    ipc_path_locality_us : float or array_like
        Extra misses on the microkernel's IPC path (µs), see :func:`locality_us`.
    micro_service_locality_factor : float or array_like
        The microkernel's service misses as a multiple of ``service_locality_us`` (×), in
        [0, 10]; 1 = the same misses in both structures (the paper's assumption).
    """
    ipc, s, loc, ipl = _times_us(ipc_us=ipc_us, service_us=service_us,
                                 service_locality_us=service_locality_us,
                                 ipc_path_locality_us=ipc_path_locality_us)
    k = _factor(micro_service_locality_factor)
    ipc, s, loc, ipl, k = units.broadcast_named(
        ipc_us=ipc, service_us=s, service_locality_us=loc, ipc_path_locality_us=ipl,
        micro_service_locality_factor=k)
    return _res(ipc + k * loc + ipl + s)


def ipc_overhead_fraction(ipc_us, syscall_us, service_us, service_locality_us=0.0,
                          ipc_path_locality_us=0.0, crossings_per_use=1.0,
                          micro_service_locality_factor=1.0):
    """Share of a microkernel's service time that a monolithic kernel would not spend.

    ``(t_micro - t_mono) / t_micro``, clipped at 0 (dimensionless, in [0, 1)), with
    ``t_mono = c·syscall + service_locality + service`` and
    ``t_micro = c·(ipc + ipc_path_locality) + k·service_locality + service``.

    Parameters
    ----------
    ipc_us, syscall_us, service_us, service_locality_us, ipc_path_locality_us : array_like
        Microseconds; see :func:`microkernel_time_us` and :func:`monolithic_time_us`.
        ``ipc_path_locality_us`` is per crossing; ``service_locality_us`` per use (the
        monolithic kernel's; the microkernel's is ``k`` times it).
    crossings_per_use : float or array_like
        Kernel crossings per service use (count), in (0, 1000]; 1/3 for §5's emulation library.
    micro_service_locality_factor : float or array_like
        ``k``: the microkernel's service misses as a multiple of the monolithic kernel's (×),
        in [0, 10]. 1 (default) = both pay the same misses, the paper's assumption; above 1,
        Chen & Bershad's (1993) finding that Mach's system code misses more than Ultrix's.

    Examples
    --------
    The DECstation 5000/200 (§2, §2.1): 57 µs RPC, 8 µs system call. For a 10 ms disk access
    the IPC overhead is under half a percent:

    >>> round(ipc_overhead_fraction(57, 8, 10_000), 4)
    0.0049

    With 100 µs of service misses, paid equally (k = 1) the share falls; if the microkernel's
    are twice the monolithic kernel's (k = 2) it rises: (49 + 100) / (57 + 200 + 1000).

    >>> round(ipc_overhead_fraction(57, 8, 1000, 100, micro_service_locality_factor=2), 4)
    0.1185
    """
    ipc, sc, s, loc, ipl = _times_us(ipc_us=ipc_us, syscall_us=syscall_us, service_us=service_us,
                                     service_locality_us=service_locality_us,
                                     ipc_path_locality_us=ipc_path_locality_us)
    c = _crossings(crossings_per_use)
    k = _factor(micro_service_locality_factor)
    ipc, sc, s, loc, ipl, c, k = units.broadcast_named(
        ipc_us=ipc, syscall_us=sc, service_us=s, service_locality_us=loc,
        ipc_path_locality_us=ipl, crossings_per_use=c, micro_service_locality_factor=k)
    micro = c * (ipc + ipl) + k * loc + s
    mono = c * sc + loc + s
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(micro > 0, (micro - mono) / np.where(micro > 0, micro, 1.0), 0.0)
    return _res(np.clip(frac, 0.0, 1.0))


def break_even_service_us(ipc_us, syscall_us, threshold, service_locality_us=0.0,
                          ipc_path_locality_us=0.0, crossings_per_use=1.0,
                          micro_service_locality_factor=1.0):
    """Smallest service time at which the IPC overhead fraction is at most ``threshold``.

    Closed form. With ``c`` crossings per use, ``k`` the microkernel's service misses as a
    multiple of the monolithic kernel's ``L = service_locality_us``, and
    ``d = c × (ipc_us + ipc_path_locality_us - syscall_us) + (k - 1) × L`` (the extra cost of the
    microkernel route) the overhead is ``d / (d + c × syscall_us + L + s)``, so the overhead
    is at most ``threshold`` when::

        s >= d / threshold - d - c × syscall_us - L

    Returns 0 when even an instant service already meets the threshold (or ``d <= 0``).

    Parameters
    ----------
    threshold : float or array_like
        Acceptable overhead fraction, in (0, 1).
    Other parameters as in :func:`ipc_overhead_fraction` (times in µs,
    ``micro_service_locality_factor`` in ×, [0, 10]).

    Returns
    -------
    float or ndarray
        Service time (µs).
    """
    th = units.check("threshold", threshold, "fraction", 0.0, 1.0,
                     low_inclusive=False, high_inclusive=False)
    ipc, sc, loc, ipl = _times_us(ipc_us=ipc_us, syscall_us=syscall_us,
                                  service_locality_us=service_locality_us,
                                  ipc_path_locality_us=ipc_path_locality_us)
    c = _crossings(crossings_per_use)
    k = _factor(micro_service_locality_factor)
    ipc, sc, loc, ipl, th, c, k = units.broadcast_named(
        ipc_us=ipc, syscall_us=sc, service_locality_us=loc, ipc_path_locality_us=ipl, threshold=th,
        crossings_per_use=c, micro_service_locality_factor=k)
    d = c * (ipc + ipl - sc) + (k - 1.0) * loc
    s = d / th - d - c * sc - loc
    return _res(np.where(d <= 0, 0.0, np.maximum(s, 0.0)))


def max_ipc_us(syscall_us, service_us, threshold, service_locality_us=0.0,
               ipc_path_locality_us=0.0, crossings_per_use=1.0, micro_service_locality_factor=1.0):
    """Largest round-trip IPC cost (µs) that keeps the overhead at most ``threshold``.

    Closed form, with ``c`` crossings per use and ``k`` the microkernel's service misses as a
    multiple of the monolithic kernel's ``L = service_locality_us``: the extra cost of the
    microkernel route ``D <= threshold * (c × syscall_us + L + service_us) / (1 - threshold)``
    and ``ipc = syscall_us - ipc_path_locality_us + (D - (k - 1) × L) / c``. Can be below
    ``syscall_us`` (or 0) when the IPC path's own misses, or the microkernel's extra service
    misses, already exceed the budget.
    """
    th = units.check("threshold", threshold, "fraction", 0.0, 1.0,
                     low_inclusive=False, high_inclusive=False)
    sc, s, loc, ipl = _times_us(syscall_us=syscall_us, service_us=service_us,
                                service_locality_us=service_locality_us,
                                ipc_path_locality_us=ipc_path_locality_us)
    c = _crossings(crossings_per_use)
    k = _factor(micro_service_locality_factor)
    sc, s, loc, ipl, th, c, k = units.broadcast_named(
        syscall_us=sc, service_us=s, service_locality_us=loc, ipc_path_locality_us=ipl,
        threshold=th, crossings_per_use=c, micro_service_locality_factor=k)
    d = th * (c * sc + loc + s) / (1.0 - th)
    return _res(np.maximum(sc - ipl + (d - (k - 1.0) * loc) / c, 0.0))


class ServiceBreakdown(dict):
    """Components of one service use for both structures, in µs (the factor in ×, crossings a count;
    a dict with a readable repr)."""

    def __repr__(self) -> str:
        keys = ("syscall_us", "ipc_us", "crossings_per_use", "service_locality_us",
                "micro_service_locality_factor", "micro_service_locality_us", "ipc_path_locality_us",
                "service_us", "monolithic_us", "microkernel_us", "overhead_fraction")
        return "\n".join(f"{k:>29} = {self[k]:.4g}" for k in keys if k in self)


def breakdown(ipc_us, syscall_us, service_us, *, ipc_path_lines=0.0, service_lines=0.0,
              miss_fraction=0.0, miss_penalty_cycles=0.0, clock_mhz=None,
              service_miss_fraction=None, crossings_per_use=1.0,
              micro_service_locality_factor=1.0) -> ServiceBreakdown:
    """Every term of the model for scalar inputs, in µs.

    Parameters
    ----------
    ipc_us, syscall_us, service_us : float
        Round-trip IPC, system call and the service's own time (µs), in [0, 1e9].
    ipc_path_lines, service_lines : float
        Cache lines of the IPC path and of the service's code and data (lines), in [0, 1e9].
    miss_fraction : float
        Fraction of the IPC path's lines that miss on each crossing, in [0, 1].
    miss_penalty_cycles : float
        Cycles per miss, in [0, 1e6].
    clock_mhz : float or None
        Clock (MHz), in (0, 1e6]; needed only when lines and misses are non-zero.
    service_miss_fraction : float or None
        Fraction of the service's lines that miss per use, in [0, 1]; None = ``miss_fraction``.
    crossings_per_use : float
        Kernel crossings per use (count), in (0, 1000].
    micro_service_locality_factor : float
        The microkernel's service misses as a multiple of the monolithic kernel's (×), in
        [0, 10]; 1 = the same in both (the paper's assumption).

    ``ipc_us``, ``syscall_us`` and ``ipc_path_locality_us`` in the result are per crossing; the
    totals multiply them by ``crossings_per_use``. ``service_locality_us`` is the monolithic
    kernel's service misses per use, ``micro_service_locality_us`` the microkernel's
    (``micro_service_locality_factor`` times it). Every argument is validated, including those
    the result does not need.
    """
    ipc = units.check("ipc_us", ipc_us, "µs", 0.0, _TIME_MAX_US, scalar=True)
    sc = units.check("syscall_us", syscall_us, "µs", 0.0, _TIME_MAX_US, scalar=True)
    s = units.check("service_us", service_us, "µs", 0.0, _TIME_MAX_US, scalar=True)
    n_ipc = units.check("ipc_path_lines", ipc_path_lines, "lines", 0.0, 1e9, scalar=True)
    n_srv = units.check("service_lines", service_lines, "lines", 0.0, 1e9, scalar=True)
    f = units.check("miss_fraction", miss_fraction, "fraction", 0.0, 1.0, scalar=True)
    fs = f if service_miss_fraction is None else units.check(
        "service_miss_fraction", service_miss_fraction, "fraction", 0.0, 1.0, scalar=True)
    pen = units.check("miss_penalty_cycles", miss_penalty_cycles, "cycles", 0.0, 1e6, scalar=True)
    clk = None if clock_mhz is None else units.check("clock_mhz", clock_mhz, "MHz", 0.0, 1e6,
                                                     low_inclusive=False, scalar=True)
    c = units.check("crossings_per_use", crossings_per_use, "crossings per use", 0.0, _CROSSINGS_MAX,
                    low_inclusive=False, scalar=True)
    k = units.check("micro_service_locality_factor", micro_service_locality_factor, "×", 0.0,
                    MICRO_SERVICE_LOCALITY_FACTOR_MAX, scalar=True)
    if (n_ipc * f or n_srv * fs) and pen:
        if clk is None:
            raise ValueError("clock_mhz (MHz) is needed to turn miss_penalty_cycles into µs; got None")
        ipl = float(locality_us(n_ipc, f, pen, clk))
        loc = float(locality_us(n_srv, fs, pen, clk))
    else:
        ipl = loc = 0.0
    # the same sums as ipc_overhead_fraction, on values already validated under this function's names
    mono = c * sc + loc + s
    micro = c * (ipc + ipl) + k * loc + s
    return ServiceBreakdown(
        syscall_us=sc, ipc_us=ipc, crossings_per_use=c, service_locality_us=loc,
        micro_service_locality_factor=k, micro_service_locality_us=k * loc,
        ipc_path_locality_us=ipl, service_us=s, monolithic_us=mono, microkernel_us=micro,
        overhead_fraction=min(max((micro - mono) / micro, 0.0), 1.0) if micro > 0 else 0.0,
    )
