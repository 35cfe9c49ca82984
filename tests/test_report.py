"""The class report: it grades again, tells learners apart, survives any file, and writes safe files."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import threading
import zipfile
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from rolelib.instructor.report import class_report
from rolelib.instructor.samples import make_sample_exports
from rolelib.progress import Attempt, write_export
from rolelib.progress.export import new_export
from rolelib.questions import load_banks
from tests.helpers import REPO, csv_rows

SAMPLE = REPO / "notebooks" / "instructor" / "sample_exports"
BANKS = load_banks()
GRADED = sum(question.graded for question in BANKS.values())


def _attempt(question_id: str, right: bool | None = True, *, hints: int = 0, minute: int = 0,
             answer: object = None, correct: bool | None = None, score: float | None = None) -> dict:
    """An attempt at a question of the course's banks, with a right or a wrong answer made by its kind.

    ``correct`` and ``score`` are what the file claims (by default what the answer deserves):
    the report must ignore them.
    """
    question = BANKS.get(question_id)
    if answer is None and question is not None:
        answer = question.sample_answer(random.Random(minute), right is not False)
    deserved = question.grade(answer, hints) if question is not None and question.fits(answer) else None
    return {"question_id": question_id, "lesson": question.lesson if question else "01_focus",
            "topic": question.topic if question else "focus", "kind": question.kind if question else "single",
            "answer": answer, "correct": (deserved.correct if deserved else False) if correct is None else correct,
            "score": (deserved.score if deserved else 0.0) if score is None else score, "hints_used": hints,
            "time": f"2025-03-03T10:{minute:02d}:00.000+00:00"}


def _export(path: Path, learner: str, attempts: list[dict], exported_at: str = "2025-03-03T12:00:00+00:00",
            account: str | None = None) -> Path:
    """An export in the documented JSON format, as a learner (or a forger) hands it in."""
    document = {"format": "rolelib-progress", "version": 2, "learner": learner, "account": account,
                "exported_at": exported_at, "course_version": "0.1.0", "attempts": attempts}
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _csv_export(path: Path, learner: str, attempts: list[dict], account: str | None = None,
                exported_at: str = "2025-03-03T11:00:00+00:00") -> Path:
    """An export written by the course's own writer (CSV or JSON by the file's extension)."""
    made = new_export(learner, [Attempt(**attempt) for attempt in attempts], account=account,
                      exported_at=datetime.fromisoformat(exported_at))
    return write_export(path, made)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """Three learners: Ada (JSON), Grace (CSV) and Alan (JSON), on two focus questions and a reflection."""
    folder = tmp_path / "class"
    folder.mkdir()
    _export(folder / "ada.json", "Ada", [
        _attempt("focus-1", False, minute=1), _attempt("focus-1", True, minute=2),  # wrong, then right
        _attempt("focus-2", True, hints=1, minute=3),
        _attempt("start-3", answer="Both roles matter.", minute=4)])
    _csv_export(folder / "grace.csv", "Grace", account="grace-h", attempts=[
        _attempt("focus-1", True, minute=1), _attempt("focus-1", False, minute=2),  # right, then wrong
        _attempt("focus-2", True, minute=3)])
    _export(folder / "alan.json", "Alan", [_attempt("focus-1", False, minute=1)])
    return folder


def test_good_exports_give_scores_per_learner_and_per_question(good):
    report = class_report(good)
    assert report.skipped.empty and report.needs_a_look.empty
    learners = report.learners.set_index("learner")
    assert list(report.learners["learner"]) == ["Ada", "Alan", "Grace"]
    assert learners["account"].tolist() == ["", "", "grace-h"], "the account an export records"
    # The last answer counts: Ada ends right on focus-1, Grace ends wrong; a reflection is attempted only.
    assert learners.loc["Ada", ["attempted", "correct", "score"]].tolist() == [3, 2, 1.9]
    assert learners.loc["Grace", ["attempted", "correct", "score"]].tolist() == [2, 1, 1.0]
    assert learners.loc["Alan", ["attempted", "correct", "score"]].tolist() == [1, 0, 0.0]
    assert report.graded_questions == GRADED
    assert learners.loc["Ada", "percent"] == round(100 * 1.9 / GRADED, 1)
    questions = report.per_question.set_index("question_id")
    assert questions.loc["focus-1", ["learners", "correct", "percent_correct"]].tolist() == [3, 1, 33.3]
    assert questions.loc["focus-2", ["learners", "correct", "percent_correct"]].tolist() == [2, 2, 100.0]
    assert "start-3" not in questions.index, "a reflection is not graded"
    mastery = report.mastery.set_index("topic")
    assert mastery.loc["focus", "title"] == "Focus of the position"
    assert mastery.loc["focus", ["answers", "learners", "percent_correct"]].tolist() == [5, 3, 60.0]
    # focus-1: Ada 1, Grace 0, Alan 0; focus-2: Ada 0.9 after a hint, Grace 1: 2.9 points over 5 answers
    assert mastery.loc["focus", "average_score"] == 58.0


def test_questions_are_sorted_hardest_first(tmp_path):
    answers = {"focus-1": [True, True, True], "focus-2": [False, False, True], "focus-3": [False, False, False],
               "cert-1": [True, False, True]}
    for number in range(3):
        _export(tmp_path / f"l{number}.json", f"Learner {number}",
                [_attempt(qid, right[number]) for qid, right in answers.items()])
    report = class_report(tmp_path)
    assert list(report.per_question["question_id"]) == ["focus-3", "focus-2", "cert-1", "focus-1"]
    assert list(report.per_question["percent_correct"]) == [0.0, 33.3, 66.7, 100.0]
    figure = report.question_chart()
    labels = _bar_labels(figure)
    assert [label.split(":")[0] for label in labels] == ["focus-3", "focus-2", "cert-1", "focus-1"]
    assert labels[-1] == "focus-1: What is a CIO's primary mission?"  # the start of its prompt, beside the id
    top = figure.axes[0].get_ylim()
    assert top[0] > top[1], "the first (hardest) question is drawn at the top"
    assert "Hardest: focus-3 0%, focus-2 33%" in figure.alt_text
    assert "Easiest: focus-1 100%" in figure.alt_text


def test_of_questions_equally_often_right_in_the_end_the_one_less_often_right_at_once_comes_first(tmp_path):
    _export(tmp_path / "a.json", "A", [_attempt("focus-1", minute=1), _attempt("focus-3", False, minute=2),
                                       _attempt("focus-3", minute=3)])
    _export(tmp_path / "b.json", "B", [_attempt("focus-1", hints=1, minute=1), _attempt("focus-3", minute=2)])
    report = class_report(tmp_path)
    assert report.per_question[["question_id", "percent_correct", "first_try_percent"]].values.tolist() == [
        ["focus-3", 100.0, 50.0], ["focus-1", 100.0, 100.0]]
    assert report.mastery.set_index("topic").loc["focus", "average_score"] == 97.5, "B's hint cost 10 of 400 points"


def test_the_question_chart_draws_the_hardest_fifteen_and_every_one_on_request(tmp_path):
    ids = [question.id for question in BANKS.values() if question.graded][:20]
    _export(tmp_path / "a.json", "A", [_attempt(qid, number % 2 == 0) for number, qid in enumerate(ids)])
    report = class_report(tmp_path)
    hardest = _bar_labels(report.question_chart())
    assert len(hardest) == 15 and {label.split(":")[0] for label in hardest[:10]} == set(ids[1::2])
    assert report.question_chart().texts[0].get_text() == "Percent correct: the 15 hardest of 20 questions"
    assert len(_bar_labels(report.question_chart(None))) == 20
    assert len(report.per_question) == 20, "the table still lists every question"


def test_mastery_follows_the_course_order_and_has_a_chart(tmp_path):
    _export(tmp_path / "a.json", "A", [_attempt("report-1", True), _attempt("focus-1", False)])
    report = class_report(tmp_path)
    assert list(report.mastery["topic"]) == ["focus", "reporting"]
    figure = report.mastery_chart()
    labels = _bar_labels(figure)
    assert labels == ["Focus of the position", "Reporting structure"]
    assert "Focus of the position 0% of 1 answers; Reporting structure 100% of 1 answers" in figure.alt_text


def _add_questions(data: Path, question_ids: list[str]) -> None:
    """Add single-choice questions to the focus bank of a data copy, as an instructor would."""
    entries = "".join(f"""
  - id: {qid}
    kind: single
    topic: focus
    level: remember
    prompt: Question {qid}?
    options: [Innovation, Protection]
    answer: Innovation
    explanation: Because.
    source: article
