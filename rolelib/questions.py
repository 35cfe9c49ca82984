"""Question banks: one YAML file per lesson in ``data/questions/``, checked when loaded.

An instructor writes the banks without code. Each question has an ``id``, a ``kind``
(single, multiple, classify, match or reflect), the difference it tests (``topic``), the
thinking it asks for (``level``: remember, understand, apply or analyse), a Markdown
``prompt``, its options and answer, an ``explanation``, optional progressive
``hints``, optional ``feedback`` per wrong option, and a ``source``. Loading checks every
bank against the course data and raises one :class:`rolelib.DataError` that lists every
problem (file, question id, field, what was expected).

>>> banks = load_banks()
>>> banks["focus-1"].kind, banks["focus-1"].lesson
('single', '01_focus')
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Optional

import yaml
from pydantic_core import SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from rolelib._errors import DataError, Problem
from rolelib.lessons import LESSONS

if TYPE_CHECKING:
    import os

    from rolelib.data import CourseData

KINDS = ("single", "multiple", "classify", "match", "reflect")
LEVELS = ("remember", "understand", "apply", "analyse")  # Bloom's revised taxonomy, lowest first
BANK_FOLDER = "questions"
DEFAULT_MAX_CHARS = 800

_CACHE: dict[str, tuple[tuple, Any, dict[str, "Question"]]] = {}
_CACHE_LOCK = threading.Lock()
_GIVEAWAY = re.compile(r"^\s*(all|none|both|neither) of (the )?(above|these|them)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    """One thing the learner sorts: a generated statement (classify) or a left-hand item (match)."""

    key: str
    text: str


@dataclass(frozen=True)
class Question:
    """One checked question, ready for an exercise.

    ``options`` are the choices the learner picks from (for classify and match: the roles or
    right-hand choices). ``answer`` is an option (single), a tuple of options (multiple), a
    mapping of item key to the accepted choices (classify, match), or None (reflect).
    ``labels`` gives the text shown for an option when it differs from the option itself.
    """

    id: str
    kind: str
    lesson: str
    topic: str
    level: str
    prompt: str
    options: tuple[str, ...]
    answer: Any
    explanation: str
    hints: tuple[str, ...] = ()
    feedback: Mapping[str, str] = field(default_factory=dict)
    source: str = "article"
    items: tuple[Item, ...] = ()
    max_chars: Optional[int] = None
    labels: Mapping[str, str] = field(default_factory=dict)
    file: str = ""

    @property
    def graded(self) -> bool:
        """False for a reflection, which is saved but not graded."""
        return self.kind != "reflect"

    def label(self, option: str) -> str:
        """The text shown for an option (a role shows its title too)."""
        return self.labels.get(option, option)


# --- the schema, as pydantic-core validators ----------------------------------------------

_TEXT = cs.str_schema(strip_whitespace=True, min_length=1, max_length=2000, strict=True)
_ID = cs.str_schema(strip_whitespace=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60, strict=True)


def _texts(min_length: int = 0) -> Any:
    return cs.list_schema(_TEXT, min_length=min_length, strict=True)


def _required(schema: Any) -> Any:
    return cs.typed_dict_field(schema)


def _optional(schema: Any, default: Any) -> Any:
    return cs.typed_dict_field(cs.with_default_schema(schema, default=default), required=False)


# The fields every question has, then those of each kind, in the order an instructor may write them.
_COMMON_FIELDS = {
    "id": _required(_ID),
    "kind": _required(cs.literal_schema(list(KINDS))),
    "level": _required(cs.literal_schema(list(LEVELS))),
    "topic": _required(_TEXT), "prompt": _required(_TEXT), "explanation": _required(_TEXT),
    "hints": _optional(_texts(), []),
    "feedback": _optional(cs.dict_schema(_TEXT, _TEXT, strict=True), {}),
    "source": _required(_TEXT),
}
_KIND_FIELDS = {
    "single": {"options": _required(_texts(2)), "answer": _required(_TEXT)},
    "multiple": {"options": _required(_texts(3)), "answer": _required(_texts(1))},
    "classify": {"roles": _required(_texts(2)), "count": _required(cs.int_schema(gt=0, strict=True)),
                 "seed": _required(cs.int_schema(strict=True))},
    "match": {"pairs": _required(cs.dict_schema(_TEXT, cs.union_schema([_TEXT, _texts(1)]), min_length=2,
                                                strict=True)),
              "choices": _required(_texts(2)),
              "choices_are": _optional(cs.literal_schema(["roles", "text"]), "roles")},
    "reflect": {"max_chars": _optional(cs.int_schema(gt=0, le=20000, strict=True), DEFAULT_MAX_CHARS)},
}


@lru_cache(maxsize=1)
def _validators() -> dict[str, SchemaValidator]:
    """One strict validator for a bank's top level and one per kind of question ("" for the
    common fields alone), collecting every error with its location.

    Built with pydantic-core's schema API (the engine under pydantic) rather than pydantic
    models: the same checks and error records, built in a few milliseconds instead of the
    40 ms that making model classes took in every lesson.
    """
    validators = {kind: SchemaValidator(cs.typed_dict_schema({**_COMMON_FIELDS, **fields}, extra_behavior="forbid"))
                  for kind, fields in {**_KIND_FIELDS, "": {}}.items()}
    questions = cs.list_schema(cs.dict_schema(cs.str_schema(strict=True), cs.any_schema()), min_length=1, strict=True)
    validators["bank"] = SchemaValidator(cs.typed_dict_schema(
        {"lesson": _required(_TEXT), "questions": _required(questions)}, extra_behavior="forbid"))
    return validators


def _expected(error: dict, kind: str) -> str:
    """Say what a validation error expected, in words an instructor can act on."""
    kind_type, ctx = error["type"], error.get("ctx") or {}
    fields = ", ".join([*_COMMON_FIELDS, *_KIND_FIELDS.get(kind, {})])
    words = {
        "missing": f"this field (every {kind or 'question'} question needs it)",
        "extra_forbidden": f"only the fields of a {kind or 'question'} question: {fields}",
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
    return "text (YAML read this as a number; put it in quotes)"


def _problems_from(errors: list[dict], file: str, row: str | None, kind: str) -> list[Problem]:
    problems = []
    seen = set()
    for error in errors:
        loc = error["loc"]
        column = str(loc[0]) if loc else None
        if error["type"] in ("string_type", "list_type") and len(loc) > 2 and column == "pairs":
            expected, value = "text, or a list of accepted answers", _value(error["input"])
        else:
            expected = _expected(error, kind)
            value = None if error["type"] == "missing" else _value(error["input"])
        if (column, expected) in seen:
            continue
        seen.add((column, expected))
        problems.append(Problem(file, row, column, value, expected))
    return problems


def _value(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


# --- loading ------------------------------------------------------------------------------

def load_banks(data: "CourseData | None" = None) -> dict[str, Question]:
    """Every question of the course, by id, checked against the data; cached per data folder.

    The banks are read from ``data.data_dir / "questions"``, so a custom data folder brings
    its own banks. Raises :class:`rolelib.DataError` listing every problem found.

    >>> banks = load_banks()
    >>> sorted({question.kind for question in banks.values()})
    ['classify', 'match', 'multiple', 'reflect', 'single']
    """
    if data is None:
        from rolelib.data import load

        data = load()
    directory = Path(data.data_dir)
    stamp = _fingerprint(directory / BANK_FOLDER)
    with _CACHE_LOCK:
        cached = _CACHE.get(str(directory))
    if cached is not None and cached[0] == stamp and cached[1] is data:
        return dict(cached[2])
    questions, problems = _read_banks(directory, data)
    if problems:
        raise DataError(problems, str(directory))
    with _CACHE_LOCK:
        _CACHE[str(directory)] = (stamp, data, questions)
    return dict(questions)


def bank_problems(data_dir: "str | os.PathLike[str] | None" = None) -> list[Problem]:
    """Every problem in the question banks of a data folder (empty when all is well).

    For a command line check. When the tables themselves do not load, the banks are still
    checked, but not against the tables (roles, topics, sources).

    >>> bank_problems()
    []
    """
    from rolelib.data import default_data_dir, load

    directory = Path(data_dir).expanduser().resolve() if data_dir is not None else default_data_dir()
    try:
        data = load(directory)
    except DataError:
        data = None
    return _read_banks(directory, data)[1]


def _fingerprint(folder: Path) -> tuple:
    try:
        files = sorted(folder.iterdir())
    except OSError:
        return ()
    stamps = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def _read_banks(directory: Path, data: "CourseData | None") -> tuple[dict[str, Question], list[Problem]]:
    folder = directory / BANK_FOLDER
    if not folder.is_dir():
        return {}, [Problem(BANK_FOLDER, None, None, None,
                            "a folder questions/ in the data folder, with one YAML bank per lesson "
                            "(copy it from the course's data/questions/)")]
    order = {item.slug: number for number, item in enumerate(LESSONS)}
    paths = sorted((p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")),
                   key=lambda p: (order.get(p.stem, len(order)), p.name))
    context = _Context(data)
    questions: dict[str, Question] = {}
    problems: list[Problem] = []
    for path in paths:
        for question in _read_bank(path, context, problems):
            questions[question.id] = question
    return questions, problems


class _Context:
    """What the cross-checks compare against; None parts are skipped (tables did not load)."""

    def __init__(self, data: "CourseData | None") -> None:
        self.data = data
        self.seen: dict[str, str] = {}
        if data is None:
            self.roles = self.topics = self.sources = None
            self.titles: dict[str, str] = {}
            return
        self.roles = [str(role) for role in data.roles["role_id"]]
        self.titles = {str(r): f"{r} ({t})" for r, t in zip(data.roles["role_id"], data.roles["title"])}
        self.topics = [str(topic) for topic in data.dimensions["dimension_id"]]
        self.sources = [str(source) for source in data.sources["source_id"]]


def _read_bank(path: Path, context: _Context, problems: list[Problem]) -> list[Question]:
    file = f"{BANK_FOLDER}/{path.name}"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(file, None, None, None, "text saved as UTF-8"))
        return []
    except OSError as exc:
        problems.append(Problem(file, None, None, None, f"a readable file ({exc.strerror})"))
        return []
    try:
        raw = _parse_yaml(text)
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(file, exc))
        return []
    if not isinstance(raw, dict):
        problems.append(Problem(file, None, None, None if raw is None else type(raw).__name__,
                                "a mapping at the top: 'lesson: <slug>' and 'questions:' with a list"))
        return []
    slugs = [item.slug for item in LESSONS]
    try:
        bank = _validators()["bank"].validate_python(raw)
    except ValidationError as errors:
        bank = None
        # A question that is not a mapping is reported below, with its position in the list.
        top = [error for error in errors.errors(include_url=False)
               if not (error["loc"][0] == "questions" and len(error["loc"]) > 1)]
        problems.extend(_problems_from(top, file, None, "bank"))
    lesson = raw.get("lesson")
    if isinstance(lesson, str) and lesson.strip():
        lesson = lesson.strip()
        if lesson not in slugs:
            problems.append(Problem(file, None, "lesson", lesson, "one of the lesson slugs: " + ", ".join(slugs)))
        elif lesson != path.stem:
            problems.append(Problem(file, None, "lesson", lesson,
                                    f"{path.stem!r}, the name of the file (or rename the file to {lesson}.yaml)"))
    entries = bank["questions"] if bank is not None else raw.get("questions")
    if not isinstance(entries, list):
        return []
    result = []
    for position, entry in enumerate(entries, start=1):
        question = _read_question(entry, position, file, str(lesson or path.stem), context, problems)
        if question is not None:
            result.append(question)
    return result


def _parse_yaml(text: str) -> Any:
    """Parse a bank with libyaml when PyYAML has it (about three times faster), else in Python.

    A text libyaml refuses is parsed again in Python, whose messages and positions
    :func:`_syntax_problem` reports.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def _syntax_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return Problem(file, None, None, None, f"valid YAML ({reason})")
    line = mark.line + 1
    return Problem(file, line, None, None,
                   f"valid YAML; reading stopped at line {line}, column {mark.column + 1}: {reason} "
                   "(check the indentation and put text containing ': ' or '#' in quotes)")


