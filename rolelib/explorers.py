"""Interactive explorers: ipywidgets controls over the course charts, redrawn in place.

Each explorer is an :class:`Explorer`: its ``widget`` (a VBox) holds a few controls, one chart
and a note under it. A change of a control redraws the chart into the same HTML widget (the old
image is replaced, no output is added). Where widgets cannot render (a static view, an HTML
export), the explorer shows its current chart and note as HTML, or as text.

>>> explorer = reporting_explorer()
>>> explorer.choice.options
('CIO', 'CTO', 'CEO')
>>> explorer.choice.value = "CEO"
>>> "Highlighted: CISO reports to CEO." in explorer.figure.value
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from rolelib._deprecated import keyword_only, renamed_keywords
from rolelib._errors import UnknownNameError
from rolelib._markup import NO_MATH
from rolelib._types import DataSource
from rolelib._widgets import make_widget, text_description, widget_view
from rolelib.charts import CHART_NAMES, rendered
from rolelib.data import CourseData, course_data

__all__ = ["Explorer", "reporting_explorer", "responsibilities_explorer", "compare_roles"]

_WIDE = {"description_width": "initial", "button_width": "auto"}  # labels in full, never cut


def _menu(options: Sequence[tuple[str, str]], value: str, description: str, css: str) -> widgets.Dropdown:
    """A drop-down as wide as its longest choice."""
    return make_widget(widgets.Dropdown, css, options=options, value=value, description=description,
                       style={"description_width": "initial"}, layout={"width": "auto"})


class Explorer:
    """Controls above one chart that is redrawn in place, and a note under the chart.

    ``widget`` is what a front end shows (a VBox of the controls, ``figure`` and ``note``);
    the explorer itself displays as that widget, or as HTML or text where widgets cannot render.
    Each kind of explorer says what to draw for the current choice in ``_view``.
    """

    _name = "explorer"

    def __init__(self, course: CourseData, heading: str, rows: Sequence[widgets.Widget],
                 inputs: Sequence[widgets.Widget]) -> None:
        self.course = course
        self.heading = heading
        # Drawn before the widgets are made, so that the first chart goes out with them, not after.
        figure_html, note_html = self._render()
        self.figure = make_widget(widgets.HTML, "rolelib-explorer-figure", value=figure_html)
        self.note = make_widget(widgets.HTML, "rolelib-explorer-note", value=note_html)
        self.widget = make_widget(widgets.VBox, "rolelib-explorer", f"rolelib-{self._name}",
                                  children=[*rows, self.figure, self.note])
        for control in inputs:
            control.observe(self._changed, names="value")

    def _changed(self, _change: dict[str, Any]) -> None:
        self.redraw()

    def _view(self) -> tuple[str, dict[str, Any], str, list[str], str]:
        """The chart to show (its name and options), the note as HTML and as lines of text, and the current choice."""
        raise NotImplementedError

    def redraw(self) -> None:
        """Draw the chart for the current choice into the figure widget and update the note."""
        self.figure.value, self.note.value = self._render()

    def _render(self) -> tuple[str, str]:
        """The chart and the note for the current choice as HTML; keeps the static versions up to date."""
        chart, options, note_html, note_lines, choice = self._view()
        image = rendered(chart, data=self.course, **options)
        figure_html = image.html()
        self._text = "\n".join([f"{self.heading}: {choice}.", image.alt, *note_lines])
        self._html = (f'<div class="rolelib-explorer-static {NO_MATH}"><p><strong>{html.escape(self.heading)}</strong>: '
                      f"{html.escape(choice)}.</p>{figure_html}{note_html}</div>")
        return figure_html, note_html

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = widget_view(self.widget)
        bundle["text/plain"] = self._text
        bundle["text/html"] = self._html
        return bundle


def _bullets(lines: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"


def _core_goals(course: CourseData, role: str) -> tuple[list[str], list[str]]:
    """A role's core goals, and the orientations they belong to (most goals first)."""
    focus = course.focus
    core = str(focus["centrality"].cat.categories[0])
    rows = focus[(focus["role_id"] == role) & (focus["centrality"] == core)]
    goals = rows["goal"].astype(str).tolist()
    counts = rows["orientation"].astype(str).value_counts()
    return goals, [str(o) for o in counts.index if counts[o] == counts.max()]