""" for qid in question_ids)
    bank = data / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").rstrip("\n") + "\n" + entries, encoding="utf-8")


@pytest.mark.parametrize("question_ids", [
    ["focus-1"],
    [f"extra-question-with-a-long-id-{n:02d}" for n in range(50)],
    ["q-" + "long-identifier-" * 3 + "1", "focus-2"],
], ids=["one", "fifty", "very long"])
def test_charts_are_laid_out_by_hand_with_every_text_inside_the_figure(tmp_path, data_copy, question_ids):
    _add_questions(data_copy, [qid for qid in question_ids if qid not in BANKS])
    banks = load_banks(data_copy)
    for number in range(3):
        _export(tmp_path / f"l{number}.json", f"Learner {number}", [
            dict(_attempt("focus-1"), question_id=qid, answer=banks[qid].sample_answer(
                random.Random(0), (number + position) % 3 != 0)) for position, qid in enumerate(question_ids)])
    report = class_report(tmp_path, data=data_copy)
    assert len(report.per_question) == len(question_ids)
    for figure in (report.question_chart(), report.mastery_chart()):
        assert figure.get_layout_engine() is None, "a layout engine draws the figure once more when it is saved"
        width, height = figure.get_size_inches()
        inside = figure.get_tightbbox()  # every text and patch drawn, in inches
        assert inside.x0 >= 0 and inside.y0 >= 0 and inside.x1 <= width and inside.y1 <= height
        (axes,) = figure.axes
        assert [text.get_gid() for text in figure.texts] == ["title", "subtitle"]
        for text in figure.texts:
            assert text.get_window_extent().y0 > axes.get_window_extent().y1, "the titles are clear of the bars"
        assert axes.get_window_extent().width > 5.99 * figure.dpi, "long labels widen the figure, not squeeze the bars"


def _bar_labels(figure) -> list[str]:
    """The labels left of the bars, top to bottom."""
    (axes,) = figure.axes
    labels = sorted((text.get_position()[1], text.get_text()) for text in axes.texts if text.get_gid() == "bar label")
    return [label for _, label in labels]


# -- 1. the report grades, it never trusts ---------------------------------------------------------


def test_answers_are_graded_again_and_the_files_claims_are_ignored(good):
    every = [_attempt(qid, answer="I have no idea", correct=True, score=1.0) for qid in BANKS]
    _export(good / "mallory.json", "Mallory", every)
    report = class_report(good)
    mallory = report.learners.set_index("learner").loc["Mallory"]
    assert mallory[["attempted", "correct", "score", "percent"]].tolist() == [len(BANKS), 0, 0.0, 0.0]
    assert report.skipped.empty, "an answer that fits no question is simply wrong"


def test_made_up_question_ids_change_no_one_s_percent_and_are_listed_per_file(good):
    forged = [_attempt(qid) for qid in BANKS if BANKS[qid].graded]
    forged += [dict(_attempt("focus-1"), question_id=f"made-up-{n}", correct=True, score=1.0) for n in range(500)]
    _export(good / "forger.json", "Forger", forged)
    report = class_report(good)
    assert report.graded_questions == GRADED
    learners = report.learners.set_index("learner")
    assert learners.loc["Forger", "percent"] == 100.0, "the course's questions only: no bonus for made-up ones"
    assert learners.loc["Forger", "attempted"] == GRADED
    assert learners.loc["Grace", "percent"] == round(100 / GRADED, 1), "the denominator is the course's"
    assert set(report.per_question["question_id"]) <= set(BANKS)
    (row,) = report.needs_a_look.to_dict("records")
    assert row["issue"] == "questions not in the course" and row["files"] == str(good / "forger.json")
    assert row["detail"].startswith("500 question ids that the course's banks do not have were left out of "
                                    "every score: 'made-up-0', 'made-up-1', ")
    assert row["detail"].endswith("and 495 more")


def test_what_a_file_says_about_lesson_topic_and_kind_is_ignored(tmp_path):
    _export(tmp_path / "a.json", "A", [dict(_attempt("focus-1"), lesson="99_x", topic="banana", kind="match")])
    report = class_report(tmp_path)
    assert report.per_question[["question_id", "lesson", "topic", "correct"]].values.tolist() == [
        ["focus-1", "01_focus", "focus", 1]]
    assert report.mastery["topic"].tolist() == ["focus"]


@pytest.mark.parametrize("form", ["json", "csv"])
def test_hints_count_at_most_as_many_as_the_question_has_even_with_5000_digits(tmp_path, form):
    question = BANKS["focus-2"]
    path = tmp_path / f"a.{form}"
    if form == "json":
        _export(path, "A", [_attempt("focus-2", hints=7)])
        path.write_text(path.read_text(encoding="utf-8").replace('"hints_used": 7', '"hints_used": ' + "9" * 5000),
                        encoding="utf-8")
    else:
        _csv_export(path, "A", [_attempt("focus-2", hints=7)])
        path.write_text(path.read_text(encoding="utf-8").replace('"7"', '"' + "9" * 5000 + '"'), encoding="utf-8")
    _export(tmp_path / "b.json", "B", [_attempt("focus-2", hints=99)])
    report = class_report(tmp_path)
    assert report.skipped.empty
    capped = round(1 - 0.1 * len(question.hints), 2)
    assert report.learners["score"].tolist() == [capped, capped]


def test_an_answer_that_fits_no_question_counts_as_wrong(tmp_path):
    _export(tmp_path / "a.json", "A", [_attempt("focus-1", answer={"not": ["a", "choice"]}),
                                       _attempt("focus-2", answer=[["nested"]]), _attempt("start-1", answer=7),
                                       _attempt("start-3", answer="x" * 100_000)])
    report = class_report(tmp_path)
    assert report.learners[["attempted", "correct", "score"]].values.tolist() == [[4, 0, 0.0]]


# -- 2. identity: learners told apart, nothing replaced silently ----------------------------------


def test_a_classmate_named_export_dated_in_the_future_replaces_no_one(tmp_path):
    right = [_attempt(qid) for qid in ("focus-1", "focus-2", "focus-3")]
    wrong = [_attempt(qid, False) for qid in ("focus-1", "focus-2", "focus-3")]
    _export(tmp_path / "grace.json", "Grace Hopper", right, account="grace")
    _export(tmp_path / "zz-grace.json", "grace hopper", wrong, "2999-01-01T00:00:00+00:00", account="mallory")
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
    _export(tmp_path / "grace.json", "Grace", [_attempt("focus-1")], "2025-03-04T09:00:00+00:00")
    _export(tmp_path / "zz.json", "GRACE", [_attempt("focus-1", False)], "2999-01-01T00:00:00+00:00")
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
    _export(tmp_path / "a.json", "Ada", [_attempt("focus-1")], (now + timedelta(minutes=5)).isoformat())
    _export(tmp_path / "b.json", "Ben", [_attempt("focus-1")], (now + timedelta(days=1)).isoformat())
    look = class_report(tmp_path).needs_a_look
    assert look[["issue", "learner"]].values.tolist() == [["dated in the future", "Ben"]]


def test_spaces_around_a_name_or_an_account_in_a_file_are_not_shown(tmp_path):
    made = _csv_export(tmp_path / "ada.json", "Ada", [_attempt("focus-1")], account="ada-l")
    text = made.read_text(encoding="utf-8")
    made.write_text(text.replace('"learner": "Ada"', '"learner": "  Ada  "').replace('"ada-l"', '" ada-l "'),
                    encoding="utf-8")
    made = _csv_export(tmp_path / "ben.csv", "Ben", [_attempt("focus-1")], account="ben-k")
    made.write_text(made.read_text(encoding="utf-8").replace('"Ben","ben-k"', '"  Ben ","  ben-k "'), encoding="utf-8")
    learners = class_report(tmp_path).learners
    assert learners[["learner", "account"]].values.tolist() == [["Ada", "ada-l"], ["Ben", "ben-k"]]


def test_an_account_that_handed_in_under_two_names_is_one_learner_and_is_listed(tmp_path):
    _export(tmp_path / "a.json", "Ada", [_attempt("focus-1", False)], "2025-03-03T09:00:00Z", account="ada-l")
    _export(tmp_path / "b.json", "Bob", [_attempt("focus-1")], "2025-03-04T09:00:00Z", account="ada-l")
    report = class_report(tmp_path)
    assert report.learners[["learner", "account", "correct"]].values.tolist() == [["Bob", "ada-l", 1]]
    (row,) = report.needs_a_look.to_dict("records")
    assert row["issue"] == "one account, several names" and row["used"] == str(tmp_path / "b.json")
    assert "'ada-l' handed in under 2 names ('Ada', 'Bob')" in row["detail"]
    assert "it was made last (2025-03-04 09:00 UTC)" in row["detail"]


@pytest.mark.parametrize("newer_first", [True, False])
def test_a_learner_who_exported_twice_counts_once_with_the_newest_export(tmp_path, newer_first):
    newer, older = ("a.json", "b.json") if newer_first else ("b.json", "a.json")
    _export(tmp_path / newer, "Ada Lovelace", [_attempt("focus-1", True)], "2025-03-04T09:00:00+00:00")
    _export(tmp_path / older, " ada  LOVELACE ", [_attempt("focus-1", False)], "2025-03-03T09:00:00Z")
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
    _csv_export(tmp_path / "a.csv", "Ada", [_attempt("focus-1", False, minute=1)])
    _export(tmp_path / "b.json", "Ada", [_attempt("focus-1", False, minute=1), _attempt("focus-1", True, minute=9)])
    report = class_report(tmp_path)
    assert report.learners[["file", "correct"]].values.tolist() == [[str(tmp_path / "b.json"), 1]]
    assert report.needs_a_look["files"].tolist() == [f"{tmp_path / 'b.json'}; {tmp_path / 'a.csv'}"]


# -- 3. no file can break the report ---------------------------------------------------------------


def _truncated_json(path: Path) -> None:
    _export(path, "Cut", [_attempt("focus-1", True), _attempt("focus-2", True)])
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def _truncated_csv(path: Path) -> None:
    _csv_export(path, "Cut", [_attempt("focus-1", True), _attempt("focus-2", True)])
    text = path.read_text(encoding="utf-8")
    last_row = text.rstrip("\n").rindex("\n") + 1
    path.write_text(text[: text.index("focus-2", last_row) + 10], encoding="utf-8")


def _deep_json(path: Path) -> None:
    path.write_text('{"format": "rolelib-progress", "version": 2, "x": ' + "[" * 200_000 + "]" * 200_000 + "}")


def _deep_csv_answer(path: Path) -> None:
    _csv_export(path, "Deep", [_attempt("focus-1")])
    text = path.read_text(encoding="utf-8")
    answer = json.dumps(BANKS["focus-1"].answer).replace('"', '""')
    path.write_text(text.replace(f'"{answer}"', '"' + "[" * 60_000 + "]" * 60_000 + '"'), encoding="utf-8")


BAD_EXPORTS = {
    "malformed JSON": ("bad.json", lambda p: p.write_text('{"format": "rolelib-progress",, "version": 1}\n\n'),
                       "not valid JSON (line 1"),
    "truncated JSON": ("cut.json", _truncated_json, "looks truncated"),
    "truncated CSV": ("cut.csv", _truncated_csv, "looks truncated"),
    "foreign JSON": ("notes.json", lambda p: p.write_text('{"title": "my notes", "items": [1, 2]}'),
                     "not a rolelib progress export"),
    "foreign CSV": ("grades.csv", lambda p: p.write_text("name,grade\nAda,A\n"),
                    "not the header of a rolelib progress export"),
    "empty": ("empty.json", lambda p: p.write_text(""), "the file is empty"),
    "binary": ("photo.csv", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\x81"), "not UTF-8 text"),
    "newer format": ("future.json", lambda p: p.write_text(json.dumps(
        {"format": "rolelib-progress", "version": 5, "learner": "X", "exported_at": "", "course_version": "9",
         "attempts": []})), "version 5"),
    "score out of range": ("score.json", lambda p: _export(p, "Y", [_attempt("focus-1", score=7.0)]),
                           "score should be a number from 0 to 1"),
    "a negative hint count": ("hints.json", lambda p: _export(p, "Y", [_attempt("focus-1", hints=-2)]),
                              "hints_used should be a whole number of 0 or more, not '-2'"),
    "a hint count of true": ("yes.json", lambda p: _export(p, "Y", [_attempt("focus-1", hints=True)]),
                             "hints_used should be a whole number of 0 or more, not 'True'"),
    "no learner name": ("anon.json", lambda p: _export(p, "  ", [_attempt("focus-1", True)]),
                        '"learner" should be a non-empty name'),
    "a name of a million characters": ("long.json", lambda p: _export(p, "A" * 1_000_000, [_attempt("focus-1")]),
                                       '"learner" is 1,000,000 characters long; a name has at most 200'),
    "JSON nested 200,000 deep": ("deep.json", _deep_json, "nests lists or objects more than 20 deep"),
    "a CSV answer nested 60,000 deep": ("deep.csv", _deep_csv_answer, "nests lists or objects more than 20 deep"),
    "too many attempts": ("many.json", lambda p: _export(p, "Z", [_attempt("focus-1")] * 50_001),
                          "more than 50,000 attempts"),
}


@pytest.mark.parametrize("kind", BAD_EXPORTS)
def test_a_bad_export_is_skipped_with_its_reason_and_the_report_goes_on(good, kind):
    name, write, reason = BAD_EXPORTS[kind]
    write(good / name)
    report = class_report(good)
    assert report.skipped["file"].tolist() == [str(good / name)]
    assert reason in report.skipped["reason"].iloc[0]
    assert len(report.skipped["reason"].iloc[0]) < 400, "a reason shows a value shortened, never whole"
    assert list(report.learners["learner"]) == ["Ada", "Alan", "Grace"], "every good file still counts"
    assert f"{good / name}: " in report.summary()


def test_a_failure_of_any_kind_in_one_file_is_listed_and_the_report_goes_on(good, monkeypatch):
    from rolelib.kinds import SingleChoice

    regrade = SingleChoice.regrade

    def failing(self, answer, hints_used=0):
        if answer == "boom":
            raise ZeroDivisionError("division by zero")
        return regrade(self, answer, hints_used)

    monkeypatch.setattr(SingleChoice, "regrade", failing)
    _export(good / "boom.json", "Boom", [_attempt("focus-1", answer="boom")])
    report = class_report(good)
    assert report.skipped.to_dict("records") == [
        {"file": str(good / "boom.json"), "reason": "it could not be read (ZeroDivisionError: 'division by zero')"}]
    assert len(report.learners) == 3


def test_a_file_that_cannot_be_read_is_skipped(good, monkeypatch):
    locked = _export(good / "locked.json", "Locked", [_attempt("focus-1", True)])
    original = os.open

    def refusing(path, *args, **kwargs):
        if Path(path).name == locked.name:
            raise PermissionError(13, "Permission denied")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    report = class_report(good)
    assert report.skipped.to_dict("records") == [
        {"file": str(locked), "reason": "the file cannot be read (Permission denied)"}]
    assert len(report.learners) == 3


def test_pipes_devices_and_dangling_links_are_listed_and_never_opened(good):
    os.mkfifo(good / "stuck.json")
    (good / "zero.json").symlink_to("/dev/zero")
    (good / "gone.csv").symlink_to(good / "no-such-file.csv")
    (good / "ada-link.json").symlink_to(good / "ada.json")  # a link to a regular file is read (once)
    finished: list = []
    worker = threading.Thread(target=lambda: finished.append(class_report(good)), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert finished, "the report waited on a pipe or read a device forever"
    reasons = dict(zip(finished[0].skipped["file"], finished[0].skipped["reason"]))
    assert reasons == {
        str(good / "stuck.json"): "it is a named pipe (FIFO), not a regular file, so it was not read",
        str(good / "zero.json"): "it is a device, not a regular file, so it was not read",
        str(good / "gone.csv"): "it is a link to a file that does not exist",
        str(good / "ada.json"): f"listed twice (already read as {good / 'ada-link.json'})"}
    assert len(finished[0].learners) == 3


def test_a_file_larger_than_the_limit_is_listed_without_being_read(good):
    _export(good / "big.json", "Big", [_attempt("focus-1", answer="x" * 5000)])
    with open(good / "sparse.json", "wb") as handle:  # 300 MB on paper, nothing on disk
        handle.truncate(300 * 1024 * 1024)
    report = class_report(good, max_bytes=4096)
    reasons = dict(zip(report.skipped["file"], report.skipped["reason"]))
    assert reasons[str(good / "big.json")].startswith("it is larger than the limit of 4 KB")
    assert reasons[str(good / "sparse.json")].startswith("it is larger than the limit of 4 KB")
    assert "raise the limit if it is genuine" in reasons[str(good / "big.json")]
    assert len(report.learners) == 3
    assert class_report(good / "sparse.json").skipped["reason"].iloc[0].startswith(
        "it is larger than the limit of 20 MB")


def test_a_file_of_another_kind_given_by_name_is_skipped(good):
    notes = good / "notes.txt"
    notes.write_text("not an export", encoding="utf-8")
    report = class_report([good, notes])
    assert "a progress export is a .json or .csv file, not .txt" in report.skipped["reason"].iloc[0]
    assert len(report.learners) == 3


def test_the_same_file_twice_is_skipped(good):
    shutil.copy(good / "ada.json", good / "ada (1).json")
    report = class_report([good, good / "alan.json"])
    reasons = dict(zip(report.skipped["file"], report.skipped["reason"]))
    assert reasons[str(good / "ada.json")].startswith(f"identical to {good / 'ada (1).json'}")
    assert reasons[str(good / "alan.json")] == f"listed twice (already read as {good / 'alan.json'})"
    assert len(report.learners) == 3


def test_folders_are_searched_and_hidden_folders_and_other_files_ignored(good, tmp_path):
    (good / "week2").mkdir()
    _export(good / "week2" / "linus.json", "Linus", [_attempt("focus-1", True)])
    (good / ".ipynb_checkpoints").mkdir()
    shutil.copy(good / "ada.json", good / ".ipynb_checkpoints" / "ada-checkpoint.json")
    shutil.copy(good / "ada.json", good / ".ada.json.123.partial.json")
    (good / "README.md").write_text("Exports of week 1", encoding="utf-8")
    (good / "loop").symlink_to(good)  # a link to a folder is not followed
    (tmp_path / "nothing").mkdir()
    report = class_report([good, tmp_path / "nothing", tmp_path / "missing"])
    assert list(report.learners["learner"]) == ["Ada", "Alan", "Grace", "Linus"]
    assert report.skipped.to_dict("records") == [
        {"file": str(tmp_path / "nothing"), "reason": "this folder holds no .json or .csv file"},
        {"file": str(tmp_path / "missing"), "reason": "there is no such file or folder"}]


def test_relative_paths_stay_relative(good, monkeypatch):
    monkeypatch.chdir(good.parent)
    (good / "empty.csv").write_text("", encoding="utf-8")
    report = class_report("class")
    assert report.learners["file"].tolist() == ["class/ada.json", "class/alan.json", "class/grace.csv"]
    assert report.skipped["file"].tolist() == ["class/empty.csv"]


def test_no_export_at_all_gives_an_empty_report_with_empty_charts():
    report = class_report([])
    assert report.learners.empty and report.per_question.empty and report.mastery.empty
    assert list(report.gradebook.columns) == ["learner", "account", "attempted", "correct", "score", "percent"]
    assert list(report.needs_a_look.columns) == ["issue", "learner", "account", "files", "used", "detail"]
    assert "no graded answers were found" in report.question_chart().alt_text
    assert "no graded answers were found" in report.mastery_chart().alt_text


# -- 4. files safe to open -------------------------------------------------------------------------

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
SEPARATORS = [",", ";", "\t", "\n", "\r"]
RISKY_NAMES = ([f"{start}1+1" for start in FORMULA_STARTS]
               + [f"Bob{separator}{start}1+1" for separator in SEPARATORS for start in FORMULA_STARTS])


@pytest.mark.parametrize("name", [name for name in RISKY_NAMES if name[0] not in "\t\r"])
def test_every_learner_name_a_spreadsheet_could_run_is_neutralised_and_every_field_quoted(tmp_path, name):
    (tmp_path / "in").mkdir()
    _export(tmp_path / "in" / "x.json", name, [_attempt("focus-1")], account=f"acct{name}")
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
    _export(good / "mallory.json", '=HYPERLINK("http://example.invalid","x")', [_attempt("focus-1")],
            account="+cmd|' /C calc'!A0")
    _export(good / "zed.json", "@SUM(1+1)", [_attempt("focus-1")], account="-2+3")
    _export(good / "eve.json", "Eve\x01\x1b[2J", [_attempt("focus-1")], account="eve\x00")
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
    _export(good / "eve.json", "Eve\x1b]0;owned\x07\r\n\u202e", [_attempt("focus-1")], "2999-01-01T00:00:00Z")
    (good / "evil\x1b[2J.json").write_text("{", encoding="utf-8")
    summary = class_report(good).summary()
    assert "\x1b" not in summary and "\x07" not in summary and "\r" not in summary and "\u202e" not in summary
    assert "Eve\\x1b]0;owned\\x07\\r\\n\\u202e" in summary
    assert "evil\\x1b[2J.json" in summary
    assert all(line.startswith(("Class report", "  ", "Hardest", "Mastery", "Needs", "Skipped"))
               for line in summary.splitlines()), "no line of the summary comes from a file"


# -- scale and the shipped sample ------------------------------------------------------------------


def test_a_class_on_every_question_is_read_once_per_file_with_the_banks_loaded_once(tmp_path, monkeypatch):
    """How the report scales: one read per file and one load of the banks (benchmarks/ times 500 learners)."""
    import rolelib.instructor._reading as reading
    import rolelib.questions

    for number in range(40):
        attempts = [_attempt(qid, (number + position) % 3 != 0, minute=position % 60)
                    for position, qid in enumerate(BANKS)]
        if number % 5:
            _export(tmp_path / f"learner_{number:03d}.json", f"Learner {number:03d}", attempts)
        else:  # one in five hands in a CSV
            _csv_export(tmp_path / f"learner_{number:03d}.csv", f"Learner {number:03d}", attempts)
    calls = {"parse": 0, "banks": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(reading, "parse_export", counted("parse", reading.parse_export))
    monkeypatch.setattr(rolelib.questions, "load_banks", counted("banks", rolelib.questions.load_banks))
    report = class_report(tmp_path)
    assert len(report.learners) == 40 and report.skipped.empty
    assert len(report.per_question) == GRADED
    assert calls == {"parse": 40, "banks": 1}


def test_the_shipped_sample_is_made_up_and_shows_what_the_report_sets_aside(monkeypatch):
    assert "made up" in (SAMPLE / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(SAMPLE.parent)
    report = class_report("sample_exports")
    assert len(report.learners) == 13
    assert all(name.startswith("Sample learner ") for name in report.learners["learner"])
    reasons = dict(zip(report.skipped["file"], report.skipped["reason"]))
    assert list(reasons) == ["sample_exports/sample_learner_12_truncated.json"]
    assert "truncated" in reasons["sample_exports/sample_learner_12_truncated.json"]
    issues = report.needs_a_look[["issue", "used"]].values.tolist()
    assert issues == [["handed in more than once", "sample_exports/sample_learner_02.json"],
                      ["one name, several accounts", ""],
                      ["dated in the future", "sample_exports/sample_learner_13.json"]]
    assert set(report.per_question["question_id"]) <= set(BANKS), "the sample uses the course's questions"


def test_the_shipped_sample_is_what_make_sample_exports_writes(tmp_path):
    written = make_sample_exports(tmp_path)
    assert sorted(path.name for path in written) == sorted(
        path.name for path in SAMPLE.iterdir() if path.suffix in (".json", ".csv"))
    for path in written:
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), f"regenerate {path.name}"


def test_sample_exports_are_the_same_for_the_same_seed(tmp_path):
    first = make_sample_exports(tmp_path / "one", learners=5)
    second = make_sample_exports(tmp_path / "two", learners=5)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    assert make_sample_exports(tmp_path / "three", learners=5, seed=8)[0].read_bytes() != first[0].read_bytes()


def test_file_names_that_are_not_utf8_and_names_that_are_not_text_never_stop_the_files_being_written(good, tmp_path):
    _export(good / os.fsdecode(b"caf\xe9.json"), "Cafe", [_attempt("focus-1")])
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


def test_a_class_giving_the_same_answers_has_each_distinct_answer_graded_once(tmp_path, monkeypatch):
    from rolelib.kinds import SingleChoice

    calls = []
    regrade = SingleChoice.regrade
    monkeypatch.setattr(SingleChoice, "regrade", lambda self, answer, hints_used=0: (
        calls.append((self.id, answer, hints_used)), regrade(self, answer, hints_used))[1])
    for number in range(40):
        _export(tmp_path / f"l{number}.json", f"Learner {number}",
                [_attempt("focus-1", number % 2 == 0), _attempt("focus-1", True, hints=1)])
    report = class_report(tmp_path)
    assert report.learners["score"].tolist() == [0.9] * 40
    assert sorted(calls) == sorted({(qid, answer, hints) for qid, answer, hints in calls})
    assert len(calls) == 3, "a right and a wrong answer without hints, and the right one after a hint"


# -- distractor analysis ---------------------------------------------------------------------------

_FOCUS_1 = BANKS["focus-1"]
_BUILDINGS = "Securing the organisation's buildings, facilities and staff"
_DATA = "Protecting the organisation's data and keeping it compliant"


@pytest.fixture
def tempted(tmp_path: Path) -> Path:
    """Four learners on focus-1: two first choose the CSO's remit (buildings), one is right at once, one first
    chooses the CISO's (data) and is right at the second attempt, after a hint."""
    folder = tmp_path / "tempted"
    folder.mkdir()
    right = _FOCUS_1.answer
    firsts = {"Ann": [_BUILDINGS], "Ben": [_BUILDINGS, _BUILDINGS], "Cat": [right], "Dan": [_DATA, right]}
    for learner, answers in firsts.items():
        _export(folder / f"{learner}.json", learner, [
            _attempt("focus-1", answer=answer, hints=position, minute=position)
            for position, answer in enumerate(answers)])
    return folder


