"""Explorer redraw cost in the kernel: one slider update = model + redraw to PNG.

For every explorer in the registry (``ipcmodel.explorers.names()``), in one Jupyter kernel
(started with nbclient, the inline backend active), each update is ``widget.value = v``, the
same assignment a drag makes, timed with ``perf_counter`` around it:

* **explorer**: ours, as the notebooks use it (figure built once, artists updated, blitted
  redraw, PNG into an ``ipywidgets.Image``, comm message sent);
* **explorer, full redraw**: the same with the saved background dropped before every update
  (``ex.invalidate()``): what the explorer costs without blitting;
* **interact**: the common pattern: ``ipywidgets.interactive`` calling a function that makes a
  new pyplot figure (the explorer's own ``build`` + ``update``) and ``plt.show()``, which the
  inline backend turns into a PNG with ``bbox_inches="tight"``;
* **ipympl draw** (when ``ipympl`` imports): the figure on an ipympl canvas, artists updated,
  ``canvas.draw()`` (a full Agg draw plus the diff PNG ipympl sends). Not installed in the
  project; to measure it: ``pip install --target /tmp/ipympl_probe ipympl`` and run with
  ``PYTHONPATH=/tmp/ipympl_probe``.

    .venv/bin/python benchmarks/bench_explorers.py                 # print the table
    .venv/bin/python benchmarks/bench_explorers.py --write-readme  # and update README.md
    .venv/bin/python benchmarks/bench_explorers.py --no-kernel     # in this process instead

Goal: explorer median <= half the interact median. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readme_section import replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "benchmarks" / "README.md"
START, END = "<!-- bench_explorers:start -->", "<!-- bench_explorers:end -->"


def _explorer_names() -> list[str]:
    """Every explorer of the notebooks, from the registry (:mod:`ipcmodel.explorers`)."""
    from ipcmodel import explorers

    return explorers.names()


def _factory(name: str):
    from ipcmodel import explorers

    return explorers.get(name)


def _steps(ex, n: int, seed: int = 1992) -> list[tuple[str, float]]:
    """``n`` (slider, value) pairs, log-uniform over each slider's range, same for every pattern."""
    import ipywidgets as widgets

    rng = random.Random(seed)
    names = [k for k in ("ipc_us", "syscall_us", "threshold", "miss_fraction") if k in ex.sliders]
    names = names or list(ex.sliders)[:4]
    out = []
    for i in range(n):
        w = ex.sliders[names[i % len(names)]]
        v = w.base ** rng.uniform(w.min, w.max) if isinstance(w, widgets.FloatLogSlider) \
            else rng.uniform(w.min, w.max)
        out.append((names[i % len(names)], v))
    return out


