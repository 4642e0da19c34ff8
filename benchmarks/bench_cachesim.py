"""Cache simulator cost: one round trip of the IPC path plus a 64 KB service working set.

The trace is the cache lab's (``ipcmodel.paper.lab_layout(service_data_bytes=65536)``: §3's
4 KB of path code and 2 KB of path data, run twice per round trip, the client, the service's
code and its 64 KB of data, one access per 4-byte word) through the split 64 KB direct-mapped
caches of Chen & Bershad's Table 2-1. Timed with ``perf_counter``, median over repeats:

* **one RPC, counts only**: the round trip from empty caches, hits and misses (no 3C);
* **one RPC, 3C**: the same with misses classified (the fully-associative LRU shadow);
* **warm RPC (explorer)**: two warm-up round trips + one counted, as the explorer runs it;
* **2-way LRU, 3C**: one round trip through 2-way set-associative caches of the same size;
* **explorer slider move**: in this process (no kernel), ``slider.value = size`` on the cache
  lab's explorer: model + blitted redraw + PNG.

    .venv/bin/python benchmarks/bench_cachesim.py [--repeats N]

The issue's goal: one RPC + 64 KB well under one redraw (~50 ms). A benchmark: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from ipcmodel import cachesim, paper


def _median_ms(fn, repeats: int) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=21)
    args = ap.parse_args(argv)
    layout = paper.lab_layout(service_data_bytes=paper.SERVICE_WORKING_SET_BYTES)
    ic, dc = paper.lab_caches()
    trace = cachesim.round_trip_trace(layout)
    ic2 = cachesim.CacheGeometry(ic.size_bytes, ic.line_bytes, 2)
    dc2 = cachesim.CacheGeometry(dc.size_bytes, dc.line_bytes, 2)
    rows = [
        ("one RPC, counts only", lambda: cachesim.run(trace, ic, dc, warm_iterations=0)),
        ("one RPC, 3C", lambda: cachesim.run(trace, ic, dc, warm_iterations=0, classify=True)),
        ("warm RPC (explorer)", lambda: cachesim.run(trace, ic, dc)),
        ("2-way LRU, 3C", lambda: cachesim.run(trace, ic2, dc2, warm_iterations=0, classify=True)),
    ]
    print(f"{len(trace)} accesses per round trip ({int(trace.is_instruction.sum())} instruction fetches); "
          f"median of {args.repeats} runs")
    for label, fn in rows:
        print(f"  {label:28s} {_median_ms(fn, args.repeats):8.2f} ms")
    from ipcmodel.explorers.cachelab import cachelab_explorer

    ex = cachelab_explorer()
    sizes = iter(range(12288, 65536, 97))
    ms = _median_ms(lambda: setattr(ex.sliders["unrelated_size_bytes"], "value", next(sizes)), args.repeats)
    print(f"  {'explorer slider move':28s} {ms:8.2f} ms")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average {load}")
    ex.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