def test_the_distractor_table_counts_first_answers_with_the_feedback_the_bank_gives(tempted):
    table = class_report(tempted).distractors
    assert table[["option", "right", "learners", "percent"]].values.tolist() == [
        [_BUILDINGS, False, 2, 50.0], [_DATA, False, 1, 25.0], [_FOCUS_1.answer, True, 1, 25.0]]
    assert table["feedback"].tolist() == [_FOCUS_1.feedback[_BUILDINGS], _FOCUS_1.feedback[_DATA], ""]
    assert set(table["prompt"]) == {"What is a CIO's primary mission?"}


def test_per_question_shows_first_try_attempts_until_correct_and_hint_use(tempted):
    row = class_report(tempted).per_question.set_index("question_id").loc["focus-1"]
    assert row["prompt"] == "What is a CIO's primary mission?"
    assert (row["percent_correct"], row["first_try_percent"]) == (50.0, 25.0)
    assert row["attempts_to_correct"] == 1.5  # Cat at once, Dan at the second; Ann and Ben never
    assert row["hint_percent"] == 50.0  # Ben and Dan opened a hint before their second attempt


def test_attempts_until_correct_count_up_to_the_first_right_answer_not_the_last(tmp_path):
    _export(tmp_path / "a.json", "A", [_attempt("focus-1", right, minute=minute)
                                       for minute, right in enumerate([False, True, False, True])])
    row = class_report(tmp_path).per_question.set_index("question_id").loc["focus-1"]
    assert (row["attempts_to_correct"], row["first_try_percent"], row["percent_correct"]) == (2, 0.0, 100.0)


