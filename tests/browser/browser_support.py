"""Machinery shared by the browser tests and ``benchmarks/bench_browser_latency.py``.

Starts JupyterLab / Voila as child processes of this Python (each in its own process group,
on 127.0.0.1, on a free port, with a generated token and throw-away config/data/runtime dirs),
stops them by process id together with every process they started (kernels run in their own
sessions, so they are collected from the process tree before the kill), drives Debian's
Chromium through Playwright, and knows the DOM of JupyterLab 4.6 and of the explorers.

The contract with ``ipcmodel/explore.py`` (also written down in ``binder/README.md``):

* each explorer's outer box carries the CSS class ``ipcmodel-explorer``;
* its figure is an ``<img>`` inside that box (an ``ipywidgets.Image`` or an ``Output``);
* its reading (the numbers in words) is an element with class ``ipcmodel-reading``;
* its preset ``Dropdown`` has class ``ipcmodel-presets``;
* its sliders are ordinary ipywidgets 8 sliders (noUiSlider handles);
* its accessibility bridge (``ipcmodel/explorers/a11y.py``) names each handle (``aria-label`` =
  the slider's label with unit), reads it in that unit (``aria-valuetext``), gives the figure an
  ``alt`` carrying the reading, and keeps the notebook's shortcuts off its controls.

Accessibility checks (issue 13): :func:`run_axe` (axe-core from the axe-playwright-python
wheel, one run per page, our content vs the front end's own), :func:`a11y_problems` (names,
values, alt) and :func:`keyboard_walk` (Tab, focus ring, arrows, preset menu, Reset).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO / "notebooks"
BUILD = REPO / "build"
SCREENSHOTS = BUILD / "screenshots"
DEMO_DIR = BUILD / "browser-demo"

CHROMIUM = Path(os.environ.get("IPCMODEL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The contract with ipcmodel/explore.py.
EXPLORER = ".ipcmodel-explorer"
READING = ".ipcmodel-reading"
PRESETS = ".ipcmodel-presets"
SLIDER_HANDLE = ".widget-slider .noUi-handle"

# Settings every server started here gets: no news / update pop-ups (they cover the notebook),
# and no autosave (a Run All must never rewrite the repository's notebooks).
LAB_SETTING_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}

NOT_RUN = "NOT RUN: chromium missing"


def chromium_problem() -> str | None:
    """Why the browser tests cannot run here, or None when Chromium is usable."""
    if not CHROMIUM.exists():
        return f"{NOT_RUN} ({CHROMIUM} does not exist; CI installs it with apt-get install chromium)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{NOT_RUN} ({CHROMIUM} is not executable)"
    return None


def banner(message: str) -> str:
    line = "!" * 78
    return f"\n{line}\n!! {message}\n!! The browser tests were NOT run: nothing was checked in a browser.\n{line}\n"


# --------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------

_LIVE: set[ManagedServer] = set()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(proc: psutil.Process) -> bool:
    """Still running, and still the same process (psutil compares the creation time, so a pid
    reused by an unrelated process does not count and is never signalled)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class ManagedServer:
    """A server process in its own process group, always stopped by pid (with its children)."""

    def __init__(self, name: str, cmd: list[str], *, env: dict[str, str], cwd: Path,
                 log_path: Path, port: int, token: str, ready_path: str | None) -> None:
        self.name = name
        self.cmd = cmd
        self.env = env
        self.cwd = cwd
        self.log_path = log_path
        self.port = port
        self.token = token
        self.ready_path = ready_path
        self.base_url = f"http://127.0.0.1:{port}"
        self.root_dir = cwd
        self.proc: subprocess.Popen | None = None
        self.seen: dict[int, psutil.Process] = {}  # the server and everything it started
        self._log = None
        self._watch: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- start ---------------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> ManagedServer:
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            self.cmd, cwd=self.cwd, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        self.seen[self.proc.pid] = psutil.Process(self.proc.pid)
        _LIVE.add(self)
        # Kernels run in their own sessions; note them while the server is their parent.
        self._watch = threading.Thread(target=self._watch_children, daemon=True)
        self._watch.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with code {self.proc.returncode} while starting; "
                    f"log {self.log_path}:\n{self.log_tail()}"
                )
            if self._ready():
                return self
            time.sleep(0.25)
        raise TimeoutError(f"{self.name} did not answer within {timeout:.0f} s; log:\n{self.log_tail()}")

    def _ready(self) -> bool:
        if self.ready_path is None:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1):
                return True
            return False
        req = urllib.request.Request(
            self.base_url + self.ready_path, headers={"Authorization": f"token {self.token}"}
        )
        try:
            with urllib.request.urlopen(req, timeout=2) as resp:
                return resp.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    # -- processes ------------------------------------------------------------------------
    def remember_children(self) -> list[psutil.Process]:
        """Record everything the server started so far (kernels included); return it."""
        if self.proc is None:
            return []
        try:
            kids = self.seen[self.proc.pid].children(recursive=True)
        except psutil.NoSuchProcess:
            kids = []
        for k in kids:
            self.seen.setdefault(k.pid, k)
        return kids

    def _watch_children(self) -> None:
        while not self._stopping.wait(0.5) and self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(Exception):
                self.remember_children()

    def children_alive(self) -> list[int]:
        return sorted(k.pid for k in self.remember_children() if _alive(k))

    # -- stop -----------------------------------------------------------------------------
    def stop(self, grace: float = 8.0) -> list[int]:
        """Stop the server and every process it started; return the pids still alive (none)."""
        if self.proc is None:
            return []
        self.remember_children()
        if self.proc.poll() is None and self.ready_path == "/api/status":
            # Jupyter Server shuts its kernels down cleanly on /api/shutdown.
            with contextlib.suppress(Exception):
                req = urllib.request.Request(
                    f"{self.base_url}/api/shutdown", method="POST", data=b"",
                    headers={"Authorization": f"token {self.token}"},
                )
                urllib.request.urlopen(req, timeout=5).close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=grace)
        self._stopping.set()
        own_group = os.getpgrp()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            procs = [p for p in self.seen.values() if _alive(p)]
            if not procs:
                break
            for p in procs:
                with contextlib.suppress(psutil.Error, ProcessLookupError, PermissionError):
                    pgid = os.getpgid(p.pid)
                    if pgid == p.pid and pgid != own_group and _alive(p):
                        os.killpg(pgid, sig)  # the server's or a kernel's own process group
                    else:
                        p.send_signal(sig)  # checks that the pid was not reused
            deadline = time.monotonic() + (grace if sig == signal.SIGTERM else 5)
            while time.monotonic() < deadline and any(_alive(p) for p in procs):
                time.sleep(0.1)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None
        _LIVE.discard(self)
        return sorted(pid for pid, p in self.seen.items() if _alive(p))


