"""The class report at scale and on the shipped sample exports: one read per file, thousands written plainly."""

from __future__ import annotations

from rolelib.instructor.report import class_report
from rolelib.instructor.samples import make_sample_exports
from rolelib.questions import load_banks
from tests.helpers import REPO, attempt_at, course_export, hand_in

SAMPLE = REPO / "notebooks" / "instructor" / "sample_exports"
BANKS = load_banks()
GRADED = sum(question.graded for question in BANKS.values())


def test_a_class_on_every_question_is_read_once_per_file_with_the_banks_loaded_once(tmp_path, monkeypatch):
    """How the report scales: one read per file and one load of the banks (benchmarks/ times 500 learners)."""
    import rolelib.instructor._reading as reading
    import rolelib.questions

    for number in range(40):
        attempts = [attempt_at(qid, (number + position) % 3 != 0, minute=position % 60)
                    for position, qid in enumerate(BANKS)]
        if number % 5:
            hand_in(tmp_path / f"learner_{number:03d}.json", f"Learner {number:03d}", attempts)
        else:  # one in five hands in a CSV
            course_export(tmp_path / f"learner_{number:03d}.csv", f"Learner {number:03d}", attempts)
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


def test_a_class_giving_the_same_answers_has_each_distinct_answer_graded_once(tmp_path, monkeypatch):
    from rolelib.kinds import SingleChoice

    calls = []
    regrade = SingleChoice.regrade
    monkeypatch.setattr(SingleChoice, "regrade", lambda self, answer, hints_used=0: (
        calls.append((self.id, answer, hints_used)), regrade(self, answer, hints_used))[1])
    for number in range(40):
        hand_in(tmp_path / f"l{number}.json", f"Learner {number}",
                [attempt_at("focus-1", number % 2 == 0), attempt_at("focus-1", True, hints=1)])
    report = class_report(tmp_path)
    assert report.learners["score"].tolist() == [0.9] * 40
    assert sorted(calls) == sorted({(qid, answer, hints) for qid, answer, hints in calls})
    assert len(calls) == 3, "a right and a wrong answer without hints, and the right one after a hint"


def test_the_summary_of_a_large_class_writes_thousands_and_lists_the_first_rows_of_long_tables(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for number in range(1_001):
        hand_in(folder / f"learner{number:04d}.json", f"Learner {number:04d}", [attempt_at("focus-1", number % 2 == 0)])
    for number in range(25):
        (folder / f"broken{number:02d}.json").write_text("{", encoding="utf-8")
    summary = class_report(folder).summary().splitlines()
    assert summary[0] == "Class report: 1,001 learners, 1 graded question answered, 25 files skipped."
    hardest = next(line for line in summary if line.startswith("  focus-1"))
    assert " of 1,001 learners  " in hardest
    skipped = summary[summary.index("Skipped files:") + 1:]
    assert len(skipped) == 21 and all(line.startswith("  - ") for line in skipped[:20])
    assert skipped[20] == "  ... and 5 more: all are in the table skipped (skipped.csv)"
