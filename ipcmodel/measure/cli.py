"""What ``python -m ipcmodel measure [--quick] [--json PATH]`` does: :func:`run`.

Prints a readable table to stdout and a progress bar to stderr; with a JSON path it also writes
the full result there -- and writes nothing anywhere else.  Exit status: 0 success, 1 a
measurement failed (e.g. timed out), 2 bad arguments, 130 interrupted (Ctrl-C).  The parser is
:mod:`ipcmodel.__main__` (one for every subcommand; ``python -m ipcmodel.measure`` uses it too).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ipcmodel.measure.probe import run_probe, to_model_inputs
from ipcmodel.measure.results import ProbeResult

__all__ = ["run", "json_path_problem", "format_table", "progress_bar"]


def progress_bar(stream=None, width: int = 30):
    """A ``progress(done, total, label)`` callable drawing a bar on ``stream`` (stderr)."""
    stream = sys.stderr if stream is None else stream
    tty = hasattr(stream, "isatty") and stream.isatty()

    def progress(done: int, total: int, label: str) -> None:
        if tty:
            filled = width * done // max(total, 1)
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:3d}/{total} "
                         f"{label[:36]:<36}")
            if done >= total:
                stream.write("\n")
        else:
            stream.write(f"[{done}/{total}] {label}\n")
        stream.flush()

    return progress


def _num(x, digits: int = 4) -> str:
    return "-" if x is None else f"{x:.{digits}g}"


def format_table(result: ProbeResult) -> str:
    """The human-readable report printed by the CLI."""
    mi = result.machine
    out = [
        f"ipcmodel machine probe ({'quick' if result.quick else 'full'}, "
        f"{result.duration_s:.1f} s) {mi.date_iso}",
        f"  {mi.node} {mi.machine}, {mi.cpu_model}, {mi.cpu_count} CPUs, {mi.system} {mi.kernel}, "
        f"Python {mi.python_version}, numpy {mi.numpy_version}",
        f"  clock: {_num(mi.clock_mhz, 6)} MHz ({mi.clock_mhz_source}); clocksource {mi.clocksource}",
        f"  meltdown: {mi.vulnerabilities.get('meltdown')}",
        f"  spectre_v2: {mi.vulnerabilities.get('spectre_v2')}",
        "",
        f"{'measurement (per operation)':<28} {'median_us':>10} {'95% CI_us':>21} "
        f"{'overhead_us':>11} {'net_us':>9}",
    ]
    for m in result.measurements.values():
        ci = f"[{_num(m.ci_low_us)}, {_num(m.ci_high_us)}]"
        flag = " (floored)" if m.net_floored else ""
        out.append(f"{m.name:<28} {_num(m.median_us):>10} {ci:>21} {_num(m.overhead_us):>11} "
                   f"{_num(m.net_us):>9}{flag}")
    for name, why in result.skipped.items():
        out.append(f"{name:<28} skipped: {why}")
    if result.clocks is not None:
        c = result.clocks
        out += ["", f"clocks: mapped = {c.mapped_clock}, trap = {c.trap_clock}, "
                    f"distinguishable = {c.distinguishable}; {c.classification}"]
    if result.copy:
        out += ["", f"{'copy size_bytes':>16} {'median_us':>10} {'bandwidth_mb_per_s':>19}"]
        for p in result.copy:
            out.append(f"{p.size_bytes:>16} {_num(p.median_us):>10} {_num(p.bandwidth_mb_per_s, 5):>19}")
    if result.latency is not None:
        lat = result.latency
        out += ["", f"{'working_set_bytes':>17} {'chase_us':>10} {'excess_us':>10} "
                    f"{'excess_cycles':>13} {'gather_us':>10}"]
        for p in lat.points:
            out.append(f"{p.working_set_bytes:>17} {_num(p.median_us):>10} {_num(p.excess_us):>10} "
                       f"{_num(p.excess_cycles):>13} {_num(p.gather_us):>10}")
        out.append(f"miss penalty: {_num(lat.miss_penalty_us)} us = "
                   f"{_num(lat.miss_penalty_cycles)} cycles at {_num(lat.clock_mhz, 6)} MHz")
        out += ["", f"latency ladder: {lat.chase_method} chase ({lat.chase_note}); cache levels "
                    + ("are LOWER BOUNDS (interpreter work hides short misses): use the memory "
                       "level only" if lat.levels_lower_bounds else "resolved")]
        out.append(f"{'level':>8} {'latency_us':>11} {'excess_us':>10} {'excess_cycles':>13} "
                   f"{'python_excess_us':>16}")
        for lv in lat.levels:
            bound = " (lower bound)" if lv["lower_bound"] else ""
            out.append(f"{lv['name']:>8} {_num(lv['latency_us']):>11} {_num(lv['excess_us']):>10} "
                       f"{_num(lv['excess_cycles']):>13} {_num(lv['python_excess_us']):>16}{bound}")
    out += ["", "model inputs (net of interpreter overhead):"]
    out += [f"  {k:<20} {_num(v, 5)}" for k, v in to_model_inputs(result).items()]
    return "\n".join(out)


def json_path_problem(path) -> str | None:
    """Why ``path`` cannot take the JSON result (a directory, or no such parent), else ``None``."""
    path = Path(path)
    if path.is_dir():
        return f"--json PATH is a directory: {path}"
    if not path.parent.is_dir():
        return f"--json PATH: directory does not exist: {path.parent}"
    return None


def run(quick: bool = False, json_path=None) -> int:
    """Run the probe, print :func:`format_table` (progress on stderr), write ``json_path`` if given.

    Parameters
    ----------
    quick : bool
        The quick probe (about 10 s) instead of the full one (a minute or two).
    json_path : str or Path, optional
        Also write the full result there as JSON (checked first with :func:`json_path_problem`).

    Returns
    -------
    int
        The exit status: 0 success, 1 a measurement failed, 130 interrupted.

    Raises
    ------
    ValueError
        ``json_path`` cannot be written (before anything is measured).
    """
    if json_path is not None:
        json_path = Path(json_path)
        problem = json_path_problem(json_path)
        if problem:
            raise ValueError(problem)
    try:
        result = run_probe(quick=quick, progress=progress_bar())
    except KeyboardInterrupt:
        print("\ninterrupted; child processes reaped, shared memory unlinked", file=sys.stderr)
        return 130
    except (TimeoutError, RuntimeError, OSError) as exc:
        print(f"measure: {exc}", file=sys.stderr)
        return 1
    print(format_table(result))
    if json_path is not None:
        result.save(json_path)
        print(f"\nwrote {json_path}")
    return 0
