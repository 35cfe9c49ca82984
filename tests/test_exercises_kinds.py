"""Exercises of every kind driven headless, as a learner would: answer, check, read the feedback, take hints."""

from __future__ import annotations

import json
import re

import pytest

from rolelib import progress
from rolelib.exercises import exercise
from rolelib.questions import load_banks
from rolelib.testing import answer, check, correct_answer, feedback, hint, items, retry
from tests.helpers import CSO_OPTION, attempt_count, char_counter, latest, widget_states

pytestmark = pytest.mark.usefixtures("learner_mode")


# --- every kind, driven headless ------------------------------------------------------------

def test_single_choice_explains_a_wrong_pick_then_accepts_the_right_one():
    ex = exercise("focus-1")
    answer(ex, CSO_OPTION)
    text = check(ex)
    assert text.splitlines()[0] == "✗ Not quite. Score: 0 of 100 points."
    assert f"✗ Not right: {CSO_OPTION}. Physical security belongs to a CSO's remit" in text
    assert "Why:" not in text, "the explanation (which gives the answer away) waits for a right answer"
    last = latest("focus-1")
    assert (last.answer, last.correct, last.score, last.hints_used) == (CSO_OPTION, False, 0.0, 0)
    assert (last.lesson, last.topic, last.kind) == ("01_focus", "focus", "single")
    assert ex.inputs[0].disabled and ex.check_button.disabled and not ex.retry_button.disabled
    retry(ex)
    assert feedback(ex) == "" and not ex.inputs[0].disabled and ex.retry_button.disabled
    answer(ex, "Pushing technology innovation and helping the business grow")
    text = check(ex)
    assert text.startswith("✓ Correct. Score: 100 of 100 points.")
    assert "Why:" in text and "A CIO exists to move the organisation forward" in text
    assert latest("focus-1").correct is True and attempt_count() == 2


def test_select_all_that_apply_gives_partial_credit_and_names_each_pick():
    ex = exercise("focus-2")
    answer(ex, ["Reducing security risks", "Protecting the organisation's data and information",
                "Keeping up with the newest cybersecurity threats",
                "Finding new technology that helps the business grow"])
    text = check(ex)
    assert "✗ Not quite. 3 of 4 right answers ticked, 1 wrong tick. Score: 50 of 100 points." in text
    assert "✓ Right to tick: Reducing security risks" in text
    assert ("✗ Should not be ticked: Finding new technology that helps the business grow. "
            "Growing the business with new technology is what the CIO is there for.") in text
    assert "✗ 1 right answer is not ticked yet." in text
    last = latest("focus-2")
    assert last.score == 0.5 and last.correct is False
    assert last.answer[0] == "Protecting the organisation's data and information", "stored in option order"
    retry(ex)
    answer(ex, ["Reducing security risks", "Protecting the organisation's buildings and facilities",
                "Using business management tools to make operations more efficient"])
    assert "Score: 0 of 100 points" in check(ex), "more wrong ticks than right ones floors at zero"
    retry(ex)
    answer(ex, correct_answer(ex))
    assert check(ex).startswith("✓ Correct.") and latest("focus-2").score == 1.0


def test_classify_names_each_statement_and_why_a_role_does_not_fit():
    ex = exercise("resp-4")
    statements = items(ex)
    assert len(statements) == 6 and all(isinstance(box.value, str) for box in ex.inputs)
    right = correct_answer(ex)
    wrong = dict(right)
    key = next(k for k, role in right.items() if role == "CSO")
    wrong[key] = "CISO"
    answer(ex, wrong)
    text = check(ex)
    statement = ex.question.items[[i.key for i in ex.question.items].index(key)].text
    assert "5 of 6 right. Score: 83 of 100 points." in text
    assert (f"✗ Not right: “{statement}” → CISO (Chief Information Security Officer). "
            "CISO duties are about protecting information") in text
    assert text.count("✓ Right: ") == 5
    last = latest("resp-4")
    assert last.answer == wrong and last.correct is False and last.score == pytest.approx(0.8333, abs=1e-4)
    retry(ex)
    answer(ex, {ex.question.items[0].text: right[ex.question.items[0].key]} | {
        item.key: right[item.key] for item in ex.question.items[1:]})  # statements by their text work too
    assert check(ex).startswith("✓ Correct.")


