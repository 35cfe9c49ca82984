"""Progress stores and the exports learners hand in, made as the course or an older version would make them."""

from __future__ import annotations

import functools
import json
import random
import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rolelib.progress import Attempt
    from rolelib.questions import Question


def restart_store(monkeypatch) -> None:
    """A new progress store on the same file, as after a kernel restart."""
    from rolelib import progress

    store_file = progress.store().path
    monkeypatch.setenv("ROLELIB_PROGRESS", ":memory:")
    progress.store()
    monkeypatch.setenv("ROLELIB_PROGRESS", str(store_file))


def latest(question_id: str) -> Attempt | None:
    """The last attempt at a question that the progress store holds."""
    from rolelib import progress

    return progress.store().last_attempt(question_id)


def attempt_count() -> int:
    """How many attempts the progress store holds."""
    from rolelib import progress

    return len(progress.store().attempts())


# A class of thirty learner accounts.
CLASS = [f"learner{number:02d}" for number in range(30)]


# -- progress stores and exports -------------------------------------------------------------

# The columns of a progress export, in order.
COLUMNS = ["question_id", "lesson", "topic", "kind", "answer", "correct", "score", "hints_used", "time", "attempt_number",
           "variant", "order"]


def attempt(question_id: str = "focus-1", answer: object = "CIO", correct: bool | None = True, score: float = 1.0,
            lesson: str = "01_focus", topic: str = "focus", kind: str = "single", hints_used: int = 0,
            time: str = "") -> Attempt:
    """An attempt to record in a progress store: by default a right answer to focus-1."""
    from rolelib.progress import Attempt

    return Attempt(question_id, lesson, topic, kind, answer, correct, score, hints_used, time)


@contextmanager
def no_progress_warning() -> Iterator[None]:
    """Turn any ProgressWarning raised inside the block into an error."""
    from rolelib.progress import ProgressWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgressWarning)
        yield


VERSION_1_TABLE = """CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id TEXT NOT NULL, lesson TEXT NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL,
    answer TEXT NOT NULL, correct INTEGER, score REAL NOT NULL,
    hints_used INTEGER NOT NULL, time TEXT NOT NULL)"""


def legacy_store(path: Path, rows: int = 0, questions: list[str] | None = None, stamped: bool = False) -> None:
    """A store as earlier versions made it: the version 1 attempts table, unstamped (before the format was
    stamped) or stamped as version 1. Its rows answer ``questions`` (by default q-0, q-1, ...)."""
    from rolelib import progress as progress_module

    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(VERSION_1_TABLE)
    for question_id in questions or [f"q-{number}" for number in range(rows)]:
        connection.execute("INSERT INTO attempts (question_id, lesson, topic, kind, answer, correct, score, "
                           "hints_used, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (question_id, "01_focus", "focus", "single", '"CIO"', 1, 1.0, 0,
                            "2026-01-01T00:00:00.000+00:00"))
    if stamped:
        connection.execute(f"PRAGMA application_id = {progress_module._sqlite.APPLICATION_ID}")
        connection.execute("PRAGMA user_version = 1")
    connection.close()


def rows_in(path: Path) -> int:
    """How many attempts a progress store file holds."""
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]


def mode(path: Path) -> int:
    """A file's permission bits."""
    return path.stat().st_mode & 0o777


# -- class report exports --------------------------------------------------------------------------

@functools.cache
def course_banks() -> dict[str, Question]:
    """The question banks of the course's own data, loaded once."""
    from rolelib.questions import load_banks

    return load_banks()


def attempt_at(question_id: str, right: bool | None = True, *, hints: int = 0, minute: int = 0,
               answer: object = None, correct: bool | None = None, score: float | None = None) -> dict:
    """An attempt at a question of the course's banks, with a right or a wrong answer made by its kind.

    ``correct`` and ``score`` are what the file claims (by default what the answer deserves):
    the report must ignore them.
    """
    question = course_banks().get(question_id)
    if answer is None and question is not None:
        answer = question.sample_answer(random.Random(minute), right is not False)
    deserved = question.grade(answer, hints) if question is not None and question.fits(answer) else None
    return {"question_id": question_id, "lesson": question.lesson if question else "01_focus",
            "topic": question.topic if question else "focus", "kind": question.kind if question else "single",
            "answer": answer, "correct": (deserved.correct if deserved else False) if correct is None else correct,
            "score": (deserved.score if deserved else 0.0) if score is None else score, "hints_used": hints,
            "time": f"2025-03-03T10:{minute:02d}:00.000+00:00"}


def hand_in(path: Path, learner: str, attempts: list[dict], exported_at: str = "2025-03-03T12:00:00+00:00",
            account: str | None = None) -> Path:
    """An export in the documented JSON format, as a learner (or a forger) hands it in."""
    document = {"format": "rolelib-progress", "version": 2, "learner": learner, "account": account,
                "exported_at": exported_at, "course_version": "0.1.0", "attempts": attempts}
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def course_export(path: Path, learner: str, attempts: list[dict], account: str | None = None,
                  exported_at: str = "2025-03-03T11:00:00+00:00") -> Path:
    """An export written by the course's own writer (CSV or JSON by the file's extension)."""
    from rolelib.progress import Attempt, write_export
    from rolelib.progress.export import new_export

    made = new_export(learner, [Attempt(**attempt) for attempt in attempts], account=account,
                      exported_at=datetime.fromisoformat(exported_at))
    return write_export(path, made)
