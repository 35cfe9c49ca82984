"""What every kind of question shares: the base class, the grading result and the registry.

A kind is one subclass of :class:`Question`. It names its ``kind:`` word, its bank fields (as
pydantic-core schema fields) and its cross-checks (:meth:`Question.from_bank`), and knows how
to grade an answer into a :class:`Grade`, how to show itself without the answer (text and
HTML), its correct answer and a sample answer, the words for a typical mistake, its answer
text for answer keys, the input widgets a learner answers with, and how it goes into an LMS
quiz (:meth:`Question.quiz_form`). ``@register`` files the class under its word in
:data:`KINDS`, where the bank reader finds it. Nothing outside a kind's class branches on the
kind's name.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic_core import core_schema as cs

from rolelib._errors import UnknownNameError
from rolelib._markup import full_stop
from rolelib.kinds.quiz_form import QuizForm

if TYPE_CHECKING:
    import ipywidgets

    from rolelib.data import CourseData

HINT_COST = 0.1
"""What each hint used takes off the score of a question (the score runs from 0 to 1)."""

LEVELS = ("remember", "understand", "apply", "analyse")
"""The levels of Bloom's revised taxonomy a question may test, lowest first."""

KINDS: dict[str, type[Question]] = {}
"""Every kind of question, by the word a bank gives in ``kind:``."""

Report = Callable[[str, Any, str], None]
"""How a kind reports a problem in a bank entry: ``report(field, value found, what was expected)``."""

Q = TypeVar("Q", bound="type[Question]")

# --- bank fields, as pydantic-core schemas --------------------------------------------------

TEXT = cs.str_schema(strip_whitespace=True, min_length=1, max_length=2000, strict=True)
"""A text field: not empty, at most 2,000 characters, surrounding spaces dropped."""


def texts(min_length: int = 0) -> Any:
    """A list of texts with at least ``min_length`` entries."""
    return cs.list_schema(TEXT, min_length=min_length, strict=True)


def required(schema: Any) -> Any:
    """A field every question of the kind must have."""
    return cs.typed_dict_field(schema)


def optional(schema: Any, default: Any) -> Any:
    """A field a question may leave out (``default`` then)."""
    return cs.typed_dict_field(cs.with_default_schema(schema, default=default), required=False)


def frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only view of a mapping, so that no caller can change a question shared by others.

    >>> frozen({"a": 1})["a"]
    1
    """
    return MappingProxyType(dict(mapping))


def unique(values: list[str], field_name: str, report: Report) -> None:
    """Report every entry listed twice (ignoring case and spacing)."""
    seen: set[str] = set()
    for value in values:
        folded = " ".join(value.casefold().split())
        if folded in seen:
            report(field_name, value, "each entry once (this one is listed twice)")
        seen.add(folded)


class BankContext:
    """What the cross-checks of a bank compare against: the course data's roles, topics and sources.

    Every part is None when the tables did not load (the banks are then checked alone).
    ``key`` identifies the content the questions are built from, for the banks' cache.
    """

    def __init__(self, data: CourseData | None) -> None:
        self.data = data
        if data is None:
            self.roles = self.topics = self.sources = None
            self.titles: dict[str, str] = {}
            self.key: tuple = ()
            return
        self.roles = [str(role) for role in data.roles["role_id"]]
        self.titles = {str(r): f"{r} ({t})" for r, t in zip(data.roles["role_id"], data.roles["title"])}
        self.topics = [str(topic) for topic in data.dimensions["dimension_id"]]
        self.sources = [str(source) for source in data.sources["source_id"]]
        self.key = (data.fingerprint(),)

    def role_label(self, role: str) -> str:
        """A role id with its title, as a learner sees it: "CIO (Chief Information Officer)"."""
        return self.titles.get(role, role)


# --- grading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One part of an answer, judged: plain text, escaped only where it is shown as HTML.

    ``key`` is the option or item the verdict is about ('' for a count such as "1 right
    answer is not ticked yet.").

    >>> Verdict(False, "Not right", "CSO", "Physical security is the CSO's.", key="CSO").text()
    "✗ Not right: CSO. Physical security is the CSO's."
    >>> Verdict(False, "Should not be ticked", "A CISO holds an MBA.", "The MBA is the CIO's.").text()
    "✗ Should not be ticked: A CISO holds an MBA. The MBA is the CIO's."
    """

    right: bool
    label: str
    subject: str = ""
    feedback: str = ""
    key: str = ""

    def text(self) -> str:
        """The line the learner reads, with a symbol (never colour alone)."""
        line = f"{'✓' if self.right else '✗'} {self.label}"
        if self.subject:
            line += f": {self.subject}" + ("" if self.right else full_stop(self.subject))
        return f"{line} {self.feedback}" if self.feedback else line


