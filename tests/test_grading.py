"""Each kind grades by its documented rule, and what the feedback says matches the score."""

from __future__ import annotations

import itertools

import pytest

import rolelib
from rolelib import progress
from rolelib.kinds import KINDS, Grade

OPTIONS = ("Risk", "Compliance", "Growth", "Cost cutting.")
RIGHT = ("Risk", "Compliance")


def _multiple(**changes):
    fields = dict(id="q", lesson="01_focus", topic="focus", level="remember", prompt="What does a CISO focus on?",
                  explanation="Risk and compliance.", options=OPTIONS, answer=RIGHT,
                  feedback={"Cost cutting.": "Cutting costs is no security goal."})
    return KINDS["multiple"](**{**fields, **changes})


@pytest.mark.parametrize("ticked", [list(combo) for size in range(1, len(OPTIONS) + 1)
                                    for combo in itertools.combinations(OPTIONS, size)])
def test_every_answer_to_a_small_multiple_question_scores_by_the_rule_its_feedback_states(ticked):
    grade = _multiple().grade(ticked, hints_used=1)
    hits = [option for option in ticked if option in RIGHT]
    misses = [option for option in ticked if option not in RIGHT]
    assert grade.raw == max(0.0, (len(hits) - len(misses)) / len(RIGHT)), "a wrong tick cancels a right one"
    assert grade.score == round(max(0.0, grade.raw - 0.1), 4) and 0 <= grade.score <= 1
    assert grade.correct == (set(ticked) == set(RIGHT))
    assert (grade.right, grade.wrong) == (tuple(hits), tuple(misses)), "the verdicts name what the score counts"
    assert grade.summary.startswith(f"{len(hits)} of {len(RIGHT)} right answers ticked, {len(misses)} wrong tick")
    assert _multiple().grade(ticked + ticked).score == _multiple().grade(ticked).score, "a tick counts once"


def test_a_wrong_option_that_ends_a_sentence_is_not_given_a_second_stop():
    grade = _multiple().grade(["Risk", "Cost cutting."])
    assert "✗ Should not be ticked: Cost cutting. Cutting costs is no security goal." in [v.text() for v in grade.verdicts]


def test_a_score_never_leaves_0_to_1_whatever_count_of_hints_it_is_given():
    assert [Grade.of(1.0, hints).score for hints in (-3, 0, 1, 12)] == [1.0, 1.0, 0.9, 0.0]


def test_a_store_edited_to_a_negative_hint_count_does_not_show_more_than_100_points():
    right = rolelib.exercise("focus-1").question.answer
    progress.store().record(progress.Attempt(
        question_id="focus-1", lesson="01_focus", topic="focus", kind="single", answer=right,
        correct=True, score=1.0, hints_used=-2, variant="focus-1"))
    shown = rolelib.exercise("focus-1")
    assert shown.result.points == 100 and "Score: 100 of 100 points." in shown.feedback_text
