"""Course-level displays for notebooks: the course map and the environment check."""

from __future__ import annotations

import html
import importlib
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rolelib._widgets import make_widget, widget_view
from rolelib.lessons import LESSONS

if TYPE_CHECKING:
    from rolelib.charts import RenderedChart

FALLBACK_LINE = "Run this notebook to answer the questions interactively."


@dataclass(frozen=True)
class CourseMap:
    """The lessons in order with their times and links; displays as a table."""

    base: str = ""

    def _repr_html_(self) -> str:
        prefix = f"{self.base.rstrip('/')}/" if self.base else ""
        rows = "".join(
            f"<tr><td>{number}</td><td><a href=\"{html.escape(prefix + item.filename)}\">{html.escape(item.title)}</a></td>"
            f"<td>{item.minutes} min</td></tr>"
            for number, item in enumerate(LESSONS))
        total = sum(item.minutes for item in LESSONS)
        return ("<table class=\"rolelib-course-map\"><thead><tr><th>#</th><th>Lesson</th><th>Time</th></tr></thead>"
                f"<tbody>{rows}</tbody><tfoot><tr><td></td><td>Whole course</td><td>{total} min</td></tr></tfoot>"
                "</table>")

    def __repr__(self) -> str:
        lines = [f"{number}. {item.title} ({item.minutes} min) - {item.filename}"
                 for number, item in enumerate(LESSONS)]
        lines.append(f"Whole course: about {sum(item.minutes for item in LESSONS)} minutes.")
        return "\n".join(lines)


def course_map(base: str = "") -> CourseMap:
    """The course map, built from the one list of lessons.

    ``base`` is the folder of the lessons relative to the notebook showing the map
    (``".."`` from ``notebooks/instructor/``).

    >>> print(repr(course_map()).splitlines()[1])
    1. Difference 1: the focus of the position (15 min) - 01_focus.ipynb
    """
    return CourseMap(base)


_MINIMUM = {"pandas": (2, 2), "matplotlib": (3, 10), "ipywidgets": (7, 7)}  # as in pyproject.toml


@dataclass
class EnvironmentReport:
    """What works here: each check with a plain verdict, and a widget probe.

    In a front end that can render widgets the probe shows a ✓ line; where widgets cannot
    render, the front end falls back to the HTML version, which says so and what to do.
    """

    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(passed for _, passed, _ in self.checks)

    def _lines(self) -> list[str]:
        return [f"{'✓' if passed else '✗'} {name}: {detail}" for name, passed, detail in self.checks]

    def __repr__(self) -> str:
        verdict = "All is well: you are ready to start." if self.ok else "Something needs fixing (see ✗ above)."
        return "\n".join(["Environment check", *self._lines(), verdict])

    def _html(self, widgets_line: str) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self._lines())
        verdict = "All is well: you are ready to start." if self.ok else "Something needs fixing (see ✗ above)."
        return (f"<div class=\"rolelib-environment\"><strong>Environment check</strong><ul>{items}"
                f"<li>{widgets_line}</li></ul><p>{html.escape(verdict)}</p></div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        no_widgets = ("✗ Interactive widgets are not showing here, so the exercises appear as text only. "
                      "In a static copy (GitHub, nbviewer, an HTML or PDF export) that is expected. "
                      "If you ran this cell in Jupyter and still read this line, open the course in "
                      "JupyterLab 4, Jupyter Notebook 7 or VS Code with the Jupyter extension "
                      "(<code>make lab</code> does it), or install <code>ipywidgets</code> and reload the page.")
        bundle: dict[str, Any] = {"text/plain": repr(self), "text/html": self._html(no_widgets)}
        if self.ok:
            import ipywidgets

            probe = make_widget(ipywidgets.HTML, "rolelib-environment-probe",
                                value=self._html("✓ Interactive widgets work here: the exercises will respond."))
            bundle.update(widget_view(probe))
        return bundle


