"""Gradebook files for Canvas and Moodle: their columns, who is mapped, who is listed, and safety in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from rolelib import UnknownNameError
from rolelib.cli import main
from rolelib.instructor.lms import lms_gradebook, read_lms_map
from rolelib.instructor.report import class_report
from rolelib.instructor.samples import make_sample_exports


def _learners(*rows: tuple[str, str, float, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["learner", "account", "score", "percent"])


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _map(tmp_path, text: str, name: str = "map.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_canvas_file_has_canvas_columns_points_possible_and_the_login_in_sis_login_id():
    learners = _learners(("Ann Lee", "alee", 24.5, 81.7), ("Bo Chen", "bchen", 30.0, 100.0))
    rows = _rows(lms_gradebook("canvas", learners, points_possible=30).text)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "CIO vs CISO course"]
    assert rows[1] == ["Points Possible", "", "", "", "", "30"]
    assert rows[2:] == [["Ann Lee", "", "", "alee", "", "24.5"], ["Bo Chen", "", "", "bchen", "", "30"]]


def test_canvas_assignment_with_its_id_updates_that_assignment():
    text = lms_gradebook("canvas", _learners(("Ann", "ann", 1.0, 3.3)), points_possible=30,
                         assignment="Final assessment (4711)").text
    assert _rows(text)[0][-1] == "Final assessment (4711)"


def test_moodle_file_is_keyed_by_username_with_the_percent_as_grade():
    learners = _learners(("Ann Lee", "alee", 24.5, 81.7))
    rows = _rows(lms_gradebook("moodle", learners, points_possible=30).text)
    assert rows == [["Username", "Full name", "CIO vs CISO course"], ["alee", "Ann Lee", "81.7"]]


def test_moodle_file_is_keyed_by_email_when_the_mapping_gives_emails(tmp_path):
    mapping = _map(tmp_path, "learner,email\nAnn Lee,ann@example.edu\n")
    learners = _learners(("Ann Lee", "alee", 24.5, 81.7), ("Bo Chen", "bo@example.edu", 3.0, 10.0),
                         ("Cy Dee", "cdee", 0.0, 0.0))
    gradebook = lms_gradebook("moodle", learners, points_possible=30, mapping=mapping)
    assert _rows(gradebook.text) == [["Email address", "Full name", "CIO vs CISO course"],
                                     ["ann@example.edu", "Ann Lee", "81.7"], ["bo@example.edu", "Bo Chen", "10"]]
    assert gradebook.unmapped["learner"].tolist() == ["Cy Dee"]
    assert "not an email" in gradebook.unmapped["reason"][0]


def test_a_learner_without_account_is_mapped_by_name_ignoring_case_and_spacing(tmp_path):
    mapping = _map(tmp_path, "learner,login\n  bo   CHEN ,bchen\n")
    learners = _learners(("Bo Chen", "", 12.0, 40.0), ("Ann Lee", "alee", 24.5, 81.7))
    gradebook = lms_gradebook("canvas", learners, points_possible=30, mapping=mapping)
    assert [row[3] for row in _rows(gradebook.text)[2:]] == ["bchen", "alee"]
    assert gradebook.unmapped.empty


def test_the_account_in_the_export_comes_before_the_mapping_file(tmp_path):
    mapping = _map(tmp_path, "learner,login\nAnn Lee,someone-else\n")
    gradebook = lms_gradebook("canvas", _learners(("Ann Lee", "alee", 1.0, 3.3)), points_possible=30,
                              mapping=mapping)
    assert _rows(gradebook.text)[2][3] == "alee"


def test_unmapped_learners_are_returned_and_printed_never_dropped():
    learners = _learners(("Ann Lee", "alee", 24.5, 81.7), ("Bo Chen", "", 12.0, 40.0), ("Cy Dee", None, 0.0, 0.0))
    gradebook = lms_gradebook("canvas", learners, points_possible=30)
    assert gradebook.mapped == 1
    assert gradebook.unmapped["learner"].tolist() == ["Bo Chen", "Cy Dee"]
    summary = gradebook.summary()
    assert "1 learner in canvas_gradebook.csv, 2 learners not mapped" in summary
    assert "  - Bo Chen: no account in the export and no line in the mapping file" in summary
    assert "Cy Dee" in summary


def test_two_learners_claiming_one_lms_user_get_neither_grade():
    learners = _learners(("Ann Lee", "alee", 30.0, 100.0), ("Impostor", "ALEE", 0.0, 0.0), ("Bo", "bo", 1.0, 3.3))
    gradebook = lms_gradebook("canvas", learners, points_possible=30)
    assert [row[0] for row in _rows(gradebook.text)[2:]] == ["Bo"]
    assert gradebook.unmapped["learner"].tolist() == ["Ann Lee", "Impostor"]
    assert "the same LMS login (alee) as Impostor" in gradebook.unmapped["reason"][0]


def test_one_name_from_two_accounts_mapped_to_one_lms_user_gets_neither_grade(tmp_path):
    mapping = _map(tmp_path, "learner,email\nAnn Lee,ann@example.edu\n")
    learners = _learners(("Ann Lee", "alee", 30.0, 100.0), ("Ann Lee", "forger", 0.0, 0.0), ("Bo", "bo@example.edu", 1.0, 3.3))
    gradebook = lms_gradebook("moodle", learners, points_possible=30, mapping=mapping)
    assert [row[0] for row in _rows(gradebook.text)[1:]] == ["bo@example.edu"]
    assert gradebook.unmapped["account"].tolist() == ["alee", "forger"]
    assert "the same LMS email (ann@example.edu) as Ann Lee (account forger)" in gradebook.unmapped["reason"][0]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
@pytest.mark.parametrize("before", ["", "Bob,", "Bob;", "Bob\t", "Bob\n", "Bob\r"])
def test_every_formula_start_in_a_name_is_neutralised_in_both_files(start, before):
    name = f"{before}{start}1+1"
    learners = _learners((name, "bob", 1.0, 3.3))
    canvas = _rows(lms_gradebook("canvas", learners, points_possible=30).text)
    moodle = _rows(lms_gradebook("moodle", learners, points_possible=30).text)
    assert canvas[2][0] == "'" + name
    assert moodle[1][1] == "'" + name


def test_every_field_is_quoted():
    text = lms_gradebook("moodle", _learners(("Ann", "ann", 1.0, 3.3)), points_possible=30).text
    assert all(cell.startswith('"') and cell.endswith('"') for line in text.splitlines() for cell in line.split(","))


def test_plain_names_with_a_hyphen_inside_stay_as_they_are():
    rows = _rows(lms_gradebook("canvas", _learners(("Ann-Marie O'Neil", "amo", 1.0, 3.3)), points_possible=30).text)
    assert rows[2][0] == "Ann-Marie O'Neil"


@pytest.mark.parametrize("name", ["Points Possible", "Ann (Points Possible)", "=Points Possible", "points  POSSIBLE"])
def test_a_name_canvas_would_read_as_its_points_possible_row_keeps_the_grade_but_not_the_name(name):
    """Canvas's importer takes any row whose first cell holds "Points Possible" for the points of each
    assignment: a learner so named would set every assignment's points to their score and lose their grade."""
    learners = _learners((name, "eve", 12.0, 40.0), ("Ann Lee", "alee", 24.5, 81.7))
    rows = _rows(lms_gradebook("canvas", learners, points_possible=30).text)
    assert [row[0] for row in rows if "points possible" in " ".join(row[0].split()).casefold()] == ["Points Possible"]
    assert rows[1] == ["Points Possible", "", "", "", "", "30"]
    assert [row[3:] for row in rows[2:]] == [["eve", "", "12"], ["alee", "", "24.5"]]


