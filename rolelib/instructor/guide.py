"""The instructor guide's sections, gathered from the lesson notebooks and the question banks.

Nothing here is written twice: the objectives and the discussion prompts are read from the
lesson notebooks, the common misconceptions from the banks' per-option feedback, and the
answer keys from the banks. Each function returns a :class:`LessonNotes`, which displays
as a list per lesson (HTML in a notebook, plain text elsewhere).

Formats the lesson notebooks follow:

- objectives: a Markdown cell with a line ``You will learn`` (a heading or bold text, as in
  ``**You will learn**``) followed by a bullet list;
- discussion prompts: a Markdown cell whose first line is ``## Discuss in class``; the rest of
  the cell is the prompt.

>>> print(objectives("no-such-folder").text().splitlines()[1])
00 Start here: three chiefs, three jobs (15 min): not written yet
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from rolelib._deprecated import renamed_keywords
from rolelib._markup import NO_MATH, escape, markdown
from rolelib.lessons import LESSONS, Lesson

if TYPE_CHECKING:
    import pandas as pd

    from rolelib._types import DataSource, PathLike
    from rolelib.kinds import Question

NOT_WRITTEN = "not written yet"
_OBJECTIVES_LINE = re.compile(r"^\s*(#+\s*)?(\*\*|__)?\s*you will learn\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(.*\S)\s*$")
_DISCUSS_LINE = re.compile(r"^\s*(#+\s*|\*\*|__)\s*discuss in class\b", re.IGNORECASE)


@dataclass(frozen=True)
class LessonNotes:
    """Notes per lesson, in course order: ``notes[slug]`` holds Markdown items, ``missing[slug]`` why there are none.

    In HTML each lesson's heading links to its notebook as seen from notebooks/instructor/.

    >>> notes = LessonNotes("Objectives", {"01_focus": ["Tell a **CIO** from a CISO"]}, {})
    >>> print(notes.text())
    Objectives
    01 Difference 1: the focus of the position (15 min)
      - Tell a **CIO** from a CISO
    """

    title: str
    notes: dict[str, list[str]]
    missing: dict[str, str] = field(default_factory=dict)

    def _lessons(self) -> list[Lesson]:
        return [item for item in LESSONS if item.slug in self.notes or item.slug in self.missing]

    def text(self) -> str:
        """The notes as plain text (Markdown left as written)."""
        lines = [self.title]
        for item in self._lessons():
            heading = f"{item.slug[:2]} {item.title} ({item.minutes} min)"
            if item.slug in self.missing:
                lines.append(f"{heading}: {self.missing[item.slug]}")
                continue
            lines.append(heading)
            for note in self.notes[item.slug]:
                first, *rest = note.splitlines() or [""]
                lines.append(f"  - {first}")
                lines += [f"    {line}" if line else "" for line in rest]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [f'<div class="rolelib-guide {NO_MATH}"><p><strong>{escape(self.title)}</strong></p>']
        for item in self._lessons():
            heading = (f'<a href="../{escape(item.filename)}">{escape(item.slug[:2])} {escape(item.title)}</a> '
                       f"({item.minutes} min)")
            if item.slug in self.missing:
                parts.append(f"<p>{heading}: <em>{escape(self.missing[item.slug])}</em></p>")
                continue
            entries = "".join(f"<li>{markdown(note)}</li>" for note in self.notes[item.slug])
            parts.append(f"<p>{heading}</p><ul>{entries}</ul>")
        return "".join(parts) + "</div>"

    def __repr__(self) -> str:
        return self.text()


def objectives(notebooks_dir: PathLike) -> LessonNotes:
    """Each lesson's objectives: the bullet list under "You will learn" in its notebook.

    ``notebooks_dir`` is the folder of the lesson notebooks (``..`` from notebooks/instructor/).
    A lesson whose notebook does not exist yet is listed as "not written yet".
    """
    return _from_notebooks("Objectives (from each lesson's \"You will learn\")", notebooks_dir, _objectives,
                           "no \"You will learn\" list found in the notebook")


def discussion_prompts(notebooks_dir: PathLike) -> LessonNotes:
    """Each lesson's discussion prompts: its Markdown cells that start with ``## Discuss in class``."""
    return _from_notebooks("Discussion prompts (cells headed \"Discuss in class\")", notebooks_dir, _prompts,
                           "no discussion prompt in this lesson yet")


def _from_notebooks(title: str, notebooks_dir: PathLike, read: Callable[[list[str]], list[str]],
                    none_found: str) -> LessonNotes:
    notes: dict[str, list[str]] = {}
    missing: dict[str, str] = {}
    for item in LESSONS:
        path = Path(notebooks_dir) / item.filename
        try:
            cells = _markdown_cells(path)
        except FileNotFoundError:
            missing[item.slug] = NOT_WRITTEN
            continue
        except OSError as exc:
            missing[item.slug] = f"the notebook cannot be read ({exc.strerror or type(exc).__name__})"
            continue
        except ValueError as exc:
            missing[item.slug] = f"the notebook cannot be read ({exc})"
            continue
        found = read(cells)
        if found:
            notes[item.slug] = found
        else:
            missing[item.slug] = none_found
    return LessonNotes(title, notes, missing)


