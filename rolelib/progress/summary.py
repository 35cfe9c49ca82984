"""Progress as tables: every attempt, and the summary per lesson or per topic (pandas, imported on use)."""

from __future__ import annotations

from dataclasses import astuple, fields
from typing import TYPE_CHECKING

from rolelib._errors import UnknownNameError
from rolelib.lessons import LESSONS
from rolelib.progress.store import Attempt

if TYPE_CHECKING:
    import pandas as pd

    from rolelib._types import DataSource
    from rolelib.kinds import Question

GROUPINGS = ("lesson", "topic")


def attempts_frame(attempts: list[Attempt]) -> pd.DataFrame:
    """The attempts as a table, one row each, columns as the fields of :class:`~rolelib.progress.Attempt`.

    >>> from rolelib.progress import Attempt
    >>> attempts_frame([Attempt("certs-2", "04_certifications", "certifications", "multiple",
    ...                         ["CISSP", "CISM"], None, 0.0, 0)]).loc[0, "answer"]
    ['CISSP', 'CISM']
    """
    import pandas as pd

    columns = [field.name for field in fields(Attempt)]
    frame = pd.DataFrame([astuple(attempt) for attempt in attempts], columns=columns, dtype=object)
    return frame.astype({"question_id": "str", "lesson": "str", "topic": "str", "kind": "str", "correct": "boolean",
                         "score": "float64", "hints_used": "int64", "time": "str",
                         "attempt_number": "int64"})


def summarise(attempts: list[Attempt], by: str = "lesson", *, data: DataSource = None) -> pd.DataFrame:
    """Per lesson or per topic (``by``), in course order: questions attempted, graded, correct, score.

    A question counts once. ``correct`` and ``score`` come from its last graded attempt, graded
    again by the banks of ``data`` as the Submit panel and the class report grade it (an answer
    the question no longer takes counts as wrong; a question the banks do not have counts as it
    was recorded); ungraded answers (reflections) count as attempted but not as graded, so a
    percentage is ``score / graded``. Every lesson, or every topic of the course data's
    dimensions, is listed (with 0 when nothing was attempted), then any other group found in
    the attempts.

    >>> from rolelib.progress import Attempt
    >>> from rolelib.questions import load_banks
    >>> right = load_banks()["focus-1"].answer
    >>> table = summarise([Attempt("focus-1", "01_focus", "focus", "single", right, False, 0.0, 1)], "topic")
    >>> table["topic"].tolist()[:3], table["correct"].tolist()[:3], table["score"].tolist()[:3]
    (['roles', 'focus', 'responsibilities'], [0, 1, 0], [0.0, 0.9, 0.0])
    """
    import pandas as pd

    if by not in GROUPINGS:
        raise UnknownNameError("summary grouping", by, GROUPINGS, plural="summary groupings (by=...)")
    known = [item.slug for item in LESSONS] if by == "lesson" else _topics(data)
    group_of: dict[str, str] = {}
    last_graded: dict[str, Attempt] = {}
    for attempt in attempts:
        group_of[attempt.question_id] = getattr(attempt, by)
        if attempt.correct is not None:
            last_graded[attempt.question_id] = attempt
    banks = _banks(data)
    totals = {group: [0, 0, 0, 0.0] for group in known}
    for question_id, group in group_of.items():
        total = totals.setdefault(group, [0, 0, 0, 0.0])
        total[0] += 1
        if question_id in last_graded:
            correct, score = _graded(last_graded[question_id], banks.get(question_id))
            total[1] += 1
            total[2] += int(correct)
            total[3] += score
    order = known + sorted(set(totals) - set(known))
    return pd.DataFrame({
        by: order,
        "attempted": pd.Series([totals[group][0] for group in order], dtype="int64"),
        "graded": pd.Series([totals[group][1] for group in order], dtype="int64"),
        "correct": pd.Series([totals[group][2] for group in order], dtype="int64"),
        "score": pd.Series([round(totals[group][3], 2) for group in order], dtype="float64"),
    })


def _banks(data: DataSource) -> dict[str, Question]:
    """The questions of the course data's banks by id ({} when the data or the banks do not load)."""
    from rolelib._errors import DataError
    from rolelib.data import course_data
    from rolelib.questions import load_banks

    try:
        return load_banks(course_data(data))
    except DataError:
        return {}


def _graded(attempt: Attempt, entry: Question | None) -> tuple[bool, float]:
    """Whether a graded attempt is right and its score, graded again by its question (as recorded without one)."""
    from rolelib.versions import graded_again

    if entry is None:
        return bool(attempt.correct), attempt.score
    again = graded_again(entry, attempt.variant, attempt.order, attempt.answer, attempt.hints_used)
    grade = None if again is None else again[1]
    return (False, 0.0) if grade is None or grade.correct is None else (grade.correct, grade.score)


def _topics(data: DataSource) -> list[str]:
    """The topics of the course in order: the dimensions of the course data ([] when it does not load)."""
    from rolelib._errors import DataError
    from rolelib.data import course_data

    try:
        dimensions = course_data(data).dimensions
    except DataError:
        return []
    return dimensions.sort_values("order", kind="stable")["dimension_id"].astype(str).tolist()


def progress_summary(by: str = "lesson", *, data: DataSource = None) -> pd.DataFrame:
    """Attempted, correct and score per lesson (``by="lesson"``) or per topic, from the kernel's store.

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}):
    ...     progress_summary("topic")["topic"].tolist()
    ['roles', 'focus', 'responsibilities', 'education', 'certifications', 'reporting']
    """
    from rolelib.progress.store import store

    return summarise(store().all_attempts(), by, data=data)
