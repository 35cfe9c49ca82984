"""The learner's panels: exporting their progress to hand in, their score per difference, submitting an exam."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolelib._markup import NO_MATH
from rolelib._widgets import make_widget, widget_view

if TYPE_CHECKING:
    from rolelib._types import DataSource

HANDIN_ENV = "ROLELIB_HANDIN"
"""The environment variable naming the folder exports are saved to (a hub may set it per account)."""


class ExportPanel:
    """A name box and an Export button that save the learner's progress to hand in.

    The file goes into the folder named by the environment variable ``ROLELIB_HANDIN`` when
    it is set (created if needed), else next to the notebook; its name comes from
    :func:`rolelib.progress.export.export_filename`, so two learners never share a file.
    """

    def __init__(self) -> None:
        import ipywidgets as widgets

        self.name = make_widget(widgets.Text, description="Your name", placeholder="e.g. Ada Lovelace")
        self.format = make_widget(widgets.Dropdown, options=[("JSON file", ".json"), ("CSV file", ".csv")],
                                  value=".json", description="Format")
        self.button = make_widget(widgets.Button, "rolelib-export-button", description="Export",
                                  tooltip="Save your progress to a file to hand in")
        self.status = make_widget(widgets.HTML, "rolelib-export-status")
        self.button.on_click(lambda _: self.export())
        self.widget = make_widget(widgets.VBox, "rolelib-export",
                                  children=[self.name, self.format, self.button, self.status])

    def export(self) -> None:
        """Write the learner's file (into the hand-in folder, or next to the notebook) and say where it went."""
        from rolelib.progress import export_progress
        from rolelib.progress.export import export_filename

        learner = self.name.value.strip()
        if not learner:
            self.status.value = "✗ Type your name first, then press Export."
            return
        handin = os.environ.get(HANDIN_ENV, "").strip()
        folder = Path(handin).expanduser() if handin else Path()
        filename = export_filename(learner, self.format.value)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = export_progress(folder / filename, learner)
        except ValueError as exc:
            self.status.value = f"✗ Could not save the file: {html.escape(str(exc))}"
            return
        except OSError as exc:  # a folder that is read-only, full, or not a folder
            self.status.value = html.escape(
                f"✗ Could not save {filename} in {folder.absolute()} ({exc.strerror or exc}). Free some space, or ask "
                f"your instructor for a folder you can write to (the environment variable {HANDIN_ENV} names it), "
                "then press Export again.")
            return
        saved_as = f"✓ Saved as <code>{html.escape(filename)}</code>"
        if handin:
            self.status.value = (f"{saved_as} in the hand-in folder <code>{html.escape(str(saved.parent.absolute()))}"
                                 "</code>, where your instructor collects it.")
        else:
            self.status.value = f"{saved_as} next to this notebook. Hand this file in as your instructor asks."

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _panel_view(self.widget, "Export your progress: run this notebook, type your name and press Export.")


def export_widget() -> ExportPanel:
    """The panel a learner uses to save their progress to a file to hand in.

    >>> panel = export_widget()
    >>> panel.export()
    >>> panel.status.value
    '✗ Type your name first, then press Export.'
    """
    return ExportPanel()


class ScorePanel:
    """The learner's score per difference, redrawn in place each time an answer is checked."""

    def __init__(self, data: DataSource = None) -> None:
        import ipywidgets as widgets

        from rolelib.charts.display import rendered
        from rolelib.progress import on_record

        # Drawn first, so that the chart goes out with the widget, not after. Every live panel redraws
        # after each answer: they share the one drawing rendered() keeps for the same progress.
        self.data = data
        self.image = rendered("score", data=data)
        self.figure = make_widget(widgets.HTML, "rolelib-score", value=self.image.html())
        self.widget = make_widget(widgets.VBox, "rolelib-score-panel", children=[self.figure])
        on_record(self._recorded)

    def refresh(self) -> None:
        """Draw the chart again from the saved progress."""
        from rolelib.charts.display import rendered

        self.image = rendered("score", data=self.data)
        self.figure.value = self.image.html()

    def _recorded(self, _attempt: Any) -> None:
        self.refresh()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = widget_view(self.widget)
        bundle.update({"text/plain": self.image.alt, "text/html": self.image.html()})
        return bundle


def show_score(*, data: DataSource = None) -> ScorePanel:
    """The learner's score per difference from their saved progress, with its description, graded by the banks
    of ``data`` (the course's own by default).

    It stays live: each answer checked anywhere in the notebook redraws it.

    >>> panel = show_score()
    >>> panel.image.alt.startswith("Your score per difference")
    True
    """
    return ScorePanel(data)