@pytest.mark.parametrize("account", ["=cmd|'/c calc'!A1", "-x", "bob\x1b]0;title\x07", "a b\nc"])
def test_an_identity_a_spreadsheet_or_lms_would_misread_is_listed_not_written(account):
    gradebook = lms_gradebook("moodle", _learners(("Eve", account, 30.0, 100.0)), points_possible=30)
    assert len(_rows(gradebook.text)) == 1
    assert "characters a spreadsheet or the LMS would misread" in gradebook.unmapped["reason"][0]
    assert "\x1b" not in gradebook.summary() and "\x07" not in gradebook.summary()


def test_a_mapping_file_saved_by_a_spreadsheet_is_read(tmp_path):
    mapping = _map(tmp_path, "\ufefflearner;login\r\nBo Chen;bchen\r\n\r\n")
    assert read_lms_map(mapping).get("Bo Chen") == "bchen"


def test_a_broken_mapping_file_names_file_row_and_column(tmp_path):
    mapping = _map(tmp_path, "learner,email\nBo Chen,\nAnn,ann-at-example\nCy,cy@x.org\ncy,other@x.org\n")
    with pytest.raises(ValueError) as raised:
        read_lms_map(mapping)
    message = str(raised.value)
    assert "3 problems in the mapping file" in message
    assert "map.csv, row 2, column 'email'" in message
    assert "map.csv, row 3, column 'email': found 'ann-at-example'; expected an email address" in message
    assert "map.csv, row 5, column 'learner': found 'cy'; expected each learner once (row 4 gives another email)" in message


