"""The docs say what the course does today: links and anchors resolve, ARCHITECTURE.md names every module, and the
counts, names and limits the README gives are the code's own."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from rolelib import LESSONS
from rolelib._bank_yaml import MAX_DEPTH as BANK_MAX_DEPTH
from rolelib._errors import MAX_LISTED
from rolelib._files import MAX_BANK_BYTES, MAX_TABLE_BYTES
from rolelib.charts.display import CHART_NAMES
from rolelib.instructor.report import QUESTIONS_CHARTED, class_report
from rolelib.kinds.base import HINT_COST
from rolelib.kinds.reflect import DEFAULT_MAX_CHARS
from rolelib.progress._sqlite import MAX_ANSWER_CHARS
from rolelib.progress.export import ACCOUNT_MAX, MAX_ATTEMPTS, MAX_DEPTH, MAX_EXPORT_BYTES
from rolelib.questions import load_banks
from tests.helpers import REPO

DOCS = ["README.md", "ARCHITECTURE.md", "data/README.md", "benchmarks/README.md",
        "notebooks/instructor/sample_exports/README.md"]
README = (REPO / "README.md").read_text(encoding="utf-8")
NUMBER_WORDS = {5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


def _flowing(text: str) -> str:
    """The text with every run of white space as one space, so a phrase may wrap across lines."""
    return re.sub(r"\s+", " ", text)


def _anchors(path: Path) -> set[str]:
    """The #anchors GitHub makes for a Markdown file's headings (code blocks left out)."""
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
    headings = re.findall(r"^#+\s+(.+?)\s*$", text, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("doc", DOCS)
def test_every_relative_link_and_anchor_resolves(doc):
    path = REPO / doc
    links = re.findall(r"\]\(([^)\s]+)\)|src=\"([^\"]+)\"", path.read_text(encoding="utf-8"))
    broken = []
    for link in filter(None, (markdown or html for markdown, html in links)):
        if re.match(r"[a-z]+:", link):
            continue  # a web address: not checked offline
        target, _, anchor = link.partition("#")
        resolved = (path.parent / target) if target else path
        if not resolved.exists() or (anchor and anchor not in _anchors(resolved)):
            broken.append(link)
    assert broken == [], f"{doc}: links that lead nowhere: {broken}"


def test_architecture_names_every_module_of_rolelib_and_no_module_that_is_gone():
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = {re.sub(r"(\.py|/)$", "", token) for token in re.findall(r"`([\w/.]+)`", text)}
    modules = [path.relative_to(REPO / "rolelib") for path in (REPO / "rolelib").rglob("*.py")
               if "__pycache__" not in path.parts]
    last_parts = {name.split("/")[-1] for name in named}
    unnamed = [module.as_posix() for module in modules  # a package by its folder, rolelib itself by __init__
               if (module.stem if module.stem != "__init__" else module.parent.name or "__init__") not in last_parts]
    assert unnamed == [], f"ARCHITECTURE.md does not say what these modules own: {unnamed}"
    files = [path.as_posix() for folder in ("rolelib", "tests", "benchmarks", "tools", "docs")
             for path in (REPO / folder).rglob("*.py")]
    gone = sorted(token for token in re.findall(r"`([\w/]+\.py)`", text)
                  if not any(file.endswith("/" + token) for file in files))
    assert gone == [], f"ARCHITECTURE.md names modules that do not exist: {gone}"


def test_the_readme_counts_are_the_courses_own():
    banks = load_banks()
    with_variants = sum(bool(entry.variants) for entry in banks.values())
    variants = sum(len(entry.variants) for entry in banks.values())
    graded = sum(entry.graded for entry in banks.values())
    text = _flowing(README)
    for phrase in [f"in {NUMBER_WORDS[len(LESSONS)]} Jupyter notebooks",
                   f"{with_variants} of the course's questions have one",
                   f"and {len(banks)} questions (and {variants} variants) checked",
                   f'"Points Possible","","","","","{graded}"']:
        assert phrase in text, f"README.md should say {phrase!r}"


def test_the_docs_give_the_limits_the_code_applies():
    readme, data_readme = _flowing(README), _flowing((REPO / "data" / "README.md").read_text(encoding="utf-8"))
    for phrase in [f"up to {MAX_ANSWER_CHARS:,} characters per answer", f"at most {MAX_LISTED} problems",
                   f"CSV files of up to {MAX_TABLE_BYTES // 1_000_000} MB",
                   f"question banks of up to {MAX_BANK_BYTES // 1_000_000} MB and {BANK_MAX_DEPTH} levels of nesting",
                   f"Files over {MAX_EXPORT_BYTES // 2**20} MB", f"nesting deeper than {MAX_DEPTH} levels",
                   f"more than {MAX_ATTEMPTS:,} attempts", f"(up to {ACCOUNT_MAX} characters)",
                   f"the {QUESTIONS_CHARTED} hardest questions"]:
        assert phrase in readme, f"README.md should say {phrase!r}"
    for phrase in [f"costs {HINT_COST:.0%}".replace("%", " %"), f"(default {DEFAULT_MAX_CHARS})"]:
        assert phrase in data_readme, f"data/README.md should say {phrase!r}"


def test_the_readme_names_every_environment_variable_the_course_reads():
    sources = [*(REPO / "rolelib").rglob("*.py"), REPO / "docs" / "hub" / "jupyterhub_config.py"]
    read = {name for path in sources for name in re.findall(r"\bROLELIB_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    assert sorted(read - set(re.findall(r"\bROLELIB_[A-Z_]+\b", README))) == []


def test_the_readme_lists_every_chart_show_chart_draws():
    line = next(line for line in README.splitlines() if line.startswith('rolelib.show_chart("focus")'))
    assert re.findall(r"\w+", line.split("also:")[1]) == [name for name in CHART_NAMES if name != "focus"]


def test_the_readme_table_of_report_files_is_what_the_report_writes(tmp_path):
    listed = dict(re.findall(r"^\| `(\w+\.(?:csv|xlsx))` \| (.+) \|$", README, flags=re.MULTILINE))
    written = class_report([REPO / "notebooks/instructor/sample_exports/sample_learner_01.json"]).write(tmp_path)
    assert sorted(listed) == sorted(path.name for path in written)
    for path in written:
        if path.suffix == ".csv" and path.name != "distractors.csv":  # the README describes that one in words
            with path.open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle))
            assert re.sub(r" \([^)]*\)", "", listed[path.name]).split(", ") == header, path.name
