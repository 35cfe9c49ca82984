"""Calling exercises: one call each, unknown names listing the valid ones, labelled widgets, checks reading no files."""

from __future__ import annotations

import html

import pytest

import rolelib
from rolelib import exercises
from rolelib import UnknownNameError
from rolelib.exercises import answer_key, exercise, instructor_mode, quiz
from rolelib.testing import answer, correct_answer, items, retry
from tests.helpers import attempt_count

pytestmark = pytest.mark.usefixtures("learner_mode")


def test_an_unknown_question_id_or_lesson_names_the_valid_ones():
    with pytest.raises(UnknownNameError, match="did you mean 'focus-1'") as caught:
        exercise("focus1")
    assert "focus-2" in str(caught.value) and isinstance(caught.value, KeyError)
    for call in (quiz, answer_key):
        instructor_mode(True)
        with pytest.raises(UnknownNameError, match="the lessons are: 00_start_here, 01_focus"):
            call("01_focs")


@pytest.mark.parametrize("question_id, wrong, listed", [
    ("focus-1", "The CFO", "the options of focus-1 are: Protecting"),
    ("focus-2", ["The CFO"], "the options of focus-2 are: Protecting"),
    ("resp-1", {"R-XYZ-01": "CIO"}, "the items of resp-1 are: R-"),
])
def test_an_answer_naming_what_the_question_does_not_have_names_the_valid_ones(question_id, wrong, listed):
    shown = exercise(question_id)
    with pytest.raises(UnknownNameError, match=listed):
        answer(shown, wrong)


def test_data_dir_keeps_working_for_one_release(data_copy):
    with pytest.deprecated_call(match="data="):
        assert exercise("focus-1", data_dir=data_copy).question.file == "questions/01_focus.yaml"
    with pytest.deprecated_call():
        assert len(quiz("01_focus", data_dir=data_copy).exercises) == len(quiz("01_focus").exercises)


def test_a_quiz_shows_every_question_of_a_lesson_in_order():
    shown = quiz("03_education_and_experience")
    assert [ex.question.id for ex in shown.exercises] == ["edu-1", "edu-2", "edu-3", "edu-4", "edu-5", "edu-6"]
    bundle = shown._repr_mimebundle_()
    assert bundle["text/html"].count("Run this notebook to answer this question interactively.") == 6
    assert "rolelib-quiz" in shown.widget._dom_classes
    with pytest.raises(KeyError):
        quiz("03_education")


def test_widgets_are_standard_labelled_controls_with_css_classes():
    for question_id in ("focus-1", "focus-2", "resp-1", "cert-1", "start-3"):
        ex = exercise(question_id)
        assert {"rolelib-exercise", f"rolelib-kind-{ex.question.kind}"} <= set(ex.widget._dom_classes)
        assert "rolelib-check" in ex.check_button._dom_classes and "rolelib-feedback" in ex.feedback_widget._dom_classes
        assert "rolelib-hint" in ex.hint_button._dom_classes and "rolelib-retry" in ex.retry_button._dom_classes
        for box in ex.inputs:
            label = box.options if ex.question.kind == "single" else box.description
            assert label and all(label), f"{question_id}: every control has a visible label"
    dropdowns = exercise("resp-1").inputs
    assert [html.unescape(box.description) for box in dropdowns] == items(exercise("resp-1"))


def test_check_reads_no_files(monkeypatch):
    ex = exercise("resp-4")
    right = correct_answer(ex)

    def forbidden(*args, **kwargs):
        raise AssertionError("Check must not reload the data or the banks")

    monkeypatch.setattr(rolelib.data, "load", forbidden)
    monkeypatch.setattr(rolelib.questions, "load_banks", forbidden)
    monkeypatch.setattr(exercises, "load_banks", forbidden)
    for _ in range(3):
        answer(ex, right)
        ex.check_button.click()
        retry(ex)
    assert attempt_count() == 3
