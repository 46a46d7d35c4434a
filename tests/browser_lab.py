"""Drive JupyterLab in headless Chromium, as a learner would: open, Run All, look at the page.

Used by test_browser.py. Three pieces:

* `browser_unavailable()` says why a real-browser test cannot run here (no Chromium, no Playwright);
* `LabServer` starts `python -m jupyter lab` on 127.0.0.1 with a random token, on a temporary
  copy of notebooks/ and with isolated config, runtime, workspaces and user settings;
* `NotebookPage` wraps one Playwright page showing one notebook: Run All through the menu,
  wait until every cell has run, then read what the page shows (errors, figures, widgets)
  and move the control-flow explorer's slider.

Chromium talks only to 127.0.0.1: its background services are switched off by flags, and
every other request a page makes is aborted.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from helpers import free_port

CHROMIUM = Path(os.environ.get("AUTOGRAD_LESSONS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = (
    "install chromium (Debian package: apt-get install chromium) and playwright "
    "(pip install playwright==1.65.2; no `playwright install` needed)"
)

# User settings written before the server starts (JUPYTERLAB_SETTINGS_DIR).
LAB_SETTINGS = {
    # JupyterLab 4 renders only the cells near the viewport by default ("full" windowing);
    # "none" keeps every cell in the DOM, so the asserts and the screenshot see all of them.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # No news/update check: no request leaves 127.0.0.1 and no toast covers the notebook.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}

ERROR_MIME = "application/vnd.jupyter.error"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
EXPLORER = ".autograd-lessons-control-flow"
# JavaScript: the notebook model of the (only) open notebook, through window.jupyterapp.
CURRENT_MODEL = "window.jupyterapp.shell.currentWidget.content.model"
CURRENT_SESSION = "window.jupyterapp?.shell.currentWidget?.sessionContext?.session"
# JavaScript expression: whether any cell of the notebook model holds an error output. The DOM
# cannot tell: JupyterLab 4 renders an error output as 'application/vnd.jupyter.stderr'.
HAS_ERROR_OUTPUT = f"""(() => {{
  const cells = {CURRENT_MODEL}.cells;
  for (let i = 0; i < cells.length; i++) {{
    const outputs = cells.get(i).outputs;
    for (let j = 0; outputs && j < outputs.length; j++) {{
      if (outputs.get(j).type === 'error') return true;
    }}
  }}
  return false;
}})()"""


def browser_unavailable() -> str | None:
    """Why the real-browser tests cannot run here, or None when Chromium and Playwright are present."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}: {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"Python Playwright is not importable: {INSTALL_HINT}"
    return None