@dataclass(frozen=True)
class Grade:
    """An answer graded: points before and after the hint cost, the verdict and what was right and wrong.

    ``correct`` is None for an ungraded question (a reflection). ``summary`` is one sentence
    such as "3 of 4 right answers ticked, 1 wrong tick." ('' when the verdicts say it all).

    >>> grade = Grade.of(0.5, hints_used=1)
    >>> grade.raw, grade.score, grade.correct, grade.points
    (0.5, 0.4, False, 40)
    """

    correct: bool | None
    raw: float
    score: float
    hints_used: int
    summary: str = ""
    verdicts: tuple[Verdict, ...] = ()

    @classmethod
    def of(cls, raw: float, hints_used: int = 0, summary: str = "", verdicts: tuple[Verdict, ...] = ()) -> Grade:
        """The scoring rule, written once: full marks only when all is right; each hint costs :data:`HINT_COST`."""
        hints_used = max(hints_used, 0)  # a count below 0 (a store edited by hand) is no bonus
        score = round(max(0.0, raw - HINT_COST * hints_used), 4)
        return cls(raw == 1.0, raw, score, hints_used, summary, tuple(verdicts))

    @property
    def points(self) -> int:
        """The score out of 100, as the learner reads it."""
        return round(self.score * 100)

    @property
    def right(self) -> tuple[str, ...]:
        """The options or items the answer got right."""
        return tuple(v.key for v in self.verdicts if v.right and v.key)

    @property
    def wrong(self) -> tuple[str, ...]:
        """The options or items the answer got wrong."""
        return tuple(v.key for v in self.verdicts if not v.right and v.key)


@dataclass(frozen=True)
class Choice:
    """One option an answer chose, as the class report counts it: ``key`` tells it from the others,
    ``text`` is how it reads, ``feedback`` is the bank's feedback for it ('' when right or when the
    bank gives none: the misconception the wrong option stands for)."""

    key: str
    text: str
    right: bool
    feedback: str = ""


@dataclass(frozen=True)
class Item:
    """One thing the learner sorts: a generated statement (classify) or a left-hand item (match)."""

    key: str
    text: str


@dataclass(frozen=True)
class Inputs:
    """The widgets a learner answers with: ``controls`` hold the answer, ``shown`` is what is laid out."""

    controls: list[ipywidgets.Widget]
    shown: list[ipywidgets.Widget]


# Widget layouts the kinds share: as wide as the longest choice, never wider than the page.
FIT = {"width": "max-content", "max_width": "100%"}
FULL_LABEL = {"description_width": "initial"}


