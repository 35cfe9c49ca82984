"""The instructor notebooks (notebooks/instructor/) in JupyterLab: they run from a fresh
kernel with no error, their charts have descriptions, and the console stays clean."""

from __future__ import annotations

import time
from pathlib import Path

import browserkit as kit
import pytest

INSTRUCTOR_NOTEBOOKS = ("guide.ipynb", "class_report.ipynb")


@pytest.mark.parametrize("name", INSTRUCTOR_NOTEBOOKS)
def test_instructor_notebook_runs_in_jupyterlab(name: str, course_notebooks: Path, request: pytest.FixtureRequest,
                                                artifacts: Path, run_clock: dict) -> None:
    """Restart and Run All: every cell runs, no traceback or broken widget, every chart image
    has alt text, no console error from the course."""
    path = course_notebooks / "instructor" / name
    if not path.exists():
        pytest.skip(f"instructor/{name} does not exist yet in {course_notebooks}")
    lab_server: kit.Server = request.getfixturevalue("lab_server")
    page, console = request.getfixturevalue("open_page")(lab_server.base)
    start = time.monotonic()
    kit.open_notebook(page, lab_server.url(f"/lab/tree/instructor/{name}?reset"))
    run = kit.restart_and_run_all(page)
    assert not run.errors and run.complete, run
    assert kit.error_outputs(page) == []
    plan = kit.NotebookPlan.read(path)
    images = kit.chart_images(page.locator(".jp-NotebookPanel"))
    assert len(images) >= plan.chart_calls
    assert all(image["alt"] and image["alt"] != kit.LAB_DEFAULT_ALT for image in images)
    kit.full_notebook_screenshot(page, artifacts / f"lab-instructor-{Path(name).stem}.png")
    assert console.errors == [], "\n".join(console.errors)
    kit.shutdown_kernels(lab_server)
    run_clock[f"instructor {name}"] = time.monotonic() - start
