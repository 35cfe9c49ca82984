"""What exercises put in the page: no answer before a check, no bank or learner text as markup, no remote image."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from html.parser import HTMLParser

import pytest

import rolelib
from rolelib.exercises import Exercise, exercise, instructor_mode
from rolelib.questions import load_banks
from rolelib.testing import answer, check, hint
from tests.helpers import normalised_states, other_answer, widget_states

pytestmark = pytest.mark.usefixtures("learner_mode")

EVIL = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "He said \"hi\" & 'bye'"]


# --- answers stay out of the browser --------------------------------------------------------

def test_no_widget_state_depends_on_the_answer_before_check():
    data = rolelib.load()
    for question in load_banks().values():
        shown = Exercise(question, data=data)
        states = json.dumps(widget_states(shown.widget), default=str)
        secrets = [question.explanation, *question.hints, *question.feedback.values()]
        for secret in secrets:
            assert secret not in states, f"{question.id}: {secret[:40]!r} is in the widget state"
        if question.kind != "reflect":
            twin = Exercise(dataclasses.replace(question, answer=other_answer(question)), data=data)
            assert normalised_states(twin.widget) == normalised_states(shown.widget), question.id
            assert twin.static_html() == shown.static_html(), f"{question.id}: the static HTML shows the answer"
            assert twin.static_text() == shown.static_text(), f"{question.id}: the static text shows the answer"
    ex = exercise("focus-1")
    answer(ex, "Pushing technology innovation and helping the business grow")
    check(ex)
    assert "A CIO exists to move" in json.dumps(widget_states(ex.widget)), "after Check the explanation is shown"


def test_the_static_versions_carry_the_question_without_the_answer():
    for question in load_banks().values():
        ex = exercise(question.id)
        bundle = ex._repr_mimebundle_()
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
        for mime in ("text/plain", "text/html"):
            text = bundle[mime]
            assert "Run this notebook to answer this question interactively." in text
            assert f"Question {question.id}" in text
            assert question.explanation[:60] not in text and "rolelib-correct" not in text
            assert not re.search(r"0x[0-9a-f]{6,}|IPY_MODEL|[0-9a-f]{32}", text), "deterministic output only"
            for secret in [*question.hints, *question.feedback.values()]:
                assert secret not in text, question.id
        assert bundle == exercise(question.id)._repr_mimebundle_() | {
            "application/vnd.jupyter.widget-view+json": bundle["application/vnd.jupyter.widget-view+json"]}
    plain = exercise("focus-1")._repr_mimebundle_()["text/plain"]
    assert "  ( ) Pushing technology innovation and helping the business grow" in plain
    html = exercise("resp-4")._repr_mimebundle_()["text/html"]
    assert "Choices: CIO (Chief Information Officer) / CISO" in html and html.count("→ ____") == 6


def test_a_restored_answer_stays_out_of_the_static_versions():
    first = exercise("focus-1")
    answer(first, "Pushing technology innovation and helping the business grow")
    check(first)
    assert exercise("focus-1")._repr_mimebundle_()["text/html"] == first.static_html()
    assert "Correct" not in first.static_html()


# --- safety -------------------------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}


def _assert_inert(markup: str) -> None:
    parser = _Tags()
    parser.feed(markup)
    assert not parser.tags & {"script", "img", "iframe", "b"}, markup
    assert not {a for a in parser.attributes if a.startswith("on") or a == "src"}, markup


EVIL_BANK = """
lesson: 01_focus
questions:
  - id: evil-1
    kind: single
    topic: focus
    level: apply
    prompt: "Pick <script>alert(1)</script> or <img src=x onerror=alert(1)>, \\"quoted\\" and 'single'"
    options:
      - "<script>alert(1)</script>"
      - "<img src=x onerror=alert(1)>"
      - "He said \\"hi\\" & 'bye'"
    answer: "He said \\"hi\\" & 'bye'"
    feedback:
      "<script>alert(1)</script>": "<script>alert(2)</script>"
      "<img src=x onerror=alert(1)>": "<img src=y onerror=alert(3)>"
    hints: ["<script>alert(4)</script>"]
    explanation: "<img src=z onerror=alert(5)> and **bold**"
    source: article
  - id: evil-2
    kind: match
    topic: focus
    level: apply
    prompt: "<b onmouseover=alert(6)>Match</b>"
    pairs:
      "<b onmouseover=alert(6)>x</b>": CIO
      "y \\"quoted\\"": CISO
    choices: [CIO, CISO]
    feedback:
      "<b onmouseover=alert(6)>x</b>": "<script>alert(7)</script>"
      "y \\"quoted\\"": "<img src=q onerror=alert(8)>"
    hints: ["<img src=h onerror=alert(9)>"]
    explanation: "<script>alert(10)</script>"
    source: article
  - id: evil-3
    kind: reflect
    topic: focus
    level: apply
    prompt: "Write <script>alert(11)</script>"
    max_chars: 300
    explanation: "<img src=s onerror=alert(12)>"
    source: article
