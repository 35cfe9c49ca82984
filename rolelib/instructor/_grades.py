"""The class report's grading: every attempt handed in graded again by its question in the banks.

:meth:`Grades.grade` is the one place where an attempt meets its question (behind
:func:`rolelib.instructor._handins.grade_again`): the question is looked up, the hints capped,
and each distinct short answer graded once per question and number of hints.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rolelib.kinds import Choice, Question
    from rolelib.progress import Attempt

_REMEMBERED_GRADES = 20_000  # distinct short answers whose grade is kept: a class repeats the same answers
_SHORT_ANSWER = 2_000  # characters: a longer answer is graded each time, never kept

Graded = tuple[bool | None, float, "tuple[Choice, ...]", int]
"""One attempt as the banks grade it: (correct, score, options chosen, hints counted)."""


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
        self._kept = 0

    def grade(self, attempt: Attempt) -> Graded | None:
        """``attempt`` graded by its question in the banks; None when the banks do not know the question.

        Hints count at most as many as the question has. An answer that does not fit the
        question (any more, or ever) is wrong, earns nothing and chose no option; an ungraded
        question (a reflection) gives (None, 0.0, (), hints).
        """
        known = self._questions.get(attempt.question_id)
        if known is None:
            return None
        question, most_hints, kept = known
        hints = attempt.hints_used
        if not 0 <= hints <= most_hints:
            hints = min(max(hints, 0), most_hints)
        if not question.graded:
            return (None, 0.0, (), hints)
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
        graded = ((False, 0.0, (), hints) if grade is None
                  else (bool(grade.correct), grade.score, question.chosen_options(answer), hints))
        if self._kept < _REMEMBERED_GRADES and _keepable(answer):
            by_answer[_key(answer)] = graded
            self._kept += 1
        return graded


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
