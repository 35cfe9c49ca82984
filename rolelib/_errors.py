"""The one error a broken data set raises, kept free of heavy imports."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from rolelib._terminal import visible


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
        """One line an instructor can act on, safe on a terminal: a control character in a file name shows as an escape.

        >>> Problem("questions/a\\x1b[2J.yaml", "q-1", "id", "q\\x07", "an id").describe()
        "questions/a\\\\x1b[2J.yaml, question 'q-1', column 'id': found 'q\\\\x07'; expected an id"
        """
        where = [visible(self.file)]
        if self.row is not None:
            where.append(f"row {self.row}" if isinstance(self.row, int) else f"question {self.row!r}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) + ": "
        if self.value is not None:
            text += f"found {_short(self.value)}; "
        return text + f"expected {visible(self.expected)}"


def _short(value: str, limit: int = 60) -> str:
    value = str(value)
    if len(value) > limit:
        value = value[:limit] + f"... ({len(value):,} characters)"
    return repr(value)


MAX_LISTED = 50
"""The most problems a message lists one by one; the rest are counted (fixing the first often fixes many)."""


def listed(problems: list[Problem]) -> list[str]:
    """The lines that list problems: at most :data:`MAX_LISTED`, then how many more there are.

    >>> listed([Problem("roles.csv", row, "title", None, "a value") for row in range(2, 54)])[-1]
    '  ... and 2 more problems not listed here.'
    """
    lines = [f"  - {problem.describe()}" for problem in problems[:MAX_LISTED]]
    rest = len(problems) - MAX_LISTED
    if rest > 0:
        lines.append(f"  ... and {rest:,} more problem{'s' if rest != 1 else ''} not listed here.")
    return lines


class DataError(ValueError):
    """The course data (tables or question banks) has problems; the message lists every one.

    ``problems`` holds them as :class:`Problem` records for programs that want to
    inspect them.

    >>> import rolelib
    >>> try:
    ...     rolelib.load("no-such-folder")
    ... except rolelib.DataError as error:
    ...     print(error.problems[0].expected)
    a folder holding the course's CSV files (a copy of data/)
    """

    def __init__(self, problems: list[Problem], data_dir: str = "") -> None:
        self.problems = list(problems)
        self.data_dir = data_dir
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the course data"
        if data_dir:
            head += f" in {data_dir}"
        lines = [head + ":"] + listed(self.problems)
        lines.append("Fix the file(s) named above, then load again. "
                     "`rolelib validate DATA_DIR` checks a data directory without opening a notebook.")
        super().__init__("\n".join(lines))


class UnknownNameError(KeyError, ValueError):
    """A name (a question id, a role, a chart, a lesson, a difference) the course does not know.

    The message lists the valid names. It is both a KeyError and a ValueError, so code
    written against either of the errors earlier versions raised still catches it.

    >>> error = UnknownNameError("role", "CFO", ["CIO", "CISO", "CSO"])
    >>> str(error)
    "no role 'CFO'; the roles are: CIO, CISO, CSO"
    >>> isinstance(error, KeyError) and isinstance(error, ValueError)
    True
    """

    def __init__(self, what: str, name: object, known: "Iterable[object]", *, plural: str = "",
                 suggest: bool = True) -> None:
        self.what = what
        self.name = name
        self.known = [str(item) for item in known]
        close = difflib.get_close_matches(str(name), self.known, n=2, cutoff=0.75) if suggest else []
        hint = f" (did you mean {', '.join(map(repr, close))}?)" if close and str(name) not in close else ""
        self.message = (f"no {what} {name!r}; the {plural or what + 's'} are: "
                        f"{', '.join(self.known) or '(none)'}{hint}")
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return self.message


DataError.__module__ = "rolelib"  # shown as rolelib.DataError, the name learners and instructors use
UnknownNameError.__module__ = "rolelib"
