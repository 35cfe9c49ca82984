"""Course text with dollar signs stays text: JupyterLab, Notebook 7 and nbconvert's HTML run MathJax over
HTML outputs, where "a $2M budget and $500k" would be set as a formula (and a learner's name such as
"$\\color{red}{\\text{...}}$" would draw whatever it likes in the instructor's tables)."""

from __future__ import annotations

import json

import pytest

import rolelib
from rolelib.charts import rendered
from rolelib.course import compare_table, facts_table, glossary
from rolelib.explorers import compare_roles
from rolelib.instructor.guide import misconceptions
from tests.helpers import NOTEBOOKS, typeset_texts

BUDGET = "with a $2M budget and $500k of tools"


@pytest.fixture
def dollar_data(data_copy):
    """A data copy whose texts (a difference, a statement, a role title, a glossary entry, a question) mention money."""
    for name, old in (("dimensions.csv", "Focus of the position,"), ("focus.csv", "to drive innovation with technology."),
                      ("roles.csv", "Chief Information Officer,"),
                      ("glossary.csv", "who should not have it."),
                      ("questions/01_focus.yaml", "What is a **CIO's** primary mission?")):
        path = data_copy / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, f"{old.rstrip(',.?')} {BUDGET}{old[-1] if old[-1] in ',.?' else ''}", 1),
                        encoding="utf-8")
    return rolelib.load(data_copy)


OUTPUTS = {
    "facts table": lambda data: facts_table("focus", data=data)._repr_html_(),
    "comparison table": lambda data: compare_table("CIO", "CISO", "focus", data=data)._repr_html_(),
    "glossary": lambda data: glossary(data=data)._repr_html_(),
    "chart with its caption": lambda data: rendered("focus", data=data).html(),
    "explorer without widgets": lambda data: compare_roles("CIO", "CISO", data=data,
                                                           difference="focus")._repr_mimebundle_()["text/html"],
    "exercise without widgets": lambda data: rolelib.exercise("focus-1", data=data)._repr_mimebundle_()["text/html"],
    "quiz without widgets": lambda data: rolelib.quiz("01_focus", data=data)._repr_mimebundle_()["text/html"],
    "misconceptions": lambda data: misconceptions(data)._repr_html_(),
}


@pytest.mark.parametrize("output", OUTPUTS, ids=list(OUTPUTS))
def test_dollar_signs_in_course_text_are_never_typeset_as_math(dollar_data, output):
    page = OUTPUTS[output](dollar_data)
    assert "$2M" in page
    assert [text for text in typeset_texts(page) if "$" in text] == []


def test_the_class_reports_tables_show_a_learners_dollar_signs_as_typed(tmp_path):
    from rolelib.instructor.samples import make_sample_exports

    name = "Mal $\\color{red}{\\text{top}}$"
    for path in make_sample_exports(tmp_path, learners=1, problems=False):
        export = json.loads(path.read_text(encoding="utf-8"))
        export["learner"] = name
        for attempt in export["attempts"][:1]:
            attempt["question_id"] = f"x-{name}"  # listed under needs_a_look
        path.write_text(json.dumps(export), encoding="utf-8")
    report = rolelib.class_report(tmp_path)
    tables = {"learners": report.learners, "gradebook": report.gradebook, "needs_a_look": report.needs_a_look,
              "a slice, as the guide shows it": report.learners[["learner", "percent"]]}
    for label, table in tables.items():
        page = table._repr_html_()
        assert "{top}" in page, label
        assert [text for text in typeset_texts(page) if "$" in text] == [], label
    for table in (report.per_question, report.distractors.head(8), report.mastery, report.skipped):
        assert typeset_texts(table._repr_html_()) == []


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.rglob("*.ipynb")), ids=lambda path: path.name)
def test_no_html_output_of_a_notebook_reaches_the_pages_math_typesetting(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html")
            if page is not None:
                page = "".join(page)
                assert typeset_texts(page) == [], f"{path.name}: {''.join(cell['source'])[:60]!r}"
