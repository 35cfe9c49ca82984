"""The kinds of question, one class each, filed by the word a bank gives in ``kind:``.

- ``single``: :class:`~rolelib.kinds.choice.SingleChoice`, the learner chooses one option;
- ``multiple``: :class:`~rolelib.kinds.choice.MultipleChoice`, ticks every option that applies;
- ``classify``: :class:`~rolelib.kinds.sorting.Classify`, puts statements under roles;
- ``match``: :class:`~rolelib.kinds.sorting.Match`, matches items to choices;
- ``reflect``: :class:`~rolelib.kinds.reflect.Reflect`, writes a reflection (saved, not graded).

To add a kind, write one subclass of :class:`Question` with its ``kind`` word, its bank
``FIELDS`` and methods, decorate it with :func:`register`, and import its module here.

>>> sorted(KINDS)
['classify', 'match', 'multiple', 'reflect', 'single']
"""

from rolelib.kinds.base import (
    HINT_COST,
    KINDS,
    LEVELS,
    BankContext,
    Choice,
    Grade,
    Inputs,
    Item,
    Question,
    Verdict,
    kind_class,
    register,
)
from rolelib.kinds.quiz_form import QuizForm, QuizOption, QuizPair
# Imported in this order, the kinds are registered (and listed in messages) in course order.
from rolelib.kinds.choice import MultipleChoice, SingleChoice
from rolelib.kinds.sorting import Classify, Match, classify_pools  # isort: skip
from rolelib.kinds.reflect import Reflect  # isort: skip

__all__ = ["HINT_COST", "KINDS", "LEVELS", "BankContext", "Choice", "Classify", "Grade", "Inputs", "Item", "Match",
           "MultipleChoice", "Question", "QuizForm", "QuizOption", "QuizPair", "Reflect", "SingleChoice", "Verdict",
           "classify_pools", "kind_class", "register"]
