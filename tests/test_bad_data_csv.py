"""A corpus of broken data sets: each fails with one DataError naming the file, row and column; ordinary edits load."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

import rolelib
from rolelib import DataError
from rolelib.data import _CHECKED
from tests.helpers import cell_edit, csv_rows, write_csv_rows


def _drop_column(file: str, column: str) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        rows = csv_rows(data / file)
        index = rows[0].index(column)
        write_csv_rows(data / file, [row[:index] + row[index + 1:] for row in rows])
    return mutate


def _replace_bytes(file: str, content: bytes) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        (data / file).write_bytes(content)
    return mutate


def _append_line(file: str, line: str) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        with open(data / file, "a", encoding="utf-8", newline="") as handle:
            handle.write(line)
    return mutate


def _header_only(file: str) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        write_csv_rows(data / file, csv_rows(data / file)[:1])
    return mutate


def _non_utf8(data: Path) -> None:
    text = (data / "roles.csv").read_text(encoding="utf-8").replace("Chief Security Officer", "Chief Sécurity Officer")
    (data / "roles.csv").write_bytes(text.encode("latin-1"))


def _huge_field(data: Path) -> None:
    cell_edit("notes.csv", 3, "statement", "x" * 10_000_000)(data)


def _duplicate_pair(data: Path) -> None:
    rows = csv_rows(data / "role_certifications.csv")
    copy = list(rows[1])
    copy[0] = "C-CISO-CISSP-2"
    rows.append(copy)
    write_csv_rows(data / "role_certifications.csv", rows)


# name -> (mutation, file, row, column, words the message must contain)
CASES: dict[str, tuple[Callable[[Path], None], str, int | None, str | None, str]] = {
    "missing file": (lambda d: (d / "education.csv").unlink(), "education.csv", None, None, "to exist"),
    "missing column": (_drop_column("focus.csv", "statement"), "focus.csv", 1, "statement", "a column named"),
    "misspelt column": (cell_edit("roles.csv", 1, "definition", "definiton"), "roles.csv", 1, "definiton",
                        "only the documented columns"),
    "duplicate id": (cell_edit("responsibilities.csv", 3, "responsibility_id", "R-CIO-01"),
                     "responsibilities.csv", 3, "responsibility_id", "an id not used in another row"),
    "dangling role reference": (cell_edit("reporting_lines.csv", 4, "reports_to", "CFO"),
                                "reporting_lines.csv", 4, "reports_to", "an id listed in roles.csv"),
    "dangling optional role reference": (cell_edit("notes.csv", 5, "role_id", "CFO"),
                                         "notes.csv", 5, "role_id", "an id listed in roles.csv"),
    "dangling certification": (cell_edit("role_certifications.csv", 2, "certification_id", "CEH"),
                               "role_certifications.csv", 2, "certification_id", "an id listed in certifications.csv"),
    "unknown source": (cell_edit("focus.csv", 5, "source_id", "wikipedia"), "focus.csv", 5, "source_id",
                       "an id listed in sources.csv"),
    "misspelt goal": (cell_edit("focus.csv", 2, "goal", "inovation"), "focus.csv", 2, "goal",
                      "a goal listed in vocabulary.csv (did you mean 'innovation'?)"),
    "misspelt area": (cell_edit("responsibilities.csv", 2, "area", "stratgy"), "responsibilities.csv", 2, "area",
                      "an area listed in vocabulary.csv (did you mean 'strategy'?)"),
    "goal of another vocabulary": (cell_edit("focus.csv", 3, "goal", "budget"), "focus.csv", 3, "goal",
                                   "add a row to vocabulary.csv for a new goal"),
    "near-duplicate term": (_append_line("vocabulary.csv", "goal,Inovation,New ideas put to use.\n"),
                            "vocabulary.csv", 47, "term", "Did you mean 'innovation'?"),
    "repeated term": (_append_line("vocabulary.csv", "area,budget,Money again.\n"), "vocabulary.csv", 47,
                      "kind + term", "each combination of kind and term only once"),
    "wrong type": (cell_edit("dimensions.csv", 3, "order", "second"), "dimensions.csv", 3, "order",
                   "a whole number"),
    "unknown category value": (cell_edit("reporting_lines.csv", 2, "typicality", "usual"),
                               "reporting_lines.csv", 2, "typicality", "one of: 'typical', 'possible'"),
    "empty required cell": (cell_edit("education.csv", 4, "statement", "   "), "education.csv", 4, "statement",
                            "must not be empty"),
    "values in a column with no name": (lambda d: write_csv_rows(d / "roles.csv", [
        row + ["CIO's budget" if number == 2 else ""] for number, row in enumerate(csv_rows(d / "roles.csv"), start=1)]),
        "roles.csv", 1, "(blank)", "only the documented columns"),
    "empty file": (_replace_bytes("certifications.csv", b""), "certifications.csv", None, None,
                   "a header row naming the columns"),
    "only blank rows": (_replace_bytes("certifications.csv", b",,,\n , ,\n"), "certifications.csv", None, None,
                        "a header row naming the columns"),
    "header only": (_header_only("sources.csv"), "sources.csv", 2, None, "at least one data row"),
    "non-UTF-8 bytes": (_non_utf8, "roles.csv", 4, None, "UTF-8"),
    "10 MB field": (_huge_field, "notes.csv", 3, None, "very long cells"),
    "text too long": (cell_edit("focus.csv", 2, "statement", "word " * 200), "focus.csv", 2, "statement",
                      "at most 600 characters"),
    "unquoted comma": (_append_line("responsibilities.csv", "R-CIO-99,CIO,budget,Plans, buys and pays,article\n"),
                       "responsibilities.csv", 29, None, "a comma inside a value needs the value in double quotes"),
    "unterminated quote": (_append_line("notes.csv", 'N-99,roles,,"never closed,article\n'), "notes.csv", 17, None,
                           "well-formed CSV row"),
    "role reports to itself": (cell_edit("reporting_lines.csv", 4, "reports_to", "CISO"),
                               "reporting_lines.csv", 4, "reports_to", "a role other than the one in role_id"),
    "duplicate role and certification pair": (_duplicate_pair, "role_certifications.csv", 8,
                                              "role_id + certification_id", "only once"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_data_names_file_row_and_column(case, data_copy):
    mutate, file, row, column, words = CASES[case]
    mutate(data_copy)
    with pytest.raises(DataError) as caught:
        rolelib.load(data_copy)
    matching = [p for p in caught.value.problems if p.file == file]
    assert matching, f"no problem names {file}: {caught.value}"
    problem = matching[0]
    assert problem.row == row, str(caught.value)
    assert problem.column == column, str(caught.value)
    assert words in problem.expected, str(caught.value)
    message = str(caught.value)
    assert file in message and words in message
    if row is not None:
        assert f"row {row}" in message
    assert str(data_copy) not in _CHECKED, "a failed load must leave nothing in the cache"


def test_every_problem_is_reported_at_once(data_copy):
    cell_edit("reporting_lines.csv", 2, "typicality", "usual")(data_copy)
    cell_edit("focus.csv", 3, "role_id", "CXO")(data_copy)
    (data_copy / "education.csv").unlink()
    with pytest.raises(DataError) as caught:
        rolelib.load(data_copy)
    files = {p.file for p in caught.value.problems}
    assert {"reporting_lines.csv", "focus.csv", "education.csv"} <= files
    assert str(caught.value).startswith("3 problems in the course data")


def test_a_missing_folder_is_explained(tmp_path):
    with pytest.raises(DataError, match="a folder holding the course's CSV files"):
        rolelib.load(tmp_path / "nowhere")


def test_after_a_failed_load_the_fixed_data_loads(data_copy):
    original = (data_copy / "roles.csv").read_bytes()
    cell_edit("roles.csv", 2, "group", "board")(data_copy)
    with pytest.raises(DataError, match="'compared', 'executive'"):
        rolelib.load(data_copy)
    (data_copy / "roles.csv").write_bytes(original)
    assert rolelib.load(data_copy).compared_roles == ["CIO", "CISO", "CSO"]


def _frames(data):
    return {name: frame.astype(str).reset_index(drop=True) for name, frame in data.tables.items()}


def _respell(data: Path, transform: Callable[[str], str]) -> None:
    for path in data.glob("*.csv"):
        path.write_bytes(transform(path.read_text(encoding="utf-8")).encode("utf-8"))


EDITS: dict[str, Callable[[Path], None]] = {
    "UTF-8 BOM": lambda d: [p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()) for p in d.glob("*.csv")],
    "CRLF line ends": lambda d: _respell(d, lambda t: t.replace("\n", "\r\n")),
    "trailing blank lines": lambda d: _respell(d, lambda t: t + "\n\n,,,\n"),
    "an empty column at the end (a spreadsheet's)": lambda d: [write_csv_rows(p, [row + [""] for row in csv_rows(p)])
                                                              for p in d.glob("*.csv")],
    "spaces around values": lambda d: [write_csv_rows(p, [[f"  {c} " for c in row] for row in csv_rows(p)])
                                       for p in d.glob("*.csv")],
    "columns in another order": lambda d: [write_csv_rows(p, [row[::-1] for row in csv_rows(p)]) for p in d.glob("*.csv")],
    "quoted commas and newlines": cell_edit("notes.csv", 2, "statement",
                                            "The CIO and the CISO,\nboth senior, lead IT together."),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_ordinary_spreadsheet_edits_load(edit, data_copy):
    expected = _frames(rolelib.load())
    EDITS[edit](data_copy)
    loaded = _frames(rolelib.load(data_copy))
    if edit == "quoted commas and newlines":
        assert loaded["notes"].loc[0, "statement"] == "The CIO and the CISO,\nboth senior, lead IT together."
        loaded["notes"].loc[0, "statement"] = expected["notes"].loc[0, "statement"]
    for name in expected:
        assert loaded[name].equals(expected[name]), name


def test_problem_lines_read_well():
    problem = rolelib._errors.Problem("roles.csv", 4, "group", "board", "one of: 'compared', 'executive'")
    assert problem.describe() == ("roles.csv, row 4, column 'group': found 'board'; "
                                  "expected one of: 'compared', 'executive'")
