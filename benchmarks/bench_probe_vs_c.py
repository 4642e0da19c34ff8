"""Benchmark (not a test): the Python probe against a tiny C reference, in one run.

    python benchmarks/bench_probe_vs_c.py [--quick] [--rounds N] [--write]
    python benchmarks/bench_probe_vs_c.py --from-data [--write]
    python benchmarks/bench_probe_vs_c.py --ladder [--quick] [--rounds N]

Measures with :mod:`ipcmodel.measure` the null system call, the two clock reads and the pipe /
socket round trips, compiles ``benchmarks/c/probe_ref.c`` with ``cc`` into a temporary directory
(removed afterwards), alternates C and Python runs (``--rounds``, default 3, so background load
hits both alike), and prints a Markdown section: medians (µs), Python/C ratios and the
interpreter's overhead.  Goal: the Python pipe round trip within 2x of C.  Without a C compiler
it prints the Python numbers only and writes nothing.

``--write`` stores the result in ``data/probe_vs_c.json`` (shipped in the package: notebook 06
shows it with ``ipcmodel.yourmachine.format_c_reference``) and regenerates the section between
the markers in ``benchmarks/PROBE.md`` from that file.  ``--from-data`` measures nothing: it
prints (and with ``--write`` puts into PROBE.md) the section of the saved data file.

``--ladder`` compares the latency ladder's two chases instead: ``N`` rounds of
:func:`ipcmodel.measure.memory.measure_latency` with the C chase (``ipcmodel/measure/chase.c``,
which the probe itself compiles when a compiler is present; the Python chase runs beside it at
every working set), and prints a Markdown table of the extra latency per cache level (median
over rounds, with the per-round extremes) and the Python ÷ C ratio. It writes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from ipcmodel.measure import machine_info, measure_round_trip, settings
from ipcmodel.measure.ipc import measure_dry_round_trips
from ipcmodel.measure.syscalls import measure_clocks, measure_interpreter, measure_null_syscall
from ipcmodel.yourmachine import C_REFERENCE_FILE, c_reference

HERE = Path(__file__).resolve().parent
C_SOURCE = HERE / "c" / "probe_ref.c"
DATA_FILE = HERE.parent / "data" / C_REFERENCE_FILE
PROBE_MD = HERE / "PROBE.md"
START = "<!-- bench_probe_vs_c:start (generated from data/probe_vs_c.json; do not edit) -->"
END = "<!-- bench_probe_vs_c:end -->"
#: measurement name -> note shown after it in the table
ROWS = {"null_syscall": "", "clock_monotonic": "vDSO", "clock_thread_cputime": "trap",
        "pipe_round_trip": "1 CPU", "pipe_round_trip_cross_cpu": "", "socket_round_trip": "1 CPU"}
INTERPRETER = ("empty_loop", "builtin_call", "ping_pong_dry")
WHAT = ("The Python probe (ipcmodel.measure) against the C program benchmarks/c/probe_ref.c doing "
        "the same operations, run alternately on the project's machine. Times in microseconds: "
        "median over rounds of the per-run medians, with the lowest and highest per-run median; "
        "ratios are medians over rounds divided by the C median.")
SOURCE = ("benchmarks/bench_probe_vs_c.py --write (the project's own measurement; method in "
          "benchmarks/PROBE.md)")


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


def _g(x: float, digits: int) -> float:
    """``x`` rounded to ``digits`` significant digits (monotone: a median stays within its extremes)."""
    return float(f"{x:.{digits}g}")


def _load() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def measure(rounds: int, quick: bool) -> dict | None:
    """Alternate C and Python runs; the document of ``data/probe_vs_c.json`` (``None`` without cc)."""
    cfg = settings(quick=quick)
    mi = machine_info()
    load_start = _load()
    print(f"# probe vs C -- {mi.date_iso}, {mi.node} {mi.machine}, {mi.cpu_model}, "
          f"{mi.cpu_count} CPUs, {mi.system} {mi.kernel}, Python {mi.python_version}; "
          f"{rounds} rounds of (C, Python), {cfg.repetitions} repetitions each", file=sys.stderr)
    cc = shutil.which("cc")
    c_runs, py_runs = [], []
    with tempfile.TemporaryDirectory(prefix="ipcmodel_bench_") as tmp:
        binary = Path(tmp) / "probe_ref"
        if cc:
            subprocess.run([cc, "-O2", "-o", str(binary), str(C_SOURCE)], check=True)
        for _ in range(rounds):
            if cc:
                c_runs.append(run_c(binary, cfg.repetitions))
            py_runs.append(run_python(cfg))
    load_end = _load()
    if not cc:
        print("skipped: no C compiler (cc not found); Python numbers only")
        for name in ROWS:
            print(f"{name}: {_median([r[name].median_us for r in py_runs]):.4g} µs")
        return None
    rows = []
    for name, note in ROWS.items():
        raw = [r[name].median_us for r in py_runs]
        cs = [r[name] for r in c_runs]
        c, net = _median(cs), _median([r[name].net_us for r in py_runs])
        rows.append({"name": name, "note": note,
                     "python_median_us": _g(_median(raw), 4), "python_min_us": _g(min(raw), 4),
                     "python_max_us": _g(max(raw), 4),
                     "python_overhead_us": _g(_median([r[name].overhead_us for r in py_runs]), 3),
                     "python_net_us": _g(net, 4), "c_median_us": _g(c, 4), "c_min_us": _g(min(cs), 4),
                     "c_max_us": _g(max(cs), 4), "raw_over_c": _g(_median(raw) / c, 3),
                     "net_over_c": _g(net / c, 3)})
    load = ("load average unavailable" if load_start is None or load_end is None else
            f"load average {load_start[0]:.1f} at the start and {load_end[0]:.1f} at the end "
            f"(1 min, on {mi.cpu_count} CPUs)")
    vuln = mi.vulnerabilities
    context = (f"{mi.date_iso}, node `{mi.node}`, {mi.machine}, {mi.cpu_model}, {mi.cpu_count} CPUs, "
               f"{mi.system} {mi.kernel}, Python {mi.python_version}, numpy {mi.numpy_version}, "
               f"clocksource {mi.clocksource}; meltdown: {vuln.get('meltdown')}; spectre_v2: "
               f"{vuln.get('spectre_v2')}. {'Quick settings, ' if quick else ''}{load}; brackets "
               "give the spread of the per-run medians.")
    return {"what": WHAT, "source": SOURCE, "rounds": rounds, "context": context,
            "interpreter_us": {k: _g(_median([r[k].median_us for r in py_runs]), 3) for k in INTERPRETER},
            "rows": rows}


def ladder(rounds: int, quick: bool) -> str:
    """The per-level C-vs-Python comparison of the latency ladder (Markdown); ``""`` without cc."""
    from ipcmodel.measure._cchase import find_compiler
    from ipcmodel.measure.memory import measure_latency

    if find_compiler() is None:
        print("skipped: no C compiler (cc not found); the probe then gives the cache levels as lower bounds")
        return ""
    cfg, mi = settings(quick=quick), machine_info()
    load_start = _load()
    runs = [measure_latency(cfg, line_bytes=mi.cache_line_bytes, clock_mhz=mi.clock_mhz,
                            caches=mi.caches, chase="c") for _ in range(rounds)]
    load_end = _load()
    load = ("" if load_start is None or load_end is None else
            f"; load average {load_start[0]:.1f} at the start and {load_end[0]:.1f} at the end")
    out = [f"{mi.date_iso}, node `{mi.node}`, {mi.cpu_model}, {mi.cpu_count} CPUs, caches "
           + ", ".join(f"L{c['level']}{'d' if c['type'] == 'Data' else ''} {c['size_bytes'] >> 10} KiB"
                       for c in mi.caches if c["type"] != "Instruction")
           + f"; {'quick' if quick else 'full'} settings, {rounds} rounds{load}. Extra time per access "
           "over the L1 step (ns; median over rounds [lowest-highest]); cycles at "
           f"{mi.clock_mhz:.4g} MHz.", "",
           "| level | working sets | C extra ns | C cycles | Python extra ns | Python ÷ C |",
           "|---|---|---:|---:|---:|---:|"]
    for i, lv in enumerate(runs[0].levels):
        c = [r.levels[i]["excess_us"] * 1e3 for r in runs]
        py = [r.levels[i]["python_excess_us"] * 1e3 for r in runs]
        cm, pm = _median(c), _median(py)
        cyc = "—" if mi.clock_mhz is None else f"{cm * mi.clock_mhz / 1e3:.3g}"
        ratio = f"{pm / cm:.2g}" if lv["level"] != 1 and cm > 0 else "—"  # L1: the baseline itself
        sets = lv["working_sets_bytes"]
        out.append(f"| {lv['name']} | {sets[0] >> 10}-{sets[-1] >> 10} KiB | {cm:.3g} [{min(c):.3g}-{max(c):.3g}] "
                   f"| {cyc} | {pm:.3g} [{min(py):.3g}-{max(py):.3g}] | {ratio} |")
    return "\n".join(out)


def dumps(doc: dict) -> str:
    """``doc`` as JSON text with one table row per line."""
    head = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in doc.items() if k != "rows"]
    rows = ",\n".join(f"    {json.dumps(r, ensure_ascii=False)}" for r in doc["rows"])
    return "\n".join(["{", *head, '  "rows": [', rows, "  ]", "}"]) + "\n"


def write_data(doc: dict, path: Path = DATA_FILE) -> None:
    """Write ``doc`` to ``path`` after checking it with :func:`ipcmodel.yourmachine.c_reference`."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(doc), encoding="utf-8")
    try:
        c_reference(tmp)
    except Exception:
        tmp.unlink()
        raise
    tmp.replace(path)


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100, break_long_words=False, break_on_hyphens=False)