def test_match_accepts_any_of_several_right_answers():
    ex = exercise("edu-2")
    right = correct_answer(ex)
    for accepted in ("CIO", "CISO"):
        answer(ex, right | {"Information technology": accepted})
        assert check(ex).startswith("✓ Correct.")
        retry(ex)
    wrong = right | {"MBA": "CISO", "Cybersecurity engineering": "CIO"}
    answer(ex, wrong)
    text = check(ex)
    assert "4 of 6 right." in text
    assert "✗ Not right: “MBA” → CISO (Chief Information Security Officer). An MBA is a business degree." in text
    assert latest("edu-2").answer == wrong


def test_reflection_is_saved_not_graded_with_the_limit_told_and_enforced():
    ex = exercise("start-3")
    header = ex.widget.children[0].value
    assert "Write up to 800 characters" in header and "not graded" in header
    assert check(ex) == "Write your reflection first, then press Save."
    answer(ex, "x" * 801)
    assert char_counter(ex).value == "801 of 800 characters, 1 too many"
    assert check(ex).startswith("✗ Not saved: your text has 801 characters and the limit is 800.")
    assert latest("start-3") is None and ex.inputs[0].value == "x" * 801, "nothing is lost or saved"
    answer(ex, "Both matter: one grows the business, the other protects it.")
    assert char_counter(ex).value == "59 of 800 characters"
    text = check(ex)
    assert text.startswith("✓ Saved. Your reflection (59 of 800 characters) is saved; it is not graded.")
    assert "Compare with a sample answer:" in text and "A sample answer: the CIO is there" in text
    last = latest("start-3")
    assert (last.answer, last.correct, last.kind) == ("Both matter: one grows the business, the other protects it.",
                                                      None, "reflect")
    assert ex.retry_button.description == "Edit" and ex.check_button.description == "Save"


@pytest.mark.parametrize("text", ["lone \ud800 surrogate", "NUL \x00 in the middle", "a \U0001f600 and \u2028 break"])
def test_any_text_a_learner_can_type_is_saved_with_one_outcome_and_restored(text):
    ex = exercise("start-3")
    ex.inputs[0].value = text  # as the browser sends it
    shown = check(ex)
    assert shown.startswith("✓ Saved.") and "Not saved" not in shown and "could not" not in shown
    assert latest("start-3").answer == text, "stored exactly as typed"
    again = exercise("start-3")
    assert again.feedback_text.startswith("✓ Saved.")
    assert again.inputs[0].value == text.replace("\ud800", "\ufffd"), "what a front end can be sent"
    assert "\ud800" not in again.feedback_widget.value


def test_an_answer_the_store_refuses_shows_only_the_refusal(monkeypatch):
    monkeypatch.setattr(progress._sqlite, "MAX_ANSWER_CHARS", 20)
    ex = exercise("start-3")
    answer(ex, "A reflection longer than the store keeps.")
    shown = check(ex)
    assert shown.startswith("✗ Not saved: This answer is too long to save") and "Saved." not in shown.replace(
        "Not saved", "")
    assert latest("start-3") is None and ex.result is None
    assert not ex.check_button.disabled and ex.inputs[0].value.startswith("A reflection"), "the text stays to edit"


def test_an_unforeseen_store_failure_shows_one_outcome_and_no_traceback(monkeypatch):
    ex = exercise("focus-1")

    def broken(attempt):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(progress.store(), "record", broken)
    answer(ex, CSO_OPTION)
    shown = check(ex)
    assert shown.startswith("✗ Not saved: this answer could not be recorded (disk on fire).")
    assert "Not quite" not in shown and "Correct" not in shown and ex.result is None


RUBRIC = ["names what each role is mainly for", "says where the two goals can pull apart"]


