"""Machine probe: measure the costs Bershad (1992) argues about, on the machine at hand.

From the standard library and numpy only: the null system call, a trapping vs a mapped clock
read (§5), round trips over a pipe, a Unix-domain socket pair and shared memory (§4), memory
copy bandwidth, and a memory-latency ladder with a cache-miss penalty estimate (§3).  The
ladder's pointer chase is compiled from the shipped ``chase.c`` when a C compiler is present;
without one it runs in Python and its cache levels are reported as lower bounds
(``latency.chase_method``, ``latency.levels_lower_bounds``).
All times are in microseconds.  Nothing runs on import.

>>> from ipcmodel.measure import run_probe, to_model_inputs   # doctest: +SKIP
>>> result = run_probe(quick=True)                               # doctest: +SKIP
>>> to_model_inputs(result)["ipc_us"]                            # doctest: +SKIP
"""

from ipcmodel.measure._harness import Settings, settings
from ipcmodel.measure.ipc import SHM_PREFIX, TRANSPORTS, Skipped, measure_round_trip
from ipcmodel.measure.machine import cpu_mhz, machine_info, vulnerabilities
from ipcmodel.measure.memory import COPY_SIZES_BYTES, WORKING_SETS_BYTES
from ipcmodel.measure.probe import PARTS, load_example, run_probe, to_model_inputs
from ipcmodel.measure.results import (
    ClockChoice,
    CopyPoint,
    LatencyLadder,
    LatencyPoint,
    MachineInfo,
    Measurement,
    ProbeResult,
)
from ipcmodel.measure.stats import median_ci

__all__ = [
    "run_probe",
    "to_model_inputs",
    "load_example",
    "measure_round_trip",
    "settings",
    "Settings",
    "machine_info",
    "cpu_mhz",
    "vulnerabilities",
    "median_ci",
    "ProbeResult",
    "MachineInfo",
    "Measurement",
    "ClockChoice",
    "CopyPoint",
    "LatencyPoint",
    "LatencyLadder",
    "Skipped",
    "PARTS",
    "TRANSPORTS",
    "SHM_PREFIX",
    "COPY_SIZES_BYTES",
    "WORKING_SETS_BYTES",
]
