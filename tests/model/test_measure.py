"""Tests of the machine probe ``ipcmodel.measure``.

Behaviour only: fields present, values positive and self-consistent, JSON round trip exact,
children always reaped and shared memory always unlinked (success, timeout, Ctrl-C).  No test
asserts a speed; timings live in ``benchmarks/``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ipcmodel.__main__ import main
from ipcmodel.measure import (
    SHM_PREFIX,
    TRANSPORTS,
    ProbeResult,
    cli,
    load_example,
    measure_round_trip,
    median_ci,
    run_probe,
    settings,
    to_model_inputs,
)
from ipcmodel.measure._procs import Deadline, Watchdog, deferred_sigint, fork_child, reap

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists() or not hasattr(os, "fork"),
                                reason="needs Linux /proc and os.fork")

MODEL_KEYS = {"syscall_us", "ipc_us", "clock_trap_us", "clock_mapped_us", "shm_round_trip_us",
              "miss_penalty_cycles", "clock_mhz", "copy_mb_per_s"}
COPY_SIZES = [64, 4096, 1 << 20]
WORKING_SETS = [4096, 1 << 16, 1 << 22]


# -- helpers ------------------------------------------------------------------------------------
def _ppid_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _cmdline(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def forked_children(pid: int) -> set[int]:
    """Children of ``pid`` made by a bare fork (same command line); includes zombies."""
    own = _cmdline(pid)
    kids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _ppid_of(int(entry)) == pid and _cmdline(int(entry)) == own:
            kids.add(int(entry))
    return kids


def shm_entries(pid: int) -> list[str]:
    """This probe's shared-memory segments created by process ``pid``."""
    try:
        return [n for n in os.listdir("/dev/shm") if n.startswith(f"{SHM_PREFIX}{pid}_")]
    except FileNotFoundError:
        return []


def _readline(stream, timeout_s: float) -> bytes:
    buf, t_end = b"", time.monotonic() + timeout_s
    while not buf.endswith(b"\n"):
        left = t_end - time.monotonic()
        if left <= 0 or not select.select([stream], [], [], left)[0]:
            raise AssertionError(f"no complete line within {timeout_s} s; got {buf!r}")
        chunk = os.read(stream.fileno(), 1)
        if not chunk:
            break
        buf += chunk
    return buf


def _wait_for(predicate, timeout_s: float, what: str):
    t_end = time.monotonic() + timeout_s
    while time.monotonic() < t_end:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


