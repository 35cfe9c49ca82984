"""The final review served as an app with Voila: answer questions, see the score change."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import browserkit as kit
import pytest

from rolelib.lessons import lesson as find_lesson

REVIEW = find_lesson("06_review")


@pytest.fixture(scope="module")
def voila_server(course_notebooks: Path, browser: kit.Browser,
                 browser_workdir: Path) -> Iterator[kit.Server]:
    """Voila serving a copy of 06_review.ipynb, with a fresh progress store of its own."""
    source = course_notebooks / REVIEW.filename
    if not source.exists():
        pytest.skip(f"{REVIEW.filename} does not exist yet in {course_notebooks}")
    root = kit.copy_notebooks(course_notebooks, browser_workdir / "voila_root")
    server = kit.start_voila(root / REVIEW.filename, browser_workdir, browser_workdir / "voila_progress.sqlite3")
    yield server
    server.stop()


def test_review_as_a_voila_app(voila_server: kit.Server, course_notebooks: Path, open_page,
                               question_banks: dict, artifacts: Path, run_clock: dict) -> None:
    """Every exercise renders and no code shows; answers get feedback with their score; on
    the next visit the answers are back and the score chart describes the new score."""
    start = time.monotonic()
    page, console = open_page(voila_server.base)
    plan = kit.NotebookPlan.read(course_notebooks / REVIEW.filename)
    ids = plan.question_ids(question_banks)
    assert ids, f"{REVIEW.filename} shows no exercise"

    def visit() -> list[str]:
        page.goto(voila_server.url("/"), wait_until="domcontentloaded")
        page.locator(kit.EXERCISE).nth(len(ids) - 1).wait_for(timeout=kit.NOTEBOOK_RUN_S * 1000)
        page.locator(kit.CHART_IMAGE).nth(plan.chart_calls - 1).wait_for(timeout=kit.WIDGET_RENDER_S * 1000)
        return [image["alt"] for image in kit.chart_images(page.locator("body"))]

    charts_before = visit()
    assert page.locator(kit.EXERCISE).count() == len(ids)
    shown_text = page.locator("body").inner_text()
    assert 'exercise("' not in shown_text and 'quiz("' not in shown_text, "Voila shows the code cells"
    assert kit.error_outputs(page) == []
    assert len(charts_before) >= plan.chart_calls and all(charts_before)

    live_score = page.locator(".rolelib-score img").first
    score_before = live_score.get_attribute("alt")
    assert score_before and "No answers recorded yet" in score_before

    graded = [qid for qid in ids if kit.right_answer(question_banks[qid]) and kit.wrong_answer(question_banks[qid])]
    answers = [(qid, kit.right_answer(question_banks[qid]), "Score: 100 of 100") for qid in graded[:2]]
    answers += [(qid, kit.wrong_answer(question_banks[qid]), "Not quite") for qid in graded[2:3]]
    for qid, answer, expected in answers:
        exercise = kit.find_exercise(page, question_banks[qid]).first
        before = kit.feedback_text(exercise)
        kit.answer_by_clicks(exercise, answer)
        shown = kit.wait_for_feedback(exercise, before)
        assert expected in shown, f"{qid}: expected {expected!r} in {shown!r}"

    # The score panel redraws in place as answers are checked: no reload needed.
    deadline = time.monotonic() + kit.WIDGET_RENDER_S
    while live_score.get_attribute("alt") == score_before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "% (" in (live_score.get_attribute("alt") or ""), "the score panel did not update live"

    charts_after = visit()
    for qid, answer, _ in answers:
        assert kit.selected(kit.find_exercise(page, question_banks[qid]).first) == answer.shown(), (
            f"{qid}: the answer is not back on the next visit")
    assert charts_after != charts_before, "no chart description changed after answering (no score update)"
    kit.full_notebook_screenshot(page, artifacts / "voila-06_review.png")
    kit.keep_screenshot(page, "voila-06_review.png", kit.find_exercise(page, question_banks[answers[-1][0]]).first)
    kit.keep_screenshot(page, "voila-06_review-score.png", page.locator(".rolelib-score-panel").first, height=700)
    assert console.errors == [], "\n".join(console.errors)
    run_clock["voila 06_review"] = time.monotonic() - start


def test_the_servers_start_quietly(voila_server: kit.Server, request: pytest.FixtureRequest) -> None:
    """The course's own settings raise no deprecation, trust, root or unencrypted-kernel warning
    in JupyterLab's log or Voila's, after every page the browser tests opened."""
    lab_server: kit.Server = request.getfixturevalue("lab_server")
    for server in (lab_server, voila_server):
        assert kit.quiet_start_problems(server.log) == [], f"{server.name} log: {server.log}"
