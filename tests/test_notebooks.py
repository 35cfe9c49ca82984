"""The lesson notebooks: structure, links, exercise ids, thinness, and committed outputs."""

from __future__ import annotations

import ast
import json
import re

import pytest

import rolelib
from rolelib.lessons import LESSONS
from rolelib.instructor.navigation import update_notebooks
from rolelib.questions import load_banks
from tests.helpers import REPO, lesson_notebook, rolelib_calls

NOTEBOOKS = REPO / "notebooks"
MACHINE = re.compile(r"(/root\b|/home/|/tmp/|/work/|/Users/|site-packages|[A-Z]:\\\\|Traceback \(most recent)")


_notebook = lesson_notebook


def _source(cell: dict) -> str:
    return "".join(cell["source"])


_calls = rolelib_calls


def _markdown(notebook: dict) -> str:
    return "\n".join(_source(c) for c in notebook["cells"] if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def banks():
    return load_banks()


@pytest.mark.parametrize("item", LESSONS, ids=[item.slug for item in LESSONS])
def test_lesson_has_every_part(item, banks):
    notebook = _notebook(item.slug)
    cells = notebook["cells"]
    first = _source(cells[0])
    assert first.startswith("# "), "the first cell is the title"
    assert f"*About {item.minutes} minutes.*" in first, "the estimated time matches the course map"
    objectives = re.search(r"## You will learn\n\n((?:- .+\n?(?:  .+\n?)*)+)", first)
    assert objectives, "a 'You will learn' list"
    assert 3 <= len(re.findall(r"^- ", objectives.group(1), flags=re.MULTILINE)) <= 5
    headings = [_source(c).splitlines()[0] for c in cells if c["cell_type"] == "markdown" and _source(c)]
    assert "## Discuss in class" in headings
    assert "## Key points" in headings
    generated = [c["metadata"].get("rolelib", {}).get("generated") for c in cells]
    assert generated.count("navigation") == 2 and generated.count("source") == 1
    exercises = _calls(notebook, "exercise")
    assert len(exercises) >= 2
    kinds = {banks[qid].kind for qid in exercises}
    assert len(kinds) >= 2, f"exercises of at least two kinds, found {kinds}"
    if item.topic != "roles":
        score = any("show_score(" in _source(c) for c in notebook["cells"] if c["cell_type"] == "code")
        assert _calls(notebook, "show_chart") or score, (
            "at least one chart: of the lesson's difference, or the learner's score")
    # Exercises are spread through the lesson: the first comes before the last explanatory section.
    positions = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "exercise(" in _source(c)]
    sections = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and _source(c).startswith("## ")
                and not _source(c).startswith(("## Discuss", "## Key points"))]
    assert positions[0] < sections[-1], "exercises are spread through the lesson, not piled at the end"


def test_every_exercise_exists_and_every_question_is_used(banks):
    used = [qid for item in LESSONS for qid in _calls(_notebook(item.slug), "exercise")]
    assert len(used) == len(set(used)), "each question appears in one place"
    assert set(used) <= set(banks), f"unknown ids: {sorted(set(used) - set(banks))}"
    assert set(banks) <= set(used), f"questions no notebook uses: {sorted(set(banks) - set(used))}"
    for item in LESSONS:
        for qid in _calls(_notebook(item.slug), "exercise"):
            assert banks[qid].lesson == item.slug, f"{qid} is shown in {item.slug} but banked for {banks[qid].lesson}"


def test_every_link_between_notebooks_resolves():
    for item in LESSONS:
        text = _markdown(_notebook(item.slug))
        for target in re.findall(r"\]\(([^)]+\.ipynb)(#[^)]*)?\)", text):
            path, anchor = target
            assert (NOTEBOOKS / path).exists(), f"{item.slug} links to missing {path}"
            if anchor:
                heading = anchor[1:].replace("-", " ")
                assert f"## {heading}" in _markdown(json.loads((NOTEBOOKS / path).read_text(encoding="utf-8")))


_VAGUE_LINK_TEXTS = {"here", "click here", "this", "link", "this link", "more", "read more"}


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.rglob("*.ipynb")), ids=lambda p: p.stem)
def test_headings_and_links_can_be_navigated_by_a_screen_reader(path):
    """One H1, no skipped heading level (H1 then H3), and links whose text says where they go."""
    text = _markdown(json.loads(path.read_text(encoding="utf-8")))
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)  # a "#" in code is no heading
    levels = [len(marks) for marks in re.findall(r"^(#{1,6}) ", text, flags=re.MULTILINE)]
    assert levels.count(1) == 1 and levels[0] == 1, f"one title (H1) first, found levels {levels}"
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"a heading level is skipped (H{before} then H{after}): {levels}"
    for link_text in re.findall(r"\[([^\]]*)\]\(", text):
        assert link_text.strip().casefold() not in _VAGUE_LINK_TEXTS, f"link text {link_text!r} says not where it goes"


def test_generated_cells_are_up_to_date():
    assert update_notebooks(NOTEBOOKS, check=True) == [], "run `rolelib navigation` to regenerate them"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.rglob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_are_committed_executed_and_clean(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    counts = [c.get("execution_count") for c in notebook["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), "run `make notebooks` (or Restart & Run All) and save"
    # Stored widget views could not be shown before the cell runs again; their static versions can.
    assert "widgets" not in notebook["metadata"], "run `make notebooks`: it drops the stored widget state"
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", _source(cell)
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), _source(cell)
            assert not MACHINE.search(json.dumps(output)), f"an output names this machine: {_source(cell)}"


@pytest.mark.parametrize("item", LESSONS, ids=[item.slug for item in LESSONS])
def test_notebooks_stay_thin(item):
    """Code cells only call rolelib: one call per chart or exercise, no logic of their own."""
    for cell in _notebook(item.slug)["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(_source(cell))
        for statement in tree.body:
            assert isinstance(statement, (ast.Import, ast.Expr, ast.Assign)), _source(cell)
            if isinstance(statement, (ast.Expr, ast.Assign)):
                call = statement.value
                assert isinstance(call, ast.Call), _source(cell)
                assert ast.unparse(call.func).startswith("rolelib."), _source(cell)


@pytest.mark.parametrize("item", LESSONS, ids=[item.slug for item in LESSONS])
def test_lesson_prose_is_our_own(item, copied_from_article):
    for cell in _notebook(item.slug)["cells"]:
        if cell["cell_type"] == "markdown":
            copied = copied_from_article(_source(cell))
            assert not copied, f"{item.slug} copies the article: {sorted(copied)[:3]}"


def test_the_series_teaches_every_fact_of_the_data():
    """Every role, certification, degree field, goal and reporting line is named in some lesson."""
    text = " ".join(" ".join(_markdown(_notebook(item.slug)) for item in LESSONS).lower().split())
    data = rolelib.load()
    for value in (list(data.roles["title"]) + list(data.certifications["certification_id"])
                  + list(data.certifications["name"]) + list(data.education["field"].astype(str))):
        assert value.lower() in text, value
    for goal in ("innovation", "growth", "efficien", "compliance", "threats", "risk", "physical"):
        assert goal in text, goal
