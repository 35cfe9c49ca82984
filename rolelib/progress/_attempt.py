"""One answer a learner checked, as the store keeps it and an export carries it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Attempt:
    """One answer a learner checked (or saved, for an ungraded reflection).

    ``answer`` is JSON-serialisable (a string, a list of strings or a dict of strings);
    ``correct`` is None when the question is not graded; ``score`` runs from 0 to 1 after
    the hint penalty; ``hints_used`` is the number of the question's hints the learner had
    opened when checking. :meth:`ProgressStore.record` fills ``time`` (ISO 8601 in UTC) and
    ``attempt_number`` (1 for the learner's first attempt at the question, 2 for the next, ...;
    0 means not numbered yet). ``variant`` is the id of the version of the question the learner
    was shown (the question's own id, the default, for the bank entry) and ``order`` the keys of
    its options or items in the order shown (() for the bank's order, and for a reflection).
    Progress is kept by ``question_id``, the slot, whichever version was shown.

    >>> attempt = Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0)
    >>> attempt.first_attempt, attempt.variant, attempt.order
    (False, 'focus-1', ())
    """

    question_id: str
    lesson: str
    topic: str
    kind: str
    answer: Any
    correct: bool | None
    score: float
    hints_used: int
    time: str = ""
    attempt_number: int = 0
    variant: str = ""
    order: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.variant:
            object.__setattr__(self, "variant", self.question_id)

    @property
    def first_attempt(self) -> bool:
        """Whether this was the learner's first attempt at the question."""
        return self.attempt_number == 1
