"""A question as a quiz system (an LMS) takes it: the form, the options and the pairs, in neutral terms.

Each kind answers :meth:`~rolelib.kinds.base.Question.quiz_form` with a :class:`QuizForm`;
the quiz writers (:mod:`rolelib.instructor.qti`, :mod:`rolelib.instructor.moodle_xml`) render
that description and never look at a kind's class or name. A kind that no quiz system can
grade as it does (a reflection has no answer key) answers a form of None with the reason.

>>> form = QuizForm("one", (QuizOption("CIO", "CIO", False, "The CIO runs IT."), QuizOption("CISO", "CISO", True)))
>>> [option.key for option in form.right_options]
['CISO']
>>> QuizForm("one", (QuizOption("CIO", "CIO", True), QuizOption("CISO", "CISO", True)))
Traceback (most recent call last):
...
ValueError: a 'one' quiz form needs exactly one right option; found 2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FormName = Literal["one", "several", "matching"]
"""The quiz forms: one answer among the options, every option that applies, or items matched to options."""

FORMS: tuple[FormName, ...] = ("one", "several", "matching")


@dataclass(frozen=True)
class QuizOption:
    """An option as the learner reads it: ``key`` as the bank spells it, ``text`` as shown (plain text),
    ``right`` whether choosing it is right (a matching question keeps its answers in its pairs), and
    ``feedback`` (Markdown) shown when the learner chooses it ('' for none)."""

    key: str
    text: str
    right: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class QuizPair:
    """One item of a matching question: its ``text`` (plain), the keys of the options ``accepted`` for it,
    and the ``feedback`` (Markdown) shown when the learner's option is none of them ('' for none)."""

    text: str
    accepted: tuple[str, ...]
    feedback: str = ""


@dataclass(frozen=True)
class QuizForm:
    """How a question goes into a quiz system: its ``form`` (None when it cannot be a graded quiz question,
    with the reason in ``left_out``), its ``options`` in the bank's order and, for matching, its ``pairs``.

    The prompt, the explanation (general feedback) and the id are the question's own fields.
    """

    form: FormName | None
    options: tuple[QuizOption, ...] = ()
    pairs: tuple[QuizPair, ...] = ()
    left_out: str = ""

    def __post_init__(self) -> None:
        if self.form is not None and self.form not in FORMS:
            raise ValueError(f"{self.form!r} is not a quiz form; the forms are {', '.join(FORMS)} (or None)")
        right = len(self.right_options)
        if self.form == "one" and right != 1:
            raise ValueError(f"a 'one' quiz form needs exactly one right option; found {right}")
        if self.form == "several" and not right:
            raise ValueError("a 'several' quiz form needs at least one right option")
        keys = {option.key for option in self.options}
        if self.form == "matching" and (not self.pairs or any(not pair.accepted or set(pair.accepted) - keys
                                                              for pair in self.pairs)):
            raise ValueError("a 'matching' quiz form needs pairs, each accepting one or more of its options' keys")
        if self.form is None and not self.left_out:
            raise ValueError("a question left out of quizzes says why in 'left_out'")

    @property
    def right_options(self) -> tuple[QuizOption, ...]:
        """The options whose choice is right (none for matching)."""
        return tuple(option for option in self.options if option.right)