def test_the_share_of_a_ticked_option_is_of_the_learners_not_of_the_ticks(tmp_path):
    question = BANKS["focus-2"]
    first, second = question.answer[:2]
    _export(tmp_path / "a.json", "A", [_attempt("focus-2", answer=[first, second])])
    _export(tmp_path / "b.json", "B", [_attempt("focus-2", answer=[first])])
    table = class_report(tmp_path).distractors.set_index("option")
    assert table.loc[[first, second], "percent"].tolist() == [100.0, 50.0]
    assert table.loc[[first, second], "learners"].tolist() == [2, 1]


def test_the_reading_names_the_most_chosen_wrong_option_and_its_misconception(tempted):
    report = class_report(tempted)
    reading = report.reading("focus-1")
    assert reading.startswith(f"50% chose \u201c{_BUILDINGS}\u201d.")
    assert _FOCUS_1.feedback[_BUILDINGS] in reading
    figure = report.distractor_chart(1)
    assert _bar_labels(figure)[0] == f"\u2717 {_BUILDINGS}"
    assert reading in figure.alt_text and figure.texts[0].get_text().startswith("focus-1: What is a CIO")
    assert figure.alt_text.startswith("focus-1: What is a CIO's primary mission? Bar chart of"), "one stop, not '?.'"


