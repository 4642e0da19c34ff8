"""Run the machine probe, or load the saved example and say so; the run's explorer preset.

Part of :mod:`ipcmodel.yourmachine` (import from there). Times in µs. Nothing happens on import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ipcmodel.measure import ProbeResult, load_example, run_probe, to_model_inputs

__all__ = ["NO_PROBE_ENV", "MEASURED_LABEL", "EXAMPLE_LABEL", "SAVED_EXAMPLE_MARKER", "MachineRun",
           "measure_or_load", "measured_preset"]

#: Set to 1 (or true/yes/on) to skip the probe and use the saved example result. The notebook
#: build sets it, so the saved notebook 06 shows the marked example, never the build machine.
NO_PROBE_ENV = "IPCMODEL_NO_PROBE"
#: The first words of the status line whenever the numbers are the saved example's.
SAVED_EXAMPLE_MARKER = "SAVED EXAMPLE, NOT MEASURED HERE"
#: Preset label for values measured on this machine, and for the saved example.
MEASURED_LABEL = "This machine (measured)"
EXAMPLE_LABEL = "Saved example (NOT this machine)"


def _num(x, digits: int = 4) -> str:
    return "—" if x is None else f"{x:.{digits}g}"


# ---- running the probe -------------------------------------------------------------------------

@dataclass(frozen=True)
class MachineRun:
    """A probe result and whether it was measured here (``measured``) or loaded (``reason`` why)."""

    result: ProbeResult
    measured: bool
    reason: str = ""

    @property
    def inputs(self) -> dict:
        """:func:`ipcmodel.measure.to_model_inputs` of the result (µs, net of the interpreter)."""
        return to_model_inputs(self.result)

    @property
    def label(self) -> str:
        return MEASURED_LABEL if self.measured else EXAMPLE_LABEL

    def status(self) -> str:
        """One line: measured here, or which saved result is shown instead and why."""
        r, mi = self.result, self.result.machine
        if self.measured:
            return (f"Measured this machine: {'quick' if r.quick else 'full'} probe, "
                    f"{r.duration_s:.1f} s, {len(r.measurements)} measurements.")
        return (f"{SAVED_EXAMPLE_MARKER} ({self.reason}). Every number below is from one quick "
                f"probe run saved with the package, on {mi.node} ({mi.cpu_model}) on {mi.date_iso}: "
                "not this machine's. Run this cell yourself to measure your machine.")

    def describe(self) -> str:
        """The status line plus the stamp of the machine the numbers come from."""
        mi = self.result.machine
        return "\n".join([
            self.status(),
            f"  machine: {mi.node}, {mi.machine}, {mi.cpu_model}, {mi.cpu_count} CPUs, "
            f"{mi.system} {mi.kernel}",
            f"  clock: {_num(mi.clock_mhz, 6)} MHz ({mi.clock_mhz_source}); clocksource "
            f"{mi.clocksource}; cache line {mi.cache_line_bytes} bytes",
            f"  Python {mi.python_version} ({mi.python_implementation}), numpy {mi.numpy_version}; "
            f"probed {mi.date_iso}",
        ])


def _no_probe(environ) -> bool:
    return str(environ.get(NO_PROBE_ENV, "")).strip().lower() in ("1", "true", "yes", "on")


def measure_or_load(quick: bool = True, *, progress=None, timeout_s: float | None = None,
                    environ=None, probe=None) -> MachineRun:
    """Run the probe; on any failure load :func:`ipcmodel.measure.load_example` and say why.

    Parameters
    ----------
    quick : bool
        The quick probe (about 10 s) or the full one (a minute or two).
    progress : callable, optional
        ``progress(done, total, label)``, passed to :func:`ipcmodel.measure.run_probe`.
    timeout_s : float, optional
        Budget of each measurement (s); exceeding it falls back to the example.
    environ : mapping, optional
        Where to read :data:`NO_PROBE_ENV` (default ``os.environ``).
    probe : callable, optional
        Stands in for :func:`ipcmodel.measure.run_probe` (tests simulate failures with it).

    Returns
    -------
    MachineRun
        ``measured`` is False, with the reason, when the example was loaded instead.
    """
    environ = os.environ if environ is None else environ
    probe = run_probe if probe is None else probe
    if _no_probe(environ):
        return MachineRun(load_example(), False, f"{NO_PROBE_ENV} is set")
    if not hasattr(os, "fork"):
        return MachineRun(load_example(), False, "this platform has no os.fork")
    try:
        result = probe(quick=quick, progress=progress, timeout_s=timeout_s)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # any failure: say which, and show the saved example
        return MachineRun(load_example(), False, f"the probe failed: {type(exc).__name__}: {exc}")
    inputs = to_model_inputs(result)
    lacking = [k for k in ("ipc_us", "syscall_us") if inputs[k] is None]
    if lacking:
        why = "; ".join(f"{k}: {v}" for k, v in result.skipped.items()) or "not measured"
        return MachineRun(load_example(), False, f"the probe could not measure {', '.join(lacking)} ({why})")
    return MachineRun(result, True)


# ---- the master explorer's preset ------------------------------------------------------------

def measured_preset(run: MachineRun) -> tuple[str, dict, list[str], str]:
    """``(label, values, missing, source)`` for :meth:`Explorer.add_preset`.

    Values are the measured ``ipc_us``, ``syscall_us``, ``clock_mhz``, ``miss_penalty_cycles``
    and the machine's ``cache_line_bytes``; ``missing`` names those the run did not measure.
    """
    v = run.inputs
    cand = {"ipc_us": v["ipc_us"], "syscall_us": v["syscall_us"], "clock_mhz": v["clock_mhz"],
            "cache_line_bytes": float(run.result.machine.cache_line_bytes),
            "miss_penalty_cycles": v["miss_penalty_cycles"]}
    values = {k: float(x) for k, x in cand.items() if x is not None}
    missing = [k for k, x in cand.items() if x is None]
    mi = run.result.machine
    where = "measured on this machine" if run.measured else "the saved example result, NOT this machine"
    source = (f"{where} ({mi.node}, {mi.date_iso}); times net of the interpreter, i.e. upper "
              "bounds; the miss penalty is an estimate (TLB misses push it up, a Python chase's "
              "overlapped interpreter work pushes it down; see format_miss_penalty for its spread).")
    return run.label, values, missing, source

