"""Every notebook, presented by an instructor with Voila: it renders and its sliders work.

One ``voila notebooks/`` is started for the module on 127.0.0.1 (free port, generated token,
tracebacks shown; one server start instead of one per notebook), each notebook's page
(``/voila/render/<notebook>``, a kernel of its own) is loaded in Chromium, every cell must render without a traceback (cells tagged
``raises-exception`` excepted), every explorer must show a figure, and moving a slider with
the arrow keys must change the figure's pixels. Closing the page shuts its kernel down; the
server and any kernel left are stopped by pid at the end of the module, also when a test fails.

Accessibility (issue 13), on the same page load: every explorer carries names, values in units
and alt text, the first is used with the keyboard alone (test_lab.py walks every explorer; the
widgets are the same, the page around them is Voila's), and axe-core runs once on
the page: no violation on our content; the front end's own are listed (``-rP``) and written to
build/a11y/voila-<notebook>.json.
"""

from __future__ import annotations

import re
import time

import browser_support as bs
import pytest

NOTEBOOKS = bs.notebooks_under_test()

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VOILA_ERROR = re.compile(r"Traceback|There was an error when executing cell")


def voila_errors(page) -> list[str]:
    texts = page.evaluate(
        """() => Array.from(document.querySelectorAll('.jp-Cell:not(.celltag_raises-exception)'))
                 .map(c => c.innerText)"""
    )
    return [t[:800] for t in texts if VOILA_ERROR.search(t)]


@pytest.fixture(scope="module")
def voila(browser_context, tmp_path_factory):
    """One Voila for every notebook of the module (they share a folder), stopped by pid at the end
    with any kernel a page left; depends on ``browser_context`` so a missing Chromium stops the
    tests before a server starts."""
    folders = {p.parent for p, _ in NOTEBOOKS}
    assert len(folders) == 1, f"the notebooks under test lie in several folders: {folders}"
    with bs.running(bs.start_voila, tmp_path_factory.mktemp("voila"), folders.pop()) as server:
        yield server


@pytest.mark.timeout(300, method="signal")
@pytest.mark.parametrize("notebook", [pytest.param(p, id=i) for p, i in NOTEBOOKS])
def test_voila_renders_and_a_slider_changes_the_figure(notebook, voila, browser_context):
    cells = bs.read_notebook(notebook)["cells"]
    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(bs.voila_url(voila, notebook), timeout=240_000)
        # Voila streams the cells as they execute and removes its "#loading" spinner at
        # the end of the page (also when an error stopped the execution).
        page.wait_for_function(
            "() => !document.getElementById('loading')"
            " && document.getElementById('rendered_cells')",
            timeout=240_000,
        )
        errors = voila_errors(page)
        assert not errors, "Voila shows errors:\n" + "\n".join(errors)
        shown = page.locator(".jp-Cell").count()
        assert shown == len(cells), f"Voila rendered {shown} of {len(cells)} cells"

        explorers = page.locator(bs.EXPLORER)
        n = bs.wait_stable_count(page, bs.EXPLORER, timeout_s=120, settle_s=1.0,
                                 minimum=1 if bs.uses_explorers(cells) else 0)
        if bs.uses_explorers(cells):
            assert n >= 1, "the notebook uses ipcmodel's explorers but Voila shows none"
        t_a11y = 0.0
        for i in range(n):
            explorer = explorers.nth(i)
            explorer.scroll_into_view_if_needed()
            before = bs.wait_until(lambda ex=explorer: bs.image_digest(ex), 30)
            assert before, f"explorer {i} shows no figure in Voila"
            t0 = time.monotonic()
            assert not bs.a11y_problems(explorer), f"explorer {i}: {bs.a11y_problems(explorer, 0)}"
            if i == 0:
                # The keyboard-only walk on the first explorer: test_lab.py walks every
                # explorer, built from the same widgets; what Voila changes is the page
                # around them (its tab order, its styles), which one walk covers.
                kb = bs.keyboard_walk(page, explorer, i)
                assert not kb.problems(), f"explorer {i}, keyboard only: {kb.problems()}"
            t_a11y += time.monotonic() - t0
            before = bs.image_digest(explorer)
            bs.press_slider(explorer.locator(bs.SLIDER_HANDLE).first)
            changed = bs.wait_until(lambda ex=explorer, b=before: bs.image_digest(ex) != b, 20)
            assert changed, (
                f"explorer {i}: arrow keys on a slider did not change the figure in Voila; "
                f"errors on the page: {voila_errors(page) or 'none'}")
            if i == 0:
                bs.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(bs.SCREENSHOTS / f"{notebook.stem}-voila.png"),
                                full_page=True)
        errors = voila_errors(page)
        assert not errors, "Voila shows errors after the slider moved:\n" + "\n".join(errors)
        bs.assert_axe_clean(page, f"voila-{notebook.stem}", walk_s=t_a11y)
    finally:
        page.close()
