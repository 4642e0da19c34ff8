"""nbgrader for the course tests: never counted as passed when it is missing.

nbgrader is the ``.[course]`` extra, not a dependency of the notebooks. Without it the tests that
need it fail when CI=true and are skipped ("NOT RUN: nbgrader missing") otherwise, with a banner
at the end of the run, as the browser tests do for Chromium (tests/browser/conftest.py).
"""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

_NOT_RUN: list[str] = []


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _banner(reason: str) -> str:
    line = "!" * 78
    return f"\n{line}\n{reason}\n{line}\n"


@pytest.fixture(scope="session")
def nbgrader_installed() -> None:
    """Fail (CI) or skip (elsewhere) the test when nbgrader cannot be imported."""
    if importlib.util.find_spec("nbgrader") is None:
        reason = ("NOT RUN: nbgrader missing; install the course extra: "
                  "python -m pip install -e \".[course]\"")
        _NOT_RUN.append(reason)
        sys.stderr.write(_banner(reason))
        if _in_ci():
            pytest.fail(f"{reason} -- CI=true, so this is a failure, not a skip", pytrace=False)
        pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    if _NOT_RUN:
        terminalreporter.write_line(_banner(_NOT_RUN[0]), red=True, bold=True)
