"""The class report tells learners apart: by account, name and export time, replacing no one silently."""

from __future__ import annotations

from datetime import datetime

import pytest

from rolelib.instructor.report import class_report
from tests.helpers import attempt_at, course_export, hand_in


def test_a_classmate_named_export_dated_in_the_future_replaces_no_one(tmp_path):
    right = [attempt_at(qid) for qid in ("focus-1", "focus-2", "focus-3")]
    wrong = [attempt_at(qid, False) for qid in ("focus-1", "focus-2", "focus-3")]
    hand_in(tmp_path / "grace.json", "Grace Hopper", right, account="grace")
    hand_in(tmp_path / "zz-grace.json", "grace hopper", wrong, "2999-01-01T00:00:00+00:00", account="mallory")
    report = class_report(tmp_path)
    rows = report.learners[["learner", "account", "correct", "file"]].values.tolist()
    assert rows == [["Grace Hopper", "grace", 3, str(tmp_path / "grace.json")],
                    ["grace hopper", "mallory", 0, str(tmp_path / "zz-grace.json")]]
    issues = report.needs_a_look.set_index("issue")
    assert issues.loc["one name, several accounts", "files"] == f"{tmp_path / 'grace.json'}; {tmp_path / 'zz-grace.json'}"
    assert "'grace', 'mallory'" in issues.loc["one name, several accounts", "detail"]
    assert issues.loc["dated in the future", "files"] == str(tmp_path / "zz-grace.json")
    assert "2999-01-01 00:00 UTC" in issues.loc["dated in the future", "detail"]


def test_without_accounts_a_future_dated_copy_of_a_name_is_not_taken_as_the_latest(tmp_path):
    hand_in(tmp_path / "grace.json", "Grace", [attempt_at("focus-1")], "2025-03-04T09:00:00+00:00")
    hand_in(tmp_path / "zz.json", "GRACE", [attempt_at("focus-1", False)], "2999-01-01T00:00:00+00:00")
    report = class_report(tmp_path)
    assert report.learners[["learner", "correct", "file"]].values.tolist() == [
        ["Grace", 1, str(tmp_path / "grace.json")]]
    issues = report.needs_a_look.set_index("issue")
    twice = issues.loc["handed in more than once"]
    assert twice["used"] == str(tmp_path / "grace.json")
    assert twice["files"] == f"{tmp_path / 'grace.json'}; {tmp_path / 'zz.json'}"
    assert "a file dated in the future is not taken as the latest" in twice["detail"]
    assert issues.loc["dated in the future", "used"] == ""
    assert report.skipped.empty


def test_a_clock_a_few_minutes_fast_is_not_in_the_future_and_a_day_ahead_is(tmp_path):
    from datetime import timedelta, timezone

    now = datetime.now(timezone.utc)
    hand_in(tmp_path / "a.json", "Ada", [attempt_at("focus-1")], (now + timedelta(minutes=5)).isoformat())
    hand_in(tmp_path / "b.json", "Ben", [attempt_at("focus-1")], (now + timedelta(days=1)).isoformat())
    look = class_report(tmp_path).needs_a_look
    assert look[["issue", "learner"]].values.tolist() == [["dated in the future", "Ben"]]


def test_spaces_around_a_name_or_an_account_in_a_file_are_not_shown(tmp_path):
    made = course_export(tmp_path / "ada.json", "Ada", [attempt_at("focus-1")], account="ada-l")
    text = made.read_text(encoding="utf-8")
    made.write_text(text.replace('"learner": "Ada"', '"learner": "  Ada  "').replace('"ada-l"', '" ada-l "'),
                    encoding="utf-8")
    made = course_export(tmp_path / "ben.csv", "Ben", [attempt_at("focus-1")], account="ben-k")
    made.write_text(made.read_text(encoding="utf-8").replace('"Ben","ben-k"', '"  Ben ","  ben-k "'), encoding="utf-8")
    learners = class_report(tmp_path).learners
    assert learners[["learner", "account"]].values.tolist() == [["Ada", "ada-l"], ["Ben", "ben-k"]]


def test_an_account_that_handed_in_under_two_names_is_one_learner_and_is_listed(tmp_path):
    hand_in(tmp_path / "a.json", "Ada", [attempt_at("focus-1", False)], "2025-03-03T09:00:00Z", account="ada-l")
    hand_in(tmp_path / "b.json", "Bob", [attempt_at("focus-1")], "2025-03-04T09:00:00Z", account="ada-l")
    report = class_report(tmp_path)
    assert report.learners[["learner", "account", "correct"]].values.tolist() == [["Bob", "ada-l", 1]]
    (row,) = report.needs_a_look.to_dict("records")
    assert row["issue"] == "one account, several names" and row["used"] == str(tmp_path / "b.json")
    assert "'ada-l' handed in under 2 names ('Ada', 'Bob')" in row["detail"]
    assert "it was made last (2025-03-04 09:00 UTC)" in row["detail"]


@pytest.mark.parametrize("newer_first", [True, False])
def test_a_learner_who_exported_twice_counts_once_with_the_newest_export(tmp_path, newer_first):
    newer, older = ("a.json", "b.json") if newer_first else ("b.json", "a.json")
    hand_in(tmp_path / newer, "Ada Lovelace", [attempt_at("focus-1", True)], "2025-03-04T09:00:00+00:00")
    hand_in(tmp_path / older, " ada  LOVELACE ", [attempt_at("focus-1", False)], "2025-03-03T09:00:00Z")
    report = class_report(tmp_path)
    assert report.learners[["learner", "correct", "file"]].values.tolist() == [
        ["Ada Lovelace", 1, str(tmp_path / newer)]]
    assert report.skipped.empty
    (row,) = report.needs_a_look.to_dict("records")
    assert row["issue"] == "handed in more than once" and row["used"] == str(tmp_path / newer)
    assert row["files"] == f"{tmp_path / newer}; {tmp_path / older}"
    assert row["detail"] == (f"{tmp_path / newer} is used because it was made last (2025-03-04 09:00 UTC); "
                             "1 other file not counted")


def test_a_csv_export_and_a_json_export_of_one_learner_keep_the_later_answers(tmp_path):
    course_export(tmp_path / "a.csv", "Ada", [attempt_at("focus-1", False, minute=1)])
    hand_in(tmp_path / "b.json", "Ada", [attempt_at("focus-1", False, minute=1), attempt_at("focus-1", True, minute=9)])
    report = class_report(tmp_path)
    assert report.learners[["file", "correct"]].values.tolist() == [[str(tmp_path / "b.json"), 1]]
    assert report.needs_a_look["files"].tolist() == [f"{tmp_path / 'b.json'}; {tmp_path / 'a.csv'}"]


def test_the_report_shows_each_learners_mode_and_submission_time(tmp_path):
    """Exam-mode exports say so, with when the learner submitted; the learners table shows both."""
    from rolelib.progress.export import new_export, write_export
    from rolelib.progress.store import Attempt

    attempt = Attempt("focus-1", "01_focus", "focus", "single", "x", False, 0.0, 0, time="2025-03-03T09:00:00+00:00")
    write_export(tmp_path / "exam.json", new_export("Exa", [attempt], mode="exam", submitted="2025-03-03T10:00:00+00:00"))
    write_export(tmp_path / "practice.json", new_export("Pra", [attempt]))
    table = class_report(tmp_path).learners.set_index("learner")
    assert table.loc["Exa", ["mode", "submitted_at"]].tolist() == ["exam", "2025-03-03T10:00:00+00:00"]
    assert table.loc["Pra", ["mode", "submitted_at"]].tolist() == ["practice", ""]
