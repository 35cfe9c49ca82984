"""The checks behind :func:`rolelib.progress.export.parse_export`: a handed-in file's text, trusted in nothing.

The limits are the export format's (:data:`~rolelib.progress.export.MAX_DEPTH`,
:data:`~rolelib.progress.export.MAX_ATTEMPTS`, :data:`~rolelib.progress.export.NAME_MAX`);
each check runs before the work it guards: the attempts are counted before they are built.
Nesting costs nothing to check where it cannot be: Python's JSON parser stops at its
recursion limit (a few hundred levels, however deep the file goes), and once parsed only
the values that may be lists or objects (an answer, a field of the document the format does
not know) are measured; a CSV answer cell is measured before it is parsed.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from rolelib._errors import _short
from rolelib._spreadsheet import restored
from rolelib.progress._one_pass import check_names, course_csv, course_json, export_mode
from rolelib.progress._sqlite import COLUMNS, FIRST_COLUMNS, NUMBERED_COLUMNS
from rolelib.progress.export import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MAX_ATTEMPTS,
    MAX_DEPTH,
    MODE_COLUMNS,
    WHO_COLUMNS,
    Export,
    ExportError,
)
from rolelib.progress.store import Attempt

_REQUIRED = {1: ("version", "learner", "exported_at", "course_version", "attempts"),
             2: ("version", "learner", "account", "exported_at", "course_version", "attempts"),
             3: ("version", "learner", "account", "exported_at", "course_version", "attempts"),
             4: ("version", "learner", "account", "exported_at", "course_version", "attempts")}
_NUMBERED_FROM = 3  # the first export version whose attempts carry their attempt_number
_ATTEMPT_COLUMNS = {1: FIRST_COLUMNS, 2: FIRST_COLUMNS, 3: NUMBERED_COLUMNS, 4: COLUMNS}
"""The fields of an attempt in each export version (from 4: the version of the question shown and its order)."""
_HUGE = 10**30  # what a whole number of more than 30 digits is read as
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_WHOLE = re.compile(r"[+-]?[0-9]+")


def _too_deep(text: str) -> bool:
    """Whether JSON text nests lists and objects deeper than :data:`MAX_DEPTH`, found without parsing it."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # too few brackets to nest too deep: most texts
        return False
    depth = 0
    for bracket in _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _whole_number(digits: str) -> int:
    """A whole number from its digits; one too long to be real is read as a very large one (never an error)."""
    if len(digits.lstrip("+-")) <= 30:
        return int(digits)
    return -_HUGE if digits.startswith("-") else _HUGE