def test_a_distractor_chart_is_asked_for_by_rank_or_id_and_a_wrong_one_says_what_exists(tempted):
    from rolelib import UnknownNameError

    report = class_report(tempted)
    assert report.distractor_chart("focus-1").alt_text == report.distractor_chart(1).alt_text
    with pytest.raises(UnknownNameError, match="focus-1"):
        report.distractor_chart("focus-9")
    with pytest.raises(ValueError, match="from 1 to 1"):
        report.distractor_chart(2)


def test_a_wrong_option_chosen_by_nearly_everyone_keeps_its_percentage_readable(tmp_path):
    for learner in ("Ann", "Ben"):
        _export(tmp_path / f"{learner}.json", learner, [_attempt("focus-1", answer=_BUILDINGS)])
    (axes,) = class_report(tmp_path).distractor_chart(1).axes
    (value,) = [text for text in axes.texts if text.get_text() == "100%"]
    assert value.get_color() != "white"  # on the white, hatched bar of a wrong option


def test_distractors_csv_is_written_with_each_prompt_beside_its_id(tempted, tmp_path):
    class_report(tempted).write(tmp_path / "out")
    rows = csv_rows(tmp_path / "out" / "distractors.csv")
    assert rows[0] == ["question_id", "version", "prompt", "option", "right", "learners", "percent", "feedback"]
    assert rows[1][:6] == ["focus-1", "focus-1", "What is a CIO's primary mission?", _BUILDINGS, "False", "2"]
    assert csv_rows(tmp_path / "out" / "questions.csv")[1][:2] == ["focus-1", "What is a CIO's primary mission?"]


