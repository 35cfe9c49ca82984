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
"""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")

MEMORY = ":memory:"
BUSY_TIMEOUT_S = 0.01
BUSY_WAIT_S = 5.0
FILE_MODE = 0o600
FOLDER_MODE = 0o700
COMPANIONS = ("-journal", "-wal", "-shm")

COLUMNS = ("question_id", "lesson", "topic", "kind", "answer", "correct", "score", "hints_used", "time")
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question_id TEXT NOT NULL, lesson TEXT NOT NULL, topic TEXT NOT NULL, kind TEXT NOT NULL,
        answer TEXT NOT NULL, correct INTEGER, score REAL NOT NULL,
        hints_used INTEGER NOT NULL, time TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS attempts_by_question ON attempts (question_id, id)",
)
INSERT = f"INSERT INTO attempts ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
SELECT_ALL = f"SELECT {', '.join(COLUMNS)} FROM attempts ORDER BY id"
SELECT_LAST = f"SELECT {', '.join(COLUMNS)} FROM attempts WHERE question_id = ? ORDER BY id DESC LIMIT 1"

# SQLite's primary result codes for "locked by someone else" and for "this is not a good database".
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


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
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
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


def call(path: Path, work: Callable[[sqlite3.Connection], _T]) -> _T:
    """Run ``work`` on a short-lived connection, retrying while another process holds the lock.

    A connection per operation costs about a millisecond and means every kernel always sees
    the file as it is now (even if another kernel has just replaced it).
    """
    deadline = time.monotonic() + BUSY_WAIT_S
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


def prepare(connection: sqlite3.Connection) -> None:
    """Set the journal mode, check the file is a sound database, and create the table."""
    connection.execute("PRAGMA journal_mode=DELETE").fetchall()
    verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed: {verdict}")
    connection.execute("BEGIN IMMEDIATE")
    for statement in SCHEMA:
        connection.execute(statement)
    connection.execute("COMMIT")


def write(connection: sqlite3.Connection, row: tuple) -> None:
    """Insert one attempt's row in a transaction of its own."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(INSERT, row)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def read_all(connection: sqlite3.Connection) -> list[tuple]:
    """Every attempt's row, oldest first."""
    return connection.execute(SELECT_ALL).fetchall()


def memory_connection(rows: list[tuple]) -> sqlite3.Connection:
    """A store in memory holding ``rows``."""
    connection = sqlite3.connect(MEMORY, isolation_level=None, check_same_thread=False)
    for statement in SCHEMA:
        connection.execute(statement)
    connection.executemany(INSERT, rows)
    return connection


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
