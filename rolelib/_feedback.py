"""The feedback a graded answer gets, as HTML: the verdict, the score, what was right and wrong, why.

Shared by the exercises (after each Check in practice mode) and the Submit panel (after an
exam's feedback is released). Every text from the banks or the learner is escaped.
"""

from __future__ import annotations

from typing import Any

from rolelib._markup import escape, markdown
from rolelib.kinds import HINT_COST, Grade, Question


def points(share: float) -> int:
    """A share of the score (0 to 1) in points out of 100.

    >>> points(0.25)
    25
    """
    return round(share * 100)


def explanation_block(question: Question, title: str) -> str:
    """The question's explanation (and, for a reflection, its rubric) under an optional title."""
    heading = f"<p><strong>{escape(title)}</strong></p>" if title else ""
    rubric = ""
    if question.rubric:
        rubric = ("<p><strong>A strong answer mentions:</strong></p><ul>"
                  + "".join(f"<li>{escape(point)}</li>" for point in question.rubric) + "</ul>")
    return f'<div class="rolelib-explanation">{heading}{markdown(question.explanation)}{rubric}</div>'


def result_html(question: Question, result: Grade, answer: Any, *, note: str = "", retry: bool = True,
                hints_left: bool = False) -> str:
    """The feedback on one graded (or saved) answer; ``note`` is HTML added after the verdict.

    ``retry`` adds the invitation to try again after a wrong answer (practice mode), with a
    hint when ``hints_left``; without it a wrong answer is followed by the explanation.
    """
    if result.correct is None:  # saved, not graded: the learner's text, then the sample answer
        return (f'<div class="rolelib-result rolelib-saved"><p><strong>✓ Saved.</strong> '
                f"{escape(result.summary)}{note}</p>"
                f'<p>You wrote:</p><blockquote class="rolelib-learner-text">{escape(answer)}</blockquote>'
                f"{explanation_block(question, 'Compare with a sample answer:')}</div>")
    used = result.hints_used
    penalty = f" ({used} hint{'s' if used != 1 else ''} used: −{points(used * HINT_COST)})" if used else ""
    score = f"Score: {result.points} of 100 points{penalty}."
    if result.correct:
        head = f"<strong>✓ Correct.</strong> {score}"
        tail = explanation_block(question, "Why:")
    else:
        summary = f"{escape(result.summary)} " if result.summary else ""
        head = f"<strong>✗ Not quite.</strong> {summary}{score}"
        more = ", or take a hint." if hints_left else "."
        tail = (f"<p>Press <strong>Try again</strong> to change your answer{more}</p>" if retry
                else explanation_block(question, "Why:"))
    items = "".join(f"<li>{escape(verdict.text())}</li>" for verdict in result.verdicts)
    state = "rolelib-correct" if result.correct else "rolelib-wrong"
    return f'<div class="rolelib-result {state}"><p>{head}{note}</p><ul>{items}</ul>{tail}</div>'