def test_classify_and_match_answers_count_each_placement_as_an_option(tmp_path):
    match = BANKS["focus-3"]
    wrong = match.wrong_answer(random.Random(1))
    _export(tmp_path / "a.json", "A", [_attempt("focus-3", answer=wrong)])
    table = class_report(tmp_path).distractors
    assert len(table) == len(match.items)
    assert table["right"].tolist().count(False) == 1
    assert table.loc[~table["right"], "option"].iloc[0].startswith("\u201c")


@pytest.mark.parametrize("question_id", ["resp-4", "focus-3"])
def test_a_wrong_placement_carries_the_feedback_the_bank_gives_for_that_mistake(tmp_path, question_id):
    """classify keys its feedback by the role wrongly chosen, match by the item wrongly matched."""
    question = BANKS[question_id]
    item = question.items[0]
    choice = next(option for option in question.options if option not in question.answer[item.key])
    _export(tmp_path / "a.json", "A", [_attempt(question_id, answer={**question.correct_answer(), item.key: choice})])
    table = class_report(tmp_path).distractors
    (wrong,) = table[~table["right"]].to_dict("records")
    assert wrong["option"] == f"\u201c{item.text}\u201d \u2192 {question.label(choice)}"
    expected = question.feedback[choice if question.kind == "classify" else item.key]
    assert wrong["feedback"] == expected and set(table.loc[table["right"], "feedback"]) == {""}


