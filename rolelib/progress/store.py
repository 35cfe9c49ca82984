"""The progress store: every attempt of one learner, kept in an SQLite file that survives restarts.

Several notebooks (kernels) can record at once, and a damaged or unwritable store never breaks
an exercise: it is replaced or kept in memory, with one clear warning. The file is private to
its owner (0600 in a 0700 folder when the course creates them).

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

import json
import os
import sqlite3
import threading
import warnings
import weakref
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import platformdirs

from rolelib.progress import _sqlite

if TYPE_CHECKING:
    import pandas as pd

    from rolelib._types import DataSource, PathLike

_T = TypeVar("_T")

ENV_VAR = "ROLELIB_PROGRESS"
_FILENAME = "progress.sqlite3"


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


class ProgressStore:
    """Every attempt of one learner, in an SQLite file (or in memory with ``path=":memory:"``).

    ``path`` may be a file or an existing folder (which gets ``progress.sqlite3``); when it
    is None, the environment variable ``ROLELIB_PROGRESS`` decides, else the user's data
    folder. If the file is damaged it is moved aside and a fresh one started; if it cannot
    be written, progress is kept in memory. Either way :attr:`warning` says what happened,
    and the same message is issued once as a :class:`ProgressWarning`. A store that others
    could read is made private, once, and :attr:`notice` says so.

    >>> progress = ProgressStore(":memory:")
    >>> progress.path is None, progress.warning is None
    (True, True)
    """

    def __init__(self, path: PathLike | None = None) -> None:
        self._lock = threading.RLock()
        self._memory: sqlite3.Connection | None = None
        self.warning: str | None = None
        self.notice: str | None = None
        self._path = _resolve(path)
        if self._path is None:
            self._memory = _sqlite.memory_connection([])
            return
        try:
            _sqlite.make_private_folders(self._path.parent)
            self._make_private(own_folder=path is None and not os.environ.get(ENV_VAR))
            _sqlite.call(self._path, _sqlite.prepare)
        except (sqlite3.Error, OSError) as exc:
            self._recover(exc)

    @property
    def path(self) -> Path | None:
        """The SQLite file progress is written to; None while it is kept in memory."""
        return None if self._memory is not None else self._path

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path) if self.path else _sqlite.MEMORY!r})"

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
        self._run(lambda connection: _sqlite.write(connection, row))
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
        rows = self._run(lambda connection: connection.execute(_sqlite.SELECT_LAST, (question_id,)).fetchall())
        return _attempt(rows[0]) if rows else None

    def all_attempts(self) -> list[Attempt]:
        """Every attempt, oldest first, as :class:`Attempt` records (no pandas needed)."""
        return [_attempt(row) for row in self._run(_sqlite.read_all)]

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
        from rolelib.progress.summary import attempts_frame

        return attempts_frame(self.all_attempts())

    def summary(self, by: str = "lesson", *, data: DataSource = None) -> pd.DataFrame:
        """Per lesson or per topic (``by``), in course order: questions attempted, graded, correct, score.

        See :func:`rolelib.progress.summary.summarise`.

        >>> progress = ProgressStore(":memory:")
        >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", "CISO", False, 0.0, 0))
        >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 0.75, 1))
        >>> progress.summary("topic").head(2)
           topic  attempted  graded  correct  score
        0  roles          0       0        0   0.00
        1  focus          1       1        1   0.75
        """
        from rolelib.progress.summary import summarise

        return summarise(self.all_attempts(), by, data=data)

    def export(self, path: PathLike, learner: str) -> Path:
        """Write every attempt to a .json or .csv file to hand in; return its path.

        The export names the ``learner`` (the name typed) and the account the environment
        knows (see :mod:`rolelib.progress.export`, which writes it).

        >>> import tempfile
        >>> from rolelib.progress import read_export
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     saved = ProgressStore(":memory:").export(Path(folder) / "ada.json", "Ada")
        ...     read_export(saved)[0]
        'Ada'
        """
        from rolelib.progress.export import current_account, new_export, write_export

        return write_export(path, new_export(learner, self.all_attempts(), account=current_account()))

    # -- storage -----------------------------------------------------------------------

    def _make_private(self, *, own_folder: bool) -> None:
        """Tighten an existing store (and the course's own folder) that others could read, with one notice."""
        assert self._path is not None
        files = _sqlite.loosened([self._path, *(self._path.with_name(self._path.name + suffix)
                                                for suffix in _sqlite.COMPANIONS)], _sqlite.FILE_MODE)
        folders = _sqlite.loosened([self._path.parent], _sqlite.FOLDER_MODE) if own_folder else []
        if not files and not folders:
            return
        _sqlite.tighten(files, _sqlite.FILE_MODE)
        _sqlite.tighten(folders, _sqlite.FOLDER_MODE)
        self.notice = (f"Your progress file {self._path} could be read by other users of this computer; "
                       "it is now private to you (only you can read or write it).")
        warnings.warn(self.notice, ProgressWarning, stacklevel=3)

    def _run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Do ``work`` on the file; on a storage error repair or fall back to memory, then do it there."""
        with self._lock:
            if self._memory is None:
                assert self._path is not None
                try:
                    return _sqlite.call(self._path, work)
                except (sqlite3.Error, OSError) as exc:
                    self._recover(exc)
                if self._memory is None:  # a damaged file was replaced by a fresh one
                    try:
                        return _sqlite.call(self._path, work)
                    except (sqlite3.Error, OSError) as exc:
                        self._use_memory(exc, keep_rows=False)
            assert self._memory is not None
            return work(self._memory)

    def _recover(self, exc: BaseException) -> None:
        """After a storage error: move a damaged file aside and start afresh, or use memory."""
        if not _sqlite.is_damaged(exc):
            self._use_memory(exc, keep_rows=not _sqlite.is_busy(exc))
            return
        assert self._path is not None
        try:
            aside = _sqlite.move_aside(self._path)
            _sqlite.call(self._path, _sqlite.prepare)
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
                rows = _sqlite.call(self._path, _sqlite.read_all)
            except (sqlite3.Error, OSError):
                rows = []
        self._memory = _sqlite.memory_connection(rows)
        problem = f"it is damaged ({damaged}) and could not be replaced: {exc}" if damaged else str(exc)
        self._warn(f"Your progress cannot be saved to {self._path} ({problem}). Until the kernel "
                   "restarts it is kept in memory only and will then be lost. Exercises keep working. "
                   f"To save it, set the environment variable {ENV_VAR} to a file or folder you can "
                   "write to, or free some space, and restart the kernel.")

    def _warn(self, message: str) -> None:
        self.warning = message
        warnings.warn(message, ProgressWarning, stacklevel=2)


# -- the store of this kernel, and who listens to it --------------------------------------------

_DEFAULT: ProgressStore | None = None
_DEFAULT_SETTING = ""
_DEFAULT_LOCK = threading.Lock()
_LISTENERS: list[weakref.WeakMethod] = []


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


def _resolve(path: PathLike | None) -> Path | None:
    """The SQLite file to use, or None for an in-memory store."""
    if path is None:
        path = os.environ.get(ENV_VAR) or None
        if path is None:
            return Path(platformdirs.user_data_dir("rolelib", appauthor=False)) / _FILENAME
    text = os.fspath(path)
    if text == _sqlite.MEMORY:
        return None
    target = Path(text).expanduser().absolute()
    if target.is_dir() or text.endswith(("/", os.sep)):
        return target / _FILENAME
    return target


def _attempt(row: tuple) -> Attempt:
    question_id, lesson, topic, kind, answer, correct, score, hints_used, when = row
    try:
        answer = json.loads(answer)
    except json.JSONDecodeError:  # edited by hand outside rolelib: keep the text as it is
        pass
    return Attempt(question_id, lesson, topic, kind, answer,
                   None if correct is None else bool(correct), float(score), int(hints_used), when)
