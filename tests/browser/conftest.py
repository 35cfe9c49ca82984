"""Fixtures of the browser tests: one JupyterLab server and one chromium for the whole run.

Every test here is marked ``browser``; ``pytest -m "not browser"`` leaves them out. Without
a Chromium or Chrome (``CHROMIUM=/path`` chooses one; see browserkit.CHROMIUM_PLACES), or without the browser extras, they are skipped with a message that
says how to install what is missing.

``ROLELIB_TEST_NOTEBOOKS=/some/dir`` points the suite at another notebooks directory
(an instructor's edited copy, say); by default it tests notebooks/ of this repository,
always through a temporary copy, so a run never changes the repository.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browserkit  # noqa: E402  (the helper module beside this file)

from rolelib.lessons import Lesson  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this directory ``browser``."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def course_notebooks() -> Path:
    """The notebooks directory under test (never modified: servers get a copy)."""
    return Path(os.environ.get("ROLELIB_TEST_NOTEBOOKS", REPO / "notebooks")).resolve()


@pytest.fixture
def lesson_notebook(lesson: Lesson, course_notebooks: Path) -> Path:
    """The lesson's notebook file; the test is skipped while it does not exist yet."""
    path = course_notebooks / lesson.filename
    if not path.exists():
        pytest.skip(f"{lesson.filename} does not exist yet in {course_notebooks}")
    return path


@pytest.fixture(scope="session")
def question_banks() -> dict:
    """Every question of the course by id, from the question banks (data/questions/)."""
    try:
        from rolelib.questions import load_banks
    except ImportError as error:
        pytest.skip(f"the question banks cannot be read yet ({error})")
    return load_banks()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/ (git-ignored): screenshots and logs of the last run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary directory for the servers' copies, configs, logs and progress stores."""
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[browserkit.Browser]:
    """Chromium (or Chrome) driven by Playwright; skipped with an install hint when missing."""
    if browserkit.CHROMIUM is None:
        pytest.skip(browserkit.INSTALL_HINT)
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed; install it with: pip install -e '.[browser]'")
    pytest.importorskip("axe_playwright_python",
                        reason="axe-playwright-python is not installed; install it with: pip install -e '.[browser]'")
    playwright = sync_api.sync_playwright().start()
    chromium = browserkit.launch_chromium(playwright)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def lab_server(browser: browserkit.Browser, course_notebooks: Path,
               browser_workdir: Path) -> Iterator[browserkit.Server]:
    """JupyterLab on 127.0.0.1 with a token, over a copy of the notebooks, with a progress
    store of its own; stopped at the end of the run."""
    if not course_notebooks.is_dir():
        pytest.skip(f"no notebooks directory at {course_notebooks}")
    root = browserkit.copy_notebooks(course_notebooks, browser_workdir / "lab_root")
    server = browserkit.start_jupyterlab(root, browser_workdir, browser_workdir / "lab_progress.sqlite3")
    yield server
    server.stop()


@pytest.fixture
def open_page(browser: browserkit.Browser, request: pytest.FixtureRequest,
              artifacts: Path) -> Iterator[Callable[[str], tuple[browserkit.Page, browserkit.ConsoleLog]]]:
    """A factory of fresh browser pages that only reach this machine, with their console
    errors collected; every page is closed after the test (a screenshot is kept if it failed)."""
    opened: list[browserkit.Page] = []

    def factory(local_base: str) -> tuple[browserkit.Page, browserkit.ConsoleLog]:
        context = browser.new_context(viewport=browserkit.VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(30_000)
        browserkit.block_internet(page, [local_base])
        console = browserkit.ConsoleLog()
        console.attach(page)
        opened.append(page)
        return page, console

    yield factory
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for index, page in enumerate(opened):
        if failed:
            name = f"FAILED-{request.node.name}-{index}.png".replace("/", "_")
            page.screenshot(path=str(artifacts / name))
        page.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Remember each phase's report on the test item (the page fixture reads it)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def run_clock() -> Iterator[dict[str, float]]:
    """Seconds spent per lesson and view, printed at the end of the run."""
    times: dict[str, float] = {}
    start = time.monotonic()
    yield times
    if times:
        print("\nbrowser timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in times.items())
              + f"; total {time.monotonic() - start:.1f}")
