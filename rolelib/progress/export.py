"""The export format: the file a learner hands in, written by one function and read by one function.

A learner's export is a .json or a .csv file. Version 2 records who made it and when; version 3
numbers each attempt per question; version 4 records the version of each question shown and its order:

JSON: one object ``{"format": "rolelib-progress", "version": 4, "learner": <the name typed>,
"account": <the JupyterHub user, or null>, "exported_at": <ISO 8601 UTC>, "course_version":
<rolelib's version>, "mode": "practice" or "exam", "submitted_at": <ISO 8601 UTC, or null before
an exam is submitted>, "attempts": [<attempt>, ...]}``, each attempt an object with the fields
question_id, lesson, topic, kind, answer (a string, list or object), correct (true, false or
null when ungraded), score (0 to 1, after the hint cost), hints_used (the hints opened when
checking), time (ISO 8601 UTC), attempt_number (1 for the learner's first attempt at the
question, 2 for the next, ...), variant (the id of the version of the question shown: the
question_id itself for the bank's entry), order (the keys of its options or items in the order
shown; [] for the bank's order and for a reflection).

CSV: one row per attempt with the columns learner, account, exported_at, course_version (then
mode and submitted_at, empty before submission), then the attempt's fields; ``answer`` and
``order`` are JSON-encoded, ``correct`` is true, false or empty. Every
field is quoted, and a cell a spreadsheet could run as a formula starts with an apostrophe
(see :mod:`rolelib._spreadsheet`), which the reader takes off again. The reader also takes
the file back after a spreadsheet saved it again: a byte order mark, CRLF line ends,
semicolons or tabs as separators, a decimal comma, Windows-1252 text.

:func:`write_export` writes both (the store's export, the export panel and the sample
exports go through it); :func:`parse_export` reads both, and version 3 files (without variant
and order: every attempt was at the bank's entry in the bank's order), version 2 files (also
without attempt_number: the attempts are numbered in the order the file lists them) and version 1
files (also without account; CSV also without exported_at and course_version) too; a file
without mode and submitted_at (written before the course had modes) reads as practice mode,
not submitted. The reader trusts nothing:
it reads only a regular file of at most :data:`MAX_EXPORT_BYTES` (never a pipe or a
device), refuses JSON nested deeper than :data:`MAX_DEPTH` (the parser itself stops a few
hundred levels down, so a deeper file costs nothing to refuse), more than
:data:`MAX_ATTEMPTS` attempts, and names longer than :data:`NAME_MAX` characters (accounts
longer than :data:`ACCOUNT_MAX`); a number
too long to be real is read as a very large one (the report caps hints at the question's).
:func:`export_filename` names a learner's file so that no two names share one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolelib import __version__
from rolelib._errors import _short
from rolelib._files import UnreadableFile, read_bounded
from rolelib._spreadsheet import csv_text
from rolelib.progress._sqlite import COLUMNS
from rolelib.progress.store import Attempt, store

if TYPE_CHECKING:
    import pandas as pd

    from rolelib._types import PathLike

EXPORT_FORMAT = "rolelib-progress"
EXPORT_VERSION = 4
ACCOUNT_ENV = "JUPYTERHUB_USER"
WHO_COLUMNS = ("learner", "account", "exported_at", "course_version")
"""The columns that begin every row of a CSV export: who made it, when, with which course version."""
MODE_COLUMNS = ("mode", "submitted_at")
"""The columns that follow them: the course's mode and when the learner submitted (optional when read)."""

MAX_EXPORT_BYTES = 20 * 1024 * 1024
"""The largest export file read (20 MB); a whole course's export is 15 to 50 KB. ``rolelib report --max-size`` changes it."""
MAX_DEPTH = 20
"""The deepest nesting of lists and objects read (an export nests 4 deep)."""
MAX_ATTEMPTS = 50_000
"""The most attempts one export may hold (a learner who answers every question ten times makes a few hundred)."""
NAME_MAX = 200
"""The longest learner name, in characters."""
ACCOUNT_MAX = 255
"""The longest account, in characters (as long as a JupyterHub user name may be)."""


@dataclass(frozen=True)
class Export:
    """One learner's progress as handed in: who made it, when, with which course version, every attempt.

    ``account`` is the login the environment knew (JupyterHub's user), None elsewhere;
    ``exported_at`` is '' when a version 1 CSV file does not say; ``mode`` is the course's mode
    when exported ('practice' or 'exam'), ``submitted_at`` when the learner submitted ('' if not).
    """

    learner: str
    attempts: tuple[Attempt, ...]
    account: str | None = None
    exported_at: str = ""
    course_version: str = ""
    version: int = EXPORT_VERSION
    mode: str = "practice"
    submitted_at: str = ""


