"""The class's first day on the hub: the lesson and the review the learners work through, and what they saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rolelib._markup import html_to_text
from rolelib.questions import load_banks
from rolelib.versions import version_for

from .clients import Client, exercises_on_page, model_with_class
from .settings import COURSE_NAME

LESSON = f"{COURSE_NAME}/notebooks/01_focus.ipynb"
REVIEW = f"{COURSE_NAME}/notebooks/06_review.ipynb"

# In 01_focus: a hint then the right answer, a wrong answer, a right answer.
ANSWERS = """
from rolelib import exercises, testing
hinted = exercises.exercise("focus-1"); testing.hint(hinted)
testing.answer(hinted, testing.correct_answer(hinted)); print(testing.check(hinted).splitlines()[0])
wrong = exercises.exercise("focus-2")
testing.answer(wrong, [option for option in wrong.question.options if option not in wrong.question.answer][:1])
print(testing.check(wrong).splitlines()[0])
right = exercises.exercise("focus-3"); testing.answer(right, testing.correct_answer(right))
print(testing.check(right).splitlines()[0])
"""


@dataclass
class FirstSession:
    """What the learners saw on their first day, and how long the class took to start."""

    feedback: dict[str, list[str]] = field(default_factory=dict)
    voila_feedback: dict[str, list[str]] = field(default_factory=dict)
    exports: dict[str, str] = field(default_factory=dict)
    timings: dict[str, Any] = field(default_factory=dict)


def voila_review(client: Client, learner: str) -> tuple[list[str], str]:
    """The review as a Voila app: the first single-choice question right, the second wrong,
    then the export panel; returns the feedback shown and the export's file name."""
    banks = load_banks()
    single = [version_for(q, client.name)  # the version this learner's account is shown, in its order
              for q in banks.values() if q.lesson == "06_review" and q.kind == "single"][:2]
    _page, kernel = client.voila(REVIEW)
    try:
        states = kernel.widget_states()
        on_page = exercises_on_page(states)
        for question, right in zip(single, (True, False)):
            parts = on_page[question.slot]
            (radio_id, radio), = parts["inputs"]
            labels = radio["_options_labels"]
            choice = labels.index(question.answer) if right else next(
                i for i, label in enumerate(labels) if label != question.answer)
            kernel.widget_update(radio_id, index=choice)
            kernel.widget_click(parts["check"])
        states = kernel.widget_states()
        shown = [html_to_text(states[exercises_on_page(states)[q.slot]["feedback"]]["value"]) for q in single]
        name_box = next(model for model, state in states.items()
                        if state.get("_model_name") == "TextModel" and state.get("description") == "Your name")
        kernel.widget_update(name_box, value=learner)
        kernel.widget_click(model_with_class(states, "rolelib-export-button"))
        status_id = model_with_class(states, "rolelib-export-status")
        status = html_to_text(kernel.widget_states()[status_id]["value"])
    finally:
        kernel.close()
    assert status.startswith("✓ Saved as") and "in the hand-in folder" in status, status
    return shown, status.split("Saved as ", 1)[1].split(" in the hand-in folder", 1)[0]
