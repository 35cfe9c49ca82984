"""The `rolelib` command: validate, report and navigation, with their output and exit codes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rolelib._schema import TABLES
from rolelib.cli import main
from rolelib.instructor.navigation import navigation_markdown
from rolelib.questions import load_banks
from rolelib.instructor.samples import make_sample_exports
from tests.helpers import REPO, set_cell


def test_validate_accepts_the_shipped_data(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    variants = sum(len(entry.variants) for entry in load_banks().values())
    assert out == (f"All is well: {len(TABLES)} tables and {len(load_banks())} questions (and {variants} variants) "
                   "checked in the course's own data.\n")


def test_validate_accepts_an_unchanged_copy(data_copy, capsys, monkeypatch):
    monkeypatch.chdir(data_copy.parent)
    assert main(["validate", "my_data"]) == 0
    assert capsys.readouterr().out.endswith("variants) checked in my_data.\n")


def test_validate_lists_a_broken_table_with_file_row_column_and_value(data_copy, capsys):
    set_cell(data_copy / "roles.csv", 3, "group", "compard")
    set_cell(data_copy / "focus.csv", 2, "role_id", "CIOO")
    assert main(["validate", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"2 problems in {data_copy}:\n")
    assert "  - roles.csv, row 3, column 'group': found 'compard'; expected one of: 'compared', 'executive'" in out
    assert "  - focus.csv, row 2, column 'role_id': found 'CIOO'; expected" in out


def test_validate_lists_a_broken_question_bank_with_question_id_and_field(data_copy, capsys):
    bank = data_copy / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("kind: single", "kind: singel", 1), encoding="utf-8")
    assert main(["validate", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "questions/01_focus.yaml, question 'focus-1', column 'kind': found 'singel'" in out


def test_validate_reports_tables_and_banks_together(data_copy, capsys):
    set_cell(data_copy / "roles.csv", 2, "group", "boss")
    (data_copy / "questions" / "02_responsibilities.yaml").write_text("lesson: [unclosed\n", encoding="utf-8")
    assert main(["validate", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"2 problems in {data_copy}:")
    assert "roles.csv, row 2, column 'group'" in out
    assert "questions/02_responsibilities.yaml" in out and "valid YAML" in out


@pytest.mark.parametrize("make, said", [("missing", "no such folder"), ("file", "a file, not a folder"),
                                        ("empty", "an empty name")])
def test_validate_says_plainly_when_the_folder_is_not_there(tmp_path, capsys, make, said):
    target = "" if make == "empty" else tmp_path / "nope"  # "": a variable that was never set, say
    if make == "file":
        target.write_text("x", encoding="utf-8")
    assert main(["validate", str(target)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"rolelib validate: '{target}' is {said}")


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["report"], ["validate", "a", "b"]])
def test_a_wrong_command_line_exits_2_with_the_usage(argv, capsys):
    assert main(argv) == 2
    assert "usage: rolelib" in capsys.readouterr().err


def test_help_and_version_exit_0(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("validate", "report", "navigation"):
        assert command in out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("rolelib ")


def test_report_prints_a_summary_lists_skipped_files_and_writes_every_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_sample_exports(tmp_path / "handed_in", learners=4)
    (tmp_path / "handed_in" / "notes.json").write_text('{"todo": []}', encoding="utf-8")
    assert main(["report", "handed_in", "--out", "results"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Class report: 5 learners, ")
    assert "2 files skipped." in out.splitlines()[0]
    assert "Hardest questions" in out and "Mastery per topic" in out
    assert "  - handed_in/notes.json: it has no \"format\" field, so it is not a rolelib progress export" in out
    assert "  - handed_in/sample_learner_04_truncated.json: the JSON ends too early" in out
    assert "Needs a look:\n  - handed in more than once: Sample learner 02: handed_in/sample_learner_02.json is used" in out
    assert "  - dated in the future: Sample learner 01: it is dated 2099-03-03 10:00 UTC" in out
    assert out.rstrip().endswith("Wrote results/gradebook.csv, results/questions.csv, results/distractors.csv, "
                                 "results/mastery.csv, results/needs_a_look.csv, results/skipped.csv, "
                                 "results/gradebook.xlsx.")
    with open(tmp_path / "results" / "gradebook.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["learner"], row["account"]) for row in rows] == [
        ("Sample learner 01", "sample01"), ("Sample learner 01", "sample05"), ("Sample learner 02", "sample02"),
        ("Sample learner 03", "sample03"), ("Sample learner 04", "sample04")]
    assert rows[1]["correct"] == "0", "the forgery claims every answer right; graded again, none is"
    assert set(rows[0]) == {"learner", "account", "attempted", "correct", "score", "percent"}
    with open(tmp_path / "results" / "skipped.csv", encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 2
    with open(tmp_path / "results" / "needs_a_look.csv", encoding="utf-8", newline="") as handle:
        assert [row["issue"] for row in csv.DictReader(handle)] == [
            "handed in more than once", "one name, several accounts", "dated in the future"]


def test_report_help_names_every_file_the_report_writes(tmp_path, capsys):
    make_sample_exports(tmp_path / "handed_in", learners=2)
    assert main(["report", str(tmp_path / "handed_in"), "--out", str(tmp_path / "results")]) == 0
    capsys.readouterr()
    assert main(["report", "--help"]) == 0
    described = " ".join(capsys.readouterr().out.split())
    assert [path.name for path in sorted((tmp_path / "results").iterdir()) if path.name not in described] == []


def test_report_max_size_lists_larger_files_without_reading_them(tmp_path, capsys):
    make_sample_exports(tmp_path / "in", learners=2, problems=False)
    assert main(["report", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--max-size", "1 KB"]) == 1
    out = capsys.readouterr().out
    assert out.count("it is larger than the limit of 1 KB") == 2
    assert main(["report", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--max-size", "5MB"]) == 0


@pytest.mark.parametrize("size", ["lots", "0", "-5MB", ""])
def test_report_refuses_a_max_size_that_is_not_a_size(tmp_path, capsys, size):
    assert main(["report", str(tmp_path), f"--max-size={size}"]) == 2
    assert "is not a size; give a number of bytes or one such as 500KB or 50MB" in capsys.readouterr().err


def test_report_out_that_cannot_be_written_gets_one_line_and_exit_1(tmp_path, capsys):
    make_sample_exports(tmp_path / "in", learners=1, problems=False)
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    assert main(["report", str(tmp_path / "in"), "--out", str(tmp_path / "taken")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"rolelib report: cannot write the report's files into '{tmp_path / 'taken'}' (")
    assert err.endswith("give --out a folder you can write to.\n") and err.count("\n") == 1


def test_report_never_prints_a_control_character_from_a_file(tmp_path, capsys):
    make_sample_exports(tmp_path / "in", learners=1, problems=False)
    (tmp_path / "in" / "\x1b]0;owned\x07.json").write_text("{", encoding="utf-8")
    main(["report", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;owned\\x07.json: the JSON ends too early" in out


def test_report_with_nothing_readable_exits_1_and_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("broken.json").write_text("{", encoding="utf-8")
    assert main(["report", "broken.json", "missing_folder"]) == 1
    captured = capsys.readouterr()
    assert "  - broken.json: the JSON ends too early" in captured.out
    assert "  - missing_folder: there is no such file or folder" in captured.out
    assert "no learner's export could be read, so no file was written" in captured.err
    assert not Path("class_report").exists()


def test_report_reads_the_banks_of_another_data_folder(tmp_path, data_copy, capsys):
    make_sample_exports(tmp_path / "in", learners=2, problems=False)
    assert main(["report", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--data", str(data_copy)]) == 0
    set_cell(data_copy / "roles.csv", 2, "group", "boss")
    assert main(["report", str(tmp_path / "in"), "--data", str(data_copy)]) == 1
    assert f"run 'rolelib validate {data_copy}'" in capsys.readouterr().err


def _lesson_notebook(path: Path, navigation: str) -> None:
    cell = {"cell_type": "markdown", "metadata": {"rolelib": {"generated": "navigation"}}, "source": navigation}
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
                    encoding="utf-8")


def test_navigation_check_finds_stale_cells_and_the_command_rewrites_them(tmp_path, capsys):
    _lesson_notebook(tmp_path / "01_focus.ipynb", "[Next](old_name.ipynb)")
    _lesson_notebook(tmp_path / "02_responsibilities.ipynb", navigation_markdown("02_responsibilities"))
    assert main(["navigation", "--check", "--notebooks", str(tmp_path)]) == 1
    assert capsys.readouterr().out.startswith("Out of date: 01_focus.ipynb. Run 'rolelib navigation'")
    assert main(["navigation", "--notebooks", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "Rewrote the navigation cells of: 01_focus.ipynb.\n"
    cell = json.loads((tmp_path / "01_focus.ipynb").read_text(encoding="utf-8"))["cells"][0]
    assert cell["source"] == navigation_markdown("01_focus")
    assert main(["navigation", "--check", "--notebooks", str(tmp_path)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_navigation_names_a_notebook_it_cannot_read_and_fails_without_a_traceback(tmp_path, capsys):
    _lesson_notebook(tmp_path / "01_focus.ipynb", "[Next](old_name.ipynb)")
    (tmp_path / "02_responsibilities.ipynb").write_text('<<<<<<< HEAD\n{"cells": []}\n=======\n', encoding="utf-8")
    assert main(["navigation", "--notebooks", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert f"rolelib navigation: {tmp_path / '02_responsibilities.ipynb'} is not a notebook this command can read" in error
    assert "merge conflict" in error and "Traceback" not in error


def test_navigation_in_a_folder_with_no_lesson_notebook_is_not_up_to_date(tmp_path, capsys):
    assert main(["navigation", "--check", "--notebooks", str(tmp_path)]) == 1
    assert "there is no lesson notebook (such as 00_start_here.ipynb)" in capsys.readouterr().err


def test_navigation_without_a_notebooks_folder_says_where_to_run_it(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["navigation", "--check"]) == 1
    assert "there is no folder 'notebooks'" in capsys.readouterr().err


def test_the_command_runs_as_a_program_with_its_exit_status(data_copy):
    (data_copy / "certifications.csv").unlink()
    result = subprocess.run([sys.executable, "-m", "rolelib.cli", "validate", str(data_copy)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "certifications.csv: expected this file to exist in the data folder" in result.stdout


def test_the_console_script_is_declared():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["rolelib"] == "rolelib.cli:main"


def test_validate_is_a_library_function_returning_the_problems(data_copy):
    import rolelib

    assert rolelib.validate() == [] and repr(rolelib.validate()).startswith(f"All is well: {len(TABLES)} tables and ")
    set_cell(data_copy / "roles.csv", 2, "group", "boss")
    bank = data_copy / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("kind: single", "kind: singel", 1), encoding="utf-8")
    problems = rolelib.validate(data_copy)
    assert [(p.file, p.column) for p in problems] == [("roles.csv", "group"), ("questions/01_focus.yaml", "kind")]
    assert problems.text().splitlines()[0] == f"2 problems in {data_copy}:"


def test_validate_never_prints_a_control_character_from_a_bank_file_name(data_copy, capsys):
    # A bank renamed, and a copy of it, so that a terminal would take their names for commands:
    # the copy repeats the first's ids, so a name is printed as the file and as the other file.
    bank = (data_copy / "questions" / "01_focus.yaml").read_bytes()
    (data_copy / "questions" / "01_focus.yaml").unlink()
    for start in "yz":
        (data_copy / "questions" / f"{start}\x1b]0;owned\x07\x1b[2J.yaml").write_bytes(bank)
    assert main(["validate", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "questions/y\\x1b]0;owned\\x07\\x1b[2J.yaml, column 'lesson'" in out
    assert "(already used in questions/y\\x1b]0;owned\\x07\\x1b[2J.yaml)" in out


def test_a_command_line_error_never_prints_a_control_character(tmp_path, capsys):
    # 'rolelib report *' in a folder of handed-in files: a file name starting with "--" is taken
    # for an option, and argparse repeats it in its error message.
    assert main(["report", str(tmp_path), "--\x1b]0;owned\x07.json"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert err.endswith("rolelib: error: unrecognized arguments: --\\x1b]0;owned\\x07.json\n")
