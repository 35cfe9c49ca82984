"""Sorting questions: put each item under a choice, statements under roles (classify) or pairs (match)."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic_core import core_schema as cs

from rolelib._deprecated import data_first
from rolelib._errors import UnknownNameError
from rolelib._markup import escape
from rolelib.kinds.base import (
    FIT,
    FULL_LABEL,
    TEXT,
    BankContext,
    Choice,
    Grade,
    Inputs,
    Item,
    Question,
    Report,
    Verdict,
    frozen,
    optional,
    register,
    required,
    texts,
    unique,
)
from rolelib.kinds.quiz_form import QuizForm, QuizOption, QuizPair

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rolelib._types import DataSource

_UNSET = ""  # the value of a dropdown whose placeholder is still chosen


class _Sorting(Question):
    """What classify and match share: items, a dropdown of choices for each, one verdict per item.

    ``answer`` maps each item's key to the choices accepted for it.
    """

    PLACEHOLDER: ClassVar[str] = "Choose…"
    # JupyterLab and Notebook 7 take the arrow keys and letters pressed on a closed list for their own shortcuts
    # (the arrows move to another cell; D D deletes the cell: ipywidgets issue 3912). Space opens the list, where
    # the arrows and Enter work: the learner who answers with a keyboard is told so.
    KEYBOARD: ClassVar[str] = "With a keyboard: Space opens a list, the arrow keys move through it, Enter chooses."

    def _why(self, item: Item, choice: str, explained: set[str]) -> str:
        """The feedback for a wrong choice for ``item`` ('' to say nothing more)."""
        raise NotImplementedError

    def _feedback_key(self, item: Item, choice: str) -> str:
        """The key of the bank's feedback for a wrong ``choice`` for ``item``."""
        raise NotImplementedError

    def instructions(self) -> str:
        return f"{self.INSTRUCTIONS} {self.KEYBOARD}"

    def order_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def in_order(self, keys: tuple[str, ...]) -> Question:
        super().in_order(keys)
        by_key = {item.key: item for item in self.items}
        return replace(self, items=tuple(by_key[key] for key in keys)) if keys else self

    def chosen_options(self, answer: Any) -> tuple[Choice, ...]:
        """One choice per item: the item and where it was put (each item's pair is an option of its own)."""
        chosen = []
        for item in self.items:
            choice = answer[item.key]
            right = choice in self.answer[item.key]
            chosen.append(Choice(f"{item.key} → {choice}", f"\u201c{item.text}\u201d → {self.label(choice)}", right,
                                 "" if right else self.feedback.get(self._feedback_key(item, choice), "")))
        return tuple(chosen)

    def grade(self, answer: Any, hints_used: int = 0) -> Grade:
        verdicts = []
        explained: set[str] = set()
        for item in self.items:
            choice = answer[item.key]
            shown = f"\u201c{item.text}\u201d → {self.label(choice)}"
            if choice in self.answer[item.key]:
                verdicts.append(Verdict(True, "Right", shown, key=item.key))
            else:
                verdicts.append(Verdict(False, "Not right", shown, self._why(item, choice, explained), key=item.key))
        right = sum(verdict.right for verdict in verdicts)
        total = len(self.items)
        return Grade.of(right / total, hints_used, f"{right} of {total} right.", tuple(verdicts))

    def static_lines(self) -> list[str]:
        lines = ["Choices: " + " / ".join(self.label(option) for option in self.options)]
        return lines + [f"  {number}. {item.text} → ____" for number, item in enumerate(self.items, start=1)]

    def static_html(self) -> str:
        choices = " / ".join(self.label(option) for option in self.options)
        return (f"<p>Choices: {escape(choices)}</p>\n"
                + "<ol>" + "".join(f"<li>{escape(item.text)} → ____</li>" for item in self.items) + "</ol>")

    def correct_answer(self) -> dict[str, str]:
        return {item.key: self.answer[item.key][0] for item in self.items}

    def wrong_answer(self, rng: random.Random) -> dict[str, str]:
        answer = self.correct_answer()
        key = rng.choice([key for key in sorted(answer) if set(self.options) - set(self.answer[key])])
        answer[key] = rng.choice([option for option in self.options if option not in self.answer[key]])
        return answer

    def answer_lines(self, labelled: bool = False) -> list[str]:
        show = self.label if labelled else str
        return [f"{item.text} → {' or '.join(show(choice) for choice in self.answer[item.key])}" for item in self.items]

    def make_inputs(self) -> Inputs:
        import ipywidgets as widgets

        from rolelib._widgets import make_widget, text_description

        options = [(self.PLACEHOLDER, _UNSET)] + [(self.label(option), option) for option in self.options]
        boxes = [make_widget(widgets.Dropdown, "rolelib-input", options=options, value=_UNSET, style=FULL_LABEL,
                             layout=FIT, **text_description(widgets.Dropdown, item.text)) for item in self.items]
        return Inputs(boxes, [make_widget(widgets.VBox, "rolelib-inputs", children=boxes)])

    def read(self, controls: list[Any]) -> Any:
        return {item.key: box.value for item, box in zip(self.items, controls) if box.value != _UNSET}

    def write(self, controls: list[Any], answer: Any) -> None:
        keys = {item.text: item.key for item in self.items}
        answer = {keys.get(key, key): choice for key, choice in dict(answer or {}).items()}
        unknown = sorted(set(answer) - {item.key for item in self.items})
        if unknown:
            raise UnknownNameError(f"item of {self.id}", unknown[0], [item.key for item in self.items],
                                   plural=f"items of {self.id}")
        for item, box in zip(self.items, controls):
            box.value = answer.get(item.key, _UNSET)

    def missing(self, answer: Any) -> str:
        left = len(self.items) - len(answer)
        return f"Make a choice for every item first ({left} still open), then press Check." if left > 0 else ""

    def fits(self, answer: Any) -> bool:
        return (isinstance(answer, dict) and set(answer) == {item.key for item in self.items}
                and all(isinstance(choice, str) and choice in self.options for choice in answer.values()))