def _stats(times: list[float]) -> dict:
    ms = np.array(times) * 1e3
    return {"n": len(ms), "median_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95))}


def _time(controls: dict, steps, before=None) -> list[float]:
    times = []
    for name, v in steps:
        if before:
            before()
        t0 = time.perf_counter()
        controls[name].value = v
        times.append(time.perf_counter() - t0)
    return times


def _show_like_inline(fig) -> None:
    """Outside a kernel: what the inline backend's ``plt.show()`` does with a figure."""
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    print_figure(fig, "png", bbox_inches="tight")
    plt.close(fig)


def measure(n: int = 60, warmup: int = 3) -> dict:
    """Time every pattern for every explorer; returns ``{explorer: {pattern: stats}}``."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    in_kernel = "ipykernel" in sys.modules and getattr(sys.modules["ipykernel"], "kernelapp", None)
    show = plt.show if in_kernel else (lambda: _show_like_inline(plt.gcf()))
    results = {}
    for name in _explorer_names():
        factory = _factory(name)
        ex = factory()
        steps = _steps(ex, n + warmup)
        res = results[name] = {}
        res["explorer"] = _stats(_time(ex.sliders, steps)[warmup:])
        res["explorer, full redraw"] = _stats(_time(ex.sliders, steps, ex.invalidate)[warmup:])

        proto = factory()
        controls = {s.name: s.make(proto.defaults[s.name]) for s in proto.controls}

        widgets.interactive(_interact_plot(proto, show), **controls)
        res["interact"] = _stats(_time(controls, steps)[warmup:])
        res["pyplot figures left"] = len(plt.get_fignums())
        res["ratio"] = res["explorer"]["median_ms"] / res["interact"]["median_ms"]
        ex.close()
    for name in _explorer_names():  # last: importing ipympl changes how pyplot figures are shown
        try:
            results[name]["ipympl draw"] = _stats(_ipympl_times(_factory(name), steps)[warmup:])
        except ImportError:
            results[name]["ipympl draw"] = None
    return results


def _interact_plot(proto, show):
    """The function the common pattern hands to ``interactive``: a new pyplot figure per call."""
    import matplotlib.pyplot as plt

    from ipcmodel import plotting

    def plot(**values):
        with plotting.style(proto.rc):
            fig = plt.figure(figsize=proto.figsize, dpi=proto.dpi)
            proto.artists = proto.build(fig)
            proto.update({**proto.model_inputs(), **values})
            show()

    return plot


def _ipympl_times(factory, steps) -> list[float]:
    from ipympl.backend_nbagg import Canvas, FigureManager

    from ipcmodel import plotting

    proto = factory()
    clone = copy.copy(proto)
    with plotting.style(proto.rc):
        fig = plotting.empty_figure(proto.figsize, proto.dpi)
        canvas = Canvas(fig)
        FigureManager(canvas, 0)
        canvas.syncing_data_url = False  # as when a front end is connected
        clone.artists = clone.build(fig)
        values = proto.model_inputs()
        clone.update(values)
        fig.tight_layout()
    times = []
    for name, v in steps:
        t0 = time.perf_counter()
        values[name] = v
        with plotting.style(proto.rc):
            clone.update(values)
            canvas.draw()  # full Agg draw, then the diff PNG ipympl sends to the front end
        times.append(time.perf_counter() - t0)
    return times


def run_in_kernel(n: int) -> dict:
    """Run :func:`measure` inside a fresh python3 kernel (nbclient), as a notebook would."""
    import nbclient
    import nbformat

    src = (f"import sys, json\nsys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
           f"import bench_explorers\nprint('RESULT', json.dumps(bench_explorers.measure({n})))")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src)])
    nbclient.NotebookClient(nb, timeout=1800, kernel_name="python3").execute()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o["output_type"] == "stream")
    return json.loads(text.split("RESULT", 1)[1])


def machine_text() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import matplotlib

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}; "
            f"load average at the end {load}")


def table(results: dict) -> str:
    rows = ["| explorer | pattern | median (ms) | p95 (ms) | median / interact |",
            "| --- | --- | ---: | ---: | ---: |"]
    for name, res in results.items():
        base = res["interact"]["median_ms"]
        for pattern in ("explorer", "explorer, full redraw", "interact", "ipympl draw"):
            s = res.get(pattern)
            if s is None:
                rows.append(f"| {name} | {pattern} | not installed | | |")
                continue
            rows.append(f"| {name} | {pattern} | {s['median_ms']:.1f} | {s['p95_ms']:.1f} | "
                        f"{s['median_ms'] / base:.2f} |")
    return "\n".join(rows)


def write_readme(results: dict, where: str, n: int) -> None:
    section = "\n".join([
        START,
        f"Measured {dt.date.today().isoformat()} on {machine_text()}; {where}; {n} updates per "
        "pattern after 3 warm-up updates, the same slider values for every pattern. Produced by "
        "`benchmarks/bench_explorers.py --write-readme`.",
        "",
        table(results),
        END,
    ])
    replace_section(START, END, section, heading="Explorer redraw", readme=README)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--updates", type=int, default=60, help="timed updates per pattern (>= 50)")
    ap.add_argument("--no-kernel", action="store_true", help="measure in this process")
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args(argv)
    if args.no_kernel:
        import matplotlib

        matplotlib.use("Agg")
        results, where = measure(args.updates), "in a plain Python process (Agg)"
    else:
        results, where = run_in_kernel(args.updates), "inside an ipykernel started by nbclient (inline backend)"
    print(table(results))
    print(json.dumps({k: {"ratio": v["ratio"], "pyplot figures left": v["pyplot figures left"]}
                      for k, v in results.items()}))
    if args.write_readme:
        write_readme(results, where, args.updates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