def _reporting_note(course: CourseData, role: str, boss: str) -> list[str]:
    """What the data says about one reporting line, with its source; then the course's own reading of it.

    The data's statements come first and end with their citation; what the course infers from
    them (the chain above, how the two roles' aims compare) follows, marked as the course's.
    """
    lines = course.reporting_lines
    line = lines[(lines["role_id"] == role) & (lines["reports_to"] == boss)].iloc[0]
    notes = [f"{str(line['statement']).rstrip('.')} (a {line['typicality']} line in the data)."]
    dimension_notes = course.notes[(course.notes["dimension_id"] == "reporting")
                                   & (course.notes["role_id"].isna() | course.notes["role_id"].isin([role, boss]))]
    notes.extend(dimension_notes["statement"].astype(str))
    notes.append(f"Source: {course.citation(str(line['source_id']))}")
    reading = "The course's reading:"
    above = lines[lines["role_id"] == boss]
    typical = str(lines["typicality"].cat.categories[0])
    if (above["typicality"] == typical).any():
        above = above[above["typicality"] == typical]
    if above.empty:
        notes.append(f"{reading} chain above the {role}: {role} \u2192 {boss}. The data lists no line above the "
                     f"{boss}, so no other role in this chart stands between the {role} and the top.")
    else:
        bosses = " or ".join(above["reports_to"].astype(str))
        notes.append(f"{reading} chain above the {role}: {role} \u2192 {boss} \u2192 {bosses}. "
                     f"Here the {role} reaches the top through the {boss}.")
    own_goals, own_sides = _core_goals(course, role)
    boss_goals, boss_sides = _core_goals(course, boss)
    if boss_goals and own_goals:
        boss_text = f"the {boss}'s core goals ({', '.join(boss_goals)}) aim to {' and '.join(boss_sides)}"
        own_text = f"the {role}'s ({', '.join(own_goals)}) aim to {' and '.join(own_sides)}"
        if set(boss_sides) == set(own_sides):
            notes.append(f"{reading} {boss_text}, as {own_text}: on this line the {role} answers to a role with "
                         "the same kind of aim.")
        else:
            notes.append(f"{reading} {boss_text}; {own_text}: on this line the {role} answers to a role whose "
                         "main aim differs from its own.")
    else:
        definition = course.roles.set_index("role_id").loc[boss, "definition"]
        notes.append(f"{reading} the data lists no core goals for the {boss} ({course.role_title(boss)}). "
                     f"Its description in the data: {definition}")
    return notes


class _ReportingExplorer(Explorer):
    _name = "reporting-explorer"

    def __init__(self, course: CourseData, role: str, reports_to: str | None) -> None:
        lines = course.reporting_lines
        bosses = lines.loc[lines["role_id"] == role, "reports_to"].astype(str).tolist()
        if not bosses:
            raise UnknownNameError("role with a reporting line", role, dict.fromkeys(lines["role_id"].astype(str)),
                                   plural="roles with reporting lines")
        if reports_to is not None and reports_to not in bosses:
            raise UnknownNameError(f"reporting line from the {role} to", reports_to, bosses,
                                   plural=f"roles the {role} may report to")
        self.role = role
        self.choice = make_widget(
            widgets.ToggleButtons, "rolelib-explorer-choice", options=bosses, value=reports_to or bosses[0],
            tooltips=[course.role_title(boss) for boss in bosses], style=_WIDE,
            **text_description(widgets.ToggleButtons, f"The {role} reports to:"))
        super().__init__(course, f"Reporting-line explorer: whom the {role} reports to "
                                 f"({', '.join(bosses)})", [self.choice], [self.choice])

    def _view(self) -> tuple[str, dict[str, Any], str, list[str], str]:
        boss = str(self.choice.value)
        chart = ("reporting", {"highlight": (self.role, boss)})
        notes = _reporting_note(self.course, self.role, boss)
        return *chart, _bullets(notes), notes, f"{self.role} reports to {boss}"


@keyword_only("role", "data")
def reporting_explorer(role: str = "CISO", *, data: DataSource = None, reports_to: str | None = None) -> Explorer:
    """Choose whom a role (the CISO by default) reports to; the organisation chart follows.

    The choices are the role's lines in reporting_lines.csv; a note under the chart says what
    the chosen line changes, from the data.

    >>> explorer = reporting_explorer(reports_to="CTO")
    >>> explorer.note.value.count("<li>") >= 3
    True
    """
    return _ReportingExplorer(course_data(data), role, reports_to)


