"""Numbers derived from the paper's cited facts, one home for each.

Every function here reads facts from ``data/`` (by the ids named in its docstring), feeds them to a
formula of the topic modules (:mod:`ipcmodel.trends`, :mod:`ipcmodel.caches`,
:mod:`ipcmodel.transfer`, :mod:`ipcmodel.firewall`) and returns one derived number (or a small
record of them). The claims audit, the explorers, the exercises and the notebook templates
(``{{calc:paper.cold_path_us()|.0f}}``) all call these functions, so each derivation is written
once. Nothing is typed in: a changed fact changes every number that depends on it.

One module per topic, with the topic words of the rest of the package; everything public is
re-exported here (import from ``ipcmodel.paper``):

==============================  ===========================================================
``ipcmodel.paper.service``      the cited device times (notebooks 00, 05)
``ipcmodel.paper.trends``       §2, §2.1: speedups, the processor share, the 512-byte wire
                                time, the RPC-minus-system-call gap
``ipcmodel.paper.caches``       §3: IPC-path lines, the cold path, HP-700 DMA coherency
``ipcmodel.paper.transfer``     §4: the DS5000/200 copy estimate and page, mapped sockets
``ipcmodel.paper.firewall``     §5: the local fraction, the mapped clock, the UDP budget
==============================  ===========================================================
"""

from __future__ import annotations

from ipcmodel.paper.caches import (
    CitedMiss,
    cited_miss_times,
    cold_path_extra_us,
    cold_path_slowdown,
    cold_path_us,
    ds3100_collision_slowdown,
    ds3100_misses_on_ds5000_us,
    ds5000_rpc_cycles,
    hp700_clock_mhz,
    hp700_coherency_cycles,
    hp700_dma_read_cycles,
    hp700_lines_per_page,
    hp700_page_bytes,
    hp700_printed_high_per_line,
    hp700_rpc_cycles,
    hp700_rpcs,
    ipc_path_bytes,
    ipc_path_line_counts,
    ipc_path_lines,
    longest_cited_miss_us,
)
from ipcmodel.paper.firewall import (
    ClockComparison,
    client_rpcs_predicted_ms,
    clock_read_comparison,
    emulation_call_ds5000_range_us,
    emulation_call_ds5000_us,
    emulation_costs_ds5000_us,
    emulation_library_ds5000_us,
    emulation_local_fraction,
    ipc_round_trip_from_parts_us,
    measured_unix_server_options,
    socket_access_from_parts_us,
    socket_access_unexplained_us,
    spl_per_round_trip_us,
    udp_budget,
    udp_budget_inputs,
    udp_rtt_vs_kernel,
    user_level_udp_rpc_ms,
    user_level_udp_rpc_share,
    user_level_udp_spread_ms,
)
from ipcmodel.paper.service import (
    UNNUMBERED_DEVICES,
    CrossingCase,
    Device,
    cited_devices,
    crossing_cases,
    section2_devices,
)
from ipcmodel.paper.transfer import (
    CopyEstimate,
    ds5000_copy_estimate,
    ds5000_copy_us,
    ds5000_page_bytes,
    ds5000_read_ipc_share_cap,
    mapped_socket_calibration,
    mapped_socket_fixed_us,
    mapped_socket_observations,
)
from ipcmodel.paper.trends import (
    Comparison,
    cvax_software_annual_gain,
    cvax_software_speedup,
    gap_share_of_wire_512,
    gap_shrink_cvax_to_ds5000,
    rpc_processor_share,
    rpc_speedup_cvax_to_ds5000,
    rpc_syscall_gap_us,
    rpc_syscall_ratio,
    rpc_syscall_ratio_change,
    section2_comparisons,
    wire_time_512_us,
)

__all__ = [
    "Device",
    "cited_devices",
    "section2_devices",
    "UNNUMBERED_DEVICES",
    "CrossingCase",
    "crossing_cases",
    "CitedMiss",
    "cited_miss_times",
    "longest_cited_miss_us",
    "rpc_speedup_cvax_to_ds5000",
    "cvax_software_speedup",
    "cvax_software_annual_gain",
    "rpc_processor_share",
    "wire_time_512_us",
    "Comparison",
    "section2_comparisons",
    "rpc_syscall_gap_us",
    "rpc_syscall_ratio",
    "rpc_syscall_ratio_change",
    "gap_share_of_wire_512",
    "gap_shrink_cvax_to_ds5000",
    "ipc_path_bytes",
    "ipc_path_lines",
    "ipc_path_line_counts",
    "ds5000_rpc_cycles",
    "cold_path_us",
    "cold_path_extra_us",
    "cold_path_slowdown",
    "ds3100_collision_slowdown",
    "ds3100_misses_on_ds5000_us",
    "hp700_clock_mhz",
    "hp700_rpc_cycles",
    "hp700_lines_per_page",
    "hp700_page_bytes",
    "hp700_coherency_cycles",
    "hp700_dma_read_cycles",
    "hp700_rpcs",
    "hp700_printed_high_per_line",
    "CopyEstimate",
    "ds5000_copy_estimate",
    "ds5000_copy_us",
    "ds5000_read_ipc_share_cap",
    "ds5000_page_bytes",
    "mapped_socket_observations",
    "mapped_socket_calibration",
    "mapped_socket_fixed_us",
    "emulation_local_fraction",
    "emulation_costs_ds5000_us",
    "emulation_library_ds5000_us",
    "emulation_call_ds5000_us",
    "emulation_call_ds5000_range_us",
    "client_rpcs_predicted_ms",
    "spl_per_round_trip_us",
    "ClockComparison",
    "clock_read_comparison",
    "socket_access_from_parts_us",
    "socket_access_unexplained_us",
    "ipc_round_trip_from_parts_us",
    "udp_budget_inputs",
    "udp_budget",
    "measured_unix_server_options",
    "udp_rtt_vs_kernel",
    "user_level_udp_rpc_ms",
    "user_level_udp_rpc_share",
    "user_level_udp_spread_ms",
]
