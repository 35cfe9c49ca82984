"""Charts of the five differences between the roles, drawn from the course data.

Every chart function takes the data as ``data=`` (a CourseData, a data folder, or nothing for
the course's own), counts or reads everything it shows from it, and returns a
:class:`matplotlib.figure.Figure` with an ``alt_text`` attribute: a short description naming the
roles shown and the main message. A role added to a copy of data/ appears in every chart
without code changes.

:func:`show` returns a chart as one notebook output (a PNG with its alt text and a visible
caption); ``show("focus")`` draws and renders in one call, and a cell that ends with it shows it.

Figures are built on :class:`matplotlib.figure.Figure` directly, never through pyplot, and
the course style is applied with :func:`matplotlib.rc_context`, so a learner's own
matplotlib settings are left alone.

Where things live: ``style`` (palette, role styles, matplotlib settings), ``layout`` (sheets,
legends, text sizes), ``selection`` (the roles and rows a chart shows), one module per family of
chart (``matrix``: focus, responsibilities, education, certifications; ``organisation``: the
reporting chart; ``overview``; ``bars``: the score and the class report's percent bars), and
``display`` (render, RenderedChart, rendered, show).

>>> fig = focus_chart()
>>> fig.alt_text.split(".")[0]
'Focus of the position, side by side for CIO, CISO and CSO'
"""

from __future__ import annotations

from rolelib.charts.bars import answer_spread, percent_bars, score_chart
from rolelib.charts.display import CHART_NAMES, RenderedChart, render, rendered, show
from rolelib.charts.layout import text_size
from rolelib.charts.matrix import certifications_chart, education_chart, focus_chart, responsibilities_chart
from rolelib.charts.organisation import reporting_chart
from rolelib.charts.overview import overview_chart
from rolelib.charts.style import ROLE_COLOURS, STYLE, RoleStyle, role_style

__all__ = [
    "ROLE_COLOURS",
    "STYLE",
    "RoleStyle",
    "role_style",
    "focus_chart",
    "responsibilities_chart",
    "education_chart",
    "certifications_chart",
    "reporting_chart",
    "overview_chart",
    "score_chart",
    "percent_bars",
    "answer_spread",
    "text_size",
    "CHART_NAMES",
    "RenderedChart",
    "render",
    "rendered",
    "show",
]
