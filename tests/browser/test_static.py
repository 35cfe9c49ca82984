"""Static views: nbconvert's HTML export of each notebook, as GitHub, nbviewer or a printed
page shows it, with no kernel and no widget. Every question and chart must be readable
there, and no answer may leak."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import browserkit as kit
import pytest

from rolelib.lessons import LESSONS, Lesson

LESSON_PARAMS = [pytest.param(item, id=item.slug) for item in LESSONS]


def _output_text(notebook: Path) -> str:
    """Every string held in the notebook's outputs and metadata (where an answer could hide)."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    strings: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(content.get("metadata", {}))
    for cell in content.get("cells", []):
        walk(cell.get("outputs", []))
        walk(cell.get("metadata", {}))
    return kit.StaticView.parse("".join(strings)).text + " " + kit.squash_spaces(" ".join(strings))


@pytest.mark.parametrize("lesson", LESSON_PARAMS)
def test_html_export_shows_questions_and_charts_but_no_answer(lesson: Lesson, lesson_notebook: Path,
                                                             question_banks: dict) -> None:
    """Each question's prompt and options, each chart with its description; no explanation."""
    view = kit.StaticView.export(lesson_notebook)
    plan = kit.NotebookPlan.read(lesson_notebook)
    ids = plan.question_ids(question_banks)
    cells = json.loads(lesson_notebook.read_text(encoding="utf-8"))["cells"]
    if (ids or plan.chart_calls) and not any(cell.get("outputs") for cell in cells):
        pytest.fail(f"{lesson.filename} is committed without outputs: run it and save it executed")
    for qid in ids:
        question = question_banks[qid]
        assert view.shows(kit.visible_text(question.prompt)), f"{qid}: prompt missing from the export"
        if question.kind in ("single", "multiple"):
            for option in question.options:
                assert view.shows(option), f"{qid}: option {option!r} missing from the export"
    assert len(view.png_images) >= plan.chart_calls, (
        f"{len(view.png_images)} PNG images for {plan.chart_calls} chart calls")
    for image in view.png_images:
        alt = kit.squash_spaces(image.get("alt", ""))
        assert alt, "a chart in the export has no alt text"
        assert view.shows(alt), f"the description of a chart is not visible text: {alt[:60]}"
    hidden = _output_text(lesson_notebook)
    for qid in ids:
        question = question_banks[qid]
        explanation = kit.visible_text(question.explanation)[:80]
        assert not view.shows(explanation), f"{qid}: the export shows the explanation (the answer)"
        assert explanation not in hidden, f"{qid}: the notebook's outputs or metadata hold the explanation"


def test_an_export_reads_well_in_the_browser(course_notebooks: Path, request: pytest.FixtureRequest,
                                             browser_workdir: Path, artifacts: Path) -> None:
    """One export opened in chromium (offline): charts load and have accessible names, the
    first question is visible; a screenshot is kept."""
    present = [lesson for lesson in LESSONS if (course_notebooks / lesson.filename).exists()]
    if not present:
        pytest.skip(f"no lesson notebook exists yet in {course_notebooks}")
    open_page = request.getfixturevalue("open_page")
    question_banks: dict = request.getfixturevalue("question_banks")
    lesson = present[0]
    view = kit.StaticView.export(course_notebooks / lesson.filename)
    target = browser_workdir / f"{lesson.slug}.html"
    target.write_text(view.html, encoding="utf-8")
    page, console = open_page("file://")
    page.goto(target.as_uri(), wait_until="load")
    for image in kit.chart_images(page.locator("body")):
        assert image["loaded"], "a chart image did not load in the export"
        assert page.get_by_role("img", name=image["alt"], exact=True).count() >= 1
    ids = kit.NotebookPlan.read(course_notebooks / lesson.filename).question_ids(question_banks)
    if ids:
        prompt = kit.visible_text(question_banks[ids[0]].prompt)[:60]
        assert page.get_by_text(prompt).first.is_visible(), f"the first question is not visible: {prompt}"
    page.screenshot(path=str(artifacts / f"static-{lesson.slug}.png"), full_page=True)
    if lesson.slug == "00_start_here":  # the one static view the README shows
        kit.keep_screenshot(page, f"static-{lesson.slug}.png", page.get_by_text(prompt).first if ids else None)
    assert console.errors == [], "\n".join(console.errors)
