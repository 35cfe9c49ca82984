"""Live widgets shown the same way on ipywidgets 7 and 8, and made with as few widget models as they need."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

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


class SharedParts:
    """Makes the widgets of one display, with one Layout and one style shared by those that look alike.

    Every widget model costs a message to the front end when it is made, and each Layout and
    each style is a model of its own: made one per widget, they were half of an exercise's
    models or more. Use one SharedParts per display (an exercise, an explorer, a panel) and
    never share wider, so that closing one display's widgets cannot break another's.

    >>> import ipywidgets
    >>> parts = SharedParts()
    >>> a = parts.make(ipywidgets.Button, "my-class", layout={"width": "auto"})
    >>> b = parts.make(ipywidgets.Button, layout={"width": "auto"})
    >>> a.layout is b.layout and a.style is b.style, a._dom_classes
    (True, ('my-class',))
    """

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], Any] = {}

    def make(self, kind: type[W], *css: str, layout: Mapping[str, str] | None = None,
             style: Mapping[str, str] | None = None, **traits: Any) -> W:
        """A new ``kind`` widget with these CSS classes, a shared layout and, if it has one, a shared style.

        The classes go in with the rest of the first message: ``add_class`` afterwards sends another.
        """
        style_trait = kind.class_traits().get("style")
        if style_trait is not None:  # its class differs between widgets and between ipywidgets 7 and 8
            traits["style"] = self._shared(style_trait.klass, style or {})
        return kind(layout=self.layout(**(layout or {})), _dom_classes=css, **traits)

    def layout(self, **traits: str) -> ipywidgets.Layout:
        """The Layout with these traits that this display's widgets share."""
        import ipywidgets

        return self._shared(ipywidgets.Layout, traits)

    def _shared(self, kind: type, traits: Mapping[str, str]) -> Any:
        key = (kind, tuple(sorted(traits.items())))
        if key not in self._made:
            self._made[key] = kind(**traits)
        return self._made[key]
