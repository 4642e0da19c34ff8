"""The Binder environment (binder/): consistent with pyproject, complete, and rehearsed.

repo2docker, with a ``binder/`` folder, installs ``binder/requirements.txt`` (from the
repository root, with pip) into a Python given by ``binder/runtime.txt``, then runs
``binder/postBuild`` once. The fast tests check the files; the slow one rehearses the build in
a scratch virtualenv (pins alone, then postBuild), imports the package and everything the notebooks
import there, loads every data file, and runs the notebook the Binder link opens. The other
notebooks are not run a second time: ``make test`` installs with the pins as constraints (Makefile),
:func:`test_pins_match_the_tested_environment` fails on any difference, and nbval runs every
notebook in that environment.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NOT_THIRD_PARTY = {"ipcmodel", "__future__"}


# ---------------------------------------------------------------------------- reading files

def binder_pins() -> dict[str, Requirement]:
    """Requirements of binder/requirements.txt by canonical name (options and comments skipped)."""
    pins = {}
    for raw in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        pins[canonicalize_name(req.name)] = req
    return pins


def pinned_version(req: Requirement) -> Version:
    (spec,) = req.specifier
    return Version(spec.version)


def pyproject() -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pyproject_requirements() -> list[tuple[str, Requirement]]:
    project = pyproject()["project"]
    reqs = [("dependencies", Requirement(r)) for r in project.get("dependencies", [])]
    for extra, items in project.get("optional-dependencies", {}).items():
        reqs += [(f"[{extra}]", Requirement(r)) for r in items]
    return reqs


def python_source_of_cell(source: str) -> str:
    """A code cell as plain Python: IPython magics and shell escapes become function calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _guarded_by_import_error(node: ast.AST, parents: dict) -> bool:
    """True for ``try: import x / except ImportError:`` -- an optional import."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                names = [handler.type] if handler.type is not None else []
                if isinstance(handler.type, ast.Tuple):
                    names = list(handler.type.elts)
                if any(isinstance(n, ast.Name) and n.id in {"ImportError", "ModuleNotFoundError"}
                       for n in names):
                    return True
    return False


def top_level_imports(code: str, filename: str) -> set[str]:
    """Top-level module names a piece of code imports (anywhere in it; optional ones skipped)."""
    tree = ast.parse(code, filename=filename)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    names = set()
    for node in ast.walk(tree):
        if _guarded_by_import_error(node, parents):
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def notebook_imports(path: Path) -> set[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    names = set()
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            src = python_source_of_cell("".join(cell["source"]))
            names |= top_level_imports(src, f"{path.name}[cell {i}]")
    return names


def package_imports() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for py in sorted((ROOT / "ipcmodel").rglob("*.py")):
        for name in top_level_imports(py.read_text(encoding="utf-8"), str(py)):
            out.setdefault(name, set()).add(py.relative_to(ROOT).as_posix())
    return out


def third_party(names) -> set[str]:
    return {n for n in names if n not in sys.stdlib_module_names and n not in NOT_THIRD_PARTY}


@cache
def _requires(dist_name: str) -> tuple[str, ...]:
    """Canonical names of what an installed distribution needs (markers evaluated, no extras)."""
    try:
        requires = metadata.requires(dist_name) or []
    except metadata.PackageNotFoundError:
        return ()
    env = default_environment()
    env["extra"] = ""
    out = []
    for line in requires:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(env):
            out.append(canonicalize_name(req.name))
    return tuple(out)


def closure(names) -> set[str]:
    """Everything pip installs for these distributions (their dependencies, transitively)."""
    seen, todo = set(), [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_requires(name))
    return seen


# ----------------------------------------------------------------------------- fast checks

def test_runtime_is_a_python_3_version_the_pins_support():
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    requires_python = pyproject()["project"]["requires-python"]
    from packaging.specifiers import SpecifierSet

    assert Version(runtime.removeprefix("python-")) in SpecifierSet(requires_python)


def test_every_requirement_is_an_exact_pin():
    for name, req in binder_pins().items():
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{name}: pin it with ==, not {req}"
        assert not req.url and not req.extras, f"{name}: plain name==version only"


def test_requirements_do_not_reference_local_paths():
    """Local references (``.``, ``-e``, ``-r``) would make repo2docker copy the whole repository
    before installing, so every edit of a notebook would reinstall every package; postBuild
    installs the package instead (binder/README.md)."""
    for raw in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        assert not line.startswith(("-e", "--editable", "-r", "-c", ".", "/")), line


def test_pins_satisfy_every_range_in_pyproject():
    pins = binder_pins()
    checked = []
    for where, req in pyproject_requirements():
        name = canonicalize_name(req.name)
        if name in pins:
            version = pinned_version(pins[name])
            assert req.specifier.contains(version, prereleases=True), (
                f"binder pins {name}=={version}, pyproject {where} wants {req.specifier}")
            checked.append(name)
    # The runtime needs of the package and of the notebooks must all be pinned.
    project = pyproject()["project"]
    needed = [Requirement(r) for r in project["dependencies"]]
    needed += [Requirement(r) for r in project["optional-dependencies"]["notebooks"]]
    missing = sorted({canonicalize_name(r.name) for r in needed} - set(pins))
    assert not missing, f"pyproject needs these at run time, binder/requirements.txt lacks: {missing}"
    assert checked


def test_widget_front_end_matches_ipywidgets():
    """jupyterlab_widgets / widgetsnbextension must be the ones this ipywidgets asks for."""
    pins = binder_pins()
    try:
        requires = metadata.requires("ipywidgets") or []
    except metadata.PackageNotFoundError:
        pytest.skip("ipywidgets is not installed in this environment")
    if metadata.version("ipywidgets") != str(pinned_version(pins["ipywidgets"])):
        pytest.skip("the installed ipywidgets is not the pinned one; its metadata cannot judge")
    for line in requires:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        if name in {"jupyterlab-widgets", "widgetsnbextension", "comm"}:
            assert name in pins, f"pin {name} (ipywidgets needs {req.specifier})"
            assert req.specifier.contains(pinned_version(pins[name])), (name, str(req.specifier))


def test_pins_match_the_tested_environment():
    """The pins are what this test environment runs (``make`` installs with ``-c
    binder/requirements.txt``), so nbval's run of every notebook is a run in Binder's versions."""
    drift = []
    for name, req in binder_pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            drift.append(f"{name}: pinned {pinned_version(req)}, not installed here")
            continue
        if Version(installed) != pinned_version(req):
            drift.append(f"{name}: pinned {pinned_version(req)}, installed {installed}")
    assert not drift, ("binder/requirements.txt differs from the tested environment (install with "
                       "`-c binder/requirements.txt`, as the Makefile does): " + "; ".join(drift))


def _check_covered(users: dict[str, set[str]]) -> None:
    """Every third-party module used is installed by the pins (through their dependencies)."""
    mapping = metadata.packages_distributions()
    covered = closure(binder_pins())
    problems = []
    for module, where in sorted(users.items()):
        dists = {canonicalize_name(d) for d in mapping.get(module, [])}
        if not dists:
            problems.append(f"{module} (used by {sorted(where)}) is not installed in this env")
        elif not dists & covered:
            problems.append(f"{module} (from {sorted(dists)}, used by {sorted(where)}) is not "
                            "installed by binder/requirements.txt")
    assert not problems, "\n".join(problems)


def test_package_imports_are_installed_by_the_pins():
    users = {m: w for m, w in package_imports().items() if m in third_party([m])}
    assert "numpy" in users  # the scan works
    _check_covered(users)


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks/*.ipynb yet")
def test_notebook_imports_are_installed_by_the_pins():
    users: dict[str, set[str]] = {}
    for path in NOTEBOOKS:
        for module in third_party(notebook_imports(path)):
            users.setdefault(module, set()).add(path.name)
    _check_covered(users)


def test_import_scanner_sees_magics_lazy_and_optional_imports():
    code = python_source_of_cell(textwrap.dedent("""\
        %matplotlib inline
        import numpy as np, os.path
        from matplotlib.figure import Figure
        from . import sibling
        def f():
            import ipywidgets
        try:
            import scipy
        except ImportError:
            scipy = None
        """))
    assert top_level_imports(code, "t") == {"numpy", "os", "matplotlib", "ipywidgets"}
    assert third_party({"numpy", "os", "ipcmodel", "json"}) == {"numpy"}


def test_postbuild_is_strict_and_writes_the_news_override():
    text = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert os.access(BINDER / "postBuild", os.X_OK), "postBuild must be executable"
    assert "share/jupyter/lab/settings" in text and "overrides.json" in text
    assert '"fetchNews": "false"' in text and '"checkForUpdates": False' in text


# ----------------------------------------------------------------------------- rehearsal

def _python_for_runtime() -> str | None:
    wanted = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip().removeprefix("python-")
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == wanted:
        return sys.executable
    return shutil.which(f"python{wanted}")


def _run(cmd, *, env, cwd, timeout, what):
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, (
        f"{what} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


_EXECUTE = textwrap.dedent("""\
    import json, sys, tempfile, uuid
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    out_dir = Path(sys.argv[1])
    report = {}
    for name in sys.argv[2:]:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        # the kernel on new Unix sockets, as everywhere in the tests (tests/kernels.py)
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}},
                                config=Config(KernelManager={
                                    "transport": "ipc",
                                    "ip": f"{tempfile.gettempdir()}/ipcm-kernel-{uuid.uuid4().hex[:16]}"}))
        try:
            client.execute()
            problems = []
        except Exception as exc:  # CellExecutionError carries the traceback
            problems = [f"{type(exc).__name__}: {exc}"[:3000]]
        for i, cell in enumerate(nb.cells):
            if "raises-exception" in cell.get("metadata", {}).get("tags", []):
                continue
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    problems.append(f"cell {i}: {out['ename']}: {out['evalue']}")
        nbformat.write(nb, out_dir / path.name)
        report[path.name] = problems
    print(json.dumps(report))
    """)

# Run in the Binder venv, outside the repository: every ipcmodel module and every module the
# notebooks import is importable, and every data file loads from the installed package.
_SMOKE = textwrap.dedent("""\
    import importlib, json, pkgutil, sys
    import ipcmodel
    from ipcmodel import data, machines

    wanted = json.loads(sys.argv[1])
    mods = sorted(m.name for m in pkgutil.walk_packages(ipcmodel.__path__, "ipcmodel."))
    for name in wanted + mods:
        importlib.import_module(name)
    where = data.data_dir()
    csvs = sorted(p.name for p in where.glob("*.csv"))
    facts = {n: len(data.load_facts(n)) for n in ("facts.csv", "history.csv")}
    print(json.dumps({"package": ipcmodel.__file__, "data_dir": str(where), "csvs": csvs,
                      "facts": facts, "references": len(data.load_bibliography()),
                      "machines": len(machines.load_machines()), "modules": len(mods)}))
    """)

#: The notebook the README's Binder and Voila links open.
LANDING = ROOT / "notebooks" / "00_overview.ipynb"

_STANDIN = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "c0", "metadata": {},
               "outputs": [], "source": (
                   "import ipcmodel, numpy as np, ipywidgets as w\n"
                   "import matplotlib.pyplot as plt\n"
                   "plt.plot(np.arange(3)); plt.show()\n"
                   "w.FloatSlider()")}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_rehearse_the_binder_build_and_run_the_landing_notebook(tmp_path):
    """Like repo2docker: pins alone into a fresh venv, postBuild, imports and data, the landing notebook."""
    python = _python_for_runtime()
    if python is None:
        pytest.skip("NOT RUN: no interpreter for binder/runtime.txt's Python version")
    venv = tmp_path / "venv"
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH", "MPLBACKEND", "PYTHONHOME", "JUPYTER_PATH"}}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        NB_PYTHON_PREFIX=str(venv),
        PYTHONNOUSERSITE="1",
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    _run([python, "-m", "venv", str(venv)], env=env, cwd=ROOT, timeout=120, what="venv")
    # repo2docker runs `pip install -r binder/requirements.txt` from the repository root. The
    # pip cache (~/.cache/pip) is kept between runs so a rehearsal does not download it all.
    # --no-compile: no bytecode for the ~100 distributions up front (about 12 CPU-s, half of the
    # install); what runs below compiles what it imports. The files installed are the same.
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile", "-r",
          str(BINDER / "requirements.txt")], env=env, cwd=ROOT, timeout=600, what="pip install -r")
    _run([str(BINDER / "postBuild")], env=env, cwd=ROOT, timeout=300, what="postBuild")

    # The environment is consistent and holds exactly the pins.
    _run([str(venv / "bin" / "python"), "-m", "pip", "check"], env=env, cwd=ROOT, timeout=120,
         what="pip check")
    freeze = _run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=json"],
                  env=env, cwd=ROOT, timeout=120, what="pip list").stdout
    installed = {canonicalize_name(d["name"]): d["version"] for d in json.loads(freeze)}
    for name, req in binder_pins().items():
        assert installed.get(name) == str(pinned_version(req)), (name, installed.get(name))
    assert "ipcmodel" in installed

    # postBuild's override is where JupyterLab looks, with the news and update checks off.
    overrides = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    notification = json.loads(overrides.read_text())["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    paths = _run([str(venv / "bin" / "jupyter"), "lab", "path"], env=env, cwd=ROOT, timeout=120,
                 what="jupyter lab path").stdout
    assert f"Application directory:   {venv / 'share' / 'jupyter' / 'lab'}" in paths

    # The installed package (not the checkout) imports, with all the notebooks import, and reads its
    # data: run from a scratch directory so the repository is not on the path.
    wanted = sorted(set().union(*(notebook_imports(p) for p in NOTEBOOKS)) - {"__future__"})
    smoke = json.loads(_run([str(venv / "bin" / "python"), "-c", _SMOKE, json.dumps(wanted)], env=env,
                            cwd=tmp_path, timeout=300, what="import and data smoke test").stdout)
    assert str(venv) in smoke["package"] and str(venv) in smoke["data_dir"], smoke
    assert {"facts.csv", "history.csv", "machines.csv"} <= set(smoke["csvs"]), smoke
    assert min(smoke["facts"].values()) > 0 and smoke["references"] > 0 and smoke["machines"] > 0, smoke

    # The notebook the Binder link opens runs top to bottom in the pinned kernel (the others run under
    # nbval in the same versions: see the module docstring).
    notebooks = [LANDING] if LANDING.exists() else []
    if not notebooks:  # until notebooks/ has it, prove the kernel stack with a stand-in
        standin = tmp_path / "standin.ipynb"
        standin.write_text(json.dumps(_STANDIN))
        notebooks = [standin]
    out_dir = tmp_path / "executed"
    out_dir.mkdir()
    script = tmp_path / "execute.py"
    script.write_text(_EXECUTE)
    out = _run([str(venv / "bin" / "python"), str(script), str(out_dir), *map(str, notebooks)], env=env,
               cwd=tmp_path, timeout=600, what="execute").stdout
    report = json.loads(out.strip().splitlines()[-1])
    assert set(report) == {p.name for p in notebooks}
    failures = {name: problems for name, problems in report.items() if problems}
    assert not failures, json.dumps(failures, indent=1)
