"""Grades into Canvas and Moodle: a gradebook file in each LMS's documented import format.

:func:`lms_gradebook` turns the class report's learners table (learner, account, score,
percent) into the file an instructor uploads, and lists every learner it could not map to
an LMS user, with the reason: nobody is dropped silently.

**Who is who.** A learner is mapped by the identity recorded in the export: ``account``
(the JupyterHub login) first; a learner without one is looked up by name in the
instructor's mapping file (see :func:`read_lms_map`). A learner with neither, two
learners mapped to the same LMS user, and an identity a spreadsheet would read as a
formula are listed as unmapped.

**Canvas** (``canvas_gradebook.csv``). Followed: Instructure's guide "How do I import grades
in the Gradebook?" (Canvas Instructor Guide,
https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807)
and the layout of Canvas's own gradebook export ("How do I export grades in the
Gradebook?"). The rules kept: a UTF-8 CSV whose first row is the header Student, ID, SIS
User ID, SIS Login ID, Section, then one column per assignment; a second row whose first
cell is "Points Possible" giving each assignment's points; then one row per student. A
student is recognised by ID, SIS User ID or SIS Login ID: the course does not know
Canvas's numeric ID, so the LMS login goes into SIS Login ID and the name into Student
(shown in Canvas's preview; Canvas also tries it when no user has the SIS Login ID). Canvas
reads any row whose first cell holds "Points Possible" as the points row, so a learner's name
holding those words is left out of the Student cell (the grade stays, found by the login). An
assignment column named like an existing assignment with its id in parentheses, "CIO vs CISO
course (1234)", updates that assignment; a name Canvas does not know creates a new assignment,
worth the points possible. The points are
the report's score (one point per graded question, part of it for a partly right answer).

**Moodle** (``moodle_grades.csv``). Followed: MoodleDocs "Grade import", CSV import
(https://docs.moodle.org/en/Grade_import). The rules kept: a UTF-8, comma-separated file
whose first row names the columns; on import the instructor picks the column that
identifies users ("Map from") and the user field it holds ("Map to": username, or email
address; email addresses are compared case-sensitively), and maps each grade column to an
existing grade item or to a new one. The file has one identity column, "Username" (or
"Email address" when the mapping file gives emails), the learner's name for checking, and
the grade column holding the percent (0 to 100, which fits the maximum grade of 100 that
Moodle gives a grade item it creates on import).

**Safe in a spreadsheet.** Every field is quoted, and a cell of learner-supplied text that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or has one of those
after a ``,``, ``;``, tab or line break, is prefixed with ``'`` (OWASP, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection). An identity cannot be changed
without breaking the match, so a learner whose LMS login or email would need it is listed
as unmapped instead.

>>> import pandas as pd
>>> learners = pd.DataFrame({"learner": ["Ann Lee", "Bo Chen"], "account": ["alee", ""],
...                          "score": [24.5, 12.0], "percent": [81.7, 40.0]})
>>> gradebook = lms_gradebook("canvas", learners, points_possible=30)
>>> print(gradebook.text, end="")
"Student","ID","SIS User ID","SIS Login ID","Section","CIO vs CISO course"
"Points Possible","","","","","30"
"Ann Lee","","","alee","","24.5"
>>> gradebook.unmapped.to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'learner': 'Bo Chen', 'account': '',
  'reason': 'no account in the export and no line in the mapping file'}]
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rolelib._errors import Problem, UnknownNameError
from rolelib._markup import counted
from rolelib._spreadsheet import csv_text, neutralised
from rolelib._terminal import visible

if TYPE_CHECKING:
    import pandas as pd

    from rolelib._types import PathLike

DEFAULT_ASSIGNMENT = "CIO vs CISO course"
"""The name of the assignment (Canvas) or grade item (Moodle) the grades go to, by default."""

LMS_FILES = {"canvas": "canvas_gradebook.csv", "moodle": "moodle_grades.csv"}
"""The file each LMS's gradebook is written to, beside the class report's other files."""

_MAP_FIELDS = ("login", "email")
_UNMAPPED_COLUMNS = ["learner", "account", "reason"]
# A formula start at the beginning of a cell, or after a separator or line break (OWASP).
_CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


@dataclass(frozen=True)
class LmsMap:
    """The instructor's mapping of learners' names to LMS users, read by :func:`read_lms_map`.

    ``field`` is "login" or "email"; ``users`` maps a learner's name (case and spacing
    ignored) to the LMS login or email.
    """

    field: str
    users: Mapping[str, str]

    def get(self, learner: str) -> str:
        """The LMS user of ``learner`` ('' when the map does not name them)."""
        return self.users.get(_name_key(learner), "")


@dataclass(frozen=True, repr=False)
class LmsGradebook:
    """A gradebook file for one LMS: its CSV ``text``, the learners in it and those left out.

    ``unmapped`` has the columns learner, account, reason.
    """

    lms: str
    text: str
    mapped: int
    unmapped: pd.DataFrame

    @property
    def file_name(self) -> str:
        """canvas_gradebook.csv or moodle_grades.csv."""
        return LMS_FILES[self.lms]

    def write(self, folder: PathLike) -> Path:
        """Write the file into ``folder`` (created if needed) and return its path."""
        target = Path(folder).expanduser()
        target.mkdir(parents=True, exist_ok=True)
        path = target / self.file_name
        path.write_text(self.text, encoding="utf-8", newline="")
        return path

    def summary(self) -> str:
        """A few lines for a console: how many learners the file holds and each one left out, with why.

        Names are shown with their control characters made visible.
        """
        lms = self.lms.capitalize()
        lines = [f"{lms} gradebook: {counted(self.mapped, 'learner')} in {self.file_name}, "
                 f"{counted(len(self.unmapped), 'learner')} not mapped to a {lms} user."]
        if len(self.unmapped):
            lines.append(f"Not in {self.file_name} (give their {lms} login in a mapping file, --lms-map):")
            lines += [f"  - {visible(row.learner)}: {visible(row.reason)}" for row in self.unmapped.itertuples()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()


def read_lms_map(path: PathLike) -> LmsMap:
    """Read a mapping file: a CSV with a header ``learner,login`` or ``learner,email``, one learner a row.

    Names are matched ignoring case and spacing. The file may come from a spreadsheet (a
    byte-order mark, CRLF line ends, semicolons or tabs between cells). ValueError names the
    file, row and column of every problem.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "map.csv")
    ...     _ = open(path, "w").write("learner,email\\nBo  Chen,bo@example.edu\\n")
    ...     read_lms_map(path).get("bo chen")
    'bo@example.edu'
    """
    path = Path(path).expanduser()
    try:
        payload = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read the mapping file {path}: {exc.strerror or exc}") from None
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = payload[:exc.start].count(b"\n") + 1
        raise ValueError(_problems([Problem(path.name, row, None, repr(payload[exc.start:exc.start + 4]),
                                            "text saved as UTF-8 (in a spreadsheet: Save As, CSV UTF-8)")])) from None
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    header = [cell.strip().casefold() for cell in rows[0]] if rows else []
    fields = [field for field in _MAP_FIELDS if field in header]
    if "learner" not in header or len(fields) != 1:
        raise ValueError(_problems([Problem(path.name, 1, None, ",".join(header),
                                            "a header with the columns learner and login, or learner and email")]))
    field = fields[0]
    name_at, user_at = header.index("learner"), header.index(field)
    users: dict[str, str] = {}
    first_row: dict[str, int] = {}
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        name, user = cells[name_at].strip(), cells[user_at].strip()
        if not name:
            problems.append(Problem(path.name, number, "learner", name, "the learner's name as in the export"))
        elif not user:
            problems.append(Problem(path.name, number, field, user, f"the learner's LMS {field}"))
        elif field == "email" and "@" not in user:
            problems.append(Problem(path.name, number, field, user, "an email address"))
        elif users.get(_name_key(name), user) != user:
            problems.append(Problem(path.name, number, "learner", name,
                                    f"each learner once (row {first_row[_name_key(name)]} gives another {field})"))
        else:
            users[_name_key(name)] = user
            first_row.setdefault(_name_key(name), number)
    if problems:
        raise ValueError(_problems(problems))
    return LmsMap(field, users)


def lms_gradebook(lms: str, learners: pd.DataFrame, *, points_possible: float,
                  mapping: LmsMap | PathLike | None = None, assignment: str = DEFAULT_ASSIGNMENT) -> LmsGradebook:
    """The gradebook file for ``lms`` ("canvas" or "moodle") from the report's learners table.

    ``learners`` needs the columns learner, account, score and percent (as
    :attr:`ClassReport.learners` has them); ``points_possible`` is what a full score is worth
    (the report's number of graded questions). ``mapping`` is a :class:`LmsMap` or the path
    of a mapping file for learners without an account. ``assignment`` names the Canvas
    assignment or Moodle grade item ("CIO vs CISO course (1234)" updates Canvas's assignment
    1234).

    >>> import pandas as pd
    >>> learners = pd.DataFrame({"learner": ["=Ann"], "account": ["alee"], "score": [3.0], "percent": [10.0]})
    >>> print(lms_gradebook("moodle", learners, points_possible=30).text, end="")
    "Username","Full name","CIO vs CISO course"
    "alee","'=Ann","10"
    """
    if lms not in LMS_FILES:
        raise UnknownNameError("LMS", lms, LMS_FILES, plural="LMS the course writes gradebooks for")
    if mapping is not None and not isinstance(mapping, LmsMap):
        mapping = read_lms_map(mapping)
    field = mapping.field if mapping is not None else "login"
    found = [(str(learner), _text(account), *_identity(str(learner), _text(account), mapping, field), score, percent)
             for learner, account, score, percent in zip(learners["learner"], learners["account"],
                                                         learners["score"], learners["percent"])]
    # An LMS user claimed by two learners gets neither grade, so no grade lands on the wrong person.
    # Learners are told apart by position: one name may come from several accounts.
    claims: dict[str, list[int]] = {}
    for number, (_, _, user, problem, _, _) in enumerate(found):
        if not problem:
            claims.setdefault(user.casefold(), []).append(number)
    rows: list[tuple[str, str, float, float]] = []
    unmapped: list[tuple[str, str, str]] = []
    for number, (learner, account, user, problem, score, percent) in enumerate(found):
        others = [_claimant_name(found[other], learner) for other in claims.get(user.casefold(), []) if other != number]
        if others and not problem:
            problem = f"the same LMS {field} ({user}) as {', '.join(others)}: fix the mapping, then write the file again"
        if problem:
            unmapped.append((learner, account, problem))
        else:
            rows.append((learner, user, float(score), float(percent)))
    if lms == "canvas":
        table = [[*_CANVAS_IDENTITY, assignment], ["Points Possible", "", "", "", "", _number(points_possible)]]
        table += [[_canvas_student(learner), "", "", user, "", _number(score)] for learner, user, score, _ in rows]
    else:
        table = [["Email address" if field == "email" else "Username", "Full name", assignment]]
        table += [[user, learner, _number(percent)] for learner, user, _, percent in rows]
    import pandas as pd

    return LmsGradebook(lms, csv_text(table[0], table[1:]), len(rows), pd.DataFrame(unmapped, columns=_UNMAPPED_COLUMNS, dtype=object))


def _identity(learner: str, account: str, mapping: LmsMap | None, field: str) -> tuple[str, str]:
    """The learner's LMS user and '' , or '' and the reason there is none."""
    mapped = mapping.get(learner) if mapping is not None else ""
    if account and (field == "login" or "@" in account):
        user, where = account, "the account in the export"
    elif mapped:
        user, where = mapped, "the mapping file's " + field
    elif account:
        return "", f"the account in the export ({account}) is not an email and the mapping file does not name them"
    else:
        return "", "no account in the export and no line in the mapping file"
    if neutralised(user) != user or any(unicodedata.category(char)[0] in "CZ" and char != " " for char in user.strip()):
        return "", f"{where} ({visible(user)}) has characters a spreadsheet or the LMS would misread"
    return user.strip(), ""


def _claimant_name(claimant: tuple, learner: str) -> str:
    """Another learner claiming the same LMS user, named so the instructor can tell them apart."""
    name, account = claimant[0], claimant[1]
    return f"{name} (account {account})" if name == learner and account else name


def _canvas_student(learner: str) -> str:
    """The Student cell of a learner's row: the name, or '' for a name holding "Points Possible", which Canvas's
    importer would take for the row giving each assignment's points (the student is found by SIS Login ID)."""
    return "" if "points possible" in _name_key(learner) else learner


def _number(value: float) -> str:
    """A number as a gradebook reads it: at most two decimals, no trailing zeros."""
    return f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value).strip()  # None or NaN: no account


def _name_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _delimiter(text: str) -> str:
    """The separator a spreadsheet used: the first of comma, semicolon, tab found in the header line."""
    header = text.split("\n", 1)[0]
    return min((",", ";", "\t"), key=lambda sep: (sep not in header, header.find(sep)))


def _problems(problems: list[Problem]) -> str:
    lines = [f"{counted(len(problems), 'problem')} in the mapping file:"] + [f"  - {p.describe()}" for p in problems]
    return "\n".join(lines + ["Fix the file (rows are counted as a spreadsheet counts them: the header is row 1)."])
