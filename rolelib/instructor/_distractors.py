"""The class report's distractor table (which options a class chose in its first answers) and prompts' starts."""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain
from typing import TYPE_CHECKING

import pandas as pd

from rolelib._markup import full_stop

if TYPE_CHECKING:
    from rolelib.instructor._reading import History
    from rolelib.kinds import Question

DISTRACTOR_COLUMNS = ["question_id", "version", "prompt", "option", "right", "learners", "percent", "feedback"]
PROMPT_START = 48  # characters of a prompt shown beside its question's id


def distractor_table(per_question: pd.DataFrame, histories: dict[str, list[History]],
                     banks: dict[str, Question]) -> pd.DataFrame:
    """Per question (in the order of ``per_question``) and per version of it answered first (the bank's entry
    first, then its variants of ``banks``), every option chosen in first answers, most chosen first.

    The versions of a question have options of their own, so each version's shares are of its own learners.
    """
    prompts = {variant.id: prompt_start(variant.prompt) for entry in banks.values() for variant in entry.variants}
    rows = []
    for question_id, prompt in zip(per_question["question_id"], per_question["prompt"]):
        by_version: dict[str, list[History]] = {}
        for history in histories.get(question_id, []):
            by_version.setdefault(history.version or question_id, []).append(history)
        for version in sorted(by_version, key=lambda version: (version != question_id, version)):
            tried = by_version[version]
            # The options a class chose are a few objects shared by many learners (graded once per
            # distinct answer): counted by identity in C, then added up by option.
            chosen = list(chain.from_iterable(history.first for history in tried))
            by_identity = dict(zip(map(id, chosen), chosen))
            counts: dict[str, list] = {}  # option key: [choice, learners]
            for identity, number in Counter(map(id, chosen)).items():
                choice = by_identity[identity]
                counted = counts.get(choice.key)
                if counted is None:
                    counts[choice.key] = [choice, number]
                else:
                    counted[1] += number
            ordered = sorted(counts.values(), key=lambda counted: (-counted[1], counted[0].right, counted[0].text))
            shown = prompts.get(version, prompt)
            rows += [(question_id, version, shown, choice.text, choice.right, number,
                      round(100 * number / len(tried), 1), choice.feedback) for choice, number in ordered]
    return pd.DataFrame(rows, columns=DISTRACTOR_COLUMNS).astype(
        {"question_id": object, "version": object, "prompt": object, "option": object, "right": bool,
         "learners": "int64", "percent": "float64", "feedback": object})


def version_options(distractors: pd.DataFrame, question_id: str, version: str | None) -> tuple[str, pd.DataFrame, int]:
    """A version of a question (by default the first the table lists), the rows of its options in the
    distractor table, and the number of versions of the question answered first."""
    options = distractors[distractors["question_id"] == question_id]
    versions = list(dict.fromkeys(options["version"]))
    if version is None:
        version = versions[0] if versions else question_id
    elif version not in versions:
        from rolelib._errors import UnknownNameError

        raise UnknownNameError(f"version of {question_id} answered first", version, versions,
                               plural=f"versions of {question_id} answered first")
    return version, options[options["version"] == version], len(versions)


def first_answers_reading(options: pd.DataFrame, question_id: str, *, answered: bool) -> str:
    """A sentence on the first answers to one version of a question (its rows of the distractor table): the
    wrong option most chosen and the bank's feedback for it. ``answered``: the question has answers, though
    perhaps none that fits it as the banks have it now.
    """
    if options.empty:
        return (f"Answered, but no first answer fits {question_id} as the banks have it now (an option reworded "
                "since?): see needs_a_look." if answered else f"No learner answered {question_id}.")
    wrong = options[~options["right"].astype(bool)]
    if wrong.empty:
        return "Every first answer chose only right options."
    top = wrong.iloc[0]
    option = option_text(top["option"], 80)
    text = f"{top['percent']:.0f}% chose " + (option if option.startswith("\u201c") else f"\u201c{option}\u201d")
    text += full_stop(option)  # one full stop, not two
    feedback = str(top["feedback"])
    return f"{text} The bank's feedback for that choice: {feedback}" if feedback else text


def prompt_start(prompt: str, width: int = PROMPT_START) -> str:
    """The start of a question's prompt as plain text, cut at a word and marked with an ellipsis when longer.

    >>> prompt_start("What is a **CIO's** primary mission?")
    "What is a CIO's primary mission?"
    >>> prompt_start("Which of these are at the core of a **CISO's** focus? Select all that apply.")
    "Which of these are at the core of a CISO's…"
    """
    text = " ".join(re.sub(r"[*_`]+", "", prompt).split())
    return shortened(text, width)


def option_text(text: str, width: int) -> str:
    """An option as the distractor table words it, cut at a word to about ``width`` characters.

    A placement (“statement” → role, of a classify or match question) keeps its closing quote and the whole
    role, its statement cut to no fewer than 45 characters: a right and a wrong placement of one statement
    still read apart.

    >>> option_text("“Sets the organisation's overall technology strategy” → CISO", 30)
    "“Sets the organisation's overall technology…” → CISO"
    >>> option_text("Protecting the organisation's data and keeping it compliant", 30)
    "Protecting the organisation's…"
    """
    statement, arrow, placement = text.partition("\u201d \u2192 ")
    if not arrow or not statement.startswith("\u201c") or len(text) <= width:
        return shortened(text, width)
    return shortened(statement, max(width - len(placement) - 3, 45)) + arrow + placement


def shortened(text: str, width: int) -> str:
    """``text`` cut at a word to at most ``width`` characters, an ellipsis marking the cut."""
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"