def test_a_match_item_put_under_any_of_its_accepted_choices_counts_as_right(tmp_path):
    match = BANKS["edu-2"]
    (key,) = [key for key, accepted in match.answer.items() if len(accepted) > 1]
    for number, accepted in enumerate(match.answer[key]):
        _export(tmp_path / f"l{number}.json", f"L{number}",
                [_attempt("edu-2", answer={**match.correct_answer(), key: accepted})])
    report = class_report(tmp_path)
    assert report.distractors["right"].all() and report.per_question["percent_correct"].tolist() == [100.0]
    assert report.per_question["first_try_percent"].tolist() == [100.0]


def test_the_sample_exports_show_common_misconceptions():
    report = class_report(SAMPLE)
    first_wrong = report.distractors[~report.distractors["right"]].groupby("question_id")["percent"].max()
    assert (first_wrong >= 30).sum() >= 5, "several questions where a third of the class chose one wrong option"


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



def test_a_placement_in_the_distractor_chart_keeps_the_role_it_was_placed_under(tmp_path):
    """start-1 matches long statements to roles: cut to fit, a bar still says where the learners put it."""
    match = BANKS["start-1"]
    _export(tmp_path / "a.json", "A", [_attempt("start-1", answer=match.sample_answer(random.Random(0), True))])
    for number in range(2):
        _export(tmp_path / f"w{number}.json", f"W{number}", [
            _attempt("start-1", answer=match.wrong_answer(random.Random(number)))])
    report = class_report(tmp_path)
    table = report.distractors
    figure = report.distractor_chart("start-1")
    labels = _bar_labels(figure)
    assert len(set(labels)) == len(labels) == len(table), "a right and a wrong placement of one statement differ"
    for option, label in zip(table["option"], labels):
        assert label.endswith(option.split(" \u2192 ")[-1]), (label, option)
    top_wrong = table[~table["right"]].iloc[0]["option"]
    assert "\u201d \u2192 " + top_wrong.split(" \u2192 ")[-1] in report.reading("start-1")


