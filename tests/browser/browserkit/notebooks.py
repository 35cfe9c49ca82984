"""Notebooks in the page: what a notebook holds, running it in JupyterLab, and what its outputs show."""

from __future__ import annotations

import io
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

from .chromium import VIEWPORT
from .servers import REPO

# Timeouts (seconds). Generous: CI runs on two cores while other work goes on.
NOTEBOOK_RUN_S = 180
WIDGET_RENDER_S = 60

# Where the course puts its own outputs. Everything an exercise or a chart shows lives
# inside one of these; the accessibility audit and the console check look at them.
EXERCISE = ".rolelib-exercise"
CHECK_BUTTON = ".rolelib-check"
FEEDBACK = ".rolelib-feedback"
COURSE_OUTPUTS = ".rolelib-exercise, .rolelib-explorer, .rolelib-score, figure.rolelib-chart, .rolelib-chart"
CHART_IMAGE = "img[src^='data:image/png']"
# JupyterLab gives an HTML output's <img> without alt the alt text "Image": not a description.
LAB_DEFAULT_ALT = "Image"

# How a notebook calls into the course: `exercise("id")` (also `rolelib.exercise(...)`,
# `exercises.exercise(...)`), `quiz("lesson")` for every question of a lesson, and
# `show_chart(...)` / `charts.show(...)` / `show_score()` for a chart.
_EXERCISE_CALL = re.compile(r"""\bexercise\(\s*(?:question_id\s*=\s*)?["']([^"']+)["']""")
_QUIZ_CALL = re.compile(r"""\bquiz\(\s*(?:lesson\s*=\s*)?["']([^"']+)["']""")
_CHART_CALL = re.compile(r"\b(?:show|show_chart|show_score)\(")
# An explorer (a widget to play with the data): `reporting_explorer(...)`, `compare_roles(...)`.
_EXPLORER_CALL = re.compile(r"\b(?:\w+_explorer|compare_roles)\(")
EXPLORER = ".rolelib-explorer"


# --------------------------------------------------------------------------- notebooks


@dataclass(frozen=True)
class NotebookPlan:
    """What a notebook's source promises a learner will see, read from the .ipynb file."""

    path: Path
    calls: tuple[tuple[str, str], ...]  # ("exercise", question id) or ("quiz", lesson), in order
    chart_calls: int
    explorer_calls: int

    @classmethod
    def read(cls, path: Path) -> NotebookPlan:
        """Parse the notebook's code cells (comments left out) for exercise, quiz, chart and
        explorer calls."""
        notebook = json.loads(path.read_text(encoding="utf-8"))
        calls: list[tuple[int, str, str]] = []
        charts = explorers = 0
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = source if isinstance(source, str) else "".join(source)
            code = "\n".join(line.split("#", 1)[0] for line in source.splitlines())
            found = [(m.start(), "exercise", m.group(1)) for m in _EXERCISE_CALL.finditer(code)]
            found += [(m.start(), "quiz", m.group(1)) for m in _QUIZ_CALL.finditer(code)]
            calls.extend(sorted(found))
            charts += len(_CHART_CALL.findall(code))
            explorers += len(_EXPLORER_CALL.findall(code))
        return cls(path, tuple((kind, name) for _, kind, name in calls), charts, explorers)

    def question_ids(self, banks: dict[str, Any]) -> list[str]:
        """Every question the notebook shows, in page order (a quiz shows its lesson's bank)."""
        ids: list[str] = []
        for kind, name in self.calls:
            if kind == "exercise":
                ids.append(name)
            else:
                ids.extend(q.id for q in banks.values() if q.lesson == name)
        return ids


# --------------------------------------------------------------------------- notebooks in the page

_CURRENT_PANEL = "const app = window.jupyterapp; const panel = app.shell.currentWidget;"

_NOTEBOOK_STATE_JS = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.model || !panel.sessionContext) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = [];
  const model = panel.content.model;
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    if (cell.type !== 'code' || cell.sharedModel.getSource().trim() === '') continue;
    const outputs = [];
    for (let j = 0; j < cell.outputs.length; j++) outputs.push(cell.outputs.get(j).toJSON());
    cells.push({count: cell.executionCount, errors: outputs.filter(o => o.output_type === 'error')
                .map(o => o.ename + ': ' + o.evalue)});
  }
  const pending = Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-InputPrompt'))
      .filter(p => p.textContent.includes('*')).length;
  return {status: kernel ? kernel.status : 'no kernel', cells, pending};
}"""


@dataclass(frozen=True)
class RunResult:
    """How Run All ended: the kernel's status, every code cell's execution count, the errors."""

    status: str
    counts: tuple[int | None, ...]
    errors: tuple[str, ...]
    seconds: float

    @property
    def complete(self) -> bool:
        """Every code cell ran, in order, after a fresh kernel start."""
        return list(self.counts) == list(range(1, len(self.counts) + 1))


def open_notebook(page: Page, url: str) -> None:
    """Open a notebook page (JupyterLab or Notebook 7) and wait until its kernel is idle."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(
        """() => { const app = window.jupyterapp; const panel = app && app.shell.currentWidget;
                   const k = panel && panel.sessionContext && panel.sessionContext.session
                             && panel.sessionContext.session.kernel;
                   return !!(k && k.status === 'idle' && panel.content && panel.content.model); }""",
        timeout=NOTEBOOK_RUN_S * 1000, polling=250)


