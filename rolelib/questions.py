"""Question banks: one YAML file per lesson in ``data/questions/``, checked when loaded.

An instructor writes the banks without code. Each question has an ``id``, a ``kind`` (one of
:data:`rolelib.kinds.KINDS`: single, multiple, classify, match or reflect), the difference it
tests (``topic``), the ``level`` it tests (remember, understand, apply or analyse), a Markdown
``prompt``, the fields of its kind, an ``explanation``, optional progressive ``hints``,
optional ``feedback`` per wrong answer, and a ``source``. An entry may list ``variants``: other
versions of the same slot (same kind, topic and level), each with its own ``id``, taking from
the entry every field it does not give, and checked as a full question. This module reads and
checks the fields every question has; each kind (:mod:`rolelib.kinds`) checks its own. Loading raises one
:class:`rolelib.DataError` that lists every problem (file, question id, field, what was expected).

>>> banks = load_banks()
>>> banks["focus-1"].kind, banks["focus-1"].lesson
('single', '01_focus')
"""

from __future__ import annotations

import reprlib
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from pydantic_core import SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from rolelib._bank_yaml import BankSyntaxError, parse_bank
from rolelib._errors import DataError, Problem
from rolelib._files import MAX_BANK_BYTES, Unreadable, read_inside
from rolelib.kinds import KINDS, LEVELS, BankContext, Item, Question, classify_pools
from rolelib.kinds.base import TEXT, frozen, optional, required, texts
from rolelib.lessons import LESSONS

if TYPE_CHECKING:
    from rolelib._types import DataSource

__all__ = ["BANK_FOLDER", "KINDS", "LEVELS", "Item", "Question", "bank_problems", "classify_pools", "load_banks",
           "load_versions"]

BANK_FOLDER = "questions"

_ID = cs.str_schema(strip_whitespace=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60, strict=True)
# The fields every question has, in the order an instructor may write them; each kind adds its FIELDS.
_COMMON_FIELDS = {
    "id": required(_ID),
    "kind": required(cs.str_schema(strict=True)),
    "topic": required(TEXT),
    "level": required(cs.literal_schema(list(LEVELS))),
    "prompt": required(TEXT), "explanation": required(TEXT),
    "hints": optional(texts(), []),
    "feedback": optional(cs.dict_schema(TEXT, TEXT, strict=True), {}),
    "source": required(TEXT),
}
_SAME_SLOT = ("kind", "topic", "level", "variants")  # what a variant may not give: it is a version of the same slot
_BANK = SchemaValidator(cs.typed_dict_schema({
    "lesson": required(TEXT),
    "questions": required(cs.list_schema(cs.dict_schema(cs.str_schema(strict=True), cs.any_schema()), min_length=1,
                                         strict=True)),
}, extra_behavior="forbid"))
_VALIDATORS: dict[type[Question] | None, SchemaValidator] = {}
_CACHE: dict[str, tuple[tuple, tuple, dict[str, Question]]] = {}
_CACHE_LOCK = threading.Lock()


def _validator(kind: type[Question] | None) -> SchemaValidator:
    """One strict validator per kind (None: the common fields alone), collecting every error with its place.

    Built with pydantic-core's schema API (the engine under pydantic) rather than pydantic
    models: the same checks and error records, built in milliseconds.
    """
    if kind not in _VALIDATORS:
        fields = {**_COMMON_FIELDS, **(kind.FIELDS if kind else {})}
        _VALIDATORS[kind] = SchemaValidator(cs.typed_dict_schema(fields, extra_behavior="forbid"))
    return _VALIDATORS[kind]


# --- loading ------------------------------------------------------------------------------

def load_banks(data: DataSource = None) -> dict[str, Question]:
    """Every question of the course, by id, checked against the data; cached per data folder.

    The banks are read from ``data.data_dir / "questions"``, so a custom data folder brings
    its own banks. Raises :class:`rolelib.DataError` listing every problem found.

    >>> banks = load_banks()
    >>> sorted({question.kind for question in banks.values()})
    ['classify', 'match', 'multiple', 'reflect', 'single']
    """
    from rolelib.data import course_data, file_stamps

    data = course_data(data)
    directory = Path(data.data_dir)
    stamp = file_stamps(directory / BANK_FOLDER)
    context = BankContext(data)
    with _CACHE_LOCK:
        cached = _CACHE.get(str(directory))
    if cached is not None and cached[:2] == (stamp, context.key):
        return dict(cached[2])
    questions, problems = _read_banks(directory, context)
    if problems:
        raise DataError(problems, str(directory))
    with _CACHE_LOCK:
        _CACHE[str(directory)] = (stamp, context.key, questions)
    return dict(questions)


