"""The progress file itself: SQLite statements, private file modes, locks, retries and damage.

Journal mode. Home directories on a JupyterHub are often on NFS. WAL mode keeps its index in
shared memory (the -shm file, mapped by every process), which does not work across a network
file system and can corrupt the database there. The classic rollback journal
(journal_mode=DELETE) needs only ordinary file locks, which work on local disks and on NFS
alike. In this mode one writer excludes every other reader and writer for the short time of a
commit, so writes take the write lock up front (BEGIN IMMEDIATE) and an operation that finds
the file locked ("database is locked") is retried after a short random pause, for up to
BUSY_WAIT_S. SQLite's own busy handler (a small busy timeout per try) is not enough alone: it
backs off up to 100 ms at a time, so a kernel that writes often can keep another one waiting
for seconds.

Privacy. A learner's answers are theirs: the folders the course creates are 0700 and the file
0600 whatever the umask (SQLite gives its journal the file's mode).

Identity. A rolelib store carries its own application id and a format version (SQLite's
``application_id`` and ``user_version``). A path that is a symbolic link, a file holding
another program's tables and a store written by a newer version are refused before anything
is written to them (:class:`RefusedStore`); the course then keeps progress in memory.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import stat
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import platformdirs

from rolelib.progress._attempt import Attempt

if TYPE_CHECKING:
    from rolelib._types import PathLike

_T = TypeVar("_T")

ENV_VAR = "ROLELIB_PROGRESS"
MEMORY = ":memory:"
FILENAME = "progress.sqlite3"
MAX_ANSWER_CHARS = 1_000_000
"""The longest answer the store keeps, in characters of its JSON text (a reflection allows at most 20,000)."""
BUSY_TIMEOUT_S = 0.01
BUSY_WAIT_S = 5.0
QUICK_WAIT_S = 0.05  # how long to wait while the file is known to be busy (the copy in memory answers)
FILE_MODE = 0o600
FOLDER_MODE = 0o700
COMPANIONS = ("-journal", "-wal", "-shm")

APPLICATION_ID = 0x524F4C45  # "ROLE": marks an SQLite file as a rolelib progress store
STORE_VERSION = 3  # the store's format; a newer version's store is left alone
"""Version 2 numbers each attempt per question (``attempt_number``); version 3 records the version of the
question shown (``variant``) and its order (``order``). An older store is migrated in place."""
_OWN_NAMES = {"attempts", "attempts_by_question"}

FIRST_COLUMNS = ("question_id", "lesson", "topic", "kind", "answer", "correct", "score", "hints_used", "time")
"""The columns of a version 1 store (and of a version 1 or 2 export)."""
NUMBERED_COLUMNS = (*FIRST_COLUMNS, "attempt_number")
"""The columns of a version 2 store (and of a version 3 export)."""
COLUMNS = (*NUMBERED_COLUMNS, "variant", "order")
_NAMES = ", ".join(f'"{column}"' for column in COLUMNS)  # quoted: "order" is a word of SQL
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question_id TEXT NOT NULL, lesson TEXT NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL,
        answer TEXT NOT NULL, correct INTEGER, score REAL NOT NULL,
        hints_used INTEGER NOT NULL, time TEXT NOT NULL, attempt_number INTEGER NOT NULL DEFAULT 0,
        variant TEXT NOT NULL DEFAULT '', "order" TEXT NOT NULL DEFAULT '[]')""",
    "CREATE INDEX IF NOT EXISTS attempts_by_question ON attempts (question_id, id)",
)
# Numbered inside the writing transaction, so that two kernels answering the same question count right.
INSERT = (f"INSERT INTO attempts ({_NAMES}) VALUES ({', '.join('?' * len(FIRST_COLUMNS))}, "
          "(SELECT COUNT(*) + 1 FROM attempts WHERE question_id = ?), ?, ?)")
