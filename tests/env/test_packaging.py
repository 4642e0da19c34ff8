"""Packaging: the data travel with the package, editable or not; the version lives in one place."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import ipcmodel

ROOT = Path(__file__).resolve().parents[2]


def test_version_single_source():
    from importlib.metadata import version

    assert ipcmodel.__version__ == version("ipcmodel")
    assert 'dynamic = ["version"]' in (ROOT / "pyproject.toml").read_text()


def test_import_has_no_side_effects():
    code = ("import sys, matplotlib; before = dict(matplotlib.rcParams); import ipcmodel; "
            "import ipcmodel.service, ipcmodel.claims, ipcmodel.data; "
            "assert dict(matplotlib.rcParams) == before; "
            "assert 'matplotlib.pyplot' not in sys.modules and 'ipywidgets' not in sys.modules; "
            "from ipcmodel import data; assert data.load_facts.cache_info().currsize == 0")
    # a set backend: reading rcParams["backend"] while it is "auto" would itself import pyplot
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "MPLBACKEND": "Agg"})


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out),
                    str(ROOT)], check=True)
    return next(out.glob("ipcmodel-*.whl"))


@pytest.mark.slow
def test_wheel_carries_the_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for f in ("ipcmodel/data/facts.csv", "ipcmodel/data/references.bib", "ipcmodel/data/machines.csv",
              "ipcmodel/data/probe_vs_c.json", "ipcmodel/measure/chase.c",
              "ipcmodel/measure/example_result.json"):
        assert f in names


@pytest.mark.slow
def test_non_editable_install_finds_its_data_from_anywhere(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(site), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site))
    code = ("import ipcmodel.data as d, ipcmodel.claims as c; p = d.data_dir(); print(p); "
            "assert len(c.audit()) >= 20; assert d.load_bibliography(); "
            "import ipcmodel.yourmachine as y; assert 'pipe_round_trip' in y.format_c_reference()")
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True,
                         text=True, check=True)
    assert Path(out.stdout.strip()).is_relative_to(site)
    out = subprocess.run([sys.executable, "-m", "ipcmodel", "claims", "--json"], cwd=elsewhere,
                         env=env, capture_output=True, text=True, check=True)
    assert '"verdict"' in out.stdout


def test_editable_install_uses_the_repository_data():
    from ipcmodel import data

    assert data.data_dir() in (ROOT / "data", ROOT / "ipcmodel" / "data")