def _markdown_cells(path: Path) -> list[str]:
    """The text of every Markdown cell of a notebook, in order."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ValueError("not a Jupyter notebook")
    texts = []
    for cell in notebook["cells"]:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            texts.append("".join(source) if isinstance(source, list) else str(source))
    return texts


def _objectives(cells: list[str]) -> list[str]:
    """The bullet items under the first "You will learn" line; an indented line continues an item.

    >>> _objectives(["# Title", "**You will learn**\\n\\n- what a CISO does\\n- who a CIO\\n  reports to\\n\\nNext"])
    ['what a CISO does', 'who a CIO reports to']
    """
    for text in cells:
        lines = text.splitlines()
        for number, line in enumerate(lines):
            if not _OBJECTIVES_LINE.match(line):
                continue
            items: list[str] = []
            for following in lines[number + 1:]:
                bullet = _BULLET.match(following)
                if bullet:
                    items.append(bullet.group(1))
                elif not following.strip() or not items:  # blank lines, or a sentence before the list
                    continue
                elif following.startswith((" ", "\t")):
                    items[-1] += " " + following.strip()
                else:
                    break
            return items
    return []


def _prompts(cells: list[str]) -> list[str]:
    """The rest of each cell whose first non-blank line is a "Discuss in class" heading."""
    prompts = []
    for text in cells:
        lines = text.strip().splitlines()
        if lines and _DISCUSS_LINE.match(lines[0]):
            body = "\n".join(lines[1:]).strip()
            if body:
                prompts.append(body)
    return prompts


def misconceptions(data: DataSource = None) -> LessonNotes:
    """The common misconceptions: every wrong answer the banks give feedback for, with that feedback.

    One item per question: its id and prompt, then each mistake (in the words of the
    question's kind) with the feedback learners get.

    >>> notes = misconceptions()
    >>> notes.notes["01_focus"][0].startswith("**focus-1**: ")
    True
    """
    from rolelib.questions import load_versions

    notes: dict[str, list[str]] = {}
    for question in load_versions(data).values():
        if not question.feedback:
            continue
        lines = [f"**{question.id}**{_variant_of(question)}: {' '.join(question.prompt.split())}", ""]
        lines += [f"- {question.mistake(key)}: {' '.join(text.split())}" for key, text in question.feedback.items()]
        notes.setdefault(question.lesson, []).append("\n".join(lines))
    missing = {item.slug: "no feedback for wrong answers in this lesson's bank"
               for item in LESSONS if item.slug not in notes}
    return LessonNotes("Common misconceptions (from the banks' feedback on wrong answers)", notes, missing)


@renamed_keywords(data_dir="data")
def answer_keys(data: DataSource = None) -> LessonNotes:
    """Every lesson's answer key from the banks: each question and each of its variants, level, answer and
    explanation.

    A reflection shows its sample answer (the explanation) and its rubric. For instructors
    only, like :func:`rolelib.exercises.answer_key`: switch instructor mode on first
    (``rolelib.instructor_mode()``), or a PermissionError says so.

    >>> from rolelib.exercises import instructor_mode
    >>> instructor_mode(True)
    >>> answer_keys().notes["01_focus"][0].splitlines()[2].startswith("*Answer:* ")
    True
    >>> instructor_mode(None)
    """
    from rolelib._instructor_view import is_instructor, permission_error
    from rolelib.questions import load_versions

    if not is_instructor():
        raise permission_error()
    notes: dict[str, list[str]] = {}
    for question in load_versions(data).values():
        answer = question.answer_text()
        parts = [f"**{question.id}** ({_variant_of(question, ': ')}{question.kind}, {question.level}): "
                 f"{' '.join(question.prompt.split())}",
                 f"*Answer:* {answer}" if answer else "*Answer:* not graded; the explanation is a sample answer",
                 f"*{'Why' if answer else 'Sample answer'}:* {' '.join(question.explanation.split())}"]
        if question.rubric:
            parts.append("*A strong answer mentions:* " + "; ".join(question.rubric))
        notes.setdefault(question.lesson, []).append("\n\n".join(parts))
    missing = {item.slug: "no questions in this lesson's bank" for item in LESSONS if item.slug not in notes}
    return LessonNotes("Answer keys (from the question banks)", notes, missing)


def _variant_of(question: Question, after: str = "") -> str:
    """' (variant of focus-1)' for a variant, written to stand after its id (or inside a bracket, ``after``)."""
    if question.slot == question.id:
        return ""
    return f"variant of {question.slot}{after}" if after else f" (variant of {question.slot})"


def versions_seen(accounts: list[str], *, data: DataSource = None) -> pd.DataFrame:
    """Which version of each question with variants the learners ``accounts`` (hub logins) see, per learner.

    One row per question that has variants, one column per account: the id of the version
    shown, then the first option or item in that learner's order. This is what the course shows
    with ``versions: per-learner`` (the default) when learners log in to a hub; without an
    account, everyone sees the bank's entry in the bank's order.

    >>> table = versions_seen(["sample01", "sample02"])
    >>> list(table.columns), table.index.name
    (['versions', 'sample01', 'sample02'], 'question_id')
    """
    from rolelib.instructor._distractors import shortened
    from rolelib.instructor._text_table import TextTable
    from rolelib.questions import load_banks
    from rolelib.versions import version_for

    rows, listed = {}, []
    for entry in load_banks(data).values():
        if not entry.variants:
            continue
        listed.append(", ".join(version.id for version in entry.versions))
        row = {}
        for account in accounts:
            shown = version_for(entry, account)
            first = shown.items[0].text if shown.items else shown.label(shown.options[0]) if shown.options else ""
            row[account] = f"{shown.id}: {shortened(first, 40)}" if first else shown.id
        rows[entry.id] = row
    table = TextTable.from_dict(rows, orient="index", columns=accounts).rename_axis("question_id")
    table.insert(0, "versions", listed, allow_duplicates=True)  # apart from the accounts: a login may be "versions"
    return table
