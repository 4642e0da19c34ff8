"""Every notebook, opened by a student in JupyterLab: Run All, no error, explorers respond.

For each notebooks/*.ipynb (the generated stand-in ``DEMO-standin-explorer`` while there are
none): open it in JupyterLab with the token (one page per module: the first test loads Lab, the
next open their notebooks in it once the previous one is closed), clear the saved outputs, Run All from the Run
menu, wait for the kernel to be idle with no ``[*]`` prompt, and check that no cell (except
those tagged ``raises-exception``) shows a traceback. Then, for every explorer
(``.ipcmodel-explorer``), move a slider with the arrow keys and another with the mouse and
check that the figure's pixels and the reading change, and pick a preset and check that the
sliders move. A screenshot per notebook goes to build/screenshots/<notebook>.png.

Accessibility (issue 13), on the same page load: the first explorer, and every other one with a
kind of control the first lacks, is used with the keyboard alone (Tab to each control, a visible
focus, arrow keys on each slider, the preset menu and Reset); every explorer's sliders and figure
carry names, values in units and alt text
(:func:`browser_support.a11y_problems`); then axe-core runs once on the page: no violation on
our content (the notebook's Markdown and outputs); the front end's own are listed (``-rP``) and
written to build/a11y/lab-<notebook>.json.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time

import browser_support as bs
import pytest

NOTEBOOKS = bs.notebooks_under_test()

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def saved_widget_views(cells: list[dict]) -> int:
    """Widget views stored in the file: at least that many must render live after Run All."""
    n = 0
    for cell in cells:
        for out in cell.get("outputs", []):
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                n += 1
    return n


def hide_left_sidebar(page) -> None:
    """Collapse the file browser (click its active tab) so screenshots show the notebook; a page
    reused from the previous test has it collapsed already."""
    tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if tab.count():
        with contextlib.suppress(Exception):
            tab.first.click(timeout=5_000)


@pytest.fixture(scope="module")
def _lab_tab(browser_context):
    """The module's Lab page, kept from one test to the next while it is clean."""
    holder = {"page": None}
    yield holder
    if holder["page"] is not None:
        holder["page"].close()


@pytest.fixture
def page(_lab_tab, browser_context, lab):
    """One Lab page reused by the module's tests: each test's notebook is closed (unsaved) after
    it, before ``lab`` shuts its kernel down, and the next opens in the same running Lab
    (``browser_support.open_notebook``). A page that cannot be cleaned (a dialog, a crash) is
    closed and the next test starts on a new one, loading Lab afresh."""
    if _lab_tab["page"] is None:
        _lab_tab["page"] = browser_context.new_page()
        _lab_tab["page"].set_default_timeout(30_000)
    yield _lab_tab["page"]
    if not bs.close_lab_documents(_lab_tab["page"]):
        _lab_tab["page"].close()
        _lab_tab["page"] = None


@pytest.mark.timeout(300, method="signal")
@pytest.mark.parametrize("notebook", [pytest.param(p, id=i) for p, i in NOTEBOOKS])
def test_run_all_then_explorers_respond(notebook, lab, page):
    cells = bs.read_notebook(notebook)["cells"]
    file_digest = _sha256(notebook)

    bs.open_notebook(page, lab, notebook)
    hide_left_sidebar(page)
    bs.clear_and_run_all(page, timeout_ms=240_000)

    dom = bs.cell_report(page)
    errors = bs.find_errors(dom, cells)
    assert not errors, "errors after Run All:\n" + "\n".join(errors)
    assert not bs.unexecuted_cells(dom, cells), (
        f"code cells without an execution count after Run All: {bs.unexecuted_cells(dom, cells)}")

    broken = page.locator(".jp-OutputArea-output", has_text=re.compile(
        r"Error displaying widget|Loading widget\.\.\.|Failed to load model class")).count()
    assert broken == 0, f"{broken} widget output(s) failed to render"
    views = page.locator(".jp-OutputArea-output:has(> .jupyter-widgets)").count()
    assert views >= saved_widget_views(cells), (
        f"the file stores {saved_widget_views(cells)} widget views, the page renders {views}")

    # Widget views render after the kernel is idle: count them once the number stops changing.
    bs.wait_stable_count(page, ".jp-OutputArea-output", timeout_s=60, settle_s=1.5)
    explorers = page.locator(bs.EXPLORER)
    n = bs.wait_stable_count(page, bs.EXPLORER, timeout_s=120, settle_s=1.0,
                             minimum=1 if bs.uses_explorers(cells) else 0)
    if bs.uses_explorers(cells):
        assert n >= 1, "the notebook uses ipcmodel.explorers.service but no .ipcmodel-explorer rendered"

    shot = bs.SCREENSHOTS / f"{notebook.stem}.png"
    t_a11y = time.monotonic()
    for i in range(n):  # screen-reader names on every explorer, before the mouse moves anything
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        assert not bs.a11y_problems(explorer), f"explorer {i}: {bs.a11y_problems(explorer, 0)}"
        if i == 0 or bs.has_new_control_kinds(explorer, explorers.nth(0)):
            # keyboard alone: the first explorer of the page, and any other with a kind of control
            # (a preset menu, a choice, a button) the first does not have
            kb = bs.keyboard_walk(page, explorer, i)
            assert not kb.problems(), f"explorer {i}, keyboard only: {kb.problems()}"
    t_a11y = time.monotonic() - t_a11y
    checks = []
    for i in range(n):
        checks.append(bs.exercise_explorer(page, explorers.nth(i), i,
                                           screenshot=shot if i == 0 else None))
    if n == 0:
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot))
    for c in checks:  # shown with -rP
        print(f"{notebook.name}: explorer {c.index}: {c.sliders} sliders, keyboard ok, drag ok, "
              f"preset {c.preset!r}{'; ' + '; '.join(c.notes) if c.notes else ''}")

    # A final look: the interactions must not have produced a traceback anywhere.
    errors = bs.find_errors(bs.cell_report(page), cells)
    assert not errors, "errors after moving the sliders:\n" + "\n".join(errors)
    bs.assert_axe_clean(page, f"lab-{notebook.stem}", walk_s=t_a11y)
    assert _sha256(notebook) == file_digest, "the test modified the notebook file"