# --- the base class -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Question:
    """One checked question of the banks; each kind of question is a subclass.

    ``options`` are the choices the learner picks from (for classify and match: the roles or
    right-hand choices); ``answer`` is the kind's correct answer; ``items`` are what the learner
    sorts (classify, match); ``labels`` give the text shown for an option when it differs from
    the option; ``rubric`` lists what a strong answer mentions (reflections).

    ``slot`` is the id of the bank entry the question is a version of (its own id for the entry
    itself); ``variants`` are the entry's other versions (on the entry only, () on a variant).
    """

    kind: ClassVar[str] = ""
    graded: ClassVar[bool] = True
    FIELDS: ClassVar[dict[str, Any]] = {}
    INSTRUCTIONS: ClassVar[str] = ""
    REVEAL_HEADING: ClassVar[str] = "Answer"

    id: str
    lesson: str
    topic: str
    level: str
    prompt: str
    explanation: str
    hints: tuple[str, ...] = ()
    feedback: Mapping[str, str] = field(default_factory=dict)
    source: str = "article"
    file: str = ""
    options: tuple[str, ...] = ()
    answer: Any = None
    items: tuple[Item, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    rubric: tuple[str, ...] = ()
    slot: str = ""
    variants: tuple[Question, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not self.slot:
            object.__setattr__(self, "slot", self.id)

    @property
    def versions(self) -> tuple[Question, ...]:
        """Every version of the slot this bank entry fills: itself, then its variants (itself alone on a variant)."""
        return (self, *self.variants)

    # -- from the bank

    @classmethod
    def from_bank(cls, fields: Any, common: dict[str, Any], context: BankContext, report: Report) -> Question | None:
        """The question from its checked bank ``fields`` (attributes), after the kind's cross-checks.

        ``common`` holds the arguments every question takes (id, lesson, topic, ...). Each
        problem goes to ``report``; None when the question cannot be built.
        """
        raise NotImplementedError

    # -- what the learner reads

    def label(self, option: str) -> str:
        """The text shown for an option (a role shows its title too)."""
        return self.labels.get(option, option)

    def instructions(self) -> str:
        """What to do, in one or two sentences."""
        return self.INSTRUCTIONS

    def static_lines(self) -> list[str]:
        """What to choose from, as text lines, without the answer (for places where no widget renders)."""
        return []

    def static_html(self) -> str:
        """What to choose from, as HTML, without the answer (every text escaped)."""
        return ""

    # -- the order a learner sees

    def order_keys(self) -> tuple[str, ...]:
        """The keys of the parts whose order may be shuffled per learner, in the order shown; () for none."""
        return ()

    def in_order(self, keys: tuple[str, ...]) -> Question:
        """This question with its parts shown in the order of ``keys``; ValueError unless ``keys`` are a
        permutation of :meth:`order_keys` (() always gives the question as it is)."""
        if keys and sorted(keys) != sorted(self.order_keys()):
            raise ValueError(f"not an order of the parts of {self.id}: {list(keys)}")
        return self

    def shuffled(self, rng: random.Random) -> Question:
        """This question with its parts in an order drawn with ``rng`` (itself when it has no order)."""
        keys = list(self.order_keys())
        rng.shuffle(keys)
        return self.in_order(tuple(keys))

    # -- grading

    def grade(self, answer: Any, hints_used: int = 0) -> Grade:
        """Grade an answer (in the form :meth:`read` gives) after ``hints_used`` hints."""
        raise NotImplementedError

    def regrade(self, answer: Any, hints_used: int = 0) -> Grade | None:
        """Grade an answer read back from the store or an export; None when it no longer fits the question.

        >>> from rolelib.questions import load_banks
        >>> question = load_banks()["start-3"]
        >>> question.regrade("x" * (question.max_chars + 1)) is None, question.regrade("Both.").correct
        (True, None)
        """
        return self.grade(answer, hints_used) if self.fits(answer) else None

    def chosen_options(self, answer: Any) -> tuple[Choice, ...]:
        """The options ``answer`` (one that :meth:`fits`) chose, each right or wrong; () when ungraded.

        >>> from rolelib.questions import load_banks
        >>> [choice.right for choice in load_banks()["focus-1"].chosen_options("Securing the "
        ...  "organisation's buildings, facilities and staff")]
        [False]
        """
        return ()

    def correct_answer(self) -> Any:
        """A right answer, in the form :meth:`write` takes."""
        raise NotImplementedError

    def wrong_answer(self, rng: random.Random) -> Any:
        """An answer with one typical mistake, drawn with ``rng``."""
        raise NotImplementedError

    def sample_answer(self, rng: random.Random, right: bool) -> Any:
        """A made-up answer for tests and sample exports: right, or with one typical mistake."""
        return self.correct_answer() if right else self.wrong_answer(rng)

    def mistake(self, key: str) -> str:
        """The mistake a feedback entry (keyed ``key`` in the bank) answers, in words for the guide."""
        return f"Choosing \u201c{key}\u201d"

    def answer_lines(self, labelled: bool = False) -> list[str]:
        """The correct answer, one line per part ([] when ungraded); ``labelled`` shows options' labels."""
        return []

    def answer_text(self) -> str:
        """The correct answer as one line of text ('' when ungraded), for answer keys."""
        return "; ".join(self.answer_lines())

    # -- for a quiz system

    def quiz_form(self) -> QuizForm:
        """The question as a quiz system (Canvas, Moodle) takes it; a form of None, with the reason, when it cannot.

        >>> from rolelib.questions import load_banks
        >>> load_banks()["focus-1"].quiz_form().form
        'one'
        """
        return QuizForm(None, left_out="the package has no form for this kind of question")

    # -- the widgets

    def make_inputs(self) -> Inputs:
        """New input widgets for this question, empty."""
        raise NotImplementedError

    def read(self, controls: list[Any]) -> Any:
        """The answer the input widgets hold now."""
        raise NotImplementedError

    def write(self, controls: list[Any], answer: Any) -> None:
        """Put an answer into the input widgets; ValueError for parts the question does not have."""
        raise NotImplementedError

    def missing(self, answer: Any) -> str:
        """What the learner must still do before the answer can be checked ('' when it is complete)."""
        return ""

    def fits(self, answer: Any) -> bool:
        """Whether a stored answer still fits the question (the bank may have changed since)."""
        raise NotImplementedError


def register(cls: Q) -> Q:
    """File a kind under its ``kind`` word, so that banks can use it (a class decorator).

    >>> KINDS["single"].__name__
    'SingleChoice'
    """
    if not cls.kind:
        raise ValueError(f"{cls.__name__} names no kind word")
    if KINDS.get(cls.kind, cls) is not cls:
        raise ValueError(f"the kind {cls.kind!r} is already {KINDS[cls.kind].__name__}")
    KINDS[cls.kind] = cls
    return cls


def kind_class(word: str) -> type[Question]:
    """The class of the kind a bank names ``word``; UnknownNameError lists the kinds.

    >>> kind_class("match").__name__
    'Match'
    """
    try:
        return KINDS[word]
    except KeyError:
        raise UnknownNameError("question kind", word, KINDS) from None
