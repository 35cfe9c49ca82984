"""The class report survives any file: a bad, unreadable, huge or odd export is listed and the report goes on."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from rolelib.instructor.report import class_report
from rolelib.questions import load_banks
from tests.helpers import attempt_at, course_export, hand_in

BANKS = load_banks()


def _truncated_json(path: Path) -> None:
    hand_in(path, "Cut", [attempt_at("focus-1", True), attempt_at("focus-2", True)])
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def _truncated_csv(path: Path) -> None:
    course_export(path, "Cut", [attempt_at("focus-1", True), attempt_at("focus-2", True)])
    text = path.read_text(encoding="utf-8")
    last_row = text.rstrip("\n").rindex("\n") + 1
    path.write_text(text[: text.index("focus-2", last_row) + 10], encoding="utf-8")


def _deep_json(path: Path) -> None:
    path.write_text('{"format": "rolelib-progress", "version": 2, "x": ' + "[" * 200_000 + "]" * 200_000 + "}")


def _deep_csv_answer(path: Path) -> None:
    course_export(path, "Deep", [attempt_at("focus-1")])
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
    "score out of range": ("score.json", lambda p: hand_in(p, "Y", [attempt_at("focus-1", score=7.0)]),
                           "score should be a number from 0 to 1"),
    "a negative hint count": ("hints.json", lambda p: hand_in(p, "Y", [attempt_at("focus-1", hints=-2)]),
                              "hints_used should be a whole number of 0 or more, not '-2'"),
    "a hint count of true": ("yes.json", lambda p: hand_in(p, "Y", [attempt_at("focus-1", hints=True)]),
                             "hints_used should be a whole number of 0 or more, not 'True'"),
    "no learner name": ("anon.json", lambda p: hand_in(p, "  ", [attempt_at("focus-1", True)]),
                        '"learner" should be a non-empty name'),
    "a name of a million characters": ("long.json", lambda p: hand_in(p, "A" * 1_000_000, [attempt_at("focus-1")]),
                                       '"learner" is 1,000,000 characters long; a name has at most 200'),
    "JSON nested 200,000 deep": ("deep.json", _deep_json, "nests lists or objects more than 20 deep"),
    "a CSV answer nested 60,000 deep": ("deep.csv", _deep_csv_answer, "nests lists or objects more than 20 deep"),
    "too many attempts": ("many.json", lambda p: hand_in(p, "Z", [attempt_at("focus-1")] * 50_001),
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
    hand_in(good / "boom.json", "Boom", [attempt_at("focus-1", answer="boom")])
    report = class_report(good)
    assert report.skipped.to_dict("records") == [
        {"file": str(good / "boom.json"), "reason": "it could not be read (ZeroDivisionError: 'division by zero')"}]
    assert len(report.learners) == 3


def test_a_file_that_cannot_be_read_is_skipped(good, monkeypatch):
    locked = hand_in(good / "locked.json", "Locked", [attempt_at("focus-1", True)])
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
    hand_in(good / "big.json", "Big", [attempt_at("focus-1", answer="x" * 5000)])
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
    hand_in(good / "week2" / "linus.json", "Linus", [attempt_at("focus-1", True)])
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