"""


def test_text_from_a_bank_and_from_a_learner_is_inert(data_copy):
    (data_copy / "questions" / "01_focus.yaml").write_text(EVIL_BANK, encoding="utf-8")
    instructor_mode(True)
    produced = []
    for question_id, wrong in (("evil-1", EVIL[0]), ("evil-2", {"<b onmouseover=alert(6)>x</b>": "CISO",
                                                                "y \"quoted\"": "CIO"}),
                               ("evil-3", EVIL[0] + EVIL[1] + EVIL[2])):
        ex = exercise(question_id, data=data_copy)
        produced += [ex.static_html(), ex.widget.children[0].value]
        answer(ex, wrong)
        if ex.hint_button is not None:
            hint(ex)
            produced.append(ex.hints_widget.value)
        text = check(ex)
        produced.append(ex.feedback_widget.value)
        if question_id == "evil-3":
            assert EVIL[0] + EVIL[1] + EVIL[2] in text, "the learner's text is shown as text"
            assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in ex.feedback_widget.value
        produced.append(ex.static_html())
        ex.reveal()
        produced.append(ex.feedback_widget.value)
        for box in ex.inputs:  # shown as HTML on ipywidgets 7 (always) and 8 (with the flag): escaped
            produced.append(box.description)
            if box.description:
                assert html.unescape(box.description) in {item.text for item in ex.question.items} | set(
                    ex.question.options) | {"Your answer"}
    for markup in produced:
        _assert_inert(markup)
    joined = "\n".join(produced)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in joined, joined
    assert "&lt;img src=q onerror=alert(8)&gt;" in joined
    assert "He said &quot;hi&quot; &amp; &#x27;bye&#x27;" in joined


# --- the static fallback survives an export -------------------------------------------------------

def test_an_exported_notebook_shows_the_question_and_not_the_answer(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("from rolelib.exercises import exercise\nexercise('focus-2')")]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = notebook.cells[0].outputs
    assert outputs[0]["output_type"] == "execute_result"
    question = load_banks()["focus-2"]
    with_state, _ = HTMLExporter().from_notebook_node(notebook)
    notebook.metadata.pop("widgets", None)  # as on GitHub or nbviewer: no widget state to render
    static, _ = HTMLExporter().from_notebook_node(notebook)
    assert "Run this notebook to answer this question interactively." in static
    assert "Which of these are at the core of a <strong>CISO" in static
    assert "☐ Reducing security risks" in static
    for page in (with_state, static):
        assert "primary mission" not in page  # only focus-2 was shown
        assert "core of a" in page
        for secret in [question.explanation[:50], *question.hints, *question.feedback.values()]:
            assert secret not in page


def test_markdown_images_come_from_the_course_only_a_remote_one_is_a_link(data_copy):
    bank = data_copy / "questions" / "01_focus.yaml"
    text = bank.read_text(encoding="utf-8")
    start = text.index("    prompt:")
    end = text.index("\n    ", start + 1)
    prompt = '"![the chart](images/chart.png) and ![a beacon](https://tracker.example/p.gif?u=1)"'
    bank.write_text(text[:start] + "    prompt: " + prompt + text[end:], encoding="utf-8")
    ex = exercise("focus-1", data=data_copy)
    for markup in (ex.widget.children[0].value, ex.static_html()):
        assert re.findall(r'<img[^>]*src="([^"]*)"', markup) == ["images/chart.png"], "nothing fetched from afar"
        assert '<a class="rolelib-remote-image" href="https://tracker.example/p.gif?u=1">' in markup
        assert "a beacon: https://tracker.example/p.gif?u=1</a>" in markup
