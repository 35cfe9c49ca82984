"""The one error a broken data set raises, kept free of heavy imports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file or question bank.

    ``row`` is the row as a spreadsheet shows it (the header is row 1);
    for a question bank, ``row`` holds the question id instead.
    """

    file: str
    row: int | str | None
    column: str | None
    value: str | None
    expected: str

    def describe(self) -> str:
        """One line an instructor can act on."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}" if isinstance(self.row, int) else f"question {self.row!r}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) + ": "
        if self.value is not None:
            text += f"found {_short(self.value)}; "
        return text + f"expected {self.expected}"


def _short(value: str, limit: int = 60) -> str:
    value = str(value)
    if len(value) > limit:
        value = value[:limit] + f"... ({len(value):,} characters)"
    return repr(value)


class DataError(ValueError):
    """The course data (tables or question banks) has problems; the message lists every one.

    ``problems`` holds them as :class:`Problem` records for programs that want to
    inspect them.
    """

    def __init__(self, problems: list[Problem], data_dir: str = "") -> None:
        self.problems = list(problems)
        self.data_dir = data_dir
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the course data"
        if data_dir:
            head += f" in {data_dir}"
        lines = [head + ":"] + [f"  - {p.describe()}" for p in self.problems]
        lines.append("Fix the file(s) named above, then load again. "
                     "`rolelib validate DATA_DIR` checks a data directory without opening a notebook.")
        super().__init__("\n".join(lines))


DataError.__module__ = "rolelib"  # shown as rolelib.DataError, the name learners and instructors use
