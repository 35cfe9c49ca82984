"""The instructor guide: objectives and prompts read from notebooks, misconceptions and answer keys from the banks."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from rolelib.exercises import answer_text, instructor_mode
from rolelib.instructor.guide import (
    NOT_WRITTEN,
    answer_keys,
    discussion_prompts,
    misconceptions,
    objectives,
    versions_seen,
)
from rolelib.lessons import LESSONS
from rolelib.questions import load_banks
from tests.helpers import REPO, variant_data

INSTRUCTOR = REPO / "notebooks" / "instructor"


def _notebook(path: Path, *cells: tuple[str, str]) -> None:
    """A small notebook: (cell type, source) pairs; sources given as lists of lines, as Jupyter saves them."""
    path.write_text(json.dumps({
        "cells": [{"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True),
                   **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                  for kind, source in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


FOCUS_TITLE = """# Difference 1: the focus of the position

*About 15 minutes.*

### You will learn

- what a **CIO** is there to achieve
- what a CISO is there to achieve,
  and why that is protection
- how the CSO's focus is wider

Let us start."""


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    _notebook(tmp_path / "01_focus.ipynb", ("markdown", FOCUS_TITLE), ("code", "import rolelib"),
              ("markdown", "## Discuss in class\n\nWhich goal would *you* put first?"),
              ("markdown", "## Discussion of the chart\n\nNot a prompt."),
              ("markdown", "## Discuss in class\n\nWho should own the risk register?\n\n- in a bank\n- in a start-up"))
    _notebook(tmp_path / "02_responsibilities.ipynb", ("markdown", "# Responsibilities\n\nNo list here."))
    (tmp_path / "03_education_and_experience.ipynb").write_text("{ not json", encoding="utf-8")
    return tmp_path


def test_objectives_are_the_bullets_under_you_will_learn(lessons):
    notes = objectives(lessons)
    assert notes.notes == {"01_focus": ["what a **CIO** is there to achieve",
                                        "what a CISO is there to achieve, and why that is protection",
                                        "how the CSO's focus is wider"]}
    assert notes.missing["00_start_here"] == NOT_WRITTEN
    assert notes.missing["02_responsibilities"] == 'no "You will learn" list found in the notebook'
    assert notes.missing["03_education_and_experience"].startswith("the notebook cannot be read")
    assert set(notes.notes) | set(notes.missing) == {item.slug for item in LESSONS}


def test_objectives_display_in_course_order_with_links_and_times(lessons):
    notes = objectives(lessons)
    text = notes.text().splitlines()
    assert text[1] == "00 Start here: three chiefs, three jobs (15 min): not written yet"
    assert text[2:4] == ["01 Difference 1: the focus of the position (15 min)",
                         "  - what a **CIO** is there to achieve"]
    page = notes._repr_html_()
    assert '<a href="../01_focus.ipynb">01 Difference 1: the focus of the position</a>' in page
    assert "<strong>CIO</strong>" in page
    assert page.index("00 Start here") < page.index("01 Difference 1") < page.index("06 Review")


def test_discussion_prompts_are_the_cells_headed_discuss_in_class(lessons):
    notes = discussion_prompts(lessons)
    assert notes.notes == {"01_focus": ["Which goal would *you* put first?",
                                        "Who should own the risk register?\n\n- in a bank\n- in a start-up"]}
    assert notes.missing["02_responsibilities"] == "no discussion prompt in this lesson yet"
    assert "    - in a bank" in notes.text()


def test_text_from_notebooks_is_escaped_in_html(tmp_path):
    _notebook(tmp_path / "01_focus.ipynb", ("markdown", "**You will learn**\n\n- <script>alert(1)</script> roles"))
    page = objectives(tmp_path)._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_misconceptions_hold_every_piece_of_feedback_of_the_banks():
    notes = misconceptions()
    banks = load_banks()
    for question in banks.values():
        for key, feedback in question.feedback.items():
            entry = next(note for note in notes.notes[question.lesson] if note.startswith(f"**{question.id}**:"))
            assert " ".join(feedback.split()) in entry
            assert key in entry or question.label(key) in entry
    lessons_with_feedback = {q.lesson for q in banks.values() if q.feedback}
    assert set(notes.notes) == lessons_with_feedback
    assert "Choosing \u201cSecuring the organisation's buildings, facilities and staff\u201d: Physical security" in \
        notes.text()


def test_answer_keys_are_for_instructors_only():
    with pytest.raises(PermissionError, match="instructor"):
        answer_keys()


def test_answer_keys_give_every_question_its_answer_and_explanation():
    instructor_mode(True)
    try:
        notes = answer_keys()
    finally:
        instructor_mode(None)
    for question in load_banks().values():
        (entry,) = [note for note in notes.notes[question.lesson] if note.startswith(f"**{question.id}** (")]
        expected = answer_text(question) or "not graded; the explanation is a sample answer"
        assert f"*Answer:* {expected}" in entry
        assert " ".join(question.explanation.split()) in entry


def _code_cells(name: str) -> list[str]:
    notebook = json.loads((INSTRUCTOR / name).read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


@pytest.mark.parametrize("name", ["guide.ipynb", "class_report.ipynb"])
def test_instructor_notebooks_are_thin(name):
    """Each code cell imports, or makes one call into rolelib (optionally keeping its result)."""
    for source in _code_cells(name):
        for statement in ast.parse(source).body:
            if isinstance(statement, ast.Import):
                assert all(alias.name.startswith("rolelib") for alias in statement.names), source
                continue
            assert isinstance(statement, (ast.Expr, ast.Assign)), source
            calls = [node for node in ast.walk(statement) if isinstance(node, ast.Call)]
            names = [ast.unparse(node.func) for node in calls]
            assert len(calls) <= 2, source
            assert all(n.startswith(("rolelib.", "report.", "print")) for n in names), source


@pytest.mark.parametrize("name", ["guide.ipynb", "class_report.ipynb"])
def test_instructor_notebook_outputs_name_no_machine_user_time_or_address(name):
    notebook = json.loads((INSTRUCTOR / name).read_text(encoding="utf-8"))
    counts = [cell["execution_count"] for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), "committed executed, in order"
    outputs = json.dumps([cell.get("outputs", []) for cell in notebook["cells"]])
    # A time of the made-up sample learners (March 2025: when they submitted in exam mode) is data, not this machine's.
    for pattern in (r"/(root|home|tmp|work|Users)/", r"0x[0-9a-f]{6,}", r"(?!2025-03-0\dT)\d{4}-\d\d-\d\dT\d\d:\d\d",
                    "Traceback"):
        assert not re.search(pattern, outputs), pattern


def test_guide_covers_every_section_and_the_validate_command():
    sources = "\n".join(_code_cells("guide.ipynb"))
    for call in ('course_map(base="..")', 'objectives("..")', 'discussion_prompts("..")', "misconceptions()",
                 "answer_keys()", "rolelib.validate()"):
        assert call in sources
    notebook = json.loads((INSTRUCTOR / "guide.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    assert "rolelib validate my_data" in text and "To add a role" in text and "To add a question" in text


def test_class_report_notebook_runs_on_the_made_up_sample():
    sources = "\n".join(_code_cells("class_report.ipynb"))
    assert 'class_report("sample_exports")' in sources
    notebook = json.loads((INSTRUCTOR / "class_report.ipynb").read_text(encoding="utf-8"))
    assert "made up" in "".join(notebook["cells"][0]["source"])


def test_the_answer_keys_give_each_level_and_a_reflection_its_sample_answer_and_rubric(data_copy):
    bank = data_copy / "questions" / "00_start_here.yaml"
    shipped = re.sub(r"    rubric:\n(      - .*\n)+", "", bank.read_text(encoding="utf-8"))
    bank.write_text(shipped.replace(
        "    max_chars: 800\n", "    max_chars: 800\n    rubric: [names each role's goal, says how they can clash]\n"),
        encoding="utf-8")
    instructor_mode(True)
    try:
        notes = answer_keys(data_copy)
    finally:
        instructor_mode(None)
    entry = next(note for note in notes.notes["00_start_here"] if note.startswith("**start-3**"))
    assert entry.startswith("**start-3** (reflect, analyse):")
    assert "*Sample answer:* A sample answer: the CIO" in entry
    assert "*A strong answer mentions:* names each role's goal; says how they can clash" in entry


def test_the_old_module_paths_work_for_one_release():
    import importlib
    import sys

    for old, new in (("rolelib.guide", "rolelib.instructor.guide"), ("rolelib.report", "rolelib.instructor.report"),
                     ("rolelib.navigation", "rolelib.instructor.navigation")):
        sys.modules.pop(old, None)
        with pytest.deprecated_call(match=new.replace(".", r"\.")):
            module = importlib.import_module(old)
        functions = [value for name, value in vars(module).items() if callable(value) and not name.startswith("_")
                     and name != "warnings"]
        assert len(functions) >= 3, old
        assert all(value.__module__.startswith("rolelib.instructor.") for value in functions), old
    from rolelib.report import class_report, make_sample_exports

    assert (class_report.__module__, make_sample_exports.__module__) == (
        "rolelib.instructor.report", "rolelib.instructor.samples")


def test_versions_seen_keeps_the_list_of_versions_whatever_the_accounts_are_called(tmp_path):
    table = versions_seen(["ann", "versions"], data=variant_data(tmp_path))
    assert list(table.columns) == ["versions", "ann", "versions"]
    assert table.iloc[:, 0]["v-single"] == "v-single, v-single-b, v-single-c"
    assert table.iloc[:, 2]["v-single"].startswith("v-single"), "the account's own version, not the list"
    assert table.iloc[:, 2]["v-single"] != table.iloc[:, 0]["v-single"]
