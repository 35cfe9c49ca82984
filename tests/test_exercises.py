"""Exercises driven headless, as a learner would: answer, press the buttons, read the feedback."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from html.parser import HTMLParser

import pytest

import rolelib
from rolelib import exercises, progress
from rolelib import UnknownNameError
from rolelib.exercises import Exercise, answer_key, exercise, instructor_mode, quiz
from rolelib.questions import load_banks
from rolelib.testing import answer, check, correct_answer, feedback, hint, items, retry
from tests.helpers import normalised_states, other_answer, widget_states

CSO_OPTION = "Securing the organisation's buildings, facilities and staff"
EVIL = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "He said \"hi\" & 'bye'"]


@pytest.fixture(autouse=True)
def _learner_mode():
    instructor_mode(None)
    yield
    instructor_mode(None)


def _last(question_id: str):
    return progress.store().last_attempt(question_id)


def _counter(ex):
    return next(child for child in ex.widget.children if "rolelib-counter" in child._dom_classes)


def _attempts() -> int:
    return len(progress.store().attempts())


# --- every kind, driven headless ------------------------------------------------------------

def test_single_choice_explains_a_wrong_pick_then_accepts_the_right_one():
    ex = exercise("focus-1")
    answer(ex, CSO_OPTION)
    text = check(ex)
    assert text.splitlines()[0] == "✗ Not quite. Score: 0 of 100 points."
    assert f"✗ Not right: {CSO_OPTION}. Physical security belongs to a CSO's remit" in text
    assert "Why:" not in text, "the explanation (which gives the answer away) waits for a right answer"
    last = _last("focus-1")
    assert (last.answer, last.correct, last.score, last.hints_used) == (CSO_OPTION, False, 0.0, 0)
    assert (last.lesson, last.topic, last.kind) == ("01_focus", "focus", "single")
    assert ex.inputs[0].disabled and ex.check_button.disabled and not ex.retry_button.disabled
    retry(ex)
    assert feedback(ex) == "" and not ex.inputs[0].disabled and ex.retry_button.disabled
    answer(ex, "Pushing technology innovation and helping the business grow")
    text = check(ex)
    assert text.startswith("✓ Correct. Score: 100 of 100 points.")
    assert "Why:" in text and "A CIO exists to move the organisation forward" in text
    assert _last("focus-1").correct is True and _attempts() == 2


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
    last = _last("focus-2")
    assert last.score == 0.5 and last.correct is False
    assert last.answer[0] == "Protecting the organisation's data and information", "stored in option order"
    retry(ex)
    answer(ex, ["Reducing security risks", "Protecting the organisation's buildings and facilities",
                "Using business management tools to make operations more efficient"])
    assert "Score: 0 of 100 points" in check(ex), "more wrong ticks than right ones floors at zero"
    retry(ex)
    answer(ex, correct_answer(ex))
    assert check(ex).startswith("✓ Correct.") and _last("focus-2").score == 1.0


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
    last = _last("resp-4")
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
    assert _last("edu-2").answer == wrong


def test_reflection_is_saved_not_graded_with_the_limit_told_and_enforced():
    ex = exercise("start-3")
    header = ex.widget.children[0].value
    assert "Write up to 800 characters" in header and "not graded" in header
    assert check(ex) == "Write your reflection first, then press Save."
    answer(ex, "x" * 801)
    assert _counter(ex).value == "801 of 800 characters, 1 too many"
    assert check(ex).startswith("✗ Not saved: your text has 801 characters and the limit is 800.")
    assert _last("start-3") is None and ex.inputs[0].value == "x" * 801, "nothing is lost or saved"
    answer(ex, "Both matter: one grows the business, the other protects it.")
    assert _counter(ex).value == "59 of 800 characters"
    text = check(ex)
    assert text.startswith("✓ Saved. Your reflection (59 of 800 characters) is saved; it is not graded.")
    assert "Compare with a sample answer:" in text and "A sample answer: the CIO is there" in text
    last = _last("start-3")
    assert (last.answer, last.correct, last.kind) == ("Both matter: one grows the business, the other protects it.",
                                                      None, "reflect")
    assert ex.retry_button.description == "Edit" and ex.check_button.description == "Save"


@pytest.mark.parametrize("text", ["lone \ud800 surrogate", "NUL \x00 in the middle", "a \U0001f600 and \u2028 break"])
def test_any_text_a_learner_can_type_is_saved_with_one_outcome_and_restored(text):
    ex = exercise("start-3")
    ex.inputs[0].value = text  # as the browser sends it
    shown = check(ex)
    assert shown.startswith("✓ Saved.") and "Not saved" not in shown and "could not" not in shown
    assert _last("start-3").answer == text, "stored exactly as typed"
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
    assert _last("start-3") is None and ex.result is None
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
    assert _attempts() == 0
    assert not match.check_button.disabled


def test_every_question_of_the_banks_can_be_answered_right_headless():
    for question_id in load_banks():
        ex = exercise(question_id)
        answer(ex, correct_answer(ex))
        assert check(ex).startswith(("✓ Correct.", "✓ Saved.")), question_id
        assert _last(question_id).score == (0.0 if ex.question.kind == "reflect" else 1.0)


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
    last = _last("focus-2")
    assert (last.hints_used, last.score, last.correct) == (2, 0.8, True)


def test_a_reflection_hint_is_free():
    ex = exercise("start-3")
    assert ex.hint_button.description == "Hint"
    assert "Hints used: 1 of 1" in hint(ex) and "points" not in ex.hints_widget.value


# --- progress survives a restart ------------------------------------------------------------

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
    assert again.result.score == 0.9 == _last(question_id).score


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
    assert _counter(ex).value == f"{len(text)} of {len(text)} characters", "not one character too many"
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


# --- answers stay out of the browser --------------------------------------------------------

def test_no_widget_state_depends_on_the_answer_before_check():
    data = rolelib.load()
    for question in load_banks().values():
        shown = Exercise(question, data=data)
        states = json.dumps(widget_states(shown.widget), default=str)
        secrets = [question.explanation, *question.hints, *question.feedback.values()]
        for secret in secrets:
            assert secret not in states, f"{question.id}: {secret[:40]!r} is in the widget state"
        if question.kind != "reflect":
            twin = Exercise(dataclasses.replace(question, answer=other_answer(question)), data=data)
            assert normalised_states(twin.widget) == normalised_states(shown.widget), question.id
            assert twin.static_html() == shown.static_html(), f"{question.id}: the static HTML shows the answer"
            assert twin.static_text() == shown.static_text(), f"{question.id}: the static text shows the answer"
    ex = exercise("focus-1")
    answer(ex, "Pushing technology innovation and helping the business grow")
    check(ex)
    assert "A CIO exists to move" in json.dumps(widget_states(ex.widget)), "after Check the explanation is shown"


def test_the_static_versions_carry_the_question_without_the_answer():
    for question in load_banks().values():
        ex = exercise(question.id)
        bundle = ex._repr_mimebundle_()
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
        for mime in ("text/plain", "text/html"):
            text = bundle[mime]
            assert "Run this notebook to answer this question interactively." in text
            assert f"Question {question.id}" in text
            assert question.explanation[:60] not in text and "rolelib-correct" not in text
            assert not re.search(r"0x[0-9a-f]{6,}|IPY_MODEL|[0-9a-f]{32}", text), "deterministic output only"
            for secret in [*question.hints, *question.feedback.values()]:
                assert secret not in text, question.id
        assert bundle == exercise(question.id)._repr_mimebundle_() | {
            "application/vnd.jupyter.widget-view+json": bundle["application/vnd.jupyter.widget-view+json"]}
    plain = exercise("focus-1")._repr_mimebundle_()["text/plain"]
    assert "  ( ) Pushing technology innovation and helping the business grow" in plain
    html = exercise("resp-4")._repr_mimebundle_()["text/html"]
    assert "Choices: CIO (Chief Information Officer) / CISO" in html and html.count("→ ____") == 6


def test_a_restored_answer_stays_out_of_the_static_versions():
    first = exercise("focus-1")
    answer(first, "Pushing technology innovation and helping the business grow")
    check(first)
    assert exercise("focus-1")._repr_mimebundle_()["text/html"] == first.static_html()
    assert "Correct" not in first.static_html()


# --- safety -------------------------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}


def _assert_inert(markup: str) -> None:
    parser = _Tags()
    parser.feed(markup)
    assert not parser.tags & {"script", "img", "iframe", "b"}, markup
    assert not {a for a in parser.attributes if a.startswith("on") or a == "src"}, markup


EVIL_BANK = """
lesson: 01_focus
questions:
  - id: evil-1
    kind: single
    topic: focus
    level: apply
    prompt: "Pick <script>alert(1)</script> or <img src=x onerror=alert(1)>, \\"quoted\\" and 'single'"
    options:
      - "<script>alert(1)</script>"
      - "<img src=x onerror=alert(1)>"
      - "He said \\"hi\\" & 'bye'"
    answer: "He said \\"hi\\" & 'bye'"
    feedback:
      "<script>alert(1)</script>": "<script>alert(2)</script>"
      "<img src=x onerror=alert(1)>": "<img src=y onerror=alert(3)>"
    hints: ["<script>alert(4)</script>"]
    explanation: "<img src=z onerror=alert(5)> and **bold**"
    source: article
  - id: evil-2
    kind: match
    topic: focus
    level: apply
    prompt: "<b onmouseover=alert(6)>Match</b>"
    pairs:
      "<b onmouseover=alert(6)>x</b>": CIO
      "y \\"quoted\\"": CISO
    choices: [CIO, CISO]
    feedback:
      "<b onmouseover=alert(6)>x</b>": "<script>alert(7)</script>"
      "y \\"quoted\\"": "<img src=q onerror=alert(8)>"
    hints: ["<img src=h onerror=alert(9)>"]
    explanation: "<script>alert(10)</script>"
    source: article
  - id: evil-3
    kind: reflect
    topic: focus
    level: apply
    prompt: "Write <script>alert(11)</script>"
    max_chars: 300
    explanation: "<img src=s onerror=alert(12)>"
    source: article