def markdown_section(ref: dict) -> str:
    """The section of ``benchmarks/PROBE.md`` generated from :func:`ipcmodel.yourmachine.c_reference`."""
    out = [START, "### Python probe vs C reference (`bench_probe_vs_c.py`, "
           f"{ref['rounds']} round{'s' if ref['rounds'] != 1 else ''})", "",
           _wrap(ref["context"]), "",
           "| measurement | Python median µs | Python overhead µs | Python net µs | C median µs | raw/C | net/C |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for r in ref["rows"].values():
        out.append(f"| {r['label']} | {r['python_median_us']:.4g} [{r['python_min_us']:.3g}-"
                   f"{r['python_max_us']:.3g}] | {r['python_overhead_us']:.3g} | {r['python_net_us']:.4g} | "
                   f"{r['c_median_us']:.4g} [{r['c_min_us']:.3g}-{r['c_max_us']:.3g}] | "
                   f"{r['raw_over_c']:.3g} | {r['net_over_c']:.3g} |")
    i = ref["interpreter_us"]
    out += ["", _wrap(f"Interpreter overhead: empty loop {i['empty_loop']:.2g} µs/iteration, no-op builtin "
                      f"call {i['builtin_call']:.2g} µs, one round trip's four calls (both ends) "
                      f"{i['ping_pong_dry']:.2g} µs.")]
    goal = ref["rows"].get("pipe_round_trip")
    if goal is not None:
        verdict = "met" if goal["raw_over_c"] <= 2.0 else "NOT met"
        out += ["", f"**Goal (Python pipe round trip within 2x of C): {verdict}** -- ratio "
                    f"{goal['raw_over_c']:.3g} in this run."]
    return "\n".join([*out, END])


def write_probe_md(section: str, path: Path = PROBE_MD) -> None:
    sys.path.insert(0, str(HERE))
    from readme_section import replace_section

    replace_section(START, END, section, heading="Results", readme=path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="quick probe settings")
    ap.add_argument("--rounds", type=int, default=3,
                    help="alternating C / Python rounds (default 3); medians over rounds")
    ap.add_argument("--write", action="store_true",
                    help=f"write data/{C_REFERENCE_FILE} and the section of benchmarks/PROBE.md")
    ap.add_argument("--from-data", action="store_true",
                    help=f"measure nothing: use data/{C_REFERENCE_FILE} as saved")
    ap.add_argument("--ladder", action="store_true",
                    help="compare the latency ladder's C and Python chases per cache level (writes nothing)")
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be an int >= 1")
    if args.ladder:
        print(ladder(args.rounds, args.quick))
        return 0
    saved = DATA_FILE if args.from_data or args.write else None
    with tempfile.TemporaryDirectory(prefix="ipcmodel_bench_") as tmp:
        path = saved or Path(tmp) / C_REFERENCE_FILE  # measured, not written: a scratch copy
        if not args.from_data:
            doc = measure(args.rounds, args.quick)
            if doc is None:
                return 0
            write_data(doc, path)
            if args.write:
                print(f"wrote {path}", file=sys.stderr)
        ref = c_reference(path)
    section = markdown_section(ref)
    print(section)
    if args.write:
        write_probe_md(section)
        print(f"wrote the section of {PROBE_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
