"""The class report's distractor table (which options a class chose in its first answers) and prompts' starts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from rolelib.instructor._handins import History

DISTRACTOR_COLUMNS = ["question_id", "version", "prompt", "option", "right", "learners", "percent", "feedback"]
PROMPT_START = 48  # characters of a prompt shown beside its question's id


def distractor_table(per_question: pd.DataFrame, histories: dict[str, list[History]],
                     prompts: dict[str, str]) -> pd.DataFrame:
    """Per question (in the order of ``per_question``) and per version of it answered first (the bank's entry
    first; ``prompts`` gives a variant's prompt start), every option chosen in first answers, most chosen first.

    The versions of a question have options of their own, so each version's shares are of its own learners.
    """
    rows = []
    for question_id, prompt in zip(per_question["question_id"], per_question["prompt"]):
        by_version: dict[str, list[History]] = {}
        for history in histories.get(question_id, []):
            by_version.setdefault(history.version or question_id, []).append(history)
        for version in sorted(by_version, key=lambda version: (version != question_id, version)):
            tried = by_version[version]
            counts: dict[str, list] = {}  # option key: [choice, learners]
            for history in tried:
                for choice in history.first:
                    counted = counts.get(choice.key)
                    if counted is None:
                        counts[choice.key] = [choice, 1]
                    else:
                        counted[1] += 1
            ordered = sorted(counts.values(), key=lambda counted: (-counted[1], counted[0].right, counted[0].text))
            shown = prompts.get(version, prompt)
            rows += [(question_id, version, shown, choice.text, choice.right, number,
                      round(100 * number / len(tried), 1), choice.feedback) for choice, number in ordered]
    return pd.DataFrame(rows, columns=DISTRACTOR_COLUMNS).astype(
        {"question_id": object, "version": object, "prompt": object, "option": object, "right": bool,
         "learners": "int64", "percent": "float64", "feedback": object})


def prompt_start(prompt: str, width: int = PROMPT_START) -> str:
    """The start of a question's prompt as plain text, cut at a word and marked with an ellipsis when longer.

    >>> prompt_start("What is a **CIO's** primary mission?")
    "What is a CIO's primary mission?"
    >>> prompt_start("Which of these are at the core of a **CISO's** focus? Select all that apply.")
    "Which of these are at the core of a CISO's…"
    """
    text = " ".join(re.sub(r"[*_`]+", "", prompt).split())
    return shortened(text, width)


def shortened(text: str, width: int) -> str:
    """``text`` cut at a word to at most ``width`` characters, an ellipsis marking the cut."""
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"
