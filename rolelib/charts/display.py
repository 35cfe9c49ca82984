"""Charts as notebook outputs: rendered to PNG once, shown with their alt text, kept by content.

What a notebook keeps of a chart: one output with ``text/html`` (a ``<figure>`` whose ``<img>``
holds the PNG inline, with the alt text as its ``alt`` and as a visible ``<figcaption>``), the
same PNG as ``image/png``, and the alt text as ``text/plain``. The HTML carries the image because
JupyterLab, nbconvert and GitHub show ``text/html`` in preference to ``image/png``: a caption-only
HTML would hide the chart. The PNG is rendered at a fixed dpi without the "Software" metadata,
so the same chart gives the same bytes on every run and nbval, which compares ``text/html``,
sees no change.
"""

from __future__ import annotations

import base64
import html
import inspect
import io
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from rolelib._errors import UnknownNameError
from rolelib._markup import NO_MATH
from rolelib.charts.bars import score_chart
from rolelib.charts.matrix import certifications_chart, education_chart, focus_chart, responsibilities_chart
from rolelib.charts.organisation import reporting_chart
from rolelib.charts.overview import overview_chart
from rolelib.charts.style import DPI, STYLE
from rolelib.data import course_data


@dataclass(frozen=True, repr=False)
class RenderedChart:
    """A rendered chart: PNG bytes and the alt text, displayable as one notebook output."""

    png: bytes
    alt: str

    def html(self) -> str:
        """A <figure> with the PNG inline, its alt text, and the same text as a visible caption."""
        alt = html.escape(self.alt, quote=True)
        source = base64.b64encode(self.png).decode("ascii")
        return (f'<figure class="rolelib-chart {NO_MATH}" style="margin:0">'
                f'<img src="data:image/png;base64,{source}" alt="{alt}" style="max-width:100%;height:auto">'
                f"<figcaption>{alt}</figcaption></figure>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html(), "image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": self.alt}

    def __repr__(self) -> str:
        return self.alt


def render(fig: Figure) -> RenderedChart:
    """Render a figure to PNG (same bytes on every run) and close it."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white",
                    pil_kwargs={"compress_level": 3})
    image = RenderedChart(buffer.getvalue(), str(getattr(fig, "alt_text", "")))
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:  # a figure made with pyplot is registered there until closed
        pyplot.close(fig)
    return image


CHARTS: dict[str, Callable[..., Figure]] = {
    "focus": focus_chart,
    "responsibilities": responsibilities_chart,
    "education": education_chart,
    "certifications": certifications_chart,
    "reporting": reporting_chart,
    "overview": overview_chart,
    "score": score_chart,
}
#: The names of the charts :func:`show` and :func:`rendered` draw.
CHART_NAMES: tuple[str, ...] = tuple(CHARTS)

_KEPT: OrderedDict[tuple, RenderedChart] = OrderedDict()
_KEPT_LOCK = threading.Lock()
KEEP = 24  # rendered charts kept: about 2 MB of PNG


def rendered(name: str, /, **options: Any) -> RenderedChart:
    """A chart drawn by name and rendered to PNG, kept for the same data content and options.

    The same chart asked for again is not drawn again: a lesson's chart and an explorer that
    opens on the same view, an explorer switched back to an earlier choice, the score panels of
    a notebook after an answer. The key is what the chart is drawn from (the data's content, the
    options, the learner's summary for the score), never an object's identity: data edited in
    place since, or another learner's progress, is drawn anew.

    >>> rendered("reporting", ciso_reports_to="CTO") is rendered("reporting", ciso_reports_to="CTO")
    True
    """
    function = chart_function(name)
    arguments = inspect.signature(function).bind(**options)
    arguments.apply_defaults()
    chosen = dict(arguments.arguments)
    data = course_data(chosen.pop("data"))
    if name == "score" and chosen["summary"] is None:
        from rolelib.progress import progress_summary

        chosen["summary"] = progress_summary(by="topic", data=data)
    key = (name, data.fingerprint(), tuple((option, _content(value)) for option, value in chosen.items()))
    with _KEPT_LOCK:
        kept = _KEPT.get(key)
        if kept is not None:
            _KEPT.move_to_end(key)
            return kept
    image = render(function(data=data, **chosen))
    with _KEPT_LOCK:
        _KEPT[key] = image
        while len(_KEPT) > KEEP:
            _KEPT.popitem(last=False)
    return image


def _content(value: Any) -> Any:
    """An option as a key of what it holds: a list as a tuple, a table as its text."""
    if isinstance(value, (list, tuple)):
        return tuple(_content(item) for item in value)
    if hasattr(value, "to_csv"):
        return value.to_csv()
    return value


def chart_function(name: str) -> Callable[..., Figure]:
    """The function that draws the chart of this name; an unknown name lists the charts."""
    if name not in CHARTS:
        raise UnknownNameError("chart", name, CHARTS)
    return CHARTS[name]


def show(chart: Figure | str, /, **options: Any) -> RenderedChart:
    """The chart as one notebook output (PNG, alt text, caption): the cell shows it as its value.

    ``chart`` is a figure (rendered, then closed), or the name of a chart to draw: focus,
    responsibilities, education, certifications, reporting, overview or score; ``options`` go to
    that chart function (for example ``data=``, ``roles=`` or ``ciso_reports_to=``). Like every
    ``show_*`` of the course, it displays nothing itself: put it last in a cell, or pass it to
    ``display()``. Outside a notebook its text is the alt text.

    >>> show("reporting", ciso_reports_to="CEO")  # doctest: +ELLIPSIS
    Organisation chart of CEO, COO, CTO, CIO and CISO. ... Highlighted: CISO reports to CEO.
    """
    if isinstance(chart, str):
        return rendered(chart, **options)
    if options:
        raise TypeError("options are only for a chart given by name, "
                        "for example show('reporting', ciso_reports_to='CTO')")
    return render(chart)
