"""The learner's progress: every attempt at an exercise, kept in a small SQLite file.

Answers survive kernel restarts, several notebooks (kernels) can record at once, and a
damaged or unwritable store never breaks an exercise: it is replaced or kept in memory,
with one clear warning. Learners export their progress to a JSON or CSV file to hand in;
instructors read such files back with :func:`read_export`.

>>> progress = ProgressStore(":memory:")
>>> progress.record(Attempt("certs-1", "04_certifications", "certifications", "single",
...                         answer="CISSP", correct=True, score=1.0, hints_used=0))
>>> progress.last_attempt("certs-1").answer
'CISSP'

Where the file lives: the path given to :class:`ProgressStore`, else the environment
variable ``ROLELIB_PROGRESS`` (a file, or a folder that gets ``progress.sqlite3``;
``:memory:`` keeps progress in memory only), else the user's data folder.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import sqlite3
import threading
import time
import warnings
import weakref
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar, Union

import platformdirs

from rolelib import __version__
from rolelib.lessons import LESSONS

if TYPE_CHECKING:
    import pandas as pd

PathLike = Union[str, "os.PathLike[str]"]
_T = TypeVar("_T")

ENV_VAR = "ROLELIB_PROGRESS"
EXPORT_FORMAT = "rolelib-progress"
EXPORT_VERSION = 1
_FILENAME = "progress.sqlite3"
_MEMORY = ":memory:"
_TOPICS = ("roles", "focus", "responsibilities", "education", "certifications", "reporting")

# Journal mode. Home directories on a JupyterHub are often on NFS. WAL mode keeps its
# index in shared memory (the -shm file, mapped by every process), which does not work
# across a network file system and can corrupt the database there. The classic rollback
# journal (journal_mode=DELETE) needs only ordinary file locks, which work on local disks
# and on NFS alike. In this mode one writer excludes every other reader and writer for the
# short time of a commit, so writes take the write lock up front (BEGIN IMMEDIATE) and an
# operation that finds the file locked ("database is locked") is retried after a short
# random pause, for up to _BUSY_WAIT_S. SQLite's own busy handler (a small busy timeout
# per try) is not enough alone: it backs off up to 100 ms at a time, so a kernel that
# writes often can keep another one waiting for seconds.
_BUSY_TIMEOUT_S = 0.01
_BUSY_WAIT_S = 5.0

_COLUMNS = ("question_id", "lesson", "topic", "kind", "answer", "correct", "score", "hints_used", "time")
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question_id TEXT NOT NULL, lesson TEXT NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL,
        answer TEXT NOT NULL, correct INTEGER, score REAL NOT NULL,
        hints_used INTEGER NOT NULL, time TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS attempts_by_question ON attempts (question_id, id)",
)
_INSERT = f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_SELECT_ALL = f"SELECT {', '.join(_COLUMNS)} FROM attempts ORDER BY id"
_SELECT_LAST = f"SELECT {', '.join(_COLUMNS)} FROM attempts WHERE question_id = ? ORDER BY id DESC LIMIT 1"

# SQLite's primary result codes for "locked by someone else" and for "this is not a good database".
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class ProgressWarning(UserWarning):
    """Progress cannot be kept as usual (a damaged or unwritable store); exercises still work."""


@dataclass(frozen=True)
class Attempt:
    """One answer a learner checked (or saved, for an ungraded reflection).

    ``answer`` is JSON-serialisable (a string, a list of strings or a dict of strings);
    ``correct`` is None when the question is not graded; ``score`` runs from 0 to 1 after
    the hint penalty; ``time`` is ISO 8601 in UTC and is filled by :meth:`ProgressStore.record`.

    >>> Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0).time
    ''
    """

    question_id: str
    lesson: str
    topic: str
    kind: str
    answer: Any
    correct: bool | None
    score: float
    hints_used: int
    time: str = ""


_ATTEMPT_FIELDS = tuple(field.name for field in fields(Attempt))  # asked for every answer of every export


class ProgressStore:
    """Every attempt of one learner, in an SQLite file (or in memory with ``path=":memory:"``).

    ``path`` may be a file or an existing folder (which gets ``progress.sqlite3``); when it
    is None, the environment variable ``ROLELIB_PROGRESS`` decides, else the user's data
    folder. If the file is damaged it is moved aside and a fresh one started; if it cannot
    be written, progress is kept in memory. Either way :attr:`warning` says what happened,
    and the same message is issued once as a :class:`ProgressWarning`.

    >>> progress = ProgressStore(":memory:")
    >>> progress.path is None, progress.warning is None
    (True, True)
    """

    def __init__(self, path: PathLike | None = None) -> None:
        self._lock = threading.RLock()
        self._memory: sqlite3.Connection | None = None
        self.warning: str | None = None
        self._path = _resolve(path)
        if self._path is None:
            self._memory = _memory_connection([])
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._file_call(_prepare)
        except (sqlite3.Error, OSError) as exc:
            self._recover(exc)

    @property
    def path(self) -> Path | None:
        """The SQLite file progress is written to; None while it is kept in memory."""
        return None if self._memory is not None else self._path

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path) if self.path else _MEMORY!r})"

    def record(self, attempt: Attempt) -> None:
        """Store one attempt (``time`` is set to now when empty); storage problems never raise.

        An answer that cannot be written as JSON is a programming error and raises TypeError.

        >>> progress = ProgressStore(":memory:")
        >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0))
        >>> progress.last_attempt("focus-1").time.endswith("+00:00")
        True
        """
        if not attempt.time:
            attempt = replace(attempt, time=datetime.now(timezone.utc).isoformat(timespec="milliseconds"))
        row = (attempt.question_id, attempt.lesson, attempt.topic, attempt.kind,
               json.dumps(attempt.answer, ensure_ascii=False),
               None if attempt.correct is None else int(bool(attempt.correct)),
               float(attempt.score), int(attempt.hints_used), attempt.time)
        self._run(lambda connection: _write(connection, _INSERT, row))
        _notify(attempt)

    def last_attempt(self, question_id: str) -> Attempt | None:
        """The newest attempt at a question, or None if it was never answered.

        >>> progress = ProgressStore(":memory:")
        >>> for answer in (["CISSP"], ["CISSP", "CISM"]):
        ...     progress.record(Attempt("certs-2", "04_certifications", "certifications",
        ...                             "multiple", answer, False, 0.5, 1))
        >>> progress.last_attempt("certs-2").answer
        ['CISSP', 'CISM']
        >>> progress.last_attempt("never-seen") is None
        True
        """
        rows = self._run(lambda connection: connection.execute(_SELECT_LAST, (question_id,)).fetchall())
        return _attempt(rows[0]) if rows else None

    def attempts(self) -> pd.DataFrame:
        """Every attempt, oldest first, one row each (columns as the fields of :class:`Attempt`).

        >>> progress = ProgressStore(":memory:")
        >>> progress.record(Attempt("r-1", "00_start_here", "roles", "reflect", "Both matter.", None, 0.0, 0))
        >>> table = progress.attempts()
        >>> list(table.columns)
        ['question_id', 'lesson', 'topic', 'kind', 'answer', 'correct', 'score', 'hints_used', 'time']
        >>> table.loc[0, "answer"], bool(table["correct"].isna().all())
        ('Both matter.', True)
        """
        return _frame(self._all())

    def summary(self, by: str = "lesson") -> pd.DataFrame:
        """Per lesson or per topic (``by``), in course order: questions attempted, graded, correct, score.

        A question counts once. ``correct`` and ``score`` come from its last graded attempt;
        ungraded answers (reflections) count as attempted but not as graded, so a percentage
        is ``score / graded``. Groups with no attempt show 0.

        >>> progress = ProgressStore(":memory:")
        >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", "CISO", False, 0.0, 0))
        >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 0.75, 1))
        >>> progress.summary("topic").head(2)
           topic  attempted  graded  correct  score
        0  roles          0       0        0   0.00
        1  focus          1       1        1   0.75
        """
        import pandas as pd

        if by not in ("lesson", "topic"):
            raise ValueError(f"summary(by=...) takes 'lesson' or 'topic', not {by!r}")
        known = [item.slug for item in LESSONS] if by == "lesson" else list(_TOPICS)
        group_of: dict[str, str] = {}
        graded: dict[str, tuple[bool, float]] = {}
        for attempt in self._all():
            group_of[attempt.question_id] = getattr(attempt, by)
            if attempt.correct is not None:
                graded[attempt.question_id] = (attempt.correct, attempt.score)
        totals = {group: [0, 0, 0, 0.0] for group in known}
        for question_id, group in group_of.items():
            total = totals.setdefault(group, [0, 0, 0, 0.0])
            total[0] += 1
            if question_id in graded:
                correct, score = graded[question_id]
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

    def export(self, path: PathLike, learner: str) -> Path:
        """Write every attempt, with the learner's name, to a .json or .csv file; return its path.

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     saved = ProgressStore(":memory:").export(Path(folder) / "ada.json", "Ada")
        ...     read_export(saved)[0]
        'Ada'
        """
        name = _check_learner(learner)
        target = Path(path).expanduser()
        kind = _export_kind(target)
        if kind is None:
            raise ValueError(f"cannot export to {target}: {_not_an_export_file(target)}")
        records = [asdict(attempt) for attempt in self._all()]
        if kind == "json":
            document = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "learner": name,
                        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        "course_version": __version__, "attempts": records}
            text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        else:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(("learner", *_COLUMNS))
            for record in records:
                writer.writerow((name, *(_csv_cell(column, record[column]) for column in _COLUMNS)))
            text = buffer.getvalue()
        # Write a temporary file and rename it, so an old export is never left half-overwritten.
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        try:
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return target

    # -- storage -----------------------------------------------------------------------

    def _all(self) -> list[Attempt]:
        rows = self._run(lambda connection: connection.execute(_SELECT_ALL).fetchall())
        return [_attempt(row) for row in rows]

    def _run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Do ``work`` on the file; on a storage error repair or fall back to memory, then do it there."""
        with self._lock:
            if self._memory is None:
                try:
                    return self._file_call(work)
                except (sqlite3.Error, OSError) as exc:
                    self._recover(exc)
                if self._memory is None:  # a damaged file was replaced by a fresh one
                    try:
                        return self._file_call(work)
                    except (sqlite3.Error, OSError) as exc:
                        self._use_memory(exc, keep_rows=False)
            assert self._memory is not None
            return work(self._memory)

    def _file_call(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work`` on a short-lived connection, retrying while another process holds the lock.

        A connection per operation costs about a millisecond and means every kernel always
        sees the file as it is now (even if another kernel has just replaced it).
        """
        assert self._path is not None
        deadline = time.monotonic() + _BUSY_WAIT_S
        while True:
            connection = sqlite3.connect(self._path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
            try:
                return work(connection)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    raise
            finally:
                connection.close()
            time.sleep(random.uniform(0.001, 0.005))

    def _recover(self, exc: BaseException) -> None:
        """After a storage error: move a damaged file aside and start afresh, or use memory."""
        if not _is_damaged(exc):
            self._use_memory(exc, keep_rows=not _is_busy(exc))
            return
        assert self._path is not None
        try:
            aside = _move_aside(self._path)
            self._file_call(_prepare)
        except (sqlite3.Error, OSError) as again:
            self._use_memory(again, keep_rows=False, damaged=exc)
            return
        if aside is not None:
            self._warn(f"Your progress file {self._path} was damaged ({exc}), so it was moved aside "
                       f"to {aside} and a fresh progress file was started there. Your earlier "
                       "answers are in the moved file; new answers are saved as usual.")

    def _use_memory(self, exc: BaseException, *, keep_rows: bool, damaged: BaseException | None = None) -> None:
        rows: list[tuple] = []
        if keep_rows and self._path is not None and self._path.is_file():
            try:
                rows = self._file_call(lambda connection: connection.execute(_SELECT_ALL).fetchall())
            except (sqlite3.Error, OSError):
                rows = []
        self._memory = _memory_connection(rows)
        problem = f"it is damaged ({damaged}) and could not be replaced: {exc}" if damaged else str(exc)
        self._warn(f"Your progress cannot be saved to {self._path} ({problem}). Until the kernel "
                   "restarts it is kept in memory only and will then be lost. Exercises keep working. "
                   f"To save it, set the environment variable {ENV_VAR} to a file or folder you can "
                   "write to, or free some space, and restart the kernel.")

    def _warn(self, message: str) -> None:
        self.warning = message
        warnings.warn(message, ProgressWarning, stacklevel=2)


_DEFAULT: ProgressStore | None = None
_DEFAULT_SETTING = ""
_DEFAULT_LOCK = threading.Lock()


_LISTENERS: list[weakref.WeakMethod] = []


def on_record(method: Callable[[Attempt], None]) -> None:
    """Call ``method`` (a bound method) after each attempt is recorded, e.g. to redraw a live score.

    The method is held weakly: once its object is gone, it is no longer called. A listener that
    fails gets a warning; the attempt is recorded and the exercise goes on all the same.
    """
    _LISTENERS.append(weakref.WeakMethod(method))


def _notify(attempt: Attempt) -> None:
    for reference in list(_LISTENERS):
        method = reference()
        if method is None:
            _LISTENERS.remove(reference)
            continue
        try:
            method(attempt)
        except Exception as exc:  # noqa: BLE001 - a display must never break recording
            warnings.warn(f"a progress display could not update: {exc}", ProgressWarning, stacklevel=3)


def store() -> ProgressStore:
    """The process-wide progress store, created on first use (and again if ``ROLELIB_PROGRESS`` changes).

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {ENV_VAR: ":memory:"}):
    ...     print(store().path, store() is store())
    None True
    """
    global _DEFAULT, _DEFAULT_SETTING
    setting = os.environ.get(ENV_VAR, "")
    with _DEFAULT_LOCK:
        if _DEFAULT is None or setting != _DEFAULT_SETTING:
            _DEFAULT, _DEFAULT_SETTING = ProgressStore(), setting
        return _DEFAULT


def progress_summary(by: str = "lesson") -> pd.DataFrame:
    """Attempted, correct and score per lesson (``by="lesson"``) or per topic, from :func:`store`.

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {ENV_VAR: ":memory:"}):
    ...     progress_summary("topic")["topic"].tolist()
    ['roles', 'focus', 'responsibilities', 'education', 'certifications', 'reporting']
    """
    return store().summary(by)


def export_progress(path: PathLike, learner: str) -> Path:
    """Export the learner's progress from :func:`store` to a .json or .csv file to hand in.

    >>> import tempfile
    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {ENV_VAR: ":memory:"}), tempfile.TemporaryDirectory() as folder:
    ...     export_progress(Path(folder) / "my-progress.csv", "Grace Hopper").name
    'my-progress.csv'
    """
    return store().export(path, learner)


@dataclass(frozen=True)
class Export:
    """One learner's handed-in progress file, checked: who, when (empty for CSV) and every attempt."""

    learner: str
    exported_at: str
    attempts: list[Attempt]


