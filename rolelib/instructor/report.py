"""The class report: which questions a class got right and wrong, from learners' progress exports.

Learners hand in the file written by their progress export (``.json`` or ``.csv``). :func:`class_report`
reads any mix of such files and folders of them and returns a :class:`ClassReport`: percent correct
per question (hardest first), mastery per topic (the roles and the five differences), each learner's
score, the files it could not use with the reason, and what needs a look (see :mod:`._handins`).
Each learner's *last* answer to each question counts, as in the learner's own summary.

What the report guarantees:

- **It grades; it never trusts.** Every attempt is graded again with the banks the report
  is given, by the same grading the live exercise uses; ``correct`` and ``score`` in a file
  are ignored, hints count at most as many as the question has, question ids the banks do
  not know are left out (and listed), and percentages count the course's graded questions.
- **No one's work is silently replaced.** Learners are told apart by the account an export
  records (a JupyterHub login) and, without one, by the name typed; a second export, one
  name from several accounts, one account under several names and dates in the future
  are listed in :attr:`ClassReport.needs_a_look` with the files involved and the one used.
- **No file can break it.** Each file is read on its own, and whatever is wrong with it is listed in
  :attr:`ClassReport.skipped`; only regular files up to a size limit are opened (20 MB unless
  ``max_bytes`` says otherwise), nesting and sizes are bounded before parsing.
- **Its files and tables are safe to open**: every CSV quotes every field and neutralises formula cells;
  gradebook.xlsx holds text cells; the summary escapes control characters; no table's "$" is set as math.

What it cannot do: a learner who writes right answers into their export still has to answer correctly
(the report grades what is there, not how it got there); and identity is only as good as the login:
outside a hub, the name is what the learner typed.

>>> import tempfile
>>> from rolelib.instructor.samples import make_sample_exports
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = make_sample_exports(folder, learners=3)
...     report = class_report(folder)
>>> len(report.learners), report.skipped["reason"].str.contains("truncated").tolist()
(4, [True])
>>> report.needs_a_look["issue"].tolist()
['handed in more than once', 'one name, several accounts', 'dated in the future']
"""

from __future__ import annotations

import gc
import os
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from rolelib._markup import counted, full_stop
from rolelib._spreadsheet import csv_text, write_xlsx
from rolelib._terminal import visible
from rolelib.instructor._distractors import (distractor_table, first_answers_reading, option_text, prompt_start,
                                             version_options)
from rolelib.instructor._handins import Collected, collect
from rolelib.instructor._reading import History
from rolelib.instructor._text_table import TextTable, typed_table
from rolelib.lessons import LESSONS
from rolelib.progress.export import MAX_EXPORT_BYTES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from rolelib._types import DataSource, PathLike
    from rolelib.kinds import Question

GRADEBOOK_COLUMNS = ["learner", "account", "attempted", "correct", "score", "percent"]
NEEDS_A_LOOK_COLUMNS = ["issue", "learner", "account", "files", "used", "detail"]
LISTED = 20  # rows of "needs a look" and of the skipped files a console summary shows; the tables hold all
QUESTIONS_CHARTED = 15  # the hardest questions a chart shows: enough to plan a review, readable on a screen
_QUESTION_TYPES = {"question_id": "object", "prompt": "object", "lesson": "object", "topic": "object",
                   "learners": "int64", "correct": "int64", "percent_correct": "float64",
                   "first_try_percent": "float64", "attempts_to_correct": "float64", "hint_percent": "float64"}
_MASTERY_TYPES = {"topic": "object", "title": "object", "questions": "int64", "learners": "int64",
                  "answers": "int64", "percent_correct": "float64", "average_score": "float64"}
_LEARNER_TYPES = {"learner": "object", "account": "object", "attempted": "int64", "correct": "int64",
                  "score": "float64", "percent": "float64", "mode": "object", "submitted_at": "object",
                  "file": "object"}
_QUESTION_COLUMNS = list(_QUESTION_TYPES)
_MASTERY_COLUMNS = list(_MASTERY_TYPES)
_LEARNER_COLUMNS = list(_LEARNER_TYPES)
_SKIPPED_COLUMNS = ["file", "reason"]
_LESSON_ORDER = {item.slug: number for number, item in enumerate(LESSONS)}
_NO_ANSWERS = "No graded answers in these exports yet."