MIGRATE = (  # a version 1 store: number its attempts
    "ALTER TABLE attempts ADD COLUMN attempt_number INTEGER NOT NULL DEFAULT 0",
    """UPDATE attempts SET attempt_number = (SELECT COUNT(*) FROM attempts AS earlier
        WHERE earlier.question_id = attempts.question_id AND earlier.id <= attempts.id)""",
)
MIGRATE_VERSIONS = (  # a version 1 or 2 store: every attempt was given the bank's entry, in the bank's order
    "ALTER TABLE attempts ADD COLUMN variant TEXT NOT NULL DEFAULT ''",
    """ALTER TABLE attempts ADD COLUMN "order" TEXT NOT NULL DEFAULT '[]'""",
    "UPDATE attempts SET variant = question_id",
)
SELECT_ALL = f"SELECT {_NAMES} FROM attempts ORDER BY id"
SELECT_NEWER = f"SELECT id, {_NAMES} FROM attempts WHERE id > ? ORDER BY id"

# SQLite's primary result codes for "locked by someone else" and for "this is not a good database".
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class RefusedStore(Exception):
    """A file the course must not write to; the message says what it is (the store words the advice)."""


class LinkedStore(RefusedStore):
    """The store's path is a symbolic link."""


class ForeignStore(RefusedStore):
    """The file is an SQLite database of another program."""