def _read_question(entry: Any, position: int, file: str, lesson: str, context: _Context,
                   problems: list[Problem]) -> Question | None:
    if not isinstance(entry, dict):
        problems.append(Problem(file, f"#{position}", None, _value(entry),
                                f"a mapping (id: ..., kind: ..., prompt: ...) for question {position} of the list"))
        return None
    raw_id = entry.get("id")
    row = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else f"#{position}"
    kind = entry.get("kind")
    before = len(problems)
    if not isinstance(kind, str) or kind not in _KIND_FIELDS:
        if "kind" in entry:
            problems.append(Problem(file, row, "kind", _value(kind), "one of: " + ", ".join(map(repr, KINDS))))
        else:
            problems.append(Problem(file, row, "kind", None, "this field: one of " + ", ".join(map(repr, KINDS))))
        # Still check the fields every question has, so that one pass reports them too.
        kind = ""
        entry = {key: value for key, value in entry.items() if key in _COMMON_FIELDS and key != "kind"}
        entry["kind"] = "single"
    try:
        parsed = SimpleNamespace(**_validators()[kind].validate_python(entry))
    except ValidationError as errors:
        problems.extend(_problems_from(errors.errors(include_url=False), file, row, kind))
        parsed = None
    if row in context.seen:
        problems.append(Problem(file, row, "id", row, f"an id not used by another question (already used in "
                                                      f"{context.seen[row]})"))
    elif not row.startswith("#"):
        context.seen[row] = file
    if parsed is None or not kind:
        return None
    question = _build(parsed, lesson, file, context, problems)
    return question if len(problems) == before else None


