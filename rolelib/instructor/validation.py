"""Check a copy of the course data, tables and question banks, and list every problem at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rolelib._errors import DataError, Problem, listed
from rolelib._tables import cell_warnings, text_warning

if TYPE_CHECKING:
    from rolelib._types import DataSource
    from rolelib.kinds import Question

FIX_LINE = ("Fix the files named above (rows are counted as a spreadsheet counts them: the header is row 1), "
            "then run this command again.")


class Problems(list):
    """The problems found in a data folder (a list of :class:`rolelib._errors.Problem`; empty when all is well).

    Displays as the lines ``rolelib validate`` prints.
    """

    def __init__(self, problems: list[Problem], shown: str, tables: int, questions: int,
                 warnings: list[Problem] | None = None, variants: int = 0) -> None:
        super().__init__(problems)
        self.shown = shown
        self.tables = tables
        self.questions = questions
        self.variants = variants
        self.warnings = list(warnings or [])
        """Things that work but may not show as meant (markup or control characters in course text); not problems."""

    def text(self) -> str:
        """What an instructor reads: "All is well: ..." or each problem on a line of its own, then any warnings."""
        if not self:
            variants = f" (and {self.variants} variant{'s' if self.variants != 1 else ''})" if self.variants else ""
            lines = [f"All is well: {self.tables} tables and {self.questions} questions{variants} checked in "
                     f"{self.shown}."]
        else:
            lines = [f"{len(self):,} problem{'s' if len(self) != 1 else ''} in {self.shown}:", *listed(self)]
        if self.warnings:
            count = len(self.warnings)
            lines += [f"{count:,} warning{'s' if count != 1 else ''} (the course works, but check these):",
                      *listed(self.warnings)]
        return "\n".join(lines + ([FIX_LINE] if self else []))

    def __repr__(self) -> str:
        return self.text()


def validate(data: DataSource = None) -> Problems:
    """Every problem in the course data's tables and question banks (a folder, a CourseData, or the course's own).

    When the tables do not load, the banks are still checked, but not against the tables.

    >>> problems = validate()
    >>> len(problems), problems.text().split(":")[0]
    (0, 'All is well')
    """
    from rolelib._schema import TABLES
    from rolelib.data import CourseData, default_data_dir, load
    from rolelib.questions import bank_problems

    if isinstance(data, CourseData):
        directory, shown = Path(data.data_dir), f"the data in {data.data_dir}"
        loaded: CourseData | None = data
        problems: list[Problem] = []
    else:
        directory = Path(data).expanduser() if data is not None else default_data_dir()
        shown = "the course's own data" if data is None else str(data)
        problems = []
        try:
            loaded = load(directory)
        except DataError as error:
            loaded, problems = None, list(error.problems)
    problems += bank_problems(loaded) if loaded is not None else bank_problems(directory, against_tables=False)
    problems += _missing_banks(directory)
    questions = variants = 0
    warnings = cell_warnings(directory)
    if not problems and loaded is not None:
        from rolelib.questions import load_versions

        versions = load_versions(loaded).values()
        questions = sum(version.slot == version.id for version in versions)
        variants = len(versions) - questions
        warnings += _bank_warnings(versions)
    return Problems(problems, shown, len(TABLES), questions, warnings, variants)


def _missing_banks(directory: Path) -> list[Problem]:
    """A problem for each lesson without its bank, whose exercises would then not be found, naming a file there that
    looks like it under another name (01_focus.yaml.txt, saved so by an editor, is not read).

    >>> _missing_banks(Path("data-that-is-not-there"))
    []
    """
    from rolelib.lessons import LESSONS
    from rolelib.questions import BANK_FOLDER

    folder = directory / BANK_FOLDER
    if not folder.is_dir():
        return []  # reported with the banks
    present = sorted(path.name for path in folder.iterdir())
    problems = []
    for lesson in LESSONS:
        if f"{lesson.slug}.yaml" in present or f"{lesson.slug}.yml" in present:
            continue
        alike = [name for name in present if name.casefold().startswith(lesson.slug.casefold())]
        hint = (f"; {BANK_FOLDER}/{alike[0]} is not read, as a bank's name is its lesson's and ends in .yaml"
                if alike else "")
        problems.append(Problem(f"{BANK_FOLDER}/{lesson.slug}.yaml", None, None, None,
                                "this file to exist: the questions the lesson's notebook shows (copy it from the "
                                f"course's data/questions/){hint}"))
    return problems


_REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")
_REMOTE_EXPECTED = ("an image shipped with the course (a relative path or a data: URL); an image from the "
                    "internet is shown as a link to it, not fetched")


def _bank_warnings(questions: Iterable[Question]) -> list[Problem]:
    """A warning for each text of a question that holds markup (shown as text), a control character or a remote
    image (shown as a link)."""
    from rolelib._markup import is_shipped

    found = []
    for question in questions:
        texts = [("prompt", question.prompt), ("explanation", question.explanation),
                 *(("hints", hint) for hint in question.hints), *(("options", option) for option in question.options),
                 *(("feedback", text) for pair in question.feedback.items() for text in pair),
                 *(("items", item.text) for item in question.items), *(("rubric", point) for point in question.rubric)]
        for field, text in texts:
            remote = [url for url in _REMOTE_IMAGE.findall(text) if not is_shipped(url)]
            if remote and field in ("prompt", "explanation"):
                found.append(Problem(question.file, question.id, field, remote[0], _REMOTE_EXPECTED))
            elif (warning := text_warning(question.file, question.id, field, text)) is not None:
                found.append(warning)
    return found
