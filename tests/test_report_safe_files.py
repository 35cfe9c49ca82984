"""The class report writes files safe to open: no learner text a spreadsheet could run, every value as text."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from rolelib.instructor.report import class_report
from rolelib.questions import load_banks
from tests.helpers import attempt_at, csv_rows, hand_in

BANKS = load_banks()
GRADED = sum(question.graded for question in BANKS.values())

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
SEPARATORS = [",", ";", "\t", "\n", "\r"]
RISKY_NAMES = ([f"{start}1+1" for start in FORMULA_STARTS]
               + [f"Bob{separator}{start}1+1" for separator in SEPARATORS for start in FORMULA_STARTS])


@pytest.mark.parametrize("name", [name for name in RISKY_NAMES if name[0] not in "\t\r"])
def test_every_learner_name_a_spreadsheet_could_run_is_neutralised_and_every_field_quoted(tmp_path, name):
    (tmp_path / "in").mkdir()
    hand_in(tmp_path / "in" / "x.json", name, [attempt_at("focus-1")], account=f"acct{name}")
    class_report(tmp_path / "in").write(tmp_path / "out")
    text = (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8")
    assert text.startswith('"learner","account","attempted","correct","score","percent"\n"\'')
    learner, account = csv_rows(tmp_path / "out" / "gradebook.csv")[1][:2]
    assert learner == "'" + name
    assert account == (f"acct{name}" if name[0] in FORMULA_STARTS else f"'acct{name}")


def test_every_file_name_a_spreadsheet_could_run_is_neutralised_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    names = [name + ".json" for name in RISKY_NAMES]
    class_report(names).write("out")
    rows = csv_rows(tmp_path / "out" / "skipped.csv")
    assert rows[0] == ["file", "reason"]
    assert [row[0] for row in rows[1:]] == ["'" + name for name in names]
    every_field_quoted = re.compile(r'(?:"(?:[^"]|"")*"[,\n])*')
    assert every_field_quoted.fullmatch((tmp_path / "out" / "skipped.csv").read_text(encoding="utf-8"))


def test_csv_files_name_learners_and_numbers_as_a_spreadsheet_reads_them(good, tmp_path):
    written = class_report(good).write(tmp_path / "out")
    assert [path.name for path in written] == ["gradebook.csv", "questions.csv", "distractors.csv", "mastery.csv",
                                               "needs_a_look.csv", "skipped.csv", "gradebook.xlsx"]
    assert csv_rows(tmp_path / "out" / "gradebook.csv") == [
        ["learner", "account", "attempted", "correct", "score", "percent"],
        ["Ada", "", "3", "2", "1.9", str(round(190 / GRADED, 1))],
        ["Alan", "", "1", "0", "0.0", "0.0"],
        ["Grace", "grace-h", "2", "1", "1.0", str(round(100 / GRADED, 1))]]
    report = class_report(good)
    assert report.gradebook_csv() == (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8")
    assert csv_rows(tmp_path / "out" / "questions.csv")[0] == [
        "question_id", "prompt", "lesson", "topic", "learners", "correct", "percent_correct", "first_try_percent",
        "attempts_to_correct", "hint_percent"]
    with pytest.warns(DeprecationWarning, match="write_csv"):
        assert report.write_csv(tmp_path / "old")[0].name == "gradebook.csv"


def _xlsx_sheet(path: Path, number: int = 1) -> list[list[tuple[str, str]]]:
    """The cells of one sheet of an .xlsx file: (type, text) per cell, row by row; 'f' marks a formula."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as book:
        shared = [item.findtext(f"{main}t") or "".join(t.text or "" for t in item.iter(f"{main}t"))
                  for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml"))]
        sheet = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{number}.xml"))
    rows = []
    for row in sheet.iter(f"{main}row"):
        cells = []
        for cell in row.iter(f"{main}c"):
            if cell.find(f"{main}f") is not None:
                cells.append(("f", cell.findtext(f"{main}f")))
            elif cell.get("t") == "s":
                cells.append(("text", shared[int(cell.findtext(f"{main}v"))]))
            else:
                cells.append(("number", cell.findtext(f"{main}v")))
        rows.append(cells)
    return rows


def test_gradebook_xlsx_holds_every_learner_supplied_value_as_text(good, tmp_path):
    hand_in(good / "mallory.json", '=HYPERLINK("http://example.invalid","x")', [attempt_at("focus-1")],
            account="+cmd|' /C calc'!A0")
    hand_in(good / "zed.json", "@SUM(1+1)", [attempt_at("focus-1")], account="-2+3")
    hand_in(good / "eve.json", "Eve\x01\x1b[2J", [attempt_at("focus-1")], account="eve\x00")
    report = class_report(good)
    report.write(tmp_path / "out")
    rows = _xlsx_sheet(tmp_path / "out" / "gradebook.xlsx")
    assert [cell[1] for cell in rows[0]] == ["learner", "account", "attempted", "correct", "score", "percent"]
    by_learner = {row[0][1]: row for row in rows[1:]}
    assert by_learner['=HYPERLINK("http://example.invalid","x")'][:2] == [
        ("text", '=HYPERLINK("http://example.invalid","x")'), ("text", "+cmd|' /C calc'!A0")]
    assert by_learner["@SUM(1+1)"][:2] == [("text", "@SUM(1+1)"), ("text", "-2+3")]
    eve = next(row for name, row in by_learner.items() if name.startswith("Eve"))
    assert [kind for kind, _ in eve[:2]] == ["text", "text"], "control characters are escaped, the file stays valid"
    assert by_learner["Ada"][2:] == [("number", "3"), ("number", "2"), ("number", "1.9"),
                                     ("number", str(round(190 / GRADED, 1)))]
    for number in range(1, 6):
        assert all(kind != "f" for row in _xlsx_sheet(tmp_path / "out" / "gradebook.xlsx", number) for kind, _ in row)


def test_the_summary_shows_control_characters_as_escapes(good):
    hand_in(good / "eve.json", "Eve\x1b]0;owned\x07\r\n\u202e", [attempt_at("focus-1")], "2999-01-01T00:00:00Z")
    (good / "evil\x1b[2J.json").write_text("{", encoding="utf-8")
    summary = class_report(good).summary()
    assert "\x1b" not in summary and "\x07" not in summary and "\r" not in summary and "\u202e" not in summary
    assert "Eve\\x1b]0;owned\\x07\\r\\n\\u202e" in summary
    assert "evil\\x1b[2J.json" in summary
    assert all(line.startswith(("Class report", "  ", "Hardest", "Mastery", "Needs", "Skipped"))
               for line in summary.splitlines()), "no line of the summary comes from a file"


def test_file_names_that_are_not_utf8_and_names_that_are_not_text_never_stop_the_files_being_written(good, tmp_path):
    hand_in(good / os.fsdecode(b"caf\xe9.json"), "Cafe", [attempt_at("focus-1")])
    (good / os.fsdecode(b"bad\xff.json")).write_text("{", encoding="utf-8")
    (good / "surrogate.json").write_text(json.dumps({
        "format": "rolelib-progress", "version": 2, "learner": "Ada \ud800", "account": None,
        "exported_at": "", "course_version": "", "attempts": []}), encoding="utf-8")
    report = class_report(good)
    reasons = dict(zip(report.skipped["file"], report.skipped["reason"]))
    assert reasons[str(good / "surrogate.json")] == 'its "learner" holds a character that is not text (a lone surrogate)'
    written = report.write(tmp_path / "out")
    skipped = (tmp_path / "out" / "skipped.csv").read_text(encoding="utf-8")
    assert "bad\\udcff.json" in skipped
    assert _xlsx_sheet(written[-1])[1:] and "Cafe" in (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8")
    assert "\\udcff" in report.summary()
