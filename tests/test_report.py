"""The class report: good exports, every kind of bad export, duplicates, the gradebook, charts and speed."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from rolelib.progress import Attempt, write_export
from rolelib.progress.export import new_export
from rolelib.questions import load_banks
from rolelib.instructor.report import class_report
from rolelib.instructor.samples import make_sample_exports
from tests.helpers import REPO

SAMPLE = REPO / "notebooks" / "instructor" / "sample_exports"


def _attempt(question_id: str, correct: bool | None, score: float | None = None, *, lesson: str = "01_focus",
             topic: str = "focus", kind: str = "single", minute: int = 0) -> dict:
    return {"question_id": question_id, "lesson": lesson, "topic": topic, "kind": kind,
            "answer": "an answer", "correct": correct,
            "score": (1.0 if correct else 0.0) if score is None else score, "hints_used": 0,
            "time": f"2025-03-03T10:{minute:02d}:00.000+00:00"}


def _export(path: Path, learner: str, attempts: list[dict], exported_at: str = "2025-03-03T12:00:00+00:00") -> Path:
    """An export in the documented JSON format, as a learner hands it in."""
    document = {"format": "rolelib-progress", "version": 1, "learner": learner, "exported_at": exported_at,
                "course_version": "0.1.0", "attempts": attempts}
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
        _attempt("focus-2", True, 0.9, minute=3),
        _attempt("start-3", None, lesson="00_start_here", topic="roles", kind="reflect", minute=4)])
    _csv_export(folder / "grace.csv", "Grace", account="grace-h", attempts=[
        _attempt("focus-1", True, minute=1), _attempt("focus-1", False, minute=2),  # right, then wrong
        _attempt("focus-2", True, minute=3)])
    _export(folder / "alan.json", "Alan", [_attempt("focus-1", False, minute=1)])
    return folder


def test_good_exports_give_scores_per_learner_and_per_question(good):
    report = class_report(good)
    assert report.skipped.empty
    learners = report.learners.set_index("learner")
    assert list(report.learners["learner"]) == ["Ada", "Alan", "Grace"]
    assert learners["account"].tolist() == ["", "", "grace-h"], "the account an export records"
    # The last answer counts: Ada ends right on focus-1, Grace ends wrong; a reflection is attempted only.
    assert learners.loc["Ada", ["attempted", "correct", "score"]].tolist() == [3, 2, 1.9]
    assert learners.loc["Grace", ["attempted", "correct", "score"]].tolist() == [2, 1, 1.0]
    assert learners.loc["Alan", ["attempted", "correct", "score"]].tolist() == [1, 0, 0.0]
    graded = sum(question.graded for question in load_banks().values())
    assert report.graded_questions == graded
    assert learners.loc["Ada", "percent"] == round(100 * 1.9 / graded, 1)
    questions = report.per_question.set_index("question_id")
    assert questions.loc["focus-1", ["learners", "correct", "percent_correct"]].tolist() == [3, 1, 33.3]
    assert questions.loc["focus-2", ["learners", "correct", "percent_correct"]].tolist() == [2, 2, 100.0]
    assert "start-3" not in questions.index, "a reflection is not graded"
    mastery = report.mastery.set_index("topic")
    assert mastery.loc["focus", "title"] == "Focus of the position"
    assert mastery.loc["focus", ["answers", "learners", "percent_correct"]].tolist() == [5, 3, 60.0]


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
    assert labels == ["focus-3", "focus-2", "cert-1", "focus-1"]
    top = figure.axes[0].get_ylim()
    assert top[0] > top[1], "the first (hardest) question is drawn at the top"
    assert "Hardest: focus-3 0%, focus-2 33%" in figure.alt_text
    assert "Easiest: focus-1 100%" in figure.alt_text


def test_mastery_follows_the_course_order_and_has_a_chart(tmp_path):
    _export(tmp_path / "a.json", "A", [_attempt("report-1", True, lesson="05_reporting_structure", topic="reporting"),
                                       _attempt("focus-1", False)])
    report = class_report(tmp_path)
    assert list(report.mastery["topic"]) == ["focus", "reporting"]
    figure = report.mastery_chart()
    labels = _bar_labels(figure)
    assert labels == ["Focus of the position", "Reporting structure"]
    assert "Focus of the position 0% of 1 answers; Reporting structure 100% of 1 answers" in figure.alt_text


@pytest.mark.parametrize("question_ids", [
    ["focus-1"],
    [f"extra-question-with-a-long-id-{n:02d}" for n in range(50)],
    ["q-" + "very-long-identifier-" * 5 + "1", "focus-2"],
], ids=["one", "fifty", "very long"])
def test_charts_are_laid_out_by_hand_with_every_text_inside_the_figure(tmp_path, question_ids):
    for number in range(3):
        _export(tmp_path / f"l{number}.json", f"Learner {number}",
                [_attempt(qid, (number + position) % 3 != 0, topic=qid) for position, qid in enumerate(question_ids)])
    report = class_report(tmp_path)
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


def _truncated_json(path: Path) -> None:
    _export(path, "Cut", [_attempt("focus-1", True), _attempt("focus-2", True)])
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def _truncated_csv(path: Path) -> None:
    _csv_export(path, "Cut", [_attempt("focus-1", True), _attempt("focus-2", True)])
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("focus-2") + 10], encoding="utf-8")


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
    "binary": ("photo.csv", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"), "not UTF-8 text"),
    "newer format": ("future.json", lambda p: p.write_text(json.dumps(
        {"format": "rolelib-progress", "version": 3, "learner": "X", "exported_at": "", "course_version": "9",
         "attempts": []})), "version 3"),
    "score out of range": ("score.json", lambda p: _export(p, "Y", [_attempt("focus-1", True, 7.0)]),
                           "score should be a number from 0 to 1"),
    "no learner name": ("anon.json", lambda p: _export(p, "  ", [_attempt("focus-1", True)]),
                        '"learner" should be a non-empty name'),
}


@pytest.mark.parametrize("kind", BAD_EXPORTS)
def test_a_bad_export_is_skipped_with_its_reason_and_the_report_goes_on(good, kind):
    name, write, reason = BAD_EXPORTS[kind]
    write(good / name)
    report = class_report(good)
    assert report.skipped["file"].tolist() == [str(good / name)]
    assert reason in report.skipped["reason"].iloc[0]
    assert list(report.learners["learner"]) == ["Ada", "Alan", "Grace"], "every good file still counts"
    assert f"{good / name}: " in report.summary()


def test_a_file_that_cannot_be_read_is_skipped(good, monkeypatch):
    locked = _export(good / "locked.json", "Locked", [_attempt("focus-1", True)])
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = class_report(good)
    assert report.skipped.to_dict("records") == [
        {"file": str(locked), "reason": "the file cannot be read (Permission denied)"}]
    assert len(report.learners) == 3


def test_a_file_of_another_kind_given_by_name_is_skipped(good):
    notes = good / "notes.txt"
    notes.write_text("not an export", encoding="utf-8")
    report = class_report([good, notes])
    assert "a progress export is a .json or .csv file, not .txt" in report.skipped["reason"].iloc[0]
    assert len(report.learners) == 3


@pytest.mark.parametrize("newer_first", [True, False])
def test_a_learner_who_exported_twice_counts_once_with_the_newest_export(tmp_path, newer_first):
    newer, older = ("a.json", "b.json") if newer_first else ("b.json", "a.json")
    _export(tmp_path / newer, "Ada Lovelace", [_attempt("focus-1", True)], "2025-03-04T09:00:00+00:00")
    _export(tmp_path / older, " ada  LOVELACE ", [_attempt("focus-1", False)], "2025-03-03T09:00:00Z")
    report = class_report(tmp_path)
    assert report.learners[["learner", "correct", "file"]].values.tolist() == [
        ["Ada Lovelace", 1, str(tmp_path / newer)]]
    (skipped,) = report.skipped.to_dict("records")
    assert skipped["file"] == str(tmp_path / older)
    assert skipped["reason"].startswith(f"duplicate of {tmp_path / newer}: an older export by the same learner")


def test_a_csv_export_and_a_json_export_of_one_learner_keep_the_later_answers(tmp_path):
    _csv_export(tmp_path / "a.csv", "Ada", [_attempt("focus-1", False, minute=1)])
    _export(tmp_path / "b.json", "Ada", [_attempt("focus-1", False, minute=1), _attempt("focus-1", True, minute=9)])
    report = class_report(tmp_path)
    assert report.learners["file"].tolist() == [str(tmp_path / "b.json")]
    assert report.skipped["file"].tolist() == [str(tmp_path / "a.csv")]


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
    (good / "README.md").write_text("Exports of week 1", encoding="utf-8")
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


def test_no_export_at_all_gives_an_empty_report_with_empty_charts(tmp_path):
    report = class_report([])
    assert report.learners.empty and report.per_question.empty and report.mastery.empty
    assert list(report.gradebook.columns) == ["learner", "account", "attempted", "correct", "score", "percent"]
    assert "no graded answers were found" in report.question_chart().alt_text
    assert "no graded answers were found" in report.mastery_chart().alt_text


def test_gradebook_csv_has_one_row_per_learner_and_is_safe_in_a_spreadsheet(good, tmp_path):
    _export(good / "mallory.json", '=HYPERLINK("http://example.invalid","x")', [_attempt("focus-1", True)])
    report = class_report(good)
    written = report.write_csv(tmp_path / "out")
    assert [path.name for path in written] == ["gradebook.csv", "questions.csv", "mastery.csv", "skipped.csv"]
    with open(tmp_path / "out" / "gradebook.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["learner", "account", "attempted", "correct", "score", "percent"]
    graded = report.graded_questions
    assert rows[1:] == [
        ["'=HYPERLINK(\"http://example.invalid\",\"x\")", "", "1", "1", "1.0", str(round(100 / graded, 1))],
        ["Ada", "", "3", "2", "1.9", str(round(190 / graded, 1))],
        ["Alan", "", "1", "0", "0.0", "0.0"],
        ["Grace", "grace-h", "2", "1", "1.0", str(round(100 / graded, 1))]]
    assert report.gradebook_csv() == (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8")
    with open(tmp_path / "out" / "questions.csv", encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == ["question_id", "lesson", "topic", "learners", "correct", "percent_correct"]


def test_a_class_on_every_question_is_read_once_per_file_with_the_banks_loaded_once(tmp_path, monkeypatch):
    """How the report scales: one read per file and one load of the banks (benchmarks/ times 500 learners)."""
    import rolelib.instructor.report as report_module
    import rolelib.questions

    questions = [(q.id, q.lesson, q.topic, q.kind, q.graded) for q in load_banks().values()]
    for number in range(40):
        attempts = [_attempt(qid, None if not graded else (number + position) % 3 != 0,
                             0.0 if not graded else None, lesson=lesson, topic=topic, kind=kind, minute=position % 60)
                    for position, (qid, lesson, topic, kind, graded) in enumerate(questions)]
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

    monkeypatch.setattr(report_module, "parse_export", counted("parse", report_module.parse_export))
    monkeypatch.setattr(rolelib.questions, "load_banks", counted("banks", rolelib.questions.load_banks))
    report = class_report(tmp_path)
    assert len(report.learners) == 40 and report.skipped.empty
    assert len(report.per_question) == sum(graded for *_, graded in questions)
    assert calls == {"parse": 40, "banks": 1}


def test_the_shipped_sample_is_made_up_and_shows_both_kinds_of_skipped_file(monkeypatch):
    assert "made up" in (SAMPLE / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(SAMPLE.parent)
    report = class_report("sample_exports")
    assert len(report.learners) == 12
    assert all(name.startswith("Sample learner ") for name in report.learners["learner"])
    reasons = dict(zip(report.skipped["file"], report.skipped["reason"]))
    assert reasons["sample_exports/sample_learner_02_older.json"].startswith(
        "duplicate of sample_exports/sample_learner_02.json")
    assert "truncated" in reasons["sample_exports/sample_learner_12_truncated.json"]
    assert len(reasons) == 2
    assert set(report.per_question["question_id"]) <= set(load_banks()), "the sample uses the course's questions"


def test_sample_exports_are_the_same_for_the_same_seed(tmp_path):
    first = make_sample_exports(tmp_path / "one", learners=5)
    second = make_sample_exports(tmp_path / "two", learners=5)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    assert make_sample_exports(tmp_path / "three", learners=5, seed=8)[0].read_bytes() != first[0].read_bytes()