def require(reason: str | None) -> None:
    """Skip (or, with AUTOGRAD_LESSONS_REQUIRE_BROWSER=1, fail) for `reason`, when there is one."""
    import pytest

    if reason is None:
        return
    if os.environ.get("AUTOGRAD_LESSONS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"AUTOGRAD_LESSONS_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def playwright_timeout() -> type[Exception]:
    """Playwright's TimeoutError, imported late: this module must import without Playwright."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    return PlaywrightTimeoutError


class LabServer:
    """`python -m jupyter lab` on 127.0.0.1, serving a copy of `notebooks`, isolated under `home`.

    Only config, runtime, workspaces and user settings are isolated: the kernelspec and the
    lab extensions (jupyterlab_widgets) live under sys.prefix/share/jupyter and must stay
    visible, so JUPYTER_DATA_DIR and JUPYTER_PATH are left alone.
    """

    def __init__(self, notebooks: Path, home: Path):
        self.home = home
        self.root = home / "notebooks"
        shutil.copytree(notebooks, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = home / "settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        self.env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(home / "config"),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            PYTHONUNBUFFERED="1",
        )
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "jupyterlab.log"
        self.process: subprocess.Popen | None = None

    def start(self, seconds: float = 120) -> None:
        """Start the server and return once its API answers with the token."""
        command = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            # window.jupyterapp: lets the test read the notebook model (output types) directly.
            "--LabApp.expose_app_in_browser=True",
        ]
        # The log goes to a file: a pipe nobody reads would eventually block the server.
        with open(self.log_path, "w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.home,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + seconds
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if self.api("GET", "status") is not None:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer within {seconds} s:\n{self.log_tail()}")
            time.sleep(0.2)

    def stop(self) -> None:
        """Terminate the server (it shuts its kernels down), then kill it if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def api(self, method: str, path: str) -> object:
        """Call the server's REST API (`/api/<path>`) with the token; the decoded JSON or None."""
        request = urllib.request.Request(
            f"{self.base}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def lab_setting(self, plugin: str) -> dict:
        """The composite (effective) settings of a JupyterLab plugin, as the page receives them."""
        request = urllib.request.Request(
            f"{self.base}/lab/api/settings/{plugin}",
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["settings"]

    def shut_down_sessions(self) -> None:
        """End every kernel session, so that one test's kernel never runs during the next test."""
        for session in self.api("GET", "sessions"):
            with contextlib.suppress(urllib.error.HTTPError):  # a session that ended meanwhile
                self.api("DELETE", f"sessions/{session['id']}")

    def url(self, relative: str) -> str:
        """The lab URL that opens `relative` (a path under the served root) in a fresh workspace.

        `reset` empties the saved workspace first: otherwise JupyterLab restores the tabs of the
        previous test, and menu commands may act on another notebook than the one under test.
        """
        quoted = urllib.parse.quote(relative)
        return f"{self.base}/lab/tree/{quoted}?token={self.token}&reset"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "".join(self.log_path.read_text(encoding="utf-8").splitlines(True)[-lines:])
        except OSError:
            return "(no log)"


def local_only(route) -> None:
    """Playwright route handler: let requests to 127.0.0.1 through, abort everything else."""
    host = urllib.parse.urlsplit(route.request.url).hostname
    if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
        route.continue_()
    else:
        route.abort()


class NotebookPage:
    """One Playwright page showing one notebook in JupyterLab."""

    def __init__(self, page, cells: int, code_cells: int):
        """`cells`: how many cells the notebook has; `code_cells`: how many have code to run."""
        self.page = page
        self.cells = cells
        self.code_cells = code_cells
        self.page_errors: list[str] = []
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    # --- opening and running -------------------------------------------------------------

    def open(self, url: str, timeout_ms: float = 90_000) -> None:
        """Load the notebook and wait until all its cells are shown, alone, with an idle kernel.

        JupyterLab adds the cells to the page progressively; all of them must arrive, which
        also proves that windowing is off (with it on, off-screen cells never enter the DOM).
        """
        self.page.goto(url, wait_until="domcontentloaded")
        try:
            self.page.wait_for_function(
                "expected => document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell').length === expected",
                arg=self.cells,
                timeout=timeout_ms,
            )
        except playwright_timeout() as error:
            raise AssertionError(
                f"the page shows {self.cell_count()} of the notebook's {self.cells} cells (is windowing off?): {error}"
            ) from None
        self.wait_for_idle_kernel(timeout_ms)
        tabs = self.page.locator(".jp-NotebookPanel").count()
        assert tabs == 1, f"expected only the notebook under test to be open, found {tabs} notebooks"

    def wait_for_idle_kernel(self, timeout_ms: float) -> None:
        """Wait until the notebook's kernel is connected and idle, and the toolbar says so.

        The toolbar's execution indicator alone is not enough: it reads 'idle' for a moment
        before the kernel even exists, and Run All then races the kernel's start.
        """
        self.page.wait_for_function(
            f"""() => {{
                 const kernel = {CURRENT_SESSION}?.kernel;
                 const indicator = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
                 return kernel?.connectionStatus === 'connected' && kernel?.status === 'idle'
                     && indicator?.dataset.status === 'idle';
               }}""",
            timeout=timeout_ms,
        )

    def menu(self, menu: str, item: str) -> None:
        """Click `menu` in the menu bar, then its item labelled exactly `item`."""
        self.page.locator(".lm-MenuBar-itemLabel").get_by_text(menu, exact=True).click()
        self.page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()

    def prompts(self) -> list[str]:
        """The input prompt of every code cell, e.g. '[3]:', '[*]:' (running/queued), '[ ]:' (not run)."""
        return self.page.eval_on_selector_all(
            ".jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt",
            "nodes => nodes.map(node => node.textContent.replace(/\\s/g, ' ').trim())",
        )

    def run_all(self, timeout_ms: float = 180_000) -> None:
        """Clear all outputs, Run All Cells (Run menu), and wait until the run has settled.

        The notebooks are stored with outputs and prompts [1]..[n], which is exactly what a
        finished run shows too; clearing first (prompts become '[ ]:') makes the end provable.
        The run has settled when no prompt shows '[*]', the kernel is idle, and either every
        code cell with source shows a number or an error output stopped the run (JupyterLab
        then drops the queued cells). The caller asserts which of the two happened.
        """
        self.menu("Edit", "Clear Outputs of All Cells")
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')]
                     .every(node => !/\\d|\\*/.test(node.textContent))
                  && !document.querySelector('.jp-NotebookPanel .jp-OutputArea-output')""",
            timeout=30_000,
        )
        self.menu("Run", "Run All Cells")
        try:
            self.wait_until_settled(timeout_ms)
        except playwright_timeout() as error:  # say where the run stands
            raise AssertionError(f"Run All Cells did not finish: {self.state()}\n{error}") from None
        self.wait_for_images()

    def state(self) -> str:
        """A one-line summary of the run for failure messages: prompts, kernel status, errors."""
        status = self.page.evaluate(
            f"""() => [
                 document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')?.dataset.status,
                 {CURRENT_SESSION}?.kernel?.status]"""
        )
        return f"indicator/kernel {status}; prompts {self.prompts()}; errors {self.errors()}"

    def wait_until_settled(self, timeout_ms: float) -> None:
        """Wait for the end of the run: see run_all."""
        self.page.wait_for_function(
            """expected => {
                 const panel = document.querySelector('.jp-NotebookPanel');
                 const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                   .map(node => node.textContent);
                 const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
                 const ran = prompts.filter(text => /\\[\\d+\\]/.test(text)).length;
                 return (ran === expected || HAS_ERROR_OUTPUT)
                     && !prompts.some(text => text.includes('*'))
                     && indicator !== null && indicator.dataset.status === 'idle'
                     && CURRENT_SESSION?.kernel?.status === 'idle';
               }""".replace("HAS_ERROR_OUTPUT", HAS_ERROR_OUTPUT).replace("CURRENT_SESSION", CURRENT_SESSION),
            arg=self.code_cells,
            timeout=timeout_ms,
            polling=250,
        )

    def unrun_cells(self) -> list[int]:
        """Positions (among code cells) of the code cells with source that show no execution count."""
        return self.page.eval_on_selector_all(
            ".jp-NotebookPanel .jp-CodeCell",
            """cells => cells.flatMap((cell, index) => {
                 const prompt = cell.querySelector('.jp-InputArea-prompt');
                 const code = cell.querySelector('.jp-InputArea-editor').textContent.trim();
                 return code && !/\\[\\d+\\]/.test(prompt.textContent) ? [index] : [];
               })""",
        )

    def wait_for_images(self, timeout_ms: float = 30_000) -> None:
        """Wait until every image in the output areas has finished loading (or failed to)."""
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output img')]"
            ".every(img => img.complete)",
            timeout=timeout_ms,
        )

    # --- what the page shows -------------------------------------------------------------

    def cell_count(self) -> int:
        return self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").count()

    def errors(self) -> list[str]:
        """Every error output ("cell n: ename: evalue") and every stderr stream with a traceback.

        Read from the notebook model, which keeps the output types; in the DOM an error output
        is a stderr-typed output like any warning. The DOM's error-typed outputs, which no
        JupyterLab 4 renderer produces, are still counted in case a future version does.
        """
        found = self.page.evaluate(
            f"""() => {{
                 const found = [];
                 const cells = {CURRENT_MODEL}.cells;
                 for (let i = 0; i < cells.length; i++) {{
                   const outputs = cells.get(i).outputs;
                   for (let j = 0; outputs && j < outputs.length; j++) {{
                     const output = outputs.get(j).toJSON();
                     const text = [].concat(output.text || []).join('');
                     if (output.output_type === 'error') {{
                       found.push(`cell ${{i}}: ${{output.ename}}: ${{output.evalue}}`);
                     }} else if (output.output_type === 'stream' && output.name === 'stderr'
                                 && text.includes('Traceback')) {{
                       found.push(`cell ${{i}}: stderr: ${{text.slice(0, 2000)}}`);
                     }}
                   }}
                 }}
                 return found;
               }}"""
        )
        found += self.page.eval_on_selector_all(
            f".jp-NotebookPanel .jp-OutputArea-output[data-mime-type='{ERROR_MIME}']",
            "nodes => nodes.map(node => 'error output: ' + node.textContent.slice(0, 2000))",
        )
        return found

    def images(self) -> list[dict]:
        """Every image in the output areas: its natural size, the width it is shown at, and
        whether it finished loading."""
        return self.page.eval_on_selector_all(
            ".jp-NotebookPanel .jp-OutputArea-output img",
            """nodes => nodes.map((img, index) => ({
                 index, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
                 shown: img.getBoundingClientRect().width}))""",
        )

    def widget_failures(self) -> list[str]:
        """What went wrong with widgets: "Error displaying widget" texts, widget outputs with no view."""
        return self.page.evaluate(
            """widgetMime => {
                 const panel = document.querySelector('.jp-NotebookPanel');
                 const failed = [...panel.querySelectorAll('.jp-OutputArea-output')]
                   .filter(node => node.textContent.includes('Error displaying widget'))
                   .map(node => 'Error displaying widget: ' + node.textContent.slice(0, 300));
                 const empty = [...panel.querySelectorAll('.jp-OutputArea-output')]
                   .filter(node => node.dataset.mimeType === widgetMime && !node.querySelector('.jupyter-widgets'))
                   .map(node => 'widget output without a rendered view: ' + node.textContent.slice(0, 300));
                 return failed.concat(empty);
               }""",
            WIDGET_MIME,
        )

    def widget_cells(self) -> list[int]:
        """Indices (among all cells) of the cells whose outputs show a rendered widget."""
        return self.page.eval_on_selector_all(
            ".jp-NotebookPanel .jp-Notebook .jp-Cell",
            "cells => cells.flatMap((cell, index) => cell.querySelector("
            "'.jp-OutputArea-output .jupyter-widgets') ? [index] : [])",
        )

    def widget_output_cells(self) -> list[int]:
        """Indices of the cells whose outputs, in the notebook model, hold a widget view.

        Stored notebooks keep only the text/plain fallback of a widget; after Run All the
        model holds the widget-view output, and the page must show a widget for each.
        """
        return self.page.evaluate(
            f"""mime => {{
                 const found = [];
                 const cells = {CURRENT_MODEL}.cells;
                 for (let i = 0; i < cells.length; i++) {{
                   const outputs = cells.get(i).outputs;
                   for (let j = 0; outputs && j < outputs.length; j++) {{
                     if (mime in (outputs.get(j).data || {{}})) {{ found.push(i); break; }}
                   }}
                 }}
                 return found;
               }}""",
            WIDGET_MIME,
        )

    # --- the control-flow explorer -------------------------------------------------------

    def explorers(self):
        return self.page.locator(f".jp-NotebookPanel {EXPLORER}")

    def doublings_text(self, explorer) -> str:
        return explorer.locator(".autograd-lessons-doublings").inner_text().strip()

    def wait_for_text_change(self, explorer, before: str, timeout_ms: float = 15_000) -> str:
        """Wait until the explorer's doublings text differs from `before`; return the new text."""
        handle = explorer.locator(".autograd-lessons-doublings").element_handle()
        self.page.wait_for_function(
            "([node, before]) => node.innerText.trim() !== before",
            arg=[handle, before],
            timeout=timeout_ms,
        )
        return self.doublings_text(explorer)

    def move_slider(self, explorer) -> tuple[str, str]:
        """Press Home on the a-slider's handle (End if Home changes nothing); (text before, after).

        ipywidgets 8 sliders are noUiSlider handles, which take keyboard input once focused.
        """
        before = self.doublings_text(explorer)
        handle = explorer.locator(".autograd-lessons-a-slider .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for key in ("Home", "End"):
            handle.press(key)
            try:
                return before, self.wait_for_text_change(explorer, before, timeout_ms=10_000)
            except playwright_timeout():  # the slider was already at that end
                continue
        return before, self.doublings_text(explorer)

    def type_a(self, explorer) -> tuple[str, str]:
        """Type a new a into the text box and press Enter; (text before, after).

        0.001 doubles 20 times before reaching 1000 and 1.5 only 10 times, so whichever of
        the two the box does not hold already must change the count.
        """
        before = self.doublings_text(explorer)
        box = explorer.locator(".autograd-lessons-a-text input").first
        box.scroll_into_view_if_needed()
        current = box.input_value().strip()
        value = "1.5" if _same_number(current, "0.001") else "0.001"
        box.fill(value)
        box.press("Enter")
        try:
            return before, self.wait_for_text_change(explorer, before)
        except playwright_timeout():
            return before, self.doublings_text(explorer)

    # --- artifacts -----------------------------------------------------------------------

    def screenshot(self, path: Path, max_height: int = 30_000) -> None:
        """Save the whole notebook, not just the viewport, as one PNG.

        JupyterLab fills the window and scrolls the notebook inside its own panel, so a plain
        full-page screenshot would show one screen. The viewport is made as tall as the
        notebook's content for the shot (all cells are in the DOM: windowing is off).
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        extra = self.page.evaluate(
            """() => {
                 const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
                               || document.querySelector('.jp-NotebookPanel .jp-Notebook');
                 scroller.scrollTop = 0;
                 return scroller.scrollHeight - scroller.clientHeight;
               }"""
        )
        height = min(size["height"] + max(extra, 0), max_height)
        self.page.set_viewport_size({"width": size["width"], "height": height})
        try:
            self.wait_for_images()
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.set_viewport_size(size)


def _same_number(text: str, other: str) -> bool:
    try:
        return abs(float(text) - float(other)) < 1e-12
    except ValueError:
        return False


def scratch_explorer_notebook() -> dict:
    """A one-cell notebook with a minimal control-flow explorer built on the agreed CSS classes.

    Lesson 1's explorer (autograd_lessons.lessons.autograd.explorers) shows how many times `d = d * 2` runs
    before the norm of d reaches 1000, starting from d = a; this stand-in computes the same
    count in plain Python, with a slider and a text box for a linked by kernel-side observers.
    """
    code = """import ipywidgets as widgets


def doublings(a):
    d, count = abs(a), 0
    while d < 1000:
        d, count = d * 2, count + 1
    return count


slider = widgets.FloatSlider(value=1.5, min=0.001, max=2.0, step=0.001, readout_format=".3f", description="a")
text = widgets.FloatText(value=1.5, description="a")
shown = widgets.HTML()
slider.add_class("autograd-lessons-a-slider")
text.add_class("autograd-lessons-a-text")
shown.add_class("autograd-lessons-doublings")


def show(change=None):
    shown.value = f"<b>{doublings(slider.value)}</b> doublings"


def from_slider(change):
    text.value = change["new"]
    show()


def from_text(change):
    slider.value = change["new"]


slider.observe(from_slider, names="value")
text.observe(from_text, names="value")
show()
explorer = widgets.VBox([slider, text, shown])
explorer.add_class("autograd-lessons-control-flow")
explorer
"""
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "scratch-explorer",
                "metadata": {},
                "outputs": [],
                "source": code,
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
