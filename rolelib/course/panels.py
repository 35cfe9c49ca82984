"""The learner's panels: exporting their progress to hand in, and their score per difference."""

from __future__ import annotations

import html
from typing import Any

from rolelib._widgets import make_widget, widget_view


class ExportPanel:
    """A name box and an Export button that save the learner's progress next to the notebook."""

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
        """Write the file named after the learner into the current folder and say where it went."""
        from rolelib.progress import export_progress

        learner = self.name.value.strip()
        if not learner:
            self.status.value = "✗ Type your name first, then press Export."
            return
        safe = "".join(ch if ch.isalnum() else "-" for ch in learner.lower()).strip("-") or "learner"
        filename = f"progress-{safe}{self.format.value}"
        try:
            export_progress(filename, learner)
        except (OSError, ValueError) as exc:
            self.status.value = f"✗ Could not save the file: {html.escape(str(exc))}"
            return
        self.status.value = (f"✓ Saved as <code>{html.escape(filename)}</code> next to this notebook. "
                             "Hand this file in as your instructor asks.")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        text = "Export your progress: run this notebook, type your name and press Export."
        bundle: dict[str, Any] = {"text/plain": text, "text/html": f"<p>{html.escape(text)}</p>"}
        bundle.update(widget_view(self.widget))
        return bundle


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

    def __init__(self) -> None:
        import ipywidgets as widgets

        from rolelib.charts.display import rendered
        from rolelib.progress import on_record

        # Drawn first, so that the chart goes out with the widget, not after. Every live panel redraws
        # after each answer: they share the one drawing rendered() keeps for the same progress.
        self.image = rendered("score")
        self.figure = make_widget(widgets.HTML, "rolelib-score", value=self.image.html())
        self.widget = make_widget(widgets.VBox, "rolelib-score-panel", children=[self.figure])
        on_record(self._recorded)

    def refresh(self) -> None:
        """Draw the chart again from the saved progress."""
        from rolelib.charts.display import rendered

        self.image = rendered("score")
        self.figure.value = self.image.html()

    def _recorded(self, _attempt: Any) -> None:
        self.refresh()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = widget_view(self.widget)
        bundle.update({"text/plain": self.image.alt, "text/html": self.image.html()})
        return bundle


def show_score() -> ScorePanel:
    """The learner's score per difference from their saved progress, with its description.

    It stays live: each answer checked anywhere in the notebook redraws it.

    >>> panel = show_score()
    >>> panel.image.alt.startswith("Your score per difference")
    True
    """
    return ScorePanel()
