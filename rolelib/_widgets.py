"""Showing a live widget next to its static versions, the same way on ipywidgets 7 and 8."""

from __future__ import annotations

from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widget_view(widget: Any) -> dict[str, Any]:
    """The mimebundle entry a front end turns into the live widget.

    Built by hand rather than taken from ``widget._repr_mimebundle_()``, which ipywidgets 7
    (the version Google Colab ships) does not have; the entry itself is the same in 7 and 8.
    """
    return {WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}}
