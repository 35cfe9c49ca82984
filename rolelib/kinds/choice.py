"""Choice questions: one answer from a list (single), or every answer that applies (multiple)."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from typing import Any, ClassVar

from rolelib._errors import UnknownNameError
from rolelib._markup import escape
from rolelib.kinds.base import (
    FIT,
    BankContext,
    Choice,
    Grade,
    Inputs,
    Question,
    Report,
    Verdict,
    register,
    required,
    texts,
    TEXT,
    unique,
)
from rolelib.kinds.quiz_form import FormName, QuizForm, QuizOption

_GIVEAWAY = re.compile(r"^\s*(all|none|both|neither) of (the )?(above|these|them)\b", re.IGNORECASE)


class _Choice(Question):
    """What single and multiple choice share: options, feedback per wrong option, the static list."""

    MARKS: ClassVar[tuple[str, str]] = ("", "")  # the empty box in text, and in HTML
    QUIZ_FORM: ClassVar[FormName] = "one"

    @classmethod
    def _answers(cls, fields: Any) -> list[str]:
        raise NotImplementedError

    @classmethod
    def from_bank(cls, fields: Any, common: dict[str, Any], context: BankContext, report: Report) -> Question:
        options = list(fields.options)
        unique(options, "options", report)
        for option in options:
            if _GIVEAWAY.match(option):
                report("options", option, "options that stand on their own: an 'all/none of the above' option "
                                          "lets a learner guess without knowing")
        answers = cls._answers(fields)
        for answer in answers:
            if answer not in options:
                report("answer", answer, "one of the options, spelled exactly as in 'options'")
        for key in common["feedback"]:
            if key not in options:
                report("feedback", key, "a key that is one of the options, spelled exactly as in 'options'")
            elif key in answers:
                report("feedback", key, "feedback for wrong options only (explain the right answer in 'explanation')")
        return cls(options=tuple(options), answer=cls._stored_answer(fields), **common)

    @classmethod
    def _stored_answer(cls, fields: Any) -> Any:
        raise NotImplementedError

    def order_keys(self) -> tuple[str, ...]:
        return self.options

    def in_order(self, keys: tuple[str, ...]) -> Question:
        super().in_order(keys)
        return replace(self, options=tuple(keys)) if keys else self

    def chosen_options(self, answer: Any) -> tuple[Choice, ...]:
        picked = {answer} if isinstance(answer, str) else set(answer)
        right = {self.answer} if isinstance(self.answer, str) else set(self.answer)
        return tuple(Choice(option, self.label(option), option in right,
                            "" if option in right else self.feedback.get(option, ""))
                     for option in self.options if option in picked)

    def static_lines(self) -> list[str]:
        return [f"  {self.MARKS[0]} {option}" for option in self.options]

    def static_html(self) -> str:
        return "<ul>" + "".join(f"<li>{self.MARKS[1]} {escape(option)}</li>" for option in self.options) + "</ul>"

    def quiz_form(self) -> QuizForm:
        right = {self.answer} if isinstance(self.answer, str) else set(self.answer)
        return QuizForm(self.QUIZ_FORM, tuple(QuizOption(option, self.label(option), option in right,
                                                         self.feedback.get(option, "")) for option in self.options))


@register
class SingleChoice(_Choice):
    """One right answer among the options.

    >>> question = SingleChoice(id="q-1", lesson="01_focus", topic="focus", level="remember",
    ...                         prompt="Who protects the data?", explanation="The CISO does.",
    ...                         options=("CIO", "CISO"), answer="CISO", feedback={"CIO": "The CIO runs IT."})
    >>> grade = question.grade("CIO", hints_used=1)
    >>> grade.correct, grade.score, grade.verdicts[0].text()
    (False, 0.0, '✗ Not right: CIO. The CIO runs IT.')
    """

    kind = "single"
    FIELDS = {"options": required(texts(2)), "answer": required(TEXT)}
    # The arrow keys on a radio button are JupyterLab's and Notebook 7's (another cell), and ipywidgets does not
    # group its radio buttons: Tab goes from one to the next, and the learner who uses a keyboard is told so.
    INSTRUCTIONS = ("Choose one answer, then press Check. "
                    "With a keyboard: Tab moves from option to option, Space chooses.")
    MARKS = ("( )", "○")

    @classmethod
    def _answers(cls, fields: Any) -> list[str]:
        return [fields.answer]

    @classmethod
    def _stored_answer(cls, fields: Any) -> Any:
        return fields.answer

    def grade(self, answer: Any, hints_used: int = 0) -> Grade:
        if answer == self.answer:
            verdict = Verdict(True, "Right", str(answer), key=str(answer))
        else:
            verdict = Verdict(False, "Not right", str(answer), self.feedback.get(answer, "This is not the answer."),
                              key=str(answer))
        return Grade.of(float(verdict.right), hints_used, verdicts=(verdict,))

    def correct_answer(self) -> str:
        return self.answer

    def wrong_answer(self, rng: random.Random) -> str:
        return rng.choice([option for option in self.options if option != self.answer])

    def answer_lines(self, labelled: bool = False) -> list[str]:
        return [self.answer]

    def make_inputs(self) -> Inputs:
        import ipywidgets as widgets

        from rolelib._widgets import make_widget

        radio = make_widget(widgets.RadioButtons, "rolelib-input", options=list(self.options), value=None, layout=FIT)
        return Inputs([radio], [radio])

    def read(self, controls: list[Any]) -> Any:
        return controls[0].value

    def write(self, controls: list[Any], answer: Any) -> None:
        if answer is not None and answer not in self.options:
            raise UnknownNameError(f"option of {self.id}", answer, self.options, plural=f"options of {self.id}")
        controls[0].value = answer

    def missing(self, answer: Any) -> str:
        return "Choose an answer first, then press Check." if answer is None else ""

    def fits(self, answer: Any) -> bool:
        return isinstance(answer, str) and answer in self.options


@register
class MultipleChoice(_Choice):
    """Every option that applies: a wrong tick cancels a right one, and the score never drops below 0.

    >>> question = MultipleChoice(id="q-2", lesson="01_focus", topic="focus", level="remember",
    ...                           prompt="What does a CISO focus on?", explanation="Risk and compliance.",
    ...                           options=("Risk", "Compliance", "Growth"), answer=("Risk", "Compliance"))
    >>> grade = question.grade(["Risk", "Growth"])
    >>> grade.summary, grade.score, grade.right, grade.wrong
    ('1 of 2 right answers ticked, 1 wrong tick.', 0.0, ('Risk',), ('Growth',))
    """

    kind = "multiple"
    FIELDS = {"options": required(texts(3)), "answer": required(texts(1))}
    INSTRUCTIONS = "Tick every answer that applies, then press Check. A wrong tick cancels a right one."
    MARKS = ("[ ]", "☐")
    QUIZ_FORM = "several"

    @classmethod
    def _answers(cls, fields: Any) -> list[str]:
        return list(fields.answer)

    @classmethod
    def from_bank(cls, fields: Any, common: dict[str, Any], context: BankContext, report: Report) -> Question:
        answers = list(fields.answer)
        unique(answers, "answer", report)
        wrong = len(set(fields.options) - set(answers))
        if wrong < len(set(answers)):  # a wrong tick cancels a right one: ticking every box then scores nothing
            report("answer", ", ".join(answers), f"at least as many options that are not answers as answers "
                                                 f"(here {wrong} for {len(set(answers))}), so that ticking every "
                                                 "box scores nothing: add wrong options or drop answers")
        return super().from_bank(fields, common, context, report)

    @classmethod
    def _stored_answer(cls, fields: Any) -> Any:
        return tuple(fields.answer)

    def grade(self, answer: Any, hints_used: int = 0) -> Grade:
        answers = set(self.answer)
        picked = [option for option in self.options if option in set(answer)]
        hits = [option for option in picked if option in answers]
        misses = [option for option in picked if option not in answers]
        verdicts = [Verdict(True, "Right to tick", option, key=option) for option in hits]
        verdicts += [Verdict(False, "Should not be ticked", option, self.feedback.get(option, "This one does not apply."),
                             key=option) for option in misses]
        unticked = len(answers) - len(hits)
        if unticked:
            verdicts.append(Verdict(False, f"{unticked} right answer{'s are' if unticked != 1 else ' is'} not ticked yet."))
        summary = (f"{len(hits)} of {len(answers)} right answers ticked, "
                   f"{len(misses)} wrong tick{'s' if len(misses) != 1 else ''}.")
        return Grade.of(max(0.0, (len(hits) - len(misses)) / len(answers)), hints_used, summary, tuple(verdicts))

    def correct_answer(self) -> list[str]:
        return list(self.answer)

    def wrong_answer(self, rng: random.Random) -> list[str]:
        chosen = set(self.answer)
        chosen.add(rng.choice([option for option in self.options if option not in chosen]))
        return [option for option in self.options if option in chosen]

    def answer_lines(self, labelled: bool = False) -> list[str]:
        return list(self.answer)

    def make_inputs(self) -> Inputs:
        import ipywidgets as widgets

        from rolelib._widgets import make_widget, text_description

        boxes = [make_widget(widgets.Checkbox, "rolelib-input", value=False, indent=False, layout=FIT,
                             **text_description(widgets.Checkbox, option)) for option in self.options]
        return Inputs(boxes, [make_widget(widgets.VBox, "rolelib-inputs", children=boxes)])

    def read(self, controls: list[Any]) -> Any:
        return [option for option, box in zip(self.options, controls) if box.value]

    def write(self, controls: list[Any], answer: Any) -> None:
        chosen = set(answer or ())
        unknown = sorted(chosen - set(self.options))
        if unknown:
            raise UnknownNameError(f"option of {self.id}", unknown[0], self.options, plural=f"options of {self.id}")
        for option, box in zip(self.options, controls):
            box.value = option in chosen

    def missing(self, answer: Any) -> str:
        return "" if answer else "Tick at least one box first, then press Check."

    def fits(self, answer: Any) -> bool:
        return (isinstance(answer, list) and bool(answer) and all(isinstance(a, str) for a in answer)
                and set(answer) <= set(self.options))
