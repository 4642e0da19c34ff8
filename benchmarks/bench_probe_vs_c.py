"""Benchmark (not a test): the Python probe against a tiny C reference, in one run.

    python benchmarks/bench_probe_vs_c.py [--quick] [--rounds N]

Measures with :mod:`ipcmodel.measure` the null system call, the two clock reads and the pipe /
socket round trips, compiles ``benchmarks/c/probe_ref.c`` with ``cc`` into a temporary directory
(removed afterwards), alternates C and Python runs (``--rounds``, default 3, so background load
hits both alike), and prints a Markdown table of medians (µs), Python/C ratios and the
interpreter's overhead.  Goal: the Python pipe
round trip within 2x of C.  Without a C compiler it prints "skipped: no C compiler" for the C
column.  Results and method are recorded in ``benchmarks/PROBE.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ipcmodel.measure import machine_info, measure_round_trip, settings
from ipcmodel.measure.ipc import measure_dry_round_trips
from ipcmodel.measure.syscalls import measure_clocks, measure_interpreter, measure_null_syscall

C_SOURCE = Path(__file__).resolve().parent / "c" / "probe_ref.c"
ROWS = ["null_syscall", "clock_monotonic", "clock_thread_cputime", "pipe_round_trip",
        "pipe_round_trip_cross_cpu", "socket_round_trip"]


def run_c(binary: Path, repetitions: int) -> dict[str, float]:
    out = subprocess.run([str(binary), str(repetitions)], capture_output=True, text=True,
                         check=True, timeout=600).stdout
    return {name: float(value) for name, value in (line.split() for line in out.splitlines())}


def run_python(cfg) -> dict:
    interp = measure_interpreter(cfg)
    found = dict(interp)
    found["null_syscall"] = measure_null_syscall(cfg, interp["builtin_call"].median_us)
    found.update(measure_clocks(cfg, interp["builtin_call_1arg"].median_us))
    found.update(measure_dry_round_trips(cfg))
    for transport in ("pipe", "pipe_cross_cpu", "socket"):
        m = measure_round_trip(transport, cfg, found["ping_pong_dry"].median_us)
        found[m.name] = m
    return found


def _median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="quick probe settings")
    ap.add_argument("--rounds", type=int, default=3,
                    help="alternating C / Python rounds (default 3); medians over rounds")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be an int >= 1")
    cfg = settings(quick=args.quick)
    mi = machine_info()
    print(f"# probe vs C -- {mi.date_iso}, {mi.node} {mi.machine}, {mi.cpu_model}, "
          f"{mi.cpu_count} CPUs, {mi.system} {mi.kernel}, Python {mi.python_version}")
    print(f"# {args.rounds} rounds of (C, Python); each run: {cfg.repetitions} repetitions, "
          f"median per run; table: median over rounds [min-max of the per-run medians], µs")
    print(f"# load average at start: {_load()}")
    cc = shutil.which("cc")
    c_runs, py_runs = [], []
    with tempfile.TemporaryDirectory(prefix="ipcmodel_bench_") as tmp:
        binary = Path(tmp) / "probe_ref"
        if cc:
            subprocess.run([cc, "-O2", "-o", str(binary), str(C_SOURCE)], check=True)
        for _ in range(args.rounds):
            if cc:
                c_runs.append(run_c(binary, cfg.repetitions))
            py_runs.append(run_python(cfg))
    print(f"# load average at end: {_load()}")
    if not cc:
        print("skipped: no C compiler (cc not found); Python numbers only")
    print()
    print("| measurement | Python median | Python overhead | Python net | C median | raw/C | net/C |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    ratios = {}
    for name in ROWS:
        runs = [r[name] for r in py_runs if name in r]
        if not runs:
            continue
        raw = [m.median_us for m in runs]
        net = _median([m.net_us for m in runs])
        over = _median([m.overhead_us for m in runs])
        cs = [r[name] for r in c_runs if name in r]
        c = _median(cs) if cs else None
        ratios[name] = _median(raw) / c if c else None
        print(f"| {name} | {_span(raw)} | {over:.3g} | {net:.4g} | {_span(cs) if cs else '-'} | "
              f"{_f(ratios[name], 3)} | {_f(net / c if c else None, 3)} |")
    print()
    for key in ("empty_loop", "builtin_call", "builtin_call_1arg", "ping_pong_dry"):
        print(f"interpreter overhead {key}: {_median([r[key].median_us for r in py_runs]):.4g} µs")
    goal = ratios.get("pipe_round_trip")
    if goal is None:
        print("goal (Python pipe round trip within 2x of C): not evaluated (no C reference)")
    else:
        verdict = "met" if goal <= 2.0 else "NOT met"
        print(f"goal (Python pipe round trip within 2x of C): ratio {goal:.3f} -> {verdict}")
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min)"
    except OSError:
        return "unavailable"


def _span(xs) -> str:
    return f"{_median(xs):.4g} [{min(xs):.3g}-{max(xs):.3g}]"


def _f(x, digits: int = 4) -> str:
    return "-" if x is None else f"{x:.{digits}g}"


if __name__ == "__main__":
    sys.exit(main())