"""


def test_text_from_a_bank_and_from_a_learner_is_inert(data_copy):
    (data_copy / "questions" / "01_focus.yaml").write_text(EVIL_BANK, encoding="utf-8")
    instructor_mode(True)
    produced = []
    for question_id, wrong in (("evil-1", EVIL[0]), ("evil-2", {"<b onmouseover=alert(6)>x</b>": "CISO",
                                                                "y \"quoted\"": "CIO"}),
                               ("evil-3", EVIL[0] + EVIL[1] + EVIL[2])):
        ex = exercise(question_id, data=data_copy)
        produced += [ex.static_html(), ex.widget.children[0].value]
        answer(ex, wrong)
        if ex.hint_button is not None:
            hint(ex)
            produced.append(ex.hints_widget.value)
        text = check(ex)
        produced.append(ex.feedback_widget.value)
        if question_id == "evil-3":
            assert EVIL[0] + EVIL[1] + EVIL[2] in text, "the learner's text is shown as text"
            assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in ex.feedback_widget.value
        produced.append(ex.static_html())
        ex.reveal()
        produced.append(ex.feedback_widget.value)
        for box in ex.inputs:  # shown as HTML on ipywidgets 7 (always) and 8 (with the flag): escaped
            produced.append(box.description)
            if box.description:
                assert html.unescape(box.description) in {item.text for item in ex.question.items} | set(
                    ex.question.options) | {"Your answer"}
    for markup in produced:
        _assert_inert(markup)
    joined = "\n".join(produced)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in joined, joined
    assert "&lt;img src=q onerror=alert(8)&gt;" in joined
    assert "He said &quot;hi&quot; &amp; &#x27;bye&#x27;" in joined


# --- instructor mode ----------------------------------------------------------------------------

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
    assert _attempts() == 0, "revealing is not an attempt"


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


# --- one call per exercise, fast checks -------------------------------------------------------

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
    assert _attempts() == 3


# --- the static fallback survives an export -------------------------------------------------------

def test_an_exported_notebook_shows_the_question_and_not_the_answer(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("from rolelib.exercises import exercise\nexercise('focus-2')")]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = notebook.cells[0].outputs
    assert outputs[0]["output_type"] == "execute_result"
    question = load_banks()["focus-2"]
    with_state, _ = HTMLExporter().from_notebook_node(notebook)
    notebook.metadata.pop("widgets", None)  # as on GitHub or nbviewer: no widget state to render
    static, _ = HTMLExporter().from_notebook_node(notebook)
    assert "Run this notebook to answer this question interactively." in static
    assert "Which of these are at the core of a <strong>CISO" in static
    assert "☐ Reducing security risks" in static
    for page in (with_state, static):
        assert "primary mission" not in page  # only focus-2 was shown
        assert "core of a" in page
        for secret in [question.explanation[:50], *question.hints, *question.feedback.values()]:
            assert secret not in page


def test_classify_explains_a_wrongly_picked_role_once():
    ex = exercise("resp-4")
    answer(ex, {item.key: "CIO" for item in ex.question.items})
    text = check(ex)
    assert "2 of 6 right." in text
    assert text.count("CIO duties are about running and developing technology") == 1
    assert text.count("✗ Not right: ") == 4


def test_markdown_images_come_from_the_course_only_a_remote_one_is_a_link(data_copy):
    bank = data_copy / "questions" / "01_focus.yaml"
    text = bank.read_text(encoding="utf-8")
    start = text.index("    prompt:")
    end = text.index("\n    ", start + 1)
    prompt = '"![the chart](images/chart.png) and ![a beacon](https://tracker.example/p.gif?u=1)"'
    bank.write_text(text[:start] + "    prompt: " + prompt + text[end:], encoding="utf-8")
    ex = exercise("focus-1", data=data_copy)
    for markup in (ex.widget.children[0].value, ex.static_html()):
        assert re.findall(r'<img[^>]*src="([^"]*)"', markup) == ["images/chart.png"], "nothing fetched from afar"
        assert '<a class="rolelib-remote-image" href="https://tracker.example/p.gif?u=1">' in markup
        assert "a beacon: https://tracker.example/p.gif?u=1</a>" in markup
