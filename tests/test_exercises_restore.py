"""Exercises after a kernel restart: the last answer and its result come back, unless it no longer fits."""

from __future__ import annotations

import pytest

from rolelib import progress
from rolelib.exercises import exercise
from rolelib.questions import load_banks
from rolelib.testing import answer, check, correct_answer, feedback, hint, retry
from tests.helpers import CSO_OPTION, char_counter, latest

pytestmark = pytest.mark.usefixtures("learner_mode")

RESTORE = [
    ("focus-1", CSO_OPTION, "✗ Not quite."),
    ("focus-2", ["Reducing security risks"], "✗ Not quite. 1 of 4 right answers ticked"),
    ("report-1", {"CEO": "both the CIO and the CISO", "COO": "the CIO", "CTO": "the CISO", "CIO": "the CISO",
                  "CSO": "neither, in the source"}, "✓ Correct."),
    ("cert-1", {"CISSP": "CISO", "CGEIT": "CIO", "CISM": "CIO", "PMP": "CIO"}, "✗ Not quite. 3 of 4 right."),
    ("start-3", "Saved before the restart.", "✓ Saved."),
]


@pytest.mark.parametrize("question_id, given, shown", RESTORE, ids=[case[0] for case in RESTORE])
def test_a_new_exercise_restores_the_last_answer_and_its_result(question_id, given, shown):
    first = exercise(question_id)
    answer(first, given)
    hint(first)
    check(first)
    again = exercise(question_id)  # as after a kernel restart: a new object, the same store
    assert again is not first
    assert again.value == given
    assert feedback(again).startswith(shown)
    assert "your last answer, saved" in feedback(again)
    assert again.hints_used == 1 and "Hints used: 1 of" in again.hints_widget.value
    assert again.check_button.disabled and not again.retry_button.disabled
    retry(again)
    assert not again.check_button.disabled and again.value == given


@pytest.mark.parametrize("question_id", ["focus-1", "focus-2", "report-1", "resp-4"])
def test_a_restored_answer_shows_the_score_after_the_hints_used(question_id):
    first = exercise(question_id)
    hint(first)
    answer(first, correct_answer(first))
    assert "Score: 90 of 100 points (1 hint used: −10)." in check(first)
    again = exercise(question_id)
    assert feedback(again).startswith("✓ Correct. Score: 90 of 100 points (1 hint used: −10).")
    assert again.result.score == 0.9 == latest(question_id).score


def test_a_restored_answer_counts_no_more_hints_than_the_question_has():
    """The bank lost a hint since the answer (or the store was edited): the score shown is the one the class report and
    the learner's summary give, which count the hints the question has."""
    question = load_banks()["focus-2"]
    progress.store().record(progress.Attempt("focus-2", question.lesson, question.topic, "multiple",
                                             list(question.answer), True, 0.5, 5))
    again = exercise("focus-2")
    assert feedback(again).startswith("✓ Correct. Score: 80 of 100 points (2 hints used: −20).")
    assert again.result.points == 80


def test_a_reflection_of_exactly_the_maximum_length_is_saved_and_restored():
    ex = exercise("start-3")
    text = "x" * ex.question.max_chars
    answer(ex, text)
    assert char_counter(ex).value == f"{len(text)} of {len(text)} characters", "not one character too many"
    assert check(ex).startswith("✓ Saved.")
    again = exercise("start-3")
    assert again.value == text and feedback(again).startswith("✓ Saved.")


def test_the_classify_answer_is_restored_too():
    first = exercise("review-2")
    answer(first, correct_answer(first))
    check(first)
    again = exercise("review-2")
    assert again.value == correct_answer(first) and feedback(again).startswith("✓ Correct.")


@pytest.mark.parametrize("question_id, kind, stored", [
    ("focus-1", "single", "An option since removed"),
    ("focus-2", "multiple", ["Reducing security risks", "An option since removed"]),
    ("focus-2", "multiple", []),
    ("cert-1", "match", {"CISSP": "CISO", "CGEIT": "CIO", "CISM": "CISO"}),  # an item added since
    ("cert-1", "match", {"CISSP": "CISO", "CGEIT": "CIO", "CISM": "CISO", "PMP": "CTO"}),  # a choice since removed
])
def test_a_stored_answer_that_no_longer_fits_the_question_is_not_restored(question_id, kind, stored):
    question = load_banks()[question_id]
    progress.store().record(progress.Attempt(question_id, question.lesson, question.topic, kind, stored, False, 0.0, 0))
    ex = exercise(question_id)
    assert not ex.value and not ex.check_button.disabled
    assert feedback(ex).startswith("Your saved answer no longer fits this question (it has changed since you answered)")
