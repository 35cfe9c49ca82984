"""The class report's grading: every attempt handed in graded again by its question in the banks.

:meth:`Grades.grade` is the one place where an attempt meets its question (behind
:func:`rolelib.instructor._reading.grade_again`): the question is looked up, then the version of
it the attempt names (its ``variant``, with the ``order`` of its options), the hints capped, and
each distinct short answer graded once per version and number of hints.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from rolelib.versions import recorded_version

if TYPE_CHECKING:
    from rolelib.kinds import Choice, Question
    from rolelib.progress import Attempt

_REMEMBERED_GRADES = 20_000  # distinct short answers whose grade is kept: a class repeats the same answers
_SHORT_ANSWER = 2_000  # characters: a longer answer is graded each time, never kept

Graded = tuple[bool | None, float, "tuple[Choice, ...]", int, str, bool]
"""One attempt as the banks grade it: (correct, score, options chosen, hints counted, the version's id, whether the
answer fits the version: False for one it does not take, as written or ever, which is wrong and earns nothing)."""
UNKNOWN_VERSION: Graded = (None, 0.0, (), 0, "", True)
"""What :meth:`Grades.grade` gives an attempt naming a version of its question, or an order of the version's
options, that the banks do not have (compared by identity)."""


class Grades:
    """The banks' grading of answers handed in, as the live exercise grades them.

    :meth:`grade` is the one place an attempt meets its question. A class gives the same
    answers again and again, so the grade of each distinct short answer is kept (up to a
    fixed number of them: what is kept stays small whatever the files hold) and looked up the
    next time: each distinct answer is graded once per question and number of hints, however
    many learners give it.
    """

    def __init__(self, banks: dict[str, Question]) -> None:
        self.banks = banks
        self.graded = 0  # answers graded by a kind, not looked up
        # question id: (question, the most hints it counts, {hints opened: {answer key: Graded}})
        self._questions = {question_id: (question, len(question.hints), {}) for question_id, question in banks.items()}
        self._versions = {**{variant.id: (variant, len(variant.hints), {}) for question in banks.values()
                             for variant in question.variants}, **self._questions}  # every version, by its id
        self._parts = {version_id: len(known[0].order_keys()) for version_id, known in self._versions.items()}
        self._shown: dict[tuple[str, str, tuple[str, ...]], tuple | None] = {}  # (question, variant, order): version
        self._kept = 0

    def grade(self, attempt: Attempt) -> Graded | None:
        """``attempt`` graded by the version of its question it names; None when the banks do not know the
        question, :data:`UNKNOWN_VERSION` when they do not have that version or order.

        Hints count at most as many as the version has. An answer that does not fit the
        version (any more, or ever) is wrong, earns nothing, chose no option and is marked as not
        fitting; an ungraded question (a reflection) gives (None, 0.0, (), hints, version id, True).
        """
        known = self._questions.get(attempt.question_id)
        if known is None:
            return None
        if attempt.variant != attempt.question_id or attempt.order:  # not the bank's entry in the bank's order
            known = self._version(known[0], attempt.variant, attempt.order)
            if known is None:
                return UNKNOWN_VERSION
        question, most_hints, kept = known
        hints = attempt.hints_used
        if not 0 <= hints <= most_hints:
            hints = min(max(hints, 0), most_hints)
        if not question.graded:
            return (None, 0.0, (), hints, question.id, True)
        answer = attempt.answer
        by_answer = kept.get(hints)
        if by_answer is None:
            by_answer = kept[hints] = {}
        else:
            try:
                graded = by_answer.get(_key(answer))
            except TypeError:  # a list or an object inside the answer: such an answer is never kept
                graded = None
            if graded is not None:
                return graded
        self.graded += 1
        grade = question.regrade(answer, hints)
        graded = ((False, 0.0, (), hints, question.id, False) if grade is None
                  else (bool(grade.correct), grade.score, question.chosen_options(answer), hints, question.id, True))
        if self._kept < _REMEMBERED_GRADES and _keepable(answer):
            by_answer[_key(answer)] = graded
            self._kept += 1
        return graded


    def _version(self, entry: Question, variant: str, order: tuple[str, ...]) -> tuple | None:
        """The version ``variant`` of ``entry`` as :meth:`grade` keeps it, checked with its ``order`` (None when
        the banks have no such version or order); a class shows few of them, so each is checked once."""
        named = self._versions.get(variant)
        if named is None or len(order) > self._parts[variant]:  # no version, or more parts than it has: never kept,
            return None  # so a hostile file's huge order or name costs nothing after its own file
        key = (entry.id, variant, order)
        shown = self._shown.get(key, False)
        if shown is False:
            shown = named if recorded_version(entry, variant, order) is not None else None
            if len(self._shown) < _REMEMBERED_GRADES:
                self._shown[key] = shown
        return shown


def _key(answer: Any) -> Hashable:
    """An answer as a dictionary key: a text as it is, a list as a tuple, an object as a tuple of its items.

    Only the keys of answers :func:`_keepable` accepts (texts only) are ever stored, and a key
    of texts equals no key holding anything else, so any other answer finds nothing. A list
    or an object inside an answer makes its key unhashable (a TypeError when looked up).

    >>> _key("CIO"), _key(["CIO", "CSO"]), _key({"CISSP": "CISO"}), _key(3)
    ('CIO', ('CIO', 'CSO'), (('CISSP', 'CISO'),), None)
    """
    kind = type(answer)
    if kind is str:
        return answer
    if kind is list:
        return tuple(answer)
    if kind is dict:
        return tuple(answer.items())
    return None


def _keepable(answer: Any) -> bool:
    """Whether an answer's grade is kept: a short text, list of texts, or object of texts.

    >>> _keepable("CIO"), _keepable(["CIO", "CSO"]), _keepable({"CISSP": "CISO"}), _keepable([["nested"]])
    (True, True, True, False)
    """
    if type(answer) is str:
        return len(answer) <= _SHORT_ANSWER
    if type(answer) is list:
        return all(type(part) is str for part in answer) and sum(map(len, answer)) <= _SHORT_ANSWER
    if type(answer) is dict:
        return (all(type(value) is str for value in answer.values())
                and sum(map(len, answer)) + sum(map(len, answer.values())) <= _SHORT_ANSWER)
    return False