@register
class Classify(_Sorting):
    """Statements drawn from responsibilities.csv, each to be put under the role it belongs to.

    The bank names the roles, how many statements to draw (the same number from each role)
    and a seed, so that every learner and every run gets the same sample. Feedback is keyed
    by the role wrongly picked, and said once per role.
    """

    kind = "classify"
    FIELDS = {"roles": required(texts(2)), "count": required(cs.int_schema(gt=0, strict=True)),
              "seed": required(cs.int_schema(strict=True))}
    INSTRUCTIONS = "Choose a role for each statement, then press Check."
    PLACEHOLDER = "Choose a role…"

    @classmethod
    def from_bank(cls, fields: Any, common: dict[str, Any], context: BankContext, report: Report) -> Question | None:
        roles = list(fields.roles)
        unique(roles, "roles", report)
        for key in common["feedback"]:
            if key not in roles:
                report("feedback", key, "a key that is one of the roles of this question: " + ", ".join(roles))
        if context.roles is None:
            return None
        unknown = [role for role in roles if role not in context.roles]
        for role in unknown:
            report("roles", role, "a role_id from roles.csv: " + ", ".join(context.roles))
        if unknown:
            return None
        pools = classify_pools(roles, data=context.data)
        quotas = _quotas(fields.count, len(roles))
        if any(len(pools[role]) < quota for role, quota in zip(roles, quotas)):
            available = ", ".join(f"{role} {len(pools[role])}" for role in roles)
            report("count", fields.count,
                   f"at most {_max_balanced([len(pools[role]) for role in roles])} statements: the sample takes "
                   f"the same number from each role, and responsibilities.csv has {available}")
            return None
        rng = random.Random(fields.seed)
        picked: list[tuple[str, str, str]] = []
        for role, quota in zip(roles, quotas):
            picked.extend((key, text, role) for key, text in rng.sample(pools[role], quota))
        rng.shuffle(picked)
        return cls(options=tuple(roles), answer=frozen({key: (role,) for key, _, role in picked}),
                   items=tuple(Item(key, text) for key, text, _ in picked),
                   labels=frozen({role: context.role_label(role) for role in roles}), **common)

    def _why(self, item: Item, choice: str, explained: set[str]) -> str:
        if choice in explained:
            return ""
        explained.add(choice)
        return self.feedback.get(choice, f"This is not a duty of the {choice}.")

    def _feedback_key(self, item: Item, choice: str) -> str:
        return choice

    def mistake(self, key: str) -> str:
        return f"Putting another role's statement under the {self.label(key)}"

    def quiz_form(self) -> QuizForm:
        return QuizForm(None, left_out="a classify question draws its statements from the course data and puts "
                                       "several under each role; the package holds fixed questions with one form each")


