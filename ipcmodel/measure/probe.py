"""Run the whole probe, and turn its result into inputs for the model (µs).

Nothing runs on import.  ``run_probe(quick=True)`` takes about 10 s on a 2-core machine,
``run_probe()`` a minute or two.  A ``progress(done, total, label)`` callable, if given, is called
once with ``done == 0`` before the first step and then after every step (``label`` names the step
just finished), so a notebook can drive a progress bar without this module importing ipywidgets.
"""

from __future__ import annotations

import time
from importlib import resources

from ipcmodel.measure import ipc, memory, syscalls
from ipcmodel.measure._checks import check_sizes
from ipcmodel.measure._harness import settings
from ipcmodel.measure.machine import machine_info
from ipcmodel.measure.results import ProbeResult

__all__ = ["PARTS", "run_probe", "to_model_inputs", "load_example", "EXAMPLE_RESOURCE"]

#: The parts of the probe, in the order they run.
PARTS = ("syscall", "clocks", "ipc", "copy", "latency")
#: Package resource holding one real quick run (used when the probe cannot run).
EXAMPLE_RESOURCE = "example_result.json"


def _check_parts(parts) -> tuple[str, ...]:
    if parts is None:
        return PARTS
    if isinstance(parts, str) or not all(isinstance(p, str) for p in parts):
        raise ValueError(f"parts must be a list of names from {list(PARTS)}; got {parts!r}")
    bad = sorted(set(parts) - set(PARTS))
    if bad or not parts:
        raise ValueError(f"parts must be a non-empty list of names from {list(PARTS)}; got {parts!r}")
    return tuple(p for p in PARTS if p in parts)


def run_probe(quick: bool = False, *, repetitions: int | None = None,
              target_s: float | None = None, timeout_s: float | None = None,
              progress=None, parts=None, copy_sizes_bytes=None,
              working_sets_bytes=None, chase: str = "auto") -> ProbeResult:
    """Measure this machine; every time in the result is in µs.

    Parameters
    ----------
    quick : bool
        About 10 s instead of a minute or two (fewer repetitions, shorter batches).
    repetitions : int, optional
        Timed batches per measurement (count, >= 3); default 7 (quick) or 21.
    target_s : float, optional
        Duration of one timed batch (s, in (0, 60]); default 0.008 (quick) or 0.04.
    timeout_s : float, optional
        Budget of each measurement (s, in (0, 3600]); exceeding it raises ``TimeoutError``
        naming the measurement, after every child process has been reaped.
    progress : callable, optional
        ``progress(done: int, total: int, label: str)``.
    parts : list of str, optional
        Subset of :data:`PARTS` (``"clocks"`` implies ``"syscall"``).
    copy_sizes_bytes, working_sets_bytes : list of int, optional
        Override the copy sizes (bytes, 64 B .. 64 MiB by default) and latency working sets
        (bytes, 4 KiB .. 256 MiB by default).
    chase : {"auto", "c", "python"}
        The latency ladder's pointer chase: ``"auto"`` compiles the C chase when a C compiler
        is present and falls back to the Python chase otherwise (the result's
        ``latency.chase_method`` and ``latency.levels_lower_bounds`` say which was used).
    """
    if not isinstance(quick, bool):
        raise ValueError(f"quick (flag) must be True or False; got {quick!r}")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be a callable progress(done, total, label); got {progress!r}")
    cfg = settings(quick, repetitions, target_s, timeout_s)
    if chase not in memory.CHASE_METHODS:
        raise ValueError(f"chase (method) must be one of {list(memory.CHASE_METHODS)}; got {chase!r}")
    todo = _check_parts(parts)
    if "clocks" in todo and "syscall" not in todo:
        todo = ("syscall",) + todo
    sizes = check_sizes("copy_sizes_bytes", memory.COPY_SIZES_BYTES if copy_sizes_bytes is None
                        else copy_sizes_bytes, "bytes", 1, 2**30)
    sets = check_sizes("working_sets_bytes", memory.WORKING_SETS_BYTES if working_sets_bytes is None
                       else working_sets_bytes, "bytes", 1024, 2**30)
    total = (1 + ("syscall" in todo) + ("clocks" in todo)
             + ("ipc" in todo) * (1 + len(ipc.TRANSPORTS))
             + ("copy" in todo) * len(sizes) + ("latency" in todo) * len(sets))
    done = 0

    def tick(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, label)

    if progress is not None:
        progress(0, total, "starting")
    t0 = time.monotonic()
    machine = machine_info()
    found = syscalls.measure_interpreter(cfg)
    tick("interpreter overhead")
    skipped: dict[str, str] = {}
    clocks = None
    if "syscall" in todo:
        found["null_syscall"] = syscalls.measure_null_syscall(cfg, found["builtin_call"].median_us)
        tick("null system call")
    if "clocks" in todo:
        clk = syscalls.measure_clocks(cfg, found["builtin_call_1arg"].median_us)
        found.update(clk)
        clocks = syscalls.classify_clocks(clk, found["null_syscall"])
        tick("clock reads")
    if "ipc" in todo:
        found.update(ipc.measure_dry_round_trips(cfg))
        tick("round-trip overhead")
        for transport, (name, _) in ipc.TRANSPORTS.items():
            dry = "shm_spin_dry" if transport == "shm_spin" else "ping_pong_dry"
            try:
                found[name] = ipc.measure_round_trip(transport, cfg, found[dry].median_us)
            except ipc.Skipped as exc:
                skipped[name] = str(exc)
            tick(name.replace("_", " "))
    copy = memory.measure_copy(cfg, sizes, tick) if "copy" in todo else []
    latency = None
    if "latency" in todo:
        latency = memory.measure_latency(cfg, sets, line_bytes=machine.cache_line_bytes,
                                         clock_mhz=machine.clock_mhz, caches=machine.caches,
                                         tick=tick, chase=chase)
    return ProbeResult(machine=machine, quick=quick, duration_s=time.monotonic() - t0,
                       measurements=found, clocks=clocks, copy=copy, latency=latency,
                       skipped=skipped)


