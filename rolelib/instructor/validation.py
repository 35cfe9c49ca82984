"""Check a copy of the course data, tables and question banks, and list every problem at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolelib._errors import DataError, Problem, listed

if TYPE_CHECKING:
    from rolelib._types import DataSource

FIX_LINE = ("Fix the files named above (rows are counted as a spreadsheet counts them: the header is row 1), "
            "then run this command again.")


class Problems(list):
    """The problems found in a data folder (a list of :class:`rolelib._errors.Problem`; empty when all is well).

    Displays as the lines ``rolelib validate`` prints.
    """

    def __init__(self, problems: list[Problem], shown: str, tables: int, questions: int) -> None:
        super().__init__(problems)
        self.shown = shown
        self.tables = tables
        self.questions = questions

    def text(self) -> str:
        """What an instructor reads: "All is well: ..." or each problem on a line of its own."""
        if not self:
            return f"All is well: {self.tables} tables and {self.questions} questions checked in {self.shown}."
        lines = [f"{len(self):,} problem{'s' if len(self) != 1 else ''} in {self.shown}:", *listed(self)]
        return "\n".join([*lines, FIX_LINE])

    def __repr__(self) -> str:
        return self.text()


def validate(data: DataSource = None) -> Problems:
    """Every problem in the course data's tables and question banks (a folder, a CourseData, or the course's own).

    When the tables do not load, the banks are still checked, but not against the tables.

    >>> problems = validate()
    >>> len(problems), problems.text().split(":")[0]
    (0, 'All is well')
    """
    from pathlib import Path

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
    questions = 0
    if not problems and loaded is not None:
        from rolelib.questions import load_banks

        questions = len(load_banks(loaded))
    return Problems(problems, shown, len(TABLES), questions)
