"""What the browser tests share: the servers they start, the browser pages they drive.

Nothing here starts anything on import; ``conftest.py`` builds the fixtures from it.
Playwright is imported only inside functions, so the unit suite collects this module
even where the browser extras are not installed.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tools"))
from lab import QUIET_KERNELS, QUIET_SERVER  # noqa: E402  (the settings make lab uses, kept in one place)

from tests.helpers import free_port, stop_process  # noqa: E402

# Where a Chromium or Chrome may be, after the CHROMIUM environment variable: Debian's
# chromium, Ubuntu's snap, Fedora's chromium-browser, Google Chrome on Linux and on macOS.
CHROMIUM_PLACES = (
    "/usr/bin/chromium", "/snap/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)


def find_chromium() -> Path | None:
    """The browser to drive: $CHROMIUM when set (it must exist), else the first of CHROMIUM_PLACES found."""
    chosen = os.environ.get("CHROMIUM", "").strip()
    if chosen:
        path = Path(shutil.which(chosen) or chosen)
        return path if path.is_file() else None
    return next((Path(place) for place in CHROMIUM_PLACES if Path(place).is_file()), None)


CHROMIUM = find_chromium()
INSTALL_HINT = (
    f"no Chromium found at CHROMIUM={os.environ['CHROMIUM']!r}" if os.environ.get("CHROMIUM", "").strip()
    else "no Chromium or Chrome found (looked at " + ", ".join(CHROMIUM_PLACES) + ")"
) + ("; install one (Debian: sudo apt-get install chromium; Ubuntu: sudo snap install chromium; "
     "Fedora: sudo dnf install chromium; macOS: install Google Chrome) or point CHROMIUM=/path/to/chrome at it")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
VIEWPORT = {"width": 1280, "height": 900}

# Timeouts (seconds). Generous: CI runs on two cores while other work goes on.
SERVER_START_S = 90
NOTEBOOK_RUN_S = 180
WIDGET_RENDER_S = 60
# A cheap page that answers once Voila listens (the notebook page itself would run a kernel).
VOILA_READY_PATH = "/voila/static/voila.js"

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


# --------------------------------------------------------------------------- servers


def course_env(progress_file: Path, config_dir: Path | None = None) -> dict[str, str]:
    """The environment of a server and its kernels: a progress store of its own, no
    instructor mode, matplotlib's backend chosen by the kernel (inline), no user config."""
    env = dict(os.environ)
    env["ROLELIB_PROGRESS"] = str(progress_file)
    for name in ("MPLBACKEND", "ROLELIB_INSTRUCTOR", "JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN"):
        env.pop(name, None)
    if config_dir is not None:
        env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Server:
    """A Jupyter server process (JupyterLab or Voila) on 127.0.0.1, stopped by :meth:`stop`."""

    def __init__(self, name: str, command: Sequence[str], port: int, token: str, env: dict[str, str],
                 log: Path, ready_path: str) -> None:
        self.name, self.port, self.token, self.log = name, port, token, log
        self.base = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:
            self.process = subprocess.Popen(list(command), env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        self._wait_ready(ready_path)

    def url(self, path: str) -> str:
        """An address on this server, with the token when there is one."""
        if not self.token:
            return f"{self.base}{path}"
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def api(self, method: str, path: str) -> Any:
        """Call the server's REST API with the token; the decoded JSON answer (None if empty)."""
        request = urllib.request.Request(f"{self.base}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def _wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + SERVER_START_S
        headers = {"Authorization": f"token {self.token}"} if self.token else {}
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(urllib.request.Request(f"{self.base}{path}", headers=headers),
                                            timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"{self.name} not ready after {SERVER_START_S} s:\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        """The last lines of the server's log."""
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Terminate the process; kill it if it does not stop within 10 s."""
        stop_process(self.process)


def _write_json(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=1), encoding="utf-8")


def start_jupyterlab(root_dir: Path, workdir: Path, progress_file: Path) -> Server:
    """JupyterLab (which also serves Notebook 7's /notebooks/ pages) on a free port with a
    random token, in a config, settings and workspace directory of its own."""
    config_dir = workdir / "jupyter_config"
    # The "get notified about Jupyter news?" toast covers the page: switch the plugin off.
    _write_json(config_dir / "labconfig" / "page_config.json",
                {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    settings_dir = workdir / "lab_settings"
    # Every cell stays in the DOM, so counting widgets counts them all (no virtual scrolling).
    _write_json(settings_dir / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
                {"windowingMode": "none"})
    port, token = free_port(), secrets.token_hex(24)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", "--ServerApp.allow_root=True",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True", "--JupyterNotebookApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings_dir}", f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        *QUIET_SERVER, *QUIET_KERNELS,
    ]
    return Server("JupyterLab", command, port, token, course_env(progress_file, config_dir),
                  workdir / "jupyterlab.log", "/api/status")


def start_voila(notebook: Path, workdir: Path, progress_file: Path) -> Server:
    """Voila serving one notebook as an app on a free port (Voila has no token)."""
    port = free_port()
    voila = Path(sys.executable).with_name("voila")
    command = [str(voila) if voila.exists() else "voila", str(notebook), "--no-browser",
               "--Voila.ip=127.0.0.1", f"--port={port}", *QUIET_KERNELS]
    config_dir = workdir / "voila_config"
    config_dir.mkdir(parents=True, exist_ok=True)
    return Server("Voila", command, port, "", course_env(progress_file, config_dir),
                  workdir / "voila.log", VOILA_READY_PATH)


# --------------------------------------------------------------------------- browser


@dataclass(frozen=True)
class IgnoreRule:
    """A console message that does not come from the course, and why it is not a failure.

    ``text`` is searched in the message; ``source`` in where it comes from (the script's
    address, or the top of the stack for an uncaught exception).
    """

    text: str
    source: str
    reason: str

    def matches(self, text: str, source: str) -> bool:
        """Whether the rule covers this message."""
        return re.search(self.text, text) is not None and re.search(self.source, source) is not None


# Each rule says why the message is unrelated to the course; anything else fails a test.
IGNORED_CONSOLE = (
    IgnoreRule(r"^Failed to load resource: net::ERR_INTERNET_DISCONNECTED", r"^(?!http://127\.0\.0\.1)",
               "a request to the internet, which the tests block (no network at test time; Voila "
               "asks a CDN for an icon font); a failed request to the local server is never ignored"),
    IgnoreRule(r"^Could not restore the debugger state: Canceled future for debug_request",
               r"/static/(lab/jlab_core|notebook/notebook_core)\.",
               "JupyterLab's debugger panel asks a new kernel for its state; Restart Kernel soon "
               "after the notebook opened cancels that request (the course does not use the debugger)"),
    IgnoreRule(r"^uncaught TypeError: Cannot read properties of undefined \(reading 'schema'\)",
               r"/static/notebook/notebook_core\.",
               "Notebook 7's keyboard-shortcut settings plugin while the page loads (seen with a "
               "notebook without course content too)"),
    IgnoreRule(r"^uncaught Error: Command 'filebrowser:open-path' not registered",
               r"/static/notebook/notebook_core\.",
               "Notebook 7's notebook page has no file browser; a plugin asks for it after a kernel "
               "restart (seen with a notebook without course content too)"),
    IgnoreRule(r"^Failed to load resource: the server responded with a status of 403",
               r"^http://127\.0\.0\.1:\d+/voila/api/shutdown/",
               "when a Voila page is left or reloaded, Voila asks its server to shut the page's "
               "kernel down and the server refuses (seen with a notebook without course content too)"),
    IgnoreRule(r"^Error: The getter for the shared module is not a function[\s\S]*"
               r"/voila/labextensions/@jupyter-notebook/lab-extension/", r"",
               "Voila loads every installed JupyterLab extension; Notebook 7's extension for "
               "JupyterLab cannot load inside Voila (seen with a notebook without course content too)"),
)


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions of one page, split into course and ignored."""

    errors: list[str] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        """Listen to the page's console errors and uncaught exceptions from now on."""

        def on_console(message: Any) -> None:
            if message.type == "error":
                self.add(message.text, (message.location or {}).get("url", ""))

        def on_error(error: Any) -> None:
            stack = (error.stack or "").splitlines()
            top = next((line.strip() for line in stack if line.strip().startswith("at ")), "")
            self.add(f"uncaught {error.name}: {error.message}", top)

        page.on("console", on_console)
        page.on("pageerror", on_error)

    def add(self, text: str, source: str) -> None:
        """File one message, as ignored (with the reason) or as an error of the course."""
        rule = next((rule for rule in IGNORED_CONSOLE if rule.matches(text, source)), None)
        if rule is None:
            self.errors.append(f"{text} [{source}]" if source else text)
        else:
            self.ignored.append((text, rule.reason))


def block_internet(page: Page, allowed_prefixes: Iterable[str]) -> None:
    """Abort every request that does not go to one of the allowed addresses (or data:/file:)."""
    allowed = tuple(allowed_prefixes) + ("data:", "file:", "blob:", "about:")

    def route(current: Any) -> None:
        if current.request.url.startswith(allowed):
            current.continue_()
        else:
            current.abort("internetdisconnected")

    page.route("**/*", route)


def launch_chromium(playwright: Any) -> Browser:
    """Debian's chromium, headless, with no sandbox and nothing phoning home."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))


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


def shutdown_kernels(server: Server) -> None:
    """Shut down every session of the server (frees the kernels between lessons)."""
    for session in server.api("GET", "/api/sessions") or []:
        server.api("DELETE", f"/api/sessions/{session['id']}")


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


# --------------------------------------------------------------------------- exercises


def squash_spaces(text: str) -> str:
    r"""Spacing as a reader perceives it (ipywidgets puts a zero-width space in some labels).

    >>> squash_spaces(" Leading the\u200b team\n that responds ")
    'Leading the team that responds'
    """
    return re.sub(r"\s+", " ", text.replace("\u200b", "")).strip()


@dataclass(frozen=True)
class Answer:
    """What a learner picks in one exercise: options by label (single or multiple choice), or
    one choice per item (classify, match: drop-downs), as ``(item text, choice label)``."""

    question_id: str
    kind: str
    options: tuple[str, ...] = ()
    picks: tuple[tuple[str, str], ...] = ()

    def shown(self) -> list[str]:
        """The selection as :func:`selected` reads it back from the page."""
        return list(self.options) if self.options else [f"{item} → {choice}" for item, choice in self.picks]


def _label(question: Any, option: str) -> str:
    label = getattr(question, "label", None)
    return label(option) if callable(label) else str(option)


def right_answer(question: Any) -> Answer | None:
    """The correct answer to a question of the banks, as a learner would enter it
    (None for a reflection, which has none)."""
    kind = question.kind
    if kind == "single":
        return Answer(question.id, kind, options=(str(question.answer),))
    if kind == "multiple":
        return Answer(question.id, kind, options=tuple(question.answer))
    if kind in ("classify", "match"):
        return Answer(question.id, kind, picks=tuple(
            (item.text, _label(question, question.answer[item.key][0])) for item in question.items))
    return None


def wrong_answer(question: Any) -> Answer | None:
    """A wrong answer to a question of the banks (None when it has no wrong one)."""
    kind = question.kind
    if kind in ("single", "multiple"):
        right = {question.answer} if kind == "single" else set(question.answer)
        others = [option for option in question.options if option not in right]
        return Answer(question.id, kind, options=(others[0],)) if others else None
    if kind in ("classify", "match") and question.items:
        first = question.items[0]
        wrong = [option for option in question.options if option not in question.answer[first.key]]
        if not wrong:
            return None
        picks = [(item.text, _label(question, question.answer[item.key][0])) for item in question.items]
        picks[0] = (first.text, _label(question, wrong[0]))
        return Answer(question.id, kind, picks=tuple(picks))
    return None


def find_exercise(page_or_scope: Any, question: Any) -> Locator:
    """The exercise on the page that shows this question (found by its prompt's text)."""
    words = visible_text(question.prompt)
    return page_or_scope.locator(EXERCISE).filter(has_text=words[:80])


def answer_by_clicks(exercise: Locator, answer: Answer) -> None:
    """Enter the answer with the mouse as a learner does (Try again first if the exercise
    shows an earlier, locked answer), then press the exercise's Check button."""
    retry = exercise.locator(".rolelib-retry")
    if retry.count() and retry.first.is_enabled():
        retry.first.click()
    if answer.kind == "single":
        exercise.locator(".widget-radio-box label").filter(
            has_text=re.compile(rf"^\s*{re.escape(answer.options[0])}\s*$")).first.click()
    elif answer.kind == "multiple":
        for box in exercise.locator(".widget-checkbox").all():
            wanted = squash_spaces(box.inner_text()) in answer.options
            if box.locator("input").is_checked() != wanted:
                box.locator("input").click()
    else:
        for item, choice in answer.picks:
            dropdown = exercise.locator(".widget-dropdown").filter(
                has=exercise.page.locator("label", has_text=item[:60]))
            dropdown.locator("select").first.select_option(label=choice)
    exercise.locator(CHECK_BUTTON).first.click()


def selected(exercise: Locator) -> list[str]:
    """What the exercise shows as chosen now: option labels, or "item → choice" per drop-down."""
    return exercise.evaluate(
        """root => {
          const text = e => e.textContent.replace(/\\u200b/g, '').replace(/\\s+/g, ' ').trim();
          const out = [];
          root.querySelectorAll('.widget-radio-box label, .widget-checkbox').forEach(l => {
            const input = l.querySelector('input'); if (input && input.checked) out.push(text(l)); });
          root.querySelectorAll('.widget-toggle-button.mod-active').forEach(b => out.push(text(b)));
          root.querySelectorAll('.widget-dropdown').forEach(d => {
            const s = d.querySelector('select'); const l = d.querySelector('label');
            if (s && s.value !== '' && s.selectedIndex >= 0)
              out.push((l ? text(l) + ' → ' : '') + text(s.options[s.selectedIndex])); });
          return out; }""")


def feedback_text(exercise: Locator) -> str:
    """The feedback the exercise shows now ('' when none)."""
    feedback = exercise.locator(FEEDBACK)
    return squash_spaces(" ".join(feedback.all_inner_texts())) if feedback.count() else ""


def wait_for_feedback(exercise: Locator, before: str, timeout_s: float = 20) -> str:
    """Wait until the feedback text changes from ``before`` and is not empty; return it."""
    deadline = time.monotonic() + timeout_s
    text = feedback_text(exercise)
    while time.monotonic() < deadline:
        text = feedback_text(exercise)
        if text and text != before:
            return text
        time.sleep(0.2)
    return text


def answer_by_keyboard(page: Page, exercise: Locator, answer: Answer, max_tabs: int = 15) -> list[str]:
    """Answer a choice exercise with the keyboard alone (Tab, arrows, Space, Enter) and
    return the keys pressed.

    The learner's focus starts on the exercise's own box (where a keyboard user arrives
    from the cell above). Tab walks through the options and Space picks the focused one;
    in a radio group that lets Tab reach only one option, the arrow keys move the choice.
    Then Tab reaches Check, and Enter presses it.
    """
    keys: list[str] = []

    def press(key: str) -> None:
        page.keyboard.press(key)
        keys.append(key)
        page.wait_for_timeout(50)

    labels = answer.options
    exercise.evaluate("e => { e.setAttribute('tabindex', '-1'); e.focus(); }")
    if exercise.locator(".rolelib-retry:enabled").count():
        # An earlier answer is shown, locked: Try again first, then back to the options.
        _tab_until(page, exercise, ".rolelib-retry", press, max_tabs)
        press("Enter")
        exercise.locator(f"{CHECK_BUTTON}:enabled").wait_for(timeout=10_000)
        _tab_until(page, exercise, _OPTION_CONTROLS, press, max_tabs, key="Shift+Tab")
        while True:  # to the first option of the group
            before = _focused_option(exercise)
            press("Shift+Tab")
            if _focused_option(exercise) is None:
                press("Tab")
                break
            if _focused_option(exercise) == before:
                break
    options = exercise.locator(".widget-radio-box label, .widget-checkbox, .widget-toggle-button")
    names = [squash_spaces(t) for t in options.all_inner_texts()]
    if not names:
        raise AssertionError(f"no option a keyboard can reach in the exercise: {exercise.inner_html()[:500]}")
    missing = [label for label in labels if label not in names]
    assert not missing, f"options {missing} not shown; the exercise shows {names}"
    _tab_until(page, exercise, _OPTION_CONTROLS, press, max_tabs)
    for label in sorted(labels, key=names.index):
        for _ in range(len(names)):
            current = _focused_option(exercise)
            if current == label:
                break
            # Tab visits each option of a group where none is chosen yet; where Tab leaves
            # the group instead (a radio group with a choice), go back and use the arrows.
            press("Tab")
            moved_to = _focused_option(exercise)
            if moved_to is None or names.index(moved_to) != names.index(current) + 1:
                press("Shift+Tab")
                press("ArrowDown")
        else:
            raise AssertionError(f"the keyboard never reached option {label!r} "
                                 f"(focus on {_focused_option(exercise)!r}; keys so far {keys})")
        if not _option_chosen(exercise):
            press("Space")
    _tab_until(page, exercise, CHECK_BUTTON, press, max_tabs)
    press("Enter")
    return keys


def choose_in_lists_by_keyboard(page: Page, exercise: Locator, answer: Answer, max_tabs: int = 15) -> list[str]:
    """Answer a drop-down exercise (classify, match) with the keyboard alone, as its instructions say, and
    return the keys pressed: Tab to each list, Space opens it, the arrow keys move, Enter chooses; then Tab
    reaches Check, and Enter presses it. (Arrows or letters on a closed list are JupyterLab's shortcuts.)"""
    keys: list[str] = []

    def press(key: str) -> None:
        page.keyboard.press(key)
        keys.append(key)
        page.wait_for_timeout(80)

    focused_list = """root => { const a = document.activeElement;
        if (!a || !root.contains(a) || a.tagName !== 'SELECT') return null;
        const label = a.closest('.widget-dropdown').querySelector('label');
        return {item: label ? label.textContent.replace(/\\s+/g, ' ').trim() : '', index: a.selectedIndex,
                options: Array.from(a.options).map(o => o.textContent.replace(/\\s+/g, ' ').trim())}; }"""
    exercise.evaluate("e => { e.setAttribute('tabindex', '-1'); e.focus(); }")
    if exercise.locator(".rolelib-retry:enabled").count():
        _tab_until(page, exercise, ".rolelib-retry", press, max_tabs)
        press("Enter")
        exercise.locator(f"{CHECK_BUTTON}:enabled").wait_for(timeout=10_000)
        _tab_until(page, exercise, "select", press, max_tabs, key="Shift+Tab")
        while exercise.evaluate(focused_list) is not None:  # back to the first list
            press("Shift+Tab")
        press("Tab")
    else:
        _tab_until(page, exercise, "select", press, max_tabs)
    picks = dict(answer.picks)
    for _ in range(len(picks)):
        shown = exercise.evaluate(focused_list)
        assert shown is not None, f"Tab left the lists early (keys so far {keys})"
        choice = next(choice for item, choice in picks.items() if squash_spaces(item)[:60] in shown["item"])
        steps = shown["options"].index(choice) - shown["index"]
        press("Space")
        for _ in range(abs(steps)):
            press("ArrowDown" if steps > 0 else "ArrowUp")
        press("Enter")
        press("Tab")
    _tab_until(page, exercise, CHECK_BUTTON, press, max_tabs)
    press("Enter")
    return keys


_OPTION_CONTROLS = ".widget-radio-box input, .widget-checkbox input, .widget-toggle-button"

_FOCUSED_OPTION_JS = """root => { const a = document.activeElement;
  if (!a || !root.contains(a)) return null;
  const option = a.closest('.widget-radio-box label, .widget-checkbox, .widget-toggle-button');
  return option ? option.innerText.replace(/\\u200b/g, '').replace(/\\s+/g, ' ').trim() : null; }"""


def _focused_option(exercise: Locator) -> str | None:
    return exercise.evaluate(_FOCUSED_OPTION_JS)


def _option_chosen(exercise: Locator) -> bool:
    return exercise.evaluate("""root => { const a = document.activeElement;
        return a.matches('input') ? a.checked : a.classList.contains('mod-active'); }""")


def _tab_until(page: Page, exercise: Locator, selector: str, press: Callable[[str], None], max_tabs: int,
               key: str = "Tab") -> None:
    probe = (f"root => {{ const a = document.activeElement; return !!a && root.contains(a) && "
             f"(a.matches({json.dumps(selector)}) || !!a.closest({json.dumps(selector)})); }}")
    for _ in range(max_tabs):
        if exercise.evaluate(probe):
            return
        press(key)
    if not exercise.evaluate(probe):
        raise AssertionError(f"Tab never reached {selector} inside the exercise "
                             f"(focus is on {page.evaluate('document.activeElement.outerHTML.slice(0, 200)')})")


# --------------------------------------------------------------------------- accessibility

_AXE_CLASSIFY_JS = """async (courseSelector) => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  const course = [], other = [];
  for (const v of results.violations) {
    for (const node of v.nodes) {
      const target = node.target[0];
      let el = null;
      try { el = typeof target === 'string' ? document.querySelector(target) : null; } catch (e) { el = null; }
      const entry = {id: v.id, impact: node.impact || v.impact, help: v.help, html: node.html.slice(0, 300),
                     target: JSON.stringify(node.target), summary: node.failureSummary || ''};
      if (el && el.closest(courseSelector)) course.push(entry); else other.push(entry);
    }
  }
  return {course, other};
}"""


def axe_audit(page: Page) -> dict:
    """Run axe-core (the copy shipped by axe-playwright-python, no CDN) on the page; the
    violating nodes inside the course's own outputs and elsewhere."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    return page.evaluate(_AXE_CLASSIFY_JS, COURSE_OUTPUTS)


# --------------------------------------------------------------------------- static views


# Tags that start a new line of text; inline tags (strong, em, a, code) join their words.
_BLOCKS = frozenset("address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
                    "h6 header hr li main nav ol p pre section table tbody td th thead tr ul".split())


class _TextAndImages(HTMLParser):
    """Visible text of an HTML page (scripts and styles left out) and its images."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.images: list[dict[str, str]] = []
        self.captions = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.text.append(" ")
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "img":
            self.images.append({k: v or "" for k, v in attrs})
        elif tag == "figcaption":
            self.captions += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.text.append(" ")
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@dataclass(frozen=True)
class StaticView:
    """What a reader of the HTML export sees: its text, its PNG images, its captions."""

    html: str
    text: str
    png_images: tuple[dict[str, str], ...]
    captions: int

    @classmethod
    def export(cls, notebook: Path) -> StaticView:
        """Export the notebook (with its committed outputs) with nbconvert's HTML exporter."""
        import nbformat
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(nbformat.read(notebook, as_version=4))
        return cls.parse(body)

    @classmethod
    def parse(cls, html: str) -> StaticView:
        """Read an HTML page."""
        parser = _TextAndImages()
        parser.feed(html)
        images = tuple(i for i in parser.images if i.get("src", "").startswith("data:image/png"))
        return cls(html, squash_spaces("".join(parser.text)), images, parser.captions)

    def shows(self, text: str) -> bool:
        """Whether a reader sees this text (spacing ignored)."""
        return squash_spaces(text) in self.text


def visible_text(markdown: str) -> str:
    r"""The words a reader sees of a markdown text (as the course renders it, raw HTML escaped).

    >>> visible_text("Which of these is a **CIO** duty?\n\n- one")
    'Which of these is a CIO duty? one'
    """
    from rolelib._markup import markdown as render

    return StaticView.parse(render(markdown)).text


def copy_notebooks(source: Path, target: Path) -> Path:
    """A copy of the notebooks directory that a test run may change freely, its notebooks
    trusted as make lab trusts them (so no server warns that they are not)."""
    from lab import trust_notebooks

    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    trust_notebooks(target)
    return target


def quiet_start_problems(log: Path) -> list[str]:
    """Lines of a server's log that a quiet start must not have (deprecations, trust, root, TCP)."""
    noisy = ("DeprecationWarning", "is not trusted", "Running as root", "without encryption")
    return [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if any(word in line for word in noisy)]
