"""What the browser tests share: the servers they start, the browser pages they drive.

The tests use it as one module (``import browserkit as kit``); its parts: ``chromium`` (the
browser and its console), ``servers`` (JupyterLab and Voila), ``notebooks`` (a notebook in the
page), ``answers`` (an exercise in the page) and ``static_view`` (accessibility, the text a
reader sees). Nothing here starts anything on import; ``conftest.py`` builds the fixtures from
it. Playwright is imported only inside functions, so the unit suite collects this package even
where the browser extras are not installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .answers import (
    Answer,
    answer_by_clicks,
    answer_by_keyboard,
    choose_in_lists_by_keyboard,
    feedback_text,
    find_exercise,
    right_answer,
    selected,
    wait_for_feedback,
    wrong_answer,
)
from .chromium import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_PLACES,
    IGNORED_CONSOLE,
    INSTALL_HINT,
    VIEWPORT,
    ConsoleLog,
    IgnoreRule,
    block_internet,
    find_chromium,
    launch_chromium,
)
from .notebooks import (
    CHART_IMAGE,
    CHECK_BUTTON,
    COURSE_OUTPUTS,
    EXERCISE,
    EXPLORER,
    FEEDBACK,
    LAB_DEFAULT_ALT,
    NOTEBOOK_RUN_S,
    SCREENSHOT_WIDTH,
    SCREENSHOTS,
    WIDGET_RENDER_S,
    NotebookPlan,
    RunResult,
    chart_images,
    error_outputs,
    full_notebook_screenshot,
    keep_screenshot,
    open_notebook,
    restart_and_run_all,
    wait_until_run,
)
from .servers import (
    REPO,
    SERVER_START_S,
    VOILA_READY_PATH,
    Server,
    copy_notebooks,
    course_env,
    quiet_start_problems,
    shutdown_kernels,
    start_jupyterlab,
    start_voila,
)
from .static_view import StaticView, axe_audit, squash_spaces, visible_text

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