class ExportError(ValueError):
    """A file that is not a usable progress export; ``reason`` says why, in a learner's words."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot read progress export {path}: {reason}")


def parse_export(path: PathLike, payload: bytes | None = None) -> Export:
    """Read and check a file written by :meth:`ProgressStore.export`, without building a DataFrame.

    ``payload`` is the file's content when the caller has read it already. Raises
    :class:`ExportError` naming the file and what is wrong with it when it is not a usable export.

    >>> import tempfile
    >>> progress = ProgressStore(":memory:")
    >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     export = parse_export(progress.export(Path(folder) / "p.json", "Ada"))
    >>> export.learner, [a.question_id for a in export.attempts]
    ('Ada', ['focus-1'])
    """
    source = Path(path).expanduser()
    kind = _export_kind(source)
    if kind is None:
        raise ExportError(source, _not_an_export_file(source))
    try:
        text = (source.read_bytes() if payload is None else payload).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(source, f"it is not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    if not text.strip():
        raise ExportError(source, "the file is empty")
    return _parse_json(source, text) if kind == "json" else _parse_csv(source, text)


def read_export(path: PathLike) -> tuple[str, pd.DataFrame]:
    """Read a file written by :meth:`ProgressStore.export`: the learner's name and their attempts.

    Raises ValueError naming the file and what is wrong with it when it is not a usable export.

    >>> import tempfile
    >>> progress = ProgressStore(":memory:")
    >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     learner, attempts = read_export(progress.export(Path(folder) / "p.csv", "Ada"))
    >>> learner, attempts["answer"].tolist()
    ('Ada', ['CIO'])
    """
    export = parse_export(path)
    return export.learner, _frame(export.attempts)


# -- helpers: locations and the database -------------------------------------------------


def _resolve(path: PathLike | None) -> Path | None:
    """The SQLite file to use, or None for an in-memory store."""
    if path is None:
        path = os.environ.get(ENV_VAR) or None
        if path is None:
            return Path(platformdirs.user_data_dir("rolelib", appauthor=False)) / _FILENAME
    text = os.fspath(path)
    if text == _MEMORY:
        return None
    target = Path(text).expanduser().absolute()
    if target.is_dir() or text.endswith(("/", os.sep)):
        return target / _FILENAME
    return target


def _prepare(connection: sqlite3.Connection) -> None:
    """Set the journal mode, check the file is a sound database, and create the table."""
    connection.execute("PRAGMA journal_mode=DELETE").fetchall()
    verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed: {verdict}")
    connection.execute("BEGIN IMMEDIATE")
    for statement in _SCHEMA:
        connection.execute(statement)
    connection.execute("COMMIT")


def _write(connection: sqlite3.Connection, statement: str, row: tuple) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(statement, row)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _memory_connection(rows: list[tuple]) -> sqlite3.Connection:
    connection = sqlite3.connect(_MEMORY, isolation_level=None, check_same_thread=False)
    for statement in _SCHEMA:
        connection.execute(statement)
    connection.executemany(_INSERT, rows)
    return connection


def _error_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    return None if code is None else code & 0xFF


def _is_busy(exc: BaseException) -> bool:
    code = _error_code(exc)
    if code is not None:
        return code in _BUSY_CODES
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _is_damaged(exc: BaseException) -> bool:
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = _error_code(exc)
    if code is not None:
        return code in _DAMAGE_CODES
    return "malformed" in str(exc) or "not a database" in str(exc)


def _move_aside(path: Path) -> Path | None:
    """Rename a damaged file (and its journal) to NAME.corrupt-TIMESTAMP; None if already gone."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 2
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
        number += 1
    try:
        os.replace(path, aside)
    except FileNotFoundError:  # another kernel moved it aside first
        return None
    for suffix in ("-journal", "-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    return aside


def _attempt(row: tuple) -> Attempt:
    question_id, lesson, topic, kind, answer, correct, score, hints_used, when = row
    try:
        answer = json.loads(answer)
    except json.JSONDecodeError:  # edited by hand outside rolelib: keep the text as it is
        pass
    return Attempt(question_id, lesson, topic, kind, answer,
                   None if correct is None else bool(correct), float(score), int(hints_used), when)


def _frame(attempts: list[Attempt]) -> pd.DataFrame:
    """The attempts as a table; built column by column from arrays, as the class report reads hundreds."""
    import numpy as np
    import pandas as pd

    text = pd.Series(dtype="str").dtype  # pandas' own string dtype (object before pandas 3)
    answers = np.empty(len(attempts), dtype=object)
    for number, item in enumerate(attempts):
        answers[number] = item.answer  # one by one, so that a list answer stays in one cell

    def column(name: str) -> list:
        return [getattr(item, name) for item in attempts]

    return pd.DataFrame({
        "question_id": pd.array(column("question_id"), dtype=text),
        "lesson": pd.array(column("lesson"), dtype=text),
        "topic": pd.array(column("topic"), dtype=text),
        "kind": pd.array(column("kind"), dtype=text),
        "answer": answers,
        "correct": pd.array(column("correct"), dtype="boolean"),
        "score": np.array(column("score"), dtype="float64"),
        "hints_used": np.array(column("hints_used"), dtype="int64"),
        "time": pd.array(column("time"), dtype=text),
    })


# -- helpers: export files -----------------------------------------------------------------


def _check_learner(learner: str) -> str:
    name = learner.strip() if isinstance(learner, str) else ""
    if not name:
        raise ValueError("Please give your name (learner=...) so your instructor knows whose progress "
                         f"this is; got {learner!r}.")
    return name


def _export_kind(path: Path) -> str | None:
    """The kind of export a file may be, by its extension: 'json', 'csv', or None for any other file."""
    suffix = path.suffix.lower()
    return suffix[1:] if suffix in (".json", ".csv") else None


def _not_an_export_file(path: Path) -> str:
    extension = path.suffix.lower() or "a file without an extension"
    return f"a progress export is a .json or .csv file, not {extension}"


def _csv_cell(column: str, value: Any) -> str:
    if column == "answer":
        return json.dumps(value, ensure_ascii=False)
    if column == "correct":
        return "" if value is None else str(value).lower()
    return str(value)


def _parse_json(path: Path, text: str) -> Export:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        rest = text[exc.pos:].strip()
        if "\n" not in rest and "]" not in rest and "}" not in rest:  # the error is in the last token
            raise ExportError(path, "the JSON ends too early; the file looks truncated (was it copied "
                              "or downloaded completely?)") from None
        raise ExportError(path, f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(document, dict):
        raise ExportError(path, f"it holds a JSON {type(document).__name__}, not a progress export object")
    if "format" not in document:
        raise ExportError(path, f'it has no "format" field, so it is not a rolelib progress export '
                          f'(expected "format": "{EXPORT_FORMAT}")')
    if document["format"] != EXPORT_FORMAT:
        raise ExportError(path, f'its "format" is {document["format"]!r}, not "{EXPORT_FORMAT}": '
                          "it is not a rolelib progress export")
    missing = [key for key in ("version", "learner", "exported_at", "course_version", "attempts")
               if key not in document]
    if missing:
        raise ExportError(path, f"it lacks the field(s) {', '.join(map(repr, missing))}")
    version = document["version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExportError(path, f'its "version" should be a whole number, not {version!r}')
    if version != EXPORT_VERSION:
        newer = " (written by a newer rolelib; update rolelib to read it)" if version > EXPORT_VERSION else ""
        raise ExportError(path, f"it uses export format version {version}, but this rolelib reads only "
                          f"version {EXPORT_VERSION}{newer}")
    learner = document["learner"]
    if not isinstance(learner, str) or not learner.strip():
        raise ExportError(path, f'its "learner" should be a non-empty name, not {learner!r}')
    if not isinstance(document["attempts"], list):
        raise ExportError(path, f'its "attempts" should be a list, not {type(document["attempts"]).__name__}')
    attempts = []
    for number, raw in enumerate(document["attempts"], start=1):
        if not isinstance(raw, dict):
            raise ExportError(path, f"attempt {number} is a {type(raw).__name__}, not an object")
        attempts.append(_checked_attempt(path, f"attempt {number}", raw))
    exported_at = document["exported_at"] if isinstance(document["exported_at"], str) else ""
    return Export(learner.strip(), exported_at, attempts)


def _parse_csv(path: Path, text: str) -> Export:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        missing = [column for column in ("learner", *_COLUMNS) if column not in header]
        if len(missing) == len(_COLUMNS) + 1:
            raise ExportError(path, "its first line is not the header of a rolelib progress export "
                              f"(learner, {', '.join(_COLUMNS)})")
        if missing:
            raise ExportError(path, f"its header lacks the column(s) {', '.join(missing)}; a progress export "
                              f"has the columns learner, {', '.join(_COLUMNS)}")
        learners: set[str] = set()
        attempts = []
        for raw in reader:
            where = f"line {reader.line_num}"
            blanks = [column for column in ("learner", *_COLUMNS) if raw.get(column) is None]
            if blanks:
                raise ExportError(path, f"{where} stops before the column(s) {', '.join(blanks)}; "
                                  "the file looks truncated")
            learners.add(raw["learner"].strip())
            attempts.append(_checked_attempt(path, where, _from_csv(path, where, raw)))
    except csv.Error as exc:
        raise ExportError(path, f"line {reader.line_num} is not valid CSV ({exc})") from None
    if not attempts:
        raise ExportError(path, "it has no attempts, so it does not name a learner (export to .json to "
                          "hand in progress before answering any exercise)")
    if learners == {""}:
        raise ExportError(path, "its learner column is empty")
    if len(learners) > 1:
        raise ExportError(path, f"its rows name more than one learner: {', '.join(map(repr, sorted(learners)))}")
    return Export(learners.pop(), "", attempts)


def _from_csv(path: Path, where: str, raw: dict[str, str]) -> dict[str, Any]:
    """Turn one CSV row's text cells into the values a JSON export would hold."""
    values: dict[str, Any] = {column: raw[column] for column in _COLUMNS}
    try:
        values["answer"] = json.loads(raw["answer"])
    except json.JSONDecodeError:
        raise ExportError(path, f"{where}: the answer {raw['answer']!r} is not JSON-encoded") from None
    correct = raw["correct"].strip().lower()
    if correct not in ("true", "false", ""):
        raise ExportError(path, f"{where}: correct should be true, false or empty, not {raw['correct']!r}")
    values["correct"] = None if correct == "" else correct == "true"
    for column, kind in (("score", float), ("hints_used", int)):
        try:
            values[column] = kind(raw[column])
        except ValueError:
            wanted = "a number" if kind is float else "a whole number"
            raise ExportError(path, f"{where}: {column} should be {wanted}, not {raw[column]!r}") from None
    return values


def _checked_attempt(path: Path, where: str, raw: dict[str, Any]) -> Attempt:
    missing = [name for name in _ATTEMPT_FIELDS if name not in raw]
    if missing:
        raise ExportError(path, f"{where} lacks the field(s) {', '.join(map(repr, missing))}")
    for name in ("question_id", "lesson", "topic", "kind"):
        if not isinstance(raw[name], str) or not raw[name]:
            raise ExportError(path, f"{where}: {name} should be non-empty text, not {raw[name]!r}")
    if not isinstance(raw["time"], str):
        raise ExportError(path, f"{where}: time should be text, not {raw['time']!r}")
    if raw["correct"] is not None and not isinstance(raw["correct"], bool):
        raise ExportError(path, f"{where}: correct should be true, false or null, not {raw['correct']!r}")
    score = raw["score"]
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not (
            math.isfinite(score) and 0 <= score <= 1):
        raise ExportError(path, f"{where}: score should be a number from 0 to 1, not {score!r}")
    hints = raw["hints_used"]
    if isinstance(hints, bool) or not isinstance(hints, int) or hints < 0:
        raise ExportError(path, f"{where}: hints_used should be a whole number of 0 or more, not {hints!r}")
    return Attempt(raw["question_id"], raw["lesson"], raw["topic"], raw["kind"], raw["answer"],
                   raw["correct"], float(score), hints, raw["time"])
