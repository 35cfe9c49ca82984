"""What the course shows, read back: the texts a page typesets, widget states, exercise widgets, chart artists."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser


class _TypesetTexts(HTMLParser):
    """The texts of a page outside every element that MathJax is told to leave alone."""

    _EMPTY = {"img", "br", "hr", "input", "meta", "link", "col", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # each open element, and whether it is left alone
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self._EMPTY:
            classes = set((dict(attrs).get("class") or "").split())
            self.open.append((tag, {"mathjax_ignore", "tex2jax_ignore"} <= classes or tag in {"style", "script"}))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(ignored for _, ignored in self.open):
            self.found.append(data)


def typeset_texts(page: str) -> list[str]:
    """The texts of an HTML output that the page's MathJax reads: JupyterLab, Notebook 7 and nbconvert typeset
    "$...$" in HTML outputs, except inside an element with the classes mathjax_ignore and tex2jax_ignore."""
    parser = _TypesetTexts()
    parser.feed(page)
    parser.close()
    return parser.found


def other_answer(question):
    """The same question with a different correct answer."""
    if question.kind == "single":
        return next(o for o in question.options if o != question.answer)
    if question.kind == "multiple":
        return tuple(o for o in question.options if o not in question.answer)[:1]
    return {key: tuple(o for o in question.options if o not in accepted)[:1] or accepted
            for key, accepted in question.answer.items()}


def live_widgets() -> dict:
    """Every live widget by model id (ipywidgets 8 keeps them in _instances, 7 in Widget.widgets)."""
    from ipywidgets.widgets import widget

    instances = getattr(widget, "_instances", None)
    return widget.Widget.widgets if instances is None else instances


def widget_states(root) -> list[dict]:
    """The state of a widget and of every widget it refers to, as the browser receives it."""
    found, todo, seen = [], [root.model_id], set()
    while todo:
        model_id = todo.pop()
        if model_id in seen:
            continue
        seen.add(model_id)
        state = live_widgets()[model_id].get_state()
        found.append(state)
        todo += re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(state, default=str))
    return found


def normalised_states(root) -> list[str]:
    """The widget states of :func:`widget_states` as sorted JSON, with the model ids left out."""
    return sorted(re.sub(r"IPY_MODEL_[0-9a-f]+", "IPY_MODEL", json.dumps(state, sort_keys=True, default=str))
                  for state in widget_states(root))


# -- exercises -------------------------------------------------------------------------------------

# The option of focus-1 that names the CSO's remit: a wrong answer there.
CSO_OPTION = "Securing the organisation's buildings, facilities and staff"


def char_counter(ex):
    """The character counter of a reflection exercise."""
    return next(child for child in ex.widget.children if "rolelib-counter" in child._dom_classes)


# -- charts ----------------------------------------------------------------------------------------

# The name of every chart the course draws.
CHARTS = ["focus", "responsibilities", "education", "certifications", "reporting", "overview"]


def by_gid(artists, prefix: str) -> dict:
    """The artists whose gid starts with ``prefix``, by gid."""
    return {a.get_gid(): a for a in artists if a.get_gid() and a.get_gid().startswith(prefix)}


def texts_of(fig, gid: str | None = None) -> list[str]:
    """The visible texts of a figure (only those with this gid, if given)."""
    from matplotlib.text import Text

    found = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    return [t.get_text() for t in found if gid is None or t.get_gid() == gid]


def draw_chart(name: str, data, **options):
    """The chart of that name drawn from the data."""
    from rolelib.charts import display

    return display.CHARTS[name](data=data, **options)


def bar_labels(figure) -> list[str]:
    """The labels left of the bars of a report chart, top to bottom."""
    (axes,) = figure.axes
    labels = sorted((text.get_position()[1], text.get_text()) for text in axes.texts if text.get_gid() == "bar label")
    return [label for _, label in labels]