class ExportError(ValueError):
    """A file that is not a usable progress export; ``reason`` says why, in a learner's words."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot read progress export {path}: {reason}")


def current_account() -> str | None:
    """The login this kernel runs for, as far as the environment knows: JupyterHub's user, else None.

    A value that is no account an export can carry (not UTF-8 text, or longer than :data:`ACCOUNT_MAX`)
    counts as none, with a warning: the learner then sees the bank's versions and exports without an account.

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {ACCOUNT_ENV: " ada "}):
    ...     current_account()
    'ada'
    """
    account = os.environ.get(ACCOUNT_ENV, "").strip()
    problem = "" if len(account) <= ACCOUNT_MAX else f"it is {len(account):,} characters long, more than {ACCOUNT_MAX}"
    try:
        account.encode("utf-8")
    except UnicodeEncodeError:
        problem = "it holds bytes that are not UTF-8 text"
    if problem:
        import warnings

        warnings.warn(f"The environment variable {ACCOUNT_ENV} is not an account name the course can keep ({problem}); "
                      "this kernel counts as having no account: every question shows the bank's version, and "
                      "exports name no account. Ask whoever runs the hub to check the user names.", stacklevel=2)
        return None
    return account or None


def new_export(learner: str, attempts: list[Attempt], *, account: str | None = None,
               exported_at: datetime | None = None, course_version: str = __version__, mode: str | None = None,
               submitted: str = "") -> Export:
    """An export of ``attempts`` by ``learner`` (the name typed), made now unless ``exported_at`` says when.

    ``mode`` and ``submitted`` (ISO 8601, '' when not submitted) record the course's mode and the
    learner's submission; without ``mode``, the course's settings and the learner's own submission.

    >>> new_export("  Ada ", [], exported_at=datetime(2025, 3, 3, tzinfo=timezone.utc)).exported_at
    '2025-03-03T00:00:00+00:00'
    """
    name = learner.strip() if isinstance(learner, str) else ""
    if not name:
        raise ValueError("Please give your name (learner=...) so your instructor knows whose progress "
                         f"this is; got {_short(learner)}.")
    if len(name) > NAME_MAX:
        raise ValueError(f"Please give a shorter name: at most {NAME_MAX} characters (this one has {len(name):,}).")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Your name holds a character that cannot be saved (a broken emoji or symbol?); "
                         "please type it again.") from None
    when = exported_at or datetime.now(timezone.utc)
    if mode is None:
        from rolelib import modes

        mode = modes.course_settings().mode
        submitted = (modes.submitted_at() or "") if mode == "exam" else ""
    return Export(name, tuple(attempts), account, when.isoformat(timespec="seconds"), course_version,
                  mode=mode, submitted_at=submitted)


def write_export(path: PathLike, export: Export) -> Path:
    """Write an export to a .json or .csv file (by its extension); return its path.

    The file is written whole or not at all: an older export of the same name is never left
    half-overwritten.
    """
    target = Path(path).expanduser()
    form = export_kind(target)
    if form is None:
        raise ValueError(f"cannot export to {target}: {_not_an_export_file(target)}")
    records = [asdict(attempt) for attempt in export.attempts]
    if form == "json":
        document = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "learner": export.learner,
                    "account": export.account, "exported_at": export.exported_at,
                    "course_version": export.course_version, "mode": export.mode,
                    "submitted_at": export.submitted_at or None, "attempts": records}
        text = _json_text(document, indent=2) + "\n"
    else:
        who = (export.learner, export.account or "", export.exported_at, export.course_version, export.mode,
               export.submitted_at)
        text = csv_text((*WHO_COLUMNS, *MODE_COLUMNS, *COLUMNS), ((*who, *(_csv_cell(column, record[column]) for column in COLUMNS))
                                            for record in records))
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        partial.write_text(text, encoding="utf-8", newline="")
        os.replace(partial, target)
    except OSError as exc:  # named after the file asked for, not the hidden one written first
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def export_filename(learner: str, suffix: str = ".json") -> str:
    """The file name a learner's export gets: readable, short, safe on every system, and never shared by two names.

    The name is shortened to plain letters and digits (at most 40) and followed by a short
    hash of the exact name typed, so "Ada", "ada" and "Ada/" get three different files while
    the same name always gets the same file (a new export replaces the learner's own older one).

    >>> export_filename("Ada Lovelace")
    'progress-ada-lovelace-7674021617.json'
    >>> export_filename("\U0001F600", ".csv"), export_filename("...", ".csv")
    ('progress-learner-f0443a342c.csv', 'progress-learner-ab5df625bc.csv')
    """
    ascii_name = unicodedata.normalize("NFKD", learner).encode("ascii", "ignore").decode("ascii").lower()
    readable = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:40].strip("-") or "learner"
    digest = hashlib.sha256(learner.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"progress-{readable}-{digest}{suffix}"


def export_progress(path: PathLike, learner: str) -> Path:
    """Export the learner's progress from the kernel's store to a .json or .csv file to hand in.

    >>> import tempfile
    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}), tempfile.TemporaryDirectory() as folder:
    ...     export_progress(Path(folder) / "my-progress.csv", "Grace Hopper").name
    'my-progress.csv'
    """
    return store().export(path, learner)


def parse_export(path: PathLike, payload: bytes | None = None, *, max_bytes: int = MAX_EXPORT_BYTES) -> Export:
    """Read and check an export file (version 1 to 4), without building a DataFrame.

    ``payload`` is the file's content when the caller has read it already; otherwise only a
    regular file of at most ``max_bytes`` bytes is read (see :func:`read_export_bytes`).
    Raises :class:`ExportError` naming the file and what is wrong with it when it is not a
    usable export.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     attempt = Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0)
    ...     export = parse_export(write_export(Path(folder) / "p.json", new_export("Ada", [attempt])))
    >>> export.learner, export.version, [a.question_id for a in export.attempts]
    ('Ada', 4, ['focus-1'])
    """
    source = Path(path).expanduser()
    form = export_kind(source)
    if form is None:
        raise ExportError(source, _not_an_export_file(source))
    if payload is None:
        payload = read_export_bytes(source, max_bytes)
    from rolelib.progress import _parsing

    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if form == "csv":  # a spreadsheet on Windows may save in its own code page
            return _parsing.parse_windows_csv(source, payload, exc)
        raise ExportError(source, f"it is not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    if not text.strip():
        raise ExportError(source, "the file is empty")
    return _parsing.parse_json(source, text) if form == "json" else _parsing.parse_csv(source, text)


def read_export_bytes(path: PathLike, max_bytes: int = MAX_EXPORT_BYTES) -> bytes:
    """The content of an export file, read only if it is a regular file of at most ``max_bytes`` bytes.

    A file not named like an export (.json or .csv), a pipe, a device, a folder, a link to
    nothing or a file too large raises :class:`ExportError` with the reason, without being
    read (and never waits).

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     os.symlink("/dev/zero", Path(folder) / "endless.json")
    ...     read_export_bytes(Path(folder) / "endless.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rolelib.progress.export.ExportError: cannot read progress export .../endless.json: it is a device, not a regular file, so it was not read
    """
    source = Path(path).expanduser()
    if export_kind(source) is None:
        raise ExportError(source, _not_an_export_file(source))
    try:
        return read_bounded(source, max_bytes)
    except UnreadableFile as exc:
        raise ExportError(source, exc.reason) from None


def read_export(path: PathLike) -> tuple[str, pd.DataFrame]:
    """Read an export file: the learner's name and their attempts as a table.

    Raises ValueError naming the file and what is wrong with it when it is not a usable export.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     attempt = Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0)
    ...     learner, attempts = read_export(write_export(Path(folder) / "p.csv", new_export("Ada", [attempt])))
    >>> learner, attempts["answer"].tolist()
    ('Ada', ['CIO'])
    """
    from rolelib.progress.summary import attempts_frame

    export = parse_export(path)
    return export.learner, attempts_frame(list(export.attempts))


# -- helpers ----------------------------------------------------------------------------------


def export_kind(path: Path) -> str | None:
    """The kind of export a file may be, by its extension: 'json', 'csv', or None for any other file.

    >>> export_kind(Path("ada.JSON")), export_kind(Path("notes.txt"))
    ('json', None)
    """
    suffix = path.suffix.lower()
    return suffix[1:] if suffix in (".json", ".csv") else None


def _not_an_export_file(path: Path) -> str:
    extension = path.suffix.lower() or "a file without an extension"
    return f"a progress export is a .json or .csv file, not {extension}"


def _json_text(value: Any, indent: int | None = None) -> str:
    """JSON as readable as can be: characters as they are, except a lone surrogate (not UTF-8), escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, indent=indent)
    return text


def _csv_cell(column: str, value: Any) -> str:
    if column == "answer":
        return _json_text(value)
    if column == "order":
        return _json_text(list(value))
    if column == "correct":
        return "" if value is None else str(value).lower()
    return str(value)