def test_a_question_no_first_answer_fits_any_more_still_has_its_chart(tmp_path):
    """An option reworded after the class answered: the answers count as wrong, and the chart says why it is empty."""
    _export(tmp_path / "a.json", "A", [_attempt("focus-1", answer="An option the bank no longer has")])
    report = class_report(tmp_path)
    assert report.per_question["question_id"].tolist() == ["focus-1"]
    figure = report.distractor_chart(1)
    assert "no first answer" in figure.alt_text and "fits focus-1" in figure.alt_text
    assert report.reading("focus-1") != "No learner answered focus-1."


def test_a_version_or_question_the_report_lacks_is_named_in_plain_words(tempted):
    report = class_report(tempted)
    with pytest.raises(KeyError) as error:
        report.distractor_chart("focus-1", version="focus-1-z")
    assert "the versions of focus-1 answered first are: focus-1" in str(error.value)
    with pytest.raises(KeyError) as error:
        report.distractor_chart("focus-9")
    assert "the questions answered in this report are: focus-1" in str(error.value)


def test_the_summary_of_a_large_class_writes_thousands_and_lists_the_first_rows_of_long_tables(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for number in range(1_001):
        _export(folder / f"learner{number:04d}.json", f"Learner {number:04d}", [_attempt("focus-1", number % 2 == 0)])
    for number in range(25):
        (folder / f"broken{number:02d}.json").write_text("{", encoding="utf-8")
    summary = class_report(folder).summary().splitlines()
    assert summary[0] == "Class report: 1,001 learners, 1 graded question answered, 25 files skipped."
    hardest = next(line for line in summary if line.startswith("  focus-1"))
    assert " of 1,001 learners  " in hardest
    skipped = summary[summary.index("Skipped files:") + 1:]
    assert len(skipped) == 21 and all(line.startswith("  - ") for line in skipped[:20])
    assert skipped[20] == "  ... and 5 more: all are in the table skipped (skipped.csv)"
