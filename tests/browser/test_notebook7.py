"""One lesson, briefly, in Jupyter Notebook 7 (served by the same server as JupyterLab)."""

from __future__ import annotations

import time
from pathlib import Path

import browserkit as kit
import pytest

from rolelib.lessons import LESSONS

# The lesson tried here: the first difference, else the first lesson that exists.
PREFERRED = "01_focus"


def test_a_lesson_runs_and_answers_in_notebook_7(course_notebooks: Path, request: pytest.FixtureRequest,
                                                  artifacts: Path, run_clock: dict) -> None:
    """Restart and Run All in Notebook 7: no error, every exercise and chart rendered, no
    console error from the course, and a right answer entered with the mouse is confirmed."""
    present = [lesson for lesson in LESSONS if (course_notebooks / lesson.filename).exists()]
    if not present:
        pytest.skip(f"no lesson notebook exists yet in {course_notebooks}")
    lab_server: kit.Server = request.getfixturevalue("lab_server")
    open_page = request.getfixturevalue("open_page")
    question_banks: dict = request.getfixturevalue("question_banks")
    lesson = next((item for item in present if item.slug == PREFERRED), present[0])
    start = time.monotonic()
    page, console = open_page(lab_server.base)
    kit.open_notebook(page, lab_server.url(f"/notebooks/{lesson.filename}"))
    run = kit.restart_and_run_all(page)
    assert run.complete and not run.errors, run
    assert kit.error_outputs(page) == []

    plan = kit.NotebookPlan.read(course_notebooks / lesson.filename)
    ids = plan.question_ids(question_banks)
    if ids:
        page.locator(kit.EXERCISE).nth(len(ids) - 1).wait_for(timeout=kit.WIDGET_RENDER_S * 1000)
    assert page.locator(kit.EXERCISE).count() == len(ids)
    images = kit.chart_images(page.locator("body"))
    assert len(images) >= plan.chart_calls and all(image["alt"] for image in images)

    graded = [qid for qid in ids if kit.right_answer(question_banks[qid])]
    if graded:
        question = question_banks[graded[0]]
        exercise = kit.find_exercise(page, question).first
        before = kit.feedback_text(exercise)
        kit.answer_by_clicks(exercise, kit.right_answer(question))
        assert "Correct" in kit.wait_for_feedback(exercise, before)
        kit.keep_screenshot(page, f"notebook7-{lesson.slug}.png", exercise)
    kit.full_notebook_screenshot(page, artifacts / f"notebook7-{lesson.slug}.png")
    assert console.errors == [], "\n".join(console.errors)
    kit.shutdown_kernels(lab_server)
    run_clock[f"notebook7 {lesson.slug}"] = time.monotonic() - start