# -- a small in-process run, shared by the field tests --------------------------------------------
@pytest.fixture(autouse=True)
def _sigint_raises_keyboardinterrupt():
    """Ctrl-C as a student's Python has it (KeyboardInterrupt here; the default in the probes
    these tests start): a test run earlier in this worker (a Jupyter server, a kernel manager)
    may have left SIGINT ignored, and children inherit an ignored signal."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.fixture(scope="module")
def probe():
    calls = []
    result = run_probe(quick=True, copy_sizes_bytes=COPY_SIZES, working_sets_bytes=WORKING_SETS,
                       progress=lambda done, total, label: calls.append((done, total, label)))
    return result, calls


# -- statistics -----------------------------------------------------------------------------------
def test_median_ci_order_statistics():
    s = median_ci([9, 1, 8, 2, 7, 3, 6, 4, 5])
    assert s.median_us == 5
    # n = 9: (x_(2), x_(8)) covers with 1 - 2 * (C(9,0) + C(9,1)) / 2**9 = 492/512.
    assert (s.ci_low_us, s.ci_high_us) == (2, 8)
    assert s.ci_level == pytest.approx(492 / 512, abs=1e-12)
    small = median_ci([3.0, 1.0, 2.0])  # too few for 95 %: (min, max) at its true 75 %
    assert (small.median_us, small.ci_low_us, small.ci_high_us) == (2.0, 1.0, 3.0)
    assert small.ci_level == pytest.approx(0.75, abs=1e-12)
    assert median_ci([1.0, 2.0, 3.0, 10.0]).median_us == 2.5


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=1e6), min_size=1, max_size=40))
def test_median_ci_brackets_median(xs):
    s = median_ci(xs)
    assert min(xs) <= s.ci_low_us <= s.median_us <= s.ci_high_us <= max(xs)
    assert 0.0 <= s.ci_level <= 1.0
    if len(xs) >= 6:  # 1 - 2/2**6 >= 0.95
        assert s.ci_level >= 0.95


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    ({"repetitions": 2}, r"repetitions \(count\).*>= 3"),
    ({"repetitions": 3.5}, r"repetitions \(count\) must be an int >= 3"),
    ({"repetitions": True}, r"repetitions \(count\) must be an int"),
    ({"timeout_s": 0}, r"timeout_s \(s\) must be in \(0, 3600\]"),
    ({"timeout_s": float("nan")}, r"timeout_s \(s\)"),
    ({"target_s": -1.0}, r"target_s \(s\)"),
    ({"quick": "yes"}, r"quick"),
    ({"parts": ["bogus"]}, r"parts must be"),
    ({"progress": 5}, r"progress must be a callable"),
    ({"copy_sizes_bytes": [0]}, r"copy_sizes_bytes \(bytes\).*>= 1"),
    ({"copy_sizes_bytes": []}, r"copy_sizes_bytes \(bytes\) must contain"),
    ({"working_sets_bytes": [100]}, r"working_sets_bytes \(bytes\).*>= 1024"),
])
def test_bad_input_names_parameter_unit_and_range(kwargs, match):
    with pytest.raises(ValueError, match=match):
        run_probe(**kwargs)


def test_bad_transport_and_overhead():
    with pytest.raises(ValueError, match="transport must be one of"):
        measure_round_trip("carrier_pigeon")
    with pytest.raises(ValueError, match=r"overhead_us \(µs\)"):
        measure_round_trip("pipe", settings(quick=True), overhead_us=-1.0)
    with pytest.raises(ValueError, match="result must be a ProbeResult"):
        to_model_inputs({"ipc_us": 1.0})


# -- fields and plausibility ----------------------------------------------------------------------
@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
def test_measurements_present_and_plausible(probe):
    result, _ = probe
    names = {"empty_loop", "builtin_call", "builtin_call_1arg", "null_syscall", "clock_monotonic",
             "ping_pong_dry", "shm_spin_dry"} | {name for name, _ in TRANSPORTS.values()}
    assert names <= set(result.measurements) | set(result.skipped)
    for name, m in result.measurements.items():
        assert m.name == name
        assert 0.0 < m.ci_low_us <= m.median_us <= m.ci_high_us < 1e6, name
        assert m.overhead_us >= 0.0 and m.net_us >= 0.0, name
        assert m.net_us == pytest.approx(max(m.median_us - m.overhead_us, 0.0), rel=1e-12)
        assert m.net_floored == (m.median_us < m.overhead_us), name
        assert m.repetitions == len(m.samples_us) == 7 and m.ops_per_repetition >= 1
        assert min(m.samples_us) <= m.median_us <= max(m.samples_us)
        assert 0.0 < m.ci_level <= 1.0 and m.method, name
    for name, _ in TRANSPORTS.values():
        if name in result.measurements:  # a round trip is positive and under 1 s
            assert 0.0 < result.measurements[name].median_us < 1e6


@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
def test_clock_classification_is_consistent(probe):
    result, _ = probe
    c = result.clocks
    assert c is not None and c.note
    assert set(c.classification) <= set(result.measurements)
    assert set(c.classification.values()) <= {"mapped", "trap", "unclear"}
    if c.trap_clock is not None:
        assert c.classification[c.trap_clock] == "trap"
    if c.mapped_clock is not None:
        assert c.classification[c.mapped_clock] == "mapped"
    if c.distinguishable:
        assert (result.measurements[c.trap_clock].ci_low_us
                > result.measurements[c.mapped_clock].ci_high_us)


@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
def test_copy_and_latency_points(probe):
    result, _ = probe
    assert [p.size_bytes for p in result.copy] == COPY_SIZES
    for p in result.copy:
        assert p.median_us > 0 and p.bandwidth_mb_per_s > 0
        # 1 MB/s == 1 byte/µs
        assert p.bandwidth_mb_per_s * p.median_us == pytest.approx(p.size_bytes, rel=1e-9)
        assert p.net_bandwidth_mb_per_s is None or p.net_bandwidth_mb_per_s > 0
        assert p.net_floored == (p.median_us < p.overhead_us)
    lat = result.latency
    assert [p.working_set_bytes for p in lat.points] == WORKING_SETS
    assert lat.line_bytes >= 8
    assert lat.baseline_us in [p.median_us for p in lat.points]  # an in-cache point, not a guess
    for p in lat.points:
        assert p.median_us > 0 and p.gather_us > 0 and p.excess_us >= 0
    assert lat.miss_penalty_us >= 0
    if result.machine.clock_mhz is None:
        assert lat.miss_penalty_cycles is None
    else:
        assert lat.miss_penalty_cycles == pytest.approx(lat.miss_penalty_us * lat.clock_mhz)


def test_latency_baseline_and_penalty_point_selection():
    from ipcmodel.measure.memory import _baseline_us, _penalty_points
    from ipcmodel.measure.results import LatencyPoint

    def pt(ws, us):
        return LatencyPoint(working_set_bytes=ws, median_us=us, ci_low_us=us, ci_high_us=us,
                            ci_level=0.9, excess_us=0.0, excess_cycles=None, gather_us=0.001,
                            accesses_per_repetition=10, repetitions=3)

    pts = [pt(4096, 0.05), pt(8192, 0.03), pt(65536, 0.02), pt(1 << 22, 0.1), pt(1 << 24, 0.2)]
    caches = [{"level": 1, "type": "Data", "size_bytes": 32768},
              {"level": 3, "type": "Unified", "size_bytes": 1 << 22}]
    # 65536 B does not fit a 32 KiB L1d, so the baseline is the lower of the first two.
    assert _baseline_us(pts, caches) == 0.03
    assert _baseline_us(pts, []) == 0.05  # cache sizes unknown: the smallest working set
    assert [p.working_set_bytes for p in _penalty_points(pts, caches)] == [1 << 24]
    assert [p.working_set_bytes for p in _penalty_points(pts, [])] == [1 << 24]
    big_llc = [{"level": 3, "type": "Unified", "size_bytes": 1 << 30}]
    assert [p.working_set_bytes for p in _penalty_points(pts, big_llc)] == [1 << 24]


@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
def test_machine_stamp(probe):
    mi = probe[0].machine
    assert mi.kernel == platform.release() and mi.machine == platform.machine()
    assert mi.python_version == platform.python_version()
    assert mi.cpu_count >= 1 and 1 <= mi.cpus_allowed and mi.cpu_model
    assert {"meltdown", "spectre_v2"} <= set(mi.vulnerabilities)
    assert dt.datetime.fromisoformat(mi.date_iso).tzinfo is not None
    assert mi.clock_mhz is None or mi.clock_mhz > 0


@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
def test_progress_callback(probe):
    _, calls = probe
    total = calls[0][1]
    assert calls[0][0] == 0 and calls[-1][:2] == (total, total)
    assert [c[0] for c in calls] == list(range(total + 1))
    assert all(c[1] == total and isinstance(c[2], str) and c[2] for c in calls)


@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
def test_model_inputs(probe):
    result, _ = probe
    inputs = to_model_inputs(result)
    assert set(inputs) == MODEL_KEYS
    assert inputs["ipc_us"] == result.measurements["pipe_round_trip"].net_us
    assert inputs["syscall_us"] == result.measurements["null_syscall"].net_us
    for key in ("syscall_us", "ipc_us", "copy_mb_per_s"):
        assert inputs[key] > 0, key
    for key, value in inputs.items():
        assert value is None or (math.isfinite(value) and value >= 0), key


# -- JSON -------------------------------------------------------------------------------------------
@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
def test_json_round_trip_is_exact(probe, tmp_path):
    result, _ = probe
    text = result.to_json()
    again = ProbeResult.from_json(text)
    assert again == result and again.to_json() == text
    path = result.save(tmp_path / "r.json")
    assert ProbeResult.load(path) == result and os.listdir(tmp_path) == ["r.json"]


@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
def test_json_rejects_bad_documents(probe):
    result, _ = probe
    d = result.to_dict()
    d["measurements"]["null_syscall"]["median_us"] = float("nan")
    with pytest.raises(ValueError):
        ProbeResult.from_dict(d).to_json()
    for mutate, match in [
        (lambda d: d.pop("machine"), "MachineInfo must be a JSON object"),
        (lambda d: d["machine"].pop("kernel"), r"missing field\(s\) of MachineInfo: \['kernel'\]"),
        (lambda d: d.update(extra=1), r"unknown field\(s\) for ProbeResult: \['extra'\]"),
        (lambda d: d.update(schema_version=99), "schema_version must be"),
    ]:
        d = result.to_dict()
        mutate(d)
        with pytest.raises(ValueError, match=match):
            ProbeResult.from_dict(d)


def test_example_result_loads():
    example = load_example()
    assert example.quick and example.machine.date_iso
    inputs = to_model_inputs(example)
    assert set(inputs) == MODEL_KEYS and inputs["ipc_us"] > 0


# -- CLI ----------------------------------------------------------------------------------------------
@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
@linux_only
def test_cli_quick_json_writes_only_that_file(tmp_path):
    out = tmp_path / "out.json"
    shm_before = {n for n in os.listdir("/dev/shm") if n.startswith(SHM_PREFIX)}
    proc = subprocess.run([sys.executable, "-m", "ipcmodel.measure", "--quick", "--json", str(out)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert os.listdir(tmp_path) == ["out.json"]
    result = ProbeResult.load(out)
    assert result.quick and "pipe_round_trip" in proc.stdout and "ipc_us" in proc.stdout
    assert "[1/" in proc.stderr  # progress went to stderr
    new = {n for n in os.listdir("/dev/shm") if n.startswith(SHM_PREFIX)} - shm_before
    # segments are named PREFIX<pid>_...: a probe running alongside (a notebook, under xdist) is
    # alive; every process of this CLI run has exited, so a segment of theirs would be a leak
    assert not [n for n in new if not Path(f"/proc/{n[len(SHM_PREFIX):].split('_')[0]}").exists()]


def test_cli_bad_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["measure", "--json", str(tmp_path / "missing" / "out.json")])
    assert exc.value.code == 2 and "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["measure", "--bogus"])
    assert exc.value.code == 2
    assert os.listdir(tmp_path) == []
    # the plain function refuses a bad path before measuring anything
    assert cli.json_path_problem(tmp_path / "out.json") is None
    with pytest.raises(ValueError, match="is a directory"):
        cli.run(quick=True, json_path=tmp_path)
    assert os.listdir(tmp_path) == []


# -- reaping: timeout, watchdog, interrupt, parent death -----------------------------------------
@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
@linux_only
@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_timeout_reaps_child_and_unlinks_shm(transport):
    before = forked_children(os.getpid())
    with pytest.raises(TimeoutError, match=TRANSPORTS[transport][0]):
        measure_round_trip(transport, settings(quick=True, timeout_s=0.001))
    assert forked_children(os.getpid()) == before
    assert shm_entries(os.getpid()) == []


@linux_only
def test_timeout_of_an_in_process_measurement_names_it():
    with pytest.raises(TimeoutError, match="'empty_loop' did not finish within its timeout"):
        run_probe(quick=True, parts=["syscall"], timeout_s=1e-6)


@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
@linux_only
def test_watchdog_kills_a_hung_child():
    pid = fork_child(lambda: time.sleep(60))
    dog = Watchdog(pid, Deadline("hung child", 0.05))
    try:
        assert dog.fired.wait(5.0)
        status = reap(pid, grace_s=5.0)
    finally:
        dog.stop()
        reap(pid, grace_s=0.0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert not Path(f"/proc/{pid}").exists()


@linux_only
def test_deferred_sigint_redelivers_after_the_block():
    reached_end = False
    with pytest.raises(KeyboardInterrupt):
        with deferred_sigint():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the handler has run by now, and did not raise
            reached_end = True
    assert reached_end


_SCRIPT = """
import sys
from ipcmodel.measure import measure_round_trip, settings
cfg = settings(repetitions=100000, target_s=0.05, timeout_s=120)
try:
    measure_round_trip(sys.argv[1], cfg)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.stdin.readline()
    sys.exit(130)
