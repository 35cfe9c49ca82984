"""The export format: the file a learner hands in, written by one function and read by one function.

A learner's export is a .json or a .csv file. Version 2 records who made it and when:

JSON: one object ``{"format": "rolelib-progress", "version": 2, "learner": <the name typed>,
"account": <the JupyterHub user, or null>, "exported_at": <ISO 8601 UTC>, "course_version":
<rolelib's version>, "attempts": [<attempt>, ...]}``, each attempt an object with the fields
question_id, lesson, topic, kind, answer (a string, list or object), correct (true, false or
null when ungraded), score (0 to 1, after the hint cost), hints_used, time (ISO 8601 UTC).

CSV: one row per attempt with the columns learner, account, exported_at, course_version, then
the attempt's fields; ``answer`` is JSON-encoded, ``correct`` is true, false or empty.

:func:`write_export` writes both (the store's export, the export panel and the sample
exports go through it); :func:`parse_export` reads both, and version 1 files (without
account; CSV also without exported_at and course_version) too.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolelib import __version__
from rolelib.progress._sqlite import COLUMNS
from rolelib.progress.store import Attempt, store

if TYPE_CHECKING:
    import pandas as pd

    from rolelib._types import PathLike

EXPORT_FORMAT = "rolelib-progress"
EXPORT_VERSION = 2
ACCOUNT_ENV = "JUPYTERHUB_USER"
_WHO = ("learner", "account", "exported_at", "course_version")
_REQUIRED = {1: ("version", "learner", "exported_at", "course_version", "attempts"),
             2: ("version", "learner", "account", "exported_at", "course_version", "attempts")}
_ATTEMPT_FIELDS = tuple(field.name for field in fields(Attempt))


@dataclass(frozen=True)
class Export:
    """One learner's progress as handed in: who made it, when, with which course version, every attempt.

    ``account`` is the login the environment knew (JupyterHub's user), None elsewhere;
    ``exported_at`` is '' when a version 1 CSV file does not say.
    """

    learner: str
    attempts: tuple[Attempt, ...]
    account: str | None = None
    exported_at: str = ""
    course_version: str = ""
    version: int = EXPORT_VERSION


class ExportError(ValueError):
    """A file that is not a usable progress export; ``reason`` says why, in a learner's words."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot read progress export {path}: {reason}")


def current_account() -> str | None:
    """The login this kernel runs for, as far as the environment knows: JupyterHub's user, else None."""
    return os.environ.get(ACCOUNT_ENV, "").strip() or None


def new_export(learner: str, attempts: list[Attempt], *, account: str | None = None,
               exported_at: datetime | None = None, course_version: str = __version__) -> Export:
    """An export of ``attempts`` by ``learner`` (the name typed), made now unless ``exported_at`` says when.

    >>> new_export("  Ada ", [], exported_at=datetime(2025, 3, 3, tzinfo=timezone.utc)).exported_at
    '2025-03-03T00:00:00+00:00'
    """
    name = learner.strip() if isinstance(learner, str) else ""
    if not name:
        raise ValueError("Please give your name (learner=...) so your instructor knows whose progress "
                         f"this is; got {learner!r}.")
    when = exported_at or datetime.now(timezone.utc)
    return Export(name, tuple(attempts), account, when.isoformat(timespec="seconds"), course_version)


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
                    "course_version": export.course_version, "attempts": records}
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow((*_WHO, *COLUMNS))
        who = (export.learner, export.account or "", export.exported_at, export.course_version)
        for record in records:
            writer.writerow((*who, *(_csv_cell(column, record[column]) for column in COLUMNS)))
        text = buffer.getvalue()
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def export_progress(path: PathLike, learner: str) -> Path:
    """Export the learner's progress from the kernel's store to a .json or .csv file to hand in.

    >>> import tempfile
    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}), tempfile.TemporaryDirectory() as folder:
    ...     export_progress(Path(folder) / "my-progress.csv", "Grace Hopper").name
    'my-progress.csv'
    """
    return store().export(path, learner)


