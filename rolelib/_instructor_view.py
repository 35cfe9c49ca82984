"""Instructor mode, and the answer keys it opens: every version of every question of a lesson.

Learners never get the answers: :func:`answer_key` and the Reveal answer button of an exercise
need instructor mode, switched on with :func:`instructor_mode` or ``ROLELIB_INSTRUCTOR=1``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rolelib._deprecated import renamed_keywords
from rolelib.lessons import lesson as find_lesson

if TYPE_CHECKING:
    import pandas as pd

    from rolelib._types import DataSource
    from rolelib.kinds import Question

INSTRUCTOR_ENV = "ROLELIB_INSTRUCTOR"
ANSWER_KEY_COLUMNS = ["question_id", "version", "kind", "level", "prompt", "answer", "explanation"]
_instructor: bool | None = None


def instructor_mode(on: bool | None = True) -> None:
    """Switch instructor mode on or off for exercises created from now on (None: follow the environment).

    In instructor mode every exercise has a Reveal answer button, and :func:`answer_key` works.
    Setting the environment variable ROLELIB_INSTRUCTOR=1 before starting Jupyter has the same effect.

    >>> instructor_mode(True); is_instructor()
    True
    >>> instructor_mode(None)
    """
    global _instructor
    _instructor = on


def is_instructor() -> bool:
    """True in instructor mode (see :func:`instructor_mode`).

    >>> instructor_mode(False); is_instructor()
    False
    >>> instructor_mode(None)
    """
    if _instructor is not None:
        return _instructor
    return os.environ.get(INSTRUCTOR_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def permission_error() -> PermissionError:
    """The error for a learner who asks for answers: it says how an instructor switches instructor mode on."""
    return PermissionError("answer keys are for instructors: call rolelib.instructor_mode() first, "
                           f"or set {INSTRUCTOR_ENV}=1 before starting Jupyter")


@renamed_keywords(data_dir="data")
def answer_key(lesson: str, *, data: DataSource = None) -> pd.DataFrame:
    """The answers and explanations of one lesson's questions, for instructors only: a row per version.

    ``question_id`` is the question (the bank entry), ``version`` the version the row gives: the
    entry itself, then each of its variants.

    >>> instructor_mode(True)
    >>> list(answer_key("04_certifications").columns)
    ['question_id', 'version', 'kind', 'level', 'prompt', 'answer', 'explanation']
    >>> instructor_mode(None)
    """
    import pandas as pd

    from rolelib.data import course_data
    from rolelib.questions import load_banks

    if not is_instructor():
        raise permission_error()
    find_lesson(lesson)
    rows = [(version.slot, version.id, version.kind, version.level, version.prompt, version.answer_text(),
             version.explanation)
            for entry in load_banks(course_data(data)).values() if entry.lesson == lesson
            for version in entry.versions]
    return pd.DataFrame(rows, columns=ANSWER_KEY_COLUMNS)


def answer_text(question: Question) -> str:
    """The correct answer of a question as one line of text ('' for a reflection).

    >>> from rolelib.questions import load_banks
    >>> banks = load_banks()
    >>> answer_text(banks["focus-1"]) == banks["focus-1"].answer, answer_text(banks["start-3"])
    (True, '')
    """
    return question.answer_text()
