"""Practice and exam modes, as a learner and an instructor meet them: settings, Check, Submit, release, exports
(the submission file itself: tests/test_modes_submission.py)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone

import pytest

import rolelib
from rolelib import exercises, progress
from rolelib._markup import html_to_text
from rolelib.modes import course_settings, submitted_at
from rolelib.progress.export import parse_export
from rolelib.questions import load_banks
from rolelib.testing import answer, check, correct_answer, feedback, retry
from tests.helpers import normalised_states, other_answer, widget_states

WRONG_FOCUS = "Securing the organisation's buildings, facilities and staff"


@pytest.fixture(autouse=True)
def _course_folder(tmp_path, monkeypatch):
    """Each test runs in a course folder of its own, with no settings file and no mode variables."""
    for variable in ("ROLELIB_MODE", "ROLELIB_HINTS", "ROLELIB_RELEASE", "ROLELIB_SETTINGS"):
        monkeypatch.delenv(variable, raising=False)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    exercises.instructor_mode(None)


@pytest.fixture
def exam(monkeypatch):
    monkeypatch.setenv("ROLELIB_MODE", "exam")


def _settings_file(tmp_path, text: str) -> None:
    (tmp_path / "course_settings.yaml").write_text(text, encoding="utf-8")


def _secrets(question) -> list[str]:
    """What must not reach the learner before feedback is released: the explanation and the misconception feedback."""
    return [question.explanation[:50], *question.feedback.values()]


# --- the instructor's settings ------------------------------------------------------------------------

def test_practice_is_the_default_and_the_file_beside_the_notebooks_sets_the_mode(tmp_path):
    assert course_settings().mode == "practice"
    _settings_file(tmp_path, "mode: exam\nhints: false\nrelease: 2026-12-15T17:00:00Z\n")
    settings = course_settings()
    assert (settings.mode, settings.hints, settings.release) == (
        "exam", False, datetime(2026, 12, 15, 17, tzinfo=timezone.utc))
    assert "course_settings.yaml" in settings.source


def test_a_notebook_in_a_subfolder_of_notebooks_reads_the_course_folders_file(tmp_path, monkeypatch):
    (tmp_path / "notebooks" / "instructor").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks" / "instructor")
    _settings_file(tmp_path, "mode: exam\n")
    assert course_settings().mode == "exam"


def test_the_file_beside_the_notebook_wins_over_the_course_folders(tmp_path, monkeypatch):
    (tmp_path / "notebooks" / "exam").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks" / "exam")
    _settings_file(tmp_path, "mode: practice\n")
    (tmp_path / "notebooks" / "exam" / "course_settings.yaml").write_text("mode: exam\n", encoding="utf-8")
    assert course_settings().mode == "exam"


def test_a_release_time_without_a_zone_is_utc_whatever_the_computers_zone(tmp_path, monkeypatch):
    import time

    _settings_file(tmp_path, "mode: exam\nrelease: 2026-12-15T17:00:00\n")
    try:
        with monkeypatch.context() as patched:
            patched.setenv("TZ", "America/New_York")
            time.tzset()
            assert course_settings().release == datetime(2026, 12, 15, 17, tzinfo=timezone.utc)
    finally:
        time.tzset()


def test_the_environment_variable_wins_over_the_file(tmp_path, monkeypatch):
    _settings_file(tmp_path, "mode: exam\nhints: false\n")
    monkeypatch.setenv("ROLELIB_MODE", "practice")
    monkeypatch.setenv("ROLELIB_HINTS", "on")
    settings = course_settings()
    assert (settings.mode, settings.hints, settings.source) == ("practice", True, "the environment variable ROLELIB_MODE")


def test_a_settings_file_without_a_mode_leaves_practice_mode_from_the_default(tmp_path):
    _settings_file(tmp_path, "hints: false\n")
    settings = course_settings()
    assert (settings.mode, settings.hints, settings.source) == ("practice", False, "the default")


def test_the_mode_may_be_written_in_capitals_in_the_file_and_the_variable(tmp_path, monkeypatch):
    _settings_file(tmp_path, "mode: Exam\n")
    assert course_settings().mode == "exam"
    monkeypatch.setenv("ROLELIB_MODE", "PRACTICE")
    assert course_settings().mode == "practice"


@pytest.mark.parametrize(("text", "expected"), [
    ("mode: exma\n", "did you mean 'exam'"),
    ("mode: exam\nhints: maybe\n", "expected true or false"),
    ("mode: exam\nrelease: next week\n", "expected a time such as"),
    ("mode: exam\nfeedback: later\n", "unknown key(s) feedback"),
    ("mode: exam\nrelease: 2026-13-45\n", "line 2: expected a date that exists"),
    ("mode: exam\nhints: false\nmode: practice\n", "line 3, key 'mode': expected the key 'mode' once"),
])
def test_a_setting_the_course_cannot_use_names_the_file_and_what_is_expected(tmp_path, text, expected):
    _settings_file(tmp_path, text)
    with pytest.raises(ValueError, match="course_settings.yaml") as caught:
        course_settings()
    assert expected in str(caught.value)


@pytest.mark.parametrize("make", [lambda path: path.mkdir(), lambda path: path.symlink_to(path.parent / "gone.yaml")],
                         ids=["folder", "dangling link"])
def test_a_settings_file_that_is_not_a_file_is_refused_not_passed_over(tmp_path, make):
    make(tmp_path / "course_settings.yaml")  # a container's mount of a missing file makes a folder by that name
    with pytest.raises(ValueError, match="cannot read the course settings .*course_settings.yaml: it is a"):
        course_settings()


# --- exam mode: Check records, nothing more -----------------------------------------------------------

def test_in_exam_mode_check_records_the_answer_without_verdict_score_or_explanation(exam):
    ex = rolelib.exercise("focus-1")
    assert "Exam mode" in ex.widget.children[0].value, "the learner sees which mode is on"
    answer(ex, WRONG_FOCUS)
    text = check(ex)
    assert text.startswith("✓ Answer recorded.")
    for word in ("Correct", "Not quite", "Score", "points", *_secrets(ex.question)):
        assert word not in text
    assert ex.result is None and progress.store().last_attempt("focus-1").answer == WRONG_FOCUS
    assert not ex.check_button.disabled, "the learner may change the answer until they submit"
    answer(ex, correct_answer(ex))
    check(ex)
    assert progress.store().last_attempt("focus-1").answer == correct_answer(ex)
    restored = rolelib.exercise("focus-1")
    assert restored.feedback_text.startswith("✓ Answer recorded (your last answer") and restored.result is None


def test_practice_mode_shows_no_mode_line_and_keeps_instant_feedback():
    ex = rolelib.exercise("focus-1")
    assert "Exam mode" not in ex.widget.children[0].value
    answer(ex, correct_answer(ex))
    assert check(ex).startswith("✓ Correct.")


def test_hints_can_be_turned_off_for_the_exam(exam, monkeypatch):
    question = next(q for q in load_banks().values() if q.hints and q.graded)
    assert rolelib.exercise(question.id).hint_button is not None
    monkeypatch.setenv("ROLELIB_HINTS", "off")
    ex = rolelib.exercise(question.id)
    assert ex.hint_button is None and ex.hint() == "" and "hint" not in ex.widget.children[0].value.lower()


def test_hints_switched_off_for_the_exam_are_still_offered_in_practice_mode(tmp_path):
    _settings_file(tmp_path, "hints: false\n")
    question = next(q for q in load_banks().values() if q.hints and q.graded)
    ex = rolelib.exercise(question.id)
    assert ex.hint_button is not None and ex.hint() == question.hints[0]


def test_the_exam_mode_line_tells_the_learner_the_release_time(exam, monkeypatch):
    monkeypatch.setenv("ROLELIB_RELEASE", "2999-12-15T17:00:00Z")
    line = "not before 2999-12-15 17:00 UTC"
    assert line in rolelib.exercise("focus-1").widget.children[0].value
    assert line in rolelib.submit_panel().status.value


def test_no_answer_key_verdict_or_explanation_reaches_the_widgets_in_exam_mode_before_submission(exam):
    data = rolelib.load()
    for question in load_banks().values():
        if not question.graded:
            continue
        shown = exercises.Exercise(question, data=data)
        answer(shown, correct_answer(shown))
        check(shown)
        states = json.dumps(widget_states(shown.widget), default=str)
        for secret in _secrets(question):
            assert secret not in states, f"{question.id}: {secret[:40]!r} is in the widget state"
        assert "rolelib-correct" not in states and "rolelib-wrong" not in states, question.id
        twin = exercises.Exercise(dataclasses.replace(question, answer=other_answer(question)), data=data)
        answer(twin, correct_answer(shown))  # the same answer, wrong for the twin
        check(twin)
        assert normalised_states(twin.widget) == normalised_states(shown.widget), f"{question.id}: the widgets show the grade"
        bundle = shown._repr_mimebundle_()
        for mime in ("text/plain", "text/html"):
            assert not any(secret in bundle[mime] for secret in _secrets(question)), question.id


def test_an_executed_exam_notebook_stores_no_verdict_or_explanation(exam, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    question = load_banks()["focus-1"]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "import rolelib\nfrom rolelib.testing import answer, check, correct_answer\n"
        "ex = rolelib.exercise('focus-1')\nanswer(ex, correct_answer(ex))\ncheck(ex)\nex"),
        nbformat.v4.new_code_cell("rolelib.submit_panel()")]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    stored = nbformat.writes(notebook)
    assert "Answer recorded" in stored and "Exam mode" in stored
    for secret in [*_secrets(question), "Correct.", "Score:"]:
        assert secret not in stored


# --- Submit -------------------------------------------------------------------------------------------

def test_submit_asks_first_then_locks_the_answers_and_shows_feedback_and_score(exam):
    ex = rolelib.exercise("focus-1")
    answer(ex, correct_answer(ex))
    check(ex)
    reflection = rolelib.exercise("start-3")
    answer(reflection, "Both roles matter, for different reasons.")
    check(reflection)  # saved, but not one of the graded questions counted
    panel = rolelib.submit_panel()
    assert "You have answered 1 of the" in panel.status.value
    panel.button.click()
    assert "Submit now?" in panel.status.value and submitted_at() is None
    panel.cancel.click()
    assert submitted_at() is None and panel.buttons.children == (panel.button,)
    panel.button.click()
    panel.confirm.click()
    assert submitted_at() is not None
    assert "Your score:" in panel.status.value and load_banks()["focus-1"].explanation[:40] in panel.status.value
    assert "Question focus-2\nNot answered." in html_to_text(panel.status.value)
    assert feedback(ex).startswith("✓ Correct."), "the exercises shown update when the learner submits"
    assert ex.check_button.disabled and all(box.disabled for box in ex.inputs)
    answer(ex, WRONG_FOCUS)
    check(ex)
    assert progress.store().last_attempt("focus-1").answer == correct_answer(ex), "a submitted answer stands"


def test_a_submitted_exam_never_offers_try_again(exam):
    ex = rolelib.exercise("focus-1")
    answer(ex, WRONG_FOCUS)
    check(ex)
    panel = rolelib.submit_panel()
    panel.submit()
    assert feedback(ex).startswith("✗ Not quite.") and "Try again" not in feedback(ex)
    assert "Not quite" in panel.status.value and "Try again" not in panel.status.value
    row = next(child for child in ex.widget.children if "rolelib-buttons" in child._dom_classes)
    assert "Try again" not in [button.description for button in row.children]


def test_a_course_switched_back_to_practice_after_the_exam_takes_answers_again(exam, monkeypatch):
    ex = rolelib.exercise("focus-1")
    answer(ex, WRONG_FOCUS)
    check(ex)
    rolelib.submit_panel().submit()
    monkeypatch.setenv("ROLELIB_MODE", "practice")
    unanswered = rolelib.exercise("focus-2")
    assert feedback(unanswered) == "" and not unanswered.check_button.disabled
    again = rolelib.exercise("focus-1")
    retry(again)
    answer(again, correct_answer(again))
    assert check(again).startswith("✓ Correct.")
    assert progress.store().last_attempt("focus-1").answer == correct_answer(again)


def test_a_restart_keeps_the_answers_locked(exam, monkeypatch):
    ex = rolelib.exercise("focus-1")
    answer(ex, WRONG_FOCUS)
    check(ex)
    rolelib.submit_panel().submit()
    store_file = progress.store().path
    monkeypatch.setenv("ROLELIB_PROGRESS", ":memory:")
    progress.store()
    monkeypatch.setenv("ROLELIB_PROGRESS", str(store_file))  # a new store on the same file, as after a restart
    again = rolelib.exercise("focus-1")
    assert again.check_button.disabled and again.value == WRONG_FOCUS
    assert feedback(again).startswith("✗ Not quite.")


def test_before_the_release_time_a_submitted_exam_shows_no_feedback(exam, monkeypatch):
    later = datetime.now(timezone.utc) + timedelta(days=1)
    monkeypatch.setenv("ROLELIB_RELEASE", later.isoformat())
    ex = rolelib.exercise("focus-1")
    answer(ex, correct_answer(ex))
    check(ex)
    panel = rolelib.submit_panel()
    panel.submit()
    assert "appear here after" in panel.status.value and "Your score" not in panel.status.value
    assert panel.buttons.children == (), "nothing left to press until the release"
    assert feedback(ex).startswith("✓ Submitted") and ex.check_button.disabled
    assert not any(secret in json.dumps(widget_states(ex.widget)) for secret in _secrets(ex.question))
    monkeypatch.setenv("ROLELIB_RELEASE", (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat())
    assert "Your score: " in rolelib.submit_panel().status.value
    assert feedback(rolelib.exercise("focus-1")).startswith("✓ Correct.")


def test_a_release_time_set_while_the_notebook_is_open_holds_for_the_exercises_already_shown(exam, monkeypatch):
    ex = rolelib.exercise("focus-1")
    answer(ex, correct_answer(ex))
    check(ex)
    monkeypatch.setenv("ROLELIB_RELEASE", (datetime.now(timezone.utc) + timedelta(days=1)).isoformat())
    rolelib.submit_panel().submit()
    assert feedback(ex).startswith("✓ Submitted") and "Correct" not in feedback(ex)


def test_after_the_release_time_an_exam_not_yet_submitted_still_shows_no_feedback(exam, monkeypatch):
    monkeypatch.setenv("ROLELIB_RELEASE", (datetime.now(timezone.utc) - timedelta(days=1)).isoformat())
    ex = rolelib.exercise("focus-1")
    answer(ex, correct_answer(ex))
    assert check(ex).startswith("✓ Answer recorded.") and ex.result is None
    panel = rolelib.submit_panel()
    assert "Your score" not in panel.status.value and panel.buttons.children == (panel.button,)


def test_in_practice_mode_the_panel_says_there_is_nothing_to_submit():
    panel = rolelib.submit_panel()
    assert "Practice mode" in panel.status.value and panel.buttons.children == ()


# --- exports ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ada.json", "ada.csv"])
def test_an_export_records_the_mode_and_the_submission_time(exam, tmp_path, name):
    ex = rolelib.exercise("focus-1")
    answer(ex, WRONG_FOCUS)
    check(ex)
    before = parse_export(rolelib.export_progress(tmp_path / name, "Ada"))
    assert (before.mode, before.submitted_at) == ("exam", "")
    rolelib.submit_panel().submit()
    after = parse_export(rolelib.export_progress(tmp_path / name, "Ada"))
    assert after.mode == "exam" and after.submitted_at == submitted_at() != ""


def test_an_export_written_before_modes_reads_as_practice_and_not_submitted(tmp_path):
    older = {"format": "rolelib-progress", "version": 2, "learner": "Ada", "account": None,
             "exported_at": "2025-03-03T00:00:00+00:00", "course_version": "0.1.0", "attempts": []}
    (tmp_path / "old.json").write_text(json.dumps(older), encoding="utf-8")
    export = parse_export(tmp_path / "old.json")
    assert (export.mode, export.submitted_at) == ("practice", "")


def test_a_question_left_unanswered_is_locked_once_the_exam_is_submitted(exam):
    rolelib.submit_panel().submit()
    ex = rolelib.exercise("focus-1")
    assert feedback(ex) == "✗ Not answered before you submitted." and ex.check_button.disabled
    answer(ex, WRONG_FOCUS)
    check(ex)
    assert progress.store().last_attempt("focus-1") is None
