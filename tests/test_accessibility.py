"""What a learner with a keyboard alone or a screen reader meets: labelled inputs, and how to answer told."""

from __future__ import annotations

import html

import ipywidgets
import pytest

import rolelib
from rolelib.exercises import exercise
from rolelib.questions import load_banks

# Inputs a screen reader names by their description (a label tied to the input); a radio button and a
# toggle button are named by their own option text.
_NAMED_BY_DESCRIPTION = (ipywidgets.Checkbox, ipywidgets.Dropdown, ipywidgets.Text, ipywidgets.Textarea)


def _inputs(widget: ipywidgets.Widget) -> list[ipywidgets.Widget]:
    children = getattr(widget, "children", ())
    return [widget, *(found for child in children for found in _inputs(child))]


@pytest.mark.parametrize("shown", ["exercises", "export panel", "explorers"])
def test_every_input_has_a_label_a_screen_reader_reads(shown):
    widgets = {"exercises": lambda: [exercise(q.id).widget for q in load_banks().values()],
               "export panel": lambda: [rolelib.export_widget().widget],
               "explorers": lambda: [rolelib.reporting_explorer().widget, rolelib.responsibilities_explorer().widget,
                                     rolelib.compare_roles().widget]}[shown]()
    inputs = [w for top in widgets for w in _inputs(top) if isinstance(w, _NAMED_BY_DESCRIPTION)]
    assert inputs
    for box in inputs:
        assert html.unescape(box.description).strip(), f"an unlabelled {type(box).__name__} in the {shown}"


def test_an_exercise_answered_in_lists_or_radio_buttons_says_how_to_use_them_with_a_keyboard():
    """JupyterLab and Notebook 7 take the arrow keys and letters pressed on a closed list or a radio button for
    their own shortcuts (the next cell; D D deletes the cell). Space opens a list, where the arrows and Enter work;
    Tab goes from radio button to radio button (ipywidgets groups them not), and Space chooses."""
    told = {ipywidgets.Dropdown: ("Space opens a list", "Enter chooses"),
            ipywidgets.RadioButtons: ("Tab moves from option to option", "Space chooses")}
    found = dict.fromkeys(told, 0)
    for question in load_banks().values():
        ex = exercise(question.id)
        for kind, words in told.items():
            if not any(isinstance(control, kind) for control in ex.inputs):
                continue
            found[kind] += 1
            header = html.unescape(ex.widget.children[0].value)
            for shown in (header, ex.static_text(), html.unescape(ex.static_html())):
                assert all(word in shown for word in words), (question.id, shown)
    assert min(found.values()) >= 3, found
