"""Drive exercises without a browser: answer, press the buttons, read the feedback.

The helpers work through the widgets, as a learner would: :func:`answer` sets the input
widgets, :func:`check` clicks the Check button and returns the feedback text shown. Use them
in tests of the course, or to test your own questions.

>>> from unittest import mock
>>> from rolelib import exercises, testing
>>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}):
...     ex = exercises.exercise("focus-1")
...     testing.answer(ex, next(option for option in ex.question.options if option != ex.question.answer))
...     print(testing.check(ex).splitlines()[0])
...     testing.retry(ex)
...     testing.answer(ex, testing.correct_answer(ex))
...     print(testing.check(ex).splitlines()[0])
✗ Not quite. Score: 0 of 100 points.
✓ Correct. Score: 100 of 100 points.
"""

from __future__ import annotations

from typing import Any

from rolelib._markup import html_to_text
from rolelib.exercises import Exercise


def answer(ex: Exercise, value: Any) -> None:
    """Put an answer into the exercise's widgets, in the form its kind takes.

    For the course's kinds: an option (single choice), a list of options (select all that
    apply), a dict item -> choice (classify: statement text or responsibility id -> role;
    match: left item -> choice), or text (reflection).
    """
    ex.value = value


def check(ex: Exercise) -> str:
    """Press Check (Save for a reflection) and return the feedback as the learner reads it."""
    ex.check_button.click()
    return feedback(ex)


def feedback(ex: Exercise) -> str:
    """The feedback the exercise shows now, as plain text ('' before any check)."""
    return html_to_text(ex.feedback_widget.value)


def hint(ex: Exercise) -> str:
    """Press Hint and return the hints shown so far, as plain text.

    Raises ValueError when the question has no hints.
    """
    if ex.hint_button is None:
        raise ValueError(f"question {ex.question.id} has no hints")
    ex.hint_button.click()
    return html_to_text(ex.hints_widget.value)


def retry(ex: Exercise) -> None:
    """Press Try again (Edit for a reflection)."""
    ex.retry_button.click()


def items(ex: Exercise) -> list[str]:
    """The statements (classify) or left-hand items (match) in the order shown; [] for other kinds.

    >>> from unittest import mock
    >>> from rolelib import exercises
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}):
    ...     items(exercises.exercise("focus-1")), len(items(exercises.exercise("resp-1"))) > 1
    ([], True)
    """
    return [item.text for item in ex.question.items]


def correct_answer(ex: Exercise) -> Any:
    """A right answer in the form :func:`answer` takes (a reflection gets a short text), from the question's kind.

    >>> from unittest import mock
    >>> from rolelib import exercises
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}):
    ...     ex = exercises.exercise("report-1")
    ...     answer(ex, correct_answer(ex))
    ...     check(ex).startswith("✓ Correct.")
    True
    """
    return ex.question.correct_answer()
