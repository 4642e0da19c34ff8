"""Fixtures for the browser tests: Chromium (via Playwright), JupyterLab, pages.

Every server is started on 127.0.0.1 with a generated token and stopped by process id -- with
the kernels it started -- also when a test fails; teardown asserts that no process is left.
JupyterLab is shared by the tests of one module (each test's kernels are shut down after it,
each page opens its notebook in a fresh workspace); one Voila serves the notebooks folder for test_voila.py (a kernel per page). Without /usr/bin/chromium the tests are never counted as passed: they
fail when CI=true and are skipped (reason "NOT RUN: chromium missing") otherwise, with a banner.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser_support as bs  # noqa: E402

_NOT_RUN: list[str] = []


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _cannot_run(reason: str):
    _NOT_RUN.append(reason)
    sys.stderr.write(bs.banner(reason))
    if _in_ci():
        pytest.fail(f"{reason} -- CI=true, so this is a failure, not a skip", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright_instance():
    problem = bs.chromium_problem()
    if problem:
        _cannot_run(problem)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a test dependency
        _cannot_run(f"NOT RUN: the playwright package is missing ({exc})")
    manager = sync_playwright()
    pw = manager.start()
    try:
        yield pw
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def browser_context(playwright_instance, tmp_path_factory):
    """One headless Chromium on a fresh profile for the whole session."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = bs.launch_chromium(playwright_instance, profile)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        page.close()


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory, browser_context):
    """One JupyterLab server per test module, stopped (with its kernels) by pid at the end.

    Depends on ``browser_context`` so that a missing Chromium stops the test before a server
    is started.
    """
    with bs.running(bs.start_lab, tmp_path_factory.mktemp("lab") / "lab") as server:
        yield server


@pytest.fixture
def lab(lab_server):
    """The module's JupyterLab server for one test: every kernel the test started is shut down
    afterwards (pages open notebooks with a fresh workspace, ``?reset``)."""
    yield lab_server
    bs.shutdown_sessions(lab_server)


def pytest_terminal_summary(terminalreporter):
    if _NOT_RUN:
        terminalreporter.write_line(bs.banner(_NOT_RUN[0]), red=True, bold=True)
