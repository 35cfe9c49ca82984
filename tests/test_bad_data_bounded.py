"""No data or bank file can make loading or checking run away, and validate warns about what a page would not show."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

import rolelib
import rolelib._tables
import rolelib.cli
import rolelib.questions
from rolelib import DataError
from tests.helpers import cell_edit, csv_rows, write_csv_rows


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
    cell_edit("roles.csv", 2, "group", "board" * 20_000)(data_copy)
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
    cell_edit("notes.csv", 2, "statement", statement)(data_copy)
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
    cell_edit("roles.csv", 3, "title", "Chief <b>Information</b> Security Officer")(data_copy)
    cell_edit("responsibilities.csv", 2, "statement", "Keeps R&amp;D systems running.")(data_copy)
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
    cell_edit("roles.csv", 3, "title", "Chief Information\x0bSecurity Officer")(data_copy)
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
