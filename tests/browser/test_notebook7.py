"""The explorers in Notebook 7 (the classic-style front end): arrow keys move the sliders.

Issue 13: in Notebook 7 a focused slider handle lost the arrow keys to the notebook's own
command-mode shortcuts (the focus jumped to a Markdown cell), while Home/End/PageUp/PageDown and
dragging worked and JupyterLab was fine. The explorers' accessibility bridge
(``ipcmodel/explorers/a11y.py``) marks their controls ``data-lm-suppress-shortcuts``; this test
opens the notebook at ``/notebooks/...`` (Notebook 7, served by the same Jupyter server as
JupyterLab), clears the outputs, runs all cells, and for every explorer: arrow keys on a
slider keep the focus on it and change the figure's pixels; the keyboard-only walk and the
screen-reader names of test_lab.py hold; axe-core finds no violation on our content.

The notebooks: ``IPCMODEL_NB7_NOTEBOOKS`` (globs relative to the repository), by default the
overview (00), whose explorer has every kind of control (log and linear sliders, presets,
Reset); the front-end behaviour under test is the same for every explorer.
"""

from __future__ import annotations

import importlib.util
import os

import browser_support as bs
import pytest

PATTERNS = os.environ.get("IPCMODEL_NB7_NOTEBOOKS", "notebooks/00_*.ipynb").split()
NOTEBOOKS = sorted({p.resolve() for pat in PATTERNS for p in bs.REPO.glob(pat)})

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def open_in_notebook7(page, server, notebook, timeout_ms: int = 120_000) -> None:
    rel = notebook.resolve().relative_to(bs.REPO.resolve()).as_posix()
    page.goto(f"{server.base_url}/notebooks/{rel}?token={server.token}", timeout=timeout_ms)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout_ms)
    bs.wait_kernel_idle(page, timeout_ms)


def check_preset_readout_is_the_model_value(page, explorer) -> None:
    """Issue 13: the MicroVAX-III preset put 497 µs (Bershad 1992, §2's table) on the IPC slider's
    log grid as 501 while the reading said 497. After the preset the slider's readout must be
    the number the reading uses ("<readout> µs" in the reading)."""
    select = explorer.locator(f"{bs.PRESETS} select").first
    options = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    if "MicroVAX-III" not in options:
        return
    ipc = explorer.locator(".widget-slider", has_text="IPC round trip (µs)").first
    if ipc.count() == 0:
        return
    select.select_option("MicroVAX-III")

    def readout_in_reading() -> bool:
        # The reading may still be catching up with the arrow keys pressed before (messages
        # from the kernel arrive in order, but a reading that merely *changed* can be an older
        # one): wait for the preset's reading, and only then compare it with the readout.
        shown = ipc.locator(".widget-readout").inner_text().strip()
        try:
            return f"{float(shown):g} µs" in bs.reading_text(explorer)
        except ValueError:
            return False

    if not bs.wait_until(readout_in_reading, 20):
        shown = ipc.locator(".widget-readout").inner_text().strip()
        raise AssertionError(f"the IPC slider shows {shown}, the reading says: "
                             f"{bs.reading_text(explorer)[:200]}")


@pytest.mark.timeout(300, method="signal")
@pytest.mark.parametrize("notebook", [pytest.param(p, id=p.stem) for p in NOTEBOOKS])
def test_notebook7_arrow_keys_move_the_sliders(notebook, lab, page):
    assert importlib.util.find_spec("notebook") is not None, (
        "Notebook 7 is not installed (pip install 'notebook>=7'; it is in the test extra)")
    cells = bs.read_notebook(notebook)["cells"]
    open_in_notebook7(page, lab, notebook)
    assert page.locator("#main-panel, .jp-NotebookPanel").count() > 0
    assert "/lab" not in page.url, "the server redirected to JupyterLab, not Notebook 7"
    bs.clear_and_run_all(page, timeout_ms=240_000)
    errors = bs.find_errors(bs.cell_report(page), cells)
    assert not errors, "errors after Run All in Notebook 7:\n" + "\n".join(errors)

    explorers = page.locator(bs.EXPLORER)
    n = bs.wait_stable_count(page, bs.EXPLORER, timeout_s=120, settle_s=1.0,
                             minimum=1 if bs.uses_explorers(cells) else 0)
    if bs.uses_explorers(cells):
        assert n >= 1, "the notebook uses ipcmodel's explorers but Notebook 7 shows none"
    for i in range(n):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        before = bs.wait_until(lambda ex=explorer: bs.image_digest(ex), 30)
        assert before, f"explorer {i} shows no figure in Notebook 7"
        assert not bs.a11y_problems(explorer), f"explorer {i}: {bs.a11y_problems(explorer, 0)}"
        kb = bs.keyboard_walk(page, explorer, i)  # from the starting values (Reset returns to them)
        assert not kb.problems(), f"explorer {i}, keyboard only in Notebook 7: {kb.problems()}"
        before = bs.image_digest(explorer)
        handle = explorer.locator(bs.SLIDER_HANDLE).first
        bs.press_slider(handle)
        focused = page.evaluate("() => String(document.activeElement.className)")
        assert "noUi-handle" in focused, (
            f"explorer {i}: arrow keys moved the focus away from the slider (to {focused!r})")
        assert bs.wait_until(lambda ex=explorer, b=before: bs.image_digest(ex) != b, 20), (
            f"explorer {i}: arrow keys on a slider did not change the figure in Notebook 7")
        if i == 0:
            check_preset_readout_is_the_model_value(page, explorer)
    bs.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(bs.SCREENSHOTS / f"{notebook.stem}-notebook7.png"))
    bs.assert_axe_clean(page, f"notebook7-{notebook.stem}")
