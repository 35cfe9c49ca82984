"""Interactive exercises: one call shows a question from the banks as widgets, with instant feedback.

Each exercise has Check (Save for a reflection), Hint when the bank has hints (each hint costs
:data:`HINT_COST` of the score, and the learner is told so), and Try again. Feedback names what
was right and what was wrong, with a symbol and words, never colour alone. Every check is
recorded through :func:`rolelib.progress.store`, and an exercise shown again restores the last
answer and its result.

The correct answers stay in Python: no widget trait holds them until the learner has checked
(or an instructor presses Reveal answer). Where no widget renders (GitHub, nbviewer, an HTML
export), the exercise shows a text version of the question, without the answer.

>>> from unittest import mock
>>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}):
...     ex = exercise("focus-1")
>>> print(ex.static_text().splitlines()[0])
Question focus-1 · Focus of the position
"""

from __future__ import annotations

import difflib
import os
from typing import TYPE_CHECKING, Any, Callable

import ipywidgets as widgets

from rolelib._markup import escape, html_to_text, markdown
from rolelib._widgets import make_widget, widget_view
from rolelib.questions import Question, load_banks

if TYPE_CHECKING:
    import pandas as pd

    from rolelib.data import CourseData

HINT_COST = 0.1
"""What each hint used takes off the score of a question (the score runs from 0 to 1)."""

INSTRUCTOR_ENV = "ROLELIB_INSTRUCTOR"
RUN_LINE = "Run this notebook to answer this question interactively."
_UNSET = ""
_INSTRUCTIONS = {
    "single": "Choose one answer, then press Check.",
    "multiple": "Tick every answer that applies, then press Check. A wrong tick cancels a right one.",
    "classify": "Choose a role for each statement, then press Check.",
    "match": "Choose an answer for each item, then press Check.",
    "reflect": "Write up to {max_chars} characters, then press Save. Reflections are saved, not graded.",
}
_FIT = {"width": "max-content", "max_width": "100%"}  # as wide as the longest choice, never wider than the page
_FULL_LABEL = {"description_width": "initial"}
_instructor: bool | None = None


def instructor_mode(on: bool | None = True) -> None:
    """Switch instructor mode on or off for exercises created from now on (None: follow the environment).

    In instructor mode every exercise has a Reveal answer button, and :func:`answer_key` works.
    Setting the environment variable ROLELIB_INSTRUCTOR=1 before starting Jupyter has the same effect.

    >>> instructor_mode(True); is_instructor()
    True
    >>> instructor_mode(None)
    """
    global _instructor
    _instructor = on


