"""Thirty years later: the paper's predictions against 1989–2025 data.

Bershad (1992) made predictions about where IPC, system calls, caches and devices were
going (§2–§5). This package collects what happened next and tests the predictions with rules
written in code, so a verdict changes when the data change.

Data come from two files, never typed in here:

- ``data/history.csv``: later measurements (L4 kernels from the Trustworthy Systems table, seL4 2023,
  L4Re, lmbench 1995, Linux getpid 2023, SSDs 2017, eRPC 2019, Colin Scott's datacenter
  round trip). Each row says ``trip`` (one-way / round-trip / na), ``cache`` and its
  ``clock_mhz`` (empty where the source gives none). A few rows are not latencies
  (:data:`CONTEXT_QUANTITIES`, e.g. Härtig et al.'s AIM throughput penalty): they are
  quoted in the audit's reasoning and belong to no series.
- ``data/facts.csv``: the 1989–1993 Mach numbers of the paper and its companions, referenced
  by id (see :data:`FACTS_REFERENCES`), each with the fact that gives its clock.

The CSVs hold numbers as reported. Normalisation happens here and is visible:
:func:`round_trip_us` doubles a one-way figure and divides cycles by the row's clock, and
says so in its ``note``.

Colin Scott's "Latency Numbers Every Programmer Should Know" page models hardware by year with
formulas; :func:`scott_cycle_ns` and friends encode those formulas (citation key ``Scott``,
locator: the function names in ``interactive_latency.html``) rather than typing in values.

Modules (everything public is re-exported here; import from ``ipcmodel.history``):

=====================================  ===============================================================
``ipcmodel.history.rows``              the rows, :func:`history_rows`, :func:`round_trip_us` /
                                       :func:`round_trip_cycles` (normalisation)
``ipcmodel.history.scott``             Colin Scott's hardware-by-year formulas
``ipcmodel.history.fits``              log-linear trends: :func:`fit_trend`, :func:`evaluate_trend`
``ipcmodel.history.pairs``             :func:`same_machine_pairs`: machines with both an IPC and a
                                       system-call row (the only IPC/system-call comparisons made)
``ipcmodel.history.estimates``         :func:`estimate_for_year`, :func:`machine_of_year`,
                                       :func:`ipc_cycles_for_year`, :func:`history_points`
``ipcmodel.history.device_classes``    :func:`device_shown` (no SSD before its first row),
                                       :func:`device_options`, :func:`bypass_first_year`
``ipcmodel.history.years``             the machine of a year and its IPC overhead: :func:`year_state`,
                                       :func:`landscape`, :func:`format_landscape`, :func:`bypass_share`
``ipcmodel.history.sensitivity``       the data choices every verdict is recomputed under
``ipcmodel.history.predictions``       the audit: :func:`predictions`, each with its ``sensitivity``
``ipcmodel.history.device_rules``      the audit's device rules (disks, a device's IPC share, kernel
                                       bypass): measured devices only, never a formula value
``ipcmodel.history.cli``               :func:`~ipcmodel.history.cli.report`: the audit as text
=====================================  ===============================================================

numpy only (no matplotlib, no widgets); importing reads no files.
"""

from ipcmodel.history.device_classes import (
    bypass_first_year,
    device_first_year,
    device_options,
    device_shown,
)
from ipcmodel.history.estimates import (
    Estimate,
    HistoryPoints,
    clock_for_year,
    estimate_for_year,
    history_points,
    ipc_cycles_estimate,
    ipc_cycles_for_year,
    machine_of_year,
)
from ipcmodel.history.fits import (
    TrendFit,
    TrendValue,
    evaluate_trend,
    fit_loglinear,
    fit_trend,
)
from ipcmodel.history.pairs import Pair, same_machine_pairs
from ipcmodel.history.predictions import (
    MODERN_LINE_BYTES,
    VERDICTS,
    Prediction,
    format_sensitivity,
    predictions,
    predictions_json,
)
from ipcmodel.history.rows import (
    ADMISSION_RULE,
    AUX_QUANTITIES,
    CONTEXT_QUANTITIES,
    FACTS_REFERENCES,
    ISA_GROUPS,
    SERIES,
    YEAR_RANGE,
    HistoryRow,
    RoundTrip,
    admission_problems,
    history_rows,
    isa_group,
    round_trip_cycles,
    round_trip_us,
)
from ipcmodel.history.scott import (
    SCOTT_YEAR_RANGE,
    scott_clock_mhz,
    scott_cycle_ns,
    scott_disk_seek_ns,
    scott_in_range,
    scott_memory_ns,
    scott_miss_penalty_cycles,
    scott_ssd_read_ns,
)
from ipcmodel.history.sensitivity import (
    DATA_CHOICES,
    NOT_APPLICABLE,
    DataChoice,
    Sensitivity,
    cold_rows,
    data_choices,
    isa_rows,
    leave_one_out,
)
from ipcmodel.history.years import (
    BASELINES,
    DEVICES,
    LANDSCAPE_COLUMNS,
    YearState,
    bypass_share,
    format_landscape,
    ipc_ratio,
    landscape,
    year_range,
    year_state,
)

__all__ = [
    "HistoryRow",
    "RoundTrip",
    "TrendFit",
    "TrendValue",
    "Estimate",
    "HistoryPoints",
    "Prediction",
    "Pair",
    "SERIES",
    "CONTEXT_QUANTITIES",
    "AUX_QUANTITIES",
    "FACTS_REFERENCES",
    "VERDICTS",
    "YEAR_RANGE",
    "SCOTT_YEAR_RANGE",
    "history_rows",
    "round_trip_us",
    "round_trip_cycles",
    "fit_loglinear",
    "fit_trend",
    "evaluate_trend",
    "history_points",
    "scott_cycle_ns",
    "scott_clock_mhz",
    "scott_memory_ns",
    "scott_miss_penalty_cycles",
    "scott_disk_seek_ns",
    "scott_ssd_read_ns",
    "scott_in_range",
    "estimate_for_year",
    "machine_of_year",
    "ipc_cycles_for_year",
    "ipc_cycles_estimate",
    "ADMISSION_RULE",
    "ISA_GROUPS",
    "admission_problems",
    "isa_group",
    "DATA_CHOICES",
    "NOT_APPLICABLE",
    "DataChoice",
    "Sensitivity",
    "cold_rows",
    "data_choices",
    "isa_rows",
    "leave_one_out",
    "format_sensitivity",
    "clock_for_year",
    "same_machine_pairs",
    "device_options",
    "device_first_year",
    "device_shown",
    "bypass_first_year",
    "predictions",
    "MODERN_LINE_BYTES",
    "predictions_json",
    "DEVICES",
    "BASELINES",
    "LANDSCAPE_COLUMNS",
    "YearState",
    "year_range",
    "year_state",
    "ipc_ratio",
    "landscape",
    "format_landscape",
    "bypass_share",
]
