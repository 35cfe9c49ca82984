"""Write a widget page of every exercise kind and every explorer, with a payload in every text field.

Usage: python escape_page.py OUT.html WORK_DIR

Run with the Python of the environment under test (ipywidgets 8 in .venv, 7.7.1 in .venv-oldest):
it copies the course data into WORK_DIR, puts :data:`PAYLOAD` into every text the learner sees
(role ids and titles, statements, terms, difference titles, notes, and every field of a bank
with each kind of question), answers each question wrongly and opens its hints, so that the
feedback shows too, and saves the widgets with ``ipywidgets.embed.embed_minimal_html``: the
page the widgets' HTML manager renders without a kernel. tests/browser/test_escaping.py opens
it in Chromium. Also importable: :data:`PAYLOAD` and :data:`MARKER` say what to look for.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from pathlib import Path

PAYLOAD = "<img src=x onerror=window.__pwned=1><b class=pwned>B</b>"
"""Markup that runs (and leaves elements behind) wherever course text is put into a page as HTML."""
MARKER = "onerror=window.__pwned=1"
"""A part of the payload that shows on the page only where it is shown as text."""

ROLE = f"X{PAYLOAD}"  # a role whose id is the payload
BANK = f"""
lesson: 01_focus
questions:
  - id: p-single
    kind: single
    topic: focus
    level: apply
    prompt: "Single {PAYLOAD}"
    options: ["A {PAYLOAD}", "B {PAYLOAD}"]
    answer: "A {PAYLOAD}"
    feedback: {{"B {PAYLOAD}": "Feedback {PAYLOAD}"}}
    hints: ["Hint {PAYLOAD}"]
    explanation: "Explanation {PAYLOAD}"
    source: article
  - id: p-multiple
    kind: multiple
    topic: focus
    level: apply
    prompt: "Multiple {PAYLOAD}"
    options: ["A {PAYLOAD}", "B {PAYLOAD}", "C {PAYLOAD}"]
    answer: ["A {PAYLOAD}"]
    feedback: {{"B {PAYLOAD}": "Feedback {PAYLOAD}"}}
    hints: ["Hint {PAYLOAD}"]
    explanation: "Explanation {PAYLOAD}"
    source: article
  - id: p-classify
    kind: classify
    topic: focus
    level: apply
    prompt: "Classify {PAYLOAD}"
    roles: [CIO, CISO]
    count: 4
    seed: 1
    feedback: {{CIO: "Feedback {PAYLOAD}"}}
    hints: ["Hint {PAYLOAD}"]
    explanation: "Explanation {PAYLOAD}"
    source: article
  - id: p-match-roles
    kind: match
    topic: focus
    level: apply
    prompt: "Match {PAYLOAD}"
    pairs: {{"Left {PAYLOAD}": CIO, "Right {PAYLOAD}": CISO}}
    choices: [CIO, CISO]
    feedback: {{"Left {PAYLOAD}": "Feedback {PAYLOAD}"}}
    hints: ["Hint {PAYLOAD}"]
    explanation: "Explanation {PAYLOAD}"
    source: article
  - id: p-match-text
    kind: match
    topic: focus
    level: apply
    prompt: "Match text {PAYLOAD}"
    pairs: {{"Left {PAYLOAD}": "One {PAYLOAD}", "Right {PAYLOAD}": "Two {PAYLOAD}"}}
    choices: ["One {PAYLOAD}", "Two {PAYLOAD}"]
    choices_are: text
    hints: ["Hint {PAYLOAD}"]
    explanation: "Explanation {PAYLOAD}"
    source: article
  - id: p-reflect
    kind: reflect
    topic: focus
    level: apply
    prompt: "Reflect {PAYLOAD}"
    rubric: ["Rubric {PAYLOAD}"]
    hints: ["Hint {PAYLOAD}"]
    explanation: "Explanation {PAYLOAD}"
    source: article
"""


def _edit(path: Path, change) -> None:
    """Rewrite a CSV file of the copy, row by row (``change(header, row)`` returns the row)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    body = [change(header, row) for row in body]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body])


def _append(path: Path, *rows: list[str]) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def payload_data(source: Path, target: Path) -> Path:
    """A copy of the course data with the payload in every text the learner sees."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)

    def texts(*columns: str):
        def change(header: list[str], row: list[str]) -> list[str]:
            for column in columns:
                index = header.index(column)
                row[index] = f"{row[index]} {PAYLOAD}"
            return row
        return change

    _edit(target / "roles.csv", texts("title", "definition"))
    _edit(target / "responsibilities.csv", texts("statement"))
    _edit(target / "dimensions.csv", texts("title"))
    _edit(target / "notes.csv", texts("statement"))
    _edit(target / "reporting_lines.csv", texts("statement"))
    _edit(target / "focus.csv", texts("statement"))
    _append(target / "vocabulary.csv", ["area", f"area {PAYLOAD}", "An area named with markup."])
    _append(target / "roles.csv", [ROLE, f"Title {PAYLOAD}", "executive", f"Definition {PAYLOAD}", "article"])
    _append(target / "responsibilities.csv", ["R-CIO-99", "CIO", f"area {PAYLOAD}", f"Statement {PAYLOAD}", "article"])
    _append(target / "reporting_lines.csv",
            ["L-X-CEO", ROLE, "CEO", "typical", f"Line {PAYLOAD}", "article"],
            ["L-CISO-X", "CISO", ROLE, "possible", f"Line {PAYLOAD}", "article"])
    (target / "questions" / "01_focus.yaml").write_text(BANK, encoding="utf-8")
    return target


WRONG = {"p-single": f"B {PAYLOAD}", "p-multiple": [f"B {PAYLOAD}"],
         "p-match-text": {f"Left {PAYLOAD}": f"Two {PAYLOAD}", f"Right {PAYLOAD}": f"One {PAYLOAD}"},
         "p-match-roles": {f"Left {PAYLOAD}": "CISO", f"Right {PAYLOAD}": "CIO"}, "p-reflect": f"Mine {PAYLOAD}"}


def main(out: Path, work: Path) -> None:
    os.environ["ROLELIB_PROGRESS"] = ":memory:"
    from ipywidgets.embed import embed_minimal_html

    import rolelib
    from rolelib import explorers
    from rolelib.exercises import exercise

    repo = Path(__file__).resolve().parent.parent.parent
    data = rolelib.load(payload_data(repo / "data", work / "payload_data"))
    views = []
    for question_id in ("p-single", "p-multiple", "p-classify", "p-match-roles", "p-match-text", "p-reflect"):
        ex = exercise(question_id, data=data)
        if question_id == "p-classify":
            ex.value = {item.key: "CISO" for item in ex.question.items}
        else:
            ex.value = WRONG[question_id]
        ex.hint()
        ex.check()
        views.append(ex.widget)
    views.append(exercise("p-multiple", data=data).widget)  # and one not answered yet
    views += [explorers.reporting_explorer("CISO", data=data, reports_to=ROLE).widget,
              explorers.reporting_explorer(ROLE, data=data).widget,
              explorers.responsibilities_explorer(data=data).widget,
              explorers.compare_roles("CIO", ROLE, data=data, difference="focus").widget]
    # requirejs=False: the page needs one script, the HTML manager (embed.js), and no AMD loader.
    embed_minimal_html(str(out), views=views, title="Course text is text", requirejs=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