print("finished", flush=True)
"""


@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
@linux_only
@pytest.mark.parametrize("transport", ["pipe", "shm_spin"])
def test_sigint_mid_run_reaps_children_and_unlinks_shm(transport):
    p = subprocess.Popen([sys.executable, "-c", _SCRIPT, transport],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        kids = _wait_for(lambda: forked_children(p.pid), 30, "the ping-pong child")
        if transport.startswith("shm"):
            _wait_for(lambda: shm_entries(p.pid), 10, "the shared-memory segment")
        time.sleep(0.3)  # well inside the measurement
        assert p.poll() is None, "the measurement ended before it could be interrupted"
        p.send_signal(signal.SIGINT)
        assert _readline(p.stdout, 20) == b"interrupted\n"
        # The interrupted process is still alive: its children must already be reaped.
        assert forked_children(p.pid) == set()
        assert not any(Path(f"/proc/{k}").exists() for k in kids)
        assert shm_entries(p.pid) == []
        p.stdin.write(b"\n")
        p.stdin.flush()
        assert p.wait(timeout=20) == 130
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdin.close()
        p.stdout.close()


@pytest.mark.slow  # runs the probe's processes: make test, not test-fast
@linux_only
def test_spin_child_exits_when_its_parent_is_killed():
    p = subprocess.Popen([sys.executable, "-c", _SCRIPT, "shm_spin"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    kids: set[int] = set()
    own = None
    try:
        kids = _wait_for(lambda: forked_children(p.pid), 30, "the ping-pong child")
        own = _cmdline(p.pid)
        os.kill(p.pid, signal.SIGKILL)  # no chance to clean up: the child must notice alone
        p.wait(timeout=20)

        def gone():
            states = []
            for k in kids:
                try:
                    states.append(Path(f"/proc/{k}/stat").read_text().rsplit(")", 1)[1].split()[0])
                except OSError:
                    states.append("gone")
            return all(s in ("gone", "Z") for s in states)

        _wait_for(gone, 20, "the orphaned spin child to exit")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdin.close()
        p.stdout.close()
        for k in kids:  # never leave a stray spinner behind, even if the test failed
            if own is not None and _cmdline(k) == own:  # still our script's fork, not a reused pid
                try:
                    os.kill(k, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        # A SIGKILLed process cannot unlink its segment; multiprocessing's resource tracker
        # does. Give it a moment, then remove anything left so no test run leaks memory.
        t_end = time.monotonic() + 5.0
        while shm_entries(p.pid) and time.monotonic() < t_end:
            time.sleep(0.05)
        for name in shm_entries(p.pid):
            try:
                os.unlink(f"/dev/shm/{name}")
            except FileNotFoundError:
                pass