def check_environment() -> EnvironmentReport:
    """Check that the course can run here and say so plainly, in one call.

    >>> report = check_environment()
    >>> report.ok
    True
    """
    report = EnvironmentReport()
    python_ok = sys.version_info >= (3, 10)
    report.checks.append(("Python", python_ok, "version 3.10 or newer" if python_ok
                          else "this is older than 3.10; the course needs 3.10 or newer"))
    for name, minimum in _MINIMUM.items():
        try:
            module = importlib.import_module(name)
            version = tuple(int(part) for part in module.__version__.split(".")[:2])
            passed = version >= minimum
            detail = "installed" if passed else (f"version {module.__version__} is too old; "
                                                 f"install {name}>={'.'.join(map(str, minimum))}")
        except ImportError:
            passed, detail = False, f"missing; install it with: pip install {name}"
        report.checks.append((name, passed, detail))
    try:
        from rolelib.data import load

        data = load()
        report.checks.append(("Course data", True, f"{len(data.roles)} roles and their facts loaded and checked"))
    except Exception as exc:  # noqa: BLE001 - the learner sees the reason instead of a traceback
        report.checks.append(("Course data", False, str(exc).splitlines()[0]))
    from rolelib.progress import store

    warning = store().warning
    report.checks.append(("Saving your answers", warning is None,
                          "your answers and score are kept between sessions" if warning is None else warning))
    return report


@dataclass(frozen=True)
class FactTable:
    """A small table of statements for reading in a lesson; all text is escaped before it becomes HTML."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""

    def _repr_html_(self) -> str:
        head = "".join(f"<th style=\"text-align:left\">{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td style=\"text-align:left;vertical-align:top\">{html.escape(cell)}</td>"
                                        for cell in row) + "</tr>" for row in self.rows)
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return f"<table class=\"rolelib-facts\">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        lines = [self.caption] if self.caption else []
        lines += [" | ".join(cell for cell in row if cell) for row in self.rows]
        return "\n".join(lines)


def facts_table(dimension: str, roles: list[str] | None = None, *, data_dir: str | None = None) -> FactTable:
    """Every statement the data makes on one dimension, role by role, ready to read.

    >>> print(repr(facts_table("reporting", roles=["CIO"])).splitlines()[1])
    CIO | A CIO typically reports to the CEO, since the job is bound up with business strategy and operations.
    """
    from rolelib.data import load

    data = load(data_dir)
    facts = data.facts(dimension)
    if roles is not None:
        facts = facts[facts["role_id"].isin(roles)]
    title = data.dimensions.set_index("dimension_id").loc[dimension, "title"]
    rows = tuple((role or "All roles", statement) for role, statement in zip(facts["role_id"], facts["statement"]))
    return FactTable(("Role", "What the source says"), rows, caption=f"{title}: the facts")


def compare_table(role_a: str, role_b: str, dimension: str, *, data_dir: str | None = None) -> FactTable:
    """Two roles side by side on one dimension, in full sentences.

    >>> compare_table("CIO", "CISO", "focus").columns
    ('CIO', 'CISO')
    """
    from rolelib.data import load

    data = load(data_dir)
    table = data.compare(role_a, role_b, dimension)
    title = data.dimensions.set_index("dimension_id").loc[dimension, "title"]
    rows = tuple(tuple(str(cell) for cell in row) for row in table.itertuples(index=False))
    return FactTable((role_a, role_b), rows, caption=f"{title}: {role_a} and {role_b} side by side")


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

        from rolelib.progress import on_record

        self.image = _score_image()  # drawn first, so that the chart goes out with the widget, not after
        self.figure = make_widget(widgets.HTML, "rolelib-score", value=self.image.html())
        self.widget = make_widget(widgets.VBox, "rolelib-score-panel", children=[self.figure])
        on_record(self._recorded)

    def refresh(self) -> None:
        """Draw the chart again from the saved progress."""
        self.image = _score_image()
        self.figure.value = self.image.html()

    def _recorded(self, _attempt: Any) -> None:
        self.refresh()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = widget_view(self.widget)
        bundle.update({"text/plain": self.image.alt, "text/html": self.image.html()})
        return bundle


_LAST_SCORE: dict[tuple[int, str], tuple[Any, RenderedChart]] = {}  # the last score chart drawn


def _score_image() -> RenderedChart:
    """The chart of the score per difference, from the saved progress.

    Every live panel redraws after each answer (and a notebook keeps the panels of earlier runs
    of its cell): they share one drawing of the same data and summary instead of one each.
    """
    from rolelib.charts import render, score_chart
    from rolelib.data import load
    from rolelib.progress import progress_summary

    data, summary = load(), progress_summary(by="topic")
    key = (id(data), summary.to_csv(index=False))
    if key not in _LAST_SCORE:
        _LAST_SCORE.clear()
        _LAST_SCORE[key] = (data, render(score_chart(summary, data)))  # data kept: its id stays its own
    return _LAST_SCORE[key][1]


def show_score() -> ScorePanel:
    """The learner's score per difference from their saved progress, with its description.

    It stays live: each answer checked anywhere in the notebook redraws it.

    >>> panel = show_score()
    >>> panel.image.alt.startswith("Your score per difference")
    True
    """
    return ScorePanel()
