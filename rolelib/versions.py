"""Versions of a question: which one a learner sees, in which order, and which one an attempt names.

A bank entry may hold variants (see :mod:`rolelib.questions`): the entry and its variants are
the versions of one slot. A learner with an identity (their hub account) sees one version,
its options or items shuffled, drawn from a seed made of the identity and the slot's id: the
same after every restart, and different for the learner at the next desk. Without an
identity, everyone sees the bank's entry in the bank's order. Which identity counts, and
whether the course shows versions per learner at all, is :func:`rolelib.modes.version_shown`'s.
"""

from __future__ import annotations

import hashlib
import random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rolelib.kinds import Grade, Question


def version_for(entry: Question, identity: str | None) -> Question:
    """The version of a bank entry that the learner ``identity`` sees, with its parts in their order.

    The same identity always gets the same version and order (drawn from a seed made of the
    identity and the slot's id); with no identity (None or ''), the entry as the bank gives it.

    >>> from rolelib.questions import load_banks
    >>> entry = load_banks()["focus-1"]
    >>> version_for(entry, None) is entry, version_for(entry, "ada") == version_for(entry, "ada")
    (True, True)
    """
    if not identity:
        return entry
    digest = hashlib.sha256(f"{identity}\0{entry.slot}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    return entry.versions[rng.randrange(len(entry.versions))].shuffled(rng)


def recorded_version(entry: Question, variant: str, order: tuple[str, ...] = ()) -> Question | None:
    """The version of ``entry`` an attempt names (``variant``), its parts in the ``order`` recorded; None when
    the entry has no such version or ``order`` is not an order of that version's parts.

    >>> from rolelib.questions import load_banks
    >>> entry = load_banks()["focus-1"]
    >>> recorded_version(entry, "focus-1") is entry, recorded_version(entry, "focus-9")
    (True, None)
    >>> recorded_version(entry, "focus-1", ("not an option",)) is None
    True
    """
    version = next((version for version in entry.versions if version.id == variant), None)
    if version is None:
        return None
    try:
        return version.in_order(order)
    except ValueError:
        return None


def recorded_order(entry: Question, shown: Question) -> tuple[str, ...]:
    """The order an attempt records for ``shown``, a version of ``entry``: its parts' keys in the order
    shown, or () when that is the bank's order (and for a question without an order).

    >>> from rolelib.questions import load_banks
    >>> entry = load_banks()["focus-1"]
    >>> recorded_order(entry, entry), len(recorded_order(entry, entry.in_order(entry.options[::-1])))
    ((), 4)
    """
    bank = recorded_version(entry, shown.id)
    keys = shown.order_keys()
    return () if bank is not None and keys == bank.order_keys() else keys


def graded_again(entry: Question, variant: str, order: tuple[str, ...], answer: Any,
                 hints_used: int) -> tuple[Question, Grade | None] | None:
    """A stored answer graded again by the version of ``entry`` it was given to, as the course grades it now:
    (that version, its grade), the grade None when the answer no longer fits it; None when the entry has no
    such version or order. Hints count at most as many as the version has.

    The learner's summary and the Submit panel grade every saved answer with it, so that a bank corrected
    since (a key, a hint) changes the score in every place alike.

    >>> from rolelib.questions import load_banks
    >>> entry = load_banks()["focus-1"]
    >>> shown, grade = graded_again(entry, "focus-1", (), entry.answer, hints_used=5)
    >>> grade.score, graded_again(entry, "focus-1", (), "not an option", 0)[1], graded_again(entry, "focus-9", (), "", 0)
    (0.9, None, None)
    """
    shown = recorded_version(entry, variant, order)
    if shown is None:
        return None
    return shown, shown.regrade(answer, hints_counted(shown, hints_used))


def hints_counted(question: Question, hints_used: int) -> int:
    """The hints a stored attempt counts: as many as it opened, at most as many as ``question`` has, never fewer than 0.

    >>> from rolelib.questions import load_banks
    >>> focus_1 = load_banks()["focus-1"]
    >>> hints_counted(focus_1, 99) == len(focus_1.hints), hints_counted(focus_1, -1)
    (True, 0)
    """
    return min(max(int(hints_used), 0), len(question.hints))
