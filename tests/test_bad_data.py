"""A corpus of broken data sets: each fails with one DataError naming the file, row and column."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Callable

import pytest

import rolelib
import rolelib._tables
import rolelib.cli
import rolelib.questions
from rolelib import DataError
from rolelib.data import _CHECKED
from tests.helpers import csv_rows, set_cell, write_csv_rows


def _set_cell(file: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """Change one cell; `row` counts as a spreadsheet does (the header is row 1)."""
    def mutate(data: Path) -> None:
        set_cell(data / file, row, column, value)
    return mutate


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
    _set_cell("notes.csv", 3, "statement", "x" * 10_000_000)(data)


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
    "misspelt column": (_set_cell("roles.csv", 1, "definition", "definiton"), "roles.csv", 1, "definiton",
                        "only the documented columns"),
    "duplicate id": (_set_cell("responsibilities.csv", 3, "responsibility_id", "R-CIO-01"),
                     "responsibilities.csv", 3, "responsibility_id", "an id not used in another row"),
    "dangling role reference": (_set_cell("reporting_lines.csv", 4, "reports_to", "CFO"),
                                "reporting_lines.csv", 4, "reports_to", "an id listed in roles.csv"),
    "dangling optional role reference": (_set_cell("notes.csv", 5, "role_id", "CFO"),
                                         "notes.csv", 5, "role_id", "an id listed in roles.csv"),
    "dangling certification": (_set_cell("role_certifications.csv", 2, "certification_id", "CEH"),
                               "role_certifications.csv", 2, "certification_id", "an id listed in certifications.csv"),
    "unknown source": (_set_cell("focus.csv", 5, "source_id", "wikipedia"), "focus.csv", 5, "source_id",
                       "an id listed in sources.csv"),
    "misspelt goal": (_set_cell("focus.csv", 2, "goal", "inovation"), "focus.csv", 2, "goal",
                      "a goal listed in vocabulary.csv (did you mean 'innovation'?)"),
    "misspelt area": (_set_cell("responsibilities.csv", 2, "area", "stratgy"), "responsibilities.csv", 2, "area",
                      "an area listed in vocabulary.csv (did you mean 'strategy'?)"),
    "goal of another vocabulary": (_set_cell("focus.csv", 3, "goal", "budget"), "focus.csv", 3, "goal",
                                   "add a row to vocabulary.csv for a new goal"),
    "near-duplicate term": (_append_line("vocabulary.csv", "goal,Inovation,New ideas put to use.\n"),
                            "vocabulary.csv", 47, "term", "Did you mean 'innovation'?"),
    "repeated term": (_append_line("vocabulary.csv", "area,budget,Money again.\n"), "vocabulary.csv", 47,
                      "kind + term", "each combination of kind and term only once"),
    "wrong type": (_set_cell("dimensions.csv", 3, "order", "second"), "dimensions.csv", 3, "order",
                   "a whole number"),
    "unknown category value": (_set_cell("reporting_lines.csv", 2, "typicality", "usual"),
                               "reporting_lines.csv", 2, "typicality", "one of: 'typical', 'possible'"),
    "empty required cell": (_set_cell("education.csv", 4, "statement", "   "), "education.csv", 4, "statement",
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
    "text too long": (_set_cell("focus.csv", 2, "statement", "word " * 200), "focus.csv", 2, "statement",
                      "at most 600 characters"),
    "unquoted comma": (_append_line("responsibilities.csv", "R-CIO-99,CIO,budget,Plans, buys and pays,article\n"),
                       "responsibilities.csv", 29, None, "a comma inside a value needs the value in double quotes"),
    "unterminated quote": (_append_line("notes.csv", 'N-99,roles,,"never closed,article\n'), "notes.csv", 17, None,
                           "well-formed CSV row"),
    "role reports to itself": (_set_cell("reporting_lines.csv", 4, "reports_to", "CISO"),
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
    _set_cell("reporting_lines.csv", 2, "typicality", "usual")(data_copy)
    _set_cell("focus.csv", 3, "role_id", "CXO")(data_copy)
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
    _set_cell("roles.csv", 2, "group", "board")(data_copy)
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
    "quoted commas and newlines": _set_cell("notes.csv", 2, "statement",
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


# -- bounded reading: no file can make loading or checking run away --------------------------


def _validate(folder: Path, capsys) -> tuple[int, str]:
    status = rolelib.cli.main(["validate", str(folder)])
    return status, capsys.readouterr().out


def _bank(data: Path, name: str = "01_focus.yaml") -> Path:
    return data / "questions" / name


def _set_prompt(data: Path, question_id: str, prompt: str) -> None:
    """Give a question (or a variant) of the 01_focus bank another one-line prompt, written as YAML."""
    bank = _bank(data)
    text = bank.read_text(encoding="utf-8")
    start = text.index("prompt:", text.index(f"- id: {question_id}\n"))
    indent = text[text.rindex("\n", 0, start) + 1:start]
    end = text.index("\n" + indent, start + 1)
    bank.write_text(text[:start] + "prompt: " + prompt + text[end:], encoding="utf-8")


LAUGHS = "lesson: 01_focus\nquestions:\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  - &a{n} [{', '.join(['*a' + str(n - 1)] * 9)}]\n" for n in range(1, 9)) + "  - *a8\n"


def test_yaml_aliases_are_refused_naming_the_file(data_copy, capsys):
    _bank(data_copy).write_text(LAUGHS, encoding="utf-8")
    status, out = _validate(data_copy, capsys)
    assert status == 1
    (line,) = [line for line in out.splitlines() if "01_focus.yaml" in line]
    assert "no YAML aliases" in line and "lol" not in out
    with pytest.raises(DataError, match="no YAML aliases"):
        rolelib.questions.load_banks(rolelib.load(data_copy))


def test_a_harmless_alias_is_refused_too_and_anchors_alone_are_fine(data_copy):
    text = _bank(data_copy).read_text(encoding="utf-8").replace("    hints:\n", "    hints: &shared\n", 1)
    _bank(data_copy).write_text(text, encoding="utf-8")
    assert rolelib.questions.bank_problems(data_copy) == []
    _bank(data_copy).write_text(text + "  - {id: extra-1, hints: *shared}\n", encoding="utf-8")
    (problem,) = rolelib.questions.bank_problems(data_copy)
    assert problem.file == "questions/01_focus.yaml" and problem.expected.startswith("no YAML aliases")


def test_a_key_given_twice_in_a_bank_is_refused_naming_its_line(data_copy, capsys):
    bank = _bank(data_copy)
    text = bank.read_text(encoding="utf-8")
    # A new question pasted at the end under a second 'questions:', as if it started a list of its own.
    bank.write_text(text + "questions:\n  - id: focus-9\n    kind: reflect\n    topic: focus\n    level: understand\n"
                    "    prompt: Why?\n    explanation: Because.\n    source: article\n", encoding="utf-8")
    status, out = _validate(data_copy, capsys)
    line = len(text.splitlines()) + 1
    assert status == 1, "the first six questions of the lesson would silently disappear"
    assert (f"questions/01_focus.yaml, row {line}, column 'questions': expected the key 'questions' once in each "
            "mapping (line 3 has it already") in out
    answer = "    answer: Pushing technology innovation and helping the business grow\n"
    bank.write_text(text.replace(answer, answer + "    answer: Something else\n", 1), encoding="utf-8")
    (problem,) = rolelib.questions.bank_problems(data_copy)
    assert (problem.row, problem.column) == (text[:text.index(answer)].count("\n") + 2, "answer")


def test_a_lesson_without_its_bank_is_a_problem_naming_the_file_saved_under_another_name(data_copy, capsys):
    _bank(data_copy).rename(_bank(data_copy, "01_focus.yaml.txt"))  # as a text editor's Save As may name it
    status, out = _validate(data_copy, capsys)
    assert status == 1, "the lesson's notebook would show no exercise"
    assert ("questions/01_focus.yaml: expected this file to exist: the questions the lesson's notebook shows (copy it "
            "from the course's data/questions/); questions/01_focus.yaml.txt is not read") in out


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-02-30", "a date that exists, or text in quotes: YAML reads '2026-02-30' as a date"),
    ("1" * 5000, "a number that exists, or text in quotes"),
])
def test_a_value_yaml_cannot_build_is_refused_naming_its_line(data_copy, capsys, value, expected):
    bank = _bank(data_copy)
    text = bank.read_text(encoding="utf-8")
    option = "      - Keeping the existing IT systems running at the lowest cost\n"
    bank.write_text(text.replace(option, f"      - {value}\n", 1), encoding="utf-8")
    status, out = _validate(data_copy, capsys)
    assert status == 1 and "Traceback" not in out
    assert f"questions/01_focus.yaml, row {text[:text.index(option)].count(chr(10)) + 1}: expected {expected}" in out
    with pytest.raises(DataError, match="a date that exists|a number that exists"):
        rolelib.questions.load_banks(rolelib.load(data_copy))


def test_a_date_where_text_belongs_is_named_a_date(data_copy):
    bank = _bank(data_copy)
    option = "      - Keeping the existing IT systems running at the lowest cost\n"
    bank.write_text(bank.read_text(encoding="utf-8").replace(option, "      - 2026-02-28\n", 1), encoding="utf-8")
    (problem,) = rolelib.questions.bank_problems(data_copy)
    assert (problem.column, problem.value) == ("options", "2026-02-28")
    assert problem.expected.startswith("text (YAML read this as a date; put it in quotes)")


@pytest.mark.parametrize("nesting", ["[" * 20_000 + "]" * 20_000, "\n      " + "- " * 20_000 + "x",
                                     "[" * 12 + "x" + "]" * 12], ids=["flow", "block", "past-the-limit"])
def test_a_prompt_nested_too_deep_is_refused_naming_the_file(data_copy, capsys, nesting):
    text = _bank(data_copy).read_text(encoding="utf-8")
    start = text.index("    prompt:")
    end = text.index("\n    ", start + 1)
    _bank(data_copy).write_text(text[:start] + "    prompt: " + nesting + text[end:], encoding="utf-8")
    status, out = _validate(data_copy, capsys)
    assert status == 1 and "Traceback" not in out
    assert "questions/01_focus.yaml" in out and ("nesting" in out or "valid YAML" in out)
    assert len(out) < 2000


def test_files_over_the_stated_size_are_refused_by_name(data_copy, capsys, monkeypatch):
    _bank(data_copy).write_text(_bank(data_copy).read_text(encoding="utf-8") + "#" * 1_000_001, encoding="utf-8")
    monkeypatch.setattr(rolelib._tables, "MAX_TABLE_BYTES", 1000)
    status, out = _validate(data_copy, capsys)
    assert status == 1
    assert "questions/01_focus.yaml: expected a file of at most 1,000,000 bytes" in out
    size = (data_copy / "responsibilities.csv").stat().st_size
    assert f"responsibilities.csv: expected a file of at most 1,000 bytes (this one has {size:,})" in out


def test_a_long_value_is_shown_shortened(data_copy):
    _set_cell("roles.csv", 2, "group", "board" * 20_000)(data_copy)
    with pytest.raises(DataError) as caught:
        rolelib.load(data_copy)
    (line,) = [line for line in str(caught.value).splitlines() if "roles.csv" in line]
    assert "(100,000 characters)" in line and len(line) < 300


def test_a_long_list_in_a_bank_is_shown_shortened(data_copy):
    text = _bank(data_copy).read_text(encoding="utf-8")
    start = text.index("    prompt:")
    end = text.index("\n    ", start + 1)
    _bank(data_copy).write_text(text[:start] + "    prompt: [" + ", ".join(["word"] * 50_000) + "]" + text[end:],
                                encoding="utf-8")
    (problem,) = [p for p in rolelib.questions.bank_problems(data_copy) if p.column == "prompt"]
    assert len(problem.describe()) < 300


def test_validate_lists_a_stated_number_of_problems_then_counts_the_rest(data_copy, capsys):
    rows = csv_rows(data_copy / "responsibilities.csv")
    write_csv_rows(data_copy / "responsibilities.csv",
                rows + [[f"R-X-{n}", "NOPE", "nowhere", "", "nosource"] for n in range(1000)])
    status, out = _validate(data_copy, capsys)
    listed = [line for line in out.splitlines() if line.startswith("  - ")]
    assert status == 1 and len(listed) == rolelib._errors.MAX_LISTED
    assert out.startswith("4,000 problems in ")
    assert f"  ... and {4000 - rolelib._errors.MAX_LISTED:,} more problems not listed here." in out
    with pytest.raises(DataError) as caught:
        rolelib.load(data_copy)
    assert len(str(caught.value).splitlines()) == rolelib._errors.MAX_LISTED + 3


@pytest.mark.parametrize("separator, name", [(";", "semicolons (;)"), ("\t", "tabs")])
def test_a_csv_separated_by_semicolons_or_tabs_is_recognised(data_copy, separator, name):
    rows = csv_rows(data_copy / "roles.csv")
    with open(data_copy / "roles.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=separator).writerows(rows)
    with pytest.raises(DataError) as caught:
        rolelib.load(data_copy)
    (problem,) = [p for p in caught.value.problems if p.file == "roles.csv"]
    assert f"this file separates them with {name}" in problem.expected and "Save As" in problem.expected


def test_a_line_separator_inside_a_quoted_cell_stays_in_the_cell(data_copy):
    statement = "The CIO and the CISO\u2028lead IT together\u2029and apart\x85too."
    _set_cell("notes.csv", 2, "statement", statement)(data_copy)
    assert rolelib.load(data_copy).notes.loc[0, "statement"] == statement


SECRET = "root:x:0:0:the first line of a private file\n"


@pytest.mark.parametrize("file", ["roles.csv", "questions/01_focus.yaml"])
def test_a_link_out_of_the_data_folder_is_not_followed(data_copy, tmp_path, capsys, file):
    outside = tmp_path / "private.txt"
    outside.write_text(SECRET, encoding="utf-8")
    (data_copy / file).unlink()
    (data_copy / file).symlink_to(outside)
    status, out = _validate(data_copy, capsys)
    assert status == 1 and "root:x" not in out
    assert f"{file}: expected a file inside the data folder, not a link to {outside} outside it" in out


def test_a_link_inside_the_data_folder_is_fine(data_copy):
    (data_copy / "roles-kept.csv").write_bytes((data_copy / "roles.csv").read_bytes())
    (data_copy / "roles.csv").unlink()
    (data_copy / "roles.csv").symlink_to(data_copy / "roles-kept.csv")
    assert rolelib.load(data_copy).compared_roles == ["CIO", "CISO", "CSO"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_or_a_folder_in_place_of_a_file_is_refused_without_waiting(data_copy, capsys):
    (data_copy / "roles.csv").unlink()
    os.mkfifo(data_copy / "roles.csv")
    (data_copy / "questions" / "01_focus.yaml").unlink()
    (data_copy / "questions" / "01_focus.yaml").mkdir()
    status, out = _validate(data_copy, capsys)
    assert status == 1
    assert "roles.csv: expected a regular file (this is a pipe, device or socket)" in out
    assert "questions/01_focus.yaml: expected a regular file (this is a folder)" in out


# -- course text is text: validate warns about markup ---------------------------------------


def test_validate_warns_about_markup_and_remote_images_in_course_text(data_copy, capsys):
    _set_cell("roles.csv", 3, "title", "Chief <b>Information</b> Security Officer")(data_copy)
    _set_cell("responsibilities.csv", 2, "statement", "Keeps R&amp;D systems running.")(data_copy)
    _set_prompt(data_copy, "focus-1", '"Look: ![chart](https://tracker.example/p.gif)"')
    status, out = _validate(data_copy, capsys)
    assert status == 0 and out.startswith("All is well")
    assert "4 warnings (the course works, but check these):" in out  # the statement is an item of resp-1-b too
    assert "roles.csv, row 3, column 'title': found 'Chief <b>Information</b> Security Officer'; expected plain text" in out
    assert "responsibilities.csv, row 2, column 'statement'" in out
    assert ("questions/01_focus.yaml, question 'focus-1', column 'prompt': found 'https://tracker.example/p.gif'; "
            "expected an image shipped with the course") in out


def test_validate_warns_about_markup_in_a_variant_too(data_copy, capsys):
    _set_prompt(data_copy, "focus-1-b", '"Which is <i>the</i> focus of a CISO?"')
    status, out = _validate(data_copy, capsys)
    assert status == 0 and "questions (and 18 variants) checked" in out
    assert "question 'focus-1-b', column 'prompt': found 'Which is <i>the</i> focus of a CISO?'" in out


def test_validate_warns_about_control_characters_pasted_into_course_text(data_copy, capsys):
    _set_cell("roles.csv", 3, "title", "Chief Information\x0bSecurity Officer")(data_copy)
    _set_prompt(data_copy, "focus-1", '"What is a CIO\\x01s focus?"')
    status, out = _validate(data_copy, capsys)
    assert status == 0 and out.startswith("All is well")
    assert "roles.csv, row 3, column 'title': found 'Chief Information\\x0bSecurity Officer'; expected text " \
           "without invisible control characters" in out
    assert "questions/01_focus.yaml, question 'focus-1', column 'prompt': found 'What is a CIO\\x01s focus?'" in out
    assert "\x0b" not in out and "\x01" not in out  # shown as escapes: nothing invisible reaches the terminal


@pytest.mark.parametrize("hint", ["sep=,", "sep=;", '"sep=,"'])
def test_a_spreadsheets_separator_hint_above_the_header_is_named_with_the_fix(data_copy, capsys, hint):
    roles = data_copy / "roles.csv"
    roles.write_text(hint + "\n" + roles.read_text(encoding="utf-8"), encoding="utf-8")
    status, out = _validate(data_copy, capsys)
    assert status == 1 and out.startswith("1 problem in")
    assert "roles.csv, row 1: found 'sep=" in out and "delete that line" in out