@register
class Match(_Sorting):
    """Left-hand items each matched to a choice; an item may accept several choices.

    Feedback is keyed by the left-hand item. With ``choices_are: roles`` (the default) the
    choices must be role ids and are shown with their titles.
    """

    kind = "match"
    FIELDS = {"pairs": required(cs.dict_schema(TEXT, cs.union_schema([TEXT, texts(1)]), min_length=2, strict=True)),
              "choices": required(texts(2)),
              "choices_are": optional(cs.literal_schema(["roles", "text"]), "roles")}
    INSTRUCTIONS = "Choose an answer for each item, then press Check."

    @classmethod
    def from_bank(cls, fields: Any, common: dict[str, Any], context: BankContext, report: Report) -> Question:
        choices = list(fields.choices)
        unique(choices, "choices", report)
        roles = fields.choices_are == "roles"
        if roles and context.roles is not None:
            for choice in choices:
                if choice not in context.roles:
                    report("choices", choice, "a role_id from roles.csv: " + ", ".join(context.roles)
                           + " (for choices that are not roles, add 'choices_are: text')")
        answer: dict[str, tuple[str, ...]] = {}
        for left, right in fields.pairs.items():
            accepted = (right,) if isinstance(right, str) else tuple(right)
            for value in accepted:
                if value not in choices:
                    report("pairs", value, f"for {left!r}: one of the choices, spelled exactly as in 'choices'")
            answer[left] = accepted
        for key in common["feedback"]:
            if key not in answer:
                report("feedback", key, "a key that is one of the left-hand items in 'pairs'")
        labels = {choice: context.role_label(choice) for choice in choices} if roles else {}
        return cls(options=tuple(choices), answer=frozen(answer), items=tuple(Item(left, left) for left in answer),
                   labels=frozen(labels), **common)

    def _why(self, item: Item, choice: str, explained: set[str]) -> str:
        return self.feedback.get(item.key, "This is not the right match.")

    def _feedback_key(self, item: Item, choice: str) -> str:
        return item.key

    def mistake(self, key: str) -> str:
        return f"Matching \u201c{key}\u201d wrongly"

    def quiz_form(self) -> QuizForm:
        return QuizForm("matching", tuple(QuizOption(option, self.label(option)) for option in self.options),
                        tuple(QuizPair(item.text, tuple(self.answer[item.key]), self.feedback.get(item.key, ""))
                              for item in self.items))


@data_first
def classify_pools(roles: Sequence[str], *, data: DataSource = None) -> dict[str, list[tuple[str, str]]]:
    """The statements a classify question may draw for each role: (responsibility_id, statement).

    A statement listed under more than one of the roles is left out, since it has no single answer.

    >>> pools = classify_pools(["CIO", "CSO"])
    >>> sorted(pools), all(key.startswith("R-CSO-") for key, _ in pools["CSO"])
    (['CIO', 'CSO'], True)
    """
    from rolelib.data import course_data

    table = course_data(data).responsibilities
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