def to_model_inputs(result: ProbeResult) -> dict:
    """Model inputs from a probe result; times in µs, net of the interpreter's overhead.

    Keys: ``syscall_us`` (null system call), ``ipc_us`` (pipe round trip, one CPU),
    ``clock_trap_us`` and ``clock_mapped_us`` (clock reads, §5), ``shm_round_trip_us``
    (shared-memory spin round trip, §4), ``miss_penalty_cycles`` and ``clock_mhz`` (``None``
    without a clock rate), ``copy_mb_per_s`` (copy bandwidth at the largest size, i.e. from
    memory to memory).  A value that was not measured is ``None``.
    """
    if not isinstance(result, ProbeResult):
        raise ValueError(f"result must be a ProbeResult (from run_probe or load); got {type(result).__name__}")
    m = result.measurements

    def net(name):
        return m[name].net_us if name in m else None

    clocks = result.clocks
    return {
        "syscall_us": net("null_syscall"),
        "ipc_us": net("pipe_round_trip"),
        "clock_trap_us": net(clocks.trap_clock) if clocks and clocks.trap_clock else None,
        "clock_mapped_us": net(clocks.mapped_clock) if clocks and clocks.mapped_clock else None,
        "shm_round_trip_us": net("shm_spin_round_trip"),
        "miss_penalty_cycles": result.latency.miss_penalty_cycles if result.latency else None,
        "clock_mhz": result.machine.clock_mhz,
        "copy_mb_per_s": (max(result.copy, key=lambda p: p.size_bytes).bandwidth_mb_per_s
                          if result.copy else None),
    }


def load_example() -> ProbeResult:
    """The saved quick run shipped with the package (for when the probe cannot run here)."""
    text = resources.files("ipcmodel.measure").joinpath(EXAMPLE_RESOURCE).read_text("utf-8")
    return ProbeResult.from_json(text)