class _ResponsibilitiesExplorer(Explorer):
    _name = "responsibilities-explorer"

    def __init__(self, course: CourseData) -> None:
        table = course.responsibilities
        roles = [r for r in course.roles["role_id"].astype(str) if (table["role_id"] == r).any()]
        areas = [a for a in table["area"].cat.categories if (table["area"] == a).any()]
        named = [(f"{r}: {course.role_title(r)}", r) for r in roles]
        self.role_menu = _menu([("all roles", ""), *named], "", "Role:", "rolelib-explorer-role")
        self.area_menu = _menu([("all areas", ""), *((str(a), str(a)) for a in areas)], "", "Area:",
                               "rolelib-explorer-area")
        super().__init__(course, "Responsibilities explorer",
                         [make_widget(widgets.HBox, children=[self.role_menu, self.area_menu])],
                         [self.role_menu, self.area_menu])

    def _view(self) -> tuple[str, dict[str, Any], str, list[str], str]:
        role, area = str(self.role_menu.value), str(self.area_menu.value)
        chart = ("responsibilities", {"roles": [role] if role else None, "areas": [area] if area else None})
        table = self.course.responsibilities
        keep = table["role_id"].notna()
        if role:
            keep &= table["role_id"] == role
        if area:
            keep &= table["area"] == area
        rows = table[keep]
        lines = [f"{r.role_id}, {r.area}: {r.statement}" for r in rows.itertuples()]
        count = f"{len(lines)} responsibilit{'y' if len(lines) == 1 else 'ies'} listed"
        note = f"<p>{html.escape(count)}:</p>" + _bullets(lines) if lines else f"<p>{html.escape(count)}.</p>"
        choice = f"{role or 'all roles'}, {area or 'all areas'}"
        return *chart, note, [count + (":" if lines else ".")] + [f"- {line}" for line in lines], choice


@keyword_only("data")
def responsibilities_explorer(*, data: DataSource = None) -> Explorer:
    """Filter the responsibilities by role and by area; the chart and the list follow.

    >>> explorer = responsibilities_explorer()
    >>> explorer.role_menu.value, explorer.area_menu.value = "CISO", "risk"
    >>> "2 responsibilities listed" in explorer.note.value
    True
    """
    return _ResponsibilitiesExplorer(course_data(data))


class _CompareExplorer(Explorer):
    _name = "compare-explorer"

    def __init__(self, course: CourseData, role_a: str, role_b: str, difference: str) -> None:
        roles = [(f"{r}: {course.role_title(r)}", r) for r in course.roles["role_id"].astype(str)]
        for role in (role_a, role_b):
            course.role_title(role)
        differences = [("all five", "overview")] + [(str(d.title), str(d.dimension_id))
                                                     for d in course.differences.itertuples()
                                                     if d.dimension_id in CHART_NAMES]
        if difference not in {value for _, value in differences}:
            raise UnknownNameError("difference", difference, [value for _, value in differences])
        self.menu_a = _menu(roles, role_a, "Compare", "rolelib-explorer-role")
        self.menu_b = _menu(roles, role_b, "with", "rolelib-explorer-role")
        self.difference = make_widget(widgets.ToggleButtons, "rolelib-explorer-choice", options=differences,
                                      value=difference, description="Difference:", style=_WIDE)
        super().__init__(course, "Compare two roles",
                         [make_widget(widgets.HBox, children=[self.menu_a, self.menu_b]), self.difference],
                         [self.menu_a, self.menu_b, self.difference])

    def _view(self) -> tuple[str, dict[str, Any], str, list[str], str]:
        a, b, difference = str(self.menu_a.value), str(self.menu_b.value), str(self.difference.value)
        roles = [a] if a == b else [a, b]
        choice = f"{' and '.join(roles)}, {self.difference.label}"
        if difference == "overview":
            text = "Choose one difference to read what the data says about each role, side by side."
            return "overview", {"roles": roles}, f"<p>{html.escape(text)}</p>", [text], choice
        table = self.course.compare(a, b, difference)  # one column when a and b are the same role
        head = "".join(f"<th>{html.escape(f'{r}: {self.course.role_title(r)}')}</th>" for r in roles)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
                       for row in table.itertuples(index=False))
        note = (f'<table class="rolelib-compare"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
                f"<p>{html.escape('Source: ' + self.course.citation())}</p>")
        lines = [" | ".join(roles)] + [" | ".join(str(cell) or "-" for cell in row)
                                        for row in table.itertuples(index=False)]
        return difference, {"roles": roles}, note, lines, choice


@renamed_keywords(dimension="difference")
@keyword_only("role_a", "role_b", "data")
def compare_roles(role_a: str | None = None, role_b: str | None = None, *, data: DataSource = None,
                  difference: str = "overview") -> Explorer:
    """Compare any two roles of the data across the five differences, or one difference at a time.

    By default the first two compared roles (CIO and CISO) and the overview of all five.

    >>> explorer = compare_roles("CIO", "CSO", difference="focus")
    >>> explorer.difference.value = "reporting"
    >>> explorer.note.value.count("<tr>")  # a header row and the CIO's two lines
    3
    """
    course = course_data(data)
    compared = course.compared_roles
    return _CompareExplorer(course, role_a or compared[0], role_b or compared[1], difference)
