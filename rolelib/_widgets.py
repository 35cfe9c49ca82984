"""Live widgets shown the same way on ipywidgets 7 and 8, and made with as few widget models as they need.

Course text is text on both: ipywidgets 7 (the version Google Colab ships) puts a widget's
``description`` into the page as HTML, and 8 does so when ``description_allow_html`` is set.
So every description made from a bank or the data goes through :func:`text_description`:
escaped, and marked as HTML where ipywidgets knows the flag. Option labels are text on both
versions (the front ends set them with textContent or escape them), and so are tooltips
(attributes).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from rolelib._markup import displayable

if TYPE_CHECKING:
    import ipywidgets

    W = TypeVar("W", bound=ipywidgets.DOMWidget)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widget_view(widget: Any) -> dict[str, Any]:
    """The mimebundle entry a front end turns into the live widget.

    Built by hand rather than taken from ``widget._repr_mimebundle_()``, which ipywidgets 7
    (the version Google Colab ships) does not have; the entry itself is the same in 7 and 8.
    """
    return {WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}}


def text_description(kind: type, text: str) -> dict[str, Any]:
    """The traits that show ``text`` (course text, never markup) as the description of a ``kind`` widget.

    >>> import ipywidgets
    >>> text_description(ipywidgets.Checkbox, "<img src=x onerror=alert(1)> & more")["description"]
    '&lt;img src=x onerror=alert(1)&gt; &amp; more'
    """
    # Quotes stay as they are: they are harmless between tags, and ipywidgets 7 also shows the
    # description as a tooltip, where an escaped apostrophe would be read as "&#x27;".
    traits: dict[str, Any] = {"description": html.escape(displayable(text), quote=False)}
    if "description_allow_html" in kind.class_traits():  # ipywidgets 8
        traits["description_allow_html"] = True
    return traits


_SHARED: dict[tuple[Any, ...], Any] = {}


def make_widget(kind: type[W], *css: str, layout: Mapping[str, str] | None = None,
                style: Mapping[str, str] | None = None, **traits: Any) -> W:
    """A new ``kind`` widget with these CSS classes, and the layout and style it shares with others.

    Every widget model costs a message to the front end when it is made, and each Layout and
    each style is a model of its own: made one per widget, they were half of an exercise's
    models. Widgets with the same layout (and of the same style class, with the same style)
    share one, across every display of this kernel. The classes go in with the first message
    (``add_class`` afterwards sends another).

    >>> import ipywidgets
    >>> a = make_widget(ipywidgets.Button, "my-class", layout={"width": "auto"})
    >>> b = make_widget(ipywidgets.Button, layout={"width": "auto"})
    >>> a.layout is b.layout and a.style is b.style, a._dom_classes
    (True, ('my-class',))
    """
    style_trait = kind.class_traits().get("style")
    if style_trait is not None:  # its class differs between widgets and between ipywidgets 7 and 8
        traits["style"] = _shared(style_trait.klass, style or {})
    return kind(layout=shared_layout(**(layout or {})), _dom_classes=css, **traits)


def shared_layout(**traits: str) -> ipywidgets.Layout:
    """The Layout with these traits that widgets share."""
    import ipywidgets

    return _shared(ipywidgets.Layout, traits)


def _shared(kind: type, traits: Mapping[str, str]) -> Any:
    key = (kind, tuple(sorted(traits.items())))
    made = _SHARED.get(key)
    if made is None or made.comm is None:  # never made, or closed since (Widget.close_all)
        made = _SHARED[key] = kind(**traits)
    return made
