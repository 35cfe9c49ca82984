"""The class report: which questions a class got right and wrong, from learners' progress exports.

Learners hand in the file written by their progress export (``.json`` or ``.csv``).
:func:`class_report` reads any mix of such files and folders of them and returns a
:class:`ClassReport`: percent correct per question (hardest first), mastery per topic
(the roles and the five differences), each learner's score, and the files it skipped with
the reason. A file that cannot be used (malformed, truncated, foreign, empty, unreadable, a
second copy of the same file, or an older export of a learner who handed in twice) is
listed and skipped; it never stops the report.

Each learner's *last* answer to each question counts, as in the learner's own summary.

>>> import tempfile
>>> from rolelib.instructor.samples import make_sample_exports
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = make_sample_exports(folder, learners=3)
...     report = class_report(folder)
>>> len(report.learners), report.skipped["reason"].str.contains("duplicate|truncated").tolist()
(3, [True, True])
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import pandas as pd

from rolelib._errors import DataError
from rolelib.lessons import LESSONS
from rolelib.progress import Attempt, ExportError, parse_export
from rolelib.progress.export import export_kind

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from rolelib._types import DataSource, PathLike

GRADEBOOK_COLUMNS = ["learner", "account", "attempted", "correct", "score", "percent"]
_QUESTION_COLUMNS = ["question_id", "lesson", "topic", "learners", "correct", "percent_correct"]
_MASTERY_COLUMNS = ["topic", "title", "questions", "learners", "answers", "percent_correct", "average_score"]
_LEARNER_COLUMNS = [*GRADEBOOK_COLUMNS, "file"]
_SKIPPED_COLUMNS = ["file", "reason"]
_LESSON_ORDER = {item.slug: number for number, item in enumerate(LESSONS)}
_NO_ANSWERS = "No graded answers in these exports yet."
_SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, repr=False, eq=False)
class ClassReport:
    """What a class got right and wrong, as tables; displays as a short text summary.

    - ``per_question``: question_id, lesson, topic, learners (who answered it), correct,
      percent_correct (of those learners, on their last answer); hardest first.
    - ``mastery``: one row per topic (the roles, then the five differences), in course order:
      topic, title, questions, learners, answers, percent_correct, average_score (percent,
      counting partly right answers and the hint penalty).
    - ``learners``: learner, account (the login recorded in the export, where the course ran
      on a JupyterHub; empty elsewhere), attempted (questions answered, reflections included), correct,
      score (one point per graded question; part of it for a partly right answer, less for
      hints), percent (score as a percentage of the course's graded questions), file (the
      export used); sorted by name.
    - ``skipped``: file, reason.
    - ``graded_questions``: the number of graded questions ``percent`` is counted against.
    """

    per_question: pd.DataFrame
    mastery: pd.DataFrame
    learners: pd.DataFrame
    skipped: pd.DataFrame
    graded_questions: int

    @property
    def gradebook(self) -> pd.DataFrame:
        """One row per learner: learner, account, attempted, correct, score, percent (sorted by name)."""
        return self.learners[GRADEBOOK_COLUMNS].copy()

    def gradebook_csv(self) -> str:
        """The gradebook as CSV text (a cell that a spreadsheet would run as a formula is quoted with ')."""
        return _csv_text(self.gradebook)

    def write_csv(self, folder: PathLike) -> list[Path]:
        """Write gradebook.csv, questions.csv, mastery.csv and skipped.csv into ``folder``; return their paths.

        The folder is created if needed; earlier files of the same names are replaced.
        """
        target = Path(folder).expanduser()
        target.mkdir(parents=True, exist_ok=True)
        tables = {"gradebook.csv": self.gradebook, "questions.csv": self.per_question,
                  "mastery.csv": self.mastery, "skipped.csv": self.skipped}
        written = []
        for name, table in tables.items():
            path = target / name
            path.write_text(_csv_text(table), encoding="utf-8")
            written.append(path)
        return written

    def question_chart(self) -> Figure:
        """A bar chart of percent correct per question, hardest at the top, with ``fig.alt_text``.

        Display it with :func:`rolelib.charts.show`.
        """
        from rolelib.charts import percent_bars

        table = self.per_question
        count = _count(len(self.learners), "learner")
        title = "Percent correct per question, hardest first"
        subtitle = f"percent of learners whose last answer was correct, of those who answered it; {count} in all"
        notes = [f"({row.correct} of {row.learners})" for row in table.itertuples()]
        alt = (f"{title} ({count}). Bar chart of the share of learners whose last answer was correct, "
               f"for each of {_count(len(table), 'question')}")
        if len(table):
            parts = [f"{row.question_id} {row.percent_correct:.0f}%" for row in table.itertuples()]
            alt += ". Hardest: " + ", ".join(parts[:5]) + f". Easiest: {parts[-1]}."
        else:
            alt += ": no graded answers were found."
        return percent_bars(table["question_id"].tolist(), table["percent_correct"].tolist(), notes, title,
                             subtitle, alt, _NO_ANSWERS)

    def mastery_chart(self) -> Figure:
        """A bar chart of percent correct per topic, in course order, with ``fig.alt_text``.

        Display it with :func:`rolelib.charts.show`.
        """
        from rolelib.charts import percent_bars

        table = self.mastery
        title = "Mastery per topic"
        subtitle = "percent of last answers that were correct, the topics in course order"
        notes = [f"({_count(row.answers, 'answer')})" for row in table.itertuples()]
        parts = [f"{row.title} {row.percent_correct:.0f}% of {row.answers} answers" for row in table.itertuples()]
        alt = (f"{title}: percent of last answers correct, in course order: "
               + ("; ".join(parts) or "no graded answers were found") + ".")
        return percent_bars(table["title"].tolist(), table["percent_correct"].tolist(), notes, title, subtitle,
                             alt, _NO_ANSWERS)

    def summary(self, hardest: int = 5) -> str:
        """A few lines for a console: counts, the hardest questions, mastery and the skipped files.

        >>> print(class_report([]).summary())
        Class report: 0 learners, 0 graded questions answered, 0 files skipped.
        """
        lines = [f"Class report: {_count(len(self.learners), 'learner')}, "
                 f"{_count(len(self.per_question), 'graded question')} answered, "
                 f"{_count(len(self.skipped), 'file')} skipped."]
        if len(self.per_question):
            lines.append("Hardest questions (percent correct, last answers):")
            lines += [f"  {row.question_id:<24} {row.percent_correct:5.1f}%  of {_count(row.learners, 'learner')}"
                      for row in self.per_question.head(hardest).itertuples()]
        if len(self.mastery):
            lines.append("Mastery per topic (percent correct, last answers):")
            lines += [f"  {row.title:<40} {row.percent_correct:5.1f}%" for row in self.mastery.itertuples()]
        if len(self.skipped):
            lines.append("Skipped files:")
            lines += [f"  - {row.file}: {row.reason}" for row in self.skipped.itertuples()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()


@dataclass
class _Export:
    file: str
    learner: str
    account: str | None
    exported_at: datetime | None
    last_time: str
    attempts: list[Attempt]

    def newer_than(self, other: _Export) -> bool:
        if self.exported_at and other.exported_at and self.exported_at != other.exported_at:
            return self.exported_at > other.exported_at
        return self.last_time > other.last_time


def class_report(paths: PathLike | Iterable[PathLike], *, data: DataSource = None) -> ClassReport:
    """Build the class report from export files and folders of them (searched recursively).

    In a folder, files ending in .json or .csv are read; other files and hidden folders
    (such as .ipynb_checkpoints) are ignored. ``data`` is the course data whose banks give
    the number of graded questions and whose dimensions give the differences' titles (a
    CourseData or a data folder; by default the shipped data; if it cannot be loaded, the
    exports alone are used).
    The same learner's name in two exports (ignoring case and spacing) counts once.

    >>> report = class_report(["no-such-folder"])
    >>> report.skipped.to_dict("records")
    [{'file': 'no-such-folder', 'reason': 'there is no such file or folder'}]
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    kept: dict[str, _Export] = {}
    skipped: list[tuple[str, str]] = []
    seen_paths: dict[Path, str] = {}
    seen_content: dict[str, str] = {}
    for path, problem in _files(paths):
        name = str(path)
        if problem:
            skipped.append((name, problem))
            continue
        resolved = path.resolve()
        if resolved in seen_paths:
            skipped.append((name, f"listed twice (already read as {seen_paths[resolved]})"))
            continue
        seen_paths[resolved] = name
        export, problem = _read(path, seen_content)
        if export is None:
            skipped.append((name, problem))
            continue
        key = " ".join(export.learner.split()).casefold()
        other = kept.get(key)
        if other is None:
            kept[key] = export
            continue
        newer, older = (export, other) if export.newer_than(other) else (other, export)
        kept[key] = newer
        skipped.append((older.file, f"duplicate of {newer.file}: an older export by the same learner "
                                    f"({newer.learner!r}); the newer one is used"))
    return _build(list(kept.values()), skipped, data)


def _files(paths: Iterable[PathLike]) -> list[tuple[Path, str]]:
    """Every file to read, with a problem text for a path that does not exist (else '')."""
    found: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*")
                            if export_kind(p) is not None and p.is_file()
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
            found += [(p, "") for p in inside]
            if not inside:
                found.append((path, "this folder holds no .json or .csv file"))
        elif path.exists():
            found.append((path, ""))
        else:
            found.append((path, "there is no such file or folder"))
    return found


def _read(path: Path, seen_content: dict[str, str]) -> tuple[_Export | None, str]:
    """One export, or None and the reason it cannot be used."""
    try:
        payload = path.read_bytes()
    except OSError as exc:
        return None, f"the file cannot be read ({exc.strerror or exc})"
    digest = hashlib.sha256(payload).hexdigest()
    if digest in seen_content and payload.strip():
        return None, f"identical to {seen_content[digest]} (the same file handed in twice)"
    seen_content.setdefault(digest, str(path))
    try:
        export = parse_export(path, payload)
    except ExportError as exc:
        return None, exc.reason
    last_time = max((attempt.time for attempt in export.attempts), default="")
    return _Export(str(path), export.learner, export.account, _timestamp(export.exported_at), last_time,
                   list(export.attempts)), ""


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def _build(exports: list[_Export], skipped: list[tuple[str, str]], data: DataSource) -> ClassReport:
    titles, topic_order, bank_graded = _course_facts(data)
    exports.sort(key=lambda export: (export.learner.casefold(), export.learner))
    # One row per learner ("who", their position in exports) and question: the last attempt counts.
    rows = [(who, attempt.question_id, attempt.lesson, attempt.topic, attempt.correct, attempt.score)
            for who, export in enumerate(exports)
            for attempt in {attempt.question_id: attempt for attempt in export.attempts}.values()]
    last = pd.DataFrame(rows, columns=["who", "question_id", "lesson", "topic", "correct", "score"]).astype(
        {"who": "int64", "question_id": "str", "lesson": "str", "topic": "str", "correct": "boolean",
         "score": "float64"})
    graded = last[last["correct"].notna()].assign(correct=lambda frame: frame["correct"].astype(bool))
    total = len(bank_graded | set(graded["question_id"]))

    per_question = _per_question(graded)
    mastery = _mastery(graded, titles, topic_order)
    by_who = graded.groupby("who")
    attempted = last.groupby("who").size()
    correct = by_who["correct"].sum()
    score = by_who["score"].sum()
    learners = []
    for who, export in enumerate(exports):
        points = float(score.get(who, 0.0))
        learners.append((export.learner, export.account or "", int(attempted.get(who, 0)), int(correct.get(who, 0)), round(points, 2),
                         round(100 * points / total, 1) if total else 0.0, export.file))
    table = pd.DataFrame(learners, columns=_LEARNER_COLUMNS).astype(
        {"attempted": "int64", "correct": "int64", "score": "float64", "percent": "float64"})
    return ClassReport(per_question, mastery, table,
                       pd.DataFrame(skipped, columns=_SKIPPED_COLUMNS, dtype=object), total)


def _per_question(graded: pd.DataFrame) -> pd.DataFrame:
    table = graded.groupby("question_id", sort=False).agg(
        lesson=("lesson", "first"), topic=("topic", "first"),
        learners=("who", "size"), correct=("correct", "sum")).reset_index()
    table["percent_correct"] = (100 * table["correct"] / table["learners"]).round(1)
    table["order"] = table["lesson"].map(_LESSON_ORDER).fillna(len(_LESSON_ORDER))
    table = table.sort_values(["percent_correct", "order", "question_id"], kind="stable")
    return table[_QUESTION_COLUMNS].astype({"learners": "int64", "correct": "int64"}).reset_index(drop=True)


def _mastery(graded: pd.DataFrame, titles: dict[str, str], topic_order: list[str]) -> pd.DataFrame:
    table = graded.groupby("topic", sort=False).agg(
        questions=("question_id", "nunique"), learners=("who", "nunique"), answers=("who", "size"),
        percent_correct=("correct", "mean"), average_score=("score", "mean")).reset_index()
    table["percent_correct"] = (100 * table["percent_correct"]).round(1)
    table["average_score"] = (100 * table["average_score"]).round(1)
    table["title"] = [titles.get(topic, topic) for topic in table["topic"]]
    position = {topic: number for number, topic in enumerate(topic_order)}
    table["order"] = [position.get(topic, len(position)) for topic in table["topic"]]
    table = table.sort_values(["order", "topic"], kind="stable")
    return table[_MASTERY_COLUMNS].astype(
        {"questions": "int64", "learners": "int64", "answers": "int64"}).reset_index(drop=True)


def _course_facts(data: DataSource) -> tuple[dict[str, str], list[str], set[str]]:
    """The differences' titles and order, and the ids of the graded questions, when the data loads."""
    from rolelib.data import course_data
    from rolelib.questions import load_banks

    try:
        data = course_data(data)
        dimensions = data.dimensions.sort_values("order")
        titles = dict(zip(dimensions["dimension_id"].astype(str), dimensions["title"].astype(str)))
        banks = load_banks(data)
    except DataError:
        return {}, [], set()
    return titles, list(titles), {qid for qid, question in banks.items() if question.graded}


def _csv_text(table: pd.DataFrame) -> str:
    """CSV for a spreadsheet: text that starts like a formula gets a leading ' so it stays text."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = [("'" + value) if isinstance(value, str) and value.startswith(_SPREADSHEET_FORMULA)
                            else value for value in safe[column]]
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