class NewerStore(RefusedStore):
    """The file is a store written by a newer version of rolelib."""

    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(f"progress format {version}; this version of rolelib knows up to {STORE_VERSION}")


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parent, each 0700 whatever the umask; existing ones stay as they are."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # another kernel made it a moment ago
            continue
        _chmod(created, FOLDER_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file with mode 0600 (whatever the umask) unless it exists; SQLite fills it."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    except FileExistsError:
        return
    os.close(descriptor)
    _chmod(path, FILE_MODE)


def loosened(paths: list[Path], private: int) -> list[Path]:
    """Those of ``paths`` (existing ones) that others may read or write: more than ``private`` allows."""
    found = []
    for path in paths:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            continue
        if mode & ~private & 0o777:
            found.append(path)
    return found


def _chmod(path: Path, mode: int) -> None:
    if os.name != "nt":  # Windows keeps access in ACLs, not in these bits
        os.chmod(path, mode)


def tighten(paths: list[Path], mode: int) -> None:
    """Set ``mode`` on each of ``paths``."""
    for path in paths:
        _chmod(path, mode)


def call(path: Path, work: Callable[[sqlite3.Connection], _T], wait: float | None = None) -> _T:
    """Run ``work`` on a short-lived connection, retrying for ``wait`` seconds (default
    :data:`BUSY_WAIT_S`) while another process holds the lock.

    A connection per operation costs about a millisecond and means every kernel always sees
    the file as it is now (even if another kernel has just replaced it). A path that is a
    symbolic link raises :class:`LinkedStore` before anything is opened.
    """
    deadline = time.monotonic() + (BUSY_WAIT_S if wait is None else wait)
    if path.is_symlink():
        raise LinkedStore(f"a symbolic link to {os.readlink(path)}")
    if path.exists() and not path.is_file():  # a folder, or a device such as /dev/null
        raise ForeignStore(f"it is {'a folder' if path.is_dir() else 'a device'}, not a regular file")
    create_private_file(path)  # were SQLite to create it, the umask would decide its mode
    while True:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            return work(connection)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
        finally:
            connection.close()
        time.sleep(random.uniform(0.001, 0.005))


def check_ours(connection: sqlite3.Connection) -> None:
    """Raise :class:`ForeignStore` or :class:`NewerStore` unless the file is a store this version may write.

    An empty file, and a store of an earlier version (no application id yet, the attempts
    table alone), are ours.
    """
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if application_id == APPLICATION_ID:
        if version > STORE_VERSION:
            raise NewerStore(version)
        return
    names = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
    others = sorted(names - _OWN_NAMES)
    if others or application_id or version:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise ForeignStore(f"it holds {'the tables ' + shown if others else 'no rolelib progress'}")
    if "attempts" in names:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(attempts)")}
        if not set(FIRST_COLUMNS) <= columns:
            raise ForeignStore("its table 'attempts' is not rolelib's")


def prepare(connection: sqlite3.Connection) -> None:
    """Check the file is a sound rolelib store (or empty), set the journal mode, create or migrate the table."""
    check_ours(connection)
    connection.execute("PRAGMA journal_mode=DELETE").fetchall()
    verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed: {verdict}")
    connection.execute("BEGIN IMMEDIATE")
    try:
        check_ours(connection)  # another program may have written to it a moment ago
        for statement in SCHEMA:
            connection.execute(statement)
        columns = {row[1] for row in connection.execute("PRAGMA table_info(attempts)")}
        for needed, statements in (("attempt_number", MIGRATE), ("variant", MIGRATE_VERSIONS)):
            if needed not in columns:  # an older store: migrated in place
                for statement in statements:
                    connection.execute(statement)
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {STORE_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def exchange(connection: sqlite3.Connection, rows: list[tuple], after_id: int) -> list[tuple]:
    """Insert ``rows``, and return every row with an id above ``after_id`` (id first), in one transaction.

    One transaction, so that a retry after "database is locked" never writes a row twice.
    """
    if not rows:
        return connection.execute(SELECT_NEWER, (after_id,)).fetchall()
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.executemany(INSERT, [(*row[:len(FIRST_COLUMNS)], row[0], *row[-2:]) for row in rows])
        newer = connection.execute(SELECT_NEWER, (after_id,)).fetchall()
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return newer


def read_only(path: Path) -> list[tuple]:
    """Every attempt's row of a store this version may not write (a newer one), opened read-only; [] if unreadable."""
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return []
    try:
        return connection.execute(SELECT_ALL).fetchall()
    except sqlite3.Error:
        return []
    finally:
        connection.close()


def identity(path: Path) -> tuple[int, int] | None:
    """What tells this file from another put in its place (device and inode); None when there is none."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _error_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    return None if code is None else code & 0xFF


def is_busy(exc: BaseException) -> bool:
    """Whether an error means another process holds the lock."""
    code = _error_code(exc)
    if code is not None:
        return code in _BUSY_CODES
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def is_damaged(exc: BaseException) -> bool:
    """Whether an error means the file is not a sound database."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = _error_code(exc)
    if code is not None:
        return code in _DAMAGE_CODES
    return "malformed" in str(exc) or "not a database" in str(exc)


def move_aside(path: Path) -> Path | None:
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
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    return aside


def where(path: PathLike | None) -> Path | None:
    """The SQLite file to use (the path given, else ``ROLELIB_PROGRESS``, else the user's data folder), or
    None for an in-memory store."""
    if path is None:
        path = os.environ.get(ENV_VAR) or None
        if path is None:
            return Path(platformdirs.user_data_dir("rolelib", appauthor=False)) / FILENAME
    text = os.fspath(path)
    if text == MEMORY:
        return None
    target = Path(text).expanduser().absolute()
    if target.is_dir() or text.endswith(("/", os.sep)):
        return target / FILENAME
    return target


def answer_json(answer: Any) -> str:
    """An answer as the JSON text the store keeps; ValueError when it is too long to keep.

    Text that is not valid Unicode (a lone surrogate, which a browser can send) is written
    with escapes, so that it is kept exactly as typed.

    >>> answer_json(["CISSP", "CISM"]), answer_json("\\ud800x")
    ('["CISSP", "CISM"]', '"\\\\ud800x"')
    """
    text = json.dumps(answer, ensure_ascii=False)
    if len(text) > MAX_ANSWER_CHARS:
        raise ValueError(f"This answer is too long to save ({len(text):,} characters; at most "
                         f"{MAX_ANSWER_CHARS:,}). Shorten it and try again.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(answer, ensure_ascii=True)
    return text


def attempt_from_row(row: tuple) -> Attempt:
    """An attempt from a row of the attempts table (its columns in :data:`COLUMNS` order)."""
    question_id, lesson, topic, kind, answer, correct, score, hints_used, when, number, variant, order = row
    try:
        answer = json.loads(answer)
    except json.JSONDecodeError:  # edited by hand outside rolelib: keep the text as it is
        pass
    try:
        shown = tuple(str(key) for key in json.loads(order))
    except (json.JSONDecodeError, TypeError):  # edited by hand outside rolelib: the bank's order
        shown = ()
    return Attempt(question_id, lesson, topic, kind, answer, None if correct is None else bool(correct),
                   float(score), int(hints_used), when, int(number), variant, shown)
