"""Notebook 06: measure this machine (or load the saved example) and put it in the model.

Bershad (1992), §2–§5, replayed on the computer in front of the student. Numbers and text only
(no matplotlib, no ipywidgets); the progress bar, the latency-ladder picture and the master
explorer with this machine's preset are in :mod:`ipcmodel.explorers.yourmachine`.

=====================================  ===============================================================
module                                 contents
=====================================  ===============================================================
``ipcmodel.yourmachine.run``           :func:`measure_or_load` runs the quick probe of
                                       :mod:`ipcmodel.measure`, or loads the saved example result
                                       when it cannot run (no ``fork``, a timeout, any error, or
                                       ``IPCMODEL_NO_PROBE=1``) and says so (:class:`MachineRun`);
                                       :func:`measured_preset` for the master explorer
``ipcmodel.yourmachine.compare``       this machine beside the MicroVAX-III, the DECstation 5000/200
                                       and the HP-700 (:func:`comparison_rows`, :func:`format_versus`);
                                       the IPC overhead fraction for a disk, SSDs, network round trips
                                       and §2's in-memory copy (:func:`does_ipc_matter`,
                                       :func:`answers_for`, :func:`format_answers`)
``ipcmodel.yourmachine.readings``      the interpreter's share (:func:`overhead_rows`), §5's clocks,
                                       §4's co-mapping, §3's miss penalty, and the Python-vs-C
                                       reference of ``data/probe_vs_c.json`` (:func:`c_reference`)
=====================================  ===============================================================

Every time is in µs. The measured values are upper bounds of the kernel's cost (the interpreter's
own work is subtracted only as well as the probe can measure it; see ``benchmarks/PROBE.md``),
except the miss penalty, which is an estimate with a spread (see :func:`miss_penalty_reading`).
Nothing happens on import.
"""

from ipcmodel.yourmachine.compare import (
    IN_MEMORY_FACT,
    PAPER_MACHINE_IDS,
    Answer,
    MachineRow,
    ServiceCase,
    answers_for,
    comparison_rows,
    does_ipc_matter,
    format_answers,
    format_comparison,
    format_matters,
    format_versus,
    service_cases,
)
from ipcmodel.yourmachine.readings import (
    C_REFERENCE_FILE,
    c_reference,
    clock_reading,
    comapping_reading,
    format_c_reference,
    format_clock,
    format_comapping,
    format_levels,
    format_miss_penalty,
    format_overhead,
    miss_penalty_reading,
    overhead_rows,
    run_to_run_noise,
)
from ipcmodel.yourmachine.run import (
    EXAMPLE_LABEL,
    MEASURED_LABEL,
    NO_PROBE_ENV,
    SAVED_EXAMPLE_MARKER,
    MachineRun,
    measure_or_load,
    measured_preset,
)

__all__ = [
    "NO_PROBE_ENV",
    "PAPER_MACHINE_IDS",
    "MEASURED_LABEL",
    "EXAMPLE_LABEL",
    "SAVED_EXAMPLE_MARKER",
    "IN_MEMORY_FACT",
    "MachineRun",
    "measure_or_load",
    "measured_preset",
    "MachineRow",
    "comparison_rows",
    "format_comparison",
    "format_versus",
    "ServiceCase",
    "Answer",
    "service_cases",
    "does_ipc_matter",
    "answers_for",
    "format_answers",
    "format_matters",
    "overhead_rows",
    "format_overhead",
    "clock_reading",
    "comapping_reading",
    "miss_penalty_reading",
    "format_clock",
    "format_comapping",
    "format_miss_penalty",
    "format_levels",
    "C_REFERENCE_FILE",
    "c_reference",
    "format_c_reference",
    "run_to_run_noise",
]
