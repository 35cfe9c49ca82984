"""Exercises in instructor mode: answers revealed on demand only, and the answer key of a lesson."""

from __future__ import annotations

import json

import pytest

from rolelib.exercises import answer_key, exercise, instructor_mode
from rolelib.questions import load_banks
from rolelib.testing import feedback
from tests.helpers import attempt_count, widget_states

pytestmark = pytest.mark.usefixtures("learner_mode")


def test_learners_get_no_reveal_button_and_no_answer_key():
    ex = exercise("focus-1")
    assert ex.reveal_button is None
    assert not any("rolelib-reveal" in state.get("_dom_classes", ()) for state in widget_states(ex.widget))
    with pytest.raises(PermissionError, match="instructor_mode"):
        answer_key("01_focus")
    with pytest.raises(PermissionError):
        ex.reveal()


def test_instructors_reveal_answers_on_demand_only():
    instructor_mode(True)
    ex = exercise("focus-1")
    assert ex.reveal_button.description == "Reveal answer"
    assert ex.question.explanation not in json.dumps(widget_states(ex.widget))
    ex.reveal_button.click()
    text = feedback(ex)
    assert text.startswith("Answer (instructor view)")
    assert "Pushing technology innovation and helping the business grow" in text and "A CIO exists" in text
    assert attempt_count() == 0, "revealing is not an attempt"


def test_the_environment_variable_switches_instructor_mode_and_the_call_overrides_it(monkeypatch):
    monkeypatch.setenv("ROLELIB_INSTRUCTOR", "1")
    assert exercise("focus-1").reveal_button is not None
    instructor_mode(False)
    assert exercise("focus-1").reveal_button is None


def test_the_answer_key_lists_every_question_of_a_lesson():
    instructor_mode(True)
    key = answer_key("05_reporting_structure")
    assert list(key.columns) == ["question_id", "version", "kind", "level", "prompt", "answer", "explanation"]
    entries = [q for q in load_banks().values() if q.lesson == "05_reporting_structure"]
    assert list(key["version"]) == [version.id for q in entries for version in (q, *q.variants)]
    key = key[key["question_id"] == key["version"]].reset_index(drop=True)  # the bank entries
    assert list(key["question_id"]) == [q.id for q in entries]
    assert key.loc[0, "answer"] == ("CEO → both the CIO and the CISO; COO → the CIO; CTO → the CISO; CIO → the CISO; "
                                    "CSO → neither, in the source")
    assert key.loc[2, "answer"] == ("The chief information officer (CIO); The chief technology officer (CTO); "
                                    "The chief executive officer (CEO)")
    with pytest.raises(KeyError, match="no lesson"):
        answer_key("99_nothing")