def _build(parsed: SimpleNamespace, lesson: str, file: str, context: _Context, problems: list[Problem]) -> Question | None:
    row = parsed.id

    def problem(column: str, value: Any, expected: str) -> None:
        problems.append(Problem(file, row, column, None if value is None else _value(value), expected))

    if context.topics is not None and parsed.topic not in context.topics:
        problem("topic", parsed.topic, "a dimension id from dimensions.csv: " + ", ".join(context.topics))
    if context.sources is not None and parsed.source not in context.sources:
        problem("source", parsed.source, "a source_id from sources.csv: " + ", ".join(context.sources))
    common = dict(id=row, kind=parsed.kind, lesson=lesson, topic=parsed.topic, level=parsed.level,
                  prompt=parsed.prompt, explanation=parsed.explanation, hints=tuple(parsed.hints),
                  feedback=dict(parsed.feedback), source=parsed.source, file=file)
    if parsed.kind in ("single", "multiple"):
        return _build_choice(parsed, common, problem)
    if parsed.kind == "classify":
        return _build_classify(parsed, common, context, problem)
    if parsed.kind == "match":
        return _build_match(parsed, common, context, problem)
    if parsed.feedback:
        problem("feedback", next(iter(parsed.feedback)), "no feedback: a reflection is not graded "
                                                         "(put a sample answer in 'explanation')")
    return Question(options=(), answer=None, max_chars=parsed.max_chars, **common)


