"""Every notebook opens, runs and renders in JupyterLab, in a real (headless Chromium) browser.

nbval proves that the kernel produces the stored outputs; these tests prove what a learner sees:
JupyterLab loads the notebook, Run All Cells (the Run menu) executes every cell, no error shows,
every matplotlib figure is an image that loaded, every ipywidget rendered, and the control-flow
explorer reacts to its slider and text box.

Needs Chromium at /usr/bin/chromium and Python Playwright; without them the tests are skipped,
unless AUTOGRAD_LESSONS_REQUIRE_BROWSER=1 (set in CI), which turns the skip into a failure.
A full-notebook screenshot of each run goes to $AUTOGRAD_LESSONS_ARTIFACTS (default tests/artifacts/).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from browser_lab import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LabServer,
    NotebookPage,
    browser_unavailable,
    local_only,
    require,
    scratch_explorer_notebook,
)
from helpers import LANGUAGES, NOTEBOOKS, ROOT, read_notebook, source

pytestmark = pytest.mark.browser

ARTIFACTS = Path(os.environ.get("AUTOGRAD_LESSONS_ARTIFACTS", ROOT / "tests" / "artifacts"))
SCRATCH = "scratch/control_flow_explorer.ipynb"
NOTEBOOK_PATHS = sorted(
    path.relative_to(NOTEBOOKS).as_posix() for language in LANGUAGES for path in (NOTEBOOKS / language).glob("*.ipynb")
)
SHOWN_AT_LEAST = 0.98  # of a picture's natural width: allow sub-pixel rounding, nothing more
RUN_TIMEOUT_MS = int(os.environ.get("AUTOGRAD_LESSONS_RUN_TIMEOUT_MS", 180_000))


def require_browser() -> None:
    """Skip (or, with AUTOGRAD_LESSONS_REQUIRE_BROWSER=1, fail) when no browser can run here."""
    require(browser_unavailable())


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary copy of notebooks/ (plus the scratch notebook)."""
    require_browser()
    server = LabServer(NOTEBOOKS, tmp_path_factory.mktemp("lab"))
    scratch = server.root / SCRATCH
    scratch.parent.mkdir(parents=True)
    scratch.write_text(json.dumps(scratch_explorer_notebook(), indent=1), encoding="utf-8")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(lab):
    """One headless Chromium for the module; it may only reach 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_notebook(lab, browser):
    """Open a notebook (path under the served root) in a fresh browser context; a NotebookPage.

    Afterwards the page closes and every kernel session ends, so tests never overlap.
    """
    contexts = []

    def opener(relative: str) -> NotebookPage:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        context.route("**/*", local_only)
        contexts.append(context)
        cells = read_notebook(lab.root / relative)["cells"]
        notebook = NotebookPage(context.new_page(), len(cells), runnable_cells(cells))
        notebook.open(lab.url(relative))
        return notebook

    yield opener
    for context in contexts:
        context.close()
    lab.shut_down_sessions()


def runnable_cells(cells: list[dict]) -> int:
    """How many code cells have source: JupyterLab gives an execution count to exactly those."""
    return sum(1 for cell in cells if cell["cell_type"] == "code" and source(cell).strip())


def stored_outputs(path: Path, mime: str) -> list[int]:
    """Indices of the cells whose stored outputs include `mime` (what a fresh run must show too)."""
    return [
        index
        for index, cell in enumerate(read_notebook(path)["cells"])
        if any(mime in output.get("data", {}) for output in cell.get("outputs", []))
    ]


def screenshot_name(relative: str) -> Path:
    return ARTIFACTS / (relative.removesuffix(".ipynb").replace("/", "_") + ".png")


def check_explorer(notebook: NotebookPage, explorer) -> None:
    """Moving the slider, then typing into the text box, changes the displayed loop count."""
    before, after = notebook.move_slider(explorer)
    assert after != before, f"moving the a-slider left the doublings text at {before!r}"
    before, after = notebook.type_a(explorer)
    assert after != before, f"typing a new a left the doublings text at {before!r}"


def test_windowing_is_off(lab):
    """The settings override reaches JupyterLab: all cells are rendered, not only visible ones."""
    settings = lab.lab_setting("@jupyterlab/notebook-extension:tracker")
    assert settings.get("windowingMode") == "none"


@pytest.mark.parametrize("relative", NOTEBOOK_PATHS)
def test_notebook_runs_and_renders_in_jupyterlab(lab, open_notebook, relative):
    path = NOTEBOOKS / relative
    notebook = open_notebook(relative)  # waits until every cell is in the DOM

    try:
        notebook.run_all(timeout_ms=RUN_TIMEOUT_MS)
        assert notebook.errors() == [], "error output after Run All Cells"
        assert notebook.unrun_cells() == [], "code cells (positions among code cells) that did not run"

        images = notebook.images()
        figures = stored_outputs(path, "image/png")
        assert len(images) >= len(figures), f"{len(figures)} figures stored, {len(images)} images shown"
        if figures:
            assert images, "the notebook stores figures but the page shows no image"
        broken = [image for image in images if not (image["complete"] and image["width"] > 0)]
        assert broken == [], "figures that did not render"
        # The package keeps text ≥ 9 px at a picture's natural size (tests/test_draw.py); that
        # holds on screen only if JupyterLab shows the picture unshrunk in a 1280 px window.
        shrunk = [image for image in images if image["shown"] < SHOWN_AT_LEAST * image["width"]]
        assert shrunk == [], "pictures scaled down below their natural width (their text would be < 9 px)"
        stretched = [image for image in images if image["shown"] > image["width"] / SHOWN_AT_LEAST]
        assert stretched == [], "pictures stretched beyond their natural width (explorers must match the rest)"

        assert notebook.widget_failures() == []
        widget_outputs = set(notebook.widget_output_cells())
        widget_outputs |= set(stored_outputs(path, "application/vnd.jupyter.widget-view+json"))
        missing = widget_outputs - set(notebook.widget_cells())
        assert not missing, f"cells {sorted(missing)} output a widget but the page shows none"

        for index in range(notebook.explorers().count()):
            check_explorer(notebook, notebook.explorers().nth(index))
    finally:
        notebook.screenshot(screenshot_name(relative))
    assert notebook.page_errors == [], "uncaught JavaScript errors in the page"


def test_control_flow_explorer_plumbing(lab, open_notebook):
    """The explorer contract (CSS classes, slider/text box -> loop count) works in this JupyterLab.

    Runs on a scratch notebook built from plain ipywidgets with the agreed classes, so the
    browser/widget mechanics are proven even where no lesson has an explorer yet.
    """
    notebook = open_notebook(SCRATCH)
    try:
        notebook.run_all(timeout_ms=60_000)
        assert notebook.errors() == []
        assert notebook.unrun_cells() == []
        assert notebook.widget_failures() == []
        assert notebook.widget_output_cells() == [0] and notebook.widget_cells() == [0]
        explorer = notebook.explorers()
        explorer.first.wait_for(state="visible")
        assert explorer.count() == 1
        assert "10" in notebook.doublings_text(explorer.first)
        before, after = notebook.move_slider(explorer.first)
        assert (before, after) == ("10 doublings", "20 doublings"), "Home must move a to its minimum"
        before, after = notebook.type_a(explorer.first)
        assert (before, after) == ("20 doublings", "10 doublings")
    finally:
        notebook.screenshot(ARTIFACTS / "scratch_control_flow_explorer.png")
    assert notebook.page_errors == []
