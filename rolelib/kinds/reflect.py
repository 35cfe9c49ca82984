"""Reflections: free text, saved and not graded, answered with a sample answer and a rubric."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from pydantic_core import core_schema as cs

from rolelib._markup import displayable
from rolelib.kinds.base import (
    FULL_LABEL,
    BankContext,
    Grade,
    Inputs,
    Question,
    Report,
    optional,
    register,
    texts,
)
from rolelib.kinds.quiz_form import QuizForm

DEFAULT_MAX_CHARS = 800


@register
@dataclass(frozen=True, kw_only=True)
class Reflect(Question):
    """A question answered in the learner's own words, up to ``max_chars`` characters.

    It is saved, not graded. After Save the learner sees the sample answer (the bank's
    ``explanation``) and the ``rubric``: what a strong answer mentions.

    >>> from rolelib.questions import load_banks
    >>> grade = load_banks()["start-3"].grade("Both matter.")
    >>> grade.correct, grade.score, grade.summary
    (None, 0.0, 'Your reflection (12 of 800 characters) is saved; it is not graded.')
    """

    kind = "reflect"
    graded = False
    FIELDS = {"max_chars": optional(cs.int_schema(gt=0, le=20000, strict=True), DEFAULT_MAX_CHARS),
              "rubric": optional(texts(1), [])}
    REVEAL_HEADING = "Sample answer"

    max_chars: int = DEFAULT_MAX_CHARS

    @classmethod
    def from_bank(cls, fields: Any, common: dict[str, Any], context: BankContext, report: Report) -> Question:
        if common["feedback"]:
            report("feedback", next(iter(common["feedback"])), "no feedback: a reflection is not graded "
                                                               "(put a sample answer in 'explanation')")
        return cls(max_chars=fields.max_chars, rubric=tuple(fields.rubric), **common)

    def instructions(self) -> str:
        return f"Write up to {self.max_chars} characters, then press Save. Reflections are saved, not graded."

    def grade(self, answer: Any, hints_used: int = 0) -> Grade:
        summary = f"Your reflection ({len(answer)} of {self.max_chars} characters) is saved; it is not graded."
        return Grade(None, 0.0, 0.0, hints_used, summary)

    def correct_answer(self) -> str:
        return "A short reflection."

    def sample_answer(self, rng: random.Random, right: bool) -> str:
        return "A made-up reflection."

    def make_inputs(self) -> Inputs:
        import ipywidgets as widgets

        from rolelib._widgets import make_widget

        area = make_widget(widgets.Textarea, "rolelib-input", value="", description="Your answer",
                           placeholder="Write here…", style=FULL_LABEL, layout={"width": "100%", "height": "8em"})
        counter = make_widget(widgets.Label, "rolelib-counter", value=self.count_text(""))
        area.observe(lambda change: setattr(counter, "value", self.count_text(change["new"])), "value")
        return Inputs([area], [area, counter])

    def count_text(self, text: str) -> str:
        """The counter under the text box: "59 of 800 characters" (and how many too many)."""
        extra = f", {len(text) - self.max_chars} too many" if len(text) > self.max_chars else ""
        return f"{len(text)} of {self.max_chars} characters{extra}"

    def read(self, controls: list[Any]) -> Any:
        return controls[0].value

    def write(self, controls: list[Any], answer: Any) -> None:
        controls[0].value = displayable(answer or "")

    def missing(self, answer: Any) -> str:
        if not answer.strip():
            return "Write your reflection first, then press Save."
        if len(answer) > self.max_chars:
            return (f"✗ Not saved: your text has {len(answer)} characters and the limit is "
                    f"{self.max_chars}. Shorten it by {len(answer) - self.max_chars} and press Save again.")
        return ""

    def fits(self, answer: Any) -> bool:
        return isinstance(answer, str) and 0 < len(answer) <= self.max_chars

    def quiz_form(self) -> QuizForm:
        return QuizForm(None, left_out="a reflection has no answer key to grade against")