def is_instructor() -> bool:
    """True in instructor mode (see :func:`instructor_mode`).

    >>> instructor_mode(False); is_instructor()
    False
    >>> instructor_mode(None)
    """
    if _instructor is not None:
        return _instructor
    return os.environ.get(INSTRUCTOR_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def exercise(question_id: str, *, data_dir: "str | os.PathLike[str] | None" = None) -> "Exercise":
    """The exercise for one question of the banks, ready to display in a notebook.

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}):
    ...     exercise("cert-1").question.kind
    'match'
    """
    data, banks = _course(data_dir)
    question = banks.get(question_id)
    if question is None:
        close = difflib.get_close_matches(str(question_id), list(banks), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"no question {question_id!r} in the question banks of {data.data_dir}{hint}")
    return Exercise(question, data=data)


def quiz(lesson: str, *, data_dir: "str | os.PathLike[str] | None" = None) -> "Quiz":
    """Every question of one lesson, one after the other, in bank order.

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}):
    ...     [ex.question.id for ex in quiz("05_reporting_structure").exercises][:2]
    ['report-1', 'report-2']
    """
    from rolelib.lessons import lesson as find_lesson

    find_lesson(lesson)
    data, banks = _course(data_dir)
    return Quiz(lesson, [Exercise(q, data=data) for q in banks.values() if q.lesson == lesson])


def answer_key(lesson: str, *, data_dir: "str | os.PathLike[str] | None" = None) -> "pd.DataFrame":
    """The answers and explanations of one lesson's questions, for instructors only.

    >>> instructor_mode(True)
    >>> answer_key("04_certifications").loc[0, "answer"]  # doctest: +ELLIPSIS
    'CISSP → CISO; CGEIT → CIO; ...'
    >>> instructor_mode(None)
    """
    import pandas as pd

    from rolelib.lessons import lesson as find_lesson

    if not is_instructor():
        raise PermissionError("answer keys are for instructors: call rolelib.instructor_mode() first, "
                              f"or set {INSTRUCTOR_ENV}=1 before starting Jupyter")
    find_lesson(lesson)
    _, banks = _course(data_dir)
    rows = [{"question_id": q.id, "kind": q.kind, "prompt": q.prompt, "answer": answer_text(q),
             "explanation": q.explanation} for q in banks.values() if q.lesson == lesson]
    return pd.DataFrame(rows, columns=["question_id", "kind", "prompt", "answer", "explanation"])


def answer_text(question: Question) -> str:
    """The correct answer of a question as one line of text ('' for a reflection).

    >>> from rolelib.questions import load_banks
    >>> answer_text(load_banks()["edu-2"])  # doctest: +ELLIPSIS
    '...; Information technology → CIO or CISO; ...'
    """
    if question.kind == "single":
        return question.answer
    if question.kind == "multiple":
        return "; ".join(question.answer)
    if question.kind in ("classify", "match"):
        return "; ".join(f"{item.text} → {' or '.join(question.answer[item.key])}" for item in question.items)
    return ""


def _course(data_dir) -> tuple["CourseData", dict[str, Question]]:
    from rolelib.data import load

    data = load(data_dir)
    return data, load_banks(data)


class Exercise:
    """One question shown as widgets; displays itself in a notebook (with a static fallback).

    Drive it with the buttons, or headless with :mod:`rolelib.testing`.
    """

    def __init__(self, question: Question, *, data: "CourseData") -> None:
        self.question = question
        self.hints_used = 0
        self.result: dict[str, Any] | None = None
        titles = dict(zip(data.dimensions["dimension_id"], data.dimensions["title"]))
        self._topic_title = str(titles.get(question.topic, question.topic))
        self._explanation_html = markdown(question.explanation)
        self._prompt_html = markdown(question.prompt)
        self._build()
        self._restore()

    # --- public surface -------------------------------------------------------------------

    @property
    def value(self) -> Any:
        """The answer the widgets hold now: a str, a list of options, or a dict item -> choice."""
        q = self.question
        if q.kind == "single":
            return self.inputs[0].value
        if q.kind == "multiple":
            return [box.description for box in self.inputs if box.value]
        if q.kind == "reflect":
            return self.inputs[0].value
        return {item.key: box.value for item, box in zip(q.items, self.inputs) if box.value != _UNSET}

    @value.setter
    def value(self, answer: Any) -> None:
        q = self.question
        if q.kind == "single":
            self.inputs[0].value = answer
        elif q.kind == "multiple":
            chosen = set(answer or ())
            unknown = chosen - set(q.options)
            if unknown:
                raise ValueError(f"not options of {q.id}: {sorted(unknown)}")
            for box in self.inputs:
                box.value = box.description in chosen
        elif q.kind == "reflect":
            self.inputs[0].value = answer or ""
        else:
            keys = {item.text: item.key for item in q.items}
            answer = {keys.get(key, key): choice for key, choice in dict(answer or {}).items()}
            unknown = set(answer) - {item.key for item in q.items}
            if unknown:
                raise ValueError(f"not items of {q.id}: {sorted(unknown)}")
            for item, box in zip(q.items, self.inputs):
                box.value = answer.get(item.key, _UNSET)

    @property
    def feedback_text(self) -> str:
        """The feedback as the learner reads it, in plain text."""
        return html_to_text(self.feedback_widget.value)

    def check(self) -> str:
        """Grade the current answer, show and record the result; return the feedback as text."""
        q = self.question
        answer = self.value
        missing = self._missing(answer)
        if missing:
            self._show(f'<p class="rolelib-result">{escape(missing)}</p>')
            return self.feedback_text
        result = _grade(q, answer, self.hints_used)
        self._show(self._result_html(result, answer))
        self._lock(True)
        self.result = result
        self._record(answer, result)
        return self.feedback_text

    def hint(self) -> str:
        """Show the next hint (it costs :data:`HINT_COST` of the score); return its text."""
        if self.hints_used >= len(self.question.hints):
            return ""
        self.hints_used += 1
        self._show_hints()
        return self.question.hints[self.hints_used - 1]

    def retry(self) -> None:
        """Unlock the answer for another try; the feedback is cleared, the hints stay."""
        self._lock(False)
        self.result = None
        self._show("")

    def reveal(self) -> str:
        """Instructor mode only: show the answer and the explanation; return them as text."""
        if self.reveal_button is None:
            raise PermissionError("revealing answers needs instructor mode: rolelib.instructor_mode()")
        q = self.question
        if q.kind == "reflect":
            body = ""
        elif q.kind in ("single", "multiple"):
            answers = [q.answer] if q.kind == "single" else list(q.answer)
            body = "<ul>" + "".join(f"<li>{escape(a)}</li>" for a in answers) + "</ul>"
        else:
            body = "<ul>" + "".join(
                f"<li>{escape(item.text)} → {escape(' or '.join(q.label(c) for c in q.answer[item.key]))}</li>"
                for item in q.items) + "</ul>"
        heading = "Sample answer" if q.kind == "reflect" else "Answer"
        self._show(f'<div class="rolelib-result"><p><strong>{heading} (instructor view)</strong></p>{body}'
                   f'<div class="rolelib-explanation">{self._explanation_html}</div></div>')
        return self.feedback_text

    def static_html(self) -> str:
        """The question as plain HTML, without the answer, for places where no widget renders."""
        q = self.question
        parts = [f'<div class="rolelib-static-exercise">',
                 f"<p><strong>Question {escape(q.id)}</strong> · {escape(self._topic_title)}</p>",
                 self._prompt_html.strip(), f"<p><em>{escape(self._instructions())}</em></p>"]
        if q.kind in ("single", "multiple"):
            mark = "○" if q.kind == "single" else "☐"
            parts.append("<ul>" + "".join(f"<li>{mark} {escape(o)}</li>" for o in q.options) + "</ul>")
        elif q.kind in ("classify", "match"):
            choices = " / ".join(q.label(option) for option in q.options)
            parts.append(f"<p>Choices: {escape(choices)}</p>")
            parts.append("<ol>" + "".join(f"<li>{escape(item.text)} → ____</li>" for item in q.items) + "</ol>")
        parts.append(f"<p><em>{escape(RUN_LINE)}</em></p></div>")
        return "\n".join(parts)

    def static_text(self) -> str:
        """The question as plain text, without the answer (what a text-only view shows)."""
        q = self.question
        lines = [f"Question {q.id} · {self._topic_title}", q.prompt.strip(), self._instructions()]
        if q.kind in ("single", "multiple"):
            mark = "( )" if q.kind == "single" else "[ ]"
            lines += [f"  {mark} {option}" for option in q.options]
        elif q.kind in ("classify", "match"):
            lines.append("Choices: " + " / ".join(q.label(option) for option in q.options))
            lines += [f"  {number}. {item.text} → ____" for number, item in enumerate(q.items, start=1)]
        lines.append(RUN_LINE)
        return "\n".join(lines)

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict:
        bundle = widget_view(self.widget)
        bundle["text/plain"] = self.static_text()
        bundle["text/html"] = self.static_html()
        return bundle

    def __repr__(self) -> str:
        return f"<Exercise {self.question.id} ({self.question.kind})>"

    # --- widgets --------------------------------------------------------------------------

    def _build(self) -> None:
        q = self.question
        header = make_widget(widgets.HTML, "rolelib-prompt", value=(
            f'<div class="rolelib-prompt"><p><strong>Question {escape(q.id)}</strong> · '
            f"{escape(self._topic_title)}</p>{self._prompt_html}"
            f'<p class="rolelib-instructions"><em>{escape(self._instructions())}</em></p></div>'))
        self.inputs: list[widgets.Widget] = self._make_inputs()
        graded = q.graded
        self.check_button = _button("Check" if graded else "Save", "rolelib-check",
                                    "Check your answer" if graded else "Save your reflection", self.check)
        self.retry_button = _button("Try again" if graded else "Edit", "rolelib-retry",
                                    "Change your answer and check again", self.retry, disabled=True)
        buttons = [self.check_button]
        self.hint_button = None
        if q.hints:
            cost = f"Each hint costs {round(HINT_COST * 100)} of the 100 points" if graded else "Hints are free here"
            self.hint_button = _button(self._hint_label(), "rolelib-hint", cost, self.hint)
            buttons.append(self.hint_button)
        buttons.append(self.retry_button)
        self.reveal_button = None
        if is_instructor():
            self.reveal_button = _button("Reveal answer", "rolelib-reveal", "Instructor: show the answer",
                                         self.reveal)
            buttons.append(self.reveal_button)
        self.hints_widget = make_widget(widgets.HTML, "rolelib-hints")
        self.feedback_widget = make_widget(widgets.HTML, "rolelib-feedback")
        row = make_widget(widgets.HBox, "rolelib-buttons", children=buttons)
        self.widget = make_widget(
            widgets.VBox, "rolelib-exercise", f"rolelib-kind-{q.kind}",
            children=[header, *self._input_layout(), row, self.hints_widget, self.feedback_widget])

    def _make_inputs(self) -> list[widgets.Widget]:
        q = self.question
        if q.kind == "single":
            return [make_widget(widgets.RadioButtons, "rolelib-input", options=list(q.options), value=None,
                                layout=_FIT)]
        if q.kind == "multiple":
            return [make_widget(widgets.Checkbox, "rolelib-input", value=False, description=option, indent=False,
                                layout=_FIT)
                    for option in q.options]
        if q.kind == "reflect":
            area = make_widget(widgets.Textarea, "rolelib-input", value="", description="Your answer",
                               placeholder="Write here…", style=_FULL_LABEL,
                               layout={"width": "100%", "height": "8em"})
            self._counter = make_widget(widgets.Label, "rolelib-counter", value=self._count_text(""))
            area.observe(lambda change: setattr(self._counter, "value", self._count_text(change["new"])), "value")
            return [area]
        placeholder = "Choose a role…" if q.kind == "classify" else "Choose…"
        options = [(placeholder, _UNSET)] + [(q.label(option), option) for option in q.options]
        return [make_widget(widgets.Dropdown, "rolelib-input", options=options, value=_UNSET, description=item.text,
                            style=_FULL_LABEL, layout=_FIT)
                for item in q.items]

    def _input_layout(self) -> list[widgets.Widget]:
        if self.question.kind == "reflect":
            return [self.inputs[0], self._counter]
        if self.question.kind == "single":
            return self.inputs
        return [make_widget(widgets.VBox, "rolelib-inputs", children=self.inputs)]

    def _instructions(self) -> str:
        q = self.question
        text = _INSTRUCTIONS[q.kind].format(max_chars=q.max_chars)
        if q.hints and q.graded:
            text += f" Hints are there if you need them; each costs {round(HINT_COST * 100)} of the 100 points."
        return text

    def _hint_label(self) -> str:
        left = len(self.question.hints) - self.hints_used
        if left <= 0:
            return "No more hints"
        if not self.question.graded:
            return "Hint"
        return f"Hint (−{round(HINT_COST * 100)} points)"

    def _count_text(self, text: str) -> str:
        limit = self.question.max_chars or 0
        count = len(text)
        extra = f", {count - limit} too many" if count > limit else ""
        return f"{count} of {limit} characters{extra}"

    def _show(self, html: str) -> None:
        self.feedback_widget.value = html

    def _show_hints(self) -> None:
        q = self.question
        shown = q.hints[: self.hints_used]
        cost = (f" (−{round(HINT_COST * 100 * self.hints_used)} points)" if q.graded else "")
        self.hints_widget.value = (
            f'<div class="rolelib-hint-list"><p><strong>Hints used: {len(shown)} of {len(q.hints)}</strong>'
            f"{cost}</p><ol>" + "".join(f"<li>{escape(h)}</li>" for h in shown) + "</ol></div>")
        if self.hint_button is not None:
            self.hint_button.description = self._hint_label()
            self.hint_button.disabled = self.hints_used >= len(q.hints)

    def _lock(self, locked: bool) -> None:
        for box in self.inputs:
            box.disabled = locked
        self.check_button.disabled = locked
        self.retry_button.disabled = not locked

    def _missing(self, answer: Any) -> str:
        q = self.question
        if q.kind == "single" and answer is None:
            return "Choose an answer first, then press Check."
        if q.kind == "multiple" and not answer:
            return "Tick at least one box first, then press Check."
        if q.kind in ("classify", "match") and len(answer) < len(q.items):
            left = len(q.items) - len(answer)
            return f"Make a choice for every item first ({left} still open), then press Check."
        if q.kind == "reflect":
            if not answer.strip():
                return "Write your reflection first, then press Save."
            if len(answer) > (q.max_chars or 0):
                return (f"✗ Not saved: your text has {len(answer)} characters and the limit is "
                        f"{q.max_chars}. Shorten it by {len(answer) - q.max_chars} and press Save again.")
        return ""

    # --- results --------------------------------------------------------------------------

    def _result_html(self, result: dict[str, Any], answer: Any, note: str = "") -> str:
        q = self.question
        if q.kind == "reflect":
            return (f'<div class="rolelib-result rolelib-saved"><p><strong>✓ Saved.</strong> '
                    f"Your reflection ({len(answer)} of {q.max_chars} characters) is saved; it is not graded.{note}</p>"
                    f'<p>You wrote:</p><blockquote class="rolelib-learner-text">{escape(answer)}</blockquote>'
                    f'<div class="rolelib-explanation"><p><strong>Compare with a sample answer:</strong></p>'
                    f"{self._explanation_html}</div></div>")
        points = round(result["score"] * 100)
        used = result["hints_used"]
        penalty = f" ({used} hint{'s' if used != 1 else ''} used: −{round(used * HINT_COST * 100)})" if used else ""
        if result["correct"]:
            head = f"<strong>✓ Correct.</strong> Score: {points} of 100 points{penalty}."
        else:
            head = f"<strong>✗ Not quite.</strong> {result['summary']}Score: {points} of 100 points{penalty}."
        items = "".join(f"<li>{line}</li>" for line in result["lines"])
        tail = (f'<div class="rolelib-explanation"><p><strong>Why:</strong></p>{self._explanation_html}</div>'
                if result["correct"] else
                "<p>Press <strong>Try again</strong> to change your answer"
                + (", or take a hint." if self.hint_button is not None and not self.hint_button.disabled else ".")
                + "</p>")
        state = "rolelib-correct" if result["correct"] else "rolelib-wrong"
        return f'<div class="rolelib-result {state}"><p>{head}{note}</p><ul>{items}</ul>{tail}</div>'

    def _record(self, answer: Any, result: dict[str, Any]) -> None:
        from rolelib import progress

        q = self.question
        # The store degrades to memory with a warning instead of raising; this guard is for the
        # unforeseen, so that an answer is always graded even when it cannot be kept.
        try:
            progress.store().record(progress.Attempt(
                question_id=q.id, lesson=q.lesson, topic=q.topic, kind=q.kind, answer=answer,
                correct=result["correct"], score=result["score"], hints_used=result["hints_used"]))
        except Exception as exc:  # noqa: BLE001 - never lose the feedback over the store
            self._show(self.feedback_widget.value +
                       f'<p class="rolelib-store-problem">Note: this answer could not be saved ({escape(exc)}).</p>')

    def _restore(self) -> None:
        from rolelib import progress

        try:
            last = progress.store().last_attempt(self.question.id)
        except Exception:  # noqa: BLE001 - an unreadable store means a fresh start, not a broken exercise
            last = None
        if last is None or not self._fits(last.answer):
            return
        self.value = last.answer
        self.hints_used = min(int(last.hints_used), len(self.question.hints))
        if self.hints_used:
            self._show_hints()
        result = _grade(self.question, self.value, self.hints_used)
        when = f" (your last answer, saved {last.time[:16].replace('T', ' ')} UTC)" if last.time else " (your last answer)"
        self._show(self._result_html(result, self.value, note=escape(when)))
        self._lock(True)
        self.result = result

    def _fits(self, answer: Any) -> bool:
        """Whether a stored answer still fits the question (the bank may have changed since)."""
        q = self.question
        if q.kind == "single":
            return answer in q.options
        if q.kind == "multiple":
            return isinstance(answer, list) and bool(answer) and set(answer) <= set(q.options)
        if q.kind == "reflect":
            return isinstance(answer, str) and 0 < len(answer) <= (q.max_chars or 0)
        return (isinstance(answer, dict) and set(answer) == {item.key for item in q.items}
                and set(answer.values()) <= set(q.options))


class Quiz:
    """Several exercises shown one after another (every question of a lesson)."""

    def __init__(self, lesson: str, exercises: list[Exercise]) -> None:
        self.lesson = lesson
        self.exercises = exercises
        self.widget = make_widget(widgets.VBox, "rolelib-quiz", children=[ex.widget for ex in exercises])

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict:
        bundle = widget_view(self.widget)
        bundle["text/plain"] = "\n\n".join(ex.static_text() for ex in self.exercises)
        bundle["text/html"] = "\n<hr>\n".join(ex.static_html() for ex in self.exercises)
        return bundle

    def __repr__(self) -> str:
        return f"<Quiz {self.lesson}: {len(self.exercises)} questions>"


def _button(label: str, css: str, tooltip: str, action: Callable[[], Any], disabled: bool = False) -> widgets.Button:
    button = make_widget(widgets.Button, css, description=label, tooltip=tooltip, disabled=disabled,
                         layout={"width": "auto"})
    button.on_click(lambda _button: action())
    return button


def _grade(q: Question, answer: Any, hints_used: int) -> dict[str, Any]:
    """Score an answer: correct (None if ungraded), score after hints, and one line per part."""
    lines: list[str] = []
    if q.kind == "reflect":
        return {"correct": None, "score": 0.0, "summary": "", "hints_used": hints_used, "lines": lines}
    if q.kind == "single":
        raw = float(answer == q.answer)
        summary = ""
        if raw:
            lines.append(f"✓ Right: {escape(answer)}")
        else:
            lines.append(f"✗ Not right: {escape(answer)}. {escape(q.feedback.get(answer, 'This is not the answer.'))}")
    elif q.kind == "multiple":
        answers = set(q.answer)
        picked = [option for option in q.options if option in set(answer)]
        hits = [option for option in picked if option in answers]
        misses = [option for option in picked if option not in answers]
        for option in hits:
            lines.append(f"✓ Right to tick: {escape(option)}")
        for option in misses:
            lines.append(f"✗ Should not be ticked: {escape(option)}. "
                         f"{escape(q.feedback.get(option, 'This one does not apply.'))}")
        unticked = len(answers) - len(hits)
        if unticked:
            lines.append(f"✗ {unticked} right answer{'s are' if unticked != 1 else ' is'} not ticked yet.")
        raw = max(0.0, (len(hits) - len(misses)) / len(answers))
        summary = f"{len(hits)} of {len(answers)} right answers ticked, {len(misses)} wrong tick{'s' if len(misses) != 1 else ''}. "
    else:
        right, total = 0, len(q.items)
        explained: set[str] = set()
        for item in q.items:
            choice = answer[item.key]
            shown = f"“{escape(item.text)}” → {escape(q.label(choice))}"
            if choice in q.answer[item.key]:
                right += 1
                lines.append(f"✓ Right: {shown}")
                continue
            if q.kind == "classify":  # the feedback is about the role picked: say it once per role
                why = "" if choice in explained else q.feedback.get(choice, f"This is not a duty of the {choice}.")
                explained.add(choice)
            else:
                why = q.feedback.get(item.key, "This is not the right match.")
            lines.append(f"✗ Not right: {shown}." + (f" {escape(why)}" if why else ""))
        raw = right / total
        summary = f"{right} of {total} right. "
    correct = raw == 1.0
    score = round(max(0.0, raw - HINT_COST * hints_used), 4)
    return {"correct": correct, "score": score, "summary": summary, "hints_used": hints_used, "lines": lines}