@atexit.register
def _stop_leftovers() -> None:
    """A safety net for Ctrl-C (tests stop their servers themselves); then the runtime dirs."""
    for server in list(_LIVE):
        with contextlib.suppress(Exception):
            server.stop(grace=2)
    remove_runtime_dirs()


# Kernels started by the servers talk over Unix sockets, not TCP: jupyter_client picks a TCP
# port by binding port 0 and releasing it before the kernel binds it, and under the full
# suite's load another process took one in that window (ZMQError "Address already in use",
# the kernel never started, the page waited 120 s). The sockets live in the runtime dir, so
# its path must stay short: a socket path has at most 107 bytes on Linux, and pytest's tmp
# paths plus "kernel-<uuid>-ipc-N" come close to that.
KERNEL_TRANSPORT_FLAGS = ["--KernelManager.transport=ipc"]


def _runtime_dir(home: Path) -> Path:
    """A short runtime dir (``/tmp/ipcm-rt-*``), linked from ``home/runtime``, for the sockets."""
    link = home / "runtime"
    if link.is_symlink():
        return link.resolve()
    short = Path(tempfile.mkdtemp(prefix="ipcm-rt-"))
    with contextlib.suppress(FileNotFoundError):
        link.rmdir()
    link.symlink_to(short)
    _RUNTIME_DIRS.append(short)
    return short


_RUNTIME_DIRS: list[Path] = []


def remove_runtime_dirs() -> None:
    """Remove the short runtime dirs made by :func:`_runtime_dir` (at the session's end)."""
    while _RUNTIME_DIRS:
        shutil.rmtree(_RUNTIME_DIRS.pop(), ignore_errors=True)


def _isolated_env(home: Path) -> dict[str, str]:
    """Environment with throw-away Jupyter config/data/runtime dirs and the news turned off."""
    env = dict(os.environ)
    for sub in ("config", "data", "ipython"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(_runtime_dir(home)),
        IPYTHONDIR=str(home / "ipython"),
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONUNBUFFERED="1",
    )
    env.pop("JUPYTER_PATH", None)
    # Notebook 06 shows its saved example instead of probing this machine (about 13 s a page):
    # these tests check the front ends; the probe itself is tested by tests/model/test_measure.py
    # and by nbval, which runs 06 live.
    env["IPCMODEL_NO_PROBE"] = "1"
    # tests/conftest.py sets MPLBACKEND=Agg for the test process; a kernel inheriting it would
    # not use the inline backend, and plt.show() would display nothing.
    env.pop("MPLBACKEND", None)
    # Layered defaults that JupyterLab reads from <config dir>/labconfig/ (jupyterlab_server).
    labconfig = home / "config" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "default_setting_overrides.json").write_text(json.dumps(LAB_SETTING_OVERRIDES))
    return env


def _root_flag() -> list[str]:
    return ["--allow-root"] if os.geteuid() == 0 else []


def start_lab(workdir: Path, root_dir: Path = REPO) -> ManagedServer:
    """Start ``jupyter lab`` serving ``root_dir`` on 127.0.0.1 with a fresh token."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = _isolated_env(workdir)
    port = free_port()
    token = secrets.token_hex(24)
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.user_settings_dir={workdir / 'user-settings'}",
        f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        "--LabApp.news_url=",
        "--MappingKernelManager.cull_idle_timeout=0",
        *KERNEL_TRANSPORT_FLAGS,
        # window.jupyterapp: a page that already runs Lab opens the next notebook with
        # docmanager:open instead of loading the whole application again (open_notebook)
        "--LabApp.expose_app_in_browser=True",
        # Lab makes a checkpoint of every notebook it opens: keep those out of the repository.
        f"--FileCheckpoints.checkpoint_dir={workdir / 'checkpoints'}",
        *_root_flag(),
    ]
    server = ManagedServer("JupyterLab", cmd, env=env, cwd=root_dir, log_path=workdir / "lab.log",
                           port=port, token=token, ready_path="/api/status")
    server.root_dir = root_dir
    return server.start()


def start_voila(workdir: Path, notebook: Path) -> ManagedServer:
    """Start Voila on 127.0.0.1 with a fresh token and tracebacks shown: ``voila <notebook>``, or
    for a folder ``voila <folder>``, which serves each notebook in it at ``/voila/render/<name>``
    (each page gets its own kernel; the page shuts it down when it closes)."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = _isolated_env(workdir)
    port = free_port()
    token = secrets.token_hex(24)
    root = notebook if notebook.is_dir() else notebook.parent
    cmd = [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--token={token}",
        "--show_tracebacks=True",
        f"--Voila.root_dir={root}",
        f"--Voila.connection_dir_root={env['JUPYTER_RUNTIME_DIR']}",
        *KERNEL_TRANSPORT_FLAGS,
    ]
    server = ManagedServer("Voila", cmd, env=env, cwd=root, log_path=workdir / "voila.log",
                           port=port, token=token, ready_path=None)
    return server.start()