def _loads(text: str) -> Any:
    """JSON text parsed; a whole number too long to be real (Python refuses to read it) as a very large one."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # "exceeds the limit for integer string conversion": read its numbers one by one
        return json.loads(text, parse_int=_whole_number)


def _depth(value: Any, limit: int) -> int:
    """How deep ``value`` nests lists and objects (0 for a scalar), counted no further than ``limit`` + 1."""
    if type(value) is list:
        children = value
    elif type(value) is dict:
        children = value.values()
    else:
        return 0
    if limit <= 0:
        return 1
    return 1 + max((_depth(child, limit - 1) for child in children if type(child) in (list, dict)), default=0)


def _nested_too_deep(path: Path) -> ExportError:
    return ExportError(path, f"it nests lists or objects more than {MAX_DEPTH} deep; an export nests 4 deep, "
                       "so it was not read")


def parse_json(path: Path, text: str) -> Export:
    if text.count('"question_id"') > MAX_ATTEMPTS:
        raise ExportError(path, f"it holds more than {MAX_ATTEMPTS:,} attempts, more than any learner makes, "
                          "so it was not parsed")
    if (written := course_json(path, text)) is not None:  # a document as the course writes it: one pass
        return written
    try:  # anything else: field by field, to say what is wrong
        document = _loads(text)
    except RecursionError:  # nested hundreds deep: the parser stopped
        raise _nested_too_deep(path) from None
    except json.JSONDecodeError as exc:
        raise _not_json(path, text, exc) from None
    if not isinstance(document, dict):
        raise ExportError(path, f"it holds a JSON {type(document).__name__}, not a progress export object")
    if any(_depth(value, MAX_DEPTH) > MAX_DEPTH - 1 for key, value in document.items() if key != "attempts"):
        raise _nested_too_deep(path)
    if "format" not in document:
        raise ExportError(path, f'it has no "format" field, so it is not a rolelib progress export '
                          f'(expected "format": "{EXPORT_FORMAT}")')
    if document["format"] != EXPORT_FORMAT:
        raise ExportError(path, f'its "format" is {_short(document["format"])}, not "{EXPORT_FORMAT}": '
                          "it is not a rolelib progress export")
    if "version" not in document:
        raise ExportError(path, "it lacks the field(s) 'version'")
    version = document["version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExportError(path, f'its "version" should be a whole number, not {_short(version)}')
    if version not in _REQUIRED:
        newer = " (written by a newer rolelib; update rolelib to read it)" if version > EXPORT_VERSION else ""
        raise ExportError(path, f"it uses export format version {version}, but this rolelib reads versions "
                          f"{', '.join(map(str, _REQUIRED))}{newer}")
    missing = [key for key in _REQUIRED[version] if key not in document]
    if missing:
        raise ExportError(path, f"it lacks the field(s) {', '.join(map(repr, missing))}")
    learner = document["learner"]
    if not isinstance(learner, str) or not learner.strip():
        raise ExportError(path, f'its "learner" should be a non-empty name, not {_short(learner)}')
    account = document.get("account")
    if account is not None and not isinstance(account, str):
        raise ExportError(path, f'its "account" should be text or null, not {_short(account)}')
    check_names(path, learner, account or "")
    if not isinstance(document["attempts"], list):
        raise ExportError(path, f'its "attempts" should be a list, not {type(document["attempts"]).__name__}')
    if len(document["attempts"]) > MAX_ATTEMPTS:
        raise ExportError(path, f"it holds more than {MAX_ATTEMPTS:,} attempts, more than any learner makes")
    attempts = []
    for number, raw in enumerate(document["attempts"], start=1):
        if type(raw) is not dict:
            raise ExportError(path, f"attempt {number} is a {type(raw).__name__}, not an object")
        answer = raw.get("answer")  # the one field of an attempt that may nest (the others must be text or numbers)
        if type(answer) in (list, dict) and _depth(answer, MAX_DEPTH) > MAX_DEPTH - 3:
            raise _nested_too_deep(path)  # the document, its attempts, an attempt: 3 levels above it
        attempts.append(_checked_attempt(path, f"attempt {number}", raw, version))
    return Export(learner.strip(), _numbered(attempts, version), account.strip() or None if account else None,
                  _text(document["exported_at"]), _text(document["course_version"]), version,
                  export_mode(path, document.get("mode")), _text(document.get("submitted_at")))


def _not_json(path: Path, text: str, error: json.JSONDecodeError) -> ExportError:
    """What is wrong with a file that is not JSON: more text after the document, an end cut off, or where it breaks."""
    if error.msg == "Extra data":  # a whole document, then more
        return ExportError(path, f"it holds more text after the end of the export (line {error.lineno}, column "
                           f"{error.colno}): was something added to the file, or two exports put into one?")
    rest = text[error.pos:].strip()
    if "\n" not in rest and "]" not in rest and "}" not in rest:  # the error is in the last token
        return ExportError(path, "the JSON ends too early; the file looks truncated (was it copied "
                           "or downloaded completely?)")
    return ExportError(path, f"it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})")


def _numbered(attempts: list[Attempt], version: int) -> tuple[Attempt, ...]:
    """The attempts, numbered per question in the order listed when the file's version does not number them."""
    if version >= _NUMBERED_FROM:
        return tuple(attempts)
    counts: dict[str, int] = {}
    numbered = []
    for attempt in attempts:
        counts[attempt.question_id] = counts.get(attempt.question_id, 0) + 1
        numbered.append(replace(attempt, attempt_number=counts[attempt.question_id]))
    return tuple(numbered)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def parse_windows_csv(path: Path, payload: bytes, error: UnicodeDecodeError) -> Export:
    """A CSV export a spreadsheet saved in the Windows code page; the UTF-8 error when it is not one."""
    try:
        return parse_csv(path, payload.decode("cp1252"))
    except (UnicodeDecodeError, ExportError):
        raise ExportError(path, f"it is not UTF-8 text (byte {error.start} cannot be decoded)") from None