def restart_and_run_all(page: Page) -> RunResult:
    """Kernel > Restart Kernel and Run All Cells, confirming the dialog as a learner does,
    then wait until the kernel is idle and every code cell has run (or one failed)."""
    start = time.monotonic()
    # Clear outputs first so nothing left over from an earlier run is mistaken for this run.
    page.evaluate(f"async () => {{ {_CURRENT_PANEL} await app.commands.execute('notebook:clear-all-cell-outputs'); }}")
    page.evaluate(f"() => {{ {_CURRENT_PANEL} app.commands.execute('notebook:restart-run-all'); }}")
    accept = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
    accept.wait_for(state="visible", timeout=30_000)
    accept.click()
    state = wait_until_run(page)
    return RunResult(state["status"], tuple(c["count"] for c in state["cells"]),
                     tuple(e for c in state["cells"] for e in c["errors"]), time.monotonic() - start)


def wait_until_run(page: Page) -> dict:
    """Poll until the kernel is idle, no cell is pending, and all cells ran or one raised."""
    page.wait_for_function(
        f"""() => {{ const s = ({_NOTEBOOK_STATE_JS})(); if (!s) return false;
                    const done = s.cells.every((c, i) => c.count === i + 1);
                    const failed = s.cells.some(c => c.errors.length > 0);
                    return s.status === 'idle' && s.pending === 0 && (done || failed); }}""",
        timeout=NOTEBOOK_RUN_S * 1000, polling=300)
    return page.evaluate(_NOTEBOOK_STATE_JS)


def full_notebook_screenshot(page: Page, path: Path, max_height: int = 12_000) -> None:
    """A screenshot of the whole notebook, from the top: JupyterLab and Voila scroll inside
    a panel, so the window grows by what that panel hides (a plain full-page shot shows one
    screen)."""
    extra = page.evaluate("""() => {
        let best = null, most = 0;
        for (const e of document.querySelectorAll('*')) {
          const hidden = e.scrollHeight - e.clientHeight;
          const style = getComputedStyle(e).overflowY;
          if (hidden > most && (style === 'auto' || style === 'scroll')) { best = e; most = hidden; }
        }
        if (best) best.scrollTop = 0;
        window.scrollTo(0, 0);
        return most; }""")
    size = page.viewport_size or VIEWPORT
    page.set_viewport_size({"width": size["width"], "height": min(size["height"] + extra, max_height)})
    page.wait_for_timeout(500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    page.wait_for_timeout(200)


# `make screenshots` sets ROLELIB_SCREENSHOTS=docs/screenshots: the tests then keep the README's
# screenshots there, each 960 px wide and reduced to 256 colours (tens of KB, not hundreds).
SCREENSHOTS = os.environ.get("ROLELIB_SCREENSHOTS", "").strip()
SCREENSHOT_WIDTH = 960


def keep_screenshot(page: Page, name: str, focus: Locator | None = None, height: int = 820) -> None:
    """When ROLELIB_SCREENSHOTS names a folder, save what a reader sees around ``focus`` there as ``name``.

    The window is made SCREENSHOT_WIDTH wide and ``height`` high, ``focus`` scrolled to its top,
    and the picture reduced to 256 colours; otherwise nothing happens.
    """
    if not SCREENSHOTS:
        return
    from PIL import Image

    folder = Path(SCREENSHOTS) if Path(SCREENSHOTS).is_absolute() else REPO / SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or VIEWPORT
    page.set_viewport_size({"width": SCREENSHOT_WIDTH, "height": height})
    page.wait_for_timeout(400)
    if focus is not None:
        focus.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)
    picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(folder / name, optimize=True)
    page.set_viewport_size(size)
    page.wait_for_timeout(200)


def error_outputs(page: Page) -> list[str]:
    """What a learner sees as an error: any output on stderr (tracebacks, warnings: the red
    boxes), any text output with a traceback, and widgets that failed to render (the
    widget manager's "Click to show javascript error" box)."""
    return page.evaluate(
        """() => {
          const text = e => e.innerText.trim().slice(0, 500);
          const stderr = Array.from(document.querySelectorAll(
              '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')).map(text);
          const traceback = Array.from(document.querySelectorAll('.jp-RenderedText:not([data-mime-type$="stderr"])'))
              .map(text).filter(t => t.includes('Traceback'));
          const broken = Array.from(document.querySelectorAll('.jupyter-widgets-error-widget'))
              .map(e => 'widget failed to render: ' + text(e));
          return stderr.concat(traceback, broken); }""")


def chart_images(scope: Locator) -> list[dict]:
    """Every PNG chart image: its alt text and whether it has a size on screen."""
    return scope.locator(CHART_IMAGE).evaluate_all(
        """imgs => imgs.map(i => ({alt: (i.getAttribute('alt') || '').replace(/\\s+/g, ' ').trim(),
                                   in_figure: i.closest('figure') !== null,
                                   caption: ((i.closest('figure') || {querySelector: () => null})
                                             .querySelector('figcaption') || {textContent: ''})
                                             .textContent.replace(/\\s+/g, ' ').trim(),
                                   loaded: i.complete && i.naturalWidth > 0,
                                   hidden: i.closest('[aria-hidden="true"]') !== null}))""")