def test_a_mapping_file_a_spreadsheet_saved_in_its_own_encoding_names_the_row_and_the_fix(tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_bytes("learner,login\nBo Chen,bchen\nJosé Díaz,jdiaz\n".encode("cp1252"))
    with pytest.raises(ValueError) as raised:
        read_lms_map(mapping)
    assert "map.csv, row 3: found" in str(raised.value)
    assert "expected text saved as UTF-8 (in a spreadsheet: Save As, CSV UTF-8)" in str(raised.value)


@pytest.mark.parametrize("text", ["name,user\nBo,bo\n", "learner,login,email\nBo,bo,bo@x.org\n"],
                         ids=["no known column", "both login and email"])
def test_a_mapping_file_without_the_expected_header_says_what_it_needs(tmp_path, text):
    with pytest.raises(ValueError, match="the columns learner and login, or learner and email"):
        read_lms_map(_map(tmp_path, text))


def test_an_unknown_lms_lists_the_known_ones():
    with pytest.raises(UnknownNameError, match="canvas, moodle"):
        lms_gradebook("blackboard", _learners(), points_possible=30)


def test_the_class_report_feeds_the_gradebook(tmp_path):
    make_sample_exports(tmp_path / "exports", learners=4, problems=False)
    report = class_report(tmp_path / "exports")
    rows = _rows(lms_gradebook("canvas", report.learners, points_possible=report.graded_questions).text)
    assert rows[1][-1] == str(report.graded_questions)
    written = {row[3]: float(row[5]) for row in rows[2:]}
    assert written == dict(zip(report.learners["account"], report.learners["score"]))


def test_report_command_writes_the_lms_file_beside_the_others_and_lists_the_unmapped(tmp_path, capsys):
    exports = tmp_path / "exports"
    make_sample_exports(exports, learners=3, problems=False)
    mapping = _map(tmp_path, "learner,login\n")
    assert main(["report", str(exports), "--out", str(tmp_path / "out"), "--lms", "canvas",
                 "--lms-map", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "out" / "canvas_gradebook.csv").is_file()
    assert "Canvas gradebook:" in out and "canvas_gradebook.csv" in out


def test_report_command_with_a_broken_mapping_file_says_so_and_fails(tmp_path, capsys):
    exports = tmp_path / "exports"
    make_sample_exports(exports, learners=2, problems=False)
    mapping = _map(tmp_path, "who,login\n")
    assert main(["report", str(exports), "--out", str(tmp_path / "out"), "--lms", "moodle",
                 "--lms-map", str(mapping)]) == 1
    assert "no moodle gradebook was written" in capsys.readouterr().err
    assert not (tmp_path / "out" / "moodle_grades.csv").exists()


def test_report_command_that_cannot_write_the_lms_file_says_why_and_fails(tmp_path, capsys):
    exports = tmp_path / "exports"
    make_sample_exports(exports, learners=2, problems=False)
    (tmp_path / "out" / "canvas_gradebook.csv").mkdir(parents=True)  # as unwritable as a file a spreadsheet holds open
    assert main(["report", str(exports), "--out", str(tmp_path / "out"), "--lms", "canvas"]) == 1
    error = capsys.readouterr().err
    assert "rolelib report: cannot write canvas_gradebook.csv into" in error and "Traceback" not in error
    assert "close it if a spreadsheet has it open" in error