def parse_csv(path: Path, text: str) -> Export:
    return course_csv(path, text) or _any_csv(path, text)


def _any_csv(path: Path, text: str) -> Export:
    """A CSV export of any version, as a spreadsheet may have saved it again, checked cell by cell."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    separator = max((",", ";", "\t"), key=first_line.count)  # a spreadsheet may save with ; or tabs
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = [restored(name.strip()) for name in next(reader, [])]
        version = (4 if "variant" in header else 3 if "attempt_number" in header else 2 if "account" in header
                   else 1)
        columns = _ATTEMPT_COLUMNS[version]
        expected = (*WHO_COLUMNS, *columns) if version >= 2 else ("learner", *columns)
        missing = [column for column in expected if column not in header]
        if len(missing) == len(expected):
            raise ExportError(path, "its first line is not the header of a rolelib progress export "
                              f"({', '.join(expected)})")
        if missing:
            raise ExportError(path, f"its header lacks the column(s) {', '.join(missing)}; a progress export "
                              f"has the columns {', '.join(expected)}")
        where_in_row = {name: number for number, name in enumerate(header)}  # a repeated name: its last column
        positions = [where_in_row[column] for column in expected]
        mode_positions = [where_in_row.get(column) for column in MODE_COLUMNS]  # optional: none before modes
        width = max(positions) + 1
        who: set[tuple[str, ...]] = set()
        attempts = []
        for row in reader:
            if not row:  # an empty line
                continue
            where = f"line {reader.line_num}"
            if len(row) < width:
                blanks = [column for column, number in zip(expected, positions) if number >= len(row)]
                raise ExportError(path, f"{where} stops before the column(s) {', '.join(blanks)}; "
                                  "the file looks truncated")
            if len(attempts) == MAX_ATTEMPTS:
                raise ExportError(path, f"it holds more than {MAX_ATTEMPTS:,} attempts, more than any learner "
                                  "makes, so it was not read further")
            cells = {column: restored(row[number]) for column, number in zip(expected, positions)}
            modes = tuple(restored(row[number]).strip() if number is not None and number < len(row) else ""
                          for number in mode_positions)
            who.add((*(cells.get(column, "").strip() for column in WHO_COLUMNS), *modes))
            attempts.append(_checked_attempt(path, where, _from_csv(path, where, cells), version))
    except csv.Error as exc:
        raise ExportError(path, f"line {reader.line_num} is not valid CSV ({exc})") from None
    if not attempts:
        raise ExportError(path, "it has no attempts, so it does not name a learner (export to .json to "
                          "hand in progress before answering any exercise)")
    learners = {row[0] for row in who}
    if learners == {""}:
        raise ExportError(path, "its learner column is empty")
    if len(learners) > 1:
        named = ", ".join(_short(name) for name in sorted(learners)[:3])
        raise ExportError(path, f"its rows name more than one learner: {named}")
    if len(who) > 1:
        raise ExportError(path, "its rows disagree on the account, exported_at, course_version, mode or submitted_at; "
                          "an export holds one learner's progress, exported once")
    learner, account, exported_at, course_version, mode, submitted = who.pop()
    check_names(path, learner, account)
    return Export(learner, _numbered(attempts, version), account or None, exported_at, course_version, version,
                  export_mode(path, mode), submitted)


def _from_csv(path: Path, where: str, raw: dict[str, str]) -> dict[str, Any]:
    """Turn one CSV row's text cells into the values a JSON export would hold."""
    values: dict[str, Any] = {column: raw[column] for column in COLUMNS if column in raw}
    if _too_deep(raw["answer"]):
        raise ExportError(path, f"{where}: the answer nests lists or objects more than {MAX_DEPTH} deep, "
                          "so it was not read")
    try:
        values["answer"] = _loads(raw["answer"])
    except json.JSONDecodeError:
        raise ExportError(path, f"{where}: the answer {_short(raw['answer'])} is not JSON-encoded") from None
    correct = raw["correct"].strip().lower()
    if correct not in ("true", "false", ""):
        raise ExportError(path, f"{where}: correct should be true, false or empty, not {_short(raw['correct'])}")
    values["correct"] = None if correct == "" else correct == "true"
    score = raw["score"].strip().replace(",", ".")  # a decimal comma, as some spreadsheets save
    try:
        values["score"] = float(score)
    except ValueError:
        raise ExportError(path, f"{where}: score should be a number, not {_short(raw['score'])}") from None
    hints = raw["hints_used"].strip()
    if not _WHOLE.fullmatch(hints):
        raise ExportError(path, f"{where}: hints_used should be a whole number, not {_short(raw['hints_used'])}")
    values["hints_used"] = _whole_number(hints)
    if "attempt_number" in raw:
        number = raw["attempt_number"].strip()
        if not _WHOLE.fullmatch(number):
            raise ExportError(path, f"{where}: attempt_number should be a whole number, not "
                              f"{_short(raw['attempt_number'])}")
        values["attempt_number"] = _whole_number(number)
    if "order" in raw:
        try:
            values["order"] = _loads(raw["order"])
        except (json.JSONDecodeError, RecursionError):
            raise ExportError(path, f"{where}: the order {_short(raw['order'])} is not a JSON-encoded list") from None
    return values