@dataclass(frozen=True, repr=False, eq=False)
class ClassReport:
    """What a class got right and wrong, as tables; displays as a short text summary.

    - ``per_question``: question_id, prompt (its start), lesson, topic, learners (who answered
      it), correct, percent_correct (of those learners, on their last answer), first_try_percent
      (whose first answer was right), attempts_to_correct (the average number of attempts up to
      the first right answer, of those who reached one; empty when no one did), hint_percent (who
      opened at least one hint); hardest first. Only the course's graded questions appear, as
      its banks grade them.
    - ``distractors``: question_id, version, prompt, option, right, learners, percent, feedback:
      for each question (hardest first) and each version of it learners answered first (the
      bank's entry, then its variants: their options differ), every option learners chose in
      their *first* answer (before any feedback), most chosen first, with the share of that
      version's learners who chose it and, for a wrong option, the feedback the bank gives for
      it (the misconception it stands for); ``prompt`` is the start of that version's prompt.
      Classify and match questions count each item's placement as an option.
    - ``mastery``: one row per topic (the roles, then the five differences), in course order:
      topic, title, questions, learners, answers, percent_correct, average_score (percent,
      counting partly right answers and the hint penalty).
    - ``learners``: learner, account (the login recorded in the export, where the course ran
      on a JupyterHub; empty elsewhere), attempted (the course's questions answered,
      reflections included), correct, score (one point per graded question; part of it for
      a partly right answer, less for hints), percent (score as a percentage of the course's
      graded questions), mode (practice or exam, as the export records it), submitted_at (when
      the learner submitted in exam mode; empty otherwise), file (the export used); sorted by name.
    - ``skipped``: file, reason: the files that could not be used.
    - ``needs_a_look``: issue, learner, account, files, used, detail: exports the report
      used or set aside for a reason an instructor should judge (a learner who handed in more
      than once, one name from several accounts, one account under several names, a date in
      the future, question ids, versions or answers the banks do not have or take).
    - ``graded_questions``: the number of graded questions ``percent`` is counted against.
    """

    per_question: pd.DataFrame
    distractors: pd.DataFrame
    mastery: pd.DataFrame
    learners: pd.DataFrame
    skipped: pd.DataFrame
    needs_a_look: pd.DataFrame
    graded_questions: int

    @property
    def gradebook(self) -> pd.DataFrame:
        """One row per learner: learner, account, attempted, correct, score, percent (sorted by name)."""
        return self.learners[GRADEBOOK_COLUMNS].copy()

    def gradebook_csv(self) -> str:
        """The gradebook as CSV text, safe in a spreadsheet (every field quoted, formula cells neutralised)."""
        return _csv(self.gradebook)

    def write(self, folder: PathLike) -> list[Path]:
        """Write gradebook.csv, questions.csv, distractors.csv, mastery.csv, needs_a_look.csv, skipped.csv
        and gradebook.xlsx.

        The files go into ``folder`` (created if needed); earlier files of the same names are
        replaced. gradebook.xlsx holds every table as a sheet, the gradebook first. Returns the paths.
        """
        target = Path(folder).expanduser()
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name, table in self._tables().items():
            path = target / f"{name}.csv"
            path.write_text(_csv(table), encoding="utf-8", newline="")
            written.append(path)
        written.append(write_xlsx(target / "gradebook.xlsx", self._tables()))
        return written

    def write_csv(self, folder: PathLike) -> list[Path]:
        """Old name of :meth:`write`, which writes gradebook.xlsx too; it goes in the next release."""
        warnings.warn("ClassReport.write_csv() is now ClassReport.write(), which also writes gradebook.xlsx; "
                      "the old name goes in the next release.", DeprecationWarning, stacklevel=2)
        return self.write(folder)

    def _tables(self) -> dict[str, pd.DataFrame]:
        return {"gradebook": self.gradebook, "questions": self.per_question, "distractors": self.distractors,
                "mastery": self.mastery, "needs_a_look": self.needs_a_look, "skipped": self.skipped}

    def question_chart(self, hardest: int | None = QUESTIONS_CHARTED) -> Figure:
        """A bar chart of percent correct for the ``hardest`` questions (None: every one), hardest at the top.

        The figure has ``fig.alt_text``; :attr:`per_question` lists every question. Display it
        with :func:`rolelib.charts.show`.
        """
        from rolelib.charts import percent_bars

        table = self.per_question
        shown = table if hardest is None else table.head(max(hardest, 1))
        count = counted(len(self.learners), "learner")
        title = (f"Percent correct: the {len(shown)} hardest of {counted(len(table), 'question')}"
                 if len(shown) < len(table) else "Percent correct per question, hardest first")
        subtitle = f"percent of learners whose last answer was correct, of those who answered it; {count} in all"
        notes = [f"({row.correct} of {row.learners})" for row in shown.itertuples()]
        labels = [f"{row.question_id}: {row.prompt}" for row in shown.itertuples()]
        alt = (f"{title} ({count}). Bar chart of the share of learners whose last answer was correct, "
               f"for each of {counted(len(shown), 'question')}")
        if len(table):
            parts = [f"{row.question_id} {row.percent_correct:.0f}%" for row in table.itertuples()]
            alt += ". Hardest: " + ", ".join(parts[:5]) + f". Easiest: {parts[-1]}."
        else:
            alt += ": no graded answers were found."
        return percent_bars(labels, shown["percent_correct"].tolist(), notes, title, subtitle, alt, _NO_ANSWERS)

    def distractor_chart(self, which: int | str = 1, version: str | None = None) -> Figure:
        """The spread of first answers to one question, with a short reading of it and ``fig.alt_text``.

        ``which`` is a rank (1 for the hardest question, 2 for the next, ...) or a question id;
        ``version`` one of its versions (by default the first the distractor table lists). Each
        option learners chose is a bar (the right ones marked ✓), most chosen first; below, a
        sentence says which wrong option drew the most and the feedback the bank gives for it.
        Display it with :func:`rolelib.charts.show`.
        """
        from rolelib.charts import answer_spread

        question_id = self._question_id(which)
        row = self.per_question.set_index("question_id").loc[question_id]
        shown, options, versions = version_options(self.distractors, question_id, version)
        title = f"{shown}: {options['prompt'].iloc[0] if len(options) else row['prompt']}"
        learners = counted(int(row['learners']), 'learner') if versions < 2 else f"the learners shown {shown}"
        subtitle = (f"first answers of {learners}: the share choosing each option; "
                    f"{row['first_try_percent']:.0f}% right at first, {row['percent_correct']:.0f}% at last")
        labels = [f"{'✓' if right else '✗'} {option_text(text, 70)}"
                  for text, right in zip(options["option"], options["right"])]
        reading = self.reading(question_id, version)
        bars = "; ".join(f"{label} {percent:.0f}%" for label, percent in zip(labels, options["percent"]))
        alt = f"{title}{full_stop(title)} Bar chart of {subtitle}. " + (f"{bars}. " if bars else "") + reading
        return answer_spread(labels, options["percent"].tolist(), options["right"].tolist(), title, subtitle,
                             reading, alt)

    def reading(self, question_id: str, version: str | None = None) -> str:
        """A sentence on a question's first answers (to ``version``, by default the first listed): the wrong
        option most chosen and the bank's feedback for it.

        >>> class_report([]).reading("focus-1")
        'No learner answered focus-1.'
        """
        _, options, _ = version_options(self.distractors, question_id, version)
        answered = question_id in set(self.per_question["question_id"])
        return first_answers_reading(options, question_id, answered=answered)

    def _question_id(self, which: int | str) -> str:
        ids = self.per_question["question_id"].tolist()
        if isinstance(which, str):
            if which not in ids:
                from rolelib._errors import UnknownNameError

                raise UnknownNameError("question answered in this report", which, ids,
                                       plural="questions answered in this report")
            return which
        if not 1 <= which <= len(ids):
            raise ValueError(f"the report has {counted(len(ids), 'answered question')}; "
                             f"give a rank from 1 to {len(ids)} or a question id, not {which}")
        return ids[which - 1]

    def mastery_chart(self) -> Figure:
        """A bar chart of percent correct per topic, in course order, with ``fig.alt_text``.

        Display it with :func:`rolelib.charts.show`.
        """
        from rolelib.charts import percent_bars

        table = self.mastery
        title = "Mastery per topic"
        subtitle = "percent of last answers that were correct, the topics in course order"
        notes = [f"({counted(row.answers, 'answer')})" for row in table.itertuples()]
        parts = [f"{row.title} {row.percent_correct:.0f}% of {row.answers} answers" for row in table.itertuples()]
        alt = (f"{title}: percent of last answers correct, in course order: "
               + ("; ".join(parts) or "no graded answers were found") + ".")
        return percent_bars(table["title"].tolist(), table["percent_correct"].tolist(), notes, title, subtitle,
                             alt, _NO_ANSWERS)

    def summary(self, hardest: int = 5) -> str:
        """A few lines for a console: counts, the hardest questions, mastery, what needs a look and the skipped files.

        Every text from a file is shown with its control characters as escapes.

        >>> print(class_report([]).summary())
        Class report: 0 learners, 0 graded questions answered, 0 files skipped.
        """
        lines = [f"Class report: {counted(len(self.learners), 'learner')}, "
                 f"{counted(len(self.per_question), 'graded question')} answered, "
                 f"{counted(len(self.skipped), 'file')} skipped."]
        if len(self.per_question):
            lines.append("Hardest questions (percent correct, last answers):")
            rows = list(self.per_question.head(hardest).itertuples())
            width = max(12, *(len(counted(row.learners, "learner")) for row in rows))
            lines += [f"  {visible(row.question_id):<12} {row.percent_correct:5.1f}%  of "
                      f"{counted(row.learners, 'learner'):<{width}}  {visible(row.prompt)}" for row in rows]
        if len(self.mastery):
            lines.append("Mastery per topic (percent correct, last answers):")
            lines += [f"  {visible(row.title):<40} {row.percent_correct:5.1f}%" for row in self.mastery.itertuples()]
        if len(self.needs_a_look):
            lines.append("Needs a look:")
            lines += _listed(self.needs_a_look, "needs_a_look",
                             lambda row: f"  - {visible(row.issue)}: {visible(row.learner)}: {visible(row.detail)}")
        if len(self.skipped):
            lines.append("Skipped files:")
            lines += _listed(self.skipped, "skipped", lambda row: f"  - {visible(row.file)}: {visible(row.reason)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()


def class_report(paths: PathLike | Iterable[PathLike], *, data: DataSource = None,
                 max_bytes: int = MAX_EXPORT_BYTES) -> ClassReport:
    """Build the class report from export files and folders of them (searched recursively).

    In a folder, files ending in .json or .csv are read; other files and hidden folders
    (such as .ipynb_checkpoints) are ignored. ``data`` is the course data whose banks grade
    every answer again and whose dimensions give the differences' titles (a CourseData or a
    data folder; by default the shipped data; a DataError says what is wrong with it). A file
    larger than ``max_bytes`` (20 MB by default; a whole course's export is 15 to 50 KB) is listed, not read.

    >>> report = class_report(["no-such-folder"])
    >>> report.skipped.to_dict("records")
    [{'file': 'no-such-folder', 'reason': 'there is no such file or folder'}]
    """
    from rolelib.data import course_data
    from rolelib.questions import load_banks

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    data = course_data(data)
    banks = load_banks(data)
    dimensions = data.dimensions.sort_values("order")
    titles = dict(zip(dimensions["dimension_id"].astype(str), dimensions["title"].astype(str)))
    enabled = gc.isenabled()
    gc.disable()  # the report makes no reference cycles; the collector's passes over its many small objects
    try:  # cost about a sixth of the time of a class of 10,000 (benchmarks/RESULTS.md)
        return _build(collect(paths, banks, max_bytes=max_bytes), banks, titles)
    finally:
        if enabled:
            gc.enable()


def _build(collected: Collected, banks: dict[str, Question], titles: dict[str, str]) -> ClassReport:
    graded_questions = sum(question.graded for question in banks.values())
    exports = sorted(collected.used, key=lambda export: (export.learner.casefold(), export.learner,
                                                         export.account or "", export.file))
    learners: dict[str, list] = {column: [] for column in _LEARNER_COLUMNS}
    answered: dict[str, list] = {}  # question id: [learners, right, sum of scores]
    topic_of = {question_id: question.topic for question_id, question in banks.items()}
    topic_learners: dict[str, int] = {}
    last_counted: dict[str, int] = {}  # topic: the last learner counted in topic_learners
    histories: defaultdict[str, list[History]] = defaultdict(list)
    for who, export in enumerate(exports):
        for question_id, history in export.history.items():
            histories[question_id].append(history)
        right, points = 0, 0.0
        for question_id, (correct, score, *_) in export.results.items():
            if correct is None:
                continue
            right += correct
            points += score
            counts = answered.get(question_id)
            if counts is None:
                answered[question_id] = [1, int(correct), score]
            else:
                counts[0] += 1
                counts[1] += correct
                counts[2] += score
            topic = topic_of[question_id]
            if last_counted.get(topic) != who:
                last_counted[topic] = who
                topic_learners[topic] = topic_learners.get(topic, 0) + 1
        points = round(points, 4)
        for column, value in zip(_LEARNER_COLUMNS, (
                export.learner, export.account or "", len(export.results), right, round(points, 2),
                round(100 * points / graded_questions, 1) if graded_questions else 0.0,
                export.mode, export.submitted_at, export.file)):
            learners[column].append(value)
    per_question = _per_question(answered, histories, banks)
    return ClassReport(per_question, TextTable(distractor_table(per_question, histories, banks)),
                       _mastery(answered, topic_learners, banks, titles),
                       typed_table(learners, _LEARNER_TYPES),
                       TextTable(collected.skipped, columns=_SKIPPED_COLUMNS, dtype=object),
                       TextTable(collected.needs_a_look, columns=NEEDS_A_LOOK_COLUMNS, dtype=object),
                       graded_questions)


def _per_question(answered: dict[str, list], histories: dict[str, list[History]],
                  banks: dict[str, Question]) -> pd.DataFrame:
    rows = []
    for question_id, (learners, right, _) in answered.items():
        question = banks[question_id]
        tried = histories.get(question_id, [])
        reached = [history.tries_to_correct for history in tried if history.tries_to_correct]
        rows.append((question_id, prompt_start(question.prompt), question.lesson, question.topic, learners, right,
                     round(100 * right / learners, 1),
                     round(100 * sum(history.first_correct for history in tried) / len(tried), 1) if tried else 0.0,
                     round(sum(reached) / len(reached), 2) if reached else float("nan"),
                     round(100 * sum(history.hints > 0 for history in tried) / len(tried), 1) if tried else 0.0,
                     _LESSON_ORDER.get(question.lesson, len(_LESSON_ORDER))))
    rows.sort(key=lambda row: (row[6], row[7], row[10], row[0]))
    return typed_table({column: [row[number] for row in rows] for number, column in enumerate(_QUESTION_COLUMNS)},
                       _QUESTION_TYPES)


def _mastery(answered: dict[str, list], topic_learners: dict[str, int], banks: dict[str, Question],
             titles: dict[str, str]) -> pd.DataFrame:
    topics: dict[str, list] = {}  # topic: [questions, answers, right, sum of scores]
    for question_id, (learners, right, points) in answered.items():
        counts = topics.setdefault(banks[question_id].topic, [0, 0, 0, 0.0])
        counts[0] += 1
        counts[1] += learners
        counts[2] += right
        counts[3] += points
    order = {topic: number for number, topic in enumerate(titles)}
    rows = [(topic, titles.get(topic, topic), questions, topic_learners[topic], answers,
             round(100 * right / answers, 1), round(100 * points / answers, 1))
            for topic, (questions, answers, right, points) in topics.items()]
    rows.sort(key=lambda row: (order.get(row[0], len(order)), row[0]))
    return typed_table({column: [row[number] for row in rows] for number, column in enumerate(_MASTERY_COLUMNS)},
                       _MASTERY_TYPES)


def _csv(table: pd.DataFrame) -> str:
    return csv_text(table.columns, table.itertuples(index=False))


def _listed(table: pd.DataFrame, name: str, line: Callable[[Any], str]) -> list[str]:
    """A console line for each of the first :data:`LISTED` rows of ``table``, then how many more it (``name``) holds."""
    lines = [line(row) for row in table.head(LISTED).itertuples()]
    more = len(table) - len(lines)
    return [*lines, f"  ... and {more:,} more: all are in the table {name} ({name}.csv)"] if more > 0 else lines