def _check_unique(values: list[str], column: str, problem) -> None:
    seen = set()
    for value in values:
        folded = " ".join(value.casefold().split())
        if folded in seen:
            problem(column, value, "each entry once (this one is listed twice)")
        seen.add(folded)


def _build_choice(parsed: SimpleNamespace, common: dict, problem) -> Question:
    options = list(parsed.options)
    _check_unique(options, "options", problem)
    for option in options:
        if _GIVEAWAY.match(option):
            problem("options", option, "options that stand on their own: an 'all/none of the above' option "
                                       "lets a learner guess without knowing")
    single = parsed.kind == "single"
    answers = [parsed.answer] if single else list(parsed.answer)
    for answer in answers:
        if answer not in options:
            problem("answer", answer, "one of the options, spelled exactly as in 'options'")
    if not single:
        _check_unique(answers, "answer", problem)
        if set(answers) >= set(options):
            problem("answer", ", ".join(answers), "at least one option that is not an answer, so that "
                                                  "ticking every box does not score")
    for key in parsed.feedback:
        if key not in options:
            problem("feedback", key, "a key that is one of the options, spelled exactly as in 'options'")
        elif key in answers:
            problem("feedback", key, "feedback for wrong options only (explain the right answer in 'explanation')")
    answer = parsed.answer if single else tuple(parsed.answer)
    return Question(options=tuple(options), answer=answer, **common)


