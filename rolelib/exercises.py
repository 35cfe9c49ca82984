"""Interactive exercises: one call shows a question from the banks as widgets, with instant feedback.

Each exercise has Check (Save for a reflection), Hint when the bank has hints (each hint costs
:data:`HINT_COST` of the score, and the learner is told so), and Try again. Feedback names what was
right and what was wrong, never colour alone (:mod:`rolelib._feedback`); in exam mode
(:mod:`rolelib.modes`) only once the learner has submitted and feedback is released. Every check is
recorded through :func:`rolelib.progress.store` (or says why not); a re-shown exercise restores it.
Each learner sees their own version of a question (a variant, options or items in their order:
:func:`rolelib.modes.version_shown`); the attempt records which, and a question already answered
shows the version answered, in its order, for as long as the bank has it (an edit to the bank or to
the ``versions`` setting moves no answer); a saved answer is restored only to that version, in that order.

What differs between kinds of question (the inputs, the grading, the static text) is asked of
the question's kind (:mod:`rolelib.kinds`); this module lays out the widgets and the feedback.

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

import weakref
from typing import TYPE_CHECKING, Any, Callable

import ipywidgets as widgets

from rolelib._deprecated import renamed_keywords
from rolelib._errors import UnknownNameError
from rolelib._feedback import explanation_block, points, result_html
from rolelib._instructor_view import (
    INSTRUCTOR_ENV,
    answer_key,
    answer_text,
    instructor_mode,
    is_instructor,
)
from rolelib._markup import NO_MATH, escape, html_to_text, markdown
from rolelib._widgets import make_widget, widget_view
from rolelib.kinds import HINT_COST, Grade, Question
from rolelib.lessons import lesson as find_lesson
from rolelib.modes import course_settings, feedback_released, release_text, submitted_at, version_shown
from rolelib.questions import load_banks
from rolelib.versions import graded_again, hints_counted, recorded_order, recorded_version

if TYPE_CHECKING:
    from rolelib._types import DataSource
    from rolelib.data import CourseData
    from rolelib.progress import Attempt

__all__ = ["HINT_COST", "INSTRUCTOR_ENV", "Exercise", "Quiz", "answer_key", "answer_text", "exercise",
           "instructor_mode", "is_instructor", "quiz", "refresh_exercises"]

RUN_LINE = "Run this notebook to answer this question interactively."
_SHOWN: weakref.WeakSet[Exercise] = weakref.WeakSet()  # this kernel's exercises, refreshed on submission


@renamed_keywords(data_dir="data")
def exercise(question_id: str, *, data: DataSource = None) -> Exercise:
    """The exercise for one question of the banks, ready to display in a notebook.

    ``data`` is the course data (a CourseData, a data folder, or None for the course's own).
    An unknown id raises :class:`rolelib.UnknownNameError` listing the valid ones.

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}):
    ...     exercise("cert-1").question.kind
    'match'
    """
    course, banks = _course(data)
    question = banks.get(question_id)
    if question is None:
        raise UnknownNameError("question", question_id, banks, plural=f"questions in {course.data_dir}")
    return Exercise(question, data=course)


@renamed_keywords(data_dir="data")
def quiz(lesson: str, *, data: DataSource = None) -> Quiz:
    """Every question of one lesson, one after the other, in bank order.

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:"}):
    ...     [ex.question.id for ex in quiz("05_reporting_structure").exercises][:2]
    ['report-1', 'report-2']
    """
    find_lesson(lesson)
    course, banks = _course(data)
    return Quiz(lesson, [Exercise(q, data=course) for q in banks.values() if q.lesson == lesson])


def refresh_exercises() -> None:
    """Show every exercise of this kernel again as its saved answer stands (after the learner submits)."""
    settings = course_settings()
    for shown in list(_SHOWN):
        shown.settings = settings
        shown._restore(shown._last_attempt())


def _course(data: DataSource) -> tuple[CourseData, dict[str, Question]]:
    from rolelib.data import course_data

    course = course_data(data)
    return course, load_banks(course)


class Exercise:
    """One question shown as widgets; displays itself in a notebook (with a static fallback).

    ``question`` is the version of the bank entry this learner sees, its options or items in
    their order: the one they last answered while the bank has it, else
    :func:`rolelib.modes.version_shown`'s; ``order`` is that order as recorded
    (() for the bank's). Drive it with the buttons, or headless with :mod:`rolelib.testing`.
    ``result`` is the :class:`~rolelib.kinds.Grade` of the answer shown (None before a check).
    """

    def __init__(self, entry: Question, *, data: CourseData) -> None:
        self.settings = course_settings()
        self.entry = entry
        last = self._last_attempt()
        # A question already answered keeps the version and order answered while the bank has it: adding, reordering
        # or renaming other variants, or changing the ``versions`` setting, moves the draw, not an answer given.
        answered = None if last is None else recorded_version(entry, last.variant, last.order)
        self.question = answered or version_shown(entry, self.settings)
        self.order = recorded_order(entry, self.question)
        self.hints_used = 0
        self.result: Grade | None = None
        titles = dict(zip(data.dimensions["dimension_id"], data.dimensions["title"]))
        self._topic_title = str(titles.get(entry.topic, entry.topic))
        self._build()
        self._restore(last)
        _SHOWN.add(self)

    # --- public surface -------------------------------------------------------------------

    @property
    def value(self) -> Any:
        """The answer the widgets hold now, in the form the question's kind takes."""
        return self.question.read(self.inputs)

    @value.setter
    def value(self, answer: Any) -> None:
        self.question.write(self.inputs, answer)

    @property
    def feedback_text(self) -> str:
        """The feedback as the learner reads it, in plain text."""
        return html_to_text(self.feedback_widget.value)

    def check(self) -> str:
        """Grade the current answer, show and record the result; return the feedback as text."""
        answer = self.value
        missing = self.question.missing(answer)
        if missing:
            self._show(f'<p class="rolelib-result">{escape(missing)}</p>')
            return self.feedback_text
        if self.settings.exam and submitted_at():
            self._restore(self._last_attempt())  # the saved answer stands: a submitted exam is locked
            return self.feedback_text
        result = self.question.grade(answer, self.hints_used)
        problem = self._record(answer, result)  # one outcome: the result, or only why it was not saved
        held_back = "" if problem else self._held_back()
        self._show(f'<p class="rolelib-result rolelib-store-problem">{escape(problem)}</p>' if problem
                   else held_back or self._result_html(result, answer))
        self._lock(not problem and not held_back)
        self.result = None if problem or held_back else result
        return self.feedback_text

    def hint(self) -> str:
        """Show the next hint (it costs :data:`HINT_COST` of the score); return its text."""
        if self.hint_button is None or self.hints_used >= len(self.question.hints):
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
        lines = q.answer_lines(labelled=True)
        body = "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>" if lines else ""
        self._show(f'<div class="rolelib-result"><p><strong>{escape(q.REVEAL_HEADING)} (instructor view)</strong>'
                   f"</p>{body}{explanation_block(q, '')}</div>")
        return self.feedback_text

    def static_html(self) -> str:
        """The question as plain HTML, without the answer, for places where no widget renders."""
        q = self.question
        parts = [f'<div class="rolelib-static-exercise {NO_MATH}">', self._heading_html(), self._prompt_html().strip(),
                 f"<p><em>{escape(self._instructions())}</em></p>"]
        if q.static_html():
            parts.append(q.static_html())
        parts.append(f"<p><em>{escape(RUN_LINE)}</em></p></div>")
        return "\n".join(parts)

    def static_text(self) -> str:
        """The question as plain text, without the answer (what a text-only view shows)."""
        q = self.question
        return "\n".join([f"Question {q.slot} · {self._topic_title}", q.prompt.strip(), self._instructions(),
                          *q.static_lines(), RUN_LINE])

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict:
        bundle = widget_view(self.widget)
        bundle["text/plain"] = self.static_text()
        bundle["text/html"] = self.static_html()
        return bundle

    def __repr__(self) -> str:
        return f"<Exercise {self.question.slot} ({self.question.kind})>"

    # --- widgets --------------------------------------------------------------------------

    def _build(self) -> None:
        q = self.question
        mode = f'<p class="rolelib-mode"><em>{escape(self.settings.describe())}</em></p>' if self.settings.exam else ""
        header = make_widget(widgets.HTML, "rolelib-prompt", value=(
            f'<div class="rolelib-prompt">{self._heading_html()}{mode}{self._prompt_html()}'
            f'<p class="rolelib-instructions"><em>{escape(self._instructions())}</em></p></div>'))
        made = q.make_inputs()
        self.inputs: list[widgets.Widget] = made.controls
        graded = q.graded
        self.check_button = _button("Check" if graded else "Save", "rolelib-check",
                                    "Check your answer" if graded else "Save your reflection", self.check)
        self.retry_button = _button("Try again" if graded else "Edit", "rolelib-retry",
                                    "Change your answer and check again", self.retry, disabled=True)
        buttons = [self.check_button]
        self.hint_button = None
        if q.hints and self.settings.hints_offered:
            cost = f"Each hint costs {points(HINT_COST)} of the 100 points" if graded else "Hints are free here"
            self.hint_button = _button(self._hint_label(), "rolelib-hint", cost, self.hint)
            buttons.append(self.hint_button)
        if not self.settings.exam:  # an exam answer stays open until it is submitted
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
            children=[header, *made.shown, row, self.hints_widget, self.feedback_widget])

    def _heading_html(self) -> str:
        q = self.question
        version = f" · version {escape(q.id)}" if self.entry.variants and is_instructor() else ""
        return f"<p><strong>Question {escape(q.slot)}</strong> · {escape(self._topic_title)}{version}</p>"

    def _prompt_html(self) -> str:
        return markdown(self.question.prompt)

    def _instructions(self) -> str:
        q = self.question
        text = q.instructions()
        if q.hints and q.graded and self.settings.hints_offered:
            text += f" Hints are there if you need them; each costs {points(HINT_COST)} of the 100 points."
        return text

    def _hint_label(self) -> str:
        if self.hints_used >= len(self.question.hints):
            return "No more hints"
        return f"Hint (−{points(HINT_COST)} points)" if self.question.graded else "Hint"

    def _show(self, html: str) -> None:
        self.feedback_widget.value = html

    def _show_hints(self) -> None:
        q = self.question
        shown = q.hints[: self.hints_used]
        cost = f" (−{points(HINT_COST * self.hints_used)} points)" if q.graded else ""
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

    # --- results --------------------------------------------------------------------------

    def _result_html(self, result: Grade, answer: Any, note: str = "") -> str:
        hints_left = self.hint_button is not None and not self.hint_button.disabled
        return result_html(self.question, result, answer, note=note, retry=not self.settings.exam, hints_left=hints_left)

    def _held_back(self, when: str = "") -> str:
        """'' when feedback may be shown; in exam mode before it is released, what the learner reads instead."""
        if feedback_released(self.settings):
            return ""
        if submitted_at():  # the release time has not come (feedback would show otherwise)
            return (f'<p class="rolelib-result rolelib-submitted">✓ Submitted{escape(when)}. Your answers are locked; '
                    f"feedback and your score appear after {escape(release_text(self.settings.release))}.</p>")
        return (f'<p class="rolelib-result rolelib-recorded">✓ Answer recorded{escape(when)}. You can change it and '
                "press Check again until you submit your answers in the review notebook.</p>")

    def _record(self, answer: Any, result: Grade) -> str:
        """Record the attempt: '' when done, else why not for the learner (ValueError: the store refuses the answer)."""
        from rolelib import progress

        q = self.question
        try:
            progress.store().record(progress.Attempt(
                question_id=q.slot, lesson=q.lesson, topic=q.topic, kind=q.kind, answer=answer,
                correct=result.correct, score=result.score, hints_used=result.hints_used, variant=q.id,
                order=self.order))
        except Exception as exc:  # noqa: BLE001 - the learner reads why, never a traceback
            return f"✗ Not saved: {exc}" if isinstance(exc, ValueError) else (
                f"✗ Not saved: this answer could not be recorded ({exc}). It is still in the box: "
                "press the button again, and tell your instructor if this happens again.")
        return ""

    def _last_attempt(self) -> Attempt | None:
        from rolelib import progress

        try:
            return progress.store().last_attempt(self.entry.slot)
        except Exception:  # noqa: BLE001 - an unreadable store means a fresh start, not a broken exercise
            return None

    def _restore(self, last: Attempt | None) -> None:
        other_version = last is not None and last.variant != self.question.id
        # Graded again as the summary, the Submit panel and the class report grade it: by the version and order
        # answered (None when the bank no longer has that order, or the answer no longer fits).
        again = None if last is None or other_version else graded_again(
            self.entry, last.variant, last.order, last.answer, last.hints_used)
        result = None if again is None else again[1]
        if result is None:  # never answered, another version, or the bank has changed: locked if submitted
            note = "" if last is None else (
                "Your saved answer was to another version of this question, so this one starts empty." if other_version
                else "Your saved answer no longer fits this question (it has changed since you answered), so it "
                     "starts empty.")
            if self.settings.exam and submitted_at():
                locked = f"{note} Your answers are locked: you have submitted." if note else ""
                self._show(f'<p class="rolelib-result">{escape(locked) or "✗ Not answered before you submitted."}</p>')
                self._lock(True)
            elif note:
                self._show(f'<p class="rolelib-result rolelib-other-version">{escape(note)}</p>')
            return
        self.value = last.answer
        self.hints_used = hints_counted(self.question, last.hints_used)
        if self.hints_used:
            self._show_hints()
        when = f" (your last answer, saved {last.time[:16].replace('T', ' ')} UTC)" if last.time else " (your last answer)"
        held_back = self._held_back(when)
        self._show(held_back or self._result_html(result, self.value, note=escape(when)))
        self._lock(not held_back or bool(submitted_at()))
        self.result = None if held_back else result


class Quiz:
    """Several exercises shown one after another (every question of a lesson)."""

    def __init__(self, lesson: str, exercises: list[Exercise]) -> None:
        self.lesson = lesson
        self.exercises = exercises
        self.widget = make_widget(widgets.VBox, "rolelib-quiz", children=[ex.widget for ex in exercises])

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict:
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
