"""Progress summary and export: the summary's groupings, the export formats, and what read_export refuses."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

import pandas as pd
import pytest

import rolelib
from rolelib import UnknownNameError
from rolelib.lessons import LESSONS
from rolelib.progress import ProgressStore, parse_export, read_export
from tests.helpers import COLUMNS, attempt

TOPIC_ORDER = ["roles", "focus", "responsibilities", "education", "certifications", "reporting"]


# -- the summary ------------------------------------------------------------------------------


def test_summary_by_lesson_lists_every_lesson_in_course_order(tmp_path):
    progress = ProgressStore(tmp_path / "p.sqlite3")
    progress.record(attempt("f-1", correct=False, score=0.0))
    progress.record(attempt("f-1", correct=True, score=0.75))           # wrong, then right: counts
    progress.record(attempt("f-2", correct=True, score=1.0))
    progress.record(attempt("f-2", correct=False, score=0.0))           # right, then wrong: does not
    progress.record(attempt("f-3", correct=None, score=0.0, kind="reflect"))
    progress.record(attempt("c-1", correct=True, score=0.5, lesson="04_certifications", topic="certifications"))
    table = progress.summary()
    assert list(table.columns) == ["lesson", "attempted", "graded", "correct", "score"]
    assert table["lesson"].tolist() == [item.slug for item in LESSONS]
    rows = table.set_index("lesson")
    assert rows.loc["01_focus"].tolist() == [3, 2, 1, 0.75]  # the reflection is attempted, not graded
    assert rows.loc["04_certifications"].tolist() == [1, 1, 1, 0.5]
    assert rows.loc["00_start_here"].tolist() == [0, 0, 0, 0.0]
    assert table["attempted"].dtype == "int64" and table["score"].dtype == "float64"


def test_summary_by_topic_follows_the_course_and_appends_unknown_groups(tmp_path):
    progress = ProgressStore(tmp_path / "p.sqlite3")
    progress.record(attempt("r-1", topic="reporting", lesson="05_reporting_structure", score=0.1))
    progress.record(attempt("r-2", topic="reporting", lesson="05_reporting_structure", score=0.2))
    progress.record(attempt("x-1", topic="cto", lesson="07_extra"))
    progress.record(attempt("g-1", topic="governance", lesson="06_review"))
    by_topic = progress.summary("topic")
    assert by_topic["topic"].tolist() == [*TOPIC_ORDER, "cto", "governance"]
    assert by_topic.set_index("topic").loc["reporting"].tolist() == [2, 2, 2, 0.3]
    assert progress.summary("lesson")["lesson"].tolist()[-1] == "07_extra"


def test_summary_rejects_an_unknown_grouping_with_the_course_error_listing_the_groupings():
    with pytest.raises(UnknownNameError, match="are: lesson, topic"):
        ProgressStore(":memory:").summary("role")


# -- export and read back ---------------------------------------------------------------------


@pytest.fixture
def answered(tmp_path) -> ProgressStore:
    progress = ProgressStore(tmp_path / "p.sqlite3")
    progress.record(attempt("focus-1", answer="CIO"))
    progress.record(attempt("certs-1", answer=["CISSP", "CISM"], correct=False, score=0.5, hints_used=1,
                            lesson="04_certifications", topic="certifications", kind="multiple"))
    progress.record(attempt("match-1", answer={"PMP": "CIO", "CISM": "CISO"}, kind="match"))
    progress.record(attempt("reflect-1", answer='She said "both", then, <b>paused</b>.\nNew line.',
                            correct=None, score=0.0, kind="reflect"))
    return progress


def test_json_export_has_the_agreed_format(answered, tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    path = answered.export(tmp_path / "ada.json", "  Ada Lovelace ")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert list(document) == ["format", "version", "learner", "account", "exported_at", "course_version",
                              "mode", "submitted_at", "attempts"]
    assert (document["mode"], document["submitted_at"]) == ("practice", None)
    assert document["format"] == "rolelib-progress"
    assert document["version"] == 4
    assert document["learner"] == "Ada Lovelace"
    assert document["account"] is None
    assert document["course_version"] == rolelib.__version__
    assert datetime.fromisoformat(document["exported_at"]).utcoffset() == timedelta(0)
    assert [list(item) for item in document["attempts"]] == [COLUMNS] * 4
    assert document["attempts"][2]["answer"] == {"PMP": "CIO", "CISM": "CISO"}
    assert document["attempts"][3]["correct"] is None


def test_csv_export_is_a_plain_table_with_who_made_it_on_every_row(answered, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ada-l")
    path = answered.export(tmp_path / "ada.csv", "Ada")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["learner", "account", "exported_at", "course_version", "mode", "submitted_at", *COLUMNS]
    assert len(rows) == 5
    assert {tuple(row[:2]) for row in rows[1:]} == {("Ada", "ada-l")}
    assert {row[3] for row in rows[1:]} == {rolelib.__version__}
    assert {tuple(row[4:6]) for row in rows[1:]} == {("practice", "")}
    assert json.loads(rows[2][rows[0].index("answer")]) == ["CISSP", "CISM"]
    assert pd.read_csv(path)["question_id"].tolist() == ["focus-1", "certs-1", "match-1", "reflect-1"]


@pytest.mark.parametrize("name", ["ada.json", "ada.csv"])
def test_an_export_records_the_hub_account_and_reads_it_back(answered, tmp_path, monkeypatch, name):
    monkeypatch.setenv("JUPYTERHUB_USER", "ada-l")
    export = parse_export(answered.export(tmp_path / name, "Ada"))
    assert (export.learner, export.account, export.version, export.course_version) == (
        "Ada", "ada-l", 4, rolelib.__version__)
    assert datetime.fromisoformat(export.exported_at).utcoffset() == timedelta(0)
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert parse_export(answered.export(tmp_path / name, "Ada")).account is None


def test_a_csv_export_whose_rows_disagree_on_who_made_it_is_refused(answered, tmp_path):
    path = answered.export(tmp_path / "ada.csv", "Ada")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(',"",', ',"someone-else",', 1)  # every field is quoted
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="disagree on the account"):
        read_export(path)


@pytest.mark.parametrize("name", ["ada.json", "ada.csv", "ADA.JSON"])
def test_export_reads_back_exactly(answered, tmp_path, name):
    learner, table = read_export(answered.export(tmp_path / name, "Ada L\u00f6velace"))
    assert learner == "Ada L\u00f6velace"
    pd.testing.assert_frame_equal(table, answered.attempts())


def test_export_overwrites_an_older_export(answered, tmp_path):
    path = tmp_path / "ada.json"
    answered.export(path, "Ada")
    answered.record(attempt("late-1"))
    answered.export(path, "Ada")
    assert len(read_export(path)[1]) == 5
    assert [item.name for item in tmp_path.iterdir() if item.name.startswith(".")] == []


@pytest.mark.parametrize("learner", ["", "   ", None])
def test_export_requires_a_learner_name(answered, tmp_path, learner):
    with pytest.raises(ValueError, match="give your name"):
        answered.export(tmp_path / "x.json", learner)
    assert not (tmp_path / "x.json").exists()


def test_export_refuses_other_file_types(answered, tmp_path):
    with pytest.raises(ValueError, match=r"\.json or \.csv"):
        answered.export(tmp_path / "progress.xlsx", "Ada")
    assert not (tmp_path / "progress.xlsx").exists()


# -- read_export explains what is wrong with a file ----------------------------------------------


def _document() -> dict:
    return {"format": "rolelib-progress", "version": 1, "learner": "Ada", "exported_at": "2024-05-01T10:00:00+00:00",
            "course_version": "0.1.0",
            "attempts": [{"question_id": "focus-1", "lesson": "01_focus", "topic": "focus", "kind": "single",
                          "answer": "CIO", "correct": True, "score": 1.0, "hints_used": 0,
                          "time": "2024-05-01T09:00:00+00:00"}]}


def _changed(change) -> str:
    document = _document()
    change(document)
    return json.dumps(document, indent=2)


_GOOD_CSV = ("learner,question_id,lesson,topic,kind,answer,correct,score,hints_used,time\n"
             'Ada,focus-1,01_focus,focus,single,"""CIO""",true,1.0,0,2024-05-01T09:00:00+00:00\n')

BAD_FILES = {
    "wrong-suffix": ("notes.txt", json.dumps(_document()), r"\.json or \.csv file, not \.txt"),
    "empty": ("p.json", "", "the file is empty"),
    "truncated-json": ("p.json", json.dumps(_document(), indent=2)[:150], "truncated"),
    "not-json": ("p.json", "learner: Ada\nscore: 1\n", "not valid JSON"),
    "json-then-more": ("p.json", json.dumps(_document()) + "\nthanks", "more text after the end of the export"),
    "json-list": ("p.json", "[1, 2]", "JSON list"),
    "foreign-format": ("p.json", _changed(lambda d: d.update(format="jupyter-notebook")),
                       "'jupyter-notebook'.*not a rolelib progress export"),
    "no-format": ("p.json", json.dumps({"cells": [], "nbformat": 4}), 'no "format" field'),
    "missing-learner": ("p.json", _changed(lambda d: d.pop("learner")), "lacks the field.*'learner'"),
    "missing-score": ("p.json", _changed(lambda d: d["attempts"][0].pop("score")),
                      "attempt 1 lacks the field.*'score'"),
    "order-not-a-list": ("p.json", _changed(lambda d: d["attempts"][0].update(order="CIO")),
                         "attempt 1: order should be a list"),
    "variant-not-text": ("p.json", _changed(lambda d: d["attempts"][0].update(variant=3)),
                         "attempt 1: variant should be the id"),
    "newer-version": ("p.json", _changed(lambda d: d.update(version=5)), "version 5.*newer rolelib"),
    "version-as-text": ("p.json", _changed(lambda d: d.update(version="1")), "whole number"),
    "score-too-high": ("p.json", _changed(lambda d: d["attempts"][0].update(score=1.5)),
                       "attempt 1: score should be a number from 0 to 1"),
    "correct-as-text": ("p.json", _changed(lambda d: d["attempts"][0].update(correct="yes")),
                        "correct should be true, false or null"),
    "empty-learner": ("p.json", _changed(lambda d: d.update(learner=" ")), "non-empty name"),
    "csv-foreign": ("p.csv", "name,grade\nAda,A\n", "not the header of a rolelib progress export"),
    "csv-missing-column": ("p.csv", _GOOD_CSV.replace(",hints_used", ",hints"), "lacks the column.*hints_used"),
    "csv-truncated": ("p.csv", _GOOD_CSV + "Ada,focus-2,01_focus,focus,single,", "line 3.*truncated"),
    "csv-no-rows": ("p.csv", _GOOD_CSV.splitlines()[0] + "\n", "no attempts"),
    "csv-two-learners": ("p.csv", _GOOD_CSV + _GOOD_CSV.splitlines()[1].replace("Ada", "Bob") + "\n",
                         "more than one learner: 'Ada', 'Bob'"),
    "csv-bad-correct": ("p.csv", _GOOD_CSV.replace(",true,", ",yes,"), "line 2: correct should be"),
    "csv-answer-not-json": ("p.csv", _GOOD_CSV.replace('"""CIO"""', "CIO"), "not JSON-encoded"),
    "csv-score-not-number": ("p.csv", _GOOD_CSV.replace(",1.0,", ",full,"), "score should be a number"),
}


@pytest.mark.parametrize("name, content, reason", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_read_export_says_what_is_wrong(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=reason) as error:
        read_export(path)
    assert str(path) in str(error.value)


def test_read_export_rejects_binary_files(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ValueError, match="not UTF-8 text"):
        read_export(path)


def test_read_export_accepts_the_valid_samples(tmp_path):
    (tmp_path / "p.json").write_text(json.dumps(_document()), encoding="utf-8")
    (tmp_path / "p.csv").write_text(_GOOD_CSV, encoding="utf-8")
    for path in (tmp_path / "p.json", tmp_path / "p.csv"):
        learner, table = read_export(path)
        assert learner == "Ada"
        assert table.loc[0, ["question_id", "answer", "score"]].tolist() == ["focus-1", "CIO", 1.0]
        assert bool(table.loc[0, "correct"]) is True


@pytest.mark.parametrize("name, content", [("p.json", json.dumps(_document())), ("p.csv", _GOOD_CSV)],
                         ids=["json", "csv"])
def test_version_1_exports_are_still_read(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    export = parse_export(path)
    assert (export.version, export.learner, export.account) == (1, "Ada", None)
    assert [attempt.answer for attempt in export.attempts] == ["CIO"]