_NEEDED = {version: frozenset(_ATTEMPT_COLUMNS[version]) for version in _REQUIRED}


def _checked_attempt(path: Path, where: str, raw: dict[str, Any], version: int) -> Attempt:
    """The attempt ``raw`` holds, checked field by field; an ExportError names the first field that is wrong."""
    if _NEEDED[version] <= raw.keys():  # the common case, every field as it should be, checked in one expression
        question_id, lesson, topic, kind = raw["question_id"], raw["lesson"], raw["topic"], raw["kind"]
        correct, score, hints, when = raw["correct"], raw["score"], raw["hints_used"], raw["time"]
        number, variant, order = raw.get("attempt_number", 0), raw.get("variant", ""), raw.get("order", [])
        if (type(variant) is str and type(order) is list and all(type(key) is str for key in order)
                and type(question_id) is str and question_id and type(lesson) is str and lesson and type(topic) is str
                and topic and type(kind) is str and kind and type(when) is str
                and (correct is None or type(correct) is bool) and type(score) in (float, int) and 0 <= score <= 1
                and type(hints) is int and hints >= 0 and type(number) is int and number >= 0):
            return Attempt(question_id, lesson, topic, kind, raw["answer"], correct, float(score), hints, when, number,
                           variant, tuple(order))
    return _slowly_checked_attempt(path, where, raw, version)


def _slowly_checked_attempt(path: Path, where: str, raw: dict[str, Any], version: int) -> Attempt:
    needed = _ATTEMPT_COLUMNS[version]
    missing = [name for name in needed if name not in raw]
    if missing:
        raise ExportError(path, f"{where} lacks the field(s) {', '.join(map(repr, missing))}")
    for name in ("question_id", "lesson", "topic", "kind"):
        if not isinstance(raw[name], str) or not raw[name]:
            raise ExportError(path, f"{where}: {name} should be non-empty text, not {_short(raw[name])}")
    if not isinstance(raw["time"], str):
        raise ExportError(path, f"{where}: time should be text, not {_short(raw['time'])}")
    if raw["correct"] is not None and not isinstance(raw["correct"], bool):
        raise ExportError(path, f"{where}: correct should be true, false or null, not {_short(raw['correct'])}")
    score = raw["score"]
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not (
            math.isfinite(score) and 0 <= score <= 1):
        raise ExportError(path, f"{where}: score should be a number from 0 to 1, not {_short(score)}")
    hints = raw["hints_used"]
    if isinstance(hints, bool) or not isinstance(hints, int) or hints < 0:
        raise ExportError(path, f"{where}: hints_used should be a whole number of 0 or more, not {_short(hints)}")
    number = raw.get("attempt_number", 0)
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ExportError(path, f"{where}: attempt_number should be a whole number of 0 or more, not "
                          f"{_short(number)}")
    variant, order = raw.get("variant", ""), raw.get("order", [])
    if not isinstance(variant, str):
        raise ExportError(path, f"{where}: variant should be the id of a question, not {_short(variant)}")
    if not isinstance(order, list) or not all(isinstance(key, str) for key in order):
        raise ExportError(path, f"{where}: order should be a list of option or item names, not {_short(order)}")
    return Attempt(raw["question_id"], raw["lesson"], raw["topic"], raw["kind"], raw["answer"],
                   raw["correct"], float(score), hints, raw["time"], number, variant, tuple(order))
