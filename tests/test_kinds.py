"""A kind of question is one class: a kind defined here alone goes through the whole course.

The "truefalse" kind below exists only in this module. Registered, it is validated from a
bank, displayed, graded, stored, exported, made into sample exports, listed in the guide and
counted by the class report, with no change anywhere else.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic_core import core_schema as cs

from rolelib import progress
from rolelib import UnknownNameError
from rolelib.exercises import exercise, instructor_mode
from rolelib.instructor.guide import answer_keys, misconceptions
from rolelib.instructor.report import class_report
from rolelib.instructor.samples import make_sample_exports
from rolelib.kinds import KINDS, Grade, Inputs, Question, Verdict, kind_class
from rolelib.kinds.base import required
from rolelib.progress import parse_export
from rolelib.questions import bank_problems, load_banks
from rolelib.testing import answer, check, correct_answer, feedback, retry
from tests.helpers import REPO, TRUE_FALSE_ENTRY


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """A statement the learner says is true or false."""

    kind = "truefalse"
    FIELDS = {"answer": required(cs.bool_schema(strict=True))}
    INSTRUCTIONS = "Say whether the statement is true or false, then press Check."

    @classmethod
    def from_bank(cls, fields: Any, common: dict[str, Any], context: Any, report: Any) -> Question:
        right = "True" if fields.answer else "False"
        for key in common["feedback"]:
            if key == right or key not in ("True", "False"):
                report("feedback", key, "feedback for the wrong answer only: True or False")
        return cls(options=("True", "False"), answer=right, **common)

    def grade(self, answer: Any, hints_used: int = 0) -> Grade:
        right = answer == self.answer
        verdict = Verdict(right, "Right" if right else "Not right", answer,
                          "" if right else self.feedback.get(answer, ""), key=answer)
        return Grade.of(float(right), hints_used, verdicts=(verdict,))

    def static_lines(self) -> list[str]:
        return ["  ( ) True", "  ( ) False"]

    def static_html(self) -> str:
        return "<p>○ True ○ False</p>"

    def correct_answer(self) -> str:
        return self.answer

    def wrong_answer(self, rng: random.Random) -> str:
        return "False" if self.answer == "True" else "True"

    def answer_lines(self, labelled: bool = False) -> list[str]:
        return [self.answer]

    def make_inputs(self) -> Inputs:
        import ipywidgets

        toggle = ipywidgets.ToggleButtons(options=["True", "False"], value=None)
        return Inputs([toggle], [toggle])

    def read(self, controls: list[Any]) -> Any:
        return controls[0].value

    def write(self, controls: list[Any], answer: Any) -> None:
        controls[0].value = answer

    def missing(self, answer: Any) -> str:
        return "Say true or false first." if answer is None else ""

    def fits(self, answer: Any) -> bool:
        return answer in ("True", "False")


@pytest.fixture
def truefalse(monkeypatch, data_copy: Path) -> Path:
    """The kind registered for one test, and a data copy whose focus bank holds one such question."""
    monkeypatch.setitem(KINDS, "truefalse", TrueFalse)
    bank = data_copy / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").rstrip("\n") + "\n" + TRUE_FALSE_ENTRY, encoding="utf-8")
    return data_copy


def test_a_kind_defined_in_a_test_goes_through_the_whole_course(truefalse, tmp_path):
    # validated from a bank, its own fields included
    question = load_banks(truefalse)["tf-1"]
    assert type(question) is TrueFalse and kind_class("truefalse") is TrueFalse
    broken = truefalse / "questions" / "01_focus.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("answer: false", "answer: maybe"), encoding="utf-8")
    assert [(p.row, p.column) for p in bank_problems(truefalse)] == [("tf-1", "answer")]
    broken.write_text(broken.read_text(encoding="utf-8").replace("answer: maybe", "answer: false"), encoding="utf-8")

    # displayed, with a static version that holds no answer
    ex = exercise("tf-1", data=truefalse)
    assert "rolelib-kind-truefalse" in ex.widget._dom_classes
    assert "  ( ) True\n  ( ) False" in ex.static_text() and "Say whether the statement" in ex.static_text()

    # graded, stored, restored
    answer(ex, "True")
    assert check(ex).startswith("✗ Not quite. Score: 0 of 100 points.")
    assert "✗ Not right: True. Growing the business with technology is the CIO's focus" in feedback(ex)
    retry(ex)
    answer(ex, correct_answer(ex))
    assert check(ex).startswith("✓ Correct. Score: 100 of 100 points.")
    last = progress.store().last_attempt("tf-1")
    assert (last.kind, last.answer, last.correct, last.score) == ("truefalse", "False", True, 1.0)
    assert exercise("tf-1", data=truefalse).value == "False"

    # exported, and counted by the class report
    path = progress.export_progress(tmp_path / "ada.json", "Ada")
    assert [a.kind for a in parse_export(path).attempts] == ["truefalse", "truefalse"]
    report = class_report(path, data=truefalse)
    assert report.per_question.set_index("question_id").loc["tf-1", ["learners", "correct"]].tolist() == [1, 1]
    assert report.graded_questions == sum(q.graded for q in load_banks(truefalse).values())

    # in the sample exports and the guide
    samples = make_sample_exports(tmp_path / "samples", learners=3, data=truefalse, problems=False)
    assert any(a.kind == "truefalse" for p in samples for a in parse_export(p).attempts)
    assert "Choosing \u201cTrue\u201d: Growing the business" in misconceptions(truefalse).notes["01_focus"][-1]
    instructor_mode(True)
    try:
        assert "*Answer:* False" in answer_keys(truefalse).notes["01_focus"][-1]
    finally:
        instructor_mode(None)


def test_an_unknown_kind_word_lists_the_kinds(data_copy):
    bank = data_copy / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").rstrip("\n") + "\n" + TRUE_FALSE_ENTRY, encoding="utf-8")
    problems = [p for p in bank_problems(data_copy) if p.row == "tf-1"]
    assert [(p.column, p.value) for p in problems] == [("kind", "truefalse")]
    assert "'single', 'multiple'" in problems[0].expected
    with pytest.raises(UnknownNameError, match="the question kinds are: single, multiple"):
        kind_class("truefalse")


def test_nothing_outside_the_kinds_branches_on_a_kind_name():
    words = "|".join(map(re.escape, KINDS))
    branch = re.compile(rf"""kind\s*(==|!=|\bin\b)\s*[(\[{{]?\s*["']({words})["']""")
    found = [f"{path.relative_to(REPO)}:{number}"
             for path in sorted((REPO / "rolelib").rglob("*.py")) if "kinds" not in path.parts
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if branch.search(line)]
    assert found == []


def test_every_kind_of_the_course_says_what_it_is():
    for word, kind in KINDS.items():
        assert kind.kind == word and kind.__doc__, word
        assert kind.instructions is not Question.instructions or kind.INSTRUCTIONS, word


def test_a_grade_is_plain_data_with_the_score_before_and_after_hints():
    question = KINDS["multiple"](id="q", lesson="01_focus", topic="focus", level="remember", prompt="Which?",
                                 explanation="Because.", options=("<b>A</b>", "B", "C", "D", "E"),
                                 answer=("<b>A</b>", "B", "C", "D"), feedback={"E": "Not E & never E."})
    grade = question.grade(["<b>A</b>", "E"], hints_used=1)
    assert (grade.raw, grade.score, grade.correct, grade.right, grade.wrong) == (0.0, 0.0, False, ("<b>A</b>",), ("E",))
    assert [v.text() for v in grade.verdicts] == [
        "✓ Right to tick: <b>A</b>", "✗ Should not be ticked: E. Not E & never E.", "✗ 3 right answers are not ticked yet."]
    assert question.grade(["<b>A</b>", "B", "C"], hints_used=1).score == 0.65


def test_every_kind_says_which_options_an_answer_chose_with_the_banks_feedback_for_wrong_ones():
    from rolelib.questions import load_banks

    for question in load_banks().values():
        right = question.chosen_options(question.correct_answer())
        if not question.graded:
            assert right == (), question.id
            continue
        assert right and all(choice.right and not choice.feedback for choice in right), question.id
        wrong = [choice for choice in question.chosen_options(question.wrong_answer(random.Random(3)))
                 if not choice.right]
        assert wrong, f"{question.id}: a typical mistake chooses a wrong option"
        assert all(choice.feedback and choice.feedback in question.feedback.values() for choice in wrong), (
            f"{question.id}: each wrong choice carries the feedback the bank gives for it")