def _build_classify(parsed: SimpleNamespace, common: dict, context: _Context, problem) -> Question | None:
    roles = list(parsed.roles)
    _check_unique(roles, "roles", problem)
    for key in parsed.feedback:
        if key not in roles:
            problem("feedback", key, "a key that is one of the roles of this question: " + ", ".join(roles))
    if context.roles is None:
        return None
    unknown = [role for role in roles if role not in context.roles]
    for role in unknown:
        problem("roles", role, "a role_id from roles.csv: " + ", ".join(context.roles))
    if unknown:
        return None
    pools = classify_pools(context.data, roles)
    quotas = _quotas(parsed.count, len(roles))
    if any(len(pools[role]) < quota for role, quota in zip(roles, quotas)):
        available = ", ".join(f"{role} {len(pools[role])}" for role in roles)
        problem("count", parsed.count,
                f"at most {_max_balanced([len(pools[role]) for role in roles])} statements: the sample takes "
                f"the same number from each role, and responsibilities.csv has {available}")
        return None
    rng = random.Random(parsed.seed)
    picked: list[tuple[str, str, str]] = []
    for role, quota in zip(roles, quotas):
        picked.extend((key, text, role) for key, text in rng.sample(pools[role], quota))
    rng.shuffle(picked)
    items = tuple(Item(key, text) for key, text, _ in picked)
    answer = {key: (role,) for key, _, role in picked}
    labels = {role: context.titles.get(role, role) for role in roles}
    return Question(options=tuple(roles), answer=answer, items=items, labels=labels, **common)


def classify_pools(data: "CourseData", roles: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The statements a classify question may draw for each role: (responsibility_id, statement).

    A statement listed under more than one of the roles is left out, since it has no single answer.

    >>> from rolelib.data import load
    >>> pools = classify_pools(load(), ["CIO", "CSO"])
    >>> pools["CSO"][0]
    ('R-CSO-01', 'Protects the buildings and facilities the organisation uses.')
    """
    table = data.responsibilities
    owners: dict[str, set[str]] = {}
    rows = sorted(zip(table["responsibility_id"], table["role_id"].astype(str), table["statement"]))
    for _, role, text in rows:
        owners.setdefault(" ".join(text.casefold().split()), set()).add(role)
    pools: dict[str, list[tuple[str, str]]] = {role: [] for role in roles}
    for key, role, text in rows:
        if role in pools and len(owners[" ".join(text.casefold().split())] & set(roles)) == 1:
            pools[role].append((str(key), str(text)))
    return pools


def _quotas(count: int, groups: int) -> list[int]:
    return [count // groups + (1 if index < count % groups else 0) for index in range(groups)]


def _max_balanced(sizes: list[int]) -> int:
    for count in range(sum(sizes), 0, -1):
        if all(size >= quota for size, quota in zip(sizes, _quotas(count, len(sizes)))):
            return count
    return 0


def _build_match(parsed: SimpleNamespace, common: dict, context: _Context, problem) -> Question:
    choices = list(parsed.choices)
    _check_unique(choices, "choices", problem)
    if parsed.choices_are == "roles" and context.roles is not None:
        for choice in choices:
            if choice not in context.roles:
                problem("choices", choice, "a role_id from roles.csv: " + ", ".join(context.roles)
                        + " (for choices that are not roles, add 'choices_are: text')")
    answer: dict[str, tuple[str, ...]] = {}
    for left, right in parsed.pairs.items():
        accepted = (right,) if isinstance(right, str) else tuple(right)
        for value in accepted:
            if value not in choices:
                problem("pairs", value, f"for {left!r}: one of the choices, spelled exactly as in 'choices'")
        answer[left] = accepted
    for key in parsed.feedback:
        if key not in answer:
            problem("feedback", key, "a key that is one of the left-hand items in 'pairs'")
    labels = {}
    if parsed.choices_are == "roles":
        labels = {choice: context.titles.get(choice, choice) for choice in choices}
    items = tuple(Item(left, left) for left in answer)
    return Question(options=tuple(choices), answer=answer, items=items, labels=labels, **common)
