"""The progress store: every attempt of one learner, kept in an SQLite file that survives restarts.

Several notebooks (kernels) can record at once, and no store trouble (busy, damaged, foreign,
unwritable) breaks an exercise or hides an answer: :class:`ProgressStore` says what it promises.

>>> progress = ProgressStore(":memory:")
>>> progress.record(Attempt("certs-1", "04_certifications", "certifications", "single",
...                         answer="CISSP", correct=True, score=1.0, hints_used=0))
>>> progress.last_attempt("certs-1").answer
'CISSP'

Where the file lives: the path given, else ``ROLELIB_PROGRESS`` (a file, or a folder that gets
``progress.sqlite3``; ``:memory:`` keeps progress in memory only), else the user's data folder.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import warnings
import weakref
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar

from rolelib.progress import _sqlite
from rolelib.progress._attempt import Attempt
from rolelib.progress._sqlite import ENV_VAR, answer_json, attempt_from_row, where

if TYPE_CHECKING:
    import pandas as pd

    from rolelib._types import DataSource, PathLike

_T = TypeVar("_T")

RETRY_S = 1.0  # how often a busy file is tried again while attempts wait to be written


class ProgressWarning(UserWarning):
    """Progress cannot be kept as usual (a damaged or unwritable store); exercises still work."""


class ProgressStore:
    """Every attempt of one learner, in an SQLite file (or in memory with ``path=":memory:"``).

    ``path`` may be a file or an existing folder (which gets ``progress.sqlite3``); when it
    is None, the environment variable ``ROLELIB_PROGRESS`` decides, else the user's data
    folder. What the store promises:

    - private: a store that others could read is made private, once, and :attr:`notice` says so;
    - faithful: every answer read from the file stays visible while this kernel runs. When
      another program holds the file locked past the wait, new attempts are queued here and
      written as soon as the file is free (tried every second, and at the latest at the next
      attempt, summary or export); an export always holds every attempt, queued ones too;
    - safe: a path that is a symbolic link, another program's SQLite file and a store of a
      newer version are refused and left untouched; a damaged file is moved aside and a fresh
      one started (holding the answers this kernel had read); a file that cannot be written
      gives way to memory. :attr:`warning` says what happened (the same message is issued
      once as a :class:`ProgressWarning`), and exercises keep working.

    >>> progress = ProgressStore(":memory:")
    >>> progress.path is None, progress.warning is None
    (True, True)
    """

    def __init__(self, path: PathLike | None = None) -> None:
        self._lock = threading.RLock()
        self.warning: str | None = None
        self.notice: str | None = None
        self._path = where(path)
        self._file = self._path  # None while progress is kept in memory only
        self._rows: list[tuple] = []  # every attempt known here, oldest first
        self._latest: dict[str, int] = {}  # question id -> index of its newest attempt in _rows
        self._counts: dict[str, int] = {}  # question id -> attempts at it in _rows
        self._pending: list[tuple] = []  # attempts not yet written to the file
        self._last_id = 0  # the file's id of the newest row in _rows
        self._identity: tuple[int, int] | None = None
        self._prepared = False
        self._busy = False
        self._retry: threading.Timer | None = None
        if self._path is None:
            return
        if self._path.is_symlink():  # before anything (making it private included) follows the link
            self._refuse(_sqlite.LinkedStore(f"a symbolic link to {os.readlink(self._path)}"))
            return
        self._own_folder = path is None and not os.environ.get(ENV_VAR)
        try:
            _sqlite.make_private_folders(self._path.parent)
        except OSError as exc:
            self._use_memory(exc)
            return
        self._update()

    @property
    def path(self) -> Path | None:
        """The SQLite file progress is written to; None while it is kept in memory."""
        return self._file

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path) if self.path else _sqlite.MEMORY!r})"

    def record(self, attempt: Attempt) -> None:
        """Store one attempt (``time`` is set to now when empty, ``attempt_number`` counted here); storage
        problems never raise.

        Any text is stored as typed (lone surrogates and NUL too); an answer too long to store raises
        ValueError saying so, one that is not JSON-serialisable TypeError (a programming error).

        >>> progress = ProgressStore(":memory:")
        >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0))
        >>> progress.last_attempt("focus-1").time.endswith("+00:00")
        True
        >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", "CISO", False, 0.0, 1))
        >>> [attempt.attempt_number for attempt in progress.all_attempts()]
        [1, 2]
        """
        if not attempt.time:
            attempt = replace(attempt, time=datetime.now(timezone.utc).isoformat(timespec="milliseconds"))
        text = answer_json(attempt.answer)
        with self._lock:  # numbered from what this kernel knows; the file numbers it again as it writes it
            number = 1 + self._counts.get(attempt.question_id, 0) + sum(
                row[0] == attempt.question_id for row in self._pending)
            attempt = replace(attempt, attempt_number=number)
            row = (attempt.question_id, attempt.lesson, attempt.topic, attempt.kind, text,
                   None if attempt.correct is None else int(bool(attempt.correct)),
                   float(attempt.score), int(attempt.hints_used), attempt.time, number, attempt.variant,
                   json.dumps(list(attempt.order), ensure_ascii=False))
            if self._file is None:
                self._add(row)
            else:
                self._pending.append(row)
                self._update()
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
        with self._lock:
            self._update()
            for row in reversed(self._pending):
                if row[0] == question_id:
                    return attempt_from_row(row)
            index = self._latest.get(question_id)
            return None if index is None else attempt_from_row(self._rows[index])

    def all_attempts(self) -> list[Attempt]:
        """Every attempt, oldest first, as :class:`Attempt` records (no pandas needed); queued ones too."""
        with self._lock:
            self._update()
            return [attempt_from_row(row) for row in (*self._rows, *self._pending)]

    def attempts(self) -> pd.DataFrame:
        """Every attempt, oldest first, one row each (columns as the fields of :class:`Attempt`).

        >>> progress = ProgressStore(":memory:")
        >>> progress.record(Attempt("r-1", "00_start_here", "roles", "reflect", "Both matter.", None, 0.0, 0))
        >>> table = progress.attempts()
        >>> list(table.columns)[:5], list(table.columns)[-3:]
        (['question_id', 'lesson', 'topic', 'kind', 'answer'], ['attempt_number', 'variant', 'order'])
        >>> table.loc[0, "answer"], bool(table["correct"].isna().all())
        ('Both matter.', True)
        """
        from rolelib.progress.summary import attempts_frame

        return attempts_frame(self.all_attempts())

    def summary(self, by: str = "lesson", *, data: DataSource = None) -> pd.DataFrame:
        """Per lesson or per topic (``by``), in course order: questions attempted, graded, correct, score.

        See :func:`rolelib.progress.summary.summarise`.

        >>> from rolelib.questions import load_banks
        >>> focus_1 = load_banks()["focus-1"]
        >>> wrong = next(option for option in focus_1.options if option != focus_1.answer)
        >>> progress = ProgressStore(":memory:")
        >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", wrong, False, 0.0, 0))
        >>> progress.record(Attempt("focus-1", "01_focus", "focus", "single", focus_1.answer, True, 0.9, 1))
        >>> progress.summary("topic").head(2)
           topic  attempted  graded  correct  score
        0  roles          0       0        0    0.0
        1  focus          1       1        1    0.9
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

    def _make_private(self) -> None:
        """Tighten a store (and the course's own folder) that others could read, with one notice."""
        assert self._path is not None
        files = _sqlite.loosened([self._path, *(self._path.with_name(self._path.name + suffix)
                                                for suffix in _sqlite.COMPANIONS)], _sqlite.FILE_MODE)
        folders = _sqlite.loosened([self._path.parent], _sqlite.FOLDER_MODE) if self._own_folder else []
        if not files and not folders:
            return
        _sqlite.tighten(files, _sqlite.FILE_MODE)
        _sqlite.tighten(folders, _sqlite.FOLDER_MODE)
        self.notice = (f"Your progress file {self._path} could be read by other users of this computer; "
                       "it is now private to you (only you can read or write it).")
        warnings.warn(self.notice, ProgressWarning, stacklevel=5)

    def _forget(self) -> None:
        self._rows, self._latest, self._counts, self._last_id = [], {}, {}, 0

    def _add(self, row: tuple) -> None:
        self._latest[row[0]] = len(self._rows)
        self._counts[row[0]] = self._counts.get(row[0], 0) + 1
        self._rows.append(row)

    def _update(self) -> None:
        """Write the queued attempts to the file and read what is new in it; on trouble, degrade as promised."""
        with self._lock:
            if self._file is None:
                return
            try:
                self._exchange()
            except _sqlite.RefusedStore as exc:
                self._refuse(exc)
            except (sqlite3.Error, OSError) as exc:
                if _sqlite.is_busy(exc):
                    self._wait_for_file(exc)
                elif _sqlite.is_damaged(exc):
                    self._replace_damaged(exc)
                else:
                    self._use_memory(exc)

    def _exchange(self) -> None:
        assert self._file is not None
        now = _sqlite.identity(self._file)
        replaced = self._identity is not None and now != self._identity
        deleted = replaced and now is None  # a fresh file is written with every attempt known here
        if deleted:
            self._pending[:0] = self._rows
            self._forget()
        fresh = replaced and not deleted  # another file took its place: read afresh once it proves usable
        self._prepared = self._prepared and not replaced
        pending, after = list(self._pending), 0 if fresh else self._last_id

        def work(connection: sqlite3.Connection) -> list[tuple]:
            if not self._prepared:
                _sqlite.prepare(connection)
                self._prepared = True
            return _sqlite.exchange(connection, pending, after)

        first = not self._prepared
        new = _sqlite.call(self._file, work, _sqlite.QUICK_WAIT_S if self._busy else None)
        if first:  # only now is the file known to be a store of ours, which may be made private
            self._make_private()
        if fresh:
            self._forget()
        if deleted:
            self.notice = (f"Your progress file {self._file} was deleted while this kernel ran; it was written "
                           f"again with every answer this kernel knew ({len(pending)}).")
            warnings.warn(self.notice, ProgressWarning, stacklevel=5)
        del self._pending[:len(pending)]
        self._identity = _sqlite.identity(self._file)
        for row in new:
            self._last_id = row[0]
            self._add(row[1:])
        if self._busy:
            self._busy, self.warning = False, None
            self.notice = (f"Your progress file {self._file} is free again: {len(pending)} answer"
                           f"{'s kept meanwhile are' if len(pending) != 1 else ' kept meanwhile is'} saved in it now.")

    def _wait_for_file(self, exc: BaseException) -> None:
        """The file is busy: keep showing what was read, queue new attempts, and try again soon."""
        if not self._busy:
            self._busy = True
            self._warn(f"Your progress file {self._file} is in use by another program and stayed locked for "
                       f"{_sqlite.BUSY_WAIT_S:g} s ({exc}). Your earlier answers are still shown; new answers "
                       "are kept in this kernel and written to the file as soon as it is free.")
        if self._retry is None:
            self._retry = threading.Timer(RETRY_S, self._retry_later)
            self._retry.daemon = True  # never keeps a finished program waiting
            self._retry.start()

    def _retry_later(self) -> None:
        with self._lock:
            self._retry = None
            if self._busy:
                self._update()

    def _replace_damaged(self, exc: BaseException) -> None:
        """Move a damaged file aside and start afresh with every attempt this kernel knows."""
        assert self._file is not None
        try:
            aside = _sqlite.move_aside(self._file)
        except OSError as again:
            self._use_memory(again, damaged=exc)
            return
        self._pending[:0] = self._rows
        self._forget()
        self._identity, self._prepared = None, False
        try:
            self._exchange()
        except (sqlite3.Error, OSError, _sqlite.RefusedStore) as again:
            self._use_memory(again, damaged=exc)
            return
        if aside is not None:
            kept = " and the answers of this session" if self._rows else ""
            self._warn(f"Your progress file {self._file} was damaged ({exc}), so it was moved aside "
                       f"to {aside} and a fresh progress file was started there{kept}. Your earlier "
                       "answers are in the moved file; new answers are saved as usual.")

    def _to_memory(self) -> None:
        """From now on, keep progress in memory only: every attempt known here stays."""
        for row in self._pending:
            self._add(row)
        self._pending, self._file, self._busy = [], None, False

    def _use_memory(self, exc: BaseException, damaged: BaseException | None = None) -> None:  # a file it cannot use
        self._to_memory()
        problem = f"it is damaged ({damaged}) and could not be replaced: {exc}" if damaged else str(exc)
        self._warn(f"Your progress cannot be saved to {self._path} ({problem}). Until the kernel "
                   "restarts it is kept in memory only and will then be lost. Exercises keep working. "
                   f"To save it, set the environment variable {ENV_VAR} to a file or folder you can "
                   "write to, or free some space, and restart the kernel.")

    def _refuse(self, exc: _sqlite.RefusedStore) -> None:
        """A file the course must not write to: leave it untouched and keep progress in memory."""
        kept = "new answers are kept in memory until the kernel restarts"
        if isinstance(exc, _sqlite.NewerStore):
            if not self._rows and self._path is not None:  # show the answers it holds, read without writing
                for row in _sqlite.read_only(self._path):
                    self._add(row)
            what = (f"was written by a newer version of rolelib ({exc}): your answers in it are shown but not "
                    f"changed, and {kept}. Upgrade rolelib (pip install --upgrade rolelib) and restart the kernel")
        elif isinstance(exc, _sqlite.LinkedStore):
            what = (f"is {exc}: the course follows no link for your progress, so as never to write into a file "
                    f"not its own. Both are left untouched, and {kept}. Point {ENV_VAR} at the real file, or at "
                    "a folder of your own")
        else:
            what = (f"is not a rolelib progress file ({exc}): it may be another program's, so it is left "
                    f"untouched, and {kept}. Point {ENV_VAR} at a new file name or at a folder of your own")
        self._to_memory()
        self._warn(f"Your progress file {self._path} {what}.")

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

