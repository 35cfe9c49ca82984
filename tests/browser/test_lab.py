"""Every lesson in JupyterLab, in a real browser, as a learner meets it.

For each notebook: Restart Kernel and Run All Cells; no error output; every exercise and
every chart rendered; no console error from the course; answers entered with the mouse
and with the keyboard alone get the right feedback and survive a kernel restart; axe-core
finds no serious or critical problem inside the course's own outputs.

One notebook is opened and run once per lesson (a module-scoped fixture); the tests below
then look at that page in the order they are written.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import browserkit as kit
import pytest

from rolelib.lessons import LESSONS, Lesson

# The lesson whose chart and answered exercise the README shows (`make screenshots`).
SCREENSHOT_LESSON = "01_focus"
# Keys a keyboard-only learner uses; anything else (a click, a shortcut) does not count.
KEYBOARD_KEYS = {"Tab", "Shift+Tab", "ArrowDown", "ArrowUp", "Space", "Enter"}


@dataclass
class RenderedLesson:
    """One lesson open in JupyterLab after Restart and Run All."""

    lesson: Lesson
    page: kit.Page
    console: kit.ConsoleLog
    plan: kit.NotebookPlan
    run: kit.RunResult
    question_ids: list[str]
    banks: dict
    artifacts: Path
    answered: dict[str, kit.Answer] = field(default_factory=dict)

    def exercise(self, question_id: str) -> kit.Locator:
        """The exercise of this question on the page (exactly one)."""
        found = kit.find_exercise(self.page, self.banks[question_id])
        assert found.count() == 1, f"{found.count()} exercises on the page show {question_id}'s prompt"
        return found.first


@pytest.fixture(scope="module", params=[pytest.param(item, id=item.slug) for item in LESSONS])
def lesson(request: pytest.FixtureRequest) -> Lesson:
    """Each lesson in turn; all tests of this module run for one lesson before the next."""
    return request.param


@pytest.fixture(scope="module")
def rendered(lesson: Lesson, course_notebooks: Path, request: pytest.FixtureRequest,
             artifacts: Path, run_clock: dict) -> Iterator[RenderedLesson]:
    """The lesson opened in JupyterLab and run from a fresh kernel (Restart and Run All)."""
    path = course_notebooks / lesson.filename
    if not path.exists():
        pytest.skip(f"{lesson.filename} does not exist yet in {course_notebooks}")
    # Asked for only now, so that no server starts while no lesson exists yet.
    browser: kit.Browser = request.getfixturevalue("browser")
    lab_server: kit.Server = request.getfixturevalue("lab_server")
    question_banks: dict = request.getfixturevalue("question_banks")
    start = time.monotonic()
    context = browser.new_context(viewport=kit.VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    kit.block_internet(page, [lab_server.base])
    console = kit.ConsoleLog()
    console.attach(page)
    kit.open_notebook(page, lab_server.url(f"/lab/tree/{lesson.filename}?reset"))
    run = kit.restart_and_run_all(page)
    plan = kit.NotebookPlan.read(path)
    ids = plan.question_ids(question_banks)
    unknown = [qid for qid in ids if qid not in question_banks]
    assert not unknown, f"{lesson.filename} calls questions that are not in the banks: {unknown}"
    if ids:
        page.locator(kit.EXERCISE).nth(len(ids) - 1).wait_for(timeout=kit.WIDGET_RENDER_S * 1000)
    kit.full_notebook_screenshot(page, artifacts / f"lab-{lesson.slug}.png")
    yield RenderedLesson(lesson, page, console, plan, run, ids, question_banks, artifacts)
    run_clock[f"lab {lesson.slug}"] = time.monotonic() - start
    context.close()
    kit.shutdown_kernels(lab_server)


def test_run_all_completes_without_error_output(rendered: RenderedLesson) -> None:
    """Every code cell runs, in order, from a fresh kernel, and no output shows a traceback."""
    assert not rendered.run.errors, f"cells raised: {rendered.run.errors}"
    assert rendered.run.complete, f"not every cell ran after Restart and Run All: {rendered.run.counts}"
    assert kit.error_outputs(rendered.page) == []


def test_every_exercise_and_explorer_is_rendered(rendered: RenderedLesson) -> None:
    """As many exercise and explorer widgets as the notebook asks for, each exercise
    showing its question."""
    widgets = rendered.page.locator(kit.EXERCISE)
    assert widgets.count() == len(rendered.question_ids), (
        f"{widgets.count()} exercise widgets rendered; the notebook shows {len(rendered.question_ids)}")
    explorers = rendered.page.locator(kit.EXPLORER)
    assert explorers.count() == rendered.plan.explorer_calls, (
        f"{explorers.count()} explorers rendered; the notebook calls {rendered.plan.explorer_calls}")
    for qid in rendered.question_ids:
        exercise = rendered.exercise(qid)
        assert exercise.is_visible()
        assert exercise.locator(kit.CHECK_BUTTON).count() == 1, f"{qid} has no Check/Save button"


def test_every_chart_is_an_image_with_a_text_alternative(rendered: RenderedLesson) -> None:
    """Each chart is a loaded PNG whose alt text a screen reader reaches."""
    images = kit.chart_images(rendered.page.locator(".jp-NotebookPanel"))
    assert len(images) >= rendered.plan.chart_calls, (
        f"{len(images)} chart images for {rendered.plan.chart_calls} chart calls")
    for image in images:
        assert image["loaded"], "a chart image did not load"
        assert image["alt"] and image["alt"] != kit.LAB_DEFAULT_ALT, "a chart image has no alt text of its own"
        assert image["caption"] or not image["in_figure"], f"chart without a visible caption: {image['alt'][:60]}"
        assert not image["hidden"], f"chart hidden from screen readers: {image['alt'][:60]}"
        accessible = rendered.page.get_by_role("img", name=image["alt"], exact=True)
        assert accessible.count() >= 1, f"no image with the accessible name {image['alt'][:60]!r}"
    unnamed = rendered.page.locator(f":is({kit.COURSE_OUTPUTS}) img:not([alt]), "
                                    f":is({kit.COURSE_OUTPUTS}) img[alt='']")
    assert unnamed.count() == 0, "an image in the course's outputs has no alt text"


def test_no_console_error_from_the_course(rendered: RenderedLesson) -> None:
    """The browser console shows no error other than the documented unrelated ones."""
    assert rendered.console.errors == [], "\n".join(rendered.console.errors)


def test_answers_get_feedback_and_survive_a_kernel_restart(rendered: RenderedLesson) -> None:
    """One exercise answered right and one wrong with the mouse; the feedback says so; after
    Restart and Run All both answers and their verdicts are shown again."""
    banks, ids = rendered.banks, rendered.question_ids
    gradeable = [qid for qid in ids if kit.right_answer(banks[qid]) and kit.wrong_answer(banks[qid])]
    if len(gradeable) < 2:
        pytest.skip(f"{rendered.lesson.slug} shows fewer than two graded exercises")
    # A choice question answered right; a drop-down one (else the next) answered wrong.
    choice = [qid for qid in gradeable if banks[qid].kind in ("single", "multiple")]
    right_id = (choice or gradeable)[0]
    others = [qid for qid in gradeable if qid != right_id]
    wrong_id = next((qid for qid in others if banks[qid].kind in ("classify", "match")), others[0])
    plan = {right_id: (kit.right_answer(banks[right_id]), "Correct"),
            wrong_id: (kit.wrong_answer(banks[wrong_id]), "Not quite")}
    for qid, (answer, verdict) in plan.items():
        exercise = rendered.exercise(qid)
        before = kit.feedback_text(exercise)
        kit.answer_by_clicks(exercise, answer)
        shown = kit.wait_for_feedback(exercise, before)
        assert verdict in shown, f"{qid}: expected {verdict!r} in the feedback, got {shown!r}"
        rendered.answered[qid] = answer

    run = kit.restart_and_run_all(rendered.page)
    assert run.complete and not run.errors, f"second run: {run}"
    rendered.page.locator(kit.EXERCISE).nth(len(ids) - 1).wait_for(timeout=kit.WIDGET_RENDER_S * 1000)
    for qid, (answer, verdict) in plan.items():
        exercise = rendered.exercise(qid)
        kit.wait_for_feedback(exercise, "")
        assert kit.selected(exercise) == answer.shown(), f"{qid}: the earlier answer is not restored"
        assert verdict in kit.feedback_text(exercise), f"{qid}: the earlier verdict is not shown again"
    kit.full_notebook_screenshot(rendered.page, rendered.artifacts / f"lab-{rendered.lesson.slug}-answered.png")
    if rendered.lesson.slug == SCREENSHOT_LESSON:
        kit.keep_screenshot(rendered.page, f"lab-{SCREENSHOT_LESSON}-chart.png",
                            rendered.page.locator(f".jp-NotebookPanel {kit.CHART_IMAGE}").first, height=760)
        kit.keep_screenshot(rendered.page, f"lab-{SCREENSHOT_LESSON}-answered.png", rendered.exercise(wrong_id))


def _keyboard_exercise(rendered: RenderedLesson, kinds: tuple[str, ...], what: str) -> str:
    """The lesson's first exercise of one of ``kinds`` not yet answered on the page (else its first one);
    the test is skipped when the lesson has none."""
    found = [qid for qid in rendered.question_ids if rendered.banks[qid].kind in kinds]
    if not found:
        pytest.skip(f"{rendered.lesson.slug} has no {what}")
    return ([qid for qid in found if qid not in rendered.answered] or found)[0]


def test_an_exercise_is_completed_with_the_keyboard_alone(rendered: RenderedLesson) -> None:
    """Tab, arrows, Space and Enter are enough to answer a choice question and check it."""
    banks = rendered.banks
    qid = _keyboard_exercise(rendered, ("single", "multiple"), "single- or multiple-choice exercise")
    exercise = rendered.exercise(qid)
    before = kit.feedback_text(exercise)
    keys = kit.answer_by_keyboard(rendered.page, exercise, kit.right_answer(banks[qid]))
    assert set(keys) <= KEYBOARD_KEYS, keys
    shown = kit.wait_for_feedback(exercise, before)
    assert "Correct" in shown, f"{qid} answered with {keys}: feedback {shown!r}"


def test_a_drop_down_exercise_is_completed_with_the_keyboard_alone(rendered: RenderedLesson) -> None:
    """The keys its instructions name (Tab, Space, the arrows, Enter) answer a classify or match question,
    and no notebook shortcut fires on the way (no cell added, deleted or left)."""
    banks = rendered.banks
    qid = _keyboard_exercise(rendered, ("classify", "match"), "drop-down exercise")
    exercise = rendered.exercise(qid)
    before = kit.feedback_text(exercise)
    cells = rendered.page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.length")
    keys = kit.choose_in_lists_by_keyboard(rendered.page, exercise, kit.right_answer(banks[qid]))
    assert set(keys) <= KEYBOARD_KEYS, keys
    shown = kit.wait_for_feedback(exercise, before)
    assert "Correct" in shown, f"{qid} answered with {keys}: feedback {shown!r}"
    assert rendered.page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.length") == cells


def test_no_serious_accessibility_problem_in_the_course_outputs(rendered: RenderedLesson,
                                                                record_property: pytest.RecordProperty) -> None:
    """axe-core: no serious or critical violation inside exercises, feedback and charts; the
    count of everything else on the page (JupyterLab's own) is reported, not failed."""
    audit = kit.axe_audit(rendered.page)
    serious = [v for v in audit["course"] if v["impact"] in ("serious", "critical")]
    record_property("axe_course_violations", len(audit["course"]))
    record_property("axe_other_violations", len(audit["other"]))
    print(f"\naxe {rendered.lesson.slug}: {len(audit['course'])} in course outputs "
          f"({len(serious)} serious/critical), {len(audit['other'])} elsewhere on the page")
    assert not serious, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['target']}: {v['html']}"
                                  for v in serious)