def voila_url(server: ManagedServer, notebook: Path) -> str:
    """The page of ``notebook`` on a Voila serving its folder (:func:`start_voila`)."""
    return f"{server.base_url}/voila/render/{notebook.name}?token={server.token}"


@contextlib.contextmanager
def running(server_factory, *args, **kwargs):
    """``with running(start_lab, workdir) as lab:`` -- stopped by pid even when the body fails.

    A server whose free port was taken before it bound it (another process's ephemeral port, in
    the moment between :func:`free_port` and the bind) exits at once; it is started again on a
    new port, up to three times.
    """
    for attempt in range(3):
        try:
            server = server_factory(*args, **kwargs)
            break
        except RuntimeError as exc:
            if attempt == 2 or not re.search(r"already in use|EADDRINUSE", str(exc), re.I):
                raise
    try:
        yield server
    finally:
        left = server.stop()
        if left:
            raise AssertionError(f"{server.name} left processes behind: {left}")


# --------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------

def launch_chromium(playwright, user_data_dir: Path, viewport=(1400, 1000)):
    """A persistent Chromium context on a fresh profile (Playwright passes --user-data-dir)."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": viewport[0], "height": viewport[1]},
        ignore_default_args=["--enable-automation"],
        timeout=60_000,
    )


# --------------------------------------------------------------------------------------------
# Notebooks on disk
# --------------------------------------------------------------------------------------------

def cell_tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def real_notebooks() -> list[Path]:
    return sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def uses_explorers(cells: list[dict]) -> bool:
    """Whether a notebook's code uses ipcmodel's explorers (then it must show at least one)."""
    code = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
    return bool(re.search(
        r"\bipcmodel\.explor|from ipcmodel import [^\n]*\bexplor|\b\w+_explorer\(", code))


def _code(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source}


def _write_notebook(path: Path, cells: list[dict]) -> Path:
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for i, cell in enumerate(cells):
        cell.setdefault("id", f"cell-{i}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


# A stand-in explorer with the same DOM contract as ipcmodel.explorers.service: a figure made once and
# updated in place, PNG bytes pushed into an ipywidgets.Image, a reading, presets.
_FIGURE_FUNCTION = '''
import numpy as np

MESSAGE_BYTES = np.linspace(0, 4096, 500)


def service_us(ipc_us, work_us):
    """A stand-in model: time per request (us) vs message size (bytes)."""
    return work_us + ipc_us * (1 + MESSAGE_BYTES / 1024)


def draw(ax, ipc_us, work_us):
    ax.plot(MESSAGE_BYTES, service_us(ipc_us, work_us), color="C0", label="service")
    ax.axhline(work_us, color="C1", linestyle="--", label="work only")
    ax.set_xlabel("message size (bytes)")
    ax.set_ylabel("time per request (us)")
    ax.set_ylim(0, 500)
    ax.legend(loc="upper left")
'''

DEMO_EXPLORER = _FIGURE_FUNCTION + '''
import io

import ipywidgets as widgets
from matplotlib.figure import Figure


class DemoExplorer:
    PRESETS = {"(choose a preset)": None, "fast IPC": (5.0, 100.0), "slow IPC": (80.0, 20.0)}

    def __init__(self):
        self.fig = Figure(figsize=(6, 3.4), dpi=96, layout="constrained")
        self.ax = self.fig.add_subplot()
        draw(self.ax, 20.0, 50.0)
        self.line = self.ax.lines[0]
        self.work_line = self.ax.lines[1]
        self.ipc = widgets.FloatSlider(value=20.0, min=1.0, max=100.0, step=1.0,
                                       description="ipc_us")
        self.work = widgets.FloatSlider(value=50.0, min=0.0, max=200.0, step=5.0,
                                        description="work_us")
        self.presets = widgets.Dropdown(options=list(self.PRESETS), description="preset")
        self.presets.add_class("ipcmodel-presets")
        self.image = widgets.Image(format="png")
        self.reading = widgets.HTML()
        self.reading.add_class("ipcmodel-reading")
        self.errors = widgets.Output()
        for s in (self.ipc, self.work):
            s.observe(self._changed, names="value")
        self.presets.observe(self._preset, names="value")
        self.box = widgets.VBox([self.presets, self.ipc, self.work, self.image, self.reading,
                                 self.errors])
        self.box.add_class("ipcmodel-explorer")
        self._redraw()

    def _preset(self, change):
        values = self.PRESETS[change["new"]]
        if values is not None:
            with self.box.hold_sync():
                self.ipc.value, self.work.value = values

    def _changed(self, change):
        with self.errors:
            self._redraw()

    def _redraw(self):
        y = service_us(self.ipc.value, self.work.value)
        self.line.set_ydata(y)
        self.work_line.set_ydata([self.work.value, self.work.value])
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png")
        self.image.value = buf.getvalue()
        share = self.ipc.value * 2 / y[250] * 100
        self.reading.value = (f"At 2048 bytes a request takes {y[250]:.0f} us; "
                              f"IPC is {share:.0f}% of it.")
'''


def write_demo_notebook(path: Path = DEMO_DIR / "demo_explorer.ipynb") -> Path:
    """A notebook with one explorer that follows the contract (stand-in until explore.py)."""
    raising = _code('raise ValueError("ipc_us must be > 0 us (a tagged, expected error)")')
    raising["metadata"]["tags"] = ["raises-exception"]
    return _write_notebook(path, [
        {"cell_type": "markdown", "metadata": {},
         "source": "# Demo explorer (browser-test stand-in, generated by tests/browser)"},
        _code(DEMO_EXPLORER),
        _code("explorer = DemoExplorer()\nexplorer.box"),
        raising,
        _code("print('done')"),
    ])


INTERACT_PATTERN = _FIGURE_FUNCTION + '''
import ipywidgets as widgets
import matplotlib.pyplot as plt


def plot(ipc_us=20.0, work_us=50.0):
    fig, ax = plt.subplots(figsize=(6, 3.4), dpi=96, layout="constrained")
    draw(ax, ipc_us, work_us)
    plt.show()


ui = widgets.interact(plot, ipc_us=widgets.FloatSlider(value=20.0, min=1.0, max=100.0, step=1.0),
                      work_us=widgets.FloatSlider(value=50.0, min=0.0, max=200.0, step=5.0))
_ = ui.widget.add_class("ipcmodel-explorer")
'''


def write_interact_notebook(path: Path) -> Path:
    """The common pattern: ``interact`` + a new pyplot figure per call (for the benchmark)."""
    return _write_notebook(path, [
        _code("%matplotlib inline"),
        _code(INTERACT_PATTERN),
    ])


def notebooks_under_test() -> list[tuple[Path, str]]:
    """(path, pytest id) for every notebooks/*.ipynb; the demo when there are none yet.

    ``IPCMODEL_BROWSER_NOTEBOOKS`` (glob patterns relative to the repository, separated by
    spaces) narrows or replaces the list, e.g. ``notebooks/02_*.ipynb``.
    """
    patterns = os.environ.get("IPCMODEL_BROWSER_NOTEBOOKS", "").split()
    if patterns:
        chosen = sorted({p.resolve() for pat in patterns for p in REPO.glob(pat)})
        return [(p, p.stem) for p in chosen]
    found = [(p, p.stem) for p in real_notebooks()]
    if os.environ.get("IPCMODEL_BROWSER_DEMO") == "1" or not found:
        found.append((write_demo_notebook(), "DEMO-standin-explorer"))
    return found


# --------------------------------------------------------------------------------------------
# JupyterLab page helpers
# --------------------------------------------------------------------------------------------

def shutdown_sessions(server: ManagedServer) -> None:
    """Shut down every session (and its kernel) of a Jupyter server, through its REST API."""
    def call(method: str, path: str):
        req = urllib.request.Request(f"{server.base_url}{path}", method=method,
                                     headers={"Authorization": f"token {server.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    with contextlib.suppress(urllib.error.URLError, OSError):
        for session in call("GET", "/api/sessions") or []:
            with contextlib.suppress(urllib.error.URLError, OSError):
                call("DELETE", f"/api/sessions/{session['id']}")


def _lab_running(page, lab: ManagedServer) -> bool:
    """The page shows this server's JupyterLab, with no document and no dialog open."""
    if not page.url.startswith(f"{lab.base_url}/lab"):
        return False
    try:
        return page.evaluate(
            """() => !!window.jupyterapp && !document.querySelector('.jp-NotebookPanel, .jp-Dialog')""")
    except Exception:  # noqa: BLE001 - a page that cannot answer is not reused
        return False


def open_notebook(page, lab: ManagedServer, notebook: Path, timeout_ms: int = 120_000) -> None:
    """Open ``notebook`` in JupyterLab. A page that already runs this server's Lab with nothing
    open (:func:`close_lab_documents`) opens it with ``docmanager:open``, about 2.6 CPU-s of
    Chromium less than loading the application again; any other page loads Lab in a fresh
    workspace (``reset``: no tab of an earlier test's notebook comes back)."""
    rel = notebook.resolve().relative_to(Path(lab.root_dir).resolve()).as_posix()
    if _lab_running(page, lab):
        page.evaluate("""async (path) => {
            await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'});
        }""", rel)
    else:
        page.goto(f"{lab.base_url}/lab/tree/{rel}?reset&token={lab.token}", timeout=timeout_ms)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout_ms)
    wait_kernel_idle(page, timeout_ms)


def close_lab_documents(page, timeout_ms: int = 10_000) -> bool:
    """Close every document of a Lab page without saving (marked clean first: the tests never
    save); True if the page is left with no document and no dialog, ready for
    :func:`open_notebook` to reuse."""
    try:
        page.evaluate("""async () => {
            const app = window.jupyterapp;
            for (const w of Array.from(app.shell.widgets('main'))) {
                if (w.context) { w.context.model.dirty = false; }
            }
            await app.commands.execute('application:close-all');
        }""")
        page.wait_for_function(
            "() => !document.querySelector('.jp-NotebookPanel, .jp-Dialog')", timeout=timeout_ms)
        return True
    except Exception:  # noqa: BLE001 - the caller replaces a page it cannot clean
        return False


def kernel_status(page) -> str | None:
    return page.evaluate(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            const el = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
            return el ? el.getAttribute('data-status') : null;
        }"""
    )


def running_prompts(page) -> int:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.jp-InputArea-prompt'))
                 .filter(p => p.textContent.includes('[*]')).length"""
    )


def wait_kernel_idle(page, timeout_ms: int, settle_s: float = 1.0) -> None:
    """Wait until the kernel reports idle and no prompt shows [*], for ``settle_s`` in a row."""
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = None
    last = None
    while time.monotonic() < deadline:
        last = (kernel_status(page), running_prompts(page))
        if last[0] == "idle" and last[1] == 0:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= settle_s:
                return
        else:
            quiet_since = None
        time.sleep(0.2)
    raise TimeoutError(f"kernel not idle after {timeout_ms / 1000:.0f} s (status, [*] prompts) = {last}")


def menu_command(page, menu: str, command: str) -> None:
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{menu}$")).first.click()
    item = page.locator(f'.lm-Menu-item[data-command="{command}"]').first
    item.wait_for(state="visible", timeout=10_000)
    item.click()


def clear_and_run_all(page, timeout_ms: int) -> None:
    """Clear every output (so nothing saved in the file can pass for fresh), then Run All."""
    menu_command(page, "Edit", "editmenu:clear-all")
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-Cell .jp-OutputArea-output').length === 0",
        timeout=15_000,
    )
    menu_command(page, "Run", "runmenu:run-all")
    # Let the queue start before asking whether it is done.
    with contextlib.suppress(Exception):
        page.wait_for_function(
            """() => Array.from(document.querySelectorAll('.jp-InputArea-prompt'))
                    .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""",
            timeout=15_000,
        )
    wait_kernel_idle(page, timeout_ms, settle_s=1.5)


def cell_report(page) -> list[dict]:
    """Per cell, in notebook order: type, prompt, and the text of its stderr/error outputs."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell'))
            .map(cell => ({
                code: cell.classList.contains('jp-CodeCell'),
                prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
                stderr: Array.from(cell.querySelectorAll(
                    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
                    .map(o => o.textContent),
                text: Array.from(cell.querySelectorAll('.jp-RenderedText'))
                    .map(o => o.textContent),
            }))"""
    )


def find_errors(cells_dom: list[dict], cells_json: list[dict]) -> list[str]:
    """Tracebacks in cells that are not tagged ``raises-exception`` (index-aligned with the file)."""
    problems = []
    if len(cells_dom) != len(cells_json):
        problems.append(f"the page shows {len(cells_dom)} cells, the file has {len(cells_json)}")
    for i, (dom, cell) in enumerate(zip(cells_dom, cells_json, strict=False)):
        if "raises-exception" in cell_tags(cell):
            continue
        # A traceback anywhere; on stderr also a line starting "SomethingError" (the way an
        # explorer reports an exception from its callback in its Output area).
        bad = [t for t in dom["stderr"] + dom["text"] if "Traceback" in t]
        bad += [t for t in dom["stderr"] if re.search(r"^\w*Error\b", t, re.M)]
        if bad:
            problems.append(f"cell {i} ({dom['prompt'].strip()}): {bad[0][:800]}")
    return problems


def unexecuted_cells(cells_dom: list[dict], cells_json: list[dict]) -> list[int]:
    """Indices of non-empty code cells whose prompt has no execution count after Run All."""
    out = []
    for i, (dom, cell) in enumerate(zip(cells_dom, cells_json, strict=False)):
        src = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "code" and src.strip() and not re.search(r"\[\d+\]", dom["prompt"]):
            out.append(i)
    return out


# --------------------------------------------------------------------------------------------
# Explorer helpers (work in Lab and in Voila)
# --------------------------------------------------------------------------------------------

_IMAGE_DIGEST_JS = """async (root) => {
    const out = [];
    for (const img of Array.from(root.querySelectorAll('img'))) {
        if (!img.src) { continue; }
        try {
            const buf = await (await fetch(img.src)).arrayBuffer();
            const d = await crypto.subtle.digest('SHA-256', buf);
            out.push(Array.from(new Uint8Array(d)).map(b => b.toString(16).padStart(2, '0')).join(''));
        } catch (e) {
            out.push('unreadable:' + img.src.slice(0, 64));
        }
    }
    return out.join(',');
}"""


def image_digest(explorer) -> str:
    """SHA-256 of the bytes of every <img> in the explorer (re-queried on every call)."""
    return explorer.evaluate(_IMAGE_DIGEST_JS)


def reading_text(explorer) -> str:
    loc = explorer.locator(READING)
    return " | ".join(t.strip() for t in loc.all_inner_texts())


def slider_values(explorer) -> list[str]:
    return explorer.evaluate(
        """(root) => Array.from(root.querySelectorAll('.widget-slider .noUi-handle'))
                 .map(h => h.getAttribute('aria-valuenow'))"""
    )


def wait_until(predicate, timeout_s: float, interval_s: float = 0.1):
    deadline = time.monotonic() + timeout_s
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval_s)
        value = predicate()
    return value


def _direction(handle) -> int:
    """+1 when the handle sits in the left half of its track (move right), else -1. From the
    geometry, not aria-valuenow: that is the exponent on a log slider until the explorers'
    accessibility bridge rewrites it in the slider's unit."""
    where = handle.evaluate("""(h) => {
        const t = h.closest('.noUi-target').getBoundingClientRect(), b = h.getBoundingClientRect();
        return (b.left + b.width / 2 - t.left) / Math.max(t.width, 1);
    }""")
    return 1 if where <= 0.5 else -1


def press_slider(handle, presses: int = 4) -> None:
    """Move a noUiSlider handle by keyboard: focus it, press an arrow key several times."""
    key = "ArrowRight" if _direction(handle) > 0 else "ArrowLeft"
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(presses):
        handle.press(key)


def drag_slider(page, handle, fraction: float = 0.3) -> None:
    """Move a noUiSlider handle with the mouse, towards its farther end."""
    handle.scroll_into_view_if_needed()
    track = handle.locator("xpath=ancestor::*[contains(@class,'noUi-target')][1]")
    hb, tb = handle.bounding_box(), track.bounding_box()
    if hb is None or tb is None:
        raise AssertionError("slider handle or track is not visible")
    x0, y0 = hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2
    x1 = x0 + _direction(handle) * fraction * tb["width"]
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y0, steps=12)
    page.mouse.up()


@dataclass
class ExplorerCheck:
    index: int
    sliders: int
    keyboard: bool = False
    drag: bool = False
    preset: str | None = None
    notes: list[str] = field(default_factory=list)


def exercise_explorer(page, explorer, index: int, timeout_s: float = 20.0,
                      screenshot: Path | None = None) -> ExplorerCheck:
    """Keyboard a slider, drag a slider, pick a preset; assert the figure and reading follow."""
    handles = explorer.locator(SLIDER_HANDLE)
    n = handles.count()
    check = ExplorerCheck(index=index, sliders=n)
    assert n > 0, f"explorer {index} has no ipywidgets slider"
    explorer.scroll_into_view_if_needed()
    assert wait_until(lambda: image_digest(explorer), timeout_s), f"explorer {index} shows no <img>"

    # 1. keyboard
    before_img, before_read = image_digest(explorer), reading_text(explorer)
    press_slider(handles.nth(0))
    assert wait_until(lambda: image_digest(explorer) != before_img, timeout_s), (
        f"explorer {index}: the figure's pixels did not change after arrow keys on slider 0")
    assert wait_until(lambda: reading_text(explorer) != before_read, timeout_s), (
        f"explorer {index}: the reading did not change after arrow keys ({before_read!r})")
    check.keyboard = True
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))

    # 2. mouse drag (the second slider when there is one)
    handle = handles.nth(1 if n > 1 else 0)
    before_img, before_read = image_digest(explorer), reading_text(explorer)
    before_vals = slider_values(explorer)
    drag_slider(page, handle)
    assert wait_until(lambda: slider_values(explorer) != before_vals, timeout_s), (
        f"explorer {index}: dragging a slider handle did not move it")
    assert wait_until(lambda: image_digest(explorer) != before_img, timeout_s), (
        f"explorer {index}: the figure's pixels did not change after a drag")
    check.drag = True
    if reading_text(explorer) == before_read:
        check.notes.append("reading unchanged after the drag (that slider may not enter the reading)")

    # 3. presets
    select = explorer.locator(f"{PRESETS} select")
    if select.count() == 0:
        check.notes.append("no preset dropdown (.ipcmodel-presets)")
        return check
    if not select.first.is_visible():
        check.notes.append("preset dropdown hidden (this explorer has no presets)")
        return check
    current = select.first.input_value()
    options = select.first.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert len(options) > 1, f"explorer {index}: a visible preset menu with nothing to choose"
    before_vals = slider_values(explorer)
    for value in options:
        if value == current:
            continue
        select.first.select_option(value)
        if wait_until(lambda: slider_values(explorer) != before_vals, 8):
            check.preset = value
            break
    assert check.preset is not None, (
        f"explorer {index}: no preset among {options} changed the slider values {before_vals}")
    return check


def wait_stable_count(page, selector: str, timeout_s: float, settle_s: float = 2.0,
                      minimum: int = 0) -> int:
    """Wait until the number of elements matching ``selector`` stops changing, and is at least
    ``minimum`` (a page still loading its widgets shows a steady 0 for a while under load)."""
    deadline = time.monotonic() + timeout_s
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        n = page.locator(selector).count()
        if n != last:
            last, since = n, time.monotonic()
        elif n >= minimum and time.monotonic() - since >= settle_s:
            return n
        time.sleep(0.2)
    return last


def fresh_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def remove_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Accessibility: axe-core, screen-reader names, keyboard only (issue 13)
# --------------------------------------------------------------------------------------------

#: Where our content is on a page: what the notebooks' Markdown and code produced. Everything
#: else (menus, toolbars, cell prompts and editors, Voila's page frame) is the front end's.
OUR_CONTENT = ".jp-OutputArea-output, .jp-RenderedMarkdown, .jp-MarkdownOutput"
#: Rules about the page as a whole (landmarks, skip links, the title): the front end's template,
#: also when axe reports them on a node inside our content.
PAGE_RULES = frozenset({"region", "landmark-one-main", "landmark-unique", "landmark-no-duplicate-main",
                        "bypass", "skip-link", "document-title", "html-has-lang", "page-has-heading-one",
                        "meta-viewport", "tabindex"})
A11Y_REPORTS = BUILD / "a11y"

_AXE_SCRIPT: str | None = None


def axe_script() -> str:
    """axe-core's JavaScript, from the axe-playwright-python wheel (no network at test time)."""
    global _AXE_SCRIPT
    if _AXE_SCRIPT is None:
        from importlib.resources import files

        _AXE_SCRIPT = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    return _AXE_SCRIPT


_AXE_RUN_JS = """async (ours) => {
    const r = await axe.run(document, {resultTypes: ['violations']});
    const out = [];
    for (const v of r.violations) {
        for (const n of v.nodes) {
            let el = null;
            try { el = document.querySelector(n.target[n.target.length - 1]); } catch (e) {}
            out.push({rule: v.id, impact: v.impact, inside: !!(el && el.closest(ours)),
                      target: n.target.join(' '), html: n.html.slice(0, 240),
                      why: (n.failureSummary || '').slice(0, 400)});
        }
    }
    return {version: r.testEngine.version, violations: out};
}"""


@dataclass
class AxeReport:
    """One axe-core run on a page: violations on our content and on the front end's chrome."""

    page: str
    version: str
    ours: list[dict]
    chrome: list[dict]

    @staticmethod
    def counts(nodes: list[dict]) -> dict[str, int]:
        out: dict[str, int] = {}
        for n in nodes:
            key = f"{n['rule']} ({n['impact']})"
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))

    def summary(self) -> str:
        return (f"axe-core {self.version} on {self.page}: our content {self.counts(self.ours) or 'none'}; "
                f"front end's own {self.counts(self.chrome) or 'none'}")

    def details(self) -> str:
        return "\n".join(f"  {n['rule']} ({n['impact']}) at {n['target']}: {n['html'][:160]}\n    {n['why']}"
                         for n in self.ours)


def run_axe(page, name: str, ours: str = OUR_CONTENT) -> AxeReport:
    """Run axe-core once on the whole page; split the violations into ours and the front end's
    (:data:`OUR_CONTENT`, :data:`PAGE_RULES`); write build/a11y/<name>.json."""
    page.evaluate(axe_script())
    res = page.evaluate(_AXE_RUN_JS, ours)
    mine = [v for v in res["violations"] if v["inside"] and v["rule"] not in PAGE_RULES]
    theirs = [v for v in res["violations"] if v not in mine]
    report = AxeReport(name, res["version"], mine, theirs)
    A11Y_REPORTS.mkdir(parents=True, exist_ok=True)
    (A11Y_REPORTS / f"{name}.json").write_text(json.dumps(
        {"axe": report.version, "ours": report.ours, "front_end": report.chrome}, indent=1))
    return report


def assert_axe_clean(page, name: str, walk_s: float | None = None) -> AxeReport:
    """:func:`run_axe`, print its summary (shown with ``-rP``) and the times (``walk_s``: the
    keyboard walk's, in s), and fail on any violation on our content."""
    t_axe = time.monotonic()
    report = run_axe(page, name)
    print(report.summary())
    if walk_s is not None:
        print(f"time: keyboard walk + names {walk_s:.1f} s, "
              f"axe-core {time.monotonic() - t_axe:.1f} s")
    assert not report.ours, f"axe-core: violations on our content\n{report.details()}"
    return report


_A11Y_ATTRS_JS = """(root) => {
    const problems = [];
    const sliders = Array.from(root.querySelectorAll('.widget-slider'))
        .filter(s => s.closest('.ipcmodel-explorer') === root);
    sliders.forEach((s, i) => {
        const h = s.querySelector('.noUi-handle');
        const label = ((s.querySelector('.widget-label') || {}).textContent || '').trim();
        const shown = ((s.querySelector('.widget-readout') || {}).textContent || '').trim();
        const unit = (label.match(/\\(([^()]*)\\)\\s*$/) || [])[1];
        const name = h.getAttribute('aria-label') || '';
        const text = h.getAttribute('aria-valuetext') || '';
        if (!name || name !== label) { problems.push(`slider ${i} (${label}): aria-label ${JSON.stringify(name)}`); }
        if (!unit || !text.startsWith(`${shown} ${unit}`)) {
            problems.push(`slider ${i} (${label}): shows ${JSON.stringify(shown)}, is read ${JSON.stringify(text)}`);
        }
        const num = Number(shown.replace(/,/g, '') || NaN);
        if (Number.isFinite(num) && parseFloat(h.getAttribute('aria-valuenow')) !== num) {
            problems.push(`slider ${i} (${label}): aria-valuenow ${h.getAttribute('aria-valuenow')} != ${shown}`);
        }
    });
    const status = root.querySelector('.ipcmodel-reading [role=status]');
    const reading = status ? status.textContent.replace(/\\s+/g, ' ').trim() : '';
    for (const img of root.querySelectorAll('img')) {
        const alt = (img.getAttribute('alt') || '').replace(/\\s+/g, ' ');
        if (!alt.startsWith('Figure') || !reading || !alt.includes(reading.slice(0, 60))) {
            problems.push(`figure alt ${JSON.stringify(alt.slice(0, 80))} does not carry the reading ${JSON.stringify(reading.slice(0, 60))}`);
        }
    }
    return problems;
}"""


def a11y_problems(explorer, timeout_s: float = 10.0) -> list[str]:
    """What a screen reader would miss in one explorer: every slider handle named by its label
    (with unit) and read as its readout in that unit; the figure's alt carrying the reading.
    Waits up to ``timeout_s`` for the bridge to label a freshly rendered explorer."""
    problems = explorer.evaluate(_A11Y_ATTRS_JS)
    deadline = time.monotonic() + timeout_s
    while problems and time.monotonic() < deadline:
        time.sleep(0.2)
        problems = explorer.evaluate(_A11Y_ATTRS_JS)
    return problems


_MARK_CONTROLS_JS = """(root) => {
    const own = (e) => e.closest('.ipcmodel-explorer') === root && e.offsetParent !== null;
    const marks = [];
    const mark = (e, kind) => { e.setAttribute('data-test-kb', `${kind}:${marks.length}`); marks.push(`${kind}:${marks.length}`); };
    for (const e of root.querySelectorAll('.ipcmodel-presets select')) { if (own(e)) { mark(e, 'preset'); } }
    for (const e of root.querySelectorAll('button')) { if (own(e)) { mark(e, 'button'); } }
    for (const e of root.querySelectorAll('.noUi-handle')) { if (own(e)) { mark(e, 'handle'); } }
    for (const e of root.querySelectorAll('select')) { if (own(e) && !e.hasAttribute('data-test-kb')) { mark(e, 'choice'); } }
    return marks;
}"""

_FOCUSED_JS = """() => {
    const e = document.activeElement;
    if (!e) { return null; }
    const s = getComputedStyle(e);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    const slider = e.closest('.widget-slider');
    const readout = slider && slider.querySelector('.widget-readout');
    return {mark: e.getAttribute('data-test-kb'), inside: !!e.closest('.ipcmodel-explorer'),
            explorer: e.closest('.ipcmodel-explorer') ? e.closest('.ipcmodel-explorer').getAttribute('data-test-explorer') : null,
            ring: ring, cls: String(e.className).slice(0, 60),
            shown: readout ? readout.textContent.trim() : null};
}"""


@dataclass
class KeyboardCheck:
    reached: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    no_ring: list[str] = field(default_factory=list)
    arrows_failed: list[str] = field(default_factory=list)
    preset: bool | None = None
    reset: bool | None = None

    def problems(self) -> list[str]:
        out = []
        if self.missing:
            out.append(f"not reached with Tab: {self.missing}")
        if self.no_ring:
            out.append(f"no visible focus on: {self.no_ring}")
        if self.arrows_failed:
            out.append("arrow keys: " + "; ".join(self.arrows_failed))
        if self.preset is False:
            out.append("the preset menu did not change the sliders from the keyboard")
        if self.reset is False:
            out.append("Enter on Reset did not bring the starting values back")
        return out


_CONTROL_KINDS_JS = """(root) => {
    const own = (e) => e.closest('.ipcmodel-explorer') === root;
    const kinds = new Set();
    if (Array.from(root.querySelectorAll('.ipcmodel-presets select')).some(own)) { kinds.add('preset'); }
    if (Array.from(root.querySelectorAll('button')).some(own)) { kinds.add('button'); }
    if (Array.from(root.querySelectorAll('.noUi-handle')).some(own)) { kinds.add('slider'); }
    if (Array.from(root.querySelectorAll('select')).filter(own)
            .some(e => !e.closest('.ipcmodel-presets'))) { kinds.add('choice'); }
    return Array.from(kinds);
}"""


def control_kinds(explorer) -> set[str]:
    """The kinds of control an explorer has: preset, button, slider, choice."""
    return set(explorer.evaluate(_CONTROL_KINDS_JS))


def has_new_control_kinds(explorer, first) -> bool:
    """True when ``explorer`` has a kind of control that ``first`` has not (so the keyboard walk
    of ``first`` did not cover it)."""
    return bool(control_kinds(explorer) - control_kinds(first))


def keyboard_walk(page, explorer, index: int, timeout_s: float = 15.0) -> KeyboardCheck:
    """Use one explorer, showing its starting values, with the keyboard alone: Tab from its first control through every
    control; on the preset menu press ArrowDown until the sliders move, on Reset press Enter
    (the starting values must come back), on every slider handle press an arrow key (the
    focus must stay on the handle and its readout must change); every control reached must
    show a visible focus indicator."""
    check = KeyboardCheck()
    explorer.evaluate(f"(r) => r.setAttribute('data-test-explorer', '{index}')")
    marks = explorer.evaluate(_MARK_CONTROLS_JS)
    explorer.scroll_into_view_if_needed()
    start = slider_values(explorer)
    first = explorer.locator(f"[data-test-kb='{marks[0]}']")
    first.focus()
    if len(marks) > 1:  # on to the next control and back: keyboard focus (:focus-visible)
        page.keyboard.press("Tab")
        page.keyboard.press("Shift+Tab")
    seen: set[str] = set()
    for _ in range(4 * len(marks) + 10):
        f = page.evaluate(_FOCUSED_JS)
        if not f or not f["inside"] or f["explorer"] != str(index):
            break
        mark = f["mark"]
        if mark and mark not in seen:
            seen.add(mark)
            check.reached.append(mark)
            if not f["ring"]:
                check.no_ring.append(f"{mark} ({f['cls']})")
            kind = mark.split(":")[0]
            if kind == "preset" and check.preset is None:
                check.preset = False
                before = slider_values(explorer)
                select = explorer.locator(f"[data-test-kb='{mark}']")
                for _n in range(4):  # the next preset (the previous one from the last)
                    last = select.evaluate("s => s.selectedIndex === s.options.length - 1")
                    key = "ArrowUp" if last else "ArrowDown"
                    page.keyboard.press(key)
                    after = page.evaluate(_FOCUSED_JS)
                    if not after or after["mark"] != mark:
                        check.arrows_failed.append(f"{key} on the preset menu moved the focus to "
                                                   f"{after and after['cls']!r}")
                        break
                    # 3 s: a preset equal to the current values (often the first) changes
                    # nothing, and the next press tries the next one (a slow one is caught then)
                    if wait_until(lambda b=before: slider_values(explorer) != b, 3):
                        check.preset = True
                        break
                if check.arrows_failed:
                    break  # the focus left the explorer: the walk cannot go on
            elif kind == "button" and check.reset is None and check.preset:
                chosen = slider_values(explorer)
                page.keyboard.press("Enter")
                menu = explorer.locator(f"{PRESETS} select").first
                # Reset goes back to the starting values and forgets the preset; an explorer
                # that starts on a preset (notebook 06) has other starting values than shown
                def reset_done(c=chosen, m=menu):
                    now = slider_values(explorer)
                    return m.evaluate("s => s.selectedIndex") == 0 and (now == start or now != c)

                check.reset = bool(wait_until(reset_done, timeout_s))
            elif kind == "handle":
                handle = explorer.locator(f"[data-test-kb='{mark}']")
                key = "ArrowRight" if _direction(handle) > 0 else "ArrowLeft"
                page.keyboard.press(key)
                after = page.evaluate(_FOCUSED_JS)
                if not after or after["mark"] != mark:
                    check.arrows_failed.append(f"{key} on {mark} moved the focus to "
                                               f"{after and after['cls']!r}")
                elif not wait_until(lambda m=mark, s=f["shown"]: page.evaluate(_FOCUSED_JS)["shown"] != s, 3):
                    check.arrows_failed.append(f"{key} on {mark} did not change its readout ({f['shown']})")
        page.keyboard.press("Tab")
    check.missing = [m for m in marks if m not in seen]
    return check