def load_versions(data: DataSource = None) -> dict[str, Question]:
    """Every version of every question by its own id: each bank entry, then its variants.

    A variant's ``slot`` is the id of its entry, under which progress and scores are kept.

    >>> versions = load_versions()
    >>> all(versions[question.id] is question for question in load_banks().values())
    True
    """
    return {version.id: version for entry in load_banks(data).values() for version in entry.versions}


def bank_problems(data: DataSource = None, *, against_tables: bool = True) -> list[Problem]:
    """Every problem in the question banks of a data folder (empty when all is well).

    When the tables themselves do not load (or ``against_tables`` is False, for a caller that
    knows they do not), the banks are still checked, but not against the tables (roles,
    topics, sources).

    >>> bank_problems()
    []
    """
    from rolelib.data import CourseData, default_data_dir, load

    if isinstance(data, CourseData):
        return _read_banks(Path(data.data_dir), BankContext(data))[1]
    directory = Path(data).expanduser().resolve() if data is not None else default_data_dir()
    if not against_tables:
        return _read_banks(directory, BankContext(None))[1]
    try:
        loaded = load(directory)
    except DataError:
        loaded = None
    return _read_banks(directory, BankContext(loaded))[1]


def _read_banks(directory: Path, context: BankContext) -> tuple[dict[str, Question], list[Problem]]:
    folder = directory / BANK_FOLDER
    if not folder.is_dir():
        return {}, [Problem(BANK_FOLDER, None, None, None,
                            "a folder questions/ in the data folder, with one YAML bank per lesson "
                            "(copy it from the course's data/questions/)")]
    order = {item.slug: number for number, item in enumerate(LESSONS)}
    paths = sorted((p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")),
                   key=lambda p: (order.get(p.stem, len(order)), p.name))
    seen: dict[str, str] = {}
    questions: dict[str, Question] = {}
    problems: list[Problem] = []
    for path in paths:
        for question in _read_bank(path, context, seen, problems):
            questions[question.id] = question
    return questions, problems


def _read_bank(path: Path, context: BankContext, seen: dict[str, str], problems: list[Problem]) -> list[Question]:
    file = f"{BANK_FOLDER}/{path.name}"
    try:
        text = read_inside(path, path.parent.parent, MAX_BANK_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(file, None, None, None, "text saved as UTF-8"))
        return []
    except Unreadable as exc:
        problems.append(Problem(file, None, None, None, str(exc)))
        return []
    except OSError as exc:
        problems.append(Problem(file, None, None, None, f"a readable file ({exc.strerror})"))
        return []
    try:
        raw = parse_bank(text, file)
    except BankSyntaxError as exc:
        problems.append(exc.problem)
        return []
    if not isinstance(raw, dict):
        problems.append(Problem(file, None, None, None if raw is None else type(raw).__name__,
                                "a mapping at the top: 'lesson: <slug>' and 'questions:' with a list"))
        return []
    try:
        bank = _BANK.validate_python(raw)
    except ValidationError as errors:
        bank = None
        # A question that is not a mapping is reported below, with its position in the list.
        top = [error for error in errors.errors(include_url=False)
               if not (error["loc"][0] == "questions" and len(error["loc"]) > 1)]
        problems.extend(_problems_from(top, file, None, None))
    lesson = _lesson(raw.get("lesson"), path, file, problems)
    entries = bank["questions"] if bank is not None else raw.get("questions")
    if not isinstance(entries, list):
        return []
    result = []
    for position, entry in enumerate(entries, start=1):
        question = _read_question(entry, position, file, lesson, context, problems, seen)
        if question is not None:
            result.append(question)
    return result


def _lesson(lesson: Any, path: Path, file: str, problems: list[Problem]) -> str:
    """The bank's lesson slug, checked against the lessons and the file's name."""
    if not isinstance(lesson, str) or not lesson.strip():
        return path.stem
    lesson = lesson.strip()
    slugs = [item.slug for item in LESSONS]
    if lesson not in slugs:
        problems.append(Problem(file, None, "lesson", lesson, "one of the lesson slugs: " + ", ".join(slugs)))
    elif lesson != path.stem:
        problems.append(Problem(file, None, "lesson", lesson,
                                f"{path.stem!r}, the name of the file (or rename the file to {lesson}.yaml)"))
    return lesson


def _read_question(entry: Any, position: int, file: str, lesson: str, context: BankContext,
                   problems: list[Problem], seen: dict[str, str] | None = None) -> Question | None:
    """Check one bank entry and its variants and build its question; every problem goes to ``problems``.

    ``seen`` maps the ids read so far (in this bank and the ones before) to their file.
    """
    seen = {} if seen is None else seen
    if not isinstance(entry, dict):
        problems.append(Problem(file, f"#{position}", None, _value(entry),
                                f"a mapping (id: ..., kind: ..., prompt: ...) for question {position} of the list"))
        return None
    raw_id = entry.get("id")
    row = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else f"#{position}"
    entry = dict(entry)
    listed = entry.pop("variants", [])
    before = len(problems)
    question = _read_version(entry, row, file, lesson, context, problems, seen)
    if not isinstance(listed, list):
        problems.append(Problem(file, row, "variants", _value(listed),
                                "a list of variants, one mapping (- id: ..., prompt: ...) per version"))
        return None
    if not isinstance(entry.get("kind"), str) or entry["kind"] not in KINDS:
        return None  # the entry's kind is reported; its variants are checked once it is known
    own = {(problem.column, problem.expected) for problem in problems[before:]}
    variants = [_read_variant(variant, number, entry, row, file, lesson, context, problems, seen, own)
                for number, variant in enumerate(listed, start=1)]
    if question is None or None in variants or len(problems) > before:
        return None
    return replace(question, variants=tuple(variants))


def _read_variant(variant: Any, number: int, entry: dict, slot: str, file: str, lesson: str, context: BankContext,
                  problems: list[Problem], seen: dict[str, str], reported: set) -> Question | None:
    """Check one variant of the entry ``slot`` as a full question: what it does not give, it takes from the entry.

    Problems the entry itself has (in ``reported``) are not repeated for a variant that takes the field from it.
    """
    if not isinstance(variant, dict) or not isinstance(variant.get("id"), str) or not variant["id"].strip():
        found = variant.get("id") if isinstance(variant, dict) else variant
        problems.append(Problem(file, f"{slot}, variant {number}", "variants" if found is None else "id",
                                None if found is None else _value(found),
                                f"a mapping with its own id (such as {slot}-{chr(97 + number)}) for variant {number} "
                                f"of {slot}"))
        return None
    row = variant["id"].strip()
    for key in _SAME_SLOT:
        if key in variant:
            problems.append(Problem(file, row, key, _value(variant[key]),
                                    f"no '{key}' in a variant: a variant is a version of the same slot as {slot} (same "
                                    f"kind, topic and level, taken from it); for another {key}, write a question "
                                    f"of its own"))
    before = len(problems)
    version = _read_version({**entry, **{k: v for k, v in variant.items() if k not in _SAME_SLOT}}, row, file,
                            lesson, context, problems, seen, slot)
    problems[before:] = [problem for problem in problems[before:]
                         if problem.column in variant or (problem.column, problem.expected) not in reported]
    return version if len(problems) == before and not any(key in variant for key in _SAME_SLOT) else None


def _read_version(entry: dict, row: str, file: str, lesson: str, context: BankContext, problems: list[Problem],
                  seen: dict[str, str], slot: str = "") -> Question | None:
    """Check one version of a question (the entry, or a variant merged with it) and build it."""
    word = entry.get("kind")
    kind = KINDS.get(word) if isinstance(word, str) else None
    before = len(problems)
    if kind is None:
        known = ", ".join(map(repr, KINDS))
        problems.append(Problem(file, row, "kind", _value(word), "one of: " + known) if "kind" in entry
                        else Problem(file, row, "kind", None, "this field: one of " + known))
        # Still check the fields every question has, so that one pass reports them too.
        entry = {key: value for key, value in entry.items() if key in _COMMON_FIELDS}
        entry["kind"] = ""
    try:
        fields = SimpleNamespace(**_validator(kind).validate_python(entry))
    except ValidationError as errors:
        problems.extend(_problems_from(errors.errors(include_url=False), file, row, kind))
        fields = None
    if row in seen:
        where = "earlier in this file" if seen[row] == file else f"in {seen[row]}"
        problems.append(Problem(file, row, "id", row, f"an id not used by another question (already used {where})"))
    elif not row.startswith("#"):
        seen[row] = file
    if fields is None or kind is None:
        return None
    question = _build(kind, fields, lesson, file, context, problems, slot)
    return question if len(problems) == before else None


def _build(kind: type[Question], fields: SimpleNamespace, lesson: str, file: str, context: BankContext,
           problems: list[Problem], slot: str = "") -> Question | None:
    row = fields.id

    def report(column: str, value: Any, expected: str) -> None:
        problems.append(Problem(file, row, column, None if value is None else _value(value), expected))

    if context.topics is not None and fields.topic not in context.topics:
        report("topic", fields.topic, "a dimension id from dimensions.csv: " + ", ".join(context.topics))
    if context.sources is not None and fields.source not in context.sources:
        report("source", fields.source, "a source_id from sources.csv: " + ", ".join(context.sources))
    common = dict(id=row, lesson=lesson, topic=fields.topic, level=fields.level, prompt=fields.prompt,
                  explanation=fields.explanation, hints=tuple(fields.hints), feedback=frozen(fields.feedback),
                  source=fields.source, file=file, slot=slot or row)
    return kind.from_bank(fields, common, context, report)


# --- problems in words an instructor can act on ----------------------------------------------

def _problems_from(errors: list[dict], file: str, row: str | None, kind: type[Question] | None) -> list[Problem]:
    problems = []
    seen = set()
    for error in errors:
        loc = error["loc"]
        column = str(loc[0]) if loc else None
        if error["type"] in ("string_type", "list_type") and len(loc) > 2 and column == "pairs":
            expected, value = "text, or a list of accepted answers", _value(error["input"])
        else:
            expected = _expected(error, kind, row is None)
            value = None if error["type"] == "missing" else _value(error["input"])
        if (column, expected) in seen:
            continue
        seen.add((column, expected))
        problems.append(Problem(file, row, column, value, expected))
    return problems


def _expected(error: dict, kind: type[Question] | None, top: bool) -> str:
    """Say what a validation error expected, in words an instructor can act on."""
    kind_type, ctx = error["type"], error.get("ctx") or {}
    what = "bank" if top else (f"{kind.kind} question" if kind else "question")
    fields = "lesson, questions" if top else ", ".join([*_COMMON_FIELDS, *(kind.FIELDS if kind else {}), "variants"])
    words = {
        "missing": f"this field (every {what} needs it)",
        "extra_forbidden": f"only the fields of a {what}: {fields}",
        "string_type": _not_text(error["input"]),
        "string_too_short": "text that is not empty",
        "string_too_long": f"text of at most {ctx.get('max_length')} characters",
        "string_pattern_mismatch": "an id of lower-case letters and digits joined by hyphens, such as focus-1",
        "list_type": "a list, one '- item' per line",
        "too_short": f"at least {ctx.get('min_length')} item(s)",
        "dict_type": "a mapping, one 'key: value' per line",
        "int_type": "a whole number",
        "greater_than": f"a whole number greater than {ctx.get('gt')}",
        "less_than_equal": f"a whole number of at most {ctx.get('le')}",
        "literal_error": f"one of: {ctx.get('expected')}",
    }
    text = words.get(kind_type, error["msg"])
    positions = [part for part in error["loc"][1:] if isinstance(part, int)]
    if positions:
        text += f" (item {positions[0] + 1} of the list)"
    return text


def _not_text(value: Any) -> str:
    if isinstance(value, dict):
        return "text (YAML read this as a mapping because it contains ': '; put the text in quotes)"
    if isinstance(value, list):
        return "text, not a list"
    if isinstance(value, bool):
        return "text (YAML reads yes, no, on, off, true and false as true/false; put the text in quotes)"
    if value is None:
        return "text (this is empty)"
    if isinstance(value, date):
        return "text (YAML read this as a date; put it in quotes)"
    return "text (YAML read this as a number; put it in quotes)"


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict = 2, 40, 40, 3, 3


def _value(value: Any) -> str:
    """A value found, for a problem: text as it is (shortened where shown), a date as written, anything else as a
    short repr.

    >>> _value(list(range(10**6))), _value([[["deep"]]]), _value(date(2026, 2, 28))
    ('[0, 1, 2, ...]', '[[[...]]]', '2026-02-28')
    """
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, str) else _SHORT.repr(value)