def parse_export(path: PathLike, payload: bytes | None = None) -> Export:
    """Read and check an export file (version 1 or 2), without building a DataFrame.

    ``payload`` is the file's content when the caller has read it already. Raises
    :class:`ExportError` naming the file and what is wrong with it when it is not a usable export.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     attempt = Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0)
    ...     export = parse_export(write_export(Path(folder) / "p.json", new_export("Ada", [attempt])))
    >>> export.learner, export.version, [a.question_id for a in export.attempts]
    ('Ada', 2, ['focus-1'])
    """
    source = Path(path).expanduser()
    form = export_kind(source)
    if form is None:
        raise ExportError(source, _not_an_export_file(source))
    try:
        text = (source.read_bytes() if payload is None else payload).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(source, f"it is not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    if not text.strip():
        raise ExportError(source, "the file is empty")
    return _parse_json(source, text) if form == "json" else _parse_csv(source, text)


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
    if "version" not in document:
        raise ExportError(path, "it lacks the field(s) 'version'")
    version = document["version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExportError(path, f'its "version" should be a whole number, not {version!r}')
    if version not in _REQUIRED:
        newer = " (written by a newer rolelib; update rolelib to read it)" if version > EXPORT_VERSION else ""
        raise ExportError(path, f"it uses export format version {version}, but this rolelib reads versions "
                          f"{', '.join(map(str, _REQUIRED))}{newer}")
    missing = [key for key in _REQUIRED[version] if key not in document]
    if missing:
        raise ExportError(path, f"it lacks the field(s) {', '.join(map(repr, missing))}")
    learner = document["learner"]
    if not isinstance(learner, str) or not learner.strip():
        raise ExportError(path, f'its "learner" should be a non-empty name, not {learner!r}')
    account = document.get("account")
    if account is not None and not isinstance(account, str):
        raise ExportError(path, f'its "account" should be text or null, not {account!r}')
    if not isinstance(document["attempts"], list):
        raise ExportError(path, f'its "attempts" should be a list, not {type(document["attempts"]).__name__}')
    attempts = []
    for number, raw in enumerate(document["attempts"], start=1):
        if not isinstance(raw, dict):
            raise ExportError(path, f"attempt {number} is a {type(raw).__name__}, not an object")
        attempts.append(_checked_attempt(path, f"attempt {number}", raw))
    return Export(learner.strip(), tuple(attempts), account or None, _text(document["exported_at"]),
                  _text(document["course_version"]), version)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _parse_csv(path: Path, text: str) -> Export:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        version = 2 if "account" in header else 1
        expected = (*_WHO, *COLUMNS) if version == 2 else ("learner", *COLUMNS)
        missing = [column for column in expected if column not in header]
        if len(missing) == len(expected):
            raise ExportError(path, "its first line is not the header of a rolelib progress export "
                              f"({', '.join(expected)})")
        if missing:
            raise ExportError(path, f"its header lacks the column(s) {', '.join(missing)}; a progress export "
                              f"has the columns {', '.join(expected)}")
        who: set[tuple[str, ...]] = set()
        attempts = []
        for raw in reader:
            where = f"line {reader.line_num}"
            blanks = [column for column in expected if raw.get(column) is None]
            if blanks:
                raise ExportError(path, f"{where} stops before the column(s) {', '.join(blanks)}; "
                                  "the file looks truncated")
            who.add(tuple(raw.get(column, "").strip() for column in _WHO))
            attempts.append(_checked_attempt(path, where, _from_csv(path, where, raw)))
    except csv.Error as exc:
        raise ExportError(path, f"line {reader.line_num} is not valid CSV ({exc})") from None
    if not attempts:
        raise ExportError(path, "it has no attempts, so it does not name a learner (export to .json to "
                          "hand in progress before answering any exercise)")
    learners = {row[0] for row in who}
    if learners == {""}:
        raise ExportError(path, "its learner column is empty")
    if len(learners) > 1:
        raise ExportError(path, f"its rows name more than one learner: {', '.join(map(repr, sorted(learners)))}")
    if len(who) > 1:
        raise ExportError(path, "its rows disagree on the account, exported_at or course_version; "
                          "an export holds one learner's progress, exported once")
    learner, account, exported_at, course_version = who.pop()
    return Export(learner, tuple(attempts), account or None, exported_at, course_version, version)


def _from_csv(path: Path, where: str, raw: dict[str, str]) -> dict[str, Any]:
    """Turn one CSV row's text cells into the values a JSON export would hold."""
    values: dict[str, Any] = {column: raw[column] for column in COLUMNS}
    try:
        values["answer"] = json.loads(raw["answer"])
    except json.JSONDecodeError:
        raise ExportError(path, f"{where}: the answer {raw['answer']!r} is not JSON-encoded") from None
    correct = raw["correct"].strip().lower()
    if correct not in ("true", "false", ""):
        raise ExportError(path, f"{where}: correct should be true, false or empty, not {raw['correct']!r}")
    values["correct"] = None if correct == "" else correct == "true"
    for column, convert in (("score", float), ("hints_used", int)):
        try:
            values[column] = convert(raw[column])
        except ValueError:
            wanted = "a number" if convert is float else "a whole number"
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
