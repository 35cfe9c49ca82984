"""The export format's one-pass readers: a file as the course writes it, checked and built into Attempts by
pydantic-core schemas built once (Rust, not a check per field in Python).

Each reader is stricter than the careful readers of :mod:`rolelib.progress._parsing` and returns None for
anything it does not take (an older version, a field the format does not know, a spreadsheet's changes, a
wrong value): the careful reader then reads the file and says what is wrong, so every message stays the same.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from pydantic_core import ArgsKwargs, SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from rolelib._errors import _short
from rolelib.progress._sqlite import COLUMNS
from rolelib.progress.export import (
    ACCOUNT_MAX,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MAX_ATTEMPTS,
    MODE_COLUMNS,
    NAME_MAX,
    WHO_COLUMNS,
    Export,
    ExportError,
)
from rolelib.progress.store import Attempt


def _attempt_schema(json_cells: bool) -> cs.CoreSchema:
    """An Attempt as the course writes it, checked and built in one pass (by position or by name); with
    ``json_cells``, its answer and order are JSON texts (the cells of a CSV row) parsed on the way.

    Stricter than the field-by-field checks (only text, lists of text or objects of text as answers, no field
    the format does not know): what it refuses goes through those checks, which say what is wrong.
    """
    text = cs.str_schema(strict=True)
    name = cs.str_schema(strict=True, min_length=1)
    whole = cs.int_schema(ge=0, strict=True)
    answer = cs.union_schema([text, cs.list_schema(text, strict=True), cs.dict_schema(text, text, strict=True)],
                             mode="left_to_right")
    order = cs.tuple_schema([text], variadic_item_index=0, strict=True)
    if json_cells:
        answer, order = cs.json_schema(answer), cs.json_schema(order)
    fields = [cs.dataclass_field(field, schema, kw_only=False) for field, schema in (
        ("question_id", name), ("lesson", name), ("topic", name), ("kind", name), ("answer", answer),
        ("correct", cs.nullable_schema(cs.bool_schema(strict=True))),
        ("score", cs.float_schema(ge=0, le=1, allow_inf_nan=False, strict=True)), ("hints_used", whole),
        ("time", text), ("attempt_number", whole), ("variant", text), ("order", order))]
    return cs.dataclass_schema(Attempt, cs.dataclass_args_schema("Attempt", fields, extra_behavior="forbid"),
                               [field["name"] for field in fields], post_init=True, frozen=True)


def _export_validator() -> SchemaValidator:
    """The export document as the course writes it (version 4), checked and built into Attempts in one pass."""
    optional_text = cs.nullable_schema(cs.str_schema(strict=True))
    return SchemaValidator(cs.typed_dict_schema({
        "format": cs.typed_dict_field(cs.literal_schema([EXPORT_FORMAT])),
        # a whole number, as the careful reader takes it: a literal would also take 4.0 (which that reader refuses)
        "version": cs.typed_dict_field(cs.int_schema(strict=True, ge=EXPORT_VERSION, le=EXPORT_VERSION)),
        "learner": cs.typed_dict_field(cs.str_schema(strict=True)), "account": cs.typed_dict_field(optional_text),
        "exported_at": cs.typed_dict_field(optional_text), "course_version": cs.typed_dict_field(optional_text),
        "mode": cs.typed_dict_field(optional_text, required=False),
        "submitted_at": cs.typed_dict_field(optional_text, required=False),
        "attempts": cs.typed_dict_field(cs.tuple_schema([_attempt_schema(json_cells=False)], variadic_item_index=0,
                                                        strict=True)),
    }, extra_behavior="forbid"))


_EXPORT = _export_validator()
_CSV_ATTEMPT = SchemaValidator(_attempt_schema(json_cells=True))


def course_json(path: Path, text: str) -> Export | None:
    """A JSON export as the course writes it, checked and built in one pass; None for any other document or any
    doubt (the field-by-field reader reads it and says what is wrong)."""
    try:
        document = _EXPORT.validate_json(text)
    except ValidationError:
        return None
    learner, account = document["learner"], document.get("account") or ""
    if not learner.strip() or len(document["attempts"]) > MAX_ATTEMPTS:
        return None
    check_names(path, learner, account)
    return Export(learner.strip(), document["attempts"], account.strip() or None, document["exported_at"] or "",
                  document["course_version"] or "", EXPORT_VERSION, export_mode(path, document.get("mode")),
                  document.get("submitted_at") or "")


_WRITTEN_HEADER = [*WHO_COLUMNS, *MODE_COLUMNS, *COLUMNS]
"""The columns of a CSV export as the course writes it (version 4), in its order."""
_CORRECT = {"true": True, "false": False, "": None}
_NEUTRALISED = ("\"'", ",'", "\n'", "\r'")  # an apostrophe where a cell starts (or at the text's start): maybe a
# neutralised formula, which the careful reader restores


def course_csv(path: Path, text: str) -> Export | None:
    """A CSV export as the course writes it (its header, commas, no cell starting with an apostrophe), read in one
    pass with its rows taken by position; None for any other file or any doubt (the cell-by-cell reader reads
    it and says what is wrong)."""
    if text.startswith("'") or any(start in text for start in _NEUTRALISED):
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    who: set[tuple[str, ...]] = set()
    attempts = []
    try:
        if next(reader, None) != _WRITTEN_HEADER:
            return None
        for row in reader:
            if not row:  # an empty line
                continue
            if len(row) != len(_WRITTEN_HEADER) or len(attempts) == MAX_ATTEMPTS:
                return None
            (learner, account, exported_at, course_version, mode, submitted, question_id, lesson, topic, kind, answer,
             correct, score, hints, when, number, variant, order) = row
            who.add((learner, account, exported_at, course_version, mode, submitted))
            if not (correct in _CORRECT and hints.isascii() and hints.isdigit() and len(hints) <= 30
                    and number.isascii() and number.isdigit() and len(number) <= 30):
                return None
            attempts.append(_CSV_ATTEMPT.validate_python(ArgsKwargs((
                question_id, lesson, topic, kind, answer, _CORRECT[correct], float(score), int(hints), when,
                int(number), variant, order))))
    except (csv.Error, ValueError):  # a cell that is not as the course writes it included: said by the careful reader
        return None
    if len(who) != 1:
        return None
    learner, account, exported_at, course_version, mode, submitted = (value.strip() for value in who.pop())
    if not learner:
        return None
    check_names(path, learner, account)
    return Export(learner, tuple(attempts), account or None, exported_at, course_version, EXPORT_VERSION,
                  export_mode(path, mode), submitted)


def export_mode(path: Path, value: Any) -> str:
    """The course mode an export records: 'practice' when it does not say (written before modes)."""
    if value in (None, ""):
        return "practice"
    if value not in ("practice", "exam"):
        raise ExportError(path, f'its "mode" should be "practice" or "exam", not {_short(value)}')
    return value


def check_names(path: Path, learner: str, account: str) -> None:
    """Refuse a learner name or account too long, or holding a character that is not text."""
    for field, value, what, most in (("learner", learner, "a name", NAME_MAX),
                                     ("account", account, "an account", ACCOUNT_MAX)):
        if len(value.strip()) > most:
            raise ExportError(path, f'its "{field}" is {len(value):,} characters long; {what} has at most {most}')
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ExportError(path, f'its "{field}" holds a character that is not text (a lone surrogate)') from None