class SubmitPanel:
    """Exam mode's Submit: asks for confirmation, locks the answers, then shows feedback and the score when released.

    In practice mode it only says so: every answer already has its feedback.
    """

    def __init__(self, data: DataSource = None) -> None:
        import ipywidgets as widgets

        from rolelib.data import course_data
        from rolelib.modes import course_settings
        from rolelib.questions import load_banks

        self.settings = course_settings()
        self.banks = load_banks(course_data(data))
        self.button = make_widget(widgets.Button, "rolelib-submit-button", description="Submit my answers…",
                                  tooltip="Lock your answers and hand them in for feedback")
        self.confirm = make_widget(widgets.Button, "rolelib-submit-confirm", description="Yes, submit",
                                   tooltip="Lock your answers now; they cannot be changed afterwards")
        self.cancel = make_widget(widgets.Button, "rolelib-submit-cancel", description="Not yet",
                                  tooltip="Go back to your answers")
        self.button.on_click(lambda _: self.ask())
        self.confirm.on_click(lambda _: self.submit())
        self.cancel.on_click(lambda _: self.refresh())
        self.status = make_widget(widgets.HTML, "rolelib-submit-status")
        self.buttons = make_widget(widgets.HBox, "rolelib-submit-buttons")
        self.widget = make_widget(widgets.VBox, "rolelib-submit", children=[self.status, self.buttons])
        self.refresh()

    def ask(self) -> None:
        """Ask the learner to confirm before their answers are locked."""
        self.status.value = (f"<p>{html.escape(self._answered())} <strong>Submit now?</strong> Your answers are "
                             "then locked: you cannot change them afterwards.</p>")
        self.buttons.children = [self.confirm, self.cancel]

    def submit(self) -> None:
        """Lock the answers (kept across restarts) and show what the learner may see now."""
        from rolelib.exercises import refresh_exercises
        from rolelib.modes import SubmissionNotSaved, submit

        try:
            submit()
            problem = None
        except SubmissionNotSaved as exc:  # locked in this kernel all the same
            problem = exc
        refresh_exercises()
        self.refresh()
        if problem is not None:
            self.status.value += f'<p class="rolelib-store-problem">✗ {html.escape(str(problem))}</p>'
            self.buttons.children = [self.confirm]

    def refresh(self) -> None:
        """Show the mode, and the Submit button, the wait for the release, or the feedback and score."""
        from rolelib.modes import feedback_released, release_text, submitted_at

        mode = f"<p><em>{html.escape(self.settings.describe())}</em></p>"
        when = submitted_at()
        if not self.settings.exam:
            self.status.value, self.buttons.children = mode, []
        elif when is None:
            self.status.value = f"{mode}<p>{html.escape(self._answered())}</p>"
            self.buttons.children = [self.button]
        elif not feedback_released(self.settings):
            self.status.value = (f"{mode}<p>✓ Submitted {html.escape(when[:16].replace('T', ' '))} UTC. Your "
                                 "answers are locked; feedback and your score appear here after "
                                 f"{html.escape(release_text(self.settings.release))}: run this cell again then.</p>")
            self.buttons.children = []
        else:
            self.status.value = f"{mode}{_results_html(when, self.banks)}"
            self.buttons.children = []

    def _answered(self) -> str:
        from rolelib.progress import store

        graded = {q.id for q in self.banks.values() if q.graded}
        answered = {attempt.question_id for attempt in store().all_attempts()} & graded
        return f"You have answered {len(answered)} of the {len(graded)} graded questions."

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _panel_view(self.widget, "Submit your answers: run this notebook and press Submit (exam mode only).")


def submit_panel(*, data: DataSource = None) -> SubmitPanel:
    """The panel that submits the learner's exam answers (in practice mode it says there is nothing to submit), graded
    by the banks of ``data`` (the course's own by default).

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"ROLELIB_PROGRESS": ":memory:", "ROLELIB_MODE": "practice"}):
    ...     print(submit_panel().status.value)
    <p><em>Practice mode: each answer gets its feedback and score when you check it.</em></p>
    """
    return SubmitPanel(data)


_NO_LONGER_FITS = ("Your saved answer no longer fits this question: it has changed since you answered. Ask your "
                   "instructor, who grades what you handed in.")


def _results_html(when: str, banks: dict[str, Any]) -> str:
    """The learner's score and the feedback on each answered question, once an exam's feedback is released."""
    from rolelib._feedback import result_html
    from rolelib.progress import store
    from rolelib.versions import graded_again

    progress = store()
    rows, total, graded = [], 0.0, 0
    for question in banks.values():
        if not question.graded:
            continue
        last = progress.last_attempt(question.id)
        again = None if last is None else graded_again(question, last.variant, last.order, last.answer,
                                                       last.hints_used)  # graded as seen
        shown, result = again or (None, None)
        graded += 1
        total += result.score if result else 0.0
        body = (result_html(shown, result, last.answer, retry=False) if result and shown else "<p>Not answered.</p>"
                if last is None else f"<p>{html.escape(_NO_LONGER_FITS)}</p>")
        rows.append(f"<details><summary>Question {html.escape(question.id)}</summary>{body}</details>")
    score = round(100 * total / graded) if graded else 0
    return (f"<p>✓ Submitted {html.escape(when[:16].replace('T', ' '))} UTC. <strong>Your score: {score} of 100 "
            f"points</strong> (the average over the {graded} graded questions).</p>{''.join(rows)}")


def _panel_view(widget: Any, text: str) -> dict[str, Any]:
    """A panel as a notebook output: the widget where widgets show, else ``text`` saying what to run."""
    bundle: dict[str, Any] = {"text/plain": text, "text/html": f'<p class="{NO_MATH}">{html.escape(text)}</p>'}
    bundle.update(widget_view(widget))
    return bundle