def _with_rubric(data_copy):
    bank = data_copy / "questions" / "00_start_here.yaml"
    text = re.sub(r"    rubric:\n(      - .*\n)+", "", bank.read_text(encoding="utf-8"))  # the shipped one
    rubric = "    rubric:\n" + "".join(f"      - {point}\n" for point in RUBRIC)
    bank.write_text(text.replace("    max_chars: 800\n", "    max_chars: 800\n" + rubric), encoding="utf-8")
    return data_copy


def test_after_save_a_reflection_shows_the_sample_answer_and_the_rubric(data_copy):
    ex = exercise("start-3", data=_with_rubric(data_copy))
    assert not any(point in json.dumps(widget_states(ex.widget)) for point in RUBRIC), "not before Save"
    answer(ex, "Both matter.")
    text = check(ex)
    assert "Compare with a sample answer:" in text and "A strong answer mentions:" in text
    assert all(point in text for point in RUBRIC)
    assert text.index("A sample answer") < text.index(RUBRIC[0])


def test_an_incomplete_answer_is_explained_and_not_recorded():
    single = exercise("focus-1")
    assert check(single) == "Choose an answer first, then press Check."
    multiple = exercise("focus-2")
    assert check(multiple) == "Tick at least one box first, then press Check."
    match = exercise("cert-1")
    answer(match, {"CGEIT": "CIO"})
    assert check(match) == "Make a choice for every item first (3 still open), then press Check."
    answer(match, {"CGEIT": "CIO", "CISSP": "CISO", "CISM": "CISO"})
    assert check(match) == "Make a choice for every item first (1 still open), then press Check."
    assert attempt_count() == 0
    assert not match.check_button.disabled


def test_every_question_of_the_banks_can_be_answered_right_headless():
    for question_id in load_banks():
        ex = exercise(question_id)
        answer(ex, correct_answer(ex))
        assert check(ex).startswith(("✓ Correct.", "✓ Saved.")), question_id
        assert latest(question_id).score == (0.0 if ex.question.kind == "reflect" else 1.0)


def test_each_wrong_tick_gets_its_own_feedback():
    for question in (q for q in load_banks().values() if q.kind == "multiple"):
        wrong = [option for option in question.options if option not in question.answer]
        assert len(wrong) >= 2, f"{question.id}: this test needs two wrong options"
        ex = exercise(question.id)
        answer(ex, wrong)
        text = check(ex)
        for option in wrong:
            ended = option if option.endswith((".", "?", "!")) else f"{option}."  # one stop, never two
            assert f"✗ Should not be ticked: {ended} {question.feedback[option]}" in text, question.id


# --- hints ------------------------------------------------------------------------------------

def test_hints_are_progressive_cost_points_and_the_learner_is_told():
    ex = exercise("focus-2")
    assert ex.hint_button.description == "Hint (−10 points)"
    assert "each costs 10 of the 100 points" in ex.widget.children[0].value
    assert ex.hints_widget.value == ""
    first = hint(ex)
    assert "Hints used: 1 of 2 (−10 points)" in first and "protecting information" in first
    second = hint(ex)
    assert "Hints used: 2 of 2 (−20 points)" in second and "There are four right answers." in second
    assert ex.hint_button.disabled and ex.hint_button.description == "No more hints"
    answer(ex, correct_answer(ex))
    assert check(ex).startswith("✓ Correct. Score: 80 of 100 points (2 hints used: −20).")
    last = latest("focus-2")
    assert (last.hints_used, last.score, last.correct) == (2, 0.8, True)


def test_a_reflection_hint_is_free():
    ex = exercise("start-3")
    assert ex.hint_button.description == "Hint"
    assert "Hints used: 1 of 1" in hint(ex) and "points" not in ex.hints_widget.value


def test_classify_explains_a_wrongly_picked_role_once():
    ex = exercise("resp-4")
    answer(ex, {item.key: "CIO" for item in ex.question.items})
    text = check(ex)
    assert "2 of 6 right." in text
    assert text.count("CIO duties are about running and developing technology") == 1
    assert text.count("✗ Not right: ") == 4
