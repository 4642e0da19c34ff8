"""Bad input, uniformly (issue 9): every exported model function names the caller's parameter.

The walk imports the model modules, collects every callable of their ``__all__`` (and the public
methods of exported classes), and feeds each numeric parameter NaN, +inf, -inf and a value far
below any allowed range. Each must raise a ``ValueError`` whose message names *that* parameter
(the caller's name, not an internal one), its unit in parentheses and the allowed range, e.g.
``ipc_us (µs) must be finite in [0, 1e+09] (no NaN or infinity); got nan``.

Every exported callable must appear in exactly one of :data:`BASELINES` (valid arguments),
:data:`NO_NUMERIC` (takes no number; asserted below, not skipped) or :data:`VALIDATORS`
(``ipcmodel.units``' own checkers, which name the parameter they are *given*; see
tests/model/test_units.py). A new exported function without an entry fails
:func:`test_every_export_is_classified`, so nothing escapes the walk.

Vectorised functions must also reject arrays that do not broadcast, naming both parameters;
functions documented for scalars (:data:`SCALAR_ONLY`) must reject an array with a named
ValueError rather than a TypeError from ``float()``.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import itertools
import math
import pkgutil
import re

import numpy as np
import pytest

import ipcmodel
import ipcmodel.history

# --------------------------------------------------------------------------------------------
# Which modules are the model
# --------------------------------------------------------------------------------------------

#: The model modules, imported by name.
NAMED_MODULES = ("units", "data", "machines", "service", "trends", "caches", "transfer", "firewall",
                 "workload")
#: Model modules that may not exist yet (created while issue 9 is in progress).
OPTIONAL_MODULES = ("paper",)
#: Top-level parts of ipcmodel that are not the model, and why (a new module must be put in one
#: list or the other: see test_every_top_level_module_is_classified).
NOT_MODEL = {
    "__main__": "command line",
    "_version": "version string",
    "claims": "the audit: calls the model with cited data only",
    "plotting": "matplotlib figures",
    "formatting": "text formatting for notebooks and exercises",
    "explorers": "widgets (issue 9: not part of the walk)",
    "exercises": "exercise sets (issue 9: not part of the walk)",
    "measure": "timing probes (issue 9: not part of the walk)",
    "yourmachine": "readings of the student's own machine (issue 9: not part of the walk)",
    "cachesim": "trace-driven cache simulator: records and traces, its bad input is tested in tests/model/test_cachesim.py",
    "answers": "the answer-key CLI (tested in tests/test_answers.py)",
    "course": "nbgrader assignments from the exercises (tested in tests/course/test_nbgrader.py)",
}


def _model_module_names() -> list[str]:
    names = [f"ipcmodel.{m}" for m in NAMED_MODULES]
    names += [f"ipcmodel.{m}" for m in OPTIONAL_MODULES
              if importlib.util.find_spec(f"ipcmodel.{m}") is not None]
    names.append("ipcmodel.history")
    # the submodules of the model's packages (history/, and paper/ if it is a package)
    for pkg_name in list(names):
        pkg = importlib.import_module(pkg_name)
        if hasattr(pkg, "__path__"):
            names += sorted(f"{pkg_name}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)
                            if not m.name.startswith("_"))
    return names


MODEL_MODULES = [importlib.import_module(n) for n in _model_module_names()]


def _key(obj) -> str:
    return f"{obj.__module__.removeprefix('ipcmodel.')}.{obj.__qualname__}"


def _exports():
    """``{key: callable}`` for every function and public method exported by the model (deduplicated:
    ``ipcmodel.history`` re-exports its submodules)."""
    out = {}
    for mod in MODEL_MODULES:
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isclass(obj):
                if not obj.__module__.startswith("ipcmodel"):
                    continue
                for meth_name, meth in vars(obj).items():
                    public = not meth_name.startswith("_") or meth_name == "__call__"
                    if public and inspect.isfunction(meth):
                        out.setdefault(_key(meth), meth)
            elif callable(obj):
                out.setdefault(_key(obj), obj)
    return out


EXPORTS = _exports()

# --------------------------------------------------------------------------------------------
# Valid baseline arguments (values from the paper where there is one; any valid value elsewhere)
# --------------------------------------------------------------------------------------------


def _trend_fit():
    from ipcmodel.history import TrendFit
    return TrendFit("ipc", "us", -0.1, 1.0, 1990, 2020, 3, ())


def _calibration():
    from ipcmodel.transfer import calibrate_mapped_socket
    return calibrate_mapped_socket(100, 0.15, 4096)


def _lab_layout():
    from ipcmodel.paper import lab_layout
    return lab_layout()


#: Instances on which the public methods of exported classes are walked.
INSTANCES = {
    "transfer.mapped.MappedSocketCalibration": _calibration,
    "history.fits.TrendFit": _trend_fit,
}

#: key -> keyword arguments for a valid call (parameters not given take their defaults; a
#: parameter is numeric when its baseline value is a number or a list/array of numbers).
BASELINES = {
    # units: conversions
    "units.cycles_to_us": dict(cycles=3600, clock_mhz=50),
    "units.us_to_cycles": dict(us=72, clock_mhz=50),
    "units.ns_to_us": dict(ns=191),
    "units.ms_to_us": dict(ms=4.8),
    "units.us_to_ms": dict(us=1720),
    "units.cycle_time_ns_to_mhz": dict(cycle_time_ns=20),
    "units.kb_to_bytes": dict(kb=4),
    "units.bytes_to_lines": dict(nbytes=4096, line_bytes=16),
    # service (§2.1, §3: DECstation 5000/200)
    "service.locality_us": dict(lines_touched=384, miss_fraction=1.0, miss_penalty_cycles=15, clock_mhz=25),
    "service.service_time_us": dict(crossing_us=57, locality_cost_us=0, service_us=1000),
    "service.monolithic_time_us": dict(syscall_us=8, service_us=1000),
    "service.microkernel_time_us": dict(ipc_us=57, service_us=1000),
    "service.ipc_overhead_fraction": dict(ipc_us=57, syscall_us=8, service_us=1000),
    "service.break_even_service_us": dict(ipc_us=57, syscall_us=8, threshold=0.05),
    "service.max_ipc_us": dict(syscall_us=8, service_us=1000, threshold=0.05),
    # no lines: the early branch that used to skip miss_fraction & co. (issue 9)
    "service.breakdown": dict(ipc_us=57, syscall_us=8, service_us=1000, clock_mhz=25, service_miss_fraction=0.5),
    # trends (§2: CVax 750 -> 497 µs)
    "trends.speedup": dict(old_us=750, new_us=497),
    "trends.annual_rate": dict(old_value=750, new_value=497, years=3),
    "trends.scaled_time_us": dict(time_us=100, speedup_factor=10),
    "trends.syscall_vs_ipc": dict(ipc_us=57, syscall_us=8),
    "trends.ipc_share_of_access": dict(ipc_us=57, syscall_us=8, service_us=10_000),
    "trends.processor_share_from_times": dict(old_us=497, new_us=57, speedup_factor=10),
    "trends.ethernet_wire_us": dict(message_bytes=512, rate_mbit_per_s=10),
    # caches (§3)
    "caches.footprint_lines": dict(instruction_bytes=4096, data_bytes=2048, line_bytes=16),
    "caches.cold_ipc_us": dict(hot_ipc_us=57, path_lines=384, miss_penalty_cycles=15, clock_mhz=25),
    "caches.dma_coherency_cycles": dict(page_bytes=4096, line_bytes=32, cycles_per_line=1),
    "caches.dma_fault_in_cycles": dict(page_bytes=4096, line_bytes=32, fault_in_cycles_per_line=2),
    "caches.dma_read_cycles": dict(page_bytes=4096, line_bytes=32, purge_cycles_per_line=1,
                                   fault_in_cycles_per_line=2),
    "caches.lines_per_page_from_cost": dict(cost_per_page_cycles=128, cost_per_line_cycles=1),
    "caches.extra_misses": dict(fast_us=95, slow_us=160, clock_mhz=16.67, miss_penalty_cycles=5),
    "caches.miss_time_us": dict(miss_penalty_cycles=15, clock_mhz=25),
    "caches.break_even_miss_penalty_cycles": dict(ipc_us=57, syscall_us=8, path_lines_count=384,
                                                  miss_fraction=1.0, clock_mhz=25),
    # transfer (§4)
    "transfer.copies.copy_cycles_per_byte": dict(read_miss_cycles=15, fetch_bytes=16, write_cycles_per_word=1),
    "transfer.copies.copy_bandwidth_mb_per_s": dict(cycles_per_byte=1.69, clock_mhz=25),
    "transfer.copies.copy_us": dict(message_bytes=4096, copy_mb_per_s=14.8),
    "transfer.copies.kernel_copy_us": dict(message_bytes=4096, copy_mb_per_s=14.8, fixed_us=57),
    "transfer.copies.shared_buffer_us": dict(message_bytes=4096, copy_mb_per_s=14.8, notify_us=57),
    "transfer.copies.remap_us": dict(message_bytes=4096, page_bytes=4096, remap_us_per_page=30, fixed_us=57),
    "transfer.copies.crossover_bytes": dict(fixed_a_us=10, per_byte_a_us=0.1, fixed_b_us=50, per_byte_b_us=0.01),
    "transfer.mapped.calibrate_mapped_socket": dict(no_gain_below_bytes=100, gain_fraction=0.15, gain_at_bytes=4096),
    "transfer.x11.simulate_x11_flushes": dict(policy="socket-coalescing", flushes=100, flushes_per_collection=4),
    "transfer.mapped.MappedSocketCalibration.fixed_us": dict(copy_mb_per_s=14.8),
    "transfer.mapped.implied_fixed_copies": dict(no_gain_below_bytes=100, gain_fraction=0.15, gain_at_bytes=4096),
    "transfer.mapped.passes_for_fixed": dict(fixed_copies=1000, no_gain_below_bytes=100, gain_fraction=0.15,
                                      gain_at_bytes=4096),
    "transfer.copies.remap_crossover_bytes": dict(other_fixed_us=57, other_us_per_byte=0.07, remap_fixed_us=57,
                                           remap_us_per_page=30, page_bytes=4096),
    "transfer.copies.marshalling_times_us": dict(message_bytes=4096, copy_mb_per_s=14.8, kernel_fixed_us=57,
                                          notify_us=10, remap_us_per_page=30, page_bytes=4096),
    "transfer.copies.marshalling_crossovers": dict(copy_mb_per_s=14.8, kernel_fixed_us=57, notify_us=10,
                                            remap_us_per_page=30, page_bytes=4096),
    "transfer.x11.x11_counts": dict(flushes_per_collection=4, flushes=100),
    "transfer.mapped.MappedSocketCalibration.gain": dict(message_bytes=4096),
    # firewall (§5)
    "firewall.effective_cost_us": dict(local_fraction=0.67, local_us=10, remote_us=500),
    "firewall.calls_per_rpc": dict(local_fraction=0.67),
    "firewall.mapped_clock_speedup": dict(trap_read_us=20, mapped_read_us=1),
    "firewall.protocol_boundary_cost_us": dict(crossings=4, server_path_us=490, kernel_path_us=60),
    "firewall.boundary_share": dict(boundary_us=1720, observed_slowdown_us=2000),
    "firewall.emulation_costs_us": dict(ipc_us=57, syscall_us=8),
    "firewall.mapped_clock_us": dict(load_cycles=1, clock_mhz=25),
    # Maeda & Bershad 1992, §2.2 and Tables 1, 3
    "firewall.udp_budget": dict(socket_accesses=4, server_socket_us=490, kernel_socket_us=60,
                                driver_crossings=2, driver_write_us=200, packet_filter_us=300,
                                measured_us=19_500, in_kernel_us=4800, user_level_us=4200),
    # paper (numbers derived from cited facts; only the ones that take an input)
    "paper.caches.hp700_rpcs": dict(cycles=3600),
    "paper.transfer.remap_fixed_cost_crossover_bytes": dict(fixed_us=2600),
    # paper.cachelab: the cache lab (BDF92 §3.1 on the lab's synthetic kernel)
    "paper.cachelab.lab_caches": dict(cache_bytes=65536),
    "paper.cachelab.lab_layout": dict(unrelated_size_bytes=14336, cache_bytes=65536),
    "paper.cachelab.null_rpc_misses": dict(layout=_lab_layout(), cache_bytes=65536),
    "paper.cachelab.lab_rpc_us": dict(misses=216, reference_count=0),
    "paper.cachelab.remedy_path_misses": dict(sizes_bytes=[12288, 14336]),
    "paper.cachelab.remedy_cost": dict(service_data_bytes=65536, unrelated_size_bytes=12288),
    "paper.cachelab.worst_path_misses": dict(coarse_step_bytes=16384),
    "paper.cachelab.flush_measurement": dict(layout=_lab_layout(), flush_cycles_per_line=1),
    "paper.caches.ipc_path_lines": dict(cache_line_bytes=16),
    "paper.caches.ipc_path_line_counts": dict(cache_line_bytes=16),
    "paper.firewall.clock_read_comparison": dict(),
    "paper.firewall.udp_budget": dict(socket_accesses=4, server_socket_us=490, kernel_socket_us=60,
                                      driver_crossings=2, driver_write_us=200, packet_filter_us=300,
                                      measured_us=19_500),
    "paper.transfer.ds5000_copy_us": dict(message_bytes=4096),
    # workload
    "workload.program_times_us": dict(outside_us=1e6, uses=1000, service_us=100, syscall_us=8, ipc_us=57),
    "workload.microkernel_share": dict(outside_us=1e6, uses=1000, service_us=100, syscall_us=8, ipc_us=57),
    # history
    "history.fits.fit_loglinear": dict(years=[1990, 2000, 2010], values=[100.0, 10.0, 1.0]),
    "history.fits.evaluate_trend": dict(fit=_trend_fit(), year=2000),
    "history.fits.TrendFit.__call__": dict(year=2000),
    "history.points.history_points": dict(quantity="disk", include_formula=True, years=[1992, 2000]),
    "history.scott.scott_in_range": dict(year=1992),
    "history.scott.scott_cycle_ns": dict(year=1992),
    "history.scott.scott_clock_mhz": dict(year=1992),
    "history.scott.scott_memory_ns": dict(year=1992),
    "history.scott.scott_miss_penalty_cycles": dict(year=1992),
    "history.scott.scott_disk_seek_ns": dict(year=1992),
    "history.scott.scott_ssd_read_ns": dict(year=1992),
    "history.estimates.estimate_for_year": dict(quantity="disk_us", year=1992),
    "history.estimates.machine_of_year": dict(year=1992),
    "history.estimates.ipc_cycles_for_year": dict(year=1992),
    "history.estimates.ipc_cycles_estimate": dict(year=1992),
    "history.estimates.clock_for_year": dict(year=1992),
    "history.device_classes.device_shown": dict(quantity="ssd_us", year=2020),
    "history.devices.device_of_year": dict(kind="disk", year=2024, window=8),
    "history.devices.today_devices": dict(year=2024, window=8),
    "history.devices.formula_extrapolations": dict(year=2024),
    "history.devices.network_eras": dict(window=8),
    "history.security.crossing_costs": dict(year=2024, threshold=0.05),
    "history.security.kpti_history_rows": dict(since_year=2018),
    "history.security.kpti_verdicts": dict(since_year=2018),
    "history.multicore.cross_core_effect": dict(year=2024, threshold=0.05),
    "history.debate.format_debate": dict(),
    "history.debate.format_statements": dict(),
    "history.years.year_state": dict(year=1992, cache_line_bytes=16),
    "history.years.ipc_ratio": dict(year=2024, base_year=1992),
    "history.years.landscape": dict(year=1992),
    "history.years.format_landscape": dict(),
    "history.years.bypass_share": dict(ipc_year=2024, device_year=2024),
}

#: Functions documented for single numbers: an array argument is a named ValueError.
SCALAR_ONLY = {
    "paper.cachelab.worst_path_misses",
    "paper.cachelab.lab_caches", "paper.cachelab.lab_layout", "paper.cachelab.null_rpc_misses",
    "paper.cachelab.lab_rpc_us", "paper.cachelab.remedy_cost", "paper.cachelab.flush_measurement",
    "service.breakdown",
    "trends.syscall_vs_ipc",
    "transfer.mapped.calibrate_mapped_socket",
    "transfer.x11.simulate_x11_flushes",
    "transfer.mapped.MappedSocketCalibration.fixed_us",
    "history.estimates.estimate_for_year",
    "history.estimates.machine_of_year",
    "history.estimates.ipc_cycles_for_year",
    "history.estimates.ipc_cycles_estimate",
    "history.estimates.clock_for_year",
    "history.device_classes.device_shown",
    "history.debate.format_statements",
    "history.devices.device_of_year",
    "history.devices.today_devices",
    "history.devices.formula_extrapolations",
    "history.devices.network_eras",
    "history.security.crossing_costs",
    "history.security.kpti_history_rows",
    "history.security.kpti_verdicts",
    "history.multicore.cross_core_effect",
    "history.debate.format_debate",
    "history.years.year_state",
    "history.years.ipc_ratio",
    "history.years.landscape",
    "history.years.format_landscape",
    "history.years.bypass_share",
    "firewall.udp_budget",
    "paper.firewall.clock_read_comparison",
    "paper.firewall.udp_budget",
    "transfer.copies.remap_crossover_bytes",
    "transfer.copies.marshalling_crossovers",
    "transfer.x11.x11_counts",
}

#: Functions whose numeric parameters are whole sequences (not broadcast against each other).
SEQUENCE_PARAMS = {
    "history.fits.fit_loglinear": ("years", "values"),
    "history.points.history_points": ("years",),
}

#: Exported callables that take no numeric parameter (checked by test_no_numeric_really_has_none).
NO_NUMERIC = {
    "paper.cachelab.worst_cost", "paper.cachelab.bdf92_collision_cycles_us", "paper.caches.hp700_read_rpcs",
    "history.floor.processor_class", "history.floor.trap_floor",
    "paper.cachelab.bdf92_extra_misses_from_cycles", "paper.cachelab.bdf92_extra_time_us",
    "paper.cachelab.flush_growth_percent", "paper.cachelab.flush_growth_us",
    "data.data_dir", "data.load_facts", "data.load_bibliography", "data.fact", "data.facts_where",
    "data.cite", "data.Fact.cite", "data.Fact.value_text", "data.Reference.short",
    "machines.load_machines", "machines.machine", "machines.Machine.known", "machines.Machine.missing",
    "machines.Machine.describe",
    "workload.macrobenchmarks", "workload.format_macrobenchmarks", "workload.macrobenchmarks_json",
    "workload.macrobenchmark", "workload.verdict_counts", "workload.ceiling_totals",
    "workload.haertig97_penalties", "workload.format_haertig97", "workload.haertig97_citation",
    "workload.udp_crossings", "workload.on_map", "workload.map_placements", "workload.sockets_only_overhead",
    "workload.format_map_placements",
    "history.rows.history_rows", "history.rows.round_trip_us", "history.rows.round_trip_cycles",
    "history.rows.HistoryRow.cite",
    "history.fits.fit_trend", "history.pairs.same_machine_pairs", "history.pairs.machine_label",
    "history.device_classes.device_options", "history.device_classes.device_first_year",
    "history.device_classes.bypass_first_year", "history.predictions.predictions",
    "history.predictions.predictions_json", "history.sensitivity.Prediction.to_dict",
    "history.sensitivity.Sensitivity.to_dict", "history.predictions.format_sensitivity",
    "history.rows.admission_problems", "history.rows.isa_group", "history.sensitivity.cold_rows",
    "history.sensitivity.data_choices", "history.sensitivity.isa_rows", "history.sensitivity.leave_one_out",
    "history.cli.report", "history.debate.statements", "history.debate.Statement.cite",
    "history.devices.disk_access", "history.devices.disks_without_access", "history.devices.erpc_label",
    "history.devices.paper_network_latency", "history.devices.devices_heading",
    "history.security.kpti_facts", "history.security.kpti_era_start", "history.security.kpti_cost",
    "history.security.mysql_kpti_slowdown", "history.multicore.core_to_core_rows",
    "history.multicore.core_to_core_ratios", "history.multicore.cross_core_added_us",
    "history.multicore.placement_options", "history.multicore.probe_ratio",
    "history.debate.structure_not_location",
    "history.years.year_range", "history.years.YearState.measured",
    # paper: numbers derived from cited facts, chosen by name (a machine, a fact, an end of a range)
    "paper.caches.cold_path_extra_us", "paper.caches.cold_path_slowdown", "paper.caches.cold_path_us",
    "paper.caches.ds3100_collision_slowdown", "paper.caches.ds3100_misses_on_ds5000_us",
    "paper.caches.ds5000_rpc_cycles", "paper.caches.hp700_coherency_cycles",
    "paper.caches.hp700_dma_read_cycles", "paper.caches.hp700_lines_per_page",
    "paper.caches.hp700_page_bytes", "paper.caches.hp700_clock_mhz", "paper.caches.hp700_printed_high_per_line",
    "paper.caches.hp700_rpc_cycles", "paper.caches.ipc_path_bytes", "paper.caches.ds5000_ipc_path_misses",
    "paper.firewall.emulation_call_ds5000_us", "paper.firewall.emulation_local_fraction",
    "paper.firewall.measured_unix_server_options", "paper.firewall.measured_unix_server_rows",
    "paper.firewall.clock_read_on_a_miss", "paper.firewall.table1_boundaries_share",
    "paper.firewall.udp_budget_inputs",
    "paper.firewall.udp_rtt_vs_kernel", "paper.firewall.udp_share_explained", "paper.firewall.user_level_udp_rpc_ms",
    "paper.firewall.user_level_udp_rpc_share", "paper.firewall.emulation_costs_ds5000_us",
    "paper.firewall.ipc_round_trip_from_parts_us", "paper.firewall.socket_access_from_parts_us",
    "paper.firewall.spl_per_round_trip_us", "paper.service.cited_devices",
    "paper.firewall.emulation_library_ds5000_us", "paper.firewall.user_level_udp_spread_ms",
    "paper.firewall.emulation_call_ds5000_range_us", "paper.firewall.client_rpcs_predicted_ms",
    "paper.firewall.socket_access_unexplained_us",
    "paper.service.crossing_cases", "paper.service.section2_devices",
    "paper.caches.cited_miss_times", "paper.caches.longest_cited_miss_us",
    "paper.cachelab.lab_page_bytes", "paper.cachelab.kernel_files", "paper.cachelab.reference_misses",
    "paper.cachelab.collision",
    "paper.transfer.CopyEstimate.breakdown", "paper.transfer.ds5000_copy_estimate",
    "paper.transfer.ds5000_page_bytes", "paper.transfer.mapped_socket_calibration",
    "paper.transfer.ds5000_read_ipc_share_cap",
    "paper.transfer.mapped_socket_fixed_us", "paper.transfer.mb92_remap_anchor_us", "paper.transfer.mapped_socket_observations",
    "paper.trends.cvax_software_annual_gain", "paper.trends.cvax_software_speedup",
    "paper.trends.gap_share_of_wire_512", "paper.trends.gap_shrink_cvax_to_ds5000",
    "paper.trends.rpc_processor_share", "paper.trends.rpc_speedup_cvax_to_ds5000",
    "paper.trends.rpc_syscall_gap_us", "paper.trends.rpc_syscall_ratio", "paper.trends.rpc_syscall_ratio_change",
    "paper.trends.section2_comparisons", "paper.trends.wire_time_512_us",
}

#: ipcmodel.units' validators: they name the parameter they are given (tests/model/test_units.py).
VALIDATORS = {
    "units.check", "units.check_positive", "units.check_nonnegative", "units.check_fraction",
    "units.check_count", "units.check_in_range", "units.broadcast_named", "units.scalar_or_array",
}

#: Parameter names that are never numbers (options, data selections, records).
_NON_NUMERIC_NAMES = {"rows", "row", "series", "quantity", "position", "argv", "policy", "name", "key",
                      "fact_id", "machine_id", "unit", "row_ids", "fit", "self", "criteria", "as_written",
                      "include_formula", "as_json", "end", "route", "columns", "baseline",
                      "device_quantity"}
_NUMERIC_LOOKING = re.compile(r"(_us|_ns|_ms|_bytes|_cycles|_mhz|_fraction|_lines|_count|year|years|"
                              r"width|seed|threshold|_s|_kb)$")

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _is_numeric(v) -> bool:
    if _is_number(v):
        return True
    if isinstance(v, (list, tuple, np.ndarray)) and len(v) and all(_is_number(x) for x in np.ravel(v)):
        return True
    return False


def _callable_for(key):
    fn = EXPORTS[key]
    if "." in fn.__qualname__:  # a method: bind it to an instance
        cls_key = key.rsplit(".", 1)[0]
        return getattr(INSTANCES[cls_key](), fn.__name__)
    return fn


def _full_kwargs(key) -> dict:
    """Baseline arguments with every defaulted parameter made explicit."""
    sig = inspect.signature(EXPORTS[key])
    kwargs = {}
    for p in sig.parameters.values():
        if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name in BASELINES[key]:
            kwargs[p.name] = BASELINES[key][p.name]
        elif p.default is not p.empty:
            kwargs[p.name] = p.default
        else:
            raise AssertionError(f"{key}: BASELINES gives no value for required parameter {p.name!r}")
    return kwargs


def _numeric_params(key) -> list[str]:
    return [k for k, v in _full_kwargs(key).items() if _is_numeric(v)]


def _call(key, **overrides):
    kwargs = _full_kwargs(key)
    kwargs.update(overrides)
    fn = _callable_for(key)
    sig = inspect.signature(fn)
    pos = [kwargs.pop(p.name) for p in sig.parameters.values()
           if p.kind is p.POSITIONAL_ONLY and p.name in kwargs]
    return fn(*pos, **kwargs)


def _replace(value, bad):
    """``bad`` in place of a scalar baseline, or in place of the first element of a sequence."""
    if _is_number(value):
        return bad
    arr = np.array(value, dtype=float)
    arr.flat[0] = bad
    return arr


def _named(name: str) -> str:
    return rf"(?<![\w.]){re.escape(name)} \([^)]+\) must be"


WALKED = sorted(k for k in BASELINES if k in EXPORTS)  # stale keys: test_every_export_is_classified
CASES = [(k, p) for k in WALKED for p in _numeric_params(k)]

# --------------------------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------------------------


def test_every_top_level_module_is_classified():
    found = {m.name for m in pkgutil.iter_modules(ipcmodel.__path__)}
    model = set(NAMED_MODULES) | set(OPTIONAL_MODULES) | {"history"}
    unclassified = found - model - set(NOT_MODEL)
    assert not unclassified, (f"new module(s) {sorted(unclassified)}: add them to NAMED_MODULES "
                              "(and BASELINES) or to NOT_MODEL with a reason")
    for name in NAMED_MODULES:
        assert name in found, f"model module ipcmodel.{name} is gone: update NAMED_MODULES"


def test_every_export_is_classified():
    """Every exported callable has a baseline, or is listed as taking no number, or is a validator."""
    lists = {"BASELINES": set(BASELINES), "NO_NUMERIC": NO_NUMERIC, "VALIDATORS": VALIDATORS}
    for key in EXPORTS:
        homes = [name for name, keys in lists.items() if key in keys]
        assert homes, (f"{key} is exported but not walked: give it valid arguments in BASELINES "
                       "(or list it in NO_NUMERIC if it takes no number)")
        assert len(homes) == 1, f"{key} is listed in {homes}"
    stale = set().union(*lists.values()) - set(EXPORTS)
    assert not stale, f"listed but no longer exported (remove them): {sorted(stale)}"


def test_walk_covers_functions_and_parameters():
    walked = WALKED
    with_numbers = [k for k in walked if _numeric_params(k)]
    assert with_numbers == walked, f"baselines without a numeric parameter: {set(walked) - set(with_numbers)}"
    # the walk is not vacuous: the five §2-§5 modules and history are all in it
    for prefix in ("service.", "trends.", "caches.", "transfer.", "firewall.", "history.", "units."):
        assert any(k.startswith(prefix) for k in walked), prefix
    assert len(CASES) >= 150, len(CASES)


@pytest.mark.parametrize("key", sorted(NO_NUMERIC))
def test_no_numeric_really_has_none(key):
    """A function listed as taking no number has no numeric default and no numeric-looking name."""
    if key not in EXPORTS:
        pytest.fail(f"{key} is listed in NO_NUMERIC but not exported")
    sig = inspect.signature(EXPORTS[key])
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name == "self":
            continue
        assert not _is_numeric(p.default), f"{key}({p.name}={p.default!r}) takes a number"
        assert p.name in _NON_NUMERIC_NAMES or not _NUMERIC_LOOKING.search(p.name), (
            f"{key}({p.name}) looks numeric: walk it (BASELINES) or add the name to _NON_NUMERIC_NAMES")


@pytest.mark.parametrize("key", WALKED)
def test_baseline_is_valid(key):
    _call(key)


@pytest.mark.parametrize("key", WALKED)
def test_optional_numbers_are_walked(key):
    """A parameter that defaults to None (``clock_mhz=None``, ``device_year=None``) is walked only if
    its baseline gives a number; one that is not a number must say so by its name."""
    for p in inspect.signature(EXPORTS[key]).parameters.values():
        if p.default is None and p.name not in BASELINES[key]:
            assert p.name in _NON_NUMERIC_NAMES, (
                f"{key}({p.name}=None): give it a number in BASELINES so the walk feeds it NaN, "
                "or add the name to _NON_NUMERIC_NAMES")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "+inf", "-inf"])
@pytest.mark.parametrize("key, param", CASES, ids=[f"{k}:{p}" for k, p in CASES])
def test_non_finite_is_named(key, param, bad):
    value = _replace(_full_kwargs(key)[param], bad)
    with pytest.raises(ValueError, match=_named(param) + r" finite in [\[(].*, .*[\])]") as exc:
        _call(key, **{param: value})
    assert "no NaN or infinity" in str(exc.value)


@pytest.mark.parametrize("key, param", CASES, ids=[f"{k}:{p}" for k, p in CASES])
def test_far_below_range_is_named(key, param):
    """Every numeric parameter of the model has a lower bound (times, sizes, counts, years...)."""
    value = _replace(_full_kwargs(key)[param], -1e300)
    with pytest.raises(ValueError, match=_named(param) + r" in [\[(].*, .*[\])]; got -1e\+300"):
        _call(key, **{param: value})


def _broadcast_params(key):
    return [p for p in _numeric_params(key) if p not in SEQUENCE_PARAMS.get(key, ())]


VECTOR_KEYS = [k for k in WALKED if k not in SCALAR_ONLY and _broadcast_params(k)]
SCALAR_CASES = [(k, p) for k in sorted(SCALAR_ONLY & set(WALKED)) for p in _broadcast_params(k)]
# consecutive pairs: every broadcast parameter is in at least one mismatch
PAIR_CASES = [(k, a, b) for k in VECTOR_KEYS for a, b in itertools.pairwise(_broadcast_params(k))]


@pytest.mark.parametrize("key", VECTOR_KEYS)
def test_vectorised_accepts_arrays(key):
    """Functions not listed in SCALAR_ONLY work element-wise on arrays."""
    kwargs = _full_kwargs(key)
    arrays = {p: np.full(2, kwargs[p], dtype=float) for p in _broadcast_params(key)}
    _call(key, **arrays)


@pytest.mark.parametrize("key, a, b", PAIR_CASES, ids=[f"{k}:{a}+{b}" for k, a, b in PAIR_CASES])
def test_arrays_that_do_not_broadcast_are_named(key, a, b):
    kwargs = _full_kwargs(key)
    bad = {a: np.full(2, kwargs[a], dtype=float), b: np.full(3, kwargs[b], dtype=float)}
    with pytest.raises(ValueError, match="do not broadcast") as exc:
        _call(key, **bad)
    msg = str(exc.value)
    assert re.search(rf"(?<!\w){a} \(2,\)", msg) and re.search(rf"(?<!\w){b} \(3,\)", msg), msg


@pytest.mark.parametrize("key, param", SCALAR_CASES, ids=[f"{k}:{p}" for k, p in SCALAR_CASES])
def test_scalar_only_rejects_arrays_by_name(key, param):
    value = np.full(2, _full_kwargs(key)[param], dtype=float)
    with pytest.raises(ValueError, match=_named(param) + r" a single number"):
        _call(key, **{param: value})


# --------------------------------------------------------------------------------------------
# The two examples of issue 9, and the sequence parameters
# --------------------------------------------------------------------------------------------


def test_ipc_overhead_fraction_names_ipc_us_not_crossing_us():
    from ipcmodel import service
    with pytest.raises(ValueError, match=r"^ipc_us \(µs\) must be finite in \[0, 1e\+09\]") as exc:
        service.ipc_overhead_fraction(ipc_us=math.nan, syscall_us=8, service_us=1000)
    assert "crossing_us" not in str(exc.value)


def test_cycles_at_names_time_us_not_us():
    from ipcmodel import caches
    cycles_at = getattr(caches, "cycles_at", None)
    if cycles_at is None:  # removed as dead code (issue 9); the conversion it aliased names its own
        from ipcmodel import units
        with pytest.raises(ValueError, match=r"^us \(µs\) must be finite"):
            units.us_to_cycles(us=math.nan, clock_mhz=50)
        assert "cycles_at" not in caches.__all__
        return
    with pytest.raises(ValueError, match=r"^time_us \(µs\) must be finite"):
        cycles_at(time_us=math.nan, clock_mhz=50)


@pytest.mark.parametrize("kwargs", [dict(miss_fraction=math.nan), dict(miss_penalty_cycles=math.inf),
                                    dict(ipc_path_lines=-1), dict(service_lines=math.nan),
                                    dict(clock_mhz=0)])
def test_breakdown_validates_keywords_on_the_early_branch(kwargs):
    """No lines and no misses: the locality terms are skipped, their arguments are not."""
    from ipcmodel import service
    (name,) = kwargs
    with pytest.raises(ValueError, match=_named(name)):
        service.breakdown(57, 8, 1000, **kwargs)


def test_fit_loglinear_lengths_must_match():
    from ipcmodel import history
    with pytest.raises(ValueError, match=r"years and values must have the same length; got 3 and 2"):
        history.fit_loglinear([1990, 2000, 2010], [1.0, 2.0])


def test_history_points_years_named():
    from ipcmodel import history
    with pytest.raises(ValueError, match=r"^years \(calendar year\) must be a whole number in \[1960, 2100\]"):
        history.history_points("disk", include_formula=True, years=[1992.5])
    # validated even when no formula point is asked for (the branch that uses it is skipped)
    with pytest.raises(ValueError, match=_named("years") + " finite"):
        history.history_points("ipc", years=[1992, math.nan])
